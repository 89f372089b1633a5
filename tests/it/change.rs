//! Change from baseline and SRI-k (issue 7), checked against
//! `docs/reference.md` section 4 (Furie 2009 SRI; percent change undefined at
//! baseline 0), hand-computed cases, exhaustive enumeration of completions,
//! and properties.

use proptest::prelude::*;
use sledai::change::{
    IncompletePolicy, Measure, ScoreChange, Sri, SriCriterion, SriInput, SriOptions, evaluate_sri,
};
use sledai::{Assessment, Descriptor, Error, Finding, Pga, Score, TriState};

fn s(v: u8) -> Score {
    Score::new(v).expect("valid score")
}

fn pga(v: f64) -> Pga {
    Pga::new(v).expect("valid pga")
}

#[test]
fn absolute_and_percent_hand_cases() {
    // `docs/reference.md` section 4: change = follow-up - baseline, negative = improvement.
    let c = ScoreChange::from_scores(s(10), s(4));
    assert_eq!(c.absolute(), Some(-6));
    assert_eq!(c.percent(), Some(-60.0));
    let c = ScoreChange::from_scores(s(4), s(10));
    assert_eq!(c.absolute(), Some(6));
    assert_eq!(c.percent(), Some(150.0));
    let c = ScoreChange::from_scores(s(12), s(12));
    assert_eq!((c.absolute(), c.percent()), (Some(0), Some(0.0)));
}

#[test]
fn baseline_zero_percent_is_undefined_not_zero_or_infinite() {
    // `docs/reference.md` section 4: undefined when baseline is 0, never 0 or infinity.
    for follow in [0u8, 1, 4, 105] {
        let c = ScoreChange::from_scores(Score::ZERO, s(follow));
        assert_eq!(c.percent(), None, "0 -> {follow}");
        assert_eq!(c.absolute(), Some(i16::from(follow)));
    }
    let json = serde_json::to_value(ScoreChange::from_scores(Score::ZERO, s(4))).expect("json");
    assert!(json["percent"].is_null());
    assert_eq!(json["absolute"], 4);
}

#[test]
fn reduction_reaches_matches_definition_for_every_pair() {
    // Exhaustive over every pair of totals and k = 0..=10: met iff
    // baseline - follow-up >= k (exact totals are never indeterminate).
    for b in 0..=105u8 {
        for f in 0..=105u8 {
            let c = ScoreChange::from_scores(s(b), s(f));
            for k in 0..=10u8 {
                let want = TriState::from_bool(i16::from(b) - i16::from(f) >= i16::from(k));
                assert_eq!(c.reduction_reaches(k), want, "{b} -> {f}, k {k}");
            }
        }
    }
}

/// Every completion of an assessment's missing descriptors, as totals.
fn completion_totals(a: &Assessment) -> Vec<i16> {
    let missing: Vec<Descriptor> = a.missing().iter().collect();
    (0..1u32 << missing.len())
        .map(|bits| {
            let mut c = *a;
            for (i, d) in missing.iter().enumerate() {
                let f = if bits >> i & 1 == 1 {
                    Finding::Present
                } else {
                    Finding::Absent
                };
                c.set(*d, f);
            }
            i16::from(c.score().expect("complete").get())
        })
        .collect()
}

#[test]
fn range_change_matches_enumerated_completions() {
    // Independent check: enumerate every completion of both assessments and
    // compare the set of changes with the range and the three-valued answer.
    let base = Assessment::from_present([Descriptor::Arthritis, Descriptor::Proteinuria])
        .with(Descriptor::Rash, Finding::NotAssessed)
        .with(Descriptor::Fever, Finding::NotAssessed);
    let follow = Assessment::from_present([Descriptor::Arthritis])
        .with(Descriptor::Alopecia, Finding::NotAssessed)
        .with(Descriptor::Pyuria, Finding::NotAssessed);
    let c = ScoreChange::between(&base, &follow, Measure::Sledai2k, IncompletePolicy::Range)
        .expect("range policy never fails");
    let bs = completion_totals(&base);
    let fs = completion_totals(&follow);
    let changes: Vec<i16> = bs
        .iter()
        .flat_map(|b| fs.iter().map(move |f| f - b))
        .collect();
    assert_eq!(c.min(), *changes.iter().min().expect("non-empty"));
    assert_eq!(c.max(), *changes.iter().max().expect("non-empty"));
    assert_eq!(c.absolute(), None);
    assert_eq!(c.percent(), None);
    for k in 0..=12u8 {
        let k16 = i16::from(k);
        let all = changes.iter().all(|ch| -ch >= k16);
        let any = changes.iter().any(|ch| -ch >= k16);
        let want = if all {
            TriState::Met
        } else if !any {
            TriState::NotMet
        } else {
            TriState::Indeterminate
        };
        assert_eq!(c.reduction_reaches(k), want, "k {k}");
    }
}

#[test]
fn incomplete_policy_error_refuses_incomplete_assessments() {
    let full = Assessment::from_present([Descriptor::Arthritis]);
    let partial = full.with(Descriptor::Rash, Finding::NotAssessed);
    let err = ScoreChange::between(&full, &partial, Measure::Sledai2k, IncompletePolicy::Error)
        .expect_err("incomplete follow-up");
    assert!(matches!(err, Error::IncompleteAssessment { .. }), "{err}");
    let err = ScoreChange::between(&partial, &full, Measure::Sledai2k, IncompletePolicy::Error)
        .expect_err("incomplete baseline");
    assert!(matches!(err, Error::IncompleteAssessment { .. }), "{err}");
    // Clinical SLEDAI ignores serology (`docs/reference.md` section 1.4), so a missing
    // serology item does not make the clinical change incomplete.
    let no_c3 = full.with(Descriptor::LowComplement, Finding::NotAssessed);
    let c = ScoreChange::between(
        &full,
        &no_c3,
        Measure::ClinicalSledai,
        IncompletePolicy::Error,
    )
    .expect("clinical total is complete");
    assert_eq!(c.absolute(), Some(0));
}

#[test]
fn clinical_measure_ignores_serology() {
    let base = Assessment::from_present([
        Descriptor::Arthritis,
        Descriptor::LowComplement,
        Descriptor::IncreasedDnaBinding,
    ]); // 8, clinical 4
    let follow = Assessment::from_present([Descriptor::LowComplement]); // 2, clinical 0
    let full = ScoreChange::between(&base, &follow, Measure::Sledai2k, IncompletePolicy::Error)
        .expect("complete");
    let clin = ScoreChange::between(
        &base,
        &follow,
        Measure::ClinicalSledai,
        IncompletePolicy::Error,
    )
    .expect("complete");
    assert_eq!(full.absolute(), Some(-6));
    assert_eq!(clin.absolute(), Some(-4));
    assert_eq!(clin.percent(), Some(-100.0));
}

fn responder(b: u8, f: u8) -> SriInput {
    SriInput::new(ScoreChange::from_scores(s(b), s(f)))
        .with_new_bilag_a(Some(0))
        .with_new_bilag_b(Some(0))
        .with_baseline_pga(Some(pga(1.0)))
        .with_visit_pga(Some(pga(1.0)))
}

#[test]
fn sri_k_thresholds() {
    // `docs/reference.md` section 4: SRI-5..8 raise the reduction to 5..8 points.
    // Baseline 10 -> 4 is a 6-point reduction.
    for k in 4..=8u8 {
        let r = evaluate_sri(
            &responder(10, 4),
            Sri::new(k).expect("valid k"),
            SriOptions::default(),
        )
        .unwrap();
        assert_eq!(r.k(), k);
        assert_eq!(r.state(), TriState::from_bool(k <= 6), "SRI-{k}");
        assert_eq!(
            r.criterion(SriCriterion::Sledai).state(),
            TriState::from_bool(k <= 6),
            "SRI-{k}"
        );
    }
    for k in [0u8, 1, 3, 9, 105, 255] {
        let err = Sri::new(k).expect_err("k outside 4..=8");
        assert!(
            matches!(err, Error::OutOfRange { field: "sri_k", .. }),
            "{err}"
        );
    }
}

#[test]
fn sri_unreachable_when_baseline_below_k() {
    // `docs/reference.md` section 4: SRI-k needs baseline >= k to be reachable.
    let r = evaluate_sri(
        &responder(5, 0),
        Sri::new(6).expect("k"),
        SriOptions::default(),
    )
    .unwrap();
    assert_eq!(r.state(), TriState::NotMet);
    assert!(
        r.criterion(SriCriterion::Sledai)
            .reason()
            .to_string()
            .contains("unreachable"),
        "{}",
        r.criterion(SriCriterion::Sledai).reason().to_string()
    );
    // Baseline exactly k, follow-up 0: reachable and met.
    let r = evaluate_sri(
        &responder(6, 0),
        Sri::new(6).expect("k"),
        SriOptions::default(),
    )
    .unwrap();
    assert_eq!(r.state(), TriState::Met);
}

#[test]
fn sri_pga_worsening_is_exact_in_tenths() {
    // Furie 2009: an increase of >= 0.3 is worsening. In binary floating
    // point 1.8 - 1.5 = 0.30000000000000004 (`docs/reference.md` section 4); in
    // tenths it is exactly 3.
    let base = SriInput::new(ScoreChange::from_scores(s(10), s(4)))
        .with_new_bilag_a(Some(0))
        .with_new_bilag_b(Some(0));
    let at = |b: f64, f: f64| {
        evaluate_sri(
            &base
                .with_baseline_pga(Some(pga(b)))
                .with_visit_pga(Some(pga(f))),
            Sri::SRI_4,
            SriOptions::default(),
        )
        .unwrap()
        .criterion(SriCriterion::Pga)
        .state()
    };
    assert_eq!(at(1.5, 1.8), TriState::NotMet); // +0.3: worsening
    assert_eq!(at(1.5, 1.7), TriState::Met); // +0.2
    assert_eq!(at(0.1, 0.4), TriState::NotMet); // 0.4 - 0.1 = 0.30000000000000004 too
    assert_eq!(at(2.0, 0.0), TriState::Met); // improvement
    assert_eq!(at(0.0, 3.0), TriState::NotMet);
    // Exhaustive over all pairs of tenths: worsening iff increase >= 3 tenths.
    for b in 0..=30u8 {
        for f in 0..=30u8 {
            let input = base
                .with_baseline_pga(Some(Pga::from_tenths(b).expect("tenths")))
                .with_visit_pga(Some(Pga::from_tenths(f).expect("tenths")));
            let r = evaluate_sri(&input, Sri::SRI_4, SriOptions::default()).unwrap();
            assert_eq!(
                r.criterion(SriCriterion::Pga).state(),
                TriState::from_bool(i16::from(f) - i16::from(b) < 3)
            );
        }
    }
}

#[test]
fn sri_bilag_rules_and_missing_inputs() {
    let c = ScoreChange::from_scores(s(10), s(4));
    let p = (Some(pga(1.0)), Some(pga(1.0)));
    let eval = |a: Option<u8>, b: Option<u8>| {
        evaluate_sri(
            &SriInput::new(c)
                .with_new_bilag_a(a)
                .with_new_bilag_b(b)
                .with_baseline_pga(p.0)
                .with_visit_pga(p.1),
            Sri::SRI_4,
            SriOptions::default(),
        )
        .unwrap()
    };
    // Furie 2009: no new BILAG A, at most one new BILAG B.
    assert_eq!(eval(Some(0), Some(1)).state(), TriState::Met);
    assert_eq!(
        eval(Some(0), Some(2))
            .criterion(SriCriterion::BilagB)
            .state(),
        TriState::NotMet
    );
    assert_eq!(
        eval(Some(1), Some(0))
            .criterion(SriCriterion::BilagA)
            .state(),
        TriState::NotMet
    );
    // Not recorded: indeterminate, never a pass.
    let r = eval(None, Some(0));
    assert_eq!(
        (r.criterion(SriCriterion::BilagA).state(), r.state()),
        (TriState::Indeterminate, TriState::Indeterminate)
    );
    // A failed component dominates a missing one.
    assert_eq!(eval(None, Some(3)).state(), TriState::NotMet);
    // Missing PGA: indeterminate.
    let r = evaluate_sri(
        &SriInput::new(c)
            .with_new_bilag_a(Some(0))
            .with_new_bilag_b(Some(0)),
        Sri::SRI_4,
        SriOptions::default(),
    )
    .unwrap();
    assert_eq!(
        (r.criterion(SriCriterion::Pga).state(), r.state()),
        (TriState::Indeterminate, TriState::Indeterminate)
    );
    let r = evaluate_sri(
        &SriInput::new(c)
            .with_new_bilag_a(Some(0))
            .with_new_bilag_b(Some(0))
            .with_baseline_pga(Some(pga(1.0)))
            .with_visit_pga(None),
        Sri::SRI_4,
        SriOptions::default(),
    )
    .unwrap();
    assert_eq!(
        r.criterion(SriCriterion::Pga).reason().to_string(),
        "follow-up PGA not recorded"
    );
}

#[test]
fn sri_with_incomplete_sledai() {
    // Baseline 10; follow-up 4 with rash (2) and vasculitis (8) unassessed:
    // 4 to 14. A 4-point reduction is possible but not certain.
    let base = Assessment::from_present([
        Descriptor::Arthritis,
        Descriptor::Proteinuria,
        Descriptor::LowComplement,
    ]);
    let follow = Assessment::from_present([Descriptor::Arthritis])
        .with(Descriptor::Rash, Finding::NotAssessed)
        .with(Descriptor::Vasculitis, Finding::NotAssessed);
    let c = ScoreChange::between(&base, &follow, Measure::Sledai2k, IncompletePolicy::Range)
        .expect("range");
    let r = evaluate_sri(
        &SriInput::new(c)
            .with_new_bilag_a(Some(0))
            .with_new_bilag_b(Some(0))
            .with_baseline_pga(Some(pga(1.0)))
            .with_visit_pga(Some(pga(0.5))),
        Sri::SRI_4,
        SriOptions::default(),
    )
    .unwrap();
    assert_eq!(
        r.criterion(SriCriterion::Sledai).state(),
        TriState::Indeterminate
    );
    assert_eq!(r.state(), TriState::Indeterminate);
}

#[test]
fn sri_result_serializes_with_stable_names() {
    let r = evaluate_sri(&responder(10, 4), Sri::SRI_4, SriOptions::default()).unwrap();
    let v = serde_json::to_value(r).expect("json");
    let keys: Vec<&str> = v
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    for k in ["k", "state", "sledai", "bilag_a", "bilag_b", "pga"] {
        assert!(keys.contains(&k), "{k} in {keys:?}");
    }
    assert_eq!(v["state"], "met");
    assert_eq!(v["sledai"]["state"], "met");
    assert!(v["pga"]["reason"].is_string());
    let c = serde_json::to_value(ScoreChange::from_scores(s(10), s(4))).expect("json");
    assert_eq!(
        c,
        serde_json::json!({
            "baseline": {"min": 10, "max": 10},
            "follow_up": {"min": 4, "max": 4},
            "absolute_min": -6, "absolute_max": -6, "absolute": -6, "percent": -60.0
        })
    );
}

fn assessment() -> impl Strategy<Value = Assessment> {
    (0u32..1 << 24, 0u32..1 << 24).prop_map(|(p, m)| {
        let m = m & !p & 0x00F0_F00F; // a few missing items, never both
        Assessment::from_masks(p, m).expect("disjoint masks")
    })
}

proptest! {
    #[test]
    fn change_is_antisymmetric(a in assessment(), b in assessment()) {
        let ab = ScoreChange::between(&a, &b, Measure::Sledai2k, IncompletePolicy::Range).expect("range");
        let ba = ScoreChange::between(&b, &a, Measure::Sledai2k, IncompletePolicy::Range).expect("range");
        prop_assert_eq!(ab.min(), -ba.max());
        prop_assert_eq!(ab.max(), -ba.min());
        prop_assert_eq!(ab.absolute(), ba.absolute().map(|x| -x));
        prop_assert_eq!(ab.reversed(), ba);
        prop_assert!(ab.min() <= ab.max());
    }

    #[test]
    fn percent_is_finite_or_none(b in 0u8..=105, f in 0u8..=105) {
        let c = ScoreChange::from_scores(s(b), s(f));
        match c.percent() {
            None => prop_assert_eq!(b, 0),
            Some(p) => {
                prop_assert!(p.is_finite());
                prop_assert!(b > 0);
                prop_assert!((p - 100.0 * (f64::from(f) - f64::from(b)) / f64::from(b)).abs() < 1e-9);
            }
        }
    }
}
