//! One SLEDAI-2K assessment: each descriptor present, absent or not assessed.
//!
//! This module owns [`Assessment`] and [`Finding`]. An assessment is complete
//! when every descriptor is present or absent; only then does it have a
//! total. An incomplete assessment never pretends: it reports the range its
//! total can still take and the descriptors that are missing. A descriptor
//! that was not assessed is never counted as absent (`docs/reference.md`
//! sections 1.1 and 8).
//!
//! # Compact representation
//!
//! An assessment is two 24-bit masks in two `u32`s (8 bytes): `present` and
//! `not_assessed`. Bit `i` is the descriptor at form position `i + 1`
//! (bit 0 seizure ... bit 23 leukopenia, see [`Descriptor::bit`]); a bit
//! set in neither mask is absent; no bit may be set in both, and bits 24-31
//! are always zero. A *complete* assessment has `not_assessed == 0`, so the
//! `present` mask alone, one `u32`, carries it: that is the bulk format of
//! [`crate::score_masks`].
//!
//! # Serde format
//!
//! A complete assessment serializes as `{"present": ["arthritis", ...]}`
//! (identifiers in form order). An incomplete one serializes as
//! `{"descriptors": {"arthritis": true, "rash": false}}`, listing every
//! assessed descriptor; a descriptor missing from the object, or given as
//! `null`, is not assessed. Both shapes deserialize; unknown keys, unknown
//! identifiers, repeated identifiers and an object with both or neither key
//! are errors. The round trip is lossless.
//!
//! ```
//! use sledai::{Assessment, Descriptor};
//!
//! let a: Assessment = serde_json::from_str(r#"{"descriptors": {"arthritis": true, "rash": null}}"#)?;
//! assert_eq!(a.present().iter().collect::<Vec<_>>(), [Descriptor::Arthritis]);
//! assert_eq!(a.missing().len(), 23);
//! assert_eq!(serde_json::to_string(&a)?, r#"{"descriptors":{"arthritis":true}}"#);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use crate::descriptor::{Descriptor, DescriptorSet, OrganSystem};
use crate::error::Error;
use crate::score::{DESCRIPTOR_BITS, SEROLOGY_BITS, Score, ScoreRange};
use crate::vocabulary::vocabulary;

vocabulary! {
/// The state of one descriptor in an assessment.
///
/// ```
/// use sledai::{Assessment, Descriptor, Finding};
/// let a = Assessment::from_present([Descriptor::Rash]);
/// assert_eq!(a.get(Descriptor::Rash), Finding::Present);
/// assert_eq!(a.get(Descriptor::Fever), Finding::Absent);
/// assert_eq!(Assessment::not_assessed().get(Descriptor::Fever), Finding::NotAssessed);
/// ```
pub enum Finding, field = "finding", path = "sledai::Finding" {
    /// Present at the visit or within the scoring window, attributed to lupus.
    Present = "present",
    /// Assessed and not present.
    Absent = "absent",
    /// Not assessed: missing data, never counted as absent.
    NotAssessed = "not_assessed",
}
}

impl Finding {
    /// `Some(true)` for present, `Some(false)` for absent, `None` for not
    /// assessed: the JSON encoding of the `descriptors` object.
    ///
    /// ```
    /// use sledai::Finding;
    /// assert_eq!(Finding::NotAssessed.as_option(), None);
    /// ```
    pub const fn as_option(self) -> Option<bool> {
        match self {
            Finding::Present => Some(true),
            Finding::Absent => Some(false),
            Finding::NotAssessed => None,
        }
    }

    /// The inverse of [`Finding::as_option`].
    ///
    /// ```
    /// use sledai::Finding;
    /// assert_eq!(Finding::from_option(Some(true)), Finding::Present);
    /// ```
    pub const fn from_option(value: Option<bool>) -> Finding {
        match value {
            Some(true) => Finding::Present,
            Some(false) => Finding::Absent,
            None => Finding::NotAssessed,
        }
    }
}

/// A SLEDAI-2K assessment: each of the 24 descriptors present, absent or not
/// assessed. Eight bytes, `Copy`.
///
/// # Example
///
/// ```
/// use sledai::{Assessment, Descriptor, Finding, OrganSystem};
///
/// // A complete assessment: everything not listed is absent.
/// let a = Assessment::from_present([Descriptor::Proteinuria, Descriptor::LowComplement, Descriptor::Rash]);
/// assert_eq!(a.score()?.get(), 8);
/// assert_eq!(a.clinical_score()?.get(), 6);
/// assert_eq!(a.subtotal(OrganSystem::Renal).min().get(), 4);
///
/// // An incomplete one: the total is a range until everything is assessed.
/// let b = a.with(Descriptor::Fever, Finding::NotAssessed);
/// assert!(b.score().is_err());
/// assert_eq!(b.score_range().to_string(), "8 to 9");
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Assessment {
    present: u32,
    not_assessed: u32,
}

impl Assessment {
    /// A complete assessment in which exactly `present` are present and
    /// every other descriptor is absent. Repeats are harmless here.
    ///
    /// ```
    /// use sledai::{Assessment, Descriptor};
    /// let a = Assessment::from_present([Descriptor::Seizure]);
    /// assert!(a.is_complete());
    /// assert_eq!(a.score()?.get(), 8);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn from_present<I: IntoIterator<Item = Descriptor>>(present: I) -> Assessment {
        let set: DescriptorSet = present.into_iter().collect();
        Assessment {
            present: set.bits(),
            not_assessed: 0,
        }
    }

    /// An assessment in which nothing has been assessed yet; fill it in
    /// item by item with [`Assessment::with`] or [`Assessment::set`].
    ///
    /// ```
    /// use sledai::{Assessment, Descriptor, Finding};
    /// let a = Assessment::not_assessed().with(Descriptor::Rash, Finding::Absent);
    /// assert_eq!(a.missing().len(), 23);
    /// ```
    pub const fn not_assessed() -> Assessment {
        Assessment {
            present: 0,
            not_assessed: DESCRIPTOR_BITS,
        }
    }

    /// An assessment from its two sets.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidValue`] when a descriptor is in both sets.
    ///
    /// ```
    /// use sledai::{Assessment, Descriptor, DescriptorSet};
    /// let present = DescriptorSet::EMPTY.with(Descriptor::Rash);
    /// let a = Assessment::from_sets(present, DescriptorSet::EMPTY)?;
    /// assert!(a.is_complete());
    /// assert!(Assessment::from_sets(present, present).is_err());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn from_sets(
        present: DescriptorSet,
        not_assessed: DescriptorSet,
    ) -> Result<Assessment, Error> {
        let both = present.intersection(not_assessed);
        if !both.is_empty() {
            return Err(present_and_not_assessed(both));
        }
        Ok(Assessment {
            present: present.bits(),
            not_assessed: not_assessed.bits(),
        })
    }

    /// An assessment from its two masks (see the [module docs](self)).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidMask`] when a mask has a bit above bit 23;
    /// [`Error::InvalidValue`] (field `not_assessed`, naming the
    /// descriptors) when a bit is set in both, as [`Assessment::from_sets`].
    ///
    /// ```
    /// use sledai::{Assessment, Descriptor};
    /// let a = Assessment::from_masks(Descriptor::Rash.bit(), Descriptor::Fever.bit())?;
    /// assert_eq!(a.score_range().to_string(), "2 to 3");
    /// let err = Assessment::from_masks(1, 1).unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "not_assessed: invalid value `seizure`: a descriptor cannot be both present and not assessed",
    /// );
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[inline]
    pub fn from_masks(present: u32, not_assessed: u32) -> Result<Assessment, Error> {
        const REASON: &str = "bits above bit 23 are set";
        if present & !DESCRIPTOR_BITS != 0 {
            return Err(Error::InvalidMask {
                field: "present",
                value: present,
                reason: REASON,
            });
        }
        if not_assessed & !DESCRIPTOR_BITS != 0 {
            return Err(Error::InvalidMask {
                field: "not_assessed",
                value: not_assessed,
                reason: REASON,
            });
        }
        if present & not_assessed != 0 {
            return Err(present_and_not_assessed(DescriptorSet::from_bits_truncate(
                present & not_assessed,
            )));
        }
        Ok(Assessment {
            present,
            not_assessed,
        })
    }

    /// The assessment with `descriptor` set to `finding`.
    ///
    /// ```
    /// use sledai::{Assessment, Descriptor, Finding};
    /// let a = Assessment::from_present([]).with(Descriptor::Pyuria, Finding::Present);
    /// assert_eq!(a.score()?.get(), 4);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    #[inline]
    pub const fn with(mut self, descriptor: Descriptor, finding: Finding) -> Assessment {
        (self.present, self.not_assessed) =
            set_finding(self.present, self.not_assessed, descriptor.bit(), finding);
        self
    }

    /// Sets `descriptor` to `finding` in place.
    ///
    /// ```
    /// use sledai::{Assessment, Descriptor, Finding};
    /// let mut a = Assessment::not_assessed();
    /// for d in Descriptor::ALL {
    ///     a.set(d, Finding::Absent);
    /// }
    /// a.set(Descriptor::Alopecia, Finding::Present);
    /// assert_eq!(a.score()?.get(), 2);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn set(&mut self, descriptor: Descriptor, finding: Finding) {
        *self = self.with(descriptor, finding);
    }

    /// The finding recorded for `descriptor`.
    ///
    /// ```
    /// use sledai::{Assessment, Descriptor, Finding};
    /// assert_eq!(Assessment::from_present([]).get(Descriptor::Cva), Finding::Absent);
    /// ```
    #[inline]
    pub const fn get(self, descriptor: Descriptor) -> Finding {
        get_finding(self.present, self.not_assessed, descriptor.bit())
    }

    /// Each descriptor with its finding, in form order.
    ///
    /// ```
    /// use sledai::{Assessment, Finding};
    /// let a = Assessment::not_assessed();
    /// assert!(a.items().all(|(_, f)| f == Finding::NotAssessed));
    /// ```
    pub fn items(&self) -> impl Iterator<Item = (Descriptor, Finding)> + '_ {
        Descriptor::ALL.iter().map(move |&d| (d, self.get(d)))
    }

    /// The descriptors recorded present.
    ///
    /// ```
    /// use sledai::{Assessment, Descriptor};
    /// let a = Assessment::from_present([Descriptor::Fever]);
    /// assert_eq!(a.present().len(), 1);
    /// ```
    pub const fn present(self) -> DescriptorSet {
        DescriptorSet::from_bits_truncate(self.present)
    }

    /// The descriptors recorded absent.
    ///
    /// ```
    /// use sledai::{Assessment, Descriptor};
    /// assert_eq!(Assessment::from_present([Descriptor::Fever]).absent().len(), 23);
    /// ```
    pub const fn absent(self) -> DescriptorSet {
        DescriptorSet::from_bits_truncate(!(self.present | self.not_assessed))
    }

    /// The descriptors not assessed (missing data).
    ///
    /// ```
    /// use sledai::Assessment;
    /// assert_eq!(Assessment::not_assessed().missing().len(), 24);
    /// ```
    pub const fn missing(self) -> DescriptorSet {
        DescriptorSet::from_bits_truncate(self.not_assessed)
    }

    /// Whether every descriptor is present or absent.
    ///
    /// ```
    /// use sledai::Assessment;
    /// assert!(Assessment::from_present([]).is_complete());
    /// assert!(!Assessment::not_assessed().is_complete());
    /// ```
    pub const fn is_complete(self) -> bool {
        self.not_assessed == 0
    }

    /// The 24-bit mask of present descriptors.
    ///
    /// ```
    /// use sledai::{Assessment, Descriptor};
    /// assert_eq!(Assessment::from_present([Descriptor::Psychosis]).present_mask(), 0b10);
    /// ```
    pub const fn present_mask(self) -> u32 {
        self.present
    }

    /// The 24-bit mask of descriptors not assessed.
    ///
    /// ```
    /// use sledai::Assessment;
    /// assert_eq!(Assessment::not_assessed().not_assessed_mask(), (1 << 24) - 1);
    /// ```
    pub const fn not_assessed_mask(self) -> u32 {
        self.not_assessed
    }

    /// The SLEDAI-2K total (0-105) of a complete assessment.
    ///
    /// # Errors
    ///
    /// [`Error::IncompleteAssessment`], naming the missing descriptors and
    /// the range the total can still take, when anything is not assessed.
    ///
    /// ```
    /// use sledai::{Assessment, Descriptor};
    /// assert_eq!(Assessment::from_present(Descriptor::ALL).score()?.get(), 105);
    /// assert!(Assessment::not_assessed().score().is_err());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[inline]
    pub fn score(self) -> Result<Score, Error> {
        self.exact(DESCRIPTOR_BITS)
    }

    /// The clinical SLEDAI total (0-101): SLEDAI-2K without low complement
    /// and increased DNA binding (`docs/reference.md` section 1.4).
    ///
    /// # Errors
    ///
    /// [`Error::IncompleteAssessment`] when a non-serology descriptor is not
    /// assessed; a missing serology item does not matter here.
    ///
    /// ```
    /// use sledai::{Assessment, Descriptor, Finding};
    /// assert_eq!(Assessment::from_present(Descriptor::ALL).clinical_score()?.get(), 101);
    /// let a = Assessment::from_present([]).with(Descriptor::LowComplement, Finding::NotAssessed);
    /// assert_eq!(a.clinical_score()?.get(), 0);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[inline]
    pub fn clinical_score(self) -> Result<Score, Error> {
        self.exact(DESCRIPTOR_BITS & !SEROLOGY_BITS)
    }

    #[inline]
    fn exact(self, keep: u32) -> Result<Score, Error> {
        if self.not_assessed & keep == 0 {
            Ok(Score::from_valid_mask(self.present & keep))
        } else {
            let range = self.range(keep);
            Err(Error::IncompleteAssessment {
                missing: DescriptorSet::from_bits_truncate(self.not_assessed & keep)
                    .iter()
                    .map(Descriptor::id)
                    .collect(),
                min: range.min().get(),
                max: range.max().get(),
            })
        }
    }

    fn range(self, keep: u32) -> ScoreRange {
        ScoreRange::new(
            Score::from_valid_mask(self.present & keep),
            Score::from_valid_mask((self.present | self.not_assessed) & keep),
        )
    }

    /// The range of SLEDAI-2K totals the assessment can still take: from
    /// what is present to what it would be if every missing descriptor were
    /// present. Exact for a complete assessment.
    ///
    /// ```
    /// use sledai::Assessment;
    /// let r = Assessment::not_assessed().score_range();
    /// assert_eq!((r.min().get(), r.max().get()), (0, 105));
    /// ```
    #[inline]
    pub const fn score_range(self) -> ScoreRange {
        ScoreRange::new(
            Score::from_valid_mask(self.present),
            Score::from_valid_mask(self.present | self.not_assessed),
        )
    }

    /// The range of clinical SLEDAI totals the assessment can still take.
    ///
    /// ```
    /// use sledai::Assessment;
    /// assert_eq!(Assessment::not_assessed().clinical_score_range().max().get(), 101);
    /// ```
    pub fn clinical_score_range(self) -> ScoreRange {
        self.range(DESCRIPTOR_BITS & !SEROLOGY_BITS)
    }

    /// The subtotal of one organ system, as a range (exact when the
    /// system's descriptors are all assessed).
    ///
    /// ```
    /// use sledai::{Assessment, Descriptor, OrganSystem};
    /// let a = Assessment::from_present([Descriptor::Hematuria, Descriptor::Pyuria]);
    /// assert_eq!(a.subtotal(OrganSystem::Renal).max().get(), 8);
    /// ```
    pub fn subtotal(self, system: OrganSystem) -> ScoreRange {
        self.range(system.descriptors().bits())
    }

    /// The subtotals of all nine organ systems, in form order.
    ///
    /// ```
    /// use sledai::{Assessment, Descriptor, OrganSystem};
    /// let a = Assessment::from_present([Descriptor::Seizure, Descriptor::Fever]);
    /// let nonzero: Vec<_> = a.subtotals().filter(|(_, r)| r.max().get() > 0).collect();
    /// assert_eq!(nonzero.len(), 2);
    /// assert_eq!(nonzero[0].0, OrganSystem::Cns);
    /// ```
    pub fn subtotals(&self) -> impl Iterator<Item = (OrganSystem, ScoreRange)> + '_ {
        OrganSystem::ALL.iter().map(move |&s| (s, self.subtotal(s)))
    }

    /// The present descriptors with their weights, in form order.
    ///
    /// ```
    /// use sledai::{Assessment, Descriptor};
    /// let a = Assessment::from_present([Descriptor::Fever, Descriptor::Vasculitis]);
    /// let c: Vec<_> = a.contributions().collect();
    /// assert_eq!(c, [(Descriptor::Vasculitis, 8), (Descriptor::Fever, 1)]);
    /// ```
    pub fn contributions(&self) -> impl Iterator<Item = (Descriptor, u8)> {
        self.present().iter().map(|d| (d, d.weight()))
    }
}

impl fmt::Debug for Assessment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Assessment")
            .field("present", &self.present().to_string())
            .field("not_assessed", &self.missing().to_string())
            .finish()
    }
}

impl serde::Serialize for Assessment {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(1))?;
        if self.is_complete() {
            map.serialize_entry("present", &self.present())?;
        } else {
            map.serialize_entry("descriptors", &AssessedItems(self))?;
        }
        map.end()
    }
}

/// The `descriptors` object: every assessed descriptor -> bool.
struct AssessedItems<'a>(&'a Assessment);

impl serde::Serialize for AssessedItems<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(
            self.0
                .items()
                .filter_map(|(d, f)| f.as_option().map(|v| (d.id(), v))),
        )
    }
}

/// The `descriptors` object on input: identifier -> bool or null.
pub(crate) struct DescriptorsObject(pub(crate) Assessment);

impl<'de> serde::Deserialize<'de> for DescriptorsObject {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = DescriptorsObject;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of descriptor identifier -> true, false or null")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut a = Assessment::not_assessed();
                let mut seen = DescriptorSet::EMPTY;
                while let Some(d) = map.next_key::<Descriptor>()? {
                    if seen.contains(d) {
                        return Err(serde::de::Error::custom(Error::DuplicateDescriptor {
                            descriptor: d.id(),
                        }));
                    }
                    seen = seen.with(d);
                    let v: Option<bool> = map.next_value()?;
                    a.set(d, Finding::from_option(v));
                }
                Ok(DescriptorsObject(a))
            }
        }
        d.deserialize_map(V)
    }
}

impl<'de> serde::Deserialize<'de> for Assessment {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Assessment;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(r#"an assessment: {"present": [...]} or {"descriptors": {...}}"#)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Assessment, A::Error> {
                use serde::de::Error as _;
                let mut out: Option<Assessment> = None;
                while let Some(key) = map.next_key::<String>()? {
                    let a = match key.as_str() {
                        "present" => {
                            Assessment::from_present(map.next_value::<DescriptorSet>()?.iter())
                        }
                        "descriptors" => map.next_value::<DescriptorsObject>()?.0,
                        other => {
                            return Err(A::Error::unknown_field(
                                other,
                                &["present", "descriptors"],
                            ));
                        }
                    };
                    if out.is_some() {
                        return Err(A::Error::custom(
                            "an assessment takes exactly one of `present` and `descriptors`",
                        ));
                    }
                    out = Some(a);
                }
                out.ok_or_else(|| {
                    A::Error::custom("an assessment needs `present` or `descriptors`")
                })
            }
        }
        d.deserialize_map(V)
    }
}

/// The `(present, not_assessed)` mask pair with `bit` set to `finding`:
/// the three-state encoding of assessments and classification inputs.
pub(crate) const fn set_finding(
    present: u32,
    not_assessed: u32,
    bit: u32,
    finding: Finding,
) -> (u32, u32) {
    let (present, not_assessed) = (present & !bit, not_assessed & !bit);
    match finding {
        Finding::Present => (present | bit, not_assessed),
        Finding::Absent => (present, not_assessed),
        Finding::NotAssessed => (present, not_assessed | bit),
    }
}

/// The finding `bit` has in the `(present, not_assessed)` mask pair.
pub(crate) const fn get_finding(present: u32, not_assessed: u32, bit: u32) -> Finding {
    if present & bit != 0 {
        Finding::Present
    } else if not_assessed & bit != 0 {
        Finding::NotAssessed
    } else {
        Finding::Absent
    }
}

/// The one error of the invariant "present and not assessed at once",
/// whichever constructor found it.
#[cold]
fn present_and_not_assessed(both: DescriptorSet) -> Error {
    Error::InvalidValue {
        field: "not_assessed",
        value: both.to_string().into(),
        reason: "a descriptor cannot be both present and not assessed".into(),
    }
}
