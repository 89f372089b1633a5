//! The integration tests of the `sledai` library, compiled as one binary
//! (one link instead of one per file). Each module is one area of the crate.

mod adam;
mod api;
mod bilag;
mod bitmaps;
mod car_t_example;
mod change;
mod classification;
mod columns;
mod docs;
mod exhaustive;
mod explanations_regression;
mod frame;
mod glucocorticoid;
mod labs;
mod mapping;
mod parallel;
mod properties;
mod reference;
mod serde_format;
mod structure;
mod table;
mod targets;
mod timeline;
mod totals;
mod typed;
mod validation;
mod visit;

/// A xorshift generator of the tests' synthetic tables (deterministic for
/// a seed; not for statistics).
fn rng(seed: u64) -> impl FnMut() -> u64 {
    let mut x = seed | 1;
    move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    }
}
