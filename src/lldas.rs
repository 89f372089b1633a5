//! The Lupus Low Disease Activity State (LLDAS) at one visit.
//!
//! This module owns [`evaluate`] and [`LldasResult`]. Source: Franklyn K et
//! al. *Definition and initial validation of a Lupus Low Disease Activity
//! State (LLDAS).* Ann Rheum Dis 2016;75:1615-21; the project's
//! transcription and policies are `clinical-reference.md` section 2 and
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
//! # Evaluation from data (project policy, reference section 2)
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
//!   not met. A caller whose "new activity" lies outside the SLEDAI-2K
//!   items should give the statement without the previous assessment.
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
//!     .with_maintenance_well_tolerated(true)
//!     .with_investigational_drug(false);
//! assert_eq!(lldas::evaluate(&inputs)?.state, TriState::Met);
//!
//! // Proteinuria (renal, a major organ) blocks criterion 1 even with the
//! // rest of the form missing.
//! let renal = Assessment::not_assessed().with(Descriptor::Proteinuria, sledai::Finding::Present);
//! let r = lldas::evaluate(&TargetInputs::new(renal))?;
//! assert_eq!(r.state, TriState::NotMet);
//! let c1 = r.criterion(Criterion::LldasActivity).expect("criterion 1");
//! assert_eq!(c1.state, TriState::NotMet);
//! assert!(c1.reason.contains("proteinuria"));
//! # Ok::<(), sledai::Error>(())
//! ```

use crate::descriptor::{Descriptor, DescriptorSet};
use crate::error::Error;
use crate::glucocorticoid::PrednisoneEquivalent;
use crate::pga::Pga;
use crate::state::TriState;
use crate::target::{at_most, yes_no, Criterion, CriterionResult, TargetInputs};

/// The citation of the definition.
///
/// ```
/// assert!(sledai::lldas::CITATION.contains("2016;75:1615-21"));
/// ```
pub const CITATION: &str = "Franklyn K et al. Ann Rheum Dis 2016;75:1615-21 (LLDAS)";

/// The SLEDAI-2K descriptors that are major organ activity for LLDAS
/// criterion 1 (project policy, clinical reference section 2): CNS 1-7,
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
/// Glucocorticoid cut-off of criterion 4 in micrograms (7.5 mg/day).
const MAX_PREDNISONE_UG: u32 = 7500;

/// The LLDAS state at one visit with its five criteria.
///
/// `criteria` holds criteria 1 to 5 in order ([`Criterion::LldasActivity`],
/// [`Criterion::LldasNoNewActivity`], [`Criterion::LldasPga`],
/// [`Criterion::LldasGlucocorticoid`], [`Criterion::LldasMaintenance`]).
/// Serializes as `{"state": "...", "criteria": [...]}`.
///
/// ```
/// use sledai::target::{Criterion, TargetInputs};
/// use sledai::{lldas, Assessment, TriState};
///
/// let r = lldas::evaluate(&TargetInputs::new(Assessment::from_present([])))?;
/// assert_eq!(r.criteria.len(), 5);
/// assert_eq!(r.criteria[0].criterion, Criterion::LldasActivity);
/// assert_eq!(r.criteria[0].state, TriState::Indeterminate); // anaemia, GI not recorded
/// assert_eq!(r.state, TriState::Indeterminate);
/// let json = serde_json::to_value(&r).unwrap();
/// assert_eq!(json["state"], "indeterminate");
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct LldasResult {
    /// Met if all five criteria are met, not met if any is not met,
    /// indeterminate otherwise.
    pub state: TriState,
    /// Criteria 1 to 5, in order.
    pub criteria: [CriterionResult; 5],
}

impl LldasResult {
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
    pub fn criterion(&self, criterion: Criterion) -> Option<&CriterionResult> {
        self.criteria.iter().find(|c| c.criterion == criterion)
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
/// assert_eq!(c2.state, TriState::Indeterminate);
///
/// // Rash absent before, present now: a new feature.
/// let inputs = TargetInputs::new(Assessment::from_present([Descriptor::Rash]))
///     .with_previous_assessment(Assessment::from_present([]));
/// let r = lldas::evaluate(&inputs)?;
/// assert_eq!(r.criteria[1].state, TriState::NotMet);
/// // ... and stating "no new activity" on top of that is a contradiction.
/// assert!(lldas::evaluate(&inputs.clone().with_new_activity(false)).is_err());
/// assert_eq!(lldas::evaluate(&inputs.with_new_activity(true))?.criteria[1].state, TriState::NotMet);
/// # Ok::<(), sledai::Error>(())
/// ```
pub fn evaluate(inputs: &TargetInputs) -> Result<LldasResult, Error> {
    let criteria = [
        activity(inputs),
        no_new_activity(inputs)?,
        at_most(
            Criterion::LldasPga,
            "PGA",
            inputs.pga,
            Pga::ONE,
            true,
            "PGA <= 1.0 (0-3 scale)".to_owned(),
        ),
        at_most(
            Criterion::LldasGlucocorticoid,
            "prednisone-equivalent",
            inputs.prednisone_equivalent,
            PrednisoneEquivalent::from_whole_ug(MAX_PREDNISONE_UG),
            true,
            "prednisone-equivalent <= 7.5 mg/day".to_owned(),
        ),
        maintenance(inputs),
    ];
    Ok(LldasResult {
        state: TriState::all(criteria.iter().map(|c| c.state)),
        criteria,
    })
}

/// Criterion 1, decided over every completion of the assessment.
fn activity(inputs: &TargetInputs) -> CriterionResult {
    let a = &inputs.assessment;
    let range = a.score_range();
    let present_major = a.present().intersection(MAJOR_ORGAN_DESCRIPTORS);
    let missing_major = a.missing().intersection(MAJOR_ORGAN_DESCRIPTORS);

    // `fails`: reasons that hold in every completion. `open`: reasons that
    // hold in some completion but not all.
    let mut fails: Vec<String> = Vec::new();
    let mut open: Vec<String> = Vec::new();
    if range.min().get() > MAX_SLEDAI {
        fails.push(if range.is_exact() {
            format!("SLEDAI-2K {} > {MAX_SLEDAI}", range.min())
        } else {
            format!(
                "SLEDAI-2K at least {} > {MAX_SLEDAI} whatever the missing items",
                range.min()
            )
        });
    } else if range.max().get() > MAX_SLEDAI {
        open.push(format!(
            "SLEDAI-2K could be {range} with {} not assessed",
            a.missing()
        ));
    }
    if !present_major.is_empty() {
        fails.push(format!("major organ activity: {present_major}"));
    } else if !missing_major.is_empty() {
        open.push(format!(
            "major organ descriptor(s) not assessed: {missing_major}"
        ));
    }
    for (name, value) in [
        ("haemolytic anaemia", inputs.hemolytic_anemia),
        (
            "gastrointestinal activity",
            inputs.gastrointestinal_activity,
        ),
    ] {
        match value {
            Some(true) => fails.push(format!("{name} present")),
            Some(false) => {}
            None => open.push(format!("{name} not recorded")),
        }
    }

    let (state, reason) = if !fails.is_empty() {
        (TriState::NotMet, fails.join("; "))
    } else if !open.is_empty() {
        (TriState::Indeterminate, open.join("; "))
    } else {
        (
            TriState::Met,
            format!(
                "SLEDAI-2K {range} <= {MAX_SLEDAI}, no major organ descriptor, \
                 no haemolytic anaemia, no gastrointestinal activity"
            ),
        )
    };
    let mut observed = format!("SLEDAI-2K {range} (present: {}", a.present());
    if !a.is_complete() {
        observed.push_str(&format!("; not assessed: {}", a.missing()));
    }
    observed.push_str(&format!(
        "); haemolytic anaemia: {}; gastrointestinal activity: {}",
        yes_no(inputs.hemolytic_anemia),
        yes_no(inputs.gastrointestinal_activity)
    ));
    CriterionResult::new(
        Criterion::LldasActivity,
        state,
        observed,
        "SLEDAI-2K <= 4 with no major organ descriptor (CNS 1-7, vasculitis 8, renal 11-14, \
         pleurisy 18, pericarditis 19, fever 22), no haemolytic anaemia, \
         no gastrointestinal activity",
        reason,
    )
}

/// Criterion 2, from the previous assessment and/or the caller's statement.
fn no_new_activity(inputs: &TargetInputs) -> Result<CriterionResult, Error> {
    let now = &inputs.assessment;
    // (state, observed, reason) of the item comparison, if possible.
    let derived = inputs.previous_assessment.map(|prev| {
        let new = now.present().intersection(prev.absent());
        let could_be_new = now
            .present()
            .union(now.missing())
            .intersection(prev.absent().union(prev.missing()));
        if !new.is_empty() {
            (
                TriState::NotMet,
                format!("new since the previous assessment: {new}"),
                format!("{new} present now, absent at the previous assessment"),
            )
        } else if !could_be_new.is_empty() {
            (
                TriState::Indeterminate,
                format!("possibly new (not assessed at one of the two visits): {could_be_new}"),
                format!("cannot tell whether {could_be_new} is new: not assessed at one of the two visits"),
            )
        } else {
            (
                TriState::Met,
                "no descriptor new since the previous assessment".to_owned(),
                "every descriptor present now was present at the previous assessment".to_owned(),
            )
        }
    });

    let (state, observed, reason) = match (inputs.new_activity, derived) {
        (Some(stated), Some((decided, _, why)))
            if decided != TriState::Indeterminate && decided != TriState::from_bool(!stated) =>
        {
            return Err(Error::InvalidValue {
                field: "new_activity",
                value: stated.to_string(),
                reason: format!(
                    "contradicts the previous assessment ({why}); give the statement \
                     without the previous assessment to rely on it alone"
                ),
            });
        }
        (Some(stated), derived) => {
            let what = if stated {
                "new features of lupus activity"
            } else {
                "no new features of lupus activity"
            };
            (
                TriState::from_bool(!stated),
                match derived {
                    Some((_, obs, _)) => format!("caller states {what}; {obs}"),
                    None => format!("caller states {what}"),
                },
                format!("{what} stated by the caller"),
            )
        }
        (None, Some(d)) => d,
        (None, None) => (
            TriState::Indeterminate,
            "no previous assessment, no statement".to_owned(),
            "nothing to compare with (first visit?) and no statement on new activity; \
             a missing input never passes"
                .to_owned(),
        ),
    };
    Ok(CriterionResult::new(
        Criterion::LldasNoNewActivity,
        state,
        observed,
        "no new features of lupus activity compared with the previous assessment \
         (a descriptor present now and absent then)",
        reason,
    ))
}

/// Criterion 5.
fn maintenance(inputs: &TargetInputs) -> CriterionResult {
    let tolerated = inputs.maintenance_well_tolerated;
    let investigational = inputs.investigational_drug;
    let mut fails = Vec::new();
    let mut open = Vec::new();
    match tolerated {
        Some(true) => {}
        Some(false) => {
            fails.push("maintenance therapy not well tolerated or not at standard doses")
        }
        None => open.push("maintenance therapy tolerance not recorded"),
    }
    match investigational {
        Some(false) => {}
        Some(true) => fails.push("taking an investigational drug"),
        None => open.push("investigational drug use not recorded"),
    }
    let (state, reason) = if !fails.is_empty() {
        (TriState::NotMet, fails.join("; "))
    } else if !open.is_empty() {
        (TriState::Indeterminate, open.join("; "))
    } else {
        (
            TriState::Met,
            "maintenance therapy well tolerated, no investigational drug".to_owned(),
        )
    };
    CriterionResult::new(
        Criterion::LldasMaintenance,
        state,
        format!(
            "maintenance therapy well tolerated: {}; investigational drug: {}",
            yes_no(tolerated),
            yes_no(investigational)
        ),
        "well tolerated standard maintenance doses of immunosuppressives and approved \
         biologics; no investigational drug",
        reason,
    )
}
