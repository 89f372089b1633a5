//! `sledai`: the command-line tool of the `sledai` workspace.
//!
//! A thin shell over the `sledai` library: it parses the command line and
//! the input records, converts them to the core's types, calls the core,
//! and formats the output. It has no scoring logic of its own. The
//! interface is a stable contract, documented in `docs/cli.md`.
//!
//! Exit codes: 0 success; 1 some records failed (`--on-error report`);
//! 2 a bad record, header, file or command line stopped the run.

#![forbid(unsafe_code)]
#![cfg_attr(test, allow(clippy::unwrap_used))]

mod adam;
mod classify;
mod cohort;
mod descriptors;
mod error;
mod input;
mod options;
mod output;
mod record;
mod rows;
mod score;

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use sledai::table::{ExtraColumns, HeaderOptions, Layout, Mapping};

use crate::descriptors::TableFormat;
use crate::error::CliError;
use crate::input::{InputFormat, OutputFormat};
use crate::options::PolicyArgs;
use crate::score::OnError;
use sledai::Threads;
use sledai::adam::{AdyConvention, AnalysisSelection};
use sledai::timeline::TimeAttribution;

const SCORE_EXAMPLES: &str = "\
Examples:
  sledai score examples/visits.jsonl
  sledai score examples/visits.csv --output-format csv > scores.csv
  cat visits.jsonl | sledai score - --format jsonl
  sledai score export.csv --allow-extra-columns --on-error report -o scores.jsonl
  sledai score labs.jsonl --lab-window 30 --upcr --conflicts keep_clinician
  sledai score examples/car_t_long.csv --layout long --mapping examples/car_t_long.mapping.json

Input record (JSON Lines; CSV has the same names as columns, one column per
descriptor with 1/0/true/false/yes/no, empty = not assessed):
  {\"id\": \"v1\", \"patient\": \"P01\", \"date\": \"2024-03-01\",
   \"present\": [\"arthritis\", \"low_complement\"], \"pga\": 0.8,
   \"prednisone_mg_per_day\": 5, \"maintenance_tolerated\": true}
  {\"id\": \"v2\", \"descriptors\": {\"rash\": true, \"fever\": false, \"pyuria\": null}}

Output record (JSON Lines): the totals (or their range), LLDAS and DORIS
remission with every criterion explained, the prednisone equivalent, and the
change from the patient's baseline. Visits of a patient must come in date order.

Exit codes: 0 all records scored; 1 some records failed (--on-error report);
2 the run stopped (bad record, header, file or command line).
The full contract: docs/cli.md.";

const COHORT_EXAMPLES: &str = "\
Examples:
  sledai cohort examples/car_t_visits.jsonl --at 90 --at 360 --window 14
  sledai cohort visits.csv --at 90 --window 14 --output-format csv --summary cohort.json
  sledai cohort visits.jsonl --at 360 --before 30 --after 30 --sustained-days 180
  sledai cohort examples/car_t_redcap.csv --layout redcap \
      --mapping examples/car_t_redcap.mapping.json --at 90 --at 360 --window 14

Input: the visit records of `sledai score` (every visit needs `patient` and
`date`; any order). Output: one record per patient (baseline, each --at
endpoint, time in LLDAS and DORIS), then the cohort summary as the last JSON
line {\"cohort\": ...} (or in --summary FILE).

Exit codes: 0 success; 2 the run stopped (bad record, inconsistent patient,
file or command line). The full contract: docs/cli.md.";

const ADAM_EXAMPLES: &str = "\
Examples:
  sledai adam examples/car_t_visits.jsonl --at 90 --at 360 --window 14 > adsledai.csv
  sledai adam visits.csv --windows windows.csv --analysis-selection last_in_window
  sledai adam visits.jsonl --at 90 --window 14 --output-format jsonl --parameter-code sledai_2k=SLEDAI2K

Input: the visit records of `sledai cohort`. Output: one record per subject x
parameter x analysis visit record with the ADaM variables USUBJID, PARAMCD,
PARAM, AVAL, AVALC, ..., ADY, AVISIT, ABLFL, BASE, CHG, PCHG, ANL01FL, CRIT1,
DTYPE (docs/adam.md). --at/--window are in `sledai cohort`'s study days, so
the ANL01FL record is the visit `cohort` reports for the endpoint.

Exit codes: 0 success; 2 the run stopped. The full contract: docs/cli.md.";

const CLASSIFY_EXAMPLES: &str = "\
Examples:
  sledai classify patients.jsonl
  echo '{\"id\": \"P1\", \"ana\": true, \"criteria\": {\"renal_biopsy_class_iii_or_iv\": true}}' | sledai classify -

Input (JSON Lines): one object per patient, the library's classification
input (docs/classification.md) plus optional `id` and `patient`, echoed.

Exit codes: 0 all classified; 1 some failed (--on-error report); 2 the run
stopped. The full contract: docs/cli.md.";

const DESCRIPTORS_EXAMPLES: &str = "\
Examples:
  sledai descriptors
  sledai descriptors --format json
  sledai descriptors --format csv > sledai2k-descriptors.csv";

/// SLEDAI-2K lupus disease-activity scoring of visit files (CSV, JSON Lines).
#[derive(Debug, Parser)]
#[command(
    name = "sledai",
    version,
    about,
    after_help = "Examples:\n  sledai score examples/visits.jsonl\n  sledai cohort examples/car_t_visits.jsonl --at 90 --at 360 --window 14\n  sledai adam examples/car_t_visits.jsonl --at 90 --at 360 --window 14\n  sledai classify patients.jsonl\n  sledai descriptors --format csv\n\nRun `sledai <command> --help` for each command's input and output."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Input options shared by `score`, `cohort` and `adam`.
#[derive(Debug, Clone, clap::Args)]
struct InputArgs {
    /// Input file (.jsonl or .csv), or `-` for standard input (needs --format).
    #[arg(value_name = "FILE", default_value = "-")]
    input: PathBuf,
    /// Input format; by default taken from the file extension.
    #[arg(long, value_enum)]
    format: Option<InputFormat>,
    /// Output format [default: jsonl; csv for `adam`].
    #[arg(long, value_enum)]
    output_format: Option<OutputFormat>,
    /// Write the output to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// CSV only: ignore columns that are not visit fields instead of failing
    /// (they are named on stderr; a column that looks like a visit field,
    /// such as `Patient` or `patient_id`, is never ignored).
    #[arg(long)]
    allow_extra_columns: bool,
    /// CSV only: read column OLD as the visit field NEW (repeatable), e.g.
    /// --rename patient_id=patient --rename visit_date=date.
    #[arg(long, value_name = "OLD=NEW", value_parser = parse_rename)]
    rename: Vec<(String, String)>,
    /// CSV only: how the table is laid out: one row per visit (`wide`, the
    /// default), one row per subject x date x item (`long`, SDTM-like) or a
    /// REDCap export (`redcap`); `long` and `redcap` need --mapping.
    #[arg(long, value_parser = options::vocabulary::<Layout>())]
    layout: Option<Layout>,
    /// CSV only: a mapping file (JSON, docs/mapping.md): column renames and,
    /// for a long table or a REDCap export, what each code means.
    #[arg(long, value_name = "FILE")]
    mapping: Option<PathBuf>,
    /// No summary line and no progress bar on stderr.
    #[arg(short, long)]
    quiet: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Score each visit of a CSV or JSON Lines file (one output record per visit).
    #[command(after_help = SCORE_EXAMPLES)]
    Score {
        #[command(flatten)]
        io: InputArgs,
        /// On a bad record: `stop` (exit 2) or `report` it in an `error` field and go on (exit 1).
        #[arg(long, value_enum, default_value_t = OnError::Stop)]
        on_error: OnError,
        /// CSV output only: write only these output columns, in this order
        /// (comma-separated names of the CSV header, e.g.
        /// --columns patient,date,lldas,doris); `error` stays last. The
        /// BICLA, SRI-k and DORIS 2017 rules run only for their columns.
        #[arg(long, value_name = "NAMES", value_delimiter = ',')]
        columns: Option<Vec<String>>,
        #[command(flatten)]
        policy: PolicyArgs,
    },
    /// Summarise each patient of a visit file: baseline, endpoints, time in LLDAS and DORIS.
    #[command(after_help = COHORT_EXAMPLES)]
    Cohort {
        #[command(flatten)]
        io: InputArgs,
        /// An endpoint: the target study day (repeat for several, e.g. --at 90 --at 360).
        #[arg(long, value_name = "DAY", allow_negative_numbers = true)]
        at: Vec<i32>,
        /// Visit window: days allowed before and after each target day.
        #[arg(long, value_name = "DAYS")]
        window: Option<u16>,
        /// Days allowed before each target day (overrides --window on that side).
        #[arg(long, value_name = "DAYS")]
        before: Option<u16>,
        /// Days allowed after each target day (overrides --window on that side).
        #[arg(long, value_name = "DAYS")]
        after: Option<u16>,
        /// How time between visits is attributed to LLDAS/DORIS states.
        #[arg(long, value_parser = options::vocabulary::<TimeAttribution>(), default_value_t = TimeAttribution::default())]
        attribution: TimeAttribution,
        /// Report whether the longest run of LLDAS (and DORIS) visits spans at least DAYS.
        #[arg(long, value_name = "DAYS")]
        sustained_days: Option<u32>,
        /// Screen each patient's first visit for SLEDAI-2K >= N (IM19: 10).
        #[arg(long, value_name = "N")]
        screening_threshold: Option<u8>,
        /// Accept two visits of a patient on one date (they keep input order).
        #[arg(long)]
        allow_duplicate_dates: bool,
        /// Threads for building and summarising the cohort (default: every
        /// core); the output does not depend on it.
        #[arg(long, value_name = "N", value_parser = parse_threads)]
        threads: Option<Threads>,
        /// Write the cohort summary (JSON) to FILE instead of the last output line.
        #[arg(long, value_name = "FILE")]
        summary: Option<PathBuf>,
        #[command(flatten)]
        policy: PolicyArgs,
    },
    /// Write an ADaM BDS-shaped dataset: one record per subject x parameter x analysis visit record.
    #[command(after_help = ADAM_EXAMPLES)]
    Adam {
        #[command(flatten)]
        io: InputArgs,
        /// An analysis visit: the target study day, day 0 = reference date, as `cohort --at` (repeatable).
        #[arg(long, value_name = "DAY", allow_negative_numbers = true)]
        at: Vec<i32>,
        /// Visit window: days allowed before and after each target day.
        #[arg(long, value_name = "DAYS")]
        window: Option<u16>,
        /// Days allowed before each target day (overrides --window on that side).
        #[arg(long, value_name = "DAYS")]
        before: Option<u16>,
        /// Days allowed after each target day (overrides --window on that side).
        #[arg(long, value_name = "DAYS")]
        after: Option<u16>,
        /// The analysis visits as a CSV window table (AVISIT, AVISITN, AWTARGET, AWLO, AWHI; days in ADY terms) instead of --at.
        #[arg(long, value_name = "FILE")]
        windows: Option<PathBuf>,
        /// How ADY counts: `adam` (reference date = day 1, no day 0) or `day_zero`.
        #[arg(long, value_parser = options::vocabulary::<AdyConvention>(), default_value_t = AdyConvention::default())]
        ady_convention: AdyConvention,
        /// Which record of a window gets ANL01FL: `closest` (as `cohort`) or `last_in_window` (admiral's template).
        #[arg(long, value_parser = options::vocabulary::<AnalysisSelection>(), default_value_t = AnalysisSelection::default())]
        analysis_selection: AnalysisSelection,
        /// Rename a parameter's PARAMCD (repeatable), e.g. --parameter-code sledai_2k=SLEDAI2K.
        #[arg(long, value_name = "PARAMETER=CODE", value_parser = parse_parameter_code)]
        parameter_code: Vec<(String, String)>,
        /// Accept two visits of a patient on one date (they keep input order).
        #[arg(long)]
        allow_duplicate_dates: bool,
        /// Threads for building and summarising the cohort (default: every
        /// core); the output does not depend on it.
        #[arg(long, value_name = "N", value_parser = parse_threads)]
        threads: Option<Threads>,
        #[command(flatten)]
        policy: PolicyArgs,
    },
    /// Classify each patient by the 2019 EULAR/ACR criteria (JSON Lines in and out).
    #[command(after_help = CLASSIFY_EXAMPLES)]
    Classify {
        /// Input file (JSON Lines), or `-` for standard input.
        #[arg(value_name = "FILE", default_value = "-")]
        input: PathBuf,
        /// Write the output to this file instead of standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// On a bad record: `stop` (exit 2) or `report` it in an `error` field and go on (exit 1).
        #[arg(long, value_enum, default_value_t = OnError::Stop)]
        on_error: OnError,
        /// No summary line and no progress bar on stderr.
        #[arg(short, long)]
        quiet: bool,
    },
    /// Print the 24 SLEDAI-2K descriptors: position, identifier, weight, organ system, definition.
    #[command(after_help = DESCRIPTORS_EXAMPLES)]
    Descriptors {
        /// Output format.
        #[arg(long, value_enum, default_value_t = TableFormat::Table)]
        format: TableFormat,
    },
}

/// A `--rename` value: `OLD=NEW`, both non-empty (the last `=` splits, so
/// a column name may hold `=`).
fn parse_rename(value: &str) -> Result<(String, String), String> {
    match value.rsplit_once('=') {
        Some((old, new)) if !old.trim().is_empty() && !new.trim().is_empty() => {
            Ok((old.trim().to_owned(), new.trim().to_owned()))
        }
        _ => Err(format!(
            "expected OLD=NEW (a column of the file, `=`, a visit field), e.g. patient_id=patient; got `{value}`"
        )),
    }
}

/// A `--threads` value: a whole number of threads, at least one (the
/// core's rule, `Threads::new`).
fn parse_threads(value: &str) -> Result<Threads, String> {
    let n: usize = value
        .trim()
        .parse()
        .map_err(|_| format!("expected a whole number of threads, got `{value}`"))?;
    Threads::new(n).map_err(|e| e.to_string())
}

/// A `--parameter-code` value: `PARAMETER=CODE`, both non-empty.
fn parse_parameter_code(value: &str) -> Result<(String, String), String> {
    match value.split_once('=') {
        Some((p, c)) if !p.trim().is_empty() && !c.trim().is_empty() => {
            Ok((p.trim().to_owned(), c.trim().to_owned()))
        }
        _ => Err(format!(
            "expected PARAMETER=CODE (a parameter identifier, `=`, a PARAMCD), e.g. sledai_2k=SLEDAI2K; got `{value}`"
        )),
    }
}

impl InputArgs {
    /// Where the command reads and writes (`default` is its output format
    /// without `--output-format`): the core's header options (the renames,
    /// a wide mapping's included, and the extra-columns policy) and the
    /// mapping of a long table or a REDCap export (`None` for a wide table).
    ///
    /// # Errors
    ///
    /// A usage error for a layout that needs a mapping without one, or one
    /// that is not the mapping's; an unreadable or invalid mapping file.
    fn reading(self, default: OutputFormat) -> Result<input::Reading, CliError> {
        let (header, mapping) = self.header_and_mapping()?;
        Ok(input::Reading {
            input: self.input,
            format: self.format,
            output: self.output,
            output_format: self.output_format.unwrap_or(default),
            header,
            mapping,
            quiet: self.quiet,
        })
    }

    fn header_and_mapping(&self) -> Result<(HeaderOptions, Option<Mapping>), CliError> {
        let header = self.header();
        let Some(path) = &self.mapping else {
            return match self.layout {
                None | Some(Layout::Wide) => Ok((header, None)),
                Some(l) => Err(CliError::Usage(format!(
                    "--layout {l} needs --mapping FILE (docs/mapping.md)"
                ))),
            };
        };
        let text = std::fs::read_to_string(path).map_err(|e| {
            CliError::io(format!("cannot read the mapping `{}`", path.display()), e)
        })?;
        let mapping = Mapping::from_json(&text)
            .map_err(|e| CliError::Usage(format!("{}: {e}", path.display())))?;
        if let Some(l) = self.layout {
            mapping
                .check_layout(l)
                .map_err(|e| CliError::Usage(format!("{}: {e}", path.display())))?;
        }
        if mapping.layout() == Layout::Wide {
            return Ok((mapping.header_options(header), None));
        }
        Ok((header, Some(mapping)))
    }

    /// The core's header options: the renames and the extra-columns policy.
    fn header(&self) -> HeaderOptions {
        let extra = if self.allow_extra_columns {
            ExtraColumns::Ignore
        } else {
            ExtraColumns::Error
        };
        self.rename.iter().fold(
            HeaderOptions::default().with_extra(extra),
            |o, (old, new)| o.with_rename(old, new),
        )
    }
}

/// Prints the error (unless a closed pipe) and the summary line; the exit
/// code: 0 success, 1 some records failed, 2 stopped.
fn finish(result: &Result<(), CliError>, failed: u64, quiet: bool, summary: &str) -> ExitCode {
    let mut stderr = io::stderr().lock();
    let code = match result {
        Ok(()) if failed == 0 => 0,
        Ok(()) => 1,
        // The reader of a pipe went away (`sledai score ... | head`): not an
        // error of the input; stop quietly.
        Err(CliError::Io { source, .. }) if source.kind() == io::ErrorKind::BrokenPipe => {
            return ExitCode::from(u8::from(failed > 0));
        }
        Err(e) => {
            let _ = writeln!(stderr, "error: {e}");
            2
        }
    };
    if !quiet && !matches!(result, Err(CliError::Usage(_))) {
        let _ = writeln!(stderr, "{summary}");
    }
    ExitCode::from(code)
}

/// The end of a summary line when writing the output failed: how many
/// output records reached it.
fn written(before_failure: Option<u64>) -> String {
    match before_failure {
        Some(1) => "; only 1 output record written (the output failed)".to_owned(),
        Some(n) => format!("; only {n} output records written (the output failed)"),
        None => String::new(),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Score {
            io,
            on_error,
            columns,
            policy,
        } => {
            let quiet = io.quiet;
            let io = match io.reading(OutputFormat::Jsonl) {
                Ok(r) => r,
                Err(e) => return finish(&Err(e), 0, quiet, "sledai score: nothing read"),
            };
            let columns = match score::columns(columns.as_deref(), io.output_format) {
                Ok(c) => c,
                Err(e) => return finish(&Err(e), 0, quiet, "sledai score: nothing read"),
            };
            let opts = score::Options {
                io,
                on_error,
                columns,
                policy,
            };
            let mut s = score::Summary::default();
            let result = score::run(&opts, &mut s);
            finish(
                &result,
                s.failed,
                quiet,
                &format!(
                    "sledai score: {} records read, {} scored, {} failed{}",
                    s.read,
                    s.scored,
                    s.failed,
                    written(s.written_before_failure)
                ),
            )
        }
        Command::Cohort {
            io,
            at,
            window,
            before,
            after,
            attribution,
            sustained_days,
            screening_threshold,
            allow_duplicate_dates,
            threads,
            summary,
            policy,
        } => {
            let quiet = io.quiet;
            let io = match io.reading(OutputFormat::Jsonl) {
                Ok(r) => r,
                Err(e) => return finish(&Err(e), 0, quiet, "sledai cohort: nothing read"),
            };
            let opts = cohort::Options {
                io,
                policy,
                at,
                window,
                before,
                after,
                attribution,
                sustained_days,
                screening_threshold,
                allow_duplicate_dates,
                threads: threads.unwrap_or_default(),
                summary,
            };
            let mut c = cohort::Counts::default();
            let result = cohort::run(&opts, &mut c);
            let mut line = format!(
                "sledai cohort: {} visits read, {} patients summarised{}",
                c.visits,
                c.patients,
                written(c.written_before_failure)
            );
            if result.is_ok()
                && opts.io.output_format == OutputFormat::Csv
                && opts.summary.is_none()
            {
                line.push_str(" (cohort summary not written: CSV output needs --summary FILE)");
            }
            finish(&result, 0, quiet, &line)
        }
        Command::Adam {
            io,
            at,
            window,
            before,
            after,
            windows,
            ady_convention,
            analysis_selection,
            parameter_code,
            allow_duplicate_dates,
            threads,
            policy,
        } => {
            let quiet = io.quiet;
            let io = match io.reading(OutputFormat::Csv) {
                Ok(r) => r,
                Err(e) => return finish(&Err(e), 0, quiet, "sledai adam: nothing read"),
            };
            let opts = adam::Options {
                io,
                policy,
                at,
                window,
                before,
                after,
                windows,
                ady: ady_convention,
                selection: analysis_selection,
                parameter_codes: parameter_code,
                allow_duplicate_dates,
                threads: threads.unwrap_or_default(),
            };
            let mut c = adam::Counts::default();
            let result = adam::run(&opts, &mut c);
            let line = format!(
                "sledai adam: {} visits read, {} subjects, {} records{}",
                c.visits,
                c.subjects,
                c.records,
                written(c.written_before_failure)
            );
            finish(&result, 0, quiet, &line)
        }
        Command::Classify {
            input,
            output,
            on_error,
            quiet,
        } => {
            let opts = classify::Options {
                input,
                output,
                on_error,
                quiet,
            };
            let mut c = classify::Counts::default();
            let result = classify::run(&opts, &mut c);
            finish(
                &result,
                c.failed,
                quiet,
                &format!(
                    "sledai classify: {} records read, {} classified, {} failed{}",
                    c.read,
                    c.classified,
                    c.failed,
                    written(c.written_before_failure)
                ),
            )
        }
        Command::Descriptors { format } => {
            let mut out = io::stdout().lock();
            match descriptors::write(format, &mut out).and_then(|()| out.flush()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => {
                    let _ = writeln!(io::stderr(), "error: cannot write output: {e}");
                    ExitCode::from(2)
                }
            }
        }
    }
}
