"""``mapping=`` and ``layout=`` of ``assess_frame`` and ``cohort``: long
(SDTM-like) tables and REDCap exports read through a mapping
(docs/mapping.md), by the core's rules (``sledai::table::mapping``), the
same mapping file as the tool's ``--mapping``.

This module only turns the frame's cells into text and the mapping into its
JSON text; the rules are the core's.
"""

from __future__ import annotations

import json
import math
import os
import warnings
from typing import Any, List, Mapping, Optional, Tuple, Union

from sledai import _frame, _native

MappingArg = Union[Mapping[str, Any], str, "os.PathLike[str]", None]


def _text(mapping: MappingArg) -> str:
    """The mapping's JSON text: a dict is dumped, a path is read."""
    if isinstance(mapping, Mapping):
        return json.dumps(mapping)
    if isinstance(mapping, (str, os.PathLike)):
        with open(mapping, encoding="utf-8") as f:
            return f.read()
    raise TypeError(
        f"mapping must be a dict or the path of a mapping file (JSON), not {type(mapping).__name__}"
    )


def layout_and_renames(mapping: MappingArg, layout: Optional[str]) -> Tuple[str, Optional[str], List[Tuple[str, str]]]:
    """(the layout, the mapping's text or None, the mapping's renames)."""
    if mapping is None:
        if layout not in (None, "wide"):
            if not isinstance(layout, str):
                raise TypeError(f"layout must be a str, not {type(layout).__name__}")
            if layout not in ("long", "redcap"):
                raise _frame._invalid_argument("layout", layout, ("wide", "long", "redcap"))
            raise TypeError(f"layout={layout!r} needs mapping= (a dict or the path of a mapping file)")
        return "wide", None, []
    if layout is not None and not isinstance(layout, str):
        raise TypeError(f"layout must be a str, not {type(layout).__name__}")
    text = _text(mapping)
    found, renames = _native._mapping_layout(text, layout)
    return found, text, list(renames)


def _cell(v: Any) -> Optional[str]:
    """A cell as the text a CSV file would hold: missing -> None, a whole
    float as an integer (pandas keeps an integer column with gaps as float),
    a bool as true/false, a date as YYYY-MM-DD."""
    if v is None or v is _pd_na():
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        if math.isnan(v):
            return None
        return str(int(v)) if v.is_integer() else repr(v)
    if hasattr(v, "isoformat") and hasattr(v, "year"):
        iso = v.isoformat()
        return iso[:10] if len(iso) >= 10 else iso
    try:
        import numpy as np

        if isinstance(v, np.generic):
            return _cell(v.item())
    except ImportError:  # pragma: no cover - numpy is a dependency
        pass
    return str(v)


def _pd_na() -> Any:
    import sys

    pd = sys.modules.get("pandas")
    return pd.NA if pd is not None else object()


def records(
    frame: Any,
    text: str,
    layout: Optional[str],
    rename: Optional[Mapping[str, str]],
    extra: str,
) -> Tuple[str, List[Mapping[str, Any]]]:
    """(the kind of the frame, its visit records): the core builds the
    visits; the columns ``extra="ignore"`` drops are named in a warning."""
    if isinstance(frame, (list, tuple)):
        raise TypeError("mapping applies to data frames (a long table or a REDCap export), not to visit records")
    kind, names, get, _ = _frame._open(frame)
    text_names = [n if isinstance(n, str) else str(n) for n in names]
    columns = [[_cell(v) for v in _values(get(i))] for i in range(len(names))]
    out, ignored = _native._mapped_records(text_names, columns, text, layout, _frame._renames(rename), extra)
    if ignored:
        shown = ", ".join(_frame._shown(n) for n in ignored[:20])
        warnings.warn(
            f"ignoring {len(ignored)} column(s) that are not visit fields: {shown}",
            UserWarning,
            stacklevel=4,
        )
    return kind, list(out)


def _values(column: Any) -> List[Any]:
    """A column's values as Python objects."""
    if hasattr(column, "to_list"):
        return column.to_list()
    if hasattr(column, "tolist"):
        return column.tolist()
    return list(column)
