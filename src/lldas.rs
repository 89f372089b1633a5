//! The Lupus Low Disease Activity State (LLDAS) at one visit.
//!
//! This module owns [`evaluate`] and [`LldasResult`]. Source: Franklyn K et
//! al. *Definition and initial validation of a Lupus Low Disease Activity
//! State (LLDAS).* Ann Rheum Dis 2016;75:1615-21; the project's
//! transcription and policies are `docs/reference.md` section 2 and
//! `docs/targets.md`. All five criteria must hold:
//!
//! 1. SLEDAI-2K <= 4, with no activity in major organ systems (renal, CNS,
//!    cardiopulmonary, vasculitis, fever) and no haemolytic anaemia or
//!    gastrointestinal activity.
//! 2. No new features of lupus activity compared with the previous
//!    assessment.
//! 3. SELENA-SLEDAI physician global assessment (0-3) <= 1.
//! 4. Current prednisolone (or equivalent) <= 7.5 mg/day.
//! 5. Well tolerated standard maintenance doses of immunosuppressive drugs
//!    and approved biological agents, excluding investigational drugs.
//!
//! # Evaluation from data (project policy, `docs/reference.md` section 2)
//!
//! - Criterion 1 is derived from the SLEDAI-2K items. Major organ activity
//!   is a present descriptor of [`MAJOR_ORGAN_DESCRIPTORS`]: CNS 1-7,
//!   vasculitis 8, renal 11-14, pleurisy 18 and pericarditis 19
//!   (cardiopulmonary), fever 22. Arthritis, myositis, rash, alopecia,
//!   mucosal ulcers, serology, thrombocytopenia and leukopenia may make up a
//!   total <= 4. For an incomplete assessment the criterion is decided over
//!   every way the missing items could be filled in: not met when the
//!   score range's minimum exceeds 4 or a major organ descriptor is present,
//!   met when its maximum is <= 4 and no major organ descriptor is present
//!   or missing, indeterminate otherwise. Haemolytic anaemia and GI activity
//!   are separate inputs.
//! - Criterion 2: a descriptor present now and assessed absent at the
//!   previous assessment is a new feature. Without a previous assessment
//!   (the first visit) the criterion is indeterminate unless the caller
//!   states it. When both are given they must agree: the statement settles
//!   a comparison the items leave open (a descriptor not assessed at one of
//!   the two visits), but a statement that contradicts a decided comparison
//!   (`false` while a descriptor is new, or `true` while none is) is an
//!   error, [`Error::InvalidValue`] on field `new_activity`. Any other
//!   resolution would let adding an input flip the result between met and
//!   not met. Activity outside the SLEDAI-2K items that LLDAS names
//!   (haemolytic anaemia, gastrointestinal activity) has its own inputs;
//!   a library caller may also give the statement without the previous
//!   assessment.
//! - A missing input never counts as a pass: the criterion is
//!   indeterminate. The overall state is [`TriState::all`] of the five.
//!
//! # Example
//!
//! ```
//! use sledai::glucocorticoid::PrednisoneEquivalent;
//! use sledai::target::{Criterion, TargetInputs};
//! use sledai::{lldas, Assessment, Descriptor, Pga, TriState};
//!
//! // Serology-only SLEDAI-2K 4, unchanged since the previous visit.
//! let now = Assessment::from_present([Descriptor::LowComplement, Descriptor::IncreasedDnaBinding]);
//! let inputs = TargetInputs::new(now)
//!     .with_previous_assessment(now)
//!     .with_pga(Pga::new(0.5)?)
//!     .with_prednisone_equivalent(PrednisoneEquivalent::from_mg(5.0)?)
//!     .with_hemolytic_anemia(false)
//!     .with_gastrointestinal_activity(false)
//!     .with_maintenance_tolerated(true)
//!     .with_investigational_drug(false);
//! assert_eq!(lldas::evaluate(&inputs)?.state(), TriState::Met);
//!
//! // Proteinuria (renal, a major organ) blocks criterion 1 even with the
//! // rest of the form missing.
//! let renal = Assessment::not_assessed().with(Descriptor::Proteinuria, sledai::Finding::Present);
//! let r = lldas::evaluate(&TargetInputs::new(renal))?;
//! assert_eq!(r.state(), TriState::NotMet);
//! let c1 = r.criterion(Criterion::LldasActivity).expect("criterion 1");
//! assert_eq!(c1.state(), TriState::NotMet);
//! assert!(c1.reason().to_string().contains("proteinuria"));
//! # Ok::<(), sledai::Error>(())
//! ```

use std::fmt;

use crate::assessment::Assessment;
use crate::descriptor::{Descriptor, DescriptorSet};
use crate::error::Error;
use crate::glucocorticoid::PrednisoneEquivalent;
use crate::pga::Pga;
use crate::state::TriState;
use crate::target::{
    Collect, Criterion, CriterionResult, CriterionSink, Cutoff, CutoffRule, Facts, Pack, Reader,
    StateOnly, States, TargetInputs, Writer, pack_struct, range_of, write_checks, yes_no,
};

/// The citation of the definition.
///
/// ```
/// assert!(sledai::lldas::CITATION.contains("2016;75:1615-21"));
/// ```
pub const CITATION: &str = "Franklyn K et al. Ann Rheum Dis 2016;75:1615-21 (LLDAS)";

/// The SLEDAI-2K descriptors that are major organ activity for LLDAS
/// criterion 1 (project policy, `docs/reference.md` section 2): CNS 1-7,
/// vasculitis 8, renal 11-14, pleurisy 18, pericarditis 19, fever 22.
///
/// ```
/// use sledai::lldas::MAJOR_ORGAN_DESCRIPTORS;
/// use sledai::Descriptor;
/// assert_eq!(MAJOR_ORGAN_DESCRIPTORS.len(), 15);
/// assert!(MAJOR_ORGAN_DESCRIPTORS.contains(Descriptor::Fever));
/// assert!(!MAJOR_ORGAN_DESCRIPTORS.contains(Descriptor::Myositis));
/// ```
pub const MAJOR_ORGAN_DESCRIPTORS: DescriptorSet = DescriptorSet::EMPTY
    // CNS, 1-7
    .with(Descriptor::Seizure)
    .with(Descriptor::Psychosis)
    .with(Descriptor::OrganicBrainSyndrome)
    .with(Descriptor::VisualDisturbance)
    .with(Descriptor::CranialNerveDisorder)
    .with(Descriptor::LupusHeadache)
    .with(Descriptor::Cva)
    // vasculitis, 8
    .with(Descriptor::Vasculitis)
    // renal, 11-14
    .with(Descriptor::UrinaryCasts)
    .with(Descriptor::Hematuria)
    .with(Descriptor::Proteinuria)
    .with(Descriptor::Pyuria)
    // cardiopulmonary, 18-19
    .with(Descriptor::Pleurisy)
    .with(Descriptor::Pericarditis)
    // fever, 22
    .with(Descriptor::Fever);

/// The largest SLEDAI-2K total of LLDAS criterion 1.
const MAX_SLEDAI: u8 = 4;
/// Glucocorticoid cut-off of criterion 4 (7.5 mg/day).
const MAX_PREDNISONE: PrednisoneEquivalent = PrednisoneEquivalent::from_whole_ug(7500);

/// The rule of criterion 1, as text.
pub(crate) const ACTIVITY_THRESHOLD: &str = "SLEDAI-2K <= 4 with no major organ descriptor (CNS 1-7, vasculitis 8, renal 11-14, \
     pleurisy 18, pericarditis 19, fever 22), no haemolytic anaemia, \
     no gastrointestinal activity";
/// The rule of criterion 2, as text.
pub(crate) const NEW_ACTIVITY_THRESHOLD: &str = "no new features of lupus activity compared with the previous assessment \
     (a descriptor present now and absent then)";
/// The rule of criterion 3, as text.
pub(crate) const PGA_THRESHOLD: &str = "PGA <= 1.0 (0-3 scale)";
/// The rule of criterion 4, as text.
pub(crate) const DOSE_THRESHOLD: &str = "prednisone-equivalent <= 7.5 mg/day";
/// The rule of criterion 5, as text.
pub(crate) const MAINTENANCE_THRESHOLD: &str = "well tolerated standard maintenance doses of immunosuppressives and approved \
     biologics; no investigational drug";

/// The LLDAS state at one visit with its five criteria.
///
/// [`criteria`](Self::criteria) lists criteria 1 to 5 in order
/// ([`Criterion::LldasActivity`], [`Criterion::LldasNoNewActivity`],
/// [`Criterion::LldasPga`], [`Criterion::LldasGlucocorticoid`],
/// [`Criterion::LldasMaintenance`]); look one up with
/// [`criterion`](Self::criterion). Serializes as
/// `{"state": "...", "criteria": [...]}`.
///
/// ```
/// use sledai::target::{Criterion, TargetInputs};
/// use sledai::{lldas, Assessment, TriState};
///
/// let r = lldas::evaluate(&TargetInputs::new(Assessment::from_present([])))?;
/// assert_eq!(r.criteria().len(), 5);
/// assert_eq!(r.criteria()[0].criterion(), Criterion::LldasActivity);
/// let c1 = r.criterion(Criterion::LldasActivity).expect("criterion 1");
/// assert_eq!(c1.state(), TriState::Indeterminate); // anaemia, GI not recorded
/// assert_eq!(r.state(), TriState::Indeterminate);
/// let json = serde_json::to_value(&r).unwrap();
/// assert_eq!(json["state"], "indeterminate");
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[non_exhaustive]
pub struct LldasResult {
    state: TriState,
    criteria: [CriterionResult; 5],
}

impl LldasResult {
    /// Met if all five criteria are met, not met if any is not met,
    /// indeterminate otherwise.
    ///
    /// ```
    /// use sledai::target::TargetInputs;
    /// use sledai::{lldas, Assessment, TriState};
    /// let r = lldas::evaluate(&TargetInputs::new(Assessment::not_assessed()))?;
    /// assert_eq!(r.state(), TriState::Indeterminate);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub const fn state(&self) -> TriState {
        self.state
    }

    /// Criteria 1 to 5, in order.
    ///
    /// ```
    /// use sledai::target::{Criterion, TargetInputs};
    /// use sledai::{lldas, Assessment};
    /// let r = lldas::evaluate(&TargetInputs::new(Assessment::from_present([])))?;
    /// assert_eq!(r.criteria()[2].criterion(), Criterion::LldasPga);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub fn criteria(&self) -> &[CriterionResult] {
        &self.criteria
    }

    /// The result of one criterion; `None` for a criterion that is not part
    /// of LLDAS.
    ///
    /// ```
    /// use sledai::target::{Criterion, TargetInputs};
    /// use sledai::{lldas, Assessment};
    /// let r = lldas::evaluate(&TargetInputs::new(Assessment::from_present([])))?;
    /// assert!(r.criterion(Criterion::LldasPga).is_some());
    /// assert!(r.criterion(Criterion::DorisPga).is_none());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub fn criterion(&self, criterion: Criterion) -> Option<&CriterionResult> {
        self.criteria.iter().find(|c| c.criterion() == criterion)
    }
}

/// Evaluates LLDAS (Franklyn 2016) at one visit; see the
/// [module docs](self) for the rules and policies.
///
/// # Errors
///
/// [`Error::InvalidValue`] (field `new_activity`) when the caller's
/// statement contradicts the comparison with the previous assessment: no
/// new activity stated while a descriptor absent then is present now, or
/// new activity stated while every descriptor present now was present then.
///
/// # Example
///
/// ```
/// use sledai::target::{Criterion, TargetInputs};
/// use sledai::{lldas, Assessment, Descriptor, TriState};
///
/// // First visit: no previous assessment and no statement.
/// let r = lldas::evaluate(&TargetInputs::new(Assessment::from_present([Descriptor::Rash])))?;
/// let c2 = r.criterion(Criterion::LldasNoNewActivity).expect("criterion 2");
/// assert_eq!(c2.state(), TriState::Indeterminate);
///
/// // Rash absent before, present now: a new feature.
/// let inputs = TargetInputs::new(Assessment::from_present([Descriptor::Rash]))
///     .with_previous_assessment(Assessment::from_present([]));
/// let r = lldas::evaluate(&inputs)?;
/// let c2 = r.criterion(Criterion::LldasNoNewActivity).expect("criterion 2");
/// assert_eq!(c2.state(), TriState::NotMet);
/// // ... and stating "no new activity" on top of that is a contradiction.
/// assert!(lldas::evaluate(&inputs.clone().with_new_activity(false)).is_err());
/// let r = lldas::evaluate(&inputs.with_new_activity(true))?;
/// assert_eq!(r.criteria()[1].state(), TriState::NotMet);
/// # Ok::<(), sledai::Error>(())
/// ```
///
/// LLDAS has no reading to choose (no options): it is evaluated as
/// `lldas::evaluate(&inputs)`, the options-free form of the crate's
/// calling convention.
pub fn evaluate(inputs: &TargetInputs) -> Result<LldasResult, Error> {
    check(inputs)?;
    Ok(evaluate_unchecked(inputs))
}

/// [`evaluate`] of inputs [`check`] accepted: called by [`evaluate`] and
/// by [`crate::visit::VisitResult::lldas`].
pub(crate) fn evaluate_unchecked(inputs: &TargetInputs) -> LldasResult {
    let mut c = Collect::<5>::new();
    criteria(inputs, &mut c);
    LldasResult {
        state: c.state,
        criteria: c.criteria.into_array(),
    }
}

/// The state of [`evaluate`] alone (no criterion packed), from the same
/// rule: what the timelines read.
///
/// # Errors
///
/// Those of [`evaluate`].
pub(crate) fn state(inputs: &TargetInputs) -> Result<TriState, Error> {
    check(inputs)?;
    let mut s = StateOnly::new();
    criteria(inputs, &mut s);
    Ok(s.0)
}

/// The criterion states and the state of [`evaluate`] (no criterion
/// packed), from the same rule: what the flat-table output prints.
///
/// # Errors
///
/// Those of [`evaluate`].
pub(crate) fn states(inputs: &TargetInputs) -> Result<States<5>, Error> {
    check(inputs)?;
    let mut s = States::new();
    criteria(inputs, &mut s);
    Ok(s)
}

/// The rule: criteria 1 to 5, in order, every one part of the
/// conjunction. The inputs were [`check`]ed.
fn criteria(inputs: &TargetInputs, sink: &mut impl CriterionSink) {
    sink.decide(
        Criterion::LldasActivity,
        ActivityFacts {
            present: inputs.assessment.present(),
            missing: inputs.assessment.missing(),
            hemolytic_anemia: inputs.hemolytic_anemia,
            gastrointestinal_activity: inputs.gastrointestinal_activity,
        },
    );
    sink.decide(Criterion::LldasNoNewActivity, new_activity_facts(inputs));
    sink.decide(
        Criterion::LldasPga,
        Cutoff::new(inputs.pga, Pga::ONE, true, PgaRule),
    );
    sink.decide(
        Criterion::LldasGlucocorticoid,
        Cutoff::new(inputs.prednisone_equivalent, MAX_PREDNISONE, true, DoseRule),
    );
    sink.decide(
        Criterion::LldasMaintenance,
        MaintenanceFacts {
            tolerated: inputs.maintenance_tolerated,
            investigational: inputs.investigational_drug,
        },
    );
}

/// The facts of criterion 1: the SLEDAI-2K items and the two extra inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct ActivityFacts {
    present: DescriptorSet,
    missing: DescriptorSet,
    hemolytic_anemia: Option<bool>,
    gastrointestinal_activity: Option<bool>,
}

impl ActivityFacts {
    /// Criterion 1, decided over every completion of the assessment, as
    /// four checks: the total, major organ activity, haemolytic anaemia, GI
    /// activity. A check is not met when it fails in every completion,
    /// indeterminate when it fails in some but not all.
    fn checks(&self) -> [TriState; 4] {
        let range = range_of(self.present, self.missing);
        let total = if range.min().get() > MAX_SLEDAI {
            TriState::NotMet
        } else if range.max().get() > MAX_SLEDAI {
            TriState::Indeterminate
        } else {
            TriState::Met
        };
        let major = if !self.present_major().is_empty() {
            TriState::NotMet
        } else if !self.missing_major().is_empty() {
            TriState::Indeterminate
        } else {
            TriState::Met
        };
        [
            total,
            major,
            TriState::from_option(self.hemolytic_anemia.map(|p| !p)),
            TriState::from_option(self.gastrointestinal_activity.map(|p| !p)),
        ]
    }

    fn present_major(&self) -> DescriptorSet {
        self.present.intersection(MAJOR_ORGAN_DESCRIPTORS)
    }

    fn missing_major(&self) -> DescriptorSet {
        self.missing.intersection(MAJOR_ORGAN_DESCRIPTORS)
    }
}

pack_struct!(ActivityFacts {
    present: DescriptorSet,
    missing: DescriptorSet,
    hemolytic_anemia: Option<bool>,
    gastrointestinal_activity: Option<bool>,
});

impl Facts for ActivityFacts {
    fn state(&self) -> TriState {
        TriState::all(self.checks())
    }

    fn threshold(&self) -> &'static str {
        ACTIVITY_THRESHOLD
    }

    fn write_observed(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let range = range_of(self.present, self.missing);
        write!(f, "SLEDAI-2K {range} (present: {}", self.present)?;
        if !self.missing.is_empty() {
            write!(f, "; not assessed: {}", self.missing)?;
        }
        write!(
            f,
            "); haemolytic anaemia: {}; gastrointestinal activity: {}",
            yes_no(self.hemolytic_anemia),
            yes_no(self.gastrointestinal_activity)
        )
    }

    fn write_reason(&self, f: &mut fmt::Formatter<'_>, state: TriState) -> fmt::Result {
        let range = range_of(self.present, self.missing);
        if state == TriState::Met {
            return write!(
                f,
                "SLEDAI-2K {range} <= {MAX_SLEDAI}, no major organ descriptor, \
                 no haemolytic anaemia, no gastrointestinal activity"
            );
        }
        // The checks in `state` explain it: those that fail when not met,
        // those left open when indeterminate.
        let fails = state == TriState::NotMet;
        write_checks(f, &self.checks(), state, |f, i| match (i, fails) {
            (0, true) if range.is_exact() => write!(f, "SLEDAI-2K {} > {MAX_SLEDAI}", range.min()),
            (0, true) => write!(
                f,
                "SLEDAI-2K at least {} > {MAX_SLEDAI} whatever the missing items",
                range.min()
            ),
            (0, false) => write!(
                f,
                "SLEDAI-2K could be {range} with {} not assessed",
                self.missing
            ),
            (1, true) => write!(f, "major organ activity: {}", self.present_major()),
            (1, false) => write!(
                f,
                "major organ descriptor(s) not assessed: {}",
                self.missing_major()
            ),
            (2, true) => f.write_str("haemolytic anaemia present"),
            (2, false) => f.write_str("haemolytic anaemia not recorded"),
            (_, true) => f.write_str("gastrointestinal activity present"),
            (_, false) => f.write_str("gastrointestinal activity not recorded"),
        })
    }
}

/// What the item comparison of criterion 2 found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Comparison {
    /// These descriptors are present now and were absent then.
    New(DescriptorSet),
    /// These descriptors could be new: not assessed at one of the visits.
    PossiblyNew(DescriptorSet),
    /// Every descriptor present now was present then.
    NoneNew,
}

impl Pack for Comparison {
    const SIZE: usize = 1 + DescriptorSet::SIZE;
    fn put(&self, w: &mut Writer) {
        match self {
            Comparison::New(s) => {
                w.byte(0);
                s.put(w);
            }
            Comparison::PossiblyNew(s) => {
                w.byte(1);
                s.put(w);
            }
            Comparison::NoneNew => w.byte(2),
        }
    }
    fn take(r: &mut Reader<'_>) -> Comparison {
        match r.byte() {
            0 => Comparison::New(DescriptorSet::take(r)),
            1 => Comparison::PossiblyNew(DescriptorSet::take(r)),
            _ => Comparison::NoneNew,
        }
    }
}

impl Comparison {
    fn between(now: Assessment, prev: Assessment) -> Comparison {
        let new = now.present().intersection(prev.absent());
        let could_be_new = now
            .present()
            .union(now.missing())
            .intersection(prev.absent().union(prev.missing()));
        if !new.is_empty() {
            Comparison::New(new)
        } else if !could_be_new.is_empty() {
            Comparison::PossiblyNew(could_be_new)
        } else {
            Comparison::NoneNew
        }
    }

    fn state(self) -> TriState {
        match self {
            Comparison::New(_) => TriState::NotMet,
            Comparison::PossiblyNew(_) => TriState::Indeterminate,
            Comparison::NoneNew => TriState::Met,
        }
    }

    fn write_observed(self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Comparison::New(s) => write!(f, "new since the previous assessment: {s}"),
            Comparison::PossiblyNew(s) => write!(
                f,
                "possibly new (not assessed at one of the two visits): {s}"
            ),
            Comparison::NoneNew => f.write_str("no descriptor new since the previous assessment"),
        }
    }

    fn write_reason(self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Comparison::New(s) => write!(f, "{s} present now, absent at the previous assessment"),
            Comparison::PossiblyNew(s) => write!(
                f,
                "cannot tell whether {s} is new: not assessed at one of the two visits"
            ),
            Comparison::NoneNew => {
                f.write_str("every descriptor present now was present at the previous assessment")
            }
        }
    }
}

/// The facts of criterion 2: the caller's statement and the item
/// comparison with the previous assessment, each if available.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct NewActivityFacts {
    stated: Option<bool>,
    comparison: Option<Comparison>,
}

/// "new features of lupus activity" or "no new features of lupus activity".
fn stated_text(stated: bool) -> &'static str {
    if stated {
        "new features of lupus activity"
    } else {
        "no new features of lupus activity"
    }
}

/// The inputs' one error: a statement on new activity that contradicts a
/// decided comparison with the previous assessment (see [`evaluate`]).
fn check(inputs: &TargetInputs) -> Result<(), Error> {
    let NewActivityFacts {
        stated: Some(stated),
        comparison: Some(c),
    } = new_activity_facts(inputs)
    else {
        return Ok(());
    };
    let decided = c.state();
    if decided != TriState::Indeterminate && decided != TriState::from_bool(!stated) {
        return Err(Error::InvalidValue {
            field: "new_activity",
            value: stated.to_string().into(),
            reason: format!(
                "contradicts the previous assessment ({}); new features are descriptors \
                 present now and absent then (docs/targets.md): leave `new_activity` out \
                 to use the comparison; haemolytic anaemia and gastrointestinal activity \
                 have their own fields",
                Reason(c)
            )
            .into(),
        });
    }
    Ok(())
}

/// Criterion 2's facts (a contradiction between them is [`check`]ed).
fn new_activity_facts(inputs: &TargetInputs) -> NewActivityFacts {
    NewActivityFacts {
        stated: inputs.new_activity,
        comparison: inputs
            .previous_assessment
            .map(|prev| Comparison::between(inputs.assessment, prev)),
    }
}

/// The reason text of a comparison.
struct Reason(Comparison);

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.write_reason(f)
    }
}

pack_struct!(NewActivityFacts {
    stated: Option<bool>,
    comparison: Option<Comparison>,
});

impl Facts for NewActivityFacts {
    /// The statement settles the criterion (a contradiction with the
    /// comparison was rejected by `check`); otherwise the
    /// comparison does; with neither, it is indeterminate.
    fn state(&self) -> TriState {
        match (self.stated, self.comparison) {
            (Some(stated), _) => TriState::from_bool(!stated),
            (None, Some(c)) => c.state(),
            (None, None) => TriState::Indeterminate,
        }
    }

    fn threshold(&self) -> &'static str {
        NEW_ACTIVITY_THRESHOLD
    }

    fn write_observed(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.stated, self.comparison) {
            (Some(stated), c) => {
                write!(f, "caller states {}", stated_text(stated))?;
                if let Some(c) = c {
                    f.write_str("; ")?;
                    c.write_observed(f)?;
                }
                Ok(())
            }
            (None, Some(c)) => c.write_observed(f),
            (None, None) => f.write_str("no previous assessment, no statement"),
        }
    }

    fn write_reason(&self, f: &mut fmt::Formatter<'_>, _state: TriState) -> fmt::Result {
        match (self.stated, self.comparison) {
            (Some(stated), _) => write!(f, "{} stated by the caller", stated_text(stated)),
            (None, Some(c)) => c.write_reason(f),
            (None, None) => f.write_str(
                "nothing to compare with (first visit?) and no statement on new activity; \
                 a missing input never passes",
            ),
        }
    }
}

/// The facts of criterion 5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct MaintenanceFacts {
    tolerated: Option<bool>,
    investigational: Option<bool>,
}

impl MaintenanceFacts {
    /// Two checks: maintenance therapy well tolerated, no investigational
    /// drug.
    fn checks(&self) -> [TriState; 2] {
        [
            TriState::from_option(self.tolerated),
            TriState::from_option(self.investigational.map(|taking| !taking)),
        ]
    }
}

pack_struct!(MaintenanceFacts {
    tolerated: Option<bool>,
    investigational: Option<bool>,
});

impl Facts for MaintenanceFacts {
    fn state(&self) -> TriState {
        TriState::all(self.checks())
    }

    fn threshold(&self) -> &'static str {
        MAINTENANCE_THRESHOLD
    }

    fn write_observed(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "maintenance therapy well tolerated: {}; investigational drug: {}",
            yes_no(self.tolerated),
            yes_no(self.investigational)
        )
    }

    fn write_reason(&self, f: &mut fmt::Formatter<'_>, state: TriState) -> fmt::Result {
        if state == TriState::Met {
            return f.write_str("maintenance therapy well tolerated, no investigational drug");
        }
        let fails = state == TriState::NotMet;
        write_checks(f, &self.checks(), state, |f, i| {
            f.write_str(match (i, fails) {
                (0, true) => "maintenance therapy not well tolerated or not at standard doses",
                (0, false) => "maintenance therapy tolerance not recorded",
                (_, true) => "taking an investigational drug",
                (_, false) => "investigational drug use not recorded",
            })
        })
    }
}

/// The rule text of criterion 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct PgaRule;

impl CutoffRule for PgaRule {
    fn threshold(_inclusive: bool) -> &'static str {
        PGA_THRESHOLD
    }
}

/// The rule text of criterion 4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct DoseRule;

impl CutoffRule for DoseRule {
    fn threshold(_inclusive: bool) -> &'static str {
        DOSE_THRESHOLD
    }
}

#[cfg(test)]
mod state_only_tests {
    use super::*;

    /// Exhaustively over assessments with and without major organ,
    /// serology and missing items, previous assessments that make the
    /// comparison new, possibly new or none new, every statement, PGAs and
    /// doses on both sides of each cut-off and every yes/no input: the
    /// state-only run and the criterion-states run agree with the
    /// explained result (its state, its criteria in order and their
    /// states), that state is the conjunction of the five criteria
    /// (Franklyn 2016: LLDAS when all five hold), and all three runs reject
    /// the same inputs with the same error.
    #[test]
    fn the_states_alone_are_the_explained_states() -> Result<(), Error> {
        let none = Assessment::from_present([]);
        let arthritis = Assessment::from_present([Descriptor::Arthritis]);
        let assessments = [
            none,
            arthritis,
            Assessment::from_present([Descriptor::LowComplement, Descriptor::IncreasedDnaBinding]),
            Assessment::from_present([Descriptor::Proteinuria]),
            Assessment::from_present([Descriptor::Rash, Descriptor::Arthritis]),
            Assessment::not_assessed(),
            none.with(Descriptor::Fever, crate::Finding::NotAssessed),
            arthritis.with(Descriptor::Alopecia, crate::Finding::NotAssessed),
        ];
        let previous = [
            None,
            Some(none),
            Some(arthritis),
            Some(Assessment::not_assessed()),
        ];
        let flags = [None, Some(false), Some(true)];
        let pgas = [None, Some(Pga::ZERO), Some(Pga::ONE), Some(Pga::new(1.1)?)];
        let doses = [None, Some(7.5), Some(7.6)];
        let (mut checked, mut rejected) = (0u32, 0u32);
        for a in assessments {
            for prev in previous {
                for stated in flags {
                    for pga in pgas {
                        for mg in doses {
                            for [h, g, m, i] in four_flags(flags) {
                                let mut inputs = TargetInputs::new(a);
                                inputs.previous_assessment = prev;
                                inputs.new_activity = stated;
                                inputs.pga = pga;
                                inputs.prednisone_equivalent =
                                    mg.map(PrednisoneEquivalent::from_mg).transpose()?;
                                inputs.hemolytic_anemia = h;
                                inputs.gastrointestinal_activity = g;
                                inputs.maintenance_tolerated = m;
                                inputs.investigational_drug = i;
                                checked += 1;
                                let full = match evaluate(&inputs) {
                                    Ok(full) => full,
                                    Err(e) => {
                                        assert_eq!(state(&inputs), Err(e.clone()));
                                        assert_eq!(states(&inputs), Err(e));
                                        rejected += 1;
                                        continue;
                                    }
                                };
                                assert_eq!(full, evaluate_unchecked(&inputs));
                                let all = TriState::all(
                                    full.criteria().iter().map(CriterionResult::state),
                                );
                                assert_eq!(full.state(), all);
                                assert_eq!(state(&inputs)?, all);
                                let lean = states(&inputs)?;
                                assert_eq!(lean.state, all);
                                let explained: Vec<_> = full
                                    .criteria()
                                    .iter()
                                    .map(|c| (c.criterion(), c.state()))
                                    .collect();
                                assert_eq!(lean.as_slice(), explained.as_slice());
                            }
                        }
                    }
                }
            }
        }
        assert_eq!(checked, 8 * 4 * 3 * 4 * 3 * 81);
        // Some statements contradict a decided comparison, most do not.
        assert!(
            rejected > 0 && rejected < checked / 2,
            "{rejected} of {checked}"
        );
        Ok(())
    }

    /// Every combination of four yes/no/missing inputs.
    fn four_flags(flags: [Option<bool>; 3]) -> impl Iterator<Item = [Option<bool>; 4]> {
        (0..81).map(move |k: usize| [k % 3, k / 3 % 3, k / 9 % 3, k / 27].map(|j| flags[j]))
    }
}
