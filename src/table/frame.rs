//! A table of visits assessed whole: typed columns in ([`super::column`]),
//! typed columns out ([`super::typed`]), in the visit layout
//! ([`super::output::visit_columns`]).
//!
//! [`assess`] gives what `sledai score` gives for a file, and is what
//! Python's `assess_frame` does to a data frame: every row through one
//! [`PatientStream`] in row order, so that LLDAS criterion 2 and the change
//! from baseline follow each patient's previous row. Its result equals,
//! row for row, [`super::column::visits`] followed by
//! [`PatientStream::assess`] on each record and a [`TableBuilder`] push of
//! each result; its error is the error of that loop (the first record the
//! table layer rejects, else the first visit the stream rejects, as
//! [`Error::InBatch`] naming its row).
//!
//! # Threads
//!
//! A patient's rows depend on each other; different patients' rows do
//! not. When the rows of each patient are together (a table sorted by
//! patient, as most exports are; a table without a `patient` column, whose
//! every row is a patient of its own), [`assess`] splits the rows into
//! contiguous blocks at patient boundaries and assesses the blocks on
//! [`FrameOptions::threads`] threads, each block with its own stream, then
//! joins the blocks' columns in row order. It checks that no patient's
//! rows fall in two blocks; when they do (patients interleaved, say a
//! table sorted by date), or when a block fails, it runs the one
//! sequential loop instead, so neither the result nor the error depends on
//! the number of threads.
//!
//! # Example
//!
//! ```
//! use sledai::table::{self, column::{Column, Values}, frame, HeaderOptions};
//! use sledai::table::typed::ColumnData;
//! use sledai::Descriptor;
//!
//! let mut names: Vec<&str> = Descriptor::ALL.iter().map(|d| d.id()).collect();
//! names.extend(["patient", "date"]);
//! let header = table::resolve(&names, &HeaderOptions::default())?;
//! let zeros = [0u8; 2];
//! let arthritis = [1u8, 0];
//! let patient = ["P1", "P1"].map(Some);
//! let days = [19_723i32, 19_813]; // 2024-01-01, 2024-03-31
//! let mut columns: Vec<Column<'_>> = vec![Column::new(Values::Bool(&zeros)); 24];
//! columns[Descriptor::Arthritis.position() as usize - 1] = Column::new(Values::Bool(&arthritis));
//! columns.push(Column::new(Values::Text(&patient)));
//! columns.push(Column::new(Values::Days(&days)));
//!
//! let out = frame::assess(&header, &columns, 2, frame::FrameOptions::default())?;
//! let change = out.column("change_from_baseline").expect("a column");
//! let ColumnData::SmallInteger { values, .. } = change.data() else { panic!("integers") };
//! assert_eq!(values[..], [0, -4]);
//! # Ok::<(), sledai::Error>(())
//! ```

use std::borrow::Cow;
use std::collections::HashSet;
use std::ops::Range;

use crate::error::Error;
use crate::parallel::{self, Threads};
use crate::timeline::{Cohort, PATIENTS_PER_CHUNK, Timeline, TimelineOptions};
use crate::visit::{PatientStream, VisitInput, VisitOptions, VisitResult};

use super::column::{self, Column};
use super::header::{Column as HeaderColumn, Header};
use super::output::{OutputColumn, VisitColumns};
use super::schema::Field;
use super::typed::{TableBuilder, TypedTable};

/// The options of [`assess`]: the visit options of the stream and the
/// number of threads.
///
/// ```
/// use sledai::table::frame::FrameOptions;
/// use sledai::visit::VisitOptions;
/// use sledai::Threads;
/// let o = FrameOptions::from(VisitOptions::default()).with_threads(Threads::SEQUENTIAL);
/// assert_eq!(o.threads(), Threads::SEQUENTIAL);
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FrameOptions {
    visit: VisitOptions,
    threads: Threads,
    columns: VisitColumns,
}

impl FrameOptions {
    /// The same options with these visit options.
    ///
    /// ```
    /// use sledai::table::frame::FrameOptions;
    /// use sledai::visit::VisitOptions;
    /// assert_eq!(FrameOptions::default().with_visit(VisitOptions::default()).visit(), VisitOptions::default());
    /// ```
    #[must_use]
    pub const fn with_visit(mut self, visit: VisitOptions) -> FrameOptions {
        self.visit = visit;
        self
    }

    /// The same options on this many threads (default
    /// [`Threads::AVAILABLE`]; the result does not depend on it).
    ///
    /// ```
    /// use sledai::table::frame::FrameOptions;
    /// use sledai::Threads;
    /// assert_eq!(FrameOptions::default().with_threads(Threads::new(2)?).threads(), Threads::new(2)?);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub const fn with_threads(mut self, threads: Threads) -> FrameOptions {
        self.threads = threads;
        self
    }

    /// The same options with only these output columns (by default every
    /// column of [`visit_columns`](super::output::visit_columns)).
    ///
    /// ```
    /// use sledai::table::frame::FrameOptions;
    /// use sledai::table::output::VisitColumns;
    /// let o = FrameOptions::default().with_columns(VisitColumns::select(&["patient", "doris"])?);
    /// assert_eq!(o.columns().len(), 2);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub fn with_columns(mut self, columns: VisitColumns) -> FrameOptions {
        self.columns = columns;
        self
    }

    /// The output columns.
    ///
    /// ```
    /// use sledai::table::frame::FrameOptions;
    /// use sledai::table::output::visit_columns;
    /// assert_eq!(FrameOptions::default().columns().len(), visit_columns().len());
    /// ```
    pub const fn columns(&self) -> &VisitColumns {
        &self.columns
    }

    /// The visit options.
    ///
    /// ```
    /// use sledai::table::frame::FrameOptions;
    /// use sledai::visit::VisitOptions;
    /// assert_eq!(FrameOptions::default().visit(), VisitOptions::default());
    /// ```
    pub const fn visit(&self) -> VisitOptions {
        self.visit
    }

    /// The number of threads.
    ///
    /// ```
    /// use sledai::table::frame::FrameOptions;
    /// use sledai::Threads;
    /// assert_eq!(FrameOptions::default().threads(), Threads::AVAILABLE);
    /// ```
    pub const fn threads(&self) -> Threads {
        self.threads
    }
}

impl From<VisitOptions> for FrameOptions {
    fn from(visit: VisitOptions) -> FrameOptions {
        FrameOptions::default().with_visit(visit)
    }
}

/// Results gathered before their cells are written column by column
/// ([`TableBuilder::extend`]): small enough to stay in cache.
const BATCH: usize = 256;

/// Fewer rows than this per block are not worth a thread.
const MIN_ROWS_PER_BLOCK: usize = 4096;

/// The visit results of a table of `n` rows (`columns[j]` the column that
/// `header.columns()[j]` resolved to, as for [`column::visits`]), as typed
/// columns in the layout of [`visit_columns`](super::output::visit_columns) (or the selection of
/// [`FrameOptions::with_columns`]).
///
/// # Errors
///
/// Those of [`column::visits`]; then the first visit
/// [`PatientStream::assess`] rejects, as [`Error::InBatch`] naming its row.
///
/// ```
/// use sledai::table::{self, column::{Column, Values}, frame, HeaderOptions};
/// use sledai::Descriptor;
/// let mut names: Vec<&str> = Descriptor::ALL.iter().map(|d| d.id()).collect();
/// names.extend(["patient", "date"]);
/// let header = table::resolve(&names, &HeaderOptions::default())?;
/// let zeros = [0u8; 2];
/// let patient = ["P1", "P1"].map(Some);
/// let days = [19_813i32, 19_723]; // out of date order
/// let mut columns = vec![Column::new(Values::Bool(&zeros)); 24];
/// columns.push(Column::new(Values::Text(&patient)));
/// columns.push(Column::new(Values::Days(&days)));
/// let err = frame::assess(&header, &columns, 2, frame::FrameOptions::default()).unwrap_err();
/// assert!(err.to_string().starts_with("item 1: date: invalid value `2024-01-01`"), "{err}");
/// # Ok::<(), sledai::Error>(())
/// ```
pub fn assess(
    header: &Header,
    columns: &[Column<'_>],
    n: usize,
    options: impl Into<FrameOptions>,
) -> Result<TypedTable, Error> {
    run(header, columns, n, &options.into(), MIN_ROWS_PER_BLOCK).0
}

/// How [`run`] went: in this many blocks, or by the sequential loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Path {
    Blocks(usize),
    Sequential,
}

/// [`assess`] with blocks of at least `min_rows` rows, and how it went.
fn run(
    header: &Header,
    columns: &[Column<'_>],
    n: usize,
    options: &FrameOptions,
    min_rows: usize,
) -> (Result<TypedTable, Error>, Path) {
    let layout: Vec<&'static OutputColumn<VisitResult>> = options.columns.columns().collect();
    let (blocks, threads) = parallel::chunks(n, options.threads, min_rows);
    if blocks.len() > 1 && lengths_agree(header, columns, n) {
        // Without a patient column every row is a patient of its own.
        let blocks = match patient_column(header, columns) {
            Some(patient) => {
                let blocks = at_patient_boundaries(&blocks, &patient, n);
                let apart = blocks.len() > 1 && patients_apart(&blocks, &patient, threads);
                if apart { blocks } else { Vec::new() }
            }
            None => blocks,
        };
        if blocks.len() > 1 {
            let parts = parallel::run(blocks.len(), threads, |b| {
                block(
                    header,
                    columns,
                    blocks[b].clone(),
                    n,
                    options.visit,
                    &layout,
                )
            });
            if let Some(table) = joined(parts, threads) {
                return (Ok(table), Path::Blocks(blocks.len()));
            }
        }
    }
    (
        sequential(header, columns, n, options.visit, &layout),
        Path::Sequential,
    )
}

/// The visit records of a table, exactly as [`column::visits`] gives
/// them (the same records, or its error), built in blocks of rows on
/// `threads` threads: the records of a cohort
/// ([`Cohort::from_records`](crate::timeline::Cohort::from_records)) read
/// from a large table. A record depends only on its own row, so the blocks
/// are independent; a failing block sends the table to
/// [`column::visits`] itself for its error.
///
/// # Errors
///
/// Those of [`column::visits`].
///
/// ```
/// use sledai::table::{self, column::{self, Column, Values}, frame, HeaderOptions};
/// use sledai::{Descriptor, Threads};
/// let names: Vec<&str> = Descriptor::ALL.iter().map(|d| d.id()).collect();
/// let header = table::resolve(&names, &HeaderOptions::default())?;
/// let zeros = vec![0u8; 10_000];
/// let columns = vec![Column::new(Values::Bool(&zeros)); 24];
/// let records = frame::records(&header, &columns, 10_000, Threads::new(2)?)?;
/// assert_eq!(records, column::visits(&header, &columns, 10_000)?);
/// # Ok::<(), sledai::Error>(())
/// ```
pub fn records(
    header: &Header,
    columns: &[Column<'_>],
    n: usize,
    threads: Threads,
) -> Result<Vec<VisitInput>, Error> {
    let (blocks, threads) = parallel::chunks(n, threads, MIN_ROWS_PER_BLOCK);
    if blocks.len() > 1 && lengths_agree(header, columns, n) {
        let parts = parallel::run(blocks.len(), threads, |b| {
            column::visits(header, &sliced(columns, blocks[b].clone()), blocks[b].len()).ok()
        });
        if parts.iter().all(Option::is_some) {
            let mut out = Vec::with_capacity(n);
            out.extend(parts.into_iter().flatten().flatten());
            return Ok(out);
        }
    }
    column::visits(header, columns, n)
}

/// The cohort of a table of `n` rows (`columns[j]` the column that
/// `header.columns()[j]` resolved to, as for [`column::visits`]): what
/// [`Cohort::from_records`] gives for [`records`] of the table, the same
/// cohort or the same error.
///
/// When each patient's rows are together (a table sorted by patient, in
/// any order of the patients), each patient's records are read and its
/// timeline built straight from its rows, patients in identifier order on
/// [`TimelineOptions::threads`] threads, so no record of the table is
/// held twice. Otherwise (patients interleaved, a row without a patient),
/// and for the error of a table that fails, the records of the whole table
/// go to [`Cohort::from_records`].
///
/// # Errors
///
/// Those of [`column::visits`], then those of [`Cohort::from_records`].
///
/// ```
/// use sledai::table::{self, column::{Column, Values}, frame, HeaderOptions};
/// use sledai::timeline::{SummaryOptions, TimelineOptions, Window};
/// use sledai::Descriptor;
///
/// let mut names: Vec<&str> = Descriptor::ALL.iter().map(|d| d.id()).collect();
/// names.extend(["patient", "date"]);
/// let header = table::resolve(&names, &HeaderOptions::default())?;
/// let zeros = [0u8; 3];
/// let arthritis = [1u8, 0, 0];
/// let patient = ["P2", "P2", "P1"].map(Some);
/// let days = [19_723i32, 19_813, 19_723]; // 2024-01-01, 2024-03-31, 2024-01-01
/// let mut columns: Vec<Column<'_>> = vec![Column::new(Values::Bool(&zeros)); 24];
/// columns[Descriptor::Arthritis.position() as usize - 1] = Column::new(Values::Bool(&arthritis));
/// columns.push(Column::new(Values::Text(&patient)));
/// columns.push(Column::new(Values::Days(&days)));
///
/// let cohort = frame::cohort(&header, &columns, 3, &TimelineOptions::default())?;
/// assert_eq!(cohort.patients().map(|(id, _)| id).collect::<Vec<_>>(), ["P1", "P2"]);
/// let report = cohort.summarize(&SummaryOptions::new([Window::new(90, 14)]));
/// let day90 = &report.patients[1].endpoints[0].endpoint.visit().expect("a visit").visit;
/// assert_eq!(day90.change_from_baseline().map(|c| c.absolute()), Some(Some(-4)));
/// # Ok::<(), sledai::Error>(())
/// ```
pub fn cohort(
    header: &Header,
    columns: &[Column<'_>],
    n: usize,
    options: &TimelineOptions,
) -> Result<Cohort, Error> {
    if let Some(cohort) = cohort_by_patient(header, columns, n, options) {
        return Ok(cohort);
    }
    Cohort::from_records(records(header, columns, n, options.threads())?, options)
}

/// [`cohort`] from each patient's rows, when every row has a patient and
/// each patient's rows are together; `None` otherwise, or when a patient
/// fails (then [`Cohort::from_records`] finds the table's error).
fn cohort_by_patient(
    header: &Header,
    columns: &[Column<'_>],
    n: usize,
    options: &TimelineOptions,
) -> Option<Cohort> {
    if !lengths_agree(header, columns, n) {
        return None;
    }
    let patient = patient_column(header, columns)?;
    // The runs of rows of one patient, read as the records read them.
    let mut runs: Vec<(Cow<'_, str>, Range<usize>)> = Vec::new();
    for i in 0..n {
        let p = column::text_field(&patient, i)?;
        match runs.last_mut() {
            Some((q, rows)) if *q == p => rows.end = i + 1,
            _ => runs.push((p, i..i + 1)),
        }
    }
    // The runs in identifier order; a patient in two runs has its rows
    // apart.
    let mut order: Vec<usize> = (0..runs.len()).collect();
    order.sort_unstable_by(|&a, &b| runs[a].0.cmp(&runs[b].0));
    if order.windows(2).any(|w| runs[w[0]].0 == runs[w[1]].0) {
        return None;
    }
    let reader = column::Reader::new(header, columns, n).ok()?;
    let runs = &runs;
    // Runs in row order on each thread, the descriptor cells of about a
    // batch of rows at a time.
    let built = parallel::try_map_ranges(
        runs.len(),
        options.threads(),
        PATIENTS_PER_CHUNK,
        |range| -> Result<Vec<Option<(String, Timeline)>>, ()> {
            let mut reader = reader.clone();
            let mut out = Vec::with_capacity(range.len());
            let mut k = range.start;
            while k < range.end {
                let start = runs[k].1.start;
                let mut group = k + 1;
                while group < range.end && runs[group].1.end - start <= BATCH {
                    group += 1;
                }
                reader.mask(start..runs[group - 1].1.end).map_err(drop)?;
                for (id, rows) in &runs[k..group] {
                    let mut records = Vec::with_capacity(rows.len());
                    reader.fill(rows.clone(), &mut records).map_err(drop)?;
                    let t = Timeline::from_indexed(rows.clone().collect(), records, options)
                        .map_err(drop)?;
                    out.push(Some((id.as_ref().to_owned(), t)));
                }
                k = group;
            }
            Ok(out)
        },
    )
    .ok()?;
    let mut built = built;
    let patients = order
        .iter()
        .filter_map(|&k| built.get_mut(k).and_then(Option::take))
        .collect();
    Some(Cohort::from_sorted(patients))
}

/// The one loop: every record, then every visit in row order. It runs as
/// [`fused`] when no row fails (the same records and results, a batch of
/// rows at a time), and as [`two_phase`] for the error of a table that
/// fails.
fn sequential(
    header: &Header,
    columns: &[Column<'_>],
    n: usize,
    options: VisitOptions,
    layout: &[&'static OutputColumn<VisitResult>],
) -> Result<TypedTable, Error> {
    match fused(header, columns, n, n, options, layout) {
        Some(table) => Ok(table),
        None => two_phase(header, columns, n, options, layout),
    }
}

/// The one loop as written: every record of the table
/// ([`column::visits`], its error), then every visit through the stream
/// (the first it rejects).
fn two_phase(
    header: &Header,
    columns: &[Column<'_>],
    n: usize,
    options: VisitOptions,
    layout: &[&'static OutputColumn<VisitResult>],
) -> Result<TypedTable, Error> {
    let inputs = column::visits(header, columns, n)?;
    let mut stream = PatientStream::new(options);
    let mut table = TableBuilder::new(layout.iter().copied(), n);
    let mut batch = Vec::with_capacity(BATCH);
    for (k, records) in inputs.chunks(BATCH).enumerate() {
        assess_batch(&mut stream, records, k * BATCH, &mut batch, &mut table)?;
    }
    Ok(table.finish())
}

/// The visits of one batch, rows `first..`, through the stream and into
/// the table's columns (`batch`: the results' buffer, left empty); the
/// first visit the stream rejects, as [`Error::InBatch`] of its row.
fn assess_batch(
    stream: &mut PatientStream,
    records: &[VisitInput],
    first: usize,
    batch: &mut Vec<VisitResult>,
    table: &mut TableBuilder<'_, VisitResult>,
) -> Result<(), Error> {
    for (i, v) in (first..).zip(records) {
        // Matched, not `map_err(..)?`: the result is moved once.
        match stream.assess(v) {
            Ok(r) => batch.push(r),
            Err(e) => return Err(in_row(i, e)),
        }
    }
    table.extend(batch);
    batch.clear();
    Ok(())
}

/// [`two_phase`] a batch of rows at a time: a batch's records are read,
/// assessed in row order by the one stream and dropped, so no record of
/// the table is held (or written to memory) beyond its batch. Records and
/// results are those of [`two_phase`], which depend only on the rows and
/// the order; `None` when a row fails (the error of the table is
/// [`two_phase`]'s: a record error anywhere comes before a stream error,
/// which a batch at a time cannot know). The output columns have room for
/// `capacity` rows.
fn fused(
    header: &Header,
    columns: &[Column<'_>],
    n: usize,
    capacity: usize,
    options: VisitOptions,
    layout: &[&'static OutputColumn<VisitResult>],
) -> Option<TypedTable> {
    let mut reader = column::Reader::new(header, columns, n).ok()?;
    if !reader.whole() {
        // A descriptor column of another length: the error is the
        // records', even when there is no batch to read (`n` = 0).
        return None;
    }
    let mut stream = PatientStream::new(options);
    let mut table = TableBuilder::new(layout.iter().copied(), capacity);
    let mut records = Vec::with_capacity(BATCH);
    let mut batch = Vec::with_capacity(BATCH);
    for start in (0..n).step_by(BATCH) {
        reader
            .read(start..n.min(start + BATCH), &mut records)
            .ok()?;
        assess_batch(&mut stream, &records, start, &mut batch, &mut table).ok()?;
    }
    Some(table.finish())
}

fn in_row(index: usize, e: Error) -> Error {
    Error::InBatch {
        index,
        source: Box::new(e),
    }
}

/// A block's columns: the one loop on the block's rows ([`fused`]),
/// `None` when a row of it fails (the loop on the whole table then finds
/// the table's first error).
fn block(
    header: &Header,
    columns: &[Column<'_>],
    rows: Range<usize>,
    total: usize,
    options: VisitOptions,
    layout: &[&'static OutputColumn<VisitResult>],
) -> Option<TypedTable> {
    let n = rows.len();
    // The first block's columns become the joined table's (`joined`):
    // room for all `total` rows.
    let capacity = if rows.start == 0 { total } else { n };
    fused(header, &sliced(columns, rows), n, capacity, options, layout)
}

/// Rows `rows` of every column (the same buffers).
fn sliced<'a>(columns: &[Column<'a>], rows: Range<usize>) -> Vec<Column<'a>> {
    columns.iter().map(|c| c.slice(rows.clone())).collect()
}

/// The blocks joined in row order, when every block succeeded.
fn joined(parts: Vec<Option<TypedTable>>, threads: usize) -> Option<TypedTable> {
    let mut parts: Vec<TypedTable> = parts.into_iter().collect::<Option<_>>()?;
    if parts.is_empty() {
        return None;
    }
    let mut out = parts.remove(0);
    out.append(parts, threads);
    Some(out)
}

/// Whether no patient has rows in two blocks (read as the records read
/// the column; a row whose patient cannot be read counts as no patient:
/// its block fails, and the sequential loop reports it).
fn patients_apart(blocks: &[Range<usize>], patient: &Column<'_>, threads: usize) -> bool {
    let sets = parallel::run(blocks.len(), threads, |b| {
        let mut set: HashSet<Cow<'_, str>> = HashSet::new();
        let mut last: Option<Cow<'_, str>> = None;
        for i in blocks[b].clone() {
            let p = column::text_field(patient, i);
            if p.is_some() && p != last {
                set.insert(p.clone().unwrap_or_default());
                last = p;
            }
        }
        set
    });
    let mut seen: HashSet<&str> = HashSet::new();
    for set in &sets {
        if set.iter().any(|p| seen.contains(p.as_ref())) {
            return false;
        }
        seen.extend(set.iter().map(AsRef::as_ref));
    }
    true
}

/// Whether every column has `n` rows (else the sequential loop reports
/// the problem, in its order).
fn lengths_agree(header: &Header, columns: &[Column<'_>], n: usize) -> bool {
    columns.len() == header.columns().len() && columns.iter().all(|c| c.check(n, "column").is_ok())
}

fn patient_column<'a>(header: &Header, columns: &[Column<'a>]) -> Option<Column<'a>> {
    header
        .columns()
        .iter()
        .position(|c| *c == HeaderColumn::Field(Field::PATIENT))
        .map(|j| columns[j])
}

/// `blocks` with each start moved forward to the first row whose patient
/// differs from the row before it (empty blocks dropped).
fn at_patient_boundaries(
    blocks: &[Range<usize>],
    patient: &Column<'_>,
    n: usize,
) -> Vec<Range<usize>> {
    let mut starts: Vec<usize> = vec![0];
    for b in &blocks[1..] {
        let mut s = b.start.max(*starts.last().unwrap_or(&0));
        while s < n && s > 0 {
            let here = column::text_field(patient, s);
            if here.is_none() || here != column::text_field(patient, s - 1) {
                break;
            }
            s += 1;
        }
        if s < n && s > *starts.last().unwrap_or(&0) {
            starts.push(s);
        }
    }
    let mut out = Vec::with_capacity(starts.len());
    for (k, &s) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(n);
        out.push(s..end);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::column::Values;

    /// The header of the 24 descriptor columns and `fields`.
    fn header_with(fields: &[&str]) -> Header {
        let mut names: Vec<&str> = crate::Descriptor::ALL.iter().map(|d| d.id()).collect();
        names.extend(fields);
        crate::table::resolve(&names, &crate::table::HeaderOptions::default()).expect("a header")
    }

    fn texts<'a>(ids: &'a [Option<&'a str>]) -> Column<'a> {
        Column::new(Values::Text(ids))
    }

    #[test]
    fn block_starts_move_to_the_next_patient() {
        let ids = [Some("A"); 7]
            .into_iter()
            .chain([Some(" B"), Some("B "), Some("B"), Some("B"), Some("B")])
            .collect::<Vec<_>>();
        let col = texts(&ids);
        // Row 6 is A like row 5; row 7 is the first B (trimmed, as the
        // record reads it).
        assert_eq!(
            at_patient_boundaries(&[0..6, 6..12], &col, 12),
            [0..7, 7..12]
        );
        // A start inside the last patient's rows: one block.
        assert_eq!(
            at_patient_boundaries(&[0..9, 9..12], &col, 12),
            vec![0..12_usize]
        );
        // A row without a patient ends a run.
        let ids = [Some("A"), Some("A"), None, Some("A"), Some("C")];
        assert_eq!(
            at_patient_boundaries(&[0..2, 2..5], &texts(&ids), 5),
            [0..2, 2..5]
        );
    }

    #[test]
    fn patients_apart_only_when_no_patient_is_in_two_blocks() {
        let ids = [Some("A"), Some("A"), Some("B"), Some("C"), Some("C")];
        assert!(patients_apart(&[0..3, 3..5], &texts(&ids), 2));
        let ids = [Some("A"), Some("B"), Some("A"), Some("C"), Some("B")];
        assert!(!patients_apart(&[0..3, 3..5], &texts(&ids), 2));
        assert!(!patients_apart(&[0..2, 2..5], &texts(&ids), 1));
        // Rows without a patient belong to nobody.
        let ids = [Some("A"), None, None, Some("B")];
        assert!(patients_apart(&[0..2, 2..4], &texts(&ids), 2));
        // Integers are their digits, as the record reads them.
        let n = [7i64, 7, 8, 7];
        assert!(!patients_apart(
            &[0..2, 2..4],
            &Column::new(Values::I64(&n)),
            2
        ));
    }

    /// A table of `patients` x 20 visits: patient-major, or interleaved
    /// (visit k of every patient, then visit k + 1), the descriptors from a
    /// small generator, with a bad date (two visits of one patient on one
    /// day) at each row of `duplicates`.
    fn table(
        patients: usize,
        interleaved: bool,
        duplicates: &[usize],
    ) -> (Vec<String>, Vec<i32>, Vec<Vec<u8>>) {
        let visits = 20;
        let mut ids = Vec::new();
        let mut days = Vec::new();
        for k in 0..patients * visits {
            let (p, v) = if interleaved {
                (k % patients, k / patients)
            } else {
                (k / visits, k % visits)
            };
            ids.push(format!("P{p}"));
            days.push(18_000 + i32::try_from(30 * v + p % 7).expect("small"));
        }
        for &row in duplicates {
            let prev = (0..row)
                .rev()
                .find(|&j| ids[j] == ids[row])
                .expect("an earlier visit");
            days[row] = days[prev];
        }
        let mut x = 7u32;
        let descriptors = (0..24)
            .map(|_| {
                (0..ids.len())
                    .map(|_| {
                        x ^= x << 13;
                        x ^= x >> 17;
                        x ^= x << 5;
                        u8::from(x % 11 == 0)
                    })
                    .collect()
            })
            .collect();
        (ids, days, descriptors)
    }

    fn columns_of<'a>(
        ids: &'a [Option<&'a str>],
        days: &'a [i32],
        d: &'a [Vec<u8>],
    ) -> Vec<Column<'a>> {
        let mut cols: Vec<Column<'a>> = d.iter().map(|c| Column::new(Values::Bool(c))).collect();
        cols.push(Column::new(Values::Text(ids)));
        cols.push(Column::new(Values::Days(days)));
        cols
    }

    #[test]
    fn a_cohort_is_built_by_patient_only_when_each_patient_is_together() {
        let header = header_with(&["patient", "date"]);
        let o = TimelineOptions::default().with_threads(Threads::new(3).expect("3"));
        for (interleaved, together) in [(false, true), (true, false)] {
            let (ids, days, d) = table(90, interleaved, &[]);
            let ids: Vec<Option<&str>> = ids.iter().map(|s| Some(s.as_str())).collect();
            let cols = columns_of(&ids, &days, &d);
            let got = cohort_by_patient(&header, &cols, ids.len(), &o);
            assert_eq!(got.is_some(), together, "interleaved {interleaved}");
            let records = column::visits(&header, &cols, ids.len()).expect("valid");
            let expected = Cohort::from_records(records, &o).expect("valid");
            if let Some(c) = got {
                assert_eq!(c, expected);
            }
        }
        // A row without a patient: the records' path (and its error).
        let (ids, days, d) = table(3, false, &[]);
        let mut ids: Vec<Option<&str>> = ids.iter().map(|s| Some(s.as_str())).collect();
        ids[30] = None;
        let cols = columns_of(&ids, &days, &d);
        assert!(cohort_by_patient(&header, &cols, ids.len(), &o).is_none());
    }

    #[test]
    fn a_batch_at_a_time_equals_all_records_then_the_stream() {
        // 700 rows (batches of 256: 0..256, 256..512, 512..700). The
        // patient and id cells come and go, so that a record read over
        // one of an earlier batch must lose the text it held: rows
        // 256..300 have no patient (each its own patient, no change from
        // baseline unless dated), row 512.. alternate with and without
        // an id, padded cells are trimmed.
        let header = header_with(&["id", "patient", "date"]);
        let (ids, days, d) = table(35, false, &[]);
        let patient: Vec<Option<&str>> = ids
            .iter()
            .enumerate()
            .map(|(i, s)| (!(256..300).contains(&i)).then_some(s.as_str()))
            .collect();
        let visit_ids: Vec<String> = (0..ids.len()).map(|i| format!("  v{i} ")).collect();
        let visit_ids: Vec<Option<&str>> = visit_ids
            .iter()
            .enumerate()
            .map(|(i, s)| (i < 512 || i % 2 == 0).then_some(s.as_str()))
            .collect();
        let mut cols: Vec<Column<'_>> = d.iter().map(|c| Column::new(Values::Bool(c))).collect();
        cols.push(Column::new(Values::Text(&visit_ids)));
        cols.push(Column::new(Values::Text(&patient)));
        cols.push(Column::new(Values::Days(&days)));
        let n = ids.len();
        assert_eq!(n, 700);
        let layout: Vec<_> = crate::table::output::visit_columns().iter().collect();
        let o = VisitOptions::default();
        let got = fused(&header, &cols, n, n, o, &layout).expect("no row fails");
        let expected = two_phase(&header, &cols, n, o, &layout).expect("no row fails");
        assert_eq!(got, expected);
        // The cells themselves, against the input.
        let text = |name: &str, i: usize| got.column(name).expect("a column").data().text(i);
        assert_eq!(text("patient", 255), Some("P12"));
        assert_eq!(text("patient", 256), None);
        assert_eq!(text("patient", 300), Some("P15"));
        assert_eq!(text("id", 511), Some("v511"));
        assert_eq!(text("id", 513), None);
        assert_eq!(text("id", 514), Some("v514"));
    }

    #[test]
    fn many_blocks_equal_the_sequential_loop_and_interleaved_tables_are_not_split() {
        let header = header_with(&["patient", "date"]);
        let o = FrameOptions::default().with_threads(Threads::new(7).expect("7"));
        let layout: Vec<_> = o.columns().columns().collect();
        for (interleaved, duplicates) in [
            (false, &[][..]),
            (true, &[][..]),
            (false, &[1_333, 411][..]),
            (true, &[1_333, 411][..]),
        ] {
            let (ids, days, d) = table(90, interleaved, duplicates);
            let ids: Vec<Option<&str>> = ids.iter().map(|s| Some(s.as_str())).collect();
            let cols = columns_of(&ids, &days, &d);
            let n = ids.len();
            let (got, path) = run(&header, &cols, n, &o, 64);
            let expected = sequential(&header, &cols, n, o.visit(), &layout);
            assert_eq!(
                got, expected,
                "interleaved {interleaved}, duplicates {duplicates:?}"
            );
            match (interleaved, duplicates.is_empty()) {
                // 1,800 rows, 28 blocks of 64 rows moved to patient starts.
                (false, true) => assert!(matches!(path, Path::Blocks(k) if k > 3), "{path:?}"),
                // A failing block, or patients in several blocks: the loop.
                _ => assert_eq!(path, Path::Sequential),
            }
            if let Err(e) = &expected {
                // The earlier bad row, whichever block a thread met first.
                assert!(e.to_string().starts_with("item 411: date"), "{e}");
            }
        }
    }

    #[test]
    fn a_sorted_table_is_split() {
        let ids: Vec<String> = (0..20_000).map(|i| format!("P{}", i / 50)).collect();
        let ids: Vec<Option<&str>> = ids.iter().map(|s| Some(s.as_str())).collect();
        let col = texts(&ids);
        let (blocks, threads) =
            parallel::chunks(ids.len(), Threads::new(2).expect("2"), MIN_ROWS_PER_BLOCK);
        let moved = at_patient_boundaries(&blocks, &col, ids.len());
        assert!(moved.len() > 1, "{moved:?}");
        assert!(moved.iter().all(|b| b.start % 50 == 0), "{moved:?}");
        assert_eq!(
            moved.iter().map(ExactSizeIterator::len).sum::<usize>(),
            ids.len()
        );
        assert!(patients_apart(&moved, &col, threads));
    }
}
