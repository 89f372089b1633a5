//! Raw values with explicit units that decide the four numeric criteria
//! (fever, leukopenia, thrombocytopenia, proteinuria).
//!
//! Each value is a [`LabValue`] of the `labs` module (the crate's one
//! unit-bearing quantity type), so a count typed per mm³ is never read as
//! 10^9/L, and every threshold is compared exactly on the canonical grid of
//! that module: 4,000/mm³ and 4 x 10^9/L are the same number, and so are
//! 100.94 °F and 38.3 °C.

use std::fmt;

use super::*;
use crate::error::Error;
use crate::labs::LabValue;
use crate::units::{CountUnit, ProteinUnit, TemperatureUnit};

/// One of the four unit-bearing raw values: its grid threshold and how it
/// is written in messages.
trait Extreme: Copy {
    /// The criterion it decides.
    const CRITERION: ClassificationCriterion;
    /// The key in the `measurements` object.
    const KEY: &'static str;
    /// Whether the value meets the criterion, on the canonical grid.
    fn meets(&self) -> bool;
}

macro_rules! extreme {
    (
        $(#[$meta:meta])*
        $name:ident, unit = $unit:ident($variant:ident), sample = $sample:literal, key = $key:literal, criterion = $crit:ident,
        ctor = $ctor:ident, meets = |$q:ident| $meets:expr
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq)]
        pub struct $name(LabValue);

        impl $name {
            /// The value as given, in [`Self::unit`].
            ///
            /// ```
            #[doc = concat!("use sledai::classification::", stringify!($name), ";")]
            #[doc = concat!("use sledai::units::", stringify!($unit), ";")]
            #[doc = concat!("let v = ", stringify!($name), "::new(", stringify!($sample), ", ", stringify!($unit), "::ALL[0])?;")]
            #[doc = concat!("assert_eq!(v.value(), ", stringify!($sample), ");")]
            #[doc = concat!("assert_eq!(v.unit(), ", stringify!($unit), "::ALL[0]);")]
            /// # Ok::<(), sledai::Error>(())
            /// ```
            pub const fn value(self) -> f64 {
                self.0.value.raw
            }

            /// The unit the value was given in.
            ///
            /// ```
            #[doc = concat!("use sledai::classification::", stringify!($name), ";")]
            #[doc = concat!("use sledai::units::", stringify!($unit), ";")]
            #[doc = concat!("let u = ", stringify!($unit), "::ALL[0];")]
            #[doc = concat!("assert_eq!(", stringify!($name), "::new(", stringify!($sample), ", u)?.unit(), u);")]
            /// # Ok::<(), sledai::Error>(())
            /// ```
            pub fn unit(self) -> $unit {
                match self.0.unit {
                    crate::units::AnyUnit::$variant(u) => u,
                    // The constructor is the only way in and takes this unit.
                    _ => $unit::ALL[0],
                }
            }

            /// Whether the value meets its criterion (strict inequality,
            /// exact comparison on the canonical grid of [`crate::labs`]).
            ///
            /// ```
            #[doc = concat!("use sledai::classification::", stringify!($name), ";")]
            #[doc = concat!("use sledai::units::", stringify!($unit), ";")]
            #[doc = concat!("let v = ", stringify!($name), "::new(", stringify!($sample), ", ", stringify!($unit), "::ALL[0])?;")]
            /// let _met: bool = v.meets_criterion();
            /// # Ok::<(), sledai::Error>(())
            /// ```
            #[must_use]
            pub const fn meets_criterion(self) -> bool {
                let $q = self.0.value.q;
                $meets
            }
        }

        impl Extreme for $name {
            const CRITERION: ClassificationCriterion = ClassificationCriterion::$crit;
            const KEY: &'static str = $key;
            fn meets(&self) -> bool {
                self.meets_criterion()
            }
        }

        impl fmt::Display for $name {
            /// The value and its unit as given, `"4000 /mm3"`.
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{} {}", self.0.value.raw, self.0.unit.id())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeStruct;
                let mut st = s.serialize_struct(stringify!($name), 2)?;
                st.serialize_field("value", &self.0.value.raw)?;
                st.serialize_field("unit", self.0.unit.id())?;
                st.end()
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let w = Wire::deserialize(d)?;
                let unit = $unit::parse_for(&w.unit, concat!($key, ".unit"))
                    .map_err(serde::de::Error::custom)?;
                LabValue::$ctor(w.value, unit)
                    .map($name)
                    .map_err(|e| serde::de::Error::custom(rekey(e, $key)))
            }
        }
    };
}

/// The serde shape of one raw value, as in the `labs` measurements:
/// `{"value": 4000, "unit": "/mm3"}`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Wire {
    value: f64,
    unit: String,
}

/// Names the `measurements` key in an error of the labs constructor (which
/// names its analyte, e.g. `platelets`, instead).
fn rekey(e: Error, key: &'static str) -> Error {
    match e {
        Error::InvalidMeasurement {
            value, unit, issue, ..
        } => Error::InvalidMeasurement {
            field: key,
            value,
            unit,
            issue,
        },
        other => other,
    }
}

// Grid steps (see `crate::labs`, "Exact comparisons"): temperature in
// ninths of a millionth of a degree Celsius, counts in 10^-9 x 10^9/L,
// 24-hour protein in 10^-9 g/24 h.

/// 38.3 °C on the temperature grid (38.3 x 9 x 10^6).
const FEVER_GRID: i64 = 344_700_000;
/// 4.0 x 10^9/L on the count grid.
const LEUKOPENIA_GRID: i64 = 4_000_000_000;
/// 100 x 10^9/L on the count grid.
const THROMBOCYTOPENIA_GRID: i64 = 100_000_000_000;
/// 0.5 g/24 h on the protein grid.
const PROTEINURIA_GRID: i64 = 500_000_000;

extreme! {
    /// The highest body temperature recorded, for the fever criterion
    /// (> 38.3 °C, strict; Aringer 2019). In °C or °F.
    ///
    /// Accepted: 25 to 45 °C (77 to 113 °F), the bounds of the `labs`
    /// temperature (`docs/labs.md`, "Validation bounds").
    ///
    /// ```
    /// use sledai::classification::BodyTemperature;
    /// use sledai::units::TemperatureUnit::{Celsius, Fahrenheit};
    ///
    /// assert!(BodyTemperature::new(38.4, Celsius)?.meets_criterion());
    /// assert!(!BodyTemperature::new(38.3, Celsius)?.meets_criterion()); // strict
    /// // 101.3 °F is 38.5 °C; 100.94 °F is exactly 38.3 °C.
    /// assert!(BodyTemperature::new(101.3, Fahrenheit)?.meets_criterion());
    /// assert!(!BodyTemperature::new(100.94, Fahrenheit)?.meets_criterion());
    /// assert!(BodyTemperature::new(101.3, Celsius).is_err()); // implausible in °C
    /// assert!(BodyTemperature::new(f64::NAN, Celsius).is_err());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    BodyTemperature, unit = TemperatureUnit(Temperature), sample = 37.0, key = "max_temperature", criterion = Fever,
    ctor = temperature, meets = |q| q > FEVER_GRID
}

impl BodyTemperature {
    /// A temperature in `unit`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidMeasurement`] for NaN, infinities and values outside
    /// 25-45 °C (field `temperature`; `max_temperature` when read from
    /// JSON).
    ///
    /// ```
    /// use sledai::classification::BodyTemperature;
    /// use sledai::units::TemperatureUnit;
    /// assert_eq!(BodyTemperature::new(39.0, TemperatureUnit::Celsius)?.value(), 39.0);
    /// assert!(BodyTemperature::new(-1.0, TemperatureUnit::Celsius).is_err());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn new(value: f64, unit: TemperatureUnit) -> Result<BodyTemperature, Error> {
        LabValue::temperature(value, unit).map(BodyTemperature)
    }
}

extreme! {
    /// The lowest white blood cell count recorded, for the leukopenia
    /// criterion (< 4.0 x 10^9/L, strict; Aringer 2019; not the SLEDAI-2K
    /// threshold of 3). In 10^9/L, /mm³ or /µL (1 x 10^9/L = 1,000/mm³).
    ///
    /// Accepted: 0 to 500 x 10^9/L.
    ///
    /// ```
    /// use sledai::classification::LeukocyteCount;
    /// use sledai::units::CountUnit::{GigaPerLitre, PerCubicMillimetre};
    ///
    /// assert!(LeukocyteCount::new(3.9, GigaPerLitre)?.meets_criterion());
    /// assert!(!LeukocyteCount::new(4.0, GigaPerLitre)?.meets_criterion()); // strict
    /// // 3,500/mm³ is 3.5 x 10^9/L, not 3,500 x 10^9/L.
    /// assert!(LeukocyteCount::new(3_500.0, PerCubicMillimetre)?.meets_criterion());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    LeukocyteCount, unit = CountUnit(Count), sample = 5.0, key = "min_white_cells", criterion = Leukopenia,
    ctor = white_cells, meets = |q| q < LEUKOPENIA_GRID
}

impl LeukocyteCount {
    /// A white cell count in `unit`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidMeasurement`] for NaN, infinities, negative values
    /// and values above 500 x 10^9/L.
    ///
    /// ```
    /// use sledai::classification::LeukocyteCount;
    /// use sledai::units::CountUnit;
    /// assert!(LeukocyteCount::new(-1.0, CountUnit::GigaPerLitre).is_err());
    /// assert!(LeukocyteCount::new(6_000.0, CountUnit::GigaPerLitre).is_err());
    /// assert!(LeukocyteCount::new(6_000.0, CountUnit::PerMicrolitre).is_ok());
    /// ```
    pub fn new(value: f64, unit: CountUnit) -> Result<LeukocyteCount, Error> {
        LabValue::white_cells(value, unit).map(LeukocyteCount)
    }
}

extreme! {
    /// The lowest platelet count recorded, for the thrombocytopenia
    /// criterion (< 100 x 10^9/L, strict; Aringer 2019). In 10^9/L, /mm³
    /// or /µL.
    ///
    /// Accepted: 0 to 5,000 x 10^9/L.
    ///
    /// ```
    /// use sledai::classification::PlateletCount;
    /// use sledai::units::CountUnit::{GigaPerLitre, PerCubicMillimetre};
    ///
    /// // 4,000/mm³: severe thrombocytopenia, in the other common unit.
    /// assert!(PlateletCount::new(4_000.0, PerCubicMillimetre)?.meets_criterion());
    /// assert!(!PlateletCount::new(100.0, GigaPerLitre)?.meets_criterion()); // strict
    /// assert!(PlateletCount::new(99_999.0, PerCubicMillimetre)?.meets_criterion());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    PlateletCount, unit = CountUnit(Count), sample = 150.0, key = "min_platelets", criterion = Thrombocytopenia,
    ctor = platelets, meets = |q| q < THROMBOCYTOPENIA_GRID
}

impl PlateletCount {
    /// A platelet count in `unit`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidMeasurement`] for NaN, infinities, negative values
    /// and values above 5,000 x 10^9/L.
    ///
    /// ```
    /// use sledai::classification::PlateletCount;
    /// use sledai::units::CountUnit;
    /// assert!(PlateletCount::new(f64::INFINITY, CountUnit::GigaPerLitre).is_err());
    /// assert!(PlateletCount::new(250_000.0, CountUnit::PerCubicMillimetre).is_ok());
    /// ```
    pub fn new(value: f64, unit: CountUnit) -> Result<PlateletCount, Error> {
        LabValue::platelets(value, unit).map(PlateletCount)
    }
}

extreme! {
    /// The highest 24-hour urine protein recorded, for the proteinuria
    /// criterion (> 0.5 g/24 h, strict; Aringer 2019). In g/24 h or
    /// mg/24 h. A spot protein/creatinine ratio is not converted (see
    /// `docs/classification.md`).
    ///
    /// Accepted: 0 to 100 g/24 h.
    ///
    /// ```
    /// use sledai::classification::UrineProtein;
    /// use sledai::units::ProteinUnit::{GramsPer24h, MilligramsPer24h};
    ///
    /// assert!(UrineProtein::new(0.51, GramsPer24h)?.meets_criterion());
    /// assert!(!UrineProtein::new(500.0, MilligramsPer24h)?.meets_criterion()); // strict
    /// # Ok::<(), sledai::Error>(())
    /// ```
    UrineProtein, unit = ProteinUnit(Protein), sample = 0.2, key = "max_urine_protein_24h", criterion = Proteinuria,
    ctor = urine_protein_24h, meets = |q| q > PROTEINURIA_GRID
}

impl UrineProtein {
    /// A 24-hour urine protein in `unit`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidMeasurement`] for NaN, infinities, negative values
    /// and values above 100 g/24 h.
    ///
    /// ```
    /// use sledai::classification::UrineProtein;
    /// use sledai::units::ProteinUnit;
    /// assert!(UrineProtein::new(120.0, ProteinUnit::GramsPer24h).is_err());
    /// assert!(UrineProtein::new(120.0, ProteinUnit::MilligramsPer24h).is_ok());
    /// ```
    pub fn new(value: f64, unit: ProteinUnit) -> Result<UrineProtein, Error> {
        LabValue::urine_protein_24h(value, unit).map(UrineProtein)
    }
}

/// Optional raw values for the four numeric criteria, each the most
/// extreme value recorded (the criteria count if met on at least one
/// occasion): the highest temperature, the lowest white cell and platelet
/// counts, the highest 24-hour urine protein. The `measurements` object of
/// a classification input.
///
/// A value given here decides its criterion when the criterion itself is
/// not assessed; when both are given they must agree (see
/// [`evaluate`](super::evaluate)).
///
/// Serde: keys `max_temperature`, `min_white_cells`, `min_platelets`,
/// `max_urine_protein_24h`, each `{"value": number, "unit": text}` with the
/// units of [`crate::units`]; unknown keys are rejected. The round trip is
/// lossless (value and unit as given).
///
/// # Example
///
/// ```
/// use sledai::classification::{BodyTemperature, ExtremeValues, LeukocyteCount};
/// use sledai::units::{CountUnit, TemperatureUnit};
///
/// let m = ExtremeValues::new()
///     .with_max_temperature(BodyTemperature::new(38.9, TemperatureUnit::Celsius)?)
///     .with_min_white_cells(LeukocyteCount::new(3_100.0, CountUnit::PerCubicMillimetre)?);
/// assert_eq!(m.max_temperature().map(|t| t.value()), Some(38.9));
/// assert!(m.min_platelets().is_none());
/// let json = serde_json::to_string(&m).unwrap();
/// assert_eq!(
///     json,
///     r#"{"max_temperature":{"value":38.9,"unit":"C"},"min_white_cells":{"value":3100.0,"unit":"/mm3"}}"#,
/// );
/// assert_eq!(serde_json::from_str::<ExtremeValues>(&json).unwrap(), m);
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtremeValues {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    max_temperature: Option<BodyTemperature>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    min_white_cells: Option<LeukocyteCount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    min_platelets: Option<PlateletCount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    max_urine_protein_24h: Option<UrineProtein>,
}

impl ExtremeValues {
    /// No values.
    ///
    /// ```
    /// use sledai::classification::ExtremeValues;
    /// assert!(ExtremeValues::new().is_empty());
    /// ```
    pub const fn new() -> ExtremeValues {
        ExtremeValues {
            max_temperature: None,
            min_white_cells: None,
            min_platelets: None,
            max_urine_protein_24h: None,
        }
    }

    /// Whether no value is given.
    ///
    /// ```
    /// use sledai::classification::{ExtremeValues, UrineProtein};
    /// use sledai::units::ProteinUnit;
    /// let m = ExtremeValues::new().with_max_urine_protein_24h(UrineProtein::new(0.7, ProteinUnit::GramsPer24h)?);
    /// assert!(!m.is_empty());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn is_empty(&self) -> bool {
        self.max_temperature.is_none()
            && self.min_white_cells.is_none()
            && self.min_platelets.is_none()
            && self.max_urine_protein_24h.is_none()
    }

    /// With the highest temperature recorded.
    ///
    /// ```
    /// use sledai::classification::{BodyTemperature, ExtremeValues};
    /// use sledai::units::TemperatureUnit;
    /// let m = ExtremeValues::new().with_max_temperature(BodyTemperature::new(38.5, TemperatureUnit::Celsius)?);
    /// assert!(m.max_temperature().is_some());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub const fn with_max_temperature(mut self, t: BodyTemperature) -> ExtremeValues {
        self.max_temperature = Some(t);
        self
    }

    /// With the lowest white blood cell count recorded.
    ///
    /// ```
    /// use sledai::classification::{ExtremeValues, LeukocyteCount};
    /// use sledai::units::CountUnit;
    /// let m = ExtremeValues::new().with_min_white_cells(LeukocyteCount::new(3.5, CountUnit::GigaPerLitre)?);
    /// assert!(m.min_white_cells().is_some());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub const fn with_min_white_cells(mut self, c: LeukocyteCount) -> ExtremeValues {
        self.min_white_cells = Some(c);
        self
    }

    /// With the lowest platelet count recorded.
    ///
    /// ```
    /// use sledai::classification::{ExtremeValues, PlateletCount};
    /// use sledai::units::CountUnit;
    /// let m = ExtremeValues::new().with_min_platelets(PlateletCount::new(80.0, CountUnit::GigaPerLitre)?);
    /// assert!(m.min_platelets().is_some());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub const fn with_min_platelets(mut self, c: PlateletCount) -> ExtremeValues {
        self.min_platelets = Some(c);
        self
    }

    /// With the highest 24-hour urine protein recorded.
    ///
    /// ```
    /// use sledai::classification::{ExtremeValues, UrineProtein};
    /// use sledai::units::ProteinUnit;
    /// let m = ExtremeValues::new().with_max_urine_protein_24h(UrineProtein::new(0.4, ProteinUnit::GramsPer24h)?);
    /// assert!(m.max_urine_protein_24h().is_some());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub const fn with_max_urine_protein_24h(mut self, p: UrineProtein) -> ExtremeValues {
        self.max_urine_protein_24h = Some(p);
        self
    }

    /// The highest temperature recorded, if given.
    ///
    /// ```
    /// use sledai::classification::ExtremeValues;
    /// assert!(ExtremeValues::new().max_temperature().is_none());
    /// ```
    pub const fn max_temperature(&self) -> Option<BodyTemperature> {
        self.max_temperature
    }

    /// The lowest white cell count recorded, if given.
    ///
    /// ```
    /// use sledai::classification::ExtremeValues;
    /// assert!(ExtremeValues::new().min_white_cells().is_none());
    /// ```
    pub const fn min_white_cells(&self) -> Option<LeukocyteCount> {
        self.min_white_cells
    }

    /// The lowest platelet count recorded, if given.
    ///
    /// ```
    /// use sledai::classification::ExtremeValues;
    /// assert!(ExtremeValues::new().min_platelets().is_none());
    /// ```
    pub const fn min_platelets(&self) -> Option<PlateletCount> {
        self.min_platelets
    }

    /// The highest 24-hour urine protein recorded, if given.
    ///
    /// ```
    /// use sledai::classification::ExtremeValues;
    /// assert!(ExtremeValues::new().max_urine_protein_24h().is_none());
    /// ```
    pub const fn max_urine_protein_24h(&self) -> Option<UrineProtein> {
        self.max_urine_protein_24h
    }

    /// The criteria decided by the given values: `(criterion, met, key,
    /// value as text)`.
    pub(super) fn derived(
        &self,
    ) -> impl Iterator<Item = (ClassificationCriterion, bool, &'static str, String)> {
        fn one<T: Extreme + fmt::Display>(
            v: Option<T>,
        ) -> Option<(ClassificationCriterion, bool, &'static str, String)> {
            v.map(|v| (T::CRITERION, v.meets(), T::KEY, v.to_string()))
        }
        [
            one(self.max_temperature),
            one(self.min_white_cells),
            one(self.min_platelets),
            one(self.max_urine_protein_24h),
        ]
        .into_iter()
        .flatten()
    }
}
