//! The entry criterion: the antinuclear antibody titre on HEp-2 cells.

use std::fmt;
use std::str::FromStr;

use crate::error::Error;

/// An antinuclear antibody titre `1:N` on HEp-2 cells (indirect
/// immunofluorescence), stored as the dilution `N`.
///
/// The entry criterion of Aringer 2019 is a titre of at least 1:80, ever:
/// give the highest titre recorded. Parsing is strict: exactly `1:`
/// followed by a positive whole number without sign, spaces or leading
/// zeros.
///
/// Serializes as the text `"1:N"`.
///
/// # Example
///
/// ```
/// use sledai::classification::AnaTitre;
///
/// let t: AnaTitre = "1:160".parse()?;
/// assert_eq!(t.dilution(), 160);
/// assert!(t.meets_entry());
/// assert!("1:80".parse::<AnaTitre>()?.meets_entry());
/// assert!(!"1:40".parse::<AnaTitre>()?.meets_entry());
/// let err = "1/80".parse::<AnaTitre>().unwrap_err();
/// assert!(err.to_string().starts_with("ana_titre: invalid value `1/80`"));
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AnaTitre(u32);

impl AnaTitre {
    /// The smallest dilution that meets the entry criterion: 1:80.
    ///
    /// ```
    /// use sledai::classification::AnaTitre;
    /// assert_eq!(AnaTitre::ENTRY_MIN_DILUTION, 80);
    /// ```
    pub const ENTRY_MIN_DILUTION: u32 = 80;

    /// A titre `1:dilution`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidValue`] (field `ana_titre`) for a dilution of 0.
    ///
    /// ```
    /// use sledai::classification::AnaTitre;
    /// assert_eq!(AnaTitre::new(320)?.to_string(), "1:320");
    /// assert!(AnaTitre::new(0).is_err());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn new(dilution: u32) -> Result<AnaTitre, Error> {
        if dilution == 0 {
            return Err(Error::InvalidValue {
                field: "ana_titre",
                value: "1:0".into(),
                reason: "the dilution must be a positive whole number".into(),
            });
        }
        Ok(AnaTitre(dilution))
    }

    /// The dilution `N` of `1:N`.
    ///
    /// ```
    /// use sledai::classification::AnaTitre;
    /// assert_eq!(AnaTitre::new(80)?.dilution(), 80);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn dilution(self) -> u32 {
        self.0
    }

    /// Whether the titre is at least 1:80 (the entry criterion).
    ///
    /// ```
    /// use sledai::classification::AnaTitre;
    /// assert!(AnaTitre::new(80)?.meets_entry());
    /// assert!(!AnaTitre::new(79)?.meets_entry());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn meets_entry(self) -> bool {
        self.0 >= Self::ENTRY_MIN_DILUTION
    }
}

impl fmt::Display for AnaTitre {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "1:{}", self.0)
    }
}

impl FromStr for AnaTitre {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        let bad = |reason: &str| Error::InvalidValue {
            field: "ana_titre",
            value: s.to_owned().into(),
            reason: reason.to_owned().into(),
        };
        let digits = s
            .strip_prefix("1:")
            .ok_or_else(|| bad("expected a titre written `1:N`, for example `1:160`"))?;
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad(
                "expected a titre written `1:N` with N a positive whole number, for example `1:160`",
            ));
        }
        if digits.starts_with('0') {
            return Err(bad(
                "the dilution must be a positive whole number without leading zeros",
            ));
        }
        let n: u32 = digits
            .parse()
            .map_err(|_| bad("the dilution is too large"))?;
        Ok(AnaTitre(n))
    }
}

impl serde::Serialize for AnaTitre {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for AnaTitre {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}
