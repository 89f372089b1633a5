//! The core's visit-table layer (`sledai::table`) for Python: header
//! resolution with renames and the extra-columns policy, and the boolean
//! cell grammar for cells that are Python objects. `sledai/_frame.py` and
//! `sledai/_visits.py` call these instead of checking names or cells
//! themselves.

use numpy::PyArray1;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use sledai::table::{self, Column, ExtraColumns, HeaderOptions, cell};

use crate::errors::{field_error, invalid_column, invalid_value};

/// Per column `(tag, resolved name)`, and the ignored columns.
type Resolved = (Vec<(&'static str, String)>, Vec<String>);

/// A boolean column as `(values, missing)` uint8 arrays.
type BoolColumn<'py> = (Bound<'py, PyArray1<u8>>, Bound<'py, PyArray1<u8>>);

/// Resolves a frame's column names with the core's rule.
///
/// Returns ``(columns, ignored)``: per column ``(tag, name)`` with tag
/// ``"descriptor"``, ``"field"``, ``"nested"`` (a field that holds lists
/// or mappings), ``"bilag"`` or ``"ignored"`` and the name
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
    let header = resolve(py, &names, rename, extra, serology_optional)?;
    let columns = header
        .columns()
        .iter()
        .zip(header.names())
        .map(|(c, n)| {
            let tag = match c {
                Column::Descriptor(_) => "descriptor",
                Column::Field(f) if f.kind() == table::ColumnKind::Nested => "nested",
                Column::Field(_) => "field",
                Column::Bilag(_) => "bilag",
                _ => "ignored",
            };
            (tag, n.clone())
        })
        .collect();
    Ok((columns, header.ignored().to_vec()))
}

/// The core's header resolution with Python's spelling of the options.
pub(crate) fn resolve(
    py: Python<'_>,
    names: &[String],
    rename: Option<Vec<(String, String)>>,
    extra: &str,
    serology_optional: bool,
) -> PyResult<table::Header> {
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
    table::resolve(names, &options).map_err(|e| header_error(py, &e))
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

/// One boolean cell that is a Python object, by the core's grammar
/// (`table::cell::boolean`) applied to its text ([`object_text`]):
/// ``None``/NaN/``pd.NA`` not recorded, ``bool``, integers and floats 0/1,
/// and text (``"Yes"``, ``"n"``, ``"NA"``, ...).
pub(crate) fn bool_cell(
    py: Python<'_>,
    name: &str,
    obj: &Bound<'_, PyAny>,
    row: usize,
) -> PyResult<Option<bool>> {
    let Some(text) = object_text(py, name, obj, row)? else {
        return Ok(None);
    };
    cell::boolean(text.as_bytes()).ok_or_else(|| {
        // The core's error and wording, when the column is a visit column.
        let field = name
            .parse::<sledai::Descriptor>()
            .map(|d| d.id())
            .ok()
            .or_else(|| table::Field::from_name(name).map(table::Field::name));
        if let Some(field) = field {
            return crate::errors::at_row(py, &cell::boolean_error(field, text.as_bytes()), row);
        }
        let shown = if obj.cast::<PyString>().is_ok() {
            crate::errors::bounded(&text)
        } else {
            crate::records::shown(obj)
        };
        field_error(
            py,
            name,
            &shown,
            &format!("invalid value `{shown}`: {}", cell::BOOLEAN_EXPECTED),
            Some(row),
        )
    })
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

/// Whether a Python cell is a missing value: `None`, NaN, `pd.NA`, `NaT`.
pub(crate) fn is_missing(obj: &Bound<'_, PyAny>) -> PyResult<bool> {
    if obj.is_none() {
        return Ok(true);
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Ok(f.value().is_nan());
    }
    let t = obj.get_type();
    let module: String = t.module()?.extract()?;
    if module.starts_with("pandas") {
        let name: String = t.name()?.extract()?;
        return Ok(matches!(name.as_str(), "NAType" | "NaTType"));
    }
    if module == "numpy"
        && obj.hasattr("dtype")?
        && obj.getattr("dtype")?.getattr("kind")?.extract::<String>()? == "f"
    {
        return Ok(obj.extract::<f64>().is_ok_and(f64::is_nan));
    }
    Ok(false)
}

/// A cell of an object or string column as the text the core's cell
/// rules read (`None`: not recorded): text as it is; `True`/`False` as
/// `true`/`false`; integers in decimal; a float's whole number in decimal,
/// another float as Python writes it (NaN: not recorded); a date, or a
/// datetime at midnight, as `YYYY-MM-DD`; anything else as `str()`.
pub(crate) fn object_text<'a>(
    py: Python<'_>,
    name: &str,
    obj: &'a Bound<'_, PyAny>,
    row: usize,
) -> PyResult<Option<std::borrow::Cow<'a, str>>> {
    use std::borrow::Cow;
    if let Ok(s) = obj.cast::<PyString>() {
        // A lone surrogate (`"\ud800"`) has no UTF-8: a value error naming
        // the column and the row, not Python's UnicodeEncodeError.
        return match s.to_cow() {
            Ok(t) => Ok(Some(Cow::Owned(t.into_owned()))),
            Err(_) => {
                let shown = crate::records::shown(obj);
                Err(field_error(
                    py,
                    name,
                    &shown,
                    &format!("`{shown}` is not valid Unicode text: it holds a lone surrogate"),
                    Some(row),
                ))
            }
        };
    }
    if is_missing(obj)? {
        return Ok(None);
    }
    if obj.cast::<PyList>().is_ok() || obj.cast::<PyTuple>().is_ok() || obj.cast::<PyDict>().is_ok()
    {
        let what = obj.get_type().name()?.to_string();
        return Err(field_error(
            py,
            name,
            &what,
            &format!(
                "a {what} is not a cell of this column (give text, a number, a boolean or a date)"
            ),
            Some(row),
        ));
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Some(Cow::Borrowed(if b.is_true() {
            "true"
        } else {
            "false"
        })));
    }
    let t = obj.get_type();
    let module: String = t.module()?.extract()?;
    let type_name: String = t.name()?.extract()?;
    if module == "numpy" && matches!(type_name.as_str(), "bool_" | "bool") {
        let b: bool = obj.extract()?;
        return Ok(Some(Cow::Borrowed(if b { "true" } else { "false" })));
    }
    if obj.cast::<PyInt>().is_ok() || (module == "numpy" && obj.hasattr("__index__")?) {
        if let Ok(i) = obj.extract::<i128>() {
            return Ok(Some(Cow::Owned(i.to_string())));
        }
    }
    let float = obj.cast::<PyFloat>().map(|f| f.value()).ok().or_else(|| {
        // numpy.float32 and float16 are no Python floats.
        (module == "numpy" && type_name.starts_with("float"))
            .then(|| obj.extract::<f64>().ok())
            .flatten()
    });
    if let Some(v) = float {
        if v.fract() == 0.0 && v.abs() < 9.0e15 {
            // A whole number (checked), as its digits: `{:.0}` writes 1.0 as
            // `1`; adding 0.0 turns -0.0 into 0.0, written `0`.
            return Ok(Some(Cow::Owned(format!("{:.0}", v + 0.0))));
        }
        // Python's shortest text of the number (numpy's for float32).
        return Ok(Some(Cow::Owned(obj.str()?.to_cow()?.into_owned())));
    }
    if obj.hasattr("year")? && obj.hasattr("month")? && obj.hasattr("day")? {
        let (y, m, d): (i64, i64, i64) = (
            obj.getattr("year")?.extract()?,
            obj.getattr("month")?.extract()?,
            obj.getattr("day")?.extract()?,
        );
        let midnight = if obj.hasattr("hour")? {
            let mut zero = true;
            for unit in ["hour", "minute", "second", "microsecond"] {
                zero &= obj.getattr(unit)?.extract::<i64>().unwrap_or(1) == 0;
            }
            zero && obj.getattr("tzinfo").map(|t| t.is_none()).unwrap_or(true)
        } else {
            true
        };
        if !midnight {
            let shown = crate::records::shown(obj);
            return Err(field_error(
                py,
                name,
                &shown,
                &format!("`{shown}` has a time of day or a time zone; expected calendar dates"),
                Some(row),
            ));
        }
        return Ok(Some(Cow::Owned(format!("{y:04}-{m:02}-{d:02}"))));
    }
    // Any other object by its text (a numpy datetime64, a Decimal); one
    // that cannot be written as text is named as `repr` shows it.
    match obj.str().and_then(|t| t.to_cow().map(Cow::into_owned)) {
        Ok(t) => Ok(Some(Cow::Owned(t))),
        Err(_) => {
            let shown = crate::records::shown(obj);
            Err(field_error(
                py,
                name,
                &shown,
                &format!(
                    "`{shown}` cannot be read as a cell (give text, a number, a boolean or a date)"
                ),
                Some(row),
            ))
        }
    }
}

/// The allowed values of every policy keyword that is one of the core's
/// closed vocabularies (`Vocabulary::IDS`, in table order, the default
/// first), so that `sledai/_visits.py` spells no option value of its own: a
/// test checks its `Literal[...]` annotations against this table.
///
/// >>> import sledai._native as native
/// >>> native._option_values()["bilag_new_b"][0]
/// 'from_c_d_e'
#[pyfunction]
#[pyo3(name = "_option_values")]
pub(crate) fn option_values(py: Python<'_>) -> PyResult<Bound<'_, pyo3::types::PyDict>> {
    use sledai::vocabulary::Vocabulary;
    fn ids<T: Vocabulary>() -> (&'static str, &'static [&'static str]) {
        (T::NAME, T::IDS)
    }
    let out = pyo3::types::PyDict::new(py);
    for (name, values) in [
        ids::<sledai::bilag::BilagNewB>(),
        ids::<sledai::bilag::BilagGradeE>(),
        ids::<sledai::bilag::BiclaPga>(),
        ids::<sledai::bilag::BiclaBaselineActivity>(),
        ids::<sledai::change::SriTreatmentFailure>(),
        ids::<sledai::remission_2017::Doris2017Pga>(),
        ids::<sledai::remission_2017::Doris2017Glucocorticoid>(),
        ids::<sledai::remission_2017::DorisOffTreatmentAntimalarial>(),
        ids::<sledai::remission_2017::Doris2017Index>(),
    ] {
        out.set_item(name, PyTuple::new(py, values)?)?;
    }
    Ok(out)
}
