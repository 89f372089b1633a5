"""The core's visit-table layer from Python: the header rule (renames,
aliases, every problem in one error, near misses never ignored), the
boolean cell grammar in string and 0/1 integer columns, and a REDCap-like
export scored through ``rename=`` exactly as ``sledai score --rename``
scores it (cli/tests/golden/redcap_export.score.csv is the tool's output,
checked in cli/tests/it/table.rs)."""

from __future__ import annotations

import pathlib
import warnings

import pandas as pd
import polars as pl
import pytest

import sledai

from conftest import NAMES

ROOT = pathlib.Path(__file__).resolve().parents[2]
RENAME = {"patient_id": "patient", "visit_date": "date", "PGA": "pga", "Prednisone": "prednisone_mg_per_day"}


def cell(v) -> str:
    """A typed output cell as the CLI's CSV writes it (dates as YYYY-MM-DD)."""
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v):
        return ""
    if isinstance(v, pd.Timestamp):
        return v.date().isoformat()
    if isinstance(v, float):
        return repr(v)
    return str(v)


def export() -> pd.DataFrame:
    # As a user reads it: BOM stripped by the codec, CRLF by pandas, text
    # columns of "Yes"/"No", blanks as NaN.
    return pd.read_csv(ROOT / "examples" / "redcap_export.csv", encoding="utf-8-sig",
                       dtype={"patient_id": str, "visit_date": str})


def test_redcap_export_through_rename_matches_the_cli():
    with pytest.warns(UserWarning, match=r"ignoring 1 column\(s\) that are not visit fields: 'redcap_event_name'"):
        out = sledai.assess_frame(export(), rename=RENAME, extra="ignore")
    golden = (ROOT / "cli" / "tests" / "golden" / "redcap_export.score.csv").read_text().splitlines()
    assert ",".join(out.columns) + ",error" == golden[0]
    got = [",".join(cell(v) for v in row) + "," for row in out.astype(object).itertuples(index=False)]
    assert got == golden[1:]
    # The undated record has no change from baseline.
    assert out["change_from_baseline"].isna().iloc[-1]
    assert pd.isna(out["baseline_date"].iloc[-1])


def test_a_patients_undated_record_gets_no_change_from_baseline():
    # docs/cli.md: a record without `date` cannot be placed in time. Baseline
    # rash (2) + arthritis (4) = 6; the undated record 0; the third record
    # rash (2): -4 against the baseline, not against the undated 0.
    recs = [{"patient": "P1", "date": "2024-01-01", "present": ["rash", "arthritis"]},
            {"patient": "P1", "present": []},
            {"patient": "P1", "date": "2024-02-01", "present": ["rash"]}]
    out = sledai.assess_frame(recs)
    assert [r["sledai_2k"] for r in out] == [6, 0, 2]
    assert "change_from_baseline" not in out[1] and "baseline_date" not in out[1]
    assert out[2]["change_from_baseline"]["absolute"] == -4
    assert out[2]["baseline_date"] == "2024-01-01"
    # A cohort needs a date on every visit: an error naming the row.
    with pytest.raises(sledai.InvalidValueError) as e:
        sledai.cohort(recs, at=())
    assert e.value.row == 1 and e.value.field == "date"


def test_every_header_problem_in_one_error():
    with pytest.raises(sledai.InvalidColumnError) as e:
        sledai.assess_frame(export())
    msg = str(e.value)
    assert msg.startswith("5 problems with the header: column `patient_id` is not a visit column: "
                          "rename `patient_id` to `patient`; ")
    assert "unknown column `redcap_event_name`" in msg
    assert ("(pass rename={\"patient_id\": \"patient\", \"visit_date\": \"date\", \"PGA\": \"pga\", "
            "\"Prednisone\": \"prednisone_mg_per_day\"})") in msg
    assert e.value.column == "patient_id"


@pytest.mark.parametrize("column,target", [("Patient", "patient"), ("patient_id", "patient"),
                                           ("PGA", "pga"), ("Prednisone", "prednisone_mg_per_day")])
@pytest.mark.parametrize("extra", ["raise", "ignore"])
def test_near_misses_are_never_ignored(column, target, extra):
    df = pd.DataFrame({**{d: [0] for d in NAMES}, column: ["P1" if target == "patient" else 1]})
    with pytest.raises(sledai.InvalidColumnError, match=f"rename `{column}` to `{target}`") as e:
        sledai.assess_frame(df, extra=extra)
    assert e.value.column == column
    with pytest.raises(sledai.InvalidColumnError, match="rename"):
        sledai.score_frame(df, extra=extra)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sledai.assess_frame(df, rename={column: target})
        assert sledai.score_frame(df, rename={column: target}).tolist() == [0]


def test_string_and_integer_boolean_columns():
    base = {d: ["No", "no"] for d in NAMES}
    base["rash"] = ["Yes", "y"]
    base["fever"] = ["NA", ""]
    df = pd.DataFrame({**base, "patient": ["P1", "P1"], "date": ["2024-01-01", "2024-04-01"],
                       "pga": [0.2, 0.2], "prednisone_mg_per_day": [5, 5],
                       "hemolytic_anemia": ["No", "n"], "gastrointestinal_activity": [0, 0],
                       "maintenance_tolerated": [1, 1], "investigational_drug": ["false", "FALSE"]})
    out = sledai.assess_frame(df)
    assert list(out["sledai_2k_min"]) == [2, 2] and list(out["sledai_2k_max"]) == [3, 3]
    assert sledai.score_frame(pl.DataFrame(base)).to_list() == [None, None]
    with pytest.raises(sledai.InvalidValueError, match=r"row 1: maintenance_tolerated: invalid value `2`"):
        sledai.assess_frame(df.assign(maintenance_tolerated=[1, 2]))
    with pytest.raises(sledai.InvalidValueError, match=r"^row 1: rash: invalid value `maybe`: expected 1, 0, true, false"):
        sledai.score_frame(pd.DataFrame({**base, "rash": ["Yes", "maybe"]}))


def test_rename_of_a_missing_column_and_bad_mappings():
    df = pd.DataFrame({d: [0] for d in NAMES})
    with pytest.raises(sledai.InvalidColumnError, match="the header has no column `site`"):
        sledai.cohort(df, at=90, window=14, rename={"site": "patient"})
    with pytest.raises(TypeError):
        sledai.assess_frame(df, rename=[("a", "b")])  # type: ignore[arg-type]


def test_option_literals_are_the_core_vocabularies():
    # The keyword annotations of assess_frame and cohort spell no option
    # value of their own: each equals the core's vocabulary (IDS, in order).
    import typing

    from sledai._visits import PolicyOptions

    vocab = sledai._native._option_values()
    assert vocab["bilag_new_b"] == ("from_c_d_e", "from_d_e")
    # assess_frame, cohort and adam take their policy keywords as one
    # definition, **policy: Unpack[PolicyOptions].
    hints = typing.get_type_hints(PolicyOptions)
    for option, values in vocab.items():
        assert typing.get_args(hints[option]) == values, option


def visit_frame(n_pat: int, per: int, seed: tuple) -> pd.DataFrame:
    """n_pat patients x per visits, rows of a patient together and in date
    order; a descriptor is present where (a*p + b*v + i) % m == 0."""
    a, b, m = seed
    rows = []
    for p in range(n_pat):
        for v in range(per):
            row = {name: ((p * a + v * b + i) % m == 0) for i, name in enumerate(NAMES)}
            row.update(patient=f"P{p:04d}", date=pd.Timestamp("2023-01-01") + pd.Timedelta(days=30 * v + p % 5),
                       pga=(p + v) % 25 / 10, prednisone_mg_per_day=float((p * v) % 12))
            rows.append(row)
    return pd.DataFrame(rows)


def test_selected_columns_equal_the_same_columns_of_the_full_output():
    # columns= is a selection of the one layout: each selected column equals
    # the full output's column of that name, in the order asked, for pandas
    # and polars, on a frame large enough for the core's threads (rows of a
    # patient together) and on the REDCap export.
    df = visit_frame(300, 40, seed=(7, 3, 17))
    want = ["doris", "patient", "lldas_pga", "sledai_2k_min", "change_from_baseline", "bicla", "date"]
    full = sledai.assess_frame(df)
    part = sledai.assess_frame(df, columns=want)
    assert list(part.columns) == want
    pd.testing.assert_frame_equal(part, full[want])
    full_pl = sledai.assess_frame(pl.from_pandas(df))
    part_pl = sledai.assess_frame(pl.from_pandas(df), columns=want)
    assert part_pl.columns == want and part_pl.equals(full_pl.select(want))
    with pytest.warns(UserWarning):
        redcap = sledai.assess_frame(export(), rename=RENAME, extra="ignore", columns=["sledai_2k", "missing"])
    with pytest.warns(UserWarning):
        whole = sledai.assess_frame(export(), rename=RENAME, extra="ignore")
    pd.testing.assert_frame_equal(redcap, whole[["sledai_2k", "missing"]])
    assert tuple(full.columns) == sledai.VISIT_COLUMNS


def test_selected_columns_errors():
    df = pd.DataFrame({name: [False] for name in NAMES})
    with pytest.raises(sledai.InvalidValueError) as e:
        sledai.assess_frame(df, columns=["patient", "ldas"])
    assert e.value.field == "columns" and e.value.value == "ldas"
    assert "unknown value `ldas`" in str(e.value) and "did you mean `lldas`" in str(e.value)
    with pytest.raises(sledai.InvalidValueError, match="selected twice"):
        sledai.assess_frame(df, columns=["lldas", "lldas"])
    with pytest.raises(sledai.InvalidValueError, match="at least one column"):
        sledai.assess_frame(df, columns=[])
    with pytest.raises(TypeError, match="sequence of column names"):
        sledai.assess_frame(df, columns="lldas")
    with pytest.raises(TypeError, match="applies to data frames"):
        sledai.assess_frame([{"present": []}], columns=["lldas"])


def test_cohort_of_a_frame_is_the_cohort_of_its_records_in_any_row_order():
    # The core builds a frame's cohort from each patient's rows when they
    # are together, else from the records of the whole frame: the patients,
    # the summary and the ADaM rows are the same for the frame sorted by
    # patient, with its patients in reverse order, with its rows shuffled
    # (patients interleaved), and for its list of records.
    df = visit_frame(120, 25, seed=(3, 11, 19))
    base = sledai.cohort(df, at=(90, 360), window=14)
    reverse = df.iloc[::-1].sort_values("date", kind="stable").sort_values("patient", ascending=False, kind="stable")
    shuffled = df.sample(frac=1.0, random_state=7)
    for other in (reverse, shuffled):
        got = sledai.cohort(other.reset_index(drop=True), at=(90, 360), window=14)
        pd.testing.assert_frame_equal(got.patients, base.patients)
        assert got.summary == base.summary
    few = df[df["patient"] < "P0030"]
    pd.testing.assert_frame_equal(
        sledai.adam(few.sample(frac=1.0, random_state=3), at=(90,), window=14), sledai.adam(few, at=(90,), window=14)
    )
    records = [
        {k: (v.date().isoformat() if k == "date" else v) for k, v in row.items() if k not in NAMES}
        | {"present": [n for n in NAMES if row[n]]}
        for row in df.to_dict("records")
    ]
    patients, summary = sledai.cohort(records, at=(90, 360), window=14)
    assert summary == base.summary
    assert [p["patient"] for p in patients] == list(base.patients["patient"])
    assert [p["visits"] for p in patients] == list(base.patients["visits"])
    # A patient's two visits on one date: the records' error, naming both rows.
    bad = df.copy()
    bad.loc[31, "date"] = bad.loc[30, "date"]
    with pytest.raises(sledai.InvalidValueError, match="rows 30 and 31") as e:
        sledai.cohort(bad, at=90, window=14)
    assert e.value.patient == "P0001"


def test_threads_keyword_changes_nothing_but_the_threads():
    df = visit_frame(200, 30, seed=(5, 7, 13))
    one = sledai.assess_frame(df, threads=1)
    pd.testing.assert_frame_equal(one, sledai.assess_frame(df, threads=3))
    pd.testing.assert_frame_equal(one, sledai.assess_frame(df))
    c1 = sledai.cohort(df, at=(90, 360), window=14, threads=1)
    c2 = sledai.cohort(df, at=(90, 360), window=14, threads=2)
    pd.testing.assert_frame_equal(c1.patients, c2.patients)
    assert c1.summary == c2.summary
    a1 = sledai.adam(df, at=(90,), window=14, threads=1)
    a2 = sledai.adam(df, at=(90,), window=14, threads=2)
    # DataFrame.equals (NA in the same places equal) and the same dtypes:
    # assert_frame_equal compares 180,000 x 27 object cells in Python (8 s).
    assert list(a1.columns) == list(a2.columns) and list(a1.dtypes) == list(a2.dtypes)
    assert len(a1) == 180_000 and a1.equals(a2)
    with pytest.raises(sledai.InvalidValueError, match="at least one thread") as e:
        sledai.assess_frame(df, threads=0)
    assert e.value.field == "threads"
    for bad in (-1, 1.5, "2"):
        with pytest.raises(sledai.InvalidValueError) as e:
            sledai.cohort(df, at=90, window=14, threads=bad)
        assert e.value.field == "threads"
