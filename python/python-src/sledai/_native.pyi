"""Type stubs for the compiled module ``sledai._native`` (import ``sledai`` instead)."""

from typing import Any, Dict, Iterable, List, Literal, Mapping, Optional, Sequence, Tuple, Union, final, overload

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "__version__",
    "CITATION",
    "SledaiError",
    "UnknownDescriptorError",
    "IncompleteAssessmentError",
    "InvalidValueError",
    "InvalidColumnError",
    "Descriptor",
    "DESCRIPTORS",
    "IDENTIFIERS",
    "descriptor",
    "score",
    "clinical_score",
    "_score_columns",
    "_resolve_header",
    "_bool_cells",
    "_mapping_layout",
    "_mapped_records",
    "_option_values",
    "_visit_option_table",
    "CLASSIFICATION_CRITERIA",
    "RECORD_FIELDS",
    "VISIT_COLUMNS",
    "BILAG_COLUMNS",
    "_lldas",
    "_doris",
    "_assess",
    "_cohort",
    "_adam",
    "ADAM_VARIABLES",
    "_classify",
]

__version__: str
CITATION: str

# An assessment: the identifiers of the present descriptors (everything else
# absent), or identifier -> True / False / None (None or left out: not
# assessed). numpy.bool_ and pandas.NA are accepted as values at run time.
_Assessment = Union[Iterable[str], Mapping[str, Optional[bool]]]

class SledaiError(ValueError):
    """Root of the exceptions raised by sledai for invalid input."""

class UnknownDescriptorError(SledaiError):
    """An identifier that is not one of the 24 SLEDAI-2K descriptors."""

    name: str
    suggestion: Optional[str]

class IncompleteAssessmentError(SledaiError):
    """A total was asked of an assessment with descriptors not assessed."""

    missing: Tuple[str, ...]
    range: Tuple[int, int]
    row: Optional[int]

class InvalidValueError(SledaiError):
    """A value that is not acceptable (2 or 0.5 in a descriptor column, ...)."""

    field: str
    value: str
    row: Optional[int]

class InvalidColumnError(SledaiError):
    """A data frame whose columns cannot be scored."""

    column: Optional[str]

@final
class Descriptor:
    """One SLEDAI-2K descriptor: a frozen, hashable record."""

    @property
    def identifier(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def position(self) -> int: ...
    @property
    def weight(self) -> int: ...
    @property
    def organ_system(self) -> str: ...
    @property
    def definition(self) -> str: ...
    @property
    def threshold(self) -> Optional[str]: ...
    @property
    def exclusions(self) -> Optional[str]: ...
    @property
    def is_serology(self) -> bool: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __ne__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> Tuple[Any, Tuple[str]]: ...

DESCRIPTORS: Tuple[Descriptor, ...]
IDENTIFIERS: Tuple[str, ...]

def descriptor(identifier: str) -> Descriptor: ...
@overload
def score(assessment: _Assessment, *, incomplete: Literal["raise"] = "raise") -> int: ...
@overload
def score(assessment: _Assessment, *, incomplete: Literal["range"]) -> Tuple[int, int]: ...
@overload
def clinical_score(assessment: _Assessment, *, incomplete: Literal["raise"] = "raise") -> int: ...
@overload
def clinical_score(assessment: _Assessment, *, incomplete: Literal["range"]) -> Tuple[int, int]: ...
def _score_columns(
    columns: Sequence[
        Optional[
            Union[
                Tuple[NDArray[np.generic], Optional[NDArray[np.uint8]]],
                Tuple[Literal["bits"], NDArray[np.uint8], int, int, Optional[NDArray[np.uint8]]],
            ]
        ]
    ],
    n_rows: int,
    clinical: bool,
    incomplete: Literal["na", "raise", "range"],
) -> Union[
    NDArray[np.int16],
    Tuple[NDArray[np.int16], Optional[NDArray[np.bool_]]],
    Tuple[NDArray[np.int16], NDArray[np.int16]],
]: ...

# Visit tables: the core's header rule and boolean cell grammar.
def _resolve_header(
    names: List[str],
    rename: Optional[List[Tuple[str, str]]],
    extra: str,
    serology_optional: bool,
) -> Tuple[List[Tuple[str, str]], List[str]]: ...
def _bool_cells(name: str, cells: List[Any]) -> Tuple[NDArray[np.uint8], NDArray[np.uint8]]: ...
#: The allowed values of each policy keyword that is a core vocabulary.
def _option_values() -> Dict[str, Tuple[str, ...]]: ...
#: The core's policy option table: (name, values, default, former spellings, is_switch).
def _visit_option_table() -> List[Tuple[str, Tuple[str, ...], str, Tuple[str, ...], bool]]: ...

# Long tables and REDCap exports (wrapped by sledai._mapping).
def _mapping_layout(mapping: str, layout: Optional[str]) -> Tuple[str, List[Tuple[str, str]]]: ...
def _mapped_records(
    names: List[str],
    columns: List[List[Optional[str]]],
    mapping: str,
    layout: Optional[str],
    rename: Optional[List[Tuple[str, str]]],
    extra: str,
) -> Tuple[List[Mapping[str, Any]], List[str]]: ...

# Visits, cohorts, targets, classification (wrapped by sledai._visits).
CLASSIFICATION_CRITERIA: Tuple[str, ...]
#: The visit-record fields other than the assessment keys, from the core.
RECORD_FIELDS: Tuple[str, ...]
VISIT_COLUMNS: Tuple[str, ...]
#: The frame columns of the BILAG-2004 grades, ``bilag_<system>``, from the core.
BILAG_COLUMNS: Tuple[str, ...]

# One typed frame column for the core: ("bool" | "num", array, mask),
# ("time", int64 view, unit, mask), ("days", int32 array, mask),
# ("objects" | "nested", list), or None (ignored).
_Column = Optional[Tuple[Any, ...]]
# Visits: a list of visit-record mappings, or (names, rename, extra, columns, rows).
_Visits = Union[List[Mapping[str, Any]], Tuple[List[str], Optional[List[Tuple[str, str]]], str, List[_Column], int]]
# A typed result column in the core's layout: (name, "small" | "int" | "float"
# | "bool" | "state" | "date" | "str", values, mask or None, state vocabulary).
_FlatColumn = Tuple[str, str, Any, Optional[NDArray[np.bool_]], Tuple[str, ...]]

def _lldas(visit: Mapping[str, Any], previous: Optional[Mapping[str, Any]], options: Dict[str, Any]) -> Dict[str, Any]: ...
def _doris(visit: Mapping[str, Any], options: Dict[str, Any]) -> Dict[str, Any]: ...
def _assess(
    visits: _Visits,
    options: Dict[str, Any],
    flat: bool,
    columns: Optional[List[str]] = None,
    threads: Optional[int] = None,
) -> Union[List[_FlatColumn], List[Dict[str, Any]]]: ...
def _cohort(
    visits: _Visits,
    windows: Sequence[Tuple[int, int, int]],
    attribution: str,
    sustained_days: Optional[int],
    screening_threshold: Optional[int],
    allow_duplicate_dates: bool,
    options: Dict[str, Any],
    flat: bool,
    threads: Optional[int] = None,
) -> Tuple[Union[List[_FlatColumn], List[Dict[str, Any]]], Dict[str, Any]]: ...
def _adam(
    visits: _Visits,
    windows: Sequence[Tuple[int, int, int]],
    window_table: Optional[str],
    ady_convention: str,
    analysis_selection: str,
    parameter_codes: Sequence[Tuple[str, str]],
    allow_duplicate_dates: bool,
    options: Dict[str, Any],
    flat: bool,
    threads: Optional[int] = None,
) -> Union[List[_FlatColumn], List[Dict[str, Any]]]: ...

ADAM_VARIABLES: Tuple[str, ...]

def _classify(input: Mapping[str, Any]) -> Tuple[Dict[str, Any], str]: ...
