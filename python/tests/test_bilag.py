"""BILAG-2004 grades, BICLA, SRI-k and the DORIS 2017 variants through the
Python surface (docs/bilag.md). Expected values are derived by hand from
the rules (reference sections 9 and 10), not from the output."""

import pytest

import sledai

BASE = {
    "patient": "P1", "date": "2024-01-01", "present": ["proteinuria", "arthritis"], "pga": 1.0,
    "prednisone_mg_per_day": 10,
    "bilag": {"constitutional": "E", "mucocutaneous": "E", "neuropsychiatric": "E",
              "musculoskeletal": "B", "cardiorespiratory": "E", "gastrointestinal": "E",
              "ophthalmic": "E", "renal": "A", "haematological": "E"},
}
LATER = {
    "patient": "P1", "date": "2024-04-01", "present": [], "pga": 1.3, "prednisone_mg_per_day": 0,
    "treatment_failure": False, "on_immunosuppressant": False, "on_biologic": False,
    "on_antimalarial": True,
    "bilag": dict(BASE["bilag"], musculoskeletal="C", renal="C"),
}


def test_records_carry_grades_and_report_the_measures():
    base, later = sledai.assess_frame([BASE, LATER])
    # A 12 + B 8 = 20; C + C = 2 (Yee 2010).
    assert base["bilag_numeric"] == 20
    assert later["bilag_numeric"] == 2
    assert (later["bilag_new_a"], later["bilag_new_b"]) == (0, 0)
    assert later["bilag_flare"] == "none"
    # Every BICLA rule holds; PGA +0.3 is not significant under scale_10pct.
    assert later["bicla"] == "met"
    # SLEDAI-2K 8 -> 0: reduction 8 meets SRI-4..8; PGA +0.3 is worsening.
    assert later["sri_4"] == "not_met"
    assert later["sri_4_criteria"]["pga"]["state"] == "not_met"
    # DORIS 2017: PGA 1.3 fails every variant.
    assert later["doris_2017_clinical_off_treatment"] == "not_met"
    assert "bicla" not in base


def test_policy_keywords():
    later = sledai.assess_frame([BASE, LATER], bicla_pga="sri_like")[1]
    assert later["bicla"] == "not_met"
    with pytest.raises(ValueError, match="bicla_pga"):
        sledai.assess_frame([BASE, LATER], bicla_pga="scale-10pct")


def test_bad_grade_names_field_and_value():
    bad = dict(BASE, bilag={"renal": "a"})
    with pytest.raises(ValueError, match="bilag.renal: invalid value `a`"):
        sledai.assess_frame([bad])
    with pytest.raises(ValueError, match="not both"):
        sledai.assess_frame([dict(BASE, new_bilag_a=0)])


def test_bilag_columns_in_a_frame():
    pd = pytest.importorskip("pandas")
    assert sledai.BILAG_COLUMNS[7] == "bilag_renal"
    frame = pd.DataFrame({
        "patient": ["P1", "P1"], "date": ["2024-01-01", "2024-04-01"],
        "bilag_renal": ["A", "C"], "bilag_musculoskeletal": ["B", None],
        "pga": [1.0, 1.0],
        **{d: [0, 0] for d in sledai.IDENTIFIERS},
    })
    out = sledai.assess_frame(frame)
    # Seven systems not recorded: the numeric score is open.
    assert out["bilag_numeric"].isna().all()
    # Musculoskeletal B at baseline, not recorded now: rule 1 is open.
    assert out["bicla"].iloc[1] == "indeterminate"


def test_cohort_endpoints_report_bicla_and_doris_off_treatment():
    result = sledai.cohort([BASE, LATER], at=90, window=14)
    patient = result.patients[0]
    endpoint = patient["endpoints"][0]
    # Day 91 is in the window; BICLA met as above; LLDAS is not met (PGA 1.3
    # > 1, Franklyn 2016 criterion 3), so neither is the dual responder.
    assert endpoint["bicla"] == "met"
    assert endpoint["lldas_bicla"] == "not_met"
    # A glucocorticoid at baseline, PGA 1.3 after: never in DORIS off treatment.
    assert patient["doris_off_treatment"]["time"]["fraction_of_time"] == 0.0
    assert result.summary["endpoints"][0]["responses"]["bicla"]["met"] == 1
