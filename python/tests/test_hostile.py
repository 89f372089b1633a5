"""Issue 12: hostile input never crashes the interpreter, is never silently
dropped, and raises a documented ``SledaiError`` subclass naming the field.

The crash cases also run in a subprocess, so a regression (a segfault)
shows as a failing test instead of a dead test run.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

import pytest

import sledai

DEPTH_LIMIT = 64  # records.rs MAX_DEPTH


def _self_list() -> list:
    x: list = []
    x.append(x)
    return x


def _nested(depth: int) -> list:
    d: list = []
    for _ in range(depth):
        d = [d]
    return d


def _self_dict() -> dict:
    d: dict = {}
    d["x"] = d
    return d


# ------------------------------------------------- 1. nesting, self-reference


def test_self_referential_list_names_the_field():
    with pytest.raises(sledai.InvalidValueError, match=r"field `present`: nested more than 64 levels deep") as e:
        sledai.lldas({"present": _self_list()})
    assert e.value.field.startswith("present[0][0]")
    assert e.value.row is None


def test_deep_nesting_in_measurements():
    with pytest.raises(sledai.InvalidValueError, match="field `measurements`: nested more than 64") as e:
        sledai.doris({"present": [], "measurements": _nested(16_000)})
    assert e.value.field.startswith("measurements[0]")


def test_dict_containing_itself_in_classify():
    with pytest.raises(sledai.InvalidValueError, match="field `criteria`: nested more than 64"):
        sledai.classify({"criteria": _self_dict()})


def test_self_reference_in_a_list_of_records_names_the_row():
    with pytest.raises(sledai.InvalidValueError, match=r"^row 1: field `id`: nested") as e:
        sledai.assess_frame([{"present": []}, {"present": [], "id": _self_list()}])
    assert e.value.row == 1
    with pytest.raises(sledai.InvalidValueError, match=r"^row 0: field `id`: nested"):
        sledai.cohort([{"present": [], "id": _self_list(), "patient": "P", "date": "2024-01-01"}])


def test_depth_at_the_limit_is_not_an_error_of_nesting():
    # Depth below the limit reaches the core's parser (which refuses the
    # shape), depth above it is refused before.
    shallow = _nested(DEPTH_LIMIT - 2)
    with pytest.raises(sledai.InvalidValueError) as e:
        sledai.lldas({"present": shallow})
    assert "nested more than" not in str(e.value)
    with pytest.raises(sledai.InvalidValueError, match="nested more than"):
        sledai.lldas({"present": _nested(DEPTH_LIMIT + 1)})


def test_a_frame_cell_that_contains_itself():
    import pandas as pd

    df = pd.DataFrame({d: [False, False] for d in sledai.IDENTIFIERS})
    df["id"] = pd.Series(["a", _self_list()], dtype=object)
    with pytest.raises(sledai.InvalidValueError, match=r"^row 1: field `id`: nested") as e:
        sledai.assess_frame(df)
    assert e.value.row == 1


CRASHERS = {
    "self_list": "l = []; l.append(l); sledai.lldas({'present': l})",
    "deep_measurements": "d = []\nfor _ in range(16000): d = [d]\nsledai.lldas({'present': [], 'measurements': d})",
    "self_dict": "d = {}; d['x'] = d; sledai.classify({'criteria': d})",
    "assess_frame": "l = []; l.append(l); sledai.assess_frame([{'present': [], 'id': l}])",
    "deep_previous": "d = []\nfor _ in range(100000): d = [d]\nsledai.lldas({'present': []}, previous={'present': d})",
}


@pytest.mark.parametrize("name", sorted(CRASHERS))
def test_crash_cases_in_a_subprocess(name):
    code = "import sledai\ntry:\n" + textwrap.indent(CRASHERS[name], "    ") + (
        "\nexcept sledai.SledaiError as e:\n    print('ok', type(e).__name__)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, (r.returncode, r.stderr[-2000:])
    assert r.stdout.startswith("ok InvalidValueError"), r.stdout


# -------------------------------------------------------- 7. lone surrogates


@pytest.mark.parametrize(
    "call",
    [
        lambda: sledai.lldas({"present": [], "id": "\ud800"}),
        lambda: sledai.doris({"present": [], "patient": "\udfff"}),
        lambda: sledai.classify({"ana_titre": "\ud800"}),
        lambda: sledai.assess_frame([{"present": [], "id": "\ud800"}]),
        lambda: sledai.cohort([{"present": [], "patient": "\ud800", "date": "2024-01-01"}]),
    ],
)
def test_lone_surrogate_values_name_the_field(call):
    with pytest.raises(sledai.InvalidValueError, match=r"field `(id|patient|ana_titre)`: `'\\ud[8f]..'` is not valid Unicode") as e:
        call()
    assert e.value.field in ("id", "patient", "ana_titre")


def test_lone_surrogate_in_a_list_of_records_keeps_the_row():
    # This raised TypeError: function takes exactly 5 arguments (1 given):
    # the UnicodeEncodeError was re-created with one argument.
    with pytest.raises(sledai.InvalidValueError) as e:
        sledai.assess_frame([{"present": []}, {"present": [], "id": "\ud800"}])
    assert e.value.row == 1
    assert str(e.value).startswith("row 1: field `id`")


def test_lone_surrogate_key():
    with pytest.raises(sledai.InvalidValueError, match="lone surrogate"):
        sledai.lldas({"present": [], "\ud800": 1})
    with pytest.raises(sledai.InvalidValueError, match="^row 0: .*lone surrogate"):
        sledai.cohort([{"present": [], "\ud800": 1}])


def test_lone_surrogate_identifier():
    for call in (sledai.score, sledai.clinical_score):
        with pytest.raises(sledai.UnknownDescriptorError, match=r"unknown descriptor `\\ud800`"):
            call(["\ud800"])
        with pytest.raises(sledai.UnknownDescriptorError):
            call({"\ud800": True})
    with pytest.raises(sledai.InvalidValueError, match=r"field `present\[0\]`: .*lone surrogate"):
        sledai.lldas({"present": ["\ud800"]})


def test_a_foreign_exception_becomes_a_field_error():
    from collections.abc import Mapping

    class Broken(Mapping):
        def __getitem__(self, k):
            raise RuntimeError("boom")

        def __iter__(self):
            raise RuntimeError("boom")

        def __len__(self):
            return 1

    with pytest.raises(sledai.InvalidValueError, match=r"field `measurements\[0\]`: the value cannot be read: RuntimeError: boom") as e:
        sledai.lldas({"present": [], "measurements": [Broken()]})
    assert isinstance(e.value.__cause__, RuntimeError)


# ------------------------------------------- 9. duplicate dates in a cohort


def test_duplicate_dates_name_the_rows_and_the_keyword():
    rows = [{"patient": p, "date": "2024-01-01", "present": []} for p in "PQQP"]
    with pytest.raises(sledai.InvalidValueError) as e:
        sledai.cohort(rows)
    msg = str(e.value)
    assert "rows 0 and 3" in msg
    assert "allow_duplicate_dates=True" in msg
    assert "TimelineOptions" not in msg
    assert (e.value.row, e.value.field, e.value.value, e.value.patient) == (3, "date", "2024-01-01", "P")
    assert len(msg) < 200


def test_duplicate_dates_in_a_frame():
    import pandas as pd

    df = pd.DataFrame({d: [False] * 4 for d in sledai.IDENTIFIERS})
    df["patient"] = ["P", "Q", "P", "Q"]
    df["date"] = ["2024-01-01", "2024-01-01", "2024-02-01", "2024-01-01"]
    with pytest.raises(sledai.InvalidValueError, match=r"^row 3: patient `Q`: date: rows 1 and 3 ") as e:
        sledai.cohort(df)
    assert e.value.row == 3
    assert sledai.cohort(df, allow_duplicate_dates=True).summary["n"] == 2


# --------------------------------------------------- 10. bounded messages
# The core's own "did you mean" search is bounded by the core (issue 12,
# core side); these tests pin the Python surface: a quick error, a short
# message.


def test_ten_megabyte_unknown_column_name():
    import numpy as np

    name = "x" * 10_000_000
    frame = {d: np.zeros(2, dtype=bool) for d in sledai.IDENTIFIERS}
    frame[name] = np.zeros(2, dtype=bool)
    for call in (sledai.score_frame, sledai.assess_frame, sledai.cohort):
        start = time.perf_counter()
        with pytest.raises(sledai.InvalidColumnError) as e:
            call(frame)
        assert time.perf_counter() - start < 5
        assert len(str(e.value)) < 500, call
        assert "(10000000 characters)" in str(e.value)
        assert e.value.column == name


BIG = "y" * 10_000_000


def _quick_and_short(call):
    start = time.perf_counter()
    with pytest.raises(sledai.SledaiError) as e:
        call()
    assert time.perf_counter() - start < 2
    assert len(str(e.value)) < 1000
    assert "(10000000 characters)" in str(e.value)


@pytest.mark.parametrize(
    "call",
    [
        lambda: sledai.lldas({"present": [], BIG: 1}),
        lambda: sledai.score([BIG]),
        lambda: sledai.clinical_score({BIG: True}),
        lambda: sledai.assess_frame([{"present": [], "date": BIG}]),
        lambda: sledai.cohort([{"present": [], "patient": "P", "date": "2024-01-01", "pga": BIG}]),
    ],
)
def test_ten_megabyte_unknown_key_and_value(call):
    _quick_and_short(call)


# CORE SIDE (issue 12): an identifier inside a record is parsed by the core's
# serde implementation, whose "did you mean" search is the core's to bound
# (another change); the messages are already short here. Not strict: these
# pass once the core skips the search for implausible lengths.
@pytest.mark.xfail(reason="core: the did-you-mean search of an enormous identifier is slow (issue 12, core side)",
                   strict=False)
@pytest.mark.parametrize(
    "call",
    [
        lambda: sledai.lldas({"present": [BIG]}),
        lambda: sledai.classify({"criteria": {BIG: True}}),
    ],
)
def test_ten_megabyte_identifier_in_a_record_core_side(call):
    _quick_and_short(call)
