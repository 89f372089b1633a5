//! Systemic glucocorticoids and their prednisone-equivalent doses.
//!
//! This module owns the closed drug vocabulary [`Glucocorticoid`], the exact
//! conversion factors ([`EquivalenceFactor`]), the validated daily dose of
//! one drug ([`DailyDose`]), a daily regimen entry ([`DrugDose`]) and the
//! result of a conversion, [`PrednisoneEquivalent`] (mg/day). LLDAS
//! (Franklyn 2016: prednisolone or equivalent <= 7.5 mg/day) and DORIS
//! remission (van Vollenhoven 2021: <= 5 mg/day) compare against it.
//!
//! # Factors
//!
//! mg of prednisone-equivalent per mg of drug, from the standard
//! glucocorticoid equivalence table as transcribed in `docs/reference.md`
//! section 5, for oral or intravenous systemic doses only:
//!
//! | drug | factor | equivalent of 5 mg prednisone |
//! |---|---|---|
//! | prednisone | 1 | 5 mg |
//! | prednisolone | 1 | 5 mg |
//! | methylprednisolone | 5/4 | 4 mg |
//! | triamcinolone | 5/4 | 4 mg |
//! | hydrocortisone | 1/4 | 20 mg |
//! | cortisone | 1/5 | 25 mg |
//! | dexamethasone | 20/3 | 0.75 mg |
//! | betamethasone | 20/3 (default), 25/3 ([`BetamethasoneEquivalence::SixTenthsMg`]) | 0.75 mg (0.6 mg) |
//! | deflazacort | 5/6 (conventional, uncertain) | 6 mg |
//!
//! # Exact representation
//!
//! A [`DailyDose`] is a whole number of micrograms (`u32`): a dose written
//! with up to three decimals in mg is exact, anything finer is rejected, not
//! rounded. Every factor is a multiple of 1/60 (60 is the least common
//! multiple of the denominators 1, 4, 5, 3 and 6), so a
//! [`PrednisoneEquivalent`] is held exactly as an integer number of 1/60 µg.
//! There is no rounding anywhere in a conversion or a comparison: 6 mg
//! methylprednisolone is exactly 7.5 mg, 6.4 mg is exactly 8 mg, 1 mg
//! dexamethasone is exactly 20/3 mg. Values are rounded only for display
//! (to the nearest microgram) and converted to `f64` only on output.
//!
//! # Bounds
//!
//! A daily dose, and a prednisone-equivalent, must lie in 0 to 2000 mg/day.
//! The largest doses in clinical use are intravenous methylprednisolone
//! pulses of up to 1000 mg/day (1250 mg prednisone-equivalent); 2000 mg
//! leaves headroom for any real regimen while catching unit slips such as
//! micrograms typed as milligrams (7.5 mg typed as 7500).
//!
//! # Example
//!
//! ```
//! use sledai::glucocorticoid::{
//!     prednisone_equivalent, ConversionOptions, DailyDose, DrugDose, Glucocorticoid, PrednisoneEquivalent,
//! };
//!
//! let regimen = [
//!     DrugDose::new(Glucocorticoid::Methylprednisolone, DailyDose::from_mg(4.0)?),
//!     DrugDose::new(Glucocorticoid::Hydrocortisone, DailyDose::from_mg(10.0)?),
//! ];
//! // 4 mg x 5/4 + 10 mg x 1/4 = 5 + 2.5 = 7.5 mg/day, exactly.
//! let total = prednisone_equivalent(&regimen, ConversionOptions::default())?;
//! assert_eq!(total, PrednisoneEquivalent::from_mg(7.5)?);
//! assert_eq!(total.to_string(), "7.5 mg/day");
//! # Ok::<(), sledai::Error>(())
//! ```

use std::fmt;
use std::str::FromStr;

use crate::error::Error;

/// Units of a [`PrednisoneEquivalent`] per microgram.
const UNITS_PER_UG: u64 = 60;
/// Units per milligram.
const UNITS_PER_MG: u64 = UNITS_PER_UG * 1000;
/// The upper bound of a dose and of a prednisone-equivalent, in mg/day.
const MAX_MG: u32 = 2000;
/// The same in micrograms.
const MAX_UG: u32 = MAX_MG * 1000;
/// Tolerance for the binary representation error of a decimal input, in
/// the unit being checked (micrograms or 1/60 µg).
const REPRESENTATION_TOLERANCE: f64 = 1e-6;

/// A systemic glucocorticoid with a prednisone-equivalent factor.
///
/// A closed vocabulary (`docs/reference.md` section 5): the enum is
/// exhaustive on purpose. Identifiers are snake_case (`"prednisone"`,
/// `"methylprednisolone"`, ...) in `FromStr`, `Display` and serde.
///
/// # Example
///
/// ```
/// use sledai::glucocorticoid::Glucocorticoid;
///
/// let drug: Glucocorticoid = "methylprednisolone".parse()?;
/// assert_eq!(drug, Glucocorticoid::Methylprednisolone);
/// assert_eq!(drug.to_string(), "methylprednisolone");
/// let err = "prednisolon".parse::<Glucocorticoid>().unwrap_err();
/// assert!(err.to_string().ends_with("did you mean `prednisolone`?"));
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case", try_from = "String")]
pub enum Glucocorticoid {
    /// Prednisone: factor 1 (the reference drug).
    Prednisone,
    /// Prednisolone: factor 1.
    Prednisolone,
    /// Methylprednisolone: factor 5/4 (4 mg = 5 mg prednisone).
    Methylprednisolone,
    /// Triamcinolone: factor 5/4 (4 mg = 5 mg prednisone).
    Triamcinolone,
    /// Hydrocortisone: factor 1/4 (20 mg = 5 mg prednisone).
    Hydrocortisone,
    /// Cortisone: factor 1/5 (25 mg = 5 mg prednisone).
    Cortisone,
    /// Dexamethasone: factor 20/3 (0.75 mg = 5 mg prednisone).
    Dexamethasone,
    /// Betamethasone: factor 20/3 (0.75 mg = 5 mg prednisone) by default,
    /// 25/3 (0.6 mg = 5 mg) as an option; see [`BetamethasoneEquivalence`].
    Betamethasone,
    /// Deflazacort: factor 5/6 (6 mg = 5 mg prednisone), a conventional,
    /// uncertain equivalence.
    Deflazacort,
}

/// The accepted identifiers, for error messages.
const EXPECTED: &str = "prednisone, prednisolone, methylprednisolone, triamcinolone, \
                        hydrocortisone, cortisone, dexamethasone, betamethasone, deflazacort";

impl Glucocorticoid {
    /// All nine drugs, in the order of `docs/reference.md` section 5.
    ///
    /// ```
    /// use sledai::glucocorticoid::Glucocorticoid;
    /// assert_eq!(Glucocorticoid::ALL.len(), 9);
    /// assert_eq!(Glucocorticoid::ALL[0], Glucocorticoid::Prednisone);
    /// ```
    pub const ALL: [Glucocorticoid; 9] = [
        Glucocorticoid::Prednisone,
        Glucocorticoid::Prednisolone,
        Glucocorticoid::Methylprednisolone,
        Glucocorticoid::Triamcinolone,
        Glucocorticoid::Hydrocortisone,
        Glucocorticoid::Cortisone,
        Glucocorticoid::Dexamethasone,
        Glucocorticoid::Betamethasone,
        Glucocorticoid::Deflazacort,
    ];

    /// The stable snake_case identifier.
    ///
    /// ```
    /// use sledai::glucocorticoid::Glucocorticoid;
    /// assert_eq!(Glucocorticoid::Hydrocortisone.id(), "hydrocortisone");
    /// ```
    pub const fn id(self) -> &'static str {
        match self {
            Glucocorticoid::Prednisone => "prednisone",
            Glucocorticoid::Prednisolone => "prednisolone",
            Glucocorticoid::Methylprednisolone => "methylprednisolone",
            Glucocorticoid::Triamcinolone => "triamcinolone",
            Glucocorticoid::Hydrocortisone => "hydrocortisone",
            Glucocorticoid::Cortisone => "cortisone",
            Glucocorticoid::Dexamethasone => "dexamethasone",
            Glucocorticoid::Betamethasone => "betamethasone",
            Glucocorticoid::Deflazacort => "deflazacort",
        }
    }

    /// mg of prednisone-equivalent per mg of this drug, as an exact ratio
    /// (`docs/reference.md` section 5).
    ///
    /// ```
    /// use sledai::glucocorticoid::{BetamethasoneEquivalence, ConversionOptions, Glucocorticoid};
    ///
    /// let default = ConversionOptions::default();
    /// assert_eq!(Glucocorticoid::Dexamethasone.factor(default).to_string(), "20/3");
    /// let alt = default.with_betamethasone(BetamethasoneEquivalence::SixTenthsMg);
    /// assert_eq!(Glucocorticoid::Betamethasone.factor(alt).to_string(), "25/3");
    /// ```
    pub const fn factor(self, options: ConversionOptions) -> EquivalenceFactor {
        EquivalenceFactor {
            sixtieths: self.sixtieths(options),
        }
    }

    /// The factor times 60, an integer for every drug.
    const fn sixtieths(self, options: ConversionOptions) -> u32 {
        match self {
            Glucocorticoid::Prednisone | Glucocorticoid::Prednisolone => 60, // 1
            Glucocorticoid::Methylprednisolone | Glucocorticoid::Triamcinolone => 75, // 5/4
            Glucocorticoid::Hydrocortisone => 15,                            // 1/4
            Glucocorticoid::Cortisone => 12,                                 // 1/5
            Glucocorticoid::Dexamethasone => 400,                            // 5/0.75 = 20/3
            Glucocorticoid::Betamethasone => match options.betamethasone {
                BetamethasoneEquivalence::ThreeQuartersMg => 400, // 5/0.75 = 20/3
                BetamethasoneEquivalence::SixTenthsMg => 500,     // 5/0.6 = 25/3
            },
            Glucocorticoid::Deflazacort => 50, // 5/6
        }
    }
}

impl fmt::Display for Glucocorticoid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for Glucocorticoid {
    type Err = Error;

    /// Parses an identifier exactly (lower case); an unknown name is an
    /// [`Error::UnknownName`] with the nearest identifier as a suggestion.
    fn from_str(s: &str) -> Result<Self, Error> {
        Glucocorticoid::ALL
            .iter()
            .copied()
            .find(|g| g.id() == s)
            .ok_or_else(|| Error::UnknownName {
                field: "glucocorticoid",
                value: s.to_owned().into(),
                expected: EXPECTED,
            })
    }
}

impl TryFrom<String> for Glucocorticoid {
    type Error = Error;

    fn try_from(value: String) -> Result<Self, Error> {
        value.parse()
    }
}

/// Which published equivalence to use for betamethasone.
///
/// `docs/reference.md` section 5: 0.75 mg betamethasone = 5 mg prednisone is
/// the default; sources also give 0.6 mg = 5 mg, offered here as an explicit
/// option.
///
/// ```
/// use sledai::glucocorticoid::BetamethasoneEquivalence;
/// assert_eq!(BetamethasoneEquivalence::default(), BetamethasoneEquivalence::ThreeQuartersMg);
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum BetamethasoneEquivalence {
    /// 0.75 mg betamethasone = 5 mg prednisone (factor 20/3). The default.
    #[default]
    ThreeQuartersMg,
    /// 0.6 mg betamethasone = 5 mg prednisone (factor 25/3).
    SixTenthsMg,
}

/// Options of the prednisone-equivalent conversion.
///
/// Start from [`ConversionOptions::default`] and use the `with_*` methods;
/// read them back with the getters of the same names; the one policy
/// converts into options ([`From`]).
///
/// ```
/// use sledai::glucocorticoid::{BetamethasoneEquivalence, ConversionOptions};
/// let o = ConversionOptions::default().with_betamethasone(BetamethasoneEquivalence::SixTenthsMg);
/// assert_eq!(o.betamethasone(), BetamethasoneEquivalence::SixTenthsMg);
/// assert_eq!(ConversionOptions::from(BetamethasoneEquivalence::SixTenthsMg), o);
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct ConversionOptions {
    betamethasone: BetamethasoneEquivalence,
}

options_from_policies! {
    ConversionOptions, "glucocorticoid" {
        BetamethasoneEquivalence => with_betamethasone,
    }
}

impl ConversionOptions {
    /// These options with the given betamethasone equivalence.
    ///
    /// ```
    /// use sledai::glucocorticoid::{BetamethasoneEquivalence, ConversionOptions};
    /// let o = ConversionOptions::default().with_betamethasone(BetamethasoneEquivalence::ThreeQuartersMg);
    /// assert_eq!(o, ConversionOptions::default());
    /// ```
    #[must_use]
    pub const fn with_betamethasone(mut self, value: BetamethasoneEquivalence) -> Self {
        self.betamethasone = value;
        self
    }

    /// The betamethasone equivalence; 0.75 mg = 5 mg by default.
    ///
    /// ```
    /// use sledai::glucocorticoid::{BetamethasoneEquivalence, ConversionOptions};
    /// assert_eq!(ConversionOptions::default().betamethasone(), BetamethasoneEquivalence::ThreeQuartersMg);
    /// ```
    #[must_use]
    pub const fn betamethasone(self) -> BetamethasoneEquivalence {
        self.betamethasone
    }
}

/// An exact conversion factor: mg of prednisone-equivalent per mg of drug.
///
/// ```
/// use sledai::glucocorticoid::{ConversionOptions, Glucocorticoid};
/// let f = Glucocorticoid::Methylprednisolone.factor(ConversionOptions::default());
/// assert_eq!((f.numerator(), f.denominator()), (5, 4));
/// assert_eq!(f.value(), 1.25);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EquivalenceFactor {
    /// The factor times 60.
    sixtieths: u32,
}

impl EquivalenceFactor {
    /// The numerator of the factor in lowest terms.
    ///
    /// ```
    /// use sledai::glucocorticoid::{ConversionOptions, Glucocorticoid};
    /// assert_eq!(Glucocorticoid::Deflazacort.factor(ConversionOptions::default()).numerator(), 5);
    /// ```
    pub const fn numerator(self) -> u32 {
        self.sixtieths / gcd(self.sixtieths, 60)
    }

    /// The denominator of the factor in lowest terms.
    ///
    /// ```
    /// use sledai::glucocorticoid::{ConversionOptions, Glucocorticoid};
    /// assert_eq!(Glucocorticoid::Deflazacort.factor(ConversionOptions::default()).denominator(), 6);
    /// ```
    pub const fn denominator(self) -> u32 {
        60 / gcd(self.sixtieths, 60)
    }

    /// The factor as the nearest `f64`, for display only.
    ///
    /// ```
    /// use sledai::glucocorticoid::{ConversionOptions, Glucocorticoid};
    /// assert_eq!(Glucocorticoid::Cortisone.factor(ConversionOptions::default()).value(), 0.2);
    /// ```
    pub fn value(self) -> f64 {
        f64::from(self.sixtieths) / 60.0
    }
}

impl fmt::Display for EquivalenceFactor {
    /// `1`, `5/4`, `20/3`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (n, d) = (self.numerator(), self.denominator());
        if d == 1 {
            write!(f, "{n}")
        } else {
            write!(f, "{n}/{d}")
        }
    }
}

const fn gcd(mut a: u32, mut b: u32) -> u32 {
    while b != 0 {
        let t = a % b;
        a = b;
        b = t;
    }
    a
}

/// Converts a finite, in-range mg value to a whole number of `per_mg`
/// units, rejecting values finer than one unit.
fn to_units(field: &'static str, mg: f64, per_mg: f64, unit: &str) -> Result<u64, Error> {
    if !mg.is_finite() {
        return Err(Error::NotFinite { field, value: mg });
    }
    if !(0.0..=f64::from(MAX_MG)).contains(&mg) {
        return Err(Error::OutOfRange {
            field,
            value: mg,
            min: 0.0,
            max: f64::from(MAX_MG),
        });
    }
    let scaled = mg * per_mg;
    let rounded = scaled.round();
    if (scaled - rounded).abs() > REPRESENTATION_TOLERANCE {
        return Err(Error::InvalidValue {
            field,
            value: mg.to_string().into(),
            reason: format!("finer than the exact resolution of {unit}").into(),
        });
    }
    // 0 <= rounded <= 2000 * per_mg <= 1.2e8 here, so the cast is exact.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    Ok(rounded as u64)
}

/// The daily dose of one glucocorticoid, in mg/day, held as whole
/// micrograms.
///
/// Valid doses are 0 to 2000 mg/day (see the [module docs](self) for the
/// bound) with at most three decimals. Serializes as a JSON number of mg.
///
/// # Example
///
/// ```
/// use sledai::glucocorticoid::DailyDose;
///
/// let d = DailyDose::from_mg(7.5)?;
/// assert_eq!(d.micrograms(), 7500);
/// assert_eq!(d.to_string(), "7.5 mg/day");
/// assert!(DailyDose::from_mg(-1.0).is_err());
/// assert!(DailyDose::from_mg(f64::NAN).is_err());
/// assert!(DailyDose::from_mg(7500.0).is_err()); // micrograms typed as mg
/// assert!(DailyDose::from_mg(7.5001).is_err()); // finer than a microgram
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DailyDose(u32);

impl DailyDose {
    /// The largest accepted dose, 2000 mg/day.
    ///
    /// ```
    /// assert_eq!(sledai::glucocorticoid::DailyDose::MAX.mg(), 2000.0);
    /// ```
    pub const MAX: DailyDose = DailyDose(MAX_UG);

    /// A dose from mg/day.
    ///
    /// # Errors
    ///
    /// - [`Error::NotFinite`] for NaN or an infinity.
    /// - [`Error::OutOfRange`] below 0 or above 2000 mg/day.
    /// - [`Error::InvalidValue`] for a value that is not a whole number of
    ///   micrograms (beyond a 1e-6 µg tolerance for decimal representation).
    ///
    /// ```
    /// use sledai::glucocorticoid::DailyDose;
    /// assert_eq!(DailyDose::from_mg(0.75)?.micrograms(), 750);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn from_mg(mg: f64) -> Result<DailyDose, Error> {
        let ug = to_units("dose", mg, 1000.0, "1 microgram")?;
        // ug <= 2_000_000 (checked by to_units).
        #[allow(clippy::cast_possible_truncation)]
        Ok(DailyDose(ug as u32))
    }

    /// A dose from whole micrograms per day.
    ///
    /// # Errors
    ///
    /// [`Error::OutOfRange`] above 2,000,000 µg (2000 mg).
    ///
    /// ```
    /// use sledai::glucocorticoid::DailyDose;
    /// assert_eq!(DailyDose::from_micrograms(600)?, DailyDose::from_mg(0.6)?);
    /// assert!(DailyDose::from_micrograms(2_000_001).is_err());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn from_micrograms(ug: u32) -> Result<DailyDose, Error> {
        if ug > MAX_UG {
            return Err(Error::OutOfRange {
                field: "dose",
                value: f64::from(ug) / 1000.0,
                min: 0.0,
                max: f64::from(MAX_MG),
            });
        }
        Ok(DailyDose(ug))
    }

    /// The dose in whole micrograms per day.
    ///
    /// ```
    /// assert_eq!(sledai::glucocorticoid::DailyDose::from_mg(4.0)?.micrograms(), 4000);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn micrograms(self) -> u32 {
        self.0
    }

    /// The dose in mg/day as the nearest `f64`.
    ///
    /// ```
    /// assert_eq!(sledai::glucocorticoid::DailyDose::from_mg(0.6)?.mg(), 0.6);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn mg(self) -> f64 {
        f64::from(self.0) / 1000.0
    }
}

/// Writes whole micrograms as mg with up to three decimals, trailing zeros
/// trimmed: `7.5`, `0.75`, `20`.
fn write_micrograms_as_mg(f: &mut fmt::Formatter<'_>, ug: u64) -> fmt::Result {
    let whole = ug / 1000;
    let frac = ug % 1000;
    if frac == 0 {
        write!(f, "{whole}")
    } else {
        let digits = format!("{frac:03}");
        write!(f, "{whole}.{}", digits.trim_end_matches('0'))
    }
}

impl fmt::Display for DailyDose {
    /// `7.5 mg/day`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_micrograms_as_mg(f, u64::from(self.0))?;
        f.write_str(" mg/day")
    }
}

impl serde::Serialize for DailyDose {
    /// A JSON number of mg/day.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.mg())
    }
}

impl<'de> serde::Deserialize<'de> for DailyDose {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = <f64 as serde::Deserialize>::deserialize(d)?;
        DailyDose::from_mg(v).map_err(serde::de::Error::custom)
    }
}

/// One entry of a daily glucocorticoid regimen: a drug and its daily dose.
///
/// Serde: `{"drug": "prednisone", "mg_per_day": 7.5}`.
///
/// ```
/// use sledai::glucocorticoid::{DailyDose, DrugDose, Glucocorticoid};
///
/// let e: DrugDose = serde_json::from_str(r#"{"drug": "dexamethasone", "mg_per_day": 0.75}"#)?;
/// assert_eq!(e, DrugDose::new(Glucocorticoid::Dexamethasone, DailyDose::from_mg(0.75)?));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DrugDose {
    /// The drug.
    pub drug: Glucocorticoid,
    /// Its total daily dose (all administrations of the day), mg/day.
    #[serde(rename = "mg_per_day")]
    pub dose: DailyDose,
}

impl DrugDose {
    /// A regimen entry.
    ///
    /// ```
    /// use sledai::glucocorticoid::{DailyDose, DrugDose, Glucocorticoid};
    /// let e = DrugDose::new(Glucocorticoid::Prednisone, DailyDose::from_mg(5.0)?);
    /// assert_eq!(e.drug, Glucocorticoid::Prednisone);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn new(drug: Glucocorticoid, dose: DailyDose) -> DrugDose {
        DrugDose { drug, dose }
    }

    /// The exact prednisone-equivalent of this entry in 1/60 µg.
    fn units(self, options: ConversionOptions) -> u64 {
        u64::from(self.dose.0) * u64::from(self.drug.sixtieths(options))
    }
}

/// The prednisone-equivalent of a daily regimen of one or more systemic
/// glucocorticoids: the sum over entries of dose x factor, exact.
///
/// Entries may repeat a drug (split doses add up). An empty regimen is an
/// explicit "no glucocorticoid" and gives 0 mg/day; when the regimen is
/// unknown, do not call this: leave the prednisone-equivalent missing.
///
/// # Errors
///
/// [`Error::OutOfRange`] (field `prednisone_equivalent`) when the total
/// exceeds 2000 mg/day.
///
/// # Example
///
/// ```
/// use sledai::glucocorticoid::{
///     prednisone_equivalent, ConversionOptions, DailyDose, DrugDose, Glucocorticoid, PrednisoneEquivalent,
/// };
///
/// let o = ConversionOptions::default();
/// let six = [DrugDose::new(Glucocorticoid::Methylprednisolone, DailyDose::from_mg(6.0)?)];
/// assert_eq!(prednisone_equivalent(&six, o)?, PrednisoneEquivalent::from_mg(7.5)?);
/// let dex = [DrugDose::new(Glucocorticoid::Dexamethasone, DailyDose::from_mg(1.0)?)];
/// assert_eq!(prednisone_equivalent(&dex, o)?.exact_mg(), (20, 3));
/// assert_eq!(prednisone_equivalent(&[], o)?, PrednisoneEquivalent::ZERO);
/// # Ok::<(), sledai::Error>(())
/// ```
pub fn prednisone_equivalent(
    regimen: &[DrugDose],
    options: ConversionOptions,
) -> Result<PrednisoneEquivalent, Error> {
    // Each entry is at most 2e6 µg x 500 = 1e9 units, so the sum of any
    // slice that fits in memory cannot overflow u64 before the check below;
    // saturate anyway rather than rely on it.
    let units = regimen
        .iter()
        .fold(0u64, |acc, e| acc.saturating_add(e.units(options)));
    PrednisoneEquivalent::from_units(units)
}

/// A prednisone-equivalent glucocorticoid dose, mg/day, held exactly.
///
/// Stored as an integer number of 1/60 µg, so every conversion of a
/// [`DailyDose`] is exact and comparisons at the LLDAS (7.5 mg) and DORIS
/// (5 mg) cut-offs are exact. Ranges over 0 to 2000 mg/day. Serializes as a
/// JSON number of mg/day (the nearest `f64`); deserializing accepts any
/// number that is a whole number of 1/60 µg up to binary representation
/// error, which includes every decimal with up to four decimals and every
/// serialized value.
///
/// # Example
///
/// ```
/// use sledai::glucocorticoid::PrednisoneEquivalent;
///
/// let a = PrednisoneEquivalent::from_mg(7.5)?;
/// let b = PrednisoneEquivalent::from_mg(7.6)?;
/// assert!(a < b);
/// assert_eq!(a.mg(), 7.5);
/// assert_eq!(b.to_string(), "7.6 mg/day");
/// assert!(PrednisoneEquivalent::from_mg(f64::INFINITY).is_err());
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PrednisoneEquivalent(u64);

impl PrednisoneEquivalent {
    /// No glucocorticoid.
    ///
    /// ```
    /// assert_eq!(sledai::glucocorticoid::PrednisoneEquivalent::ZERO.mg(), 0.0);
    /// ```
    pub const ZERO: PrednisoneEquivalent = PrednisoneEquivalent(0);

    /// The largest accepted value, 2000 mg/day.
    ///
    /// ```
    /// assert_eq!(sledai::glucocorticoid::PrednisoneEquivalent::MAX.mg(), 2000.0);
    /// ```
    pub const MAX: PrednisoneEquivalent = PrednisoneEquivalent(MAX_MG as u64 * UNITS_PER_MG);

    /// A prednisone-equivalent from mg/day (for example a value already
    /// converted by the caller).
    ///
    /// # Errors
    ///
    /// - [`Error::NotFinite`] for NaN or an infinity.
    /// - [`Error::OutOfRange`] below 0 or above 2000 mg/day.
    /// - [`Error::InvalidValue`] for a value finer than 1/60 µg.
    ///
    /// ```
    /// use sledai::glucocorticoid::PrednisoneEquivalent;
    /// assert_eq!(PrednisoneEquivalent::from_mg(5.0)?.exact_mg(), (5, 1));
    /// assert!(PrednisoneEquivalent::from_mg(-0.5).is_err());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn from_mg(mg: f64) -> Result<PrednisoneEquivalent, Error> {
        #[allow(clippy::cast_precision_loss)] // 60_000 is exact in f64
        let per_mg = UNITS_PER_MG as f64;
        to_units("prednisone_equivalent", mg, per_mg, "1/60 microgram").map(PrednisoneEquivalent)
    }

    /// A prednisone-equivalent from whole micrograms per day.
    ///
    /// # Errors
    ///
    /// [`Error::OutOfRange`] above 2,000,000 µg (2000 mg).
    ///
    /// ```
    /// use sledai::glucocorticoid::PrednisoneEquivalent;
    /// assert_eq!(PrednisoneEquivalent::from_micrograms(7500)?, PrednisoneEquivalent::from_mg(7.5)?);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn from_micrograms(ug: u32) -> Result<PrednisoneEquivalent, Error> {
        PrednisoneEquivalent::from_units(u64::from(ug) * UNITS_PER_UG)
    }

    /// A cut-off constant from whole micrograms; the caller keeps it within
    /// [`PrednisoneEquivalent::MAX`].
    pub(crate) const fn from_whole_ug(ug: u32) -> PrednisoneEquivalent {
        PrednisoneEquivalent(ug as u64 * UNITS_PER_UG)
    }

    /// The internal units (for packing criterion facts).
    pub(crate) const fn units(self) -> u64 {
        self.0
    }

    /// A dose from units read back from [`Self::units`], clamped to
    /// [`PrednisoneEquivalent::MAX`] (never reached: only valid doses are
    /// packed).
    pub(crate) const fn from_valid_units(units: u64) -> PrednisoneEquivalent {
        if units > PrednisoneEquivalent::MAX.0 {
            PrednisoneEquivalent::MAX
        } else {
            PrednisoneEquivalent(units)
        }
    }

    fn from_units(units: u64) -> Result<PrednisoneEquivalent, Error> {
        if units > PrednisoneEquivalent::MAX.0 {
            #[allow(clippy::cast_precision_loss)] // only for the message
            let value = units as f64 / UNITS_PER_MG as f64;
            return Err(Error::OutOfRange {
                field: "prednisone_equivalent",
                value,
                min: 0.0,
                max: f64::from(MAX_MG),
            });
        }
        Ok(PrednisoneEquivalent(units))
    }

    /// The exact value in mg/day as a fraction in lowest terms,
    /// `(numerator, denominator)`.
    ///
    /// ```
    /// use sledai::glucocorticoid::PrednisoneEquivalent;
    /// assert_eq!(PrednisoneEquivalent::from_mg(7.5)?.exact_mg(), (15, 2));
    /// assert_eq!(PrednisoneEquivalent::ZERO.exact_mg(), (0, 1));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn exact_mg(self) -> (u64, u64) {
        let (mut a, mut b) = (self.0, UNITS_PER_MG);
        while b != 0 {
            let t = a % b;
            a = b;
            b = t;
        }
        // a is now gcd(units, 60_000) >= 1.
        (self.0 / a, UNITS_PER_MG / a)
    }

    /// The value in mg/day as the nearest `f64`, for output.
    ///
    /// ```
    /// use sledai::glucocorticoid::PrednisoneEquivalent;
    /// assert_eq!(PrednisoneEquivalent::from_micrograms(5100)?.mg(), 5.1);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn mg(self) -> f64 {
        // Both operands are exact in f64 (<= 1.2e8), so the quotient is
        // correctly rounded.
        #[allow(clippy::cast_precision_loss)]
        let v = self.0 as f64 / UNITS_PER_MG as f64;
        v
    }
}

impl fmt::Display for PrednisoneEquivalent {
    /// Rounded (half up) to the nearest microgram for display: `7.5 mg/day`,
    /// `6.667 mg/day` for 20/3.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_micrograms_as_mg(f, (self.0 + UNITS_PER_UG / 2) / UNITS_PER_UG)?;
        f.write_str(" mg/day")
    }
}

impl serde::Serialize for PrednisoneEquivalent {
    /// A JSON number of mg/day.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.mg())
    }
}

impl<'de> serde::Deserialize<'de> for PrednisoneEquivalent {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = <f64 as serde::Deserialize>::deserialize(d)?;
        PrednisoneEquivalent::from_mg(v).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn factors_times_sixty_match_reference_ratios() {
        // `docs/reference.md` section 5, as fractions n/d: 60 * n / d.
        let o = ConversionOptions::default();
        let expect = [
            (Glucocorticoid::Prednisone, 1, 1),
            (Glucocorticoid::Prednisolone, 1, 1),
            (Glucocorticoid::Methylprednisolone, 5, 4),
            (Glucocorticoid::Triamcinolone, 5, 4),
            (Glucocorticoid::Hydrocortisone, 1, 4),
            (Glucocorticoid::Cortisone, 1, 5),
            (Glucocorticoid::Dexamethasone, 20, 3),
            (Glucocorticoid::Betamethasone, 20, 3),
            (Glucocorticoid::Deflazacort, 5, 6),
        ];
        for (g, n, d) in expect {
            assert_eq!(g.sixtieths(o) * d, 60 * n, "{g}");
            let f = g.factor(o);
            assert_eq!((f.numerator(), f.denominator()), (n, d), "{g}");
        }
    }

    #[test]
    fn display_rounds_half_up_to_microgram() {
        // 1/120 mg = 500/60 µg ... use 30 units = 0.5 µg: rounds up to 1 µg.
        assert_eq!(PrednisoneEquivalent(30).to_string(), "0.001 mg/day");
        assert_eq!(PrednisoneEquivalent(29).to_string(), "0 mg/day");
    }
}
