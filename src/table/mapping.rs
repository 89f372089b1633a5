//! Tables as trials and registries export them: long (SDTM-like) tables and
//! REDCap exports, read into visit records through a mapping.
//!
//! A *wide* table has one row per visit and one column per visit field (the
//! table of `docs/formats.md`). Trial data often come otherwise:
//!
//! - **long** (SDTM-like): one row per subject x date x item, e.g.
//!   `USUBJID, QSDTC, QSTESTCD, QSORRES`; the mapping says which column
//!   holds the test code and which the result, and what each of the
//!   sponsor's test codes (and result values) is: a descriptor identifier,
//!   a visit field, `bilag_<system>` or `glucocorticoids.<drug>`.
//! - **redcap**: a REDCap export, one row per record x event (x repeat
//!   instance); checkbox columns `field___code` (three underscores, 1/0)
//!   with a map from the project's codes to descriptors;
//!   `redcap_event_name` groups rows into visits; rows of a repeat
//!   instrument (`redcap_repeat_instrument`, `redcap_repeat_instance`) add
//!   to the visit of their event (one glucocorticoid per instance).
//!
//! The column renames of a mapping are the renames of
//! [`HeaderOptions::with_rename`] (the CLI's `--rename`, Python's
//! `rename=`): [`Mapping::header_options`] adds them, and every column that
//! is not a test code, a result, a checkbox or a REDCap column goes through
//! the one header resolution ([`super::resolve`]) and the cell rules of a
//! wide table.
//!
//! The rules of [`build`], documented in `docs/mapping.md`:
//!
//! - Rows of one subject and date (long; REDCap without events) or of one
//!   record and event (REDCap) become one visit; the visits come out ordered
//!   by subject, then date, then first row.
//! - Two rows that give one item of a visit must agree: a conflicting
//!   duplicate is an error naming both rows; an agreeing one is kept once.
//! - Every error ([`Error::Mapping`]) names the row, the column, the code
//!   and the mapping entry. A test code, checkbox code, result value or
//!   repeat instrument that the mapping does not list is an error, never
//!   dropped, unless the mapping lists it under `ignore`.
//! - An item no row gives stays *not recorded* (a descriptor: not
//!   assessed), never absent.
//!
//! No I/O: the shells read the file and the mapping and hand over text.
//!
//! # Example
//!
//! ```
//! use sledai::table::{mapping, HeaderOptions, Mapping};
//! use sledai::{Descriptor, Finding};
//!
//! let m = Mapping::from_json(r#"{
//!   "layout": "long",
//!   "rename": {"USUBJID": "patient", "QSDTC": "date"},
//!   "long": {"test": "QSTESTCD", "result": "QSORRES",
//!            "tests": {"RASH": "rash", "PGA": "pga"},
//!            "values": {"Y": "1", "N": "0"}}
//! }"#)?;
//! let names = ["USUBJID", "QSDTC", "QSTESTCD", "QSORRES"];
//! let rows = vec![
//!     (2, vec!["P1", "2024-01-01", "RASH", "Y"]),
//!     (3, vec!["P1", "2024-01-01", "PGA", "1.5"]),
//! ];
//! let out = mapping::build(&names, rows, &m, &HeaderOptions::default())?;
//! let v = &out.visits()[0];
//! assert_eq!(v.assessment.get(Descriptor::Rash), Finding::Present);
//! // No row gives fever: not assessed, never absent.
//! assert_eq!(v.assessment.get(Descriptor::Fever), Finding::NotAssessed);
//! assert_eq!(out.rows(), [2]);
//! # Ok::<(), sledai::Error>(())
//! ```

use std::collections::HashMap;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::assessment::Assessment;
use crate::bilag::{BilagGrade, BilagGrades, BilagSystem};
use crate::date::Date;
use crate::descriptor::Descriptor;
use crate::error::{Error, MappingError, nearest, shortened};
use crate::glucocorticoid::{DailyDose, DrugDose, Glucocorticoid, PrednisoneEquivalent};
use crate::pga::Pga;
use crate::visit::{GlucocorticoidInput, VisitInput};
use crate::vocabulary::vocabulary;

use super::cell;
use super::header::{Column, HeaderOptions, Resolved, lookup, resolve, table_names};
use super::schema::{ColumnKind, Field, bilag_column};

vocabulary! {
    /// How a visit table is laid out.
    ///
    /// ```
    /// use sledai::table::Layout;
    /// assert_eq!("redcap".parse::<Layout>()?, Layout::Redcap);
    /// assert_eq!(Layout::Long.to_string(), "long");
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub enum Layout, field = "layout", path = "sledai::table::Layout" {
        /// One row per visit, one column per visit field (`docs/formats.md`).
        Wide = "wide",
        /// One row per subject x date x item (SDTM-like).
        Long = "long",
        /// A REDCap export: checkbox columns, events, repeat instruments.
        Redcap = "redcap",
    }
}

/// The prefix of a test code mapped to one drug of a regimen.
const DRUG_PREFIX: &str = "glucocorticoids.";
/// REDCap's own columns.
const REDCAP_EVENT: &str = "redcap_event_name";
const REDCAP_INSTRUMENT: &str = "redcap_repeat_instrument";
const REDCAP_INSTANCE: &str = "redcap_repeat_instance";
/// REDCap's separator between a checkbox field and a code.
const CHECKBOX_SEPARATOR: &str = "___";

/// A mapping from a sponsor's or registry's table to visit records: column
/// renames, and for a long table or a REDCap export what each code means.
/// Parsed from JSON ([`Mapping::from_json`]); the format is
/// `docs/mapping.md`.
///
/// ```
/// use sledai::table::{HeaderOptions, Layout, Mapping};
/// let m = Mapping::from_json(r#"{"rename": {"patient_id": "patient"}}"#)?;
/// assert_eq!(m.layout(), Layout::Wide);
/// let header = m.header_options(HeaderOptions::default());
/// assert_eq!(header.renames(), [("patient_id".to_owned(), "patient".to_owned())]);
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Mapping {
    layout: Layout,
    renames: Vec<(String, String)>,
    ignore_columns: Vec<String>,
    long: Option<Long>,
    redcap: Option<Redcap>,
}

#[derive(Debug, Clone, PartialEq)]
struct Long {
    test: String,
    result: String,
    tests: Vec<TestEntry>,
    values: Vec<(String, String)>,
    ignore: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
struct TestEntry {
    code: String,
    /// `long.tests.<code>`, for messages.
    path: String,
    slot: Slot,
    values: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq)]
struct Redcap {
    checkboxes: Vec<Checkbox>,
    repeats: Vec<Repeat>,
    ignore_instruments: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
struct Checkbox {
    field: String,
    /// Whether a ticked code marks the descriptor not assessed (else
    /// present; an unticked code then says absent).
    not_assessed: bool,
    codes: Vec<(String, Descriptor)>,
    ignore: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
struct Repeat {
    instrument: String,
    /// `redcap.repeat_instruments.<instrument>.drugs`, for messages.
    drugs_entry: String,
    drug: String,
    mg_per_day: String,
    drugs: Vec<(String, Glucocorticoid)>,
}

/// What one item of a visit is: where a test code, a checkbox code or a
/// column puts its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Descriptor(Descriptor),
    Field(Field),
    Bilag(BilagSystem),
    Drug(Glucocorticoid),
}

impl fmt::Display for Slot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Slot::Descriptor(d) => f.write_str(d.id()),
            Slot::Field(x) => f.write_str(x.name()),
            Slot::Bilag(s) => f.write_str(&bilag_column(*s)),
            Slot::Drug(g) => write!(f, "{DRUG_PREFIX}{}", g.id()),
        }
    }
}

// ------------------------------------------------------------ the JSON text

/// A JSON value whose objects keep their keys in order and refuse a key
/// given twice (`serde_json::Value` would keep the last silently).
#[derive(Debug)]
enum Node {
    Null,
    Bool(bool),
    Number(f64),
    Text(String),
    List(Vec<Node>),
    Object(Vec<(String, Node)>),
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Node, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Node;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_unit<E>(self) -> Result<Node, E> {
                Ok(Node::Null)
            }
            fn visit_bool<E>(self, b: bool) -> Result<Node, E> {
                Ok(Node::Bool(b))
            }
            #[allow(clippy::cast_precision_loss)]
            fn visit_i64<E>(self, n: i64) -> Result<Node, E> {
                Ok(Node::Number(n as f64))
            }
            #[allow(clippy::cast_precision_loss)]
            fn visit_u64<E>(self, n: u64) -> Result<Node, E> {
                Ok(Node::Number(n as f64))
            }
            fn visit_f64<E>(self, n: f64) -> Result<Node, E> {
                Ok(Node::Number(n))
            }
            fn visit_str<E>(self, s: &str) -> Result<Node, E> {
                Ok(Node::Text(s.to_owned()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
                let mut out = Vec::new();
                while let Some(n) = seq.next_element()? {
                    out.push(n);
                }
                Ok(Node::List(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
                let mut out: Vec<(String, Node)> = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    if out.iter().any(|(k, _)| *k == key) {
                        return Err(de::Error::custom(format!(
                            "key `{}` is given twice in one object",
                            shortened(&key)
                        )));
                    }
                    let value = map.next_value()?;
                    out.push((key, value));
                }
                Ok(Node::Object(out))
            }
        }
        d.deserialize_any(V)
    }
}

impl Node {
    fn kind(&self) -> &'static str {
        match self {
            Node::Null => "null",
            Node::Bool(_) => "a boolean",
            Node::Number(_) => "a number",
            Node::Text(_) => "a string",
            Node::List(_) => "a list",
            Node::Object(_) => "an object",
        }
    }
}

fn entry_error(entry: &str, reason: impl Into<String>) -> Error {
    Error::Mapping {
        mapping: Box::new(MappingError {
            row: None,
            other_row: None,
            column: None,
            code: None,
            entry: Some(entry.to_owned()),
            reason: reason.into(),
        }),
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// The entries of an object, refusing keys not in `allowed`.
fn object<'a>(
    node: &'a Node,
    path: &str,
    allowed: Option<&[&str]>,
) -> Result<&'a [(String, Node)], Error> {
    let Node::Object(entries) = node else {
        return Err(entry_error(
            if path.is_empty() { "(top level)" } else { path },
            format!("expected an object, found {}", node.kind()),
        ));
    };
    if let Some(allowed) = allowed {
        for (k, _) in entries {
            if !allowed.contains(&k.as_str()) {
                let hint = nearest(k, allowed.iter().copied())
                    .map(|s| format!(", did you mean `{s}`?"))
                    .unwrap_or_default();
                return Err(entry_error(
                    &join(path, k),
                    format!(
                        "unknown key `{}`{hint} (expected one of: {})",
                        shortened(k),
                        allowed.join(", ")
                    ),
                ));
            }
        }
    }
    Ok(entries)
}

fn get<'a>(entries: &'a [(String, Node)], key: &str) -> Option<&'a Node> {
    entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

fn text(node: &Node, path: &str) -> Result<String, Error> {
    match node {
        Node::Text(s) if !s.trim().is_empty() => Ok(s.trim().to_owned()),
        Node::Text(_) => Err(entry_error(path, "expected a non-empty string")),
        other => Err(entry_error(
            path,
            format!("expected a string, found {}", other.kind()),
        )),
    }
}

fn required<'a>(entries: &'a [(String, Node)], path: &str, key: &str) -> Result<&'a Node, Error> {
    get(entries, key).ok_or_else(|| entry_error(&join(path, key), "is required"))
}

/// A list of strings, each given once.
fn texts(node: &Node, path: &str) -> Result<Vec<String>, Error> {
    let Node::List(items) = node else {
        return Err(entry_error(
            path,
            format!("expected a list of strings, found {}", node.kind()),
        ));
    };
    let mut out: Vec<String> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let s = text(item, &format!("{path}[{i}]"))?;
        if out.contains(&s) {
            return Err(entry_error(
                &format!("{path}[{i}]"),
                format!("`{}` is listed twice", shortened(&s)),
            ));
        }
        out.push(s);
    }
    Ok(out)
}

/// An object of strings to strings (a value map: a value as written -> a
/// cell of the core's grammar, which may be empty).
fn value_map(node: &Node, path: &str) -> Result<Vec<(String, String)>, Error> {
    let mut out = Vec::new();
    for (k, v) in object(node, path, None)? {
        let p = join(path, k);
        match v {
            Node::Text(s) => out.push((k.trim().to_owned(), s.clone())),
            Node::Bool(b) => out.push((k.trim().to_owned(), b.to_string())),
            Node::Null => out.push((k.trim().to_owned(), String::new())),
            Node::Number(x) => out.push((k.trim().to_owned(), x.to_string())),
            other => {
                return Err(entry_error(
                    &p,
                    format!(
                        "expected a cell as a string (\"1\", \"0\", \"\" for not recorded), a number or true/false/null, found {}",
                        other.kind()
                    ),
                ));
            }
        }
    }
    Ok(out)
}

/// What a test code maps to: a descriptor identifier, a visit field a table
/// carries (not `patient` or `date`, which place the row),
/// `bilag_<system>`, or `glucocorticoids.<drug>`.
fn slot(name: &str, path: &str) -> Result<Slot, Error> {
    if let Some(drug) = name.strip_prefix(DRUG_PREFIX) {
        return drug
            .parse::<Glucocorticoid>()
            .map(Slot::Drug)
            .map_err(|e| entry_error(path, e.to_string()));
    }
    match lookup(name) {
        Resolved::Known(Column::Descriptor(d)) => Ok(Slot::Descriptor(d)),
        Resolved::Known(Column::Field(f)) if f == Field::PATIENT || f == Field::DATE => {
            Err(entry_error(
                path,
                format!(
                    "`{name}` places a row, it is not an item: name the column that holds it under `rename`"
                ),
            ))
        }
        Resolved::Known(Column::Field(f)) => Ok(Slot::Field(f)),
        Resolved::Known(Column::Bilag(s)) => Ok(Slot::Bilag(s)),
        _ => {
            let names = table_names();
            let hint = nearest(name, names.iter().map(String::as_str))
                .map(|s| format!(", did you mean `{s}`?"))
                .unwrap_or_default();
            Err(entry_error(
                path,
                format!(
                    "`{}` is not a descriptor identifier, a visit field, `bilag_<system>` or `glucocorticoids.<drug>`{hint}",
                    shortened(name)
                ),
            ))
        }
    }
}

impl Mapping {
    /// Parses a mapping from JSON text (`docs/mapping.md`).
    ///
    /// # Errors
    ///
    /// [`Error::Mapping`] naming the entry (`long.tests.SEIZ`): malformed
    /// JSON, a key given twice, an unknown key, a missing one, a target
    /// that is not a descriptor or visit field, a layout that does not fit
    /// the sections given.
    ///
    /// ```
    /// use sledai::table::Mapping;
    /// let err = Mapping::from_json(r#"{"long": {"test": "T", "result": "R", "tests": {"X": "rsh"}}}"#)
    ///     .unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "mapping entry `long.tests.X`: `rsh` is not a descriptor identifier, a visit field, `bilag_<system>` or `glucocorticoids.<drug>`, did you mean `rash`?"
    /// );
    /// ```
    pub fn from_json(json: &str) -> Result<Mapping, Error> {
        let json = json.strip_prefix('\u{feff}').unwrap_or(json);
        let root: Node = serde_json::from_str(json)
            .map_err(|e| entry_error("(top level)", format!("not valid JSON: {e}")))?;
        let top = object(
            &root,
            "",
            Some(&["layout", "rename", "ignore_columns", "long", "redcap"]),
        )?;
        let mut renames = Vec::new();
        if let Some(node) = get(top, "rename") {
            for (old, new) in object(node, "rename", None)? {
                let new = text(new, &join("rename", old))?;
                renames.push((old.trim().to_owned(), new));
            }
        }
        let ignore_columns = match get(top, "ignore_columns") {
            Some(n) => texts(n, "ignore_columns")?,
            None => Vec::new(),
        };
        let long = get(top, "long").map(parse_long).transpose()?;
        let redcap = get(top, "redcap").map(parse_redcap).transpose()?;
        let implied = match (&long, &redcap) {
            (Some(_), Some(_)) => {
                return Err(entry_error(
                    "(top level)",
                    "give a `long` or a `redcap` section, not both",
                ));
            }
            (Some(_), None) => Layout::Long,
            (None, Some(_)) => Layout::Redcap,
            (None, None) => Layout::Wide,
        };
        let layout = match get(top, "layout") {
            Some(n) => {
                let l = text(n, "layout")?
                    .parse::<Layout>()
                    .map_err(|e| entry_error("layout", e.to_string()))?;
                if l != implied && !(l == Layout::Redcap && implied == Layout::Wide) {
                    return Err(entry_error(
                        "layout",
                        format!(
                            "layout `{l}` needs {}",
                            match l {
                                Layout::Long => "a `long` section",
                                Layout::Wide => "no `long` or `redcap` section",
                                Layout::Redcap => "no `long` section",
                            }
                        ),
                    ));
                }
                l
            }
            None => implied,
        };
        let redcap = match (layout, redcap) {
            (Layout::Redcap, None) => Some(Redcap {
                checkboxes: Vec::new(),
                repeats: Vec::new(),
                ignore_instruments: Vec::new(),
            }),
            (_, r) => r,
        };
        Ok(Mapping {
            layout,
            renames,
            ignore_columns,
            long,
            redcap,
        })
    }

    /// The layout the mapping reads: `long` with a `long` section, `redcap`
    /// with a `redcap` section (or `"layout": "redcap"`), else `wide`
    /// (renames only).
    ///
    /// ```
    /// use sledai::table::{Layout, Mapping};
    /// assert_eq!(Mapping::from_json(r#"{"layout": "redcap"}"#)?.layout(), Layout::Redcap);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn layout(&self) -> Layout {
        self.layout
    }

    /// The mapping's column renames (old name -> visit field), in file
    /// order.
    ///
    /// ```
    /// use sledai::table::Mapping;
    /// let m = Mapping::from_json(r#"{"rename": {"PGA": "pga"}}"#)?;
    /// assert_eq!(m.renames(), [("PGA".to_owned(), "pga".to_owned())]);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn renames(&self) -> &[(String, String)] {
        &self.renames
    }

    /// `base` with the mapping's renames added after the caller's own (the
    /// one rename mechanism: a `--rename` and a mapping's `rename` are the
    /// same thing; a column renamed by both is a header problem).
    ///
    /// ```
    /// use sledai::table::{HeaderOptions, Mapping};
    /// let m = Mapping::from_json(r#"{"rename": {"PGA": "pga"}}"#)?;
    /// let o = m.header_options(HeaderOptions::default().with_rename("visit_date", "date"));
    /// assert_eq!(o.renames().len(), 2);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn header_options(&self, base: HeaderOptions) -> HeaderOptions {
        self.renames
            .iter()
            .fold(base, |o, (old, new)| o.with_rename(old, new))
    }

    /// Checks a layout asked for (the CLI's `--layout`, Python's
    /// `layout=`) against the mapping's own.
    ///
    /// # Errors
    ///
    /// [`Error::Mapping`] (entry `layout`) when they differ.
    ///
    /// ```
    /// use sledai::table::{Layout, Mapping};
    /// let m = Mapping::from_json(r#"{"layout": "redcap"}"#)?;
    /// assert!(m.check_layout(Layout::Redcap).is_ok());
    /// assert_eq!(
    ///     m.check_layout(Layout::Long).unwrap_err().to_string(),
    ///     "mapping entry `layout`: the mapping reads a redcap table, not a long one",
    /// );
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn check_layout(&self, asked: Layout) -> Result<(), Error> {
        if asked == self.layout {
            return Ok(());
        }
        Err(entry_error(
            "layout",
            format!(
                "the mapping reads a {} table, not a {asked} one",
                self.layout
            ),
        ))
    }

    /// The columns the mapping says to ignore (`ignore_columns`: REDCap's
    /// `<form>_complete`, SDTM's `STUDYID`), as written.
    ///
    /// ```
    /// use sledai::table::Mapping;
    /// let m = Mapping::from_json(r#"{"ignore_columns": ["STUDYID"]}"#)?;
    /// assert_eq!(m.ignore_columns(), ["STUDYID"]);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn ignore_columns(&self) -> &[String] {
        &self.ignore_columns
    }
}

fn parse_long(node: &Node) -> Result<Long, Error> {
    let p = "long";
    let e = object(
        node,
        p,
        Some(&["test", "result", "tests", "values", "ignore"]),
    )?;
    let test = text(required(e, p, "test")?, "long.test")?;
    let result = text(required(e, p, "result")?, "long.result")?;
    let mut tests = Vec::new();
    for (code, target) in object(required(e, p, "tests")?, "long.tests", None)? {
        let path = format!("long.tests.{code}");
        let (slot_, values) = match target {
            Node::Text(name) => (slot(name.trim(), &path)?, Vec::new()),
            Node::Object(_) => {
                let t = object(target, &path, Some(&["to", "values"]))?;
                let to = text(required(t, &path, "to")?, &join(&path, "to"))?;
                let values = match get(t, "values") {
                    Some(v) => value_map(v, &join(&path, "values"))?,
                    None => Vec::new(),
                };
                (slot(&to, &path)?, values)
            }
            other => {
                return Err(entry_error(
                    &path,
                    format!(
                        "expected a target (a string) or {{\"to\": ..., \"values\": ...}}, found {}",
                        other.kind()
                    ),
                ));
            }
        };
        tests.push(TestEntry {
            code: code.trim().to_owned(),
            path: path.clone(),
            slot: slot_,
            values,
        });
    }
    let values = match get(e, "values") {
        Some(v) => value_map(v, "long.values")?,
        None => Vec::new(),
    };
    let ignore = match get(e, "ignore") {
        Some(v) => texts(v, "long.ignore")?,
        None => Vec::new(),
    };
    if let Some(code) = ignore.iter().find(|c| tests.iter().any(|t| t.code == **c)) {
        return Err(entry_error(
            "long.ignore",
            format!(
                "code `{}` is both mapped (long.tests) and ignored",
                shortened(code)
            ),
        ));
    }
    if test == result {
        return Err(entry_error(
            "long.result",
            "the test code and the result are one column",
        ));
    }
    Ok(Long {
        test,
        result,
        tests,
        values,
        ignore,
    })
}

fn parse_redcap(node: &Node) -> Result<Redcap, Error> {
    let p = "redcap";
    let e = object(
        node,
        p,
        Some(&["checkboxes", "repeat_instruments", "ignore_instruments"]),
    )?;
    let mut checkboxes = Vec::new();
    if let Some(n) = get(e, "checkboxes") {
        for (field, spec) in object(n, "redcap.checkboxes", None)? {
            let path = format!("redcap.checkboxes.{field}");
            let s = object(spec, &path, Some(&["codes", "marks", "ignore"]))?;
            let not_assessed = match get(s, "marks") {
                None => false,
                Some(m) => match text(m, &join(&path, "marks"))?.as_str() {
                    "present" => false,
                    "not_assessed" => true,
                    other => {
                        return Err(entry_error(
                            &join(&path, "marks"),
                            format!(
                                "`{}`: expected `present` or `not_assessed`",
                                shortened(other)
                            ),
                        ));
                    }
                },
            };
            let mut codes = Vec::new();
            for (code, d) in object(required(s, &path, "codes")?, &join(&path, "codes"), None)? {
                let cp = format!("{path}.codes.{code}");
                let name = text(d, &cp)?;
                let d = Descriptor::from_id(&name).map_err(|e| entry_error(&cp, e.to_string()))?;
                if let Some((other, _)) = codes.iter().find(|(_, x)| *x == d) {
                    return Err(entry_error(
                        &cp,
                        format!("descriptor `{d}` is already the code `{other}` of this field"),
                    ));
                }
                codes.push((code.trim().to_owned(), d));
            }
            let ignore = match get(s, "ignore") {
                Some(v) => texts(v, &join(&path, "ignore"))?,
                None => Vec::new(),
            };
            checkboxes.push(Checkbox {
                field: field.trim().to_owned(),
                not_assessed,
                codes,
                ignore,
            });
        }
    }
    let mut repeats = Vec::new();
    if let Some(n) = get(e, "repeat_instruments") {
        for (instrument, spec) in object(n, "redcap.repeat_instruments", None)? {
            let path = format!("redcap.repeat_instruments.{instrument}");
            let s = object(spec, &path, Some(&["drug", "mg_per_day", "drugs"]))?;
            let drug = text(required(s, &path, "drug")?, &join(&path, "drug"))?;
            let mg_per_day = text(
                required(s, &path, "mg_per_day")?,
                &join(&path, "mg_per_day"),
            )?;
            let mut drugs = Vec::new();
            if let Some(d) = get(s, "drugs") {
                for (code, name) in object(d, &join(&path, "drugs"), None)? {
                    let cp = format!("{path}.drugs.{code}");
                    let g = text(name, &cp)?
                        .parse::<Glucocorticoid>()
                        .map_err(|e| entry_error(&cp, e.to_string()))?;
                    drugs.push((code.trim().to_owned(), g));
                }
            }
            repeats.push(Repeat {
                instrument: instrument.trim().to_owned(),
                drugs_entry: format!("{path}.drugs"),
                drug,
                mg_per_day,
                drugs,
            });
        }
    }
    let ignore_instruments = match get(e, "ignore_instruments") {
        Some(v) => texts(v, "redcap.ignore_instruments")?,
        None => Vec::new(),
    };
    Ok(Redcap {
        checkboxes,
        repeats,
        ignore_instruments,
    })
}

// --------------------------------------------------------------- the values

/// A value of one item, typed, so that `15` and `15.0` agree and `Y` and `1`
/// agree.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    NotRecorded,
    Flag(bool),
    Text(String),
    Date(Date),
    Count(u8),
    Pga(Pga),
    Dose(PrednisoneEquivalent),
    Grade(BilagGrade),
    Drug(DailyDose),
}

/// Reads a cell (after the mapping's value map) for a slot, by the cell
/// rules of a wide table ([`cell`], `docs/formats.md`); the error is the
/// cell error's text after its column, for the row error to name the
/// column as written.
fn value(slot: Slot, text: &str) -> Result<Value, String> {
    let t = text.trim();
    if cell::is_not_recorded(t) {
        return Ok(Value::NotRecorded);
    }
    let why = |e: Error| cell::reason(&e);
    let number = |field: &'static str| -> Result<f64, String> {
        match cell::number(field, t) {
            Ok(Some(x)) => Ok(x),
            Ok(None) => unreachable!("a recorded cell is not empty"),
            Err(e) => Err(why(e)),
        }
    };
    let flag = |field: &'static str| {
        cell::flag(field, t)
            .map(|b| b.map_or(Value::NotRecorded, Value::Flag))
            .map_err(why)
    };
    match slot {
        Slot::Descriptor(d) => flag(d.id()),
        Slot::Field(f) => match f.kind() {
            ColumnKind::Boolean => flag(f.name()),
            ColumnKind::Text => Ok(Value::Text(t.to_owned())),
            ColumnKind::Date => match cell::date(f.name(), t).map_err(why)? {
                Some(d) => Ok(Value::Date(d)),
                None => Ok(Value::NotRecorded),
            },
            ColumnKind::Count => match cell::count(f.name(), t).map_err(why)? {
                Some(n) => Ok(Value::Count(n)),
                None => Ok(Value::NotRecorded),
            },
            ColumnKind::Number if f == Field::PGA => {
                Pga::new(number(f.name())?).map(Value::Pga).map_err(why)
            }
            ColumnKind::Number => PrednisoneEquivalent::from_mg(number(f.name())?)
                .map(Value::Dose)
                .map_err(why),
            other => Err(format!("a {other} cannot be read from a table cell")),
        },
        Slot::Bilag(s) => BilagGrade::parse_for(s, t)
            .map(Value::Grade)
            .map_err(|e| e.to_string()),
        Slot::Drug(_) => DailyDose::from_mg(number("dose")?)
            .map(Value::Drug)
            .map_err(why),
    }
}

// ----------------------------------------------------------------- building

/// The visit records [`build`] made from a table, ordered by subject, then
/// date, then first row.
///
/// ```
/// # use sledai::table::{mapping, HeaderOptions, Mapping};
/// let m = Mapping::from_json(r#"{"rename": {"SUBJ": "patient", "DT": "date"},
///     "long": {"test": "T", "result": "R", "tests": {"PGA": "pga"}}}"#)?;
/// let rows = vec![
///     (2, vec!["P2", "2024-01-01", "PGA", "1"]),
///     (3, vec!["P1", "2024-02-01", "PGA", "0.5"]),
///     (4, vec!["P1", "2024-01-01", "PGA", "2"]),
/// ];
/// let out = mapping::build(&["SUBJ", "DT", "T", "R"], rows, &m, &HeaderOptions::default())?;
/// assert_eq!(out.rows(), [4, 3, 2]);
/// assert_eq!(out.into_visits()[0].patient.as_deref(), Some("P1"));
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct MappedVisits {
    visits: Vec<VisitInput>,
    rows: Vec<u64>,
    ignored: Vec<String>,
}

impl MappedVisits {
    /// The visit records.
    ///
    /// ```
    /// # use sledai::table::{mapping, HeaderOptions, Mapping};
    /// # let m = Mapping::from_json(r#"{"rename": {"S": "patient", "D": "date"}, "long": {"test": "T", "result": "R", "tests": {}}}"#)?;
    /// let out = mapping::build(&["S", "D", "T", "R"], Vec::<(u64, Vec<&str>)>::new(), &m, &HeaderOptions::default())?;
    /// assert!(out.visits().is_empty());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn visits(&self) -> &[VisitInput] {
        &self.visits
    }

    /// The first row of each visit, in step with [`MappedVisits::visits`]:
    /// where a shell says a visit starts.
    ///
    /// ```
    /// # use sledai::table::{mapping, HeaderOptions, Mapping};
    /// # let m = Mapping::from_json(r#"{"rename": {"S": "patient", "D": "date"}, "long": {"test": "T", "result": "R", "tests": {"PGA": "pga"}}}"#)?;
    /// let out = mapping::build(&["S", "D", "T", "R"], vec![(7, vec!["P", "2024-01-01", "PGA", "1"])], &m, &HeaderOptions::default())?;
    /// assert_eq!(out.rows(), [7]);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn rows(&self) -> &[u64] {
        &self.rows
    }

    /// The columns ignored under [`super::ExtraColumns::Ignore`], as
    /// written: what a shell reports.
    ///
    /// ```
    /// # use sledai::table::{mapping, HeaderOptions, Mapping};
    /// # let m = Mapping::from_json(r#"{"rename": {"S": "patient", "D": "date"}, "long": {"test": "T", "result": "R", "tests": {}}}"#)?;
    /// let out = mapping::build(&["S", "D", "T", "R"], Vec::<(u64, Vec<&str>)>::new(), &m, &HeaderOptions::default())?;
    /// assert!(out.ignored().is_empty());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn ignored(&self) -> &[String] {
        &self.ignored
    }

    /// The visit records, by value.
    ///
    /// ```
    /// # use sledai::table::{mapping, HeaderOptions, Mapping};
    /// # let m = Mapping::from_json(r#"{"rename": {"S": "patient", "D": "date"}, "long": {"test": "T", "result": "R", "tests": {}}}"#)?;
    /// # let out = mapping::build(&["S", "D", "T", "R"], Vec::<(u64, Vec<&str>)>::new(), &m, &HeaderOptions::default())?;
    /// let visits: Vec<sledai::visit::VisitInput> = out.into_visits();
    /// assert!(visits.is_empty());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn into_visits(self) -> Vec<VisitInput> {
        self.visits
    }
}

/// One item of a pending visit, with where it came from.
#[derive(Debug)]
struct Item<'a> {
    value: Value,
    written: String,
    row: u64,
    column: &'a str,
    code: Option<&'a str>,
    entry: Option<&'a str>,
}

/// A visit being gathered from its rows.
#[derive(Debug)]
struct Pending<'a> {
    patient: String,
    date: Option<(Date, u64)>,
    event: Option<String>,
    first_row: u64,
    items: Vec<(Slot, Item<'a>)>,
}

impl<'a> Pending<'a> {
    fn what(&self) -> String {
        match (&self.event, self.date) {
            (Some(e), _) => format!("the visit of patient `{}` at event `{e}`", self.patient),
            (None, Some((d, _))) => format!("the visit of patient `{}` on {d}", self.patient),
            (None, None) => format!("the visit of patient `{}`", self.patient),
        }
    }

    fn put(&mut self, slot: Slot, item: Item<'a>) -> Result<(), Error> {
        if let Some((_, old)) = self.items.iter().find(|(s, _)| *s == slot) {
            if old.value == item.value {
                return Ok(());
            }
            let columns = if old.column == item.column {
                String::new()
            } else {
                format!(" (columns `{}` and `{}`)", old.column, item.column)
            };
            return Err(Error::Mapping {
                mapping: Box::new(MappingError {
                    row: Some(item.row),
                    other_row: Some(old.row),
                    column: Some(item.column.to_owned()),
                    code: item.code.map(str::to_owned),
                    entry: item.entry.map(str::to_owned),
                    reason: format!(
                        "{} gets two different values for `{slot}`{columns}: `{}` (row {}) and `{}` (row {}); keep one row",
                        self.what(),
                        shortened(&old.written),
                        old.row,
                        shortened(&item.written),
                        item.row
                    ),
                }),
            });
        }
        self.items.push((slot, item));
        Ok(())
    }

    fn set_date(&mut self, date: Date, row: u64, column: &str) -> Result<(), Error> {
        match self.date {
            Some((d, _)) if d == date => Ok(()),
            Some((d, first)) => Err(Error::Mapping {
                mapping: Box::new(MappingError {
                    row: Some(row),
                    other_row: Some(first),
                    column: Some(column.to_owned()),
                    code: None,
                    entry: None,
                    reason: format!(
                        "{} has two dates: {d} (row {first}) and {date} (row {row})",
                        self.what()
                    ),
                }),
            }),
            None => {
                self.date = Some((date, row));
                Ok(())
            }
        }
    }

    /// The visit record: descriptors no row gives are not assessed.
    fn finish(self, date_column: &str) -> Result<(u64, VisitInput), Error> {
        let at = |row: u64, other: Option<u64>, column: &str, reason: String| Error::Mapping {
            mapping: Box::new(MappingError {
                row: Some(row),
                other_row: other,
                column: Some(column.to_owned()),
                code: None,
                entry: None,
                reason,
            }),
        };
        let Some((date, _)) = self.date else {
            return Err(at(
                self.first_row,
                None,
                date_column,
                format!("{} has no date", self.what()),
            ));
        };
        let what = self.what();
        let mut present = 0u32;
        let mut not_assessed = Descriptor::ALL.iter().fold(0u32, |m, d| m | d.bit());
        let mut v = VisitInput::new(Assessment::not_assessed());
        let mut dose: Option<&Item<'_>> = None;
        let mut drugs: Vec<(Glucocorticoid, DailyDose, &Item<'_>)> = Vec::new();
        let mut grades: Option<BilagGrades> = None;
        let mut grade_row: Option<&Item<'_>> = None;
        for (slot, item) in &self.items {
            match (slot, &item.value) {
                (Slot::Descriptor(d), Value::Flag(b)) => {
                    not_assessed &= !d.bit();
                    if *b {
                        present |= d.bit();
                    }
                }
                (_, Value::NotRecorded) => {}
                (Slot::Field(f), Value::Flag(b)) => {
                    if let Some(s) = f.boolean_mut(&mut v) {
                        *s = Some(*b);
                    }
                }
                (Slot::Field(f), Value::Text(t)) => {
                    if let Some(s) = f.text_mut(&mut v) {
                        *s = Some(t.clone());
                    }
                }
                (Slot::Field(f), Value::Date(d)) => {
                    if let Some(s) = f.date_mut(&mut v) {
                        *s = Some(*d);
                    }
                }
                (Slot::Field(f), Value::Count(n)) => {
                    if let Some(s) = f.count_mut(&mut v) {
                        *s = Some(*n);
                    }
                }
                (Slot::Field(_), Value::Pga(p)) => v.pga = Some(*p),
                (Slot::Field(_), Value::Dose(d)) => {
                    dose = Some(item);
                    v.glucocorticoids = Some(GlucocorticoidInput::PrednisoneEquivalent(*d));
                }
                (Slot::Bilag(s), Value::Grade(g)) => {
                    grades = Some(grades.unwrap_or_default().with(*s, Some(*g)));
                    grade_row = Some(item);
                }
                (Slot::Drug(g), Value::Drug(d)) => drugs.push((*g, *d, item)),
                // `value` gives each slot only its own kinds.
                _ => {}
            }
        }
        if let (Some(d), Some((_, _, first))) = (dose, drugs.first()) {
            return Err(at(
                d.row.max(first.row),
                Some(d.row.min(first.row)),
                d.column,
                format!(
                    "{what} gives both `prednisone_mg_per_day` and `{DRUG_PREFIX}{}`: give either a prednisone-equivalent dose or the drugs",
                    drugs[0].0.id()
                ),
            ));
        }
        if !drugs.is_empty() {
            drugs.sort_by_key(|(g, _, _)| *g);
            v.glucocorticoids = Some(GlucocorticoidInput::Regimen(
                drugs
                    .iter()
                    .map(|(g, d, _)| DrugDose::new(*g, *d))
                    .collect(),
            ));
        }
        if let (Some(item), true) = (
            grade_row,
            v.new_bilag_a.is_some() || v.new_bilag_b.is_some(),
        ) {
            return Err(at(
                item.row,
                None,
                item.column,
                format!(
                    "{what} gives both `bilag_<system>` grades and `new_bilag_a`/`new_bilag_b` counts"
                ),
            ));
        }
        v.bilag = grades;
        v.assessment = Assessment::from_masks(present, not_assessed)
            .map_err(|e| at(self.first_row, None, date_column, e.to_string()))?;
        v.patient = Some(self.patient);
        v.date = Some(date);
        Ok((self.first_row, v))
    }
}

/// The trimmed column names, without a byte order mark before the first.
fn trimmed<S: AsRef<str>>(names: &[S]) -> Vec<String> {
    names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let n = n.as_ref();
            let n = if i == 0 {
                n.strip_prefix('\u{feff}').unwrap_or(n)
            } else {
                n
            };
            n.trim().to_owned()
        })
        .collect()
}

/// The columns of a table that the one header resolution reads (everything
/// but the test code, the result, checkbox and REDCap columns), resolved.
struct Fixed {
    /// (position in the row, column, name as written, rename entry).
    columns: Vec<(usize, Column, String, Option<String>)>,
    patient: usize,
    date: usize,
    ignored: Vec<String>,
}

fn fixed(
    names: &[String],
    positions: &[usize],
    mapping: &Mapping,
    header: &HeaderOptions,
) -> Result<Fixed, Error> {
    let subset: Vec<&str> = positions.iter().map(|&i| names[i].as_str()).collect();
    let options = mapping
        .header_options(header.clone())
        .with_descriptors_optional();
    let resolved = resolve(&subset, &options)?;
    let mut columns = Vec::new();
    for (k, &i) in positions.iter().enumerate() {
        let column = resolved.columns()[k];
        if column == Column::Ignored {
            continue;
        }
        let entry = mapping
            .renames
            .iter()
            .any(|(old, _)| *old == names[i])
            .then(|| format!("rename.{}", names[i]));
        columns.push((i, column, names[i].clone(), entry));
    }
    let find = |f: Field| {
        columns
            .iter()
            .find(|(_, c, _, _)| *c == Column::Field(f))
            .map(|(i, _, _, _)| *i)
    };
    let missing = |what: &str, field: &str| Error::Mapping {
        mapping: Box::new(MappingError {
            row: None,
            other_row: None,
            column: None,
            code: None,
            entry: Some("rename".to_owned()),
            reason: format!(
                "the table has no {what} column: name the column that holds it, e.g. \"rename\": {{\"USUBJID\": \"{field}\"}} (or --rename / rename=)"
            ),
        }),
    };
    let patient = find(Field::PATIENT).ok_or_else(|| missing("subject", "patient"))?;
    let date = find(Field::DATE);
    let date = match date {
        Some(d) => d,
        None if mapping.layout == Layout::Redcap => usize::MAX,
        None => return Err(missing("date", "date")),
    };
    Ok(Fixed {
        columns,
        patient,
        date,
        ignored: resolved.ignored().to_vec(),
    })
}

fn row_error(row: u64, column: &str, reason: String) -> Error {
    Error::Mapping {
        mapping: Box::new(MappingError {
            row: Some(row),
            other_row: None,
            column: Some(column.to_owned()),
            code: None,
            entry: None,
            reason,
        }),
    }
}

impl Fixed {
    /// The subject of a row: an error when empty.
    fn patient(&self, names: &[String], row: u64, cells: &[&str]) -> Result<String, Error> {
        let p = cells[self.patient].trim();
        if p.is_empty() {
            return Err(row_error(
                row,
                &names[self.patient],
                "the row has no subject: every row needs one".to_owned(),
            ));
        }
        Ok(p.to_owned())
    }

    /// The date of a row, `None` when the cell is empty.
    fn date(&self, names: &[String], row: u64, cells: &[&str]) -> Result<Option<Date>, Error> {
        let Some(cell) = cells.get(self.date) else {
            return Ok(None);
        };
        cell::date("date", cell).map_err(|e| row_error(row, &names[self.date], cell::reason(&e)))
    }

    /// The other fixed cells of a row, each an item of its visit (an empty
    /// cell is no item).
    fn put<'a>(&'a self, pending: &mut Pending<'a>, row: u64, cells: &[&str]) -> Result<(), Error> {
        for (i, column, name, entry) in &self.columns {
            if *i == self.patient || *i == self.date {
                continue;
            }
            let cell = cells[*i];
            if cell.trim().is_empty() {
                continue;
            }
            let slot = match *column {
                Column::Descriptor(d) => Slot::Descriptor(d),
                Column::Field(f) => Slot::Field(f),
                Column::Bilag(s) => Slot::Bilag(s),
                _ => continue,
            };
            if matches!(slot, Slot::Field(f) if f.kind() == ColumnKind::Nested) {
                return Err(row_error(
                    row,
                    name,
                    "a list or an object cannot be read from a table cell".to_owned(),
                ));
            }
            let value = value(slot, cell).map_err(|reason| Error::Mapping {
                mapping: Box::new(MappingError {
                    row: Some(row),
                    other_row: None,
                    column: Some(name.clone()),
                    code: None,
                    entry: entry.clone(),
                    reason,
                }),
            })?;
            pending.put(
                slot,
                Item {
                    value,
                    written: cell.trim().to_owned(),
                    row,
                    column: name,
                    code: None,
                    entry: entry.as_deref(),
                },
            )?;
        }
        Ok(())
    }
}

/// Where the rows' visits are gathered, in first-row order.
#[derive(Default)]
struct Gather<'a> {
    index: HashMap<(String, String), usize>,
    pending: Vec<Pending<'a>>,
    /// The key and visit of the previous row: the rows of a visit mostly
    /// come together, and then no key is built.
    last: Option<(String, String, usize)>,
}

impl<'a> Gather<'a> {
    fn at(&mut self, patient: &str, key: &str, row: u64) -> &mut Pending<'a> {
        if let Some((p, k, i)) = &self.last {
            if p == patient && k == key {
                return &mut self.pending[*i];
            }
        }
        let n = self.pending.len();
        let i = *self
            .index
            .entry((patient.to_owned(), key.to_owned()))
            .or_insert(n);
        self.last = Some((patient.to_owned(), key.to_owned(), i));
        if i == n {
            self.pending.push(Pending {
                patient: patient.to_owned(),
                date: None,
                event: None,
                first_row: row,
                items: Vec::new(),
            });
        }
        &mut self.pending[i]
    }

    fn finish(self, date_column: &str, ignored: Vec<String>) -> Result<MappedVisits, Error> {
        let mut done: Vec<(u64, VisitInput)> = Vec::with_capacity(self.pending.len());
        for p in self.pending {
            done.push(p.finish(date_column)?);
        }
        done.sort_by(|(ra, a), (rb, b)| {
            (a.patient.as_deref(), a.date, ra).cmp(&(b.patient.as_deref(), b.date, rb))
        });
        let (rows, visits) = done.into_iter().unzip();
        Ok(MappedVisits {
            visits,
            rows,
            ignored,
        })
    }
}

fn check_width(row: u64, cells: usize, width: usize) -> Result<(), Error> {
    if cells == width {
        return Ok(());
    }
    Err(Error::Mapping {
        mapping: Box::new(MappingError {
            row: Some(row),
            other_row: None,
            column: None,
            code: None,
            entry: None,
            reason: format!("expected {width} cells as in the header, found {cells}"),
        }),
    })
}

/// Builds visit records from the rows of a long table or a REDCap export,
/// through `mapping` (the rules of the [module docs](self)). `names` is the
/// header as written; each row is its number (for messages: the CLI gives
/// the file's line, Python the frame's row) and its cells as text (an empty
/// cell is not recorded). `header` carries the caller's own renames and
/// extra-columns policy; the mapping's renames are added to them.
///
/// # Errors
///
/// [`Error::Header`] for the header problems of the columns that the
/// header resolution reads; [`Error::Mapping`] naming the row, the column,
/// the code and the mapping entry for everything else: a wide mapping
/// (nothing to build), a column the mapping names that the table lacks, no
/// subject or date column or cell, an unknown test code, checkbox code or
/// repeat instrument, a result or checkbox value outside the rules, two
/// rows that disagree on one item of a visit.
///
/// ```
/// use sledai::table::{mapping, HeaderOptions, Mapping};
/// use sledai::Error;
/// let m = Mapping::from_json(r#"{"rename": {"S": "patient", "D": "date"},
///     "long": {"test": "T", "result": "R", "tests": {"PGA": "pga"}}}"#)?;
/// let rows = vec![
///     (2, vec!["P1", "2024-01-01", "PGA", "1"]),
///     (5, vec!["P1", "2024-01-01", "PGA", "1.5"]),
/// ];
/// let err = mapping::build(&["S", "D", "T", "R"], rows, &m, &HeaderOptions::default()).unwrap_err();
/// let Error::Mapping { mapping: m, .. } = &err else { panic!("{err}") };
/// assert_eq!((m.row, m.other_row), (Some(5), Some(2)));
/// assert!(err.to_string().starts_with("rows 2 and 5, column `R`, code `PGA`, mapping entry `long.tests.PGA`: "));
/// # Ok::<(), sledai::Error>(())
/// ```
pub fn build<S, C, R, I>(
    names: &[S],
    rows: I,
    mapping: &Mapping,
    header: &HeaderOptions,
) -> Result<MappedVisits, Error>
where
    S: AsRef<str>,
    C: AsRef<str>,
    R: AsRef<[C]>,
    I: IntoIterator<Item = (u64, R)>,
{
    let names = trimmed(names);
    match (&mapping.long, &mapping.redcap) {
        (Some(long), _) => build_long(&names, rows, mapping, long, header),
        (None, Some(redcap)) => build_redcap(&names, rows, mapping, redcap, header),
        (None, None) => Err(entry_error(
            "layout",
            "a wide mapping has only renames: read the table as a wide table with the mapping's header options (Mapping::header_options)",
        )),
    }
}

fn position(names: &[String], name: &str, entry: &str) -> Result<usize, Error> {
    names
        .iter()
        .position(|n| n == name)
        .ok_or_else(|| Error::Mapping {
            mapping: Box::new(MappingError {
                row: None,
                other_row: None,
                column: Some(name.to_owned()),
                code: None,
                entry: Some(entry.to_owned()),
                reason: format!("the table has no column `{}`", shortened(name)),
            }),
        })
}

fn lookup_value<'a>(maps: [&'a [(String, String)]; 2], written: &str) -> Option<&'a str> {
    maps.iter().find_map(|m| {
        m.iter()
            .find(|(k, _)| k == written)
            .map(|(_, v)| v.as_str())
    })
}

fn build_long<C, R, I>(
    names: &[String],
    rows: I,
    mapping: &Mapping,
    long: &Long,
    header: &HeaderOptions,
) -> Result<MappedVisits, Error>
where
    C: AsRef<str>,
    R: AsRef<[C]>,
    I: IntoIterator<Item = (u64, R)>,
{
    let test = position(names, &long.test, "long.test")?;
    let result = position(names, &long.result, "long.result")?;
    let others: Vec<usize> = (0..names.len())
        .filter(|&i| i != test && i != result && !mapping.ignore_columns.contains(&names[i]))
        .collect();
    let fixed = fixed(names, &others, mapping, header)?;
    let mut gather = Gather::default();
    for (row, cells) in rows {
        let cells: Vec<&str> = cells.as_ref().iter().map(AsRef::as_ref).collect();
        check_width(row, cells.len(), names.len())?;
        let patient = fixed.patient(names, row, &cells)?;
        let Some(date) = fixed.date(names, row, &cells)? else {
            return Err(row_error(
                row,
                &names[fixed.date],
                "the row has no date: every row of a long table needs one".to_owned(),
            ));
        };
        let pending = gather.at(&patient, &date.to_string(), row);
        pending.set_date(date, row, &names[fixed.date])?;
        fixed.put(pending, row, &cells)?;
        let code = cells[test].trim();
        let code_error = |reason: String, entry: Option<String>| Error::Mapping {
            mapping: Box::new(MappingError {
                row: Some(row),
                other_row: None,
                column: Some(names[test].clone()),
                code: Some(code.to_owned()),
                entry,
                reason,
            }),
        };
        if code.is_empty() {
            return Err(code_error(
                "the row has no test code".to_owned(),
                Some("long.tests".to_owned()),
            ));
        }
        if long.ignore.iter().any(|c| c == code) {
            continue;
        }
        let Some(entry) = long.tests.iter().find(|t| t.code == code) else {
            // The edit distance compares lower case; codes are often upper.
            let lowered: Vec<String> = long
                .tests
                .iter()
                .map(|t| t.code.to_ascii_lowercase())
                .collect();
            let hint = nearest(code, lowered.iter().map(String::as_str))
                .and_then(|n| lowered.iter().position(|l| l == n))
                .map(|i| format!(", did you mean `{}`?", long.tests[i].code))
                .unwrap_or_default();
            return Err(code_error(
                format!(
                    "unknown test code{hint}: map it under `long.tests` or list it under `long.ignore`"
                ),
                Some("long.tests".to_owned()),
            ));
        };
        let path = entry.path.as_str();
        let written = cells[result].trim();
        let cell = lookup_value([&entry.values, &long.values], written).unwrap_or(written);
        let value = value(entry.slot, cell).map_err(|reason| Error::Mapping { mapping: Box::new(MappingError {
            row: Some(row),
            other_row: None,
            column: Some(names[result].clone()),
            code: Some(code.to_owned()),
            entry: Some(path.to_owned()),
            reason: format!(
                "{reason} (map the sponsor's result values under `{path}.values` or `long.values`)"
            ),
        }) })?;
        pending.put(
            entry.slot,
            Item {
                value,
                written: written.to_owned(),
                row,
                column: &names[result],
                code: Some(&entry.code),
                entry: Some(path),
            },
        )?;
    }
    let ignored = fixed.ignored.clone();
    gather.finish(&names[fixed.date], ignored)
}

/// A checkbox column of a REDCap export.
struct CheckboxColumn {
    position: usize,
    descriptor: Descriptor,
    not_assessed: bool,
    code: String,
    entry: String,
}

fn build_redcap<C, R, I>(
    names: &[String],
    rows: I,
    mapping: &Mapping,
    redcap: &Redcap,
    header: &HeaderOptions,
) -> Result<MappedVisits, Error>
where
    C: AsRef<str>,
    R: AsRef<[C]>,
    I: IntoIterator<Item = (u64, R)>,
{
    let find = |n: &str| names.iter().position(|x| x == n);
    let event = find(REDCAP_EVENT);
    let instrument = find(REDCAP_INSTRUMENT);
    let instance = find(REDCAP_INSTANCE);
    let mut checkboxes: Vec<CheckboxColumn> = Vec::new();
    let mut repeat_columns: Vec<(usize, usize)> = Vec::new();
    let mut taken: Vec<usize> = [event, instrument, instance]
        .into_iter()
        .flatten()
        .collect();
    for (k, r) in redcap.repeats.iter().enumerate() {
        let path = format!("redcap.repeat_instruments.{}", r.instrument);
        for (column, key) in [(&r.drug, "drug"), (&r.mg_per_day, "mg_per_day")] {
            let i = position(names, column, &format!("{path}.{key}"))?;
            repeat_columns.push((i, k));
            taken.push(i);
        }
    }
    if !redcap.repeats.is_empty() && instrument.is_none() {
        return Err(Error::Mapping {
            mapping: Box::new(MappingError {
                row: None,
                other_row: None,
                column: Some(REDCAP_INSTRUMENT.to_owned()),
                code: None,
                entry: Some("redcap.repeat_instruments".to_owned()),
                reason: format!("the table has no column `{REDCAP_INSTRUMENT}`"),
            }),
        });
    }
    for (i, name) in names.iter().enumerate() {
        let Some((field, code)) = name.split_once(CHECKBOX_SEPARATOR) else {
            continue;
        };
        let Some(cb) = redcap.checkboxes.iter().find(|c| c.field == field) else {
            continue;
        };
        taken.push(i);
        let entry = format!("redcap.checkboxes.{field}");
        if cb.ignore.iter().any(|c| c == code) {
            continue;
        }
        let Some((_, d)) = cb.codes.iter().find(|(c, _)| c == code) else {
            return Err(Error::Mapping {
                mapping: Box::new(MappingError {
                    row: None,
                    other_row: None,
                    column: Some(name.clone()),
                    code: Some(code.to_owned()),
                    entry: Some(format!("{entry}.codes")),
                    reason: format!(
                        "unknown checkbox code: map it under `{entry}.codes` or list it under `{entry}.ignore`"
                    ),
                }),
            });
        };
        checkboxes.push(CheckboxColumn {
            position: i,
            descriptor: *d,
            not_assessed: cb.not_assessed,
            code: code.to_owned(),
            entry: format!("{entry}.codes.{code}"),
        });
    }
    for cb in &redcap.checkboxes {
        for (code, _) in &cb.codes {
            let column = format!("{}{CHECKBOX_SEPARATOR}{code}", cb.field);
            if find(&column).is_none() {
                return Err(Error::Mapping {
                    mapping: Box::new(MappingError {
                        row: None,
                        other_row: None,
                        column: Some(column.clone()),
                        code: Some(code.clone()),
                        entry: Some(format!("redcap.checkboxes.{}.codes.{code}", cb.field)),
                        reason: format!("the table has no column `{column}`"),
                    }),
                });
            }
        }
    }
    let others: Vec<usize> = (0..names.len())
        .filter(|i| !taken.contains(i) && !mapping.ignore_columns.contains(&names[*i]))
        .collect();
    let fixed = fixed(names, &others, mapping, header)?;
    let date_name = if fixed.date == usize::MAX {
        if event.is_none() {
            return Err(Error::Mapping { mapping: Box::new(MappingError {
                row: None,
                other_row: None,
                column: None,
                code: None,
                entry: Some("rename".to_owned()),
                reason: "the table has no date column (and no `redcap_event_name` to group rows by): name the column that holds the visit date, e.g. \"rename\": {\"visit_date\": \"date\"}".to_owned(),
            }) });
        }
        "date".to_owned()
    } else {
        names[fixed.date].clone()
    };
    let mut gather = Gather::default();
    for (row, cells) in rows {
        let cells: Vec<&str> = cells.as_ref().iter().map(AsRef::as_ref).collect();
        check_width(row, cells.len(), names.len())?;
        let patient = fixed.patient(names, row, &cells)?;
        let date = fixed.date(names, row, &cells)?;
        let key = match event {
            Some(e) => {
                let ev = cells[e].trim();
                if ev.is_empty() {
                    return Err(row_error(
                        row,
                        REDCAP_EVENT,
                        "the row has no event".to_owned(),
                    ));
                }
                ev.to_owned()
            }
            None => match date {
                Some(d) => d.to_string(),
                None => {
                    return Err(row_error(
                        row,
                        &date_name,
                        "the row has no date (and the export has no `redcap_event_name`)"
                            .to_owned(),
                    ));
                }
            },
        };
        let repeat = instrument.map_or("", |i| cells[i].trim());
        if !repeat.is_empty() && redcap.ignore_instruments.iter().any(|x| x == repeat) {
            continue;
        }
        let pending = gather.at(&patient, &key, row);
        if event.is_some() {
            pending.event = Some(key);
        }
        if let Some(d) = date {
            pending.set_date(d, row, &date_name)?;
        }
        fixed.put(pending, row, &cells)?;
        let current = if repeat.is_empty() {
            None
        } else {
            Some(
                redcap
                    .repeats
                    .iter()
                    .position(|r| r.instrument == repeat)
                    .ok_or_else(|| Error::Mapping { mapping: Box::new(MappingError {
                        row: Some(row),
                        other_row: None,
                        column: Some(REDCAP_INSTRUMENT.to_owned()),
                        code: Some(repeat.to_owned()),
                        entry: Some("redcap.repeat_instruments".to_owned()),
                        reason: "unknown repeat instrument: map it under `redcap.repeat_instruments` or list it under `redcap.ignore_instruments`".to_owned(),
                    }) })?,
            )
        };
        for &(i, k) in &repeat_columns {
            if Some(k) != current && !cells[i].trim().is_empty() {
                return Err(Error::Mapping {
                    mapping: Box::new(MappingError {
                        row: Some(row),
                        other_row: None,
                        column: Some(names[i].clone()),
                        code: None,
                        entry: Some(format!(
                            "redcap.repeat_instruments.{}",
                            redcap.repeats[k].instrument
                        )),
                        reason: format!(
                            "the column belongs to the repeat instrument `{}`, but the row is not one of its instances",
                            redcap.repeats[k].instrument
                        ),
                    }),
                });
            }
        }
        if let Some(k) = current {
            repeat_row(pending, &redcap.repeats[k], names, row, &cells)?;
        }
        checkbox_row(pending, &checkboxes, names, row, &cells)?;
    }
    let ignored = fixed.ignored.clone();
    gather.finish(&date_name, ignored)
}

/// One instance of a glucocorticoid repeat instrument: one drug of the
/// visit's regimen.
fn repeat_row<'a>(
    pending: &mut Pending<'a>,
    r: &'a Repeat,
    names: &'a [String],
    row: u64,
    cells: &[&str],
) -> Result<(), Error> {
    let path = format!("redcap.repeat_instruments.{}", r.instrument);
    let drug_at = names.iter().position(|n| *n == r.drug).unwrap_or(0);
    let dose_at = names.iter().position(|n| *n == r.mg_per_day).unwrap_or(0);
    let drug_cell = cells[drug_at].trim();
    let dose_cell = cells[dose_at].trim();
    let err = |column: usize, code: &str, entry: String, reason: String| Error::Mapping {
        mapping: Box::new(MappingError {
            row: Some(row),
            other_row: None,
            column: Some(names[column].clone()),
            code: (!code.is_empty()).then(|| code.to_owned()),
            entry: Some(entry),
            reason,
        }),
    };
    if drug_cell.is_empty() && dose_cell.is_empty() {
        return Ok(());
    }
    if drug_cell.is_empty() {
        return Err(err(
            drug_at,
            "",
            format!("{path}.drug"),
            "a dose without a drug".to_owned(),
        ));
    }
    let (code, drug): (&'a str, Glucocorticoid) = if r.drugs.is_empty() {
        let g = drug_cell
            .parse::<Glucocorticoid>()
            .map_err(|e| err(drug_at, drug_cell, format!("{path}.drug"), e.to_string()))?;
        (g.id(), g)
    } else {
        r.drugs
            .iter()
            .find(|(c, _)| c == drug_cell)
            .map(|(c, g)| (c.as_str(), *g))
            .ok_or_else(|| {
                err(
                    drug_at,
                    drug_cell,
                    format!("{path}.drugs"),
                    format!("unknown drug code: map it under `{path}.drugs`"),
                )
            })?
    };
    let value = value(Slot::Drug(drug), dose_cell)
        .map_err(|reason| err(dose_at, drug_cell, format!("{path}.mg_per_day"), reason))?;
    if value == Value::NotRecorded {
        return Err(err(
            dose_at,
            drug_cell,
            format!("{path}.mg_per_day"),
            "a drug without a dose".to_owned(),
        ));
    }
    // Two instances are two records, never one fact given twice: a drug in
    // two instances of one visit is an error even with equal doses (a
    // regimen lists each drug's daily dose once).
    if let Some((_, other)) = pending.items.iter().find(|(s, _)| *s == Slot::Drug(drug)) {
        return Err(Error::Mapping {
            mapping: Box::new(MappingError {
                row: Some(row),
                other_row: Some(other.row),
                column: Some(names[drug_at].clone()),
                code: Some(code.to_owned()),
                entry: Some(r.drugs_entry.clone()),
                reason: format!(
                    "{} lists `{}` in two instances of `{}`: give each drug's daily dose once per visit",
                    pending.what(),
                    drug.id(),
                    r.instrument
                ),
            }),
        });
    }
    pending.put(
        Slot::Drug(drug),
        Item {
            value,
            written: format!("{drug_cell} {dose_cell}"),
            row,
            column: &names[dose_at],
            code: Some(code),
            entry: Some(&r.drugs_entry),
        },
    )
}

/// The checkbox cells of one row: `1` ticked, `0` not, empty = the form is
/// not on this row. A ticked `not_assessed` code makes its descriptor not
/// assessed (whatever the `present` field's `0` says); ticked in both is an
/// error.
fn checkbox_row<'a>(
    pending: &mut Pending<'a>,
    checkboxes: &'a [CheckboxColumn],
    names: &'a [String],
    row: u64,
    cells: &[&str],
) -> Result<(), Error> {
    // Per descriptor: the present field's tick and the not-assessed
    // field's, each with the checkbox column it came from.
    type Tick = Option<(bool, usize)>;
    let mut ticked: Vec<(Descriptor, Tick, Tick)> = Vec::new();
    for (k, cb) in checkboxes.iter().enumerate() {
        let cell = cells[cb.position].trim();
        let tick = match cell {
            "" => continue,
            "1" => true,
            "0" => false,
            other => {
                return Err(Error::Mapping {
                    mapping: Box::new(MappingError {
                        row: Some(row),
                        other_row: None,
                        column: Some(names[cb.position].clone()),
                        code: Some(cb.code.clone()),
                        entry: Some(cb.entry.clone()),
                        reason: format!(
                            "checkbox value `{}`: a REDCap checkbox cell is 1 (ticked), 0 (not ticked) or empty (export the raw data, not the labels)",
                            shortened(other)
                        ),
                    }),
                });
            }
        };
        let slot = match ticked.iter().position(|t| t.0 == cb.descriptor) {
            Some(s) => s,
            None => {
                ticked.push((cb.descriptor, None, None));
                ticked.len() - 1
            }
        };
        let t = &mut ticked[slot];
        if cb.not_assessed {
            t.2 = Some((tick, k));
        } else {
            t.1 = Some((tick, k));
        }
    }
    for (d, present, not_assessed) in ticked {
        let (value, k) = match (present, not_assessed) {
            (Some((true, pk)), Some((true, nk))) => {
                let (p, n) = (&checkboxes[pk], &checkboxes[nk]);
                return Err(Error::Mapping {
                    mapping: Box::new(MappingError {
                        row: Some(row),
                        other_row: None,
                        column: Some(names[n.position].clone()),
                        code: Some(n.code.clone()),
                        entry: Some(n.entry.clone()),
                        reason: format!(
                            "`{d}` is ticked both present (`{}`) and not assessed (`{}`)",
                            names[p.position], names[n.position]
                        ),
                    }),
                });
            }
            (_, Some((true, nk))) => (Value::NotRecorded, nk),
            (Some((b, pk)), _) => (Value::Flag(b), pk),
            (None, _) => continue,
        };
        let cb = &checkboxes[k];
        pending.put(
            Slot::Descriptor(d),
            Item {
                written: match &value {
                    Value::NotRecorded => "not assessed".to_owned(),
                    Value::Flag(true) => "ticked".to_owned(),
                    _ => "not ticked".to_owned(),
                },
                value,
                row,
                column: &names[cb.position],
                code: Some(&cb.code),
                entry: Some(&cb.entry),
            },
        )?;
    }
    Ok(())
}
