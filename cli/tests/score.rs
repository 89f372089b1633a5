//! `sledai score`: formats, golden outputs, every error path and exit code.
//!
//! Expected totals are the hand-computed golden files (see
//! `tests/golden/README.md`) or sums of weights from the clinical reference
//! (section 1.2) written out in each test.

#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::PathBuf;

use assert_cmd::Command;
use predicates::prelude::*;
use predicates::str::contains;

fn sledai() -> Command {
    Command::new(env!("CARGO_BIN_EXE_sledai"))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn golden(name: &str) -> String {
    fs::read_to_string(root().join("cli/tests/golden").join(name)).unwrap()
}

/// The 24 identifiers in form order (clinical reference section 1.2).
const IDS: [&str; 24] = [
    "seizure",
    "psychosis",
    "organic_brain_syndrome",
    "visual_disturbance",
    "cranial_nerve_disorder",
    "lupus_headache",
    "cva",
    "vasculitis",
    "arthritis",
    "myositis",
    "urinary_casts",
    "hematuria",
    "proteinuria",
    "pyuria",
    "rash",
    "alopecia",
    "mucosal_ulcers",
    "pleurisy",
    "pericarditis",
    "low_complement",
    "increased_dna_binding",
    "fever",
    "thrombocytopenia",
    "leukopenia",
];

/// A CSV with `extra` leading columns and one row per `(lead cells, descriptor cells)`.
fn csv_file(
    dir: &tempfile::TempDir,
    name: &str,
    lead: &[&str],
    rows: &[(&[&str], [&str; 24])],
) -> PathBuf {
    let mut s = String::new();
    let header: Vec<&str> = lead.iter().copied().chain(IDS).collect();
    s.push_str(&header.join(","));
    s.push('\n');
    for (l, d) in rows {
        let cells: Vec<&str> = l.iter().copied().chain(d.iter().copied()).collect();
        s.push_str(&cells.join(","));
        s.push('\n');
    }
    let p = dir.path().join(name);
    fs::write(&p, s).unwrap();
    p
}

fn file(dir: &tempfile::TempDir, name: &str, content: &[u8]) -> PathBuf {
    let p = dir.path().join(name);
    fs::write(&p, content).unwrap();
    p
}

// ------------------------------------------------------------------ golden

#[test]
fn golden_jsonl_to_jsonl() {
    sledai()
        .current_dir(root())
        .args(["score", "examples/visits.jsonl"])
        .assert()
        .success()
        .stdout(golden("visits.out.jsonl"))
        .stderr(contains("6 records read, 6 scored, 0 failed"));
}

#[test]
fn golden_jsonl_to_csv() {
    sledai()
        .current_dir(root())
        .args(["score", "examples/visits.jsonl", "--output-format", "csv"])
        .assert()
        .success()
        .stdout(golden("visits.out.csv"));
}

#[test]
fn golden_csv_to_jsonl() {
    sledai()
        .current_dir(root())
        .args(["score", "examples/visits.csv"])
        .assert()
        .success()
        .stdout(golden("visits.out.jsonl"));
}

#[test]
fn golden_csv_to_csv() {
    sledai()
        .current_dir(root())
        .args(["score", "examples/visits.csv", "--output-format", "csv"])
        .assert()
        .success()
        .stdout(golden("visits.out.csv"));
}

#[test]
fn stdin_needs_format_and_then_works() {
    let input = fs::read(root().join("examples/visits.csv")).unwrap();
    sledai()
        .args(["score", "-"])
        .write_stdin(input.clone())
        .assert()
        .code(2)
        .stderr(contains("--format"));
    sledai()
        .args(["score", "--format", "csv"])
        .write_stdin(input)
        .assert()
        .success()
        .stdout(golden("visits.out.jsonl"));
}

#[test]
fn format_flag_overrides_extension_and_unknown_extension_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let jsonl = fs::read(root().join("examples/visits.jsonl")).unwrap();
    let p = file(&dir, "visits.txt", &jsonl);
    sledai()
        .arg("score")
        .arg(&p)
        .assert()
        .code(2)
        .stderr(contains("visits.txt"));
    sledai()
        .arg("score")
        .arg(&p)
        .args(["--format", "jsonl"])
        .assert()
        .success()
        .stdout(golden("visits.out.jsonl"));
}

#[test]
fn output_file_option() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("scores.csv");
    sledai()
        .current_dir(root())
        .args([
            "score",
            "examples/visits.jsonl",
            "--output-format",
            "csv",
            "-o",
        ])
        .arg(&out)
        .assert()
        .success()
        .stdout("");
    assert_eq!(fs::read_to_string(out).unwrap(), golden("visits.out.csv"));
}

#[test]
fn quiet_has_no_summary() {
    sledai()
        .current_dir(root())
        .args(["score", "examples/visits.jsonl", "-q"])
        .assert()
        .success()
        .stderr("");
}

#[test]
fn missing_file_is_exit_2() {
    sledai()
        .args(["score", "/nonexistent/visits.jsonl"])
        .assert()
        .code(2)
        .stderr(contains("cannot open `/nonexistent/visits.jsonl`"));
}

// --------------------------------------------------------- JSON semantics

#[test]
fn descriptors_object_missing_and_null_are_not_assessed_never_absent() {
    // Section 1.1 and 8: a missing item is not absent. Only rash assessed
    // present (2): the total can be anything from 2 to 105.
    sledai()
        .args(["score", "--format", "jsonl"])
        .write_stdin(r#"{"descriptors":{"rash":true,"fever":null}}"#)
        .assert()
        .success()
        .stdout(contains(
            r#""sledai_2k":null,"sledai_2k_min":2,"sledai_2k_max":105"#,
        ))
        .stdout(contains(
            r#""clinical_sledai_2k":null,"clinical_sledai_2k_min":2,"clinical_sledai_2k_max":101"#,
        ));
}

#[test]
fn all_24_present_score_105_and_clinical_101() {
    // 8x8 + 6x4 + 7x2 + 3x1 = 105; without the two serology items (2+2) 101.
    let line = format!(
        r#"{{"present":[{}]}}"#,
        IDS.map(|i| format!("\"{i}\"")).join(",")
    );
    sledai()
        .args(["score", "--format", "jsonl"])
        .write_stdin(line)
        .assert()
        .success()
        .stdout("{\"sledai_2k\":105,\"clinical_sledai_2k\":101}\n");
}

#[test]
fn optional_fields_are_accepted() {
    let line = r#"{"id":"x","patient":"p","date":"2024-01-01","present":["fever"],"pga":0.5,"glucocorticoids":[{"drug":"prednisolone","mg_per_day":5}],"hemolytic_anemia":false,"gastrointestinal_activity":false,"maintenance_tolerated":true,"investigational_drug":false,"new_activity":null,"baseline":true}"#;
    sledai()
        .args(["score", "--format", "jsonl"])
        .write_stdin(line)
        .assert()
        .success()
        .stdout("{\"id\":\"x\",\"patient\":\"p\",\"date\":\"2024-01-01\",\"sledai_2k\":1,\"clinical_sledai_2k\":1}\n");
}

#[test]
fn measurements_are_accepted_with_a_warning() {
    sledai()
        .args(["score", "--format", "jsonl"])
        .write_stdin(r#"{"present":[],"measurements":{"platelets":{"value":80,"unit":"10^9/L"}}}"#)
        .assert()
        .success()
        .stderr(contains("warning: 1 record(s) have `measurements`"));
}

#[test]
fn strings_are_escaped_in_the_output() {
    sledai()
        .args(["score", "--format", "jsonl"])
        .write_stdin("{\"id\":\"a\\\"b\\n\u{e9}\",\"present\":[]}")
        .assert()
        .success()
        .stdout("{\"id\":\"a\\\"b\\n\u{e9}\",\"sledai_2k\":0,\"clinical_sledai_2k\":0}\n");
}

#[test]
fn blank_lines_and_crlf_are_not_records() {
    sledai()
        .args(["score", "--format", "jsonl"])
        .write_stdin("{\"present\":[\"rash\"]}\r\n\r\n   \n{\"present\":[]}\n")
        .assert()
        .success()
        .stdout("{\"sledai_2k\":2,\"clinical_sledai_2k\":2}\n{\"sledai_2k\":0,\"clinical_sledai_2k\":0}\n")
        .stderr(contains("2 records read, 2 scored, 0 failed"));
}

#[test]
fn empty_input_is_zero_records() {
    sledai()
        .args(["score", "--format", "jsonl"])
        .write_stdin("")
        .assert()
        .success()
        .stdout("")
        .stderr(contains("0 records read"));
}

// ------------------------------------------------------------ JSON errors

/// Each bad JSON record: exit 2, a message naming file, line, field and value.
#[test]
fn bad_json_records_stop_with_exit_2_naming_line_field_and_value() {
    let cases: [(&str, &[&str]); 13] = [
        (
            r#"{"present":["rsh"]}"#,
            &["field `present`", "`rsh`", "did you mean `rash`"],
        ),
        (
            r#"{"descriptors":{"feverr":true}}"#,
            &["field `descriptors`", "`feverr`"],
        ),
        (
            r#"{"date":"2024-13-01","present":[]}"#,
            &["field `date`", "`2024-13-01`"],
        ),
        (
            r#"{"date":"01/02/2024","present":[]}"#,
            &["field `date`", "`01/02/2024`"],
        ),
        (r#"{"pga":3.5,"present":[]}"#, &["field `pga`", "3.5"]),
        (r#"{"pga":-0.1,"present":[]}"#, &["field `pga`", "-0.1"]),
        (
            r#"{"prednisone_mg_per_day":-5,"present":[]}"#,
            &["field `prednisone_mg_per_day`", "-5"],
        ),
        (
            r#"{"glucocorticoids":[{"drug":"prednisone","mg_per_day":-2.5}],"present":[]}"#,
            &["field `glucocorticoids`", "-2.5"],
        ),
        (
            r#"{"baseline":"yes","present":[]}"#,
            &["field `baseline`", "\"yes\""],
        ),
        (r#"{"presnt":[]}"#, &["unknown field `presnt`"]),
        (
            r#"{"present":["rash","rash"]}"#,
            &["field `present`", "`rash`"],
        ),
        (
            r#"{"present":[],"descriptors":{}}"#,
            &["exactly one of `present` and `descriptors`"],
        ),
        (r#"{"id":"a"}"#, &["needs `present`"]),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (record, needles) in cases {
        let content = format!("{{\"present\":[]}}\n{record}\n{{\"present\":[]}}\n");
        let p = file(&dir, "bad.jsonl", content.as_bytes());
        let mut assert = sledai().arg("score").arg(&p).assert().code(2);
        let expected_loc = format!("{}:2:", p.display());
        assert = assert.stderr(contains(expected_loc));
        for n in needles {
            assert = assert.stderr(contains(*n));
        }
        // The record before the bad one was written, nothing after it.
        assert
            .stdout("{\"sledai_2k\":0,\"clinical_sledai_2k\":0}\n")
            .stderr(contains("2 records read, 1 scored, 1 failed"));
    }
}

#[test]
fn malformed_json_and_invalid_utf8_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let p = file(&dir, "m.jsonl", b"{\"present\":[\"rash\"\n");
    sledai()
        .arg("score")
        .arg(&p)
        .assert()
        .code(2)
        .stderr(contains(":1:").and(contains("malformed JSON")));
    let p = file(&dir, "u.jsonl", b"{\"id\":\"a\xff\",\"present\":[]}\n");
    sledai()
        .arg("score")
        .arg(&p)
        .assert()
        .code(2)
        .stderr(contains("u.jsonl:1: invalid UTF-8: byte 0xff at column 9"));
    let p = file(&dir, "n.jsonl", b"[1,2]\n42\n");
    sledai()
        .arg("score")
        .arg(&p)
        .assert()
        .code(2)
        .stderr(contains("n.jsonl:1").and(contains("expected a visit record")));
}

#[test]
fn on_error_report_keeps_every_row_and_exits_1() {
    let input = concat!(
        "{\"id\":\"a\",\"present\":[\"arthritis\"]}\n",
        "{\"id\":\"b\",\"present\":[\"rsh\"]}\n",
        "not json\n",
        "{\"id\":\"d\",\"patient\":\"P\",\"pga\":3.5,\"present\":[]}\n",
        "{\"id\":\"e\",\"present\":[\"fever\"]}\n",
    );
    let out = sledai()
        .args(["score", "-", "--format", "jsonl", "--on-error", "report"])
        .write_stdin(input)
        .assert()
        .code(1)
        .stderr(contains("5 records read, 2 scored, 3 failed"))
        .get_output()
        .stdout
        .clone();
    let lines: Vec<serde_json::Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5, "one output record per input record");
    assert_eq!(lines[0]["sledai_2k"], 4); // arthritis
    assert_eq!(lines[1]["id"], "b");
    assert!(lines[1]["error"].as_str().unwrap().contains("<stdin>:2:"));
    assert!(lines[1]["error"].as_str().unwrap().contains("`rsh`"));
    assert!(lines[1].get("sledai_2k").is_none());
    assert!(lines[2]["error"].as_str().unwrap().contains("<stdin>:3:"));
    assert_eq!(lines[3]["id"], "d");
    assert_eq!(lines[3]["patient"], "P");
    assert!(lines[3]["error"].as_str().unwrap().contains("3.5"));
    assert_eq!(lines[4]["sledai_2k"], 1); // fever
}

#[test]
fn on_error_report_in_csv_output_fills_the_error_column() {
    sledai()
        .args(["score", "-", "--format", "jsonl", "--on-error", "report", "--output-format", "csv"])
        .write_stdin("{\"id\":\"b\",\"present\":[\"rsh\"]}\n")
        .assert()
        .code(1)
                // The message has a comma, so the CSV writer quotes it.
        .stdout(contains("b,,,,,,,,,,\"<stdin>:1:26: field `present`: unknown descriptor `rsh`, did you mean `rash`?\"\n"));
}

#[test]
fn allow_extra_columns_is_csv_only() {
    sledai()
        .current_dir(root())
        .args(["score", "examples/visits.jsonl", "--allow-extra-columns"])
        .assert()
        .code(2)
        .stderr(contains("CSV input only"));
}

// ------------------------------------------------------------------- CSV

const ZEROS: [&str; 24] = ["0"; 24];

#[test]
fn csv_values_are_case_insensitive_and_empty_is_not_assessed() {
    let dir = tempfile::tempdir().unwrap();
    let mut d = ZEROS;
    d[0] = "TRUE"; // seizure 8
    d[8] = "Yes"; // arthritis 4
    d[14] = " 1 "; // rash 2
    d[15] = "no";
    d[16] = "False";
    d[21] = ""; // fever not assessed (1)
    let p = csv_file(&dir, "v.csv", &["id"], &[(&["r1"], d)]);
    sledai()
        .arg("score")
        .arg(&p)
        .assert()
        .success()
        .stdout("{\"id\":\"r1\",\"sledai_2k\":null,\"sledai_2k_min\":14,\"sledai_2k_max\":15,\"clinical_sledai_2k\":null,\"clinical_sledai_2k_min\":14,\"clinical_sledai_2k_max\":15,\"missing\":[\"fever\"]}\n");
}

#[test]
fn csv_columns_may_come_in_any_order_and_a_bom_is_ignored() {
    let mut ids: Vec<&str> = IDS.to_vec();
    ids.reverse();
    // leukopenia (first column now, weight 1) and seizure (last, 8) present.
    let mut row = vec!["1"];
    row.extend(["0"; 22]);
    row.push("1");
    let content = format!(
        "\u{feff}{},date\n{},2024-02-29\n",
        ids.join(","),
        row.join(",")
    );
    let dir = tempfile::tempdir().unwrap();
    let p = file(&dir, "r.csv", content.as_bytes());
    sledai()
        .arg("score")
        .arg(&p)
        .assert()
        .success()
        .stdout("{\"date\":\"2024-02-29\",\"sledai_2k\":9,\"clinical_sledai_2k\":9}\n");
}

#[test]
fn csv_bad_cells_stop_with_exit_2_naming_line_column_and_value() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&[&str], usize, &str, &[&str]); 7] = [
        (
            &["a", "2024-01-01", "1", "5"],
            14,
            "maybe",
            &["field `rash`", "`maybe`"],
        ),
        (
            &["a", "2024-01-01", "1", "5"],
            21,
            "NA",
            &["field `fever`", "`NA`"],
        ),
        (
            &["a", "2024-1-1", "1", "5"],
            0,
            "0",
            &["field `date`", "`2024-1-1`"],
        ),
        (
            &["a", "2024-01-01", "3.5", "5"],
            0,
            "0",
            &["field `pga`", "3.5"],
        ),
        (
            &["a", "2024-01-01", "NaN", "5"],
            0,
            "0",
            &["field `pga`", "NaN"],
        ),
        (
            &["a", "2024-01-01", "1", "-5"],
            0,
            "0",
            &["field `prednisone_mg_per_day`", "-5"],
        ),
        (
            &["a", "2024-01-01", "1", "ten"],
            0,
            "0",
            &["field `prednisone_mg_per_day`", "`ten`"],
        ),
    ];
    for (lead, col, value, needles) in cases {
        let mut d = ZEROS;
        d[col] = value;
        let p = csv_file(
            &dir,
            "bad.csv",
            &["id", "date", "pga", "prednisone_mg_per_day"],
            &[(&["ok", "2024-01-01", "", ""], ZEROS), (lead, d)],
        );
        let mut a = sledai()
            .arg("score")
            .arg(&p)
            .assert()
            .code(2)
            .stdout("{\"id\":\"ok\",\"date\":\"2024-01-01\",\"sledai_2k\":0,\"clinical_sledai_2k\":0}\n")
            .stderr(contains(format!("{}:3: ", p.display())));
        for n in needles {
            a = a.stderr(contains(*n));
        }
    }
}

#[test]
fn csv_wrong_field_count_is_an_error_and_reported_rows_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let header = IDS.join(",");
    let good = ZEROS.join(",");
    let content = format!("{header}\n{good}\n{good},1\n0,0\n{good}\n");
    let p = file(&dir, "c.csv", content.as_bytes());
    sledai()
        .arg("score")
        .arg(&p)
        .assert()
        .code(2)
        .stderr(contains(
            "c.csv:3: expected 24 fields as in the header, found 25",
        ));
    let out = sledai()
        .arg("score")
        .arg(&p)
        .args(["--on-error", "report"])
        .assert()
        .code(1)
        .stderr(contains("4 records read, 2 scored, 2 failed"))
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4);
    assert!(lines[1].contains("c.csv:3: expected 24 fields"));
    assert!(lines[2].contains("c.csv:4: expected 24 fields as in the header, found 2"));
}

#[test]
fn csv_invalid_utf8_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut content = format!("id,{}\n", IDS.join(",")).into_bytes();
    content.extend_from_slice(b"a\xfe,");
    content.extend_from_slice(ZEROS.join(",").as_bytes());
    content.push(b'\n');
    let p = file(&dir, "u.csv", &content);
    sledai()
        .arg("score")
        .arg(&p)
        .assert()
        .code(2)
        .stderr(contains(
            "u.csv:2: field `id`: value `a\u{fffd}` is not valid UTF-8",
        ));
}

#[test]
fn csv_header_errors() {
    let dir = tempfile::tempdir().unwrap();
    // A descriptor column missing: named, whatever --on-error says.
    let some: Vec<&str> = IDS
        .iter()
        .copied()
        .filter(|i| *i != "pyuria" && *i != "cva")
        .collect();
    let p = file(&dir, "m.csv", format!("{}\n", some.join(",")).as_bytes());
    sledai()
        .arg("score")
        .arg(&p)
        .args(["--on-error", "report"])
        .assert()
        .code(2)
        .stderr(contains(
            "m.csv:1: 2 of the 24 descriptor columns missing: cva, pyuria",
        ));
    // Unknown column: error with a suggestion, unless --allow-extra-columns.
    let p = file(
        &dir,
        "x.csv",
        format!(
            "{},feverr,site\n{},1,Oslo\n",
            IDS.join(","),
            ZEROS.join(",")
        )
        .as_bytes(),
    );
    sledai()
        .arg("score")
        .arg(&p)
        .assert()
        .code(2)
        .stderr(contains("unknown column `feverr`, did you mean `fever`?"));
    sledai()
        .arg("score")
        .arg(&p)
        .arg("--allow-extra-columns")
        .assert()
        .success()
        .stdout("{\"sledai_2k\":0,\"clinical_sledai_2k\":0}\n");
    // A repeated column.
    let p = file(
        &dir,
        "d.csv",
        format!("{},rash\n", IDS.join(",")).as_bytes(),
    );
    sledai()
        .arg("score")
        .arg(&p)
        .assert()
        .code(2)
        .stderr(contains("column `rash` appears more than once"));
    // JSON-only fields.
    let p = file(
        &dir,
        "j.csv",
        format!("{},present\n", IDS.join(",")).as_bytes(),
    );
    sledai()
        .arg("score")
        .arg(&p)
        .assert()
        .code(2)
        .stderr(contains("`present` is JSON Lines only"));
    // No header at all.
    let p = file(&dir, "e.csv", b"");
    sledai()
        .arg("score")
        .arg(&p)
        .assert()
        .code(2)
        .stderr(contains("empty CSV file"));
}

#[test]
fn csv_flags_accept_booleans() {
    let dir = tempfile::tempdir().unwrap();
    let lead = [
        "hemolytic_anemia",
        "gastrointestinal_activity",
        "maintenance_tolerated",
        "investigational_drug",
        "new_activity",
        "baseline",
    ];
    let p = csv_file(
        &dir,
        "f.csv",
        &lead,
        &[(&["no", "0", "yes", "false", "", "TRUE"], ZEROS)],
    );
    sledai().arg("score").arg(&p).assert().success();
    let p = csv_file(
        &dir,
        "g.csv",
        &lead,
        &[(&["no", "0", "yes", "false", "", "maybe"], ZEROS)],
    );
    sledai()
        .arg("score")
        .arg(&p)
        .assert()
        .code(2)
        .stderr(contains("g.csv:2: field `baseline`: invalid value `maybe`"));
}
