//! Laboratory derivation benchmark: derive the nine laboratory descriptors
//! of 1,000,000 visits from dated measurements, merge each into a
//! clinician form and score it.
//!
//! Run: `cargo bench --bench labs`. Results: `docs/performance.md`,
//! "Laboratory derivation".

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use sledai::labs::{
    Attribution, Complement, ConflictPolicy, DeriveOptions, LabValue, Measurement, derive,
};
use sledai::units::{
    AntibodyUnit, ComplementUnit, CountUnit, FieldUnit, ProteinUnit, TemperatureUnit,
};
use sledai::{Assessment, Date, Finding};

/// Deterministic pseudo-random numbers (xorshift32).
struct Rng(u32);

impl Rng {
    fn next(&mut self) -> u32 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.0 = x;
        x
    }

    /// A value in `lo..hi`, in steps of `1/100`.
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + f64::from(self.next() % 10_000) / 10_000.0 * (hi - lo)
    }
}

/// One visit's measurements: 12 values on three dates (the visit day, day 4
/// and day 12, the last outside the window), mixed units, some attributed.
fn visit_measurements(rng: &mut Rng, visit: Date) -> Vec<Measurement> {
    let day = |n: i32| visit.checked_add_days(-n).expect("date in range");
    let mut out = Vec::with_capacity(12);
    let mut push = |d: Date, v: Result<LabValue, sledai::Error>| {
        out.push(Measurement::new(d, v.expect("valid bench value")));
    };
    push(
        day(0),
        LabValue::urine_protein_24h(rng.range(0.0, 1500.0), ProteinUnit::MilligramsPer24h),
    );
    push(
        day(0),
        LabValue::urine_rbc(rng.range(0.0, 12.0), FieldUnit::PerHighPowerField),
    );
    push(
        day(0),
        LabValue::urine_wbc(rng.range(0.0, 12.0), FieldUnit::PerHighPowerField),
    );
    push(
        day(0),
        LabValue::urinary_casts(rng.range(0.0, 2.0).floor(), FieldUnit::PerLowPowerField),
    );
    push(
        day(4),
        LabValue::platelets(
            rng.range(50_000.0, 350_000.0),
            CountUnit::PerCubicMillimetre,
        ),
    );
    push(
        day(4),
        LabValue::white_cells(rng.range(1.5, 9.0), CountUnit::GigaPerLitre),
    );
    push(
        day(0),
        LabValue::temperature(rng.range(97.0, 102.0), TemperatureUnit::Fahrenheit),
    );
    push(
        day(4),
        LabValue::complement(
            Complement::C3,
            rng.range(0.5, 1.6),
            0.9,
            ComplementUnit::GramsPerLitre,
        ),
    );
    push(
        day(4),
        LabValue::complement(
            Complement::C4,
            rng.range(0.05, 0.4),
            0.1,
            ComplementUnit::GramsPerLitre,
        ),
    );
    push(
        day(4),
        LabValue::anti_dsdna(
            rng.range(0.0, 400.0),
            200.0,
            AntibodyUnit::InternationalUnitsPerMillilitre,
        ),
    );
    push(
        day(12),
        LabValue::platelets(rng.range(50.0, 350.0), CountUnit::GigaPerLitre),
    );
    push(
        day(12),
        LabValue::temperature(rng.range(36.0, 39.5), TemperatureUnit::Celsius),
    );
    if rng.next() % 4 == 0 {
        out[6] = out[6].with_attribution(Attribution::Infection);
    }
    out
}

fn derive_and_score(c: &mut Criterion) {
    const VISITS: usize = 1_000_000;
    const POOL: usize = 1_024;
    let visit = Date::new(2024, 7, 11).expect("valid date");
    let mut rng = Rng(0x9E37_79B9);
    let pool: Vec<Vec<Measurement>> = (0..POOL)
        .map(|_| visit_measurements(&mut rng, visit))
        .collect();
    // The clinician's form: nothing present, the nine lab items left to the laboratory.
    let mut form = Assessment::from_present([]);
    for d in sledai::labs::LAB_DESCRIPTORS {
        form.set(d, Finding::NotAssessed);
    }
    let options = DeriveOptions::new();

    let mut g = c.benchmark_group("labs");
    g.throughput(Throughput::Elements(VISITS as u64));
    g.sample_size(10);
    g.bench_function("derive_merge_score_1m_visits", |b| {
        b.iter(|| {
            let mut total = 0u32;
            for i in 0..VISITS {
                let ms = &pool[i % POOL];
                let d = derive(black_box(ms), visit, options);
                let merged = d.merge(form, ConflictPolicy::Error).expect("no conflicts");
                total += u32::from(merged.assessment().score_range().min().get());
            }
            black_box(total)
        })
    });
    g.finish();
}

criterion_group!(benches, derive_and_score);
criterion_main!(benches);
