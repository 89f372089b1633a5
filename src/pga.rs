//! The physician global assessment (PGA) on the 0-3 scale.
//!
//! This module owns [`Pga`]. The SELENA-SLEDAI PGA is a visual analogue
//! scale scored 0 to 3 (0 none, 1 mild, 2 moderate, 3 severe), usually
//! recorded to one decimal (Petri 2005; `docs/reference.md` section 1.4).
//! Its published cut-offs are LLDAS PGA <= 1 (Franklyn 2016), DORIS
//! PGA < 0.5 (van Vollenhoven 2021) and SRI worsening as an increase of
//! >= 0.3 (Furie 2009).
//!
//! A `Pga` is stored as an integer number of tenths, so comparisons at
//! those cut-offs are exact: in binary floating point `1.8 - 1.5` is
//! `0.30000000000000004`, but `Pga` differences are whole tenths. A value
//! given with more precision than a tenth is rejected rather than rounded
//! silently, unless it is within `1e-9` of a tenth (the representation
//! error of a decimal literal such as `0.3`).

use std::fmt;

use crate::error::Error;

/// A physician global assessment, 0.0 to 3.0 in exact tenths.
///
/// # Example
///
/// ```
/// use sledai::Pga;
///
/// let baseline = Pga::new(1.5)?;
/// let follow_up = Pga::new(1.8)?;
/// // Exact: 1.8 - 1.5 is three tenths, not 0.30000000000000004.
/// assert_eq!(follow_up.tenths() - baseline.tenths(), 3);
/// assert!(Pga::new(1.0)? <= Pga::new(1.0)?);
/// assert!(Pga::new(3.5).is_err());
/// assert!(Pga::new(f64::NAN).is_err());
/// assert!(Pga::new(1.25).is_err()); // finer than a tenth
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pga(u8);

impl Pga {
    /// PGA 0: no activity.
    ///
    /// ```
    /// assert_eq!(sledai::Pga::ZERO.value(), 0.0);
    /// ```
    pub const ZERO: Pga = Pga(0);

    /// PGA 3: severe, the top of the scale.
    ///
    /// ```
    /// assert_eq!(sledai::Pga::MAX.tenths(), 30);
    /// ```
    pub const MAX: Pga = Pga(30);

    /// PGA 0.5, the DORIS cut-off (van Vollenhoven 2021).
    pub(crate) const HALF: Pga = Pga(5);

    /// PGA 1.0, the LLDAS cut-off (Franklyn 2016).
    pub(crate) const ONE: Pga = Pga(10);

    /// A PGA from a number on the 0-3 scale with at most one decimal.
    ///
    /// # Errors
    ///
    /// - [`Error::NotFinite`] for NaN or an infinity.
    /// - [`Error::OutOfRange`] below 0 or above 3.
    /// - [`Error::InvalidValue`] for a value that is not a whole number of
    ///   tenths (beyond a `1e-9` tolerance for decimal representation).
    ///
    /// ```
    /// use sledai::Pga;
    /// assert_eq!(Pga::new(0.3)?.tenths(), 3);
    /// assert!(Pga::new(-0.1).is_err());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn new(value: f64) -> Result<Pga, Error> {
        if !value.is_finite() {
            return Err(Error::NotFinite {
                field: "pga",
                value,
            });
        }
        if !(0.0..=3.0).contains(&value) {
            return Err(Error::OutOfRange {
                field: "pga",
                value,
                min: 0.0,
                max: 3.0,
            });
        }
        let scaled = value * 10.0;
        let rounded = scaled.round();
        if (scaled - rounded).abs() > 1e-9 {
            return Err(Error::InvalidValue {
                field: "pga",
                value: value.to_string().into(),
                reason: "the PGA is recorded in tenths (one decimal)".into(),
            });
        }
        // 0.0 <= rounded <= 30.0 here, so the cast is exact.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        Ok(Pga(rounded as u8))
    }

    /// A PGA from a whole number of tenths, 0 to 30.
    ///
    /// # Errors
    ///
    /// [`Error::OutOfRange`] above 30.
    ///
    /// ```
    /// use sledai::Pga;
    /// assert_eq!(Pga::from_tenths(5)?, Pga::new(0.5)?);
    /// assert!(Pga::from_tenths(31).is_err());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn from_tenths(tenths: u8) -> Result<Pga, Error> {
        if tenths > 30 {
            return Err(Error::OutOfRange {
                field: "pga",
                value: tenths as f64 / 10.0,
                min: 0.0,
                max: 3.0,
            });
        }
        Ok(Pga(tenths))
    }

    /// The value in tenths, 0 to 30.
    ///
    /// ```
    /// assert_eq!(sledai::Pga::new(1.2)?.tenths(), 12);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn tenths(self) -> u8 {
        self.0
    }

    /// The value on the 0-3 scale, for display.
    ///
    /// ```
    /// assert_eq!(sledai::Pga::new(1.2)?.value(), 1.2);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn value(self) -> f64 {
        f64::from(self.0) / 10.0
    }
}

impl fmt::Display for Pga {
    /// One decimal: `1.0`, `0.5`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.0 / 10, self.0 % 10)
    }
}

impl std::str::FromStr for Pga {
    type Err = Error;

    /// Parses a number on the 0-3 scale with at most one decimal, as
    /// [`Display`](fmt::Display) writes it; the checks of [`Pga::new`].
    ///
    /// ```
    /// use sledai::Pga;
    /// assert_eq!("1.5".parse::<Pga>()?, Pga::new(1.5)?);
    /// for p in ["0.0", "0.5", "3.0"] {
    ///     assert_eq!(p.parse::<Pga>()?.to_string(), p);
    /// }
    /// assert_eq!(
    ///     "high".parse::<Pga>().unwrap_err().to_string(),
    ///     "pga: invalid value `high`: expected a number from 0 to 3 with at most one decimal"
    /// );
    /// assert!("3.5".parse::<Pga>().is_err());
    /// assert!("0.25".parse::<Pga>().is_err());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    fn from_str(s: &str) -> Result<Pga, Error> {
        let value: f64 = s.parse().map_err(|_| Error::InvalidValue {
            field: "pga",
            value: crate::error::shortened(s).into(),
            reason: "expected a number from 0 to 3 with at most one decimal".into(),
        })?;
        Pga::new(value)
    }
}

impl serde::Serialize for Pga {
    /// A JSON number with one decimal's value, e.g. `1.5`.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.value())
    }
}

impl<'de> serde::Deserialize<'de> for Pga {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = <f64 as serde::Deserialize>::deserialize(d)?;
        Pga::new(v).map_err(serde::de::Error::custom)
    }
}
