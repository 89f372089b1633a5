//! Derivation of the nine laboratory descriptors from dated measurements,
//! with provenance, and merging with clinician-entered findings.

use std::fmt;

use crate::assessment::{Assessment, Finding};
use crate::date::Date;
use crate::descriptor::Descriptor;
use crate::error::Error;

use super::value::{Analyte, Attribution, Measurement, Threshold};

/// The nine SLEDAI-2K descriptors derived from measurements, in form order.
///
/// ```
/// use sledai::labs::LAB_DESCRIPTORS;
/// use sledai::Descriptor;
/// assert_eq!(LAB_DESCRIPTORS.len(), 9);
/// assert_eq!(LAB_DESCRIPTORS[0], Descriptor::UrinaryCasts);
/// let weight: u8 = LAB_DESCRIPTORS.iter().map(|d| d.weight()).sum();
/// assert_eq!(weight, 4 * 4 + 2 * 2 + 3 * 1);
/// ```
pub const LAB_DESCRIPTORS: [Descriptor; 9] = [
    Descriptor::UrinaryCasts,
    Descriptor::Hematuria,
    Descriptor::Proteinuria,
    Descriptor::Pyuria,
    Descriptor::LowComplement,
    Descriptor::IncreasedDnaBinding,
    Descriptor::Fever,
    Descriptor::Thrombocytopenia,
    Descriptor::Leukopenia,
];

/// The scoring window: a measurement counts when it was taken on the visit
/// date or on one of the `days()` preceding days (visit date minus `days()`
/// to the visit date, both inclusive).
///
/// ```
/// use sledai::labs::ScoringWindow;
/// assert_eq!(ScoringWindow::default(), ScoringWindow::TenDays);
/// assert_eq!(ScoringWindow::TenDays.days(), 10);
/// assert_eq!(ScoringWindow::ThirtyDays.days(), 30);
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ScoringWindow {
    /// The SLEDAI-2K window: the visit and the preceding 10 days
    /// (Gladman 2002). The default.
    #[default]
    TenDays,
    /// The 30-day variant, same items and weights (Touma 2010).
    ThirtyDays,
}

impl ScoringWindow {
    /// The number of preceding days included.
    ///
    /// ```
    /// assert_eq!(sledai::labs::ScoringWindow::ThirtyDays.days(), 30);
    /// ```
    pub const fn days(self) -> i32 {
        match self {
            ScoringWindow::TenDays => 10,
            ScoringWindow::ThirtyDays => 30,
        }
    }
}

/// Which measurements inside the window decide an item.
///
/// ```
/// use sledai::labs::Selection;
/// assert_eq!(Selection::default(), Selection::AnyAbnormal);
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Selection {
    /// The item scores when any measurement inside the window is beyond its
    /// threshold and not attributed to another cause. The default: it is
    /// the SLEDAI-2K definition, a descriptor counts when "present at the
    /// visit or in the preceding 10 days" (Gladman 2002; `docs/reference.md`
    /// section 1.1).
    #[default]
    AnyAbnormal,
    /// Only the measurements of the most recent date inside the window
    /// decide (if several share that date, the item scores when any of them
    /// does). A resolved abnormality earlier in the window does not score.
    MostRecent,
}

/// Options of [`derive`](crate::labs::derive): the window (default 10
/// days), which in-window measurements decide (default any abnormal), and
/// whether a spot UPCR stands in for proteinuria when no 24-hour urine
/// protein is inside the window (default `false`: the SLEDAI-2K text names
/// only the 24-hour collection).
///
/// Start from [`DeriveOptions::new`] (or `default()`) and use the `with_*`
/// methods; read them back with the getters of the same names; a window or
/// a selection converts into options ([`From`]). Serde: `{"window":
/// "ten_days", "selection": "any_abnormal", "upcr_substitute": false}`,
/// every field optional.
///
/// ```
/// use sledai::labs::{DeriveOptions, Selection, ScoringWindow};
/// let o = DeriveOptions::new()
///     .with_window(ScoringWindow::ThirtyDays)
///     .with_selection(Selection::MostRecent)
///     .with_upcr(true);
/// assert_eq!(o.window(), ScoringWindow::ThirtyDays);
/// assert!(o.upcr());
/// assert!(!DeriveOptions::default().upcr());
/// assert_eq!(DeriveOptions::from(ScoringWindow::ThirtyDays).window(), ScoringWindow::ThirtyDays);
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct DeriveOptions {
    window: ScoringWindow,
    selection: Selection,
    upcr_substitute: bool,
}

options_from_policies! {
    DeriveOptions, "labs" {
        ScoringWindow => with_window,
        Selection => with_selection,
    }
}

impl DeriveOptions {
    /// The defaults: 10-day window, any abnormal, no UPCR substitute.
    ///
    /// ```
    /// assert_eq!(sledai::labs::DeriveOptions::new(), Default::default());
    /// ```
    pub const fn new() -> DeriveOptions {
        DeriveOptions {
            window: ScoringWindow::TenDays,
            selection: Selection::AnyAbnormal,
            upcr_substitute: false,
        }
    }

    /// With `window`.
    ///
    /// ```
    /// use sledai::labs::{DeriveOptions, ScoringWindow};
    /// assert_eq!(DeriveOptions::new().with_window(ScoringWindow::ThirtyDays).window().days(), 30);
    /// ```
    #[must_use]
    pub const fn with_window(mut self, window: ScoringWindow) -> DeriveOptions {
        self.window = window;
        self
    }

    /// With `selection`.
    ///
    /// ```
    /// use sledai::labs::{DeriveOptions, Selection};
    /// let o = DeriveOptions::new().with_selection(Selection::MostRecent);
    /// assert_eq!(o.selection(), Selection::MostRecent);
    /// ```
    #[must_use]
    pub const fn with_selection(mut self, selection: Selection) -> DeriveOptions {
        self.selection = selection;
        self
    }

    /// With the UPCR substitute for proteinuria on or off.
    ///
    /// ```
    /// assert!(sledai::labs::DeriveOptions::new().with_upcr(true).upcr());
    /// ```
    #[must_use]
    pub const fn with_upcr(mut self, on: bool) -> DeriveOptions {
        self.upcr_substitute = on;
        self
    }

    /// The window.
    ///
    /// ```
    /// use sledai::labs::{DeriveOptions, ScoringWindow};
    /// assert_eq!(DeriveOptions::new().window(), ScoringWindow::TenDays);
    /// ```
    #[must_use]
    pub const fn window(self) -> ScoringWindow {
        self.window
    }

    /// Which in-window measurements decide.
    ///
    /// ```
    /// use sledai::labs::{DeriveOptions, Selection};
    /// assert_eq!(DeriveOptions::new().selection(), Selection::AnyAbnormal);
    /// ```
    #[must_use]
    pub const fn selection(self) -> Selection {
        self.selection
    }

    /// Whether a spot UPCR stands in for proteinuria.
    ///
    /// ```
    /// assert!(!sledai::labs::DeriveOptions::new().upcr());
    /// ```
    #[must_use]
    pub const fn upcr(self) -> bool {
        self.upcr_substitute
    }
}

/// What happened to one measurement in a derivation.
///
/// ```
/// use sledai::labs::Status;
/// assert_eq!(Status::BeforeWindow.id(), "before_window");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Status {
    /// Inside the window, deciding, beyond its threshold, not attributed:
    /// it scores.
    Scores,
    /// Inside the window, deciding, not beyond its threshold.
    WithinThreshold,
    /// Inside the window, deciding, beyond its threshold but attributed to
    /// another cause: it does not score.
    Attributed,
    /// Inside the window but older than the most recent measurement
    /// ([`Selection::MostRecent`] only).
    Superseded,
    /// Taken before the window: not used.
    BeforeWindow,
    /// Taken after the visit date: not used.
    AfterVisit,
    /// A UPCR while the substitute is off: not used.
    SubstituteNotEnabled,
    /// A UPCR while a 24-hour urine protein is inside the window: not used.
    SubstituteNotNeeded,
}

impl Status {
    /// The stable identifier.
    ///
    /// ```
    /// assert_eq!(sledai::labs::Status::Scores.id(), "scores");
    /// ```
    pub const fn id(self) -> &'static str {
        match self {
            Status::Scores => "scores",
            Status::WithinThreshold => "within_threshold",
            Status::Attributed => "attributed",
            Status::Superseded => "superseded",
            Status::BeforeWindow => "before_window",
            Status::AfterVisit => "after_visit",
            Status::SubstituteNotEnabled => "substitute_not_enabled",
            Status::SubstituteNotNeeded => "substitute_not_needed",
        }
    }
}

/// One measurement as the derivation saw it.
///
/// ```
/// use sledai::labs::{derive, DeriveOptions, LabValue, Measurement, Status};
/// use sledai::units::CountUnit;
/// use sledai::{Date, Descriptor};
/// let visit = Date::new(2024, 7, 11)?;
/// let m = Measurement::new(Date::new(2024, 7, 1)?, LabValue::platelets(87.0, CountUnit::GigaPerLitre)?);
/// let d = derive(&[m], visit, DeriveOptions::new());
/// let e = &d.item(Descriptor::Thrombocytopenia).expect("a laboratory descriptor").evidence()[0];
/// assert_eq!(e.days_before_visit(), 10);
/// assert_eq!(e.status(), Status::Scores);
/// assert!(e.beyond_threshold());
/// assert_eq!(e.threshold().to_string(), "< 100 10^9/L");
/// assert_eq!(e.measurement(), &m);
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evidence {
    measurement: Measurement,
    days_before_visit: i32,
    beyond_threshold: bool,
    status: Status,
}

impl Evidence {
    /// The measurement.
    ///
    /// ```
    /// # use sledai::labs::*;
    /// # use sledai::units::*;
    /// # let m = Measurement::new("2024-07-01".parse()?, LabValue::urinary_casts_present(true));
    /// let d = derive(&[m], "2024-07-01".parse()?, DeriveOptions::new());
    /// assert_eq!(d.items()[0].evidence()[0].measurement().date(), m.date());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn measurement(&self) -> &Measurement {
        &self.measurement
    }

    /// Days from the measurement to the visit (0 on the visit date,
    /// negative after it).
    ///
    /// ```
    /// # use sledai::labs::*;
    /// # use sledai::units::*;
    /// # let m = Measurement::new("2024-07-03".parse()?, LabValue::urinary_casts_present(true));
    /// let d = derive(&[m], "2024-07-01".parse()?, DeriveOptions::new());
    /// assert_eq!(d.items()[0].evidence()[0].days_before_visit(), -2);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn days_before_visit(&self) -> i32 {
        self.days_before_visit
    }

    /// Whether the value is beyond its threshold (before attribution and
    /// window are considered).
    ///
    /// ```
    /// # use sledai::labs::*;
    /// # use sledai::units::*;
    /// # let m = Measurement::new("2024-07-01".parse()?, LabValue::urinary_casts_present(false));
    /// let d = derive(&[m], "2024-07-01".parse()?, DeriveOptions::new());
    /// assert!(!d.items()[0].evidence()[0].beyond_threshold());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn beyond_threshold(&self) -> bool {
        self.beyond_threshold
    }

    /// The threshold applied, in the measurement's unit.
    ///
    /// ```
    /// # use sledai::labs::*;
    /// # use sledai::units::*;
    /// # let m = Measurement::new("2024-07-01".parse()?, LabValue::urine_rbc(3.0, FieldUnit::PerHighPowerField)?);
    /// let d = derive(&[m], "2024-07-01".parse()?, DeriveOptions::new());
    /// assert_eq!(d.items()[1].evidence()[0].threshold().to_string(), "> 5 /hpf");
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn threshold(&self) -> Threshold {
        self.measurement.value.threshold()
    }

    /// What the derivation did with the measurement.
    ///
    /// ```
    /// # use sledai::labs::*;
    /// # use sledai::units::*;
    /// # let m = Measurement::new("2024-06-01".parse()?, LabValue::urinary_casts_present(true));
    /// let d = derive(&[m], "2024-07-01".parse()?, DeriveOptions::new());
    /// assert_eq!(d.items()[0].evidence()[0].status(), Status::BeforeWindow);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn status(&self) -> Status {
        self.status
    }
}

impl fmt::Display for Evidence {
    /// `87000 /mm3 on 2024-07-01 (< 100000 /mm3): scores`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = &self.measurement;
        match m.value.present() {
            Some(true) => write!(f, "casts present on {}", m.date)?,
            Some(false) => write!(f, "casts absent on {}", m.date)?,
            None => write!(
                f,
                "{} {} {} on {} (threshold {})",
                m.value.analyte(),
                m.value.value(),
                m.value.unit(),
                m.date,
                self.threshold()
            )?,
        }
        if let Some(cause) = m.attribution {
            write!(f, ", attributed to {cause}")?;
        }
        write!(f, ": {}", self.status.id())
    }
}

/// Why a derived descriptor has its finding.
///
/// ```
/// use sledai::labs::{Attribution, Reason};
/// assert_eq!(Reason::Attributed { cause: Attribution::Drug }.to_string(), "attributed to drug");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Reason {
    /// Present: a deciding measurement is beyond its threshold and not
    /// attributed to another cause.
    Abnormal,
    /// Absent: every deciding measurement is within its threshold.
    Normal,
    /// Absent: a deciding measurement is beyond its threshold but attributed
    /// to another cause (the most recent such cause is named).
    Attributed {
        /// The cause.
        cause: Attribution,
    },
    /// Not assessed: no usable measurement inside the window. Never read
    /// as normal.
    NoMeasurement,
    /// Not assessed (low complement only): no component is low, but C3 or
    /// C4 was not measured in the window, so the descriptor (CH50, C3 *or*
    /// C4 below normal) cannot be ruled out. See
    /// [`LabItem::missing_components`].
    MissingComponents,
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Abnormal => f.write_str("beyond threshold"),
            Reason::Normal => f.write_str("within threshold"),
            Reason::Attributed { cause } => write!(f, "attributed to {cause}"),
            Reason::NoMeasurement => f.write_str("no measurement in the window"),
            Reason::MissingComponents => {
                f.write_str("no component low, but C3 or C4 not measured in the window")
            }
        }
    }
}

/// One derived descriptor with its provenance.
///
/// ```
/// use sledai::labs::{derive, DeriveOptions, LabValue, Measurement, Reason};
/// use sledai::units::ProteinUnit;
/// use sledai::{Date, Descriptor, Finding};
/// let m = Measurement::new(Date::new(2024, 7, 1)?, LabValue::urine_protein_24h(0.3, ProteinUnit::GramsPer24h)?);
/// let d = derive(&[m], Date::new(2024, 7, 1)?, DeriveOptions::new());
/// let p = d.item(Descriptor::Proteinuria).expect("a laboratory descriptor");
/// assert_eq!(p.descriptor(), Descriptor::Proteinuria);
/// assert_eq!(p.finding(), Finding::Absent);
/// assert_eq!(p.reason(), Reason::Normal);
/// assert!(!p.substitute_used());
/// assert_eq!(p.decisive().map(|e| e.measurement().value().value()), Some(0.3));
/// assert!(p.rule().contains("> 0.5 g/24 h"));
/// assert!(p.missing_components().is_empty());
/// assert_eq!(
///     p.to_string(),
///     "proteinuria: absent, within threshold (urine_protein_24h 0.3 g/24h on 2024-07-01 (threshold > 0.5 g/24h): within_threshold)",
/// );
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct LabItem {
    descriptor: Descriptor,
    finding: Finding,
    reason: Reason,
    substitute_used: bool,
    decisive: Option<usize>,
    evidence: Vec<Evidence>,
    missing_components: Vec<Analyte>,
}

impl LabItem {
    /// The descriptor.
    ///
    /// ```
    /// # use sledai::labs::*;
    /// # use sledai::units::*;
    /// let d = derive(&[], "2024-07-01".parse()?, DeriveOptions::new());
    /// assert_eq!(d.items()[8].descriptor(), sledai::Descriptor::Leukopenia);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn descriptor(&self) -> Descriptor {
        self.descriptor
    }

    /// Present, absent, or not assessed (no measurement in the window).
    ///
    /// ```
    /// # use sledai::labs::*;
    /// # use sledai::units::*;
    /// let d = derive(&[], "2024-07-01".parse()?, DeriveOptions::new());
    /// assert!(d.items().iter().all(|i| i.finding() == sledai::Finding::NotAssessed));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn finding(&self) -> Finding {
        self.finding
    }

    /// Why the finding is what it is.
    ///
    /// ```
    /// # use sledai::labs::*;
    /// # use sledai::units::*;
    /// let d = derive(&[], "2024-07-01".parse()?, DeriveOptions::new());
    /// assert_eq!(d.items()[0].reason(), Reason::NoMeasurement);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn reason(&self) -> Reason {
        self.reason
    }

    /// Whether proteinuria was decided from the UPCR substitute.
    ///
    /// ```
    /// # use sledai::labs::*;
    /// # use sledai::units::*;
    /// let m = Measurement::new("2024-07-01".parse()?, LabValue::upcr(0.8, UpcrUnit::GramsPerGram)?);
    /// let d = derive(&[m], "2024-07-01".parse()?, DeriveOptions::new().with_upcr(true));
    /// assert!(d.item(sledai::Descriptor::Proteinuria).expect("a laboratory descriptor").substitute_used());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn substitute_used(&self) -> bool {
        self.substitute_used
    }

    /// The measurement that decided the finding: the most recent scoring
    /// one when present; when absent, the most recent attributed one, or
    /// else the most recent normal one. `None` when not assessed.
    ///
    /// ```
    /// # use sledai::labs::*;
    /// # use sledai::units::*;
    /// let d = derive(&[], "2024-07-01".parse()?, DeriveOptions::new());
    /// assert!(d.items()[0].decisive().is_none());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn decisive(&self) -> Option<&Evidence> {
        self.decisive.and_then(|i| self.evidence.get(i))
    }

    /// Every measurement of the descriptor's analytes, in input order per
    /// analyte, with what the derivation did with it.
    ///
    /// ```
    /// # use sledai::labs::*;
    /// # use sledai::units::*;
    /// let d = derive(&[], "2024-07-01".parse()?, DeriveOptions::new());
    /// assert!(d.items()[0].evidence().is_empty());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn evidence(&self) -> &[Evidence] {
        &self.evidence
    }

    /// For low complement, the components with no usable measurement inside
    /// the window (empty for other descriptors).
    ///
    /// ```
    /// # use sledai::labs::*;
    /// # use sledai::units::*;
    /// let c3 = LabValue::complement(Complement::C3, 1.0, 0.9, ComplementUnit::GramsPerLitre)?;
    /// let d = derive(&[Measurement::new("2024-07-01".parse()?, c3)], "2024-07-01".parse()?, DeriveOptions::new());
    /// assert_eq!(d.item(sledai::Descriptor::LowComplement).expect("a laboratory descriptor").missing_components(), [Analyte::C4, Analyte::Ch50]);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn missing_components(&self) -> &[Analyte] {
        &self.missing_components
    }

    /// The rule applied, with its source.
    ///
    /// ```
    /// # use sledai::labs::*;
    /// # use sledai::units::*;
    /// let d = derive(&[], "2024-07-01".parse()?, DeriveOptions::new());
    /// assert!(d.item(sledai::Descriptor::Fever).expect("a laboratory descriptor").rule().starts_with("temperature > 38"));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn rule(&self) -> &'static str {
        rule(self.descriptor, self.substitute_used)
    }
}

impl fmt::Display for LabItem {
    /// `proteinuria: absent, within threshold (<decisive evidence>)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let finding = match self.finding {
            Finding::Present => "present",
            Finding::Absent => "absent",
            Finding::NotAssessed => "not assessed",
        };
        write!(f, "{}: {finding}, {}", self.descriptor, self.reason)?;
        if let Some(e) = self.decisive() {
            write!(f, " ({e})")?;
        }
        Ok(())
    }
}

const fn rule(descriptor: Descriptor, substitute: bool) -> &'static str {
    match descriptor {
        Descriptor::UrinaryCasts => "heme-granular or red blood cell casts, > 0 (Gladman 2002)",
        Descriptor::Hematuria => "> 5 red blood cells per high-power field (Gladman 2002)",
        Descriptor::Proteinuria if substitute => {
            "spot urine protein/creatinine ratio > 0.5 g/g (= 500 mg/g = 50 mg/mmol), substitute for the 24-hour urine protein (project policy, docs/reference.md section 1.3)"
        }
        Descriptor::Proteinuria => "24-hour urine protein > 0.5 g/24 h (Gladman 2002)",
        Descriptor::Pyuria => "> 5 white blood cells per high-power field (Gladman 2002)",
        Descriptor::LowComplement => {
            "CH50, C3 or C4 below the testing laboratory's lower limit of normal, scores once (Gladman 2002)"
        }
        Descriptor::IncreasedDnaBinding => {
            "anti-dsDNA above the testing laboratory's upper limit of normal (Gladman 2002)"
        }
        Descriptor::Fever => "temperature > 38 °C (Gladman 2002)",
        Descriptor::Thrombocytopenia => "platelets < 100 x 10^9/L (Gladman 2002)",
        Descriptor::Leukopenia => "white blood cells < 3 x 10^9/L (Gladman 2002)",
        _ => "not a laboratory descriptor",
    }
}

/// The result of [`derive()`]: the nine laboratory descriptors of one visit.
///
/// ```
/// use sledai::labs::{derive, DeriveOptions, LabValue, Measurement};
/// use sledai::units::CountUnit;
/// use sledai::{Date, Descriptor, Finding};
///
/// let visit = Date::new(2024, 7, 1)?;
/// let m = [Measurement::new(visit, LabValue::platelets(87_000.0, CountUnit::PerCubicMillimetre)?)];
/// let d = derive(&m, visit, DeriveOptions::new());
/// assert_eq!(d.visit(), visit);
/// assert_eq!(d.finding(Descriptor::Thrombocytopenia), Finding::Present);
/// assert_eq!(d.finding(Descriptor::Leukopenia), Finding::NotAssessed);
/// assert_eq!(d.finding(Descriptor::Rash), Finding::NotAssessed); // not a lab item
/// assert_eq!(d.assessment().score_range().to_string(), "1 to 105");
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Derivation {
    visit: Date,
    options: DeriveOptions,
    items: [LabItem; 9],
}

impl Derivation {
    /// The visit date.
    ///
    /// ```
    /// # use sledai::labs::*;
    /// # use sledai::units::*;
    /// let d = derive(&[], "2024-07-01".parse()?, DeriveOptions::new());
    /// assert_eq!(d.visit().to_string(), "2024-07-01");
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn visit(&self) -> Date {
        self.visit
    }

    /// The options used.
    ///
    /// ```
    /// # use sledai::labs::*;
    /// # use sledai::units::*;
    /// let d = derive(&[], "2024-07-01".parse()?, DeriveOptions::new());
    /// assert_eq!(d.options().window(), ScoringWindow::TenDays);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn options(&self) -> &DeriveOptions {
        &self.options
    }

    /// The nine items, in the order of [`LAB_DESCRIPTORS`].
    ///
    /// ```
    /// # use sledai::labs::*;
    /// # use sledai::units::*;
    /// let d = derive(&[], "2024-07-01".parse()?, DeriveOptions::new());
    /// assert_eq!(d.items().len(), 9);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn items(&self) -> &[LabItem] {
        &self.items
    }

    /// The item of a laboratory descriptor; `None` for the 15 others.
    ///
    /// ```
    /// # use sledai::labs::*;
    /// # use sledai::units::*;
    /// let d = derive(&[], "2024-07-01".parse()?, DeriveOptions::new());
    /// assert!(d.item(sledai::Descriptor::Fever).is_some());
    /// assert!(d.item(sledai::Descriptor::Rash).is_none());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn item(&self, descriptor: Descriptor) -> Option<&LabItem> {
        self.items.iter().find(|i| i.descriptor == descriptor)
    }

    /// The finding of `descriptor`: derived for the nine laboratory
    /// descriptors, [`Finding::NotAssessed`] for the others.
    ///
    /// ```
    /// # use sledai::labs::*;
    /// # use sledai::units::*;
    /// let d = derive(&[], "2024-07-01".parse()?, DeriveOptions::new());
    /// assert_eq!(d.finding(sledai::Descriptor::Seizure), sledai::Finding::NotAssessed);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn finding(&self, descriptor: Descriptor) -> Finding {
        self.item(descriptor)
            .map_or(Finding::NotAssessed, LabItem::finding)
    }

    /// An assessment with the nine derived findings and the 15 other
    /// descriptors not assessed.
    ///
    /// ```
    /// # use sledai::labs::*;
    /// # use sledai::units::*;
    /// let d = derive(&[], "2024-07-01".parse()?, DeriveOptions::new());
    /// assert_eq!(d.assessment(), sledai::Assessment::not_assessed());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn assessment(&self) -> Assessment {
        self.items.iter().fold(Assessment::not_assessed(), |a, i| {
            a.with(i.descriptor, i.finding)
        })
    }

    /// Merges the derived findings into a clinician-entered assessment.
    ///
    /// For each laboratory descriptor: a side that is not assessed takes the
    /// other side's finding; equal findings agree; a present/absent
    /// disagreement is a [`Conflict`], handled by `policy` and never
    /// resolved silently. The 15 other descriptors are the clinician's.
    ///
    /// # Errors
    ///
    /// [`Error::FindingConflict`], listing every conflict, under
    /// [`ConflictPolicy::Error`] (the default).
    ///
    /// ```
    /// use sledai::labs::{derive, ConflictPolicy, DeriveOptions, LabValue, Measurement};
    /// use sledai::units::ProteinUnit;
    /// use sledai::{Assessment, Date, Descriptor, Error, Finding};
    ///
    /// let visit = Date::new(2024, 7, 1)?;
    /// let lab = [Measurement::new(visit, LabValue::urine_protein_24h(0.3, ProteinUnit::GramsPer24h)?)];
    /// let d = derive(&lab, visit, DeriveOptions::new());
    /// let clinician = Assessment::from_present([Descriptor::Proteinuria, Descriptor::Arthritis]);
    ///
    /// assert!(matches!(d.merge(clinician, ConflictPolicy::Error), Err(Error::FindingConflict { .. })));
    /// let kept = d.merge(clinician, ConflictPolicy::KeepLaboratory)?;
    /// assert_eq!(kept.assessment().get(Descriptor::Proteinuria), Finding::Absent);
    /// assert_eq!(kept.conflicts()[0].descriptor, Descriptor::Proteinuria);
    /// assert_eq!(kept.assessment().score()?.get(), 4);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn merge(&self, clinician: Assessment, policy: ConflictPolicy) -> Result<Merged, Error> {
        let mut merged = clinician;
        let mut conflicts = Vec::new();
        for item in &self.items {
            let c = clinician.get(item.descriptor);
            let l = item.finding;
            let finding = match (c, l) {
                (Finding::NotAssessed, l) => l,
                (c, Finding::NotAssessed) => c,
                (c, l) if c == l => c,
                (c, l) => {
                    conflicts.push(Conflict {
                        descriptor: item.descriptor,
                        clinician: c,
                        laboratory: l,
                        detail: item.to_string(),
                    });
                    match policy {
                        ConflictPolicy::KeepLaboratory => l,
                        ConflictPolicy::Error | ConflictPolicy::KeepClinician => c,
                    }
                }
            };
            merged.set(item.descriptor, finding);
        }
        if policy == ConflictPolicy::Error && !conflicts.is_empty() {
            return Err(Error::FindingConflict {
                descriptors: conflicts.iter().map(|c| c.descriptor.id()).collect(),
                detail: conflicts
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")
                    .into(),
            });
        }
        Ok(Merged {
            assessment: merged,
            conflicts,
        })
    }
}

/// What [`Derivation::merge`] does when the clinician and the laboratory
/// disagree on a descriptor.
///
/// ```
/// use sledai::labs::ConflictPolicy;
/// assert_eq!(ConflictPolicy::default(), ConflictPolicy::Error);
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ConflictPolicy {
    /// Refuse: [`Error::FindingConflict`] listing every conflict. The
    /// default, so that no disagreement passes unnoticed.
    #[default]
    Error,
    /// Keep the clinician's finding; report the conflict in
    /// [`Merged::conflicts`].
    KeepClinician,
    /// Keep the laboratory's finding; report the conflict in
    /// [`Merged::conflicts`].
    KeepLaboratory,
}

/// A disagreement between a clinician-entered and a derived finding.
///
/// ```
/// use sledai::labs::Conflict;
/// use sledai::{Descriptor, Finding};
/// let c = Conflict {
///     descriptor: Descriptor::Fever,
///     clinician: Finding::Present,
///     laboratory: Finding::Absent,
///     detail: "fever: absent, within threshold".to_owned(),
/// };
/// assert_eq!(c.to_string(), "fever: clinician present, laboratory absent (fever: absent, within threshold)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Conflict {
    /// The descriptor.
    pub descriptor: Descriptor,
    /// The clinician's finding (present or absent).
    pub clinician: Finding,
    /// The derived finding (present or absent).
    pub laboratory: Finding,
    /// The derived item with its deciding evidence, as text.
    pub detail: String,
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let word = |x: Finding| match x {
            Finding::Present => "present",
            Finding::Absent => "absent",
            Finding::NotAssessed => "not assessed",
        };
        write!(
            f,
            "{}: clinician {}, laboratory {} ({})",
            self.descriptor,
            word(self.clinician),
            word(self.laboratory),
            self.detail
        )
    }
}

/// The result of [`Derivation::merge`].
///
/// ```
/// use sledai::labs::{derive, ConflictPolicy, DeriveOptions};
/// use sledai::Assessment;
/// let d = derive(&[], "2024-07-01".parse()?, DeriveOptions::new());
/// let m = d.merge(Assessment::from_present([]), ConflictPolicy::Error)?;
/// assert!(m.conflicts().is_empty());
/// assert_eq!(m.assessment().score()?.get(), 0);
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    assessment: Assessment,
    conflicts: Vec<Conflict>,
}

impl Merged {
    /// The merged assessment.
    ///
    /// ```
    /// # use sledai::labs::*;
    /// # use sledai::units::*;
    /// let d = derive(&[], "2024-07-01".parse()?, DeriveOptions::new());
    /// let m = d.merge(sledai::Assessment::not_assessed(), ConflictPolicy::Error)?;
    /// assert!(!m.assessment().is_complete());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn assessment(&self) -> Assessment {
        self.assessment
    }

    /// The conflicts found (empty under [`ConflictPolicy::Error`], which
    /// returns an error instead).
    ///
    /// ```
    /// # use sledai::labs::*;
    /// # use sledai::units::*;
    /// let d = derive(&[], "2024-07-01".parse()?, DeriveOptions::new());
    /// let m = d.merge(sledai::Assessment::not_assessed(), ConflictPolicy::KeepClinician)?;
    /// assert!(m.conflicts().is_empty());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn conflicts(&self) -> &[Conflict] {
        &self.conflicts
    }
}

/// How one analyte series came out.
#[derive(Clone, Copy)]
enum Outcome {
    Scores(usize),
    Attributed(Attribution, usize),
    Normal(usize),
    None,
}

/// Is `date` inside the window of `visit`? `Ok(days)` inside, else the
/// exclusion status.
fn window_status(visit: Date, date: Date, window: ScoringWindow) -> Result<i32, (i32, Status)> {
    let days = visit.days_since(date);
    if days < 0 {
        Err((days, Status::AfterVisit))
    } else if days > window.days() {
        Err((days, Status::BeforeWindow))
    } else {
        Ok(days)
    }
}

/// Evaluates the measurements of `analyte`, appending their evidence.
fn evaluate(
    ms: &[Measurement],
    analyte: Analyte,
    visit: Date,
    opts: &DeriveOptions,
    out: &mut Vec<Evidence>,
) -> Outcome {
    let series = || ms.iter().filter(move |m| m.value.analyte == analyte);
    let latest = match opts.selection {
        Selection::MostRecent => series()
            .filter(|m| window_status(visit, m.date, opts.window).is_ok())
            .map(|m| m.date)
            .max(),
        Selection::AnyAbnormal => None,
    };
    // Most recent evidence index of each kind (later date wins; on the same
    // date, the later one in input order).
    let mut scores: Option<usize> = None;
    let mut attributed: Option<usize> = None;
    let mut normal: Option<usize> = None;
    let newer = |slot: Option<usize>, i: usize, out: &[Evidence]| match slot {
        Some(j) => out[i].measurement.date >= out[j].measurement.date,
        None => true,
    };
    for m in series() {
        let beyond = m.value.is_beyond_threshold();
        let (days, status) = match window_status(visit, m.date, opts.window) {
            Err(x) => x,
            Ok(days) => {
                let status = if latest.is_some_and(|l| m.date != l) {
                    Status::Superseded
                } else if !beyond {
                    Status::WithinThreshold
                } else if m.attribution.is_some() {
                    Status::Attributed
                } else {
                    Status::Scores
                };
                (days, status)
            }
        };
        out.push(Evidence {
            measurement: *m,
            days_before_visit: days,
            beyond_threshold: beyond,
            status,
        });
        let i = out.len() - 1;
        let slot = match status {
            Status::Scores => &mut scores,
            Status::Attributed => &mut attributed,
            Status::WithinThreshold => &mut normal,
            _ => continue,
        };
        if newer(*slot, i, out) {
            *slot = Some(i);
        }
    }
    match (scores, attributed, normal) {
        (Some(i), _, _) => Outcome::Scores(i),
        (None, Some(i), _) => match out[i].measurement.attribution {
            Some(cause) => Outcome::Attributed(cause, i),
            None => Outcome::Normal(i),
        },
        (None, None, Some(i)) => Outcome::Normal(i),
        (None, None, None) => Outcome::None,
    }
}

fn item_from(descriptor: Descriptor, outcome: Outcome, evidence: Vec<Evidence>) -> LabItem {
    let (finding, reason, decisive) = match outcome {
        Outcome::Scores(i) => (Finding::Present, Reason::Abnormal, Some(i)),
        Outcome::Attributed(cause, i) => (Finding::Absent, Reason::Attributed { cause }, Some(i)),
        Outcome::Normal(i) => (Finding::Absent, Reason::Normal, Some(i)),
        Outcome::None => (Finding::NotAssessed, Reason::NoMeasurement, None),
    };
    LabItem {
        descriptor,
        finding,
        reason,
        substitute_used: false,
        decisive,
        evidence,
        missing_components: Vec::new(),
    }
}

fn single(
    descriptor: Descriptor,
    analyte: Analyte,
    ms: &[Measurement],
    visit: Date,
    opts: &DeriveOptions,
) -> LabItem {
    let mut evidence = Vec::new();
    let outcome = evaluate(ms, analyte, visit, opts, &mut evidence);
    item_from(descriptor, outcome, evidence)
}

fn proteinuria(ms: &[Measurement], visit: Date, opts: &DeriveOptions) -> LabItem {
    let mut evidence = Vec::new();
    let primary = evaluate(ms, Analyte::UrineProtein24h, visit, opts, &mut evidence);
    let has_24h = !matches!(primary, Outcome::None);
    if has_24h || !opts.upcr_substitute {
        let status = if opts.upcr_substitute {
            Status::SubstituteNotNeeded
        } else {
            Status::SubstituteNotEnabled
        };
        for m in ms.iter().filter(|m| m.value.analyte == Analyte::Upcr) {
            evidence.push(Evidence {
                measurement: *m,
                days_before_visit: visit.days_since(m.date),
                beyond_threshold: m.value.is_beyond_threshold(),
                status,
            });
        }
        return item_from(Descriptor::Proteinuria, primary, evidence);
    }
    let substitute = evaluate(ms, Analyte::Upcr, visit, opts, &mut evidence);
    let mut item = item_from(Descriptor::Proteinuria, substitute, evidence);
    item.substitute_used = !matches!(substitute, Outcome::None);
    item
}

fn low_complement(ms: &[Measurement], visit: Date, opts: &DeriveOptions) -> LabItem {
    let mut evidence = Vec::new();
    let mut missing = Vec::new();
    let mut best: [Option<usize>; 3] = [None; 3]; // scores, attributed, normal
    let mut causes: [Option<Attribution>; 1] = [None];
    for analyte in [Analyte::C3, Analyte::C4, Analyte::Ch50] {
        let outcome = evaluate(ms, analyte, visit, opts, &mut evidence);
        let (k, i) = match outcome {
            Outcome::Scores(i) => (0, i),
            Outcome::Attributed(_, i) => (1, i),
            Outcome::Normal(i) => (2, i),
            Outcome::None => {
                missing.push(analyte);
                continue;
            }
        };
        let newer = match best[k] {
            Some(j) => evidence[i].measurement.date >= evidence[j].measurement.date,
            None => true,
        };
        if newer {
            best[k] = Some(i);
            if let Outcome::Attributed(cause, _) = outcome {
                causes[0] = Some(cause);
            }
        }
    }
    // Absent needs both C3 and C4 measured: a missing value is missing,
    // never normal (`docs/reference.md` section 1.3), and CH50 is rarely measured, so it is
    // not required (docs/labs.md).
    let c3_and_c4 = !missing.contains(&Analyte::C3) && !missing.contains(&Analyte::C4);
    if best[0].is_none() && !c3_and_c4 && best[1..].iter().any(Option::is_some) {
        let mut item = item_from(Descriptor::LowComplement, Outcome::None, evidence);
        item.reason = Reason::MissingComponents;
        item.missing_components = missing;
        return item;
    }
    let outcome = match best {
        [Some(i), _, _] => Outcome::Scores(i),
        [None, Some(i), _] => match causes[0] {
            Some(cause) => Outcome::Attributed(cause, i),
            None => Outcome::Normal(i),
        },
        [None, None, Some(i)] => Outcome::Normal(i),
        [None, None, None] => Outcome::None,
    };
    let mut item = item_from(Descriptor::LowComplement, outcome, evidence);
    item.missing_components = missing;
    item
}

/// Derives the nine laboratory descriptors of the visit on `visit` from
/// `measurements` (in any order; other visits' measurements may be mixed
/// in, they are outside the window).
///
/// Never fails and never panics: every [`Measurement`] was validated when
/// it was built. See the [module docs](crate::labs) for the rules.
///
/// ```
/// use sledai::labs::{derive, Attribution, DeriveOptions, LabValue, Measurement, Reason};
/// use sledai::units::CountUnit;
/// use sledai::{Date, Descriptor, Finding};
///
/// let visit = Date::new(2024, 7, 11)?;
/// let ms = [
///     Measurement::new(Date::new(2024, 7, 1)?, LabValue::platelets(87.0, CountUnit::GigaPerLitre)?), // day 10: in
///     Measurement::new(Date::new(2024, 6, 30)?, LabValue::white_cells(2.1, CountUnit::GigaPerLitre)?), // day 11: out
///     Measurement::new(visit, LabValue::white_cells(2.5, CountUnit::GigaPerLitre)?)
///         .with_attribution(Attribution::Drug),
/// ];
/// let d = derive(&ms, visit, DeriveOptions::new());
/// assert_eq!(d.finding(Descriptor::Thrombocytopenia), Finding::Present);
/// assert_eq!(d.finding(Descriptor::Leukopenia), Finding::Absent);
/// assert_eq!(d.item(Descriptor::Leukopenia).expect("a laboratory descriptor").reason(), Reason::Attributed { cause: Attribution::Drug });
/// assert_eq!(d.finding(Descriptor::Fever), Finding::NotAssessed);
/// # Ok::<(), sledai::Error>(())
/// ```
///
/// A [`Measurements`](crate::labs::Measurements) list is passed as
/// `ms.as_slice()`. The options go last, as [`DeriveOptions`] or one of
/// them (`derive(&ms, visit, ScoringWindow::ThirtyDays)`), as in every rule of the
/// crate.
#[must_use]
pub fn derive(
    measurements: &[Measurement],
    visit: Date,
    options: impl Into<DeriveOptions>,
) -> Derivation {
    let ms = measurements;
    let options = options.into();
    let o = &options;
    Derivation {
        visit,
        options,
        items: [
            single(
                Descriptor::UrinaryCasts,
                Analyte::UrinaryCasts,
                ms,
                visit,
                o,
            ),
            single(Descriptor::Hematuria, Analyte::UrineRbc, ms, visit, o),
            proteinuria(ms, visit, o),
            single(Descriptor::Pyuria, Analyte::UrineWbc, ms, visit, o),
            low_complement(ms, visit, o),
            single(
                Descriptor::IncreasedDnaBinding,
                Analyte::AntiDsDna,
                ms,
                visit,
                o,
            ),
            single(Descriptor::Fever, Analyte::Temperature, ms, visit, o),
            single(
                Descriptor::Thrombocytopenia,
                Analyte::Platelets,
                ms,
                visit,
                o,
            ),
            single(Descriptor::Leukopenia, Analyte::WhiteCells, ms, visit, o),
        ],
    }
}
