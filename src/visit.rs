//! One visit record in, one visit result out: the contract shared by the
//! command-line tool, the Python package and the library's timelines.
//!
//! This module owns [`VisitInput`] (the one visit record of
//! `docs/formats.md`, the same field names in JSON, CSV and Python, read by
//! [`PatientStream`], [`crate::timeline::Timeline`] and
//! [`crate::timeline::Cohort`] alike), [`VisitResult`] (the one per-visit
//! result: what `sledai score` prints for a visit, and a timeline's visit)
//! and [`PatientStream`], which assesses visits one by one while
//! remembering, per patient, the previous visit (LLDAS criterion 2,
//! Franklyn 2016) and the baseline (change from baseline). The stream and
//! the timelines evaluate a visit through one function, so every surface
//! gives the same numbers by construction.
//!
//! # Visit record
//!
//! ```json
//! {"id": "v2", "patient": "P01", "date": "2024-10-01",
//!  "present": ["arthritis", "low_complement"],
//!  "pga": 0.8, "prednisone_mg_per_day": 5,
//!  "hemolytic_anemia": false, "gastrointestinal_activity": false,
//!  "maintenance_tolerated": true, "investigational_drug": false}
//! ```
//!
//! Exactly one of `present` (a complete assessment) and `descriptors` (an
//! object of identifier -> `true`/`false`/`null`) is required; everything else
//! is optional and a missing field or `null` means *not recorded*, never
//! normal. `prednisone_mg_per_day` (a prednisone-equivalent dose) and
//! `glucocorticoids` (an array of `{"drug": ..., "mg_per_day": ...}`) are
//! alternatives; giving both is an error. Unknown fields are errors.
//!
//! # Longitudinal rules of [`PatientStream`]
//!
//! - Visits of one patient must arrive in strictly increasing date order
//!   (patients may be interleaved). An earlier or repeated date is an
//!   error naming the patient and both dates.
//! - A visit without `patient` is a patient of its own (with a `date`, its
//!   own baseline). A visit without a `date` cannot be placed in time: it is scored and
//!   evaluated on its own (LLDAS criterion 2 then needs `new_activity`) and
//!   is not used as anyone's previous visit or baseline.
//! - Cohorts ([`crate::timeline::Cohort::from_records`]) are not streamed:
//!   all visits of a patient are sorted by date first; the baseline is the
//!   visit marked `"baseline": true` wherever it is, else the first visit
//!   not marked `"baseline": false` (as in the stream); every visit needs
//!   `patient` and `date`.
//! - The baseline is the patient's first dated visit not marked
//!   `"baseline": false`; a visit marked `"baseline": true` must be that
//!   visit (mark screening visits before it `false`). A second baseline is
//!   an error. Visits before the baseline have no change from baseline.

use std::collections::HashMap;
use std::fmt;

use crate::assessment::Assessment;
use crate::bilag::{
    BiclaInput, BiclaOptions, BiclaResult, BilagGrade, BilagGradeE, BilagGrades, BilagNumeric,
    BilagOptions, BilagSystem, Flare, NewCounts,
};
use crate::change::{IncompletePolicy, Measure, ScoreChange, Sri, SriInput, SriOptions, SriResult};
use crate::date::Date;
use crate::descriptor::DescriptorSet;
use crate::error::Error;
use crate::glucocorticoid::{
    ConversionOptions, DrugDose, PrednisoneEquivalent, prednisone_equivalent,
};
use crate::labs::{Conflict, ConflictPolicy, DeriveOptions, Measurements};
use crate::lldas::{self, LldasResult};
use crate::pga::Pga;
use crate::remission::{self, RemissionOptions, RemissionResult};
use crate::remission_2017::{
    self, Doris2017Variant, Remission2017Options, Remission2017Result, Treatment,
};
use crate::score::ScoreRange;
use crate::state::TriState;
use crate::target::{CriterionResult, States, TargetInputs, WithoutCriterion};

/// The glucocorticoid dose of a visit: one prednisone-equivalent dose, or a
/// regimen of one or more drugs converted with the factors of
/// `docs/reference.md` section 5.
///
/// ```
/// use sledai::glucocorticoid::{DailyDose, DrugDose, Glucocorticoid, PrednisoneEquivalent};
/// use sledai::visit::GlucocorticoidInput;
///
/// let regimen = GlucocorticoidInput::Regimen(vec![DrugDose::new(
///     Glucocorticoid::Methylprednisolone,
///     DailyDose::from_mg(4.0)?,
/// )]);
/// let pe = regimen.prednisone_equivalent(Default::default())?;
/// assert_eq!(pe, PrednisoneEquivalent::from_mg(5.0)?);
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum GlucocorticoidInput {
    /// `prednisone_mg_per_day`: a dose already in prednisone equivalents.
    PrednisoneEquivalent(PrednisoneEquivalent),
    /// `glucocorticoids`: drugs and their daily doses (empty = none).
    Regimen(Vec<DrugDose>),
}

impl GlucocorticoidInput {
    /// The total prednisone-equivalent dose in mg/day.
    ///
    /// # Errors
    ///
    /// [`Error::OutOfRange`] when a regimen totals more than the largest
    /// accepted dose (see [`crate::glucocorticoid`]).
    ///
    /// ```
    /// use sledai::glucocorticoid::PrednisoneEquivalent;
    /// use sledai::visit::GlucocorticoidInput;
    /// let none = GlucocorticoidInput::Regimen(vec![]);
    /// assert_eq!(none.prednisone_equivalent(Default::default())?, PrednisoneEquivalent::ZERO);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn prednisone_equivalent(
        &self,
        options: ConversionOptions,
    ) -> Result<PrednisoneEquivalent, Error> {
        match self {
            GlucocorticoidInput::PrednisoneEquivalent(p) => Ok(*p),
            GlucocorticoidInput::Regimen(doses) => prednisone_equivalent(doses, options),
        }
    }
}

/// One visit record: identifiers, the SLEDAI-2K assessment and the other
/// inputs of LLDAS and DORIS remission. See the [module docs](self) for the
/// JSON shape.
///
/// `#[non_exhaustive]`: create it with [`VisitInput::new`] or
/// [`VisitInput::dated`] (or serde) and the `with_*` methods; the public
/// fields can be read and reassigned (as [`TargetInputs`]'). One record for
/// every surface: [`PatientStream`], [`crate::timeline::Timeline`],
/// [`crate::timeline::Cohort`], the command-line tool and Python.
///
/// # Example
///
/// ```
/// use sledai::visit::VisitInput;
/// use sledai::{Assessment, Descriptor, Pga};
///
/// let v: VisitInput = serde_json::from_str(
///     r#"{"patient": "P01", "date": "2024-07-01", "present": ["rash"], "pga": 0.5}"#,
/// )?;
/// assert_eq!(v.assessment, Assessment::from_present([Descriptor::Rash]));
/// assert_eq!(v.pga, Some(Pga::new(0.5)?));
///
/// let err = serde_json::from_str::<VisitInput>(r#"{"present": [], "pgaa": 1}"#).unwrap_err();
/// assert!(err.to_string().contains("unknown field `pgaa`"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct VisitInput {
    /// A caller's identifier for the visit, echoed in the result.
    pub id: Option<String>,
    /// The patient; `None` makes the visit a patient of its own.
    pub patient: Option<String>,
    /// The visit date; needed for anything longitudinal.
    pub date: Option<Date>,
    /// The SLEDAI-2K assessment (`present` or `descriptors`).
    pub assessment: Assessment,
    /// Physician global assessment, 0-3.
    pub pga: Option<Pga>,
    /// Glucocorticoid dose.
    pub glucocorticoids: Option<GlucocorticoidInput>,
    /// Haemolytic anaemia (LLDAS criterion 1).
    pub hemolytic_anemia: Option<bool>,
    /// Gastrointestinal lupus activity (LLDAS criterion 1).
    pub gastrointestinal_activity: Option<bool>,
    /// Standard maintenance therapy well tolerated (LLDAS criterion 5).
    pub maintenance_tolerated: Option<bool>,
    /// On an investigational drug (LLDAS criterion 5).
    pub investigational_drug: Option<bool>,
    /// The caller's statement on new lupus activity since the previous
    /// assessment (LLDAS criterion 2).
    pub new_activity: Option<bool>,
    /// Whether this is the patient's baseline visit.
    pub baseline: Option<bool>,
    /// Raw laboratory measurements (see [`crate::labs`] and
    /// `docs/formats.md`). With a visit `date`, the laboratory descriptors are
    /// derived from those inside the scoring window and merged with the
    /// clinician's findings under [`VisitOptions::conflicts`].
    pub measurements: Option<Measurements>,
    /// The patient's study day 0 (for example the CAR-T infusion date);
    /// by default the baseline date. Used by cohorts.
    pub reference_date: Option<Date>,
    /// Number of new BILAG A organ domain scores since baseline (SRI-k).
    pub new_bilag_a: Option<u8>,
    /// Number of new BILAG B organ domain scores since baseline (SRI-k).
    pub new_bilag_b: Option<u8>,
    /// The BILAG-2004 grades of the nine systems (`bilag`; see
    /// [`crate::bilag::BilagGrades`]). A record with both `bilag` and
    /// `new_bilag_a`/`new_bilag_b` is an error.
    pub bilag: Option<BilagGrades>,
    /// Treatment failure at this visit (BICLA rule 5; SRI under
    /// `sri_treatment_failure`).
    pub treatment_failure: Option<bool>,
    /// On a conventional immunosuppressant (DORIS 2017 off treatment).
    pub on_immunosuppressant: Option<bool>,
    /// On a biologic (DORIS 2017 off treatment).
    pub on_biologic: Option<bool>,
    /// On an antimalarial (DORIS 2017 off treatment under
    /// `doris_off_treatment_antimalarial = excluded`).
    pub on_antimalarial: Option<bool>,
}

impl VisitInput {
    /// A visit with this assessment and nothing else recorded.
    ///
    /// ```
    /// use sledai::visit::VisitInput;
    /// use sledai::Assessment;
    /// let v = VisitInput::new(Assessment::from_present([]));
    /// assert_eq!(v.pga, None);
    /// ```
    pub fn new(assessment: Assessment) -> VisitInput {
        VisitInput {
            id: None,
            patient: None,
            date: None,
            assessment,
            pga: None,
            glucocorticoids: None,
            hemolytic_anemia: None,
            gastrointestinal_activity: None,
            maintenance_tolerated: None,
            investigational_drug: None,
            new_activity: None,
            baseline: None,
            measurements: None,
            reference_date: None,
            new_bilag_a: None,
            new_bilag_b: None,
            bilag: None,
            treatment_failure: None,
            on_immunosuppressant: None,
            on_biologic: None,
            on_antimalarial: None,
        }
    }

    /// A record gives its BILAG part one way: grades (`bilag`) or the
    /// counts (`new_bilag_a`/`new_bilag_b`), not both (serde refuses both;
    /// this catches records built in code).
    pub(crate) fn check_bilag_source(&self) -> Result<(), Error> {
        if self.bilag.is_some() && (self.new_bilag_a.is_some() || self.new_bilag_b.is_some()) {
            return Err(Error::InvalidValue {
                field: "bilag",
                value: "grades and counts".to_owned().into(),
                reason: BILAG_BOTH.to_owned().into(),
            });
        }
        Ok(())
    }

    /// A visit on `date` with this assessment and nothing else recorded:
    /// the record a [`crate::timeline::Timeline`] needs at least.
    ///
    /// ```
    /// use sledai::visit::VisitInput;
    /// use sledai::{Assessment, Date};
    /// let v = VisitInput::dated(Date::new(2024, 3, 1)?, Assessment::from_present([]));
    /// assert_eq!(v.date, Some(Date::new(2024, 3, 1)?));
    /// assert_eq!(v.patient, None);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn dated(date: Date, assessment: Assessment) -> VisitInput {
        VisitInput {
            date: Some(date),
            ..VisitInput::new(assessment)
        }
    }

    /// The drug statements of this visit.
    pub(crate) fn treatment(&self) -> Treatment {
        Treatment::new(
            self.on_immunosuppressant,
            self.on_biologic,
            self.on_antimalarial,
        )
    }

    /// The inputs of LLDAS and DORIS for this visit, given the previous
    /// assessment of the same patient (if any).
    ///
    /// # Errors
    ///
    /// As for [`GlucocorticoidInput::prednisone_equivalent`].
    ///
    /// ```
    /// use sledai::visit::VisitInput;
    /// use sledai::Assessment;
    /// let v = VisitInput::new(Assessment::from_present([]));
    /// let t = v.target_inputs(None, Default::default())?;
    /// assert_eq!(t.previous_assessment, None);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn target_inputs(
        &self,
        previous: Option<Assessment>,
        conversion: ConversionOptions,
    ) -> Result<TargetInputs, Error> {
        self.target_inputs_for(self.assessment, previous, conversion)
    }

    pub(crate) fn target_inputs_for(
        &self,
        assessment: Assessment,
        previous: Option<Assessment>,
        conversion: ConversionOptions,
    ) -> Result<TargetInputs, Error> {
        let mut t = TargetInputs::new(assessment);
        t.previous_assessment = previous;
        t.new_activity = self.new_activity;
        t.pga = self.pga;
        t.prednisone_equivalent = self
            .glucocorticoids
            .as_ref()
            .map(|g| g.prednisone_equivalent(conversion))
            .transpose()?;
        t.hemolytic_anemia = self.hemolytic_anemia;
        t.gastrointestinal_activity = self.gastrointestinal_activity;
        t.maintenance_tolerated = self.maintenance_tolerated;
        t.investigational_drug = self.investigational_drug;
        Ok(t)
    }
}

impl VisitInput {
    /// With the caller's identifier for the visit recorded.
    ///
    /// ```
    /// use sledai::visit::VisitInput;
    /// use sledai::Assessment;
    /// let v = VisitInput::new(Assessment::from_present([])).with_id("v1");
    /// assert_eq!(v.id.as_deref(), Some("v1"));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub fn with_id(mut self, id: impl Into<String>) -> VisitInput {
        self.id = Some(id.into());
        self
    }

    /// With the patient recorded.
    ///
    /// ```
    /// use sledai::visit::VisitInput;
    /// use sledai::Assessment;
    /// let v = VisitInput::new(Assessment::from_present([])).with_patient("P01");
    /// assert_eq!(v.patient.as_deref(), Some("P01"));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub fn with_patient(mut self, patient: impl Into<String>) -> VisitInput {
        self.patient = Some(patient.into());
        self
    }

    /// With the visit date recorded.
    ///
    /// ```
    /// use sledai::visit::VisitInput;
    /// use sledai::Assessment;
    /// let v = VisitInput::new(Assessment::from_present([])).with_date(sledai::Date::new(2024, 3, 1)?);
    /// assert_eq!(v.date, Some(sledai::Date::new(2024, 3, 1)?));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub fn with_date(mut self, date: Date) -> VisitInput {
        self.date = Some(date);
        self
    }

    /// With the physician global assessment recorded.
    ///
    /// ```
    /// use sledai::visit::VisitInput;
    /// use sledai::Assessment;
    /// let v = VisitInput::new(Assessment::from_present([])).with_pga(sledai::Pga::new(0.5)?);
    /// assert_eq!(v.pga, Some(sledai::Pga::new(0.5)?));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub fn with_pga(mut self, pga: Pga) -> VisitInput {
        self.pga = Some(pga);
        self
    }

    /// With the glucocorticoid dose as one prednisone-equivalent dose (`prednisone_mg_per_day`) recorded.
    ///
    /// ```
    /// use sledai::visit::VisitInput;
    /// use sledai::Assessment;
    /// let v = VisitInput::new(Assessment::from_present([])).with_prednisone_equivalent(sledai::glucocorticoid::PrednisoneEquivalent::from_mg(5.0)?);
    /// assert_eq!(v.glucocorticoids.is_some(), true);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub fn with_prednisone_equivalent(
        mut self,
        prednisone_equivalent: PrednisoneEquivalent,
    ) -> VisitInput {
        self.glucocorticoids = Some(GlucocorticoidInput::PrednisoneEquivalent(
            prednisone_equivalent,
        ));
        self
    }

    /// With the glucocorticoid dose, a dose or a regimen recorded.
    ///
    /// ```
    /// use sledai::visit::VisitInput;
    /// use sledai::Assessment;
    /// let v = VisitInput::new(Assessment::from_present([])).with_glucocorticoids(sledai::visit::GlucocorticoidInput::Regimen(vec![]));
    /// assert_eq!(v.glucocorticoids, Some(sledai::visit::GlucocorticoidInput::Regimen(vec![])));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub fn with_glucocorticoids(mut self, glucocorticoids: GlucocorticoidInput) -> VisitInput {
        self.glucocorticoids = Some(glucocorticoids);
        self
    }

    /// With haemolytic anaemia (LLDAS criterion 1) recorded.
    ///
    /// ```
    /// use sledai::visit::VisitInput;
    /// use sledai::Assessment;
    /// let v = VisitInput::new(Assessment::from_present([])).with_hemolytic_anemia(false);
    /// assert_eq!(v.hemolytic_anemia, Some(false));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub fn with_hemolytic_anemia(mut self, hemolytic_anemia: bool) -> VisitInput {
        self.hemolytic_anemia = Some(hemolytic_anemia);
        self
    }

    /// With gastrointestinal lupus activity (LLDAS criterion 1) recorded.
    ///
    /// ```
    /// use sledai::visit::VisitInput;
    /// use sledai::Assessment;
    /// let v = VisitInput::new(Assessment::from_present([])).with_gastrointestinal_activity(false);
    /// assert_eq!(v.gastrointestinal_activity, Some(false));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub fn with_gastrointestinal_activity(mut self, gastrointestinal_activity: bool) -> VisitInput {
        self.gastrointestinal_activity = Some(gastrointestinal_activity);
        self
    }

    /// With standard maintenance therapy well tolerated (LLDAS criterion 5) recorded.
    ///
    /// ```
    /// use sledai::visit::VisitInput;
    /// use sledai::Assessment;
    /// let v = VisitInput::new(Assessment::from_present([])).with_maintenance_tolerated(true);
    /// assert_eq!(v.maintenance_tolerated, Some(true));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub fn with_maintenance_tolerated(mut self, maintenance_tolerated: bool) -> VisitInput {
        self.maintenance_tolerated = Some(maintenance_tolerated);
        self
    }

    /// With an investigational drug (LLDAS criterion 5) recorded.
    ///
    /// ```
    /// use sledai::visit::VisitInput;
    /// use sledai::Assessment;
    /// let v = VisitInput::new(Assessment::from_present([])).with_investigational_drug(false);
    /// assert_eq!(v.investigational_drug, Some(false));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub fn with_investigational_drug(mut self, investigational_drug: bool) -> VisitInput {
        self.investigational_drug = Some(investigational_drug);
        self
    }

    /// With the statement on new lupus activity since the previous assessment (LLDAS criterion 2) recorded.
    ///
    /// ```
    /// use sledai::visit::VisitInput;
    /// use sledai::Assessment;
    /// let v = VisitInput::new(Assessment::from_present([])).with_new_activity(false);
    /// assert_eq!(v.new_activity, Some(false));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub fn with_new_activity(mut self, new_activity: bool) -> VisitInput {
        self.new_activity = Some(new_activity);
        self
    }

    /// With the baseline mark (`true`: the baseline; `false`: a screening visit before it) recorded.
    ///
    /// ```
    /// use sledai::visit::VisitInput;
    /// use sledai::Assessment;
    /// let v = VisitInput::new(Assessment::from_present([])).with_baseline(true);
    /// assert_eq!(v.baseline, Some(true));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub fn with_baseline(mut self, baseline: bool) -> VisitInput {
        self.baseline = Some(baseline);
        self
    }

    /// With the raw laboratory measurements recorded.
    ///
    /// ```
    /// use sledai::visit::VisitInput;
    /// use sledai::Assessment;
    /// let v = VisitInput::new(Assessment::from_present([])).with_measurements(sledai::labs::Measurements::default());
    /// assert_eq!(v.measurements.is_some(), true);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub fn with_measurements(mut self, measurements: Measurements) -> VisitInput {
        self.measurements = Some(measurements);
        self
    }

    /// With the patient's study day 0 recorded.
    ///
    /// ```
    /// use sledai::visit::VisitInput;
    /// use sledai::Assessment;
    /// let v = VisitInput::new(Assessment::from_present([])).with_reference_date(sledai::Date::new(2024, 3, 4)?);
    /// assert_eq!(v.reference_date, Some(sledai::Date::new(2024, 3, 4)?));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub fn with_reference_date(mut self, reference_date: Date) -> VisitInput {
        self.reference_date = Some(reference_date);
        self
    }

    /// With the number of new BILAG A organ domain scores since baseline recorded.
    ///
    /// ```
    /// use sledai::visit::VisitInput;
    /// use sledai::Assessment;
    /// let v = VisitInput::new(Assessment::from_present([])).with_new_bilag_a(0);
    /// assert_eq!(v.new_bilag_a, Some(0));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub fn with_new_bilag_a(mut self, new_bilag_a: u8) -> VisitInput {
        self.new_bilag_a = Some(new_bilag_a);
        self
    }

    /// With the number of new BILAG B organ domain scores since baseline recorded.
    ///
    /// ```
    /// use sledai::visit::VisitInput;
    /// use sledai::Assessment;
    /// let v = VisitInput::new(Assessment::from_present([])).with_new_bilag_b(1);
    /// assert_eq!(v.new_bilag_b, Some(1));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub fn with_new_bilag_b(mut self, new_bilag_b: u8) -> VisitInput {
        self.new_bilag_b = Some(new_bilag_b);
        self
    }

    /// With the BILAG-2004 grades recorded.
    ///
    /// ```
    /// use sledai::visit::VisitInput;
    /// use sledai::Assessment;
    /// let v = VisitInput::new(Assessment::from_present([])).with_bilag(sledai::bilag::BilagGrades::NOT_RECORDED);
    /// assert_eq!(v.bilag, Some(sledai::bilag::BilagGrades::NOT_RECORDED));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub fn with_bilag(mut self, bilag: BilagGrades) -> VisitInput {
        self.bilag = Some(bilag);
        self
    }

    /// With treatment failure at this visit (BICLA; SRI under `sri_treatment_failure`) recorded.
    ///
    /// ```
    /// use sledai::visit::VisitInput;
    /// use sledai::Assessment;
    /// let v = VisitInput::new(Assessment::from_present([])).with_treatment_failure(false);
    /// assert_eq!(v.treatment_failure, Some(false));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub fn with_treatment_failure(mut self, treatment_failure: bool) -> VisitInput {
        self.treatment_failure = Some(treatment_failure);
        self
    }

    /// With a conventional immunosuppressant (DORIS 2017) recorded.
    ///
    /// ```
    /// use sledai::visit::VisitInput;
    /// use sledai::Assessment;
    /// let v = VisitInput::new(Assessment::from_present([])).with_on_immunosuppressant(false);
    /// assert_eq!(v.on_immunosuppressant, Some(false));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub fn with_on_immunosuppressant(mut self, on_immunosuppressant: bool) -> VisitInput {
        self.on_immunosuppressant = Some(on_immunosuppressant);
        self
    }

    /// With a biologic (DORIS 2017) recorded.
    ///
    /// ```
    /// use sledai::visit::VisitInput;
    /// use sledai::Assessment;
    /// let v = VisitInput::new(Assessment::from_present([])).with_on_biologic(false);
    /// assert_eq!(v.on_biologic, Some(false));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub fn with_on_biologic(mut self, on_biologic: bool) -> VisitInput {
        self.on_biologic = Some(on_biologic);
        self
    }

    /// With an antimalarial (DORIS 2017) recorded.
    ///
    /// ```
    /// use sledai::visit::VisitInput;
    /// use sledai::Assessment;
    /// let v = VisitInput::new(Assessment::from_present([])).with_on_antimalarial(true);
    /// assert_eq!(v.on_antimalarial, Some(true));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub fn with_on_antimalarial(mut self, on_antimalarial: bool) -> VisitInput {
        self.on_antimalarial = Some(on_antimalarial);
        self
    }
}

impl VisitInput {
    /// The assessment to score: the clinician's findings merged with the
    /// laboratory descriptors derived from `measurements` (when given), and
    /// the conflicts the policy resolved.
    ///
    /// # Errors
    ///
    /// - [`Error::InvalidValue`] (field `date`) when measurements are given
    ///   without a visit date: the scoring window needs it.
    /// - [`Error::FindingConflict`] under [`ConflictPolicy::Error`] (the
    ///   default) when the clinician and the laboratory disagree.
    ///
    /// ```
    /// use sledai::visit::{VisitInput, VisitOptions};
    /// use sledai::{Descriptor, Finding};
    ///
    /// let v: VisitInput = serde_json::from_str(r#"{
    ///     "date": "2024-07-01", "descriptors": {"rash": true},
    ///     "measurements": [{"date": "2024-06-28", "platelets": {"value": 87000, "unit": "/mm3"}}]}"#)?;
    /// let (a, conflicts) = v.merged_assessment(&VisitOptions::default())?;
    /// assert_eq!(a.get(Descriptor::Thrombocytopenia), Finding::Present);
    /// assert_eq!(a.get(Descriptor::Leukopenia), Finding::NotAssessed); // no white cell count
    /// assert!(conflicts.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn merged_assessment(
        &self,
        options: &VisitOptions,
    ) -> Result<(Assessment, Vec<Conflict>), Error> {
        let Some(ms) = &self.measurements else {
            return Ok((self.assessment, Vec::new()));
        };
        let Some(date) = self.date else {
            return Err(Error::InvalidValue {
                field: "date",
                value: "null".to_owned().into(),
                reason: "measurements need the visit `date` to place the scoring window"
                    .to_owned()
                    .into(),
            });
        };
        let merged = crate::labs::derive(ms.as_slice(), date, options.labs)
            .merge(self.assessment, options.conflicts)?;
        Ok((merged.assessment(), merged.conflicts().to_vec()))
    }
}

/// Options for assessing visits. Start from `Default::default()` and use
/// the `with_*` methods; read them back with the getters of the same
/// names. Serde: `{"conversion": {...}, "remission": {...}, "labs": {...},
/// "conflicts": "error", "bilag": {...}, "bicla": {...}, "sri": {...},
/// "remission_2017": {...}}`, every field optional.
///
/// ```
/// use sledai::remission::{RemissionOptions, RemissionPga};
/// use sledai::visit::VisitOptions;
/// let o = VisitOptions::default()
///     .with_remission(RemissionOptions::default().with_pga(RemissionPga::ReviewAtMostHalf));
/// assert_eq!(o.remission().pga(), RemissionPga::ReviewAtMostHalf);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct VisitOptions {
    /// Glucocorticoid conversion (betamethasone factor).
    pub(crate) conversion: ConversionOptions,
    /// DORIS readings (PGA and dose cut-offs).
    pub(crate) remission: RemissionOptions,
    /// Laboratory derivation (window, selection, UPCR substitute).
    pub(crate) labs: DeriveOptions,
    /// What to do when the clinician and the laboratory disagree.
    pub(crate) conflicts: ConflictPolicy,
    /// The grade-comparison policies (`bilag_new_b`, `bilag_grade_e`),
    /// used by new A / new B, the flare, BICLA and SRI (they override the
    /// `bilag` fields of [`VisitOptions::bicla`] and [`VisitOptions::sri`]).
    pub(crate) bilag: BilagOptions,
    /// The BICLA policies (`bicla_sledai`, `bicla_pga`,
    /// `bicla_baseline_activity`).
    pub(crate) bicla: BiclaOptions,
    /// The SRI-k policies (`sri_treatment_failure`).
    pub(crate) sri: SriOptions,
    /// The DORIS 2017 policies.
    pub(crate) remission_2017: Remission2017Options,
}

impl VisitOptions {
    /// Glucocorticoid conversion (betamethasone factor).
    ///
    /// ```
    /// use sledai::glucocorticoid::ConversionOptions;
    /// use sledai::visit::VisitOptions;
    /// assert_eq!(VisitOptions::default().conversion(), ConversionOptions::default());
    /// ```
    #[must_use]
    pub const fn conversion(&self) -> ConversionOptions {
        self.conversion
    }

    /// The DORIS readings (PGA and dose cut-offs).
    ///
    /// ```
    /// use sledai::remission::RemissionOptions;
    /// use sledai::visit::VisitOptions;
    /// assert_eq!(VisitOptions::default().remission(), RemissionOptions::default());
    /// ```
    #[must_use]
    pub const fn remission(&self) -> RemissionOptions {
        self.remission
    }

    /// Laboratory derivation (window, selection, UPCR substitute).
    ///
    /// ```
    /// use sledai::labs::DeriveOptions;
    /// use sledai::visit::VisitOptions;
    /// assert_eq!(VisitOptions::default().labs(), DeriveOptions::default());
    /// ```
    #[must_use]
    pub const fn labs(&self) -> DeriveOptions {
        self.labs
    }

    /// What to do when the clinician and the laboratory disagree.
    ///
    /// ```
    /// use sledai::labs::ConflictPolicy;
    /// use sledai::visit::VisitOptions;
    /// assert_eq!(VisitOptions::default().conflicts(), ConflictPolicy::Error);
    /// ```
    #[must_use]
    pub const fn conflicts(&self) -> ConflictPolicy {
        self.conflicts
    }

    /// The grade-comparison policies (`bilag_new_b`, `bilag_grade_e`); they
    /// override the `bilag` policies of [`VisitOptions::bicla`] and
    /// [`VisitOptions::sri`].
    ///
    /// ```
    /// use sledai::bilag::BilagOptions;
    /// use sledai::visit::VisitOptions;
    /// assert_eq!(VisitOptions::default().bilag(), BilagOptions::default());
    /// ```
    #[must_use]
    pub const fn bilag(&self) -> BilagOptions {
        self.bilag
    }

    /// The BICLA policies (`bicla_sledai`, `bicla_pga`,
    /// `bicla_baseline_activity`).
    ///
    /// ```
    /// use sledai::bilag::BiclaOptions;
    /// use sledai::visit::VisitOptions;
    /// assert_eq!(VisitOptions::default().bicla(), BiclaOptions::default());
    /// ```
    #[must_use]
    pub const fn bicla(&self) -> BiclaOptions {
        self.bicla
    }

    /// The SRI-k policies (`sri_treatment_failure`).
    ///
    /// ```
    /// use sledai::change::SriOptions;
    /// use sledai::visit::VisitOptions;
    /// assert_eq!(VisitOptions::default().sri(), SriOptions::default());
    /// ```
    #[must_use]
    pub const fn sri(&self) -> SriOptions {
        self.sri
    }

    /// The DORIS 2017 policies.
    ///
    /// ```
    /// use sledai::remission_2017::Remission2017Options;
    /// use sledai::visit::VisitOptions;
    /// assert_eq!(VisitOptions::default().remission_2017(), Remission2017Options::default());
    /// ```
    #[must_use]
    pub const fn remission_2017(&self) -> Remission2017Options {
        self.remission_2017
    }

    /// With these conversion options.
    ///
    /// ```
    /// use sledai::glucocorticoid::{BetamethasoneEquivalence, ConversionOptions};
    /// use sledai::visit::VisitOptions;
    /// let c = ConversionOptions::default().with_betamethasone(BetamethasoneEquivalence::SixTenthsMg);
    /// assert_eq!(VisitOptions::default().with_conversion(c).conversion(), c);
    /// ```
    #[must_use]
    pub const fn with_conversion(mut self, conversion: ConversionOptions) -> VisitOptions {
        self.conversion = conversion;
        self
    }

    /// With these laboratory derivation options.
    ///
    /// ```
    /// use sledai::labs::{DeriveOptions, ScoringWindow};
    /// use sledai::visit::VisitOptions;
    /// let o = VisitOptions::default().with_labs(DeriveOptions::new().with_window(ScoringWindow::ThirtyDays));
    /// assert_eq!(o.labs().window(), ScoringWindow::ThirtyDays);
    /// ```
    #[must_use]
    pub const fn with_labs(mut self, labs: DeriveOptions) -> VisitOptions {
        self.labs = labs;
        self
    }

    /// With this conflict policy.
    ///
    /// ```
    /// use sledai::labs::ConflictPolicy;
    /// use sledai::visit::VisitOptions;
    /// let o = VisitOptions::default().with_conflicts(ConflictPolicy::KeepClinician);
    /// assert_eq!(o.conflicts(), ConflictPolicy::KeepClinician);
    /// ```
    #[must_use]
    pub const fn with_conflicts(mut self, conflicts: ConflictPolicy) -> VisitOptions {
        self.conflicts = conflicts;
        self
    }

    /// With these DORIS options.
    ///
    /// ```
    /// use sledai::remission::RemissionOptions;
    /// use sledai::visit::VisitOptions;
    /// let o = VisitOptions::default().with_remission(RemissionOptions::default());
    /// assert_eq!(o, VisitOptions::default());
    /// ```
    #[must_use]
    pub const fn with_remission(mut self, remission: RemissionOptions) -> VisitOptions {
        self.remission = remission;
        self
    }

    /// With these grade-comparison policies.
    ///
    /// ```
    /// use sledai::bilag::{BilagNewB, BilagOptions};
    /// use sledai::visit::VisitOptions;
    /// let o = VisitOptions::default().with_bilag(BilagOptions::default().with_new_b(BilagNewB::FromDE));
    /// assert_eq!(o.bilag().new_b(), BilagNewB::FromDE);
    /// ```
    #[must_use]
    pub const fn with_bilag(mut self, bilag: BilagOptions) -> VisitOptions {
        self.bilag = bilag;
        self
    }

    /// With these BICLA policies.
    ///
    /// ```
    /// use sledai::bilag::{BiclaOptions, BiclaPga};
    /// use sledai::visit::VisitOptions;
    /// let o = VisitOptions::default().with_bicla(BiclaOptions::default().with_pga(BiclaPga::SriLike));
    /// assert_eq!(o.bicla().pga(), BiclaPga::SriLike);
    /// ```
    #[must_use]
    pub const fn with_bicla(mut self, bicla: BiclaOptions) -> VisitOptions {
        self.bicla = bicla;
        self
    }

    /// With these SRI-k policies.
    ///
    /// ```
    /// use sledai::change::{SriOptions, SriTreatmentFailure};
    /// use sledai::visit::VisitOptions;
    /// let o = VisitOptions::default().with_sri(SriOptions::default().with_treatment_failure(SriTreatmentFailure::Required));
    /// assert_eq!(o.sri().treatment_failure(), SriTreatmentFailure::Required);
    /// ```
    #[must_use]
    pub const fn with_sri(mut self, sri: SriOptions) -> VisitOptions {
        self.sri = sri;
        self
    }

    /// With these DORIS 2017 policies.
    ///
    /// ```
    /// use sledai::remission_2017::{DorisOffTreatmentAntimalarial, Remission2017Options};
    /// use sledai::visit::VisitOptions;
    /// let r = Remission2017Options::default().with_antimalarial(DorisOffTreatmentAntimalarial::Excluded);
    /// assert_eq!(VisitOptions::default().with_remission_2017(r).remission_2017(), r);
    /// ```
    #[must_use]
    pub const fn with_remission_2017(mut self, options: Remission2017Options) -> VisitOptions {
        self.remission_2017 = options;
        self
    }
}

/// Everything reported for one visit: what `sledai score` prints for a
/// visit, and the visit of a timeline's row, baseline and endpoints. The
/// one per-visit result of every surface; read it with the getters.
/// Serializes with the stable field names of `docs/cli.md`.
///
/// The explained results of LLDAS, DORIS 2021, BICLA, SRI-k and DORIS 2017
/// are computed when asked ([`lldas`](Self::lldas), [`doris`](Self::doris),
/// [`bicla`](Self::bicla), [`sri`](Self::sri),
/// [`doris_2017`](Self::doris_2017)) from the inputs the result keeps,
/// by the same rules as [`crate::lldas::evaluate`],
/// [`crate::remission::evaluate`], [`crate::bilag::evaluate_bicla`],
/// [`crate::change::evaluate_sri`] and [`crate::remission_2017::evaluate`]:
/// everything that can fail was checked when the visit was assessed, so
/// the getters cannot. The LLDAS and DORIS criterion states are decided
/// once, when the visit is assessed, by the same rules without building
/// the criteria. A caller reading only some states (the CSV output) pays
/// only for those. Two results are equal when their identifiers, totals,
/// LLDAS/DORIS states and the inputs (and options) of the deferred rules
/// are equal.
///
/// # Example
///
/// ```
/// use sledai::visit::{PatientStream, VisitInput};
/// use sledai::TriState;
///
/// let v: VisitInput = serde_json::from_str(r#"{"present": ["arthritis", "low_complement"]}"#)?;
/// let r = PatientStream::default().assess(&v)?;
/// assert_eq!(r.sledai_2k().exact().map(|s| s.get()), Some(6));
/// assert_eq!(r.clinical_sledai_2k().exact().map(|s| s.get()), Some(4));
/// assert_eq!(r.lldas().state(), TriState::NotMet); // SLEDAI-2K 6 > 4
///
/// let v: VisitInput = serde_json::from_str(r#"{"present": ["arthritis"]}"#)?;
/// let r = PatientStream::default().assess(&v)?;
/// assert_eq!(r.lldas().state(), TriState::Indeterminate); // no PGA, dose, ...
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq)]
pub struct VisitResult {
    id: Option<Ident>,
    patient: Option<Ident>,
    date: Option<Date>,
    study_day: Option<i32>,
    sledai_2k: ScoreRange,
    clinical_sledai_2k: ScoreRange,
    missing: DescriptorSet,
    prednisone_equivalent_mg_per_day: Option<PrednisoneEquivalent>,
    /// The LLDAS and DORIS 2021 criterion states and states (their
    /// explained results are computed on demand from `deferred.inputs`).
    lldas: States<5>,
    doris: States<3>,
    lab_conflicts: Vec<Conflict>,
    baseline_date: Option<Date>,
    change_from_baseline: Option<ScoreChange>,
    bilag_numeric: Option<BilagNumeric>,
    bilag_new: Option<NewCounts>,
    bilag_flare: Option<Flare>,
    deferred: Deferred,
}

/// The bytes an [`Ident`] holds in place.
const IDENT_INLINE: usize = 22;

/// A result's `id` or `patient`: up to [`IDENT_INLINE`] bytes held in
/// place (no allocation and no free per visit, the common case), a longer
/// one on the heap. The same text either way: only the length decides.
#[derive(Clone)]
enum Ident {
    Inline { len: u8, bytes: [u8; IDENT_INLINE] },
    Heap(Box<str>),
}

impl Ident {
    fn new(text: &str) -> Ident {
        match u8::try_from(text.len()) {
            Ok(len) if usize::from(len) <= IDENT_INLINE => {
                let mut bytes = [0; IDENT_INLINE];
                bytes[..text.len()].copy_from_slice(text.as_bytes());
                Ident::Inline { len, bytes }
            }
            _ => Ident::Heap(text.into()),
        }
    }

    fn as_str(&self) -> &str {
        match self {
            // The bytes are a whole `str` copied by `new`: always UTF-8.
            Ident::Inline { len, bytes } => {
                std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or_default()
            }
            Ident::Heap(text) => text,
        }
    }

    /// The bytes of [`as_str`](Self::as_str), without checking them again:
    /// UTF-8, a whole `str` copied by `new`.
    fn as_bytes(&self) -> &[u8] {
        match self {
            Ident::Inline { len, bytes } => &bytes[..usize::from(*len)],
            Ident::Heap(text) => text.as_bytes(),
        }
    }
}

impl PartialEq for Ident {
    fn eq(&self, other: &Ident) -> bool {
        self.as_str() == other.as_str()
    }
}

/// The inputs and options of the rules a [`VisitResult`] computes on
/// demand (LLDAS and DORIS 2021 explained, BICLA, SRI-4..8, DORIS 2017),
/// already checked: a few small
/// `Copy` values instead of the results (about 1.8 KB per visit), most of
/// which a caller never reads.
#[derive(Debug, Clone, PartialEq)]
struct Deferred {
    /// The LLDAS/DORIS inputs of the visit (DORIS 2017 reads its
    /// assessment, PGA and dose).
    inputs: TargetInputs,
    remission: RemissionOptions,
    treatment: Treatment,
    /// The visit's grades (`NOT_RECORDED` when not recorded).
    grades: BilagGrades,
    remission_2017: Remission2017Options,
    /// After the baseline: the BICLA and SRI-k inputs against it.
    response: Option<Response>,
}

/// The BICLA and SRI-k inputs and options of a visit after the baseline.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Response {
    bicla: BiclaInput,
    bicla_options: BiclaOptions,
    sri: SriInput,
    sri_options: SriOptions,
    /// The state of SRI-k's components that do not depend on k, decided
    /// once for the five SRI columns of a flat output (whether a table
    /// reads them in one group or a CSV writer one column at a time).
    sri_common: TriState,
}

impl fmt::Debug for VisitResult {
    /// The fields, with BICLA, SRI-4..8 and DORIS 2017 computed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VisitResult")
            .field("id", &self.id())
            .field("patient", &self.patient())
            .field("date", &self.date)
            .field("study_day", &self.study_day)
            .field("sledai_2k", &self.sledai_2k)
            .field("clinical_sledai_2k", &self.clinical_sledai_2k)
            .field("missing", &self.missing)
            .field(
                "prednisone_equivalent_mg_per_day",
                &self.prednisone_equivalent_mg_per_day,
            )
            .field("lldas", &self.lldas())
            .field("doris", &self.doris())
            .field("lab_conflicts", &self.lab_conflicts)
            .field("baseline_date", &self.baseline_date)
            .field("change_from_baseline", &self.change_from_baseline)
            .field("bilag_numeric", &self.bilag_numeric)
            .field("bilag_new", &self.bilag_new)
            .field("bilag_flare", &self.bilag_flare)
            .field("bicla", &self.bicla())
            .field("sri", &self.sri_4_to_8())
            .field(
                "doris_2017",
                &Doris2017Variant::ALL.map(|v| self.doris_2017(v)),
            )
            .finish()
    }
}

impl VisitResult {
    /// Echo of the record's `id`.
    ///
    /// ```
    /// use sledai::visit::{PatientStream, VisitInput};
    /// let v: VisitInput = serde_json::from_str(r#"{"id": "v1", "present": []}"#)?;
    /// assert_eq!(PatientStream::default().assess(&v)?.id(), Some("v1"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn id(&self) -> Option<&str> {
        self.id.as_ref().map(Ident::as_str)
    }

    /// The UTF-8 bytes of [`id`](Self::id), not checked again (the typed
    /// table's text column).
    pub(crate) fn id_bytes(&self) -> Option<&[u8]> {
        self.id.as_ref().map(Ident::as_bytes)
    }

    /// The UTF-8 bytes of [`patient`](Self::patient), not checked again.
    pub(crate) fn patient_bytes(&self) -> Option<&[u8]> {
        self.patient.as_ref().map(Ident::as_bytes)
    }

    /// Echo of the record's `patient`.
    ///
    /// ```
    /// use sledai::visit::{PatientStream, VisitInput};
    /// let v: VisitInput = serde_json::from_str(r#"{"patient": "P1", "present": []}"#)?;
    /// assert_eq!(PatientStream::default().assess(&v)?.patient(), Some("P1"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn patient(&self) -> Option<&str> {
        self.patient.as_ref().map(Ident::as_str)
    }

    /// Echo of the record's `date`.
    ///
    /// ```
    /// use sledai::visit::{PatientStream, VisitInput};
    /// let v: VisitInput = serde_json::from_str(r#"{"date": "2024-03-01", "present": []}"#)?;
    /// assert_eq!(PatientStream::default().assess(&v)?.date().map(|d| d.to_string()).as_deref(), Some("2024-03-01"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn date(&self) -> Option<Date> {
        self.date
    }

    /// Days from the patient's reference date (day 0) in a timeline
    /// (JSON `study_day`); `None` from [`PatientStream`], which has no
    /// reference date (JSON: omitted).
    ///
    /// ```
    /// use sledai::visit::{PatientStream, VisitInput};
    /// let v: VisitInput = serde_json::from_str(r#"{"date": "2024-03-01", "present": []}"#)?;
    /// assert_eq!(PatientStream::default().assess(&v)?.study_day(), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn study_day(&self) -> Option<i32> {
        self.study_day
    }

    /// The SLEDAI-2K total: exact for a complete assessment, else the range
    /// of totals its completions can take (JSON `sledai_2k`, or `null` and
    /// `sledai_2k_min`, `sledai_2k_max`).
    ///
    /// ```
    /// use sledai::visit::{PatientStream, VisitInput};
    /// let v: VisitInput = serde_json::from_str(r#"{"descriptors": {"rash": true}}"#)?;
    /// let total = PatientStream::default().assess(&v)?.sledai_2k();
    /// assert_eq!((total.exact(), total.min().get(), total.max().get()), (None, 2, 105));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn sledai_2k(&self) -> ScoreRange {
        self.sledai_2k
    }

    /// The clinical SLEDAI total (without serology), exact or a range
    /// (JSON `clinical_sledai_2k`, or `null` and `clinical_sledai_2k_min`,
    /// `clinical_sledai_2k_max`).
    ///
    /// ```
    /// use sledai::visit::{PatientStream, VisitInput};
    /// let v: VisitInput = serde_json::from_str(r#"{"present": ["low_complement"]}"#)?;
    /// assert_eq!(PatientStream::default().assess(&v)?.clinical_sledai_2k().exact().map(|s| s.get()), Some(0));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn clinical_sledai_2k(&self) -> ScoreRange {
        self.clinical_sledai_2k
    }

    /// The descriptors not assessed (empty when complete; JSON `missing`,
    /// omitted when empty).
    ///
    /// ```
    /// use sledai::visit::{PatientStream, VisitInput};
    /// let v: VisitInput = serde_json::from_str(r#"{"present": []}"#)?;
    /// assert!(PatientStream::default().assess(&v)?.missing().is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn missing(&self) -> DescriptorSet {
        self.missing
    }

    /// The prednisone-equivalent dose in mg/day, when recorded.
    ///
    /// ```
    /// use sledai::visit::{PatientStream, VisitInput};
    /// let v: VisitInput = serde_json::from_str(r#"{"present": [], "prednisone_mg_per_day": 5}"#)?;
    /// assert_eq!(PatientStream::default().assess(&v)?.prednisone_equivalent_mg_per_day().map(|p| p.mg()), Some(5.0));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn prednisone_equivalent_mg_per_day(&self) -> Option<PrednisoneEquivalent> {
        self.prednisone_equivalent_mg_per_day
    }

    /// LLDAS (Franklyn 2016) with its five criteria (JSON `lldas` and
    /// `lldas_criteria`, keyed by criterion id). Computed when called
    /// ([`crate::lldas::evaluate`] on the visit's inputs, checked when the
    /// visit was assessed).
    ///
    /// ```
    /// use sledai::visit::{PatientStream, VisitInput};
    /// let v: VisitInput = serde_json::from_str(r#"{"present": []}"#)?;
    /// assert_eq!(PatientStream::default().assess(&v)?.lldas().criteria().len(), 5);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn lldas(&self) -> LldasResult {
        lldas::evaluate_unchecked(&self.deferred.inputs)
    }

    /// DORIS 2021 remission with its three criteria (JSON `doris` and
    /// `doris_criteria`). Computed when called
    /// ([`crate::remission::evaluate`] on the visit's inputs).
    ///
    /// ```
    /// use sledai::visit::{PatientStream, VisitInput};
    /// let v: VisitInput = serde_json::from_str(r#"{"present": [], "pga": 0.2, "prednisone_mg_per_day": 0}"#)?;
    /// assert_eq!(PatientStream::default().assess(&v)?.doris().state(), sledai::TriState::Met);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn doris(&self) -> RemissionResult {
        remission::evaluate_options(&self.deferred.inputs, self.deferred.remission)
    }

    /// The criterion states and state of [`lldas`](Self::lldas), decided
    /// when the visit was assessed by the same rule without building its
    /// criteria (the flat-table output, the timelines).
    pub(crate) fn lldas_states(&self) -> &States<5> {
        &self.lldas
    }

    /// The criterion states and state of [`doris`](Self::doris), as
    /// [`lldas_states`](Self::lldas_states).
    pub(crate) fn doris_states(&self) -> &States<3> {
        &self.doris
    }

    /// Clinician/laboratory disagreements resolved by a `Keep*` conflict
    /// policy (JSON `lab_conflicts`, omitted when none).
    ///
    /// ```
    /// use sledai::visit::{PatientStream, VisitInput};
    /// let v: VisitInput = serde_json::from_str(r#"{"present": []}"#)?;
    /// assert!(PatientStream::default().assess(&v)?.lab_conflicts().is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn lab_conflicts(&self) -> &[Conflict] {
        &self.lab_conflicts
    }

    /// The patient's baseline date, at and after the baseline of a dated
    /// visit (JSON `baseline_date`, omitted otherwise).
    ///
    /// ```
    /// use sledai::visit::{PatientStream, VisitInput};
    /// let v: VisitInput = serde_json::from_str(r#"{"patient": "P1", "date": "2024-03-01", "present": []}"#)?;
    /// assert_eq!(PatientStream::default().assess(&v)?.baseline_date(), v.date);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn baseline_date(&self) -> Option<Date> {
        self.baseline_date
    }

    /// The change in SLEDAI-2K from the baseline (follow-up minus
    /// baseline), at and after the baseline of a dated visit; a range when
    /// either assessment is incomplete. `None` for a record without `date`
    /// and for a visit before the baseline.
    ///
    /// ```
    /// use sledai::visit::{PatientStream, VisitInput};
    /// let undated: VisitInput = serde_json::from_str(r#"{"patient": "P1", "present": []}"#)?;
    /// assert_eq!(PatientStream::default().assess(&undated)?.change_from_baseline(), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn change_from_baseline(&self) -> Option<ScoreChange> {
        self.change_from_baseline
    }

    /// The BILAG-2004 numeric score, when the visit has `bilag` grades
    /// (JSON `bilag_numeric`: the integer, or `null` unless all nine
    /// systems are recorded).
    ///
    /// ```
    /// use sledai::visit::{PatientStream, VisitInput};
    /// let v: VisitInput = serde_json::from_str(r#"{"present": []}"#)?;
    /// assert_eq!(PatientStream::default().assess(&v)?.bilag_numeric(), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn bilag_numeric(&self) -> Option<BilagNumeric> {
        self.bilag_numeric
    }

    /// New A and new B against the baseline, when the baseline or this
    /// visit has grades and the visit is at or after the baseline (JSON
    /// `bilag_new_a`, `bilag_new_b`).
    ///
    /// ```
    /// use sledai::visit::{PatientStream, VisitInput};
    /// let v: VisitInput = serde_json::from_str(r#"{"present": []}"#)?;
    /// assert_eq!(PatientStream::default().assess(&v)?.bilag_new(), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn bilag_new(&self) -> Option<NewCounts> {
        self.bilag_new
    }

    /// The BILAG-2004 flare against the previous dated visit, when either
    /// has grades (JSON `bilag_flare`).
    ///
    /// ```
    /// use sledai::visit::{PatientStream, VisitInput};
    /// let v: VisitInput = serde_json::from_str(r#"{"present": []}"#)?;
    /// assert!(PatientStream::default().assess(&v)?.bilag_flare().is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn bilag_flare(&self) -> Option<&Flare> {
        self.bilag_flare.as_ref()
    }

    /// BICLA against the baseline, after the baseline (JSON `bicla` and
    /// `bicla_criteria`); `None` at and before the baseline. Computed when
    /// called ([`crate::bilag::evaluate_bicla`] on the visit's inputs).
    ///
    /// ```
    /// use sledai::visit::{PatientStream, VisitInput};
    /// use sledai::TriState;
    /// let a: VisitInput = serde_json::from_str(
    ///     r#"{"patient": "P1", "date": "2024-01-01", "present": [], "pga": 1.0, "bilag": {"renal": "A"}}"#,
    /// )?;
    /// let b: VisitInput = serde_json::from_str(
    ///     r#"{"patient": "P1", "date": "2024-04-01", "present": [], "pga": 1.0,
    ///         "bilag": {"constitutional": "E", "mucocutaneous": "E", "neuropsychiatric": "E",
    ///                   "musculoskeletal": "E", "cardiorespiratory": "E", "gastrointestinal": "E",
    ///                   "ophthalmic": "E", "renal": "C", "haematological": "E"},
    ///         "treatment_failure": false}"#,
    /// )?;
    /// let mut stream = PatientStream::default();
    /// assert!(stream.assess(&a)?.bicla().is_none()); // the baseline itself
    /// // Renal A -> C, nothing new, SLEDAI-2K and PGA unchanged.
    /// assert_eq!(stream.assess(&b)?.bicla().map(|r| r.state()), Some(TriState::Met));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn bicla(&self) -> Option<BiclaResult> {
        let r = self.deferred.response.as_ref()?;
        // `assess` checked the grades under `bilag_grade_e`.
        Some(crate::bilag::evaluate_bicla_unchecked(
            &r.bicla,
            r.bicla_options,
        ))
    }

    /// SRI-k (`sri`: one of [`Sri::ALL`], SRI-4 to SRI-8) against the
    /// baseline, after the baseline (JSON `sri_4` .. `sri_8` and
    /// `sri_4_criteria` ..); `None` at and before the baseline. Computed
    /// when called ([`crate::change::evaluate_sri`] on the visit's inputs).
    ///
    /// ```
    /// use sledai::change::Sri;
    /// use sledai::visit::{PatientStream, VisitInput};
    /// use sledai::TriState;
    /// let a: VisitInput = serde_json::from_str(
    ///     r#"{"patient": "P1", "date": "2024-01-01", "present": ["arthritis", "rash"], "pga": 1.0}"#,
    /// )?;
    /// let b: VisitInput = serde_json::from_str(
    ///     r#"{"patient": "P1", "date": "2024-04-01", "present": ["rash"], "pga": 1.0,
    ///         "new_bilag_a": 0, "new_bilag_b": 0}"#,
    /// )?;
    /// let mut stream = PatientStream::default();
    /// assert!(stream.assess(&a)?.sri(Sri::SRI_4).is_none()); // the baseline itself
    /// let r = stream.assess(&b)?;
    /// // SLEDAI-2K 6 -> 2: a fall of 4, not of 5.
    /// assert_eq!(r.sri(Sri::SRI_4).map(|s| s.state()), Some(TriState::Met));
    /// assert_eq!(r.sri(Sri::new(5)?).map(|s| s.state()), Some(TriState::NotMet));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn sri(&self, sri: Sri) -> Option<SriResult> {
        let r = self.deferred.response.as_ref()?;
        // `assess` checked the grades under `bilag_grade_e`.
        Some(sri.evaluate_unchecked(&r.sri, &r.sri_options))
    }

    /// SRI-4 to SRI-8 at once (their common components decided once).
    fn sri_4_to_8(&self) -> Option<[SriResult; 5]> {
        let r = self.deferred.response.as_ref()?;
        Some(crate::change::evaluate_sri_4_to_8_unchecked(
            &r.sri,
            &r.sri_options,
        ))
    }

    /// The state of [`bicla`](Self::bicla) alone, from the same rule
    /// without building its criteria (the flat-table output).
    pub(crate) fn bicla_state(&self) -> Option<TriState> {
        let r = self.deferred.response.as_ref()?;
        Some(crate::bilag::bicla_state_unchecked(
            &r.bicla,
            r.bicla_options,
        ))
    }

    /// The state of [`sri`](Self::sri) alone, from the same rule without
    /// building its result (the flat-table output).
    pub(crate) fn sri_state(&self, sri: Sri) -> Option<TriState> {
        let r = self.deferred.response.as_ref()?;
        Some(sri.state_with_common(r.sri.sledai_change(), r.sri_common))
    }

    /// The state of [`doris_2017`](Self::doris_2017) alone, from the same
    /// rule without building its criteria (the flat-table output).
    pub(crate) fn doris_2017_state(&self, variant: Doris2017Variant) -> TriState {
        let d = &self.deferred;
        remission_2017::state_unchecked(
            &d.inputs,
            &d.treatment,
            &d.grades,
            variant,
            d.remission_2017,
        )
    }

    /// The states of the four DORIS 2017 variants alone (in the order of
    /// [`Doris2017Variant::ALL`]), the criteria they share decided once:
    /// the four [`doris_2017_state`](Self::doris_2017_state)s (the
    /// flat-table output).
    pub(crate) fn doris_2017_states(&self) -> [TriState; 4] {
        let d = &self.deferred;
        remission_2017::states_unchecked(&d.inputs, &d.treatment, &d.grades, d.remission_2017)
    }

    /// One DORIS 2017 variant (JSON `doris_2017_clinical_on_treatment` ..
    /// and `..._criteria`, in the order of [`Doris2017Variant::ALL`]).
    /// Computed when called ([`crate::remission_2017::evaluate`] on the
    /// visit's inputs).
    ///
    /// ```
    /// use sledai::remission_2017::Doris2017Variant;
    /// use sledai::visit::{PatientStream, VisitInput};
    /// use sledai::TriState;
    /// let v: VisitInput = serde_json::from_str(
    ///     r#"{"present": [], "pga": 0.2, "prednisone_mg_per_day": 5,
    ///         "on_immunosuppressant": false, "on_biologic": false, "on_antimalarial": true}"#,
    /// )?;
    /// let r = PatientStream::default().assess(&v)?;
    /// let state = |variant| r.doris_2017(variant).state();
    /// assert_eq!(state(Doris2017Variant::ClinicalOnTreatment), TriState::Met);
    /// // Off treatment needs no glucocorticoid at all.
    /// assert_eq!(state(Doris2017Variant::ClinicalOffTreatment), TriState::NotMet);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn doris_2017(&self, variant: Doris2017Variant) -> Remission2017Result {
        let d = &self.deferred;
        remission_2017::evaluate_unchecked(
            &d.inputs,
            &d.treatment,
            &d.grades,
            variant,
            d.remission_2017,
        )
    }
}

/// A total as `sledai score` writes it: the integer when exact, else
/// `null` and the `_min`/`_max` keys.
fn serialize_total<M: serde::ser::SerializeMap>(
    m: &mut M,
    keys: [&'static str; 3],
    total: ScoreRange,
) -> Result<(), M::Error> {
    m.serialize_entry(keys[0], &total.exact())?;
    if !total.is_exact() {
        m.serialize_entry(keys[1], &total.min())?;
        m.serialize_entry(keys[2], &total.max())?;
    }
    Ok(())
}

impl serde::Serialize for VisitResult {
    /// The field names and order of `docs/cli.md`; an optional field that
    /// does not apply is omitted (`sledai_2k` and `clinical_sledai_2k` are
    /// `null` instead).
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        if let Some(id) = self.id() {
            m.serialize_entry("id", id)?;
        }
        if let Some(p) = self.patient() {
            m.serialize_entry("patient", p)?;
        }
        if let Some(d) = &self.date {
            m.serialize_entry("date", d)?;
        }
        if let Some(d) = &self.study_day {
            m.serialize_entry("study_day", d)?;
        }
        serialize_total(
            &mut m,
            ["sledai_2k", "sledai_2k_min", "sledai_2k_max"],
            self.sledai_2k,
        )?;
        serialize_total(
            &mut m,
            [
                "clinical_sledai_2k",
                "clinical_sledai_2k_min",
                "clinical_sledai_2k_max",
            ],
            self.clinical_sledai_2k,
        )?;
        if !self.missing.is_empty() {
            m.serialize_entry("missing", &self.missing)?;
        }
        if let Some(p) = &self.prednisone_equivalent_mg_per_day {
            m.serialize_entry("prednisone_equivalent_mg_per_day", p)?;
        }
        m.serialize_entry("lldas", &self.lldas.state)?;
        m.serialize_entry("doris", &self.doris.state)?;
        let (lldas, doris) = (self.lldas(), self.doris());
        m.serialize_entry("lldas_criteria", &CriteriaObject(lldas.criteria()))?;
        m.serialize_entry("doris_criteria", &CriteriaObject(doris.criteria()))?;
        if !self.lab_conflicts.is_empty() {
            m.serialize_entry("lab_conflicts", &self.lab_conflicts)?;
        }
        if let Some(d) = &self.baseline_date {
            m.serialize_entry("baseline_date", d)?;
        }
        if let Some(c) = &self.change_from_baseline {
            m.serialize_entry("change_from_baseline", c)?;
        }
        if let Some(n) = &self.bilag_numeric {
            m.serialize_entry("bilag_numeric", n)?;
        }
        if let Some(c) = &self.bilag_new {
            m.serialize_entry("bilag_new_a", &c.new_a)?;
            m.serialize_entry("bilag_new_b", &c.new_b)?;
        }
        if let Some(f) = &self.bilag_flare {
            m.serialize_entry("bilag_flare", f)?;
        }
        if let Some(b) = &self.bicla() {
            m.serialize_entry("bicla", &b.state())?;
            m.serialize_entry("bicla_criteria", &CriteriaObject(b.criteria()))?;
        }
        if let Some(sri) = &self.sri_4_to_8() {
            for r in sri {
                m.serialize_entry(SRI_KEYS[usize::from(r.k() - 4)].0, &r.state())?;
                m.serialize_entry(SRI_KEYS[usize::from(r.k() - 4)].1, &SriCriteria(r))?;
            }
        }
        for variant in Doris2017Variant::ALL {
            let r = self.doris_2017(variant);
            m.serialize_entry(variant.id(), &r.state())?;
            m.serialize_entry(
                DORIS_2017_CRITERIA_KEYS[variant as usize],
                &CriteriaObject(r.criteria()),
            )?;
        }
        m.end()
    }
}

/// The JSON keys of SRI-4 .. SRI-8 and their criteria.
const SRI_KEYS: [(&str, &str); 5] = [
    ("sri_4", "sri_4_criteria"),
    ("sri_5", "sri_5_criteria"),
    ("sri_6", "sri_6_criteria"),
    ("sri_7", "sri_7_criteria"),
    ("sri_8", "sri_8_criteria"),
];

/// The JSON keys of the DORIS 2017 criteria, in [`Doris2017Variant::ALL`]
/// order.
const DORIS_2017_CRITERIA_KEYS: [&str; 4] = [
    "doris_2017_clinical_on_treatment_criteria",
    "doris_2017_complete_on_treatment_criteria",
    "doris_2017_clinical_off_treatment_criteria",
    "doris_2017_complete_off_treatment_criteria",
];

/// The SRI components as an object keyed by component.
struct SriCriteria<'a>(&'a SriResult);

impl serde::Serialize for SriCriteria<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.criteria().iter().map(|c| (c.criterion().id(), c)))
    }
}

/// Criteria as an object keyed by criterion id.
struct CriteriaObject<'a>(&'a [CriterionResult]);

impl serde::Serialize for CriteriaObject<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(
            self.0
                .iter()
                .map(|r| (r.criterion().id(), WithoutCriterion(r))),
        )
    }
}

/// What a stream remembers about a patient.
#[derive(Debug, Clone, Copy)]
struct PatientState {
    last_date: Date,
    last_assessment: Assessment,
    last_grades: Option<BilagGrades>,
    /// The last grade A-D of each system (for `bilag_grade_e = strict`).
    ever_affected: [Option<BilagGrade>; 9],
    baseline: Option<BaselineState>,
}

/// What a stream (or a timeline) remembers about a patient's baseline.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BaselineState {
    date: Date,
    assessment: Assessment,
    pga: Option<Pga>,
    grades: Option<BilagGrades>,
}

impl BaselineState {
    /// The baseline that `visit`, scored as `assessment`, is.
    pub(crate) fn of(visit: &VisitInput, assessment: Assessment) -> BaselineState {
        BaselineState {
            date: visit.date.unwrap_or(Date::MIN),
            assessment,
            pga: visit.pga,
            grades: visit.bilag,
        }
    }
}

/// Assesses visits one at a time, remembering per patient the previous
/// visit and the baseline (rules in the [module docs](self)). Memory grows
/// with the number of patients, not of visits.
///
/// # Example
///
/// ```
/// use sledai::visit::{PatientStream, VisitInput};
///
/// let mut stream = PatientStream::default();
/// let first: VisitInput = serde_json::from_str(
///     r#"{"patient": "P01", "date": "2024-07-01", "present": ["proteinuria", "arthritis", "rash"]}"#)?;
/// let later: VisitInput = serde_json::from_str(
///     r#"{"patient": "P01", "date": "2024-09-29", "present": ["rash"]}"#)?;
/// stream.assess(&first)?;
/// let r = stream.assess(&later)?;
/// assert_eq!(r.change_from_baseline().map(|c| c.min()), Some(-8));
///
/// // Going back in time is an error, not a silent reorder.
/// assert!(stream.assess(&first).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct PatientStream {
    options: VisitOptions,
    /// Keyed by patient id with FxHash (`rustc-hash`): the ids come from
    /// the caller's own data, so no collision-flooding defence is needed.
    patients: HashMap<String, PatientState, rustc_hash::FxBuildHasher>,
}

impl PatientStream {
    /// A stream with these options.
    ///
    /// ```
    /// use sledai::visit::{PatientStream, VisitOptions};
    /// let s = PatientStream::new(VisitOptions::default());
    /// assert_eq!(s.patient_count(), 0);
    /// ```
    pub fn new(options: VisitOptions) -> PatientStream {
        PatientStream {
            options,
            patients: HashMap::default(),
        }
    }

    /// The number of patients seen with a dated visit.
    ///
    /// ```
    /// use sledai::visit::PatientStream;
    /// assert_eq!(PatientStream::default().patient_count(), 0);
    /// ```
    pub fn patient_count(&self) -> usize {
        self.patients.len()
    }

    /// Forgets what the stream remembers about `patient` (previous visit,
    /// baseline), returning whether it knew the patient. A caller whose
    /// input is sorted by patient can call it when a patient's visits end,
    /// so memory stays constant; a later visit of that patient then starts
    /// afresh (it becomes the baseline again).
    ///
    /// ```
    /// use sledai::visit::{PatientStream, VisitInput};
    /// let mut s = PatientStream::default();
    /// let v: VisitInput = serde_json::from_str(r#"{"patient": "P1", "date": "2024-01-01", "present": []}"#)?;
    /// s.assess(&v)?;
    /// assert_eq!(s.patient_count(), 1);
    /// assert!(s.forget("P1"));
    /// assert_eq!(s.patient_count(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn forget(&mut self, patient: &str) -> bool {
        self.patients.remove(patient).is_some()
    }

    /// Assesses one visit: totals, LLDAS (criterion 2 from the patient's
    /// previous visit), DORIS and change from baseline. On error the
    /// stream's memory is unchanged, so a caller may report the error and
    /// go on with the next visit.
    ///
    /// # Errors
    ///
    /// - [`Error::InvalidValue`] when a patient's visit is not after the
    ///   patient's previous visit (field `date`: earlier or the same date),
    ///   for a second baseline, or a `new_activity`
    ///   statement that contradicts the previous assessment (see
    ///   [`crate::lldas::evaluate`]).
    /// - [`Error::OutOfRange`] for a glucocorticoid regimen above the bound.
    ///
    /// ```
    /// use sledai::visit::{PatientStream, VisitInput};
    /// let v: VisitInput = serde_json::from_str(r#"{"descriptors": {"rash": true}}"#)?;
    /// let r = PatientStream::default().assess(&v)?;
    /// assert_eq!(r.sledai_2k().exact(), None);
    /// assert_eq!(r.sledai_2k().min().get(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn assess(&mut self, visit: &VisitInput) -> Result<VisitResult, Error> {
        visit.check_bilag_source()?;
        let key = match (&visit.patient, visit.date) {
            (Some(p), Some(d)) => Some((p, d)),
            _ => None,
        };
        // One hash lookup per visit: the slot is updated in place at the end.
        let mut slot = key.and_then(|(p, _)| self.patients.get_mut(p.as_str()));
        let state = slot.as_deref().copied();
        if let (Some((p, date)), Some(s)) = (key, &state) {
            if date <= s.last_date {
                return Err(Error::InvalidValue {
                    field: "date",
                    value: date.to_string().into(),
                    reason: if date == s.last_date {
                        format!("patient `{p}` already has a visit on this date").into()
                    } else {
                        format!(
                            "visits of patient `{p}` must be in date order: this one is before {}",
                            s.last_date
                        )
                        .into()
                    },
                });
            }
        }
        let ever_affected = check_grade_e(
            visit,
            state.as_ref().map_or([None; 9], |s| s.ever_affected),
            self.options.bilag.grade_e,
        )?;
        let (assessment, lab_conflicts) = visit.merged_assessment(&self.options)?;

        // The baseline: the first dated visit not marked `false`.
        let mut baseline = state.as_ref().and_then(|s| s.baseline);
        let after_baseline = baseline.is_some();
        // A visit without `patient` is a patient of its own, and its own
        // baseline only when dated: an undated record has no change from
        // baseline (docs/cli.md).
        if key.is_some() || (visit.patient.is_none() && visit.date.is_some()) {
            match (baseline, visit.baseline) {
                (Some(BaselineState { date: d, .. }), Some(true)) => {
                    return Err(Error::InvalidValue {
                        field: "baseline",
                        value: "true".to_owned().into(),
                        reason: format!(
                            "patient `{}` already has a baseline on {d}; mark earlier screening visits `\"baseline\": false`",
                            visit.patient.as_deref().unwrap_or("")
                        ).into(),
                    });
                }
                (None, Some(false)) => {}
                (None, _) => {
                    baseline = Some(BaselineState::of(visit, assessment));
                }
                (Some(_), _) => {}
            }
        } else if visit.baseline == Some(true) {
            return Err(Error::InvalidValue {
                field: "baseline",
                value: "true".to_owned().into(),
                reason: "a baseline visit of a patient needs a `date`"
                    .to_owned()
                    .into(),
            });
        }
        let context = Context {
            assessment,
            lab_conflicts,
            previous: state.as_ref().map(|s| Previous {
                assessment: s.last_assessment,
                grades: s.last_grades,
            }),
            baseline,
            after_baseline,
            study_day: None,
        };
        // The result is returned as it comes (not unpacked by `?` and
        // packed again), so it is written once, in the caller's slot.
        let result = evaluate_in_context(visit, context, &self.options);
        if let (Some((p, date)), true) = (key, result.is_ok()) {
            let now = PatientState {
                last_date: date,
                last_assessment: assessment,
                last_grades: visit.bilag,
                ever_affected,
                baseline,
            };
            // A known patient is updated in place: no key clone per visit.
            match slot.take() {
                Some(s) => *s = now,
                None => {
                    self.patients.insert(p.clone(), now);
                }
            }
        }
        result
    }
}

/// What a visit's result depends on besides its record: the patient's
/// previous visit, baseline and study day, as the stream or the timeline
/// knows them.
pub(crate) struct Context {
    /// The assessment scored (the record's, merged with the laboratory).
    pub(crate) assessment: Assessment,
    /// The conflicts the merge resolved.
    pub(crate) lab_conflicts: Vec<Conflict>,
    /// The patient's previous dated visit.
    pub(crate) previous: Option<Previous>,
    /// The baseline, at and after it (this visit, when it is the baseline).
    pub(crate) baseline: Option<BaselineState>,
    /// Whether the baseline is an earlier visit.
    pub(crate) after_baseline: bool,
    /// Days from the reference date, in a timeline.
    pub(crate) study_day: Option<i32>,
}

/// What the next visit reads of the previous one.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Previous {
    pub(crate) assessment: Assessment,
    pub(crate) grades: Option<BilagGrades>,
}

/// The one per-visit evaluation of every surface: totals, LLDAS (criterion
/// 2 from the previous visit), DORIS, change from baseline, the BILAG
/// comparisons, BICLA, SRI-4..8 and DORIS 2017, for [`PatientStream`] and
/// the timelines alike. Inlined, so that the result is built where the
/// caller returns it (no move of the whole result).
#[inline]
pub(crate) fn evaluate_in_context(
    visit: &VisitInput,
    context: Context,
    options: &VisitOptions,
) -> Result<VisitResult, Error> {
    let Context {
        assessment,
        lab_conflicts,
        previous,
        baseline,
        after_baseline,
        study_day,
    } = context;
    let inputs = visit.target_inputs_for(
        assessment,
        previous.map(|p| p.assessment),
        options.conversion,
    )?;
    // The criterion states alone; the explained results are computed on
    // demand from the same inputs.
    let lldas = lldas::states(&inputs)?;
    let doris = remission::states(&inputs, options.remission);

    let change_from_baseline = match baseline {
        Some(b) => Some(ScoreChange::between(
            &b.assessment,
            &assessment,
            Measure::Sledai2k,
            IncompletePolicy::Range,
        )?),
        None => None,
    };
    let grades = |g: Option<BilagGrades>| g.unwrap_or(BilagGrades::NOT_RECORDED);
    let bilag_options = options.bilag;
    let bilag_flare = match &previous {
        Some(p) if p.grades.is_some() || visit.bilag.is_some() => Some(crate::bilag::flare(
            &grades(p.grades),
            &grades(visit.bilag),
            bilag_options,
        )?),
        _ => None,
    };
    let (bilag_new, response) = match (baseline, change_from_baseline) {
        (Some(b), Some(change)) if after_baseline => {
            let with_grades = b.grades.is_some() || visit.bilag.is_some();
            // Every check BICLA and SRI-k make, made now, so that the
            // result's getters computing them cannot fail.
            crate::bilag::check_pairs(
                &grades(b.grades),
                &grades(visit.bilag),
                bilag_options.grade_e,
            )?;
            let counts = if with_grades {
                Some(crate::bilag::new_counts(
                    &grades(b.grades),
                    &grades(visit.bilag),
                    bilag_options,
                )?)
            } else {
                None
            };
            let bicla = BiclaInput::new(change)
                .with_baseline_grades(grades(b.grades))
                .with_visit_grades(grades(visit.bilag))
                .with_baseline_pga(b.pga)
                .with_visit_pga(visit.pga)
                .with_treatment_failure(visit.treatment_failure);
            let mut sri = SriInput::new(change)
                .with_baseline_pga(b.pga)
                .with_visit_pga(visit.pga)
                .with_treatment_failure(visit.treatment_failure);
            sri = if with_grades {
                sri.with_baseline_grades(grades(b.grades))
                    .with_visit_grades(grades(visit.bilag))
            } else {
                sri.with_new_bilag_a(visit.new_bilag_a)
                    .with_new_bilag_b(visit.new_bilag_b)
            };
            let sri_options = options.sri.with_bilag(bilag_options);
            let response = Response {
                bicla,
                bicla_options: options.bicla.with_bilag(bilag_options),
                sri,
                sri_options,
                sri_common: crate::change::sri_common_state(&sri, &sri_options),
            };
            (counts, Some(response))
        }
        // At the baseline visit itself the counts are 0 and 0.
        (Some(_), _) if visit.bilag.is_some() => (Some(NewCounts::ZERO), None),
        _ => (None, None),
    };
    let prednisone_equivalent = inputs.prednisone_equivalent;
    let deferred = Deferred {
        inputs,
        remission: options.remission,
        treatment: visit.treatment(),
        grades: grades(visit.bilag),
        remission_2017: options.remission_2017,
        response,
    };

    let a = &assessment;
    Ok(VisitResult {
        id: visit.id.as_deref().map(Ident::new),
        patient: visit.patient.as_deref().map(Ident::new),
        date: visit.date,
        study_day,
        sledai_2k: a.score_range(),
        clinical_sledai_2k: a.clinical_score_range(),
        missing: a.missing(),
        prednisone_equivalent_mg_per_day: prednisone_equivalent,
        lldas,
        doris,
        lab_conflicts,
        baseline_date: baseline.and_then(|b| visit.date.map(|_| b.date)),
        change_from_baseline,
        bilag_numeric: visit.bilag.map(|g| g.numeric()),
        bilag_new,
        bilag_flare,
        deferred,
    })
}

/// Under `bilag_grade_e = strict`, an E after A-D in the same patient is an
/// error; returns the last grade A-D of each system including this visit.
fn check_grade_e(
    visit: &VisitInput,
    mut ever_affected: [Option<BilagGrade>; 9],
    policy: BilagGradeE,
) -> Result<[Option<BilagGrade>; 9], Error> {
    let Some(g) = &visit.bilag else {
        return Ok(ever_affected);
    };
    for system in BilagSystem::ALL {
        match g.get(system) {
            Some(BilagGrade::E) if policy == BilagGradeE::Strict => {
                if let Some(earlier) = ever_affected[system.index()] {
                    return Err(crate::bilag::grade_e_after_activity(system, earlier));
                }
            }
            Some(BilagGrade::E) | None => {}
            Some(g) => ever_affected[system.index()] = Some(g),
        }
    }
    Ok(ever_affected)
}

// ------------------------------------------------------------------ serde

/// The keys of a visit record (JSON keys, CSV columns, DataFrame columns),
/// in documentation order (`docs/formats.md`). The one list every surface
/// uses; the 24 descriptor identifiers are the CSV and DataFrame columns
/// of `descriptors`.
///
/// ```
/// use sledai::visit::FIELDS;
/// assert_eq!(FIELDS[..3], ["id", "patient", "date"]);
/// assert!(FIELDS.contains(&"measurements"));
/// ```
pub const FIELDS: &[&str] = &[
    "id",
    "patient",
    "date",
    "present",
    "descriptors",
    "pga",
    "prednisone_mg_per_day",
    "glucocorticoids",
    "hemolytic_anemia",
    "gastrointestinal_activity",
    "maintenance_tolerated",
    "investigational_drug",
    "new_activity",
    "baseline",
    "measurements",
    "reference_date",
    "new_bilag_a",
    "new_bilag_b",
    "bilag",
    "treatment_failure",
    "on_immunosuppressant",
    "on_biologic",
    "on_antimalarial",
];

/// Why a record cannot give both the grades and the counts.
const BILAG_BOTH: &str =
    "give either `bilag` (the grades) or `new_bilag_a`/`new_bilag_b` (the counts), not both";

/// The former spelling of a key, still read: `maintenance_well_tolerated`
/// (the name of the former `timeline::Visit` JSON) is
/// `maintenance_tolerated`.
const KEY_ALIASES: &[(&str, &str)] = &[("maintenance_well_tolerated", "maintenance_tolerated")];

/// Keys of the former `timeline::Visit` JSON that the record spells
/// another way, with what to give instead.
const FORMER_KEYS: &[(&str, &str)] = &[
    (
        "assessment",
        "`assessment` is not a key of the visit record (it was one of the former timeline JSON): give `present` (an array) or `descriptors` (an object) at the top level",
    ),
    (
        "prednisone_equivalent",
        "`prednisone_equivalent` is not a key of the visit record (it was one of the former timeline JSON): give `prednisone_mg_per_day`",
    ),
];

impl<'de> serde::Deserialize<'de> for VisitInput {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = VisitInput;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a visit record (an object)")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<VisitInput, A::Error> {
                use serde::de::Error as _;
                let mut v = VisitInput::new(Assessment::not_assessed());
                let mut seen: Vec<String> = Vec::new();
                let mut assessment = None;
                let mut prednisone: Option<PrednisoneEquivalent> = None;
                let mut regimen: Option<Vec<DrugDose>> = None;
                while let Some(mut key) = map.next_key::<String>()? {
                    if let Some((_, canonical)) = KEY_ALIASES.iter().find(|(k, _)| *k == key) {
                        key = (*canonical).to_owned();
                    }
                    if let Some((_, message)) = FORMER_KEYS.iter().find(|(k, _)| *k == key) {
                        return Err(A::Error::custom(message));
                    }
                    if !FIELDS.contains(&key.as_str()) {
                        return Err(A::Error::unknown_field(&key, FIELDS));
                    }
                    if seen.contains(&key) {
                        return Err(A::Error::custom(format_args!("duplicate field `{key}`")));
                    }
                    match key.as_str() {
                        "id" => v.id = map.next_value()?,
                        "patient" => v.patient = map.next_value()?,
                        "date" => v.date = map.next_value()?,
                        "present" | "descriptors" => {
                            if assessment.is_some() {
                                return Err(A::Error::custom(
                                    "a visit takes exactly one of `present` and `descriptors`",
                                ));
                            }
                            let a: Assessment = if key == "present" {
                                Assessment::from_present(map.next_value::<DescriptorSet>()?.iter())
                            } else {
                                map.next_value::<crate::assessment::DescriptorsObject>()?.0
                            };
                            assessment = Some(a);
                        }
                        "pga" => v.pga = map.next_value()?,
                        "prednisone_mg_per_day" => prednisone = map.next_value()?,
                        "glucocorticoids" => regimen = map.next_value()?,
                        "hemolytic_anemia" => v.hemolytic_anemia = map.next_value()?,
                        "gastrointestinal_activity" => {
                            v.gastrointestinal_activity = map.next_value()?
                        }
                        "maintenance_tolerated" => v.maintenance_tolerated = map.next_value()?,
                        "investigational_drug" => v.investigational_drug = map.next_value()?,
                        "new_activity" => v.new_activity = map.next_value()?,
                        "baseline" => v.baseline = map.next_value()?,
                        "measurements" => v.measurements = map.next_value()?,
                        "reference_date" => v.reference_date = map.next_value()?,
                        "new_bilag_a" => v.new_bilag_a = map.next_value()?,
                        "new_bilag_b" => v.new_bilag_b = map.next_value()?,
                        "bilag" => v.bilag = map.next_value()?,
                        "treatment_failure" => v.treatment_failure = map.next_value()?,
                        "on_immunosuppressant" => v.on_immunosuppressant = map.next_value()?,
                        "on_biologic" => v.on_biologic = map.next_value()?,
                        _ => v.on_antimalarial = map.next_value()?,
                    }
                    seen.push(key);
                }
                if v.check_bilag_source().is_err() {
                    return Err(A::Error::custom(BILAG_BOTH));
                }
                v.assessment = assessment.ok_or_else(|| {
                    A::Error::custom("a visit needs `present` (array) or `descriptors` (object)")
                })?;
                v.glucocorticoids = match (prednisone, regimen) {
                    (Some(_), Some(_)) => {
                        return Err(A::Error::custom(
                            "give either `prednisone_mg_per_day` or `glucocorticoids`, not both",
                        ));
                    }
                    (Some(p), None) => Some(GlucocorticoidInput::PrednisoneEquivalent(p)),
                    (None, Some(r)) => Some(GlucocorticoidInput::Regimen(r)),
                    (None, None) => None,
                };
                Ok(v)
            }
        }
        d.deserialize_map(V)
    }
}

impl serde::Serialize for VisitInput {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        if let Some(id) = &self.id {
            m.serialize_entry("id", id)?;
        }
        if let Some(p) = &self.patient {
            m.serialize_entry("patient", p)?;
        }
        if let Some(d) = &self.date {
            m.serialize_entry("date", d)?;
        }
        if self.assessment.is_complete() {
            m.serialize_entry("present", &self.assessment.present())?;
        } else {
            let items: Vec<(&str, bool)> = self
                .assessment
                .items()
                .filter_map(|(d, f)| f.as_option().map(|b| (d.id(), b)))
                .collect();
            m.serialize_entry("descriptors", &ItemsMap(&items))?;
        }
        if let Some(p) = &self.pga {
            m.serialize_entry("pga", p)?;
        }
        match &self.glucocorticoids {
            Some(GlucocorticoidInput::PrednisoneEquivalent(p)) => {
                m.serialize_entry("prednisone_mg_per_day", p)?
            }
            Some(GlucocorticoidInput::Regimen(r)) => m.serialize_entry("glucocorticoids", r)?,
            None => {}
        }
        if let Some(ms) = &self.measurements {
            m.serialize_entry("measurements", ms)?;
        }
        if let Some(d) = &self.reference_date {
            m.serialize_entry("reference_date", d)?;
        }
        for (k, v) in [
            ("new_bilag_a", self.new_bilag_a),
            ("new_bilag_b", self.new_bilag_b),
        ] {
            if let Some(n) = v {
                m.serialize_entry(k, &n)?;
            }
        }
        if let Some(g) = &self.bilag {
            m.serialize_entry("bilag", g)?;
        }
        for (k, v) in [
            ("treatment_failure", self.treatment_failure),
            ("on_immunosuppressant", self.on_immunosuppressant),
            ("on_biologic", self.on_biologic),
            ("on_antimalarial", self.on_antimalarial),
            ("hemolytic_anemia", self.hemolytic_anemia),
            ("gastrointestinal_activity", self.gastrointestinal_activity),
            ("maintenance_tolerated", self.maintenance_tolerated),
            ("investigational_drug", self.investigational_drug),
            ("new_activity", self.new_activity),
            ("baseline", self.baseline),
        ] {
            if let Some(b) = v {
                m.serialize_entry(k, &b)?;
            }
        }
        m.end()
    }
}

struct ItemsMap<'a>(&'a [(&'a str, bool)]);

impl serde::Serialize for ItemsMap<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}
