//! One patient's timeline: the targets, the options, study days, the
//! evaluated states and the per-visit rows.

use super::*;
use crate::bilag::{BiclaInput, BiclaOptions, BiclaResult, BilagGrades};
use crate::change::{IncompletePolicy, ScoreChange, Sri, SriInput, SriOptions, SriResult};
use crate::date::Date;
use crate::error::Error;
use crate::remission_2017::Doris2017Variant;
use crate::state::TriState;
use crate::visit::{
    BaselineState, Context, Previous, VisitInput, VisitOptions, VisitResult, evaluate_in_context,
};

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
/// ([`IncompletePolicy::Range`]), and every visit is evaluated under the
/// default [`VisitOptions`] (the project's default policies). Start from
/// `default()` and use the `with_*` methods; read them back with the
/// getters of the same names. Serde: `{"duplicate_dates": false,
/// "reference_date": "2024-03-01", "incomplete": "range", "visit": {...}}`
/// (`visit` as [`VisitOptions`]), every field optional.
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
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct TimelineOptions {
    pub(super) duplicate_dates: bool,
    pub(super) reference_date: Option<Date>,
    pub(super) incomplete: IncompletePolicy,
    pub(super) visit: VisitOptions,
    /// How many threads a cohort's timelines are built on (`with_threads`,
    /// in cohort.rs); not serialized.
    #[serde(skip)]
    pub(super) threads: crate::Threads,
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

    /// Sets the reference date, study day 0 (e.g. the CAR-T infusion day),
    /// for the patients whose records give no `reference_date`.
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

    /// Sets the options every visit is evaluated under: the glucocorticoid
    /// conversion, the laboratory derivation and conflict policy, and the
    /// readings of DORIS, DORIS 2017, BILAG-2004, BICLA and SRI-k (the same
    /// options as [`crate::visit::PatientStream`]).
    ///
    /// ```
    /// use sledai::remission::{RemissionOptions, RemissionPga};
    /// use sledai::timeline::TimelineOptions;
    /// use sledai::visit::VisitOptions;
    /// let v = VisitOptions::default().with_remission(RemissionOptions::from(RemissionPga::ReviewAtMostHalf));
    /// let o = TimelineOptions::default().with_visit(v);
    /// assert_eq!(o.visit().remission().pga(), RemissionPga::ReviewAtMostHalf);
    /// ```
    #[must_use]
    pub const fn with_visit(mut self, options: VisitOptions) -> TimelineOptions {
        self.visit = options;
        self
    }

    /// The options every visit is evaluated under.
    ///
    /// ```
    /// use sledai::visit::VisitOptions;
    /// assert_eq!(sledai::timeline::TimelineOptions::default().visit(), VisitOptions::default());
    /// ```
    #[must_use]
    pub const fn visit(&self) -> VisitOptions {
        self.visit
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

/// What a timeline evaluated at one visit when it was built: the
/// assessment scored (the record's merged with the laboratory) and the
/// states of the treat-to-target rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Evaluated {
    pub(super) assessment: crate::assessment::Assessment,
    pub(super) lldas: TriState,
    pub(super) doris: TriState,
    /// DORIS 2017 clinical remission off treatment (the follow-up target
    /// [`Target::DorisOffTreatment`]).
    pub(super) doris_off_treatment: TriState,
}

/// The state of one DORIS 2017 variant at a visit, from its record and
/// the LLDAS/DORIS inputs the timeline derived for it (the rule's
/// state-only run; DORIS 2017 has no error to check).
fn doris_2017_state(
    v: &VisitInput,
    inputs: &crate::target::TargetInputs,
    variant: Doris2017Variant,
    o: &VisitOptions,
) -> TriState {
    let grades = v.bilag.unwrap_or(BilagGrades::NOT_RECORDED);
    crate::remission_2017::state_unchecked(
        inputs,
        &v.treatment(),
        &grades,
        variant,
        o.remission_2017(),
    )
}

/// A record's missing required field as the error of its position.
pub(super) fn missing_field(index: usize, field: &'static str, whole: &str) -> Error {
    Error::InBatch {
        index,
        source: Box::new(Error::InvalidValue {
            field,
            value: "null".to_owned().into(),
            reason: format!("a {whole} needs `{field}` on every visit").into(),
        }),
    }
}

/// A patient's validated visit records in date order, with a baseline, a
/// reference date (study day 0) and the LLDAS, DORIS and DORIS 2017 states
/// evaluated from each record.
///
/// ```
/// use sledai::timeline::{Timeline, TimelineOptions};
/// use sledai::visit::VisitInput;
/// use sledai::{Assessment, Date};
/// let v = |m, d| VisitInput::dated(Date::new(2024, m, d).unwrap(), Assessment::from_present([]));
/// // Duplicate dates are an error by default.
/// assert!(Timeline::new([v(3, 1), v(3, 1)], &TimelineOptions::default()).is_err());
/// // Two baseline marks are an error.
/// let marked = |m| v(m, 1).with_baseline(true);
/// assert!(Timeline::new([marked(3), marked(4)], &TimelineOptions::default()).is_err());
/// // No visits is an error; so is a record without a date.
/// assert!(Timeline::new([], &TimelineOptions::default()).is_err());
/// assert!(Timeline::new([VisitInput::new(Assessment::from_present([]))], &TimelineOptions::default()).is_err());
/// let t = Timeline::new([v(4, 1), v(3, 1)], &TimelineOptions::default())?;
/// assert_eq!(t.study_days(), &[0, 31]);
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    pub(super) visits: Vec<VisitInput>,
    pub(super) evaluated: Vec<Evaluated>,
    pub(super) days: Vec<i32>,
    pub(super) baseline: usize,
    pub(super) reference: Date,
    pub(super) options: VisitOptions,
    /// The baseline visit's result (evaluated when built).
    pub(super) baseline_result: VisitResult,
}

impl Timeline {
    /// Builds one patient's timeline from visit records: sorts them by
    /// date (stably), checks for duplicate dates, finds the baseline,
    /// counts study days from the reference date and evaluates LLDAS
    /// (criterion 2 from the previous visit), DORIS and the DORIS 2017
    /// variants at every visit under [`TimelineOptions::visit`].
    ///
    /// The reference date is the `reference_date` the records give (they
    /// must agree), else [`TimelineOptions::reference_date`], else the
    /// baseline's date. The baseline is the visit marked `baseline: true`,
    /// else the first visit not marked `baseline: false`.
    ///
    /// # Errors
    ///
    /// - [`Error::InvalidValue`] (field `visits`) when there are no visits.
    /// - [`Error::InBatch`] with the record's zero-based position in the
    ///   *input* wrapping [`Error::InvalidValue`] for a record without
    ///   `date` (value `null`), of another patient than an earlier record
    ///   (field `patient`) or with another `reference_date`; wrapping an
    ///   LLDAS input contradiction, a laboratory conflict or a dose above
    ///   the bound; and wrapping [`Error::IncompleteAssessment`] when the
    ///   policy is [`IncompletePolicy::Error`] and an assessment is
    ///   incomplete.
    /// - [`Error::InvalidValue`] (field `date`) for two visits on one date,
    ///   unless [`TimelineOptions::with_duplicate_dates`].
    /// - [`Error::InvalidValue`] (field `baseline`) when more than one visit
    ///   is marked as baseline, or every visit is marked `false`.
    ///
    /// ```
    /// use sledai::timeline::{Timeline, TimelineOptions};
    /// use sledai::visit::VisitInput;
    /// use sledai::{Assessment, Date};
    /// let v = VisitInput::dated(Date::new(2024, 3, 1)?, Assessment::from_present([]));
    /// let t = Timeline::new([v], &TimelineOptions::default())?;
    /// assert_eq!(t.visit_count(), 1);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn new<I: IntoIterator<Item = VisitInput>>(
        visits: I,
        options: &TimelineOptions,
    ) -> Result<Timeline, Error> {
        let mut patient: Option<String> = None;
        let mut records = Vec::new();
        for (index, v) in visits.into_iter().enumerate() {
            if let Some(p) = &v.patient {
                match &patient {
                    Some(first) if first != p => {
                        return Err(Error::InBatch {
                            index,
                            source: Box::new(Error::InvalidValue {
                                field: "patient",
                                value: p.clone().into(),
                                reason: format!(
                                    "a timeline is one patient's: an earlier visit is of `{first}` (build a Cohort for many patients)"
                                ).into(),
                            }),
                        });
                    }
                    Some(_) => {}
                    None => patient = Some(p.clone()),
                }
            }
            records.push(v);
        }
        let positions = (0..records.len()).collect();
        Timeline::from_indexed(positions, records, options)
    }

    /// The timeline of one patient's `records`, `positions[k]` the input
    /// position of `records[k]` (for errors); the records move once, into
    /// the timeline, and are reordered only when not already in date order.
    pub(crate) fn from_indexed(
        positions: Vec<usize>,
        records: Vec<VisitInput>,
        options: &TimelineOptions,
    ) -> Result<Timeline, Error> {
        if records.is_empty() {
            return Err(Error::InvalidValue {
                field: "visits",
                value: "0".to_owned().into(),
                reason: "a timeline needs at least one visit".to_owned().into(),
            });
        }
        let in_batch = |index: usize| {
            move |e: Error| Error::InBatch {
                index,
                source: Box::new(e),
            }
        };
        // The reference date the records give; they must agree.
        let mut reference: Option<Date> = None;
        for (index, v) in positions.iter().zip(&records) {
            if v.date.is_none() {
                return Err(missing_field(*index, "date", "timeline"));
            }
            v.check_bilag_source().map_err(in_batch(*index))?;
            match (reference, v.reference_date) {
                (Some(a), Some(b)) if a != b => {
                    return Err(Error::InBatch {
                        index: *index,
                        source: Box::new(Error::InvalidValue {
                            field: "reference_date",
                            value: b.to_string().into(),
                            reason: format!("an earlier row of this patient gives {a}").into(),
                        }),
                    });
                }
                (None, Some(b)) => reference = Some(b),
                _ => {}
            }
        }
        let date = |v: &VisitInput| v.date.unwrap_or(Date::MIN);
        // Stable: visits on one date keep their input order. Records given
        // in date order (the usual case) are not moved.
        let (positions, visits) = if records.windows(2).all(|w| date(&w[0]) <= date(&w[1])) {
            (positions, records)
        } else {
            let mut pairs: Vec<(usize, VisitInput)> = positions.into_iter().zip(records).collect();
            pairs.sort_by_key(|(_, v)| date(v));
            pairs.into_iter().unzip()
        };
        if !options.duplicate_dates {
            if let Some(w) = visits.windows(2).find(|w| date(&w[0]) == date(&w[1])) {
                let day = date(&w[0]);
                // Sorted stably, so the visits on `day` are together and
                // in input order.
                let positions: Vec<usize> = positions
                    .iter()
                    .zip(&visits)
                    .filter(|(_, v)| date(v) == day)
                    .map(|(i, _)| *i)
                    .collect();
                return Err(Error::InvalidValue {
                    field: "date",
                    value: day.to_string().into(),
                    reason: format!(
                        "{} visits are on the same date (input positions {}); \
                         allow it with TimelineOptions::with_duplicate_dates",
                        positions.len(),
                        bounded_list(&positions)
                    )
                    .into(),
                });
            }
        }
        let marked: Vec<usize> = visits
            .iter()
            .enumerate()
            .filter(|(_, v)| v.baseline == Some(true))
            .map(|(i, _)| i)
            .collect();
        if marked.len() > 1 {
            return Err(Error::InvalidValue {
                field: "baseline",
                value: marked
                    .iter()
                    .map(|&i| date(&visits[i]).to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
                    .into(),
                reason: "more than one visit is marked as baseline"
                    .to_owned()
                    .into(),
            });
        }
        // The same baseline rule as the stream: a visit marked `true`, else
        // the first visit not marked `false` (screening visits are).
        let baseline = match marked.first() {
            Some(&i) => i,
            None => visits
                .iter()
                .position(|v| v.baseline != Some(false))
                .ok_or_else(|| Error::InvalidValue {
                    field: "baseline",
                    value: "false".to_owned().into(),
                    reason: "every visit of the patient is marked `\"baseline\": false`; \
                             mark the baseline visit"
                        .to_owned()
                        .into(),
                })?,
        };
        // The states, from each record and the previous visit's assessment.
        let o = &options.visit;
        let mut evaluated = Vec::with_capacity(visits.len());
        let mut previous = None;
        for (index, v) in positions.iter().zip(&visits) {
            let (assessment, _) = v.merged_assessment(o).map_err(in_batch(*index))?;
            if options.incomplete == IncompletePolicy::Error {
                assessment.score().map_err(in_batch(*index))?;
            }
            let inputs = v
                .target_inputs_for(assessment, previous, o.conversion())
                .map_err(in_batch(*index))?;
            // The states alone, from the rules' state-only runs (no
            // criterion packed).
            let lldas = crate::lldas::state(&inputs).map_err(in_batch(*index))?;
            let doris = crate::remission::state(&inputs, o.remission());
            // Follow-up needs only the off-treatment clinical variant; the
            // endpoints read all four from their visit's result.
            let doris_off_treatment =
                doris_2017_state(v, &inputs, Doris2017Variant::ClinicalOffTreatment, o);
            evaluated.push(Evaluated {
                assessment,
                lldas,
                doris,
                doris_off_treatment,
            });
            previous = Some(assessment);
        }
        let reference = reference
            .or(options.reference_date)
            .unwrap_or(date(&visits[baseline]));
        let days: Vec<i32> = visits
            .iter()
            .map(|v| date(v).days_since(reference))
            .collect();
        // E after A-D in one patient under `bilag_grade_e = strict`.
        let mut earlier = BilagGrades::NOT_RECORDED;
        for v in &visits {
            if let Some(g) = &v.bilag {
                crate::bilag::check_pairs(&earlier, g, o.bilag().grade_e)?;
                for system in crate::bilag::BilagSystem::ALL {
                    if let Some(grade) = g.get(system) {
                        if grade != crate::bilag::BilagGrade::E {
                            earlier = earlier.with(system, Some(grade));
                        }
                    }
                }
            }
        }
        let parts = Parts {
            visits: &visits,
            evaluated: &evaluated,
            days: &days,
            baseline,
            options: o,
        };
        let baseline_result = parts.result(baseline)?;
        Ok(Timeline {
            visits,
            evaluated,
            days,
            baseline,
            reference,
            options: *o,
            baseline_result,
        })
    }

    /// The visit records in timeline (date) order.
    ///
    /// ```
    /// use sledai::timeline::{Timeline, TimelineOptions};
    /// use sledai::visit::VisitInput;
    /// use sledai::{Assessment, Date};
    /// let v = VisitInput::dated(Date::new(2024, 3, 1)?, Assessment::from_present([]));
    /// assert_eq!(Timeline::new([v.clone()], &TimelineOptions::default())?.visits(), &[v]);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn visits(&self) -> &[VisitInput] {
        &self.visits
    }

    /// The number of visits (at least 1).
    ///
    /// ```
    /// use sledai::timeline::{Timeline, TimelineOptions};
    /// use sledai::visit::VisitInput;
    /// use sledai::{Assessment, Date};
    /// let v = VisitInput::dated(Date::new(2024, 3, 1)?, Assessment::from_present([]));
    /// assert_eq!(Timeline::new([v], &TimelineOptions::default())?.visit_count(), 1);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn visit_count(&self) -> usize {
        self.visits.len()
    }

    /// The position of the baseline visit in timeline order.
    ///
    /// ```
    /// use sledai::timeline::{Timeline, TimelineOptions};
    /// use sledai::visit::VisitInput;
    /// use sledai::{Assessment, Date};
    /// let a = VisitInput::dated(Date::new(2024, 3, 1)?, Assessment::from_present([]));
    /// let b = VisitInput::dated(Date::new(2024, 3, 8)?, Assessment::from_present([])).with_baseline(true);
    /// assert_eq!(Timeline::new([a, b], &TimelineOptions::default())?.baseline_index(), 1);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn baseline_index(&self) -> usize {
        self.baseline
    }

    /// The baseline visit's record.
    ///
    /// ```
    /// use sledai::timeline::{Timeline, TimelineOptions};
    /// use sledai::visit::VisitInput;
    /// use sledai::{Assessment, Date};
    /// let a = VisitInput::dated(Date::new(2024, 3, 1)?, Assessment::from_present([]));
    /// assert_eq!(Timeline::new([a.clone()], &TimelineOptions::default())?.baseline().date, a.date);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn baseline(&self) -> &VisitInput {
        &self.visits[self.baseline]
    }

    /// The reference date: study day 0.
    ///
    /// ```
    /// use sledai::timeline::{Timeline, TimelineOptions};
    /// use sledai::visit::VisitInput;
    /// use sledai::{Assessment, Date};
    /// let d = Date::new(2024, 3, 1)?;
    /// let a = VisitInput::dated(d, Assessment::from_present([]));
    /// assert_eq!(Timeline::new([a], &TimelineOptions::default())?.reference_date(), d);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn reference_date(&self) -> Date {
        self.reference
    }

    /// The study day of each visit, in timeline order.
    ///
    /// ```
    /// use sledai::timeline::{Timeline, TimelineOptions};
    /// use sledai::visit::VisitInput;
    /// use sledai::{Assessment, Date};
    /// let a = VisitInput::dated(Date::new(2024, 2, 20)?, Assessment::from_present([]));
    /// let o = TimelineOptions::default().with_reference_date(Date::new(2024, 3, 1)?);
    /// assert_eq!(Timeline::new([a], &o)?.study_days(), &[-10]); // 2024 is a leap year
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn study_days(&self) -> &[i32] {
        &self.days
    }

    /// The state of `target` at the visit at `index` (timeline order), as
    /// the timeline evaluated it from the records; `None` when `index` is
    /// out of bounds.
    ///
    /// ```
    /// use sledai::timeline::{Target, Timeline, TimelineOptions};
    /// use sledai::visit::VisitInput;
    /// use sledai::{Assessment, Date, Pga, TriState};
    /// use sledai::glucocorticoid::PrednisoneEquivalent;
    /// let v = VisitInput::dated(Date::new(2024, 3, 1)?, Assessment::from_present([]))
    ///     .with_pga(Pga::ZERO)
    ///     .with_prednisone_equivalent(PrednisoneEquivalent::ZERO);
    /// let t = Timeline::new([v], &TimelineOptions::default())?;
    /// assert_eq!(t.state(0, Target::Doris), Some(TriState::Met));
    /// assert_eq!(t.state(0, Target::Lldas), Some(TriState::Indeterminate)); // criterion 1 inputs missing
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn state(&self, index: usize, target: Target) -> Option<TriState> {
        let e = self.evaluated.get(index)?;
        Some(match target {
            Target::Lldas => e.lldas,
            Target::Doris => e.doris,
            Target::DorisOffTreatment => e.doris_off_treatment,
        })
    }

    /// The change in SLEDAI-2K from the baseline to the visit at `index`
    /// (timeline order), also for a visit before the baseline; `None` when
    /// `index` is out of bounds.
    ///
    /// ```
    /// use sledai::timeline::{Timeline, TimelineOptions};
    /// use sledai::visit::VisitInput;
    /// use sledai::{Assessment, Date, Descriptor};
    /// let a = VisitInput::dated(Date::new(2024, 3, 1)?, Assessment::from_present([Descriptor::Rash]));
    /// let b = VisitInput::dated(Date::new(2024, 4, 1)?, Assessment::from_present([]));
    /// let t = Timeline::new([a, b], &TimelineOptions::default())?;
    /// assert_eq!(t.change_from_baseline(1).and_then(|c| c.absolute()), Some(-2));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn change_from_baseline(&self, index: usize) -> Option<ScoreChange> {
        let v = self.evaluated.get(index)?;
        Some(ScoreChange::from_ranges(
            self.evaluated[self.baseline].assessment.score_range(),
            v.assessment.score_range(),
        ))
    }

    /// The result of the visit at `index` (timeline order): the same
    /// [`VisitResult`] as [`crate::visit::PatientStream::assess`] gives for
    /// the patient's visits in date order, with the timeline's baseline and
    /// the visit's study day. `None` when `index` is out of bounds.
    ///
    /// ```
    /// use sledai::timeline::{Timeline, TimelineOptions};
    /// use sledai::visit::VisitInput;
    /// use sledai::{Assessment, Date, Descriptor};
    /// let a = VisitInput::dated(Date::new(2024, 3, 1)?, Assessment::from_present([Descriptor::LowComplement]));
    /// let t = Timeline::new([a], &TimelineOptions::default())?;
    /// let r = t.result(0).unwrap();
    /// assert_eq!((r.sledai_2k().min().get(), r.clinical_sledai_2k().min().get()), (2, 0));
    /// assert_eq!((r.study_day(), r.baseline_date()), (Some(0), r.date()));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn result(&self, index: usize) -> Option<VisitResult> {
        // `Timeline::new` evaluated every input this can reject (the
        // laboratory merge, the dose, LLDAS criterion 2 and DORIS at every
        // visit, the grades of every earlier/later pair under
        // `bilag_grade_e`), so only an index out of bounds is `None`.
        self.result_at(index).ok()
    }

    /// The assessment scored at the visit at `index` (the record's merged
    /// with its laboratory values), for the crate's datasets.
    pub(crate) fn scored_assessment(&self, index: usize) -> Option<&crate::assessment::Assessment> {
        self.evaluated.get(index).map(|e| &e.assessment)
    }

    /// The options every visit was evaluated under, for the crate's
    /// datasets.
    pub(crate) fn visit_options(&self) -> VisitOptions {
        self.options
    }

    /// The result of every visit, in timeline order.
    ///
    /// ```
    /// use sledai::timeline::{Timeline, TimelineOptions};
    /// use sledai::visit::VisitInput;
    /// use sledai::{Assessment, Date};
    /// let a = VisitInput::dated(Date::new(2024, 3, 1)?, Assessment::from_present([]));
    /// assert_eq!(Timeline::new([a], &TimelineOptions::default())?.results().count(), 1);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn results(&self) -> impl Iterator<Item = VisitResult> + '_ {
        (0..self.visits.len()).filter_map(|i| self.result(i))
    }

    /// The result at `index`, through the evaluation the stream uses.
    fn result_at(&self, index: usize) -> Result<VisitResult, Error> {
        Parts {
            visits: &self.visits,
            evaluated: &self.evaluated,
            days: &self.days,
            baseline: self.baseline,
            options: &self.options,
        }
        .result(index)
    }

    /// The visit used for an endpoint, with its position: the one closest
    /// to the target day inside the window.
    pub(crate) fn endpoint_index(&self, window: Window) -> Option<(usize, i32)> {
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
        best.map(|(_, day, i)| (i, day))
    }

    /// The visit used for an endpoint: the one closest to the target day
    /// inside the window (edges inclusive); on equal distance the earlier
    /// visit; on the same date the first in timeline order.
    ///
    /// ```
    /// use sledai::timeline::{Endpoint, Timeline, TimelineOptions, Window};
    /// use sledai::visit::VisitInput;
    /// use sledai::{Assessment, Date};
    /// let day0 = Date::new(2024, 1, 1)?;
    /// let v = |d| VisitInput::dated(day0.checked_add_days(d).unwrap(), Assessment::from_present([]));
    /// let t = Timeline::new([v(0), v(84), v(96)], &TimelineOptions::default())?;
    /// // 84 and 96 are both 6 days from 90: the earlier is used.
    /// let Endpoint::Visit(e) = t.endpoint(Window::new(90, 14)) else { unreachable!() };
    /// assert_eq!((e.visit.study_day(), e.offset_days), (Some(84), -6));
    /// assert!(matches!(t.endpoint(Window::new(360, 30)), Endpoint::NoVisitInWindow { .. }));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn endpoint(&self, window: Window) -> Endpoint {
        // `result` cannot fail on a built timeline (see `Timeline::result`).
        match self
            .endpoint_index(window)
            .and_then(|(i, day)| Some((day, self.result(i)?)))
        {
            Some((day, visit)) => Endpoint::Visit(Box::new(EndpointVisit {
                window,
                offset_days: day - window.target_day,
                visit,
            })),
            None => Endpoint::NoVisitInWindow { window },
        }
    }

    /// The follow-up sequence of `target` states: `(study day, state)` for
    /// every visit from the baseline on.
    ///
    /// ```
    /// use sledai::timeline::{Target, Timeline, TimelineOptions};
    /// use sledai::visit::VisitInput;
    /// use sledai::glucocorticoid::PrednisoneEquivalent;
    /// use sledai::{Assessment, Date, Pga, TriState};
    /// // A quiet visit in DORIS remission: PGA 0, no glucocorticoid.
    /// let a = VisitInput::dated(Date::new(2024, 3, 1)?, Assessment::from_present([]))
    ///     .with_pga(Pga::ZERO)
    ///     .with_prednisone_equivalent(PrednisoneEquivalent::ZERO);
    /// let t = Timeline::new([a], &TimelineOptions::default())?;
    /// assert_eq!(t.follow_up(Target::Doris).collect::<Vec<_>>(), [(0, TriState::Met)]);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn follow_up(&self, target: Target) -> impl Iterator<Item = (i32, TriState)> + '_ {
        (self.baseline..self.visits.len()).map(move |i| {
            let state = self.state(i, target).unwrap_or(TriState::Indeterminate);
            (self.days[i], state)
        })
    }

    /// Time in `target` over follow-up ([`time_in_state`] on
    /// [`Timeline::follow_up`]).
    ///
    /// ```
    /// use sledai::timeline::{TimeAttribution, Target, Timeline, TimelineOptions};
    /// use sledai::visit::VisitInput;
    /// use sledai::glucocorticoid::PrednisoneEquivalent;
    /// use sledai::{Assessment, Date, Pga};
    /// // DORIS remission decided by the PGA (no glucocorticoid, no activity).
    /// let v = |m, pga: f64| {
    ///     VisitInput::dated(Date::new(2024, m, 1).unwrap(), Assessment::from_present([]))
    ///         .with_pga(Pga::new(pga).unwrap())
    ///         .with_prednisone_equivalent(PrednisoneEquivalent::ZERO)
    /// };
    /// let t = Timeline::new([v(1, 0.0), v(2, 2.0)], &TimelineOptions::default())?;
    /// assert_eq!(t.time_in(Target::Doris, TimeAttribution::CarryForward).fraction_of_time, Some(1.0));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn time_in(&self, target: Target, rule: TimeAttribution) -> TimeInState {
        TimeAccumulator::run(self.follow_up(target), rule)
    }

    /// Time in `target`, its longest run, whether it was ever met and on
    /// which study day first, over follow-up ([`summarize_state`]).
    ///
    /// ```
    /// use sledai::timeline::{TimeAttribution, Target, Timeline, TimelineOptions};
    /// use sledai::visit::VisitInput;
    /// use sledai::glucocorticoid::PrednisoneEquivalent;
    /// use sledai::{Assessment, Date, Pga, TriState};
    /// let v = |m, pga: f64| {
    ///     VisitInput::dated(Date::new(2024, m, 1).unwrap(), Assessment::from_present([]))
    ///         .with_pga(Pga::new(pga).unwrap())
    ///         .with_prednisone_equivalent(PrednisoneEquivalent::ZERO)
    /// };
    /// let t = Timeline::new([v(1, 2.0), v(2, 0.0)], &TimelineOptions::default())?;
    /// let s = t.state_summary(Target::Doris, TimeAttribution::CarryForward, None);
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

    /// The SRI-k options with the BILAG-2004 policies of the visit options.
    fn sri_options(&self) -> SriOptions {
        self.options.sri().with_bilag(self.options.bilag())
    }

    /// The BICLA options with the BILAG-2004 policies of the visit options.
    fn bicla_options(&self) -> BiclaOptions {
        self.options.bicla().with_bilag(self.options.bilag())
    }

    /// SRI-k at the visit at `index` against the baseline: the SLEDAI-2K
    /// change, the baseline and visit PGAs, and the visit's BILAG part.
    /// `None` when `index` is out of bounds.
    ///
    /// ```
    /// use sledai::change::Sri;
    /// use sledai::timeline::{Timeline, TimelineOptions};
    /// use sledai::visit::VisitInput;
    /// use sledai::{Assessment, Date, Descriptor, Pga, TriState};
    /// let a = VisitInput::dated(Date::new(2024, 3, 1)?, Assessment::from_present([Descriptor::Arthritis]))
    ///     .with_pga(Pga::new(1.0)?);
    /// let b = VisitInput::dated(Date::new(2024, 6, 1)?, Assessment::from_present([]))
    ///     .with_pga(Pga::new(0.5)?)
    ///     .with_new_bilag_a(0)
    ///     .with_new_bilag_b(0);
    /// let t = Timeline::new([a, b], &TimelineOptions::default())?;
    /// assert_eq!(t.sri(1, Sri::SRI_4).unwrap().state(), TriState::Met);
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
            input
                .with_baseline_grades(b.bilag.unwrap_or(none))
                .with_visit_grades(v.bilag.unwrap_or(none))
        } else {
            input
                .with_new_bilag_a(v.new_bilag_a)
                .with_new_bilag_b(v.new_bilag_b)
        };
        // `Timeline::new` checked the grades under `bilag_grade_e`.
        crate::change::evaluate_sri(&input, sri, self.sri_options()).ok()
    }

    /// BICLA at the visit at `index` against the baseline
    /// ([`crate::bilag::evaluate_bicla`]); `None` at and before the baseline.
    ///
    /// ```
    /// use sledai::bilag::{BilagGrade::*, BilagGrades, BilagSystem::*};
    /// use sledai::timeline::{Timeline, TimelineOptions};
    /// use sledai::visit::VisitInput;
    /// use sledai::{Assessment, Date, Pga, TriState};
    /// let a = VisitInput::dated(Date::new(2024, 3, 1)?, Assessment::from_present([]))
    ///     .with_pga(Pga::new(1.0)?)
    ///     .with_bilag(BilagGrades::all(E).with(Renal, Some(A)));
    /// let b = VisitInput::dated(Date::new(2024, 6, 1)?, Assessment::from_present([]))
    ///     .with_pga(Pga::new(1.0)?)
    ///     .with_bilag(BilagGrades::all(E).with(Renal, Some(C)))
    ///     .with_treatment_failure(false);
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
        let input = BiclaInput::new(ScoreChange::from_ranges(
            self.evaluated[self.baseline].assessment.score_range(),
            self.evaluated[index].assessment.score_range(),
        ))
        .with_baseline_grades(b.bilag.unwrap_or(none))
        .with_visit_grades(v.bilag.unwrap_or(none))
        .with_baseline_pga(b.pga)
        .with_visit_pga(v.pga)
        .with_treatment_failure(v.treatment_failure);
        // `Timeline::new` checked the grades under `bilag_grade_e`.
        crate::bilag::evaluate_bicla(&input, self.bicla_options()).ok()
    }

    /// The responses of issue 14 at the visit at `index`, read from its
    /// result (BICLA and SRI-k after the baseline only), so that they are
    /// the visit result's by construction.
    fn responses(&self, index: usize, result: &VisitResult) -> Option<Responses> {
        let e = self.evaluated.get(index)?;
        let sri = |k: usize| result.sri(Sri::ALL[k - 4]).map(|s| s.state());
        let bicla = result.bicla().map(|b| b.state());
        let sri_4 = sri(4);
        // In `Doris2017Variant::ALL` order, all four.
        let d = |k: usize| result.doris_2017(Doris2017Variant::ALL[k]).state();
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
            lldas_bicla: bicla.map(|b| e.lldas.and(b)),
            lldas_sri_4: sri_4.map(|s| e.lldas.and(s)),
            doris_2017_clinical_on_treatment: d(0),
            doris_2017_complete_on_treatment: d(1),
            doris_2017_clinical_off_treatment: d(2),
            doris_2017_complete_off_treatment: d(3),
        })
    }

    /// The per-patient summary: baseline, endpoints with SRI-4, time in
    /// LLDAS and DORIS, and screening of the first visit.
    ///
    /// ```
    /// use sledai::timeline::{SummaryOptions, Timeline, TimelineOptions, Window};
    /// use sledai::visit::VisitInput;
    /// use sledai::{Assessment, Date};
    /// let a = VisitInput::dated(Date::new(2024, 3, 1)?, Assessment::from_present([]));
    /// let t = Timeline::new([a], &TimelineOptions::default())?;
    /// let s = t.summary("P1", &SummaryOptions::new([Window::new(90, 14)]));
    /// assert_eq!((s.patient.as_str(), s.visits, s.endpoints.len()), ("P1", 1, 1));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn summary(&self, patient: &str, options: &SummaryOptions) -> PatientSummary {
        let endpoints = options
            .windows
            .iter()
            .map(|&window| {
                let found = self
                    .endpoint_index(window)
                    .and_then(|(i, day)| Some((i, day, self.result(i)?)));
                let (sri4, responses) = match &found {
                    // SRI-4 from the result after the baseline; at or
                    // before it, against the baseline all the same.
                    Some((i, _, r)) => (
                        r.sri(Sri::SRI_4).or_else(|| self.sri(*i, Sri::SRI_4)),
                        self.responses(*i, r),
                    ),
                    None => (None, None),
                };
                let endpoint = match found {
                    Some((_, day, visit)) => Endpoint::Visit(Box::new(EndpointVisit {
                        window,
                        offset_days: day - window.target_day,
                        visit,
                    })),
                    None => Endpoint::NoVisitInWindow { window },
                };
                PatientEndpoint {
                    endpoint,
                    sri4,
                    responses,
                }
            })
            .collect();
        PatientSummary {
            patient: patient.to_owned(),
            visits: self.visits.len(),
            reference_date: self.reference,
            screening: options
                .screening_threshold
                .map(|t| screen(&self.evaluated[0].assessment, t)),
            baseline: self.baseline_result.clone(),
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

/// What a visit's result is computed from, borrowed from a timeline (or
/// from the parts of one being built).
struct Parts<'a> {
    visits: &'a [VisitInput],
    evaluated: &'a [Evaluated],
    days: &'a [i32],
    baseline: usize,
    options: &'a VisitOptions,
}

impl Parts<'_> {
    /// The result at `index`, through the evaluation the stream uses
    /// ([`evaluate_in_context`]).
    fn result(&self, index: usize) -> Result<VisitResult, Error> {
        let Some(v) = self.visits.get(index) else {
            return Err(Error::InvalidValue {
                field: "index",
                value: index.to_string().into(),
                reason: format!("the timeline has {} visits", self.visits.len()).into(),
            });
        };
        let (assessment, lab_conflicts) = v.merged_assessment(self.options)?;
        let previous = index.checked_sub(1).map(|p| Previous {
            assessment: self.evaluated[p].assessment,
            grades: self.visits[p].bilag,
        });
        let baseline = (index >= self.baseline).then(|| {
            BaselineState::of(
                &self.visits[self.baseline],
                self.evaluated[self.baseline].assessment,
            )
        });
        let context = Context {
            assessment,
            lab_conflicts,
            previous,
            baseline,
            after_baseline: index > self.baseline,
            study_day: Some(self.days[index]),
        };
        evaluate_in_context(v, context, self.options)
    }
}
