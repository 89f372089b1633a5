//! The result: points per domain, the total or its range, the outcome.

use std::fmt;

use super::*;
use crate::assessment::Finding;
use crate::state::TriState;
use crate::vocabulary::vocabulary;

vocabulary! {
/// The answer: classified as SLE, not classified, or indeterminate because
/// missing criteria could still change it.
///
/// Serializes as `"classified"`, `"not_classified"` or `"indeterminate"`.
///
/// ```
/// use sledai::classification::Outcome;
/// use sledai::TriState;
/// assert_eq!(Outcome::Classified.as_tristate(), TriState::Met);
/// assert_eq!(Outcome::NotClassified.to_string(), "not_classified");
/// ```
pub enum Outcome, field = "outcome", path = "sledai::classification::Outcome" {
    /// Every completion of the missing data classifies.
    Classified = "classified",
    /// No completion of the missing data classifies.
    NotClassified = "not_classified",
    /// Some completions classify and some do not.
    Indeterminate = "indeterminate",
}
}

impl Outcome {
    /// `Met` for classified, `NotMet` for not classified, `Indeterminate`
    /// for indeterminate.
    ///
    /// ```
    /// use sledai::classification::Outcome;
    /// use sledai::TriState;
    /// assert_eq!(Outcome::Indeterminate.as_tristate(), TriState::Indeterminate);
    /// ```
    pub const fn as_tristate(self) -> TriState {
        match self {
            Outcome::Classified => TriState::Met,
            Outcome::NotClassified => TriState::NotMet,
            Outcome::Indeterminate => TriState::Indeterminate,
        }
    }
}

/// The range of totals the missing criteria still allow: from every
/// missing criterion absent (`min`) to every one present (`max`). Exact
/// when nothing missing could change the total.
///
/// Serializes as `{"min": .., "max": ..}`.
///
/// ```
/// use sledai::classification::{ClassificationInput, ClassificationCriterion};
/// use sledai::Finding;
/// let input = ClassificationInput::from_present([ClassificationCriterion::Proteinuria])
///     .with(ClassificationCriterion::RenalBiopsyClassIIIOrIV, Finding::NotAssessed);
/// let r = sledai::classification::evaluate(&input)?;
/// assert_eq!((r.points().min(), r.points().max()), (4, 10));
/// assert!(!r.points().is_exact());
/// assert_eq!(r.points().to_string(), "4 to 10");
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub struct PointsRange {
    min: u8,
    max: u8,
}

impl PointsRange {
    /// The lowest total any completion can reach.
    ///
    /// ```
    /// use sledai::classification::ClassificationInput;
    /// assert_eq!(sledai::classification::evaluate(&ClassificationInput::not_assessed())?.points().min(), 0);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn min(self) -> u8 {
        self.min
    }

    /// The highest total any completion can reach.
    ///
    /// ```
    /// use sledai::classification::ClassificationInput;
    /// assert_eq!(sledai::classification::evaluate(&ClassificationInput::not_assessed())?.points().max(), 51);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn max(self) -> u8 {
        self.max
    }

    /// Whether the range is a single total.
    ///
    /// ```
    /// use sledai::classification::ClassificationInput;
    /// assert!(sledai::classification::evaluate(&ClassificationInput::from_present([]))?.points().is_exact());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn is_exact(self) -> bool {
        self.min == self.max
    }
}

impl fmt::Display for PointsRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_exact() {
            write!(f, "{}", self.min)
        } else {
            write!(f, "{} to {}", self.min, self.max)
        }
    }
}

/// The contribution of one domain: the points of the criterion that
/// counted (the highest-weighted present one) and the most the domain can
/// still give once missing criteria are known.
///
/// Serializes as `{"domain": .., "points": .., "max_points": .., "criterion": ..}`
/// (`criterion` is `null` when nothing in the domain counted).
///
/// ```
/// use sledai::classification::{ClassificationInput, ClassificationCriterion, Domain};
/// let r = sledai::classification::evaluate(&ClassificationInput::from_present([ClassificationCriterion::Leukopenia, ClassificationCriterion::Thrombocytopenia]))?;
/// let h = r.domain(Domain::Hematologic);
/// assert_eq!(h.points(), 4);
/// assert_eq!(h.criterion(), Some(ClassificationCriterion::Thrombocytopenia));
/// assert_eq!(h.max_points(), 4);
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub struct DomainResult {
    domain: Domain,
    points: u8,
    max_points: u8,
    criterion: Option<ClassificationCriterion>,
}

impl DomainResult {
    /// The domain.
    ///
    /// ```
    /// use sledai::classification::{ClassificationInput, Domain};
    /// let r = sledai::classification::evaluate(&ClassificationInput::from_present([]))?;
    /// assert_eq!(r.domains()[0].domain(), Domain::Constitutional);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn domain(self) -> Domain {
        self.domain
    }

    /// The points the domain contributes from the criteria present: those
    /// of its highest-weighted present criterion, or 0.
    ///
    /// ```
    /// use sledai::classification::{ClassificationInput, ClassificationCriterion, Domain};
    /// let r = sledai::classification::evaluate(&ClassificationInput::from_present([ClassificationCriterion::OralUlcers]))?;
    /// assert_eq!(r.domain(Domain::Mucocutaneous).points(), 2);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn points(self) -> u8 {
        self.points
    }

    /// The most the domain can contribute if every missing criterion
    /// turns out present; equal to [`DomainResult::points`] when nothing
    /// missing could change it.
    ///
    /// ```
    /// use sledai::classification::{ClassificationInput, Domain};
    /// let r = sledai::classification::evaluate(&ClassificationInput::not_assessed())?;
    /// assert_eq!(r.domain(Domain::Renal).max_points(), 10);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn max_points(self) -> u8 {
        self.max_points
    }

    /// The criterion that counted, if any (the first in publication order
    /// on a tie of weights).
    ///
    /// ```
    /// use sledai::classification::{ClassificationInput, ClassificationCriterion, Domain};
    /// let r = sledai::classification::evaluate(&ClassificationInput::from_present([ClassificationCriterion::LowC3OrLowC4, ClassificationCriterion::LowC3AndLowC4]))?;
    /// assert_eq!(r.domain(Domain::ComplementProteins).criterion(), Some(ClassificationCriterion::LowC3AndLowC4));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn criterion(self) -> Option<ClassificationCriterion> {
        self.criterion
    }
}

/// The result of [`evaluate`](super::evaluate).
///
/// Serializes (output only) with stable field names: `outcome`,
/// `entry_criterion`, `clinical_criterion` (`met` / `not_met` /
/// `indeterminate`), `total` (a number, or `null` when missing criteria
/// leave it open), `points` (`{"min", "max"}`), `threshold`, `domains` (ten
/// [`DomainResult`]s in publication order), `not_assessed`, `explained`
/// (present but with a more likely explanation than SLE, not counted) and
/// `absent`.
///
/// `Display` gives a readable explanation.
///
/// # Example
///
/// ```
/// use sledai::classification::{ClassificationInput, ClassificationCriterion, Domain, Outcome};
/// use sledai::{Finding, TriState};
///
/// // anti-dsDNA (6) + low C3 and C4 (4) = 10, but no clinical criterion.
/// let input = ClassificationInput::from_present([ClassificationCriterion::AntiDsdnaOrAntiSmith, ClassificationCriterion::LowC3AndLowC4])
///     .with_entry(Finding::Present);
/// let r = sledai::classification::evaluate(&input)?;
/// assert_eq!(r.outcome(), Outcome::NotClassified);
/// assert_eq!(r.total(), Some(10));
/// assert_eq!(r.entry_criterion(), TriState::Met);
/// assert_eq!(r.clinical_criterion(), TriState::NotMet);
/// assert_eq!(r.domain(Domain::SleSpecificAntibodies).points(), 6);
/// let text = r.to_string();
/// assert!(text.starts_with("not classified as SLE"));
/// assert!(text.contains("no clinical criterion"));
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Classification {
    outcome: Outcome,
    entry_criterion: TriState,
    clinical_criterion: TriState,
    points: PointsRange,
    domains: [DomainResult; 10],
    not_assessed: CriterionSet,
    explained: CriterionSet,
    absent: CriterionSet,
}

impl Classification {
    pub(super) fn evaluate(
        entry: Finding,
        present: CriterionSet,
        not_assessed: CriterionSet,
        explained: CriterionSet,
    ) -> Classification {
        let best = present.union(not_assessed);
        let points = PointsRange {
            min: present.points(),
            max: best.points(),
        };
        // The two extreme completions. Every rule is monotone, so these
        // bound the outcome of every completion.
        let worst_classifies =
            entry == Finding::Present && points.min >= THRESHOLD && present.has_clinical();
        let best_classifies =
            entry != Finding::Absent && points.max >= THRESHOLD && best.has_clinical();
        let outcome = match (worst_classifies, best_classifies) {
            (true, _) => Outcome::Classified,
            (false, false) => Outcome::NotClassified,
            (false, true) => Outcome::Indeterminate,
        };
        let clinical_criterion = if present.has_clinical() {
            TriState::Met
        } else if best.has_clinical() {
            TriState::Indeterminate
        } else {
            TriState::NotMet
        };
        let domains = Domain::ALL.map(|d| {
            let counted = present.counted(d);
            DomainResult {
                domain: d,
                points: counted.map_or(0, ClassificationCriterion::points),
                max_points: best.counted(d).map_or(0, ClassificationCriterion::points),
                criterion: counted,
            }
        });
        Classification {
            outcome,
            entry_criterion: TriState::from_option(entry.as_option()),
            clinical_criterion,
            points,
            domains,
            not_assessed,
            explained,
            absent: CriterionSet::FULL.difference(best).difference(explained),
        }
    }

    /// Classified, not classified or indeterminate.
    ///
    /// ```
    /// use sledai::classification::{ClassificationInput, Outcome};
    /// use sledai::Finding;
    /// let r = sledai::classification::evaluate(&ClassificationInput::from_present([]).with_entry(Finding::Present))?;
    /// assert_eq!(r.outcome(), Outcome::NotClassified);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn outcome(&self) -> Outcome {
        self.outcome
    }

    /// Whether the entry criterion (ANA >= 1:80 or equivalent, ever) is
    /// met, not met, or not assessed (indeterminate).
    ///
    /// ```
    /// use sledai::classification::ClassificationInput;
    /// use sledai::TriState;
    /// let r = sledai::classification::evaluate(&ClassificationInput::not_assessed())?;
    /// assert_eq!(r.entry_criterion(), TriState::Indeterminate);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn entry_criterion(&self) -> TriState {
        self.entry_criterion
    }

    /// Whether at least one clinical criterion counts: met, not met (none
    /// present and none missing), or indeterminate (none present, some
    /// missing).
    ///
    /// ```
    /// use sledai::classification::{ClassificationInput, ClassificationCriterion};
    /// use sledai::TriState;
    /// let r = sledai::classification::evaluate(&ClassificationInput::from_present([ClassificationCriterion::Fever]))?;
    /// assert_eq!(r.clinical_criterion(), TriState::Met);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn clinical_criterion(&self) -> TriState {
        self.clinical_criterion
    }

    /// The total, when the missing criteria cannot change it.
    ///
    /// ```
    /// use sledai::classification::{ClassificationInput, ClassificationCriterion};
    /// let r = sledai::classification::evaluate(&ClassificationInput::from_present(ClassificationCriterion::ALL))?;
    /// assert_eq!(r.total(), Some(51));
    /// assert_eq!(sledai::classification::evaluate(&ClassificationInput::not_assessed())?.total(), None);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn total(&self) -> Option<u8> {
        if self.points.is_exact() {
            Some(self.points.min)
        } else {
            None
        }
    }

    /// The range of totals the missing criteria still allow.
    ///
    /// ```
    /// use sledai::classification::ClassificationInput;
    /// assert_eq!(sledai::classification::evaluate(&ClassificationInput::not_assessed())?.points().to_string(), "0 to 51");
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn points(&self) -> PointsRange {
        self.points
    }

    /// The ten domain results, in publication order.
    ///
    /// ```
    /// use sledai::classification::ClassificationInput;
    /// let r = sledai::classification::evaluate(&ClassificationInput::from_present([]))?;
    /// assert!(r.domains().iter().all(|d| d.points() == 0));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn domains(&self) -> &[DomainResult] {
        &self.domains
    }

    /// The result of one domain.
    ///
    /// ```
    /// use sledai::classification::{ClassificationInput, ClassificationCriterion, Domain};
    /// let r = sledai::classification::evaluate(&ClassificationInput::from_present([ClassificationCriterion::Seizure, ClassificationCriterion::Delirium]))?;
    /// assert_eq!(r.domain(Domain::Neuropsychiatric).points(), 5);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn domain(&self, domain: Domain) -> &DomainResult {
        &self.domains[domain as usize]
    }

    /// The criteria that were not assessed (after raw values are taken into
    /// account; criteria with a more likely explanation are not missing).
    ///
    /// ```
    /// use sledai::classification::ClassificationInput;
    /// assert!(sledai::classification::evaluate(&ClassificationInput::from_present([]))?.not_assessed().is_empty());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn not_assessed(&self) -> CriterionSet {
        self.not_assessed
    }

    /// The criteria recorded present but not counted because of a more
    /// likely explanation than SLE.
    ///
    /// ```
    /// use sledai::classification::{ClassificationInput, ClassificationCriterion};
    /// let input = ClassificationInput::from_present([ClassificationCriterion::Fever])
    ///     .with_more_likely_explanation(ClassificationCriterion::Fever);
    /// let r = sledai::classification::evaluate(&input)?;
    /// assert!(r.explained().contains(ClassificationCriterion::Fever));
    /// assert_eq!(r.total(), Some(0));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn explained(&self) -> CriterionSet {
        self.explained
    }

    /// The criteria that do not count and cannot: absent, or missing with a
    /// more likely explanation (but not the present-and-explained ones,
    /// which are in [`Classification::explained`]).
    ///
    /// ```
    /// use sledai::classification::{ClassificationInput, ClassificationCriterion};
    /// let r = sledai::classification::evaluate(&ClassificationInput::from_present([ClassificationCriterion::Fever]))?;
    /// assert_eq!(r.absent().len(), 20);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn absent(&self) -> CriterionSet {
        self.absent
    }

    /// The criteria that counted: one per domain at most.
    ///
    /// ```
    /// use sledai::classification::{ClassificationInput, ClassificationCriterion};
    /// let r = sledai::classification::evaluate(&ClassificationInput::from_present([ClassificationCriterion::Leukopenia, ClassificationCriterion::Thrombocytopenia]))?;
    /// assert_eq!(r.counted().iter().collect::<Vec<_>>(), [ClassificationCriterion::Thrombocytopenia]);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn counted(&self) -> CriterionSet {
        self.domains.iter().filter_map(|d| d.criterion).collect()
    }
}

impl serde::Serialize for Classification {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Classification", 10)?;
        st.serialize_field("outcome", &self.outcome)?;
        st.serialize_field("entry_criterion", &self.entry_criterion)?;
        st.serialize_field("clinical_criterion", &self.clinical_criterion)?;
        st.serialize_field("total", &self.total())?;
        st.serialize_field("points", &self.points)?;
        st.serialize_field("threshold", &THRESHOLD)?;
        st.serialize_field("domains", &self.domains)?;
        st.serialize_field("not_assessed", &self.not_assessed)?;
        st.serialize_field("explained", &self.explained)?;
        st.serialize_field("absent", &self.absent)?;
        st.end()
    }
}

impl fmt::Display for Classification {
    /// A readable explanation: the outcome and why, then the domains that
    /// contribute or could.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headline = match self.outcome {
            Outcome::Classified => "classified as SLE",
            Outcome::NotClassified => "not classified as SLE",
            Outcome::Indeterminate => "indeterminate: missing data could change the classification",
        };
        writeln!(f, "{headline} (2019 EULAR/ACR criteria)")?;
        let entry = match self.entry_criterion {
            TriState::Met => "met",
            TriState::NotMet => "not met",
            TriState::Indeterminate => "not assessed",
        };
        writeln!(
            f,
            "- entry criterion (ANA >= 1:80 on HEp-2 cells or equivalent, ever): {entry}"
        )?;
        let versus = if self.points.min >= THRESHOLD {
            "reaches"
        } else if self.points.max >= THRESHOLD {
            "could reach"
        } else {
            "below"
        };
        writeln!(
            f,
            "- points: {} of {MAX_POINTS} ({versus} the threshold of {THRESHOLD})",
            self.points
        )?;
        let clinical = match self.clinical_criterion {
            TriState::Met => "at least one clinical criterion: met",
            TriState::NotMet => "no clinical criterion: the rule of at least one is not met",
            TriState::Indeterminate => "no clinical criterion present yet, some not assessed",
        };
        writeln!(f, "- {clinical}")?;
        for d in &self.domains {
            if d.max_points == 0 {
                continue;
            }
            match d.criterion {
                Some(c) if d.points == d.max_points => {
                    writeln!(f, "  {}: {} ({})", d.domain, d.points, c)?;
                }
                Some(c) => writeln!(
                    f,
                    "  {}: {} ({}), up to {} if missing criteria are present",
                    d.domain, d.points, c, d.max_points
                )?,
                None => writeln!(
                    f,
                    "  {}: 0, up to {} if missing criteria are present",
                    d.domain, d.max_points
                )?,
            }
        }
        if !self.explained.is_empty() {
            writeln!(
                f,
                "- not counted, more likely explanation than SLE: {}",
                self.explained
            )?;
        }
        if !self.not_assessed.is_empty() {
            writeln!(f, "- not assessed: {}", self.not_assessed)?;
        }
        Ok(())
    }
}
