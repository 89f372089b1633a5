//! `table::frame::assess` (issue 11): a table of typed columns assessed
//! whole, on several threads, equals the one sequential loop that defines
//! it (records by `column::visits`, each through one `PatientStream` in
//! row order, each result pushed to a `TableBuilder`), result for result
//! and error for error, for tables sorted by patient (split into blocks),
//! interleaved (not split), with undated and patient-less rows, and with a
//! bad cell or a visit out of date order in any block. Hand-computed
//! facts: totals and changes of a small table, and the first error's row.

use super::rng;
use sledai::table::column::{self, Bitmap, Column, Values};
use sledai::table::frame::{self, FrameOptions};
use sledai::table::output::visit_columns;
use sledai::table::typed::{ColumnData, TableBuilder, TypedTable};
use sledai::table::{self as tbl, Header, HeaderOptions};
use sledai::timeline::{Cohort, SummaryOptions, TimelineOptions, Window};
use sledai::visit::{PatientStream, VisitOptions};
use sledai::{Descriptor, Error, Threads};

/// A generated table: descriptor bytes per column, patients, days, PGA.
struct Table {
    descriptors: Vec<Vec<u8>>,
    patient: Vec<Option<String>>,
    days: Vec<i32>,
    dated: Vec<u8>,
    pga: Vec<f64>,
}

/// `patients` x `visits` rows, patient-major, visits 7 to 35 days apart;
/// each descriptor present with probability about 1/16, PGA 0.0 to 2.9.
fn generate(patients: usize, visits: usize, seed: u64) -> Table {
    let mut next = rng(seed);
    let n = patients * visits;
    let mut t = Table {
        descriptors: (0..24).map(|_| Vec::with_capacity(n)).collect(),
        patient: Vec::with_capacity(n),
        days: Vec::with_capacity(n),
        dated: vec![0; n],
        pga: Vec::with_capacity(n),
    };
    for p in 0..patients {
        let mut day = 18_000 + i32::try_from(next() % 365).expect("small");
        for _ in 0..visits {
            day += 7 + i32::try_from(next() % 29).expect("small");
            for col in &mut t.descriptors {
                col.push(u8::from(next() % 16 == 0));
            }
            t.patient.push(Some(format!("P{p:05}")));
            t.days.push(day);
            t.pga
                .push(f64::from(u8::try_from(next() % 30).expect("small")) / 10.0);
        }
    }
    t
}

fn header() -> Header {
    let mut names: Vec<&str> = Descriptor::ALL.iter().map(|d| d.id()).collect();
    names.extend(["patient", "date", "pga"]);
    tbl::resolve(&names, &HeaderOptions::default()).expect("a valid header")
}

fn columns<'a>(t: &'a Table, patient: &'a [Option<&'a str>]) -> Vec<Column<'a>> {
    let mut cols: Vec<Column<'a>> = t
        .descriptors
        .iter()
        .map(|c| Column::new(Values::Bool(c)))
        .collect();
    cols.push(Column::new(Values::Text(patient)));
    cols.push(Column::new(Values::Days(&t.days)).with_missing(&t.dated));
    cols.push(Column::new(Values::F64(&t.pga)));
    cols
}

/// What the definition gives: a table, the error of reading the
/// records, or the error of the stream at a row.
#[derive(Debug)]
enum Expected {
    Table(TypedTable),
    Records(Error),
    Visit(usize, Error),
}

/// The definition: records, then one stream in row order.
fn reference(header: &Header, cols: &[Column<'_>], n: usize) -> Expected {
    let inputs = match column::visits(header, cols, n) {
        Ok(v) => v,
        Err(e) => return Expected::Records(e),
    };
    let mut stream = PatientStream::new(VisitOptions::default());
    let mut out = TableBuilder::new(visit_columns(), n);
    for (i, v) in inputs.iter().enumerate() {
        match stream.assess(v) {
            Ok(r) => out.push(&r),
            Err(e) => return Expected::Visit(i, e),
        }
    }
    Expected::Table(out.finish())
}

/// Every thread count gives the reference's table or its error; the
/// error returned (a stream's error wrapped as `InBatch` of its row).
fn check(t: &Table, what: &str) -> Result<TypedTable, Error> {
    let patient: Vec<Option<&str>> = t.patient.iter().map(Option::as_deref).collect();
    let cols = columns(t, &patient);
    let (h, n) = (header(), t.days.len());
    let expected = reference(&h, &cols, n);
    let mut last = None;
    for threads in [1, 2, 3, 7] {
        let o = FrameOptions::default().with_threads(Threads::new(threads).expect("> 0"));
        let got = frame::assess(&h, &cols, n, o);
        match (&expected, &got) {
            (Expected::Table(a), Ok(b)) => {
                assert!(a == b, "{what}: {threads} threads: another table");
            }
            (Expected::Records(a), Err(b)) => assert_eq!(a, b, "{what}: {threads} threads"),
            (Expected::Visit(row, a), Err(Error::InBatch { index, source, .. })) => {
                assert_eq!((row, a), (index, &**source), "{what}: {threads} threads");
            }
            _ => panic!("{what}: {threads} threads: {got:?} instead of {expected:?}"),
        }
        last = Some(got);
    }
    last.expect("four runs")
}

const PATIENTS: usize = 400;
const VISITS: usize = 30; // 12,000 rows: several blocks of at least 4096

#[test]
fn sorted_by_patient_equals_the_sequential_loop() {
    for seed in [1, 2, 3] {
        let t = generate(PATIENTS, VISITS, seed);
        let out = check(&t, "sorted").expect("a valid table");
        assert_eq!(out.len(), PATIENTS * VISITS);
    }
}

#[test]
fn interleaved_undated_and_patientless_rows_equal_the_sequential_loop() {
    // Interleaved: visit k of every patient, then visit k + 1 (date order
    // within each patient is kept).
    let t = generate(PATIENTS, VISITS, 4);
    let n = PATIENTS * VISITS;
    let order: Vec<usize> = (0..VISITS)
        .flat_map(|v| (0..PATIENTS).map(move |p| p * VISITS + v))
        .collect();
    let mut u = generate(0, 0, 0);
    for col in 0..24 {
        u.descriptors[col] = order.iter().map(|&i| t.descriptors[col][i]).collect();
    }
    u.patient = order.iter().map(|&i| t.patient[i].clone()).collect();
    u.days = order.iter().map(|&i| t.days[i]).collect();
    u.pga = order.iter().map(|&i| t.pga[i]).collect();
    u.dated = vec![0; n];
    check(&u, "interleaved").expect("a valid table");

    // Sorted, with every 7th row undated and every 11th without patient.
    let mut t = generate(PATIENTS, VISITS, 5);
    for i in (0..n).step_by(7) {
        t.dated[i] = 1;
    }
    for i in (0..n).step_by(11) {
        t.patient[i] = None;
    }
    check(&t, "undated and patient-less").expect("a valid table");
}

#[test]
fn the_first_error_in_row_order_whatever_the_block() {
    // A visit the stream refuses (a second visit on one date) early in
    // the table and a bad descriptor byte later, in another block: the
    // records are read first, so the bad cell is the error although its
    // row comes after (`column::visits`, then the stream).
    let mut t = generate(PATIENTS, VISITS, 6);
    let early = 2_001;
    t.days[early] = t.days[early - 1];
    let err = check(&t, "a duplicate date").expect_err("a duplicate date");
    assert!(
        err.to_string()
            .starts_with(&format!("item {early}: date: invalid value")),
        "{err}"
    );
    t.descriptors[usize::from(Descriptor::Cva.position()) - 1][9_000] = 2;
    let err = check(&t, "a bad cell").expect_err("a bad cell");
    assert!(
        err.to_string()
            .starts_with("item 9000: cva: invalid value `2`"),
        "{err}"
    );
    // Two visits out of order in two blocks: the earlier row's.
    let mut t = generate(PATIENTS, VISITS, 7);
    t.days[9_001] = t.days[9_000] - 1;
    t.days[2_001] = t.days[2_000];
    let err = check(&t, "two bad dates").expect_err("two bad dates");
    assert!(err.to_string().starts_with("item 2001: date"), "{err}");
}

#[test]
fn hand_computed_totals_and_changes() {
    // P1: arthritis (4) then rash (2) then nothing; P2: proteinuria (4)
    // then proteinuria and fever (4 + 1). Changes from each first visit:
    // 0, -2, -4 and 0, +1.
    let mut t = generate(0, 0, 0);
    let rows: [(&str, i32, &[Descriptor]); 5] = [
        ("P1", 19_723, &[Descriptor::Arthritis]),
        ("P1", 19_813, &[Descriptor::Rash]),
        ("P2", 19_723, &[Descriptor::Proteinuria]),
        ("P1", 19_900, &[]),
        ("P2", 19_800, &[Descriptor::Proteinuria, Descriptor::Fever]),
    ];
    for (p, day, present) in rows {
        for (col, d) in t.descriptors.iter_mut().zip(Descriptor::ALL) {
            col.push(u8::from(present.contains(&d)));
        }
        t.patient.push(Some(p.to_owned()));
        t.days.push(day);
        t.dated.push(0);
        t.pga.push(f64::NAN);
    }
    let out = check(&t, "hand-computed").expect("a valid table");
    let small = |name: &str| match out.column(name).expect("a column").data() {
        ColumnData::SmallInteger { values, .. } => values.clone(),
        other => panic!("{name}: {other:?}"),
    };
    assert_eq!(small("sledai_2k"), [4, 2, 4, 0, 5]);
    assert_eq!(small("change_from_baseline"), [0, -2, 0, -4, 1]);
    let ColumnData::Date { days, .. } = out.column("baseline_date").expect("a column").data()
    else {
        panic!("dates")
    };
    assert_eq!(days[..], [19_723, 19_723, 19_723, 19_723, 19_723]);
}

#[test]
fn records_on_threads_are_the_records_of_column_visits() {
    let mut t = generate(PATIENTS, VISITS, 8);
    for i in (0..t.days.len()).step_by(13) {
        t.dated[i] = 1;
    }
    let records = |t: &Table| {
        let patient: Vec<Option<&str>> = t.patient.iter().map(Option::as_deref).collect();
        let cols = columns(t, &patient);
        let (h, n) = (header(), t.days.len());
        let expected = column::visits(&h, &cols, n);
        for threads in [1, 2, 3, 7] {
            let got = frame::records(&h, &cols, n, Threads::new(threads).expect("> 0"));
            assert_eq!(got, expected, "{threads} threads");
        }
        expected
    };
    assert_eq!(records(&t).expect("valid").len(), PATIENTS * VISITS);
    // Bad cells in two blocks: column::visits' error, descriptor cells
    // before field cells (the bad PGA's row comes first), whichever block
    // a thread reads first.
    t.pga[9_000] = 3.5;
    t.descriptors[0][10_500] = 7;
    let err = records(&t).expect_err("bad cells");
    assert!(
        err.to_string()
            .starts_with("item 10500: seizure: invalid value `7`"),
        "{err}"
    );
}

#[test]
fn a_table_without_patients_equals_the_sequential_loop() {
    // Every row is a patient of its own: blocks need no boundary.
    let t = generate(PATIENTS, VISITS, 9);
    let mut names: Vec<&str> = Descriptor::ALL.iter().map(|d| d.id()).collect();
    names.extend(["date", "pga"]);
    let h = tbl::resolve(&names, &HeaderOptions::default()).expect("a valid header");
    let mut cols: Vec<Column<'_>> = t
        .descriptors
        .iter()
        .map(|c| Column::new(Values::Bool(c)))
        .collect();
    cols.push(Column::new(Values::Days(&t.days)));
    cols.push(Column::new(Values::F64(&t.pga)));
    let n = t.days.len();
    let Expected::Table(expected) = reference(&h, &cols, n) else {
        panic!("a valid table")
    };
    for threads in [1, 2, 3, 7] {
        let o = FrameOptions::default().with_threads(Threads::new(threads).expect("> 0"));
        let got = frame::assess(&h, &cols, n, o).expect("a valid table");
        assert!(got == expected, "{threads} threads");
    }
    // Each row is its own baseline: every change is 0.
    let ColumnData::SmallInteger { values, .. } = expected
        .column("change_from_baseline")
        .expect("a column")
        .data()
    else {
        panic!("integers")
    };
    assert!(values.iter().all(|&c| c == 0));
}

#[test]
fn bitmap_columns_split_into_blocks_equal_the_byte_columns() {
    // The descriptors as Arrow bitmaps from bit 3 (LSB first, the rule
    // written out here), with a validity bitmap marking every 97th row of
    // the first column not recorded: blocks slice the bitmaps at row
    // boundaries that are not byte boundaries.
    let t = generate(PATIENTS, VISITS, 10);
    let n = t.days.len();
    let pack = |bits: &dyn Fn(usize) -> bool| {
        let mut out = vec![0u8; (n + 3).div_ceil(8)];
        for i in 0..n {
            if bits(i) {
                out[(i + 3) / 8] |= 1 << ((i + 3) % 8);
            }
        }
        out
    };
    let packed: Vec<Vec<u8>> = t.descriptors.iter().map(|c| pack(&|i| c[i] == 1)).collect();
    let valid = pack(&|i| i % 97 != 0);
    let missing: Vec<u8> = (0..n).map(|i| u8::from(i % 97 == 0)).collect();
    let patient: Vec<Option<&str>> = t.patient.iter().map(Option::as_deref).collect();
    let mut bytes = columns(&t, &patient);
    bytes[0] = bytes[0].with_missing(&missing);
    let mut bits = bytes.clone();
    for (k, p) in packed.iter().enumerate() {
        bits[k] = Column::new(Values::Bits(column::Bitmap::new(p, 3, n)));
    }
    bits[0] = bits[0].with_validity(column::Bitmap::new(&valid, 3, n));
    let h = header();
    let Expected::Table(expected) = reference(&h, &bytes, n) else {
        panic!("a valid table")
    };
    for threads in [1, 2, 3] {
        let o = FrameOptions::default().with_threads(Threads::new(threads).expect("> 0"));
        let got = frame::assess(&h, &bits, n, o).expect("a valid table");
        assert!(got == expected, "{threads} threads");
        let records = frame::records(&h, &bits, n, Threads::new(threads).expect("> 0"));
        assert_eq!(records, column::visits(&h, &bytes, n), "{threads} threads");
    }
}

/// `frame::cohort` on 1, 2, 3 and 7 threads equals its definition,
/// `Cohort::from_records` of the table's records: the same cohort or the
/// same error; the cohort returned.
fn check_cohort(t: &Table, what: &str) -> Result<Cohort, Error> {
    let patient: Vec<Option<&str>> = t.patient.iter().map(Option::as_deref).collect();
    let cols = columns(t, &patient);
    let (h, n) = (header(), t.days.len());
    let expected = column::visits(&h, &cols, n)
        .and_then(|r| Cohort::from_records(r, &TimelineOptions::default()));
    for threads in [1, 2, 3, 7] {
        let o = TimelineOptions::default().with_threads(Threads::new(threads).expect("> 0"));
        let got = frame::cohort(&h, &cols, n, &o);
        assert_eq!(got, expected, "{what}: {threads} threads");
    }
    expected
}

/// The rows of `t` interleaved: visit k of every patient, then k + 1.
fn interleaved(t: &Table, patients: usize, visits: usize) -> Table {
    let mut out = patients_reordered(t, patients, visits);
    let mut k = 0;
    for v in 0..visits {
        for p in 0..patients {
            let i = p * visits + v;
            for (o, c) in out.descriptors.iter_mut().zip(&t.descriptors) {
                o[k] = c[i];
            }
            out.patient[k].clone_from(&t.patient[i]);
            out.days[k] = t.days[i];
            out.dated[k] = t.dated[i];
            out.pga[k] = t.pga[i];
            k += 1;
        }
    }
    out
}

/// The table with its patients in another order: patient `p` moved to
/// rank `(p * 7) % patients` (each patient's rows still together).
fn patients_reordered(t: &Table, patients: usize, visits: usize) -> Table {
    let mut out = Table {
        descriptors: vec![Vec::new(); 24],
        patient: Vec::new(),
        days: Vec::new(),
        dated: Vec::new(),
        pga: Vec::new(),
    };
    for rank in 0..patients {
        let p = (rank * 7) % patients;
        for i in p * visits..(p + 1) * visits {
            for (o, c) in out.descriptors.iter_mut().zip(&t.descriptors) {
                o.push(c[i]);
            }
            out.patient.push(t.patient[i].clone());
            out.days.push(t.days[i]);
            out.dated.push(t.dated[i]);
            out.pga.push(t.pga[i]);
        }
    }
    out
}

#[test]
fn a_cohort_from_columns_equals_the_cohort_of_the_records() {
    let t = generate(PATIENTS, VISITS, 11);
    let sorted = check_cohort(&t, "sorted").expect("valid");
    assert_eq!(sorted.len(), PATIENTS);
    // Patients in another order (together): the same cohort, in
    // identifier order.
    let moved =
        check_cohort(&patients_reordered(&t, PATIENTS, VISITS), "reordered").expect("valid");
    assert_eq!(moved, sorted);
    let ids: Vec<&str> = moved.patients().map(|(id, _)| id).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]));
    // Interleaved rows (visit k of every patient, then k + 1): the
    // patients' visits in another row order, the same timelines.
    let mut inter = interleaved(&t, PATIENTS, VISITS);
    assert_eq!(check_cohort(&inter, "interleaved").expect("valid"), sorted);
    // A visit with the date of the patient's previous visit, in the
    // interleaved and the sorted table: the same error as the records'.
    let row = 17 * VISITS + 5;
    let mut dup = generate(PATIENTS, VISITS, 11);
    dup.days[row] = dup.days[row - 1];
    let err = check_cohort(&dup, "a duplicate date").expect_err("two visits on one date");
    assert!(err.to_string().contains("P00017"), "{err}");
    // A row without a patient, and an undated row: the records' errors.
    let mut t2 = generate(PATIENTS, VISITS, 11);
    t2.patient[9_001] = None;
    let err = check_cohort(&t2, "no patient").expect_err("a patient is needed");
    assert!(err.to_string().starts_with("item 9001"), "{err}");
    inter.dated[4_321] = 1;
    let err = check_cohort(&inter, "undated").expect_err("a date is needed");
    assert!(err.to_string().starts_with("item 4321"), "{err}");
}

#[test]
fn a_cohort_from_columns_by_hand() {
    // P2's rows before P1's. P2: 2024-01-01 arthritis (4), 2024-03-31
    // nothing: day 90 (31 + 29 + 31 - 1 = 90 days on), change -4. P1:
    // one visit, 2024-02-01, no descriptor.
    let mut t = generate(2, 2, 5);
    for c in &mut t.descriptors {
        c.fill(0);
    }
    t.descriptors[Descriptor::Arthritis.position() as usize - 1][0] = 1;
    t.patient = ["P2", "P2", "P1", "P1"]
        .map(|s| Some(s.to_owned()))
        .to_vec();
    t.days = vec![19_723, 19_813, 19_754, 19_784];
    let cohort = check_cohort(&t, "by hand").expect("valid");
    let ids: Vec<&str> = cohort.patients().map(|(id, _)| id).collect();
    assert_eq!(ids, ["P1", "P2"]);
    let report = cohort.summarize(&SummaryOptions::new([Window::new(90, 14)]));
    let day90 = &report.patients[1].endpoints[0]
        .endpoint
        .visit()
        .expect("a visit in the window")
        .visit;
    assert_eq!(day90.study_day(), Some(90));
    assert_eq!(
        day90.change_from_baseline().and_then(|c| c.absolute()),
        Some(-4)
    );
}

#[test]
fn an_empty_table_with_a_descriptor_column_of_three_rows_is_the_records_error() {
    // n = 0 rows but the seizure column holds 3: the length error of
    // column::visits, from frame::assess and frame::cohort alike.
    let h = header();
    let zeros: Vec<u8> = Vec::new();
    let three = [0u8; 3];
    let mut cols: Vec<Column<'_>> = vec![Column::new(Values::Bool(&zeros)); 24];
    cols[0] = Column::new(Values::Bool(&three));
    let patient: Vec<Option<&str>> = Vec::new();
    let (days, pga): (Vec<i32>, Vec<f64>) = (Vec::new(), Vec::new());
    cols.push(Column::new(Values::Text(&patient)));
    cols.push(Column::new(Values::Days(&days)));
    cols.push(Column::new(Values::F64(&pga)));
    let expected = column::visits(&h, &cols, 0).expect_err("3 rows, not 0");
    assert!(
        matches!(
            expected,
            Error::LengthMismatch {
                input: 3,
                output: 0,
                ..
            }
        ),
        "{expected:?}"
    );
    for threads in [1, 2] {
        let o = FrameOptions::default().with_threads(Threads::new(threads).expect("> 0"));
        assert_eq!(
            frame::assess(&h, &cols, 0, o).expect_err("the records' error"),
            expected
        );
    }
    let o = TimelineOptions::default();
    assert_eq!(
        frame::cohort(&h, &cols, 0, &o).expect_err("the records' error"),
        expected
    );
}

#[test]
fn a_cohort_of_padded_or_integer_patients_or_arrow_text_is_the_records_cohort() {
    // The patient as the records read it: " P7 " and "P7" are one patient
    // (trimmed), an integer column its digits, Arrow text its bytes (a null
    // under the validity bitmap is no patient: the records' error).
    let t = generate(60, 12, 21);
    let n = t.days.len();
    let padded: Vec<String> = t
        .patient
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let p = p.clone().expect("named");
            if i % 3 == 0 { format!(" {p} ") } else { p }
        })
        .collect();
    let ids: Vec<i64> = (0..n)
        .map(|i| i64::try_from(i / 12).expect("small") * 7)
        .collect();
    let mut bytes = Vec::new();
    let mut offsets = vec![0i64];
    for p in &t.patient {
        bytes.extend_from_slice(p.as_deref().expect("named").as_bytes());
        offsets.push(i64::try_from(bytes.len()).expect("small"));
    }
    let h = header();
    let run = |patient: Column<'_>| {
        let mut cols = columns(&t, &[]);
        cols[24] = patient;
        let expected = column::visits(&h, &cols, n)
            .and_then(|r| Cohort::from_records(r, &TimelineOptions::default()));
        for threads in [1, 2, 3] {
            let o = TimelineOptions::default().with_threads(Threads::new(threads).expect("> 0"));
            assert_eq!(
                frame::cohort(&h, &cols, n, &o),
                expected,
                "{threads} threads"
            );
        }
        expected
    };
    let padded_refs: Vec<Option<&str>> = padded.iter().map(|s| Some(s.as_str())).collect();
    let cohort = run(Column::new(Values::Text(&padded_refs))).expect("valid");
    assert_eq!(cohort.len(), 60);
    let cohort = run(Column::new(Values::I64(&ids))).expect("valid");
    assert_eq!(cohort.patients().next().map(|(id, _)| id), Some("0"));
    let arrow = Values::Utf8 {
        offsets: &offsets,
        bytes: &bytes,
    };
    assert_eq!(run(Column::new(arrow)).expect("valid").len(), 60);
    let mut valid = vec![0xFFu8; n.div_ceil(8)];
    valid[5] &= !(1 << 3); // row 43: null
    let err = run(Column::new(arrow).with_validity(Bitmap::new(&valid, 0, n))).expect_err("row 43");
    assert!(err.to_string().starts_with("item 43"), "{err}");
}
