"""DESCRIPTORS, IDENTIFIERS, Descriptor, descriptor(): against `docs/reference.md` section 1.2."""

from __future__ import annotations

import pickle

import pytest

import sledai
from conftest import NAMES, REFERENCE_WEIGHTS, SEROLOGY


def test_descriptors_match_reference_table_in_form_order():
    assert len(sledai.DESCRIPTORS) == 24
    assert [d.identifier for d in sledai.DESCRIPTORS] == NAMES
    assert [d.position for d in sledai.DESCRIPTORS] == list(range(1, 25))
    assert {d.identifier: d.weight for d in sledai.DESCRIPTORS} == REFERENCE_WEIGHTS
    assert sledai.IDENTIFIERS == tuple(NAMES)


def test_weight_totals_reference_1_1():
    # `docs/reference.md` section 1.1: total 0-105 (8x8 + 6x4 + 7x2 + 3x1); 1.4: cSLEDAI max 101.
    weights = [d.weight for d in sledai.DESCRIPTORS]
    assert sum(weights) == 105
    assert [weights.count(w) for w in (8, 4, 2, 1)] == [8, 6, 7, 3]
    assert sum(d.weight for d in sledai.DESCRIPTORS if not d.is_serology) == 101


def test_organ_systems_reference_1_2():
    systems = {d.identifier: d.organ_system for d in sledai.DESCRIPTORS}
    assert [n for n, s in systems.items() if s == "cns"] == NAMES[:7]
    assert systems["vasculitis"] == "vascular"
    assert systems["arthritis"] == systems["myositis"] == "musculoskeletal"
    assert [n for n, s in systems.items() if s == "renal"] == NAMES[10:14]
    assert [n for n, s in systems.items() if s == "mucocutaneous"] == NAMES[14:17]
    assert systems["pleurisy"] == systems["pericarditis"] == "serosal"
    assert [n for n, s in systems.items() if s == "immunologic"] == list(SEROLOGY)
    assert systems["fever"] == "constitutional"
    assert systems["thrombocytopenia"] == systems["leukopenia"] == "hematologic"


def test_descriptor_fields_and_identity():
    d = sledai.descriptor("fever")
    assert d == sledai.DESCRIPTORS[21]
    assert hash(d) == hash(sledai.DESCRIPTORS[21])
    assert d != sledai.DESCRIPTORS[0]
    assert d.name == "Fever"
    assert "38" in d.definition
    assert d.threshold == "> 38.0 °C"  # strict inequality, `docs/reference.md` section 1.2
    assert d.exclusions == "infection"
    assert sledai.descriptor("seizure").threshold is None
    assert repr(sledai.DESCRIPTORS[0]) == (
        "Descriptor(identifier='seizure', position=1, weight=8, organ_system='cns')"
    )
    assert len(set(sledai.DESCRIPTORS)) == 24


def test_descriptors_are_frozen_and_not_constructible():
    d = sledai.DESCRIPTORS[0]
    with pytest.raises(AttributeError):
        d.weight = 1  # type: ignore[misc]
    with pytest.raises(TypeError):
        sledai.Descriptor()  # type: ignore[call-arg]


def test_unknown_descriptor_has_suggestion():
    with pytest.raises(sledai.UnknownDescriptorError, match="did you mean `pyuria`") as e:
        sledai.descriptor("pyuira")
    assert e.value.name == "pyuira"
    assert e.value.suggestion == "pyuria"
    with pytest.raises(sledai.UnknownDescriptorError) as e:
        sledai.descriptor("zzzzzzzzzz")
    assert e.value.suggestion is None
    # Identifiers are case-sensitive.
    with pytest.raises(sledai.UnknownDescriptorError):
        sledai.descriptor("Fever")


def test_exception_hierarchy_and_pickling():
    for cls in (
        sledai.UnknownDescriptorError,
        sledai.IncompleteAssessmentError,
        sledai.InvalidValueError,
        sledai.InvalidColumnError,
    ):
        assert issubclass(cls, sledai.SledaiError)
    assert issubclass(sledai.SledaiError, ValueError)
    assert sledai.SledaiError.__module__ == "sledai"
    with pytest.raises(sledai.IncompleteAssessmentError) as e:
        sledai.score({"rash": True})
    again = pickle.loads(pickle.dumps(e.value))
    assert str(again) == str(e.value)
    assert again.range == e.value.range == (2, 105)


def test_version_and_citation():
    assert sledai.__version__ == "0.1.0"
    assert "Gladman" in sledai.CITATION
