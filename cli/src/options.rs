//! The command-line options that choose the core's documented policy
//! readings ([`sledai::visit::VisitOptions`]), shared by `score` and
//! `cohort`. Each maps one-to-one onto a core option; the defaults are the
//! core's defaults (docs/targets.md, docs/labs.md).

use sledai::bilag::{
    BiclaBaselineActivity, BiclaOptions, BiclaPga, BiclaSledai, BilagGradeE, BilagNewB,
    BilagOptions,
};
use sledai::change::{SriOptions, SriTreatmentFailure};
use sledai::glucocorticoid::{BetamethasoneEquivalence, ConversionOptions};
use sledai::labs::{ConflictPolicy, DeriveOptions, ScoringWindow, Selection};
use sledai::remission::{RemissionGlucocorticoid, RemissionOptions, RemissionPga};
use sledai::remission_2017::{
    Doris2017Glucocorticoid, Doris2017Index, Doris2017Pga, DorisOffTreatmentAntimalarial,
    Remission2017Options,
};
use sledai::visit::VisitOptions;
use sledai::vocabulary::Vocabulary;

/// `--lab-window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum LabWindow {
    /// SLEDAI-2K: the visit day and the 10 days before it (Gladman 2002).
    #[value(name = "10")]
    Ten,
    /// The 30-day variant (Touma 2010).
    #[value(name = "30")]
    Thirty,
}

/// `--lab-selection`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum LabSelection {
    /// A descriptor scores if any measurement in the window is abnormal.
    AnyAbnormal,
    /// The most recent measurement in the window decides.
    MostRecent,
}

/// `--conflicts`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Conflicts {
    /// A disagreement between clinician and laboratory is an error.
    Error,
    /// Keep the clinician's finding and report the conflict.
    KeepClinician,
    /// Keep the laboratory's finding and report the conflict.
    KeepLaboratory,
}

/// `--doris-pga`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum DorisPga {
    /// PGA < 0.5 (DORIS 2021).
    BelowHalf,
    /// PGA <= 0.5 (the Golder 2020 review rendering; the 2017 paper prints < 0.5).
    AtMostHalf,
}

/// `--doris-glucocorticoid`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum DorisGlucocorticoid {
    /// Prednisone-equivalent <= 5 mg/day ("5 mg/day or less", DORIS 2021).
    #[value(name = "at-most-5")]
    AtMost5,
    /// Prednisone-equivalent < 5 mg/day (one rendering of the 2021 table).
    #[value(name = "below-5")]
    Below5,
}

/// `--betamethasone`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Betamethasone {
    /// 0.75 mg betamethasone = 5 mg prednisone.
    #[value(name = "0.75")]
    ThreeQuarters,
    /// 0.6 mg betamethasone = 5 mg prednisone.
    #[value(name = "0.6")]
    SixTenths,
}

/// The policy options of `score` and `cohort`.
#[derive(Debug, Clone, Copy, clap::Args)]
#[command(next_help_heading = "Policy options (defaults: docs/targets.md, docs/labs.md)")]
pub(crate) struct PolicyArgs {
    /// Laboratory scoring window in days before the visit.
    #[arg(long, value_enum, default_value = "10")]
    pub(crate) lab_window: LabWindow,
    /// Which measurements in the window decide a laboratory descriptor.
    #[arg(long, value_enum, default_value = "any-abnormal")]
    pub(crate) lab_selection: LabSelection,
    /// Accept a spot urine protein/creatinine ratio (`upcr`) for proteinuria
    /// when no 24-hour urine protein is in the window.
    #[arg(long)]
    pub(crate) upcr: bool,
    /// When the clinician's finding and the laboratory's disagree.
    #[arg(long, value_enum, default_value = "error")]
    pub(crate) conflicts: Conflicts,
    /// The DORIS PGA cut-off.
    #[arg(long, value_enum, default_value = "below-half")]
    pub(crate) doris_pga: DorisPga,
    /// The DORIS glucocorticoid cut-off.
    #[arg(long, value_enum, default_value = "at-most-5")]
    pub(crate) doris_glucocorticoid: DorisGlucocorticoid,
    /// mg of betamethasone equivalent to 5 mg prednisone.
    #[arg(long, value_enum, default_value = "0.75")]
    pub(crate) betamethasone: Betamethasone,
    /// Which earlier grades make a BILAG-2004 B new (docs/bilag.md).
    #[arg(long, value_parser = vocabulary::<BilagNewB>(), default_value_t = BilagNewB::default())]
    pub(crate) bilag_new_b: BilagNewB,
    /// How a BILAG-2004 grade E is read.
    #[arg(long, value_parser = vocabulary::<BilagGradeE>(), default_value_t = BilagGradeE::default())]
    pub(crate) bilag_grade_e: BilagGradeE,
    /// BICLA's SLEDAI-2K rule: no_increase or increase_below(t).
    #[arg(long, value_parser = parse_bicla_sledai, default_value_t = BiclaSledai::default())]
    pub(crate) bicla_sledai: BiclaSledai,
    /// BICLA's PGA rule.
    #[arg(long, value_parser = vocabulary::<BiclaPga>(), default_value_t = BiclaPga::default())]
    pub(crate) bicla_pga: BiclaPga,
    /// BICLA without moderate or severe baseline activity.
    #[arg(long, value_parser = vocabulary::<BiclaBaselineActivity>(), default_value_t = BiclaBaselineActivity::default())]
    pub(crate) bicla_baseline_activity: BiclaBaselineActivity,
    /// Whether SRI reads `treatment_failure`.
    #[arg(long, value_parser = vocabulary::<SriTreatmentFailure>(), default_value_t = SriTreatmentFailure::default())]
    pub(crate) sri_treatment_failure: SriTreatmentFailure,
    /// Whether DORIS 2017 remission off treatment allows antimalarials.
    #[arg(long, value_parser = vocabulary::<DorisOffTreatmentAntimalarial>(), default_value_t = DorisOffTreatmentAntimalarial::default())]
    pub(crate) doris_off_treatment_antimalarial: DorisOffTreatmentAntimalarial,
    /// The activity index of the DORIS 2017 variants.
    #[arg(long, value_parser = vocabulary::<Doris2017Index>(), default_value_t = Doris2017Index::default())]
    pub(crate) doris_2017_index: Doris2017Index,
    /// `cohort`: an SRI-k (5 to 8) reported per endpoint beside SRI-4 in CSV
    /// (JSON reports SRI-4 to SRI-8).
    #[arg(long, value_parser = clap::value_parser!(u8).range(4..=8))]
    pub(crate) sri_k: Option<u8>,
}

/// A flag whose values are a core vocabulary ([`Vocabulary::IDS`]).
pub(crate) fn vocabulary<T>() -> impl clap::builder::TypedValueParser<Value = T>
where
    T: Vocabulary + std::str::FromStr + Clone + Send + Sync,
{
    use clap::builder::TypedValueParser as _;
    clap::builder::PossibleValuesParser::new(T::IDS)
        // The parser passes only the vocabulary's own identifiers, which the
        // vocabulary parses by construction (one table per vocabulary).
        .map(|s| match s.parse::<T>() {
            Ok(v) => v,
            Err(_) => unreachable!("`{s}` is one of {}", T::NAME),
        })
}

/// `--bicla-sledai`: the core's parser (`no_increase`, `increase_below(t)`).
fn parse_bicla_sledai(s: &str) -> Result<BiclaSledai, String> {
    s.parse().map_err(|e: sledai::Error| e.to_string())
}

impl PolicyArgs {
    /// The core's options.
    pub(crate) fn visit_options(&self) -> VisitOptions {
        let labs = DeriveOptions::new()
            .with_window(match self.lab_window {
                LabWindow::Ten => ScoringWindow::TenDays,
                LabWindow::Thirty => ScoringWindow::ThirtyDays,
            })
            .with_selection(match self.lab_selection {
                LabSelection::AnyAbnormal => Selection::AnyAbnormal,
                LabSelection::MostRecent => Selection::MostRecent,
            })
            .with_upcr(self.upcr);
        let conflicts = match self.conflicts {
            Conflicts::Error => ConflictPolicy::Error,
            Conflicts::KeepClinician => ConflictPolicy::KeepClinician,
            Conflicts::KeepLaboratory => ConflictPolicy::KeepLaboratory,
        };
        let remission = RemissionOptions::default()
            .with_pga(match self.doris_pga {
                DorisPga::BelowHalf => RemissionPga::Doris2021BelowHalf,
                DorisPga::AtMostHalf => RemissionPga::ReviewAtMostHalf,
            })
            .with_glucocorticoid(match self.doris_glucocorticoid {
                DorisGlucocorticoid::AtMost5 => RemissionGlucocorticoid::AtMost5Mg,
                DorisGlucocorticoid::Below5 => RemissionGlucocorticoid::Below5Mg,
            });
        let conversion =
            ConversionOptions::default().with_betamethasone(match self.betamethasone {
                Betamethasone::ThreeQuarters => BetamethasoneEquivalence::ThreeQuartersMg,
                Betamethasone::SixTenths => BetamethasoneEquivalence::SixTenthsMg,
            });
        // `--doris-pga` and `--doris-glucocorticoid` also choose the DORIS
        // 2017 readings (docs/bilag.md, section 10.3).
        let remission_2017 = Remission2017Options::default()
            .with_pga(match self.doris_pga {
                DorisPga::BelowHalf => Doris2017Pga::BelowHalf,
                DorisPga::AtMostHalf => Doris2017Pga::AtMostHalf,
            })
            .with_glucocorticoid(match self.doris_glucocorticoid {
                DorisGlucocorticoid::AtMost5 => Doris2017Glucocorticoid::AtMost5,
                DorisGlucocorticoid::Below5 => Doris2017Glucocorticoid::Below5,
            })
            .with_antimalarial(self.doris_off_treatment_antimalarial)
            .with_index(self.doris_2017_index);
        let bilag = BilagOptions::default()
            .with_new_b(self.bilag_new_b)
            .with_grade_e(self.bilag_grade_e);
        VisitOptions::default()
            .with_labs(labs)
            .with_conflicts(conflicts)
            .with_remission(remission)
            .with_conversion(conversion)
            .with_bilag(bilag)
            .with_bicla(
                BiclaOptions::default()
                    .with_sledai(self.bicla_sledai)
                    .with_pga(self.bicla_pga)
                    .with_baseline_activity(self.bicla_baseline_activity),
            )
            .with_sri(SriOptions::default().with_treatment_failure(self.sri_treatment_failure))
            .with_remission_2017(remission_2017)
    }
}
