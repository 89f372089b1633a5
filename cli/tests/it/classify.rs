//! `sledai classify`: the hand cases of `examples/classification.jsonl`
//! (2019 EULAR/ACR criteria, Aringer 2019; `docs/reference.md` section 6),
//! errors and exit codes.

#![allow(clippy::unwrap_used)]

use super::common::sledai_at_root as sledai;
use predicates::str::contains;
use serde_json::{Value, json};

fn records(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8(stdout.to_vec())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn hand_cases() {
    let out = sledai()
        .args(["classify", "examples/classification.jsonl"])
        .assert()
        .success()
        .stderr(contains("4 records read, 4 classified, 0 failed"));
    let r = records(&out.get_output().stdout);
    assert_eq!(r.len(), 4);
    // P1: class III/IV nephritis alone = 10 points and a clinical
    // criterion, ANA positive: classified whatever the 20 missing criteria.
    assert_eq!(r[0]["id"], "P1");
    assert_eq!(r[0]["outcome"], "classified");
    assert_eq!(r[0]["points"], json!({"min": 10, "max": 51}));
    assert_eq!(r[0]["total"], Value::Null);
    // P2: anti-dsDNA 6 + low C3 and C4 4 = 10, every clinical criterion
    // absent: not classified (the >= 1 clinical criterion rule).
    assert_eq!(r[1]["outcome"], "not_classified");
    assert_eq!(r[1]["total"], 10);
    assert_eq!(r[1]["clinical_criterion"], "not_met");
    // P3: no ANA: not classified although joint 6 + acute cutaneous 6 = 12.
    assert_eq!(r[2]["outcome"], "not_classified");
    assert_eq!(r[2]["entry_criterion"], "not_met");
    assert_eq!(r[2]["total"], 12);
    // P4: ANA 1:160 >= 1:80; leukopenia 3 and thrombocytopenia 4 share the
    // hematologic domain, which counts 4 (not 7); + joint 6 = 10: classified.
    assert_eq!(r[3]["outcome"], "classified");
    assert_eq!(r[3]["total"], 10);
    let hem = r[3]["domains"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["domain"] == "hematologic")
        .unwrap();
    assert_eq!(hem["points"], 4);
    assert_eq!(hem["criterion"], "thrombocytopenia");
    // `id` is echoed first; `patient` only when given.
    assert!(r[3].get("patient").is_none());
}

#[test]
fn patient_is_echoed_and_empty_input_is_indeterminate() {
    let out = sledai()
        .args(["classify", "-"])
        .write_stdin("{\"patient\":\"X\"}\n{}\n")
        .assert()
        .success();
    let r = records(&out.get_output().stdout);
    assert_eq!(r[0]["patient"], "X");
    // Nothing assessed: never classified, never "not classified".
    assert_eq!(r[0]["outcome"], "indeterminate");
    assert_eq!(r[1]["outcome"], "indeterminate");
    assert!(r[1].get("id").is_none());
}

#[test]
fn bad_records_stop_or_are_reported() {
    let input = concat!(
        "{\"id\":\"a\",\"ana\":true,\"criteria\":{\"fevr\":true}}\n",
        "{\"id\":\"b\",\"ana\":true,\"criteria\":{\"renal_biopsy_class_iii_or_iv\":true}}\n",
        "{\"id\":\"c\",\"ana_titre\":\"1:40\",\"ana\":true}\n",
        "not json\n",
        "{\"id\":\"e\",\"bogus\":1}\n",
        "{\"id\":\"f\",\"criteria\":{\"fever\":true,\"fever\":false}}\n",
    );
    sledai()
        .args(["classify", "-"])
        .write_stdin(input)
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains("<stdin>:1:"))
        .stderr(contains("`fevr`"))
        .stderr(contains("did you mean `fever`"));
    let out = sledai()
        .args(["classify", "-", "--on-error", "report"])
        .write_stdin(input)
        .assert()
        .code(1)
        .stderr(contains("6 records read, 1 classified, 5 failed"));
    let r = records(&out.get_output().stdout);
    assert_eq!(r.len(), 6, "one output line per input line");
    assert_eq!(r[0]["id"], "a");
    assert!(r[0]["error"].as_str().unwrap().contains("`fevr`"));
    assert_eq!(r[1]["outcome"], "classified");
    // ANA 1:40 (< 1:80) contradicts "ana": true: the core's error.
    assert_eq!(r[2]["id"], "c");
    assert!(r[2]["error"].as_str().unwrap().contains("<stdin>:3"));
    assert!(r[3]["error"].as_str().unwrap().contains("malformed JSON"));
    // Unknown and repeated fields are errors, never silently dropped.
    assert!(
        r[4]["error"]
            .as_str()
            .unwrap()
            .contains("unknown field `bogus`")
    );
    assert_eq!(r[5]["id"], "f");
    assert!(r[5]["error"].as_str().unwrap().contains("more than once"));
}
