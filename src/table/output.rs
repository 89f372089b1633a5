//! Columns out: the tabular output layout, once.
//!
//! The flat form of a visit result ([`VisitResult`], one row per visit:
//! `sledai score --output-format csv`, Python's `assess_frame`), of a
//! patient summary ([`PatientSummary`], one row per patient: `sledai
//! cohort --output-format csv`, Python's `cohort`) and of an ADaM record
//! ([`Record`], one row per subject x parameter x
//! analysis visit record: `sledai adam`, Python's `sledai.adam`) is defined
//! here: each column's name, its [`OutputKind`], the vocabulary of a state
//! column, an ADaM variable's label, and a typed getter that reads the
//! column's [`Cell`] from a result. The rules of the layout:
//!
//! - a total that may be a range is three columns: `name` (the exact
//!   total, empty when it is a range) and `name_min` / `name_max` (the
//!   range, empty when it is exact);
//! - a list of identifiers (`missing`, `lab_conflicts`) is one text cell,
//!   the identifiers joined by `;` ([`Ids`]);
//! - a state is a code into its column's vocabulary ([`OutputColumn::states`]:
//!   `met`, `not_met`, `indeterminate` for every tri-state column);
//! - a field that does not apply is [`Cell::Empty`].
//!
//! The shells only write cells: the CLI as CSV text, Python as typed
//! columns (nullable integers, categoricals built from the codes and the
//! vocabulary, dates).
//!
//! # Example
//!
//! ```
//! use sledai::table::output::{self, Cell};
//! use sledai::visit::{PatientStream, VisitInput};
//! use sledai::{Assessment, Descriptor};
//!
//! let columns = output::visit_columns();
//! assert_eq!(columns[3].name(), "sledai_2k");
//! let r = PatientStream::default().assess(&VisitInput::new(Assessment::from_present([Descriptor::Rash])))?;
//! assert_eq!(columns[3].cell(&r), Cell::Integer(2));
//! assert_eq!(columns[4].cell(&r), Cell::Empty); // sledai_2k_min: the total is exact
//! let lldas = columns.iter().find(|c| c.name() == "lldas").expect("a column");
//! let Cell::State(code) = lldas.cell(&r) else { panic!("a state") };
//! assert_eq!(lldas.states()[usize::from(code)], "indeterminate");
//! # Ok::<(), sledai::Error>(())
//! ```

use std::fmt;
use std::sync::OnceLock;

use super::typed::ColumnData;
use crate::adam::{MissingReason, Record};
use crate::bilag::Flare;
use crate::change::Sri;
use crate::date::Date;
use crate::descriptor::DescriptorSet;
use crate::error::Error;
use crate::labs::Conflict;
use crate::remission_2017::Doris2017Variant;
use crate::score::{Score, ScoreRange};
use crate::state::TriState;
use crate::target::Criterion;
use crate::timeline::{Endpoint, PatientSummary, StateSummary, Window};
use crate::visit::VisitResult;
use crate::vocabulary::Vocabulary;

/// What the cells of an output column hold.
///
/// ```
/// use sledai::table::output::{visit_columns, OutputKind};
/// assert_eq!(visit_columns()[0].kind(), OutputKind::Text);
/// assert_eq!(visit_columns()[2].kind(), OutputKind::Date);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OutputKind {
    /// Text (`id`, `patient`).
    Text,
    /// Identifiers joined by `;` (`missing`, `lab_conflicts`).
    List,
    /// A calendar date.
    Date,
    /// A total or a change of totals: fits in 16 bits (-105 to 105 for a
    /// SLEDAI-2K change).
    SmallInteger,
    /// A count or a number of days.
    Integer,
    /// A number (a dose, a percent change, a fraction).
    Number,
    /// `true` or `false`.
    Boolean,
    /// A code into the column's vocabulary ([`OutputColumn::states`]).
    State,
}

/// The identifiers of a list cell, joined by `;` when displayed.
///
/// ```
/// use sledai::table::output::{visit_columns, Cell};
/// use sledai::visit::{PatientStream, VisitInput};
/// use sledai::{Assessment, Descriptor};
/// let a = Assessment::from_masks(0, Descriptor::LowComplement.bit() | Descriptor::Fever.bit())?;
/// let r = PatientStream::default().assess(&VisitInput::new(a))?;
/// let missing = visit_columns().iter().find(|c| c.name() == "missing").expect("a column");
/// let Cell::List(ids) = missing.cell(&r) else { panic!("a list") };
/// assert_eq!(ids.to_string(), "low_complement;fever"); // form order: 20, 22
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ids<'a>(IdsOf<'a>);

#[derive(Debug, Clone, Copy, PartialEq)]
enum IdsOf<'a> {
    Descriptors(DescriptorSet),
    Conflicts(&'a [Conflict]),
}

impl Ids<'_> {
    /// Whether there is no identifier (what [`Ids::iter`] would show
    /// without building the iterator).
    const fn is_empty(&self) -> bool {
        match self.0 {
            IdsOf::Descriptors(s) => s.is_empty(),
            IdsOf::Conflicts(c) => c.is_empty(),
        }
    }

    /// The identifiers, in order.
    ///
    /// ```
    /// use sledai::table::output::{visit_columns, Cell};
    /// use sledai::visit::{PatientStream, VisitInput};
    /// use sledai::Assessment;
    /// let r = PatientStream::default().assess(&VisitInput::new(Assessment::from_present([])))?;
    /// assert_eq!(visit_columns()[9].cell(&r), Cell::Empty); // nothing missing: empty
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = &'static str> + '_ {
        let (set, conflicts) = match self.0 {
            IdsOf::Descriptors(s) => (Some(s), None),
            IdsOf::Conflicts(c) => (None, Some(c)),
        };
        set.into_iter()
            .flat_map(|s| s.iter().map(|d| d.id()))
            .chain(conflicts.into_iter().flatten().map(|c| c.descriptor.id()))
    }
}

impl fmt::Display for Ids<'_> {
    /// The identifiers joined by `;`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, id) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(";")?;
            }
            f.write_str(id)?;
        }
        Ok(())
    }
}

/// One cell of an output row.
///
/// ```
/// use sledai::table::output::Cell;
/// assert!(Cell::Empty.is_empty());
/// assert!(!Cell::Integer(0).is_empty());
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Cell<'a> {
    /// The field does not apply (an empty CSV field, a null).
    Empty,
    /// Text.
    Text(&'a str),
    /// Identifiers (never empty: an empty list is [`Cell::Empty`]).
    List(Ids<'a>),
    /// A date.
    Date(Date),
    /// A whole number.
    Integer(i64),
    /// A number.
    Number(f64),
    /// A boolean.
    Boolean(bool),
    /// A state: the index of its identifier in the column's vocabulary.
    State(u8),
}

impl Cell<'_> {
    /// Whether the field does not apply.
    ///
    /// ```
    /// use sledai::table::output::Cell;
    /// assert!(Cell::Empty.is_empty());
    /// ```
    pub const fn is_empty(&self) -> bool {
        matches!(self, Cell::Empty)
    }
}

/// The identifiers of the tri-state columns, in code order.
pub const TRI_STATES: &[&str] = <TriState as Vocabulary>::IDS;

/// The identifiers of `bilag_flare`, in code order.
pub const FLARES: &[&str] = &[
    Flare::Severe.as_str(),
    Flare::Moderate.as_str(),
    Flare::Mild.as_str(),
    Flare::None.as_str(),
    Flare::Indeterminate.as_str(),
];

fn tri(s: TriState) -> Cell<'static> {
    Cell::State(match s {
        TriState::Met => 0,
        TriState::NotMet => 1,
        TriState::Indeterminate => 2,
    })
}

fn tri_opt(s: Option<TriState>) -> Cell<'static> {
    s.map_or(Cell::Empty, tri)
}

fn flare(f: Flare) -> Cell<'static> {
    Cell::State(match f {
        Flare::Severe => 0,
        Flare::Moderate => 1,
        Flare::Mild => 2,
        Flare::None => 3,
        Flare::Indeterminate => 4,
    })
}

fn int(n: impl Into<i64>) -> Cell<'static> {
    Cell::Integer(n.into())
}

fn opt<'a, T>(v: Option<T>, f: impl FnOnce(T) -> Cell<'a>) -> Cell<'a> {
    v.map_or(Cell::Empty, f)
}

fn text(s: Option<&str>) -> Cell<'_> {
    s.map_or(Cell::Empty, Cell::Text)
}

fn exact_of(r: ScoreRange) -> Option<Score> {
    (r.min() == r.max()).then(|| r.min())
}

fn criterion<const N: usize>(r: &crate::target::States<N>, c: Criterion) -> Cell<'static> {
    r.criterion(c).map_or(Cell::Empty, tri)
}

fn list<'a>(ids: Ids<'a>) -> Cell<'a> {
    if ids.is_empty() {
        Cell::Empty
    } else {
        Cell::List(ids)
    }
}

/// One column of an output table: its name, kind, vocabulary and getter.
///
/// `R` is the result a row is read from: [`VisitResult`] or
/// [`PatientSummary`].
///
/// ```
/// use sledai::table::output::{visit_columns, OutputKind, TRI_STATES};
/// let lldas = &visit_columns()[11];
/// assert_eq!((lldas.name(), lldas.kind()), ("lldas", OutputKind::State));
/// assert_eq!(lldas.states(), TRI_STATES);
/// ```
pub struct OutputColumn<R: 'static> {
    name: Name,
    kind: OutputKind,
    states: &'static [&'static str],
    get: Getter<R>,
    arg: usize,
    /// The group whose cell `arg` is this column's cell, if any.
    group: Option<&'static Group<R>>,
    fill: Option<Fill<R>>,
}

/// The most cells a [`Group`] gives.
pub(crate) const GROUP_CELLS: usize = 4;

/// Columns of a layout whose cells share one computation (the four DORIS
/// 2017 variants share criteria): `get` gives the cells of every member at
/// once, member `k`'s (the column whose `arg` is `k`) at index `k`, each
/// the cell its column's own getter gives. A [`super::typed::TableBuilder`]
/// of two members or more of one group calls `get` once per result instead
/// of each member's getter.
pub(crate) struct Group<R: 'static> {
    get: GroupGetter<R>,
}

type GroupGetter<R> = for<'r> fn(&'r R) -> [Cell<'r>; GROUP_CELLS];

impl<R: 'static> Group<R> {
    /// The cells of the members of the group for one result.
    #[inline]
    pub(crate) fn cells<'r>(&self, result: &'r R) -> [Cell<'r>; GROUP_CELLS] {
        (self.get)(result)
    }
}

/// A column name: fixed, or made for the endpoints of a cohort, or fixed
/// with a label (a variable of the ADaM dataset).
#[derive(Debug, Clone)]
enum Name {
    Static(&'static str),
    Owned(String),
    Labelled(&'static str, &'static str),
}

type Getter<R> = for<'r> fn(&'r R, usize) -> Cell<'r>;

impl<R: 'static> OutputColumn<R> {
    /// The column name.
    ///
    /// ```
    /// use sledai::table::output::visit_columns;
    /// assert_eq!(visit_columns()[0].name(), "id");
    /// ```
    pub fn name(&self) -> &str {
        match &self.name {
            Name::Static(s) | Name::Labelled(s, _) => s,
            Name::Owned(s) => s,
        }
    }

    /// The column's label, for a layout whose columns have one: each
    /// variable of the ADaM dataset ([`adam_columns`]) has its ADaM label
    /// (the SAS variable label of a transport file); the other layouts'
    /// columns have none.
    ///
    /// ```
    /// use sledai::table::output::{adam_columns, visit_columns};
    /// assert_eq!(adam_columns()[3].label(), Some("Analysis Value")); // AVAL
    /// assert_eq!(visit_columns()[0].label(), None);
    /// ```
    pub const fn label(&self) -> Option<&'static str> {
        match self.name {
            Name::Labelled(_, label) => Some(label),
            _ => None,
        }
    }

    /// What its cells hold.
    ///
    /// ```
    /// use sledai::table::output::{visit_columns, OutputKind};
    /// assert_eq!(visit_columns()[3].kind(), OutputKind::SmallInteger);
    /// ```
    pub const fn kind(&self) -> OutputKind {
        self.kind
    }

    /// The identifiers of a [`OutputKind::State`] column in code order
    /// (empty for other kinds).
    ///
    /// ```
    /// use sledai::table::output::visit_columns;
    /// assert!(visit_columns()[0].states().is_empty());
    /// ```
    pub const fn states(&self) -> &'static [&'static str] {
        self.states
    }

    /// The column's cell of one result.
    ///
    /// ```
    /// use sledai::table::output::{visit_columns, Cell};
    /// use sledai::visit::{PatientStream, VisitInput};
    /// use sledai::Assessment;
    /// let r = PatientStream::default().assess(&VisitInput::new(Assessment::from_present([])))?;
    /// assert_eq!(visit_columns()[0].cell(&r), Cell::Empty); // no id
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn cell<'r>(&self, result: &'r R) -> Cell<'r> {
        (self.get)(result, self.arg)
    }

    /// Appends the column's cells of `rows` to `data`, a column of its
    /// kind: through its [`Fill`] when it has one, else a getter call per
    /// cell. The same cells either way.
    #[inline]
    pub(crate) fn fill(&self, rows: &[R], data: &mut ColumnData) {
        match self.fill {
            Some(fill) => fill(rows, self.arg, data),
            None => data.extend(rows.iter().map(|r| self.cell(r))),
        }
    }

    /// The column's group and its index among the group's cells.
    pub(crate) fn group(&self) -> Option<(&'static Group<R>, usize)> {
        self.group.map(|g| (g, self.arg))
    }
}

impl<R> fmt::Debug for OutputColumn<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OutputColumn")
            .field("name", &self.name)
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

use OutputKind as K;

/// Appends a column's cells of some results to its typed column, the
/// getter inlined in the loop (no call through a pointer per cell): what
/// [`super::typed::TableBuilder`] runs for a column that has one (the
/// visit layout's columns of no group).
pub(crate) type Fill<R> = fn(&[R], usize, &mut ColumnData);

/// A visit column of no vocabulary: its getter, and its [`Fill`] made
/// from the same getter.
macro_rules! col {
    ($name:expr, $kind:expr, $get:expr $(,)?) => {
        visit_column!($name, $kind, &[], $get)
    };
}

/// A visit tri-state column ([`TRI_STATES`]), as [`col!`].
macro_rules! state {
    ($name:expr, $get:expr $(,)?) => {
        visit_column!($name, K::State, TRI_STATES, $get)
    };
}

/// A visit text column echoing a record's text: its getter, and a
/// [`Fill`] that copies the text's bytes (`$bytes`, the same text) without
/// checking them again.
macro_rules! text_col {
    ($name:expr, $get:expr, $bytes:expr) => {
        OutputColumn {
            name: Name::Static($name),
            kind: K::Text,
            states: &[],
            get: $get,
            arg: 0,
            group: None,
            fill: Some(|rows, _, data| {
                const BYTES: for<'r> fn(&'r VisitResult) -> Option<&'r [u8]> = $bytes;
                data.extend_utf8(rows.iter().map(BYTES));
            }),
        }
    };
}

/// A visit column: name, kind, vocabulary and getter, with its [`Fill`].
macro_rules! visit_column {
    ($name:expr, $kind:expr, $states:expr, $get:expr) => {
        OutputColumn {
            name: Name::Static($name),
            kind: $kind,
            states: $states,
            get: $get,
            arg: 0,
            group: None,
            fill: Some(|rows, arg, data| {
                const GET: Getter<VisitResult> = $get;
                data.extend(rows.iter().map(|r| GET(r, arg)));
            }),
        }
    };
}

static VISIT_COLUMNS: [OutputColumn<VisitResult>; 41] = [
    text_col!("id", |r, _| text(r.id()), VisitResult::id_bytes),
    text_col!(
        "patient",
        |r, _| text(r.patient()),
        VisitResult::patient_bytes
    ),
    col!("date", K::Date, |r, _| opt(r.date(), Cell::Date)),
    col!("sledai_2k", K::SmallInteger, |r, _| {
        range_cells(r.sledai_2k())[0]
    }),
    col!("sledai_2k_min", K::SmallInteger, |r, _| {
        range_cells(r.sledai_2k())[1]
    }),
    col!("sledai_2k_max", K::SmallInteger, |r, _| {
        range_cells(r.sledai_2k())[2]
    }),
    col!("clinical_sledai_2k", K::SmallInteger, |r, _| {
        range_cells(r.clinical_sledai_2k())[0]
    }),
    col!("clinical_sledai_2k_min", K::SmallInteger, |r, _| {
        range_cells(r.clinical_sledai_2k())[1]
    }),
    col!("clinical_sledai_2k_max", K::SmallInteger, |r, _| {
        range_cells(r.clinical_sledai_2k())[2]
    }),
    col!("missing", K::List, |r, _| {
        list(Ids(IdsOf::Descriptors(r.missing())))
    }),
    col!("prednisone_equivalent_mg_per_day", K::Number, |r, _| {
        opt(r.prednisone_equivalent_mg_per_day(), |p| {
            Cell::Number(p.mg())
        })
    }),
    state!("lldas", |r, _| tri(r.lldas_states().state)),
    state!(Criterion::LldasActivity.id(), |r, _| {
        criterion(r.lldas_states(), Criterion::LldasActivity)
    }),
    state!(Criterion::LldasNoNewActivity.id(), |r, _| {
        criterion(r.lldas_states(), Criterion::LldasNoNewActivity)
    }),
    state!(Criterion::LldasPga.id(), |r, _| {
        criterion(r.lldas_states(), Criterion::LldasPga)
    }),
    state!(Criterion::LldasGlucocorticoid.id(), |r, _| {
        criterion(r.lldas_states(), Criterion::LldasGlucocorticoid)
    }),
    state!(Criterion::LldasMaintenance.id(), |r, _| {
        criterion(r.lldas_states(), Criterion::LldasMaintenance)
    }),
    state!("doris", |r, _| tri(r.doris_states().state)),
    state!(Criterion::DorisClinicalSledai.id(), |r, _| {
        criterion(r.doris_states(), Criterion::DorisClinicalSledai)
    }),
    state!(Criterion::DorisPga.id(), |r, _| {
        criterion(r.doris_states(), Criterion::DorisPga)
    }),
    state!(Criterion::DorisGlucocorticoid.id(), |r, _| {
        criterion(r.doris_states(), Criterion::DorisGlucocorticoid)
    }),
    col!("lab_conflicts", K::List, |r, _| {
        list(Ids(IdsOf::Conflicts(r.lab_conflicts())))
    }),
    col!("baseline_date", K::Date, |r, _| {
        opt(r.baseline_date(), Cell::Date)
    }),
    col!("change_from_baseline", K::SmallInteger, |r, _| {
        opt(r.change_from_baseline().and_then(|c| c.absolute()), int)
    }),
    col!(
        "change_from_baseline_min",
        K::SmallInteger,
        |r, _| match r.change_from_baseline() {
            Some(c) if c.absolute().is_none() => int(c.min()),
            _ => Cell::Empty,
        },
    ),
    col!(
        "change_from_baseline_max",
        K::SmallInteger,
        |r, _| match r.change_from_baseline() {
            Some(c) if c.absolute().is_none() => int(c.max()),
            _ => Cell::Empty,
        },
    ),
    col!("percent_change_from_baseline", K::Number, |r, _| {
        opt(
            r.change_from_baseline().and_then(|c| c.percent()),
            Cell::Number,
        )
    }),
    col!("bilag_numeric", K::SmallInteger, |r, _| {
        opt(r.bilag_numeric().and_then(|n| n.exact()), int)
    }),
    col!("bilag_new_a", K::SmallInteger, |r, _| {
        opt(r.bilag_new().and_then(|n| n.new_a.exact()), int)
    }),
    col!("bilag_new_b", K::SmallInteger, |r, _| {
        opt(r.bilag_new().and_then(|n| n.new_b.exact()), int)
    }),
    visit_column!("bilag_flare", K::State, FLARES, |r, _| {
        opt(r.bilag_flare().copied(), flare)
    }),
    state!("bicla", |r, _| tri_opt(r.bicla_state())),
    state!("sri_4", |r, _| tri_opt(r.sri_state(Sri::ALL[0]))),
    state!("sri_5", |r, _| tri_opt(r.sri_state(Sri::ALL[1]))),
    state!("sri_6", |r, _| tri_opt(r.sri_state(Sri::ALL[2]))),
    state!("sri_7", |r, _| tri_opt(r.sri_state(Sri::ALL[3]))),
    state!("sri_8", |r, _| tri_opt(r.sri_state(Sri::ALL[4]))),
    doris_2017(Doris2017Variant::ALL[0].id(), 0),
    doris_2017(Doris2017Variant::ALL[1].id(), 1),
    doris_2017(Doris2017Variant::ALL[2].id(), 2),
    doris_2017(Doris2017Variant::ALL[3].id(), 3),
];

/// The four DORIS 2017 variants, the criteria they share decided once.
static DORIS_2017: Group<VisitResult> = Group {
    get: |r| r.doris_2017_states().map(tri),
};

const fn doris_2017(name: &'static str, k: usize) -> OutputColumn<VisitResult> {
    OutputColumn {
        name: Name::Static(name),
        kind: K::State,
        states: TRI_STATES,
        get: |r, k| tri(r.doris_2017_state(Doris2017Variant::ALL[k])),
        arg: k,
        group: Some(&DORIS_2017),
        // Alone in a layout: its own getter, inlined.
        fill: Some(|rows, k, data| {
            data.extend(
                rows.iter()
                    .map(|r| tri(r.doris_2017_state(Doris2017Variant::ALL[k]))),
            );
        }),
    }
}

/// The columns of a visit result (`sledai score --output-format csv`
/// without its last column, [`ERROR_COLUMN`]; Python's `assess_frame`), in
/// order. A stable contract: new columns are only ever appended.
///
/// ```
/// use sledai::table::output::visit_columns;
/// let names: Vec<&str> = visit_columns().iter().map(|c| c.name()).collect();
/// assert_eq!(names[..6], ["id", "patient", "date", "sledai_2k", "sledai_2k_min", "sledai_2k_max"]);
/// assert_eq!(names.len(), 41);
/// ```
pub fn visit_columns() -> &'static [OutputColumn<VisitResult>] {
    &VISIT_COLUMNS
}

/// A selection of the per-visit output columns ([`visit_columns`]), in
/// the order given: the names checked against the layout, none repeated,
/// at least one (Python's `assess_frame(..., columns=[...])`, `sledai score
/// --columns`). The BICLA, SRI-k and DORIS 2017 rules run only when one of
/// their columns is selected; the totals, LLDAS, DORIS and the change from
/// baseline are computed for every visit.
///
/// ```
/// use sledai::table::output::VisitColumns;
/// let cols = VisitColumns::select(&["patient", "lldas", "doris"])?;
/// assert_eq!(cols.columns().map(|c| c.name()).collect::<Vec<_>>(), ["patient", "lldas", "doris"]);
/// assert_eq!(VisitColumns::default().len(), 41); // every column
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct VisitColumns(Vec<u8>);

impl Default for VisitColumns {
    /// Every column of [`visit_columns`], in layout order.
    fn default() -> VisitColumns {
        VisitColumns::all()
    }
}

impl VisitColumns {
    /// Every column of [`visit_columns`], in layout order.
    ///
    /// ```
    /// use sledai::table::output::{visit_columns, VisitColumns};
    /// assert_eq!(VisitColumns::all().len(), visit_columns().len());
    /// ```
    pub fn all() -> VisitColumns {
        // 41 columns: the positions fit in a byte.
        VisitColumns(
            (0..VISIT_COLUMNS.len())
                .filter_map(|k| u8::try_from(k).ok())
                .collect(),
        )
    }

    /// The columns named `names`, in that order.
    ///
    /// # Errors
    ///
    /// [`Error::UnknownName`] (field `columns`, with the nearest name as
    /// [`Error::suggestion`]) for a name that is not a visit column;
    /// [`Error::InvalidValue`] (field `columns`) for a name given twice or
    /// for no names at all.
    ///
    /// ```
    /// use sledai::table::output::VisitColumns;
    /// let err = VisitColumns::select(&["patient", "ldas"]).unwrap_err();
    /// assert_eq!(err.suggestion(), Some("lldas"));
    /// assert!(VisitColumns::select(&["lldas", "lldas"]).is_err());
    /// assert!(VisitColumns::select(&[]).is_err());
    /// ```
    pub fn select(names: &[&str]) -> Result<VisitColumns, Error> {
        static EXPECTED: OnceLock<String> = OnceLock::new();
        let expected = EXPECTED.get_or_init(|| {
            VISIT_COLUMNS
                .iter()
                .map(OutputColumn::name)
                .collect::<Vec<_>>()
                .join(", ")
        });
        if names.is_empty() {
            return Err(Error::InvalidValue {
                field: "columns",
                value: "".into(),
                reason: "select at least one column".into(),
            });
        }
        let mut out: Vec<u8> = Vec::with_capacity(names.len());
        for &name in names {
            let k = VISIT_COLUMNS
                .iter()
                .position(|c| c.name() == name)
                .and_then(|k| u8::try_from(k).ok())
                .ok_or_else(|| Error::UnknownName {
                    field: "columns",
                    value: name.into(),
                    expected: expected.as_str(),
                })?;
            if out.contains(&k) {
                return Err(Error::InvalidValue {
                    field: "columns",
                    value: name.into(),
                    reason: "the column is selected twice".into(),
                });
            }
            out.push(k);
        }
        Ok(VisitColumns(out))
    }

    /// The selected columns, in order (for [`super::typed::TableBuilder::new`]).
    ///
    /// ```
    /// use sledai::table::output::VisitColumns;
    /// assert_eq!(VisitColumns::all().columns().next().map(|c| c.name()), Some("id"));
    /// ```
    pub fn columns(
        &self,
    ) -> impl ExactSizeIterator<Item = &'static OutputColumn<VisitResult>> + '_ {
        self.0.iter().map(|&k| &VISIT_COLUMNS[usize::from(k)])
    }

    /// The number of columns selected (at least one).
    ///
    /// ```
    /// use sledai::table::output::VisitColumns;
    /// assert_eq!(VisitColumns::select(&["doris"])?.len(), 1);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[allow(clippy::len_without_is_empty)] // never empty
    pub fn len(&self) -> usize {
        self.0.len()
    }
}

/// The last column of `sledai score`'s CSV: the message of a record that
/// could not be read or assessed (`--on-error report`), empty otherwise.
pub const ERROR_COLUMN: &str = "error";

fn endpoint_row(p: &PatientSummary, e: usize) -> Option<&VisitResult> {
    match p.endpoints.get(e).map(|x| &x.endpoint) {
        Some(Endpoint::Visit(v)) => Some(&v.visit),
        _ => None,
    }
}

fn responses(p: &PatientSummary, e: usize) -> Option<&crate::timeline::Responses> {
    p.endpoints.get(e).and_then(|x| x.responses.as_ref())
}

fn range_cells(r: ScoreRange) -> [Cell<'static>; 3] {
    match exact_of(r) {
        Some(s) => [int(s.get()), Cell::Empty, Cell::Empty],
        None => [Cell::Empty, int(r.min().get()), int(r.max().get())],
    }
}

/// No change before the baseline (a screening visit): three empty cells.
fn change_cells(row: &VisitResult) -> [Cell<'static>; 3] {
    match row.change_from_baseline() {
        None => [Cell::Empty, Cell::Empty, Cell::Empty],
        Some(c) => match c.absolute() {
            Some(a) => [int(a), Cell::Empty, Cell::Empty],
            None => [Cell::Empty, int(c.min()), int(c.max())],
        },
    }
}

fn owned(
    name: String,
    kind: OutputKind,
    states: &'static [&'static str],
    get: Getter<PatientSummary>,
    arg: usize,
) -> OutputColumn<PatientSummary> {
    OutputColumn {
        name: Name::Owned(name),
        kind,
        states,
        get,
        arg,
        group: None,
        fill: None,
    }
}

fn fixed(
    name: &'static str,
    kind: OutputKind,
    states: &'static [&'static str],
    get: Getter<PatientSummary>,
) -> OutputColumn<PatientSummary> {
    OutputColumn {
        name: Name::Static(name),
        kind,
        states,
        get,
        arg: 0,
        group: None,
        fill: None,
    }
}

fn summary_of(p: &PatientSummary, which: usize) -> &StateSummary {
    match which {
        0 => &p.lldas,
        1 => &p.doris,
        _ => &p.doris_off_treatment,
    }
}

/// The columns of a patient summary (`sledai cohort --output-format csv`;
/// Python's `cohort`), in order, for the endpoint `windows` (one block of
/// `day<D>_` columns per window, in the order given) and the SRI-k that
/// `sri_k` selects (a `day<D>_sri<k>` column after `day<D>_bicla` when it
/// is 5 to 8; SRI-4 always has its column).
///
/// ```
/// use sledai::table::output::patient_columns;
/// use sledai::timeline::Window;
/// let cols = patient_columns(&[Window::new(90, 14)], None);
/// let names: Vec<&str> = cols.iter().map(|c| c.name()).collect();
/// assert_eq!(names[..3], ["patient", "visits", "reference_date"]);
/// assert!(names.contains(&"day90_change_min"));
/// assert!(!names.contains(&"day90_sri6"));
/// assert!(patient_columns(&[Window::new(90, 14)], Some(6)).iter().any(|c| c.name() == "day90_sri6"));
/// ```
pub fn patient_columns(windows: &[Window], sri_k: Option<u8>) -> Vec<OutputColumn<PatientSummary>> {
    let mut cols = vec![
        fixed("patient", K::Text, &[], |p, _| Cell::Text(&p.patient)),
        fixed("visits", K::Integer, &[], |p, _| {
            Cell::Integer(i64::try_from(p.visits).unwrap_or(i64::MAX))
        }),
        fixed("reference_date", K::Date, &[], |p, _| {
            Cell::Date(p.reference_date)
        }),
        fixed("screening", K::State, TRI_STATES, |p, _| {
            tri_opt(p.screening.as_ref().map(|s| s.state))
        }),
        fixed("baseline_date", K::Date, &[], |p, _| {
            opt(p.baseline.date(), Cell::Date)
        }),
        fixed("baseline_study_day", K::Integer, &[], |p, _| {
            opt(p.baseline.study_day(), int)
        }),
        fixed("baseline_sledai_2k", K::SmallInteger, &[], |p, _| {
            range_cells(p.baseline.sledai_2k())[0]
        }),
        fixed("baseline_sledai_2k_min", K::SmallInteger, &[], |p, _| {
            range_cells(p.baseline.sledai_2k())[1]
        }),
        fixed("baseline_sledai_2k_max", K::SmallInteger, &[], |p, _| {
            range_cells(p.baseline.sledai_2k())[2]
        }),
    ];
    for (e, w) in windows.iter().enumerate() {
        let day = w.target_day();
        let name = |s: &str| format!("day{day}_{s}");
        let visit: [(
            &str,
            OutputKind,
            &'static [&'static str],
            Getter<PatientSummary>,
        ); 12] = [
            ("no_visit_in_window", K::Boolean, &[], |p, e| {
                Cell::Boolean(endpoint_row(p, e).is_none())
            }),
            ("date", K::Date, &[], |p, e| {
                endpoint_row(p, e)
                    .and_then(|r| r.date())
                    .map_or(Cell::Empty, Cell::Date)
            }),
            ("study_day", K::Integer, &[], |p, e| {
                endpoint_row(p, e)
                    .and_then(|r| r.study_day())
                    .map_or(Cell::Empty, int)
            }),
            ("sledai_2k", K::SmallInteger, &[], |p, e| {
                opt(endpoint_row(p, e), |r| range_cells(r.sledai_2k())[0])
            }),
            ("sledai_2k_min", K::SmallInteger, &[], |p, e| {
                opt(endpoint_row(p, e), |r| range_cells(r.sledai_2k())[1])
            }),
            ("sledai_2k_max", K::SmallInteger, &[], |p, e| {
                opt(endpoint_row(p, e), |r| range_cells(r.sledai_2k())[2])
            }),
            ("change", K::SmallInteger, &[], |p, e| {
                opt(endpoint_row(p, e), |r| change_cells(r)[0])
            }),
            ("change_min", K::SmallInteger, &[], |p, e| {
                opt(endpoint_row(p, e), |r| change_cells(r)[1])
            }),
            ("change_max", K::SmallInteger, &[], |p, e| {
                opt(endpoint_row(p, e), |r| change_cells(r)[2])
            }),
            ("percent_change", K::Number, &[], |p, e| {
                opt(
                    endpoint_row(p, e).and_then(|r| r.change_from_baseline()?.percent()),
                    Cell::Number,
                )
            }),
            ("lldas", K::State, TRI_STATES, |p, e| {
                opt(endpoint_row(p, e), |r| tri(r.lldas_states().state))
            }),
            ("doris", K::State, TRI_STATES, |p, e| {
                opt(endpoint_row(p, e), |r| tri(r.doris_states().state))
            }),
        ];
        for (n, kind, states, get) in visit {
            cols.push(owned(name(n), kind, states, get, e));
        }
        cols.push(owned(
            name("sri4"),
            K::State,
            TRI_STATES,
            |p, e| {
                tri_opt(
                    p.endpoints
                        .get(e)
                        .and_then(|x| x.sri4.as_ref())
                        .map(|s| s.state()),
                )
            },
            e,
        ));
        cols.push(owned(
            name("bicla"),
            K::State,
            TRI_STATES,
            |p, e| tri_opt(responses(p, e).and_then(|r| r.bicla)),
            e,
        ));
        let sri_k: Option<(u8, Getter<PatientSummary>)> = match sri_k {
            Some(5) => Some((5, |p, e| tri_opt(responses(p, e).and_then(|r| r.sri_5)))),
            Some(6) => Some((6, |p, e| tri_opt(responses(p, e).and_then(|r| r.sri_6)))),
            Some(7) => Some((7, |p, e| tri_opt(responses(p, e).and_then(|r| r.sri_7)))),
            Some(8) => Some((8, |p, e| tri_opt(responses(p, e).and_then(|r| r.sri_8)))),
            _ => None,
        };
        if let Some((k, get)) = sri_k {
            cols.push(owned(
                name(&format!("sri{k}")),
                K::State,
                TRI_STATES,
                get,
                e,
            ));
        }
        cols.push(owned(
            name("lldas_bicla"),
            K::State,
            TRI_STATES,
            |p, e| tri_opt(responses(p, e).and_then(|r| r.lldas_bicla)),
            e,
        ));
        cols.push(owned(
            name("lldas_sri4"),
            K::State,
            TRI_STATES,
            |p, e| tri_opt(responses(p, e).and_then(|r| r.lldas_sri_4)),
            e,
        ));
        let variants: [(Doris2017Variant, Getter<PatientSummary>); 4] = [
            (Doris2017Variant::ALL[0], |p, e| {
                tri_opt(responses(p, e).map(|r| r.doris_2017_clinical_on_treatment))
            }),
            (Doris2017Variant::ALL[1], |p, e| {
                tri_opt(responses(p, e).map(|r| r.doris_2017_complete_on_treatment))
            }),
            (Doris2017Variant::ALL[2], |p, e| {
                tri_opt(responses(p, e).map(|r| r.doris_2017_clinical_off_treatment))
            }),
            (Doris2017Variant::ALL[3], |p, e| {
                tri_opt(responses(p, e).map(|r| r.doris_2017_complete_off_treatment))
            }),
        ];
        for (v, get) in variants {
            cols.push(owned(name(v.id()), K::State, TRI_STATES, get, e));
        }
    }
    for (which, prefix) in ["lldas", "doris", "doris_off_treatment"].iter().enumerate() {
        let name = |s: &str| format!("{prefix}_{s}");
        let state: [(
            &str,
            OutputKind,
            &'static [&'static str],
            Getter<PatientSummary>,
        ); 9] = [
            ("time_fraction", K::Number, &[], |p, w| {
                opt(summary_of(p, w).time.fraction_of_time, Cell::Number)
            }),
            ("time_fraction_upper", K::Number, &[], |p, w| {
                opt(summary_of(p, w).time.fraction_of_time_upper, Cell::Number)
            }),
            ("visit_fraction", K::Number, &[], |p, w| {
                opt(summary_of(p, w).time.fraction_of_visits, Cell::Number)
            }),
            ("visit_fraction_upper", K::Number, &[], |p, w| {
                opt(summary_of(p, w).time.fraction_of_visits_upper, Cell::Number)
            }),
            ("at_least_half", K::State, TRI_STATES, |p, w| {
                tri(summary_of(p, w).time.at_least_half)
            }),
            ("longest_run_days", K::Integer, &[], |p, w| {
                opt(summary_of(p, w).sustained.longest_run.as_ref(), |r| {
                    int(r.span_days)
                })
            }),
            ("sustained", K::State, TRI_STATES, |p, w| {
                tri_opt(summary_of(p, w).sustained.meets_duration)
            }),
            ("ever", K::State, TRI_STATES, |p, w| {
                tri(summary_of(p, w).ever)
            }),
            ("first_day", K::Integer, &[], |p, w| {
                opt(summary_of(p, w).first_day, int)
            }),
        ];
        for (n, kind, states, get) in state {
            cols.push(owned(name(n), kind, states, get, which));
        }
    }
    cols
}

// ------------------------------------------------------------- ADaM dataset

fn flag(b: bool) -> Cell<'static> {
    if b { Cell::Text("Y") } else { Cell::Empty }
}

fn number(x: Option<f64>) -> Cell<'static> {
    opt(x, Cell::Number)
}

fn day(d: Option<i32>) -> Cell<'static> {
    opt(d, int)
}

const fn variable(
    name: &'static str,
    label: &'static str,
    kind: OutputKind,
    get: Getter<Record>,
) -> OutputColumn<Record> {
    OutputColumn {
        name: Name::Labelled(name, label),
        kind,
        states: &[],
        get,
        arg: 0,
        group: None,
        fill: None,
    }
}

/// The variables of the ADaM dataset: name (at most 8 characters), label
/// (ADaMIG v1.3 for the standard variables, docs/adam.md for the sponsor
/// ones), kind and cell.
static ADAM_COLUMNS: [OutputColumn<Record>; 27] = [
    variable("USUBJID", "Unique Subject Identifier", K::Text, |r, _| {
        Cell::Text(&r.usubjid)
    }),
    variable("PARAMCD", "Parameter Code", K::Text, |r, _| {
        Cell::Text(&r.paramcd)
    }),
    variable("PARAM", "Parameter", K::Text, |r, _| Cell::Text(&r.param)),
    variable("AVAL", "Analysis Value", K::Number, |r, _| number(r.aval)),
    variable("AVALC", "Analysis Value (C)", K::Text, |r, _| text(r.avalc)),
    variable(
        "AVALLO",
        "Analysis Value Lowest Possible",
        K::Number,
        |r, _| number(r.avallo),
    ),
    variable(
        "AVALHI",
        "Analysis Value Highest Possible",
        K::Number,
        |r, _| number(r.avalhi),
    ),
    variable(
        "AVALRSN",
        "Reason Analysis Value Is Missing",
        K::Text,
        |r, _| text(r.avalrsn.map(MissingReason::id)),
    ),
    // A text column: ISO 8601 text in every output (a Python frame's
    // column of strings), the cell a date.
    variable("ADT", "Analysis Date", K::Text, |r, _| {
        opt(r.adt, Cell::Date)
    }),
    variable(
        "ADY",
        "Analysis Relative Day",
        K::Integer,
        |r, _| day(r.ady),
    ),
    variable(
        "ADY0",
        "Analysis Day, Reference Date as Day 0",
        K::Integer,
        |r, _| day(r.ady0),
    ),
    variable("AVISIT", "Analysis Visit", K::Text, |r, _| {
        text(r.avisit.as_deref())
    }),
    variable("AVISITN", "Analysis Visit (N)", K::Integer, |r, _| {
        day(r.avisitn)
    }),
    variable("AWTARGET", "Analysis Window Target", K::Integer, |r, _| {
        day(r.awtarget)
    }),
    variable(
        "AWLO",
        "Analysis Window Beginning Timepoint",
        K::Integer,
        |r, _| day(r.awlo),
    ),
    variable(
        "AWHI",
        "Analysis Window Ending Timepoint",
        K::Integer,
        |r, _| day(r.awhi),
    ),
    variable("ABLFL", "Baseline Record Flag", K::Text, |r, _| {
        flag(r.ablfl)
    }),
    variable("BASE", "Baseline Value", K::Number, |r, _| number(r.base)),
    variable("CHG", "Change from Baseline", K::Number, |r, _| {
        number(r.chg)
    }),
    variable(
        "CHGLO",
        "Change from Baseline Lowest Possible",
        K::Number,
        |r, _| number(r.chglo),
    ),
    variable(
        "CHGHI",
        "Change from Baseline Highest Possible",
        K::Number,
        |r, _| number(r.chghi),
    ),
    variable("PCHG", "Percent Change from Baseline", K::Number, |r, _| {
        number(r.pchg)
    }),
    variable("ANL01FL", "Analysis Flag 01", K::Text, |r, _| {
        flag(r.anl01fl)
    }),
    variable("CRIT1", "Analysis Criterion 1", K::Text, |r, _| {
        text(r.crit1)
    }),
    variable(
        "CRIT1FL",
        "Criterion 1 Evaluation Result Flag",
        K::Text,
        |r, _| match r.crit1fl {
            Some(true) => Cell::Text("Y"),
            Some(false) => Cell::Text("N"),
            None => Cell::Empty,
        },
    ),
    variable(
        "CRIT1RSN",
        "Reason Criterion 1 Flag Is Missing",
        K::Text,
        |r, _| text(r.crit1rsn.map(MissingReason::id)),
    ),
    variable("DTYPE", "Derivation Type", K::Text, |r, _| text(r.dtype)),
];

/// The variables of the ADaM dataset ([`Record`], one row per subject x
/// parameter x analysis visit record: `sledai adam`, Python's
/// `sledai.adam`), in output order, each with its ADaM label
/// ([`OutputColumn::label`]); `docs/adam.md` gives each one's meaning.
///
/// The cells: text (`USUBJID`, `PARAMCD`, `AVISIT`, the flags `Y` or
/// empty, `CRIT1FL` `Y` / `N`, the reasons by their identifier); `ADT`, a
/// text column whose cell is a [`Cell::Date`] (ISO 8601 text); the days and
/// `AVISITN` as [`OutputKind::Integer`]; `AVAL`, `BASE`, `CHG`, `PCHG` and
/// the bounds as [`OutputKind::Number`]; an empty cell where the record
/// gives no value. The record's serde form is an object of these cells in
/// this order (an empty cell `null`).
///
/// ```
/// use sledai::adam::{self, AdamOptions, AnalysisWindow};
/// use sledai::table::output::{adam_columns, Cell};
/// use sledai::timeline::{Cohort, TimelineOptions, Window};
/// use sledai::visit::VisitInput;
/// use sledai::{Assessment, Date, Descriptor};
///
/// let names: Vec<&str> = adam_columns().iter().map(|c| c.name()).collect();
/// assert_eq!(names[..6], ["USUBJID", "PARAMCD", "PARAM", "AVAL", "AVALC", "AVALLO"]);
/// assert!(names.iter().all(|n| n.len() <= 8));
/// assert_eq!(adam_columns()[0].label(), Some("Unique Subject Identifier"));
///
/// let d = |s: &str| s.parse::<Date>().unwrap();
/// let rows = [
///     VisitInput::dated(d("2024-01-01"), Assessment::from_present([Descriptor::Rash])).with_patient("P1"),
///     VisitInput::dated(d("2024-03-31"), Assessment::from_present([])).with_patient("P1"),
/// ];
/// let cohort = Cohort::from_records(rows, &TimelineOptions::default())?;
/// let options = AdamOptions::default().with_windows(AnalysisWindow::days([Window::new(90, 14)]));
/// let day90 = adam::evaluate(&cohort, options)?
///     .records()
///     .find(|r| r.paramcd == "SLEDAI" && r.anl01fl)
///     .expect("the day-90 record");
/// let cell = |name: &str| adam_columns().iter().find(|c| c.name() == name).expect("a variable").cell(&day90);
/// assert_eq!(cell("AVAL"), Cell::Number(0.0));
/// assert_eq!(cell("CHG"), Cell::Number(-2.0)); // rash (2) at baseline, nothing at day 90
/// assert_eq!(cell("ADT"), Cell::Date(d("2024-03-31")));
/// assert_eq!(cell("ADY"), Cell::Integer(91));
/// assert_eq!(cell("ANL01FL"), Cell::Text("Y"));
/// assert_eq!(cell("ABLFL"), Cell::Empty);
/// # Ok::<(), sledai::Error>(())
/// ```
pub fn adam_columns() -> &'static [OutputColumn<Record>] {
    &ADAM_COLUMNS
}

/// A cell as JSON: empty as `null`, a list as its `;`-joined text, a state
/// as its identifier in `states`.
struct JsonCell<'a>(Cell<'a>, &'static [&'static str]);

impl serde::Serialize for JsonCell<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Cell::Empty => s.serialize_none(),
            Cell::Text(t) => s.serialize_str(t),
            Cell::List(ids) => s.collect_str(&ids),
            Cell::Date(d) => d.serialize(s),
            Cell::Integer(n) => s.serialize_i64(n),
            Cell::Number(x) => s.serialize_f64(x),
            Cell::Boolean(b) => s.serialize_bool(b),
            Cell::State(c) => match self.1.get(usize::from(c)) {
                Some(id) => s.serialize_str(id),
                None => s.serialize_none(),
            },
        }
    }
}

impl serde::Serialize for Record {
    /// An object of the cells of [`adam_columns`], in order, keyed by the
    /// variable names: text and dates as strings, numbers as numbers, an
    /// empty cell as `null` (`sledai adam`'s JSON Lines).
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(ADAM_COLUMNS.len()))?;
        for c in &ADAM_COLUMNS {
            m.serialize_entry(c.name(), &JsonCell(c.cell(self), c.states()))?;
        }
        m.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_codes_follow_the_vocabularies() {
        for s in TriState::ALL {
            let Cell::State(c) = tri(s) else { panic!() };
            assert_eq!(TRI_STATES[usize::from(c)], s.id());
        }
        for f in [
            Flare::Severe,
            Flare::Moderate,
            Flare::Mild,
            Flare::None,
            Flare::Indeterminate,
        ] {
            let Cell::State(c) = flare(f) else { panic!() };
            assert_eq!(FLARES[usize::from(c)], f.as_str());
        }
    }

    #[test]
    fn visit_column_names_are_unique_and_state_columns_have_states() {
        let cols = visit_columns();
        let mut names: Vec<&str> = cols.iter().map(|c| c.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), cols.len());
        for c in cols {
            assert_eq!(
                c.kind() == OutputKind::State,
                !c.states().is_empty(),
                "{}",
                c.name()
            );
        }
        // The criteria columns are the core's criterion identifiers.
        for c in [Criterion::LldasPga, Criterion::DorisGlucocorticoid] {
            assert!(cols.iter().any(|x| x.name() == c.id()));
        }
    }
}
