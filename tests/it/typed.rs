//! `table::typed::TableBuilder` in any selection of the visit layout: each
//! cell of the typed table is the cell its column's own getter gives
//! (`OutputColumn::cell`, the one definition of the column), converted by
//! the table of `table::typed`'s module docs (re-implemented here), and
//! each DORIS 2017 and SRI-k state is the state of the explained result
//! the visit computes on demand (`VisitResult::doris_2017`,
//! `VisitResult::sri`). The builder reads the columns that share a
//! computation (the four DORIS 2017 variants) together and the others
//! through a loop with their getter inlined; these tests hold whatever
//! the order of the columns, with every member of a group, a few, or one,
//! and row by row (`push`) or in batches (`extend`).

use super::rng;
use sledai::bilag::{BilagGrade, BilagGrades};
use sledai::change::Sri;
use sledai::glucocorticoid::PrednisoneEquivalent;
use sledai::remission_2017::{
    Doris2017Index, Doris2017Variant, DorisOffTreatmentAntimalarial, Remission2017Options,
};
use sledai::table::output::{Cell, OutputColumn, OutputKind, VisitColumns, visit_columns};
use sledai::table::typed::{ColumnData, TableBuilder, TypedTable};
use sledai::visit::{PatientStream, VisitInput, VisitOptions, VisitResult};
use sledai::{Assessment, Date, Descriptor, Pga, TriState};

/// Four patients' successive visits: sparse descriptors (some not
/// assessed), PGA, dose, BILAG grades or new A/B counts, treatment flags
/// and treatment failure, each sometimes missing; the results of the
/// visits the stream accepts.
fn results(options: VisitOptions, seed: u64) -> Vec<VisitResult> {
    let mut next = rng(seed);
    let mut stream = PatientStream::new(options);
    let mut out = Vec::new();
    let grades = [
        BilagGrade::A,
        BilagGrade::B,
        BilagGrade::C,
        BilagGrade::D,
        BilagGrade::E,
    ];
    let flag = |x: u64| match x % 3 {
        0 => None,
        1 => Some(false),
        _ => Some(true),
    };
    for p in 0..4 {
        let mut date = Date::new(2024, 1, 1).expect("a date");
        for visit in 0..50 {
            // The baseline: every clinical descriptor and serology (21),
            // PGA 3 (it cannot rise); then totals 0 to 17 (falls of every
            // size around SRI-4..8's), serology alone or with clinical
            // activity.
            let pick = |x: u64, d: &[Descriptor]| -> u32 {
                d.iter()
                    .enumerate()
                    .filter(|(i, _)| x >> i & 1 == 1)
                    .map(|(_, d)| d.bit())
                    .fold(0, |a, b| a | b)
            };
            use Descriptor as D;
            let clinical = [D::Arthritis, D::Rash, D::Seizure, D::Alopecia, D::Fever];
            let present = if visit == 0 {
                pick(u64::MAX, &clinical) | pick(3, &[D::LowComplement, D::IncreasedDnaBinding])
            } else if next() % 3 == 0 {
                0
            } else {
                pick(next(), &clinical)
            } | pick(
                next() % 4 * u64::from(next() % 2 == 0),
                &[D::LowComplement, D::IncreasedDnaBinding],
            );
            let missing = if next() % 4 == 0 {
                pick(next(), &[D::Pyuria, D::LowComplement, D::Pleurisy]) & !present
            } else {
                0
            };
            let mut v = VisitInput::dated(
                date,
                Assessment::from_masks(present, missing).expect("24 bits"),
            )
            .with_patient(if p == 2 {
                // Longer than the 22 bytes a result holds in place.
                "patient-é-with-a-long-identifier".to_owned()
            } else {
                format!("P{p}")
            });
            // An id on most visits: empty, short, multi-byte, long.
            v.id = match next() % 5 {
                0 => None,
                1 => Some(String::new()),
                2 => Some(format!("v{p}")),
                3 => Some("患者-訪問".to_owned()),
                _ => Some("x".repeat(30)),
            };
            date = date
                .checked_add_days(7 + i32::try_from(next() % 60).expect("small"))
                .expect("a date");
            if visit == 0 {
                v.pga = Some(Pga::from_tenths(30).expect("0-3"));
            } else if next() % 5 != 0 {
                v.pga =
                    Some(Pga::from_tenths(u8::try_from(next() % 31).expect("small")).expect("0-3"));
            }
            if next() % 4 != 0 {
                let mg = f64::from(u8::try_from(next() % 12).expect("small") / 2) / 2.0;
                v = v
                    .with_prednisone_equivalent(PrednisoneEquivalent::from_mg(mg).expect("a dose"));
            }
            match next() % 3 {
                0 => {
                    let g: [Option<BilagGrade>; 9] = std::array::from_fn(|_| match next() % 7 {
                        0 => None,
                        k => Some(grades[usize::try_from(k % 5).expect("small")]),
                    });
                    v.bilag = Some(BilagGrades::new(g));
                }
                1 => {
                    v.new_bilag_a = flag(next()).map(u8::from);
                    v.new_bilag_b = flag(next()).map(u8::from);
                }
                _ => {}
            }
            v.treatment_failure = flag(next());
            // Mostly off the drugs: the off-treatment variants met at times.
            let drug = |x: u64| (x % 8 != 0).then_some(x % 8 == 7);
            v.on_immunosuppressant = drug(next());
            v.on_biologic = drug(next());
            v.on_antimalarial = drug(next());
            if let Ok(r) = stream.assess(&v) {
                out.push(r);
            }
        }
    }
    out
}

/// What a typed column holds at one row, by the module table of
/// `table::typed`: `None` for an empty cell.
#[derive(Debug, PartialEq)]
enum Typed {
    Int(Option<i64>),
    Number(Option<u64>),
    Boolean(Option<bool>),
    Code(i8),
    Days(Option<i32>),
    Text(Option<String>),
}

/// The expected typed cell of `column` for `r`, from the column's getter.
fn expected(column: &OutputColumn<VisitResult>, r: &VisitResult) -> Typed {
    let cell = column.cell(r);
    match column.kind() {
        OutputKind::SmallInteger | OutputKind::Integer => Typed::Int(match cell {
            Cell::Integer(x) => Some(x),
            _ => None,
        }),
        OutputKind::Number => Typed::Number(match cell {
            Cell::Number(x) => Some(x.to_bits()),
            _ => None,
        }),
        OutputKind::Boolean => Typed::Boolean(match cell {
            Cell::Boolean(x) => Some(x),
            _ => None,
        }),
        OutputKind::State => Typed::Code(match cell {
            Cell::State(k) => i8::try_from(k).expect("a small code"),
            _ => -1,
        }),
        OutputKind::Date => Typed::Days(match cell {
            Cell::Date(d) => Some(d.days_since(Date::new(1970, 1, 1).expect("a date"))),
            _ => None,
        }),
        _ => Typed::Text(match cell {
            Cell::Text(t) => Some(t.to_owned()),
            Cell::List(ids) => Some(ids.iter().collect::<Vec<_>>().join(";")),
            Cell::Date(d) => Some(d.to_string()),
            _ => None,
        }),
    }
}

/// The typed cell at row `i` of `data`.
fn got(data: &ColumnData, i: usize) -> Typed {
    match data {
        ColumnData::SmallInteger { values, empty, .. } => {
            Typed::Int((!empty[i]).then(|| i64::from(values[i])))
        }
        ColumnData::Integer { values, empty, .. } => Typed::Int((!empty[i]).then(|| values[i])),
        ColumnData::Number { values, empty, .. } => {
            assert!(!empty[i] || values[i].is_nan(), "NaN under an empty number");
            Typed::Number((!empty[i]).then(|| values[i].to_bits()))
        }
        ColumnData::Boolean { values, empty, .. } => Typed::Boolean((!empty[i]).then(|| values[i])),
        ColumnData::State { codes, .. } => Typed::Code(codes[i]),
        ColumnData::Date { days, empty, .. } => Typed::Days((!empty[i]).then(|| days[i])),
        ColumnData::Text { .. } => Typed::Text(data.text(i).map(str::to_owned)),
        other => panic!("another kind of column: {other:?}"),
    }
}

/// Every cell of `table` (built from `rows` in the layout `names`) is the
/// expected one; the DORIS 2017 and SRI-k states are the explained ones.
fn check(table: &TypedTable, names: &[&str], rows: &[VisitResult], what: &str) {
    assert_eq!(table.len(), rows.len(), "{what}");
    assert_eq!(table.columns().len(), names.len(), "{what}");
    for (c, name) in table.columns().iter().zip(names) {
        assert_eq!(c.name(), *name, "{what}");
        let column = visit_columns()
            .iter()
            .find(|x| x.name() == *name)
            .expect("a column");
        assert_eq!(c.data().len(), rows.len(), "{what}: {name}");
        for (i, r) in rows.iter().enumerate() {
            assert_eq!(
                got(c.data(), i),
                expected(column, r),
                "{what}: {name}, row {i}"
            );
        }
        for (i, r) in rows.iter().enumerate() {
            if let Some(state) = explained(name, r) {
                let code = match state {
                    Some(s) => i8::try_from(
                        c.states()
                            .iter()
                            .position(|x| *x == s.id())
                            .expect("a state"),
                    )
                    .expect("small"),
                    None => -1,
                };
                assert_eq!(
                    got(c.data(), i),
                    Typed::Code(code),
                    "{what}: {name}, row {i}"
                );
            }
        }
    }
}

/// The state of the explained result of a DORIS 2017 or SRI-k column
/// (`Some(None)` before the baseline for SRI-k), `None` for another column.
fn explained(name: &str, r: &VisitResult) -> Option<Option<TriState>> {
    if let Some(v) = Doris2017Variant::ALL.iter().find(|v| v.id() == name) {
        return Some(Some(r.doris_2017(*v).state()));
    }
    let k = ["sri_4", "sri_5", "sri_6", "sri_7", "sri_8"]
        .iter()
        .position(|n| *n == name)?;
    Some(r.sri(Sri::ALL[k]).map(|s| s.state()))
}

/// The layouts tried: every column in order and reversed; the groups'
/// members interleaved with other columns, in another order, a few of
/// them, or one; each column alone.
fn layouts() -> Vec<Vec<&'static str>> {
    let all: Vec<&str> = visit_columns().iter().map(|c| c.name()).collect();
    let mut out = vec![all.clone(), all.iter().rev().copied().collect()];
    out.push(vec![
        "sri_8",
        "doris_2017_complete_off_treatment",
        "patient",
        "sri_4",
        "doris_2017_clinical_on_treatment",
        "sri_6",
        "lldas",
    ]);
    out.push(vec!["doris_2017_clinical_off_treatment", "sri_5"]);
    out.push(vec!["sri_7", "sri_5", "bicla"]);
    out.extend(all.iter().map(|n| vec![*n]));
    out
}

fn run(options: VisitOptions, seed: u64, what: &str) {
    let rows = results(options, seed);
    assert!(rows.len() > 60, "{what}: most visits are accepted");
    // Some rows after the baseline, with SRI-k and DORIS 2017 met and not.
    // The columns of a group differ from one another (so a member given
    // another's cell is seen).
    let all = visit_columns().iter().map(|c| c.name()).collect::<Vec<_>>();
    let mut whole = TableBuilder::new(visit_columns(), rows.len());
    whole.extend(&rows);
    let whole = whole.finish();
    let data = |n: &str| whole.column(n).expect("a column").data().clone();
    let doris: Vec<&str> = Doris2017Variant::ALL.iter().map(|v| v.id()).collect();
    let sri = ["sri_4", "sri_5", "sri_6", "sri_7", "sri_8"];
    for group in [&doris[..], &sri[..]] {
        for (i, a) in group.iter().enumerate() {
            for b in &group[i + 1..] {
                assert!(data(a) != data(b), "{what}: {a} and {b} are one column");
            }
        }
    }
    assert_eq!(all.len(), 41);
    for names in layouts() {
        let selected = VisitColumns::select(&names).expect("layout names");
        let mut batch = TableBuilder::new(selected.columns(), rows.len());
        for part in rows.chunks(37) {
            batch.extend(part);
        }
        let batch = batch.finish();
        check(&batch, &names, &rows, &format!("{what}: extend {names:?}"));
        let mut single = TableBuilder::new(selected.columns(), 0);
        for r in &rows {
            single.push(r);
        }
        assert!(
            single.finish() == batch,
            "{what}: push and extend {names:?}"
        );
    }
}

#[test]
fn every_layout_gives_each_columns_own_cells() {
    run(VisitOptions::default(), 11, "default options");
}

#[test]
fn every_layout_gives_each_columns_own_cells_under_other_doris_2017_options() {
    let o = Remission2017Options::default()
        .with_index(Doris2017Index::BilagDE)
        .with_antimalarial(DorisOffTreatmentAntimalarial::Excluded);
    run(
        VisitOptions::default().with_remission_2017(o),
        12,
        "BILAG index, drug-free",
    );
}
