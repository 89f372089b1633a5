"""sledai.adam: the ADaM BDS-shaped dataset of a cohort (docs/adam.md).

The command-line tool's CSV of the worked CAR-T-like cohort,
``sledai adam examples/car_t_visits.jsonl --at 90 --at 360 --window 14``,
is pinned in ``examples/car_t_adam.csv`` (cli/tests/it/adam.rs checks the
tool against the file byte for byte; tests/it/adam.rs derives its values
by hand). Here the Python frames, written to CSV by pandas and by polars,
must equal that file byte for byte."""

from __future__ import annotations

import json
import pathlib

import pandas as pd
import polars as pl
import pytest

import sledai

from test_visits import frame_of, records

EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "examples"
CLI_CSV = (EXAMPLES / "car_t_adam.csv").read_text()


def test_pandas_frame_is_the_cli_csv_byte_for_byte():
    recs = records(EXAMPLES / "car_t_visits.jsonl")
    df = sledai.adam(frame_of(recs), at=(90, 360), window=14)
    assert isinstance(df, pd.DataFrame)
    assert tuple(df.columns) == sledai.ADAM_VARIABLES
    assert df.to_csv(index=False, lineterminator="\n") == CLI_CSV


def test_polars_frame_is_the_cli_csv_byte_for_byte():
    recs = records(EXAMPLES / "car_t_visits.jsonl")
    df = sledai.adam(pl.from_pandas(frame_of(recs)), at=(90, 360), window=14)
    assert isinstance(df, pl.DataFrame)
    assert df.write_csv() == CLI_CSV


def test_records_and_typed_columns():
    recs = records(EXAMPLES / "car_t_visits.jsonl")
    rows = sledai.adam(recs, at=[90, 360], window=14)
    df = sledai.adam(frame_of(recs), at=(90, 360), window=14)
    assert len(rows) == len(df) == 30 * (6 + 5 + 3)
    assert list(rows[0]) == list(sledai.ADAM_VARIABLES)
    # CART-A's day-90 SLEDAI-2K record (tests/it/adam.rs): 4, CHG 12 -> 4 = -8,
    # PCHG -800/12, ADY 91 (day 90 from day 0), SRI-4 met.
    a90 = df[(df.USUBJID == "CART-A") & (df.PARAMCD == "SLEDAI") & (df.AVISIT == "Day 90")].iloc[0]
    assert (a90.AVAL, a90.BASE, a90.CHG, a90.ADY, a90.ANL01FL, a90.CRIT1FL) == (4.0, 12.0, -8.0, 91, "Y", "Y")
    assert a90.PCHG == -800 / 12
    # A range total is no AVAL: CART-C day 92 is 2 to 8.
    c92 = [r for r in rows if r["USUBJID"] == "CART-C" and r["PARAMCD"] == "SLEDAI" and r["AVISIT"] == "Day 90"][0]
    assert (c92["AVAL"], c92["AVALLO"], c92["AVALHI"], c92["AVALRSN"]) == (None, 2.0, 8.0, "not_assessed")
    assert str(df["ADY"].dtype) == "Int64" and str(df["AVAL"].dtype) == "Float64"
    # The list form holds the same cells as the frame.
    assert json.loads(df.to_json(orient="records"))[0]["USUBJID"] == rows[0]["USUBJID"]


def test_options_and_errors(tmp_path):
    recs = records(EXAMPLES / "car_t_visits.jsonl")
    table = tmp_path / "windows.csv"
    table.write_text("AVISIT,AVISITN,AWTARGET,AWLO,AWHI\nDay 90,1,91,77,105\nDay 360,2,361,347,375\n")
    # The same windows as at=(90, 360), window=14, in ADaM days.
    assert sledai.adam(recs, windows=table) == sledai.adam(recs, at=(90, 360), window=14)
    zero = sledai.adam(recs, at=90, window=14, ady_convention="day_zero", parameter_codes={"sledai_2k": "SLEDAI2K"})
    assert all(r["ADY"] == r["ADY0"] for r in zero)
    assert {r["PARAMCD"] for r in zero} >= {"SLEDAI2K", "SLED09", "LLDAS"}
    last = sledai.adam(recs, at=90, window=14, analysis_selection="last_in_window")
    assert sum(r["ANL01FL"] == "Y" for r in last if r["PARAMCD"] == "SLEDAI") == 3
    with pytest.raises(sledai.SledaiError, match="PARAMCD"):
        sledai.adam(recs, at=90, window=14, parameter_codes={"pga": "LLDAS"})
    with pytest.raises(sledai.SledaiError, match="ady_convention"):
        sledai.adam(recs, at=90, window=14, ady_convention="sdtm")  # type: ignore[arg-type]
    bad = tmp_path / "bad.csv"
    bad.write_text("AVISIT,AVISITN,AWTARGET,AWLO,AWHI\nDay 0,1,0,-7,8\n")
    with pytest.raises(sledai.SledaiError, match="AWTARGET"):
        sledai.adam(recs, windows=bad)
    with pytest.raises(TypeError):
        sledai.adam(recs, windows=3)  # type: ignore[arg-type]
    # No default analysis window: it is a protocol choice (as `sledai adam`).
    with pytest.raises(TypeError, match="at= and window="):
        sledai.adam(recs)
    with pytest.raises(TypeError, match="at= and window="):
        sledai.adam(recs, at=90)


def test_long_and_redcap_exports_give_the_same_dataset():
    """The long and REDCap examples (with their mapping files) give the
    ADaM dataset of the JSON Lines example: one mapping mechanism."""
    want = sledai.adam(records(EXAMPLES / "car_t_visits.jsonl"), at=(90, 360), window=14)
    want_df = pd.DataFrame(want)
    for name in ("car_t_long", "car_t_redcap"):
        frame = pd.read_csv(EXAMPLES / f"{name}.csv", dtype=str, keep_default_na=False)
        got = sledai.adam(frame, at=(90, 360), window=14, mapping=EXAMPLES / f"{name}.mapping.json")
        assert got.to_csv(index=False) == (EXAMPLES / "car_t_adam.csv").read_text(), name
        assert len(got) == len(want_df), name


# The column kinds docs/adam.md and ``sledai.adam``'s docstring give: the
# days and AVISITN nullable integers, the values floats, everything else
# (flags, codes, reasons, ADT as ISO 8601 text) text.
ADAM_INTEGERS = {"ADY", "ADY0", "AVISITN", "AWTARGET", "AWLO", "AWHI"}
ADAM_FLOATS = {"AVAL", "AVALLO", "AVALHI", "BASE", "CHG", "CHGLO", "CHGHI", "PCHG"}


def test_column_kinds_are_the_documented_ones_in_every_container():
    recs = records(EXAMPLES / "car_t_visits.jsonl")
    df = sledai.adam(frame_of(recs), at=(90, 360), window=14)
    pl_df = sledai.adam(pl.from_pandas(frame_of(recs)), at=(90, 360), window=14)
    arrays = sledai.adam({c: frame_of(recs)[c].to_numpy() for c in frame_of(recs).columns},
                         at=(90, 360), window=14)
    assert tuple(pl_df.columns) == tuple(arrays) == sledai.ADAM_VARIABLES
    for name in sledai.ADAM_VARIABLES:
        want_pd, want_pl, want_np = (
            ("Int64", pl.Int64, "int64") if name in ADAM_INTEGERS
            else ("Float64", pl.Float64, "float64") if name in ADAM_FLOATS
            else ("object", pl.Utf8, "object"))
        assert (str(df[name].dtype), pl_df[name].dtype, str(arrays[name].dtype)) == (want_pd, want_pl, want_np), name
    # ADT is the ISO 8601 text of the visit date; a phantom record has none.
    rows = sledai.adam(recs, at=(90, 360), window=14)
    assert list(df["ADT"].where(df["ADT"].notna(), None)) == [r["ADT"] for r in rows]
    assert df["ADT"].dropna().str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    assert df.loc[df.DTYPE == "PHANTOM", "ADT"].isna().all()
