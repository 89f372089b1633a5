//! Regression fixture for the serialized explanations of LLDAS and DORIS
//! (`target::CriterionResult`) and of `visit::VisitResult`.
//!
//! `tests/fixtures/explanations_main.jsonl` was produced by the library on
//! `main` at commit 1873e7d, BEFORE the criterion texts were made lazy (the
//! texts were then built eagerly with `format!`). It is a REGRESSION fixture,
//! not a correctness oracle: it pins the output byte for byte so that a
//! refactoring cannot change any decision or text unnoticed. The clinical
//! correctness of the states is tested against `docs/reference.md` in
//! `tests/it/targets.rs`. Do not regenerate the fixture from the code under
//! test; change it only together with a deliberate, documented change of the
//! output.

use sledai::glucocorticoid::{
    ConversionOptions, DailyDose, DrugDose, Glucocorticoid, PrednisoneEquivalent,
    prednisone_equivalent,
};
use sledai::remission::{RemissionGlucocorticoid, RemissionOptions, RemissionPga};
use sledai::target::TargetInputs;
use sledai::visit::{PatientStream, VisitInput};
use sledai::{Assessment, Descriptor, Finding, Pga, lldas, remission};

fn set(ids: &[&str]) -> Vec<Descriptor> {
    ids.iter()
        .map(|i| i.parse().expect("descriptor id"))
        .collect()
}

fn present(ids: &[&str]) -> Assessment {
    Assessment::from_present(set(ids))
}

/// `present` items present, `missing` not assessed, the rest absent.
fn partial(present_ids: &[&str], missing: &[&str]) -> Assessment {
    let mut a = present(present_ids);
    for d in set(missing) {
        a = a.with(d, Finding::NotAssessed);
    }
    a
}

fn pga(v: f64) -> Pga {
    Pga::new(v).expect("pga")
}

fn pe(mg: f64) -> PrednisoneEquivalent {
    PrednisoneEquivalent::from_mg(mg).expect("dose")
}

fn drug(d: Glucocorticoid, mg: f64) -> PrednisoneEquivalent {
    prednisone_equivalent(
        &[DrugDose::new(d, DailyDose::from_mg(mg).expect("dose"))],
        ConversionOptions::default(),
    )
    .expect("regimen")
}

fn full(a: Assessment) -> TargetInputs {
    TargetInputs::new(a)
        .with_previous_assessment(a)
        .with_pga(pga(0.4))
        .with_prednisone_equivalent(pe(5.0))
        .with_hemolytic_anemia(false)
        .with_gastrointestinal_activity(false)
        .with_maintenance_tolerated(true)
        .with_investigational_drug(false)
}

/// Hand cases that reach every branch of every criterion's explanation.
fn cases() -> Vec<(&'static str, TargetInputs)> {
    let none = present(&[]);
    let mut v = vec![
        ("all_met_empty_form", full(none)),
        (
            "nothing_recorded",
            TargetInputs::new(Assessment::not_assessed()),
        ),
        ("only_assessment", TargetInputs::new(none)),
        (
            "serology_only_4",
            full(present(&["low_complement", "increased_dna_binding"])),
        ),
        ("exact_6", full(present(&["arthritis", "rash"]))),
        ("major_present", full(present(&["fever"]))),
        (
            "major_and_over_4",
            full(present(&["proteinuria", "hematuria", "rash"])),
        ),
        (
            "range_min_over_4",
            full(partial(&["arthritis", "rash"], &["fever", "alopecia"])),
        ),
        ("range_open", full(partial(&["arthritis"], &["leukopenia"]))),
        ("major_missing", full(partial(&["rash"], &["fever"]))),
        (
            "met_with_cytopenias_missing",
            full(partial(&["rash"], &["thrombocytopenia", "leukopenia"])),
        ),
        (
            "proteinuria_rest_missing",
            TargetInputs::new(
                Assessment::not_assessed()
                    .with("proteinuria".parse().expect("id"), Finding::Present),
            ),
        ),
    ];
    let mut i = full(none);
    i.hemolytic_anemia = Some(true);
    i.gastrointestinal_activity = None;
    v.push(("hemolytic_yes_gi_missing", i));
    let mut i = full(partial(&["arthritis"], &["fever"]));
    i.hemolytic_anemia = None;
    i.gastrointestinal_activity = Some(true);
    v.push(("gi_yes_with_open", i));

    // Criterion 2.
    let mut i = full(present(&["rash"]));
    i.previous_assessment = Some(none);
    v.push(("new_rash", i.clone()));
    i.new_activity = Some(true);
    v.push(("new_rash_stated_true", i));
    let mut i = full(present(&["rash"]));
    i.previous_assessment = Some(partial(&[], &["rash"]));
    v.push(("possibly_new", i.clone()));
    i.new_activity = Some(false);
    v.push(("possibly_new_stated_false", i.clone()));
    i.new_activity = Some(true);
    v.push(("possibly_new_stated_true", i));
    let mut i = full(present(&["rash"]));
    i.new_activity = Some(false);
    v.push(("same_stated_false", i));
    let mut i = full(present(&["rash"]));
    i.previous_assessment = None;
    v.push(("first_visit", i.clone()));
    i.new_activity = Some(false);
    v.push(("first_visit_stated_false", i.clone()));
    i.new_activity = Some(true);
    v.push(("first_visit_stated_true", i));
    let mut i = full(present(&["rash"]));
    i.previous_assessment = Some(none);
    i.new_activity = Some(false);
    v.push(("contradiction", i));

    // Criteria 3-5 and DORIS thresholds.
    for (name, p) in [
        ("pga_0_5", 0.5),
        ("pga_1_0", 1.0),
        ("pga_1_1", 1.1),
        ("pga_3_0", 3.0),
    ] {
        v.push((name, full(none).with_pga(pga(p))));
    }
    for (name, mg) in [
        ("pe_0", 0.0),
        ("pe_4_999", 4.999),
        ("pe_5_1", 5.1),
        ("pe_7_5", 7.5),
        ("pe_7_6", 7.6),
        ("pe_20", 20.0),
    ] {
        v.push((name, full(none).with_prednisone_equivalent(pe(mg))));
    }
    v.push((
        "dexamethasone_1mg",
        full(none).with_prednisone_equivalent(drug(Glucocorticoid::Dexamethasone, 1.0)),
    ));
    // 37.502 mg cortisone = 7500.4 ug prednisone: shown as 7.5 mg/day, above 7.5.
    v.push((
        "cortisone_rounding_edge",
        full(none).with_prednisone_equivalent(drug(Glucocorticoid::Cortisone, 37.502)),
    ));
    for (name, tol, inv) in [
        ("maint_no_yes", Some(false), Some(true)),
        ("maint_no_missing", Some(false), None),
        ("maint_missing_missing", None, None),
        ("maint_yes_missing", Some(true), None),
        ("maint_missing_yes", None, Some(true)),
    ] {
        let mut i = full(none);
        i.maintenance_tolerated = tol;
        i.investigational_drug = inv;
        v.push((name, i));
    }
    v.push((
        "doris_serology_missing",
        full(partial(&[], &["low_complement", "increased_dna_binding"])),
    ));
    v.push((
        "doris_clinical_missing",
        full(partial(&["low_complement"], &["rash", "low_complement"])),
    ));
    v.push((
        "doris_clinical_present_and_missing",
        full(partial(&["rash"], &["alopecia", "increased_dna_binding"])),
    ));
    v
}

fn remission_options() -> [(&'static str, RemissionOptions); 3] {
    [
        ("default", RemissionOptions::default()),
        (
            "pga_2017",
            RemissionOptions::default().with_pga(RemissionPga::ReviewAtMostHalf),
        ),
        (
            "gc_strict",
            RemissionOptions::default().with_glucocorticoid(RemissionGlucocorticoid::Below5Mg),
        ),
    ]
}

/// One JSON line per case and output: `{"case": ..., "what": ..., "json": ...}`
/// where `json` is the exact serialized text.
fn render() -> Vec<String> {
    let mut lines = Vec::new();
    let mut push = |case: &str, what: &str, json: String| {
        lines.push(serde_json::json!({"case": case, "what": what, "json": json}).to_string());
    };
    for (name, inputs) in cases() {
        let l = match lldas::evaluate(&inputs) {
            Ok(r) => serde_json::to_string(&r).expect("serialize"),
            Err(e) => format!("error: {e}"),
        };
        push(name, "lldas", l);
        for (o, opts) in remission_options() {
            let r = remission::evaluate(&inputs, opts).expect("evaluates");
            push(
                name,
                &format!("doris_{o}"),
                serde_json::to_string(&r).expect("serialize"),
            );
        }
    }
    // Visit results through the stream (criterion 2 from the previous visit).
    let visits = [
        r#"{"id": "v1", "patient": "P1", "date": "2024-01-01", "present": ["proteinuria", "hematuria", "rash"], "pga": 2.0, "prednisone_mg_per_day": 20}"#,
        r#"{"id": "v2", "patient": "P1", "date": "2024-03-31", "present": ["rash"], "pga": 0.5, "prednisone_mg_per_day": 5, "hemolytic_anemia": false, "gastrointestinal_activity": false, "maintenance_tolerated": true, "investigational_drug": false}"#,
        r#"{"id": "v3", "patient": "P1", "date": "2024-06-30", "descriptors": {"rash": false, "fever": null, "arthritis": true}, "pga": 0.0, "glucocorticoids": [{"drug": "dexamethasone", "mg_per_day": 1}]}"#,
        r#"{"id": "v4", "descriptors": {"low_complement": true}, "new_activity": false}"#,
    ];
    let mut stream = PatientStream::default();
    for (k, line) in visits.iter().enumerate() {
        let v: VisitInput = serde_json::from_str(line).expect("visit");
        let r = stream.assess(&v).expect("assess");
        push(
            &format!("visit_{}", k + 1),
            "visit",
            without_issue_14_keys(serde_json::to_string(&r).expect("serialize")),
        );
    }
    lines
}

/// The visit result without the keys issue 14 added (BILAG-2004, BICLA,
/// SRI-k, DORIS 2017), which are serialized after every older key: the
/// fixture pins the older keys byte for byte, and the new ones are tested
/// against the reference in `tests/it/bilag.rs`.
fn without_issue_14_keys(json: String) -> String {
    let cut = [",\"bilag_", ",\"bicla\"", ",\"sri_4\"", ",\"doris_2017_"]
        .iter()
        .filter_map(|m| json.find(m))
        .min();
    match cut {
        Some(i) => format!("{}}}", &json[..i]),
        None => json,
    }
}

const FIXTURE: &str = "tests/fixtures/explanations_main.jsonl";

#[test]
fn serialized_explanations_are_unchanged_since_main() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE);
    let expected = std::fs::read_to_string(&path).expect("fixture");
    let got = render();
    // A deliberate change of the output: `SLEDAI_BLESS=1 cargo test -p sledai
    // --test it explanations_regression` rewrites the fixture (review the diff).
    if std::env::var_os("SLEDAI_BLESS").is_some() {
        std::fs::write(
            &path,
            got.iter().map(|l| format!("{l}\n")).collect::<String>(),
        )
        .expect("write fixture");
        return;
    }
    let expected: Vec<&str> = expected.lines().collect();
    assert_eq!(got.len(), expected.len(), "number of cases");
    for (g, e) in got.iter().zip(&expected) {
        assert_eq!(g, e);
    }
}
