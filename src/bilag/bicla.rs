//! BICLA, the BILAG-based Composite Lupus Assessment, at one visit against
//! the baseline (Wallace DJ et al. Arthritis Rheum 2011;63:S894, as quoted
//! on the instrument page; EMBLEM, Ann Rheum Dis 2014;73:183-90;
//! `docs/reference.md` section 9.5).

use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use super::compare::{
    BilagGradeE, BilagNewB, BilagOptions, Reach, TextBuf, check_pairs, is_new_a, is_new_b,
    new_counts, write_pairs,
};
use super::grades::BilagGrades;
use super::system::{BilagGrade, BilagSystem};
use crate::error::Error;
use crate::pga::Pga;
use crate::score_change::ScoreChange;
use crate::state::TriState;
use crate::target::{
    Collect, Criterion, CriterionList, CriterionResult, CriterionSink, Facts, NOT_RECORDED, Pack,
    Reader, StateOnly, Writer, pack_struct, pack_values, yes_no,
};
use crate::vocabulary::vocabulary;

/// BICLA rule 3, the SLEDAI-2K rule (`docs/reference.md` section 9.5).
///
/// Written `no_increase` or `increase_below(t)` (t = 1 to 105); serde
/// uses the same text.
///
/// ```
/// use sledai::bilag::BiclaSledai;
/// assert_eq!(BiclaSledai::default(), BiclaSledai::NoIncrease);
/// assert_eq!("increase_below(3)".parse::<BiclaSledai>()?, BiclaSledai::IncreaseBelow(3));
/// assert_eq!(BiclaSledai::IncreaseBelow(3).to_string(), "increase_below(3)");
/// assert!("increase_below(0)".parse::<BiclaSledai>().is_err());
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum BiclaSledai {
    /// Change (visit minus baseline) <= 0: "no worsening of total SLEDAI
    /// score from baseline" (Wallace 2011). The default.
    #[default]
    NoIncrease,
    /// Change < t, a caller threshold (e.g. 3, the SELENA flare index's
    /// mild/moderate increment; not a published BICLA reading).
    IncreaseBelow(u8),
}

impl BiclaSledai {
    /// The policy name.
    pub const NAME: &'static str = "bicla_sledai";
    /// The accepted forms, the default first.
    pub const IDS: &'static [&'static str] = &["no_increase", "increase_below(t)"];

    /// Whether a change (visit minus baseline) passes.
    const fn passes(self, change: i16) -> bool {
        match self {
            BiclaSledai::NoIncrease => change <= 0,
            BiclaSledai::IncreaseBelow(t) => change < t as i16,
        }
    }
}

impl fmt::Display for BiclaSledai {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BiclaSledai::NoIncrease => f.write_str("no_increase"),
            BiclaSledai::IncreaseBelow(t) => write!(f, "increase_below({t})"),
        }
    }
}

impl FromStr for BiclaSledai {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        if s == "no_increase" {
            return Ok(BiclaSledai::NoIncrease);
        }
        if let Some(t) = s
            .strip_prefix("increase_below(")
            .and_then(|r| r.strip_suffix(')'))
        {
            return match t.parse::<u8>() {
                Ok(t @ 1..=105) => Ok(BiclaSledai::IncreaseBelow(t)),
                _ => Err(Error::InvalidValue {
                    field: BiclaSledai::NAME,
                    value: s.to_owned().into(),
                    reason: "the threshold t of increase_below(t) is a whole number of SLEDAI-2K points, 1 to 105".into(),
                }),
            };
        }
        Err(Error::UnknownName {
            field: BiclaSledai::NAME,
            value: s.to_owned().into(),
            expected: "no_increase, increase_below(t)",
        })
    }
}

impl serde::Serialize for BiclaSledai {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for BiclaSledai {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

vocabulary! {
    /// BICLA rule 4, the PGA rule: "no significant deterioration (≤10%) in
    /// physicians global assessment" (Wallace 2011), compared in tenths.
    ///
    /// ```
    /// use sledai::bilag::BiclaPga;
    /// assert_eq!(BiclaPga::default(), BiclaPga::Scale10Pct);
    /// ```
    pub enum BiclaPga = "bicla_pga", path = "sledai::bilag::BiclaPga" {
        /// An increase of at most 10% of the 0-3 range (<= 0.3) is not
        /// significant: +0.3 passes, +0.4 fails. The default.
        Scale10Pct = "scale_10pct",
        /// An increase below 0.3, as for SRI: +0.3 fails (the reading
        /// attributed to the anifrolumab trials, not confirmed in a source).
        SriLike = "sri_like",
        /// An increase of at most 10% of the baseline PGA.
        Relative10Pct = "relative_10pct",
    }
}

vocabulary! {
    /// BICLA rule 6: what a baseline without moderate or severe activity
    /// gives (`docs/reference.md` section 9.5).
    ///
    /// ```
    /// use sledai::bilag::BiclaBaselineActivity;
    /// assert_eq!(BiclaBaselineActivity::default(), BiclaBaselineActivity::Required);
    /// ```
    pub enum BiclaBaselineActivity = "bicla_baseline_activity", path = "sledai::bilag::BiclaBaselineActivity" {
        /// At least one system A or B at baseline, else not met: there is
        /// nothing to improve (trials enrol only such patients). The
        /// default.
        Required = "required",
        /// Rule 1 holds trivially without baseline activity.
        Vacuous = "vacuous",
    }
}

/// The options of BICLA.
///
/// Start from [`BiclaOptions::default`] and use the `with_*` methods; read
/// them back with the getters of the same names; a single policy converts
/// into options ([`From`]). Serde:
/// `{"bicla_sledai": "no_increase", "bicla_pga": "scale_10pct",
/// "bicla_baseline_activity": "required", "bilag": {...}}`, every field
/// optional.
///
/// ```
/// use sledai::bilag::{BiclaOptions, BiclaPga, BiclaSledai};
/// let o = BiclaOptions::default().with_pga(BiclaPga::SriLike).with_sledai(BiclaSledai::IncreaseBelow(3));
/// assert_eq!(o.pga(), BiclaPga::SriLike);
/// assert_eq!(BiclaOptions::from(BiclaPga::SriLike).pga(), BiclaPga::SriLike);
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct BiclaOptions {
    #[serde(rename = "bicla_sledai")]
    pub(crate) sledai: BiclaSledai,
    #[serde(rename = "bicla_pga")]
    pub(crate) pga: BiclaPga,
    #[serde(rename = "bicla_baseline_activity")]
    pub(crate) baseline_activity: BiclaBaselineActivity,
    pub(crate) bilag: BilagOptions,
}

options_from_policies! {
    BiclaOptions, "bilag" {
        BiclaSledai => with_sledai,
        BiclaPga => with_pga,
        BiclaBaselineActivity => with_baseline_activity,
        BilagOptions => with_bilag,
    }
}

impl BiclaOptions {
    /// With policy `bicla_sledai`.
    ///
    /// ```
    /// use sledai::bilag::{BiclaOptions, BiclaSledai};
    /// assert_eq!(BiclaOptions::default().with_sledai(BiclaSledai::NoIncrease), BiclaOptions::default());
    /// ```
    #[must_use]
    pub const fn with_sledai(mut self, sledai: BiclaSledai) -> Self {
        self.sledai = sledai;
        self
    }

    /// With policy `bicla_pga`.
    ///
    /// ```
    /// use sledai::bilag::{BiclaOptions, BiclaPga};
    /// assert_eq!(BiclaOptions::default().with_pga(BiclaPga::Scale10Pct), BiclaOptions::default());
    /// ```
    #[must_use]
    pub const fn with_pga(mut self, pga: BiclaPga) -> Self {
        self.pga = pga;
        self
    }

    /// With policy `bicla_baseline_activity`.
    ///
    /// ```
    /// use sledai::bilag::{BiclaBaselineActivity, BiclaOptions};
    /// let o = BiclaOptions::default().with_baseline_activity(BiclaBaselineActivity::Vacuous);
    /// assert_eq!(o.baseline_activity(), BiclaBaselineActivity::Vacuous);
    /// ```
    #[must_use]
    pub const fn with_baseline_activity(mut self, rule: BiclaBaselineActivity) -> Self {
        self.baseline_activity = rule;
        self
    }

    /// With the grade-comparison policies.
    ///
    /// ```
    /// use sledai::bilag::{BiclaOptions, BilagNewB, BilagOptions};
    /// let o = BiclaOptions::default().with_bilag(BilagOptions::default().with_new_b(BilagNewB::FromDE));
    /// assert_eq!(o.bilag().new_b(), BilagNewB::FromDE);
    /// ```
    #[must_use]
    pub const fn with_bilag(mut self, bilag: BilagOptions) -> Self {
        self.bilag = bilag;
        self
    }

    /// Policy `bicla_sledai`.
    ///
    /// ```
    /// use sledai::bilag::{BiclaOptions, BiclaSledai};
    /// assert_eq!(BiclaOptions::default().sledai(), BiclaSledai::NoIncrease);
    /// ```
    #[must_use]
    pub const fn sledai(self) -> BiclaSledai {
        self.sledai
    }

    /// Policy `bicla_pga`.
    ///
    /// ```
    /// use sledai::bilag::{BiclaOptions, BiclaPga};
    /// assert_eq!(BiclaOptions::default().pga(), BiclaPga::Scale10Pct);
    /// ```
    #[must_use]
    pub const fn pga(self) -> BiclaPga {
        self.pga
    }

    /// Policy `bicla_baseline_activity`.
    ///
    /// ```
    /// use sledai::bilag::{BiclaBaselineActivity, BiclaOptions};
    /// assert_eq!(BiclaOptions::default().baseline_activity(), BiclaBaselineActivity::default());
    /// ```
    #[must_use]
    pub const fn baseline_activity(self) -> BiclaBaselineActivity {
        self.baseline_activity
    }

    /// The grade-comparison policies (`bilag_new_b`, `bilag_grade_e`).
    ///
    /// ```
    /// use sledai::bilag::{BiclaOptions, BilagOptions};
    /// assert_eq!(BiclaOptions::default().bilag(), BilagOptions::default());
    /// ```
    #[must_use]
    pub const fn bilag(self) -> BilagOptions {
        self.bilag
    }
}

/// The inputs of BICLA at one visit: the SLEDAI-2K change from baseline,
/// the baseline's and the visit's grades and PGAs, and the visit's
/// treatment failure.
///
/// Build with [`BiclaInput::new`] and the `with_*` methods, one per visit
/// and value (no pair of same-typed arguments to swap); what is not set is
/// not recorded.
///
/// ```
/// use sledai::bilag::{evaluate_bicla, BiclaInput, BiclaOptions, BilagGrade::*, BilagGrades, BilagSystem::*};
/// use sledai::change::ScoreChange;
/// use sledai::target::Criterion;
/// use sledai::{Score, TriState};
/// let i = BiclaInput::new(ScoreChange::from_scores(Score::new(8)?, Score::new(4)?))
///     .with_baseline_grades(BilagGrades::all(E).with(Renal, Some(A)))
///     .with_visit_grades(BilagGrades::all(E).with(Renal, Some(C)));
/// let r = evaluate_bicla(&i, BiclaOptions::default())?;
/// assert_eq!(r.criterion(Criterion::BiclaGrades).unwrap().state(), TriState::Met);
/// // Treatment failure and the PGAs are not recorded.
/// assert_eq!(r.state(), TriState::Indeterminate);
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BiclaInput {
    sledai: ScoreChange,
    baseline_grades: BilagGrades,
    grades: BilagGrades,
    baseline_pga: Option<Pga>,
    pga: Option<Pga>,
    treatment_failure: Option<bool>,
}

impl BiclaInput {
    /// The SLEDAI-2K change from baseline (for example
    /// [`ScoreChange::between`] the two assessments, or
    /// [`ScoreChange::from_ranges`] of their totals); grades, PGAs and
    /// treatment failure not recorded.
    ///
    /// ```
    /// use sledai::bilag::{evaluate_bicla, BiclaInput, BiclaOptions};
    /// use sledai::change::ScoreChange;
    /// use sledai::target::Criterion;
    /// use sledai::{Score, TriState};
    /// let i = BiclaInput::new(ScoreChange::from_scores(Score::new(6)?, Score::new(8)?));
    /// let r = evaluate_bicla(&i, BiclaOptions::default())?;
    /// assert_eq!(r.criterion(Criterion::BiclaSledai).unwrap().state(), TriState::NotMet); // +2
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn new(sledai: ScoreChange) -> BiclaInput {
        BiclaInput {
            sledai,
            baseline_grades: BilagGrades::NOT_RECORDED,
            grades: BilagGrades::NOT_RECORDED,
            baseline_pga: None,
            pga: None,
            treatment_failure: None,
        }
    }

    /// With the grades at the baseline visit.
    ///
    /// ```
    /// use sledai::bilag::{evaluate_bicla, BiclaInput, BiclaOptions, BilagGrade::*, BilagGrades};
    /// use sledai::change::ScoreChange;
    /// use sledai::target::Criterion;
    /// use sledai::{Score, TriState};
    /// let i = BiclaInput::new(ScoreChange::from_scores(Score::ZERO, Score::ZERO))
    ///     .with_baseline_grades(BilagGrades::all(D));
    /// let r = evaluate_bicla(&i, BiclaOptions::default())?;
    /// // No system A or B at baseline (bicla_baseline_activity = required).
    /// assert_eq!(r.criterion(Criterion::BiclaBaselineActivity).unwrap().state(), TriState::NotMet);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub const fn with_baseline_grades(mut self, grades: BilagGrades) -> Self {
        self.baseline_grades = grades;
        self
    }

    /// With the grades at this visit.
    ///
    /// ```
    /// use sledai::bilag::{evaluate_bicla, BiclaInput, BiclaOptions, BilagGrade::*, BilagGrades, BilagSystem::*};
    /// use sledai::change::ScoreChange;
    /// use sledai::target::Criterion;
    /// use sledai::{Score, TriState};
    /// let i = BiclaInput::new(ScoreChange::from_scores(Score::ZERO, Score::ZERO))
    ///     .with_baseline_grades(BilagGrades::all(E))
    ///     .with_visit_grades(BilagGrades::all(E).with(Renal, Some(A)));
    /// let r = evaluate_bicla(&i, BiclaOptions::default())?;
    /// assert_eq!(r.criterion(Criterion::BiclaNoNewFlare).unwrap().state(), TriState::NotMet); // a new A
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub const fn with_visit_grades(mut self, grades: BilagGrades) -> Self {
        self.grades = grades;
        self
    }

    /// With the PGA at baseline (`None`: not recorded).
    ///
    /// ```
    /// use sledai::bilag::{evaluate_bicla, BiclaInput, BiclaOptions};
    /// use sledai::change::ScoreChange;
    /// use sledai::target::Criterion;
    /// use sledai::{Pga, Score};
    /// let i = BiclaInput::new(ScoreChange::from_scores(Score::ZERO, Score::ZERO))
    ///     .with_baseline_pga(Some(Pga::ZERO));
    /// let r = evaluate_bicla(&i, BiclaOptions::default())?;
    /// let pga = r.criterion(Criterion::BiclaPga).unwrap();
    /// assert_eq!(pga.observed().to_string(), "PGA baseline 0.0, visit not recorded");
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub const fn with_baseline_pga(mut self, pga: Option<Pga>) -> Self {
        self.baseline_pga = pga;
        self
    }

    /// With the PGA at this visit (`None`: not recorded).
    ///
    /// ```
    /// use sledai::bilag::{evaluate_bicla, BiclaInput, BiclaOptions};
    /// use sledai::change::ScoreChange;
    /// use sledai::target::Criterion;
    /// use sledai::{Pga, Score};
    /// let i = BiclaInput::new(ScoreChange::from_scores(Score::ZERO, Score::ZERO))
    ///     .with_visit_pga(Some(Pga::new(1.0)?));
    /// let r = evaluate_bicla(&i, BiclaOptions::default())?;
    /// let pga = r.criterion(Criterion::BiclaPga).unwrap();
    /// assert_eq!(pga.observed().to_string(), "PGA baseline not recorded, visit 1.0");
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub const fn with_visit_pga(mut self, pga: Option<Pga>) -> Self {
        self.pga = pga;
        self
    }

    /// With treatment failure at the visit (`None`: not recorded).
    ///
    /// ```
    /// use sledai::bilag::{evaluate_bicla, BiclaInput, BiclaOptions};
    /// use sledai::change::ScoreChange;
    /// use sledai::target::Criterion;
    /// use sledai::{Score, TriState};
    /// let i = BiclaInput::new(ScoreChange::from_scores(Score::ZERO, Score::ZERO))
    ///     .with_treatment_failure(Some(false));
    /// let r = evaluate_bicla(&i, BiclaOptions::default())?;
    /// assert_eq!(r.criterion(Criterion::BiclaTreatmentFailure).unwrap().state(), TriState::Met);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub const fn with_treatment_failure(mut self, failure: Option<bool>) -> Self {
        self.treatment_failure = failure;
        self
    }
}

/// The BICLA state at one visit with its criteria.
///
/// [`criteria`](Self::criteria) lists, in order,
/// [`Criterion::BiclaImprovement`] (rule 1),
/// [`Criterion::BiclaNoNewFlare`] (rule 2), [`Criterion::BiclaSledai`]
/// (3), [`Criterion::BiclaPga`] (4), [`Criterion::BiclaTreatmentFailure`]
/// (5), [`Criterion::BiclaBaselineActivity`] (6) and
/// [`Criterion::BiclaGrades`], rules 1, 2 and 6 decided jointly over the
/// completions of the unrecorded grades. Rules 1, 2 and 6 each report
/// their own state; the overall state is [`TriState::all`] of the joint
/// grade criterion and rules 3 to 5, which read disjoint inputs. Look one
/// up with [`criterion`](Self::criterion). Serializes as
/// `{"state", "criteria"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[non_exhaustive]
pub struct BiclaResult {
    state: TriState,
    criteria: CriterionList<7>,
}

impl BiclaResult {
    /// Met when every completion of the missing inputs meets BICLA, not met
    /// when none does, indeterminate otherwise.
    ///
    /// ```
    /// use sledai::change::ScoreChange;
    /// use sledai::bilag::{evaluate_bicla, BiclaInput, BiclaOptions, BilagGrades};
    /// use sledai::{Assessment, TriState};
    /// let a = Assessment::not_assessed();
    /// let i = BiclaInput::new(ScoreChange::from_ranges(a.score_range(), a.score_range()));
    /// assert_eq!(evaluate_bicla(&i, BiclaOptions::default())?.state(), TriState::Indeterminate);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub const fn state(&self) -> TriState {
        self.state
    }

    /// The seven criteria, in the order above.
    ///
    /// ```
    /// use sledai::change::ScoreChange;
    /// use sledai::bilag::{evaluate_bicla, BiclaInput, BiclaOptions, BilagGrades};
    /// use sledai::target::Criterion;
    /// use sledai::Assessment;
    /// let a = Assessment::not_assessed();
    /// let i = BiclaInput::new(ScoreChange::from_ranges(a.score_range(), a.score_range()));
    /// let r = evaluate_bicla(&i, BiclaOptions::default())?;
    /// assert_eq!(r.criteria().len(), 7);
    /// assert_eq!(r.criteria()[0].criterion(), Criterion::BiclaImprovement);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub fn criteria(&self) -> &[CriterionResult] {
        self.criteria.as_slice()
    }

    /// The result of one criterion; `None` for one that is not part of
    /// BICLA.
    ///
    /// ```
    /// use sledai::change::ScoreChange;
    /// use sledai::bilag::{evaluate_bicla, BiclaInput, BiclaOptions, BilagGrades};
    /// use sledai::target::Criterion;
    /// use sledai::Assessment;
    /// let a = Assessment::not_assessed();
    /// let r = evaluate_bicla(&BiclaInput::new(ScoreChange::from_ranges(a.score_range(), a.score_range())), BiclaOptions::default())?;
    /// assert!(r.criterion(Criterion::BiclaPga).is_some());
    /// assert!(r.criterion(Criterion::LldasPga).is_none());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub fn criterion(&self, criterion: Criterion) -> Option<&CriterionResult> {
        self.criteria().iter().find(|c| c.criterion() == criterion)
    }
}

/// Evaluates BICLA at one visit against the baseline (rules 1-6 of
/// `docs/reference.md` section 9.5), three-valued as section 9.7: met when
/// every completion of the unrecorded grades, not-assessed descriptors,
/// missing PGAs and missing treatment failure meets it, not met when none
/// does, indeterminate otherwise.
///
/// # Errors
///
/// [`Error::InvalidValue`] (field `bilag.<system>`) under `bilag_grade_e = strict`.
///
/// ```
/// use sledai::change::ScoreChange;
/// use sledai::bilag::{evaluate_bicla, BiclaInput, BiclaOptions, BilagGrade::*, BilagGrades, BilagSystem::*};
/// use sledai::target::Criterion;
/// use sledai::{Assessment, Descriptor, Pga, TriState};
///
/// let base = BilagGrades::all(E).with(Musculoskeletal, Some(A)).with(Mucocutaneous, Some(B));
/// let now = BilagGrades::all(E).with(Musculoskeletal, Some(C)).with(Mucocutaneous, Some(C));
/// let sledai_base = Assessment::from_present([Descriptor::Arthritis, Descriptor::Rash]);
/// let sledai_now = Assessment::from_present([Descriptor::Rash]);
/// let input = BiclaInput::new(ScoreChange::from_ranges(sledai_base.score_range(), sledai_now.score_range())).with_baseline_grades(base).with_visit_grades(now)
///     .with_baseline_pga(Some(Pga::new(1.5)?))
///     .with_visit_pga(Some(Pga::new(1.8)?)) // +0.3: not significant
///     .with_treatment_failure(Some(false));
/// assert_eq!(evaluate_bicla(&input, BiclaOptions::default())?.state(), TriState::Met);
///
/// // Baseline renal not recorded, renal A at the visit: not met for every
/// // completion, although rules 1 and 2 are each open on their own.
/// let open = input
///     .with_baseline_grades(base.with(Renal, None))
///     .with_visit_grades(now.with(Renal, Some(A)));
/// let r = evaluate_bicla(&open, BiclaOptions::default())?;
/// assert_eq!(r.criterion(Criterion::BiclaImprovement).unwrap().state(), TriState::Indeterminate);
/// assert_eq!(r.criterion(Criterion::BiclaNoNewFlare).unwrap().state(), TriState::Indeterminate);
/// assert_eq!(r.criterion(Criterion::BiclaGrades).unwrap().state(), TriState::NotMet);
/// assert_eq!(r.state(), TriState::NotMet);
/// # Ok::<(), sledai::Error>(())
/// ```
///
/// The crate's calling convention: the input by reference and the options
/// last, as [`BiclaOptions`] or one policy (`evaluate_bicla(&input,
/// BiclaPga::SriLike)`).
pub fn evaluate_bicla(
    input: &BiclaInput,
    options: impl Into<BiclaOptions>,
) -> Result<BiclaResult, Error> {
    let options = options.into();
    check_pairs(&input.baseline_grades, &input.grades, options.bilag.grade_e)?;
    Ok(evaluate_bicla_unchecked(input, options))
}

/// [`evaluate_bicla`], the grades already checked under the options'
/// `bilag_grade_e`: called by [`evaluate_bicla`] and by
/// [`crate::visit::VisitResult::bicla`].
pub(crate) fn evaluate_bicla_unchecked(input: &BiclaInput, options: BiclaOptions) -> BiclaResult {
    let mut c = Collect::<7>::new();
    bicla_criteria(input, options, &mut c);
    BiclaResult {
        state: c.state,
        criteria: c.criteria,
    }
}

/// The state of [`evaluate_bicla`] alone (no criterion packed), the grades
/// already checked, from the same rule: what the flat-table output prints.
pub(crate) fn bicla_state_unchecked(input: &BiclaInput, options: BiclaOptions) -> TriState {
    let mut s = StateOnly::new();
    bicla_criteria(input, options, &mut s);
    s.0
}

/// The rule: the seven criteria in the order of
/// [`BiclaResult::criteria`]. The state is the conjunction of the grades
/// (rules 1, 2 and 6 decided jointly over the completions), the SLEDAI-2K
/// change, the PGA and treatment failure; rules 1, 2 and 6 alone explain.
fn bicla_criteria(input: &BiclaInput, options: BiclaOptions, sink: &mut impl CriterionSink) {
    let facts = GradeFacts::new(
        input.baseline_grades,
        input.grades,
        GradeRule::Joint,
        options.bilag,
        options.baseline_activity,
    );
    let grades = |rule| facts.with_rule(rule);
    let change = input.sledai;
    sink.explain(Criterion::BiclaImprovement, grades(GradeRule::Improvement));
    sink.explain(Criterion::BiclaNoNewFlare, grades(GradeRule::NoNewFlare));
    sink.decide(
        Criterion::BiclaSledai,
        SledaiChangeFacts {
            change,
            rule: options.sledai,
        },
    );
    sink.decide(
        Criterion::BiclaPga,
        PgaChangeFacts {
            baseline: input.baseline_pga,
            visit: input.pga,
            rule: match options.pga {
                BiclaPga::Scale10Pct => PgaRule::BiclaScale10Pct,
                BiclaPga::SriLike => PgaRule::BelowThreeTenths,
                BiclaPga::Relative10Pct => PgaRule::BiclaRelative10Pct,
            },
        },
    );
    sink.decide(
        Criterion::BiclaTreatmentFailure,
        FlagFacts {
            value: input.treatment_failure,
            flag: Flag::TreatmentFailure,
        },
    );
    sink.explain(
        Criterion::BiclaBaselineActivity,
        grades(GradeRule::BaselineActivity),
    );
    sink.decide(Criterion::BiclaGrades, grades(GradeRule::Joint));
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum GradeRule {
    /// BICLA rule 1.
    Improvement,
    /// BICLA rule 2 (also SRI's new A / new B part, jointly).
    NoNewFlare,
    /// BICLA rule 6.
    BaselineActivity,
    /// BICLA rules 1, 2 and 6 together.
    Joint,
    /// SRI (b): no new A.
    SriNoNewA,
    /// SRI (c): at most one new B.
    SriAtMostOneNewB,
    /// DORIS 2017 `bilag_d_e`: every system D or E at the visit.
    AllInactive,
}

/// The facts of a grade rule: both visits' grades and the policies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct GradeFacts {
    pub(crate) baseline: BilagGrades,
    pub(crate) visit: BilagGrades,
    pub(crate) rule: GradeRule,
    pub(crate) options: BilagOptions,
    pub(crate) activity: BiclaBaselineActivity,
    /// The states reachable over the completions, computed once by
    /// [`GradeFacts::new`] and shared by every rule read from it (the
    /// programme does not depend on the rule).
    reach: Reach,
}

// The BICLA programme state: bit 0 rule 1 failed, bit 1 a new A, bits 2-3
// new B capped at 2, bit 4 an A or B at baseline.
const FAILED: u8 = 1;
const NEW_A: u8 = 2;
const ACTIVE: u8 = 16;
const fn new_b_of(s: u8) -> u8 {
    (s >> 2) & 3
}

/// One system's step of the BICLA programme (state bits above).
pub(crate) const fn grade_step(s: u8, b: BilagGrade, v: BilagGrade, new_b: BilagNewB) -> u8 {
    let mut s = s;
    if !improved(b, v) {
        s |= FAILED;
    }
    if is_new_a(b, v) {
        s |= NEW_A;
    }
    if is_new_b(b, v, new_b) {
        let n = new_b_of(s) + 1;
        let n = if n < 2 { n } else { 2 };
        s = (s & !12) | (n << 2);
    }
    if b.is_active() {
        s |= ACTIVE;
    }
    s
}

/// Whether `rule` holds in the programme state `s`.
const fn holds(rule: GradeRule, activity: BiclaBaselineActivity, s: u8) -> bool {
    let r1 = s & FAILED == 0;
    let r2 = s & NEW_A == 0 && new_b_of(s) <= 1;
    let r6 = match activity {
        BiclaBaselineActivity::Required => s & ACTIVE != 0,
        BiclaBaselineActivity::Vacuous => true,
    };
    match rule {
        GradeRule::Improvement => r1,
        GradeRule::NoNewFlare => r2,
        GradeRule::BaselineActivity => r6,
        GradeRule::Joint => r1 && r2 && r6,
        GradeRule::SriNoNewA => s & NEW_A == 0,
        GradeRule::SriAtMostOneNewB => new_b_of(s) <= 1,
        GradeRule::AllInactive => true,
    }
}

/// The states in which each rule holds, as a bit set, indexed by
/// `[GradeRule as usize][BiclaBaselineActivity as usize]` (computed at
/// compile time from [`holds`]), so deciding a rule is two mask tests.
const HOLDS: [[u32; 2]; 7] = {
    const RULES: [GradeRule; 7] = [
        GradeRule::Improvement,
        GradeRule::NoNewFlare,
        GradeRule::BaselineActivity,
        GradeRule::Joint,
        GradeRule::SriNoNewA,
        GradeRule::SriAtMostOneNewB,
        GradeRule::AllInactive,
    ];
    const ACTIVITY: [BiclaBaselineActivity; 2] = [
        BiclaBaselineActivity::Required,
        BiclaBaselineActivity::Vacuous,
    ];
    let mut table = [[0u32; 2]; 7];
    let mut r = 0;
    while r < RULES.len() {
        assert!(RULES[r] as usize == r);
        let mut a = 0;
        while a < ACTIVITY.len() {
            assert!(ACTIVITY[a] as usize == a);
            let mut s = 0u8;
            while s < 32 {
                if holds(RULES[r], ACTIVITY[a], s) {
                    table[r][a] |= 1 << s;
                }
                s += 1;
            }
            a += 1;
        }
        r += 1;
    }
    table
};

/// Whether rule 1 holds for one system: A at baseline is B-E now, B at
/// baseline is C-E now.
pub(crate) const fn improved(baseline: BilagGrade, visit: BilagGrade) -> bool {
    match baseline {
        BilagGrade::A | BilagGrade::B => visit.severity() < baseline.severity(),
        _ => true,
    }
}

impl GradeFacts {
    /// The facts of `rule` over the grades of a baseline and a visit, with
    /// the reachable states computed once; copy it with another `rule` to
    /// decide several rules from the same programme.
    pub(crate) fn new(
        baseline: BilagGrades,
        visit: BilagGrades,
        rule: GradeRule,
        options: BilagOptions,
        activity: BiclaBaselineActivity,
    ) -> GradeFacts {
        let mut facts = GradeFacts {
            baseline,
            visit,
            rule,
            options,
            activity,
            reach: Reach::EMPTY,
        };
        if rule != GradeRule::AllInactive {
            facts.reach = facts.run();
        }
        facts
    }

    /// The same facts, read by another rule.
    pub(crate) const fn with_rule(self, rule: GradeRule) -> GradeFacts {
        GradeFacts { rule, ..self }
    }

    /// The BICLA programme (the answer without any grade cached per
    /// `bilag_new_b` and `bilag_grade_e`).
    fn run(&self) -> Reach {
        static UNRECORDED: [[OnceLock<Reach>; 2]; 2] = [
            [OnceLock::new(), OnceLock::new()],
            [OnceLock::new(), OnceLock::new()],
        ];
        let new_b = self.options.new_b;
        let cache = &UNRECORDED[match new_b {
            BilagNewB::FromCDE => 0,
            BilagNewB::FromDE => 1,
        }][match self.options.grade_e {
            BilagGradeE::AsInactive => 0,
            BilagGradeE::Strict => 1,
        }];
        Reach::run_cached(
            cache,
            &self.baseline,
            &self.visit,
            self.options.grade_e,
            0,
            |s, b, v| grade_step(s, b, v, new_b),
        )
    }

    /// Whether the rule holds in state `s` (the reference for
    /// [`HOLDS`] in the tests).
    #[cfg(test)]
    fn holds(&self, s: u8) -> bool {
        holds(self.rule, self.activity, s)
    }

    pub(crate) fn state(&self) -> TriState {
        if self.rule == GradeRule::AllInactive {
            return TriState::all(self.visit.as_array().iter().map(|g| match g {
                None => TriState::Indeterminate,
                Some(g) => TriState::from_bool(g.severity() == 0),
            }));
        }
        self.reach
            .decide_mask(HOLDS[self.rule as usize][self.activity as usize])
    }

    pub(crate) const fn threshold(&self) -> &'static str {
        match self.rule {
            GradeRule::Improvement => {
                "every system A at baseline is B-E now and every system B at baseline is C-E now"
            }
            GradeRule::NoNewFlare => "no new BILAG-2004 A and at most one new B against baseline",
            GradeRule::BaselineActivity => match self.activity {
                BiclaBaselineActivity::Required => {
                    "at least one system A or B at baseline (bicla_baseline_activity = required)"
                }
                BiclaBaselineActivity::Vacuous => {
                    "none: rule 1 holds trivially without baseline activity (bicla_baseline_activity = vacuous)"
                }
            },
            GradeRule::Joint => {
                "rules 1, 2 and 6 together, for the completions of the unrecorded grades"
            }
            GradeRule::SriNoNewA => "no new BILAG-2004 A against baseline",
            GradeRule::SriAtMostOneNewB => "at most one new BILAG-2004 B against baseline",
            GradeRule::AllInactive => "every BILAG-2004 system D or E",
        }
    }

    pub(crate) fn write_observed(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.rule == GradeRule::AllInactive {
            f.write_str("grades: ")?;
            return write_pairs(f, None, &self.visit);
        }
        f.write_str("grades baseline/visit: ")?;
        write_pairs(f, Some(&self.baseline), &self.visit)
    }

    pub(crate) fn write_reason(&self, f: &mut fmt::Formatter<'_>, state: TriState) -> fmt::Result {
        // The systems left open, written in one piece (see `write_pairs`).
        let open = |f: &mut fmt::Formatter<'_>| -> fmt::Result {
            let mut out = TextBuf::new(f);
            let mut first = true;
            for system in BilagSystem::ALL {
                let (b, v) = (self.baseline.get(system), self.visit.get(system));
                let side = match (b, v, self.rule) {
                    (_, None, GradeRule::AllInactive) => "",
                    (_, _, GradeRule::AllInactive) => continue,
                    (None, None, _) => " at baseline and visit",
                    (None, Some(_), _) => " at baseline",
                    (Some(_), None, _) => " at the visit",
                    (Some(_), Some(_), _) => continue,
                };
                out.push(if first { "" } else { ", " })?;
                first = false;
                out.push(system.id())?;
                out.push(side)?;
            }
            out.finish()
        };
        match self.rule {
            GradeRule::NoNewFlare | GradeRule::SriNoNewA | GradeRule::SriAtMostOneNewB => {
                match new_counts(&self.baseline, &self.visit, self.options) {
                    Ok(c) => write!(f, "new A {}, new B {}", c.new_a, c.new_b)?,
                    Err(e) => write!(f, "{e}")?,
                }
                if state == TriState::Indeterminate {
                    f.write_str("; not recorded: ")?;
                    open(f)?;
                }
                Ok(())
            }
            _ => match state {
                TriState::Met => f.write_str("holds for every completion of the unrecorded grades"),
                TriState::NotMet => {
                    f.write_str("fails for every completion of the unrecorded grades")?;
                    if self.rule == GradeRule::Joint {
                        f.write_str(" (rules 1, 2 and 6 cannot hold together)")?;
                    }
                    Ok(())
                }
                TriState::Indeterminate => {
                    f.write_str("holds for some completions of the unrecorded grades and not others; not recorded: ")?;
                    open(f)
                }
            },
        }
    }
}

/// Which PGA change rule a [`PgaChangeFacts`] decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum PgaRule {
    /// Increase <= 0.3 (`bicla_pga = scale_10pct`).
    BiclaScale10Pct,
    /// Increase < 0.3 (SRI; `bicla_pga = sri_like`).
    BelowThreeTenths,
    /// Increase <= 10% of the baseline PGA (`bicla_pga = relative_10pct`).
    BiclaRelative10Pct,
}

/// The facts of a PGA change rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct PgaChangeFacts {
    pub(crate) baseline: Option<Pga>,
    pub(crate) visit: Option<Pga>,
    pub(crate) rule: PgaRule,
}

/// The tenths a PGA can take: exact, or 0 to 30 when not recorded.
fn tenths(p: Option<Pga>) -> (i16, i16) {
    p.map_or((0, 30), |p| (i16::from(p.tenths()), i16::from(p.tenths())))
}

impl PgaChangeFacts {
    /// Decided over every completion: the rule is monotone in each PGA, so
    /// the extremes of the completions decide it.
    pub(crate) fn state(&self) -> TriState {
        let (bmin, bmax) = tenths(self.baseline);
        let (vmin, vmax) = tenths(self.visit);
        // `g` must be <= 0 to pass; its smallest and largest values.
        let (gmin, gmax) = match self.rule {
            PgaRule::BiclaScale10Pct => (vmin - bmax - 3, vmax - bmin - 3),
            PgaRule::BelowThreeTenths => (vmin - bmax - 2, vmax - bmin - 2),
            // 10 (v - b) <= b  <=>  10 v - 11 b <= 0
            PgaRule::BiclaRelative10Pct => (10 * vmin - 11 * bmax, 10 * vmax - 11 * bmin),
        };
        if gmax <= 0 {
            TriState::Met
        } else if gmin > 0 {
            TriState::NotMet
        } else {
            TriState::Indeterminate
        }
    }

    pub(crate) const fn threshold(&self) -> &'static str {
        match self.rule {
            PgaRule::BiclaScale10Pct => {
                "PGA increase <= 0.3 (10% of the 0-3 scale; bicla_pga = scale_10pct)"
            }
            PgaRule::BelowThreeTenths => "PGA increase < 0.3 (0-3 scale)",
            PgaRule::BiclaRelative10Pct => {
                "PGA increase <= 10% of the baseline PGA (bicla_pga = relative_10pct)"
            }
        }
    }

    pub(crate) fn write_observed(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let show = |p: Option<Pga>| p.map_or_else(|| NOT_RECORDED.to_owned(), |p| p.to_string());
        write!(
            f,
            "PGA baseline {}, visit {}",
            show(self.baseline),
            show(self.visit)
        )
    }

    pub(crate) fn write_reason(&self, f: &mut fmt::Formatter<'_>, state: TriState) -> fmt::Result {
        match (self.baseline, self.visit) {
            (Some(b), Some(v)) => {
                let inc = i16::from(v.tenths()) - i16::from(b.tenths());
                let sign = if inc < 0 { "-" } else { "+" };
                write!(
                    f,
                    "change {sign}{}.{}: {}",
                    inc.abs() / 10,
                    inc.abs() % 10,
                    if state.is_met() { "passes" } else { "fails" }
                )
            }
            _ => match state {
                TriState::Met => f.write_str("a PGA is not recorded, but no value it could take fails the rule"),
                TriState::NotMet => f.write_str("a PGA is not recorded, but no value it could take passes the rule"),
                TriState::Indeterminate => f.write_str("a PGA is not recorded and the rule depends on it; a missing value never passes"),
            },
        }
    }
}

/// The facts of the SLEDAI-2K change rule of BICLA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct SledaiChangeFacts {
    pub(crate) change: ScoreChange,
    pub(crate) rule: BiclaSledai,
}

impl SledaiChangeFacts {
    pub(crate) fn state(&self) -> TriState {
        if self.rule.passes(self.change.max()) {
            TriState::Met
        } else if !self.rule.passes(self.change.min()) {
            TriState::NotMet
        } else {
            TriState::Indeterminate
        }
    }

    pub(crate) const fn threshold(&self) -> &'static str {
        match self.rule {
            BiclaSledai::NoIncrease => "SLEDAI-2K change (visit minus baseline) <= 0",
            BiclaSledai::IncreaseBelow(_) => {
                "SLEDAI-2K change (visit minus baseline) below the threshold t of increase_below(t)"
            }
        }
    }

    pub(crate) fn write_observed(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "SLEDAI-2K baseline {}, visit {}",
            self.change.baseline(),
            self.change.follow_up()
        )
    }

    pub(crate) fn write_reason(&self, f: &mut fmt::Formatter<'_>, state: TriState) -> fmt::Result {
        let c = self.change;
        match c.absolute() {
            Some(a) => write!(f, "change {a:+}")?,
            None => write!(f, "change {:+} to {:+}", c.min(), c.max())?,
        }
        let limit = match self.rule {
            BiclaSledai::NoIncrease => "<= 0".to_owned(),
            BiclaSledai::IncreaseBelow(t) => format!("< {t}"),
        };
        match state {
            TriState::Met => write!(f, ": {limit} for every completion"),
            TriState::NotMet => write!(f, ": not {limit} for any completion"),
            TriState::Indeterminate => {
                write!(
                    f,
                    ": {limit} for some completions only (descriptors not assessed)"
                )
            }
        }
    }
}

/// A yes/no input that must be `false` for the criterion to hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Flag {
    /// `treatment_failure`.
    TreatmentFailure,
    /// `on_immunosuppressant`.
    Immunosuppressant,
    /// `on_biologic`.
    Biologic,
    /// `on_antimalarial`.
    Antimalarial,
}

/// The facts of a yes/no criterion: the value must be `false`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct FlagFacts {
    pub(crate) value: Option<bool>,
    pub(crate) flag: Flag,
}

impl FlagFacts {
    pub(crate) const fn state(&self) -> TriState {
        match self.value {
            Some(v) => TriState::from_bool(!v),
            None => TriState::Indeterminate,
        }
    }

    const fn label(&self) -> &'static str {
        match self.flag {
            Flag::TreatmentFailure => "treatment_failure",
            Flag::Immunosuppressant => "on_immunosuppressant",
            Flag::Biologic => "on_biologic",
            Flag::Antimalarial => "on_antimalarial",
        }
    }

    pub(crate) const fn threshold(&self) -> &'static str {
        match self.flag {
            Flag::TreatmentFailure => "no treatment failure (initiation of non-protocol treatment)",
            Flag::Immunosuppressant => "no immunosuppressant (on_immunosuppressant = false)",
            Flag::Biologic => "no biologic (on_biologic = false)",
            Flag::Antimalarial => {
                "no antimalarial (on_antimalarial = false; doris_off_treatment_antimalarial = excluded)"
            }
        }
    }

    pub(crate) fn write_observed(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.label(), yes_no(self.value))
    }

    pub(crate) fn write_reason(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.value {
            None => write!(
                f,
                "{} is not recorded; a missing value never passes",
                self.label()
            ),
            Some(true) => write!(f, "{} is yes", self.label()),
            Some(false) => write!(f, "{} is no", self.label()),
        }
    }
}

// The facts above, packed into the type-erased criterion results of
// `crate::target` and rendered from there by the same methods.

/// Delegates [`Facts`] to the inherent methods of a fact type.
macro_rules! facts_by_methods {
    ($($name:ident => |$s:ident, $f:ident, $state:ident| $reason:expr;)+) => {
        $(impl Facts for $name {
            fn state(&self) -> TriState {
                $name::state(self)
            }
            fn threshold(&self) -> &'static str {
                $name::threshold(self)
            }
            fn write_observed(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                $name::write_observed(self, f)
            }
            fn write_reason(&self, $f: &mut fmt::Formatter<'_>, $state: TriState) -> fmt::Result {
                let $s = self;
                $reason
            }
        })+
    };
}

facts_by_methods! {
    GradeFacts => |s, f, state| s.write_reason(f, state);
    PgaChangeFacts => |s, f, state| s.write_reason(f, state);
    SledaiChangeFacts => |s, f, state| s.write_reason(f, state);
    FlagFacts => |s, f, _state| s.write_reason(f);
}

/// Both visits' grades: one byte per system (0 not recorded, 1-5 A-E).
fn put_grades(grades: &BilagGrades, w: &mut Writer) {
    for g in grades.as_array() {
        let i = g.and_then(|g| BilagGrade::ALL.iter().position(|x| *x == g));
        w.byte(i.map_or(0, |i| 1 + u8::try_from(i).unwrap_or(0)));
    }
}

fn take_grades(r: &mut Reader<'_>) -> BilagGrades {
    BilagGrades::new(std::array::from_fn(|_| {
        let i = r.byte().checked_sub(1)?;
        BilagGrade::ALL.get(usize::from(i)).copied()
    }))
}

impl Pack for GradeFacts {
    const SIZE: usize = 2 * 9 + 1 + BilagOptions::SIZE + 1;
    fn put(&self, w: &mut Writer) {
        put_grades(&self.baseline, w);
        put_grades(&self.visit, w);
        self.rule.put(w);
        self.options.put(w);
        self.activity.put(w);
    }
    /// The reachable states are not packed: they decide the state, which
    /// was decided before packing; the texts do not read them.
    fn take(r: &mut Reader<'_>) -> GradeFacts {
        GradeFacts {
            baseline: take_grades(r),
            visit: take_grades(r),
            rule: GradeRule::take(r),
            options: BilagOptions::take(r),
            activity: BiclaBaselineActivity::take(r),
            reach: Reach::EMPTY,
        }
    }
}

pack_values!(GradeRule: [
    GradeRule::Improvement,
    GradeRule::NoNewFlare,
    GradeRule::BaselineActivity,
    GradeRule::Joint,
    GradeRule::SriNoNewA,
    GradeRule::SriAtMostOneNewB,
    GradeRule::AllInactive,
]);
pack_values!(PgaRule: [
    PgaRule::BiclaScale10Pct,
    PgaRule::BelowThreeTenths,
    PgaRule::BiclaRelative10Pct,
]);
pack_values!(Flag: [
    Flag::TreatmentFailure,
    Flag::Immunosuppressant,
    Flag::Biologic,
    Flag::Antimalarial,
]);
pack_values!(BiclaBaselineActivity: all BiclaBaselineActivity::ALL);
pack_values!(super::compare::BilagNewB: all super::compare::BilagNewB::ALL);
pack_values!(super::compare::BilagGradeE: all super::compare::BilagGradeE::ALL);
pack_values!(super::compare::BilagFlareGradeLevel: all super::compare::BilagFlareGradeLevel::ALL);

impl Pack for BilagOptions {
    const SIZE: usize = 3;
    fn put(&self, w: &mut Writer) {
        self.new_b.put(w);
        self.grade_e.put(w);
        self.flare.put(w);
    }
    fn take(r: &mut Reader<'_>) -> BilagOptions {
        let new_b = Pack::take(r);
        let grade_e = Pack::take(r);
        BilagOptions {
            new_b,
            grade_e,
            flare: Pack::take(r),
        }
    }
}

impl Pack for BiclaSledai {
    const SIZE: usize = 2;
    fn put(&self, w: &mut Writer) {
        match self {
            BiclaSledai::NoIncrease => w.byte(0),
            BiclaSledai::IncreaseBelow(t) => {
                w.byte(1);
                w.byte(*t);
            }
        }
    }
    fn take(r: &mut Reader<'_>) -> BiclaSledai {
        match r.byte() {
            0 => BiclaSledai::NoIncrease,
            _ => BiclaSledai::IncreaseBelow(r.byte()),
        }
    }
}

impl Pack for ScoreChange {
    const SIZE: usize = 2 * crate::score::ScoreRange::SIZE;
    fn put(&self, w: &mut Writer) {
        self.baseline().put(w);
        self.follow_up().put(w);
    }
    fn take(r: &mut Reader<'_>) -> ScoreChange {
        let baseline = Pack::take(r);
        ScoreChange::from_ranges(baseline, Pack::take(r))
    }
}

pack_struct!(SledaiChangeFacts {
    change: ScoreChange,
    rule: BiclaSledai,
});
pack_struct!(PgaChangeFacts {
    baseline: Option<Pga>,
    visit: Option<Pga>,
    rule: PgaRule,
});
pack_struct!(FlagFacts {
    value: Option<bool>,
    flag: Flag,
});
#[cfg(test)]
mod shortcut_tests {
    //! The shortcuts of the grade programme (no grade recorded: a cached
    //! answer; every grade recorded: a plain fold) give exactly the full
    //! programme's reachable states, for both programmes and every policy.

    use super::*;
    use crate::bilag::compare::{flare_reach, flare_step};
    use proptest::prelude::*;

    fn grade() -> impl Strategy<Value = BilagGrade> {
        prop::sample::select(BilagGrade::ALL.to_vec())
    }

    /// Two visits' grades, weighted towards the shortcut cases: nothing
    /// recorded, everything recorded, one visit recorded, or any mixture.
    fn visits() -> impl Strategy<Value = (BilagGrades, BilagGrades)> {
        let recorded =
            || prop::array::uniform9(grade()).prop_map(|g| BilagGrades::new(g.map(Some)));
        let mixed = || prop::array::uniform9(prop::option::of(grade())).prop_map(BilagGrades::new);
        prop_oneof![
            Just((BilagGrades::NOT_RECORDED, BilagGrades::NOT_RECORDED)),
            (recorded(), recorded()),
            (recorded(), Just(BilagGrades::NOT_RECORDED)),
            (Just(BilagGrades::NOT_RECORDED), recorded()),
            (mixed(), mixed()),
            (mixed(), recorded()),
        ]
    }

    fn options() -> impl Strategy<Value = BilagOptions> {
        (any::<bool>(), any::<bool>()).prop_map(|(de, strict)| {
            BilagOptions::default()
                .with_new_b(if de {
                    BilagNewB::FromDE
                } else {
                    BilagNewB::FromCDE
                })
                .with_grade_e(if strict {
                    BilagGradeE::Strict
                } else {
                    BilagGradeE::AsInactive
                })
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

        /// BICLA's programme (rules 1, 2, 6 and SRI's BILAG part) and the
        /// flare programme, with their shortcuts, against the full one.
        #[test]
        fn shortcut_equals_full_programme((b, v) in visits(), o in options(), vacuous in any::<bool>()) {
            let activity = if vacuous {
                BiclaBaselineActivity::Vacuous
            } else {
                BiclaBaselineActivity::Required
            };
            let facts = GradeFacts::new(b, v, GradeRule::Joint, o, activity);
            let full = Reach::run_full(&b, &v, o.grade_e, 0, |s, x, y| grade_step(s, x, y, o.new_b));
            prop_assert_eq!(facts.reach, full);
            prop_assert_eq!(Reach::run(&b, &v, o.grade_e, 0, |s, x, y| grade_step(s, x, y, o.new_b)), full);
            // Every rule read from the shortcut's states decides as from the full programme's.
            for rule in [
                GradeRule::Improvement,
                GradeRule::NoNewFlare,
                GradeRule::BaselineActivity,
                GradeRule::Joint,
                GradeRule::SriNoNewA,
                GradeRule::SriAtMostOneNewB,
            ] {
                let f = facts.with_rule(rule);
                prop_assert_eq!(f.state(), full.decide(|s| f.holds(s)));
            }
            // Twice: the second call reads the cache the first may have filled.
            for _ in 0..2 {
                prop_assert_eq!(flare_reach(&b, &v, o.grade_e), Reach::run_full(&b, &v, o.grade_e, 0, flare_step));
            }
        }

        /// BICLA's state folded without packing is the explained result's,
        /// and that is the definition's conjunction: the joint grades
        /// criterion (rules 1, 2, 6), no SLEDAI-2K worsening, no PGA
        /// worsening, no treatment failure; rules 1, 2 and 6 alone do not
        /// decide.
        #[test]
        fn the_state_alone_is_the_explained_state(
            (b, v) in visits(),
            o in options(),
            vacuous in any::<bool>(),
            scores in (0u8..=30, 0u8..=30),
            pgas in (prop::option::of(0u8..=30), prop::option::of(0u8..=30)),
            failure in prop::option::of(any::<bool>()),
            pga_rule in prop::sample::select(BiclaPga::ALL.to_vec()),
        ) {
            let pga = |t: Option<u8>| t.map(|t| Pga::from_tenths(t).expect("0-30 tenths"));
            let score = |n: u8| crate::Score::new(n).expect("0-30");
            let input = BiclaInput::new(ScoreChange::from_scores(score(scores.0), score(scores.1)))
                .with_baseline_grades(b)
                .with_visit_grades(v)
                .with_baseline_pga(pga(pgas.0))
                .with_visit_pga(pga(pgas.1))
                .with_treatment_failure(failure);
            let options = BiclaOptions::default()
                .with_bilag(o)
                .with_pga(pga_rule)
                .with_baseline_activity(if vacuous {
                    BiclaBaselineActivity::Vacuous
                } else {
                    BiclaBaselineActivity::Required
                });
            prop_assume!(check_pairs(&b, &v, o.grade_e).is_ok());
            let full = evaluate_bicla_unchecked(&input, options);
            let decides = [Criterion::BiclaGrades, Criterion::BiclaSledai, Criterion::BiclaPga, Criterion::BiclaTreatmentFailure];
            let conj = TriState::all(decides.iter().map(|&c| full.criterion(c).map_or(TriState::NotMet, CriterionResult::state)));
            prop_assert_eq!(full.criteria().len(), 7);
            prop_assert_eq!(full.state(), conj);
            prop_assert_eq!(bicla_state_unchecked(&input, options), conj);
        }
    }
}
