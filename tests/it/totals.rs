//! `table::totals`: the totals of every row of 24 descriptor columns (what
//! Python's `score_frame` returns), checked against independent weights
//! (docs/reference.md section 1.2, written out here, not the core's table)
//! and, row by row, against `Assessment`'s score and range. The byte
//! columns take the column kernel, integer and float columns the general
//! path; both are checked against the same facts and against each other.

// Row-indexed loops read as the cross-check they are.
#![allow(clippy::needless_range_loop)]

use sledai::change::Measure;
use sledai::table::column::{Column, Values};
use sledai::table::totals::{self, IncompleteRows, Totals};
use sledai::{Assessment, Descriptor, Error, Finding};

/// The reason the descriptor cell rule gives (python/README.md shows it).
const REASON: &str = "expected 0 or 1 (False or True), or a missing value (NA) for not assessed";

/// Rows per block of the general path (rows past it are checked too).
const BLOCK: usize = 1024;

/// Independent weights (Gladman 2002, docs/reference.md section 1.2):
/// positions 1-8 weigh 8, 9-14 weigh 4, 15-21 weigh 2, 22-24 weigh 1;
/// positions 20-21 are serology.
pub(crate) fn reference_weight(position: usize) -> i16 {
    match position {
        1..=8 => 8,
        9..=14 => 4,
        15..=21 => 2,
        _ => 1,
    }
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Random 0/1 cells (a third present) and a "not assessed" mask at
/// `missing_rate` per thousand.
fn table(n: usize, seed: u64, missing_rate: u64) -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
    let mut rng = Rng(seed);
    let values = (0..24)
        .map(|_| (0..n).map(|_| u8::from(rng.next() % 3 == 0)).collect())
        .collect();
    let missing = (0..24)
        .map(|_| {
            (0..n)
                .map(|_| u8::from(rng.next() % 1000 < missing_rate))
                .collect()
        })
        .collect();
    (values, missing)
}

fn bytes<'a>(values: &'a [Vec<u8>], missing: Option<&'a [Vec<u8>]>) -> [Option<Column<'a>>; 24] {
    std::array::from_fn(|j| {
        let c = Column::new(Values::Bool(&values[j]));
        Some(match missing {
            Some(m) => c.with_missing(&m[j]),
            None => c,
        })
    })
}

fn ints<'a>(values: &'a [Vec<i64>], missing: Option<&'a [Vec<u8>]>) -> [Option<Column<'a>>; 24] {
    std::array::from_fn(|j| {
        let c = Column::new(Values::I64(&values[j]));
        Some(match missing {
            Some(m) => c.with_missing(&m[j]),
            None => c,
        })
    })
}

fn widen(values: &[Vec<u8>]) -> Vec<Vec<i64>> {
    values
        .iter()
        .map(|c| c.iter().map(|&v| i64::from(v)).collect())
        .collect()
}

fn measure(clinical: bool) -> Measure {
    if clinical {
        Measure::ClinicalSledai
    } else {
        Measure::Sledai2k
    }
}

/// Row `i` as an `Assessment`, from the cells and the mask.
fn assessment(values: &[Vec<u8>], missing: &[Vec<u8>], i: usize) -> Assessment {
    let mut a = Assessment::from_present([]);
    for (j, d) in Descriptor::ALL.into_iter().enumerate() {
        a.set(
            d,
            match (missing[j][i], values[j][i]) {
                (1, _) => Finding::NotAssessed,
                (_, 1) => Finding::Present,
                _ => Finding::Absent,
            },
        );
    }
    a
}

fn row_error(e: &Error) -> Option<(usize, &Error)> {
    match e {
        Error::InBatch { index, source, .. } => Some((*index, source)),
        _ => None,
    }
}

#[test]
fn complete_rows_match_reference_weights_on_both_paths() -> Result<(), Error> {
    let n = 3 * BLOCK + 17;
    let (values, _) = table(n, 7, 0);
    let wide = widen(&values);
    for clinical in [false, true] {
        let fast = totals::evaluate(
            &bytes(&values, None),
            n,
            measure(clinical),
            IncompleteRows::Missing,
        )?;
        let general = totals::evaluate(
            &ints(&wide, None),
            n,
            measure(clinical),
            IncompleteRows::Error,
        )?;
        assert!(fast.incomplete().is_none());
        for i in 0..n {
            let expect: i16 = (0..24)
                .filter(|j| !(clinical && (19..=20).contains(j)))
                .map(|j| i16::from(values[j][i]) * reference_weight(j + 1))
                .sum();
            assert_eq!(fast.low()[i], expect, "row {i}");
            assert_eq!(general.low()[i], expect, "row {i}");
        }
    }
    Ok(())
}

#[test]
fn incomplete_rows_agree_with_the_assessment_on_both_paths() -> Result<(), Error> {
    let n = 2 * BLOCK + 5;
    let (values, missing) = table(n, 11, 60);
    let wide = widen(&values);
    for clinical in [false, true] {
        let m = measure(clinical);
        let runs: [(Totals, Totals); 2] = [
            (
                totals::evaluate(
                    &bytes(&values, Some(&missing)),
                    n,
                    m,
                    IncompleteRows::Missing,
                )?,
                totals::evaluate(&bytes(&values, Some(&missing)), n, m, IncompleteRows::Range)?,
            ),
            (
                totals::evaluate(&ints(&wide, Some(&missing)), n, m, IncompleteRows::Missing)?,
                totals::evaluate(&ints(&wide, Some(&missing)), n, m, IncompleteRows::Range)?,
            ),
        ];
        for (flagged, ranged) in &runs {
            let flags = flagged.incomplete().expect("some row is incomplete");
            let high = ranged.high().expect("range mode");
            assert!(ranged.incomplete().is_none());
            for i in 0..n {
                let a = assessment(&values, &missing, i);
                let (exact, range) = if clinical {
                    (a.clinical_score(), a.clinical_score_range())
                } else {
                    (a.score(), a.score_range())
                };
                assert_eq!(flags[i], exact.is_err(), "row {i}");
                let expect = exact.map_or(0, |s| i16::from(s.get()));
                assert_eq!(flagged.low()[i], expect, "row {i}");
                assert_eq!(ranged.low()[i], i16::from(range.min().get()), "row {i}");
                assert_eq!(high[i], i16::from(range.max().get()), "row {i}");
            }
        }
    }
    Ok(())
}

#[test]
fn garbage_under_a_mask_is_not_read() -> Result<(), Error> {
    let n = 40;
    let (mut values, _) = table(n, 3, 0);
    let mut masks = vec![vec![0u8; n]; 24];
    values[3][10] = 7;
    masks[3][10] = 1;
    let out = totals::evaluate(
        &bytes(&values, Some(&masks)),
        n,
        Measure::Sledai2k,
        IncompleteRows::Missing,
    )?;
    let flags = out.incomplete().expect("row 10 is incomplete");
    assert!(flags[10]);
    assert_eq!(flags.iter().filter(|&&f| f).count(), 1);
    // Arthritis garbage under its mask sets no bit of another descriptor:
    // the range of row 2500 is 0 to 4 (arthritis alone).
    let mut values = vec![vec![0u8; 3000]; 24];
    values[8][2500] = 2;
    let err = totals::evaluate(
        &bytes(&values, None),
        3000,
        Measure::Sledai2k,
        IncompleteRows::Missing,
    )
    .expect_err("must fail");
    assert_eq!(
        err.to_string(),
        format!("item 2500: arthritis: invalid value `2`: {REASON}")
    );
    let mut missing = vec![vec![0u8; 3000]; 24];
    missing[8][2500] = 1;
    let out = totals::evaluate(
        &bytes(&values, Some(&missing)),
        3000,
        Measure::Sledai2k,
        IncompleteRows::Range,
    )?;
    assert_eq!((out.low()[2500], out.high().expect("range")[2500]), (0, 4));
    Ok(())
}

#[test]
fn errors_past_the_first_block_name_their_row() {
    let n = 2 * BLOCK + 9;
    let (mut values, _) = table(n, 5, 0);
    let bad_row = BLOCK + 5;
    values[13][bad_row] = 3; // pyuria
    let wide = widen(&values);
    for cols in [bytes(&values, None), ints(&wide, None)] {
        let err = totals::evaluate(&cols, n, Measure::Sledai2k, IncompleteRows::Missing)
            .expect_err("must fail");
        assert_eq!(
            err.to_string(),
            format!("item {bad_row}: pyuria: invalid value `3`: {REASON}")
        );
    }
}

#[test]
fn error_names_the_first_incomplete_row() -> Result<(), Error> {
    let values = vec![vec![0u8; 5]; 24];
    let wide = widen(&values);
    let mut missing = vec![vec![0u8; 5]; 24];
    missing[21][3] = 1; // fever, row 3
    for cols in [bytes(&values, Some(&missing)), ints(&wide, Some(&missing))] {
        let err = totals::evaluate(&cols, 5, Measure::Sledai2k, IncompleteRows::Error)
            .expect_err("must fail");
        match row_error(&err) {
            Some((
                3,
                Error::IncompleteAssessment {
                    missing, min, max, ..
                },
            )) => {
                assert_eq!(missing[..], ["fever"]);
                assert_eq!((*min, *max), (0, 1));
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    // Serology not assessed does not count in clinical SLEDAI.
    let mut missing = vec![vec![0u8; 5]; 24];
    missing[19][0] = 1;
    let out = totals::evaluate(
        &bytes(&values, Some(&missing)),
        5,
        Measure::ClinicalSledai,
        IncompleteRows::Error,
    )?;
    assert_eq!(out.low(), [0; 5]);
    Ok(())
}

#[test]
fn integer_and_float_columns() -> Result<(), Error> {
    let ints: Vec<i64> = vec![0, 1, 1, -1];
    let floats: Vec<f64> = vec![1.0, f64::NAN, 0.0, 0.0];
    let zeros = vec![0u8; 3];
    let mut cols: [Option<Column<'_>>; 24] = [Some(Column::new(Values::Bool(&zeros))); 24];
    cols[0] = Some(Column::new(Values::I64(&ints[..3]))); // seizure 8
    cols[21] = Some(Column::new(Values::F64(&floats[..3]))); // fever 1
    let out = totals::evaluate(&cols, 3, Measure::Sledai2k, IncompleteRows::Range)?;
    assert_eq!(
        (out.low(), out.high()),
        (&[1, 8, 8][..], Some(&[1, 9, 8][..]))
    );
    // NaN is not assessed.
    let err =
        totals::evaluate(&cols, 3, Measure::Sledai2k, IncompleteRows::Error).expect_err("row 1");
    assert!(
        matches!(row_error(&err), Some((1, Error::IncompleteAssessment { missing, .. })) if missing[..] == ["fever"]),
        "{err:?}"
    );
    cols[0] = Some(Column::new(Values::I64(&ints[1..])));
    let err =
        totals::evaluate(&cols, 3, Measure::Sledai2k, IncompleteRows::Missing).expect_err("-1");
    assert_eq!(
        err.to_string(),
        format!("item 2: seizure: invalid value `-1`: {REASON}")
    );
    cols[0] = Some(Column::new(Values::I64(&ints[..3])));
    let half = [0.0, 0.5, 0.0];
    cols[21] = Some(Column::new(Values::F64(&half)));
    let err =
        totals::evaluate(&cols, 3, Measure::Sledai2k, IncompleteRows::Missing).expect_err("0.5");
    assert_eq!(
        err.to_string(),
        format!("item 1: fever: invalid value `0.5`: {REASON}")
    );
    let inf = [0.0, 0.0, f64::INFINITY];
    cols[21] = Some(Column::new(Values::F64(&inf)));
    assert!(totals::evaluate(&cols, 3, Measure::Sledai2k, IncompleteRows::Missing).is_err());
    Ok(())
}

#[test]
fn an_absent_column_is_not_assessed_and_lengths_are_checked() -> Result<(), Error> {
    let zeros = vec![0u8; 4];
    let mut cols: [Option<Column<'_>>; 24] = [Some(Column::new(Values::Bool(&zeros))); 24];
    cols[19] = None; // low complement: serology
    let out = totals::evaluate(&cols, 4, Measure::ClinicalSledai, IncompleteRows::Error)?;
    assert_eq!(out.low(), [0; 4]);
    let out = totals::evaluate(&cols, 4, Measure::Sledai2k, IncompleteRows::Missing)?;
    assert_eq!(out.incomplete(), Some(&[true; 4][..]));
    cols[19] = Some(Column::new(Values::Missing));
    let out = totals::evaluate(&cols, 4, Measure::Sledai2k, IncompleteRows::Range)?;
    assert_eq!((out.low(), out.high()), (&[0; 4][..], Some(&[2; 4][..])));
    let short = vec![0u8; 3];
    cols[0] = Some(Column::new(Values::Bool(&short)));
    let err =
        totals::evaluate(&cols, 4, Measure::Sledai2k, IncompleteRows::Missing).expect_err("short");
    assert!(
        matches!(
            err,
            Error::LengthMismatch {
                input: 3,
                output: 4,
                ..
            }
        ),
        "{err:?}"
    );
    Ok(())
}

#[test]
fn an_empty_table_has_no_totals() -> Result<(), Error> {
    let empty: Vec<u8> = Vec::new();
    let cols: [Option<Column<'_>>; 24] = [Some(Column::new(Values::Bool(&empty))); 24];
    for mode in IncompleteRows::ALL {
        assert!(
            totals::evaluate(&cols, 0, Measure::Sledai2k, mode)?
                .low()
                .is_empty()
        );
    }
    Ok(())
}
