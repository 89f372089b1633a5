//! `sledai.adam`: the core's ADaM BDS-shaped records
//! ([`sledai::adam::evaluate`]) of a cohort built as `sledai.cohort` builds
//! it ([`sledai::timeline::Cohort::from_records`]). The columns, their order, kinds and
//! cells are the core's ADaM layout ([`sledai::table::output::adam_columns`]),
//! built into typed columns by the same code as `assess_frame`'s and
//! `cohort`'s (`sledai::table::typed::TableBuilder`).

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use sledai::adam::{
    self, AdamOptions, AdyConvention, AnalysisSelection, AnalysisWindow, Parameter,
};
use sledai::table::output;
use sledai::table::typed::TableBuilder;
use sledai::timeline::{TimelineOptions, Window};

use crate::options::{named, visit_options};
use crate::records::{core_err, serialize};
use crate::visits::{cohort_of, table_to_py, threads_of};

/// The ADaM records of a cohort (internal: use ``sledai.adam``).
///
/// ``windows`` is a list of ``(target_day, days_before, days_after)``
/// (``sledai.cohort``'s), ``window_table`` the text of a window table (CSV,
/// ``AVISIT, AVISITN, AWTARGET, AWLO, AWHI``) or None; ``parameter_codes``
/// a list of ``(parameter, code)``. With ``flat`` the result is a list of
/// ``(name, kind, values, mask, states)`` columns (the core's ADaM layout,
/// the tool's CSV), else a list of dicts (its JSON lines).
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
    signature = (visits, windows, window_table, ady_convention, analysis_selection, parameter_codes, allow_duplicate_dates, options, flat, threads=None)
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
    threads: Option<usize>,
) -> PyResult<Bound<'py, PyAny>> {
    let o = visit_options(py, options)?;
    let threads = threads_of(py, threads)?;
    let ady: AdyConvention = named(py, ady_convention)?;
    let selection: AnalysisSelection = named(py, analysis_selection)?;
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
    let mut timeline = TimelineOptions::default().with_threads(threads);
    if allow_duplicate_dates {
        timeline = timeline.with_duplicate_dates(true);
    }
    let cohort = cohort_of(py, visits, &timeline.with_visit(o))?;
    let dataset = adam::evaluate(&cohort, adam_options).map_err(|e| core_err(py, e, None))?;
    if flat {
        // Each subject's records become cells as they are derived.
        let table = py.detach(|| {
            let mut table = TableBuilder::new(output::adam_columns(), 0);
            for r in dataset.records() {
                table.push(&r);
            }
            table.finish()
        });
        return Ok(table_to_py(py, table)?.into_any());
    }
    let out = PyList::empty(py);
    for r in dataset.records() {
        out.append(serialize(py, &r)?)?;
    }
    Ok(out.into_any())
}
