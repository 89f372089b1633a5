//! The cohort report: proportions, change statistics (median and IQR) and
//! the summary per endpoint.

use super::*;
use crate::change::SriResult;
use crate::state::TriState;

/// Per-patient summaries and the cohort summary.
///
/// Serializes as `{"patients": [...], "summary": {...}}`.
///
/// ```
/// use sledai::timeline::{Cohort, SummaryOptions};
/// let r = Cohort::default().summarize(&SummaryOptions::default());
/// assert_eq!(serde_json::to_value(&r).unwrap()["summary"]["n"], 0);
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct CohortReport {
    /// One summary per patient, by identifier.
    pub patients: Vec<PatientSummary>,
    /// The cohort summary.
    pub summary: CohortSummary,
}

/// Counts of a three-valued state over patients, with proportions.
///
/// ```
/// use sledai::glucocorticoid::PrednisoneEquivalent;
/// use sledai::timeline::{Cohort, SummaryOptions, TimelineOptions, Window};
/// use sledai::visit::VisitInput;
/// use sledai::{Assessment, Date, Pga};
/// // DORIS remission decided by the PGA: met (0), or not recorded.
/// let v = |p: &str, d: u32, pga: Option<f64>| {
///     let mut v = VisitInput::dated(Date::new(2024, 1, d).unwrap(), Assessment::from_present([]))
///         .with_patient(p)
///         .with_prednisone_equivalent(PrednisoneEquivalent::ZERO);
///     v.pga = pga.map(|x| Pga::new(x).unwrap());
///     v
/// };
/// let c = Cohort::from_records(
///     [v("A", 1, Some(0.0)), v("B", 1, None), v("C", 20, Some(0.0))],
///     &TimelineOptions::default().with_reference_date(Date::new(2024, 1, 1)?),
/// )?;
/// let p = c.summarize(&SummaryOptions::new([Window::new(0, 7)])).summary.endpoints[0].doris;
/// assert_eq!((p.met, p.indeterminate, p.denominator), (1, 1, 2));
/// assert_eq!(p.proportion, Some(0.5));
/// assert_eq!(p.proportion_of_cohort, Some(1.0 / 3.0));
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct Proportion {
    /// Patients met.
    pub met: usize,
    /// Patients not met.
    pub not_met: usize,
    /// Patients indeterminate (never counted as met).
    pub indeterminate: usize,
    /// `met + not_met + indeterminate`.
    pub denominator: usize,
    /// `met / denominator`; `None` when the denominator is 0.
    pub proportion: Option<f64>,
    /// `met / n` over the whole cohort: patients without a visit in the
    /// window count as not met (non-responder imputation); `None` when the
    /// cohort is empty.
    pub proportion_of_cohort: Option<f64>,
}

impl Proportion {
    fn from_states<I: IntoIterator<Item = TriState>>(states: I, n: usize) -> Proportion {
        let mut c = [0usize; 3];
        for s in states {
            c[match s {
                TriState::Met => 0,
                TriState::NotMet => 1,
                TriState::Indeterminate => 2,
            }] += 1;
        }
        let denominator = c.iter().sum();
        let ratio = |d: usize| (d > 0).then(|| c[0] as f64 / d as f64);
        Proportion {
            met: c[0],
            not_met: c[1],
            indeterminate: c[2],
            denominator,
            proportion: ratio(denominator),
            proportion_of_cohort: ratio(n),
        }
    }
}

/// Median and quartiles of the SLEDAI-2K change from baseline over the
/// patients with an exact change at an endpoint.
///
/// Quantiles are R's default, type 7 (Hyndman & Fan 1996): for sorted
/// values `x[0..n]` and probability `p`, `h = (n - 1) p`, the quantile is
/// `x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h])`.
///
/// ```
/// use sledai::timeline::{Cohort, SummaryOptions, TimelineOptions, Window};
/// use sledai::visit::VisitInput;
/// use sledai::{Assessment, Date, Descriptor};
/// let base = Assessment::from_present([Descriptor::Vasculitis, Descriptor::Arthritis]); // 12
/// let rows = [(0, 12), (1, 8), (2, 4), (3, 0)].into_iter().flat_map(|(i, now): (usize, u8)| {
///     let now = Assessment::from_present(match now { 12 => vec![Descriptor::Vasculitis, Descriptor::Arthritis],
///         8 => vec![Descriptor::Vasculitis], 4 => vec![Descriptor::Arthritis], _ => vec![] });
///     let of = |v: VisitInput| v.with_patient(i.to_string());
///     [of(VisitInput::dated(Date::new(2024, 1, 1).unwrap(), base)),
///      of(VisitInput::dated(Date::new(2024, 3, 31).unwrap(), now))]
/// });
/// let c = Cohort::from_records(rows, &TimelineOptions::default())?;
/// let s = c.summarize(&SummaryOptions::new([Window::new(90, 14)])).summary.endpoints[0].change;
/// // Changes 0, -4, -8, -12: median -6, Q1 -9, Q3 -3 (type 7).
/// assert_eq!((s.median, s.q1, s.q3), (Some(-6.0), Some(-9.0), Some(-3.0)));
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct ChangeStats {
    /// Patients with an exact change (complete assessments).
    pub n: usize,
    /// Patients with a visit in the window whose change is a range
    /// (incomplete assessment); left out of the quantiles.
    pub n_inexact: usize,
    /// Median change.
    pub median: Option<f64>,
    /// First quartile.
    pub q1: Option<f64>,
    /// Third quartile.
    pub q3: Option<f64>,
}

/// R type 7 quantile of sorted values.
pub(super) fn quantile7(sorted: &[f64], p: f64) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let h = (n - 1) as f64 * p;
    let lo = h.floor();
    // 0 <= lo <= n - 1, so the cast is exact.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let i = lo as usize;
    let x = sorted[i];
    Some(match sorted.get(i + 1) {
        Some(&y) => x + (h - lo) * (y - x),
        None => x,
    })
}

/// The cohort summary at one endpoint.
///
/// ```
/// use sledai::timeline::{Cohort, SummaryOptions, Window};
/// let r = Cohort::default().summarize(&SummaryOptions::new([Window::new(90, 14)]));
/// assert_eq!(r.summary.endpoints[0].n_with_visit, 0);
/// assert_eq!(r.summary.endpoints[0].change.median, None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct CohortEndpoint {
    /// The window.
    pub window: Window,
    /// Patients with a visit in the window.
    pub n_with_visit: usize,
    /// SLEDAI-2K change from baseline.
    pub change: ChangeStats,
    /// LLDAS at the endpoint visit, over patients with a visit.
    pub lldas: Proportion,
    /// DORIS remission at the endpoint visit, over patients with a visit.
    pub doris: Proportion,
    /// SRI-4 at the endpoint visit, over patients with a visit.
    pub sri4: Proportion,
    /// BICLA, SRI-5..8, the dual responders and the DORIS 2017 variants at
    /// the endpoint visit, over patients with a visit (a visit at or before
    /// the baseline counts as indeterminate for BICLA and SRI).
    pub responses: ResponseProportions,
}

/// The proportions of [`Responses`] at one endpoint.
///
/// ```
/// use sledai::timeline::{Cohort, SummaryOptions, Window};
/// let r = Cohort::default().summarize(&SummaryOptions::new([Window::new(90, 14)]));
/// assert_eq!(r.summary.endpoints[0].responses.bicla.denominator, 0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct ResponseProportions {
    /// BICLA.
    pub bicla: Proportion,
    /// SRI-4 .. SRI-8 (index 0 is SRI-4).
    pub sri: [Proportion; 5],
    /// LLDAS and BICLA.
    pub lldas_bicla: Proportion,
    /// LLDAS and SRI-4.
    pub lldas_sri_4: Proportion,
    /// The DORIS 2017 variants, in [`crate::remission_2017::Doris2017Variant::ALL`] order.
    pub doris_2017: [Proportion; 4],
}

impl ResponseProportions {
    pub(super) fn from_patients(
        patients: &[PatientSummary],
        w: usize,
        n: usize,
    ) -> ResponseProportions {
        let rs: Vec<Responses> = patients
            .iter()
            .filter_map(|p| p.endpoints[w].responses)
            .collect();
        let of = |f: &dyn Fn(&Responses) -> Option<TriState>| {
            Proportion::from_states(
                rs.iter().map(|r| f(r).unwrap_or(TriState::Indeterminate)),
                n,
            )
        };
        ResponseProportions {
            bicla: of(&|r| r.bicla),
            sri: [
                of(&|r| r.sri_4),
                of(&|r| r.sri_5),
                of(&|r| r.sri_6),
                of(&|r| r.sri_7),
                of(&|r| r.sri_8),
            ],
            lldas_bicla: of(&|r| r.lldas_bicla),
            lldas_sri_4: of(&|r| r.lldas_sri_4),
            doris_2017: [
                of(&|r| Some(r.doris_2017_clinical_on_treatment)),
                of(&|r| Some(r.doris_2017_complete_on_treatment)),
                of(&|r| Some(r.doris_2017_clinical_off_treatment)),
                of(&|r| Some(r.doris_2017_complete_off_treatment)),
            ],
        }
    }
}

/// The cohort summary.
///
/// ```
/// use sledai::timeline::{Cohort, SummaryOptions};
/// let s = Cohort::default().summarize(&SummaryOptions::default()).summary;
/// assert_eq!(s.lldas_at_least_half.denominator, 0);
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct CohortSummary {
    /// Number of patients.
    pub n: usize,
    /// One per requested window, in the order requested.
    pub endpoints: Vec<CohortEndpoint>,
    /// Patients in LLDAS for at least 50% of observed follow-up time
    /// (Franklyn 2016 landmark), per [`TimeInState::at_least_half`].
    pub lldas_at_least_half: Proportion,
}

impl CohortSummary {
    pub(super) fn from_patients(
        patients: &[PatientSummary],
        options: &SummaryOptions,
    ) -> CohortSummary {
        let n = patients.len();
        let endpoints = options
            .windows
            .iter()
            .enumerate()
            .map(|(w, &window)| {
                let visits: Vec<(&EndpointVisit, Option<&SriResult>)> = patients
                    .iter()
                    .filter_map(|p| {
                        let e = &p.endpoints[w];
                        Some((e.endpoint.visit()?, e.sri4.as_ref()))
                    })
                    .collect();
                let mut changes: Vec<f64> = visits
                    .iter()
                    .filter_map(|(e, _)| {
                        let change = e.visit.change_from_baseline()?;
                        change.absolute().map(f64::from)
                    })
                    .collect();
                changes.sort_by(f64::total_cmp);
                CohortEndpoint {
                    window,
                    n_with_visit: visits.len(),
                    change: ChangeStats {
                        n: changes.len(),
                        n_inexact: visits.len() - changes.len(),
                        median: quantile7(&changes, 0.5),
                        q1: quantile7(&changes, 0.25),
                        q3: quantile7(&changes, 0.75),
                    },
                    lldas: Proportion::from_states(
                        visits.iter().map(|(e, _)| e.visit.lldas_states().state),
                        n,
                    ),
                    doris: Proportion::from_states(
                        visits.iter().map(|(e, _)| e.visit.doris_states().state),
                        n,
                    ),
                    sri4: Proportion::from_states(
                        visits
                            .iter()
                            .map(|(_, s)| s.map_or(TriState::Indeterminate, |s| s.state())),
                        n,
                    ),
                    responses: ResponseProportions::from_patients(patients, w, n),
                }
            })
            .collect();
        CohortSummary {
            n,
            endpoints,
            lldas_at_least_half: Proportion::from_states(
                patients.iter().map(|p| p.lldas.time.at_least_half),
                n,
            ),
        }
    }
}
