//! The four DORIS 2017 remission variants at one visit: clinical or
//! complete, on or off treatment.
//!
//! This module owns [`Doris2017Variant`], [`Treatment`] (the caller's
//! statement of current SLE drugs), [`Remission2017Options`] with its
//! policies, [`evaluate`] and [`Remission2017Result`].
//!
//! Sources: van Vollenhoven R et al. *A framework for remission in SLE:
//! consensus findings from a large international task force on definitions
//! of remission in SLE (DORIS).* Ann Rheum Dis 2017;76:554-61 (Table 4: the
//! indices, PGA "<0.5" as an example, remission off therapy "on no other
//! treatment for SLE than maintenance antimalarials", on therapy with
//! "prednisone ≤5 mg/day", maintenance immunosuppressives and biologics);
//! Golder V, Tsang-A-Sjoe M. Rheumatology 2020;59(Suppl 5):v19-v28, Table 1
//! (clinical versus complete: serological activity allowed or not);
//! van Vollenhoven RF et al. Lupus Sci Med 2021;8:e000538 (the 2021
//! definition, [`crate::remission`]). The table of criteria and the
//! policies are `docs/bilag.md` and `docs/reference.md` sections 10.2-10.3.
//!
//! | criterion | clinical on | complete on | clinical off | complete off |
//! |---|---|---|---|---|
//! | clinical SLEDAI-2K = 0 (or BILAG D/E only) | yes | yes | yes | yes |
//! | no low complement, no increased DNA binding | - | yes | - | yes |
//! | PGA < 0.5 | yes | yes | yes | yes |
//! | prednisone-equivalent <= 5 mg/day | yes | yes | - | - |
//! | no glucocorticoid | - | - | yes | yes |
//! | no immunosuppressant, no biologic | - | - | yes | yes |
//! | no antimalarial (policy `excluded` only) | - | - | yes | yes |
//!
//! Three-valued per criterion; the criteria read disjoint inputs, so their
//! conjunction is exact over the completions (`docs/reference.md` section
//! 9.7). Under the default policies the clinical-on-treatment variant has
//! the thresholds of the 2021 definition and gives the same result.
//!
//! # Example
//!
//! ```
//! use sledai::bilag::BilagGrades;
//! use sledai::glucocorticoid::PrednisoneEquivalent;
//! use sledai::remission_2017::{evaluate, Doris2017Variant, Remission2017Options, Treatment};
//! use sledai::target::TargetInputs;
//! use sledai::{Assessment, Descriptor, Pga, TriState};
//!
//! // After CAR-T: SLEDAI-2K 2 from low complement only, PGA 0, no drugs.
//! let inputs = TargetInputs::new(Assessment::from_present([Descriptor::LowComplement]))
//!     .with_pga(Pga::ZERO)
//!     .with_prednisone_equivalent(PrednisoneEquivalent::ZERO);
//! let t = Treatment::new(Some(false), Some(false), Some(false));
//! let o = Remission2017Options::default();
//! let g = BilagGrades::NOT_RECORDED;
//! let clinical = evaluate(&inputs, &t, &g, Doris2017Variant::ClinicalOffTreatment, o)?;
//! assert_eq!(clinical.state(), TriState::Met);
//! let complete = evaluate(&inputs, &t, &g, Doris2017Variant::CompleteOffTreatment, o)?;
//! assert_eq!(complete.state(), TriState::NotMet); // serological activity
//! # Ok::<(), sledai::Error>(())
//! ```

use std::fmt;

use crate::bilag::{
    BiclaBaselineActivity, BilagGrades, BilagOptions, Flag, FlagFacts, GradeFacts, GradeRule,
};
use crate::descriptor::{Descriptor, DescriptorSet};
use crate::error::Error;
use crate::glucocorticoid::PrednisoneEquivalent;
use crate::pga::Pga;
use crate::remission::{ClinicalFacts, DoseRule, FIVE_MG, SEROLOGY};
use crate::state::TriState;
use crate::target::{
    Collect, Criterion, CriterionList, CriterionResult, CriterionSink, Cutoff, CutoffRule, Facts,
    StateOnly, TargetInputs, pack_struct,
};
use crate::vocabulary::vocabulary;

vocabulary! {
    /// The DORIS 2017 PGA cut-off (`docs/reference.md` section 10.3;
    /// shares the CLI flag `--doris-pga`).
    ///
    /// ```
    /// use sledai::remission_2017::Doris2017Pga;
    /// assert_eq!(Doris2017Pga::default(), Doris2017Pga::BelowHalf);
    /// ```
    pub enum Doris2017Pga = "doris_2017_pga", path = "sledai::remission_2017::Doris2017Pga" {
        /// PGA < 0.5, as the 2017 paper prints it (Table 4). The default.
        BelowHalf = "below_half",
        /// PGA <= 0.5, the rendering of the Golder 2020 review table.
        AtMostHalf = "at_most_half",
    }
}

vocabulary! {
    /// The DORIS 2017 on-treatment glucocorticoid cut-off (shares the CLI
    /// flag `--doris-glucocorticoid`).
    ///
    /// ```
    /// use sledai::remission_2017::Doris2017Glucocorticoid;
    /// assert_eq!(Doris2017Glucocorticoid::default().to_string(), "at_most_5");
    /// ```
    pub enum Doris2017Glucocorticoid = "doris_2017_glucocorticoid", path = "sledai::remission_2017::Doris2017Glucocorticoid" {
        /// Prednisone-equivalent <= 5 mg/day ("prednisone ≤5 mg/day",
        /// 2017 Table 4). The default.
        AtMost5 = "at_most_5",
        /// Strictly < 5 mg/day.
        Below5 = "below_5",
    }
}

vocabulary! {
    /// Whether remission off treatment allows maintenance antimalarials.
    ///
    /// ```
    /// use sledai::remission_2017::DorisOffTreatmentAntimalarial;
    /// assert_eq!(DorisOffTreatmentAntimalarial::default(), DorisOffTreatmentAntimalarial::Allowed);
    /// ```
    pub enum DorisOffTreatmentAntimalarial = "doris_off_treatment_antimalarial", path = "sledai::remission_2017::DorisOffTreatmentAntimalarial" {
        /// "Remission off therapy requires the patient to be on no other
        /// treatment for SLE than maintenance antimalarials" (2017 Table
        /// 4). The default.
        Allowed = "allowed",
        /// The "drug-free" reading: `on_antimalarial` must be false.
        Excluded = "excluded",
    }
}

vocabulary! {
    /// The activity index of DORIS 2017 ("clinical SLEDAI=0; BILAG 2004 D
    /// or E only", 2017 Table 4; 2021 prefers SLEDAI).
    ///
    /// ```
    /// use sledai::remission_2017::Doris2017Index;
    /// assert_eq!(Doris2017Index::default(), Doris2017Index::ClinicalSledai);
    /// ```
    pub enum Doris2017Index = "doris_2017_index", path = "sledai::remission_2017::Doris2017Index" {
        /// Clinical SLEDAI-2K = 0. The default.
        ClinicalSledai = "clinical_sledai",
        /// All nine BILAG-2004 systems D or E.
        BilagDE = "bilag_d_e",
    }
}

/// One of the four DORIS 2017 variants.
///
/// ```
/// use sledai::remission_2017::Doris2017Variant;
/// assert_eq!(Doris2017Variant::ALL.len(), 4);
/// assert_eq!(Doris2017Variant::CompleteOffTreatment.id(), "doris_2017_complete_off_treatment");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Doris2017Variant {
    /// Clinical remission on treatment: serology allowed, prednisone <= 5.
    ClinicalOnTreatment,
    /// Complete remission on treatment: also no serological activity.
    CompleteOnTreatment,
    /// Clinical remission off treatment: no glucocorticoid, no
    /// immunosuppressant, no biologic.
    ClinicalOffTreatment,
    /// Complete remission off treatment: also no serological activity.
    CompleteOffTreatment,
}

impl Doris2017Variant {
    /// The four variants, in the order of the output keys.
    pub const ALL: [Doris2017Variant; 4] = [
        Doris2017Variant::ClinicalOnTreatment,
        Doris2017Variant::CompleteOnTreatment,
        Doris2017Variant::ClinicalOffTreatment,
        Doris2017Variant::CompleteOffTreatment,
    ];

    /// The output key of the variant.
    ///
    /// ```
    /// use sledai::remission_2017::Doris2017Variant;
    /// assert_eq!(Doris2017Variant::ClinicalOnTreatment.id(), "doris_2017_clinical_on_treatment");
    /// ```
    pub const fn id(self) -> &'static str {
        match self {
            Doris2017Variant::ClinicalOnTreatment => "doris_2017_clinical_on_treatment",
            Doris2017Variant::CompleteOnTreatment => "doris_2017_complete_on_treatment",
            Doris2017Variant::ClinicalOffTreatment => "doris_2017_clinical_off_treatment",
            Doris2017Variant::CompleteOffTreatment => "doris_2017_complete_off_treatment",
        }
    }

    /// Whether the variant requires no serological activity.
    ///
    /// ```
    /// assert!(sledai::remission_2017::Doris2017Variant::CompleteOnTreatment.is_complete());
    /// ```
    pub const fn is_complete(self) -> bool {
        matches!(
            self,
            Doris2017Variant::CompleteOnTreatment | Doris2017Variant::CompleteOffTreatment
        )
    }

    /// Whether the variant is off treatment.
    ///
    /// ```
    /// assert!(sledai::remission_2017::Doris2017Variant::ClinicalOffTreatment.is_off_treatment());
    /// ```
    pub const fn is_off_treatment(self) -> bool {
        matches!(
            self,
            Doris2017Variant::ClinicalOffTreatment | Doris2017Variant::CompleteOffTreatment
        )
    }
}

impl fmt::Display for Doris2017Variant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// The caller's statement of current SLE treatment: each `None` when not
/// recorded. "Maintenance" and "stable" are not checked; a CAR-T infusion
/// and lymphodepletion already given are not current drugs.
///
/// ```
/// use sledai::remission_2017::Treatment;
/// let t = Treatment::new(Some(false), None, Some(true));
/// assert_eq!(t.on_biologic, None);
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct Treatment {
    /// On a conventional immunosuppressive drug.
    pub on_immunosuppressant: Option<bool>,
    /// On a biologic.
    pub on_biologic: Option<bool>,
    /// On an antimalarial (hydroxychloroquine, chloroquine).
    pub on_antimalarial: Option<bool>,
}

impl Treatment {
    /// The three statements.
    ///
    /// ```
    /// use sledai::remission_2017::Treatment;
    /// assert_eq!(Treatment::new(None, None, None), Treatment::default());
    /// ```
    pub const fn new(
        on_immunosuppressant: Option<bool>,
        on_biologic: Option<bool>,
        on_antimalarial: Option<bool>,
    ) -> Treatment {
        Treatment {
            on_immunosuppressant,
            on_biologic,
            on_antimalarial,
        }
    }
}

/// The options of the DORIS 2017 variants.
///
/// Start from the default and use the `with_*` methods; read them back
/// with the getters of the same names. A single policy converts into
/// options ([`From`]). Serde: `{"doris_2017_pga",
/// "doris_2017_glucocorticoid", "doris_off_treatment_antimalarial",
/// "doris_2017_index"}`, every field optional.
///
/// ```
/// use sledai::remission_2017::{DorisOffTreatmentAntimalarial, Remission2017Options};
/// let o = Remission2017Options::default().with_antimalarial(DorisOffTreatmentAntimalarial::Excluded);
/// assert_eq!(o.antimalarial(), DorisOffTreatmentAntimalarial::Excluded);
/// assert_eq!(Remission2017Options::from(DorisOffTreatmentAntimalarial::Excluded), o);
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct Remission2017Options {
    #[serde(rename = "doris_2017_pga")]
    pga: Doris2017Pga,
    #[serde(rename = "doris_2017_glucocorticoid")]
    glucocorticoid: Doris2017Glucocorticoid,
    #[serde(rename = "doris_off_treatment_antimalarial")]
    antimalarial: DorisOffTreatmentAntimalarial,
    #[serde(rename = "doris_2017_index")]
    index: Doris2017Index,
}

options_from_policies! {
    Remission2017Options, "remission_2017" {
    Doris2017Pga => with_pga,
    Doris2017Glucocorticoid => with_glucocorticoid,
    DorisOffTreatmentAntimalarial => with_antimalarial,
    Doris2017Index => with_index,
    }
}

impl Remission2017Options {
    /// With policy `doris_2017_pga`.
    ///
    /// ```
    /// use sledai::remission_2017::{Doris2017Pga, Remission2017Options};
    /// assert_eq!(Remission2017Options::default().with_pga(Doris2017Pga::AtMostHalf).pga(), Doris2017Pga::AtMostHalf);
    /// ```
    #[must_use]
    pub const fn with_pga(mut self, pga: Doris2017Pga) -> Self {
        self.pga = pga;
        self
    }

    /// With policy `doris_2017_glucocorticoid`.
    ///
    /// ```
    /// use sledai::remission_2017::{Doris2017Glucocorticoid, Remission2017Options};
    /// let o = Remission2017Options::default().with_glucocorticoid(Doris2017Glucocorticoid::Below5);
    /// assert_eq!(o.glucocorticoid(), Doris2017Glucocorticoid::Below5);
    /// ```
    #[must_use]
    pub const fn with_glucocorticoid(mut self, rule: Doris2017Glucocorticoid) -> Self {
        self.glucocorticoid = rule;
        self
    }

    /// With policy `doris_off_treatment_antimalarial`.
    ///
    /// ```
    /// use sledai::remission_2017::{DorisOffTreatmentAntimalarial, Remission2017Options};
    /// let o = Remission2017Options::default().with_antimalarial(DorisOffTreatmentAntimalarial::Allowed);
    /// assert_eq!(o, Remission2017Options::default());
    /// ```
    #[must_use]
    pub const fn with_antimalarial(mut self, rule: DorisOffTreatmentAntimalarial) -> Self {
        self.antimalarial = rule;
        self
    }

    /// With policy `doris_2017_index`.
    ///
    /// ```
    /// use sledai::remission_2017::{Doris2017Index, Remission2017Options};
    /// assert_eq!(Remission2017Options::default().with_index(Doris2017Index::BilagDE).index(), Doris2017Index::BilagDE);
    /// ```
    #[must_use]
    pub const fn with_index(mut self, index: Doris2017Index) -> Self {
        self.index = index;
        self
    }

    /// Policy `doris_2017_pga`.
    ///
    /// ```
    /// use sledai::remission_2017::{Doris2017Pga, Remission2017Options};
    /// assert_eq!(Remission2017Options::default().pga(), Doris2017Pga::BelowHalf);
    /// ```
    #[must_use]
    pub const fn pga(self) -> Doris2017Pga {
        self.pga
    }

    /// Policy `doris_2017_glucocorticoid`.
    ///
    /// ```
    /// use sledai::remission_2017::{Doris2017Glucocorticoid, Remission2017Options};
    /// assert_eq!(Remission2017Options::default().glucocorticoid(), Doris2017Glucocorticoid::default());
    /// ```
    #[must_use]
    pub const fn glucocorticoid(self) -> Doris2017Glucocorticoid {
        self.glucocorticoid
    }

    /// Policy `doris_off_treatment_antimalarial`.
    ///
    /// ```
    /// use sledai::remission_2017::{DorisOffTreatmentAntimalarial, Remission2017Options};
    /// assert_eq!(Remission2017Options::default().antimalarial(), DorisOffTreatmentAntimalarial::Allowed);
    /// ```
    #[must_use]
    pub const fn antimalarial(self) -> DorisOffTreatmentAntimalarial {
        self.antimalarial
    }

    /// Policy `doris_2017_index`.
    ///
    /// ```
    /// use sledai::remission_2017::{Doris2017Index, Remission2017Options};
    /// assert_eq!(Remission2017Options::default().index(), Doris2017Index::default());
    /// ```
    #[must_use]
    pub const fn index(self) -> Doris2017Index {
        self.index
    }
}

/// One DORIS 2017 variant at one visit, with its criteria (4 to 7 of them,
/// in the order of the table in the [module docs](self)): read them with
/// [`criteria`](Self::criteria) or look one up with
/// [`criterion`](Self::criterion). Serializes as `{"state", "criteria"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[non_exhaustive]
pub struct Remission2017Result {
    state: TriState,
    // At most 7 criteria (complete off treatment, antimalarial excluded),
    // held in place: no allocation per result.
    criteria: CriterionList<7>,
}

impl Remission2017Result {
    /// The conjunction of the criteria.
    ///
    /// ```
    /// use sledai::bilag::BilagGrades;
    /// use sledai::remission_2017::{evaluate, Doris2017Variant, Remission2017Options, Treatment};
    /// use sledai::target::TargetInputs;
    /// use sledai::{Assessment, TriState};
    /// let i = TargetInputs::new(Assessment::not_assessed());
    /// let r = evaluate(&i, &Treatment::default(), &BilagGrades::NOT_RECORDED, Doris2017Variant::ClinicalOnTreatment, Remission2017Options::default())?;
    /// assert_eq!(r.state(), TriState::Indeterminate);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub const fn state(&self) -> TriState {
        self.state
    }

    /// The criteria, in the order of the table in the [module docs](self).
    ///
    /// ```
    /// use sledai::bilag::BilagGrades;
    /// use sledai::remission_2017::{evaluate, Doris2017Variant, Remission2017Options, Treatment};
    /// use sledai::target::{Criterion, TargetInputs};
    /// use sledai::Assessment;
    /// let i = TargetInputs::new(Assessment::from_present([]));
    /// let r = evaluate(&i, &Treatment::default(), &BilagGrades::NOT_RECORDED, Doris2017Variant::CompleteOffTreatment, Remission2017Options::default())?;
    /// assert_eq!(r.criteria()[0].criterion(), Criterion::Doris2017ClinicalSledai);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub fn criteria(&self) -> &[CriterionResult] {
        self.criteria.as_slice()
    }

    /// The result of one criterion; `None` when the variant does not have it.
    ///
    /// ```
    /// use sledai::bilag::BilagGrades;
    /// use sledai::remission_2017::{evaluate, Doris2017Variant, Remission2017Options, Treatment};
    /// use sledai::target::{Criterion, TargetInputs};
    /// use sledai::Assessment;
    /// let r = evaluate(
    ///     &TargetInputs::new(Assessment::from_present([])),
    ///     &Treatment::default(),
    ///     &BilagGrades::NOT_RECORDED,
    ///     Doris2017Variant::ClinicalOnTreatment,
    ///     Remission2017Options::default(),
    /// )?;
    /// assert!(r.criterion(Criterion::Doris2017Glucocorticoid).is_some());
    /// assert!(r.criterion(Criterion::Doris2017NoBiologic).is_none());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub fn criterion(&self, criterion: Criterion) -> Option<&CriterionResult> {
        self.criteria().iter().find(|c| c.criterion() == criterion)
    }
}

/// Evaluates one DORIS 2017 variant at one visit. Reads the assessment,
/// the PGA and the prednisone-equivalent of `inputs`, the drug statements
/// of `treatment` and, under `doris_2017_index = bilag_d_e`, the visit's
/// `grades`. Drug flags a variant ignores may be `None`.
///
/// The crate's calling convention: the inputs by reference, then which
/// member of the family (`variant`), then the options (`impl
/// Into<Remission2017Options>`: the options or one policy) last.
///
/// # Errors
///
/// None today; the `Result` is the calling convention of every rule, so a
/// future input check is not a breaking change.
///
/// ```
/// use sledai::bilag::BilagGrades;
/// use sledai::glucocorticoid::PrednisoneEquivalent;
/// use sledai::remission_2017::{evaluate, Doris2017Variant::*, DorisOffTreatmentAntimalarial, Remission2017Options, Treatment};
/// use sledai::target::TargetInputs;
/// use sledai::{Assessment, Pga, TriState};
///
/// let inputs = TargetInputs::new(Assessment::from_present([]))
///     .with_pga(Pga::new(0.2)?)
///     .with_prednisone_equivalent(PrednisoneEquivalent::ZERO);
/// let g = BilagGrades::NOT_RECORDED;
/// let on_hcq = Treatment::new(Some(false), Some(false), Some(true));
/// let o = Remission2017Options::default();
/// assert_eq!(evaluate(&inputs, &on_hcq, &g, ClinicalOffTreatment, o)?.state(), TriState::Met);
/// let drug_free = DorisOffTreatmentAntimalarial::Excluded;
/// assert_eq!(evaluate(&inputs, &on_hcq, &g, ClinicalOffTreatment, drug_free)?.state(), TriState::NotMet);
/// # Ok::<(), sledai::Error>(())
/// ```
pub fn evaluate(
    inputs: &TargetInputs,
    treatment: &Treatment,
    grades: &BilagGrades,
    variant: Doris2017Variant,
    options: impl Into<Remission2017Options>,
) -> Result<Remission2017Result, Error> {
    Ok(evaluate_unchecked(
        inputs,
        treatment,
        grades,
        variant,
        options.into(),
    ))
}

/// [`evaluate`], which cannot fail today: called by [`evaluate`] and by
/// [`crate::visit::VisitResult::doris_2017`].
pub(crate) fn evaluate_unchecked(
    inputs: &TargetInputs,
    treatment: &Treatment,
    grades: &BilagGrades,
    variant: Doris2017Variant,
    options: Remission2017Options,
) -> Remission2017Result {
    let mut c = Collect::<7>::new();
    criteria(
        inputs,
        treatment,
        grades,
        options,
        &mut OneVariant(variant.bit(), &mut c),
    );
    Remission2017Result {
        state: c.state,
        criteria: c.criteria,
    }
}

/// The state of [`evaluate`] alone (no criterion packed), from the same
/// rule: what the flat-table output prints.
pub(crate) fn state_unchecked(
    inputs: &TargetInputs,
    treatment: &Treatment,
    grades: &BilagGrades,
    variant: Doris2017Variant,
    options: Remission2017Options,
) -> TriState {
    let mut s = StateOnly::new();
    criteria(
        inputs,
        treatment,
        grades,
        options,
        &mut OneVariant(variant.bit(), &mut s),
    );
    s.0
}

/// The states of the four variants (in the order of
/// [`Doris2017Variant::ALL`]) from one run of the rule: a criterion the
/// variants share (the index, the PGA, serology, the off-treatment
/// criteria) is decided once, not once per variant. Each state equals
/// [`state_unchecked`] of its variant: the three-valued AND is
/// commutative and associative, and each variant ANDs the same criteria.
pub(crate) fn states_unchecked(
    inputs: &TargetInputs,
    treatment: &Treatment,
    grades: &BilagGrades,
    options: Remission2017Options,
) -> [TriState; 4] {
    let mut s = EveryVariant([TriState::Met; 4]);
    criteria(inputs, treatment, grades, options, &mut s);
    s.0
}

/// A set of variants: bit `i` is [`Doris2017Variant::ALL`]`[i]`.
type Variants = u8;

impl Doris2017Variant {
    /// The variant's bit in a [`Variants`] set.
    const fn bit(self) -> Variants {
        1 << self as u8
    }
}

/// Every variant.
const EVERY: Variants = 0b1111;
/// The variants that require no serological activity.
const COMPLETE: Variants =
    Doris2017Variant::CompleteOnTreatment.bit() | Doris2017Variant::CompleteOffTreatment.bit();
/// The off-treatment variants.
const OFF_TREATMENT: Variants =
    Doris2017Variant::ClinicalOffTreatment.bit() | Doris2017Variant::CompleteOffTreatment.bit();
/// The on-treatment variants.
const ON_TREATMENT: Variants = EVERY & !OFF_TREATMENT;

/// What the rule reports each criterion to: with the set of variants the
/// criterion belongs to.
trait VariantSink {
    /// A criterion of the conjunction of each variant in `variants`.
    fn decide<F: Facts>(&mut self, variants: Variants, criterion: Criterion, facts: F);
}

/// One variant's criteria, handed to a rule's sink (the explained result
/// or its state alone); the other variants' criteria are not reported.
struct OneVariant<'s, S>(Variants, &'s mut S);

impl<S: CriterionSink> VariantSink for OneVariant<'_, S> {
    fn decide<F: Facts>(&mut self, variants: Variants, criterion: Criterion, facts: F) {
        if variants & self.0 != 0 {
            self.1.decide(criterion, facts);
        }
    }
}

/// The four variants' states, each criterion's state decided once.
struct EveryVariant([TriState; 4]);

impl VariantSink for EveryVariant {
    fn decide<F: Facts>(&mut self, variants: Variants, _: Criterion, facts: F) {
        // As [`StateOnly`]: a variant already not met stays not met, so a
        // criterion of no other variant is not decided.
        let open = |i: usize| variants & (1 << i) != 0 && self.0[i] != TriState::NotMet;
        if !(0..4).any(open) {
            return;
        }
        let state = facts.state();
        for (i, s) in self.0.iter_mut().enumerate() {
            if variants & (1 << i) != 0 {
                *s = s.and(state);
            }
        }
    }
}

/// The rule: the criteria of the four variants, in the order of the table
/// in the [module docs](self), each with the variants whose conjunction
/// it is part of (a variant's criteria are reported in that order).
fn criteria(
    inputs: &TargetInputs,
    treatment: &Treatment,
    grades: &BilagGrades,
    options: Remission2017Options,
    sink: &mut impl VariantSink,
) {
    let a = &inputs.assessment;
    match options.index {
        Doris2017Index::ClinicalSledai => sink.decide(
            EVERY,
            Criterion::Doris2017ClinicalSledai,
            ClinicalFacts {
                present: a.present().difference(SEROLOGY),
                missing: a.missing().difference(SEROLOGY),
            },
        ),
        Doris2017Index::BilagDE => sink.decide(
            EVERY,
            Criterion::Doris2017BilagInactive,
            GradeFacts::new(
                BilagGrades::NOT_RECORDED,
                *grades,
                GradeRule::AllInactive,
                BilagOptions::default(),
                BiclaBaselineActivity::default(),
            ),
        ),
    }
    sink.decide(
        COMPLETE,
        Criterion::Doris2017Serology,
        SerologyFacts {
            present: a.present().intersection(SEROLOGY),
            missing: a.missing().intersection(SEROLOGY),
        },
    );
    sink.decide(
        EVERY,
        Criterion::Doris2017Pga,
        Cutoff::new(
            inputs.pga,
            Pga::HALF,
            options.pga == Doris2017Pga::AtMostHalf,
            PgaRule,
        ),
    );
    sink.decide(
        OFF_TREATMENT,
        Criterion::Doris2017NoGlucocorticoid,
        Cutoff::new(
            inputs.prednisone_equivalent,
            PrednisoneEquivalent::ZERO,
            true,
            NoGlucocorticoidRule,
        ),
    );
    let flag = |flag, value| FlagFacts { value, flag };
    sink.decide(
        OFF_TREATMENT,
        Criterion::Doris2017NoImmunosuppressant,
        flag(Flag::Immunosuppressant, treatment.on_immunosuppressant),
    );
    sink.decide(
        OFF_TREATMENT,
        Criterion::Doris2017NoBiologic,
        flag(Flag::Biologic, treatment.on_biologic),
    );
    if options.antimalarial == DorisOffTreatmentAntimalarial::Excluded {
        sink.decide(
            OFF_TREATMENT,
            Criterion::Doris2017NoAntimalarial,
            flag(Flag::Antimalarial, treatment.on_antimalarial),
        );
    }
    sink.decide(
        ON_TREATMENT,
        Criterion::Doris2017Glucocorticoid,
        Cutoff::new(
            inputs.prednisone_equivalent,
            FIVE_MG,
            options.glucocorticoid == Doris2017Glucocorticoid::AtMost5,
            DoseRule,
        ),
    );
}

/// The PGA rule as text.
pub(crate) const fn pga_threshold(inclusive: bool) -> &'static str {
    if inclusive {
        "PGA <= 0.5 (0-3 scale; the Golder 2020 review rendering)"
    } else {
        "PGA < 0.5 (0-3 scale; DORIS 2017 Table 4)"
    }
}

/// The rule text of the DORIS 2017 PGA criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct PgaRule;

impl CutoffRule for PgaRule {
    fn threshold(inclusive: bool) -> &'static str {
        pga_threshold(inclusive)
    }
}

/// The rule text of the off-treatment glucocorticoid criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct NoGlucocorticoidRule;

impl CutoffRule for NoGlucocorticoidRule {
    fn threshold(_inclusive: bool) -> &'static str {
        NO_GLUCOCORTICOID_THRESHOLD
    }
}

/// The off-treatment glucocorticoid rule as text.
pub(crate) const NO_GLUCOCORTICOID_THRESHOLD: &str =
    "no glucocorticoid (prednisone-equivalent 0 mg/day)";

/// The serology rule as text.
pub(crate) const SEROLOGY_THRESHOLD: &str =
    "no serological activity: low complement and increased DNA binding both absent";

/// The facts of the serology criterion: the two serology descriptors
/// present and not assessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct SerologyFacts {
    present: DescriptorSet,
    missing: DescriptorSet,
}

pack_struct!(SerologyFacts {
    present: DescriptorSet,
    missing: DescriptorSet,
});

impl Facts for SerologyFacts {
    fn state(&self) -> TriState {
        if !self.present.is_empty() {
            TriState::NotMet
        } else if !self.missing.is_empty() {
            TriState::Indeterminate
        } else {
            TriState::Met
        }
    }

    fn threshold(&self) -> &'static str {
        SEROLOGY_THRESHOLD
    }

    fn write_observed(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in [Descriptor::LowComplement, Descriptor::IncreasedDnaBinding]
            .into_iter()
            .enumerate()
        {
            if i > 0 {
                f.write_str("; ")?;
            }
            let v = if self.present.contains(d) {
                "present"
            } else if self.missing.contains(d) {
                "not assessed"
            } else {
                "absent"
            };
            write!(f, "{d}: {v}")?;
        }
        Ok(())
    }

    fn write_reason(&self, f: &mut fmt::Formatter<'_>, state: TriState) -> fmt::Result {
        match state {
            TriState::NotMet => write!(f, "serological activity present: {}", self.present),
            TriState::Indeterminate => write!(f, "serology not assessed: {}", self.missing),
            TriState::Met => f.write_str("no serological activity"),
        }
    }
}

#[cfg(test)]
mod state_only_tests {
    use super::*;
    use crate::bilag::BilagGrade;

    /// Exhaustively over every variant and reading, PGAs and doses on
    /// both sides of each cut-off, every drug statement and a few grade
    /// sets: the state folded without packing is the explained result's,
    /// and that is the conjunction of its criteria (Table 4: remission when
    /// every criterion of the variant is met); the four states of one run
    /// ([`states_unchecked`]) are the four variants' one by one.
    #[test]
    fn the_state_alone_is_the_explained_state() -> Result<(), Error> {
        let flags = [None, Some(false), Some(true)];
        let grades = [
            BilagGrades::NOT_RECORDED,
            BilagGrades::all(BilagGrade::E),
            BilagGrades::all(BilagGrade::D)
                .with(crate::bilag::BilagSystem::Renal, Some(BilagGrade::B)),
            BilagGrades::NOT_RECORDED.with(crate::bilag::BilagSystem::Renal, Some(BilagGrade::E)),
        ];
        let assessments = [
            crate::Assessment::from_present([]),
            crate::Assessment::from_present([Descriptor::LowComplement]),
            crate::Assessment::from_present([Descriptor::Rash]),
            crate::Assessment::not_assessed(),
        ];
        let mut checked = 0u32;
        for a in assessments {
            for pga in [None, Some(Pga::ZERO), Some(Pga::HALF), Some(Pga::new(0.6)?)] {
                for mg in [None, Some(0.0), Some(5.0), Some(7.5)] {
                    let mut inputs = TargetInputs::new(a);
                    inputs.pga = pga;
                    inputs.prednisone_equivalent =
                        mg.map(PrednisoneEquivalent::from_mg).transpose()?;
                    let treatments = flags.iter().flat_map(|&i| {
                        flags
                            .iter()
                            .flat_map(move |&b| flags.map(|m| Treatment::new(i, b, m)))
                    });
                    for t in treatments {
                        for g in &grades {
                            for o in options() {
                                let every = states_unchecked(&inputs, &t, g, o);
                                for (v, every) in Doris2017Variant::ALL.into_iter().zip(every) {
                                    let full = evaluate_unchecked(&inputs, &t, g, v, o);
                                    let all = TriState::all(
                                        full.criteria().iter().map(CriterionResult::state),
                                    );
                                    assert_eq!(full.state(), all);
                                    assert_eq!(state_unchecked(&inputs, &t, g, v, o), all);
                                    assert_eq!(every, all);
                                    checked += 1;
                                }
                            }
                        }
                    }
                }
            }
        }
        assert_eq!(checked, 4 * 4 * 4 * 27 * 4 * 16 * 4);
        Ok(())
    }

    fn options() -> Vec<Remission2017Options> {
        let mut out = Vec::new();
        for pga in Doris2017Pga::ALL {
            for gc in Doris2017Glucocorticoid::ALL {
                for am in DorisOffTreatmentAntimalarial::ALL {
                    for index in Doris2017Index::ALL {
                        out.push(
                            Remission2017Options::default()
                                .with_pga(pga)
                                .with_glucocorticoid(gc)
                                .with_antimalarial(am)
                                .with_index(index),
                        );
                    }
                }
            }
        }
        out
    }
}
