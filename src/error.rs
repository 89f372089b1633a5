//! The one error type of the crate.
//!
//! Every fallible function in `sledai` returns [`Error`]. Variants are
//! struct-like and carry the offending value, so a message always names the
//! field and the value that was rejected. Messages are lower-case and have no
//! trailing punctuation, in the style of the standard library.
//!
//! The enum is `#[non_exhaustive]`: new kinds of invalid input may be added
//! in minor releases, so match with a wildcard arm.
//!
//! The module depends on nothing of the domain: variants carry identifiers,
//! numbers and texts, never a domain type, so the error is the crate's
//! bottom layer and a change to a feature module is not a change to it.
//! Equality is total: two errors are equal when their variants and every
//! field are, with numbers compared as they print, so an error holding NaN
//! equals itself.

/// Everything that can go wrong in `sledai`.
///
/// # Example
///
/// ```
/// use sledai::{Descriptor, Error};
///
/// let err = "rsh".parse::<Descriptor>().unwrap_err();
/// assert!(matches!(err, Error::UnknownDescriptor { .. }));
/// assert_eq!(
///     err.to_string(),
///     "unknown descriptor `rsh`, did you mean `rash`?",
/// );
/// ```
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A descriptor identifier that is not one of the 24 SLEDAI-2K
    /// identifiers (see [`Descriptor::ALL`](crate::Descriptor::ALL)).
    #[error("unknown descriptor `{name}`{}", suggestion_suffix(*suggestion))]
    #[non_exhaustive]
    UnknownDescriptor {
        /// The name that was given.
        name: Box<str>,
        /// The nearest valid identifier, when one is close enough.
        suggestion: Option<&'static str>,
    },

    /// A name that is not one of the accepted values of a closed vocabulary
    /// (an organ system, a unit, a drug, ...).
    ///
    /// The nearest accepted value, when one is close enough, is
    /// [`Error::suggestion`] (computed from `value` and `expected`, so the
    /// error stays small).
    #[error("{field}: unknown value `{value}`, expected one of: {expected}{}", suggestion_suffix(nearest(value, expected.split(", "))))]
    #[non_exhaustive]
    UnknownName {
        /// The field being parsed.
        field: &'static str,
        /// The value that was given.
        value: Box<str>,
        /// The accepted values, comma separated.
        expected: &'static str,
    },

    /// The same descriptor was given twice in one assessment.
    #[error("descriptor `{descriptor}` is given more than once")]
    #[non_exhaustive]
    DuplicateDescriptor {
        /// The identifier of the repeated descriptor.
        descriptor: &'static str,
    },

    /// A number that is NaN or infinite.
    #[error("{field}: value {value} is not a finite number")]
    #[non_exhaustive]
    NotFinite {
        /// The field being validated.
        field: &'static str,
        /// The rejected value.
        value: f64,
    },

    /// A number outside the range the field can take.
    #[error("{field}: value {} is out of range, expected {min} to {max}", shown_number(*value))]
    #[non_exhaustive]
    OutOfRange {
        /// The field being validated.
        field: &'static str,
        /// The rejected value.
        value: f64,
        /// The smallest accepted value.
        min: f64,
        /// The largest accepted value.
        max: f64,
    },

    /// A bit mask with bits set outside the 24 descriptor bits.
    #[error("{field}: mask {value:#010x} is invalid: {reason}")]
    #[non_exhaustive]
    InvalidMask {
        /// Which mask (`present` or `not_assessed`).
        field: &'static str,
        /// The rejected mask.
        value: u32,
        /// Why it is invalid.
        reason: &'static str,
    },

    /// An input and an output slice of a batch function differ in length.
    #[error("batch length mismatch: {input} inputs but room for {output} outputs")]
    #[non_exhaustive]
    LengthMismatch {
        /// Number of inputs.
        input: usize,
        /// Number of output slots.
        output: usize,
    },

    /// An item of a batch was invalid; `index` is its zero-based position.
    #[error("item {index}: {source}")]
    #[non_exhaustive]
    InBatch {
        /// Zero-based position of the item in the batch.
        index: usize,
        /// What was wrong with it.
        source: Box<Error>,
    },

    /// A total was requested from an assessment with descriptors not
    /// assessed. The total is not defined; the range it can still take is.
    #[error(
        "assessment is incomplete: {} descriptor(s) not assessed ({}), total could be {min} to {max}",
        missing.len(),
        missing.join(", ")
    )]
    #[non_exhaustive]
    IncompleteAssessment {
        /// The identifiers of the descriptors not assessed, in form order.
        missing: Box<[&'static str]>,
        /// The smallest total the missing descriptors allow.
        min: u8,
        /// The largest total the missing descriptors allow.
        max: u8,
    },

    /// A calendar date that is malformed or does not exist.
    #[error("{field}: invalid date `{value}`: {reason}")]
    #[non_exhaustive]
    InvalidDate {
        /// The field being parsed.
        field: &'static str,
        /// The rejected text or date.
        value: Box<str>,
        /// Why it was rejected.
        reason: &'static str,
    },

    /// A value that is well-formed but not acceptable for a field, for a
    /// reason the message states (for example a lower limit above the upper
    /// limit, or two inputs that contradict each other).
    #[error("{field}: invalid value `{value}`: {reason}")]
    #[non_exhaustive]
    InvalidValue {
        /// The field being validated.
        field: &'static str,
        /// The rejected value, as text.
        value: Box<str>,
        /// Why it was rejected.
        reason: Box<str>,
    },

    // Laboratory derivation.
    /// A laboratory or clinical measurement that cannot be right: NaN or
    /// infinite, negative, outside its physiological bounds, a limit of
    /// normal that is not positive or a lower limit not below the upper
    /// one (bounds in `docs/labs.md`).
    #[error("{field}: {value} {unit} is invalid: {}", issue.describe(unit))]
    #[non_exhaustive]
    InvalidMeasurement {
        /// The field being validated (`platelets`, `c3.lower_limit`, ...).
        field: &'static str,
        /// The rejected value, in `unit`.
        value: f64,
        /// The unit of the value, as its stable string form.
        unit: &'static str,
        /// What is wrong with it.
        issue: MeasurementIssue,
    },

    /// Clinician-entered and laboratory-derived findings disagree, and the
    /// conflict policy is to refuse (see `crate::labs::ConflictPolicy`).
    #[error("clinician and laboratory findings conflict: {detail}")]
    #[non_exhaustive]
    FindingConflict {
        /// The identifiers of the descriptors in conflict, in form order.
        descriptors: Box<[&'static str]>,
        /// Every conflict described: what the clinician recorded, what the
        /// laboratory shows and the measurement that decided it.
        detail: Box<str>,
    },

    // Tables.
    /// The header of a visit table has problems; every one is listed
    /// (unknown, missing and repeated columns, JSON-only names, unused
    /// renames), so one run shows them all (see `crate::table::header`).
    #[error("{}", header_message(&header.problems))]
    #[non_exhaustive]
    Header {
        /// The problems (a rare and large payload, so it is boxed).
        header: Box<HeaderProblems>,
    },

    /// A row of a long (SDTM-like) table or a REDCap export could not be
    /// read through its mapping, or the mapping itself is wrong (see
    /// `crate::table::mapping`): the row (rows, for two rows that
    /// disagree), the column, the code and the mapping entry.
    #[error("{mapping}")]
    #[non_exhaustive]
    Mapping {
        /// The row, column, code and mapping entry (boxed: a rare and
        /// large payload).
        mapping: Box<MappingError>,
    },

    // Timelines and cohorts.
    /// A patient's visits in a cohort were invalid; `patient` is the
    /// patient identifier as given.
    #[error("patient `{patient}`: {source}")]
    #[non_exhaustive]
    InPatient {
        /// The patient identifier.
        patient: Box<str>,
        /// What was wrong with that patient's visits.
        source: Box<Error>,
    },
}

/// The problems of a visit table's header, carried by [`Error::Header`]:
/// every one is listed (unknown, missing and repeated columns, JSON-only
/// names, unused renames), so one run shows them all (see
/// `crate::table::header`).
///
/// ```
/// use sledai::table::{resolve, HeaderOptions};
/// use sledai::Error;
/// let err = resolve(&["patient", "rsh"], &HeaderOptions::default()).unwrap_err();
/// let Error::Header { header, .. } = &err else { panic!("{err}") };
/// assert_eq!(header.problems[0], "unknown column `rsh`, did you mean `rash`?");
/// assert_eq!(header.columns[0], "rsh");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HeaderProblems {
    /// Each problem, in header order, then the missing columns.
    pub problems: Vec<String>,
    /// The column each problem is about (as written; for the missing
    /// descriptor columns, the first of them), in the order of `problems`.
    pub columns: Vec<String>,
    /// The renames (old, new) that would make a column a visit field: a
    /// shell shows them in its own spelling (`--rename OLD=NEW`,
    /// `rename={"OLD": "NEW"}`).
    pub renames: Vec<(String, String)>,
    /// The unknown columns that the `ignore` extra-columns policy would
    /// ignore (none of them looks like a visit field).
    pub ignorable: Vec<String>,
}

/// Why a measurement was rejected; carried by
/// [`Error::InvalidMeasurement`]. Bounds are stated in the unit of the
/// rejected value.
///
/// ```
/// use sledai::error::MeasurementIssue;
/// use sledai::labs::LabValue;
/// use sledai::units::CountUnit;
/// use sledai::Error;
/// let err = LabValue::platelets(6_000_000.0, CountUnit::PerCubicMillimetre).unwrap_err();
/// assert!(matches!(
///     err,
///     Error::InvalidMeasurement { issue: MeasurementIssue::AboveMaximum { .. }, .. }
/// ));
/// assert_eq!(
///     err.to_string(),
///     "platelets: 6000000 /mm3 is invalid: above the maximum of 5000000 /mm3",
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum MeasurementIssue {
    /// NaN or an infinity.
    NotFinite,
    /// Below zero, for a quantity that cannot be negative.
    Negative,
    /// Below the physiological minimum (temperature only), in the value's
    /// unit.
    BelowMinimum {
        /// The smallest accepted value.
        min: f64,
    },
    /// Above the largest accepted value, in the value's unit.
    AboveMaximum {
        /// The largest accepted value.
        max: f64,
    },
    /// A laboratory limit of normal that is zero or negative.
    LimitNotPositive,
    /// A lower limit of normal that is not below the upper limit.
    LowerLimitNotBelowUpper {
        /// The upper limit of normal it was compared with.
        upper: f64,
    },
    /// A unit that exists but does not fit this measurement (red or white
    /// cells counted per low-power field).
    UnitNotAccepted,
}

impl MeasurementIssue {
    /// The issue with bounds followed by `unit`, for error messages.
    pub(crate) fn describe(&self, unit: &str) -> String {
        match self {
            MeasurementIssue::BelowMinimum { min } => format!("below the minimum of {min} {unit}"),
            MeasurementIssue::AboveMaximum { max } => format!("above the maximum of {max} {unit}"),
            MeasurementIssue::LowerLimitNotBelowUpper { upper } => {
                format!("the lower limit of normal is not below the upper limit {upper} {unit}")
            }
            other => other.to_string(),
        }
    }
}

impl std::fmt::Display for MeasurementIssue {
    /// The issue without its unit (the error message adds the unit).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MeasurementIssue::NotFinite => f.write_str("not a finite number"),
            MeasurementIssue::Negative => f.write_str("negative"),
            MeasurementIssue::BelowMinimum { min } => {
                write!(f, "below the minimum of {min}")
            }
            MeasurementIssue::AboveMaximum { max } => {
                write!(f, "above the maximum of {max}")
            }
            MeasurementIssue::LimitNotPositive => {
                f.write_str("a limit of normal must be above zero")
            }
            MeasurementIssue::LowerLimitNotBelowUpper { upper } => {
                write!(
                    f,
                    "the lower limit of normal is not below the upper limit {upper}"
                )
            }
            MeasurementIssue::UnitNotAccepted => {
                f.write_str("cells are counted per high-power field (/hpf)")
            }
        }
    }
}

impl PartialEq for Error {
    /// Same variant and every field equal; numbers compare as they print
    /// (NaN equals NaN, `0.0` differs from `-0.0`), so the relation is an
    /// equivalence. Errors are compared in tests, never on a hot path.
    ///
    /// ```
    /// use sledai::Pga;
    /// let a = Pga::new(f64::NAN).unwrap_err();
    /// assert_eq!(a, a.clone());
    /// assert_ne!(a, Pga::new(4.0).unwrap_err());
    /// ```
    fn eq(&self, other: &Error) -> bool {
        format!("{self:?}") == format!("{other:?}")
    }
}

impl Eq for Error {}

impl Error {
    /// The nearest accepted value to the one given, when one is close
    /// enough to be a plausible typo: the `suggestion` of
    /// [`Error::UnknownDescriptor`], and for [`Error::UnknownName`] the
    /// nearest of its `expected` values.
    ///
    /// ```
    /// use sledai::{Descriptor, Error, TriState};
    /// let e = "rsh".parse::<Descriptor>().unwrap_err();
    /// assert_eq!(e.suggestion(), Some("rash"));
    /// let e = "mett".parse::<TriState>().unwrap_err();
    /// assert_eq!(e.suggestion(), Some("met"));
    /// assert_eq!("zzzzzz".parse::<TriState>().unwrap_err().suggestion(), None);
    /// ```
    #[must_use]
    pub fn suggestion(&self) -> Option<&'static str> {
        match self {
            Error::UnknownDescriptor { suggestion, .. } => *suggestion,
            Error::UnknownName {
                value, expected, ..
            } => nearest(value, expected.split(", ")),
            _ => None,
        }
    }
}

/// The most problems a header message lists; the rest are counted.
const MOST_PROBLEMS: usize = 20;

/// What [`Error::Mapping`] says: where in the table and in the mapping a
/// problem is, and what it is.
///
/// ```
/// use sledai::table::Mapping;
/// use sledai::Error;
/// let err = Mapping::from_json(r#"{"rename": []}"#).unwrap_err();
/// let Error::Mapping { mapping: m, .. } = &err else { panic!("{err}") };
/// assert_eq!(m.entry.as_deref(), Some("rename"));
/// assert_eq!(m.row, None);
/// assert_eq!(err.to_string(), "mapping entry `rename`: expected an object, found a list");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MappingError {
    /// The row, as the caller numbered it (the CLI: the file's line);
    /// `None` for a problem of the mapping or of the header.
    pub row: Option<u64>,
    /// The other row of a conflict (the earlier one).
    pub other_row: Option<u64>,
    /// The column, as written in the table.
    pub column: Option<String>,
    /// The sponsor's code (a test code, a checkbox code, an instrument),
    /// as written.
    pub code: Option<String>,
    /// The mapping entry, as a path (`long.tests.SEIZ`,
    /// `redcap.checkboxes.sledai.codes.13`, `rename.USUBJID`).
    pub entry: Option<String>,
    /// What is wrong.
    pub reason: String,
}

impl std::fmt::Display for MappingError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&mapping_message(
            self.row,
            self.other_row,
            self.column.as_deref(),
            self.code.as_deref(),
            self.entry.as_deref(),
            &self.reason,
        ))
    }
}

fn mapping_message(
    row: Option<u64>,
    other_row: Option<u64>,
    column: Option<&str>,
    code: Option<&str>,
    entry: Option<&str>,
    reason: &str,
) -> String {
    let mut parts: Vec<String> = Vec::new();
    match (other_row, row) {
        (Some(a), Some(b)) => parts.push(format!("rows {a} and {b}")),
        (None, Some(r)) => parts.push(format!("row {r}")),
        _ => {}
    }
    if let Some(c) = column {
        parts.push(format!("column `{}`", shortened(c)));
    }
    if let Some(c) = code {
        parts.push(format!("code `{}`", shortened(c)));
    }
    if let Some(e) = entry {
        parts.push(format!("mapping entry `{}`", shortened(e)));
    }
    if parts.is_empty() {
        format!("mapping: {reason}")
    } else {
        format!("{}: {reason}", parts.join(", "))
    }
}

fn header_message(problems: &[String]) -> String {
    let n = problems.len();
    if n == 1 {
        return problems[0].clone();
    }
    let mut msg = format!(
        "{n} problem{} with the header: ",
        if n == 1 { "" } else { "s" }
    );
    msg.push_str(&problems[..n.min(MOST_PROBLEMS)].join("; "));
    if n > MOST_PROBLEMS {
        msg.push_str(&format!("; and {} more", n - MOST_PROBLEMS));
    }
    msg
}

/// The longest text a message echoes whole; a longer one is shortened.
const LONGEST_ECHO: usize = 64;
/// How many characters of a shortened text a message keeps.
const KEPT: usize = 40;

/// `text`, or when it has more than 64 characters its first 40 and
/// `… (N characters)`: messages echo input, and input can be enormous (the
/// same rule as the command-line tool and the Python package).
pub(crate) fn shortened(text: &str) -> std::borrow::Cow<'_, str> {
    let n = text.chars().count();
    if n <= LONGEST_ECHO {
        return std::borrow::Cow::Borrowed(text);
    }
    let head: String = text.chars().take(KEPT).collect();
    std::borrow::Cow::Owned(format!("{head}… ({n} characters)"))
}

/// A number as a message shows it: as `Display` writes it, except that a
/// very large or very small one is written with an exponent (`1e300`,
/// not 301 digits).
fn shown_number(x: f64) -> String {
    let a = x.abs();
    if a.is_finite() && (a >= 1e16 || (a != 0.0 && a < 1e-6)) {
        format!("{x:e}")
    } else {
        x.to_string()
    }
}

fn suggestion_suffix(suggestion: Option<&'static str>) -> String {
    match suggestion {
        Some(s) => format!(", did you mean `{s}`?"),
        None => String::new(),
    }
}

/// The nearest candidate to `name` by edit distance, if it is close enough to
/// be a plausible typo (at most a third of the name's length, and at most 3).
///
/// A candidate whose length differs from the name's by more than the limit
/// cannot be that close and is skipped without computing a distance, so a
/// name of any size costs time linear in its length only (a megabyte of
/// text given as a name is no typo).
pub(crate) fn nearest<'a, I>(name: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    const MAX_LIMIT: usize = 3;
    let length = name.chars().count();
    let limit = (length / 3).clamp(1, MAX_LIMIT);
    let near: Vec<&'a str> = candidates
        .into_iter()
        .filter(|c| c.chars().count().abs_diff(length) <= limit)
        .collect();
    if near.is_empty() {
        return None;
    }
    let lowered = name.to_ascii_lowercase();
    near.into_iter()
        .map(|c| (edit_distance(&lowered, c), c))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// Levenshtein distance over chars.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let subst = prev[j] + usize::from(ca != cb);
            cur[j + 1] = subst.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_hand_cases() {
        assert_eq!(edit_distance("", ""), 0);
        assert_eq!(edit_distance("rash", "rash"), 0);
        assert_eq!(edit_distance("rsh", "rash"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn nearest_respects_limit() {
        let c = ["rash", "fever"];
        assert_eq!(nearest("RASH", c), Some("rash"));
        assert_eq!(nearest("zzzzzz", c), None);
        // Lengths too far apart are never compared.
        assert_eq!(nearest("rashes_", c), None);
        assert_eq!(nearest("rashe", c), Some("rash"));
    }

    #[test]
    fn nearest_is_fast_for_a_huge_name() {
        let huge = "r".repeat(10_000_000);
        assert_eq!(nearest(&huge, ["rash", "fever"]), None);
    }
}
