"""sledai.assess_frame and sledai.cohort: pandas, polars, dicts and lists of
records; agreement with score_frame and lldas/doris on random data; the
output of examples/*.jsonl against the rows of docs/cli.md (hand-checked
there: cli/tests/golden/README.md and tests/it/car_t_example.rs)."""

from __future__ import annotations

import csv
import io
import json
import pathlib

import numpy as np
import pandas as pd
import polars as pl
import pytest

import sledai

from conftest import NAMES, reference_range

EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "examples"

SCORE_COLUMNS = (
    "id,patient,date,sledai_2k,sledai_2k_min,sledai_2k_max,clinical_sledai_2k,clinical_sledai_2k_min,"
    "clinical_sledai_2k_max,missing,prednisone_equivalent_mg_per_day,lldas,lldas_activity,"
    "lldas_no_new_activity,lldas_pga,lldas_glucocorticoid,lldas_maintenance,doris,doris_clinical_sledai,"
    "doris_pga,doris_glucocorticoid,lab_conflicts,baseline_date,change_from_baseline,"
    "change_from_baseline_min,change_from_baseline_max,percent_change_from_baseline,"
    "bilag_numeric,bilag_new_a,bilag_new_b,bilag_flare,bicla,sri_4,sri_5,sri_6,sri_7,sri_8,"
    "doris_2017_clinical_on_treatment,doris_2017_complete_on_treatment,"
    "doris_2017_clinical_off_treatment,doris_2017_complete_off_treatment"
).split(",")

# `sledai score --output-format csv examples/visits.jsonl`, as printed in
# docs/cli.md (checked by hand in cli/tests/golden/README.md), without the
# trailing `error` column.
VISITS_CSV = """\
v1,P001,2024-01-15,10,,,6,,,,10.0,not_met,not_met,indeterminate,not_met,not_met,indeterminate,not_met,not_met,not_met,not_met,,2024-01-15,0,,,0.0,,,,,,,,,,,not_met,not_met,not_met,not_met
v2,P001,2024-04-12,4,,,2,,,,7.5,indeterminate,indeterminate,met,met,met,indeterminate,not_met,not_met,not_met,not_met,,2024-01-15,-6,,,-60.0,,,,,indeterminate,indeterminate,indeterminate,indeterminate,not_met,not_met,not_met,not_met,not_met,not_met
v3,P001,2024-07-10,,0,4,0,,,low_complement;increased_dna_binding,5.0,indeterminate,indeterminate,indeterminate,met,met,indeterminate,met,met,met,met,,2024-01-15,,-10,-6,,,,,,indeterminate,indeterminate,indeterminate,indeterminate,indeterminate,indeterminate,met,indeterminate,not_met,not_met
v4,P002,2024-02-01,17,,,13,,,,30.0,not_met,not_met,indeterminate,not_met,not_met,indeterminate,not_met,not_met,not_met,not_met,,2024-02-01,0,,,0.0,,,,,,,,,,,not_met,not_met,not_met,not_met
v5,P002,2024-05-03,,6,10,,4,8,pyuria,15.0,not_met,not_met,indeterminate,not_met,not_met,indeterminate,not_met,not_met,not_met,not_met,,2024-02-01,,-11,-7,,,,,,indeterminate,indeterminate,indeterminate,indeterminate,indeterminate,indeterminate,not_met,not_met,not_met,not_met
v6,P003,2024-03-20,11,,,11,,,,20.0,not_met,not_met,indeterminate,not_met,not_met,indeterminate,not_met,not_met,not_met,not_met,,2024-03-20,0,,,0.0,,,,,,,,,,,not_met,not_met,not_met,not_met
"""

# `sledai cohort examples/car_t_visits.jsonl --at 90 --at 360 --window 14
# --output-format csv`, as printed in docs/cli.md (values derived by hand in
# tests/it/car_t_example.rs), first row (CART-A).
CART_A = {
    "patient": "CART-A", "visits": 6, "reference_date": "2024-03-04", "baseline_date": "2024-03-04",
    "baseline_study_day": 0, "baseline_sledai_2k": 12, "day90_no_visit_in_window": False,
    "day90_date": "2024-06-02", "day90_study_day": 90, "day90_sledai_2k": 4, "day90_change": -8,
    "day90_lldas": "met", "day90_doris": "not_met", "day90_sri4": "met", "day360_date": "2025-02-27",
    "day360_change": -12, "day360_percent_change": -100.0, "lldas_time_fraction": 0.75,
    "lldas_visit_fraction": 0.6, "lldas_at_least_half": "met", "lldas_longest_run_days": 270,
    "lldas_first_day": 90, "doris_time_fraction": 0.5, "doris_first_day": 180,
}


def records(path: pathlib.Path):
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def as_csv_cell(v) -> str:
    """A typed output cell as the CLI's CSV writes it (dates as YYYY-MM-DD)."""
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v):
        return ""
    if isinstance(v, pd.Timestamp):
        return v.date().isoformat()
    if isinstance(v, (bool, np.bool_)):
        return "true" if v else "false"
    if hasattr(v, "isoformat"):  # a polars date
        return v.isoformat()
    if isinstance(v, (float, np.floating)):
        return repr(float(v))
    return str(v)


def test_assess_records_match_the_cli_csv():
    out = sledai.assess_frame(records(EXAMPLES / "visits.jsonl"))
    assert [r["id"] for r in out] == ["v1", "v2", "v3", "v4", "v5", "v6"]
    assert out[1]["change_from_baseline"]["absolute"] == -6
    assert out[1]["lldas_criteria"]["lldas_pga"]["observed"] == "PGA 0.8"
    # The flat form of the same records equals the CLI's CSV rows.
    flat = sledai.assess_frame(frame_of(records(EXAMPLES / "visits.jsonl")))
    assert list(flat.columns) == SCORE_COLUMNS
    got = [",".join(as_csv_cell(v) for v in row) for row in flat.astype(object).itertuples(index=False)]
    assert got == VISITS_CSV.splitlines()


def frame_of(recs):
    df = pd.DataFrame(_frame_rows(recs))
    for d in NAMES:
        df[d] = df[d].astype("boolean")
    return df


def _frame_rows(recs):
    """Visit records as frame rows: 24 descriptor columns (None = not assessed)."""
    rows = []
    for r in recs:
        r = dict(r)
        if "present" in r:
            present = set(r.pop("present"))
            cells = {d: d in present for d in NAMES}
        else:
            given = r.pop("descriptors")
            cells = {d: given.get(d) for d in NAMES}
        rows.append({**cells, **r})
    return rows


@pytest.fixture
def random_frame():
    rng = np.random.default_rng(7)
    n = 400
    data = {d: rng.random(n) < 0.15 for d in NAMES}
    df = pd.DataFrame(data)
    for d in ("fever", "low_complement"):
        s = pd.array(df[d], dtype="boolean")
        s[rng.random(n) < 0.1] = pd.NA
        df[d] = s
    df["patient"] = [f"P{i % 37}" for i in range(n)]
    days = pd.Timestamp("2024-01-01") + pd.to_timedelta(np.arange(n) // 37 * 30, unit="D")
    df["date"] = days
    pga = np.round(rng.random(n) * 3, 1)
    pga[rng.random(n) < 0.1] = np.nan  # NaN in a frame column: not recorded
    df["pga"] = pga
    df["prednisone_mg_per_day"] = rng.choice([0.0, 2.5, 5.0, 7.5, 10.0], n)
    for f in ("hemolytic_anemia", "gastrointestinal_activity", "investigational_drug"):
        df[f] = False
    df["maintenance_tolerated"] = True
    return df


def test_assess_frame_agrees_with_score_frame_and_lldas(random_frame):
    df = random_frame
    out = sledai.assess_frame(df)
    low, high = sledai.score_frame(df[NAMES], incomplete="range")
    exact = out["sledai_2k"].to_numpy(dtype="float64", na_value=np.nan)
    lo = out["sledai_2k_min"].to_numpy(dtype="float64", na_value=np.nan)
    hi = out["sledai_2k_max"].to_numpy(dtype="float64", na_value=np.nan)
    for i in range(len(df)):
        row = {d: (None if pd.isna(df[d].iloc[i]) else bool(df[d].iloc[i])) for d in NAMES}
        ref = reference_range(row)
        if ref[0] == ref[1]:
            assert exact[i] == ref[0] and np.isnan(lo[i])
        else:
            assert np.isnan(exact[i]) and (lo[i], hi[i]) == ref
        assert (low[i], high[i]) == ref
    # Per row, the same LLDAS/DORIS as sledai.lldas with the patient's previous row.
    previous = {}
    recs = _records_of(df)
    for i, rec in enumerate(recs[:120]):
        prev = previous.get(rec["patient"])
        assert sledai.lldas(rec, prev).state == out["lldas"].iloc[i], i
        assert sledai.doris(rec).state == out["doris"].iloc[i], i
        previous[rec["patient"]] = rec
    # The list-of-records form gives the same states.
    nested = sledai.assess_frame(recs)
    assert [r["lldas"] for r in nested] == list(out["lldas"])
    assert [r.get("change_from_baseline", {}).get("absolute") for r in nested] == [
        None if v is pd.NA else v for v in out["change_from_baseline"]
    ]


def _records_of(df):
    recs = []
    for _, row in df.iterrows():
        rec = {"descriptors": {d: (None if pd.isna(row[d]) else bool(row[d])) for d in NAMES}}
        rec["patient"] = row["patient"]
        rec["date"] = row["date"].strftime("%Y-%m-%d")
        if not pd.isna(row["pga"]):
            rec["pga"] = float(row["pga"])
        rec["prednisone_mg_per_day"] = float(row["prednisone_mg_per_day"])
        for f in ("hemolytic_anemia", "gastrointestinal_activity", "investigational_drug", "maintenance_tolerated"):
            rec[f] = bool(row[f])
        recs.append(rec)
    return recs


def test_polars_and_dict_give_the_same_as_pandas(random_frame):
    df = random_frame
    expected = sledai.assess_frame(df)
    pdf = pl.from_pandas(df)
    out = sledai.assess_frame(pdf)
    assert isinstance(out, pl.DataFrame)
    assert out.columns == SCORE_COLUMNS
    assert out["lldas"].to_list() == list(expected["lldas"])
    assert out["sledai_2k"].to_list() == [None if v is pd.NA else v for v in expected["sledai_2k"]]
    # Totals are small nullable integers; states a polars Enum of the core's vocabulary.
    assert out["sledai_2k"].dtype == pl.Int16 and expected["sledai_2k"].dtype == "Int16"
    assert out["lldas"].dtype == pl.Enum(["met", "not_met", "indeterminate"])
    assert list(expected["lldas"].cat.categories) == ["met", "not_met", "indeterminate"]
    assert out["date"].dtype == pl.Date
    assert out["date"].to_list() == [t.date() for t in expected["date"]]
    d = {c: df[c].to_numpy() for c in NAMES if c not in ("fever", "low_complement")}
    for c in ("fever", "low_complement"):
        d[c] = np.ma.MaskedArray(df[c].to_numpy(dtype=bool, na_value=False), mask=df[c].isna().to_numpy())
    d["patient"] = df["patient"].to_numpy(dtype=object)
    d["date"] = df["date"].to_numpy()
    d["pga"] = df["pga"].to_numpy()
    out = sledai.assess_frame({**d, **{c: df[c].to_numpy() for c in ("prednisone_mg_per_day", "hemolytic_anemia",
                                                                      "gastrointestinal_activity", "investigational_drug",
                                                                      "maintenance_tolerated")}})
    assert isinstance(out, dict) and list(out) == SCORE_COLUMNS
    assert list(out["lldas"]) == list(expected["lldas"])
    assert isinstance(out["sledai_2k"], np.ma.MaskedArray)


def test_rows_follow_the_patient_previous_row_and_order_is_required():
    base = {d: False for d in NAMES}
    df = pd.DataFrame([
        {**base, "arthritis": True, "patient": "A", "date": "2024-01-01"},
        {**base, "rash": True, "patient": "B", "date": "2024-01-01"},
        {**base, "patient": "A", "date": "2024-02-01"},
        {**base, "rash": True, "patient": "B", "date": "2024-02-01"},
    ])
    out = sledai.assess_frame(df)
    assert list(out["change_from_baseline"]) == [0, 0, -4, 0]
    assert list(out["lldas_no_new_activity"]) == ["indeterminate", "indeterminate", "met", "met"]
    assert [t.date().isoformat() for t in out["baseline_date"]] == ["2024-01-01"] * 4
    bad = df.iloc[[2, 0]].reset_index(drop=True)
    with pytest.raises(sledai.InvalidValueError) as e:
        sledai.assess_frame(bad)
    assert e.value.row == 1 and e.value.field == "date"


def test_frame_errors():
    base = {d: [False] for d in NAMES}
    with pytest.raises(sledai.InvalidColumnError) as e:
        sledai.assess_frame(pd.DataFrame({**base, "pgaa": [1.0]}))
    assert e.value.column == "pgaa" and "did you mean `pga`" in str(e.value)
    with pytest.warns(UserWarning, match="not visit fields: 'notes'"):
        out = sledai.assess_frame(pd.DataFrame({**base, "notes": ["x"]}), extra="ignore")
    assert list(out["sledai_2k"]) == [0]
    missing = dict(base)
    del missing["cva"]
    with pytest.raises(sledai.InvalidColumnError, match="cva"):
        sledai.assess_frame(pd.DataFrame(missing))
    with pytest.raises(sledai.InvalidValueError) as e:
        sledai.assess_frame(pd.DataFrame({**base, "rash": [2]}))
    assert e.value.row == 0 and e.value.field == "rash"
    with pytest.raises(sledai.InvalidValueError) as e:
        sledai.assess_frame(pd.DataFrame({**base, "pga": [3.5]}))
    assert e.value.row == 0 and e.value.field == "pga" and str(e.value).startswith("row 0: ")
    with pytest.raises(sledai.InvalidValueError) as e:
        sledai.assess_frame(pd.DataFrame({**base, "hemolytic_anemia": ["maybe"]}))
    assert e.value.field == "hemolytic_anemia"
    with pytest.raises(sledai.InvalidValueError, match="row 0: date: invalid value `2024-01-01T10:00:00`: has a time of day"):
        sledai.assess_frame(pd.DataFrame({**base, "date": [pd.Timestamp("2024-01-01 10:00")]}))
    with pytest.raises(sledai.InvalidValueError) as e:
        sledai.assess_frame([{"present": []}, {"present": [], "pga": float("nan")}])
    assert e.value.row == 1 and e.value.field == "pga"
    with pytest.raises(sledai.InvalidValueError, match="extra"):
        sledai.assess_frame(pd.DataFrame(base), extra="drop")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        sledai.assess_frame("visits.csv")
    with pytest.raises(TypeError):
        sledai.assess_frame([1, 2])


def test_object_columns_and_empty_frames():
    base = {d: [False] for d in NAMES}
    df = pd.DataFrame({**base, "glucocorticoids": [[{"drug": "methylprednisolone", "mg_per_day": 4}]]})
    out = sledai.assess_frame(df)
    assert list(out["prednisone_equivalent_mg_per_day"]) == [5.0]  # `docs/reference.md` section 5
    empty = sledai.assess_frame(pd.DataFrame({d: pd.Series([], dtype=bool) for d in NAMES}))
    assert list(empty.columns) == SCORE_COLUMNS and len(empty) == 0


def test_cohort_matches_the_cli_example():
    recs = records(EXAMPLES / "car_t_visits.jsonl")
    patients, summary = sledai.cohort(frame_of(recs), at=(90, 360), window=14)
    assert list(patients["patient"]) == ["CART-A", "CART-B", "CART-C"]
    a = patients.iloc[0]
    for k, v in CART_A.items():
        assert as_csv_cell(a[k]) == as_csv_cell(v), k
    assert pd.isna(a["day90_sledai_2k_min"]) and pd.isna(a["lldas_sustained"])
    b = patients.iloc[1]
    assert b["day90_no_visit_in_window"] is True or b["day90_no_visit_in_window"] == True  # noqa: E712
    assert pd.isna(b["day90_date"]) and pd.isna(b["day90_sri4"])
    c = patients.iloc[2]
    assert (c["day90_sledai_2k_min"], c["day90_sledai_2k_max"], c["day90_change_min"]) == (2, 8, -8)
    assert summary["n"] == 3
    # The nested form agrees, and shuffling the rows changes nothing (cohorts sort).
    nested, summary2 = sledai.cohort(list(reversed(recs)), at=[90, 360], window=14)
    assert summary2 == summary
    assert nested[0]["patient"] == "CART-A"
    assert nested[0]["lldas"]["time"]["fraction_of_time"] == 0.75
    pl_patients, _ = sledai.cohort(pl.from_pandas(frame_of(recs)), at=(90, 360), window=14)
    assert pl_patients.columns == list(patients.columns)
    assert pl_patients["lldas_time_fraction"].to_list()[0] == 0.75


def test_cohort_options_and_errors():
    recs = records(EXAMPLES / "car_t_visits.jsonl")
    patients, _ = sledai.cohort(recs, at=90, window=(14, 0), sustained_days=180, screening_threshold=10,
                                attribution="half_interval")
    assert patients[0]["screening"]["threshold"] == 10
    assert patients[0]["lldas"]["sustained"]["required_days"] == 180
    assert patients[0]["lldas"]["time"]["rule"] == "half_interval"
    with pytest.raises(sledai.InvalidValueError, match="at"):
        sledai.cohort(recs, at=(90, 90), window=14)
    with pytest.raises(sledai.InvalidValueError):
        sledai.cohort(recs, at=90, window=-1)
    with pytest.raises(sledai.InvalidValueError):
        sledai.cohort(recs, at=(), attribution="forward")  # type: ignore[arg-type]
    with pytest.raises(sledai.InvalidValueError):
        sledai.cohort(recs, at=(), screening_threshold=106)
    with pytest.raises(sledai.InvalidValueError) as e:
        sledai.cohort([{"present": []}], at=())
    assert e.value.row == 0 and e.value.field == "patient"
    dup = [{"patient": "P", "date": "2024-01-01", "present": []}] * 2
    with pytest.raises(sledai.InvalidValueError) as e:
        sledai.cohort(dup, at=())
    assert e.value.patient == "P"
    patients, summary = sledai.cohort(dup, at=(), allow_duplicate_dates=True)
    assert summary["n"] == 1
def test_cohort_flat_output_is_the_cli_csv():
    # cli/tests/golden/car_t.cohort.csv is `sledai cohort ... --at 90 --at 360
    # --window 14 --output-format csv` (its values checked against the
    # hand-derived ones in cli/tests/it/cohort.rs): the same bytes from a
    # pandas and a polars frame, typed cells written as the CSV writes them.
    golden = (EXAMPLES.parent / "cli" / "tests" / "golden" / "car_t.cohort.csv").read_text().splitlines()
    df = frame_of(records(EXAMPLES / "car_t_visits.jsonl"))
    patients, _ = sledai.cohort(df, at=(90, 360), window=14)
    assert ",".join(patients.columns) == golden[0]
    rows = [",".join(as_csv_cell(v) for v in row) for row in patients.astype(object).itertuples(index=False)]
    assert rows == golden[1:]
    pl_patients, _ = sledai.cohort(pl.from_pandas(df), at=(90, 360), window=14)
    pl_rows = [",".join(as_csv_cell(v) for v in row) for row in pl_patients.iter_rows()]
    assert pl_rows == golden[1:]


def test_errors_name_the_frames_row_label():
    # A frame indexed by visit codes: the error names the label, not the position.
    base = {d: [False, False, False] for d in NAMES}
    df = pd.DataFrame({**base, "pga": [0.5, 0.4, 3.5]}, index=["v-10", "v-11", "v-12"])
    with pytest.raises(sledai.InvalidValueError) as e:
        sledai.assess_frame(df)
    assert str(e.value).startswith("row 'v-12': pga") and e.value.row == "v-12" and e.value.field == "pga"
    df = pd.DataFrame({**base, "rash": [0, 2, 0]}, index=[7, 3, 5])
    with pytest.raises(sledai.InvalidValueError) as e:
        sledai.cohort(df.assign(patient="P", date=["2024-01-01", "2024-02-01", "2024-03-01"]), at=90, window=14)
    assert str(e.value).startswith("row 3: rash: invalid value `2`") and e.value.row == 3
    # A default RangeIndex: labels are positions.
    with pytest.raises(sledai.InvalidValueError) as e:
        sledai.assess_frame(df.reset_index(drop=True))
    assert e.value.row == 1


def test_typed_output_columns():
    df = frame_of(records(EXAMPLES / "visits.jsonl"))
    out = sledai.assess_frame(df)
    assert str(out["sledai_2k"].dtype) == "Int16" and str(out["change_from_baseline"].dtype) == "Int16"
    assert isinstance(out["lldas"].dtype, pd.CategoricalDtype)
    assert list(out["lldas"].cat.categories) == ["met", "not_met", "indeterminate"]
    assert str(out["date"].dtype).startswith("datetime64")
    # Dates outside pandas' nanosecond range stay dates.
    far = df.assign(date=pd.Series(["2300-01-01", "2300-04-01", "2300-07-01", "1600-01-01", "1600-03-01", "1600-06-01"]))
    out = sledai.assess_frame(far)
    assert [t.date().isoformat() for t in out["date"]][:1] == ["2300-01-01"]
    assert out["date"].iloc[3].year == 1600


def test_cohort_of_nothing():
    assert sledai.cohort([], at=90, window=14).summary["n"] == 0


def test_cohort_takes_the_required_arguments_of_the_cli():
    # `sledai cohort` has no default endpoint nor window (docs/cli.md):
    # neither has `sledai.cohort`.
    recs = records(EXAMPLES / "car_t_visits.jsonl")
    with pytest.raises(TypeError, match="at"):
        sledai.cohort(recs)  # type: ignore[call-arg]
    with pytest.raises(sledai.InvalidValueError, match="no default") as e:
        sledai.cohort(recs, at=90)
    assert e.value.field == "window"
    # No endpoint needs no window (as `sledai cohort` without --at): the
    # time in LLDAS is still summarised.
    patients, summary = sledai.cohort(recs, at=())
    assert summary["endpoints"] == [] and patients[0]["endpoints"] == []
    assert patients[0]["lldas"]["time"]["fraction_of_time"] == 0.75


def test_arrow_text_columns_read_as_their_python_strings():
    """Text handed over as Arrow buffers (pandas `str`/`string[pyarrow]`/
    ArrowDtype, polars String, sliced and in several chunks) reads as the
    same cells as the same text given as Python objects, nulls, padding,
    empty cells and non-ASCII included."""
    pa = pytest.importorskip("pyarrow")
    patients = ["P1", " P1 ", "Pé", None, "", "P10", "P9", "P9"]
    ids = [f"v{i}" if i % 3 else None for i in range(len(patients))]
    base = {d: [False] * len(patients) for d in NAMES}
    base["rash"] = [True, False, True, False, True, False, True, False]
    dates = pd.to_datetime([f"2024-01-{d:02d}" for d in range(1, len(patients) + 1)])

    def frame(text):
        return pd.DataFrame({**base, "patient": text(patients), "id": text(ids), "date": dates})

    objects = frame(lambda v: pd.Series(v, dtype=object))
    assert objects["patient"].dtype == object
    expected = sledai.assess_frame(objects)
    for text in (
        lambda v: pd.Series(v, dtype="string[pyarrow]"),
        lambda v: pd.Series(v, dtype=pd.ArrowDtype(pa.large_string())),
        lambda v: pd.Series(v, dtype=pd.ArrowDtype(pa.string())),
    ):
        out = sledai.assess_frame(frame(text))
        for c in ("patient", "id", "sledai_2k", "lldas"):
            assert list(out[c]) == list(expected[c]), c
    polars = pl.from_pandas(objects)
    assert polars["patient"].dtype == pl.Utf8
    # A slice (an Arrow offset) and two chunks.
    two = pl.concat([polars.slice(0, 3), polars.slice(3)], rechunk=False)
    assert two["patient"].n_chunks() == 2
    for df, rows in ((polars, slice(None)), (two, slice(None)), (polars.slice(2), slice(2, None))):
        out = sledai.assess_frame(df)
        want = sledai.assess_frame(objects.iloc[rows].reset_index(drop=True))
        for c in ("patient", "id", "sledai_2k"):
            assert out[c].to_list() == [None if v is pd.NA else v for v in want[c]], c
    # The cohort groups the Arrow text as it groups the objects (the rows
    # with a patient).
    named = objects[objects["patient"].notna() & (objects["patient"].str.strip() != "")].reset_index(drop=True)
    want = sledai.cohort(named, at=5, window=3).patients
    for df in (named.astype({"patient": "string[pyarrow]"}), pl.from_pandas(named)):
        got = sledai.cohort(df, at=5, window=3).patients
        assert list(got["patient"]) == list(want["patient"]) == ["P1", "P10", "P9", "Pé"]
        assert list(got["visits"]) == list(want["visits"]) == [2, 1, 2, 1]
