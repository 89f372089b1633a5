//! # sledai
//!
//! SLEDAI-2K lupus disease-activity scoring, as a pure library: the 24
//! descriptors with their weights, organ systems and definitions; totals of
//! complete and incomplete assessments; and, built on them, treat-to-target
//! states, laboratory derivation, change from baseline and patient
//! timelines.
//!
//! Every weight, threshold and rule cites its publication; the project's
//! clinical source of truth is `clinical-reference.md`, and the choices made
//! where the literature is ambiguous are listed in `docs/policies.md`.
//!
//! The library does no I/O. The `sledai` command-line tool and the Python
//! package are thin shells over it, so every surface gives the same numbers.
//!
//! ## Example
//!
//! ```
//! use sledai::{Assessment, BandScheme, Descriptor, Finding};
//!
//! // A complete assessment: the listed descriptors are present, the rest absent.
//! let visit = Assessment::from_present([
//!     Descriptor::Arthritis,     // 4
//!     Descriptor::Proteinuria,   // 4
//!     Descriptor::LowComplement, // 2
//! ]);
//! assert_eq!(visit.score()?.get(), 10);
//! assert_eq!(visit.clinical_score()?.get(), 8);
//! assert_eq!(visit.score()?.band(BandScheme::FiveLevel).to_string(), "moderate");
//!
//! // Missing data is not absence: an unassessed item makes the total a range.
//! let partial = visit.with(Descriptor::Pyuria, Finding::NotAssessed);
//! assert_eq!(partial.score_range().to_string(), "10 to 14");
//! # Ok::<(), sledai::Error>(())
//! ```
//!
//! ## Modules
//!
//! - [`descriptor`]: the 24 descriptors and organ systems, defined once.
//! - [`assessment`]: present / absent / not assessed, totals and ranges.
//! - [`score`]: the total newtype, activity bands and bulk scoring.
//! - [`date`]: calendar dates for visits.
//! - [`pga`]: the physician global assessment, exact in tenths.
//! - [`state`]: three-valued results (met, not met, indeterminate).
//! - [`labs`]: laboratory descriptors derived from dated measurements with units.
//! - [`error`]: the one error type.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod assessment;
pub mod date;
pub mod descriptor;
pub mod error;
pub mod labs;
pub mod pga;
pub mod score;
pub mod state;

pub use assessment::{Assessment, Finding};
pub use date::Date;
pub use descriptor::{Descriptor, DescriptorSet, OrganSystem};
pub use error::Error;
pub use pga::Pga;
pub use score::{clinical_score_masks, score_masks, ActivityBand, BandScheme, Score, ScoreRange};
pub use state::TriState;
