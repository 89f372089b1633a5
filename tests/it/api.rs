//! The public API as a Rust user meets it: every public type is `Send`,
//! `Sync`, `Unpin` and unwind-safe (as semver's `test_autotrait`), and the
//! list of checked types is the list of public types in `api/sledai.txt`,
//! so a new type cannot skip the check.

use std::panic::{RefUnwindSafe, UnwindSafe};

macro_rules! public_types {
    ($($t:path),* $(,)?) => {
        /// Compiles only if every listed type has the auto traits.
        #[allow(dead_code)]
        fn assert_auto_traits() {
            fn is<T: Send + Sync + Unpin + UnwindSafe + RefUnwindSafe>() {}
            $(is::<$t>();)*
        }
        const CHECKED: &[&str] = &[$(stringify!($t)),*];
    };
}

/// Public types that hold a caller's `&mut` buffer: `Send`, `Sync` and
/// `Unpin`, but not unwind-safe (no `&mut T` is).
#[allow(dead_code)]
fn assert_auto_traits_of_borrowing_types() {
    fn is<T: Send + Sync + Unpin>() {}
    is::<sledai::columns::Incomplete<'static>>();
}
const BORROWING: &[&str] = &["sledai::columns::Incomplete"];

public_types! {
    sledai::ActivityBand,
    sledai::Assessment,
    sledai::BandScheme,
    sledai::Date,
    sledai::Descriptor,
    sledai::DescriptorSet,
    sledai::Error,
    sledai::Finding,
    sledai::OrganSystem,
    sledai::Pga,
    sledai::Score,
    sledai::ScoreRange,
    sledai::SetIter<sledai::Descriptor>,
    sledai::TriState,
    sledai::bilag::BiclaBaselineActivity,
    sledai::bilag::BiclaInput,
    sledai::bilag::BiclaOptions,
    sledai::bilag::BiclaPga,
    sledai::bilag::BiclaResult,
    sledai::bilag::BiclaSledai,
    sledai::bilag::BilagCount,
    sledai::bilag::BilagFlareGradeLevel,
    sledai::bilag::BilagGrade,
    sledai::bilag::BilagGradeE,
    sledai::bilag::BilagGrades,
    sledai::bilag::BilagNewB,
    sledai::bilag::BilagNumeric,
    sledai::bilag::BilagOptions,
    sledai::bilag::BilagSystem,
    sledai::bilag::Flare,
    sledai::bilag::NewCounts,
    sledai::change::IncompletePolicy,
    sledai::change::Measure,
    sledai::change::ScoreChange,
    sledai::change::Sri,
    sledai::change::SriComponent,
    sledai::change::SriCriterion,
    sledai::change::SriInput,
    sledai::change::SriOptions,
    sledai::change::SriResult,
    sledai::change::SriTreatmentFailure,
    sledai::classification::AnaTitre,
    sledai::classification::BodyTemperature,
    sledai::classification::Classification,
    sledai::classification::ClassificationInput,
    sledai::classification::ClassificationCriterion,
    sledai::classification::CriterionSet,
    sledai::classification::Domain,
    sledai::classification::DomainKind,
    sledai::classification::DomainResult,
    sledai::classification::ExtremeValues,
    sledai::classification::LeukocyteCount,
    sledai::classification::Outcome,
    sledai::classification::PlateletCount,
    sledai::classification::PointsRange,
    sledai::classification::UrineProtein,
    sledai::error::MeasurementIssue,
    sledai::glucocorticoid::BetamethasoneEquivalence,
    sledai::glucocorticoid::ConversionOptions,
    sledai::glucocorticoid::DailyDose,
    sledai::glucocorticoid::DrugDose,
    sledai::glucocorticoid::EquivalenceFactor,
    sledai::glucocorticoid::Glucocorticoid,
    sledai::glucocorticoid::PrednisoneEquivalent,
    sledai::labs::Analyte,
    sledai::labs::Attribution,
    sledai::labs::Comparison,
    sledai::labs::Complement,
    sledai::labs::Conflict,
    sledai::labs::ConflictPolicy,
    sledai::labs::Derivation,
    sledai::labs::DeriveOptions,
    sledai::labs::Evidence,
    sledai::labs::LabItem,
    sledai::labs::LabValue,
    sledai::labs::Measurement,
    sledai::labs::Measurements,
    sledai::labs::Merged,
    sledai::labs::Reason,
    sledai::labs::Selection,
    sledai::labs::Status,
    sledai::labs::Threshold,
    sledai::labs::ScoringWindow,
    sledai::lldas::LldasResult,
    sledai::remission::RemissionGlucocorticoid,
    sledai::remission::RemissionOptions,
    sledai::remission::RemissionPga,
    sledai::remission::RemissionResult,
    sledai::remission_2017::Doris2017Glucocorticoid,
    sledai::remission_2017::Doris2017Index,
    sledai::remission_2017::Doris2017Pga,
    sledai::remission_2017::Doris2017Variant,
    sledai::remission_2017::DorisOffTreatmentAntimalarial,
    sledai::remission_2017::Remission2017Options,
    sledai::remission_2017::Remission2017Result,
    sledai::remission_2017::Treatment,
    sledai::table::Column,
    sledai::table::ColumnKind,
    sledai::table::ColumnSpec,
    sledai::table::ExtraColumns,
    sledai::table::Field,
    sledai::table::Header,
    sledai::table::HeaderOptions,
    sledai::target::Criterion,
    sledai::target::CriterionResult,
    sledai::target::TargetInputs,
    sledai::timeline::TimeAttribution,
    sledai::timeline::ChangeStats,
    sledai::timeline::Cohort,
    sledai::timeline::CohortEndpoint,
    sledai::timeline::CohortReport,
    sledai::timeline::CohortSummary,
    sledai::timeline::Endpoint,
    sledai::timeline::EndpointVisit,
    sledai::timeline::PatientEndpoint,
    sledai::timeline::PatientSummary,
    sledai::timeline::Proportion,
    sledai::timeline::ResponseProportions,
    sledai::timeline::Responses,
    sledai::timeline::Run,
    sledai::timeline::Screening,
    sledai::timeline::StateSummary,
    sledai::timeline::SummaryOptions,
    sledai::timeline::Sustained,
    sledai::timeline::Target,
    sledai::timeline::TimeInState,
    sledai::timeline::Timeline,
    sledai::timeline::TimelineOptions,
    sledai::timeline::Visit,
    sledai::timeline::VisitRecord,
    sledai::timeline::VisitRow,
    sledai::timeline::Window,
    sledai::units::AntibodyUnit,
    sledai::units::ComplementUnit,
    sledai::units::CountUnit,
    sledai::units::FieldUnit,
    sledai::units::ProteinUnit,
    sledai::units::TemperatureUnit,
    sledai::units::UpcrUnit,
    sledai::visit::GlucocorticoidInput,
    sledai::visit::PatientStream,
    sledai::visit::VisitInput,
    sledai::visit::VisitOptions,
    sledai::visit::VisitResult,
}

#[test]
fn every_public_type_is_send_sync_and_unwind_safe() {
    let listing = include_str!("../../api/sledai.txt");
    let mut public: Vec<String> = listing
        .lines()
        .filter(|l| !l.starts_with("pub enum variant "))
        .filter_map(|l| {
            l.strip_prefix("pub struct ")
                .or_else(|| l.strip_prefix("pub enum "))
        })
        .map(|l| l.split(['<', ' ']).next().unwrap_or(l).to_owned())
        .collect();
    public.sort();
    public.dedup();
    let mut checked: Vec<String> = CHECKED
        .iter()
        .map(|s| {
            s.replace(' ', "")
                .split('<')
                .next()
                .unwrap_or_default()
                .to_owned()
        })
        .chain(BORROWING.iter().map(|s| (*s).to_owned()))
        .collect();
    checked.sort();
    assert_eq!(
        checked, public,
        "the types checked here must be the public types of api/sledai.txt"
    );
}
