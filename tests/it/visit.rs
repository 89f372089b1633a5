//! The visit record and per-patient stream, checked against hand-computed
//! cases. Weights: `docs/reference.md` section 1.2; LLDAS: section 2
//! (Franklyn 2016); DORIS: section 3 (van Vollenhoven 2021).

use sledai::visit::{PatientStream, VisitInput};
use sledai::{Error, TriState};

fn visit(json: &str) -> VisitInput {
    serde_json::from_str(json).expect("valid visit")
}

/// Everything recorded and favourable except what the line says.
fn full(patient: &str, date: &str, present: &str, pga: f64, pred: f64) -> VisitInput {
    visit(&format!(
        r#"{{"patient": "{patient}", "date": "{date}", "present": [{present}], "pga": {pga},
            "prednisone_mg_per_day": {pred}, "hemolytic_anemia": false,
            "gastrointestinal_activity": false, "maintenance_tolerated": true,
            "investigational_drug": false}}"#
    ))
}

#[test]
fn three_visits_of_one_patient() {
    let mut s = PatientStream::default();
    // Baseline: proteinuria 4 + hematuria 4 + low complement 2 = 10.
    let r1 = s
        .assess(&full(
            "P1",
            "2024-01-01",
            r#""proteinuria", "hematuria", "low_complement""#,
            2.0,
            20.0,
        ))
        .unwrap();
    assert_eq!(r1.sledai_2k().exact().map(|x| x.get()), Some(10));
    assert_eq!(r1.clinical_sledai_2k().exact().map(|x| x.get()), Some(8));
    assert_eq!(r1.lldas().state(), TriState::NotMet); // renal activity, PGA 2, 20 mg
    assert_eq!(r1.change_from_baseline().map(|c| c.min()), Some(0));
    // Day 90: rash 2 + low complement 2 = 4; rash is new (absent at visit 1).
    let r2 = s
        .assess(&full(
            "P1",
            "2024-03-31",
            r#""rash", "low_complement""#,
            1.0,
            7.5,
        ))
        .unwrap();
    assert_eq!(r2.sledai_2k().exact().map(|x| x.get()), Some(4));
    assert_eq!(r2.change_from_baseline().map(|c| c.min()), Some(-6));
    assert_eq!(
        r2.lldas().state(),
        TriState::NotMet,
        "rash is a new feature"
    );
    // Day 180: same items, nothing new: every LLDAS criterion holds.
    let r3 = s
        .assess(&full(
            "P1",
            "2024-06-29",
            r#""rash", "low_complement""#,
            1.0,
            7.5,
        ))
        .unwrap();
    assert_eq!(r3.lldas().state(), TriState::Met);
    // DORIS: clinical SLEDAI 2 (rash) > 0.
    assert_eq!(r3.doris().state(), TriState::NotMet);
    assert_eq!(
        r3.baseline_date().map(|d| d.to_string()),
        Some("2024-01-01".into())
    );
}

#[test]
fn serology_only_visit_meets_doris() {
    let mut s = PatientStream::default();
    let r = s
        .assess(&full(
            "P2",
            "2024-01-01",
            r#""low_complement", "increased_dna_binding""#,
            0.4,
            5.0,
        ))
        .unwrap();
    assert_eq!(r.clinical_sledai_2k().exact().map(|x| x.get()), Some(0));
    assert_eq!(r.doris().state(), TriState::Met);
    // First visit: no previous assessment and no statement -> criterion 2 unknown.
    assert_eq!(r.lldas().state(), TriState::Indeterminate);
}

#[test]
fn dates_must_increase_within_a_patient() {
    let mut s = PatientStream::default();
    s.assess(&full("P1", "2024-02-01", "", 0.0, 0.0)).unwrap();
    let same = s
        .assess(&full("P1", "2024-02-01", "", 0.0, 0.0))
        .unwrap_err();
    assert!(
        same.to_string()
            .contains("already has a visit on this date"),
        "{same}"
    );
    let earlier = s
        .assess(&full("P1", "2024-01-15", "", 0.0, 0.0))
        .unwrap_err();
    assert!(
        earlier.to_string().contains("must be in date order"),
        "{earlier}"
    );
    assert!(matches!(earlier, Error::InvalidValue { field: "date", .. }));
    // Another patient may be earlier; the failed visits changed nothing.
    s.assess(&full("P2", "2023-01-01", "", 0.0, 0.0)).unwrap();
    s.assess(&full("P1", "2024-03-01", "", 0.0, 0.0)).unwrap();
}

#[test]
fn screening_visits_marked_false_come_before_the_baseline() {
    let mut s = PatientStream::default();
    let mut screening = full("P1", "2024-01-01", r#""arthritis""#, 1.0, 10.0);
    screening.baseline = Some(false);
    let r = s.assess(&screening).unwrap();
    assert_eq!(r.change_from_baseline(), None);
    assert_eq!(r.baseline_date(), None);
    let mut day0 = full("P1", "2024-01-15", r#""arthritis", "rash""#, 1.0, 10.0);
    day0.baseline = Some(true);
    let r = s.assess(&day0).unwrap();
    assert_eq!(r.change_from_baseline().map(|c| c.min()), Some(0));
    let mut again = full("P1", "2024-02-15", "", 1.0, 10.0);
    again.baseline = Some(true);
    let e = s.assess(&again).unwrap_err();
    assert!(
        e.to_string()
            .contains("already has a baseline on 2024-01-15"),
        "{e}"
    );
}

#[test]
fn undated_and_anonymous_visits() {
    let mut s = PatientStream::default();
    let r = s.assess(&visit(r#"{"present": ["seizure"]}"#)).unwrap();
    assert_eq!(r.sledai_2k().exact().map(|x| x.get()), Some(8));
    // A patient of its own, but undated: no change from baseline (issue 11).
    assert_eq!(r.change_from_baseline(), None, "undated: no baseline");
    assert_eq!(r.baseline_date(), None);
    let r = s
        .assess(&visit(r#"{"date": "2024-01-01", "present": ["seizure"]}"#))
        .unwrap();
    assert_eq!(
        r.change_from_baseline().map(|c| c.min()),
        Some(0),
        "dated: its own baseline"
    );
    let r = s
        .assess(&visit(r#"{"patient": "P9", "present": ["seizure"]}"#))
        .unwrap();
    assert_eq!(
        r.change_from_baseline(),
        None,
        "undated: not placed in time"
    );
    assert_eq!(s.patient_count(), 0);
}

#[test]
fn incomplete_visit_reports_ranges() {
    let mut s = PatientStream::default();
    let r = s
        .assess(&visit(
            r#"{"descriptors": {"arthritis": true, "rash": false}}"#,
        ))
        .unwrap();
    assert_eq!(r.sledai_2k().exact(), None);
    let range = r.sledai_2k();
    // 4 present; 22 unassessed items could add 105 - 4 - 2 = 99.
    assert_eq!((range.min().get(), range.max().get()), (4, 103));
    assert_eq!(r.missing().len(), 22);
    // Criterion 1 cannot be decided: the missing items could push it over 4.
    assert_eq!(r.lldas().state(), TriState::Indeterminate);
}

#[test]
fn result_json_shape() {
    let mut s = PatientStream::default();
    let r = s
        .assess(&visit(
            r#"{"id": "v1", "descriptors": {"arthritis": true, "rash": false}}"#,
        ))
        .unwrap();
    let json: serde_json::Value = serde_json::to_value(&r).unwrap();
    let text = serde_json::to_string(&r).unwrap();
    assert!(
        text.starts_with(r#"{"id":"v1","sledai_2k":null,"sledai_2k_min":4,"sledai_2k_max":103,"clinical_sledai_2k":null,"#),
        "{text}"
    );
    let mut keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    keys.sort_unstable();
    let mut expected: Vec<&str> = [
        "id",
        "sledai_2k",
        "sledai_2k_min",
        "sledai_2k_max",
        "clinical_sledai_2k",
        "clinical_sledai_2k_min",
        "clinical_sledai_2k_max",
        "missing",
        "lldas",
        "doris",
        "lldas_criteria",
        "doris_criteria",
        "baseline_date",
        // Undated: no change from baseline (issue 11).
        // Issue 14: the DORIS 2017 variants are reported at every visit.
        "doris_2017_clinical_on_treatment",
        "doris_2017_clinical_on_treatment_criteria",
        "doris_2017_complete_on_treatment",
        "doris_2017_complete_on_treatment_criteria",
        "doris_2017_clinical_off_treatment",
        "doris_2017_clinical_off_treatment_criteria",
        "doris_2017_complete_off_treatment",
        "doris_2017_complete_off_treatment_criteria",
    ]
    .into_iter()
    .filter(|k| *k != "baseline_date")
    .collect();
    expected.sort_unstable();
    assert_eq!(keys, expected);
    assert_eq!(json["sledai_2k"], serde_json::Value::Null);
    assert_eq!(json["sledai_2k_min"], 4);
    assert_eq!(json["lldas"], "indeterminate");
    assert_eq!(json["lldas_criteria"].as_object().unwrap().len(), 5);
    assert_eq!(json["doris_criteria"].as_object().unwrap().len(), 3);
}

#[test]
fn record_errors() {
    let err = |j: &str| {
        serde_json::from_str::<VisitInput>(j)
            .unwrap_err()
            .to_string()
    };
    assert!(err(r#"{"present": [], "pga": 3.5}"#).contains("pga: value 3.5 is out of range"));
    assert!(err(r#"{"present": [], "prednisone_mg_per_day": -1}"#).contains("-1"));
    assert!(err(r#"{"present": [], "date": "2024-13-01"}"#).contains("invalid date"));
    assert!(err(r#"{"present": [], "colour": 1}"#).contains("unknown field `colour`"));
    assert!(err(r#"{"present": [], "descriptors": {}}"#).contains("exactly one of"));
    assert!(err(r#"{"pga": 1}"#).contains("needs `present`"));
    assert!(err(r#"{"present": [], "pga": 1, "pga": 2}"#).contains("duplicate field `pga`"));
    assert!(
        err(r#"{"present": [], "prednisone_mg_per_day": 5, "glucocorticoids": []}"#)
            .contains("not both")
    );
    assert!(
        err(r#"{"present": [], "glucocorticoids": [{"drug": "prednisolon", "mg_per_day": 5}]}"#)
            .contains("did you mean `prednisolone`")
    );
}

#[test]
fn record_round_trip() {
    let lines = [
        r#"{"id":"a","patient":"P","date":"2024-01-02","present":["rash"],"pga":0.5,"prednisone_mg_per_day":5.0,"hemolytic_anemia":false,"baseline":true}"#,
        r#"{"descriptors":{"rash":true,"fever":false},"glucocorticoids":[{"drug":"methylprednisolone","mg_per_day":4.0}],"reference_date":"2024-01-01","new_bilag_a":0,"new_bilag_b":1}"#,
    ];
    for line in lines {
        let v = visit(line);
        let back = visit(&serde_json::to_string(&v).unwrap());
        assert_eq!(back, v);
    }
}

#[test]
fn methylprednisolone_regimen_feeds_lldas() {
    // `docs/reference.md` section 5: methylprednisolone 4 mg = prednisone 5 mg,
    // so 6 mg = 7.5 (LLDAS passes) and 6.4 mg = 8.0 (fails).
    for (mg, expect) in [(6.0, TriState::Met), (6.4, TriState::NotMet)] {
        let v = visit(&format!(
            r#"{{"present": [], "pga": 0.0, "new_activity": false, "hemolytic_anemia": false,
                "gastrointestinal_activity": false, "maintenance_tolerated": true,
                "investigational_drug": false,
                "glucocorticoids": [{{"drug": "methylprednisolone", "mg_per_day": {mg}}}]}}"#
        ));
        let r = PatientStream::default().assess(&v).unwrap();
        assert_eq!(r.lldas().state(), expect, "{mg} mg");
    }
}

/// `docs/reference.md` section 1.3: laboratory values decide the laboratory
/// descriptors; a disagreement with the clinician is reported, never
/// silently resolved; missing values stay missing.
#[test]
fn measurements_are_derived_and_merged() {
    // Platelets 87,000/mm3 = 87 x 10^9/L < 100: thrombocytopenia (1);
    // 24-h protein 0.62 g > 0.5: proteinuria (4). Rash from the clinician (2).
    let v = visit(
        r#"{"date": "2024-07-01", "descriptors": {"rash": true},
            "measurements": [
              {"date": "2024-06-28", "platelets": {"value": 87000, "unit": "/mm3"}},
              {"date": "2024-06-30", "urine_protein_24h": {"value": 0.62, "unit": "g/24h"}}]}"#,
    );
    let r = PatientStream::default().assess(&v).unwrap();
    let range = r.sledai_2k();
    assert_eq!(range.min().get(), 2 + 4 + 1);
    assert!(
        r.missing().contains(sledai::Descriptor::Leukopenia),
        "no white cell count"
    );

    // The clinician says proteinuria, the laboratory 0.3 g/24 h: a conflict.
    let conflict = visit(
        r#"{"date": "2024-07-01", "present": ["proteinuria"],
            "measurements": [{"date": "2024-07-01", "urine_protein_24h": {"value": 0.3, "unit": "g/24h"}}]}"#,
    );
    let e = PatientStream::default().assess(&conflict).unwrap_err();
    assert!(matches!(e, Error::FindingConflict { .. }), "{e}");

    // Measurements need the visit date.
    let undated = visit(
        r#"{"present": [], "measurements": [{"date": "2024-07-01", "temperature": {"value": 38.5, "unit": "C"}}]}"#,
    );
    let e = PatientStream::default().assess(&undated).unwrap_err();
    assert!(
        e.to_string().contains("measurements need the visit `date`"),
        "{e}"
    );
}

/// The change from baseline uses the same (merged) assessment as the
/// visit's own total.
#[test]
fn change_from_baseline_uses_the_merged_assessment() {
    let mut s = PatientStream::default();
    let base = visit(r#"{"patient": "P", "date": "2024-01-01", "present": ["rash"]}"#);
    s.assess(&base).unwrap();
    // Clinician: nothing but thrombocytopenia unassessed; lab: platelets 87 x 10^9/L (scores 1).
    let mut fu = visit(
        r#"{"patient": "P", "date": "2024-02-01", "present": [],
            "measurements": [{"date": "2024-02-01", "platelets": {"value": 87, "unit": "10^9/L"}}]}"#,
    );
    fu.assessment.set(
        sledai::Descriptor::Thrombocytopenia,
        sledai::Finding::NotAssessed,
    );
    let r = s.assess(&fu).unwrap();
    assert_eq!(r.sledai_2k().exact().map(|x| x.get()), Some(1));
    let c = r.change_from_baseline().unwrap();
    assert_eq!((c.min(), c.max()), (-1, -1), "1 - 2");
}

/// Errors from a cohort name the caller's input positions.
#[test]
fn cohort_errors_name_input_positions() {
    use sledai::timeline::TimelineOptions;
    let rows = [
        r#"{"patient": "A", "date": "2024-01-01", "present": []}"#,
        r#"{"patient": "B", "date": "2024-01-01", "present": []}"#,
        r#"{"patient": "A", "date": "2024-02-01", "present": [], "baseline": true}"#,
        r#"{"patient": "A", "date": "2024-03-01", "present": [], "baseline": true}"#,
    ];
    let visits: Vec<VisitInput> = rows.iter().map(|r| visit(r)).collect();
    let e =
        sledai::timeline::Cohort::from_records(visits, &TimelineOptions::default()).unwrap_err();
    let text = e.to_string();
    assert!(text.starts_with("patient `A`"), "{text}");
    // Both marked visits are of patient A; positions 2 and 3 of the input, whatever the grouping.
    assert!(!text.contains("item 1"), "{text}");
}

/// Duplicate dates name the right input positions (P, Q, Q, P on one
/// date: P's visits are 0 and 3, not their grouped positions 0 and 1) and
/// the message stays short however many there are (issue 12).
#[test]
fn cohort_duplicate_dates_name_input_positions_bounded() {
    use sledai::timeline::TimelineOptions;
    let on = |p: &str| {
        visit(&format!(
            r#"{{"patient": "{p}", "date": "2024-01-01", "present": []}}"#
        ))
    };
    let visits = vec![on("P"), on("Q"), on("Q"), on("P")];
    let e =
        sledai::timeline::Cohort::from_records(visits, &TimelineOptions::default()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "patient `P`: date: invalid value `2024-01-01`: 2 visits are on the same date \
         (input positions 0 and 3); allow it with TimelineOptions::with_duplicate_dates"
    );
    let many: Vec<VisitInput> = (0..100_000).map(|_| on("P")).collect();
    let e = sledai::timeline::Cohort::from_records(many, &TimelineOptions::default()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "patient `P`: date: invalid value `2024-01-01`: 100000 visits are on the same date \
         (input positions 0, 1, 2, 3, 4 and 99995 more); allow it with \
         TimelineOptions::with_duplicate_dates"
    );
}

/// A screening visit marked `"baseline": false` is not the cohort's
/// baseline: the stream and the cohort agree (found in review).
#[test]
fn cohort_honours_baseline_false_like_the_stream() {
    use sledai::timeline::{SummaryOptions, TimelineOptions, Window};
    let rows = [
        // Screening: arthritis 4 + proteinuria 4 + low complement 2 + rash 2 = 12.
        r#"{"patient": "P", "date": "2024-01-01", "baseline": false, "present": ["arthritis", "proteinuria", "low_complement", "rash"]}"#,
        // Baseline (unmarked): arthritis 4 + proteinuria 4 + low complement 2 = 10.
        r#"{"patient": "P", "date": "2024-01-15", "present": ["arthritis", "proteinuria", "low_complement"]}"#,
        // Day 90 after 2024-01-15 is 2024-04-14: low complement 2 + rash 2 = 4.
        r#"{"patient": "P", "date": "2024-04-14", "present": ["low_complement", "rash"]}"#,
    ];
    let visits: Vec<VisitInput> = rows.iter().map(|r| visit(r)).collect();
    let mut stream = PatientStream::default();
    let last = visits
        .iter()
        .map(|v| stream.assess(v).unwrap())
        .last()
        .unwrap();
    assert_eq!(last.change_from_baseline().map(|c| c.min()), Some(-6));
    let c = sledai::timeline::Cohort::from_records(visits, &TimelineOptions::default()).unwrap();
    let report = c.summarize(&SummaryOptions::new([Window::new(90, 14)]));
    let p = &report.patients[0];
    assert_eq!(p.reference_date.to_string(), "2024-01-15");
    let row = &p.endpoints[0].endpoint.visit().expect("day 90").visit;
    assert_eq!(
        (
            row.study_day(),
            row.change_from_baseline().and_then(|c| c.absolute())
        ),
        (Some(90), Some(-6))
    );

    // Every visit marked false: no baseline, an error naming the patient.
    let all_false: Vec<VisitInput> =
        [r#"{"patient": "Q", "date": "2024-01-01", "baseline": false, "present": []}"#]
            .iter()
            .map(|r| visit(r))
            .collect();
    let e =
        sledai::timeline::Cohort::from_records(all_false, &TimelineOptions::default()).unwrap_err();
    assert!(e.to_string().starts_with("patient `Q`: baseline"), "{e}");
}

// ---- one evaluation for the stream and the timelines (issue 11) ----

mod stream_and_timeline {
    use proptest::prelude::*;
    use sledai::bilag::{BilagGrade, BilagGrades, BilagSystem};
    use sledai::glucocorticoid::PrednisoneEquivalent;
    use sledai::timeline::{Timeline, TimelineOptions};
    use sledai::visit::{PatientStream, VisitInput};
    use sledai::{Assessment, Date, Pga};

    fn flag() -> impl Strategy<Value = Option<bool>> {
        prop_oneof![Just(None), Just(Some(false)), Just(Some(true))]
    }

    fn grade() -> impl Strategy<Value = Option<BilagGrade>> {
        prop_oneof![
            Just(None),
            Just(Some(BilagGrade::A)),
            Just(Some(BilagGrade::B)),
            Just(Some(BilagGrade::C)),
            Just(Some(BilagGrade::D)),
            Just(Some(BilagGrade::E)),
        ]
    }

    /// Present and missing masks, PGA tenths, dose, the eight flags, three
    /// grades or the two counts.
    type Row = (
        u32,
        u32,
        Option<u8>,
        Option<u8>,
        [Option<bool>; 8],
        Option<[Option<BilagGrade>; 3]>,
        (Option<u8>, Option<u8>),
    );

    /// One record of patient P: any assessment (some items not assessed),
    /// any PGA and dose, the LLDAS and DORIS 2017 flags recorded or not,
    /// and either BILAG grades of three systems or the SRI counts.
    fn record() -> impl Strategy<Value = Row> {
        (
            0u32..(1 << 24),
            0u32..(1 << 24),
            proptest::option::of(0u8..=30),
            proptest::option::of(0u8..=20),
            [
                flag(),
                flag(),
                flag(),
                flag(),
                flag(),
                flag(),
                flag(),
                flag(),
            ],
            proptest::option::of([grade(), grade(), grade()]),
            (proptest::option::of(0u8..3), proptest::option::of(0u8..3)),
        )
    }

    /// Patient P's visits from generated rows, `gaps[i]` days apart, the
    /// first `screening` marked `baseline: false`.
    fn build(rows: Vec<Row>, gaps: &[i32], screening: usize) -> Vec<VisitInput> {
        let start = Date::new(2024, 1, 1).expect("date");
        let mut day = 0;
        let mut visits = Vec::new();
        for (i, (present, missing, pga, dose, f, grades, counts)) in rows.into_iter().enumerate() {
            let a =
                Assessment::from_masks(present & !missing, missing & !present).expect("disjoint");
            let mut v = VisitInput::dated(start.checked_add_days(day).expect("in range"), a)
                .with_patient("P");
            v.pga = pga.map(|t| Pga::from_tenths(t).expect("0..=30"));
            if let Some(mg) = dose {
                v = v.with_prednisone_equivalent(
                    PrednisoneEquivalent::from_mg(f64::from(mg)).expect("dose"),
                );
            }
            [
                v.hemolytic_anemia,
                v.gastrointestinal_activity,
                v.maintenance_tolerated,
                v.investigational_drug,
                v.treatment_failure,
                v.on_immunosuppressant,
                v.on_biologic,
                v.on_antimalarial,
            ] = f;
            match grades {
                Some(g) => {
                    let systems = [
                        BilagSystem::Renal,
                        BilagSystem::Mucocutaneous,
                        BilagSystem::Musculoskeletal,
                    ];
                    let mut all = BilagGrades::NOT_RECORDED;
                    for (s, g) in systems.into_iter().zip(g) {
                        all = all.with(s, g);
                    }
                    v.bilag = Some(all);
                }
                None => (v.new_bilag_a, v.new_bilag_b) = counts,
            }
            // Screening visits before the baseline, where there are
            // visits left to be one.
            if i < screening {
                v.baseline = Some(false);
            }
            visits.push(v);
            day += gaps[i];
        }
        visits
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// A patient's visits in date order give the same result, field for
        /// field, from `PatientStream::assess` and from `Timeline::result`
        /// (but the study day, which only a timeline has): the two share
        /// one evaluation, and their bookkeeping (previous visit, baseline,
        /// screening visits marked `baseline: false`) agrees.
        #[test]
        fn the_stream_and_the_timeline_agree(
            rows in proptest::collection::vec(record(), 1..6),
            gaps in proptest::collection::vec(1i32..60, 6),
            screening in 0usize..3,
        ) {
            let visits = build(rows, &gaps, screening);
            prop_assume!(visits.iter().any(|v| v.baseline.is_none()));
            let mut stream = PatientStream::default();
            let streamed: Result<Vec<_>, _> = visits.iter().map(|v| stream.assess(v)).collect();
            let timeline = Timeline::new(visits.clone(), &TimelineOptions::default());
            match (streamed, timeline) {
                (Ok(streamed), Ok(t)) => {
                    prop_assert_eq!(streamed.len(), t.visit_count());
                    for (i, s) in streamed.iter().enumerate() {
                        let r = t.result(i).expect("in bounds");
                        let mut got = serde_json::to_value(&r).expect("json");
                        prop_assert_eq!(got["study_day"].as_i64(), Some(i64::from(t.study_days()[i])));
                        got.as_object_mut().expect("object").remove("study_day");
                        prop_assert_eq!(got, serde_json::to_value(s).expect("json"));
                    }
                }
                // An input the rules reject fails both alike.
                (Err(_), Err(_)) => {}
                (a, b) => prop_assert!(false, "stream {:?} but timeline {:?}", a.map(|_| ()), b.map(|_| ())),
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]

        /// BICLA, SRI-4..8 and DORIS 2017 of a visit result, computed on
        /// demand, are the public rules applied to inputs this test builds
        /// from the records as docs/formats.md and docs/reference.md
        /// section 9 describe them (the change from the baseline's
        /// assessment, the BILAG part from the grades when either visit has
        /// them, else the counts; the visit's drug flags and grades for
        /// DORIS 2017); and each state the flat table prints is the state of
        /// that result, which is the conjunction the definitions give
        /// (DORIS 2017: every criterion of the variant, van Vollenhoven 2017
        /// Table 4; BICLA: the joint grades criterion, no SLEDAI-2K
        /// worsening, no PGA worsening, no treatment failure).
        #[test]
        fn deferred_rules_are_the_rules_on_the_visit_inputs(
            rows in proptest::collection::vec(record(), 1..6),
            gaps in proptest::collection::vec(1i32..60, 6),
            screening in 0usize..3,
        ) {
            use sledai::bilag::{evaluate_bicla, BiclaInput};
            use sledai::change::{evaluate_sri, IncompletePolicy, Measure, ScoreChange, Sri, SriInput};
            use sledai::remission_2017::{self, Doris2017Variant, Treatment};
            use sledai::table::output::{visit_columns, Cell};
            use sledai::target::Criterion;
            use sledai::visit::VisitOptions;
            use sledai::TriState;

            let visits = build(rows, &gaps, screening);
            let Some(b) = visits.iter().position(|v| v.baseline.is_none()) else {
                return Ok(());
            };
            let options = VisitOptions::default();
            let mut stream = PatientStream::default();
            let none = BilagGrades::NOT_RECORDED;
            let tri = |t: TriState| t.id();
            for (i, v) in visits.iter().enumerate() {
                let Ok(r) = stream.assess(v) else {
                    // Rejected input (grade E after activity under the
                    // strict policy cannot occur by default): nothing to check.
                    return Ok(());
                };
                let cells: std::collections::HashMap<&str, Option<&str>> = visit_columns()
                    .iter()
                    .map(|c| {
                        let text = match c.cell(&r) {
                            Cell::State(k) => Some(c.states()[usize::from(k)]),
                            _ => None,
                        };
                        (c.name(), text)
                    })
                    .collect();
                // DORIS 2017, at every visit.
                let previous = i.checked_sub(1).map(|p| visits[p].assessment);
                let inputs = v.target_inputs(previous, options.conversion()).expect("dose in range");
                let treatment = Treatment::new(v.on_immunosuppressant, v.on_biologic, v.on_antimalarial);
                for variant in Doris2017Variant::ALL {
                    let expected = remission_2017::evaluate(
                        &inputs, &treatment, &v.bilag.unwrap_or(none), variant, options.remission_2017(),
                    ).expect("evaluates");
                    let got = r.doris_2017(variant);
                    prop_assert_eq!(&got, &expected);
                    prop_assert_eq!(got.state(), TriState::all(got.criteria().iter().map(|c| c.state())));
                    prop_assert_eq!(cells[variant.id()], Some(tri(got.state())));
                }
                if i <= b {
                    prop_assert!(r.bicla().is_none());
                    for k in Sri::ALL {
                        prop_assert!(r.sri(k).is_none());
                    }
                    prop_assert_eq!(cells["bicla"], None);
                    prop_assert_eq!(cells["sri_4"], None);
                    continue;
                }
                let base = &visits[b];
                let change = ScoreChange::between(
                    &base.assessment, &v.assessment, Measure::Sledai2k, IncompletePolicy::Range,
                ).expect("change");
                let bicla_input = BiclaInput::new(change)
                    .with_baseline_grades(base.bilag.unwrap_or(none))
                    .with_visit_grades(v.bilag.unwrap_or(none))
                    .with_baseline_pga(base.pga)
                    .with_visit_pga(v.pga)
                    .with_treatment_failure(v.treatment_failure);
                let bicla_options = options.bicla().with_bilag(options.bilag());
                let expected = evaluate_bicla(&bicla_input, bicla_options).expect("evaluates");
                let got = r.bicla().expect("after the baseline");
                prop_assert_eq!(&got, &expected);
                let decides = [Criterion::BiclaGrades, Criterion::BiclaSledai, Criterion::BiclaPga, Criterion::BiclaTreatmentFailure];
                let conj = TriState::all(decides.iter().map(|&c| got.criterion(c).expect("criterion").state()));
                prop_assert_eq!(got.state(), conj);
                prop_assert_eq!(cells["bicla"], Some(tri(got.state())));
                let sri_input = SriInput::new(change)
                    .with_baseline_pga(base.pga)
                    .with_visit_pga(v.pga)
                    .with_treatment_failure(v.treatment_failure);
                let sri_input = if base.bilag.is_some() || v.bilag.is_some() {
                    sri_input
                        .with_baseline_grades(base.bilag.unwrap_or(none))
                        .with_visit_grades(v.bilag.unwrap_or(none))
                } else {
                    sri_input.with_new_bilag_a(v.new_bilag_a).with_new_bilag_b(v.new_bilag_b)
                };
                let sri_options = options.sri().with_bilag(options.bilag());
                for (k, name) in Sri::ALL.into_iter().zip(["sri_4", "sri_5", "sri_6", "sri_7", "sri_8"]) {
                    let expected = evaluate_sri(&sri_input, k, sri_options).expect("evaluates");
                    let got = r.sri(k).expect("after the baseline");
                    prop_assert_eq!(got, expected);
                    prop_assert_eq!(cells[name], Some(tri(got.state())));
                }
            }
        }
    }
}

mod lean_states {
    use proptest::prelude::*;
    use sledai::glucocorticoid::PrednisoneEquivalent;
    use sledai::table::output::{self, Cell};
    use sledai::visit::{GlucocorticoidInput, PatientStream, VisitInput};
    use sledai::{Assessment, Date, Pga, TriState};

    /// One visit: present and not-assessed masks (serology and major organ
    /// descriptors included), PGA, dose, the LLDAS flags and a statement on
    /// new activity, each possibly missing.
    fn visit() -> impl Strategy<Value = VisitInput> {
        (
            (any::<u32>(), any::<u32>(), 0u8..4),
            (
                proptest::option::of(0u8..=30),
                proptest::option::of(0u8..=20),
            ),
            proptest::array::uniform5(proptest::option::of(any::<bool>())),
        )
            .prop_map(|((present, missing, density), (pga, mg), flags)| {
                // Sparse masks: most visits are quiet enough to be in LLDAS.
                let keep = [0x0, 0x0010_0401, 0x0082_1042, 0x00FF_FFFF][usize::from(density)];
                let present = present & keep;
                let missing = missing & keep & !present & 0x00F0_F00F;
                let mut v =
                    VisitInput::new(Assessment::from_masks(present, missing).expect("24 bits"));
                v.pga = pga.map(|t| Pga::from_tenths(t).expect("0-3"));
                v.glucocorticoids = mg.map(|m| {
                    GlucocorticoidInput::PrednisoneEquivalent(
                        PrednisoneEquivalent::from_mg(f64::from(m) / 2.0).expect("a dose"),
                    )
                });
                [
                    v.hemolytic_anemia,
                    v.gastrointestinal_activity,
                    v.maintenance_tolerated,
                    v.investigational_drug,
                    v.new_activity,
                ] = flags;
                v
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// The states a visit result keeps for the flat table (decided
        /// without building the criteria) are those of the explained
        /// LLDAS and DORIS results computed on demand, criterion by
        /// criterion (the column named by its criterion id), and the
        /// overall state is the conjunction of the criteria (Franklyn
        /// 2016: all five; van Vollenhoven 2021: all three), over a
        /// patient's successive visits (LLDAS criterion 2 compares with
        /// the previous one; a contradicting statement is an error).
        #[test]
        fn flat_states_are_the_explained_states(visits in proptest::collection::vec(visit(), 1..6)) {
            let columns = output::visit_columns();
            let mut stream = PatientStream::default();
            let mut date = Date::new(2024, 1, 1).expect("a date");
            let mut assessed = 0;
            for mut v in visits {
                v.patient = Some("P1".to_owned());
                v.date = Some(date);
                date = date.checked_add_days(30).expect("a date");
                let Ok(r) = stream.assess(&v) else { continue };
                assessed += 1;
                let (lldas, doris) = (r.lldas(), r.doris());
                let cell = |name: &str| {
                    let c = columns.iter().find(|c| c.name() == name).expect("a column");
                    match c.cell(&r) {
                        Cell::State(code) => c.states()[usize::from(code)],
                        other => panic!("{name}: not a state: {other:?}"),
                    }
                };
                for (name, result) in [("lldas", lldas.state()), ("doris", doris.state())] {
                    prop_assert_eq!(cell(name), result.id());
                }
                for c in lldas.criteria().iter().chain(doris.criteria()) {
                    prop_assert_eq!(cell(c.criterion().id()), c.state().id());
                }
                prop_assert_eq!(lldas.state(), TriState::all(lldas.criteria().iter().map(|c| c.state())));
                prop_assert_eq!(doris.state(), TriState::all(doris.criteria().iter().map(|c| c.state())));
                let json = serde_json::to_value(&r).expect("serializes");
                prop_assert_eq!(json["lldas"].as_str(), Some(lldas.state().id()));
                prop_assert_eq!(json["doris"].as_str(), Some(doris.state().id()));
            }
            // The first visit has nothing to contradict: always assessed.
            prop_assert!(assessed >= 1);
        }
    }
}

/// A result gives back the `id` and `patient` of its record exactly, of
/// every length around the 22 bytes a result holds in place (ASCII, and
/// multi-byte UTF-8 that ends on either side of it), in its getters, its
/// JSON and its equality; the patient's memory is keyed by the same text.
#[test]
fn identifiers_of_any_length_come_back_as_given() {
    let mut texts: Vec<String> = (0..=30).map(|n| "x".repeat(n)).collect();
    texts.extend((0..=12).map(|n| "é".repeat(n))); // 2 bytes each: 20, 22, 24 bytes
    texts.extend(["患者-001".to_owned(), format!("{}🙂", "a".repeat(19))]);
    for (k, text) in texts.iter().enumerate() {
        let mut s = PatientStream::default();
        let v = VisitInput::dated(
            "2024-01-01".parse().unwrap(),
            sledai::Assessment::from_present([]),
        )
        .with_id(format!("{text}#{k}"))
        .with_patient(text.clone());
        let r = s.assess(&v).unwrap();
        let id = format!("{text}#{k}");
        assert_eq!(r.id(), Some(id.as_str()));
        assert_eq!(r.patient(), Some(text.as_str()));
        let json: serde_json::Value = serde_json::to_value(&r).unwrap();
        assert_eq!(json["id"], serde_json::json!(id));
        assert_eq!(json["patient"], serde_json::json!(text));
        assert_eq!(r.clone(), r);
        // The same visit under another identifier is another result.
        let other = PatientStream::default()
            .assess(&v.clone().with_id(format!("{text}#{k}!")))
            .unwrap();
        assert_ne!(other, r);
        // A later visit of the same patient continues its memory.
        let later = v
            .clone()
            .with_date("2024-02-01".parse().unwrap())
            .with_id("later");
        let r2 = s.assess(&later).unwrap();
        assert_eq!(r2.baseline_date(), Some("2024-01-01".parse().unwrap()));
        assert!(s.forget(text));
    }
}
