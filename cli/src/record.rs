//! The visit record: how a JSON line or a CSV row becomes the core's
//! [`sledai::visit::VisitInput`].
//!
//! The record format is the core's (`docs/formats.md`, `src/visit.rs`):
//!
//! - A JSON line is deserialized with `VisitInput`'s own serde
//!   implementation, so the CLI and the Python package accept exactly the
//!   same records. `serde_path_to_error` only records *where* an error
//!   happened (`pga`, `measurements[0].platelets.unit`), so messages name
//!   the field.
//! - A CSV header is resolved by the core ([`sledai::table::resolve`]: the
//!   column names, renames, aliases and the one error listing every
//!   problem), and every cell is read with the core's cell grammar and
//!   messages ([`sledai::table::cell`]); this module only reads bytes, adds
//!   the file and line to the core's error and spells the core's suggested
//!   renames as `--rename OLD=NEW`.
//! - A CSV row is converted column by column: the 24 descriptor cells go
//!   straight into the core's 24-bit masks ([`Assessment::from_masks`]), the
//!   other cells through the core's cell functions and validating
//!   constructors ([`Pga::new`], [`PrednisoneEquivalent::from_mg`]). The meaning of
//!   "present", "absent" and "not assessed" is the core's, never re-derived
//!   here. An empty cell is "not recorded", never "absent"
//!   (`docs/reference.md` sections 1.1 and 8).

use std::borrow::Cow;

use sledai::bilag::{BilagGrade, BilagGrades};
use sledai::glucocorticoid::PrednisoneEquivalent;
use sledai::table::{self, Column, ColumnKind, Field, HeaderOptions, cell};
use sledai::visit::{GlucocorticoidInput, VisitInput};
use sledai::{Assessment, Pga};

use crate::error::InputError;
use crate::rows::Row;

// ---------------------------------------------------------------- JSON Lines

/// Parses one JSON line (without its line terminator) with the core's
/// `VisitInput` deserializer.
///
/// # Errors
///
/// An [`InputError`] naming `file`, `line`, the column, the field (its path,
/// e.g. `measurements[0].platelets.unit`) and the value: invalid UTF-8,
/// malformed JSON, and everything the core rejects (unknown or repeated
/// fields, unknown descriptors, a PGA outside 0-3, a negative dose, an
/// invalid date, a measurement without unit, ...).
pub(crate) fn parse_json(file: &str, line: u64, bytes: &[u8]) -> Result<VisitInput, InputError> {
    parse_json_as(file, line, bytes)
}

/// Parses one JSON line as any type with a core serde implementation.
pub(crate) fn parse_json_as<T: serde::de::DeserializeOwned>(
    file: &str,
    line: u64,
    bytes: &[u8],
) -> Result<T, InputError> {
    parse_json_text(file, line, bytes).map_err(|e| {
        cr_only(bytes).map_or(e, |n| {
        InputError::at(
            file,
            line,
            format!(
                "the file uses CR-only line endings (classic Mac), so this line holds {n} lines; \
                 convert them to LF or CRLF"
            ),
        )
    })
    })
}

/// The number of lines in `bytes` separated by a lone CR, when it holds
/// more than one that is not blank: a file with CR-only line endings reads
/// as one line.
fn cr_only(bytes: &[u8]) -> Option<usize> {
    if !bytes.contains(&b'\r') {
        return None;
    }
    let lines = bytes
        .split(|&b| b == b'\r')
        .filter(|l| !l.trim_ascii().is_empty())
        .count();
    (lines > 1).then_some(lines)
}

fn parse_json_text<T: serde::de::DeserializeOwned>(
    file: &str,
    line: u64,
    bytes: &[u8],
) -> Result<T, InputError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        InputError::at(
            file,
            line,
            format!(
                "invalid UTF-8: byte 0x{:02x} at column {}",
                bytes.get(at).copied().unwrap_or(0),
                at + 1
            ),
        )
    })?;
    let mut de = serde_json::Deserializer::from_str(text);
    let value = match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Ok(v) => v,
        Err(e) => {
            let path = e.path().to_string();
            let err = json_error(file, line, e.inner());
            return Err(if path == "." || path.is_empty() {
                err
            } else {
                err.field(path)
            });
        }
    };
    de.end().map_err(|e| json_error(file, line, &e))?;
    Ok(value)
}

fn json_error(file: &str, line: u64, e: &serde_json::Error) -> InputError {
    let column = e.column() as u64;
    let mut msg = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    if let Some(stripped) = msg.strip_suffix(&suffix) {
        msg.truncate(stripped.len());
    }
    if e.is_syntax() || e.is_eof() {
        msg = format!("malformed JSON: {msg}");
    }
    let err = InputError::at(file, line, msg);
    if column > 0 { err.column(column) } else { err }
}

/// The `id` and `patient` of a JSON line that failed, when they can be
/// read: what the error record echoes.
pub(crate) fn json_echo(text: &[u8]) -> (Option<String>, Option<String>) {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_slice::<serde_json::Value>(text)
    else {
        return (None, None);
    };
    let get = |k: &str| map.get(k).and_then(|v| v.as_str()).map(str::to_owned);
    (get("id"), get("patient"))
}

// ----------------------------------------------------------------------- CSV

/// The meaning of each column of a CSV file, from its header: the core's
/// header resolution ([`sledai::table::resolve`]).
#[derive(Debug, Clone)]
pub(crate) struct CsvLayout {
    /// What each column fills, resolved once from the core's column (so a
    /// row is read without looking a field up by name).
    slots: Vec<Slot>,
    /// The descriptor columns and their bits.
    descriptors: Vec<(usize, u32)>,
    /// The other columns the core reads.
    others: Vec<usize>,
    /// Every column.
    all: Vec<usize>,
    names: Vec<String>,
    id: Option<usize>,
    patient: Option<usize>,
}

/// What one CSV column fills in the core's record: the core's [`Column`]
/// and [`ColumnKind`], told once per file instead of once per cell. The
/// fields are the core's constants ([`Field::ID`], ...); a field of a kind
/// without a named slot here goes through the core's slot accessor.
#[derive(Debug, Clone, Copy)]
enum Slot {
    /// A descriptor: its bit of the core's masks, and its identifier.
    Descriptor(u32, &'static str),
    /// `id` or `patient` (text).
    Id,
    Patient,
    /// `date`.
    Date,
    /// `pga`.
    Pga,
    /// The other number column (the prednisone-equivalent dose).
    Dose(Field),
    /// A boolean field, a text, date or count field other than the above:
    /// through the core's accessors.
    Boolean(Field),
    Text(Field),
    OtherDate(Field),
    Count(Field),
    /// A BILAG-2004 grade.
    Bilag(sledai::bilag::BilagSystem),
    /// A column the core reads nothing from.
    Skip,
}

impl Slot {
    fn of(column: Column) -> Slot {
        match column {
            Column::Descriptor(d) => Slot::Descriptor(d.bit(), d.id()),
            Column::Field(f) => match f.kind() {
                ColumnKind::Boolean => Slot::Boolean(f),
                ColumnKind::Text if f == Field::ID => Slot::Id,
                ColumnKind::Text if f == Field::PATIENT => Slot::Patient,
                ColumnKind::Text => Slot::Text(f),
                ColumnKind::Date if f == Field::DATE => Slot::Date,
                ColumnKind::Date => Slot::OtherDate(f),
                ColumnKind::Count => Slot::Count(f),
                ColumnKind::Number if f == Field::PGA => Slot::Pga,
                ColumnKind::Number => Slot::Dose(f),
                // The core resolves no other kind as a table column.
                _ => Slot::Skip,
            },
            Column::Bilag(system) => Slot::Bilag(system),
            _ => Slot::Skip,
        }
    }
}

/// Puts a trimmed, non-empty text cell into an `Option<String>`, reusing
/// its allocation from the previous record.
#[inline]
fn set_text(slot: &mut Option<String>, text: Option<&str>) {
    match (slot.as_mut(), text) {
        (Some(s), Some(t)) => {
            s.clear();
            s.push_str(t);
        }
        (None, Some(t)) => *slot = Some(t.to_owned()),
        (_, None) => *slot = None,
    }
}

impl CsvLayout {
    /// Reads the header line with the core's rule (renames, aliases, every
    /// problem in one error) and returns the layout and the columns the
    /// core ignored (under `--allow-extra-columns`), for the caller to name.
    ///
    /// # Errors
    ///
    /// An [`InputError`] at the header's `line`: a column name that is not
    /// UTF-8, or the core's [`sledai::Error::Header`] with the renames to
    /// make spelt as `--rename OLD=NEW`.
    pub(crate) fn from_header(
        file: &str,
        line: u64,
        header: &csv::ByteRecord,
        options: &HeaderOptions,
    ) -> Result<(CsvLayout, Vec<String>), InputError> {
        let bad = |msg: String| InputError::at(file, line, msg);
        let mut names: Vec<&str> = Vec::with_capacity(header.len());
        for (i, raw) in header.iter().enumerate() {
            let name = std::str::from_utf8(raw).map_err(|_| {
                bad(format!(
                    "column {}: name `{}` is not valid UTF-8",
                    i + 1,
                    crate::error::shorten(&String::from_utf8_lossy(raw))
                ))
            })?;
            names.push(name);
        }
        let resolved = table::resolve(&names, options).map_err(|e| bad(header_error(&e)))?;
        let columns = resolved.columns().to_vec();
        let id = resolved.position(Column::Field(Field::ID));
        let patient = resolved.position(Column::Field(Field::PATIENT));
        let slots: Vec<Slot> = columns.iter().copied().map(Slot::of).collect();
        let layout = CsvLayout {
            descriptors: slots
                .iter()
                .enumerate()
                .filter_map(|(i, s)| match *s {
                    Slot::Descriptor(bit, _) => Some((i, bit)),
                    _ => None,
                })
                .collect(),
            others: (0..slots.len())
                .filter(|&i| !matches!(slots[i], Slot::Descriptor(..) | Slot::Skip))
                .collect(),
            all: (0..slots.len()).collect(),
            slots,
            names: resolved.names().to_vec(),
            id,
            patient,
        };
        Ok((layout, resolved.ignored().to_vec()))
    }

    /// The number of columns.
    pub(crate) fn len(&self) -> usize {
        self.slots.len()
    }

    /// Parses one data row into the core's visit record `v`, which holds
    /// the previous record of the file (or a new one): every field is set
    /// afresh, and the `id` and `patient` strings reuse their allocation.
    /// `line` is where the record starts.
    ///
    /// # Errors
    ///
    /// An [`InputError`] naming the file, line, column and value: a row
    /// with the wrong number of fields, a descriptor or boolean cell that is
    /// not one of 1/0/true/false/yes/no/empty, a malformed date, an invalid
    /// PGA, dose or BILAG count, or an `id`/`patient` that is not UTF-8.
    pub(crate) fn parse_row(
        &self,
        file: &str,
        line: u64,
        row: &Row<'_>,
        v: &mut VisitInput,
    ) -> Result<(), InputError> {
        if row.len() != self.slots.len() {
            return Err(InputError::at(
                file,
                line,
                format!(
                    "expected {} fields as in the header, found {}",
                    self.slots.len(),
                    row.len()
                ),
            ));
        }
        // A fresh record, keeping the two strings' allocations.
        let (id, patient) = (v.id.take(), v.patient.take());
        *v = VisitInput::new(Assessment::not_assessed());
        (v.id, v.patient) = (id, patient);
        let (mut has_id, mut has_patient) = (false, false);
        let mut present = 0u32;
        let mut not_assessed = 0u32;
        let mut grades: Option<BilagGrades> = None;
        // The common row first: every descriptor cell `0` or `1`, read in
        // one tight pass; then the other columns in order. Any other
        // descriptor cell sends the whole row through every column in
        // order, so the first bad cell is still the one reported.
        let mut plain = true;
        for &(i, bit) in &self.descriptors {
            match row.get(i) {
                Some(b"1") => present |= bit,
                Some(b"0") => {}
                _ => {
                    plain = false;
                    break;
                }
            }
        }
        let columns = if plain {
            &self.others
        } else {
            present = 0;
            &self.all
        };
        for &i in columns {
            let (Some(&slot), Some(raw)) = (self.slots.get(i), row.get(i)) else {
                continue;
            };
            // The core's cell error, at this line, naming the column.
            let bad = |e: sledai::Error| {
                InputError::at(file, line, e.to_string()).field(self.names[i].as_str())
            };
            match slot {
                Slot::Descriptor(bit, id) => match cell::boolean(raw) {
                    Some(Some(true)) => present |= bit,
                    Some(Some(false)) => {}
                    Some(None) => not_assessed |= bit,
                    None => return Err(bad(cell::boolean_error(id, raw))),
                },
                Slot::Boolean(f) => {
                    let value = cell::boolean(raw)
                        .ok_or_else(|| bad(cell::boolean_error(f.name(), raw)))?;
                    if let Some(slot) = f.boolean_mut(v) {
                        *slot = value;
                    }
                }
                Slot::Id | Slot::Patient => {
                    let (name, target, seen) = if matches!(slot, Slot::Id) {
                        (Field::ID.name(), &mut v.id, &mut has_id)
                    } else {
                        (Field::PATIENT.name(), &mut v.patient, &mut has_patient)
                    };
                    let text = cell::utf8(name, raw).map_err(bad)?;
                    set_text(target, cell::text(text));
                    *seen = true;
                }
                Slot::Text(f) => {
                    let text = cell::utf8(f.name(), raw).map_err(bad)?;
                    if let Some(slot) = f.text_mut(v) {
                        *slot = cell::text(text).map(str::to_owned);
                    }
                }
                Slot::Date => v.date = cell::date_bytes(Field::DATE.name(), raw).map_err(bad)?,
                Slot::OtherDate(f) => {
                    let text = cell::utf8(f.name(), raw).map_err(bad)?;
                    let value = cell::date(f.name(), text).map_err(bad)?;
                    if let Some(slot) = f.date_mut(v) {
                        *slot = value;
                    }
                }
                Slot::Count(f) => {
                    let text = cell::utf8(f.name(), raw).map_err(bad)?;
                    let value = cell::count(f.name(), text).map_err(bad)?;
                    if let Some(slot) = f.count_mut(v) {
                        *slot = value;
                    }
                }
                Slot::Pga => {
                    v.pga = match cell::number_bytes(Field::PGA.name(), raw).map_err(bad)? {
                        Some(x) => Some(Pga::new(x).map_err(bad)?),
                        None => None,
                    }
                }
                Slot::Dose(f) => {
                    if let Some(x) = cell::number_bytes(f.name(), raw).map_err(bad)? {
                        let dose = PrednisoneEquivalent::from_mg(x).map_err(bad)?;
                        v.glucocorticoids = Some(GlucocorticoidInput::PrednisoneEquivalent(dose));
                    }
                }
                Slot::Bilag(system) => {
                    let text = cell::utf8("bilag", raw).map_err(bad)?;
                    if let Some(t) = cell::text(text) {
                        let g = BilagGrade::parse_for(system, t).map_err(bad)?;
                        grades = Some(grades.unwrap_or_default().with(system, Some(g)));
                    }
                }
                Slot::Skip => {}
            }
        }
        // A column the file does not have is not recorded.
        if !has_id {
            v.id = None;
        }
        if !has_patient {
            v.patient = None;
        }
        v.assessment = Assessment::from_masks(present, not_assessed)
            .map_err(|e| InputError::at(file, line, e.to_string()))?;
        // A row whose `bilag_<system>` cells are all empty carries no grades
        // (so the count route stays open in the same file).
        if grades.is_some() && (v.new_bilag_a.is_some() || v.new_bilag_b.is_some()) {
            return Err(InputError::at(
                file,
                line,
                "give either `bilag_<system>` grades or `new_bilag_a`/`new_bilag_b` counts, not both".to_owned(),
            ));
        }
        v.bilag = grades;
        Ok(())
    }

    /// The `id` and `patient` cells of a row, when they are readable: what
    /// an error record in the output echoes.
    pub(crate) fn echo<'r>(&self, row: &Row<'r>) -> (Option<Cow<'r, str>>, Option<Cow<'r, str>>) {
        let get = |i: Option<usize>| {
            i.and_then(|i| row.get(i))
                .and_then(|c| std::str::from_utf8(c).ok())
                .and_then(cell::text)
                .map(Cow::Borrowed)
        };
        (get(self.id), get(self.patient))
    }
}

/// The core's header error, with the renames it names spelt as this tool's
/// option, and the option that would ignore the other unknown columns.
pub(crate) fn header_error(e: &sledai::Error) -> String {
    let mut msg = e.to_string();
    if let sledai::Error::Header { header, .. } = e {
        let (renames, ignorable) = (&header.renames, &header.ignorable);
        if !renames.is_empty() {
            let flags: Vec<String> = renames
                .iter()
                .map(|(old, new)| format!("--rename {}={new}", quoted(old)))
                .collect();
            msg.push_str(&format!(" (use {})", flags.join(" ")));
        }
        if !ignorable.is_empty() {
            msg.push_str(
                " (use --allow-extra-columns to ignore columns that are not visit fields)",
            );
        }
    }
    msg
}

/// A column name as a shell word: quoted when it holds anything but
/// letters, digits and `_`.
fn quoted(name: &str) -> String {
    if name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        name.to_owned()
    } else {
        format!("'{}'", crate::error::shorten(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sledai::{Descriptor, Finding};

    #[test]
    fn json_descriptors_null_is_not_assessed() {
        let v = parse_json("f", 1, br#"{"descriptors":{"rash":true,"fever":null}}"#).unwrap();
        assert_eq!(v.assessment.get(Descriptor::Rash), Finding::Present);
        assert_eq!(v.assessment.get(Descriptor::Fever), Finding::NotAssessed);
        assert_eq!(v.assessment.get(Descriptor::Seizure), Finding::NotAssessed);
    }

    #[test]
    fn json_errors_name_the_field() {
        let e = parse_json("f", 4, br#"{"present":["rsh"]}"#).unwrap_err();
        assert!(e.field.as_deref().unwrap().starts_with("present"), "{e}");
        assert!(e.message.contains("`rsh`"), "{e}");
        assert!(e.message.contains("did you mean `rash`"), "{e}");
        let e = parse_json("f", 4, br#"{"present":[],"pga":3.5}"#).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("pga"));
        assert!(e.message.contains("3.5"), "{e}");
    }
}
