//! `sledai cohort`: read every visit, build the core's cohort
//! ([`sledai::visit::cohort`]), summarise it ([`Cohort::summarize`]) and
//! write one record per patient, then the cohort summary.
//!
//! Not streamed: a cohort needs all visits of a patient (they may come in
//! any order). Every number is the core's; this module only formats.

use sledai::table::HeaderOptions;
use std::io::Write;
use std::path::PathBuf;

use sledai::TriState;
use sledai::remission_2017::Doris2017Variant;
use sledai::timeline::{
    CohortSummary, Endpoint, PatientSummary, Responses, StateSummary, SummaryOptions,
    TimeAttribution, TimelineOptions, Window,
};
use sledai::visit::{self, VisitInput};
use sledai::{Score, ScoreRange};

use crate::error::{CliError, InputError, core_field};
use crate::input::{self, InputFormat, OutputFormat};
use crate::options::PolicyArgs;
use crate::output::push_csv_text;

/// `--attribution`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum AttributionArg {
    /// Each visit's state until the next visit (Franklyn 2016).
    CarryForward,
    /// Half of each interval to each end.
    HalfInterval,
    /// An interval counts as met only when both ends are met.
    BothEnds,
}

/// The options of `sledai cohort`.
#[derive(Debug, Clone)]
pub(crate) struct Options {
    pub(crate) input: PathBuf,
    pub(crate) format: Option<InputFormat>,
    pub(crate) output: Option<PathBuf>,
    pub(crate) output_format: OutputFormat,
    /// The header rule's options: renames and the extra-columns policy.
    pub(crate) header: HeaderOptions,
    pub(crate) quiet: bool,
    pub(crate) policy: PolicyArgs,
    pub(crate) at: Vec<i32>,
    pub(crate) window: Option<u16>,
    pub(crate) before: Option<u16>,
    pub(crate) after: Option<u16>,
    pub(crate) attribution: AttributionArg,
    pub(crate) sustained_days: Option<u32>,
    pub(crate) screening_threshold: Option<u8>,
    pub(crate) allow_duplicate_dates: bool,
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
        let (before, after) = match (self.before.or(self.window), self.after.or(self.window)) {
            (Some(b), Some(a)) => (b, a),
            (None, None) if self.at.is_empty() => (0, 0),
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
        for &d in &self.at {
            if seen.contains(&d) {
                return Err(CliError::Usage(format!("--at {d} is given twice")));
            }
            seen.push(d);
        }
        Ok(self
            .at
            .iter()
            .map(|&d| Window::asymmetric(d, before, after))
            .collect())
    }

    fn summary_options(&self) -> Result<SummaryOptions, CliError> {
        let mut o = SummaryOptions::new(self.windows()?).with_attribution(match self.attribution {
            AttributionArg::CarryForward => TimeAttribution::CarryForward,
            AttributionArg::HalfInterval => TimeAttribution::HalfInterval,
            AttributionArg::BothEnds => TimeAttribution::BothEnds,
        });
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

/// Runs `sledai cohort`.
///
/// # Errors
///
/// A [`CliError`] for a bad record, a cohort the core rejects (naming the
/// patient and, where it can be told, the line), an unreadable input or an
/// unwritable output.
pub(crate) fn run(opts: &Options, counts: &mut Counts) -> Result<(), CliError> {
    let summary_options = opts.summary_options()?;
    input::refuse_overwrite(&opts.input, opts.output.as_ref())?;
    input::refuse_overwrite(&opts.input, opts.summary.as_ref())?;
    let source = input::open(&opts.input, opts.format, &opts.header)?;
    let name = source.name.clone();
    let mut visits: Vec<VisitInput> = Vec::new();
    let mut lines: Vec<u64> = Vec::new();
    input::each_visit(
        source,
        &opts.header,
        opts.quiet,
        |line, record| match record {
            Ok(v) => {
                visits.push(v);
                lines.push(line);
                Ok(())
            }
            Err(f) => Err(CliError::Input(f.error)),
        },
    )?;
    counts.visits = visits.len() as u64;
    let mut timeline = TimelineOptions::default();
    if opts.allow_duplicate_dates {
        timeline = timeline.with_duplicate_dates(true);
    }
    // The cohort takes the visits; keep what is needed to place an error.
    let places: Vec<Place> = visits.iter().map(Place::of).collect();
    let cohort = visit::cohort(visits, &opts.policy.visit_options(), &timeline)
        .map_err(|e| CliError::Input(locate(&name, &places, &lines, &e)))?;
    let report = cohort.summarize(&summary_options);
    counts.patients = report.patients.len() as u64;

    let mut out = input::create(opts.output.as_ref())?;
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
    match opts.output_format {
        OutputFormat::Jsonl => {
            for p in &report.patients {
                buf.clear();
                serde_json::to_writer(&mut buf, p)
                    .map_err(std::io::Error::other)
                    .map_err(|e| out.error(e))?;
                buf.push(b'\n');
                out.write_record(&buf)?;
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
            let windows = summary_options.windows();
            buf.clear();
            csv_header(&mut buf, windows, opts.policy.sri_k);
            out.write_header(&buf)?;
            for p in &report.patients {
                buf.clear();
                csv_row(&mut buf, p, opts.policy.sri_k);
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
        E::InPatient { patient, source } => (Some(patient.as_str()), source.as_ref()),
        other => (None, other),
    };
    let (field, value) = match inner {
        E::InvalidValue { field, value, .. } => (Some(*field), Some(value.as_str())),
        E::InBatch { source, .. } => match source.as_ref() {
            E::InvalidValue { field, value, .. } => (Some(*field), Some(value.as_str())),
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

// --------------------------------------------------------------------- CSV

/// The per-endpoint CSV columns, each prefixed `day<D>_`.
const ENDPOINT_COLUMNS: [&str; 12] = [
    "no_visit_in_window",
    "date",
    "study_day",
    "sledai_2k",
    "sledai_2k_min",
    "sledai_2k_max",
    "change",
    "change_min",
    "change_max",
    "percent_change",
    "lldas",
    "doris",
];

/// The per-state CSV columns, each prefixed `lldas_`, `doris_` or
/// `doris_off_treatment_`.
const STATE_COLUMNS: [&str; 9] = [
    "time_fraction",
    "time_fraction_upper",
    "visit_fraction",
    "visit_fraction_upper",
    "at_least_half",
    "longest_run_days",
    "sustained",
    "ever",
    "first_day",
];

/// The per-endpoint columns of docs/bilag.md after `sri4`, each prefixed
/// `day<D>_`: BICLA, SRI-k when `--sri-k` selects a k other than 4, the dual
/// responders and the DORIS 2017 variants.
fn response_columns(sri_k: Option<u8>) -> Vec<String> {
    let mut cols = vec!["bicla".to_owned()];
    if let Some(k) = sri_k.filter(|&k| k != 4) {
        cols.push(format!("sri{k}"));
    }
    cols.extend(["lldas_bicla", "lldas_sri4"].map(str::to_owned));
    cols.extend(Doris2017Variant::ALL.map(|v| v.id().to_owned()));
    cols
}

/// The states of [`response_columns`], from the endpoint's responses (all
/// empty without a visit in the window; BICLA and SRI empty at or before
/// the baseline).
fn response_cells(buf: &mut Vec<u8>, r: Option<&Responses>, sri_k: Option<u8>) {
    let mut cell = |s: Option<TriState>| {
        buf.push(b',');
        if let Some(s) = s {
            buf.extend_from_slice(s.id().as_bytes());
        }
    };
    cell(r.and_then(|r| r.bicla));
    if let Some(k) = sri_k.filter(|&k| k != 4) {
        cell(r.and_then(|r| match k {
            5 => r.sri_5,
            6 => r.sri_6,
            7 => r.sri_7,
            _ => r.sri_8,
        }));
    }
    cell(r.and_then(|r| r.lldas_bicla));
    cell(r.and_then(|r| r.lldas_sri_4));
    cell(r.map(|r| r.doris_2017_clinical_on_treatment));
    cell(r.map(|r| r.doris_2017_complete_on_treatment));
    cell(r.map(|r| r.doris_2017_clinical_off_treatment));
    cell(r.map(|r| r.doris_2017_complete_off_treatment));
}

fn csv_header(buf: &mut Vec<u8>, windows: &[Window], sri_k: Option<u8>) {
    let mut cols: Vec<String> = [
        "patient",
        "visits",
        "reference_date",
        "screening",
        "baseline_date",
        "baseline_study_day",
        "baseline_sledai_2k",
        "baseline_sledai_2k_min",
        "baseline_sledai_2k_max",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    for w in windows {
        for c in ENDPOINT_COLUMNS {
            cols.push(format!("day{}_{c}", w.target_day()));
        }
        cols.push(format!("day{}_sri4", w.target_day()));
        for c in response_columns(sri_k) {
            cols.push(format!("day{}_{c}", w.target_day()));
        }
    }
    for s in ["lldas", "doris", "doris_off_treatment"] {
        for c in STATE_COLUMNS {
            cols.push(format!("{s}_{c}"));
        }
    }
    buf.extend_from_slice(cols.join(",").as_bytes());
    buf.push(b'\n');
}

fn push_range(buf: &mut Vec<u8>, r: ScoreRange) {
    if r.min() == r.max() {
        let _ = write!(buf, ",{},,", r.min().get());
    } else {
        let _ = write!(buf, ",,{},{}", r.min().get(), r.max().get());
    }
}

fn push_opt_f64(buf: &mut Vec<u8>, x: Option<f64>) {
    buf.push(b',');
    if let Some(x) = x {
        let _ = serde_json::to_writer(&mut *buf, &x);
    }
}

fn csv_row(buf: &mut Vec<u8>, p: &PatientSummary, sri_k: Option<u8>) {
    push_csv_text(buf, &p.patient);
    let _ = write!(buf, ",{},{},", p.visits, p.reference_date);
    if let Some(s) = &p.screening {
        buf.extend_from_slice(s.state.id().as_bytes());
    }
    let _ = write!(buf, ",{},{}", p.baseline.date, p.baseline.study_day);
    push_range(buf, p.baseline.sledai);
    for e in &p.endpoints {
        match &e.endpoint {
            Endpoint::Visit(v) => {
                let row = &v.visit;
                let _ = write!(buf, ",false,{},{}", row.date, row.study_day);
                push_range(buf, row.sledai);
                match row.change.absolute() {
                    Some(a) => {
                        let _ = write!(buf, ",{a},,");
                    }
                    None => {
                        let _ = write!(buf, ",,{},{}", row.change.min(), row.change.max());
                    }
                }
                push_opt_f64(buf, row.change.percent());
                let _ = write!(buf, ",{},{}", row.lldas, row.doris);
            }
            // `Endpoint` may grow; anything but a visit has no visit fields.
            _ => {
                buf.extend_from_slice(b",true");
                for _ in 1..ENDPOINT_COLUMNS.len() {
                    buf.push(b',');
                }
            }
        }
        buf.push(b',');
        if let Some(s) = &e.sri4 {
            buf.extend_from_slice(s.state().id().as_bytes());
        }
        response_cells(buf, e.responses.as_ref(), sri_k);
    }
    for s in [&p.lldas, &p.doris, &p.doris_off_treatment] {
        state_columns(buf, s);
    }
    buf.push(b'\n');
}

fn state_columns(buf: &mut Vec<u8>, s: &StateSummary) {
    push_opt_f64(buf, s.time.fraction_of_time);
    push_opt_f64(buf, s.time.fraction_of_time_upper);
    push_opt_f64(buf, s.time.fraction_of_visits);
    push_opt_f64(buf, s.time.fraction_of_visits_upper);
    let _ = write!(buf, ",{},", s.time.at_least_half);
    if let Some(r) = &s.sustained.longest_run {
        let _ = write!(buf, "{}", r.span_days);
    }
    buf.push(b',');
    if let Some(m) = s.sustained.meets_duration {
        buf.extend_from_slice(m.id().as_bytes());
    }
    let _ = write!(buf, ",{},", s.ever);
    if let Some(d) = s.first_day {
        let _ = write!(buf, "{d}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_and_row_have_the_same_number_of_fields() {
        use sledai::timeline::{Timeline, Visit};
        use sledai::{Assessment, Date};
        let v = |m| Visit::new(Date::new(2024, m, 1).unwrap(), Assessment::from_present([]));
        let t = Timeline::new([v(1), v(4)], &TimelineOptions::default()).unwrap();
        let windows = [Window::new(90, 14), Window::new(360, 14)];
        let s = t.summary("P1", &SummaryOptions::new(windows));
        let mut h = Vec::new();
        csv_header(&mut h, &windows, Some(6));
        let mut r = Vec::new();
        csv_row(&mut r, &s, Some(6));
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
