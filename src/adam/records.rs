//! The record of the dataset and its layout: the variables in order
//! ([`VARIABLES`]), each record's cells ([`Record::cells`]) and how a cell
//! is written in CSV ([`Cell::write_csv`]) and JSON (the record's serde).
//! The command-line tool and the Python package write this layout; they
//! name no variable and render no cell of their own.

use crate::date::Date;
use crate::vocabulary::vocabulary;

vocabulary! {
    /// Why `AVAL` / `AVALC` (variable `AVALRSN`) or `CRIT1FL` (variable
    /// `CRIT1RSN`) is empty. A missing or indeterminate value is never 0.
    ///
    /// ```
    /// use sledai::adam::MissingReason;
    /// assert_eq!(MissingReason::NotAssessed.id(), "not_assessed");
    /// ```
    pub enum MissingReason, field = "missing_reason", path = "sledai::adam::MissingReason" {
        /// A descriptor, or an item of a total, was not assessed (a total
        /// is then a range: `AVALLO` / `AVALHI`).
        NotAssessed = "not_assessed",
        /// The visit record does not give the value (PGA, dose).
        NotRecorded = "not_recorded",
        /// The state (LLDAS, DORIS, SRI-4) is indeterminate: a missing
        /// input could decide it either way.
        Indeterminate = "indeterminate",
        /// No visit lies in the analysis window (a `DTYPE = "PHANTOM"`
        /// record).
        NoVisitInWindow = "no_visit_in_window",
    }
}

/// The kind of a variable's cells: what a data frame column holds.
///
/// ```
/// use sledai::adam::{CellKind, VARIABLES};
/// assert_eq!(VARIABLES[3].kind, CellKind::Float); // AVAL
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CellKind {
    /// Text (`USUBJID`, `PARAMCD`, flags, ISO 8601 dates).
    Text,
    /// A whole number (days, `AVISITN`).
    Int,
    /// A double (`AVAL`, `BASE`, `CHG`, `PCHG`, the bounds).
    Float,
}

/// One variable of the layout: its name, its ADaM label and its kind.
///
/// ```
/// use sledai::adam::VARIABLES;
/// assert_eq!(VARIABLES[0].name, "USUBJID");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Variable {
    /// The variable name (at most 8 characters).
    pub name: &'static str,
    /// The label (ADaM IG v1.3 for the standard variables).
    pub label: &'static str,
    /// The kind of its cells.
    pub kind: CellKind,
}

const fn var(name: &'static str, label: &'static str, kind: CellKind) -> Variable {
    Variable { name, label, kind }
}

/// The number of variables.
pub const VARIABLE_COUNT: usize = 27;

/// The variables, in output order (`docs/adam.md` gives each one's
/// meaning).
///
/// ```
/// use sledai::adam::VARIABLES;
/// let names: Vec<&str> = VARIABLES.iter().map(|v| v.name).collect();
/// assert_eq!(names[..6], ["USUBJID", "PARAMCD", "PARAM", "AVAL", "AVALC", "AVALLO"]);
/// assert!(names.iter().all(|n| n.len() <= 8));
/// ```
pub const VARIABLES: [Variable; VARIABLE_COUNT] = [
    var("USUBJID", "Unique Subject Identifier", CellKind::Text),
    var("PARAMCD", "Parameter Code", CellKind::Text),
    var("PARAM", "Parameter", CellKind::Text),
    var("AVAL", "Analysis Value", CellKind::Float),
    var("AVALC", "Analysis Value (C)", CellKind::Text),
    var("AVALLO", "Analysis Value Lowest Possible", CellKind::Float),
    var("AVALHI", "Analysis Value Highest Possible", CellKind::Float),
    var(
        "AVALRSN",
        "Reason Analysis Value Is Missing",
        CellKind::Text,
    ),
    var("ADT", "Analysis Date", CellKind::Text),
    var("ADY", "Analysis Relative Day", CellKind::Int),
    var(
        "ADY0",
        "Analysis Day from Reference Date as Day 0",
        CellKind::Int,
    ),
    var("AVISIT", "Analysis Visit", CellKind::Text),
    var("AVISITN", "Analysis Visit (N)", CellKind::Int),
    var("AWTARGET", "Analysis Window Target", CellKind::Int),
    var("AWLO", "Analysis Window Beginning Timepoint", CellKind::Int),
    var("AWHI", "Analysis Window Ending Timepoint", CellKind::Int),
    var("ABLFL", "Baseline Record Flag", CellKind::Text),
    var("BASE", "Baseline Value", CellKind::Float),
    var("CHG", "Change from Baseline", CellKind::Float),
    var(
        "CHGLO",
        "Change from Baseline Lowest Possible",
        CellKind::Float,
    ),
    var(
        "CHGHI",
        "Change from Baseline Highest Possible",
        CellKind::Float,
    ),
    var("PCHG", "Percent Change from Baseline", CellKind::Float),
    var("ANL01FL", "Analysis Flag 01", CellKind::Text),
    var("CRIT1", "Analysis Criterion 1", CellKind::Text),
    var(
        "CRIT1FL",
        "Criterion 1 Evaluation Result Flag",
        CellKind::Text,
    ),
    var(
        "CRIT1RSN",
        "Reason Criterion 1 Flag Is Missing",
        CellKind::Text,
    ),
    var("DTYPE", "Derivation Type", CellKind::Text),
];

/// `CRIT1` on the SLEDAI-2K records it is evaluated on.
pub const CRIT1_SRI4: &str = "SRI-4 response (Furie 2009)";

/// `DTYPE` of a record standing for an analysis visit without a visit.
pub const DTYPE_PHANTOM: &str = "PHANTOM";

/// One record: one subject x parameter x analysis visit record.
///
/// Each field is one variable of [`VARIABLES`] (a flag is `true` for
/// `"Y"`, `false` for empty); `None` is an empty cell.
///
/// ```
/// use sledai::adam::{Cell, Record};
/// let r = Record::default();
/// assert_eq!(r.cells()[0], Cell::Text(""));
/// assert_eq!(r.cells()[3], Cell::Empty);
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct Record {
    /// `USUBJID`: the visit record's `patient`.
    pub usubjid: String,
    /// `PARAMCD`.
    pub paramcd: String,
    /// `PARAM`.
    pub param: String,
    /// `AVAL`; `None` when missing, indeterminate or a range.
    pub aval: Option<f64>,
    /// `AVALC`: `Y` / `N` (descriptors), `met` / `not_met` (LLDAS, DORIS).
    pub avalc: Option<&'static str>,
    /// `AVALLO`: the lowest value a range total can take.
    pub avallo: Option<f64>,
    /// `AVALHI`: the highest value a range total can take.
    pub avalhi: Option<f64>,
    /// `AVALRSN`: why `AVAL` is empty.
    pub avalrsn: Option<MissingReason>,
    /// `ADT`: the visit date.
    pub adt: Option<Date>,
    /// `ADY`: the day in the options' convention.
    pub ady: Option<i32>,
    /// `ADY0`: the day with the reference date as day 0 (`sledai cohort`'s
    /// `study_day`).
    pub ady0: Option<i32>,
    /// `AVISIT`.
    pub avisit: Option<String>,
    /// `AVISITN`.
    pub avisitn: Option<i32>,
    /// `AWTARGET`, in `ADY` terms.
    pub awtarget: Option<i32>,
    /// `AWLO`, in `ADY` terms.
    pub awlo: Option<i32>,
    /// `AWHI`, in `ADY` terms.
    pub awhi: Option<i32>,
    /// `ABLFL`.
    pub ablfl: bool,
    /// `BASE`: `AVAL` of the subject's baseline record of the parameter.
    pub base: Option<f64>,
    /// `CHG = AVAL - BASE`.
    pub chg: Option<f64>,
    /// `CHGLO`: the lowest change a range total allows.
    pub chglo: Option<f64>,
    /// `CHGHI`: the highest change a range total allows.
    pub chghi: Option<f64>,
    /// `PCHG = 100 * CHG / BASE`; `None` when `BASE` is 0.
    pub pchg: Option<f64>,
    /// `ANL01FL`.
    pub anl01fl: bool,
    /// `CRIT1`: [`CRIT1_SRI4`] where SRI-4 is evaluated.
    pub crit1: Option<&'static str>,
    /// `CRIT1FL`: `Y` met, `N` not met, empty when indeterminate.
    pub crit1fl: Option<bool>,
    /// `CRIT1RSN`: why `CRIT1FL` is empty where `CRIT1` is given.
    pub crit1rsn: Option<MissingReason>,
    /// `DTYPE`: [`DTYPE_PHANTOM`] for an analysis visit without a visit.
    pub dtype: Option<&'static str>,
}

/// One cell of a record.
///
/// ```
/// use sledai::adam::Cell;
/// let mut s = String::new();
/// Cell::Float(12.0).write_csv(&mut s);
/// s.push(',');
/// Cell::Float(-200.0 / 3.0).write_csv(&mut s);
/// s.push(',');
/// Cell::Text("Day 90, final").write_csv(&mut s);
/// assert_eq!(s, "12.0,-66.66666666666667,\"Day 90, final\"");
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Cell<'a> {
    /// An empty cell (missing, not applicable).
    Empty,
    /// Text.
    Text(&'a str),
    /// A whole number.
    Int(i64),
    /// A double.
    Float(f64),
    /// A date, written as ISO 8601 text (`2024-03-04`).
    Date(Date),
}

impl Cell<'_> {
    /// Writes the cell as a CSV field: empty as nothing; text quoted (with
    /// `"` doubled) when it holds `,`, `"`, CR or LF; a whole number in
    /// decimal; a double as the shortest decimal that reads back as it,
    /// with `.0` on a whole value (as pandas and polars write a float
    /// column, so a frame written to CSV equals this byte for byte).
    ///
    /// ```
    /// use sledai::adam::Cell;
    /// let mut s = String::new();
    /// Cell::Float(0.8).write_csv(&mut s);
    /// assert_eq!(s, "0.8");
    /// ```
    pub fn write_csv(&self, out: &mut String) {
        use core::fmt::Write;
        match *self {
            Cell::Empty => {}
            Cell::Text(t) => {
                if t.contains([',', '"', '\n', '\r']) {
                    out.push('"');
                    out.push_str(&t.replace('"', "\"\""));
                    out.push('"');
                } else {
                    out.push_str(t);
                }
            }
            Cell::Date(d) => {
                let _ = write!(out, "{d}");
            }
            Cell::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Cell::Float(x) => {
                let start = out.len();
                let _ = write!(out, "{x}");
                if x.is_finite() && !out[start..].contains(['.', 'e']) {
                    out.push_str(".0");
                }
            }
        }
    }
}

fn flag(b: bool) -> Cell<'static> {
    if b { Cell::Text("Y") } else { Cell::Empty }
}

fn text(s: Option<&str>) -> Cell<'_> {
    s.map_or(Cell::Empty, Cell::Text)
}

fn int(i: Option<i32>) -> Cell<'static> {
    i.map_or(Cell::Empty, |i| Cell::Int(i64::from(i)))
}

fn float(x: Option<f64>) -> Cell<'static> {
    x.map_or(Cell::Empty, Cell::Float)
}

impl Record {
    /// The cells, in the order of [`VARIABLES`].
    ///
    /// ```
    /// use sledai::adam::{Cell, Record};
    /// let mut r = Record::default();
    /// r.ablfl = true;
    /// assert_eq!(r.cells()[16], Cell::Text("Y"));
    /// ```
    pub fn cells(&self) -> [Cell<'_>; VARIABLE_COUNT] {
        [
            Cell::Text(&self.usubjid),
            Cell::Text(&self.paramcd),
            Cell::Text(&self.param),
            float(self.aval),
            text(self.avalc),
            float(self.avallo),
            float(self.avalhi),
            text(self.avalrsn.map(MissingReason::id)),
            self.adt.map_or(Cell::Empty, Cell::Date),
            int(self.ady),
            int(self.ady0),
            text(self.avisit.as_deref()),
            int(self.avisitn),
            int(self.awtarget),
            int(self.awlo),
            int(self.awhi),
            flag(self.ablfl),
            float(self.base),
            float(self.chg),
            float(self.chglo),
            float(self.chghi),
            float(self.pchg),
            flag(self.anl01fl),
            text(self.crit1),
            match self.crit1fl {
                Some(true) => Cell::Text("Y"),
                Some(false) => Cell::Text("N"),
                None => Cell::Empty,
            },
            text(self.crit1rsn.map(MissingReason::id)),
            text(self.dtype),
        ]
    }

    /// Appends the record as one CSV line (LF-terminated) to `out`.
    ///
    /// ```
    /// use sledai::adam::{Record, VARIABLE_COUNT};
    /// let mut line = String::new();
    /// Record::default().write_csv(&mut line);
    /// assert_eq!(line, ",".repeat(VARIABLE_COUNT - 1) + "\n");
    /// ```
    pub fn write_csv(&self, out: &mut String) {
        for (i, c) in self.cells().iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            c.write_csv(out);
        }
        out.push('\n');
    }
}

/// The CSV header line (LF-terminated): the names of [`VARIABLES`].
///
/// ```
/// assert!(sledai::adam::csv_header().starts_with("USUBJID,PARAMCD,PARAM,AVAL,"));
/// ```
pub fn csv_header() -> String {
    let mut s = VARIABLES.map(|v| v.name).join(",");
    s.push('\n');
    s
}

impl serde::Serialize for Record {
    /// An object of every variable in [`VARIABLES`] order: text as a
    /// string, numbers as numbers, an empty cell as `null`.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(VARIABLE_COUNT))?;
        for (v, c) in VARIABLES.iter().zip(self.cells()) {
            match c {
                Cell::Empty => m.serialize_entry(v.name, &None::<()>)?,
                Cell::Text(t) => m.serialize_entry(v.name, t)?,
                Cell::Date(d) => m.serialize_entry(v.name, &d)?,
                Cell::Int(i) => m.serialize_entry(v.name, &i)?,
                Cell::Float(x) => m.serialize_entry(v.name, &x)?,
            }
        }
        m.end()
    }
}
