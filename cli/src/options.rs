//! The command-line options that choose the core's documented policy
//! readings ([`sledai::visit::VisitOptions`]), shared by `score`, `cohort`
//! and `adam`: one flag per entry of the core's option table
//! ([`sledai::options::VISIT_OPTIONS`]: the name with `-` for `_`, its
//! accepted values, its default and its help), parsed by the table. No
//! option name or value is spelt here; the defaults are the core's
//! (docs/targets.md, docs/labs.md).

use clap::builder::{PossibleValue, PossibleValuesParser};
use clap::parser::ValueSource;
use clap::{Arg, ArgAction, ArgMatches, Args, Command, FromArgMatches};
use sledai::options::{VISIT_OPTIONS, VisitOption};
use sledai::visit::VisitOptions;
use sledai::vocabulary::Vocabulary;

/// The policy options of `score`, `cohort` and `adam`.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct PolicyArgs {
    options: VisitOptions,
    /// `cohort`: an SRI-k (5 to 8) reported per endpoint beside SRI-4 in
    /// CSV (JSON reports SRI-4 to SRI-8).
    pub(crate) sri_k: Option<u8>,
}

/// The flag of a table entry.
fn flag(spec: &VisitOption) -> String {
    spec.name().replace('_', "-")
}

/// The `--sri-k` argument's id.
const SRI_K: &str = "sri_k";

impl Args for PolicyArgs {
    fn augment_args(cmd: Command) -> Command {
        let mut cmd =
            cmd.next_help_heading("Policy options (defaults: docs/targets.md, docs/labs.md)");
        for spec in VISIT_OPTIONS {
            let arg = Arg::new(spec.name()).long(flag(spec)).help(spec.help());
            let arg = if spec.is_switch() {
                arg.action(ArgAction::SetTrue)
            } else if spec.is_open() {
                arg.value_name(spec.name().to_uppercase())
                    .default_value(spec.default_value())
            } else {
                let values = spec.values().iter().map(|v| PossibleValue::new(*v)).chain(
                    spec.aliases()
                        .iter()
                        .map(|a| PossibleValue::new(*a).hide(true)),
                );
                arg.value_name(spec.name().to_uppercase())
                    .value_parser(PossibleValuesParser::new(values))
                    .default_value(spec.default_value())
            };
            cmd = cmd.arg(arg);
        }
        cmd.arg(
            Arg::new(SRI_K)
                .long("sri-k")
                .help("`cohort`: an SRI-k (5 to 8) reported per endpoint beside SRI-4 in CSV (JSON reports SRI-4 to SRI-8)")
                .value_parser(clap::value_parser!(u8).range(4..=8)),
        )
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        PolicyArgs::augment_args(cmd)
    }
}

impl FromArgMatches for PolicyArgs {
    fn from_arg_matches(m: &ArgMatches) -> Result<PolicyArgs, clap::Error> {
        let mut options = VisitOptions::default();
        // Only what the command line gives, in table order: the defaults
        // are the core's, and a reading set by a specific option
        // (`--pga-reading`) wins over a shared one (`--doris-pga`).
        for spec in VISIT_OPTIONS {
            if m.value_source(spec.name()) != Some(ValueSource::CommandLine) {
                continue;
            }
            let value = if spec.is_switch() {
                m.get_flag(spec.name()).to_string()
            } else {
                m.get_one::<String>(spec.name())
                    .cloned()
                    .unwrap_or_default()
            };
            options = spec.apply(options, &value).map_err(|e| {
                clap::Error::raw(
                    clap::error::ErrorKind::InvalidValue,
                    format!("--{}: {e}\n", flag(spec)),
                )
            })?;
        }
        Ok(PolicyArgs {
            options,
            sri_k: m.get_one::<u8>(SRI_K).copied(),
        })
    }

    fn update_from_arg_matches(&mut self, m: &ArgMatches) -> Result<(), clap::Error> {
        *self = PolicyArgs::from_arg_matches(m)?;
        Ok(())
    }
}

/// A flag whose values are a core vocabulary ([`Vocabulary::IDS`]; its
/// former spellings, [`Vocabulary::ALIASES`], still read but not listed).
pub(crate) fn vocabulary<T>() -> impl clap::builder::TypedValueParser<Value = T>
where
    T: Vocabulary + std::str::FromStr + Clone + Send + Sync,
{
    use clap::builder::TypedValueParser as _;
    let values = T::IDS
        .iter()
        .map(|v| PossibleValue::new(*v))
        .chain(T::ALIASES.iter().map(|a| PossibleValue::new(*a).hide(true)));
    PossibleValuesParser::new(values)
        // The parser passes only the vocabulary's own identifiers and
        // former spellings, which the vocabulary parses by construction
        // (one table per vocabulary).
        .map(|s| match s.parse::<T>() {
            Ok(v) => v,
            Err(_) => unreachable!("`{s}` is one of {}", T::NAME),
        })
}

impl PolicyArgs {
    /// The core's options.
    pub(crate) fn visit_options(&self) -> VisitOptions {
        self.options
    }
}
