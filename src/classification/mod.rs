//! The 2019 EULAR/ACR classification criteria for systemic lupus
//! erythematosus.
//!
//! This module owns the criteria table ([`ClassificationCriterion::ALL`], one row per
//! weighted criterion: identifier, name, domain, points, definition), the ten
//! [`Domain`]s, the input of one patient ([`ClassificationInput`]), the
//! explicit-unit raw values it accepts ([`ExtremeValues`]) and the result
//! ([`Classification`]).
//!
//! Source: Aringer M, Costenbader K, Daikh D, et al. *2019 European League
//! Against Rheumatism/American College of Rheumatology classification
//! criteria for systemic lupus erythematosus.* Ann Rheum Dis
//! 2019;78:1151-9 (also Arthritis Rheumatol 2019;71:1400-12). The project's
//! transcription is `docs/reference.md` section 6; the policy choices are
//! listed in `docs/classification.md`.
//!
//! These are *classification* criteria, not SLEDAI-2K: they have their own
//! items, weights and thresholds (fever > 38.3 °C, leukopenia
//! < 4.0 x 10^9/L), and a criterion counts if it occurred on at least one
//! occasion, ever.
//!
//! # Rules (Aringer 2019)
//!
//! 1. Entry criterion: ANA at a titre of at least 1:80 on HEp-2 cells, or an
//!    equivalent positive test, ever.
//! 2. A criterion counts only if there is no more likely explanation than
//!    SLE ([`ClassificationInput::with_more_likely_explanation`]).
//! 3. Within each domain only the highest-weighted present criterion counts.
//! 4. At least one clinical criterion (domains constitutional to renal) is
//!    required.
//! 5. A total of 10 points or more classifies; the maximum is 51.
//!
//! # Missing data
//!
//! A criterion (or the entry criterion) that was not assessed is missing,
//! never absent. The result is then computed for the two extreme
//! completions: every missing criterion absent (the worst) and every
//! missing criterion present (the best). Every rule is monotone (adding a
//! criterion never removes points, never breaks the clinical-criterion
//! rule), so if the worst completion classifies every completion does, and
//! if the best does not none does; otherwise the result is
//! [`Outcome::Indeterminate`].
//!
//! # Example
//!
//! ```
//! use sledai::classification::{ClassificationInput, ClassificationCriterion, Outcome};
//! use sledai::Finding;
//!
//! let input = ClassificationInput::from_present([
//!     ClassificationCriterion::JointInvolvement, // 6
//!     ClassificationCriterion::LowC3OrLowC4,     // 3
//!     ClassificationCriterion::OralUlcers,       // 2
//! ])
//! .with_ana_titre("1:160".parse()?);
//! let result = sledai::classification::evaluate(&input)?;
//! assert_eq!(result.outcome(), Outcome::Classified);
//! assert_eq!(result.total(), Some(11));
//!
//! // Missing data is not absence: without the complement result the
//! // answer depends on it.
//! let partial = input.with(ClassificationCriterion::LowC3OrLowC4, Finding::NotAssessed);
//! let result = sledai::classification::evaluate(&partial)?;
//! assert_eq!(result.outcome(), Outcome::Indeterminate);
//! assert_eq!(result.points().to_string(), "8 to 11"); // 6 + 2, up to + 3
//! # Ok::<(), sledai::Error>(())
//! ```

use crate::error::Error;

mod criteria;
mod entry;
mod input;
mod measurements;
mod result;

pub use criteria::*;
pub use entry::*;
pub use input::*;
pub use measurements::*;
pub use result::*;

/// The citation of every criterion, weight, domain and rule of this module.
const ARINGER_2019: &str =
    "Aringer M et al. 2019 EULAR/ACR classification criteria for SLE. Ann Rheum Dis 2019;78:1151-9";

/// The citation of the criteria table and rules.
///
/// ```
/// assert!(sledai::classification::CITATION.contains("Ann Rheum Dis 2019"));
/// ```
pub const CITATION: &str = ARINGER_2019;

/// Points needed to classify: a total of 10 or more (Aringer 2019).
///
/// ```
/// assert_eq!(sledai::classification::THRESHOLD, 10);
/// ```
pub const THRESHOLD: u8 = 10;

/// The highest achievable total: the sum of the highest weight of each of
/// the ten domains, 2 + 4 + 5 + 6 + 6 + 6 + 10 + 2 + 4 + 6 = 51.
///
/// ```
/// use sledai::classification::{CriterionSet, MAX_POINTS};
/// assert_eq!(MAX_POINTS, 51);
/// assert_eq!(CriterionSet::FULL.points(), MAX_POINTS);
/// ```
pub const MAX_POINTS: u8 = 51;

/// Classifies one patient under the 2019 EULAR/ACR criteria.
///
/// Steps: (1) a raw value decides its criterion when the criterion is
/// not assessed, and must agree with it otherwise; the titre likewise
/// for the entry criterion; (2) a criterion with a more likely
/// explanation does not count, whatever its finding; (3) the total is
/// the sum over domains of the highest-weighted counting criterion;
/// (4) the outcome of the worst and of the best completion of the
/// missing criteria decides the result (see the [module
/// docs](self)).
///
/// # Errors
///
/// [`Error::InvalidValue`] when a raw value contradicts the finding
/// recorded for the same criterion (for example fever present with a
/// highest temperature of 37.9 °C), or the titre contradicts the entry
/// criterion; the field is the criterion (or `ana`) and the message
/// names the raw value.
///
/// ```
/// use sledai::classification::{BodyTemperature, ClassificationInput, ClassificationCriterion, ExtremeValues};
/// use sledai::units::TemperatureUnit;
/// let t = BodyTemperature::new(37.9, TemperatureUnit::Celsius)?;
/// let m = ExtremeValues::new().with_max_temperature(t);
/// let input = ClassificationInput::from_present([ClassificationCriterion::Fever]).with_measurements(m);
/// let err = sledai::classification::evaluate(&input).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "fever: invalid value `present`: contradicts max_temperature 37.9 C, which does not meet > 38.3 °C",
/// );
/// # Ok::<(), sledai::Error>(())
/// ```
pub fn evaluate(input: &ClassificationInput) -> Result<Classification, Error> {
    input.evaluate()
}
