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
//! - A CSV row is converted column by column: the 24 descriptor cells go
//!   straight into the core's 24-bit masks ([`Assessment::from_masks`]), the
//!   other cells through the core's validating constructors ([`Pga::new`],
//!   [`PrednisoneEquivalent::from_mg`], [`Date`]'s `FromStr`). The meaning of
//!   "present", "absent" and "not assessed" is the core's, never re-derived
//!   here. An empty cell is "not recorded", never "absent"
//!   (`docs/reference.md` sections 1.1 and 8).

use std::borrow::Cow;

use sledai::bilag::{BilagGrade, BilagGrades, BilagSystem};
use sledai::glucocorticoid::PrednisoneEquivalent;
use sledai::visit::{GlucocorticoidInput, VisitInput};
use sledai::{Assessment, Date, Descriptor, Pga};

use crate::error::InputError;

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

/// The boolean columns and the `VisitInput` field each fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flag {
    HemolyticAnemia,
    GastrointestinalActivity,
    MaintenanceTolerated,
    InvestigationalDrug,
    NewActivity,
    Baseline,
    TreatmentFailure,
    OnImmunosuppressant,
    OnBiologic,
    OnAntimalarial,
}

/// What one CSV column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Id,
    Patient,
    Date,
    Descriptor(Descriptor),
    Pga,
    Prednisone,
    Flag(Flag),
    ReferenceDate,
    NewBilagA,
    NewBilagB,
    /// `bilag_<system>`: one BILAG-2004 grade, empty = not recorded.
    Bilag(BilagSystem),
    /// An extra column, allowed by `--allow-extra-columns` and ignored.
    Ignored,
}

impl Column {
    fn of_field(name: &str) -> Option<Result<Column, &'static str>> {
        const JSON_ONLY_ASSESSMENT: &str =
            "is JSON Lines only: in CSV each of the 24 descriptors is its own column";
        const JSON_ONLY_BILAG: &str = "is JSON Lines only (an object); in CSV give one column per system, `bilag_<system>` (e.g. `bilag_renal`)";
        const JSON_ONLY_NESTED: &str = "is JSON Lines only (it holds a list or an object); in CSV give `prednisone_mg_per_day`";
        Some(Ok(match name {
            "id" => Column::Id,
            "patient" => Column::Patient,
            "date" => Column::Date,
            "pga" => Column::Pga,
            "prednisone_mg_per_day" => Column::Prednisone,
            "hemolytic_anemia" => Column::Flag(Flag::HemolyticAnemia),
            "gastrointestinal_activity" => Column::Flag(Flag::GastrointestinalActivity),
            "maintenance_tolerated" => Column::Flag(Flag::MaintenanceTolerated),
            "investigational_drug" => Column::Flag(Flag::InvestigationalDrug),
            "new_activity" => Column::Flag(Flag::NewActivity),
            "baseline" => Column::Flag(Flag::Baseline),
            "reference_date" => Column::ReferenceDate,
            "new_bilag_a" => Column::NewBilagA,
            "new_bilag_b" => Column::NewBilagB,
            "treatment_failure" => Column::Flag(Flag::TreatmentFailure),
            "on_immunosuppressant" => Column::Flag(Flag::OnImmunosuppressant),
            "on_biologic" => Column::Flag(Flag::OnBiologic),
            "on_antimalarial" => Column::Flag(Flag::OnAntimalarial),
            "bilag" => return Some(Err(JSON_ONLY_BILAG)),
            n if n.starts_with("bilag_") => match BilagSystem::from_id(&n["bilag_".len()..]) {
                Ok(system) => Column::Bilag(system),
                Err(_) => return None,
            },
            "present" | "descriptors" => return Some(Err(JSON_ONLY_ASSESSMENT)),
            "glucocorticoids" | "measurements" => return Some(Err(JSON_ONLY_NESTED)),
            _ => return None,
        }))
    }
}

/// The meaning of each column of a CSV file, from its header.
#[derive(Debug, Clone)]
pub(crate) struct CsvLayout {
    columns: Vec<Column>,
    names: Vec<String>,
    id: Option<usize>,
    patient: Option<usize>,
}

impl CsvLayout {
    /// Reads the header line.
    ///
    /// # Errors
    ///
    /// An [`InputError`] at the header's `line` for an unknown column (unless
    /// `allow_extra`), a repeated column, a column that CSV cannot carry
    /// (`present`, `descriptors`, `glucocorticoids`, `measurements`), a
    /// column name that is not UTF-8, or any of the 24 descriptor columns
    /// missing.
    pub(crate) fn from_header(
        file: &str,
        line: u64,
        header: &csv::ByteRecord,
        allow_extra: bool,
    ) -> Result<CsvLayout, InputError> {
        let bad = |msg: String| InputError::at(file, line, msg);
        let mut columns = Vec::with_capacity(header.len());
        let mut names: Vec<String> = Vec::with_capacity(header.len());
        let mut descriptors_seen = 0u32;
        for (i, raw) in header.iter().enumerate() {
            // A UTF-8 byte order mark (Excel "CSV UTF-8") before the first name.
            let raw = if i == 0 {
                raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw)
            } else {
                raw
            };
            let name = std::str::from_utf8(raw).map_err(|_| {
                bad(format!(
                    "column {}: name `{}` is not valid UTF-8",
                    i + 1,
                    String::from_utf8_lossy(raw)
                ))
            })?;
            let name = name.trim();
            let column = if let Ok(d) = Descriptor::from_id(name) {
                if descriptors_seen & d.bit() != 0 {
                    return Err(bad(format!("column `{name}` appears more than once")));
                }
                descriptors_seen |= d.bit();
                Column::Descriptor(d)
            } else if let Some(field) = Column::of_field(name) {
                if names.iter().any(|n| n == name) {
                    return Err(bad(format!("column `{name}` appears more than once")));
                }
                field.map_err(|why| bad(format!("column `{name}` {why}")))?
            } else if allow_extra {
                Column::Ignored
            } else {
                let hint = match Descriptor::from_id(name) {
                    Err(sledai::Error::UnknownDescriptor {
                        suggestion: Some(s),
                        ..
                    }) => format!(", did you mean `{s}`?"),
                    _ => String::new(),
                };
                return Err(bad(format!(
                    "unknown column `{name}`{hint} (use --allow-extra-columns to ignore columns that are not visit fields)"
                )));
            };
            columns.push(column);
            names.push(name.to_owned());
        }
        let missing: Vec<&str> = Descriptor::ALL
            .iter()
            .filter(|d| descriptors_seen & d.bit() == 0)
            .map(|d| d.id())
            .collect();
        if !missing.is_empty() {
            return Err(bad(format!(
                "{} of the 24 descriptor columns missing: {} (a descriptor that was not assessed needs its column with empty cells)",
                missing.len(),
                missing.join(", ")
            )));
        }
        let id = columns.iter().position(|c| *c == Column::Id);
        let patient = columns.iter().position(|c| *c == Column::Patient);
        Ok(CsvLayout {
            columns,
            names,
            id,
            patient,
        })
    }

    /// The number of columns.
    pub(crate) fn len(&self) -> usize {
        self.columns.len()
    }

    /// Parses one data row into the core's visit record. `line` is where
    /// the record starts.
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
        row: &csv::ByteRecord,
    ) -> Result<VisitInput, InputError> {
        if row.len() != self.columns.len() {
            return Err(InputError::at(
                file,
                line,
                format!(
                    "expected {} fields as in the header, found {}",
                    self.columns.len(),
                    row.len()
                ),
            ));
        }
        let mut v = VisitInput::new(Assessment::not_assessed());
        let mut present = 0u32;
        let mut not_assessed = 0u32;
        let mut grades: Option<BilagGrades> = None;
        for (i, (column, cell)) in self.columns.iter().zip(row.iter()).enumerate() {
            let bad = |msg: String| InputError::at(file, line, msg).field(self.names[i].as_str());
            match *column {
                Column::Descriptor(d) => match parse_bool(cell) {
                    Some(Some(true)) => present |= d.bit(),
                    Some(Some(false)) => {}
                    Some(None) => not_assessed |= d.bit(),
                    None => return Err(bad(bool_error(cell))),
                },
                Column::Id => v.id = text(cell).map_err(bad)?.map(Cow::into_owned),
                Column::Patient => v.patient = text(cell).map_err(bad)?.map(Cow::into_owned),
                Column::Date => v.date = date(cell).map_err(bad)?,
                Column::ReferenceDate => v.reference_date = date(cell).map_err(bad)?,
                Column::Pga => {
                    v.pga = match number(cell).map_err(bad)? {
                        Some((x, s)) => Some(Pga::new(x).map_err(|e| bad(as_written(&e, &s)))?),
                        None => None,
                    }
                }
                Column::Prednisone => {
                    if let Some((x, s)) = number(cell).map_err(bad)? {
                        let dose = PrednisoneEquivalent::from_mg(x)
                            .map_err(|e| bad(as_written(&e, &s)))?;
                        v.glucocorticoids = Some(GlucocorticoidInput::PrednisoneEquivalent(dose));
                    }
                }
                Column::NewBilagA => v.new_bilag_a = count(cell).map_err(bad)?,
                Column::NewBilagB => v.new_bilag_b = count(cell).map_err(bad)?,
                Column::Bilag(system) => {
                    if let Some(t) = text(cell).map_err(bad)? {
                        let g =
                            BilagGrade::parse_for(system, &t).map_err(|e| bad(e.to_string()))?;
                        grades = Some(grades.unwrap_or_default().with(system, Some(g)));
                    }
                }
                Column::Flag(flag) => {
                    let value = parse_bool(cell).ok_or_else(|| bad(bool_error(cell)))?;
                    let slot = match flag {
                        Flag::HemolyticAnemia => &mut v.hemolytic_anemia,
                        Flag::GastrointestinalActivity => &mut v.gastrointestinal_activity,
                        Flag::MaintenanceTolerated => &mut v.maintenance_tolerated,
                        Flag::InvestigationalDrug => &mut v.investigational_drug,
                        Flag::NewActivity => &mut v.new_activity,
                        Flag::Baseline => &mut v.baseline,
                        Flag::TreatmentFailure => &mut v.treatment_failure,
                        Flag::OnImmunosuppressant => &mut v.on_immunosuppressant,
                        Flag::OnBiologic => &mut v.on_biologic,
                        Flag::OnAntimalarial => &mut v.on_antimalarial,
                    };
                    *slot = value;
                }
                Column::Ignored => {}
            }
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
        Ok(v)
    }

    /// The `id` and `patient` cells of a row, when they are readable: what
    /// an error record in the output echoes.
    pub(crate) fn echo<'r>(
        &self,
        row: &'r csv::ByteRecord,
    ) -> (Option<Cow<'r, str>>, Option<Cow<'r, str>>) {
        let get = |i: Option<usize>| {
            i.and_then(|i| row.get(i))
                .and_then(|c| text(c).ok().flatten())
        };
        (get(self.id), get(self.patient))
    }
}

/// A descriptor or boolean cell: `Some(Some(b))` for a value, `Some(None)`
/// for empty (not assessed / not given), `None` for anything else.
/// Case-insensitive; surrounding spaces are ignored.
#[inline]
pub(crate) fn parse_bool(cell: &[u8]) -> Option<Option<bool>> {
    match cell.trim_ascii() {
        b"1" => Some(Some(true)),
        b"0" => Some(Some(false)),
        b"" => Some(None),
        c if c.eq_ignore_ascii_case(b"true") || c.eq_ignore_ascii_case(b"yes") => Some(Some(true)),
        c if c.eq_ignore_ascii_case(b"false") || c.eq_ignore_ascii_case(b"no") => Some(Some(false)),
        _ => None,
    }
}

fn bool_error(cell: &[u8]) -> String {
    format!(
        "invalid value `{}`, expected 1, 0, true, false, yes, no, or an empty cell (not assessed)",
        String::from_utf8_lossy(cell)
    )
}

/// A text cell: `None` when empty.
fn text(cell: &[u8]) -> Result<Option<Cow<'_, str>>, String> {
    let s = std::str::from_utf8(cell).map_err(|_| {
        format!(
            "value `{}` is not valid UTF-8",
            String::from_utf8_lossy(cell)
        )
    })?;
    let s = s.trim();
    Ok((!s.is_empty()).then_some(Cow::Borrowed(s)))
}

/// A date cell (`YYYY-MM-DD`, parsed by the core): `None` when empty.
fn date(cell: &[u8]) -> Result<Option<Date>, String> {
    match text(cell)? {
        Some(s) => s.parse::<Date>().map(Some).map_err(|e| e.to_string()),
        None => Ok(None),
    }
}

/// A number cell and its text: `None` when empty.
///
/// # Errors
///
/// Text that is not a number, `inf` or `NaN` (which Rust would read as
/// numbers), or digits too many for a 64-bit float; the message shows the
/// text as written.
fn number(cell: &[u8]) -> Result<Option<(f64, Cow<'_, str>)>, String> {
    let Some(s) = text(cell)? else {
        return Ok(None);
    };
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(Some((x, s))),
        Ok(_)
            if s.bytes()
                .any(|b| b.is_ascii_alphabetic() && !matches!(b, b'e' | b'E')) =>
        {
            Err(format!("value `{s}` is not a finite number"))
        }
        Ok(_) => Err(format!("value `{s}` is too large")),
        Err(_) => Err(format!("value `{s}` is not a number")),
    }
}

/// A core error about a number, showing the number as written in the cell
/// (the core's text of a float writes 1e300 as 301 digits).
fn as_written(e: &sledai::Error, text: &str) -> String {
    match e {
        sledai::Error::OutOfRange { min, max, .. } => {
            format!("value `{text}` is out of range, expected {min} to {max}")
        }
        other => other.to_string(),
    }
}

/// A count cell (a whole number 0-255, as JSON's `u8`): `None` when empty.
fn count(cell: &[u8]) -> Result<Option<u8>, String> {
    match text(cell)? {
        None => Ok(None),
        Some(s) => s
            .parse::<u8>()
            .map(Some)
            .map_err(|_| format!("value `{s}` is not a whole number from 0 to 255")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sledai::Finding;

    #[test]
    fn bool_cells_accept_the_documented_spellings_only() {
        for t in ["1", "true", "TRUE", "Yes", " yes "] {
            assert_eq!(parse_bool(t.as_bytes()), Some(Some(true)), "{t}");
        }
        for f in ["0", "false", "False", "NO", "no"] {
            assert_eq!(parse_bool(f.as_bytes()), Some(Some(false)), "{f}");
        }
        assert_eq!(parse_bool(b""), Some(None));
        assert_eq!(parse_bool(b"  "), Some(None));
        for bad in ["2", "y", "n", "NA", "-", "present", "1.0"] {
            assert_eq!(parse_bool(bad.as_bytes()), None, "{bad}");
        }
    }

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

    #[test]
    fn every_csv_field_is_a_core_field() {
        // Each name the CSV layout knows is a key of the core's record.
        for &name in sledai::visit::FIELDS {
            assert!(Column::of_field(name).is_some(), "{name}");
        }
        for system in BilagSystem::ALL {
            let name = format!("bilag_{}", system.id());
            assert_eq!(Column::of_field(&name), Some(Ok(Column::Bilag(system))));
        }
        assert_eq!(Column::of_field("bilag_kidney"), None);
    }
}
