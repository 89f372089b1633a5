//! `--layout` and `--mapping`: the CAR-T example cohort as a long
//! (SDTM-like) table and as a REDCap export gives exactly the output of the
//! JSON Lines records (`examples/car_t_visits.jsonl`), for `score`,
//! `cohort` and `adam`, in both output formats; bad rows stop the run naming the row,
//! the column, the code and the mapping entry.

#![allow(clippy::unwrap_used)]

use crate::common::{sledai_at_root, write};

const LONG: [&str; 4] = [
    "examples/car_t_long.csv",
    "--layout",
    "long",
    "--mapping=examples/car_t_long.mapping.json",
];
const REDCAP: [&str; 4] = [
    "examples/car_t_redcap.csv",
    "--layout",
    "redcap",
    "--mapping=examples/car_t_redcap.mapping.json",
];

fn run(args: &[&str]) -> Vec<u8> {
    let out = sledai_at_root().args(args).arg("-q").output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn same_as_jsonl(command: &[&str]) {
    let mut reference = command.to_vec();
    reference.insert(1, "examples/car_t_visits.jsonl");
    let expected = run(&reference);
    assert!(!expected.is_empty());
    for layout in [LONG, REDCAP] {
        let mut args = command.to_vec();
        for (i, a) in layout.iter().enumerate() {
            args.insert(1 + i, a);
        }
        let got = run(&args);
        assert_eq!(
            String::from_utf8_lossy(&got),
            String::from_utf8_lossy(&expected),
            "{args:?}"
        );
    }
}

#[test]
fn score_of_the_long_table_and_the_redcap_export_equals_the_json_lines() {
    same_as_jsonl(&["score"]);
    same_as_jsonl(&["score", "--output-format", "csv"]);
    // 13 visits, the number of records of the JSON Lines file.
    let lines = run(&["score", LONG[0], LONG[1], LONG[2], LONG[3]]);
    assert_eq!(lines.iter().filter(|b| **b == b'\n').count(), 13);
}

#[test]
fn cohort_of_the_long_table_and_the_redcap_export_equals_the_json_lines() {
    same_as_jsonl(&["cohort", "--at", "90", "--at", "360", "--window", "14"]);
    same_as_jsonl(&[
        "cohort",
        "--at",
        "90",
        "--window",
        "30",
        "--output-format",
        "csv",
    ]);
}

#[test]
fn adam_of_the_long_table_and_the_redcap_export_equals_the_json_lines() {
    // The statistician's path: a long export or a REDCap export to the
    // ADaM dataset in one command, the same bytes as from the records
    // (and as `examples/car_t_adam.csv`, checked in adam.rs).
    same_as_jsonl(&["adam", "--at", "90", "--at", "360", "--window", "14"]);
    same_as_jsonl(&[
        "adam",
        "--at",
        "90",
        "--window",
        "14",
        "--output-format",
        "jsonl",
    ]);
    let csv = run(&[
        "adam", LONG[0], LONG[1], LONG[2], LONG[3], "--at", "90", "--at", "360", "--window", "14",
    ]);
    let golden = std::fs::read(crate::common::root().join("examples/car_t_adam.csv")).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&csv),
        String::from_utf8_lossy(&golden)
    );
}

#[test]
fn a_bad_row_stops_the_run_naming_row_column_code_and_entry() {
    let dir = tempfile::tempdir().unwrap();
    let long = std::fs::read_to_string(crate::common::root().join(LONG[0])).unwrap();
    // Line 6 of the file is SLEDAI05 of the first visit.
    let bad = long.replacen("SLEDAI05,N", "SLEDAI05,MAYBE", 1);
    let path = write(&dir, "bad.csv", bad);
    let out = sledai_at_root()
        .args([
            "score",
            path.to_str().unwrap(),
            "--mapping",
            "examples/car_t_long.mapping.json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(":6: row 6, column `QSORRES`, code `SLEDAI05`, mapping entry `long.tests.SLEDAI05`: invalid value `MAYBE`: expected 1, 0, true, false, yes, no, y or n, or an empty cell, NA or null (not recorded)"),
        "{stderr}"
    );
    // A conflicting duplicate: line 2's row again with the other answer.
    let first = long.lines().nth(1).unwrap();
    let conflicting = first.replace(",N", ",Y");
    let path = write(&dir, "dup.csv", format!("{long}{conflicting}\n"));
    let out = sledai_at_root()
        .args([
            "cohort",
            path.to_str().unwrap(),
            "--at",
            "90",
            "--window",
            "14",
            "--mapping",
            "examples/car_t_long.mapping.json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let last = long.lines().count() + 1;
    assert!(
        stderr.contains(&format!(
            "rows 2 and {last}, column `QSORRES`, code `SLEDAI01`"
        )),
        "{stderr}"
    );
    // A REDCap label export: `Checked` is no checkbox value.
    let redcap = std::fs::read_to_string(crate::common::root().join(REDCAP[0])).unwrap();
    let mut lines: Vec<String> = redcap.lines().map(str::to_owned).collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    let at = header.iter().position(|c| *c == "sledai___9").unwrap();
    let mut cells: Vec<String> = lines[1].split(',').map(str::to_owned).collect();
    cells[at] = "Checked".to_owned();
    lines[1] = cells.join(",");
    let path = write(&dir, "labels.csv", lines.join("\n"));
    let out = sledai_at_root()
        .args([
            "score",
            path.to_str().unwrap(),
            "--mapping",
            "examples/car_t_redcap.mapping.json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(":2: row 2, column `sledai___9`, code `9`, mapping entry `redcap.checkboxes.sledai.codes.9`: checkbox value `Checked`"),
        "{stderr}"
    );
}

#[test]
fn layout_and_mapping_are_checked_against_each_other_and_the_input() {
    let out = sledai_at_root()
        .args(["score", LONG[0], "--layout", "long"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--layout long needs --mapping FILE"));
    let out = sledai_at_root()
        .args(["score", LONG[0], "--layout", "redcap", LONG[3]])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("the mapping reads a long table, not a redcap one")
    );
    let out = sledai_at_root()
        .args(["score", "examples/car_t_visits.jsonl", LONG[3]])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("apply to CSV input only"));
    // A wide mapping is renames only: the REDCap-style wide export reads
    // with it exactly as with --rename.
    let dir = tempfile::tempdir().unwrap();
    let m = write(
        &dir,
        "wide.json",
        r#"{"rename": {"patient_id": "patient", "visit_date": "date", "PGA": "pga", "Prednisone": "prednisone_mg_per_day"}}"#,
    );
    let with_mapping = run(&[
        "score",
        "examples/redcap_export.csv",
        "--allow-extra-columns",
        "--mapping",
        m.to_str().unwrap(),
    ]);
    let with_rename = run(&[
        "score",
        "examples/redcap_export.csv",
        "--allow-extra-columns",
        "--rename=patient_id=patient",
        "--rename=visit_date=date",
        "--rename=PGA=pga",
        "--rename=Prednisone=prednisone_mg_per_day",
    ]);
    assert_eq!(with_mapping, with_rename);
}

#[test]
fn extra_columns_of_a_long_table_are_named_or_refused() {
    let dir = tempfile::tempdir().unwrap();
    let long = std::fs::read_to_string(crate::common::root().join(LONG[0])).unwrap();
    // A STUDYID column in front, as SDTM has.
    let with_study: String = long
        .lines()
        .enumerate()
        .map(|(i, l)| format!("{},{l}\n", if i == 0 { "STUDYID" } else { "IM19" }))
        .collect();
    let path = write(&dir, "study.csv", with_study);
    let path = path.to_str().unwrap();
    let out = sledai_at_root()
        .args(["score", path, LONG[3]])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("unknown column `STUDYID`"), "{stderr}");
    assert!(stderr.contains("--allow-extra-columns"), "{stderr}");
    let out = sledai_at_root()
        .args(["score", path, LONG[3], "--allow-extra-columns"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("ignoring 1 column that is not a visit field: `STUDYID`"),
        "{stderr}"
    );
    assert_eq!(out.stdout, run(&["score", "examples/car_t_visits.jsonl"]));
}
