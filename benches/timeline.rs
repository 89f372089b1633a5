//! Timeline benchmarks: the cohort summary of 10,000 patients x 50 visits
//! (endpoints at days 28, 90, 180 and 360, time in LLDAS and DORIS,
//! sustained LLDAS, SRI-4, screening), with and without building the
//! cohort from a flat table of visits.
//!
//! Run: `cargo bench --bench timeline`. Results: `docs/performance.md`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use sledai::glucocorticoid::PrednisoneEquivalent;
use sledai::timeline::{Cohort, SummaryOptions, TimelineOptions, Window};
use sledai::visit::{GlucocorticoidInput, VisitInput};
use sledai::{Assessment, Date, Pga, Score, Threads};

const PATIENTS: usize = 10_000;
const VISITS: usize = 50;

/// Deterministic pseudo-random numbers (xorshift32).
struct Rng(u32);

impl Rng {
    fn next(&mut self) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 17;
        self.0 ^= self.0 << 5;
        self.0
    }

    /// `Some(true)`, `Some(false)` or `None`, a third each.
    fn flag(&mut self) -> Option<bool> {
        match self.next() % 3 {
            0 => Some(true),
            1 => Some(false),
            _ => None,
        }
    }
}

/// Random inputs of LLDAS and DORIS besides the assessment, set on `i`.
fn inputs(rng: &mut Rng, mut i: VisitInput, tenths: u8) -> VisitInput {
    i.pga = Some(Pga::from_tenths(tenths).expect("0..=30"));
    i.glucocorticoids = match rng.next() % 4 {
        0 => None,
        n => Some(GlucocorticoidInput::PrednisoneEquivalent(
            PrednisoneEquivalent::from_mg(f64::from(n - 1) * 5.0).expect("dose"),
        )),
    };
    i.hemolytic_anemia = rng.flag().map(|f| f && rng.next() % 8 == 0);
    i.gastrointestinal_activity = rng.flag().map(|f| f && rng.next() % 8 == 0);
    i.maintenance_tolerated = rng.flag().map(|f| f || rng.next() % 8 != 0);
    i.investigational_drug = rng.flag().map(|f| f && rng.next() % 8 == 0);
    i
}

/// A flat table of visit records: 50 visits per patient, about two weeks
/// apart, in patient-major order.
fn table() -> Vec<VisitInput> {
    let mut rng = Rng(0x9E37_79B9);
    let start = Date::new(2020, 1, 1).expect("valid date");
    let mut rows = Vec::with_capacity(PATIENTS * VISITS);
    for p in 0..PATIENTS {
        let id = format!("P{p:05}");
        let mut day = 0i32;
        for _ in 0..VISITS {
            let present = rng.next() & 0x00FF_FFFF;
            let missing = rng.next() & 0x0010_0401 & !present; // occasionally incomplete
            let assessment = Assessment::from_masks(present, missing).expect("disjoint");
            let tenths = u8::try_from(rng.next() % 31).expect("small");
            let record =
                VisitInput::dated(start.checked_add_days(day).expect("in range"), assessment)
                    .with_patient(id.as_str());
            // The LLDAS and DORIS inputs the timeline evaluates.
            let visit = inputs(&mut rng, record, tenths)
                .with_new_bilag_a(0)
                .with_new_bilag_b(u8::try_from(rng.next() % 3).expect("small"));
            rows.push(visit);
            day += 7 + i32::try_from(rng.next() % 15).expect("small");
        }
    }
    rows
}

fn options() -> SummaryOptions {
    SummaryOptions::new([
        Window::new(28, 7),
        Window::new(90, 14),
        Window::new(180, 28),
        Window::new(360, 30),
    ])
    .with_sustained_days(180)
    .with_screening_threshold(Score::new(10).expect("valid score"))
}

fn cohort(c: &mut Criterion) {
    let rows = table();
    let built = Cohort::from_records(rows.iter().cloned(), &TimelineOptions::default())
        .expect("valid cohort");
    let opts = options();
    let mut g = c.benchmark_group("cohort_10k_x_50");
    g.throughput(Throughput::Elements((PATIENTS * VISITS) as u64));
    g.sample_size(10);
    g.bench_function("summarize", |b| {
        b.iter(|| black_box(&built).summarize(black_box(&opts)))
    });
    g.bench_function("build_and_summarize", |b| {
        b.iter(|| {
            let c = Cohort::from_records(
                black_box(&rows).iter().cloned(),
                &TimelineOptions::default(),
            )
            .expect("valid cohort");
            c.summarize(black_box(&opts))
        })
    });
    // The same on the caller's thread only (the sequential path; the
    // functions above use every available core).
    let one = opts.clone().with_threads(Threads::SEQUENTIAL);
    g.bench_function("summarize_1_thread", |b| {
        b.iter(|| black_box(&built).summarize(black_box(&one)))
    });
    g.bench_function("build_and_summarize_1_thread", |b| {
        b.iter(|| {
            let c = Cohort::from_records(
                black_box(&rows).iter().cloned(),
                &TimelineOptions::default().with_threads(Threads::SEQUENTIAL),
            )
            .expect("valid cohort");
            c.summarize(black_box(&one))
        })
    });
    g.finish();
}

criterion_group!(benches, cohort);
criterion_main!(benches);
