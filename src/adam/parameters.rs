//! The parameters of the dataset: ONE table ([`OTHER_PARAMETERS`] for the
//! parameters that are not descriptors; the 24 descriptor parameters are
//! derived from the descriptor table, [`Descriptor::ALL`]).
//!
//! CDISC publishes no controlled terminology for SLEDAI-2K, so the codes
//! (`PARAMCD`) and labels (`PARAM`) are the project's documented defaults
//! (`docs/adam.md`); a user renames a code with
//! [`AdamOptions::with_parameter_code`](super::AdamOptions::with_parameter_code).

use crate::descriptor::Descriptor;
use crate::error::Error;

/// One parameter (`PARAMCD`) of the dataset.
///
/// Identifiers (what [`Parameter::id`] writes and `FromStr` reads):
/// `sledai_2k`, `clinical_sledai_2k`, each descriptor's identifier
/// (`arthritis`, ...), `pga`, `prednisone_equivalent`, `lldas`, `doris`.
///
/// ```
/// use sledai::adam::Parameter;
/// use sledai::Descriptor;
/// assert_eq!(Parameter::ALL.len(), 30);
/// assert_eq!(Parameter::Sledai2k.default_code(), "SLEDAI");
/// assert_eq!(Parameter::Item(Descriptor::Arthritis).default_code(), "SLED09");
/// assert_eq!("arthritis".parse::<Parameter>()?, Parameter::Item(Descriptor::Arthritis));
/// assert!("sledai".parse::<Parameter>().is_err());
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Parameter {
    /// SLEDAI-2K total (Gladman 2002).
    Sledai2k,
    /// Clinical SLEDAI-2K: the total without the two serology descriptors.
    ClinicalSledai2k,
    /// One descriptor: `AVAL` 1 present, 0 absent; `AVALC` `Y` / `N`.
    Item(Descriptor),
    /// Physician global assessment (0-3).
    Pga,
    /// Prednisone-equivalent glucocorticoid dose, mg/day.
    PrednisoneEquivalent,
    /// LLDAS (Franklyn 2016): `AVAL` 1 met, 0 not met.
    Lldas,
    /// DORIS 2021 remission: `AVAL` 1 met, 0 not met.
    Doris,
}

/// How a parameter's value is written.
///
/// ```
/// use sledai::adam::{Parameter, ValueKind};
/// assert_eq!(Parameter::Lldas.kind(), ValueKind::State);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ValueKind {
    /// A total that may be a range (items not assessed): `AVAL` empty and
    /// the bounds in `AVALLO` / `AVALHI`.
    Total,
    /// A descriptor finding: 1 / 0, `AVALC` `Y` / `N`.
    Finding,
    /// A number (PGA, dose): `AVAL` only.
    Number,
    /// A three-valued state: 1 / 0, `AVALC` `met` / `not_met`.
    State,
}

/// One row of the table of parameters that are not descriptors:
/// parameter, identifier, default `PARAMCD`, `PARAM`, kind.
pub type ParameterRow = (
    Parameter,
    &'static str,
    &'static str,
    &'static str,
    ValueKind,
);

/// The parameters that are not descriptors, in dataset order around the
/// descriptors (the first two before them, the rest after): THE table of
/// their identifiers, default codes and labels.
///
/// ```
/// use sledai::adam::OTHER_PARAMETERS;
/// assert_eq!(OTHER_PARAMETERS[0].2, "SLEDAI");
/// ```
pub const OTHER_PARAMETERS: [ParameterRow; 6] = [
    (
        Parameter::Sledai2k,
        "sledai_2k",
        "SLEDAI",
        "SLEDAI-2K total score",
        ValueKind::Total,
    ),
    (
        Parameter::ClinicalSledai2k,
        "clinical_sledai_2k",
        "CSLEDAI",
        "Clinical SLEDAI-2K score (serology excluded)",
        ValueKind::Total,
    ),
    (
        Parameter::Pga,
        "pga",
        "PGA",
        "Physician global assessment (0-3)",
        ValueKind::Number,
    ),
    (
        Parameter::PrednisoneEquivalent,
        "prednisone_equivalent",
        "PREDEQ",
        "Prednisone-equivalent dose (mg/day)",
        ValueKind::Number,
    ),
    (
        Parameter::Lldas,
        "lldas",
        "LLDAS",
        "LLDAS (Franklyn 2016)",
        ValueKind::State,
    ),
    (
        Parameter::Doris,
        "doris",
        "DORIS",
        "DORIS remission (2021)",
        ValueKind::State,
    ),
];

/// The accepted parameter identifiers, for messages.
const EXPECTED: &str = "sledai_2k, clinical_sledai_2k, a descriptor identifier (arthritis, ...), \
                        pga, prednisone_equivalent, lldas, doris";

const fn all() -> [Parameter; 30] {
    let mut a = [Parameter::Sledai2k; 30];
    a[1] = Parameter::ClinicalSledai2k;
    let mut i = 0;
    while i < 24 {
        a[2 + i] = Parameter::Item(Descriptor::ALL[i]);
        i += 1;
    }
    let mut j = 2;
    while j < OTHER_PARAMETERS.len() {
        a[24 + j] = OTHER_PARAMETERS[j].0;
        j += 1;
    }
    a
}

impl Parameter {
    /// Every parameter, in dataset order: SLEDAI-2K, clinical SLEDAI-2K,
    /// the 24 descriptors in form order, PGA, prednisone equivalent,
    /// LLDAS, DORIS.
    ///
    /// ```
    /// use sledai::adam::Parameter;
    /// assert_eq!(Parameter::ALL[29], Parameter::Doris);
    /// ```
    pub const ALL: [Parameter; 30] = all();

    fn row(self) -> Option<&'static ParameterRow> {
        OTHER_PARAMETERS.iter().find(|r| r.0 == self)
    }

    /// The position in [`Parameter::ALL`].
    ///
    /// ```
    /// use sledai::adam::Parameter;
    /// assert!(Parameter::ALL.iter().enumerate().all(|(i, p)| p.index() == i));
    /// ```
    pub fn index(self) -> usize {
        match self {
            Parameter::Sledai2k => 0,
            Parameter::ClinicalSledai2k => 1,
            Parameter::Item(d) => 1 + usize::from(d.position()),
            p => {
                let i = OTHER_PARAMETERS.iter().position(|r| r.0 == p).unwrap_or(0);
                24 + i
            }
        }
    }

    /// The stable identifier: the descriptor's for a descriptor.
    ///
    /// ```
    /// use sledai::adam::Parameter;
    /// assert_eq!(Parameter::PrednisoneEquivalent.id(), "prednisone_equivalent");
    /// ```
    pub fn id(self) -> &'static str {
        match self {
            Parameter::Item(d) => d.id(),
            p => p.row().map_or("", |r| r.1),
        }
    }

    /// The default `PARAMCD`: the table's, or for a descriptor `SLED`
    /// and its two-digit form position (`SLED01` seizure ... `SLED24`
    /// leukopenia), at most 8 characters as ADaM requires.
    ///
    /// ```
    /// use sledai::adam::Parameter;
    /// use sledai::Descriptor;
    /// assert_eq!(Parameter::Item(Descriptor::Leukopenia).default_code(), "SLED24");
    /// ```
    pub fn default_code(self) -> String {
        match self {
            Parameter::Item(d) => format!("SLED{:02}", d.position()),
            p => p.row().map_or("", |r| r.2).to_owned(),
        }
    }

    /// The `PARAM` label: the table's, or for a descriptor `SLEDAI-2K`,
    /// its form position and display name.
    ///
    /// ```
    /// use sledai::adam::Parameter;
    /// use sledai::Descriptor;
    /// assert_eq!(Parameter::Item(Descriptor::Arthritis).label(), "SLEDAI-2K item 9: Arthritis");
    /// ```
    pub fn label(self) -> String {
        match self {
            Parameter::Item(d) => format!("SLEDAI-2K item {}: {}", d.position(), d.name()),
            p => p.row().map_or("", |r| r.3).to_owned(),
        }
    }

    /// How the value is written.
    ///
    /// ```
    /// use sledai::adam::{Parameter, ValueKind};
    /// use sledai::Descriptor;
    /// assert_eq!(Parameter::Item(Descriptor::Rash).kind(), ValueKind::Finding);
    /// ```
    pub fn kind(self) -> ValueKind {
        match self {
            Parameter::Item(_) => ValueKind::Finding,
            p => p.row().map_or(ValueKind::Number, |r| r.4),
        }
    }
}

impl core::fmt::Display for Parameter {
    /// The identifier ([`Parameter::id`]).
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.id())
    }
}

impl core::str::FromStr for Parameter {
    type Err = Error;

    /// Parses an identifier exactly; anything else is
    /// [`Error::UnknownName`] (field `parameter`) with the nearest one.
    fn from_str(s: &str) -> Result<Parameter, Error> {
        Parameter::ALL
            .iter()
            .copied()
            .find(|p| p.id() == s)
            .ok_or_else(|| Error::UnknownName {
                field: "parameter",
                value: s.to_owned().into(),
                expected: EXPECTED,
            })
    }
}

/// Checks a `PARAMCD`: 1 to 8 characters, a letter or `_` first, then
/// letters, digits or `_` (ADaM IG v1.3, PARAMCD).
pub(super) fn check_code(parameter: Parameter, code: &str) -> Result<(), Error> {
    let ok = !code.is_empty()
        && code.len() <= 8
        && code
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidValue {
            field: "PARAMCD",
            value: code.to_owned().into(),
            reason: format!(
                "the code of parameter `{parameter}` must be 1 to 8 characters, a letter or `_` \
                 first, then letters, digits or `_` (ADaM PARAMCD)"
            )
            .into(),
        })
    }
}
