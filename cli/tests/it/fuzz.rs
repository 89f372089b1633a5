//! Fuzz-style: random bytes, random JSON and mutated example files fed to
//! `sledai score`, `cohort` and `classify` never panic, exit only with 0, 1
//! or 2, and with `--on-error report` give one output record per input
//! record (no dropped row).
//!
//! The mutations are structure-aware (issue 12): they start from the files
//! in `examples/` and flip values, delete and insert keys or cells,
//! truncate lines, repeat keys, nest values deeply, write huge numbers,
//! add a byte order mark, and change the line endings to CRLF or CR.
//!
//! Each property runs 48 cases (a few seconds in CI). For a longer run set
//! `SLEDAI_FUZZ_CASES`, e.g.
//! `SLEDAI_FUZZ_CASES=5000 cargo test -p sledai-cli --test it fuzz`.

#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::{Path, PathBuf};

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

/// The number of cases of each property: 48, or `SLEDAI_FUZZ_CASES`.
fn cases() -> u32 {
    std::env::var("SLEDAI_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(48)
}

/// Input records of a JSON Lines file: lines that are not blank (a byte
/// order mark before the first line is not part of it).
fn json_records(bytes: &[u8]) -> usize {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
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
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

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

// ------------------------------------------- mutated example files

fn example(name: &str) -> String {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    fs::read_to_string(root.join("examples").join(name)).unwrap()
}

fn sledai(args: &[&str], path: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_sledai"))
        .args(args)
        .arg(path)
        .output()
        .unwrap()
}

/// Values written in place of a JSON value (as JSON text).
const JSON_VALUES: [&str; 22] = [
    "null",
    "true",
    "false",
    "0",
    "-1",
    "3.5",
    "-0",
    "1e308",
    "1e400",
    "1e-400",
    "\"\"",
    "\"x\"",
    "\"rash\"",
    "\"2024-02-30\"",
    "\"2024-02-29\"",
    "[]",
    "{}",
    "[\"rash\", \"rash\"]",
    "{\"rash\": true}",
    "[{\"drug\": \"prednisone\", \"mg_per_day\": 5}]",
    "\"\\u00e9\\ud83d\\ude00\"",
    "184467440737095516160000000000000000000000000000000000000000000000000000",
];

/// Cell values written in place of a CSV cell.
const CSV_VALUES: [&str; 20] = [
    "",
    "1",
    "0",
    "2",
    "yes",
    "NA",
    "inf",
    "NaN",
    "-0",
    "1e400",
    "\"oops",
    "\"a,b\"",
    "\"x\"\"y\"",
    "2024-02-30",
    "2024-02-29",
    " 1 ",
    "\u{e9}",
    "\u{FEFF}",
    "184467440737095516160000000000000000000000000000000000000000000000000000",
    "P\u{0}1",
];

/// One edit of a JSON Lines or CSV file; the numbers pick a line, a key or
/// cell, and a value (each taken modulo what there is).
#[derive(Debug, Clone)]
enum Mutation {
    /// Replace a value (JSON) or cell (CSV).
    Flip(usize, usize, usize),
    /// Delete a key or cell.
    Delete(usize, usize),
    /// Insert a key (from `KEYS`) or cell.
    Insert(usize, usize, usize),
    /// Repeat a key of the line (JSON) or a header name (CSV).
    Repeat(usize, usize),
    /// Nest a value this deep in arrays (JSON), or quote a cell (CSV).
    Nest(usize, usize, usize),
    /// Cut a line after this many bytes.
    Truncate(usize, usize),
    /// Delete a line.
    DeleteLine(usize),
    /// Write a line twice.
    DuplicateLine(usize),
    /// Insert a blank line.
    BlankLine(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let n = || 0usize..1000;
    prop_oneof![
        (n(), n(), n()).prop_map(|(a, b, c)| Mutation::Flip(a, b, c)),
        (n(), n()).prop_map(|(a, b)| Mutation::Delete(a, b)),
        (n(), n(), n()).prop_map(|(a, b, c)| Mutation::Insert(a, b, c)),
        (n(), n()).prop_map(|(a, b)| Mutation::Repeat(a, b)),
        (n(), n(), 1usize..400).prop_map(|(a, b, c)| Mutation::Nest(a, b, c)),
        (n(), n()).prop_map(|(a, b)| Mutation::Truncate(a, b)),
        n().prop_map(Mutation::DeleteLine),
        n().prop_map(Mutation::DuplicateLine),
        n().prop_map(Mutation::BlankLine),
    ]
}

/// Line endings and a byte order mark, applied last.
#[derive(Debug, Clone, Copy)]
struct Framing {
    bom: bool,
    /// 0: LF, 1: CRLF, 2: CR only.
    endings: u8,
}

fn framing() -> impl Strategy<Value = Framing> {
    (
        prop::bool::weighted(0.2),
        prop::sample::select(vec![0u8, 0, 0, 1, 1, 2]),
    )
        .prop_map(|(bom, endings)| Framing { bom, endings })
}

fn frame(lines: &[String], f: Framing) -> String {
    let end = match f.endings {
        0 => "\n",
        1 => "\r\n",
        _ => "\r",
    };
    let mut text = String::from(if f.bom { "\u{FEFF}" } else { "" });
    for l in lines {
        text.push_str(l);
        text.push_str(end);
    }
    text
}

/// Cuts `s` to at most `at` bytes, on a character boundary.
fn cut(s: &str, at: usize) -> String {
    let mut at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    s[..at].to_owned()
}

/// The top-level `(key, value text)` pairs of a JSON object line.
fn entries(line: &str) -> Option<Vec<(String, String)>> {
    let map: Map<String, Value> = serde_json::from_str(line).ok()?;
    Some(map.into_iter().map(|(k, v)| (k, v.to_string())).collect())
}

fn object(entries: &[(String, String)]) -> String {
    let body: Vec<String> = entries
        .iter()
        .map(|(k, v)| format!("{}: {v}", Value::String(k.clone())))
        .collect();
    format!("{{{}}}", body.join(", "))
}

fn mutate_json(text: &str, mutations: &[Mutation]) -> Vec<String> {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    for m in mutations {
        if lines.is_empty() {
            break;
        }
        let pick = |i: usize| i % lines.len();
        match *m {
            Mutation::Flip(l, k, v)
            | Mutation::Delete(l, k @ v)
            | Mutation::Insert(l, k, v)
            | Mutation::Repeat(l, k @ v)
            | Mutation::Nest(l, k, v) => {
                let l = pick(l);
                let Some(mut e) = entries(&lines[l]) else {
                    continue;
                };
                let key = if e.is_empty() { 0 } else { k % e.len() };
                match *m {
                    Mutation::Flip(..) if !e.is_empty() => {
                        e[key].1 = JSON_VALUES[v % JSON_VALUES.len()].to_owned();
                    }
                    Mutation::Delete(..) if !e.is_empty() => {
                        e.remove(key);
                    }
                    Mutation::Insert(..) => e.insert(
                        key.min(e.len()),
                        (
                            KEYS[k % KEYS.len()].to_owned(),
                            JSON_VALUES[v % JSON_VALUES.len()].to_owned(),
                        ),
                    ),
                    Mutation::Repeat(..) if !e.is_empty() => {
                        let again = e[key].clone();
                        e.push(again);
                    }
                    Mutation::Nest(..) if !e.is_empty() => {
                        e[key].1 = format!("{}{}{}", "[".repeat(v), e[key].1, "]".repeat(v));
                    }
                    _ => {}
                }
                lines[l] = object(&e);
            }
            Mutation::Truncate(l, at) => {
                let l = pick(l);
                lines[l] = cut(&lines[l], at);
            }
            Mutation::DeleteLine(l) => {
                lines.remove(pick(l));
            }
            Mutation::DuplicateLine(l) => {
                let l = pick(l);
                lines.insert(l, lines[l].clone());
            }
            Mutation::BlankLine(l) => lines.insert(pick(l), String::new()),
        }
    }
    lines
}

fn mutate_csv(text: &str, mutations: &[Mutation]) -> Vec<String> {
    let mut rows: Vec<Vec<String>> = text
        .lines()
        .map(|l| l.split(',').map(str::to_owned).collect())
        .collect();
    for m in mutations {
        if rows.is_empty() {
            break;
        }
        let pick = |i: usize| i % rows.len();
        match *m {
            Mutation::Flip(r, c, v) => {
                let r = pick(r);
                let n = rows[r].len().max(1);
                if let Some(cell) = rows[r].get_mut(c % n) {
                    *cell = CSV_VALUES[v % CSV_VALUES.len()].to_owned();
                }
            }
            Mutation::Delete(r, c) => {
                let r = pick(r);
                if !rows[r].is_empty() {
                    let n = rows[r].len();
                    rows[r].remove(c % n);
                }
            }
            Mutation::Insert(r, c, v) => {
                let r = pick(r);
                let at = c % (rows[r].len() + 1);
                let cell = if r == 0 {
                    KEYS[v % KEYS.len()]
                } else {
                    CSV_VALUES[v % CSV_VALUES.len()]
                };
                rows[r].insert(at, cell.to_owned());
            }
            Mutation::Repeat(_, c) => {
                // A header name written twice.
                let n = rows[0].len().max(1);
                if let Some(name) = rows[0].get(c % n).cloned() {
                    rows[0].push(name);
                }
            }
            Mutation::Nest(r, c, _) => {
                let r = pick(r);
                let n = rows[r].len().max(1);
                if let Some(cell) = rows[r].get_mut(c % n) {
                    *cell = format!("\"{cell}\"");
                }
            }
            Mutation::Truncate(r, at) => {
                let r = pick(r);
                let line = cut(&rows[r].join(","), at);
                rows[r] = line.split(',').map(str::to_owned).collect();
            }
            Mutation::DeleteLine(r) => {
                rows.remove(pick(r));
            }
            Mutation::DuplicateLine(r) => {
                let r = pick(r);
                rows.insert(r, rows[r].clone());
            }
            Mutation::BlankLine(r) => rows.insert(pick(r), Vec::new()),
        }
    }
    rows.into_iter().map(|r| r.join(",")).collect()
}

/// CSV data records, as the csv crate reads them (blank lines are none).
fn csv_records(bytes: &[u8]) -> usize {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    r.byte_records().count().saturating_sub(1)
}

/// With `--on-error report`: the run either stopped (2, with a message)
/// or wrote one output line per input record.
fn check_report(out: &std::process::Output, records: usize) -> Result<(), TestCaseError> {
    check_no_panic(out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    match out.status.code() {
        // The notice of ignored columns (`--allow-extra-columns`) may come
        // first; the stop is one `error: ` line.
        Some(2) => prop_assert!(
            stderr.lines().any(|l| l.starts_with("error: ")),
            "{}",
            stderr
        ),
        _ => prop_assert_eq!(
            out.stdout.iter().filter(|&&b| b == b'\n').count(),
            records,
            "{}",
            stderr
        ),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn mutated_jsonl_visits_never_panic_and_keep_every_record(
        mutations in prop::collection::vec(mutation(), 1..6),
        f in framing(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let text = frame(&mutate_json(&example("visits.jsonl"), &mutations), f);
        let p = dir.path().join("m.jsonl");
        fs::write(&p, &text).unwrap();
        check_no_panic(&sledai(&["score"], &p));
        let out = sledai(&["score", "--on-error", "report"], &p);
        check_no_panic(&out);
        // JSON Lines under `report` never stops: every line is answered.
        prop_assert!(matches!(out.status.code(), Some(0 | 1)));
        prop_assert_eq!(
            out.stdout.iter().filter(|&&b| b == b'\n').count(),
            json_records(text.as_bytes())
        );
        check_report(
            &sledai(&["score", "--on-error", "report", "--output-format", "csv"], &p),
            json_records(text.as_bytes()) + 1,
        )?;
    }

    #[test]
    fn mutated_csv_visits_never_panic_and_keep_every_record(
        mutations in prop::collection::vec(mutation(), 1..6),
        f in framing(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let text = frame(&mutate_csv(&example("visits.csv"), &mutations), f);
        let p = dir.path().join("m.csv");
        fs::write(&p, &text).unwrap();
        check_no_panic(&sledai(&["score"], &p));
        let records = csv_records(text.as_bytes());
        check_report(&sledai(&["score", "--on-error", "report"], &p), records)?;
        check_report(
            &sledai(&["score", "--on-error", "report", "--allow-extra-columns"], &p),
            records,
        )?;
    }

    #[test]
    fn mutated_cohorts_never_panic(
        mutations in prop::collection::vec(mutation(), 1..6),
        f in framing(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let j = dir.path().join("m.jsonl");
        fs::write(&j, frame(&mutate_json(&example("car_t_visits.jsonl"), &mutations), f)).unwrap();
        for args in [
            &["cohort", "--at", "90", "--window", "14"][..],
            &["cohort", "--at", "90", "--at", "360", "--window", "30", "--output-format", "csv"],
        ] {
            let out = sledai(args, &j);
            check_no_panic(&out);
            prop_assert!(out.status.code() != Some(1));
        }
        let c = dir.path().join("m.csv");
        fs::write(&c, frame(&mutate_csv(&example("visits.csv"), &mutations), f)).unwrap();
        let out = sledai(&["cohort", "--at", "90", "--window", "14"], &c);
        check_no_panic(&out);
    }

    #[test]
    fn mutated_classification_inputs_never_panic_and_keep_every_record(
        mutations in prop::collection::vec(mutation(), 1..6),
        f in framing(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let text = frame(&mutate_json(&example("classification.jsonl"), &mutations), f);
        let p = dir.path().join("m.jsonl");
        fs::write(&p, &text).unwrap();
        check_no_panic(&sledai(&["classify"], &p));
        let out = sledai(&["classify", "--on-error", "report"], &p);
        check_no_panic(&out);
        prop_assert!(matches!(out.status.code(), Some(0 | 1)));
        prop_assert_eq!(
            out.stdout.iter().filter(|&&b| b == b'\n').count(),
            json_records(text.as_bytes())
        );
    }
}
