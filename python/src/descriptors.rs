//! `sledai.Descriptor` and `sledai.DESCRIPTORS`: the 24 SLEDAI-2K
//! descriptors as frozen Python objects.
//!
//! Every field is read from the core crate's table ([`sledai::Descriptor`]):
//! nothing is retyped here, so Python can never disagree with Rust about a
//! weight (Gladman 2002; `docs/reference.md` section 1.2).

// The `///` comments on #[pyfunction] / #[pyclass] items are Python
// docstrings with doctest examples, where `[8]` is indexing, not a link.
#![allow(rustdoc::broken_intra_doc_links)]

use pyo3::prelude::*;
use pyo3::types::PyTuple;

/// One SLEDAI-2K descriptor (Gladman 2002): a frozen, hashable record.
///
/// Instances come only from ``sledai.DESCRIPTORS``; they cannot be created
/// or changed from Python, so the weights can only be the library's.
///
/// >>> import sledai
/// >>> d = sledai.DESCRIPTORS[8]
/// >>> d
/// Descriptor(identifier='arthritis', position=9, weight=4, organ_system='musculoskeletal')
/// >>> d.weight, d.is_serology
/// (4, False)
/// >>> sum(d.weight for d in sledai.DESCRIPTORS)
/// 105
#[pyclass(frozen, eq, hash, module = "sledai", name = "Descriptor")]
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct PyDescriptor(sledai::Descriptor);

#[pymethods]
impl PyDescriptor {
    /// The stable snake_case identifier, also the data-frame column name.
    ///
    /// >>> import sledai
    /// >>> sledai.DESCRIPTORS[0].identifier
    /// 'seizure'
    #[getter]
    fn identifier(&self) -> &'static str {
        self.0.id()
    }

    /// The descriptor's name as printed on the form.
    ///
    /// >>> import sledai
    /// >>> sledai.DESCRIPTORS[20].name
    /// 'Increased DNA binding'
    #[getter]
    fn name(&self) -> &'static str {
        self.0.name()
    }

    /// Position on the SLEDAI-2K form, 1 to 24.
    ///
    /// >>> import sledai
    /// >>> sledai.DESCRIPTORS[23].position
    /// 24
    #[getter]
    fn position(&self) -> u8 {
        self.0.position()
    }

    /// The weight: 8, 4, 2 or 1.
    ///
    /// >>> import sledai
    /// >>> [d.weight for d in sledai.DESCRIPTORS if d.organ_system == "renal"]
    /// [4, 4, 4, 4]
    #[getter]
    fn weight(&self) -> u8 {
        self.0.weight()
    }

    /// The organ system's identifier (``cns``, ``vascular``, ``renal``, ...).
    ///
    /// >>> import sledai
    /// >>> sledai.DESCRIPTORS[21].organ_system
    /// 'constitutional'
    #[getter]
    fn organ_system(&self) -> &'static str {
        self.0.organ_system().id()
    }

    /// The definition (paraphrased from Gladman 2002).
    ///
    /// >>> import sledai
    /// >>> "38" in sledai.DESCRIPTORS[21].definition
    /// True
    #[getter]
    fn definition(&self) -> &'static str {
        self.0.definition()
    }

    /// The numeric threshold of a laboratory or vital-sign descriptor, or
    /// None (strict inequalities; `docs/reference.md` section 1.2).
    ///
    /// >>> import sledai
    /// >>> sledai.DESCRIPTORS[21].threshold
    /// '> 38.0 °C'
    /// >>> sledai.DESCRIPTORS[0].threshold is None
    /// True
    #[getter]
    fn threshold(&self) -> Option<&'static str> {
        self.0.threshold()
    }

    /// Other causes that exclude the descriptor (the clinician's judgement,
    /// never guessed by the library), or None.
    ///
    /// >>> import sledai
    /// >>> sledai.DESCRIPTORS[21].exclusions
    /// 'infection'
    #[getter]
    fn exclusions(&self) -> Option<&'static str> {
        self.0.exclusions()
    }

    /// Whether this is one of the two serology descriptors that clinical
    /// SLEDAI leaves out (low_complement, increased_dna_binding).
    ///
    /// >>> import sledai
    /// >>> [d.identifier for d in sledai.DESCRIPTORS if d.is_serology]
    /// ['low_complement', 'increased_dna_binding']
    #[getter]
    fn is_serology(&self) -> bool {
        self.0.is_serology()
    }

    /// Pickles as ``sledai.descriptor(identifier)``: the weights are read
    /// from the library on unpickling, never from the pickle (Dask and
    /// multiprocessing ship descriptors between processes).
    ///
    /// >>> import pickle, sledai
    /// >>> pickle.loads(pickle.dumps(sledai.DESCRIPTORS[8])) == sledai.DESCRIPTORS[8]
    /// True
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, (&'static str,))> {
        let constructor = py.import("sledai._native")?.getattr("descriptor")?;
        Ok((constructor, (self.0.id(),)))
    }

    fn __repr__(&self) -> String {
        format!(
            "Descriptor(identifier='{}', position={}, weight={}, organ_system='{}')",
            self.0.id(),
            self.0.position(),
            self.0.weight(),
            self.0.organ_system().id()
        )
    }
}

/// The descriptor with this identifier.
///
/// Raises ``UnknownDescriptorError`` (with ``.suggestion``) for anything
/// that is not one of the 24 identifiers; identifiers are case-sensitive.
///
/// >>> import sledai
/// >>> sledai.descriptor("pyuria").weight
/// 4
/// >>> sledai.descriptor("pyuira")
/// Traceback (most recent call last):
/// ...
/// sledai.UnknownDescriptorError: unknown descriptor `pyuira`, did you mean `pyuria`?
#[pyfunction]
pub(crate) fn descriptor(py: Python<'_>, identifier: &str) -> PyResult<PyDescriptor> {
    sledai::Descriptor::from_id(identifier)
        .map(PyDescriptor)
        .map_err(|e| crate::errors::to_py_err(py, &e))
}

/// The 24 descriptors in form order, as a tuple.
pub(crate) fn descriptors(py: Python<'_>) -> PyResult<Bound<'_, PyTuple>> {
    let items = sledai::Descriptor::ALL
        .iter()
        .map(|&d| Py::new(py, PyDescriptor(d)))
        .collect::<PyResult<Vec<_>>>()?;
    PyTuple::new(py, items)
}

/// The 24 identifiers in form order, as a tuple of `str`.
pub(crate) fn identifiers(py: Python<'_>) -> PyResult<Bound<'_, PyTuple>> {
    PyTuple::new(py, sledai::Descriptor::ALL.iter().map(|d| d.id()))
}
