//! `sledai classify`: one 2019 EULAR/ACR classification per JSON line
//! (Aringer 2019), computed by the core's
//! [`sledai::classification::ClassificationInput::classify`].
//!
//! A line is the core's `ClassificationInput` object, plus two optional
//! fields the tool echoes and the core never sees: `id` and `patient`.

use std::collections::HashSet;
use std::path::PathBuf;

use sledai::classification::ClassificationInput;

use crate::error::{CliError, InputError};
use crate::input::{self, InputFormat};
use crate::output::{Echo, json_error_record};
use crate::score::OnError;

/// The options of `sledai classify`.
#[derive(Debug, Clone)]
pub(crate) struct Options {
    pub(crate) input: PathBuf,
    pub(crate) output: Option<PathBuf>,
    pub(crate) on_error: OnError,
    pub(crate) quiet: bool,
}

/// Counts for the summary line.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Counts {
    pub(crate) read: u64,
    pub(crate) classified: u64,
    pub(crate) failed: u64,
    /// Output records that reached the output, when writing it failed.
    pub(crate) written_before_failure: Option<u64>,
}

/// The top-level entries of a JSON object, values kept as raw text; a
/// repeated key is an error.
struct Entries(Vec<(String, Box<serde_json::value::RawValue>)>);

impl<'de> serde::Deserialize<'de> for Entries {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Entries;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object (a classification input)")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Entries, A::Error> {
                let mut entries: Vec<(String, Box<serde_json::value::RawValue>)> = Vec::new();
                // Linear in the number of keys (a line may hold many).
                let mut seen: HashSet<String> = HashSet::new();
                while let Some(key) = map.next_key::<String>()? {
                    if !seen.insert(key.clone()) {
                        return Err(serde::de::Error::custom(format_args!(
                            "duplicate field `{}`",
                            crate::error::shorten(&key)
                        )));
                    }
                    let value = map.next_value()?;
                    entries.push((key, value));
                }
                Ok(Entries(entries))
            }
        }
        d.deserialize_map(V)
    }
}

/// Splits a line into the echo fields and the core's input. The echo
/// fields are taken out of the object's raw text and the rest goes to the
/// core's deserializer as text (not through `#[serde(flatten)]` or a
/// `serde_json::Value`, which would hide unknown fields or collapse
/// repeated keys), so the core sees exactly what the line says.
fn parse_line(
    file: &str,
    line: u64,
    text: &[u8],
) -> Result<(Option<String>, Option<String>, ClassificationInput), InputError> {
    let Entries(entries) = crate::record::parse_json_as(file, line, text)?;
    let mut id = None;
    let mut patient = None;
    let mut rest = String::with_capacity(text.len());
    rest.push('{');
    for (key, raw) in &entries {
        let slot = match key.as_str() {
            "id" => &mut id,
            "patient" => &mut patient,
            _ => {
                if rest.len() > 1 {
                    rest.push(',');
                }
                // A key re-encoded by serde_json is valid JSON text.
                rest.push_str(&serde_json::to_string(key).unwrap_or_default());
                rest.push(':');
                rest.push_str(raw.get());
                continue;
            }
        };
        *slot = serde_json::from_str::<Option<String>>(raw.get()).map_err(|_| {
            InputError::at(
                file,
                line,
                format!("invalid value `{}`, expected a string", raw.get()),
            )
            .field(key.as_str())
        })?;
    }
    rest.push('}');
    let mut de = serde_json::Deserializer::from_str(&rest);
    let input = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let mut msg = e.inner().to_string();
        // Positions refer to the re-assembled text, not the line: drop them.
        if let Some(at) = msg.rfind(" at line ") {
            msg.truncate(at);
        }
        let err = InputError::at(file, line, msg);
        if path == "." || path.is_empty() {
            err
        } else {
            err.field(path)
        }
    })?;
    Ok((id, patient, input))
}

/// Runs `sledai classify`.
///
/// # Errors
///
/// A [`CliError`] for a bad record (with `--on-error stop`), an unreadable
/// input or an unwritable output.
pub(crate) fn run(opts: &Options, counts: &mut Counts) -> Result<(), CliError> {
    input::refuse_overwrite(&opts.input, opts.output.as_ref())?;
    let source = input::open(
        &opts.input,
        Some(InputFormat::Jsonl),
        &sledai::table::HeaderOptions::default(),
    )?;
    let name = source.name.clone();
    let mut out = input::create(opts.output.as_ref())?;
    let mut buf = Vec::with_capacity(2048);
    let result = input::each_line(source, opts.quiet, |line, text| {
        counts.read += 1;
        buf.clear();
        let failure = match parse_line(&name, line, text) {
            Ok((id, patient, input)) => match sledai::classification::evaluate(&input) {
                Ok(c) => {
                    counts.classified += 1;
                    let echo = Echo {
                        id: id.as_deref(),
                        patient: patient.as_deref(),
                        date: None,
                    };
                    write_classification(&mut buf, &echo, &c);
                    None
                }
                Err(e) => Some((id, patient, InputError::core(&name, line, &e))),
            },
            Err(e) => {
                let (id, patient) = crate::record::json_echo(text);
                Some((id, patient, e))
            }
        };
        if let Some((id, patient, err)) = failure {
            counts.failed += 1;
            match opts.on_error {
                OnError::Stop => return Err(CliError::Input(err)),
                OnError::Report => {
                    let echo = Echo {
                        id: id.as_deref(),
                        patient: patient.as_deref(),
                        date: None,
                    };
                    json_error_record(&mut buf, &echo, &err.to_string());
                }
            }
        }
        out.write_record(&buf)
    });
    let flushed = out.flush();
    if out.failed() {
        counts.written_before_failure = Some(out.written());
    }
    result.and(flushed)
}

/// `{"id":..,"patient":..,` then the core's serde form of the result.
fn write_classification(
    buf: &mut Vec<u8>,
    echo: &Echo<'_>,
    c: &sledai::classification::Classification,
) {
    let mut body = Vec::with_capacity(1024);
    // Serializing the core's result into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut body, c);
    buf.push(b'{');
    for (key, value) in [("id", echo.id), ("patient", echo.patient)] {
        if let Some(v) = value {
            buf.push(b'"');
            buf.extend_from_slice(key.as_bytes());
            buf.extend_from_slice(b"\":");
            let _ = serde_json::to_writer(&mut *buf, v);
            buf.push(b',');
        }
    }
    match body.strip_prefix(b"{") {
        Some(rest) if rest != b"}" => buf.extend_from_slice(rest),
        _ => {
            // An empty object: drop the trailing comma of the echo, if any.
            if buf.last() == Some(&b',') {
                buf.pop();
            }
            buf.push(b'}');
        }
    }
    buf.push(b'\n');
}
