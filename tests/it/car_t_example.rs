//! The worked CAR-T-like cohort of `examples/car_t_visits.jsonl` (modelled on
//! the IM19 trial, NCT06513429: screening, infusion on day 0, follow-up on
//! days 28, 90, 180 and 360), with LLDAS and DORIS evaluated from the data
//! by `visit::cohort`. Every expected value below was worked out by hand:
//!
//! - Weights: `docs/reference.md` section 1.2.
//! - LLDAS (Franklyn 2016; `docs/reference.md` section 2): SLEDAI-2K <= 4 without
//!   major organ activity, nothing new since the previous visit, PGA <= 1,
//!   prednisone-equivalent <= 7.5 mg/day, maintenance tolerated and no
//!   investigational drug.
//! - DORIS (2021; `docs/reference.md` section 3): clinical SLEDAI 0, PGA < 0.5,
//!   prednisone-equivalent <= 5 mg/day. Methylprednisolone 2 mg = 2.5 mg
//!   prednisone (factor 5/4, section 5).
//! - Time in LLDAS: state carried forward from each visit to the next, from
//!   the baseline to the last visit (docs/timeline.md).
//!
//! Patient A: baseline (day 0) arthritis 4 + proteinuria 4 + low complement
//! 2 + DNA 2 = 12 (screening, with haematuria: 16); day 28: 8; day 90: serology only, 4 -> LLDAS met; days
//! 180 and 360: 0 with PGA < 0.5 and <= 5 mg -> LLDAS and DORIS met.
//! LLDAS time: met over [90, 360) = 270 of 360 days = 0.75.
//!
//! Patient B: vasculitis 8 + rash 2 + low complement 2 = 12 at baseline;
//! no visit between days 76 and 104 (its visit is on day 120); day 360:
//! rash + arthritis + low complement = 8 (change -4); never in LLDAS.
//!
//! Patient C: baseline arthritis + proteinuria + low complement = 10; day
//! 92: low complement present, pyuria and DNA binding not assessed -> SLEDAI
//! 2 to 8, LLDAS indeterminate (pyuria would be renal activity); day 365:
//! nothing present, PGA 0, no glucocorticoid -> LLDAS and DORIS met.

use sledai::timeline::{Cohort, Endpoint, SummaryOptions, TimelineOptions, Window};
use sledai::visit::VisitInput;
use sledai::{Score, TriState};

fn report() -> sledai::timeline::CohortReport {
    let text = include_str!("../../examples/car_t_visits.jsonl");
    let visits: Vec<VisitInput> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("valid example line"))
        .collect();
    let c = Cohort::from_records(visits, &TimelineOptions::default()).expect("valid cohort");
    c.summarize(
        &SummaryOptions::new([Window::new(90, 14), Window::new(360, 14)])
            .with_screening_threshold(Score::new(10).expect("10")),
    )
}

fn endpoint_row(e: &Endpoint) -> &sledai::visit::VisitResult {
    &e.visit().expect("a visit in the window").visit
}

#[test]
fn patient_a_responder() {
    let r = report();
    let a = r
        .patients
        .iter()
        .find(|p| p.patient == "CART-A")
        .expect("A");
    assert_eq!(a.visits, 6);
    assert_eq!(a.reference_date.to_string(), "2024-03-04");
    assert_eq!(a.baseline.sledai_2k().min().get(), 12);
    assert_eq!(a.screening.as_ref().map(|s| s.state), Some(TriState::Met)); // 16 >= 10
    let d90 = endpoint_row(&a.endpoints[0].endpoint);
    assert_eq!(
        (
            d90.study_day().expect("a timeline day"),
            d90.sledai_2k().min().get()
        ),
        (90, 4)
    );
    assert_eq!(
        d90.change_from_baseline().and_then(|c| c.absolute()),
        Some(-8)
    );
    let pct = d90
        .change_from_baseline()
        .and_then(|c| c.percent())
        .expect("baseline 12");
    assert!((pct - (-800.0 / 12.0)).abs() < 1e-9, "{pct}");
    assert_eq!(
        (d90.lldas().state(), d90.doris().state()),
        (TriState::Met, TriState::NotMet)
    );
    let d360 = endpoint_row(&a.endpoints[1].endpoint);
    assert_eq!(
        (
            d360.study_day().expect("a timeline day"),
            d360.change_from_baseline().and_then(|c| c.absolute())
        ),
        (360, Some(-12))
    );
    assert_eq!(
        (d360.lldas().state(), d360.doris().state()),
        (TriState::Met, TriState::Met)
    );
    // SRI-4: reduction >= 4, no new BILAG A/B (0, 0), PGA not worse.
    assert_eq!(
        a.endpoints[0].sri4.as_ref().map(|s| s.state()),
        Some(TriState::Met)
    );
    assert_eq!(
        a.endpoints[1].sri4.as_ref().map(|s| s.state()),
        Some(TriState::Met)
    );
    assert_eq!(a.lldas.time.observed_days, 360);
    assert_eq!(a.lldas.time.fraction_of_time, Some(0.75));
    assert_eq!(a.lldas.time.at_least_half, TriState::Met);
    assert_eq!(a.lldas.first_day, Some(90));
    // DORIS from day 180: [180, 360) = 180 of 360 days.
    assert_eq!(a.doris.time.fraction_of_time, Some(0.5));
    assert_eq!(a.doris.first_day, Some(180));
}

#[test]
fn patient_b_no_visit_in_the_day_90_window() {
    let r = report();
    let b = r
        .patients
        .iter()
        .find(|p| p.patient == "CART-B")
        .expect("B");
    assert!(matches!(
        b.endpoints[0].endpoint,
        Endpoint::NoVisitInWindow { .. }
    ));
    let d360 = endpoint_row(&b.endpoints[1].endpoint);
    assert_eq!(
        d360.change_from_baseline().and_then(|c| c.absolute()),
        Some(-4)
    );
    assert_eq!(d360.lldas().state(), TriState::NotMet);
    // Reduction 4 reaches SRI-4's SLEDAI part, but BILAG is not recorded.
    assert_eq!(
        b.endpoints[1].sri4.as_ref().map(|s| s.state()),
        Some(TriState::Indeterminate)
    );
    assert_eq!(b.lldas.ever, TriState::NotMet);
    assert_eq!(b.lldas.time.fraction_of_time, Some(0.0));
}

#[test]
fn patient_c_incomplete_visit() {
    let r = report();
    let c = r
        .patients
        .iter()
        .find(|p| p.patient == "CART-C")
        .expect("C");
    let d92 = endpoint_row(&c.endpoints[0].endpoint);
    assert_eq!(d92.study_day().expect("a timeline day"), 92);
    assert_eq!(
        (d92.sledai_2k().min().get(), d92.sledai_2k().max().get()),
        (2, 8)
    );
    let c92 = d92.change_from_baseline().expect("after the baseline");
    assert_eq!((c92.min(), c92.max()), (-8, -2));
    assert_eq!(d92.change_from_baseline().and_then(|c| c.absolute()), None);
    assert_eq!(d92.lldas().state(), TriState::Indeterminate);
    let d365 = endpoint_row(&c.endpoints[1].endpoint);
    assert_eq!(
        (
            d365.study_day().expect("a timeline day"),
            d365.change_from_baseline().and_then(|c| c.absolute())
        ),
        (365, Some(-10))
    );
    assert_eq!(
        (d365.lldas().state(), d365.doris().state()),
        (TriState::Met, TriState::Met)
    );
    // Day 0 not met for 92 days, then indeterminate for 273: lower bound 0.
    assert_eq!(c.lldas.time.fraction_of_time, Some(0.0));
    let upper = c.lldas.time.fraction_of_time_upper.expect("observed time");
    assert!((upper - 273.0 / 365.0).abs() < 1e-12);
    assert_eq!(c.lldas.time.at_least_half, TriState::Indeterminate);
}

#[test]
fn cohort_summary() {
    let r = report();
    let s = &r.summary;
    assert_eq!(s.n, 3);
    let d90 = &s.endpoints[0];
    assert_eq!(d90.n_with_visit, 2);
    assert_eq!((d90.change.n, d90.change.n_inexact), (1, 1));
    assert_eq!(d90.change.median, Some(-8.0));
    assert_eq!((d90.lldas.met, d90.lldas.indeterminate), (1, 1));
    let d360 = &s.endpoints[1];
    assert_eq!(d360.n_with_visit, 3);
    // Changes -12, -10, -4: median -10; R type 7 quartiles -11 and -7.
    assert_eq!(d360.change.median, Some(-10.0));
    assert_eq!(d360.change.q1, Some(-11.0));
    assert_eq!(d360.change.q3, Some(-7.0));
    assert_eq!((d360.lldas.met, d360.lldas.not_met), (2, 1));
    // LLDAS >= 50% of follow-up: A met, B not met, C indeterminate.
    let half = &s.lldas_at_least_half;
    assert_eq!((half.met, half.not_met, half.indeterminate), (1, 1, 1));
}
