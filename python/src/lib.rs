//! Python bindings for `sledai`: the extension module `sledai._native`.
//!
//! A thin adapter. The Rust crate `sledai` is the one implementation of
//! every weight and rule; this crate only converts Python objects to the
//! core's types and back, and maps [`sledai::Error`] to Python exceptions
//! (in one function, `errors::to_py_err`). The public Python API is
//! re-exported by `python-src/sledai/__init__.py`; the data-frame plumbing
//! (pandas, polars, imported lazily) is `python-src/sledai/_frame.py`.
//!
//! Modules, one per Python-facing area:
//! - `errors`: the exception hierarchy and the error mapping.
//! - `descriptors`: `Descriptor`, `DESCRIPTORS`, `IDENTIFIERS`, `descriptor`.
//! - `assessment`: `score`, `clinical_score`.
//! - `frame`: `score_frame`'s buffers, scored by the core's
//!   `sledai::table::totals::evaluate`.
//!
//! - `records` (Python mappings to the core's serde types, strictly) and
//!   `options` (the policy keywords).
//! - `targets`: `_lldas`, `_doris`; `visits`: `_assess`, `_cohort`;
//!   `adam`: `_adam` (the ADaM records of a cohort);
//!   `classify`: `_classify` (wrapped by `python-src/sledai/_visits.py`).
//!
//! Build and install with `pip install ./python`; test with
//! `bash scripts/test-python.sh`.

// PyO3's `#[pymodule]`, `#[pyfunction]`, `#[pyclass]` and
// `create_exception!` expand without requiring `unsafe` in this crate.
#![forbid(unsafe_code)]

use pyo3::prelude::*;

/// mimalloc for the extension's own allocations (Python's are its own):
/// the records and timelines of a cohort are many small blocks.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod adam;
mod assessment;
mod classify;
mod descriptors;
mod errors;
mod frame;

mod mapping;
mod options;
mod records;
mod table;
mod targets;
mod visits;

/// SLEDAI-2K scoring (the compiled core of the ``sledai`` package).
///
/// Import ``sledai``, not this module: ``sledai`` re-exports everything
/// public from here and adds ``score_frame``.
#[pymodule]
#[pyo3(name = "_native")]
fn native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("CITATION", sledai::Descriptor::CITATION)?;

    // Exceptions.
    m.add("SledaiError", py.get_type::<errors::SledaiError>())?;
    m.add(
        "UnknownDescriptorError",
        py.get_type::<errors::UnknownDescriptorError>(),
    )?;
    m.add(
        "IncompleteAssessmentError",
        py.get_type::<errors::IncompleteAssessmentError>(),
    )?;
    m.add(
        "InvalidValueError",
        py.get_type::<errors::InvalidValueError>(),
    )?;
    m.add(
        "InvalidColumnError",
        py.get_type::<errors::InvalidColumnError>(),
    )?;

    // Descriptors.
    m.add_class::<descriptors::PyDescriptor>()?;
    m.add("DESCRIPTORS", descriptors::descriptors(py)?)?;
    m.add("IDENTIFIERS", descriptors::identifiers(py)?)?;
    m.add_function(wrap_pyfunction!(descriptors::descriptor, m)?)?;

    // Totals.
    m.add_function(wrap_pyfunction!(assessment::score, m)?)?;
    m.add_function(wrap_pyfunction!(assessment::clinical_score, m)?)?;
    m.add_function(wrap_pyfunction!(frame::score_columns, m)?)?;
    m.add_function(wrap_pyfunction!(table::resolve_header, m)?)?;
    m.add_function(wrap_pyfunction!(table::bool_cells, m)?)?;
    m.add_function(wrap_pyfunction!(mapping::mapping_layout, m)?)?;
    m.add_function(wrap_pyfunction!(mapping::mapped_records, m)?)?;
    m.add_function(wrap_pyfunction!(table::option_values, m)?)?;
    m.add_function(wrap_pyfunction!(options::visit_option_table, m)?)?;

    // Treat-to-target states, visits, cohorts, classification: Python
    // mappings or frame columns in, the core's results out.
    m.add_function(wrap_pyfunction!(targets::lldas_py, m)?)?;
    m.add_function(wrap_pyfunction!(targets::doris_py, m)?)?;
    m.add_function(wrap_pyfunction!(visits::assess_py, m)?)?;
    m.add_function(wrap_pyfunction!(visits::cohort_py, m)?)?;
    m.add_function(wrap_pyfunction!(adam::adam_py, m)?)?;
    // The ADaM variables in output order, from the core's layout.
    m.add(
        "ADAM_VARIABLES",
        pyo3::types::PyTuple::new(
            py,
            sledai::table::output::adam_columns()
                .iter()
                .map(|c| c.name()),
        )?,
    )?;
    // The per-visit output columns in order (`assess_frame`'s, the tool's
    // CSV without `error`), from the core's layout.
    m.add(
        "VISIT_COLUMNS",
        pyo3::types::PyTuple::new(
            py,
            sledai::table::output::visit_columns()
                .iter()
                .map(|c| c.name()),
        )?,
    )?;
    m.add_function(wrap_pyfunction!(classify::classify_py, m)?)?;
    // The record fields besides the assessment keys, from the core's list.
    m.add(
        "RECORD_FIELDS",
        pyo3::types::PyTuple::new(
            py,
            sledai::visit::FIELDS
                .iter()
                .filter(|f| !matches!(**f, "present" | "descriptors"))
                .collect::<Vec<_>>(),
        )?,
    )?;
    // The frame columns of the BILAG-2004 grades, `bilag_<system>`, from
    // the core's system table.
    m.add(
        "BILAG_COLUMNS",
        pyo3::types::PyTuple::new(
            py,
            sledai::bilag::BilagSystem::ALL
                .iter()
                .map(|s| sledai::table::schema::bilag_column(*s)),
        )?,
    )?;
    m.add(
        "CLASSIFICATION_CRITERIA",
        pyo3::types::PyTuple::new(
            py,
            sledai::classification::ClassificationCriterion::ALL
                .iter()
                .map(|c| c.id()),
        )?,
    )?;
    Ok(())
}
