//! Scoring benchmarks: one complete assessment, a batch of 1,000,000 masks,
//! and parsing plus scoring one JSON visit.
//!
//! Run: `cargo bench --bench scoring`. Results: `docs/performance.md`.

use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use sledai::{Assessment, Descriptor, score_masks};

/// Deterministic pseudo-random 24-bit masks (xorshift32).
fn masks(n: usize) -> Vec<u32> {
    let mut x: u32 = 0x9E37_79B9;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x & ((1 << 24) - 1)
        })
        .collect()
}

fn single(c: &mut Criterion) {
    let mut g = c.benchmark_group("single");
    g.throughput(Throughput::Elements(1));
    let a = Assessment::from_present([
        Descriptor::Arthritis,
        Descriptor::Proteinuria,
        Descriptor::LowComplement,
        Descriptor::Fever,
    ]);
    g.bench_function("assessment_score", |b| b.iter(|| black_box(a).score()));
    g.finish();
}

fn batch(c: &mut Criterion) {
    const N: usize = 1_000_000;
    let input = masks(N);
    let mut out = vec![0u8; N];
    let mut g = c.benchmark_group("batch");
    g.throughput(Throughput::Elements(N as u64));
    g.bench_function("score_masks_1m", |b| {
        b.iter(|| score_masks(black_box(&input), black_box(&mut out)))
    });
    g.finish();
}

fn json(c: &mut Criterion) {
    let text = r#"{"present": ["arthritis", "proteinuria", "low_complement", "fever"]}"#;
    let mut g = c.benchmark_group("json");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("parse_and_score_one_visit", |b| {
        b.iter_batched(
            || text,
            |t| {
                let a: Assessment = serde_json::from_str(black_box(t)).expect("valid json");
                a.score()
            },
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

criterion_group!(benches, single, batch, json);
criterion_main!(benches);
