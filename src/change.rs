//! Change between two assessments, and the SLE Responder Index (SRI-k).
//!
//! This module owns [`ScoreChange`] (the change in a SLEDAI-2K or clinical
//! SLEDAI total from a baseline to a follow-up assessment), the policy for
//! incomplete assessments ([`IncompletePolicy`]), and the SRI-k responder
//! rule ([`evaluate_sri`], [`Sri`], [`SriInput`], [`SriResult`],
//! [`SriOptions`]), with the
//! BILAG part from BILAG-2004 grades when given (`docs/reference.md`
//! section 9.6; litifilimab NCT04895241).
//!
//! # Definitions (`docs/reference.md` section 4)
//!
//! - Absolute change = follow-up total - baseline total; a negative change
//!   is an improvement.
//! - Percent change = 100 x change / baseline; undefined (`None`, never 0
//!   or infinity) when the baseline is 0.
//! - For incomplete assessments the totals are ranges
//!   ([`crate::ScoreRange`]), and so is the change: from
//!   `follow_up.min - baseline.max` to `follow_up.max - baseline.min`. A
//!   question about it (does the reduction reach k points?) is three-valued.
//!   [`IncompletePolicy::Error`] refuses incomplete assessments instead.
//! - SRI-k (Furie RA et al., Arthritis Rheum 2009;61:1143-51): SLEDAI
//!   reduction of at least k points from baseline, no new BILAG A organ
//!   domain score, at most one new BILAG B, and no worsening of the PGA
//!   (an increase of 0.3 or more on the 0-3 scale is worsening). SRI-4 is
//!   the published index; SRI-5 to SRI-8 raise the reduction (secondary
//!   sources). This crate accepts k = 4 to 8 only. The PGA comparison is
//!   exact in tenths ([`crate::Pga::tenths`]).
//!
//! # Example
//!
//! ```
//! use sledai::change::{evaluate_sri, ScoreChange, Sri, SriInput, SriOptions};
//! use sledai::{Pga, Score, TriState};
//!
//! let change = ScoreChange::from_scores(Score::new(12)?, Score::new(4)?);
//! assert_eq!(change.absolute(), Some(-8));
//! assert_eq!(change.percent(), Some(-66.66666666666667));
//!
//! let input = SriInput::new(change)
//!     .with_new_bilag_a(Some(0))
//!     .with_new_bilag_b(Some(1))
//!     .with_baseline_pga(Some(Pga::new(1.5)?))
//!     .with_visit_pga(Some(Pga::new(1.7)?));
//! let sri4 = evaluate_sri(&input, Sri::SRI_4, SriOptions::default())?;
//! assert_eq!(sri4.state(), TriState::Met);
//! # Ok::<(), sledai::Error>(())
//! ```

use crate::bilag::{
    BiclaBaselineActivity, BilagGrades, BilagOptions, GradeFacts, GradeRule, PgaChangeFacts,
    PgaRule, check_pairs,
};
use crate::error::Error;
use crate::pga::Pga;

use crate::state::TriState;
use crate::vocabulary::vocabulary;
use std::fmt;

pub use crate::score_change::{IncompletePolicy, Measure, ScoreChange};

/// The SLE Responder Index with a reduction threshold of `k` points:
/// SRI-4 (Furie 2009) to SRI-8.
///
/// `k` outside 4..=8 is rejected: SRI-4 is the published, validated index;
/// SRI-5 to SRI-8 are its published variants (`docs/reference.md`
/// section 4). A bare "reduction of at least k points" for any other `k` is
/// [`ScoreChange::reduction_reaches`].
///
/// ```
/// use sledai::change::Sri;
/// assert_eq!(Sri::new(6)?.k(), 6);
/// assert!(Sri::new(3).is_err());
/// assert!(Sri::new(9).is_err());
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sri(u8);

impl Sri {
    /// SRI-4 (Furie 2009).
    ///
    /// ```
    /// assert_eq!(sledai::change::Sri::SRI_4.k(), 4);
    /// ```
    pub const SRI_4: Sri = Sri(4);

    /// SRI-4 to SRI-8, in order: the thresholds a visit result reports
    /// ([`crate::visit::VisitResult::sri`]).
    ///
    /// ```
    /// use sledai::change::Sri;
    /// let ks: Vec<u8> = Sri::ALL.iter().map(|s| s.k()).collect();
    /// assert_eq!(ks, [4, 5, 6, 7, 8]);
    /// ```
    pub const ALL: [Sri; 5] = [Sri(4), Sri(5), Sri(6), Sri(7), Sri(8)];

    /// SRI-k for k = 4 to 8.
    ///
    /// # Errors
    ///
    /// [`Error::OutOfRange`] (field `sri_k`) for k outside 4..=8.
    ///
    /// ```
    /// assert_eq!(sledai::change::Sri::new(8)?.k(), 8);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn new(k: u8) -> Result<Sri, Error> {
        if k < 4 || k > 8 {
            return Err(Error::OutOfRange {
                field: "sri_k",
                value: k as f64,
                min: 4.0,
                max: 8.0,
            });
        }
        Ok(Sri(k))
    }

    /// The reduction threshold k.
    ///
    /// ```
    /// assert_eq!(sledai::change::Sri::SRI_4.k(), 4);
    /// ```
    pub const fn k(self) -> u8 {
        self.0
    }
}

/// Evaluates SRI-k (`sri`: [`Sri::SRI_4`] or [`Sri::new`]) at a follow-up
/// visit: the conjunction ([`TriState::all`]) of its four components, each
/// reported with its reason.
///
/// - `sledai`: reduction >= k ([`ScoreChange::reduction_reaches`]); a
///   baseline below k makes the reduction unreachable: not met, saying
///   so.
/// - `bilag_a`: no new BILAG A (count 0); `None` is indeterminate.
/// - `bilag_b`: at most one new BILAG B; `None` is indeterminate.
/// - `pga`: no worsening, i.e. follow-up minus baseline below 3 tenths
///   (an increase of 0.3 or more is worsening). A missing PGA is any
///   tenth 0.0-3.0: met when no value could make it worsen (baseline
///   2.8, follow-up missing), indeterminate when some could.
/// - `treatment_failure`: `true` fails; missing has no effect under the
///   default `sri_treatment_failure = when_given`.
///
/// `options` ([`SriOptions`], or one policy such as
/// [`SriTreatmentFailure::Required`]) holds the policies
/// `sri_treatment_failure`, `bilag_new_b` and `bilag_grade_e`. With grades
/// ([`SriInput::with_baseline_grades`], [`SriInput::with_visit_grades`]) the BILAG part is computed from them
/// (`docs/reference.md` section 9.6), jointly over the completions of the
/// unrecorded grades; otherwise it is the caller's counts
/// ([`SriInput::with_new_bilag_a`], [`SriInput::with_new_bilag_b`]).
///
/// The crate's calling convention: the input by reference, then which
/// member of the family (`sri`, by value), then the options last.
///
/// # Errors
///
/// [`Error::InvalidValue`] (field `bilag.<system>`) under `bilag_grade_e = strict`.
///
/// ```
/// use sledai::bilag::{BilagGrade::*, BilagGrades, BilagSystem::*};
/// use sledai::change::{evaluate_sri, ScoreChange, Sri, SriCriterion, SriInput, SriOptions, SriTreatmentFailure};
/// use sledai::{Pga, Score, TriState};
///
/// let input = SriInput::new(ScoreChange::from_scores(Score::new(10)?, Score::new(6)?))
///     .with_new_bilag_a(Some(0))
///     .with_new_bilag_b(Some(0))
///     .with_baseline_pga(Some(Pga::new(1.5)?))
///     .with_visit_pga(Some(Pga::new(1.8)?)); // +0.3: worsening
/// let r = evaluate_sri(&input, Sri::SRI_4, SriOptions::default())?;
/// assert_eq!(r.criterion(SriCriterion::Sledai).state(), TriState::Met);
/// assert_eq!(r.criterion(SriCriterion::Pga).state(), TriState::NotMet);
/// assert_eq!(r.state(), TriState::NotMet);
///
/// let base = BilagGrades::all(E).with(Renal, Some(A));
/// let now = BilagGrades::all(E).with(Renal, Some(C)).with(Mucocutaneous, Some(B));
/// let input = SriInput::new(ScoreChange::from_scores(Score::new(12)?, Score::new(4)?))
///     .with_baseline_grades(base)
///     .with_visit_grades(now) // one new B: allowed
///     .with_baseline_pga(Some(Pga::new(2.8)?)); // cannot rise by 0.3: met
/// let r = evaluate_sri(&input, Sri::SRI_4, SriOptions::default())?;
/// assert_eq!(r.criterion(SriCriterion::Pga).state(), TriState::Met);
/// assert_eq!(r.state(), TriState::Met);
/// let strict = evaluate_sri(&input, Sri::SRI_4, SriTreatmentFailure::Required)?;
/// assert_eq!(strict.state(), TriState::Indeterminate);
/// # Ok::<(), sledai::Error>(())
/// ```
pub fn evaluate_sri(
    input: &SriInput,
    sri: Sri,
    options: impl Into<SriOptions>,
) -> Result<SriResult, Error> {
    let options = options.into();
    if let Some((b, v)) = input.grades() {
        check_pairs(&b, &v, options.bilag.grade_e)?;
    }
    Ok(sri.evaluate_unchecked(input, &options))
}

/// The components of SRI-k that do not depend on k (BILAG, PGA, treatment
/// failure): decided once for SRI-4 to SRI-8 at a visit. Each is a `Copy`
/// component holding its facts; no text is built here.
#[derive(Clone, Copy)]
struct SriCommon {
    bilag_a: SriComponent,
    bilag_b: SriComponent,
    bilag_joint: TriState,
    pga: SriComponent,
    treatment_failure: SriComponent,
}

impl SriCommon {
    /// The conjunction of SRI-k: the SLEDAI-2K component's state, the
    /// BILAG part (new A and new B jointly), the PGA and treatment failure.
    fn state_with(&self, sledai: TriState) -> TriState {
        TriState::all([
            sledai,
            self.bilag_joint,
            self.pga.state,
            self.treatment_failure.state,
        ])
    }

    /// The BILAG part from the visit's grades: one programme over the
    /// completions, read by three rules (no new A, at most one new B, and
    /// both jointly).
    fn grade_facts(baseline: BilagGrades, visit: BilagGrades, options: &SriOptions) -> GradeFacts {
        GradeFacts::new(
            baseline,
            visit,
            GradeRule::NoNewFlare,
            options.bilag,
            BiclaBaselineActivity::default(),
        )
    }

    /// The PGA component's facts.
    const fn pga_facts(input: &SriInput) -> SriFacts {
        SriFacts::Pga(PgaChangeFacts {
            baseline: input.pga_baseline,
            visit: input.pga_follow_up,
            rule: PgaRule::BelowThreeTenths,
        })
    }

    /// The treatment-failure component's facts.
    const fn treatment_failure_facts(input: &SriInput, options: &SriOptions) -> SriFacts {
        SriFacts::TreatmentFailure(input.treatment_failure, options.treatment_failure)
    }

    /// The conjunction of the components alone, none built: the state of
    /// [`SriCommon::of`]'s `bilag_joint`, `pga` and `treatment_failure`.
    fn state(input: &SriInput, options: &SriOptions) -> TriState {
        let bilag = match input.grades() {
            None => SriFacts::NewA(input.new_bilag_a)
                .state()
                .and(SriFacts::NewB(input.new_bilag_b).state()),
            Some((baseline, visit)) => SriCommon::grade_facts(baseline, visit, options).state(),
        };
        TriState::all([
            bilag,
            SriCommon::pga_facts(input).state(),
            SriCommon::treatment_failure_facts(input, options).state(),
        ])
    }

    fn of(input: &SriInput, options: &SriOptions) -> SriCommon {
        let (bilag_a, bilag_b, bilag_joint) = match input.grades() {
            None => {
                let a = SriComponent::from_facts(SriFacts::NewA(input.new_bilag_a));
                let b = SriComponent::from_facts(SriFacts::NewB(input.new_bilag_b));
                (a, b, a.state.and(b.state))
            }
            Some((baseline, visit)) => {
                let facts = SriCommon::grade_facts(baseline, visit, options);
                (
                    SriComponent::from_facts(SriFacts::Grades(
                        SriCriterion::BilagA,
                        facts.with_rule(GradeRule::SriNoNewA),
                    )),
                    SriComponent::from_facts(SriFacts::Grades(
                        SriCriterion::BilagB,
                        facts.with_rule(GradeRule::SriAtMostOneNewB),
                    )),
                    facts.state(),
                )
            }
        };
        SriCommon {
            bilag_a,
            bilag_b,
            bilag_joint,
            pga: SriComponent::from_facts(SriCommon::pga_facts(input)),
            treatment_failure: SriComponent::from_facts(SriCommon::treatment_failure_facts(
                input, options,
            )),
        }
    }
}

/// The conjunction of the components of SRI-k that do not depend on k
/// (the BILAG part, the PGA, treatment failure), the grades already
/// checked: one evaluation serves SRI-4 to SRI-8
/// ([`Sri::state_with_common`]).
pub(crate) fn sri_common_state(input: &SriInput, options: &SriOptions) -> TriState {
    SriCommon::state(input, options)
}

/// SRI-4 to SRI-8 at once, the grades already checked, sharing the
/// components that do not depend on k (the BILAG, PGA and
/// treatment-failure parts are decided once); the same results as five
/// calls of [`evaluate_sri`].
pub(crate) fn evaluate_sri_4_to_8_unchecked(
    input: &SriInput,
    options: &SriOptions,
) -> [SriResult; 5] {
    let common = SriCommon::of(input, options);
    Sri::ALL.map(|k| k.combine(input.sledai, common))
}

impl Sri {
    /// SRI-k, the grades already checked.
    pub(crate) fn evaluate_unchecked(self, input: &SriInput, options: &SriOptions) -> SriResult {
        self.combine(input.sledai, SriCommon::of(input, options))
    }

    /// The state of SRI-k alone, from the state of its components that do
    /// not depend on k ([`sri_common_state`], decided once for SRI-4 to SRI-8): the
    /// same components and conjunction as [`evaluate_sri`], without the
    /// result (what the flat-table output prints). The three-valued AND is
    /// associative, so `all([sledai, joint, pga, tf])` is `sledai AND
    /// all([joint, pga, tf])`.
    pub(crate) fn state_with_common(self, change: ScoreChange, common: TriState) -> TriState {
        self.sledai(change).state.and(common)
    }

    /// The SLEDAI-2K component of SRI-k.
    fn sledai(self, change: ScoreChange) -> SriComponent {
        SriComponent::from_facts(SriFacts::Sledai { change, k: self.0 })
    }

    /// SRI-k from its SLEDAI change and the components that do not depend
    /// on k.
    fn combine(self, change: ScoreChange, common: SriCommon) -> SriResult {
        let sledai = self.sledai(change);
        SriResult {
            k: self.0,
            state: common.state_with(sledai.state),
            components: [
                sledai,
                common.bilag_a,
                common.bilag_b,
                common.pga,
                common.treatment_failure,
            ],
        }
    }
}

/// The inputs of an SRI-k evaluation: the SLEDAI change and the
/// caller-supplied BILAG counts and PGAs (each `None` when not recorded).
///
/// ```
/// use sledai::change::{evaluate_sri, ScoreChange, Sri, SriInput, SriOptions};
/// use sledai::{Score, TriState};
/// // Nothing but the SLEDAI change is known: the SRI cannot be met.
/// let input = SriInput::new(ScoreChange::from_scores(Score::new(10)?, Score::ZERO));
/// assert_eq!(evaluate_sri(&input, Sri::SRI_4, SriOptions::default())?.state(), TriState::Indeterminate);
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SriInput {
    sledai: ScoreChange,
    new_bilag_a: Option<u8>,
    new_bilag_b: Option<u8>,
    pga_baseline: Option<Pga>,
    pga_follow_up: Option<Pga>,
    baseline_grades: Option<BilagGrades>,
    visit_grades: Option<BilagGrades>,
    treatment_failure: Option<bool>,
}

impl SriInput {
    /// The SLEDAI-2K change the SRI-k component reads.
    pub(crate) const fn sledai_change(&self) -> ScoreChange {
        self.sledai
    }

    /// The SLEDAI change, with BILAG counts and PGAs not recorded.
    ///
    /// ```
    /// use sledai::change::{ScoreChange, SriInput};
    /// use sledai::Score;
    /// let _ = SriInput::new(ScoreChange::from_scores(Score::new(6)?, Score::new(2)?));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn new(sledai: ScoreChange) -> SriInput {
        SriInput {
            sledai,
            new_bilag_a: None,
            new_bilag_b: None,
            pga_baseline: None,
            pga_follow_up: None,
            baseline_grades: None,
            visit_grades: None,
            treatment_failure: None,
        }
    }

    /// Sets the BILAG-2004 grades at baseline. Once the grades of either
    /// visit are set, the BILAG part is computed from grades (new A, new B;
    /// policy `bilag_new_b`), the other visit's grades being
    /// [`BilagGrades::NOT_RECORDED`] unless set too, and the counts of
    /// [`SriInput::with_new_bilag_a`] and [`SriInput::with_new_bilag_b`]
    /// are not read.
    ///
    /// ```
    /// use sledai::bilag::{BilagGrade::*, BilagGrades, BilagSystem::*};
    /// use sledai::change::{evaluate_sri, ScoreChange, Sri, SriCriterion, SriInput, SriOptions};
    /// use sledai::{Score, TriState};
    /// let input = SriInput::new(ScoreChange::from_scores(Score::new(6)?, Score::new(2)?))
    ///     .with_baseline_grades(BilagGrades::all(E).with(Renal, Some(B)))
    ///     .with_visit_grades(BilagGrades::all(E).with(Renal, Some(A)));
    /// let r = evaluate_sri(&input, Sri::SRI_4, SriOptions::default())?;
    /// assert_eq!(r.criterion(SriCriterion::BilagA).state(), TriState::NotMet);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub const fn with_baseline_grades(mut self, grades: BilagGrades) -> SriInput {
        self.baseline_grades = Some(grades);
        self
    }

    /// Sets the BILAG-2004 grades at the follow-up visit (see
    /// [`SriInput::with_baseline_grades`]).
    ///
    /// ```
    /// use sledai::bilag::{BilagGrade::*, BilagGrades, BilagSystem::*};
    /// use sledai::change::{evaluate_sri, ScoreChange, Sri, SriCriterion, SriInput, SriOptions};
    /// use sledai::{Score, TriState};
    /// let input = SriInput::new(ScoreChange::from_scores(Score::new(6)?, Score::new(2)?))
    ///     .with_baseline_grades(BilagGrades::all(E))
    ///     .with_visit_grades(BilagGrades::all(E).with(Renal, Some(A)));
    /// let r = evaluate_sri(&input, Sri::SRI_4, SriOptions::default())?;
    /// assert_eq!(r.criterion(SriCriterion::BilagA).state(), TriState::NotMet);
    /// // Only the visit's grades: the baseline's are not recorded, so the
    /// // renal A may or may not be new.
    /// let input = SriInput::new(ScoreChange::from_scores(Score::new(6)?, Score::new(2)?))
    ///     .with_visit_grades(BilagGrades::all(E).with(Renal, Some(A)));
    /// let r = evaluate_sri(&input, Sri::SRI_4, SriOptions::default())?;
    /// assert_eq!(r.criterion(SriCriterion::BilagA).state(), TriState::Indeterminate);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub const fn with_visit_grades(mut self, grades: BilagGrades) -> SriInput {
        self.visit_grades = Some(grades);
        self
    }

    /// The grades of both visits, when either is set.
    const fn grades(&self) -> Option<(BilagGrades, BilagGrades)> {
        match (self.baseline_grades, self.visit_grades) {
            (None, None) => None,
            (b, v) => Some((
                match b {
                    Some(g) => g,
                    None => BilagGrades::NOT_RECORDED,
                },
                match v {
                    Some(g) => g,
                    None => BilagGrades::NOT_RECORDED,
                },
            )),
        }
    }

    /// Sets treatment failure at the follow-up visit (`None`: not
    /// recorded; see policy `sri_treatment_failure`).
    ///
    /// ```
    /// use sledai::change::{evaluate_sri, ScoreChange, Sri, SriInput, SriOptions};
    /// use sledai::{Score, TriState};
    /// let input = SriInput::new(ScoreChange::from_scores(Score::new(6)?, Score::new(2)?))
    ///     .with_treatment_failure(Some(true));
    /// assert_eq!(evaluate_sri(&input, Sri::SRI_4, SriOptions::default())?.state(), TriState::NotMet);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub const fn with_treatment_failure(mut self, failure: Option<bool>) -> SriInput {
        self.treatment_failure = failure;
        self
    }

    /// Sets the number of new BILAG A organ domain scores since baseline
    /// (`None`: not recorded).
    ///
    /// ```
    /// use sledai::change::{evaluate_sri, ScoreChange, Sri, SriCriterion, SriInput, SriOptions};
    /// use sledai::{Score, TriState};
    /// let input = SriInput::new(ScoreChange::from_scores(Score::new(6)?, Score::new(2)?))
    ///     .with_new_bilag_a(Some(1));
    /// assert_eq!(evaluate_sri(&input, Sri::SRI_4, SriOptions::default())?.criterion(SriCriterion::BilagA).state(), TriState::NotMet);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub const fn with_new_bilag_a(mut self, count: Option<u8>) -> SriInput {
        self.new_bilag_a = count;
        self
    }

    /// Sets the number of new BILAG B organ domain scores since baseline
    /// (`None`: not recorded).
    ///
    /// ```
    /// use sledai::change::{evaluate_sri, ScoreChange, Sri, SriCriterion, SriInput, SriOptions};
    /// use sledai::{Score, TriState};
    /// let input = SriInput::new(ScoreChange::from_scores(Score::new(6)?, Score::new(2)?))
    ///     .with_new_bilag_b(Some(2));
    /// assert_eq!(evaluate_sri(&input, Sri::SRI_4, SriOptions::default())?.criterion(SriCriterion::BilagB).state(), TriState::NotMet);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub const fn with_new_bilag_b(mut self, count: Option<u8>) -> SriInput {
        self.new_bilag_b = count;
        self
    }

    /// Sets the PGA at baseline (`None`: not recorded).
    ///
    /// ```
    /// use sledai::change::{evaluate_sri, ScoreChange, Sri, SriCriterion, SriInput, SriOptions};
    /// use sledai::{Pga, Score, TriState};
    /// let input = SriInput::new(ScoreChange::from_scores(Score::new(6)?, Score::new(2)?))
    ///     .with_baseline_pga(Some(Pga::new(1.5)?))
    ///     .with_visit_pga(Some(Pga::new(1.7)?)); // +0.2: not worsening
    /// assert_eq!(evaluate_sri(&input, Sri::SRI_4, SriOptions::default())?.criterion(SriCriterion::Pga).state(), TriState::Met);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub const fn with_baseline_pga(mut self, pga: Option<Pga>) -> SriInput {
        self.pga_baseline = pga;
        self
    }

    /// Sets the PGA at the follow-up visit (`None`: not recorded).
    ///
    /// ```
    /// use sledai::change::{evaluate_sri, ScoreChange, Sri, SriCriterion, SriInput, SriOptions};
    /// use sledai::{Pga, Score, TriState};
    /// let input = SriInput::new(ScoreChange::from_scores(Score::new(6)?, Score::new(2)?))
    ///     .with_baseline_pga(Some(Pga::ZERO))
    ///     .with_visit_pga(Some(Pga::new(0.3)?)); // +0.3: worsening
    /// assert_eq!(evaluate_sri(&input, Sri::SRI_4, SriOptions::default())?.criterion(SriCriterion::Pga).state(), TriState::NotMet);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub const fn with_visit_pga(mut self, pga: Option<Pga>) -> SriInput {
        self.pga_follow_up = pga;
        self
    }
}

vocabulary! {
    /// The components of SRI-k (Furie 2009), in the order of
    /// [`SriResult::criteria`]; the identifiers are the keys of the
    /// `sri_<k>_criteria` objects of the visit output.
    ///
    /// ```
    /// use sledai::change::SriCriterion;
    /// assert_eq!(SriCriterion::BilagA.id(), "bilag_a");
    /// assert_eq!("treatment_failure".parse::<SriCriterion>()?, SriCriterion::TreatmentFailure);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub enum SriCriterion, field = "sri_criterion", path = "sledai::change::SriCriterion" {
        /// SLEDAI-2K reduction of at least k points.
        Sledai = "sledai",
        /// No new BILAG A.
        BilagA = "bilag_a",
        /// At most one new BILAG B.
        BilagB = "bilag_b",
        /// No PGA worsening (increase below 0.3).
        Pga = "pga",
        /// No treatment failure (policy `sri_treatment_failure`).
        TreatmentFailure = "treatment_failure",
    }
}

/// The typed facts of one SRI component, from which its state is decided
/// and its reason rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum SriFacts {
    /// The SLEDAI change and k.
    Sledai { change: ScoreChange, k: u8 },
    /// The caller's count of new A (no grades).
    NewA(Option<u8>),
    /// The caller's count of new B (no grades).
    NewB(Option<u8>),
    /// New A or new B from the grades (`SriCriterion::BilagA` or `BilagB`).
    Grades(SriCriterion, GradeFacts),
    /// The PGA change.
    Pga(PgaChangeFacts),
    /// Treatment failure and the policy.
    TreatmentFailure(Option<bool>, SriTreatmentFailure),
}

impl SriFacts {
    const fn criterion(&self) -> SriCriterion {
        match self {
            SriFacts::Sledai { .. } => SriCriterion::Sledai,
            SriFacts::NewA(_) => SriCriterion::BilagA,
            SriFacts::NewB(_) => SriCriterion::BilagB,
            SriFacts::Grades(c, _) => *c,
            SriFacts::Pga(_) => SriCriterion::Pga,
            SriFacts::TreatmentFailure(..) => SriCriterion::TreatmentFailure,
        }
    }

    /// The state: the one place each component's rule is applied.
    fn state(&self) -> TriState {
        match *self {
            SriFacts::Sledai { change, k } => {
                if change.baseline.max().get() < k {
                    TriState::NotMet
                } else {
                    change.reduction_reaches(k)
                }
            }
            SriFacts::NewA(None) | SriFacts::NewB(None) => TriState::Indeterminate,
            SriFacts::NewA(Some(n)) => TriState::from_bool(n == 0),
            SriFacts::NewB(Some(n)) => TriState::from_bool(n <= 1),
            SriFacts::Grades(_, g) => g.state(),
            SriFacts::Pga(p) => p.state(),
            SriFacts::TreatmentFailure(Some(failed), _) => TriState::from_bool(!failed),
            SriFacts::TreatmentFailure(None, SriTreatmentFailure::WhenGiven) => TriState::Met,
            SriFacts::TreatmentFailure(None, SriTreatmentFailure::Required) => {
                TriState::Indeterminate
            }
        }
    }

    fn write_reason(&self, f: &mut fmt::Formatter<'_>, state: TriState) -> fmt::Result {
        match *self {
            SriFacts::Sledai { change: c, k } => {
                if c.baseline.max().get() < k {
                    return write!(
                        f,
                        "baseline SLEDAI {} is below {k}: a {k}-point reduction is unreachable",
                        c.baseline
                    );
                }
                match c.absolute() {
                    Some(a) => write!(
                        f,
                        "change {a:+} (baseline {}, follow-up {}): reduction {} {k}",
                        c.baseline,
                        c.follow_up,
                        if state.is_met() {
                            "reaches"
                        } else {
                            "does not reach"
                        }
                    ),
                    None => {
                        write!(
                            f,
                            "change {:+} to {:+} (baseline {}, follow-up {}): reduction ",
                            c.min(),
                            c.max(),
                            c.baseline,
                            c.follow_up,
                        )?;
                        match state {
                            TriState::Met => write!(f, "reaches {k} for every completion"),
                            TriState::NotMet => write!(f, "reaches {k} for no completion"),
                            TriState::Indeterminate => write!(
                                f,
                                "may or may not reach {k}: not assessed descriptors decide"
                            ),
                        }
                    }
                }
            }
            SriFacts::NewA(None) => f.write_str("new BILAG A count not recorded"),
            SriFacts::NewA(Some(0)) => f.write_str("no new BILAG A"),
            SriFacts::NewA(Some(n)) => write!(f, "{n} new BILAG A"),
            SriFacts::NewB(None) => f.write_str("new BILAG B count not recorded"),
            SriFacts::NewB(Some(n)) => write!(f, "{n} new BILAG B (at most 1 allowed)"),
            SriFacts::Grades(_, g) => {
                f.write_str("from grades: ")?;
                g.write_reason(f, state)
            }
            SriFacts::Pga(p) => match (p.baseline, p.visit) {
                (Some(b), Some(v)) => write!(
                    f,
                    "PGA {b} to {v}: {} (an increase of 0.3 or more is worsening)",
                    if state.is_met() {
                        "not worsened"
                    } else {
                        "worsened"
                    }
                ),
                (b, v) => {
                    f.write_str(match (b, v) {
                        (None, None) => "baseline and follow-up PGA not recorded",
                        (None, Some(_)) => "baseline PGA not recorded",
                        _ => "follow-up PGA not recorded",
                    })?;
                    match state {
                        TriState::Indeterminate => Ok(()),
                        TriState::Met => f.write_str(
                            ", but no value it could take is an increase of 0.3 or more",
                        ),
                        TriState::NotMet => f.write_str(
                            ", but every value it could take is an increase of 0.3 or more",
                        ),
                    }
                }
            },
            SriFacts::TreatmentFailure(Some(true), _) => f.write_str("treatment failure"),
            SriFacts::TreatmentFailure(Some(false), _) => f.write_str("no treatment failure"),
            SriFacts::TreatmentFailure(None, SriTreatmentFailure::WhenGiven) => f.write_str(
                "treatment failure not given: no effect (sri_treatment_failure = when_given)",
            ),
            SriFacts::TreatmentFailure(None, SriTreatmentFailure::Required) => {
                f.write_str("treatment failure not recorded (sri_treatment_failure = required)")
            }
        }
    }
}

/// One component of an SRI-k result: which, its state, and why.
///
/// A small `Copy` value holding the facts the state was decided from (the
/// SLEDAI change, the counts or grades, the PGAs, treatment failure and the
/// policy); the reason is rendered from them only when asked for
/// ([`reason`](Self::reason), or serialization), as for
/// [`crate::target::CriterionResult`]. Serializes as `{"state", "reason"}`.
///
/// ```
/// use sledai::change::{evaluate_sri, ScoreChange, Sri, SriCriterion, SriInput, SriOptions};
/// use sledai::{Score, TriState};
/// let input = SriInput::new(ScoreChange::from_scores(Score::new(6)?, Score::new(2)?));
/// let r = evaluate_sri(&input, Sri::SRI_4, SriOptions::default())?;
/// let a = r.criterion(SriCriterion::BilagA);
/// assert_eq!(a.state(), TriState::Indeterminate);
/// assert_eq!(a.reason().to_string(), "new BILAG A count not recorded");
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SriComponent {
    state: TriState,
    facts: SriFacts,
}

impl SriComponent {
    fn from_facts(facts: SriFacts) -> SriComponent {
        SriComponent {
            state: facts.state(),
            facts,
        }
    }

    /// Which component.
    ///
    /// ```
    /// use sledai::change::{evaluate_sri, ScoreChange, Sri, SriCriterion, SriInput, SriOptions};
    /// use sledai::Score;
    /// let r = evaluate_sri(&SriInput::new(ScoreChange::from_scores(Score::new(6)?, Score::ZERO)), Sri::SRI_4, SriOptions::default())?;
    /// assert_eq!(r.criteria()[3].criterion(), SriCriterion::Pga);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub const fn criterion(&self) -> SriCriterion {
        self.facts.criterion()
    }

    /// Met, not met or indeterminate.
    ///
    /// ```
    /// use sledai::change::{evaluate_sri, ScoreChange, Sri, SriCriterion, SriInput, SriOptions};
    /// use sledai::{Score, TriState};
    /// let r = evaluate_sri(&SriInput::new(ScoreChange::from_scores(Score::new(6)?, Score::ZERO)), Sri::SRI_4, SriOptions::default())?;
    /// assert_eq!(r.criterion(SriCriterion::Sledai).state(), TriState::Met);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub const fn state(&self) -> TriState {
        self.state
    }

    /// A short English explanation naming the values used, rendered on
    /// demand: use `to_string()` for a `String`, or write it into any
    /// formatter without allocating.
    ///
    /// ```
    /// use sledai::change::{evaluate_sri, ScoreChange, Sri, SriCriterion, SriInput, SriOptions};
    /// use sledai::Score;
    /// let r = evaluate_sri(&SriInput::new(ScoreChange::from_scores(Score::new(6)?, Score::new(2)?)), Sri::SRI_4, SriOptions::default())?;
    /// assert_eq!(
    ///     r.criterion(SriCriterion::Sledai).reason().to_string(),
    ///     "change -4 (baseline 6, follow-up 2): reduction reaches 4"
    /// );
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn reason(&self) -> impl fmt::Display + use<> {
        SriReason(*self)
    }
}

/// The lazily rendered reason of an [`SriComponent`].
#[derive(Clone, Copy)]
struct SriReason(SriComponent);

impl fmt::Display for SriReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.facts.write_reason(f, self.0.state)
    }
}

impl serde::Serialize for SriComponent {
    /// `{"state", "reason"}`, the reason streamed into the serializer.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("SriComponent", 2)?;
        st.serialize_field("state", &self.state)?;
        st.serialize_field("reason", &CollectStr(SriReason(*self)))?;
        st.end()
    }
}

/// A `Display` value serialized as a string with `collect_str`.
struct CollectStr<T>(T);

impl<T: fmt::Display> serde::Serialize for CollectStr<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

/// The result of an SRI-k evaluation, with every component explained.
///
/// A `Copy` value: the state, and the five components of
/// [`SriCriterion::ALL`] in that order ([`criteria`](Self::criteria),
/// [`criterion`](Self::criterion)), each holding its facts and rendering
/// its reason on demand. Serializes as `{"k", "state", "sledai", "bilag_a",
/// "bilag_b", "pga", "treatment_failure"}`, each component `{"state",
/// "reason"}`.
///
/// ```
/// use sledai::change::{evaluate_sri, ScoreChange, Sri, SriCriterion, SriInput, SriOptions};
/// use sledai::{Score, TriState};
/// // Baseline 3 cannot fall by 4 points.
/// let input = SriInput::new(ScoreChange::from_scores(Score::new(3)?, Score::ZERO));
/// let r = evaluate_sri(&input, Sri::SRI_4, SriOptions::default())?;
/// assert_eq!(r.state(), TriState::NotMet);
/// assert!(r.criterion(SriCriterion::Sledai).reason().to_string().contains("unreachable"));
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SriResult {
    k: u8,
    state: TriState,
    components: [SriComponent; 5],
}

impl SriResult {
    /// The reduction threshold k (4 to 8).
    ///
    /// ```
    /// use sledai::change::{evaluate_sri, ScoreChange, Sri, SriInput, SriOptions};
    /// use sledai::Score;
    /// let input = SriInput::new(ScoreChange::from_scores(Score::new(9)?, Score::ZERO));
    /// assert_eq!(evaluate_sri(&input, Sri::new(6)?, SriOptions::default())?.k(), 6);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub const fn k(&self) -> u8 {
        self.k
    }

    /// The conjunction of the four components ([`TriState::all`]; the new
    /// A and new B parts decided jointly when read from grades).
    ///
    /// ```
    /// use sledai::change::{evaluate_sri, ScoreChange, Sri, SriInput, SriOptions};
    /// use sledai::{Score, TriState};
    /// let input = SriInput::new(ScoreChange::from_scores(Score::new(9)?, Score::ZERO))
    ///     .with_new_bilag_a(Some(0))
    ///     .with_new_bilag_b(Some(0));
    /// // PGA not recorded on either side: it could have worsened.
    /// assert_eq!(evaluate_sri(&input, Sri::SRI_4, SriOptions::default())?.state(), TriState::Indeterminate);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub const fn state(&self) -> TriState {
        self.state
    }

    /// The five components, in the order of [`SriCriterion::ALL`].
    ///
    /// ```
    /// use sledai::change::{evaluate_sri, ScoreChange, Sri, SriCriterion, SriInput, SriOptions};
    /// use sledai::Score;
    /// let r = evaluate_sri(&SriInput::new(ScoreChange::from_scores(Score::new(9)?, Score::ZERO)), Sri::SRI_4, SriOptions::default())?;
    /// let ids: Vec<_> = r.criteria().iter().map(|c| c.criterion()).collect();
    /// assert_eq!(ids, SriCriterion::ALL);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub fn criteria(&self) -> &[SriComponent] {
        &self.components
    }

    /// One component. Unlike the results keyed by
    /// [`crate::target::Criterion`], every [`SriCriterion`] is part of
    /// every SRI-k result, so the lookup cannot fail.
    ///
    /// ```
    /// use sledai::change::{evaluate_sri, ScoreChange, Sri, SriCriterion, SriInput, SriOptions};
    /// use sledai::{Score, TriState};
    /// let input = SriInput::new(ScoreChange::from_scores(Score::new(9)?, Score::ZERO)).with_treatment_failure(Some(true));
    /// let r = evaluate_sri(&input, Sri::SRI_4, SriOptions::default())?;
    /// assert_eq!(r.criterion(SriCriterion::TreatmentFailure).state(), TriState::NotMet);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub fn criterion(&self, criterion: SriCriterion) -> &SriComponent {
        // The components are stored in `SriCriterion::ALL` order.
        &self.components[criterion as usize]
    }
}

impl serde::Serialize for SriResult {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("SriResult", 7)?;
        st.serialize_field("k", &self.k)?;
        st.serialize_field("state", &self.state)?;
        for (name, c) in ["sledai", "bilag_a", "bilag_b", "pga", "treatment_failure"]
            .into_iter()
            .zip(&self.components)
        {
            st.serialize_field(name, c)?;
        }
        st.end()
    }
}

vocabulary! {
    /// Whether SRI reads treatment failure (`docs/reference.md` section
    /// 9.6): not part of Furie 2009; trials add their own non-responder
    /// rules.
    ///
    /// ```
    /// use sledai::change::SriTreatmentFailure;
    /// assert_eq!(SriTreatmentFailure::default(), SriTreatmentFailure::WhenGiven);
    /// ```
    pub enum SriTreatmentFailure = "sri_treatment_failure", path = "sledai::change::SriTreatmentFailure" {
        /// `true` fails; `false` or missing has no effect. The default.
        WhenGiven = "when_given",
        /// A missing treatment failure is indeterminate.
        Required = "required",
    }
}

/// The options of SRI-k.
///
/// Start from [`SriOptions::default`] and use the `with_*` methods; read
/// them back with the getters of the same names; a single policy converts
/// into options ([`From`]). Serde:
/// `{"sri_treatment_failure": "when_given", "bilag": {...}}`, every field
/// optional.
///
/// ```
/// use sledai::change::{SriOptions, SriTreatmentFailure};
/// let o = SriOptions::default().with_treatment_failure(SriTreatmentFailure::Required);
/// assert_eq!(o.treatment_failure(), SriTreatmentFailure::Required);
/// assert_eq!(SriOptions::from(SriTreatmentFailure::Required), o);
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct SriOptions {
    #[serde(rename = "sri_treatment_failure")]
    pub(crate) treatment_failure: SriTreatmentFailure,
    pub(crate) bilag: BilagOptions,
}

options_from_policies! {
    SriOptions, "change" {
        SriTreatmentFailure => with_treatment_failure,
        BilagOptions in "bilag" => with_bilag,
    }
}

impl SriOptions {
    /// With policy `sri_treatment_failure`.
    ///
    /// ```
    /// use sledai::change::{SriOptions, SriTreatmentFailure};
    /// assert_eq!(SriOptions::default().with_treatment_failure(SriTreatmentFailure::WhenGiven), SriOptions::default());
    /// ```
    #[must_use]
    pub const fn with_treatment_failure(mut self, rule: SriTreatmentFailure) -> Self {
        self.treatment_failure = rule;
        self
    }

    /// With the grade-comparison policies.
    ///
    /// ```
    /// use sledai::bilag::{BilagNewB, BilagOptions};
    /// use sledai::change::SriOptions;
    /// let o = SriOptions::default().with_bilag(BilagOptions::default().with_new_b(BilagNewB::FromDE));
    /// assert_eq!(o.bilag().new_b(), BilagNewB::FromDE);
    /// ```
    #[must_use]
    pub const fn with_bilag(mut self, bilag: BilagOptions) -> Self {
        self.bilag = bilag;
        self
    }

    /// Policy `sri_treatment_failure`.
    ///
    /// ```
    /// use sledai::change::{SriOptions, SriTreatmentFailure};
    /// assert_eq!(SriOptions::default().treatment_failure(), SriTreatmentFailure::WhenGiven);
    /// ```
    #[must_use]
    pub const fn treatment_failure(self) -> SriTreatmentFailure {
        self.treatment_failure
    }

    /// The grade-comparison policies (`bilag_new_b`, `bilag_grade_e`).
    ///
    /// ```
    /// use sledai::bilag::BilagOptions;
    /// use sledai::change::SriOptions;
    /// assert_eq!(SriOptions::default().bilag(), BilagOptions::default());
    /// ```
    #[must_use]
    pub const fn bilag(self) -> BilagOptions {
        self.bilag
    }
}

#[cfg(test)]
mod sri_range_tests {
    use super::*;
    use crate::pga::Pga;
    use crate::score::Score;

    /// The shared evaluation gives exactly the five separate results, on
    /// inputs that exercise each component (counts, PGA, treatment failure).
    #[test]
    fn sri_4_to_8_equals_five_evaluations() -> Result<(), Error> {
        let pga = |t: f64| Pga::new(t);
        let inputs = [
            SriInput::new(ScoreChange::from_scores(Score::new(12)?, Score::new(4)?)),
            SriInput::new(ScoreChange::from_scores(Score::new(6)?, Score::new(1)?))
                .with_new_bilag_a(Some(0))
                .with_new_bilag_b(Some(2))
                .with_baseline_pga(Some(pga(1.5)?))
                .with_visit_pga(Some(pga(1.8)?)),
            SriInput::new(ScoreChange::from_scores(Score::new(3)?, Score::ZERO))
                .with_treatment_failure(Some(true)),
        ];
        // The BILAG part from grades: none new, a new B, two new B, a new
        // A, and grades not recorded (decided over their completions).
        use crate::bilag::{BilagGrade::*, BilagSystem::*};
        let e = BilagGrades::all(E);
        let graded = [
            (e.with(Renal, Some(A)), e.with(Renal, Some(C))),
            (e, e.with(Renal, Some(B))),
            (e, e.with(Renal, Some(B)).with(Mucocutaneous, Some(B))),
            (e.with(Renal, Some(B)), e.with(Renal, Some(A))),
            (e, e.with(Renal, None)),
            (BilagGrades::NOT_RECORDED, e),
        ];
        let change = ScoreChange::from_scores(Score::new(10)?, Score::new(2)?);
        let inputs = inputs.into_iter().chain(graded.iter().map(|(b, v)| {
            SriInput::new(change)
                .with_baseline_grades(*b)
                .with_visit_grades(*v)
                .with_baseline_pga(Some(Pga::ZERO))
                .with_visit_pga(Some(Pga::ZERO))
        }));
        for input in &inputs.collect::<Vec<_>>() {
            for options in [
                SriOptions::default(),
                SriOptions::default().with_treatment_failure(SriTreatmentFailure::Required),
            ] {
                let all = evaluate_sri_4_to_8_unchecked(input, &options);
                for (i, k) in (4..=8).enumerate() {
                    let one = evaluate_sri(input, Sri::new(k)?, options)?;
                    assert_eq!(all[i], one);
                    // The state alone (the flat-table output) is the result's.
                    let common = sri_common_state(input, &options);
                    assert_eq!(
                        Sri::new(k)?.state_with_common(input.sledai, common),
                        one.state()
                    );
                }
            }
        }
        Ok(())
    }
}
