//! Tests of `sledai::labs`: thresholds on both sides in every unit,
//! hand-computed conversions, window edges, selection, attribution, the
//! UPCR substitute, low complement, merging, every error path, the serde
//! shape, and properties.
//!
//! Sources: thresholds and strict inequalities, Gladman 2002 and
//! `docs/reference.md` sections 1.2 and 1.3; the 10-day window, Gladman 2002
//! and section 1.1; the 30-day window, Touma 2010; UPCR equivalence and unit
//! equivalences (1 x 10^9/L = 1,000/mm³ = 1,000/µL), section 1.3.
//! Conversions are computed by hand in comments.

use proptest::prelude::*;
use sledai::error::MeasurementIssue;
use sledai::labs::{
    Analyte, Attribution, Complement, ConflictPolicy, DeriveOptions, LAB_DESCRIPTORS, LabValue,
    Measurement, Measurements, Reason, ScoringWindow, Selection, Status, derive,
};
use sledai::units::{
    AntibodyUnit, ComplementUnit, CountUnit, FieldUnit, ProteinUnit, TemperatureUnit, UpcrUnit,
};
use sledai::{Assessment, Date, Descriptor, Error, Finding};

fn date(s: &str) -> Date {
    s.parse().expect("valid test date")
}

const VISIT: &str = "2024-07-11";

/// The finding of the value's descriptor when measured on the visit date.
fn finding(v: LabValue) -> Finding {
    finding_opts(v, &DeriveOptions::new())
}

fn finding_opts(v: LabValue, o: &DeriveOptions) -> Finding {
    let d = derive(&[Measurement::new(date(VISIT), v)], date(VISIT), *o);
    d.finding(v.analyte().descriptor())
}

fn ok(r: Result<LabValue, Error>) -> LabValue {
    r.expect("valid test value")
}

use Finding::{Absent, NotAssessed, Present};

// ---------------------------------------------------------- thresholds --

#[test]
fn proteinuria_both_sides_in_each_unit() {
    // > 0.5 g/24 h (Gladman 2002); 0.5 g = 500 mg.
    let g = ProteinUnit::GramsPer24h;
    let mg = ProteinUnit::MilligramsPer24h;
    for (v, u, want) in [
        (0.5, g, Absent),
        (0.500001, g, Present),
        (0.62, g, Present),
        (0.49, g, Absent),
        (500.0, mg, Absent),
        (500.001, mg, Present),
        (501.0, mg, Present),
        (499.0, mg, Absent),
        (0.0, g, Absent),
    ] {
        assert_eq!(
            finding(ok(LabValue::urine_protein_24h(v, u))),
            want,
            "{v} {u}"
        );
    }
}

#[test]
fn upcr_both_sides_in_each_unit_when_opted_in() {
    // > 0.5 g/g = > 500 mg/g = > 50 mg/mmol (`docs/reference.md` section 1.3, project policy).
    let o = DeriveOptions::new().with_upcr(true);
    for (v, u, want) in [
        (0.5, UpcrUnit::GramsPerGram, Absent),
        (0.501, UpcrUnit::GramsPerGram, Present),
        (500.0, UpcrUnit::MilligramsPerGram, Absent),
        (501.0, UpcrUnit::MilligramsPerGram, Present),
        (50.0, UpcrUnit::MilligramsPerMillimole, Absent),
        (50.1, UpcrUnit::MilligramsPerMillimole, Present),
    ] {
        assert_eq!(finding_opts(ok(LabValue::upcr(v, u)), &o), want, "{v} {u}");
    }
}

#[test]
fn hematuria_and_pyuria_both_sides() {
    // > 5 per high-power field (Gladman 2002).
    let hpf = FieldUnit::PerHighPowerField;
    for (v, want) in [(5.0, Absent), (5.5, Present), (6.0, Present), (0.0, Absent)] {
        assert_eq!(finding(ok(LabValue::urine_rbc(v, hpf))), want, "rbc {v}");
        assert_eq!(finding(ok(LabValue::urine_wbc(v, hpf))), want, "wbc {v}");
    }
}

#[test]
fn casts_count_and_presence() {
    // Any heme-granular or red cell cast scores (> 0; `docs/reference.md` section 1.3).
    for u in FieldUnit::ALL.iter().copied() {
        assert_eq!(finding(ok(LabValue::urinary_casts(0.0, u))), Absent);
        assert_eq!(finding(ok(LabValue::urinary_casts(1.0, u))), Present);
        assert_eq!(finding(ok(LabValue::urinary_casts(0.5, u))), Present);
    }
    assert_eq!(finding(LabValue::urinary_casts_present(true)), Present);
    assert_eq!(finding(LabValue::urinary_casts_present(false)), Absent);
}

#[test]
fn thrombocytopenia_both_sides_in_each_unit() {
    // < 100 x 10^9/L = < 100,000/mm³ = < 100,000/µL.
    for (v, u, want) in [
        (100.0, CountUnit::GigaPerLitre, Absent),
        (99.999, CountUnit::GigaPerLitre, Present),
        (87.0, CountUnit::GigaPerLitre, Present),
        (100_000.0, CountUnit::PerCubicMillimetre, Absent),
        (99_999.0, CountUnit::PerCubicMillimetre, Present),
        (100_000.0, CountUnit::PerMicrolitre, Absent),
        (99_999.0, CountUnit::PerMicrolitre, Present),
        (150_000.0, CountUnit::PerMicrolitre, Absent),
    ] {
        assert_eq!(finding(ok(LabValue::platelets(v, u))), want, "{v} {u}");
    }
}

#[test]
fn leukopenia_both_sides_in_each_unit() {
    // < 3 x 10^9/L = < 3,000/mm³ = < 3,000/µL.
    for (v, u, want) in [
        (3.0, CountUnit::GigaPerLitre, Absent),
        (2.999, CountUnit::GigaPerLitre, Present),
        (3_000.0, CountUnit::PerCubicMillimetre, Absent),
        (2_999.0, CountUnit::PerCubicMillimetre, Present),
        (3_000.0, CountUnit::PerMicrolitre, Absent),
        (2_999.0, CountUnit::PerMicrolitre, Present),
    ] {
        assert_eq!(finding(ok(LabValue::white_cells(v, u))), want, "{v} {u}");
    }
}

#[test]
fn fever_both_sides_in_each_unit() {
    // > 38 °C; 38 °C = 38 x 9/5 + 32 = 100.4 °F.
    for (v, u, want) in [
        (38.0, TemperatureUnit::Celsius, Absent),
        (38.01, TemperatureUnit::Celsius, Present),
        (38.1, TemperatureUnit::Celsius, Present),
        (100.4, TemperatureUnit::Fahrenheit, Absent),
        (100.41, TemperatureUnit::Fahrenheit, Present),
        (100.5, TemperatureUnit::Fahrenheit, Present),
        (98.6, TemperatureUnit::Fahrenheit, Absent),
    ] {
        assert_eq!(finding(ok(LabValue::temperature(v, u))), want, "{v} {u}");
    }
}

#[test]
fn complement_and_dsdna_against_laboratory_limits() {
    // Below the laboratory's lower limit; above its upper limit (Gladman 2002).
    let gl = ComplementUnit::GramsPerLitre;
    for c in [Complement::C3, Complement::C4, Complement::Ch50] {
        // Exactly at the limit is not below it. (Alone, a normal component
        // leaves the descriptor not assessed: see the low-complement tests.)
        assert!(!ok(LabValue::complement(c, 0.90, 0.90, gl)).is_beyond_threshold());
        assert_eq!(
            finding(ok(LabValue::complement(c, 0.899, 0.90, gl))),
            Present
        );
    }
    for u in AntibodyUnit::ALL.iter().copied() {
        assert_eq!(
            finding(ok(LabValue::anti_dsdna(30.0, 30.0, u))),
            Absent,
            "{u}"
        );
        assert_eq!(
            finding(ok(LabValue::anti_dsdna(30.5, 30.0, u))),
            Present,
            "{u}"
        );
    }
    for u in ComplementUnit::ALL.iter().copied() {
        assert!(!ok(LabValue::complement(Complement::C3, 9.0, 9.0, u)).is_beyond_threshold());
        assert_eq!(
            finding(ok(LabValue::complement(Complement::C3, 8.9, 9.0, u))),
            Present
        );
    }
}

// --------------------------------------------------------- conversions --

#[test]
fn canonical_values_match_hand_conversions() {
    let cases: [(LabValue, f64, &str); 10] = [
        // 87,000/mm³ / 1,000 = 87 x 10^9/L.
        (
            ok(LabValue::platelets(87_000.0, CountUnit::PerCubicMillimetre)),
            87.0,
            "10^9/L",
        ),
        // 2,500/µL / 1,000 = 2.5 x 10^9/L.
        (
            ok(LabValue::white_cells(2_500.0, CountUnit::PerMicrolitre)),
            2.5,
            "10^9/L",
        ),
        // 250 mg / 1,000 = 0.25 g.
        (
            ok(LabValue::urine_protein_24h(
                250.0,
                ProteinUnit::MilligramsPer24h,
            )),
            0.25,
            "g/24h",
        ),
        // (100.4 - 32) x 5/9 = 68.4 x 5/9 = 38.
        (
            ok(LabValue::temperature(100.4, TemperatureUnit::Fahrenheit)),
            38.0,
            "C",
        ),
        // (98.6 - 32) x 5/9 = 37.
        (
            ok(LabValue::temperature(98.6, TemperatureUnit::Fahrenheit)),
            37.0,
            "C",
        ),
        // (104 - 32) x 5/9 = 40.
        (
            ok(LabValue::temperature(104.0, TemperatureUnit::Fahrenheit)),
            40.0,
            "C",
        ),
        // 50 mg/mmol x 10 = 500 mg/g = 0.5 g/g (`docs/reference.md` section 1.3 equivalence).
        (
            ok(LabValue::upcr(50.0, UpcrUnit::MilligramsPerMillimole)),
            0.5,
            "g/g",
        ),
        // 620 mg/g = 0.62 g/g.
        (
            ok(LabValue::upcr(620.0, UpcrUnit::MilligramsPerGram)),
            0.62,
            "g/g",
        ),
        // Same unit: no conversion.
        (
            ok(LabValue::urine_rbc(7.0, FieldUnit::PerHighPowerField)),
            7.0,
            "/hpf",
        ),
        (
            ok(LabValue::complement(
                Complement::C4,
                12.0,
                10.0,
                ComplementUnit::MilligramsPerDecilitre,
            )),
            12.0,
            "mg/dL",
        ),
    ];
    for (v, want, unit) in cases {
        assert_eq!(
            (v.canonical_value(), v.canonical_unit()),
            (want, unit),
            "{v:?}"
        );
    }
    // 100.5 °F = 68.5 x 5/9 = 38.0555... °C.
    let t = ok(LabValue::temperature(100.5, TemperatureUnit::Fahrenheit)).canonical_value();
    assert!((t - 38.055_555_555_5).abs() < 1e-9, "{t}");
}

#[test]
fn thresholds_are_stated_in_the_measurement_unit() {
    let cases = [
        (
            ok(LabValue::temperature(99.0, TemperatureUnit::Fahrenheit)),
            "> 100.4 F",
        ),
        (
            ok(LabValue::temperature(37.0, TemperatureUnit::Celsius)),
            "> 38 C",
        ),
        (
            ok(LabValue::platelets(1.0, CountUnit::PerCubicMillimetre)),
            "< 100000 /mm3",
        ),
        (
            ok(LabValue::white_cells(1.0, CountUnit::PerMicrolitre)),
            "< 3000 /uL",
        ),
        (
            ok(LabValue::white_cells(1.0, CountUnit::GigaPerLitre)),
            "< 3 10^9/L",
        ),
        (
            ok(LabValue::urine_protein_24h(
                1.0,
                ProteinUnit::MilligramsPer24h,
            )),
            "> 500 mg/24h",
        ),
        (
            ok(LabValue::upcr(1.0, UpcrUnit::MilligramsPerMillimole)),
            "> 50 mg/mmol",
        ),
        (ok(LabValue::upcr(1.0, UpcrUnit::GramsPerGram)), "> 0.5 g/g"),
        (
            ok(LabValue::urinary_casts(1.0, FieldUnit::PerLowPowerField)),
            "> 0 /lpf",
        ),
        (
            ok(LabValue::complement(
                Complement::C3,
                1.0,
                0.9,
                ComplementUnit::GramsPerLitre,
            )),
            "< 0.9 g/L",
        ),
        (
            ok(LabValue::anti_dsdna(
                1.0,
                200.0,
                AntibodyUnit::InternationalUnitsPerMillilitre,
            )),
            "> 200 IU/mL",
        ),
        (LabValue::urinary_casts_present(true), "present"),
    ];
    for (v, want) in cases {
        assert_eq!(v.threshold().to_string(), want);
    }
}

#[test]
fn unit_strings_and_aliases() {
    assert_eq!("10^9/L".parse::<CountUnit>(), Ok(CountUnit::GigaPerLitre));
    assert_eq!("x10^9/l".parse::<CountUnit>(), Ok(CountUnit::GigaPerLitre));
    assert_eq!(
        "/mm³".parse::<CountUnit>(),
        Ok(CountUnit::PerCubicMillimetre)
    );
    assert_eq!("/μL".parse::<CountUnit>(), Ok(CountUnit::PerMicrolitre)); // Greek mu
    assert_eq!("/µL".parse::<CountUnit>(), Ok(CountUnit::PerMicrolitre)); // micro sign
    assert_eq!(
        "°C".parse::<TemperatureUnit>(),
        Ok(TemperatureUnit::Celsius)
    );
    assert_eq!(
        "g/24 h".parse::<ProteinUnit>(),
        Ok(ProteinUnit::GramsPer24h)
    );
    // Every stable form parses back to itself.
    for u in CountUnit::ALL {
        assert_eq!(u.id().parse::<CountUnit>().as_ref(), Ok(u));
    }
    for u in ProteinUnit::ALL {
        assert_eq!(u.id().parse::<ProteinUnit>().as_ref(), Ok(u));
    }
    for u in UpcrUnit::ALL {
        assert_eq!(u.id().parse::<UpcrUnit>().as_ref(), Ok(u));
    }
    for u in TemperatureUnit::ALL {
        assert_eq!(u.id().parse::<TemperatureUnit>().as_ref(), Ok(u));
    }
    for u in ComplementUnit::ALL {
        assert_eq!(u.id().parse::<ComplementUnit>().as_ref(), Ok(u));
    }
    for u in AntibodyUnit::ALL {
        assert_eq!(u.id().parse::<AntibodyUnit>().as_ref(), Ok(u));
    }
    for u in FieldUnit::ALL {
        assert_eq!(u.id().parse::<FieldUnit>().as_ref(), Ok(u));
    }
    // A gram-per-litre string is not a cell count.
    assert!("g/L".parse::<CountUnit>().is_err());
    match "mm3".parse::<CountUnit>() {
        Err(
            ref e @ Error::UnknownName {
                field, ref value, ..
            },
        ) => {
            assert_eq!(
                (field, &**value, e.suggestion()),
                ("unit", "mm3", Some("/mm3"))
            );
        }
        other => panic!("expected UnknownName, got {other:?}"),
    }
}

// -------------------------------------------------------------- window --

fn platelets_on(day: &str) -> Measurement {
    Measurement::new(
        date(day),
        ok(LabValue::platelets(50.0, CountUnit::GigaPerLitre)),
    )
}

#[test]
fn ten_day_window_edges() {
    // Visit 2024-07-11: 2024-07-01 is day 10 (in), 2024-06-30 day 11 (out).
    let o = DeriveOptions::new();
    let f = |day| derive(&[platelets_on(day)], date(VISIT), o);
    assert_eq!(
        f("2024-07-11").finding(Descriptor::Thrombocytopenia),
        Present
    ); // day 0
    assert_eq!(
        f("2024-07-01").finding(Descriptor::Thrombocytopenia),
        Present
    ); // day 10
    let out = f("2024-06-30");
    assert_eq!(out.finding(Descriptor::Thrombocytopenia), NotAssessed); // day 11
    let e = out
        .item(Descriptor::Thrombocytopenia)
        .expect("a laboratory descriptor")
        .evidence()[0];
    assert_eq!(
        (e.days_before_visit(), e.status()),
        (11, Status::BeforeWindow)
    );
}

#[test]
fn thirty_day_window_edges() {
    // Touma 2010. Visit 2024-07-11: 2024-06-11 is day 30, 2024-06-10 day 31.
    let o = DeriveOptions::new().with_window(ScoringWindow::ThirtyDays);
    let f =
        |day| derive(&[platelets_on(day)], date(VISIT), o).finding(Descriptor::Thrombocytopenia);
    assert_eq!(f("2024-06-11"), Present);
    assert_eq!(f("2024-06-10"), NotAssessed);
    assert_eq!(f("2024-06-30"), Present); // day 11: in the 30-day window
}

#[test]
fn window_crosses_a_leap_day() {
    // Visit 2024-03-05; 2024 is a leap year: 2024-02-24 is day 10, 02-23 day 11.
    let o = DeriveOptions::new();
    let f = |day| {
        derive(&[platelets_on(day)], date("2024-03-05"), o).finding(Descriptor::Thrombocytopenia)
    };
    assert_eq!(f("2024-02-24"), Present);
    assert_eq!(f("2024-02-23"), NotAssessed);
}

#[test]
fn measurements_after_the_visit_are_excluded_with_a_reason() {
    let d = derive(
        &[platelets_on("2024-07-12")],
        date(VISIT),
        DeriveOptions::new(),
    );
    let item = d
        .item(Descriptor::Thrombocytopenia)
        .expect("a laboratory descriptor");
    assert_eq!(item.finding(), NotAssessed);
    assert_eq!(item.reason(), Reason::NoMeasurement);
    assert_eq!(item.evidence()[0].status(), Status::AfterVisit);
    assert_eq!(item.evidence()[0].days_before_visit(), -1);
}

#[test]
fn missing_is_not_assessed_never_normal() {
    let d = derive(&[], date(VISIT), DeriveOptions::new());
    for item in d.items() {
        assert_eq!(item.finding(), NotAssessed);
        assert_eq!(item.reason(), Reason::NoMeasurement);
    }
    assert!(d.assessment().score().is_err());
}

// ----------------------------------------------------------- selection --

#[test]
fn any_abnormal_is_the_default_and_most_recent_the_option() {
    // Low platelets on day 8, normal on the visit day.
    let ms = [
        platelets_on("2024-07-03"),
        Measurement::new(
            date(VISIT),
            ok(LabValue::platelets(180.0, CountUnit::GigaPerLitre)),
        ),
    ];
    let any = derive(&ms, date(VISIT), DeriveOptions::new());
    assert_eq!(any.finding(Descriptor::Thrombocytopenia), Present);
    let item = any
        .item(Descriptor::Thrombocytopenia)
        .expect("a laboratory descriptor");
    assert_eq!(
        item.decisive().map(|e| e.measurement().date()),
        Some(date("2024-07-03"))
    );

    let recent = derive(
        &ms,
        date(VISIT),
        DeriveOptions::new().with_selection(Selection::MostRecent),
    );
    let item = recent
        .item(Descriptor::Thrombocytopenia)
        .expect("a laboratory descriptor");
    assert_eq!(item.finding(), Absent);
    assert_eq!(item.reason(), Reason::Normal);
    let statuses: Vec<_> = item.evidence().iter().map(|e| e.status()).collect();
    assert_eq!(statuses, [Status::Superseded, Status::WithinThreshold]);
}

#[test]
fn most_recent_with_a_same_day_tie_scores_when_any_scores() {
    let ms = [
        Measurement::new(
            date(VISIT),
            ok(LabValue::platelets(180.0, CountUnit::GigaPerLitre)),
        ),
        platelets_on(VISIT),
    ];
    let o = DeriveOptions::new().with_selection(Selection::MostRecent);
    assert_eq!(
        derive(&ms, date(VISIT), o).finding(Descriptor::Thrombocytopenia),
        Present
    );
}

// --------------------------------------------------------- attribution --

#[test]
fn attributed_findings_do_not_score() {
    // `docs/reference.md` sections 1.1 and 1.3: a finding attributed to another
    // cause does not score.
    for cause in [
        Attribution::Infection,
        Attribution::Drug,
        Attribution::Stone,
        Attribution::Other,
    ] {
        let m = platelets_on(VISIT).with_attribution(cause);
        let d = derive(&[m], date(VISIT), DeriveOptions::new());
        let item = d
            .item(Descriptor::Thrombocytopenia)
            .expect("a laboratory descriptor");
        assert_eq!(item.finding(), Absent);
        assert_eq!(item.reason(), Reason::Attributed { cause });
        assert_eq!(item.evidence()[0].status(), Status::Attributed);
        assert!(item.to_string().contains(&format!("attributed to {cause}")));
    }
}

#[test]
fn an_unattributed_abnormal_value_still_scores_next_to_an_attributed_one() {
    let ms = [
        platelets_on("2024-07-05"),
        platelets_on(VISIT).with_attribution(Attribution::Drug),
    ];
    let any = derive(&ms, date(VISIT), DeriveOptions::new());
    assert_eq!(any.finding(Descriptor::Thrombocytopenia), Present);
    // Most recent: the visit-day value decides and is attributed.
    let recent = derive(
        &ms,
        date(VISIT),
        DeriveOptions::new().with_selection(Selection::MostRecent),
    );
    assert_eq!(
        recent
            .item(Descriptor::Thrombocytopenia)
            .expect("a laboratory descriptor")
            .reason(),
        Reason::Attributed {
            cause: Attribution::Drug
        }
    );
}

#[test]
fn attributed_normal_value_is_simply_normal() {
    let m = Measurement::new(
        date(VISIT),
        ok(LabValue::platelets(200.0, CountUnit::GigaPerLitre)),
    )
    .with_attribution(Attribution::Drug);
    let d = derive(&[m], date(VISIT), DeriveOptions::new());
    assert_eq!(
        d.item(Descriptor::Thrombocytopenia)
            .expect("a laboratory descriptor")
            .reason(),
        Reason::Normal
    );
}

// ---------------------------------------------------------------- upcr --

fn upcr(v: f64) -> Measurement {
    Measurement::new(
        date(VISIT),
        ok(LabValue::upcr(v, UpcrUnit::MilligramsPerGram)),
    )
}

#[test]
fn upcr_is_used_only_when_opted_in_and_says_so() {
    let d = derive(&[upcr(800.0)], date(VISIT), DeriveOptions::new());
    let p = d
        .item(Descriptor::Proteinuria)
        .expect("a laboratory descriptor");
    assert_eq!(p.finding(), NotAssessed);
    assert!(!p.substitute_used());
    assert_eq!(p.evidence()[0].status(), Status::SubstituteNotEnabled);

    let d = derive(
        &[upcr(800.0)],
        date(VISIT),
        DeriveOptions::new().with_upcr(true),
    );
    let p = d
        .item(Descriptor::Proteinuria)
        .expect("a laboratory descriptor");
    assert_eq!(p.finding(), Present);
    assert!(p.substitute_used());
    assert!(p.rule().contains("substitute"));
}

#[test]
fn a_24_hour_collection_in_the_window_takes_precedence_over_upcr() {
    let ms = [
        Measurement::new(
            date("2024-07-05"),
            ok(LabValue::urine_protein_24h(0.3, ProteinUnit::GramsPer24h)),
        ),
        upcr(800.0),
    ];
    let d = derive(&ms, date(VISIT), DeriveOptions::new().with_upcr(true));
    let p = d
        .item(Descriptor::Proteinuria)
        .expect("a laboratory descriptor");
    assert_eq!(p.finding(), Absent);
    assert!(!p.substitute_used());
    assert_eq!(p.evidence()[1].status(), Status::SubstituteNotNeeded);
    assert!(p.rule().starts_with("24-hour urine protein"));
}

// ------------------------------------------------------ low complement --

fn comp(c: Complement, v: f64, lln: f64) -> Measurement {
    let unit = match c {
        Complement::Ch50 => ComplementUnit::UnitsPerMillilitre,
        _ => ComplementUnit::GramsPerLitre,
    };
    Measurement::new(date(VISIT), ok(LabValue::complement(c, v, lln, unit)))
}

#[test]
fn low_complement_scores_two_once() {
    // Gladman 2002: counts once however many components are low.
    let ms = [
        comp(Complement::C3, 0.5, 0.9),
        comp(Complement::C4, 0.05, 0.1),
        comp(Complement::Ch50, 20.0, 41.0),
    ];
    let d = derive(&ms, date(VISIT), DeriveOptions::new());
    assert_eq!(d.finding(Descriptor::LowComplement), Present);
    assert!(
        d.item(Descriptor::LowComplement)
            .expect("a laboratory descriptor")
            .missing_components()
            .is_empty()
    );
    // All three components low, every other descriptor absent: the total is
    // exactly the low-complement weight, 2 (not 6).
    let form = Assessment::from_present([]).with(Descriptor::LowComplement, NotAssessed);
    let merged = d
        .merge(form, ConflictPolicy::KeepClinician)
        .expect("policy keeps");
    // The other eight lab descriptors are NotAssessed on the lab side, so
    // the clinician's absent findings stand and there is no conflict.
    assert!(merged.conflicts().is_empty());
    assert_eq!(merged.assessment().score().map(|s| s.get()), Ok(2));
    let statuses: Vec<Status> = d
        .item(Descriptor::LowComplement)
        .expect("a laboratory descriptor")
        .evidence()
        .iter()
        .map(|e| e.status())
        .collect();
    assert_eq!(statuses, [Status::Scores; 3]);
}

#[test]
fn one_low_component_with_others_missing_is_present() {
    let d = derive(
        &[comp(Complement::C4, 0.05, 0.1)],
        date(VISIT),
        DeriveOptions::new(),
    );
    let item = d
        .item(Descriptor::LowComplement)
        .expect("a laboratory descriptor");
    assert_eq!(item.finding(), Present);
    assert_eq!(item.missing_components(), [Analyte::C3, Analyte::Ch50]);
}

#[test]
fn normal_measured_components_with_others_missing_is_absent() {
    // Policy (docs/labs.md): "CH50, C3 or C4 below LLN" is ruled out when
    // C3 and C4 were both measured in the window and neither (nor a
    // measured CH50) is low; CH50, rarely measured, is not required.
    let ms = [
        comp(Complement::C3, 1.2, 0.9),
        comp(Complement::C4, 0.2, 0.1),
    ];
    let d = derive(&ms, date(VISIT), DeriveOptions::new());
    let item = d
        .item(Descriptor::LowComplement)
        .expect("a laboratory descriptor");
    assert_eq!((item.finding(), item.reason()), (Absent, Reason::Normal));
    assert_eq!(item.missing_components(), [Analyte::Ch50]);
}

#[test]
fn a_normal_c3_alone_leaves_low_complement_not_assessed() {
    // `docs/reference.md` section 1.3: missing values are missing, never normal. "CH50, C3 or
    // C4 below normal" cannot be ruled out with C4 unmeasured.
    let d = derive(
        &[comp(Complement::C3, 1.2, 0.9)],
        date(VISIT),
        DeriveOptions::new(),
    );
    let item = d
        .item(Descriptor::LowComplement)
        .expect("a laboratory descriptor");
    assert_eq!(
        (item.finding(), item.reason()),
        (NotAssessed, Reason::MissingComponents)
    );
    assert_eq!(item.missing_components(), [Analyte::C4, Analyte::Ch50]);
    // A normal CH50 alone does not rule it out either.
    let d = derive(
        &[comp(Complement::Ch50, 50.0, 41.0)],
        date(VISIT),
        DeriveOptions::new(),
    );
    assert_eq!(d.finding(Descriptor::LowComplement), NotAssessed);
}

#[test]
fn low_component_attributed_and_other_normal_is_absent_attributed() {
    let ms = [
        comp(Complement::C3, 0.5, 0.9).with_attribution(Attribution::Other),
        comp(Complement::C4, 0.2, 0.1),
    ];
    let d = derive(&ms, date(VISIT), DeriveOptions::new());
    let item = d
        .item(Descriptor::LowComplement)
        .expect("a laboratory descriptor");
    assert_eq!(item.finding(), Absent);
    assert_eq!(
        item.reason(),
        Reason::Attributed {
            cause: Attribution::Other
        }
    );
}

// --------------------------------------------------------------- merge --

fn lab_protein(v: f64) -> sledai::labs::Derivation {
    let m = Measurement::new(
        date(VISIT),
        ok(LabValue::urine_protein_24h(v, ProteinUnit::GramsPer24h)),
    );
    derive(&[m], date(VISIT), DeriveOptions::new())
}

#[test]
fn merge_agreement_and_gaps() {
    let d = lab_protein(0.8);
    // Agreement.
    let m = d
        .merge(
            Assessment::from_present([Descriptor::Proteinuria]),
            ConflictPolicy::Error,
        )
        .expect("agreement");
    assert!(m.conflicts().is_empty());
    assert_eq!(m.assessment().score().map(|s| s.get()), Ok(4));
    // The clinician did not assess proteinuria: the laboratory fills it in.
    let form = Assessment::from_present([]).with(Descriptor::Proteinuria, NotAssessed);
    let m = d.merge(form, ConflictPolicy::Error).expect("gap");
    assert_eq!(m.assessment().get(Descriptor::Proteinuria), Present);
    // The laboratory has no fever measurement: the clinician's finding stays.
    let form =
        Assessment::from_present([Descriptor::Fever]).with(Descriptor::Proteinuria, NotAssessed);
    let m = d.merge(form, ConflictPolicy::Error).expect("gap");
    assert_eq!(m.assessment().get(Descriptor::Fever), Present);
    assert_eq!(m.assessment().score().map(|s| s.get()), Ok(5));
}

#[test]
fn merge_conflicts_follow_the_policy() {
    // The issue's example: clinician says proteinuria, the lab says 0.3 g/24 h.
    let d = lab_protein(0.3);
    let form = Assessment::from_present([Descriptor::Proteinuria]);
    match d.merge(form, ConflictPolicy::default()) {
        Err(Error::FindingConflict {
            descriptors,
            detail,
            ..
        }) => {
            assert_eq!(descriptors[..], [Descriptor::Proteinuria.id()]);
            assert!(
                detail.starts_with("proteinuria: clinician present, laboratory absent"),
                "{detail}"
            );
            assert!(detail.contains("0.3 g/24h"), "{detail}");
        }
        other => panic!("expected a conflict error, got {other:?}"),
    }
    let err = d
        .merge(form, ConflictPolicy::Error)
        .expect_err("must be rejected")
        .to_string();
    assert!(err.starts_with("clinician and laboratory findings conflict: proteinuria: clinician present, laboratory absent"), "{err}");

    let keep_c = d
        .merge(form, ConflictPolicy::KeepClinician)
        .expect("flagged");
    assert_eq!(keep_c.assessment().get(Descriptor::Proteinuria), Present);
    assert_eq!(keep_c.conflicts().len(), 1);
    let keep_l = d
        .merge(form, ConflictPolicy::KeepLaboratory)
        .expect("flagged");
    assert_eq!(keep_l.assessment().get(Descriptor::Proteinuria), Absent);
    assert_eq!(keep_l.conflicts().len(), 1);
}

#[test]
fn merge_conflict_in_the_other_direction() {
    let d = lab_protein(0.8);
    let form = Assessment::from_present([]);
    let m = d
        .merge(form, ConflictPolicy::KeepClinician)
        .expect("flagged");
    assert_eq!(m.conflicts()[0].clinician, Absent);
    assert_eq!(m.conflicts()[0].laboratory, Present);
    assert_eq!(m.assessment().get(Descriptor::Proteinuria), Absent);
}

// -------------------------------------------------------------- errors --

fn issue(r: Result<LabValue, Error>) -> (&'static str, &'static str, MeasurementIssue) {
    match r {
        Err(Error::InvalidMeasurement {
            field, unit, issue, ..
        }) => (field, unit, issue),
        other => panic!("expected InvalidMeasurement, got {other:?}"),
    }
}

#[test]
fn non_finite_values_are_errors_everywhere() {
    for x in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let cases = [
            LabValue::urine_protein_24h(x, ProteinUnit::GramsPer24h),
            LabValue::upcr(x, UpcrUnit::GramsPerGram),
            LabValue::urine_rbc(x, FieldUnit::PerHighPowerField),
            LabValue::urine_wbc(x, FieldUnit::PerHighPowerField),
            LabValue::urinary_casts(x, FieldUnit::PerLowPowerField),
            LabValue::platelets(x, CountUnit::GigaPerLitre),
            LabValue::white_cells(x, CountUnit::GigaPerLitre),
            LabValue::temperature(x, TemperatureUnit::Celsius),
            LabValue::complement(Complement::C3, x, 0.9, ComplementUnit::GramsPerLitre),
            LabValue::complement(Complement::C3, 0.9, x, ComplementUnit::GramsPerLitre),
            LabValue::complement_with_range(
                Complement::C3,
                0.9,
                0.8,
                x,
                ComplementUnit::GramsPerLitre,
            ),
            LabValue::anti_dsdna(x, 10.0, AntibodyUnit::Index),
            LabValue::anti_dsdna(1.0, x, AntibodyUnit::Index),
        ];
        for r in cases {
            assert_eq!(issue(r).2, MeasurementIssue::NotFinite);
        }
    }
}

#[test]
fn negative_values_are_errors() {
    assert_eq!(
        issue(LabValue::platelets(-1.0, CountUnit::PerCubicMillimetre)),
        ("platelets", "/mm3", MeasurementIssue::Negative)
    );
    assert_eq!(
        issue(LabValue::urine_protein_24h(-0.1, ProteinUnit::GramsPer24h)).2,
        MeasurementIssue::Negative
    );
    assert_eq!(
        issue(LabValue::urine_rbc(-1.0, FieldUnit::PerHighPowerField)).2,
        MeasurementIssue::Negative
    );
    assert_eq!(
        issue(LabValue::anti_dsdna(-1.0, 10.0, AntibodyUnit::Index)).2,
        MeasurementIssue::Negative
    );
    assert_eq!(
        issue(LabValue::complement(
            Complement::C4,
            -0.1,
            0.1,
            ComplementUnit::GramsPerLitre
        )),
        ("c4", "g/L", MeasurementIssue::Negative)
    );
}

#[test]
fn negative_zero_is_zero() {
    let v = ok(LabValue::urinary_casts(-0.0, FieldUnit::PerLowPowerField));
    assert!(v.value().is_sign_positive());
    assert_eq!(finding(v), Absent);
}

#[test]
fn physiological_bounds_inclusive_and_exclusive() {
    // docs/labs.md, "Validation bounds".
    use MeasurementIssue::{AboveMaximum, BelowMinimum};
    assert!(LabValue::temperature(25.0, TemperatureUnit::Celsius).is_ok());
    assert!(LabValue::temperature(45.0, TemperatureUnit::Celsius).is_ok());
    assert!(LabValue::temperature(77.0, TemperatureUnit::Fahrenheit).is_ok()); // 25 °C
    assert!(LabValue::temperature(113.0, TemperatureUnit::Fahrenheit).is_ok()); // 45 °C
    assert_eq!(
        issue(LabValue::temperature(24.9, TemperatureUnit::Celsius)).2,
        BelowMinimum { min: 25.0 }
    );
    assert_eq!(
        issue(LabValue::temperature(45.1, TemperatureUnit::Celsius)).2,
        AboveMaximum { max: 45.0 }
    );
    assert_eq!(
        issue(LabValue::temperature(76.9, TemperatureUnit::Fahrenheit)).2,
        BelowMinimum { min: 77.0 }
    );
    assert_eq!(
        issue(LabValue::temperature(113.1, TemperatureUnit::Fahrenheit)).2,
        AboveMaximum { max: 113.0 }
    );
    assert_eq!(
        issue(LabValue::temperature(-40.0, TemperatureUnit::Fahrenheit)).2,
        BelowMinimum { min: 77.0 }
    );

    assert!(LabValue::platelets(5_000.0, CountUnit::GigaPerLitre).is_ok());
    assert_eq!(
        issue(LabValue::platelets(5_000.001, CountUnit::GigaPerLitre)).2,
        AboveMaximum { max: 5_000.0 }
    );
    assert_eq!(
        issue(LabValue::platelets(5_000_001.0, CountUnit::PerMicrolitre)).2,
        AboveMaximum { max: 5_000_000.0 }
    );
    assert!(LabValue::white_cells(500.0, CountUnit::GigaPerLitre).is_ok());
    assert_eq!(
        issue(LabValue::white_cells(
            500_001.0,
            CountUnit::PerCubicMillimetre
        ))
        .2,
        AboveMaximum { max: 500_000.0 }
    );
    assert!(LabValue::urine_protein_24h(100.0, ProteinUnit::GramsPer24h).is_ok());
    assert_eq!(
        issue(LabValue::urine_protein_24h(
            100_001.0,
            ProteinUnit::MilligramsPer24h
        ))
        .2,
        AboveMaximum { max: 100_000.0 }
    );
    assert_eq!(
        issue(LabValue::upcr(10_001.0, UpcrUnit::MilligramsPerMillimole)).2,
        AboveMaximum { max: 10_000.0 }
    );
    assert!(LabValue::urine_rbc(10_000.0, FieldUnit::PerHighPowerField).is_ok());
    assert_eq!(
        issue(LabValue::urine_wbc(10_001.0, FieldUnit::PerHighPowerField)).2,
        AboveMaximum { max: 10_000.0 }
    );
    assert_eq!(
        issue(LabValue::urinary_casts(
            10_001.0,
            FieldUnit::PerLowPowerField
        ))
        .2,
        AboveMaximum { max: 10_000.0 }
    );
    assert_eq!(
        issue(LabValue::complement(
            Complement::C3,
            21.0,
            0.9,
            ComplementUnit::GramsPerLitre
        ))
        .2,
        AboveMaximum { max: 20.0 }
    );
    assert_eq!(
        issue(LabValue::anti_dsdna(
            101.0,
            7.0,
            AntibodyUnit::PercentBinding
        ))
        .2,
        AboveMaximum { max: 100.0 }
    );
}

#[test]
fn limit_errors() {
    let gl = ComplementUnit::GramsPerLitre;
    assert_eq!(
        issue(LabValue::complement(Complement::C3, 0.8, 0.0, gl)),
        ("c3.lower_limit", "g/L", MeasurementIssue::LimitNotPositive)
    );
    assert_eq!(
        issue(LabValue::complement(Complement::Ch50, 0.8, -1.0, gl)),
        ("ch50.lower_limit", "g/L", MeasurementIssue::Negative)
    );
    assert_eq!(
        issue(LabValue::complement_with_range(
            Complement::C4,
            0.2,
            0.4,
            0.1,
            gl
        )),
        (
            "c4.lower_limit",
            "g/L",
            MeasurementIssue::LowerLimitNotBelowUpper { upper: 0.1 }
        )
    );
    assert_eq!(
        issue(LabValue::complement_with_range(
            Complement::C4,
            0.2,
            0.4,
            0.4,
            gl
        ))
        .2,
        MeasurementIssue::LowerLimitNotBelowUpper { upper: 0.4 }
    );
    assert_eq!(
        issue(LabValue::anti_dsdna(
            10.0,
            0.0,
            AntibodyUnit::UnitsPerMillilitre
        )),
        (
            "anti_dsdna.upper_limit",
            "U/mL",
            MeasurementIssue::LimitNotPositive
        )
    );
}

#[test]
fn cells_per_low_power_field_are_rejected() {
    assert_eq!(
        issue(LabValue::urine_rbc(8.0, FieldUnit::PerLowPowerField)),
        ("urine_rbc", "/lpf", MeasurementIssue::UnitNotAccepted)
    );
    assert_eq!(
        issue(LabValue::urine_wbc(8.0, FieldUnit::PerLowPowerField)).2,
        MeasurementIssue::UnitNotAccepted
    );
}

#[test]
fn error_messages_name_field_value_and_unit() {
    let e = LabValue::temperature(50.0, TemperatureUnit::Celsius).expect_err("must be rejected");
    assert_eq!(
        e.to_string(),
        "temperature: 50 C is invalid: above the maximum of 45 C"
    );
    let e = LabValue::platelets(f64::NAN, CountUnit::PerMicrolitre).expect_err("must be rejected");
    assert_eq!(
        e.to_string(),
        "platelets: NaN /uL is invalid: not a finite number"
    );
    let e = LabValue::complement(Complement::C3, 1.0, 0.0, ComplementUnit::GramsPerLitre)
        .expect_err("must be rejected");
    assert_eq!(
        e.to_string(),
        "c3.lower_limit: 0 g/L is invalid: a limit of normal must be above zero"
    );
}

// --------------------------------------------------------------- serde --

const EXAMPLE: &str = r#"[
  {"date": "2024-07-01",
   "urine_protein_24h": {"value": 0.62, "unit": "g/24h"},
   "upcr": {"value": 55, "unit": "mg/mmol"},
   "urine_rbc": {"value": 8, "unit": "/hpf", "attributed_to": "stone"},
   "urine_wbc": {"value": 2, "unit": "/hpf"},
   "urinary_casts": {"value": 1, "unit": "/lpf"},
   "platelets": {"value": 87000, "unit": "/mm3"},
   "white_cells": {"value": 4.1, "unit": "10^9/L"},
   "temperature": {"value": 100.5, "unit": "F"},
   "c3": {"value": 0.71, "lower_limit": 0.9, "upper_limit": 1.8, "unit": "g/L"},
   "c4": {"value": 0.12, "lower_limit": 0.1, "unit": "g/L"},
   "anti_dsdna": {"value": 250, "upper_limit": 200, "unit": "IU/mL"}},
  {"date": "2024-06-20", "urinary_casts": {"present": true}, "ch50": {"value": 30, "lower_limit": 41, "unit": "U/mL"}}
]"#;

#[test]
fn serde_example_parses_and_derives() {
    let ms: Measurements = serde_json::from_str(EXAMPLE).expect("valid");
    assert_eq!(ms.len(), 13);
    let d = sledai::labs::derive(ms.as_slice(), date("2024-07-05"), DeriveOptions::new());
    let got: Vec<(Descriptor, Finding)> = d
        .items()
        .iter()
        .map(|i| (i.descriptor(), i.finding()))
        .collect();
    assert_eq!(
        got,
        [
            (Descriptor::UrinaryCasts, Present),
            (Descriptor::Hematuria, Absent), // attributed to a stone
            (Descriptor::Proteinuria, Present),
            (Descriptor::Pyuria, Absent),
            (Descriptor::LowComplement, Present),
            (Descriptor::IncreasedDnaBinding, Present),
            (Descriptor::Fever, Present),
            (Descriptor::Thrombocytopenia, Present),
            (Descriptor::Leukopenia, Absent),
        ]
    );
    // The 2024-06-20 casts and CH50 are day 15: outside the 10-day window.
    let ch50 = d
        .item(Descriptor::LowComplement)
        .expect("a laboratory descriptor");
    assert!(
        ch50.evidence()
            .iter()
            .any(|e| e.status() == Status::BeforeWindow)
    );
}

#[test]
fn serde_round_trip_is_lossless() {
    let ms: Measurements = serde_json::from_str(EXAMPLE).expect("valid");
    let text = serde_json::to_string(&ms).expect("serializes");
    let back: Measurements = serde_json::from_str(&text).expect("parses back");
    assert_eq!(back, ms);
    // A single measurement round-trips as one entry.
    let m = ms.as_slice()[2];
    let text = serde_json::to_string(&m).expect("serializes");
    assert_eq!(
        text,
        r#"{"date":"2024-07-01","urine_rbc":{"value":8.0,"unit":"/hpf","attributed_to":"stone"}}"#
    );
    let back: Measurement = serde_json::from_str(&text).expect("parses back");
    assert_eq!(back, m);
}

#[test]
fn serde_rejections() {
    let bad = [
        // A number without its unit.
        (
            r#"[{"date": "2024-07-01", "platelets": 87000}]"#,
            "invalid type",
        ),
        (
            r#"[{"date": "2024-07-01", "platelets": {"value": 87000}}]"#,
            "missing field `unit`",
        ),
        // Unknown unit: the error names the field and the unit string.
        (
            r#"[{"date": "2024-07-01", "platelets": {"value": 87000, "unit": "mm3"}}]"#,
            "platelets.unit: unknown value `mm3`",
        ),
        // Unknown keys, at both levels.
        (
            r#"[{"date": "2024-07-01", "platelet": {"value": 87000, "unit": "/mm3"}}]"#,
            "unknown field `platelet`",
        ),
        (
            r#"[{"date": "2024-07-01", "platelets": {"value": 87000, "unit": "/mm3", "lower_limit": 1}}]"#,
            "unknown field `lower_limit`",
        ),
        // Invalid values name the entry, field, value and unit.
        (
            r#"[{"date": "2024-07-01", "temperature": {"value": 50, "unit": "C"}}]"#,
            "item 0: temperature: 50 C is invalid",
        ),
        (
            r#"[{"date": "2024-07-01", "c3": {"value": 0.7, "lower_limit": 1.8, "upper_limit": 0.9, "unit": "g/L"}}]"#,
            "c3.lower_limit",
        ),
        (
            r#"[{"date": "2024-07-01", "c3": {"value": 0.7, "unit": "g/L"}}]"#,
            "missing field `lower_limit`",
        ),
        (
            r#"[{"date": "2024-07-01", "anti_dsdna": {"value": 250, "unit": "IU/mL"}}]"#,
            "missing field `upper_limit`",
        ),
        // Entries without a measurement, casts given both ways or without a unit.
        (r#"[{"date": "2024-07-01"}]"#, "no measurement"),
        (
            r#"[{"date": "2024-07-01", "urinary_casts": {"value": 1, "unit": "/lpf", "present": true}}]"#,
            "urinary_casts",
        ),
        (
            r#"[{"date": "2024-07-01", "urinary_casts": {"value": 1}}]"#,
            "urinary_casts.unit",
        ),
        (
            r#"[{"date": "2024-07-01", "urinary_casts": {}}]"#,
            "urinary_casts",
        ),
        // Bad attribution and bad date.
        (
            r#"[{"date": "2024-07-01", "platelets": {"value": 87, "unit": "10^9/L", "attributed_to": "virus"}}]"#,
            "unknown variant `virus`",
        ),
        (
            r#"[{"date": "2024-02-30", "platelets": {"value": 87, "unit": "10^9/L"}}]"#,
            "invalid date",
        ),
        (
            r#"[{"platelets": {"value": 87, "unit": "10^9/L"}}]"#,
            "missing field `date`",
        ),
        (
            r#"[{"date": "2024-07-01", "platelets": {"value": "87", "unit": "10^9/L"}}]"#,
            "invalid type",
        ),
    ];
    for (text, want) in bad {
        let err = serde_json::from_str::<Measurements>(text)
            .expect_err(text)
            .to_string();
        assert!(err.contains(want), "{text}\n  gave: {err}\n  want: {want}");
    }
    let two = r#"{"date": "2024-07-01", "c3": {"value": 0.7, "lower_limit": 0.9, "unit": "g/L"}, "c4": {"value": 0.2, "lower_limit": 0.1, "unit": "g/L"}}"#;
    assert!(serde_json::from_str::<Measurement>(two).is_err());
}

#[test]
fn derivation_output_shape() {
    let ms: Measurements = serde_json::from_str(
        r#"[{"date": "2024-07-01", "platelets": {"value": 87000, "unit": "/mm3", "attributed_to": "drug"}}]"#,
    )
    .expect("valid");
    let d = sledai::labs::derive(ms.as_slice(), date("2024-07-01"), DeriveOptions::new());
    let v = serde_json::to_value(&d).expect("serializes");
    assert_eq!(v["visit"], "2024-07-01");
    assert_eq!(v["options"]["window"], "ten_days");
    assert_eq!(v["options"]["selection"], "any_abnormal");
    let item = &v["items"][7];
    assert_eq!(item["descriptor"], "thrombocytopenia");
    assert_eq!(item["finding"], "absent");
    assert_eq!(
        item["reason"],
        serde_json::json!({"kind": "attributed", "cause": "drug"})
    );
    assert_eq!(item["decisive"], 0);
    let e = &item["evidence"][0];
    assert_eq!(e["status"], "attributed");
    assert_eq!(e["beyond_threshold"], true);
    assert_eq!(
        e["threshold"],
        serde_json::json!({"comparison": "below", "value": 100000.0, "unit": "/mm3"})
    );
    assert_eq!(e["measurement"]["platelets"]["unit"], "/mm3");
    assert_eq!(v["items"][0]["finding"], "not_assessed");
    assert_eq!(v["items"][0]["decisive"], serde_json::Value::Null);
}

// ---------------------------------------------------------- properties --

fn any_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<f64>(),
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        -10.0..200_000.0f64,
        0.0..10.0f64,
    ]
}

fn any_value(kind: u8, x: f64, y: f64, z: f64, u: usize) -> Result<LabValue, Error> {
    let pick = |n: usize| u % n;
    match kind % 13 {
        0 => LabValue::urine_protein_24h(x, ProteinUnit::ALL[pick(2)]),
        1 => LabValue::upcr(x, UpcrUnit::ALL[pick(3)]),
        2 => LabValue::urine_rbc(x, FieldUnit::ALL[pick(2)]),
        3 => LabValue::urine_wbc(x, FieldUnit::ALL[pick(2)]),
        4 => LabValue::urinary_casts(x, FieldUnit::ALL[pick(2)]),
        5 => LabValue::platelets(x, CountUnit::ALL[pick(3)]),
        6 => LabValue::white_cells(x, CountUnit::ALL[pick(3)]),
        7 => LabValue::temperature(x, TemperatureUnit::ALL[pick(2)]),
        8 => LabValue::complement(Complement::C3, x, y, ComplementUnit::ALL[pick(5)]),
        9 => LabValue::complement_with_range(Complement::C4, x, y, z, ComplementUnit::ALL[pick(5)]),
        10 => LabValue::complement(Complement::Ch50, x, y, ComplementUnit::ALL[pick(5)]),
        11 => LabValue::anti_dsdna(x, y, AntibodyUnit::ALL[pick(5)]),
        _ => Ok(LabValue::urinary_casts_present(x > 0.0)),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Construction and derivation never panic on any input; a finite,
    /// accepted, in-window, unattributed value beyond its threshold always
    /// makes its descriptor present.
    #[test]
    fn derivation_never_panics(
        entries in prop::collection::vec((any::<u8>(), any_f64(), any_f64(), any_f64(), 0usize..60, -40i32..40, prop::option::of(0u8..4)), 0..20),
        window in any::<bool>(), recent in any::<bool>(), upcr in any::<bool>(),
    ) {
        let visit = date(VISIT);
        let mut ms = Vec::new();
        for (kind, x, y, z, u, offset, cause) in entries {
            if let Ok(v) = any_value(kind, x, y, z, u) {
                let d = visit.checked_add_days(-offset).expect("in range");
                let mut m = Measurement::new(d, v);
                if let Some(c) = cause {
                    m = m.with_attribution([Attribution::Infection, Attribution::Drug, Attribution::Stone, Attribution::Other][usize::from(c)]);
                }
                ms.push(m);
            }
        }
        let o = DeriveOptions::new()
            .with_window(if window { ScoringWindow::ThirtyDays } else { ScoringWindow::TenDays })
            .with_selection(if recent { Selection::MostRecent } else { Selection::AnyAbnormal })
            .with_upcr(upcr);
        let d = derive(&ms, visit, o);
        let _ = serde_json::to_string(&d).expect("serializes");
        for item in d.items() {
            for e in item.evidence() {
                let _ = e.to_string();
            }
        }
        if !recent {
            for m in &ms {
                let days = visit.days_since(m.date());
                let in_window = (0..=o.window().days()).contains(&days);
                let a = m.value().analyte();
                if in_window && m.attribution().is_none() && m.value().is_beyond_threshold() && a != Analyte::Upcr && a != Analyte::UrineProtein24h {
                    prop_assert_eq!(d.finding(a.descriptor()), Present);
                }
            }
        }
        // Serialized measurements always parse back.
        let list = Measurements::new(ms);
        let back: Measurements = serde_json::from_str(&serde_json::to_string(&list).expect("ser")).expect("de");
        prop_assert_eq!(back, list);
    }

    /// Counts: k cells/mm³ (any 6-decimal value) written as k/1000 x 10^9/L
    /// or as k/µL scores the same (1 x 10^9/L = 1,000/mm³ = 1,000/µL).
    #[test]
    fn counts_scoring_is_unit_invariant(k in 0i64..5_000_000_000_000) {
        let per_mm3 = k as f64 / 1e6;
        let giga = per_mm3 / 1_000.0;
        for make in [LabValue::platelets, LabValue::white_cells] {
            let (Ok(a), Ok(b), Ok(c)) = (
                make(per_mm3, CountUnit::PerCubicMillimetre),
                make(giga, CountUnit::GigaPerLitre),
                make(per_mm3, CountUnit::PerMicrolitre),
            ) else { continue };
            prop_assert_eq!(a.is_beyond_threshold(), b.is_beyond_threshold());
            prop_assert_eq!(a.is_beyond_threshold(), c.is_beyond_threshold());
        }
    }

    /// Counts, from arbitrary floats in 10^9/L converted by multiplication.
    #[test]
    fn counts_float_conversion_invariant(x in 0.0..5_000.0f64) {
        let a = LabValue::platelets(x, CountUnit::GigaPerLitre).expect("in range");
        let b = LabValue::platelets(x * 1_000.0, CountUnit::PerCubicMillimetre).expect("in range");
        prop_assert_eq!(a.is_beyond_threshold(), b.is_beyond_threshold());
        let a = LabValue::white_cells(x / 10.0, CountUnit::GigaPerLitre).expect("in range");
        let b = LabValue::white_cells(x * 100.0, CountUnit::PerMicrolitre).expect("in range");
        prop_assert_eq!(a.is_beyond_threshold(), b.is_beyond_threshold());
    }

    /// Temperature: F = tenths, converted to C by (F - 32) x 5/9 in f64;
    /// and C = hundredths converted to F by C x 9/5 + 32.
    #[test]
    fn temperature_scoring_is_unit_invariant(tenths_f in 770i32..=1130, hundredths_c in 2500i32..=4500) {
        let f = f64::from(tenths_f) / 10.0;
        let c = (f - 32.0) * 5.0 / 9.0;
        let a = LabValue::temperature(f, TemperatureUnit::Fahrenheit).expect("in range");
        let b = LabValue::temperature(c, TemperatureUnit::Celsius).expect("in range");
        prop_assert_eq!(a.is_beyond_threshold(), b.is_beyond_threshold(), "{} F vs {} C", f, c);
        let c = f64::from(hundredths_c) / 100.0;
        let f = c * 9.0 / 5.0 + 32.0;
        let a = LabValue::temperature(c, TemperatureUnit::Celsius).expect("in range");
        let b = LabValue::temperature(f, TemperatureUnit::Fahrenheit).expect("in range");
        prop_assert_eq!(a.is_beyond_threshold(), b.is_beyond_threshold(), "{} C vs {} F", c, f);
    }

    /// Protein: mg (6 decimals) and g; UPCR: mg/g, g/g and mg/mmol (x10).
    #[test]
    fn protein_scoring_is_unit_invariant(k in 0i64..100_000_000_000) {
        let mg = k as f64 / 1e6;
        let g = mg / 1_000.0;
        let a = LabValue::urine_protein_24h(mg, ProteinUnit::MilligramsPer24h).expect("in range");
        let b = LabValue::urine_protein_24h(g, ProteinUnit::GramsPer24h).expect("in range");
        prop_assert_eq!(a.is_beyond_threshold(), b.is_beyond_threshold());
        let a = LabValue::upcr(mg, UpcrUnit::MilligramsPerGram).expect("in range");
        let b = LabValue::upcr(g, UpcrUnit::GramsPerGram).expect("in range");
        let c = LabValue::upcr(mg / 10.0, UpcrUnit::MilligramsPerMillimole).expect("in range");
        prop_assert_eq!(a.is_beyond_threshold(), b.is_beyond_threshold());
        prop_assert_eq!(a.is_beyond_threshold(), c.is_beyond_threshold());
    }
}

#[test]
fn every_lab_descriptor_has_an_item_in_form_order() {
    let d = derive(&[], date(VISIT), DeriveOptions::new());
    let got: Vec<Descriptor> = d.items().iter().map(|i| i.descriptor()).collect();
    assert_eq!(got, LAB_DESCRIPTORS);
    let mut sorted = got.clone();
    sorted.sort_by_key(|d| d.position());
    assert_eq!(got, sorted);
    for a in Analyte::ALL {
        assert!(LAB_DESCRIPTORS.contains(&a.descriptor()));
    }
}
