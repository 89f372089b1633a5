//! One patient's timeline: the targets, the options, study days, the
//! evaluated states and the per-visit rows.

use super::*;
use crate::bilag::{BiclaInput, BiclaOptions, BiclaResult, BilagGrades};
use crate::change::{IncompletePolicy, ScoreChange, Sri, SriInput, SriOptions, SriResult};
use crate::date::Date;
use crate::error::Error;
use crate::pga::Pga;
use crate::remission::RemissionOptions;
use crate::remission_2017::Remission2017Options;
use crate::score::ScoreRange;
use crate::state::TriState;

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
    pub(super) duplicate_dates: bool,
    pub(super) reference_date: Option<Date>,
    pub(super) incomplete: IncompletePolicy,
    pub(super) bicla: BiclaOptions,
    pub(super) sri: SriOptions,
    pub(super) remission: RemissionOptions,
    pub(super) remission_2017: Remission2017Options,
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
    pub(super) visits: Vec<Visit>,
    pub(super) days: Vec<i32>,
    pub(super) baseline: usize,
    pub(super) reference: Date,
    pub(super) bicla: BiclaOptions,
    pub(super) sri: SriOptions,
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

    pub(super) fn from_indexed(
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
        let input = BiclaInput::new(ScoreChange::from_ranges(
            b.assessment.score_range(),
            v.assessment.score_range(),
        ))
        .with_baseline_grades(b.bilag.unwrap_or(none))
        .with_visit_grades(v.bilag.unwrap_or(none))
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
            Some(self.sri(index, s)?.state())
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
