//! Units of every measured quantity of the crate (the SLEDAI-2K laboratory
//! values of [`crate::labs`] and the raw values of
//! [`crate::classification`]), with their stable string forms, accepted
//! aliases and exact scale factors. One vocabulary per quantity: parsing,
//! display and serde all derive from the table of each enum.
//!
//! Every value is stored as an integer on a *canonical grid* per quantity
//! (see [`crate::labs`], "Exact comparisons"). The grid is chosen so that
//! every threshold and bound is a whole number of grid steps in every
//! accepted unit, and so that two writings of the same quantity in two
//! units map to the same real number before rounding.

use std::fmt;
use std::str::FromStr;

use crate::error::Error;

/// Normalises a unit string for alias matching: ASCII lower case, no white
/// space, `µ`/`μ` as `u`, `³` as `3`, `°` dropped, `×` as `x`.
pub(crate) fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            c if c.is_whitespace() => {}
            'µ' | 'μ' => out.push('u'),
            '³' => out.push('3'),
            '°' => {}
            '×' => out.push('x'),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

macro_rules! unit_enum {
    (
        $(#[$meta:meta])*
        $name:ident, field = $field:literal, expected = $expected:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $id:literal [$($alias:literal),* $(,)?] ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every accepted unit, in documentation order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable string form (what serialization writes).
            pub const fn id(self) -> &'static str {
                match self {
                    $($name::$variant => $id,)+
                }
            }

            fn aliases(self) -> &'static [&'static str] {
                match self {
                    $($name::$variant => &[$($alias),*],)+
                }
            }

            /// Parses a unit string, reporting errors against `field`.
            pub(crate) fn parse_for(s: &str, field: &'static str) -> Result<$name, Error> {
                let n = normalise(s);
                $name::ALL
                    .iter()
                    .copied()
                    .find(|u| normalise(u.id()) == n || u.aliases().contains(&n.as_str()))
                    .ok_or_else(|| Error::UnknownName {
                        field,
                        value: s.to_owned().into(),
                        expected: $expected,
                    })
            }
        }

        impl fmt::Display for $name {
            /// The stable string form, as [`Self::id`].
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.id())
            }
        }

        impl FromStr for $name {
            type Err = Error;

            /// Parses the stable string form or a documented alias (case and
            /// white space insensitive); anything else is
            /// [`Error::UnknownName`].
            fn from_str(s: &str) -> Result<$name, Error> {
                $name::parse_for(s, $field)
            }
        }
    };
}

unit_enum! {
    /// Unit of a 24-hour urine protein.
    ///
    /// ```
    /// use sledai::units::ProteinUnit;
    /// assert_eq!("mg/day".parse::<ProteinUnit>()?, ProteinUnit::MilligramsPer24h);
    /// assert_eq!(ProteinUnit::GramsPer24h.id(), "g/24h");
    /// assert_eq!(ProteinUnit::ALL.len(), 2);
    /// assert_eq!(ProteinUnit::MilligramsPer24h.to_string(), "mg/24h");
    /// assert!("g/l".parse::<ProteinUnit>().is_err());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    ProteinUnit, field = "unit", expected = "g/24h, mg/24h" {
        /// Grams per 24 hours, `g/24h` (aliases `g/day`, `g/d`).
        GramsPer24h = "g/24h" ["g/day", "g/d"],
        /// Milligrams per 24 hours, `mg/24h` (aliases `mg/day`, `mg/d`).
        MilligramsPer24h = "mg/24h" ["mg/day", "mg/d"],
    }
}

unit_enum! {
    /// Unit of a spot urine protein/creatinine ratio (UPCR).
    ///
    /// `mg/mmol` uses the conventional clinical equivalence of
    /// `docs/reference.md` section 1.3: 0.5 g/g = 500 mg/g = 50 mg/mmol, that
    /// is 1 mg/mmol is taken as 10 mg/g. (The molar mass of creatinine,
    /// 113.12 g/mol, would give 1 mg/mmol = 8.84 mg/g; the library follows
    /// the reference, see `docs/labs.md`.)
    ///
    /// ```
    /// use sledai::units::UpcrUnit;
    /// assert_eq!("mg/mmol".parse::<UpcrUnit>()?, UpcrUnit::MilligramsPerMillimole);
    /// assert_eq!(UpcrUnit::GramsPerGram.id(), "g/g");
    /// # Ok::<(), sledai::Error>(())
    /// ```
    UpcrUnit, field = "unit", expected = "g/g, mg/g, mg/mmol" {
        /// Grams of protein per gram of creatinine, `g/g`.
        GramsPerGram = "g/g" [],
        /// Milligrams of protein per gram of creatinine, `mg/g`.
        MilligramsPerGram = "mg/g" [],
        /// Milligrams of protein per millimole of creatinine, `mg/mmol`.
        MilligramsPerMillimole = "mg/mmol" [],
    }
}

unit_enum! {
    /// Unit of a urine microscopy count: per high-power or low-power field.
    ///
    /// Red and white cells (haematuria, pyuria) must be counted per
    /// high-power field, the unit of the SLEDAI-2K thresholds; casts may be
    /// counted per either field (any cast scores).
    ///
    /// ```
    /// use sledai::units::FieldUnit;
    /// assert_eq!("cells/hpf".parse::<FieldUnit>()?, FieldUnit::PerHighPowerField);
    /// assert_eq!(FieldUnit::PerLowPowerField.id(), "/lpf");
    /// # Ok::<(), sledai::Error>(())
    /// ```
    FieldUnit, field = "unit", expected = "/hpf, /lpf" {
        /// Per high-power field, `/hpf` (aliases `cells/hpf`, `per hpf`).
        PerHighPowerField = "/hpf" ["cells/hpf", "perhpf"],
        /// Per low-power field, `/lpf` (aliases `casts/lpf`, `per lpf`).
        PerLowPowerField = "/lpf" ["casts/lpf", "perlpf"],
    }
}

unit_enum! {
    /// Unit of a blood cell count (platelets, white cells).
    ///
    /// 1 x 10^9/L = 1,000/mm³ = 1,000/µL (`docs/reference.md` section 1.3).
    ///
    /// ```
    /// use sledai::units::CountUnit;
    /// assert_eq!("/µL".parse::<CountUnit>()?, CountUnit::PerMicrolitre);
    /// assert_eq!("/mm³".parse::<CountUnit>()?, CountUnit::PerCubicMillimetre);
    /// assert_eq!("K/uL".parse::<CountUnit>()?, CountUnit::GigaPerLitre);
    /// assert_eq!(CountUnit::GigaPerLitre.id(), "10^9/L");
    /// # Ok::<(), sledai::Error>(())
    /// ```
    CountUnit, field = "unit", expected = "10^9/L, /mm3, /uL" {
        /// 10^9 cells per litre, `10^9/L` (aliases `x10^9/L`, `10*9/L`,
        /// `10^3/uL`, `x10^3/uL`, `K/uL`, `10^3/mm3`: all the same number).
        GigaPerLitre = "10^9/L" ["x10^9/l", "10*9/l", "x10*9/l", "10^3/ul", "x10^3/ul", "k/ul", "10^3/mm3", "x10^3/mm3"],
        /// Cells per cubic millimetre, `/mm3` (aliases `/mm³`, `cells/mm3`).
        PerCubicMillimetre = "/mm3" ["cells/mm3"],
        /// Cells per microlitre, `/uL` (aliases `/µL`, `cells/uL`).
        PerMicrolitre = "/uL" ["cells/ul"],
    }
}

unit_enum! {
    /// Unit of a body temperature.
    ///
    /// ```
    /// use sledai::units::TemperatureUnit;
    /// assert_eq!("°F".parse::<TemperatureUnit>()?, TemperatureUnit::Fahrenheit);
    /// assert_eq!(TemperatureUnit::Celsius.id(), "C");
    /// # Ok::<(), sledai::Error>(())
    /// ```
    TemperatureUnit, field = "unit", expected = "C, F" {
        /// Degrees Celsius, `C` (aliases `°C`, `degC`, `celsius`).
        Celsius = "C" ["degc", "celsius"],
        /// Degrees Fahrenheit, `F` (aliases `°F`, `degF`, `fahrenheit`).
        Fahrenheit = "F" ["degf", "fahrenheit"],
    }
}

unit_enum! {
    /// Unit of a complement measurement (C3, C4, CH50). The value and the
    /// laboratory's limits are given in this one unit, so they are compared
    /// directly; no conversion between these units is ever made.
    ///
    /// ```
    /// use sledai::units::ComplementUnit;
    /// assert_eq!("mg/dl".parse::<ComplementUnit>()?, ComplementUnit::MilligramsPerDecilitre);
    /// assert_eq!(ComplementUnit::GramsPerLitre.id(), "g/L");
    /// # Ok::<(), sledai::Error>(())
    /// ```
    ComplementUnit, field = "unit", expected = "g/L, mg/dL, mg/L, U/mL, %" {
        /// Grams per litre, `g/L`.
        GramsPerLitre = "g/L" [],
        /// Milligrams per decilitre, `mg/dL`.
        MilligramsPerDecilitre = "mg/dL" [],
        /// Milligrams per litre, `mg/L`.
        MilligramsPerLitre = "mg/L" [],
        /// Units per millilitre (CH50 units), `U/mL` (aliases `kU/L`, `units/mL`).
        UnitsPerMillilitre = "U/mL" ["ku/l", "units/ml"],
        /// Percent of a normal reference serum, `%`.
        PercentOfNormal = "%" [],
    }
}

unit_enum! {
    /// Unit of an anti-dsDNA measurement. The value and the laboratory's
    /// upper limit of normal are given in this one unit.
    ///
    /// ```
    /// use sledai::units::AntibodyUnit;
    /// assert_eq!("titre".parse::<AntibodyUnit>()?, AntibodyUnit::ReciprocalTitre);
    /// assert_eq!(AntibodyUnit::InternationalUnitsPerMillilitre.id(), "IU/mL");
    /// # Ok::<(), sledai::Error>(())
    /// ```
    AntibodyUnit, field = "unit", expected = "IU/mL, U/mL, %, index, titer" {
        /// International units per millilitre, `IU/mL`.
        InternationalUnitsPerMillilitre = "IU/mL" [],
        /// Arbitrary assay units per millilitre, `U/mL`.
        UnitsPerMillilitre = "U/mL" [],
        /// Percent binding (Farr assay), `%`.
        PercentBinding = "%" ["%binding"],
        /// An assay index or ratio, `index` (alias `AI`).
        Index = "index" ["ai"],
        /// A reciprocal titre (160 for 1:160), `titer` (alias `titre`).
        ReciprocalTitre = "titer" ["titre"],
    }
}

/// Any unit, as stored in a value. Private: the public API exposes the
/// family enums and the stable string form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum AnyUnit {
    Protein(ProteinUnit),
    Upcr(UpcrUnit),
    Field(FieldUnit),
    Count(CountUnit),
    Temperature(TemperatureUnit),
    Complement(ComplementUnit),
    Antibody(AntibodyUnit),
    /// A presence-only casts report.
    Presence,
}

impl AnyUnit {
    pub(crate) const fn id(self) -> &'static str {
        match self {
            AnyUnit::Protein(u) => u.id(),
            AnyUnit::Upcr(u) => u.id(),
            AnyUnit::Field(u) => u.id(),
            AnyUnit::Count(u) => u.id(),
            AnyUnit::Temperature(u) => u.id(),
            AnyUnit::Complement(u) => u.id(),
            AnyUnit::Antibody(u) => u.id(),
            AnyUnit::Presence => "presence",
        }
    }

    /// `(scale, offset)` such that the grid value is
    /// `round(value * scale + offset)`.
    pub(crate) const fn grid(self) -> (f64, f64) {
        match self {
            AnyUnit::Protein(ProteinUnit::GramsPer24h) => (1e9, 0.0),
            AnyUnit::Protein(ProteinUnit::MilligramsPer24h) => (1e6, 0.0),
            AnyUnit::Upcr(UpcrUnit::GramsPerGram) => (1e9, 0.0),
            AnyUnit::Upcr(UpcrUnit::MilligramsPerGram) => (1e6, 0.0),
            AnyUnit::Upcr(UpcrUnit::MilligramsPerMillimole) => (1e7, 0.0),
            AnyUnit::Count(CountUnit::GigaPerLitre) => (1e9, 0.0),
            AnyUnit::Count(CountUnit::PerCubicMillimetre | CountUnit::PerMicrolitre) => (1e6, 0.0),
            AnyUnit::Temperature(TemperatureUnit::Celsius) => (9e6, 0.0),
            // (F - 32) * 5/9 °C, in ninths of a millionth of a degree C.
            AnyUnit::Temperature(TemperatureUnit::Fahrenheit) => (5e6, -160e6),
            AnyUnit::Field(_) | AnyUnit::Complement(_) | AnyUnit::Antibody(_) => (1e6, 0.0),
            AnyUnit::Presence => (1.0, 0.0),
        }
    }

    /// The grid value of `value` in this unit (see the module docs). The
    /// caller has checked that `value` is finite; a value too large for
    /// `i64` saturates, and the bounds check rejects it.
    pub(crate) fn to_grid(self, value: f64) -> i64 {
        let (scale, offset) = self.grid();
        let q = (value * scale + offset).round();
        // `as` saturates at the i64 range; every accepted value is far
        // inside it (the largest bound is 10^13 grid steps).
        #[allow(clippy::cast_possible_truncation)]
        let q = q as i64;
        q
    }

    /// The value in this unit of `q` grid steps, for display of thresholds
    /// and bounds (exact for every threshold and bound of the crate).
    pub(crate) fn grid_to_value(self, q: i64) -> f64 {
        let (scale, offset) = self.grid();
        // Thresholds and bounds are below 2^53, so the conversion is exact.
        #[allow(clippy::cast_precision_loss)]
        let q = q as f64;
        (q - offset) / scale
    }
}
