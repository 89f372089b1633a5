//! Tests of the 2019 EULAR/ACR classification criteria against independent
//! facts: the weights and domains transcribed here from
//! `docs/reference.md` section 6 (Aringer M et al., Ann Rheum Dis
//! 2019;78:1151-9), hand-computed cases, exhaustive enumeration of every
//! combination of criteria, and properties over completions of missing
//! data.

// A failed unwrap is a failed test, with its message.
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use sledai::classification::{
    AnaTitre, BodyTemperature, ClassificationCriterion, ClassificationInput, CriterionSet, Domain,
    DomainKind, ExtremeValues, LeukocyteCount, MAX_POINTS, Outcome, PlateletCount, THRESHOLD,
    UrineProtein,
};
use sledai::units::CountUnit::{GigaPerLitre, PerCubicMillimetre, PerMicrolitre};
use sledai::units::ProteinUnit::{GramsPer24h, MilligramsPer24h};
use sledai::units::TemperatureUnit::{Celsius, Fahrenheit};
use sledai::{Error, Finding, TriState};

/// The ten domains of `docs/reference.md` section 6, in its order; the
/// first seven are clinical.
const REF_DOMAINS: [&str; 10] = [
    "constitutional",
    "hematologic",
    "neuropsychiatric",
    "mucocutaneous",
    "serosal",
    "musculoskeletal",
    "renal",
    "antiphospholipid_antibodies",
    "complement_proteins",
    "sle_specific_antibodies",
];
const REF_CLINICAL_DOMAINS: usize = 7;

/// The weighted criteria of `docs/reference.md` section 6 (Aringer 2019),
/// transcribed by hand from the reference table, not read from the crate:
/// (identifier, index into REF_DOMAINS, points).
const REFERENCE: [(&str, usize, u8); 21] = [
    ("fever", 0, 2),                               // fever > 38.3 °C
    ("leukopenia", 1, 3),                          // < 4.0 x 10^9/L
    ("thrombocytopenia", 1, 4),                    // < 100 x 10^9/L
    ("autoimmune_hemolysis", 1, 4),                //
    ("delirium", 2, 2),                            //
    ("psychosis", 2, 3),                           //
    ("seizure", 2, 5),                             //
    ("non_scarring_alopecia", 3, 2),               //
    ("oral_ulcers", 3, 2),                         //
    ("subacute_cutaneous_or_discoid_lupus", 3, 4), //
    ("acute_cutaneous_lupus", 3, 6),               //
    ("pleural_or_pericardial_effusion", 4, 5),     //
    ("acute_pericarditis", 4, 6),                  //
    ("joint_involvement", 5, 6),                   //
    ("proteinuria", 6, 4),                         // > 0.5 g/24 h
    ("renal_biopsy_class_ii_or_v", 6, 8),          //
    ("renal_biopsy_class_iii_or_iv", 6, 10),       //
    ("antiphospholipid_antibodies", 7, 2),         // aCL, anti-b2GPI or LA
    ("low_c3_or_low_c4", 8, 3),                    //
    ("low_c3_and_low_c4", 8, 4),                   //
    ("anti_dsdna_or_anti_smith", 9, 6),            //
];

fn c(id: &str) -> ClassificationCriterion {
    id.parse().expect("reference identifier parses")
}

/// The crate criterion for reference row `i`.
fn ref_criterion(i: usize) -> ClassificationCriterion {
    c(REFERENCE[i].0)
}

/// Independent evaluator over a mask in REFERENCE order: the highest
/// weight per domain, summed (Aringer 2019).
fn ref_points(mask: u32) -> u8 {
    let mut best = [0u8; 10];
    for (i, &(_, d, p)) in REFERENCE.iter().enumerate() {
        if mask & (1 << i) != 0 && p > best[d] {
            best[d] = p;
        }
    }
    best.iter().sum()
}

fn ref_has_clinical(mask: u32) -> bool {
    REFERENCE
        .iter()
        .enumerate()
        .any(|(i, &(_, d, _))| mask & (1 << i) != 0 && d < REF_CLINICAL_DOMAINS)
}

/// Classifies (entry met) iff >= 10 points and a clinical criterion.
fn ref_classifies(mask: u32) -> bool {
    ref_points(mask) >= 10 && ref_has_clinical(mask)
}

fn entry_met(present: &[ClassificationCriterion]) -> ClassificationInput {
    ClassificationInput::from_present(present.iter().copied()).with_entry(Finding::Present)
}

// ---------------------------------------------------------------------------
// The table against the reference
// ---------------------------------------------------------------------------

#[test]
fn table_matches_reference_section_6() {
    assert_eq!(ClassificationCriterion::ALL.len(), REFERENCE.len());
    let mut seen = CriterionSet::EMPTY;
    for &(id, d, points) in &REFERENCE {
        let crit = c(id);
        assert!(!seen.contains(crit), "{id} twice");
        seen = seen.with(crit);
        assert_eq!(crit.id(), id);
        assert_eq!(crit.points(), points, "{id} weight");
        assert_eq!(crit.domain().id(), REF_DOMAINS[d], "{id} domain");
        assert_eq!(crit.is_clinical(), d < REF_CLINICAL_DOMAINS, "{id} kind");
    }
    assert_eq!(seen, CriterionSet::FULL);
    let ids: Vec<&str> = Domain::ALL.iter().map(|d| d.id()).collect();
    assert_eq!(ids, REF_DOMAINS);
    for (i, d) in Domain::ALL.iter().enumerate() {
        let kind = if i < REF_CLINICAL_DOMAINS {
            DomainKind::Clinical
        } else {
            DomainKind::Immunologic
        };
        assert_eq!(d.kind(), kind);
    }
    // Reference: "Classify as SLE with >= 10 points ... Maximum 51."
    assert_eq!(THRESHOLD, 10);
    assert_eq!(MAX_POINTS, 51);
}

// ---------------------------------------------------------------------------
// Hand cases of issue 8 (values from `docs/reference.md` section 6)
// ---------------------------------------------------------------------------

#[test]
fn entry_absent_with_everything_else_present_is_not_classified() {
    let r = sledai::classification::evaluate(
        &ClassificationInput::from_present(ClassificationCriterion::ALL)
            .with_entry(Finding::Absent),
    )
    .unwrap();
    assert_eq!(r.outcome(), Outcome::NotClassified);
    assert_eq!(r.entry_criterion(), TriState::NotMet);
    assert_eq!(r.clinical_criterion(), TriState::Met);
    assert_eq!(r.total(), Some(51));
}

#[test]
fn renal_biopsy_class_iii_or_iv_alone_classifies() {
    // 10 points, clinical (renal domain).
    let r =
        sledai::classification::evaluate(&entry_met(&[c("renal_biopsy_class_iii_or_iv")])).unwrap();
    assert_eq!(r.outcome(), Outcome::Classified);
    assert_eq!(r.total(), Some(10));
    assert_eq!(r.domain(Domain::Renal).points(), 10);
    assert_eq!(
        r.domain(Domain::Renal).criterion(),
        Some(c("renal_biopsy_class_iii_or_iv"))
    );
    assert_eq!(r.clinical_criterion(), TriState::Met);
}

#[test]
fn serology_alone_does_not_classify() {
    // anti-dsDNA (6) + low C3 and low C4 (4) = 10, no clinical criterion:
    // the rule the one public implementation found omits.
    let r = sledai::classification::evaluate(&entry_met(&[
        c("anti_dsdna_or_anti_smith"),
        c("low_c3_and_low_c4"),
    ]))
    .unwrap();
    assert_eq!(r.total(), Some(10));
    assert_eq!(r.clinical_criterion(), TriState::NotMet);
    assert_eq!(r.outcome(), Outcome::NotClassified);
    // One clinical criterion more classifies.
    let r = sledai::classification::evaluate(&entry_met(&[
        c("anti_dsdna_or_anti_smith"),
        c("low_c3_and_low_c4"),
        c("oral_ulcers"),
    ]))
    .unwrap();
    assert_eq!(r.outcome(), Outcome::Classified);
    assert_eq!(r.total(), Some(12));
}

#[test]
fn leukopenia_and_thrombocytopenia_count_4_not_7() {
    let r = sledai::classification::evaluate(&entry_met(&[c("leukopenia"), c("thrombocytopenia")]))
        .unwrap();
    assert_eq!(r.domain(Domain::Hematologic).points(), 4);
    assert_eq!(
        r.domain(Domain::Hematologic).criterion(),
        Some(c("thrombocytopenia"))
    );
    assert_eq!(r.total(), Some(4));
    // Same in the complement domain: 4, not 3 + 4.
    let r = sledai::classification::evaluate(&entry_met(&[
        c("low_c3_or_low_c4"),
        c("low_c3_and_low_c4"),
    ]))
    .unwrap();
    assert_eq!(r.total(), Some(4));
}

#[test]
fn maximum_is_51() {
    // 2 + 4 + 5 + 6 + 6 + 6 + 10 + 2 + 4 + 6 (highest of each domain).
    let r = sledai::classification::evaluate(&entry_met(&ClassificationCriterion::ALL)).unwrap();
    assert_eq!(r.total(), Some(51));
    assert_eq!(r.outcome(), Outcome::Classified);
    assert_eq!(
        sledai::classification::evaluate(&ClassificationInput::not_assessed())
            .unwrap()
            .points()
            .max(),
        51
    );
}

fn with_fever_and_wbc(temp: f64, wbc: f64) -> ClassificationInput {
    ClassificationInput::from_present([])
        .with_entry(Finding::Present)
        .with(c("fever"), Finding::NotAssessed)
        .with(c("leukopenia"), Finding::NotAssessed)
        .with_measurements(
            ExtremeValues::new()
                .with_max_temperature(BodyTemperature::new(temp, Celsius).unwrap())
                .with_min_white_cells(LeukocyteCount::new(wbc, GigaPerLitre).unwrap()),
        )
}

#[test]
fn fever_exactly_38_3_and_leukopenia_exactly_4_0_do_not_count() {
    // `docs/reference.md` section 6: fever > 38.3 °C, leukopenia < 4.0 x 10^9/L (strict).
    let r = sledai::classification::evaluate(&with_fever_and_wbc(38.3, 4.0)).unwrap();
    assert_eq!(r.total(), Some(0));
    assert!(r.absent().contains(c("fever")));
    assert!(r.absent().contains(c("leukopenia")));
    assert!(r.not_assessed().is_empty());

    let r = sledai::classification::evaluate(&with_fever_and_wbc(38.4, 3.9)).unwrap();
    assert_eq!(r.domain(Domain::Constitutional).points(), 2);
    assert_eq!(r.domain(Domain::Hematologic).points(), 3);
    assert_eq!(r.total(), Some(5));
    // The SLEDAI-2K thresholds (38.0 °C, 3.0 x 10^9/L) are not these.
    let r = sledai::classification::evaluate(&with_fever_and_wbc(38.2, 3.5)).unwrap();
    assert_eq!(r.total(), Some(3));
}

#[test]
fn platelets_exactly_100_and_proteinuria_exactly_0_5_do_not_count() {
    let base = ClassificationInput::not_assessed();
    let m = |plt: f64, prot: f64| {
        ExtremeValues::new()
            .with_min_platelets(PlateletCount::new(plt, GigaPerLitre).unwrap())
            .with_max_urine_protein_24h(UrineProtein::new(prot, GramsPer24h).unwrap())
    };
    let r = sledai::classification::evaluate(&base.with_measurements(m(100.0, 0.5))).unwrap();
    assert!(r.absent().contains(c("thrombocytopenia")));
    assert!(r.absent().contains(c("proteinuria")));
    let r = sledai::classification::evaluate(&base.with_measurements(m(99.0, 0.6))).unwrap();
    assert_eq!(r.domain(Domain::Hematologic).points(), 4);
    assert_eq!(r.domain(Domain::Renal).points(), 4);
}

// ---------------------------------------------------------------------------
// Entry criterion and ANA titre
// ---------------------------------------------------------------------------

#[test]
fn ana_titre_decides_the_entry_criterion() {
    let input = ClassificationInput::from_present([c("renal_biopsy_class_iii_or_iv")]);
    for (titre, met) in [
        ("1:40", false),
        ("1:79", false),
        ("1:80", true),
        ("1:160", true),
        ("1:1280", true),
    ] {
        let r = sledai::classification::evaluate(&input.with_ana_titre(titre.parse().unwrap()))
            .unwrap();
        assert_eq!(r.entry_criterion(), TriState::from_bool(met), "{titre}");
        let expected = if met {
            Outcome::Classified
        } else {
            Outcome::NotClassified
        };
        assert_eq!(r.outcome(), expected, "{titre}");
    }
    // Entry not assessed, no titre: the answer depends on it.
    assert_eq!(
        sledai::classification::evaluate(&input).unwrap().outcome(),
        Outcome::Indeterminate
    );
}

#[test]
fn malformed_titres_are_typed_errors_naming_field_and_value() {
    for bad in [
        "",
        "80",
        "1:",
        "1:0",
        "1:080",
        "1: 80",
        " 1:80",
        "1:80 ",
        "2:80",
        "1/80",
        "1:-80",
        "1:+80",
        "1:8O",
        "1:80.0",
        "1:99999999999",
        "positive",
    ] {
        match bad.parse::<AnaTitre>() {
            Err(Error::InvalidValue { field, value, .. }) => {
                assert_eq!(field, "ana_titre", "{bad:?}");
                assert_eq!(&*value, bad);
            }
            other => panic!("{bad:?} gave {other:?}"),
        }
    }
    assert!(AnaTitre::new(0).is_err());
    // The same through serde.
    let err = serde_json::from_str::<ClassificationInput>(r#"{"ana_titre": "1/80"}"#).unwrap_err();
    assert!(
        err.to_string().contains("ana_titre: invalid value `1/80`"),
        "{err}"
    );
}

#[test]
fn titre_contradicting_the_entry_finding_is_an_error() {
    let input = ClassificationInput::not_assessed()
        .with_entry(Finding::Absent)
        .with_ana_titre("1:160".parse().unwrap());
    match sledai::classification::evaluate(&input) {
        Err(Error::InvalidValue {
            field,
            value,
            reason,
            ..
        }) => {
            assert_eq!(field, "ana");
            assert_eq!(&*value, "absent");
            assert!(reason.contains("1:160"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    // Agreeing inputs are fine.
    let ok = ClassificationInput::not_assessed()
        .with_entry(Finding::Present)
        .with_ana_titre("1:160".parse().unwrap());
    assert_eq!(
        sledai::classification::evaluate(&ok)
            .unwrap()
            .entry_criterion(),
        TriState::Met
    );
}

// ---------------------------------------------------------------------------
// Attribution, measurements, validation
// ---------------------------------------------------------------------------

#[test]
fn a_more_likely_explanation_removes_the_criterion() {
    // Thrombocytopenia (4) explained by a drug; joint involvement (6) alone
    // is 6: not classified.
    let input = entry_met(&[c("thrombocytopenia"), c("joint_involvement")])
        .with_more_likely_explanation(c("thrombocytopenia"));
    let r = sledai::classification::evaluate(&input).unwrap();
    assert_eq!(r.total(), Some(6));
    assert_eq!(r.outcome(), Outcome::NotClassified);
    assert_eq!(
        r.explained().iter().collect::<Vec<_>>(),
        [c("thrombocytopenia")]
    );
    // An explained criterion that was not assessed cannot count either.
    let r = sledai::classification::evaluate(
        &entry_met(&[c("joint_involvement")])
            .with(c("seizure"), Finding::NotAssessed)
            .with_more_likely_explanation(c("seizure")),
    )
    .unwrap();
    assert_eq!(r.outcome(), Outcome::NotClassified);
    assert!(r.not_assessed().is_empty());
    // Explained by a raw value too.
    let r = sledai::classification::evaluate(
        &ClassificationInput::from_present([])
            .with(c("fever"), Finding::NotAssessed)
            .with_measurements(
                ExtremeValues::new()
                    .with_max_temperature(BodyTemperature::new(39.5, Celsius).unwrap()),
            )
            .with_more_likely_explanation(c("fever")),
    )
    .unwrap();
    assert_eq!(r.total(), Some(0));
    assert!(r.explained().contains(c("fever")));
}

#[test]
fn measurement_contradicting_the_finding_is_an_error() {
    let m =
        ExtremeValues::new().with_min_platelets(PlateletCount::new(80.0, GigaPerLitre).unwrap());
    let input = ClassificationInput::from_present([]).with_measurements(m);
    match sledai::classification::evaluate(&input) {
        Err(Error::InvalidValue {
            field,
            value,
            reason,
            ..
        }) => {
            assert_eq!(field, "thrombocytopenia");
            assert_eq!(&*value, "absent");
            assert_eq!(
                &*reason,
                "contradicts min_platelets 80 10^9/L, which meets < 100 x 10^9/L"
            );
        }
        other => panic!("{other:?}"),
    }
    // Agreeing: fine.
    let input = ClassificationInput::from_present([c("thrombocytopenia")]).with_measurements(m);
    assert_eq!(
        sledai::classification::evaluate(&input).unwrap().total(),
        Some(4)
    );
}

#[test]
fn measurements_reject_nan_negative_and_impossible_values() {
    // Bounds of the labs quantities (docs/labs.md, "Validation bounds"):
    // temperature 25-45 °C, white cells 0-500 and platelets 0-5,000
    // x 10^9/L, urine protein 0-100 g/24 h.
    type Make = fn(f64) -> Result<(), Error>;
    let cases: [(&str, Make, f64); 12] = [
        (
            "temperature",
            |v| BodyTemperature::new(v, Celsius).map(drop),
            f64::NAN,
        ),
        (
            "temperature",
            |v| BodyTemperature::new(v, Celsius).map(drop),
            -1.0,
        ),
        (
            "temperature",
            |v| BodyTemperature::new(v, Celsius).map(drop),
            101.5,
        ), // °F as °C
        (
            "white_cells",
            |v| LeukocyteCount::new(v, GigaPerLitre).map(drop),
            f64::INFINITY,
        ),
        (
            "white_cells",
            |v| LeukocyteCount::new(v, GigaPerLitre).map(drop),
            -0.5,
        ),
        (
            "white_cells",
            |v| LeukocyteCount::new(v, GigaPerLitre).map(drop),
            3500.0,
        ), // /mm³ as 10^9/L
        (
            "platelets",
            |v| PlateletCount::new(v, GigaPerLitre).map(drop),
            f64::NEG_INFINITY,
        ),
        (
            "platelets",
            |v| PlateletCount::new(v, GigaPerLitre).map(drop),
            -10.0,
        ),
        (
            "platelets",
            |v| PlateletCount::new(v, GigaPerLitre).map(drop),
            150_000.0,
        ), // /mm³
        (
            "urine_protein_24h",
            |v| UrineProtein::new(v, GramsPer24h).map(drop),
            f64::NAN,
        ),
        (
            "urine_protein_24h",
            |v| UrineProtein::new(v, GramsPer24h).map(drop),
            -0.1,
        ),
        (
            "urine_protein_24h",
            |v| UrineProtein::new(v, GramsPer24h).map(drop),
            600.0,
        ), // mg as g
    ];
    for (want, make, v) in cases {
        match make(v) {
            Err(Error::InvalidMeasurement { field, .. }) => assert_eq!(field, want, "{v}"),
            other => panic!("{want} {v}: {other:?}"),
        }
    }
    // The same values in their own units are accepted.
    assert!(BodyTemperature::new(101.5, Fahrenheit).is_ok());
    assert!(LeukocyteCount::new(3500.0, PerCubicMillimetre).is_ok());
    assert!(PlateletCount::new(150_000.0, PerMicrolitre).is_ok());
    assert!(UrineProtein::new(600.0, MilligramsPer24h).is_ok());
    // And through serde, naming the key of the measurements object.
    for (json, key) in [
        (
            r#"{"measurements": {"min_white_cells": {"value": -1, "unit": "10^9/L"}}}"#,
            "min_white_cells",
        ),
        (
            r#"{"measurements": {"max_temperature": {"value": 101.5, "unit": "C"}}}"#,
            "max_temperature",
        ),
        (
            r#"{"measurements": {"min_platelets": {"value": 80, "unit": "mm3"}}}"#,
            "min_platelets.unit",
        ),
    ] {
        let err = serde_json::from_str::<ClassificationInput>(json).unwrap_err();
        assert!(err.to_string().starts_with(key), "{err}");
    }
    // A number without its unit is refused.
    assert!(
        serde_json::from_str::<ClassificationInput>(r#"{"measurements": {"min_platelets": 80}}"#)
            .is_err()
    );
    assert!(
        serde_json::from_str::<ClassificationInput>(
            r#"{"measurements": {"min_platelets": {"value": 80}}}"#
        )
        .is_err()
    );
}

#[test]
fn counts_in_either_unit_decide_the_same_criterion() {
    // Aringer 2019: thrombocytopenia < 100 x 10^9/L, leukopenia < 4.0 x 10^9/L;
    // 1 x 10^9/L = 1,000/mm³ = 1,000/µL. 4,000/mm³ platelets (severe
    // thrombocytopenia) must not be read as 4,000 x 10^9/L.
    let plt = |v, u| {
        let m = ExtremeValues::new().with_min_platelets(PlateletCount::new(v, u).unwrap());
        let input = ClassificationInput::not_assessed().with_measurements(m);
        sledai::classification::evaluate(&input)
            .unwrap()
            .counted()
            .contains(c("thrombocytopenia"))
    };
    assert!(plt(4_000.0, PerCubicMillimetre));
    assert!(plt(99_999.0, PerMicrolitre));
    assert!(!plt(100_000.0, PerMicrolitre));
    assert!(!plt(100.0, GigaPerLitre));
    assert!(plt(99.999, GigaPerLitre));
    let wbc = |v, u| LeukocyteCount::new(v, u).unwrap().meets_criterion();
    assert!(wbc(3_999.0, PerCubicMillimetre));
    assert!(!wbc(4_000.0, PerCubicMillimetre));
    assert!(!wbc(4.0, GigaPerLitre));
    // 38.3 °C = 100.94 °F exactly; 38.4 °C = 101.12 °F.
    let t = |v, u| BodyTemperature::new(v, u).unwrap().meets_criterion();
    assert!(!t(100.94, Fahrenheit));
    assert!(t(100.95, Fahrenheit));
    assert!(t(101.12, Fahrenheit));
    assert!(!t(38.3, Celsius));
    // 0.5 g/24 h = 500 mg/24 h.
    let p = |v, u| UrineProtein::new(v, u).unwrap().meets_criterion();
    assert!(!p(500.0, MilligramsPer24h));
    assert!(p(501.0, MilligramsPer24h));
}

#[test]
fn unknown_names_suggest_the_nearest() {
    match "oral_ulcer".parse::<ClassificationCriterion>() {
        Err(e @ Error::UnknownName { field, .. }) => {
            assert_eq!(field, "criterion");
            assert_eq!(e.suggestion(), Some("oral_ulcers"));
        }
        other => panic!("{other:?}"),
    }
    match "serosa".parse::<Domain>() {
        Err(e @ Error::UnknownName { field, .. }) => {
            assert_eq!(field, "domain");
            assert_eq!(e.suggestion(), Some("serosal"));
        }
        other => panic!("{other:?}"),
    }
    for d in Domain::ALL {
        assert_eq!(d.id().parse::<Domain>().unwrap(), d);
    }
}

// ---------------------------------------------------------------------------
// Missing data
// ---------------------------------------------------------------------------

#[test]
fn indeterminate_hand_cases() {
    // Joint involvement (6) present, complement not assessed: 6 to 10.
    let r = sledai::classification::evaluate(
        &entry_met(&[c("joint_involvement")]).with(c("low_c3_and_low_c4"), Finding::NotAssessed),
    )
    .unwrap();
    assert_eq!(r.outcome(), Outcome::Indeterminate);
    assert_eq!((r.points().min(), r.points().max()), (6, 10));
    assert_eq!(r.total(), None);
    // A missing criterion that cannot change the domain leaves it exact.
    let r = sledai::classification::evaluate(
        &entry_met(&[c("renal_biopsy_class_iii_or_iv")])
            .with(c("proteinuria"), Finding::NotAssessed),
    )
    .unwrap();
    assert_eq!(r.total(), Some(10));
    assert_eq!(r.outcome(), Outcome::Classified);
    // Serology reaches 10, clinical criteria all missing: indeterminate,
    // and the clinical rule says so.
    let mut input = entry_met(&[c("anti_dsdna_or_anti_smith"), c("low_c3_and_low_c4")]);
    for crit in ClassificationCriterion::ALL
        .into_iter()
        .filter(|c| c.is_clinical())
    {
        input = input.with(crit, Finding::NotAssessed);
    }
    let r = sledai::classification::evaluate(&input).unwrap();
    assert_eq!(r.clinical_criterion(), TriState::Indeterminate);
    assert_eq!(r.outcome(), Outcome::Indeterminate);
    // Too few points even if everything missing is present.
    let r = sledai::classification::evaluate(
        &entry_met(&[])
            .with(c("fever"), Finding::NotAssessed)
            .with(c("oral_ulcers"), Finding::NotAssessed),
    )
    .unwrap();
    assert_eq!(r.points().max(), 4);
    assert_eq!(r.outcome(), Outcome::NotClassified);
}

// ---------------------------------------------------------------------------
// Exhaustive: all 2^21 present/absent combinations
// ---------------------------------------------------------------------------

/// Translates a mask in REFERENCE order into the crate's bit order, with
/// three 7-bit lookup tables.
struct Translate([[u32; 128]; 3]);

impl Translate {
    fn new() -> Translate {
        let mut t = [[0u32; 128]; 3];
        for (chunk, table) in t.iter_mut().enumerate() {
            for (v, slot) in table.iter_mut().enumerate() {
                for b in 0..7 {
                    if v & (1 << b) != 0 {
                        *slot |= ref_criterion(chunk * 7 + b).bit();
                    }
                }
            }
        }
        Translate(t)
    }

    fn apply(&self, m: u32) -> u32 {
        self.0[0][(m & 127) as usize]
            | self.0[1][((m >> 7) & 127) as usize]
            | self.0[2][((m >> 14) & 127) as usize]
    }
}

#[test]
fn exhaustive_all_combinations() {
    const N: u32 = 1 << 21;
    let tr = Translate::new();
    let mut classified = vec![false; N as usize];
    for m in 0..N {
        let set = CriterionSet::from_bits(tr.apply(m)).unwrap();
        let points = set.points();
        assert_eq!(points, ref_points(m), "mask {m:#x}");
        assert!(points <= 51);
        assert_eq!(set.has_clinical(), ref_has_clinical(m));
        classified[m as usize] = points >= THRESHOLD && set.has_clinical();
        assert_eq!(classified[m as usize], ref_classifies(m));
    }
    // Monotonicity: adding a criterion never un-classifies.
    for m in 0..N {
        if classified[m as usize] {
            for b in 0..21 {
                assert!(classified[(m | (1 << b)) as usize], "mask {m:#x} + bit {b}");
            }
        }
    }
    // The public classify() agrees with the reference on a spread sample
    // (every 61st mask, about 34,000, plus the extremes), with the entry
    // criterion met and absent.
    for m in (0..N).step_by(61).chain([0, N - 1]) {
        let set = CriterionSet::from_bits(tr.apply(m)).unwrap();
        let input = ClassificationInput::from_present(set.iter());
        let r = sledai::classification::evaluate(&input.with_entry(Finding::Present)).unwrap();
        assert_eq!(r.total(), Some(ref_points(m)));
        let expected = if ref_classifies(m) {
            Outcome::Classified
        } else {
            Outcome::NotClassified
        };
        assert_eq!(r.outcome(), expected, "mask {m:#x}");
        let counted: u32 = r.domains().iter().map(|d| u32::from(d.points())).sum();
        assert_eq!(counted, u32::from(ref_points(m)));
        let r = sledai::classification::evaluate(&input.with_entry(Finding::Absent)).unwrap();
        assert_eq!(r.outcome(), Outcome::NotClassified);
    }
}

// ---------------------------------------------------------------------------
// Completions of missing data
// ---------------------------------------------------------------------------

fn finding() -> impl Strategy<Value = Finding> {
    prop_oneof![
        1 => Just(Finding::Present),
        3 => Just(Finding::Absent),
        2 => Just(Finding::NotAssessed),
    ]
}

fn input() -> impl Strategy<Value = ClassificationInput> {
    (
        finding(),
        proptest::collection::vec(finding(), 21),
        proptest::bits::u32::between(0, 21),
    )
        .prop_map(|(entry, findings, explained)| {
            let mut input = ClassificationInput::not_assessed().with_entry(entry);
            let mut missing = 0;
            for (i, f) in findings.into_iter().enumerate() {
                // At most 8 missing, to keep the enumeration small.
                let f = if f == Finding::NotAssessed && missing == 8 {
                    Finding::Absent
                } else {
                    f
                };
                missing += usize::from(f == Finding::NotAssessed);
                input = input.with(ref_criterion(i), f);
            }
            // A few criteria with a more likely explanation.
            for i in 0..21 {
                if explained & (1 << i) != 0 && i % 4 == 0 {
                    input = input.with_more_likely_explanation(ref_criterion(i));
                }
            }
            input
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Enumerates every completion of the missing entry criterion and
    /// criteria: the outcome is classified iff every completion classifies,
    /// not classified iff none does, indeterminate iff some do and some do
    /// not; the points range is the min and max over completions.
    #[test]
    fn outcome_is_decided_by_completions(input in input()) {
        let r = sledai::classification::evaluate(&input).unwrap();
        let missing: Vec<ClassificationCriterion> = ClassificationCriterion::ALL
            .into_iter()
            .filter(|&c| input.finding(c) == Finding::NotAssessed)
            .collect();
        let entries: &[Finding] = match input.entry() {
            Finding::NotAssessed => &[Finding::Present, Finding::Absent],
            Finding::Present => &[Finding::Present],
            Finding::Absent => &[Finding::Absent],
        };
        let (mut some, mut all) = (false, true);
        let (mut lo, mut hi) = (u8::MAX, 0u8);
        for &entry in entries {
            for k in 0u32..(1 << missing.len()) {
                let mut complete = input.with_entry(entry);
                for (j, &crit) in missing.iter().enumerate() {
                    let f = if k & (1 << j) != 0 { Finding::Present } else { Finding::Absent };
                    complete = complete.with(crit, f);
                }
                let rc = sledai::classification::evaluate(&complete).unwrap();
                prop_assert!(rc.not_assessed().is_empty());
                prop_assert_ne!(rc.outcome(), Outcome::Indeterminate);
                let total = rc.total().unwrap();
                lo = lo.min(total);
                hi = hi.max(total);
                let yes = rc.outcome() == Outcome::Classified;
                some |= yes;
                all &= yes;
            }
        }
        let expected = match (some, all) {
            (_, true) => Outcome::Classified,
            (false, _) => Outcome::NotClassified,
            (true, false) => Outcome::Indeterminate,
        };
        prop_assert_eq!(r.outcome(), expected);
        prop_assert_eq!((r.points().min(), r.points().max()), (lo, hi));
    }

    /// The input round-trips through JSON.
    #[test]
    fn input_serde_round_trip(input in input()) {
        let json = serde_json::to_string(&input).unwrap();
        let back: ClassificationInput = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back, input);
    }
}

// ---------------------------------------------------------------------------
// Serde formats
// ---------------------------------------------------------------------------

#[test]
fn input_json_format() {
    let json = r#"{
        "ana": true,
        "ana_titre": "1:160",
        "criteria": {"joint_involvement": true, "fever": false, "seizure": null},
        "more_likely_explanation": ["fever"],
        "measurements": {"min_platelets": {"value": 85000, "unit": "/mm3"}, "max_temperature": {"value": 99.0, "unit": "F"}}
    }"#;
    let input: ClassificationInput = serde_json::from_str(json).unwrap();
    assert_eq!(input.entry(), Finding::Present);
    assert_eq!(input.ana_titre().map(AnaTitre::dilution), Some(160));
    assert_eq!(input.finding(c("joint_involvement")), Finding::Present);
    assert_eq!(input.finding(c("fever")), Finding::Absent);
    assert_eq!(input.finding(c("seizure")), Finding::NotAssessed);
    assert_eq!(input.finding(c("delirium")), Finding::NotAssessed);
    let r = sledai::classification::evaluate(&input).unwrap();
    // joint 6 + thrombocytopenia 4 (85,000/mm³ = 85 x 10^9/L < 100) = 10,
    // clinical; 99 °F = 37.2 °C is no fever (and fever is absent anyway).
    assert_eq!(r.points().min(), 10);
    assert_eq!(r.outcome(), Outcome::Classified);

    let reser = serde_json::to_string(&input).unwrap();
    assert_eq!(
        reser,
        r#"{"ana":true,"ana_titre":"1:160","criteria":{"fever":false,"joint_involvement":true},"more_likely_explanation":["fever"],"measurements":{"max_temperature":{"value":99.0,"unit":"F"},"min_platelets":{"value":85000.0,"unit":"/mm3"}}}"#
    );

    for bad in [
        r#"{"anna": true}"#,
        r#"{"criteria": {"fevr": true}}"#,
        r#"{"criteria": {"fever": true, "fever": false}}"#,
        r#"{"more_likely_explanation": ["fever", "fever"]}"#,
        r#"{"measurements": {"temperature": 39}}"#,
        r#"{"measurements": {"max_temperature": 39}}"#,
        r#"{"measurements": {"max_temperature": {"value": 39, "unit": "C", "extra": 1}}}"#,
        r#"{"criteria": {"fever": "yes"}}"#,
    ] {
        assert!(
            serde_json::from_str::<ClassificationInput>(bad).is_err(),
            "{bad}"
        );
    }
    let err =
        serde_json::from_str::<ClassificationInput>(r#"{"criteria": {"fevr": true}}"#).unwrap_err();
    assert!(err.to_string().contains("did you mean `fever`?"), "{err}");
}

#[test]
fn output_json_field_names() {
    let r = sledai::classification::evaluate(
        &entry_met(&[c("leukopenia"), c("thrombocytopenia")])
            .with(c("seizure"), Finding::NotAssessed),
    )
    .unwrap();
    let v: serde_json::Value = serde_json::to_value(&r).unwrap();
    assert_eq!(v["outcome"], "not_classified"); // at most 4 + 5 = 9
    assert_eq!(v["entry_criterion"], "met");
    assert_eq!(v["clinical_criterion"], "met");
    assert_eq!(v["total"], serde_json::Value::Null);
    assert_eq!(v["points"], serde_json::json!({"min": 4, "max": 9}));
    assert_eq!(v["threshold"], 10);
    assert_eq!(
        v["domains"][1],
        serde_json::json!({"domain": "hematologic", "points": 4, "max_points": 4, "criterion": "thrombocytopenia"})
    );
    assert_eq!(
        v["domains"][2],
        serde_json::json!({"domain": "neuropsychiatric", "points": 0, "max_points": 5, "criterion": null})
    );
    assert_eq!(v["not_assessed"], serde_json::json!(["seizure"]));
    assert_eq!(v["explained"], serde_json::json!([]));
    assert_eq!(v["absent"].as_array().map(Vec::len), Some(18));
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    let mut expected = [
        "outcome",
        "entry_criterion",
        "clinical_criterion",
        "total",
        "points",
        "threshold",
        "domains",
        "not_assessed",
        "explained",
        "absent",
    ];
    expected.sort_unstable();
    let mut keys = keys;
    keys.sort_unstable();
    assert_eq!(keys, expected);
}

#[test]
fn explanation_is_readable() {
    // joint 6 + leukopenia 3 = 9; low C3 and C4 (4) missing: 9 to 13.
    let r = sledai::classification::evaluate(
        &entry_met(&[c("joint_involvement"), c("leukopenia")])
            .with(c("low_c3_and_low_c4"), Finding::NotAssessed),
    )
    .unwrap();
    let text = r.to_string();
    assert!(text.starts_with("indeterminate"), "{text}");
    assert!(text.contains("points: 9 to 13 of 51"), "{text}");
    assert!(text.contains("hematologic: 3 (leukopenia)"), "{text}");
    assert!(text.contains("complement_proteins: 0, up to 4"), "{text}");
    assert!(text.contains("not assessed: low_c3_and_low_c4"), "{text}");
}
