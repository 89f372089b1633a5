//! `sledai score`: read visits record by record, assess each with the
//! core's [`PatientStream`], write one output record per input record.
//!
//! Streaming: memory does not grow with the number of visits; the core's
//! stream keeps, per patient, the previous visit (LLDAS criterion 2) and the
//! baseline (change from baseline), so it grows with the number of
//! patients (measured in `docs/performance.md`).

use sledai::table::output::VisitColumns;
use sledai::visit::PatientStream;

use crate::error::{CliError, InputError};
use crate::input::{self, Failed, OutputFormat, Reading};
use crate::options::PolicyArgs;
use crate::output::{Csv, Echo, JsonLines, Sink};

/// What to do with a bad record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum OnError {
    /// Stop at the first bad record: message on stderr, exit code 2.
    Stop,
    /// Write the record with an `error` field, go on, exit code 1 at the end.
    Report,
}

/// The options of `sledai score`.
#[derive(Debug, Clone)]
pub(crate) struct Options {
    /// Where the visits come from and where the output goes.
    pub(crate) io: Reading,
    pub(crate) on_error: OnError,
    /// The CSV output columns (`--columns`; the whole layout by default).
    pub(crate) columns: VisitColumns,
    pub(crate) policy: PolicyArgs,
}

/// The output columns of `--columns NAMES` (the core's selection of its
/// layout), or the whole layout.
///
/// # Errors
///
/// A usage error for a name that is not an output column (with the
/// core's suggestion), a repeated name, or `--columns` with JSON Lines
/// output.
pub(crate) fn columns(
    names: Option<&[String]>,
    format: OutputFormat,
) -> Result<VisitColumns, CliError> {
    let Some(names) = names else {
        return Ok(VisitColumns::all());
    };
    if format != OutputFormat::Csv {
        return Err(CliError::Usage(
            "--columns selects CSV columns: add --output-format csv (JSON Lines records are whole)"
                .to_owned(),
        ));
    }
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    VisitColumns::select(&names).map_err(|e| CliError::Usage(format!("--{e}")))
}

/// Counts for the summary line.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Summary {
    pub(crate) read: u64,
    pub(crate) scored: u64,
    pub(crate) failed: u64,
    /// Output records that reached the output, when writing it failed.
    pub(crate) written_before_failure: Option<u64>,
}

/// Runs `sledai score`. On `Err`, `summary` holds the counts up to the
/// failure; the caller prints the summary line.
///
/// # Errors
///
/// A [`CliError`] for a bad record (with `--on-error stop`), a bad header,
/// an unreadable input or an unwritable output.
pub(crate) fn run(opts: &Options, summary: &mut Summary) -> Result<(), CliError> {
    input::refuse_overwrite(&opts.io.input, opts.io.output.as_ref())?;
    let source = input::open(&opts.io.input, opts.io.format, &opts.io.header)?;
    let name = source.name.clone();
    let mut out = input::create(opts.io.output.as_ref())?;
    let result = score(opts, source, &name, &mut out, summary);
    if out.failed() {
        summary.written_before_failure = Some(out.written());
    }
    result
}

fn score(
    opts: &Options,
    source: input::Source,
    name: &str,
    out: &mut input::Output,
    summary: &mut Summary,
) -> Result<(), CliError> {
    let mut sink: Box<dyn Sink + '_> = match opts.io.output_format {
        OutputFormat::Jsonl => Box::new(JsonLines::new(out)),
        OutputFormat::Csv => Box::new(Csv::new(out, opts.columns.columns().collect())?),
    };
    let mut stream = PatientStream::new(opts.policy.visit_options());
    let on_error = opts.on_error;
    let result = input::each_visit(
        source,
        &opts.io.header,
        opts.io.mapping.as_ref(),
        opts.io.quiet,
        |line, record| {
            summary.read += 1;
            match record {
                // Matched by reference: the result is not moved out of the
                // slot `assess` wrote it in.
                Ok(visit) => match &stream.assess(visit) {
                    Ok(r) => {
                        summary.scored += 1;
                        sink.visit(r)
                    }
                    Err(e) => {
                        let echo = Echo {
                            id: visit.id.as_deref(),
                            patient: visit.patient.as_deref(),
                            date: visit.date,
                        };
                        fail(
                            on_error,
                            sink.as_mut(),
                            summary,
                            &echo,
                            InputError::core(name, line, e),
                        )
                    }
                },
                Err(Failed { error, id, patient }) => {
                    let echo = Echo {
                        id: id.as_deref(),
                        patient: patient.as_deref(),
                        date: None,
                    };
                    fail(on_error, sink.as_mut(), summary, &echo, error)
                }
            }
        },
    );
    // Flush what was written, also when stopping at a bad record: the
    // records before it are valid output.
    let flushed = sink.flush();
    result.and(flushed)
}

/// A bad record: stop, or write it with its error and go on.
fn fail(
    on_error: OnError,
    sink: &mut dyn Sink,
    summary: &mut Summary,
    echo: &Echo<'_>,
    err: InputError,
) -> Result<(), CliError> {
    summary.failed += 1;
    match on_error {
        OnError::Stop => Err(CliError::Input(err)),
        OnError::Report => sink.error(echo, &err.to_string()),
    }
}
