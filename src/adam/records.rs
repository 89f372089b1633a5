//! The record of the dataset. Its layout (the variables in order, their
//! labels, kinds and cells, and the record's serde form) is
//! `table::output::adam_columns`, the one output layout of the crate; the
//! command-line tool and the Python package write it as they write every
//! other, naming no variable and rendering no cell of their own.

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

/// `CRIT1` on the SLEDAI-2K records it is evaluated on.
pub const CRIT1_SRI4: &str = "SRI-4 response (Furie 2009)";

/// `DTYPE` of a record standing for an analysis visit without a visit.
pub const DTYPE_PHANTOM: &str = "PHANTOM";

/// One record: one subject x parameter x analysis visit record.
///
/// Each field is one variable of the layout
/// ([`adam_columns`](crate::table::output::adam_columns)): a flag is `true`
/// for `"Y"`, `false` for empty; `None` is an empty cell.
///
/// ```
/// use sledai::adam::Record;
/// use sledai::table::output::{adam_columns, Cell};
/// let mut r = Record::default();
/// r.ablfl = true;
/// let cells: Vec<Cell<'_>> = adam_columns().iter().map(|c| c.cell(&r)).collect();
/// assert_eq!((cells[0], cells[3], cells[16]), (Cell::Text(""), Cell::Empty, Cell::Text("Y")));
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
