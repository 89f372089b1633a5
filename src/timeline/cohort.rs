//! Cohorts: patient timelines built from visit records, the per-patient
//! summaries and their options.

use std::collections::BTreeMap;

use super::*;
use crate::assessment::Assessment;
use crate::bilag::BilagGrades;
use crate::change::SriResult;
use crate::date::Date;
use crate::error::Error;
use crate::glucocorticoid::PrednisoneEquivalent;
use crate::pga::Pga;
use crate::score::Score;
use crate::state::TriState;

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
    pub(super) windows: Vec<Window>,
    pub(super) attribution: TimeAttribution,
    pub(super) sustained_days: Option<u32>,
    pub(super) screening_threshold: Option<Score>,
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
/// assert_eq!(s.endpoints[0].sri4.as_ref().unwrap().state(), TriState::NotMet);
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
    pub(super) patient: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) reference_date: Option<Date>,
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
    pub(super) patients: Vec<(String, Timeline)>,
}

pub(super) type Groups = BTreeMap<String, (Option<Date>, Vec<(usize, Visit)>)>;

/// Positions for a message, bounded: the first five, then how many more
/// (`0, 3, 5, 7, 9 and 99995 more`; `0 and 3`).
pub(super) fn bounded_list(positions: &[usize]) -> String {
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

pub(super) fn check_patient_id(id: &str, index: usize) -> Result<(), Error> {
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
