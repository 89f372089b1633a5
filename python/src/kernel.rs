//! The column kernel behind `sledai.score_frame`: 24 descriptor columns in,
//! totals out, in one pass over the columns' buffers. Pure Rust (no Python
//! objects), so it runs with the GIL released and is unit-tested here.
//!
//! Two paths, tested against each other and against
//! [`sledai::Assessment`] row by row, both the core's:
//!
//! - **Bool/uint8 frames** (24 bool/uint8 columns, with or without
//!   missing masks; totals or raise, the common case): the core's column
//!   kernel [`sledai::columns::score_columns`], which reads 8 columns side
//!   by side and adds the weights of the present descriptors into one byte
//!   per row.
//! - **Everything else** (ranges, integer and float dtypes, NaN): the
//!   core's descriptor cell rules ([`sledai::table::column::descriptor_masks`])
//!   give each row's present and not-assessed masks (the layout of
//!   [`sledai::Assessment::from_masks`]), scored by [`sledai::score_masks`] /
//!   [`sledai::clinical_score_masks`].
//!
//! This crate only borrows the buffers and chooses the path; values under a
//! missing mask are ignored. For a row with descriptors not assessed, `low`
//! is the total of the present mask and `high` the total of `present |
//! not_assessed`: the definition of [`sledai::Assessment::score_range`],
//! checked against it row by row in the tests below.

use sledai::change::Measure;
use sledai::table::column::{Column as TypedColumn, Values as TypedValues, descriptor_masks};
use sledai::{Assessment, Descriptor, Error, clinical_score_masks, score_masks};

use crate::errors::Failure;

/// Rows per block of the general path's scoring.
pub(crate) const BLOCK: usize = 1024;

/// The values of one descriptor column, borrowed from its buffer.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Values<'a> {
    /// `bool` (viewed as bytes) or `uint8`: 0 or 1.
    U8(&'a [u8]),
    /// Signed or wider unsigned integers: 0 or 1.
    I8(&'a [i8]),
    I16(&'a [i16]),
    I32(&'a [i32]),
    I64(&'a [i64]),
    U16(&'a [u16]),
    U32(&'a [u32]),
    U64(&'a [u64]),
    /// Floats: exactly 0.0 or 1.0; NaN is a missing value (not assessed).
    F32(&'a [f32]),
    F64(&'a [f64]),
    /// The column is absent: every row not assessed.
    Missing,
}

impl<'a> Values<'a> {
    pub(crate) fn len(&self) -> Option<usize> {
        Some(match self {
            Values::U8(s) => s.len(),
            Values::I8(s) => s.len(),
            Values::I16(s) => s.len(),
            Values::I32(s) => s.len(),
            Values::I64(s) => s.len(),
            Values::U16(s) => s.len(),
            Values::U32(s) => s.len(),
            Values::U64(s) => s.len(),
            Values::F32(s) => s.len(),
            Values::F64(s) => s.len(),
            Values::Missing => return None,
        })
    }
}

/// One descriptor column: values plus an optional "missing" mask (a `bool`
/// array viewed as bytes, 1 = not assessed; values under it are ignored).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Column<'a> {
    pub(crate) values: Values<'a>,
    pub(crate) missing: Option<&'a [u8]>,
}

/// What to produce for incomplete rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Totals, plus a flag per row that is set where the row is incomplete
    /// (its total is then meaningless, 0 or the low end of its range, and
    /// must be masked by the caller).
    Flag,
    /// Raise on the first incomplete row.
    Raise,
    /// Low and high totals for every row.
    Range,
}

/// The kernel's result.
#[derive(Debug, Default)]
pub(crate) struct Output {
    /// Totals (`Flag`, `Raise`) or low totals (`Range`).
    pub(crate) totals: Vec<i16>,
    /// High totals (`Range` only).
    pub(crate) high: Option<Vec<i16>>,
    /// Incomplete-row flags (`Flag` only, and only when some row is incomplete).
    pub(crate) incomplete: Option<Vec<bool>>,
}

/// Scores `n` rows held in the 24 `columns` (form order: `columns[i]` is the
/// descriptor at position `i + 1`).
///
/// # Errors
///
/// - [`Failure::Length`] when a column's length is not `n`.
/// - [`Error::InBatch`] wrapping [`Error::InvalidValue`] (field = the
///   column, value = the cell) for a value other than 0/1 (or NaN in a
///   float column), or a missing mask byte other than 0/1; only values
///   that are not masked as missing are checked.
/// - [`Failure::AtRow`] wrapping [`Error::IncompleteAssessment`] for the
///   first incomplete row in [`Mode::Raise`].
pub(crate) fn score_columns(
    columns: &[Column<'_>; 24],
    n: usize,
    clinical: bool,
    mode: Mode,
) -> Result<Output, Failure> {
    for c in columns {
        for len in [c.values.len(), c.missing.map(<[u8]>::len)]
            .into_iter()
            .flatten()
        {
            if len != n {
                return Err(Failure::Length { len, rows: n });
            }
        }
    }
    let mut out = Output {
        totals: vec![0; n],
        high: (mode == Mode::Range).then(|| vec![0; n]),
        incomplete: None,
    };

    // Fast path for the common case: 24 bool/uint8 columns (with or without
    // missing masks): the core's column kernel, `sledai::columns`.
    let mut bytes: [&[u8]; 24] = [&[]; 24];
    let all_u8 = columns
        .iter()
        .zip(bytes.iter_mut())
        .all(|(c, b)| match c.values {
            Values::U8(s) => {
                *b = s;
                true
            }
            _ => false,
        });
    if all_u8 && mode != Mode::Range {
        let given: [Option<&[u8]>; 24] = std::array::from_fn(|j| columns[j].missing);
        let measure = if clinical {
            Measure::ClinicalSledai
        } else {
            Measure::Sledai2k
        };
        if mode == Mode::Raise || given.iter().all(Option::is_none) {
            sledai::columns::score_columns(
                &bytes,
                &given,
                measure,
                &mut out.totals,
                sledai::columns::Incomplete::Error,
            )?;
        } else {
            // Written whole by the core (false for complete rows).
            let mut flags = vec![false; n];
            let some = sledai::columns::score_columns(
                &bytes,
                &given,
                measure,
                &mut out.totals,
                sledai::columns::Incomplete::Flag(&mut flags),
            )?;
            // Incomplete rows hold the low end of their range; the caller
            // masks them.
            if some {
                out.incomplete = Some(flags);
            }
        }
        return Ok(out);
    }

    // A missing-value mask with no value set is dropped here (one fast
    // read), so NA-capable columns without NA cost little more than plain ones.
    let mut masks: [Option<&[u8]>; 24] = [None; 24];
    for ((m, c), d) in masks.iter_mut().zip(columns).zip(Descriptor::ALL) {
        if let Some(mask) = c.missing {
            match mask.iter().fold(0u8, |a, &v| a | v) {
                0 => {}
                1 => *m = Some(mask),
                _ => {
                    // A numpy bool buffer holding something other than 0/1.
                    let i = mask.iter().position(|&v| v > 1).unwrap_or(0);
                    // The core's cell rule words the error (a byte of 2 or
                    // more is no cell value either).
                    return Err(match sledai::columns::check_cell(i, d, mask[i]) {
                        Err(e) => Failure::Core(e),
                        Ok(f) => Failure::Internal(format!(
                            "row {i}: {d}: missing-mask byte {} read as {f}",
                            mask[i]
                        )),
                    });
                }
            }
        }
    }
    score_by_masks(columns, &masks, n, clinical, mode, out)
}

/// The general path: the core's descriptor cell rules
/// ([`sledai::table::column::descriptor_masks`]: 0/1 in any integer type,
/// 0.0/1.0 and NaN in a float column, the missing masks) give each row's
/// present and not-assessed masks, which the core's kernels score
/// ([`sledai::score_masks`] / [`sledai::clinical_score_masks`]).
fn score_by_masks(
    columns: &[Column<'_>; 24],
    masks: &[Option<&[u8]>; 24],
    n: usize,
    clinical: bool,
    mode: Mode,
    mut out: Output,
) -> Result<Output, Failure> {
    let typed: [Option<TypedColumn<'_>>; 24] = std::array::from_fn(|j| {
        let values = match columns[j].values {
            Values::Missing => return None,
            Values::U8(s) => TypedValues::U8(s),
            Values::I8(s) => TypedValues::I8(s),
            Values::I16(s) => TypedValues::I16(s),
            Values::I32(s) => TypedValues::I32(s),
            Values::I64(s) => TypedValues::I64(s),
            Values::U16(s) => TypedValues::U16(s),
            Values::U32(s) => TypedValues::U32(s),
            Values::U64(s) => TypedValues::U64(s),
            Values::F32(s) => TypedValues::F32(s),
            Values::F64(s) => TypedValues::F64(s),
        };
        let c = TypedColumn::new(values);
        Some(match masks[j] {
            Some(m) => c.with_missing(m),
            None => c,
        })
    });
    let (mut present, missing) = descriptor_masks(&typed, n)?;
    let keep: u32 = Descriptor::ALL
        .iter()
        .filter(|d| !(clinical && d.is_serology()))
        .fold(0, |m, d| m | d.bit());
    let score: fn(&[u32], &mut [u8]) -> Result<(), Error> = if clinical {
        clinical_score_masks
    } else {
        score_masks
    };
    let mut low = [0u8; BLOCK];
    let mut start = 0;
    while start < n {
        let rows = start..n.min(start + BLOCK);
        let len = rows.len();
        score(&present[rows.clone()], &mut low[..len])?;
        for (t, &l) in out.totals[rows.clone()].iter_mut().zip(&low[..len]) {
            *t = i16::from(l);
        }
        start += len;
    }
    match mode {
        Mode::Range => {
            for (p, &m) in present.iter_mut().zip(&missing) {
                *p |= m;
            }
            let mut high = vec![0u8; n];
            score(&present, &mut high)?;
            out.high = Some(high.into_iter().map(i16::from).collect());
        }
        Mode::Raise => {
            if let Some(i) = missing.iter().position(|&m| m & keep != 0) {
                return Err(incomplete_row(present[i], missing[i], clinical, i));
            }
        }
        Mode::Flag => {
            if missing.iter().any(|&m| m & keep != 0) {
                let flags: Vec<bool> = missing.iter().map(|&m| m & keep != 0).collect();
                for (t, &f) in out.totals.iter_mut().zip(&flags) {
                    if f {
                        *t = 0;
                    }
                }
                out.incomplete = Some(flags);
            }
        }
    }
    Ok(out)
}

/// The core's error for incomplete row `row`, built from its masks: the
/// missing descriptors and the range come from [`Assessment`].
fn incomplete_row(present: u32, missing: u32, clinical: bool, row: usize) -> Failure {
    let result = Assessment::from_masks(present, missing).and_then(|a| {
        if clinical {
            a.clinical_score()
        } else {
            a.score()
        }
    });
    match result {
        Err(source) => Failure::AtRow(row, source),
        // Unreachable: the caller found a missing item that counts.
        Ok(_) => Failure::Internal(format!(
            "not_assessed: mask {missing:#010x} is invalid: kernel and core disagree on completeness"
        )),
    }
}

#[cfg(test)]
// Row-indexed loops read as the cross-check they are.
#[allow(clippy::needless_range_loop)]
mod tests {
    use super::*;

    /// The reason the core's cell rule gives (python/README.md shows it).
    /// Rows per chunk of the core kernel (rows past it are checked too).
    const CHUNK: usize = 64 * 1024;

    const REASON: &str =
        "expected 0 or 1 (False or True), or a missing value (NA) for not assessed";

    /// The row and the error of a failure about one row, whether the core
    /// named the row (its batch error) or the kernel did.
    fn at_row(f: &Failure) -> Option<(usize, &Error)> {
        match f {
            Failure::Core(Error::InBatch { index, source, .. }) => Some((*index, source)),
            Failure::AtRow(row, e) => Some((*row, e)),
            _ => None,
        }
    }

    /// Independent weights from `docs/reference.md` section 1.2 (not the
    /// core's table): positions 1-8 weigh 8, 9-14 weigh 4, 15-21 weigh 2,
    /// 22-24 weigh 1; positions 20-21 are serology.
    fn reference_weight(position: usize) -> i16 {
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

    /// Random 0/1 cells (some columns 1-heavy) and a missing mask.
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

    fn columns<'a>(values: &'a [Vec<u8>], missing: Option<&'a [Vec<u8>]>) -> [Column<'a>; 24] {
        std::array::from_fn(|j| Column {
            values: Values::U8(&values[j]),
            missing: missing.map(|m| m[j].as_slice()),
        })
    }

    #[test]
    fn complete_rows_match_reference_weights() -> Result<(), Failure> {
        let n = 3 * BLOCK + 17;
        let (values, _) = table(n, 7, 0);
        let out = score_columns(&columns(&values, None), n, false, Mode::Flag)?;
        assert!(out.incomplete.is_none());
        for i in 0..n {
            let expect: i16 = (0..24)
                .map(|j| i16::from(values[j][i]) * reference_weight(j + 1))
                .sum();
            assert_eq!(out.totals[i], expect, "row {i}");
        }
        let clin = score_columns(&columns(&values, None), n, true, Mode::Raise)?;
        for i in 0..n {
            let expect: i16 = (0..24)
                .filter(|j| !(19..=20).contains(j))
                .map(|j| i16::from(values[j][i]) * reference_weight(j + 1))
                .sum();
            assert_eq!(clin.totals[i], expect, "row {i}");
        }
        Ok(())
    }

    #[test]
    fn weighted_fast_path_agrees_with_mask_path() -> Result<(), Failure> {
        let n = 5 * BLOCK + 3;
        let (values, missing) = table(n, 3, 40);
        let no_masks: [Option<&[u8]>; 24] = [None; 24];
        let with_masks: [Option<&[u8]>; 24] = std::array::from_fn(|j| Some(missing[j].as_slice()));
        for (masks, cols) in [
            (no_masks, columns(&values, None)),
            (with_masks, columns(&values, Some(&missing))),
        ] {
            let can_miss = masks.iter().any(Option::is_some);
            for clinical in [false, true] {
                let fast = score_columns(&cols, n, clinical, Mode::Flag)?;
                let empty = Output {
                    totals: vec![0; n],
                    high: None,
                    incomplete: None,
                };
                let slow = score_by_masks(&cols, &masks, n, clinical, Mode::Flag, empty)?;
                assert_eq!(fast.incomplete, slow.incomplete);
                // Totals of incomplete rows are masked by the caller.
                let flagged = |i: usize| fast.incomplete.as_ref().is_some_and(|f| f[i]);
                for i in (0..n).filter(|&i| !flagged(i)) {
                    assert_eq!(fast.totals[i], slow.totals[i], "row {i}");
                }
                assert_eq!(fast.incomplete.is_some(), can_miss);
            }
        }
        // Complete rows against the core's Assessment, row by row.
        let fast = score_columns(&columns(&values, None), n, false, Mode::Raise)?;
        for i in (0..n).step_by(7) {
            let a = Assessment::from_present(
                Descriptor::ALL
                    .into_iter()
                    .enumerate()
                    .filter(|&(j, _)| values[j][i] == 1)
                    .map(|(_, d)| d),
            );
            assert_eq!(fast.totals[i], i16::from(a.score()?.get()), "row {i}");
        }
        // Garbage under a missing mask sends the fast path to the general
        // one, which ignores it.
        let mut garbage = values.clone();
        let mut masks = vec![vec![0u8; n]; 24];
        garbage[3][10] = 7;
        masks[3][10] = 1;
        let out = score_columns(&columns(&garbage, Some(&masks)), n, false, Mode::Flag)?;
        let flags = out.incomplete.expect("row 10 is incomplete");
        assert!(flags[10]);
        assert_eq!(flags.iter().filter(|&&f| f).count(), 1);
        Ok(())
    }

    #[test]
    fn incomplete_rows_agree_with_core_assessment() -> Result<(), Failure> {
        let n = 2 * BLOCK + 5;
        let (values, missing) = table(n, 11, 60);
        let cols = columns(&values, Some(&missing));
        for clinical in [false, true] {
            let flagged = score_columns(&cols, n, clinical, Mode::Flag)?;
            let ranged = score_columns(&cols, n, clinical, Mode::Range)?;
            let flags = flagged.incomplete.as_ref().expect("flags");
            let high = ranged.high.as_ref().expect("range mode");
            for i in 0..n {
                let mut a = Assessment::from_present([]);
                for (j, d) in Descriptor::ALL.into_iter().enumerate() {
                    let f = match (missing[j][i], values[j][i]) {
                        (1, _) => sledai::Finding::NotAssessed,
                        (_, 1) => sledai::Finding::Present,
                        _ => sledai::Finding::Absent,
                    };
                    a.set(d, f);
                }
                let (exact, range) = if clinical {
                    (a.clinical_score(), a.clinical_score_range())
                } else {
                    (a.score(), a.score_range())
                };
                assert_eq!(flags[i], exact.is_err(), "row {i}");
                match exact {
                    Ok(s) => assert_eq!(flagged.totals[i], i16::from(s.get())),
                    // Masked by the caller: 0 or the low end of the range.
                    Err(_) => assert!(
                        flagged.totals[i] == 0 || flagged.totals[i] == i16::from(range.min().get())
                    ),
                }
                assert_eq!(ranged.totals[i], i16::from(range.min().get()), "row {i}");
                assert_eq!(high[i], i16::from(range.max().get()), "row {i}");
            }
        }
        Ok(())
    }

    #[test]
    fn rows_past_the_first_chunk() -> Result<(), Failure> {
        // The general path works in chunks of CHUNK rows: check the rows
        // and the error positions after the first chunk.
        let n = CHUNK + 2 * BLOCK + 9;
        let (mut values, missing) = table(n, 5, 20);
        let ranged = score_columns(&columns(&values, Some(&missing)), n, false, Mode::Range)?;
        let high = ranged.high.as_ref().expect("range mode");
        for i in (CHUNK - 3..n).chain(0..50) {
            let mut a = Assessment::from_present([]);
            for (j, d) in Descriptor::ALL.into_iter().enumerate() {
                a.set(
                    d,
                    match (missing[j][i], values[j][i]) {
                        (1, _) => sledai::Finding::NotAssessed,
                        (_, 1) => sledai::Finding::Present,
                        _ => sledai::Finding::Absent,
                    },
                );
            }
            let r = a.score_range();
            assert_eq!(
                (ranged.totals[i], high[i]),
                (i16::from(r.min().get()), i16::from(r.max().get())),
                "row {i}"
            );
        }
        let bad_row = CHUNK + 5;
        values[13][bad_row] = 3; // pyuria
        let mut no_missing = missing.clone();
        no_missing[13][bad_row] = 0;
        let err = score_columns(&columns(&values, Some(&no_missing)), n, false, Mode::Flag)
            .expect_err("must fail");
        assert_eq!(
            err.to_string(),
            format!("item {bad_row}: pyuria: invalid value `3`: {REASON}")
        );
        Ok(())
    }

    #[test]
    fn raise_names_the_first_incomplete_row() -> Result<(), Failure> {
        let values = vec![vec![0u8; 5]; 24];
        let mut missing = vec![vec![0u8; 5]; 24];
        missing[21][3] = 1; // fever, row 3
        let err = score_columns(&columns(&values, Some(&missing)), 5, false, Mode::Raise)
            .expect_err("must fail");
        match at_row(&err) {
            Some((3, source)) => match source {
                Error::IncompleteAssessment {
                    missing, min, max, ..
                } => {
                    assert_eq!(missing[..], ["fever"]);
                    assert_eq!((*min, *max), (0, 1));
                }
                other => panic!("unexpected {other:?}"),
            },
            other => panic!("unexpected {other:?}"),
        }
        // Serology missing is irrelevant to clinical SLEDAI.
        let mut missing = vec![vec![0u8; 5]; 24];
        missing[19][0] = 1;
        let out = score_columns(&columns(&values, Some(&missing)), 5, true, Mode::Raise)?;
        assert_eq!(out.totals, [0; 5]);
        Ok(())
    }

    #[test]
    fn bad_values_are_named_unless_masked() -> Result<(), Failure> {
        let mut values = vec![vec![0u8; 3000]; 24];
        values[8][2500] = 2; // arthritis, row 2500
        let err =
            score_columns(&columns(&values, None), 3000, false, Mode::Flag).expect_err("must fail");
        assert_eq!(
            err.to_string(),
            format!("item 2500: arthritis: invalid value `2`: {REASON}")
        );
        // The same garbage under a missing mask is ignored, and sets no bit
        // of another descriptor.
        let mut missing = vec![vec![0u8; 3000]; 24];
        missing[8][2500] = 1;
        values[9][2500] = 0;
        let out = score_columns(&columns(&values, Some(&missing)), 3000, false, Mode::Range)?;
        assert_eq!(
            (out.totals[2500], out.high.expect("range mode")[2500]),
            (0, 4)
        );
        Ok(())
    }

    #[test]
    fn integer_and_float_columns() -> Result<(), Failure> {
        let ints: Vec<i64> = vec![0, 1, 1, -1];
        let floats: Vec<f64> = vec![1.0, f64::NAN, 0.0, 0.0];
        let zeros = vec![0u8; 4];
        let mut cols: [Column<'_>; 24] = std::array::from_fn(|_| Column {
            values: Values::U8(&zeros),
            missing: None,
        });
        cols[0].values = Values::I64(&ints[..3]); // seizure 8
        cols[21].values = Values::F64(&floats[..3]); // fever 1
        let zeros3 = &zeros[..3];
        for c in cols
            .iter_mut()
            .filter(|c| matches!(c.values, Values::U8(_)))
        {
            c.values = Values::U8(zeros3);
        }
        let out = score_columns(&cols, 3, false, Mode::Range)?;
        assert_eq!(out.totals, [1, 8, 8]);
        // NaN is not assessed: the general path raises for row 1.
        match score_columns(&cols, 3, false, Mode::Raise) {
            Err(f) if at_row(&f).is_some_and(|(row, _)| row == 1) => {
                let source = at_row(&f).map(|(_, e)| e).expect("a row");
                assert!(
                    matches!(*source, Error::IncompleteAssessment { ref missing, .. }
                        if missing[..] == ["fever"])
                );
            }
            other => panic!("unexpected {other:?}"),
        }
        assert_eq!(out.high.expect("range mode"), [1, 9, 8]);
        cols[0].values = Values::I64(&ints[1..]);
        let err = score_columns(&cols, 3, false, Mode::Flag).expect_err("must fail");
        assert_eq!(
            err.to_string(),
            format!("item 2: seizure: invalid value `-1`: {REASON}")
        );
        cols[0].values = Values::I64(&ints[..3]);
        let half = [0.0, 0.5, 0.0];
        cols[21].values = Values::F64(&half);
        let err = score_columns(&cols, 3, false, Mode::Flag).expect_err("must fail");
        assert_eq!(
            err.to_string(),
            format!("item 1: fever: invalid value `0.5`: {REASON}")
        );
        let inf = [0.0, 0.0, f64::INFINITY];
        cols[21].values = Values::F64(&inf);
        assert!(score_columns(&cols, 3, false, Mode::Flag).is_err());
        Ok(())
    }

    #[test]
    fn absent_column_is_not_assessed_and_lengths_are_checked() -> Result<(), Failure> {
        let zeros = vec![0u8; 4];
        let mut cols: [Column<'_>; 24] = std::array::from_fn(|_| Column {
            values: Values::U8(&zeros),
            missing: None,
        });
        cols[19].values = Values::Missing;
        let out = score_columns(&cols, 4, true, Mode::Raise)?;
        assert_eq!(out.totals, [0; 4]);
        let out = score_columns(&cols, 4, false, Mode::Flag)?;
        assert_eq!(out.incomplete.expect("flags"), [true; 4]);
        let short = vec![0u8; 3];
        cols[0].values = Values::U8(&short);
        assert!(matches!(
            score_columns(&cols, 4, false, Mode::Flag),
            Err(Failure::Length { len: 3, rows: 4 })
        ));
        Ok(())
    }

    #[test]
    fn empty_frame() -> Result<(), Failure> {
        let empty: Vec<u8> = Vec::new();
        let cols: [Column<'_>; 24] = std::array::from_fn(|_| Column {
            values: Values::U8(&empty),
            missing: None,
        });
        let out = score_columns(&cols, 0, false, Mode::Flag)?;
        assert!(out.totals.is_empty());
        Ok(())
    }
}
