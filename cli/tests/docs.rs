//! docs/cli.md agrees with the program: the documented CSV header and the
//! documented output of the example file are what the tool writes
//! (clinical reference section 8: documentation that contradicts the code).

#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::PathBuf;

use assert_cmd::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn documented_outputs_are_the_real_outputs() {
    let doc = fs::read_to_string(root().join("docs/cli.md")).unwrap();
    let jsonl = Command::new(env!("CARGO_BIN_EXE_sledai"))
        .current_dir(root())
        .args(["score", "examples/visits.jsonl", "-q"])
        .output()
        .unwrap();
    for line in String::from_utf8(jsonl.stdout).unwrap().lines() {
        assert!(doc.contains(line), "docs/cli.md lacks output line {line}");
    }
    let csv = Command::new(env!("CARGO_BIN_EXE_sledai"))
        .current_dir(root())
        .args([
            "score",
            "examples/visits.jsonl",
            "-q",
            "--output-format",
            "csv",
        ])
        .output()
        .unwrap();
    let csv = String::from_utf8(csv.stdout).unwrap();
    let mut lines = csv.lines();
    let header = lines.next().unwrap();
    assert!(
        doc.contains(header),
        "docs/cli.md lacks the CSV header {header}"
    );
    let v3 = lines.find(|l| l.starts_with("v3,")).unwrap();
    assert!(doc.contains(v3), "docs/cli.md lacks {v3}");
}
