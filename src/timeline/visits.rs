//! One dated visit of a patient timeline ([`Visit`]): its record and the
//! states the timeline evaluates from it.

use super::*;
use crate::assessment::Assessment;
use crate::bilag::BilagGrades;
use crate::date::Date;
use crate::error::Error;
use crate::glucocorticoid::PrednisoneEquivalent;
use crate::pga::Pga;
use crate::remission_2017::{Doris2017Variant, Treatment};
use crate::state::TriState;
use crate::target::TargetInputs;

pub(super) fn indeterminate() -> TriState {
    TriState::Indeterminate
}

#[allow(clippy::trivially_copy_pass_by_ref)]
pub(super) fn is_false(b: &bool) -> bool {
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
    pub(super) date: Date,
    pub(super) assessment: Assessment,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) pga: Option<Pga>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) prednisone_equivalent: Option<PrednisoneEquivalent>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) hemolytic_anemia: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) gastrointestinal_activity: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) maintenance_well_tolerated: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) investigational_drug: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) new_activity: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) on_immunosuppressant: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) on_biologic: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) on_antimalarial: Option<bool>,
    /// Evaluated by the timeline.
    #[serde(skip, default = "indeterminate")]
    pub(super) lldas: TriState,
    /// Evaluated by the timeline.
    #[serde(skip, default = "indeterminate")]
    pub(super) doris: TriState,
    #[serde(default, skip_serializing_if = "is_false")]
    pub(super) baseline: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) new_bilag_a: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) new_bilag_b: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) bilag: Option<BilagGrades>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) treatment_failure: Option<bool>,
    /// Evaluated by the timeline, in [`Doris2017Variant::ALL`] order.
    #[serde(skip, default = "indeterminate_4")]
    pub(super) doris_2017: [TriState; 4],
}

/// Four indeterminate states (serde default).
pub(super) fn indeterminate_4() -> [TriState; 4] {
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
    pub(super) fn evaluate(
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
