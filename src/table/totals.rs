//! Totals of a table: the SLEDAI-2K (or clinical SLEDAI) of every row of
//! the 24 descriptor columns, in one call, with one policy for rows that
//! have a descriptor not assessed ([`IncompleteRows`]).
//!
//! This is what Python's `score_frame` computes; the package only borrows
//! the frame's buffers and hands them over as [`Column`]s. Two paths, the
//! same rules:
//!
//! - 24 `bool`/`uint8` columns (with or without "not assessed" masks), and
//!   no range asked for: the column kernel [`crate::columns::score_columns`],
//!   which reads 8 columns side by side;
//! - Arrow boolean columns ([`Values::Bits`], with or without a validity
//!   bitmap; an absent column is every row not assessed): the bitmap
//!   kernel, which adds each column's weights eight rows (a byte of the
//!   bitmap) at a time into eight byte lanes of a `u64` (a total is at
//!   most 105, so a lane never carries into the next);
//! - anything else (integer and float columns, NaN, absent columns,
//!   ranges): the descriptor cell rules of
//!   [`descriptor_masks`] give each row's
//!   present and not-assessed masks, scored by [`crate::score_masks`] /
//!   [`crate::clinical_score_masks`].
//!
//! A row with a descriptor not assessed that counts (the serology
//! descriptors do not count in clinical SLEDAI, `docs/reference.md`
//! section 1.4) is incomplete: never scored as if the descriptor were
//! absent. Its low total is [`crate::ScoreRange::min`] of the row's
//! [`crate::Assessment`] and its high total [`crate::ScoreRange::max`].
//!
//! # Example
//!
//! ```
//! use sledai::change::Measure;
//! use sledai::table::column::{Column, Values};
//! use sledai::table::totals::{self, IncompleteRows};
//!
//! let zeros = [0u8; 2];
//! let mut columns: [Option<Column<'_>>; 24] = [Some(Column::new(Values::Bool(&zeros))); 24];
//! let arthritis = [1u8, 1];
//! columns[8] = Some(Column::new(Values::Bool(&arthritis)));
//! let fever = [0.0, f64::NAN]; // row 1: fever not assessed
//! columns[21] = Some(Column::new(Values::F64(&fever)));
//!
//! let t = totals::evaluate(&columns, 2, Measure::Sledai2k, IncompleteRows::Range)?;
//! assert_eq!(t.low(), [4, 4]);
//! assert_eq!(t.high(), Some(&[4, 5][..]));
//!
//! let t = totals::evaluate(&columns, 2, Measure::Sledai2k, IncompleteRows::Missing)?;
//! assert_eq!(t.incomplete(), Some(&[false, true][..]));
//!
//! let err = totals::evaluate(&columns, 2, Measure::Sledai2k, IncompleteRows::Error).unwrap_err();
//! assert!(err.to_string().starts_with("item 1: assessment is incomplete"), "{err}");
//! # Ok::<(), sledai::Error>(())
//! ```

use super::column::{Bitmap, Column, Values, descriptor_masks};
use crate::assessment::Assessment;
use crate::change::Measure;
use crate::columns::{Incomplete, check_cell, score_columns};
use crate::descriptor::Descriptor;
use crate::error::Error;
use crate::vocabulary::vocabulary;

vocabulary! {
    /// What [`evaluate`] gives for a row with a descriptor not assessed
    /// (Python's `score_frame(incomplete=...)`; the identifiers are its
    /// keyword values).
    ///
    /// ```
    /// use sledai::table::totals::IncompleteRows;
    /// assert_eq!(IncompleteRows::default(), IncompleteRows::Missing);
    /// assert_eq!("range".parse::<IncompleteRows>()?, IncompleteRows::Range);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub enum IncompleteRows = "incomplete", path = "sledai::table::totals::IncompleteRows" {
        /// The row's total is missing: [`Totals::incomplete`] flags it and
        /// its entry in [`Totals::low`] is 0 (the caller masks it).
        Missing = "na",
        /// The first incomplete row is an error naming the row.
        Error = "raise",
        /// Every row gets its range: [`Totals::low`] and [`Totals::high`].
        Range = "range",
    }
}

/// Rows per block of the general path's scoring.
const BLOCK: usize = 1024;

/// The totals of a table's rows.
///
/// ```
/// use sledai::change::Measure;
/// use sledai::table::column::{Column, Values};
/// use sledai::table::totals::{self, IncompleteRows};
/// let ones = [1u8];
/// let columns: [Option<Column<'_>>; 24] = [Some(Column::new(Values::Bool(&ones))); 24];
/// let t = totals::evaluate(&columns, 1, Measure::ClinicalSledai, IncompleteRows::Error)?;
/// assert_eq!((t.low(), t.high(), t.incomplete()), (&[101i16][..], None, None));
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Totals {
    low: Vec<i16>,
    high: Option<Vec<i16>>,
    incomplete: Option<Vec<bool>>,
}

impl Totals {
    /// The totals (under [`IncompleteRows::Range`], the low ends of the
    /// ranges; under [`IncompleteRows::Missing`], 0 for a flagged row).
    ///
    /// ```
    /// # use sledai::change::Measure;
    /// # use sledai::table::column::{Column, Values};
    /// # use sledai::table::totals::{self, IncompleteRows};
    /// let columns: [Option<Column<'_>>; 24] = [None; 24]; // nothing assessed
    /// let t = totals::evaluate(&columns, 1, Measure::Sledai2k, IncompleteRows::Range)?;
    /// assert_eq!(t.low(), [0]);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub fn low(&self) -> &[i16] {
        &self.low
    }

    /// The high ends of the ranges, under [`IncompleteRows::Range`] only.
    ///
    /// ```
    /// # use sledai::change::Measure;
    /// # use sledai::table::column::{Column, Values};
    /// # use sledai::table::totals::{self, IncompleteRows};
    /// let columns: [Option<Column<'_>>; 24] = [None; 24];
    /// let t = totals::evaluate(&columns, 1, Measure::Sledai2k, IncompleteRows::Range)?;
    /// assert_eq!(t.high(), Some(&[105i16][..]));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub fn high(&self) -> Option<&[i16]> {
        self.high.as_deref()
    }

    /// Under [`IncompleteRows::Missing`], when some row is incomplete: one
    /// flag per row, `true` where the total is missing.
    ///
    /// ```
    /// # use sledai::change::Measure;
    /// # use sledai::table::column::{Column, Values};
    /// # use sledai::table::totals::{self, IncompleteRows};
    /// let columns: [Option<Column<'_>>; 24] = [None; 24];
    /// let t = totals::evaluate(&columns, 1, Measure::Sledai2k, IncompleteRows::Missing)?;
    /// assert_eq!(t.incomplete(), Some(&[true][..]));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub fn incomplete(&self) -> Option<&[bool]> {
        self.incomplete.as_deref()
    }

    /// The parts, for a caller that hands the buffers on: `(low, high,
    /// incomplete)`.
    ///
    /// ```
    /// # use sledai::change::Measure;
    /// # use sledai::table::column::{Column, Values};
    /// # use sledai::table::totals::{self, IncompleteRows};
    /// let columns: [Option<Column<'_>>; 24] = [None; 24];
    /// let (low, high, flags) = totals::evaluate(&columns, 1, Measure::Sledai2k, IncompleteRows::Range)?.into_parts();
    /// assert_eq!((low, high, flags), (vec![0], Some(vec![105]), None));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub fn into_parts(self) -> (Vec<i16>, Option<Vec<i16>>, Option<Vec<bool>>) {
        (self.low, self.high, self.incomplete)
    }
}

/// The totals of `rows` rows held in the 24 descriptor columns (form
/// order: `columns[i]` is [`Descriptor::ALL`]`[i]`; `None` is an absent
/// column, every row not assessed).
///
/// # Errors
///
/// - [`Error::LengthMismatch`] when a column's values or mask do not hold
///   `rows` entries.
/// - [`Error::InBatch`] (the row) wrapping [`Error::InvalidValue`] (the
///   descriptor, the cell as written) for a cell outside the descriptor
///   cell rules, or a mask byte other than 0/1; masked cells are not read.
/// - [`Error::InBatch`] wrapping [`Error::IncompleteAssessment`] for the
///   first incomplete row under [`IncompleteRows::Error`].
///
/// ```
/// use sledai::change::Measure;
/// use sledai::table::column::{Column, Values};
/// use sledai::table::totals::{self, IncompleteRows};
/// let short = [0u8];
/// let columns: [Option<Column<'_>>; 24] = [Some(Column::new(Values::Bool(&short))); 24];
/// let err = totals::evaluate(&columns, 2, Measure::Sledai2k, IncompleteRows::Error).unwrap_err();
/// assert_eq!(err.to_string(), "batch length mismatch: 1 inputs but room for 2 outputs");
/// ```
pub fn evaluate(
    columns: &[Option<Column<'_>>; 24],
    rows: usize,
    measure: Measure,
    incomplete: IncompleteRows,
) -> Result<Totals, Error> {
    for (c, d) in columns.iter().zip(Descriptor::ALL) {
        if let Some(c) = c {
            c.check(rows, d.id())?;
        }
    }
    let mut out = Totals {
        low: vec![0; rows],
        high: (incomplete == IncompleteRows::Range).then(|| vec![0; rows]),
        incomplete: None,
    };

    // Arrow booleans (polars, pyarrow): the bitmaps as they are.
    if let Some(bits) = bitmaps(columns) {
        if by_bitmaps(&bits, rows, measure, incomplete, &mut out) {
            return Ok(out);
        }
        // An incomplete row under `IncompleteRows::Error`: the general
        // path words the error.
        return by_masks(columns, rows, measure, incomplete, out);
    }

    // The common case: 24 bool/uint8 columns, with or without masks.
    let mut bytes: [&[u8]; 24] = [&[]; 24];
    let all_bytes = columns.iter().zip(bytes.iter_mut()).all(|(c, b)| match c {
        Some(c) if c.validity().is_some() => false,
        Some(c) => match c.values() {
            Values::Bool(s) | Values::U8(s) => {
                *b = s;
                true
            }
            _ => false,
        },
        None => false,
    });
    if all_bytes && incomplete != IncompleteRows::Range {
        let given: [Option<&[u8]>; 24] =
            std::array::from_fn(|j| columns[j].and_then(|c| c.missing()));
        if incomplete == IncompleteRows::Error || given.iter().all(Option::is_none) {
            score_columns(&bytes, &given, measure, &mut out.low, Incomplete::Error)?;
        } else {
            let mut flags = vec![false; rows];
            if score_columns(
                &bytes,
                &given,
                measure,
                &mut out.low,
                Incomplete::Flag(&mut flags),
            )? {
                for (t, &f) in out.low.iter_mut().zip(&flags) {
                    if f {
                        *t = 0;
                    }
                }
                out.incomplete = Some(flags);
            }
        }
        return Ok(out);
    }

    // A mask with no entry set is dropped (one fast read), so NA-capable
    // columns without NA cost little more than plain ones.
    let mut masked: [Option<Column<'_>>; 24] = *columns;
    for (c, d) in masked.iter_mut().zip(Descriptor::ALL) {
        let Some(col) = c else { continue };
        let Some(mask) = col.missing() else { continue };
        match mask.iter().fold(0u8, |a, &v| a | v) {
            0 => *c = Some(col.without_missing()),
            1 => {}
            _ => {
                let i = mask.iter().position(|&v| v > 1).unwrap_or(0);
                // The cell rule words the error: a byte of 2 or more is
                // no cell value either.
                check_cell(i, d, mask[i])?;
            }
        }
    }
    by_masks(&masked, rows, measure, incomplete, out)
}

/// One column of the bitmap kernel: its values and validity bitmaps;
/// `None`, an absent column (every row not assessed).
type BitColumn<'a> = Option<(Bitmap<'a>, Option<Bitmap<'a>>)>;

/// The columns as bitmaps, when every given column is [`Values::Bits`]
/// without a byte mask.
fn bitmaps<'a>(columns: &[Option<Column<'a>>; 24]) -> Option<[BitColumn<'a>; 24]> {
    let mut out: [BitColumn<'a>; 24] = [None; 24];
    let mut any = false;
    for (c, o) in columns.iter().zip(&mut out) {
        let Some(c) = c else { continue };
        match c.values() {
            Values::Bits(b) if c.missing().is_none() => *o = Some((b, c.validity())),
            _ => return None,
        }
        any = true;
    }
    any.then_some(out)
}

/// Row `8k + t`'s bit `t` of byte `b` moved to byte lane `t` of a `u64`.
const SPREAD: [u64; 256] = {
    let mut t = [0u64; 256];
    let mut b = 0;
    while b < 256 {
        let mut lane = 0;
        while lane < 8 {
            if b >> lane & 1 == 1 {
                t[b] |= 1 << (8 * lane);
            }
            lane += 1;
        }
        b += 1;
    }
    t
};

/// Bytes of bitmap (eight rows each) per block of the bitmap kernel.
const BIT_BLOCK: usize = 128;

/// The bitmap kernel. Per block of rows, each column's bytes of present
/// cells (value and validity bits set) and of not-assessed cells (validity
/// bit clear; every cell of an absent column) are laid side by side; then
/// for each byte (eight rows) the 24 columns' weights are added into the
/// eight byte lanes of one `u64` (`SPREAD` of the byte times the weight),
/// and the not-assessed bytes of the descriptors that count are ORed. The
/// low total adds the present cells, the high one the not-assessed cells
/// too. `false` when a row is incomplete under [`IncompleteRows::Error`]
/// (the caller words the error).
fn by_bitmaps(
    columns: &[BitColumn<'_>; 24],
    rows: usize,
    measure: Measure,
    incomplete: IncompleteRows,
    out: &mut Totals,
) -> bool {
    let clinical = measure == Measure::ClinicalSledai;
    // A descriptor that does not count weighs 0 and is never incomplete.
    let weights: [u64; 24] = std::array::from_fn(|j| {
        let d = Descriptor::ALL[j];
        if clinical && d.is_serology() {
            0
        } else {
            u64::from(d.weight())
        }
    });
    let mut flags = (incomplete == IncompleteRows::Missing).then(|| vec![false; rows]);
    let mut any_incomplete = false;
    let mut present = [[0u8; BIT_BLOCK]; 24];
    let mut gone = [[0u8; BIT_BLOCK]; 24];
    let mut valid = [0u8; BIT_BLOCK];
    let (mut low, mut high, mut unassessed) =
        ([0u64; BIT_BLOCK], [0u64; BIT_BLOCK], [0u8; BIT_BLOCK]);
    let mut start = 0;
    while start < rows {
        let len = (rows - start).min(BIT_BLOCK * 8);
        let bytes = len.div_ceil(8);
        let first = start / 8;
        let mut some_gone = false;
        for ((c, p), (g, &w)) in columns
            .iter()
            .zip(&mut present)
            .zip(gone.iter_mut().zip(&weights))
        {
            match c {
                _ if w == 0 => {
                    p.fill(0);
                    g.fill(0);
                }
                None => {
                    p.fill(0);
                    g.fill(0xFF);
                    some_gone = true;
                }
                Some((values, None)) => {
                    values.aligned_block(first, p);
                    g.fill(0);
                }
                Some((values, Some(validity))) => {
                    values.aligned_block(first, p);
                    validity.aligned_block(first, &mut valid);
                    for ((p, g), &v) in p.iter_mut().zip(g.iter_mut()).zip(&valid) {
                        *p &= v;
                        *g = !v;
                    }
                    some_gone |= g[..bytes].iter().any(|&g| g != 0);
                }
            }
        }
        for (k, l) in low[..bytes].iter_mut().enumerate() {
            let mut acc = 0u64;
            for (p, &w) in present.iter().zip(&weights) {
                acc += SPREAD[usize::from(p[k])] * w;
            }
            *l = acc;
        }
        if some_gone {
            for (k, (h, u)) in high[..bytes]
                .iter_mut()
                .zip(&mut unassessed[..bytes])
                .enumerate()
            {
                let (mut acc, mut any) = (0u64, 0u8);
                for (g, &w) in gone.iter().zip(&weights) {
                    acc += SPREAD[usize::from(g[k])] * w;
                    any |= g[k];
                }
                (*h, *u) = (acc, any);
            }
            // The lanes past the last row are no rows.
            if len % 8 != 0 {
                unassessed[bytes - 1] &= (1u8 << (len % 8)) - 1;
            }
        } else {
            high[..bytes].fill(0);
            unassessed[..bytes].fill(0);
        }
        let block = start..start + len;
        for (o, &l) in out.low[block.clone()].chunks_mut(8).zip(&low) {
            for (o, &t) in o.iter_mut().zip(&l.to_le_bytes()) {
                *o = i16::from(t);
            }
        }
        if let Some(high_out) = &mut out.high {
            for ((o, &l), &h) in high_out[block.clone()].chunks_mut(8).zip(&low).zip(&high) {
                for (o, &t) in o.iter_mut().zip(&(l + h).to_le_bytes()) {
                    *o = i16::from(t);
                }
            }
        }
        if unassessed[..bytes].iter().any(|&u| u != 0) {
            any_incomplete = true;
            if incomplete == IncompleteRows::Error {
                return false;
            }
            if let Some(flags) = &mut flags {
                let rows_of = out.low[block.clone()].chunks_mut(8);
                for ((o, f), &u) in rows_of.zip(flags[block].chunks_mut(8)).zip(&unassessed) {
                    for (t, (o, f)) in o.iter_mut().zip(f).enumerate() {
                        if u >> t & 1 == 1 {
                            *f = true;
                            *o = 0;
                        }
                    }
                }
            }
        }
        start += len;
    }
    if any_incomplete {
        out.incomplete = flags;
    }
    true
}

/// The general path: each row's present and not-assessed masks from the
/// descriptor cell rules, scored by the mask kernels.
fn by_masks(
    columns: &[Option<Column<'_>>; 24],
    rows: usize,
    measure: Measure,
    incomplete: IncompleteRows,
    mut out: Totals,
) -> Result<Totals, Error> {
    let (mut present, missing) = descriptor_masks(columns, rows)?;
    let clinical = measure == Measure::ClinicalSledai;
    let counts: u32 = Descriptor::ALL
        .iter()
        .filter(|d| !(clinical && d.is_serology()))
        .fold(0, |m, d| m | d.bit());
    let score: fn(&[u32], &mut [u8]) -> Result<(), Error> = if clinical {
        crate::score::clinical_score_masks
    } else {
        crate::score::score_masks
    };
    let mut low = [0u8; BLOCK];
    let mut start = 0;
    while start < rows {
        let block = start..rows.min(start + BLOCK);
        let len = block.len();
        score(&present[block.clone()], &mut low[..len])?;
        for (t, &l) in out.low[block].iter_mut().zip(&low[..len]) {
            *t = i16::from(l);
        }
        start += len;
    }
    match incomplete {
        IncompleteRows::Range => {
            for (p, &m) in present.iter_mut().zip(&missing) {
                *p |= m;
            }
            let mut high = vec![0u8; rows];
            score(&present, &mut high)?;
            out.high = Some(high.into_iter().map(i16::from).collect());
        }
        IncompleteRows::Error => {
            if let Some(i) = missing.iter().position(|&m| m & counts != 0) {
                let assessment =
                    Assessment::from_masks(present[i], missing[i]).map_err(|e| in_row(i, e))?;
                let total = if clinical {
                    assessment.clinical_score()
                } else {
                    assessment.score()
                };
                // `total` is an error: a descriptor that counts is missing.
                total.map_err(|e| in_row(i, e))?;
            }
        }
        IncompleteRows::Missing => {
            if missing.iter().any(|&m| m & counts != 0) {
                let flags: Vec<bool> = missing.iter().map(|&m| m & counts != 0).collect();
                for (t, &f) in out.low.iter_mut().zip(&flags) {
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

fn in_row(index: usize, source: Error) -> Error {
    Error::InBatch {
        index,
        source: Box::new(source),
    }
}
