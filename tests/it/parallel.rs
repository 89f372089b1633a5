//! Cohorts built on several threads (issue 11): the result and the error
//! do not depend on the number of threads. Besides equality with
//! the one-thread build, each cohort is checked against facts computed
//! here: every patient's timeline is `Timeline::new` of that patient's own
//! records (grouped independently, with a `BTreeMap`), and the error of a
//! cohort with defective patients names the smallest defective identifier
//! in byte order (the documented "first patient in identifier order").

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use sledai::glucocorticoid::PrednisoneEquivalent;
use sledai::timeline::{Cohort, SummaryOptions, Timeline, TimelineOptions, Window};
use sledai::visit::VisitInput;
use sledai::{Assessment, Date, Descriptor, Error, Pga, Threads};

/// A visit of `patient` on `day` with a few descriptors from `bits` and
/// every LLDAS input, so that LLDAS, DORIS and the responses vary.
fn visit(patient: &str, day: i32, bits: u32, pga_tenths: u8, mg: u8) -> VisitInput {
    let some = [
        Descriptor::Arthritis,
        Descriptor::Rash,
        Descriptor::Proteinuria,
        Descriptor::LowComplement,
        Descriptor::IncreasedDnaBinding,
    ];
    let a = Assessment::from_present(
        some.iter()
            .enumerate()
            .filter(|(k, _)| bits >> k & 1 == 1)
            .map(|(_, d)| *d),
    );
    let date = Date::new(2024, 1, 1)
        .expect("valid")
        .checked_add_days(day)
        .expect("in range");
    VisitInput::dated(date, a)
        .with_patient(patient)
        .with_pga(Pga::from_tenths(pga_tenths).expect("0..=30"))
        .with_prednisone_equivalent(
            PrednisoneEquivalent::from_mg(f64::from(mg) * 2.5).expect("dose"),
        )
        .with_hemolytic_anemia(false)
        .with_gastrointestinal_activity(false)
        .with_maintenance_tolerated(true)
        .with_investigational_drug(false)
}

/// The error as a caller sees all of it.
fn shown(e: &Error) -> String {
    format!("{e:?} / {e}")
}

/// Records of `rows` patients (identifiers whose byte order is neither
/// numeric nor first-seen order), shuffled by `seed`; each patient's
/// visits 30 days apart.
fn records(rows: &[(u16, u8, u32, u8, u8)], seed: u64) -> Vec<VisitInput> {
    let mut count: BTreeMap<u16, i32> = BTreeMap::new();
    let mut out: Vec<VisitInput> = rows
        .iter()
        .map(|&(p, shift, bits, tenths, mg)| {
            let k = count.entry(p).or_insert(0);
            *k += 1;
            visit(
                &format!("P{p}"),
                30 * *k + i32::from(shift),
                bits,
                tenths,
                mg,
            )
        })
        .collect();
    let mut x = seed | 1;
    for i in (1..out.len()).rev() {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let j = usize::try_from((x >> 33) % (i as u64 + 1)).expect("small");
        out.swap(i, j);
    }
    out
}

fn row() -> impl Strategy<Value = (u16, u8, u32, u8, u8)> {
    (0u16..400, 0u8..20, 0u32..32, 0u8..31, 0u8..5)
}

proptest! {
    // Each case builds and summarises four cohorts of up to 500 visits in
    // a debug build (about 0.4 s): 10 cases keep the suite's time.
    #![proptest_config(ProptestConfig::with_cases(10))]

    /// 1, 2, 3 and 7 threads build the same cohort and the same report
    /// (and the same JSON of each patient's summary) as one thread; the
    /// cohort's timelines are the patients' own.
    #[test]
    fn every_thread_count_gives_the_same_cohort_and_report(
        // Up to 500 visits: chunks of 32 patients split on 2, 3 and 7
        // threads (more rows only cost the suite's time).
        rows in proptest::collection::vec(row(), 1..500),
        seed in any::<u64>(),
    ) {
        let records = records(&rows, seed);
        let summary = SummaryOptions::new([Window::new(60, 14), Window::new(180, 30)]).with_sustained_days(60);
        let one = Cohort::from_records(records.clone(), &TimelineOptions::default().with_threads(Threads::SEQUENTIAL)).expect("valid");
        let report = one.summarize(&summary.clone().with_threads(Threads::SEQUENTIAL));
        for t in [2, 3, 7] {
            let threads = Threads::new(t).expect("t > 0");
            let many = Cohort::from_records(records.clone(), &TimelineOptions::default().with_threads(threads)).expect("valid");
            prop_assert_eq!(&many, &one);
            let r = many.summarize(&summary.clone().with_threads(threads));
            prop_assert_eq!(&r, &report);
            for (a, b) in r.patients.iter().zip(&report.patients) {
                prop_assert_eq!(serde_json::to_string(a).expect("json"), serde_json::to_string(b).expect("json"));
            }
        }
        let mut by_patient: BTreeMap<String, Vec<VisitInput>> = BTreeMap::new();
        for r in &records {
            by_patient.entry(r.patient.clone().expect("named")).or_default().push(r.clone());
        }
        prop_assert_eq!(one.len(), by_patient.len());
        for ((id, t), (want_id, visits)) in one.patients().zip(&by_patient) {
            prop_assert_eq!(id, want_id.as_str());
            prop_assert_eq!(t, &Timeline::new(visits.clone(), &TimelineOptions::default()).expect("valid"));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Patients given a duplicate date fail; whatever the number of
    /// threads, the error is the one of the smallest such identifier in
    /// byte order, the same error as one thread's.
    #[test]
    fn every_thread_count_reports_the_first_failing_patient(
        rows in proptest::collection::vec(row(), 1..900),
        broken in proptest::collection::vec(any::<proptest::sample::Index>(), 1..6),
        seed in any::<u64>(),
    ) {
        let mut records = records(&rows, seed);
        let mut defective = BTreeSet::new();
        for k in &broken {
            let r = records[k.index(records.len())].clone();
            defective.insert(r.patient.clone().expect("named"));
            records.push(r); // the same patient and date again
        }
        let first = defective.first().expect("one at least").clone();
        let sequential = Cohort::from_records(records.clone(), &TimelineOptions::default().with_threads(Threads::SEQUENTIAL))
            .expect_err("a duplicate date");
        prop_assert!(matches!(&sequential, Error::InPatient { patient, .. } if **patient == *first), "{}", sequential);
        for t in [2, 3, 7] {
            let o = TimelineOptions::default().with_threads(Threads::new(t).expect("t > 0"));
            let err = Cohort::from_records(records.clone(), &o).expect_err("a duplicate date");
            prop_assert_eq!(shown(&err), shown(&sequential));
        }
    }
}
