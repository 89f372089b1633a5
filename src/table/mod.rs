//! Tables of visits: what the columns of a visit table are, which column
//! of a header holds what, and what a cell says.
//!
//! This module owns the part of "a table of named columns -> visits" that
//! every surface shares, so the command-line tool (CSV) and the Python
//! package (pandas, polars, dicts of arrays) cannot disagree on it:
//!
//! - [`schema`]: the visit columns, derived from the record's keys
//!   ([`crate::visit::FIELDS`]), the 24 descriptors ([`Descriptor::ALL`])
//!   and the BILAG-2004 systems (`bilag_<system>`, [`BilagSystem::ALL`]):
//!   each column's name, kind, whether a table can carry it (or it is JSON
//!   only) and whether it is required (the 24 descriptor columns are).
//! - [`header`]: header resolution, once. Given the column names as
//!   written, an optional rename mapping and an extra-columns policy, it
//!   says what every column holds, or returns ONE error listing every
//!   problem (unknown columns with their suggestion, missing and repeated
//!   columns, JSON-only names, unused renames). A column that looks like a
//!   visit field under another spelling (`Patient`, `patient_id`, `PGA`) is
//!   never ignored, whatever the policy.
//! - [`mapping`]: long (SDTM-like) tables and REDCap exports, read into
//!   visit records through a [`Mapping`] whose renames are the renames of
//!   [`HeaderOptions`] (`docs/mapping.md`).
//! - [`cell`]: the boolean cell grammar, once (`1`/`0`, `true`/`false`,
//!   `yes`/`no`, `y`/`n`; empty, `NA`, `null` = not recorded).
//! - [`totals`]: the SLEDAI-2K of every row of 24 descriptor columns
//!   (Python's `score_frame`), with one policy for incomplete rows.
//!
//! No I/O: the shells read bytes or borrow buffers and hand over text.
//!
//! # Example
//!
//! ```
//! use sledai::table::{cell, resolve, Column, HeaderOptions};
//! use sledai::Descriptor;
//!
//! let mut names: Vec<String> = Descriptor::ALL.iter().map(|d| d.id().to_owned()).collect();
//! names.push("patient_id".to_owned());
//! // `patient_id` is no visit field: the error says which rename makes it one.
//! let err = resolve(&names, &HeaderOptions::default()).unwrap_err();
//! assert!(err.to_string().contains("rename `patient_id` to `patient`"), "{err}");
//!
//! let options = HeaderOptions::default().with_rename("patient_id", "patient");
//! let header = resolve(&names, &options)?;
//! assert_eq!(header.columns()[24], Column::Field(sledai::table::Field::PATIENT));
//! assert_eq!(cell::parse_bool("Yes")?, Some(true));
//! assert_eq!(cell::parse_bool(" NA ")?, None);
//! # Ok::<(), sledai::Error>(())
//! ```
//!
//! [`Descriptor::ALL`]: crate::Descriptor::ALL
//! [`BilagSystem::ALL`]: crate::bilag::BilagSystem::ALL

pub mod cell;
pub mod column;
pub mod frame;
pub mod header;
pub mod mapping;
pub mod output;
pub mod schema;
pub mod totals;
pub mod typed;

pub use header::{ALIASES, Column, ExtraColumns, Header, HeaderOptions, resolve};
pub use mapping::{Layout, MappedVisits, Mapping};
pub use schema::{ColumnKind, ColumnSpec, Field};
