//! The one error type of the crate.
//!
//! Every fallible function in `sledai` returns [`Error`]. Variants are
//! struct-like and carry the offending value, so a message always names the
//! field and the value that was rejected. Messages are lower-case and have no
//! trailing punctuation, in the style of the standard library.
//!
//! The enum is `#[non_exhaustive]`: new kinds of invalid input may be added
//! in minor releases, so match with a wildcard arm.

use crate::bilag::{BilagGrade, BilagSystem};
use crate::descriptor::{Descriptor, DescriptorSet};
use crate::labs::{Conflict, MeasurementIssue};
use crate::score::ScoreRange;

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
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A descriptor identifier that is not one of the 24 SLEDAI-2K
    /// identifiers (see [`Descriptor::ALL`]).
    #[error("unknown descriptor `{name}`{}", suggestion_suffix(*suggestion))]
    UnknownDescriptor {
        /// The name that was given.
        name: String,
        /// The nearest valid identifier, when one is close enough.
        suggestion: Option<&'static str>,
    },

    /// A name that is not one of the accepted values of a closed vocabulary
    /// (an organ system, a unit, a drug, ...).
    #[error("{field}: unknown value `{value}`, expected one of: {expected}{}", suggestion_suffix(*suggestion))]
    UnknownName {
        /// The field being parsed.
        field: &'static str,
        /// The value that was given.
        value: String,
        /// The accepted values, comma separated.
        expected: &'static str,
        /// The nearest accepted value, when one is close enough.
        suggestion: Option<&'static str>,
    },

    /// The same descriptor was given twice in one assessment.
    #[error("descriptor `{descriptor}` is given more than once")]
    DuplicateDescriptor {
        /// The repeated descriptor.
        descriptor: Descriptor,
    },

    /// A number that is NaN or infinite.
    #[error("{field}: value {value} is not a finite number")]
    NotFinite {
        /// The field being validated.
        field: &'static str,
        /// The rejected value.
        value: f64,
    },

    /// A number outside the range the field can take.
    #[error("{field}: value {value} is out of range, expected {min} to {max}")]
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

    /// A bit mask with bits set outside the 24 descriptor bits, or with a
    /// descriptor both present and not assessed.
    #[error("{field}: mask {value:#010x} is invalid: {reason}")]
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
    LengthMismatch {
        /// Number of inputs.
        input: usize,
        /// Number of output slots.
        output: usize,
    },

    /// An item of a batch was invalid; `index` is its zero-based position.
    #[error("item {index}: {source}")]
    InBatch {
        /// Zero-based position of the item in the batch.
        index: usize,
        /// What was wrong with it.
        source: Box<Error>,
    },

    /// A total was requested from an assessment with descriptors not
    /// assessed. The total is not defined; the range it can still take is.
    #[error(
        "assessment is incomplete: {} descriptor(s) not assessed ({}), total could be {range}",
        missing.len(),
        missing
    )]
    IncompleteAssessment {
        /// The descriptors that were not assessed.
        missing: DescriptorSet,
        /// The range the total can still take.
        range: ScoreRange,
    },

    /// A calendar date that is malformed or does not exist.
    #[error("{field}: invalid date `{value}`: {reason}")]
    InvalidDate {
        /// The field being parsed.
        field: &'static str,
        /// The rejected text or date.
        value: String,
        /// Why it was rejected.
        reason: &'static str,
    },

    /// A value that is well-formed but not acceptable for a field, for a
    /// reason the message states (for example a lower limit above the upper
    /// limit, or two inputs that contradict each other).
    #[error("{field}: invalid value `{value}`: {reason}")]
    InvalidValue {
        /// The field being validated.
        field: &'static str,
        /// The rejected value, as text.
        value: String,
        /// Why it was rejected.
        reason: String,
    },
    // ---- glucocorticoid, pga, lldas, remission (issue 3): add variants below ----

    // ---- labs (issue 6): add variants below ----
    /// A laboratory or clinical measurement that cannot be right: NaN or
    /// infinite, negative, outside its physiological bounds, a limit of
    /// normal that is not positive or a lower limit not below the upper
    /// one (bounds in `docs/labs.md`).
    #[error("{field}: {value} {unit} is invalid: {}", issue.describe(unit))]
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
    #[error(
        "clinician and laboratory findings conflict: {}",
        list_conflicts(conflicts)
    )]
    FindingConflict {
        /// Every conflict, in form order.
        conflicts: Vec<Conflict>,
    },
    // ---- timeline, change (issue 7): add variants below ----
    /// A patient's visits in a cohort were invalid; `patient` is the
    /// patient identifier as given.
    #[error("patient `{patient}`: {source}")]
    InPatient {
        /// The patient identifier.
        patient: String,
        /// What was wrong with that patient's visits.
        source: Box<Error>,
    },
    // ---- classification (issue 8): add variants below ----
    // ---- bilag (issue 14): add variants below ----
    /// A name that is not one of the nine BILAG-2004 systems.
    #[error(
        "bilag: unknown system `{value}`, expected one of: {}{}",
        crate::bilag::system_ids(),
        suggestion_suffix(*suggestion)
    )]
    UnknownBilagSystem {
        /// The name that was given.
        value: String,
        /// The nearest system identifier, when one is close enough.
        suggestion: Option<&'static str>,
    },

    /// A BILAG-2004 grade that is not one upper-case letter A-E.
    #[error(
        "{}: invalid grade `{value}`, expected one of A, B, C, D, E (upper case)",
        system.map_or("bilag", crate::bilag::grade_field)
    )]
    InvalidBilagGrade {
        /// The system whose grade it is, when known.
        system: Option<BilagSystem>,
        /// The value that was given, as text.
        value: String,
    },

    /// Under `bilag_grade_e = strict`, a system graded E after A-D in the
    /// same patient (E means never affected).
    #[error(
        "{}: grade E after grade {earlier} in the same patient (bilag_grade_e = strict: E means never affected)",
        crate::bilag::grade_field(*system)
    )]
    BilagGradeEAfterActivity {
        /// The system.
        system: BilagSystem,
        /// The earlier grade.
        earlier: BilagGrade,
    },
}

fn list_conflicts(conflicts: &[Conflict]) -> String {
    conflicts
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

fn suggestion_suffix(suggestion: Option<&'static str>) -> String {
    match suggestion {
        Some(s) => format!(", did you mean `{s}`?"),
        None => String::new(),
    }
}

/// The nearest candidate to `name` by edit distance, if it is close enough to
/// be a plausible typo (at most a third of the name's length, and at most 3).
pub(crate) fn nearest<'a, I>(name: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let lowered = name.to_ascii_lowercase();
    let limit = (lowered.chars().count() / 3).clamp(1, 3);
    candidates
        .into_iter()
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
    }
}
