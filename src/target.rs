//! What the treat-to-target rules read at one visit, and how they explain
//! themselves.
//!
//! This module owns [`TargetInputs`], the per-visit input shared by LLDAS
//! ([`crate::lldas`], Franklyn 2016) and DORIS remission
//! ([`crate::remission`], van Vollenhoven 2021), and the per-criterion
//! explanation [`CriterionResult`] with its identifier [`Criterion`].
//!
//! The explanation machinery decides nothing itself: each definition
//! (LLDAS, DORIS, DORIS 2017, BICLA, SRI) implements the fact types its
//! criteria are decided from, and a [`CriterionResult`] carries them packed
//! with the functions that render them, so this module depends on none of
//! the definitions and a new one is added without editing it
//! (`tests/it/structure.rs` keeps it so).
//!
//! Every input other than the assessment is optional: `None` means *not
//! recorded*, which is never read as normal. A criterion that needs a
//! missing input, and is not already settled by the known ones, is
//! [`TriState::Indeterminate`] (`docs/reference.md` sections 2 and 3).
//!
//! # Serde format
//!
//! ```json
//! {
//!   "assessment": {"present": ["arthritis"]},
//!   "previous_assessment": {"present": ["arthritis"]},
//!   "new_activity": null,
//!   "pga": 0.8,
//!   "prednisone_equivalent": 5.0,
//!   "hemolytic_anemia": false,
//!   "gastrointestinal_activity": false,
//!   "maintenance_tolerated": true,
//!   "investigational_drug": false
//! }
//! ```
//!
//! Only `assessment` is required; an omitted field or `null` is not
//! recorded. Unknown fields are errors.

use std::fmt;

use crate::assessment::Assessment;
use crate::descriptor::DescriptorSet;
use crate::glucocorticoid::PrednisoneEquivalent;
use crate::pga::Pga;
use crate::score::{Score, ScoreRange};
use crate::state::TriState;
use crate::vocabulary::vocabulary;

/// The inputs of LLDAS and DORIS remission at one visit.
///
/// `#[non_exhaustive]`: build it with [`TargetInputs::new`] and the `with_*`
/// methods. The public fields can be read and reassigned.
///
/// # Example
///
/// ```
/// use sledai::glucocorticoid::PrednisoneEquivalent;
/// use sledai::target::TargetInputs;
/// use sledai::{lldas, Assessment, Descriptor, Pga, TriState};
///
/// let now = Assessment::from_present([Descriptor::Arthritis]);
/// let inputs = TargetInputs::new(now)
///     .with_previous_assessment(now)
///     .with_pga(Pga::new(1.0)?)
///     .with_prednisone_equivalent(PrednisoneEquivalent::from_mg(7.5)?)
///     .with_hemolytic_anemia(false)
///     .with_gastrointestinal_activity(false)
///     .with_maintenance_tolerated(true)
///     .with_investigational_drug(false);
/// assert_eq!(lldas::evaluate(&inputs)?.state(), TriState::Met);
///
/// // Nothing but an empty form: never met.
/// let empty = TargetInputs::new(Assessment::not_assessed());
/// assert_eq!(lldas::evaluate(&empty)?.state(), TriState::Indeterminate);
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct TargetInputs {
    /// The SLEDAI-2K assessment at this visit.
    pub assessment: Assessment,
    /// The SLEDAI-2K assessment at the previous visit, if any (LLDAS
    /// criterion 2: a descriptor present now and assessed absent then is a
    /// new feature).
    #[serde(default)]
    pub previous_assessment: Option<Assessment>,
    /// The caller's explicit statement on LLDAS criterion 2: `true` if there
    /// are new features of lupus activity since the previous assessment,
    /// `false` if there are none. It settles what the item comparison leaves
    /// open; contradicting a decided comparison is an error (see
    /// [`crate::lldas`]).
    #[serde(default)]
    pub new_activity: Option<bool>,
    /// The physician global assessment (0-3).
    #[serde(default)]
    pub pga: Option<Pga>,
    /// The current daily glucocorticoid dose as prednisone-equivalent
    /// mg/day (see [`crate::glucocorticoid::prednisone_equivalent`]);
    /// [`PrednisoneEquivalent::ZERO`] when no glucocorticoid is taken.
    #[serde(default)]
    pub prednisone_equivalent: Option<PrednisoneEquivalent>,
    /// Haemolytic anaemia attributed to lupus activity (not a SLEDAI-2K
    /// descriptor; LLDAS criterion 1).
    #[serde(default)]
    pub hemolytic_anemia: Option<bool>,
    /// Gastrointestinal lupus activity (not a SLEDAI-2K descriptor; LLDAS
    /// criterion 1).
    #[serde(default)]
    pub gastrointestinal_activity: Option<bool>,
    /// Standard maintenance doses of immunosuppressive drugs and approved
    /// biological agents, well tolerated (LLDAS criterion 5). `true` also
    /// when the patient takes no maintenance therapy: nothing is poorly
    /// tolerated.
    /// Serde also reads the former name `maintenance_well_tolerated`.
    #[serde(default, alias = "maintenance_well_tolerated")]
    pub maintenance_tolerated: Option<bool>,
    /// The patient is taking an investigational drug (LLDAS criterion 5
    /// excludes it).
    #[serde(default)]
    pub investigational_drug: Option<bool>,
}

impl TargetInputs {
    /// Inputs with only the current assessment; everything else not
    /// recorded.
    ///
    /// ```
    /// use sledai::target::TargetInputs;
    /// use sledai::Assessment;
    /// let i = TargetInputs::new(Assessment::from_present([]));
    /// assert_eq!(i.pga, None);
    /// assert_eq!(i.previous_assessment, None);
    /// ```
    pub const fn new(assessment: Assessment) -> TargetInputs {
        TargetInputs {
            assessment,
            previous_assessment: None,
            new_activity: None,
            pga: None,
            prednisone_equivalent: None,
            hemolytic_anemia: None,
            gastrointestinal_activity: None,
            maintenance_tolerated: None,
            investigational_drug: None,
        }
    }

    /// With the previous visit's assessment.
    ///
    /// ```
    /// use sledai::target::TargetInputs;
    /// use sledai::Assessment;
    /// let a = Assessment::from_present([]);
    /// assert_eq!(TargetInputs::new(a).with_previous_assessment(a).previous_assessment, Some(a));
    /// ```
    #[must_use]
    pub const fn with_previous_assessment(mut self, previous: Assessment) -> Self {
        self.previous_assessment = Some(previous);
        self
    }

    /// With an explicit statement on new features of lupus activity since
    /// the previous assessment (`true`: there are new features).
    ///
    /// ```
    /// use sledai::target::TargetInputs;
    /// use sledai::Assessment;
    /// let i = TargetInputs::new(Assessment::from_present([])).with_new_activity(false);
    /// assert_eq!(i.new_activity, Some(false));
    /// ```
    #[must_use]
    pub const fn with_new_activity(mut self, new_activity: bool) -> Self {
        self.new_activity = Some(new_activity);
        self
    }

    /// With the physician global assessment.
    ///
    /// ```
    /// use sledai::target::TargetInputs;
    /// use sledai::{Assessment, Pga};
    /// let i = TargetInputs::new(Assessment::from_present([])).with_pga(Pga::ZERO);
    /// assert_eq!(i.pga, Some(Pga::ZERO));
    /// ```
    #[must_use]
    pub const fn with_pga(mut self, pga: Pga) -> Self {
        self.pga = Some(pga);
        self
    }

    /// With the prednisone-equivalent daily dose.
    ///
    /// ```
    /// use sledai::glucocorticoid::PrednisoneEquivalent;
    /// use sledai::target::TargetInputs;
    /// use sledai::Assessment;
    /// let i = TargetInputs::new(Assessment::from_present([]))
    ///     .with_prednisone_equivalent(PrednisoneEquivalent::ZERO);
    /// assert_eq!(i.prednisone_equivalent, Some(PrednisoneEquivalent::ZERO));
    /// ```
    #[must_use]
    pub const fn with_prednisone_equivalent(mut self, dose: PrednisoneEquivalent) -> Self {
        self.prednisone_equivalent = Some(dose);
        self
    }

    /// With whether haemolytic anaemia from lupus is present.
    ///
    /// ```
    /// use sledai::target::TargetInputs;
    /// use sledai::Assessment;
    /// let i = TargetInputs::new(Assessment::from_present([])).with_hemolytic_anemia(false);
    /// assert_eq!(i.hemolytic_anemia, Some(false));
    /// ```
    #[must_use]
    pub const fn with_hemolytic_anemia(mut self, present: bool) -> Self {
        self.hemolytic_anemia = Some(present);
        self
    }

    /// With whether gastrointestinal lupus activity is present.
    ///
    /// ```
    /// use sledai::target::TargetInputs;
    /// use sledai::Assessment;
    /// let i = TargetInputs::new(Assessment::from_present([])).with_gastrointestinal_activity(true);
    /// assert_eq!(i.gastrointestinal_activity, Some(true));
    /// ```
    #[must_use]
    pub const fn with_gastrointestinal_activity(mut self, present: bool) -> Self {
        self.gastrointestinal_activity = Some(present);
        self
    }

    /// With whether maintenance therapy is at standard doses and well
    /// tolerated (`true` also when there is none).
    ///
    /// ```
    /// use sledai::target::TargetInputs;
    /// use sledai::Assessment;
    /// let i = TargetInputs::new(Assessment::from_present([])).with_maintenance_tolerated(true);
    /// assert_eq!(i.maintenance_tolerated, Some(true));
    /// ```
    #[must_use]
    pub const fn with_maintenance_tolerated(mut self, tolerated: bool) -> Self {
        self.maintenance_tolerated = Some(tolerated);
        self
    }

    /// With whether the patient takes an investigational drug.
    ///
    /// ```
    /// use sledai::target::TargetInputs;
    /// use sledai::Assessment;
    /// let i = TargetInputs::new(Assessment::from_present([])).with_investigational_drug(false);
    /// assert_eq!(i.investigational_drug, Some(false));
    /// ```
    #[must_use]
    pub const fn with_investigational_drug(mut self, taking: bool) -> Self {
        self.investigational_drug = Some(taking);
        self
    }
}

vocabulary! {
/// The identifier of one criterion of a treat-to-target definition.
///
/// Serializes as its snake_case [`Criterion::id`], which `FromStr` reads
/// back (one table, as every vocabulary of the crate). `#[non_exhaustive]`:
/// further definitions may add criteria.
///
/// ```
/// use sledai::target::Criterion;
/// assert_eq!(Criterion::LldasPga.id(), "lldas_pga");
/// assert_eq!(serde_json::to_string(&Criterion::DorisClinicalSledai)?, r#""doris_clinical_sledai""#);
/// assert_eq!("doris_pga".parse::<Criterion>()?, Criterion::DorisPga);
/// assert!("doris_pgaa".parse::<Criterion>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[non_exhaustive]
pub enum Criterion, field = "criterion", path = "sledai::target::Criterion" {
    /// LLDAS 1: SLEDAI-2K <= 4, no major organ activity, no haemolytic
    /// anaemia, no gastrointestinal activity.
    LldasActivity = "lldas_activity",
    /// LLDAS 2: no new features of lupus activity since the previous
    /// assessment.
    LldasNoNewActivity = "lldas_no_new_activity",
    /// LLDAS 3: PGA <= 1.
    LldasPga = "lldas_pga",
    /// LLDAS 4: prednisolone-equivalent <= 7.5 mg/day.
    LldasGlucocorticoid = "lldas_glucocorticoid",
    /// LLDAS 5: well tolerated standard maintenance therapy, no
    /// investigational drug.
    LldasMaintenance = "lldas_maintenance",
    /// DORIS: clinical SLEDAI = 0.
    DorisClinicalSledai = "doris_clinical_sledai",
    /// DORIS: PGA < 0.5 (or <= 0.5 under the review reading, Golder 2020).
    DorisPga = "doris_pga",
    /// DORIS: prednisolone-equivalent <= 5 mg/day (or < 5 under the strict
    /// reading).
    DorisGlucocorticoid = "doris_glucocorticoid",
    /// BICLA 1: every system A at baseline improved to B-E, every B to C-E.
    BiclaImprovement = "bicla_improvement",
    /// BICLA 2: no new BILAG-2004 A and at most one new B.
    BiclaNoNewFlare = "bicla_no_new_flare",
    /// BICLA 3: no worsening of the SLEDAI-2K total (policy `bicla_sledai`).
    BiclaSledai = "bicla_sledai",
    /// BICLA 4: no significant PGA deterioration (policy `bicla_pga`).
    BiclaPga = "bicla_pga",
    /// BICLA 5: no treatment failure.
    BiclaTreatmentFailure = "bicla_treatment_failure",
    /// BICLA 6: a system A or B at baseline (policy `bicla_baseline_activity`).
    BiclaBaselineActivity = "bicla_baseline_activity",
    /// BICLA rules 1, 2 and 6 decided jointly over the completions of the unrecorded grades.
    BiclaGrades = "bicla_grades",
    /// DORIS 2017: clinical SLEDAI-2K = 0 (index `clinical_sledai`).
    Doris2017ClinicalSledai = "doris_2017_clinical_sledai",
    /// DORIS 2017: every BILAG-2004 system D or E (index `bilag_d_e`).
    Doris2017BilagInactive = "doris_2017_bilag_inactive",
    /// DORIS 2017 complete remission: no serological activity.
    Doris2017Serology = "doris_2017_serology",
    /// DORIS 2017: PGA < 0.5 (policy `doris_2017_pga`).
    Doris2017Pga = "doris_2017_pga",
    /// DORIS 2017 on treatment: prednisone-equivalent <= 5 mg/day (policy `doris_2017_glucocorticoid`).
    Doris2017Glucocorticoid = "doris_2017_glucocorticoid",
    /// DORIS 2017 off treatment: no glucocorticoid.
    Doris2017NoGlucocorticoid = "doris_2017_no_glucocorticoid",
    /// DORIS 2017 off treatment: no immunosuppressant.
    Doris2017NoImmunosuppressant = "doris_2017_no_immunosuppressant",
    /// DORIS 2017 off treatment: no biologic.
    Doris2017NoBiologic = "doris_2017_no_biologic",
    /// DORIS 2017 off treatment with `doris_off_treatment_antimalarial = excluded`: no antimalarial.
    Doris2017NoAntimalarial = "doris_2017_no_antimalarial",
}
}

/// The result of one criterion, explaining itself: what was observed,
/// against which threshold, and why the state follows.
///
/// A `CriterionResult` is a small `Copy` value holding the criterion, its
/// state and the facts the state was decided from (descriptor sets, the
/// PGA, the dose, the yes/no inputs, the reading in force), packed into a
/// fixed buffer by the definition that decided them. The explanation texts
/// are rendered from these facts, by that definition, only when asked for
/// ([`observed`](Self::observed), [`threshold`](Self::threshold),
/// [`reason`](Self::reason), or serialization), so evaluating a visit
/// allocates nothing. The state is decided once, from the facts, by the
/// same rule the texts are rendered from.
///
/// Serializes as `{"criterion", "state", "observed", "threshold",
/// "reason"}`, the last three as text. It is an output only: it does not
/// implement `Deserialize` (the explanation texts are not parsed back into
/// facts). `#[non_exhaustive]`.
///
/// ```
/// use sledai::target::{Criterion, TargetInputs};
/// use sledai::{lldas, Assessment, Pga, TriState};
///
/// let inputs = TargetInputs::new(Assessment::from_present([])).with_pga(Pga::new(1.1)?);
/// let r = lldas::evaluate(&inputs)?;
/// let pga = r.criterion(Criterion::LldasPga).expect("an LLDAS criterion");
/// assert_eq!(pga.state(), TriState::NotMet);
/// assert_eq!(pga.observed().to_string(), "PGA 1.1");
/// assert_eq!(pga.threshold(), "PGA <= 1.0 (0-3 scale)");
/// assert_eq!(pga.reason().to_string(), "1.1 > 1.0");
/// let json = serde_json::to_value(pga).unwrap();
/// assert_eq!(json["state"], "not_met");
/// assert_eq!(json["observed"], "PGA 1.1");
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Clone, Copy)]
#[non_exhaustive]
pub struct CriterionResult {
    criterion: Criterion,
    state: TriState,
    /// How the definition that packed `facts` reads and renders them.
    kind: &'static Kind,
    facts: Packed,
}

/// The facts of one criterion, as its definition implements them: the
/// machinery of this module decides nothing itself, so a new definition
/// adds its own fact types without editing it.
///
/// A type implementing it is packed into a [`CriterionResult`] (see
/// [`Pack`]) and unpacked again to render a text; the state is decided
/// once, before packing.
pub(crate) trait Facts: Pack + Copy + 'static {
    /// The state, decided from the facts: the one place the rule is
    /// applied.
    fn state(&self) -> TriState;
    /// The rule, as text.
    fn threshold(&self) -> &'static str;
    /// The observed value(s).
    fn write_observed(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result;
    /// Why `state` follows from the observed value(s).
    fn write_reason(&self, f: &mut fmt::Formatter<'_>, state: TriState) -> fmt::Result;
}

/// The renderers of one fact type: function pointers monomorphized for it
/// by [`HasKind`], so a packed result carries no reference to its
/// definition's module.
pub(crate) struct Kind {
    threshold: fn(&Packed) -> &'static str,
    observed: fn(&Packed, &mut fmt::Formatter<'_>) -> fmt::Result,
    reason: fn(&Packed, TriState, &mut fmt::Formatter<'_>) -> fmt::Result,
}

fn unpack<F: Facts>(p: &Packed) -> F {
    F::take(&mut Reader { bytes: &p.0, at: 0 })
}

fn threshold_of<F: Facts>(p: &Packed) -> &'static str {
    unpack::<F>(p).threshold()
}

fn observed_of<F: Facts>(p: &Packed, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    unpack::<F>(p).write_observed(f)
}

fn reason_of<F: Facts>(p: &Packed, state: TriState, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    unpack::<F>(p).write_reason(f, state)
}

/// The [`Kind`] of every fact type.
trait HasKind {
    const KIND: &'static Kind;
}

impl<F: Facts> HasKind for F {
    const KIND: &'static Kind = &Kind {
        threshold: threshold_of::<F>,
        observed: observed_of::<F>,
        reason: reason_of::<F>,
    };
}

/// Up to `N` criterion results in a fixed array: the criteria of a rule
/// whose number of criteria depends on its variant or options (DORIS 2017:
/// 4 to 7), kept without a heap allocation per result. Compares, hashes,
/// prints and serializes as the slice of its results.
#[derive(Clone, Copy)]
pub(crate) struct CriterionList<const N: usize> {
    /// `items[..len]` are the results; the rest are [`VACANT`].
    items: [CriterionResult; N],
    len: u8,
}

/// Fills the unused places of a [`CriterionList`]; never read.
#[derive(Clone, Copy)]
struct Vacant;

impl Pack for Vacant {
    const SIZE: usize = 0;
    fn put(&self, _: &mut Writer) {}
    fn take(_: &mut Reader<'_>) -> Vacant {
        Vacant
    }
}

impl Facts for Vacant {
    fn state(&self) -> TriState {
        TriState::Indeterminate
    }
    fn threshold(&self) -> &'static str {
        ""
    }
    fn write_observed(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        Ok(())
    }
    fn write_reason(&self, _: &mut fmt::Formatter<'_>, _: TriState) -> fmt::Result {
        Ok(())
    }
}

const VACANT: CriterionResult = CriterionResult {
    criterion: Criterion::LldasActivity,
    state: TriState::Indeterminate,
    kind: <Vacant as HasKind>::KIND,
    facts: Packed([0; PACKED]),
};

impl<const N: usize> CriterionList<N> {
    /// An empty list.
    pub(crate) const fn new() -> CriterionList<N> {
        const { assert!(N <= u8::MAX as usize) };
        CriterionList {
            items: [VACANT; N],
            len: 0,
        }
    }

    /// Appends a result (a rule pushing more than its `N` criteria is a
    /// programming error: the index is out of bounds).
    fn push(&mut self, item: CriterionResult) {
        self.items[usize::from(self.len)] = item;
        self.len += 1;
    }

    /// The results, in the order pushed.
    pub(crate) fn as_slice(&self) -> &[CriterionResult] {
        &self.items[..usize::from(self.len)]
    }

    /// The results of a rule with exactly `N` criteria (LLDAS, DORIS
    /// 2021), as an array.
    pub(crate) fn into_array(self) -> [CriterionResult; N] {
        debug_assert_eq!(usize::from(self.len), N, "a rule of N criteria pushed N");
        self.items
    }
}

/// Where a rule puts its criteria, in order. A rule is written once, as a
/// function generic over its sink, and run either into a [`Collect`] (the
/// explained result: every criterion packed, and the state) or into a
/// [`StateOnly`] (the state alone, nothing packed): the state a caller
/// reads without the criteria comes from the same code as the
/// explanation.
pub(crate) trait CriterionSink {
    /// A criterion of the conjunction that decides the rule's state.
    fn decide<F: Facts>(&mut self, criterion: Criterion, facts: F);
    /// A criterion reported to explain the result but not part of the
    /// conjunction (BICLA's rules 1, 2 and 6, decided jointly by its
    /// grades criterion).
    fn explain<F: Facts>(&mut self, criterion: Criterion, facts: F);
}

/// The explained result of a rule: its criteria and its state.
pub(crate) struct Collect<const N: usize> {
    /// The criteria, in the order the rule reports them.
    pub(crate) criteria: CriterionList<N>,
    /// The three-valued AND of the deciding criteria.
    pub(crate) state: TriState,
}

impl<const N: usize> Collect<N> {
    /// Nothing collected yet (state `Met`, the AND of none).
    pub(crate) const fn new() -> Collect<N> {
        Collect {
            criteria: CriterionList::new(),
            state: TriState::Met,
        }
    }
}

impl<const N: usize> CriterionSink for Collect<N> {
    fn decide<F: Facts>(&mut self, criterion: Criterion, facts: F) {
        let r = CriterionResult::from_facts(criterion, facts);
        self.state = self.state.and(r.state());
        self.criteria.push(r);
    }
    fn explain<F: Facts>(&mut self, criterion: Criterion, facts: F) {
        self.criteria
            .push(CriterionResult::from_facts(criterion, facts));
    }
}

/// The state of a rule alone: the three-valued AND of its deciding
/// criteria, decided from their facts, none packed.
pub(crate) struct StateOnly(pub(crate) TriState);

impl StateOnly {
    /// Nothing decided yet (`Met`, the AND of none).
    pub(crate) const fn new() -> StateOnly {
        StateOnly(TriState::Met)
    }
}

impl CriterionSink for StateOnly {
    fn decide<F: Facts>(&mut self, _: Criterion, facts: F) {
        // Not met and anything is not met (three-valued AND): the rest of
        // the conjunction is not decided once one criterion is not met.
        if self.0 != TriState::NotMet {
            self.0 = self.0.and(facts.state());
        }
    }
    fn explain<F: Facts>(&mut self, _: Criterion, _: F) {}
}

/// The states of a rule's criteria and its state, none packed: what the
/// flat-table output prints of a rule with a fixed list of criteria
/// (LLDAS, DORIS 2021), from the same rule code as the explained result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct States<const N: usize> {
    /// `criteria[..len]`: each criterion with its state, in the order the
    /// rule reports them.
    criteria: [(Criterion, TriState); N],
    len: u8,
    /// The three-valued AND of the deciding criteria.
    pub(crate) state: TriState,
}

impl<const N: usize> States<N> {
    /// Nothing decided yet (state `Met`, the AND of none).
    pub(crate) const fn new() -> States<N> {
        const { assert!(N <= u8::MAX as usize) };
        States {
            criteria: [(Criterion::LldasActivity, TriState::Indeterminate); N],
            len: 0,
            state: TriState::Met,
        }
    }

    /// The state of `criterion`; `None` when the rule did not report it.
    pub(crate) fn criterion(&self, criterion: Criterion) -> Option<TriState> {
        self.criteria[..usize::from(self.len)]
            .iter()
            .find(|(c, _)| *c == criterion)
            .map(|(_, s)| *s)
    }

    /// Each criterion with its state, in the order the rule reports them.
    #[cfg(test)]
    pub(crate) fn as_slice(&self) -> &[(Criterion, TriState)] {
        &self.criteria[..usize::from(self.len)]
    }

    /// Records one criterion (a rule reporting more than its `N` criteria
    /// is a programming error: the index is out of bounds).
    fn push(&mut self, criterion: Criterion, state: TriState) {
        self.criteria[usize::from(self.len)] = (criterion, state);
        self.len += 1;
    }
}

impl<const N: usize> CriterionSink for States<N> {
    fn decide<F: Facts>(&mut self, criterion: Criterion, facts: F) {
        let state = facts.state();
        self.state = self.state.and(state);
        self.push(criterion, state);
    }
    fn explain<F: Facts>(&mut self, criterion: Criterion, facts: F) {
        self.push(criterion, facts.state());
    }
}

impl<const N: usize> PartialEq for CriterionList<N> {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<const N: usize> Eq for CriterionList<N> {}

impl<const N: usize> std::hash::Hash for CriterionList<N> {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.as_slice().hash(h);
    }
}

impl<const N: usize> fmt::Debug for CriterionList<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.as_slice().fmt(f)
    }
}

impl<const N: usize> serde::Serialize for CriterionList<N> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.as_slice().serialize(s)
    }
}

/// The size of the buffer the facts of one criterion are packed into.
const PACKED: usize = 24;

/// Packed facts; unused bytes are zero, so equal facts pack equal.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Packed([u8; PACKED]);

/// Writes a value's bytes into a [`Packed`] buffer.
pub(crate) struct Writer {
    bytes: [u8; PACKED],
    at: usize,
}

impl Writer {
    /// Appends one byte. The sizes are checked at compile time (see
    /// [`CriterionResult::from_facts`]), so the buffer never overflows.
    pub(crate) fn byte(&mut self, b: u8) {
        self.bytes[self.at] = b;
        self.at += 1;
    }

    /// Appends the position of `value` in `all` (a closed set of at most 256
    /// values).
    pub(crate) fn index<T: PartialEq>(&mut self, value: &T, all: &[T]) {
        let i = all.iter().position(|v| v == value).unwrap_or(0);
        self.byte(u8::try_from(i).unwrap_or(0));
    }
}

/// Reads back what a [`Writer`] wrote, in the same order.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8; PACKED],
    at: usize,
}

impl Reader<'_> {
    /// The next byte.
    pub(crate) fn byte(&mut self) -> u8 {
        let b = self.bytes[self.at];
        self.at += 1;
        b
    }

    /// The value of `all` at the next position (see [`Writer::index`]).
    pub(crate) fn index<T: Copy>(&mut self, all: &[T]) -> T {
        let i = usize::from(self.byte());
        all[i.min(all.len() - 1)]
    }
}

/// A value that packs into a few bytes: what a [`Facts`] type is made of.
/// `take` reads exactly what `put` wrote.
pub(crate) trait Pack: Sized {
    /// The most bytes `put` writes.
    const SIZE: usize;
    fn put(&self, w: &mut Writer);
    fn take(r: &mut Reader<'_>) -> Self;
}

impl Pack for u8 {
    const SIZE: usize = 1;
    fn put(&self, w: &mut Writer) {
        w.byte(*self);
    }
    fn take(r: &mut Reader<'_>) -> u8 {
        r.byte()
    }
}

impl Pack for bool {
    const SIZE: usize = 1;
    fn put(&self, w: &mut Writer) {
        w.byte(u8::from(*self));
    }
    fn take(r: &mut Reader<'_>) -> bool {
        r.byte() != 0
    }
}

impl Pack for u32 {
    const SIZE: usize = 4;
    fn put(&self, w: &mut Writer) {
        self.to_le_bytes().iter().for_each(|b| w.byte(*b));
    }
    fn take(r: &mut Reader<'_>) -> u32 {
        u32::from_le_bytes(std::array::from_fn(|_| r.byte()))
    }
}

impl Pack for u64 {
    const SIZE: usize = 8;
    fn put(&self, w: &mut Writer) {
        self.to_le_bytes().iter().for_each(|b| w.byte(*b));
    }
    fn take(r: &mut Reader<'_>) -> u64 {
        u64::from_le_bytes(std::array::from_fn(|_| r.byte()))
    }
}

impl<T: Pack> Pack for Option<T> {
    const SIZE: usize = 1 + T::SIZE;
    fn put(&self, w: &mut Writer) {
        match self {
            None => w.byte(0),
            Some(v) => {
                w.byte(1);
                v.put(w);
            }
        }
    }
    fn take(r: &mut Reader<'_>) -> Option<T> {
        (r.byte() != 0).then(|| T::take(r))
    }
}

impl<T: Pack, const N: usize> Pack for [T; N] {
    const SIZE: usize = N * T::SIZE;
    fn put(&self, w: &mut Writer) {
        self.iter().for_each(|v| v.put(w));
    }
    fn take(r: &mut Reader<'_>) -> [T; N] {
        std::array::from_fn(|_| T::take(r))
    }
}

impl Pack for Pga {
    const SIZE: usize = 1;
    fn put(&self, w: &mut Writer) {
        w.byte(self.tenths());
    }
    fn take(r: &mut Reader<'_>) -> Pga {
        // Only tenths written by `put` are read back: always valid.
        Pga::from_tenths(r.byte()).unwrap_or(Pga::ZERO)
    }
}

impl Pack for PrednisoneEquivalent {
    const SIZE: usize = 8;
    fn put(&self, w: &mut Writer) {
        self.units().put(w);
    }
    fn take(r: &mut Reader<'_>) -> PrednisoneEquivalent {
        PrednisoneEquivalent::from_valid_units(u64::take(r))
    }
}

impl Pack for DescriptorSet {
    const SIZE: usize = 4;
    fn put(&self, w: &mut Writer) {
        self.bits().put(w);
    }
    fn take(r: &mut Reader<'_>) -> DescriptorSet {
        DescriptorSet::from_bits_truncate(u32::take(r))
    }
}

impl Pack for Score {
    const SIZE: usize = 1;
    fn put(&self, w: &mut Writer) {
        w.byte(self.get());
    }
    fn take(r: &mut Reader<'_>) -> Score {
        // Only totals written by `put` are read back: always valid.
        Score::new(r.byte()).unwrap_or(Score::ZERO)
    }
}

impl Pack for ScoreRange {
    const SIZE: usize = 2;
    fn put(&self, w: &mut Writer) {
        self.min().put(w);
        self.max().put(w);
    }
    fn take(r: &mut Reader<'_>) -> ScoreRange {
        let min = Score::take(r);
        ScoreRange::new(min, Score::take(r))
    }
}

/// Implements [`Pack`] for a struct, field by field:
/// `pack_struct!(Name { field: Type, ... })` (every field listed, in any
/// order).
macro_rules! pack_struct {
    ($name:ident { $($field:ident: $ty:ty),+ $(,)? }) => {
        impl $crate::target::Pack for $name {
            const SIZE: usize = 0 $(+ <$ty as $crate::target::Pack>::SIZE)+;
            fn put(&self, w: &mut $crate::target::Writer) {
                $( $crate::target::Pack::put(&self.$field, w); )+
            }
            fn take(r: &mut $crate::target::Reader<'_>) -> $name {
                $name { $( $field: <$ty as $crate::target::Pack>::take(r), )+ }
            }
        }
    };
}
pub(crate) use pack_struct;

/// Implements [`Pack`] for a fieldless enum (or any `Copy + PartialEq`
/// type with the listed values): `pack_values!(Name: [Name::A, Name::B])`,
/// or `pack_values!(Name: all Name::ALL)` for a vocabulary.
macro_rules! pack_values {
    ($name:ty: all $all:expr) => {
        impl $crate::target::Pack for $name {
            const SIZE: usize = 1;
            fn put(&self, w: &mut $crate::target::Writer) {
                w.index(self, &$all);
            }
            fn take(r: &mut $crate::target::Reader<'_>) -> $name {
                r.index(&$all)
            }
        }
    };
    ($name:ty: [$($value:expr),+ $(,)?]) => {
        impl $crate::target::Pack for $name {
            const SIZE: usize = 1;
            fn put(&self, w: &mut $crate::target::Writer) {
                w.index(self, &[$($value),+]);
            }
            fn take(r: &mut $crate::target::Reader<'_>) -> $name {
                r.index(&[$($value),+])
            }
        }
    };
}
pub(crate) use pack_values;

impl PartialEq for CriterionResult {
    /// Same criterion, state and facts (one criterion is always decided
    /// from one fact type).
    fn eq(&self, other: &CriterionResult) -> bool {
        self.criterion == other.criterion && self.state == other.state && self.facts == other.facts
    }
}

impl Eq for CriterionResult {}

impl std::hash::Hash for CriterionResult {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.criterion.hash(h);
        self.state.hash(h);
        self.facts.hash(h);
    }
}

impl fmt::Debug for CriterionResult {
    /// The criterion, the state and the three texts.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CriterionResult")
            .field("criterion", &self.criterion)
            .field("state", &self.state)
            .field("observed", &self.observed().to_string())
            .field("threshold", &self.threshold())
            .field("reason", &self.reason().to_string())
            .finish()
    }
}

impl CriterionResult {
    /// A result whose state is decided from `facts`.
    pub(crate) fn from_facts<F: Facts>(criterion: Criterion, facts: F) -> CriterionResult {
        const { assert!(F::SIZE <= PACKED, "the facts do not fit the packed buffer") };
        let mut w = Writer {
            bytes: [0; PACKED],
            at: 0,
        };
        facts.put(&mut w);
        CriterionResult {
            criterion,
            state: facts.state(),
            kind: F::KIND,
            facts: Packed(w.bytes),
        }
    }

    /// Which criterion.
    ///
    /// ```
    /// use sledai::remission::{self, RemissionOptions};
    /// use sledai::target::{Criterion, TargetInputs};
    /// use sledai::Assessment;
    /// let r = remission::evaluate(&TargetInputs::new(Assessment::from_present([])), RemissionOptions::default())?;
    /// assert_eq!(r.criteria()[0].criterion(), Criterion::DorisClinicalSledai);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn criterion(&self) -> Criterion {
        self.criterion
    }

    /// Met, not met, or indeterminate.
    ///
    /// ```
    /// use sledai::remission::{self, RemissionOptions};
    /// use sledai::target::{Criterion, TargetInputs};
    /// use sledai::{Assessment, TriState};
    /// let r = remission::evaluate(&TargetInputs::new(Assessment::from_present([])), RemissionOptions::default())?;
    /// let state = |c| r.criterion(c).map(|c| c.state());
    /// assert_eq!(state(Criterion::DorisClinicalSledai), Some(TriState::Met)); // clinical SLEDAI 0
    /// assert_eq!(state(Criterion::DorisPga), Some(TriState::Indeterminate)); // PGA not recorded
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn state(&self) -> TriState {
        self.state
    }

    /// The observed value(s), rendered on demand (`"not recorded"` for a
    /// missing input). Use `to_string()` for a `String`, or write it into
    /// any formatter without allocating.
    ///
    /// ```
    /// use sledai::target::{Criterion, TargetInputs};
    /// use sledai::{lldas, Assessment, Descriptor};
    /// let r = lldas::evaluate(&TargetInputs::new(Assessment::from_present([Descriptor::Rash])))?;
    /// assert_eq!(
    ///     r.criterion(Criterion::LldasActivity).expect("criterion 1").observed().to_string(),
    ///     "SLEDAI-2K 2 (present: rash); haemolytic anaemia: not recorded; \
    ///      gastrointestinal activity: not recorded"
    /// );
    /// assert_eq!(r.criterion(Criterion::LldasPga).expect("criterion 3").observed().to_string(), "PGA not recorded");
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub fn observed(&self) -> impl fmt::Display {
        Text(*self, Part::Observed)
    }

    /// The rule, as text (e.g. `"PGA <= 1.0 (0-3 scale)"`); it depends only
    /// on the criterion and the reading in force.
    ///
    /// ```
    /// use sledai::remission::{self, RemissionOptions, RemissionPga};
    /// use sledai::target::{Criterion, TargetInputs};
    /// use sledai::Assessment;
    /// let i = TargetInputs::new(Assessment::from_present([]));
    /// let pga = |o: RemissionOptions| -> Result<&'static str, sledai::Error> {
    ///     Ok(remission::evaluate(&i, o)?.criterion(Criterion::DorisPga).expect("a DORIS criterion").threshold())
    /// };
    /// assert_eq!(pga(RemissionOptions::default())?, "PGA < 0.5 (0-3 scale; DORIS 2021)");
    /// assert_eq!(
    ///     pga(RemissionPga::ReviewAtMostHalf.into())?,
    ///     "PGA <= 0.5 (0-3 scale; Golder 2020 review reading)"
    /// );
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn threshold(&self) -> &'static str {
        (self.kind.threshold)(&self.facts)
    }

    /// A short reason the state follows from the observed value, rendered
    /// on demand.
    ///
    /// ```
    /// use sledai::glucocorticoid::PrednisoneEquivalent;
    /// use sledai::target::{Criterion, TargetInputs};
    /// use sledai::{lldas, Assessment};
    /// let i = TargetInputs::new(Assessment::from_present([]))
    ///     .with_prednisone_equivalent(PrednisoneEquivalent::from_mg(7.6)?);
    /// let r = lldas::evaluate(&i)?;
    /// let c4 = r.criterion(Criterion::LldasGlucocorticoid).expect("criterion 4");
    /// assert_eq!(c4.reason().to_string(), "7.6 mg/day > 7.5 mg/day");
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub fn reason(&self) -> impl fmt::Display {
        Text(*self, Part::Reason)
    }

    fn write_observed(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (self.kind.observed)(&self.facts, f)
    }

    fn write_reason(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (self.kind.reason)(&self.facts, self.state, f)
    }
}

/// Which text of a [`CriterionResult`] to render.
#[derive(Clone, Copy)]
enum Part {
    Observed,
    Reason,
}

/// A lazily rendered text of a [`CriterionResult`].
#[derive(Clone, Copy)]
struct Text(CriterionResult, Part);

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.1 {
            Part::Observed => self.0.write_observed(f),
            Part::Reason => self.0.write_reason(f),
        }
    }
}

impl serde::Serialize for Text {
    /// Streams the text into the serializer (no intermediate `String` for
    /// serializers that support it, such as `serde_json`'s).
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl serde::Serialize for CriterionResult {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("CriterionResult", 5)?;
        st.serialize_field("criterion", &self.criterion)?;
        st.serialize_field("state", &self.state)?;
        st.serialize_field("observed", &Text(*self, Part::Observed))?;
        st.serialize_field("threshold", self.threshold())?;
        st.serialize_field("reason", &Text(*self, Part::Reason))?;
        st.end()
    }
}

/// A [`CriterionResult`] serialized without its `criterion` key (for maps
/// keyed by criterion, as in [`crate::visit::VisitResult`]).
pub(crate) struct WithoutCriterion<'a>(pub(crate) &'a CriterionResult);

impl serde::Serialize for WithoutCriterion<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let r = *self.0;
        let mut st = s.serialize_struct("Entry", 4)?;
        st.serialize_field("state", &r.state)?;
        st.serialize_field("observed", &Text(r, Part::Observed))?;
        st.serialize_field("threshold", r.threshold())?;
        st.serialize_field("reason", &Text(r, Part::Reason))?;
        st.end()
    }
}

/// `"yes"`, `"no"` or `"not recorded"`.
pub(crate) fn yes_no(value: Option<bool>) -> &'static str {
    match value {
        Some(true) => "yes",
        Some(false) => "no",
        None => NOT_RECORDED,
    }
}

/// The SLEDAI range of the items `present` plus any of `missing`.
pub(crate) const fn range_of(present: DescriptorSet, missing: DescriptorSet) -> ScoreRange {
    ScoreRange::new(
        Score::from_valid_mask(present.bits()),
        Score::from_valid_mask(present.union(missing).bits()),
    )
}

/// Writes, separated by `"; "`, `text(i)` for every check `i` whose state
/// is `state`.
pub(crate) fn write_checks(
    f: &mut fmt::Formatter<'_>,
    checks: &[TriState],
    state: TriState,
    mut text: impl FnMut(&mut fmt::Formatter<'_>, usize) -> fmt::Result,
) -> fmt::Result {
    let mut first = true;
    for (i, c) in checks.iter().enumerate() {
        if *c == state {
            if !first {
                f.write_str("; ")?;
            }
            first = false;
            text(f, i)?;
        }
    }
    Ok(())
}

/// The shared text for a missing input.
pub(crate) const NOT_RECORDED: &str = "not recorded";

/// The rule text of a [`Cutoff`], supplied by the definition that uses it
/// (a zero-sized marker type per criterion).
pub(crate) trait CutoffRule: Copy + 'static {
    /// The rule as text, for the reading `inclusive` (`<=`) or not (`<`).
    fn threshold(inclusive: bool) -> &'static str;
}

/// A value a [`Cutoff`] compares: its label in the texts.
pub(crate) trait CutoffValue: Pack + Ord + Copy + fmt::Display + 'static {
    const LABEL: &'static str;
}

impl CutoffValue for Pga {
    const LABEL: &'static str = "PGA";
}

impl CutoffValue for PrednisoneEquivalent {
    const LABEL: &'static str = "prednisone-equivalent";
}

/// A criterion of the form `value <= limit` (or `value < limit` when not
/// `inclusive`), indeterminate when the value is missing; `R` names the
/// criterion's rule text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Cutoff<T, R> {
    value: Option<T>,
    limit: T,
    inclusive: bool,
    rule: std::marker::PhantomData<R>,
}

impl<T, R> Cutoff<T, R> {
    /// `value <= limit` (`inclusive`) or `value < limit`, with the text of
    /// `rule`.
    pub(crate) fn new(value: Option<T>, limit: T, inclusive: bool, _rule: R) -> Self {
        Cutoff {
            value,
            limit,
            inclusive,
            rule: std::marker::PhantomData,
        }
    }
}

impl<T: CutoffValue, R: CutoffRule> Pack for Cutoff<T, R> {
    const SIZE: usize = <Option<T>>::SIZE + T::SIZE + 1;
    fn put(&self, w: &mut Writer) {
        self.value.put(w);
        self.limit.put(w);
        self.inclusive.put(w);
    }
    fn take(r: &mut Reader<'_>) -> Self {
        let value = <Option<T> as Pack>::take(r);
        let limit = T::take(r);
        Cutoff {
            value,
            limit,
            inclusive: bool::take(r),
            rule: std::marker::PhantomData,
        }
    }
}

impl<T: CutoffValue, R: CutoffRule> Facts for Cutoff<T, R> {
    /// The rule.
    fn state(&self) -> TriState {
        match self.value {
            None => TriState::Indeterminate,
            Some(v) => TriState::from_bool(if self.inclusive {
                v <= self.limit
            } else {
                v < self.limit
            }),
        }
    }

    fn threshold(&self) -> &'static str {
        R::threshold(self.inclusive)
    }

    fn write_observed(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = T::LABEL;
        match self.value {
            None => write!(f, "{label} {NOT_RECORDED}"),
            Some(v) => write!(f, "{label} {v}"),
        }
    }

    fn write_reason(&self, f: &mut fmt::Formatter<'_>, state: TriState) -> fmt::Result {
        let label = T::LABEL;
        let Some(v) = self.value else {
            return write!(f, "{label} is not recorded; a missing value never passes");
        };
        let op = match (state == TriState::Met, self.inclusive) {
            (true, true) => "<=",
            (true, false) => "<",
            (false, true) => ">",
            (false, false) => ">=",
        };
        write!(f, "{v} {op} {}", self.limit)
    }
}
