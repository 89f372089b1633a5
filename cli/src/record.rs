//! The visit record: its fields, and how JSON Lines and CSV input become one.
//!
//! This module owns the input contract of `sledai score` (see `docs/cli.md`,
//! "Visit record"). Adding a field is a local change here: one [`Field`]
//! variant (its JSON key, which is also its CSV column name), one member of
//! [`Visit`], and its parsing in [`VisitVisitor`] and [`CsvLayout`].
//!
//! The SLEDAI-2K assessment is read through the core's own serde
//! implementation of [`sledai::Assessment`] (JSON) or straight into the
//! core's 24-bit masks with [`Assessment::from_masks`] (CSV); the meaning of
//! "present", "absent" and "not assessed" is the core's, never re-derived
//! here. Missing data stays missing: an empty CSV cell or a JSON `null` is
//! "not assessed", never "absent" (clinical reference sections 1.1 and 8).

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use sledai::{Assessment, Date, Descriptor, Pga};

use crate::error::InputError;

/// The fields of a visit record, in the order of `docs/cli.md`. The JSON key
/// and the CSV column name are the same snake_case identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
pub(crate) enum Field {
    Id,
    Patient,
    Date,
    Present,
    Descriptors,
    Pga,
    PrednisoneMgPerDay,
    Glucocorticoids,
    HemolyticAnemia,
    GastrointestinalActivity,
    MaintenanceTolerated,
    InvestigationalDrug,
    NewActivity,
    Measurements,
    Baseline,
}

impl Field {
    /// Every field, in documentation order.
    pub(crate) const ALL: [Field; 15] = [
        Field::Id,
        Field::Patient,
        Field::Date,
        Field::Present,
        Field::Descriptors,
        Field::Pga,
        Field::PrednisoneMgPerDay,
        Field::Glucocorticoids,
        Field::HemolyticAnemia,
        Field::GastrointestinalActivity,
        Field::MaintenanceTolerated,
        Field::InvestigationalDrug,
        Field::NewActivity,
        Field::Measurements,
        Field::Baseline,
    ];

    /// The JSON key and CSV column name.
    pub(crate) const fn name(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Patient => "patient",
            Field::Date => "date",
            Field::Present => "present",
            Field::Descriptors => "descriptors",
            Field::Pga => "pga",
            Field::PrednisoneMgPerDay => "prednisone_mg_per_day",
            Field::Glucocorticoids => "glucocorticoids",
            Field::HemolyticAnemia => "hemolytic_anemia",
            Field::GastrointestinalActivity => "gastrointestinal_activity",
            Field::MaintenanceTolerated => "maintenance_tolerated",
            Field::InvestigationalDrug => "investigational_drug",
            Field::NewActivity => "new_activity",
            Field::Measurements => "measurements",
            Field::Baseline => "baseline",
        }
    }

    fn from_name(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.name() == name)
    }

    const fn bit(self) -> u32 {
        1 << (self as u32)
    }
}

/// The boolean fields of a visit record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flag {
    HemolyticAnemia,
    GastrointestinalActivity,
    MaintenanceTolerated,
    InvestigationalDrug,
    NewActivity,
    Baseline,
}

impl Flag {
    fn of(field: Field) -> Option<Flag> {
        Some(match field {
            Field::HemolyticAnemia => Flag::HemolyticAnemia,
            Field::GastrointestinalActivity => Flag::GastrointestinalActivity,
            Field::MaintenanceTolerated => Flag::MaintenanceTolerated,
            Field::InvestigationalDrug => Flag::InvestigationalDrug,
            Field::NewActivity => Flag::NewActivity,
            Field::Baseline => Flag::Baseline,
            _ => return None,
        })
    }
}

/// A daily glucocorticoid dose in mg/day: finite and not negative.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct DoseMgPerDay(f64);

impl DoseMgPerDay {
    /// Validates a dose read from `field`.
    pub(crate) fn new(field: &'static str, value: f64) -> Result<DoseMgPerDay, sledai::Error> {
        if !value.is_finite() {
            return Err(sledai::Error::NotFinite { field, value });
        }
        if value < 0.0 {
            return Err(sledai::Error::InvalidValue {
                field,
                value: value.to_string(),
                reason: "a dose in mg/day cannot be negative".to_owned(),
            });
        }
        Ok(DoseMgPerDay(value))
    }

    /// The dose in mg/day.
    #[allow(dead_code)] // read by the LLDAS/DORIS outputs (issue 3)
    pub(crate) fn get(self) -> f64 {
        self.0
    }
}

/// One entry of `glucocorticoids`: `{"drug": "...", "mg_per_day": 5}`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GlucocorticoidEntry {
    /// The drug, as given. Its vocabulary and prednisone equivalence belong
    /// to the core's glucocorticoid module (issue 3); until then only a
    /// non-empty name is required.
    #[serde(deserialize_with = "non_empty_string")]
    pub(crate) drug: String,
    /// The daily dose of that drug.
    #[serde(deserialize_with = "mg_per_day")]
    pub(crate) mg_per_day: DoseMgPerDay,
}

fn non_empty_string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let s = String::deserialize(d)?;
    if s.trim().is_empty() {
        return Err(de::Error::custom("drug: empty drug name `` is not allowed"));
    }
    Ok(s)
}

fn mg_per_day<'de, D: Deserializer<'de>>(d: D) -> Result<DoseMgPerDay, D::Error> {
    let v = f64::deserialize(d)?;
    DoseMgPerDay::new("mg_per_day", v).map_err(de::Error::custom)
}

/// The glucocorticoid input of a visit: one prednisone-equivalent dose, or
/// a list of drugs with their doses.
#[derive(Debug, Clone, PartialEq)]
#[allow(dead_code)] // read by the LLDAS/DORIS outputs (issue 3)
pub(crate) enum Glucocorticoids {
    /// `prednisone_mg_per_day`.
    PrednisoneEquivalent(DoseMgPerDay),
    /// `glucocorticoids`.
    Drugs(Vec<GlucocorticoidEntry>),
}

/// One visit, as read from a JSON line or a CSV row. Strings borrow from
/// the input line where they can.
#[derive(Debug, Clone, PartialEq)]
#[allow(dead_code)] // the treat-to-target fields are read once issue 3 lands
pub(crate) struct Visit<'a> {
    pub(crate) id: Option<Cow<'a, str>>,
    pub(crate) patient: Option<Cow<'a, str>>,
    pub(crate) date: Option<Date>,
    pub(crate) assessment: Assessment,
    pub(crate) pga: Option<Pga>,
    pub(crate) glucocorticoids: Option<Glucocorticoids>,
    pub(crate) hemolytic_anemia: Option<bool>,
    pub(crate) gastrointestinal_activity: Option<bool>,
    pub(crate) maintenance_tolerated: Option<bool>,
    pub(crate) investigational_drug: Option<bool>,
    pub(crate) new_activity: Option<bool>,
    /// Whether raw laboratory `measurements` were given (not used yet).
    pub(crate) has_measurements: bool,
    pub(crate) baseline: Option<bool>,
}

impl<'a> Visit<'a> {
    fn empty() -> Visit<'a> {
        Visit {
            id: None,
            patient: None,
            date: None,
            assessment: Assessment::not_assessed(),
            pga: None,
            glucocorticoids: None,
            hemolytic_anemia: None,
            gastrointestinal_activity: None,
            maintenance_tolerated: None,
            investigational_drug: None,
            new_activity: None,
            has_measurements: false,
            baseline: None,
        }
    }

    fn set_flag(&mut self, flag: Flag, value: Option<bool>) {
        let slot = match flag {
            Flag::HemolyticAnemia => &mut self.hemolytic_anemia,
            Flag::GastrointestinalActivity => &mut self.gastrointestinal_activity,
            Flag::MaintenanceTolerated => &mut self.maintenance_tolerated,
            Flag::InvestigationalDrug => &mut self.investigational_drug,
            Flag::NewActivity => &mut self.new_activity,
            Flag::Baseline => &mut self.baseline,
        };
        *slot = value;
    }
}

// ---------------------------------------------------------------- JSON Lines

/// Parses one JSON line (without its line terminator) into a visit.
///
/// # Errors
///
/// An [`InputError`] naming `file`, `line`, the column, the field being read
/// and the value: invalid UTF-8, malformed JSON, an unknown or repeated
/// field, a value of the wrong type or outside its range, an unknown
/// descriptor, neither or both of `present` and `descriptors`, or both of
/// `prednisone_mg_per_day` and `glucocorticoids`.
pub(crate) fn parse_json<'a>(
    file: &str,
    line: u64,
    bytes: &'a [u8],
) -> Result<Visit<'a>, InputError> {
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
    let current = Cell::new(None);
    let mut de = serde_json::Deserializer::from_str(text);
    let result = VisitSeed { current: &current }
        .deserialize(&mut de)
        .and_then(|v| de.end().map(|()| v));
    result.map_err(|e| {
        let column = e.column() as u64;
        let mut msg = e.to_string();
        let suffix = format!(" at line {} column {}", e.line(), e.column());
        if let Some(stripped) = msg.strip_suffix(&suffix) {
            msg.truncate(stripped.len());
        }
        if e.is_syntax() || e.is_eof() {
            msg = format!("malformed JSON: {msg}");
        }
        let mut err = InputError::at(file, line, msg);
        if column > 0 {
            err = err.column(column);
        }
        match current.get() {
            Some(field) => err.field(field),
            None => err,
        }
    })
}

/// Deserializes a visit, recording in `current` the field being read so an
/// error can name it.
struct VisitSeed<'c> {
    current: &'c Cell<Option<&'static str>>,
}

impl<'de> DeserializeSeed<'de> for VisitSeed<'_> {
    type Value = Visit<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Visit<'de>, D::Error> {
        d.deserialize_map(VisitVisitor {
            current: self.current,
        })
    }
}

struct VisitVisitor<'c> {
    current: &'c Cell<Option<&'static str>>,
}

impl<'de> Visitor<'de> for VisitVisitor<'_> {
    type Value = Visit<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a visit record (a JSON object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Visit<'de>, A::Error> {
        let mut v = Visit::empty();
        let mut seen = 0u32;
        let mut prednisone = None;
        let mut drugs = None;
        loop {
            // An error in the key itself (an unknown field) names the key in
            // its message; no field is being read yet.
            self.current.set(None);
            let Some(field) = map.next_key::<Field>()? else {
                break;
            };
            self.current.set(Some(field.name()));
            if seen & field.bit() != 0 {
                return Err(de::Error::duplicate_field(field.name()));
            }
            seen |= field.bit();
            match field {
                Field::Id => v.id = map.next_value::<Option<Text<'de>>>()?.map(|t| t.0),
                Field::Patient => v.patient = map.next_value::<Option<Text<'de>>>()?.map(|t| t.0),
                Field::Date => v.date = map.next_value()?,
                Field::Present | Field::Descriptors => {
                    if seen & Field::Present.bit() != 0 && seen & Field::Descriptors.bit() != 0 {
                        return Err(de::Error::custom(
                            "a visit takes exactly one of `present` and `descriptors`, not both",
                        ));
                    }
                    v.assessment = map.next_value_seed(AssessmentSeed { key: field.name() })?;
                }
                Field::Pga => v.pga = map.next_value()?,
                Field::PrednisoneMgPerDay => {
                    prednisone = match map.next_value::<Option<f64>>()? {
                        Some(x) => Some(
                            DoseMgPerDay::new("prednisone_mg_per_day", x)
                                .map_err(de::Error::custom)?,
                        ),
                        None => None,
                    };
                }
                Field::Glucocorticoids => {
                    drugs = map.next_value::<Option<Vec<GlucocorticoidEntry>>>()?
                }
                Field::Measurements => {
                    v.has_measurements = map.next_value::<Option<AnyObject>>()?.is_some();
                }
                Field::HemolyticAnemia
                | Field::GastrointestinalActivity
                | Field::MaintenanceTolerated
                | Field::InvestigationalDrug
                | Field::NewActivity
                | Field::Baseline => {
                    let value = map.next_value::<Option<bool>>()?;
                    if let Some(flag) = Flag::of(field) {
                        v.set_flag(flag, value);
                    }
                }
            }
        }
        self.current.set(None);
        if seen & (Field::Present.bit() | Field::Descriptors.bit()) == 0 {
            return Err(de::Error::custom(
                "a visit needs `present` (array of descriptors) or `descriptors` (object)",
            ));
        }
        v.glucocorticoids = match (prednisone, drugs) {
            (Some(_), Some(_)) => {
                self.current.set(Some(Field::Glucocorticoids.name()));
                return Err(de::Error::custom(
                    "give either `prednisone_mg_per_day` or `glucocorticoids`, not both",
                ));
            }
            (Some(p), None) => Some(Glucocorticoids::PrednisoneEquivalent(p)),
            (None, Some(d)) => Some(Glucocorticoids::Drugs(d)),
            (None, None) => None,
        };
        Ok(v)
    }
}

/// A string borrowed from the input when it has no escapes.
struct Text<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v.to_owned())))
            }
        }
        d.deserialize_str(V)
    }
}

/// Any JSON object, contents not kept (`measurements`, until the laboratory
/// module lands).
struct AnyObject;

impl<'de> Deserialize<'de> for AnyObject {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = AnyObject;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of laboratory measurements")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<AnyObject, A::Error> {
                while map
                    .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(AnyObject)
            }
        }
        d.deserialize_map(V)
    }
}

/// Reads the value of `present` or `descriptors` with the core's
/// `Assessment` deserializer, by presenting it a one-entry map.
struct AssessmentSeed {
    key: &'static str,
}

impl<'de> DeserializeSeed<'de> for AssessmentSeed {
    type Value = Assessment;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Assessment, D::Error> {
        Assessment::deserialize(OneEntry {
            key: self.key,
            value: d,
        })
    }
}

/// A deserializer for the map `{key: <value read from D>}`.
struct OneEntry<D> {
    key: &'static str,
    value: D,
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for OneEntry<D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        visitor.visit_map(OneEntryAccess {
            key: Some(self.key),
            value: Some(self.value),
        })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

struct OneEntryAccess<D> {
    key: Option<&'static str>,
    value: Option<D>,
}

impl<'de, D: Deserializer<'de>> MapAccess<'de> for OneEntryAccess<D> {
    type Error = D::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, D::Error> {
        match self.key.take() {
            Some(k) => seed
                .deserialize(de::value::StrDeserializer::<D::Error>::new(k))
                .map(Some),
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, D::Error> {
        match self.value.take() {
            Some(d) => seed.deserialize(d),
            None => Err(de::Error::custom("internal: value read twice")),
        }
    }
}

// ----------------------------------------------------------------------- CSV

/// What one CSV column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Id,
    Patient,
    Date,
    Descriptor(Descriptor),
    Pga,
    Prednisone,
    Flag(Flag, &'static str),
    /// An extra column, allowed by `--allow-extra-columns` and ignored.
    Ignored,
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
    /// An [`InputError`] at line 1 for an unknown column (unless
    /// `allow_extra`), a repeated column, a column that CSV cannot carry
    /// (`present`, `descriptors`, `glucocorticoids`, `measurements`), a
    /// column name that is not UTF-8, or any of the 24 descriptor columns
    /// missing.
    pub(crate) fn from_header(
        file: &str,
        header: &csv::ByteRecord,
        allow_extra: bool,
    ) -> Result<CsvLayout, InputError> {
        let bad = |msg: String| InputError::at(file, 1, msg);
        let mut columns = Vec::with_capacity(header.len());
        let mut names = Vec::with_capacity(header.len());
        let mut fields_seen = 0u32;
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
            } else if let Some(field) = Field::from_name(name) {
                if fields_seen & field.bit() != 0 {
                    return Err(bad(format!("column `{name}` appears more than once")));
                }
                fields_seen |= field.bit();
                match field {
                    Field::Id => Column::Id,
                    Field::Patient => Column::Patient,
                    Field::Date => Column::Date,
                    Field::Pga => Column::Pga,
                    Field::PrednisoneMgPerDay => Column::Prednisone,
                    Field::Present | Field::Descriptors => {
                        return Err(bad(format!(
                            "column `{name}` is JSON Lines only: in CSV each of the 24 descriptors is its own column"
                        )))
                    }
                    Field::Glucocorticoids | Field::Measurements => {
                        return Err(bad(format!(
                            "column `{name}` is JSON Lines only (it holds a list or an object); in CSV give `prednisone_mg_per_day`"
                        )))
                    }
                    other => match Flag::of(other) {
                        Some(flag) => Column::Flag(flag, other.name()),
                        None => Column::Ignored,
                    },
                }
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

    /// Parses one data row. `line` is where the record starts.
    ///
    /// # Errors
    ///
    /// An [`InputError`] naming the file, line, column and value: a row
    /// with the wrong number of fields, a descriptor or boolean cell that is
    /// not one of 1/0/true/false/yes/no/empty, a malformed date, an invalid
    /// PGA or dose, or an `id`/`patient` that is not UTF-8.
    pub(crate) fn parse_row<'r>(
        &self,
        file: &str,
        line: u64,
        row: &'r csv::ByteRecord,
    ) -> Result<Visit<'r>, InputError> {
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
        let mut v = Visit::empty();
        let mut present = 0u32;
        let mut not_assessed = 0u32;
        for (i, (column, cell)) in self.columns.iter().zip(row.iter()).enumerate() {
            let bad = |msg: String| InputError::at(file, line, msg).field(self.names[i].as_str());
            match *column {
                Column::Descriptor(d) => match parse_bool(cell) {
                    Some(Some(true)) => present |= d.bit(),
                    Some(Some(false)) => {}
                    Some(None) => not_assessed |= d.bit(),
                    None => return Err(bad(bool_error(cell))),
                },
                Column::Id => v.id = text(cell).map_err(bad)?,
                Column::Patient => v.patient = text(cell).map_err(bad)?,
                Column::Date => {
                    v.date = match text(cell).map_err(bad)? {
                        Some(s) => Some(s.parse::<Date>().map_err(|e| bad(e.to_string()))?),
                        None => None,
                    }
                }
                Column::Pga => {
                    v.pga = match number(cell).map_err(bad)? {
                        Some(x) => Some(Pga::new(x).map_err(|e| bad(e.to_string()))?),
                        None => None,
                    }
                }
                Column::Prednisone => {
                    if let Some(x) = number(cell).map_err(bad)? {
                        let dose = DoseMgPerDay::new("prednisone_mg_per_day", x)
                            .map_err(|e| bad(e.to_string()))?;
                        v.glucocorticoids = Some(Glucocorticoids::PrednisoneEquivalent(dose));
                    }
                }
                Column::Flag(flag, _) => match parse_bool(cell) {
                    Some(value) => v.set_flag(flag, value),
                    None => return Err(bad(bool_error(cell))),
                },
                Column::Ignored => {}
            }
        }
        v.assessment = Assessment::from_masks(present, not_assessed)
            .map_err(|e| InputError::at(file, line, e.to_string()))?;
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

/// A number cell: `None` when empty.
fn number(cell: &[u8]) -> Result<Option<f64>, String> {
    match text(cell)? {
        None => Ok(None),
        Some(s) => s
            .parse::<f64>()
            .map(Some)
            .map_err(|_| format!("value `{s}` is not a number")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sledai::Finding;

    #[test]
    fn every_field_name_round_trips() {
        for f in Field::ALL {
            assert_eq!(Field::from_name(f.name()), Some(f));
            let parsed: Field = serde_json::from_str(&format!("\"{}\"", f.name())).unwrap();
            assert_eq!(parsed, f);
        }
    }

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
        assert_eq!(e.field.as_deref(), Some("present"));
        assert!(e.message.contains("`rsh`"), "{e}");
        assert!(e.message.contains("did you mean `rash`"), "{e}");
        let e = parse_json("f", 4, br#"{"present":[],"pga":3.5}"#).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("pga"));
        assert!(e.message.contains("3.5"), "{e}");
    }

    #[test]
    fn strings_without_escapes_are_borrowed() {
        let v = parse_json("f", 1, br#"{"id":"a1","patient":"p\"q","present":[]}"#).unwrap();
        assert!(matches!(v.id, Some(Cow::Borrowed("a1"))));
        assert_eq!(v.patient.as_deref(), Some("p\"q"));
    }
}
