//! The errors of the command-line tool.
//!
//! An [`InputError`] is one bad record or header: it names the file, the line
//! (and for JSON the column), the field and, in its message, the rejected
//! value. A [`CliError`] is anything that stops a run; every one of them ends
//! the process with exit code 2 (see `docs/cli.md`).

use std::borrow::Cow;
use std::fmt;
use std::io;

/// Echoed values longer than this many characters are shortened.
const ECHO_LIMIT: usize = 64;
/// What is kept of a shortened value.
const ECHO_KEEP: usize = 40;
/// A message longer than this (after shortening its quoted values) is cut.
const MESSAGE_LIMIT: usize = 2000;

/// A value as written, cut to a readable length: its first 40 characters
/// and `… (N characters)` when it has more than 64 (as the Python package).
pub(crate) fn shorten(s: &str) -> Cow<'_, str> {
    if s.len() <= ECHO_LIMIT {
        return Cow::Borrowed(s);
    }
    let n = s.chars().count();
    if n <= ECHO_LIMIT {
        return Cow::Borrowed(s);
    }
    let head: String = s.chars().take(ECHO_KEEP).collect();
    Cow::Owned(format!("{head}… ({n} characters)"))
}

/// A message with every long value it quotes (between backticks or double
/// quotes) shortened, and cut as a whole if it is still long: messages
/// echo input, and input can be any size.
fn bound(message: String) -> String {
    if message.len() <= ECHO_LIMIT {
        return message;
    }
    let mut out = String::with_capacity(message.len().min(MESSAGE_LIMIT + 64));
    let mut rest = message.as_str();
    while let Some(open) = rest.find(['`', '"']) {
        let quote = &rest[open..=open];
        out.push_str(&rest[..=open]);
        rest = &rest[open + 1..];
        match rest.find(quote) {
            Some(close) => {
                out.push_str(&shorten(&rest[..close]));
                out.push_str(quote);
                rest = &rest[close + 1..];
            }
            None => {
                out.push_str(&shorten(rest));
                rest = "";
            }
        }
    }
    out.push_str(rest);
    match shorten_to(&out, MESSAGE_LIMIT) {
        Cow::Borrowed(_) => out,
        Cow::Owned(cut) => cut,
    }
}

fn shorten_to(s: &str, limit: usize) -> Cow<'_, str> {
    if s.len() <= limit {
        return Cow::Borrowed(s);
    }
    let n = s.chars().count();
    if n <= limit {
        return Cow::Borrowed(s);
    }
    let head: String = s.chars().take(limit).collect();
    Cow::Owned(format!("{head}… ({n} characters)"))
}

/// A problem with the input at a known place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct InputError {
    /// The input as the user named it (`<stdin>` for `-`).
    pub(crate) file: String,
    /// One-based line number (for CSV: the line where the record starts).
    pub(crate) line: u64,
    /// One-based column in the line, when known (JSON).
    pub(crate) column: Option<u64>,
    /// The field (JSON key or CSV column) at fault, when there is one.
    pub(crate) field: Option<String>,
    /// What is wrong; always names the rejected value when there is one.
    pub(crate) message: String,
}

impl InputError {
    /// An error at `file:line` without a known field.
    /// Long values the message quotes are shortened ([`shorten`]).
    pub(crate) fn at(file: &str, line: u64, message: impl Into<String>) -> InputError {
        InputError {
            file: file.to_owned(),
            line,
            column: None,
            field: None,
            message: bound(message.into()),
        }
    }

    /// The same error, naming `field` (shortened when long).
    pub(crate) fn field(mut self, field: impl Into<String>) -> InputError {
        let field = field.into();
        self.field = Some(match shorten(&field) {
            Cow::Borrowed(_) => field,
            Cow::Owned(s) => s,
        });
        self
    }

    /// The same error, naming a column of the line.
    pub(crate) fn column(mut self, column: u64) -> InputError {
        self.column = Some(column);
        self
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)?;
        if let Some(c) = self.column {
            write!(f, ":{c}")?;
        }
        f.write_str(": ")?;
        match &self.field {
            Some(field) => {
                // The core's messages start with the field name ("pga: value
                // 3.5 is out of range ..."); do not say it twice.
                let msg = self
                    .message
                    .strip_prefix(field.as_str())
                    .and_then(|m| m.strip_prefix(": "))
                    .unwrap_or(&self.message);
                write!(f, "field `{field}`: {msg}")
            }
            None => f.write_str(&self.message),
        }
    }
}

/// The field a core error names, when it names one (the innermost, for an
/// error wrapped by a patient or a batch position).
pub(crate) fn core_field(e: &sledai::Error) -> Option<&'static str> {
    use sledai::Error as E;
    match e {
        E::UnknownName { field, .. }
        | E::NotFinite { field, .. }
        | E::OutOfRange { field, .. }
        | E::InvalidMask { field, .. }
        | E::InvalidDate { field, .. }
        | E::InvalidValue { field, .. }
        | E::InvalidMeasurement { field, .. } => Some(field),
        E::InPatient { source, .. } | E::InBatch { source, .. } => core_field(source),
        _ => None,
    }
}

impl InputError {
    /// A core error about the record at `file:line`, naming its field.
    pub(crate) fn core(file: &str, line: u64, e: &sledai::Error) -> InputError {
        let err = InputError::at(file, line, e.to_string());
        match core_field(e) {
            Some(f) => err.field(f),
            None => err,
        }
    }
}

/// Anything that stops a run (exit code 2).
#[derive(Debug)]
pub(crate) enum CliError {
    /// A bad record or header.
    Input(InputError),
    /// Reading or writing failed.
    Io {
        /// What was being done, naming the file.
        context: String,
        /// The operating system's error.
        source: io::Error,
    },
    /// The command line is inconsistent in a way clap cannot check.
    Usage(String),
}

impl CliError {
    /// An I/O error with its context.
    pub(crate) fn io(context: impl Into<String>, source: io::Error) -> CliError {
        CliError::Io {
            context: context.into(),
            source,
        }
    }
}

impl From<InputError> for CliError {
    fn from(e: InputError) -> CliError {
        CliError::Input(e)
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Input(e) => e.fmt(f),
            CliError::Io { context, source } => write!(f, "{context}: {source}"),
            CliError::Usage(msg) => f.write_str(msg),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_line_column_and_field_once() {
        let e = InputError::at(
            "v.jsonl",
            3,
            "pga: value 3.5 is out of range, expected 0 to 3",
        )
        .field("pga")
        .column(17);
        assert_eq!(
            e.to_string(),
            "v.jsonl:3:17: field `pga`: value 3.5 is out of range, expected 0 to 3"
        );
        let e = InputError::at("v.csv", 2, "invalid value `maybe`").field("rash");
        assert_eq!(
            e.to_string(),
            "v.csv:2: field `rash`: invalid value `maybe`"
        );
    }

    #[test]
    fn long_echoed_values_are_shortened() {
        let long = "9".repeat(401);
        assert_eq!(shorten("short"), "short");
        assert_eq!(shorten(&"x".repeat(64)), "x".repeat(64));
        assert_eq!(
            shorten(&"x".repeat(65)),
            format!("{}… (65 characters)", "x".repeat(40))
        );
        assert_eq!(
            shorten(&long),
            format!("{}… (401 characters)", "9".repeat(40))
        );
        let e = InputError::at(
            "f",
            1,
            format!("value `{long}` is not a number, \"{long}\""),
        );
        assert_eq!(
            e.message,
            format!(
                "value `{0}… (401 characters)` is not a number, \"{0}… (401 characters)\"",
                "9".repeat(40)
            )
        );
        // An unclosed quote: the rest is one value.
        let e = InputError::at("f", 1, format!("bad `{long}"));
        assert_eq!(
            e.message,
            format!("bad `{}… (401 characters)", "9".repeat(40))
        );
    }
}
