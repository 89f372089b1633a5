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

mod descriptors;
mod error;
mod output;
mod record;
mod score;

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::descriptors::TableFormat;
use crate::error::CliError;
use crate::score::{InputFormat, OnError, OutputFormat};

const SCORE_EXAMPLES: &str = "\
Examples:
  sledai score examples/visits.jsonl
  sledai score examples/visits.csv --output-format csv > scores.csv
  cat visits.jsonl | sledai score - --format jsonl
  sledai score export.csv --allow-extra-columns --on-error report -o scores.jsonl

Input record (JSON Lines; CSV has the same names as columns, one column per
descriptor with 1/0/true/false/yes/no, empty = not assessed):
  {\"id\": \"v1\", \"patient\": \"P01\", \"date\": \"2024-03-01\",
   \"present\": [\"arthritis\", \"low_complement\"]}
  {\"id\": \"v2\", \"descriptors\": {\"rash\": true, \"fever\": false, \"pyuria\": null}}

Output record (JSON Lines):
  {\"id\":\"v1\",\"patient\":\"P01\",\"date\":\"2024-03-01\",\"sledai_2k\":6,\"clinical_sledai_2k\":4}

Exit codes: 0 all records scored; 1 some records failed (--on-error report);
2 the run stopped (bad record, header, file or command line).
The full contract: docs/cli.md.";

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
    after_help = "Examples:\n  sledai score examples/visits.jsonl\n  sledai descriptors --format csv\n\nRun `sledai <command> --help` for each command's input and output."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Score each visit of a CSV or JSON Lines file (one output record per visit).
    #[command(after_help = SCORE_EXAMPLES)]
    Score {
        /// Input file (.jsonl or .csv), or `-` for standard input (needs --format).
        #[arg(value_name = "FILE", default_value = "-")]
        input: PathBuf,
        /// Input format; by default taken from the file extension.
        #[arg(long, value_enum)]
        format: Option<InputFormat>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = OutputFormat::Jsonl)]
        output_format: OutputFormat,
        /// Write the output to this file instead of standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// On a bad record: `stop` (exit 2) or `report` it in an `error` field and go on (exit 1).
        #[arg(long, value_enum, default_value_t = OnError::Stop)]
        on_error: OnError,
        /// CSV only: ignore columns that are not visit fields instead of failing.
        #[arg(long)]
        allow_extra_columns: bool,
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Score {
            input,
            format,
            output_format,
            output,
            on_error,
            allow_extra_columns,
            quiet,
        } => {
            let opts = score::Options {
                input,
                format,
                output,
                output_format,
                on_error,
                allow_extra_columns,
                quiet,
            };
            let mut summary = score::Summary::default();
            let result = score::run(&opts, &mut summary);
            let mut stderr = io::stderr().lock();
            let code = match &result {
                Ok(()) if summary.failed == 0 => 0,
                Ok(()) => 1,
                // The reader of a pipe went away (`sledai score ... | head`):
                // not an error of the input; stop quietly.
                Err(CliError::Io { source, .. }) if source.kind() == io::ErrorKind::BrokenPipe => {
                    return ExitCode::from(if summary.failed == 0 { 0 } else { 1 });
                }
                Err(e) => {
                    let _ = writeln!(stderr, "error: {e}");
                    2
                }
            };
            if summary.with_measurements > 0 {
                let _ = writeln!(
                    stderr,
                    "warning: {} record(s) have `measurements`; this version does not derive descriptors from laboratory values, so they were not used (only `present`/`descriptors` were scored)",
                    summary.with_measurements
                );
            }
            if !quiet && !matches!(result, Err(CliError::Usage(_))) {
                let _ = writeln!(
                    stderr,
                    "sledai score: {} records read, {} scored, {} failed",
                    summary.read, summary.scored, summary.failed
                );
            }
            ExitCode::from(code)
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
