//! The core's visit-table layer (`sledai::table`) for Python: header
//! resolution with renames and the extra-columns policy, and the boolean
//! cell grammar for cells that are Python objects. `sledai/_frame.py` and
//! `sledai/_visits.py` call these instead of checking names or cells
//! themselves.

use numpy::PyArray1;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyFloat, PyInt, PyString};
use sledai::table::{self, Column, ExtraColumns, HeaderOptions, cell};

use crate::errors::{field_error, invalid_column, invalid_value};

/// Per column `(tag, resolved name)`, and the ignored columns.
type Resolved = (Vec<(&'static str, String)>, Vec<String>);

/// A boolean column as `(values, missing)` uint8 arrays.
type BoolColumn<'py> = (Bound<'py, PyArray1<u8>>, Bound<'py, PyArray1<u8>>);

/// Resolves a frame's column names with the core's rule.
///
/// Returns ``(columns, ignored)``: per column ``(tag, name)`` with tag
/// ``"descriptor"``, ``"field"``, ``"bilag"`` or ``"ignored"`` and the name
/// it resolved as (after renaming), and the ignored columns as written.
/// ``extra`` is ``"raise"`` (Python's spelling of the core's ``error``) or
/// ``"ignore"``. Raises ``InvalidColumnError`` listing every problem.
///
/// >>> import sledai._native as native
/// >>> cols, ignored = native._resolve_header(list(native.IDENTIFIERS) + ["pid", "x"], [("pid", "patient")], "ignore", False)
/// >>> tuple(cols[24]), list(ignored)
/// (('field', 'patient'), ['x'])
#[pyfunction]
#[pyo3(name = "_resolve_header", signature = (names, rename, extra, serology_optional))]
pub(crate) fn resolve_header(
    py: Python<'_>,
    names: Vec<String>,
    rename: Option<Vec<(String, String)>>,
    extra: &str,
    serology_optional: bool,
) -> PyResult<Resolved> {
    let policy = match extra {
        "raise" => ExtraColumns::Error,
        other => other.parse::<ExtraColumns>().map_err(|_| {
            invalid_value(
                py,
                format!("extra: unknown value `{other}`, expected one of: raise, ignore"),
                "extra",
                other.to_owned(),
                None,
            )
        })?,
    };
    let options = rename.unwrap_or_default().into_iter().fold(
        HeaderOptions::default()
            .with_extra(policy)
            .with_serology_optional(serology_optional)
            // A frame's object columns may hold lists of mappings.
            .with_nested_columns(true),
        |o, (old, new)| o.with_rename(old, new),
    );
    let header = table::resolve(&names, &options).map_err(|e| header_error(py, &e))?;
    let columns = header
        .columns()
        .iter()
        .zip(header.names())
        .map(|(c, n)| {
            let tag = match c {
                Column::Descriptor(_) => "descriptor",
                Column::Field(_) => "field",
                Column::Bilag(_) => "bilag",
                _ => "ignored",
            };
            (tag, n.clone())
        })
        .collect();
    Ok((columns, header.ignored().to_vec()))
}

/// The core's header error as an `InvalidColumnError`, with the renames it
/// names spelt as Python's `rename=` and the `extra="ignore"` hint.
pub(crate) fn header_error(py: Python<'_>, e: &sledai::Error) -> PyErr {
    let mut msg = crate::errors::bounded_message(&e.to_string());
    let mut column = None;
    if let sledai::Error::Header { header, .. } = e {
        let (renames, ignorable) = (&header.renames, &header.ignorable);
        column = header.columns.first().map(String::as_str);
        if !renames.is_empty() {
            let pairs: Vec<String> = renames
                .iter()
                .map(|(old, new)| format!("{:?}: {new:?}", crate::errors::bounded(old)))
                .collect();
            msg.push_str(&format!(" (pass rename={{{}}})", pairs.join(", ")));
        }
        if !ignorable.is_empty() {
            msg.push_str(" (drop the columns that are not visit fields or pass extra=\"ignore\")");
        }
    }
    invalid_column(py, column, msg)
}

/// Exactly 0.0 and 1.0 are the valid float cells: strict comparison is the rule.
#[allow(clippy::float_cmp)]
/// One boolean cell that is a Python object, by the core's grammar:
/// ``None``/NaN/``pd.NA`` not recorded, ``bool``, integers and floats 0/1,
/// and text (``"Yes"``, ``"n"``, ``"NA"``, ...).
pub(crate) fn bool_cell(
    py: Python<'_>,
    name: &str,
    obj: &Bound<'_, PyAny>,
    row: usize,
) -> PyResult<Option<bool>> {
    let bad = |shown: String| {
        field_error(
            py,
            name,
            &shown,
            &format!("invalid value `{shown}`, {}", cell::BOOLEAN_EXPECTED),
            Some(row),
        )
    };
    if obj.is_none() {
        return Ok(None);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Some(b.is_true()));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        let text = s.to_cow()?;
        return cell::boolean(text.as_bytes()).ok_or_else(|| bad(crate::errors::bounded(&text)));
    }
    if obj.cast::<PyInt>().is_ok() || obj.hasattr("__index__")? {
        return match obj.extract::<i64>() {
            Ok(0) => Ok(Some(false)),
            Ok(1) => Ok(Some(true)),
            _ => Err(bad(crate::records::shown(obj))),
        };
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        let v = f.value();
        return if v.is_nan() {
            Ok(None)
        } else if v == 0.0 {
            Ok(Some(false))
        } else if v == 1.0 {
            Ok(Some(true))
        } else {
            Err(bad(crate::records::shown(obj)))
        };
    }
    // numpy.bool_ and other objects with a truth value of their own kind.
    if let Ok(b) = obj.extract::<bool>() {
        return Ok(Some(b));
    }
    if let Ok(v) = obj.extract::<f64>() {
        if v.is_nan() {
            return Ok(None);
        }
    }
    // pandas.NA and NaT are not recorded.
    let t = obj.get_type();
    let module: String = t.module()?.extract()?;
    let qualname: String = t.name()?.extract()?;
    if module.starts_with("pandas") && matches!(qualname.as_str(), "NAType" | "NaTType") {
        return Ok(None);
    }
    Err(bad(crate::records::shown(obj)))
}

/// A boolean column of Python objects (a string or object column of a
/// frame) as ``(values, missing)`` uint8 arrays, each cell read by the
/// core's grammar.
///
/// >>> import sledai._native as native
/// >>> values, missing = native._bool_cells("rash", ["Yes", "no", None, 1, "NA"])
/// >>> values.tolist(), missing.tolist()
/// ([1, 0, 0, 1, 0], [0, 0, 1, 0, 1])
#[pyfunction]
#[pyo3(name = "_bool_cells", signature = (name, cells))]
pub(crate) fn bool_cells<'py>(
    py: Python<'py>,
    name: &str,
    cells: Vec<Bound<'py, PyAny>>,
) -> PyResult<BoolColumn<'py>> {
    let mut values = Vec::with_capacity(cells.len());
    let mut missing = Vec::with_capacity(cells.len());
    for (row, obj) in cells.iter().enumerate() {
        let v = bool_cell(py, name, obj, row)?;
        values.push(u8::from(v == Some(true)));
        missing.push(u8::from(v.is_none()));
    }
    Ok((
        PyArray1::from_vec(py, values),
        PyArray1::from_vec(py, missing),
    ))
}
