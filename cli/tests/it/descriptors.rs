//! `sledai descriptors`: the table checked against `docs/reference.md`
//! (section 1.2, Gladman 2002), typed here independently of the core.

#![allow(clippy::unwrap_used)]

use super::common::sledai;
use predicates::str::contains;

/// (identifier, weight, organ system) in form order: `docs/reference.md` section 1.2.
const REFERENCE: [(&str, u64, &str); 24] = [
    ("seizure", 8, "cns"),
    ("psychosis", 8, "cns"),
    ("organic_brain_syndrome", 8, "cns"),
    ("visual_disturbance", 8, "cns"),
    ("cranial_nerve_disorder", 8, "cns"),
    ("lupus_headache", 8, "cns"),
    ("cva", 8, "cns"),
    ("vasculitis", 8, "vascular"),
    ("arthritis", 4, "musculoskeletal"),
    ("myositis", 4, "musculoskeletal"),
    ("urinary_casts", 4, "renal"),
    ("hematuria", 4, "renal"),
    ("proteinuria", 4, "renal"),
    ("pyuria", 4, "renal"),
    ("rash", 2, "mucocutaneous"),
    ("alopecia", 2, "mucocutaneous"),
    ("mucosal_ulcers", 2, "mucocutaneous"),
    ("pleurisy", 2, "serosal"),
    ("pericarditis", 2, "serosal"),
    ("low_complement", 2, "immunologic"),
    ("increased_dna_binding", 2, "immunologic"),
    ("fever", 1, "constitutional"),
    ("thrombocytopenia", 1, "hematologic"),
    ("leukopenia", 1, "hematologic"),
];

#[test]
fn json_matches_the_reference_table() {
    let out = sledai()
        .args(["descriptors", "--format", "json"])
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 24);
    for (i, (row, (id, w, sys))) in rows.iter().zip(REFERENCE).enumerate() {
        assert_eq!(row["position"], i as u64 + 1);
        assert_eq!(row["identifier"], id);
        assert_eq!(row["weight"], w, "{id}");
        assert_eq!(row["organ_system"], sys, "{id}");
        assert!(!row["definition"].as_str().unwrap().is_empty());
    }
    let total: u64 = rows.iter().map(|r| r["weight"].as_u64().unwrap()).sum();
    assert_eq!(total, 105);
}

#[test]
fn csv_matches_the_reference_table() {
    let out = sledai()
        .args(["descriptors", "--format", "csv"])
        .assert()
        .success();
    let mut rdr = csv::Reader::from_reader(out.get_output().stdout.as_slice());
    let header: Vec<String> = rdr.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(
        header,
        [
            "position",
            "identifier",
            "name",
            "weight",
            "organ_system",
            "definition",
            "threshold",
            "exclusions"
        ]
    );
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 24);
    for (row, (id, w, sys)) in rows.iter().zip(REFERENCE) {
        assert_eq!(&row[1], id);
        assert_eq!(row[3].parse::<u64>().unwrap(), w);
        assert_eq!(&row[4], sys);
    }
    // Section 1.2: thresholds are strict.
    let proteinuria = rows.iter().find(|r| &r[1] == "proteinuria").unwrap();
    assert!(
        proteinuria[6].contains("> 0.5 g/24 h"),
        "{:?}",
        &proteinuria[6]
    );
}

#[test]
fn table_is_the_default_and_lists_every_identifier() {
    let out = sledai().arg("descriptors").assert().success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 25, "header and 24 rows");
    for (line, (id, w, sys)) in lines[1..].iter().zip(REFERENCE) {
        let cells: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(&cells[1..4], [id, &w.to_string(), sys]);
    }
}

#[test]
fn unknown_format_is_a_usage_error() {
    sledai()
        .args(["descriptors", "--format", "xml"])
        .assert()
        .code(2)
        .stderr(contains("invalid value 'xml'"));
}
