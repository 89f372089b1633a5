//! LLDAS (Franklyn 2016) and DORIS remission (van Vollenhoven 2021) at one
//! visit: deciding the states, and rendering the explanations as JSON.
//!
//! Inputs are a pool of 1,024 deterministic pseudo-random visits (xorshift32):
//! about 8% of descriptors present, every tenth visit with one descriptor not
//! assessed, a previous assessment, PGA 0.0-3.0, a dose 0-20 mg/day and the
//! yes/no inputs, some not recorded. The pool stays in cache, so the figures
//! measure computation.
//!
//! Run: `cargo bench --bench targets`. Results: `docs/performance.md`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use sledai::glucocorticoid::PrednisoneEquivalent;
use sledai::remission::{self, RemissionOptions};
use sledai::target::TargetInputs;
use sledai::{Assessment, Descriptor, Finding, Pga, TriState, lldas};

const POOL: usize = 1024;

struct Rng(u32);

impl Rng {
    fn next(&mut self) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 17;
        self.0 ^= self.0 << 5;
        self.0
    }

    fn below(&mut self, n: u32) -> u32 {
        self.next() % n
    }

    fn flag(&mut self) -> Option<bool> {
        match self.below(10) {
            0 => None,
            1 => Some(true),
            _ => Some(false),
        }
    }
}

fn assessment(rng: &mut Rng, k: usize) -> Assessment {
    let mut a = Assessment::from_present(
        Descriptor::ALL
            .iter()
            .copied()
            .filter(|_| rng.below(100) < 8)
            .collect::<Vec<_>>(),
    );
    if k % 10 == 0 {
        let d = Descriptor::ALL[rng.below(24) as usize];
        a = a.with(d, Finding::NotAssessed);
    }
    a
}

fn pool() -> Vec<TargetInputs> {
    let mut rng = Rng(0x9E37_79B9);
    (0..POOL)
        .map(|k| {
            let now = assessment(&mut rng, k);
            let previous = assessment(&mut rng, k + 1);
            let mut i = TargetInputs::new(now).with_previous_assessment(previous);
            i.pga = (rng.below(10) != 0).then(|| {
                Pga::from_tenths(u8::try_from(rng.below(31)).expect("0-30")).expect("0-30 tenths")
            });
            i.prednisone_equivalent = (rng.below(10) != 0).then(|| {
                PrednisoneEquivalent::from_mg(f64::from(rng.below(41)) / 2.0).expect("0-20 mg")
            });
            i.hemolytic_anemia = rng.flag();
            i.gastrointestinal_activity = rng.flag();
            i.maintenance_tolerated = rng.flag().map(|b| !b);
            i.investigational_drug = rng.flag();
            i
        })
        .collect()
}

fn targets(c: &mut Criterion) {
    let inputs = pool();
    let options = RemissionOptions::default();
    let mut g = c.benchmark_group("targets");
    g.throughput(Throughput::Elements(POOL as u64));
    // The states only, as the CSV output and cohorts use them.
    g.bench_function("lldas_doris_states_1024", |b| {
        b.iter(|| {
            let mut met = 0u32;
            for i in black_box(&inputs) {
                let l = lldas::evaluate(i).map_or(TriState::Indeterminate, |r| r.state());
                let d =
                    remission::evaluate(i, options).map_or(TriState::Indeterminate, |r| r.state());
                met += u32::from(l == TriState::Met) + u32::from(d == TriState::Met);
            }
            met
        })
    });
    // The states and every explanation, serialized as JSON into a reused
    // buffer (what the JSON Lines output does).
    let mut buf = Vec::with_capacity(1 << 16);
    g.bench_function("lldas_doris_json_1024", |b| {
        b.iter(|| {
            buf.clear();
            for i in black_box(&inputs) {
                if let Ok(r) = lldas::evaluate(i) {
                    serde_json::to_writer(&mut buf, &r).expect("serialize");
                }
                serde_json::to_writer(
                    &mut buf,
                    &remission::evaluate(i, options).expect("evaluates"),
                )
                .expect("serialize");
            }
            buf.len()
        })
    });
    g.finish();
}

criterion_group!(benches, targets);
criterion_main!(benches);
