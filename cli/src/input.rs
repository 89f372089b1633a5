//! Reading records: opening the input, telling its format, and walking it
//! record by record (JSON Lines or CSV) with a progress bar; opening the
//! output. Shared by `score`, `cohort` and `classify`.
//!
//! Streaming: one input line (JSON) or one CSV record is held at a time, in
//! buffers reused from record to record.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sledai::visit::VisitInput;

use crate::error::{CliError, InputError};
use crate::record::{self, CsvLayout};

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
    /// JSON Lines: one JSON object per record.
    Jsonl,
    /// CSV with a header line.
    Csv,
}

const BUFFER: usize = 1 << 18;

/// An opened input.
pub(crate) struct Source {
    /// The input as the user named it (`<stdin>` for `-`).
    pub(crate) name: String,
    pub(crate) format: InputFormat,
    reader: Box<dyn Read>,
    size: Option<u64>,
}

/// Opens `input` (`-` = standard input) and tells its format from
/// `format` or the extension.
///
/// # Errors
///
/// A usage error when the format cannot be told or `allow_extra_columns`
/// is given for JSON Lines; an I/O error when the file cannot be opened.
pub(crate) fn open(
    input: &Path,
    format: Option<InputFormat>,
    allow_extra_columns: bool,
) -> Result<Source, CliError> {
    let stdin = input.as_os_str() == "-";
    let name = if stdin {
        "<stdin>".to_owned()
    } else {
        input.display().to_string()
    };
    let format = match format {
        Some(f) => f,
        None => detect(input).ok_or_else(|| {
            CliError::Usage(format!(
                "cannot tell the format of `{name}`: name it .jsonl or .csv, or give --format jsonl|csv"
            ))
        })?,
    };
    if allow_extra_columns && format != InputFormat::Csv {
        return Err(CliError::Usage(
            "--allow-extra-columns applies to CSV input only; unknown JSON fields are always errors"
                .to_owned(),
        ));
    }
    let (reader, size): (Box<dyn Read>, Option<u64>) = if stdin {
        (Box::new(io::stdin().lock()), None)
    } else {
        let f = File::open(input).map_err(|e| CliError::io(format!("cannot open `{name}`"), e))?;
        let size = f.metadata().ok().map(|m| m.len());
        (Box::new(f), size)
    };
    Ok(Source {
        name,
        format,
        reader,
        size,
    })
}

fn detect(path: &Path) -> Option<InputFormat> {
    match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "jsonl" | "ndjson" => Some(InputFormat::Jsonl),
        "csv" => Some(InputFormat::Csv),
        _ => None,
    }
}

/// An opened output (a file or standard output), buffered.
pub(crate) struct Output {
    pub(crate) name: String,
    pub(crate) writer: BufWriter<Box<dyn Write>>,
}

/// Creates `path`, or uses standard output.
///
/// # Errors
///
/// An I/O error when the file cannot be created.
pub(crate) fn create(path: Option<&PathBuf>) -> Result<Output, CliError> {
    let writer: Box<dyn Write> = match path {
        Some(path) => Box::new(
            File::create(path)
                .map_err(|e| CliError::io(format!("cannot create `{}`", path.display()), e))?,
        ),
        None => Box::new(io::stdout().lock()),
    };
    Ok(Output {
        name: path.map_or_else(|| "<stdout>".to_owned(), |p| p.display().to_string()),
        writer: BufWriter::with_capacity(BUFFER, writer),
    })
}

impl Output {
    /// The error for a failed write.
    pub(crate) fn error(&self, e: io::Error) -> CliError {
        CliError::io(format!("cannot write `{}`", self.name), e)
    }
}

/// A record that could not be read, with what of it can be echoed.
#[derive(Debug)]
pub(crate) struct Failed {
    pub(crate) error: InputError,
    pub(crate) id: Option<String>,
    pub(crate) patient: Option<String>,
}

/// Calls `f` with every non-blank line of a JSON Lines input (without its
/// line terminator) and its one-based line number.
///
/// # Errors
///
/// A read error, or the first error `f` returns.
pub(crate) fn each_line<F>(source: Source, quiet: bool, mut f: F) -> Result<(), CliError>
where
    F: FnMut(u64, &[u8]) -> Result<(), CliError>,
{
    let name = source.name;
    let mut progress = Progress::new(source.size, quiet);
    let mut reader = BufReader::with_capacity(BUFFER, source.reader);
    let mut buf = Vec::with_capacity(1024);
    let mut line = 0u64;
    let mut bytes = 0u64;
    let mut records = 0u64;
    let result = loop {
        buf.clear();
        let n = match reader.read_until(b'\n', &mut buf) {
            Ok(n) => n,
            Err(e) => break Err(CliError::io(format!("cannot read `{name}`"), e)),
        };
        if n == 0 {
            break Ok(());
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
        records += 1;
        if let Err(e) = f(line, text) {
            break Err(e);
        }
        if records % 8192 == 0 {
            progress.tick(records, bytes);
        }
    };
    progress.finish();
    result
}

/// Calls `f` with every visit record of the input (JSON Lines or CSV) and
/// the line where it starts: the core's [`VisitInput`], or why it could
/// not be read.
///
/// # Errors
///
/// A bad CSV header, a read error, or the first error `f` returns.
pub(crate) fn each_visit<F>(
    source: Source,
    allow_extra_columns: bool,
    quiet: bool,
    mut f: F,
) -> Result<(), CliError>
where
    F: FnMut(u64, Result<VisitInput, Failed>) -> Result<(), CliError>,
{
    match source.format {
        InputFormat::Jsonl => {
            let name = source.name.clone();
            each_line(source, quiet, |line, text| {
                let record = record::parse_json(&name, line, text).map_err(|error| {
                    let (id, patient) = record::json_echo(text);
                    Failed { error, id, patient }
                });
                f(line, record)
            })
        }
        InputFormat::Csv => each_csv(source, allow_extra_columns, quiet, f),
    }
}

fn each_csv<F>(source: Source, allow_extra: bool, quiet: bool, mut f: F) -> Result<(), CliError>
where
    F: FnMut(u64, Result<VisitInput, Failed>) -> Result<(), CliError>,
{
    let name = source.name.as_str();
    let mut progress = Progress::new(source.size, quiet);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(BUFFER)
        .from_reader(source.reader);
    let mut row = csv::ByteRecord::new();
    let csv_err = |e: csv::Error| match e.into_kind() {
        csv::ErrorKind::Io(e) => CliError::io(format!("cannot read `{name}`"), e),
        other => CliError::Input(InputError::at(name, 0, format!("{other:?}"))),
    };
    if !rdr.read_byte_record(&mut row).map_err(csv_err)? {
        return Err(InputError::at(name, 1, "empty CSV file: a header line is needed").into());
    }
    let layout = CsvLayout::from_header(name, &row, allow_extra)?;
    let mut count = 0u64;
    let result = loop {
        match rdr.read_byte_record(&mut row) {
            Ok(true) => {}
            Ok(false) => break Ok(()),
            Err(e) => break Err(csv_err(e)),
        }
        let line = row.position().map_or(0, csv::Position::line);
        let record = layout.parse_row(name, line, &row).map_err(|error| {
            let (id, patient) = layout.echo(&row);
            Failed {
                error,
                id: id.map(Into::into),
                patient: patient.map(Into::into),
            }
        });
        if let Err(e) = f(line, record) {
            break Err(e);
        }
        count += 1;
        if count % 8192 == 0 {
            let bytes = row.position().map_or(0, csv::Position::byte);
            progress.tick(count, bytes);
        }
    };
    progress.finish();
    result
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
