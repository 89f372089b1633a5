//! Reading records: opening the input, telling its format, and walking it
//! record by record (JSON Lines or CSV) with a progress bar; opening the
//! output. Shared by `score`, `cohort` and `classify`.
//!
//! Streaming: one input line (JSON) or one CSV record is held at a time, in
//! buffers reused from record to record.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::{Duration, Instant};

use sledai::table::{ExtraColumns, HeaderOptions, Mapping};
use sledai::visit::VisitInput;

use crate::error::{CliError, InputError};
use crate::record::{self, CsvLayout};
use crate::rows::Rows;

/// Where a command reads its visits and writes its output, resolved from
/// the shared input options: what `score`, `cohort` and `adam` have in
/// common.
#[derive(Debug, Clone)]
pub(crate) struct Reading {
    /// The input file, or `-` for standard input.
    pub(crate) input: PathBuf,
    /// `--format`, else the file extension.
    pub(crate) format: Option<InputFormat>,
    /// `-o FILE`, else standard output.
    pub(crate) output: Option<PathBuf>,
    /// `--output-format`, else the command's default.
    pub(crate) output_format: OutputFormat,
    /// The core's header options (renames, a wide mapping's renames, the
    /// extra-columns policy).
    pub(crate) header: HeaderOptions,
    /// The mapping of a long table or a REDCap export (`--mapping`).
    pub(crate) mapping: Option<Mapping>,
    /// `-q`.
    pub(crate) quiet: bool,
}

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
/// A usage error when the format cannot be told, or an extra-columns
/// policy or renames are given for JSON Lines; an I/O error when the file cannot be opened.
pub(crate) fn open(
    input: &Path,
    format: Option<InputFormat>,
    header: &HeaderOptions,
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
    if header.extra() == ExtraColumns::Ignore && format != InputFormat::Csv {
        return Err(CliError::Usage(
            "--allow-extra-columns applies to CSV input only; unknown JSON fields are always errors"
                .to_owned(),
        ));
    }
    if !header.renames().is_empty() && format != InputFormat::Csv {
        return Err(CliError::Usage(
            "--rename applies to CSV input only; JSON fields have their record names".to_owned(),
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

/// Refuses an output file that is the input file (or a hard link to it,
/// or the same file spelt differently), before anything is opened for
/// writing: creating it would truncate the input.
///
/// # Errors
///
/// A usage error naming both when `output` is `input`.
pub(crate) fn refuse_overwrite(input: &Path, output: Option<&PathBuf>) -> Result<(), CliError> {
    let Some(output) = output else {
        return Ok(());
    };
    if input.as_os_str() == "-" {
        return Ok(());
    }
    if same_file(input, output) {
        return Err(CliError::Usage(format!(
            "the output `{}` is the same file as the input `{}`: writing it would destroy the input; name another output file",
            output.display(),
            input.display()
        )));
    }
    Ok(())
}

/// Whether two paths name one existing file: the same device and inode on
/// Unix (which catches hard links), the same canonical path elsewhere.
fn same_file(a: &Path, b: &Path) -> bool {
    let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b)) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // A character device (`/dev/null`, `/dev/full`) read and written is
        // not destroyed by writing.
        if ma.file_type().is_file() {
            return ma.dev() == mb.dev() && ma.ino() == mb.ino();
        }
        false
    }
    #[cfg(not(unix))]
    {
        let _ = (ma, mb);
        matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
    }
}

/// A writer that counts the bytes the layer below accepted.
struct Counted {
    inner: Box<dyn Write>,
    accepted: Rc<RefCell<u64>>,
}

impl Write for Counted {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        *self.accepted.borrow_mut() += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// An opened output (a file or standard output), buffered, that knows how
/// many of the records handed to it have reached the file.
pub(crate) struct Output {
    pub(crate) name: String,
    pub(crate) writer: BufWriter<Box<dyn Write>>,
    /// Bytes accepted by the file (below the buffer).
    accepted: Rc<RefCell<u64>>,
    /// Bytes handed to the buffer.
    handed: u64,
    /// Where each record handed over but not yet known to be in the file
    /// ends (a byte offset), oldest first.
    pending: VecDeque<u64>,
    /// Records known to be in the file.
    written: u64,
    /// Whether a write failed.
    failed: bool,
}

/// Creates `path`, or uses standard output.
///
/// # Errors
///
/// An I/O error when the file cannot be created.
pub(crate) fn create(path: Option<&PathBuf>) -> Result<Output, CliError> {
    let inner: Box<dyn Write> = match path {
        Some(path) => Box::new(
            File::create(path)
                .map_err(|e| CliError::io(format!("cannot create `{}`", path.display()), e))?,
        ),
        None => Box::new(io::stdout().lock()),
    };
    let name = path.map_or_else(|| "<stdout>".to_owned(), |p| p.display().to_string());
    Ok(Output::new(name, inner, BUFFER))
}

impl Output {
    fn new(name: String, inner: Box<dyn Write>, buffer: usize) -> Output {
        let accepted = Rc::new(RefCell::new(0));
        let counted: Box<dyn Write> = Box::new(Counted {
            inner,
            accepted: Rc::clone(&accepted),
        });
        Output {
            name,
            writer: BufWriter::with_capacity(buffer, counted),
            accepted,
            handed: 0,
            pending: VecDeque::new(),
            written: 0,
            failed: false,
        }
    }

    /// Writes bytes that are not a record (a CSV header).
    ///
    /// # Errors
    ///
    /// The write error, naming the file.
    pub(crate) fn write_header(&mut self, bytes: &[u8]) -> Result<(), CliError> {
        if let Err(e) = self.writer.write_all(bytes) {
            self.settle();
            self.failed = true;
            return Err(self.error(e));
        }
        self.handed += bytes.len() as u64;
        Ok(())
    }

    /// Writes one output record.
    ///
    /// # Errors
    ///
    /// The write error, naming the file and how many records were written.
    pub(crate) fn write_record(&mut self, bytes: &[u8]) -> Result<(), CliError> {
        if let Err(e) = self.writer.write_all(bytes) {
            self.settle();
            self.failed = true;
            return Err(self.error(e));
        }
        self.handed += bytes.len() as u64;
        self.pending.push_back(self.handed);
        self.settle();
        Ok(())
    }

    /// Flushes the buffer to the file.
    ///
    /// # Errors
    ///
    /// The write error, naming the file and how many records were written.
    pub(crate) fn flush(&mut self) -> Result<(), CliError> {
        let r = self.writer.flush();
        self.settle();
        if r.is_err() {
            self.failed = true;
        }
        r.map_err(|e| self.error(e))
    }

    /// Moves the records whose bytes are all in the file to `written`.
    fn settle(&mut self) {
        let accepted = *self.accepted.borrow();
        while self.pending.front().is_some_and(|&end| end <= accepted) {
            self.pending.pop_front();
            self.written += 1;
        }
    }

    /// Whether a write or flush failed.
    pub(crate) fn failed(&self) -> bool {
        self.failed
    }

    /// Records known to be in the file.
    pub(crate) fn written(&self) -> u64 {
        self.written
    }

    /// The error for a failed write: names the file and says how many
    /// records reached it.
    pub(crate) fn error(&self, e: io::Error) -> CliError {
        let n = self.written;
        let records = if n == 1 { "record" } else { "records" };
        CliError::io(
            format!(
                "cannot write `{}` ({n} output {records} written before the failure)",
                self.name
            ),
            e,
        )
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
        // A UTF-8 byte order mark (Windows editors) before the first line.
        if line == 1 {
            text = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text);
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
/// not be read. The record is lent: a CSV reader reuses it (and its `id`
/// and `patient` strings) for the next row; a caller that keeps it takes
/// it (`std::mem::replace`).
///
/// # Errors
///
/// A bad CSV header, a read error, or the first error `f` returns.
pub(crate) fn each_visit<F>(
    source: Source,
    header: &HeaderOptions,
    mapping: Option<&Mapping>,
    quiet: bool,
    mut f: F,
) -> Result<(), CliError>
where
    F: FnMut(u64, Result<&mut VisitInput, Failed>) -> Result<(), CliError>,
{
    match (source.format, mapping) {
        (InputFormat::Jsonl, Some(_)) => Err(CliError::Usage(
            "--mapping and --layout long|redcap apply to CSV input only".to_owned(),
        )),
        (InputFormat::Csv, Some(mapping)) => each_mapped(source, header, mapping, f),
        (InputFormat::Jsonl, None) => {
            let name = source.name.clone();
            each_line(source, quiet, |line, text| {
                match record::parse_json(&name, line, text) {
                    Ok(mut v) => f(line, Ok(&mut v)),
                    Err(error) => {
                        let (id, patient) = record::json_echo(text);
                        f(line, Err(Failed { error, id, patient }))
                    }
                }
            })
        }
        (InputFormat::Csv, None) => each_csv(source, header, quiet, f),
    }
}

fn each_csv<F>(
    source: Source,
    header: &HeaderOptions,
    quiet: bool,
    mut f: F,
) -> Result<(), CliError>
where
    F: FnMut(u64, Result<&mut VisitInput, Failed>) -> Result<(), CliError>,
{
    let name = source.name.as_str();
    let mut progress = Progress::new(source.size, quiet);
    let mut rows = Rows::new(source.reader, BUFFER);
    let read_err = |e: io::Error| CliError::io(format!("cannot read `{name}`"), e);
    // The physical line where the current record starts (the csv crate's
    // own count is off for CRLF line endings and blank lines).
    let line_of = |rows: &mut Rows<Box<dyn Read>>| {
        let start = rows.record_start();
        rows.lines.line_at(start)
    };
    if !rows.read().map_err(read_err)? {
        return Err(InputError::at(name, 1, "empty CSV file: a header line is needed").into());
    }
    // Only a field that runs to the end of the input can be an unclosed
    // quote: the parser has read all of it and stands at its end.
    let header_line = line_of(&mut rows);
    let header_row = rows.row().to_byte_record();
    if rows.at_end() {
        if let Some(e) = unclosed_quote(name, header_line, &header_row, None) {
            return Err(e.into());
        }
    }
    let (layout, ignored) = CsvLayout::from_header(name, header_line, &header_row, header)?;
    name_ignored(name, &ignored);
    let mut count = 0u64;
    // One record, refilled row by row.
    let mut visit = VisitInput::new(sledai::Assessment::not_assessed());
    let result = loop {
        match rows.read() {
            Ok(true) => {}
            Ok(false) => break Ok(()),
            Err(e) => break Err(read_err(e)),
        }
        let line = line_of(&mut rows);
        if rows.at_end() {
            let row = rows.row().to_byte_record();
            if let Some(e) = unclosed_quote(name, line, &row, Some(layout.len())) {
                break Err(e.into());
            }
        }
        let row = rows.row();
        let record = match layout.parse_row(name, line, &row, &mut visit) {
            Ok(()) => Ok(&mut visit),
            Err(error) => {
                let (id, patient) = layout.echo(&row);
                Err(Failed {
                    error,
                    id: id.map(Into::into),
                    patient: patient.map(Into::into),
                })
            }
        };
        if let Err(e) = f(line, record) {
            break Err(e);
        }
        count += 1;
        if count % 8192 == 0 {
            progress.tick(count, rows.record_start());
        }
    };
    progress.finish();
    result
}

/// Names the columns `--allow-extra-columns` drops on stderr: never silent.
fn name_ignored(name: &str, ignored: &[String]) {
    if ignored.is_empty() {
        return;
    }
    let shown: Vec<String> = ignored
        .iter()
        .map(|c| format!("`{}`", crate::error::shorten(c)))
        .collect();
    let what = if ignored.len() == 1 {
        "1 column that is not a visit field".to_owned()
    } else {
        format!("{} columns that are not visit fields", ignored.len())
    };
    eprintln!("sledai: {name}: ignoring {what}: {}", shown.join(", "));
}

/// A long table or a REDCap export: every row is read (a visit gathers
/// rows from anywhere in the file), the core builds the visits through the
/// mapping, and `f` gets each visit with the line of its first row, in the
/// core's order (subject, then date).
fn each_mapped<F>(
    source: Source,
    header: &HeaderOptions,
    mapping: &Mapping,
    mut f: F,
) -> Result<(), CliError>
where
    F: FnMut(u64, Result<&mut VisitInput, Failed>) -> Result<(), CliError>,
{
    let name = source.name.as_str();
    let lines = Rc::new(RefCell::new(LineIndex::default()));
    let reader = LineCounting {
        inner: source.reader,
        index: Rc::clone(&lines),
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(BUFFER)
        .from_reader(reader);
    let csv_err = |e: csv::Error| match e.into_kind() {
        csv::ErrorKind::Io(e) => CliError::io(format!("cannot read `{name}`"), e),
        other => CliError::Input(InputError::at(name, 0, format!("{other:?}"))),
    };
    let mut row = csv::StringRecord::new();
    let line_of = |row: &csv::StringRecord| {
        row.position()
            .map_or(0, |p| lines.borrow_mut().line_at(p.byte()))
    };
    let utf8 = |e: csv::Error, line: u64| match e.kind() {
        csv::ErrorKind::Utf8 { .. } => CliError::Input(InputError::at(
            name,
            line,
            "the row is not valid UTF-8".to_owned(),
        )),
        _ => csv_err(e),
    };
    let header_line = 1;
    match rdr.read_record(&mut row) {
        Ok(true) => {}
        Ok(false) => {
            return Err(InputError::at(name, 1, "empty CSV file: a header line is needed").into());
        }
        Err(e) => return Err(utf8(e, header_line)),
    }
    let header_line = line_of(&row);
    let names: Vec<String> = row.iter().map(str::to_owned).collect();
    // The rows go to the core as they are read (a row's cells are dropped
    // once the core has taken its items): the file is read once and its
    // rows are not all held. A read error ends the rows and is reported
    // first.
    let mut failed: Option<CliError> = None;
    let cells = std::iter::from_fn(|| {
        if failed.is_some() {
            return None;
        }
        match rdr.read_record(&mut row) {
            Ok(true) => Some((
                line_of(&row),
                row.iter().map(str::to_owned).collect::<Vec<_>>(),
            )),
            Ok(false) => None,
            Err(e) => {
                let at = e
                    .position()
                    .map_or(0, |p| lines.borrow_mut().line_at(p.byte()));
                failed = Some(utf8(e, at));
                None
            }
        }
    });
    let built = sledai::table::mapping::build(&names, cells, mapping, header);
    if let Some(e) = failed {
        return Err(e);
    }
    let built = built.map_err(|e| {
        match &e {
            // The core's message names the row(s), column, code and entry.
            sledai::Error::Mapping { mapping: m, .. } => {
                InputError::at(name, m.row.unwrap_or(header_line), e.to_string())
            }
            sledai::Error::Header { .. } => {
                InputError::at(name, header_line, record::header_error(&e))
            }
            other => InputError::core(name, header_line, other),
        }
    })?;
    name_ignored(name, built.ignored());
    let lines: Vec<u64> = built.rows().to_vec();
    for (line, mut visit) in lines.into_iter().zip(built.into_visits()) {
        f(line, Ok(&mut visit))?;
    }
    Ok(())
}

/// A quote that opens a field and is never closed: the csv crate reads the
/// rest of the file as that one field, the last of the record. Told, for
/// the last record of the input, by a last field that holds a line break
/// and either makes the record the wrong length or ends with the file's
/// last line break.
fn unclosed_quote(
    file: &str,
    line: u64,
    row: &csv::ByteRecord,
    fields: Option<usize>,
) -> Option<InputError> {
    let last = row.get(row.len().checked_sub(1)?)?;
    if !last.contains(&b'\n') && !last.contains(&b'\r') {
        return None;
    }
    let wrong_length = fields.is_some_and(|n| n != row.len());
    if !wrong_length && !last.ends_with(b"\n") && !last.ends_with(b"\r") {
        return None;
    }
    let before: u64 = row.iter().take(row.len() - 1).map(line_breaks).sum();
    let opened = line + before;
    let ends_with_break = last.ends_with(b"\n") || last.ends_with(b"\r");
    let through = opened + line_breaks(last) - u64::from(ends_with_break);
    Some(InputError::at(
        file,
        opened,
        format!(
            "a quoted field opened on line {opened} was never closed, so lines {opened} to \
             {through} (the rest of the file) were read as one field; close the quote (a quote \
             inside a quoted field is written twice: \"\")"
        ),
    ))
}

/// The line breaks in a cell: LF, CRLF and a lone CR each count once.
fn line_breaks(cell: &[u8]) -> u64 {
    let mut n = 0;
    let mut i = 0;
    while i < cell.len() {
        match cell[i] {
            b'\n' => n += 1,
            b'\r' if cell.get(i + 1) != Some(&b'\n') => n += 1,
            _ => {}
        }
        i += 1;
    }
    n
}

/// Where the non-blank lines of the input start, for the bytes read ahead
/// of the current record. The csv crate gives a record's position as the
/// byte after the previous record (before the LF of a CRLF and any blank
/// lines), so a record starts on the first non-blank line at or after it.
#[derive(Debug, Default)]
pub(crate) struct LineIndex {
    /// Bytes passed on so far.
    offset: u64,
    /// The input has ended (a read returned nothing).
    pub(crate) eof: bool,
    /// Line breaks passed on so far.
    breaks: u64,
    /// The last byte passed on was a CR (its line break is told by the
    /// next byte: CRLF is one break).
    cr_pending: bool,
    /// The next byte starts a line.
    mid_line: bool,
    /// The offset and one-based number of each non-blank line not yet
    /// passed by a record.
    starts: VecDeque<(u64, u64)>,
}

impl LineIndex {
    pub(crate) fn scan(&mut self, bytes: &[u8]) {
        let mut i = 0;
        while i < bytes.len() {
            if self.mid_line && !self.cr_pending {
                // Inside a line nothing but a CR or LF changes the index:
                // pass over the rest of the line at once.
                let run = find_break(&bytes[i..]);
                i += run;
                self.offset += run as u64;
                if i == bytes.len() {
                    break;
                }
            }
            let b = bytes[i];
            i += 1;
            if self.cr_pending {
                self.cr_pending = false;
                if b != b'\n' {
                    self.breaks += 1;
                    self.mid_line = false;
                }
            }
            match b {
                b'\n' => {
                    self.breaks += 1;
                    self.mid_line = false;
                }
                b'\r' => self.cr_pending = true,
                _ if !self.mid_line => {
                    self.starts.push_back((self.offset, self.breaks + 1));
                    self.mid_line = true;
                }
                _ => {}
            }
            self.offset += 1;
        }
    }

    /// The one-based line of the record the csv crate places at `byte`;
    /// `byte` never decreases from call to call.
    pub(crate) fn line_at(&mut self, byte: u64) -> u64 {
        while self.starts.front().is_some_and(|&(start, _)| start < byte) {
            self.starts.pop_front();
        }
        self.starts
            .front()
            .map_or(self.breaks + 1, |&(_, line)| line)
    }
}

/// The offset of the first CR or LF in `bytes` (its length when none),
/// eight bytes at a time: a byte of `x ^ broadcast(c)` is zero where `x`
/// holds `c`, and `(v - 0x01..) & !v & 0x80..` is non-zero exactly when a
/// byte of `v` is zero (the lowest such byte is flagged exactly, so the
/// first match is found by counting trailing zeros).
#[inline]
fn find_break(bytes: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS;
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for chunk in chunks.by_ref() {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        let hit =
            zero_byte(x ^ (ONES * u64::from(b'\n'))) | zero_byte(x ^ (ONES * u64::from(b'\r')));
        if hit != 0 {
            return at + (hit.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    let rest = chunks.remainder();
    at + rest
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .unwrap_or(rest.len())
}

/// A reader that records the line breaks of what it passes on.
struct LineCounting {
    inner: Box<dyn Read>,
    index: Rc<RefCell<LineIndex>>,
}

impl Read for LineCounting {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut index = self.index.borrow_mut();
        index.scan(&buf[..n]);
        if n == 0 && !buf.is_empty() {
            index.eof = true;
        }
        Ok(n)
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Accepts `room` bytes, then fails as a full disk does.
    struct Full {
        room: usize,
    }

    impl Write for Full {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.room == 0 {
                return Err(io::Error::from_raw_os_error(28));
            }
            let n = buf.len().min(self.room);
            self.room -= n;
            Ok(n)
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_record_counts_as_written_once_all_its_bytes_are_in_the_file() {
        // Records of 4 bytes; the file takes 10: records 1 and 2 (bytes
        // 1-8) are in it, record 3 only half.
        let mut out = Output::new("f".to_owned(), Box::new(Full { room: 10 }), 6);
        let mut result = Ok(());
        for _ in 0..5 {
            result = out.write_record(b"abc\n");
            if result.is_err() {
                break;
            }
        }
        let result = result.and_then(|()| out.flush());
        assert!(out.failed());
        assert_eq!(out.written(), 2);
        assert!(
            result
                .unwrap_err()
                .to_string()
                .starts_with("cannot write `f` (2 output records written before the failure): "),
        );
    }

    #[test]
    fn csv_line_index_tells_physical_lines() {
        // Lines: 1 "a" (CRLF), 2 blank (CRLF), 3 "b" (a lone CR), 4 "c",
        // 5 blank, 6 "d"; offsets: a 0, b 5, c 7, d 10.
        let mut ix = LineIndex::default();
        ix.scan(b"a\r\n\r\nb\rc\n\nd");
        // The csv crate places each record just after the previous one.
        assert_eq!(ix.line_at(0), 1);
        assert_eq!(ix.line_at(2), 3);
        assert_eq!(ix.line_at(7), 4);
        assert_eq!(ix.line_at(9), 6);
    }

    /// The index by definition: a line starts at the first byte after a
    /// line break (LF, CRLF or a lone CR) that is not itself a break, and
    /// gets the number of breaks before it plus one.
    fn line_starts(bytes: &[u8]) -> Vec<(u64, u64)> {
        let mut out = Vec::new();
        let (mut breaks, mut at_start) = (0u64, true);
        for (i, &b) in bytes.iter().enumerate() {
            match b {
                b'\n' => {
                    breaks += 1;
                    at_start = true;
                }
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => {}
                b'\r' => {
                    breaks += 1;
                    at_start = true;
                }
                _ if at_start => {
                    out.push((i as u64, breaks + 1));
                    at_start = false;
                }
                _ => {}
            }
        }
        out
    }

    proptest::proptest! {
        /// The word-at-a-time search finds the first CR or LF, as a
        /// byte-by-byte search does.
        #[test]
        fn find_break_is_the_first_line_break(
            bytes in proptest::collection::vec(
                proptest::sample::select(vec![b'a', b',', b'\n', b'\r', 0x8a, 0x0c, 0x0e, 0x8d, 0xff, 0]), 0..80),
        ) {
            let expected = bytes.iter().position(|&b| b == b'\n' || b == b'\r').unwrap_or(bytes.len());
            proptest::prop_assert_eq!(find_break(&bytes), expected);
        }

        /// Scanned in any chunks (as `read` hands them), the index has
        /// the line starts and line breaks of the definition.
        #[test]
        fn csv_line_index_matches_the_definition_in_any_chunks(
            bytes in proptest::collection::vec(
                proptest::sample::select(vec![b'a', b',', b'\n', b'\r']), 0..200),
            cuts in proptest::collection::vec(0usize..200, 0..8),
        ) {
            let mut cuts: Vec<usize> = cuts.into_iter().filter(|&c| c <= bytes.len()).collect();
            cuts.push(0);
            cuts.push(bytes.len());
            cuts.sort_unstable();
            let mut ix = LineIndex::default();
            for w in cuts.windows(2) {
                ix.scan(&bytes[w[0]..w[1]]);
            }
            let expected = line_starts(&bytes);
            proptest::prop_assert_eq!(ix.starts.iter().copied().collect::<Vec<_>>(), expected);
            proptest::prop_assert_eq!(ix.offset, bytes.len() as u64);
            // A CR at the very end is a break once the next byte (or the
            // end) tells it is not CRLF.
            let breaks = bytes.iter().enumerate().filter(|&(i, &b)| {
                b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
            }).count() as u64;
            let pending = u64::from(bytes.last() == Some(&b'\r'));
            proptest::prop_assert_eq!(ix.breaks + pending, breaks);
        }
    }
}
