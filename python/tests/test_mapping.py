"""``mapping=`` and ``layout=``: the CAR-T example cohort as a long
(SDTM-like) table and as a REDCap export, read with the same mapping files
as the tool's ``--mapping``, gives exactly what the visit records of
``examples/car_t_visits.jsonl`` give (laid out as a wide frame here, in the
test, independently of the package)."""

from __future__ import annotations

import json
import pathlib

import pandas as pd
import polars as pl
import pytest

import sledai

from conftest import NAMES

EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "examples"
LONG = (EXAMPLES / "car_t_long.csv", EXAMPLES / "car_t_long.mapping.json", "long")
REDCAP = (EXAMPLES / "car_t_redcap.csv", EXAMPLES / "car_t_redcap.mapping.json", "redcap")


def records():
    text = (EXAMPLES / "car_t_visits.jsonl").read_text()
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def wide(recs):
    """The records as a wide frame: one boolean column per descriptor
    (None = not assessed), the other fields as they are."""
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
    df = pd.DataFrame(rows)
    for d in NAMES:
        df[d] = df[d].astype("boolean")
    # pandas stores columns with gaps as float NaN: back to None / int.
    for f in ("baseline", "new_bilag_a", "new_bilag_b", "prednisone_mg_per_day"):
        df[f] = [None if pd.isna(v) else (int(v) if f.startswith("new_") else v) for v in df[f]]
    return df


def read(path, as_text=True):
    if as_text:
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    return pd.read_csv(path)


@pytest.mark.parametrize("path,mapping,layout", [LONG, REDCAP])
@pytest.mark.parametrize("as_text", [True, False])
def test_assess_frame_of_the_export_equals_the_records(path, mapping, layout, as_text):
    expected = sledai.assess_frame(wide(records()))
    got = sledai.assess_frame(read(path, as_text), mapping=mapping, layout=layout)
    pd.testing.assert_frame_equal(got, expected)
    # The mapping as a dict (the file, loaded) and as a str path: the same.
    as_dict = json.loads(pathlib.Path(mapping).read_text())
    pd.testing.assert_frame_equal(sledai.assess_frame(read(path, as_text), mapping=as_dict), expected)
    pd.testing.assert_frame_equal(sledai.assess_frame(read(path, as_text), mapping=str(mapping)), expected)


@pytest.mark.parametrize("path,mapping,layout", [LONG, REDCAP])
def test_cohort_of_the_export_equals_the_records(path, mapping, layout):
    expected, summary = sledai.cohort(wide(records()), at=(90, 360), window=14)
    got, got_summary = sledai.cohort(read(path), at=(90, 360), window=14, mapping=mapping)
    pd.testing.assert_frame_equal(got, expected)
    assert got_summary == summary
    # The same summary as the nested records path.
    _, nested = sledai.cohort(records(), at=(90, 360), window=14)
    assert got_summary == nested
    # polars in, polars out, the same values.
    pl_got, _ = sledai.cohort(pl.read_csv(path, infer_schema_length=0), at=(90, 360), window=14,
                              mapping=mapping, layout=layout)
    assert pl_got.columns == list(expected.columns)
    assert pl_got["patient"].to_list() == ["CART-A", "CART-B", "CART-C"]
    assert pl_got["lldas_time_fraction"].to_list()[0] == expected["lldas_time_fraction"][0]


def test_errors_name_the_row_the_column_the_code_and_the_entry():
    df = read(LONG[0])
    # Row 4 (a frame position; line 6 of the file) is SLEDAI05 of the first visit.
    assert df.loc[4, "QSTESTCD"] == "SLEDAI05"
    df.loc[4, "QSORRES"] = "MAYBE"
    with pytest.raises(sledai.InvalidValueError) as e:
        sledai.assess_frame(df, mapping=LONG[1])
    assert e.value.row == 4
    assert e.value.column == "QSORRES"
    assert e.value.value == "SLEDAI05"
    assert e.value.entry == "long.tests.SLEDAI05"
    assert str(e.value).startswith("row 4, column `QSORRES`, code `SLEDAI05`, mapping entry `long.tests.SLEDAI05`: ")
    # An unknown code; the mapping's own mistakes.
    df = read(LONG[0])
    df.loc[0, "QSTESTCD"] = "SLEDAI99"
    with pytest.raises(sledai.InvalidValueError, match="unknown test code"):
        sledai.assess_frame(df, mapping=LONG[1])
    with pytest.raises(sledai.InvalidValueError, match="mapping entry `long.tests.X`"):
        sledai.assess_frame(read(LONG[0]), mapping={"long": {"test": "QSTESTCD", "result": "QSORRES", "tests": {"X": "rsh"}}})
    with pytest.raises(sledai.InvalidValueError, match="not a redcap one"):
        sledai.assess_frame(read(LONG[0]), mapping=LONG[1], layout="redcap")
    with pytest.raises(TypeError, match="needs mapping="):
        sledai.assess_frame(read(LONG[0]), layout="long")
    with pytest.raises(TypeError, match="visit records"):
        sledai.assess_frame(records(), mapping=LONG[1])


def test_a_wide_mapping_is_renames():
    df = pd.read_csv(EXAMPLES / "redcap_export.csv", encoding="utf-8-sig",
                     dtype={"patient_id": str, "visit_date": str})
    renames = {"patient_id": "patient", "visit_date": "date", "PGA": "pga", "Prednisone": "prednisone_mg_per_day"}
    with pytest.warns(UserWarning, match="redcap_event_name"):
        expected = sledai.assess_frame(df, rename=renames, extra="ignore")
    with pytest.warns(UserWarning, match="redcap_event_name"):
        got = sledai.assess_frame(df, mapping={"rename": renames}, extra="ignore")
    pd.testing.assert_frame_equal(got, expected)
