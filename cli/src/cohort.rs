//! `sledai cohort`: read every visit, build the core's cohort
//! ([`Cohort::from_records`]), summarise it ([`Cohort::summarize`]) and
//! write one record per patient, then the cohort summary.
//!
//! Not streamed: a cohort needs all visits of a patient (they may come in
//! any order). Every number is the core's; this module only formats.

use std::path::PathBuf;

use sledai::Score;
use sledai::Threads;
use sledai::table::output::{self, OutputColumn};
use sledai::timeline::{
    Cohort, CohortSummary, SummaryOptions, TimeAttribution, TimelineOptions, Window,
};
use sledai::visit::VisitInput;

use crate::error::{CliError, InputError, core_field};
use crate::input::{self, OutputFormat, Reading};
use crate::options::PolicyArgs;
use crate::output::{csv_header, csv_row, write_json_line};

/// The options of `sledai cohort`.
#[derive(Debug, Clone)]
pub(crate) struct Options {
    /// Where the visits come from and where the output goes.
    pub(crate) io: Reading,
    pub(crate) policy: PolicyArgs,
    pub(crate) at: Vec<i32>,
    pub(crate) window: Option<u16>,
    pub(crate) before: Option<u16>,
    pub(crate) after: Option<u16>,
    pub(crate) attribution: TimeAttribution,
    pub(crate) sustained_days: Option<u32>,
    pub(crate) screening_threshold: Option<u8>,
    pub(crate) allow_duplicate_dates: bool,
    /// `--threads` (every core by default).
    pub(crate) threads: Threads,
    pub(crate) summary: Option<PathBuf>,
}

/// Counts for the summary line.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Counts {
    pub(crate) visits: u64,
    pub(crate) patients: u64,
    /// Output records (patients) that reached the output, when writing it
    /// failed.
    pub(crate) written_before_failure: Option<u64>,
}

impl Options {
    /// The endpoint windows, one per `--at`, in the order given.
    fn windows(&self) -> Result<Vec<Window>, CliError> {
        windows(&self.at, self.window, self.before, self.after)
    }

    fn summary_options(&self) -> Result<SummaryOptions, CliError> {
        let mut o = SummaryOptions::new(self.windows()?)
            .with_attribution(self.attribution)
            .with_threads(self.threads);
        if let Some(d) = self.sustained_days {
            o = o.with_sustained_days(d);
        }
        if let Some(t) = self.screening_threshold {
            let t = Score::new(t)
                .map_err(|e| CliError::Usage(format!("--screening-threshold: {e}")))?;
            o = o.with_screening_threshold(t);
        }
        Ok(o)
    }
}

/// The endpoint windows of `--at DAY ... --window DAYS` (or `--before` /
/// `--after`), one per `--at`, in the order given; shared by `cohort` and
/// `adam`, so both choose the same visits.
pub(crate) fn windows(
    at: &[i32],
    window: Option<u16>,
    before: Option<u16>,
    after: Option<u16>,
) -> Result<Vec<Window>, CliError> {
    let (before, after) = match (before.or(window), after.or(window)) {
        (Some(b), Some(a)) => (b, a),
        (None, None) if at.is_empty() => (0, 0),
        (None, None) => {
            return Err(CliError::Usage(
                "--at needs a visit window: --window DAYS (e.g. --window 14 for day ± 14), or --before DAYS --after DAYS"
                    .to_owned(),
            ))
        }
        _ => {
            return Err(CliError::Usage(
                "--before and --after need each other (or --window for the side not given)"
                    .to_owned(),
            ))
        }
    };
    let mut seen: Vec<i32> = Vec::new();
    for &d in at {
        if seen.contains(&d) {
            return Err(CliError::Usage(format!("--at {d} is given twice")));
        }
        seen.push(d);
    }
    Ok(at
        .iter()
        .map(|&d| Window::asymmetric(d, before, after))
        .collect())
}

/// Reads every visit of `io` and builds the core's cohort, each visit
/// evaluated under `policy` (what `cohort` and `adam` share)
/// ([`Cohort::from_records`]); a core error is placed on its input line.
/// `visits` is set to the number of visits read, before the cohort is
/// built (the summary line counts them even when the core rejects it).
///
/// # Errors
///
/// A [`CliError`] for a bad record, a cohort the core rejects or an
/// unreadable input.
pub(crate) fn read_cohort(
    io: &Reading,
    policy: &PolicyArgs,
    allow_duplicate_dates: bool,
    threads: Threads,
    visits_read: &mut u64,
) -> Result<Cohort, CliError> {
    let opened = input::open(&io.input, io.format, &io.header)?;
    let name = opened.name.clone();
    let mut visits: Vec<VisitInput> = Vec::new();
    let mut lines: Vec<u64> = Vec::new();
    input::each_visit(
        opened,
        &io.header,
        io.mapping.as_ref(),
        io.quiet,
        |line, record| match record {
            Ok(v) => {
                visits.push(std::mem::replace(
                    v,
                    VisitInput::new(sledai::Assessment::not_assessed()),
                ));
                lines.push(line);
                Ok(())
            }
            Err(f) => Err(CliError::Input(f.error)),
        },
    )?;
    *visits_read = visits.len() as u64;
    let mut timeline = TimelineOptions::default().with_threads(threads);
    if allow_duplicate_dates {
        timeline = timeline.with_duplicate_dates(true);
    }
    // The cohort takes the visits; keep what is needed to place an error.
    let places: Vec<Place> = visits.iter().map(Place::of).collect();
    let cohort = Cohort::from_records(visits, &timeline.with_visit(policy.visit_options()))
        .map_err(|e| CliError::Input(locate(&name, &places, &lines, &e)))?;
    Ok(cohort)
}

/// Runs `sledai cohort`.
///
/// # Errors
///
/// A [`CliError`] for a bad record, a cohort the core rejects (naming the
/// patient and, where it can be told, the line), an unreadable input or an
/// unwritable output.
pub(crate) fn run(opts: &Options, counts: &mut Counts) -> Result<(), CliError> {
    let summary_options = opts.summary_options()?;
    input::refuse_overwrite(&opts.io.input, opts.io.output.as_ref())?;
    input::refuse_overwrite(&opts.io.input, opts.summary.as_ref())?;
    let cohort = read_cohort(
        &opts.io,
        &opts.policy,
        opts.allow_duplicate_dates,
        opts.threads,
        &mut counts.visits,
    )?;
    let report = cohort.summarize(&summary_options);
    counts.patients = report.patients.len() as u64;

    let mut out = input::create(opts.io.output.as_ref())?;
    let result = write_report(opts, &summary_options, &report, &mut out);
    if out.failed() {
        counts.written_before_failure = Some(out.written());
    }
    result?;
    if let Some(path) = &opts.summary {
        write_summary(path, &report.summary)?;
    }
    Ok(())
}

fn write_report(
    opts: &Options,
    summary_options: &SummaryOptions,
    report: &sledai::timeline::CohortReport,
    out: &mut input::Output,
) -> Result<(), CliError> {
    let mut buf = Vec::with_capacity(4096);
    match opts.io.output_format {
        OutputFormat::Jsonl => {
            for p in &report.patients {
                write_json_line(out, &mut buf, p)?;
            }
            if opts.summary.is_none() {
                buf.clear();
                buf.extend_from_slice(b"{\"cohort\":");
                serde_json::to_writer(&mut buf, &report.summary)
                    .map_err(std::io::Error::other)
                    .map_err(|e| out.error(e))?;
                buf.extend_from_slice(b"}\n");
                out.write_header(&buf)?;
            }
        }
        OutputFormat::Csv => {
            let columns = output::patient_columns(summary_options.windows(), opts.policy.sri_k);
            buf.clear();
            csv_header(&mut buf, columns.iter().map(OutputColumn::name));
            out.write_header(&buf)?;
            for p in &report.patients {
                buf.clear();
                csv_row(&mut buf, &columns, p);
                out.write_record(&buf)?;
            }
        }
    }
    out.flush()
}

fn write_summary(path: &PathBuf, summary: &CohortSummary) -> Result<(), CliError> {
    let err = |e| CliError::io(format!("cannot write `{}`", path.display()), e);
    let mut text = serde_json::to_vec_pretty(summary)
        .map_err(std::io::Error::other)
        .map_err(err)?;
    text.push(b'\n');
    std::fs::write(path, text).map_err(err)
}

// ------------------------------------------------------------------ errors

/// What identifies an input record, to place a core error on its line.
struct Place {
    patient: Option<String>,
    date: Option<String>,
    reference_date: Option<String>,
    baseline: Option<bool>,
    new_activity: Option<bool>,
}

impl Place {
    fn of(v: &VisitInput) -> Place {
        Place {
            patient: v.patient.clone(),
            date: v.date.map(|d| d.to_string()),
            reference_date: v.reference_date.map(|d| d.to_string()),
            baseline: v.baseline,
            new_activity: v.new_activity,
        }
    }
}

/// The lines of the records a core error is about, when they can be told
/// from the error's patient, field and value; the patient is named by the
/// core's message (`patient `P7`: ...`).
fn locate(file: &str, places: &[Place], lines: &[u64], e: &sledai::Error) -> InputError {
    use sledai::Error as E;
    let (patient, inner) = match e {
        E::InPatient {
            patient, source, ..
        } => (Some(&**patient), source.as_ref()),
        other => (None, other),
    };
    let (field, value) = match inner {
        E::InvalidValue { field, value, .. } => (Some(*field), Some(&**value)),
        E::InBatch { source, .. } => match source.as_ref() {
            E::InvalidValue { field, value, .. } => (Some(*field), Some(&**value)),
            _ => (None, None),
        },
        _ => (None, None),
    };
    let same_patient = |p: &Place| patient.is_none_or(|id| p.patient.as_deref() == Some(id));
    let opt = |s: &Option<String>| s.clone().unwrap_or_else(|| "null".to_owned());
    let hits: Vec<u64> = match (field, value) {
        (Some("date"), Some(v)) => places
            .iter()
            .zip(lines)
            .filter(|(p, _)| same_patient(p) && opt(&p.date) == v)
            .map(|(_, &l)| l)
            .collect(),
        (Some("patient"), Some(v)) => places
            .iter()
            .zip(lines)
            .filter(|(p, _)| opt(&p.patient) == v)
            .map(|(_, &l)| l)
            .take(1)
            .collect(),
        (Some("reference_date"), Some(v)) => places
            .iter()
            .zip(lines)
            .filter(|(p, _)| same_patient(p) && opt(&p.reference_date) == v)
            .map(|(_, &l)| l)
            .take(1)
            .collect(),
        (Some("baseline"), Some(v)) => places
            .iter()
            .zip(lines)
            .filter(|(p, _)| {
                same_patient(p)
                    && p.baseline == Some(true)
                    && v.split(", ").any(|d| opt(&p.date) == d)
            })
            .map(|(_, &l)| l)
            .collect(),
        (Some("new_activity"), Some(v)) => places
            .iter()
            .zip(lines)
            .filter(|(p, _)| {
                same_patient(p) && p.new_activity.map(|b| b.to_string()).as_deref() == Some(v)
            })
            .map(|(_, &l)| l)
            .collect(),
        _ => Vec::new(),
    };
    let first = hits.first().copied().unwrap_or(0);
    let mut err = match (patient, field, value) {
        // The core's message names its own option and input positions;
        // say it with the lines and the flag of this tool.
        (Some(p), Some("date"), Some(date)) if hits.len() > 1 => InputError::at(
            file,
            first,
            format!(
                "patient `{p}`: {} visits are on the same date {date} ({}); allow it with --allow-duplicate-dates",
                hits.len(),
                lines_list(&hits),
            ),
        ),
        _ if hits.len() > 1 => InputError::at(
            file,
            first,
            format!("{e} (also {})", lines_list(&hits[1..])),
        ),
        _ => InputError::at(file, first, e.to_string()),
    };
    if let Some(f) = core_field(e) {
        err = err.field(f);
    }
    err
}

/// `line 4`, `lines 2 and 5`, `lines 2, 3, 4, 5, 6 and 99995 more`: the
/// first five, so a message stays short however many records it is about.
fn lines_list(lines: &[u64]) -> String {
    const SHOWN: usize = 5;
    let shown: Vec<String> = lines.iter().take(SHOWN).map(u64::to_string).collect();
    match shown.as_slice() {
        [one] => format!("line {one}"),
        [rest @ .., last] if lines.len() <= SHOWN => {
            format!("lines {} and {last}", rest.join(", "))
        }
        _ => format!(
            "lines {} and {} more",
            shown.join(", "),
            lines.len() - SHOWN
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_and_row_have_the_same_number_of_fields() {
        use sledai::timeline::Timeline;
        use sledai::{Assessment, Date};
        let v = |m| VisitInput::dated(Date::new(2024, m, 1).unwrap(), Assessment::from_present([]));
        let t = Timeline::new([v(1), v(4)], &TimelineOptions::default()).unwrap();
        let windows = [Window::new(90, 14), Window::new(360, 14)];
        let s = t.summary("P1", &SummaryOptions::new(windows));
        let mut h = Vec::new();
        let columns = output::patient_columns(&windows, Some(6));
        csv_header(&mut h, columns.iter().map(OutputColumn::name));
        let mut r = Vec::new();
        csv_row(&mut r, &columns, &s);
        let count = |b: &[u8]| b.iter().filter(|&&c| c == b',').count();
        assert_eq!(
            count(&h),
            count(&r),
            "{}\n{}",
            String::from_utf8_lossy(&h),
            String::from_utf8_lossy(&r)
        );
    }
}
