//! `sledai adam`: read every visit, build the core's cohort the way `sledai
//! cohort` does ([`crate::cohort::read_cohort`]), derive the ADaM
//! BDS-shaped records ([`sledai::adam::evaluate`]) and write them: CSV by
//! default, or JSON Lines, through the writers every command shares
//! ([`crate::output`]) from the core's ADaM layout
//! ([`sledai::table::output::adam_columns`]).
//!
//! Every variable name, cell and rule is the core's (docs/adam.md); this
//! module only reads the window table's bytes and writes the records.

use std::path::PathBuf;

use sledai::adam::{
    self, AdamOptions, AdyConvention, AnalysisSelection, AnalysisWindow, Parameter,
};

use sledai::table::output::{self, OutputColumn};

use crate::cohort;
use crate::error::{CliError, InputError, core_field};
use crate::input::{self, OutputFormat, Reading};
use crate::options::PolicyArgs;
use crate::output::{csv_header, csv_row, write_json_line};

/// The options of `sledai adam`.
#[derive(Debug, Clone)]
pub(crate) struct Options {
    /// Where the visits come from and where the output goes.
    pub(crate) io: Reading,
    pub(crate) policy: PolicyArgs,
    pub(crate) at: Vec<i32>,
    pub(crate) window: Option<u16>,
    pub(crate) before: Option<u16>,
    pub(crate) after: Option<u16>,
    pub(crate) windows: Option<PathBuf>,
    pub(crate) ady: AdyConvention,
    pub(crate) selection: AnalysisSelection,
    pub(crate) parameter_codes: Vec<(String, String)>,
    pub(crate) allow_duplicate_dates: bool,
    /// `--threads` (every core by default).
    pub(crate) threads: sledai::Threads,
}

/// Counts for the summary line.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Counts {
    pub(crate) visits: u64,
    pub(crate) subjects: u64,
    pub(crate) records: u64,
    /// Output records that reached the output, when writing it failed.
    pub(crate) written_before_failure: Option<u64>,
}

impl Options {
    /// The core's options: the analysis windows (`--at` or `--windows`),
    /// the conventions and the parameter codes.
    fn adam_options(&self) -> Result<AdamOptions, CliError> {
        let windows = match &self.windows {
            Some(path) => {
                if !self.at.is_empty() {
                    return Err(CliError::Usage(
                        "--windows FILE and --at give the analysis visits twice: use one"
                            .to_owned(),
                    ));
                }
                if self.window.is_some() || self.before.is_some() || self.after.is_some() {
                    return Err(CliError::Usage(
                        "--windows FILE gives each analysis window: --window, --before and --after do not apply"
                            .to_owned(),
                    ));
                }
                let text = std::fs::read_to_string(path)
                    .map_err(|e| CliError::io(format!("cannot read `{}`", path.display()), e))?;
                adam::parse_window_table(&text, self.ady).map_err(|e| {
                    let name = path.display().to_string();
                    // The core names the zero-based line; lines are one-based here.
                    let line = match &e {
                        sledai::Error::InBatch { index, .. } => *index as u64 + 1,
                        _ => 0,
                    };
                    let inner = match &e {
                        sledai::Error::InBatch { source, .. } => source.as_ref(),
                        other => other,
                    };
                    let mut err = InputError::at(&name, line, inner.to_string());
                    if let Some(f) = core_field(&e) {
                        err = err.field(f);
                    }
                    CliError::Input(err)
                })?
            }
            None => AnalysisWindow::days(cohort::windows(
                &self.at,
                self.window,
                self.before,
                self.after,
            )?),
        };
        let mut o = AdamOptions::default()
            .with_windows(windows)
            .with_ady(self.ady)
            .with_selection(self.selection);
        for (parameter, code) in &self.parameter_codes {
            let p: Parameter = parameter.parse().map_err(|e| {
                CliError::Usage(format!("--parameter-code {parameter}={code}: {e}"))
            })?;
            o = o.with_parameter_code(p, code);
        }
        Ok(o)
    }
}

/// Runs `sledai adam`.
///
/// # Errors
///
/// A [`CliError`] for a bad record, a cohort the core rejects, options the
/// dataset cannot hold, an unreadable input or an unwritable output.
pub(crate) fn run(opts: &Options, counts: &mut Counts) -> Result<(), CliError> {
    let options = opts.adam_options()?;
    input::refuse_overwrite(&opts.io.input, opts.io.output.as_ref())?;
    let cohort = cohort::read_cohort(
        &opts.io,
        &opts.policy,
        opts.allow_duplicate_dates,
        opts.threads,
        &mut counts.visits,
    )?;
    counts.subjects = cohort.len() as u64;
    let dataset = adam::evaluate(&cohort, options).map_err(|e| CliError::Usage(e.to_string()))?;
    let mut out = input::create(opts.io.output.as_ref())?;
    let result = write(
        opts.io.output_format,
        &dataset,
        &mut out,
        &mut counts.records,
    );
    if out.failed() {
        counts.written_before_failure = Some(out.written());
    }
    result
}

/// Writes the records as they are derived, one subject at a time: CSV from
/// the core's ADaM layout ([`output::adam_columns`]), JSON Lines from the
/// record's serde form, with the writers of `score` and `cohort`.
fn write(
    format: OutputFormat,
    dataset: &adam::Dataset<'_>,
    out: &mut input::Output,
    written: &mut u64,
) -> Result<(), CliError> {
    let columns = output::adam_columns();
    let mut buf = Vec::with_capacity(1024);
    if format == OutputFormat::Csv {
        csv_header(&mut buf, columns.iter().map(OutputColumn::name));
        out.write_header(&buf)?;
    }
    for r in dataset.records() {
        match format {
            OutputFormat::Csv => {
                buf.clear();
                csv_row(&mut buf, columns, &r);
                out.write_record(&buf)?;
            }
            OutputFormat::Jsonl => write_json_line(out, &mut buf, &r)?,
        }
        *written += 1;
    }
    out.flush()
}
