//! `sledai.assess_frame` and `sledai.cohort`: many visit records through
//! the core's `visit::PatientStream` (row order) or `timeline::Cohort::from_records` +
//! `Cohort::summarize`, the same calls as `sledai score` and `sledai
//! cohort`.
//!
//! Visits arrive either as a list of mappings (each a full visit record,
//! parsed by the core's serde implementation) or as the typed columns of a
//! data frame, which the core turns into records
//! (`sledai::table::column::visits`: the cell rules, no per-row map; see
//! `frame::typed_visits`).
//!
//! Results come back either nested (the serde form of `VisitResult` /
//! `PatientSummary`, the JSON Lines output of the tool) or flat: typed
//! columns in the core's output layout (`sledai::table::output`, the
//! tool's CSV columns), as `(name, kind, values, mask, states)` tuples that
//! `sledai/_visits.py` turns into a pandas or polars DataFrame or a dict of
//! numpy arrays.

use numpy::PyArray1;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;

use pyo3::types::{PyDict, PyList, PyString, PyTuple};
use sledai::table::column::days_since_epoch;
use sledai::table::output::{self, Cell, OutputColumn, OutputKind};
use sledai::timeline::{SummaryOptions, TimeAttribution, TimelineOptions, Window};
use sledai::visit::{PatientStream, VisitInput};
use sledai::{Error, Score};

use crate::errors::Failure;
use crate::options::{named, visit_options};
use crate::records::{core_err, from_value, serialize, to_value};

// ------------------------------------------------------------------ input

/// The visits of `source`: a list of mappings, or a frame's columns
/// `(names, rename, extra, columns, n_rows)` (see `frame::typed_visits`).
pub(crate) fn visits(py: Python<'_>, source: &Bound<'_, PyAny>) -> PyResult<Vec<VisitInput>> {
    if let Ok(t) = source.cast::<PyTuple>() {
        return crate::frame::typed_visits(py, t);
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

/// Typed output columns under construction, one per column of the core's
/// layout (`sledai::table::output`): every layout's (`assess_frame`,
/// `cohort`, `adam`).
enum Data {
    Small(Vec<i16>, Vec<bool>),
    Int(Vec<i64>, Vec<bool>),
    Float(Vec<f64>, Vec<bool>),
    Bool(Vec<bool>, Vec<bool>),
    /// Codes into the column's vocabulary, -1 for empty.
    State(Vec<i8>),
    /// Days since 1970-01-01.
    Date(Vec<i32>, Vec<bool>),
    /// Text, one buffer: cell `i` ends at `ends[i]`.
    Text(Vec<u8>, Vec<usize>, Vec<bool>),
}

impl Data {
    fn new(kind: OutputKind, n: usize) -> Data {
        match kind {
            OutputKind::SmallInteger => Data::Small(Vec::with_capacity(n), Vec::with_capacity(n)),
            OutputKind::Integer => Data::Int(Vec::with_capacity(n), Vec::with_capacity(n)),
            OutputKind::Number => Data::Float(Vec::with_capacity(n), Vec::with_capacity(n)),
            OutputKind::Boolean => Data::Bool(Vec::with_capacity(n), Vec::with_capacity(n)),
            OutputKind::State => Data::State(Vec::with_capacity(n)),
            OutputKind::Date => Data::Date(Vec::with_capacity(n), Vec::with_capacity(n)),
            _ => Data::Text(Vec::new(), Vec::with_capacity(n), Vec::with_capacity(n)),
        }
    }

    /// Appends one cell. A cell of another kind than the column's is
    /// empty (the layout gives each column one kind), except a date in a
    /// text column (ADaM's `ADT`), which is its ISO 8601 text.
    fn push(&mut self, cell: Cell<'_>) {
        match self {
            Data::Small(v, m) => {
                let x = match cell {
                    Cell::Integer(x) => i16::try_from(x).ok(),
                    _ => None,
                };
                v.push(x.unwrap_or(0));
                m.push(x.is_none());
            }
            Data::Int(v, m) => {
                let x = match cell {
                    Cell::Integer(x) => Some(x),
                    _ => None,
                };
                v.push(x.unwrap_or(0));
                m.push(x.is_none());
            }
            Data::Float(v, m) => {
                let x = match cell {
                    Cell::Number(x) => Some(x),
                    _ => None,
                };
                v.push(x.unwrap_or(f64::NAN));
                m.push(x.is_none());
            }
            Data::Bool(v, m) => {
                let x = match cell {
                    Cell::Boolean(x) => Some(x),
                    _ => None,
                };
                v.push(x.unwrap_or(false));
                m.push(x.is_none());
            }
            Data::State(v) => v.push(match cell {
                Cell::State(c) => i8::try_from(c).unwrap_or(-1),
                _ => -1,
            }),
            Data::Date(v, m) => {
                let x = match cell {
                    Cell::Date(d) => Some(days_since_epoch(d)),
                    _ => None,
                };
                v.push(x.unwrap_or(0));
                m.push(x.is_none());
            }
            Data::Text(bytes, ends, m) => {
                match cell {
                    Cell::Text(t) => bytes.extend_from_slice(t.as_bytes()),
                    Cell::Date(d) => {
                        use std::io::Write;
                        let _ = write!(bytes, "{d}");
                    }
                    Cell::List(ids) => {
                        for (i, id) in ids.iter().enumerate() {
                            if i > 0 {
                                bytes.push(b';');
                            }
                            bytes.extend_from_slice(id.as_bytes());
                        }
                    }
                    _ => {}
                }
                ends.push(bytes.len());
                m.push(matches!(cell, Cell::Empty));
            }
        }
    }

    /// `(kind, values, mask or None)` for `sledai/_visits.py`.
    fn into_py<'py>(
        self,
        py: Python<'py>,
    ) -> PyResult<(&'static str, Bound<'py, PyAny>, Bound<'py, PyAny>)> {
        let mask = |py: Python<'py>, m: Vec<bool>| {
            if m.iter().any(|&b| b) {
                PyArray1::from_vec(py, m).into_any()
            } else {
                py.None().into_bound(py)
            }
        };
        Ok(match self {
            Data::Small(v, m) => ("small", PyArray1::from_vec(py, v).into_any(), mask(py, m)),
            Data::Int(v, m) => ("int", PyArray1::from_vec(py, v).into_any(), mask(py, m)),
            Data::Float(v, m) => ("float", PyArray1::from_vec(py, v).into_any(), mask(py, m)),
            Data::Bool(v, m) => ("bool", PyArray1::from_vec(py, v).into_any(), mask(py, m)),
            Data::State(v) => (
                "state",
                PyArray1::from_vec(py, v).into_any(),
                py.None().into_bound(py),
            ),
            Data::Date(v, m) => ("date", PyArray1::from_vec(py, v).into_any(), mask(py, m)),
            Data::Text(bytes, ends, m) => {
                // Repeated texts (patients, lists) share one Python string;
                // consecutive rows of one patient are the common case.
                let mut cells = Vec::with_capacity(ends.len());
                let mut last: Option<(usize, usize, Bound<'py, PyAny>)> = None;
                let mut start = 0;
                for (&end, &null) in ends.iter().zip(&m) {
                    if null {
                        cells.push(py.None().into_bound(py));
                    } else {
                        let text = &bytes[start..end];
                        let same = last
                            .as_ref()
                            .is_some_and(|(a, b, _)| &bytes[*a..*b] == text);
                        if !same {
                            let s = std::str::from_utf8(text).unwrap_or_default();
                            last = Some((start, end, PyString::new(py, s).into_any()));
                        }
                        if let Some((_, _, obj)) = &last {
                            cells.push(obj.clone());
                        }
                    }
                    start = end;
                }
                (
                    "str",
                    PyList::new(py, cells)?.into_any(),
                    py.None().into_bound(py),
                )
            }
        })
    }
}

/// The typed columns of `columns` filled row by row.
pub(crate) struct Table<'l, R: 'static> {
    columns: Vec<(&'l OutputColumn<R>, Data)>,
}

impl<'l, R: 'static> Table<'l, R> {
    pub(crate) fn new(layout: &'l [OutputColumn<R>], n: usize) -> Table<'l, R> {
        Table {
            columns: layout.iter().map(|c| (c, Data::new(c.kind(), n))).collect(),
        }
    }

    pub(crate) fn push(&mut self, r: &R) {
        for (c, d) in &mut self.columns {
            d.push(c.cell(r));
        }
    }

    /// A list of `(name, kind, values, mask, states)`.
    pub(crate) fn into_py<'py>(self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let out = PyList::empty(py);
        for (c, d) in self.columns {
            let (kind, values, mask) = d.into_py(py)?;
            out.append((c.name(), kind, values, mask, PyTuple::new(py, c.states())?))?;
        }
        Ok(out)
    }
}

// -------------------------------------------------------------- functions

/// Assesses visits in row order with one `PatientStream` (internal: use
/// ``sledai.assess_frame``).
///
/// ``visits`` is a list of visit-record mappings or a frame's ``(names,
/// rename, extra, columns, n_rows)``. With ``flat`` the result is a list of
/// ``(name, kind, values, mask, states)`` columns (the core's output
/// layout, the tool's CSV columns), else a list of dicts (the tool's JSON
/// records).
///
/// >>> import sledai._native as native
/// >>> native._assess([{"patient": "P1", "date": "2024-01-01", "present": ["rash"]}], {}, False)[0]["sledai_2k"]
/// 2
#[pyfunction]
#[pyo3(name = "_assess", signature = (visits, options, flat))]
pub(crate) fn assess_py<'py>(
    py: Python<'py>,
    visits: &Bound<'py, PyAny>,
    options: &Bound<'py, PyDict>,
    flat: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let o = visit_options(py, options)?;
    let inputs = self::visits(py, visits)?;
    let mut stream = PatientStream::new(o);
    let assess = |stream: &mut PatientStream, i: usize, v: &VisitInput| {
        stream.assess(v).map_err(|e| Failure::AtRow(i, e))
    };
    if flat {
        // Each result becomes its row at once and is dropped: the results
        // (with their criterion texts) are never all held in memory.
        let mut table = Table::new(output::visit_columns(), inputs.len());
        py.detach(|| {
            for (i, v) in inputs.iter().enumerate() {
                table.push(&assess(&mut stream, i, v)?);
            }
            Ok::<(), Failure>(())
        })
        .map_err(|e| e.into_py(py))?;
        return Ok(table.into_py(py)?.into_any());
    }
    let out = PyList::empty(py);
    for (i, v) in inputs.iter().enumerate() {
        let r = assess(&mut stream, i, v).map_err(|e| e.into_py(py))?;
        out.append(serialize(py, &r)?)?;
    }
    Ok(out.into_any())
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
            let rows: Vec<usize> = self::visits(py, source)
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
    signature = (visits, windows, attribution, sustained_days, screening_threshold, allow_duplicate_dates, options, flat)
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
) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyAny>)> {
    let o = visit_options(py, options)?;
    let windows: Vec<Window> = windows
        .into_iter()
        .map(|(day, before, after)| Window::asymmetric(day, before, after))
        .collect();
    let attribution: TimeAttribution = named(py, attribution)?;
    let mut summary = SummaryOptions::new(windows.iter().copied()).with_attribution(attribution);
    if let Some(d) = sustained_days {
        summary = summary.with_sustained_days(d);
    }
    if let Some(t) = screening_threshold {
        summary =
            summary.with_screening_threshold(Score::new(t).map_err(|e| core_err(py, e, None))?);
    }
    let mut timeline = TimelineOptions::default();
    if allow_duplicate_dates {
        timeline = timeline.with_duplicate_dates(true);
    }
    let inputs = self::visits(py, visits)?;
    let report = py
        .detach(|| {
            sledai::timeline::Cohort::from_records(inputs, &timeline.with_visit(o))
                .map(|c| c.summarize(&summary))
        })
        .map_err(|e| cohort_err(py, &e, visits))?;
    let cohort = serialize(py, &report.summary)?;
    if flat {
        let layout = output::patient_columns(&windows, None);
        let mut table = Table::new(&layout, report.patients.len());
        for p in &report.patients {
            table.push(p);
        }
        return Ok((table.into_py(py)?.into_any(), cohort));
    }
    let out = PyList::empty(py);
    for p in &report.patients {
        out.append(serialize(py, p)?)?;
    }
    Ok((out.into_any(), cohort))
}
