//! The ADaM BDS-shaped dataset (`sledai::adam`, docs/adam.md) on the worked
//! CAR-T-like cohort of `examples/car_t_visits.jsonl`, with every `ADY`,
//! `ABLFL`, `ANL01FL`, `CHG` and `PCHG` of the SLEDAI-2K records worked out
//! by hand below, and properties on generated cohorts.
//!
//! Independent facts used:
//! - Weights (`docs/reference.md` section 1.2): seizure ... vasculitis 8;
//!   arthritis, haematuria, proteinuria, pyuria 4; rash, low complement,
//!   increased DNA binding 2.
//! - Calendar arithmetic (2024 is a leap year): the day counts are spelled
//!   out in the comments.
//! - ADaM `ADY` (ADaM IG v1.3; admiral `derive_vars_dy`): the reference date
//!   is day 1, a later date `d` days after it is day `d + 1`, an earlier one
//!   day `-d`; there is no day 0.
//! - The analysis windows of `sledai cohort --at 90 --at 360 --window 14`:
//!   study days 76..=104 and 346..=374 from day 0, i.e. ADY 77..=105
//!   (target 91) and 347..=375 (target 361).
//! - SRI-4 (Furie 2009, docs/timeline.md): met only with a reduction >= 4,
//!   no new BILAG A, at most one new BILAG B and no PGA worsening >= 0.3;
//!   BILAG counts not recorded make it indeterminate unless another
//!   component is not met.

// Exact float equality is the point: every value is a ratio of small
// integers rounded once, so the hand-computed double is the same double.
#![allow(clippy::float_cmp)]

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use sledai::adam::{
    self, AdamOptions, AdyConvention, AnalysisSelection, AnalysisWindow, MissingReason, Parameter,
    Record,
};
use sledai::timeline::{Cohort, Endpoint, SummaryOptions, TimelineOptions, Window};
use sledai::visit::VisitInput;
use sledai::{Assessment, Date, Descriptor, Error, Pga, TriState};

const WINDOWS: [Window; 2] = [Window::new(90, 14), Window::new(360, 14)];

fn example_cohort() -> Cohort {
    let text = include_str!("../../examples/car_t_visits.jsonl");
    let visits: Vec<VisitInput> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("valid example line"))
        .collect();
    Cohort::from_records(visits, &TimelineOptions::default()).expect("valid cohort")
}

fn example() -> Vec<Record> {
    let o = AdamOptions::default().with_windows(AnalysisWindow::days(WINDOWS));
    let c = example_cohort();
    let records: Vec<Record> = adam::evaluate(&c, o).expect("options").records().collect();
    records
}

fn of<'a>(records: &'a [Record], subject: &str, paramcd: &str) -> Vec<&'a Record> {
    records
        .iter()
        .filter(|r| r.usubjid == subject && r.paramcd == paramcd)
        .collect()
}

/// The SLEDAI-2K facts of one record, worked out by hand.
#[derive(Debug, PartialEq)]
struct Expected {
    adt: Option<&'static str>,
    ady: Option<i32>,
    ady0: Option<i32>,
    avisit: Option<&'static str>,
    aval: Option<f64>,
    ablfl: bool,
    chg: Option<f64>,
    pchg: Option<f64>,
    anl01fl: bool,
}

fn actual(r: &Record) -> Expected {
    Expected {
        adt: r.adt.map(|d| &*d.to_string().leak()),
        ady: r.ady,
        ady0: r.ady0,
        avisit: r.avisit.as_deref().map(|s| &*s.to_owned().leak()),
        aval: r.aval,
        ablfl: r.ablfl,
        chg: r.chg,
        pchg: r.pchg,
        anl01fl: r.anl01fl,
    }
}

#[allow(clippy::too_many_arguments)]
fn e(
    adt: Option<&'static str>,
    ady0: Option<i32>,
    ady: Option<i32>,
    avisit: Option<&'static str>,
    aval: Option<f64>,
    ablfl: bool,
    chg: Option<f64>,
    pchg: Option<f64>,
    anl01fl: bool,
) -> Expected {
    Expected {
        adt,
        ady,
        ady0,
        avisit,
        aval,
        ablfl,
        chg,
        pchg,
        anl01fl,
    }
}

#[test]
fn car_t_a_sledai_records_by_hand() {
    let r = example();
    let a = of(&r, "CART-A", "SLEDAI");
    // Reference date 2024-03-04 (the infusion, given on every row).
    // Baseline (marked, day 0): arthritis 4 + proteinuria 4 + low
    // complement 2 + DNA binding 2 = 12 = BASE on every record.
    let expected = [
        // Screening 2024-02-19: Feb 19 -> Feb 29 is 10 days, -> Mar 4 is 4
        // more: day -14, ADY -14. 12 + haematuria 4 = 16; CHG 16 - 12 = 4,
        // PCHG 100 * 4 / 12. In no window: AVISIT empty.
        e(
            Some("2024-02-19"),
            Some(-14),
            Some(-14),
            None,
            Some(16.0),
            false,
            Some(4.0),
            Some(400.0 / 12.0),
            false,
        ),
        // Baseline 2024-03-04: day 0, ADY 1; CHG 0, PCHG 0.
        e(
            Some("2024-03-04"),
            Some(0),
            Some(1),
            Some("Baseline"),
            Some(12.0),
            true,
            Some(0.0),
            Some(0.0),
            false,
        ),
        // 2024-04-01: Mar 4 -> Apr 1 = 28 days, ADY 29. Proteinuria 4 + low
        // complement 2 + DNA 2 = 8; CHG -4, PCHG -400 / 12.
        e(
            Some("2024-04-01"),
            Some(28),
            Some(29),
            None,
            Some(8.0),
            false,
            Some(-4.0),
            Some(-400.0 / 12.0),
            false,
        ),
        // 2024-06-02: 31 (to Apr 4) + 30 (to May 4) + 29 (to Jun 2) = 90,
        // ADY 91, in 76..=104: Day 90, the only visit there: ANL01FL. Low
        // complement 2 + DNA 2 = 4; CHG -8, PCHG -800 / 12.
        e(
            Some("2024-06-02"),
            Some(90),
            Some(91),
            Some("Day 90"),
            Some(4.0),
            false,
            Some(-8.0),
            Some(-800.0 / 12.0),
            true,
        ),
        // 2024-08-31: 90 + 30 (to Jul 2) + 31 (to Aug 2) + 29 = 180, ADY
        // 181, in no window. Nothing present: 0; CHG -12, PCHG -100.
        e(
            Some("2024-08-31"),
            Some(180),
            Some(181),
            None,
            Some(0.0),
            false,
            Some(-12.0),
            Some(-100.0),
            false,
        ),
        // 2025-02-27: 180 + 30 + 31 + 30 + 31 + 31 + 27 = 360 (Sep 30, Oct
        // 31, Nov 30, Dec 31, Jan 31, Feb 27), ADY 361, Day 360, ANL01FL.
        e(
            Some("2025-02-27"),
            Some(360),
            Some(361),
            Some("Day 360"),
            Some(0.0),
            false,
            Some(-12.0),
            Some(-100.0),
            true,
        ),
    ];
    let got: Vec<Expected> = a.iter().map(|r| actual(r)).collect();
    assert_eq!(got, expected);
    assert!(a.iter().all(|r| r.base == Some(12.0)));
    // Windows in ADaM days: 76..=104 -> 77..=105 around 91; AVISITN 1, 2.
    assert_eq!(
        (a[3].avisitn, a[3].awtarget, a[3].awlo, a[3].awhi),
        (Some(1), Some(91), Some(77), Some(105))
    );
    assert_eq!(
        (a[5].avisitn, a[5].awtarget, a[5].awlo, a[5].awhi),
        (Some(2), Some(361), Some(347), Some(375))
    );
    assert_eq!(a[1].avisitn, Some(0));
    // SRI-4 after the baseline: day 28 has no BILAG counts (reduction 4,
    // PGA 2.0 -> 1.5 not worse): indeterminate; days 90 and 360 record 0
    // new A and 0 new B, reductions 8 and 12, PGA better: met.
    let crit: Vec<(Option<bool>, Option<MissingReason>)> =
        a.iter().map(|r| (r.crit1fl, r.crit1rsn)).collect();
    assert_eq!(
        crit,
        [
            (None, None),
            (None, None),
            (None, Some(MissingReason::Indeterminate)),
            (Some(true), None),
            (None, Some(MissingReason::Indeterminate)),
            (Some(true), None),
        ]
    );
    assert!(a[0].crit1.is_none() && a[1].crit1.is_none() && a[3].crit1.is_some());
}

#[test]
fn car_t_b_sledai_records_by_hand() {
    let r = example();
    let b = of(&r, "CART-B", "SLEDAI");
    // No reference date: the baseline (first visit, 2024-05-06) is day 0.
    // Baseline: vasculitis 8 + rash 2 + low complement 2 = 12.
    let expected = [
        e(
            Some("2024-05-06"),
            Some(0),
            Some(1),
            Some("Baseline"),
            Some(12.0),
            true,
            Some(0.0),
            Some(0.0),
            false,
        ),
        // 2024-06-03: May 6 -> Jun 3 = 28, ADY 29; unchanged 12: CHG 0.
        e(
            Some("2024-06-03"),
            Some(28),
            Some(29),
            None,
            Some(12.0),
            false,
            Some(0.0),
            Some(0.0),
            false,
        ),
        // 2024-09-03: 31 + 30 + 31 (to Aug 6) + 28 = 120, ADY 121, outside
        // 76..=104. Rash 2 + low complement 2 = 4; CHG -8, PCHG -800 / 12.
        e(
            Some("2024-09-03"),
            Some(120),
            Some(121),
            None,
            Some(4.0),
            false,
            Some(-8.0),
            Some(-800.0 / 12.0),
            false,
        ),
        // 2025-05-01: May 6 2024 -> May 6 2025 is 365 days (Feb 2025 has
        // 28), minus 5 = 360, ADY 361, Day 360. Rash 2 + arthritis 4 + low
        // complement 2 = 8; CHG -4, PCHG -400 / 12.
        e(
            Some("2025-05-01"),
            Some(360),
            Some(361),
            Some("Day 360"),
            Some(8.0),
            false,
            Some(-4.0),
            Some(-400.0 / 12.0),
            true,
        ),
        // No visit in 76..=104: the phantom record of Day 90, flagged, no
        // value and no change.
        e(
            None,
            None,
            None,
            Some("Day 90"),
            None,
            false,
            None,
            None,
            true,
        ),
    ];
    let got: Vec<Expected> = b.iter().map(|r| actual(r)).collect();
    assert_eq!(got, expected);
    let phantom = b[4];
    assert_eq!(phantom.dtype, Some("PHANTOM"));
    assert_eq!(phantom.avalrsn, Some(MissingReason::NoVisitInWindow));
    assert_eq!(phantom.base, Some(12.0));
    // SRI-4: day 28 reduction 0 < 4: not met; day 120 reduction 8 but no
    // BILAG counts: indeterminate; day 360 reduction 4, no BILAG:
    // indeterminate.
    let crit: Vec<Option<bool>> = b.iter().map(|r| r.crit1fl).collect();
    assert_eq!(crit, [None, Some(false), None, None, None]);
    assert_eq!(b[3].crit1rsn, Some(MissingReason::Indeterminate));
    assert_eq!(phantom.crit1rsn, Some(MissingReason::NoVisitInWindow));
}

#[test]
fn car_t_c_sledai_records_by_hand() {
    let r = example();
    let c = of(&r, "CART-C", "SLEDAI");
    // Baseline 2024-01-08: arthritis 4 + proteinuria 4 + low complement 2
    // = 10.
    let expected = [
        e(
            Some("2024-01-08"),
            Some(0),
            Some(1),
            Some("Baseline"),
            Some(10.0),
            true,
            Some(0.0),
            Some(0.0),
            false,
        ),
        // 2024-04-09: 31 (to Feb 8) + 29 (to Mar 8) + 31 (to Apr 8) + 1 =
        // 92, ADY 93, Day 90. Low complement 2 present; pyuria (4) and DNA
        // binding (2) not assessed: 2 to 8, no AVAL, no CHG.
        e(
            Some("2024-04-09"),
            Some(92),
            Some(93),
            Some("Day 90"),
            None,
            false,
            None,
            None,
            true,
        ),
        // 2025-01-07: Jan 8 2024 -> Jan 8 2025 is 366 days, minus 1 = 365,
        // ADY 366, in 346..=374: Day 360. 0; CHG -10, PCHG -100.
        e(
            Some("2025-01-07"),
            Some(365),
            Some(366),
            Some("Day 360"),
            Some(0.0),
            false,
            Some(-10.0),
            Some(-100.0),
            true,
        ),
    ];
    let got: Vec<Expected> = c.iter().map(|r| actual(r)).collect();
    assert_eq!(got, expected);
    let d92 = c[1];
    assert_eq!((d92.avallo, d92.avalhi), (Some(2.0), Some(8.0)));
    assert_eq!(d92.avalrsn, Some(MissingReason::NotAssessed));
    // The change range: 2 - 10 = -8 to 8 - 10 = -2.
    assert_eq!((d92.chglo, d92.chghi), (Some(-8.0), Some(-2.0)));
    // SRI-4: a reduction of 2 to 8 (indeterminate) and no BILAG counts.
    assert_eq!(d92.crit1rsn, Some(MissingReason::Indeterminate));
    // Pyuria (item 14) and DNA binding (item 21) not assessed at day 92.
    for code in ["SLED14", "SLED21"] {
        let item = of(&r, "CART-C", code);
        assert_eq!((item[1].aval, item[1].avalc), (None, None));
        assert_eq!(item[1].avalrsn, Some(MissingReason::NotAssessed));
    }
    // Low complement (item 20): present at day 92 (1, Y), absent at 365.
    let lc = of(&r, "CART-C", "SLED20");
    let got: Vec<(Option<f64>, Option<&str>)> = lc.iter().map(|r| (r.aval, r.avalc)).collect();
    assert_eq!(
        got,
        [
            (Some(1.0), Some("Y")),
            (Some(1.0), Some("Y")),
            (Some(0.0), Some("N"))
        ]
    );
}

#[test]
fn car_t_other_parameters_by_hand() {
    let r = example();
    // PGA of CART-A: baseline 2.0; 1.5, 0.8, 0.3, 0.2 after it.
    // CHG in tenths: -5, -12, -17, -18 -> -0.5, -1.2, -1.7, -1.8;
    // PCHG = 100 x tenths / 20: -25, -60, -85, -90. Screening 2.0: 0.
    let pga = of(&r, "CART-A", "PGA");
    let got: Vec<(Option<f64>, Option<f64>, Option<f64>)> =
        pga.iter().map(|r| (r.aval, r.chg, r.pchg)).collect();
    assert_eq!(
        got,
        [
            (Some(2.0), Some(0.0), Some(0.0)),
            (Some(2.0), Some(0.0), Some(0.0)),
            (Some(1.5), Some(-0.5), Some(-25.0)),
            (Some(0.8), Some(-1.2), Some(-60.0)),
            (Some(0.3), Some(-1.7), Some(-85.0)),
            (Some(0.2), Some(-1.8), Some(-90.0)),
        ]
    );
    // Prednisone equivalent of CART-A: 15, 15, 10, 7.5, prednisolone 5
    // (factor 1), methylprednisolone 2 x 5/4 = 2.5 (docs/reference.md
    // section 5). Day 360: CHG 2.5 - 15 = -12.5, PCHG -1250 / 15.
    let dose = of(&r, "CART-A", "PREDEQ");
    let got: Vec<Option<f64>> = dose.iter().map(|r| r.aval).collect();
    assert_eq!(
        got,
        [
            Some(15.0),
            Some(15.0),
            Some(10.0),
            Some(7.5),
            Some(5.0),
            Some(2.5)
        ]
    );
    assert_eq!(
        (dose[5].chg, dose[5].pchg),
        (Some(-12.5), Some(-1250.0 / 15.0))
    );
    // LLDAS of CART-A (tests/it/car_t_example.rs): not met at screening (16
    // > 4), baseline and day 28 (renal activity), met from day 90. BASE 0:
    // CHG 1 and no PCHG.
    let lldas = of(&r, "CART-A", "LLDAS");
    type StateRow<'a> = (Option<f64>, Option<&'a str>, Option<f64>, Option<f64>);
    let got: Vec<StateRow<'_>> = lldas
        .iter()
        .map(|r| (r.aval, r.avalc, r.chg, r.pchg))
        .collect();
    assert_eq!(
        got,
        [
            (Some(0.0), Some("not_met"), Some(0.0), None),
            (Some(0.0), Some("not_met"), Some(0.0), None),
            (Some(0.0), Some("not_met"), Some(0.0), None),
            (Some(1.0), Some("met"), Some(1.0), None),
            (Some(1.0), Some("met"), Some(1.0), None),
            (Some(1.0), Some("met"), Some(1.0), None),
        ]
    );
    // LLDAS of CART-C at day 92: indeterminate (pyuria not assessed would
    // be renal activity): empty with the reason, never 0.
    let c = of(&r, "CART-C", "LLDAS");
    assert_eq!((c[1].aval, c[1].avalc), (None, None));
    assert_eq!(c[1].avalrsn, Some(MissingReason::Indeterminate));
    // Every subject has 30 parameters; A 6 records each, B 5 (4 visits and
    // a phantom), C 3.
    assert_eq!(r.len(), 30 * (6 + 5 + 3));
}

#[test]
fn last_in_window_and_day_zero_conventions() {
    // Two visits in the day-90 window at days 84 and 96 (equidistant):
    // the default rule flags the earlier (84), admiral's template the last
    // (96).
    let d0 = Date::new(2024, 1, 1).expect("date");
    let v = |days: i32| {
        VisitInput::dated(
            d0.checked_add_days(days).expect("date"),
            Assessment::from_present([Descriptor::Rash]),
        )
        .with_patient("P")
    };
    let c =
        Cohort::from_records([v(0), v(84), v(96)], &TimelineOptions::default()).expect("cohort");
    let windows = AnalysisWindow::days([Window::new(90, 14)]);
    let flagged = |o: AdamOptions| -> Vec<i32> {
        adam::evaluate(&c, o)
            .expect("records")
            .records()
            .filter(|r| r.paramcd == "SLEDAI" && r.anl01fl)
            .filter_map(|r| r.ady0)
            .collect()
    };
    let o = AdamOptions::default().with_windows(windows.clone());
    assert_eq!(flagged(o.clone()), [84]);
    assert_eq!(
        flagged(o.clone().with_selection(AnalysisSelection::LastInWindow)),
        [96]
    );
    // ADY with day 0: equal to ADY0; the window bounds too (90 +/- 14).
    let r: Vec<Record> = adam::evaluate(&c, o.with_ady(AdyConvention::DayZero))
        .expect("options")
        .records()
        .collect();
    let total: Vec<&Record> = r.iter().filter(|r| r.paramcd == "SLEDAI").collect();
    assert_eq!(
        total.iter().map(|r| r.ady).collect::<Vec<_>>(),
        [Some(0), Some(84), Some(96)]
    );
    assert_eq!(
        (total[1].awtarget, total[1].awlo, total[1].awhi),
        (Some(90), Some(76), Some(104))
    );
}

#[test]
fn renamed_codes_and_window_table() {
    let c = example_cohort();
    let table = "AVISIT,AVISITN,AWTARGET,AWLO,AWHI\nMonth 3,3,91,77,105\nMonth 12,12,361,347,375\n";
    let windows = adam::parse_window_table(table, AdyConvention::Adam).expect("table");
    let o = AdamOptions::default()
        .with_windows(windows)
        .with_parameter_code(Parameter::Sledai2k, "SLEDAI2K")
        .with_parameter_code(Parameter::Item(Descriptor::Arthritis), "ARTHRIT");
    let r: Vec<Record> = adam::evaluate(&c, o).expect("options").records().collect();
    // The same records as --at 90 --at 360 --window 14, renamed.
    let a = of(&r, "CART-A", "SLEDAI2K");
    assert_eq!(a.len(), 6);
    assert_eq!(
        (a[3].avisit.as_deref(), a[3].avisitn, a[3].awtarget),
        (Some("Month 3"), Some(3), Some(91))
    );
    assert!(!of(&r, "CART-A", "ARTHRIT").is_empty());
    assert!(of(&r, "CART-A", "SLEDAI").is_empty());
}

#[test]
fn bad_options_are_errors_naming_the_value() {
    let c = example_cohort();
    let err = |o: AdamOptions| adam::evaluate(&c, o).expect_err("rejected");
    let field = |e: &Error| match e {
        Error::InvalidValue { field, value, .. } => (*field, value.to_string()),
        other => panic!("{other}"),
    };
    assert_eq!(
        field(&err(
            AdamOptions::default().with_parameter_code(Parameter::Pga, "LLDAS")
        )),
        ("PARAMCD", "LLDAS".to_owned())
    );
    assert_eq!(
        field(&err(
            AdamOptions::default().with_parameter_code(Parameter::Pga, "PHYSICIANGA")
        )),
        ("PARAMCD", "PHYSICIANGA".to_owned())
    );
    let w = |name: &str, n| AnalysisWindow::new(name, n, Window::new(90, 14));
    assert_eq!(
        field(&err(AdamOptions::default().with_windows([w("Baseline", 1)]))),
        ("AVISIT", "Baseline".to_owned())
    );
    assert_eq!(
        field(&err(
            AdamOptions::default().with_windows([w("A", 1), w("A", 2)])
        )),
        ("AVISIT", "A".to_owned())
    );
    assert_eq!(
        field(&err(
            AdamOptions::default().with_windows([w("A", 1), w("B", 1)])
        )),
        ("AVISITN", "1".to_owned())
    );
    assert_eq!(
        field(&err(AdamOptions::default().with_windows([w("A", 0)]))),
        ("AVISITN", "0".to_owned())
    );
    // Window table: the line (zero-based) and the column, the value as written.
    let bad = adam::parse_window_table(
        "AVISIT,AVISITN,AWTARGET,AWLO,AWHI\nDay 0,1,0,-7,8\n",
        AdyConvention::Adam,
    )
    .expect_err("day 0");
    assert!(
        matches!(&bad, Error::InBatch { index: 1, source, .. } if matches!(**source, Error::InvalidValue { field: "AWTARGET", .. })),
        "{bad}"
    );
    let bad = adam::parse_window_table(
        "AVISIT,AVISITN,AWTARGET,AWLO\nDay 90,1,91,77\n",
        AdyConvention::Adam,
    )
    .expect_err("missing column");
    assert!(bad.to_string().contains("AWHI"), "{bad}");
}

// ---- properties on generated cohorts ----

fn assessment() -> impl Strategy<Value = Assessment> {
    (
        0u32..(1 << 24),
        prop_oneof![3 => Just(0u32), 1 => 0u32..(1 << 24)],
    )
        .prop_map(|(p, na)| {
            let na = na & (na >> 3); // sparse
            Assessment::from_masks(p & !na, na).expect("disjoint masks")
        })
}

#[derive(Debug, Clone)]
struct Gen {
    day: i32,
    assessment: Assessment,
    pga: Option<u8>,
    baseline: bool,
}

fn visit() -> impl Strategy<Value = Gen> {
    (
        0i32..420,
        assessment(),
        proptest::option::of(0u8..=30),
        proptest::bool::weighted(0.15),
    )
        .prop_map(|(day, assessment, pga, baseline)| Gen {
            day,
            assessment,
            pga,
            baseline,
        })
}

fn patients() -> impl Strategy<Value = Vec<(i32, Vec<Gen>)>> {
    proptest::collection::vec(
        (0i32..40, proptest::collection::vec(visit(), 1..7)).prop_map(|(reference, mut vs)| {
            // Distinct dates; at most one baseline mark.
            vs.sort_by_key(|g| g.day);
            vs.dedup_by_key(|g| g.day);
            let mut marked = false;
            for g in &mut vs {
                g.baseline &= !marked;
                marked |= g.baseline;
            }
            (reference, vs)
        }),
        1..4,
    )
}

fn windows() -> impl Strategy<Value = Vec<Window>> {
    proptest::collection::btree_map(-20i32..400, (0u16..40, 0u16..40), 0..4).prop_map(|m| {
        m.into_iter()
            .map(|(t, (b, a))| Window::asymmetric(t, b, a))
            .collect()
    })
}

fn build(pts: &[(i32, Vec<Gen>)]) -> Cohort {
    let d0 = Date::new(2024, 1, 1).expect("date");
    let mut rows = Vec::new();
    for (i, (reference, vs)) in pts.iter().enumerate() {
        let reference = d0.checked_add_days(*reference).expect("date");
        for g in vs {
            let mut v = VisitInput::dated(d0.checked_add_days(g.day).expect("date"), g.assessment)
                .with_patient(format!("P{i}"))
                .with_reference_date(reference);
            if let Some(t) = g.pga {
                v = v.with_pga(Pga::from_tenths(t).expect("tenths"));
            }
            if g.baseline {
                v = v.with_baseline(true);
            }
            rows.push(v);
        }
    }
    Cohort::from_records(rows, &TimelineOptions::default()).expect("valid cohort")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn dataset_properties(
        pts in patients(),
        ws in windows(),
        last in any::<bool>(),
        day_zero in any::<bool>(),
    ) {
        let c = build(&pts);
        let selection = if last { AnalysisSelection::LastInWindow } else { AnalysisSelection::Closest };
        let ady = if day_zero { AdyConvention::DayZero } else { AdyConvention::Adam };
        let o = AdamOptions::default()
            .with_windows(AnalysisWindow::days(ws.iter().copied()))
            .with_selection(selection)
            .with_ady(ady);
        let dataset = adam::evaluate(&c, o).expect("options");
        let records: Vec<Record> = dataset.records().collect();
        // One subject's records are that subject's part of the dataset.
        for (id, _) in c.patients() {
            let part: Vec<Record> = records.iter().filter(|r| r.usubjid == id).cloned().collect();
            prop_assert_eq!(dataset.subject_records(id).collect::<Vec<_>>(), part);
        }
        // Exactly one ABLFL per subject x parameter.
        let mut ablfl: BTreeMap<(String, String), usize> = BTreeMap::new();
        let mut anl: BTreeMap<(String, String, String), usize> = BTreeMap::new();
        let mut keys: BTreeSet<(String, String)> = BTreeSet::new();
        for r in &records {
            keys.insert((r.usubjid.clone(), r.paramcd.clone()));
            if r.ablfl {
                *ablfl.entry((r.usubjid.clone(), r.paramcd.clone())).or_default() += 1;
            }
            if r.anl01fl {
                let k = (r.usubjid.clone(), r.paramcd.clone(), r.avisit.clone().unwrap_or_default());
                *anl.entry(k).or_default() += 1;
            }
            // CHG = AVAL - BASE wherever both exist (exact for totals and
            // flags; within rounding for PGA in tenths).
            if let (Some(a), Some(b)) = (r.aval, r.base) {
                let chg = r.chg.expect("CHG where AVAL and BASE exist");
                prop_assert!((chg - (a - b)).abs() <= 1e-9, "{} {} {}", chg, a, b);
                match r.pchg {
                    Some(p) => prop_assert!(b != 0.0 && (p - 100.0 * (a - b) / b).abs() <= 1e-9),
                    None => prop_assert!(b == 0.0),
                }
            } else {
                prop_assert!(r.chg.is_none() && r.pchg.is_none());
            }
            // A missing value is never 0: empty AVAL comes with a reason.
            prop_assert_eq!(r.aval.is_none(), r.avalrsn.is_some());
            if ady == AdyConvention::Adam {
                prop_assert!(r.ady != Some(0));
                prop_assert!(r.awtarget != Some(0) && r.awlo != Some(0) && r.awhi != Some(0));
            }
        }
        prop_assert_eq!(ablfl.len(), keys.len());
        prop_assert!(ablfl.values().all(|&n| n == 1));
        prop_assert!(anl.values().all(|&n| n == 1));
        prop_assert_eq!(keys.len(), c.len() * Parameter::ALL.len());

        // The endpoint values equal the cohort's (the default rule).
        if !last {
            let report = c.summarize(&SummaryOptions::new(ws.iter().copied()));
            for p in &report.patients {
                for (k, pe) in p.endpoints.iter().enumerate() {
                    let avisit = format!("Day {}", ws[k].target_day());
                    let flagged: Vec<&Record> = records
                        .iter()
                        .filter(|r| r.usubjid == p.patient && r.anl01fl && r.avisit.as_deref() == Some(&avisit))
                        .collect();
                    prop_assert_eq!(flagged.len(), Parameter::ALL.len());
                    let total = flagged.iter().find(|r| r.paramcd == "SLEDAI").expect("SLEDAI");
                    let lldas = flagged.iter().find(|r| r.paramcd == "LLDAS").expect("LLDAS");
                    match &pe.endpoint {
                        Endpoint::Visit(v) => {
                            let row = &v.visit;
                            prop_assert_eq!(total.adt, row.date());
                            prop_assert_eq!(total.ady0, row.study_day());
                            let (lo, hi) = (f64::from(row.sledai_2k().min().get()), f64::from(row.sledai_2k().max().get()));
                            if lo == hi {
                                prop_assert_eq!(total.aval, Some(lo));
                            } else {
                                prop_assert_eq!((total.avallo, total.avalhi), (Some(lo), Some(hi)));
                            }
                            // The cohort gives no change before the baseline; the
                            // dataset gives one there (docs/adam.md, producer's choice).
                            if let Some(c) = row.change_from_baseline() {
                                prop_assert_eq!(total.chg, c.absolute().map(f64::from));
                                prop_assert_eq!(total.pchg, c.percent());
                            }
                            let sri = pe.sri4.as_ref().map(|s| s.state());
                            prop_assert_eq!(total.crit1fl, match sri {
                                Some(TriState::Met) => Some(true),
                                Some(TriState::NotMet) => Some(false),
                                _ => None,
                            });
                            prop_assert_eq!(lldas.aval, match row.lldas().state() {
                                TriState::Met => Some(1.0),
                                TriState::NotMet => Some(0.0),
                                TriState::Indeterminate => None,
                            });
                        }
                        _ => {
                            prop_assert_eq!(total.dtype, Some("PHANTOM"));
                            prop_assert!(total.adt.is_none() && total.aval.is_none());
                        }
                    }
                }
            }
        }
    }
}

// ---- the layout: `table::output::adam_columns` ----
//
// Independent facts: the variable order of the table in docs/adam.md
// ("Variables"); the labels of the standard BDS variables in ADaMIG v1.3
// section 3.3 (`CRITy`, `CRITyFL`, `ANLzzFL` with y = 1, zz = 01); the SAS
// V5 transport limits every ADaM dataset is submitted under (a name of at
// most 8 characters, letters and digits, a letter first; a label of at most
// 40 characters). Each cell is checked against the record's field, read by
// this test's own mapping, and the serde form against an object built here.

use sledai::table::output::{self, Cell, OutputKind};

/// The variable names of docs/adam.md's "Variables" table, in order.
fn documented_variables() -> Vec<String> {
    let doc = include_str!("../../docs/adam.md");
    let table = &doc[doc.find("## Variables").expect("the section")..];
    let table = &table[..table.find("\n## ").expect("the next section")];
    let mut names = Vec::new();
    for line in table.lines().filter(|l| l.starts_with("| `")) {
        let first = line.split('|').nth(1).expect("a first cell");
        names.extend(first.split('`').skip(1).step_by(2).map(str::to_owned));
    }
    names
}

#[test]
fn layout_is_the_documented_variables_with_adamig_labels() {
    let cols = output::adam_columns();
    let names: Vec<&str> = cols.iter().map(|c| c.name()).collect();
    assert_eq!(names, documented_variables());
    const STANDARD: [(&str, &str); 20] = [
        ("USUBJID", "Unique Subject Identifier"),
        ("PARAMCD", "Parameter Code"),
        ("PARAM", "Parameter"),
        ("AVAL", "Analysis Value"),
        ("AVALC", "Analysis Value (C)"),
        ("ADT", "Analysis Date"),
        ("ADY", "Analysis Relative Day"),
        ("AVISIT", "Analysis Visit"),
        ("AVISITN", "Analysis Visit (N)"),
        ("AWTARGET", "Analysis Window Target"),
        ("AWLO", "Analysis Window Beginning Timepoint"),
        ("AWHI", "Analysis Window Ending Timepoint"),
        ("ABLFL", "Baseline Record Flag"),
        ("BASE", "Baseline Value"),
        ("CHG", "Change from Baseline"),
        ("PCHG", "Percent Change from Baseline"),
        ("ANL01FL", "Analysis Flag 01"),
        ("CRIT1", "Analysis Criterion 1"),
        ("CRIT1FL", "Criterion 1 Evaluation Result Flag"),
        ("DTYPE", "Derivation Type"),
    ];
    for (name, label) in STANDARD {
        let c = cols.iter().find(|c| c.name() == name).expect(name);
        assert_eq!(c.label(), Some(label), "{name}");
    }
    for c in cols {
        let (name, label) = (c.name(), c.label().expect("every variable has a label"));
        assert!(name.len() <= 8 && name.starts_with(|ch: char| ch.is_ascii_uppercase()));
        assert!(
            name.chars()
                .all(|ch| ch.is_ascii_uppercase() || ch.is_ascii_digit())
        );
        assert!(!label.is_empty() && label.len() <= 40, "{name}: {label}");
        assert!(c.states().is_empty(), "{name}: no vocabulary column");
    }
    // The other layouts have no labels.
    assert!(output::visit_columns().iter().all(|c| c.label().is_none()));
}

/// The cell of variable `name`, read from the record's field by this test.
fn expected_cell<'r>(r: &'r Record, name: &str) -> Cell<'r> {
    let text = |s: Option<&'r str>| s.map_or(Cell::Empty, Cell::Text);
    let int = |d: Option<i32>| d.map_or(Cell::Empty, |d| Cell::Integer(d.into()));
    let num = |x: Option<f64>| x.map_or(Cell::Empty, Cell::Number);
    let flag = |b: bool| if b { Cell::Text("Y") } else { Cell::Empty };
    let reason = |m: Option<MissingReason>| text(m.map(|m| m.id()));
    match name {
        "USUBJID" => Cell::Text(&r.usubjid),
        "PARAMCD" => Cell::Text(&r.paramcd),
        "PARAM" => Cell::Text(&r.param),
        "AVAL" => num(r.aval),
        "AVALC" => text(r.avalc),
        "AVALLO" => num(r.avallo),
        "AVALHI" => num(r.avalhi),
        "AVALRSN" => reason(r.avalrsn),
        "ADT" => r.adt.map_or(Cell::Empty, Cell::Date),
        "ADY" => int(r.ady),
        "ADY0" => int(r.ady0),
        "AVISIT" => text(r.avisit.as_deref()),
        "AVISITN" => int(r.avisitn),
        "AWTARGET" => int(r.awtarget),
        "AWLO" => int(r.awlo),
        "AWHI" => int(r.awhi),
        "ABLFL" => flag(r.ablfl),
        "BASE" => num(r.base),
        "CHG" => num(r.chg),
        "CHGLO" => num(r.chglo),
        "CHGHI" => num(r.chghi),
        "PCHG" => num(r.pchg),
        "ANL01FL" => flag(r.anl01fl),
        "CRIT1" => text(r.crit1),
        "CRIT1FL" => text(r.crit1fl.map(|m| if m { "Y" } else { "N" })),
        "CRIT1RSN" => reason(r.crit1rsn),
        "DTYPE" => text(r.dtype),
        other => panic!("no variable {other}"),
    }
}

/// Every cell of every record is the record's field, of its column's
/// kind; the serde form is the object of those cells in layout order.
fn check_layout(records: &[Record]) -> Result<(), TestCaseError> {
    let cols = output::adam_columns();
    for r in records {
        let mut json = String::from("{");
        for (i, c) in cols.iter().enumerate() {
            let cell = c.cell(r);
            prop_assert_eq!(cell, expected_cell(r, c.name()), "{}", c.name());
            let kind_ok = match (c.kind(), cell) {
                (_, Cell::Empty) => true,
                (OutputKind::Text, Cell::Text(_)) => true,
                (OutputKind::Text, Cell::Date(_)) => c.name() == "ADT",
                (OutputKind::Integer, Cell::Integer(_)) => true,
                (OutputKind::Number, Cell::Number(_)) => true,
                _ => false,
            };
            prop_assert!(
                kind_ok,
                "{}: {:?} in a {:?} column",
                c.name(),
                cell,
                c.kind()
            );
            if i > 0 {
                json.push(',');
            }
            json.push_str(&serde_json::to_string(c.name()).expect("a key"));
            json.push(':');
            json.push_str(&match cell {
                Cell::Empty => "null".to_owned(),
                Cell::Text(t) => serde_json::to_string(t).expect("text"),
                Cell::Date(d) => format!("\"{d}\""),
                Cell::Integer(n) => n.to_string(),
                Cell::Number(x) => serde_json::to_string(&x).expect("a number"),
                other => panic!("not an ADaM cell: {other:?}"),
            });
        }
        json.push('}');
        prop_assert_eq!(serde_json::to_string(r).expect("serializes"), json);
    }
    Ok(())
}

#[test]
fn layout_cells_and_serde_form_on_the_example() {
    let records = example();
    check_layout(&records).unwrap();
    // The kinds docs/adam.md gives: days and AVISITN whole numbers, the
    // values doubles, everything else text.
    for c in output::adam_columns() {
        let kind = match c.name() {
            "ADY" | "ADY0" | "AVISITN" | "AWTARGET" | "AWLO" | "AWHI" => OutputKind::Integer,
            "AVAL" | "AVALLO" | "AVALHI" | "BASE" | "CHG" | "CHGLO" | "CHGHI" | "PCHG" => {
                OutputKind::Number
            }
            _ => OutputKind::Text,
        };
        assert_eq!(c.kind(), kind, "{}", c.name());
    }
    // CART-A's day-90 SLEDAI-2K record (worked out above): its JSON.
    let a90 = of(&records, "CART-A", "SLEDAI")
        .into_iter()
        .find(|r| r.avisit.as_deref() == Some("Day 90") && r.anl01fl)
        .expect("the record");
    let v = serde_json::to_value(a90).expect("serializes");
    assert_eq!(v["AVAL"], 4.0);
    assert_eq!(v["CHG"], -8.0);
    assert_eq!(v["ADY"], 91);
    assert_eq!(v["ABLFL"], serde_json::Value::Null);
    assert_eq!(v["CRIT1FL"], "Y");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn layout_cells_and_serde_form_on_generated_cohorts(pts in patients(), ws in windows()) {
        let o = AdamOptions::default().with_windows(AnalysisWindow::days(ws.iter().copied()));
        let c = build(&pts);
        let records: Vec<Record> = adam::evaluate(&c, o).expect("options").records().collect();
        check_layout(&records)?;
    }
}
