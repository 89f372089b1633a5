//! Typed columns out: the cells of an output layout ([`super::output`])
//! gathered column by column into typed buffers.
//!
//! A data frame wants its results as columns, not rows: totals as small
//! integers with an "empty" mask, states as codes into the column's
//! vocabulary, dates as day counts, text as one byte buffer. A
//! [`TableBuilder`] reads each result's cells through the layout's getters
//! (the one definition of every column) and appends them to one
//! [`ColumnData`] per column; [`TableBuilder::finish`] gives the
//! [`TypedTable`]. A shell only hands the buffers on (Python: numpy arrays,
//! then a pandas or polars frame), never deciding what a cell holds.
//!
//! | [`OutputKind`] | [`ColumnData`] | an empty cell |
//! |---|---|---|
//! | `SmallInteger` | `SmallInteger` (`i16`) | `empty[i]`, value 0 |
//! | `Integer` | `Integer` (`i64`) | `empty[i]`, value 0 |
//! | `Number` | `Number` (`f64`) | `empty[i]`, value NaN |
//! | `Boolean` | `Boolean` | `empty[i]`, value `false` |
//! | `State` | `State` (codes into [`TypedColumn::states`]) | code -1 |
//! | `Date` | `Date` (days since 1970-01-01) | `empty[i]`, value 0 |
//! | `Text`, `List` | `Text` (one buffer, cell `i` ends at `ends[i]`; a list joined by `;`, a date as `YYYY-MM-DD`) | `empty[i]`, no bytes |
//!
//! # Example
//!
//! ```
//! use sledai::table::output::visit_columns;
//! use sledai::table::typed::{ColumnData, TableBuilder};
//! use sledai::visit::{PatientStream, VisitInput};
//! use sledai::{Assessment, Descriptor};
//!
//! let mut stream = PatientStream::default();
//! let mut table = TableBuilder::new(visit_columns(), 2);
//! table.push(&stream.assess(&VisitInput::new(Assessment::from_present([Descriptor::Rash])))?);
//! let a = Assessment::from_masks(0, Descriptor::Fever.bit())?; // fever not assessed
//! table.push(&stream.assess(&VisitInput::new(a))?);
//! let table = table.finish();
//!
//! assert_eq!(table.len(), 2);
//! let total = table.column("sledai_2k").expect("a column");
//! let ColumnData::SmallInteger { values, empty, .. } = total.data() else { panic!("small integers") };
//! assert_eq!((values[0], empty[0]), (2, false));
//! assert!(empty[1]); // a range, so the exact total is empty
//! let missing = table.column("missing").expect("a column");
//! assert_eq!(missing.data().text(1), Some("fever"));
//! # Ok::<(), sledai::Error>(())
//! ```

use std::io::Write as _;
use std::sync::{Mutex, PoisonError};

use super::column::days_since_epoch;
use super::output::{Cell, GROUP_CELLS, Group, OutputColumn, OutputKind};

/// The typed values of one output column (see the [module table](self)).
///
/// ```
/// use sledai::table::output::visit_columns;
/// use sledai::table::typed::{ColumnData, TableBuilder};
/// let table = TableBuilder::new(visit_columns(), 0).finish();
/// assert!(matches!(table.columns()[3].data(), ColumnData::SmallInteger { .. }));
/// assert_eq!(table.columns()[3].data().len(), 0);
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum ColumnData {
    /// Totals and changes of totals.
    #[non_exhaustive]
    SmallInteger {
        /// The values (0 under an empty cell).
        values: Vec<i16>,
        /// `true` where the cell is empty.
        empty: Vec<bool>,
    },
    /// Counts and days.
    #[non_exhaustive]
    Integer {
        /// The values (0 under an empty cell).
        values: Vec<i64>,
        /// `true` where the cell is empty.
        empty: Vec<bool>,
    },
    /// Numbers.
    #[non_exhaustive]
    Number {
        /// The values (NaN under an empty cell).
        values: Vec<f64>,
        /// `true` where the cell is empty.
        empty: Vec<bool>,
    },
    /// Booleans.
    #[non_exhaustive]
    Boolean {
        /// The values (`false` under an empty cell).
        values: Vec<bool>,
        /// `true` where the cell is empty.
        empty: Vec<bool>,
    },
    /// States: codes into the column's vocabulary, -1 for an empty cell.
    #[non_exhaustive]
    State {
        /// The codes.
        codes: Vec<i8>,
    },
    /// Dates as days since 1970-01-01.
    #[non_exhaustive]
    Date {
        /// The day counts (0 under an empty cell).
        days: Vec<i32>,
        /// `true` where the cell is empty.
        empty: Vec<bool>,
    },
    /// Text, one buffer: cell `i` is `bytes[ends[i - 1]..ends[i]]`
    /// (`bytes[..ends[0]]` for the first), UTF-8.
    #[non_exhaustive]
    Text {
        /// The cells' bytes, one after the other.
        bytes: Vec<u8>,
        /// Where each cell ends.
        ends: Vec<usize>,
        /// `true` where the cell is empty.
        empty: Vec<bool>,
    },
}

/// Equality cell by cell, numbers by their bits: the NaN under an empty
/// number cell equals itself, so a table equals its copy.
///
/// ```
/// use sledai::table::output::visit_columns;
/// use sledai::table::typed::TableBuilder;
/// use sledai::visit::{PatientStream, VisitInput};
/// use sledai::Assessment;
/// let mut t = TableBuilder::new(visit_columns(), 1);
/// t.push(&PatientStream::default().assess(&VisitInput::new(Assessment::from_present([])))?);
/// let t = t.finish(); // no dose: its number cell is empty (NaN)
/// assert_eq!(t, t.clone());
/// # Ok::<(), sledai::Error>(())
/// ```
impl PartialEq for ColumnData {
    fn eq(&self, other: &ColumnData) -> bool {
        use ColumnData as D;
        match (self, other) {
            (
                D::Number { values, empty },
                D::Number {
                    values: v,
                    empty: e,
                },
            ) => {
                empty == e
                    && values.len() == v.len()
                    && values
                        .iter()
                        .zip(v)
                        .all(|(a, b)| a.to_bits() == b.to_bits())
            }
            (
                D::SmallInteger { values, empty },
                D::SmallInteger {
                    values: v,
                    empty: e,
                },
            ) => values == v && empty == e,
            (
                D::Integer { values, empty },
                D::Integer {
                    values: v,
                    empty: e,
                },
            ) => values == v && empty == e,
            (
                D::Boolean { values, empty },
                D::Boolean {
                    values: v,
                    empty: e,
                },
            ) => values == v && empty == e,
            (D::State { codes }, D::State { codes: c }) => codes == c,
            (D::Date { days, empty }, D::Date { days: d, empty: e }) => days == d && empty == e,
            (
                D::Text { bytes, ends, empty },
                D::Text {
                    bytes: b,
                    ends: n,
                    empty: e,
                },
            ) => bytes == b && ends == n && empty == e,
            _ => false,
        }
    }
}

impl ColumnData {
    fn new(kind: OutputKind, n: usize) -> ColumnData {
        let empty = Vec::with_capacity(n);
        match kind {
            OutputKind::SmallInteger => ColumnData::SmallInteger {
                values: Vec::with_capacity(n),
                empty,
            },
            OutputKind::Integer => ColumnData::Integer {
                values: Vec::with_capacity(n),
                empty,
            },
            OutputKind::Number => ColumnData::Number {
                values: Vec::with_capacity(n),
                empty,
            },
            OutputKind::Boolean => ColumnData::Boolean {
                values: Vec::with_capacity(n),
                empty,
            },
            OutputKind::State => ColumnData::State {
                codes: Vec::with_capacity(n),
            },
            OutputKind::Date => ColumnData::Date {
                days: Vec::with_capacity(n),
                empty,
            },
            OutputKind::Text | OutputKind::List => ColumnData::Text {
                bytes: Vec::new(),
                ends: Vec::with_capacity(n),
                empty,
            },
        }
    }

    /// The number of cells.
    ///
    /// ```
    /// use sledai::table::output::visit_columns;
    /// use sledai::table::typed::TableBuilder;
    /// assert_eq!(TableBuilder::new(visit_columns(), 8).finish().columns()[0].data().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        match self {
            ColumnData::SmallInteger { values, .. } => values.len(),
            ColumnData::Integer { values, .. } => values.len(),
            ColumnData::Number { values, .. } => values.len(),
            ColumnData::Boolean { values, .. } => values.len(),
            ColumnData::State { codes } => codes.len(),
            ColumnData::Date { days, .. } => days.len(),
            ColumnData::Text { ends, .. } => ends.len(),
        }
    }

    /// Whether the column has no cells.
    ///
    /// ```
    /// use sledai::table::output::visit_columns;
    /// use sledai::table::typed::TableBuilder;
    /// assert!(TableBuilder::new(visit_columns(), 0).finish().columns()[0].data().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Cell `i` of a text column (`None` when it is empty, out of range,
    /// or the column is not text).
    ///
    /// ```
    /// use sledai::table::output::visit_columns;
    /// use sledai::table::typed::TableBuilder;
    /// use sledai::visit::{PatientStream, VisitInput};
    /// use sledai::Assessment;
    /// let mut v = VisitInput::new(Assessment::from_present([]));
    /// v.patient = Some("P1".into());
    /// let mut t = TableBuilder::new(visit_columns(), 1);
    /// t.push(&PatientStream::default().assess(&v)?);
    /// let t = t.finish();
    /// assert_eq!(t.column("patient").expect("a column").data().text(0), Some("P1"));
    /// assert_eq!(t.column("id").expect("a column").data().text(0), None);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn text(&self, i: usize) -> Option<&str> {
        let ColumnData::Text { bytes, ends, empty } = self else {
            return None;
        };
        if *empty.get(i)? {
            return None;
        }
        let start = if i == 0 { 0 } else { *ends.get(i - 1)? };
        std::str::from_utf8(bytes.get(start..*ends.get(i)?)?).ok()
    }

    /// Appends `cells`: one loop per kind, so that a cell costs its getter
    /// and a push, not a dispatch on the column's kind. A cell of another
    /// kind than the column's is empty (a layout gives each column one
    /// kind), except a date in a text column (ADaM's `ADT`), which is its
    /// ISO 8601 text.
    pub(crate) fn extend<'c>(&mut self, cells: impl Iterator<Item = Cell<'c>>) {
        match self {
            ColumnData::SmallInteger { values, empty } => {
                cells.for_each(|x| put(values, empty, small(x), 0));
            }
            ColumnData::Integer { values, empty } => {
                cells.for_each(|x| put(values, empty, integer(x), 0));
            }
            ColumnData::Number { values, empty } => {
                cells.for_each(|x| put(values, empty, number(x), f64::NAN));
            }
            ColumnData::Boolean { values, empty } => {
                cells.for_each(|x| put(values, empty, boolean(x), false));
            }
            ColumnData::State { codes } => codes.extend(cells.map(state)),
            ColumnData::Date { days, empty } => cells.for_each(|x| put(days, empty, day(x), 0)),
            ColumnData::Text { bytes, ends, empty } => {
                cells.for_each(|x| put_text(bytes, ends, empty, x));
            }
        }
    }

    /// Appends text cells given as their UTF-8 bytes (`None` for an empty
    /// cell): the cells of `Cell::Text` of the same text, without checking
    /// the bytes again in a text column. In a column of another kind, the
    /// cells of their text (empty: a layout gives each column one kind).
    pub(crate) fn extend_utf8<'a>(&mut self, cells: impl Iterator<Item = Option<&'a [u8]>>) {
        match self {
            ColumnData::Text { bytes, ends, empty } => {
                for cell in cells {
                    if let Some(b) = cell {
                        bytes.extend_from_slice(b);
                    }
                    ends.push(bytes.len());
                    empty.push(cell.is_none());
                }
            }
            other => other.extend(cells.map(|c| {
                c.and_then(|b| std::str::from_utf8(b).ok())
                    .map_or(Cell::Empty, Cell::Text)
            })),
        }
    }

    /// Room for the cells of `others` (columns of the same kind), so that
    /// [`ColumnData::append`] of each of them moves this column's buffers
    /// at most once.
    fn reserve_for(&mut self, others: &[&ColumnData]) {
        let rows: usize = others.iter().map(|o| o.len()).sum();
        match self {
            ColumnData::SmallInteger { values, empty } => {
                values.reserve(rows);
                empty.reserve(rows);
            }
            ColumnData::Integer { values, empty } => {
                values.reserve(rows);
                empty.reserve(rows);
            }
            ColumnData::Number { values, empty } => {
                values.reserve(rows);
                empty.reserve(rows);
            }
            ColumnData::Boolean { values, empty } => {
                values.reserve(rows);
                empty.reserve(rows);
            }
            ColumnData::State { codes } => codes.reserve(rows),
            ColumnData::Date { days, empty } => {
                days.reserve(rows);
                empty.reserve(rows);
            }
            ColumnData::Text { bytes, ends, empty } => {
                let text: usize = others
                    .iter()
                    .map(|o| match o {
                        ColumnData::Text { bytes, .. } => bytes.len(),
                        _ => 0,
                    })
                    .sum();
                bytes.reserve(text);
                ends.reserve(rows);
                empty.reserve(rows);
            }
        }
    }

    /// Appends the cells of `other`, a column of the same kind (a column
    /// of another kind is left as it is: [`TypedTable::append`] only joins
    /// tables of one layout).
    fn append(&mut self, other: ColumnData) {
        match (self, other) {
            (
                ColumnData::SmallInteger { values, empty },
                ColumnData::SmallInteger {
                    values: v,
                    empty: e,
                },
            ) => {
                values.extend(v);
                empty.extend(e);
            }
            (
                ColumnData::Integer { values, empty },
                ColumnData::Integer {
                    values: v,
                    empty: e,
                },
            ) => {
                values.extend(v);
                empty.extend(e);
            }
            (
                ColumnData::Number { values, empty },
                ColumnData::Number {
                    values: v,
                    empty: e,
                },
            ) => {
                values.extend(v);
                empty.extend(e);
            }
            (
                ColumnData::Boolean { values, empty },
                ColumnData::Boolean {
                    values: v,
                    empty: e,
                },
            ) => {
                values.extend(v);
                empty.extend(e);
            }
            (ColumnData::State { codes }, ColumnData::State { codes: c }) => codes.extend(c),
            (ColumnData::Date { days, empty }, ColumnData::Date { days: d, empty: e }) => {
                days.extend(d);
                empty.extend(e);
            }
            (
                ColumnData::Text { bytes, ends, empty },
                ColumnData::Text {
                    bytes: b,
                    ends: n,
                    empty: e,
                },
            ) => {
                let base = bytes.len();
                bytes.extend(b);
                ends.extend(n.into_iter().map(|end| end + base));
                empty.extend(e);
            }
            _ => {}
        }
    }
}

/// Appends one cell of a value column: the value, or `none` under an
/// empty cell.
#[inline]
fn put<T>(values: &mut Vec<T>, empty: &mut Vec<bool>, x: Option<T>, none: T) {
    empty.push(x.is_none());
    values.push(x.unwrap_or(none));
}

/// Appends one cell of a text column (an empty cell or a text without a
/// call: most cells of a visit table).
#[inline]
fn put_text(bytes: &mut Vec<u8>, ends: &mut Vec<usize>, empty: &mut Vec<bool>, cell: Cell<'_>) {
    match cell {
        Cell::Empty => {}
        Cell::Text(t) => bytes.extend_from_slice(t.as_bytes()),
        other => write_text(bytes, other),
    }
    ends.push(bytes.len());
    empty.push(matches!(cell, Cell::Empty));
}

/// The text of a date or a list cell (nothing for another kind).
#[inline(never)]
fn write_text(bytes: &mut Vec<u8>, cell: Cell<'_>) {
    match cell {
        Cell::Text(t) => bytes.extend_from_slice(t.as_bytes()),
        Cell::Date(d) => {
            // Writing to a `Vec` cannot fail.
            let _ = write!(bytes, "{d}");
        }
        Cell::List(ids) => {
            for (i, id) in ids.iter().enumerate() {
                if i > 0 {
                    bytes.push(b';');
                }
                bytes.extend_from_slice(id.as_bytes());
            }
        }
        _ => {}
    }
}

// What each kind of column reads of a cell; a cell of another kind is
// empty (a layout gives each column one kind).

fn small(cell: Cell<'_>) -> Option<i16> {
    match cell {
        Cell::Integer(x) => i16::try_from(x).ok(),
        _ => None,
    }
}

fn integer(cell: Cell<'_>) -> Option<i64> {
    match cell {
        Cell::Integer(x) => Some(x),
        _ => None,
    }
}

fn number(cell: Cell<'_>) -> Option<f64> {
    match cell {
        Cell::Number(x) => Some(x),
        _ => None,
    }
}

fn boolean(cell: Cell<'_>) -> Option<bool> {
    match cell {
        Cell::Boolean(x) => Some(x),
        _ => None,
    }
}

/// A state's code, -1 for an empty cell.
fn state(cell: Cell<'_>) -> i8 {
    match cell {
        Cell::State(k) => i8::try_from(k).unwrap_or(-1),
        _ => -1,
    }
}

fn day(cell: Cell<'_>) -> Option<i32> {
    match cell {
        Cell::Date(d) => Some(days_since_epoch(d)),
        _ => None,
    }
}

/// One typed output column: its name, kind and vocabulary (from the
/// layout) and its values.
///
/// ```
/// use sledai::table::output::{visit_columns, OutputKind, TRI_STATES};
/// use sledai::table::typed::TableBuilder;
/// let table = TableBuilder::new(visit_columns(), 0).finish();
/// let lldas = table.column("lldas").expect("a column");
/// assert_eq!((lldas.kind(), lldas.states()), (OutputKind::State, TRI_STATES));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct TypedColumn {
    name: Box<str>,
    kind: OutputKind,
    states: &'static [&'static str],
    data: ColumnData,
}

impl TypedColumn {
    /// The column name (the layout's).
    ///
    /// ```
    /// use sledai::table::output::visit_columns;
    /// use sledai::table::typed::TableBuilder;
    /// assert_eq!(TableBuilder::new(visit_columns(), 0).finish().columns()[1].name(), "patient");
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// What its cells hold (the layout's kind).
    ///
    /// ```
    /// use sledai::table::output::{visit_columns, OutputKind};
    /// use sledai::table::typed::TableBuilder;
    /// assert_eq!(TableBuilder::new(visit_columns(), 0).finish().columns()[2].kind(), OutputKind::Date);
    /// ```
    pub const fn kind(&self) -> OutputKind {
        self.kind
    }

    /// The identifiers of a state column in code order (empty for other
    /// kinds).
    ///
    /// ```
    /// use sledai::table::output::visit_columns;
    /// use sledai::table::typed::TableBuilder;
    /// assert!(TableBuilder::new(visit_columns(), 0).finish().columns()[0].states().is_empty());
    /// ```
    pub const fn states(&self) -> &'static [&'static str] {
        self.states
    }

    /// The values.
    ///
    /// ```
    /// use sledai::table::output::visit_columns;
    /// use sledai::table::typed::{ColumnData, TableBuilder};
    /// let t = TableBuilder::new(visit_columns(), 0).finish();
    /// assert!(matches!(t.columns()[0].data(), ColumnData::Text { .. }));
    /// ```
    pub const fn data(&self) -> &ColumnData {
        &self.data
    }

    /// The values, owned (to hand the buffers on without a copy).
    ///
    /// ```
    /// use sledai::table::output::visit_columns;
    /// use sledai::table::typed::{ColumnData, TableBuilder};
    /// let mut columns = TableBuilder::new(visit_columns(), 0).finish().into_columns();
    /// assert!(matches!(columns.remove(2).into_data(), ColumnData::Date { .. }));
    /// ```
    pub fn into_data(self) -> ColumnData {
        self.data
    }
}

/// The typed columns of a layout, every column as long as the others.
///
/// ```
/// use sledai::table::output::visit_columns;
/// use sledai::table::typed::TableBuilder;
/// let t = TableBuilder::new(visit_columns(), 0).finish();
/// assert_eq!(t.columns().len(), visit_columns().len());
/// assert!(t.is_empty());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct TypedTable {
    columns: Vec<TypedColumn>,
    rows: usize,
}

impl TypedTable {
    /// The columns, in the layout's order.
    ///
    /// ```
    /// use sledai::table::output::visit_columns;
    /// use sledai::table::typed::TableBuilder;
    /// assert_eq!(TableBuilder::new(visit_columns(), 0).finish().columns()[0].name(), "id");
    /// ```
    pub fn columns(&self) -> &[TypedColumn] {
        &self.columns
    }

    /// The column named `name`.
    ///
    /// ```
    /// use sledai::table::output::visit_columns;
    /// use sledai::table::typed::TableBuilder;
    /// let t = TableBuilder::new(visit_columns(), 0).finish();
    /// assert!(t.column("doris").is_some());
    /// assert!(t.column("Doris").is_none());
    /// ```
    pub fn column(&self, name: &str) -> Option<&TypedColumn> {
        self.columns.iter().find(|c| c.name() == name)
    }

    /// The columns, owned.
    ///
    /// ```
    /// use sledai::table::output::visit_columns;
    /// use sledai::table::typed::TableBuilder;
    /// assert_eq!(TableBuilder::new(visit_columns(), 0).finish().into_columns().len(), 41);
    /// ```
    pub fn into_columns(self) -> Vec<TypedColumn> {
        self.columns
    }

    /// The number of rows.
    ///
    /// ```
    /// use sledai::table::output::visit_columns;
    /// use sledai::table::typed::TableBuilder;
    /// assert_eq!(TableBuilder::new(visit_columns(), 0).finish().len(), 0);
    /// ```
    pub const fn len(&self) -> usize {
        self.rows
    }

    /// Whether the table has no rows.
    ///
    /// ```
    /// use sledai::table::output::visit_columns;
    /// use sledai::table::typed::TableBuilder;
    /// assert!(TableBuilder::new(visit_columns(), 0).finish().is_empty());
    /// ```
    pub const fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// Appends the rows of `others`, tables of the same layout (the work
    /// of several threads joined in row order): each column grown once and
    /// filled by one of `threads` threads (the columns are independent; a
    /// join is mostly the first writes to fresh memory).
    pub(crate) fn append(&mut self, others: Vec<TypedTable>, threads: usize) {
        let rows: usize = others.iter().map(|o| o.rows).sum();
        let mut parts: Vec<Vec<ColumnData>> = self
            .columns
            .iter()
            .map(|_| Vec::with_capacity(others.len()))
            .collect();
        for o in others {
            for (p, c) in parts.iter_mut().zip(o.columns) {
                p.push(c.data);
            }
        }
        let jobs: Vec<Mutex<(&mut ColumnData, Vec<ColumnData>)>> = self
            .columns
            .iter_mut()
            .zip(parts)
            .map(|(c, p)| Mutex::new((&mut c.data, p)))
            .collect();
        crate::parallel::run(jobs.len(), threads, |j| {
            let mut job = jobs[j].lock().unwrap_or_else(PoisonError::into_inner);
            let (column, parts) = &mut *job;
            column.reserve_for(&parts.iter().collect::<Vec<_>>());
            for p in parts.drain(..) {
                column.append(p);
            }
        });
        self.rows += rows;
    }
}

/// Builds the typed columns of a layout from results, one row at a time.
///
/// ```
/// use sledai::table::output::patient_columns;
/// use sledai::table::typed::TableBuilder;
/// use sledai::timeline::Window;
/// let layout = patient_columns(&[Window::new(90, 14)], None);
/// let t = TableBuilder::new(&layout, 0).finish();
/// assert_eq!(t.columns()[0].name(), "patient");
/// ```
pub struct TableBuilder<'l, R: 'static> {
    layout: Vec<&'l OutputColumn<R>>,
    data: Vec<ColumnData>,
    /// How the cells of a row are read: every column once, in layout order.
    steps: Vec<Step<R>>,
    rows: usize,
}

/// The rows whose group cells [`TableBuilder::extend`] holds at once.
const GROUP_ROWS: usize = 32;

/// How [`TableBuilder::extend`] reads some columns' cells.
enum Step<R: 'static> {
    /// Column `j` of the layout through its own getter.
    Column(usize),
    /// Two or more columns of one group through the group's getter, once
    /// per result: `(k, j)` for layout column `j`, the group's cell `k`.
    Group(&'static Group<R>, Vec<(usize, usize)>),
}

/// The steps of a layout: a column of no group, or the only one of its
/// group, through its own getter; the columns of a group with two members
/// or more through the group's getter, at the place of the first.
fn steps<R: 'static>(layout: &[&OutputColumn<R>]) -> Vec<Step<R>> {
    let mut steps: Vec<Step<R>> = Vec::new();
    for (j, c) in layout.iter().enumerate() {
        let Some((group, k)) = c.group() else {
            steps.push(Step::Column(j));
            continue;
        };
        let at = steps
            .iter_mut()
            .find(|s| matches!(s, Step::Group(g, _) if std::ptr::eq(*g, group)));
        match at {
            Some(Step::Group(_, members)) => members.push((k, j)),
            _ => steps.push(Step::Group(group, vec![(k, j)])),
        }
    }
    for s in &mut steps {
        if let Step::Group(_, members) = s
            && let [(_, j)] = members[..]
        {
            *s = Step::Column(j);
        }
    }
    steps
}

impl<'l, R: 'static> TableBuilder<'l, R> {
    /// An empty table of the columns of `layout` (a layout of
    /// [`super::output`], or a selection of one such as
    /// [`super::output::VisitColumns::columns`]), with room for `capacity`
    /// rows.
    ///
    /// ```
    /// use sledai::table::output::{adam_columns, VisitColumns};
    /// use sledai::table::typed::TableBuilder;
    /// assert_eq!(TableBuilder::new(adam_columns(), 16).finish().columns()[0].name(), "USUBJID");
    /// let t = TableBuilder::new(VisitColumns::select(&["lldas"])?.columns(), 0).finish();
    /// assert_eq!(t.columns().len(), 1);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn new(
        layout: impl IntoIterator<Item = &'l OutputColumn<R>>,
        capacity: usize,
    ) -> TableBuilder<'l, R> {
        let layout: Vec<&'l OutputColumn<R>> = layout.into_iter().collect();
        let data = layout
            .iter()
            .map(|c| ColumnData::new(c.kind(), capacity))
            .collect();
        TableBuilder {
            steps: steps(&layout),
            layout,
            data,
            rows: 0,
        }
    }

    /// Appends the row of one result: each column's cell.
    ///
    /// ```
    /// use sledai::table::output::visit_columns;
    /// use sledai::table::typed::TableBuilder;
    /// use sledai::visit::{PatientStream, VisitInput};
    /// use sledai::Assessment;
    /// let mut t = TableBuilder::new(visit_columns(), 1);
    /// t.push(&PatientStream::default().assess(&VisitInput::new(Assessment::from_present([])))?);
    /// assert_eq!(t.finish().len(), 1);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn push(&mut self, result: &R) {
        self.extend(std::slice::from_ref(result));
    }

    /// Appends the rows of several results, column by column (faster than
    /// a [`push`](Self::push) per result for more than a few rows).
    ///
    /// ```
    /// use sledai::table::output::visit_columns;
    /// use sledai::table::typed::TableBuilder;
    /// use sledai::visit::{PatientStream, VisitInput};
    /// use sledai::Assessment;
    /// let r = PatientStream::default().assess(&VisitInput::new(Assessment::from_present([])))?;
    /// let mut t = TableBuilder::new(visit_columns(), 3);
    /// t.extend(&[r.clone(), r.clone(), r]);
    /// assert_eq!(t.finish().len(), 3);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn extend(&mut self, results: &[R]) {
        if let [result] = results {
            self.push_one(result);
            return;
        }
        for step in &self.steps {
            match step {
                Step::Column(j) => self.layout[*j].fill(results, &mut self.data[*j]),
                Step::Group(group, members) => {
                    // The group's cells of a few rows, then each member's
                    // column of them in one loop of its kind.
                    for rows in results.chunks(GROUP_ROWS) {
                        let mut cells = [[Cell::Empty; GROUP_CELLS]; GROUP_ROWS];
                        for (c, r) in cells.iter_mut().zip(rows) {
                            *c = group.cells(r);
                        }
                        let cells = &cells[..rows.len()];
                        for &(k, j) in members {
                            self.data[j].extend(cells.iter().map(|c| c[k]));
                        }
                    }
                }
            }
        }
        self.rows += results.len();
    }

    /// Appends one row: each cell through its getter (a column's fill and
    /// a group's buffer of rows pay off over several rows only).
    fn push_one(&mut self, result: &R) {
        for step in &self.steps {
            match step {
                Step::Column(j) => {
                    let cell = self.layout[*j].cell(result);
                    self.data[*j].extend(std::iter::once(cell));
                }
                Step::Group(group, members) => {
                    let cells = group.cells(result);
                    for &(k, j) in members {
                        self.data[j].extend(std::iter::once(cells[k]));
                    }
                }
            }
        }
        self.rows += 1;
    }

    /// The table.
    ///
    /// ```
    /// use sledai::table::output::visit_columns;
    /// use sledai::table::typed::TableBuilder;
    /// assert_eq!(TableBuilder::new(visit_columns(), 0).finish().columns().len(), 41);
    /// ```
    pub fn finish(self) -> TypedTable {
        TypedTable {
            columns: self
                .layout
                .into_iter()
                .zip(self.data)
                .map(|(c, data)| TypedColumn {
                    name: c.name().into(),
                    kind: c.kind(),
                    states: c.states(),
                    data,
                })
                .collect(),
            rows: self.rows,
        }
    }
}

impl<R> std::fmt::Debug for TableBuilder<'_, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TableBuilder")
            .field("columns", &self.layout.len())
            .field("rows", &self.rows)
            .finish()
    }
}
