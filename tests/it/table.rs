//! `sledai::table`: the header rule and the boolean cell grammar, with
//! hand-written expected values.

use sledai::Descriptor;
use sledai::Error;
use sledai::bilag::BilagSystem;
use sledai::table::{
    Column, ColumnKind, ExtraColumns, Field, HeaderOptions, cell, resolve, schema,
};

fn descriptors() -> Vec<String> {
    Descriptor::ALL.iter().map(|d| d.id().to_owned()).collect()
}

fn with(extra: &[&str]) -> Vec<String> {
    let mut names = descriptors();
    names.extend(extra.iter().map(|s| (*s).to_owned()));
    names
}

fn problems(err: &Error) -> &[String] {
    match err {
        Error::Header { header, .. } => &header.problems,
        other => panic!("not a header error: {other}"),
    }
}

#[test]
fn a_redcap_header_with_renames_resolves() {
    let mut names = with(&["patient_id", "visit_date", "PGA", "Prednisone"]);
    names[0] = format!("\u{feff}{}", names[0]);
    let options = HeaderOptions::default()
        .with_rename("patient_id", "patient")
        .with_rename("visit_date", "date")
        .with_rename("PGA", "pga")
        .with_rename("Prednisone", "prednisone_mg_per_day");
    let h = resolve(&names, &options).unwrap();
    assert_eq!(h.columns()[0], Column::Descriptor(Descriptor::Seizure));
    assert_eq!(h.columns()[24], Column::Field(Field::PATIENT));
    assert_eq!(h.columns()[25], Column::Field(Field::DATE));
    assert_eq!(h.columns()[26].kind(), Some(ColumnKind::Number));
    assert_eq!(h.names()[26], "pga");
    assert_eq!(h.names()[27], "prednisone_mg_per_day");
    assert!(h.ignored().is_empty());
}

#[test]
fn every_problem_in_one_error() {
    // Two descriptors missing, a typo, an alias, a case-insensitive match,
    // a repeat, a JSON-only name and an unused rename.
    let mut names: Vec<String> = descriptors()[2..].to_vec();
    names.extend(
        ["rsh", "patient_id", "Date", "rash", "measurements", "site"]
            .iter()
            .map(|s| (*s).to_owned()),
    );
    let options = HeaderOptions::default().with_rename("subject", "patient");
    let err = resolve(&names, &options).unwrap_err();
    assert_eq!(
        problems(&err),
        [
            "unknown column `rsh`, did you mean `rash`?",
            "column `patient_id` is not a visit column: rename `patient_id` to `patient`",
            "column `Date` is not a visit column: rename `Date` to `date`",
            "column `rash` appears more than once",
            "column `measurements` is JSON Lines only (it holds a list or an object); in a table give `prednisone_mg_per_day`",
            "unknown column `site`",
            "rename `subject` to `patient`: the header has no column `subject`",
            "2 of the 24 descriptor columns missing: seizure, psychosis (a descriptor that was not assessed needs its column with empty cells)",
        ]
    );
    let Error::Header { header, .. } = &err else {
        unreachable!()
    };
    let (renames, ignorable) = (&header.renames, &header.ignorable);
    assert_eq!(
        renames,
        &[
            ("patient_id".to_owned(), "patient".to_owned()),
            ("Date".to_owned(), "date".to_owned())
        ]
    );
    assert_eq!(ignorable, &["rsh".to_owned(), "site".to_owned()]);
    assert!(
        err.to_string()
            .starts_with("8 problems with the header: unknown column `rsh`")
    );
}

#[test]
fn near_misses_are_never_ignored() {
    let ignore = HeaderOptions::default().with_extra(ExtraColumns::Ignore);
    for (name, target) in [
        ("Patient", "patient"),
        ("patient_id", "patient"),
        ("USUBJID", "patient"),
        ("subjid", "patient"),
        ("PGA", "pga"),
        ("Prednisone", "prednisone_mg_per_day"),
        ("prednisone_mg", "prednisone_mg_per_day"),
        ("visdat", "date"),
        ("VisitDate", "date"),
        ("Rash", "rash"),
        ("BILAG_RENAL", "bilag_renal"),
    ] {
        let mut names = with(&[name]);
        if target == "rash" {
            names.retain(|n| n != "rash");
        }
        let err = resolve(&names, &ignore).unwrap_err();
        assert_eq!(
            problems(&err)[0],
            format!("column `{name}` is not a visit column: rename `{name}` to `{target}`"),
            "{name}"
        );
        // Without `rash`, its column is also missing; nothing else is wrong.
        assert_eq!(
            problems(&err).len(),
            1 + usize::from(target == "rash"),
            "{name}"
        );
    }
    // A near miss whose column is there already: drop one.
    let err = resolve(&with(&["patient", "Patient"]), &ignore).unwrap_err();
    assert_eq!(
        problems(&err),
        [
            "column `Patient` is not a visit column; it looks like `patient`, which the header already has: drop one of them"
        ]
    );
}

#[test]
fn ignored_columns_are_named() {
    let ignore = HeaderOptions::default().with_extra(ExtraColumns::Ignore);
    let h = resolve(&with(&["site", "rsh", "  notes "]), &ignore).unwrap();
    assert_eq!(h.ignored(), ["site", "rsh", "notes"]);
    assert_eq!(h.columns()[24..], [Column::Ignored; 3]);
    assert_eq!(
        "error".parse::<ExtraColumns>().unwrap(),
        ExtraColumns::Error
    );
    assert!("raise".parse::<ExtraColumns>().is_err());
}

#[test]
fn a_renamed_column_that_is_still_unknown_is_an_error_even_when_ignoring() {
    let ignore = HeaderOptions::default()
        .with_extra(ExtraColumns::Ignore)
        .with_rename("site", "centre");
    let err = resolve(&with(&["site"]), &ignore).unwrap_err();
    assert_eq!(problems(&err), ["unknown column `site` (renamed `centre`)"]);
}

#[test]
fn a_rename_onto_an_existing_column_is_a_repeat() {
    let options = HeaderOptions::default().with_rename("pid", "patient");
    let err = resolve(&with(&["patient", "pid"]), &options).unwrap_err();
    assert_eq!(
        problems(&err),
        ["column `pid` (renamed `patient`) appears more than once"]
    );
}

#[test]
fn serology_columns_may_be_optional() {
    let names: Vec<String> = Descriptor::ALL
        .iter()
        .filter(|d| !d.is_serology())
        .map(|d| d.id().to_owned())
        .collect();
    assert!(resolve(&names, &HeaderOptions::default()).is_err());
    let h = resolve(
        &names,
        &HeaderOptions::default().with_serology_optional(true),
    )
    .unwrap();
    assert_eq!(h.columns().len(), 22);
}

#[test]
fn grades_and_every_table_field_resolve() {
    let mut extra: Vec<String> = Field::all()
        .filter(|f| f.in_tables())
        .map(|f| f.name().to_owned())
        .collect();
    extra.extend(BilagSystem::ALL.iter().map(|s| schema::bilag_column(*s)));
    let names = with(&extra.iter().map(String::as_str).collect::<Vec<_>>());
    let h = resolve(&names, &HeaderOptions::default()).unwrap();
    assert_eq!(h.columns().len(), 24 + 18 + 9);
    assert_eq!(
        h.columns().last(),
        Some(&Column::Bilag(*BilagSystem::ALL.last().unwrap()))
    );
    // The JSON-only keys are not table columns.
    let json_only: Vec<&str> = Field::all()
        .filter(|f| !f.in_tables())
        .map(Field::name)
        .collect();
    assert_eq!(
        json_only,
        [
            "present",
            "descriptors",
            "glucocorticoids",
            "measurements",
            "bilag"
        ]
    );
}

#[test]
fn messages_stay_bounded() {
    let long = "q".repeat(100_000);
    let many: Vec<String> = (0..1000).map(|i| format!("extra_{i}")).collect();
    let mut names = with(&[long.as_str()]);
    names.extend(many);
    let msg = resolve(&names, &HeaderOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        msg.starts_with("1001 problems with the header: unknown column `qqqq"),
        "{msg}"
    );
    assert!(msg.contains("… (100000 characters)"));
    assert!(msg.ends_with("; and 981 more"), "{msg}");
    assert!(msg.len() < 1000, "{}", msg.len());
}

#[test]
fn the_boolean_cell_grammar() {
    for (text, value) in [
        ("1", Some(true)),
        ("0", Some(false)),
        ("true", Some(true)),
        ("False", Some(false)),
        ("YES", Some(true)),
        ("No", Some(false)),
        ("y", Some(true)),
        (" N ", Some(false)),
        ("", None),
        ("NA", None),
        ("null", None),
        ("Null", None),
    ] {
        assert_eq!(cell::parse_bool(text).unwrap(), value, "{text:?}");
    }
    let err = cell::parse_bool("2").unwrap_err();
    assert!(matches!(
        err,
        Error::InvalidValue { field: "boolean", ref value, ref reason, .. }
            if &**value == "2" && &**reason == cell::BOOLEAN_EXPECTED
    ));
    assert!(cell::is_not_recorded("NA"));
    assert!(!cell::is_not_recorded("n"));
}

#[test]
fn the_schema_lists_every_column_once() {
    let all = schema::columns();
    assert_eq!(all.len(), 23 + 24 + 9);
    let mut names: Vec<&str> = all.iter().map(|c| c.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), all.len());
    let required: Vec<&str> = all
        .iter()
        .filter(|c| c.required)
        .map(|c| c.name.as_str())
        .collect();
    let ids: Vec<&str> = Descriptor::ALL.iter().map(|d| d.id()).collect();
    assert_eq!(required, ids);
}

/// With several bad field cells the error names the first row that has
/// one (here row 0's `pga`), not the first column that has one (`date`,
/// bad at row 1 only).
#[test]
fn the_first_bad_row_is_named() {
    use sledai::table::column::{self, Column, Values};
    let names = with(&["date", "pga"]);
    let header = resolve(&names, &HeaderOptions::default()).expect("valid header");
    let zero = [0u8, 0];
    let mut cols = vec![Column::new(Values::Bool(&zero)); 24];
    let dates = [Some("2024-01-01"), Some("2024-13-01")];
    let pga = [Some("4.5"), Some("1.0")];
    cols.push(Column::new(Values::Text(&dates)));
    cols.push(Column::new(Values::Text(&pga)));
    let err = column::visits(&header, &cols, 2).unwrap_err();
    assert!(matches!(err, Error::InBatch { index: 0, .. }), "{err}");
    assert!(err.to_string().contains("pga"), "{err}");
    // Row 0 repaired, row 1's date is named.
    let pga = [Some("0.5"), Some("1.0")];
    cols[25] = Column::new(Values::Text(&pga));
    let err = column::visits(&header, &cols, 2).unwrap_err();
    assert!(matches!(err, Error::InBatch { index: 1, .. }), "{err}");
    assert!(err.to_string().contains("date"), "{err}");
}
