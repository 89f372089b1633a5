//! The Python exception hierarchy and the one mapping from [`sledai::Error`].
//!
//! ```text
//! ValueError
//! └── sledai.SledaiError                 root: catch this for any invalid input
//!     ├── sledai.UnknownDescriptorError  an identifier that is not one of the 24
//!     ├── sledai.IncompleteAssessmentError  a total asked of an incomplete assessment
//!     ├── sledai.InvalidValueError       a value that is not acceptable (2 in a 0/1 column, ...)
//!     └── sledai.InvalidColumnError      a missing, unknown or repeated column, or a wrong dtype
//! ```
//!
//! Messages are the core crate's messages (lower-case, naming the field and
//! the value). The exceptions also carry the facts as attributes, so code
//! need not parse messages: `.missing` and `.range` on
//! `IncompleteAssessmentError`; `.field`, `.value` and `.row` on
//! `InvalidValueError`; `.name` and `.suggestion` on
//! `UnknownDescriptorError`; `.column` on `InvalidColumnError`.
//!
//! Misuse of the Python API itself (a `str` passed where an iterable of
//! identifiers is expected, an object that is not a data frame) raises the
//! built-in `TypeError`, as Python functions conventionally do.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use pyo3::{PyErr, PyTypeInfo, create_exception};

create_exception!(
    sledai,
    SledaiError,
    PyValueError,
    "Root of the exceptions raised by sledai for invalid input (a subclass of ValueError)."
);
create_exception!(
    sledai,
    UnknownDescriptorError,
    SledaiError,
    "An identifier that is not one of the 24 SLEDAI-2K descriptors.\n\nAttributes: `name` (the identifier given) and `suggestion` (the nearest valid identifier, or None)."
);
create_exception!(
    sledai,
    IncompleteAssessmentError,
    SledaiError,
    "A total was asked of an assessment with descriptors not assessed.\n\nAttributes: `missing` (tuple of the identifiers not assessed, in form order), `range` ((low, high): the totals the assessment can still take) and `row` (the 0-based row of a data frame, or None)."
);
create_exception!(
    sledai,
    InvalidValueError,
    SledaiError,
    "A value that is not acceptable, such as 2 or 0.5 in a descriptor column, or 1 instead of True in a mapping.\n\nAttributes: `field` (the column, key or argument), `value` (the rejected value, as text) and `row` (the 0-based row of a data frame, or None)."
);
create_exception!(
    sledai,
    InvalidColumnError,
    SledaiError,
    "A data frame whose columns cannot be scored: a descriptor column missing, an unknown or repeated column, a wrong dtype or unequal lengths.\n\nAttribute: `column` (the offending column name, or None)."
);

/// Converts a core error into the matching Python exception. The ONE place
/// where `sledai::Error` variants are mapped: every binding calls it.
///
/// `InBatch { index, .. }` is raised as its inner error with `.row = index`
/// and the message prefixed by `row {index}: `; in this package batches are
/// always the rows of a data frame.
pub(crate) fn to_py_err(py: Python<'_>, error: &sledai::Error) -> PyErr {
    build(py, error, None, error.to_string())
}

/// A core error about row `row` of the caller's data (a frame row, a list
/// position): raised as the core's batch errors are, with `.row = row` and
/// the message prefixed by `row {row}: `. The row is this package's
/// context, so it is added here, not by building a core error.
pub(crate) fn at_row(py: Python<'_>, error: &sledai::Error, row: usize) -> PyErr {
    build(py, error, Some(row), format!("row {row}: {error}"))
}

/// A core error, at a row when one is known.
pub(crate) fn at(py: Python<'_>, error: &sledai::Error, row: Option<usize>) -> PyErr {
    match row {
        Some(row) => at_row(py, error, row),
        None => to_py_err(py, error),
    }
}

/// What this package's own work on rows can fail with: a core error, or a
/// core error about one row of the caller's data. Converted to an exception by [`Failure::into_py`].
#[derive(Debug)]
pub(crate) enum Failure {
    /// A core error (the core's batch errors name their row themselves).
    Core(sledai::Error),
    /// A core error about one row of the caller's data.
    AtRow(usize, sledai::Error),
}

impl From<sledai::Error> for Failure {
    fn from(e: sledai::Error) -> Failure {
        Failure::Core(e)
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Core(e) => write!(f, "{e}"),
            Failure::AtRow(row, e) => write!(f, "row {row}: {e}"),
        }
    }
}

impl Failure {
    /// The exception.
    pub(crate) fn into_py(self, py: Python<'_>) -> PyErr {
        match self {
            Failure::Core(e) => to_py_err(py, &e),
            Failure::AtRow(row, e) => at_row(py, &e, row),
        }
    }
}

/// An unknown value of one of this package's own keyword arguments (such
/// as `incomplete`), in the core's wording for an unknown name.
pub(crate) fn unknown_keyword(
    py: Python<'_>,
    keyword: &str,
    value: &str,
    expected: &str,
    suggestion: Option<&str>,
) -> PyErr {
    let hint = suggestion
        .map(|s| format!(", did you mean `{s}`?"))
        .unwrap_or_default();
    invalid_value(
        py,
        format!("{keyword}: unknown value `{value}`, expected one of: {expected}{hint}"),
        keyword,
        value.to_owned(),
        None,
    )
}

fn build(py: Python<'_>, error: &sledai::Error, row: Option<usize>, message: String) -> PyErr {
    match error {
        sledai::Error::InBatch { index, source, .. } => {
            build(py, source, Some(*index), format!("row {index}: {source}"))
        }
        // A cohort's per-patient error: the inner error's exception, with
        // the patient in the message and as `.patient`.
        sledai::Error::InPatient {
            patient, source, ..
        } => {
            let err = build(py, source, row, message);
            set(py, &err, "patient", &**patient);
            err
        }
        sledai::Error::InvalidMeasurement {
            field, value, unit, ..
        } => invalid_value(py, message, field, format!("{value} {unit}"), row),
        sledai::Error::FindingConflict { descriptors, .. } => {
            invalid_value(py, message, "measurements", descriptors.join(";"), row)
        }
        sledai::Error::UnknownDescriptor {
            name, suggestion, ..
        } => {
            let err = new_err::<UnknownDescriptorError>(message);
            set(py, &err, "name", &**name);
            set(py, &err, "suggestion", *suggestion);
            err
        }
        sledai::Error::IncompleteAssessment {
            missing, min, max, ..
        } => {
            let err = new_err::<IncompleteAssessmentError>(message);
            if let Ok(t) = PyTuple::new(py, missing.iter()) {
                set(py, &err, "missing", t);
            }
            set(py, &err, "range", (*min, *max));
            set(py, &err, "row", row);
            err
        }
        sledai::Error::UnknownName { field, value, .. }
        | sledai::Error::InvalidDate { field, value, .. }
        | sledai::Error::InvalidValue { field, value, .. } => {
            invalid_value(py, message, field, value.to_string(), row)
        }
        sledai::Error::NotFinite { field, value, .. }
        | sledai::Error::OutOfRange { field, value, .. } => {
            invalid_value(py, message, field, value.to_string(), row)
        }
        sledai::Error::InvalidMask { field, value, .. } => {
            invalid_value(py, message, field, format!("{value:#010x}"), row)
        }
        sledai::Error::DuplicateDescriptor { descriptor, .. } => {
            invalid_value(py, message, "assessment", (*descriptor).to_owned(), row)
        }
        sledai::Error::LengthMismatch { .. } => invalid_column(py, None, message),
        // A row of a long table or a REDCap export, or the mapping itself:
        // the row (a frame position), the column, the code and the entry.
        sledai::Error::Mapping { mapping: m, .. } => {
            let err = invalid_value(
                py,
                message,
                "mapping",
                m.code.clone().unwrap_or_default(),
                m.row.and_then(|r| usize::try_from(r).ok()).or(row),
            );
            set(py, &err, "column", m.column.as_deref());
            set(py, &err, "entry", m.entry.as_deref());
            err
        }
        // `sledai::Error` is non-exhaustive: a variant added later still
        // raises an exception of the hierarchy.
        _ => new_err::<SledaiError>(message),
    }
}

/// The one constructor of this package's exceptions: every exception of
/// the hierarchy takes exactly one argument, its message, bounded by
/// [`bounded_message`]. (Re-creating an exception from an arbitrary Python
/// exception's type with a message is what made `UnicodeEncodeError`, which
/// takes five arguments, raise `TypeError` instead; issue 12.)
pub(crate) fn new_err<T: PyTypeInfo>(message: String) -> PyErr {
    PyErr::new::<T, _>(bounded_message(&message))
}

/// A quoted span (between backticks or double quotes) longer than this is
/// shortened in messages.
const LONGEST_ECHO: usize = 64;
/// How much of a shortened span is kept.
const KEPT: usize = 40;
/// A message longer than this (after shortening spans) is cut.
const LONGEST_MESSAGE: usize = 2000;

/// `text` if it has at most [`LONGEST_ECHO`] characters, else its first
/// [`KEPT`] characters and `… (N characters)`: an enormous key or value is
/// echoed shortened, never in full.
pub(crate) fn bounded(text: &str) -> String {
    let n = text.chars().count();
    if n <= LONGEST_ECHO {
        return text.to_owned();
    }
    let head: String = text.chars().take(KEPT).collect();
    format!("{head}… ({n} characters)")
}

/// A message with every long quoted span shortened by [`bounded`], and
/// the whole cut to [`LONGEST_MESSAGE`] characters: messages echo input,
/// and input can be enormous.
pub(crate) fn bounded_message(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(4 * LONGEST_MESSAGE));
    let mut rest = message;
    while let Some(start) = rest.find(['`', '"']) {
        let quote = &rest[start..=start];
        let after = &rest[start + 1..];
        out.push_str(&rest[..=start]);
        match after.find(quote) {
            Some(end) => {
                out.push_str(&bounded(&after[..end]));
                out.push_str(quote);
                rest = &after[end + 1..];
            }
            None => {
                rest = after;
            }
        }
    }
    out.push_str(rest);
    let n = out.chars().count();
    if n > LONGEST_MESSAGE {
        let head: String = out.chars().take(LONGEST_MESSAGE).collect();
        return format!("{head}… ({n} characters)");
    }
    out
}

/// An `InvalidValueError` with its attributes.
pub(crate) fn invalid_value(
    py: Python<'_>,
    message: String,
    field: &str,
    value: String,
    row: Option<usize>,
) -> PyErr {
    let err = new_err::<InvalidValueError>(message);
    set(py, &err, "field", field);
    set(py, &err, "value", value);
    set(py, &err, "row", row);
    err
}

/// An `InvalidValueError` for a field of a record given as a Python
/// mapping (or a cell of a frame): `field` is the field's path
/// (`measurements[0].platelets.value`), `value` the value found there. The
/// message reads ``[row N: ]field `path`: reason``.
pub(crate) fn field_error(
    py: Python<'_>,
    field: &str,
    value: &str,
    reason: &str,
    row: Option<usize>,
) -> PyErr {
    let prefix = row.map(|r| format!("row {r}: ")).unwrap_or_default();
    invalid_value(
        py,
        format!("{prefix}field `{field}`: {reason}"),
        field,
        value.to_owned(),
        row,
    )
}

/// An `InvalidColumnError` naming `column` (adapter errors that have no core
/// variant: a missing or unknown column, a wrong dtype).
pub(crate) fn invalid_column(py: Python<'_>, column: Option<&str>, message: String) -> PyErr {
    let err = new_err::<InvalidColumnError>(message);
    set(py, &err, "column", column);
    err
}

/// Sets an attribute on the exception instance; attributes are plain
/// instance attributes (they travel with pickling through `__dict__`).
fn set<'py, V: IntoPyObject<'py>>(py: Python<'py>, err: &PyErr, name: &str, value: V) {
    // Setting an attribute on a fresh exception instance cannot fail short of
    // memory exhaustion; the exception is still raised without it then.
    let _ = err.value(py).setattr(name, value);
}
