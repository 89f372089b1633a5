//! Validated measurements: [`LabValue`] (a number with its unit and, for
//! serology, the laboratory's limits) and [`Measurement`] (a dated value,
//! optionally attributed to a cause other than lupus).

use std::fmt;

use crate::date::Date;
use crate::descriptor::Descriptor;
use crate::error::{Error, MeasurementIssue};

use crate::units::{
    AntibodyUnit, AnyUnit, ComplementUnit, CountUnit, FieldUnit, ProteinUnit, TemperatureUnit,
    UpcrUnit,
};

/// What was measured. Each analyte feeds one SLEDAI-2K descriptor (see
/// [`Analyte::descriptor`]); its identifier is the key of the serialized
/// form (`docs/formats.md`, "Measurements").
///
/// ```
/// use sledai::labs::Analyte;
/// use sledai::Descriptor;
/// assert_eq!(Analyte::Platelets.id(), "platelets");
/// assert_eq!(Analyte::C4.descriptor(), Descriptor::LowComplement);
/// assert_eq!(Analyte::ALL.len(), 12);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Analyte {
    /// 24-hour urine protein (proteinuria).
    UrineProtein24h,
    /// Spot urine protein/creatinine ratio, an opt-in substitute for the
    /// 24-hour urine protein (proteinuria).
    Upcr,
    /// Urine red blood cells per high-power field (haematuria).
    UrineRbc,
    /// Urine white blood cells per high-power field (pyuria).
    UrineWbc,
    /// Heme-granular or red blood cell urinary casts (urinary casts).
    UrinaryCasts,
    /// Platelet count (thrombocytopenia).
    Platelets,
    /// White blood cell count (leukopenia).
    WhiteCells,
    /// Body temperature (fever).
    Temperature,
    /// Complement C3 (low complement).
    C3,
    /// Complement C4 (low complement).
    C4,
    /// Total haemolytic complement CH50 (low complement).
    Ch50,
    /// Anti-double-stranded DNA antibody (increased DNA binding).
    AntiDsDna,
}

impl Analyte {
    /// All analytes, in serialization order.
    ///
    /// ```
    /// assert_eq!(sledai::labs::Analyte::ALL[0].id(), "urine_protein_24h");
    /// ```
    pub const ALL: &'static [Analyte] = &[
        Analyte::UrineProtein24h,
        Analyte::Upcr,
        Analyte::UrineRbc,
        Analyte::UrineWbc,
        Analyte::UrinaryCasts,
        Analyte::Platelets,
        Analyte::WhiteCells,
        Analyte::Temperature,
        Analyte::C3,
        Analyte::C4,
        Analyte::Ch50,
        Analyte::AntiDsDna,
    ];

    /// The stable identifier, the key in serialized measurements.
    ///
    /// ```
    /// assert_eq!(sledai::labs::Analyte::AntiDsDna.id(), "anti_dsdna");
    /// ```
    pub const fn id(self) -> &'static str {
        match self {
            Analyte::UrineProtein24h => "urine_protein_24h",
            Analyte::Upcr => "upcr",
            Analyte::UrineRbc => "urine_rbc",
            Analyte::UrineWbc => "urine_wbc",
            Analyte::UrinaryCasts => "urinary_casts",
            Analyte::Platelets => "platelets",
            Analyte::WhiteCells => "white_cells",
            Analyte::Temperature => "temperature",
            Analyte::C3 => "c3",
            Analyte::C4 => "c4",
            Analyte::Ch50 => "ch50",
            Analyte::AntiDsDna => "anti_dsdna",
        }
    }

    /// The descriptor this analyte is evidence for.
    ///
    /// ```
    /// use sledai::{labs::Analyte, Descriptor};
    /// assert_eq!(Analyte::Upcr.descriptor(), Descriptor::Proteinuria);
    /// ```
    pub const fn descriptor(self) -> Descriptor {
        match self {
            Analyte::UrineProtein24h | Analyte::Upcr => Descriptor::Proteinuria,
            Analyte::UrineRbc => Descriptor::Hematuria,
            Analyte::UrineWbc => Descriptor::Pyuria,
            Analyte::UrinaryCasts => Descriptor::UrinaryCasts,
            Analyte::Platelets => Descriptor::Thrombocytopenia,
            Analyte::WhiteCells => Descriptor::Leukopenia,
            Analyte::Temperature => Descriptor::Fever,
            Analyte::C3 | Analyte::C4 | Analyte::Ch50 => Descriptor::LowComplement,
            Analyte::AntiDsDna => Descriptor::IncreasedDnaBinding,
        }
    }

    pub(crate) const fn unit_field(self) -> &'static str {
        match self {
            Analyte::UrineProtein24h => "urine_protein_24h.unit",
            Analyte::Upcr => "upcr.unit",
            Analyte::UrineRbc => "urine_rbc.unit",
            Analyte::UrineWbc => "urine_wbc.unit",
            Analyte::UrinaryCasts => "urinary_casts.unit",
            Analyte::Platelets => "platelets.unit",
            Analyte::WhiteCells => "white_cells.unit",
            Analyte::Temperature => "temperature.unit",
            Analyte::C3 => "c3.unit",
            Analyte::C4 => "c4.unit",
            Analyte::Ch50 => "ch50.unit",
            Analyte::AntiDsDna => "anti_dsdna.unit",
        }
    }

    pub(crate) const fn lower_limit_field(self) -> &'static str {
        match self {
            Analyte::C4 => "c4.lower_limit",
            Analyte::Ch50 => "ch50.lower_limit",
            _ => "c3.lower_limit",
        }
    }

    pub(crate) const fn upper_limit_field(self) -> &'static str {
        match self {
            Analyte::C3 => "c3.upper_limit",
            Analyte::C4 => "c4.upper_limit",
            Analyte::Ch50 => "ch50.upper_limit",
            _ => "anti_dsdna.upper_limit",
        }
    }
}

impl fmt::Display for Analyte {
    /// The identifier, as [`Analyte::id`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// The complement components of the low-complement descriptor.
///
/// ```
/// use sledai::labs::{Complement, LabValue};
/// use sledai::units::ComplementUnit;
/// let c4 = LabValue::complement(Complement::C4, 0.08, 0.10, ComplementUnit::GramsPerLitre)?;
/// assert!(c4.is_beyond_threshold());
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Complement {
    /// C3.
    C3,
    /// C4.
    C4,
    /// CH50 (total haemolytic complement).
    Ch50,
}

impl Complement {
    const fn analyte(self) -> Analyte {
        match self {
            Complement::C3 => Analyte::C3,
            Complement::C4 => Analyte::C4,
            Complement::Ch50 => Analyte::Ch50,
        }
    }
}

/// A cause other than lupus to which the clinician attributes a finding.
/// An attributed finding does not score (Gladman 2002; `docs/reference.md`
/// section 1.1): the library never guesses attribution, the caller states
/// it.
///
/// ```
/// use sledai::labs::Attribution;
/// assert_eq!(Attribution::Infection.id(), "infection");
/// let a: Attribution = serde_json::from_str("\"drug\"")?;
/// assert_eq!(a, Attribution::Drug);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Attribution {
    /// An infection (fever, pyuria, haematuria).
    Infection,
    /// A drug effect (cytopenias).
    Drug,
    /// A urinary stone (haematuria).
    Stone,
    /// Any other cause the clinician names outside the library.
    Other,
}

impl Attribution {
    /// The stable identifier.
    ///
    /// ```
    /// assert_eq!(sledai::labs::Attribution::Stone.id(), "stone");
    /// ```
    pub const fn id(self) -> &'static str {
        match self {
            Attribution::Infection => "infection",
            Attribution::Drug => "drug",
            Attribution::Stone => "stone",
            Attribution::Other => "other",
        }
    }
}

impl fmt::Display for Attribution {
    /// The identifier, as [`Attribution::id`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// A number on the canonical grid together with the number as given.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Num {
    pub(crate) raw: f64,
    pub(crate) q: i64,
}

/// A validated measurement value with its unit and, for serology, the
/// laboratory's limits of normal. There is no constructor without a unit.
///
/// Constructors check the bounds of `docs/labs.md` ("Validation bounds")
/// and reject NaN, infinities and negative values.
///
/// # Example
///
/// ```
/// use sledai::labs::LabValue;
/// use sledai::units::{CountUnit, TemperatureUnit};
///
/// let plt = LabValue::platelets(87_000.0, CountUnit::PerCubicMillimetre)?;
/// assert_eq!(plt.canonical_value(), 87.0);
/// assert_eq!(plt.canonical_unit(), "10^9/L");
/// assert!(plt.is_beyond_threshold()); // < 100 x 10^9/L
///
/// // 100.4 °F is exactly 38.0 °C: not above 38 °C.
/// assert!(!LabValue::temperature(100.4, TemperatureUnit::Fahrenheit)?.is_beyond_threshold());
/// assert!(LabValue::temperature(100.5, TemperatureUnit::Fahrenheit)?.is_beyond_threshold());
/// assert!(LabValue::temperature(f64::NAN, TemperatureUnit::Celsius).is_err());
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LabValue {
    pub(crate) analyte: Analyte,
    pub(crate) unit: AnyUnit,
    pub(crate) value: Num,
    pub(crate) lower: Option<Num>,
    pub(crate) upper: Option<Num>,
}

/// Grid bounds of a quantity: `(min, max)` inclusive.
struct Bounds {
    min: i64,
    max: i64,
}

const fn bounds(analyte: Analyte, unit: AnyUnit) -> Bounds {
    match (analyte, unit) {
        // 0-100 g/24 h; 0-100 g/g (10^9 grid steps per g).
        (Analyte::UrineProtein24h | Analyte::Upcr, _) => Bounds {
            min: 0,
            max: 100_000_000_000,
        },
        // 0-10,000 per field.
        (Analyte::UrineRbc | Analyte::UrineWbc | Analyte::UrinaryCasts, _) => Bounds {
            min: 0,
            max: 10_000_000_000,
        },
        // 0-5,000 x 10^9/L.
        (Analyte::Platelets, _) => Bounds {
            min: 0,
            max: 5_000_000_000_000,
        },
        // 0-500 x 10^9/L.
        (Analyte::WhiteCells, _) => Bounds {
            min: 0,
            max: 500_000_000_000,
        },
        // 25-45 °C, in ninths of a millionth of a degree.
        (Analyte::Temperature, _) => Bounds {
            min: 225_000_000,
            max: 405_000_000,
        },
        (_, AnyUnit::Complement(u)) => Bounds {
            min: 0,
            max: match u {
                ComplementUnit::GramsPerLitre => 20_000_000,
                ComplementUnit::MilligramsPerDecilitre => 2_000_000_000,
                ComplementUnit::MilligramsPerLitre => 20_000_000_000,
                ComplementUnit::UnitsPerMillilitre => 10_000_000_000,
                ComplementUnit::PercentOfNormal => 1_000_000_000,
            },
        },
        (_, AnyUnit::Antibody(u)) => Bounds {
            min: 0,
            max: match u {
                AntibodyUnit::InternationalUnitsPerMillilitre
                | AntibodyUnit::UnitsPerMillilitre => 1_000_000_000_000,
                AntibodyUnit::PercentBinding => 100_000_000,
                AntibodyUnit::Index => 10_000_000_000,
                AntibodyUnit::ReciprocalTitre => 10_000_000_000_000,
            },
        },
        _ => Bounds { min: 0, max: 0 },
    }
}

fn field_of(analyte: Analyte) -> &'static str {
    analyte.id()
}

/// Validates `raw` in `unit` for `field` against the bounds of `analyte`.
fn check(analyte: Analyte, field: &'static str, raw: f64, unit: AnyUnit) -> Result<Num, Error> {
    let bad = |issue| Error::InvalidMeasurement {
        field,
        value: raw,
        unit: unit.id(),
        issue,
    };
    if !raw.is_finite() {
        return Err(bad(MeasurementIssue::NotFinite));
    }
    // -0.0 is zero; store it as +0.0 so it never prints as "-0".
    let raw = if raw == 0.0 { 0.0 } else { raw };
    let b = bounds(analyte, unit);
    if raw < 0.0 && b.min == 0 {
        return Err(bad(MeasurementIssue::Negative));
    }
    let q = unit.to_grid(raw);
    if q < b.min {
        return Err(bad(if b.min == 0 {
            MeasurementIssue::Negative
        } else {
            MeasurementIssue::BelowMinimum {
                min: unit.grid_to_value(b.min),
            }
        }));
    }
    if q > b.max {
        return Err(bad(MeasurementIssue::AboveMaximum {
            max: unit.grid_to_value(b.max),
        }));
    }
    Ok(Num { raw, q })
}

fn check_limit(
    analyte: Analyte,
    field: &'static str,
    raw: f64,
    unit: AnyUnit,
) -> Result<Num, Error> {
    let n = check(analyte, field, raw, unit)?;
    if n.q <= 0 {
        return Err(Error::InvalidMeasurement {
            field,
            value: raw,
            unit: unit.id(),
            issue: MeasurementIssue::LimitNotPositive,
        });
    }
    Ok(n)
}

impl LabValue {
    fn simple(analyte: Analyte, value: f64, unit: AnyUnit) -> Result<LabValue, Error> {
        Ok(LabValue {
            analyte,
            unit,
            value: check(analyte, field_of(analyte), value, unit)?,
            lower: None,
            upper: None,
        })
    }

    /// A 24-hour urine protein (proteinuria: > 0.5 g/24 h, Gladman 2002).
    /// Accepted: 0 to 100 g/24 h.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidMeasurement`] for NaN, infinities, negative values
    /// and values above 100 g/24 h.
    ///
    /// ```
    /// use sledai::labs::LabValue;
    /// use sledai::units::ProteinUnit;
    /// assert!(LabValue::urine_protein_24h(620.0, ProteinUnit::MilligramsPer24h)?.is_beyond_threshold());
    /// assert!(!LabValue::urine_protein_24h(0.5, ProteinUnit::GramsPer24h)?.is_beyond_threshold());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn urine_protein_24h(value: f64, unit: ProteinUnit) -> Result<LabValue, Error> {
        LabValue::simple(Analyte::UrineProtein24h, value, AnyUnit::Protein(unit))
    }

    /// A spot urine protein/creatinine ratio (UPCR), used for proteinuria
    /// only when the caller opts in (see
    /// [`DeriveOptions::with_upcr`](crate::labs::DeriveOptions::with_upcr)),
    /// scoring above 0.5 g/g = 500 mg/g = 50 mg/mmol (`docs/reference.md`
    /// section 1.3, project policy). Accepted: 0 to 100 g/g.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidMeasurement`] for NaN, infinities, negative values
    /// and values above 100 g/g.
    ///
    /// ```
    /// use sledai::labs::LabValue;
    /// use sledai::units::UpcrUnit;
    /// assert!(LabValue::upcr(51.0, UpcrUnit::MilligramsPerMillimole)?.is_beyond_threshold());
    /// assert!(!LabValue::upcr(50.0, UpcrUnit::MilligramsPerMillimole)?.is_beyond_threshold());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn upcr(value: f64, unit: UpcrUnit) -> Result<LabValue, Error> {
        LabValue::simple(Analyte::Upcr, value, AnyUnit::Upcr(unit))
    }

    fn cells(analyte: Analyte, value: f64, unit: FieldUnit) -> Result<LabValue, Error> {
        if unit != FieldUnit::PerHighPowerField {
            return Err(Error::InvalidMeasurement {
                field: field_of(analyte),
                value,
                unit: unit.id(),
                issue: MeasurementIssue::UnitNotAccepted,
            });
        }
        LabValue::simple(analyte, value, AnyUnit::Field(unit))
    }

    /// Urine red blood cells per high-power field (haematuria: > 5/hpf,
    /// Gladman 2002). Accepted: 0 to 10,000 /hpf.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidMeasurement`] for NaN, infinities, negative values,
    /// values above 10,000 and a count per low-power field.
    ///
    /// ```
    /// use sledai::labs::LabValue;
    /// use sledai::units::FieldUnit;
    /// assert!(LabValue::urine_rbc(6.0, FieldUnit::PerHighPowerField)?.is_beyond_threshold());
    /// assert!(!LabValue::urine_rbc(5.0, FieldUnit::PerHighPowerField)?.is_beyond_threshold());
    /// assert!(LabValue::urine_rbc(6.0, FieldUnit::PerLowPowerField).is_err());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn urine_rbc(value: f64, unit: FieldUnit) -> Result<LabValue, Error> {
        LabValue::cells(Analyte::UrineRbc, value, unit)
    }

    /// Urine white blood cells per high-power field (pyuria: > 5/hpf,
    /// Gladman 2002). Accepted: 0 to 10,000 /hpf.
    ///
    /// # Errors
    ///
    /// As [`LabValue::urine_rbc`].
    ///
    /// ```
    /// use sledai::labs::LabValue;
    /// use sledai::units::FieldUnit;
    /// assert!(LabValue::urine_wbc(5.5, FieldUnit::PerHighPowerField)?.is_beyond_threshold());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn urine_wbc(value: f64, unit: FieldUnit) -> Result<LabValue, Error> {
        LabValue::cells(Analyte::UrineWbc, value, unit)
    }

    /// A count of heme-granular or red blood cell casts per field (urinary
    /// casts: any, > 0, scores; Gladman 2002). Other casts (hyaline, waxy)
    /// are not SLEDAI-2K casts and must not be entered. Accepted: 0 to
    /// 10,000 per field.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidMeasurement`] for NaN, infinities, negative values
    /// and values above 10,000.
    ///
    /// ```
    /// use sledai::labs::LabValue;
    /// use sledai::units::FieldUnit;
    /// assert!(LabValue::urinary_casts(1.0, FieldUnit::PerLowPowerField)?.is_beyond_threshold());
    /// assert!(!LabValue::urinary_casts(0.0, FieldUnit::PerLowPowerField)?.is_beyond_threshold());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn urinary_casts(count: f64, unit: FieldUnit) -> Result<LabValue, Error> {
        LabValue::simple(Analyte::UrinaryCasts, count, AnyUnit::Field(unit))
    }

    /// A presence-only report of heme-granular or red blood cell casts
    /// (`true`: seen, scores; `false`: looked for and not seen).
    ///
    /// ```
    /// use sledai::labs::LabValue;
    /// assert!(LabValue::urinary_casts_present(true).is_beyond_threshold());
    /// assert_eq!(LabValue::urinary_casts_present(false).present(), Some(false));
    /// ```
    pub const fn urinary_casts_present(present: bool) -> LabValue {
        let q = if present { 1 } else { 0 };
        LabValue {
            analyte: Analyte::UrinaryCasts,
            unit: AnyUnit::Presence,
            value: Num {
                raw: if present { 1.0 } else { 0.0 },
                q,
            },
            lower: None,
            upper: None,
        }
    }

    /// A platelet count (thrombocytopenia: < 100 x 10^9/L, Gladman 2002).
    /// Accepted: 0 to 5,000 x 10^9/L.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidMeasurement`] for NaN, infinities, negative values
    /// and values above 5,000 x 10^9/L.
    ///
    /// ```
    /// use sledai::labs::LabValue;
    /// use sledai::units::CountUnit;
    /// assert!(LabValue::platelets(99_999.0, CountUnit::PerMicrolitre)?.is_beyond_threshold());
    /// assert!(!LabValue::platelets(100.0, CountUnit::GigaPerLitre)?.is_beyond_threshold());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn platelets(value: f64, unit: CountUnit) -> Result<LabValue, Error> {
        LabValue::simple(Analyte::Platelets, value, AnyUnit::Count(unit))
    }

    /// A white blood cell count (leukopenia: < 3 x 10^9/L, Gladman 2002).
    /// Accepted: 0 to 500 x 10^9/L.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidMeasurement`] for NaN, infinities, negative values
    /// and values above 500 x 10^9/L.
    ///
    /// ```
    /// use sledai::labs::LabValue;
    /// use sledai::units::CountUnit;
    /// assert!(LabValue::white_cells(2_999.0, CountUnit::PerCubicMillimetre)?.is_beyond_threshold());
    /// assert!(!LabValue::white_cells(3.0, CountUnit::GigaPerLitre)?.is_beyond_threshold());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn white_cells(value: f64, unit: CountUnit) -> Result<LabValue, Error> {
        LabValue::simple(Analyte::WhiteCells, value, AnyUnit::Count(unit))
    }

    /// A body temperature (fever: > 38 °C, Gladman 2002). Accepted: 25 to
    /// 45 °C (77 to 113 °F).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidMeasurement`] for NaN, infinities and values outside
    /// 25-45 °C.
    ///
    /// ```
    /// use sledai::labs::LabValue;
    /// use sledai::units::TemperatureUnit;
    /// assert!(LabValue::temperature(38.1, TemperatureUnit::Celsius)?.is_beyond_threshold());
    /// assert!(LabValue::temperature(46.0, TemperatureUnit::Celsius).is_err());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn temperature(value: f64, unit: TemperatureUnit) -> Result<LabValue, Error> {
        LabValue::simple(Analyte::Temperature, value, AnyUnit::Temperature(unit))
    }

    /// A complement component with the testing laboratory's lower limit of
    /// normal, both in `unit` (low complement: below the lower limit,
    /// Gladman 2002).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidMeasurement`] for a value or limit that is NaN,
    /// infinite, negative or above the unit's cap (`docs/labs.md`), and for
    /// a limit that is zero.
    ///
    /// ```
    /// use sledai::labs::{Complement, LabValue};
    /// use sledai::units::ComplementUnit;
    /// let c3 = LabValue::complement(Complement::C3, 0.71, 0.90, ComplementUnit::GramsPerLitre)?;
    /// assert!(c3.is_beyond_threshold());
    /// assert_eq!(c3.lower_limit(), Some(0.90));
    /// assert!(LabValue::complement(Complement::C3, 0.71, 0.0, ComplementUnit::GramsPerLitre).is_err());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn complement(
        component: Complement,
        value: f64,
        lower_limit: f64,
        unit: ComplementUnit,
    ) -> Result<LabValue, Error> {
        let analyte = component.analyte();
        let unit = AnyUnit::Complement(unit);
        Ok(LabValue {
            analyte,
            unit,
            value: check(analyte, field_of(analyte), value, unit)?,
            lower: Some(check_limit(
                analyte,
                analyte.lower_limit_field(),
                lower_limit,
                unit,
            )?),
            upper: None,
        })
    }

    /// As [`LabValue::complement`], with the laboratory's full reference
    /// range. The upper limit is recorded and validated, not used for
    /// scoring.
    ///
    /// # Errors
    ///
    /// As [`LabValue::complement`], and
    /// [`MeasurementIssue::LowerLimitNotBelowUpper`] when the lower limit is
    /// not below the upper limit.
    ///
    /// ```
    /// use sledai::labs::{Complement, LabValue};
    /// use sledai::units::ComplementUnit;
    /// let u = ComplementUnit::MilligramsPerDecilitre;
    /// assert!(LabValue::complement_with_range(Complement::C4, 12.0, 10.0, 40.0, u).is_ok());
    /// assert!(LabValue::complement_with_range(Complement::C4, 12.0, 40.0, 10.0, u).is_err());
    /// ```
    pub fn complement_with_range(
        component: Complement,
        value: f64,
        lower_limit: f64,
        upper_limit: f64,
        unit: ComplementUnit,
    ) -> Result<LabValue, Error> {
        let mut v = LabValue::complement(component, value, lower_limit, unit)?;
        let analyte = v.analyte;
        let upper = check_limit(analyte, analyte.upper_limit_field(), upper_limit, v.unit)?;
        if let Some(lower) = v.lower {
            if lower.q >= upper.q {
                return Err(Error::InvalidMeasurement {
                    field: analyte.lower_limit_field(),
                    value: lower.raw,
                    unit: v.unit.id(),
                    issue: MeasurementIssue::LowerLimitNotBelowUpper { upper: upper.raw },
                });
            }
        }
        v.upper = Some(upper);
        Ok(v)
    }

    /// An anti-dsDNA antibody level with the testing laboratory's upper
    /// limit of normal, both in `unit` (increased DNA binding: above the
    /// limit, Gladman 2002).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidMeasurement`] for a value or limit that is NaN,
    /// infinite, negative or above the unit's cap (`docs/labs.md`), and for
    /// a limit that is zero.
    ///
    /// ```
    /// use sledai::labs::LabValue;
    /// use sledai::units::AntibodyUnit;
    /// let u = AntibodyUnit::InternationalUnitsPerMillilitre;
    /// assert!(LabValue::anti_dsdna(250.0, 200.0, u)?.is_beyond_threshold());
    /// assert!(!LabValue::anti_dsdna(200.0, 200.0, u)?.is_beyond_threshold());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn anti_dsdna(value: f64, upper_limit: f64, unit: AntibodyUnit) -> Result<LabValue, Error> {
        let analyte = Analyte::AntiDsDna;
        let unit = AnyUnit::Antibody(unit);
        Ok(LabValue {
            analyte,
            unit,
            value: check(analyte, field_of(analyte), value, unit)?,
            lower: None,
            upper: Some(check_limit(
                analyte,
                analyte.upper_limit_field(),
                upper_limit,
                unit,
            )?),
        })
    }

    /// What was measured.
    ///
    /// ```
    /// use sledai::labs::{Analyte, LabValue};
    /// assert_eq!(LabValue::urinary_casts_present(true).analyte(), Analyte::UrinaryCasts);
    /// ```
    pub const fn analyte(&self) -> Analyte {
        self.analyte
    }

    /// The value as given, in its unit. A presence-only casts report gives
    /// 1 (present) or 0 (absent); see [`LabValue::present`].
    ///
    /// ```
    /// use sledai::labs::LabValue;
    /// use sledai::units::CountUnit;
    /// assert_eq!(LabValue::platelets(87_000.0, CountUnit::PerCubicMillimetre)?.value(), 87_000.0);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn value(&self) -> f64 {
        self.value.raw
    }

    /// The stable string form of the unit (`"g/24h"`, `"/mm3"`, `"F"`, ...;
    /// `"presence"` for a presence-only casts report).
    ///
    /// ```
    /// use sledai::labs::LabValue;
    /// use sledai::units::CountUnit;
    /// assert_eq!(LabValue::platelets(87.0, CountUnit::GigaPerLitre)?.unit(), "10^9/L");
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn unit(&self) -> &'static str {
        self.unit.id()
    }

    /// For a presence-only casts report, whether casts were seen; `None`
    /// for every other value.
    ///
    /// ```
    /// use sledai::labs::LabValue;
    /// assert_eq!(LabValue::urinary_casts_present(true).present(), Some(true));
    /// ```
    pub const fn present(&self) -> Option<bool> {
        match self.unit {
            AnyUnit::Presence => Some(self.value.q > 0),
            _ => None,
        }
    }

    /// The laboratory's lower limit of normal (complement only).
    ///
    /// ```
    /// use sledai::labs::{Complement, LabValue};
    /// use sledai::units::ComplementUnit;
    /// let c = LabValue::complement(Complement::Ch50, 30.0, 41.0, ComplementUnit::UnitsPerMillilitre)?;
    /// assert_eq!(c.lower_limit(), Some(41.0));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn lower_limit(&self) -> Option<f64> {
        match self.lower {
            Some(n) => Some(n.raw),
            None => None,
        }
    }

    /// The laboratory's upper limit of normal (anti-dsDNA; complement when
    /// a full range was given).
    ///
    /// ```
    /// use sledai::labs::LabValue;
    /// use sledai::units::AntibodyUnit;
    /// let d = LabValue::anti_dsdna(15.0, 10.0, AntibodyUnit::Index)?;
    /// assert_eq!(d.upper_limit(), Some(10.0));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn upper_limit(&self) -> Option<f64> {
        match self.upper {
            Some(n) => Some(n.raw),
            None => None,
        }
    }

    /// The value in the canonical unit of its quantity
    /// ([`LabValue::canonical_unit`]), computed from the exact grid value:
    /// 24-hour protein in g/24h, UPCR in g/g, counts in 10^9/L, temperature
    /// in °C, everything else in its own unit.
    ///
    /// ```
    /// use sledai::labs::LabValue;
    /// use sledai::units::{ProteinUnit, TemperatureUnit, UpcrUnit};
    /// assert_eq!(LabValue::urine_protein_24h(620.0, ProteinUnit::MilligramsPer24h)?.canonical_value(), 0.62);
    /// assert_eq!(LabValue::temperature(100.4, TemperatureUnit::Fahrenheit)?.canonical_value(), 38.0);
    /// assert_eq!(LabValue::upcr(50.0, UpcrUnit::MilligramsPerMillimole)?.canonical_value(), 0.5);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn canonical_value(&self) -> f64 {
        self.canonical_unit_any().grid_to_value(self.value.q)
    }

    /// The canonical unit of [`LabValue::canonical_value`].
    ///
    /// ```
    /// use sledai::labs::LabValue;
    /// use sledai::units::TemperatureUnit;
    /// assert_eq!(LabValue::temperature(99.0, TemperatureUnit::Fahrenheit)?.canonical_unit(), "C");
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn canonical_unit(&self) -> &'static str {
        self.canonical_unit_any().id()
    }

    const fn canonical_unit_any(&self) -> AnyUnit {
        match self.unit {
            AnyUnit::Protein(_) => AnyUnit::Protein(ProteinUnit::GramsPer24h),
            AnyUnit::Upcr(_) => AnyUnit::Upcr(UpcrUnit::GramsPerGram),
            AnyUnit::Count(_) => AnyUnit::Count(CountUnit::GigaPerLitre),
            AnyUnit::Temperature(_) => AnyUnit::Temperature(TemperatureUnit::Celsius),
            other => other,
        }
    }

    /// The SLEDAI-2K threshold of this value, in its own unit.
    ///
    /// ```
    /// use sledai::labs::LabValue;
    /// use sledai::units::CountUnit;
    /// let t = LabValue::platelets(87_000.0, CountUnit::PerCubicMillimetre)?.threshold();
    /// assert_eq!(t.to_string(), "< 100000 /mm3");
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn threshold(&self) -> Threshold {
        let (comparison, q) = self.threshold_grid();
        let value = match self.analyte {
            Analyte::C3 | Analyte::C4 | Analyte::Ch50 => self.lower.map_or(0.0, |n| n.raw),
            Analyte::AntiDsDna => self.upper.map_or(0.0, |n| n.raw),
            _ => self.unit.grid_to_value(q),
        };
        Threshold {
            comparison,
            value,
            unit: self.unit.id(),
        }
    }

    /// `(comparison, grid threshold)`.
    const fn threshold_grid(&self) -> (Comparison, i64) {
        match self.analyte {
            // > 0.5 g/24 h; > 0.5 g/g.
            Analyte::UrineProtein24h | Analyte::Upcr => (Comparison::Above, 500_000_000),
            // > 5 /hpf.
            Analyte::UrineRbc | Analyte::UrineWbc => (Comparison::Above, 5_000_000),
            // > 0 casts.
            Analyte::UrinaryCasts => (Comparison::Above, 0),
            // < 100 x 10^9/L.
            Analyte::Platelets => (Comparison::Below, 100_000_000_000),
            // < 3 x 10^9/L.
            Analyte::WhiteCells => (Comparison::Below, 3_000_000_000),
            // > 38 °C.
            Analyte::Temperature => (Comparison::Above, 342_000_000),
            Analyte::C3 | Analyte::C4 | Analyte::Ch50 => (
                Comparison::Below,
                match self.lower {
                    Some(n) => n.q,
                    None => 0,
                },
            ),
            Analyte::AntiDsDna => (
                Comparison::Above,
                match self.upper {
                    Some(n) => n.q,
                    None => i64::MAX,
                },
            ),
        }
    }

    /// Whether the value is beyond its SLEDAI-2K threshold (strictly), by
    /// exact comparison on the canonical grid. Date, window and attribution
    /// are not considered here.
    ///
    /// ```
    /// use sledai::labs::LabValue;
    /// use sledai::units::CountUnit;
    /// assert!(!LabValue::white_cells(3_000.0, CountUnit::PerMicrolitre)?.is_beyond_threshold());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn is_beyond_threshold(&self) -> bool {
        let (comparison, t) = self.threshold_grid();
        match comparison {
            Comparison::Above => self.value.q > t,
            Comparison::Below => self.value.q < t,
        }
    }
}

/// The direction of a strict threshold.
///
/// ```
/// use sledai::labs::Comparison;
/// assert_eq!(Comparison::Above.symbol(), ">");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparison {
    /// Scores when strictly above the threshold.
    Above,
    /// Scores when strictly below the threshold.
    Below,
}

impl Comparison {
    /// `">"` or `"<"`.
    ///
    /// ```
    /// assert_eq!(sledai::labs::Comparison::Below.symbol(), "<");
    /// ```
    pub const fn symbol(self) -> &'static str {
        match self {
            Comparison::Above => ">",
            Comparison::Below => "<",
        }
    }
}

/// A threshold in the unit of the measurement it applies to.
///
/// ```
/// use sledai::labs::{LabValue, Comparison};
/// use sledai::units::TemperatureUnit;
/// let t = LabValue::temperature(99.0, TemperatureUnit::Fahrenheit)?.threshold();
/// assert_eq!((t.comparison, t.value, t.unit), (Comparison::Above, 100.4, "F"));
/// assert_eq!(t.to_string(), "> 100.4 F");
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Threshold {
    /// Above or below.
    pub comparison: Comparison,
    /// The threshold value, in `unit`.
    pub value: f64,
    /// The unit, as its stable string form.
    pub unit: &'static str,
}

impl fmt::Display for Threshold {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.unit == "presence" {
            return f.write_str("present");
        }
        write!(
            f,
            "{} {} {}",
            self.comparison.symbol(),
            self.value,
            self.unit
        )
    }
}

/// A dated measurement, optionally attributed to a cause other than lupus.
///
/// ```
/// use sledai::labs::{Attribution, LabValue, Measurement};
/// use sledai::units::CountUnit;
/// use sledai::Date;
///
/// let m = Measurement::new(
///     Date::new(2024, 7, 1)?,
///     LabValue::platelets(87_000.0, CountUnit::PerCubicMillimetre)?,
/// )
/// .with_attribution(Attribution::Drug);
/// assert_eq!(m.attribution(), Some(Attribution::Drug));
/// assert_eq!(m.date().to_string(), "2024-07-01");
/// assert_eq!(m.value().value(), 87_000.0);
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measurement {
    pub(crate) date: Date,
    pub(crate) value: LabValue,
    pub(crate) attribution: Option<Attribution>,
}

impl Measurement {
    /// A measurement on `date`, attributed to lupus (not to another cause).
    ///
    /// ```
    /// use sledai::labs::{LabValue, Measurement};
    /// let m = Measurement::new("2024-07-01".parse()?, LabValue::urinary_casts_present(true));
    /// assert_eq!(m.attribution(), None);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn new(date: Date, value: LabValue) -> Measurement {
        Measurement {
            date,
            value,
            attribution: None,
        }
    }

    /// The measurement, attributed by the clinician to `cause`: it does not
    /// score.
    ///
    /// ```
    /// use sledai::labs::{Attribution, LabValue, Measurement};
    /// use sledai::units::FieldUnit;
    /// let m = Measurement::new("2024-07-01".parse()?, LabValue::urine_wbc(20.0, FieldUnit::PerHighPowerField)?)
    ///     .with_attribution(Attribution::Infection);
    /// assert_eq!(m.attribution(), Some(Attribution::Infection));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub const fn with_attribution(mut self, cause: Attribution) -> Measurement {
        self.attribution = Some(cause);
        self
    }

    /// The date of the measurement.
    ///
    /// ```
    /// use sledai::labs::{LabValue, Measurement};
    /// let m = Measurement::new("2024-07-01".parse()?, LabValue::urinary_casts_present(false));
    /// assert_eq!(m.date(), "2024-07-01".parse()?);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn date(&self) -> Date {
        self.date
    }

    /// The value.
    ///
    /// ```
    /// use sledai::labs::{LabValue, Measurement};
    /// let m = Measurement::new("2024-07-01".parse()?, LabValue::urinary_casts_present(true));
    /// assert!(m.value().is_beyond_threshold());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn value(&self) -> LabValue {
        self.value
    }

    /// The cause other than lupus the finding is attributed to, if any.
    ///
    /// ```
    /// use sledai::labs::{LabValue, Measurement};
    /// let m = Measurement::new("2024-07-01".parse()?, LabValue::urinary_casts_present(true));
    /// assert!(m.attribution().is_none());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn attribution(&self) -> Option<Attribution> {
        self.attribution
    }
}
