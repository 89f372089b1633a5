//! `sledai cohort` on the worked CAR-T-like cohort
//! (`examples/car_t_visits.jsonl`). The expected per-patient values are the
//! hand-derived ones of `tests/it/car_t_example.rs` (weights: `docs/reference.md` section 1.2;
//! LLDAS: section 2; DORIS: section 3; change: section 4):
//!
//! - CART-A: baseline (day 0) 12; day 90: 4, change -8 (-66.7%), LLDAS met,
//!   DORIS not met, SRI-4 met; day 360: 0, change -12, LLDAS and DORIS met;
//!   LLDAS from day 90 to 360 of 360 days = 0.75 (carry forward); DORIS from
//!   day 180: 0.5. Screening visit (day -14): 16 >= 10.
//! - CART-B: baseline 12; no visit in days 76-104 (its visit is day 120);
//!   day 360: 8, change -4, LLDAS not met, SRI-4 indeterminate (BILAG not
//!   recorded); never in LLDAS.
//! - CART-C: baseline 10; day 92: 2 to 8 (pyuria and DNA binding not
//!   assessed), change -8 to -2, LLDAS indeterminate; day 365: 0, change
//!   -10, LLDAS and DORIS met; time in LLDAS 0 to 273/365.
//! - Cohort: day 90: 2 with a visit, 1 exact change (median -8); day 360:
//!   changes -12, -10, -4: median -10, Q1 -11, Q3 -7 (R type 7).

#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::PathBuf;

use super::common::root;
use super::common::sledai_at_root as sledai;
use assert_cmd::Command;
use predicates::str::contains;
use serde_json::{Value, json};

const BASE: [&str; 7] = [
    "cohort",
    "examples/car_t_visits.jsonl",
    "--at",
    "90",
    "--at",
    "360",
    "--window",
];

fn lines(args: &[&str]) -> Vec<Value> {
    let out = sledai().args(BASE).arg("14").args(args).assert().success();
    String::from_utf8(out.get_output().stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn car_t_patients_as_worked_out_by_hand() {
    let l = lines(&["--screening-threshold", "10"]);
    assert_eq!(l.len(), 4, "three patients and the cohort summary");
    let (a, b, c) = (&l[0], &l[1], &l[2]);
    assert_eq!(a["patient"], "CART-A");
    assert_eq!(a["visits"], 6);
    assert_eq!(a["reference_date"], "2024-03-04");
    assert_eq!(a["screening"]["state"], "met");
    assert_eq!(a["screening"]["score"], json!({"min": 16, "max": 16}));
    assert_eq!(a["baseline"]["sledai_2k"], 12);
    assert_eq!(a["baseline"]["study_day"], 0);
    let d90 = &a["endpoints"][0]["endpoint"]["visit"];
    assert_eq!(d90["study_day"], 90);
    assert_eq!(d90["change_from_baseline"]["absolute"], -8);
    let pct = d90["change_from_baseline"]["percent"].as_f64().unwrap();
    assert!((pct + 800.0 / 12.0).abs() < 1e-9);
    assert_eq!(
        (&d90["lldas"], &d90["doris"]),
        (&json!("met"), &json!("not_met"))
    );
    assert_eq!(a["endpoints"][0]["sri4"]["state"], "met");
    let d360 = &a["endpoints"][1]["endpoint"]["visit"];
    assert_eq!(d360["change_from_baseline"]["absolute"], -12);
    assert_eq!(
        (&d360["lldas"], &d360["doris"]),
        (&json!("met"), &json!("met"))
    );
    assert_eq!(a["lldas"]["time"]["fraction_of_time"], 0.75);
    assert_eq!(a["lldas"]["first_day"], 90);
    assert_eq!(a["doris"]["time"]["fraction_of_time"], 0.5);

    assert_eq!(b["patient"], "CART-B");
    assert_eq!(
        b["endpoints"][0]["endpoint"]["outcome"],
        "no_visit_in_window"
    );
    assert_eq!(b["endpoints"][0]["sri4"], Value::Null);
    assert_eq!(
        b["endpoints"][1]["endpoint"]["visit"]["change_from_baseline"]["absolute"],
        -4
    );
    assert_eq!(b["endpoints"][1]["sri4"]["state"], "indeterminate");
    assert_eq!(b["lldas"]["ever"], "not_met");

    assert_eq!(c["patient"], "CART-C");
    let d92 = &c["endpoints"][0]["endpoint"]["visit"];
    assert_eq!(d92["study_day"], 92);
    assert_eq!(d92["sledai_2k"], Value::Null);
    assert_eq!(
        (&d92["sledai_2k_min"], &d92["sledai_2k_max"]),
        (&json!(2), &json!(8))
    );
    assert_eq!(d92["change_from_baseline"]["absolute"], Value::Null);
    assert_eq!(
        (
            &d92["change_from_baseline"]["absolute_min"],
            &d92["change_from_baseline"]["absolute_max"]
        ),
        (&json!(-8), &json!(-2))
    );
    assert_eq!(d92["lldas"], "indeterminate");
    assert_eq!(c["lldas"]["time"]["fraction_of_time"], 0.0);
    let upper = c["lldas"]["time"]["fraction_of_time_upper"]
        .as_f64()
        .unwrap();
    assert!((upper - 273.0 / 365.0).abs() < 1e-12);

    let s = &l[3]["cohort"];
    assert_eq!(s["n"], 3);
    assert_eq!(s["endpoints"][0]["n_with_visit"], 2);
    assert_eq!(s["endpoints"][0]["change"]["median"], -8.0);
    assert_eq!(s["endpoints"][1]["change"]["median"], -10.0);
    assert_eq!(s["endpoints"][1]["change"]["q1"], -11.0);
    assert_eq!(s["endpoints"][1]["change"]["q3"], -7.0);
    let half = &s["lldas_at_least_half"];
    assert_eq!(
        (&half["met"], &half["not_met"], &half["indeterminate"]),
        (&json!(1), &json!(1), &json!(1))
    );
}

#[test]
fn csv_output_and_summary_file() {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("s.json");
    let out = sledai()
        .args(BASE)
        .args([
            "14",
            "--output-format",
            "csv",
            "--sustained-days",
            "180",
            "--summary",
        ])
        .arg(&summary)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let header = rdr.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    let get = |r: &csv::StringRecord, k: &str| -> String {
        r[header.iter().position(|h| h == k).unwrap()].to_owned()
    };
    assert_eq!(rows.len(), 3);
    assert_eq!(get(&rows[0], "baseline_sledai_2k"), "12");
    assert_eq!(get(&rows[0], "day90_change"), "-8");
    assert_eq!(get(&rows[0], "day90_lldas"), "met");
    assert_eq!(get(&rows[0], "day360_doris"), "met");
    assert_eq!(get(&rows[0], "lldas_time_fraction"), "0.75");
    // A: LLDAS from day 90 to 360, 270 days >= 180.
    assert_eq!(get(&rows[0], "lldas_longest_run_days"), "270");
    assert_eq!(get(&rows[0], "lldas_sustained"), "met");
    assert_eq!(get(&rows[1], "day90_no_visit_in_window"), "true");
    assert_eq!(get(&rows[1], "day90_change"), "");
    assert_eq!(get(&rows[1], "day360_change"), "-4");
    assert_eq!(get(&rows[2], "day90_change"), "");
    assert_eq!(get(&rows[2], "day90_change_min"), "-8");
    assert_eq!(get(&rows[2], "day90_change_max"), "-2");
    assert_eq!(get(&rows[2], "day90_lldas"), "indeterminate");
    let s: Value = serde_json::from_str(&fs::read_to_string(&summary).unwrap()).unwrap();
    assert_eq!(s["n"], 3);
    assert_eq!(s["endpoints"][1]["change"]["median"], -10.0);
}

#[test]
fn summary_file_replaces_the_last_line() {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("s.json");
    let out = sledai()
        .args(BASE)
        .arg("14")
        .arg("--summary")
        .arg(&summary)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(String::from_utf8(out).unwrap().lines().count(), 3);
    assert!(summary.exists());
}

#[test]
fn options_reach_the_core() {
    // Half-interval (docs/timeline.md) for CART-A: LLDAS states by day
    // 0 N, 28 N, 90 M, 180 M, 360 M: intervals [0,28] 0, [28,90] half of
    // 62 = 31, [90,180] 90, [180,360] 180: 301 / 360.
    let l = lines(&["--attribution", "half-interval"]);
    let f = l[0]["lldas"]["time"]["fraction_of_time"].as_f64().unwrap();
    assert!((f - 301.0 / 360.0).abs() < 1e-12, "{f}");
    // Asymmetric window: day 90 - 0 .. + 1 excludes C's day-92 visit.
    let out = sledai()
        .args([
            "cohort",
            "examples/car_t_visits.jsonl",
            "--at",
            "90",
            "--before",
            "0",
            "--after",
            "1",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let c: Value =
        serde_json::from_str(String::from_utf8(out).unwrap().lines().nth(2).unwrap()).unwrap();
    assert_eq!(
        c["endpoints"][0]["endpoint"]["outcome"],
        "no_visit_in_window"
    );
    // --doris-pga at-most-half: A's day-28.. visits unchanged, the summary
    // shape is the same; the stricter default is checked in tests/.
    sledai()
        .args(BASE)
        .args(["14", "--doris-pga", "at-most-half", "-q"])
        .assert()
        .success();
}

#[test]
fn usage_errors_exit_2() {
    sledai()
        .args(["cohort", "examples/car_t_visits.jsonl", "--at", "90"])
        .assert()
        .code(2)
        .stderr(contains("--at needs a visit window"));
    sledai()
        .args(BASE)
        .args(["14", "--at", "90"])
        .assert()
        .code(2)
        .stderr(contains("--at 90 is given twice"));
    sledai()
        .args([
            "cohort",
            "examples/car_t_visits.jsonl",
            "--at",
            "90",
            "--before",
            "3",
        ])
        .assert()
        .code(2)
        .stderr(contains("--before and --after need each other"));
    sledai()
        .args(BASE)
        .args(["14", "--screening-threshold", "106"])
        .assert()
        .code(2)
        .stderr(contains("--screening-threshold"));
}

fn file(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let p = dir.path().join(name);
    fs::write(&p, text).unwrap();
    p
}

#[test]
fn patient_errors_name_the_patient_and_the_line() {
    let dir = tempfile::tempdir().unwrap();
    // Two visits of P1 on one date (docs/timeline.md: an error unless allowed).
    let p = file(
        &dir,
        "d.jsonl",
        concat!(
            "{\"patient\":\"P0\",\"date\":\"2024-01-01\",\"present\":[]}\n",
            "{\"patient\":\"P1\",\"date\":\"2024-03-01\",\"present\":[]}\n",
            "{\"patient\":\"P1\",\"date\":\"2024-03-01\",\"present\":[\"rash\"]}\n",
        ),
    );
    sledai()
        .arg("cohort")
        .arg(&p)
        .assert()
        .code(2)
        .stderr(contains(
            "d.jsonl:2: field `date`: patient `P1`: 2 visits are on the same date 2024-03-01 (lines 2 and 3); allow it with --allow-duplicate-dates",
        ));
    let out = sledai()
        .arg("cohort")
        .arg(&p)
        .arg("--allow-duplicate-dates")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(String::from_utf8(out).unwrap().lines().count(), 3);
    // Two baselines.
    let p = file(
        &dir,
        "b.jsonl",
        concat!(
            "{\"patient\":\"P1\",\"date\":\"2024-03-01\",\"present\":[],\"baseline\":true}\n",
            "{\"patient\":\"P1\",\"date\":\"2024-04-01\",\"present\":[],\"baseline\":true}\n",
        ),
    );
    sledai()
        .arg("cohort")
        .arg(&p)
        .assert()
        .code(2)
        .stderr(contains("b.jsonl:1: field `baseline`: patient `P1`"))
        .stderr(contains("more than one visit is marked as baseline"));
    // A visit without a date.
    let p = file(
        &dir,
        "n.jsonl",
        "{\"patient\":\"P1\",\"date\":\"2024-03-01\",\"present\":[]}\n{\"patient\":\"P1\",\"present\":[]}\n",
    );
    sledai()
        .arg("cohort")
        .arg(&p)
        .assert()
        .code(2)
        .stderr(contains("n.jsonl:2: field `date`"))
        .stderr(contains("a cohort needs `date` on every visit"));
    // Reference dates that disagree.
    let p = file(
        &dir,
        "r.jsonl",
        concat!(
            "{\"patient\":\"P1\",\"reference_date\":\"2024-03-01\",\"date\":\"2024-03-01\",\"present\":[]}\n",
            "{\"patient\":\"P1\",\"reference_date\":\"2024-03-02\",\"date\":\"2024-04-01\",\"present\":[]}\n",
        ),
    );
    sledai()
        .arg("cohort")
        .arg(&p)
        .assert()
        .code(2)
        .stderr(contains("r.jsonl:2: field `reference_date`"));
    // A bad record stops the cohort (no --on-error here).
    let p = file(
        &dir,
        "x.jsonl",
        "{\"patient\":\"P1\",\"date\":\"2024-03-01\",\"present\":[\"rsh\"]}\n",
    );
    sledai()
        .arg("cohort")
        .arg(&p)
        .assert()
        .code(2)
        .stderr(contains("x.jsonl:1:"))
        .stderr(contains("`rsh`"));
}

#[test]
fn csv_input_gives_the_same_cohort_as_json() {
    // The same three visits as CSV and as JSON Lines.
    let ids: Vec<String> = String::from_utf8(
        Command::new(env!("CARGO_BIN_EXE_sledai"))
            .args(["descriptors", "--format", "csv"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap()
    .lines()
    .skip(1)
    .map(|l| l.split(',').nth(1).unwrap().to_owned())
    .collect();
    let row = |present: &[&str]| -> String {
        ids.iter()
            .map(|i| {
                if present.contains(&i.as_str()) {
                    "1"
                } else {
                    "0"
                }
            })
            .collect::<Vec<_>>()
            .join(",")
    };
    let csv = format!(
        "patient,date,reference_date,new_bilag_a,new_bilag_b,{}\nP1,2024-01-01,2024-01-01,,,{}\nP1,2024-03-31,,0,1,{}\n",
        ids.join(","),
        row(&["proteinuria", "rash"]),
        row(&[])
    );
    let jsonl = concat!(
        "{\"patient\":\"P1\",\"date\":\"2024-01-01\",\"reference_date\":\"2024-01-01\",\"present\":[\"proteinuria\",\"rash\"]}\n",
        "{\"patient\":\"P1\",\"date\":\"2024-03-31\",\"new_bilag_a\":0,\"new_bilag_b\":1,\"present\":[]}\n",
    );
    let dir = tempfile::tempdir().unwrap();
    let a = file(&dir, "v.csv", &csv);
    let b = file(&dir, "v.jsonl", jsonl);
    let run = |p: &PathBuf| {
        sledai()
            .arg("cohort")
            .arg(p)
            .args(["--at", "90", "--window", "7"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    };
    let (x, y) = (run(&a), run(&b));
    assert_eq!(x, y);
    // Day 90: 6 -> 0, change -6.
    let v: Value = serde_json::from_slice(x.split(|&c| c == b'\n').next().unwrap()).unwrap();
    assert_eq!(
        v["endpoints"][0]["endpoint"]["visit"]["change_from_baseline"]["absolute"],
        -6
    );
}

/// `cli/tests/golden/car_t.cohort.csv` is the tool's CSV of the worked
/// cohort, which Python's `sledai.cohort` must reproduce byte for byte
/// (python/tests/test_visits.py); its values are the hand-derived ones of
/// the module docs.
#[test]
fn car_t_csv_is_the_golden_file_and_holds_the_hand_derived_values() {
    let golden = fs::read_to_string(root().join("cli/tests/golden/car_t.cohort.csv")).unwrap();
    let out = sledai()
        .args(BASE)
        .args(["14", "--output-format", "csv", "--summary"])
        .arg(std::env::temp_dir().join(format!("sledai-car-t-{}.json", std::process::id())))
        .assert()
        .success();
    let csv = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert_eq!(csv, golden);
    let mut rows = golden.lines();
    let header: Vec<&str> = rows.next().unwrap().split(',').collect();
    let a: Vec<&str> = rows.next().unwrap().split(',').collect();
    let cell = |name: &str| a[header.iter().position(|h| *h == name).unwrap()];
    for (name, value) in [
        ("patient", "CART-A"),
        ("baseline_sledai_2k", "12"),
        ("day90_sledai_2k", "4"),
        ("day90_change", "-8"),
        ("day90_lldas", "met"),
        ("day90_doris", "not_met"),
        ("day90_sri4", "met"),
        ("day360_change", "-12"),
        ("lldas_time_fraction", "0.75"),
        ("doris_time_fraction", "0.5"),
    ] {
        assert_eq!(cell(name), value, "{name}");
    }
}

#[test]
fn threads_change_nothing_but_the_threads() {
    // The CAR-T example and the generated-visit example through cohort
    // and adam on 1 and 3 threads: byte-identical output; 0 threads and a
    // word are usage errors naming the option.
    for (cmd, extra) in [
        (
            "cohort",
            &["--at", "90", "--at", "360", "--window", "14"][..],
        ),
        ("adam", &["--at", "90", "--window", "14"][..]),
    ] {
        let out = |threads: &str| {
            let o = sledai()
                .args([
                    cmd,
                    "examples/car_t_visits.jsonl",
                    "-q",
                    "--threads",
                    threads,
                ])
                .args(extra)
                .output()
                .unwrap();
            assert!(o.status.success(), "{cmd} --threads {threads}: {o:?}");
            o.stdout
        };
        assert_eq!(out("1"), out("3"), "{cmd}");
        assert!(!out("1").is_empty());
        for bad in ["0", "two"] {
            sledai()
                .args([cmd, "examples/car_t_visits.jsonl", "--threads", bad])
                .args(extra)
                .assert()
                .code(2)
                .stderr(contains("--threads"));
        }
    }
}
