//! `sledai.assess_frame` and `sledai.cohort`: many visit records through
//! the core's `visit::PatientStream` (row order) or `visit::cohort` +
//! `Cohort::summarize`, the same calls as `sledai score` and `sledai
//! cohort`.
//!
//! Visits arrive either as a list of mappings (each a full visit record,
//! parsed by the core's serde implementation) or as the columns of a data
//! frame: the 24 descriptor columns as numpy buffers (the `score_frame`
//! plumbing) and the other record fields as Python lists, one cell per row.
//! A frame row becomes a `VisitInput` here, in Rust: its assessment is
//! built from the descriptor buffers, its other fields go through the same
//! serde implementation as a JSON record (a cell that is `None` is left
//! out, i.e. not recorded).
//!
//! Results come back either nested (the serde form of `VisitResult` /
//! `PatientSummary`, the JSON Lines output of the tool) or flat: named
//! columns with exactly the tool's CSV columns (docs/cli.md), as
//! `(name, kind, values, mask)` tuples that `sledai/_visits.py` turns into a
//! pandas or polars DataFrame or a dict of numpy arrays.

use numpy::PyArray1;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use std::collections::HashMap;

use pyo3::types::{PyDict, PyList, PyString, PyTuple};
use serde_json::{Map, Value};
use sledai::target::Criterion;
use sledai::timeline::{
    Endpoint, PatientSummary, Responses, StateSummary, SummaryOptions, TimeAttribution,
    TimelineOptions, Window,
};
use sledai::visit::{PatientStream, VisitInput, VisitResult};
use sledai::{Assessment, Descriptor, Error, Score, ScoreRange};

use crate::frame::{borrow, hold};
use crate::kernel::{Column, REASON, Values};
use crate::options::{named, visit_options};
use crate::records::{core_err, from_value, serialize, to_value};

/// The LLDAS criteria, in the tool's CSV column order.
const LLDAS_CRITERIA: [Criterion; 5] = [
    Criterion::LldasActivity,
    Criterion::LldasNoNewActivity,
    Criterion::LldasPga,
    Criterion::LldasGlucocorticoid,
    Criterion::LldasMaintenance,
];

/// The DORIS criteria, in the tool's CSV column order.
const DORIS_CRITERIA: [Criterion; 3] = [
    Criterion::DorisClinicalSledai,
    Criterion::DorisPga,
    Criterion::DorisGlucocorticoid,
];

// ------------------------------------------------------------------ input

/// The visits of `source`: a list of mappings, or a tuple
/// `(columns, n_rows, fields)` (see the module docs).
fn visits(py: Python<'_>, source: &Bound<'_, PyAny>) -> PyResult<Vec<VisitInput>> {
    if let Ok(t) = source.cast::<PyTuple>() {
        let (columns, n_rows, fields): (Bound<'_, PyAny>, usize, Bound<'_, PyDict>) =
            t.extract()?;
        return frame_visits(py, &columns, n_rows, &fields);
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

/// The visits of a frame: descriptor buffers plus field lists.
fn frame_visits(
    py: Python<'_>,
    columns: &Bound<'_, PyAny>,
    n: usize,
    fields: &Bound<'_, PyDict>,
) -> PyResult<Vec<VisitInput>> {
    let held = hold(py, columns)?;
    let cols = borrow(py, &held)?;
    let (present, missing) = py
        .detach(|| masks(&cols, n))
        .map_err(|e| crate::errors::to_py_err(py, &e))?;
    let mut lists: Vec<(String, Bound<'_, PyList>, bool)> = Vec::new();
    for (k, v) in fields.iter() {
        let name: String = k.extract()?;
        let list = v
            .cast_into::<PyList>()
            .map_err(|_| PyTypeError::new_err(format!("field `{name}` must be a list")))?;
        if list.len() != n {
            return Err(crate::errors::invalid_column(
                py,
                Some(&name),
                format!("column `{name}` has {} rows, expected {n}", list.len()),
            ));
        }
        // A boolean field's cells are read by the core's cell grammar
        // ("Yes", "n", 0/1, ...), not as JSON values.
        let boolean = sledai::table::Field::from_name(&name)
            .is_some_and(|f| f.kind() == sledai::table::ColumnKind::Boolean);
        lists.push((name, list, boolean));
    }
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        if lists.is_empty() {
            let a = Assessment::from_masks(present[i], missing[i])
                .map_err(|e| core_err(py, e, Some(i)))?;
            out.push(VisitInput::new(a));
            continue;
        }
        let mut map = Map::new();
        map.insert("present".to_owned(), Value::Array(Vec::new()));
        // `bilag_<system>` columns make up the record's `bilag` object.
        let mut grades = Map::new();
        for (name, list, boolean) in &lists {
            let cell = list.get_item(i)?;
            if cell.is_none() {
                continue;
            }
            if *boolean {
                if let Some(b) = crate::table::bool_cell(py, name, &cell, i)? {
                    map.insert(name.clone(), Value::Bool(b));
                }
                continue;
            }
            let value = to_value(py, &cell, name, Some(i))?;
            // The core names the grade columns (`table::bilag_column`).
            match sledai::bilag::BilagSystem::ALL
                .iter()
                .find(|s| sledai::table::schema::bilag_column(**s) == *name)
            {
                Some(system) => {
                    grades.insert(system.id().to_owned(), value);
                }
                None => {
                    map.insert(name.clone(), value);
                }
            }
        }
        if !grades.is_empty() {
            if map.contains_key("bilag") {
                return Err(crate::errors::invalid_column(
                    py,
                    Some("bilag"),
                    "give the grades either as a `bilag` column or as `bilag_<system>` columns, not both".to_owned(),
                ));
            }
            map.insert("bilag".to_owned(), Value::Object(grades));
        }
        let mut v: VisitInput = from_value(py, &Value::Object(map), "", Some(i))?;
        v.assessment =
            Assessment::from_masks(present[i], missing[i]).map_err(|e| core_err(py, e, Some(i)))?;
        out.push(v);
    }
    Ok(out)
}

/// Exactly 0.0 and 1.0 are the valid float cells: strict comparison is the rule.
#[allow(clippy::float_cmp)]
/// Per row, the present and not-assessed masks of the 24 columns, with the
/// cell rules of `score_frame` (0/1, False/True; NaN or a missing mask: not
/// assessed; an absent column: not assessed).
fn masks(cols: &[Column<'_>; 24], n: usize) -> Result<(Vec<u32>, Vec<u32>), Error> {
    let mut present = vec![0u32; n];
    let mut missing = vec![0u32; n];
    for (col, d) in cols.iter().zip(Descriptor::ALL) {
        for (len, what) in [
            (col.values.len(), "values"),
            (col.missing.map(<[u8]>::len), "mask"),
        ] {
            if let Some(len) = len {
                if len != n {
                    let _ = what;
                    return Err(Error::LengthMismatch {
                        input: len,
                        output: n,
                    });
                }
            }
        }
        let bit = d.bit();
        let bad = |i: usize, v: String| Error::InBatch {
            index: i,
            source: Box::new(Error::InvalidValue {
                field: d.id(),
                value: v,
                reason: REASON.to_owned(),
            }),
        };
        macro_rules! ints {
            ($s:expr) => {
                for (i, &v) in $s.iter().enumerate() {
                    if col.missing.is_some_and(|m| m[i] != 0) {
                        missing[i] |= bit;
                    } else if v == 1 {
                        present[i] |= bit;
                    } else if v != 0 {
                        return Err(bad(i, v.to_string()));
                    }
                }
            };
        }
        macro_rules! floats {
            ($s:expr) => {
                for (i, &v) in $s.iter().enumerate() {
                    let v = f64::from(v);
                    if col.missing.is_some_and(|m| m[i] != 0) || v.is_nan() {
                        missing[i] |= bit;
                    } else if v == 1.0 {
                        present[i] |= bit;
                    } else if v != 0.0 {
                        return Err(bad(i, v.to_string()));
                    }
                }
            };
        }
        match col.values {
            Values::U8(s) => ints!(s),
            Values::I8(s) => ints!(s),
            Values::I16(s) => ints!(s),
            Values::I32(s) => ints!(s),
            Values::I64(s) => ints!(s),
            Values::U16(s) => ints!(s),
            Values::U32(s) => ints!(s),
            Values::U64(s) => ints!(s),
            Values::F32(s) => floats!(s),
            Values::F64(s) => floats!(s),
            Values::Missing => missing.iter_mut().for_each(|m| *m |= bit),
        }
    }
    Ok((present, missing))
}

// ----------------------------------------------------------------- output

/// Flat columns under construction. Every row pushes the same columns in
/// the same order, so a cursor finds a row's next column without a lookup;
/// the first row creates them.
#[derive(Default)]
struct Columns {
    names: Vec<String>,
    data: Vec<Data>,
    cursor: usize,
}

enum Data {
    Int(Vec<i64>, Vec<bool>),
    Float(Vec<f64>, Vec<bool>),
    Bool(Vec<bool>, Vec<bool>),
    Str(Vec<Option<String>>),
}

impl Columns {
    /// Starts a row.
    fn row(&mut self) {
        self.cursor = 0;
    }

    fn index(&mut self, name: &str, make: fn() -> Data) -> usize {
        let i = self.cursor;
        self.cursor += 1;
        if i == self.names.len() {
            self.names.push(name.to_owned());
            self.data.push(make());
        }
        i
    }

    fn int(&mut self, name: &str, v: Option<i64>) {
        let i = self.index(name, || Data::Int(Vec::new(), Vec::new()));
        if let Data::Int(values, mask) = &mut self.data[i] {
            values.push(v.unwrap_or(0));
            mask.push(v.is_none());
        }
    }

    fn float(&mut self, name: &str, v: Option<f64>) {
        let i = self.index(name, || Data::Float(Vec::new(), Vec::new()));
        if let Data::Float(values, mask) = &mut self.data[i] {
            values.push(v.unwrap_or(f64::NAN));
            mask.push(v.is_none());
        }
    }

    fn boolean(&mut self, name: &str, v: Option<bool>) {
        let i = self.index(name, || Data::Bool(Vec::new(), Vec::new()));
        if let Data::Bool(values, mask) = &mut self.data[i] {
            values.push(v.unwrap_or(false));
            mask.push(v.is_none());
        }
    }

    fn text(&mut self, name: &str, v: Option<String>) {
        let i = self.index(name, || Data::Str(Vec::new()));
        if let Data::Str(values) = &mut self.data[i] {
            values.push(v);
        }
    }

    /// `exact` in `name`, or the range in `name_min` / `name_max` (the
    /// tool's CSV rule: the exact column is empty when it is a range).
    fn total(&mut self, name: &str, exact: Option<i64>, range: Option<(i64, i64)>) {
        self.int(name, exact);
        let range = if exact.is_some() { None } else { range };
        // The names are needed only when the first row creates the columns.
        let named = |suffix: &str| {
            if self.cursor == self.names.len() {
                format!("{name}{suffix}")
            } else {
                String::new()
            }
        };
        let (min, max) = (named("_min"), String::new());
        self.int(&min, range.map(|r| r.0));
        let max = if self.cursor == self.names.len() {
            format!("{name}_max")
        } else {
            max
        };
        self.int(&max, range.map(|r| r.1));
    }

    fn into_py<'py>(self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let out = PyList::empty(py);
        for (name, data) in self.names.into_iter().zip(self.data) {
            let item = match data {
                Data::Int(v, m) => {
                    let mask = any_mask(py, m);
                    (name, "int", PyArray1::from_vec(py, v).into_any(), mask)
                }
                Data::Float(v, m) => {
                    let mask = any_mask(py, m);
                    (name, "float", PyArray1::from_vec(py, v).into_any(), mask)
                }
                Data::Bool(v, m) => {
                    let mask = any_mask(py, m);
                    (name, "bool", PyArray1::from_vec(py, v).into_any(), mask)
                }
                Data::Str(v) => {
                    // Repeated texts (states, dates, patients) share one
                    // Python string.
                    let mut cache: HashMap<String, Bound<'py, PyString>> = HashMap::new();
                    let mut cells = Vec::with_capacity(v.len());
                    for cell in v {
                        cells.push(match cell {
                            Some(text) => cache
                                .entry(text)
                                .or_insert_with_key(|k| PyString::new(py, k))
                                .clone()
                                .into_any(),
                            None => py.None().into_bound(py),
                        });
                    }
                    (
                        name,
                        "str",
                        PyList::new(py, cells)?.into_any(),
                        py.None().into_bound(py),
                    )
                }
            };
            out.append(item)?;
        }
        Ok(out)
    }
}

fn any_mask(py: Python<'_>, m: Vec<bool>) -> Bound<'_, PyAny> {
    if m.iter().any(|&b| b) {
        PyArray1::from_vec(py, m).into_any()
    } else {
        py.None().into_bound(py)
    }
}

fn range_pair(r: ScoreRange) -> (i64, i64) {
    (i64::from(r.min().get()), i64::from(r.max().get()))
}

fn joined<I: IntoIterator<Item = &'static str>>(ids: I) -> Option<String> {
    let v: Vec<&str> = ids.into_iter().collect();
    (!v.is_empty()).then(|| v.join(";"))
}

/// One `sledai score` CSV row (docs/cli.md), without `error`.
fn visit_row(c: &mut Columns, r: &VisitResult) {
    c.row();
    c.text("id", r.id.clone());
    c.text("patient", r.patient.clone());
    c.text("date", r.date.map(|d| d.to_string()));
    c.total(
        "sledai_2k",
        r.sledai_2k.map(|s| i64::from(s.get())),
        r.sledai_2k_range.map(range_pair),
    );
    c.total(
        "clinical_sledai_2k",
        r.clinical_sledai_2k.map(|s| i64::from(s.get())),
        r.clinical_sledai_2k_range.map(range_pair),
    );
    c.text("missing", joined(r.missing.iter().map(Descriptor::id)));
    c.float(
        "prednisone_equivalent_mg_per_day",
        r.prednisone_equivalent_mg_per_day.map(|p| p.mg()),
    );
    c.text("lldas", Some(r.lldas.state().id().to_owned()));
    for k in LLDAS_CRITERIA {
        let s = r.lldas.criteria().iter().find(|x| x.criterion() == k);
        c.text(k.id(), s.map(|x| x.state().id().to_owned()));
    }
    c.text("doris", Some(r.doris.state().id().to_owned()));
    for k in DORIS_CRITERIA {
        let s = r.doris.criteria().iter().find(|x| x.criterion() == k);
        c.text(k.id(), s.map(|x| x.state().id().to_owned()));
    }
    c.text(
        "lab_conflicts",
        joined(r.lab_conflicts.iter().map(|x| x.descriptor.id())),
    );
    c.text("baseline_date", r.baseline_date.map(|d| d.to_string()));
    let change = r.change_from_baseline;
    c.total(
        "change_from_baseline",
        change.and_then(|x| x.absolute()).map(i64::from),
        change.map(|x| (i64::from(x.min()), i64::from(x.max()))),
    );
    c.float(
        "percent_change_from_baseline",
        change.and_then(|x| x.percent()),
    );
    // Issue 14: the same columns as `sledai score --output-format csv`.
    c.int(
        "bilag_numeric",
        r.bilag_numeric.and_then(|n| n.exact()).map(i64::from),
    );
    c.int(
        "bilag_new_a",
        r.bilag_new.and_then(|n| n.new_a.exact()).map(i64::from),
    );
    c.int(
        "bilag_new_b",
        r.bilag_new.and_then(|n| n.new_b.exact()).map(i64::from),
    );
    c.text("bilag_flare", r.bilag_flare.map(|f| f.as_str().to_owned()));
    c.text("bicla", r.bicla.as_ref().map(|b| b.state().id().to_owned()));
    for (k, name) in ["sri_4", "sri_5", "sri_6", "sri_7", "sri_8"]
        .iter()
        .enumerate()
    {
        c.text(name, r.sri.as_ref().map(|s| s[k].state().id().to_owned()));
    }
    for (variant, d) in sledai::remission_2017::Doris2017Variant::ALL
        .iter()
        .zip(&r.doris_2017)
    {
        c.text(variant.id(), Some(d.state().id().to_owned()));
    }
}

/// One `sledai cohort` CSV row (docs/cli.md).
fn patient_row(c: &mut Columns, p: &PatientSummary, windows: &[Window]) {
    c.row();
    c.text("patient", Some(p.patient.clone()));
    c.int("visits", i64::try_from(p.visits).ok());
    c.text("reference_date", Some(p.reference_date.to_string()));
    c.text(
        "screening",
        p.screening.as_ref().map(|s| s.state.id().to_owned()),
    );
    c.text("baseline_date", Some(p.baseline.date.to_string()));
    c.int("baseline_study_day", Some(i64::from(p.baseline.study_day)));
    let b = p.baseline.sledai;
    c.total(
        "baseline_sledai_2k",
        (b.min() == b.max()).then(|| i64::from(b.min().get())),
        Some(range_pair(b)),
    );
    for (e, w) in p.endpoints.iter().zip(windows) {
        let pre = format!("day{}_", w.target_day());
        let col = |s: &str| format!("{pre}{s}");
        match &e.endpoint {
            Endpoint::Visit(v) => {
                let row = &v.visit;
                c.boolean(&col("no_visit_in_window"), Some(false));
                c.text(&col("date"), Some(row.date.to_string()));
                c.int(&col("study_day"), Some(i64::from(row.study_day)));
                let s = row.sledai;
                c.total(
                    &col("sledai_2k"),
                    (s.min() == s.max()).then(|| i64::from(s.min().get())),
                    Some(range_pair(s)),
                );
                c.total(
                    &col("change"),
                    row.change.absolute().map(i64::from),
                    Some((i64::from(row.change.min()), i64::from(row.change.max()))),
                );
                c.float(&col("percent_change"), row.change.percent());
                c.text(&col("lldas"), Some(row.lldas.id().to_owned()));
                c.text(&col("doris"), Some(row.doris.id().to_owned()));
            }
            // `Endpoint` may grow: anything but a visit has no visit fields.
            _ => {
                c.boolean(&col("no_visit_in_window"), Some(true));
                c.text(&col("date"), None);
                c.int(&col("study_day"), None);
                c.total(&col("sledai_2k"), None, None);
                c.total(&col("change"), None, None);
                c.float(&col("percent_change"), None);
                c.text(&col("lldas"), None);
                c.text(&col("doris"), None);
            }
        }
        c.text(
            &col("sri4"),
            e.sri4.as_ref().map(|s| s.state().id().to_owned()),
        );
        // Issue 14 (docs/bilag.md): SRI-5..8 beside SRI-4, BICLA, the dual
        // responders and the DORIS 2017 variants.
        let r = e.responses;
        let state = |s: Option<sledai::TriState>| s.map(|s| s.id().to_owned());
        c.text(&col("bicla"), state(r.and_then(|r| r.bicla)));
        for (name, get) in [
            (
                "sri5",
                (|r: Responses| r.sri_5) as fn(Responses) -> Option<sledai::TriState>,
            ),
            ("sri6", |r| r.sri_6),
            ("sri7", |r| r.sri_7),
            ("sri8", |r| r.sri_8),
            ("lldas_bicla", |r| r.lldas_bicla),
            ("lldas_sri4", |r| r.lldas_sri_4),
            ("doris_2017_clinical_on_treatment", |r| {
                Some(r.doris_2017_clinical_on_treatment)
            }),
            ("doris_2017_complete_on_treatment", |r| {
                Some(r.doris_2017_complete_on_treatment)
            }),
            ("doris_2017_clinical_off_treatment", |r| {
                Some(r.doris_2017_clinical_off_treatment)
            }),
            ("doris_2017_complete_off_treatment", |r| {
                Some(r.doris_2017_complete_off_treatment)
            }),
        ] {
            c.text(&col(name), state(r.and_then(get)));
        }
    }
    for (prefix, s) in [
        ("lldas", &p.lldas),
        ("doris", &p.doris),
        ("doris_off_treatment", &p.doris_off_treatment),
    ] {
        state_columns(c, prefix, s);
    }
}

fn state_columns(c: &mut Columns, prefix: &str, s: &StateSummary) {
    let col = |x: &str| format!("{prefix}_{x}");
    c.float(&col("time_fraction"), s.time.fraction_of_time);
    c.float(&col("time_fraction_upper"), s.time.fraction_of_time_upper);
    c.float(&col("visit_fraction"), s.time.fraction_of_visits);
    c.float(
        &col("visit_fraction_upper"),
        s.time.fraction_of_visits_upper,
    );
    c.text(
        &col("at_least_half"),
        Some(s.time.at_least_half.id().to_owned()),
    );
    c.int(
        &col("longest_run_days"),
        s.sustained
            .longest_run
            .as_ref()
            .map(|r| i64::from(r.span_days)),
    );
    c.text(
        &col("sustained"),
        s.sustained.meets_duration.map(|m| m.id().to_owned()),
    );
    c.text(&col("ever"), Some(s.ever.id().to_owned()));
    c.int(&col("first_day"), s.first_day.map(i64::from));
}

// -------------------------------------------------------------- functions

/// Assesses visits in row order with one `PatientStream` (internal: use
/// ``sledai.assess_frame``).
///
/// ``visits`` is a list of visit-record mappings or ``(columns, n_rows,
/// fields)``. With ``flat`` the result is a list of ``(name, kind, values,
/// mask)`` columns (the tool's CSV columns), else a list of dicts (the
/// tool's JSON records).
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
        stream.assess(v).map_err(|e| Error::InBatch {
            index: i,
            source: Box::new(e),
        })
    };
    if flat {
        // Each result becomes its row at once and is dropped: the results
        // (with their criterion texts) are never all held in memory.
        let mut c = Columns::default();
        py.detach(|| {
            for (i, v) in inputs.iter().enumerate() {
                visit_row(&mut c, &assess(&mut stream, i, v)?);
            }
            Ok::<(), Error>(())
        })
        .map_err(|e| crate::errors::to_py_err(py, &e))?;
        if inputs.is_empty() {
            visit_row(&mut c, &empty_result()?);
            c.truncate();
        }
        return Ok(c.into_py(py)?.into_any());
    }
    let out = PyList::empty(py);
    for (i, v) in inputs.iter().enumerate() {
        let r = assess(&mut stream, i, v).map_err(|e| crate::errors::to_py_err(py, &e))?;
        out.append(serialize(py, &r)?)?;
    }
    Ok(out.into_any())
}

/// A result whose row only names the columns of an empty frame.
fn empty_result() -> PyResult<VisitResult> {
    PatientStream::default()
        .assess(&VisitInput::new(Assessment::not_assessed()))
        .map_err(|e| PyTypeError::new_err(e.to_string()))
}

impl Columns {
    /// Keeps the columns, drops the rows.
    fn truncate(&mut self) {
        for d in &mut self.data {
            match d {
                Data::Int(v, m) => {
                    v.clear();
                    m.clear();
                }
                Data::Float(v, m) => {
                    v.clear();
                    m.clear();
                }
                Data::Bool(v, m) => {
                    v.clear();
                    m.clear();
                }
                Data::Str(v) => v.clear(),
            }
        }
    }
}

/// A cohort error as a Python exception. Two visits of one patient on one
/// date are named by their rows (list positions, frame rows), found from
/// the patient and the date the core's error gives, with `row` set to the
/// second of them and the Python keyword that allows it; every other error
/// goes through the one mapping, `errors::to_py_err`.
fn cohort_err(py: Python<'_>, e: &Error, keys: &[(Option<String>, Option<sledai::Date>)]) -> PyErr {
    if let Error::InPatient { patient, source } = e {
        if let Error::InvalidValue {
            field: "date",
            value,
            ..
        } = source.as_ref()
        {
            let rows: Vec<usize> = keys
                .iter()
                .enumerate()
                .filter(|(_, (p, d))| {
                    p.as_deref() == Some(patient.as_str())
                        && d.is_some_and(|d| d.to_string() == *value)
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
                    value.clone(),
                    Some(second),
                );
                let _ = err.value(py).setattr("patient", patient.as_str());
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
/// >>> patients[0]["endpoints"][0]["endpoint"]["visit"]["change"]["absolute"], summary["n"]
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
    let attribution: TimeAttribution = named(
        py,
        "attribution",
        attribution,
        "carry_forward, half_interval, both_ends",
    )?;
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
    // (patient, date) of every row, to name the rows of a duplicate date.
    let keys: Vec<(Option<String>, Option<sledai::Date>)> = if allow_duplicate_dates {
        Vec::new()
    } else {
        inputs.iter().map(|v| (v.patient.clone(), v.date)).collect()
    };
    let report = py
        .detach(|| sledai::visit::cohort(inputs, &o, &timeline).map(|c| c.summarize(&summary)))
        .map_err(|e| cohort_err(py, &e, &keys))?;
    let cohort = serialize(py, &report.summary)?;
    if flat {
        let mut c = Columns::default();
        for p in &report.patients {
            patient_row(&mut c, p, &windows);
        }
        return Ok((c.into_py(py)?.into_any(), cohort));
    }
    let out = PyList::empty(py);
    for p in &report.patients {
        out.append(serialize(py, p)?)?;
    }
    Ok((out.into_any(), cohort))
}
