//! `mapping=` and `layout=` of `sledai.assess_frame` and `sledai.cohort`: a
//! long (SDTM-like) table or a REDCap export, its cells as text, read into
//! visit records by the core ([`sledai::table::mapping`]), the same rules
//! and the same mapping file as the tool's `--mapping`.

use pyo3::prelude::*;
use pyo3::types::PyList;
use sledai::table::{ExtraColumns, HeaderOptions, Layout, Mapping, mapping};

use crate::errors::invalid_value;
use crate::records::serialize;

/// The mapping from its JSON text, checked against `layout` when given.
fn parse(py: Python<'_>, text: &str, layout: Option<&str>) -> PyResult<Mapping> {
    let m = Mapping::from_json(text).map_err(|e| crate::errors::to_py_err(py, &e))?;
    if let Some(l) = layout {
        let l = l
            .parse::<Layout>()
            .map_err(|e| crate::errors::to_py_err(py, &e))?;
        m.check_layout(l)
            .map_err(|e| crate::errors::to_py_err(py, &e))?;
    }
    Ok(m)
}

/// The layout a mapping reads and its renames (internal: a wide mapping is
/// renames only, which `rename=` takes).
///
/// >>> import sledai._native as native
/// >>> native._mapping_layout('{"rename": {"PGA": "pga"}}', None)
/// ('wide', [('PGA', 'pga')])
#[pyfunction]
#[pyo3(name = "_mapping_layout", signature = (mapping, layout))]
pub(crate) fn mapping_layout(
    py: Python<'_>,
    mapping: &str,
    layout: Option<&str>,
) -> PyResult<(&'static str, Vec<(String, String)>)> {
    let m = parse(py, mapping, layout)?;
    Ok((m.layout().id(), m.renames().to_vec()))
}

/// Visit records from the columns of a long table or a REDCap export
/// (internal: use ``assess_frame``/``cohort`` with ``mapping=``).
///
/// ``columns`` are the table's columns as lists of text (``None`` for a
/// missing cell); rows are numbered from 0, as the frame's positions.
/// Returns the visit records (the JSON shape, ordered by patient and date)
/// and the columns ``extra="ignore"`` dropped.
///
/// >>> import sledai._native as native
/// >>> m = '{"rename": {"S": "patient", "D": "date"}, "long": {"test": "T", "result": "R", "tests": {"RASH": "rash"}}}'
/// >>> records, ignored = native._mapped_records(["S", "D", "T", "R"], [["P1"], ["2024-01-01"], ["RASH"], ["1"]], m, None, None, "raise")
/// >>> records[0]["patient"], records[0]["descriptors"]["rash"]
/// ('P1', True)
#[pyfunction]
#[pyo3(
    name = "_mapped_records",
    signature = (names, columns, mapping, layout, rename, extra)
)]
pub(crate) fn mapped_records<'py>(
    py: Python<'py>,
    names: Vec<String>,
    columns: Vec<Vec<Option<String>>>,
    mapping: &str,
    layout: Option<&str>,
    rename: Option<Vec<(String, String)>>,
    extra: &str,
) -> PyResult<(Bound<'py, PyList>, Vec<String>)> {
    let m = parse(py, mapping, layout)?;
    let policy = match extra {
        "raise" => ExtraColumns::Error,
        "ignore" => ExtraColumns::Ignore,
        other => {
            return Err(invalid_value(
                py,
                format!("extra: unknown value `{other}`, expected one of: raise, ignore"),
                "extra",
                other.to_owned(),
                None,
            ));
        }
    };
    let header = rename.unwrap_or_default().into_iter().fold(
        HeaderOptions::default().with_extra(policy),
        |o, (old, new)| o.with_rename(old, new),
    );
    let n_rows = columns.first().map_or(0, Vec::len);
    let rows: Vec<(u64, Vec<&str>)> = (0..n_rows)
        .map(|i| {
            let cells = columns
                .iter()
                .map(|c| c.get(i).and_then(Option::as_deref).unwrap_or(""))
                .collect();
            (i as u64, cells)
        })
        .collect();
    let built = py
        .detach(|| mapping::build(&names, rows, &m, &header))
        .map_err(|e| match e {
            sledai::Error::Header { .. } => crate::table::header_error(py, &e),
            _ => crate::errors::to_py_err(py, &e),
        })?;
    let out = PyList::empty(py);
    for v in built.visits() {
        out.append(serialize(py, v)?)?;
    }
    Ok((out, built.ignored().to_vec()))
}
