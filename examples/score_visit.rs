//! Scores the example visits shipped in `examples/visits.json`.
//!
//! Run: `cargo run --example score_visit`

use sledai::{Assessment, BandScheme};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let text = include_str!("visits.json");
    let visits: Vec<Assessment> = serde_json::from_str(text)?;
    for (i, a) in visits.iter().enumerate() {
        match a.score() {
            Ok(total) => println!(
                "visit {}: SLEDAI-2K {} ({}, five-level convention), clinical SLEDAI {}",
                i + 1,
                total,
                total.band(BandScheme::FiveLevel),
                a.clinical_score()?,
            ),
            Err(_) => println!(
                "visit {}: incomplete, SLEDAI-2K {} ; not assessed: {}",
                i + 1,
                a.score_range(),
                a.missing()
            ),
        }
    }
    Ok(())
}
