"""score_frame() on pandas, polars and dicts of numpy arrays."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sledai
from conftest import NAMES, REFERENCE_WEIGHTS, SEROLOGY, reference_complete, reference_range

WEIGHTS = np.array([REFERENCE_WEIGHTS[n] for n in NAMES])
CLINICAL_WEIGHTS = np.array([0 if n in SEROLOGY else REFERENCE_WEIGHTS[n] for n in NAMES])


def random_bools(n: int, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    return {name: rng.random(n) < 0.3 for name in NAMES}


def expected_totals(cols: dict, clinical: bool = False) -> np.ndarray:
    matrix = np.column_stack([np.asarray(cols[n], dtype=np.int64) for n in NAMES])
    return matrix @ (CLINICAL_WEIGHTS if clinical else WEIGHTS)


# ---------------------------------------------------------------- complete


@pytest.mark.parametrize("n", [0, 1, 1023, 1024, 1025, 5000])
def test_pandas_bool_matches_reference(n):
    cols = random_bools(n, seed=n)
    df = pd.DataFrame(cols)
    out = sledai.score_frame(df)
    assert isinstance(out, np.ndarray) and out.dtype == np.int16
    np.testing.assert_array_equal(out, expected_totals(cols))
    np.testing.assert_array_equal(sledai.score_frame(df, clinical=True), expected_totals(cols, True))


def test_polars_and_dict_match_reference():
    cols = random_bools(3000, seed=1)
    expect = expected_totals(cols)
    np.testing.assert_array_equal(sledai.score_frame(pl.DataFrame(cols)), expect)
    np.testing.assert_array_equal(sledai.score_frame(cols), expect)
    lists = {k: v.tolist() for k, v in cols.items()}
    np.testing.assert_array_equal(sledai.score_frame(lists), expect)


def test_frame_built_from_2d_array_strided_columns():
    # One 2-D block: each column is a strided view, copied to contiguous.
    rng = np.random.default_rng(2)
    matrix = rng.random((777, 24)) < 0.5
    df = pd.DataFrame(matrix, columns=NAMES)
    np.testing.assert_array_equal(sledai.score_frame(df), matrix.astype(int) @ WEIGHTS)
    # Column order in the frame does not matter.
    np.testing.assert_array_equal(sledai.score_frame(df[NAMES[::-1]]), matrix.astype(int) @ WEIGHTS)


@pytest.mark.parametrize(
    "dtype", ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float32", "float64", ">i4"]
)
def test_integer_and_float_columns(dtype):
    cols = random_bools(500, seed=3)
    d = {k: v.astype(dtype) for k, v in cols.items()}
    np.testing.assert_array_equal(sledai.score_frame(d), expected_totals(cols))
    np.testing.assert_array_equal(sledai.score_frame(pd.DataFrame(d)), expected_totals(cols))


@pytest.mark.parametrize("dtype", [pl.Int8, pl.Int64, pl.UInt8, pl.UInt32, pl.Float32, pl.Float64])
def test_polars_numeric_columns(dtype):
    cols = random_bools(300, seed=4)
    df = pl.DataFrame(cols).with_columns(pl.all().cast(dtype))
    np.testing.assert_array_equal(sledai.score_frame(df), expected_totals(cols))


# ---------------------------------------------------------------- nullable


def nullable_rows(n: int, seed: int, rate: float = 0.02) -> list:
    rng = np.random.default_rng(seed)
    present = rng.random((n, 24)) < 0.3
    missing = rng.random((n, 24)) < rate
    return [
        {name: (None if missing[i, j] else bool(present[i, j])) for j, name in enumerate(NAMES)}
        for i in range(n)
    ]


def check_nullable(out, rows, clinical=False):
    for i, row in enumerate(rows):
        low, high = reference_range(row, clinical)
        if reference_complete(row, clinical):
            assert out[i] == low == high, i
        else:
            assert out[i] is pd.NA or out[i] is None or out[i] is np.ma.masked, (i, out[i])


def test_pandas_boolean_dtype_with_na():
    rows = nullable_rows(2500, seed=5)
    df = pd.DataFrame(rows).astype("boolean")[NAMES]
    out = sledai.score_frame(df)
    assert isinstance(out, pd.arrays.IntegerArray)
    assert out.dtype == "Int16"
    check_nullable(out, rows)
    clinical = sledai.score_frame(df, clinical=True)
    check_nullable(clinical, rows, clinical=True)


def test_pandas_boolean_without_na_returns_numpy():
    cols = random_bools(100, seed=6)
    df = pd.DataFrame(cols).astype("boolean")
    out = sledai.score_frame(df)
    assert isinstance(out, np.ndarray)
    np.testing.assert_array_equal(out, expected_totals(cols))


@pytest.mark.parametrize("dtype", ["Int8", "Int64", "UInt8", "Float64"])
def test_pandas_masked_numeric_dtypes(dtype):
    rows = nullable_rows(400, seed=7)
    df = pd.DataFrame(rows)[NAMES].astype("boolean").astype(dtype)
    check_nullable(sledai.score_frame(df), rows)


def test_pandas_values_under_na_are_ignored():
    # pandas does not promise what the data buffer holds under NA.
    arr = pd.arrays.IntegerArray(np.array([7, 1, 0], dtype="int64"), np.array([True, False, False]))
    cols = {n: np.zeros(3, dtype=bool) for n in NAMES}
    df = pd.DataFrame(cols)
    df["arthritis"] = arr
    low, high = sledai.score_frame(df, incomplete="range")
    assert low.tolist() == [0, 4, 0]
    assert high.tolist() == [4, 4, 0]


def test_pandas_float_nan_is_not_assessed():
    cols = {n: np.zeros(3) for n in NAMES}
    cols["fever"] = np.array([1.0, np.nan, 0.0])
    out = sledai.score_frame(pd.DataFrame(cols))
    assert isinstance(out, pd.arrays.IntegerArray)
    assert out.isna().tolist() == [False, True, False]
    assert [out[0], out[2]] == [1, 0]


def test_pandas_pyarrow_boolean_if_available():
    pytest.importorskip("pyarrow")
    rows = nullable_rows(200, seed=8)
    df = pd.DataFrame(rows)[NAMES].astype("bool[pyarrow]")
    check_nullable(sledai.score_frame(df), rows)


def test_polars_nulls():
    rows = nullable_rows(2500, seed=9)
    df = pl.DataFrame(rows, schema={n: pl.Boolean for n in NAMES})
    out = sledai.score_frame(df)
    assert isinstance(out, pl.Series) and out.dtype == pl.Int16
    check_nullable(out.to_list(), rows)
    check_nullable(sledai.score_frame(df, clinical=True).to_list(), rows, clinical=True)
    low, high = sledai.score_frame(df, incomplete="range")
    for i, row in enumerate(rows):
        assert (low[i], high[i]) == reference_range(row)


def test_polars_all_null_column():
    cols = {n: [False, True] for n in NAMES}
    df = pl.DataFrame(cols).with_columns(fever=pl.lit(None))
    assert df.schema["fever"] == pl.Null
    assert sledai.score_frame(df).to_list() == [None, None]
    assert sledai.score_frame(df, incomplete="range")[1].tolist() == [1, 105]


def test_dict_masked_array_and_nan():
    cols = {n: np.zeros(3, dtype=bool) for n in NAMES}
    cols["rash"] = np.ma.MaskedArray([True, True, False], mask=[False, True, False])
    out = sledai.score_frame(cols)
    assert isinstance(out, np.ma.MaskedArray)
    assert out.mask.tolist() == [False, True, False]
    assert out.compressed().tolist() == [2, 0]


def test_incomplete_raise_names_row_and_missing():
    rows = [{n: False for n in NAMES} for _ in range(3)]
    rows[2]["pyuria"] = None
    rows[2]["arthritis"] = True
    df = pd.DataFrame(rows).astype("boolean")
    with pytest.raises(sledai.IncompleteAssessmentError, match=r"^row 2: assessment is incomplete") as e:
        sledai.score_frame(df, incomplete="raise")
    assert e.value.row == 2
    assert e.value.missing == ("pyuria",)
    assert e.value.range == (4, 8)
    rows[2]["pyuria"] = False
    out = sledai.score_frame(pd.DataFrame(rows).astype("boolean"), incomplete="raise")
    assert out.tolist() == [0, 0, 4]


def test_clinical_serology_columns_may_be_absent():
    cols = random_bools(50, seed=10)
    for s in SEROLOGY:
        del cols[s]
    np.testing.assert_array_equal(sledai.score_frame(cols, clinical=True), expected_totals({**cols, **{s: np.zeros(50, bool) for s in SEROLOGY}}, True))
    with pytest.raises(sledai.InvalidColumnError, match="missing: low_complement, increased_dna_binding"):
        sledai.score_frame(cols)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries({n: st.sampled_from([True, False, None]) for n in NAMES}),
        min_size=1,
        max_size=40,
    ),
    st.booleans(),
)
def test_nullable_frames_agree_with_reference(rows, clinical):
    pdf = pd.DataFrame(rows, columns=NAMES).astype("boolean")
    plf = pl.DataFrame(rows, schema={n: pl.Boolean for n in NAMES})
    for frame in (pdf, plf):
        low, high = sledai.score_frame(frame, clinical=clinical, incomplete="range")
        assert [(int(a), int(b)) for a, b in zip(low, high)] == [reference_range(r, clinical) for r in rows]
        out = sledai.score_frame(frame, clinical=clinical)
        values = out.to_list() if isinstance(out, pl.Series) else list(out)
        for v, row in zip(values, rows):
            if reference_complete(row, clinical):
                assert v == reference_range(row, clinical)[0]
            else:
                assert v is None or v is pd.NA


# ---------------------------------------------------------------- errors


def base_frame(n=4):
    return {n_: np.zeros(n, dtype=bool) for n_ in NAMES}


@pytest.mark.parametrize(
    ("column", "values", "row", "shown"),
    [
        ("rash", np.array([0, 0, 2, 0]), 2, "2"),
        ("fever", np.array([0.0, 0.5, 0.0, 0.0]), 1, "0.5"),
        ("cva", np.array([0, -1, 0, 0], dtype=np.int8), 1, "-1"),
        ("pyuria", np.array([0.0, 0.0, 0.0, np.inf]), 3, "inf"),
        ("seizure", np.array([0, 0, 0, 256], dtype=np.uint16), 3, "256"),
    ],
)
def test_bad_values_name_column_row_value(column, values, row, shown):
    cols = base_frame()
    cols[column] = values
    for frame in (cols, pd.DataFrame(cols), pl.DataFrame(cols)):
        with pytest.raises(sledai.InvalidValueError) as e:
            sledai.score_frame(frame)
        assert str(e.value).startswith(f"row {row}: {column}: invalid value `{shown}`")
        assert (e.value.field, e.value.row, e.value.value) == (column, row, shown)


def test_bad_value_in_a_numpy_bool_buffer():
    cols = base_frame()
    raw = np.zeros(4, dtype=np.uint8)
    raw[1] = 2
    cols["alopecia"] = raw.view(np.bool_)  # a bool array holding the byte 2
    with pytest.raises(sledai.InvalidValueError, match="row 1: alopecia: invalid value `2`"):
        sledai.score_frame(cols)


@pytest.mark.parametrize(
    "column",
    [
        np.array(["a", "b", "c", "d"]),
        np.array(["2024-01-01"] * 4, dtype="datetime64[D]"),
        np.array([1 + 0j] * 4),
        np.zeros(4, dtype=np.float16),
    ],
)
def test_wrong_dtype_is_an_error(column):
    cols = base_frame()
    cols["rash"] = column
    # Text and object columns follow the tool's boolean cell grammar (issue
    # 11): a cell outside it is an error naming the column and the cell.
    with pytest.raises((sledai.InvalidColumnError, sledai.InvalidValueError), match="rash") as e:
        sledai.score_frame(cols)
    assert getattr(e.value, "column", None) == "rash" or e.value.field == "rash"


def test_pandas_wrong_dtypes():
    df = pd.DataFrame(base_frame())
    df2 = df.copy()
    df2["rash"] = pd.Categorical([True, False, True, False])
    with pytest.raises(sledai.InvalidColumnError, match="column `rash`: unsupported dtype"):
        sledai.score_frame(df2)
    # Text and objects: the tool's boolean cell grammar (issue 11).
    df2["rash"] = pd.array(["x"] * 4, dtype="string")
    with pytest.raises(sledai.InvalidValueError, match="^row 0: rash: invalid value `x`: expected 1, 0"):
        sledai.score_frame(df2)
    df2["rash"] = np.array([True, None, False, True], dtype=object)
    low, high = sledai.score_frame(df2, incomplete="range")
    assert low.tolist() == [2, 0, 0, 2] and high.tolist() == [2, 2, 0, 2]


def test_polars_wrong_dtype():
    df = pl.DataFrame(base_frame()).with_columns(rash=pl.lit("yes"))
    assert sledai.score_frame(df).tolist() == [2, 2, 2, 2]  # the tool's grammar
    with pytest.raises(sledai.InvalidColumnError, match="column `rash`: unsupported dtype"):
        sledai.score_frame(df.with_columns(rash=pl.lit([1]).cast(pl.List(pl.Int64))))


def test_missing_descriptor_column():
    cols = base_frame()
    del cols["fever"]
    with pytest.raises(sledai.InvalidColumnError, match="1 of the 24 descriptor columns missing: fever") as e:
        sledai.score_frame(pd.DataFrame(cols))
    assert e.value.column == "fever"


def test_unknown_columns_raise_unless_ignored():
    cols = base_frame()
    cols["patient_id"] = np.arange(4)
    cols["fevr"] = np.zeros(4, dtype=bool)
    with pytest.raises(sledai.InvalidColumnError, match=r"rename `patient_id` to `patient`; unknown column `fevr`, did you mean `fever`\?") as e:
        sledai.score_frame(pd.DataFrame(cols))
    assert e.value.column == "patient_id"
    del cols["patient_id"]  # a near miss of `patient`: never ignored
    for frame in (cols, pd.DataFrame(cols), pl.DataFrame(cols)):
        with pytest.warns(UserWarning, match="'fevr'"):
            assert sledai.score_frame(frame, extra="ignore").tolist() == [0, 0, 0, 0]
    df = pd.DataFrame(base_frame())
    df[0] = 1  # a non-string column name
    with pytest.raises(sledai.InvalidColumnError, match="unknown column `0`"):
        sledai.score_frame(df)


def test_duplicate_column_is_an_error():
    df = pd.DataFrame(base_frame())
    df = pd.concat([df, df[["rash"]]], axis=1)
    with pytest.raises(sledai.InvalidColumnError, match="column `rash` appears more than once"):
        sledai.score_frame(df)


def test_unequal_lengths_and_dimensions():
    cols = base_frame()
    cols["rash"] = np.zeros(3, dtype=bool)
    with pytest.raises(sledai.InvalidColumnError, match="column `rash` has 3 rows, expected 4"):
        sledai.score_frame(cols)
    cols["rash"] = np.zeros((4, 1), dtype=bool)
    with pytest.raises(sledai.InvalidColumnError, match="expected a 1-D array"):
        sledai.score_frame(cols)
    cols["rash"] = "yes"
    with pytest.raises(sledai.InvalidColumnError, match="expected a 1-D numpy array"):
        sledai.score_frame(cols)


def test_argument_errors():
    with pytest.raises(TypeError, match="pandas DataFrame, a polars DataFrame or a dict"):
        sledai.score_frame(np.zeros((3, 24), dtype=bool))
    with pytest.raises(TypeError, match="collect"):
        sledai.score_frame(pl.DataFrame(base_frame()).lazy())
    with pytest.raises(sledai.InvalidValueError, match="incomplete: unknown value `nan`"):
        sledai.score_frame(base_frame(), incomplete="nan")  # type: ignore[arg-type]
    with pytest.raises(sledai.InvalidValueError, match="extra: unknown value"):
        sledai.score_frame(base_frame(), extra="drop")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="clinical must be a bool"):
        sledai.score_frame(base_frame(), clinical=1)  # type: ignore[arg-type]


def test_native_kernel_argument_checks():
    from sledai import _native

    with pytest.raises(TypeError, match="24 items"):
        _native._score_columns([None] * 23, 0, False, "na")
    with pytest.raises(sledai.InvalidValueError, match="incomplete"):
        _native._score_columns([None] * 24, 0, False, "bogus")  # type: ignore[arg-type]
    strided = np.zeros(8, dtype=np.uint8)[::2]
    with pytest.raises(sledai.InvalidColumnError, match="not contiguous"):
        _native._score_columns([(strided, None)] * 24, 4, False, "na")
    with pytest.raises(sledai.InvalidColumnError, match="unsupported array"):
        _native._score_columns([(np.zeros(4, dtype=bool), None)] * 24, 4, False, "na")
    with pytest.raises(sledai.InvalidColumnError, match="batch length mismatch"):
        _native._score_columns([(np.zeros(4, dtype=np.uint8), None)] * 24, 5, False, "na")


def test_no_import_of_pandas_or_polars_for_dicts():
    import subprocess
    import sys

    code = (
        "import sys, numpy as np, sledai;"
        "cols = {n: np.zeros(2, dtype=bool) for n in sledai.IDENTIFIERS};"
        "assert sledai.score_frame(cols).tolist() == [0, 0];"
        "assert 'pandas' not in sys.modules and 'polars' not in sys.modules, 'imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_result_is_independent_of_input_buffers():
    cols = random_bools(10, seed=11)
    out = sledai.score_frame(cols)
    before = out.copy()
    for v in cols.values():
        v[:] = True
    np.testing.assert_array_equal(out, before)
