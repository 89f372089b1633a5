//! Deriving the SLEDAI-2K laboratory descriptors from raw measurements.
//!
//! This module owns the typed measurements ([`LabValue`], [`Measurement`],
//! [`Measurements`]), their units, the derivation of the nine laboratory
//! descriptors with provenance ([`derive()`], [`Derivation`], [`LabItem`],
//! [`Evidence`]) and the merging of derived findings with clinician-entered
//! ones ([`Derivation::merge`]). Every rule is in `docs/labs.md` with its
//! source; the serde shape is in `docs/formats.md`, "Measurements".
//!
//! # Rules (Gladman 2002; `docs/reference.md` sections 1.1-1.3)
//!
//! | descriptor | measurement | scores when |
//! |---|---|---|
//! | proteinuria | 24-hour urine protein (UPCR only if opted in) | > 0.5 g/24 h (UPCR > 0.5 g/g = 500 mg/g = 50 mg/mmol) |
//! | hematuria | urine red cells | > 5 /hpf |
//! | pyuria | urine white cells | > 5 /hpf |
//! | urinary_casts | heme-granular or red cell casts | > 0, or present |
//! | thrombocytopenia | platelets | < 100 x 10^9/L |
//! | leukopenia | white cells | < 3 x 10^9/L |
//! | fever | temperature | > 38 °C |
//! | low_complement | C3, C4, CH50 | any below the laboratory's lower limit (scores once) |
//! | increased_dna_binding | anti-dsDNA | above the laboratory's upper limit |
//!
//! Every inequality is strict. A measurement attributed to another cause
//! ([`Attribution`]) never scores. A descriptor with no usable measurement
//! is [`Finding::NotAssessed`](crate::Finding::NotAssessed), never absent.
//!
//! # ScoringWindow and selection
//!
//! A measurement counts when its date is from the visit date minus the
//! window (10 days, or 30 days in the Touma 2010 variant) to the visit date,
//! both inclusive: day 10 before the visit is in, day 11 is out.
//! Measurements after the visit date are not used and are listed in the
//! provenance as [`Status::AfterVisit`]. By default an item scores when
//! *any* in-window measurement scores ([`Selection::AnyAbnormal`], the
//! SLEDAI-2K "present at the visit or in the preceding 10 days");
//! [`Selection::MostRecent`] is the option.
//!
//! # Exact comparisons
//!
//! A value is given as an `f64` in a stated unit and is read as the decimal
//! it was written as. It is rounded once, half away from zero, to an integer
//! on a grid fixed per quantity: 10^-9 g/24 h (= 10^-6 mg/24 h), 10^-9 g/g
//! (= 10^-6 mg/g = 10^-7 mg/mmol), 10^-9 x 10^9/L (= 10^-6 /mm³ or /µL),
//! 1/9 x 10^-6 °C (= 1/5 x 10^-6 °F), and 10^-6 of the unit for cells and
//! casts per field and for complement and anti-dsDNA (compared with the
//! laboratory's limit in the same unit). Every threshold and bound is a
//! whole number of grid steps, and the two writings of one quantity in two
//! units (87,000/mm³ and 87 x 10^9/L; 100.4 °F and 38 °C) are the same real
//! number on the grid before rounding, so they round to the same integer:
//! converting a value to another unit never changes whether it scores,
//! except for a value within floating-point error of a rounding tie. Any
//! value with at most 6 decimals in its unit is represented exactly.
//!
//! # Example
//!
//! ```
//! use sledai::labs::{derive, Complement, ConflictPolicy, DeriveOptions, LabValue, Measurement, Reason};
//! use sledai::units::{ComplementUnit, CountUnit, ProteinUnit};
//! use sledai::{Assessment, Date, Descriptor, Finding};
//!
//! let visit = Date::new(2024, 7, 10)?;
//! let ms = [
//!     Measurement::new(visit, LabValue::urine_protein_24h(0.62, ProteinUnit::GramsPer24h)?),
//!     Measurement::new(visit, LabValue::platelets(87_000.0, CountUnit::PerCubicMillimetre)?),
//!     Measurement::new(visit, LabValue::complement(Complement::C3, 0.71, 0.90, ComplementUnit::GramsPerLitre)?),
//! ];
//! let d = derive(&ms, visit, DeriveOptions::new());
//! assert_eq!(d.finding(Descriptor::Proteinuria), Finding::Present);
//! assert_eq!(d.finding(Descriptor::Thrombocytopenia), Finding::Present);
//! assert_eq!(d.finding(Descriptor::LowComplement), Finding::Present);
//! assert_eq!(d.item(Descriptor::Fever).map(|i| i.reason()), Some(Reason::NoMeasurement));
//!
//! // Merge with the clinician's form, which has no lab items filled in.
//! let mut form = Assessment::from_present([Descriptor::Arthritis]);
//! for &lab in &sledai::labs::LAB_DESCRIPTORS {
//!     form.set(lab, Finding::NotAssessed);
//! }
//! let merged = d.merge(form, ConflictPolicy::Error)?;
//! // 4 arthritis + 4 proteinuria + 2 low complement + 1 thrombocytopenia;
//! // casts, haematuria, pyuria, dsDNA, fever, leukopenia not measured.
//! // 11 + 4 + 4 + 4 + 2 + 1 + 1 = 27 at most.
//! assert_eq!(merged.assessment().score_range().to_string(), "11 to 27");
//! # Ok::<(), sledai::Error>(())
//! ```

mod derive;
mod serial;
mod value;

pub use derive::{
    Conflict, ConflictPolicy, Derivation, DeriveOptions, Evidence, LAB_DESCRIPTORS, LabItem,
    Merged, Reason, ScoringWindow, Selection, Status, derive,
};
pub use serial::Measurements;
pub use value::{Analyte, Attribution, Comparison, Complement, LabValue, Measurement, Threshold};
