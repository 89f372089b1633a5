//! The command-line options that choose the core's documented policy
//! readings ([`sledai::visit::VisitOptions`]), shared by `score` and
//! `cohort`. Each maps one-to-one onto a core option; the defaults are the
//! core's defaults (docs/targets.md, docs/labs.md).

use sledai::glucocorticoid::{BetamethasoneEquivalence, ConversionOptions};
use sledai::labs::{ConflictPolicy, DeriveOptions, Selection, Window};
use sledai::remission::{RemissionGlucocorticoid, RemissionOptions, RemissionPga};
use sledai::visit::VisitOptions;

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
    /// PGA <= 0.5 (the 2017 framework table).
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
}

impl PolicyArgs {
    /// The core's options.
    pub(crate) fn visit_options(&self) -> VisitOptions {
        let labs = DeriveOptions::new()
            .with_window(match self.lab_window {
                LabWindow::Ten => Window::TenDays,
                LabWindow::Thirty => Window::ThirtyDays,
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
        VisitOptions::default()
            .with_labs(labs)
            .with_conflicts(conflicts)
            .with_remission(remission)
            .with_conversion(conversion)
    }
}
