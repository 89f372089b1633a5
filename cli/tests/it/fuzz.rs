//! Fuzz-style: random bytes and random JSON fed to `sledai score` never
//! panic, exit only with 0, 1 or 2, and with `--on-error report` give one
//! output record per input record (no dropped row).

#![allow(clippy::unwrap_used)]

use std::fs;

use assert_cmd::Command;
use proptest::prelude::*;
use serde_json::{Map, Value, json};

fn run(path: &std::path::Path, extra: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_sledai"))
        .arg("score")
        .arg(path)
        .args(extra)
        .output()
        .unwrap()
}

fn check_no_panic(out: &std::process::Output) {
    let code = out.status.code();
    assert!(matches!(code, Some(0..=2)), "exit status {:?}", out.status);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("RUST_BACKTRACE"), "{stderr}");
}

/// Input records of a JSON Lines file: lines that are not blank.
fn json_records(bytes: &[u8]) -> usize {
    bytes
        .split(|&b| b == b'\n')
        .filter(|l| !l.trim_ascii().is_empty())
        .count()
}

const KEYS: [&str; 22] = [
    "id",
    "patient",
    "date",
    "present",
    "descriptors",
    "pga",
    "prednisone_mg_per_day",
    "glucocorticoids",
    "hemolytic_anemia",
    "gastrointestinal_activity",
    "maintenance_tolerated",
    "investigational_drug",
    "new_activity",
    "measurements",
    "baseline",
    "rash",
    "fever",
    "drug",
    "mg_per_day",
    "low_complement",
    "bogus",
    "",
];

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        (-10.0f64..10.0).prop_map(|x| json!(x)),
        prop::sample::select(vec![0.0, 0.5, 3.0, 3.5, -0.0, 1e308, 7.5]).prop_map(|x| json!(x)),
        prop::sample::select(KEYS.to_vec()).prop_map(|s| json!(s)),
        "\\PC{0,12}".prop_map(Value::String),
        prop::sample::select(vec!["2024-02-29", "2023-02-29", "0000-01-01", "2024-1-1"])
            .prop_map(|s| json!(s)),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 48, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS.to_vec()), inner), 0..6).prop_map(
                |kv| {
                    Value::Object(
                        kv.into_iter()
                            .map(|(k, v)| (k.to_owned(), v))
                            .collect::<Map<_, _>>(),
                    )
                }
            ),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let dir = tempfile::tempdir().unwrap();
        let j = dir.path().join("r.jsonl");
        fs::write(&j, &bytes).unwrap();
        check_no_panic(&run(&j, &[]));
        let out = run(&j, &["--on-error", "report"]);
        check_no_panic(&out);
        prop_assert_eq!(out.stdout.iter().filter(|&&b| b == b'\n').count(), json_records(&bytes));
        let c = dir.path().join("r.csv");
        fs::write(&c, &bytes).unwrap();
        check_no_panic(&run(&c, &[]));
        check_no_panic(&run(&c, &["--on-error", "report", "--allow-extra-columns"]));
    }

    #[test]
    fn random_json_never_panics_and_keeps_every_record(
        values in prop::collection::vec(value(), 1..12),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r.jsonl");
        let text: String = values.iter().map(|v| format!("{v}\n")).collect();
        fs::write(&p, &text).unwrap();
        check_no_panic(&run(&p, &[]));
        let out = run(&p, &["--on-error", "report"]);
        check_no_panic(&out);
        let lines: Vec<Value> = String::from_utf8(out.stdout.clone())
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        prop_assert_eq!(lines.len(), values.len());
        for line in &lines {
            // Each output record is either scored or carries its error.
            prop_assert!(line.get("error").is_some() != line.get("sledai_2k").is_some());
        }
        let csv_out = run(&p, &["--on-error", "report", "--output-format", "csv"]);
        check_no_panic(&csv_out);
    }

    /// Random but well-formed visits: the CLI total equals the sum of the
    /// reference weights (`docs/reference.md` section 1.2) of the present items.
    #[test]
    fn random_complete_visits_score_the_sum_of_weights(
        rows in prop::collection::vec(prop::collection::vec(any::<bool>(), 24), 1..20),
    ) {
        const W: [u64; 24] = [8, 8, 8, 8, 8, 8, 8, 8, 4, 4, 4, 4, 4, 4, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1];
        let dir = tempfile::tempdir().unwrap();
        let header = Command::new(env!("CARGO_BIN_EXE_sledai"))
            .args(["descriptors", "--format", "csv"])
            .output()
            .unwrap();
        let ids: Vec<String> = String::from_utf8(header.stdout).unwrap().lines().skip(1)
            .map(|l| l.split(',').nth(1).unwrap().to_owned()).collect();
        let mut text = ids.join(",");
        text.push('\n');
        for r in &rows {
            text.push_str(&r.iter().map(|&b| if b { "1" } else { "0" }).collect::<Vec<_>>().join(","));
            text.push('\n');
        }
        let p = dir.path().join("v.csv");
        fs::write(&p, text).unwrap();
        let out = run(&p, &[]);
        prop_assert_eq!(out.status.code(), Some(0));
        let got: Vec<Value> = String::from_utf8(out.stdout).unwrap().lines()
            .map(|l| serde_json::from_str(l).unwrap()).collect();
        for (r, g) in rows.iter().zip(&got) {
            let want: u64 = r.iter().zip(W).filter(|(b, _)| **b).map(|(_, w)| w).sum();
            // Serology: positions 20 and 21 (low complement, DNA binding).
            let clinical = want - if r[19] { 2 } else { 0 } - if r[20] { 2 } else { 0 };
            prop_assert_eq!(&g["sledai_2k"], &json!(want));
            prop_assert_eq!(&g["clinical_sledai_2k"], &json!(clinical));
        }
    }
}
