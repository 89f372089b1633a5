//! Per-visit benchmark: `PatientStream::assess` over a pool of 1,024 dated
//! visits (32 patients x 32 visits, no BILAG grades), alone, with every
//! cell of the flat-table output read (what `sledai score --output-format
//! csv` and Python's `assess_frame` do), and serialized as JSON (the JSON
//! Lines output).
//!
//! Run: `cargo bench --bench visits`. Results: `docs/performance.md`,
//! "CLI".

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use sledai::glucocorticoid::PrednisoneEquivalent;
use sledai::table::output::{Cell, visit_columns};
use sledai::visit::{GlucocorticoidInput, PatientStream, VisitInput};
use sledai::{Assessment, Date, Pga};

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

    fn below(&mut self, n: u32) -> u32 {
        self.next() % n
    }
}

const PATIENTS: usize = 32;
const VISITS: usize = 32;
const POOL: usize = PATIENTS * VISITS;

/// 1,024 visits in date order per patient: each descriptor present with
/// probability 6 %, a PGA, a prednisone dose and the LLDAS flags recorded.
fn pool() -> Vec<VisitInput> {
    let mut rng = Rng(0x5EED_0011);
    let start = Date::new(2020, 1, 1).expect("valid date");
    let mut out = Vec::with_capacity(POOL);
    for p in 0..PATIENTS {
        let patient = format!("P{p:03}");
        let mut day = 0;
        for v in 0..VISITS {
            day += 7 + i32::try_from(rng.below(28)).expect("small");
            let mut mask = 0u32;
            for d in 0..24 {
                if rng.below(100) < 6 {
                    mask |= 1 << d;
                }
            }
            let a = Assessment::from_masks(mask, 0).expect("valid masks");
            let mut visit = VisitInput::dated(start.checked_add_days(day).expect("in range"), a)
                .with_id(format!("{patient}-{v}"))
                .with_patient(patient.as_str())
                .with_pga(
                    Pga::from_tenths(u8::try_from(rng.below(31)).expect("0-30"))
                        .expect("0-30 tenths"),
                )
                .with_hemolytic_anemia(false)
                .with_gastrointestinal_activity(false)
                .with_maintenance_tolerated(true)
                .with_investigational_drug(false);
            visit.glucocorticoids = Some(GlucocorticoidInput::PrednisoneEquivalent(
                PrednisoneEquivalent::from_mg(f64::from(rng.below(20))).expect("0-19 mg"),
            ));
            out.push(visit);
        }
    }
    out
}

fn visits(c: &mut Criterion) {
    let pool = pool();
    let mut g = c.benchmark_group("visits");
    g.throughput(Throughput::Elements(POOL as u64));
    g.bench_function("assess_dated_1024", |b| {
        b.iter(|| {
            let mut stream = PatientStream::default();
            let mut n = 0usize;
            for v in black_box(&pool) {
                n += usize::from(stream.assess(v).is_ok());
            }
            n
        })
    });
    // Every cell of the flat-table layout read, states counted.
    g.bench_function("assess_cells_1024", |b| {
        b.iter(|| {
            let mut stream = PatientStream::default();
            let mut states = 0u64;
            for v in black_box(&pool) {
                let r = stream.assess(v).expect("assesses");
                for column in visit_columns() {
                    if let Cell::State(k) = column.cell(&r) {
                        states += u64::from(k);
                    }
                }
            }
            states
        })
    });
    // Every result serialized as JSON into a reused buffer.
    let mut buf = Vec::with_capacity(1 << 22);
    g.bench_function("assess_json_1024", |b| {
        b.iter(|| {
            buf.clear();
            let mut stream = PatientStream::default();
            for v in black_box(&pool) {
                let r = stream.assess(v).expect("assesses");
                serde_json::to_writer(&mut buf, &r).expect("serialize");
            }
            buf.len()
        })
    });
    g.finish();
}

criterion_group!(benches, visits);
criterion_main!(benches);
