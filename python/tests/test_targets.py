"""sledai.lldas, sledai.doris and sledai.classify against hand cases from
`docs/reference.md` (sections 2, 3, 5 and 6) and issues 3 and 8, and every
error path of the record conversion."""

from __future__ import annotations

import dataclasses
import math

import pytest

import sledai

# 2 + 2 = 4 (`docs/reference.md` section 1.2)
SEROLOGY_ONLY = ["low_complement", "increased_dna_binding"]


def lldas_visit(**overrides):
    """Every LLDAS input recorded and favourable, serology-only SLEDAI-2K 4."""
    v = {
        "present": SEROLOGY_ONLY,
        "pga": 1.0,
        "prednisone_mg_per_day": 7.5,
        "hemolytic_anemia": False,
        "gastrointestinal_activity": False,
        "maintenance_tolerated": True,
        "investigational_drug": False,
    }
    v.update(overrides)
    return v


# ------------------------------------------------------------------ LLDAS


def test_lldas_serology_only_4_pga_1_0_and_7_5_mg_is_met():
    # `docs/reference.md` section 2: SLEDAI-2K <= 4 with serology allowed, PGA <= 1,
    # prednisolone <= 7.5 mg/day.
    r = sledai.lldas(lldas_visit(), previous={"present": SEROLOGY_ONLY})
    assert r.state == "met"
    assert [c.state for c in r.criteria] == ["met"] * 5
    assert [c.criterion for c in r.criteria] == [
        "lldas_activity", "lldas_no_new_activity", "lldas_pga", "lldas_glucocorticoid", "lldas_maintenance",
    ]


def test_lldas_pga_1_1_is_not_met():
    r = sledai.lldas(lldas_visit(pga=1.1), previous={"present": SEROLOGY_ONLY})
    assert r.state == "not_met"
    assert r.criterion("lldas_pga").state == "not_met"
    assert r.criterion("lldas_pga").observed == "PGA 1.1"


@pytest.mark.parametrize("mg, state", [(7.5, "met"), (7.6, "not_met")])
def test_lldas_prednisone_cut_off(mg, state):
    r = sledai.lldas(lldas_visit(prednisone_mg_per_day=mg), previous={"present": SEROLOGY_ONLY})
    assert r.criterion("lldas_glucocorticoid").state == state


@pytest.mark.parametrize("mg, state", [(6.0, "met"), (6.4, "not_met")])
def test_lldas_methylprednisolone_regimen(mg, state):
    # `docs/reference.md` section 5: methylprednisolone 4 mg = prednisone 5 mg, so 6 mg = 7.5.
    v = lldas_visit()
    del v["prednisone_mg_per_day"]
    v["glucocorticoids"] = [{"drug": "methylprednisolone", "mg_per_day": mg}]
    r = sledai.lldas(v, previous={"present": SEROLOGY_ONLY})
    assert r.criterion("lldas_glucocorticoid").state == state
    assert r.state == state


@pytest.mark.parametrize("name", ["seizure", "vasculitis", "proteinuria", "pleurisy", "fever"])
def test_lldas_major_organ_descriptor_blocks(name):
    # `docs/reference.md` section 2 policy: major organ activity from the SLEDAI-2K items.
    r = sledai.lldas(lldas_visit(present=[name]), previous={"present": [name]})
    assert r.criterion("lldas_activity").state == "not_met"
    assert r.state == "not_met"


def test_lldas_first_visit_criterion_2_indeterminate_unless_stated():
    r = sledai.lldas(lldas_visit())
    assert r.criterion("lldas_no_new_activity").state == "indeterminate"
    assert r.state == "indeterminate"
    assert sledai.lldas(lldas_visit(new_activity=False)).state == "met"


def test_lldas_new_feature_compared_with_previous():
    r = sledai.lldas(lldas_visit(present=["rash"]), previous={"present": []})
    assert r.criterion("lldas_no_new_activity").state == "not_met"


def test_lldas_empty_form_is_never_met():
    # `docs/reference.md` section 8: an empty form must not report "LLDAS met".
    r = sledai.lldas({"descriptors": {}})
    assert r.state == "indeterminate"
    assert all(c.state == "indeterminate" for c in r.criteria)


def test_lldas_contradicting_statement_is_an_error():
    with pytest.raises(sledai.InvalidValueError) as e:
        sledai.lldas(lldas_visit(present=["rash"], new_activity=False), previous={"present": []})
    assert e.value.field == "new_activity"


def test_lldas_measurements_are_derived_as_in_the_cli():
    # Platelets 87,000/mm3 < 100,000 (`docs/reference.md` section 1.3): thrombocytopenia, 1 point.
    v = lldas_visit(
        date="2024-07-01",
        present=None,
        descriptors={d: False for d in sledai.IDENTIFIERS if d != "thrombocytopenia"},
        measurements=[{"date": "2024-06-28", "platelets": {"value": 87000, "unit": "/mm3"}}],
    )
    del v["present"]
    r = sledai.lldas(v, previous={"present": ["thrombocytopenia"]})
    assert "thrombocytopenia" in r.criterion("lldas_activity").observed
    assert r.state == "met"


def test_result_objects():
    r = sledai.lldas(lldas_visit(), previous={"present": SEROLOGY_ONLY})
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.state = "not_met"  # type: ignore[misc]
    d = r.to_dict()
    assert d["state"] == "met" and len(d["criteria"]) == 5
    assert set(d["criteria"][0]) == {"criterion", "state", "observed", "threshold", "reason"}
    text = repr(r)
    assert text.startswith("LLDAS: met")
    assert text.count("\n") == 5
    with pytest.raises(KeyError):
        r.criterion("doris_pga")


# ------------------------------------------------------------------ DORIS


@pytest.mark.parametrize(
    "pga, reading, state",
    [
        (0.4, "doris_2021_below_half", "met"),
        (0.5, "doris_2021_below_half", "not_met"),  # `docs/reference.md` section 3: < 0.5
        (0.5, "golder_2020_at_most_half", "met"),  # the review reading, <= 0.5
        (0.5, "doris_2017_at_most_half", "met"),  # its former name, still read
        (0.6, "doris_2017_at_most_half", "not_met"),
    ],
)
def test_doris_pga(pga, reading, state):
    v = {"present": SEROLOGY_ONLY, "pga": pga, "prednisone_mg_per_day": 5}
    assert sledai.doris(v, pga_reading=reading).state == state


@pytest.mark.parametrize(
    "mg, reading, state",
    [(5.0, "at_most_5_mg", "met"), (5.1, "at_most_5_mg", "not_met"), (5.0, "below_5_mg", "not_met")],
)
def test_doris_glucocorticoid(mg, reading, state):
    v = {"present": [], "pga": 0.0, "prednisone_mg_per_day": mg}
    assert sledai.doris(v, glucocorticoid_reading=reading).state == state


def test_doris_clinical_activity_blocks_and_sledai_0_alone_is_not_remission():
    assert sledai.doris({"present": ["alopecia"], "pga": 0, "prednisone_mg_per_day": 0}).state == "not_met"
    # `docs/reference.md` section 8: SLEDAI 0 is not remission without PGA and dose.
    assert sledai.doris({"present": []}).state == "indeterminate"


# ------------------------------------------------------------- errors


def test_nan_is_an_error_not_null():
    with pytest.raises(sledai.InvalidValueError) as e:
        sledai.lldas(lldas_visit(pga=float("nan")))
    assert e.value.field == "pga"
    assert e.value.value == "nan"
    with pytest.raises(sledai.InvalidValueError) as e:
        sledai.doris({"present": [], "measurements": [{"date": "2024-01-01", "platelets": {"value": math.inf, "unit": "/mm3"}}], "date": "2024-01-02"})
    assert e.value.field == "measurements[0].platelets.value"


@pytest.mark.parametrize(
    "field, value, fragment",
    [
        ("pga", 3.5, "out of range"),
        ("pga", "1", "invalid type"),
        ("hemolytic_anemia", "no", "invalid type"),
        ("hemolytic_anemia", 1, "invalid type"),
        ("date", "2024-02-30", "2024-02-30"),
        ("prednisone_mg_per_day", -1, "-1"),
        ("new_bilag_a", 1.5, "invalid type"),
    ],
)
def test_bad_fields_name_field_and_value(field, value, fragment):
    with pytest.raises(sledai.InvalidValueError) as e:
        sledai.lldas(lldas_visit(**{field: value}))
    assert e.value.field == field
    assert fragment in str(e.value)
    assert str(e.value).startswith(f"field `{field}`")


def test_unknown_field_and_descriptor():
    with pytest.raises(sledai.InvalidValueError, match="unknown field `pgaa`"):
        sledai.lldas({"present": [], "pgaa": 1.0})
    with pytest.raises(sledai.UnknownDescriptorError) as e:
        sledai.lldas({"present": ["rsh"]})
    assert e.value.suggestion == "rash"
    with pytest.raises(sledai.UnknownDescriptorError):
        sledai.doris({"descriptors": {"arthritus": True}})


def test_structural_errors():
    with pytest.raises(sledai.InvalidValueError, match="exactly one of"):
        sledai.lldas({"present": [], "descriptors": {}})
    with pytest.raises(sledai.InvalidValueError, match="needs `present`"):
        sledai.lldas({"pga": 1.0})
    with pytest.raises(sledai.InvalidValueError, match="not both"):
        sledai.lldas({"present": [], "prednisone_mg_per_day": 5, "glucocorticoids": []})
    with pytest.raises(sledai.InvalidValueError) as e:
        sledai.lldas({"present": [], "date": "2024-01-01", "measurements": [{"date": "2024-01-01", "platelets": 87000}]})
    assert e.value.field.startswith("measurements[0]")
    with pytest.raises(sledai.InvalidValueError) as e:
        sledai.lldas({"present": []}, previous={"present": [], "pga": 9})
    assert e.value.field == "previous.pga"
    with pytest.raises(sledai.InvalidValueError, match="time of day"):
        import datetime

        sledai.lldas({"present": [], "date": datetime.datetime(2024, 1, 1, 12)})
    with pytest.raises(sledai.InvalidValueError, match="keys must be str"):
        sledai.lldas({"present": [], 1: 2})
    with pytest.raises(sledai.InvalidValueError, match="unsupported type"):
        sledai.lldas({"present": [], "id": object()})
    with pytest.raises(TypeError):
        sledai.lldas(["rash"])  # type: ignore[arg-type]


def test_lab_conflict_is_an_error_by_default_and_an_option_otherwise():
    v = {
        "date": "2024-07-01",
        "descriptors": {"thrombocytopenia": False},
        "measurements": [{"date": "2024-06-30", "platelets": {"value": 50, "unit": "10^9/L"}}],
    }
    with pytest.raises(sledai.InvalidValueError) as e:
        sledai.lldas(v)
    assert e.value.field == "measurements"
    assert e.value.value == "thrombocytopenia"
    assert sledai.lldas(v, conflicts="keep_clinician").state in ("not_met", "indeterminate")
    v2 = {"present": [], "measurements": []}
    with pytest.raises(sledai.InvalidValueError, match="date"):
        sledai.lldas(v2)


def test_accepts_python_and_numpy_values():
    import datetime

    import numpy as np

    r = sledai.lldas(
        {
            "present": (d for d in []) and [],
            "date": datetime.date(2024, 1, 1),
            "pga": np.float64(1.0),
            "prednisone_mg_per_day": np.int64(5),
            "hemolytic_anemia": np.bool_(False),
            "gastrointestinal_activity": False,
            "maintenance_tolerated": True,
            "investigational_drug": False,
            "new_activity": False,
        }
    )
    assert r.state == "met"


@pytest.mark.parametrize(
    "option, value",
    [("lab_window", 20), ("lab_selection", "latest"), ("conflicts", "ignore"), ("betamethasone", "0.5"), ("upcr", None)],
)
def test_bad_options(option, value):
    if value is None:
        with pytest.raises(TypeError):
            sledai.lldas({"present": []}, upcr="yes")  # type: ignore[arg-type]
        return
    with pytest.raises(sledai.InvalidValueError) as e:
        sledai.lldas({"present": []}, **{option: value})
    assert e.value.field == option
    with pytest.raises(sledai.InvalidValueError):
        sledai.doris({"present": []}, pga_reading="2021")  # type: ignore[arg-type]


# ------------------------------------------------------- classification

NONE = dict.fromkeys(sledai.CLASSIFICATION_CRITERIA, False)


def classify(ana, **present):
    return sledai.classify({"ana": ana, "criteria": {**NONE, **present}})


def test_classification_hand_cases_issue_8():
    # Entry criterion absent, everything else present: not classified.
    everything = dict.fromkeys(sledai.CLASSIFICATION_CRITERIA, True)
    r = sledai.classify({"ana": False, "criteria": everything})
    assert r.outcome == "not_classified"
    assert r.total == 51  # the maximum (`docs/reference.md` section 6)
    # Renal biopsy class III/IV alone: 10, classified.
    r = classify(True, renal_biopsy_class_iii_or_iv=True)
    assert (r.outcome, r.total, r.points) == ("classified", 10, (10, 10))
    # anti-dsDNA + low C3 and C4 = 10 without a clinical criterion: not classified.
    r = classify(True, anti_dsdna_or_anti_smith=True, low_c3_and_low_c4=True)
    assert (r.outcome, r.total, r.clinical_criterion) == ("not_classified", 10, "not_met")
    # Leukopenia + thrombocytopenia count 4 in their domain, not 7.
    r = classify(True, leukopenia=True, thrombocytopenia=True)
    assert r.total == 4
    hem = [d for d in r.domains if d.domain == "hematologic"][0]
    assert (hem.points, hem.criterion) == (4, "thrombocytopenia")
    assert len(r.domains) == 10


def test_classification_thresholds_from_raw_values():
    # Aringer 2019: fever > 38.3 C, leukopenia < 4.0 x 10^9/L (strict);
    # exactly 38.3 C and exactly 4,000/mm3 (= 4.0 x 10^9/L) do not count.
    r = sledai.classify({"ana": True, "measurements": {
        "max_temperature": {"value": 38.3, "unit": "C"},
        "min_white_cells": {"value": 4000, "unit": "/mm3"}}})
    assert "fever" not in [d.criterion for d in r.domains]
    assert "leukopenia" not in [d.criterion for d in r.domains]
    r = sledai.classify({"ana": True, "measurements": {"max_temperature": {"value": 38.4, "unit": "C"}}})
    assert [d.criterion for d in r.domains if d.domain == "constitutional"] == ["fever"]
    # 4,000 platelets per mm3 is severe thrombocytopenia, not 4,000 x 10^9/L.
    r = sledai.classify({"ana": True, "measurements": {"min_platelets": {"value": 4000, "unit": "/mm3"}}})
    assert [d.criterion for d in r.domains if d.domain == "hematologic"] == ["thrombocytopenia"]


def test_classification_indeterminate_and_outputs():
    r = sledai.classify({"ana": True, "criteria": {"renal_biopsy_class_ii_or_v": True}})
    assert r.outcome == "indeterminate"
    assert r.total is None and r.points == (8, 51)
    assert repr(r) == r.explanation and "indeterminate" in repr(r)
    d = r.to_dict()
    assert d["outcome"] == "indeterminate" and d["points"] == {"min": 8, "max": 51}
    d["outcome"] = "x"
    assert r.to_dict()["outcome"] == "indeterminate"  # a copy


def test_classification_errors():
    with pytest.raises(sledai.InvalidValueError) as e:
        sledai.classify({"ana": True, "criteria": {"fevr": True}})
    assert "fever" in str(e.value)
    with pytest.raises(sledai.InvalidValueError) as e:
        sledai.classify({"ana_titre": "1:abc"})
    assert e.value.field == "ana_titre"
    with pytest.raises(sledai.InvalidValueError) as e:
        sledai.classify({"measurements": {"max_temperature": {"value": float("nan"), "unit": "C"}}})
    assert e.value.field.startswith("measurements.max_temperature")
    with pytest.raises(sledai.InvalidValueError):
        sledai.classify({"measurements": {"min_platelets": 80}})  # a number without its unit
    with pytest.raises(sledai.InvalidValueError):
        sledai.classify({"ana": True, "unknown": 1})
    with pytest.raises(TypeError):
        sledai.classify("ana")  # type: ignore[arg-type]
