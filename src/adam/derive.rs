//! The derivation: a cohort's timelines into records ([`evaluate`]).

use super::options::{AdamOptions, AnalysisSelection, AnalysisWindow};
use super::parameters::{Parameter, ValueKind, check_code};
use super::records::{CRIT1_SRI4, DTYPE_PHANTOM, MissingReason, Record};
use crate::assessment::Assessment;
use crate::assessment::Finding;
use crate::change::{ScoreChange, Sri};
use crate::date::Date;
use crate::error::Error;
use crate::glucocorticoid::PrednisoneEquivalent;
use crate::pga::Pga;
use crate::score::ScoreRange;
use crate::state::TriState;
use crate::timeline::{Cohort, Target, Timeline};

/// What the records of one visit read, gathered once per subject from its
/// timeline (the same values `sledai score` and `sledai cohort` report).
struct Facts {
    date: Date,
    day: i32,
    assessment: Assessment,
    pga: Option<Pga>,
    dose: Option<PrednisoneEquivalent>,
    lldas: TriState,
    doris: TriState,
    /// Against the baseline, also before it (the timeline's).
    change: ScoreChange,
}

fn facts(t: &Timeline) -> Vec<Facts> {
    let conversion = t.visit_options().conversion();
    t.visits()
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let state = |target| t.state(i, target).unwrap_or(TriState::Indeterminate);
            Facts {
                // A timeline's records are dated, their doses converted and
                // their states evaluated when it is built (`Timeline::new`
                // rejects a dose it cannot convert), so nothing here fails
                // and no visit's whole result is computed.
                date: v.date.unwrap_or(Date::MIN),
                day: t.study_days().get(i).copied().unwrap_or_default(),
                assessment: t.scored_assessment(i).copied().unwrap_or(v.assessment),
                pga: v.pga,
                dose: v
                    .glucocorticoids
                    .as_ref()
                    .and_then(|g| g.prednisone_equivalent(conversion).ok()),
                lldas: state(Target::Lldas),
                doris: state(Target::Doris),
                change: t
                    .change_from_baseline(i)
                    .unwrap_or(ScoreChange::from_ranges(
                        v.assessment.score_range(),
                        v.assessment.score_range(),
                    )),
            }
        })
        .collect()
}

/// The `AVISIT` of the baseline record.
pub const BASELINE_AVISIT: &str = "Baseline";

/// The `AVISITN` of the baseline record (admiral's ADVS template).
pub const BASELINE_AVISITN: i32 = 0;

/// Units per mg of a prednisone equivalent (`exact_mg` denominators divide it).
const DOSE_UNITS_PER_MG: u64 = 60_000;

/// Checks `options` against the dataset's rules and returns the
/// [`Dataset`] of `cohort`: its records are derived one subject at a time
/// when iterated ([`Dataset::records`]), so a caller that writes them as
/// they come holds one subject's records at a time, not the dataset.
///
/// The records: for each subject (identifier order), each parameter
/// ([`Parameter::ALL`] order), each visit in date order its records (the
/// baseline record, `AVISIT = "Baseline"`, and one record per analysis
/// window the visit lies in, in window order; a visit in no window and not
/// the baseline: one record with `AVISIT` empty), then one `DTYPE =
/// "PHANTOM"` record per analysis window without a visit.
///
/// The rules (`docs/adam.md`):
///
/// - `ABLFL = "Y"` on the one baseline record of each subject and
///   parameter: the timeline's baseline visit (the visit marked baseline,
///   else the first). `BASE` is its `AVAL`, on every record.
/// - `CHG = AVAL - BASE` and `PCHG = 100 * CHG / BASE` (empty when `BASE`
///   is 0) wherever `AVAL` and `BASE` exist, computed exactly (PGA in
///   tenths, doses in the crate's exact units) and rounded once. A range
///   total gives `CHGLO` / `CHGHI` instead.
/// - `ANL01FL = "Y"` on the one record per subject, parameter and window
///   chosen by [`AnalysisSelection`] (per visit, so the same visit for every
///   parameter), and on each phantom record.
/// - `CRIT1` / `CRIT1FL`: SRI-4 ([`Timeline::sri`]) on the SLEDAI-2K
///   records after the baseline and on every window record.
///
/// # Errors
///
/// [`Error::InvalidValue`] for options the dataset cannot hold: a
/// `PARAMCD` that is not a valid code or is shared by two parameters
/// (field `PARAMCD`); an `AVISIT` that is empty, is `Baseline` or is given
/// twice (field `AVISIT`); an `AVISITN` that is 0 (the baseline's) or is
/// given twice (field `AVISITN`).
///
/// ```
/// use sledai::adam::{self, AnalysisSelection, Record};
/// use sledai::timeline::{Cohort, TimelineOptions};
/// use sledai::visit::VisitInput;
/// use sledai::{Assessment, Date};
/// let v = VisitInput::dated(Date::new(2024, 3, 1)?, Assessment::not_assessed()).with_patient("P1");
/// let c = Cohort::from_records([v], &TimelineOptions::default())?;
/// let records: Vec<Record> = adam::evaluate(&c, AnalysisSelection::Closest)?.records().collect();
/// assert_eq!(records.len(), 30); // one visit, 30 parameters
/// let total = &records[0];
/// assert_eq!((total.aval, total.avallo, total.avalhi), (None, Some(0.0), Some(105.0)));
/// assert_eq!(total.avalrsn.map(|r| r.id()), Some("not_assessed"));
/// # Ok::<(), sledai::Error>(())
/// ```
pub fn evaluate(cohort: &Cohort, options: impl Into<AdamOptions>) -> Result<Dataset<'_>, Error> {
    let options = options.into();
    let codes = codes(&options)?;
    check_windows(options.windows())?;
    Ok(Dataset {
        cohort,
        options,
        codes,
    })
}

/// The ADaM dataset of a cohort under checked options ([`evaluate`]):
/// its records are derived when iterated.
///
/// ```
/// use sledai::adam::{self, AdamOptions};
/// use sledai::timeline::{Cohort, TimelineOptions};
/// use sledai::visit::VisitInput;
/// use sledai::{Assessment, Date};
/// let v = |p: &str, m| VisitInput::dated(Date::new(2024, m, 1).unwrap(), Assessment::from_present([])).with_patient(p);
/// let c = Cohort::from_records([v("A", 1), v("B", 1), v("B", 2)], &TimelineOptions::default())?;
/// let d = adam::evaluate(&c, AdamOptions::default())?;
/// assert_eq!(d.records().count(), 30 * 3);
/// assert_eq!(d.subject_records("B").count(), 30 * 2);
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Dataset<'a> {
    cohort: &'a Cohort,
    options: AdamOptions,
    codes: Vec<String>,
}

impl Dataset<'_> {
    /// Every record, subject by subject (identifier order), each subject's
    /// records derived when the iteration reaches it.
    ///
    /// ```
    /// use sledai::adam::{self, AdamOptions};
    /// use sledai::timeline::Cohort;
    /// let c = Cohort::default();
    /// assert_eq!(adam::evaluate(&c, AdamOptions::default())?.records().count(), 0);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn records(&self) -> impl Iterator<Item = Record> + '_ {
        self.cohort.patients().flat_map(move |(id, t)| {
            let mut out = Vec::new();
            subject(&mut out, id, t, &self.options, &self.codes);
            out
        })
    }

    /// The records of one subject (none for an identifier not in the
    /// cohort).
    ///
    /// ```
    /// use sledai::adam::{self, AdamOptions};
    /// use sledai::timeline::Cohort;
    /// let c = Cohort::default();
    /// assert_eq!(adam::evaluate(&c, AdamOptions::default())?.subject_records("P1").count(), 0);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn subject_records(&self, usubjid: &str) -> impl Iterator<Item = Record> + '_ {
        let mut out = Vec::new();
        if let Some(t) = self.cohort.get(usubjid) {
            subject(&mut out, usubjid, t, &self.options, &self.codes);
        }
        out.into_iter()
    }

    /// The options, checked.
    ///
    /// ```
    /// use sledai::adam::{self, AdyConvention};
    /// use sledai::timeline::Cohort;
    /// let c = Cohort::default();
    /// assert_eq!(adam::evaluate(&c, AdyConvention::DayZero)?.options().ady(), AdyConvention::DayZero);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn options(&self) -> &AdamOptions {
        &self.options
    }
}

/// The `PARAMCD` of every parameter, checked.
fn codes(options: &AdamOptions) -> Result<Vec<String>, Error> {
    let codes: Vec<String> = Parameter::ALL
        .iter()
        .map(|&p| options.parameter_code(p))
        .collect();
    for (i, (&p, code)) in Parameter::ALL.iter().zip(&codes).enumerate() {
        check_code(p, code)?;
        if let Some(j) = codes[..i].iter().position(|c| c == code) {
            return Err(Error::InvalidValue {
                field: "PARAMCD",
                value: code.clone().into(),
                reason: format!(
                    "parameters `{}` and `{p}` would have the same code",
                    Parameter::ALL[j]
                )
                .into(),
            });
        }
    }
    Ok(codes)
}

fn check_windows(windows: &[AnalysisWindow]) -> Result<(), Error> {
    for (i, w) in windows.iter().enumerate() {
        let avisit = |reason: String| Error::InvalidValue {
            field: "AVISIT",
            value: w.avisit().to_owned().into(),
            reason: reason.into(),
        };
        if w.avisit().trim().is_empty() {
            return Err(avisit("an analysis visit needs a name".to_owned()));
        }
        if w.avisit() == BASELINE_AVISIT {
            return Err(avisit(format!(
                "`{BASELINE_AVISIT}` is the baseline record's analysis visit"
            )));
        }
        if windows[..i].iter().any(|x| x.avisit() == w.avisit()) {
            return Err(avisit("the analysis visit is given twice".to_owned()));
        }
        let avisitn = |reason: String| Error::InvalidValue {
            field: "AVISITN",
            value: w.avisitn().to_string().into(),
            reason: format!("analysis visit `{}`: {reason}", w.avisit()).into(),
        };
        if w.avisitn() == BASELINE_AVISITN {
            return Err(avisitn(format!(
                "{BASELINE_AVISITN} is the baseline record's AVISITN"
            )));
        }
        if let Some(x) = windows[..i].iter().find(|x| x.avisitn() == w.avisitn()) {
            return Err(avisitn(format!(
                "analysis visit `{}` has the same number",
                x.avisit()
            )));
        }
    }
    Ok(())
}

/// A parameter's value at one visit: exact as `numerator / denominator`,
/// or a range total, or missing with a reason.
#[derive(Clone, Copy)]
enum Value {
    Exact {
        numerator: i64,
        denominator: i64,
        avalc: Option<&'static str>,
    },
    Range(ScoreRange),
    Missing(MissingReason),
}

fn total(r: ScoreRange) -> Value {
    if r.min() == r.max() {
        Value::Exact {
            numerator: i64::from(r.min().get()),
            denominator: 1,
            avalc: None,
        }
    } else {
        Value::Range(r)
    }
}

fn state(s: TriState) -> Value {
    match s {
        TriState::Met => Value::Exact {
            numerator: 1,
            denominator: 1,
            avalc: Some(TriState::Met.id()),
        },
        TriState::NotMet => Value::Exact {
            numerator: 0,
            denominator: 1,
            avalc: Some(TriState::NotMet.id()),
        },
        TriState::Indeterminate => Value::Missing(MissingReason::Indeterminate),
    }
}

fn value(p: Parameter, v: &Facts) -> Value {
    let exact = |numerator: i64, denominator: i64, avalc| Value::Exact {
        numerator,
        denominator,
        avalc,
    };
    match p {
        Parameter::Sledai2k => total(v.assessment.score_range()),
        Parameter::ClinicalSledai2k => total(v.assessment.clinical_score_range()),
        Parameter::Item(d) => match v.assessment.get(d) {
            Finding::Present => exact(1, 1, Some("Y")),
            Finding::Absent => exact(0, 1, Some("N")),
            Finding::NotAssessed => Value::Missing(MissingReason::NotAssessed),
        },
        Parameter::Pga => v
            .pga
            .map_or(Value::Missing(MissingReason::NotRecorded), |g| {
                exact(i64::from(g.tenths()), 10, None)
            }),
        Parameter::PrednisoneEquivalent => {
            v.dose
                .map_or(Value::Missing(MissingReason::NotRecorded), |e| {
                    let (n, d) = e.exact_mg();
                    // `d` divides the units per mg; the values are below 2^40.
                    let units = n * (DOSE_UNITS_PER_MG / d.max(1));
                    exact(
                        i64::try_from(units).unwrap_or(i64::MAX),
                        DOSE_UNITS_PER_MG as i64,
                        None,
                    )
                })
        }
        Parameter::Lldas => state(v.lldas),
        Parameter::Doris => state(v.doris),
    }
}

#[allow(clippy::cast_precision_loss)] // |values| < 2^53: exact in f64
fn ratio(n: i64, d: i64) -> f64 {
    n as f64 / d as f64
}

/// One record of a visit or of a window without a visit.
#[derive(Clone, Copy)]
struct Entry {
    /// The visit (timeline position); `None` for a phantom record.
    visit: Option<usize>,
    /// The analysis window (position in the options); `None` for the
    /// baseline record or a visit in no window.
    window: Option<usize>,
    baseline: bool,
}

fn entries(rows: &[Facts], baseline: usize, windows: &[AnalysisWindow]) -> Vec<Entry> {
    let mut out = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        if i == baseline {
            out.push(Entry {
                visit: Some(i),
                window: None,
                baseline: true,
            });
        }
        let before = out.len();
        for (k, w) in windows.iter().enumerate() {
            if w.window().contains(r.day) {
                out.push(Entry {
                    visit: Some(i),
                    window: Some(k),
                    baseline: false,
                });
            }
        }
        if out.len() == before && i != baseline {
            out.push(Entry {
                visit: Some(i),
                window: None,
                baseline: false,
            });
        }
    }
    for (k, w) in windows.iter().enumerate() {
        if !rows.iter().any(|r| w.window().contains(r.day)) {
            out.push(Entry {
                visit: None,
                window: Some(k),
                baseline: false,
            });
        }
    }
    out
}

fn subject(out: &mut Vec<Record>, id: &str, t: &Timeline, options: &AdamOptions, codes: &[String]) {
    let rows = facts(t);
    let b = t.baseline_index();
    let windows = options.windows();
    let day = options.ady();
    // The one visit per window flagged ANL01FL.
    let chosen: Vec<Option<usize>> = windows
        .iter()
        .map(|w| match options.selection() {
            AnalysisSelection::LastInWindow => {
                rows.iter().rposition(|r| w.window().contains(r.day))
            }
            // The visit `sledai cohort` reports for the endpoint.
            AnalysisSelection::Closest => t.endpoint_index(w.window()).map(|(i, _)| i),
        })
        .collect();
    let entries = entries(&rows, b, windows);
    // SRI-4 at each visit, computed once.
    let sri: Vec<Option<TriState>> = (0..rows.len())
        .map(|i| t.sri(i, Sri::SRI_4).map(|s| s.state()))
        .collect();
    for (&p, code) in Parameter::ALL.iter().zip(codes) {
        let label = p.label();
        let base = value(p, &rows[b]);
        for e in &entries {
            let mut r = Record {
                usubjid: id.to_owned(),
                paramcd: code.clone(),
                param: label.clone(),
                ..Record::default()
            };
            if let Some(k) = e.window {
                let w = &windows[k];
                let (target, lo, hi) = w.bounds(day);
                r.avisit = Some(w.avisit().to_owned());
                r.avisitn = Some(w.avisitn());
                (r.awtarget, r.awlo, r.awhi) = (Some(target), Some(lo), Some(hi));
                r.anl01fl = chosen[k] == e.visit || e.visit.is_none();
            }
            if e.baseline {
                r.avisit = Some(BASELINE_AVISIT.to_owned());
                r.avisitn = Some(BASELINE_AVISITN);
                r.ablfl = true;
            }
            if let Value::Exact {
                numerator,
                denominator,
                ..
            } = base
            {
                r.base = Some(ratio(numerator, denominator));
            }
            match e.visit {
                Some(i) => {
                    let row = &rows[i];
                    r.adt = Some(row.date);
                    r.ady = Some(day.ady(row.day));
                    r.ady0 = Some(row.day);
                    values(&mut r, p, base, value(p, row), row);
                    if p == Parameter::Sledai2k && !e.baseline && (e.window.is_some() || i > b) {
                        r.crit1 = Some(CRIT1_SRI4);
                        match sri[i].unwrap_or(TriState::Indeterminate) {
                            TriState::Met => r.crit1fl = Some(true),
                            TriState::NotMet => r.crit1fl = Some(false),
                            TriState::Indeterminate => {
                                r.crit1rsn = Some(MissingReason::Indeterminate);
                            }
                        }
                    }
                }
                None => {
                    r.avalrsn = Some(MissingReason::NoVisitInWindow);
                    r.dtype = Some(DTYPE_PHANTOM);
                    if p == Parameter::Sledai2k {
                        r.crit1 = Some(CRIT1_SRI4);
                        r.crit1rsn = Some(MissingReason::NoVisitInWindow);
                    }
                }
            }
            out.push(r);
        }
    }
}

/// `AVAL`, `AVALC`, the bounds, the reason, `CHG` (or its bounds) and
/// `PCHG` of a visit record.
fn values(r: &mut Record, p: Parameter, base: Value, v: Value, row: &Facts) {
    match v {
        Value::Exact {
            numerator,
            denominator,
            avalc,
        } => {
            r.aval = Some(ratio(numerator, denominator));
            r.avalc = avalc;
        }
        Value::Range(range) => {
            r.avallo = Some(f64::from(range.min().get()));
            r.avalhi = Some(f64::from(range.max().get()));
            r.avalrsn = Some(MissingReason::NotAssessed);
        }
        Value::Missing(reason) => r.avalrsn = Some(reason),
    }
    if p.kind() == ValueKind::Total {
        // The change of two totals, ranges or not: for SLEDAI-2K the
        // timeline's own (`Timeline::change_from_baseline`, what `sledai cohort` reports).
        let range = |x: Value| match x {
            Value::Range(r) => Some(r),
            Value::Exact { numerator, .. } => {
                let s = crate::score::Score::new(u8::try_from(numerator).ok()?).ok()?;
                Some(ScoreRange::new(s, s))
            }
            Value::Missing(_) => None,
        };
        let change = if p == Parameter::Sledai2k {
            Some(row.change)
        } else {
            range(base)
                .zip(range(v))
                .map(|(b, f)| ScoreChange::from_ranges(b, f))
        };
        if let Some(c) = change {
            match c.absolute() {
                Some(a) => {
                    r.chg = Some(f64::from(a));
                    r.pchg = c.percent();
                }
                None => {
                    r.chglo = Some(f64::from(c.min()));
                    r.chghi = Some(f64::from(c.max()));
                }
            }
        }
        return;
    }
    if let (
        Value::Exact {
            numerator: nb,
            denominator: d,
            ..
        },
        Value::Exact { numerator: nv, .. },
    ) = (base, v)
    {
        // One denominator per parameter: the difference is exact, then
        // rounded once; PCHG's denominators cancel.
        let diff = nv - nb;
        r.chg = Some(ratio(diff, d));
        if nb != 0 {
            r.pchg = Some(ratio(diff.saturating_mul(100), nb));
        }
    }
}
