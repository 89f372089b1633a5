"""Shared fixtures and the independent reference scorer.

REFERENCE_WEIGHTS is typed here from `docs/reference.md` section 1.2
(Gladman 2002, Table 1), NOT read from the package: the tests compare the
package against it.
"""

from __future__ import annotations

from typing import Dict, Mapping, Optional

REFERENCE_WEIGHTS: Dict[str, int] = {
    "seizure": 8,
    "psychosis": 8,
    "organic_brain_syndrome": 8,
    "visual_disturbance": 8,
    "cranial_nerve_disorder": 8,
    "lupus_headache": 8,
    "cva": 8,
    "vasculitis": 8,
    "arthritis": 4,
    "myositis": 4,
    "urinary_casts": 4,
    "hematuria": 4,
    "proteinuria": 4,
    "pyuria": 4,
    "rash": 2,
    "alopecia": 2,
    "mucosal_ulcers": 2,
    "pleurisy": 2,
    "pericarditis": 2,
    "low_complement": 2,
    "increased_dna_binding": 2,
    "fever": 1,
    "thrombocytopenia": 1,
    "leukopenia": 1,
}
SEROLOGY = ("low_complement", "increased_dna_binding")
NAMES = list(REFERENCE_WEIGHTS)


def reference_range(row: Mapping[str, Optional[bool]], clinical: bool = False) -> tuple:
    """(low, high) by the definition: present items, then present plus not assessed."""
    low = high = 0
    for name, weight in REFERENCE_WEIGHTS.items():
        if clinical and name in SEROLOGY:
            continue
        value = row.get(name)
        if value is None:
            high += weight
        elif value:
            low += weight
            high += weight
    return low, high


def reference_complete(row: Mapping[str, Optional[bool]], clinical: bool = False) -> bool:
    return all(
        row.get(name) is not None
        for name in NAMES
        if not (clinical and name in SEROLOGY)
    )
