//! Columns in: visit records built from typed columns, once.
//!
//! A data frame holds its columns as typed buffers (a numpy array, an Arrow
//! array): booleans as bytes, integers, floats, dates as days or as
//! timestamps in a unit, text as offsets into one byte buffer. A shell
//! borrows those buffers as [`Values`] (with an optional "not recorded"
//! byte mask, 1 = not recorded, or an Arrow validity [`Bitmap`], bit set =
//! recorded) and hands them, one per header column, to [`visits`], which
//! builds every visit record with the core's cell rules and without a
//! per-row map. An Arrow boolean column (polars `Boolean`, pyarrow `bool`)
//! is read as it is laid out, eight rows to a byte ([`Values::Bits`]):
//!
//! | column | cells accepted | not recorded |
//! |---|---|---|
//! | a descriptor, a boolean field | booleans (bytes or bits); integers and floats 0/1; text by [`super::cell::boolean`] | the mask, NaN, an empty/`NA`/`null` text cell |
//! | `pga`, `prednisone_mg_per_day` | integers, finite floats, text by [`super::cell::number`] | the mask, NaN, an empty text cell |
//! | `new_bilag_a`, `new_bilag_b` | whole numbers 0 to 255 (a float column's whole numbers too) | the mask, NaN, an empty text cell |
//! | `date`, `reference_date` | days since 1970-01-01, timestamps without time of day, ISO 8601 text | the mask, an empty text cell |
//! | `id`, `patient` | text (trimmed), integers (their decimal digits) | the mask, an empty text cell |
//! | `bilag_<system>` | text `A` to `E` | the mask, an empty text cell |
//!
//! A 0/1 cell is a value (`false`/`true`), never "not recorded"; a missing
//! cell is never a value (`docs/reference.md` sections 1.1 and 8). A cell
//! outside these rules is an error naming the row (its position; a shell
//! maps it to the frame's row label), the column and the cell as written.
//!
//! # Example
//!
//! ```
//! use sledai::table::{self, column::{self, Column as TypedColumn, Values}, HeaderOptions};
//! use sledai::Descriptor;
//!
//! let mut names: Vec<&str> = Descriptor::ALL.iter().map(|d| d.id()).collect();
//! names.extend(["patient", "date", "pga"]);
//! let header = table::resolve(&names, &HeaderOptions::default())?;
//!
//! let zeros = [0u8; 2];
//! let rash = [1u8, 0];
//! let patient = ["P1", "P1"].map(Some);
//! let days = [19_723i32, 19_813]; // 2024-01-01, 2024-03-31
//! let pga = [0.4, f64::NAN];
//! let mut columns: Vec<TypedColumn<'_>> =
//!     Descriptor::ALL.iter().map(|_| TypedColumn::new(Values::Bool(&zeros))).collect();
//! columns[Descriptor::Rash.position() as usize - 1] = TypedColumn::new(Values::Bool(&rash));
//! columns.push(TypedColumn::new(Values::Text(&patient)));
//! columns.push(TypedColumn::new(Values::Days(&days)));
//! columns.push(TypedColumn::new(Values::F64(&pga)));
//!
//! let visits = column::visits(&header, &columns, 2)?;
//! assert_eq!(visits[0].assessment.score()?.get(), 2);
//! assert_eq!(visits[1].date.map(|d| d.to_string()).as_deref(), Some("2024-03-31"));
//! assert_eq!(visits[0].pga.map(|p| p.value()), Some(0.4));
//! assert!(visits[1].pga.is_none()); // NaN: not recorded
//! # Ok::<(), sledai::Error>(())
//! ```

use std::borrow::Cow;
use std::ops::Range;

use crate::assessment::Assessment;
use crate::bilag::{BilagGrade, BilagGrades, BilagSystem};
use crate::date::Date;
use crate::descriptor::Descriptor;
use crate::error::{Error, shortened};
use crate::glucocorticoid::PrednisoneEquivalent;
use crate::pga::Pga;
use crate::visit::{GlucocorticoidInput, VisitInput};

use super::cell;
use super::header::{Column as HeaderColumn, Header};
use super::schema::{ColumnKind, Field, Slot};

/// The unit of a timestamp column: how many of it make a day.
///
/// ```
/// use sledai::table::column::TimeUnit;
/// assert_eq!(TimeUnit::Second.per_day(), 86_400);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeUnit {
    /// Days.
    Day,
    /// Seconds.
    Second,
    /// Milliseconds.
    Millisecond,
    /// Microseconds.
    Microsecond,
    /// Nanoseconds.
    Nanosecond,
}

impl TimeUnit {
    /// Units per day.
    ///
    /// ```
    /// use sledai::table::column::TimeUnit;
    /// assert_eq!(TimeUnit::Nanosecond.per_day(), 86_400_000_000_000);
    /// ```
    pub const fn per_day(self) -> i64 {
        match self {
            TimeUnit::Day => 1,
            TimeUnit::Second => 86_400,
            TimeUnit::Millisecond => 86_400_000,
            TimeUnit::Microsecond => 86_400_000_000,
            TimeUnit::Nanosecond => 86_400_000_000_000,
        }
    }
}

/// A bit-packed boolean buffer as Arrow lays it out: row `i` is bit
/// `offset + i` of `bytes`, least significant bit first (bit `k` of the
/// buffer is `bytes[k / 8] >> (k % 8) & 1`), for `len` rows. Arrow (and so
/// polars and pyarrow) keeps a boolean column's values this way, and the
/// validity of any column.
///
/// What a set bit means depends on where the bitmap is given, and the two
/// places take it under different names so that they cannot be confused:
///
/// - as values, [`Values::Bits`]: bit set = `true`;
/// - as a validity bitmap, [`Column::with_validity`]: bit set = the cell
///   is recorded, bit clear = not recorded. This is the opposite of the
///   byte mask of [`Column::with_missing`], where 1 = not recorded.
///
/// The constructor takes the buffer as it is; the readers
/// ([`visits`], [`descriptor_masks`], [`super::totals::evaluate`]) check
/// that `bytes` holds `offset + len` bits and return an error naming the
/// shortfall otherwise.
///
/// ```
/// use sledai::table::column::Bitmap;
/// // Rows 0..5 from bit 3: bits 3..8 of 0b1010_1000 are 1, 0, 1, 0, 1.
/// let b = Bitmap::new(&[0b1010_1000], 3, 5);
/// let rows: Vec<_> = (0..5).map(|i| b.get(i)).collect();
/// assert_eq!(rows, [Some(true), Some(false), Some(true), Some(false), Some(true)]);
/// assert_eq!(b.get(5), None); // past the rows
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bitmap<'a> {
    bytes: &'a [u8],
    offset: usize,
    len: usize,
}

impl<'a> Bitmap<'a> {
    /// Rows `rows` of the bitmap (a block of a table; the same buffer).
    pub(crate) fn slice(&self, rows: std::ops::Range<usize>) -> Bitmap<'a> {
        Bitmap {
            bytes: self.bytes,
            offset: self.offset.saturating_add(rows.start),
            len: rows.len(),
        }
    }

    /// The `len` bits from bit `offset` of `bytes` (Arrow: the buffer, the
    /// array's offset and its length).
    ///
    /// ```
    /// use sledai::table::column::Bitmap;
    /// assert_eq!(Bitmap::new(&[0xFF, 0x01], 2, 7).len(), 7);
    /// ```
    pub const fn new(bytes: &'a [u8], offset: usize, len: usize) -> Bitmap<'a> {
        Bitmap { bytes, offset, len }
    }

    /// The buffer.
    ///
    /// ```
    /// use sledai::table::column::Bitmap;
    /// assert_eq!(Bitmap::new(&[7], 0, 3).bytes(), [7]);
    /// ```
    pub const fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The bit of `bytes` that holds row 0.
    ///
    /// ```
    /// use sledai::table::column::Bitmap;
    /// assert_eq!(Bitmap::new(&[7], 5, 3).offset(), 5);
    /// ```
    pub const fn offset(&self) -> usize {
        self.offset
    }

    /// The number of rows.
    ///
    /// ```
    /// use sledai::table::column::Bitmap;
    /// assert_eq!(Bitmap::new(&[], 0, 0).len(), 0);
    /// ```
    pub const fn len(&self) -> usize {
        self.len
    }

    /// Whether the bitmap holds no rows.
    ///
    /// ```
    /// use sledai::table::column::Bitmap;
    /// assert!(Bitmap::new(&[1], 0, 0).is_empty());
    /// ```
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The bit of row `i`; `None` past the rows or past the buffer.
    ///
    /// ```
    /// use sledai::table::column::Bitmap;
    /// let b = Bitmap::new(&[0b10], 0, 16); // 16 rows in 1 byte: too short
    /// assert_eq!((b.get(1), b.get(9)), (Some(true), None));
    /// ```
    pub fn get(&self, i: usize) -> Option<bool> {
        if i >= self.len {
            return None;
        }
        let k = self.offset.checked_add(i)?;
        self.bytes.get(k / 8).map(|b| b >> (k % 8) & 1 == 1)
    }

    /// The bit of row `i` of a checked bitmap (`false` past the buffer).
    fn bit(&self, i: usize) -> bool {
        // Checked: `offset + len` bits fit the buffer, so no overflow.
        let k = self.offset.wrapping_add(i);
        self.bytes.get(k / 8).is_some_and(|b| b >> (k % 8) & 1 == 1)
    }

    /// That `bytes` holds `offset + len` bits (`field`: the column, `what`:
    /// which bitmap of it).
    fn check(&self, field: &'static str, what: &str) -> Result<(), Error> {
        let bits = self.bytes.len().checked_mul(8);
        let needed = self.offset.checked_add(self.len);
        match (bits, needed) {
            (Some(bits), Some(needed)) if needed <= bits => Ok(()),
            _ => Err(Error::InvalidValue {
                field,
                value: format!(
                    "{} rows from bit {} of {} bytes",
                    self.len,
                    self.offset,
                    self.bytes.len()
                )
                .into(),
                reason: format!("the {what} bitmap's buffer is shorter than its offset and length")
                    .into(),
            }),
        }
    }

    /// [`Bitmap::aligned`] into a whole block: a plain copy (no call, `N`
    /// known) where the rows start on a byte and fill the block.
    pub(crate) fn aligned_block<const N: usize>(&self, first: usize, out: &mut [u8; N]) {
        let start = first.saturating_mul(8).saturating_add(self.offset);
        let fills = first.saturating_add(N).saturating_mul(8) <= self.len;
        if start % 8 == 0 && fills {
            let src = self.bytes.get(start / 8..).and_then(|s| s.get(..N));
            if let Some(Ok(src)) = src.map(<&[u8; N]>::try_from) {
                *out = *src;
                return;
            }
        }
        self.aligned(first, out);
    }

    /// The bits of rows `8 * first ..` into `out`, eight rows to a byte
    /// (row `8 * (first + k) + t` is bit `t` of `out[k]`) whatever the
    /// offset; bits past the rows (or the buffer) are 0.
    pub(crate) fn aligned(&self, first: usize, out: &mut [u8]) {
        let start = first.saturating_mul(8).saturating_add(self.offset);
        let (q, r) = (start / 8, start % 8);
        let src = self.bytes.get(q..).unwrap_or(&[]);
        if r == 0 {
            let n = out.len().min(src.len());
            out[..n].copy_from_slice(&src[..n]);
            out[n..].fill(0);
        } else {
            let body = out.len().min(src.len().saturating_sub(1));
            for (o, w) in out[..body].iter_mut().zip(src.windows(2)) {
                *o = (w[0] >> r) | (w[1] << (8 - r));
            }
            for (k, o) in out.iter_mut().enumerate().skip(body) {
                let lo = src.get(k).copied().unwrap_or(0);
                let hi = src.get(k + 1).copied().unwrap_or(0);
                *o = (lo >> r) | (hi << (8 - r));
            }
        }
        // The rows past `len`: 0.
        let end = first.saturating_add(out.len()).saturating_mul(8);
        if end > self.len {
            let rows_left = self.len.saturating_sub(first.saturating_mul(8));
            let (whole, part) = (rows_left / 8, rows_left % 8);
            let mut rest = out.iter_mut().skip(whole);
            if part != 0 {
                if let Some(b) = rest.next() {
                    *b &= (1u8 << part) - 1;
                }
            }
            rest.for_each(|b| *b = 0);
        }
    }
}

/// The values of one column, borrowed from its buffer.
///
/// ```
/// use sledai::table::column::Values;
/// assert_eq!(Values::F64(&[1.0, 0.0]).len(), Some(2));
/// assert_eq!(Values::Missing.len(), None);
/// ```
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum Values<'a> {
    /// Booleans as bytes (a `bool` array viewed as `u8`): 0 or 1.
    Bool(&'a [u8]),
    /// Booleans as bits (an Arrow boolean array's values buffer: polars
    /// `Boolean`, pyarrow `bool`), bit set = `true`; its length is the
    /// bitmap's.
    ///
    /// ```
    /// use sledai::table::column::{Bitmap, Values};
    /// assert_eq!(Values::Bits(Bitmap::new(&[0b0110], 1, 3)).len(), Some(3));
    /// ```
    Bits(Bitmap<'a>),
    /// Unsigned bytes.
    U8(&'a [u8]),
    /// Signed bytes.
    I8(&'a [i8]),
    /// 16-bit integers.
    I16(&'a [i16]),
    /// 32-bit integers.
    I32(&'a [i32]),
    /// 64-bit integers.
    I64(&'a [i64]),
    /// Unsigned 16-bit integers.
    U16(&'a [u16]),
    /// Unsigned 32-bit integers.
    U32(&'a [u32]),
    /// Unsigned 64-bit integers.
    U64(&'a [u64]),
    /// 32-bit floats (read as the shortest decimal that reads back as
    /// them, so `0.3f32` is 0.3); NaN is not recorded.
    F32(&'a [f32]),
    /// 64-bit floats; NaN is not recorded.
    F64(&'a [f64]),
    /// Dates as days since 1970-01-01 (Arrow `date32`, polars `Date`).
    Days(&'a [i32]),
    /// Timestamps since 1970-01-01T00:00 in a unit (numpy `datetime64`,
    /// Arrow `timestamp` without a time zone); a time of day is an error.
    Timestamps(&'a [i64], TimeUnit),
    /// Text cells, `None` not recorded.
    Text(&'a [Option<&'a str>]),
    /// Text as Arrow lays it out: cell `i` is
    /// `bytes[offsets[i]..offsets[i + 1]]` (UTF-8), so `offsets` has one
    /// more entry than there are rows.
    Utf8 {
        /// Where each cell starts, and where the last one ends.
        offsets: &'a [i64],
        /// The cells' bytes, one after the other.
        bytes: &'a [u8],
    },
    /// The column is absent: every cell not recorded.
    Missing,
}

impl Values<'_> {
    /// The number of rows, `None` for [`Values::Missing`].
    ///
    /// ```
    /// use sledai::table::column::Values;
    /// assert_eq!(Values::Utf8 { offsets: &[0, 1, 3], bytes: b"aBC" }.len(), Some(2));
    /// ```
    pub fn len(&self) -> Option<usize> {
        Some(match self {
            Values::Bool(s) | Values::U8(s) => s.len(),
            Values::Bits(b) => b.len(),
            Values::I8(s) => s.len(),
            Values::I16(s) => s.len(),
            Values::I32(s) => s.len(),
            Values::I64(s) => s.len(),
            Values::U16(s) => s.len(),
            Values::U32(s) => s.len(),
            Values::U64(s) => s.len(),
            Values::F32(s) => s.len(),
            Values::F64(s) => s.len(),
            Values::Days(s) => s.len(),
            Values::Timestamps(s, _) => s.len(),
            Values::Text(s) => s.len(),
            Values::Utf8 { offsets, .. } => offsets.len().saturating_sub(1),
            Values::Missing => return None,
        })
    }

    /// Whether the column holds no rows (an absent column holds none).
    ///
    /// ```
    /// use sledai::table::column::Values;
    /// assert!(Values::Bool(&[]).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len().unwrap_or(0) == 0
    }

    /// What the column holds, in words a user knows (for messages).
    fn what(&self) -> &'static str {
        match self {
            Values::Bool(_) | Values::Bits(_) => "booleans",
            Values::F32(_) | Values::F64(_) => "numbers",
            Values::Days(_) | Values::Timestamps(..) => "dates",
            Values::Text(_) | Values::Utf8 { .. } => "text",
            Values::Missing => "nothing",
            _ => "whole numbers",
        }
    }
}

/// One column: its values, and what says which cells are not recorded:
/// an optional byte mask (1 = not recorded; [`Column::with_missing`])
/// and an optional Arrow validity bitmap (bit set = recorded;
/// [`Column::with_validity`]). A cell is not recorded when either says
/// so; the value under it is not read.
///
/// ```
/// use sledai::table::column::{Bitmap, Column, Values};
/// let c = Column::new(Values::I64(&[1, 0])).with_missing(&[0, 1]);
/// assert_eq!(c.values().len(), Some(2));
/// assert_eq!(c.missing(), Some(&[0u8, 1][..]));
/// // The same cells from Arrow: row 1's validity bit is clear.
/// let c = Column::new(Values::I64(&[1, 0])).with_validity(Bitmap::new(&[0b01], 0, 2));
/// assert_eq!(c.validity().and_then(|v| v.get(1)), Some(false));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Column<'a> {
    values: Values<'a>,
    missing: Option<&'a [u8]>,
    validity: Option<Bitmap<'a>>,
}

impl<'a> Column<'a> {
    /// A column without a mask.
    ///
    /// ```
    /// use sledai::table::column::{Column, Values};
    /// assert!(Column::new(Values::Missing).missing().is_none());
    /// ```
    pub const fn new(values: Values<'a>) -> Column<'a> {
        Column {
            values,
            missing: None,
            validity: None,
        }
    }

    /// The same column with a "not recorded" byte mask (1 = not recorded;
    /// for an Arrow validity bitmap, where a set bit means recorded, use
    /// [`Column::with_validity`]).
    ///
    /// ```
    /// use sledai::table::column::{Column, Values};
    /// assert!(Column::new(Values::Bool(&[1])).with_missing(&[1]).missing().is_some());
    /// ```
    pub const fn with_missing(mut self, missing: &'a [u8]) -> Column<'a> {
        self.missing = Some(missing);
        self
    }

    /// The same column with an Arrow validity bitmap: bit set = the cell
    /// is recorded, bit clear = not recorded (the opposite of the byte
    /// mask of [`Column::with_missing`]). Its length must be the column's.
    ///
    /// ```
    /// use sledai::table::column::{Bitmap, Column, Values};
    /// use sledai::table::totals::{self, IncompleteRows};
    /// use sledai::change::Measure;
    /// let ones = [0xFF];
    /// let c = Column::new(Values::Bits(Bitmap::new(&ones, 0, 3)))
    ///     .with_validity(Bitmap::new(&[0b101], 0, 3)); // row 1 not assessed
    /// let t = totals::evaluate(&[Some(c); 24], 3, Measure::Sledai2k, IncompleteRows::Missing)?;
    /// assert_eq!(t.incomplete(), Some(&[false, true, false][..]));
    /// assert_eq!(t.low(), [105, 0, 105]);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn with_validity(mut self, validity: Bitmap<'a>) -> Column<'a> {
        self.validity = Some(validity);
        self
    }

    /// The values.
    ///
    /// ```
    /// use sledai::table::column::{Column, Values};
    /// assert!(matches!(Column::new(Values::Missing).values(), Values::Missing));
    /// ```
    pub const fn values(&self) -> Values<'a> {
        self.values
    }

    /// The "not recorded" byte mask.
    ///
    /// ```
    /// use sledai::table::column::{Column, Values};
    /// assert!(Column::new(Values::Missing).missing().is_none());
    /// ```
    pub const fn missing(&self) -> Option<&'a [u8]> {
        self.missing
    }

    /// The validity bitmap (bit set = recorded).
    ///
    /// ```
    /// use sledai::table::column::{Column, Values};
    /// assert!(Column::new(Values::Missing).validity().is_none());
    /// ```
    pub const fn validity(&self) -> Option<Bitmap<'a>> {
        self.validity
    }

    /// The same column without its byte mask (the validity is kept).
    pub(crate) const fn without_missing(mut self) -> Column<'a> {
        self.missing = None;
        self
    }

    fn masked(&self, i: usize) -> bool {
        self.missing.is_some_and(|m| m[i] != 0) || self.validity.is_some_and(|v| !v.bit(i))
    }

    /// The length check of [`visits`], [`descriptor_masks`] and
    /// [`super::totals::evaluate`]: the values, the mask and the validity
    /// hold `n` rows, a bitmap's buffer holds its bits, text offsets rise
    /// inside their bytes. `name`: the column, for the bitmap errors.
    pub(crate) fn check(&self, n: usize, name: &'static str) -> Result<(), Error> {
        for len in [
            self.values.len(),
            self.missing.map(<[u8]>::len),
            self.validity.map(|v| v.len()),
        ]
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
        if let Values::Bits(b) = self.values {
            b.check(name, "values")?;
        }
        if let Some(v) = self.validity {
            v.check(name, "validity")?;
        }
        if let Values::Utf8 { offsets, bytes } = self.values {
            let ordered = offsets.windows(2).all(|w| w[0] <= w[1]);
            let inside = offsets.first().is_none_or(|&o| o >= 0)
                && offsets
                    .last()
                    .is_none_or(|&o| usize::try_from(o).is_ok_and(|o| o <= bytes.len()));
            if !(ordered && inside) {
                return Err(Error::InvalidValue {
                    field: "offsets",
                    value: format!("{} offsets into {} bytes", offsets.len(), bytes.len()).into(),
                    reason: "text offsets must rise and stay inside the bytes"
                        .to_owned()
                        .into(),
                });
            }
        }
        Ok(())
    }
}

/// One cell as the rules see it.
enum Cell<'a> {
    NotRecorded,
    Int(i128),
    Float(f64),
    Bool(bool),
    Text(Cow<'a, str>),
    /// Days since 1970-01-01, and the time of day (units since midnight,
    /// units per day) when it is not midnight.
    Days(i64, Option<(i64, i64)>),
}

impl<'a> Column<'a> {
    /// Rows `rows` of the column (a block of a table; the same buffers).
    pub(crate) fn slice(&self, rows: std::ops::Range<usize>) -> Column<'a> {
        let values = match self.values {
            Values::Bool(s) => Values::Bool(&s[rows.clone()]),
            Values::U8(s) => Values::U8(&s[rows.clone()]),
            Values::I8(s) => Values::I8(&s[rows.clone()]),
            Values::I16(s) => Values::I16(&s[rows.clone()]),
            Values::I32(s) => Values::I32(&s[rows.clone()]),
            Values::I64(s) => Values::I64(&s[rows.clone()]),
            Values::U16(s) => Values::U16(&s[rows.clone()]),
            Values::U32(s) => Values::U32(&s[rows.clone()]),
            Values::U64(s) => Values::U64(&s[rows.clone()]),
            Values::F32(s) => Values::F32(&s[rows.clone()]),
            Values::F64(s) => Values::F64(&s[rows.clone()]),
            Values::Days(s) => Values::Days(&s[rows.clone()]),
            Values::Timestamps(s, unit) => Values::Timestamps(&s[rows.clone()], unit),
            Values::Text(s) => Values::Text(&s[rows.clone()]),
            Values::Utf8 { offsets, bytes } => Values::Utf8 {
                offsets: &offsets[rows.start..=rows.end],
                bytes,
            },
            Values::Bits(b) => Values::Bits(b.slice(rows.clone())),
            Values::Missing => Values::Missing,
        };
        Column {
            values,
            missing: self.missing.map(|m| &m[rows.clone()]),
            validity: self.validity.map(|v| v.slice(rows)),
        }
    }

    /// Cell `i` (the mask and NaN are "not recorded").
    fn cell(&self, i: usize) -> Result<Cell<'a>, String> {
        if self.masked(i) {
            return Ok(Cell::NotRecorded);
        }
        Ok(match self.values {
            Values::Bool(s) => match s[i] {
                0 => Cell::Bool(false),
                1 => Cell::Bool(true),
                b => return Err(format!("a boolean byte {b}")),
            },
            Values::Bits(b) => Cell::Bool(b.bit(i)),
            Values::U8(s) => Cell::Int(s[i].into()),
            Values::I8(s) => Cell::Int(s[i].into()),
            Values::I16(s) => Cell::Int(s[i].into()),
            Values::I32(s) => Cell::Int(s[i].into()),
            Values::I64(s) => Cell::Int(s[i].into()),
            Values::U16(s) => Cell::Int(s[i].into()),
            Values::U32(s) => Cell::Int(s[i].into()),
            Values::U64(s) => Cell::Int(s[i].into()),
            Values::F32(s) if s[i].is_nan() => Cell::NotRecorded,
            // The shortest decimal of the f32, read as f64: 0.3f32 is 0.3.
            Values::F32(s) => Cell::Float(s[i].to_string().parse().unwrap_or(f64::NAN)),
            Values::F64(s) if s[i].is_nan() => Cell::NotRecorded,
            Values::F64(s) => Cell::Float(s[i]),
            Values::Days(s) => Cell::Days(s[i].into(), None),
            Values::Timestamps(s, unit) => {
                let per = unit.per_day();
                let (d, rest) = (s[i].div_euclid(per), s[i].rem_euclid(per));
                Cell::Days(d, (rest != 0).then_some((rest, per)))
            }
            Values::Text(s) => match s[i] {
                Some(t) => Cell::Text(Cow::Borrowed(t)),
                None => Cell::NotRecorded,
            },
            Values::Utf8 { offsets, bytes } => {
                Cell::Text(String::from_utf8_lossy(utf8_cell(offsets, bytes, i)))
            }
            Values::Missing => Cell::NotRecorded,
        })
    }
}

/// A rejected cell: the row, the column, the cell as written, and why.
fn bad(row: usize, field: &'static str, value: impl Into<String>, reason: String) -> Error {
    Error::InBatch {
        index: row,
        source: Box::new(Error::InvalidValue {
            field,
            value: shortened(&value.into()).into_owned().into(),
            reason: reason.into(),
        }),
    }
}

fn shown_float(x: f64) -> String {
    x.to_string()
}

/// A boolean cell: integers and floats 0/1, booleans, text by the grammar.
// Exactly 0.0 and 1.0 are the valid float cells: strict comparison is the rule.
#[allow(clippy::float_cmp)]
fn boolean(c: &Cell<'_>) -> Result<Option<bool>, (String, String)> {
    let expected = || cell::BOOLEAN_EXPECTED.to_owned();
    match c {
        Cell::NotRecorded => Ok(None),
        Cell::Bool(b) => Ok(Some(*b)),
        Cell::Int(0) => Ok(Some(false)),
        Cell::Int(1) => Ok(Some(true)),
        Cell::Int(v) => Err((v.to_string(), expected())),
        Cell::Float(v) if *v == 0.0 => Ok(Some(false)),
        Cell::Float(v) if *v == 1.0 => Ok(Some(true)),
        Cell::Float(v) => Err((shown_float(*v), expected())),
        Cell::Text(t) => cell::boolean(t.as_bytes()).ok_or_else(|| (t.to_string(), expected())),
        Cell::Days(..) => Err(("a date".to_owned(), expected())),
    }
}

/// Per row, the present and not-assessed masks of the 24 descriptor
/// columns (form order; `None` for an absent column: not assessed), with
/// the descriptor cell rules of the module table, in the layout of
/// [`Assessment::from_masks`].
///
/// # Errors
///
/// [`Error::LengthMismatch`] for a column whose length is not `n`;
/// [`Error::InBatch`] (the row) wrapping [`Error::InvalidValue`] (the
/// descriptor and the cell as written) for a cell outside the rules.
///
/// ```
/// use sledai::table::column::{descriptor_masks, Column, Values};
/// use sledai::Descriptor;
/// let zero = [0i64, 0];
/// let mut cols: [Option<Column<'_>>; 24] = [Some(Column::new(Values::I64(&zero))); 24];
/// let fever = [f64::NAN, 1.0];
/// cols[21] = Some(Column::new(Values::F64(&fever)));
/// let (present, missing) = descriptor_masks(&cols, 2)?;
/// assert_eq!(missing, [Descriptor::Fever.bit(), 0]);
/// assert_eq!(present, [0, Descriptor::Fever.bit()]);
///
/// let two = [0i64, 2];
/// cols[8] = Some(Column::new(Values::I64(&two)));
/// let err = descriptor_masks(&cols, 2).unwrap_err();
/// assert!(err.to_string().starts_with("item 1: arthritis: invalid value `2`"), "{err}");
/// # Ok::<(), sledai::Error>(())
/// ```
pub fn descriptor_masks(
    columns: &[Option<Column<'_>>; 24],
    n: usize,
) -> Result<(Vec<u32>, Vec<u32>), Error> {
    let (mut present, mut missing) = (Vec::new(), Vec::new());
    descriptor_masks_into(columns, n, &mut present, &mut missing)?;
    Ok((present, missing))
}

/// [`descriptor_masks`] into the caller's buffers (cleared first).
fn descriptor_masks_into(
    columns: &[Option<Column<'_>>; 24],
    n: usize,
    present: &mut Vec<u32>,
    missing: &mut Vec<u32>,
) -> Result<(), Error> {
    present.clear();
    present.resize(n, 0);
    missing.clear();
    missing.resize(n, 0);
    for (col, d) in columns.iter().zip(Descriptor::ALL) {
        let bit = d.bit();
        let Some(col) = col else {
            missing.iter_mut().for_each(|m| *m |= bit);
            continue;
        };
        col.check(n, d.id())?;
        or_descriptor(col, d, present, missing)?;
    }
    Ok(())
}

/// The bits of one descriptor column, with a fast path per buffer type.
// Exactly 0.0 and 1.0 are the valid float cells: strict comparison is the rule.
#[allow(clippy::float_cmp)]
fn or_descriptor(
    col: &Column<'_>,
    d: Descriptor,
    present: &mut [u32],
    missing: &mut [u32],
) -> Result<(), Error> {
    let bit = d.bit();
    // One cell rule for a number of any type: the core's
    // (`columns::CellNumber`, `columns::check_cell`), never restated here.
    macro_rules! numbers {
        ($s:expr) => {{
            for (i, &v) in $s.iter().enumerate() {
                if col.masked(i) {
                    missing[i] |= bit;
                    continue;
                }
                match crate::columns::check_cell(i, d, v)? {
                    crate::Finding::Present => present[i] |= bit,
                    crate::Finding::Absent => {}
                    crate::Finding::NotAssessed => missing[i] |= bit,
                }
            }
            return Ok(());
        }};
    }
    match col.values {
        Values::Bits(b) if col.missing.is_none() => {
            or_bits(b, col.validity, bit, present, missing);
            Ok(())
        }
        Values::Bool(s) | Values::U8(s) => {
            // Every byte 0 or 1 exactly when their OR is (a fold with no
            // early exit, which the compiler vectorises).
            let bits = s.iter().fold(0u8, |acc, &v| acc | v);
            if col.missing.is_none() && col.validity.is_none() && bits <= 1 {
                for (p, &v) in present.iter_mut().zip(s) {
                    *p |= bit & 0u32.wrapping_sub(u32::from(v));
                }
                return Ok(());
            }
            if let (Some(mask), None) = (col.missing, col.validity) {
                // A nullable column (pandas "boolean": values and a mask):
                // the values under the mask are not read.
                let recorded = |v: u8, m: u8| if m == 0 { v } else { 0 };
                let bits = s
                    .iter()
                    .zip(mask)
                    .fold(0u8, |acc, (&v, &m)| acc | recorded(v, m));
                if bits <= 1 {
                    let rows = present.iter_mut().zip(missing.iter_mut());
                    for ((p, q), (&v, &m)) in rows.zip(s.iter().zip(mask)) {
                        *p |= bit & 0u32.wrapping_sub(u32::from(recorded(v, m)));
                        *q |= bit & 0u32.wrapping_sub(u32::from(m != 0));
                    }
                    return Ok(());
                }
            }
            numbers!(s)
        }
        Values::I8(s) => numbers!(s),
        Values::I16(s) => numbers!(s),
        Values::I32(s) => numbers!(s),
        Values::I64(s) => numbers!(s),
        Values::U16(s) => numbers!(s),
        Values::U32(s) => numbers!(s),
        Values::U64(s) => numbers!(s),
        Values::F32(s) => numbers!(s),
        Values::F64(s) => numbers!(s),
        Values::Missing => {
            missing.iter_mut().for_each(|m| *m |= bit);
            Ok(())
        }
        _ => {
            for i in 0..present.len() {
                let c = col
                    .cell(i)
                    .map_err(|v| bad(i, d.id(), v, crate::columns::CELL_REASON.to_owned()))?;
                match boolean(&c) {
                    Ok(Some(true)) => present[i] |= bit,
                    Ok(Some(false)) => {}
                    Ok(None) => missing[i] |= bit,
                    Err((v, _)) => {
                        return Err(bad(i, d.id(), v, cell::BOOLEAN_EXPECTED.to_owned()));
                    }
                }
            }
            Ok(())
        }
    }
}

/// Rows per chunk of [`or_bits`] (a multiple of 8).
const BITS_CHUNK: usize = 512;

/// The bits of a bitmap column (values and validity a byte, eight rows,
/// at a time, whatever their offsets): `bit` in `present` where the value
/// is set and recorded, in `missing` where not recorded.
fn or_bits(
    values: Bitmap<'_>,
    validity: Option<Bitmap<'_>>,
    bit: u32,
    present: &mut [u32],
    missing: &mut [u32],
) {
    let mut data = [0u8; BITS_CHUNK / 8];
    let mut valid = [0xFFu8; BITS_CHUNK / 8];
    let chunks = present
        .chunks_mut(BITS_CHUNK)
        .zip(missing.chunks_mut(BITS_CHUNK));
    for (c, (p, m)) in chunks.enumerate() {
        let bytes = p.len().div_ceil(8);
        let first = c * (BITS_CHUNK / 8);
        values.aligned(first, &mut data[..bytes]);
        if let Some(v) = validity {
            v.aligned(first, &mut valid[..bytes]);
        }
        let eights = p.chunks_mut(8).zip(m.chunks_mut(8));
        for ((p, m), (&d, &v)) in eights.zip(data.iter().zip(&valid)) {
            spread_or(p, d & v, bit);
            if validity.is_some() {
                spread_or(m, !v, bit);
            }
        }
    }
}

/// `bit` ORed into `rows[t]` where bit `t` of `byte` is set.
fn spread_or(rows: &mut [u32], byte: u8, bit: u32) {
    // Row t's bit as a lane mask: the eight rows compare at once.
    const LANES: [u32; 8] = [1, 2, 4, 8, 16, 32, 64, 128];
    let byte = u32::from(byte);
    if let Ok(rows) = <&mut [u32; 8]>::try_from(&mut *rows) {
        for (r, &lane) in rows.iter_mut().zip(&LANES) {
            *r |= bit & 0u32.wrapping_sub(u32::from(byte & lane != 0));
        }
        return;
    }
    for (r, &lane) in rows.iter_mut().zip(&LANES) {
        *r |= bit & 0u32.wrapping_sub(u32::from(byte & lane != 0));
    }
}

/// The visit records of a table of `n` rows: `columns[j]` holds the
/// column that `header.columns()[j]` resolved to (an ignored column's
/// values are not read; give [`Values::Missing`]). A descriptor the header
/// lacks (the serology columns under `serology_optional`) is not assessed.
///
/// JSON-only columns ([`ColumnKind::Nested`]: `glucocorticoids`,
/// `measurements`, `bilag`) are not read here; a shell that accepts them
/// sets them on the records afterwards.
///
/// # Errors
///
/// - [`Error::LengthMismatch`] for a column whose length is not `n`, or a
///   number of columns other than the header's.
/// - [`Error::InBatch`] (the row) wrapping [`Error::InvalidValue`] (the
///   column and the cell as written; [`Error::OutOfRange`] for a PGA or a
///   dose out of range) for a cell outside the rules of the module table;
///   with several, a descriptor cell's first, then the first row with a
///   bad field cell (in it the first such column), then the grade columns.
/// - [`Error::InBatch`] wrapping [`Error::InvalidValue`] (field `bilag`)
///   for a row with both `bilag_<system>` grades and `new_bilag_a`/`_b`
///   counts.
///
/// ```
/// use sledai::table::{self, column::{self, Column, Values}, HeaderOptions};
/// use sledai::Descriptor;
/// let mut names: Vec<&str> = Descriptor::ALL.iter().map(|d| d.id()).collect();
/// names.push("maintenance_tolerated");
/// let header = table::resolve(&names, &HeaderOptions::default())?;
/// let zero = [0u8];
/// let mut cols = vec![Column::new(Values::Bool(&zero)); 24];
/// let flag = [Some("Yes")];
/// cols.push(Column::new(Values::Text(&flag)));
/// assert_eq!(column::visits(&header, &cols, 1)?[0].maintenance_tolerated, Some(true));
///
/// let flag = [Some("maybe")];
/// cols[24] = Column::new(Values::Text(&flag));
/// let err = column::visits(&header, &cols, 1).unwrap_err();
/// assert!(err.to_string().starts_with("item 0: maintenance_tolerated: invalid value `maybe`"), "{err}");
/// # Ok::<(), sledai::Error>(())
/// ```
pub fn visits(header: &Header, columns: &[Column<'_>], n: usize) -> Result<Vec<VisitInput>, Error> {
    let mut reader = Reader::new(header, columns, n)?;
    let mut out = Vec::with_capacity(n);
    reader.read(0..n, &mut out)?;
    Ok(out)
}

/// A table's columns sorted once for reading its records: by
/// [`Reader::read`] a range of rows at a time (what
/// [`frame`](super::frame) does, so that a block's records stay in cache),
/// or all rows at once (what [`visits`] does).
///
/// A read of all rows reports the error [`visits`] documents. A read of
/// fewer rows reports one of the errors of those rows (its row named as
/// in the table), not necessarily the one a read of all rows reports: the
/// caller that needs that error reads all rows.
#[derive(Clone)]
pub(crate) struct Reader<'c> {
    n: usize,
    descriptors: [Option<Column<'c>>; 24],
    /// Whether every descriptor column holds `n` rows (a range of rows is
    /// read from slices of them).
    descriptors_whole: bool,
    /// Every field column in header order, with where its cells go (so a
    /// row's first bad cell is its first in header order).
    fields: Vec<FieldColumn<'c>>,
    grades: Vec<(BilagSystem, Column<'c>)>,
    /// Whether the table has an `id` column and a `patient` column.
    texts: (bool, bool),
    /// The rows of `present` and `missing` (the last [`Reader::mask`]).
    masked: Range<usize>,
    present: Vec<u32>,
    missing: Vec<u32>,
}

impl<'c> Reader<'c> {
    /// The columns of `header` (`columns[j]` for `header.columns()[j]`),
    /// each field and grade column checked to hold `n` rows.
    pub(crate) fn new(
        header: &Header,
        columns: &[Column<'c>],
        n: usize,
    ) -> Result<Reader<'c>, Error> {
        let layout = header.columns();
        if columns.len() != layout.len() {
            return Err(Error::LengthMismatch {
                input: columns.len(),
                output: layout.len(),
            });
        }
        let mut r = Reader {
            n,
            descriptors: [None; 24],
            descriptors_whole: true,
            fields: Vec::new(),
            grades: Vec::new(),
            texts: (false, false),
            masked: 0..0,
            present: Vec::new(),
            missing: Vec::new(),
        };
        for (c, col) in layout.iter().zip(columns) {
            match *c {
                HeaderColumn::Descriptor(d) => {
                    r.descriptors_whole &= col.check(n, d.id()).is_ok();
                    r.descriptors[usize::from(d.position()) - 1] = Some(*col);
                }
                HeaderColumn::Field(f) if f.kind() != ColumnKind::Nested => {
                    col.check(n, f.name())?;
                    r.texts.0 |= f == Field::ID;
                    r.texts.1 |= f == Field::PATIENT;
                    r.fields.push(FieldColumn::new(f, *col));
                }
                HeaderColumn::Bilag(s) => {
                    col.check(n, "bilag")?;
                    r.grades.push((s, *col));
                }
                _ => {}
            }
        }
        Ok(r)
    }

    /// Whether every column holds the table's rows (a field column that
    /// does not is an error of [`Reader::new`]; a descriptor column that
    /// does not, an error of the first [`Reader::mask`]).
    pub(crate) const fn whole(&self) -> bool {
        self.descriptors_whole
    }

    /// The records of rows `rows` (inside `0..n`) into `out`, which then
    /// holds exactly them; the records `out` held are written over, their
    /// text buffers reused (on an error, `out` holds some records).
    pub(crate) fn read(
        &mut self,
        rows: Range<usize>,
        out: &mut Vec<VisitInput>,
    ) -> Result<(), Error> {
        self.mask(rows.clone())?;
        self.fill(rows, out)
    }

    /// The descriptor cells of rows `rows` (inside `0..n`), for [`Reader::fill`]
    /// of those rows or of some of them.
    pub(crate) fn mask(&mut self, rows: Range<usize>) -> Result<(), Error> {
        let first = rows.start;
        self.masked = 0..0;
        if rows == (0..self.n) && !self.descriptors_whole {
            // The length error of `descriptor_masks`, in its order.
            descriptor_masks_into(
                &self.descriptors,
                self.n,
                &mut self.present,
                &mut self.missing,
            )?;
        } else if !self.descriptors_whole || rows.end > self.n || rows.start > rows.end {
            return Err(Error::LengthMismatch {
                input: rows.end,
                output: self.n,
            });
        } else {
            let sliced = self.descriptors.map(|c| c.map(|c| c.slice(rows.clone())));
            descriptor_masks_into(&sliced, rows.len(), &mut self.present, &mut self.missing)
                .map_err(|e| match e {
                    Error::InBatch { index, source } => Error::InBatch {
                        index: index + first,
                        source,
                    },
                    e => e,
                })?;
        }
        self.masked = rows;
        Ok(())
    }

    /// [`Reader::read`] of rows `rows` inside the rows of the last
    /// [`Reader::mask`].
    pub(crate) fn fill(
        &mut self,
        rows: Range<usize>,
        out: &mut Vec<VisitInput>,
    ) -> Result<(), Error> {
        let inside = self.masked.start <= rows.start && rows.end <= self.masked.end;
        if !inside || rows.start > rows.end {
            return Err(Error::LengthMismatch {
                input: rows.end,
                output: self.masked.end,
            });
        }
        let at = rows.start - self.masked.start;
        let masks = self.present[at..].iter().zip(&self.missing[at..]);
        out.truncate(rows.len());
        out.reserve(rows.len() - out.len());
        // Row by row: each record is written once, whole (a pass per field
        // would walk every record once per field).
        for (k, (i, (&p, &m))) in rows.clone().zip(masks).enumerate() {
            let a = Assessment::from_masks(p, m).map_err(|e| in_row(i, e))?;
            // Written in its slot (a record is not moved once made).
            if let Some(v) = out.get_mut(k) {
                // A record of an earlier read: its text buffers are kept
                // for the text columns of this table, which set them.
                let id = v.id.take().filter(|_| self.texts.0);
                let patient = v.patient.take().filter(|_| self.texts.1);
                *v = VisitInput::new(a);
                v.id = id;
                v.patient = patient;
            } else {
                out.push(VisitInput::new(a));
            }
            let Some(v) = out.get_mut(k) else { break };
            for fc in &self.fields {
                set_field(fc, i, v)?;
            }
        }
        let read = &mut out[..];
        let graded = !self.grades.is_empty();
        for (s, col) in &self.grades {
            for (i, v) in rows.clone().zip(read.iter_mut()) {
                let g = match col.cell(i) {
                    Ok(Cell::NotRecorded) => continue,
                    Ok(Cell::Text(t)) => {
                        let t = t.trim();
                        if t.is_empty() {
                            continue;
                        }
                        BilagGrade::parse_for(*s, t).map_err(|e| in_row(i, e))?
                    }
                    Ok(_) | Err(_) => {
                        return Err(bad(
                            i,
                            "bilag",
                            format!(
                                "{} in `{}`",
                                col.values.what(),
                                super::schema::bilag_column(*s)
                            ),
                            "expected a grade A to E as text".to_owned(),
                        ));
                    }
                };
                v.bilag = Some(
                    v.bilag
                        .unwrap_or_else(BilagGrades::default)
                        .with(*s, Some(g)),
                );
            }
        }
        // Only the grade columns set `bilag` here.
        for (i, v) in rows.zip(read.iter()).filter(|_| graded) {
            if v.bilag.is_some() && (v.new_bilag_a.is_some() || v.new_bilag_b.is_some()) {
                return Err(bad(
                    i,
                    "bilag",
                    "grades and counts",
                    "give either `bilag_<system>` grades or `new_bilag_a`/`new_bilag_b` counts, not both"
                        .to_owned(),
                ));
            }
        }
        Ok(())
    }
}

fn in_row(i: usize, e: Error) -> Error {
    Error::InBatch {
        index: i,
        source: Box::new(e),
    }
}

/// A field's column, with where its cells go in the record (chosen once
/// per column, not matched by name for every row).
#[derive(Clone, Copy)]
struct FieldColumn<'c> {
    field: Field,
    kind: ColumnKind,
    target: Target,
    col: Column<'c>,
}

/// Where a field's cells go in a visit record.
#[derive(Clone, Copy)]
enum Target {
    Bool(Slot<bool>),
    Text(Slot<String>),
    Date(Slot<Date>),
    Count(Slot<u8>),
    Pga,
    Dose,
    /// A field the table layer does not set.
    Nowhere,
}

impl<'c> FieldColumn<'c> {
    fn new(field: Field, col: Column<'c>) -> FieldColumn<'c> {
        let kind = field.kind();
        let target = match kind {
            ColumnKind::Boolean => field.boolean_slot().map(Target::Bool),
            ColumnKind::Text => field.text_slot().map(Target::Text),
            ColumnKind::Date => field.date_slot().map(Target::Date),
            ColumnKind::Count => field.count_slot().map(Target::Count),
            ColumnKind::Number if field == Field::PGA => Some(Target::Pga),
            ColumnKind::Number => Some(Target::Dose),
            _ => None,
        };
        FieldColumn {
            field,
            kind,
            target: target.unwrap_or(Target::Nowhere),
            col,
        }
    }
}

/// Sets the field of `fc` in the record of row `i` from its column: the
/// cells most tables hold (floats, day counts and timestamps at midnight,
/// text, without a mask) straight from their buffer, every other cell
/// (and every cell a rule rejects) by [`set_field_by_cell`]. Both apply
/// the one rule of the module table (NaN is not recorded, a number is the
/// field's PGA or dose, a day count is a date, text is trimmed); a test
/// checks that they agree cell for cell.
fn set_field(fc: &FieldColumn<'_>, i: usize, v: &mut VisitInput) -> Result<(), Error> {
    let col = fc.col;
    if let (Target::Bool(slot), Values::Bool(s) | Values::U8(s), None) =
        (fc.target, col.values, col.validity)
    {
        // A boolean byte column (under a mask: pandas "boolean").
        match (col.missing.map_or(0, |m| m[i]), s[i]) {
            (0, 0) => *slot(v) = Some(false),
            (0, 1) => *slot(v) = Some(true),
            (0, _) => return set_field_by_cell(fc, i, v),
            _ => *slot(v) = None,
        }
        return Ok(());
    }
    if let (Target::Bool(slot), Values::Bits(b), None) = (fc.target, col.values, col.missing) {
        // An Arrow boolean column (polars, pyarrow), its validity if any.
        *slot(v) = col.validity.is_none_or(|r| r.bit(i)).then(|| b.bit(i));
        return Ok(());
    }
    if let (Target::Text(slot), Values::Utf8 { offsets, bytes }) = (fc.target, col.values) {
        // Arrow text (polars, pyarrow, pandas' pyarrow strings); offsets
        // checked by `Column::check`.
        if col.masked(i) {
            *slot(v) = None;
            return Ok(());
        }
        if let Ok(t) = std::str::from_utf8(utf8_cell(offsets, bytes, i)) {
            set_text(slot(v), recorded_text(t));
            return Ok(());
        }
    }
    if col.missing.is_none() && col.validity.is_none() {
        match (fc.target, col.values) {
            (Target::Pga | Target::Dose, Values::F64(s)) if s[i].is_nan() => return Ok(()),
            (Target::Pga, Values::F64(s)) => {
                v.pga = Some(Pga::new(s[i]).map_err(|e| in_row(i, e))?);
                return Ok(());
            }
            (Target::Dose, Values::F64(s)) => {
                let dose = PrednisoneEquivalent::from_mg(s[i]).map_err(|e| in_row(i, e))?;
                v.glucocorticoids = Some(GlucocorticoidInput::PrednisoneEquivalent(dose));
                return Ok(());
            }
            (Target::Date(slot), Values::Days(s)) => {
                if let Some(d) = date_of_days(s[i].into()) {
                    *slot(v) = Some(d);
                    return Ok(());
                }
            }
            (Target::Date(slot), Values::Timestamps(s, unit)) => {
                let per = unit.per_day();
                if s[i].rem_euclid(per) == 0 {
                    if let Some(d) = date_of_days(s[i].div_euclid(per)) {
                        *slot(v) = Some(d);
                        return Ok(());
                    }
                }
            }
            (Target::Text(slot), Values::Text(s)) => {
                let t = s[i].and_then(recorded_text);
                set_text(slot(v), t);
                return Ok(());
            }
            _ => {}
        }
    }
    set_field_by_cell(fc, i, v)
}

/// A text field's value into its slot, into the record's own buffer when
/// it has one (a record read again by [`Reader::read`]): no allocation per
/// row.
fn set_text(slot: &mut Option<String>, t: Option<&str>) {
    match (slot, t) {
        (Some(buf), Some(t)) => {
            buf.clear();
            buf.push_str(t);
        }
        (slot, t) => *slot = t.map(str::to_owned),
    }
}

/// [`set_field`] by the general reading of the cell ([`Column::cell`]).
fn set_field_by_cell(fc: &FieldColumn<'_>, i: usize, v: &mut VisitInput) -> Result<(), Error> {
    let FieldColumn {
        field: f,
        kind,
        target,
        col,
    } = *fc;
    let name = f.name();
    let c = col
        .cell(i)
        .map_err(|v| bad(i, name, v, format!("expected {kind}")))?;
    let wrong = |c: &Cell<'_>| {
        let shown = match c {
            Cell::Int(x) => x.to_string(),
            Cell::Float(x) => shown_float(*x),
            Cell::Bool(b) => b.to_string(),
            Cell::Text(t) => t.to_string(),
            Cell::Days(..) => "a date".to_owned(),
            Cell::NotRecorded => String::new(),
        };
        bad(i, name, shown, format!("expected {kind}"))
    };
    match kind {
        ColumnKind::Boolean => {
            let b = boolean(&c).map_err(|(s, r)| bad(i, name, s, r))?;
            if let Target::Bool(slot) = target {
                *slot(v) = b;
            }
        }
        ColumnKind::Text => {
            let t = match text_value(c) {
                Ok(t) => t,
                Err(other) => return Err(wrong(&other)),
            };
            if let Target::Text(slot) = target {
                set_text(slot(v), t.as_deref());
            }
        }
        ColumnKind::Date => {
            let d = match &c {
                Cell::NotRecorded => None,
                Cell::Days(days, None) => Some(date_of_days(*days).ok_or_else(|| {
                    bad(
                        i,
                        name,
                        civil(*days),
                        "expected a date from 0001-01-01 to 9999-12-31".to_owned(),
                    )
                })?),
                Cell::Days(days, Some((rest, per))) => {
                    return Err(bad(
                        i,
                        name,
                        timestamp(*days, *rest, *per),
                        "has a time of day; expected calendar dates".to_owned(),
                    ));
                }
                Cell::Text(t) => cell::date(name, t).map_err(|e| in_row(i, e))?,
                other => return Err(wrong(other)),
            };
            if let Target::Date(slot) = target {
                *slot(v) = d;
            }
        }
        ColumnKind::Count => {
            let n = match &c {
                Cell::NotRecorded => None,
                Cell::Int(x) => Some(u8::try_from(*x).map_err(|_| wrong(&c))?),
                Cell::Float(x) if whole_u8(*x).is_some() => whole_u8(*x),
                Cell::Text(t) => cell::count(name, t).map_err(|e| in_row(i, e))?,
                other => return Err(wrong(other)),
            };
            if let Target::Count(slot) = target {
                *slot(v) = n;
            }
        }
        ColumnKind::Number => {
            let x = match &c {
                Cell::NotRecorded => None,
                Cell::Int(x) => Some(*x as f64),
                Cell::Float(x) => Some(*x),
                Cell::Text(t) => cell::number(name, t).map_err(|e| in_row(i, e))?,
                other => return Err(wrong(other)),
            };
            match (x, target) {
                (Some(x), Target::Pga) => v.pga = Some(Pga::new(x).map_err(|e| in_row(i, e))?),
                (Some(x), Target::Dose) => {
                    let dose = PrednisoneEquivalent::from_mg(x).map_err(|e| in_row(i, e))?;
                    v.glucocorticoids = Some(GlucocorticoidInput::PrednisoneEquivalent(dose));
                }
                _ => {}
            }
        }
        _ => {}
    }
    Ok(())
}

/// The value of a text field's cell: the text trimmed (`None` when that
/// is empty), or an integer's decimal digits; another cell is returned as
/// the error.
fn text_value(c: Cell<'_>) -> Result<Option<Cow<'_, str>>, Cell<'_>> {
    match c {
        Cell::NotRecorded => Ok(None),
        Cell::Text(Cow::Borrowed(t)) => Ok(recorded_text(t).map(Cow::Borrowed)),
        Cell::Text(Cow::Owned(t)) => Ok(recorded_text(&t).map(|t| Cow::Owned(t.to_owned()))),
        Cell::Int(x) => Ok(Some(Cow::Owned(x.to_string()))),
        other => Err(other),
    }
}

/// Cell `i` of an Arrow text column's bytes (offsets in range and rising:
/// checked by [`Column::check`]).
fn utf8_cell<'a>(offsets: &[i64], bytes: &'a [u8], i: usize) -> &'a [u8] {
    let at = |k: usize| usize::try_from(offsets[k]).unwrap_or(0);
    &bytes[at(i)..at(i + 1)]
}

/// A text cell as a text field reads it: trimmed, `None` when nothing is
/// left.
fn recorded_text(t: &str) -> Option<&str> {
    Some(trimmed(t)).filter(|t| !t.is_empty())
}

/// `t.trim()`, without its walk over the characters when `t` starts and
/// ends with a visible ASCII character (an identifier as written, almost
/// always): then there is nothing to trim.
fn trimmed(t: &str) -> &str {
    let visible = |b: Option<&u8>| b.is_some_and(u8::is_ascii_graphic);
    if visible(t.as_bytes().first()) && visible(t.as_bytes().last()) {
        t
    } else {
        t.trim()
    }
}

/// Row `i` of a text field's column (`id`, `patient`) as a record reads it;
/// `None` when not recorded or when the cell is not text (the record's
/// reading reports that).
pub(crate) fn text_field<'a>(col: &Column<'a>, i: usize) -> Option<Cow<'a, str>> {
    text_value(col.cell(i).ok()?).ok().flatten()
}

/// A float that is a whole number from 0 to 255, as that number.
// Guarded: the value is whole and in range, so the cast is exact.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
fn whole_u8(x: f64) -> Option<u8> {
    (x.fract() == 0.0 && (0.0..=255.0).contains(&x)).then_some(x as u8)
}

/// The date `days` after 1970-01-01, if it is a date of the calendar the
/// crate reads (years 1 to 9999).
fn date_of_days(days: i64) -> Option<Date> {
    Date::from_epoch_days(days)
}

/// The proleptic Gregorian date `days` after 1970-01-01 as `YYYY-MM-DD`,
/// also outside the years 1 to 9999 (for messages: the cell as a frame
/// shows it), by the crate's one calendar conversion.
fn civil(days: i64) -> String {
    let (y, m, d) = crate::date::civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// A timestamp as ISO 8601 text, `YYYY-MM-DDTHH:MM:SS` and the fraction of
/// a second when there is one: how a frame shows the cell.
fn timestamp(days: i64, rest: i64, per_day: i64) -> String {
    let date = civil(days);
    let per_second = (per_day / 86_400).max(1);
    let (secs, frac) = (rest / per_second, rest % per_second);
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    let mut out = format!("{date}T{h:02}:{m:02}:{s:02}");
    if frac != 0 {
        let width = per_second.ilog10() as usize;
        let digits = format!("{frac:0width$}");
        out.push('.');
        out.push_str(digits.trim_end_matches('0'));
    }
    out
}

/// Days since 1970-01-01 of a date (negative before it).
///
/// ```
/// use sledai::table::column::days_since_epoch;
/// assert_eq!(days_since_epoch("2024-01-01".parse()?), 19_723);
/// assert_eq!(days_since_epoch("0001-01-01".parse()?), -719_162);
/// # Ok::<(), sledai::Error>(())
/// ```
pub fn days_since_epoch(date: Date) -> i32 {
    date.epoch_days()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::{HeaderOptions, resolve};

    fn header(extra: &[&str]) -> Header {
        let mut names: Vec<&str> = Descriptor::ALL.iter().map(|d| d.id()).collect();
        names.extend_from_slice(extra);
        resolve(&names, &HeaderOptions::default()).unwrap()
    }

    #[test]
    fn aligned_bytes_hold_arrow_bits_eight_rows_to_a_byte() {
        // Every 2-byte buffer, offset and length, from byte 0 and 1 of the
        // rows: bit t of byte k is row 8k + t by Arrow's rule (bit
        // `offset + row` of the buffer, LSB first), 0 past the rows.
        for a in 0..=255u8 {
            for b in 0..=255u8 {
                let buf = [a, b, !a];
                for off in 0..8 {
                    for len in [0, 9, 24 - off] {
                        let bm = Bitmap::new(&buf, off, len);
                        for first in [0, 1] {
                            let mut out = [0xA5u8; 3];
                            bm.aligned(first, &mut out);
                            for (k, &byte) in out.iter().enumerate() {
                                for t in 0..8 {
                                    let row = 8 * (first + k) + t;
                                    let bit = off + row;
                                    let expect = row < len && (buf[bit / 8] >> (bit % 8)) & 1 == 1;
                                    assert_eq!(
                                        byte >> t & 1 == 1,
                                        expect,
                                        "{a} {b} {off} {len} {first} {row}"
                                    );
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn dates_of_days_match_the_calendar() {
        // Independent facts: 1970-01-01 is day 0, 2000-03-01 is day 11017
        // (30 years of 365 days plus 7 leap days, plus Jan and Feb 2000).
        assert_eq!(date_of_days(0).unwrap().to_string(), "1970-01-01");
        assert_eq!(
            date_of_days(30 * 365 + 7 + 31 + 29).unwrap().to_string(),
            "2000-03-01"
        );
        assert_eq!(date_of_days(-1).unwrap().to_string(), "1969-12-31");
        assert!(date_of_days(i64::from(i32::MAX)).is_none());
        // 10000-01-01 is 2932897 days after the epoch (the day after
        // 9999-12-31): shown as written, refused as a date.
        assert_eq!(civil(2_932_897), "10000-01-01");
        assert!(date_of_days(2_932_897).is_none());
        for d in [-719_162, -1, 0, 19_723, 2_932_896] {
            assert_eq!(civil(d), date_of_days(d).unwrap().to_string());
            assert_eq!(i64::from(days_since_epoch(date_of_days(d).unwrap())), d);
        }
    }

    #[test]
    // The float32 cell must read as exactly the decimal 0.3.
    #[allow(clippy::float_cmp)]
    fn every_column_kind_from_typed_buffers() {
        let h = header(&[
            "id",
            "patient",
            "date",
            "pga",
            "prednisone_mg_per_day",
            "new_bilag_a",
            "hemolytic_anemia",
            "reference_date",
        ]);
        let zero = [0u8; 3];
        let mut cols = vec![Column::new(Values::Bool(&zero)); 24];
        let ids = Values::Utf8 {
            offsets: &[0, 2, 2, 5],
            bytes: b"v1 v3",
        };
        cols.push(Column::new(ids));
        let patients = [1001i64, 1001, 7];
        cols.push(Column::new(Values::I64(&patients)).with_missing(&[0, 0, 1]));
        let secs = [19_723 * 86_400i64, 0, 0];
        cols.push(
            Column::new(Values::Timestamps(&secs, TimeUnit::Second)).with_missing(&[0, 1, 1]),
        );
        let pga = [0.3f32, f32::NAN, 3.0];
        cols.push(Column::new(Values::F32(&pga)));
        let dose = [Some("7.5"), Some(" "), None];
        cols.push(Column::new(Values::Text(&dose)));
        let counts = [1.0f64, f64::NAN, 255.0];
        cols.push(Column::new(Values::F64(&counts)));
        let flags = [1i8, 0, 0];
        cols.push(Column::new(Values::I8(&flags)).with_missing(&[0, 0, 1]));
        let refs = [Some("2023-12-01"), None, Some("")];
        cols.push(Column::new(Values::Text(&refs)));
        let v = visits(&h, &cols, 3).unwrap();
        assert_eq!(v[0].id.as_deref(), Some("v1"));
        assert_eq!(v[1].id, None); // an empty text cell
        assert_eq!(v[2].id.as_deref(), Some("v3"));
        assert_eq!(v[0].patient.as_deref(), Some("1001"));
        assert_eq!(v[2].patient, None);
        assert_eq!(v[0].date.unwrap().to_string(), "2024-01-01");
        assert_eq!(v[1].date, None);
        assert_eq!(v[0].pga.unwrap().value(), 0.3);
        assert!(v[1].pga.is_none());
        assert_eq!(v[2].pga.unwrap().value(), 3.0);
        assert!(v[0].glucocorticoids.is_some());
        assert!(v[1].glucocorticoids.is_none() && v[2].glucocorticoids.is_none());
        assert_eq!(
            [v[0].new_bilag_a, v[1].new_bilag_a, v[2].new_bilag_a],
            [Some(1), None, Some(255)]
        );
        assert_eq!(
            [
                v[0].hemolytic_anemia,
                v[1].hemolytic_anemia,
                v[2].hemolytic_anemia
            ],
            [Some(true), Some(false), None]
        );
        assert_eq!(v[0].reference_date.unwrap().to_string(), "2023-12-01");
        assert_eq!(v[2].reference_date, None);
    }

    #[test]
    fn a_bad_flag_byte_and_another_bad_cell_report_the_first_column() {
        // docs: "the first row with a bad field cell (in it the first such
        // column)", whether the flag column is read by the byte fast path
        // or not.
        let zero = [0u8; 2];
        let flag = [0u8, 2];
        let pga = [0.0, 5.0];
        for (names, flag_first) in [
            (["maintenance_tolerated", "pga"], true),
            (["pga", "maintenance_tolerated"], false),
        ] {
            let h = header(&names);
            let mut cols = vec![Column::new(Values::Bool(&zero)); 24];
            let (a, b) = (
                Column::new(Values::Bool(&flag)),
                Column::new(Values::F64(&pga)),
            );
            cols.extend(if flag_first { [a, b] } else { [b, a] });
            let e = visits(&h, &cols, 2).unwrap_err().to_string();
            let want = if flag_first {
                "item 1: maintenance_tolerated: invalid value `a boolean byte 2`"
            } else {
                "item 1: pga: value 5"
            };
            assert!(e.starts_with(want), "{e}");
            // A row whose only bad cell is the flag: the same message as
            // the byte path of every other boolean column.
            let ok = [0.0, 0.5];
            let b = Column::new(Values::F64(&ok));
            cols.truncate(24);
            cols.extend(if flag_first { [a, b] } else { [b, a] });
            let e = visits(&h, &cols, 2).unwrap_err().to_string();
            assert!(
                e.starts_with("item 1: maintenance_tolerated: invalid value `a boolean byte 2`"),
                "{e}"
            );
        }
    }

    #[test]
    fn bad_cells_name_row_column_and_cell() {
        let h = header(&["date", "new_bilag_b", "pga"]);
        let zero = [0u8; 2];
        let mut cols = vec![Column::new(Values::Bool(&zero)); 24];
        let noon = [0i64, 86_400_000 / 2];
        cols.push(Column::new(Values::Timestamps(
            &noon,
            TimeUnit::Millisecond,
        )));
        cols.push(Column::new(Values::Missing));
        cols.push(Column::new(Values::Missing));
        let e = visits(&h, &cols, 2).unwrap_err().to_string();
        assert!(
            e.starts_with("item 1: date: invalid value `1970-01-01T12:00:00`: has a time of day"),
            "{e}"
        );
        assert_eq!(
            timestamp(19_723, 1_500, 1_000 * 86_400),
            "2024-01-01T00:00:01.5"
        );
        let days = [0i64, 1];
        cols[24] = Column::new(Values::Timestamps(&days, TimeUnit::Day));
        let half = [0.5f64, 1.0];
        cols[25] = Column::new(Values::F64(&half));
        let e = visits(&h, &cols, 2).unwrap_err().to_string();
        assert!(
            e.starts_with("item 0: new_bilag_b: invalid value `0.5`: expected a whole number"),
            "{e}"
        );
        cols[25] = Column::new(Values::Missing);
        let pga = [Some("3.5"), None];
        cols[26] = Column::new(Values::Text(&pga));
        let e = visits(&h, &cols, 2).unwrap_err().to_string();
        assert!(e.starts_with("item 0: pga"), "{e}");
        let short = [0u8; 1];
        cols[26] = Column::new(Values::Bool(&short));
        assert!(matches!(
            visits(&h, &cols, 2),
            Err(Error::LengthMismatch {
                input: 1,
                output: 2
            })
        ));
    }

    #[test]
    fn the_buffer_fast_paths_agree_with_the_general_cell_rule() {
        // Each fast path of `set_field` against `set_field_by_cell` on the
        // same cell: the same record (over a record that held other
        // values, as a batch's records do) or the same error.
        let floats = [
            0.0,
            0.1,
            0.25,
            1.0,
            3.0,
            3.05,
            -0.0,
            -0.1,
            7.5,
            2000.0,
            2000.1,
            1e-7,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        let days = [
            0,
            -719_162,
            -719_163,
            2_932_896,
            2_932_897,
            19_723,
            i32::MIN,
            i32::MAX,
        ];
        let stamps: Vec<i64> = [
            0i64,
            86_400,
            86_399,
            -1,
            -86_400,
            19_723 * 86_400,
            i64::MAX,
            i64::MIN,
        ]
        .into_iter()
        .collect();
        let texts = [
            Some("P1"),
            Some("  P1 "),
            Some(""),
            Some("   "),
            None,
            Some("\u{a0}x\u{3000}"),
            Some("é"),
        ];
        let mut cases: Vec<(Field, Column<'_>, usize)> = Vec::new();
        for f in [
            Field::PGA,
            Field::from_name("prednisone_mg_per_day").expect("a field"),
        ] {
            cases.extend((0..floats.len()).map(|i| (f, Column::new(Values::F64(&floats)), i)));
        }
        for f in [
            Field::DATE,
            Field::from_name("reference_date").expect("a field"),
        ] {
            cases.extend((0..days.len()).map(|i| (f, Column::new(Values::Days(&days)), i)));
            for unit in [TimeUnit::Second, TimeUnit::Day, TimeUnit::Nanosecond] {
                cases.extend(
                    (0..stamps.len())
                        .map(|i| (f, Column::new(Values::Timestamps(&stamps, unit)), i)),
                );
            }
        }
        for f in [Field::PATIENT, Field::ID] {
            cases.extend((0..texts.len()).map(|i| (f, Column::new(Values::Text(&texts)), i)));
        }
        let utf8 = b" P1 \xffx  yz";
        let offsets = [0i64, 4, 6, 6, 8, 10];
        let valid = [0b1_1011u8];
        let bits = [0b0110_1101u8];
        for f in [Field::PATIENT, Field::ID] {
            for col in [
                Column::new(Values::Utf8 {
                    offsets: &offsets,
                    bytes: utf8,
                }),
                Column::new(Values::Utf8 {
                    offsets: &offsets,
                    bytes: utf8,
                })
                .with_validity(Bitmap::new(&valid, 0, 5)),
                Column::new(Values::Utf8 {
                    offsets: &offsets,
                    bytes: utf8,
                })
                .with_missing(&[0, 1, 0, 0, 1]),
            ] {
                cases.extend((0..5).map(|i| (f, col, i)));
            }
        }
        for f in
            ["maintenance_tolerated", "baseline"].map(|n| Field::from_name(n).expect("a field"))
        {
            for col in [
                Column::new(Values::Bits(Bitmap::new(&bits, 1, 7))),
                Column::new(Values::Bits(Bitmap::new(&bits, 0, 5)))
                    .with_validity(Bitmap::new(&valid, 0, 5)),
                Column::new(Values::Bits(Bitmap::new(&bits, 0, 5))).with_missing(&[1, 0, 0, 1, 0]),
            ] {
                let rows = col.values.len().unwrap_or(0);
                cases.extend((0..rows).map(|i| (f, col, i)));
            }
        }
        let bytes = [0u8, 1, 2, 255, 0, 1, 2];
        let mask = [0u8, 0, 0, 0, 1, 1, 9];
        for f in
            ["maintenance_tolerated", "baseline"].map(|n| Field::from_name(n).expect("a field"))
        {
            for col in [
                Column::new(Values::Bool(&bytes)),
                Column::new(Values::U8(&bytes)).with_missing(&mask),
                Column::new(Values::Bool(&bytes)).with_missing(&mask),
            ] {
                cases.extend((0..bytes.len()).map(|i| (f, col, i)));
            }
        }
        let before = || {
            let mut v = VisitInput::new(Assessment::from_present([]));
            v.patient = Some("earlier".to_owned());
            v.id = Some("x".to_owned());
            v.date = Date::from_epoch_days(3);
            v.pga = Some(Pga::new(2.0).expect("a PGA"));
            v.maintenance_tolerated = Some(true);
            v.baseline = Some(false);
            v
        };
        for (f, col, i) in cases {
            let fc = FieldColumn::new(f, col);
            let (mut a, mut b) = (before(), before());
            let fast = set_field(&fc, i, &mut a);
            let general = set_field_by_cell(&fc, i, &mut b);
            assert_eq!(fast, general, "{f} row {i}");
            if fast.is_ok() {
                assert_eq!(a, b, "{f} row {i}");
            }
        }
    }

    #[test]
    fn trimmed_is_str_trim() {
        // Every string of up to four characters from an alphabet of ASCII
        // and Unicode whitespace, controls and visible characters.
        let alphabet = [
            ' ', '\t', '\n', '\u{0}', '\u{7f}', '\u{a0}', '\u{3000}', 'a', '~', 'é', '9',
        ];
        let mut words = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = words
                .iter()
                .filter(|w| w.chars().count() == words.last().map_or(0, |l| l.chars().count()))
                .flat_map(|w| alphabet.iter().map(move |c| format!("{w}{c}")))
                .collect();
            words.extend(longer);
        }
        assert_eq!(words.len(), 1 + 11 + 121 + 1331 + 14641);
        for w in &words {
            assert_eq!(trimmed(w), w.trim(), "{w:?}");
        }
    }

    #[test]
    fn masked_byte_columns_follow_the_cell_rule_exhaustively() {
        // Every column of three rows, each a byte 0, 1, 2 or 255 under a
        // mask byte 0 (recorded), 1 or 7 (not recorded), against the cell
        // rule row by row: a masked cell is not assessed, else 0 absent, 1
        // present, anything else an error naming the first bad row.
        let values = [0u8, 1, 2, 255];
        let masks = [0u8, 1, 7];
        let cells: Vec<(u8, u8)> = values
            .iter()
            .flat_map(|&v| masks.iter().map(move |&m| (v, m)))
            .collect();
        let bit = Descriptor::Seizure.bit();
        for a in &cells {
            for b in &cells {
                for c in &cells {
                    let v = [a.0, b.0, c.0];
                    let m = [a.1, b.1, c.1];
                    let mut cols: [Option<Column<'_>>; 24] =
                        [Some(Column::new(Values::Bool(&[0u8; 3]))); 24];
                    cols[0] = Some(Column::new(Values::Bool(&v)).with_missing(&m));
                    let got = descriptor_masks(&cols, 3);
                    let bad = (0..3).find(|&i| m[i] == 0 && v[i] > 1);
                    match (got, bad) {
                        (Err(e), Some(i)) => {
                            assert!(
                                e.to_string().starts_with(&format!("item {i}: seizure")),
                                "{e}"
                            );
                        }
                        (Ok((p, q)), None) => {
                            for i in 0..3 {
                                assert_eq!(p[i] & bit != 0, m[i] == 0 && v[i] == 1, "{v:?} {m:?}");
                                assert_eq!(q[i] & bit != 0, m[i] != 0, "{v:?} {m:?}");
                            }
                        }
                        (got, bad) => panic!("{v:?} {m:?}: {got:?} vs {bad:?}"),
                    }
                }
            }
        }
    }

    #[test]
    fn descriptor_cells_agree_with_the_boolean_grammar() {
        // Every representation of present / absent / not assessed gives the
        // same masks as the text grammar of the CLI.
        let text = [Some("Yes"), Some("no"), Some("NA"), None];
        let ints = [1i32, 0, 0, 0];
        let mask = [0u8, 0, 1, 1];
        let floats = [1.0f64, 0.0, f64::NAN, f64::NAN];
        let bytes = [1u8, 0, 0, 0];
        let reps = [
            Column::new(Values::Text(&text)),
            Column::new(Values::I32(&ints)).with_missing(&mask),
            Column::new(Values::F64(&floats)),
            Column::new(Values::Bool(&bytes)).with_missing(&mask),
        ];
        for rep in reps {
            let mut cols: [Option<Column<'_>>; 24] = [None; 24];
            cols[0] = Some(rep);
            let (p, m) = descriptor_masks(&cols, 4).unwrap();
            let seizure = Descriptor::Seizure.bit();
            assert_eq!(p, [seizure, 0, 0, 0]);
            assert_eq!(
                m.iter().map(|m| m & seizure).collect::<Vec<_>>(),
                [0, 0, seizure, seizure]
            );
            // The absent columns: not assessed everywhere.
            assert!(m.iter().all(|m| m | seizure == (1 << 24) - 1));
        }
    }

    #[test]
    fn grades_and_counts_are_not_both_given() {
        let h = header(&["bilag_renal", "new_bilag_a"]);
        let zero = [0u8; 1];
        let mut cols = vec![Column::new(Values::Bool(&zero)); 24];
        let grade = [Some("A")];
        cols.push(Column::new(Values::Text(&grade)));
        let one = [1u8];
        cols.push(Column::new(Values::U8(&one)));
        let e = visits(&h, &cols, 1).unwrap_err().to_string();
        assert!(e.contains("not both"), "{e}");
        cols[25] = Column::new(Values::Missing);
        let v = visits(&h, &cols, 1).unwrap();
        assert!(v[0].bilag.is_some());
        let grade = [Some("a")];
        cols[24] = Column::new(Values::Text(&grade));
        let e = visits(&h, &cols, 1).unwrap_err().to_string();
        assert!(e.contains("invalid value `a`"), "{e}");
    }
}
