//! Three-valued results: met, not met, indeterminate.
//!
//! This module owns [`TriState`], the answer of every treat-to-target rule
//! in the crate (LLDAS, DORIS remission, SRI response, classification). A
//! missing input never counts as a pass: a rule whose answer depends on it
//! is [`TriState::Indeterminate`] (`docs/reference.md` sections 2 and 3).

use std::fmt;

/// Met, not met, or indeterminate because a needed input is missing.
///
/// Serializes as `"met"`, `"not_met"` or `"indeterminate"`.
///
/// # Example
///
/// ```
/// use sledai::TriState;
///
/// // The conjunction of criteria: not met if any is not met, else
/// // indeterminate if any is, else met.
/// use TriState::*;
/// assert_eq!(TriState::all([Met, Indeterminate, NotMet]), NotMet);
/// assert_eq!(TriState::all([Met, Indeterminate]), Indeterminate);
/// assert_eq!(TriState::all([Met, Met]), Met);
/// assert_eq!(NotMet.to_string(), "not_met");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TriState {
    /// Every needed input is known and the rule holds.
    Met,
    /// The known inputs already show that the rule fails.
    NotMet,
    /// A needed input is missing and the known ones do not settle the rule.
    Indeterminate,
}

impl TriState {
    /// `Met` for `true`, `NotMet` for `false`.
    ///
    /// ```
    /// use sledai::TriState;
    /// assert_eq!(TriState::from_bool(true), TriState::Met);
    /// ```
    pub const fn from_bool(value: bool) -> TriState {
        if value {
            TriState::Met
        } else {
            TriState::NotMet
        }
    }

    /// `None` is indeterminate; `Some(b)` is [`TriState::from_bool`].
    ///
    /// ```
    /// use sledai::TriState;
    /// assert_eq!(TriState::from_option(None), TriState::Indeterminate);
    /// ```
    pub const fn from_option(value: Option<bool>) -> TriState {
        match value {
            Some(b) => TriState::from_bool(b),
            None => TriState::Indeterminate,
        }
    }

    /// `Some(true)` for met, `Some(false)` for not met, `None` for
    /// indeterminate.
    ///
    /// ```
    /// use sledai::TriState;
    /// assert_eq!(TriState::Indeterminate.as_option(), None);
    /// ```
    pub const fn as_option(self) -> Option<bool> {
        match self {
            TriState::Met => Some(true),
            TriState::NotMet => Some(false),
            TriState::Indeterminate => None,
        }
    }

    /// Whether the state is [`TriState::Met`].
    ///
    /// ```
    /// use sledai::TriState;
    /// assert!(!TriState::Indeterminate.is_met());
    /// ```
    pub const fn is_met(self) -> bool {
        matches!(self, TriState::Met)
    }

    /// Three-valued AND.
    ///
    /// ```
    /// use sledai::TriState::*;
    /// assert_eq!(Met.and(Indeterminate), Indeterminate);
    /// assert_eq!(Indeterminate.and(NotMet), NotMet);
    /// ```
    #[must_use]
    pub const fn and(self, other: TriState) -> TriState {
        match (self, other) {
            (TriState::NotMet, _) | (_, TriState::NotMet) => TriState::NotMet,
            (TriState::Indeterminate, _) | (_, TriState::Indeterminate) => TriState::Indeterminate,
            _ => TriState::Met,
        }
    }

    /// Three-valued AND over many criteria; `Met` for none.
    ///
    /// ```
    /// use sledai::TriState;
    /// assert_eq!(TriState::all([]), TriState::Met);
    /// ```
    pub fn all<I: IntoIterator<Item = TriState>>(states: I) -> TriState {
        states.into_iter().fold(TriState::Met, TriState::and)
    }

    /// The serialized name: `met`, `not_met` or `indeterminate`.
    ///
    /// ```
    /// assert_eq!(sledai::TriState::Met.as_str(), "met");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            TriState::Met => "met",
            TriState::NotMet => "not_met",
            TriState::Indeterminate => "indeterminate",
        }
    }
}

impl fmt::Display for TriState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
