"""Treat-to-target states, visits, cohorts and classification.

A thin shell over the core crate: every record is parsed by the core's own
serde implementation (the field names of the command-line tool's visit
record, docs/formats.md), every number comes from the core
(``visit::PatientStream``, ``timeline::Cohort::from_records``, ``lldas::evaluate``,
``remission::evaluate_with``, ``ClassificationInput::classify``), so the
Python package and the ``sledai`` command-line tool agree by construction.
This module only adapts containers and wraps results in frozen objects.

Frame columns are handed to the core as typed buffers and read with the
core's cell rules (``sledai::table::column``); results come back in the
core's output layout (``sledai::table::output``).

Missing values: in a mapping only ``None`` (or leaving the key out) means
*not recorded*; NaN is an error. In a data-frame column the container's
missing value (pandas NA/NaN/NaT, polars null or NaN, a numpy masked value
or NaN) is *not recorded*, as in ``score_frame``.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import (
    TYPE_CHECKING,
    Any,
    Dict,
    List,
    Literal,
    Mapping,
    NamedTuple,
    Optional,
    Sequence,
    Tuple,
    TypedDict,
    Union,
)

import numpy as np

if TYPE_CHECKING:
    from typing_extensions import Unpack

from sledai import _frame, _mapping, _native

__all__ = [
    "Criterion",
    "TargetResult",
    "Domain",
    "Classification",
    "CohortResult",
    "lldas",
    "doris",
    "assess_frame",
    "cohort",
    "adam",
    "ADAM_VARIABLES",
    "VISIT_COLUMNS",
    "classify",
    "RECORD_FIELDS",
    "BILAG_COLUMNS",
]


#: The visit-record fields other than the assessment (docs/formats.md), in
#: documentation order: the columns a frame may hold besides the 24
#: descriptor columns.
RECORD_FIELDS: Tuple[str, ...] = _native.RECORD_FIELDS

#: The per-visit output columns of ``assess_frame`` in order (the CSV
#: columns of ``sledai score`` without ``error``); ``columns=`` selects
#: from them.
VISIT_COLUMNS: Tuple[str, ...] = _native.VISIT_COLUMNS

#: The frame columns of the BILAG-2004 grades, ``bilag_<system>`` (one per
#: system, in form order; a cell "A".."E", empty or None: not recorded).
BILAG_COLUMNS: Tuple[str, ...] = _native.BILAG_COLUMNS

#: The variables of ``adam``'s dataset, in output order (docs/adam.md): the
#: core's layout, the header of ``sledai adam``'s CSV.
ADAM_VARIABLES: Tuple[str, ...] = _native.ADAM_VARIABLES



# ------------------------------------------------------------------ results


@dataclass(frozen=True)
class Criterion:
    """One criterion of LLDAS or DORIS remission, explaining itself.

    ``criterion`` is the core's stable identifier (``lldas_pga``, ...),
    ``state`` is ``"met"``, ``"not_met"`` or ``"indeterminate"``;
    ``observed``, ``threshold`` and ``reason`` are the core's texts.
    """

    criterion: str
    state: Literal["met", "not_met", "indeterminate"]
    observed: str
    threshold: str
    reason: str

    def to_dict(self) -> Dict[str, str]:
        """The core's serialized form (``criterion``, ``state``, ``observed``, ``threshold``, ``reason``)."""
        return {
            "criterion": self.criterion,
            "state": self.state,
            "observed": self.observed,
            "threshold": self.threshold,
            "reason": self.reason,
        }


@dataclass(frozen=True, repr=False)
class TargetResult:
    """LLDAS or DORIS remission at one visit: the state and every criterion.

    ``target`` is ``"lldas"`` or ``"doris"``; ``state`` is ``"met"`` if every
    criterion is met, ``"not_met"`` if any is not met, else
    ``"indeterminate"`` (a missing input never counts as met).
    """

    target: Literal["lldas", "doris"]
    state: Literal["met", "not_met", "indeterminate"]
    criteria: Tuple[Criterion, ...]

    def criterion(self, name: str) -> Criterion:
        """The criterion with this identifier (``KeyError`` if it is not one of this target's)."""
        for c in self.criteria:
            if c.criterion == name:
                return c
        raise KeyError(name)

    def to_dict(self) -> Dict[str, Any]:
        """The core's serialized form: ``{"state": ..., "criteria": [...]}``."""
        return {"state": self.state, "criteria": [c.to_dict() for c in self.criteria]}

    def __repr__(self) -> str:
        title = "LLDAS" if self.target == "lldas" else "DORIS remission"
        lines = [f"{title}: {self.state}"]
        for c in self.criteria:
            lines.append(f"  {c.criterion}: {c.state} ({c.reason}; observed: {c.observed}; rule: {c.threshold})")
        return "\n".join(lines)


def _target(target: Literal["lldas", "doris"], raw: Mapping[str, Any]) -> TargetResult:
    return TargetResult(
        target=target,
        state=raw["state"],
        criteria=tuple(Criterion(**c) for c in raw["criteria"]),
    )


@dataclass(frozen=True)
class Domain:
    """One domain of the 2019 EULAR/ACR criteria: the points its highest-weighted
    present criterion gives, what it could still give, and that criterion."""

    domain: str
    points: int
    max_points: int
    criterion: Optional[str]


@dataclass(frozen=True, repr=False)
class Classification:
    """The 2019 EULAR/ACR classification of one patient (Aringer 2019).

    ``outcome`` is ``"classified"``, ``"not_classified"`` or
    ``"indeterminate"`` (missing criteria could still change it); ``total``
    is ``None`` when missing criteria leave it open, ``points`` is the
    ``(min, max)`` the missing criteria allow; ``repr()`` is the core's
    readable explanation.
    """

    outcome: Literal["classified", "not_classified", "indeterminate"]
    entry_criterion: Literal["met", "not_met", "indeterminate"]
    clinical_criterion: Literal["met", "not_met", "indeterminate"]
    total: Optional[int]
    points: Tuple[int, int]
    threshold: int
    domains: Tuple[Domain, ...]
    not_assessed: Tuple[str, ...]
    explained: Tuple[str, ...]
    absent: Tuple[str, ...]
    explanation: str = field(compare=False)
    _raw: Mapping[str, Any] = field(compare=False, default_factory=dict)

    def to_dict(self) -> Dict[str, Any]:
        """The core's serialized form (docs/classification.md, "Output")."""
        import copy

        return copy.deepcopy(dict(self._raw))

    def __repr__(self) -> str:
        return self.explanation


class CohortResult(NamedTuple):
    """What ``cohort`` returns: one summary per patient and the cohort summary."""

    patients: Any
    """Per-patient summaries: a DataFrame (or dict of arrays) with the
    columns of ``sledai cohort --output-format csv``, or for a list of
    mappings a list of dicts (the tool's JSON lines)."""
    summary: Dict[str, Any]
    """The cohort summary (the library's ``CohortSummary``, as a dict)."""


# ---------------------------------------------------------------- functions


def _options(**kwargs: Any) -> Dict[str, Any]:
    return {k: v for k, v in kwargs.items() if v is not None}


class PolicyOptions(TypedDict, total=False):
    """The policy keywords of ``assess_frame``, ``cohort`` and ``adam``, once.

    Each is an entry of the core's option table
    (``sledai::options::VISIT_OPTIONS``, ``_native._visit_option_table()``),
    the ``sledai score``/``cohort``/``adam`` flag of the same name (with
    ``-`` for ``_``; docs/cli.md, "Policy options"); a keyword left out
    takes the core's default, the first value listed. ``doris_pga`` and
    ``doris_glucocorticoid`` set the cut-off of both the DORIS 2021
    definition and the DORIS 2017 variants; ``pga_reading``,
    ``glucocorticoid_reading``, ``doris_2017_pga`` and
    ``doris_2017_glucocorticoid`` given with them win for their own
    definition. A test checks these annotations against the core's table.
    """

    lab_window: Literal[10, 30]
    lab_selection: Literal["any_abnormal", "most_recent"]
    upcr: bool
    conflicts: Literal["error", "keep_clinician", "keep_laboratory"]
    betamethasone: Literal["three_quarters_mg", "six_tenths_mg"]
    doris_pga: Literal["below_half", "at_most_half"]
    doris_glucocorticoid: Literal["at_most_5", "below_5"]
    pga_reading: Literal["doris_2021_below_half", "golder_2020_at_most_half", "doris_2017_at_most_half"]
    glucocorticoid_reading: Literal["at_most_5_mg", "below_5_mg"]
    bilag_new_b: Literal["from_c_d_e", "from_d_e"]
    bilag_grade_e: Literal["as_inactive", "strict"]
    bicla_sledai: str
    bicla_pga: Literal["scale_10pct", "sri_like", "relative_10pct"]
    bicla_baseline_activity: Literal["required", "vacuous"]
    sri_treatment_failure: Literal["when_given", "required"]
    doris_2017_pga: Literal["below_half", "at_most_half"]
    doris_2017_glucocorticoid: Literal["at_most_5", "below_5"]
    doris_off_treatment_antimalarial: Literal["allowed", "excluded"]
    doris_2017_index: Literal["clinical_sledai", "bilag_d_e"]


def _policy(fn: str, policy: Mapping[str, Any]) -> Dict[str, Any]:
    """The policy keywords a function was given, for the core's table."""
    for k in policy:
        if k not in PolicyOptions.__annotations__:
            raise TypeError(f"{fn}() got an unexpected keyword argument {k!r}")
    return _options(**policy)


def lldas(
    visit: Mapping[str, Any],
    previous: Optional[Mapping[str, Any]] = None,
    *,
    lab_window: Literal[10, 30] = 10,
    lab_selection: Literal["any_abnormal", "most_recent"] = "any_abnormal",
    upcr: bool = False,
    conflicts: Literal["error", "keep_clinician", "keep_laboratory"] = "error",
    betamethasone: Literal["three_quarters_mg", "six_tenths_mg"] = "three_quarters_mg",
) -> TargetResult:
    """LLDAS (Franklyn 2016) at one visit, every criterion derived from the data.

    ``visit`` is a mapping with the field names of the visit record
    (docs/formats.md; the same as the command-line tool's): exactly one of
    ``present`` (a complete assessment) and ``descriptors`` (identifier ->
    True/False/None), and optionally ``pga``, ``prednisone_mg_per_day`` or
    ``glucocorticoids``, ``hemolytic_anemia``, ``gastrointestinal_activity``,
    ``maintenance_tolerated``, ``investigational_drug``, ``new_activity``,
    ``measurements`` (with ``date``), ... ``previous`` is the patient's
    previous visit record: its assessment decides criterion 2 (a descriptor
    present now and absent then is a new feature). Without it, criterion 2
    is indeterminate unless ``new_activity`` states it.

    The keyword options select the core's documented readings (docs/cli.md,
    policy options): the laboratory window (10 or 30 days), which
    measurements decide (``any_abnormal`` or ``most_recent``), the UPCR
    substitute, the clinician/laboratory conflict policy and the
    betamethasone factor.

    Raises ``InvalidValueError`` naming the field and the value for a bad
    field (``pga`` 3.5, NaN, an unknown field, ...), ``UnknownDescriptorError``
    for an unknown identifier, and ``TypeError`` if ``visit`` is not a mapping.

    >>> import sledai
    >>> visit = {"present": ["low_complement", "increased_dna_binding"], "pga": 1.0,
    ...          "prednisone_mg_per_day": 7.5, "hemolytic_anemia": False,
    ...          "gastrointestinal_activity": False, "maintenance_tolerated": True,
    ...          "investigational_drug": False}
    >>> r = sledai.lldas(visit, previous={"present": ["low_complement", "increased_dna_binding"]})
    >>> r.state
    'met'
    >>> sledai.lldas(dict(visit, pga=1.1), previous=visit).criterion("lldas_pga").reason
    '1.1 > 1.0'
    >>> sledai.lldas({"present": ["rash"]}).state  # first visit, nothing else recorded
    'indeterminate'
    """
    opts = _options(lab_window=lab_window, lab_selection=lab_selection, upcr=upcr,
                    conflicts=conflicts, betamethasone=betamethasone)
    return _target("lldas", _native._lldas(visit, previous, opts))


def doris(
    visit: Mapping[str, Any],
    *,
    pga_reading: Literal["doris_2021_below_half", "golder_2020_at_most_half", "doris_2017_at_most_half"] = "doris_2021_below_half",
    glucocorticoid_reading: Literal["at_most_5_mg", "below_5_mg"] = "at_most_5_mg",
    lab_window: Literal[10, 30] = 10,
    lab_selection: Literal["any_abnormal", "most_recent"] = "any_abnormal",
    upcr: bool = False,
    conflicts: Literal["error", "keep_clinician", "keep_laboratory"] = "error",
    betamethasone: Literal["three_quarters_mg", "six_tenths_mg"] = "three_quarters_mg",
) -> TargetResult:
    """DORIS 2021 remission at one visit: clinical SLEDAI 0, PGA < 0.5,
    prednisolone-equivalent <= 5 mg/day (van Vollenhoven 2021).

    ``visit`` is a visit-record mapping as for ``lldas``. The two readings
    the literature prints are options: ``pga_reading="golder_2020_at_most_half"``
    (PGA <= 0.5, the Golder 2020 review table's rendering; the 2017 paper
    prints < 0.5; the former name ``"doris_2017_at_most_half"`` is still read) and
    ``glucocorticoid_reading="below_5_mg"`` (strictly < 5 mg/day). Serology
    is ignored; maintenance therapy is not a criterion.

    >>> import sledai
    >>> v = {"present": ["low_complement"], "pga": 0.4, "prednisone_mg_per_day": 5}
    >>> sledai.doris(v).state
    'met'
    >>> sledai.doris(dict(v, pga=0.5)).state
    'not_met'
    >>> sledai.doris(dict(v, pga=0.5), pga_reading="golder_2020_at_most_half").state
    'met'
    >>> print(sledai.doris({"present": []}))
    DORIS remission: indeterminate
      doris_clinical_sledai: met (...)
      doris_pga: indeterminate (PGA is not recorded; a missing value never passes; ...)
      doris_glucocorticoid: indeterminate (...)
    """
    opts = _options(pga_reading=pga_reading, glucocorticoid_reading=glucocorticoid_reading,
                    lab_window=lab_window, lab_selection=lab_selection, upcr=upcr,
                    conflicts=conflicts, betamethasone=betamethasone)
    return _target("doris", _native._doris(visit, opts))


def classify(input: Mapping[str, Any]) -> Classification:
    """The 2019 EULAR/ACR classification criteria for SLE (Aringer 2019).

    ``input`` is a mapping in the ``ClassificationInput`` shape of
    docs/classification.md: ``ana`` (the entry criterion: True, False or
    None), ``ana_titre`` (``"1:160"``), ``criteria`` (identifier ->
    True/False/None; left out or None: not assessed),
    ``more_likely_explanation`` (identifiers) and ``measurements``
    (``max_temperature``, ``min_white_cells``, ``min_platelets``,
    ``max_urine_protein_24h``, each ``{"value": number, "unit": text}``,
    e.g. ``{"value": 85000, "unit": "/mm3"}``). Every field is optional;
    unknown fields and identifiers are errors.

    Classified needs the entry criterion, >= 10 points (only the
    highest-weighted criterion of each domain counts) and at least one
    clinical criterion. ``repr()`` is the core's explanation.

    >>> import sledai
    >>> none = dict.fromkeys(sledai.CLASSIFICATION_CRITERIA, False)  # every criterion assessed absent
    >>> r = sledai.classify({"ana": True, "criteria": {**none, "anti_dsdna_or_anti_smith": True, "low_c3_and_low_c4": True}})
    >>> r.outcome, r.total, r.clinical_criterion
    ('not_classified', 10, 'not_met')
    >>> r = sledai.classify({"ana": True, "criteria": {"renal_biopsy_class_iii_or_iv": True}})
    >>> r.outcome, r.total, r.points  # the other criteria not assessed: the total is open
    ('classified', None, (10, 51))
    >>> r = sledai.classify({"ana": True, "criteria": {**none, "leukopenia": True, "thrombocytopenia": True}})
    >>> [(d.domain, d.points, d.criterion) for d in r.domains if d.points]
    [('hematologic', 4, 'thrombocytopenia')]
    >>> r.outcome
    'not_classified'
    >>> print(r)  # doctest: +ELLIPSIS
    not classified as SLE...
    """
    raw, text = _native._classify(input)
    return Classification(
        outcome=raw["outcome"],
        entry_criterion=raw["entry_criterion"],
        clinical_criterion=raw["clinical_criterion"],
        total=raw["total"],
        points=(raw["points"]["min"], raw["points"]["max"]),
        threshold=raw["threshold"],
        domains=tuple(Domain(**d) for d in raw["domains"]),
        not_assessed=tuple(raw["not_assessed"]),
        explained=tuple(raw["explained"]),
        absent=tuple(raw["absent"]),
        explanation=text,
        _raw=raw,
    )


def assess_frame(
    frame: Any,
    *,
    extra: Literal["raise", "ignore"] = "raise",
    rename: Optional[Mapping[str, str]] = None,
    mapping: Union[Mapping[str, Any], str, "os.PathLike[str]", None] = None,
    layout: Optional[Literal["wide", "long", "redcap"]] = None,
    columns: Optional[Sequence[str]] = None,
    threads: Optional[int] = None,
    **policy: Unpack[PolicyOptions],
) -> Any:
    """Per-visit results: what ``sledai score`` outputs, one row per input row.

    Rows go through ONE ``PatientStream`` of the core in row order, so LLDAS
    criterion 2 and the change from baseline follow each patient's previous
    row. **Rows of a patient must be in date order** (patients may be
    interleaved); a row dated on or before the same patient's previous row
    raises ``InvalidValueError`` naming the row. Sort first, e.g.
    ``df.sort_values(["patient", "date"])``, or use ``cohort``, which sorts.
    The policy keywords (``conflicts=``, ``pga_reading=``, ...) are
    ``PolicyOptions``, shared with ``cohort`` and ``adam``.

    Input and output:

    - a pandas DataFrame -> a pandas DataFrame; a polars DataFrame -> a
      polars DataFrame; a dict of 1-D arrays -> a dict of numpy arrays
      (``numpy.ma.MaskedArray`` where a numeric column has missing values,
      object arrays of str/None for text). Their columns: the 24
      descriptor columns (as for ``score_frame``: bool, 0/1 or nullable;
      missing = not assessed) plus any of ``RECORD_FIELDS`` (``id``,
      ``patient``, ``date`` as ``YYYY-MM-DD`` text or a date/datetime
      column without time of day, ``pga``, ``prednisone_mg_per_day``, the
      LLDAS booleans, ``baseline``, ``reference_date``, ``new_bilag_a/b``;
      ``glucocorticoids`` and ``measurements`` as object columns of lists of
      mappings). A missing cell is *not recorded*; in a float column a
      whole number is read as an integer (pandas keeps an integer column
      with missing values as float64), other floats stay floats (1.5 in
      ``new_bilag_a`` is an error). Output columns are
      exactly the CSV columns of ``sledai score --output-format csv``
      (docs/cli.md) without ``error``: ``id, patient, date, sledai_2k,
      sledai_2k_min, sledai_2k_max, clinical_sledai_2k, ..._min, ..._max,
      missing, prednisone_equivalent_mg_per_day, lldas, lldas_activity,
      lldas_no_new_activity, lldas_pga, lldas_glucocorticoid,
      lldas_maintenance, doris, doris_clinical_sledai, doris_pga,
      doris_glucocorticoid, lab_conflicts, baseline_date,
      change_from_baseline, change_from_baseline_min,
      change_from_baseline_max, percent_change_from_baseline``. A field that
      does not apply is missing (NA/null/masked/None); an exact total leaves
      its ``_min``/``_max`` missing and a range leaves the exact column
      missing; ``missing`` and ``lab_conflicts`` are identifiers joined by
      ``;``. The columns are typed (the core's layout,
      ``sledai::table::output``): totals and changes nullable ``Int16``,
      states a pandas ``Categorical`` / polars ``Enum`` of ``met``,
      ``not_met``, ``indeterminate`` (object arrays of str/None in a
      dict), dates ``datetime64[s]`` / polars ``Date`` / ``datetime64[D]``,
      floats nullable ``Float64``, text object/``Utf8``. An error names
      the frame's index label (``row 'v-12': ...``).
    - a list (or tuple) of visit-record mappings (the JSON shape,
      ``present``/``descriptors`` included) -> a list of dicts: the JSON
      records of ``sledai score``, nested criteria texts included.

    Header: the one rule of ``sledai score`` (docs/formats.md, "Tables"):
    ``rename={"OLD": "NEW"}`` renames columns first (the ``--rename`` of
    the tool); every problem is listed in one ``InvalidColumnError``
    (unknown columns with a suggestion, missing descriptor columns,
    repeats); a column that looks like a visit column under another name
    (``Patient``, ``patient_id``, ``visit_date``, ``PGA``, ``Prednisone``)
    is an error naming the rename to pass, even with ``extra="ignore"``;
    the columns ``extra="ignore"`` drops are named in a ``UserWarning``.
    Boolean columns (the descriptors and the LLDAS / drug flags) accept
    bool, integers 0/1 and text by the tool's cell grammar (``"Yes"``,
    ``"no"``, ``"y"``, ``"NA"``, ...).

    ``columns=["patient", "date", "lldas", ...]`` returns only those output
    columns, in that order (names from ``VISIT_COLUMNS``; an unknown name
    is an ``InvalidValueError`` with the nearest name as ``.suggestion``).
    The BICLA, SRI-k and DORIS 2017 rules run only when one of their
    columns is selected. It applies to flat output (a frame or a mapped
    table), not to a list of records.

    ``threads=N`` runs the core on at most N threads (default None: every
    core; ``cohort`` and ``adam`` take it too). The result does not depend
    on it.

    Long tables and REDCap exports: ``mapping=`` (a dict, or the path of a
    mapping file: the same JSON file as the tool's ``--mapping``,
    docs/mapping.md) reads a frame of one row per subject x date x item
    (``layout="long"``, SDTM-like) or a REDCap export (``layout="redcap"``:
    checkbox columns ``field___code``, ``redcap_event_name``, repeat
    instruments); ``layout`` may be left out (the mapping says it) and must
    agree with the mapping when given. Cells are read as text (a whole float
    as an integer), rows of one visit are gathered by the core and the
    visits come ordered by patient and date; an error names the row (the
    frame position), ``.column``, the code (``.value``) and the mapping
    ``.entry``. A mapping with only ``rename`` is ``rename=`` (wide layout).

    Errors: ``InvalidColumnError`` for a missing descriptor column or a
    column that is neither a descriptor nor a record field (unless
    ``extra="ignore"``); ``InvalidValueError`` naming the row, the field and
    the value for a bad cell or a visit the core refuses (out of date
    order, a second baseline, a lab conflict under ``conflicts="error"``).
    The options are those of ``doris`` and ``lldas``.

    >>> import pandas as pd, sledai
    >>> df = pd.DataFrame({name: [False, False] for name in sledai.IDENTIFIERS})
    >>> df["arthritis"] = [True, False]
    >>> df["patient"] = ["P1", "P1"]
    >>> df["date"] = ["2024-01-01", "2024-04-01"]
    >>> out = sledai.assess_frame(df)
    >>> out[["date", "sledai_2k", "change_from_baseline", "lldas_no_new_activity"]]
            date  sledai_2k  change_from_baseline lldas_no_new_activity
    0 2024-01-01          4                     0         indeterminate
    1 2024-04-01          0                    -4                   met
    >>> sledai.assess_frame([{"present": ["rash"], "pga": 0.2}])[0]["doris"]
    'not_met'
    """
    if extra not in ("raise", "ignore"):
        raise _frame._invalid_argument("extra", extra, ("raise", "ignore"))
    opts = _policy("assess_frame", policy)
    kind, source, labels, flat = _input(frame, mapping, layout, rename, extra)
    if columns is not None:
        if isinstance(columns, str) or not all(isinstance(c, str) for c in columns):
            raise TypeError("columns must be a sequence of column names")
        if not flat:
            raise TypeError("columns applies to data frames; a list of records gives the JSON records")
    if not flat:
        return _native._assess(source, opts, False, None, _threads(threads))
    names = None if columns is None else list(columns)
    return _build(kind, _call(labels, _native._assess, source, opts, True, names, _threads(threads)))


def cohort(
    frame: Any,
    at: Union[int, Sequence[int]],
    window: Union[int, Tuple[int, int], None] = None,
    *,
    attribution: Literal["carry_forward", "half_interval", "both_ends"] = "carry_forward",
    sustained_days: Optional[int] = None,
    screening_threshold: Optional[int] = None,
    allow_duplicate_dates: bool = False,
    extra: Literal["raise", "ignore"] = "raise",
    rename: Optional[Mapping[str, str]] = None,
    mapping: Union[Mapping[str, Any], str, "os.PathLike[str]", None] = None,
    layout: Optional[Literal["wide", "long", "redcap"]] = None,
    threads: Optional[int] = None,
    **policy: Unpack[PolicyOptions],
) -> CohortResult:
    """Per-patient endpoints and time in LLDAS/DORIS, and the cohort summary:
    what ``sledai cohort`` outputs.

    ``frame`` is what ``assess_frame`` takes (with the same ``rename``,
    ``extra``, ``mapping`` and ``layout`` options); every visit needs ``patient`` and ``date``. Rows need not be sorted: the core groups the visits by
    patient and sorts them by date (``timeline::Cohort::from_records``); the baseline is the
    visit marked ``baseline=True``, else the patient's first visit; study
    day 0 is ``reference_date`` (e.g. the CAR-T infusion), else the
    baseline date.

    ``at`` are the endpoint study days (an int or a sequence, ``()`` for
    none; a day given twice is an error), ``window`` the visit window:
    ``14`` means ``day - 14 ..= day + 14`` (edges inclusive), a pair
    ``(before, after)`` is asymmetric. As for ``sledai cohort --at DAY
    --window DAYS``, neither has a default: endpoints and their window are
    protocol choices, and ``at`` without ``window`` is an error. The endpoint visit is the one closest to the target day
    inside the window (a tie goes to the earlier visit); no visit in the
    window is reported as such (``day90_no_visit_in_window``), never
    dropped. ``attribution`` is the time-in-state rule (``carry_forward``,
    Franklyn 2016, the default; ``half_interval``; ``both_ends``);
    ``sustained_days`` asks whether the longest LLDAS/DORIS run spans that
    many days; ``screening_threshold`` screens the first visit for
    SLEDAI-2K >= N (10 in the IM19 trial).

    Returns ``CohortResult(patients, summary)``. ``patients``: for a frame,
    a frame of the same library (or a dict of numpy arrays) with exactly the
    columns of ``sledai cohort --output-format csv`` (docs/cli.md): per
    patient ``patient, visits, reference_date, screening, baseline_date,
    baseline_study_day, baseline_sledai_2k`` (or ``_min``/``_max``), per
    endpoint ``day<D>_no_visit_in_window, day<D>_date, ..., day<D>_sri4``,
    and per state ``lldas_time_fraction, ..., doris_first_day``; patients
    in identifier order. For a list of mappings, a list of dicts (the
    tool's JSON lines, ``PatientSummary``). ``summary`` is the cohort
    summary as a dict (``n``, per endpoint ``n_with_visit``, the median
    change with IQR, proportions in LLDAS/DORIS/SRI-4, ...). An empty
    input gives the columns and no rows.

    >>> import sledai
    >>> rows = [
    ...     {"patient": "P1", "date": "2024-01-01", "present": ["proteinuria", "hematuria", "rash"]},
    ...     {"patient": "P1", "date": "2024-03-31", "present": ["rash"], "pga": 0.5,
    ...      "prednisone_mg_per_day": 5, "hemolytic_anemia": False, "gastrointestinal_activity": False,
    ...      "maintenance_tolerated": True, "investigational_drug": False},
    ... ]
    >>> patients, summary = sledai.cohort(rows, at=90, window=14)
    >>> row = patients[0]["endpoints"][0]["endpoint"]["visit"]
    >>> row["study_day"], row["change_from_baseline"]["absolute"], row["lldas"]
    (90, -8, 'met')
    >>> summary["n"], summary["endpoints"][0]["change"]["median"]
    (1, -8.0)
    """
    if extra not in ("raise", "ignore"):
        raise _frame._invalid_argument("extra", extra, ("raise", "ignore"))
    windows = _windows(at, window)
    for name, value, limit in (("sustained_days", sustained_days, 2**32 - 1),
                               ("screening_threshold", screening_threshold, 105)):
        if value is not None and (not _is_int(value) or not 0 <= value <= limit):
            raise _frame._invalid_argument(name, value, (f"an integer 0 to {limit}",))
    if not isinstance(allow_duplicate_dates, bool):
        raise TypeError("allow_duplicate_dates must be a bool")
    opts = _policy("cohort", policy)
    kind, source, labels, flat = _input(frame, mapping, layout, rename, extra)
    patients, summary = _call(
        labels, _native._cohort, source, windows, attribution, sustained_days, screening_threshold,
        allow_duplicate_dates, opts, flat, _threads(threads),
    )
    return CohortResult(_build(kind, patients) if flat else patients, summary)


def _input(frame: Any, mapping: Any, layout: Optional[str], rename: Optional[Mapping[str, str]],
           extra: str) -> Tuple[str, Any, Any, bool]:
    """What assess_frame, cohort and adam hand to the core: ``(kind,
    source, row labels or None, flat)``. A long or REDCap layout is read
    into visit records by its mapping (flat output); a wide table becomes
    typed columns (``_source``, a wide mapping's renames added to
    ``rename=``); a list of record mappings stays records (JSON-like
    output, ``flat`` false)."""
    found, text, renames = _mapping.layout_and_renames(mapping, layout)
    if text is not None and found != "wide":
        kind, source = _mapping.records(frame, text, layout, rename, extra)
        return kind, source, None, True
    kind, source, labels = _source(frame, extra, _with_renames(rename, renames))
    return kind, source, labels, kind != "records"


def _with_renames(rename: Optional[Mapping[str, str]], renames: List[Tuple[str, str]]) -> Optional[Mapping[str, str]]:
    """``rename=`` with a wide mapping's renames added (the one rename
    mechanism; a column renamed by both is an error of the header)."""
    if not renames:
        return rename
    merged: Dict[str, str] = dict(_frame._renames(rename) or [])
    for old, new in renames:
        if old in merged:
            raise _frame._column_error(old, f"column `{old}` is renamed both by rename= and by the mapping")
        merged[old] = new
    return merged


def adam(
    frame: Any,
    at: Optional[Union[int, Sequence[int]]] = None,
    window: Optional[Union[int, Tuple[int, int]]] = None,
    *,
    windows: Optional[Union[str, os.PathLike[str]]] = None,
    mapping: Union[Mapping[str, Any], str, "os.PathLike[str]", None] = None,
    layout: Optional[Literal["wide", "long", "redcap"]] = None,
    ady_convention: Literal["adam", "day_zero"] = "adam",
    analysis_selection: Literal["closest", "last_in_window"] = "closest",
    parameter_codes: Optional[Mapping[str, str]] = None,
    allow_duplicate_dates: bool = False,
    extra: Literal["raise", "ignore"] = "raise",
    rename: Optional[Mapping[str, str]] = None,
    threads: Optional[int] = None,
    **policy: Unpack[PolicyOptions],
) -> Any:
    """An ADaM BDS-shaped dataset: what ``sledai adam`` outputs (docs/adam.md).

    ``frame``, ``rename``, ``extra``, ``allow_duplicate_dates`` and the policy
    keywords are ``cohort``'s, and so are ``at`` and ``window`` (study days
    with the reference date as day 0), so the record flagged ``ANL01FL`` for
    an analysis visit is the visit ``cohort`` reports for that endpoint.
    ``windows`` is instead a path to a window table (CSV with the columns
    ``AVISIT, AVISITN, AWTARGET, AWLO, AWHI``, days in ``ADY`` terms); when
    given, ``at`` and ``window`` are not used. ``ady_convention``:
    ``"adam"`` (the reference date is day 1, no day 0) or ``"day_zero"``;
    ``analysis_selection``: ``"closest"`` (the cohort's rule) or
    ``"last_in_window"`` (admiral's ADVS template); ``parameter_codes``
    renames ``PARAMCD``, e.g. ``{"sledai_2k": "SLEDAI2K"}``.

    Returns, for a pandas or polars DataFrame (or a dict of numpy arrays), a
    frame of the same library with the columns ``ADAM_VARIABLES`` (one row
    per subject x parameter x analysis visit record; ``AVAL`` and the other
    numbers as float, days as nullable integers, flags and dates as text,
    empty cells missing): written to CSV (``to_csv(index=False)``,
    ``write_csv()``) it is ``sledai adam``'s CSV byte for byte. For a list
    of mappings, a list of dicts (the tool's JSON lines).

    >>> import sledai
    >>> rows = [
    ...     {"patient": "P1", "date": "2024-01-01", "present": ["proteinuria", "hematuria", "rash"]},
    ...     {"patient": "P1", "date": "2024-03-31", "present": ["rash"]},
    ... ]
    >>> records = sledai.adam(rows, at=90, window=14)
    >>> [(r["AVISIT"], r["ADY"], r["AVAL"], r["CHG"], r["ABLFL"], r["ANL01FL"])
    ...  for r in records if r["PARAMCD"] == "SLEDAI"]
    [('Baseline', 1, 10.0, 0.0, 'Y', None), ('Day 90', 91, 2.0, -8.0, None, 'Y')]
    """
    if extra not in ("raise", "ignore"):
        raise _frame._invalid_argument("extra", extra, ("raise", "ignore"))
    table: Optional[str] = None
    if windows is not None:
        if not isinstance(windows, (str, os.PathLike)):
            raise TypeError(f"windows must be a path to a window table (CSV), not {type(windows).__name__}")
        with open(windows, encoding="utf-8") as f:
            table = f.read()
        days: List[Tuple[int, int, int]] = []
    elif at is None or window is None:
        # As ``sledai adam``: the analysis windows are a protocol choice,
        # never a default.
        raise TypeError("adam() needs at= and window= (study days and the visit window), or windows=")
    else:
        days = _windows(at, window)
    if not isinstance(allow_duplicate_dates, bool):
        raise TypeError("allow_duplicate_dates must be a bool")
    codes: List[Tuple[str, str]] = []
    if parameter_codes is not None:
        if not isinstance(parameter_codes, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in parameter_codes.items()
        ):
            raise TypeError("parameter_codes must map parameter identifiers (str) to codes (str)")
        codes = list(parameter_codes.items())
    opts = _policy("adam", policy)
    kind, source, labels, flat = _input(frame, mapping, layout, rename, extra)
    result = _call(labels, _native._adam, source, days, table, ady_convention, analysis_selection,
                   codes, allow_duplicate_dates, opts, flat, _threads(threads))
    return _build(kind, result) if flat else result


def _threads(threads: Optional[int]) -> Optional[int]:
    """The ``threads=`` keyword: None (every core) or a positive integer
    (the core refuses 0)."""
    if threads is None:
        return None
    if not _is_int(threads) or threads < 0:
        raise _frame._invalid_argument("threads", threads, ("a positive integer", "None"))
    return int(threads)


def _is_int(v: object) -> bool:
    return isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_))


def _windows(at: Any, window: Any) -> List[Tuple[int, int, int]]:
    days = [at] if _is_int(at) else list(at) if isinstance(at, (list, tuple, range)) else None
    if days is None or not all(_is_int(d) for d in days):
        raise _frame._invalid_argument("at", at, ("an integer study day or a sequence of them",))
    if window is None:
        if days:
            raise _frame._invalid_argument("window", window, (
                "a visit window for `at`: window=DAYS (e.g. window=14 for day ± 14) or "
                "window=(before, after); there is no default, a window is a protocol choice",))
        return []
    if len(set(days)) != len(days):
        raise _frame._invalid_argument("at", at, ("distinct study days",))
    if any(not -(2**31) <= d < 2**31 for d in days):
        raise _frame._invalid_argument("at", at, ("study days within 32-bit range",))
    if _is_int(window):
        before = after = window
    elif isinstance(window, tuple) and len(window) == 2 and all(_is_int(w) for w in window):
        before, after = window
    else:
        raise _frame._invalid_argument("window", window, ("an integer number of days or a pair (before, after)",))
    if not (0 <= before <= 65535 and 0 <= after <= 65535):
        raise _frame._invalid_argument("window", window, ("days from 0 to 65535",))
    return [(int(d), int(before), int(after)) for d in days]


# ---------------------------------------------------------------- adapting


def _source(frame: Any, extra: str, rename: Optional[Mapping[str, str]] = None) -> Tuple[str, Any, Any]:
    """("records", list of mappings, None) or (kind, (names, rename, extra,
    columns, n_rows), row labels or None): one typed column per header
    column, for the core to read (``sledai::table::column``)."""
    if isinstance(frame, (list, tuple)):
        if rename is not None:
            raise TypeError("rename applies to data frames; a visit-record mapping has its field names")
        return "records", list(frame), None
    kind, names, get, n_rows = _frame._open(frame)
    resolved = _frame._resolve(names, rename, extra, False)
    columns: List[Any] = []
    for i, (tag, name) in enumerate(resolved):
        if tag == "ignored":
            columns.append(None)
            continue
        column = _typed(name, get(i), nested=tag == "nested")
        if n_rows < 0:  # a dict: the first column sets the length
            n_rows = _length(column)
        columns.append(column)
    text = [n if isinstance(n, str) else str(n) for n in names]
    return kind, (text, _frame._renames(rename), extra, columns, max(n_rows, 0)), _labels(kind, frame)


def _length(column: Tuple[Any, ...]) -> int:
    return int(column[3]) if column[0] == "bits" else len(column[1])


def _labels(kind: str, frame: Any) -> Any:
    """The pandas index when its labels are not the row positions."""
    if kind != "pandas":
        return None
    pd = sys.modules["pandas"]
    index = frame.index
    if isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1:
        return None
    return index


def _relabel(err: BaseException, labels: Any) -> BaseException:
    """The error with the frame's row label where the core names a row by
    its position (``row 3: ...`` -> ``row 'v-4': ...``, ``.row`` the label)."""
    row = getattr(err, "row", None)
    if labels is None or not isinstance(row, int) or not 0 <= row < len(labels):
        return err
    label = labels[row]
    shown = str(label) if isinstance(label, (int, np.integer)) else repr(label)
    message = str(err.args[0]) if err.args else ""
    prefix = f"row {row}: "
    if message.startswith(prefix):
        message = f"row {shown}: " + message[len(prefix):]
    new = type(err)(message)
    for attr in ("field", "value", "missing", "range", "patient", "column", "name", "suggestion"):
        if hasattr(err, attr):
            setattr(new, attr, getattr(err, attr))
    new.row = label  # type: ignore[attr-defined]
    return new


def _call(labels: Any, fn: Any, *args: Any) -> Any:
    try:
        return fn(*args)
    except _native.SledaiError as e:
        new = _relabel(e, labels)
        if new is e:
            raise
        raise new from None


#: numpy datetime64 units the core reads, and what other units become.
_UNITS = ("D", "s", "ms", "us", "ns")


def _times(name: str, values: np.ndarray, mask: Optional[np.ndarray] = None) -> Tuple[Any, ...]:
    unit, count = np.datetime_data(values.dtype)
    if unit not in _UNITS or count != 1:
        values = values.astype("datetime64[s]" if unit in ("h", "m") else "datetime64[D]")
        unit = "s" if unit in ("h", "m") else "D"
    nat = np.isnat(values)
    if mask is not None:
        nat = nat | mask
    return ("time", np.ascontiguousarray(values).view(np.int64), unit, nat.view(np.uint8) if nat.any() else None)


def _numeric(values: np.ndarray, mask: Optional[np.ndarray]) -> Tuple[Any, ...]:
    m = None if mask is None else np.ascontiguousarray(mask, dtype=bool).view(np.uint8)
    if values.dtype.kind == "b":
        return ("bool", np.ascontiguousarray(values).view(np.uint8), m)
    if values.dtype.kind == "f" and values.dtype.itemsize < 4:
        values = values.astype(np.float32)
    elif not values.dtype.isnative:
        values = values.astype(values.dtype.newbyteorder("="))
    return ("num", np.ascontiguousarray(values), m)


def _arrow_text(data: Any) -> Optional[Tuple[Any, ...]]:
    """An Arrow string array (or chunked array) as ("utf8", int64 offsets,
    uint8 bytes, mask): its buffers as they are, not a Python str per cell;
    None when it is not text."""
    pa = sys.modules.get("pyarrow")
    if pa is None:
        return None
    if isinstance(data, pa.ChunkedArray):
        data = data.chunk(0) if data.num_chunks == 1 else data.combine_chunks()
    if not isinstance(data, pa.Array):
        return None
    kind = data.type
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_string_view(kind)):
        return None
    if not pa.types.is_large_string(kind):
        data = data.cast(pa.large_string())
    n = len(data)
    _, offsets, values = data.buffers()
    offs = np.zeros(n + 1, dtype=np.int64)
    if offsets is not None and n:
        offs = np.frombuffer(offsets, dtype=np.int64)[data.offset:data.offset + n + 1]
    raw = np.frombuffer(values, dtype=np.uint8) if values is not None else np.zeros(0, dtype=np.uint8)
    mask = data.is_null().to_numpy(zero_copy_only=False).view(np.uint8) if data.null_count else None
    return ("utf8", np.ascontiguousarray(offs), raw, mask)


def _typed(name: str, column: Any, nested: bool = False) -> Tuple[Any, ...]:
    """One frame column as a typed buffer for the core: ("bool"|"num",
    array, mask), ("bits", data, offset, length, validity) for Arrow
    booleans (``_frame._arrow_bits``), ("time", int64 view, unit, mask),
    ("days", int32, mask),
    ("utf8", int64 offsets, uint8 bytes, mask) for Arrow text, ("objects",
    list) or ("nested", list). Missing values are masked or None; the core
    reads every cell by its rules."""
    pd = sys.modules.get("pandas")
    pl = sys.modules.get("polars")
    if pl is not None and isinstance(column, pl.Series):
        if nested:
            return ("nested", column.to_list())
        dtype = column.dtype
        if dtype == pl.Boolean and _frame._bitmaps_pay(column) and _frame._pyarrow() is not None:
            # The Arrow bitmaps as polars holds them (no byte per row).
            bits = _frame._arrow_bits(column.to_arrow())
            if bits is not None:
                return bits
        mask = column.is_null().to_numpy() if column.null_count() else None
        if dtype == pl.Boolean or dtype.is_integer() or dtype.is_float():
            filled = column.fill_null(False if dtype == pl.Boolean else 0) if mask is not None else column
            return _numeric(filled.to_numpy(), mask)
        if dtype == pl.Date:
            days = column.to_physical().fill_null(0).to_numpy().astype(np.int32, copy=False)
            return ("days", np.ascontiguousarray(days), None if mask is None else mask.view(np.uint8))
        if isinstance(dtype, pl.Datetime):
            if dtype.time_zone is not None:
                raise _frame._column_error(name, f"column `{name}`: dates must not carry a time zone")
            raw = column.to_physical().fill_null(0).to_numpy().astype(np.int64, copy=False)
            return ("time", np.ascontiguousarray(raw), dtype.time_unit or "us", None if mask is None else mask.view(np.uint8))
        if dtype == pl.Utf8:
            text = _arrow_text(column.to_arrow())
            if text is not None:
                return text
        return ("objects", column.to_list())
    if pd is not None and isinstance(column, pd.Series):
        if nested:
            return ("nested", column.astype(object).tolist())
        dtype = column.dtype
        if isinstance(dtype, np.dtype):
            values = column.to_numpy(copy=False)
            if dtype.kind == "M":
                return _times(name, values)
            if dtype.kind in "biuf":
                return _numeric(values, None)
            return ("objects", column.tolist())
        if getattr(dtype, "tz", None) is not None:
            raise _frame._column_error(name, f"column `{name}`: dates must not carry a time zone")
        array = column.array
        base = getattr(sys.modules.get("pandas.core.arrays.masked"), "BaseMaskedArray", None)
        if base is not None and isinstance(array, base):
            # pandas' nullable arrays keep values and NA mask as numpy arrays.
            data, mask = getattr(array, "_data", None), getattr(array, "_mask", None)
            if isinstance(data, np.ndarray) and isinstance(mask, np.ndarray):
                return _numeric(data, mask if mask.any() else None)
        if str(getattr(dtype, "pyarrow_dtype", "")) == "bool" and _frame._pyarrow() is not None:
            # pyarrow-backed "bool[pyarrow]": the Arrow bitmaps as they are.
            bits = _frame._arrow_bits(array.__arrow_array__())
            if bits is not None:
                return bits
        numpy_dtype = getattr(dtype, "numpy_dtype", None)
        if isinstance(numpy_dtype, np.dtype) and numpy_dtype.kind in "biuf":
            # Other extension arrays (pyarrow-backed): the public API.
            mask = column.isna().to_numpy(dtype=bool)
            values = column.to_numpy(dtype=numpy_dtype, na_value=numpy_dtype.type(0))
            return _numeric(values, mask if mask.any() else None)
        if isinstance(numpy_dtype, np.dtype) and numpy_dtype.kind == "M":
            mask = column.isna().to_numpy(dtype=bool)
            return _times(name, column.to_numpy(dtype=numpy_dtype, na_value=np.datetime64("NaT")), mask)
        arrow = getattr(dtype, "pyarrow_dtype", None)
        if getattr(dtype, "storage", None) in ("pyarrow", "pyarrow_numpy") or arrow is not None:
            # pyarrow-backed text (pandas 3's default `str`): the buffers.
            text = _arrow_text(array.__arrow_array__())
            if text is not None:
                return text
        return ("objects", column.astype(object).tolist())
    if isinstance(column, np.ma.MaskedArray):
        data, mask = np.ma.getdata(column), np.ma.getmaskarray(column)
        if nested or data.dtype.kind in "OUS":
            cells = data.tolist()
            return ("nested" if nested else "objects", [None if m else v for v, m in zip(cells, mask.tolist())])
        if data.dtype.kind == "M":
            return _times(name, data, mask)
        return _numeric(data, mask if mask.any() else None)
    if isinstance(column, np.ndarray):
        if column.ndim != 1:
            raise _frame._column_error(name, f"column `{name}`: expected a 1-D array")
        if nested or column.dtype.kind in "OUS":
            return ("nested" if nested else "objects", column.tolist())
        if column.dtype.kind == "M":
            return _times(name, column)
        if column.dtype.kind in "biuf":
            return _numeric(column, None)
        return ("objects", column.tolist())
    if isinstance(column, (list, tuple)):
        return ("nested" if nested else "objects", list(column))
    bits = None if nested else _frame._arrow_bits(column)  # a pyarrow bool array
    if bits is not None:
        return bits
    raise _frame._column_error(
        name,
        f"column `{name}`: expected a 1-D numpy array or a list, not {type(column).__module__}.{type(column).__qualname__}",
    )


def _build(kind: str, columns: Any) -> Any:
    """Typed result columns (the core's output layout) -> the input's
    container: nullable integers, floats and booleans, dates, states as a
    pandas Categorical / polars Enum of the core's vocabulary, text."""
    if kind == "pandas":
        pd = sys.modules["pandas"]
        data: Dict[str, Any] = {}
        # One dtype per vocabulary (most state columns share one).
        dtypes: Dict[Tuple[str, ...], Any] = {}
        for name, k, values, mask, states in columns:
            m = np.zeros(len(values), dtype=bool) if mask is None else mask
            if k in ("small", "int"):
                data[name] = pd.arrays.IntegerArray(values, m)
            elif k == "float":
                data[name] = pd.arrays.FloatingArray(values, m)
            elif k == "bool":
                data[name] = pd.arrays.BooleanArray(values, m)
            elif k == "state":
                dtype = dtypes.get(states)
                if dtype is None:
                    dtype = dtypes[states] = pd.CategoricalDtype(list(states))
                data[name] = pd.Categorical.from_codes(values, dtype=dtype)
            elif k == "date":
                data[name] = _pandas_dates(pd, values, m)
            else:
                data[name] = pd.Series(values, dtype=object, copy=False)
        # The arrays are this call's own: no copy.
        return pd.DataFrame(data, copy=False)
    if kind == "polars":
        pl = sys.modules["polars"]
        # The columns as they come (values, and each mask as a column of its
        # own), then one `select` that applies every mask and cast at once
        # (on polars' threads) instead of one call per column.
        raw: Dict[str, Any] = {}
        exprs = []
        n = len(columns[0][2]) if columns else 0
        for j, (name, k, values, mask, states) in enumerate(columns):
            if k == "str":
                if n and bool((values == None).all()):  # noqa: E711 (every cell empty)
                    exprs.append(pl.repeat(None, n, dtype=pl.Utf8).alias(name))
                    continue
                raw[name] = pl.Series(name, values.tolist(), dtype=pl.Utf8)
            elif k == "state":
                vocab = pl.Series(name, list(states), dtype=pl.Enum(list(states)))
                empty = values < 0
                if empty.any():
                    codes = pl.Series(name, values, dtype=pl.Int8)
                    s = vocab.gather(codes.set(pl.Series(empty), None).cast(pl.UInt32))
                else:
                    s = vocab.gather(pl.Series(name, values.astype(np.uint32)))
                raw[name] = s.alias(name)
            else:
                dtype = {"small": pl.Int16, "int": pl.Int64, "float": pl.Float64, "bool": pl.Boolean,
                         "date": pl.Int32}[k]
                raw[name] = pl.Series(name, values, dtype=dtype)
                e = pl.col(name)
                if mask is not None:
                    raw[f"\0mask{j}"] = pl.Series(mask)
                    e = pl.when(pl.col(f"\0mask{j}")).then(None).otherwise(e)
                if k == "date":
                    e = e.cast(pl.Date)
                exprs.append(e.alias(name))
                continue
            exprs.append(pl.col(name))
        if not raw:
            # Only all-empty text columns (or none at all).
            return pl.select(exprs) if exprs else pl.DataFrame()
        return pl.DataFrame(raw).select(exprs)
    out: Dict[str, Any] = {}
    for name, k, values, mask, states in columns:
        if k == "str":
            out[name] = values
            continue
        if k == "state":
            labels = np.array([*states, None], dtype=object)
            out[name] = labels[np.where(values < 0, len(states), values)]
            continue
        if k == "date":
            values = values.astype("datetime64[D]")
        if mask is not None:
            out[name] = np.ma.MaskedArray(values, mask=mask)
        else:
            out[name] = values
    return out


def _pandas_dates(pd: Any, days: np.ndarray, mask: np.ndarray) -> Any:
    """Dates as a pandas column: ``datetime64[s]`` (pandas >= 2 holds years
    1 to 9999 in it), else ``datetime.date`` objects."""
    if int(pd.__version__.split(".")[0]) >= 2:
        seconds = days.astype(np.int64) * 86_400
        seconds[mask] = np.iinfo(np.int64).min  # NaT
        return pd.Series(seconds.view("datetime64[s]"), copy=False)
    import datetime

    epoch = datetime.date(1970, 1, 1)
    return pd.Series([None if m else epoch + datetime.timedelta(days=int(d)) for d, m in zip(days.tolist(), mask.tolist())],
                     dtype=object)
