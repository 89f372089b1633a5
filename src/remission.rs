//! DORIS remission in SLE at one visit.
//!
//! This module owns [`evaluate`], [`RemissionOptions`] and
//! [`RemissionResult`]. Source: van Vollenhoven RF et al. *2021 DORIS
//! definition of remission in SLE.* Lupus Sci Med 2021;8:e000538; the
//! project's transcription and policies are `docs/reference.md`
//! section 3 and `docs/targets.md`. All three criteria must hold:
//!
//! 1. Clinical SLEDAI = 0: SLEDAI-2K without low complement and increased
//!    DNA binding (serology is ignored, present or missing).
//! 2. Physician global assessment (0-3) < 0.5.
//! 3. Prednisolone (or equivalent) <= 5 mg/day.
//!
//! Antimalarials, stable immunosuppressives and biologics are allowed, so
//! maintenance therapy is not a criterion; no duration is part of the
//! definition.
//!
//! Where the literature prints two readings, the 2021 one is the default
//! and the other is a named option (project policy, `docs/reference.md` section 3):
//! [`RemissionPga::ReviewAtMostHalf`] (PGA <= 0.5, the Golder 2020 review
//! table's rendering; the 2017 framework paper prints "<0.5") and [`RemissionGlucocorticoid::Below5Mg`] (strictly < 5 mg/day,
//! one rendering of the 2021 table).
//!
//! A missing input never counts as a pass. Clinical SLEDAI = 0 is decided
//! from the range of the clinical total: not met when its minimum is above
//! 0 (a clinical descriptor is present), met when its maximum is 0, else
//! indeterminate. The overall state is [`TriState::all`] of the three.
//!
//! # Example
//!
//! ```
//! use sledai::glucocorticoid::PrednisoneEquivalent;
//! use sledai::remission::{self, RemissionOptions, RemissionPga};
//! use sledai::target::TargetInputs;
//! use sledai::{Assessment, Descriptor, Pga, TriState};
//!
//! // Serology alone does not block remission.
//! let inputs = TargetInputs::new(Assessment::from_present([Descriptor::LowComplement]))
//!     .with_pga(Pga::new(0.5)?)
//!     .with_prednisone_equivalent(PrednisoneEquivalent::from_mg(5.0)?);
//! // PGA 0.5 is not < 0.5 (2021) ...
//! assert_eq!(remission::evaluate(&inputs, RemissionOptions::default())?.state(), TriState::NotMet);
//! // ... but is <= 0.5 (the Golder 2020 review's rendering).
//! assert_eq!(remission::evaluate(&inputs, RemissionPga::ReviewAtMostHalf)?.state(), TriState::Met);
//! # Ok::<(), sledai::Error>(())
//! ```

use std::fmt;

use crate::descriptor::DescriptorSet;
use crate::error::Error;
use crate::glucocorticoid::PrednisoneEquivalent;
use crate::pga::Pga;
use crate::state::TriState;
use crate::target::{
    Collect, Criterion, CriterionResult, CriterionSink, Cutoff, CutoffRule, Facts, StateOnly,
    States, TargetInputs, pack_struct, range_of,
};

/// The citation of the definition.
///
/// ```
/// assert!(sledai::remission::CITATION.contains("2021;8:e000538"));
/// ```
pub const CITATION: &str =
    "van Vollenhoven RF et al. Lupus Sci Med 2021;8:e000538 (2021 DORIS definition of remission)";

/// Which reading of the DORIS PGA cut-off to apply.
///
/// ```
/// use sledai::remission::RemissionPga;
/// assert_eq!(RemissionPga::default(), RemissionPga::Doris2021BelowHalf);
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RemissionPga {
    /// PGA < 0.5, as in the 2021 DORIS definition. The default.
    /// Serde: `"doris_2021_below_half"`.
    #[default]
    #[serde(rename = "doris_2021_below_half")]
    Doris2021BelowHalf,
    /// PGA <= 0.5, the rendering of the Golder 2020 review table (Golder V,
    /// Tsang-A-Sjoe M. Rheumatology 2020;59(Suppl 5):v19-v28, Table 1). The
    /// 2017 framework paper itself prints "<0.5" (its Table 4), so this is
    /// the review's reading, not the 2017 paper's. Serde:
    /// `"golder_2020_at_most_half"`; the former name
    /// `"doris_2017_at_most_half"` is still read.
    #[serde(rename = "golder_2020_at_most_half", alias = "doris_2017_at_most_half")]
    ReviewAtMostHalf,
}

/// Which reading of the DORIS glucocorticoid cut-off to apply.
///
/// ```
/// use sledai::remission::RemissionGlucocorticoid;
/// assert_eq!(RemissionGlucocorticoid::default(), RemissionGlucocorticoid::AtMost5Mg);
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RemissionGlucocorticoid {
    /// Prednisolone-equivalent <= 5 mg/day ("5 mg/day or less", the 2021
    /// abstract). The default. Serde: `"at_most_5_mg"`.
    #[default]
    #[serde(rename = "at_most_5_mg")]
    AtMost5Mg,
    /// Prednisolone-equivalent strictly < 5 mg/day (one rendering of the
    /// 2021 table). Serde: `"below_5_mg"`.
    #[serde(rename = "below_5_mg")]
    Below5Mg,
}

/// Options of the DORIS evaluation. The default is the 2021 definition as
/// the project reads it (PGA < 0.5, prednisolone <= 5 mg/day).
///
/// Start from [`RemissionOptions::default`] and use the `with_*` methods;
/// read them back with the getters of the same names. A single reading
/// converts into options ([`From`]), so
/// `remission::evaluate(&inputs, RemissionPga::ReviewAtMostHalf)` reads
/// as it means. Serde: `{"pga": "doris_2021_below_half",
/// "glucocorticoid": "at_most_5_mg"}`, every field optional.
///
/// ```
/// use sledai::remission::{RemissionGlucocorticoid, RemissionOptions, RemissionPga};
/// let o = RemissionOptions::default()
///     .with_pga(RemissionPga::ReviewAtMostHalf)
///     .with_glucocorticoid(RemissionGlucocorticoid::Below5Mg);
/// assert_eq!(o.pga(), RemissionPga::ReviewAtMostHalf);
/// assert_eq!(o.glucocorticoid(), RemissionGlucocorticoid::Below5Mg);
/// assert_eq!(RemissionOptions::from(RemissionPga::ReviewAtMostHalf).pga(), RemissionPga::ReviewAtMostHalf);
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct RemissionOptions {
    pga: RemissionPga,
    glucocorticoid: RemissionGlucocorticoid,
}

options_from_policies! {
    RemissionOptions, "remission" {
        RemissionPga => with_pga,
        RemissionGlucocorticoid => with_glucocorticoid,
    }
}

impl RemissionOptions {
    /// These options with the given PGA reading.
    ///
    /// ```
    /// use sledai::remission::{RemissionOptions, RemissionPga};
    /// let o = RemissionOptions::default().with_pga(RemissionPga::Doris2021BelowHalf);
    /// assert_eq!(o, RemissionOptions::default());
    /// ```
    #[must_use]
    pub const fn with_pga(mut self, pga: RemissionPga) -> Self {
        self.pga = pga;
        self
    }

    /// These options with the given glucocorticoid reading.
    ///
    /// ```
    /// use sledai::remission::{RemissionGlucocorticoid, RemissionOptions};
    /// let o = RemissionOptions::default().with_glucocorticoid(RemissionGlucocorticoid::AtMost5Mg);
    /// assert_eq!(o, RemissionOptions::default());
    /// ```
    #[must_use]
    pub const fn with_glucocorticoid(mut self, glucocorticoid: RemissionGlucocorticoid) -> Self {
        self.glucocorticoid = glucocorticoid;
        self
    }

    /// The PGA reading.
    ///
    /// ```
    /// use sledai::remission::{RemissionOptions, RemissionPga};
    /// assert_eq!(RemissionOptions::default().pga(), RemissionPga::Doris2021BelowHalf);
    /// ```
    #[must_use]
    pub const fn pga(self) -> RemissionPga {
        self.pga
    }

    /// The glucocorticoid reading.
    ///
    /// ```
    /// use sledai::remission::{RemissionGlucocorticoid, RemissionOptions};
    /// assert_eq!(RemissionOptions::default().glucocorticoid(), RemissionGlucocorticoid::AtMost5Mg);
    /// ```
    #[must_use]
    pub const fn glucocorticoid(self) -> RemissionGlucocorticoid {
        self.glucocorticoid
    }
}

/// The DORIS remission state at one visit with its three criteria.
///
/// [`criteria`](Self::criteria) lists, in order,
/// [`Criterion::DorisClinicalSledai`], [`Criterion::DorisPga`] and
/// [`Criterion::DorisGlucocorticoid`]; look one up with
/// [`criterion`](Self::criterion). Serializes as
/// `{"state": "...", "criteria": [...]}`.
///
/// ```
/// use sledai::remission::{self, RemissionOptions};
/// use sledai::target::TargetInputs;
/// use sledai::{Assessment, TriState};
///
/// let r = remission::evaluate(&TargetInputs::new(Assessment::not_assessed()), RemissionOptions::default())?;
/// assert_eq!(r.state(), TriState::Indeterminate);
/// assert!(r.criteria().iter().all(|c| c.state() == TriState::Indeterminate));
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[non_exhaustive]
pub struct RemissionResult {
    state: TriState,
    criteria: [CriterionResult; 3],
}

impl RemissionResult {
    /// Met if all three criteria are met, not met if any is not met,
    /// indeterminate otherwise.
    ///
    /// ```
    /// use sledai::remission::{self, RemissionOptions};
    /// use sledai::target::TargetInputs;
    /// use sledai::{Assessment, Descriptor, TriState};
    /// let i = TargetInputs::new(Assessment::from_present([Descriptor::Arthritis]));
    /// assert_eq!(remission::evaluate(&i, RemissionOptions::default())?.state(), TriState::NotMet);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub const fn state(&self) -> TriState {
        self.state
    }

    /// The criteria, in the order of the definition.
    ///
    /// ```
    /// use sledai::remission::{self, RemissionOptions};
    /// use sledai::target::{Criterion, TargetInputs};
    /// use sledai::Assessment;
    /// let r = remission::evaluate(&TargetInputs::new(Assessment::from_present([])), RemissionOptions::default())?;
    /// assert_eq!(r.criteria().len(), 3);
    /// assert_eq!(r.criteria()[0].criterion(), Criterion::DorisClinicalSledai);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub fn criteria(&self) -> &[CriterionResult] {
        &self.criteria
    }

    /// The result of one criterion; `None` for a criterion that is not part
    /// of DORIS remission.
    ///
    /// ```
    /// use sledai::remission::{self, RemissionOptions};
    /// use sledai::target::{Criterion, TargetInputs};
    /// use sledai::Assessment;
    /// let r = remission::evaluate(&TargetInputs::new(Assessment::from_present([])), RemissionOptions::default())?;
    /// assert!(r.criterion(Criterion::DorisPga).is_some());
    /// assert!(r.criterion(Criterion::LldasPga).is_none());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub fn criterion(&self, criterion: Criterion) -> Option<&CriterionResult> {
        self.criteria.iter().find(|c| c.criterion() == criterion)
    }
}

/// Evaluates DORIS remission (van Vollenhoven 2021) at one visit under
/// `options` ([`RemissionOptions`], or a single reading such as
/// [`RemissionPga::ReviewAtMostHalf`]); see the [module docs](self).
///
/// Only the assessment, the PGA and the prednisone-equivalent are read;
/// the other inputs of [`TargetInputs`] belong to LLDAS.
///
/// # Errors
///
/// None today: every [`TargetInputs`] has a DORIS state. The `Result` is
/// the crate's one calling convention for rules, so a future input check
/// is not a breaking change.
///
/// ```
/// use sledai::glucocorticoid::PrednisoneEquivalent;
/// use sledai::remission::{self, RemissionGlucocorticoid, RemissionOptions};
/// use sledai::target::TargetInputs;
/// use sledai::{Assessment, Descriptor, Pga, TriState};
///
/// let inputs = TargetInputs::new(Assessment::from_present([]))
///     .with_pga(Pga::ZERO)
///     .with_prednisone_equivalent(PrednisoneEquivalent::from_mg(5.0)?);
/// assert_eq!(remission::evaluate(&inputs, RemissionOptions::default())?.state(), TriState::Met);
/// assert_eq!(remission::evaluate(&inputs, RemissionGlucocorticoid::Below5Mg)?.state(), TriState::NotMet);
///
/// let alopecia = TargetInputs::new(Assessment::from_present([Descriptor::Alopecia]));
/// assert_eq!(remission::evaluate(&alopecia, RemissionOptions::default())?.state(), TriState::NotMet); // clinical SLEDAI 2
/// # Ok::<(), sledai::Error>(())
/// ```
pub fn evaluate(
    inputs: &TargetInputs,
    options: impl Into<RemissionOptions>,
) -> Result<RemissionResult, Error> {
    Ok(evaluate_options(inputs, options.into()))
}

/// [`evaluate`], infallible inside the crate: called by [`evaluate`] and
/// by [`crate::visit::VisitResult::doris`].
pub(crate) fn evaluate_options(
    inputs: &TargetInputs,
    options: RemissionOptions,
) -> RemissionResult {
    let mut c = Collect::<3>::new();
    criteria(inputs, options, &mut c);
    RemissionResult {
        state: c.state,
        criteria: c.criteria.into_array(),
    }
}

/// The state of [`evaluate`] alone (no criterion packed), from the same
/// rule: what the timelines read.
pub(crate) fn state(inputs: &TargetInputs, options: RemissionOptions) -> TriState {
    let mut s = StateOnly::new();
    criteria(inputs, options, &mut s);
    s.0
}

/// The criterion states and the state of [`evaluate`] (no criterion
/// packed), from the same rule: what the flat-table output prints.
pub(crate) fn states(inputs: &TargetInputs, options: RemissionOptions) -> States<3> {
    let mut s = States::new();
    criteria(inputs, options, &mut s);
    s
}

/// The rule: the three criteria, in order, every one part of the
/// conjunction.
fn criteria(inputs: &TargetInputs, options: RemissionOptions, sink: &mut impl CriterionSink) {
    let pga_inclusive = match options.pga {
        RemissionPga::Doris2021BelowHalf => false,
        RemissionPga::ReviewAtMostHalf => true,
    };
    let gc_inclusive = match options.glucocorticoid {
        RemissionGlucocorticoid::AtMost5Mg => true,
        RemissionGlucocorticoid::Below5Mg => false,
    };
    let a = &inputs.assessment;
    sink.decide(
        Criterion::DorisClinicalSledai,
        ClinicalFacts {
            present: a.present().difference(SEROLOGY),
            missing: a.missing().difference(SEROLOGY),
        },
    );
    sink.decide(
        Criterion::DorisPga,
        Cutoff::new(inputs.pga, Pga::HALF, pga_inclusive, PgaRule),
    );
    sink.decide(
        Criterion::DorisGlucocorticoid,
        Cutoff::new(
            inputs.prednisone_equivalent,
            FIVE_MG,
            gc_inclusive,
            DoseRule,
        ),
    );
}

/// The PGA rule as text: `<= 0.5` when `inclusive` (review reading), else
/// `< 0.5` (2021).
pub(crate) const fn pga_threshold(inclusive: bool) -> &'static str {
    if inclusive {
        "PGA <= 0.5 (0-3 scale; Golder 2020 review reading)"
    } else {
        "PGA < 0.5 (0-3 scale; DORIS 2021)"
    }
}

/// The glucocorticoid rule as text: `<= 5` when `inclusive` (default), else
/// `< 5` (strict reading).
pub(crate) const fn dose_threshold(inclusive: bool) -> &'static str {
    if inclusive {
        "prednisone-equivalent <= 5 mg/day"
    } else {
        "prednisone-equivalent < 5 mg/day (strict reading)"
    }
}

/// The rule text of the DORIS PGA criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct PgaRule;

impl CutoffRule for PgaRule {
    fn threshold(inclusive: bool) -> &'static str {
        pga_threshold(inclusive)
    }
}

/// The rule text of the DORIS glucocorticoid criterion (also DORIS 2017
/// on treatment).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct DoseRule;

impl CutoffRule for DoseRule {
    fn threshold(inclusive: bool) -> &'static str {
        dose_threshold(inclusive)
    }
}

/// The clinical SLEDAI rule as text.
pub(crate) const CLINICAL_THRESHOLD: &str =
    "clinical SLEDAI = 0 (SLEDAI-2K without low complement and increased DNA binding)";

/// 5 mg/day.
pub(crate) const FIVE_MG: PrednisoneEquivalent = PrednisoneEquivalent::from_whole_ug(5000);

/// The facts of the clinical SLEDAI criterion: the clinical (non-serology)
/// descriptors present and not assessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct ClinicalFacts {
    pub(crate) present: DescriptorSet,
    pub(crate) missing: DescriptorSet,
}

pack_struct!(ClinicalFacts {
    present: DescriptorSet,
    missing: DescriptorSet,
});

impl Facts for ClinicalFacts {
    /// Clinical SLEDAI = 0, decided from the range of the clinical total:
    /// not met when its minimum is above 0, met when its maximum is 0.
    fn state(&self) -> TriState {
        let range = range_of(self.present, self.missing);
        if range.min().get() > 0 {
            TriState::NotMet
        } else if range.max().get() > 0 {
            TriState::Indeterminate
        } else {
            TriState::Met
        }
    }

    fn threshold(&self) -> &'static str {
        CLINICAL_THRESHOLD
    }

    fn write_observed(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let range = range_of(self.present, self.missing);
        write!(f, "clinical SLEDAI {range} (present: {}", self.present)?;
        if !self.missing.is_empty() {
            write!(f, "; not assessed: {}", self.missing)?;
        }
        f.write_str(")")
    }

    fn write_reason(&self, f: &mut fmt::Formatter<'_>, state: TriState) -> fmt::Result {
        match state {
            TriState::NotMet => write!(f, "clinical descriptor(s) present: {}", self.present),
            TriState::Indeterminate => {
                write!(f, "clinical descriptor(s) not assessed: {}", self.missing)
            }
            TriState::Met => f.write_str("no clinical descriptor present; serology ignored"),
        }
    }
}

/// The two serology descriptors, ignored by clinical SLEDAI.
pub(crate) const SEROLOGY: DescriptorSet = DescriptorSet::EMPTY
    .with(crate::Descriptor::LowComplement)
    .with(crate::Descriptor::IncreasedDnaBinding);

#[cfg(test)]
mod state_only_tests {
    use super::*;
    use crate::{Assessment, Descriptor};

    /// Exhaustively over assessments with and without clinical activity,
    /// serology and missing items, PGAs and doses on both sides of each
    /// cut-off and every reading: the state-only run and the
    /// criterion-states run agree with the explained result (its state, its
    /// criteria in order and their states), and that state is the
    /// conjunction of the three criteria (van Vollenhoven 2021: remission
    /// when all three hold).
    #[test]
    fn the_states_alone_are_the_explained_states() -> Result<(), Error> {
        let none = Assessment::from_present([]);
        let assessments = [
            none,
            Assessment::from_present([Descriptor::LowComplement]),
            Assessment::from_present([Descriptor::Rash]),
            Assessment::not_assessed(),
            none.with(Descriptor::IncreasedDnaBinding, crate::Finding::NotAssessed),
            none.with(Descriptor::Arthritis, crate::Finding::NotAssessed),
        ];
        let pgas = [None, Some(Pga::ZERO), Some(Pga::HALF), Some(Pga::new(0.6)?)];
        let doses = [None, Some(0.0), Some(4.9), Some(5.0), Some(5.1)];
        let readings = [
            RemissionPga::Doris2021BelowHalf,
            RemissionPga::ReviewAtMostHalf,
        ];
        let doses_readings = [
            RemissionGlucocorticoid::AtMost5Mg,
            RemissionGlucocorticoid::Below5Mg,
        ];
        let mut checked = 0u32;
        for a in assessments {
            for pga in pgas {
                for mg in doses {
                    for p in readings {
                        for g in doses_readings {
                            let mut inputs = TargetInputs::new(a);
                            inputs.pga = pga;
                            inputs.prednisone_equivalent =
                                mg.map(PrednisoneEquivalent::from_mg).transpose()?;
                            let o = RemissionOptions::default()
                                .with_pga(p)
                                .with_glucocorticoid(g);
                            let full = evaluate(&inputs, o)?;
                            let all =
                                TriState::all(full.criteria().iter().map(CriterionResult::state));
                            assert_eq!(full.state(), all);
                            assert_eq!(state(&inputs, o), all);
                            let lean = states(&inputs, o);
                            assert_eq!(lean.state, all);
                            let explained: Vec<_> = full
                                .criteria()
                                .iter()
                                .map(|c| (c.criterion(), c.state()))
                                .collect();
                            assert_eq!(lean.as_slice(), explained.as_slice());
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert_eq!(checked, 6 * 4 * 5 * 2 * 2);
        Ok(())
    }
}
