//! What the treat-to-target rules read at one visit, and how they explain
//! themselves.
//!
//! This module owns [`TargetInputs`], the per-visit input shared by LLDAS
//! ([`crate::lldas`], Franklyn 2016) and DORIS remission
//! ([`crate::remission`], van Vollenhoven 2021), and the per-criterion
//! explanation [`CriterionResult`] with its identifier [`Criterion`].
//!
//! Every input other than the assessment is optional: `None` means *not
//! recorded*, which is never read as normal. A criterion that needs a
//! missing input, and is not already settled by the known ones, is
//! [`TriState::Indeterminate`] (clinical reference sections 2 and 3).
//!
//! # Serde format
//!
//! ```json
//! {
//!   "assessment": {"present": ["arthritis"]},
//!   "previous_assessment": {"present": ["arthritis"]},
//!   "new_activity": null,
//!   "pga": 0.8,
//!   "prednisone_equivalent": 5.0,
//!   "hemolytic_anemia": false,
//!   "gastrointestinal_activity": false,
//!   "maintenance_well_tolerated": true,
//!   "investigational_drug": false
//! }
//! ```
//!
//! Only `assessment` is required; an omitted field or `null` is not
//! recorded. Unknown fields are errors.

use std::fmt;

use crate::assessment::Assessment;
use crate::glucocorticoid::PrednisoneEquivalent;
use crate::pga::Pga;
use crate::state::TriState;

/// The inputs of LLDAS and DORIS remission at one visit.
///
/// `#[non_exhaustive]`: build it with [`TargetInputs::new`] and the `with_*`
/// methods. The public fields can be read and reassigned.
///
/// # Example
///
/// ```
/// use sledai::glucocorticoid::PrednisoneEquivalent;
/// use sledai::target::TargetInputs;
/// use sledai::{lldas, Assessment, Descriptor, Pga, TriState};
///
/// let now = Assessment::from_present([Descriptor::Arthritis]);
/// let inputs = TargetInputs::new(now)
///     .with_previous_assessment(now)
///     .with_pga(Pga::new(1.0)?)
///     .with_prednisone_equivalent(PrednisoneEquivalent::from_mg(7.5)?)
///     .with_hemolytic_anemia(false)
///     .with_gastrointestinal_activity(false)
///     .with_maintenance_well_tolerated(true)
///     .with_investigational_drug(false);
/// assert_eq!(lldas::evaluate(&inputs)?.state, TriState::Met);
///
/// // Nothing but an empty form: never met.
/// let empty = TargetInputs::new(Assessment::not_assessed());
/// assert_eq!(lldas::evaluate(&empty)?.state, TriState::Indeterminate);
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct TargetInputs {
    /// The SLEDAI-2K assessment at this visit.
    pub assessment: Assessment,
    /// The SLEDAI-2K assessment at the previous visit, if any (LLDAS
    /// criterion 2: a descriptor present now and assessed absent then is a
    /// new feature).
    #[serde(default)]
    pub previous_assessment: Option<Assessment>,
    /// The caller's explicit statement on LLDAS criterion 2: `true` if there
    /// are new features of lupus activity since the previous assessment,
    /// `false` if there are none. It settles what the item comparison leaves
    /// open; contradicting a decided comparison is an error (see
    /// [`crate::lldas`]).
    #[serde(default)]
    pub new_activity: Option<bool>,
    /// The physician global assessment (0-3).
    #[serde(default)]
    pub pga: Option<Pga>,
    /// The current daily glucocorticoid dose as prednisone-equivalent
    /// mg/day (see [`crate::glucocorticoid::prednisone_equivalent`]);
    /// [`PrednisoneEquivalent::ZERO`] when no glucocorticoid is taken.
    #[serde(default)]
    pub prednisone_equivalent: Option<PrednisoneEquivalent>,
    /// Haemolytic anaemia attributed to lupus activity (not a SLEDAI-2K
    /// descriptor; LLDAS criterion 1).
    #[serde(default)]
    pub hemolytic_anemia: Option<bool>,
    /// Gastrointestinal lupus activity (not a SLEDAI-2K descriptor; LLDAS
    /// criterion 1).
    #[serde(default)]
    pub gastrointestinal_activity: Option<bool>,
    /// Standard maintenance doses of immunosuppressive drugs and approved
    /// biological agents, well tolerated (LLDAS criterion 5). `true` also
    /// when the patient takes no maintenance therapy: nothing is poorly
    /// tolerated.
    #[serde(default)]
    pub maintenance_well_tolerated: Option<bool>,
    /// The patient is taking an investigational drug (LLDAS criterion 5
    /// excludes it).
    #[serde(default)]
    pub investigational_drug: Option<bool>,
}

impl TargetInputs {
    /// Inputs with only the current assessment; everything else not
    /// recorded.
    ///
    /// ```
    /// use sledai::target::TargetInputs;
    /// use sledai::Assessment;
    /// let i = TargetInputs::new(Assessment::from_present([]));
    /// assert_eq!(i.pga, None);
    /// assert_eq!(i.previous_assessment, None);
    /// ```
    pub const fn new(assessment: Assessment) -> TargetInputs {
        TargetInputs {
            assessment,
            previous_assessment: None,
            new_activity: None,
            pga: None,
            prednisone_equivalent: None,
            hemolytic_anemia: None,
            gastrointestinal_activity: None,
            maintenance_well_tolerated: None,
            investigational_drug: None,
        }
    }

    /// With the previous visit's assessment.
    ///
    /// ```
    /// use sledai::target::TargetInputs;
    /// use sledai::Assessment;
    /// let a = Assessment::from_present([]);
    /// assert_eq!(TargetInputs::new(a).with_previous_assessment(a).previous_assessment, Some(a));
    /// ```
    #[must_use]
    pub const fn with_previous_assessment(mut self, previous: Assessment) -> Self {
        self.previous_assessment = Some(previous);
        self
    }

    /// With an explicit statement on new features of lupus activity since
    /// the previous assessment (`true`: there are new features).
    ///
    /// ```
    /// use sledai::target::TargetInputs;
    /// use sledai::Assessment;
    /// let i = TargetInputs::new(Assessment::from_present([])).with_new_activity(false);
    /// assert_eq!(i.new_activity, Some(false));
    /// ```
    #[must_use]
    pub const fn with_new_activity(mut self, new_activity: bool) -> Self {
        self.new_activity = Some(new_activity);
        self
    }

    /// With the physician global assessment.
    ///
    /// ```
    /// use sledai::target::TargetInputs;
    /// use sledai::{Assessment, Pga};
    /// let i = TargetInputs::new(Assessment::from_present([])).with_pga(Pga::ZERO);
    /// assert_eq!(i.pga, Some(Pga::ZERO));
    /// ```
    #[must_use]
    pub const fn with_pga(mut self, pga: Pga) -> Self {
        self.pga = Some(pga);
        self
    }

    /// With the prednisone-equivalent daily dose.
    ///
    /// ```
    /// use sledai::glucocorticoid::PrednisoneEquivalent;
    /// use sledai::target::TargetInputs;
    /// use sledai::Assessment;
    /// let i = TargetInputs::new(Assessment::from_present([]))
    ///     .with_prednisone_equivalent(PrednisoneEquivalent::ZERO);
    /// assert_eq!(i.prednisone_equivalent, Some(PrednisoneEquivalent::ZERO));
    /// ```
    #[must_use]
    pub const fn with_prednisone_equivalent(mut self, dose: PrednisoneEquivalent) -> Self {
        self.prednisone_equivalent = Some(dose);
        self
    }

    /// With whether haemolytic anaemia from lupus is present.
    ///
    /// ```
    /// use sledai::target::TargetInputs;
    /// use sledai::Assessment;
    /// let i = TargetInputs::new(Assessment::from_present([])).with_hemolytic_anemia(false);
    /// assert_eq!(i.hemolytic_anemia, Some(false));
    /// ```
    #[must_use]
    pub const fn with_hemolytic_anemia(mut self, present: bool) -> Self {
        self.hemolytic_anemia = Some(present);
        self
    }

    /// With whether gastrointestinal lupus activity is present.
    ///
    /// ```
    /// use sledai::target::TargetInputs;
    /// use sledai::Assessment;
    /// let i = TargetInputs::new(Assessment::from_present([])).with_gastrointestinal_activity(true);
    /// assert_eq!(i.gastrointestinal_activity, Some(true));
    /// ```
    #[must_use]
    pub const fn with_gastrointestinal_activity(mut self, present: bool) -> Self {
        self.gastrointestinal_activity = Some(present);
        self
    }

    /// With whether maintenance therapy is at standard doses and well
    /// tolerated (`true` also when there is none).
    ///
    /// ```
    /// use sledai::target::TargetInputs;
    /// use sledai::Assessment;
    /// let i = TargetInputs::new(Assessment::from_present([])).with_maintenance_well_tolerated(true);
    /// assert_eq!(i.maintenance_well_tolerated, Some(true));
    /// ```
    #[must_use]
    pub const fn with_maintenance_well_tolerated(mut self, tolerated: bool) -> Self {
        self.maintenance_well_tolerated = Some(tolerated);
        self
    }

    /// With whether the patient takes an investigational drug.
    ///
    /// ```
    /// use sledai::target::TargetInputs;
    /// use sledai::Assessment;
    /// let i = TargetInputs::new(Assessment::from_present([])).with_investigational_drug(false);
    /// assert_eq!(i.investigational_drug, Some(false));
    /// ```
    #[must_use]
    pub const fn with_investigational_drug(mut self, taking: bool) -> Self {
        self.investigational_drug = Some(taking);
        self
    }
}

/// The identifier of one criterion of a treat-to-target definition.
///
/// Serializes as its snake_case [`Criterion::id`]. `#[non_exhaustive]`:
/// further definitions may add criteria.
///
/// ```
/// use sledai::target::Criterion;
/// assert_eq!(Criterion::LldasPga.id(), "lldas_pga");
/// assert_eq!(serde_json::to_string(&Criterion::DorisClinicalSledai)?, r#""doris_clinical_sledai""#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Criterion {
    /// LLDAS 1: SLEDAI-2K <= 4, no major organ activity, no haemolytic
    /// anaemia, no gastrointestinal activity.
    LldasActivity,
    /// LLDAS 2: no new features of lupus activity since the previous
    /// assessment.
    LldasNoNewActivity,
    /// LLDAS 3: PGA <= 1.
    LldasPga,
    /// LLDAS 4: prednisolone-equivalent <= 7.5 mg/day.
    LldasGlucocorticoid,
    /// LLDAS 5: well tolerated standard maintenance therapy, no
    /// investigational drug.
    LldasMaintenance,
    /// DORIS: clinical SLEDAI = 0.
    DorisClinicalSledai,
    /// DORIS: PGA < 0.5 (or <= 0.5 under the 2017 reading).
    DorisPga,
    /// DORIS: prednisolone-equivalent <= 5 mg/day (or < 5 under the strict
    /// reading).
    DorisGlucocorticoid,
}

impl Criterion {
    /// The stable snake_case identifier.
    ///
    /// ```
    /// use sledai::target::Criterion;
    /// assert_eq!(Criterion::LldasNoNewActivity.id(), "lldas_no_new_activity");
    /// ```
    pub const fn id(self) -> &'static str {
        match self {
            Criterion::LldasActivity => "lldas_activity",
            Criterion::LldasNoNewActivity => "lldas_no_new_activity",
            Criterion::LldasPga => "lldas_pga",
            Criterion::LldasGlucocorticoid => "lldas_glucocorticoid",
            Criterion::LldasMaintenance => "lldas_maintenance",
            Criterion::DorisClinicalSledai => "doris_clinical_sledai",
            Criterion::DorisPga => "doris_pga",
            Criterion::DorisGlucocorticoid => "doris_glucocorticoid",
        }
    }
}

impl fmt::Display for Criterion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// The result of one criterion, explaining itself: what was observed,
/// against which threshold, and why the state follows.
///
/// Serializes with the stable field names `criterion`, `state`, `observed`,
/// `threshold` and `reason`. `#[non_exhaustive]`: fields may be added.
///
/// ```
/// use sledai::target::{Criterion, TargetInputs};
/// use sledai::{lldas, Assessment, Pga, TriState};
///
/// let inputs = TargetInputs::new(Assessment::from_present([])).with_pga(Pga::new(1.1)?);
/// let r = lldas::evaluate(&inputs)?;
/// let pga = r.criterion(Criterion::LldasPga).expect("an LLDAS criterion");
/// assert_eq!(pga.state, TriState::NotMet);
/// assert_eq!(pga.observed, "PGA 1.1");
/// assert_eq!(pga.threshold, "PGA <= 1.0 (0-3 scale)");
/// let json = serde_json::to_value(pga).unwrap();
/// assert_eq!(json["state"], "not_met");
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct CriterionResult {
    /// Which criterion.
    pub criterion: Criterion,
    /// Met, not met, or indeterminate.
    pub state: TriState,
    /// The observed value(s), as text (`"not recorded"` when missing).
    pub observed: String,
    /// The rule, as text (e.g. `"PGA <= 1.0 (0-3 scale)"`).
    pub threshold: String,
    /// A short reason the state follows from the observed value.
    pub reason: String,
}

impl CriterionResult {
    pub(crate) fn new(
        criterion: Criterion,
        state: TriState,
        observed: String,
        threshold: impl Into<String>,
        reason: String,
    ) -> CriterionResult {
        CriterionResult {
            criterion,
            state,
            observed,
            threshold: threshold.into(),
            reason,
        }
    }
}

/// `"yes"`, `"no"` or `"not recorded"`.
pub(crate) fn yes_no(value: Option<bool>) -> &'static str {
    match value {
        Some(true) => "yes",
        Some(false) => "no",
        None => "not recorded",
    }
}

/// The shared text for a missing input.
pub(crate) const NOT_RECORDED: &str = "not recorded";

/// A criterion of the form `value <= limit` (or `value < limit` when not
/// `inclusive`), indeterminate when the value is missing.
pub(crate) fn at_most<T: Ord + fmt::Display>(
    criterion: Criterion,
    label: &str,
    value: Option<T>,
    limit: T,
    inclusive: bool,
    threshold: String,
) -> CriterionResult {
    let Some(v) = value else {
        return CriterionResult::new(
            criterion,
            TriState::Indeterminate,
            format!("{label} {NOT_RECORDED}"),
            threshold,
            format!("{label} is not recorded; a missing value never passes"),
        );
    };
    let holds = if inclusive { v <= limit } else { v < limit };
    let op = match (holds, inclusive) {
        (true, true) => "<=",
        (true, false) => "<",
        (false, true) => ">",
        (false, false) => ">=",
    };
    CriterionResult::new(
        criterion,
        TriState::from_bool(holds),
        format!("{label} {v}"),
        threshold,
        format!("{v} {op} {limit}"),
    )
}
