//! Column-major scoring: SLEDAI-2K totals of many rows held as 24 byte
//! columns, one per descriptor.
//!
//! This module owns [`score_columns`], the kernel for data held by column
//! (a data frame of 24 `bool`/`uint8` columns, as the Python package's
//! `score_frame` receives it), where [`crate::score_masks`] serves data held
//! by row. The total of a complete row is the sum of the weights
//! ([`Descriptor::weight`], Gladman 2002, `docs/reference.md` section 1.2) of
//! its present descriptors; clinical SLEDAI leaves out the two serology
//! descriptors ([`Descriptor::is_serology`], section 1.4).
//!
//! A descriptor not assessed is never absent: it is given as a
//! "not assessed" byte mask per column, the row is incomplete, and its
//! total is the low end of its range (missing items absent), exactly
//! [`crate::ScoreRange::min`] of the row's [`crate::Assessment`].
//!
//! # Why a column kernel
//!
//! Reading 8 columns side by side and adding `weight & (0 - value)` into
//! one byte per row vectorises on the baseline x86-64 target and reads each
//! column once; building the 24-bit row masks first and then scoring them
//! would cost another pass, and the mask kernel's SWAR sum needs a 32-bit
//! multiply that baseline SSE2 lacks (see `docs/performance.md`).
//!
//! # Example
//!
//! ```
//! use sledai::change::Measure;
//! use sledai::columns::{score_columns, Incomplete};
//!
//! // Three rows; columns in form order (seizure first, leukopenia last).
//! let zeros = [0u8; 3];
//! let mut cols: [&[u8]; 24] = [&zeros; 24];
//! let seizure = [1u8, 0, 0];
//! let arthritis = [0u8, 1, 1];
//! cols[0] = &seizure;
//! cols[8] = &arthritis;
//! // Fever (position 22) was not assessed at row 2.
//! let fever_missing = [0u8, 0, 1];
//! let mut not_assessed: [Option<&[u8]>; 24] = [None; 24];
//! not_assessed[21] = Some(&fever_missing);
//!
//! let mut totals = [0i16; 3];
//! let mut incomplete = [false; 3];
//! let some = score_columns(&cols, &not_assessed, Measure::Sledai2k, &mut totals, Incomplete::Flag(&mut incomplete))?;
//! assert_eq!(totals, [8, 4, 4]); // row 2: 4 to 5, the low end
//! assert_eq!(incomplete, [false, false, true]);
//! assert!(some);
//!
//! // Under Incomplete::Error an incomplete row is an error naming the row.
//! let err = score_columns(&cols, &not_assessed, Measure::Sledai2k, &mut totals, Incomplete::Error).unwrap_err();
//! assert_eq!(err.to_string(), "item 2: assessment is incomplete: 1 descriptor(s) not assessed (fever), total could be 4 to 5");
//! # Ok::<(), sledai::Error>(())
//! ```

use crate::assessment::Assessment;
use crate::change::Measure;
use crate::descriptor::Descriptor;
use crate::error::Error;

/// Rows per chunk: the chunk's byte totals stay in L1/L2 and are reused.
const CHUNK: usize = 64 * 1024;

/// Why a cell was rejected.
pub(crate) const CELL_REASON: &str =
    "expected 0 or 1 (False or True), or a missing value (NA) for not assessed";

/// What [`score_columns`] does with an incomplete row (a descriptor that
/// counts was not assessed).
///
/// ```
/// use sledai::change::Measure;
/// use sledai::columns::{score_columns, Incomplete};
///
/// let zero = [0u8; 2];
/// let cols: [&[u8]; 24] = [&zero; 24];
/// let missing_fever = [0u8, 1];
/// let mut masks: [Option<&[u8]>; 24] = [None; 24];
/// masks[21] = Some(&missing_fever);
/// let mut totals = [0u8; 2];
/// // A reused buffer: every entry is written, stale `true`s included.
/// let mut flags = [true, false];
/// let some = score_columns(&cols, &masks, Measure::Sledai2k, &mut totals, Incomplete::Flag(&mut flags))?;
/// assert!(some);
/// assert_eq!(flags, [false, true]);
/// assert!(score_columns(&cols, &masks, Measure::Sledai2k, &mut totals, Incomplete::Error).is_err());
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum Incomplete<'a> {
    /// An incomplete row is an error naming the row.
    Error,
    /// Every entry of the buffer is written: `true` for an incomplete row,
    /// `false` for a complete one; the row's total is the low end of its
    /// range.
    Flag(&'a mut [bool]),
}

/// A number one cell of a descriptor column can hold, whatever the
/// column's numeric type (for a caller that reads columns of other types
/// than bytes, such as a data frame's integer or float columns).
///
/// Sealed: implemented for the integer types, `f32` and `f64`. The cell
/// rule is [`CellNumber::finding`]; [`check_cell`] states it as an error.
///
/// ```
/// use sledai::columns::CellNumber;
/// use sledai::Finding;
/// assert_eq!(1i64.finding(), Some(Finding::Present));
/// assert_eq!(0u16.finding(), Some(Finding::Absent));
/// assert_eq!(f64::NAN.finding(), Some(Finding::NotAssessed));
/// assert_eq!(2i8.finding(), None);
/// assert_eq!(0.5f32.finding(), None);
/// ```
pub trait CellNumber: Copy + std::fmt::Display + sealed::Sealed {
    /// The cell rule: 1 is present, 0 absent, NaN (a float column's
    /// missing value) not assessed; any other value is `None`, invalid.
    fn finding(self) -> Option<crate::Finding>;
}

mod sealed {
    pub trait Sealed {}
}

macro_rules! int_cells {
    ($($t:ty),*) => {$(
        impl sealed::Sealed for $t {}
        impl CellNumber for $t {
            #[inline]
            fn finding(self) -> Option<crate::Finding> {
                match self {
                    0 => Some(crate::Finding::Absent),
                    1 => Some(crate::Finding::Present),
                    _ => None,
                }
            }
        }
    )*};
}
int_cells!(u8, u16, u32, u64, i8, i16, i32, i64);

macro_rules! float_cells {
    ($($t:ty),*) => {$(
        impl sealed::Sealed for $t {}
        impl CellNumber for $t {
            // Exactly 0 and 1 are the valid values: a strict comparison is
            // the rule.
            #[allow(clippy::float_cmp)]
            #[inline]
            fn finding(self) -> Option<crate::Finding> {
                if self == 1.0 {
                    Some(crate::Finding::Present)
                } else if self == 0.0 {
                    Some(crate::Finding::Absent)
                } else if self.is_nan() {
                    Some(crate::Finding::NotAssessed)
                } else {
                    None
                }
            }
        }
    )*};
}
float_cells!(f32, f64);

/// The cell rule of a descriptor column for one number at `row` (zero
/// based): the finding, or an error naming the row, the descriptor and the
/// value as its type writes it (the same error as [`score_columns`] gives
/// for a bad byte).
///
/// # Errors
///
/// [`Error::InBatch`] (the row) wrapping [`Error::InvalidValue`] (the
/// descriptor's identifier, the value) for a value other than 0, 1 or NaN.
///
/// ```
/// use sledai::columns::check_cell;
/// use sledai::{Descriptor, Finding};
/// assert_eq!(check_cell(0, Descriptor::Rash, 1u8)?, Finding::Present);
/// assert_eq!(check_cell(0, Descriptor::Rash, f32::NAN)?, Finding::NotAssessed);
/// let err = check_cell(7, Descriptor::Pyuria, 0.1f32).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "item 7: pyuria: invalid value `0.1`: expected 0 or 1 (False or True), \
///      or a missing value (NA) for not assessed"
/// );
/// # Ok::<(), sledai::Error>(())
/// ```
pub fn check_cell<T: CellNumber>(
    row: usize,
    descriptor: Descriptor,
    value: T,
) -> Result<crate::Finding, Error> {
    value.finding().ok_or_else(|| Error::InBatch {
        index: row,
        source: Box::new(Error::InvalidValue {
            field: descriptor.id(),
            value: value.to_string().into(),
            reason: CELL_REASON.to_owned().into(),
        }),
    })
}

/// Scores rows held in 24 byte columns.
///
/// - `columns[j]` holds descriptor `Descriptor::ALL[j]` (form order), one
///   byte per row: 1 present, 0 absent.
/// - `not_assessed[j]`, when given, holds one byte per row: 1 where that
///   descriptor was not assessed (its cell is then ignored, whatever it
///   holds), 0 elsewhere.
/// - `measure` selects SLEDAI-2K (0-105) or clinical SLEDAI (0-101, the two
///   serology descriptors do not count, assessed or not).
/// - `totals[i]` receives row `i`'s total; for an incomplete row, the low
///   end of its range (the present descriptors that count).
/// - `incomplete` says what an incomplete row (a descriptor that counts
///   not assessed) is: an error ([`Incomplete::Error`]) or a flag in a
///   buffer that is written whole ([`Incomplete::Flag`]).
///
/// Returns whether some row is incomplete.
///
/// # Errors
///
/// - [`Error::LengthMismatch`] when a column or mask is not as long as
///   `totals` (or the flag buffer).
/// - [`Error::InBatch`] (the row) wrapping [`Error::InvalidValue`] (the
///   descriptor, the value) for a cell other than 0/1 that is not masked, or
///   a mask byte other than 0/1; the first such row is named.
/// - [`Error::InBatch`] wrapping [`Error::IncompleteAssessment`] (the
///   missing descriptors and the range) for the first incomplete row, under
///   [`Incomplete::Error`].
///
/// ```
/// use sledai::change::Measure;
/// use sledai::columns::{score_columns, Incomplete};
///
/// let one = [1u8];
/// let cols: [&[u8]; 24] = [&one; 24];
/// let mut totals = [0u8; 1];
/// score_columns(&cols, &[None; 24], Measure::Sledai2k, &mut totals, Incomplete::Error)?;
/// assert_eq!(totals, [105]);
/// score_columns(&cols, &[None; 24], Measure::ClinicalSledai, &mut totals, Incomplete::Error)?;
/// assert_eq!(totals, [101]);
///
/// let two = [2u8];
/// let mut bad = cols;
/// bad[14] = &two; // rash
/// let err = score_columns(&bad, &[None; 24], Measure::Sledai2k, &mut totals, Incomplete::Error).unwrap_err();
/// assert!(err.to_string().starts_with("item 0: rash: invalid value `2`"));
/// # Ok::<(), sledai::Error>(())
/// ```
pub fn score_columns<T: From<u8> + Copy>(
    columns: &[&[u8]; 24],
    not_assessed: &[Option<&[u8]>; 24],
    measure: Measure,
    totals: &mut [T],
    incomplete: Incomplete<'_>,
) -> Result<bool, Error> {
    let incomplete = match incomplete {
        Incomplete::Error => None,
        Incomplete::Flag(flags) => {
            flags.fill(false);
            Some(flags)
        }
    };
    let n = totals.len();
    let lengths = columns
        .iter()
        .map(|c| c.len())
        .chain(not_assessed.iter().flatten().map(|m| m.len()))
        .chain(incomplete.as_deref().map(<[bool]>::len));
    for len in lengths {
        if len != n {
            return Err(Error::LengthMismatch {
                input: len,
                output: n,
            });
        }
    }
    // Masks: validated (0/1) and dropped when empty, in one read each, so
    // NA-capable columns without NA cost little more than plain ones.
    let mut masks: [Option<&[u8]>; 24] = [None; 24];
    for ((m, given), d) in masks.iter_mut().zip(not_assessed).zip(Descriptor::ALL) {
        if let Some(mask) = given {
            match mask.iter().fold(0u8, |a, &v| a | v) {
                0 => {}
                1 => *m = Some(mask),
                _ => {
                    let i = mask.iter().position(|&v| v > 1).unwrap_or(0);
                    return Err(Error::InBatch {
                        index: i,
                        source: Box::new(Error::InvalidValue {
                            field: d.id(),
                            value: mask[i].to_string().into(),
                            reason: "a not-assessed mask byte must be 0 or 1".into(),
                        }),
                    });
                }
            }
        }
    }
    let counts = |d: Descriptor| !(measure == Measure::ClinicalSledai && d.is_serology());
    let weights: [u8; 24] = std::array::from_fn(|j| {
        let d = Descriptor::ALL[j];
        if counts(d) { d.weight() } else { 0 }
    });
    let any_mask = masks.iter().any(Option::is_some);
    let raise = incomplete.is_none();
    let mut own_flags = vec![false; if raise && any_mask { n } else { 0 }];
    let flags: &mut [bool] = match incomplete {
        Some(f) => f,
        None => &mut own_flags,
    };

    let mut some_incomplete = false;
    // Reused for every chunk, so it stays in cache and costs no page faults.
    let mut chunk = vec![0u8; CHUNK.min(n)];
    let mut any = 0u8;
    let mut start = 0;
    while start < n {
        let len = CHUNK.min(n - start);
        let rows = start..start + len;
        let t = &mut chunk[..len];
        t.fill(0);
        for g in 0..3 {
            let c: [&[u8]; 8] = std::array::from_fn(|k| &columns[8 * g + k][rows.clone()]);
            let w: [u8; 8] = std::array::from_fn(|k| weights[8 * g + k]);
            for (i, t) in t.iter_mut().enumerate() {
                let mut sum = 0u8;
                for (col, &wk) in c.iter().zip(&w) {
                    let v = col[i];
                    any |= v;
                    // Modulo 256: at most 105 for valid cells; what an
                    // invalid cell adds is taken back below (masked) or
                    // rejected (not masked).
                    sum = sum.wrapping_add(0u8.wrapping_sub(v) & wk);
                }
                *t = t.wrapping_add(sum);
            }
        }
        // Not assessed: take back what the cell added (whatever it held)
        // and flag the row when the descriptor counts.
        for (j, (mask, d)) in masks.iter().zip(Descriptor::ALL).enumerate() {
            if let Some(m) = mask {
                let (v, m) = (&columns[j][rows.clone()], &m[rows.clone()]);
                let w = weights[j];
                let keep = counts(d);
                let f = &mut flags[rows.clone()];
                let mut seen = 0u8;
                for (((t, f), &v), &m) in t.iter_mut().zip(f.iter_mut()).zip(v).zip(m) {
                    *t = t.wrapping_sub(0u8.wrapping_sub(v) & 0u8.wrapping_sub(m) & w);
                    *f |= keep & (m != 0);
                    seen |= m;
                }
                some_incomplete |= keep && seen != 0;
            }
        }
        for (o, &t) in totals[rows].iter_mut().zip(t.iter()) {
            *o = T::from(t);
        }
        start += len;
    }
    if any > 1 {
        if let Some((row, j, v)) = first_bad_cell(columns, &masks) {
            return Err(Error::InBatch {
                index: row,
                source: Box::new(Error::InvalidValue {
                    field: Descriptor::ALL[j].id(),
                    value: v.to_string().into(),
                    reason: CELL_REASON.to_owned().into(),
                }),
            });
        }
        // Only cells under a not-assessed mask held other values: their
        // contributions were taken back exactly (modulo 256).
    }
    if raise {
        if let Some(i) = flags.iter().position(|&f| f) {
            return Err(incomplete_row(columns, &masks, measure, i));
        }
    }
    Ok(some_incomplete)
}

/// The first row (then column) with a cell other than 0/1 that is not
/// masked.
fn first_bad_cell(
    columns: &[&[u8]; 24],
    masks: &[Option<&[u8]>; 24],
) -> Option<(usize, usize, u8)> {
    columns
        .iter()
        .zip(masks)
        .enumerate()
        .filter_map(|(j, (c, m))| {
            c.iter()
                .enumerate()
                .find(|&(i, &v)| v > 1 && !m.is_some_and(|m| m[i] != 0))
                .map(|(i, &v)| (i, j, v))
        })
        .min_by_key(|&(i, j, _)| (i, j))
}

/// The core's error for incomplete row `i`: the missing descriptors and the
/// range come from [`Assessment`].
fn incomplete_row(
    columns: &[&[u8]; 24],
    masks: &[Option<&[u8]>; 24],
    measure: Measure,
    i: usize,
) -> Error {
    let mut present = 0;
    let mut missing = 0;
    for ((c, m), d) in columns.iter().zip(masks).zip(Descriptor::ALL) {
        if m.is_some_and(|m| m[i] != 0) {
            missing |= d.bit();
        } else if c[i] == 1 {
            present |= d.bit();
        }
    }
    let result = Assessment::from_masks(present, missing).and_then(|a| match measure {
        Measure::ClinicalSledai => a.clinical_score(),
        Measure::Sledai2k => a.score(),
    });
    match result {
        Err(source) => Error::InBatch {
            index: i,
            source: Box::new(source),
        },
        // Unreachable: the row has a missing descriptor that counts.
        Ok(_) => Error::InvalidMask {
            field: "not_assessed",
            value: missing,
            reason: "column kernel and assessment disagree on completeness",
        },
    }
}
