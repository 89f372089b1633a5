//! The change of a SLEDAI-2K total between two assessments
//! ([`ScoreChange`], [`Measure`], [`IncompletePolicy`]), public as
//! `sledai::change::*`.
//!
//! A module of its own below both `change` (SRI-k) and `bilag` (BICLA rule
//! 3), which read it, so that neither depends on the other through it
//! (`tests/it/structure.rs` keeps the module graph acyclic).

use crate::assessment::Assessment;
use crate::error::Error;
use crate::score::{Score, ScoreRange};
use crate::state::TriState;

/// Which total a change is computed on.
///
/// ```
/// use sledai::change::{Measure, ScoreChange, IncompletePolicy};
/// use sledai::{Assessment, Descriptor};
/// let base = Assessment::from_present([Descriptor::Arthritis, Descriptor::LowComplement]);
/// let now = Assessment::from_present([Descriptor::LowComplement]);
/// let c = ScoreChange::between(&base, &now, Measure::ClinicalSledai, IncompletePolicy::Range)?;
/// assert_eq!(c.absolute(), Some(-4));
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Measure {
    /// The SLEDAI-2K total, 0-105 (Gladman 2002).
    #[default]
    Sledai2k,
    /// The clinical SLEDAI total, 0-101: SLEDAI-2K without the two
    /// serology descriptors.
    ClinicalSledai,
}

/// What to do when an assessment is incomplete.
///
/// ```
/// use sledai::change::{IncompletePolicy, Measure, ScoreChange};
/// use sledai::Assessment;
/// let empty = Assessment::not_assessed();
/// let full = Assessment::from_present([]);
/// assert!(ScoreChange::between(&empty, &full, Measure::Sledai2k, IncompletePolicy::Error).is_err());
/// let r = ScoreChange::between(&empty, &full, Measure::Sledai2k, IncompletePolicy::Range)?;
/// assert_eq!((r.min(), r.max()), (-105, 0));
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum IncompletePolicy {
    /// The change is the range between the extreme completions (default).
    #[default]
    Range,
    /// An incomplete assessment is an [`Error::IncompleteAssessment`].
    Error,
}

/// The change in a total from a baseline to a follow-up assessment.
///
/// Both totals are [`ScoreRange`]s (exact for complete assessments), so
/// the change is a range of whole points, `min()..=max()`. Follow-up minus
/// baseline: negative is improvement.
///
/// Serializes as `{"baseline": {"min", "max"}, "follow_up": {"min",
/// "max"}, "absolute_min", "absolute_max", "absolute", "percent"}`, where
/// `absolute` and `percent` are `null` unless defined.
///
/// # Example
///
/// ```
/// use sledai::change::ScoreChange;
/// use sledai::{Score, TriState};
/// let c = ScoreChange::from_scores(Score::new(10)?, Score::new(4)?);
/// assert_eq!(c.absolute(), Some(-6));
/// assert_eq!(c.percent(), Some(-60.0));
/// assert_eq!(c.reduction_reaches(4), TriState::Met);
/// assert_eq!(c.reversed().absolute(), Some(6));
/// // Baseline 0: percent change is undefined, never 0 or infinite.
/// assert_eq!(ScoreChange::from_scores(Score::ZERO, Score::new(4)?).percent(), None);
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ScoreChange {
    pub(crate) baseline: ScoreRange,
    pub(crate) follow_up: ScoreRange,
}

impl ScoreChange {
    /// The change between two exact totals.
    ///
    /// ```
    /// use sledai::change::ScoreChange;
    /// use sledai::Score;
    /// assert_eq!(ScoreChange::from_scores(Score::new(4)?, Score::new(6)?).absolute(), Some(2));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn from_scores(baseline: Score, follow_up: Score) -> ScoreChange {
        ScoreChange {
            baseline: ScoreRange::new(baseline, baseline),
            follow_up: ScoreRange::new(follow_up, follow_up),
        }
    }

    /// The change between two total ranges (incomplete assessments).
    ///
    /// ```
    /// use sledai::change::ScoreChange;
    /// use sledai::{Assessment, Descriptor, Finding};
    /// let base = Assessment::from_present([Descriptor::Arthritis]); // 4
    /// let now = Assessment::from_present([]).with(Descriptor::Rash, Finding::NotAssessed); // 0 to 2
    /// let c = ScoreChange::from_ranges(base.score_range(), now.score_range());
    /// assert_eq!((c.min(), c.max()), (-4, -2));
    /// assert_eq!(c.absolute(), None);
    /// ```
    pub const fn from_ranges(baseline: ScoreRange, follow_up: ScoreRange) -> ScoreChange {
        ScoreChange {
            baseline,
            follow_up,
        }
    }

    /// The change between two assessments on `measure`.
    ///
    /// # Errors
    ///
    /// With [`IncompletePolicy::Error`], [`Error::IncompleteAssessment`]
    /// when either assessment lacks a descriptor the measure needs (the
    /// baseline is checked first). With [`IncompletePolicy::Range`] it never
    /// fails.
    ///
    /// ```
    /// use sledai::change::{IncompletePolicy, Measure, ScoreChange};
    /// use sledai::{Assessment, Descriptor};
    /// let base = Assessment::from_present([Descriptor::Proteinuria, Descriptor::Arthritis]);
    /// let now = Assessment::from_present([Descriptor::Arthritis]);
    /// let c = ScoreChange::between(&base, &now, Measure::Sledai2k, IncompletePolicy::Error)?;
    /// assert_eq!(c.absolute(), Some(-4));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn between(
        baseline: &Assessment,
        follow_up: &Assessment,
        measure: Measure,
        policy: IncompletePolicy,
    ) -> Result<ScoreChange, Error> {
        let range = |a: &Assessment| match measure {
            Measure::Sledai2k => a.score_range(),
            Measure::ClinicalSledai => a.clinical_score_range(),
        };
        if policy == IncompletePolicy::Error {
            for a in [baseline, follow_up] {
                match measure {
                    Measure::Sledai2k => a.score()?,
                    Measure::ClinicalSledai => a.clinical_score()?,
                };
            }
        }
        Ok(ScoreChange::from_ranges(range(baseline), range(follow_up)))
    }

    /// The baseline total (range).
    ///
    /// ```
    /// use sledai::change::ScoreChange;
    /// use sledai::Score;
    /// let c = ScoreChange::from_scores(Score::new(8)?, Score::ZERO);
    /// assert_eq!(c.baseline().min().get(), 8);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn baseline(self) -> ScoreRange {
        self.baseline
    }

    /// The follow-up total (range).
    ///
    /// ```
    /// use sledai::change::ScoreChange;
    /// use sledai::Score;
    /// let c = ScoreChange::from_scores(Score::new(8)?, Score::ZERO);
    /// assert_eq!(c.follow_up().max().get(), 0);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn follow_up(self) -> ScoreRange {
        self.follow_up
    }

    /// Whether both totals are exact, so the change is one number.
    ///
    /// ```
    /// use sledai::change::ScoreChange;
    /// use sledai::Score;
    /// assert!(ScoreChange::from_scores(Score::ZERO, Score::ZERO).is_exact());
    /// ```
    pub const fn is_exact(self) -> bool {
        self.baseline.is_exact() && self.follow_up.is_exact()
    }

    /// The smallest (most improved) change any completion gives:
    /// `follow_up.min - baseline.max`.
    ///
    /// ```
    /// use sledai::change::ScoreChange;
    /// use sledai::Score;
    /// assert_eq!(ScoreChange::from_scores(Score::new(6)?, Score::new(2)?).min(), -4);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn min(self) -> i16 {
        self.follow_up.min().get() as i16 - self.baseline.max().get() as i16
    }

    /// The largest (most worsened) change any completion gives:
    /// `follow_up.max - baseline.min`.
    ///
    /// ```
    /// use sledai::change::ScoreChange;
    /// use sledai::Score;
    /// assert_eq!(ScoreChange::from_scores(Score::new(6)?, Score::new(2)?).max(), -4);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn max(self) -> i16 {
        self.follow_up.max().get() as i16 - self.baseline.min().get() as i16
    }

    /// The absolute change, follow-up minus baseline, when both totals are
    /// exact; `None` for a range.
    ///
    /// ```
    /// use sledai::change::ScoreChange;
    /// use sledai::Score;
    /// assert_eq!(ScoreChange::from_scores(Score::new(2)?, Score::new(6)?).absolute(), Some(4));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn absolute(self) -> Option<i16> {
        if self.is_exact() {
            Some(self.min())
        } else {
            None
        }
    }

    /// The percent change, `100 x change / baseline`, when both totals are
    /// exact and the baseline is above 0; `None` otherwise (undefined,
    /// never reported as 0 or infinity; `docs/reference.md` section 4).
    ///
    /// ```
    /// use sledai::change::ScoreChange;
    /// use sledai::Score;
    /// assert_eq!(ScoreChange::from_scores(Score::new(8)?, Score::new(2)?).percent(), Some(-75.0));
    /// assert_eq!(ScoreChange::from_scores(Score::ZERO, Score::ZERO).percent(), None);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn percent(self) -> Option<f64> {
        let change = self.absolute()?;
        let base = self.baseline.min().get();
        if base == 0 {
            return None;
        }
        Some(100.0 * f64::from(change) / f64::from(base))
    }

    /// Whether the reduction (baseline minus follow-up) is at least `k`
    /// points: met when every completion reaches it, not met when none
    /// does, indeterminate otherwise. `k = 4` is the SLEDAI component of
    /// SRI-4 (Furie 2009).
    ///
    /// ```
    /// use sledai::change::ScoreChange;
    /// use sledai::{Score, TriState};
    /// let c = ScoreChange::from_scores(Score::new(10)?, Score::new(7)?);
    /// assert_eq!(c.reduction_reaches(3), TriState::Met);
    /// assert_eq!(c.reduction_reaches(4), TriState::NotMet);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn reduction_reaches(self, k: u8) -> TriState {
        let k = k as i16;
        // reduction = -change; its smallest value is -max(), its largest -min().
        if -self.max() >= k {
            TriState::Met
        } else if -self.min() < k {
            TriState::NotMet
        } else {
            TriState::Indeterminate
        }
    }

    /// The change in the other direction (follow-up as baseline):
    /// `reversed().min() == -max()` and `reversed().max() == -min()`.
    ///
    /// ```
    /// use sledai::change::ScoreChange;
    /// use sledai::Score;
    /// let c = ScoreChange::from_scores(Score::new(9)?, Score::new(3)?);
    /// assert_eq!(c.reversed().absolute(), Some(6));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub const fn reversed(self) -> ScoreChange {
        ScoreChange {
            baseline: self.follow_up,
            follow_up: self.baseline,
        }
    }
}

#[derive(serde::Serialize)]
struct ChangeRepr {
    baseline: ScoreRange,
    follow_up: ScoreRange,
    absolute_min: i16,
    absolute_max: i16,
    absolute: Option<i16>,
    percent: Option<f64>,
}

impl serde::Serialize for ScoreChange {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        ChangeRepr {
            baseline: self.baseline,
            follow_up: self.follow_up,
            absolute_min: self.min(),
            absolute_max: self.max(),
            absolute: self.absolute(),
            percent: self.percent(),
        }
        .serialize(s)
    }
}
