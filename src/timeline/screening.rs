//! Screening on SLEDAI-2K (a trial's entry threshold).

use crate::assessment::Assessment;
use crate::score::{Score, ScoreRange};
use crate::state::TriState;

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
