//! Glucocorticoid prednisone-equivalents: hand-computed conversions for every
//! drug, exact comparisons at the LLDAS and DORIS cut-offs, validation.
//!
//! Every expected value is computed by hand from `docs/reference.md`,
//! section 5 ("mg of prednisone-equivalent per mg of drug: prednisone 1;
//! prednisolone 1; methylprednisolone 1.25 (4 mg = 5 mg); triamcinolone
//! 1.25; hydrocortisone 0.25 (20 mg = 5 mg); cortisone 0.2 (25 mg = 5 mg);
//! dexamethasone 5/0.75 (0.75 mg = 5 mg); betamethasone 5/0.75 [also 0.6 mg
//! = 5 mg]; deflazacort 5/6").

use sledai::Error;
use sledai::glucocorticoid::{
    BetamethasoneEquivalence, ConversionOptions, DailyDose, DrugDose, Glucocorticoid,
    PrednisoneEquivalent, prednisone_equivalent,
};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn one(drug: Glucocorticoid, mg: f64, o: ConversionOptions) -> Result<PrednisoneEquivalent, Error> {
    prednisone_equivalent(&[DrugDose::new(drug, DailyDose::from_mg(mg)?)], o)
}

fn pe(mg: f64) -> PrednisoneEquivalent {
    PrednisoneEquivalent::from_mg(mg).expect("valid prednisone-equivalent literal")
}

/// `docs/reference.md` section 5: the dose of each drug equivalent to 5 mg prednisone.
#[test]
fn reference_section_5_equivalent_of_5_mg_for_every_drug() -> TestResult {
    let o = ConversionOptions::default();
    let cases = [
        (Glucocorticoid::Prednisone, 5.0),
        (Glucocorticoid::Prednisolone, 5.0),
        (Glucocorticoid::Methylprednisolone, 4.0),
        (Glucocorticoid::Triamcinolone, 4.0),
        (Glucocorticoid::Hydrocortisone, 20.0),
        (Glucocorticoid::Cortisone, 25.0),
        (Glucocorticoid::Dexamethasone, 0.75),
        (Glucocorticoid::Betamethasone, 0.75),
        (Glucocorticoid::Deflazacort, 6.0),
    ];
    assert_eq!(cases.len(), Glucocorticoid::ALL.len());
    for (drug, mg) in cases {
        assert_eq!(one(drug, mg, o)?, pe(5.0), "{drug} {mg} mg");
        assert_eq!(one(drug, mg, o)?.exact_mg(), (5, 1), "{drug} {mg} mg");
    }
    Ok(())
}

/// `docs/reference.md` section 5: betamethasone 0.6 mg = 5 mg as an explicit option.
#[test]
fn betamethasone_alternative_option() -> TestResult {
    let alt =
        ConversionOptions::default().with_betamethasone(BetamethasoneEquivalence::SixTenthsMg);
    assert_eq!(one(Glucocorticoid::Betamethasone, 0.6, alt)?, pe(5.0));
    // Default: 0.6 mg x 20/3 = 4 mg.
    assert_eq!(
        one(
            Glucocorticoid::Betamethasone,
            0.6,
            ConversionOptions::default()
        )?,
        pe(4.0)
    );
    // The option does not touch dexamethasone: 0.6 x 20/3 = 4.
    assert_eq!(one(Glucocorticoid::Dexamethasone, 0.6, alt)?, pe(4.0));
    Ok(())
}

/// Hand-computed conversions other than the 5 mg row, exact as fractions.
#[test]
fn hand_computed_conversions_exact() -> TestResult {
    let o = ConversionOptions::default();
    // (drug, mg of drug, expected prednisone-equivalent mg as n/d)
    let cases: [(Glucocorticoid, f64, (u64, u64)); 12] = [
        (Glucocorticoid::Prednisone, 7.5, (15, 2)),
        (Glucocorticoid::Prednisolone, 12.5, (25, 2)),
        (Glucocorticoid::Methylprednisolone, 6.0, (15, 2)), // 6 x 5/4 = 7.5
        (Glucocorticoid::Methylprednisolone, 6.4, (8, 1)),  // 6.4 x 5/4 = 8
        (Glucocorticoid::Methylprednisolone, 1000.0, (1250, 1)),
        (Glucocorticoid::Triamcinolone, 8.0, (10, 1)),
        (Glucocorticoid::Hydrocortisone, 30.0, (15, 2)), // 30 / 4
        (Glucocorticoid::Hydrocortisone, 15.0, (15, 4)), // 3.75
        (Glucocorticoid::Cortisone, 37.5, (15, 2)),      // 37.5 / 5
        (Glucocorticoid::Dexamethasone, 1.0, (20, 3)),   // 6.666...
        (Glucocorticoid::Betamethasone, 1.5, (10, 1)),   // 1.5 x 20/3
        (Glucocorticoid::Deflazacort, 9.0, (15, 2)),     // 9 x 5/6
    ];
    for (drug, mg, expected) in cases {
        assert_eq!(one(drug, mg, o)?.exact_mg(), expected, "{drug} {mg} mg");
    }
    Ok(())
}

#[test]
fn regimen_of_several_drugs_adds_exactly() -> TestResult {
    let o = ConversionOptions::default();
    let dd = |g, mg| DailyDose::from_mg(mg).map(|d| DrugDose::new(g, d));
    // 5 + 10/4 = 7.5
    let r = [
        dd(Glucocorticoid::Prednisone, 5.0)?,
        dd(Glucocorticoid::Hydrocortisone, 10.0)?,
    ];
    assert_eq!(prednisone_equivalent(&r, o)?, pe(7.5));
    // Split doses of one drug: 2.5 + 2.5 = 5.
    let r = [
        dd(Glucocorticoid::Prednisolone, 2.5)?,
        dd(Glucocorticoid::Prednisolone, 2.5)?,
    ];
    assert_eq!(prednisone_equivalent(&r, o)?, pe(5.0));
    // Thirds add up: 0.5 mg dexamethasone (10/3) twice = 20/3.
    let r = [
        dd(Glucocorticoid::Dexamethasone, 0.5)?,
        dd(Glucocorticoid::Dexamethasone, 0.5)?,
    ];
    assert_eq!(prednisone_equivalent(&r, o)?.exact_mg(), (20, 3));
    // 1 mg dexamethasone (20/3) + 0.5 mg deflazacort (5/12) = 85/12.
    let r = [
        dd(Glucocorticoid::Dexamethasone, 1.0)?,
        dd(Glucocorticoid::Deflazacort, 0.5)?,
    ];
    assert_eq!(prednisone_equivalent(&r, o)?.exact_mg(), (85, 12));
    // Empty regimen: an explicit "none".
    assert_eq!(prednisone_equivalent(&[], o)?, PrednisoneEquivalent::ZERO);
    Ok(())
}

/// LLDAS (<= 7.5) and DORIS (<= 5) cut-offs compare exactly for decimals.
#[test]
fn cut_off_comparisons_are_exact() -> TestResult {
    let o = ConversionOptions::default();
    assert!(pe(7.5) <= pe(7.5));
    assert!(pe(7.6) > pe(7.5));
    assert!(pe(5.0) <= pe(5.0));
    assert!(pe(5.1) > pe(5.0));
    assert!(pe(4.9) < pe(5.0));
    assert_eq!(one(Glucocorticoid::Methylprednisolone, 6.0, o)?, pe(7.5));
    assert!(one(Glucocorticoid::Methylprednisolone, 6.4, o)? > pe(7.5));
    // 0.1 + 0.2 style pitfalls: 7.4 + 0.1 = 7.5 exactly.
    let r = [
        DrugDose::new(Glucocorticoid::Prednisone, DailyDose::from_mg(7.4)?),
        DrugDose::new(Glucocorticoid::Prednisone, DailyDose::from_mg(0.1)?),
    ];
    assert_eq!(prednisone_equivalent(&r, o)?, pe(7.5));
    // A computed f64 (20/3) reads back as exactly 1 mg dexamethasone.
    assert_eq!(
        PrednisoneEquivalent::from_mg(20.0 / 3.0)?,
        one(Glucocorticoid::Dexamethasone, 1.0, o)?
    );
    Ok(())
}

#[test]
fn dose_validation() {
    // NaN and infinities: not finite.
    for v in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        assert!(matches!(
            DailyDose::from_mg(v),
            Err(Error::NotFinite { field: "dose", .. })
        ));
        assert!(matches!(
            PrednisoneEquivalent::from_mg(v),
            Err(Error::NotFinite {
                field: "prednisone_equivalent",
                ..
            })
        ));
    }
    // Negative and absurd (> 2000 mg/day, the documented bound).
    for v in [-0.001, -5.0, 2000.001, 7500.0, 1e12] {
        assert!(
            matches!(
                DailyDose::from_mg(v),
                Err(Error::OutOfRange { field: "dose", .. })
            ),
            "{v}"
        );
    }
    assert!(DailyDose::from_mg(2000.0).is_ok());
    assert!(DailyDose::from_mg(0.0).is_ok());
    // Finer than a microgram.
    assert!(matches!(
        DailyDose::from_mg(7.5001),
        Err(Error::InvalidValue { field: "dose", .. })
    ));
    assert!(DailyDose::from_micrograms(2_000_001).is_err());
    assert!(PrednisoneEquivalent::from_micrograms(2_000_001).is_err());
    let msg = DailyDose::from_mg(-5.0).expect_err("negative").to_string();
    assert!(msg.contains("dose") && msg.contains("-5"), "{msg}");
}

#[test]
fn total_above_bound_is_an_error() -> TestResult {
    // 400 mg dexamethasone = 8000/3 mg > 2000 mg.
    let r = [DrugDose::new(
        Glucocorticoid::Dexamethasone,
        DailyDose::from_mg(400.0)?,
    )];
    assert!(matches!(
        prednisone_equivalent(&r, ConversionOptions::default()),
        Err(Error::OutOfRange {
            field: "prednisone_equivalent",
            ..
        })
    ));
    Ok(())
}

#[test]
fn names_parse_with_suggestions() -> TestResult {
    let ids = [
        "prednisone",
        "prednisolone",
        "methylprednisolone",
        "triamcinolone",
        "hydrocortisone",
        "cortisone",
        "dexamethasone",
        "betamethasone",
        "deflazacort",
    ];
    for (id, g) in ids.iter().zip(Glucocorticoid::ALL) {
        assert_eq!(id.parse::<Glucocorticoid>()?, g);
        assert_eq!(g.to_string(), *id);
        assert_eq!(serde_json::to_string(&g)?, format!("\"{id}\""));
    }
    match "dexamethazone".parse::<Glucocorticoid>() {
        Err(e @ Error::UnknownName { field, .. }) => {
            assert_eq!(field, "glucocorticoid");
            assert_eq!(e.suggestion(), Some("dexamethasone"));
        }
        other => panic!("expected UnknownName, got {other:?}"),
    }
    match "aspirin".parse::<Glucocorticoid>() {
        Err(e @ Error::UnknownName { .. }) => assert_eq!(e.suggestion(), None),
        other => panic!("expected UnknownName, got {other:?}"),
    }
    assert!(serde_json::from_str::<Glucocorticoid>("\"budesonide\"").is_err());
    Ok(())
}

#[test]
fn serde_round_trip_and_format() -> TestResult {
    let r = vec![
        DrugDose::new(Glucocorticoid::Prednisone, DailyDose::from_mg(7.5)?),
        DrugDose::new(Glucocorticoid::Betamethasone, DailyDose::from_mg(0.6)?),
    ];
    let json = serde_json::to_string(&r)?;
    assert_eq!(
        json,
        r#"[{"drug":"prednisone","mg_per_day":7.5},{"drug":"betamethasone","mg_per_day":0.6}]"#
    );
    assert_eq!(serde_json::from_str::<Vec<DrugDose>>(&json)?, r);
    assert!(
        serde_json::from_str::<DrugDose>(r#"{"drug":"prednisone","mg_per_day":5,"route":"iv"}"#)
            .is_err()
    );
    assert!(serde_json::from_str::<DrugDose>(r#"{"drug":"prednisone","mg_per_day":-5}"#).is_err());
    // Prednisone-equivalents round-trip, including thirds.
    let o = ConversionOptions::default();
    for (g, mg) in [
        (Glucocorticoid::Dexamethasone, 1.0),
        (Glucocorticoid::Deflazacort, 0.001),
        (Glucocorticoid::Hydrocortisone, 2000.0),
    ] {
        let p = one(g, mg, o)?;
        let back: PrednisoneEquivalent = serde_json::from_str(&serde_json::to_string(&p)?)?;
        assert_eq!(back, p, "{g} {mg}");
    }
    let opts: ConversionOptions = serde_json::from_str(r#"{"betamethasone":"six_tenths_mg"}"#)?;
    assert_eq!(opts.betamethasone(), BetamethasoneEquivalence::SixTenthsMg);
    Ok(())
}

#[test]
fn display_rounds_only_for_display() -> TestResult {
    let o = ConversionOptions::default();
    let dex = one(Glucocorticoid::Dexamethasone, 1.0, o)?;
    assert_eq!(dex.to_string(), "6.667 mg/day");
    assert_eq!(dex.exact_mg(), (20, 3)); // the value itself is not rounded
    assert_eq!(pe(7.5).to_string(), "7.5 mg/day");
    assert_eq!(pe(20.0).to_string(), "20 mg/day");
    Ok(())
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Whole-microgram decimals convert exactly: drug dose x factor equals
        /// the integer arithmetic n x ug / d done here independently.
        #[test]
        fn conversion_matches_integer_arithmetic(ug in 0u32..=200_000, i in 0usize..9) {
            // `docs/reference.md` section 5 factors as (n, d), in Glucocorticoid::ALL order.
            let factors = [(1u64, 1u64), (1, 1), (5, 4), (5, 4), (1, 4), (1, 5), (20, 3), (20, 3), (5, 6)];
            let drug = Glucocorticoid::ALL[i];
            let (n, d) = factors[i];
            let dose = DailyDose::from_micrograms(ug).expect("in range");
            let p = prednisone_equivalent(&[DrugDose::new(drug, dose)], ConversionOptions::default())
                .expect("in range");
            let (pn, pd) = p.exact_mg();
            // p = ug * n / (1000 d) mg  <=>  pn * 1000 * d == ug * n * pd
            prop_assert_eq!(pn * 1000 * d, u64::from(ug) * n * pd);
        }

        /// Order is the order of the exact values.
        #[test]
        fn order_matches_micrograms(a in 0u32..=2_000_000, b in 0u32..=2_000_000) {
            let pa = PrednisoneEquivalent::from_micrograms(a).expect("in range");
            let pb = PrednisoneEquivalent::from_micrograms(b).expect("in range");
            prop_assert_eq!(pa.cmp(&pb), a.cmp(&b));
        }
    }
}
