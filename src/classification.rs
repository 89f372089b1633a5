//! The 2019 EULAR/ACR classification criteria for systemic lupus
//! erythematosus.
//!
//! This module owns the criteria table ([`Criterion::ALL`], one row per
//! weighted criterion: identifier, name, domain, points, definition), the ten
//! [`Domain`]s, the input of one patient ([`ClassificationInput`]), the
//! explicit-unit raw values it accepts ([`Measurements`]) and the result
//! ([`Classification`]).
//!
//! Source: Aringer M, Costenbader K, Daikh D, et al. *2019 European League
//! Against Rheumatism/American College of Rheumatology classification
//! criteria for systemic lupus erythematosus.* Ann Rheum Dis
//! 2019;78:1151-9 (also Arthritis Rheumatol 2019;71:1400-12). The project's
//! transcription is `docs/reference.md` section 6; the policy choices are
//! listed in `docs/classification.md`.
//!
//! These are *classification* criteria, not SLEDAI-2K: they have their own
//! items, weights and thresholds (fever > 38.3 °C, leukopenia
//! < 4.0 x 10^9/L), and a criterion counts if it occurred on at least one
//! occasion, ever.
//!
//! # Rules (Aringer 2019)
//!
//! 1. Entry criterion: ANA at a titre of at least 1:80 on HEp-2 cells, or an
//!    equivalent positive test, ever.
//! 2. A criterion counts only if there is no more likely explanation than
//!    SLE ([`ClassificationInput::with_more_likely_explanation`]).
//! 3. Within each domain only the highest-weighted present criterion counts.
//! 4. At least one clinical criterion (domains constitutional to renal) is
//!    required.
//! 5. A total of 10 points or more classifies; the maximum is 51.
//!
//! # Missing data
//!
//! A criterion (or the entry criterion) that was not assessed is missing,
//! never absent. The result is then computed for the two extreme
//! completions: every missing criterion absent (the worst) and every
//! missing criterion present (the best). Every rule is monotone (adding a
//! criterion never removes points, never breaks the clinical-criterion
//! rule), so if the worst completion classifies every completion does, and
//! if the best does not none does; otherwise the result is
//! [`Outcome::Indeterminate`].
//!
//! # Example
//!
//! ```
//! use sledai::classification::{ClassificationInput, Criterion, Outcome};
//! use sledai::Finding;
//!
//! let input = ClassificationInput::from_present([
//!     Criterion::JointInvolvement, // 6
//!     Criterion::LowC3OrLowC4,     // 3
//!     Criterion::OralUlcers,       // 2
//! ])
//! .with_ana_titre("1:160".parse()?);
//! let result = input.classify()?;
//! assert_eq!(result.outcome(), Outcome::Classified);
//! assert_eq!(result.total(), Some(11));
//!
//! // Missing data is not absence: without the complement result the
//! // answer depends on it.
//! let partial = input.with(Criterion::LowC3OrLowC4, Finding::NotAssessed);
//! let result = partial.classify()?;
//! assert_eq!(result.outcome(), Outcome::Indeterminate);
//! assert_eq!(result.points().to_string(), "8 to 11"); // 6 + 2, up to + 3
//! # Ok::<(), sledai::Error>(())
//! ```

use std::fmt;
use std::str::FromStr;

use crate::assessment::Finding;
use crate::bitset::{deserialize_seq, fmt_ids, get_finding, set_finding, BitIter};
use crate::error::{nearest, Error};
use crate::state::TriState;

/// The citation of every criterion, weight, domain and rule of this module.
const ARINGER_2019: &str =
    "Aringer M et al. 2019 EULAR/ACR classification criteria for SLE. Ann Rheum Dis 2019;78:1151-9";

/// The citation of the criteria table and rules.
///
/// ```
/// assert!(sledai::classification::CITATION.contains("Ann Rheum Dis 2019"));
/// ```
pub const CITATION: &str = ARINGER_2019;

/// Points needed to classify: a total of 10 or more (Aringer 2019).
///
/// ```
/// assert_eq!(sledai::classification::THRESHOLD, 10);
/// ```
pub const THRESHOLD: u8 = 10;

/// The highest achievable total: the sum of the highest weight of each of
/// the ten domains, 2 + 4 + 5 + 6 + 6 + 6 + 10 + 2 + 4 + 6 = 51.
///
/// ```
/// use sledai::classification::{CriterionSet, MAX_POINTS};
/// assert_eq!(MAX_POINTS, 51);
/// assert_eq!(CriterionSet::FULL.points(), MAX_POINTS);
/// ```
pub const MAX_POINTS: u8 = 51;

/// Whether a domain holds clinical or immunologic criteria.
///
/// ```
/// use sledai::classification::{Domain, DomainKind};
/// assert_eq!(Domain::Renal.kind(), DomainKind::Clinical);
/// assert_eq!(Domain::ComplementProteins.kind(), DomainKind::Immunologic);
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum DomainKind {
    /// The seven clinical domains: constitutional to renal.
    Clinical,
    /// The three immunologic domains: antiphospholipid antibodies,
    /// complement proteins, SLE-specific antibodies.
    Immunologic,
}

/// One of the ten domains of the 2019 EULAR/ACR criteria, in the order of
/// the publication: seven clinical, then three immunologic.
///
/// Only the highest-weighted present criterion of a domain counts.
///
/// # Example
///
/// ```
/// use sledai::classification::{Criterion, Domain};
///
/// let d: Domain = "hematologic".parse()?;
/// assert_eq!(d, Domain::Hematologic);
/// assert!(d.is_clinical());
/// assert_eq!(d.max_points(), 4);
/// assert_eq!(d.criteria().iter().collect::<Vec<_>>(), [
///     Criterion::Leukopenia,
///     Criterion::Thrombocytopenia,
///     Criterion::AutoimmuneHemolysis,
/// ]);
/// assert!("hematological".parse::<Domain>().is_err());
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Domain {
    /// Fever (clinical).
    Constitutional,
    /// Leukopenia, thrombocytopenia, autoimmune haemolysis (clinical).
    Hematologic,
    /// Delirium, psychosis, seizure (clinical).
    Neuropsychiatric,
    /// Alopecia, oral ulcers, subacute cutaneous or discoid lupus, acute
    /// cutaneous lupus (clinical).
    Mucocutaneous,
    /// Pleural or pericardial effusion, acute pericarditis (clinical).
    Serosal,
    /// Joint involvement (clinical).
    Musculoskeletal,
    /// Proteinuria, renal biopsy class II or V, class III or IV (clinical).
    Renal,
    /// Anticardiolipin, anti-beta2GPI or lupus anticoagulant (immunologic).
    AntiphospholipidAntibodies,
    /// Low C3 or low C4; low C3 and low C4 (immunologic).
    ComplementProteins,
    /// Anti-dsDNA or anti-Smith antibodies (immunologic).
    SleSpecificAntibodies,
}

impl Domain {
    /// The ten domains in publication order.
    ///
    /// ```
    /// use sledai::classification::Domain;
    /// assert_eq!(Domain::ALL.len(), 10);
    /// assert_eq!(Domain::ALL.iter().filter(|d| d.is_clinical()).count(), 7);
    /// ```
    pub const ALL: [Domain; 10] = [
        Domain::Constitutional,
        Domain::Hematologic,
        Domain::Neuropsychiatric,
        Domain::Mucocutaneous,
        Domain::Serosal,
        Domain::Musculoskeletal,
        Domain::Renal,
        Domain::AntiphospholipidAntibodies,
        Domain::ComplementProteins,
        Domain::SleSpecificAntibodies,
    ];

    /// The stable snake_case identifier, used by serde, `FromStr` and
    /// `Display`.
    ///
    /// ```
    /// use sledai::classification::Domain;
    /// assert_eq!(Domain::SleSpecificAntibodies.id(), "sle_specific_antibodies");
    /// ```
    pub const fn id(self) -> &'static str {
        match self {
            Domain::Constitutional => "constitutional",
            Domain::Hematologic => "hematologic",
            Domain::Neuropsychiatric => "neuropsychiatric",
            Domain::Mucocutaneous => "mucocutaneous",
            Domain::Serosal => "serosal",
            Domain::Musculoskeletal => "musculoskeletal",
            Domain::Renal => "renal",
            Domain::AntiphospholipidAntibodies => "antiphospholipid_antibodies",
            Domain::ComplementProteins => "complement_proteins",
            Domain::SleSpecificAntibodies => "sle_specific_antibodies",
        }
    }

    /// A human-readable name, as in the publication.
    ///
    /// ```
    /// use sledai::classification::Domain;
    /// assert_eq!(Domain::SleSpecificAntibodies.name(), "SLE-specific antibodies");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            Domain::Constitutional => "Constitutional",
            Domain::Hematologic => "Hematologic",
            Domain::Neuropsychiatric => "Neuropsychiatric",
            Domain::Mucocutaneous => "Mucocutaneous",
            Domain::Serosal => "Serosal",
            Domain::Musculoskeletal => "Musculoskeletal",
            Domain::Renal => "Renal",
            Domain::AntiphospholipidAntibodies => "Antiphospholipid antibodies",
            Domain::ComplementProteins => "Complement proteins",
            Domain::SleSpecificAntibodies => "SLE-specific antibodies",
        }
    }

    /// Clinical (the first seven domains) or immunologic (the last three).
    ///
    /// ```
    /// use sledai::classification::{Domain, DomainKind};
    /// assert_eq!(Domain::Constitutional.kind(), DomainKind::Clinical);
    /// assert_eq!(Domain::AntiphospholipidAntibodies.kind(), DomainKind::Immunologic);
    /// ```
    pub const fn kind(self) -> DomainKind {
        match self {
            Domain::Constitutional
            | Domain::Hematologic
            | Domain::Neuropsychiatric
            | Domain::Mucocutaneous
            | Domain::Serosal
            | Domain::Musculoskeletal
            | Domain::Renal => DomainKind::Clinical,
            Domain::AntiphospholipidAntibodies
            | Domain::ComplementProteins
            | Domain::SleSpecificAntibodies => DomainKind::Immunologic,
        }
    }

    /// Whether the domain is clinical.
    ///
    /// ```
    /// use sledai::classification::Domain;
    /// assert!(Domain::Musculoskeletal.is_clinical());
    /// assert!(!Domain::ComplementProteins.is_clinical());
    /// ```
    pub const fn is_clinical(self) -> bool {
        matches!(self.kind(), DomainKind::Clinical)
    }

    /// The criteria of this domain, derived from the criteria table.
    ///
    /// ```
    /// use sledai::classification::Domain;
    /// assert_eq!(Domain::Renal.criteria().len(), 3);
    /// ```
    pub const fn criteria(self) -> CriterionSet {
        let mut bits = 0;
        let mut i = 0;
        while i < TABLE.len() {
            if TABLE[i].domain as u8 == self as u8 {
                bits |= 1 << i;
            }
            i += 1;
        }
        CriterionSet(bits)
    }

    /// The points of the domain's highest-weighted criterion: what the
    /// domain contributes at most.
    ///
    /// ```
    /// use sledai::classification::Domain;
    /// assert_eq!(Domain::Renal.max_points(), 10);
    /// let sum: u32 = Domain::ALL.iter().map(|d| u32::from(d.max_points())).sum();
    /// assert_eq!(sum, 51);
    /// ```
    pub const fn max_points(self) -> u8 {
        self.criteria().points()
    }
}

impl fmt::Display for Domain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for Domain {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        Domain::ALL
            .iter()
            .copied()
            .find(|d| d.id() == s)
            .ok_or_else(|| Error::UnknownName {
                field: "domain",
                value: s.to_owned(),
                expected: "constitutional, hematologic, neuropsychiatric, mucocutaneous, serosal, musculoskeletal, renal, antiphospholipid_antibodies, complement_proteins, sle_specific_antibodies",
                suggestion: nearest(s, Domain::ALL.iter().map(|d| d.id())),
            })
    }
}

/// One of the 21 weighted criteria of the 2019 EULAR/ACR classification
/// criteria, in the order of the publication (domain by domain, ascending
/// weight within a domain).
///
/// The enum is exhaustive on purpose: the criteria are a closed, published
/// instrument. The ANA entry criterion is not a weighted criterion and is
/// not in this enum: see [`ClassificationInput::with_entry`].
///
/// # Example
///
/// ```
/// use sledai::classification::{Criterion, Domain};
///
/// let c: Criterion = "renal_biopsy_class_iii_or_iv".parse()?;
/// assert_eq!(c, Criterion::RenalBiopsyClassIIIOrIV);
/// assert_eq!(c.points(), 10);
/// assert_eq!(c.domain(), Domain::Renal);
/// assert!(c.is_clinical());
/// assert_eq!(c.to_string(), "renal_biopsy_class_iii_or_iv");
/// let total: u32 = Criterion::ALL.iter().map(|c| u32::from(c.points())).sum();
/// assert_eq!(total, 91); // every weight once; the domain rule caps a total at 51
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Criterion {
    /// Fever > 38.3 °C (constitutional, 2).
    Fever,
    /// Leukopenia < 4.0 x 10^9/L (hematologic, 3).
    Leukopenia,
    /// Thrombocytopenia < 100 x 10^9/L (hematologic, 4).
    Thrombocytopenia,
    /// Autoimmune haemolysis (hematologic, 4).
    AutoimmuneHemolysis,
    /// Delirium (neuropsychiatric, 2).
    Delirium,
    /// Psychosis (neuropsychiatric, 3).
    Psychosis,
    /// Seizure (neuropsychiatric, 5).
    Seizure,
    /// Non-scarring alopecia (mucocutaneous, 2).
    NonScarringAlopecia,
    /// Oral ulcers (mucocutaneous, 2).
    OralUlcers,
    /// Subacute cutaneous or discoid lupus (mucocutaneous, 4).
    SubacuteCutaneousOrDiscoidLupus,
    /// Acute cutaneous lupus (mucocutaneous, 6).
    AcuteCutaneousLupus,
    /// Pleural or pericardial effusion (serosal, 5).
    PleuralOrPericardialEffusion,
    /// Acute pericarditis (serosal, 6).
    AcutePericarditis,
    /// Joint involvement (musculoskeletal, 6).
    JointInvolvement,
    /// Proteinuria > 0.5 g/24 h (renal, 4).
    Proteinuria,
    /// Renal biopsy class II or V lupus nephritis (renal, 8).
    RenalBiopsyClassIIOrV,
    /// Renal biopsy class III or IV lupus nephritis (renal, 10).
    RenalBiopsyClassIIIOrIV,
    /// Anticardiolipin, anti-beta2GPI or lupus anticoagulant
    /// (antiphospholipid antibodies, 2).
    AntiphospholipidAntibodies,
    /// Low C3 or low C4 (complement proteins, 3).
    LowC3OrLowC4,
    /// Low C3 and low C4 (complement proteins, 4).
    LowC3AndLowC4,
    /// Anti-dsDNA or anti-Smith antibodies (SLE-specific antibodies, 6).
    AntiDsdnaOrAntiSmith,
}

/// One row of the criteria table.
struct Row {
    criterion: Criterion,
    id: &'static str,
    name: &'static str,
    domain: Domain,
    points: u8,
    threshold: Option<&'static str>,
    definition: &'static str,
}

macro_rules! row {
    ($c:ident, $id:literal, $name:literal, $dom:ident, $pts:literal, $thr:expr, $def:literal $(,)?) => {
        Row {
            criterion: Criterion::$c,
            id: $id,
            name: $name,
            domain: Domain::$dom,
            points: $pts,
            threshold: $thr,
            definition: $def,
        }
    };
}

/// The 2019 EULAR/ACR criteria (Aringer 2019; `docs/reference.md`
/// section 6), in publication order. This is the only place criteria, domains and
/// points are written. Definitions are paraphrased.
static TABLE: [Row; 21] = [
    row!(Fever, "fever", "Fever", Constitutional, 2, Some("> 38.3 °C"),
        "Temperature above 38.3 °C."),
    row!(Leukopenia, "leukopenia", "Leukopenia", Hematologic, 3, Some("< 4.0 x 10^9/L"),
        "White blood cell count below 4.0 x 10^9/L (4,000/mm³)."),
    row!(Thrombocytopenia, "thrombocytopenia", "Thrombocytopenia", Hematologic, 4, Some("< 100 x 10^9/L"),
        "Platelet count below 100 x 10^9/L (100,000/mm³)."),
    row!(AutoimmuneHemolysis, "autoimmune_hemolysis", "Autoimmune hemolysis", Hematologic, 4, None,
        "Evidence of haemolysis (reticulocytosis, low haptoglobin, raised indirect bilirubin or LDH) with a positive direct antiglobulin (Coombs) test."),
    row!(Delirium, "delirium", "Delirium", Neuropsychiatric, 2, None,
        "Acute change in consciousness or arousal with reduced ability to focus, developing over hours to days and fluctuating, with a change in cognition or in behaviour, mood or affect."),
    row!(Psychosis, "psychosis", "Psychosis", Neuropsychiatric, 3, None,
        "Delusions or hallucinations without insight, in the absence of delirium."),
    row!(Seizure, "seizure", "Seizure", Neuropsychiatric, 5, None,
        "Primary generalised or partial (focal) seizure."),
    row!(NonScarringAlopecia, "non_scarring_alopecia", "Non-scarring alopecia", Mucocutaneous, 2, None,
        "Non-scarring alopecia observed by a clinician."),
    row!(OralUlcers, "oral_ulcers", "Oral ulcers", Mucocutaneous, 2, None,
        "Oral ulcers observed by a clinician."),
    row!(SubacuteCutaneousOrDiscoidLupus, "subacute_cutaneous_or_discoid_lupus", "Subacute cutaneous or discoid lupus", Mucocutaneous, 4, None,
        "Subacute cutaneous lupus (annular or papulosquamous) or discoid lupus observed by a clinician, with a consistent biopsy if one was done."),
    row!(AcuteCutaneousLupus, "acute_cutaneous_lupus", "Acute cutaneous lupus", Mucocutaneous, 6, None,
        "Malar rash or generalised maculopapular rash observed by a clinician, with a consistent biopsy if one was done."),
    row!(PleuralOrPericardialEffusion, "pleural_or_pericardial_effusion", "Pleural or pericardial effusion", Serosal, 5, None,
        "Pleural or pericardial effusion shown by imaging (ultrasound, X-ray, CT or MRI)."),
    row!(AcutePericarditis, "acute_pericarditis", "Acute pericarditis", Serosal, 6, None,
        "At least 2 of: pericardial chest pain, pericardial rub, ECG with new widespread ST elevation or PR depression, new or worse pericardial effusion on imaging."),
    row!(JointInvolvement, "joint_involvement", "Joint involvement", Musculoskeletal, 6, None,
        "Synovitis of at least 2 joints (swelling or effusion), or tenderness of at least 2 joints with at least 30 minutes of morning stiffness."),
    row!(Proteinuria, "proteinuria", "Proteinuria", Renal, 4, Some("> 0.5 g/24 h"),
        "Urine protein above 0.5 g/24 h."),
    row!(RenalBiopsyClassIIOrV, "renal_biopsy_class_ii_or_v", "Renal biopsy class II or V lupus nephritis", Renal, 8, None,
        "Renal biopsy showing class II or V lupus nephritis (ISN/RPS 2003)."),
    row!(RenalBiopsyClassIIIOrIV, "renal_biopsy_class_iii_or_iv", "Renal biopsy class III or IV lupus nephritis", Renal, 10, None,
        "Renal biopsy showing class III or IV lupus nephritis (ISN/RPS 2003)."),
    row!(AntiphospholipidAntibodies, "antiphospholipid_antibodies", "Anticardiolipin, anti-beta2GPI or lupus anticoagulant", AntiphospholipidAntibodies, 2, None,
        "Anticardiolipin antibodies at medium or high titre, or anti-beta2-glycoprotein I antibodies, or lupus anticoagulant."),
    row!(LowC3OrLowC4, "low_c3_or_low_c4", "Low C3 or low C4", ComplementProteins, 3, Some("< lower limit of normal"),
        "C3 or C4 below the testing laboratory's lower limit of normal."),
    row!(LowC3AndLowC4, "low_c3_and_low_c4", "Low C3 and low C4", ComplementProteins, 4, Some("< lower limit of normal"),
        "Both C3 and C4 below the testing laboratory's lower limits of normal."),
    row!(AntiDsdnaOrAntiSmith, "anti_dsdna_or_anti_smith", "Anti-dsDNA or anti-Smith antibodies", SleSpecificAntibodies, 6, None,
        "Anti-dsDNA antibodies in an immunoassay with at least 90% specificity for SLE, or anti-Smith antibodies."),
];

/// Bits of the 21 criteria.
const ALL_BITS: u32 = (1 << 21) - 1;

impl Criterion {
    /// All 21 criteria in publication order.
    ///
    /// ```
    /// use sledai::classification::Criterion;
    /// assert_eq!(Criterion::ALL.len(), 21);
    /// assert_eq!(Criterion::ALL[0], Criterion::Fever);
    /// ```
    pub const ALL: [Criterion; 21] = [
        Criterion::Fever,
        Criterion::Leukopenia,
        Criterion::Thrombocytopenia,
        Criterion::AutoimmuneHemolysis,
        Criterion::Delirium,
        Criterion::Psychosis,
        Criterion::Seizure,
        Criterion::NonScarringAlopecia,
        Criterion::OralUlcers,
        Criterion::SubacuteCutaneousOrDiscoidLupus,
        Criterion::AcuteCutaneousLupus,
        Criterion::PleuralOrPericardialEffusion,
        Criterion::AcutePericarditis,
        Criterion::JointInvolvement,
        Criterion::Proteinuria,
        Criterion::RenalBiopsyClassIIOrV,
        Criterion::RenalBiopsyClassIIIOrIV,
        Criterion::AntiphospholipidAntibodies,
        Criterion::LowC3OrLowC4,
        Criterion::LowC3AndLowC4,
        Criterion::AntiDsdnaOrAntiSmith,
    ];

    /// The citation for every criterion, weight and domain of the table.
    ///
    /// ```
    /// use sledai::classification::Criterion;
    /// assert!(Criterion::CITATION.contains("2019"));
    /// ```
    pub const CITATION: &'static str = ARINGER_2019;

    const fn row(self) -> &'static Row {
        &TABLE[self as usize]
    }

    /// The stable snake_case identifier, used by serde, `FromStr` and
    /// `Display`.
    ///
    /// ```
    /// use sledai::classification::Criterion;
    /// assert_eq!(Criterion::LowC3AndLowC4.id(), "low_c3_and_low_c4");
    /// ```
    pub const fn id(self) -> &'static str {
        self.row().id
    }

    /// The display name, as in the publication.
    ///
    /// ```
    /// use sledai::classification::Criterion;
    /// assert_eq!(Criterion::AntiDsdnaOrAntiSmith.name(), "Anti-dsDNA or anti-Smith antibodies");
    /// ```
    pub const fn name(self) -> &'static str {
        self.row().name
    }

    /// The domain the criterion belongs to.
    ///
    /// ```
    /// use sledai::classification::{Criterion, Domain};
    /// assert_eq!(Criterion::Fever.domain(), Domain::Constitutional);
    /// ```
    pub const fn domain(self) -> Domain {
        self.row().domain
    }

    /// The weight of the criterion: 2 to 10 points.
    ///
    /// ```
    /// use sledai::classification::Criterion;
    /// assert_eq!(Criterion::Leukopenia.points(), 3);
    /// assert_eq!(Criterion::JointInvolvement.points(), 6);
    /// ```
    pub const fn points(self) -> u8 {
        self.row().points
    }

    /// Clinical or immunologic, from the criterion's domain.
    ///
    /// ```
    /// use sledai::classification::{Criterion, DomainKind};
    /// assert_eq!(Criterion::AntiDsdnaOrAntiSmith.kind(), DomainKind::Immunologic);
    /// ```
    pub const fn kind(self) -> DomainKind {
        self.domain().kind()
    }

    /// Whether the criterion is clinical (it can satisfy the
    /// at-least-one-clinical-criterion rule).
    ///
    /// ```
    /// use sledai::classification::Criterion;
    /// assert!(Criterion::Fever.is_clinical());
    /// assert!(!Criterion::LowC3OrLowC4.is_clinical());
    /// ```
    pub const fn is_clinical(self) -> bool {
        self.domain().is_clinical()
    }

    /// The numeric threshold, for the criteria defined by one. Strict.
    ///
    /// ```
    /// use sledai::classification::Criterion;
    /// assert_eq!(Criterion::Fever.threshold(), Some("> 38.3 °C"));
    /// assert_eq!(Criterion::Seizure.threshold(), None);
    /// ```
    pub const fn threshold(self) -> Option<&'static str> {
        self.row().threshold
    }

    /// A one-line paraphrase of the published definition.
    ///
    /// ```
    /// use sledai::classification::Criterion;
    /// assert!(Criterion::JointInvolvement.definition().contains("morning stiffness"));
    /// ```
    pub const fn definition(self) -> &'static str {
        self.row().definition
    }

    /// The criterion's bit in a [`CriterionSet`] mask: `1 << index`, where
    /// `index` is the zero-based position in [`Criterion::ALL`].
    ///
    /// ```
    /// use sledai::classification::Criterion;
    /// assert_eq!(Criterion::Fever.bit(), 1);
    /// assert_eq!(Criterion::AntiDsdnaOrAntiSmith.bit(), 1 << 20);
    /// ```
    pub const fn bit(self) -> u32 {
        1 << (self as u32)
    }

    /// Parses an identifier; the same as `str::parse`.
    ///
    /// # Errors
    ///
    /// [`Error::UnknownName`] (field `criterion`) when `name` is not one of
    /// the 21 identifiers, with the nearest identifier as a suggestion when
    /// close.
    ///
    /// ```
    /// use sledai::classification::Criterion;
    /// assert_eq!(Criterion::from_id("seizure")?, Criterion::Seizure);
    /// let err = Criterion::from_id("oral_ulcer").unwrap_err();
    /// assert!(err.to_string().ends_with("did you mean `oral_ulcers`?"));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn from_id(name: &str) -> Result<Criterion, Error> {
        TABLE
            .iter()
            .find(|r| r.id == name)
            .map(|r| r.criterion)
            .ok_or_else(|| Error::UnknownName {
                field: "criterion",
                value: name.to_owned(),
                expected: "fever, leukopenia, thrombocytopenia, autoimmune_hemolysis, delirium, psychosis, seizure, non_scarring_alopecia, oral_ulcers, subacute_cutaneous_or_discoid_lupus, acute_cutaneous_lupus, pleural_or_pericardial_effusion, acute_pericarditis, joint_involvement, proteinuria, renal_biopsy_class_ii_or_v, renal_biopsy_class_iii_or_iv, antiphospholipid_antibodies, low_c3_or_low_c4, low_c3_and_low_c4, anti_dsdna_or_anti_smith",
                suggestion: nearest(name, TABLE.iter().map(|r| r.id)),
            })
    }
}

impl fmt::Display for Criterion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for Criterion {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        Criterion::from_id(s)
    }
}

/// Serde as the identifier string, through `Display` and `FromStr`.
macro_rules! serde_as_id {
    ($t:ty, $what:literal) => {
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.id())
            }
        }

        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl serde::de::Visitor<'_> for V {
                    type Value = $t;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str($what)
                    }
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$t, E> {
                        v.parse().map_err(E::custom)
                    }
                }
                d.deserialize_str(V)
            }
        }
    };
}

serde_as_id!(Criterion, "a 2019 EULAR/ACR criterion identifier");
serde_as_id!(Domain, "a 2019 EULAR/ACR domain identifier");

/// A set of criteria, stored as a 21-bit mask (bit `i` is
/// `Criterion::ALL[i]`). Iterates in publication order. Serializes as an
/// array of identifiers.
///
/// # Example
///
/// ```
/// use sledai::classification::{Criterion, CriterionSet};
///
/// let set: CriterionSet = [Criterion::Thrombocytopenia, Criterion::Leukopenia].into_iter().collect();
/// assert_eq!(set.len(), 2);
/// // Only the highest-weighted criterion of a domain counts: 4, not 3 + 4.
/// assert_eq!(set.points(), 4);
/// assert!(set.has_clinical());
/// assert_eq!(set.to_string(), "leukopenia, thrombocytopenia");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct CriterionSet(u32);

impl CriterionSet {
    /// The empty set.
    ///
    /// ```
    /// use sledai::classification::CriterionSet;
    /// assert!(CriterionSet::EMPTY.is_empty());
    /// ```
    pub const EMPTY: CriterionSet = CriterionSet(0);

    /// All 21 criteria.
    ///
    /// ```
    /// use sledai::classification::CriterionSet;
    /// assert_eq!(CriterionSet::FULL.len(), 21);
    /// ```
    pub const FULL: CriterionSet = CriterionSet(ALL_BITS);

    /// The set whose mask is `bits`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidMask`] when a bit above bit 20 is set.
    ///
    /// ```
    /// use sledai::classification::{Criterion, CriterionSet};
    /// let set = CriterionSet::from_bits(0b11)?;
    /// assert!(set.contains(Criterion::Leukopenia));
    /// assert!(CriterionSet::from_bits(1 << 21).is_err());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn from_bits(bits: u32) -> Result<CriterionSet, Error> {
        if bits & !ALL_BITS != 0 {
            return Err(Error::InvalidMask {
                field: "criteria",
                value: bits,
                reason: "bits above bit 20 are set",
            });
        }
        Ok(CriterionSet(bits))
    }

    /// The 21-bit mask.
    ///
    /// ```
    /// use sledai::classification::{Criterion, CriterionSet};
    /// assert_eq!(CriterionSet::EMPTY.with(Criterion::Delirium).bits(), 1 << 4);
    /// ```
    pub const fn bits(self) -> u32 {
        self.0
    }

    /// Whether `c` is in the set.
    ///
    /// ```
    /// use sledai::classification::{Criterion, CriterionSet};
    /// assert!(CriterionSet::FULL.contains(Criterion::Seizure));
    /// ```
    pub const fn contains(self, c: Criterion) -> bool {
        self.0 & c.bit() != 0
    }

    /// The set with `c` added.
    ///
    /// ```
    /// use sledai::classification::{Criterion, CriterionSet};
    /// assert_eq!(CriterionSet::EMPTY.with(Criterion::Fever).len(), 1);
    /// ```
    #[must_use]
    pub const fn with(self, c: Criterion) -> CriterionSet {
        CriterionSet(self.0 | c.bit())
    }

    /// The set with `c` removed.
    ///
    /// ```
    /// use sledai::classification::{Criterion, CriterionSet};
    /// assert_eq!(CriterionSet::FULL.without(Criterion::Fever).len(), 20);
    /// ```
    #[must_use]
    pub const fn without(self, c: Criterion) -> CriterionSet {
        CriterionSet(self.0 & !c.bit())
    }

    /// The criteria in `self` or `other`.
    ///
    /// ```
    /// use sledai::classification::{CriterionSet, Domain};
    /// let s = Domain::Renal.criteria().union(Domain::Serosal.criteria());
    /// assert_eq!(s.len(), 5);
    /// ```
    #[must_use]
    pub const fn union(self, other: CriterionSet) -> CriterionSet {
        CriterionSet(self.0 | other.0)
    }

    /// The criteria in both `self` and `other`.
    ///
    /// ```
    /// use sledai::classification::{CriterionSet, Domain};
    /// assert_eq!(CriterionSet::FULL.intersection(Domain::Renal.criteria()).len(), 3);
    /// ```
    #[must_use]
    pub const fn intersection(self, other: CriterionSet) -> CriterionSet {
        CriterionSet(self.0 & other.0)
    }

    /// The criteria in `self` but not in `other`.
    ///
    /// ```
    /// use sledai::classification::{CriterionSet, Domain};
    /// assert_eq!(CriterionSet::FULL.difference(Domain::Renal.criteria()).len(), 18);
    /// ```
    #[must_use]
    pub const fn difference(self, other: CriterionSet) -> CriterionSet {
        CriterionSet(self.0 & !other.0)
    }

    /// The number of criteria in the set.
    ///
    /// ```
    /// use sledai::classification::CriterionSet;
    /// assert_eq!(CriterionSet::EMPTY.len(), 0);
    /// ```
    pub const fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// Whether the set is empty.
    ///
    /// ```
    /// use sledai::classification::CriterionSet;
    /// assert!(!CriterionSet::FULL.is_empty());
    /// ```
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The total of the set as if every member were present and counted:
    /// per domain, the points of its highest-weighted member; summed over
    /// the ten domains. 0 to 51.
    ///
    /// ```
    /// use sledai::classification::{Criterion, CriterionSet};
    /// let s: CriterionSet = [Criterion::LowC3OrLowC4, Criterion::LowC3AndLowC4, Criterion::AntiDsdnaOrAntiSmith]
    ///     .into_iter().collect();
    /// assert_eq!(s.points(), 10); // 4 + 6, not 3 + 4 + 6
    /// ```
    pub const fn points(self) -> u8 {
        let mut best = [0u8; 10];
        let mut i = 0;
        while i < TABLE.len() {
            if self.0 & (1 << i) != 0 {
                let d = TABLE[i].domain as usize;
                if TABLE[i].points > best[d] {
                    best[d] = TABLE[i].points;
                }
            }
            i += 1;
        }
        let mut sum = 0;
        let mut d = 0;
        while d < best.len() {
            sum += best[d];
            d += 1;
        }
        sum
    }

    /// Whether the set holds at least one clinical criterion.
    ///
    /// ```
    /// use sledai::classification::{Criterion, CriterionSet};
    /// assert!(!CriterionSet::EMPTY.with(Criterion::AntiDsdnaOrAntiSmith).has_clinical());
    /// assert!(CriterionSet::EMPTY.with(Criterion::OralUlcers).has_clinical());
    /// ```
    pub const fn has_clinical(self) -> bool {
        self.0 & CLINICAL_BITS != 0
    }

    /// The criteria in publication order.
    ///
    /// ```
    /// use sledai::classification::{Criterion, CriterionSet};
    /// assert_eq!(CriterionSet::FULL.iter().next(), Some(Criterion::Fever));
    /// ```
    pub fn iter(self) -> impl DoubleEndedIterator<Item = Criterion> + ExactSizeIterator + Clone {
        BitIter::new(self.0, &Criterion::ALL)
    }

    /// The highest-weighted criterion of the set within `domain` (the first
    /// in publication order on a tie), the one that counts.
    fn counted(self, domain: Domain) -> Option<Criterion> {
        let mut best: Option<Criterion> = None;
        for c in self.intersection(domain.criteria()).iter() {
            if best.is_none_or(|b| c.points() > b.points()) {
                best = Some(c);
            }
        }
        best
    }
}

/// Bits of the criteria in clinical domains.
const CLINICAL_BITS: u32 = {
    let mut bits = 0;
    let mut i = 0;
    while i < TABLE.len() {
        if TABLE[i].domain.is_clinical() {
            bits |= 1 << i;
        }
        i += 1;
    }
    bits
};

impl FromIterator<Criterion> for CriterionSet {
    fn from_iter<I: IntoIterator<Item = Criterion>>(iter: I) -> Self {
        CriterionSet(iter.into_iter().fold(0, |m, c| m | c.bit()))
    }
}

impl fmt::Display for CriterionSet {
    /// The identifiers in publication order, comma separated; `none` when
    /// empty.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_ids(f, self.iter().map(Criterion::id))
    }
}

impl serde::Serialize for CriterionSet {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de> serde::Deserialize<'de> for CriterionSet {
    /// From an array of identifiers; a repeated identifier is an error.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        deserialize_seq(
            d,
            "an array of 2019 EULAR/ACR criterion identifiers",
            Criterion::bit,
            repeated,
        )
        .map(CriterionSet)
    }
}

fn repeated(c: Criterion) -> Error {
    Error::InvalidValue {
        field: "criteria",
        value: c.id().to_owned(),
        reason: "criterion is given more than once".to_owned(),
    }
}

// ---------------------------------------------------------------------------
// Entry criterion: ANA titre
// ---------------------------------------------------------------------------

/// An antinuclear antibody titre `1:N` on HEp-2 cells (indirect
/// immunofluorescence), stored as the dilution `N`.
///
/// The entry criterion of Aringer 2019 is a titre of at least 1:80, ever:
/// give the highest titre recorded. Parsing is strict: exactly `1:`
/// followed by a positive whole number without sign, spaces or leading
/// zeros.
///
/// Serializes as the text `"1:N"`.
///
/// # Example
///
/// ```
/// use sledai::classification::AnaTitre;
///
/// let t: AnaTitre = "1:160".parse()?;
/// assert_eq!(t.dilution(), 160);
/// assert!(t.meets_entry());
/// assert!("1:80".parse::<AnaTitre>()?.meets_entry());
/// assert!(!"1:40".parse::<AnaTitre>()?.meets_entry());
/// let err = "1/80".parse::<AnaTitre>().unwrap_err();
/// assert!(err.to_string().starts_with("ana_titre: invalid value `1/80`"));
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AnaTitre(u32);

impl AnaTitre {
    /// The smallest dilution that meets the entry criterion: 1:80.
    ///
    /// ```
    /// use sledai::classification::AnaTitre;
    /// assert_eq!(AnaTitre::ENTRY_MIN_DILUTION, 80);
    /// ```
    pub const ENTRY_MIN_DILUTION: u32 = 80;

    /// A titre `1:dilution`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidValue`] (field `ana_titre`) for a dilution of 0.
    ///
    /// ```
    /// use sledai::classification::AnaTitre;
    /// assert_eq!(AnaTitre::new(320)?.to_string(), "1:320");
    /// assert!(AnaTitre::new(0).is_err());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn new(dilution: u32) -> Result<AnaTitre, Error> {
        if dilution == 0 {
            return Err(Error::InvalidValue {
                field: "ana_titre",
                value: "1:0".to_owned(),
                reason: "the dilution must be a positive whole number".to_owned(),
            });
        }
        Ok(AnaTitre(dilution))
    }

    /// The dilution `N` of `1:N`.
    ///
    /// ```
    /// use sledai::classification::AnaTitre;
    /// assert_eq!(AnaTitre::new(80)?.dilution(), 80);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn dilution(self) -> u32 {
        self.0
    }

    /// Whether the titre is at least 1:80 (the entry criterion).
    ///
    /// ```
    /// use sledai::classification::AnaTitre;
    /// assert!(AnaTitre::new(80)?.meets_entry());
    /// assert!(!AnaTitre::new(79)?.meets_entry());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn meets_entry(self) -> bool {
        self.0 >= Self::ENTRY_MIN_DILUTION
    }
}

impl fmt::Display for AnaTitre {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "1:{}", self.0)
    }
}

impl FromStr for AnaTitre {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        let bad = |reason: &str| Error::InvalidValue {
            field: "ana_titre",
            value: s.to_owned(),
            reason: reason.to_owned(),
        };
        let digits = s
            .strip_prefix("1:")
            .ok_or_else(|| bad("expected a titre written `1:N`, for example `1:160`"))?;
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad(
                "expected a titre written `1:N` with N a positive whole number, for example `1:160`",
            ));
        }
        if digits.starts_with('0') {
            return Err(bad(
                "the dilution must be a positive whole number without leading zeros",
            ));
        }
        let n: u32 = digits
            .parse()
            .map_err(|_| bad("the dilution is too large"))?;
        Ok(AnaTitre(n))
    }
}

impl serde::Serialize for AnaTitre {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for AnaTitre {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

// ---------------------------------------------------------------------------
// Raw measurements with explicit units
// ---------------------------------------------------------------------------

fn validate(field: &'static str, value: f64, min: f64, max: f64) -> Result<f64, Error> {
    if !value.is_finite() {
        return Err(Error::NotFinite { field, value });
    }
    if !(min..=max).contains(&value) {
        return Err(Error::OutOfRange {
            field,
            value,
            min,
            max,
        });
    }
    Ok(value)
}

macro_rules! measurement_serde {
    ($t:ident) => {
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_f64(self.0)
            }
        }

        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let v = <f64 as serde::Deserialize>::deserialize(d)?;
                $t::new(v).map_err(serde::de::Error::custom)
            }
        }
    };
}

/// A body temperature in degrees Celsius, for the fever criterion
/// (> 38.3 °C, strict).
///
/// Accepted range 10 to 47 °C: a plausibility bound that catches a
/// Fahrenheit value given as Celsius, not a clinical limit.
///
/// ```
/// use sledai::classification::BodyTemperature;
/// assert!(BodyTemperature::new(38.4)?.meets_criterion());
/// assert!(!BodyTemperature::new(38.3)?.meets_criterion()); // strict
/// assert!(BodyTemperature::new(101.3).is_err()); // Fahrenheit
/// assert!(BodyTemperature::new(f64::NAN).is_err());
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct BodyTemperature(f64);

impl BodyTemperature {
    /// The fever threshold: a temperature above 38.3 °C counts.
    ///
    /// ```
    /// use sledai::classification::BodyTemperature;
    /// assert_eq!(BodyTemperature::THRESHOLD_C, 38.3);
    /// ```
    pub const THRESHOLD_C: f64 = 38.3;

    /// A temperature in °C.
    ///
    /// # Errors
    ///
    /// [`Error::NotFinite`] or [`Error::OutOfRange`] (outside 10 to 47 °C),
    /// field `max_temperature_c`.
    ///
    /// ```
    /// use sledai::classification::BodyTemperature;
    /// assert_eq!(BodyTemperature::new(39.0)?.celsius(), 39.0);
    /// assert!(BodyTemperature::new(-1.0).is_err());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn new(celsius: f64) -> Result<BodyTemperature, Error> {
        validate("max_temperature_c", celsius, 10.0, 47.0).map(BodyTemperature)
    }

    /// The value in °C.
    ///
    /// ```
    /// use sledai::classification::BodyTemperature;
    /// assert_eq!(BodyTemperature::new(37.5)?.celsius(), 37.5);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn celsius(self) -> f64 {
        self.0
    }

    /// Whether the temperature meets the fever criterion: > 38.3 °C.
    ///
    /// ```
    /// use sledai::classification::BodyTemperature;
    /// assert!(BodyTemperature::new(38.31)?.meets_criterion());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn meets_criterion(self) -> bool {
        self.0 > Self::THRESHOLD_C
    }
}

/// A white blood cell count in 10^9/L, for the leukopenia criterion
/// (< 4.0 x 10^9/L, strict). 1 x 10^9/L = 1,000/mm³: convert before.
///
/// Accepted range 0 to 1,000 x 10^9/L: a count per mm³ given as 10^9/L
/// (such as 3500) is rejected.
///
/// ```
/// use sledai::classification::LeukocyteCount;
/// assert!(LeukocyteCount::new(3.9)?.meets_criterion());
/// assert!(!LeukocyteCount::new(4.0)?.meets_criterion()); // strict
/// assert!(LeukocyteCount::new(3500.0).is_err()); // per mm³
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct LeukocyteCount(f64);

impl LeukocyteCount {
    /// The leukopenia threshold: a count below 4.0 x 10^9/L counts.
    ///
    /// ```
    /// use sledai::classification::LeukocyteCount;
    /// assert_eq!(LeukocyteCount::THRESHOLD, 4.0);
    /// ```
    pub const THRESHOLD: f64 = 4.0;

    /// A count in 10^9/L.
    ///
    /// # Errors
    ///
    /// [`Error::NotFinite`] or [`Error::OutOfRange`] (outside 0 to 1,000),
    /// field `min_leukocytes_10e9_per_l`.
    ///
    /// ```
    /// use sledai::classification::LeukocyteCount;
    /// assert_eq!(LeukocyteCount::new(5.2)?.per_litre_10e9(), 5.2);
    /// assert!(LeukocyteCount::new(-0.1).is_err());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn new(count_10e9_per_l: f64) -> Result<LeukocyteCount, Error> {
        validate("min_leukocytes_10e9_per_l", count_10e9_per_l, 0.0, 1000.0).map(LeukocyteCount)
    }

    /// The count in 10^9/L.
    ///
    /// ```
    /// use sledai::classification::LeukocyteCount;
    /// assert_eq!(LeukocyteCount::new(3.0)?.per_litre_10e9(), 3.0);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn per_litre_10e9(self) -> f64 {
        self.0
    }

    /// Whether the count meets the leukopenia criterion: < 4.0 x 10^9/L.
    ///
    /// ```
    /// use sledai::classification::LeukocyteCount;
    /// assert!(LeukocyteCount::new(2.0)?.meets_criterion());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn meets_criterion(self) -> bool {
        self.0 < Self::THRESHOLD
    }
}

/// A platelet count in 10^9/L, for the thrombocytopenia criterion
/// (< 100 x 10^9/L, strict). 1 x 10^9/L = 1,000/mm³: convert before.
///
/// Accepted range 0 to 5,000 x 10^9/L: a count per mm³ given as 10^9/L
/// (such as 150000) is rejected.
///
/// ```
/// use sledai::classification::PlateletCount;
/// assert!(PlateletCount::new(99.0)?.meets_criterion());
/// assert!(!PlateletCount::new(100.0)?.meets_criterion()); // strict
/// assert!(PlateletCount::new(150_000.0).is_err()); // per mm³
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct PlateletCount(f64);

impl PlateletCount {
    /// The thrombocytopenia threshold: a count below 100 x 10^9/L counts.
    ///
    /// ```
    /// use sledai::classification::PlateletCount;
    /// assert_eq!(PlateletCount::THRESHOLD, 100.0);
    /// ```
    pub const THRESHOLD: f64 = 100.0;

    /// A count in 10^9/L.
    ///
    /// # Errors
    ///
    /// [`Error::NotFinite`] or [`Error::OutOfRange`] (outside 0 to 5,000),
    /// field `min_platelets_10e9_per_l`.
    ///
    /// ```
    /// use sledai::classification::PlateletCount;
    /// assert_eq!(PlateletCount::new(250.0)?.per_litre_10e9(), 250.0);
    /// assert!(PlateletCount::new(f64::INFINITY).is_err());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn new(count_10e9_per_l: f64) -> Result<PlateletCount, Error> {
        validate("min_platelets_10e9_per_l", count_10e9_per_l, 0.0, 5000.0).map(PlateletCount)
    }

    /// The count in 10^9/L.
    ///
    /// ```
    /// use sledai::classification::PlateletCount;
    /// assert_eq!(PlateletCount::new(90.0)?.per_litre_10e9(), 90.0);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn per_litre_10e9(self) -> f64 {
        self.0
    }

    /// Whether the count meets the thrombocytopenia criterion:
    /// < 100 x 10^9/L.
    ///
    /// ```
    /// use sledai::classification::PlateletCount;
    /// assert!(PlateletCount::new(50.0)?.meets_criterion());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn meets_criterion(self) -> bool {
        self.0 < Self::THRESHOLD
    }
}

/// Urine protein in grams per 24 hours (a 24-hour collection), for the
/// proteinuria criterion (> 0.5 g/24 h, strict).
///
/// Accepted range 0 to 100 g/24 h: a value in mg/24 h given as g/24 h
/// (such as 600) is rejected.
///
/// ```
/// use sledai::classification::UrineProtein;
/// assert!(UrineProtein::new(0.51)?.meets_criterion());
/// assert!(!UrineProtein::new(0.5)?.meets_criterion()); // strict
/// assert!(UrineProtein::new(600.0).is_err()); // mg/24 h
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct UrineProtein(f64);

impl UrineProtein {
    /// The proteinuria threshold: above 0.5 g/24 h counts.
    ///
    /// ```
    /// use sledai::classification::UrineProtein;
    /// assert_eq!(UrineProtein::THRESHOLD_G_PER_24H, 0.5);
    /// ```
    pub const THRESHOLD_G_PER_24H: f64 = 0.5;

    /// A 24-hour urine protein in g/24 h.
    ///
    /// # Errors
    ///
    /// [`Error::NotFinite`] or [`Error::OutOfRange`] (outside 0 to 100),
    /// field `max_proteinuria_g_per_24h`.
    ///
    /// ```
    /// use sledai::classification::UrineProtein;
    /// assert_eq!(UrineProtein::new(1.2)?.grams_per_24h(), 1.2);
    /// assert!(UrineProtein::new(-0.2).is_err());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn new(grams_per_24h: f64) -> Result<UrineProtein, Error> {
        validate("max_proteinuria_g_per_24h", grams_per_24h, 0.0, 100.0).map(UrineProtein)
    }

    /// The value in g/24 h.
    ///
    /// ```
    /// use sledai::classification::UrineProtein;
    /// assert_eq!(UrineProtein::new(0.3)?.grams_per_24h(), 0.3);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn grams_per_24h(self) -> f64 {
        self.0
    }

    /// Whether the value meets the proteinuria criterion: > 0.5 g/24 h.
    ///
    /// ```
    /// use sledai::classification::UrineProtein;
    /// assert!(UrineProtein::new(3.0)?.meets_criterion());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn meets_criterion(self) -> bool {
        self.0 > Self::THRESHOLD_G_PER_24H
    }
}

measurement_serde!(BodyTemperature);
measurement_serde!(LeukocyteCount);
measurement_serde!(PlateletCount);
measurement_serde!(UrineProtein);

/// Optional raw values for the four numeric criteria, each the most
/// extreme value recorded (the criteria count if met on at least one
/// occasion): the highest temperature, the lowest white cell and platelet
/// counts, the highest 24-hour urine protein.
///
/// A value given here decides its criterion when the criterion itself is
/// not assessed; when both are given they must agree (see
/// [`ClassificationInput::classify`]).
///
/// Serde field names carry the unit: `max_temperature_c`,
/// `min_leukocytes_10e9_per_l`, `min_platelets_10e9_per_l`,
/// `max_proteinuria_g_per_24h`; unknown fields are rejected.
///
/// # Example
///
/// ```
/// use sledai::classification::{BodyTemperature, LeukocyteCount, Measurements};
///
/// let m = Measurements::new()
///     .with_max_temperature(BodyTemperature::new(38.9)?)
///     .with_min_leukocytes(LeukocyteCount::new(3.1)?);
/// assert_eq!(m.max_temperature.map(|t| t.celsius()), Some(38.9));
/// assert!(m.min_platelets.is_none());
/// let json = serde_json::to_string(&m).unwrap();
/// assert_eq!(json, r#"{"max_temperature_c":38.9,"min_leukocytes_10e9_per_l":3.1}"#);
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Measurements {
    /// The highest body temperature recorded (fever).
    #[serde(
        rename = "max_temperature_c",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub max_temperature: Option<BodyTemperature>,
    /// The lowest white blood cell count recorded (leukopenia).
    #[serde(
        rename = "min_leukocytes_10e9_per_l",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub min_leukocytes: Option<LeukocyteCount>,
    /// The lowest platelet count recorded (thrombocytopenia).
    #[serde(
        rename = "min_platelets_10e9_per_l",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub min_platelets: Option<PlateletCount>,
    /// The highest 24-hour urine protein recorded (proteinuria).
    #[serde(
        rename = "max_proteinuria_g_per_24h",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub max_proteinuria: Option<UrineProtein>,
}

impl Measurements {
    /// No measurements.
    ///
    /// ```
    /// use sledai::classification::Measurements;
    /// assert!(Measurements::new().is_empty());
    /// ```
    pub const fn new() -> Measurements {
        Measurements {
            max_temperature: None,
            min_leukocytes: None,
            min_platelets: None,
            max_proteinuria: None,
        }
    }

    /// Whether no value is given.
    ///
    /// ```
    /// use sledai::classification::{Measurements, UrineProtein};
    /// let m = Measurements::new().with_max_proteinuria(UrineProtein::new(0.7)?);
    /// assert!(!m.is_empty());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn is_empty(&self) -> bool {
        self.max_temperature.is_none()
            && self.min_leukocytes.is_none()
            && self.min_platelets.is_none()
            && self.max_proteinuria.is_none()
    }

    /// With the highest temperature recorded.
    ///
    /// ```
    /// use sledai::classification::{BodyTemperature, Measurements};
    /// let m = Measurements::new().with_max_temperature(BodyTemperature::new(38.5)?);
    /// assert!(m.max_temperature.is_some());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub const fn with_max_temperature(mut self, t: BodyTemperature) -> Measurements {
        self.max_temperature = Some(t);
        self
    }

    /// With the lowest white blood cell count recorded.
    ///
    /// ```
    /// use sledai::classification::{LeukocyteCount, Measurements};
    /// let m = Measurements::new().with_min_leukocytes(LeukocyteCount::new(3.5)?);
    /// assert!(m.min_leukocytes.is_some());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub const fn with_min_leukocytes(mut self, c: LeukocyteCount) -> Measurements {
        self.min_leukocytes = Some(c);
        self
    }

    /// With the lowest platelet count recorded.
    ///
    /// ```
    /// use sledai::classification::{Measurements, PlateletCount};
    /// let m = Measurements::new().with_min_platelets(PlateletCount::new(80.0)?);
    /// assert!(m.min_platelets.is_some());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub const fn with_min_platelets(mut self, c: PlateletCount) -> Measurements {
        self.min_platelets = Some(c);
        self
    }

    /// With the highest 24-hour urine protein recorded.
    ///
    /// ```
    /// use sledai::classification::{Measurements, UrineProtein};
    /// let m = Measurements::new().with_max_proteinuria(UrineProtein::new(0.4)?);
    /// assert!(m.max_proteinuria.is_some());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub const fn with_max_proteinuria(mut self, p: UrineProtein) -> Measurements {
        self.max_proteinuria = Some(p);
        self
    }

    /// The criteria decided by the given values: `(criterion, met, field,
    /// value as text)`.
    fn derived(&self) -> impl Iterator<Item = (Criterion, bool, &'static str, String)> {
        [
            self.max_temperature.map(|t| {
                (
                    Criterion::Fever,
                    t.meets_criterion(),
                    "max_temperature_c",
                    format!("{} °C", t.0),
                )
            }),
            self.min_leukocytes.map(|c| {
                (
                    Criterion::Leukopenia,
                    c.meets_criterion(),
                    "min_leukocytes_10e9_per_l",
                    format!("{} x 10^9/L", c.0),
                )
            }),
            self.min_platelets.map(|c| {
                (
                    Criterion::Thrombocytopenia,
                    c.meets_criterion(),
                    "min_platelets_10e9_per_l",
                    format!("{} x 10^9/L", c.0),
                )
            }),
            self.max_proteinuria.map(|p| {
                (
                    Criterion::Proteinuria,
                    p.meets_criterion(),
                    "max_proteinuria_g_per_24h",
                    format!("{} g/24 h", p.0),
                )
            }),
        ]
        .into_iter()
        .flatten()
    }
}

// ---------------------------------------------------------------------------
// Input
// ---------------------------------------------------------------------------

/// The data of one patient for the 2019 EULAR/ACR classification: the entry
/// criterion, each weighted criterion present / absent / not assessed, the
/// criteria with a more likely explanation than SLE, and optional raw
/// values.
///
/// Every criterion starts not assessed ([`ClassificationInput::not_assessed`])
/// or absent ([`ClassificationInput::from_present`]); the entry criterion
/// starts not assessed in both.
///
/// # Serde format
///
/// ```json
/// {
///   "ana": true,
///   "ana_titre": "1:160",
///   "criteria": {"joint_involvement": true, "fever": false, "seizure": null},
///   "more_likely_explanation": ["fever"],
///   "measurements": {"min_platelets_10e9_per_l": 85}
/// }
/// ```
///
/// Every field is optional. `ana` is the entry criterion (`true`, `false`,
/// or `null`/missing for not assessed); `ana_titre` the highest HEp-2 titre
/// as text `"1:N"`. A criterion missing from `criteria`, or `null`, is not
/// assessed. Unknown fields, unknown identifiers and repeated identifiers
/// are errors. The round trip is lossless.
///
/// # Example
///
/// ```
/// use sledai::classification::{ClassificationInput, Criterion, Outcome};
/// use sledai::Finding;
///
/// let input = ClassificationInput::not_assessed()
///     .with_entry(Finding::Present)
///     .with(Criterion::RenalBiopsyClassIIIOrIV, Finding::Present);
/// // Class III/IV nephritis alone is 10 points and clinical: classified,
/// // whatever the criteria not assessed turn out to be.
/// assert_eq!(input.classify()?.outcome(), Outcome::Classified);
///
/// let json = r#"{"ana": true, "criteria": {"renal_biopsy_class_iii_or_iv": true}}"#;
/// let parsed: ClassificationInput = serde_json::from_str(json).unwrap();
/// assert_eq!(parsed, input);
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClassificationInput {
    entry: Finding,
    ana_titre: Option<AnaTitre>,
    present: u32,
    not_assessed: u32,
    explained: u32,
    measurements: Measurements,
}

impl Default for ClassificationInput {
    /// Nothing assessed: [`ClassificationInput::not_assessed`].
    fn default() -> Self {
        ClassificationInput::not_assessed()
    }
}

impl ClassificationInput {
    /// An input in which nothing is assessed yet, the entry criterion
    /// included.
    ///
    /// ```
    /// use sledai::classification::{ClassificationInput, Outcome};
    /// let r = ClassificationInput::not_assessed().classify()?;
    /// assert_eq!(r.outcome(), Outcome::Indeterminate);
    /// assert_eq!(r.not_assessed().len(), 21);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn not_assessed() -> ClassificationInput {
        ClassificationInput {
            entry: Finding::NotAssessed,
            ana_titre: None,
            present: 0,
            not_assessed: ALL_BITS,
            explained: 0,
            measurements: Measurements::new(),
        }
    }

    /// An input in which exactly `present` are present and every other
    /// weighted criterion is absent. The entry criterion is still not
    /// assessed: set it with [`ClassificationInput::with_entry`] or
    /// [`ClassificationInput::with_ana_titre`].
    ///
    /// ```
    /// use sledai::classification::{ClassificationInput, Criterion, Outcome};
    /// use sledai::Finding;
    /// let input = ClassificationInput::from_present([Criterion::RenalBiopsyClassIIIOrIV]);
    /// assert_eq!(input.classify()?.outcome(), Outcome::Indeterminate); // entry unknown
    /// let input = input.with_entry(Finding::Present);
    /// assert_eq!(input.classify()?.outcome(), Outcome::Classified);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn from_present<I: IntoIterator<Item = Criterion>>(present: I) -> ClassificationInput {
        let set: CriterionSet = present.into_iter().collect();
        ClassificationInput {
            present: set.bits(),
            not_assessed: 0,
            ..ClassificationInput::not_assessed()
        }
    }

    /// The input with the entry criterion (ANA >= 1:80 on HEp-2 cells or an
    /// equivalent positive test, ever) set to `finding`.
    ///
    /// ```
    /// use sledai::classification::{ClassificationInput, Criterion, Outcome};
    /// use sledai::Finding;
    /// let input = ClassificationInput::from_present(Criterion::ALL).with_entry(Finding::Absent);
    /// assert_eq!(input.classify()?.outcome(), Outcome::NotClassified);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub const fn with_entry(mut self, finding: Finding) -> ClassificationInput {
        self.entry = finding;
        self
    }

    /// The input with the highest ANA titre on HEp-2 cells. When the entry
    /// criterion is not assessed, the titre decides it (met at 1:80 or
    /// above); when it is given too, the two must agree.
    ///
    /// ```
    /// use sledai::classification::{ClassificationInput, Criterion};
    /// use sledai::TriState;
    /// let input = ClassificationInput::from_present([Criterion::RenalBiopsyClassIIIOrIV]);
    /// let r = input.with_ana_titre("1:40".parse()?).classify()?;
    /// assert_eq!(r.entry_criterion(), TriState::NotMet);
    /// let r = input.with_ana_titre("1:80".parse()?).classify()?;
    /// assert_eq!(r.entry_criterion(), TriState::Met);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub const fn with_ana_titre(mut self, titre: AnaTitre) -> ClassificationInput {
        self.ana_titre = Some(titre);
        self
    }

    /// The input with `criterion` set to `finding`.
    ///
    /// ```
    /// use sledai::classification::{ClassificationInput, Criterion};
    /// use sledai::Finding;
    /// let input = ClassificationInput::not_assessed().with(Criterion::Fever, Finding::Absent);
    /// assert_eq!(input.finding(Criterion::Fever), Finding::Absent);
    /// ```
    #[must_use]
    pub const fn with(mut self, criterion: Criterion, finding: Finding) -> ClassificationInput {
        (self.present, self.not_assessed) =
            set_finding(self.present, self.not_assessed, criterion.bit(), finding);
        self
    }

    /// The input with `criterion` marked as having a more likely
    /// explanation than SLE: it then does not count, whatever its finding
    /// (Aringer 2019, attribution rule).
    ///
    /// ```
    /// use sledai::classification::{ClassificationInput, Criterion, Outcome};
    /// use sledai::Finding;
    /// let input = ClassificationInput::from_present([Criterion::RenalBiopsyClassIIIOrIV])
    ///     .with_entry(Finding::Present)
    ///     .with_more_likely_explanation(Criterion::RenalBiopsyClassIIIOrIV);
    /// let r = input.classify()?;
    /// assert_eq!(r.outcome(), Outcome::NotClassified);
    /// assert_eq!(r.total(), Some(0));
    /// assert!(r.explained().contains(Criterion::RenalBiopsyClassIIIOrIV));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub const fn with_more_likely_explanation(
        mut self,
        criterion: Criterion,
    ) -> ClassificationInput {
        self.explained |= criterion.bit();
        self
    }

    /// The input with raw values for the numeric criteria.
    ///
    /// ```
    /// use sledai::classification::{BodyTemperature, ClassificationInput, Criterion, Measurements};
    /// use sledai::Finding;
    /// let m = Measurements::new().with_max_temperature(BodyTemperature::new(38.3)?);
    /// let r = ClassificationInput::from_present([])
    ///     .with(Criterion::Fever, Finding::NotAssessed)
    ///     .with_measurements(m)
    ///     .classify()?;
    /// assert!(r.absent().contains(Criterion::Fever)); // 38.3 is not > 38.3
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub const fn with_measurements(mut self, measurements: Measurements) -> ClassificationInput {
        self.measurements = measurements;
        self
    }

    /// The recorded entry criterion (before any titre is taken into
    /// account).
    ///
    /// ```
    /// use sledai::classification::ClassificationInput;
    /// use sledai::Finding;
    /// assert_eq!(ClassificationInput::not_assessed().entry(), Finding::NotAssessed);
    /// ```
    pub const fn entry(&self) -> Finding {
        self.entry
    }

    /// The recorded ANA titre, if any.
    ///
    /// ```
    /// use sledai::classification::ClassificationInput;
    /// assert_eq!(ClassificationInput::not_assessed().ana_titre(), None);
    /// ```
    pub const fn ana_titre(&self) -> Option<AnaTitre> {
        self.ana_titre
    }

    /// The recorded finding of `criterion` (before measurements and the
    /// attribution rule are taken into account).
    ///
    /// ```
    /// use sledai::classification::{ClassificationInput, Criterion};
    /// use sledai::Finding;
    /// let input = ClassificationInput::from_present([Criterion::Seizure]);
    /// assert_eq!(input.finding(Criterion::Seizure), Finding::Present);
    /// assert_eq!(input.finding(Criterion::Delirium), Finding::Absent);
    /// ```
    pub const fn finding(&self, criterion: Criterion) -> Finding {
        get_finding(self.present, self.not_assessed, criterion.bit())
    }

    /// The criteria marked as having a more likely explanation than SLE.
    ///
    /// ```
    /// use sledai::classification::{ClassificationInput, Criterion};
    /// let input = ClassificationInput::not_assessed().with_more_likely_explanation(Criterion::Fever);
    /// assert!(input.more_likely_explanation().contains(Criterion::Fever));
    /// ```
    pub const fn more_likely_explanation(&self) -> CriterionSet {
        CriterionSet(self.explained)
    }

    /// The raw values given.
    ///
    /// ```
    /// use sledai::classification::ClassificationInput;
    /// assert!(ClassificationInput::not_assessed().measurements().is_empty());
    /// ```
    pub const fn measurements(&self) -> &Measurements {
        &self.measurements
    }

    /// Classifies the patient.
    ///
    /// Steps: (1) a raw value decides its criterion when the criterion is
    /// not assessed, and must agree with it otherwise; the titre likewise
    /// for the entry criterion; (2) a criterion with a more likely
    /// explanation does not count, whatever its finding; (3) the total is
    /// the sum over domains of the highest-weighted counting criterion;
    /// (4) the outcome of the worst and of the best completion of the
    /// missing criteria decides the result (see the [module
    /// docs](self)).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidValue`] when a raw value contradicts the finding
    /// recorded for the same criterion (for example fever present with a
    /// highest temperature of 37.9 °C), or the titre contradicts the entry
    /// criterion; the field is the criterion (or `ana`) and the message
    /// names the raw value.
    ///
    /// ```
    /// use sledai::classification::{BodyTemperature, ClassificationInput, Criterion, Measurements};
    /// let m = Measurements::new().with_max_temperature(BodyTemperature::new(37.9)?);
    /// let input = ClassificationInput::from_present([Criterion::Fever]).with_measurements(m);
    /// let err = input.classify().unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "fever: invalid value `present`: contradicts max_temperature_c 37.9 °C, which does not meet > 38.3 °C",
    /// );
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn classify(&self) -> Result<Classification, Error> {
        // (1) Raw values.
        let mut present = self.present;
        let mut not_assessed = self.not_assessed;
        for (criterion, met, field, value) in self.measurements.derived() {
            let bit = criterion.bit();
            match self.finding(criterion) {
                Finding::NotAssessed => {
                    not_assessed &= !bit;
                    if met {
                        present |= bit;
                    }
                }
                recorded => {
                    if (recorded == Finding::Present) != met {
                        return Err(contradiction(
                            criterion.id(),
                            recorded,
                            field,
                            &value,
                            met,
                            criterion.threshold().unwrap_or(""),
                        ));
                    }
                }
            }
        }
        let entry = match (self.entry, self.ana_titre) {
            (recorded, None) => recorded,
            (Finding::NotAssessed, Some(t)) => Finding::from_option(Some(t.meets_entry())),
            (recorded, Some(t)) => {
                if (recorded == Finding::Present) != t.meets_entry() {
                    return Err(contradiction(
                        "ana",
                        recorded,
                        "ana_titre",
                        &t.to_string(),
                        t.meets_entry(),
                        ">= 1:80",
                    ));
                }
                recorded
            }
        };
        // (2) Attribution: explained criteria never count.
        let explained = CriterionSet(present & self.explained);
        present &= !self.explained;
        not_assessed &= !self.explained;
        Ok(Classification::evaluate(
            entry,
            CriterionSet(present),
            CriterionSet(not_assessed),
            explained,
        ))
    }
}

fn contradiction(
    field: &'static str,
    recorded: Finding,
    raw_field: &str,
    raw_value: &str,
    met: bool,
    threshold: &str,
) -> Error {
    let recorded = match recorded {
        Finding::Present => "present",
        Finding::Absent => "absent",
        Finding::NotAssessed => "not_assessed",
    };
    let verb = if met { "meets" } else { "does not meet" };
    Error::InvalidValue {
        field,
        value: recorded.to_owned(),
        reason: format!("contradicts {raw_field} {raw_value}, which {verb} {threshold}"),
    }
}

/// The wire form of [`ClassificationInput`].
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct InputWire {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ana: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ana_titre: Option<AnaTitre>,
    #[serde(default)]
    criteria: CriteriaObject,
    #[serde(default, skip_serializing_if = "set_is_empty")]
    more_likely_explanation: CriterionSet,
    #[serde(default, skip_serializing_if = "Measurements::is_empty")]
    measurements: Measurements,
}

fn set_is_empty(set: &CriterionSet) -> bool {
    set.is_empty()
}

/// `criteria`: identifier -> true, false or null; missing is not assessed.
struct CriteriaObject {
    present: u32,
    not_assessed: u32,
}

impl Default for CriteriaObject {
    fn default() -> Self {
        CriteriaObject {
            present: 0,
            not_assessed: ALL_BITS,
        }
    }
}

impl serde::Serialize for CriteriaObject {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(Criterion::ALL.iter().filter_map(|c| {
            let bit = c.bit();
            if self.not_assessed & bit != 0 {
                None
            } else {
                Some((c.id(), self.present & bit != 0))
            }
        }))
    }
}

impl<'de> serde::Deserialize<'de> for CriteriaObject {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = CriteriaObject;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of criterion identifier -> true, false or null")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<CriteriaObject, A::Error> {
                let mut out = CriteriaObject::default();
                let mut seen = 0u32;
                while let Some(c) = map.next_key::<Criterion>()? {
                    if seen & c.bit() != 0 {
                        return Err(serde::de::Error::custom(repeated(c)));
                    }
                    seen |= c.bit();
                    if let Some(v) = map.next_value::<Option<bool>>()? {
                        out.not_assessed &= !c.bit();
                        if v {
                            out.present |= c.bit();
                        }
                    }
                }
                Ok(out)
            }
        }
        d.deserialize_map(V)
    }
}

impl serde::Serialize for ClassificationInput {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        InputWire {
            ana: self.entry.as_option(),
            ana_titre: self.ana_titre,
            criteria: CriteriaObject {
                present: self.present,
                not_assessed: self.not_assessed,
            },
            more_likely_explanation: CriterionSet(self.explained),
            measurements: self.measurements,
        }
        .serialize(s)
    }
}

impl<'de> serde::Deserialize<'de> for ClassificationInput {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let w = InputWire::deserialize(d)?;
        Ok(ClassificationInput {
            entry: Finding::from_option(w.ana),
            ana_titre: w.ana_titre,
            present: w.criteria.present,
            not_assessed: w.criteria.not_assessed,
            explained: w.more_likely_explanation.bits(),
            measurements: w.measurements,
        })
    }
}

// ---------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Every completion of the missing data classifies.
    Classified,
    /// No completion of the missing data classifies.
    NotClassified,
    /// Some completions classify and some do not.
    Indeterminate,
}

impl Outcome {
    /// The stable identifier: `classified`, `not_classified` or
    /// `indeterminate`.
    ///
    /// ```
    /// use sledai::classification::Outcome;
    /// assert_eq!(Outcome::Indeterminate.id(), "indeterminate");
    /// ```
    pub const fn id(self) -> &'static str {
        match self {
            Outcome::Classified => "classified",
            Outcome::NotClassified => "not_classified",
            Outcome::Indeterminate => "indeterminate",
        }
    }

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

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// The range of totals the missing criteria still allow: from every
/// missing criterion absent (`min`) to every one present (`max`). Exact
/// when nothing missing could change the total.
///
/// Serializes as `{"min": .., "max": ..}`.
///
/// ```
/// use sledai::classification::{ClassificationInput, Criterion};
/// use sledai::Finding;
/// let r = ClassificationInput::from_present([Criterion::Proteinuria])
///     .with(Criterion::RenalBiopsyClassIIIOrIV, Finding::NotAssessed)
///     .classify()?;
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
    /// assert_eq!(ClassificationInput::not_assessed().classify()?.points().min(), 0);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn min(self) -> u8 {
        self.min
    }

    /// The highest total any completion can reach.
    ///
    /// ```
    /// use sledai::classification::ClassificationInput;
    /// assert_eq!(ClassificationInput::not_assessed().classify()?.points().max(), 51);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn max(self) -> u8 {
        self.max
    }

    /// Whether the range is a single total.
    ///
    /// ```
    /// use sledai::classification::ClassificationInput;
    /// assert!(ClassificationInput::from_present([]).classify()?.points().is_exact());
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
/// use sledai::classification::{ClassificationInput, Criterion, Domain};
/// let r = ClassificationInput::from_present([Criterion::Leukopenia, Criterion::Thrombocytopenia]).classify()?;
/// let h = r.domain(Domain::Hematologic);
/// assert_eq!(h.points(), 4);
/// assert_eq!(h.criterion(), Some(Criterion::Thrombocytopenia));
/// assert_eq!(h.max_points(), 4);
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub struct DomainResult {
    domain: Domain,
    points: u8,
    max_points: u8,
    criterion: Option<Criterion>,
}

impl DomainResult {
    /// The domain.
    ///
    /// ```
    /// use sledai::classification::{ClassificationInput, Domain};
    /// let r = ClassificationInput::from_present([]).classify()?;
    /// assert_eq!(r.domains()[0].domain(), Domain::Constitutional);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn domain(&self) -> Domain {
        self.domain
    }

    /// The points the domain contributes from the criteria present: those
    /// of its highest-weighted present criterion, or 0.
    ///
    /// ```
    /// use sledai::classification::{ClassificationInput, Criterion, Domain};
    /// let r = ClassificationInput::from_present([Criterion::OralUlcers]).classify()?;
    /// assert_eq!(r.domain(Domain::Mucocutaneous).points(), 2);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn points(&self) -> u8 {
        self.points
    }

    /// The most the domain can contribute if every missing criterion
    /// turns out present; equal to [`DomainResult::points`] when nothing
    /// missing could change it.
    ///
    /// ```
    /// use sledai::classification::{ClassificationInput, Domain};
    /// let r = ClassificationInput::not_assessed().classify()?;
    /// assert_eq!(r.domain(Domain::Renal).max_points(), 10);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn max_points(&self) -> u8 {
        self.max_points
    }

    /// The criterion that counted, if any (the first in publication order
    /// on a tie of weights).
    ///
    /// ```
    /// use sledai::classification::{ClassificationInput, Criterion, Domain};
    /// let r = ClassificationInput::from_present([Criterion::LowC3OrLowC4, Criterion::LowC3AndLowC4]).classify()?;
    /// assert_eq!(r.domain(Domain::ComplementProteins).criterion(), Some(Criterion::LowC3AndLowC4));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn criterion(&self) -> Option<Criterion> {
        self.criterion
    }
}

/// The result of [`ClassificationInput::classify`].
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
/// use sledai::classification::{ClassificationInput, Criterion, Domain, Outcome};
/// use sledai::{Finding, TriState};
///
/// // anti-dsDNA (6) + low C3 and C4 (4) = 10, but no clinical criterion.
/// let r = ClassificationInput::from_present([Criterion::AntiDsdnaOrAntiSmith, Criterion::LowC3AndLowC4])
///     .with_entry(Finding::Present)
///     .classify()?;
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
    fn evaluate(
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
                points: counted.map_or(0, Criterion::points),
                max_points: best.counted(d).map_or(0, Criterion::points),
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
    /// let r = ClassificationInput::from_present([]).with_entry(Finding::Present).classify()?;
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
    /// let r = ClassificationInput::not_assessed().classify()?;
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
    /// use sledai::classification::{ClassificationInput, Criterion};
    /// use sledai::TriState;
    /// let r = ClassificationInput::from_present([Criterion::Fever]).classify()?;
    /// assert_eq!(r.clinical_criterion(), TriState::Met);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn clinical_criterion(&self) -> TriState {
        self.clinical_criterion
    }

    /// The total, when the missing criteria cannot change it.
    ///
    /// ```
    /// use sledai::classification::{ClassificationInput, Criterion};
    /// let r = ClassificationInput::from_present(Criterion::ALL).classify()?;
    /// assert_eq!(r.total(), Some(51));
    /// assert_eq!(ClassificationInput::not_assessed().classify()?.total(), None);
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
    /// assert_eq!(ClassificationInput::not_assessed().classify()?.points().to_string(), "0 to 51");
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn points(&self) -> PointsRange {
        self.points
    }

    /// The ten domain results, in publication order.
    ///
    /// ```
    /// use sledai::classification::ClassificationInput;
    /// let r = ClassificationInput::from_present([]).classify()?;
    /// assert!(r.domains().iter().all(|d| d.points() == 0));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn domains(&self) -> &[DomainResult; 10] {
        &self.domains
    }

    /// The result of one domain.
    ///
    /// ```
    /// use sledai::classification::{ClassificationInput, Criterion, Domain};
    /// let r = ClassificationInput::from_present([Criterion::Seizure, Criterion::Delirium]).classify()?;
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
    /// assert!(ClassificationInput::from_present([]).classify()?.not_assessed().is_empty());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn not_assessed(&self) -> CriterionSet {
        self.not_assessed
    }

    /// The criteria recorded present but not counted because of a more
    /// likely explanation than SLE.
    ///
    /// ```
    /// use sledai::classification::{ClassificationInput, Criterion};
    /// let r = ClassificationInput::from_present([Criterion::Fever])
    ///     .with_more_likely_explanation(Criterion::Fever)
    ///     .classify()?;
    /// assert!(r.explained().contains(Criterion::Fever));
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
    /// use sledai::classification::{ClassificationInput, Criterion};
    /// let r = ClassificationInput::from_present([Criterion::Fever]).classify()?;
    /// assert_eq!(r.absent().len(), 20);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn absent(&self) -> CriterionSet {
        self.absent
    }

    /// The criteria that counted: one per domain at most.
    ///
    /// ```
    /// use sledai::classification::{ClassificationInput, Criterion};
    /// let r = ClassificationInput::from_present([Criterion::Leukopenia, Criterion::Thrombocytopenia]).classify()?;
    /// assert_eq!(r.counted().iter().collect::<Vec<_>>(), [Criterion::Thrombocytopenia]);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_in_enum_order() {
        for (i, row) in TABLE.iter().enumerate() {
            assert_eq!(row.criterion as usize, i);
            assert_eq!(Criterion::ALL[i], row.criterion);
        }
    }

    #[test]
    fn domains_partition_the_criteria() {
        let mut union = CriterionSet::EMPTY;
        for d in Domain::ALL {
            assert!(union.intersection(d.criteria()).is_empty());
            assert!(!d.criteria().is_empty());
            union = union.union(d.criteria());
        }
        assert_eq!(union, CriterionSet::FULL);
    }

    #[test]
    fn thresholds_in_table_match_newtypes() {
        assert_eq!(Criterion::Fever.threshold(), Some("> 38.3 °C"));
        assert_eq!(Criterion::Leukopenia.threshold(), Some("< 4.0 x 10^9/L"));
        assert_eq!(
            Criterion::Thrombocytopenia.threshold(),
            Some("< 100 x 10^9/L")
        );
        assert_eq!(Criterion::Proteinuria.threshold(), Some("> 0.5 g/24 h"));
    }
}
