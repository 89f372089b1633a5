//! Patient timelines, endpoints, time in state and cohorts (issue 7).
//!
//! Expected values are computed by hand in the comments (`docs/reference.md`
//! sections 2, 4 and 7), never copied from the code's output.

use proptest::prelude::*;
use sledai::change::IncompletePolicy;
use sledai::glucocorticoid::PrednisoneEquivalent;
use sledai::remission_2017::Doris2017Variant;
use sledai::timeline::{
    Cohort, Endpoint, SummaryOptions, Target, TimeAttribution, Timeline, TimelineOptions, Window,
    screen, summarize_state, sustained, time_in_state,
};
use sledai::visit::{GlucocorticoidInput, VisitInput};
use sledai::{Assessment, Date, Descriptor, Error, Finding, Pga, Score, TriState};

use TriState::{Indeterminate, Met, NotMet};

fn day0() -> Date {
    Date::new(2024, 1, 1).expect("valid date")
}

fn at(day: i32) -> Date {
    day0().checked_add_days(day).expect("in range")
}

fn quiet() -> Assessment {
    Assessment::from_present([])
}

/// The LLDAS inputs the tests set on a record.
trait Record: Sized {
    /// Every LLDAS input recorded and passing but the PGA, which decides
    /// `lldas` (0.8 met, 2.0 not met, missing indeterminate; DORIS follows
    /// as not met, not met, indeterminate).
    fn with_lldas_inputs(self, lldas: TriState) -> Self;
}

impl Record for VisitInput {
    fn with_lldas_inputs(mut self, lldas: TriState) -> Self {
        self.new_activity = Some(false);
        self.glucocorticoids = Some(GlucocorticoidInput::PrednisoneEquivalent(
            PrednisoneEquivalent::ZERO,
        ));
        self.hemolytic_anemia = Some(false);
        self.gastrointestinal_activity = Some(false);
        self.maintenance_tolerated = Some(true);
        self.investigational_drug = Some(false);
        self.pga = match lldas {
            Met => Some(Pga::new(0.8).expect("pga")),
            NotMet => Some(Pga::new(2.0).expect("pga")),
            Indeterminate => None,
        };
        self
    }
}

/// A quiet visit on study day `day` (day 0 = 2024-01-01) whose record
/// evaluates to the LLDAS state `lldas`.
fn v(day: i32, lldas: TriState) -> VisitInput {
    VisitInput::dated(at(day), quiet()).with_lldas_inputs(lldas)
}

/// The LLDAS states of a timeline, in timeline order.
fn lldas_states(t: &Timeline) -> Vec<TriState> {
    (0..t.visit_count())
        .map(|i| t.state(i, Target::Lldas).expect("in bounds"))
        .collect()
}

fn opts() -> TimelineOptions {
    TimelineOptions::default()
}

fn timeline(visits: Vec<VisitInput>) -> Timeline {
    Timeline::new(visits, &opts()).expect("valid timeline")
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-12)
}

// ---- the three-visit patient, by hand, under each attribution rule ----

#[test]
fn three_visit_patient_time_in_lldas_by_hand() {
    // Days 0, 30, 90; LLDAS met, not met, met. Observed time 90 days.
    // Carry forward: [0,30) met (30), [30,90) not met (60); the last visit
    //   contributes nothing: 30/90.
    // Half interval: [0,30): 15 met + 15 not met; [30,90): 30 not met + 30
    //   met: 45/90.
    // Both ends: both intervals have a not-met end: 0/90.
    let t = timeline(vec![v(0, Met), v(30, NotMet), v(90, Met)]);
    let cf = t.time_in(Target::Lldas, TimeAttribution::CarryForward);
    assert_eq!(
        (cf.met_days, cf.not_met_days, cf.observed_days),
        (30.0, 60.0, 90)
    );
    assert!(close(cf.fraction_of_time, 1.0 / 3.0));
    let hi = t.time_in(Target::Lldas, TimeAttribution::HalfInterval);
    assert_eq!((hi.met_days, hi.not_met_days), (45.0, 45.0));
    assert!(close(hi.fraction_of_time, 0.5));
    let be = t.time_in(Target::Lldas, TimeAttribution::BothEnds);
    assert_eq!((be.met_days, be.not_met_days), (0.0, 90.0));
    assert!(close(be.fraction_of_time, 0.0));
    // Fraction of visits is rule-independent: 2 of 3.
    for r in [cf, hi, be] {
        assert_eq!((r.met_visits, r.not_met_visits, r.visits), (2, 1, 3));
        assert!(close(r.fraction_of_visits, 2.0 / 3.0));
    }
    // Franklyn 2016 landmark (>= 50% of time): only half-interval reaches it.
    assert_eq!(
        (cf.at_least_half, hi.at_least_half, be.at_least_half),
        (NotMet, Met, NotMet)
    );
}

#[test]
fn three_visit_patient_with_indeterminate_middle_visit() {
    // Days 0, 30, 90; met, indeterminate, met.
    // Carry forward: 30 met, 60 indeterminate -> 1/3, upper 1.
    // Half interval: 15 + 30 met, 15 + 30 indeterminate -> 1/2.
    // Both ends: met AND indeterminate = indeterminate on both: 0 met.
    let t = timeline(vec![v(0, Met), v(30, Indeterminate), v(90, Met)]);
    let cf = t.time_in(Target::Lldas, TimeAttribution::CarryForward);
    assert_eq!((cf.met_days, cf.indeterminate_days), (30.0, 60.0));
    assert!(close(cf.fraction_of_time_upper, 1.0));
    assert_eq!(cf.at_least_half, Indeterminate);
    let hi = t.time_in(Target::Lldas, TimeAttribution::HalfInterval);
    assert_eq!((hi.met_days, hi.indeterminate_days), (45.0, 45.0));
    let be = t.time_in(Target::Lldas, TimeAttribution::BothEnds);
    assert_eq!((be.met_days, be.indeterminate_days), (0.0, 90.0));
    assert_eq!((cf.indeterminate_visits, cf.met_visits), (1, 2));
    // Indeterminate is never met: fraction of visits 2/3, upper 3/3.
    assert!(close(cf.fraction_of_visits, 2.0 / 3.0));
    assert!(close(cf.fraction_of_visits_upper, 1.0));
}

#[test]
fn follow_up_starts_at_the_baseline() {
    // Screening at day -20 (not met), baseline at day 0 (met), day 60 not met.
    // Follow-up is days 0..60 only: carry forward 60/60 met.
    let visits = vec![v(-20, NotMet), v(0, Met).with_baseline(true), v(60, NotMet)];
    let t = Timeline::new(visits, &opts()).expect("valid");
    assert_eq!(t.study_days(), &[-20, 0, 60]);
    let cf = t.time_in(Target::Lldas, TimeAttribution::CarryForward);
    assert_eq!((cf.observed_days, cf.met_days, cf.visits), (60, 60.0, 2));
}

// ---- endpoint windows ----

fn endpoint_day(t: &Timeline, w: Window) -> Option<i32> {
    t.endpoint(w).visit().and_then(|e| e.visit.study_day())
}

#[test]
fn window_edges_are_inclusive() {
    // Issue 7: 76 and 104 are in 90 +/- 14; 75 and 105 are out.
    let w = Window::new(90, 14);
    for (day, inside) in [(75, false), (76, true), (104, true), (105, false)] {
        let t = timeline(vec![v(0, Met), v(day, Met)]);
        assert_eq!(endpoint_day(&t, w), inside.then_some(day), "day {day}");
        if !inside {
            assert_eq!(t.endpoint(w), Endpoint::NoVisitInWindow { window: w });
        }
    }
}

#[test]
fn endpoint_uses_closest_visit_and_earlier_on_tie() {
    let w = Window::new(90, 14);
    // 80 and 95: 95 is closer (5 vs 10).
    assert_eq!(
        endpoint_day(&timeline(vec![v(0, Met), v(80, Met), v(95, Met)]), w),
        Some(95)
    );
    // 84 and 96 are both 6 days away: the earlier visit (84) is used.
    let t = timeline(vec![v(0, Met), v(96, Met), v(84, NotMet)]);
    let e = t.endpoint(w);
    let e = e.visit().expect("a visit in window");
    assert_eq!(
        (
            e.visit.study_day().expect("a timeline day"),
            e.offset_days,
            e.visit.lldas().state()
        ),
        (84, -6, NotMet)
    );
}

#[test]
fn no_visit_in_window_is_a_reported_outcome() {
    let t = timeline(vec![v(0, Met), v(28, Met)]);
    let e = t.endpoint(Window::new(360, 30));
    assert_eq!(
        serde_json::to_value(e).expect("json"),
        serde_json::json!({"outcome": "no_visit_in_window",
            "window": {"target_day": 360, "days_before": 30, "days_after": 30}})
    );
}

#[test]
fn endpoint_carries_change_and_states() {
    // Baseline 12 (vasculitis 8 + arthritis 4), day 90: arthritis only (4).
    let base = Assessment::from_present([Descriptor::Vasculitis, Descriptor::Arthritis]);
    let d90 = Assessment::from_present([Descriptor::Arthritis]);
    let t = timeline(vec![
        VisitInput::dated(at(0), base),
        // LLDAS met (SLEDAI-2K 4, nothing new); DORIS not (clinical SLEDAI 4).
        VisitInput::dated(at(90), d90).with_lldas_inputs(Met),
    ]);
    let e = t.endpoint(Window::new(90, 14));
    let e = e.visit().expect("visit");
    assert_eq!(
        e.visit.change_from_baseline().and_then(|c| c.absolute()),
        Some(-8)
    );
    assert!(close(
        e.visit.change_from_baseline().and_then(|c| c.percent()),
        -800.0 / 12.0
    ));
    assert_eq!(
        (e.visit.lldas().state(), e.visit.doris().state()),
        (Met, NotMet)
    );
    let json = serde_json::to_value(t.endpoint(Window::new(90, 14))).expect("json");
    assert_eq!(json["outcome"], "visit");
    assert_eq!(json["visit"]["change_from_baseline"]["absolute"], -8);
    assert_eq!(json["visit"]["study_day"], 90);
}

// ---- baseline, one visit, duplicates, order ----

#[test]
fn baseline_zero_gives_undefined_percent_change() {
    // `docs/reference.md` section 4: percent change undefined when baseline is 0.
    let t = timeline(vec![
        VisitInput::dated(at(0), quiet()),
        VisitInput::dated(at(30), Assessment::from_present([Descriptor::Rash])),
    ]);
    let row = t.result(1).expect("row");
    assert_eq!(
        row.change_from_baseline().and_then(|c| c.absolute()),
        Some(2)
    );
    assert_eq!(row.change_from_baseline().and_then(|c| c.percent()), None);
    assert!(serde_json::to_value(row).expect("json")["change_from_baseline"]["percent"].is_null());
}

#[test]
fn one_visit_patient() {
    let t = timeline(vec![v(0, Met)]);
    assert_eq!(
        (t.visit_count(), t.baseline_index(), t.study_days()),
        (1, 0, &[0][..])
    );
    let time = t.time_in(Target::Lldas, TimeAttribution::CarryForward);
    // No observed time: the fraction of time is undefined, not 0 or 1.
    assert_eq!((time.observed_days, time.fraction_of_time), (0, None));
    assert_eq!(time.fraction_of_visits, Some(1.0));
    assert_eq!(time.at_least_half, Indeterminate);
    let s = t.state_summary(Target::Lldas, TimeAttribution::CarryForward, Some(90));
    assert_eq!((s.ever, s.first_day), (Met, Some(0)));
    let run = s.sustained.longest_run.expect("one met visit");
    assert_eq!((run.span_days, run.visits), (0, 1));
    assert_eq!(s.sustained.meets_duration, Some(NotMet));
    // Its endpoint at day 0 is the baseline itself, change 0.
    let e = t.endpoint(Window::new(0, 7));
    assert_eq!(
        e.visit()
            .expect("visit")
            .visit
            .change_from_baseline()
            .and_then(|c| c.absolute()),
        Some(0)
    );
}

#[test]
fn duplicate_dates_are_an_error_by_default() {
    let err =
        Timeline::new(vec![v(0, Met), v(30, Met), v(30, NotMet)], &opts()).expect_err("duplicate");
    match err {
        Error::InvalidValue { field, value, .. } => {
            assert_eq!((field, &*value), ("date", "2024-01-31"));
        }
        other => panic!("unexpected {other}"),
    }
}

#[test]
fn duplicate_dates_allowed_keep_input_order() {
    let o = opts().with_duplicate_dates(true);
    let t = Timeline::new(vec![v(30, NotMet), v(0, Met), v(30, Met)], &o).expect("allowed");
    assert_eq!(t.study_days(), &[0, 30, 30]);
    let states = lldas_states(&t);
    assert_eq!(states, [Met, NotMet, Met]); // input order within day 30
    // The endpoint takes the first visit of the day in timeline order.
    let e = t.endpoint(Window::new(30, 0));
    let e = e.visit().expect("visit");
    assert_eq!(
        (e.visit.date(), e.visit.lldas().state()),
        (Some(at(30)), NotMet)
    );
    // The zero-length interval contributes no time: [0,30) met = 30/30.
    let cf = t.time_in(Target::Lldas, TimeAttribution::CarryForward);
    assert_eq!((cf.met_days, cf.observed_days, cf.visits), (30.0, 30, 3));
}

#[test]
fn unsorted_input_equals_sorted_input() {
    let sorted = vec![v(0, Met), v(28, NotMet), v(90, Met), v(180, Indeterminate)];
    let mut unsorted = sorted.clone();
    unsorted.swap(0, 3);
    unsorted.swap(1, 2);
    assert_eq!(timeline(unsorted), timeline(sorted));
}

#[test]
fn baseline_marks() {
    let err = Timeline::new(
        vec![
            v(0, Met).with_baseline(true),
            v(30, Met).with_baseline(true),
        ],
        &opts(),
    )
    .expect_err("two marks");
    assert!(
        matches!(err, Error::InvalidValue { field: "baseline", ref value, .. } if &**value == "2024-01-01, 2024-01-31"),
        "{err}"
    );
    // The marked visit is the baseline and, by default, day 0.
    let base = Assessment::from_present([Descriptor::Arthritis]); // 4
    let t = Timeline::new(
        vec![
            VisitInput::dated(at(0), quiet()),
            VisitInput::dated(at(10), base).with_baseline(true),
            VisitInput::dated(at(40), quiet()),
        ],
        &opts(),
    )
    .expect("valid");
    assert_eq!((t.baseline_index(), t.study_days()), (1, &[-10, 0, 30][..]));
    assert_eq!(
        t.change_from_baseline(2).and_then(|c| c.absolute()),
        Some(-4)
    );
    assert_eq!(
        t.change_from_baseline(0).and_then(|c| c.absolute()),
        Some(-4)
    );
    assert!(t.change_from_baseline(3).is_none());
}

#[test]
fn reference_date_gives_negative_screening_days() {
    // CAR-T: infusion on 2024-03-01 is day 0; screening on 2024-02-15 is
    // day -15 (2024 is a leap year: 14 days to Feb 29, 1 more to Mar 1).
    let o = opts().with_reference_date(Date::new(2024, 3, 1).expect("date"));
    let t = Timeline::new(
        vec![
            VisitInput::dated(Date::new(2024, 2, 15).expect("date"), quiet()),
            VisitInput::dated(Date::new(2024, 5, 30).expect("date"), quiet()),
        ],
        &o,
    )
    .expect("valid");
    assert_eq!(t.study_days(), &[-15, 90]);
}

#[test]
fn no_visits_is_an_error() {
    let err = Timeline::new(Vec::new(), &opts()).expect_err("empty");
    assert!(
        matches!(
            err,
            Error::InvalidValue {
                field: "visits",
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn incomplete_policy_error_names_the_input_position() {
    let partial = quiet().with(Descriptor::Rash, Finding::NotAssessed);
    let visits = vec![
        VisitInput::dated(at(30), quiet()),
        VisitInput::dated(at(0), quiet()),
        VisitInput::dated(at(60), partial),
    ];
    let o = opts().with_incomplete(IncompletePolicy::Error);
    let err = Timeline::new(visits.clone(), &o).expect_err("incomplete");
    match err {
        Error::InBatch { index, source, .. } => {
            assert_eq!(index, 2);
            assert!(matches!(*source, Error::IncompleteAssessment { .. }));
        }
        other => panic!("unexpected {other}"),
    }
    // The default range policy accepts it; the change is a range.
    let t = Timeline::new(visits, &opts()).expect("range policy");
    let c = t.change_from_baseline(2).expect("change");
    assert_eq!((c.min(), c.max(), c.absolute()), (0, 2, None));
}

// ---- generic time in state, sustained, ever ----

#[test]
fn time_in_state_rejects_decreasing_days() {
    let err = time_in_state(
        [(0, Met), (30, Met), (10, Met)],
        TimeAttribution::CarryForward,
    )
    .expect_err("decreasing");
    assert!(
        matches!(err, Error::InvalidValue { field: "study_day", ref value, .. } if &**value == "10")
    );
    assert!(sustained([(5, Met), (4, Met)], None).is_err());
    assert!(summarize_state([(5, Met), (4, Met)], TimeAttribution::CarryForward, None).is_err());
}

#[test]
fn empty_sequence() {
    let t = time_in_state([], TimeAttribution::CarryForward).expect("empty is fine");
    assert_eq!(
        (t.visits, t.fraction_of_time, t.fraction_of_visits),
        (0, None, None)
    );
    let s = summarize_state([], TimeAttribution::CarryForward, Some(30)).expect("empty");
    assert_eq!((s.ever, s.first_day), (NotMet, None));
    assert_eq!(s.sustained.meets_duration, Some(NotMet));
}

#[test]
fn sustained_runs_by_hand() {
    // Runs of met visits: [0, 60] (span 60, 3 visits) and [150, 330]
    // (span 180, 2 visits). The longest span is the second.
    let pts = [
        (0, Met),
        (30, Met),
        (60, Met),
        (90, NotMet),
        (150, Met),
        (330, Met),
    ];
    let s = sustained(pts, Some(180)).expect("sorted");
    let run = s.longest_run.expect("run");
    assert_eq!(
        (run.start_day, run.end_day, run.span_days, run.visits),
        (150, 330, 180, 2)
    );
    assert_eq!(s.meets_duration, Some(Met)); // 180 >= 180: inclusive
    assert_eq!(
        sustained(pts, Some(181)).expect("sorted").meets_duration,
        Some(NotMet)
    );
    // An indeterminate visit breaks a run, but could join it: 0..200 spans
    // 200 if the day-100 visit was met.
    let s = sustained([(0, Met), (100, Indeterminate), (200, Met)], Some(180)).expect("sorted");
    assert_eq!(s.longest_run.map(|r| r.span_days), Some(0));
    assert_eq!(s.meets_duration, Some(Indeterminate));
    // Equal spans: the run with more visits, then the earliest.
    let s = sustained(
        [
            (0, Met),
            (10, Met),
            (20, NotMet),
            (30, Met),
            (35, Met),
            (40, Met),
        ],
        None,
    )
    .expect("sorted");
    assert_eq!(
        s.longest_run.map(|r| (r.start_day, r.visits)),
        Some((30, 3))
    );
    let s = sustained(
        [(0, Met), (10, Met), (20, NotMet), (30, Met), (40, Met)],
        None,
    )
    .expect("sorted");
    assert_eq!(s.longest_run.map(|r| r.start_day), Some(0));
}

#[test]
fn ever_and_first_day() {
    let s = summarize_state(
        [(0, NotMet), (28, Indeterminate), (90, Met), (180, Met)],
        TimeAttribution::CarryForward,
        None,
    )
    .expect("sorted");
    assert_eq!((s.ever, s.first_day), (Met, Some(90)));
    let s = summarize_state(
        [(0, NotMet), (28, NotMet)],
        TimeAttribution::CarryForward,
        None,
    )
    .expect("sorted");
    assert_eq!((s.ever, s.first_day), (NotMet, None));
}

// ---- screening ----

#[test]
fn im19_screening_threshold_10() {
    // NCT06513429 entry: SLEDAI-2K >= 10 (`docs/reference.md` section 7).
    let ten = Score::new(10).expect("score");
    let nine = Assessment::from_present([
        Descriptor::Arthritis,
        Descriptor::Proteinuria,
        Descriptor::Fever,
    ]);
    let ten_a = Assessment::from_present([
        Descriptor::Arthritis,
        Descriptor::Proteinuria,
        Descriptor::Rash,
    ]);
    assert_eq!(screen(&nine, ten).state, NotMet);
    assert_eq!(screen(&ten_a, ten).state, Met);
    // 8 known + urinary casts (4) not assessed: 8 to 12, undecided.
    let partial = Assessment::from_present([Descriptor::Arthritis, Descriptor::Proteinuria])
        .with(Descriptor::UrinaryCasts, Finding::NotAssessed);
    assert_eq!(screen(&partial, ten).state, Indeterminate);
    // 10 known + anything missing: met whatever the missing items are.
    let partial = ten_a.with(Descriptor::Fever, Finding::NotAssessed);
    assert_eq!(screen(&partial, ten).state, Met);
    // Nothing assessed is never eligible by default.
    assert_eq!(
        screen(&Assessment::not_assessed(), ten).state,
        Indeterminate
    );
}

// ---- serde ----

#[test]
fn visit_serde_round_trip_and_unknown_fields() {
    let mut full = VisitInput::dated(at(0), Assessment::from_present([Descriptor::Rash]))
        .with_lldas_inputs(Met)
        .with_baseline(true);
    full.pga = Some(Pga::new(1.5).expect("pga"));
    full.new_bilag_a = Some(0);
    full.new_bilag_b = Some(1);
    let json = serde_json::to_string(&full).expect("json");
    assert_eq!(
        serde_json::from_str::<VisitInput>(&json).expect("back"),
        full
    );
    assert_eq!(
        serde_json::to_value(&full).expect("json"),
        serde_json::json!({"date": "2024-01-01", "present": ["rash"], "pga": 1.5,
            "prednisone_mg_per_day": 0.0, "hemolytic_anemia": false,
            "gastrointestinal_activity": false, "maintenance_tolerated": true,
            "investigational_drug": false, "new_activity": false,
            "baseline": true, "new_bilag_a": 0, "new_bilag_b": 1})
    );
    // The former timeline name of LLDAS criterion 5's input is still read.
    let old: VisitInput = serde_json::from_str(
        r#"{"date":"2024-01-01","present":[],"maintenance_well_tolerated":true}"#,
    )
    .expect("alias");
    assert_eq!(old.maintenance_tolerated, Some(true));
    // ... but not as a second value of the same field.
    assert!(
        serde_json::from_str::<VisitInput>(
            r#"{"present":[],"maintenance_tolerated":true,"maintenance_well_tolerated":true}"#
        )
        .is_err()
    );
    // A record without inputs evaluates to indeterminate states, never met.
    let minimal: VisitInput =
        serde_json::from_str(r#"{"date":"2024-01-01","present":[]}"#).expect("minimal");
    let t = timeline(vec![minimal]);
    assert_eq!(
        (t.state(0, Target::Lldas), t.state(0, Target::Doris)),
        (Some(Indeterminate), Some(Indeterminate))
    );
    for (bad, says) in [
        (
            r#"{"date":"2024-01-01","present":[],"lldas_state":"met"}"#,
            "unknown field",
        ),
        // A state is evaluated, never given.
        (
            r#"{"date":"2024-01-01","present":[],"lldas":"met"}"#,
            "unknown field `lldas`",
        ),
        (
            r#"{"date":"2024-01-01","present":[],"doris":"not_met"}"#,
            "unknown field `doris`",
        ),
        (r#"{"date":"2024-02-30","present":[]}"#, "2024-02-30"),
        (r#"{"date":"2024-01-01","present":[],"pga":3.5}"#, "3.5"),
        // The former timeline JSON names what to give instead.
        (
            r#"{"date":"2024-01-01","assessment":{"present":[]}}"#,
            "give `present`",
        ),
        (
            r#"{"date":"2024-01-01","present":[],"prednisone_equivalent":5}"#,
            "give `prednisone_mg_per_day`",
        ),
    ] {
        let err = serde_json::from_str::<VisitInput>(bad).expect_err(bad);
        assert!(err.to_string().contains(says), "{bad}: {err}");
    }
    // A record without a date cannot be placed in a timeline: an error
    // naming its input position, not a panic.
    let undated: VisitInput = serde_json::from_str(r#"{"present":[]}"#).expect("record");
    let err = Timeline::new(vec![v(0, Met), undated], &opts()).expect_err("undated");
    assert!(
        matches!(&err, Error::InBatch { index: 1, source, .. } if matches!(**source, Error::InvalidValue { field: "date", .. })),
        "{err}"
    );
    let w = Window::asymmetric(28, 0, 7);
    let back: Window =
        serde_json::from_str(&serde_json::to_string(&w).expect("json")).expect("back");
    assert_eq!(back, w);
    assert!(
        serde_json::from_str::<Window>(r#"{"target_day":1,"days_before":1,"days_after":1,"x":1}"#)
            .is_err()
    );
    assert!(
        serde_json::from_str::<Window>(r#"{"target_day":1,"days_before":-1,"days_after":1}"#)
            .is_err()
    );
    for (rule, name) in [
        (TimeAttribution::CarryForward, "\"carry_forward\""),
        (TimeAttribution::HalfInterval, "\"half_interval\""),
        (TimeAttribution::BothEnds, "\"both_ends\""),
    ] {
        assert_eq!(serde_json::to_string(&rule).expect("json"), name);
        assert_eq!(
            serde_json::from_str::<TimeAttribution>(name).expect("back"),
            rule
        );
    }
}

// ---- cohort errors ----

/// The record `r` of patient `p`.
fn of(p: &str, r: VisitInput) -> VisitInput {
    r.with_patient(p)
}

#[test]
fn cohort_errors_name_the_patient_or_row() {
    let err = Cohort::from_records([of("P1", v(0, Met)), of("", v(0, Met))], &opts())
        .expect_err("empty id");
    assert!(matches!(err, Error::InBatch { index: 1, .. }), "{err}");
    let err =
        Cohort::from_records([of("P1", v(0, Met)), v(3, Met)], &opts()).expect_err("no patient");
    assert!(
        matches!(&err, Error::InBatch { index: 1, source, .. } if matches!(**source, Error::InvalidValue { field: "patient", .. })),
        "{err}"
    );
    let err = Cohort::from_records(
        [
            of("P1", v(0, Met)),
            of("P2", v(0, Met).with_baseline(true)),
            of("P2", v(9, Met).with_baseline(true)),
        ],
        &opts(),
    )
    .expect_err("two baselines");
    assert_eq!(
        err.to_string(),
        "patient `P2`: baseline: invalid value `2024-01-01, 2024-01-10`: more than one visit is marked as baseline"
    );
    let day = |d, r: VisitInput| r.with_reference_date(at(d));
    let rows = [day(0, of("P1", v(0, Met))), day(1, of("P1", v(5, Met)))];
    let err = Cohort::from_records(rows, &opts()).expect_err("reference dates disagree");
    assert!(
        matches!(&err, Error::InPatient { source, .. } if matches!(**source, Error::InBatch { index: 1, .. })),
        "{err}"
    );
    // A timeline is one patient's.
    let err = Timeline::new([of("P1", v(0, Met)), of("P2", v(5, Met))], &opts())
        .expect_err("two patients");
    assert!(matches!(err, Error::InBatch { index: 1, .. }), "{err}");
}

// ---- the worked CAR-T-like cohort in examples/ ----

fn car_t_cohort() -> Cohort {
    let text = include_str!("../../examples/car_t_cohort.jsonl");
    let rows: Vec<VisitInput> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("valid row"))
        .collect();
    Cohort::from_records(rows, &opts()).expect("valid cohort")
}

fn im19_options() -> SummaryOptions {
    SummaryOptions::new([
        Window::new(28, 7),
        Window::new(90, 14),
        Window::new(180, 28),
        Window::new(360, 30),
    ])
    .with_sustained_days(180)
    .with_screening_threshold(Score::new(10).expect("score"))
}

/// (study day of the endpoint visit, exact change, LLDAS, DORIS, SRI-4) or
/// `None` for no visit in the window.
type Row = Option<(i32, Option<i16>, TriState, TriState, TriState)>;

/// (longest run start and span, sustained >= 180 days, ever, first day).
type SustainedRow = (Option<(i32, i32)>, Option<TriState>, TriState, Option<i32>);

#[test]
fn car_t_cohort_per_patient_summary_by_hand() {
    let cohort = car_t_cohort();
    let report = cohort.summarize(&im19_options());
    let ids: Vec<&str> = report.patients.iter().map(|p| p.patient.as_str()).collect();
    assert_eq!(ids, ["CART-01", "CART-02", "CART-03", "CART-04"]);

    // Hand-computed from examples/car_t_cohort.jsonl (weights: Gladman 2002).
    // (patient, visits, screening, baseline SLEDAI, endpoints at 28/90/180/360)
    let expected: [(&str, usize, TriState, u8, [Row; 4]); 4] = [
        (
            // Screening 16 (arthritis 4, haematuria 4, proteinuria 4, C3 2,
            // dsDNA 2); baseline 12; then 8, 4, 2, 0. PGA falls 1.8 -> 0;
            // no new BILAG: SRI-4 met whenever the reduction is >= 4.
            "CART-01",
            6,
            Met,
            12,
            [
                Some((28, Some(-4), NotMet, NotMet, Met)),
                Some((90, Some(-8), Met, NotMet, Met)),
                Some((180, Some(-10), Met, Met, Met)),
                Some((360, Some(-12), Met, Met, Met)),
            ],
        ),
        (
            // Screening 14 (vasculitis 8, arthritis 4, rash 2); baseline 11.
            // Day 33: 6 (-5), PGA 1.5 -> 1.7 (+0.2), 1 new BILAG B: SRI met.
            // Day 104 (window edge): 2 to 4, rash not assessed: change -9 to
            // -7, not exact; BILAG B not recorded: SRI indeterminate.
            // No visit in 152..208. Day 350: 6 (-5), PGA 1.8 (+0.3 =
            // worsening): SRI not met.
            "CART-02",
            5,
            Met,
            11,
            [
                Some((33, Some(-5), NotMet, NotMet, Met)),
                Some((104, None, Indeterminate, NotMet, Indeterminate)),
                None,
                Some((350, Some(-5), NotMet, NotMet, NotMet)),
            ],
        ),
        (
            // Screening 8 with urinary casts not assessed: 8 to 12, screening
            // indeterminate. Baseline 14. Day 84 and 96 tie for day 90: the
            // earlier (84, SLEDAI 6) is used.
            "CART-03",
            7,
            Indeterminate,
            14,
            [
                Some((28, Some(-6), NotMet, NotMet, Met)),
                Some((84, Some(-8), NotMet, NotMet, Met)),
                Some((180, Some(-14), Met, Met, Met)),
                Some((360, Some(-14), Met, Met, Met)),
            ],
        ),
        (
            // Screening and baseline 14; day 28: 16 (+2), 1 new BILAG A and 2
            // new BILAG B: SRI not met. Withdrew: no later visits.
            "CART-04",
            3,
            Met,
            14,
            [
                Some((28, Some(2), NotMet, NotMet, NotMet)),
                None,
                None,
                None,
            ],
        ),
    ];
    for (p, (id, visits, screening, baseline, endpoints)) in report.patients.iter().zip(expected) {
        assert_eq!(p.patient, id);
        assert_eq!(p.visits, visits, "{id}");
        assert_eq!(p.screening.map(|s| s.state), Some(screening), "{id}");
        assert_eq!(p.baseline.study_day(), Some(0), "{id}");
        assert_eq!(p.baseline.sledai_2k().min().get(), baseline, "{id}");
        assert!(p.baseline.sledai_2k().is_exact(), "{id}");
        for (e, want) in p.endpoints.iter().zip(endpoints) {
            let got = e.endpoint.visit().map(|v| {
                (
                    v.visit.study_day().expect("a timeline day"),
                    v.visit.change_from_baseline().and_then(|c| c.absolute()),
                    v.visit.lldas().state(),
                    v.visit.doris().state(),
                    e.sri4.as_ref().map_or(Indeterminate, |s| s.state()),
                )
            });
            assert_eq!(got, want, "{id} at {:?}", e.endpoint.window());
            assert_eq!(e.sri4.is_some(), want.is_some());
        }
    }

    // Percent change at day 90 for CART-01: 100 x -8 / 12.
    let p1 = &report.patients[0];
    assert!(close(
        p1.endpoints[1]
            .endpoint
            .visit()
            .expect("visit")
            .visit
            .change_from_baseline()
            .and_then(|c| c.percent()),
        -200.0 / 3.0
    ));
    // CART-02 day 104: the change range is 2 - 11 = -9 to 4 - 11 = -7.
    let c = report.patients[1].endpoints[1]
        .endpoint
        .visit()
        .expect("visit")
        .visit
        .change_from_baseline()
        .expect("after the baseline");
    assert_eq!((c.min(), c.max(), c.percent()), (-9, -7, None));
    // CART-02 day 350: the SRI fails on the PGA alone (exact tenths).
    let sri = report.patients[1].endpoints[3].sri4.as_ref().expect("sri");
    assert_eq!(
        (
            sri.criterion(sledai::change::SriCriterion::Sledai).state(),
            sri.criterion(sledai::change::SriCriterion::Pga).state(),
        ),
        (Met, NotMet)
    );

    // Time in LLDAS from baseline (day 0), carried forward:
    // CART-01: days 0 N, 28 N, 90 M, 180 M, 360 M: met 90 + 180 = 270 of 360.
    // CART-02: 0 N, 33 N, 104 I, 350 N: met 0; indeterminate 246 of 350.
    // CART-03: 0 N, 28 N, 84 N, 96 M, 180 M, 360 M: met 84 + 180 = 264 of 360.
    // CART-04: 0 N, 28 N: 0 of 28.
    let lldas: Vec<(f64, f64, i32, usize, TriState)> = report
        .patients
        .iter()
        .map(|p| {
            let t = p.lldas.time;
            (
                t.met_days,
                t.indeterminate_days,
                t.observed_days,
                t.met_visits,
                t.at_least_half,
            )
        })
        .collect();
    assert_eq!(
        lldas,
        [
            (270.0, 0.0, 360, 3, Met),
            (0.0, 246.0, 350, 0, Indeterminate), // upper 246/350 >= 0.5
            (264.0, 0.0, 360, 3, Met),
            (0.0, 0.0, 28, 0, NotMet),
        ]
    );
    // Sustained LLDAS >= 180 days; ever LLDAS; first day in LLDAS.
    let sus: Vec<SustainedRow> = report
        .patients
        .iter()
        .map(|p| {
            let s = p.lldas;
            (
                s.sustained.longest_run.map(|r| (r.start_day, r.span_days)),
                s.sustained.meets_duration,
                s.ever,
                s.first_day,
            )
        })
        .collect();
    assert_eq!(
        sus,
        [
            (Some((90, 270)), Some(Met), Met, Some(90)),
            // Only day 104 could be in LLDAS: a run of span 0 < 180.
            (None, Some(NotMet), Indeterminate, None),
            (Some((96, 264)), Some(Met), Met, Some(96)),
            (None, Some(NotMet), NotMet, None),
        ]
    );
    // DORIS: CART-01 met at 180 and 360: 180 of 360, run span 180 (>= 180).
    let d1 = report.patients[0].doris;
    assert_eq!(
        (
            d1.time.met_days,
            d1.time.at_least_half,
            d1.sustained.meets_duration
        ),
        (180.0, Met, Some(Met))
    );
    assert_eq!(d1.first_day, Some(180));
}

#[test]
fn car_t_cohort_summary_by_hand() {
    let s = car_t_cohort().summarize(&im19_options()).summary;
    assert_eq!(s.n, 4);
    let e = &s.endpoints;
    // Day 28: changes -4, -5, -6, +2; sorted -6 -5 -4 2.
    // R type 7: median h = 1.5 -> -4.5; Q1 h = 0.75 -> -5.25; Q3 h = 2.25 -> -2.5.
    assert_eq!(e[0].n_with_visit, 4);
    assert_eq!((e[0].change.n, e[0].change.n_inexact), (4, 0));
    assert_eq!(
        (e[0].change.median, e[0].change.q1, e[0].change.q3),
        (Some(-4.5), Some(-5.25), Some(-2.5))
    );
    assert_eq!(
        (
            e[0].lldas.met,
            e[0].lldas.denominator,
            e[0].lldas.proportion
        ),
        (0, 4, Some(0.0))
    );
    assert_eq!(
        (e[0].sri4.met, e[0].sri4.not_met, e[0].sri4.proportion),
        (3, 1, Some(0.75))
    );
    // Day 90: CART-01 (-8), CART-02 (range: inexact), CART-03 (-8); CART-04 none.
    assert_eq!(e[1].n_with_visit, 3);
    assert_eq!(
        (e[1].change.n, e[1].change.n_inexact, e[1].change.median),
        (2, 1, Some(-8.0))
    );
    let l = e[1].lldas;
    assert_eq!(
        (l.met, l.not_met, l.indeterminate, l.denominator),
        (1, 1, 1, 3)
    );
    assert!(close(l.proportion, 1.0 / 3.0));
    assert_eq!(l.proportion_of_cohort, Some(0.25));
    assert_eq!((e[1].sri4.met, e[1].sri4.indeterminate), (2, 1));
    // Day 180: CART-01 (-10) and CART-03 (-14): median -12, Q1 -13, Q3 -11.
    assert_eq!(e[2].n_with_visit, 2);
    assert_eq!(
        (e[2].change.median, e[2].change.q1, e[2].change.q3),
        (Some(-12.0), Some(-13.0), Some(-11.0))
    );
    assert_eq!(
        (e[2].lldas.proportion, e[2].lldas.proportion_of_cohort),
        (Some(1.0), Some(0.5))
    );
    assert_eq!((e[2].doris.met, e[2].doris.denominator), (2, 2));
    // Day 360 (IM19 secondary endpoints): changes -12, -5, -14; sorted -14 -12 -5:
    // median -12, Q1 (h = 0.5) -13, Q3 (h = 1.5) -8.5. LLDAS 2 of 3.
    assert_eq!(e[3].n_with_visit, 3);
    assert_eq!(
        (e[3].change.median, e[3].change.q1, e[3].change.q3),
        (Some(-12.0), Some(-13.0), Some(-8.5))
    );
    assert_eq!((e[3].lldas.met, e[3].lldas.denominator), (2, 3));
    assert!(close(e[3].lldas.proportion, 2.0 / 3.0));
    assert_eq!(e[3].lldas.proportion_of_cohort, Some(0.5));
    // LLDAS >= 50% of follow-up (Franklyn 2016): CART-01 and 03 met, 02
    // indeterminate, 04 not met.
    let h = s.lldas_at_least_half;
    assert_eq!(
        (h.met, h.not_met, h.indeterminate, h.denominator),
        (2, 1, 1, 4)
    );
}

#[test]
fn car_t_cohort_report_serializes_with_stable_names() {
    let report = car_t_cohort().summarize(&im19_options());
    let v = serde_json::to_value(&report).expect("json");
    let p = &v["patients"][1];
    assert_eq!(p["patient"], "CART-02");
    assert_eq!(
        p["endpoints"][2]["endpoint"]["outcome"],
        "no_visit_in_window"
    );
    assert!(p["endpoints"][2]["sri4"].is_null());
    assert_eq!(
        p["endpoints"][1]["endpoint"]["visit"]["change_from_baseline"]["absolute_min"],
        -9
    );
    assert_eq!(p["lldas"]["time"]["rule"], "carry_forward");
    assert_eq!(p["screening"]["state"], "met");
    assert_eq!(v["summary"]["endpoints"][0]["window"]["target_day"], 28);
    assert_eq!(v["summary"]["endpoints"][1]["lldas"]["denominator"], 3);
}

#[test]
fn visit_record_round_trip() {
    let text = include_str!("../../examples/car_t_cohort.jsonl");
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let r: VisitInput = serde_json::from_str(line).expect("row");
        let again = serde_json::to_string(&r).expect("json");
        let back: VisitInput = serde_json::from_str(&again).expect("back");
        assert_eq!(back, r);
    }
}

// ---- properties ----

fn state() -> impl Strategy<Value = TriState> {
    prop_oneof![Just(Met), Just(NotMet), Just(Indeterminate)]
}

fn rule() -> impl Strategy<Value = TimeAttribution> {
    prop_oneof![
        Just(TimeAttribution::CarryForward),
        Just(TimeAttribution::HalfInterval),
        Just(TimeAttribution::BothEnds)
    ]
}

/// Sorted, distinct study days with states.
fn points() -> impl Strategy<Value = Vec<(i32, TriState)>> {
    proptest::collection::btree_map(-60i32..800, state(), 1..25)
        .prop_map(|m| m.into_iter().collect())
}

proptest! {
    #[test]
    fn time_in_state_is_a_fraction(pts in points(), r in rule()) {
        let t = time_in_state(pts.iter().copied(), r).expect("sorted");
        let total = t.met_days + t.not_met_days + t.indeterminate_days;
        prop_assert!((total - f64::from(t.observed_days)).abs() < 1e-9);
        prop_assert_eq!(t.met_visits + t.not_met_visits + t.indeterminate_visits, pts.len());
        if let Some(f) = t.fraction_of_time {
            prop_assert!((0.0..=1.0).contains(&f));
            let u = t.fraction_of_time_upper.expect("upper");
            prop_assert!(f <= u && u <= 1.0 + 1e-12);
        } else {
            prop_assert_eq!(t.observed_days, 0);
        }
        let fv = t.fraction_of_visits.expect("non-empty");
        prop_assert!((0.0..=1.0).contains(&fv));
    }

    #[test]
    fn shuffling_visits_changes_nothing(pts in points(), seed in any::<u64>()) {
        let visits: Vec<VisitInput> = pts
            .iter()
            .map(|&(d, s)| of("P", v(d, s)))
            .collect();
        let mut shuffled = visits.clone();
        // Fisher-Yates with a small LCG, deterministic per seed.
        let mut x = seed | 1;
        for i in (1..shuffled.len()).rev() {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let j = usize::try_from((x >> 33) % (i as u64 + 1)).expect("small");
            shuffled.swap(i, j);
        }
        let o = opts().with_reference_date(day0());
        let a = Timeline::new(visits, &o).expect("valid");
        let b = Timeline::new(shuffled.clone(), &o).expect("valid");
        prop_assert_eq!(&a, &b);
        let so = im19_options();
        prop_assert_eq!(a.summary("P", &so), b.summary("P", &so));
        let c = Cohort::from_records(shuffled, &o).expect("valid");
        prop_assert_eq!(c.get("P"), Some(&a));
    }

    /// Records of several patients, interleaved in any order, give the
    /// cohort of the patients' own timelines in identifier (byte) order:
    /// the grouping is checked against an independent one (a `BTreeMap`
    /// here), and every input position of an error is the record's.
    #[test]
    fn interleaved_patients_group_into_their_own_timelines(
        rows in proptest::collection::vec((0usize..4, 0i32..400, state()), 1..40),
        seed in any::<u64>(),
    ) {
        // Patient names whose byte order differs from first appearance and
        // from numeric order ("P10" < "P9").
        const NAMES: [&str; 4] = ["P9", "P10", "b", "B"];
        // One visit per (patient, day): duplicate dates are their own test.
        let mut seen = std::collections::BTreeSet::new();
        let mut records: Vec<VisitInput> = rows
            .iter()
            .filter(|(p, d, _)| seen.insert((*p, *d)))
            .map(|&(p, d, s)| of(NAMES[p], v(d, s)))
            .collect();
        let mut x = seed | 1;
        for i in (1..records.len()).rev() {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let j = usize::try_from((x >> 33) % (i as u64 + 1)).expect("small");
            records.swap(i, j);
        }
        let mut by_patient: std::collections::BTreeMap<String, Vec<VisitInput>> = Default::default();
        for r in &records {
            by_patient.entry(r.patient.clone().expect("named")).or_default().push(r.clone());
        }
        let o = opts().with_reference_date(day0());
        let c = Cohort::from_records(records.clone(), &o).expect("valid");
        let ids: Vec<&str> = c.patients().map(|(id, _)| id).collect();
        prop_assert_eq!(ids, by_patient.keys().map(String::as_str).collect::<Vec<_>>());
        for (id, visits) in &by_patient {
            let t = Timeline::new(visits.clone(), &o).expect("valid");
            prop_assert_eq!(c.get(id), Some(&t));
        }
        // A record without a date is named by its position in the input.
        let k = usize::try_from(seed % records.len() as u64).expect("small");
        let mut broken = records;
        broken[k].date = None;
        let err = Cohort::from_records(broken, &o).unwrap_err();
        prop_assert!(matches!(err, Error::InBatch { index, .. } if index == k), "{err}");
    }

    /// The follow-up state DORIS 2017 off treatment (evaluated alone when
    /// the timeline is built) and the four DORIS 2017 responses at an
    /// endpoint are the states of the visit's full result, the per-visit
    /// stream's evaluation of all four variants.
    #[test]
    fn doris_2017_states_are_the_visit_results(
        rows in proptest::collection::vec((0u32..0x00FF_FFFF, 0u8..31, 0u8..4, any::<[Option<bool>; 3]>()), 1..12),
    ) {
        let visits: Vec<VisitInput> = rows
            .iter()
            .enumerate()
            .map(|(i, &(present, tenths, dose, [imm, bio, hcq]))| {
                // A few descriptors, serology among them (complete
                // remission needs it absent, clinical does not).
                let some = [Descriptor::Rash, Descriptor::LowComplement, Descriptor::IncreasedDnaBinding, Descriptor::Arthritis];
                let a = Assessment::from_present(
                    some.iter().enumerate().filter(|(k, _)| present >> (2 * k) & 3 == 0).map(|(_, d)| *d),
                );
                let mut r = VisitInput::dated(at(30 * i32::try_from(i).expect("small")), a)
                    .with_pga(Pga::from_tenths(tenths).expect("0..=30"));
                r.glucocorticoids = (dose < 3).then(|| {
                    GlucocorticoidInput::PrednisoneEquivalent(
                        PrednisoneEquivalent::from_mg(f64::from(dose) * 2.5).expect("dose"),
                    )
                });
                r.on_immunosuppressant = imm;
                r.on_biologic = bio;
                r.on_antimalarial = hcq;
                r
            })
            .collect();
        let t = timeline(visits);
        for i in 0..t.visit_count() {
            let full = t.result(i).expect("in bounds");
            prop_assert_eq!(t.state(i, Target::DorisOffTreatment), Some(full.doris_2017(Doris2017Variant::ClinicalOffTreatment).state()));
        }
        let windows: Vec<Window> = (0..t.visit_count())
            .map(|i| Window::new(30 * i32::try_from(i).expect("small"), 0))
            .collect();
        let s = t.summary("P", &SummaryOptions::new(windows));
        for (i, e) in s.endpoints.iter().enumerate() {
            let full = t.result(i).expect("in bounds");
            let states: Vec<TriState> = Doris2017Variant::ALL.iter().map(|&v| full.doris_2017(v).state()).collect();
            let r = e.responses.expect("a visit on the target day");
            prop_assert_eq!(
                states,
                vec![
                    r.doris_2017_clinical_on_treatment,
                    r.doris_2017_complete_on_treatment,
                    r.doris_2017_clinical_off_treatment,
                    r.doris_2017_complete_off_treatment,
                ]
            );
        }
    }

    #[test]
    fn adding_an_indeterminate_visit_never_raises_time_in_lldas(
        pts in points(),
        extra in -60i32..800,
    ) {
        // Under carry forward, an indeterminate visit inserted before the
        // last visit takes over part of an interval (or adds indeterminate
        // time before the first): met time cannot grow, observed time
        // cannot shrink. (Appended after the last visit it would extend the
        // last visit's carried-forward state; see docs/timeline.md.)
        let last = pts.last().expect("non-empty").0;
        prop_assume!(extra < last && pts.iter().all(|p| p.0 != extra));
        let before = time_in_state(pts.iter().copied(), TimeAttribution::CarryForward).expect("sorted");
        let mut more = pts.clone();
        more.push((extra, Indeterminate));
        more.sort_by_key(|p| p.0);
        let after = time_in_state(more, TimeAttribution::CarryForward).expect("sorted");
        prop_assert!(after.met_days <= before.met_days);
        match (before.fraction_of_time, after.fraction_of_time) {
            (Some(b), Some(a)) => prop_assert!(a <= b + 1e-12),
            (None, _) => {}
            (Some(_), None) => prop_assert!(false, "observed time vanished"),
        }
        prop_assert!(after.fraction_of_visits <= before.fraction_of_visits);
    }
}

#[test]
fn states_are_evaluated_with_the_previous_visit_by_date() {
    // Unsorted input: LLDAS criterion 2 (Franklyn 2016) compares each visit
    // with the one before it by date. Rash appears on day 30 only.
    let at_day = |day, a| {
        let mut v = VisitInput::dated(at(day), a).with_lldas_inputs(Met);
        v.new_activity = None;
        v
    };
    let rash = Assessment::from_present([Descriptor::Rash]);
    let t = timeline(vec![
        at_day(90, quiet()),
        at_day(0, quiet()),
        at_day(30, rash),
    ]);
    let lldas = lldas_states(&t);
    // Day 0: no previous visit and no statement; day 30: rash is new; day
    // 90: nothing present that was absent on day 30.
    assert_eq!(lldas, [Indeterminate, NotMet, Met]);
    let doris: Vec<TriState> = (0..3)
        .map(|i| t.state(i, Target::Doris).expect("in bounds"))
        .collect();
    assert_eq!(doris, [NotMet; 3]); // PGA 0.8 is not < 0.5
    let cf = t.time_in(Target::Lldas, TimeAttribution::CarryForward);
    assert_eq!((cf.met_days, cf.indeterminate_days), (0.0, 30.0));

    // The same per patient in a cohort; a contradictory statement is an
    // error naming the patient and the visit's input position.
    let bad = VisitInput::dated(at(30), rash).with_lldas_inputs(Met); // new_activity: false
    let err = Cohort::from_records([of("A", v(0, Met)), of("A", bad)], &opts())
        .expect_err("contradiction");
    assert!(
        matches!(&err, Error::InPatient { patient, source, .. } if &**patient == "A" && matches!(**source, Error::InBatch { index: 1, .. })),
        "{err}"
    );
}

// Issue 12, item 14: study days anywhere in i32 never panic or overflow;
// days beyond ±MAX_STUDY_DAY (the span of Date) are an error, days within
// give totals that add up.
fn extreme_day() -> impl Strategy<Value = i32> {
    prop_oneof![
        Just(i32::MIN),
        Just(i32::MAX),
        Just(sledai::timeline::MAX_STUDY_DAY),
        Just(-sledai::timeline::MAX_STUDY_DAY),
        Just(sledai::timeline::MAX_STUDY_DAY + 1),
        any::<i32>(),
        -sledai::timeline::MAX_STUDY_DAY..=sledai::timeline::MAX_STUDY_DAY,
    ]
}

proptest! {
    #[test]
    fn extreme_study_days_are_errors_or_consistent(
        mut points in proptest::collection::vec((extreme_day(), state()), 0..6),
        sustained_days in proptest::option::of(any::<u32>()),
    ) {
        use sledai::timeline::{sustained, summarize_state, time_in_state, MAX_STUDY_DAY};
        points.sort_by_key(|p| p.0);
        let in_domain = points.iter().all(|p| p.0.unsigned_abs() <= MAX_STUDY_DAY.unsigned_abs());
        for rule in [TimeAttribution::CarryForward, TimeAttribution::HalfInterval, TimeAttribution::BothEnds] {
            let t = time_in_state(points.iter().copied(), rule);
            let s = sustained(points.iter().copied(), sustained_days);
            let u = summarize_state(points.iter().copied(), rule, sustained_days);
            prop_assert_eq!(t.is_ok(), in_domain);
            prop_assert_eq!(s.is_ok(), in_domain);
            prop_assert_eq!(u.is_ok(), in_domain);
            if let Ok(t) = t {
                // Observed time is last day minus first day, computed here in i64.
                let span = match (points.first(), points.last()) {
                    (Some(a), Some(b)) => i64::from(b.0) - i64::from(a.0),
                    _ => 0,
                };
                prop_assert_eq!(i64::from(t.observed_days), span);
                prop_assert!(t.observed_days >= 0);
                let total = t.met_days + t.not_met_days + t.indeterminate_days;
                prop_assert!((total - f64::from(t.observed_days)).abs() < 1e-6 * (1.0 + total));
            }
            if let Ok(s) = s {
                if let Some(run) = s.longest_run {
                    prop_assert!(run.span_days >= 0);
                    prop_assert_eq!(i64::from(run.span_days), i64::from(run.end_day) - i64::from(run.start_day));
                }
            }
        }
    }
}
