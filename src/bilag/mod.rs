//! BILAG-2004 grade-level measures and the composite responses built on
//! them.
//!
//! This module owns the nine systems and five grades ([`BilagSystem`],
//! [`BilagGrade`], submodule `system`), the grades of one visit and the
//! numeric score ([`BilagGrades`], [`BilagNumeric`], submodule `grades`),
//! the grade comparisons, new A / new B against the baseline and the flare
//! against the previous visit ([`new_counts`], [`flare`], submodule
//! `compare`), and BICLA ([`evaluate_bicla`], submodule `bicla`). SRI-k in full is
//! [`crate::change::Sri`]; the DORIS 2017 variants are
//! [`crate::remission_2017`].
//!
//! The library takes the nine grades as inputs and never derives them: the
//! BILAG-2004 item-to-grade glossary is not public. A grade not recorded is
//! unknown (any of A-E), never E.
//!
//! # Sources
//!
//! - Yee CS et al. *BILAG-2004 index is valid for assessment of disease
//!   activity in SLE.* Arthritis Rheum 2007;56:4113-9 (the index, the
//!   systems, the overall grade).
//! - Yee CS et al. *Numerical scoring for the BILAG-2004 index.*
//!   Rheumatology 2010;49:1665-9 (A 12, B 8, C 1, D 0, E 0).
//! - Gordon C et al. *Definition and treatment of lupus flares measured by
//!   the BILAG index.* Rheumatology 2003;42:1372-9 (new B after C, D or E).
//! - Petri M et al. Ann Rheum Dis 2013;72(Suppl 3):A473 (the BILAG-2004
//!   flare definition: severe, moderate, mild).
//! - Wallace DJ et al. Arthritis Rheum 2011;63:S894 (BICLA).
//! - Furie RA et al. Arthritis Rheum 2009;61:1143-51 (SRI).
//!
//! The rules and every named policy with its default are in `docs/bilag.md`
//! and `docs/reference.md` sections 9.1-9.8.
//!
//! # Three-valued, exactly
//!
//! A result is met when every completion of the missing inputs meets it,
//! not met when none does, indeterminate otherwise (`docs/reference.md`
//! section 9.7). Rules that read the same grades (BICLA rules 1, 2 and 6;
//! the flare counts) are decided jointly: each system's outcomes are listed
//! over its at most 25 baseline/visit grade pairs and the nine systems are
//! combined by a dynamic programme over capped counts.
//!
//! # Example
//!
//! ```
//! use sledai::bilag::{flare, new_counts, BilagGrade::*, BilagGrades, BilagOptions, BilagSystem::*, Flare};
//!
//! let baseline: BilagGrades = serde_json::from_str(
//!     r#"{"constitutional": "E", "mucocutaneous": "B", "neuropsychiatric": "E",
//!         "musculoskeletal": "A", "cardiorespiratory": "E", "gastrointestinal": "E",
//!         "ophthalmic": "E", "renal": "D", "haematological": "C"}"#,
//! ).unwrap();
//! assert_eq!(baseline.numeric().exact(), Some(21));
//! let visit = baseline.with(Musculoskeletal, Some(C)).with(Renal, Some(B));
//! let o = BilagOptions::default();
//! let counts = new_counts(&baseline, &visit, o)?;
//! assert_eq!((counts.new_a.exact(), counts.new_b.exact()), (Some(0), Some(1)));
//! assert_eq!(flare(&baseline, &visit, o)?, Flare::Mild);
//! # Ok::<(), sledai::Error>(())
//! ```

mod bicla;
mod compare;
mod grades;
mod system;

pub use bicla::{
    BiclaBaselineActivity, BiclaInput, BiclaOptions, BiclaPga, BiclaResult, BiclaSledai,
    evaluate_bicla,
};
pub use compare::{
    BilagCount, BilagFlareGradeLevel, BilagGradeE, BilagNewB, BilagOptions, Flare, NewCounts,
    flare, new_counts,
};
pub use grades::{BilagGrades, BilagNumeric};
pub use system::{BilagGrade, BilagSystem};

pub(crate) use bicla::{
    Flag, FlagFacts, GradeFacts, GradeRule, PgaChangeFacts, PgaRule, bicla_state_unchecked,
    evaluate_bicla_unchecked,
};
pub(crate) use compare::check_pairs;

/// The system identifiers, comma separated (for messages).
/// The error for a grade that is not one upper-case letter A-E.
pub(crate) fn invalid_grade(system: Option<BilagSystem>, value: String) -> crate::Error {
    crate::Error::InvalidValue {
        field: system.map_or("bilag", grade_field),
        value: value.into(),
        reason: "expected one of A, B, C, D, E (upper case)".into(),
    }
}

/// The error for a system graded E after A-D under `bilag_grade_e =
/// strict` (E means never affected).
pub(crate) fn grade_e_after_activity(system: BilagSystem, earlier: BilagGrade) -> crate::Error {
    crate::Error::InvalidValue {
        field: grade_field(system),
        value: "E".into(),
        reason: format!(
            "grade E after grade {earlier} in the same patient (bilag_grade_e = strict: E means never affected)"
        ).into(),
    }
}

/// The field of a system's grade in messages, `bilag.<system>`.
pub(crate) const fn grade_field(system: BilagSystem) -> &'static str {
    grades::field_name(system)
}
