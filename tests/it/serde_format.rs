//! The documented JSON shapes of an assessment (src/assessment.rs module docs
//! and docs/formats.md), written out by hand.

use sledai::{Assessment, Descriptor, Error, Finding};

fn parse(json: &str) -> Result<Assessment, String> {
    serde_json::from_str(json).map_err(|e| e.to_string())
}

#[test]
fn complete_assessment_uses_present() {
    let a = Assessment::from_present([Descriptor::Rash, Descriptor::Arthritis]);
    assert_eq!(
        serde_json::to_string(&a).unwrap(),
        r#"{"present":["arthritis","rash"]}"#
    );
    assert_eq!(parse(r#"{"present": ["rash", "arthritis"]}"#), Ok(a));
    assert_eq!(
        parse(r#"{"present": []}"#),
        Ok(Assessment::from_present([]))
    );
}

#[test]
fn incomplete_assessment_uses_descriptors() {
    let a = Assessment::not_assessed()
        .with(Descriptor::Arthritis, Finding::Present)
        .with(Descriptor::Rash, Finding::Absent);
    assert_eq!(
        serde_json::to_string(&a).unwrap(),
        r#"{"descriptors":{"arthritis":true,"rash":false}}"#
    );
    // null and a missing key both mean not assessed.
    assert_eq!(
        parse(r#"{"descriptors": {"arthritis": true, "rash": false, "fever": null}}"#),
        Ok(a)
    );
}

#[test]
fn descriptors_object_with_all_24_is_complete() {
    let body: Vec<String> = Descriptor::ALL
        .iter()
        .map(|d| format!("\"{}\": {}", d.id(), d == &Descriptor::Fever))
        .collect();
    let a = parse(&format!("{{\"descriptors\": {{{}}}}}", body.join(","))).unwrap();
    assert!(a.is_complete());
    assert_eq!(a.score().unwrap().get(), 1);
    assert_eq!(
        serde_json::to_string(&a).unwrap(),
        r#"{"present":["fever"]}"#
    );
}

#[test]
fn errors_name_the_problem() {
    let e = parse(r#"{"present": ["rsh"]}"#).unwrap_err();
    assert!(
        e.contains("unknown descriptor `rsh`, did you mean `rash`?"),
        "{e}"
    );
    let e = parse(r#"{"descriptors": {"pyura": true}}"#).unwrap_err();
    assert!(e.contains("did you mean `pyuria`?"), "{e}");
    let e = parse(r#"{"present": ["rash", "rash"]}"#).unwrap_err();
    assert!(e.contains("`rash` is given more than once"), "{e}");
    let e = parse(r#"{"descriptors": {"rash": true, "rash": false}}"#).unwrap_err();
    assert!(e.contains("more than once"), "{e}");
    let e = parse(r#"{"present": [], "extra": 1}"#).unwrap_err();
    assert!(e.contains("unknown field `extra`"), "{e}");
    let e = parse(r#"{"present": [], "descriptors": {}}"#).unwrap_err();
    assert!(e.contains("exactly one of"), "{e}");
    let e = parse(r#"{}"#).unwrap_err();
    assert!(e.contains("needs `present` or `descriptors`"), "{e}");
    assert!(parse(r#"{"descriptors": {"rash": 1}}"#).is_err());
    assert!(parse(r#"{"descriptors": {"rash": "yes"}}"#).is_err());
    assert!(parse(r#"["rash"]"#).is_err());
}

#[test]
fn error_messages_are_lower_case_and_name_the_value() {
    let e = "Fevr".parse::<Descriptor>().unwrap_err();
    assert_eq!(
        e.to_string(),
        "unknown descriptor `Fevr`, did you mean `fever`?"
    );
    let e = "xyzzy".parse::<Descriptor>().unwrap_err();
    assert_eq!(e.to_string(), "unknown descriptor `xyzzy`");
    let e = Assessment::not_assessed()
        .with(Descriptor::Rash, Finding::Present)
        .score()
        .unwrap_err();
    assert!(matches!(e, Error::IncompleteAssessment { .. }));
    assert!(
        e.to_string()
            .starts_with("assessment is incomplete: 23 descriptor(s) not assessed")
    );
    assert!(e.to_string().ends_with("total could be 2 to 105"));
}

/// `docs/reference.md` section 1.1 and the issue's hand cases: empty = 0; all 24 =
/// 105, clinical 101.
#[test]
fn hand_cases() {
    let empty = Assessment::from_present([]);
    assert_eq!(empty.score().unwrap().get(), 0);
    let all = Assessment::from_present(Descriptor::ALL);
    assert_eq!(all.score().unwrap().get(), 105);
    assert_eq!(all.clinical_score().unwrap().get(), 101);
    // `docs/reference.md` section 8: an empty, unassessed form does not report "no activity".
    assert!(Assessment::not_assessed().score().is_err());
    // Arthritis 4 + proteinuria 4 + low complement 2 + DNA binding 2 = 12; clinical 8.
    let a = Assessment::from_present([
        Descriptor::Arthritis,
        Descriptor::Proteinuria,
        Descriptor::LowComplement,
        Descriptor::IncreasedDnaBinding,
    ]);
    assert_eq!(a.score().unwrap().get(), 12);
    assert_eq!(a.clinical_score().unwrap().get(), 8);
}

/// A criterion serializes as its identifier, the key the visit results use
/// (`docs/cli.md` shows `"doris_2017_clinical_sledai"`); serde's own
/// snake_case renaming wrote `doris2017_clinical_sledai` for the DORIS 2017
/// criteria before the identifiers came from one table.
#[test]
fn criteria_serialize_as_their_identifiers() {
    use sledai::target::Criterion;
    assert_eq!(
        serde_json::to_string(&Criterion::Doris2017ClinicalSledai).unwrap(),
        r#""doris_2017_clinical_sledai""#
    );
    for c in Criterion::ALL {
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(json, format!("\"{}\"", c.id()));
        assert_eq!(serde_json::from_str::<Criterion>(&json).unwrap(), c);
        assert_eq!(c.id().parse::<Criterion>().unwrap(), c);
    }
}
