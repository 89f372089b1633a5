"""``score_frame``: SLEDAI-2K totals for every row of a data frame.

This module only adapts containers: it finds the 24 descriptor columns of a
pandas or polars DataFrame (or a dict of numpy arrays), hands their buffers
to the Rust kernel (``sledai._native._score_columns``, which releases the
GIL and scores all rows with the core crate) and wraps the result. There is
no Python loop over rows. pandas and polars are never imported here: a frame
of either kind can only exist if its library is already imported, so the
checks look the library up in ``sys.modules``.
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING, Any, Dict, List, Literal, Mapping, Optional, Tuple, overload

import numpy as np

from sledai import _native

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import NDArray

__all__ = ["score_frame"]

# One column as (values, missing) numpy arrays, or an Arrow boolean array's
# buffers as ("bits", data, offset, length, validity) (see _arrow_bits).
_Pair = Tuple[Any, ...]

_IDENTIFIERS: Tuple[str, ...] = _native.IDENTIFIERS
_BOOL = np.dtype(bool)
_SEROLOGY = frozenset(d.identifier for d in _native.DESCRIPTORS if d.is_serology)
_INCOMPLETE = ("na", "raise", "range")
_EXTRA = ("raise", "ignore")


@overload
def score_frame(
    frame: Any,
    *,
    clinical: bool = ...,
    incomplete: Literal["raise"],
    extra: Literal["raise", "ignore"] = ...,
    rename: Optional[Mapping[str, str]] = ...,
) -> NDArray[np.int16]: ...
@overload
def score_frame(
    frame: Any,
    *,
    clinical: bool = ...,
    incomplete: Literal["range"],
    extra: Literal["raise", "ignore"] = ...,
    rename: Optional[Mapping[str, str]] = ...,
) -> Tuple[NDArray[np.int16], NDArray[np.int16]]: ...
@overload
def score_frame(
    frame: Any,
    *,
    clinical: bool = ...,
    incomplete: Literal["na"] = ...,
    extra: Literal["raise", "ignore"] = ...,
    rename: Optional[Mapping[str, str]] = ...,
) -> Any: ...
def score_frame(
    frame: Any,
    *,
    clinical: bool = False,
    incomplete: Literal["na", "raise", "range"] = "na",
    extra: Literal["raise", "ignore"] = "raise",
    rename: Optional[Mapping[str, str]] = None,
) -> Any:
    """SLEDAI-2K totals (or clinical SLEDAI with ``clinical=True``) of every row.

    ``frame`` is a pandas DataFrame, a polars DataFrame, or a dict mapping
    column names to 1-D numpy arrays (or pyarrow ``bool`` arrays; polars
    and pyarrow booleans are read as their Arrow bitmaps, not converted).
    It must hold the 24 descriptor columns,
    named by their identifiers (``sledai.IDENTIFIERS``); each holds ``bool``,
    integers 0/1, or floats 0.0/1.0, and may be nullable: pandas ``"boolean"``,
    ``"Int8"`` ... dtypes with ``pd.NA``, polars nulls, NaN in a float column,
    or a numpy masked array. A missing value means *not assessed*, never
    absent. With ``clinical=True`` the two serology columns may be left out.
    A text or object column is read with the boolean cell grammar of the
    command-line tool (``"1"/"0"``, ``"true"/"false"``, ``"yes"/"no"``,
    ``"y"/"n"``, any case; ``""``, ``"NA"``, ``"null"`` or None: not
    assessed).

    The header follows the one rule of ``sledai score`` (docs/formats.md,
    "Tables"): visit-record columns (``patient``, ``date``, ``pga``, ...)
    are allowed and unused; ``rename={"OLD": "NEW"}`` renames columns
    first; every problem (unknown, missing, repeated columns) is listed in
    one ``InvalidColumnError``, and a column that looks like a visit column
    under another name (``Patient``, ``patient_id``, ``PGA``) is an error
    naming the rename to pass, even with ``extra="ignore"``. Under
    ``extra="ignore"`` the ignored columns are named in a ``UserWarning``.

    Returns, one total per row (typed ``Any`` for ``incomplete="na"``, since
    the type then depends on the input and the data):

    - all rows complete: a numpy ``int16`` array (signed, so differences
      between visits cannot wrap around);
    - some row incomplete, ``incomplete="na"`` (default): the input library's
      nullable integer type, missing where the row is incomplete: a pandas
      ``Int16`` ``IntegerArray``, a polars ``Int16`` Series, or for a dict a
      ``numpy.ma.MaskedArray``;
    - ``incomplete="raise"``: a numpy ``int16`` array, or
      ``IncompleteAssessmentError`` for the first incomplete row (``.row``,
      ``.missing``, ``.range``);
    - ``incomplete="range"``: a tuple ``(low, high)`` of numpy ``int16``
      arrays, the totals each row can still take (equal when complete).

    Errors (nothing is coerced silently): ``InvalidColumnError`` for a
    missing descriptor column, a column that is not a visit column (unless
    ``extra="ignore"``), a repeated column or an unsupported dtype
    (category, ...); ``InvalidValueError`` naming the column, the row
    (0-based position) and the value for a cell that is not 0/1/True/False
    or missing (2, 0.5, -1, inf); ``TypeError`` for another kind of object.

    >>> import pandas as pd, sledai
    >>> df = pd.DataFrame({name: [False, False, False] for name in sledai.IDENTIFIERS})
    >>> df.loc[0, "arthritis"] = True
    >>> df.loc[1, "seizure"] = True
    >>> sledai.score_frame(df)
    array([4, 8, 0], dtype=int16)
    >>> df["fever"] = pd.array([False, None, False], dtype="boolean")
    >>> sledai.score_frame(df)
    <IntegerArray>
    [4, <NA>, 0]
    Length: 3, dtype: Int16
    >>> low, high = sledai.score_frame(df, incomplete="range")
    >>> high.tolist()
    [4, 9, 0]
    >>> df["rash"] = [0, 0, 2]
    >>> sledai.score_frame(df)
    Traceback (most recent call last):
    ...
    sledai.InvalidValueError: row 2: rash: invalid value `2`: expected 0 or 1 (False or True), or a missing value (NA) for not assessed
    """
    if incomplete not in _INCOMPLETE:
        raise _invalid_argument("incomplete", incomplete, _INCOMPLETE)
    if extra not in _EXTRA:
        raise _invalid_argument("extra", extra, _EXTRA)
    if not isinstance(clinical, bool):
        raise TypeError(f"clinical must be a bool, not {type(clinical).__name__}")

    kind, names, get, n_rows = _open(frame)
    pairs, n_rows = _select(names, get, clinical=clinical, extra=extra, n_rows=n_rows, rename=rename)
    result = _native._score_columns(pairs, n_rows, clinical, incomplete)
    if incomplete != "na":
        return result
    totals, flags = result
    if flags is None:
        return totals
    return _nullable(kind, totals, flags, "clinical_sledai" if clinical else "sledai_2k")


def _open(frame: Any) -> Tuple[str, List[Any], Any, int]:
    """The kind of container, its column names, a column getter and the row
    count (-1 for a dict: its first descriptor column sets it)."""
    pd = sys.modules.get("pandas")
    pl = sys.modules.get("polars")
    if pd is not None and isinstance(frame, pd.DataFrame):
        names = frame.columns.tolist()
        return "pandas", names, _pandas_getter(frame, names), len(frame)
    if pl is not None and isinstance(frame, pl.DataFrame):
        return "polars", list(frame.columns), frame.to_series, frame.height
    if pl is not None and isinstance(frame, pl.LazyFrame):
        raise TypeError("score_frame needs a polars DataFrame: call .collect() on the LazyFrame first")
    if isinstance(frame, Mapping):
        return "dict", list(frame.keys()), list(frame.values()).__getitem__, -1
    raise TypeError(
        "score_frame takes a pandas DataFrame, a polars DataFrame or a dict of numpy arrays, "
        f"not {type(frame).__module__}.{type(frame).__qualname__}"
    )


def _pandas_getter(frame: Any, names: List[Any]) -> Any:
    """Column ``i`` of a pandas frame. A column held in a plain numpy block
    is read as its 1-D row of the block (a view, no pandas Series built:
    ``frame[name]`` costs about 10 us a column, and ``score_frame`` reads 24);
    anything else (extension arrays, a layout this pandas lays out
    otherwise) through ``frame.iloc[:, i]``."""
    try:
        mgr = frame._mgr
        blocks, blknos, blklocs = mgr.blocks, mgr.blknos, mgr.blklocs
    except Exception:  # another pandas: the public API
        blocks = None

    def get(i: int) -> Any:
        if blocks is not None:
            try:
                values = blocks[blknos[i]].values
                if isinstance(values, np.ndarray) and values.ndim == 2:
                    return values[blklocs[i]]
            except Exception:
                pass
        return frame.iloc[:, i]

    return get


#: The core's header resolution of recent calls, by (names, rename, extra,
#: serology_optional): a frame scored again and again (``score_frame`` in a
#: loop) resolves its header once.
_RESOLVED: Dict[Any, Any] = {}


def _renames(rename: Optional[Mapping[str, str]]) -> Optional[List[Tuple[str, str]]]:
    """``rename={"OLD": "NEW"}`` as the core's list of pairs."""
    if rename is None:
        return None
    if not isinstance(rename, Mapping):
        raise TypeError(f"rename must be a mapping of column names, not {type(rename).__name__}")
    pairs = list(rename.items())
    for old, new in pairs:
        if not isinstance(old, str) or not isinstance(new, str):
            raise TypeError("rename must map column names (str) to visit fields (str)")
    return pairs


def _resolve(names: List[Any], rename: Optional[Mapping[str, str]], extra: str, clinical: bool) -> List[Tuple[str, str]]:
    """The core's header rule (``sledai::table::resolve``): per column
    ``(tag, name)``; every problem in one ``InvalidColumnError``; the
    ignored columns named in a warning."""
    text = [n if isinstance(n, str) else str(n) for n in names]
    pairs = _renames(rename)
    key = (tuple(text), None if pairs is None else tuple(pairs), extra, clinical)
    cached = _RESOLVED.get(key)
    if cached is None:
        cached = _native._resolve_header(text, pairs, extra, clinical)
        if len(_RESOLVED) >= 64:
            _RESOLVED.clear()
        _RESOLVED[key] = cached
    columns, ignored = cached
    if ignored:
        import warnings

        shown = ", ".join(_shown(n) for n in ignored[:20]) + (f" and {len(ignored) - 20} more" if len(ignored) > 20 else "")
        warnings.warn(
            f"ignoring {len(ignored)} column(s) that are not visit fields: {shown}",
            UserWarning,
            stacklevel=4,  # the caller of score_frame / assess_frame / cohort
        )
    return columns


def _select(
    names: List[Any], get: Any, *, clinical: bool, extra: str, n_rows: int,
    rename: Optional[Mapping[str, str]] = None, resolved: Optional[List[Tuple[str, str]]] = None,
) -> Tuple[List[Optional[_Pair]], int]:
    """The 24 (values, missing) pairs in form order, after resolving the header."""
    columns = resolved if resolved is not None else _resolve(names, rename, extra, clinical)
    position = {name: i for i, (tag, name) in enumerate(columns) if tag == "descriptor"}
    pairs: List[Optional[_Pair]] = []
    for name in _IDENTIFIERS:
        if name not in position:
            pairs.append(None)
            continue
        pair = _column(name, get(position[name]))
        # The rows as handed over (inline: this loop is the per-call cost).
        rows = len(pair[0]) if len(pair) == 2 else int(pair[3])
        if n_rows < 0:  # a dict: the first column sets the length
            n_rows = rows
        if rows != n_rows:
            raise _column_error(name, f"column `{name}` has {rows} rows, expected {n_rows}")
        pairs.append(pair)
    return pairs, max(n_rows, 0)


def _pyarrow() -> Any:
    """pyarrow, when it is installed (imported on first use: polars and
    pandas hand their Arrow arrays over through it); None otherwise, and
    columns take the numpy path."""
    global _PA
    if _PA is False:
        try:
            _PA = importlib.import_module("pyarrow")
        except ImportError:
            _PA = None
    return _PA


_PA: Any = False

#: Below this many rows a polars Boolean column without nulls is copied to
#: numpy bytes: ``Series.to_arrow()`` costs about 4.6 us a column against
#: 1.3 us for ``to_numpy()`` on a short column, and the bytes of a short
#: column cost nothing to read (docs/performance.md, "Arrow bitmaps").
_BITMAP_ROWS = 4096


def _bitmaps_pay(s: Any) -> bool:
    """Whether a polars Boolean series is handed over as its bitmaps: a
    long one, or one with nulls (their byte mask costs more still)."""
    return len(s) >= _BITMAP_ROWS or s.null_count() > 0


def _arrow_bits(data: Any) -> Optional[Tuple[Any, ...]]:
    """A pyarrow boolean array (or chunked array: one chunk as it is, more
    combined) as ``("bits", data, offset, length, validity)``: uint8 views
    of its values bitmap and its validity bitmap (None without nulls), not
    copies, and the array's offset in bits. The core reads the bits
    (``sledai::table::column::Values::Bits``). None when it is not boolean
    or pyarrow is not imported."""
    pa = sys.modules.get("pyarrow")
    if pa is None:
        return None
    if isinstance(data, pa.ChunkedArray):
        if data.num_chunks != 1:
            data = data.combine_chunks()
        else:
            data = data.chunk(0)
    if not isinstance(data, pa.Array) or not pa.types.is_boolean(data.type):
        return None
    validity, values = data.buffers()
    empty = np.zeros(0, dtype=np.uint8)
    bits = empty if values is None else np.frombuffer(values, dtype=np.uint8)
    valid = None if validity is None or data.null_count == 0 else np.frombuffer(validity, dtype=np.uint8)
    return ("bits", bits, data.offset, len(data), valid)


def _column(name: str, column: Any) -> _Pair:
    """One column as (values, missing) numpy arrays, without copying where possible."""
    if type(column) is np.ndarray and column.dtype == _BOOL and column.ndim == 1 and column.flags.c_contiguous:
        return column.view(np.uint8), None  # the common case, first
    pd = sys.modules.get("pandas")
    pl = sys.modules.get("polars")
    if pl is not None and isinstance(column, pl.Series):
        return _polars(name, column, pl)
    if pd is not None and isinstance(column, pd.Series):
        return _pandas(name, column, pd)
    if isinstance(column, np.ma.MaskedArray):
        return _numpy(name, np.ma.getdata(column), np.ma.getmaskarray(column))
    if isinstance(column, np.ndarray):
        return _numpy(name, column, None)
    if isinstance(column, (list, tuple)):
        return _numpy(name, np.asarray(column), None)
    bits = _arrow_bits(column)  # a pyarrow bool array
    if bits is not None:
        return bits
    raise _column_error(
        name,
        f"column `{name}`: expected a 1-D numpy array or a list, not {type(column).__module__}.{type(column).__qualname__}",
    )


def _numpy(name: str, values: np.ndarray, missing: Optional[np.ndarray]) -> _Pair:
    if values.ndim != 1:
        raise _column_error(name, f"column `{name}`: expected a 1-D array, got {values.ndim} dimensions")
    dtype = values.dtype
    if dtype.kind == "b":
        values = np.ascontiguousarray(values).view(np.uint8)
    elif dtype.kind in "OU":
        # Text or objects ("Yes", "no", None, 0/1): the core's boolean grammar.
        cells = values.tolist()
        if missing is not None:
            cells = [None if m else v for v, m in zip(cells, missing.tolist())]
        return _native._bool_cells(name, cells)
    elif dtype.kind in "iu" or (dtype.kind == "f" and dtype.itemsize in (4, 8)):
        if not dtype.isnative:
            values = values.astype(dtype.newbyteorder("="))
        values = np.ascontiguousarray(values)
    else:
        raise _column_error(
            name,
            f"column `{name}`: unsupported dtype {dtype}: expected bool, integers 0/1 or floats 0.0/1.0 "
            "(convert object columns with .astype(\"boolean\"))",
        )
    if missing is not None:
        if missing.shape != values.shape or missing.dtype.kind != "b":
            raise _column_error(name, f"column `{name}`: missing-value mask does not match the values")
        missing = np.ascontiguousarray(missing).view(np.uint8)
    return values, missing


def _pandas(name: str, s: Any, pd: Any) -> _Pair:
    dtype = s.dtype
    if isinstance(dtype, np.dtype):
        return _numpy(name, s.to_numpy(copy=False), None)
    array = s.array
    base = getattr(sys.modules.get("pandas.core.arrays.masked"), "BaseMaskedArray", None)
    if base is not None and isinstance(array, base):
        # pandas' nullable arrays ("boolean", "Int8", ..., "Float64") keep the
        # values and the NA mask as two numpy arrays: use them without copying.
        # Values under the mask are ignored by the kernel.
        data = getattr(array, "_data", None)
        mask = getattr(array, "_mask", None)
        if isinstance(data, np.ndarray) and isinstance(mask, np.ndarray):
            return _numpy(name, data, mask)
    if pd.api.types.is_string_dtype(dtype) or pd.api.types.is_object_dtype(dtype):
        # pandas "string" and object columns: the core's boolean grammar.
        return _native._bool_cells(name, s.astype(object).tolist())
    if str(getattr(dtype, "pyarrow_dtype", "")) == "bool" and _pyarrow() is not None:
        # pyarrow-backed "bool[pyarrow]": the Arrow bitmaps as they are.
        bits = _arrow_bits(array.__arrow_array__())
        if bits is not None:
            return bits
    numpy_dtype = getattr(dtype, "numpy_dtype", None)
    if isinstance(numpy_dtype, np.dtype) and (numpy_dtype.kind in "biu" or numpy_dtype.kind == "f"):
        # Other extension arrays (e.g. pyarrow-backed integers): the public
        # API, which copies.
        missing = s.isna().to_numpy(dtype=bool)
        values = s.to_numpy(dtype=numpy_dtype, na_value=numpy_dtype.type(0))
        return _numpy(name, values, missing)
    raise _column_error(
        name,
        f"column `{name}`: unsupported dtype {dtype}: expected bool, \"boolean\", integers 0/1 or floats 0.0/1.0",
    )


def _polars(name: str, s: Any, pl: Any) -> _Pair:
    dtype = s.dtype
    if dtype == pl.Null:
        # A column with no values at all: every row not assessed.
        return np.zeros(len(s), dtype=np.uint8), np.ones(len(s), dtype=np.uint8)
    if dtype == pl.String or dtype == pl.Object:
        # Text ("Yes", "no", null): the core's boolean grammar.
        return _native._bool_cells(name, s.to_list())
    if not (dtype == pl.Boolean or dtype.is_integer() or dtype.is_float()):
        raise _column_error(
            name,
            f"column `{name}`: unsupported dtype {dtype}: expected Boolean, integers 0/1 or floats 0.0/1.0",
        )
    if dtype == pl.Boolean and _bitmaps_pay(s) and _pyarrow() is not None:
        # The Arrow bitmaps as polars holds them (no byte per row).
        bits = _arrow_bits(s.to_arrow())
        if bits is not None:
            return bits
    if s.null_count() > 0:
        missing = s.is_null().to_numpy()
        values = s.fill_null(0 if dtype != pl.Boolean else False).to_numpy()
        return _numpy(name, values, missing)
    return _numpy(name, s.to_numpy(), None)


def _nullable(kind: str, totals: np.ndarray, flags: np.ndarray, name: str) -> Any:
    # The input was a frame of this library, so it is imported already.
    if kind == "pandas":
        pd = sys.modules["pandas"]
        return pd.arrays.IntegerArray(totals, flags)
    if kind == "polars":
        pl = sys.modules["polars"]
        return pl.Series(name, totals).scatter(np.flatnonzero(flags), None)
    return np.ma.MaskedArray(totals, mask=flags)


#: A name longer than this is no plausible typo of an identifier: it is not
#: searched for a suggestion, and it is echoed shortened (issue 12).
_LONGEST_ECHO = 64


def _shown(value: object) -> str:
    """``repr(value)``, shortened to its first 40 characters and
    ``… (N characters)`` when long: messages echo input, and input can be
    enormous (the Rust side's ``errors::bounded``)."""
    if isinstance(value, str) and len(value) > _LONGEST_ECHO:
        return f"{value[:40]!r}… ({len(value)} characters)"
    try:
        text = repr(value)
    except Exception:  # a hostile __repr__
        text = f"<{type(value).__name__} object>"
    if len(text) <= _LONGEST_ECHO:
        return text
    return f"{text[:40]}… ({len(text)} characters)"


def _column_error(column: Optional[str], message: str) -> _native.InvalidColumnError:
    err = _native.InvalidColumnError(message)
    err.column = column
    return err


def _invalid_argument(field: str, value: object, expected: Tuple[str, ...]) -> _native.InvalidValueError:
    err = _native.InvalidValueError(
        f"{field}: unknown value `{value}`, expected one of: {', '.join(expected)}"
    )
    err.field = field
    err.value = str(value)
    err.row = None
    return err
