//! `sledai.classify`: the 2019 EULAR/ACR classification criteria (Aringer
//! 2019) of one input mapping, in the `ClassificationInput` JSON shape of
//! docs/classification.md, parsed by the core's serde implementation and
//! classified by `ClassificationInput::classify`.

use pyo3::prelude::*;
use sledai::classification::ClassificationInput;

use crate::records::{core_err, from_value, mapping_value, serialize};

/// Classifies one input (internal: use ``sledai.classify``).
///
/// Returns ``(result, explanation)``: the core's result serialized and its
/// readable explanation (``Display``).
///
/// >>> import sledai._native as native
/// >>> criteria = {c: c == "renal_biopsy_class_iii_or_iv" for c in native.CLASSIFICATION_CRITERIA}
/// >>> result, text = native._classify({"ana": True, "criteria": criteria})
/// >>> result["outcome"], result["total"]
/// ('classified', 10)
/// >>> native._classify({"ana": True, "criteria": {"renal_biopsy_class_iii_or_iv": True}})[0]["points"]
/// {'min': 10, 'max': 51}
#[pyfunction]
#[pyo3(name = "_classify", signature = (input))]
pub(crate) fn classify_py<'py>(
    py: Python<'py>,
    input: &Bound<'py, PyAny>,
) -> PyResult<(Bound<'py, PyAny>, String)> {
    let value = mapping_value(py, input, "input", "")?;
    let input: ClassificationInput = from_value(py, &value, "", None)?;
    let result = sledai::classification::evaluate(&input).map_err(|e| core_err(py, e, None))?;
    Ok((serialize(py, &result)?, result.to_string()))
}
