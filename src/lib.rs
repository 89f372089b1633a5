//! # sledai
//!
//! SLEDAI-2K lupus disease-activity scoring, as a pure library: the 24
//! descriptors with their weights, organ systems and definitions; totals of
//! complete and incomplete assessments; and, built on them, treat-to-target
//! states, laboratory derivation, change from baseline and patient
//! timelines.
//!
//! Every weight, threshold and rule cites its publication; the project's
//! clinical source of truth is `docs/reference.md`, and the choices made
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
//! - [`adam`]: ADaM BDS-shaped analysis datasets from a cohort.
//! - [`descriptor`]: the 24 descriptors and organ systems, defined once.
//! - [`assessment`]: present / absent / not assessed, totals and ranges.
//! - [`change`]: change from baseline, percent change, SRI-k response.
//! - [`score`]: the total newtype, activity bands and bulk scoring.
//! - [`columns`]: totals of rows held as 24 byte columns (data frames).
//! - [`date`]: calendar dates for visits.
//! - [`pga`]: the physician global assessment, exact in tenths.
//! - [`state`]: three-valued results (met, not met, indeterminate).
//! - [`classification`]: the 2019 EULAR/ACR classification criteria for SLE.
//! - [`glucocorticoid`]: glucocorticoid drugs, doses and exact prednisone equivalents.
//! - [`target`]: the per-visit inputs and per-criterion explanations of LLDAS and DORIS.
//! - [`lldas`]: the Lupus Low Disease Activity State (Franklyn 2016).
//! - [`remission`]: DORIS 2021 remission.
//! - [`timeline`]: dated visits, study days, endpoints in windows, time in
//!   LLDAS / DORIS, sustained LLDAS, cohorts and screening.
//! - [`table`]: visit tables: the columns, header resolution (renames,
//!   aliases, one error for every problem) and the boolean cell grammar.
//! - [`visit`]: the visit record and result shared by the CLI and Python, and
//!   per-patient assessment of a stream of visits.
//! - [`labs`]: laboratory descriptors derived from dated measurements with units.
//! - [`units`]: the units of every measured quantity.
//! - [`bilag`]: BILAG-2004 grades, numeric score, new A / new B, flares and BICLA.
//! - [`remission_2017`]: the four DORIS 2017 remission variants (on / off treatment, clinical / complete).
//! - [`vocabulary`]: the closed vocabularies (states, findings, policies), each from one table.
//! - [`error`]: the one error type.
//! - [`guide`]: the long-form documentation (`docs/*.md`), rendered here
//!   and doctested.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

/// `impl From<Policy> for Options` for each `Policy => with_policy` pair:
/// the default options with that one policy, so a rule can be called as
/// `evaluate(&input, Policy::Variant)` (the crate's calling convention,
/// `options: impl Into<Options>`).
macro_rules! options_from_policies {
    (@module $module:literal) => { $module };
    (@module $module:literal $policy_module:literal) => { $policy_module };
    ($options:ident, $module:literal { $($policy:ident $(in $pmodule:literal)? => $with:ident),* $(,)? }) => {$(
        impl From<$policy> for $options {
            /// The default options with this one policy.
            ///
            /// ```
            #[doc = concat!("use sledai::", $module, "::", stringify!($options), ";")]
            #[doc = concat!("use sledai::", options_from_policies!(@module $module $($pmodule)?), "::", stringify!($policy), ";")]
            #[doc = concat!("let p = ", stringify!($policy), "::default();")]
            #[doc = concat!("assert_eq!(", stringify!($options), "::from(p), ", stringify!($options), "::default().", stringify!($with), "(p));")]
            /// ```
            fn from(policy: $policy) -> Self {
                $options::default().$with(policy)
            }
        }
    )*};
}

pub mod adam;
pub mod assessment;
pub mod bilag;
mod bitset;
pub mod change;
pub mod classification;
pub mod columns;
pub mod date;
pub mod descriptor;
pub mod error;
pub mod glucocorticoid;
pub mod labs;
pub mod lldas;
pub mod options;
mod parallel;
pub mod pga;
pub mod remission;
pub mod remission_2017;
pub mod score;
mod score_change;
pub mod state;
pub mod table;
pub mod target;
pub mod timeline;
pub mod units;
pub mod visit;
pub mod vocabulary;

pub use assessment::{Assessment, Finding};
pub use bitset::SetIter;
pub use date::Date;
pub use descriptor::{Descriptor, DescriptorSet, OrganSystem};
pub use error::Error;
pub use parallel::Threads;
pub use pga::Pga;
pub use score::{ActivityBand, BandScheme, Score, ScoreRange, clinical_score_masks, score_masks};
pub use state::TriState;

/// The long-form documentation of the library: the files of `docs/`,
/// rendered here so that they are read with the API and their examples are
/// compiled and run as doc tests. Each module is empty; its documentation
/// is the text.
pub mod guide {
    #[doc = include_str!("../docs/reference.md")]
    pub mod reference {}
    #[doc = include_str!("../docs/definitions.md")]
    pub mod definitions {}
    #[doc = include_str!("../docs/policies.md")]
    pub mod policies {}
    #[doc = include_str!("../docs/formats.md")]
    pub mod formats {}
    #[doc = include_str!("../docs/mapping.md")]
    pub mod mapping {}
    #[doc = include_str!("../docs/labs.md")]
    pub mod labs {}
    #[doc = include_str!("../docs/targets.md")]
    pub mod targets {}
    #[doc = include_str!("../docs/timeline.md")]
    pub mod timeline {}
    #[doc = include_str!("../docs/adam.md")]
    pub mod adam {}
    #[doc = include_str!("../docs/bilag.md")]
    pub mod bilag {}
    #[doc = include_str!("../docs/classification.md")]
    pub mod classification {}
    #[doc = include_str!("../docs/validation.md")]
    pub mod validation {}
}
