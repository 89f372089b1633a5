"""Issue 12, "keep what holds": random and hostile values through every
public entry point raise only ``SledaiError`` subclasses (or the documented
``TypeError`` for an argument of the wrong type), never crash the
interpreter or leak another exception type.

Bounded by default (200 examples per entry point); a longer run:
``SLEDAI_FUZZ_EXAMPLES=20000 pytest tests/test_fuzz_hostile.py``.
"""

from __future__ import annotations

import math
import os

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sledai

EXAMPLES = int(os.environ.get("SLEDAI_FUZZ_EXAMPLES", "200"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=2000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)


class Raises:
    """An object whose every protocol method raises."""

    def __str__(self):
        raise RuntimeError("__str__")

    __repr__ = __str__

    def __eq__(self, other):
        raise RuntimeError("__eq__")

    def __hash__(self):
        return 0

    def __index__(self):
        raise RuntimeError("__index__")

    def __float__(self):
        raise RuntimeError("__float__")

    def __bool__(self):
        raise RuntimeError("__bool__")


class BadKey:
    """A mapping key whose __str__ and __repr__ raise (hashable and equal
    only to itself, so that dictionaries can hold it)."""

    def __str__(self):
        raise RuntimeError("__str__")

    __repr__ = __str__


def _self_list():
    x: list = []
    x.append(x)
    return x


def _self_dict():
    d: dict = {}
    d["present"] = d
    return d


def _deep(n):
    d: list = []
    for _ in range(n):
        d = [d]
    return d


SPECIAL = st.sampled_from(
    [
        math.nan, math.inf, -math.inf, -0.0, 1e308, 5e-324,
        2**64, -(2**63) - 1, 10**40,
        "\ud800", "\udfff", "a\ud800b", "", "x" * 300, "2024-02-30", "9999-12-31",
        b"rash", bytearray(b"rash"),
        np.float32(0.3), np.float64(math.nan), np.int64(-1), np.uint64(2**64 - 1), np.bool_(True),
        np.datetime64("2300-01-01"), np.datetime64("NaT"),
        pd.NA, pd.NaT, pd.Timestamp("2024-01-01"),
        type, print,
    ]
) | st.builds(Raises) | st.builds(object)
SCALAR = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20), st.sampled_from(["rash", "arthritis", "pga", "present", "2024-01-01", "1:160"]),
    SPECIAL,
)
KEY = st.one_of(
    st.sampled_from(list(sledai.RECORD_FIELDS) + ["present", "descriptors", "criteria", "ana", "ana_titre",
                                                   "measurements", "value", "unit", "date"]
                    + list(sledai.IDENTIFIERS[:4]) + list(sledai.CLASSIFICATION_CRITERIA[:4])),
    st.text(max_size=10),
    st.sampled_from(["\ud800", 1, None, (1, 2)]),
    st.builds(BadKey),
)
HOSTILE = st.recursive(
    SCALAR,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(KEY, inner, max_size=4),
    ),
    max_leaves=12,
) | st.builds(_self_list) | st.builds(_self_dict) | st.builds(_deep, st.integers(60, 3000))
RECORD = st.dictionaries(KEY, HOSTILE, max_size=5) | HOSTILE


def _call(f, *args, type_error_ok=False, **kwargs):
    """Calls ``f``: a result or a SledaiError (or TypeError where that is
    the documented contract) is fine; anything else fails the test."""
    try:
        f(*args, **kwargs)
    except sledai.SledaiError as e:
        str(e)  # the message renders
    except TypeError:
        if not type_error_ok:
            raise


@SETTINGS
@given(RECORD, st.one_of(st.none(), RECORD))
def test_lldas_and_doris(visit, previous):
    # TypeError: documented for a visit (or previous) that is not a mapping.
    ok = not _is_mapping(visit) or not (previous is None or _is_mapping(previous))
    _call(sledai.lldas, visit, previous, type_error_ok=ok)
    _call(sledai.doris, visit, type_error_ok=not _is_mapping(visit))


@SETTINGS
@given(RECORD)
def test_classify(value):
    _call(sledai.classify, value, type_error_ok=not _is_mapping(value))


@SETTINGS
@given(st.lists(RECORD, max_size=4))
def test_assess_frame_and_cohort_records(rows):
    # TypeError: documented for a row that is not a mapping.
    ok = not all(_is_mapping(r) for r in rows)
    _call(sledai.assess_frame, rows, type_error_ok=ok)
    _call(sledai.cohort, rows, (), type_error_ok=ok)


@SETTINGS
@given(HOSTILE)
def test_score(value):
    # TypeError: documented for a str, bytes, a non-iterable or a non-str
    # identifier.
    for f in (sledai.score, sledai.clinical_score):
        _call(f, value, type_error_ok=True)
        _call(f, value, incomplete="range", type_error_ok=True)
    if isinstance(value, dict):
        # A mapping with str keys: its values are never a TypeError.
        named = {k: v for k, v in value.items() if isinstance(k, str) and k.isascii()}
        _call(sledai.score, named)


@SETTINGS
@given(st.lists(HOSTILE, min_size=1, max_size=3), st.sampled_from(["arthritis", "pga", "date", "patient", "id"]))
def test_frames(cells, column):
    n = len(cells)
    base = {d: np.zeros(n, dtype=bool) for d in sledai.IDENTIFIERS}
    col = np.empty(n, dtype=object)
    col[:] = cells if n > 1 else [cells[0]]
    frame = dict(base, **{column: col})
    for f in (sledai.score_frame, sledai.assess_frame, _no_endpoints):
        _call(f, frame)
    try:
        df = pd.DataFrame(dict(base, **{column: pd.Series(list(cells), dtype=object)}))
    except Exception:
        return
    for f in (sledai.score_frame, sledai.assess_frame, _no_endpoints):
        _call(f, df)


def _no_endpoints(frame):
    """``sledai.cohort`` without endpoints (``at`` has no default)."""
    return sledai.cohort(frame, at=())


def _is_mapping(v):
    from collections.abc import Mapping

    return isinstance(v, Mapping)
