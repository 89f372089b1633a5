//! `sledai::table::mapping`: long (SDTM-like) tables and REDCap exports
//! into visit records. Every expectation is worked out by hand from the
//! rows written in the test (which row says what), or, for the property,
//! against visit records built directly in the test.

#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use sledai::glucocorticoid::{DailyDose, DrugDose, Glucocorticoid, PrednisoneEquivalent};
use sledai::table::{ExtraColumns, HeaderOptions, Layout, Mapping, mapping};
use sledai::visit::{GlucocorticoidInput, VisitInput};
use sledai::{Assessment, Date, Descriptor, Error, Finding, Pga};

type Rows = Vec<(u64, Vec<&'static str>)>;

const LONG: &str = r#"{
  "layout": "long",
  "rename": {"USUBJID": "patient", "QSDTC": "date", "VISIT": "id"},
  "long": {
    "test": "QSTESTCD", "result": "QSORRES",
    "tests": {
      "RASH": "rash", "ARTH": "arthritis", "FEVER": "fever",
      "PGA": "pga", "PRED": "prednisone_mg_per_day",
      "MP": "glucocorticoids.methylprednisolone",
      "MAINT": {"to": "maintenance_tolerated", "values": {"TOLERATED": "1", "NOT TOLERATED": "0"}}
    },
    "values": {"Y": "1", "N": "0", "NOT DONE": ""},
    "ignore": ["TOTAL"]
  }
}"#;

const LONG_NAMES: [&str; 5] = ["USUBJID", "VISIT", "QSDTC", "QSTESTCD", "QSORRES"];

fn long() -> Mapping {
    Mapping::from_json(LONG).unwrap()
}

fn build_long(rows: Rows) -> Result<Vec<VisitInput>, Error> {
    mapping::build(&LONG_NAMES, rows, &long(), &HeaderOptions::default())
        .map(mapping::MappedVisits::into_visits)
}

fn date(s: &str) -> Date {
    s.parse().unwrap()
}

/// Row, other row, column, code and entry of an `Error::Mapping`.
type Place<'a> = (
    Option<u64>,
    Option<u64>,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
);

/// The fields of an `Error::Mapping`, for matching.
fn mapping_error(e: &Error) -> Place<'_> {
    match e {
        Error::Mapping { mapping: m, .. } => (
            m.row,
            m.other_row,
            m.column.as_deref(),
            m.code.as_deref(),
            m.entry.as_deref(),
        ),
        other => panic!("not a mapping error: {other}"),
    }
}

#[test]
fn rows_of_one_subject_and_date_become_one_visit_ordered_by_subject_then_date() {
    // Rows out of order, two subjects interleaved.
    let rows: Rows = vec![
        (2, vec!["P2", "P2-1", "2024-02-01", "RASH", "Y"]),
        (3, vec!["P1", "P1-2", "2024-04-01", "RASH", "N"]),
        (4, vec!["P1", "P1-1", "2024-01-01", "RASH", "Y"]),
        (5, vec!["P1", "P1-1", "2024-01-01", "ARTH", "N"]),
        (6, vec!["P1", "P1-1", "2024-01-01", "FEVER", "NOT DONE"]),
        (7, vec!["P1", "P1-1", "2024-01-01", "PGA", "1.5"]),
        (8, vec!["P1", "P1-1", "2024-01-01", "PRED", "7.5"]),
        (9, vec!["P1", "P1-1", "2024-01-01", "MAINT", "TOLERATED"]),
        (10, vec!["P1", "P1-1", "2024-01-01", "TOTAL", "6"]),
    ];
    let out = mapping::build(&LONG_NAMES, rows, &long(), &HeaderOptions::default()).unwrap();
    assert_eq!(out.rows(), [4, 3, 2]);
    let v = out.visits();
    let keys: Vec<(&str, &str, Date)> = v
        .iter()
        .map(|v| {
            (
                v.patient.as_deref().unwrap(),
                v.id.as_deref().unwrap(),
                v.date.unwrap(),
            )
        })
        .collect();
    assert_eq!(
        keys,
        [
            ("P1", "P1-1", date("2024-01-01")),
            ("P1", "P1-2", date("2024-04-01")),
            ("P2", "P2-1", date("2024-02-01")),
        ]
    );
    let first = &v[0];
    assert_eq!(first.assessment.get(Descriptor::Rash), Finding::Present);
    assert_eq!(first.assessment.get(Descriptor::Arthritis), Finding::Absent);
    // `NOT DONE` maps to an empty cell: not assessed.
    assert_eq!(
        first.assessment.get(Descriptor::Fever),
        Finding::NotAssessed
    );
    // No row names seizure: not assessed, never absent.
    assert_eq!(
        first.assessment.get(Descriptor::Seizure),
        Finding::NotAssessed
    );
    assert_eq!(first.pga, Some(Pga::new(1.5).unwrap()));
    assert_eq!(
        first.glucocorticoids,
        Some(GlucocorticoidInput::PrednisoneEquivalent(
            PrednisoneEquivalent::from_mg(7.5).unwrap()
        ))
    );
    assert_eq!(first.maintenance_tolerated, Some(true));
    // Items no row gives stay not recorded.
    assert_eq!(first.hemolytic_anemia, None);
    assert_eq!(v[1].pga, None);
    // P2's only row is rash: the other 23 descriptors are not assessed.
    assert_eq!(v[2].assessment.get(Descriptor::Rash), Finding::Present);
    assert_eq!(v[2].assessment.missing().len(), 23, "only rash has a row");
}

#[test]
fn an_agreeing_duplicate_is_kept_once_and_a_conflicting_one_names_both_rows() {
    // `Y` and `1` are one value; 2.0 and 2 are one PGA.
    let rows: Rows = vec![
        (2, vec!["P1", "", "2024-01-01", "RASH", "Y"]),
        (3, vec!["P1", "", "2024-01-01", "RASH", "1"]),
        (4, vec!["P1", "", "2024-01-01", "PGA", "2.0"]),
        (5, vec!["P1", "", "2024-01-01", "PGA", "2"]),
    ];
    let v = build_long(rows).unwrap();
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].assessment.get(Descriptor::Rash), Finding::Present);
    assert_eq!(v[0].pga, Some(Pga::new(2.0).unwrap()));

    let rows: Rows = vec![
        (3, vec!["P1", "", "2024-01-01", "RASH", "Y"]),
        (4, vec!["P1", "", "2024-01-01", "PGA", "1"]),
        (7, vec!["P1", "", "2024-01-01", "RASH", "N"]),
    ];
    let err = build_long(rows).unwrap_err();
    assert_eq!(
        mapping_error(&err),
        (
            Some(7),
            Some(3),
            Some("QSORRES"),
            Some("RASH"),
            Some("long.tests.RASH")
        )
    );
    assert_eq!(
        err.to_string(),
        "rows 3 and 7, column `QSORRES`, code `RASH`, mapping entry `long.tests.RASH`: \
         the visit of patient `P1` on 2024-01-01 gets two different values for `rash`: \
         `Y` (row 3) and `N` (row 7); keep one row"
    );
    // An explicit "not done" disagrees with a finding too: nothing is picked.
    let rows: Rows = vec![
        (2, vec!["P1", "", "2024-01-01", "FEVER", "Y"]),
        (9, vec!["P1", "", "2024-01-01", "FEVER", "NOT DONE"]),
    ];
    let err = build_long(rows).unwrap_err();
    assert_eq!(mapping_error(&err).0, Some(9));
    assert_eq!(mapping_error(&err).1, Some(2));
    // A per-visit column (`VISIT` -> `id`) that differs between rows of one
    // visit is a conflict, named by its rename entry.
    let rows: Rows = vec![
        (2, vec!["P1", "V1", "2024-01-01", "RASH", "Y"]),
        (3, vec!["P1", "V2", "2024-01-01", "PGA", "1"]),
    ];
    let err = build_long(rows).unwrap_err();
    assert_eq!(
        mapping_error(&err),
        (Some(3), Some(2), Some("VISIT"), None, Some("rename.VISIT"))
    );
    assert!(
        err.to_string().contains("`V1` (row 2) and `V2` (row 3)"),
        "{err}"
    );
}

#[test]
fn an_unknown_code_is_an_error_unless_ignored() {
    let rows: Rows = vec![(4, vec!["P1", "", "2024-01-01", "RASHH", "Y"])];
    let err = build_long(rows).unwrap_err();
    assert_eq!(
        mapping_error(&err),
        (
            Some(4),
            None,
            Some("QSTESTCD"),
            Some("RASHH"),
            Some("long.tests")
        )
    );
    assert!(err.to_string().contains("did you mean `RASH`?"), "{err}");
    // `TOTAL` is listed under `ignore`: its row adds nothing, not even the
    // visit's existence beyond its date.
    let rows: Rows = vec![(4, vec!["P1", "", "2024-01-01", "TOTAL", "12"])];
    let v = build_long(rows).unwrap();
    assert_eq!(v[0].assessment.missing().len(), 24);
}

#[test]
fn a_result_outside_the_value_map_and_the_grammar_is_an_error_naming_the_entry() {
    let rows: Rows = vec![(5, vec!["P1", "", "2024-01-01", "ARTH", "PRESENT"])];
    let err = build_long(rows).unwrap_err();
    assert_eq!(
        mapping_error(&err),
        (
            Some(5),
            None,
            Some("QSORRES"),
            Some("ARTH"),
            Some("long.tests.ARTH")
        )
    );
    assert!(
        err.to_string()
            .contains("invalid value `PRESENT`: expected 1, 0, true, false"),
        "{err}"
    );
    // A PGA of 4 is outside 0-3.
    let rows: Rows = vec![(6, vec!["P1", "", "2024-01-01", "PGA", "4"])];
    let err = build_long(rows).unwrap_err();
    assert_eq!(mapping_error(&err).3, Some("PGA"));
    assert!(err.to_string().contains("out of range"), "{err}");
}

#[test]
fn a_missing_subject_or_date_is_an_error() {
    // No column renamed to `patient`.
    let m = Mapping::from_json(
        r#"{"rename": {"QSDTC": "date"}, "long": {"test": "QSTESTCD", "result": "QSORRES", "tests": {}}}"#,
    )
    .unwrap();
    let err = mapping::build(
        &["SUBJ", "QSDTC", "QSTESTCD", "QSORRES"],
        Rows::new(),
        &m,
        &HeaderOptions::default().with_extra(ExtraColumns::Ignore),
    )
    .unwrap_err();
    assert_eq!(mapping_error(&err).4, Some("rename"));
    assert!(err.to_string().contains("no subject column"), "{err}");
    // No date column.
    let m = Mapping::from_json(
        r#"{"rename": {"SUBJ": "patient"}, "long": {"test": "T", "result": "R", "tests": {}}}"#,
    )
    .unwrap();
    let err = mapping::build(
        &["SUBJ", "T", "R"],
        Rows::new(),
        &m,
        &HeaderOptions::default(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("no date column"), "{err}");
    // An empty subject cell, an empty date cell, a date that is no date.
    let err = build_long(vec![(8, vec!["", "", "2024-01-01", "RASH", "Y"])]).unwrap_err();
    assert_eq!(mapping_error(&err).0, Some(8));
    assert_eq!(mapping_error(&err).2, Some("USUBJID"));
    let err = build_long(vec![(9, vec!["P1", "", " ", "RASH", "Y"])]).unwrap_err();
    assert_eq!(mapping_error(&err).0, Some(9));
    assert_eq!(mapping_error(&err).2, Some("QSDTC"));
    let err = build_long(vec![(9, vec!["P1", "", "2024-02-30", "RASH", "Y"])]).unwrap_err();
    assert_eq!(mapping_error(&err).2, Some("QSDTC"));
    // A row of the wrong width.
    let err = build_long(vec![(3, vec!["P1", "2024-01-01", "RASH", "Y"])]).unwrap_err();
    assert!(
        err.to_string().starts_with("row 3: expected 5 cells"),
        "{err}"
    );
}

#[test]
fn a_dose_and_a_regimen_in_one_visit_are_an_error() {
    let rows: Rows = vec![
        (2, vec!["P1", "", "2024-01-01", "PRED", "5"]),
        (3, vec!["P1", "", "2024-01-01", "MP", "4"]),
    ];
    let err = build_long(rows).unwrap_err();
    assert_eq!(mapping_error(&err).0, Some(3));
    assert_eq!(mapping_error(&err).1, Some(2));
    // The regimen alone is the drug and its dose.
    let v = build_long(vec![(3, vec!["P1", "", "2024-01-01", "MP", "4"])]).unwrap();
    assert_eq!(
        v[0].glucocorticoids,
        Some(GlucocorticoidInput::Regimen(vec![DrugDose::new(
            Glucocorticoid::Methylprednisolone,
            DailyDose::from_mg(4.0).unwrap()
        )]))
    );
}

#[test]
fn mapping_files_with_mistakes_are_errors_naming_the_entry() {
    let cases: [(&str, &str); 6] = [
        (
            r#"{"rename": {"a": "patient", "a": "date"}}"#,
            "key `a` is given twice",
        ),
        (
            r#"{"renames": {}}"#,
            "mapping entry `renames`: unknown key `renames`, did you mean `rename`?",
        ),
        (
            r#"{"long": {"test": "T", "result": "R", "tests": {"S": "glucocorticoids.prednisone2"}}}"#,
            "mapping entry `long.tests.S`: glucocorticoid: unknown value `prednisone2`",
        ),
        (
            r#"{"long": {"test": "T", "result": "R", "tests": {"S": "patient"}}}"#,
            "mapping entry `long.tests.S`: `patient` places a row",
        ),
        (
            r#"{"layout": "long"}"#,
            "mapping entry `layout`: layout `long` needs a `long` section",
        ),
        (
            r#"{"redcap": {"checkboxes": {"s": {"codes": {"1": "rash"}, "marks": "absent"}}}}"#,
            "mapping entry `redcap.checkboxes.s.marks`: `absent`: expected `present` or `not_assessed`",
        ),
    ];
    for (text, expected) in cases {
        let err = Mapping::from_json(text).unwrap_err();
        assert!(err.to_string().contains(expected), "{text}: {err}");
    }
    assert_eq!(long().layout(), Layout::Long);
    assert!(long().check_layout(Layout::Redcap).is_err());
}

const REDCAP: &str = r#"{
  "layout": "redcap",
  "rename": {"record_id": "patient", "visit_date": "date", "pga_score": "pga"},
  "ignore_columns": ["sledai_complete"],
  "redcap": {
    "checkboxes": {
      "sle": {"codes": {"1": "rash", "2": "arthritis", "3": "low_complement"}, "ignore": ["99"]},
      "sle_nd": {"marks": "not_assessed", "codes": {"3": "low_complement"}}
    },
    "repeat_instruments": {
      "steroids": {"drug": "gc_drug", "mg_per_day": "gc_dose", "drugs": {"1": "prednisone", "2": "prednisolone"}}
    },
    "ignore_instruments": ["adverse_events"]
  }
}"#;

const REDCAP_NAMES: [&str; 13] = [
    "record_id",
    "redcap_event_name",
    "redcap_repeat_instrument",
    "redcap_repeat_instance",
    "visit_date",
    "pga_score",
    "sle___1",
    "sle___2",
    "sle___3",
    "sle___99",
    "sle_nd___3",
    "gc_drug",
    "gc_dose",
];

fn build_redcap(rows: Rows) -> Result<Vec<VisitInput>, Error> {
    let m = Mapping::from_json(REDCAP).unwrap();
    mapping::build(&REDCAP_NAMES, rows, &m, &HeaderOptions::default())
        .map(mapping::MappedVisits::into_visits)
}

#[test]
fn a_redcap_export_with_events_checkboxes_and_a_repeat_instrument() {
    let rows: Rows = vec![
        (
            2,
            vec![
                "P1",
                "month_3",
                "",
                "",
                "2024-04-01",
                "0.5",
                "0",
                "0",
                "0",
                "1",
                "1",
                "",
                "",
            ],
        ),
        (
            3,
            vec![
                "P1",
                "baseline",
                "",
                "",
                "2024-01-01",
                "2",
                "1",
                "1",
                "1",
                "0",
                "0",
                "",
                "",
            ],
        ),
        // The repeat rows of the baseline event: no date, no checkboxes.
        (
            4,
            vec![
                "P1", "baseline", "steroids", "1", "", "", "", "", "", "", "", "2", "10",
            ],
        ),
        (
            5,
            vec![
                "P1", "baseline", "steroids", "2", "", "", "", "", "", "", "", "1", "2.5",
            ],
        ),
        (
            6,
            vec![
                "P1",
                "baseline",
                "adverse_events",
                "1",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
            ],
        ),
    ];
    let v = build_redcap(rows).unwrap();
    assert_eq!(v.len(), 2);
    let (base, m3) = (&v[0], &v[1]);
    assert_eq!(base.date, Some(date("2024-01-01")));
    assert_eq!(base.assessment.get(Descriptor::Rash), Finding::Present);
    assert_eq!(base.assessment.get(Descriptor::Arthritis), Finding::Present);
    assert_eq!(
        base.assessment.get(Descriptor::LowComplement),
        Finding::Present
    );
    // Descriptors the project has no code for are not assessed.
    assert_eq!(base.assessment.get(Descriptor::Fever), Finding::NotAssessed);
    assert_eq!(
        base.glucocorticoids,
        Some(GlucocorticoidInput::Regimen(vec![
            DrugDose::new(Glucocorticoid::Prednisone, DailyDose::from_mg(2.5).unwrap()),
            DrugDose::new(
                Glucocorticoid::Prednisolone,
                DailyDose::from_mg(10.0).unwrap()
            ),
        ]))
    );
    assert_eq!(m3.assessment.get(Descriptor::Rash), Finding::Absent);
    // `sle___3` 0 and `sle_nd___3` 1: not assessed, not absent.
    assert_eq!(
        m3.assessment.get(Descriptor::LowComplement),
        Finding::NotAssessed
    );
    assert_eq!(m3.pga, Some(Pga::new(0.5).unwrap()));
    assert_eq!(m3.glucocorticoids, None);
}

#[test]
fn redcap_errors_name_the_row_the_column_the_code_and_the_entry() {
    let row = |cb1: &'static str, nd: &'static str| -> Rows {
        vec![(
            7,
            vec![
                "P1",
                "baseline",
                "",
                "",
                "2024-01-01",
                "",
                cb1,
                "0",
                "1",
                "0",
                nd,
                "",
                "",
            ],
        )]
    };
    // A label export (`Checked`) is not a checkbox value.
    let err = build_redcap(row("Checked", "0")).unwrap_err();
    assert_eq!(
        mapping_error(&err),
        (
            Some(7),
            None,
            Some("sle___1"),
            Some("1"),
            Some("redcap.checkboxes.sle.codes.1")
        )
    );
    assert!(
        err.to_string().contains("checkbox value `Checked`"),
        "{err}"
    );
    let err = build_redcap(row("2", "0")).unwrap_err();
    assert_eq!(mapping_error(&err).2, Some("sle___1"));
    // Ticked present and not assessed.
    let err = build_redcap(row("1", "1")).unwrap_err();
    assert_eq!(mapping_error(&err).2, Some("sle_nd___3"));
    // An unknown repeat instrument.
    let rows: Rows = vec![
        (
            2,
            vec![
                "P1",
                "baseline",
                "",
                "",
                "2024-01-01",
                "",
                "0",
                "0",
                "0",
                "0",
                "0",
                "",
                "",
            ],
        ),
        (
            3,
            vec![
                "P1", "baseline", "labs", "1", "", "", "", "", "", "", "", "", "",
            ],
        ),
    ];
    let err = build_redcap(rows).unwrap_err();
    assert_eq!(
        mapping_error(&err),
        (
            Some(3),
            None,
            Some("redcap_repeat_instrument"),
            Some("labs"),
            Some("redcap.repeat_instruments")
        )
    );
    // An unknown drug code; a drug cell on a row that is no instance.
    let rows: Rows = vec![
        (
            2,
            vec![
                "P1",
                "baseline",
                "",
                "",
                "2024-01-01",
                "",
                "0",
                "0",
                "0",
                "0",
                "0",
                "",
                "",
            ],
        ),
        (
            3,
            vec![
                "P1", "baseline", "steroids", "1", "", "", "", "", "", "", "", "7", "5",
            ],
        ),
    ];
    let err = build_redcap(rows).unwrap_err();
    assert_eq!(mapping_error(&err).3, Some("7"));
    assert_eq!(
        mapping_error(&err).4,
        Some("redcap.repeat_instruments.steroids.drugs")
    );
    let rows: Rows = vec![(
        2,
        vec![
            "P1",
            "baseline",
            "",
            "",
            "2024-01-01",
            "",
            "0",
            "0",
            "0",
            "0",
            "0",
            "1",
            "5",
        ],
    )];
    let err = build_redcap(rows).unwrap_err();
    assert_eq!(mapping_error(&err).2, Some("gc_drug"));
    // One drug in two instances of one visit, even with equal doses: two
    // records, not one fact twice.
    let rows: Rows = vec![
        (
            2,
            vec![
                "P1",
                "baseline",
                "",
                "",
                "2024-01-01",
                "",
                "0",
                "0",
                "0",
                "0",
                "0",
                "",
                "",
            ],
        ),
        (
            3,
            vec![
                "P1", "baseline", "steroids", "1", "", "", "", "", "", "", "", "1", "5",
            ],
        ),
        (
            4,
            vec![
                "P1", "baseline", "steroids", "2", "", "", "", "", "", "", "", "1", "5",
            ],
        ),
    ];
    let err = build_redcap(rows).unwrap_err();
    assert_eq!(mapping_error(&err).0, Some(4));
    assert_eq!(mapping_error(&err).1, Some(3));
    assert!(
        err.to_string()
            .contains("lists `prednisone` in two instances"),
        "{err}"
    );
    // An event without a date anywhere.
    let rows: Rows = vec![(
        4,
        vec![
            "P1", "baseline", "steroids", "1", "", "", "", "", "", "", "", "1", "5",
        ],
    )];
    let err = build_redcap(rows).unwrap_err();
    assert_eq!(mapping_error(&err).0, Some(4));
    assert!(err.to_string().contains("has no date"), "{err}");
    // Two visit rows of one event with different dates.
    let rows: Rows = vec![
        (
            2,
            vec![
                "P1",
                "baseline",
                "",
                "",
                "2024-01-01",
                "",
                "0",
                "0",
                "0",
                "0",
                "0",
                "",
                "",
            ],
        ),
        (
            5,
            vec![
                "P1",
                "baseline",
                "",
                "",
                "2024-01-02",
                "",
                "0",
                "0",
                "0",
                "0",
                "0",
                "",
                "",
            ],
        ),
    ];
    let err = build_redcap(rows).unwrap_err();
    assert_eq!(mapping_error(&err).0, Some(5));
    assert_eq!(mapping_error(&err).1, Some(2));
}

#[test]
fn redcap_header_problems() {
    let m = Mapping::from_json(REDCAP).unwrap();
    // A checkbox code the mapping neither maps nor ignores.
    let mut names = REDCAP_NAMES.to_vec();
    names.push("sle___4");
    let err = mapping::build(&names, Rows::new(), &m, &HeaderOptions::default()).unwrap_err();
    assert_eq!(
        mapping_error(&err),
        (
            None,
            None,
            Some("sle___4"),
            Some("4"),
            Some("redcap.checkboxes.sle.codes")
        )
    );
    // A mapped code whose column the export lacks.
    let names: Vec<&str> = REDCAP_NAMES
        .iter()
        .copied()
        .filter(|n| *n != "sle___2")
        .collect();
    let err = mapping::build(&names, Rows::new(), &m, &HeaderOptions::default()).unwrap_err();
    assert_eq!(mapping_error(&err).2, Some("sle___2"));
    // Other columns go through the one header resolution: `PGA` is never
    // ignored, it needs a rename.
    let mut names = REDCAP_NAMES.to_vec();
    names.push("Fever");
    let err = mapping::build(
        &names,
        Rows::new(),
        &m,
        &HeaderOptions::default().with_extra(ExtraColumns::Ignore),
    )
    .unwrap_err();
    let Error::Header { header, .. } = &err else {
        panic!("{err}")
    };
    assert_eq!(header.renames, [("Fever".to_owned(), "fever".to_owned())]);
    // A caller's rename (`--rename`) adds to the mapping's.
    let err = mapping::build(
        &names,
        Rows::new(),
        &m,
        &HeaderOptions::default().with_rename("Fever", "fever"),
    );
    assert!(err.is_ok(), "{err:?}");
}

/// One generated visit: the findings of the 24 descriptors and a PGA.
#[derive(Debug, Clone)]
struct Gen {
    findings: Vec<Option<bool>>,
    pga_tenths: Option<u8>,
}

fn gen_visit() -> impl Strategy<Value = Gen> {
    (
        proptest::collection::vec(proptest::option::of(any::<bool>()), 24),
        proptest::option::of(0u8..=30),
    )
        .prop_map(|(findings, pga_tenths)| Gen {
            findings,
            pga_tenths,
        })
}

proptest! {
    /// A long table of generated visits, its rows shuffled, gives the visit
    /// records built directly (the descriptor codes are the identifiers;
    /// every finding is a row, `""` for not assessed).
    #[test]
    fn a_shuffled_long_table_gives_the_visits_built_directly(
        visits in proptest::collection::vec(gen_visit(), 1..6),
        seed in any::<u64>(),
    ) {
        let tests: Vec<String> = Descriptor::ALL.iter().map(|d| format!("\"{0}\": \"{0}\"", d.id())).collect();
        let m = Mapping::from_json(&format!(
            r#"{{"rename": {{"S": "patient", "D": "date"}}, "long": {{"test": "T", "result": "R", "tests": {{{}, "PGA": "pga"}}}}}}"#,
            tests.join(", ")
        )).unwrap();
        let mut rows: Vec<(u64, Vec<String>)> = Vec::new();
        let mut expected = Vec::new();
        for (i, g) in visits.iter().enumerate() {
            let patient = format!("P{}", i % 2);
            let day = date("2024-01-01").checked_add_days(i32::try_from(i).unwrap() * 30).unwrap();
            let mut assessment = Assessment::not_assessed();
            for (d, f) in Descriptor::ALL.iter().zip(&g.findings) {
                let cell = match f { Some(true) => "1", Some(false) => "0", None => "" };
                rows.push((0, vec![patient.clone(), day.to_string(), d.id().to_owned(), cell.to_owned()]));
                assessment = assessment.with(*d, Finding::from_option(*f));
            }
            let mut v = VisitInput::new(assessment);
            if let Some(t) = g.pga_tenths {
                rows.push((0, vec![patient.clone(), day.to_string(), "PGA".to_owned(), format!("{}.{}", t / 10, t % 10)]));
                v.pga = Some(Pga::new(f64::from(t) / 10.0).unwrap());
            }
            v.patient = Some(patient);
            v.date = Some(day);
            expected.push(v);
        }
        // A deterministic shuffle from the seed; rows are then numbered.
        let mut state = seed | 1;
        for i in (1..rows.len()).rev() {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17;
            let j = usize::try_from(state % (i as u64 + 1)).unwrap();
            rows.swap(i, j);
        }
        for (n, r) in rows.iter_mut().enumerate() { r.0 = n as u64 + 2; }
        expected.sort_by_key(|a| (a.patient.clone(), a.date));
        let out = mapping::build(&["S", "D", "T", "R"], rows, &m, &HeaderOptions::default()).unwrap();
        prop_assert_eq!(out.into_visits(), expected);
    }
}

#[test]
fn a_redcap_export_without_events_groups_rows_by_record_and_date() {
    let m = Mapping::from_json(
        r#"{"rename": {"record_id": "patient", "visit_date": "date"},
            "redcap": {"checkboxes": {"sle": {"codes": {"1": "rash"}}}}}"#,
    )
    .unwrap();
    let names = ["record_id", "visit_date", "sle___1"];
    let rows: Rows = vec![
        (2, vec!["P1", "2024-03-01", "1"]),
        (3, vec!["P1", "2024-01-01", "0"]),
        (4, vec!["P1", "2024-03-01", "1"]),
    ];
    let out = mapping::build(&names, rows, &m, &HeaderOptions::default()).unwrap();
    // Rows 2 and 4 are one visit (one record, one date), which comes second.
    assert_eq!(out.rows(), [3, 2]);
    assert_eq!(
        out.visits()[0].assessment.get(Descriptor::Rash),
        Finding::Absent
    );
    assert_eq!(
        out.visits()[1].assessment.get(Descriptor::Rash),
        Finding::Present
    );
    // Without events a row needs its date.
    let rows: Rows = vec![(5, vec!["P1", "", "1"])];
    let err = mapping::build(&names, rows, &m, &HeaderOptions::default()).unwrap_err();
    assert_eq!(mapping_error(&err).0, Some(5));
    assert_eq!(mapping_error(&err).2, Some("visit_date"));
}
