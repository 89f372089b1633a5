//! Visit tables at the command line: the core's header rule (`--rename`,
//! aliases, every problem in one error, near misses never ignored), the
//! boolean cell grammar and undated records, on a REDCap-like export
//! (`examples/redcap_export.csv`: UTF-8 BOM, CRLF, `patient_id`,
//! `visit_date`, `PGA`, `Prednisone`, `Yes`/`No`/blank cells).

#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::PathBuf;

use assert_cmd::Command;
use predicates::prelude::*;
use predicates::str::contains;

fn sledai() -> Command {
    Command::cargo_bin("sledai").unwrap()
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

const EXPORT: &str = "examples/redcap_export.csv";

const RENAMES: [&str; 8] = [
    "--rename",
    "patient_id=patient",
    "--rename",
    "visit_date=date",
    "--rename",
    "PGA=pga",
    "--rename",
    "Prednisone=prednisone_mg_per_day",
];

#[test]
fn a_redcap_export_scores_through_renames() {
    let golden =
        fs::read_to_string(root().join("cli/tests/golden/redcap_export.score.csv")).unwrap();
    let out = sledai()
        .current_dir(root())
        .args(["score", EXPORT, "--output-format", "csv", "--allow-extra-columns"])
        .args(RENAMES)
        .assert()
        .success()
        .stderr(contains(
            "sledai: examples/redcap_export.csv: ignoring 1 column that is not a visit field: `redcap_event_name`\n",
        ))
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert_eq!(out, golden);
    // Hand-checked: P1 baseline 10 (arthritis 4, rash 2, complement 2,
    // anti-dsDNA 2), then 4 (serology only): change -6; `Yes`/`No` read.
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[1].starts_with(",P1,2024-01-15,10,,,6,"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].starts_with(",P1,2024-04-12,4,,,0,"),
        "{}",
        lines[2]
    );
    assert!(lines[2].contains(",2024-01-15,-6,,,-60.0,"), "{}", lines[2]);
    // P2's second visit: pyuria blank, not assessed: a range.
    assert!(
        lines[5].starts_with(",P2,2024-05-03,,4,8,,4,8,pyuria,"),
        "{}",
        lines[5]
    );
}

#[test]
fn undated_records_get_no_change_from_baseline() {
    let out = sledai()
        .current_dir(root())
        .args(["score", EXPORT, "--allow-extra-columns"])
        .args(RENAMES)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let last: serde_json::Value =
        serde_json::from_str(String::from_utf8(out).unwrap().lines().last().unwrap()).unwrap();
    assert_eq!(last["sledai_2k"], 2);
    assert_eq!(last.get("date"), None);
    assert_eq!(last.get("patient"), None);
    assert_eq!(last.get("change_from_baseline"), None, "{last}");
    assert_eq!(last.get("baseline_date"), None, "{last}");
}

/// A patient's record without a `date` cannot be placed in time
/// (docs/cli.md): no change from baseline, no baseline date, and it is
/// neither the patient's baseline nor anyone's previous visit; in a cohort
/// it is an error naming its line.
#[test]
fn a_patients_undated_record_gets_no_change_from_baseline() {
    // Baseline: rash (2) + arthritis (4) = 6. The undated record: nothing
    // present (0). The third record: rash (2), so -4 against the baseline
    // (and not against the undated record's 0).
    let input = concat!(
        r#"{"patient": "P1", "date": "2024-01-01", "present": ["rash", "arthritis"]}"#,
        "\n",
        r#"{"patient": "P1", "present": []}"#,
        "\n",
        r#"{"patient": "P1", "date": "2024-02-01", "present": ["rash"]}"#,
        "\n",
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.jsonl");
    fs::write(&path, input).unwrap();
    let out = sledai().arg("score").arg(&path).assert().success();
    let lines: Vec<serde_json::Value> = String::from_utf8(out.get_output().stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[1]["sledai_2k"], 0);
    assert_eq!(lines[1].get("change_from_baseline"), None, "{}", lines[1]);
    assert_eq!(lines[1].get("baseline_date"), None, "{}", lines[1]);
    assert_eq!(lines[2]["change_from_baseline"]["absolute"], -4);
    assert_eq!(lines[2]["baseline_date"], "2024-01-01");
    // In a cohort every visit needs a date: an error naming the line.
    sledai()
        .arg("cohort")
        .arg(&path)
        .assert()
        .code(2)
        .stderr(contains("v.jsonl:2").and(contains("date")));
}

#[test]
fn every_header_problem_in_one_error() {
    sledai()
        .current_dir(root())
        .args(["score", EXPORT])
        .assert()
        .code(2)
        .stderr(contains(
            "error: examples/redcap_export.csv:1: 5 problems with the header: \
             column `patient_id` is not a visit column: rename `patient_id` to `patient`; \
             column `visit_date` is not a visit column: rename `visit_date` to `date`; \
             unknown column `redcap_event_name`; \
             column `PGA` is not a visit column: rename `PGA` to `pga`; \
             column `Prednisone` is not a visit column: rename `Prednisone` to `prednisone_mg_per_day` \
             (use --rename patient_id=patient --rename visit_date=date --rename PGA=pga --rename Prednisone=prednisone_mg_per_day) \
             (use --allow-extra-columns to ignore columns that are not visit fields)\n",
        ));
}

#[test]
fn near_misses_are_never_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let ids: Vec<String> = sledai::Descriptor::ALL
        .iter()
        .map(|d| d.id().to_owned())
        .collect();
    for (column, target) in [
        ("Patient", "patient"),
        ("patient_id", "patient"),
        ("PGA", "pga"),
        ("Prednisone", "prednisone_mg_per_day"),
    ] {
        let p = dir.path().join("n.csv");
        let zeros = vec!["0"; 24].join(",");
        fs::write(&p, format!("{column},{}\n1,{zeros}\n", ids.join(","))).unwrap();
        for extra in [false, true] {
            let mut cmd = sledai();
            cmd.arg("score").arg(&p);
            if extra {
                cmd.arg("--allow-extra-columns");
            }
            cmd.assert()
                .code(2)
                .stdout(predicate::str::is_empty())
                .stderr(contains(format!(
                    "column `{column}` is not a visit column: rename `{column}` to `{target}` (use --rename {column}={target})"
                )));
        }
        sledai()
            .arg("score")
            .arg(&p)
            .arg("--rename")
            .arg(format!("{column}={target}"))
            .assert()
            .success();
    }
}

#[test]
fn renames_are_checked() {
    // A malformed value is a usage error; a rename of a column the file
    // does not have is a header problem; renames are for CSV only.
    for bad in ["patient", "=patient", "patient_id="] {
        sledai()
            .current_dir(root())
            .args(["score", EXPORT, "--rename", bad])
            .assert()
            .code(2)
            .stderr(contains("expected OLD=NEW"));
    }
    sledai()
        .current_dir(root())
        .args([
            "cohort",
            EXPORT,
            "--at",
            "90",
            "--window",
            "14",
            "--allow-extra-columns",
        ])
        .args(RENAMES)
        .args(["--rename", "site=centre"])
        .assert()
        .code(2)
        .stderr(contains(
            "rename `site` to `centre`: the header has no column `site`",
        ));
    sledai()
        .current_dir(root())
        .args(["score", "examples/visits.jsonl", "--rename", "a=b"])
        .assert()
        .code(2)
        .stderr(contains("--rename applies to CSV input only"));
}

#[test]
fn cohort_takes_the_same_renames() {
    sledai()
        .current_dir(root())
        .args([
            "cohort",
            "examples/redcap_export.csv",
            "--at",
            "90",
            "--window",
            "14",
            "--output-format",
            "csv",
            "--allow-extra-columns",
        ])
        .args(RENAMES)
        .assert()
        .code(2)
        // The undated row: a cohort needs a date on every visit.
        .stderr(contains("a cohort needs `patient` on every visit"));
}
