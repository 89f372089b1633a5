//! The errors of the command-line tool.
//!
//! An [`InputError`] is one bad record or header: it names the file, the line
//! (and for JSON the column), the field and, in its message, the rejected
//! value. A [`CliError`] is anything that stops a run; every one of them ends
//! the process with exit code 2 (see `docs/cli.md`).

use std::fmt;
use std::io;

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
    pub(crate) fn at(file: &str, line: u64, message: impl Into<String>) -> InputError {
        InputError {
            file: file.to_owned(),
            line,
            column: None,
            field: None,
            message: message.into(),
        }
    }

    /// The same error, naming `field`.
    pub(crate) fn field(mut self, field: impl Into<String>) -> InputError {
        self.field = Some(field.into());
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
}
