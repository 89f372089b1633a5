//! Patient timelines: dated visits, study days, endpoints in visit windows,
//! time in LLDAS and DORIS remission, sustained LLDAS, cohorts, and trial
//! screening.
//!
//! This module owns the longitudinal layer of the crate. What a trial
//! statistician reports is longitudinal: the IM19 CAR-T trial
//! (NCT06513429; `docs/reference.md` section 7) has as primary endpoint the
//! change from baseline in SLEDAI-2K at day 90 after infusion, and as
//! secondary endpoints the same at day 360 and LLDAS at day 360; cohort
//! studies report time in LLDAS, where LLDAS for at least 50% of observed
//! time is the published landmark (Franklyn K et al., Ann Rheum Dis
//! 2016;75:1615-21; `docs/reference.md` section 2).
//!
//! The LLDAS and DORIS states of each visit are *evaluated* here, never
//! given: [`Timeline::new`] evaluates LLDAS ([`crate::lldas`], with the
//! previous visit's assessment for criterion 2), DORIS 2021
//! ([`crate::remission`]) and the four DORIS 2017 variants
//! ([`crate::remission_2017`]) from each visit's record (its assessment,
//! PGA and the inputs of [`Visit::with_target_inputs`] and
//! [`Visit::with_treatment`]), under the readings of [`TimelineOptions`].
//! A caller cannot mark a state met; an indeterminate state is never
//! treated as met.
//!
//! # Rules (all documented in `docs/timeline.md`)
//!
//! - **Order.** Visits are sorted by date (a stable sort: visits given out
//!   of order are accepted). Two visits on one date are an error unless
//!   [`TimelineOptions::with_duplicate_dates`]; then they keep their input
//!   order.
//! - **Baseline.** The visit marked with [`Visit::as_baseline`], or else the first
//!   visit by date. Two marks are an error.
//! - **Study day.** `date - reference date`, so the reference date is
//!   day 0 (the infusion day of a CAR-T trial), and screening visits before
//!   it have negative days. The reference date defaults to the baseline
//!   visit's date.
//! - **Follow-up.** Time in a state, sustained runs and "ever met" use the
//!   visits from the baseline visit on; visits before the baseline
//!   (screening) are not follow-up.
//! - **Endpoint window.** `target - before ..= target + after`, edges
//!   inclusive. The visit closest to the target is used; on a tie the
//!   earlier visit; on the same date the first in timeline order. No visit
//!   in the window is [`Endpoint::NoVisitInWindow`].
//! - **Time in a state.** See [`TimeAttribution`] and [`time_in_state`].
//!
//! # Example
//!
//! ```
//! use sledai::glucocorticoid::PrednisoneEquivalent;
//! use sledai::target::TargetInputs;
//! use sledai::timeline::{TimeAttribution, Endpoint, Target, Timeline, TimelineOptions, Visit, Window};
//! use sledai::{Assessment, Date, Descriptor, Pga, TriState};
//!
//! let d = |s: &str| s.parse::<Date>();
//! let active = Assessment::from_present([Descriptor::Arthritis, Descriptor::Proteinuria, Descriptor::LowComplement]);
//! let quiet = Assessment::from_present([]);
//! // The LLDAS inputs besides the assessment (the same at every visit here).
//! let inputs = TargetInputs::new(quiet)
//!     .with_pga(Pga::new(0.5)?)
//!     .with_prednisone_equivalent(PrednisoneEquivalent::from_mg(5.0)?)
//!     .with_hemolytic_anemia(false)
//!     .with_gastrointestinal_activity(false)
//!     .with_maintenance_well_tolerated(true)
//!     .with_investigational_drug(false);
//! let visits = [
//!     Visit::new(d("2024-03-01")?, active).with_target_inputs(&inputs), // renal: LLDAS not met
//!     Visit::new(d("2024-05-30")?, quiet).with_target_inputs(&inputs), // LLDAS met
//!     Visit::new(d("2024-02-15")?, active).with_target_inputs(&inputs), // screening, out of order
//! ];
//! let options = TimelineOptions::default().with_reference_date(d("2024-03-01")?);
//! let t = Timeline::new(visits, &options)?;
//! assert_eq!(t.study_days(), &[-15, 0, 90]);
//! let lldas: Vec<TriState> = t.visits().iter().map(|v| v.lldas()).collect();
//! assert_eq!(lldas, [TriState::NotMet, TriState::NotMet, TriState::Met]);
//! match t.endpoint(Window::new(90, 14)) {
//!     Endpoint::Visit(v) => assert_eq!(v.visit.change.absolute(), Some(-10)),
//!     Endpoint::NoVisitInWindow { .. } => unreachable!(),
//!     _ => unreachable!(),
//! }
//! // Follow-up from the baseline (the first visit by default: screening).
//! let time = t.time_in(Target::Lldas, TimeAttribution::CarryForward);
//! assert_eq!(time.fraction_of_time, Some(0.0)); // the last visit contributes no time
//! # Ok::<(), sledai::Error>(())
//! ```

use std::collections::BTreeMap;

use crate::assessment::Assessment;
use crate::bilag::{BiclaInput, BiclaOptions, BiclaResult, BilagGrades};
use crate::change::{IncompletePolicy, ScoreChange, Sri, SriInput, SriOptions, SriResult};
use crate::date::Date;
use crate::error::Error;
use crate::glucocorticoid::PrednisoneEquivalent;
use crate::pga::Pga;
use crate::remission::RemissionOptions;
use crate::remission_2017::{Doris2017Variant, Remission2017Options, Treatment};
use crate::score::{Score, ScoreRange};
use crate::state::TriState;
use crate::target::TargetInputs;

fn indeterminate() -> TriState {
    TriState::Indeterminate
}

#[allow(clippy::trivially_copy_pass_by_ref)]
fn is_false(b: &bool) -> bool {
    !*b
}

/// One dated visit's record: the assessment, the PGA, the other inputs of
/// LLDAS and DORIS, optional BILAG and SRI inputs, and an optional baseline
/// mark. The LLDAS, DORIS and DORIS 2017 states are not inputs: the
/// [`Timeline`] evaluates them from the record.
///
/// Serde (input and output, unknown fields rejected):
/// `{"date": "2024-03-01", "assessment": {...}, "pga": 1.5,
/// "prednisone_equivalent": 5.0, "hemolytic_anemia": false,
/// "gastrointestinal_activity": false, "maintenance_well_tolerated": true,
/// "investigational_drug": false, "new_activity": false,
/// "on_immunosuppressant": false, "on_biologic": false,
/// "on_antimalarial": true, "baseline": true, "new_bilag_a": 0,
/// "new_bilag_b": 1}`. Only `date` and `assessment` are required; every
/// absent input is not recorded (never read as normal); `baseline`
/// defaults to `false`.
///
/// ```
/// use sledai::timeline::Visit;
/// use sledai::{Assessment, Date, TriState};
/// let v = Visit::new(Date::new(2024, 3, 1)?, Assessment::from_present([])).as_baseline();
/// assert!(v.is_baseline());
/// assert_eq!(v.doris(), TriState::Indeterminate); // not evaluated outside a timeline
/// let json = serde_json::to_string(&v).unwrap();
/// assert_eq!(json, r#"{"date":"2024-03-01","assessment":{"present":[]},"baseline":true}"#);
/// assert_eq!(serde_json::from_str::<Visit>(&json).unwrap(), v);
/// // A state is not an input.
/// assert!(serde_json::from_str::<Visit>(r#"{"date":"2024-03-01","assessment":{"present":[]},"lldas":"met"}"#).is_err());
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Visit {
    date: Date,
    assessment: Assessment,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pga: Option<Pga>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    prednisone_equivalent: Option<PrednisoneEquivalent>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    hemolytic_anemia: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    gastrointestinal_activity: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    maintenance_well_tolerated: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    investigational_drug: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    new_activity: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    on_immunosuppressant: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    on_biologic: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    on_antimalarial: Option<bool>,
    /// Evaluated by the timeline.
    #[serde(skip, default = "indeterminate")]
    lldas: TriState,
    /// Evaluated by the timeline.
    #[serde(skip, default = "indeterminate")]
    doris: TriState,
    #[serde(default, skip_serializing_if = "is_false")]
    baseline: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    new_bilag_a: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    new_bilag_b: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    bilag: Option<BilagGrades>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    treatment_failure: Option<bool>,
    /// Evaluated by the timeline, in [`Doris2017Variant::ALL`] order.
    #[serde(skip, default = "indeterminate_4")]
    doris_2017: [TriState; 4],
}

/// Four indeterminate states (serde default).
fn indeterminate_4() -> [TriState; 4] {
    [TriState::Indeterminate; 4]
}

impl Visit {
    /// A visit with only its date and assessment: every other input not
    /// recorded, not marked as baseline. Its states are indeterminate until
    /// a [`Timeline`] evaluates them.
    ///
    /// ```
    /// use sledai::timeline::Visit;
    /// use sledai::{Assessment, Date, TriState};
    /// let v = Visit::new(Date::new(2024, 3, 1)?, Assessment::not_assessed());
    /// assert_eq!(v.lldas(), TriState::Indeterminate);
    /// assert_eq!(v.pga(), None);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn new(date: Date, assessment: Assessment) -> Visit {
        Visit {
            date,
            assessment,
            pga: None,
            prednisone_equivalent: None,
            hemolytic_anemia: None,
            gastrointestinal_activity: None,
            maintenance_well_tolerated: None,
            investigational_drug: None,
            new_activity: None,
            on_immunosuppressant: None,
            on_biologic: None,
            on_antimalarial: None,
            lldas: TriState::Indeterminate,
            doris: TriState::Indeterminate,
            baseline: false,
            new_bilag_a: None,
            new_bilag_b: None,
            bilag: None,
            treatment_failure: None,
            doris_2017: [TriState::Indeterminate; 4],
        }
    }

    /// Sets the inputs of LLDAS and DORIS other than the assessments from
    /// `inputs`: the PGA, the prednisone-equivalent dose, haemolytic
    /// anaemia, gastrointestinal activity, maintenance therapy, an
    /// investigational drug and the statement on new activity. The
    /// assessments of `inputs` are not read: the visit's own assessment is
    /// scored, and LLDAS criterion 2 compares it with the previous visit's
    /// in the timeline.
    ///
    /// ```
    /// use sledai::target::TargetInputs;
    /// use sledai::timeline::Visit;
    /// use sledai::{Assessment, Date, Pga};
    /// let a = Assessment::from_present([]);
    /// let v = Visit::new(Date::new(2024, 3, 1)?, a)
    ///     .with_target_inputs(&TargetInputs::new(a).with_pga(Pga::ZERO).with_hemolytic_anemia(false));
    /// assert_eq!(v.pga(), Some(Pga::ZERO));
    /// assert_eq!(v.target_inputs().hemolytic_anemia, Some(false));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub const fn with_target_inputs(mut self, inputs: &TargetInputs) -> Visit {
        self.pga = inputs.pga;
        self.prednisone_equivalent = inputs.prednisone_equivalent;
        self.hemolytic_anemia = inputs.hemolytic_anemia;
        self.gastrointestinal_activity = inputs.gastrointestinal_activity;
        self.maintenance_well_tolerated = inputs.maintenance_well_tolerated;
        self.investigational_drug = inputs.investigational_drug;
        self.new_activity = inputs.new_activity;
        self
    }

    /// This visit's inputs of LLDAS and DORIS: its assessment, with no
    /// previous assessment (the timeline supplies the previous visit's).
    ///
    /// ```
    /// use sledai::timeline::Visit;
    /// use sledai::{Assessment, Date};
    /// let v = Visit::new(Date::new(2024, 3, 1)?, Assessment::from_present([]));
    /// assert_eq!(v.target_inputs().pga, None);
    /// assert_eq!(v.target_inputs().previous_assessment, None);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub fn target_inputs(&self) -> TargetInputs {
        let mut inputs = TargetInputs::new(self.assessment);
        inputs.pga = self.pga;
        inputs.prednisone_equivalent = self.prednisone_equivalent;
        inputs.hemolytic_anemia = self.hemolytic_anemia;
        inputs.gastrointestinal_activity = self.gastrointestinal_activity;
        inputs.maintenance_well_tolerated = self.maintenance_well_tolerated;
        inputs.investigational_drug = self.investigational_drug;
        inputs.new_activity = self.new_activity;
        inputs
    }

    /// Sets the current SLE drugs (the DORIS 2017 off-treatment variants).
    ///
    /// ```
    /// use sledai::remission_2017::Treatment;
    /// use sledai::timeline::Visit;
    /// use sledai::{Assessment, Date};
    /// let t = Treatment::new(Some(false), Some(false), Some(true));
    /// let v = Visit::new(Date::new(2024, 3, 1)?, Assessment::not_assessed()).with_treatment(t);
    /// assert_eq!(v.treatment(), t);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub const fn with_treatment(mut self, treatment: Treatment) -> Visit {
        self.on_immunosuppressant = treatment.on_immunosuppressant;
        self.on_biologic = treatment.on_biologic;
        self.on_antimalarial = treatment.on_antimalarial;
        self
    }

    /// The current SLE drugs, each `None` when not recorded.
    ///
    /// ```
    /// use sledai::remission_2017::Treatment;
    /// use sledai::timeline::Visit;
    /// use sledai::{Assessment, Date};
    /// assert_eq!(Visit::new(Date::new(2024, 3, 1)?, Assessment::not_assessed()).treatment(), Treatment::default());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub const fn treatment(&self) -> Treatment {
        Treatment::new(
            self.on_immunosuppressant,
            self.on_biologic,
            self.on_antimalarial,
        )
    }

    /// Evaluates the visit's states from its record, `previous` being the
    /// previous visit's assessment in timeline order.
    fn evaluate(
        &mut self,
        previous: Option<Assessment>,
        options: &TimelineOptions,
    ) -> Result<(), Error> {
        let mut inputs = self.target_inputs();
        inputs.previous_assessment = previous;
        self.lldas = crate::lldas::evaluate(&inputs)?.state();
        self.doris = crate::remission::evaluate(&inputs, options.remission)?.state();
        let treatment = self.treatment();
        let grades = self.bilag.unwrap_or(BilagGrades::NOT_RECORDED);
        for (state, variant) in self.doris_2017.iter_mut().zip(Doris2017Variant::ALL) {
            *state = crate::remission_2017::evaluate(
                &inputs,
                &treatment,
                &grades,
                variant,
                options.remission_2017,
            )?
            .state();
        }
        Ok(())
    }

    /// Sets the BILAG-2004 grades of this visit (BICLA; SRI takes its
    /// BILAG part from them when the baseline or this visit has grades).
    ///
    /// ```
    /// use sledai::bilag::{BilagGrade, BilagGrades};
    /// use sledai::timeline::Visit;
    /// use sledai::{Assessment, Date};
    /// let v = Visit::new(Date::new(2024, 3, 1)?, Assessment::not_assessed()).with_grades(BilagGrades::all(BilagGrade::E));
    /// assert_eq!(v.grades(), Some(BilagGrades::all(BilagGrade::E)));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub const fn with_grades(mut self, grades: BilagGrades) -> Visit {
        self.bilag = Some(grades);
        self
    }

    /// Sets treatment failure at this visit (BICLA rule 5; SRI under
    /// `sri_treatment_failure`).
    ///
    /// ```
    /// use sledai::timeline::Visit;
    /// use sledai::{Assessment, Date};
    /// let v = Visit::new(Date::new(2024, 3, 1)?, Assessment::not_assessed()).with_treatment_failure(Some(false));
    /// assert_eq!(v.treatment_failure(), Some(false));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub const fn with_treatment_failure(mut self, failure: Option<bool>) -> Visit {
        self.treatment_failure = failure;
        self
    }

    /// The BILAG-2004 grades, if given.
    ///
    /// ```
    /// use sledai::timeline::Visit;
    /// use sledai::{Assessment, Date};
    /// assert_eq!(Visit::new(Date::new(2024, 3, 1)?, Assessment::not_assessed()).grades(), None);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn grades(&self) -> Option<BilagGrades> {
        self.bilag
    }

    /// Treatment failure at this visit, if recorded.
    ///
    /// ```
    /// use sledai::timeline::Visit;
    /// use sledai::{Assessment, Date};
    /// assert_eq!(Visit::new(Date::new(2024, 3, 1)?, Assessment::not_assessed()).treatment_failure(), None);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn treatment_failure(&self) -> Option<bool> {
        self.treatment_failure
    }

    /// The DORIS 2017 states, in [`crate::remission_2017::Doris2017Variant::ALL`]
    /// order, as the timeline evaluated them; indeterminate on a visit not
    /// in a [`Timeline`].
    ///
    /// ```
    /// use sledai::timeline::Visit;
    /// use sledai::{Assessment, Date, TriState};
    /// let v = Visit::new(Date::new(2024, 3, 1)?, Assessment::not_assessed());
    /// assert_eq!(v.doris_2017(), [TriState::Indeterminate; 4]);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn doris_2017(&self) -> [TriState; 4] {
        self.doris_2017
    }

    /// Sets the PGA.
    ///
    /// ```
    /// use sledai::timeline::Visit;
    /// use sledai::{Assessment, Date, Pga};
    /// let v = Visit::new(Date::new(2024, 3, 1)?, Assessment::not_assessed()).with_pga(Pga::new(0.5)?);
    /// assert_eq!(v.pga(), Some(Pga::new(0.5)?));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub const fn with_pga(mut self, pga: Pga) -> Visit {
        self.pga = Some(pga);
        self
    }

    /// Sets the number of new BILAG A organ domain scores since baseline,
    /// for SRI ([`crate::change::SriInput::with_new_bilag_a`]).
    ///
    /// ```
    /// use sledai::timeline::Visit;
    /// use sledai::{Assessment, Date};
    /// let v = Visit::new(Date::new(2024, 3, 1)?, Assessment::not_assessed()).with_new_bilag_a(Some(0));
    /// assert_eq!(v.new_bilag_a(), Some(0));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub const fn with_new_bilag_a(mut self, count: Option<u8>) -> Visit {
        self.new_bilag_a = count;
        self
    }

    /// Sets the number of new BILAG B organ domain scores since baseline,
    /// for SRI ([`crate::change::SriInput::with_new_bilag_b`]).
    ///
    /// ```
    /// use sledai::timeline::Visit;
    /// use sledai::{Assessment, Date};
    /// let v = Visit::new(Date::new(2024, 3, 1)?, Assessment::not_assessed()).with_new_bilag_b(Some(1));
    /// assert_eq!(v.new_bilag_b(), Some(1));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub const fn with_new_bilag_b(mut self, count: Option<u8>) -> Visit {
        self.new_bilag_b = count;
        self
    }

    /// Marks this visit as the baseline.
    ///
    /// ```
    /// use sledai::timeline::Visit;
    /// use sledai::{Assessment, Date};
    /// assert!(Visit::new(Date::new(2024, 3, 1)?, Assessment::not_assessed()).as_baseline().is_baseline());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub const fn as_baseline(mut self) -> Visit {
        self.baseline = true;
        self
    }

    /// The visit date.
    ///
    /// ```
    /// use sledai::timeline::Visit;
    /// use sledai::{Assessment, Date};
    /// let d = Date::new(2024, 3, 1)?;
    /// assert_eq!(Visit::new(d, Assessment::not_assessed()).date(), d);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn date(&self) -> Date {
        self.date
    }

    /// The SLEDAI-2K assessment.
    ///
    /// ```
    /// use sledai::timeline::Visit;
    /// use sledai::{Assessment, Date};
    /// let v = Visit::new(Date::new(2024, 3, 1)?, Assessment::from_present([]));
    /// assert!(v.assessment().is_complete());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn assessment(&self) -> &Assessment {
        &self.assessment
    }

    /// The PGA, if recorded.
    ///
    /// ```
    /// use sledai::timeline::Visit;
    /// use sledai::{Assessment, Date};
    /// assert_eq!(Visit::new(Date::new(2024, 3, 1)?, Assessment::not_assessed()).pga(), None);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn pga(&self) -> Option<Pga> {
        self.pga
    }

    /// The LLDAS state, as the timeline evaluated it from the record;
    /// indeterminate on a visit not in a [`Timeline`].
    ///
    /// ```
    /// use sledai::timeline::Visit;
    /// use sledai::{Assessment, Date, TriState};
    /// assert_eq!(Visit::new(Date::new(2024, 3, 1)?, Assessment::not_assessed()).lldas(), TriState::Indeterminate);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn lldas(&self) -> TriState {
        self.lldas
    }

    /// The DORIS remission state, as the timeline evaluated it from the
    /// record; indeterminate on a visit not in a [`Timeline`].
    ///
    /// ```
    /// use sledai::timeline::Visit;
    /// use sledai::{Assessment, Date, TriState};
    /// assert_eq!(Visit::new(Date::new(2024, 3, 1)?, Assessment::not_assessed()).doris(), TriState::Indeterminate);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn doris(&self) -> TriState {
        self.doris
    }

    /// The state of `target` at this visit.
    ///
    /// ```
    /// use sledai::glucocorticoid::PrednisoneEquivalent;
    /// use sledai::target::TargetInputs;
    /// use sledai::timeline::{Target, Timeline, TimelineOptions, Visit};
    /// use sledai::{Assessment, Date, Pga, TriState};
    /// let a = Assessment::from_present([]);
    /// let inputs = TargetInputs::new(a).with_pga(Pga::ZERO).with_prednisone_equivalent(PrednisoneEquivalent::ZERO);
    /// let v = Visit::new(Date::new(2024, 3, 1)?, a).with_target_inputs(&inputs);
    /// let t = Timeline::new([v], &TimelineOptions::default())?;
    /// assert_eq!(t.visits()[0].state(Target::Doris), TriState::Met);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn state(&self, target: Target) -> TriState {
        match target {
            Target::Lldas => self.lldas,
            Target::Doris => self.doris,
            Target::DorisOffTreatment => self.doris_2017()[2],
        }
    }

    /// The new BILAG A count, if recorded.
    ///
    /// ```
    /// use sledai::timeline::Visit;
    /// use sledai::{Assessment, Date};
    /// assert_eq!(Visit::new(Date::new(2024, 3, 1)?, Assessment::not_assessed()).new_bilag_a(), None);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub const fn new_bilag_a(&self) -> Option<u8> {
        self.new_bilag_a
    }

    /// The new BILAG B count, if recorded.
    ///
    /// ```
    /// use sledai::timeline::Visit;
    /// use sledai::{Assessment, Date};
    /// assert_eq!(Visit::new(Date::new(2024, 3, 1)?, Assessment::not_assessed()).new_bilag_b(), None);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub const fn new_bilag_b(&self) -> Option<u8> {
        self.new_bilag_b
    }

    /// Whether the caller marked this visit as the baseline.
    ///
    /// ```
    /// use sledai::timeline::Visit;
    /// use sledai::{Assessment, Date};
    /// assert!(!Visit::new(Date::new(2024, 3, 1)?, Assessment::not_assessed()).is_baseline());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn is_baseline(&self) -> bool {
        self.baseline
    }
}

/// Which treat-to-target state a timeline question is about.
///
/// ```
/// use sledai::timeline::Target;
/// assert_eq!(serde_json::to_string(&Target::Lldas).unwrap(), r#""lldas""#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Target {
    /// Lupus Low Disease Activity State (Franklyn 2016).
    Lldas,
    /// DORIS remission (van Vollenhoven 2021).
    Doris,
    /// DORIS 2017 clinical remission off treatment (van Vollenhoven 2017;
    /// the "drug-free remission" of the CAR-T reports, docs/bilag.md).
    DorisOffTreatment,
}

/// Options for building a [`Timeline`].
///
/// Defaults: duplicate dates are an error, the reference date (day 0) is
/// the baseline visit's date, incomplete assessments give change ranges
/// ([`IncompletePolicy::Range`]), and every rule reads the project's
/// default policies. Start from `default()` and use the `with_*` methods;
/// read them back with the getters of the same names. Serde: `{"duplicate_dates":
/// false, "reference_date": "2024-03-01", "incomplete": "range", "bicla":
/// {...}, "sri": {...}, "remission": {...}, "remission_2017": {...}}`,
/// every field optional.
///
/// ```
/// use sledai::change::IncompletePolicy;
/// use sledai::timeline::TimelineOptions;
/// use sledai::Date;
/// let o = TimelineOptions::default()
///     .with_duplicate_dates(true)
///     .with_reference_date(Date::new(2024, 3, 1)?)
///     .with_incomplete(IncompletePolicy::Error);
/// assert!(o.duplicate_dates());
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct TimelineOptions {
    duplicate_dates: bool,
    reference_date: Option<Date>,
    incomplete: IncompletePolicy,
    bicla: BiclaOptions,
    sri: SriOptions,
    remission: RemissionOptions,
    remission_2017: Remission2017Options,
}

impl TimelineOptions {
    /// Whether two or more visits may share a date (default `false`: an
    /// error); when allowed they keep their input order and share a study
    /// day.
    ///
    /// ```
    /// assert!(sledai::timeline::TimelineOptions::default().with_duplicate_dates(true).duplicate_dates());
    /// ```
    #[must_use]
    pub const fn with_duplicate_dates(mut self, allowed: bool) -> TimelineOptions {
        self.duplicate_dates = allowed;
        self
    }

    /// Sets the reference date, study day 0 (e.g. the CAR-T infusion day).
    ///
    /// ```
    /// use sledai::timeline::TimelineOptions;
    /// use sledai::Date;
    /// let d = Date::new(2024, 3, 1)?;
    /// assert_eq!(TimelineOptions::default().with_reference_date(d).reference_date(), Some(d));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub const fn with_reference_date(mut self, date: Date) -> TimelineOptions {
        self.reference_date = Some(date);
        self
    }

    /// Sets the policy for incomplete assessments. With
    /// [`IncompletePolicy::Error`] a timeline with an incomplete assessment
    /// is rejected when built.
    ///
    /// ```
    /// use sledai::change::IncompletePolicy;
    /// use sledai::timeline::TimelineOptions;
    /// let o = TimelineOptions::default().with_incomplete(IncompletePolicy::Error);
    /// assert_eq!(o.incomplete(), IncompletePolicy::Error);
    /// ```
    #[must_use]
    pub const fn with_incomplete(mut self, policy: IncompletePolicy) -> TimelineOptions {
        self.incomplete = policy;
        self
    }

    /// Sets the BICLA policies (docs/bilag.md). The `bilag` policies of
    /// [`TimelineOptions::sri`] are used for BICLA too.
    ///
    /// ```
    /// use sledai::bilag::{BiclaOptions, BiclaPga};
    /// use sledai::timeline::TimelineOptions;
    /// let o = TimelineOptions::default().with_bicla(BiclaOptions::default().with_pga(BiclaPga::SriLike));
    /// assert_eq!(o.bicla().pga(), BiclaPga::SriLike);
    /// ```
    #[must_use]
    pub const fn with_bicla(mut self, bicla: BiclaOptions) -> TimelineOptions {
        self.bicla = bicla;
        self
    }

    /// Sets the SRI-k policies (docs/bilag.md); their `bilag` policies are
    /// used for BICLA too.
    ///
    /// ```
    /// use sledai::change::{SriOptions, SriTreatmentFailure};
    /// use sledai::timeline::TimelineOptions;
    /// let o = TimelineOptions::default().with_sri(SriOptions::from(SriTreatmentFailure::Required));
    /// assert_eq!(o.sri().treatment_failure(), SriTreatmentFailure::Required);
    /// ```
    #[must_use]
    pub const fn with_sri(mut self, sri: SriOptions) -> TimelineOptions {
        self.sri = sri;
        self
    }

    /// Sets the DORIS 2021 readings the visits' remission is evaluated with.
    ///
    /// ```
    /// use sledai::remission::{RemissionOptions, RemissionPga};
    /// use sledai::timeline::TimelineOptions;
    /// let o = TimelineOptions::default().with_remission(RemissionPga::ReviewAtMostHalf.into());
    /// assert_eq!(o.remission().pga(), RemissionPga::ReviewAtMostHalf);
    /// ```
    #[must_use]
    pub const fn with_remission(mut self, remission: RemissionOptions) -> TimelineOptions {
        self.remission = remission;
        self
    }

    /// Sets the DORIS 2017 policies the visits' variants are evaluated with.
    ///
    /// ```
    /// use sledai::remission_2017::{DorisOffTreatmentAntimalarial, Remission2017Options};
    /// use sledai::timeline::TimelineOptions;
    /// let o = TimelineOptions::default()
    ///     .with_remission_2017(DorisOffTreatmentAntimalarial::Excluded.into());
    /// assert_eq!(o.remission_2017().antimalarial(), DorisOffTreatmentAntimalarial::Excluded);
    /// ```
    #[must_use]
    pub const fn with_remission_2017(mut self, options: Remission2017Options) -> TimelineOptions {
        self.remission_2017 = options;
        self
    }

    /// The BICLA policies, with the `bilag` policies of
    /// [`TimelineOptions::sri`].
    ///
    /// ```
    /// use sledai::bilag::BiclaOptions;
    /// assert_eq!(sledai::timeline::TimelineOptions::default().bicla(), BiclaOptions::default());
    /// ```
    #[must_use]
    pub const fn bicla(&self) -> BiclaOptions {
        self.bicla.with_bilag(self.sri.bilag)
    }

    /// The SRI-k policies.
    ///
    /// ```
    /// use sledai::change::SriOptions;
    /// assert_eq!(sledai::timeline::TimelineOptions::default().sri(), SriOptions::default());
    /// ```
    #[must_use]
    pub const fn sri(&self) -> SriOptions {
        self.sri
    }

    /// The DORIS 2021 readings.
    ///
    /// ```
    /// use sledai::remission::RemissionOptions;
    /// assert_eq!(sledai::timeline::TimelineOptions::default().remission(), RemissionOptions::default());
    /// ```
    #[must_use]
    pub const fn remission(&self) -> RemissionOptions {
        self.remission
    }

    /// The DORIS 2017 policies.
    ///
    /// ```
    /// use sledai::remission_2017::Remission2017Options;
    /// assert_eq!(sledai::timeline::TimelineOptions::default().remission_2017(), Remission2017Options::default());
    /// ```
    #[must_use]
    pub const fn remission_2017(&self) -> Remission2017Options {
        self.remission_2017
    }

    /// Whether visits may share a date.
    ///
    /// ```
    /// assert!(!sledai::timeline::TimelineOptions::default().duplicate_dates());
    /// ```
    #[must_use]
    pub const fn duplicate_dates(&self) -> bool {
        self.duplicate_dates
    }

    /// The reference date, if set.
    ///
    /// ```
    /// assert_eq!(sledai::timeline::TimelineOptions::default().reference_date(), None);
    /// ```
    #[must_use]
    pub const fn reference_date(&self) -> Option<Date> {
        self.reference_date
    }

    /// The policy for incomplete assessments.
    ///
    /// ```
    /// use sledai::change::IncompletePolicy;
    /// assert_eq!(sledai::timeline::TimelineOptions::default().incomplete(), IncompletePolicy::Range);
    /// ```
    #[must_use]
    pub const fn incomplete(&self) -> IncompletePolicy {
        self.incomplete
    }
}

/// A patient's validated visits in date order, with a baseline and a
/// reference date (study day 0).
///
/// ```
/// use sledai::timeline::{Timeline, TimelineOptions, Visit};
/// use sledai::{Assessment, Date};
/// let v = |m, d| Visit::new(Date::new(2024, m, d).unwrap(), Assessment::from_present([]));
/// // Duplicate dates are an error by default.
/// assert!(Timeline::new([v(3, 1), v(3, 1)], &TimelineOptions::default()).is_err());
/// // Two baseline marks are an error.
/// assert!(Timeline::new([v(3, 1).as_baseline(), v(4, 1).as_baseline()], &TimelineOptions::default()).is_err());
/// // No visits is an error.
/// assert!(Timeline::new([], &TimelineOptions::default()).is_err());
/// let t = Timeline::new([v(4, 1), v(3, 1)], &TimelineOptions::default())?;
/// assert_eq!(t.study_days(), &[0, 31]);
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timeline {
    visits: Vec<Visit>,
    days: Vec<i32>,
    baseline: usize,
    reference: Date,
    bicla: BiclaOptions,
    sri: SriOptions,
}

impl Timeline {
    /// Builds a timeline: sorts the visits by date (stably), checks for
    /// duplicate dates, finds the baseline, and counts study days from the
    /// reference date.
    ///
    /// # Errors
    ///
    /// - [`Error::InvalidValue`] (field `visits`) when there are no visits.
    /// - [`Error::InvalidValue`] (field `date`) for two visits on one date,
    ///   unless [`TimelineOptions::with_duplicate_dates`].
    /// - [`Error::InvalidValue`] (field `baseline`) when more than one visit
    ///   is marked as baseline.
    /// - [`Error::InBatch`] wrapping [`Error::IncompleteAssessment`], with
    ///   the visit's zero-based position in the *input*, when the policy is
    ///   [`IncompletePolicy::Error`] and an assessment is incomplete.
    ///
    /// ```
    /// use sledai::timeline::{Timeline, TimelineOptions, Visit};
    /// use sledai::{Assessment, Date};
    /// let v = Visit::new(Date::new(2024, 3, 1)?, Assessment::from_present([]));
    /// let t = Timeline::new([v], &TimelineOptions::default())?;
    /// assert_eq!(t.visit_count(), 1);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn new<I: IntoIterator<Item = Visit>>(
        visits: I,
        options: &TimelineOptions,
    ) -> Result<Timeline, Error> {
        let mut indexed: Vec<(usize, Visit)> = visits.into_iter().enumerate().collect();
        Timeline::from_indexed(&mut indexed, options)
    }

    fn from_indexed(
        indexed: &mut [(usize, Visit)],
        options: &TimelineOptions,
    ) -> Result<Timeline, Error> {
        if indexed.is_empty() {
            return Err(Error::InvalidValue {
                field: "visits",
                value: "0".to_owned(),
                reason: "a timeline needs at least one visit".to_owned(),
            });
        }
        if options.incomplete == IncompletePolicy::Error {
            for (index, v) in indexed.iter() {
                if let Err(e) = v.assessment.score() {
                    return Err(Error::InBatch {
                        index: *index,
                        source: Box::new(e),
                    });
                }
            }
        }
        // Stable: visits on one date keep their input order.
        indexed.sort_by_key(|(_, v)| v.date);
        if !options.duplicate_dates {
            if let Some(w) = indexed.windows(2).find(|w| w[0].1.date == w[1].1.date) {
                let date = w[0].1.date;
                // Sorted stably, so the visits on `date` are together and
                // in input order.
                let positions: Vec<usize> = indexed
                    .iter()
                    .filter(|(_, v)| v.date == date)
                    .map(|(i, _)| *i)
                    .collect();
                return Err(Error::InvalidValue {
                    field: "date",
                    value: date.to_string(),
                    reason: format!(
                        "{} visits are on the same date (input positions {}); \
                         allow it with TimelineOptions::with_duplicate_dates",
                        positions.len(),
                        bounded_list(&positions)
                    ),
                });
            }
        }
        let marked: Vec<usize> = indexed
            .iter()
            .enumerate()
            .filter(|(_, (_, v))| v.baseline)
            .map(|(i, _)| i)
            .collect();
        if marked.len() > 1 {
            return Err(Error::InvalidValue {
                field: "baseline",
                value: marked
                    .iter()
                    .map(|&i| indexed[i].1.date.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                reason: "more than one visit is marked as baseline".to_owned(),
            });
        }
        let baseline = marked.first().copied().unwrap_or(0);
        // The states, from each record and the previous visit's assessment.
        let mut previous = None;
        for (index, v) in indexed.iter_mut() {
            v.evaluate(previous, options).map_err(|e| Error::InBatch {
                index: *index,
                source: Box::new(e),
            })?;
            previous = Some(v.assessment);
        }
        let visits: Vec<Visit> = indexed.iter().map(|(_, v)| *v).collect();
        let reference = options.reference_date.unwrap_or(visits[baseline].date);
        let days = visits
            .iter()
            .map(|v| v.date.days_since(reference))
            .collect();
        // E after A-D in one patient under `bilag_grade_e = strict`.
        let mut earlier = BilagGrades::NOT_RECORDED;
        for v in &visits {
            if let Some(g) = &v.bilag {
                crate::bilag::check_pairs(&earlier, g, options.sri.bilag.grade_e)?;
                for system in crate::bilag::BilagSystem::ALL {
                    if let Some(grade) = g.get(system) {
                        if grade != crate::bilag::BilagGrade::E {
                            earlier = earlier.with(system, Some(grade));
                        }
                    }
                }
            }
        }
        Ok(Timeline {
            visits,
            days,
            baseline,
            reference,
            bicla: options.bicla(),
            sri: options.sri,
        })
    }

    /// The visits in timeline (date) order.
    ///
    /// ```
    /// use sledai::timeline::{Timeline, TimelineOptions, Visit};
    /// use sledai::{Assessment, Date};
    /// let v = Visit::new(Date::new(2024, 3, 1)?, Assessment::from_present([]));
    /// assert_eq!(Timeline::new([v], &TimelineOptions::default())?.visits(), &[v]);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn visits(&self) -> &[Visit] {
        &self.visits
    }

    /// The number of visits (at least 1).
    ///
    /// ```
    /// use sledai::timeline::{Timeline, TimelineOptions, Visit};
    /// use sledai::{Assessment, Date};
    /// let v = Visit::new(Date::new(2024, 3, 1)?, Assessment::from_present([]));
    /// assert_eq!(Timeline::new([v], &TimelineOptions::default())?.visit_count(), 1);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn visit_count(&self) -> usize {
        self.visits.len()
    }

    /// The position of the baseline visit in timeline order.
    ///
    /// ```
    /// use sledai::timeline::{Timeline, TimelineOptions, Visit};
    /// use sledai::{Assessment, Date};
    /// let a = Visit::new(Date::new(2024, 3, 1)?, Assessment::from_present([]));
    /// let b = Visit::new(Date::new(2024, 3, 8)?, Assessment::from_present([])).as_baseline();
    /// assert_eq!(Timeline::new([a, b], &TimelineOptions::default())?.baseline_index(), 1);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn baseline_index(&self) -> usize {
        self.baseline
    }

    /// The baseline visit.
    ///
    /// ```
    /// use sledai::timeline::{Timeline, TimelineOptions, Visit};
    /// use sledai::{Assessment, Date};
    /// let a = Visit::new(Date::new(2024, 3, 1)?, Assessment::from_present([]));
    /// assert_eq!(Timeline::new([a], &TimelineOptions::default())?.baseline().date(), a.date());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn baseline(&self) -> &Visit {
        &self.visits[self.baseline]
    }

    /// The reference date: study day 0.
    ///
    /// ```
    /// use sledai::timeline::{Timeline, TimelineOptions, Visit};
    /// use sledai::{Assessment, Date};
    /// let a = Visit::new(Date::new(2024, 3, 1)?, Assessment::from_present([]));
    /// assert_eq!(Timeline::new([a], &TimelineOptions::default())?.reference_date(), a.date());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn reference_date(&self) -> Date {
        self.reference
    }

    /// The study day of each visit, in timeline order.
    ///
    /// ```
    /// use sledai::timeline::{Timeline, TimelineOptions, Visit};
    /// use sledai::{Assessment, Date};
    /// let a = Visit::new(Date::new(2024, 2, 20)?, Assessment::from_present([]));
    /// let o = TimelineOptions::default().with_reference_date(Date::new(2024, 3, 1)?);
    /// assert_eq!(Timeline::new([a], &o)?.study_days(), &[-10]); // 2024 is a leap year
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn study_days(&self) -> &[i32] {
        &self.days
    }

    /// The change in SLEDAI-2K from the baseline to the visit at `index`
    /// (timeline order); `None` when `index` is out of bounds.
    ///
    /// ```
    /// use sledai::timeline::{Timeline, TimelineOptions, Visit};
    /// use sledai::{Assessment, Date, Descriptor};
    /// let a = Visit::new(Date::new(2024, 3, 1)?, Assessment::from_present([Descriptor::Rash]));
    /// let b = Visit::new(Date::new(2024, 4, 1)?, Assessment::from_present([]));
    /// let t = Timeline::new([a, b], &TimelineOptions::default())?;
    /// assert_eq!(t.change_from_baseline(1).and_then(|c| c.absolute()), Some(-2));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn change_from_baseline(&self, index: usize) -> Option<ScoreChange> {
        let v = self.visits.get(index)?;
        Some(ScoreChange::from_ranges(
            self.baseline().assessment.score_range(),
            v.assessment.score_range(),
        ))
    }

    /// The per-visit view of the visit at `index` (timeline order).
    ///
    /// ```
    /// use sledai::timeline::{Timeline, TimelineOptions, Visit};
    /// use sledai::{Assessment, Date, Descriptor};
    /// let a = Visit::new(Date::new(2024, 3, 1)?, Assessment::from_present([Descriptor::LowComplement]));
    /// let t = Timeline::new([a], &TimelineOptions::default())?;
    /// let row = t.row(0).unwrap();
    /// assert_eq!((row.sledai.min().get(), row.clinical_sledai.min().get()), (2, 0));
    /// assert!(row.baseline);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn row(&self, index: usize) -> Option<VisitRow> {
        (index < self.visits.len()).then(|| self.row_at(index))
    }

    /// The row at an in-bounds index.
    fn row_at(&self, index: usize) -> VisitRow {
        let v = &self.visits[index];
        VisitRow {
            index,
            date: v.date,
            study_day: self.days[index],
            baseline: index == self.baseline,
            sledai: v.assessment.score_range(),
            clinical_sledai: v.assessment.clinical_score_range(),
            change: ScoreChange::from_ranges(
                self.baseline().assessment.score_range(),
                v.assessment.score_range(),
            ),
            pga: v.pga,
            lldas: v.lldas,
            doris: v.doris,
        }
    }

    /// The per-visit view of every visit, in timeline order.
    ///
    /// ```
    /// use sledai::timeline::{Timeline, TimelineOptions, Visit};
    /// use sledai::{Assessment, Date};
    /// let a = Visit::new(Date::new(2024, 3, 1)?, Assessment::from_present([]));
    /// assert_eq!(Timeline::new([a], &TimelineOptions::default())?.rows().count(), 1);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn rows(&self) -> impl Iterator<Item = VisitRow> + '_ {
        (0..self.visits.len()).map(|i| self.row_at(i))
    }

    /// The visit used for an endpoint: the one closest to the target day
    /// inside the window (edges inclusive); on equal distance the earlier
    /// visit; on the same date the first in timeline order.
    ///
    /// ```
    /// use sledai::timeline::{Endpoint, Timeline, TimelineOptions, Visit, Window};
    /// use sledai::{Assessment, Date};
    /// let day0 = Date::new(2024, 1, 1)?;
    /// let v = |d| Visit::new(day0.checked_add_days(d).unwrap(), Assessment::from_present([]));
    /// let t = Timeline::new([v(0), v(84), v(96)], &TimelineOptions::default())?;
    /// // 84 and 96 are both 6 days from 90: the earlier is used.
    /// let Endpoint::Visit(e) = t.endpoint(Window::new(90, 14)) else { unreachable!() };
    /// assert_eq!((e.visit.study_day, e.offset_days), (84, -6));
    /// assert!(matches!(t.endpoint(Window::new(360, 30)), Endpoint::NoVisitInWindow { .. }));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn endpoint(&self, window: Window) -> Endpoint {
        let target = i64::from(window.target_day);
        let mut best: Option<(i64, i32, usize)> = None;
        for (i, &day) in self.days.iter().enumerate() {
            if !window.contains(day) {
                continue;
            }
            let key = ((i64::from(day) - target).abs(), day);
            if best.is_none_or(|(d, bd, _)| key < (d, bd)) {
                best = Some((key.0, key.1, i));
            }
        }
        match best.map(|(_, day, i)| (day, self.row_at(i))) {
            Some((day, visit)) => Endpoint::Visit(EndpointVisit {
                window,
                offset_days: day - window.target_day,
                visit,
            }),
            None => Endpoint::NoVisitInWindow { window },
        }
    }

    /// The follow-up sequence of `target` states: `(study day, state)` for
    /// every visit from the baseline on.
    ///
    /// ```
    /// use sledai::timeline::{Target, Timeline, TimelineOptions, Visit};
    /// use sledai::{Assessment, Date, TriState};
    /// # use sledai::glucocorticoid::PrednisoneEquivalent;
    /// # use sledai::target::TargetInputs;
    /// # use sledai::Pga;
    /// // The record of a quiet visit whose LLDAS state is `s` (the PGA decides).
    /// # let lldas = |s: TriState| {
    /// #     let i = TargetInputs::new(Assessment::from_present([]))
    /// #         .with_new_activity(false)
    /// #         .with_prednisone_equivalent(PrednisoneEquivalent::ZERO)
    /// #         .with_hemolytic_anemia(false)
    /// #         .with_gastrointestinal_activity(false)
    /// #         .with_maintenance_well_tolerated(true)
    /// #         .with_investigational_drug(false);
    /// #     match s {
    /// #         TriState::Met => i.with_pga(Pga::ZERO),
    /// #         TriState::NotMet => i.with_pga(Pga::new(2.0).unwrap()),
    /// #         TriState::Indeterminate => i,
    /// #     }
    /// # };
    /// let a = Visit::new(Date::new(2024, 3, 1)?, Assessment::from_present([])).with_target_inputs(&lldas(TriState::Met));
    /// let t = Timeline::new([a], &TimelineOptions::default())?;
    /// assert_eq!(t.follow_up(Target::Lldas).collect::<Vec<_>>(), [(0, TriState::Met)]);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn follow_up(&self, target: Target) -> impl Iterator<Item = (i32, TriState)> + '_ {
        self.days[self.baseline..]
            .iter()
            .zip(&self.visits[self.baseline..])
            .map(move |(&d, v)| (d, v.state(target)))
    }

    /// Time in `target` over follow-up ([`time_in_state`] on
    /// [`Timeline::follow_up`]).
    ///
    /// ```
    /// use sledai::timeline::{TimeAttribution, Target, Timeline, TimelineOptions, Visit};
    /// use sledai::{Assessment, Date, TriState};
    /// # use sledai::glucocorticoid::PrednisoneEquivalent;
    /// # use sledai::target::TargetInputs;
    /// # use sledai::Pga;
    /// // The record of a quiet visit whose LLDAS state is `s` (the PGA decides).
    /// # let lldas = |s: TriState| {
    /// #     let i = TargetInputs::new(Assessment::from_present([]))
    /// #         .with_new_activity(false)
    /// #         .with_prednisone_equivalent(PrednisoneEquivalent::ZERO)
    /// #         .with_hemolytic_anemia(false)
    /// #         .with_gastrointestinal_activity(false)
    /// #         .with_maintenance_well_tolerated(true)
    /// #         .with_investigational_drug(false);
    /// #     match s {
    /// #         TriState::Met => i.with_pga(Pga::ZERO),
    /// #         TriState::NotMet => i.with_pga(Pga::new(2.0).unwrap()),
    /// #         TriState::Indeterminate => i,
    /// #     }
    /// # };
    /// let v = |m, s| Visit::new(Date::new(2024, m, 1).unwrap(), Assessment::from_present([])).with_target_inputs(&lldas(s));
    /// let t = Timeline::new([v(1, TriState::Met), v(2, TriState::NotMet)], &TimelineOptions::default())?;
    /// assert_eq!(t.time_in(Target::Lldas, TimeAttribution::CarryForward).fraction_of_time, Some(1.0));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn time_in(&self, target: Target, rule: TimeAttribution) -> TimeInState {
        TimeAccumulator::run(self.follow_up(target), rule)
    }

    /// Time in `target`, its longest run, whether it was ever met and on
    /// which study day first, over follow-up ([`summarize_state`]).
    ///
    /// ```
    /// use sledai::timeline::{TimeAttribution, Target, Timeline, TimelineOptions, Visit};
    /// use sledai::{Assessment, Date, TriState};
    /// # use sledai::glucocorticoid::PrednisoneEquivalent;
    /// # use sledai::target::TargetInputs;
    /// # use sledai::Pga;
    /// // The record of a quiet visit whose LLDAS state is `s` (the PGA decides).
    /// # let lldas = |s: TriState| {
    /// #     let i = TargetInputs::new(Assessment::from_present([]))
    /// #         .with_new_activity(false)
    /// #         .with_prednisone_equivalent(PrednisoneEquivalent::ZERO)
    /// #         .with_hemolytic_anemia(false)
    /// #         .with_gastrointestinal_activity(false)
    /// #         .with_maintenance_well_tolerated(true)
    /// #         .with_investigational_drug(false);
    /// #     match s {
    /// #         TriState::Met => i.with_pga(Pga::ZERO),
    /// #         TriState::NotMet => i.with_pga(Pga::new(2.0).unwrap()),
    /// #         TriState::Indeterminate => i,
    /// #     }
    /// # };
    /// let v = |m, s| Visit::new(Date::new(2024, m, 1).unwrap(), Assessment::from_present([])).with_target_inputs(&lldas(s));
    /// let t = Timeline::new([v(1, TriState::NotMet), v(2, TriState::Met)], &TimelineOptions::default())?;
    /// let s = t.state_summary(Target::Lldas, TimeAttribution::CarryForward, None);
    /// assert_eq!((s.ever, s.first_day), (TriState::Met, Some(31)));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn state_summary(
        &self,
        target: Target,
        rule: TimeAttribution,
        sustained_days: Option<u32>,
    ) -> StateSummary {
        StateSummary::from_sorted(self.follow_up(target), rule, sustained_days)
    }

    /// SRI-k at the visit at `index` against the baseline: the SLEDAI-2K
    /// change, the baseline and visit PGAs, and the visit's BILAG counts.
    /// `None` when `index` is out of bounds.
    ///
    /// ```
    /// use sledai::change::Sri;
    /// use sledai::timeline::{Timeline, TimelineOptions, Visit};
    /// use sledai::{Assessment, Date, Descriptor, Pga, TriState};
    /// let a = Visit::new(Date::new(2024, 3, 1)?, Assessment::from_present([Descriptor::Arthritis]))
    ///     .with_pga(Pga::new(1.0)?);
    /// let b = Visit::new(Date::new(2024, 6, 1)?, Assessment::from_present([]))
    ///     .with_pga(Pga::new(0.5)?)
    ///     .with_new_bilag_a(Some(0))
    ///     .with_new_bilag_b(Some(0));
    /// let t = Timeline::new([a, b], &TimelineOptions::default())?;
    /// assert_eq!(t.sri(1, Sri::SRI_4).unwrap().state, TriState::Met);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn sri(&self, index: usize, sri: Sri) -> Option<SriResult> {
        let v = self.visits.get(index)?;
        let b = self.baseline();
        let input = SriInput::new(self.change_from_baseline(index)?)
            .with_baseline_pga(b.pga)
            .with_visit_pga(v.pga)
            .with_treatment_failure(v.treatment_failure);
        // The BILAG part from the grades when the baseline or the visit has
        // them (docs/reference.md section 9.3), else the caller's counts.
        let input = if b.bilag.is_some() || v.bilag.is_some() {
            let none = BilagGrades::NOT_RECORDED;
            input.with_grades(b.bilag.unwrap_or(none), v.bilag.unwrap_or(none))
        } else {
            input
                .with_new_bilag_a(v.new_bilag_a)
                .with_new_bilag_b(v.new_bilag_b)
        };
        // `Timeline::new` checked the grades under `bilag_grade_e`.
        crate::change::evaluate_sri(&input, sri, self.sri).ok()
    }

    /// BICLA at the visit at `index` against the baseline
    /// ([`crate::bilag::evaluate_bicla`]); `None` at and before the baseline.
    ///
    /// ```
    /// use sledai::bilag::{BilagGrade::*, BilagGrades, BilagSystem::*};
    /// use sledai::timeline::{Timeline, TimelineOptions, Visit};
    /// use sledai::{Assessment, Date, Pga, TriState};
    /// let a = Visit::new(Date::new(2024, 3, 1)?, Assessment::from_present([]))
    ///     .with_pga(Pga::new(1.0)?)
    ///     .with_grades(BilagGrades::all(E).with(Renal, Some(A)));
    /// let b = Visit::new(Date::new(2024, 6, 1)?, Assessment::from_present([]))
    ///     .with_pga(Pga::new(1.0)?)
    ///     .with_grades(BilagGrades::all(E).with(Renal, Some(C)))
    ///     .with_treatment_failure(Some(false));
    /// let t = Timeline::new([a, b], &TimelineOptions::default())?;
    /// assert!(t.bicla(0).is_none());
    /// assert_eq!(t.bicla(1).unwrap().state(), TriState::Met);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn bicla(&self, index: usize) -> Option<BiclaResult> {
        if index <= self.baseline {
            return None;
        }
        let v = self.visits.get(index)?;
        let b = self.baseline();
        let none = BilagGrades::NOT_RECORDED;
        let input = BiclaInput::new(
            b.bilag.unwrap_or(none),
            v.bilag.unwrap_or(none),
            b.assessment,
            v.assessment,
        )
        .with_baseline_pga(b.pga)
        .with_visit_pga(v.pga)
        .with_treatment_failure(v.treatment_failure);
        // `Timeline::new` checked the grades under `bilag_grade_e`.
        crate::bilag::evaluate_bicla(&input, self.bicla).ok()
    }

    /// The responses of issue 14 at the visit at `index` (`None` when there
    /// is no such visit).
    fn responses(&self, index: usize) -> Option<Responses> {
        let v = self.visits.get(index)?;
        let after = index > self.baseline;
        let sri = |k: u8| -> Option<TriState> {
            if !after {
                return None;
            }
            let s = Sri::new(k).ok()?;
            Some(self.sri(index, s)?.state)
        };
        let bicla = self.bicla(index).map(|b| b.state());
        let sri_4 = sri(4);
        let d = v.doris_2017();
        // LLDAS and BICLA (or SRI-4) read some inputs in common (the visit's
        // descriptors and PGA), but every such input makes both rules easier
        // to meet in the same direction (fewer descriptors, a lower PGA), so
        // the three-valued AND of the two is exact over the completions.
        Some(Responses {
            bicla,
            sri_4,
            sri_5: sri(5),
            sri_6: sri(6),
            sri_7: sri(7),
            sri_8: sri(8),
            lldas_bicla: bicla.map(|b| v.lldas.and(b)),
            lldas_sri_4: sri_4.map(|s| v.lldas.and(s)),
            doris_2017_clinical_on_treatment: d[0],
            doris_2017_complete_on_treatment: d[1],
            doris_2017_clinical_off_treatment: d[2],
            doris_2017_complete_off_treatment: d[3],
        })
    }

    /// The per-patient summary: baseline, endpoints with SRI-4, time in
    /// LLDAS and DORIS, and screening of the first visit.
    ///
    /// ```
    /// use sledai::timeline::{SummaryOptions, Timeline, TimelineOptions, Visit, Window};
    /// use sledai::{Assessment, Date};
    /// let a = Visit::new(Date::new(2024, 3, 1)?, Assessment::from_present([]));
    /// let t = Timeline::new([a], &TimelineOptions::default())?;
    /// let s = t.summary("P1", &SummaryOptions::new([Window::new(90, 14)]));
    /// assert_eq!((s.patient.as_str(), s.visits, s.endpoints.len()), ("P1", 1, 1));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn summary(&self, patient: &str, options: &SummaryOptions) -> PatientSummary {
        let endpoints = options
            .windows
            .iter()
            .map(|&w| {
                let endpoint = self.endpoint(w);
                let (sri4, responses) = match &endpoint {
                    Endpoint::Visit(e) => (
                        self.sri(e.visit.index, Sri::SRI_4),
                        self.responses(e.visit.index),
                    ),
                    Endpoint::NoVisitInWindow { .. } => (None, None),
                };
                PatientEndpoint {
                    endpoint,
                    sri4,
                    responses,
                }
            })
            .collect();
        let first = &self.visits[0];
        PatientSummary {
            patient: patient.to_owned(),
            visits: self.visits.len(),
            reference_date: self.reference,
            screening: options
                .screening_threshold
                .map(|t| screen(&first.assessment, t)),
            baseline: self.row_at(self.baseline),
            endpoints,
            lldas: self.state_summary(Target::Lldas, options.attribution, options.sustained_days),
            doris: self.state_summary(Target::Doris, options.attribution, options.sustained_days),
            doris_off_treatment: self.state_summary(
                Target::DorisOffTreatment,
                options.attribution,
                options.sustained_days,
            ),
        }
    }
}

/// The per-visit view of a timeline.
///
/// Serializes with the field names below; `sledai` and `clinical_sledai`
/// are `{"min", "max"}` ranges (equal for a complete assessment).
///
/// ```
/// use sledai::timeline::{Timeline, TimelineOptions, Visit};
/// use sledai::{Assessment, Date};
/// let a = Visit::new(Date::new(2024, 3, 1)?, Assessment::from_present([]));
/// let row = Timeline::new([a], &TimelineOptions::default())?.row(0).unwrap();
/// let json = serde_json::to_value(&row).unwrap();
/// assert_eq!(json["study_day"], 0);
/// assert_eq!(json["change"]["absolute"], 0);
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct VisitRow {
    /// Position in timeline (date) order.
    pub index: usize,
    /// The visit date.
    pub date: Date,
    /// Days since the reference date (day 0); negative before it.
    pub study_day: i32,
    /// Whether this is the baseline visit.
    pub baseline: bool,
    /// SLEDAI-2K total (range when incomplete).
    pub sledai: ScoreRange,
    /// Clinical SLEDAI total (range when incomplete).
    pub clinical_sledai: ScoreRange,
    /// Change in SLEDAI-2K from the baseline visit.
    pub change: ScoreChange,
    /// PGA, if recorded.
    pub pga: Option<Pga>,
    /// LLDAS state (caller-supplied).
    pub lldas: TriState,
    /// DORIS remission state (caller-supplied).
    pub doris: TriState,
}

/// A visit window around a target study day: `target - before` to
/// `target + after`, both edges inclusive.
///
/// Serde: `{"target_day": 90, "days_before": 14, "days_after": 14}`.
///
/// ```
/// use sledai::timeline::Window;
/// let w = Window::new(90, 14);
/// assert!(w.contains(76) && w.contains(104));
/// assert!(!w.contains(75) && !w.contains(105));
/// let json = serde_json::to_string(&w).unwrap();
/// assert_eq!(json, r#"{"target_day":90,"days_before":14,"days_after":14}"#);
/// assert_eq!(serde_json::from_str::<Window>(&json).unwrap(), w);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Window {
    target_day: i32,
    days_before: u16,
    days_after: u16,
}

impl Window {
    /// A symmetric window, `target ± tolerance` days.
    ///
    /// ```
    /// assert!(sledai::timeline::Window::new(360, 30).contains(330));
    /// ```
    pub const fn new(target_day: i32, tolerance: u16) -> Window {
        Window {
            target_day,
            days_before: tolerance,
            days_after: tolerance,
        }
    }

    /// An asymmetric window, `target - before` to `target + after`.
    ///
    /// ```
    /// let w = sledai::timeline::Window::asymmetric(28, 0, 7);
    /// assert!(!w.contains(27) && w.contains(35));
    /// ```
    pub const fn asymmetric(target_day: i32, days_before: u16, days_after: u16) -> Window {
        Window {
            target_day,
            days_before,
            days_after,
        }
    }

    /// The target study day.
    ///
    /// ```
    /// assert_eq!(sledai::timeline::Window::new(90, 14).target_day(), 90);
    /// ```
    pub const fn target_day(&self) -> i32 {
        self.target_day
    }

    /// Days allowed before the target.
    ///
    /// ```
    /// assert_eq!(sledai::timeline::Window::asymmetric(90, 7, 14).days_before(), 7);
    /// ```
    pub const fn days_before(&self) -> u16 {
        self.days_before
    }

    /// Days allowed after the target.
    ///
    /// ```
    /// assert_eq!(sledai::timeline::Window::asymmetric(90, 7, 14).days_after(), 14);
    /// ```
    pub const fn days_after(&self) -> u16 {
        self.days_after
    }

    /// Whether `study_day` lies in the window (edges inclusive).
    ///
    /// ```
    /// assert!(sledai::timeline::Window::new(0, 0).contains(0));
    /// ```
    pub const fn contains(&self, study_day: i32) -> bool {
        let d = study_day as i64;
        let t = self.target_day as i64;
        t - self.days_before as i64 <= d && d <= t + self.days_after as i64
    }
}

/// The outcome of an endpoint: the visit used, or no visit in the window.
///
/// Serializes internally tagged: `{"outcome": "visit", "window", "offset_days",
/// "visit"}` or `{"outcome": "no_visit_in_window", "window"}`.
///
/// ```
/// use sledai::timeline::{Endpoint, Timeline, TimelineOptions, Visit, Window};
/// use sledai::{Assessment, Date};
/// let a = Visit::new(Date::new(2024, 3, 1)?, Assessment::from_present([]));
/// let t = Timeline::new([a], &TimelineOptions::default())?;
/// let e = t.endpoint(Window::new(90, 14));
/// assert_eq!(serde_json::to_value(&e).unwrap()["outcome"], "no_visit_in_window");
/// assert!(e.visit().is_none());
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Endpoint {
    /// A visit lies in the window; this is the one used.
    Visit(EndpointVisit),
    /// No visit lies in the window: a reported outcome, not a missing row.
    NoVisitInWindow {
        /// The window searched.
        window: Window,
    },
}

impl Endpoint {
    /// The visit used, if any.
    ///
    /// ```
    /// use sledai::timeline::{Timeline, TimelineOptions, Visit, Window};
    /// use sledai::{Assessment, Date};
    /// let a = Visit::new(Date::new(2024, 3, 1)?, Assessment::from_present([]));
    /// let t = Timeline::new([a], &TimelineOptions::default())?;
    /// assert_eq!(t.endpoint(Window::new(0, 0)).visit().map(|e| e.offset_days), Some(0));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn visit(&self) -> Option<&EndpointVisit> {
        match self {
            Endpoint::Visit(e) => Some(e),
            Endpoint::NoVisitInWindow { .. } => None,
        }
    }

    /// The window.
    ///
    /// ```
    /// use sledai::timeline::{Timeline, TimelineOptions, Visit, Window};
    /// use sledai::{Assessment, Date};
    /// let a = Visit::new(Date::new(2024, 3, 1)?, Assessment::from_present([]));
    /// let t = Timeline::new([a], &TimelineOptions::default())?;
    /// assert_eq!(t.endpoint(Window::new(90, 14)).window(), Window::new(90, 14));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn window(&self) -> Window {
        match self {
            Endpoint::Visit(e) => e.window,
            Endpoint::NoVisitInWindow { window } => *window,
        }
    }
}

/// The visit used for an endpoint.
///
/// ```
/// use sledai::timeline::{Timeline, TimelineOptions, Visit, Window};
/// use sledai::{Assessment, Date};
/// let a = Visit::new(Date::new(2024, 3, 1)?, Assessment::from_present([]));
/// let t = Timeline::new([a], &TimelineOptions::default())?;
/// let e = *t.endpoint(Window::new(3, 5)).visit().unwrap();
/// assert_eq!(e.offset_days, -3);
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct EndpointVisit {
    /// The window searched.
    pub window: Window,
    /// Study day of the visit minus the target day.
    pub offset_days: i32,
    /// The visit, with its change from baseline and states.
    pub visit: VisitRow,
}

/// How the time between two consecutive visits is attributed to states.
///
/// For visits at study days `t0 <= t1 <= ... <= tn` with states `s0..sn`,
/// observed time is `tn - t0`, and each interval `[ti, ti+1]` of length
/// `di` is attributed as follows.
///
/// ```
/// use sledai::timeline::{time_in_state, TimeAttribution};
/// use sledai::TriState::*;
/// let visits = [(0, Met), (30, NotMet), (90, Met)];
/// let f = |r| time_in_state(visits, r).unwrap().fraction_of_time.unwrap();
/// assert_eq!(f(TimeAttribution::CarryForward), 30.0 / 90.0);
/// assert_eq!(f(TimeAttribution::HalfInterval), 45.0 / 90.0);
/// assert_eq!(f(TimeAttribution::BothEnds), 0.0);
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum TimeAttribution {
    /// Default. The whole interval gets the state of the visit that opens
    /// it (`si`): the state is carried forward until the next visit. The
    /// last visit contributes no time. (Franklyn 2016 time in LLDAS;
    /// `docs/reference.md` section 2.)
    #[default]
    CarryForward,
    /// Half of the interval gets `si` and half gets `si+1`: each visit
    /// stands for the time up to the midpoints with its neighbours. The
    /// first and last visits get only their inner half-interval.
    HalfInterval,
    /// The interval gets the three-valued AND of both ends: met only when
    /// `si` and `si+1` are both met, not met when either is not met,
    /// indeterminate otherwise. The strictest rule.
    BothEnds,
}

/// Time in a state over a sequence of visits.
///
/// Days attributed to met, not met and indeterminate add up to
/// `observed_days`; visit counts add up to `visits`. Indeterminate time and
/// visits are reported separately and never counted as met; they are in
/// the denominators, so `fraction_of_time` and `fraction_of_visits` are
/// lower bounds and the `_upper` fields what they would be if every
/// indeterminate turned out met.
///
/// ```
/// use sledai::timeline::{time_in_state, TimeAttribution};
/// use sledai::TriState::*;
/// let t = time_in_state([(0, Met), (60, Indeterminate), (90, NotMet)], TimeAttribution::CarryForward)?;
/// assert_eq!((t.met_days, t.indeterminate_days, t.observed_days), (60.0, 30.0, 90));
/// assert_eq!(t.fraction_of_time, Some(60.0 / 90.0));
/// assert_eq!(t.fraction_of_time_upper, Some(1.0));
/// assert_eq!(t.fraction_of_visits, Some(1.0 / 3.0));
/// assert_eq!(t.at_least_half, Met); // Franklyn 2016 landmark
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct TimeInState {
    /// The attribution rule used.
    pub rule: TimeAttribution,
    /// Last study day minus first study day.
    pub observed_days: i32,
    /// Days attributed to met (a multiple of 0.5).
    pub met_days: f64,
    /// Days attributed to not met.
    pub not_met_days: f64,
    /// Days attributed to indeterminate.
    pub indeterminate_days: f64,
    /// `met_days / observed_days`; `None` when no time was observed (one
    /// visit, or all on one day).
    pub fraction_of_time: Option<f64>,
    /// `(met_days + indeterminate_days) / observed_days`.
    pub fraction_of_time_upper: Option<f64>,
    /// Number of visits.
    pub visits: usize,
    /// Visits in the state.
    pub met_visits: usize,
    /// Visits not in the state.
    pub not_met_visits: usize,
    /// Visits with an indeterminate state.
    pub indeterminate_visits: usize,
    /// `met_visits / visits`; `None` for no visits.
    pub fraction_of_visits: Option<f64>,
    /// `(met_visits + indeterminate_visits) / visits`.
    pub fraction_of_visits_upper: Option<f64>,
    /// The Franklyn 2016 landmark, state for at least 50% of observed
    /// time: met when `fraction_of_time >= 0.5`, not met when
    /// `fraction_of_time_upper < 0.5`, indeterminate otherwise or when no
    /// time was observed.
    pub at_least_half: TriState,
}

struct TimeAccumulator {
    met: f64,
    not_met: f64,
    indeterminate: f64,
    counts: [usize; 3],
}

impl TimeAccumulator {
    fn add(&mut self, days: f64, state: TriState) {
        match state {
            TriState::Met => self.met += days,
            TriState::NotMet => self.not_met += days,
            TriState::Indeterminate => self.indeterminate += days,
        }
    }

    fn count(&mut self, state: TriState) {
        self.counts[match state {
            TriState::Met => 0,
            TriState::NotMet => 1,
            TriState::Indeterminate => 2,
        }] += 1;
    }

    /// `points` must be sorted by day (checked by the public callers).
    fn run<I: IntoIterator<Item = (i32, TriState)>>(
        points: I,
        rule: TimeAttribution,
    ) -> TimeInState {
        let mut acc = TimeAccumulator {
            met: 0.0,
            not_met: 0.0,
            indeterminate: 0.0,
            counts: [0; 3],
        };
        let mut first: Option<i32> = None;
        let mut prev: Option<(i32, TriState)> = None;
        for (day, state) in points {
            acc.count(state);
            first.get_or_insert(day);
            if let Some((pd, ps)) = prev {
                let d = f64::from(day - pd);
                match rule {
                    TimeAttribution::CarryForward => acc.add(d, ps),
                    TimeAttribution::HalfInterval => {
                        acc.add(d / 2.0, ps);
                        acc.add(d / 2.0, state);
                    }
                    TimeAttribution::BothEnds => acc.add(d, ps.and(state)),
                }
            }
            prev = Some((day, state));
        }
        let observed = match (first, prev) {
            (Some(f), Some((l, _))) => l - f,
            _ => 0,
        };
        let visits: usize = acc.counts.iter().sum();
        let obs = f64::from(observed);
        let frac = |x: f64| (observed > 0).then(|| x / obs);
        let vfrac = |x: usize| (visits > 0).then(|| x as f64 / visits as f64);
        let at_least_half = if observed == 0 {
            TriState::Indeterminate
        } else if 2.0 * acc.met >= obs {
            TriState::Met
        } else if 2.0 * (acc.met + acc.indeterminate) < obs {
            TriState::NotMet
        } else {
            TriState::Indeterminate
        };
        TimeInState {
            rule,
            observed_days: observed,
            met_days: acc.met,
            not_met_days: acc.not_met,
            indeterminate_days: acc.indeterminate,
            fraction_of_time: frac(acc.met),
            fraction_of_time_upper: frac(acc.met + acc.indeterminate),
            visits,
            met_visits: acc.counts[0],
            not_met_visits: acc.counts[1],
            indeterminate_visits: acc.counts[2],
            fraction_of_visits: vfrac(acc.counts[0]),
            fraction_of_visits_upper: vfrac(acc.counts[0] + acc.counts[2]),
            at_least_half,
        }
    }
}

/// The largest study day, in magnitude, that the time-in-state functions
/// accept: the number of days from 0001-01-01 to 9999-12-31, the span of
/// [`Date`], so every study day computed from two dates is in
/// range and every difference of two study days fits in an `i32`.
///
/// ```
/// use sledai::timeline::{time_in_state, TimeAttribution, MAX_STUDY_DAY};
/// use sledai::{Date, TriState::*};
/// assert_eq!(Date::MAX.days_since(Date::MIN), MAX_STUDY_DAY);
/// assert!(time_in_state([(0, Met), (MAX_STUDY_DAY + 1, NotMet)], TimeAttribution::CarryForward).is_err());
/// ```
pub const MAX_STUDY_DAY: i32 = 3_652_058;

/// Checks that every day is within `±MAX_STUDY_DAY` and that days do not
/// decrease.
fn check_sorted(points: &[(i32, TriState)]) -> Result<(), Error> {
    if let Some(&(day, _)) = points
        .iter()
        .find(|(d, _)| d.unsigned_abs() > MAX_STUDY_DAY.unsigned_abs())
    {
        return Err(Error::OutOfRange {
            field: "study_day",
            value: f64::from(day),
            min: f64::from(-MAX_STUDY_DAY),
            max: f64::from(MAX_STUDY_DAY),
        });
    }
    match points.windows(2).find(|w| w[1].0 < w[0].0) {
        Some(w) => Err(Error::InvalidValue {
            field: "study_day",
            value: w[1].0.to_string(),
            reason: format!("study days must not decrease (previous day {})", w[0].0),
        }),
        None => Ok(()),
    }
}

/// Time in a state over `(study day, state)` points in day order, under an
/// attribution rule. Generic: the same function serves LLDAS, DORIS or any
/// per-visit three-valued state. Visits on one day are allowed (a
/// zero-length interval contributes no time).
///
/// # Errors
///
/// [`Error::InvalidValue`] (field `study_day`) when a day is smaller than
/// the one before it; [`Error::OutOfRange`] (field `study_day`) for a day
/// beyond `±`[`MAX_STUDY_DAY`].
///
/// ```
/// use sledai::timeline::{time_in_state, TimeAttribution};
/// use sledai::TriState::*;
/// let t = time_in_state([(0, Met), (100, NotMet)], TimeAttribution::HalfInterval)?;
/// assert_eq!(t.fraction_of_time, Some(0.5));
/// assert!(time_in_state([(10, Met), (0, Met)], TimeAttribution::CarryForward).is_err());
/// # Ok::<(), sledai::Error>(())
/// ```
pub fn time_in_state<I: IntoIterator<Item = (i32, TriState)>>(
    points: I,
    rule: TimeAttribution,
) -> Result<TimeInState, Error> {
    let points: Vec<(i32, TriState)> = points.into_iter().collect();
    check_sorted(&points)?;
    Ok(TimeAccumulator::run(points, rule))
}

/// A run of consecutive visits in a state.
///
/// ```
/// use sledai::timeline::sustained;
/// use sledai::TriState::*;
/// let s = sustained([(0, Met), (90, Met), (180, NotMet)], None)?;
/// let run = s.longest_run.unwrap();
/// assert_eq!((run.start_day, run.end_day, run.span_days, run.visits), (0, 90, 90, 2));
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[non_exhaustive]
pub struct Run {
    /// Study day of the first visit of the run.
    pub start_day: i32,
    /// Study day of the last visit of the run.
    pub end_day: i32,
    /// `end_day - start_day`.
    pub span_days: i32,
    /// Number of visits in the run.
    pub visits: usize,
}

/// Sustained state: the longest run of consecutive met visits, and whether
/// a run spans at least a required number of days.
///
/// ```
/// use sledai::timeline::sustained;
/// use sledai::TriState::*;
/// // Met at 0 and 180 with an indeterminate visit between: could be a
/// // 180-day run, or two single visits.
/// let s = sustained([(0, Met), (90, Indeterminate), (180, Met)], Some(180))?;
/// assert_eq!(s.longest_run.unwrap().span_days, 0);
/// assert_eq!(s.meets_duration, Some(Indeterminate));
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[non_exhaustive]
pub struct Sustained {
    /// The run of consecutive met visits with the longest span in days
    /// (ties: more visits, then the earliest); `None` when no visit is met.
    /// An indeterminate or not-met visit ends a run.
    pub longest_run: Option<Run>,
    /// The required span in days, if one was given.
    pub required_days: Option<u32>,
    /// Met when a run of met visits spans at least `required_days`; not met
    /// when no run spans it even if every indeterminate visit were met;
    /// indeterminate otherwise. `None` when no duration was given.
    pub meets_duration: Option<TriState>,
}

fn longest_run<I: Iterator<Item = (i32, bool)>>(points: I) -> Option<Run> {
    let mut best: Option<Run> = None;
    let mut cur: Option<Run> = None;
    let better = |a: &Run, b: &Option<Run>| match b {
        None => true,
        Some(b) => (a.span_days, a.visits) > (b.span_days, b.visits),
    };
    for (day, in_run) in points {
        if in_run {
            let r = cur.get_or_insert(Run {
                start_day: day,
                end_day: day,
                span_days: 0,
                visits: 0,
            });
            r.end_day = day;
            r.span_days = day - r.start_day;
            r.visits += 1;
            if better(r, &best) {
                best = Some(*r);
            }
        } else {
            cur = None;
        }
    }
    best
}

impl Sustained {
    fn from_sorted(points: &[(i32, TriState)], required_days: Option<u32>) -> Sustained {
        let definite = longest_run(points.iter().map(|&(d, s)| (d, s.is_met())));
        let meets_duration = required_days.map(|req| {
            let req = i64::from(req);
            let spans = |r: Option<Run>| r.is_some_and(|r| i64::from(r.span_days) >= req);
            if spans(definite) {
                TriState::Met
            } else if spans(longest_run(
                points.iter().map(|&(d, s)| (d, s != TriState::NotMet)),
            )) {
                TriState::Indeterminate
            } else {
                TriState::NotMet
            }
        });
        Sustained {
            longest_run: definite,
            required_days,
            meets_duration,
        }
    }
}

/// Sustained state over `(study day, state)` points in day order: the
/// longest run of consecutive met visits, and (given `required_days`)
/// whether a run spans at least that many days, first to last visit of the
/// run.
///
/// # Errors
///
/// [`Error::InvalidValue`] (field `study_day`) when a day is smaller than
/// the one before it; [`Error::OutOfRange`] (field `study_day`) for a day
/// beyond `±`[`MAX_STUDY_DAY`].
///
/// ```
/// use sledai::timeline::sustained;
/// use sledai::TriState::*;
/// let s = sustained([(0, Met), (90, Met), (180, Met)], Some(180))?;
/// assert_eq!(s.meets_duration, Some(Met));
/// let s = sustained([(0, Met), (90, NotMet), (180, Met)], Some(180))?;
/// assert_eq!(s.meets_duration, Some(NotMet));
/// # Ok::<(), sledai::Error>(())
/// ```
pub fn sustained<I: IntoIterator<Item = (i32, TriState)>>(
    points: I,
    required_days: Option<u32>,
) -> Result<Sustained, Error> {
    let points: Vec<(i32, TriState)> = points.into_iter().collect();
    check_sorted(&points)?;
    Ok(Sustained::from_sorted(&points, required_days))
}

/// Everything about one state over follow-up: time in it, its longest run,
/// whether it was ever met and first met on which study day.
///
/// ```
/// use sledai::timeline::{summarize_state, TimeAttribution};
/// use sledai::TriState::*;
/// let s = summarize_state([(0, NotMet), (28, Indeterminate), (90, Met)], TimeAttribution::CarryForward, None)?;
/// assert_eq!((s.ever, s.first_day), (Met, Some(90)));
/// let s = summarize_state([(0, NotMet), (28, Indeterminate)], TimeAttribution::CarryForward, None)?;
/// assert_eq!((s.ever, s.first_day), (Indeterminate, None));
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct StateSummary {
    /// Time in the state.
    pub time: TimeInState,
    /// The longest run and the sustained-duration answer.
    pub sustained: Sustained,
    /// Met if any visit is met; not met if every visit is not met (or there
    /// are none); indeterminate otherwise.
    pub ever: TriState,
    /// Study day of the first met visit.
    pub first_day: Option<i32>,
}

impl StateSummary {
    fn from_sorted<I: IntoIterator<Item = (i32, TriState)>>(
        points: I,
        rule: TimeAttribution,
        sustained_days: Option<u32>,
    ) -> StateSummary {
        let points: Vec<(i32, TriState)> = points.into_iter().collect();
        let first_day = points.iter().find(|p| p.1.is_met()).map(|p| p.0);
        let ever = if first_day.is_some() {
            TriState::Met
        } else if points.iter().any(|p| p.1 == TriState::Indeterminate) {
            TriState::Indeterminate
        } else {
            TriState::NotMet
        };
        StateSummary {
            time: TimeAccumulator::run(points.iter().copied(), rule),
            sustained: Sustained::from_sorted(&points, sustained_days),
            ever,
            first_day,
        }
    }
}

/// [`StateSummary`] over `(study day, state)` points in day order.
///
/// # Errors
///
/// [`Error::InvalidValue`] (field `study_day`) when a day is smaller than
/// the one before it; [`Error::OutOfRange`] (field `study_day`) for a day
/// beyond `±`[`MAX_STUDY_DAY`].
///
/// ```
/// use sledai::timeline::{summarize_state, TimeAttribution};
/// use sledai::TriState::*;
/// let s = summarize_state([(0, Met), (90, Met)], TimeAttribution::CarryForward, Some(90))?;
/// assert_eq!(s.sustained.meets_duration, Some(Met));
/// # Ok::<(), sledai::Error>(())
/// ```
pub fn summarize_state<I: IntoIterator<Item = (i32, TriState)>>(
    points: I,
    rule: TimeAttribution,
    sustained_days: Option<u32>,
) -> Result<StateSummary, Error> {
    let points: Vec<(i32, TriState)> = points.into_iter().collect();
    check_sorted(&points)?;
    Ok(StateSummary::from_sorted(points, rule, sustained_days))
}

/// Trial screening on SLEDAI-2K: the total at the screening visit is at
/// least a threshold (10 for the IM19 CAR-T trial, NCT06513429; BLISS
/// trials used 6; `docs/reference.md` sections 4 and 7).
///
/// ```
/// use sledai::timeline::screen;
/// use sledai::{Assessment, Descriptor, Finding, Score, TriState};
/// let ten = Score::new(10)?;
/// let a = Assessment::from_present([Descriptor::Arthritis, Descriptor::Proteinuria, Descriptor::Rash]);
/// assert_eq!(screen(&a, ten).state, TriState::Met); // 4 + 4 + 2 = 10
/// // 8 known, rash not assessed: 8 to 10.
/// let b = a.with(Descriptor::Rash, Finding::NotAssessed);
/// assert_eq!(screen(&b, ten).state, TriState::Indeterminate);
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[non_exhaustive]
pub struct Screening {
    /// Met when the lowest possible total reaches the threshold, not met
    /// when the highest possible total is below it, else indeterminate.
    pub state: TriState,
    /// The SLEDAI-2K total (range when incomplete).
    pub score: ScoreRange,
    /// The threshold.
    pub threshold: Score,
}

/// Screens an assessment: SLEDAI-2K `>= threshold`, three-valued from the
/// score range (see [`Screening`]).
///
/// ```
/// use sledai::timeline::screen;
/// use sledai::{Assessment, Score, TriState};
/// assert_eq!(screen(&Assessment::from_present([]), Score::new(10)?).state, TriState::NotMet);
/// assert_eq!(screen(&Assessment::not_assessed(), Score::new(10)?).state, TriState::Indeterminate);
/// # Ok::<(), sledai::Error>(())
/// ```
pub fn screen(assessment: &Assessment, threshold: Score) -> Screening {
    let score = assessment.score_range();
    let state = if score.min() >= threshold {
        TriState::Met
    } else if score.max() < threshold {
        TriState::NotMet
    } else {
        TriState::Indeterminate
    };
    Screening {
        state,
        score,
        threshold,
    }
}

/// What to summarise per patient and per cohort.
///
/// Defaults: no endpoint windows, [`TimeAttribution::CarryForward`], no
/// sustained duration, no screening.
///
/// ```
/// use sledai::timeline::{TimeAttribution, SummaryOptions, Window};
/// use sledai::Score;
/// // The IM19 trial: day 90 (primary) and day 360; entry SLEDAI-2K >= 10.
/// let o = SummaryOptions::new([Window::new(90, 14), Window::new(360, 30)])
///     .with_attribution(TimeAttribution::HalfInterval)
///     .with_sustained_days(180)
///     .with_screening_threshold(Score::new(10)?);
/// assert_eq!(o.windows().len(), 2);
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct SummaryOptions {
    windows: Vec<Window>,
    attribution: TimeAttribution,
    sustained_days: Option<u32>,
    screening_threshold: Option<Score>,
}

impl SummaryOptions {
    /// Options with these endpoint windows, in the order given.
    ///
    /// ```
    /// use sledai::timeline::{SummaryOptions, Window};
    /// assert_eq!(SummaryOptions::new([Window::new(28, 7)]).windows(), &[Window::new(28, 7)]);
    /// ```
    pub fn new<I: IntoIterator<Item = Window>>(windows: I) -> SummaryOptions {
        SummaryOptions {
            windows: windows.into_iter().collect(),
            ..SummaryOptions::default()
        }
    }

    /// Sets the attribution rule for time in LLDAS and DORIS.
    ///
    /// ```
    /// use sledai::timeline::{TimeAttribution, SummaryOptions};
    /// let o = SummaryOptions::new([]).with_attribution(TimeAttribution::BothEnds);
    /// assert_eq!(o.attribution(), TimeAttribution::BothEnds);
    /// ```
    #[must_use]
    pub fn with_attribution(mut self, rule: TimeAttribution) -> SummaryOptions {
        self.attribution = rule;
        self
    }

    /// Sets the required span, in days, of a sustained run.
    ///
    /// ```
    /// use sledai::timeline::SummaryOptions;
    /// assert_eq!(SummaryOptions::new([]).with_sustained_days(90).sustained_days(), Some(90));
    /// ```
    #[must_use]
    pub fn with_sustained_days(mut self, days: u32) -> SummaryOptions {
        self.sustained_days = Some(days);
        self
    }

    /// Screens each patient's first visit against this SLEDAI-2K threshold.
    ///
    /// ```
    /// use sledai::timeline::SummaryOptions;
    /// use sledai::Score;
    /// let o = SummaryOptions::new([]).with_screening_threshold(Score::new(10)?);
    /// assert_eq!(o.screening_threshold(), Some(Score::new(10)?));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub fn with_screening_threshold(mut self, threshold: Score) -> SummaryOptions {
        self.screening_threshold = Some(threshold);
        self
    }

    /// The endpoint windows.
    ///
    /// ```
    /// assert!(sledai::timeline::SummaryOptions::default().windows().is_empty());
    /// ```
    pub fn windows(&self) -> &[Window] {
        &self.windows
    }

    /// The attribution rule.
    ///
    /// ```
    /// use sledai::timeline::{TimeAttribution, SummaryOptions};
    /// assert_eq!(SummaryOptions::default().attribution(), TimeAttribution::CarryForward);
    /// ```
    pub fn attribution(&self) -> TimeAttribution {
        self.attribution
    }

    /// The required sustained span, if any.
    ///
    /// ```
    /// assert_eq!(sledai::timeline::SummaryOptions::default().sustained_days(), None);
    /// ```
    pub fn sustained_days(&self) -> Option<u32> {
        self.sustained_days
    }

    /// The screening threshold, if any.
    ///
    /// ```
    /// assert_eq!(sledai::timeline::SummaryOptions::default().screening_threshold(), None);
    /// ```
    pub fn screening_threshold(&self) -> Option<Score> {
        self.screening_threshold
    }
}

/// One endpoint of a patient, with SRI-4 when a visit is in the window.
///
/// ```
/// use sledai::timeline::{SummaryOptions, Timeline, TimelineOptions, Visit, Window};
/// use sledai::{Assessment, Date, TriState};
/// let a = Visit::new(Date::new(2024, 3, 1)?, Assessment::from_present([]));
/// let s = Timeline::new([a], &TimelineOptions::default())?.summary("P", &SummaryOptions::new([Window::new(0, 0)]));
/// // Baseline 0 cannot fall by 4 points.
/// assert_eq!(s.endpoints[0].sri4.as_ref().unwrap().state, TriState::NotMet);
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct PatientEndpoint {
    /// The visit used, or no visit in the window.
    pub endpoint: Endpoint,
    /// SRI-4 at the endpoint visit against baseline (Furie 2009); met only
    /// when the PGAs and BILAG counts are recorded. `None` when no visit
    /// lies in the window.
    pub sri4: Option<SriResult>,
    /// BICLA, SRI-4..8, the dual responders and the DORIS 2017 variants at
    /// the endpoint visit (docs/bilag.md); `None` when no visit lies in the
    /// window. Serialized flattened into the endpoint.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub responses: Option<Responses>,
}

/// The responses of docs/bilag.md at one endpoint visit. BICLA and SRI-k are
/// `None` at and before the baseline.
///
/// ```
/// use sledai::timeline::{SummaryOptions, Timeline, TimelineOptions, Visit, Window};
/// use sledai::{Assessment, Date};
/// let a = Visit::new(Date::new(2024, 3, 1)?, Assessment::from_present([]));
/// let s = Timeline::new([a], &TimelineOptions::default())?.summary("P", &SummaryOptions::new([Window::new(0, 0)]));
/// let r = s.endpoints[0].responses.expect("a visit on day 0");
/// assert_eq!(r.bicla, None); // the baseline itself
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[non_exhaustive]
pub struct Responses {
    /// BICLA (Wallace 2011).
    pub bicla: Option<TriState>,
    /// SRI-4 (Furie 2009), with the BILAG part from grades when given.
    pub sri_4: Option<TriState>,
    /// SRI-5.
    pub sri_5: Option<TriState>,
    /// SRI-6.
    pub sri_6: Option<TriState>,
    /// SRI-7.
    pub sri_7: Option<TriState>,
    /// SRI-8.
    pub sri_8: Option<TriState>,
    /// LLDAS and BICLA (the TULIP dual responders).
    pub lldas_bicla: Option<TriState>,
    /// LLDAS and SRI-4.
    pub lldas_sri_4: Option<TriState>,
    /// DORIS 2017 clinical remission on treatment.
    pub doris_2017_clinical_on_treatment: TriState,
    /// DORIS 2017 complete remission on treatment.
    pub doris_2017_complete_on_treatment: TriState,
    /// DORIS 2017 clinical remission off treatment.
    pub doris_2017_clinical_off_treatment: TriState,
    /// DORIS 2017 complete remission off treatment.
    pub doris_2017_complete_off_treatment: TriState,
}

/// The summary of one patient.
///
/// ```
/// use sledai::timeline::{SummaryOptions, Timeline, TimelineOptions, Visit};
/// use sledai::{Assessment, Date};
/// let a = Visit::new(Date::new(2024, 3, 1)?, Assessment::from_present([]));
/// let s = Timeline::new([a], &TimelineOptions::default())?.summary("P", &SummaryOptions::default());
/// assert_eq!(s.lldas.time.fraction_of_time, None); // one visit: no observed time
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct PatientSummary {
    /// The patient identifier.
    pub patient: String,
    /// Number of visits.
    pub visits: usize,
    /// Study day 0.
    pub reference_date: Date,
    /// Screening of the first visit, when a threshold was given.
    pub screening: Option<Screening>,
    /// The baseline visit.
    pub baseline: VisitRow,
    /// One per requested window, in the order requested.
    pub endpoints: Vec<PatientEndpoint>,
    /// LLDAS over follow-up.
    pub lldas: StateSummary,
    /// DORIS remission over follow-up.
    pub doris: StateSummary,
    /// DORIS 2017 clinical remission off treatment over follow-up (time in
    /// "drug-free remission", docs/bilag.md).
    pub doris_off_treatment: StateSummary,
}

/// One row of a flat visit table: a patient identifier, an optional
/// reference date (study day 0) and the visit's fields.
///
/// Serde (input and output, unknown fields rejected): the fields of
/// [`Visit`] plus `"patient"` and an optional `"reference_date"`. The
/// reference date may be given on any of a patient's rows; rows that give
/// it must agree.
///
/// ```
/// use sledai::timeline::VisitRecord;
/// let json = r#"{"patient":"P1","reference_date":"2024-03-01","date":"2024-02-20","assessment":{"present":["rash"]},"pga":1.0}"#;
/// let r: VisitRecord = serde_json::from_str(json).unwrap();
/// assert_eq!(r.patient(), "P1");
/// assert_eq!(serde_json::to_string(&r).unwrap(), json);
/// // A state is not an input.
/// assert!(serde_json::from_str::<VisitRecord>(r#"{"patient":"P1","date":"2024-02-20","assessment":{"present":[]},"lldas":"met"}"#).is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VisitRecord {
    patient: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reference_date: Option<Date>,
    date: Date,
    assessment: Assessment,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pga: Option<Pga>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    prednisone_equivalent: Option<PrednisoneEquivalent>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    hemolytic_anemia: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    gastrointestinal_activity: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    maintenance_well_tolerated: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    investigational_drug: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    new_activity: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    on_immunosuppressant: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    on_biologic: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    on_antimalarial: Option<bool>,
    #[serde(default, skip_serializing_if = "is_false")]
    baseline: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    new_bilag_a: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    new_bilag_b: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    bilag: Option<BilagGrades>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    treatment_failure: Option<bool>,
}

impl VisitRecord {
    /// A row for `patient` with an optional reference date.
    ///
    /// ```
    /// use sledai::timeline::{Visit, VisitRecord};
    /// use sledai::{Assessment, Date};
    /// let v = Visit::new(Date::new(2024, 3, 1)?, Assessment::from_present([]));
    /// let r = VisitRecord::new("P1", None, v);
    /// assert_eq!(r.visit(), v);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn new(patient: impl Into<String>, reference_date: Option<Date>, visit: Visit) -> Self {
        VisitRecord {
            patient: patient.into(),
            reference_date,
            date: visit.date,
            assessment: visit.assessment,
            pga: visit.pga,
            prednisone_equivalent: visit.prednisone_equivalent,
            hemolytic_anemia: visit.hemolytic_anemia,
            gastrointestinal_activity: visit.gastrointestinal_activity,
            maintenance_well_tolerated: visit.maintenance_well_tolerated,
            investigational_drug: visit.investigational_drug,
            new_activity: visit.new_activity,
            on_immunosuppressant: visit.on_immunosuppressant,
            on_biologic: visit.on_biologic,
            on_antimalarial: visit.on_antimalarial,
            baseline: visit.baseline,
            new_bilag_a: visit.new_bilag_a,
            new_bilag_b: visit.new_bilag_b,
            bilag: visit.bilag,
            treatment_failure: visit.treatment_failure,
        }
    }

    /// The patient identifier.
    ///
    /// ```
    /// use sledai::timeline::{Visit, VisitRecord};
    /// use sledai::{Assessment, Date};
    /// let v = Visit::new(Date::new(2024, 3, 1)?, Assessment::from_present([]));
    /// assert_eq!(VisitRecord::new("P1", None, v).patient(), "P1");
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn patient(&self) -> &str {
        &self.patient
    }

    /// The reference date given on this row, if any.
    ///
    /// ```
    /// use sledai::timeline::{Visit, VisitRecord};
    /// use sledai::{Assessment, Date};
    /// let v = Visit::new(Date::new(2024, 3, 1)?, Assessment::from_present([]));
    /// assert_eq!(VisitRecord::new("P1", Some(v.date()), v).reference_date(), Some(v.date()));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn reference_date(&self) -> Option<Date> {
        self.reference_date
    }

    /// The visit.
    ///
    /// ```
    /// use sledai::timeline::{Visit, VisitRecord};
    /// use sledai::{Assessment, Date};
    /// let v = Visit::new(Date::new(2024, 3, 1)?, Assessment::from_present([]));
    /// assert_eq!(VisitRecord::new("P1", None, v).visit().date(), v.date());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn visit(&self) -> Visit {
        Visit {
            date: self.date,
            assessment: self.assessment,
            pga: self.pga,
            prednisone_equivalent: self.prednisone_equivalent,
            hemolytic_anemia: self.hemolytic_anemia,
            gastrointestinal_activity: self.gastrointestinal_activity,
            maintenance_well_tolerated: self.maintenance_well_tolerated,
            investigational_drug: self.investigational_drug,
            new_activity: self.new_activity,
            on_immunosuppressant: self.on_immunosuppressant,
            on_biologic: self.on_biologic,
            on_antimalarial: self.on_antimalarial,
            baseline: self.baseline,
            new_bilag_a: self.new_bilag_a,
            new_bilag_b: self.new_bilag_b,
            bilag: self.bilag,
            treatment_failure: self.treatment_failure,
            lldas: TriState::Indeterminate,
            doris: TriState::Indeterminate,
            doris_2017: [TriState::Indeterminate; 4],
        }
    }
}

/// Many patients' timelines, ordered by patient identifier (byte order).
///
/// ```
/// use sledai::timeline::{Cohort, SummaryOptions, TimelineOptions, Visit, Window};
/// use sledai::{Assessment, Date};
/// let v = |m| Visit::new(Date::new(2024, m, 1).unwrap(), Assessment::from_present([]));
/// let c = Cohort::from_visits([("B", v(1)), ("A", v(1)), ("B", v(4))], &TimelineOptions::default())?;
/// assert_eq!(c.patients().map(|(id, t)| (id, t.visit_count())).collect::<Vec<_>>(), [("A", 1), ("B", 2)]);
/// let report = c.summarize(&SummaryOptions::new([Window::new(90, 14)]));
/// assert_eq!((report.summary.n, report.summary.endpoints[0].n_with_visit), (2, 1));
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cohort {
    patients: Vec<(String, Timeline)>,
}

type Groups = BTreeMap<String, (Option<Date>, Vec<(usize, Visit)>)>;

/// Positions for a message, bounded: the first five, then how many more
/// (`0, 3, 5, 7, 9 and 99995 more`; `0 and 3`).
fn bounded_list(positions: &[usize]) -> String {
    const SHOWN: usize = 5;
    let shown: Vec<String> = positions.iter().take(SHOWN).map(usize::to_string).collect();
    match (positions.len(), shown.split_last()) {
        (n, Some((last, rest))) if n <= SHOWN && !rest.is_empty() => {
            format!("{} and {last}", rest.join(", "))
        }
        (n, _) if n > SHOWN => format!("{} and {} more", shown.join(", "), n - SHOWN),
        _ => shown.join(", "),
    }
}

fn check_patient_id(id: &str, index: usize) -> Result<(), Error> {
    if id.trim().is_empty() {
        return Err(Error::InBatch {
            index,
            source: Box::new(Error::InvalidValue {
                field: "patient",
                value: id.to_owned(),
                reason: "a patient identifier must not be empty".to_owned(),
            }),
        });
    }
    Ok(())
}

impl Cohort {
    /// Groups `(patient id, visit)` rows by patient and builds each
    /// patient's timeline with `options` (the same options, including any
    /// reference date, for every patient). Rows may come in any order.
    ///
    /// # Errors
    ///
    /// - [`Error::InBatch`] (the row's zero-based position) wrapping
    ///   [`Error::InvalidValue`] (field `patient`) for an empty identifier.
    /// - [`Error::InPatient`] wrapping any [`Timeline::new`] error of that
    ///   patient (the first patient in identifier order that fails).
    ///
    /// ```
    /// use sledai::timeline::{Cohort, TimelineOptions, Visit};
    /// use sledai::{Assessment, Date, Error};
    /// let v = Visit::new(Date::new(2024, 3, 1)?, Assessment::from_present([]));
    /// let err = Cohort::from_visits([("P7", v), ("P7", v)], &TimelineOptions::default()).unwrap_err();
    /// assert!(matches!(err, Error::InPatient { ref patient, .. } if patient == "P7"));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn from_visits<I, S>(rows: I, options: &TimelineOptions) -> Result<Cohort, Error>
    where
        I: IntoIterator<Item = (S, Visit)>,
        S: AsRef<str>,
    {
        let mut groups: Groups = BTreeMap::new();
        for (index, (id, visit)) in rows.into_iter().enumerate() {
            let id = id.as_ref();
            check_patient_id(id, index)?;
            match groups.get_mut(id) {
                Some(g) => g.1.push((index, visit)),
                None => {
                    groups.insert(id.to_owned(), (None, vec![(index, visit)]));
                }
            }
        }
        Cohort::from_groups(groups, options)
    }

    /// Builds a cohort from flat [`VisitRecord`] rows, with per-patient
    /// reference dates (e.g. each patient's infusion day). A patient with
    /// no reference date on any row uses `options` (its reference date, or
    /// the baseline visit).
    ///
    /// # Errors
    ///
    /// As [`Cohort::from_visits`], and [`Error::InPatient`] wrapping
    /// [`Error::InvalidValue`] (field `reference_date`) when a patient's
    /// rows give different reference dates.
    ///
    /// ```
    /// use sledai::timeline::{Cohort, TimelineOptions, Visit, VisitRecord};
    /// use sledai::{Assessment, Date};
    /// let v = |m| Visit::new(Date::new(2024, m, 1).unwrap(), Assessment::from_present([]));
    /// let day0 = Date::new(2024, 2, 1)?;
    /// let rows = [VisitRecord::new("P1", Some(day0), v(1)), VisitRecord::new("P1", None, v(3))];
    /// let c = Cohort::from_records(rows, &TimelineOptions::default())?;
    /// assert_eq!(c.get("P1").unwrap().study_days(), &[-31, 29]);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn from_records<I: IntoIterator<Item = VisitRecord>>(
        rows: I,
        options: &TimelineOptions,
    ) -> Result<Cohort, Error> {
        Cohort::from_positioned_records(rows.into_iter().enumerate(), options)
    }

    /// As [`Cohort::from_records`], each row with its zero-based position
    /// in the caller's input: the positions errors name.
    pub(crate) fn from_positioned_records<I: IntoIterator<Item = (usize, VisitRecord)>>(
        rows: I,
        options: &TimelineOptions,
    ) -> Result<Cohort, Error> {
        let mut groups: Groups = BTreeMap::new();
        for (index, row) in rows {
            check_patient_id(&row.patient, index)?;
            let visit = row.visit();
            let g = groups.entry(row.patient).or_default();
            match (g.0, row.reference_date) {
                (Some(a), Some(b)) if a != b => {
                    return Err(Error::InBatch {
                        index,
                        source: Box::new(Error::InvalidValue {
                            field: "reference_date",
                            value: b.to_string(),
                            reason: format!("an earlier row of this patient gives {a}"),
                        }),
                    });
                }
                (None, Some(b)) => g.0 = Some(b),
                _ => {}
            }
            g.1.push((index, visit));
        }
        Cohort::from_groups(groups, options)
    }

    fn from_groups(groups: Groups, options: &TimelineOptions) -> Result<Cohort, Error> {
        let mut patients = Vec::with_capacity(groups.len());
        for (id, (reference, mut visits)) in groups {
            let mut o = *options;
            if reference.is_some() {
                o.reference_date = reference;
            }
            match Timeline::from_indexed(&mut visits, &o) {
                Ok(t) => patients.push((id, t)),
                Err(e) => {
                    return Err(Error::InPatient {
                        patient: id,
                        source: Box::new(e),
                    });
                }
            }
        }
        Ok(Cohort { patients })
    }

    /// The number of patients.
    ///
    /// ```
    /// assert_eq!(sledai::timeline::Cohort::default().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.patients.len()
    }

    /// Whether the cohort has no patients.
    ///
    /// ```
    /// assert!(sledai::timeline::Cohort::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.patients.is_empty()
    }

    /// The patients and their timelines, by identifier.
    ///
    /// ```
    /// assert_eq!(sledai::timeline::Cohort::default().patients().count(), 0);
    /// ```
    pub fn patients(&self) -> impl Iterator<Item = (&str, &Timeline)> + '_ {
        self.patients.iter().map(|(id, t)| (id.as_str(), t))
    }

    /// One patient's timeline.
    ///
    /// ```
    /// assert!(sledai::timeline::Cohort::default().get("P1").is_none());
    /// ```
    pub fn get(&self, patient: &str) -> Option<&Timeline> {
        self.patients
            .binary_search_by(|(id, _)| id.as_str().cmp(patient))
            .ok()
            .map(|i| &self.patients[i].1)
    }

    /// Per-patient summaries (by identifier) and the cohort summary.
    ///
    /// ```
    /// use sledai::timeline::{Cohort, SummaryOptions};
    /// let r = Cohort::default().summarize(&SummaryOptions::default());
    /// assert_eq!(r.summary.n, 0);
    /// ```
    pub fn summarize(&self, options: &SummaryOptions) -> CohortReport {
        let patients: Vec<PatientSummary> = self
            .patients
            .iter()
            .map(|(id, t)| t.summary(id, options))
            .collect();
        let summary = CohortSummary::from_patients(&patients, options);
        CohortReport { patients, summary }
    }
}

/// Per-patient summaries and the cohort summary.
///
/// Serializes as `{"patients": [...], "summary": {...}}`.
///
/// ```
/// use sledai::timeline::{Cohort, SummaryOptions};
/// let r = Cohort::default().summarize(&SummaryOptions::default());
/// assert_eq!(serde_json::to_value(&r).unwrap()["summary"]["n"], 0);
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct CohortReport {
    /// One summary per patient, by identifier.
    pub patients: Vec<PatientSummary>,
    /// The cohort summary.
    pub summary: CohortSummary,
}

/// Counts of a three-valued state over patients, with proportions.
///
/// ```
/// use sledai::timeline::{Cohort, SummaryOptions, TimelineOptions, Visit, Window};
/// use sledai::{Assessment, Date, TriState};
/// # use sledai::glucocorticoid::PrednisoneEquivalent;
/// # use sledai::target::TargetInputs;
/// # use sledai::Pga;
/// // The record of a quiet visit whose LLDAS state is `s` (the PGA decides).
/// # let lldas = |s: TriState| {
/// #     let i = TargetInputs::new(Assessment::from_present([]))
/// #         .with_new_activity(false)
/// #         .with_prednisone_equivalent(PrednisoneEquivalent::ZERO)
/// #         .with_hemolytic_anemia(false)
/// #         .with_gastrointestinal_activity(false)
/// #         .with_maintenance_well_tolerated(true)
/// #         .with_investigational_drug(false);
/// #     match s {
/// #         TriState::Met => i.with_pga(Pga::ZERO),
/// #         TriState::NotMet => i.with_pga(Pga::new(2.0).unwrap()),
/// #         TriState::Indeterminate => i,
/// #     }
/// # };
/// let v = |d: u32, s| Visit::new(Date::new(2024, 1, d).unwrap(), Assessment::from_present([])).with_target_inputs(&lldas(s));
/// let c = Cohort::from_visits(
///     [("A", v(1, TriState::Met)), ("B", v(1, TriState::Indeterminate)), ("C", v(20, TriState::Met))],
///     &TimelineOptions::default().with_reference_date(Date::new(2024, 1, 1)?),
/// )?;
/// let p = c.summarize(&SummaryOptions::new([Window::new(0, 7)])).summary.endpoints[0].lldas;
/// assert_eq!((p.met, p.indeterminate, p.denominator), (1, 1, 2));
/// assert_eq!(p.proportion, Some(0.5));
/// assert_eq!(p.proportion_of_cohort, Some(1.0 / 3.0));
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct Proportion {
    /// Patients met.
    pub met: usize,
    /// Patients not met.
    pub not_met: usize,
    /// Patients indeterminate (never counted as met).
    pub indeterminate: usize,
    /// `met + not_met + indeterminate`.
    pub denominator: usize,
    /// `met / denominator`; `None` when the denominator is 0.
    pub proportion: Option<f64>,
    /// `met / n` over the whole cohort: patients without a visit in the
    /// window count as not met (non-responder imputation); `None` when the
    /// cohort is empty.
    pub proportion_of_cohort: Option<f64>,
}

impl Proportion {
    fn from_states<I: IntoIterator<Item = TriState>>(states: I, n: usize) -> Proportion {
        let mut c = [0usize; 3];
        for s in states {
            c[match s {
                TriState::Met => 0,
                TriState::NotMet => 1,
                TriState::Indeterminate => 2,
            }] += 1;
        }
        let denominator = c.iter().sum();
        let ratio = |d: usize| (d > 0).then(|| c[0] as f64 / d as f64);
        Proportion {
            met: c[0],
            not_met: c[1],
            indeterminate: c[2],
            denominator,
            proportion: ratio(denominator),
            proportion_of_cohort: ratio(n),
        }
    }
}

/// Median and quartiles of the SLEDAI-2K change from baseline over the
/// patients with an exact change at an endpoint.
///
/// Quantiles are R's default, type 7 (Hyndman & Fan 1996): for sorted
/// values `x[0..n]` and probability `p`, `h = (n - 1) p`, the quantile is
/// `x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h])`.
///
/// ```
/// use sledai::timeline::{Cohort, SummaryOptions, TimelineOptions, Visit, Window};
/// use sledai::{Assessment, Date, Descriptor};
/// let base = Assessment::from_present([Descriptor::Vasculitis, Descriptor::Arthritis]); // 12
/// let rows = [(0, 12), (1, 8), (2, 4), (3, 0)].into_iter().flat_map(|(i, now): (usize, u8)| {
///     let now = Assessment::from_present(match now { 12 => vec![Descriptor::Vasculitis, Descriptor::Arthritis],
///         8 => vec![Descriptor::Vasculitis], 4 => vec![Descriptor::Arthritis], _ => vec![] });
///     [(i.to_string(), Visit::new(Date::new(2024, 1, 1).unwrap(), base)),
///      (i.to_string(), Visit::new(Date::new(2024, 3, 31).unwrap(), now))]
/// });
/// let c = Cohort::from_visits(rows, &TimelineOptions::default())?;
/// let s = c.summarize(&SummaryOptions::new([Window::new(90, 14)])).summary.endpoints[0].change;
/// // Changes 0, -4, -8, -12: median -6, Q1 -9, Q3 -3 (type 7).
/// assert_eq!((s.median, s.q1, s.q3), (Some(-6.0), Some(-9.0), Some(-3.0)));
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct ChangeStats {
    /// Patients with an exact change (complete assessments).
    pub n: usize,
    /// Patients with a visit in the window whose change is a range
    /// (incomplete assessment); left out of the quantiles.
    pub n_inexact: usize,
    /// Median change.
    pub median: Option<f64>,
    /// First quartile.
    pub q1: Option<f64>,
    /// Third quartile.
    pub q3: Option<f64>,
}

/// R type 7 quantile of sorted values.
fn quantile7(sorted: &[f64], p: f64) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let h = (n - 1) as f64 * p;
    let lo = h.floor();
    // 0 <= lo <= n - 1, so the cast is exact.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let i = lo as usize;
    let x = sorted[i];
    Some(match sorted.get(i + 1) {
        Some(&y) => x + (h - lo) * (y - x),
        None => x,
    })
}

/// The cohort summary at one endpoint.
///
/// ```
/// use sledai::timeline::{Cohort, SummaryOptions, Window};
/// let r = Cohort::default().summarize(&SummaryOptions::new([Window::new(90, 14)]));
/// assert_eq!(r.summary.endpoints[0].n_with_visit, 0);
/// assert_eq!(r.summary.endpoints[0].change.median, None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct CohortEndpoint {
    /// The window.
    pub window: Window,
    /// Patients with a visit in the window.
    pub n_with_visit: usize,
    /// SLEDAI-2K change from baseline.
    pub change: ChangeStats,
    /// LLDAS at the endpoint visit, over patients with a visit.
    pub lldas: Proportion,
    /// DORIS remission at the endpoint visit, over patients with a visit.
    pub doris: Proportion,
    /// SRI-4 at the endpoint visit, over patients with a visit.
    pub sri4: Proportion,
    /// BICLA, SRI-5..8, the dual responders and the DORIS 2017 variants at
    /// the endpoint visit, over patients with a visit (a visit at or before
    /// the baseline counts as indeterminate for BICLA and SRI).
    pub responses: ResponseProportions,
}

/// The proportions of [`Responses`] at one endpoint.
///
/// ```
/// use sledai::timeline::{Cohort, SummaryOptions, Window};
/// let r = Cohort::default().summarize(&SummaryOptions::new([Window::new(90, 14)]));
/// assert_eq!(r.summary.endpoints[0].responses.bicla.denominator, 0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct ResponseProportions {
    /// BICLA.
    pub bicla: Proportion,
    /// SRI-4 .. SRI-8 (index 0 is SRI-4).
    pub sri: [Proportion; 5],
    /// LLDAS and BICLA.
    pub lldas_bicla: Proportion,
    /// LLDAS and SRI-4.
    pub lldas_sri_4: Proportion,
    /// The DORIS 2017 variants, in [`crate::remission_2017::Doris2017Variant::ALL`] order.
    pub doris_2017: [Proportion; 4],
}

impl ResponseProportions {
    fn from_patients(patients: &[PatientSummary], w: usize, n: usize) -> ResponseProportions {
        let rs: Vec<Responses> = patients
            .iter()
            .filter_map(|p| p.endpoints[w].responses)
            .collect();
        let of = |f: &dyn Fn(&Responses) -> Option<TriState>| {
            Proportion::from_states(
                rs.iter().map(|r| f(r).unwrap_or(TriState::Indeterminate)),
                n,
            )
        };
        ResponseProportions {
            bicla: of(&|r| r.bicla),
            sri: [
                of(&|r| r.sri_4),
                of(&|r| r.sri_5),
                of(&|r| r.sri_6),
                of(&|r| r.sri_7),
                of(&|r| r.sri_8),
            ],
            lldas_bicla: of(&|r| r.lldas_bicla),
            lldas_sri_4: of(&|r| r.lldas_sri_4),
            doris_2017: [
                of(&|r| Some(r.doris_2017_clinical_on_treatment)),
                of(&|r| Some(r.doris_2017_complete_on_treatment)),
                of(&|r| Some(r.doris_2017_clinical_off_treatment)),
                of(&|r| Some(r.doris_2017_complete_off_treatment)),
            ],
        }
    }
}

/// The cohort summary.
///
/// ```
/// use sledai::timeline::{Cohort, SummaryOptions};
/// let s = Cohort::default().summarize(&SummaryOptions::default()).summary;
/// assert_eq!(s.lldas_at_least_half.denominator, 0);
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct CohortSummary {
    /// Number of patients.
    pub n: usize,
    /// One per requested window, in the order requested.
    pub endpoints: Vec<CohortEndpoint>,
    /// Patients in LLDAS for at least 50% of observed follow-up time
    /// (Franklyn 2016 landmark), per [`TimeInState::at_least_half`].
    pub lldas_at_least_half: Proportion,
}

impl CohortSummary {
    fn from_patients(patients: &[PatientSummary], options: &SummaryOptions) -> CohortSummary {
        let n = patients.len();
        let endpoints = options
            .windows
            .iter()
            .enumerate()
            .map(|(w, &window)| {
                let visits: Vec<(&EndpointVisit, Option<&SriResult>)> = patients
                    .iter()
                    .filter_map(|p| {
                        let e = &p.endpoints[w];
                        Some((e.endpoint.visit()?, e.sri4.as_ref()))
                    })
                    .collect();
                let mut changes: Vec<f64> = visits
                    .iter()
                    .filter_map(|(e, _)| e.visit.change.absolute().map(f64::from))
                    .collect();
                changes.sort_by(f64::total_cmp);
                CohortEndpoint {
                    window,
                    n_with_visit: visits.len(),
                    change: ChangeStats {
                        n: changes.len(),
                        n_inexact: visits.len() - changes.len(),
                        median: quantile7(&changes, 0.5),
                        q1: quantile7(&changes, 0.25),
                        q3: quantile7(&changes, 0.75),
                    },
                    lldas: Proportion::from_states(visits.iter().map(|(e, _)| e.visit.lldas), n),
                    doris: Proportion::from_states(visits.iter().map(|(e, _)| e.visit.doris), n),
                    sri4: Proportion::from_states(
                        visits
                            .iter()
                            .map(|(_, s)| s.map_or(TriState::Indeterminate, |s| s.state)),
                        n,
                    ),
                    responses: ResponseProportions::from_patients(patients, w, n),
                }
            })
            .collect();
        CohortSummary {
            n,
            endpoints,
            lldas_at_least_half: Proportion::from_states(
                patients.iter().map(|p| p.lldas.time.at_least_half),
                n,
            ),
        }
    }
}
