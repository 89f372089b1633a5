//! Time in a state between visits, sustained runs and their summary, over
//! any `(study day, TriState)` sequence.

use crate::error::Error;
use crate::state::TriState;

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

pub(super) struct TimeAccumulator {
    pub(super) met: f64,
    pub(super) not_met: f64,
    pub(super) indeterminate: f64,
    pub(super) counts: [usize; 3],
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
    pub(super) fn run<I: IntoIterator<Item = (i32, TriState)>>(
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
/// [`Date`](crate::Date), so every study day computed from two dates is in
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
pub(super) fn check_sorted(points: &[(i32, TriState)]) -> Result<(), Error> {
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
            value: w[1].0.to_string().into(),
            reason: format!("study days must not decrease (previous day {})", w[0].0).into(),
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

pub(super) fn longest_run<I: Iterator<Item = (i32, bool)>>(points: I) -> Option<Run> {
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
    pub(super) fn from_sorted(points: &[(i32, TriState)], required_days: Option<u32>) -> Sustained {
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
    pub(super) fn from_sorted<I: IntoIterator<Item = (i32, TriState)>>(
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
