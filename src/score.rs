//! SLEDAI-2K totals: the [`Score`] newtype, [`ScoreRange`], activity bands
//! and the bulk scoring kernel.
//!
//! A total is the sum of the weights of the present descriptors (Gladman
//! 2002; `docs/reference.md` section 1.1): 0 to 105 for SLEDAI-2K, 0 to 101
//! for clinical SLEDAI, which leaves out the two serology descriptors
//! (section 1.4).
//!
//! # The scoring kernel
//!
//! The weights are 8 for bits 0-7, 4 for bits 8-13, 2 for bits 14-20 and 1
//! for bits 21-23 of the mask. The kernel moves each weight group into its
//! own byte with three masks and two shifts, counts the bits of the four
//! bytes at once with the classic SWAR bit count, and multiplies by
//! `0x08040201`, which sums `8·c0 + 4·c1 + 2·c2 + c3` into the top byte. It
//! uses only shifts, masks, adds and one multiply, so it needs no POPCNT
//! instruction and the compiler vectorises it on the baseline x86-64 target
//! (see `docs/performance.md`).

use std::fmt;

use crate::error::Error;
use crate::vocabulary::vocabulary;

/// Bits 0-23: the 24 descriptors.
pub(crate) const DESCRIPTOR_BITS: u32 = (1 << 24) - 1;
/// Bits 19 and 20: low complement and increased DNA binding.
pub(crate) const SEROLOGY_BITS: u32 = (1 << 19) | (1 << 20);

/// Weighted sum of the descriptor bits of `mask` (bits above 23 are ignored).
#[inline(always)]
pub(crate) const fn weighted_sum(mask: u32) -> u8 {
    // Weight groups into bytes: w8 -> byte 0, w4 -> byte 1, w2 -> byte 2, w1 -> byte 3.
    let y = (mask & 0x3FFF) | ((mask & 0x1F_C000) << 2) | ((mask & 0xE0_0000) << 3);
    // Per-byte bit counts.
    let c = y - ((y >> 1) & 0x5555_5555);
    let c = (c & 0x3333_3333) + ((c >> 2) & 0x3333_3333);
    let c = (c + (c >> 4)) & 0x0F0F_0F0F;
    // 8·c0 + 4·c1 + 2·c2 + 1·c3 lands in the top byte; no lower byte carries.
    (c.wrapping_mul(0x0804_0201) >> 24) as u8
}

/// A SLEDAI-2K total: an integer from 0 to 105.
///
/// A `Score` cannot hold another value: [`Score::new`] validates, and the
/// crate's scoring functions only produce valid totals. Clinical SLEDAI
/// totals use the same type and never exceed 101.
///
/// # Example
///
/// ```
/// use sledai::{Assessment, Descriptor, Score};
///
/// let a = Assessment::from_present([Descriptor::Arthritis, Descriptor::LowComplement]);
/// let total: Score = a.score()?;
/// assert_eq!(total.get(), 6);
/// assert_eq!(Score::new(106).unwrap_err().to_string(),
///            "score: value 106 is out of range, expected 0 to 105");
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[repr(transparent)]
pub struct Score(u8);

impl Score {
    /// The lowest total, 0.
    ///
    /// ```
    /// assert_eq!(sledai::Score::ZERO.get(), 0);
    /// ```
    pub const ZERO: Score = Score(0);

    /// The highest SLEDAI-2K total, 105 (8x8 + 6x4 + 7x2 + 3x1).
    ///
    /// ```
    /// assert_eq!(sledai::Score::MAX.get(), 105);
    /// ```
    pub const MAX: Score = Score(105);

    /// The highest clinical SLEDAI total, 101 (serology excluded).
    ///
    /// ```
    /// assert_eq!(sledai::Score::CLINICAL_MAX.get(), 101);
    /// ```
    pub const CLINICAL_MAX: Score = Score(101);

    /// A total, validated to lie in 0..=105.
    ///
    /// # Errors
    ///
    /// [`Error::OutOfRange`] for a value above 105.
    ///
    /// ```
    /// use sledai::Score;
    /// assert_eq!(Score::new(10)?.get(), 10);
    /// assert!(Score::new(200).is_err());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn new(value: u8) -> Result<Score, Error> {
        if value > 105 {
            return Err(Error::OutOfRange {
                field: "score",
                value: value as f64,
                min: 0.0,
                max: 105.0,
            });
        }
        Ok(Score(value))
    }

    /// The total as an integer.
    ///
    /// ```
    /// assert_eq!(sledai::Score::MAX.get(), 105);
    /// ```
    pub const fn get(self) -> u8 {
        self.0
    }

    /// The total of a complete assessment given as a 24-bit present mask.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidMask`] when a bit above bit 23 is set.
    ///
    /// ```
    /// use sledai::{Descriptor, Score};
    /// let mask = Descriptor::Seizure.bit() | Descriptor::Fever.bit();
    /// assert_eq!(Score::from_mask(mask)?.get(), 9);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[inline]
    pub const fn from_mask(mask: u32) -> Result<Score, Error> {
        if mask & !DESCRIPTOR_BITS != 0 {
            return Err(Error::InvalidMask {
                field: "present",
                value: mask,
                reason: "bits above bit 23 are set",
            });
        }
        Ok(Score(weighted_sum(mask)))
    }

    #[inline]
    pub(crate) const fn from_valid_mask(mask: u32) -> Score {
        Score(weighted_sum(mask))
    }

    /// The activity band of this total under a named convention.
    ///
    /// Bands are a convention, not part of the SLEDAI-2K publication
    /// (`docs/reference.md` section 1.1); see [`BandScheme`].
    ///
    /// ```
    /// use sledai::{ActivityBand, BandScheme, Score};
    /// let s = Score::new(5)?;
    /// assert_eq!(s.band(BandScheme::FiveLevel), ActivityBand::Mild);
    /// assert_eq!(s.band(BandScheme::FourLevel), ActivityBand::Moderate);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn band(self, scheme: BandScheme) -> ActivityBand {
        let s = self.0;
        match scheme {
            BandScheme::FiveLevel => match s {
                0 => ActivityBand::NoActivity,
                1..=5 => ActivityBand::Mild,
                6..=10 => ActivityBand::Moderate,
                11..=19 => ActivityBand::High,
                _ => ActivityBand::VeryHigh,
            },
            BandScheme::FourLevel => match s {
                0 => ActivityBand::NoActivity,
                1..=4 => ActivityBand::Mild,
                5..=10 => ActivityBand::Moderate,
                _ => ActivityBand::High,
            },
        }
    }
}

impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl std::str::FromStr for Score {
    type Err = Error;

    /// Parses a whole SLEDAI-2K total, 0 to 105, as
    /// [`Display`](fmt::Display) writes it.
    ///
    /// ```
    /// use sledai::Score;
    /// assert_eq!("12".parse::<Score>()?, Score::new(12)?);
    /// assert_eq!(Score::MAX.to_string().parse::<Score>()?, Score::MAX);
    /// assert!("106".parse::<Score>().is_err());
    /// assert_eq!(
    ///     "4.5".parse::<Score>().unwrap_err().to_string(),
    ///     "score: invalid value `4.5`: expected a whole number from 0 to 105"
    /// );
    /// # Ok::<(), sledai::Error>(())
    /// ```
    fn from_str(s: &str) -> Result<Score, Error> {
        match s.parse::<u8>() {
            Ok(v) => Score::new(v),
            Err(_) => Err(Error::InvalidValue {
                field: "score",
                value: crate::error::shortened(s).into(),
                reason: "expected a whole number from 0 to 105".into(),
            }),
        }
    }
}

impl From<Score> for u8 {
    fn from(s: Score) -> u8 {
        s.0
    }
}

impl From<Score> for i32 {
    fn from(s: Score) -> i32 {
        i32::from(s.0)
    }
}

impl TryFrom<u8> for Score {
    type Error = Error;
    fn try_from(v: u8) -> Result<Score, Error> {
        Score::new(v)
    }
}

impl serde::Serialize for Score {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u8(self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Score {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = <u64 as serde::Deserialize>::deserialize(d)?;
        u8::try_from(v)
            .ok()
            .and_then(|v| Score::new(v).ok())
            .ok_or_else(|| {
                serde::de::Error::custom(Error::OutOfRange {
                    field: "score",
                    value: v as f64,
                    min: 0.0,
                    max: 105.0,
                })
            })
    }
}

/// The range of totals an assessment can still take: `min` counts only what
/// is present, `max` also counts every descriptor not assessed. For a
/// complete assessment `min == max`.
///
/// # Example
///
/// ```
/// use sledai::{Assessment, Descriptor, Finding};
///
/// let a = Assessment::not_assessed()
///     .with(Descriptor::Arthritis, Finding::Present)
///     .with(Descriptor::Proteinuria, Finding::NotAssessed);
/// let r = a.score_range();
/// assert_eq!((r.min().get(), r.max().get()), (4, 105));
/// assert!(!r.is_exact());
/// assert_eq!(r.to_string(), "4 to 105");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub struct ScoreRange {
    min: Score,
    max: Score,
}

impl ScoreRange {
    pub(crate) const fn new(min: Score, max: Score) -> ScoreRange {
        ScoreRange { min, max }
    }

    /// The lowest total any completion can reach.
    ///
    /// ```
    /// use sledai::Assessment;
    /// assert_eq!(Assessment::not_assessed().score_range().min().get(), 0);
    /// ```
    pub const fn min(self) -> Score {
        self.min
    }

    /// The highest total any completion can reach.
    ///
    /// ```
    /// use sledai::Assessment;
    /// assert_eq!(Assessment::not_assessed().score_range().max().get(), 105);
    /// ```
    pub const fn max(self) -> Score {
        self.max
    }

    /// Whether the range is a single total (the assessment is complete or
    /// every missing item has no bearing on the total).
    ///
    /// ```
    /// use sledai::Assessment;
    /// assert!(Assessment::from_present([]).score_range().is_exact());
    /// ```
    pub const fn is_exact(self) -> bool {
        self.min.0 == self.max.0
    }

    /// The total when the range is a single total, else `None`.
    ///
    /// ```
    /// use sledai::{Assessment, Descriptor};
    /// assert_eq!(Assessment::from_present([Descriptor::Rash]).score_range().exact().map(|s| s.get()), Some(2));
    /// assert_eq!(Assessment::not_assessed().score_range().exact(), None);
    /// ```
    #[must_use]
    pub const fn exact(self) -> Option<Score> {
        if self.is_exact() {
            Some(self.min)
        } else {
            None
        }
    }

    /// Whether `score` lies in the range.
    ///
    /// ```
    /// use sledai::{Assessment, Score};
    /// let r = Assessment::not_assessed().score_range();
    /// assert!(r.contains(Score::new(42)?));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn contains(self, score: Score) -> bool {
        self.min.0 <= score.0 && score.0 <= self.max.0
    }
}

impl fmt::Display for ScoreRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_exact() {
            write!(f, "{}", self.min)
        } else {
            write!(f, "{} to {}", self.min, self.max)
        }
    }
}

vocabulary! {
/// A named convention for grouping totals into activity bands.
///
/// Neither scheme is part of the SLEDAI-2K publication (Gladman 2002); both
/// are conventions seen in secondary sources (`docs/reference.md`
/// section 1.1, tagged \[S\]\[P\]). Name the scheme whenever you report a band.
///
/// ```
/// use sledai::{ActivityBand, BandScheme, Score};
/// assert_eq!(Score::new(20)?.band(BandScheme::FiveLevel), ActivityBand::VeryHigh);
/// assert_eq!(Score::new(20)?.band(BandScheme::FourLevel), ActivityBand::High);
/// # Ok::<(), sledai::Error>(())
/// ```
#[non_exhaustive]
pub enum BandScheme, field = "band_scheme", path = "sledai::BandScheme" {
    /// The most cited convention: 0 no activity, 1-5 mild, 6-10 moderate,
    /// 11-19 high, >= 20 very high.
    FiveLevel = "five_level",
    /// Another convention: 0 no activity, 1-4 mild, 5-10 moderate, > 10 high.
    FourLevel = "four_level",
}
}

vocabulary! {
/// An activity band; see [`BandScheme`] for the cut-offs of each convention.
///
/// ```
/// use sledai::{ActivityBand, BandScheme, Score};
/// assert_eq!(Score::ZERO.band(BandScheme::FiveLevel), ActivityBand::NoActivity);
/// assert_eq!(ActivityBand::VeryHigh.to_string(), "very_high");
/// ```
#[derive(PartialOrd, Ord)]
pub enum ActivityBand, field = "activity_band", path = "sledai::ActivityBand" {
    /// Total 0.
    NoActivity = "no_activity",
    /// Mild activity.
    Mild = "mild",
    /// Moderate activity.
    Moderate = "moderate",
    /// High activity.
    High = "high",
    /// Very high activity (five-level scheme only).
    VeryHigh = "very_high",
}
}

/// Scores complete assessments given as 24-bit present masks, writing each
/// SLEDAI-2K total (0..=105) to `out`.
///
/// The loop has no branches and vectorises; validation is an OR fused into
/// the same pass. This is the bulk path: millions of masks per millisecond (see
/// `docs/performance.md`).
///
/// # Errors
///
/// - [`Error::LengthMismatch`] when `masks` and `out` differ in length.
/// - [`Error::InBatch`] wrapping [`Error::InvalidMask`] for the first mask
///   with a bit above bit 23 set. The contents of `out` are then
///   unspecified (validation is fused into the scoring pass).
///
/// # Example
///
/// ```
/// use sledai::{score_masks, Descriptor};
///
/// let masks = [0, Descriptor::Seizure.bit(), (1 << 24) - 1];
/// let mut totals = [0u8; 3];
/// score_masks(&masks, &mut totals)?;
/// assert_eq!(totals, [0, 8, 105]);
/// # Ok::<(), sledai::Error>(())
/// ```
pub fn score_masks(masks: &[u32], out: &mut [u8]) -> Result<(), Error> {
    score_masks_with(masks, out, DESCRIPTOR_BITS)
}

/// Like [`score_masks`], but writes clinical SLEDAI totals (0..=101): the
/// serology bits are ignored.
///
/// # Errors
///
/// As for [`score_masks`].
///
/// ```
/// use sledai::{clinical_score_masks, Descriptor};
///
/// let masks = [Descriptor::LowComplement.bit() | Descriptor::Rash.bit()];
/// let mut totals = [0u8; 1];
/// clinical_score_masks(&masks, &mut totals)?;
/// assert_eq!(totals, [2]);
/// # Ok::<(), sledai::Error>(())
/// ```
pub fn clinical_score_masks(masks: &[u32], out: &mut [u8]) -> Result<(), Error> {
    score_masks_with(masks, out, DESCRIPTOR_BITS & !SEROLOGY_BITS)
}

fn score_masks_with(masks: &[u32], out: &mut [u8], keep: u32) -> Result<(), Error> {
    if masks.len() != out.len() {
        return Err(Error::LengthMismatch {
            input: masks.len(),
            output: out.len(),
        });
    }
    // One pass: score every mask and OR them together; the OR tells
    // afterwards whether any mask had a bit above bit 23.
    let mut any = 0u32;
    for (o, &m) in out.iter_mut().zip(masks) {
        any |= m;
        *o = weighted_sum(m & keep);
    }
    if any & !DESCRIPTOR_BITS == 0 {
        return Ok(());
    }
    let (index, &value) = masks
        .iter()
        .enumerate()
        .find(|&(_, &m)| m & !DESCRIPTOR_BITS != 0)
        .unwrap_or((0, &any));
    Err(Error::InBatch {
        index,
        source: Box::new(Error::InvalidMask {
            field: "present",
            value,
            reason: "bits above bit 23 are set",
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kernel_matches_bit_by_bit_sum_on_samples() {
        // Independent weights: 8 for positions 1-8, 4 for 9-14, 2 for 15-21, 1 for 22-24.
        let w = |i: u32| match i {
            0..=7 => 8u32,
            8..=13 => 4,
            14..=20 => 2,
            _ => 1,
        };
        let mut x: u32 = 0x1234_5678;
        for _ in 0..100_000 {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            let m = x & DESCRIPTOR_BITS;
            let expect: u32 = (0..24).filter(|i| m >> i & 1 == 1).map(w).sum();
            assert_eq!(u32::from(weighted_sum(m)), expect, "mask {m:#x}");
        }
    }
}
