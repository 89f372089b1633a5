//! Cohorts: patient timelines built from visit records, the per-patient
//! summaries and their options.

use std::collections::HashMap;

use super::*;
use crate::change::SriResult;
use crate::date::Date;
use crate::error::Error;
use crate::parallel::{self, Threads};
use crate::score::Score;
use crate::state::TriState;
use crate::visit::{VisitInput, VisitResult};

/// Patients per chunk below which a cohort's timelines or summaries are
/// not split further (a thread costs tens of microseconds; a patient's
/// timeline about as much).
pub(crate) const PATIENTS_PER_CHUNK: usize = 32;

/// What to summarise per patient and per cohort.
///
/// Defaults: no endpoint windows, [`TimeAttribution::CarryForward`], no
/// sustained duration, no screening, patients summarised on
/// [`Threads::AVAILABLE`] (see [`SummaryOptions::with_threads`]; not
/// serialized).
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
    #[serde(skip)]
    pub(super) threads: Threads,
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

    /// Sets how many threads [`Cohort::summarize`] summarises patients on
    /// (contiguous chunks of the patients in identifier order, taken in
    /// turn by the threads). The report is the same for every number of threads;
    /// [`Threads::SEQUENTIAL`] summarises on the caller's thread only.
    ///
    /// ```
    /// use sledai::timeline::SummaryOptions;
    /// use sledai::Threads;
    /// let o = SummaryOptions::new([]).with_threads(Threads::new(2)?);
    /// assert_eq!(o.threads(), Threads::new(2)?);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub fn with_threads(mut self, threads: Threads) -> SummaryOptions {
        self.threads = threads;
        self
    }

    /// How many threads patients are summarised on.
    ///
    /// ```
    /// use sledai::Threads;
    /// assert_eq!(sledai::timeline::SummaryOptions::default().threads(), Threads::AVAILABLE);
    /// ```
    pub fn threads(&self) -> Threads {
        self.threads
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

impl TimelineOptions {
    /// Sets how many threads [`Cohort::from_records`] builds the patients'
    /// timelines on (contiguous chunks of the patients in identifier order,
    /// taken in turn by the threads; default [`Threads::AVAILABLE`]; not serialized). The
    /// cohort, and the error of a cohort that fails, are the same for every
    /// number of threads; [`Threads::SEQUENTIAL`] builds on the caller's
    /// thread only. A single [`Timeline::new`] does not use it.
    ///
    /// ```
    /// use sledai::timeline::TimelineOptions;
    /// use sledai::Threads;
    /// let o = TimelineOptions::default().with_threads(Threads::SEQUENTIAL);
    /// assert_eq!(o.threads(), Threads::SEQUENTIAL);
    /// ```
    #[must_use]
    pub const fn with_threads(mut self, threads: Threads) -> TimelineOptions {
        self.threads = threads;
        self
    }

    /// How many threads a cohort's timelines are built on.
    ///
    /// ```
    /// use sledai::Threads;
    /// assert_eq!(sledai::timeline::TimelineOptions::default().threads(), Threads::AVAILABLE);
    /// ```
    #[must_use]
    pub const fn threads(&self) -> Threads {
        self.threads
    }
}

/// One endpoint of a patient, with SRI-4 when a visit is in the window.
///
/// ```
/// use sledai::timeline::{SummaryOptions, Timeline, TimelineOptions, Window};
/// use sledai::visit::VisitInput;
/// use sledai::{Assessment, Date, TriState};
/// let a = VisitInput::dated(Date::new(2024, 3, 1)?, Assessment::from_present([]));
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
/// use sledai::timeline::{SummaryOptions, Timeline, TimelineOptions, Window};
/// use sledai::visit::VisitInput;
/// use sledai::{Assessment, Date};
/// let a = VisitInput::dated(Date::new(2024, 3, 1)?, Assessment::from_present([]));
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
/// use sledai::timeline::{SummaryOptions, Timeline, TimelineOptions};
/// use sledai::visit::VisitInput;
/// use sledai::{Assessment, Date};
/// let a = VisitInput::dated(Date::new(2024, 3, 1)?, Assessment::from_present([]));
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
    /// The baseline visit's result (with its study day).
    pub baseline: VisitResult,
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

/// Many patients' timelines, ordered by patient identifier (byte order).
///
/// ```
/// use sledai::timeline::{Cohort, SummaryOptions, TimelineOptions, Window};
/// use sledai::visit::VisitInput;
/// use sledai::{Assessment, Date};
/// let v = |p: &str, m| VisitInput::dated(Date::new(2024, m, 1).unwrap(), Assessment::from_present([])).with_patient(p);
/// let c = Cohort::from_records([v("B", 1), v("A", 1), v("B", 4)], &TimelineOptions::default())?;
/// assert_eq!(c.patients().map(|(id, t)| (id, t.visit_count())).collect::<Vec<_>>(), [("A", 1), ("B", 2)]);
/// let report = c.summarize(&SummaryOptions::new([Window::new(90, 14)]));
/// assert_eq!((report.summary.n, report.summary.endpoints[0].n_with_visit), (2, 1));
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cohort {
    pub(super) patients: Vec<(String, Timeline)>,
}

/// The patients in identifier order with their numbers of records, and
/// each record's patient (its rank in that order).
type Grouping = (Vec<(String, usize)>, Vec<usize>);

/// Checks every record (in input order) for a patient and a date, and
/// groups them: the patients in identifier (byte) order with their number
/// of records, and for each record the rank of its patient in that order.
/// One `String` per patient; a record of the same patient as the record
/// before it (the usual layout) is not even looked up.
fn group_by_patient(records: &[VisitInput]) -> Result<Grouping, Error> {
    let mut first_seen: Vec<(&str, usize)> = Vec::new();
    let mut lookup: HashMap<&str, usize> = HashMap::new();
    let mut group_of: Vec<usize> = Vec::with_capacity(records.len());
    let mut last: Option<(&str, usize)> = None;
    for (index, record) in records.iter().enumerate() {
        let Some(patient) = record.patient.as_deref() else {
            return Err(missing_field(index, "patient", "cohort"));
        };
        if record.date.is_none() {
            return Err(missing_field(index, "date", "cohort"));
        }
        if patient.trim().is_empty() {
            return Err(Error::InBatch {
                index,
                source: Box::new(Error::InvalidValue {
                    field: "patient",
                    value: patient.to_owned().into(),
                    reason: "a patient identifier must not be empty".to_owned().into(),
                }),
            });
        }
        let g = match last {
            Some((p, g)) if p == patient => g,
            _ => *lookup.entry(patient).or_insert_with(|| {
                first_seen.push((patient, 0));
                first_seen.len() - 1
            }),
        };
        first_seen[g].1 += 1;
        last = Some((patient, g));
        group_of.push(g);
    }
    let mut order: Vec<usize> = (0..first_seen.len()).collect();
    order.sort_unstable_by_key(|&g| first_seen[g].0);
    let mut rank = vec![0; order.len()];
    for (r, &g) in order.iter().enumerate() {
        rank[g] = r;
    }
    for g in &mut group_of {
        *g = rank[*g];
    }
    let ids = order
        .iter()
        .map(|&g| {
            let (id, n) = first_seen[g];
            (id.to_owned(), n)
        })
        .collect();
    Ok((ids, group_of))
}

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

impl Cohort {
    /// Groups visit records by `patient` and builds each patient's
    /// [`Timeline`] with `options` (the visit options, and the reference
    /// date for a patient whose records give none). Records may come in any
    /// order; each patient's reference date is the `reference_date` its
    /// records give (they must agree), else `options`' (else the baseline).
    ///
    /// # Errors
    ///
    /// - [`Error::InBatch`] (the record's zero-based position) wrapping
    ///   [`Error::InvalidValue`] for a record without `patient` or `date`
    ///   (value `null`) or with an empty patient identifier.
    /// - [`Error::InPatient`] wrapping any [`Timeline::new`] error of that
    ///   patient (the first patient in identifier order that fails, for
    ///   every number of threads), with input positions: reference dates
    ///   that disagree, duplicate dates, two baselines, an LLDAS input
    ///   contradiction, ...
    ///
    /// The records are checked and grouped on the caller's thread; the
    /// timelines are built on [`TimelineOptions::with_threads`] threads
    /// (contiguous chunks of the patients in identifier order).
    ///
    /// ```
    /// use sledai::timeline::{Cohort, TimelineOptions};
    /// use sledai::visit::VisitInput;
    /// use sledai::{Assessment, Date, Error};
    /// let v = VisitInput::dated(Date::new(2024, 3, 1)?, Assessment::from_present([])).with_patient("P7");
    /// let err = Cohort::from_records([v.clone(), v.clone()], &TimelineOptions::default()).unwrap_err();
    /// assert!(matches!(err, Error::InPatient { ref patient, .. } if &**patient == "P7"));
    /// // A record without a patient names its position.
    /// let mut anonymous = v;
    /// anonymous.patient = None;
    /// let err = Cohort::from_records([anonymous], &TimelineOptions::default()).unwrap_err();
    /// assert!(matches!(err, Error::InBatch { index: 0, .. }));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn from_records<I: IntoIterator<Item = VisitInput>>(
        records: I,
        options: &TimelineOptions,
    ) -> Result<Cohort, Error> {
        // A `Vec` is taken as it is (no copy).
        let records: Vec<VisitInput> = records.into_iter().collect();
        let (ids, group_of) = group_by_patient(&records)?;
        // Each patient's records in input order, each moved once, by the
        // patient's rank in identifier order.
        let mut groups: Vec<(String, Vec<usize>, Vec<VisitInput>)> = ids
            .into_iter()
            .map(|(id, n)| (id, Vec::with_capacity(n), Vec::with_capacity(n)))
            .collect();
        for (index, (record, g)) in records.into_iter().zip(group_of).enumerate() {
            let (_, positions, visits) = &mut groups[g];
            positions.push(index);
            visits.push(record);
        }
        // Patients in order on each thread, each chunk stopping at its first
        // failing patient: the first failing chunk in order holds the first
        // failing patient, the error a sequential build reports.
        let patients =
            parallel::try_map_owned(groups, options.threads, PATIENTS_PER_CHUNK, |chunk| {
                chunk
                    .into_iter()
                    .map(|(id, positions, visits)| {
                        match Timeline::from_indexed(positions, visits, options) {
                            Ok(t) => Ok((id, t)),
                            Err(e) => Err(Error::InPatient {
                                patient: id.into(),
                                source: Box::new(e),
                            }),
                        }
                    })
                    .collect()
            })?;
        Ok(Cohort { patients })
    }

    /// A cohort of these timelines, given in identifier order, each
    /// identifier once (the table layer's `frame::cohort`).
    pub(crate) fn from_sorted(patients: Vec<(String, Timeline)>) -> Cohort {
        debug_assert!(patients.windows(2).all(|w| w[0].0 < w[1].0));
        Cohort { patients }
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

    /// Per-patient summaries (by identifier) and the cohort summary. The
    /// patients are summarised on [`SummaryOptions::with_threads`] threads
    /// (contiguous chunks in identifier order); the report is the same for
    /// every number of threads.
    ///
    /// ```
    /// use sledai::timeline::{Cohort, SummaryOptions};
    /// let r = Cohort::default().summarize(&SummaryOptions::default());
    /// assert_eq!(r.summary.n, 0);
    /// ```
    pub fn summarize(&self, options: &SummaryOptions) -> CohortReport {
        let all = &self.patients;
        let summarized =
            parallel::try_map_ranges(all.len(), options.threads, PATIENTS_PER_CHUNK, |range| {
                Ok::<_, std::convert::Infallible>(
                    all[range]
                        .iter()
                        .map(|(id, t)| t.summary(id, options))
                        .collect(),
                )
            });
        let patients: Vec<PatientSummary> = match summarized {
            Ok(p) => p,
            Err(never) => match never {},
        };
        let summary = CohortSummary::from_patients(&patients, options);
        CohortReport { patients, summary }
    }
}
