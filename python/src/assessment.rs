//! `sledai.score` and `sledai.clinical_score`: one assessment from Python
//! objects into a [`sledai::Assessment`], scored by the core crate.
//!
//! Two input shapes (issue 5):
//! - an iterable of identifiers: those descriptors are present, every other
//!   one is absent (a complete assessment);
//! - a mapping identifier -> True / False / None: None, or a descriptor not
//!   in the mapping, is *not assessed*, never absent (`docs/reference.md`
//!   section 8: a missing item silently scored as absent is the classic
//!   error). `numpy.bool_` counts as a bool and `pandas.NA` as None, so
//!   `row.to_dict()` of a nullable frame works.
//!
//! Anything else is rejected: a `str` (it would be iterated character by
//! character), non-string identifiers, integers 0/1 or other values in a
//! mapping, unknown or repeated identifiers.

// The `///` comments on #[pyfunction] / #[pyclass] items are Python
// docstrings with doctest examples, where `[8]` is indexing, not a link.
#![allow(rustdoc::broken_intra_doc_links)]

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyByteArray, PyBytes, PyDict, PyMapping, PyString};
use sledai::{Assessment, Descriptor, Finding};

use crate::errors::{invalid_value, to_py_err};

/// What to do with an incomplete assessment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Incomplete {
    /// Raise `IncompleteAssessmentError`.
    Raise,
    /// Return the range `(low, high)` of totals.
    Range,
}

impl Incomplete {
    pub(crate) fn parse(py: Python<'_>, value: &str) -> PyResult<Incomplete> {
        match value {
            "raise" => Ok(Incomplete::Raise),
            "range" => Ok(Incomplete::Range),
            other => Err(crate::errors::unknown_keyword(
                py,
                "incomplete",
                other,
                "raise, range",
                None,
            )),
        }
    }
}

/// Which total.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Total {
    /// SLEDAI-2K, 0-105.
    Sledai2k,
    /// Clinical SLEDAI (no serology), 0-101.
    Clinical,
}

/// The SLEDAI-2K total of one assessment (Gladman 2002), 0 to 105.
///
/// ``assessment`` is either an iterable of the identifiers of the present
/// descriptors (every other descriptor is then absent), or a mapping from
/// identifier to ``True`` (present), ``False`` (absent) or ``None`` (not
/// assessed); a descriptor left out of a mapping is not assessed. A missing
/// item is never counted as absent.
///
/// With ``incomplete="raise"`` (the default) the total of a complete
/// assessment is returned as an ``int`` and an incomplete assessment raises
/// ``IncompleteAssessmentError`` (with ``.missing`` and ``.range``). With
/// ``incomplete="range"`` the result is always a tuple ``(low, high)``: the
/// totals the assessment can still take (``low == high`` when complete).
///
/// Raises ``UnknownDescriptorError`` for an unknown identifier (with a
/// suggestion), ``InvalidValueError`` for a repeated identifier or a mapping
/// value other than True/False/None, and ``TypeError`` for a ``str`` or
/// other non-iterable assessment.
///
/// >>> import sledai
/// >>> sledai.score(["arthritis", "proteinuria", "low_complement"])
/// 10
/// >>> sledai.score({"arthritis": True, "fever": None}, incomplete="range")
/// (4, 105)
/// >>> sledai.score({"arthritis": True, "fever": None})
/// Traceback (most recent call last):
/// ...
/// sledai.IncompleteAssessmentError: assessment is incomplete: 23 descriptor(s) not assessed (seizure, ...), total could be 4 to 105
/// >>> sledai.score(["arthritus"])
/// Traceback (most recent call last):
/// ...
/// sledai.UnknownDescriptorError: unknown descriptor `arthritus`, did you mean `arthritis`?
#[pyfunction]
#[pyo3(signature = (assessment, *, incomplete = "raise"))]
pub(crate) fn score<'py>(
    py: Python<'py>,
    assessment: &Bound<'py, PyAny>,
    incomplete: &str,
) -> PyResult<Bound<'py, PyAny>> {
    total(py, assessment, incomplete, Total::Sledai2k)
}

/// The clinical SLEDAI total (SLEDAI-2K without the two serology
/// descriptors, low_complement and increased_dna_binding), 0 to 101.
///
/// Takes the same arguments as ``score``. A serology descriptor that was not
/// assessed does not make the clinical total incomplete.
///
/// >>> import sledai
/// >>> sledai.clinical_score(["arthritis", "proteinuria", "low_complement"])
/// 8
/// >>> everything_but_serology = {d.identifier: False for d in sledai.DESCRIPTORS if not d.is_serology}
/// >>> sledai.clinical_score(everything_but_serology)
/// 0
/// >>> sledai.clinical_score({"rash": True}, incomplete="range")
/// (2, 101)
#[pyfunction]
#[pyo3(signature = (assessment, *, incomplete = "raise"))]
pub(crate) fn clinical_score<'py>(
    py: Python<'py>,
    assessment: &Bound<'py, PyAny>,
    incomplete: &str,
) -> PyResult<Bound<'py, PyAny>> {
    total(py, assessment, incomplete, Total::Clinical)
}

fn total<'py>(
    py: Python<'py>,
    assessment: &Bound<'py, PyAny>,
    incomplete: &str,
    which: Total,
) -> PyResult<Bound<'py, PyAny>> {
    let mode = Incomplete::parse(py, incomplete)?;
    let a = parse_assessment(py, assessment)?;
    match mode {
        Incomplete::Raise => {
            let s = match which {
                Total::Sledai2k => a.score(),
                Total::Clinical => a.clinical_score(),
            }
            .map_err(|e| to_py_err(py, &e))?;
            Ok(s.get().into_pyobject(py)?.into_any())
        }
        Incomplete::Range => {
            let r = match which {
                Total::Sledai2k => a.score_range(),
                Total::Clinical => a.clinical_score_range(),
            };
            Ok((r.min().get(), r.max().get()).into_pyobject(py)?.into_any())
        }
    }
}

/// Parses either input shape into an assessment.
pub(crate) fn parse_assessment(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<Assessment> {
    if obj.is_instance_of::<PyString>()
        || obj.is_instance_of::<PyBytes>()
        || obj.is_instance_of::<PyByteArray>()
    {
        return Err(PyTypeError::new_err(format!(
            "assessment must be an iterable of descriptor identifiers or a mapping, not {}; \
             for one present descriptor write [{}]",
            type_name(obj),
            crate::errors::bounded(&obj.repr()?.to_string_lossy())
        )));
    }
    if let Ok(dict) = obj.cast::<PyDict>() {
        let mut a = Assessment::not_assessed();
        for (key, value) in dict.iter() {
            set_item(py, &mut a, &key, &value)?;
        }
        return Ok(a);
    }
    if let Ok(mapping) = obj.cast::<PyMapping>() {
        let mut a = Assessment::not_assessed();
        for item in mapping.items()?.iter() {
            let (key, value): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item.extract()?;
            set_item(py, &mut a, &key, &value)?;
        }
        return Ok(a);
    }
    let iter = obj.try_iter().map_err(|_| {
        PyTypeError::new_err(format!(
            "assessment must be an iterable of descriptor identifiers or a mapping, not {}",
            type_name(obj)
        ))
    })?;
    let mut given = Vec::new();
    for item in iter {
        given.push(descriptor(py, &item?)?);
    }
    let present = sledai::DescriptorSet::from_distinct(given).map_err(|e| to_py_err(py, &e))?;
    Ok(Assessment::from_present(present.iter()))
}

fn set_item(
    py: Python<'_>,
    a: &mut Assessment,
    key: &Bound<'_, PyAny>,
    value: &Bound<'_, PyAny>,
) -> PyResult<()> {
    let d = descriptor(py, key)?;
    let finding = finding(value).ok_or_else(|| {
        let shown = value.repr().map(|r| r.to_string()).unwrap_or_default();
        invalid_value(
            py,
            format!(
                "{}: invalid value `{shown}` ({}): expected True (present), False (absent) or None (not assessed)",
                d.id(),
                type_name(value)
            ),
            d.id(),
            shown,
            None,
        )
    })?;
    a.set(d, finding);
    Ok(())
}

/// True / False / None, accepting `numpy.bool_` and `pandas.NA`. Integers,
/// floats (NaN included) and strings are not accepted.
fn finding(value: &Bound<'_, PyAny>) -> Option<Finding> {
    if value.is_none() {
        return Some(Finding::NotAssessed);
    }
    if let Ok(b) = value.cast::<PyBool>() {
        return Some(Finding::from_option(Some(b.is_true())));
    }
    let ty = value.get_type();
    let module = ty.module().ok()?;
    let name = ty.name().ok()?;
    let (module, name) = (module.to_cow().ok()?, name.to_cow().ok()?);
    match (module.as_ref(), name.as_ref()) {
        ("numpy", "bool" | "bool_") => value
            .is_truthy()
            .ok()
            .map(|b| Finding::from_option(Some(b))),
        // `pandas.NA`: its type lives in `pandas._libs.missing` (pandas 1-2)
        // or reports `pandas.api.typing` (pandas 3).
        (m, "NAType") if m == "pandas" || m.starts_with("pandas.") => Some(Finding::NotAssessed),
        _ => None,
    }
}

/// A descriptor from an identifier object, which must be a `str`.
fn descriptor(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<Descriptor> {
    let s = obj.cast::<PyString>().map_err(|_| {
        let shown = obj.repr().map(|r| r.to_string()).unwrap_or_default();
        PyTypeError::new_err(format!(
            "descriptor identifiers must be str, got {} {}",
            type_name(obj),
            crate::errors::bounded(&shown)
        ))
    })?;
    let name = match s.to_cow() {
        Ok(name) => name,
        // A lone surrogate (UTF-8 cannot hold it) is not an identifier:
        // named escaped, as Python writes it.
        Err(_) => {
            let escaped = obj.repr().map(|r| r.to_string()).unwrap_or_default();
            let escaped = escaped.trim_matches(|c| c == '\'' || c == '"').to_owned();
            let e = crate::records::descriptor_error(&escaped);
            return Err(e.map_or_else(
                || PyTypeError::new_err("descriptor identifiers must be valid text"),
                |e| to_py_err(py, &e),
            ));
        }
    };
    match crate::records::descriptor_error(&name) {
        Some(e) => Err(to_py_err(py, &e)),
        None => Descriptor::from_id(&name).map_err(|e| to_py_err(py, &e)),
    }
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "object".to_owned())
}
