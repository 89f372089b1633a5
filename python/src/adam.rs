//! `sledai.adam`: the core's ADaM BDS-shaped records
//! ([`sledai::adam::evaluate`]) of a cohort built as `sledai.cohort` builds
//! it ([`sledai::timeline::Cohort::from_records`]). The columns, their order and kinds are
//! the core's [`sledai::adam::VARIABLES`]; each cell is the core's
//! [`sledai::adam::Cell`]; this module only moves them into numpy arrays
//! and lists.

use numpy::PyArray1;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};
use sledai::adam::{
    self, AdamOptions, AdyConvention, AnalysisSelection, AnalysisWindow, Cell, CellKind, Parameter,
    Record, VARIABLES,
};
use sledai::timeline::{TimelineOptions, Window};
use sledai::vocabulary::Vocabulary;

use crate::options::{named, visit_options};
use crate::records::{core_err, serialize};
use crate::visits::{cohort_err, visits};

/// `None` when no cell is masked (the shape `sledai._visits._build` reads).
fn any_mask(py: Python<'_>, m: Vec<bool>) -> Bound<'_, PyAny> {
    if m.iter().any(|&b| b) {
        PyArray1::from_vec(py, m).into_any()
    } else {
        py.None().into_bound(py)
    }
}

/// One output column.
enum Column {
    Int(Vec<i64>, Vec<bool>),
    Float(Vec<f64>, Vec<bool>),
    Text(Vec<Option<String>>),
}

fn columns(records: impl Iterator<Item = Record>) -> Vec<Column> {
    let mut cols: Vec<Column> = VARIABLES
        .iter()
        .map(|v| match v.kind {
            CellKind::Int => Column::Int(Vec::new(), Vec::new()),
            CellKind::Float => Column::Float(Vec::new(), Vec::new()),
            _ => Column::Text(Vec::new()),
        })
        .collect();
    for r in records {
        for (col, cell) in cols.iter_mut().zip(r.cells()) {
            match (col, cell) {
                (Column::Int(v, m), Cell::Int(i)) => {
                    v.push(i);
                    m.push(false);
                }
                (Column::Int(v, m), _) => {
                    v.push(0);
                    m.push(true);
                }
                (Column::Float(v, m), Cell::Float(x)) => {
                    v.push(x);
                    m.push(false);
                }
                (Column::Float(v, m), _) => {
                    v.push(f64::NAN);
                    m.push(true);
                }
                (Column::Text(v), Cell::Text(t)) => v.push(Some(t.to_owned())),
                (Column::Text(v), Cell::Date(d)) => v.push(Some(d.to_string())),
                (Column::Text(v), _) => v.push(None),
            }
        }
    }
    cols
}

fn into_py<'py>(py: Python<'py>, cols: Vec<Column>) -> PyResult<Bound<'py, PyList>> {
    let out = PyList::empty(py);
    for (v, col) in VARIABLES.iter().zip(cols) {
        let item = match col {
            Column::Int(values, mask) => (
                v.name,
                "int",
                PyArray1::from_vec(py, values).into_any(),
                any_mask(py, mask),
                PyTuple::empty(py),
            ),
            Column::Float(values, mask) => (
                v.name,
                "float",
                PyArray1::from_vec(py, values).into_any(),
                any_mask(py, mask),
                PyTuple::empty(py),
            ),
            Column::Text(values) => {
                let cells: Vec<Bound<'py, PyAny>> = values
                    .into_iter()
                    .map(|c| match c {
                        Some(t) => PyString::new(py, &t).into_any(),
                        None => py.None().into_bound(py),
                    })
                    .collect();
                (
                    v.name,
                    "str",
                    PyList::new(py, cells)?.into_any(),
                    py.None().into_bound(py),
                    PyTuple::empty(py),
                )
            }
        };
        out.append(item)?;
    }
    Ok(out)
}

/// The ADaM records of a cohort (internal: use ``sledai.adam``).
///
/// ``windows`` is a list of ``(target_day, days_before, days_after)``
/// (``sledai.cohort``'s), ``window_table`` the text of a window table (CSV,
/// ``AVISIT, AVISITN, AWTARGET, AWLO, AWHI``) or None; ``parameter_codes``
/// a list of ``(parameter, code)``. With ``flat`` the result is a list of
/// ``(name, kind, values, mask)`` columns (the tool's CSV), else a list of
/// dicts (its JSON lines).
///
/// >>> import sledai._native as native
/// >>> rows = [{"patient": "P1", "date": "2024-01-01", "present": ["rash"]},
/// ...         {"patient": "P1", "date": "2024-03-31", "present": []}]
/// >>> records = native._adam(rows, [(90, 14, 14)], None, "adam", "closest", [], False, {}, False)
/// >>> [(r["ADY"], r["AVISIT"], r["CHG"]) for r in records if r["PARAMCD"] == "SLEDAI"]
/// [(1, 'Baseline', 0.0), (91, 'Day 90', -2.0)]
#[pyfunction]
#[pyo3(
    name = "_adam",
    signature = (visits, windows, window_table, ady_convention, analysis_selection, parameter_codes, allow_duplicate_dates, options, flat)
)]
#[allow(clippy::too_many_arguments)]
pub(crate) fn adam_py<'py>(
    py: Python<'py>,
    visits: &Bound<'py, PyAny>,
    windows: Vec<(i32, u16, u16)>,
    window_table: Option<String>,
    ady_convention: &Bound<'py, PyAny>,
    analysis_selection: &Bound<'py, PyAny>,
    parameter_codes: Vec<(String, String)>,
    allow_duplicate_dates: bool,
    options: &Bound<'py, PyDict>,
    flat: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let o = visit_options(py, options)?;
    let ady: AdyConvention = named(
        py,
        AdyConvention::NAME,
        ady_convention,
        AdyConvention::EXPECTED,
    )?;
    let selection: AnalysisSelection = named(
        py,
        AnalysisSelection::NAME,
        analysis_selection,
        AnalysisSelection::EXPECTED,
    )?;
    let windows = match window_table {
        Some(text) => adam::parse_window_table(&text, ady).map_err(|e| core_err(py, e, None))?,
        None => AnalysisWindow::days(
            windows
                .into_iter()
                .map(|(day, before, after)| Window::asymmetric(day, before, after)),
        ),
    };
    let mut adam_options = AdamOptions::default()
        .with_windows(windows)
        .with_ady(ady)
        .with_selection(selection);
    for (p, code) in parameter_codes {
        let p: Parameter = p.parse().map_err(|e| core_err(py, e, None))?;
        adam_options = adam_options.with_parameter_code(p, code);
    }
    let mut timeline = TimelineOptions::default();
    if allow_duplicate_dates {
        timeline = timeline.with_duplicate_dates(true);
    }
    let inputs = self::visits(py, visits)?;
    let cohort = py
        .detach(|| sledai::timeline::Cohort::from_records(inputs, &timeline.with_visit(o)))
        .map_err(|e| cohort_err(py, &e, visits))?;
    let dataset = adam::evaluate(&cohort, adam_options).map_err(|e| core_err(py, e, None))?;
    if flat {
        // Each subject's records become cells as they are derived.
        let cols = py.detach(|| columns(dataset.records()));
        return Ok(into_py(py, cols)?.into_any());
    }
    let out = PyList::empty(py);
    for r in dataset.records() {
        out.append(serialize(py, &r)?)?;
    }
    Ok(out.into_any())
}
