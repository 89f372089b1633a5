//! `_native._score_columns`: the buffer-level entry point of
//! `sledai.score_frame`.
//!
//! The Python side (`sledai/_frame.py`) turns a pandas or polars data frame
//! or a dict of arrays into 24 contiguous one-dimensional numpy arrays in
//! form order, each with an optional boolean "missing" array; this function
//! borrows their buffers (no copy), releases the GIL and runs
//! [`crate::kernel::score_columns`].

// The `///` comments on #[pyfunction] / #[pyclass] items are Python
// docstrings with doctest examples, where `[8]` is indexing, not a link.
#![allow(rustdoc::broken_intra_doc_links)]

use numpy::{PyArray1, PyArrayMethods, PyReadonlyArray1};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PySequence, PyTuple};

use crate::errors::invalid_column;
use crate::kernel::{self, Column, Mode, Values};

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
    Missing,
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

    fn values(&self) -> Option<Values<'_>> {
        Some(match self {
            Held::U8(a) => Values::U8(a.as_slice().ok()?),
            Held::I8(a) => Values::I8(a.as_slice().ok()?),
            Held::I16(a) => Values::I16(a.as_slice().ok()?),
            Held::I32(a) => Values::I32(a.as_slice().ok()?),
            Held::I64(a) => Values::I64(a.as_slice().ok()?),
            Held::U16(a) => Values::U16(a.as_slice().ok()?),
            Held::U32(a) => Values::U32(a.as_slice().ok()?),
            Held::U64(a) => Values::U64(a.as_slice().ok()?),
            Held::F32(a) => Values::F32(a.as_slice().ok()?),
            Held::F64(a) => Values::F64(a.as_slice().ok()?),
            Held::Missing => Values::Missing,
        })
    }
}

/// Scores 24 descriptor columns (internal: use ``sledai.score_frame``).
///
/// ``columns`` holds 24 items in form order, each ``None`` (the column is
/// absent: every row not assessed) or a pair ``(values, missing)``:
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
#[pyfunction]
#[pyo3(name = "_score_columns", signature = (columns, n_rows, clinical, incomplete))]
pub(crate) fn score_columns<'py>(
    py: Python<'py>,
    columns: &Bound<'py, PyAny>,
    n_rows: usize,
    clinical: bool,
    incomplete: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let mode = match incomplete {
        "na" => Mode::Flag,
        "raise" => Mode::Raise,
        "range" => Mode::Range,
        other => {
            return Err(crate::errors::unknown_keyword(
                py,
                "incomplete",
                other,
                "na, raise, range",
                None,
            ));
        }
    };
    let held = hold(py, columns)?;
    let cols = borrow(py, &held)?;

    // The loop runs without the GIL: it touches only the borrowed buffers.
    let out = py
        .detach(|| kernel::score_columns(&cols, n_rows, clinical, mode))
        .map_err(|e| e.into_py(py))?;

    let totals = PyArray1::from_vec(py, out.totals).into_any();
    Ok(match mode {
        Mode::Raise => totals,
        Mode::Flag => {
            let flags = out.incomplete.map(|f| PyArray1::from_vec(py, f));
            (totals, flags).into_pyobject(py)?.into_any()
        }
        Mode::Range => {
            let high = PyArray1::from_vec(py, out.high.unwrap_or_default());
            (totals, high).into_pyobject(py)?.into_any()
        }
    })
}

/// The 24 (values, missing) arrays of `columns`, held (borrowed read-only).
pub(crate) type HeldColumns<'py> = Vec<(Held<'py>, Option<PyReadonlyArray1<'py, u8>>)>;

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
    let mut held: Vec<(Held<'py>, Option<PyReadonlyArray1<'py, u8>>)> = Vec::with_capacity(24);
    for (item, d) in seq.try_iter()?.zip(sledai::Descriptor::ALL) {
        let item = item?;
        if item.is_none() {
            held.push((Held::Missing, None));
            continue;
        }
        let pair = item.cast::<PyTuple>()?;
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
        held.push((values, missing));
    }
    Ok(held)
}

/// The held arrays as the kernel's columns.
pub(crate) fn borrow<'a>(py: Python<'_>, held: &'a HeldColumns<'_>) -> PyResult<[Column<'a>; 24]> {
    let mut cols: Vec<Column<'_>> = Vec::with_capacity(24);
    for ((values, missing), d) in held.iter().zip(sledai::Descriptor::ALL) {
        let not_contiguous = || {
            invalid_column(
                py,
                Some(d.id()),
                format!("column `{}`: array is not contiguous", d.id()),
            )
        };
        cols.push(Column {
            values: values.values().ok_or_else(not_contiguous)?,
            missing: match missing {
                Some(m) => Some(m.as_slice().map_err(|_| not_contiguous())?),
                None => None,
            },
        });
    }
    cols.try_into()
        .map_err(|_| PyTypeError::new_err("columns must hold 24 items, in form order"))
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
