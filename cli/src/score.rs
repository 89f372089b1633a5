//! `sledai score`: read visits record by record, score each with the core,
//! write one output record per input record.
//!
//! Streaming: one input line (JSON) or one CSV record is held at a time, in
//! buffers reused from record to record, and output goes through a buffered
//! writer, so memory does not grow with the file (measured in
//! `docs/performance.md`).

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::error::{CliError, InputError};
use crate::output::{Csv, Echo, JsonLines, Outcome, Sink};
use crate::record::{self, CsvLayout, Visit};

/// Input format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum InputFormat {
    /// JSON Lines: one JSON object per line.
    Jsonl,
    /// CSV with a header line.
    Csv,
}

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum OutputFormat {
    /// JSON Lines: one JSON object per visit.
    Jsonl,
    /// CSV with a header line.
    Csv,
}

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
    pub(crate) input: PathBuf,
    pub(crate) format: Option<InputFormat>,
    pub(crate) output: Option<PathBuf>,
    pub(crate) output_format: OutputFormat,
    pub(crate) on_error: OnError,
    pub(crate) allow_extra_columns: bool,
    pub(crate) quiet: bool,
}

/// Counts for the summary line.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Summary {
    pub(crate) read: u64,
    pub(crate) scored: u64,
    pub(crate) failed: u64,
    pub(crate) with_measurements: u64,
}

const BUFFER: usize = 1 << 18;

/// Runs `sledai score`. Returns the counts; the caller prints the summary.
/// On `Err`, `summary` holds the counts up to the failure.
///
/// # Errors
///
/// A [`CliError`] for a bad record (with `--on-error stop`), a bad header,
/// an unreadable input or an unwritable output.
pub(crate) fn run(opts: &Options, summary: &mut Summary) -> Result<(), CliError> {
    let stdin = opts.input.as_os_str() == "-";
    let name = if stdin {
        "<stdin>".to_owned()
    } else {
        opts.input.display().to_string()
    };
    let format = match opts.format {
        Some(f) => f,
        None => detect(&opts.input).ok_or_else(|| {
            CliError::Usage(format!(
                "cannot tell the format of `{name}`: name it .jsonl or .csv, or give --format jsonl|csv"
            ))
        })?,
    };
    if opts.allow_extra_columns && format != InputFormat::Csv {
        return Err(CliError::Usage(
            "--allow-extra-columns applies to CSV input only; unknown JSON fields are always errors"
                .to_owned(),
        ));
    }
    let (reader, size): (Box<dyn Read>, Option<u64>) = if stdin {
        (Box::new(io::stdin().lock()), None)
    } else {
        let f = File::open(&opts.input)
            .map_err(|e| CliError::io(format!("cannot open `{name}`"), e))?;
        let size = f.metadata().ok().map(|m| m.len());
        (Box::new(f), size)
    };
    let writer: Box<dyn Write> = match &opts.output {
        Some(path) => Box::new(
            File::create(path)
                .map_err(|e| CliError::io(format!("cannot create `{}`", path.display()), e))?,
        ),
        None => Box::new(io::stdout().lock()),
    };
    let writer = BufWriter::with_capacity(BUFFER, writer);
    let out_name = opts
        .output
        .as_ref()
        .map_or_else(|| "<stdout>".to_owned(), |p| p.display().to_string());
    let write_err = |e: io::Error| CliError::io(format!("cannot write `{out_name}`"), e);
    let mut sink: Box<dyn Sink> = match opts.output_format {
        OutputFormat::Jsonl => Box::new(JsonLines::new(writer)),
        OutputFormat::Csv => Box::new(Csv::new(writer).map_err(write_err)?),
    };
    let mut progress = Progress::new(size, opts.quiet);
    let mut ctx = Ctx {
        name: &name,
        on_error: opts.on_error,
        summary,
        sink: sink.as_mut(),
        progress: &mut progress,
    };
    let result = match format {
        InputFormat::Jsonl => ctx.jsonl(BufReader::with_capacity(BUFFER, reader)),
        InputFormat::Csv => ctx.csv(reader, opts.allow_extra_columns),
    };
    progress.finish();
    // Flush what was written, also when stopping at a bad record: the
    // records before it are valid output.
    let flushed = sink.flush().map_err(write_err);
    result.and(flushed)
}

fn detect(path: &std::path::Path) -> Option<InputFormat> {
    match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "jsonl" | "ndjson" => Some(InputFormat::Jsonl),
        "csv" => Some(InputFormat::Csv),
        _ => None,
    }
}

struct Ctx<'a> {
    name: &'a str,
    on_error: OnError,
    summary: &'a mut Summary,
    sink: &'a mut dyn Sink,
    progress: &'a mut Progress,
}

impl Ctx<'_> {
    fn write_err(&self, e: io::Error) -> CliError {
        CliError::io("cannot write output", e)
    }

    fn read_err(&self, e: io::Error) -> CliError {
        CliError::io(format!("cannot read `{}`", self.name), e)
    }

    /// Scores one parsed visit and writes it.
    fn scored(&mut self, line: u64, v: &Visit<'_>) -> Result<(), CliError> {
        let echo = Echo {
            id: v.id.as_deref(),
            patient: v.patient.as_deref(),
            date: v.date,
        };
        if v.has_measurements {
            self.summary.with_measurements += 1;
        }
        match Outcome::of(&v.assessment) {
            Ok(o) => {
                self.summary.scored += 1;
                self.sink.visit(&echo, &o).map_err(|e| self.write_err(e))
            }
            Err(e) => self.failed(&echo, InputError::at(self.name, line, e.to_string())),
        }
    }

    /// A bad record: stop, or write it with its error and go on.
    fn failed(&mut self, echo: &Echo<'_>, err: InputError) -> Result<(), CliError> {
        self.summary.failed += 1;
        match self.on_error {
            OnError::Stop => Err(CliError::Input(err)),
            OnError::Report => self
                .sink
                .error(echo, &err.to_string())
                .map_err(|e| self.write_err(e)),
        }
    }

    fn jsonl<R: BufRead>(&mut self, mut reader: R) -> Result<(), CliError> {
        let mut buf = Vec::with_capacity(1024);
        let mut line = 0u64;
        let mut bytes = 0u64;
        loop {
            buf.clear();
            let n = reader
                .read_until(b'\n', &mut buf)
                .map_err(|e| self.read_err(e))?;
            if n == 0 {
                return Ok(());
            }
            line += 1;
            bytes += n as u64;
            let mut text: &[u8] = &buf;
            if let Some(t) = text.strip_suffix(b"\n") {
                text = t.strip_suffix(b"\r").unwrap_or(t);
            }
            // Blank lines separate nothing and are not records.
            if text.trim_ascii().is_empty() {
                continue;
            }
            self.summary.read += 1;
            match record::parse_json(self.name, line, text) {
                Ok(v) => self.scored(line, &v)?,
                Err(e) => {
                    let echo = json_echo(text);
                    let echo = Echo {
                        id: echo.0.as_deref(),
                        patient: echo.1.as_deref(),
                        date: None,
                    };
                    self.failed(&echo, e)?;
                }
            }
            if line % 8192 == 0 {
                self.progress.tick(self.summary.read, bytes);
            }
        }
    }

    fn csv<R: Read>(&mut self, reader: R, allow_extra: bool) -> Result<(), CliError> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(BUFFER)
            .from_reader(reader);
        let mut row = csv::ByteRecord::new();
        let csv_err = |e: csv::Error| match e.into_kind() {
            csv::ErrorKind::Io(e) => CliError::io(format!("cannot read `{}`", self.name), e),
            other => CliError::Input(InputError::at(self.name, 0, format!("{other:?}"))),
        };
        if !rdr.read_byte_record(&mut row).map_err(csv_err)? {
            return Err(
                InputError::at(self.name, 1, "empty CSV file: a header line is needed").into(),
            );
        }
        let layout = CsvLayout::from_header(self.name, &row, allow_extra)?;
        let mut count = 0u64;
        loop {
            let more = rdr
                .read_byte_record(&mut row)
                .map_err(|e| match e.into_kind() {
                    csv::ErrorKind::Io(e) => {
                        CliError::io(format!("cannot read `{}`", self.name), e)
                    }
                    other => CliError::Input(InputError::at(self.name, 0, format!("{other:?}"))),
                })?;
            if !more {
                return Ok(());
            }
            let line = row.position().map_or(0, csv::Position::line);
            self.summary.read += 1;
            match layout.parse_row(self.name, line, &row) {
                Ok(v) => self.scored(line, &v)?,
                Err(e) => {
                    let (id, patient) = layout.echo(&row);
                    let echo = Echo {
                        id: id.as_deref(),
                        patient: patient.as_deref(),
                        date: None,
                    };
                    self.failed(&echo, e)?;
                }
            }
            count += 1;
            if count % 8192 == 0 {
                let bytes = row.position().map_or(0, csv::Position::byte);
                self.progress.tick(self.summary.read, bytes);
            }
        }
    }
}

/// The `id` and `patient` of a JSON line that failed, when they can be
/// read: what the error record echoes.
fn json_echo(text: &[u8]) -> (Option<String>, Option<String>) {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_slice::<serde_json::Value>(text)
    else {
        return (None, None);
    };
    let get = |k: &str| map.get(k).and_then(|v| v.as_str()).map(str::to_owned);
    (get("id"), get("patient"))
}

/// A progress bar on stderr, shown only when stderr is a terminal and the
/// run has lasted more than a second.
struct Progress {
    enabled: bool,
    size: Option<u64>,
    start: Instant,
    bar: Option<indicatif::ProgressBar>,
}

impl Progress {
    fn new(size: Option<u64>, quiet: bool) -> Progress {
        Progress {
            enabled: !quiet && io::stderr().is_terminal(),
            size,
            start: Instant::now(),
            bar: None,
        }
    }

    fn tick(&mut self, records: u64, bytes: u64) {
        if !self.enabled {
            return;
        }
        if self.bar.is_none() && self.start.elapsed() > Duration::from_secs(1) {
            let bar = match self.size {
                Some(n) => {
                    let bar = indicatif::ProgressBar::new(n);
                    if let Ok(style) = indicatif::ProgressStyle::with_template(
                        "{bar:40} {bytes}/{total_bytes} ({eta} left) {msg}",
                    ) {
                        bar.set_style(style);
                    }
                    bar
                }
                None => indicatif::ProgressBar::new_spinner(),
            };
            self.bar = Some(bar);
        }
        if let Some(bar) = &self.bar {
            bar.set_position(bytes);
            bar.set_message(format!("{records} records"));
        }
    }

    fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}
