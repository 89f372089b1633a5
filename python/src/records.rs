//! Python objects in, core serde types out (and back).
//!
//! A visit record, a classification input or a measurement list arrives as
//! a Python mapping. It is converted, strictly, to a `serde_json::Value`
//! ([`to_value`]) and then deserialized into the core's type by the core's
//! own serde implementation ([`from_value`]), so the Python package parses
//! exactly what the command-line tool parses: the same field names, the
//! same validation, the same messages. Nothing about a field is parsed
//! here.
//!
//! `pythonize` (0.30, PyO3 0.30) is not used for input: its
//! deserializer reads a bool field with Python truthiness, so `"no"` or `2`
//! in `hemolytic_anemia` would silently become `true`.
//!
//! The converter accepts `None`, `bool` (and `numpy.bool_`), `int` (and
//! numpy integers), finite `float` (and numpy floats), `str`,
//! `datetime.date` (a date without a time of day, as `YYYY-MM-DD`),
//! mappings with `str` keys, and lists or tuples; `pandas.NA` and
//! `pandas.NaT` are `None`. NaN and infinities are errors (JSON has no NaN,
//! and `serde_json` would silently turn one into `null`), as is any other
//! type. Errors name the field path (`measurements[0].platelets.value`) and
//! the value, and map through [`crate::errors`].

use pyo3::exceptions::{PyException, PyMemoryError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyMapping, PyString, PyTuple};
use serde::de::DeserializeOwned;
use serde_json::{Map, Number, Value};

use crate::errors::{SledaiError, bounded, field_error};

/// How deeply containers may nest in a record. A valid record nests 3
/// levels (`measurements[0].platelets.value`); the limit is far above that
/// and far below the native stack: a list that contains itself, or a list
/// nested 16,000 times, is an error naming the field instead of a crash.
pub(crate) const MAX_DEPTH: usize = 64;

/// Converts a Python object to JSON, naming `path` (and `row`, for a row
/// of a frame or a list of records) in errors.
///
/// Every error is an exception of the package's hierarchy: an exception
/// raised by the value's own code (a mapping whose `items()` raises, a
/// `__repr__` that raises, ...) becomes an `InvalidValueError` naming the
/// field, with the original as `__cause__`.
pub(crate) fn to_value(
    py: Python<'_>,
    obj: &Bound<'_, PyAny>,
    path: &str,
    row: Option<usize>,
) -> PyResult<Value> {
    convert(py, obj, path, row, 0)
}

fn convert(
    py: Python<'_>,
    obj: &Bound<'_, PyAny>,
    path: &str,
    row: Option<usize>,
    depth: usize,
) -> PyResult<Value> {
    node(py, obj, path, row, depth).map_err(|e| foreign(py, e, path, row))
}

/// An exception that is not one of the package's (raised by the value's
/// own code) as an `InvalidValueError` naming the field. `KeyboardInterrupt`,
/// `SystemExit` and `MemoryError` pass unchanged.
fn foreign(py: Python<'_>, err: PyErr, path: &str, row: Option<usize>) -> PyErr {
    if err.is_instance_of::<SledaiError>(py)
        || !err.is_instance_of::<PyException>(py)
        || err.is_instance_of::<PyMemoryError>(py)
    {
        return err;
    }
    let value = err.value(py);
    let kind = value
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "Exception".to_owned());
    let text = value.str().map(|s| s.to_string()).unwrap_or_default();
    let new = field_error(
        py,
        field_name(path),
        "",
        &format!("the value cannot be read: {kind}: {}", bounded(&text)),
        row,
    );
    new.set_cause(py, Some(err));
    new
}

fn field_name(path: &str) -> &str {
    if path.is_empty() { "record" } else { path }
}

fn node(
    py: Python<'_>,
    obj: &Bound<'_, PyAny>,
    path: &str,
    row: Option<usize>,
    depth: usize,
) -> PyResult<Value> {
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if let Ok(i) = obj.cast::<PyInt>() {
        return int_value(py, i.as_any(), path, row);
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return float_value(py, f.value(), path, obj, row);
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(text(py, s, path, row)?));
    }
    let container = obj.is_instance_of::<PyDict>()
        || obj.is_instance_of::<PyList>()
        || obj.is_instance_of::<PyTuple>()
        || obj.cast::<PyMapping>().is_ok();
    if container && depth >= MAX_DEPTH {
        // The message names the outermost field (`present`), `.field` the
        // whole path.
        let top = path.split(['[', '.']).next().unwrap_or_default();
        let prefix = row.map(|r| format!("row {r}: ")).unwrap_or_default();
        return Err(crate::errors::invalid_value(
            py,
            format!(
                "{prefix}field `{}`: nested more than {MAX_DEPTH} levels deep \
                 (a list or mapping that contains itself?)",
                field_name(top)
            ),
            field_name(path),
            format!(
                "a {} nested more than {MAX_DEPTH} levels deep",
                type_name(obj)
            ),
            row,
        ));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut map = Map::new();
        for (k, v) in d.iter() {
            let key = key_of(py, &k, path, row)?;
            let value = convert(py, &v, &join(path, &key), row, depth + 1)?;
            map.insert(key, value);
        }
        return Ok(Value::Object(map));
    }
    // The items of a list or tuple (of a subclass too: an overridden
    // `__iter__` is not called).
    let items = if let Ok(l) = obj.cast::<PyList>() {
        Some(l.iter().collect::<Vec<_>>())
    } else if let Ok(t) = obj.cast::<PyTuple>() {
        Some(t.iter().collect::<Vec<_>>())
    } else {
        None
    };
    if let Some(items) = items {
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            out.push(convert(py, item, &format!("{path}[{i}]"), row, depth + 1)?);
        }
        return Ok(Value::Array(out));
    }
    if let Ok(m) = obj.cast::<PyMapping>() {
        let mut map = Map::new();
        for item in m.items()?.iter() {
            let (k, v): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item.extract()?;
            let key = key_of(py, &k, path, row)?;
            let value = convert(py, &v, &join(path, &key), row, depth + 1)?;
            map.insert(key, value);
        }
        return Ok(Value::Object(map));
    }
    other(py, obj, path, row)
}

/// A `str` as Rust text; a lone surrogate (`"\ud800"`, which UTF-8 cannot
/// encode) is an `InvalidValueError` naming the field.
fn text(
    py: Python<'_>,
    s: &Bound<'_, PyString>,
    path: &str,
    row: Option<usize>,
) -> PyResult<String> {
    match s.to_cow() {
        Ok(t) => Ok(t.into_owned()),
        Err(_) => Err(field_error(
            py,
            field_name(path),
            &shown(s.as_any()),
            &format!(
                "`{}` is not valid Unicode text: it holds a lone surrogate",
                bounded(&shown(s.as_any()))
            ),
            row,
        )),
    }
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "object".to_owned())
}

/// numpy scalars, dates, pandas' missing values; anything else is an error.
fn other(
    py: Python<'_>,
    obj: &Bound<'_, PyAny>,
    path: &str,
    row: Option<usize>,
) -> PyResult<Value> {
    let ty = obj.get_type();
    let module = ty.module()?.to_string_lossy().into_owned();
    let name = ty.name()?.to_string_lossy().into_owned();
    let is_pandas = module == "pandas" || module.starts_with("pandas.");
    if is_pandas && (name == "NAType" || name == "NaTType") {
        return Ok(Value::Null);
    }
    if module == "numpy" {
        if name == "bool" || name == "bool_" {
            return Ok(Value::Bool(obj.is_truthy()?));
        }
        if obj.hasattr("__index__")? && !name.starts_with("float") {
            return int_value(py, &obj.call_method0("__index__")?, path, row);
        }
        if name == "float16" || name == "float32" {
            // The shortest decimal that reads back as this float32 (numpy's
            // `str`): `np.float32(0.3)` is 0.3, not 0.30000001192092896.
            let shortest: String = obj.str()?.extract()?;
            let v = shortest.parse::<f64>().unwrap_or(f64::NAN);
            return float_value(py, v, path, obj, row);
        }
        if name.starts_with("float") {
            return float_value(py, obj.extract::<f64>()?, path, obj, row);
        }
    }
    let datetime = py.import("datetime")?;
    if obj.is_instance(&datetime.getattr("date")?)? {
        if obj.is_instance(&datetime.getattr("datetime")?)? {
            let midnight = obj
                .getattr("time")?
                .call0()?
                .eq(datetime.getattr("time")?.call0()?)?;
            if !midnight || !obj.getattr("tzinfo")?.is_none() {
                return Err(field_error(
                    py,
                    field_name(path),
                    &shown(obj),
                    "expected a calendar date: this value has a time of day or a time zone",
                    row,
                ));
            }
            let date = obj.call_method0("date")?;
            return Ok(Value::String(date.call_method0("isoformat")?.extract()?));
        }
        return Ok(Value::String(obj.call_method0("isoformat")?.extract()?));
    }
    Err(field_error(
        py,
        field_name(path),
        &shown(obj),
        &format!(
            "unsupported type {module}.{name}: expected None, bool, int, float, str, a date, a mapping or a list"
        ),
        row,
    ))
}

fn int_value(
    py: Python<'_>,
    i: &Bound<'_, PyAny>,
    path: &str,
    row: Option<usize>,
) -> PyResult<Value> {
    if let Ok(v) = i.extract::<i64>() {
        return Ok(Value::Number(v.into()));
    }
    if let Ok(v) = i.extract::<u64>() {
        return Ok(Value::Number(v.into()));
    }
    Err(field_error(
        py,
        field_name(path),
        &shown(i),
        "integer too large",
        row,
    ))
}

fn float_value(
    py: Python<'_>,
    v: f64,
    path: &str,
    obj: &Bound<'_, PyAny>,
    row: Option<usize>,
) -> PyResult<Value> {
    Number::from_f64(v).map(Value::Number).ok_or_else(|| {
        field_error(
            py,
            field_name(path),
            &shown(obj),
            "not a finite number (a missing value is None)",
            row,
        )
    })
}

fn key_of(
    py: Python<'_>,
    key: &Bound<'_, PyAny>,
    path: &str,
    row: Option<usize>,
) -> PyResult<String> {
    let field = if path.is_empty() { "key" } else { path };
    match key.cast::<PyString>() {
        Ok(s) => text(py, s, field, row),
        Err(_) => Err(field_error(py, field, &shown(key), "keys must be str", row)),
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

pub(crate) fn shown(obj: &Bound<'_, PyAny>) -> String {
    obj.repr().map(|r| r.to_string()).unwrap_or_default()
}

/// Deserializes a core type from JSON with the core's serde
/// implementation. Errors name the field path and the value found there;
/// an unknown descriptor raises `UnknownDescriptorError` (with its
/// suggestion), everything else `InvalidValueError`. `row` is set on the
/// exception for the rows of a frame.
pub(crate) fn from_value<T: DeserializeOwned>(
    py: Python<'_>,
    value: &Value,
    prefix: &str,
    row: Option<usize>,
) -> PyResult<T> {
    serde_path_to_error::deserialize::<_, T>(value).map_err(|e| {
        let path = e.path().to_string();
        let path = match (path.as_str(), prefix) {
            (".", p) => p.to_owned(),
            (s, "") => s.to_owned(),
            (s, p) => format!("{p}.{s}"),
        };
        let found = lookup(value, e.path());
        let message = e.inner().to_string();
        let last_key = match e.path().iter().next_back() {
            Some(serde_path_to_error::Segment::Map { key }) => Some(key.as_str()),
            _ => None,
        };
        if let Some(err) = unknown_descriptor(py, &message, found, last_key, row) {
            return err;
        }
        let field = if path.is_empty() { "record" } else { &path };
        let shown = found.map(Value::to_string).unwrap_or_default();
        field_error(py, field, &shown, &message, row)
    })
}

/// The typed error for an unknown descriptor identifier (the message is the
/// core's; the name comes back from the core's parser).
fn unknown_descriptor(
    py: Python<'_>,
    message: &str,
    found: Option<&Value>,
    last_key: Option<&str>,
    row: Option<usize>,
) -> Option<PyErr> {
    if !message.starts_with("unknown descriptor") {
        return None;
    }
    let mut candidates: Vec<&str> = match found {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        Some(Value::Object(map)) => map.keys().map(String::as_str).collect(),
        _ => Vec::new(),
    };
    candidates.extend(last_key);
    let err = candidates.into_iter().find_map(descriptor_error)?;
    Some(crate::errors::at(py, &err, row))
}

/// The core's error for an identifier that is not a descriptor, or None
/// (the core's search for a suggestion is linear in the identifier's
/// length, so an enormous one costs little).
pub(crate) fn descriptor_error(name: &str) -> Option<sledai::Error> {
    sledai::Descriptor::from_id(name).err()
}

/// The value at a serde path, if it exists.
fn lookup<'a>(value: &'a Value, path: &serde_path_to_error::Path) -> Option<&'a Value> {
    use serde_path_to_error::Segment;
    let mut v = value;
    for segment in path.iter() {
        v = match segment {
            Segment::Seq { index } => v.get(*index)?,
            Segment::Map { key } => v.get(key.as_str())?,
            Segment::Enum { .. } | Segment::Unknown => return Some(v),
        };
    }
    Some(v)
}

/// Serializes a core result to Python objects (dicts keep the core's field
/// order). `pythonize` is used for output only: its serializer maps serde's
/// data model one to one (maps to dicts, sequences to lists, `None` to
/// `None`).
pub(crate) fn serialize<'py, T: serde::Serialize>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    pythonize::pythonize(py, value)
        .map_err(|e| PyTypeError::new_err(format!("cannot convert a result: {e}")))
}

/// A mapping argument, or a `TypeError`.
pub(crate) fn mapping_value(
    py: Python<'_>,
    obj: &Bound<'_, PyAny>,
    what: &str,
    prefix: &str,
) -> PyResult<Value> {
    if obj.cast::<PyMapping>().is_err() && !obj.is_instance_of::<PyDict>() {
        return Err(PyTypeError::new_err(format!(
            "{what} must be a mapping (a dict of the record's fields), not {}",
            obj.get_type()
                .name()
                .map(|n| n.to_string())
                .unwrap_or_default()
        )));
    }
    to_value(py, obj, prefix, None)
}

/// Core error with an optional row.
pub(crate) fn core_err(py: Python<'_>, error: sledai::Error, row: Option<usize>) -> PyErr {
    crate::errors::at(py, &error, row)
}
