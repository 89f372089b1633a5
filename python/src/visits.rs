//! `sledai.assess_frame` and `sledai.cohort`: many visit records through
//! the core's `visit::PatientStream` (row order) or `timeline::Cohort::from_records` +
//! `Cohort::summarize`, the same calls as `sledai score` and `sledai
//! cohort`.
//!
//! Visits arrive either as a list of mappings (each a full visit record,
//! parsed by the core's serde implementation) or as the typed columns of a
//! data frame. A frame's flat per-visit results are the core's
//! `sledai::table::frame::assess` (columns in, typed columns out, on the
//! core's threads; see `frame::assessed`); otherwise the core turns the
//! columns into records (`sledai::table::column::visits`; see
//! `frame::typed_visits`).
//!
//! Results come back either nested (the serde form of `VisitResult` /
//! `PatientSummary`, the JSON Lines output of the tool) or flat: the
//! core's typed columns (`sledai::table::typed`, in the layouts of
//! `sledai::table::output`, the tool's CSV columns), handed over as
//! `(name, kind, values, mask, states)` tuples of numpy arrays that
//! `sledai/_visits.py` turns into a pandas or polars DataFrame or a dict of
//! numpy arrays.

use numpy::PyArray1;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;

use pyo3::types::{PyDict, PyList, PyString, PyTuple};
use sledai::table::frame::FrameOptions;
use sledai::table::output::{self, VisitColumns};
use sledai::table::typed::{ColumnData, TableBuilder, TypedTable};
use sledai::timeline::{SummaryOptions, TimeAttribution, TimelineOptions, Window};
use sledai::visit::{PatientStream, VisitInput};
use sledai::{Error, Score, Threads};

use crate::errors::Failure;
use crate::options::{named, visit_options};
use crate::records::{core_err, from_value, serialize, to_value};

// ------------------------------------------------------------------ input

/// The number of threads of the keyword `threads` (None: every core).
pub(crate) fn threads_of(py: Python<'_>, threads: Option<usize>) -> PyResult<Threads> {
    threads.map_or(Ok(Threads::AVAILABLE), |n| {
        Threads::new(n).map_err(|e| core_err(py, e, None))
    })
}

/// The visits of `source`: a list of mappings, or a frame's columns
/// `(names, rename, extra, columns, n_rows)` (see `frame::typed_visits`).
pub(crate) fn visits(
    py: Python<'_>,
    source: &Bound<'_, PyAny>,
    threads: Threads,
) -> PyResult<Vec<VisitInput>> {
    if let Ok(t) = source.cast::<PyTuple>() {
        return crate::frame::typed_visits(py, t, threads);
    }
    let list = source
        .cast::<PyList>()
        .map_err(|_| PyTypeError::new_err("visits must be a list of mappings"))?;
    let mut out = Vec::with_capacity(list.len());
    for (i, item) in list.iter().enumerate() {
        if item.cast::<pyo3::types::PyMapping>().is_err() {
            return Err(PyTypeError::new_err(format!(
                "row {i}: a visit record must be a mapping, not {}",
                item.get_type().name()?
            )));
        }
        let value = to_value(py, &item, "", Some(i))?;
        out.push(from_value(py, &value, "", Some(i))?);
    }
    Ok(out)
}

// ----------------------------------------------------------------- output

/// `(kind, values, mask or None)` of one typed column of the core
/// (`sledai::table::typed`) for `sledai/_visits.py`: numpy arrays, text as
/// a list of str/None.
fn column_to_py<'py>(
    py: Python<'py>,
    data: ColumnData,
) -> PyResult<(&'static str, Bound<'py, PyAny>, Bound<'py, PyAny>)> {
    let mask = |py: Python<'py>, m: Vec<bool>| {
        if m.iter().any(|&b| b) {
            PyArray1::from_vec(py, m).into_any()
        } else {
            py.None().into_bound(py)
        }
    };
    Ok(match data {
        ColumnData::SmallInteger { values, empty, .. } => (
            "small",
            PyArray1::from_vec(py, values).into_any(),
            mask(py, empty),
        ),
        ColumnData::Integer { values, empty, .. } => (
            "int",
            PyArray1::from_vec(py, values).into_any(),
            mask(py, empty),
        ),
        ColumnData::Number { values, empty, .. } => (
            "float",
            PyArray1::from_vec(py, values).into_any(),
            mask(py, empty),
        ),
        ColumnData::Boolean { values, empty, .. } => (
            "bool",
            PyArray1::from_vec(py, values).into_any(),
            mask(py, empty),
        ),
        ColumnData::State { codes, .. } => (
            "state",
            PyArray1::from_vec(py, codes).into_any(),
            py.None().into_bound(py),
        ),
        ColumnData::Date { days, empty, .. } => (
            "date",
            PyArray1::from_vec(py, days).into_any(),
            mask(py, empty),
        ),
        ColumnData::Text {
            bytes, ends, empty, ..
        } => {
            // Repeated texts (patients, lists) share one Python string;
            // consecutive rows of one patient are the common case. An
            // object array, not a list: pandas and numpy take it as is.
            let none = py.None();
            let mut cells: Vec<Py<PyAny>> = Vec::with_capacity(ends.len());
            let mut last: Option<(usize, usize, Py<PyAny>)> = None;
            let mut start = 0;
            for (&end, &null) in ends.iter().zip(&empty) {
                if null {
                    cells.push(none.clone_ref(py));
                } else {
                    let text = &bytes[start..end];
                    let same = last
                        .as_ref()
                        .is_some_and(|(a, b, _)| &bytes[*a..*b] == text);
                    if !same {
                        let s = std::str::from_utf8(text).unwrap_or_default();
                        last = Some((start, end, PyString::new(py, s).into_any().unbind()));
                    }
                    if let Some((_, _, obj)) = &last {
                        cells.push(obj.clone_ref(py));
                    }
                }
                start = end;
            }
            (
                "str",
                PyArray1::from_vec(py, cells).into_any(),
                py.None().into_bound(py),
            )
        }
        _ => return Err(PyTypeError::new_err("an output column of an unknown kind")),
    })
}

/// A typed table of the core as a list of `(name, kind, values, mask,
/// states)`.
pub(crate) fn table_to_py<'py>(py: Python<'py>, table: TypedTable) -> PyResult<Bound<'py, PyList>> {
    let out = PyList::empty(py);
    for c in table.into_columns() {
        let (name, states) = (c.name().to_owned(), c.states());
        let (kind, values, mask) = column_to_py(py, c.into_data())?;
        out.append((name, kind, values, mask, PyTuple::new(py, states)?))?;
    }
    Ok(out)
}

// -------------------------------------------------------------- functions

/// Assesses visits in row order with one `PatientStream` (internal: use
/// ``sledai.assess_frame``).
///
/// ``visits`` is a list of visit-record mappings or a frame's ``(names,
/// rename, extra, columns, n_rows)``. With ``flat`` the result is a list of
/// ``(name, kind, values, mask, states)`` columns (the core's output
/// layout, the tool's CSV columns, or the ``columns`` selected from it),
/// else a list of dicts (the tool's JSON records).
///
/// >>> import sledai._native as native
/// >>> native._assess([{"patient": "P1", "date": "2024-01-01", "present": ["rash"]}], {}, False)[0]["sledai_2k"]
/// 2
#[pyfunction]
#[pyo3(name = "_assess", signature = (visits, options, flat, columns=None, threads=None))]
pub(crate) fn assess_py<'py>(
    py: Python<'py>,
    visits: &Bound<'py, PyAny>,
    options: &Bound<'py, PyDict>,
    flat: bool,
    columns: Option<Vec<String>>,
    threads: Option<usize>,
) -> PyResult<Bound<'py, PyAny>> {
    let o = visit_options(py, options)?;
    let threads = threads_of(py, threads)?;
    let layout = match &columns {
        Some(names) => {
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            VisitColumns::select(&names).map_err(|e| core_err(py, e, None))?
        }
        None => VisitColumns::all(),
    };
    if flat {
        if let Ok(t) = visits.cast::<PyTuple>() {
            // Columns in, typed columns out, in the core (on its threads).
            let frame = FrameOptions::from(o)
                .with_columns(layout.clone())
                .with_threads(threads);
            if let Some(table) = crate::frame::assessed(py, t, frame)? {
                return Ok(table_to_py(py, table)?.into_any());
            }
        }
    }
    let inputs = self::visits(py, visits, threads)?;
    let mut stream = PatientStream::new(o);
    let assess = |stream: &mut PatientStream, i: usize, v: &VisitInput| {
        stream.assess(v).map_err(|e| Failure::AtRow(i, e))
    };
    if flat {
        // Each result becomes its row at once and is dropped: the results
        // (with their criterion texts) are never all held in memory.
        let mut table = TableBuilder::new(layout.columns(), inputs.len());
        py.detach(|| {
            for (i, v) in inputs.iter().enumerate() {
                table.push(&assess(&mut stream, i, v)?);
            }
            Ok::<(), Failure>(())
        })
        .map_err(|e| e.into_py(py))?;
        return Ok(table_to_py(py, table.finish())?.into_any());
    }
    let out = PyList::empty(py);
    for (i, v) in inputs.iter().enumerate() {
        let r = assess(&mut stream, i, v).map_err(|e| e.into_py(py))?;
        out.append(serialize(py, &r)?)?;
    }
    Ok(out.into_any())
}

/// The cohort of `source` (a list of mappings, or a frame's columns as
/// for [`visits`]): a frame's straight from its columns
/// (`table::frame::cohort`), else from its records
/// (`timeline::Cohort::from_records`); the GIL released while the core
/// builds it.
pub(crate) fn cohort_of(
    py: Python<'_>,
    source: &Bound<'_, PyAny>,
    options: &TimelineOptions,
) -> PyResult<sledai::timeline::Cohort> {
    let built = match source.cast::<PyTuple>() {
        Ok(t) => crate::frame::cohort(py, t, options)?,
        Err(_) => None,
    };
    let built = match built {
        Some(built) => built,
        None => {
            let inputs = self::visits(py, source, options.threads())?;
            py.detach(|| sledai::timeline::Cohort::from_records(inputs, options))
        }
    };
    built.map_err(|e| cohort_err(py, &e, source))
}

/// A cohort error as a Python exception. Two visits of one patient on one
/// date are named by their rows (list positions, frame rows), found from
/// the patient and the date the core's error gives in the records of
/// `source` (read again: only an error pays for it), with `row` set to the
/// second of them and the Python keyword that allows it; every other error
/// goes through the one mapping, `errors::to_py_err`.
pub(crate) fn cohort_err(py: Python<'_>, e: &Error, source: &Bound<'_, PyAny>) -> PyErr {
    if let Error::InPatient {
        patient, source: s, ..
    } = e
    {
        if let Error::InvalidValue {
            field: "date",
            value,
            ..
        } = s.as_ref()
        {
            let rows: Vec<usize> = self::visits(py, source, Threads::AVAILABLE)
                .unwrap_or_default()
                .iter()
                .enumerate()
                .filter(|(_, v)| {
                    v.patient.as_deref() == Some(&**patient)
                        && v.date.is_some_and(|d| *d.to_string() == **value)
                })
                .map(|(i, _)| i)
                .take(2)
                .collect();
            if let [first, second] = rows[..] {
                let err = crate::errors::invalid_value(
                    py,
                    format!(
                        "row {second}: patient `{patient}`: date: rows {first} and {second} \
                         are both on {value}; pass allow_duplicate_dates=True to allow \
                         visits on one date"
                    ),
                    "date",
                    value.to_string(),
                    Some(second),
                );
                let _ = err.value(py).setattr("patient", &**patient);
                return err;
            }
        }
    }
    crate::errors::to_py_err(py, e)
}

/// Builds a cohort and summarizes it (internal: use ``sledai.cohort``).
///
/// ``windows`` is a list of ``(target_day, days_before, days_after)``.
/// Returns ``(patients, summary)``: ``patients`` flat columns (the tool's
/// cohort CSV) or a list of dicts (its JSON lines), ``summary`` the cohort
/// summary as a dict.
///
/// >>> import sledai._native as native
/// >>> rows = [{"patient": "P1", "date": "2024-01-01", "present": ["rash"]},
/// ...         {"patient": "P1", "date": "2024-03-31", "present": []}]
/// >>> patients, summary = native._cohort(rows, [(90, 14, 14)], "carry_forward", None, None, False, {}, False)
/// >>> patients[0]["endpoints"][0]["endpoint"]["visit"]["change_from_baseline"]["absolute"], summary["n"]
/// (-2, 1)
#[pyfunction]
#[pyo3(
    name = "_cohort",
    signature = (visits, windows, attribution, sustained_days, screening_threshold, allow_duplicate_dates, options, flat, threads=None)
)]
#[allow(clippy::too_many_arguments)]
pub(crate) fn cohort_py<'py>(
    py: Python<'py>,
    visits: &Bound<'py, PyAny>,
    windows: Vec<(i32, u16, u16)>,
    attribution: &Bound<'py, PyAny>,
    sustained_days: Option<u32>,
    screening_threshold: Option<u8>,
    allow_duplicate_dates: bool,
    options: &Bound<'py, PyDict>,
    flat: bool,
    threads: Option<usize>,
) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyAny>)> {
    let o = visit_options(py, options)?;
    let threads = threads_of(py, threads)?;
    let windows: Vec<Window> = windows
        .into_iter()
        .map(|(day, before, after)| Window::asymmetric(day, before, after))
        .collect();
    let attribution: TimeAttribution = named(py, attribution)?;
    let mut summary = SummaryOptions::new(windows.iter().copied())
        .with_attribution(attribution)
        .with_threads(threads);
    if let Some(d) = sustained_days {
        summary = summary.with_sustained_days(d);
    }
    if let Some(t) = screening_threshold {
        summary =
            summary.with_screening_threshold(Score::new(t).map_err(|e| core_err(py, e, None))?);
    }
    let mut timeline = TimelineOptions::default().with_threads(threads);
    if allow_duplicate_dates {
        timeline = timeline.with_duplicate_dates(true);
    }
    let cohort = self::cohort_of(py, visits, &timeline.with_visit(o))?;
    let report = py.detach(|| cohort.summarize(&summary));
    let cohort = serialize(py, &report.summary)?;
    if flat {
        let layout = output::patient_columns(&windows, None);
        let mut table = TableBuilder::new(&layout, report.patients.len());
        for p in &report.patients {
            table.push(p);
        }
        return Ok((table_to_py(py, table.finish())?.into_any(), cohort));
    }
    let out = PyList::empty(py);
    for p in &report.patients {
        out.append(serialize(py, p)?)?;
    }
    Ok((out.into_any(), cohort))
}
