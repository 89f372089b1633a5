//! `_native._score_columns`: the buffer-level entry point of
//! `sledai.score_frame`.
//!
//! The Python side (`sledai/_frame.py`) turns a pandas or polars data frame
//! or a dict of arrays into 24 contiguous one-dimensional numpy arrays in
//! form order, each with an optional boolean "missing" array; this function
//! borrows their buffers (no copy), releases the GIL and runs the core's
//! [`sledai::table::totals::evaluate`].

// The `///` comments on #[pyfunction] / #[pyclass] items are Python
// docstrings with doctest examples, where `[8]` is indexing, not a link.
#![allow(rustdoc::broken_intra_doc_links)]

use numpy::{PyArray1, PyArrayMethods, PyReadonlyArray1};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyList, PySequence, PyTuple};

use sledai::table::column::{Bitmap, Column as TypedColumn, TimeUnit, Values as TypedValues};
use sledai::visit::VisitInput;

use crate::errors::invalid_column;
use sledai::change::Measure;
use sledai::table::totals::{self, IncompleteRows};

/// A borrowed numpy array of one of the accepted element types.
pub(crate) enum Held<'py> {
    U8(PyReadonlyArray1<'py, u8>),
    I8(PyReadonlyArray1<'py, i8>),
    I16(PyReadonlyArray1<'py, i16>),
    I32(PyReadonlyArray1<'py, i32>),
    I64(PyReadonlyArray1<'py, i64>),
    U16(PyReadonlyArray1<'py, u16>),
    U32(PyReadonlyArray1<'py, u32>),
    U64(PyReadonlyArray1<'py, u64>),
    F32(PyReadonlyArray1<'py, f32>),
    F64(PyReadonlyArray1<'py, f64>),
    /// An Arrow boolean array's values bitmap.
    Bits(HeldBits<'py>),
    Missing,
}

/// A borrowed Arrow bitmap: the buffer (a uint8 view of it, no copy), the
/// array's offset in bits and its length in rows.
pub(crate) struct HeldBits<'py> {
    bytes: PyReadonlyArray1<'py, u8>,
    offset: usize,
    len: usize,
}

impl<'py> HeldBits<'py> {
    fn bitmap(&self) -> Option<Bitmap<'_>> {
        Some(Bitmap::new(
            self.bytes.as_slice().ok()?,
            self.offset,
            self.len,
        ))
    }

    /// The values and validity bitmaps of `("bits", data, offset, length,
    /// validity)`: an Arrow boolean array's buffers as `sledai/_frame.py`
    /// hands them over (`validity` None when every cell is recorded).
    fn pair(
        py: Python<'py>,
        name: &str,
        t: &Bound<'py, PyTuple>,
    ) -> PyResult<(HeldBits<'py>, Option<HeldBits<'py>>)> {
        let (offset, len): (usize, usize) = (t.get_item(2)?.extract()?, t.get_item(3)?.extract()?);
        let buffer = |obj: Bound<'py, PyAny>| {
            obj.cast::<PyArray1<u8>>()
                .ok()
                .and_then(|a| a.try_readonly().ok())
                .map(|bytes| HeldBits { bytes, offset, len })
                .ok_or_else(|| {
                    invalid_column(
                        py,
                        Some(name),
                        format!("column `{name}`: an Arrow bitmap must be a 1-D uint8 array"),
                    )
                })
        };
        let validity = t.get_item(4)?;
        let validity = if validity.is_none() {
            None
        } else {
            Some(buffer(validity)?)
        };
        Ok((buffer(t.get_item(1)?)?, validity))
    }
}

impl<'py> Held<'py> {
    fn new(obj: &Bound<'py, PyAny>) -> Option<Held<'py>> {
        macro_rules! try_as {
            ($($t:ty => $v:ident),*) => {$(
                if let Ok(a) = obj.cast::<PyArray1<$t>>() {
                    return a.try_readonly().ok().map(Held::$v);
                }
            )*};
        }
        try_as!(u8 => U8, i8 => I8, i16 => I16, i32 => I32, i64 => I64,
                u16 => U16, u32 => U32, u64 => U64, f32 => F32, f64 => F64);
        None
    }

    fn values(&self) -> Option<TypedValues<'_>> {
        Some(match self {
            Held::U8(a) => TypedValues::U8(a.as_slice().ok()?),
            Held::I8(a) => TypedValues::I8(a.as_slice().ok()?),
            Held::I16(a) => TypedValues::I16(a.as_slice().ok()?),
            Held::I32(a) => TypedValues::I32(a.as_slice().ok()?),
            Held::I64(a) => TypedValues::I64(a.as_slice().ok()?),
            Held::U16(a) => TypedValues::U16(a.as_slice().ok()?),
            Held::U32(a) => TypedValues::U32(a.as_slice().ok()?),
            Held::U64(a) => TypedValues::U64(a.as_slice().ok()?),
            Held::F32(a) => TypedValues::F32(a.as_slice().ok()?),
            Held::F64(a) => TypedValues::F64(a.as_slice().ok()?),
            Held::Bits(b) => TypedValues::Bits(b.bitmap()?),
            Held::Missing => TypedValues::Missing,
        })
    }
}

/// Scores 24 descriptor columns (internal: use ``sledai.score_frame``).
///
/// ``columns`` holds 24 items in form order, each ``None`` (the column is
/// absent: every row not assessed), an Arrow boolean array's buffers
/// ``("bits", data, offset, length, validity)`` (uint8 views of the values
/// bitmap and of the validity bitmap or ``None``, the array's offset in
/// bits, its length), or a pair ``(values, missing)``:
/// ``values`` a C-contiguous 1-D array of uint8 (``bool`` viewed as bytes),
/// int8-64, uint16-64, float32 or float64; ``missing`` ``None`` or a
/// contiguous uint8 array (``bool`` viewed as bytes), 1 where the cell is
/// not assessed. ``incomplete`` is ``"na"`` (returns ``(totals,
/// incomplete_flags_or_None)``), ``"raise"`` (returns ``totals``) or
/// ``"range"`` (returns ``(low, high)``). Totals are int16 arrays.
///
/// >>> import numpy as np, sledai._native as native
/// >>> cols = [(np.array([1, 0], dtype=np.uint8), None)] * 24
/// >>> native._score_columns(cols, 2, False, "raise")
/// array([105,   0], dtype=int16)
/// >>> # Rows 0-1 from bit 1: both True; row 0 null (validity bit 1 clear).
/// >>> bits = ("bits", np.array([0b110], dtype=np.uint8), 1, 2, np.array([0b101], dtype=np.uint8))
/// >>> native._score_columns([bits] * 24, 2, False, "range")
/// (array([  0, 105], dtype=int16), array([105, 105], dtype=int16))
#[pyfunction]
#[pyo3(name = "_score_columns", signature = (columns, n_rows, clinical, incomplete))]
pub(crate) fn score_columns<'py>(
    py: Python<'py>,
    columns: &Bound<'py, PyAny>,
    n_rows: usize,
    clinical: bool,
    incomplete: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let mode: IncompleteRows = incomplete.parse().map_err(|_| {
        crate::errors::unknown_keyword(py, "incomplete", incomplete, IncompleteRows::EXPECTED, None)
    })?;
    let measure = if clinical {
        Measure::ClinicalSledai
    } else {
        Measure::Sledai2k
    };
    let held = hold(py, columns)?;
    let cols = borrow(py, &held)?;

    // The core runs without the GIL: it touches only the borrowed buffers.
    let (low, high, flags) = py
        .detach(|| totals::evaluate(&cols, n_rows, measure, mode))
        .map_err(|e| crate::errors::to_py_err(py, &e))?
        .into_parts();
    let low = PyArray1::from_vec(py, low).into_any();
    Ok(match mode {
        IncompleteRows::Missing => {
            let flags = flags.map(|f| PyArray1::from_vec(py, f));
            (low, flags).into_pyobject(py)?.into_any()
        }
        IncompleteRows::Range => {
            let high = PyArray1::from_vec(py, high.unwrap_or_default());
            (low, high).into_pyobject(py)?.into_any()
        }
        _ => low,
    })
}

/// The 24 (values, missing, validity) arrays of `columns`, held (borrowed
/// read-only).
pub(crate) type HeldColumns<'py> = Vec<(
    Held<'py>,
    Option<PyReadonlyArray1<'py, u8>>,
    Option<HeldBits<'py>>,
)>;

/// Holds the 24 items of `columns` (see `_score_columns`).
pub(crate) fn hold<'py>(
    py: Python<'py>,
    columns: &Bound<'py, PyAny>,
) -> PyResult<HeldColumns<'py>> {
    let seq = columns.cast::<PySequence>()?;
    if seq.len()? != 24 {
        return Err(PyTypeError::new_err(
            "columns must hold 24 items, in form order",
        ));
    }
    let mut held: HeldColumns<'py> = Vec::with_capacity(24);
    for (item, d) in seq.try_iter()?.zip(sledai::Descriptor::ALL) {
        let item = item?;
        if item.is_none() {
            held.push((Held::Missing, None, None));
            continue;
        }
        let pair = item.cast::<PyTuple>()?;
        if pair.len() == 5 {
            let (values, validity) = HeldBits::pair(py, d.id(), pair)?;
            held.push((Held::Bits(values), None, validity));
            continue;
        }
        let (values, missing) = (pair.get_item(0)?, pair.get_item(1)?);
        let values = Held::new(&values).ok_or_else(|| {
            invalid_column(
                py,
                Some(d.id()),
                format!(
                    "column `{}`: unsupported array {}: expected a 1-D bool, integer or float array",
                    d.id(),
                    describe(&values)
                ),
            )
        })?;
        let missing = if missing.is_none() {
            None
        } else {
            Some(
                missing
                    .cast::<PyArray1<u8>>()
                    .ok()
                    .and_then(|a| a.try_readonly().ok())
                    .ok_or_else(|| {
                        invalid_column(
                            py,
                            Some(d.id()),
                            format!(
                                "column `{}`: the missing-value mask must be a 1-D bool array",
                                d.id()
                            ),
                        )
                    })?,
            )
        };
        held.push((values, missing, None));
    }
    Ok(held)
}

/// The held arrays as the core's columns (`None`: an absent column).
pub(crate) fn borrow<'a>(
    py: Python<'_>,
    held: &'a HeldColumns<'_>,
) -> PyResult<[Option<TypedColumn<'a>>; 24]> {
    let mut cols: [Option<TypedColumn<'a>>; 24] = [None; 24];
    for (((values, missing, validity), d), col) in
        held.iter().zip(sledai::Descriptor::ALL).zip(&mut cols)
    {
        let not_contiguous = || {
            invalid_column(
                py,
                Some(d.id()),
                format!("column `{}`: array is not contiguous", d.id()),
            )
        };
        if matches!(values, Held::Missing) {
            continue;
        }
        let mut c = TypedColumn::new(values.values().ok_or_else(not_contiguous)?);
        if let Some(v) = validity {
            c = c.with_validity(v.bitmap().ok_or_else(not_contiguous)?);
        }
        *col = Some(match missing {
            Some(m) => c.with_missing(m.as_slice().map_err(|_| not_contiguous())?),
            None => c,
        });
    }
    Ok(cols)
}

fn describe(obj: &Bound<'_, PyAny>) -> String {
    let dtype = obj
        .getattr("dtype")
        .and_then(|d| d.str())
        .map(|s| s.to_string());
    let ndim = obj.getattr("ndim").and_then(|d| d.extract::<usize>());
    match (dtype, ndim) {
        (Ok(dtype), Ok(ndim)) => format!("of dtype {dtype} with {ndim} dimension(s)"),
        _ => obj
            .get_type()
            .name()
            .map(|n| format!("of type {n}"))
            .unwrap_or_default(),
    }
}

// ------------------------------------------------------------ typed frames

/// One frame column as `sledai/_visits.py` hands it over, held for the
/// core's `table::column::visits`.
enum Store<'py> {
    /// An absent or ignored column.
    Missing,
    /// `("bool", uint8 view, mask)` or `("num", array, mask)`.
    Array(bool, Held<'py>, Option<PyReadonlyArray1<'py, u8>>),
    /// `("bits", data, offset, length, validity)`: an Arrow boolean
    /// array's values and validity bitmaps (see `_score_columns`).
    Bits(HeldBits<'py>, Option<HeldBits<'py>>),
    /// `("time", int64 view, unit, mask)`: numpy datetime64.
    Time(Held<'py>, TimeUnit, Option<PyReadonlyArray1<'py, u8>>),
    /// `("days", int32 array, mask)`: days since 1970-01-01.
    Days(Held<'py>, Option<PyReadonlyArray1<'py, u8>>),
    /// `("objects", list)`: text, or Python objects read as their text.
    Text {
        offsets: Vec<i64>,
        bytes: Vec<u8>,
        missing: Vec<u8>,
    },
    /// `("utf8", int64 offsets, uint8 bytes, mask)`: an Arrow string
    /// array's buffers (cell `i` is `bytes[offsets[i]..offsets[i + 1]]`).
    Utf8(Held<'py>, Held<'py>, Option<PyReadonlyArray1<'py, u8>>),
    /// `("nested", list)`: lists or mappings (`glucocorticoids`,
    /// `measurements`, `bilag`), read by the record's serde form.
    Nested(Bound<'py, PyList>),
}

fn mask_of<'py>(
    py: Python<'py>,
    name: &str,
    m: &Bound<'py, PyAny>,
) -> PyResult<Option<PyReadonlyArray1<'py, u8>>> {
    if m.is_none() {
        return Ok(None);
    }
    m.cast::<PyArray1<u8>>()
        .ok()
        .and_then(|a| a.try_readonly().ok())
        .map(Some)
        .ok_or_else(|| {
            invalid_column(
                py,
                Some(name),
                format!("column `{name}`: the missing-value mask must be a 1-D bool array"),
            )
        })
}

impl<'py> Store<'py> {
    fn new(py: Python<'py>, name: &str, item: &Bound<'py, PyAny>) -> PyResult<Store<'py>> {
        if item.is_none() {
            return Ok(Store::Missing);
        }
        let t = item.cast::<PyTuple>()?;
        let tag: String = t.get_item(0)?.extract()?;
        let array = |k: usize| -> PyResult<Held<'py>> {
            let a = t.get_item(k)?;
            Held::new(&a).ok_or_else(|| {
                invalid_column(
                    py,
                    Some(name),
                    format!(
                        "column `{name}`: unsupported array {}: expected a 1-D bool, integer, float or date array",
                        describe(&a)
                    ),
                )
            })
        };
        Ok(match tag.as_str() {
            "bool" | "num" => Store::Array(
                tag == "bool",
                array(1)?,
                mask_of(py, name, &t.get_item(2)?)?,
            ),
            "days" => Store::Days(array(1)?, mask_of(py, name, &t.get_item(2)?)?),
            "bits" => {
                let (values, validity) = HeldBits::pair(py, name, t)?;
                Store::Bits(values, validity)
            }
            "time" => {
                let unit: String = t.get_item(2)?.extract()?;
                let unit = match unit.as_str() {
                    "D" => TimeUnit::Day,
                    "s" => TimeUnit::Second,
                    "ms" => TimeUnit::Millisecond,
                    "us" => TimeUnit::Microsecond,
                    "ns" => TimeUnit::Nanosecond,
                    other => {
                        return Err(invalid_column(
                            py,
                            Some(name),
                            format!("column `{name}`: unsupported date unit `{other}`"),
                        ));
                    }
                };
                Store::Time(array(1)?, unit, mask_of(py, name, &t.get_item(3)?)?)
            }
            "objects" => {
                let list = t.get_item(1)?.cast_into::<PyList>()?;
                let mut offsets = Vec::with_capacity(list.len() + 1);
                let mut bytes = Vec::new();
                let mut missing = Vec::with_capacity(list.len());
                offsets.push(0);
                for (row, obj) in list.iter().enumerate() {
                    match crate::table::object_text(py, name, &obj, row)? {
                        Some(text) => {
                            bytes.extend_from_slice(text.as_bytes());
                            missing.push(0);
                        }
                        None => missing.push(1),
                    }
                    offsets.push(i64::try_from(bytes.len()).unwrap_or(i64::MAX));
                }
                Store::Text {
                    offsets,
                    bytes,
                    missing,
                }
            }
            "utf8" => Store::Utf8(array(1)?, array(2)?, mask_of(py, name, &t.get_item(3)?)?),
            "nested" => Store::Nested(t.get_item(1)?.cast_into::<PyList>()?),
            other => {
                return Err(PyTypeError::new_err(format!(
                    "unknown column tag `{other}`"
                )));
            }
        })
    }

    fn len(&self) -> Option<usize> {
        match self {
            Store::Missing => None,
            Store::Array(_, h, _) | Store::Time(h, _, _) | Store::Days(h, _) => h.values()?.len(),
            Store::Bits(b, _) => Some(b.len),
            Store::Text { missing, .. } => Some(missing.len()),
            Store::Utf8(offsets, _, _) => offsets.values()?.len().map(|n| n.saturating_sub(1)),
            Store::Nested(l) => Some(l.len()),
        }
    }

    fn column(&self, py: Python<'_>, name: &str) -> PyResult<TypedColumn<'_>> {
        let not_contiguous = || {
            invalid_column(
                py,
                Some(name),
                format!("column `{name}`: array is not contiguous"),
            )
        };
        Ok(match self {
            Store::Missing | Store::Nested(_) => TypedColumn::new(TypedValues::Missing),
            Store::Array(is_bool, h, m) => {
                let v = h.values().ok_or_else(not_contiguous)?;
                let v = match (is_bool, v) {
                    (true, TypedValues::U8(s)) => TypedValues::Bool(s),
                    (_, v) => v,
                };
                with_mask(TypedColumn::new(v), m.as_ref(), name, py)?
            }
            Store::Bits(b, v) => {
                let c = TypedColumn::new(TypedValues::Bits(b.bitmap().ok_or_else(not_contiguous)?));
                match v {
                    Some(v) => c.with_validity(v.bitmap().ok_or_else(not_contiguous)?),
                    None => c,
                }
            }
            Store::Days(h, m) => match h.values().ok_or_else(not_contiguous)? {
                TypedValues::I32(s) => {
                    with_mask(TypedColumn::new(TypedValues::Days(s)), m.as_ref(), name, py)?
                }
                _ => return Err(PyTypeError::new_err("days must be an int32 array")),
            },
            Store::Time(h, unit, m) => match h.values().ok_or_else(not_contiguous)? {
                TypedValues::I64(s) => with_mask(
                    TypedColumn::new(TypedValues::Timestamps(s, *unit)),
                    m.as_ref(),
                    name,
                    py,
                )?,
                _ => return Err(PyTypeError::new_err("timestamps must be an int64 array")),
            },
            Store::Text {
                offsets,
                bytes,
                missing,
            } => TypedColumn::new(TypedValues::Utf8 { offsets, bytes }).with_missing(missing),
            Store::Utf8(offsets, bytes, m) => match (
                offsets.values().ok_or_else(not_contiguous)?,
                bytes.values().ok_or_else(not_contiguous)?,
            ) {
                (TypedValues::I64(offsets), TypedValues::U8(bytes)) => with_mask(
                    TypedColumn::new(TypedValues::Utf8 { offsets, bytes }),
                    m.as_ref(),
                    name,
                    py,
                )?,
                _ => {
                    return Err(PyTypeError::new_err(
                        "utf8 text needs int64 offsets and uint8 bytes",
                    ));
                }
            },
        })
    }
}

/// The column with its mask, if any.
fn with_mask<'a>(
    c: TypedColumn<'a>,
    m: Option<&'a PyReadonlyArray1<'_, u8>>,
    name: &str,
    py: Python<'_>,
) -> PyResult<TypedColumn<'a>> {
    Ok(match m {
        Some(m) => c.with_missing(m.as_slice().map_err(|_| {
            invalid_column(
                py,
                Some(name),
                format!("column `{name}`: array is not contiguous"),
            )
        })?),
        None => c,
    })
}

/// A numeric buffer as the core's column values.
/// `(names, rename, extra, columns, n_rows)`, as `sledai/_visits.py` passes it.
type FrameSource<'py> = (
    Vec<String>,
    Option<Vec<(String, String)>>,
    String,
    Bound<'py, PyList>,
    usize,
);

/// The visits of a frame: `(names, rename, extra, columns, n_rows)`, one
/// item of `columns` per name (see [`Store`]), resolved by the core's
/// header rule and built by the core (`table::column::visits`) with the GIL
/// released; nested cells (rare) go through the record's serde form.
pub(crate) fn typed_visits(
    py: Python<'_>,
    t: &Bound<'_, PyTuple>,
    threads: sledai::Threads,
) -> PyResult<Vec<VisitInput>> {
    with_columns(py, t, |header, cols, n, stores| {
        let mut visits = py
            .detach(|| sledai::table::frame::records(header, cols, n, threads))
            .map_err(|e| crate::errors::to_py_err(py, &e))?;
        for (store, name) in stores.iter().zip(header.names()) {
            if let Store::Nested(list) = store {
                nested(py, name, list, &mut visits)?;
            }
        }
        Ok(visits)
    })
}

/// The core's per-visit results of a frame `(names, rename, extra,
/// columns, n_rows)` as typed columns (`table::frame::assess`, the GIL
/// released), or `None` when the frame has a nested column (its records
/// are built by [`typed_visits`]).
pub(crate) fn assessed(
    py: Python<'_>,
    t: &Bound<'_, PyTuple>,
    options: sledai::table::frame::FrameOptions,
) -> PyResult<Option<sledai::table::typed::TypedTable>> {
    with_columns(py, t, |header, cols, n, stores| {
        if stores.iter().any(|s| matches!(s, Store::Nested(_))) {
            return Ok(None);
        }
        py.detach(|| sledai::table::frame::assess(header, cols, n, options))
            .map(Some)
            .map_err(|e| crate::errors::to_py_err(py, &e))
    })
}

/// The cohort of a frame `(names, rename, extra, columns, n_rows)`
/// (`table::frame::cohort`, the GIL released), or `None` when the frame
/// has a nested column (its records are built by [`typed_visits`]).
pub(crate) fn cohort(
    py: Python<'_>,
    t: &Bound<'_, PyTuple>,
    options: &sledai::timeline::TimelineOptions,
) -> PyResult<Option<Result<sledai::timeline::Cohort, sledai::Error>>> {
    with_columns(py, t, |header, cols, n, stores| {
        if stores.iter().any(|s| matches!(s, Store::Nested(_))) {
            return Ok(None);
        }
        Ok(Some(py.detach(|| {
            sledai::table::frame::cohort(header, cols, n, options)
        })))
    })
}

/// Calls `f` with the resolved header, the typed columns, the number of
/// rows and the column stores of a frame `(names, rename, extra, columns,
/// n_rows)`.
fn with_columns<T>(
    py: Python<'_>,
    t: &Bound<'_, PyTuple>,
    f: impl FnOnce(
        &sledai::table::Header,
        &[sledai::table::column::Column<'_>],
        usize,
        &[Store<'_>],
    ) -> PyResult<T>,
) -> PyResult<T> {
    let (names, rename, extra, columns, n): FrameSource<'_> = t.extract()?;
    let header = crate::table::resolve(py, &names, rename, &extra, false)?;
    if columns.len() != names.len() {
        return Err(PyTypeError::new_err("one column per name"));
    }
    let mut stores = Vec::with_capacity(names.len());
    for (item, name) in columns.iter().zip(&names) {
        let store = Store::new(py, name, &item)?;
        if let Some(len) = store.len() {
            if len != n {
                return Err(invalid_column(
                    py,
                    Some(name),
                    format!("column `{name}` has {len} rows, expected {n}"),
                ));
            }
        }
        stores.push(store);
    }
    let cols = stores
        .iter()
        .zip(&names)
        .map(|(s, name)| s.column(py, name))
        .collect::<PyResult<Vec<_>>>()?;
    f(&header, &cols, n, &stores)
}

/// Sets a nested field (`glucocorticoids`, `measurements`, `bilag`) of
/// every record from its object column, by the record's serde form.
fn nested(
    py: Python<'_>,
    name: &str,
    list: &Bound<'_, PyList>,
    visits: &mut [VisitInput],
) -> PyResult<()> {
    for (i, (cell, v)) in list.iter().zip(visits.iter_mut()).enumerate() {
        if crate::table::is_missing(&cell)? {
            continue;
        }
        let value = crate::records::to_value(py, &cell, name, Some(i))?;
        let mut map = serde_json::Map::new();
        map.insert("present".to_owned(), serde_json::Value::Array(Vec::new()));
        map.insert(name.to_owned(), value);
        let parsed: VisitInput =
            crate::records::from_value(py, &serde_json::Value::Object(map), "", Some(i))?;
        let both = |what: &str| {
            crate::errors::field_error(py, name, name, &format!("give {what}, not both"), Some(i))
        };
        match name {
            "glucocorticoids" if v.glucocorticoids.is_some() => {
                return Err(both("either `prednisone_mg_per_day` or `glucocorticoids`"));
            }
            "glucocorticoids" => v.glucocorticoids = parsed.glucocorticoids,
            "measurements" => v.measurements = parsed.measurements,
            "bilag" if v.bilag.is_some() => {
                return Err(both(
                    "the grades either as a `bilag` column or as `bilag_<system>` columns",
                ));
            }
            "bilag" => v.bilag = parsed.bilag,
            _ => {
                return Err(invalid_column(
                    py,
                    Some(name),
                    format!(
                        "column `{name}` is JSON only: in a frame each descriptor is its own column"
                    ),
                ));
            }
        }
    }
    Ok(())
}
