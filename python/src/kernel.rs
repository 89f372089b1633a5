//! The column kernel behind `sledai.score_frame`: 24 descriptor columns in,
//! totals out, in one pass over the columns' buffers. Pure Rust (no Python
//! objects), so it runs with the GIL released and is unit-tested here.
//!
//! Pass 1 reads each column once, sequentially: every group of 8 columns
//! fills one byte plane (descriptor bits 0-7, 8-15, 16-23 of each row),
//! validating the values in the same pass; plain bool/uint8 columns are read
//! 8 side by side and each plane byte is written once. Missing values fill
//! three more planes. Pass 2 works in blocks of [`BLOCK`] rows that stay in
//! L1: it joins the planes into the core crate's 24-bit masks (present and
//! not assessed, the layout of [`sledai::Assessment::from_masks`]) and takes
//! the totals from [`sledai::score_masks`] / [`sledai::clinical_score_masks`].
//! The weights live only in the core.
//!
//! For a row with descriptors not assessed, `low` is the total of the
//! present mask and `high` the total of `present | not_assessed`: the
//! definition of [`sledai::Assessment::score_range`], checked against it row
//! by row in the tests below.

use sledai::{clinical_score_masks, score_masks, Assessment, Descriptor, Error};

/// Rows per block of pass 2: the masks and totals of a block stay in L1.
pub(crate) const BLOCK: usize = 1024;

/// Why a value was rejected.
const REASON: &str = "expected 0 or 1 (False or True), or a missing value (NA) for not assessed";

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

impl Values<'_> {
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
    /// (its total is then 0 and must be masked by the caller).
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
/// - [`Error::LengthMismatch`] when a column's length is not `n`.
/// - [`Error::InBatch`] wrapping [`Error::InvalidValue`] (field = the
///   column, value = the cell) for a value other than 0/1 (or NaN in a
///   float column); only values that are not masked as missing are checked.
/// - [`Error::InBatch`] wrapping [`Error::IncompleteAssessment`] for the
///   first incomplete row in [`Mode::Raise`].
pub(crate) fn score_columns(
    columns: &[Column<'_>; 24],
    n: usize,
    clinical: bool,
    mode: Mode,
) -> Result<Output, Error> {
    for c in columns {
        for len in [c.values.len(), c.missing.map(<[u8]>::len)]
            .into_iter()
            .flatten()
        {
            if len != n {
                return Err(Error::LengthMismatch {
                    input: len,
                    output: n,
                });
            }
        }
    }
    let keep: u32 = Descriptor::ALL
        .iter()
        .filter(|d| !(clinical && d.is_serology()))
        .fold(0, |m, d| m | d.bit());
    let score: fn(&[u32], &mut [u8]) -> Result<(), Error> = if clinical {
        clinical_score_masks
    } else {
        score_masks
    };

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
                    return Err(cell(i, d, mask[i].to_string()));
                }
            }
        }
    }
    let can_miss = masks.iter().any(Option::is_some)
        || columns
            .iter()
            .any(|c| matches!(c.values, Values::F32(_) | Values::F64(_) | Values::Missing));

    let mut out = Output {
        totals: vec![0; n],
        high: (mode == Mode::Range).then(|| vec![0; n]),
        incomplete: None,
    };

    // Pass 1: the three byte planes (descriptor bits 0-7, 8-15, 16-23 of
    // every row) and, when some column can hold missing values, three
    // missing planes. Each group of 8 columns fills one plane.
    let mut planes = vec![0u8; 3 * n];
    let mut na_planes = vec![0u8; if can_miss { 3 * n } else { 0 }];
    for g in 0..3 {
        let group = &columns[8 * g..8 * g + 8];
        let group_masks = &masks[8 * g..8 * g + 8];
        let dst = &mut planes[g * n..(g + 1) * n];
        let fast: Option<[&[u8]; 8]> = if group_masks.iter().all(Option::is_none) {
            let mut bytes: [&[u8]; 8] = [&[]; 8];
            group
                .iter()
                .zip(bytes.iter_mut())
                .all(|(c, b)| match c.values {
                    Values::U8(s) => {
                        *b = s;
                        true
                    }
                    _ => false,
                })
                .then_some(bytes)
        } else {
            None
        };
        // Fast path (8 plain bool/uint8 columns, the common case): read the
        // 8 columns side by side and write each row's byte once.
        if let Some(bytes) = fast {
            if or_group(bytes, dst) <= 1 {
                continue;
            }
            dst.fill(0); // a bad value: redo the group column by column to name it
        }
        for (k, ((column, mask), d)) in group
            .iter()
            .zip(group_masks)
            .zip(&Descriptor::ALL[8 * g..8 * g + 8])
            .enumerate()
        {
            let na: &mut [u8] = if can_miss {
                &mut na_planes[g * n..(g + 1) * n]
            } else {
                &mut []
            };
            or_column(column.values, *mask, *d, 0, dst, na, 1 << k)?;
        }
    }

    let no_missing = [0u8; BLOCK];
    let mut present = [0u32; BLOCK];
    let mut missing = [0u32; BLOCK];
    let mut low = [0u8; BLOCK];
    let mut high = [0u8; BLOCK];
    // Pass 2, in blocks of rows that stay in L1: join the planes into the
    // core's 24-bit masks and score them with the core's kernel.
    let stride = n;
    let mut start = 0;
    while start < n {
        let len = BLOCK.min(n - start);
        let rows = start..start + len;
        let mut any_missing = 0u32;
        {
            // Equal-length slices, so the loop has no bounds checks and vectorises.
            let p0 = &planes[start..start + len];
            let p1 = &planes[stride + start..stride + start + len];
            let p2 = &planes[2 * stride + start..2 * stride + start + len];
            let (m0, m1, m2) = if can_miss {
                (
                    &na_planes[start..start + len],
                    &na_planes[stride + start..stride + start + len],
                    &na_planes[2 * stride + start..2 * stride + start + len],
                )
            } else {
                (&no_missing[..len], &no_missing[..len], &no_missing[..len])
            };
            let (present, missing) = (&mut present[..len], &mut missing[..len]);
            for i in 0..len {
                let na = u32::from(m0[i]) | u32::from(m1[i]) << 8 | u32::from(m2[i]) << 16;
                let p = u32::from(p0[i]) | u32::from(p1[i]) << 8 | u32::from(p2[i]) << 16;
                // A missing value wins over whatever its cell held.
                present[i] = p & !na;
                missing[i] = na;
                any_missing |= na;
            }
        }
        score(&present[..len], &mut low[..len])?;
        let totals = &mut out.totals[rows.clone()];
        for (t, &l) in totals.iter_mut().zip(&low[..len]) {
            *t = i16::from(l);
        }

        if any_missing & keep != 0 || mode == Mode::Range {
            match mode {
                Mode::Range => {
                    for (p, &m) in present[..len].iter_mut().zip(&missing[..len]) {
                        *p |= m;
                    }
                    score(&present[..len], &mut high[..len])?;
                    if let Some(h) = out.high.as_mut() {
                        for (t, &v) in h[rows.clone()].iter_mut().zip(&high[..len]) {
                            *t = i16::from(v);
                        }
                    }
                }
                Mode::Raise => {
                    if let Some(i) = (0..len).find(|&i| missing[i] & keep != 0) {
                        let a = Assessment::from_masks(present[i], missing[i])?;
                        let e = if clinical {
                            a.clinical_score()
                        } else {
                            a.score()
                        };
                        return Err(match e {
                            Err(source) => Error::InBatch {
                                index: rows.start + i,
                                source: Box::new(source),
                            },
                            // Unreachable: the row has a missing item that counts.
                            Ok(_) => Error::InvalidMask {
                                field: "not_assessed",
                                value: missing[i],
                                reason: "kernel and core disagree on completeness",
                            },
                        });
                    }
                }
                Mode::Flag => {
                    let flags = out.incomplete.get_or_insert_with(|| vec![false; n]);
                    for ((f, t), &m) in flags[rows.clone()]
                        .iter_mut()
                        .zip(totals.iter_mut())
                        .zip(&missing[..len])
                    {
                        let inc = m & keep != 0;
                        *f = inc;
                        if inc {
                            *t = 0;
                        }
                    }
                }
            }
        }
        start += len;
    }
    Ok(out)
}

/// ORs one column's bit into its plane (`dst`) and, for missing values,
/// into its missing plane (`na`, empty when no column can hold missing
/// values), validating every value that is not masked as missing.
/// `first_row` is the row number of `values[0]`, for error messages.
fn or_column(
    values: Values<'_>,
    mask: Option<&[u8]>,
    d: Descriptor,
    first_row: usize,
    dst: &mut [u8],
    na: &mut [u8],
    bit: u8,
) -> Result<(), Error> {
    if let Some(m) = mask {
        or_bits(m, na, bit); // validated to hold only 0/1 by the caller
    }
    let ok = match values {
        Values::U8(s) => or_bits(s, dst, bit) <= 1,
        Values::I8(s) => or_ints(s, dst, bit),
        Values::I16(s) => or_ints(s, dst, bit),
        Values::I32(s) => or_ints(s, dst, bit),
        Values::I64(s) => or_ints(s, dst, bit),
        Values::U16(s) => or_ints(s, dst, bit),
        Values::U32(s) => or_ints(s, dst, bit),
        Values::U64(s) => or_ints(s, dst, bit),
        Values::F32(s) => or_floats(s.iter().map(|&v| f64::from(v)), dst, na, bit),
        Values::F64(s) => or_floats(s.iter().copied(), dst, na, bit),
        Values::Missing => {
            na.iter_mut().for_each(|v| *v |= bit);
            true
        }
    };
    if ok {
        return Ok(());
    }
    // Slow path, taken only when the column holds a bad value or garbage
    // under its missing mask: find a bad value that is not masked; if there
    // is none, the column is fine (the bits that garbage set are cleared by
    // the missing mask when the planes are joined).
    let masked = |i: usize| mask.is_some_and(|m| m[i] != 0);
    let bad = match values {
        Values::U8(s) => find_bad(s, |&v| v > 1, masked),
        Values::I8(s) => find_bad(s, not_01, masked),
        Values::I16(s) => find_bad(s, not_01, masked),
        Values::I32(s) => find_bad(s, not_01, masked),
        Values::I64(s) => find_bad(s, not_01, masked),
        Values::U16(s) => find_bad(s, not_01, masked),
        Values::U32(s) => find_bad(s, not_01, masked),
        Values::U64(s) => find_bad(s, not_01, masked),
        Values::F32(s) => find_bad(s, |&v| !float_ok(f64::from(v)), masked),
        Values::F64(s) => find_bad(s, |&v| !float_ok(v), masked),
        Values::Missing => None,
    };
    match bad {
        Some((i, value)) => Err(cell(first_row + i, d, value)),
        None => Ok(()),
    }
}

/// `dst[i]` = bit k set where `cols[k][i]` is 1, for 8 columns read side
/// by side; returns the OR of all values (> 1 means a value other than 0/1).
/// Branch-free over equal-length slices, so it vectorises.
#[inline]
fn or_group(cols: [&[u8]; 8], dst: &mut [u8]) -> u8 {
    let n = dst.len();
    let c: [&[u8]; 8] = std::array::from_fn(|k| &cols[k][..n]);
    let mut any = 0u8;
    for (i, d) in dst.iter_mut().enumerate() {
        let mut b = 0u8;
        for (k, col) in c.iter().enumerate() {
            let v = col[i];
            any |= v;
            b |= 0u8.wrapping_sub(v) & (1 << k);
        }
        *d = b;
    }
    any
}

/// `dst[i] |= bit` where `src[i]` is 1; returns the OR of all of `src`
/// (> 1 means a value other than 0/1 somewhere). Branch-free, so it
/// vectorises on the baseline target (`0 - v` is all ones for v = 1).
#[inline]
fn or_bits(src: &[u8], dst: &mut [u8], bit: u8) -> u8 {
    let mut any = 0u8;
    for (d, &v) in dst.iter_mut().zip(src) {
        any |= v;
        *d |= 0u8.wrapping_sub(v) & bit;
    }
    any
}

/// An integer cell type; 0 and 1 are the only accepted values.
trait Int: Copy + PartialEq + ToString {
    const ZERO: Self;
    const ONE: Self;
}

macro_rules! int {
    ($($t:ty),*) => {$(impl Int for $t { const ZERO: Self = 0; const ONE: Self = 1; })*};
}
int!(i8, i16, i32, i64, u16, u32, u64);

/// Integer columns: returns whether every value is 0 or 1.
#[inline]
fn or_ints<T: Int>(src: &[T], dst: &mut [u8], bit: u8) -> bool {
    let mut ok = true;
    for (d, &v) in dst.iter_mut().zip(src) {
        let one = v == T::ONE;
        ok &= one || v == T::ZERO;
        *d |= if one { bit } else { 0 };
    }
    ok
}

/// Float columns: 0.0 absent, 1.0 present, NaN not assessed; returns
/// whether every value was one of these.
// Exactly 0.0 and 1.0 are the valid cells: a strict comparison is the rule.
#[allow(clippy::float_cmp)]
#[inline]
fn or_floats(src: impl Iterator<Item = f64>, dst: &mut [u8], na: &mut [u8], bit: u8) -> bool {
    let mut ok = true;
    for ((d, n), v) in dst.iter_mut().zip(na.iter_mut()).zip(src) {
        ok &= float_ok(v);
        *d |= if v == 1.0 { bit } else { 0 };
        *n |= if v.is_nan() { bit } else { 0 };
    }
    ok
}

fn not_01<T: Int>(v: &T) -> bool {
    *v != T::ZERO && *v != T::ONE
}

#[allow(clippy::float_cmp)]
#[inline]
fn float_ok(v: f64) -> bool {
    v == 0.0 || v == 1.0 || v.is_nan()
}

fn find_bad<T: Copy + ToString>(
    s: &[T],
    bad: impl Fn(&T) -> bool,
    masked: impl Fn(usize) -> bool,
) -> Option<(usize, String)> {
    s.iter()
        .enumerate()
        .find(|&(i, v)| bad(v) && !masked(i))
        .map(|(i, v)| (i, v.to_string()))
}

/// The error for one bad cell.
fn cell(row: usize, d: Descriptor, value: String) -> Error {
    Error::InBatch {
        index: row,
        source: Box::new(Error::InvalidValue {
            field: d.id(),
            value,
            reason: REASON.to_owned(),
        }),
    }
}

#[cfg(test)]
// Row-indexed loops read as the cross-check they are.
#[allow(clippy::needless_range_loop)]
mod tests {
    use super::*;

    /// Independent weights from clinical reference section 1.2 (not the
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
    fn complete_rows_match_reference_weights() -> Result<(), Error> {
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
    fn incomplete_rows_agree_with_core_assessment() -> Result<(), Error> {
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
                    Err(_) => assert_eq!(flagged.totals[i], 0),
                }
                assert_eq!(ranged.totals[i], i16::from(range.min().get()), "row {i}");
                assert_eq!(high[i], i16::from(range.max().get()), "row {i}");
            }
        }
        Ok(())
    }

    #[test]
    fn raise_names_the_first_incomplete_row() -> Result<(), Error> {
        let values = vec![vec![0u8; 5]; 24];
        let mut missing = vec![vec![0u8; 5]; 24];
        missing[21][3] = 1; // fever, row 3
        let err = score_columns(&columns(&values, Some(&missing)), 5, false, Mode::Raise)
            .expect_err("must fail");
        match err {
            Error::InBatch { index: 3, source } => match *source {
                Error::IncompleteAssessment { missing, range } => {
                    assert_eq!(missing.iter().collect::<Vec<_>>(), [Descriptor::Fever]);
                    assert_eq!((range.min().get(), range.max().get()), (0, 1));
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
    fn bad_values_are_named_unless_masked() -> Result<(), Error> {
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
    fn integer_and_float_columns() -> Result<(), Error> {
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
    fn absent_column_is_not_assessed_and_lengths_are_checked() -> Result<(), Error> {
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
            Err(Error::LengthMismatch {
                input: 3,
                output: 4
            })
        ));
        Ok(())
    }

    #[test]
    fn empty_frame() -> Result<(), Error> {
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
