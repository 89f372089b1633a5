//! The 24 SLEDAI-2K descriptors, their organ systems and their weights.
//!
//! This module owns the single table ([`Descriptor::ALL`] in form order, each
//! row holding identifier, display name, weight, organ system, definition,
//! threshold and citation) from which everything else in the crate derives:
//! scoring, names, serde, documentation and the bindings.
//!
//! Source: Gladman DD, Ibañez D, Urowitz MB. *Systemic lupus erythematosus
//! disease activity index 2000.* J Rheumatol 2002;29:288-91 (SLEDAI-2K), whose
//! descriptors and weights are those of Bombardier C et al. *Derivation of the
//! SLEDAI.* Arthritis Rheum 1992;35:630-40. The project's transcription is
//! `docs/reference.md` section 1.2.
//!
//! It also owns [`DescriptorSet`], a copyable set of descriptors stored as
//! the 24-bit mask described in [`crate::assessment`].

use std::fmt;
use std::str::FromStr;

use crate::bitset::{bit_set_api, deserialize_seq};
use crate::error::{Error, nearest};
use crate::vocabulary::vocabulary;

/// The citation shared by every row of the table.
const GLADMAN_2002: &str =
    "Gladman DD, Ibañez D, Urowitz MB. J Rheumatol 2002;29:288-91, SLEDAI-2K form";

vocabulary! {
/// An organ system of the SLEDAI-2K form.
///
/// The nine systems group the 24 descriptors as the form does
/// (`docs/reference.md` section 1.2).
///
/// # Example
///
/// ```
/// use sledai::{Descriptor, OrganSystem};
///
/// assert_eq!(Descriptor::Pyuria.organ_system(), OrganSystem::Renal);
/// assert_eq!("renal".parse::<OrganSystem>()?, OrganSystem::Renal);
/// assert_eq!(OrganSystem::Renal.descriptors().len(), 4);
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(PartialOrd, Ord)]
pub enum OrganSystem, field = "organ_system", path = "sledai::OrganSystem" {
    /// Central nervous system (descriptors 1-7).
    Cns = "cns",
    /// Vasculitis (descriptor 8).
    Vascular = "vascular",
    /// Arthritis and myositis (descriptors 9-10).
    Musculoskeletal = "musculoskeletal",
    /// Urinary casts, haematuria, proteinuria, pyuria (descriptors 11-14).
    Renal = "renal",
    /// Rash, alopecia, mucosal ulcers (descriptors 15-17).
    Mucocutaneous = "mucocutaneous",
    /// Pleurisy and pericarditis (descriptors 18-19).
    Serosal = "serosal",
    /// Low complement and increased DNA binding (descriptors 20-21).
    Immunologic = "immunologic",
    /// Fever (descriptor 22).
    Constitutional = "constitutional",
    /// Thrombocytopenia and leukopenia (descriptors 23-24).
    Hematologic = "hematologic",
}
}

impl OrganSystem {
    /// A human-readable name.
    ///
    /// ```
    /// use sledai::OrganSystem;
    /// assert_eq!(OrganSystem::Cns.name(), "Central nervous system");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            OrganSystem::Cns => "Central nervous system",
            OrganSystem::Vascular => "Vascular",
            OrganSystem::Musculoskeletal => "Musculoskeletal",
            OrganSystem::Renal => "Renal",
            OrganSystem::Mucocutaneous => "Mucocutaneous",
            OrganSystem::Serosal => "Serosal",
            OrganSystem::Immunologic => "Immunologic",
            OrganSystem::Constitutional => "Constitutional",
            OrganSystem::Hematologic => "Hematologic",
        }
    }

    /// The descriptors of this system, derived from the descriptor table.
    ///
    /// ```
    /// use sledai::{Descriptor, OrganSystem};
    /// let serosal: Vec<_> = OrganSystem::Serosal.descriptors().iter().collect();
    /// assert_eq!(serosal, [Descriptor::Pleurisy, Descriptor::Pericarditis]);
    /// ```
    pub fn descriptors(self) -> DescriptorSet {
        Descriptor::ALL
            .iter()
            .copied()
            .filter(|d| d.organ_system() == self)
            .collect()
    }
}

/// One of the 24 SLEDAI-2K descriptors, in form order.
///
/// The enum is exhaustive on purpose: the SLEDAI-2K form is a closed,
/// published instrument. Every property is read from one table; see the
/// methods below and `docs/definitions.md`.
///
/// The discriminant is the zero-based form position, which is also the bit
/// of the descriptor in the 24-bit masks of [`crate::assessment`].
///
/// # Example
///
/// ```
/// use sledai::{Descriptor, OrganSystem};
///
/// let d: Descriptor = "proteinuria".parse()?;
/// assert_eq!(d, Descriptor::Proteinuria);
/// assert_eq!(d.weight(), 4);
/// assert_eq!(d.organ_system(), OrganSystem::Renal);
/// assert_eq!(d.position(), 13);
/// assert_eq!(d.threshold(), Some("> 0.5 g/24 h"));
/// assert_eq!(d.to_string(), "proteinuria");
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(test, derive(strum::EnumIter, strum::IntoStaticStr))]
#[cfg_attr(test, strum(serialize_all = "snake_case"))]
#[repr(u8)]
pub enum Descriptor {
    /// 1. Seizure of recent onset (weight 8).
    Seizure,
    /// 2. Psychosis (weight 8).
    Psychosis,
    /// 3. Organic brain syndrome (weight 8).
    OrganicBrainSyndrome,
    /// 4. Visual disturbance: retinal changes of SLE (weight 8).
    VisualDisturbance,
    /// 5. Cranial nerve disorder (weight 8).
    CranialNerveDisorder,
    /// 6. Lupus headache (weight 8).
    LupusHeadache,
    /// 7. Cerebrovascular accident (weight 8).
    Cva,
    /// 8. Vasculitis (weight 8).
    Vasculitis,
    /// 9. Arthritis (weight 4).
    Arthritis,
    /// 10. Myositis (weight 4).
    Myositis,
    /// 11. Urinary casts (weight 4).
    UrinaryCasts,
    /// 12. Haematuria (weight 4).
    Hematuria,
    /// 13. Proteinuria (weight 4).
    Proteinuria,
    /// 14. Pyuria (weight 4).
    Pyuria,
    /// 15. Rash (weight 2).
    Rash,
    /// 16. Alopecia (weight 2).
    Alopecia,
    /// 17. Mucosal ulcers (weight 2).
    MucosalUlcers,
    /// 18. Pleurisy (weight 2).
    Pleurisy,
    /// 19. Pericarditis (weight 2).
    Pericarditis,
    /// 20. Low complement (weight 2).
    LowComplement,
    /// 21. Increased DNA binding (weight 2).
    IncreasedDnaBinding,
    /// 22. Fever (weight 1).
    Fever,
    /// 23. Thrombocytopenia (weight 1).
    Thrombocytopenia,
    /// 24. Leukopenia (weight 1).
    Leukopenia,
}

/// One row of the descriptor table.
struct Row {
    descriptor: Descriptor,
    id: &'static str,
    name: &'static str,
    weight: u8,
    system: OrganSystem,
    definition: &'static str,
    threshold: Option<&'static str>,
    exclusions: Option<&'static str>,
}

macro_rules! row {
    ($d:ident, $id:literal, $name:literal, $w:literal, $sys:ident, $def:literal, $thr:expr, $exc:expr $(,)?) => {
        Row {
            descriptor: Descriptor::$d,
            id: $id,
            name: $name,
            weight: $w,
            system: OrganSystem::$sys,
            definition: $def,
            threshold: $thr,
            exclusions: $exc,
        }
    };
}

/// The SLEDAI-2K form (Gladman 2002; `docs/reference.md` section 1.2), in form
/// order. This is the only place weights, systems and definitions are written.
static TABLE: [Row; 24] = [
    row!(
        Seizure,
        "seizure",
        "Seizure",
        8,
        Cns,
        "Seizure of recent onset.",
        None,
        Some("metabolic, infectious or drug causes")
    ),
    row!(
        Psychosis,
        "psychosis",
        "Psychosis",
        8,
        Cns,
        "Severe disturbance in perception of reality impairing normal function: hallucinations, incoherence, marked loose associations, impoverished thought content, marked illogical thinking, bizarre, disorganised or catatonic behaviour.",
        None,
        Some("uraemia, drugs")
    ),
    row!(
        OrganicBrainSyndrome,
        "organic_brain_syndrome",
        "Organic brain syndrome",
        8,
        Cns,
        "Altered mental function (orientation, memory, other intellectual function) of rapid onset and fluctuating course: clouding of consciousness with reduced focus and inability to sustain attention, plus at least 2 of perceptual disturbance, incoherent speech, insomnia or daytime drowsiness, increased or decreased psychomotor activity.",
        None,
        Some("metabolic, infectious or drug causes")
    ),
    row!(
        VisualDisturbance,
        "visual_disturbance",
        "Visual disturbance",
        8,
        Cns,
        "Retinal changes of SLE: cytoid bodies, retinal haemorrhages, serous exudate or haemorrhage in the choroid, optic neuritis.",
        None,
        Some("hypertension, infection, drugs")
    ),
    row!(
        CranialNerveDisorder,
        "cranial_nerve_disorder",
        "Cranial nerve disorder",
        8,
        Cns,
        "New onset sensory or motor neuropathy of cranial nerves.",
        None,
        None
    ),
    row!(
        LupusHeadache,
        "lupus_headache",
        "Lupus headache",
        8,
        Cns,
        "Severe persistent headache, may be migrainous, unresponsive to narcotic analgesia.",
        None,
        None
    ),
    row!(
        Cva,
        "cva",
        "Cerebrovascular accident",
        8,
        Cns,
        "New onset cerebrovascular accident(s).",
        None,
        Some("arteriosclerosis")
    ),
    row!(
        Vasculitis,
        "vasculitis",
        "Vasculitis",
        8,
        Vascular,
        "Ulceration, gangrene, tender finger nodules, periungual infarction, splinter haemorrhages, or biopsy or angiogram proof of vasculitis.",
        None,
        None
    ),
    row!(
        Arthritis,
        "arthritis",
        "Arthritis",
        4,
        Musculoskeletal,
        "At least 2 joints with pain and signs of inflammation (tenderness, swelling or effusion).",
        Some(">= 2 joints"),
        None
    ),
    row!(
        Myositis,
        "myositis",
        "Myositis",
        4,
        Musculoskeletal,
        "Proximal muscle aching or weakness with raised creatine phosphokinase or aldolase, or electromyogram changes, or a biopsy showing myositis.",
        None,
        None
    ),
    row!(
        UrinaryCasts,
        "urinary_casts",
        "Urinary casts",
        4,
        Renal,
        "Heme-granular or red blood cell casts.",
        Some("> 0 casts"),
        None
    ),
    row!(
        Hematuria,
        "hematuria",
        "Haematuria",
        4,
        Renal,
        "More than 5 red blood cells per high-power field.",
        Some("> 5 RBC/hpf"),
        Some("stone, infection or other cause")
    ),
    row!(
        Proteinuria,
        "proteinuria",
        "Proteinuria",
        4,
        Renal,
        "Urine protein above 0.5 g/24 h; persistent proteinuria counts.",
        Some("> 0.5 g/24 h"),
        None
    ),
    row!(
        Pyuria,
        "pyuria",
        "Pyuria",
        4,
        Renal,
        "More than 5 white blood cells per high-power field.",
        Some("> 5 WBC/hpf"),
        Some("infection")
    ),
    row!(
        Rash,
        "rash",
        "Rash",
        2,
        Mucocutaneous,
        "Inflammatory-type rash, new, recurrent or persistent.",
        None,
        None
    ),
    row!(
        Alopecia,
        "alopecia",
        "Alopecia",
        2,
        Mucocutaneous,
        "Abnormal patchy or diffuse loss of hair, new, recurrent or persistent.",
        None,
        Some("scarring alopecia (damage)")
    ),
    row!(
        MucosalUlcers,
        "mucosal_ulcers",
        "Mucosal ulcers",
        2,
        Mucocutaneous,
        "Oral or nasal ulceration, new, recurrent or persistent.",
        None,
        None
    ),
    row!(
        Pleurisy,
        "pleurisy",
        "Pleurisy",
        2,
        Serosal,
        "Pleuritic chest pain with pleural rub or effusion, or pleural thickening.",
        None,
        None
    ),
    row!(
        Pericarditis,
        "pericarditis",
        "Pericarditis",
        2,
        Serosal,
        "Pericardial pain with at least 1 of rub, effusion, or electrocardiogram or echocardiogram confirmation.",
        None,
        None
    ),
    row!(
        LowComplement,
        "low_complement",
        "Low complement",
        2,
        Immunologic,
        "CH50, C3 or C4 below the testing laboratory's lower limit of normal; counts once however many are low.",
        Some("< lower limit of normal"),
        None
    ),
    row!(
        IncreasedDnaBinding,
        "increased_dna_binding",
        "Increased DNA binding",
        2,
        Immunologic,
        "Anti-dsDNA antibody above the testing laboratory's normal range.",
        Some("> upper limit of normal"),
        None
    ),
    row!(
        Fever,
        "fever",
        "Fever",
        1,
        Constitutional,
        "Temperature above 38 °C.",
        Some("> 38.0 °C"),
        Some("infection")
    ),
    row!(
        Thrombocytopenia,
        "thrombocytopenia",
        "Thrombocytopenia",
        1,
        Hematologic,
        "Platelets below 100 x 10^9/L (100,000/mm³).",
        Some("< 100 x 10^9/L"),
        Some("drugs")
    ),
    row!(
        Leukopenia,
        "leukopenia",
        "Leukopenia",
        1,
        Hematologic,
        "White blood cells below 3 x 10^9/L (3,000/mm³).",
        Some("< 3.0 x 10^9/L"),
        Some("drugs")
    ),
];

impl Descriptor {
    /// All 24 descriptors in form order.
    ///
    /// ```
    /// use sledai::Descriptor;
    /// assert_eq!(Descriptor::ALL.len(), 24);
    /// assert_eq!(Descriptor::ALL[23], Descriptor::Leukopenia);
    /// let total: u32 = Descriptor::ALL.iter().map(|d| u32::from(d.weight())).sum();
    /// assert_eq!(total, 105);
    /// ```
    pub const ALL: [Descriptor; 24] = [
        Descriptor::Seizure,
        Descriptor::Psychosis,
        Descriptor::OrganicBrainSyndrome,
        Descriptor::VisualDisturbance,
        Descriptor::CranialNerveDisorder,
        Descriptor::LupusHeadache,
        Descriptor::Cva,
        Descriptor::Vasculitis,
        Descriptor::Arthritis,
        Descriptor::Myositis,
        Descriptor::UrinaryCasts,
        Descriptor::Hematuria,
        Descriptor::Proteinuria,
        Descriptor::Pyuria,
        Descriptor::Rash,
        Descriptor::Alopecia,
        Descriptor::MucosalUlcers,
        Descriptor::Pleurisy,
        Descriptor::Pericarditis,
        Descriptor::LowComplement,
        Descriptor::IncreasedDnaBinding,
        Descriptor::Fever,
        Descriptor::Thrombocytopenia,
        Descriptor::Leukopenia,
    ];

    /// The citation for every weight, definition and threshold of the table.
    ///
    /// ```
    /// use sledai::Descriptor;
    /// assert!(Descriptor::CITATION.contains("J Rheumatol 2002"));
    /// ```
    pub const CITATION: &'static str = GLADMAN_2002;

    const fn row(self) -> &'static Row {
        &TABLE[self as usize]
    }

    /// The stable snake_case identifier (`"seizure"` ... `"leukopenia"`),
    /// used by serde, `FromStr`, `Display`, the CLI and the Python package.
    ///
    /// ```
    /// use sledai::Descriptor;
    /// assert_eq!(Descriptor::IncreasedDnaBinding.id(), "increased_dna_binding");
    /// ```
    pub const fn id(self) -> &'static str {
        self.row().id
    }

    /// The display name as printed on the form.
    ///
    /// ```
    /// use sledai::Descriptor;
    /// assert_eq!(Descriptor::Cva.name(), "Cerebrovascular accident");
    /// ```
    pub const fn name(self) -> &'static str {
        self.row().name
    }

    /// The SLEDAI-2K weight: 8, 4, 2 or 1.
    ///
    /// ```
    /// use sledai::Descriptor;
    /// assert_eq!(Descriptor::Vasculitis.weight(), 8);
    /// assert_eq!(Descriptor::Pyuria.weight(), 4);
    /// assert_eq!(Descriptor::Fever.weight(), 1);
    /// ```
    pub const fn weight(self) -> u8 {
        self.row().weight
    }

    /// The organ system the descriptor belongs to.
    ///
    /// ```
    /// use sledai::{Descriptor, OrganSystem};
    /// assert_eq!(Descriptor::Fever.organ_system(), OrganSystem::Constitutional);
    /// ```
    pub const fn organ_system(self) -> OrganSystem {
        self.row().system
    }

    /// The one-based position on the form (1 = seizure, 24 = leukopenia).
    ///
    /// ```
    /// use sledai::Descriptor;
    /// assert_eq!(Descriptor::Seizure.position(), 1);
    /// assert_eq!(Descriptor::Leukopenia.position(), 24);
    /// ```
    pub const fn position(self) -> u8 {
        self as u8 + 1
    }

    /// The descriptor at a one-based form position, if there is one.
    ///
    /// ```
    /// use sledai::Descriptor;
    /// assert_eq!(Descriptor::from_position(13), Some(Descriptor::Proteinuria));
    /// assert_eq!(Descriptor::from_position(0), None);
    /// assert_eq!(Descriptor::from_position(25), None);
    /// ```
    pub const fn from_position(position: u8) -> Option<Descriptor> {
        if position >= 1 && position <= 24 {
            Some(Descriptor::ALL[(position - 1) as usize])
        } else {
            None
        }
    }

    /// A one-line paraphrase of the published definition.
    ///
    /// ```
    /// use sledai::Descriptor;
    /// assert!(Descriptor::Hematuria.definition().contains("5 red blood cells"));
    /// ```
    pub const fn definition(self) -> &'static str {
        self.row().definition
    }

    /// The numeric threshold, for the descriptors whose definition has one.
    /// All numeric thresholds are strict.
    ///
    /// ```
    /// use sledai::Descriptor;
    /// assert_eq!(Descriptor::Fever.threshold(), Some("> 38.0 °C"));
    /// assert_eq!(Descriptor::Rash.threshold(), None);
    /// ```
    pub const fn threshold(self) -> Option<&'static str> {
        self.row().threshold
    }

    /// Causes that exclude the descriptor (it then does not score), as
    /// printed on the form.
    ///
    /// ```
    /// use sledai::Descriptor;
    /// assert_eq!(Descriptor::Pyuria.exclusions(), Some("infection"));
    /// ```
    pub const fn exclusions(self) -> Option<&'static str> {
        self.row().exclusions
    }

    /// Whether the descriptor is one of the two serology descriptors
    /// (low complement, increased DNA binding), which clinical SLEDAI leaves
    /// out (`docs/reference.md` section 1.4).
    ///
    /// ```
    /// use sledai::Descriptor;
    /// assert!(Descriptor::LowComplement.is_serology());
    /// assert!(!Descriptor::Proteinuria.is_serology());
    /// ```
    pub const fn is_serology(self) -> bool {
        matches!(self.row().system, OrganSystem::Immunologic)
    }

    /// The descriptor's bit in the 24-bit masks: `1 << (position - 1)`.
    ///
    /// ```
    /// use sledai::Descriptor;
    /// assert_eq!(Descriptor::Seizure.bit(), 1);
    /// assert_eq!(Descriptor::Leukopenia.bit(), 1 << 23);
    /// ```
    pub const fn bit(self) -> u32 {
        1 << (self as u32)
    }

    /// Parses an identifier; the same as `str::parse`.
    ///
    /// # Errors
    ///
    /// [`Error::UnknownDescriptor`] when `name` is not one of the 24
    /// identifiers, with the nearest identifier as a suggestion when close.
    ///
    /// ```
    /// use sledai::Descriptor;
    /// assert_eq!(Descriptor::from_id("fever")?, Descriptor::Fever);
    /// assert!(Descriptor::from_id("Fever").is_err());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn from_id(name: &str) -> Result<Descriptor, Error> {
        TABLE
            .iter()
            .find(|r| r.id == name)
            .map(|r| r.descriptor)
            .ok_or_else(|| Error::UnknownDescriptor {
                name: name.to_owned().into(),
                suggestion: nearest(name, TABLE.iter().map(|r| r.id)),
            })
    }
}

impl fmt::Display for Descriptor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for Descriptor {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        Descriptor::from_id(s)
    }
}

impl serde::Serialize for Descriptor {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

impl<'de> serde::Deserialize<'de> for Descriptor {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Descriptor;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a SLEDAI-2K descriptor identifier")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Descriptor, E> {
                Descriptor::from_id(v).map_err(E::custom)
            }
        }
        d.deserialize_str(V)
    }
}

/// A set of descriptors, stored as a 24-bit mask (bit `i` is the descriptor
/// at form position `i + 1`). Iterates in form order.
///
/// # Example
///
/// ```
/// use sledai::{Descriptor, DescriptorSet};
///
/// let set: DescriptorSet = [Descriptor::Rash, Descriptor::Arthritis].into_iter().collect();
/// assert_eq!(set.len(), 2);
/// assert!(set.contains(Descriptor::Rash));
/// // Iteration is in form order, whatever the insertion order.
/// assert_eq!(set.iter().collect::<Vec<_>>(), [Descriptor::Arthritis, Descriptor::Rash]);
/// assert_eq!(set.to_string(), "arthritis, rash");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct DescriptorSet(u32);

bit_set_api! {
    DescriptorSet, Descriptor, full = DescriptorSet::FULL_MASK,
    path = "sledai::DescriptorSet", elem_path = "sledai::Descriptor",
    a = Arthritis, b = Rash, noun = "descriptors"
}

impl DescriptorSet {
    /// The mask with all 24 descriptor bits set.
    pub(crate) const FULL_MASK: u32 = (1 << 24) - 1;

    /// The set whose mask is `bits`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidMask`] when a bit above bit 23 is set.
    ///
    /// ```
    /// use sledai::{Descriptor, DescriptorSet};
    /// let set = DescriptorSet::from_bits(0b11)?;
    /// assert!(set.contains(Descriptor::Psychosis));
    /// assert!(DescriptorSet::from_bits(1 << 24).is_err());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn from_bits(bits: u32) -> Result<DescriptorSet, Error> {
        if bits & !Self::FULL_MASK != 0 {
            return Err(Error::InvalidMask {
                field: "mask",
                value: bits,
                reason: "bits above bit 23 are set",
            });
        }
        Ok(DescriptorSet(bits))
    }

    /// The set of the descriptors of an assessment given one by one (a
    /// list of present identifiers): each at most once.
    ///
    /// # Errors
    ///
    /// [`Error::DuplicateDescriptor`] for the first descriptor given a
    /// second time (the rule of the `present` array of the JSON format).
    ///
    /// ```
    /// use sledai::{Descriptor, DescriptorSet};
    /// let set = DescriptorSet::from_distinct([Descriptor::Rash, Descriptor::Fever])?;
    /// assert_eq!(set.len(), 2);
    /// let err = DescriptorSet::from_distinct([Descriptor::Rash, Descriptor::Rash]).unwrap_err();
    /// assert_eq!(err.to_string(), "descriptor `rash` is given more than once");
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn from_distinct<I: IntoIterator<Item = Descriptor>>(
        descriptors: I,
    ) -> Result<DescriptorSet, Error> {
        let mut set = DescriptorSet::EMPTY;
        for d in descriptors {
            if set.contains(d) {
                return Err(Error::DuplicateDescriptor { descriptor: d.id() });
            }
            set = set.with(d);
        }
        Ok(set)
    }

    pub(crate) const fn from_bits_truncate(bits: u32) -> DescriptorSet {
        DescriptorSet(bits & Self::FULL_MASK)
    }

    /// The sum of the weights of the descriptors in the set.
    ///
    /// ```
    /// use sledai::{DescriptorSet, OrganSystem};
    /// assert_eq!(DescriptorSet::FULL.weight(), 105);
    /// assert_eq!(OrganSystem::Renal.descriptors().weight(), 16);
    /// ```
    pub const fn weight(self) -> u8 {
        crate::score::weighted_sum(self.0)
    }
}

impl serde::Serialize for DescriptorSet {
    /// Serializes as an array of identifiers in form order.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de> serde::Deserialize<'de> for DescriptorSet {
    /// Deserializes from an array of identifiers; a repeated identifier is
    /// an error.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        deserialize_seq(
            d,
            "an array of SLEDAI-2K descriptor identifiers",
            Descriptor::bit,
            |d| Error::DuplicateDescriptor { descriptor: d.id() },
        )
        .map(DescriptorSet)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table rows are in the order of the enum, and the identifiers are
    /// the snake_case of the variant names (checked against strum's
    /// independent derivation).
    #[test]
    fn table_matches_enum_and_strum() {
        use strum::IntoEnumIterator;
        let strum_order: Vec<Descriptor> = Descriptor::iter().collect();
        assert_eq!(strum_order, Descriptor::ALL);
        for (i, row) in TABLE.iter().enumerate() {
            assert_eq!(row.descriptor as usize, i);
            let strum_id: &'static str = row.descriptor.into();
            assert_eq!(row.id, strum_id);
        }
    }

    #[test]
    fn organ_systems_partition_the_form() {
        let mut union = DescriptorSet::EMPTY;
        for s in OrganSystem::ALL {
            assert!(union.intersection(s.descriptors()).is_empty());
            union = union.union(s.descriptors());
        }
        assert_eq!(union, DescriptorSet::FULL);
    }
}
