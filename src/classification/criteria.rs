//! The criteria table of Aringer 2019: the ten domains, the 21 weighted
//! criteria (identifier, name, domain, points, definition) and sets of them.

use std::fmt;
use std::str::FromStr;

use super::*;
use crate::bitset::{bit_set_api, deserialize_seq};
use crate::error::Error;
use crate::vocabulary::vocabulary;

vocabulary! {
/// Whether a domain holds clinical or immunologic criteria.
///
/// ```
/// use sledai::classification::{Domain, DomainKind};
/// assert_eq!(Domain::Renal.kind(), DomainKind::Clinical);
/// assert_eq!(Domain::ComplementProteins.kind(), DomainKind::Immunologic);
/// ```
#[derive(PartialOrd, Ord)]
pub enum DomainKind, field = "domain_kind", path = "sledai::classification::DomainKind" {
    /// The seven clinical domains: constitutional to renal.
    Clinical = "clinical",
    /// The three immunologic domains: antiphospholipid antibodies,
    /// complement proteins, SLE-specific antibodies.
    Immunologic = "immunologic",
}
}

vocabulary! {
/// One of the ten domains of the 2019 EULAR/ACR criteria, in the order of
/// the publication: seven clinical, then three immunologic.
///
/// Only the highest-weighted present criterion of a domain counts.
///
/// # Example
///
/// ```
/// use sledai::classification::{ClassificationCriterion, Domain};
///
/// let d: Domain = "hematologic".parse()?;
/// assert_eq!(d, Domain::Hematologic);
/// assert!(d.is_clinical());
/// assert_eq!(d.max_points(), 4);
/// assert_eq!(d.criteria().iter().collect::<Vec<_>>(), [
///     ClassificationCriterion::Leukopenia,
///     ClassificationCriterion::Thrombocytopenia,
///     ClassificationCriterion::AutoimmuneHemolysis,
/// ]);
/// assert!("hematological".parse::<Domain>().is_err());
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(PartialOrd, Ord)]
pub enum Domain, field = "domain", path = "sledai::classification::Domain" {
    /// Fever (clinical).
    Constitutional = "constitutional",
    /// Leukopenia, thrombocytopenia, autoimmune haemolysis (clinical).
    Hematologic = "hematologic",
    /// Delirium, psychosis, seizure (clinical).
    Neuropsychiatric = "neuropsychiatric",
    /// Alopecia, oral ulcers, subacute cutaneous or discoid lupus, acute
    /// cutaneous lupus (clinical).
    Mucocutaneous = "mucocutaneous",
    /// Pleural or pericardial effusion, acute pericarditis (clinical).
    Serosal = "serosal",
    /// Joint involvement (clinical).
    Musculoskeletal = "musculoskeletal",
    /// Proteinuria, renal biopsy class II or V, class III or IV (clinical).
    Renal = "renal",
    /// Anticardiolipin, anti-beta2GPI or lupus anticoagulant (immunologic).
    AntiphospholipidAntibodies = "antiphospholipid_antibodies",
    /// Low C3 or low C4; low C3 and low C4 (immunologic).
    ComplementProteins = "complement_proteins",
    /// Anti-dsDNA or anti-Smith antibodies (immunologic).
    SleSpecificAntibodies = "sle_specific_antibodies",
}
}

impl Domain {
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
/// use sledai::classification::{ClassificationCriterion, Domain};
///
/// let c: ClassificationCriterion = "renal_biopsy_class_iii_or_iv".parse()?;
/// assert_eq!(c, ClassificationCriterion::RenalBiopsyClassIIIOrIV);
/// assert_eq!(c.points(), 10);
/// assert_eq!(c.domain(), Domain::Renal);
/// assert!(c.is_clinical());
/// assert_eq!(c.to_string(), "renal_biopsy_class_iii_or_iv");
/// let total: u32 = ClassificationCriterion::ALL.iter().map(|c| u32::from(c.points())).sum();
/// assert_eq!(total, 91); // every weight once; the domain rule caps a total at 51
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum ClassificationCriterion {
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
    criterion: ClassificationCriterion,
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
            criterion: ClassificationCriterion::$c,
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
    row!(
        Fever,
        "fever",
        "Fever",
        Constitutional,
        2,
        Some("> 38.3 °C"),
        "Temperature above 38.3 °C."
    ),
    row!(
        Leukopenia,
        "leukopenia",
        "Leukopenia",
        Hematologic,
        3,
        Some("< 4.0 x 10^9/L"),
        "White blood cell count below 4.0 x 10^9/L (4,000/mm³)."
    ),
    row!(
        Thrombocytopenia,
        "thrombocytopenia",
        "Thrombocytopenia",
        Hematologic,
        4,
        Some("< 100 x 10^9/L"),
        "Platelet count below 100 x 10^9/L (100,000/mm³)."
    ),
    row!(
        AutoimmuneHemolysis,
        "autoimmune_hemolysis",
        "Autoimmune hemolysis",
        Hematologic,
        4,
        None,
        "Evidence of haemolysis (reticulocytosis, low haptoglobin, raised indirect bilirubin or LDH) with a positive direct antiglobulin (Coombs) test."
    ),
    row!(
        Delirium,
        "delirium",
        "Delirium",
        Neuropsychiatric,
        2,
        None,
        "Acute change in consciousness or arousal with reduced ability to focus, developing over hours to days and fluctuating, with a change in cognition or in behaviour, mood or affect."
    ),
    row!(
        Psychosis,
        "psychosis",
        "Psychosis",
        Neuropsychiatric,
        3,
        None,
        "Delusions or hallucinations without insight, in the absence of delirium."
    ),
    row!(
        Seizure,
        "seizure",
        "Seizure",
        Neuropsychiatric,
        5,
        None,
        "Primary generalised or partial (focal) seizure."
    ),
    row!(
        NonScarringAlopecia,
        "non_scarring_alopecia",
        "Non-scarring alopecia",
        Mucocutaneous,
        2,
        None,
        "Non-scarring alopecia observed by a clinician."
    ),
    row!(
        OralUlcers,
        "oral_ulcers",
        "Oral ulcers",
        Mucocutaneous,
        2,
        None,
        "Oral ulcers observed by a clinician."
    ),
    row!(
        SubacuteCutaneousOrDiscoidLupus,
        "subacute_cutaneous_or_discoid_lupus",
        "Subacute cutaneous or discoid lupus",
        Mucocutaneous,
        4,
        None,
        "Subacute cutaneous lupus (annular or papulosquamous) or discoid lupus observed by a clinician, with a consistent biopsy if one was done."
    ),
    row!(
        AcuteCutaneousLupus,
        "acute_cutaneous_lupus",
        "Acute cutaneous lupus",
        Mucocutaneous,
        6,
        None,
        "Malar rash or generalised maculopapular rash observed by a clinician, with a consistent biopsy if one was done."
    ),
    row!(
        PleuralOrPericardialEffusion,
        "pleural_or_pericardial_effusion",
        "Pleural or pericardial effusion",
        Serosal,
        5,
        None,
        "Pleural or pericardial effusion shown by imaging (ultrasound, X-ray, CT or MRI)."
    ),
    row!(
        AcutePericarditis,
        "acute_pericarditis",
        "Acute pericarditis",
        Serosal,
        6,
        None,
        "At least 2 of: pericardial chest pain, pericardial rub, ECG with new widespread ST elevation or PR depression, new or worse pericardial effusion on imaging."
    ),
    row!(
        JointInvolvement,
        "joint_involvement",
        "Joint involvement",
        Musculoskeletal,
        6,
        None,
        "Synovitis of at least 2 joints (swelling or effusion), or tenderness of at least 2 joints with at least 30 minutes of morning stiffness."
    ),
    row!(
        Proteinuria,
        "proteinuria",
        "Proteinuria",
        Renal,
        4,
        Some("> 0.5 g/24 h"),
        "Urine protein above 0.5 g/24 h."
    ),
    row!(
        RenalBiopsyClassIIOrV,
        "renal_biopsy_class_ii_or_v",
        "Renal biopsy class II or V lupus nephritis",
        Renal,
        8,
        None,
        "Renal biopsy showing class II or V lupus nephritis (ISN/RPS 2003)."
    ),
    row!(
        RenalBiopsyClassIIIOrIV,
        "renal_biopsy_class_iii_or_iv",
        "Renal biopsy class III or IV lupus nephritis",
        Renal,
        10,
        None,
        "Renal biopsy showing class III or IV lupus nephritis (ISN/RPS 2003)."
    ),
    row!(
        AntiphospholipidAntibodies,
        "antiphospholipid_antibodies",
        "Anticardiolipin, anti-beta2GPI or lupus anticoagulant",
        AntiphospholipidAntibodies,
        2,
        None,
        "Anticardiolipin antibodies at medium or high titre, or anti-beta2-glycoprotein I antibodies, or lupus anticoagulant."
    ),
    row!(
        LowC3OrLowC4,
        "low_c3_or_low_c4",
        "Low C3 or low C4",
        ComplementProteins,
        3,
        Some("< lower limit of normal"),
        "C3 or C4 below the testing laboratory's lower limit of normal."
    ),
    row!(
        LowC3AndLowC4,
        "low_c3_and_low_c4",
        "Low C3 and low C4",
        ComplementProteins,
        4,
        Some("< lower limit of normal"),
        "Both C3 and C4 below the testing laboratory's lower limits of normal."
    ),
    row!(
        AntiDsdnaOrAntiSmith,
        "anti_dsdna_or_anti_smith",
        "Anti-dsDNA or anti-Smith antibodies",
        SleSpecificAntibodies,
        6,
        None,
        "Anti-dsDNA antibodies in an immunoassay with at least 90% specificity for SLE, or anti-Smith antibodies."
    ),
];

/// Bits of the 21 criteria.
pub(super) const ALL_BITS: u32 = (1 << 21) - 1;

impl ClassificationCriterion {
    /// All 21 criteria in publication order.
    ///
    /// ```
    /// use sledai::classification::ClassificationCriterion;
    /// assert_eq!(ClassificationCriterion::ALL.len(), 21);
    /// assert_eq!(ClassificationCriterion::ALL[0], ClassificationCriterion::Fever);
    /// ```
    pub const ALL: [ClassificationCriterion; 21] = [
        ClassificationCriterion::Fever,
        ClassificationCriterion::Leukopenia,
        ClassificationCriterion::Thrombocytopenia,
        ClassificationCriterion::AutoimmuneHemolysis,
        ClassificationCriterion::Delirium,
        ClassificationCriterion::Psychosis,
        ClassificationCriterion::Seizure,
        ClassificationCriterion::NonScarringAlopecia,
        ClassificationCriterion::OralUlcers,
        ClassificationCriterion::SubacuteCutaneousOrDiscoidLupus,
        ClassificationCriterion::AcuteCutaneousLupus,
        ClassificationCriterion::PleuralOrPericardialEffusion,
        ClassificationCriterion::AcutePericarditis,
        ClassificationCriterion::JointInvolvement,
        ClassificationCriterion::Proteinuria,
        ClassificationCriterion::RenalBiopsyClassIIOrV,
        ClassificationCriterion::RenalBiopsyClassIIIOrIV,
        ClassificationCriterion::AntiphospholipidAntibodies,
        ClassificationCriterion::LowC3OrLowC4,
        ClassificationCriterion::LowC3AndLowC4,
        ClassificationCriterion::AntiDsdnaOrAntiSmith,
    ];

    /// The citation for every criterion, weight and domain of the table.
    ///
    /// ```
    /// use sledai::classification::ClassificationCriterion;
    /// assert!(ClassificationCriterion::CITATION.contains("2019"));
    /// ```
    pub const CITATION: &'static str = ARINGER_2019;

    const fn row(self) -> &'static Row {
        &TABLE[self as usize]
    }

    /// The stable snake_case identifier, used by serde, `FromStr` and
    /// `Display`.
    ///
    /// ```
    /// use sledai::classification::ClassificationCriterion;
    /// assert_eq!(ClassificationCriterion::LowC3AndLowC4.id(), "low_c3_and_low_c4");
    /// ```
    pub const fn id(self) -> &'static str {
        self.row().id
    }

    /// The display name, as in the publication.
    ///
    /// ```
    /// use sledai::classification::ClassificationCriterion;
    /// assert_eq!(ClassificationCriterion::AntiDsdnaOrAntiSmith.name(), "Anti-dsDNA or anti-Smith antibodies");
    /// ```
    pub const fn name(self) -> &'static str {
        self.row().name
    }

    /// The domain the criterion belongs to.
    ///
    /// ```
    /// use sledai::classification::{ClassificationCriterion, Domain};
    /// assert_eq!(ClassificationCriterion::Fever.domain(), Domain::Constitutional);
    /// ```
    pub const fn domain(self) -> Domain {
        self.row().domain
    }

    /// The weight of the criterion: 2 to 10 points.
    ///
    /// ```
    /// use sledai::classification::ClassificationCriterion;
    /// assert_eq!(ClassificationCriterion::Leukopenia.points(), 3);
    /// assert_eq!(ClassificationCriterion::JointInvolvement.points(), 6);
    /// ```
    pub const fn points(self) -> u8 {
        self.row().points
    }

    /// Clinical or immunologic, from the criterion's domain.
    ///
    /// ```
    /// use sledai::classification::{ClassificationCriterion, DomainKind};
    /// assert_eq!(ClassificationCriterion::AntiDsdnaOrAntiSmith.kind(), DomainKind::Immunologic);
    /// ```
    pub const fn kind(self) -> DomainKind {
        self.domain().kind()
    }

    /// Whether the criterion is clinical (it can satisfy the
    /// at-least-one-clinical-criterion rule).
    ///
    /// ```
    /// use sledai::classification::ClassificationCriterion;
    /// assert!(ClassificationCriterion::Fever.is_clinical());
    /// assert!(!ClassificationCriterion::LowC3OrLowC4.is_clinical());
    /// ```
    pub const fn is_clinical(self) -> bool {
        self.domain().is_clinical()
    }

    /// The numeric threshold, for the criteria defined by one. Strict.
    ///
    /// ```
    /// use sledai::classification::ClassificationCriterion;
    /// assert_eq!(ClassificationCriterion::Fever.threshold(), Some("> 38.3 °C"));
    /// assert_eq!(ClassificationCriterion::Seizure.threshold(), None);
    /// ```
    pub const fn threshold(self) -> Option<&'static str> {
        self.row().threshold
    }

    /// A one-line paraphrase of the published definition.
    ///
    /// ```
    /// use sledai::classification::ClassificationCriterion;
    /// assert!(ClassificationCriterion::JointInvolvement.definition().contains("morning stiffness"));
    /// ```
    pub const fn definition(self) -> &'static str {
        self.row().definition
    }

    /// The criterion's bit in a [`CriterionSet`] mask: `1 << index`, where
    /// `index` is the zero-based position in [`ClassificationCriterion::ALL`].
    ///
    /// ```
    /// use sledai::classification::ClassificationCriterion;
    /// assert_eq!(ClassificationCriterion::Fever.bit(), 1);
    /// assert_eq!(ClassificationCriterion::AntiDsdnaOrAntiSmith.bit(), 1 << 20);
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
    /// use sledai::classification::ClassificationCriterion;
    /// assert_eq!(ClassificationCriterion::from_id("seizure")?, ClassificationCriterion::Seizure);
    /// let err = ClassificationCriterion::from_id("oral_ulcer").unwrap_err();
    /// assert!(err.to_string().ends_with("did you mean `oral_ulcers`?"));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn from_id(name: &str) -> Result<ClassificationCriterion, Error> {
        TABLE
            .iter()
            .find(|r| r.id == name)
            .map(|r| r.criterion)
            .ok_or_else(|| Error::UnknownName {
                field: "criterion",
                value: name.to_owned().into(),
                expected: "fever, leukopenia, thrombocytopenia, autoimmune_hemolysis, delirium, psychosis, seizure, non_scarring_alopecia, oral_ulcers, subacute_cutaneous_or_discoid_lupus, acute_cutaneous_lupus, pleural_or_pericardial_effusion, acute_pericarditis, joint_involvement, proteinuria, renal_biopsy_class_ii_or_v, renal_biopsy_class_iii_or_iv, antiphospholipid_antibodies, low_c3_or_low_c4, low_c3_and_low_c4, anti_dsdna_or_anti_smith",
            })
    }
}

impl fmt::Display for ClassificationCriterion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for ClassificationCriterion {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        ClassificationCriterion::from_id(s)
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

serde_as_id!(
    ClassificationCriterion,
    "a 2019 EULAR/ACR criterion identifier"
);

/// A set of criteria, stored as a 21-bit mask (bit `i` is
/// `ClassificationCriterion::ALL[i]`). Iterates in publication order. Serializes as an
/// array of identifiers.
///
/// # Example
///
/// ```
/// use sledai::classification::{ClassificationCriterion, CriterionSet};
///
/// let set: CriterionSet = [ClassificationCriterion::Thrombocytopenia, ClassificationCriterion::Leukopenia].into_iter().collect();
/// assert_eq!(set.len(), 2);
/// // Only the highest-weighted criterion of a domain counts: 4, not 3 + 4.
/// assert_eq!(set.points(), 4);
/// assert!(set.has_clinical());
/// assert_eq!(set.to_string(), "leukopenia, thrombocytopenia");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct CriterionSet(pub(super) u32);

bit_set_api! {
    CriterionSet, ClassificationCriterion, full = ALL_BITS,
    path = "sledai::classification::CriterionSet", elem_path = "sledai::classification::ClassificationCriterion",
    a = Fever, b = Leukopenia, noun = "criteria"
}

impl CriterionSet {
    /// The set whose mask is `bits`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidMask`] when a bit above bit 20 is set.
    ///
    /// ```
    /// use sledai::classification::{ClassificationCriterion, CriterionSet};
    /// let set = CriterionSet::from_bits(0b11)?;
    /// assert!(set.contains(ClassificationCriterion::Leukopenia));
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

    /// The total of the set as if every member were present and counted:
    /// per domain, the points of its highest-weighted member; summed over
    /// the ten domains. 0 to 51.
    ///
    /// ```
    /// use sledai::classification::{ClassificationCriterion, CriterionSet};
    /// let s: CriterionSet = [ClassificationCriterion::LowC3OrLowC4, ClassificationCriterion::LowC3AndLowC4, ClassificationCriterion::AntiDsdnaOrAntiSmith]
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
    /// use sledai::classification::{ClassificationCriterion, CriterionSet};
    /// assert!(!CriterionSet::EMPTY.with(ClassificationCriterion::AntiDsdnaOrAntiSmith).has_clinical());
    /// assert!(CriterionSet::EMPTY.with(ClassificationCriterion::OralUlcers).has_clinical());
    /// ```
    pub const fn has_clinical(self) -> bool {
        self.0 & CLINICAL_BITS != 0
    }

    /// The highest-weighted criterion of the set within `domain` (the first
    /// in publication order on a tie), the one that counts.
    pub(super) fn counted(self, domain: Domain) -> Option<ClassificationCriterion> {
        let mut best: Option<ClassificationCriterion> = None;
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
            ClassificationCriterion::bit,
            repeated,
        )
        .map(CriterionSet)
    }
}

pub(super) fn repeated(c: ClassificationCriterion) -> Error {
    Error::InvalidValue {
        field: "criteria",
        value: c.id().to_owned().into(),
        reason: "criterion is given more than once".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_in_enum_order() {
        for (i, row) in TABLE.iter().enumerate() {
            assert_eq!(row.criterion as usize, i);
            assert_eq!(ClassificationCriterion::ALL[i], row.criterion);
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
        assert_eq!(
            ClassificationCriterion::Fever.threshold(),
            Some("> 38.3 °C")
        );
        assert_eq!(
            ClassificationCriterion::Leukopenia.threshold(),
            Some("< 4.0 x 10^9/L")
        );
        assert_eq!(
            ClassificationCriterion::Thrombocytopenia.threshold(),
            Some("< 100 x 10^9/L")
        );
        assert_eq!(
            ClassificationCriterion::Proteinuria.threshold(),
            Some("> 0.5 g/24 h")
        );
    }
}
