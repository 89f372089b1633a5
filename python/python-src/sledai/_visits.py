"""Treat-to-target states, visits, cohorts and classification.

A thin shell over the core crate: every record is parsed by the core's own
serde implementation (the field names of the command-line tool's visit
record, docs/formats.md), every number comes from the core
(``visit::PatientStream``, ``visit::cohort``, ``lldas::evaluate``,
``remission::evaluate_with``, ``ClassificationInput::classify``), so the
Python package and the ``sledai`` command-line tool agree by construction.
This module only adapts containers and wraps results in frozen objects.

Missing values: in a mapping only ``None`` (or leaving the key out) means
*not recorded*; NaN is an error. In a data-frame column the container's
missing value (pandas NA/NaN/NaT, polars null or NaN, a numpy masked value
or NaN) is *not recorded*, as in ``score_frame``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import (
    Any,
    Dict,
    List,
    Literal,
    Mapping,
    NamedTuple,
    Optional,
    Sequence,
    Tuple,
    Union,
)

import numpy as np

from sledai import _frame, _native

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
    "classify",
    "RECORD_FIELDS",
    "BILAG_COLUMNS",
]


#: The visit-record fields other than the assessment (docs/formats.md), in
#: documentation order: the columns a frame may hold besides the 24
#: descriptor columns.
RECORD_FIELDS: Tuple[str, ...] = _native.RECORD_FIELDS

#: The frame columns of the BILAG-2004 grades, ``bilag_<system>`` (one per
#: system, in form order; a cell "A".."E", empty or None: not recorded).
BILAG_COLUMNS: Tuple[str, ...] = _native.BILAG_COLUMNS



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
    pga_reading: Literal["doris_2021_below_half", "golder_2020_at_most_half", "doris_2017_at_most_half"] = "doris_2021_below_half",
    glucocorticoid_reading: Literal["at_most_5_mg", "below_5_mg"] = "at_most_5_mg",
    lab_window: Literal[10, 30] = 10,
    lab_selection: Literal["any_abnormal", "most_recent"] = "any_abnormal",
    upcr: bool = False,
    conflicts: Literal["error", "keep_clinician", "keep_laboratory"] = "error",
    betamethasone: Literal["three_quarters_mg", "six_tenths_mg"] = "three_quarters_mg",
    bilag_new_b: Literal["from_c_d_e", "from_d_e"] = "from_c_d_e",
    bilag_grade_e: Literal["as_inactive", "strict"] = "as_inactive",
    bicla_sledai: str = "no_increase",
    bicla_pga: Literal["scale_10pct", "sri_like", "relative_10pct"] = "scale_10pct",
    bicla_baseline_activity: Literal["required", "vacuous"] = "required",
    sri_treatment_failure: Literal["when_given", "required"] = "when_given",
    doris_2017_pga: Literal["below_half", "at_most_half"] = "below_half",
    doris_2017_glucocorticoid: Literal["at_most_5", "below_5"] = "at_most_5",
    doris_off_treatment_antimalarial: Literal["allowed", "excluded"] = "allowed",
    doris_2017_index: Literal["clinical_sledai", "bilag_d_e"] = "clinical_sledai",
) -> Any:
    """Per-visit results: what ``sledai score`` outputs, one row per input row.

    Rows go through ONE ``PatientStream`` of the core in row order, so LLDAS
    criterion 2 and the change from baseline follow each patient's previous
    row. **Rows of a patient must be in date order** (patients may be
    interleaved); a row dated on or before the same patient's previous row
    raises ``InvalidValueError`` naming the row. Sort first, e.g.
    ``df.sort_values(["patient", "date"])``, or use ``cohort``, which sorts.

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
      ``;``; states are ``met``/``not_met``/``indeterminate``. Integer
      columns are nullable ``Int64`` (pandas) / ``Int64`` (polars), float
      columns nullable ``Float64``, text columns object/``Utf8``.
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
    0  2024-01-01          4                     0         indeterminate
    1  2024-04-01          0                    -4                   met
    >>> sledai.assess_frame([{"present": ["rash"], "pga": 0.2}])[0]["doris"]
    'not_met'
    """
    if extra not in ("raise", "ignore"):
        raise _frame._invalid_argument("extra", extra, ("raise", "ignore"))
    opts = _options(pga_reading=pga_reading, glucocorticoid_reading=glucocorticoid_reading,
                    lab_window=lab_window, lab_selection=lab_selection, upcr=upcr,
                    conflicts=conflicts, betamethasone=betamethasone,
                    bilag_new_b=bilag_new_b, bilag_grade_e=bilag_grade_e,
                    bicla_sledai=bicla_sledai, bicla_pga=bicla_pga,
                    bicla_baseline_activity=bicla_baseline_activity,
                    sri_treatment_failure=sri_treatment_failure,
                    doris_2017_pga=doris_2017_pga,
                    doris_2017_glucocorticoid=doris_2017_glucocorticoid,
                    doris_off_treatment_antimalarial=doris_off_treatment_antimalarial,
                    doris_2017_index=doris_2017_index)
    kind, source = _source(frame, extra, rename)
    if kind == "records":
        return _native._assess(source, opts, False)
    return _build(kind, _native._assess(source, opts, True))


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
    pga_reading: Literal["doris_2021_below_half", "golder_2020_at_most_half", "doris_2017_at_most_half"] = "doris_2021_below_half",
    glucocorticoid_reading: Literal["at_most_5_mg", "below_5_mg"] = "at_most_5_mg",
    lab_window: Literal[10, 30] = 10,
    lab_selection: Literal["any_abnormal", "most_recent"] = "any_abnormal",
    upcr: bool = False,
    conflicts: Literal["error", "keep_clinician", "keep_laboratory"] = "error",
    betamethasone: Literal["three_quarters_mg", "six_tenths_mg"] = "three_quarters_mg",
    bilag_new_b: Literal["from_c_d_e", "from_d_e"] = "from_c_d_e",
    bilag_grade_e: Literal["as_inactive", "strict"] = "as_inactive",
    bicla_sledai: str = "no_increase",
    bicla_pga: Literal["scale_10pct", "sri_like", "relative_10pct"] = "scale_10pct",
    bicla_baseline_activity: Literal["required", "vacuous"] = "required",
    sri_treatment_failure: Literal["when_given", "required"] = "when_given",
    doris_2017_pga: Literal["below_half", "at_most_half"] = "below_half",
    doris_2017_glucocorticoid: Literal["at_most_5", "below_5"] = "at_most_5",
    doris_off_treatment_antimalarial: Literal["allowed", "excluded"] = "allowed",
    doris_2017_index: Literal["clinical_sledai", "bilag_d_e"] = "clinical_sledai",
) -> CohortResult:
    """Per-patient endpoints and time in LLDAS/DORIS, and the cohort summary:
    what ``sledai cohort`` outputs.

    ``frame`` is what ``assess_frame`` takes (with the same ``rename`` and
    ``extra`` header options); every visit needs ``patient`` and ``date``. Rows need not be sorted: the core groups the visits by
    patient and sorts them by date (``visit::cohort``); the baseline is the
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
    input gives no patients (and no columns).

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
    opts = _options(pga_reading=pga_reading, glucocorticoid_reading=glucocorticoid_reading,
                    lab_window=lab_window, lab_selection=lab_selection, upcr=upcr,
                    conflicts=conflicts, betamethasone=betamethasone,
                    bilag_new_b=bilag_new_b, bilag_grade_e=bilag_grade_e,
                    bicla_sledai=bicla_sledai, bicla_pga=bicla_pga,
                    bicla_baseline_activity=bicla_baseline_activity,
                    sri_treatment_failure=sri_treatment_failure,
                    doris_2017_pga=doris_2017_pga,
                    doris_2017_glucocorticoid=doris_2017_glucocorticoid,
                    doris_off_treatment_antimalarial=doris_off_treatment_antimalarial,
                    doris_2017_index=doris_2017_index)
    kind, source = _source(frame, extra, rename)
    flat = kind != "records"
    patients, summary = _native._cohort(
        source, windows, attribution, sustained_days, screening_threshold,
        allow_duplicate_dates, opts, flat,
    )
    return CohortResult(_build(kind, patients) if flat else patients, summary)


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


def _source(frame: Any, extra: str, rename: Optional[Mapping[str, str]] = None) -> Tuple[str, Any]:
    """("records", list of mappings) or (kind, (columns, n_rows, fields))."""
    if isinstance(frame, (list, tuple)):
        if rename is not None:
            raise TypeError("rename applies to data frames; a visit-record mapping has its field names")
        return "records", list(frame)
    kind, names, get, n_rows = _frame._open(frame)
    resolved = _frame._resolve(names, rename, extra, False)
    fields = {name: i for i, (tag, name) in enumerate(resolved) if tag in ("field", "bilag")}
    pairs, n_rows = _frame._select(names, get, clinical=False, extra=extra, n_rows=n_rows, resolved=resolved)
    lists = {}
    for name, i in fields.items():
        cells = _cells(name, get(i))
        if len(cells) != n_rows:
            raise _frame._column_error(name, f"column `{name}` has {len(cells)} rows, expected {n_rows}")
        lists[name] = cells
    return kind, (pairs, n_rows, lists)


def _whole(values: List[Any]) -> List[Any]:
    """A float column's whole numbers as ints: pandas stores an integer column
    with missing values as float64, and ``new_bilag_a`` takes integers. A
    float field (``pga``, a dose) reads 1 and 1.0 alike."""
    return [int(v) if isinstance(v, float) and v.is_integer() else v for v in values]


def _cells(name: str, column: Any) -> List[Any]:
    """One record-field column as a list of Python values, missing -> None."""
    pd = sys.modules.get("pandas")
    pl = sys.modules.get("polars")
    if pl is not None and isinstance(column, pl.Series):
        if column.dtype.is_float():
            values = column.fill_nan(None).to_list()
            return _whole(_shortest(values, np.float32) if column.dtype == pl.Float32 else values)
        return column.to_list()
    if pd is not None and isinstance(column, pd.Series):
        if pd.api.types.is_datetime64_any_dtype(column.dtype):
            tz = getattr(column.dtype, "tz", None) is not None
            # In the column's own unit: datetime64[s] holds 2300-01-01, which
            # datetime64[ns] cannot (it wrapped around to 1715-06-13).
            return _datetimes(name, column.to_numpy(), tz)
        values = [None if _is_na(v) else v for v in column.astype(object).tolist()]
        if pd.api.types.is_float_dtype(column.dtype):
            dtype = np.dtype(getattr(column.dtype, "numpy_dtype", column.dtype))
            return _whole(_shortest(values, dtype.type) if dtype.itemsize < 8 else values)
        return values
    if isinstance(column, np.ma.MaskedArray):
        mask = np.ma.getmaskarray(column)
        data = _cells(name, np.ma.getdata(column))
        return [None if m else v for v, m in zip(data, mask.tolist())]
    if isinstance(column, np.ndarray):
        if column.ndim != 1:
            raise _frame._column_error(name, f"column `{name}`: expected a 1-D array")
        if column.dtype.kind == "M":
            return _datetimes(name, column, False)
        if column.dtype.kind == "f":
            values = [None if v != v else v for v in column.tolist()]
            return _whole(_shortest(values, column.dtype.type) if column.dtype.itemsize < 8 else values)
        return [None if _is_na(v) else v for v in column.tolist()]
    if isinstance(column, (list, tuple)):
        return [None if _is_na(v) else v for v in column]
    raise _frame._column_error(
        name,
        f"column `{name}`: expected a 1-D numpy array or a list, not {type(column).__module__}.{type(column).__qualname__}",
    )


def _shortest(values: List[Any], narrow: Any) -> List[Any]:
    """The cells of a float32 (or float16) column as the shortest decimals
    that read back as them: ``float32(0.3)`` is 0.3, not
    0.30000001192092896, so a PGA or a dose in tenths stays in tenths."""
    return [v if v is None else float(str(narrow(v))) for v in values]


def _is_na(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, float):
        return v != v
    t = type(v)
    return t.__module__.startswith("pandas") and t.__name__ in ("NAType", "NaTType")


#: Units of datetime64 finer than a day, per day.
_PER_DAY = {"h": 24, "m": 1440, "s": 86_400, "ms": 86_400_000, "us": 86_400_000_000,
            "ns": 86_400_000_000_000}


def _datetimes(name: str, values: np.ndarray, tz: bool) -> List[Optional[str]]:
    if tz:
        raise _frame._column_error(name, f"column `{name}`: dates must not carry a time zone")
    nat = np.isnat(values)
    unit, count = np.datetime_data(values.dtype)
    per_day = _PER_DAY.get(unit) if count == 1 else None
    if per_day is not None:
        # Integer days and remainders: numpy's own cast to days wraps around
        # near the ends of datetime64[ns] (1677-09-22 became 2262-04-11).
        day, rest = np.divmod(np.where(nat, 0, values.view(np.int64)), per_day)
        days = day.astype(np.int64).view("datetime64[D]")
        bad = (rest != 0) & ~nat
    else:
        days = values.astype("datetime64[D]")
        bad = (days != values) & ~nat
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise _frame._column_error(
            name, f"column `{name}`: row {i}: `{values[i]}` has a time of day; expected calendar dates"
        )
    text = np.datetime_as_string(days, unit="D").tolist()
    return [None if n else t for t, n in zip(text, nat.tolist())]


def _build(kind: str, columns: Any) -> Any:
    """Flat result columns -> the input's container."""
    if kind == "pandas":
        pd = sys.modules["pandas"]
        data: Dict[str, Any] = {}
        for name, k, values, mask in columns:
            m = np.zeros(len(values), dtype=bool) if mask is None else mask
            if k == "int":
                data[name] = pd.arrays.IntegerArray(values, m)
            elif k == "float":
                data[name] = pd.arrays.FloatingArray(values, m)
            elif k == "bool":
                data[name] = pd.arrays.BooleanArray(values, m)
            else:
                data[name] = pd.Series(values, dtype=object)
        return pd.DataFrame(data)
    if kind == "polars":
        pl = sys.modules["polars"]
        series = []
        for name, k, values, mask in columns:
            if k == "str":
                s = pl.Series(name, values, dtype=pl.Utf8)
            else:
                dtype = {"int": pl.Int64, "float": pl.Float64, "bool": pl.Boolean}[k]
                s = pl.Series(name, values, dtype=dtype)
                if mask is not None:
                    s = s.scatter(np.flatnonzero(mask), None)
            series.append(s)
        return pl.DataFrame(series)
    out: Dict[str, Any] = {}
    for name, k, values, mask in columns:
        if k == "str":
            arr = np.empty(len(values), dtype=object)
            arr[:] = values
            out[name] = arr
        elif mask is not None:
            out[name] = np.ma.MaskedArray(values, mask=mask)
        else:
            out[name] = values
    return out
