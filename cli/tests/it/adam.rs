//! `sledai adam` (docs/adam.md, docs/cli.md) on the worked CAR-T-like
//! cohort (`examples/car_t_visits.jsonl`): its analysis records are the
//! endpoints `sledai cohort` reports for the same `--at` / `--window`, its
//! baseline records are `cohort`'s baselines, and the CSV and JSON Lines
//! outputs hold the same records. The two commands are run as separate
//! processes and compared field by field.

#![allow(clippy::unwrap_used, clippy::float_cmp)]

use std::collections::BTreeMap;

use super::common::{sledai_at_root as sledai, write};
use predicates::str::contains;
use serde_json::Value;

const AT: [&str; 6] = ["--at", "90", "--at", "360", "--window", "14"];

fn json_lines(args: &[&str]) -> Vec<Value> {
    let out = sledai().args(args).arg("-q").assert().success();
    String::from_utf8(out.get_output().stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn adam_jsonl(extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["adam", "examples/car_t_visits.jsonl"];
    args.extend(extra);
    args.extend(["--output-format", "jsonl"]);
    json_lines(&args)
}

fn find<'a>(
    records: &'a [Value],
    subject: &Value,
    paramcd: &str,
    avisit: &str,
    flag: &str,
) -> &'a Value {
    let hits: Vec<&Value> = records
        .iter()
        .filter(|r| {
            &r["USUBJID"] == subject
                && r["PARAMCD"] == paramcd
                && r["AVISIT"] == avisit
                && r[flag] == "Y"
        })
        .collect();
    assert_eq!(hits.len(), 1, "{subject} {paramcd} {avisit}");
    hits[0]
}

fn state_aval(s: &Value) -> Value {
    match s.as_str().unwrap() {
        "met" => Value::from(1.0),
        "not_met" => Value::from(0.0),
        _ => Value::Null,
    }
}

#[test]
fn adam_equals_what_cohort_reports_for_the_endpoints() {
    let mut cohort_args = vec!["cohort", "examples/car_t_visits.jsonl"];
    cohort_args.extend(AT);
    let cohort = json_lines(&cohort_args);
    let patients = &cohort[..cohort.len() - 1]; // the last line is the summary
    assert_eq!(patients.len(), 3);
    let records = adam_jsonl(&AT);
    for p in patients {
        let id = &p["patient"];
        // The baseline record is cohort's baseline.
        let base = find(&records, id, "SLEDAI", "Baseline", "ABLFL");
        assert_eq!(base["ADT"], p["baseline"]["date"]);
        assert_eq!(base["ADY0"], p["baseline"]["study_day"]);
        assert_eq!(base["AVAL"].as_f64(), p["baseline"]["sledai_2k"].as_f64());
        for (k, e) in p["endpoints"].as_array().unwrap().iter().enumerate() {
            let avisit = ["Day 90", "Day 360"][k];
            let total = find(&records, id, "SLEDAI", avisit, "ANL01FL");
            let lldas = find(&records, id, "LLDAS", avisit, "ANL01FL");
            let doris = find(&records, id, "DORIS", avisit, "ANL01FL");
            if e["endpoint"]["outcome"] == "no_visit_in_window" {
                assert_eq!(total["DTYPE"], "PHANTOM");
                assert_eq!(total["AVALRSN"], "no_visit_in_window");
                assert!(
                    total["AVAL"].is_null() && total["ADT"].is_null() && total["CHG"].is_null()
                );
                assert!(e["sri4"].is_null());
                continue;
            }
            let v = &e["endpoint"]["visit"];
            assert_eq!(total["ADT"], v["date"]);
            assert_eq!(total["ADY0"], v["study_day"]);
            // ADaM day: the study day plus one from the reference date on.
            assert_eq!(
                total["ADY"].as_i64(),
                v["study_day"].as_i64().map(|d| d + 1)
            );
            // The visit is `sledai score`'s record: an exact total, or
            // `null` with `_min` / `_max`.
            let (lo, hi) = if v["sledai_2k"].is_null() {
                (&v["sledai_2k_min"], &v["sledai_2k_max"])
            } else {
                (&v["sledai_2k"], &v["sledai_2k"])
            };
            if lo == hi {
                assert_eq!(total["AVAL"].as_f64(), lo.as_f64());
                assert_eq!(
                    total["CHG"].as_f64(),
                    v["change_from_baseline"]["absolute"].as_f64()
                );
                assert_eq!(
                    total["PCHG"].as_f64(),
                    v["change_from_baseline"]["percent"].as_f64()
                );
            } else {
                assert!(total["AVAL"].is_null());
                assert_eq!(
                    (total["AVALLO"].as_f64(), total["AVALHI"].as_f64()),
                    (lo.as_f64(), hi.as_f64())
                );
                assert_eq!(
                    total["CHGLO"].as_f64(),
                    v["change_from_baseline"]["absolute_min"].as_f64()
                );
                assert_eq!(
                    total["CHGHI"].as_f64(),
                    v["change_from_baseline"]["absolute_max"].as_f64()
                );
            }
            let sri = match e["sri4"]["state"].as_str().unwrap() {
                "met" => Value::from("Y"),
                "not_met" => Value::from("N"),
                _ => Value::Null,
            };
            assert_eq!(total["CRIT1FL"], sri);
            assert_eq!(lldas["AVAL"], state_aval(&v["lldas"]));
            assert_eq!(doris["AVAL"], state_aval(&v["doris"]));
        }
    }
}

#[test]
fn csv_and_jsonl_hold_the_same_records() {
    let out = sledai()
        .args(["adam", "examples/car_t_visits.jsonl"])
        .args(AT)
        .arg("-q")
        .assert()
        .success();
    let csv = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let records = adam_jsonl(&AT);
    // The JSON objects list the variables in the CSV header's order.
    let out = sledai()
        .args([
            "adam",
            "examples/car_t_visits.jsonl",
            "--output-format",
            "jsonl",
            "-q",
        ])
        .assert()
        .success();
    let first = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let first = first.lines().next().unwrap().to_owned();
    let positions: Vec<usize> = csv
        .lines()
        .next()
        .unwrap()
        .split(',')
        .map(|name| first.find(&format!("\"{name}\":")).unwrap())
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{first}");
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(header[..4], ["USUBJID", "PARAMCD", "PARAM", "AVAL"]);
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), records.len());
    assert_eq!(rows.len(), 30 * (6 + 5 + 3));
    for (row, r) in rows.iter().zip(&records) {
        // No field of the example holds a comma or a quote.
        let cells: Vec<&str> = row.split(',').collect();
        assert_eq!(cells.len(), header.len(), "{row}");
        let mut keys: Vec<&str> = r.as_object().unwrap().keys().map(String::as_str).collect();
        let mut names = header.clone();
        keys.sort_unstable();
        names.sort_unstable();
        assert_eq!(keys, names);
        for (name, cell) in header.iter().zip(cells) {
            match &r[*name] {
                Value::Null => assert_eq!(cell, "", "{name}"),
                Value::String(s) => assert_eq!(cell, s, "{name}"),
                Value::Number(n) => {
                    assert_eq!(cell.parse::<f64>().unwrap(), n.as_f64().unwrap(), "{name}")
                }
                other => panic!("{other}"),
            }
        }
    }
}

#[test]
fn a_window_table_gives_the_same_records_as_at_and_window() {
    let dir = tempfile::tempdir().unwrap();
    // 90 +/- 14 and 360 +/- 14 from day 0 in ADaM days: 91 (77..105) and
    // 361 (347..375).
    let table = write(
        &dir,
        "windows.csv",
        "AVISIT,AVISITN,AWTARGET,AWLO,AWHI\nDay 90,1,91,77,105\nDay 360,2,361,347,375\n",
    );
    let from_table = adam_jsonl(&["--windows", table.to_str().unwrap()]);
    assert_eq!(from_table, adam_jsonl(&AT));
    // The last record in the window instead (admiral's template): the
    // example has one visit per window, so the same records.
    assert_eq!(
        adam_jsonl(&[&AT[..], &["--analysis-selection", "last_in_window"]].concat()),
        from_table
    );
    // Day 0 does not exist in ADaM days: the error names the file, the
    // line and the column.
    let bad = write(
        &dir,
        "bad.csv",
        "AVISIT,AVISITN,AWTARGET,AWLO,AWHI\nDay 0,1,0,-7,8\n",
    );
    sledai()
        .args([
            "adam",
            "examples/car_t_visits.jsonl",
            "--windows",
            bad.to_str().unwrap(),
        ])
        .assert()
        .code(2)
        .stderr(contains("bad.csv:2"))
        .stderr(contains("AWTARGET"));
    sledai()
        .args([
            "adam",
            "examples/car_t_visits.jsonl",
            "--at",
            "90",
            "--window",
            "14",
            "--windows",
            table.to_str().unwrap(),
        ])
        .assert()
        .code(2)
        .stderr(contains("--windows FILE and --at"));
}

#[test]
fn conventions_and_codes_are_options() {
    let day_zero = adam_jsonl(
        &[
            &AT[..],
            &[
                "--ady-convention",
                "day_zero",
                "--parameter-code",
                "sledai_2k=SLEDAI2K",
            ],
        ]
        .concat(),
    );
    let by: BTreeMap<(String, String), usize> = day_zero
        .iter()
        .filter(|r| r["PARAMCD"] == "SLEDAI2K")
        .map(|r| ((r["USUBJID"].to_string(), r["ADT"].to_string()), 1))
        .collect();
    assert_eq!(by.len(), 6 + 5 + 3);
    for r in day_zero.iter().filter(|r| !r["ADY0"].is_null()) {
        assert_eq!(r["ADY"], r["ADY0"]);
    }
    sledai()
        .args([
            "adam",
            "examples/car_t_visits.jsonl",
            "--parameter-code",
            "pga=LLDAS",
        ])
        .assert()
        .code(2)
        .stderr(contains("PARAMCD"))
        .stderr(contains("LLDAS"));
    sledai()
        .args([
            "adam",
            "examples/car_t_visits.jsonl",
            "--parameter-code",
            "sledai=X",
        ])
        .assert()
        .code(2)
        .stderr(contains("sledai_2k"));
    sledai()
        .args([
            "adam",
            "examples/car_t_visits.jsonl",
            "--ady-convention",
            "sdtm",
        ])
        .assert()
        .code(2)
        .stderr(contains("day_zero"));
}

#[test]
fn the_example_csv_is_pinned() {
    // `examples/car_t_adam.csv` is the tool's CSV of the example; the
    // Python package's frames are compared with it byte for byte
    // (python/tests/test_adam.py), and tests/it/adam.rs derives its
    // SLEDAI-2K records by hand.
    let out = sledai()
        .args(["adam", "examples/car_t_visits.jsonl"])
        .args(AT)
        .arg("-q")
        .assert()
        .success();
    let pinned =
        std::fs::read_to_string(super::common::root().join("examples/car_t_adam.csv")).unwrap();
    assert_eq!(
        String::from_utf8(out.get_output().stdout.clone()).unwrap(),
        pinned
    );
}

#[test]
fn two_baselines_of_a_subject_are_an_error_naming_it() {
    // ABLFL is the timeline's one baseline: two marks stop the run before
    // any record is written, naming the patient, the field and the lines.
    let dir = tempfile::tempdir().unwrap();
    let rec = |date: &str| {
        format!(
            "{{\"patient\": \"P7\", \"date\": \"{date}\", \"present\": [], \"baseline\": true}}\n"
        )
    };
    let p = write(
        &dir,
        "two.jsonl",
        [rec("2024-01-01"), rec("2024-02-01")].concat(),
    );
    sledai()
        .args(["adam"])
        .arg(&p)
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains("patient `P7`"))
        .stderr(contains("baseline"))
        .stderr(contains("two.jsonl:1"));
}

#[test]
fn a_number_below_1e_5_is_written_alike_in_csv_and_jsonl() {
    // A dose of 2000 mg/day, then 2000 - 0.00005 (three units of the
    // dose's 1/60 microgram resolution): CHG = -0.00005 and, by hand,
    // PCHG = 100 * -0.00005 / 2000 = -2.5e-6. Both outputs write the
    // shortest decimal that reads back as that double, as JSON writes it
    // (the CSV wrote `-0.0000025` before it shared the writer of `score`).
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        &dir,
        "dose.jsonl",
        "{\"patient\": \"D1\", \"date\": \"2024-01-01\", \"present\": [\"rash\"], \"prednisone_mg_per_day\": 2000}\n\
         {\"patient\": \"D1\", \"date\": \"2024-03-31\", \"present\": [], \"prednisone_mg_per_day\": 1999.99995}\n",
    );
    let run = |format: &str| {
        let out = sledai()
            .args([
                "adam",
                "-q",
                "--at",
                "90",
                "--window",
                "14",
                "--output-format",
                format,
            ])
            .arg(&p)
            .assert()
            .success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    };
    let csv = run("csv");
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let row: Vec<&str> = csv
        .lines()
        .find(|l| l.contains(",PREDEQ,") && l.contains(",Day 90,"))
        .unwrap()
        .split(',')
        .collect();
    assert_eq!((row[col("CHG")], row[col("PCHG")]), ("-0.00005", "-2.5e-6"));
    assert_eq!(row[col("PCHG")].parse::<f64>().unwrap(), -2.5e-6);
    let jsonl = run("jsonl");
    let line = jsonl
        .lines()
        .find(|l| l.contains("\"PREDEQ\"") && l.contains("\"Day 90\""))
        .unwrap();
    assert!(line.contains("\"CHG\":-0.00005,"), "{line}");
    assert!(line.contains("\"PCHG\":-2.5e-6,"), "{line}");
}
