"""SLEDAI-2K lupus disease-activity scoring for notebooks.

A thin, typed wrapper over the ``sledai`` Rust crate, which is the one
implementation of every weight and rule (Gladman DD, Ibañez D, Urowitz MB.
Systemic lupus erythematosus disease activity index 2000. J Rheumatol
2002;29:288-91). Python only adapts types.

- ``DESCRIPTORS``, ``IDENTIFIERS``, ``descriptor()``: the 24 descriptors.
- ``score()``, ``clinical_score()``: the total of one assessment.
- ``score_frame()``: totals of every row of a pandas or polars DataFrame
  (or a dict of numpy arrays), vectorised in Rust.
- ``lldas()``, ``doris()``: LLDAS (Franklyn 2016) and DORIS 2021 remission
  of one visit record, each criterion explaining itself.
- ``assess_frame()``: per-visit results (totals, LLDAS, DORIS, change from
  baseline), the output of ``sledai score``.
- ``cohort()``: per-patient endpoints and time in LLDAS/DORIS plus the
  cohort summary, the output of ``sledai cohort``.
- ``adam()``: an ADaM BDS-shaped dataset (one record per subject x
  parameter x analysis visit record), the output of ``sledai adam``.
- ``classify()``: the 2019 EULAR/ACR classification criteria.
- Exceptions: ``SledaiError`` (a ``ValueError``) and its subclasses
  ``UnknownDescriptorError``, ``IncompleteAssessmentError``,
  ``InvalidValueError`` and ``InvalidColumnError``.

A descriptor that was not assessed is never counted as absent: an incomplete
assessment has a range of possible totals, not a total.

>>> import sledai
>>> sledai.score(["arthritis", "proteinuria", "low_complement"])
10
>>> sledai.clinical_score(["arthritis", "proteinuria", "low_complement"])
8
>>> sledai.score({"arthritis": True, "pyuria": None}, incomplete="range")
(4, 105)
>>> sledai.doris({"present": ["low_complement"], "pga": 0.4, "prednisone_mg_per_day": 5}).state
'met'
"""

from sledai._frame import score_frame
from sledai._visits import (
    ADAM_VARIABLES,
    RECORD_FIELDS,
    VISIT_COLUMNS,
    BILAG_COLUMNS,
    Classification,
    CohortResult,
    Criterion,
    Domain,
    TargetResult,
    adam,
    assess_frame,
    classify,
    cohort,
    doris,
    lldas,
)
from sledai._native import (
    CITATION,
    CLASSIFICATION_CRITERIA,
    DESCRIPTORS,
    IDENTIFIERS,
    Descriptor,
    IncompleteAssessmentError,
    InvalidColumnError,
    InvalidValueError,
    SledaiError,
    UnknownDescriptorError,
    __version__,
    clinical_score,
    descriptor,
    score,
)

__all__ = [
    "ADAM_VARIABLES",
    "CITATION",
    "CLASSIFICATION_CRITERIA",
    "Classification",
    "CohortResult",
    "Criterion",
    "Domain",
    "RECORD_FIELDS",
    "VISIT_COLUMNS",
    "BILAG_COLUMNS",
    "TargetResult",
    "adam",
    "assess_frame",
    "classify",
    "cohort",
    "doris",
    "lldas",
    "DESCRIPTORS",
    "IDENTIFIERS",
    "Descriptor",
    "IncompleteAssessmentError",
    "InvalidColumnError",
    "InvalidValueError",
    "SledaiError",
    "UnknownDescriptorError",
    "__version__",
    "clinical_score",
    "descriptor",
    "score",
    "score_frame",
]
