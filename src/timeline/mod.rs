//! Patient timelines: dated visits, study days, endpoints in visit windows,
//! time in LLDAS and DORIS remission, sustained LLDAS, cohorts, and trial
//! screening.
//!
//! This module owns the longitudinal layer of the crate. What a trial
//! statistician reports is longitudinal: the IM19 CAR-T trial
//! (NCT06513429; `docs/reference.md` section 7) has as primary endpoint the
//! change from baseline in SLEDAI-2K at day 90 after infusion, and as
//! secondary endpoints the same at day 360 and LLDAS at day 360; cohort
//! studies report time in LLDAS, where LLDAS for at least 50% of observed
//! time is the published landmark (Franklyn K et al., Ann Rheum Dis
//! 2016;75:1615-21; `docs/reference.md` section 2).
//!
//! A timeline is built from the one visit record of the crate,
//! [`crate::visit::VisitInput`] (the record of `docs/formats.md`, the same
//! for `sledai score`, `sledai cohort` and Python). The LLDAS and DORIS
//! states of each visit are *evaluated* here, never given: [`Timeline::new`]
//! evaluates LLDAS ([`crate::lldas`], with the previous visit's assessment
//! for criterion 2), DORIS 2021 ([`crate::remission`]) and the four DORIS
//! 2017 variants ([`crate::remission_2017`]) from each record, under the
//! visit options of [`TimelineOptions::with_visit`]. A caller cannot mark a
//! state met; an indeterminate state is never treated as met. Each visit's
//! result ([`Timeline::result`]) is the [`crate::visit::VisitResult`] the
//! per-visit stream gives, with the visit's study day.

//! # Rules (all documented in `docs/timeline.md`)
//!
//! - **Order.** Visits are sorted by date (a stable sort: visits given out
//!   of order are accepted). Two visits on one date are an error unless
//!   [`TimelineOptions::with_duplicate_dates`]; then they keep their input
//!   order.
//! - **Dates.** Every record needs a `date`; a record without one is an
//!   error naming its position (it cannot be placed in time).
//! - **Baseline.** The visit marked `baseline: true`, or else the first
//!   visit by date not marked `baseline: false` (screening). Two marks are
//!   an error.
//! - **Study day.** `date - reference date`, so the reference date is
//!   day 0 (the infusion day of a CAR-T trial), and screening visits before
//!   it have negative days. The reference date defaults to the baseline
//!   visit's date.
//! - **Follow-up.** Time in a state, sustained runs and "ever met" use the
//!   visits from the baseline visit on; visits before the baseline
//!   (screening) are not follow-up.
//! - **Endpoint window.** `target - before ..= target + after`, edges
//!   inclusive. The visit closest to the target is used; on a tie the
//!   earlier visit; on the same date the first in timeline order. No visit
//!   in the window is [`Endpoint::NoVisitInWindow`].
//! - **Time in a state.** See [`TimeAttribution`] and [`time_in_state`].
//!
//! # Example
//!
//! ```
//! use sledai::glucocorticoid::PrednisoneEquivalent;
//! use sledai::timeline::{TimeAttribution, Endpoint, Target, Timeline, TimelineOptions, Window};
//! use sledai::visit::VisitInput;
//! use sledai::{Assessment, Date, Descriptor, Pga, TriState};
//!
//! let active = Assessment::from_present([Descriptor::Arthritis, Descriptor::Proteinuria, Descriptor::LowComplement]);
//! let quiet = Assessment::from_present([]);
//! // A record with the LLDAS inputs besides the assessment (the same at every visit here).
//! let visit = |date: &str, assessment| -> Result<VisitInput, sledai::Error> {
//!     Ok(VisitInput::dated(date.parse()?, assessment)
//!         .with_pga(Pga::new(0.5)?)
//!         .with_prednisone_equivalent(PrednisoneEquivalent::from_mg(5.0)?)
//!         .with_hemolytic_anemia(false)
//!         .with_gastrointestinal_activity(false)
//!         .with_maintenance_tolerated(true)
//!         .with_investigational_drug(false))
//! };
//! let visits = [
//!     visit("2024-03-01", active)?, // renal: LLDAS not met
//!     visit("2024-05-30", quiet)?,  // LLDAS met
//!     visit("2024-02-15", active)?, // screening, out of order
//! ];
//! let options = TimelineOptions::default().with_reference_date(Date::new(2024, 3, 1)?);
//! let t = Timeline::new(visits, &options)?;
//! assert_eq!(t.study_days(), &[-15, 0, 90]);
//! let lldas: Vec<_> = (0..3).map(|i| t.state(i, Target::Lldas)).collect();
//! assert_eq!(lldas, [Some(TriState::NotMet), Some(TriState::NotMet), Some(TriState::Met)]);
//! match t.endpoint(Window::new(90, 14)) {
//!     Endpoint::Visit(v) => {
//!         assert_eq!(v.visit.change_from_baseline().and_then(|c| c.absolute()), Some(-10));
//!         assert_eq!(v.visit.lldas().state(), TriState::Met);
//!     }
//!     _ => unreachable!(),
//! }
//! // Follow-up from the baseline (the first visit by default: screening).
//! let time = t.time_in(Target::Lldas, TimeAttribution::CarryForward);
//! assert_eq!(time.fraction_of_time, Some(0.0)); // the last visit contributes no time
//! # Ok::<(), sledai::Error>(())
//! ```

mod cohort;
mod patient;
mod screening;
mod summary;
mod time_in_state;
mod windows;

pub use cohort::*;
pub use patient::*;
pub use screening::*;
pub use summary::*;
pub use time_in_state::*;
pub use windows::*;
