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
    sledai::Threads,
    sledai::TriState,
    sledai::adam::AdamOptions,
    sledai::adam::AdyConvention,
    sledai::adam::AnalysisSelection,
    sledai::adam::AnalysisWindow,
    sledai::adam::Dataset<'static>,
    sledai::adam::MissingReason,
    sledai::adam::Parameter,
    sledai::adam::Record,
    sledai::adam::ValueKind,
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
    sledai::error::HeaderProblems,
    sledai::error::MappingError,
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
    sledai::options::VisitOption,
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
    sledai::table::column::Bitmap<'static>,
    sledai::table::column::Column<'static>,
    sledai::table::column::TimeUnit,
    sledai::table::column::Values<'static>,
    sledai::table::frame::FrameOptions,
    sledai::table::output::Cell<'static>,
    sledai::table::output::Ids<'static>,
    sledai::table::output::OutputColumn<sledai::visit::VisitResult>,
    sledai::table::output::OutputKind,
    sledai::table::output::VisitColumns,
    sledai::table::totals::IncompleteRows,
    sledai::table::totals::Totals,
    sledai::table::typed::ColumnData,
    sledai::table::typed::TableBuilder<'static, sledai::visit::VisitResult>,
    sledai::table::typed::TypedColumn,
    sledai::table::typed::TypedTable,
    sledai::table::ColumnKind,
    sledai::table::ColumnSpec,
    sledai::table::ExtraColumns,
    sledai::table::Field,
    sledai::table::Header,
    sledai::table::HeaderOptions,
    sledai::table::Layout,
    sledai::table::MappedVisits,
    sledai::table::Mapping,
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

/// The error is pinned small, as semver pins its sizes: a `Result` of a
/// one-byte score carries the error inline, so every fallible call moves
/// it. Both were 72 bytes when issue 13 was filed and 96 once the header
/// problems were added; the echoed texts are `Box<str>`, the lists boxed
/// slices and the header problems boxed.
#[test]
fn the_error_is_small() {
    use std::mem::size_of;
    assert_eq!(size_of::<sledai::Error>(), 56);
    assert_eq!(size_of::<Result<sledai::Score, sledai::Error>>(), 56);
    assert_eq!(size_of::<Result<(), sledai::Error>>(), 56);
}

/// Equality of errors is an equivalence even for errors holding NaN (IEEE
/// 754 makes NaN unequal to itself, so a derived `PartialEq` would not be
/// reflexive).
#[test]
fn error_equality_is_reflexive_for_nan() {
    use sledai::labs::LabValue;
    use sledai::units::CountUnit;
    use sledai::{Error, Pga};
    let nan = Pga::new(f64::NAN).unwrap_err();
    assert!(matches!(nan, Error::NotFinite { value, .. } if value.is_nan()));
    let nan_count = LabValue::platelets(f64::NAN, CountUnit::PerMicrolitre).unwrap_err();
    let neg_nan = Pga::new(-f64::NAN).unwrap_err();
    let errors = [
        nan.clone(),
        nan_count.clone(),
        Pga::new(4.0).unwrap_err(),
        "rsh".parse::<sledai::Descriptor>().unwrap_err(),
    ];
    for (i, a) in errors.iter().enumerate() {
        assert_eq!(a, a, "reflexive: {a}");
        assert_eq!(a, &a.clone(), "a clone equals the original: {a}");
        for (j, b) in errors.iter().enumerate() {
            assert_eq!(a == b, i == j, "{a} vs {b}");
            assert_eq!(a == b, b == a, "symmetric: {a} vs {b}");
        }
    }
    assert_eq!(nan, Pga::new(f64::NAN).unwrap_err());
    assert_ne!(nan, nan_count);
    // Numbers compare as they print: NaN and -NaN print alike.
    assert_eq!(nan.to_string(), neg_nan.to_string());
    assert_eq!(nan, neg_nan);
}

/// A criterion's explanation stays a small `Copy` value however many
/// definitions pack their facts into it (40 bytes: the criterion, the
/// state, the renderers' pointer and a 24-byte buffer).
#[test]
fn a_criterion_result_is_small_and_copy() {
    fn is_copy<T: Copy>() {}
    is_copy::<sledai::target::CriterionResult>();
    assert_eq!(std::mem::size_of::<sledai::target::CriterionResult>(), 40);
}
