//! LLDAS (Franklyn 2016) and DORIS remission (van Vollenhoven 2021) at one
//! visit: deciding the states, and rendering the explanations as JSON.
//!
//! Inputs are a pool of 1,024 deterministic pseudo-random visits (xorshift32):
//! about 8% of descriptors present, every tenth visit with one descriptor not
//! assessed, a previous assessment, PGA 0.0-3.0, a dose 0-20 mg/day and the
//! yes/no inputs, some not recorded. The pool stays in cache, so the figures
//! measure computation.
//!
//! The `responses` group times BICLA and SRI-4 to SRI-8 against a baseline
//! on the same pool, with the BILAG-2004 grades of both visits not
//! recorded (data without BILAG), all eighteen recorded, or about half
//! recorded.
//!
//! Run: `cargo bench --bench targets`. Results: `docs/performance.md`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use sledai::bilag::{BiclaInput, BiclaOptions, BilagGrade, BilagGrades, evaluate_bicla};
use sledai::change::{ScoreChange, Sri, SriInput, SriOptions, evaluate_sri};
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

/// Grades with each system recorded with probability `percent` / 100.
fn grades(rng: &mut Rng, percent: u32) -> BilagGrades {
    BilagGrades::new(std::array::from_fn(|_| {
        (rng.below(100) < percent).then(|| BilagGrade::ALL[rng.below(5) as usize])
    }))
}

fn responses(c: &mut Criterion) {
    let mut g = c.benchmark_group("responses");
    g.throughput(Throughput::Elements(POOL as u64));
    for (name, percent) in [("no_grades", 0), ("all_grades", 100), ("half_grades", 50)] {
        let mut rng = Rng(0x51ED_2701);
        let pga = |rng: &mut Rng| {
            (rng.below(10) != 0).then(|| {
                Pga::from_tenths(u8::try_from(rng.below(31)).expect("0-30")).expect("0-30 tenths")
            })
        };
        let visits: Vec<(BiclaInput, SriInput)> = (0..POOL)
            .map(|k| {
                let (base, now) = (assessment(&mut rng, k), assessment(&mut rng, k + 1));
                let (base_pga, now_pga, failure) = (pga(&mut rng), pga(&mut rng), rng.flag());
                let (bg, vg) = (grades(&mut rng, percent), grades(&mut rng, percent));
                let change = ScoreChange::from_ranges(base.score_range(), now.score_range());
                let bicla = BiclaInput::new(ScoreChange::from_ranges(
                    base.score_range(),
                    now.score_range(),
                ))
                .with_baseline_grades(bg)
                .with_visit_grades(vg)
                .with_baseline_pga(base_pga)
                .with_visit_pga(now_pga)
                .with_treatment_failure(failure);
                let sri = SriInput::new(change)
                    .with_baseline_pga(base_pga)
                    .with_visit_pga(now_pga)
                    .with_treatment_failure(failure);
                let sri = if percent == 0 {
                    sri.with_new_bilag_a(Some(0)).with_new_bilag_b(Some(1))
                } else {
                    sri.with_baseline_grades(bg).with_visit_grades(vg)
                };
                (bicla, sri)
            })
            .collect();
        let sris: Vec<Sri> = (4..=8).map(|k| Sri::new(k).expect("4-8")).collect();
        // BICLA and SRI-4..SRI-8: the states only, as the CSV output uses them.
        g.bench_function(format!("bicla_sri_states_1024_{name}"), |b| {
            b.iter(|| {
                let mut met = 0u32;
                for (bicla, sri) in black_box(&visits) {
                    let r = evaluate_bicla(bicla, BiclaOptions::default()).expect("evaluates");
                    met += u32::from(r.state() == TriState::Met);
                    for k in &sris {
                        let r = evaluate_sri(sri, *k, SriOptions::default()).expect("evaluates");
                        met += u32::from(r.state() == TriState::Met);
                    }
                }
                met
            })
        });
        // With every explanation serialized as JSON into a reused buffer.
        let mut buf = Vec::with_capacity(1 << 20);
        g.bench_function(format!("bicla_sri_json_1024_{name}"), |b| {
            b.iter(|| {
                buf.clear();
                for (bicla, sri) in black_box(&visits) {
                    let r = evaluate_bicla(bicla, BiclaOptions::default()).expect("evaluates");
                    serde_json::to_writer(&mut buf, &r).expect("serialize");
                    for k in &sris {
                        let r = evaluate_sri(sri, *k, SriOptions::default()).expect("evaluates");
                        serde_json::to_writer(&mut buf, &r).expect("serialize");
                    }
                }
                buf.len()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, targets, responses);
criterion_main!(benches);
