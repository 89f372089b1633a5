//! The policy options of the visit functions, from the keyword arguments of
//! the Python API (passed down as one dict by `sledai/_visits.py`).
//!
//! Every keyword is an entry of the core's option table
//! ([`sledai::options::VISIT_OPTIONS`]: `lab_window`, `conflicts`,
//! `pga_reading`, `bilag_new_b`, ...), parsed by the table, so the names,
//! the values and the messages are the command-line tool's (docs/cli.md,
//! "Policy options"). A value reaches the table as text: a `str` as it
//! is, an `int` as its digits (`lab_window=30`), a `bool` (the switches,
//! `upcr=True`) as `true`/`false`. Absent or None: the core's default.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyInt, PyString};
use sledai::options::{VISIT_OPTIONS, visit_option};
use sledai::visit::VisitOptions;
use sledai::vocabulary::Vocabulary;

use crate::errors::to_py_err;

/// Builds `VisitOptions` from a dict of the table's keywords (absent or
/// None: the default), applied in table order.
pub(crate) fn visit_options(py: Python<'_>, options: &Bound<'_, PyDict>) -> PyResult<VisitOptions> {
    for (k, _) in options.iter() {
        let k: String = k.extract()?;
        if visit_option(&k).is_err() {
            return Err(PyTypeError::new_err(format!("unexpected option `{k}`")));
        }
    }
    let mut o = VisitOptions::default();
    for spec in VISIT_OPTIONS {
        let Some(v) = get(options, spec.name())? else {
            continue;
        };
        let is_bool = v.is_instance_of::<PyBool>();
        if spec.is_switch() && !is_bool {
            return Err(PyTypeError::new_err(format!(
                "{} must be a bool",
                spec.name()
            )));
        }
        let value = if spec.is_switch() {
            v.is_truthy()?.to_string()
        } else if let (Ok(i), false) = (v.cast::<PyInt>(), is_bool) {
            i.to_string()
        } else {
            text(&v).unwrap_or_else(|| crate::records::shown(&v))
        };
        o = spec.apply(o, &value).map_err(|e| to_py_err(py, &e))?;
    }
    Ok(o)
}

/// The core's option table, for `sledai/_visits.py` and its tests: per
/// option `(name, values, default, former spellings, is_switch)`, in table
/// order (a test checks the keyword annotations of every function against
/// it).
///
/// >>> import sledai._native as native
/// >>> table = {name: values for name, values, *_ in native._visit_option_table()}
/// >>> table["conflicts"]
/// ('error', 'keep_clinician', 'keep_laboratory')
#[pyfunction]
#[pyo3(name = "_visit_option_table")]
pub(crate) fn visit_option_table(py: Python<'_>) -> PyResult<Bound<'_, pyo3::types::PyList>> {
    let rows = pyo3::types::PyList::empty(py);
    for spec in VISIT_OPTIONS {
        rows.append((
            spec.name(),
            pyo3::types::PyTuple::new(py, spec.values())?,
            spec.default_value(),
            pyo3::types::PyTuple::new(py, spec.aliases())?,
            spec.is_switch(),
        ))?;
    }
    Ok(rows)
}

fn get<'py>(options: &Bound<'py, PyDict>, key: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
    Ok(options.get_item(key)?.filter(|v| !v.is_none()))
}

fn text(v: &Bound<'_, PyAny>) -> Option<String> {
    v.cast::<PyString>().ok().map(|s| s.to_string())
}

/// A value of a core vocabulary from its identifier (or a former spelling
/// the vocabulary still reads); an unknown one is an error naming the
/// keyword (the vocabulary's name) and listing its identifiers.
pub(crate) fn named<T: Vocabulary + std::str::FromStr>(
    py: Python<'_>,
    v: &Bound<'_, PyAny>,
) -> PyResult<T> {
    text(v)
        .and_then(|s| s.parse::<T>().ok())
        .ok_or_else(|| unknown_value(py, T::NAME, v, &T::IDS.join(", ")))
}

fn unknown_value(py: Python<'_>, field: &str, v: &Bound<'_, PyAny>, expected: &str) -> PyErr {
    let value = text(v).unwrap_or_else(|| crate::records::shown(v));
    let candidates = expected.split(", ");
    let suggestion = candidates
        .clone()
        .find(|c| c.eq_ignore_ascii_case(&value) || c.replace('_', "-") == value);
    crate::errors::unknown_keyword(py, field, &value, expected, suggestion)
}
