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
//! [`TriState::Indeterminate`] (`docs/reference.md` sections 2 and 3).
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
//!   "maintenance_tolerated": true,
//!   "investigational_drug": false
//! }
//! ```
//!
//! Only `assessment` is required; an omitted field or `null` is not
//! recorded. Unknown fields are errors.

use std::fmt;

use crate::assessment::Assessment;
use crate::descriptor::DescriptorSet;
use crate::glucocorticoid::PrednisoneEquivalent;
use crate::pga::Pga;
use crate::score::{Score, ScoreRange};
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
///     .with_maintenance_tolerated(true)
///     .with_investigational_drug(false);
/// assert_eq!(lldas::evaluate(&inputs)?.state(), TriState::Met);
///
/// // Nothing but an empty form: never met.
/// let empty = TargetInputs::new(Assessment::not_assessed());
/// assert_eq!(lldas::evaluate(&empty)?.state(), TriState::Indeterminate);
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
    /// Serde also reads the former name `maintenance_well_tolerated`.
    #[serde(default, alias = "maintenance_well_tolerated")]
    pub maintenance_tolerated: Option<bool>,
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
            maintenance_tolerated: None,
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
    /// let i = TargetInputs::new(Assessment::from_present([])).with_maintenance_tolerated(true);
    /// assert_eq!(i.maintenance_tolerated, Some(true));
    /// ```
    #[must_use]
    pub const fn with_maintenance_tolerated(mut self, tolerated: bool) -> Self {
        self.maintenance_tolerated = Some(tolerated);
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
    /// DORIS: PGA < 0.5 (or <= 0.5 under the review reading, Golder 2020).
    DorisPga,
    /// DORIS: prednisolone-equivalent <= 5 mg/day (or < 5 under the strict
    /// reading).
    DorisGlucocorticoid,
    /// BICLA 1: every system A at baseline improved to B-E, every B to C-E.
    BiclaImprovement,
    /// BICLA 2: no new BILAG-2004 A and at most one new B.
    BiclaNoNewFlare,
    /// BICLA 3: no worsening of the SLEDAI-2K total (policy `bicla_sledai`).
    BiclaSledai,
    /// BICLA 4: no significant PGA deterioration (policy `bicla_pga`).
    BiclaPga,
    /// BICLA 5: no treatment failure.
    BiclaTreatmentFailure,
    /// BICLA 6: a system A or B at baseline (policy `bicla_baseline_activity`).
    BiclaBaselineActivity,
    /// BICLA rules 1, 2 and 6 decided jointly over the completions of the unrecorded grades.
    BiclaGrades,
    /// DORIS 2017: clinical SLEDAI-2K = 0 (index `clinical_sledai`).
    Doris2017ClinicalSledai,
    /// DORIS 2017: every BILAG-2004 system D or E (index `bilag_d_e`).
    Doris2017BilagInactive,
    /// DORIS 2017 complete remission: no serological activity.
    Doris2017Serology,
    /// DORIS 2017: PGA < 0.5 (policy `doris_2017_pga`).
    Doris2017Pga,
    /// DORIS 2017 on treatment: prednisone-equivalent <= 5 mg/day (policy `doris_2017_glucocorticoid`).
    Doris2017Glucocorticoid,
    /// DORIS 2017 off treatment: no glucocorticoid.
    Doris2017NoGlucocorticoid,
    /// DORIS 2017 off treatment: no immunosuppressant.
    Doris2017NoImmunosuppressant,
    /// DORIS 2017 off treatment: no biologic.
    Doris2017NoBiologic,
    /// DORIS 2017 off treatment with `doris_off_treatment_antimalarial = excluded`: no antimalarial.
    Doris2017NoAntimalarial,
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
            Criterion::BiclaImprovement => "bicla_improvement",
            Criterion::BiclaNoNewFlare => "bicla_no_new_flare",
            Criterion::BiclaSledai => "bicla_sledai",
            Criterion::BiclaPga => "bicla_pga",
            Criterion::BiclaTreatmentFailure => "bicla_treatment_failure",
            Criterion::BiclaBaselineActivity => "bicla_baseline_activity",
            Criterion::BiclaGrades => "bicla_grades",
            Criterion::Doris2017ClinicalSledai => "doris_2017_clinical_sledai",
            Criterion::Doris2017BilagInactive => "doris_2017_bilag_inactive",
            Criterion::Doris2017Serology => "doris_2017_serology",
            Criterion::Doris2017Pga => "doris_2017_pga",
            Criterion::Doris2017Glucocorticoid => "doris_2017_glucocorticoid",
            Criterion::Doris2017NoGlucocorticoid => "doris_2017_no_glucocorticoid",
            Criterion::Doris2017NoImmunosuppressant => "doris_2017_no_immunosuppressant",
            Criterion::Doris2017NoBiologic => "doris_2017_no_biologic",
            Criterion::Doris2017NoAntimalarial => "doris_2017_no_antimalarial",
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
/// A `CriterionResult` is a small `Copy` value holding the criterion, its
/// state and the typed facts the state was decided from (descriptor sets,
/// the PGA, the dose, the yes/no inputs, the reading in force). The
/// explanation texts are rendered from these facts only when asked for
/// ([`observed`](Self::observed), [`threshold`](Self::threshold),
/// [`reason`](Self::reason), or serialization), so evaluating a visit
/// allocates nothing. The state is decided once, from the facts, by the
/// same rule the texts are rendered from.
///
/// Serializes as `{"criterion", "state", "observed", "threshold",
/// "reason"}`, the last three as text. It is an output only: it does not
/// implement `Deserialize` (the explanation texts are not parsed back into
/// facts). `#[non_exhaustive]`.
///
/// ```
/// use sledai::target::{Criterion, TargetInputs};
/// use sledai::{lldas, Assessment, Pga, TriState};
///
/// let inputs = TargetInputs::new(Assessment::from_present([])).with_pga(Pga::new(1.1)?);
/// let r = lldas::evaluate(&inputs)?;
/// let pga = r.criterion(Criterion::LldasPga).expect("an LLDAS criterion");
/// assert_eq!(pga.state(), TriState::NotMet);
/// assert_eq!(pga.observed().to_string(), "PGA 1.1");
/// assert_eq!(pga.threshold(), "PGA <= 1.0 (0-3 scale)");
/// assert_eq!(pga.reason().to_string(), "1.1 > 1.0");
/// let json = serde_json::to_value(pga).unwrap();
/// assert_eq!(json["state"], "not_met");
/// assert_eq!(json["observed"], "PGA 1.1");
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct CriterionResult {
    criterion: Criterion,
    state: TriState,
    facts: Facts,
}

/// The typed facts of one criterion, from which its state is decided and
/// its texts are rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Facts {
    /// LLDAS 1.
    Activity(crate::lldas::ActivityFacts),
    /// LLDAS 2.
    NewActivity(crate::lldas::NewActivityFacts),
    /// LLDAS 3, DORIS 2.
    Pga(Cutoff<Pga>),
    /// LLDAS 4, DORIS 3.
    Dose(Cutoff<PrednisoneEquivalent>),
    /// LLDAS 5.
    Maintenance(crate::lldas::MaintenanceFacts),
    /// DORIS 1, DORIS 2017 clinical SLEDAI.
    ClinicalSledai(crate::remission::ClinicalFacts),
    /// BICLA rules 1, 2 and 6; SRI's BILAG part; DORIS 2017 `bilag_d_e`.
    Grades(crate::bilag::GradeFacts),
    /// BICLA 3.
    SledaiChange(crate::bilag::SledaiChangeFacts),
    /// BICLA 4.
    PgaChange(crate::bilag::PgaChangeFacts),
    /// BICLA 5, the DORIS 2017 drug criteria.
    Flag(crate::bilag::FlagFacts),
    /// DORIS 2017 complete remission: no serological activity.
    Serology(crate::remission_2017::SerologyFacts),
}

impl Facts {
    /// The state, decided from the facts: the one place each rule is
    /// applied.
    fn state(&self) -> TriState {
        match self {
            Facts::Activity(f) => f.state(),
            Facts::NewActivity(f) => f.state(),
            Facts::Pga(f) => f.state(),
            Facts::Dose(f) => f.state(),
            Facts::Maintenance(f) => f.state(),
            Facts::ClinicalSledai(f) => f.state(),
            Facts::Grades(f) => f.state(),
            Facts::SledaiChange(f) => f.state(),
            Facts::PgaChange(f) => f.state(),
            Facts::Flag(f) => f.state(),
            Facts::Serology(f) => f.state(),
        }
    }
}

impl CriterionResult {
    /// A result whose state is decided from `facts`.
    pub(crate) fn from_facts(criterion: Criterion, facts: Facts) -> CriterionResult {
        CriterionResult {
            criterion,
            state: facts.state(),
            facts,
        }
    }

    /// Which criterion.
    ///
    /// ```
    /// use sledai::remission::{self, RemissionOptions};
    /// use sledai::target::{Criterion, TargetInputs};
    /// use sledai::Assessment;
    /// let r = remission::evaluate(&TargetInputs::new(Assessment::from_present([])), RemissionOptions::default())?;
    /// assert_eq!(r.criteria()[0].criterion(), Criterion::DorisClinicalSledai);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn criterion(&self) -> Criterion {
        self.criterion
    }

    /// Met, not met, or indeterminate.
    ///
    /// ```
    /// use sledai::remission::{self, RemissionOptions};
    /// use sledai::target::{Criterion, TargetInputs};
    /// use sledai::{Assessment, TriState};
    /// let r = remission::evaluate(&TargetInputs::new(Assessment::from_present([])), RemissionOptions::default())?;
    /// let state = |c| r.criterion(c).map(|c| c.state());
    /// assert_eq!(state(Criterion::DorisClinicalSledai), Some(TriState::Met)); // clinical SLEDAI 0
    /// assert_eq!(state(Criterion::DorisPga), Some(TriState::Indeterminate)); // PGA not recorded
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn state(&self) -> TriState {
        self.state
    }

    /// The observed value(s), rendered on demand (`"not recorded"` for a
    /// missing input). Use `to_string()` for a `String`, or write it into
    /// any formatter without allocating.
    ///
    /// ```
    /// use sledai::target::{Criterion, TargetInputs};
    /// use sledai::{lldas, Assessment, Descriptor};
    /// let r = lldas::evaluate(&TargetInputs::new(Assessment::from_present([Descriptor::Rash])))?;
    /// assert_eq!(
    ///     r.criterion(Criterion::LldasActivity).expect("criterion 1").observed().to_string(),
    ///     "SLEDAI-2K 2 (present: rash); haemolytic anaemia: not recorded; \
    ///      gastrointestinal activity: not recorded"
    /// );
    /// assert_eq!(r.criterion(Criterion::LldasPga).expect("criterion 3").observed().to_string(), "PGA not recorded");
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn observed(&self) -> impl fmt::Display {
        Text(*self, Part::Observed)
    }

    /// The rule, as text (e.g. `"PGA <= 1.0 (0-3 scale)"`); it depends only
    /// on the criterion and the reading in force.
    ///
    /// ```
    /// use sledai::remission::{self, RemissionOptions, RemissionPga};
    /// use sledai::target::{Criterion, TargetInputs};
    /// use sledai::Assessment;
    /// let i = TargetInputs::new(Assessment::from_present([]));
    /// let pga = |o: RemissionOptions| -> Result<&'static str, sledai::Error> {
    ///     Ok(remission::evaluate(&i, o)?.criterion(Criterion::DorisPga).expect("a DORIS criterion").threshold())
    /// };
    /// assert_eq!(pga(RemissionOptions::default())?, "PGA < 0.5 (0-3 scale; DORIS 2021)");
    /// assert_eq!(
    ///     pga(RemissionPga::ReviewAtMostHalf.into())?,
    ///     "PGA <= 0.5 (0-3 scale; Golder 2020 review reading)"
    /// );
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn threshold(&self) -> &'static str {
        match (self.criterion, self.facts) {
            (_, Facts::Activity(_)) => crate::lldas::ACTIVITY_THRESHOLD,
            (_, Facts::NewActivity(_)) => crate::lldas::NEW_ACTIVITY_THRESHOLD,
            (_, Facts::Maintenance(_)) => crate::lldas::MAINTENANCE_THRESHOLD,
            (_, Facts::ClinicalSledai(_)) => crate::remission::CLINICAL_THRESHOLD,
            (_, Facts::Grades(g)) => g.threshold(),
            (_, Facts::SledaiChange(g)) => g.threshold(),
            (_, Facts::PgaChange(g)) => g.threshold(),
            (_, Facts::Flag(g)) => g.threshold(),
            (_, Facts::Serology(_)) => crate::remission_2017::SEROLOGY_THRESHOLD,
            (Criterion::DorisPga, Facts::Pga(c)) => crate::remission::pga_threshold(c.inclusive),
            (Criterion::Doris2017Pga, Facts::Pga(c)) => {
                crate::remission_2017::pga_threshold(c.inclusive)
            }
            (Criterion::Doris2017Glucocorticoid, Facts::Dose(c)) => {
                crate::remission::dose_threshold(c.inclusive)
            }
            (Criterion::Doris2017NoGlucocorticoid, Facts::Dose(_)) => {
                crate::remission_2017::NO_GLUCOCORTICOID_THRESHOLD
            }
            (_, Facts::Pga(_)) => crate::lldas::PGA_THRESHOLD,
            (Criterion::DorisGlucocorticoid, Facts::Dose(c)) => {
                crate::remission::dose_threshold(c.inclusive)
            }
            (_, Facts::Dose(_)) => crate::lldas::DOSE_THRESHOLD,
        }
    }

    /// A short reason the state follows from the observed value, rendered
    /// on demand.
    ///
    /// ```
    /// use sledai::glucocorticoid::PrednisoneEquivalent;
    /// use sledai::target::{Criterion, TargetInputs};
    /// use sledai::{lldas, Assessment};
    /// let i = TargetInputs::new(Assessment::from_present([]))
    ///     .with_prednisone_equivalent(PrednisoneEquivalent::from_mg(7.6)?);
    /// let r = lldas::evaluate(&i)?;
    /// let c4 = r.criterion(Criterion::LldasGlucocorticoid).expect("criterion 4");
    /// assert_eq!(c4.reason().to_string(), "7.6 mg/day > 7.5 mg/day");
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn reason(&self) -> impl fmt::Display {
        Text(*self, Part::Reason)
    }

    fn write_observed(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.facts {
            Facts::Activity(x) => x.write_observed(f),
            Facts::NewActivity(x) => x.write_observed(f),
            Facts::Pga(x) => x.write_observed(f, "PGA"),
            Facts::Dose(x) => x.write_observed(f, DOSE_LABEL),
            Facts::Maintenance(x) => x.write_observed(f),
            Facts::ClinicalSledai(x) => x.write_observed(f),
            Facts::Grades(x) => x.write_observed(f),
            Facts::SledaiChange(x) => x.write_observed(f),
            Facts::PgaChange(x) => x.write_observed(f),
            Facts::Flag(x) => x.write_observed(f),
            Facts::Serology(x) => x.write_observed(f),
        }
    }

    fn write_reason(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.state;
        match &self.facts {
            Facts::Activity(x) => x.write_reason(f, state),
            Facts::NewActivity(x) => x.write_reason(f),
            Facts::Pga(x) => x.write_reason(f, state, "PGA"),
            Facts::Dose(x) => x.write_reason(f, state, DOSE_LABEL),
            Facts::Maintenance(x) => x.write_reason(f, state),
            Facts::ClinicalSledai(x) => x.write_reason(f, state),
            Facts::Grades(x) => x.write_reason(f, state),
            Facts::SledaiChange(x) => x.write_reason(f, state),
            Facts::PgaChange(x) => x.write_reason(f, state),
            Facts::Flag(x) => x.write_reason(f),
            Facts::Serology(x) => x.write_reason(f, state),
        }
    }
}

/// The label of the dose criteria.
const DOSE_LABEL: &str = "prednisone-equivalent";

/// Which text of a [`CriterionResult`] to render.
#[derive(Clone, Copy)]
enum Part {
    Observed,
    Reason,
}

/// A lazily rendered text of a [`CriterionResult`].
#[derive(Clone, Copy)]
struct Text(CriterionResult, Part);

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.1 {
            Part::Observed => self.0.write_observed(f),
            Part::Reason => self.0.write_reason(f),
        }
    }
}

impl serde::Serialize for Text {
    /// Streams the text into the serializer (no intermediate `String` for
    /// serializers that support it, such as `serde_json`'s).
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl serde::Serialize for CriterionResult {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("CriterionResult", 5)?;
        st.serialize_field("criterion", &self.criterion)?;
        st.serialize_field("state", &self.state)?;
        st.serialize_field("observed", &Text(*self, Part::Observed))?;
        st.serialize_field("threshold", self.threshold())?;
        st.serialize_field("reason", &Text(*self, Part::Reason))?;
        st.end()
    }
}

/// A [`CriterionResult`] serialized without its `criterion` key (for maps
/// keyed by criterion, as in [`crate::visit::VisitResult`]).
pub(crate) struct WithoutCriterion<'a>(pub(crate) &'a CriterionResult);

impl serde::Serialize for WithoutCriterion<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let r = *self.0;
        let mut st = s.serialize_struct("Entry", 4)?;
        st.serialize_field("state", &r.state)?;
        st.serialize_field("observed", &Text(r, Part::Observed))?;
        st.serialize_field("threshold", r.threshold())?;
        st.serialize_field("reason", &Text(r, Part::Reason))?;
        st.end()
    }
}

/// `"yes"`, `"no"` or `"not recorded"`.
pub(crate) fn yes_no(value: Option<bool>) -> &'static str {
    match value {
        Some(true) => "yes",
        Some(false) => "no",
        None => NOT_RECORDED,
    }
}

/// The SLEDAI range of the items `present` plus any of `missing`.
pub(crate) const fn range_of(present: DescriptorSet, missing: DescriptorSet) -> ScoreRange {
    ScoreRange::new(
        Score::from_valid_mask(present.bits()),
        Score::from_valid_mask(present.union(missing).bits()),
    )
}

/// Writes, separated by `"; "`, `text(i)` for every check `i` whose state
/// is `state`.
pub(crate) fn write_checks(
    f: &mut fmt::Formatter<'_>,
    checks: &[TriState],
    state: TriState,
    mut text: impl FnMut(&mut fmt::Formatter<'_>, usize) -> fmt::Result,
) -> fmt::Result {
    let mut first = true;
    for (i, c) in checks.iter().enumerate() {
        if *c == state {
            if !first {
                f.write_str("; ")?;
            }
            first = false;
            text(f, i)?;
        }
    }
    Ok(())
}

/// The shared text for a missing input.
pub(crate) const NOT_RECORDED: &str = "not recorded";

/// A criterion of the form `value <= limit` (or `value < limit` when not
/// `inclusive`), indeterminate when the value is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Cutoff<T> {
    pub(crate) value: Option<T>,
    pub(crate) limit: T,
    pub(crate) inclusive: bool,
}

impl<T: Ord + Copy + fmt::Display> Cutoff<T> {
    /// The rule.
    fn state(&self) -> TriState {
        match self.value {
            None => TriState::Indeterminate,
            Some(v) => TriState::from_bool(if self.inclusive {
                v <= self.limit
            } else {
                v < self.limit
            }),
        }
    }

    fn write_observed(&self, f: &mut fmt::Formatter<'_>, label: &str) -> fmt::Result {
        match self.value {
            None => write!(f, "{label} {NOT_RECORDED}"),
            Some(v) => write!(f, "{label} {v}"),
        }
    }

    fn write_reason(
        &self,
        f: &mut fmt::Formatter<'_>,
        state: TriState,
        label: &str,
    ) -> fmt::Result {
        let Some(v) = self.value else {
            return write!(f, "{label} is not recorded; a missing value never passes");
        };
        let op = match (state == TriState::Met, self.inclusive) {
            (true, true) => "<=",
            (true, false) => "<",
            (false, true) => ">",
            (false, false) => ">=",
        };
        write!(f, "{v} {op} {}", self.limit)
    }
}
