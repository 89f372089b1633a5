//! Raw values with explicit units that decide the four numeric criteria
//! (fever, leukopenia, thrombocytopenia, proteinuria).

use super::*;
use crate::error::Error;

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
    pub(super) fn derived(&self) -> impl Iterator<Item = (Criterion, bool, &'static str, String)> {
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
