//! `sledai.lldas` and `sledai.doris`: one visit record (a mapping with the
//! field names of the command-line tool's visit record) evaluated by the
//! core's `lldas::evaluate` and `remission::evaluate`.
//!
//! The record is parsed by the core's `VisitInput` serde implementation;
//! laboratory `measurements` are derived and merged exactly as
//! `PatientStream::assess` does (`VisitInput::merged_assessment`), and the
//! dose is converted by `VisitInput::target_inputs`. The result is the
//! core's result serialized (`{"state", "criteria": [...]}`); the Python
//! side (`sledai/_visits.py`) wraps it in frozen objects.

use pyo3::prelude::*;
use pyo3::types::PyDict;
use sledai::target::TargetInputs;
use sledai::visit::{VisitInput, VisitOptions};
use sledai::{lldas, remission};

use crate::options::visit_options;
use crate::records::{core_err, from_value, mapping_value, serialize};

/// A visit record from a mapping; `what` names it in errors.
pub(crate) fn visit_input(
    py: Python<'_>,
    obj: &Bound<'_, PyAny>,
    what: &str,
    prefix: &str,
) -> PyResult<VisitInput> {
    let value = mapping_value(py, obj, what, prefix)?;
    from_value(py, &value, prefix, None)
}

/// The target inputs of `visit` (its merged assessment) with `previous`'s
/// merged assessment as the previous assessment.
fn inputs(
    py: Python<'_>,
    visit: &Bound<'_, PyAny>,
    previous: Option<&Bound<'_, PyAny>>,
    options: &VisitOptions,
) -> PyResult<TargetInputs> {
    let v = visit_input(py, visit, "visit", "")?;
    let previous = match previous.filter(|p| !p.is_none()) {
        Some(p) => {
            let p = visit_input(py, p, "previous", "previous")?;
            Some(
                p.merged_assessment(options)
                    .map_err(|e| core_err(py, e, None))?
                    .0,
            )
        }
        None => None,
    };
    let (assessment, _) = v
        .merged_assessment(options)
        .map_err(|e| core_err(py, e, None))?;
    let mut t = v
        .target_inputs(previous, options.conversion())
        .map_err(|e| core_err(py, e, None))?;
    t.assessment = assessment;
    Ok(t)
}

/// LLDAS of one visit record (internal: use ``sledai.lldas``).
///
/// Returns the core's result serialized: ``{"state": ..., "criteria": [...]}``.
///
/// >>> import sledai._native as native
/// >>> native._lldas({"present": ["rash"]}, None, {})["state"]
/// 'indeterminate'
#[pyfunction]
#[pyo3(name = "_lldas", signature = (visit, previous, options))]
pub(crate) fn lldas_py<'py>(
    py: Python<'py>,
    visit: &Bound<'py, PyAny>,
    previous: Option<&Bound<'py, PyAny>>,
    options: &Bound<'py, PyDict>,
) -> PyResult<Bound<'py, PyAny>> {
    let o = visit_options(py, options)?;
    let t = inputs(py, visit, previous, &o)?;
    let r = lldas::evaluate(&t).map_err(|e| core_err(py, e, None))?;
    serialize(py, &r)
}

/// DORIS remission of one visit record (internal: use ``sledai.doris``).
///
/// >>> import sledai._native as native
/// >>> native._doris({"present": ["low_complement"], "pga": 0.4, "prednisone_mg_per_day": 5}, {})["state"]
/// 'met'
#[pyfunction]
#[pyo3(name = "_doris", signature = (visit, options))]
pub(crate) fn doris_py<'py>(
    py: Python<'py>,
    visit: &Bound<'py, PyAny>,
    options: &Bound<'py, PyDict>,
) -> PyResult<Bound<'py, PyAny>> {
    let o = visit_options(py, options)?;
    let t = inputs(py, visit, None, &o)?;
    let r = remission::evaluate(&t, o.remission()).map_err(|e| core_err(py, e, None))?;
    serialize(py, &r)
}
