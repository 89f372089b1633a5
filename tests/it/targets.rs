//! LLDAS (Franklyn 2016) and DORIS remission (van Vollenhoven 2021) at one
//! visit: both sides of every cut-off, the major-organ mapping, missing data,
//! serde, and properties against brute-force oracles.
//!
//! Expected values are transcribed from `docs/reference.md` (sections 2,
//! 3 and 5) in this file, never taken from the code's output.

use sledai::glucocorticoid::PrednisoneEquivalent;
use sledai::remission::{RemissionGlucocorticoid, RemissionOptions, RemissionPga};
use sledai::target::{Criterion, TargetInputs};
use sledai::{Assessment, Descriptor, Error, Finding, Pga, TriState, lldas, remission};

use TriState::{Indeterminate, Met, NotMet};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// `docs/reference.md` section 2, project policy: major organ activity = CNS 1-7,
/// vasculitis 8, renal 11-14, pleurisy 18, pericarditis 19, fever 22.
const MAJOR: [&str; 15] = [
    "seizure",
    "psychosis",
    "organic_brain_syndrome",
    "visual_disturbance",
    "cranial_nerve_disorder",
    "lupus_headache",
    "cva",
    "vasculitis",
    "urinary_casts",
    "hematuria",
    "proteinuria",
    "pyuria",
    "pleurisy",
    "pericarditis",
    "fever",
];

/// `docs/reference.md` section 2: "Arthritis, myositis, rash, alopecia, mucosal ulcers,
/// serology, thrombocytopenia and leukopenia may contribute to a SLEDAI-2K
/// <= 4 that meets LLDAS." With their weights from section 1.2.
const ALLOWED: [(&str, u8); 9] = [
    ("arthritis", 4),
    ("myositis", 4),
    ("rash", 2),
    ("alopecia", 2),
    ("mucosal_ulcers", 2),
    ("low_complement", 2),
    ("increased_dna_binding", 2),
    ("thrombocytopenia", 1),
    ("leukopenia", 1),
];

/// `docs/reference.md` section 1.4: the serology descriptors excluded from clinical SLEDAI.
const SEROLOGY: [&str; 2] = ["low_complement", "increased_dna_binding"];

fn d(id: &str) -> Descriptor {
    id.parse()
        .expect("descriptor id transcribed from the reference")
}

fn pga(v: f64) -> Pga {
    Pga::new(v).expect("valid PGA literal")
}

fn pe(mg: f64) -> PrednisoneEquivalent {
    PrednisoneEquivalent::from_mg(mg).expect("valid dose literal")
}

/// Every LLDAS input recorded and passing, the previous visit identical to
/// this one (so nothing is new): the only variable is what a test changes.
fn lldas_passing(now: Assessment) -> TargetInputs {
    TargetInputs::new(now)
        .with_previous_assessment(now)
        .with_pga(pga(1.0))
        .with_prednisone_equivalent(pe(7.5))
        .with_hemolytic_anemia(false)
        .with_gastrointestinal_activity(false)
        .with_maintenance_tolerated(true)
        .with_investigational_drug(false)
}

/// Every DORIS input recorded and passing.
fn doris_passing(now: Assessment) -> TargetInputs {
    TargetInputs::new(now)
        .with_pga(pga(0.4))
        .with_prednisone_equivalent(pe(5.0))
}

fn lldas_state(i: &TargetInputs, c: Criterion) -> TriState {
    lldas::evaluate(i)
        .expect("consistent inputs")
        .criterion(c)
        .expect("an LLDAS criterion")
        .state()
}

fn doris_state(i: &TargetInputs, c: Criterion) -> TriState {
    remission::evaluate(i, RemissionOptions::default())
        .expect("evaluates")
        .criterion(c)
        .expect("a DORIS criterion")
        .state()
}

#[test]
fn mapping_partitions_the_24_descriptors() {
    let mut all: Vec<&str> = MAJOR.to_vec();
    all.extend(ALLOWED.iter().map(|(id, _)| *id));
    all.sort_unstable();
    let mut ids: Vec<&str> = Descriptor::ALL.iter().map(|d| d.id()).collect();
    ids.sort_unstable();
    assert_eq!(all, ids);
    for (id, w) in ALLOWED {
        assert_eq!(d(id).weight(), w, "{id}");
    }
}

// ---------------------------------------------------------------- LLDAS 1

#[test]
fn lldas_baseline_passing_inputs_are_met() -> TestResult {
    let r = lldas::evaluate(&lldas_passing(Assessment::from_present([])))?;
    assert_eq!(r.state(), Met);
    assert!(r.criteria().iter().all(|c| c.state() == Met));
    Ok(())
}

#[test]
fn each_major_organ_descriptor_alone_blocks_lldas() -> TestResult {
    for id in MAJOR {
        let i = lldas_passing(Assessment::from_present([d(id)]));
        let r = lldas::evaluate(&i)?;
        assert_eq!(r.state(), NotMet, "{id}");
        let c1 = r.criterion(Criterion::LldasActivity).expect("criterion 1");
        assert_eq!(c1.state(), NotMet, "{id}");
        assert!(
            c1.reason().to_string().contains(id),
            "{id}: {}",
            c1.reason()
        );
        // Every other criterion is met: criterion 1 alone blocks.
        assert_eq!(
            r.criteria().iter().filter(|c| c.state() != Met).count(),
            1,
            "{id}"
        );
    }
    Ok(())
}

#[test]
fn each_allowed_descriptor_alone_does_not_block_lldas() -> TestResult {
    for (id, _) in ALLOWED {
        let r = lldas::evaluate(&lldas_passing(Assessment::from_present([d(id)])))?;
        assert_eq!(r.state(), Met, "{id}");
    }
    Ok(())
}

#[test]
fn sledai_cut_off_4_both_sides() -> TestResult {
    // Allowed descriptors only; totals from the section 1.2 weights.
    let cases: [(&[&str], u8, TriState); 7] = [
        (&["rash", "alopecia"], 4, Met),
        (&["arthritis"], 4, Met),
        (&["rash", "thrombocytopenia", "leukopenia"], 4, Met),
        (&["rash", "alopecia", "thrombocytopenia"], 5, NotMet),
        (&["arthritis", "leukopenia"], 5, NotMet),
        (&["arthritis", "myositis"], 8, NotMet),
        (
            &["low_complement", "increased_dna_binding", "rash"],
            6,
            NotMet,
        ),
    ];
    for (ids, total, expected) in cases {
        let a = Assessment::from_present(ids.iter().map(|id| d(id)));
        assert_eq!(a.score()?.get(), total, "{ids:?}");
        assert_eq!(
            lldas_state(&lldas_passing(a), Criterion::LldasActivity),
            expected,
            "{ids:?}"
        );
    }
    Ok(())
}

#[test]
fn hemolytic_anemia_and_gi_activity_inputs() {
    let base = lldas_passing(Assessment::from_present([]));
    let c = Criterion::LldasActivity;
    assert_eq!(
        lldas_state(&base.clone().with_hemolytic_anemia(true), c),
        NotMet
    );
    assert_eq!(
        lldas_state(&base.clone().with_gastrointestinal_activity(true), c),
        NotMet
    );
    let mut missing = base.clone();
    missing.hemolytic_anemia = None;
    assert_eq!(lldas_state(&missing, c), Indeterminate);
    let mut missing = base;
    missing.gastrointestinal_activity = None;
    assert_eq!(lldas_state(&missing, c), Indeterminate);
}

#[test]
fn incomplete_assessment_criterion_1_from_the_range() {
    let c = Criterion::LldasActivity;
    let na = Assessment::not_assessed();
    let p = Finding::Present;
    // A present renal descriptor settles it: not met, whatever is missing.
    let i = lldas_passing(na.with(d("proteinuria"), p));
    assert_eq!(lldas_state(&i, c), NotMet);
    // Minimum already above 4 (arthritis 4 + rash 2 = 6): not met.
    let i = lldas_passing(na.with(d("arthritis"), p).with(d("rash"), p));
    assert_eq!(lldas_state(&i, c), NotMet);
    // Arthritis 4, everything else absent except fever missing: fever is a
    // major-organ descriptor and could push the total to 5: indeterminate.
    let a = Assessment::from_present([d("arthritis")]).with(d("fever"), Finding::NotAssessed);
    assert_eq!(lldas_state(&lldas_passing(a), c), Indeterminate);
    // Arthritis 4 with only leukopenia (allowed, weight 1) missing: the total
    // could be 5: indeterminate.
    let a = Assessment::from_present([d("arthritis")]).with(d("leukopenia"), Finding::NotAssessed);
    assert_eq!(lldas_state(&lldas_passing(a), c), Indeterminate);
    // Rash 2 with leukopenia and thrombocytopenia missing: at most 4 and no
    // major organ descriptor can appear: met although incomplete.
    let a = Assessment::from_present([d("rash")])
        .with(d("leukopenia"), Finding::NotAssessed)
        .with(d("thrombocytopenia"), Finding::NotAssessed);
    assert!(!a.is_complete());
    assert_eq!(lldas_state(&lldas_passing(a), c), Met);
    // Nothing present, only pleurisy missing: a major organ descriptor could
    // be present: indeterminate.
    let a = Assessment::from_present([]).with(d("pleurisy"), Finding::NotAssessed);
    assert_eq!(lldas_state(&lldas_passing(a), c), Indeterminate);
}

// ---------------------------------------------------------------- LLDAS 2

#[test]
fn first_visit_is_indeterminate_on_criterion_2() -> TestResult {
    let mut i = lldas_passing(Assessment::from_present([]));
    i.previous_assessment = None;
    let r = lldas::evaluate(&i)?;
    assert_eq!(
        r.criterion(Criterion::LldasNoNewActivity)
            .expect("criterion 2")
            .state(),
        Indeterminate
    );
    assert_eq!(r.state(), Indeterminate);
    // The caller's statement decides it.
    assert_eq!(
        lldas_state(
            &i.clone().with_new_activity(false),
            Criterion::LldasNoNewActivity
        ),
        Met
    );
    assert_eq!(
        lldas_state(&i.with_new_activity(true), Criterion::LldasNoNewActivity),
        NotMet
    );
    Ok(())
}

#[test]
fn new_feature_is_present_now_and_absent_before() -> TestResult {
    let c = Criterion::LldasNoNewActivity;
    let now = Assessment::from_present([d("rash")]);
    // Absent before: new.
    let i = lldas_passing(now).with_previous_assessment(Assessment::from_present([]));
    assert_eq!(lldas_state(&i, c), NotMet);
    // Present before too: not new.
    let i = lldas_passing(now).with_previous_assessment(Assessment::from_present([d("rash")]));
    assert_eq!(lldas_state(&i, c), Met);
    // Resolved since (present before, absent now): nothing new.
    let i = lldas_passing(Assessment::from_present([]))
        .with_previous_assessment(Assessment::from_present([d("rash")]));
    assert_eq!(lldas_state(&i, c), Met);
    // Not assessed before: cannot tell.
    let prev = Assessment::from_present([]).with(d("rash"), Finding::NotAssessed);
    let i = lldas_passing(now).with_previous_assessment(prev);
    assert_eq!(lldas_state(&i, c), Indeterminate);
    // ... unless the caller states there is nothing new.
    assert_eq!(lldas_state(&i.with_new_activity(false), c), Met);
    // Not assessed now, absent before: could be new.
    let i = lldas_passing(Assessment::from_present([]).with(d("rash"), Finding::NotAssessed))
        .with_previous_assessment(Assessment::from_present([]));
    assert_eq!(lldas_state(&i, c), Indeterminate);
    // A serology descriptor newly present is a new feature too (policy).
    let i = lldas_passing(Assessment::from_present([d("low_complement")]))
        .with_previous_assessment(Assessment::from_present([]));
    assert_eq!(lldas_state(&i, c), NotMet);
    // A statement agreeing with the items is fine.
    let i = lldas_passing(now).with_new_activity(false);
    assert_eq!(lldas_state(&i, c), Met);
    Ok(())
}

#[test]
fn statement_contradicting_the_items_is_an_error() {
    let i = lldas_passing(Assessment::from_present([d("rash")]))
        .with_previous_assessment(Assessment::from_present([]))
        .with_new_activity(false);
    match lldas::evaluate(&i) {
        Err(Error::InvalidValue { field, reason, .. }) => {
            assert_eq!(field, "new_activity");
            assert!(reason.contains("rash"), "{reason}");
        }
        other => panic!("expected InvalidValue, got {other:?}"),
    }
    // DORIS does not read criterion 2: no error there.
    assert_eq!(
        remission::evaluate(&i, RemissionOptions::default())
            .unwrap()
            .criteria()
            .len(),
        3
    );
    // The other direction: "new activity" while nothing is new by the items.
    let now = Assessment::from_present([d("rash")]);
    let i = lldas_passing(now).with_new_activity(true);
    assert!(matches!(
        lldas::evaluate(&i),
        Err(Error::InvalidValue {
            field: "new_activity",
            ..
        })
    ));
    // Without the previous assessment the statement stands alone.
    let mut alone = i;
    alone.previous_assessment = None;
    assert_eq!(lldas_state(&alone, Criterion::LldasNoNewActivity), NotMet);
}

// ------------------------------------------------------------ LLDAS 3, 4, 5

#[test]
fn lldas_pga_cut_off_1_0_both_sides() {
    let base = lldas_passing(Assessment::from_present([]));
    let c = Criterion::LldasPga;
    for (v, expected) in [
        (0.0, Met),
        (0.9, Met),
        (1.0, Met),
        (1.1, NotMet),
        (3.0, NotMet),
    ] {
        assert_eq!(
            lldas_state(&base.clone().with_pga(pga(v)), c),
            expected,
            "{v}"
        );
    }
    let mut missing = base;
    missing.pga = None;
    assert_eq!(lldas_state(&missing, c), Indeterminate);
}

#[test]
fn lldas_glucocorticoid_cut_off_7_5_both_sides() -> TestResult {
    use sledai::glucocorticoid::{
        ConversionOptions, DailyDose, DrugDose, Glucocorticoid, prednisone_equivalent,
    };
    let base = lldas_passing(Assessment::from_present([]));
    let c = Criterion::LldasGlucocorticoid;
    for (mg, expected) in [(0.0, Met), (7.5, Met), (7.6, NotMet), (7.501, NotMet)] {
        let i = base.clone().with_prednisone_equivalent(pe(mg));
        assert_eq!(lldas_state(&i, c), expected, "{mg}");
    }
    // Methylprednisolone 6 mg = 7.5 mg (4 mg = 5 mg): passes; 6.4 mg = 8 mg: fails.
    for (mg, expected) in [(6.0, Met), (6.4, NotMet)] {
        let p = prednisone_equivalent(
            &[DrugDose::new(
                Glucocorticoid::Methylprednisolone,
                DailyDose::from_mg(mg)?,
            )],
            ConversionOptions::default(),
        )?;
        let i = base.clone().with_prednisone_equivalent(p);
        assert_eq!(lldas_state(&i, c), expected, "methylprednisolone {mg}");
    }
    let mut missing = base;
    missing.prednisone_equivalent = None;
    assert_eq!(lldas_state(&missing, c), Indeterminate);
    Ok(())
}

#[test]
fn lldas_maintenance_and_investigational_drugs() {
    let base = lldas_passing(Assessment::from_present([]));
    let c = Criterion::LldasMaintenance;
    assert_eq!(lldas_state(&base, c), Met);
    assert_eq!(
        lldas_state(&base.clone().with_investigational_drug(true), c),
        NotMet
    );
    assert_eq!(
        lldas_state(&base.clone().with_maintenance_tolerated(false), c),
        NotMet
    );
    let mut m = base.clone();
    m.investigational_drug = None;
    assert_eq!(lldas_state(&m, c), Indeterminate);
    let mut m = base;
    m.maintenance_tolerated = None;
    assert_eq!(lldas_state(&m, c), Indeterminate);
    // A known failure beats a missing input.
    m.investigational_drug = Some(true);
    assert_eq!(lldas_state(&m, c), NotMet);
}

// --------------------------------------------------------------------- DORIS

#[test]
fn doris_passing_inputs_are_met() {
    let r = remission::evaluate(
        &doris_passing(Assessment::from_present([])),
        RemissionOptions::default(),
    )
    .unwrap();
    assert_eq!(r.state(), Met);
    assert_eq!(
        r.criteria()
            .iter()
            .map(|c| c.criterion())
            .collect::<Vec<_>>(),
        [
            Criterion::DorisClinicalSledai,
            Criterion::DorisPga,
            Criterion::DorisGlucocorticoid
        ]
    );
}

#[test]
fn doris_clinical_sledai_zero_ignores_serology() {
    let c = Criterion::DorisClinicalSledai;
    // Every non-serology descriptor alone blocks remission.
    for desc in Descriptor::ALL {
        let i = doris_passing(Assessment::from_present([desc]));
        let expected = if SEROLOGY.contains(&desc.id()) {
            Met
        } else {
            NotMet
        };
        assert_eq!(doris_state(&i, c), expected, "{desc}");
        assert_eq!(
            remission::evaluate(&i, RemissionOptions::default())
                .unwrap()
                .state(),
            expected,
            "{desc}"
        );
    }
    // Serology not assessed: still decided (serology is ignored).
    let a = Assessment::from_present([])
        .with(d("low_complement"), Finding::NotAssessed)
        .with(d("increased_dna_binding"), Finding::NotAssessed);
    assert_eq!(doris_state(&doris_passing(a), c), Met);
    // A clinical descriptor not assessed: indeterminate.
    let a = Assessment::from_present([]).with(d("leukopenia"), Finding::NotAssessed);
    assert_eq!(doris_state(&doris_passing(a), c), Indeterminate);
    // ... unless another one is present.
    let a = a.with(d("rash"), Finding::Present);
    assert_eq!(doris_state(&doris_passing(a), c), NotMet);
}

#[test]
fn doris_pga_cut_off_both_sides_and_2017_option() {
    let base = doris_passing(Assessment::from_present([]));
    let c = Criterion::DorisPga;
    // 2021: PGA < 0.5.
    for (v, expected) in [(0.0, Met), (0.4, Met), (0.5, NotMet), (0.6, NotMet)] {
        assert_eq!(
            doris_state(&base.clone().with_pga(pga(v)), c),
            expected,
            "{v}"
        );
    }
    // 2017 reading: PGA <= 0.5.
    let o = RemissionOptions::default().with_pga(RemissionPga::ReviewAtMostHalf);
    for (v, expected) in [(0.4, Met), (0.5, Met), (0.6, NotMet)] {
        let r = remission::evaluate(&base.clone().with_pga(pga(v)), o).unwrap();
        assert_eq!(r.criterion(c).expect("pga").state(), expected, "{v}");
    }
    let mut missing = base;
    missing.pga = None;
    assert_eq!(doris_state(&missing, c), Indeterminate);
}

#[test]
fn doris_glucocorticoid_cut_off_both_sides_and_strict_option() {
    let base = doris_passing(Assessment::from_present([]));
    let c = Criterion::DorisGlucocorticoid;
    // Default: <= 5 mg/day.
    for (mg, expected) in [
        (0.0, Met),
        (4.9, Met),
        (5.0, Met),
        (5.1, NotMet),
        (5.001, NotMet),
    ] {
        let i = base.clone().with_prednisone_equivalent(pe(mg));
        assert_eq!(doris_state(&i, c), expected, "{mg}");
    }
    // Strict reading: < 5 mg/day.
    let o = RemissionOptions::default().with_glucocorticoid(RemissionGlucocorticoid::Below5Mg);
    for (mg, expected) in [(4.9, Met), (4.999, Met), (5.0, NotMet), (5.1, NotMet)] {
        let i = base.clone().with_prednisone_equivalent(pe(mg));
        let r = remission::evaluate(&i, o).unwrap();
        assert_eq!(r.criterion(c).expect("gc").state(), expected, "{mg}");
    }
    let mut missing = base;
    missing.prednisone_equivalent = None;
    assert_eq!(doris_state(&missing, c), Indeterminate);
}

// ---------------------------------------------------------- both definitions

#[test]
fn serology_only_sledai_4_meets_lldas_and_doris() -> TestResult {
    let a = Assessment::from_present([d("low_complement"), d("increased_dna_binding")]);
    assert_eq!(a.score()?.get(), 4);
    let i = lldas_passing(a)
        .with_pga(pga(0.4))
        .with_prednisone_equivalent(pe(5.0));
    assert_eq!(lldas::evaluate(&i)?.state(), Met);
    assert_eq!(
        remission::evaluate(&i, RemissionOptions::default())
            .unwrap()
            .state(),
        Met
    );
    Ok(())
}

#[test]
fn empty_input_is_indeterminate_never_met() -> TestResult {
    let i = TargetInputs::new(Assessment::not_assessed());
    let l = lldas::evaluate(&i)?;
    assert_eq!(l.state(), Indeterminate);
    assert!(l.criteria().iter().all(|c| c.state() == Indeterminate));
    let r = remission::evaluate(&i, RemissionOptions::default()).unwrap();
    assert_eq!(r.state(), Indeterminate);
    assert!(r.criteria().iter().all(|c| c.state() == Indeterminate));
    // A complete assessment with no activity but nothing else recorded is
    // still not LLDAS or remission: the other inputs are missing.
    let i = TargetInputs::new(Assessment::from_present([]));
    assert_eq!(lldas::evaluate(&i)?.state(), Indeterminate);
    assert_eq!(
        remission::evaluate(&i, RemissionOptions::default())
            .unwrap()
            .state(),
        Indeterminate
    );
    Ok(())
}

#[test]
fn overall_state_is_the_three_valued_conjunction() -> TestResult {
    // One criterion not met and another indeterminate: not met.
    let mut i = lldas_passing(Assessment::from_present([])).with_pga(pga(2.0));
    i.prednisone_equivalent = None;
    let r = lldas::evaluate(&i)?;
    assert_eq!(
        lldas_state(&i, Criterion::LldasGlucocorticoid),
        Indeterminate
    );
    assert_eq!(r.state(), NotMet);
    Ok(())
}

#[test]
fn explanations_name_observed_value_and_threshold() -> TestResult {
    let i = lldas_passing(Assessment::from_present([d("arthritis"), d("rash")]))
        .with_prednisone_equivalent(pe(7.6));
    let r = lldas::evaluate(&i)?;
    let c1 = r.criterion(Criterion::LldasActivity).expect("c1");
    assert!(
        c1.observed().to_string().contains("SLEDAI-2K 6"),
        "{}",
        c1.observed()
    );
    assert!(c1.reason().to_string().contains("6 > 4"), "{}", c1.reason());
    let c4 = r.criterion(Criterion::LldasGlucocorticoid).expect("c4");
    assert!(
        c4.observed().to_string().contains("7.6 mg/day"),
        "{}",
        c4.observed()
    );
    assert!(c4.threshold().contains("7.5 mg/day"), "{}", c4.threshold());
    Ok(())
}

// --------------------------------------------------------------------- serde

#[test]
fn inputs_serde_format_and_round_trip() -> TestResult {
    let now = Assessment::from_present([d("arthritis")]);
    let i = lldas_passing(now)
        .with_pga(pga(0.8))
        .with_new_activity(false);
    let v = serde_json::to_value(&i)?;
    let mut keys: Vec<&str> = v
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "assessment",
            "gastrointestinal_activity",
            "hemolytic_anemia",
            "investigational_drug",
            "maintenance_tolerated",
            "new_activity",
            "pga",
            "prednisone_equivalent",
            "previous_assessment",
        ]
    );
    assert_eq!(v["pga"], 0.8);
    assert_eq!(v["prednisone_equivalent"], 7.5);
    let back: TargetInputs = serde_json::from_value(v)?;
    assert_eq!(back, i);

    // The former name of criterion 5's input is still read, as the same field.
    let old: TargetInputs = serde_json::from_str(
        r#"{"assessment": {"present": []}, "maintenance_well_tolerated": true}"#,
    )?;
    assert_eq!(old.maintenance_tolerated, Some(true));

    // Only the assessment is required; omitted fields are not recorded.
    let minimal: TargetInputs = serde_json::from_str(r#"{"assessment": {"present": []}}"#)?;
    assert_eq!(minimal, TargetInputs::new(Assessment::from_present([])));
    // Unknown fields and invalid values are errors.
    assert!(
        serde_json::from_str::<TargetInputs>(r#"{"assessment": {"present": []}, "pga_score": 1}"#)
            .is_err()
    );
    assert!(
        serde_json::from_str::<TargetInputs>(r#"{"assessment": {"present": []}, "pga": 3.5}"#)
            .is_err()
    );
    assert!(
        serde_json::from_str::<TargetInputs>(
            r#"{"assessment": {"present": []}, "prednisone_equivalent": -1}"#
        )
        .is_err()
    );
    Ok(())
}

/// The serialized shape of a result: exactly `{"state", "criteria"}`, each
/// criterion exactly `{"criterion", "state", "observed", "threshold",
/// "reason"}` (in that order), and every value the one the accessors give.
/// Results are outputs only (no `Deserialize`), so the shape is checked on
/// the serialized JSON rather than by reading it back.
fn assert_result_shape(
    v: &serde_json::Value,
    state: TriState,
    criteria: &[sledai::target::CriterionResult],
) -> TestResult {
    let mut keys: Vec<&str> = v
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(keys, ["criteria", "state"]);
    assert_eq!(v["state"], state.id());
    let items = v["criteria"].as_array().expect("array");
    assert_eq!(items.len(), criteria.len());
    for (item, c) in items.iter().zip(criteria) {
        // Key order from the result itself (a `Value` map sorts its keys).
        let text = serde_json::to_string(c)?;
        assert_eq!(serde_json::from_str::<serde_json::Value>(&text)?, *item);
        let order: Vec<usize> = ["criterion", "state", "observed", "threshold", "reason"]
            .iter()
            .map(|k| text.find(&format!("\"{k}\":")).expect(k))
            .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{text}");
        assert_eq!(item.as_object().expect("object").len(), 5, "{text}");
        assert_eq!(item["criterion"], c.criterion().id());
        assert_eq!(item["state"], c.state().id());
        assert_eq!(item["observed"], c.observed().to_string());
        assert_eq!(item["threshold"], c.threshold());
        assert_eq!(item["reason"], c.reason().to_string());
    }
    Ok(())
}

#[test]
fn results_serialize_with_stable_names() -> TestResult {
    let i = lldas_passing(Assessment::from_present([d("fever")]));
    let r = lldas::evaluate(&i)?;
    let v = serde_json::to_value(&r)?;
    assert_eq!(v["state"], "not_met");
    assert_eq!(v["criteria"][0]["criterion"], "lldas_activity");
    assert_eq!(v["criteria"][0]["state"], "not_met");
    assert_result_shape(&v, r.state(), r.criteria())?;
    let ids: Vec<_> = v["criteria"]
        .as_array()
        .expect("array")
        .iter()
        .map(|c| c["criterion"].as_str().expect("id").to_owned())
        .collect();
    assert_eq!(
        ids,
        [
            "lldas_activity",
            "lldas_no_new_activity",
            "lldas_pga",
            "lldas_glucocorticoid",
            "lldas_maintenance"
        ]
    );

    let r = remission::evaluate(
        &doris_passing(Assessment::from_present([])),
        RemissionOptions::default(),
    )
    .unwrap();
    let v = serde_json::to_value(&r)?;
    assert_eq!(v["state"], "met");
    assert_eq!(v["criteria"][2]["criterion"], "doris_glucocorticoid");
    assert_result_shape(&v, r.state(), r.criteria())?;
    let ids: Vec<_> = v["criteria"]
        .as_array()
        .expect("array")
        .iter()
        .map(|c| c["criterion"].as_str().expect("id").to_owned())
        .collect();
    assert_eq!(
        ids,
        ["doris_clinical_sledai", "doris_pga", "doris_glucocorticoid"]
    );

    let o: RemissionOptions = serde_json::from_str(
        r#"{"pga": "doris_2017_at_most_half", "glucocorticoid": "below_5_mg"}"#,
    )?;
    assert_eq!(
        o,
        RemissionOptions::default()
            .with_pga(RemissionPga::ReviewAtMostHalf)
            .with_glucocorticoid(RemissionGlucocorticoid::Below5Mg)
    );
    assert_eq!(
        serde_json::from_str::<RemissionOptions>("{}")?,
        RemissionOptions::default()
    );
    Ok(())
}

// ---------------------------------------------------------------- properties

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// The state of LLDAS criterion 1 on a COMPLETE assessment, written from
    /// the reference's definition, independently of the library.
    fn criterion_1_complete(present: &[Descriptor]) -> bool {
        let total: u32 = present.iter().map(|d| u32::from(d.weight())).sum();
        total <= 4 && !present.iter().any(|d| MAJOR.contains(&d.id()))
    }

    /// Brute force over every completion of the missing items: Met if every
    /// completion meets, NotMet if none does, Indeterminate otherwise.
    fn oracle(present: u32, missing: u32, holds: impl Fn(u32) -> bool) -> TriState {
        let bits: Vec<u32> = (0..24).filter(|b| missing & (1 << b) != 0).collect();
        let (mut any_met, mut any_not) = (false, false);
        for combo in 0u32..(1 << bits.len()) {
            let mut p = present;
            for (k, b) in bits.iter().enumerate() {
                if combo & (1 << k) != 0 {
                    p |= 1 << b;
                }
            }
            if holds(p) {
                any_met = true;
            } else {
                any_not = true;
            }
        }
        match (any_met, any_not) {
            (true, false) => Met,
            (false, true) => NotMet,
            _ => Indeterminate,
        }
    }

    fn descriptors(mask: u32) -> Vec<Descriptor> {
        Descriptor::ALL
            .iter()
            .copied()
            .filter(|d| mask & d.bit() != 0)
            .collect()
    }

    /// A sparse random 24-bit mask (each bit with probability `p`).
    fn sparse(p: f64) -> impl Strategy<Value = u32> {
        proptest::collection::vec(proptest::bool::weighted(p), 24).prop_map(|v| {
            v.iter()
                .enumerate()
                .fold(0u32, |m, (i, &b)| if b { m | (1 << i) } else { m })
        })
    }

    /// A full picture of one visit and what is known about it.
    #[derive(Debug, Clone)]
    struct Truth {
        now: u32,
        prev: Option<u32>,
        statement: Option<bool>,
        pga_tenths: u8,
        pred_ug: u32,
        flags: [bool; 4], // hemolytic, gi, tolerated, investigational
    }

    /// Which inputs are known: missing descriptor masks and known flags for
    /// the nine optional inputs (prev, statement, pga, pred, 4 flags).
    #[derive(Debug, Clone, Copy)]
    struct Known {
        now_missing: u32,
        prev_missing: u32,
        known: [bool; 8],
    }

    fn truth() -> impl Strategy<Value = Truth> {
        (
            prop_oneof![Just(0), sparse(0.04), sparse(0.1)],
            prop_oneof![
                Just(None),
                sparse(0.08).prop_map(Some),
                Just(Some(u32::MAX))
            ],
            prop_oneof![Just(None), any::<bool>().prop_map(Some)],
            prop_oneof![0u8..=12, 0u8..=30],
            prop::sample::select(vec![0u32, 2500, 4999, 5000, 5001, 7500, 7501, 20000]),
            (
                proptest::bool::weighted(0.2),
                proptest::bool::weighted(0.2),
                proptest::bool::weighted(0.8),
                proptest::bool::weighted(0.2),
            ),
        )
            .prop_map(|(now, prev, statement, pga_tenths, pred_ug, f)| Truth {
                now,
                // u32::MAX stands for "same as now" (nothing new).
                prev: prev.map(|p| if p == u32::MAX { now } else { p }),
                statement,
                pga_tenths,
                pred_ug,
                flags: [f.0, f.1, f.2, f.3],
            })
    }

    /// A fine state of knowledge and a coarser one (a subset of what is known).
    fn knowledge() -> impl Strategy<Value = (Known, Known)> {
        // Mostly-complete forms are the interesting ones: with many missing
        // items nearly everything is indeterminate.
        let fine_missing = || prop_oneof![Just(0u32), sparse(0.03)];
        let extra_missing = || prop_oneof![Just(0u32), sparse(0.03), sparse(0.15)];
        (
            fine_missing(),
            fine_missing(),
            proptest::array::uniform8(proptest::bool::weighted(0.9)),
            extra_missing(),
            extra_missing(),
            proptest::array::uniform8(proptest::bool::weighted(0.7)),
        )
            .prop_map(|(nm, pm, k, extra_n, extra_p, keep)| {
                let fine = Known {
                    now_missing: nm,
                    prev_missing: pm,
                    known: k,
                };
                let mut coarse_known = k;
                for (c, keep) in coarse_known.iter_mut().zip(keep) {
                    *c = *c && keep;
                }
                let coarse = Known {
                    now_missing: nm | extra_n,
                    prev_missing: pm | extra_p,
                    known: coarse_known,
                };
                (fine, coarse)
            })
    }

    fn partial(mask_present: u32, missing: u32) -> Assessment {
        let missing = missing & ((1 << 24) - 1);
        Assessment::from_masks(mask_present & !missing, missing).expect("valid masks")
    }

    fn build(t: &Truth, k: &Known) -> TargetInputs {
        let mut i = TargetInputs::new(partial(t.now, k.now_missing));
        let opt = |known: bool, v: bool| if known { Some(v) } else { None };
        i.previous_assessment = t
            .prev
            .filter(|_| k.known[0])
            .map(|p| partial(p, k.prev_missing));
        i.new_activity = t.statement.filter(|_| k.known[1]);
        i.pga = k.known[2].then(|| Pga::from_tenths(t.pga_tenths).expect("0..=30"));
        i.prednisone_equivalent =
            k.known[3].then(|| PrednisoneEquivalent::from_micrograms(t.pred_ug).expect("in range"));
        i.hemolytic_anemia = opt(k.known[4], t.flags[0]);
        i.gastrointestinal_activity = opt(k.known[5], t.flags[1]);
        i.maintenance_tolerated = opt(k.known[6], t.flags[2]);
        i.investigational_drug = opt(k.known[7], t.flags[3]);
        i
    }

    /// `coarse` is consistent with `fine` when it is indeterminate or equal.
    fn refines(coarse: TriState, fine: TriState) -> bool {
        coarse == Indeterminate || coarse == fine
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Adding a missing input never flips met <-> not met (overall or per
        /// criterion); it only resolves indeterminate.
        #[test]
        fn adding_inputs_only_resolves_indeterminate(t in truth(), (fine, coarse) in knowledge()) {
            let fi = build(&t, &fine);
            let ci = build(&t, &coarse);
            match (lldas::evaluate(&ci), lldas::evaluate(&fi)) {
                (Ok(c), Ok(f)) => {
                    prop_assert!(refines(c.state(), f.state()), "{:?} -> {:?}", c.state(), f.state());
                    for (cc, fc) in c.criteria().iter().zip(f.criteria()) {
                        prop_assert!(refines(cc.state(), fc.state()), "{:?}: {:?} -> {:?}", cc.criterion(), cc.state(), fc.state());
                    }
                }
                // A contradiction visible with less data stays visible with more.
                (Err(_), f) => prop_assert!(f.is_err()),
                (Ok(_), Err(_)) => {}
            }
            for o in [
                RemissionOptions::default(),
                RemissionOptions::default()
                    .with_pga(RemissionPga::ReviewAtMostHalf)
                    .with_glucocorticoid(RemissionGlucocorticoid::Below5Mg),
            ] {
                let c = remission::evaluate(&ci, o).unwrap();
                let f = remission::evaluate(&fi, o).unwrap();
                prop_assert!(refines(c.state(), f.state()));
                for (cc, fc) in c.criteria().iter().zip(f.criteria()) {
                    prop_assert!(refines(cc.state(), fc.state()));
                }
            }
        }

        /// DORIS met implies clinical SLEDAI 0 in every completion; LLDAS met
        /// implies SLEDAI-2K <= 4 in every completion; met needs every input.
        #[test]
        fn met_implies_the_definition(t in truth(), (k, _) in knowledge()) {
            let i = build(&t, &k);
            let a = i.assessment;
            if remission::evaluate(&i, RemissionOptions::default()).unwrap().state() == Met {
                prop_assert_eq!(a.clinical_score_range().max().get(), 0);
                prop_assert!(i.pga.is_some() && i.prednisone_equivalent.is_some());
                // Independently: no present-or-missing non-serology descriptor.
                let clinical = descriptors(a.present_mask() | a.not_assessed_mask());
                prop_assert!(clinical.iter().all(|d| SEROLOGY.contains(&d.id())));
            }
            if let Ok(r) = lldas::evaluate(&i) {
                if r.state() == Met {
                    prop_assert!(a.score_range().max().get() <= 4);
                    prop_assert!(i.pga.is_some() && i.prednisone_equivalent.is_some());
                    prop_assert!(i.hemolytic_anemia == Some(false));
                    prop_assert!(i.gastrointestinal_activity == Some(false));
                    prop_assert!(i.maintenance_tolerated == Some(true));
                    prop_assert!(i.investigational_drug == Some(false));
                }
            }
        }

        /// Criterion 1 agrees with brute force over all completions of the
        /// missing items (the oracle uses the reference's mapping, not the
        /// library's).
        #[test]
        fn criterion_1_matches_brute_force(present in sparse(0.08), missing in sparse(0.3)) {
            let missing = missing & ((1 << 24) - 1);
            prop_assume!(missing.count_ones() <= 12);
            let a = partial(present, missing);
            let i = TargetInputs::new(a)
                .with_hemolytic_anemia(false)
                .with_gastrointestinal_activity(false);
            let expected = oracle(a.present_mask(), missing, |p| criterion_1_complete(&descriptors(p)));
            prop_assert_eq!(lldas_state(&i, Criterion::LldasActivity), expected);
        }

        /// DORIS clinical SLEDAI = 0 agrees with brute force over completions.
        #[test]
        fn doris_clinical_matches_brute_force(present in sparse(0.05), missing in sparse(0.3)) {
            let missing = missing & ((1 << 24) - 1);
            prop_assume!(missing.count_ones() <= 12);
            let a = partial(present, missing);
            let expected = oracle(a.present_mask(), missing, |p| {
                descriptors(p).iter().all(|d| SEROLOGY.contains(&d.id()))
            });
            prop_assert_eq!(doris_state(&TargetInputs::new(a), Criterion::DorisClinicalSledai), expected);
        }

        /// Criterion 2 from items agrees with brute force over completions of
        /// both assessments ("present now and absent then").
        #[test]
        fn criterion_2_matches_brute_force(
            now in sparse(0.15), now_missing in sparse(0.1),
            prev in sparse(0.15), prev_missing in sparse(0.1),
        ) {
            let mask = (1u32 << 24) - 1;
            let (nm, pm) = (now_missing & mask, prev_missing & mask);
            prop_assume!(nm.count_ones() + pm.count_ones() <= 12);
            let a = partial(now, nm);
            let p = partial(prev, pm);
            let i = TargetInputs::new(a).with_previous_assessment(p);
            // Completions of both, as one 48-bit space: missing bits of now in
            // the low 24, of prev in the high 24 (handled as two loops).
            let (mut any_met, mut any_not) = (false, false);
            let now_bits: Vec<u32> = (0..24).filter(|b| nm & (1 << b) != 0).collect();
            let prev_bits: Vec<u32> = (0..24).filter(|b| pm & (1 << b) != 0).collect();
            for cn in 0u32..(1 << now_bits.len()) {
                let mut n = a.present_mask();
                for (k, b) in now_bits.iter().enumerate() { if cn & (1 << k) != 0 { n |= 1 << b; } }
                for cp in 0u32..(1 << prev_bits.len()) {
                    let mut q = p.present_mask();
                    for (k, b) in prev_bits.iter().enumerate() { if cp & (1 << k) != 0 { q |= 1 << b; } }
                    let new = n & !q; // present now, absent then
                    if new == 0 { any_met = true } else { any_not = true }
                }
            }
            let expected = match (any_met, any_not) {
                (true, false) => Met,
                (false, true) => NotMet,
                _ => Indeterminate,
            };
            prop_assert_eq!(lldas_state(&i, Criterion::LldasNoNewActivity), expected);
        }

        /// With every input recorded (and a previous assessment), neither
        /// definition is ever indeterminate.
        #[test]
        fn complete_inputs_are_determinate(t in truth()) {
            let all = Known { now_missing: 0, prev_missing: 0, known: [true; 8] };
            let mut t = t;
            if t.prev.is_none() { t.prev = Some(t.now); }
            let i = build(&t, &all);
            prop_assert_ne!(remission::evaluate(&i, RemissionOptions::default()).unwrap().state(), Indeterminate);
            if let Ok(r) = lldas::evaluate(&i) {
                prop_assert_ne!(r.state(), Indeterminate);
            }
        }
    }
}
