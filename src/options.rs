//! The policy options of the visit functions, as every surface spells
//! them: one table ([`VISIT_OPTIONS`]) of option names, accepted values
//! (the default first) and what each sets in [`VisitOptions`].
//!
//! The command-line tool makes one flag of each entry (`--lab-window`,
//! `--conflicts`, ...: the name with `-` for `_`) and the Python package
//! one keyword (`lab_window=`, `conflicts=`); both parse the value with
//! [`VisitOption::apply`] and list the accepted values from
//! [`VisitOption::values`], so neither spells an option name or value of
//! its own and the two cannot drift apart.
//!
//! The enums of these options that are not declared through the crate's
//! vocabulary table (the laboratory window, selection and conflict policy,
//! the betamethasone equivalence, the DORIS 2021 readings and the
//! time-in-state attribution) get their [`Vocabulary`] identifiers,
//! `Display` and `FromStr` here: the identifier is the serde name (for the
//! laboratory window its number of days, `10` or `30`), and a few former
//! spellings are still read ([`VisitOption::aliases`]).
//!
//! ```
//! use sledai::options::{visit_options, VISIT_OPTIONS};
//! use sledai::labs::ConflictPolicy;
//!
//! let o = visit_options([("conflicts", "keep_clinician"), ("lab_window", "30")])?;
//! assert_eq!(o.conflicts(), ConflictPolicy::KeepClinician);
//! assert_eq!(o.labs().window().days(), 30);
//! let conflicts = VISIT_OPTIONS.iter().find(|o| o.name() == "conflicts").unwrap();
//! assert_eq!(conflicts.values(), ["error", "keep_clinician", "keep_laboratory"]);
//! let err = visit_options([("conflicts", "keep")]).unwrap_err();
//! assert_eq!(
//!     err.to_string(),
//!     "conflicts: unknown value `keep`, expected one of: error, keep_clinician, keep_laboratory",
//! );
//! # Ok::<(), sledai::Error>(())
//! ```

use crate::Error;
use crate::bilag::{BiclaBaselineActivity, BiclaPga, BiclaSledai, BilagGradeE, BilagNewB};
use crate::change::SriTreatmentFailure;
use crate::glucocorticoid::BetamethasoneEquivalence;
use crate::labs::{ConflictPolicy, ScoringWindow, Selection};
use crate::remission::{RemissionGlucocorticoid, RemissionPga};
use crate::remission_2017::{
    Doris2017Glucocorticoid, Doris2017Index, Doris2017Pga, DorisOffTreatmentAntimalarial,
};
use crate::timeline::TimeAttribution;
use crate::visit::VisitOptions;
use crate::vocabulary::{Vocabulary, join_ids};

/// Gives an enum declared elsewhere its vocabulary: `Vocabulary`,
/// `Display` (the identifier) and `FromStr` (the identifier, or one of the
/// former spellings, [`Vocabulary::ALIASES`]), from one table.
macro_rules! named {
    (
        $ty:ident = $name:literal {
            $( $variant:ident = $id:literal ),+ $(,)?
        } $( read { $( $old:literal => $ovariant:ident ),+ $(,)? } )?
    ) => {
        impl Vocabulary for $ty {
            const NAME: &'static str = $name;
            const IDS: &'static [&'static str] = &[$($id),+];
            const ALL: &'static [Self] = &[$($ty::$variant),+];
            const ALIASES: &'static [&'static str] = &[$($($old),+)?];
            fn id(self) -> &'static str {
                match self {
                    $($ty::$variant => $id,)+
                }
            }
        }

        /// The identifier ([`Vocabulary::id`]).
        impl core::fmt::Display for $ty {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(Vocabulary::id(*self))
            }
        }

        /// The identifier, or a former spelling; anything else is
        /// [`Error::UnknownName`] with the accepted identifiers.
        impl core::str::FromStr for $ty {
            type Err = Error;
            fn from_str(s: &str) -> Result<$ty, Error> {
                match s {
                    $($id => Ok($ty::$variant),)+
                    $($($old => Ok($ty::$ovariant),)+)?
                    _ => Err(Error::UnknownName {
                        field: $name,
                        value: s.to_owned().into(),
                        expected: join_ids!($($id),+),
                    }),
                }
            }
        }
    };
}

named! {
    ScoringWindow = "lab_window" {
        TenDays = "10",
        ThirtyDays = "30",
    } read { "ten_days" => TenDays, "thirty_days" => ThirtyDays }
}

named! {
    Selection = "lab_selection" {
        AnyAbnormal = "any_abnormal",
        MostRecent = "most_recent",
    } read { "any-abnormal" => AnyAbnormal, "most-recent" => MostRecent }
}

named! {
    ConflictPolicy = "conflicts" {
        Error = "error",
        KeepClinician = "keep_clinician",
        KeepLaboratory = "keep_laboratory",
    } read { "keep-clinician" => KeepClinician, "keep-laboratory" => KeepLaboratory }
}

named! {
    BetamethasoneEquivalence = "betamethasone" {
        ThreeQuartersMg = "three_quarters_mg",
        SixTenthsMg = "six_tenths_mg",
    } read { "0.75" => ThreeQuartersMg, "0.6" => SixTenthsMg }
}

named! {
    RemissionPga = "pga_reading" {
        Doris2021BelowHalf = "doris_2021_below_half",
        ReviewAtMostHalf = "golder_2020_at_most_half",
    } read { "doris_2017_at_most_half" => ReviewAtMostHalf }
}

named! {
    RemissionGlucocorticoid = "glucocorticoid_reading" {
        AtMost5Mg = "at_most_5_mg",
        Below5Mg = "below_5_mg",
    }
}

named! {
    TimeAttribution = "attribution" {
        CarryForward = "carry_forward",
        HalfInterval = "half_interval",
        BothEnds = "both_ends",
    } read {
        "carry-forward" => CarryForward,
        "half-interval" => HalfInterval,
        "both-ends" => BothEnds,
    }
}

/// The former spellings of the DORIS cut-offs that set both definitions
/// (the command line's `below-half`, `at-most-5`, ...).
const DORIS_PGA_ALIASES: &[&str] = &["below-half", "at-most-half"];
const DORIS_GLUCOCORTICOID_ALIASES: &[&str] = &["at-most-5", "below-5"];

/// One policy option of the visit functions ([`VISIT_OPTIONS`]).
#[derive(Debug, Clone, Copy)]
pub struct VisitOption {
    name: &'static str,
    values: &'static [&'static str],
    aliases: &'static [&'static str],
    open: bool,
    switch: bool,
    help: &'static str,
    apply: fn(VisitOptions, &str) -> Result<VisitOptions, Error>,
}

impl VisitOption {
    /// The option's name (snake_case): the Python keyword; the command
    /// line's flag is it with `-` for `_`.
    ///
    /// ```
    /// assert_eq!(sledai::options::VISIT_OPTIONS[0].name(), "lab_window");
    /// ```
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// The accepted values, the default first (for an open option, the
    /// forms: `increase_below(t)`).
    ///
    /// ```
    /// assert_eq!(sledai::options::VISIT_OPTIONS[0].values(), ["10", "30"]);
    /// ```
    pub const fn values(&self) -> &'static [&'static str] {
        self.values
    }

    /// The default value, as written.
    ///
    /// ```
    /// assert_eq!(sledai::options::VISIT_OPTIONS[0].default_value(), "10");
    /// ```
    pub const fn default_value(&self) -> &'static str {
        self.values[0]
    }

    /// Former spellings still read (not listed in help or messages).
    ///
    /// ```
    /// use sledai::options::VISIT_OPTIONS;
    /// let c = VISIT_OPTIONS.iter().find(|o| o.name() == "conflicts").unwrap();
    /// assert!(c.aliases().contains(&"keep-clinician"));
    /// ```
    pub const fn aliases(&self) -> &'static [&'static str] {
        self.aliases
    }

    /// Whether [`Self::values`] lists forms rather than every value (a
    /// value is then checked by [`Self::apply`] only).
    ///
    /// ```
    /// use sledai::options::VISIT_OPTIONS;
    /// let b = VISIT_OPTIONS.iter().find(|o| o.name() == "bicla_sledai").unwrap();
    /// assert!(b.is_open());
    /// ```
    pub const fn is_open(&self) -> bool {
        self.open
    }

    /// Whether the option is a yes/no switch (values `false`, `true`; the
    /// command line's flag takes no value).
    ///
    /// ```
    /// use sledai::options::VISIT_OPTIONS;
    /// assert!(VISIT_OPTIONS.iter().any(|o| o.name() == "upcr" && o.is_switch()));
    /// ```
    pub const fn is_switch(&self) -> bool {
        self.switch
    }

    /// One line of help.
    ///
    /// ```
    /// assert!(!sledai::options::VISIT_OPTIONS[0].help().is_empty());
    /// ```
    pub const fn help(&self) -> &'static str {
        self.help
    }

    /// `options` with this option set to `value` (as written).
    ///
    /// # Errors
    ///
    /// [`Error::UnknownName`] (the option's name, the accepted values and
    /// the nearest one) for a value that is not accepted;
    /// [`Error::InvalidValue`] for an open option's malformed value.
    ///
    /// ```
    /// use sledai::options::VISIT_OPTIONS;
    /// use sledai::visit::VisitOptions;
    /// let upcr = VISIT_OPTIONS.iter().find(|o| o.name() == "upcr").unwrap();
    /// assert!(upcr.apply(VisitOptions::default(), "true")?.labs().upcr());
    /// assert!(upcr.apply(VisitOptions::default(), "yes").is_err());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn apply(&self, options: VisitOptions, value: &str) -> Result<VisitOptions, Error> {
        (self.apply)(options, value)
    }
}

/// The option names, for the error of an unknown one (in table order).
const NAMES: &str = join_ids!(
    "lab_window",
    "lab_selection",
    "upcr",
    "conflicts",
    "betamethasone",
    "doris_pga",
    "doris_glucocorticoid",
    "pga_reading",
    "glucocorticoid_reading",
    "bilag_new_b",
    "bilag_grade_e",
    "bicla_sledai",
    "bicla_pga",
    "bicla_baseline_activity",
    "sri_treatment_failure",
    "doris_2017_pga",
    "doris_2017_glucocorticoid",
    "doris_off_treatment_antimalarial",
    "doris_2017_index"
);

/// An entry for a vocabulary `T`.
const fn entry<T: Vocabulary>(
    help: &'static str,
    apply: fn(VisitOptions, &str) -> Result<VisitOptions, Error>,
) -> VisitOption {
    VisitOption {
        name: T::NAME,
        values: T::IDS,
        aliases: T::ALIASES,
        open: false,
        switch: false,
        help,
        apply,
    }
}

/// Every policy option of the visit functions (`sledai score`/`cohort`/`adam`
/// flags, Python keywords), in the order they are applied and listed: an
/// option that sets a reading of two definitions (`doris_pga`) comes before
/// the options of each definition (`pga_reading`, `doris_2017_pga`), so a
/// specific one given with it wins.
///
/// ```
/// use sledai::options::VISIT_OPTIONS;
/// use sledai::visit::VisitOptions;
/// // Every default is the core's default.
/// for o in VISIT_OPTIONS {
///     assert_eq!(o.apply(VisitOptions::default(), o.default_value())?, VisitOptions::default(), "{}", o.name());
/// }
/// # Ok::<(), sledai::Error>(())
/// ```
pub const VISIT_OPTIONS: &[VisitOption] = &[
    entry::<ScoringWindow>(
        "Laboratory scoring window in days before the visit",
        |o, v| Ok(o.with_labs(o.labs().with_window(v.parse()?))),
    ),
    entry::<Selection>(
        "Which measurements in the window decide a laboratory descriptor",
        |o, v| Ok(o.with_labs(o.labs().with_selection(v.parse()?))),
    ),
    VisitOption {
        name: "upcr",
        values: &["false", "true"],
        aliases: &[],
        open: false,
        switch: true,
        help: "Accept a spot urine protein/creatinine ratio (`upcr`) for proteinuria when no 24-hour urine protein is in the window",
        apply: |o, v| {
            let upcr = match v {
                "false" => false,
                "true" => true,
                _ => {
                    return Err(Error::UnknownName {
                        field: "upcr",
                        value: v.to_owned().into(),
                        expected: "false, true",
                    });
                }
            };
            Ok(o.with_labs(o.labs().with_upcr(upcr)))
        },
    },
    entry::<ConflictPolicy>(
        "When the clinician's finding and the laboratory's disagree",
        |o, v| Ok(o.with_conflicts(v.parse()?)),
    ),
    entry::<BetamethasoneEquivalence>(
        "mg of betamethasone equivalent to 5 mg prednisone: three_quarters_mg (0.75 mg) or six_tenths_mg (0.6 mg)",
        |o, v| Ok(o.with_conversion(o.conversion().with_betamethasone(v.parse()?))),
    ),
    VisitOption {
        name: "doris_pga",
        values: Doris2017Pga::IDS,
        aliases: DORIS_PGA_ALIASES,
        open: false,
        switch: false,
        help: "The DORIS PGA cut-off of both the 2021 and the 2017 definitions (below_half: < 0.5; at_most_half: <= 0.5)",
        apply: |o, v| {
            let v = v.replace('-', "_");
            let pga = v.parse::<Doris2017Pga>().map_err(|_| Error::UnknownName {
                field: "doris_pga",
                value: v.clone().into(),
                expected: Doris2017Pga::EXPECTED,
            })?;
            let reading = match pga {
                Doris2017Pga::BelowHalf => RemissionPga::Doris2021BelowHalf,
                Doris2017Pga::AtMostHalf => RemissionPga::ReviewAtMostHalf,
            };
            Ok(o.with_remission(o.remission().with_pga(reading))
                .with_remission_2017(o.remission_2017().with_pga(pga)))
        },
    },
    VisitOption {
        name: "doris_glucocorticoid",
        values: Doris2017Glucocorticoid::IDS,
        aliases: DORIS_GLUCOCORTICOID_ALIASES,
        open: false,
        switch: false,
        help: "The DORIS glucocorticoid cut-off of both the 2021 and the 2017 definitions (at_most_5: <= 5 mg/day; below_5: < 5)",
        apply: |o, v| {
            let v = v.replace('-', "_");
            let dose = v
                .parse::<Doris2017Glucocorticoid>()
                .map_err(|_| Error::UnknownName {
                    field: "doris_glucocorticoid",
                    value: v.clone().into(),
                    expected: Doris2017Glucocorticoid::EXPECTED,
                })?;
            let reading = match dose {
                Doris2017Glucocorticoid::AtMost5 => RemissionGlucocorticoid::AtMost5Mg,
                Doris2017Glucocorticoid::Below5 => RemissionGlucocorticoid::Below5Mg,
            };
            Ok(o.with_remission(o.remission().with_glucocorticoid(reading))
                .with_remission_2017(o.remission_2017().with_glucocorticoid(dose)))
        },
    },
    entry::<RemissionPga>(
        "The DORIS 2021 PGA cut-off (< 0.5, or the Golder 2020 review's <= 0.5)",
        |o, v| Ok(o.with_remission(o.remission().with_pga(v.parse()?))),
    ),
    entry::<RemissionGlucocorticoid>(
        "The DORIS 2021 glucocorticoid cut-off (<= 5 or < 5 mg/day)",
        |o, v| Ok(o.with_remission(o.remission().with_glucocorticoid(v.parse()?))),
    ),
    entry::<BilagNewB>(
        "Which earlier grades make a BILAG-2004 B new (docs/bilag.md)",
        |o, v| Ok(o.with_bilag(o.bilag().with_new_b(v.parse()?))),
    ),
    entry::<BilagGradeE>("How a BILAG-2004 grade E is read", |o, v| {
        Ok(o.with_bilag(o.bilag().with_grade_e(v.parse()?)))
    }),
    VisitOption {
        name: BiclaSledai::NAME,
        values: BiclaSledai::IDS,
        aliases: &[],
        open: true,
        switch: false,
        help: "BICLA's SLEDAI-2K rule: no_increase or increase_below(t)",
        apply: |o, v| Ok(o.with_bicla(o.bicla().with_sledai(v.parse()?))),
    },
    entry::<BiclaPga>("BICLA's PGA rule", |o, v| {
        Ok(o.with_bicla(o.bicla().with_pga(v.parse()?)))
    }),
    entry::<BiclaBaselineActivity>(
        "BICLA without moderate or severe baseline activity",
        |o, v| Ok(o.with_bicla(o.bicla().with_baseline_activity(v.parse()?))),
    ),
    entry::<SriTreatmentFailure>("Whether SRI reads `treatment_failure`", |o, v| {
        Ok(o.with_sri(o.sri().with_treatment_failure(v.parse()?)))
    }),
    entry::<Doris2017Pga>("The DORIS 2017 PGA cut-off only", |o, v| {
        Ok(o.with_remission_2017(o.remission_2017().with_pga(v.parse()?)))
    }),
    entry::<Doris2017Glucocorticoid>("The DORIS 2017 glucocorticoid cut-off only", |o, v| {
        Ok(o.with_remission_2017(o.remission_2017().with_glucocorticoid(v.parse()?)))
    }),
    entry::<DorisOffTreatmentAntimalarial>(
        "Whether DORIS 2017 remission off treatment allows antimalarials",
        |o, v| Ok(o.with_remission_2017(o.remission_2017().with_antimalarial(v.parse()?))),
    ),
    entry::<Doris2017Index>("The activity index of the DORIS 2017 variants", |o, v| {
        Ok(o.with_remission_2017(o.remission_2017().with_index(v.parse()?)))
    }),
];

/// The entry of [`VISIT_OPTIONS`] named `name`.
///
/// # Errors
///
/// [`Error::UnknownName`] (field `option`) with every option name and the
/// nearest one.
///
/// ```
/// use sledai::options::visit_option;
/// assert_eq!(visit_option("conflicts")?.default_value(), "error");
/// assert!(visit_option("conflict").unwrap_err().to_string().contains("did you mean `conflicts`?"));
/// # Ok::<(), sledai::Error>(())
/// ```
pub fn visit_option(name: &str) -> Result<&'static VisitOption, Error> {
    VISIT_OPTIONS
        .iter()
        .find(|o| o.name == name)
        .ok_or_else(|| Error::UnknownName {
            field: "option",
            value: name.to_owned().into(),
            expected: NAMES,
        })
}

/// The default [`VisitOptions`] with each `(name, value)` applied in turn
/// (a later one wins where two set the same reading: `doris_pga` then
/// `pga_reading`).
///
/// # Errors
///
/// The first unknown name ([`visit_option`]) or value
/// ([`VisitOption::apply`]).
///
/// ```
/// use sledai::options::visit_options;
/// use sledai::remission::RemissionPga;
/// let o = visit_options([("doris_pga", "at_most_half")])?;
/// assert_eq!(o.remission().pga(), RemissionPga::ReviewAtMostHalf);
/// # Ok::<(), sledai::Error>(())
/// ```
pub fn visit_options<'a, I>(pairs: I) -> Result<VisitOptions, Error>
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    pairs
        .into_iter()
        .try_fold(VisitOptions::default(), |o, (name, value)| {
            visit_option(name)?.apply(o, value)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_names_list_is_the_table() {
        let names: Vec<&str> = VISIT_OPTIONS.iter().map(|o| o.name).collect();
        assert_eq!(names.join(", "), NAMES);
    }

    #[test]
    fn every_value_and_alias_is_read() {
        for o in VISIT_OPTIONS {
            for v in o.values.iter().chain(o.aliases) {
                if o.open && v.contains("(t)") {
                    continue;
                }
                assert!(
                    o.apply(VisitOptions::default(), v).is_ok(),
                    "{} {v}",
                    o.name
                );
            }
        }
    }
}
