//! ADaM BDS-shaped analysis datasets: the cohort's results as one record
//! per subject x parameter x analysis visit record.
//!
//! This module owns the ADaM layer of the crate (issue 15,
//! `docs/adam.md`): the parameter table ([`Parameter`]: SLEDAI-2K, clinical
//! SLEDAI-2K, the 24 descriptors, PGA, prednisone-equivalent dose, LLDAS,
//! DORIS), the conventions a statistician chooses ([`AdyConvention`],
//! [`AnalysisSelection`], the analysis windows [`AnalysisWindow`] and the
//! parameter codes, together [`AdamOptions`]), the record ([`Record`];
//! its layout, the variable names, labels, order and cells, is
//! [`table::output::adam_columns`](crate::table::output::adam_columns),
//! which the command-line tool and the Python package write as they write
//! every other layout), and the derivation ([`evaluate`], [`Dataset`]: the
//! records of one subject at a time).
//!
//! It computes nothing clinical of its own: every value is read from a
//! [`Cohort`](crate::timeline::Cohort) built by the timeline layer, the
//! analysis-visit record under the project's rule is the one
//! [`Timeline::endpoint`](crate::timeline::Timeline::endpoint) reports (the
//! visit `sledai cohort` uses), and SRI-4 is
//! [`Timeline::sri`](crate::timeline::Timeline::sri). Variables follow the
//! ADaM Implementation Guide v1.3 (CDISC, 2021), BDS section 3.3; where a
//! practice differs (day 1 vs day 0, which record in a window) the choice is
//! an option, documented in `docs/adam.md` with admiral's behaviour.
//!
//! # Example
//!
//! ```
//! use sledai::adam::{self, AdamOptions, AnalysisWindow};
//! use sledai::timeline::{Cohort, TimelineOptions, Window};
//! use sledai::visit::VisitInput;
//! use sledai::{Assessment, Date, Descriptor};
//!
//! let d = |s: &str| s.parse::<Date>().unwrap();
//! let rows = [
//!     VisitInput::dated(d("2024-01-01"), Assessment::from_present([Descriptor::Arthritis, Descriptor::Rash])).with_patient("P1"),
//!     VisitInput::dated(d("2024-03-31"), Assessment::from_present([Descriptor::Rash])).with_patient("P1"),
//! ];
//! let cohort = Cohort::from_records(rows, &TimelineOptions::default())?;
//! let options = AdamOptions::default().with_windows(AnalysisWindow::days([Window::new(90, 14)]));
//! let records: Vec<_> = adam::evaluate(&cohort, options)?.records().collect();
//! let total: Vec<_> = records.iter().filter(|r| r.paramcd == "SLEDAI").collect();
//! // The baseline record (study day 0 = ADY 1) and the day-90 record (ADY 91).
//! assert_eq!(total.len(), 2);
//! assert_eq!((total[0].ady, total[0].ablfl, total[0].aval), (Some(1), true, Some(6.0)));
//! assert_eq!((total[1].ady, total[1].anl01fl, total[1].chg), (Some(91), true, Some(-4.0)));
//! assert_eq!(total[1].avisit.as_deref(), Some("Day 90"));
//! # Ok::<(), sledai::Error>(())
//! ```

mod derive;
mod options;
mod parameters;
mod records;

pub use derive::*;
pub use options::*;
pub use parameters::*;
pub use records::*;
