"""Arrow boolean columns (polars ``Boolean``, pyarrow ``bool``, pandas
``bool[pyarrow]``) are handed to the core as their bitmaps, not converted:
sliced (a bit offset), chunked and nullable columns give the totals of the
definition (conftest's reference weights) and the same visits as the
numpy byte path."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sledai
from sledai import _frame
from conftest import NAMES, reference_complete, reference_range

pa = pytest.importorskip("pyarrow")

cell = st.sampled_from([True, False, None])


@contextlib.contextmanager
def bitmaps_always():
    """Short columns without nulls too are handed over as bitmaps (they
    are copied to bytes below ``_frame._BITMAP_ROWS`` rows, where that is
    cheaper)."""
    saved = _frame._BITMAP_ROWS
    _frame._BITMAP_ROWS = 0
    try:
        yield
    finally:
        _frame._BITMAP_ROWS = saved
rows_strategy = st.lists(st.fixed_dictionaries({n: cell for n in NAMES}), min_size=0, max_size=30)


def _frames(rows, skip, split):
    """The same rows as a polars frame sliced after `skip` junk rows and
    built of two chunks, a dict of sliced pyarrow arrays and chunked
    arrays, and a pandas bool[pyarrow] frame."""
    junk = [{n: True for n in NAMES}] * skip
    schema = {n: pl.Boolean for n in NAMES}
    whole = pl.DataFrame(junk + rows, schema=schema).slice(skip)
    head, tail = rows[:split], rows[split:]
    chunked = pl.concat(
        [pl.DataFrame(head, schema=schema), pl.DataFrame(tail, schema=schema)], rechunk=False
    )
    cols = {n: [r[n] for r in rows] for n in NAMES}
    arrays = {n: pa.array([True] * skip + v, type=pa.bool_()).slice(skip) for n, v in cols.items()}
    chunks = {n: pa.chunked_array([v[:split], v[split:]], type=pa.bool_()) for n, v in cols.items()}
    pandas = pd.DataFrame({n: pd.array(v, dtype="bool[pyarrow]") for n, v in cols.items()})
    return {"polars sliced": whole, "polars chunked": chunked, "pyarrow sliced": arrays,
            "pyarrow chunked": chunks, "pandas bool[pyarrow]": pandas}


@settings(max_examples=60, deadline=None)
@given(rows_strategy, st.integers(0, 9), st.integers(0, 30), st.booleans())
def test_bitmaps_give_the_totals_of_the_definition(rows, skip, split, clinical):
    split = min(split, len(rows))
    with bitmaps_always():
        _check_totals(rows, skip, split, clinical)


def _check_totals(rows, skip, split, clinical):
    for label, frame in _frames(rows, skip, split).items():
        low, high = sledai.score_frame(frame, clinical=clinical, incomplete="range")
        got = [(int(a), int(b)) for a, b in zip(low, high)]
        assert got == [reference_range(r, clinical) for r in rows], label
        out = sledai.score_frame(frame, clinical=clinical)
        values = _plain(out)
        for v, row in zip(values, rows):
            if reference_complete(row, clinical):
                assert v == reference_range(row, clinical)[0], label
            else:
                assert v is None or v is pd.NA, label
        complete = all(reference_complete(r, clinical) for r in rows)
        if complete:
            assert sledai.score_frame(frame, clinical=clinical, incomplete="raise").tolist() == [
                reference_range(r, clinical)[0] for r in rows
            ]
        else:
            first = next(i for i, r in enumerate(rows) if not reference_complete(r, clinical))
            with pytest.raises(sledai.IncompleteAssessmentError) as e:
                sledai.score_frame(frame, clinical=clinical, incomplete="raise")
            assert e.value.row == first, label


def _plain(column):
    """A column of any output kind as a list, None where missing."""
    if isinstance(column, pl.Series):
        return column.to_list()
    if isinstance(column, np.ndarray):  # numpy, or a masked array
        return [None if m else v.item() for v, m in zip(np.ma.getdata(column), np.ma.getmaskarray(column))]
    return [None if v is pd.NA or v is None or (isinstance(v, float) and np.isnan(v)) else v for v in column]


def test_the_handover_is_the_arrow_buffer_itself():
    s = pl.Series("rash", [True, None, False] * 100).slice(5)
    bits = _frame._column("rash", s)
    assert bits[0] == "bits" and bits[2] == 5 and bits[3] == 295
    arrow = s.to_arrow()
    validity, values = arrow.buffers()
    # Views of polars' own buffers, not copies.
    assert bits[1].ctypes.data == values.address
    assert bits[4].ctypes.data == validity.address
    assert not bits[1].flags.writeable
    # No nulls: no validity bitmap; a short column without nulls is bytes.
    long = pl.Series("rash", [True, False] * _frame._BITMAP_ROWS)
    assert _frame._column("rash", long)[0] == "bits" and _frame._column("rash", long)[4] is None
    assert len(_frame._column("rash", pl.Series("rash", [True, False]))) == 2


def test_without_pyarrow_the_numpy_path_gives_the_same(monkeypatch):
    rng = np.random.default_rng(3)
    n = 1000
    cols = {name: rng.random(n) < 0.2 for name in NAMES}
    df = pl.DataFrame(cols).with_columns(
        fever=pl.when(pl.Series(rng.random(n) < 0.1)).then(None).otherwise(pl.col("fever"))
    ).slice(3)
    expect = sledai.score_frame(df, incomplete="range")
    assert _frame._column("fever", df["fever"])[0] == "bits"
    monkeypatch.setattr(_frame, "_PA", None)
    assert len(_frame._column("fever", df["fever"])) == 2  # (values, missing)
    got = sledai.score_frame(df, incomplete="range")
    np.testing.assert_array_equal(got[0], expect[0])
    np.testing.assert_array_equal(got[1], expect[1])


def test_short_bitmaps_are_errors_naming_the_column():
    short = ("bits", np.zeros(1, dtype=np.uint8), 3, 10, None)
    good = ("bits", np.zeros(2, dtype=np.uint8), 0, 10, None)
    with pytest.raises(sledai.InvalidValueError, match=r"^rash: .*10 rows from bit 3 of 1 bytes.*values bitmap"):
        at = NAMES.index("rash")
        sledai._native._score_columns([good] * at + [short] + [good] * (23 - at), 10, False, "na")
    no_validity = ("bits", np.zeros(2, dtype=np.uint8), 0, 10, np.zeros(1, dtype=np.uint8))
    with pytest.raises(sledai.InvalidValueError, match="validity bitmap"):
        sledai._native._score_columns([no_validity] * 24, 10, False, "range")


def _visit_frame(n, seed):
    rng = np.random.default_rng(seed)
    data = {d: rng.random(n) < 0.15 for d in NAMES}
    df = pd.DataFrame(data)
    for d in ("fever", "low_complement", "arthritis"):
        s = pd.array(df[d], dtype="boolean")
        s[rng.random(n) < 0.1] = pd.NA
        df[d] = s
    df["patient"] = [f"P{i % 13}" for i in range(n)]
    df["date"] = pd.Timestamp("2024-01-01") + pd.to_timedelta(np.arange(n) // 13 * 30, unit="D")
    df["pga"] = np.round(rng.random(n) * 3, 1)
    df["prednisone_mg_per_day"] = rng.choice([0.0, 5.0, 7.5, 10.0], n)
    for f in ("hemolytic_anemia", "gastrointestinal_activity", "investigational_drug", "maintenance_tolerated"):
        s = pd.array(rng.random(n) < 0.5, dtype="boolean")
        s[rng.random(n) < 0.1] = pd.NA
        df[f] = s
    return df


def test_assess_frame_and_cohort_read_polars_bitmaps_as_the_byte_path():
    with bitmaps_always():
        _check_visits()


def _check_visits():
    df = _visit_frame(300, 11)
    expected = sledai.assess_frame(df)
    # Sliced: every Boolean column starts at a bit offset.
    junk = _visit_frame(5, 12)
    plf = pl.concat([pl.from_pandas(junk), pl.from_pandas(df)], rechunk=True).slice(5)
    assert _frame._column("fever", plf["fever"])[2] == 5
    out = sledai.assess_frame(plf)
    for c in ("sledai_2k", "sledai_2k_min", "sledai_2k_max", "lldas", "doris", "change_from_baseline"):
        assert _plain(out[c]) == _plain(expected[c]), c
    pandas_arrow = df.astype({f: "bool[pyarrow]" for f in NAMES + ["maintenance_tolerated"]})
    out = sledai.assess_frame(pandas_arrow)
    for c in ("sledai_2k", "lldas", "doris"):
        assert _plain(out[c]) == _plain(expected[c]), c
    patients, _ = sledai.cohort(df, at=(90, 360), window=14)
    pl_patients, _ = sledai.cohort(plf, at=(90, 360), window=14)
    columns = ["patient", "baseline_sledai_2k"] + [
        f"day{d}_{k}" for d in (90, 360) for k in ("no_visit_in_window", "study_day", "change", "change_min", "change_max")
    ]
    for c in columns:
        assert _plain(pl_patients[c]) == _plain(patients[c]), c
