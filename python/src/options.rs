//! The policy options of the visit functions, from the keyword arguments of
//! the Python API (passed down as one dict by `sledai/_visits.py`).
//!
//! Every option selects one of the core's documented readings; the default
//! is the core's default. Names and values (the same choices as the
//! command-line tool's policy options, docs/cli.md):
//!
//! | keyword | values (default first) | core option |
//! |---|---|---|
//! | `lab_window` | `10`, `30` | `labs::ScoringWindow` |
//! | `lab_selection` | `"any_abnormal"`, `"most_recent"` | `labs::Selection` |
//! | `upcr` | `False`, `True` | `DeriveOptions::with_upcr` |
//! | `conflicts` | `"error"`, `"keep_clinician"`, `"keep_laboratory"` | `labs::ConflictPolicy` |
//! | `betamethasone` | `"three_quarters_mg"`, `"six_tenths_mg"` | `BetamethasoneEquivalence` (serde names) |
//! | `pga_reading` | `"doris_2021_below_half"`, `"golder_2020_at_most_half"` (formerly `"doris_2017_at_most_half"`, still read) | `RemissionPga` (serde names) |
//! | `glucocorticoid_reading` | `"at_most_5_mg"`, `"below_5_mg"` | `RemissionGlucocorticoid` (serde names) |
//! | `bilag_new_b`, `bilag_grade_e`, `bicla_sledai`, `bicla_pga`, `bicla_baseline_activity`, `sri_treatment_failure`, `doris_2017_pga`, `doris_2017_glucocorticoid`, `doris_off_treatment_antimalarial`, `doris_2017_index` | the core vocabularies (docs/bilag.md) | `VisitOptions::{bilag, bicla, sri, remission_2017}` |
//! | `attribution` | `"carry_forward"`, `"half_interval"`, `"both_ends"` | `timeline::TimeAttribution` (serde names) |
//!
//! Where the core type has serde names they are parsed by the core's serde
//! implementation; the three laboratory enums have none, so their names are
//! listed here.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyInt, PyString};
use serde::de::DeserializeOwned;
use sledai::labs::{ConflictPolicy, DeriveOptions, ScoringWindow, Selection};
use sledai::remission::RemissionOptions;
use sledai::visit::VisitOptions;

use crate::errors::to_py_err;

const KEYS: &[&str] = &[
    "lab_window",
    "lab_selection",
    "upcr",
    "conflicts",
    "betamethasone",
    "pga_reading",
    "glucocorticoid_reading",
    "bilag_new_b",
    "bilag_grade_e",
    "bicla_sledai",
    "bicla_pga",
    "bicla_baseline_activity",
    "sri_treatment_failure",
    "doris_2017_pga",
    "doris_2017_glucocorticoid",
    "doris_off_treatment_antimalarial",
    "doris_2017_index",
];

/// Builds `VisitOptions` from a dict of the keywords above (absent or None:
/// the default).
pub(crate) fn visit_options(py: Python<'_>, options: &Bound<'_, PyDict>) -> PyResult<VisitOptions> {
    for (k, _) in options.iter() {
        let k: String = k.extract()?;
        if !KEYS.contains(&k.as_str()) {
            return Err(PyTypeError::new_err(format!("unexpected option `{k}`")));
        }
    }
    let mut labs = DeriveOptions::new();
    if let Some(v) = get(options, "lab_window")? {
        let days = v
            .cast::<PyInt>()
            .ok()
            .filter(|_| !v.is_instance_of::<PyBool>())
            .and_then(|i| i.extract::<i64>().ok());
        labs = labs.with_window(match days {
            Some(10) => ScoringWindow::TenDays,
            Some(30) => ScoringWindow::ThirtyDays,
            _ => return Err(unknown(py, "lab_window", &v, "10, 30")),
        });
    }
    if let Some(v) = get(options, "lab_selection")? {
        labs = labs.with_selection(match text(&v).as_deref() {
            Some("any_abnormal") => Selection::AnyAbnormal,
            Some("most_recent") => Selection::MostRecent,
            _ => {
                return Err(unknown(
                    py,
                    "lab_selection",
                    &v,
                    "any_abnormal, most_recent",
                ));
            }
        });
    }
    if let Some(v) = get(options, "upcr")? {
        let b = v
            .cast::<PyBool>()
            .map_err(|_| PyTypeError::new_err("upcr must be a bool"))?;
        labs = labs.with_upcr(b.is_true());
    }
    let mut o = VisitOptions::default().with_labs(labs);
    if let Some(v) = get(options, "conflicts")? {
        o = o.with_conflicts(match text(&v).as_deref() {
            Some("error") => ConflictPolicy::Error,
            Some("keep_clinician") => ConflictPolicy::KeepClinician,
            Some("keep_laboratory") => ConflictPolicy::KeepLaboratory,
            _ => {
                return Err(unknown(
                    py,
                    "conflicts",
                    &v,
                    "error, keep_clinician, keep_laboratory",
                ));
            }
        });
    }
    if let Some(v) = get(options, "betamethasone")? {
        let b = named(py, "betamethasone", &v, "three_quarters_mg, six_tenths_mg")?;
        o = o.with_conversion(
            sledai::glucocorticoid::ConversionOptions::default().with_betamethasone(b),
        );
    }
    let mut remission = RemissionOptions::default();
    if let Some(v) = get(options, "pga_reading")? {
        remission = remission.with_pga(named(
            py,
            "pga_reading",
            &v,
            "doris_2021_below_half, golder_2020_at_most_half",
        )?);
    }
    if let Some(v) = get(options, "glucocorticoid_reading")? {
        remission = remission.with_glucocorticoid(named(
            py,
            "glucocorticoid_reading",
            &v,
            "at_most_5_mg, below_5_mg",
        )?);
    }
    let o = o.with_remission(remission);
    policies(py, options, o)
}

/// The policies of docs/bilag.md, each keyword named and valued as the
/// core vocabulary (`bilag_new_b="from_d_e"`); parsed by the core.
fn policies(
    py: Python<'_>,
    options: &Bound<'_, PyDict>,
    o: VisitOptions,
) -> PyResult<VisitOptions> {
    fn policy<T: std::str::FromStr<Err = sledai::Error>>(
        py: Python<'_>,
        options: &Bound<'_, PyDict>,
        key: &str,
    ) -> PyResult<Option<T>> {
        let Some(v) = get(options, key)? else {
            return Ok(None);
        };
        let s = text(&v).unwrap_or_else(|| crate::records::shown(&v));
        s.parse::<T>().map(Some).map_err(|e| to_py_err(py, &e))
    }
    let mut bilag = o.bilag();
    if let Some(v) = policy(py, options, "bilag_new_b")? {
        bilag = bilag.with_new_b(v);
    }
    if let Some(v) = policy(py, options, "bilag_grade_e")? {
        bilag = bilag.with_grade_e(v);
    }
    let mut bicla = o.bicla();
    if let Some(v) = policy(py, options, "bicla_sledai")? {
        bicla = bicla.with_sledai(v);
    }
    if let Some(v) = policy(py, options, "bicla_pga")? {
        bicla = bicla.with_pga(v);
    }
    if let Some(v) = policy(py, options, "bicla_baseline_activity")? {
        bicla = bicla.with_baseline_activity(v);
    }
    let mut sri = o.sri();
    if let Some(v) = policy(py, options, "sri_treatment_failure")? {
        sri = sri.with_treatment_failure(v);
    }
    let mut r17 = o.remission_2017();
    if let Some(v) = policy(py, options, "doris_2017_pga")? {
        r17 = r17.with_pga(v);
    }
    if let Some(v) = policy(py, options, "doris_2017_glucocorticoid")? {
        r17 = r17.with_glucocorticoid(v);
    }
    if let Some(v) = policy(py, options, "doris_off_treatment_antimalarial")? {
        r17 = r17.with_antimalarial(v);
    }
    if let Some(v) = policy(py, options, "doris_2017_index")? {
        r17 = r17.with_index(v);
    }
    Ok(o.with_bilag(bilag)
        .with_bicla(bicla)
        .with_sri(sri)
        .with_remission_2017(r17))
}

fn get<'py>(options: &Bound<'py, PyDict>, key: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
    Ok(options.get_item(key)?.filter(|v| !v.is_none()))
}

fn text(v: &Bound<'_, PyAny>) -> Option<String> {
    v.cast::<PyString>().ok().map(|s| s.to_string())
}

/// A core enum from its serde name.
pub(crate) fn named<T: DeserializeOwned>(
    py: Python<'_>,
    field: &'static str,
    v: &Bound<'_, PyAny>,
    expected: &'static str,
) -> PyResult<T> {
    text(v)
        .and_then(|s| serde_json::from_value(serde_json::Value::String(s)).ok())
        .ok_or_else(|| unknown(py, field, v, expected))
}

fn unknown(
    py: Python<'_>,
    field: &'static str,
    v: &Bound<'_, PyAny>,
    expected: &'static str,
) -> PyErr {
    let value = text(v).unwrap_or_else(|| crate::records::shown(v));
    let candidates = expected.split(", ");
    let suggestion = candidates
        .clone()
        .find(|c| c.eq_ignore_ascii_case(&value) || c.replace('_', "-") == value);
    crate::errors::unknown_keyword(py, field, &value, expected, suggestion)
}
