//! docs/cli.md agrees with the program: every documented output (the CSV
//! outputs of `score` and `cohort`, the pretty-printed JSON record) is what
//! the tool writes (`docs/reference.md` section 8: documentation that
//! contradicts the code).

#![allow(clippy::unwrap_used)]

use std::fs;

use super::common::root;
use assert_cmd::Command;

fn doc() -> String {
    fs::read_to_string(root().join("docs/cli.md")).unwrap()
}

fn run(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_sledai"))
        .current_dir(root())
        .args(args)
        .arg("-q")
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// The fenced block after `<!-- docs-test: NAME -->`.
fn block(doc: &str, name: &str) -> String {
    let marker = format!("<!-- docs-test: {name} -->");
    let at = doc.find(&marker).unwrap_or_else(|| panic!("no {marker}"));
    let rest = &doc[at..];
    let start = rest.find("```").unwrap();
    let body = &rest[start..];
    let body = &body[body.find('\n').unwrap() + 1..];
    body[..body.find("```").unwrap()].to_owned()
}

#[test]
fn documented_score_csv_is_the_real_output() {
    let doc = doc();
    for input in ["examples/visits.jsonl", "examples/visits.csv"] {
        let csv = run(&["score", input, "--output-format", "csv"]);
        for line in csv.lines() {
            assert!(doc.contains(line), "docs/cli.md lacks {line}");
        }
    }
}

#[test]
fn documented_score_json_record_is_the_real_output() {
    let documented: serde_json::Value =
        serde_json::from_str(&block(&doc(), "score examples/visits.jsonl, record 2")).unwrap();
    let out = run(&["score", "examples/visits.jsonl"]);
    let real: serde_json::Value = serde_json::from_str(out.lines().nth(1).unwrap()).unwrap();
    assert_eq!(documented, real);
}

#[test]
fn documented_cohort_csv_is_the_real_output() {
    let doc = doc();
    let csv = run(&[
        "cohort",
        "examples/car_t_visits.jsonl",
        "--at",
        "90",
        "--at",
        "360",
        "--window",
        "14",
        "--output-format",
        "csv",
    ]);
    for line in csv.lines() {
        assert!(doc.contains(line), "docs/cli.md lacks {line}");
    }
}

#[test]
fn documented_csv_columns_are_the_real_columns() {
    // Every column name the docs list for `score` CSV is in the header.
    let header = run(&["score", "examples/visits.jsonl", "--output-format", "csv"]);
    let header = header.lines().next().unwrap();
    for c in [
        "prednisone_equivalent_mg_per_day",
        "lldas_activity",
        "doris_glucocorticoid",
        "change_from_baseline_min",
        "percent_change_from_baseline",
    ] {
        assert!(header.split(',').any(|h| h == c), "{c}");
    }
    assert!(header.ends_with(",error"));
}

#[test]
fn documented_adam_csv_is_the_real_output() {
    // The header and CART-B's SLEDAI-2K records as printed in docs/cli.md
    // and docs/adam.md are the tool's.
    let csv = run(&[
        "adam",
        "examples/car_t_visits.jsonl",
        "--at",
        "90",
        "--at",
        "360",
        "--window",
        "14",
    ]);
    let adam_md = fs::read_to_string(root().join("docs/adam.md")).unwrap();
    let lines: Vec<&str> = csv
        .lines()
        .filter(|l| l.starts_with("USUBJID,") || l.starts_with("CART-B,SLEDAI,"))
        .collect();
    assert_eq!(lines.len(), 6);
    for line in lines {
        assert!(doc().contains(line), "docs/cli.md lacks {line}");
        assert!(adam_md.contains(line), "docs/adam.md lacks {line}");
    }
}
