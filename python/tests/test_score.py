"""score() and clinical_score() on single assessments."""

from __future__ import annotations

import collections

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sledai
from conftest import NAMES, REFERENCE_WEIGHTS, SEROLOGY, reference_complete, reference_range


# Hand-computed cases from the reference weights (`docs/reference.md` section 1.2).
@pytest.mark.parametrize(
    ("present", "total", "clinical"),
    [
        ([], 0, 0),
        (["arthritis", "proteinuria", "low_complement"], 10, 8),
        (["seizure", "fever"], 9, 9),
        (["pyuria"], 4, 4),  # pitfall (`docs/reference.md` section 8): pyuria weighs 4, not 2
        (["vasculitis"], 8, 8),  # pitfall: vasculitis 8, not 4
        (["lupus_headache"], 8, 8),  # pitfall: lupus headache 8, not 1
        (["pleurisy", "pericarditis"], 4, 4),  # pitfall: serositis 2 each
        (["low_complement", "increased_dna_binding"], 4, 0),
        (NAMES, 105, 101),
    ],
)
def test_hand_computed_totals(present, total, clinical):
    assert sledai.score(present) == total
    assert sledai.clinical_score(present) == clinical
    assert sledai.score(present, incomplete="range") == (total, total)
    complete_mapping = {n: n in present for n in NAMES}
    assert sledai.score(complete_mapping) == total
    assert sledai.clinical_score(complete_mapping) == clinical


def test_accepts_any_iterable_of_identifiers():
    assert sledai.score(("rash", "fever")) == 3
    assert sledai.score({"rash", "fever"}) == 3
    assert sledai.score(iter(["rash"])) == 2
    assert sledai.score(n for n in ["alopecia"]) == 2
    assert isinstance(sledai.score([]), int)


def test_mapping_none_and_missing_are_not_assessed():
    # `docs/reference.md` section 8: a missing item must never be scored as absent.
    with pytest.raises(sledai.IncompleteAssessmentError) as e:
        sledai.score({})
    assert e.value.range == (0, 105)
    assert e.value.missing == tuple(NAMES)
    assert e.value.row is None
    row = {n: False for n in NAMES}
    row["fever"] = None
    row["rash"] = True
    with pytest.raises(sledai.IncompleteAssessmentError, match="fever") as e:
        sledai.score(row)
    assert e.value.missing == ("fever",)
    assert e.value.range == (2, 3)
    assert sledai.score(row, incomplete="range") == (2, 3)
    del row["fever"]
    assert sledai.score(row, incomplete="range") == (2, 3)


def test_clinical_ignores_missing_serology():
    row = {n: False for n in NAMES if n not in SEROLOGY}
    row["arthritis"] = True
    assert sledai.clinical_score(row) == 4
    with pytest.raises(sledai.IncompleteAssessmentError):
        sledai.score(row)
    assert sledai.score(row, incomplete="range") == (4, 8)
    assert sledai.clinical_score(row, incomplete="range") == (4, 4)


def test_numpy_bool_and_pandas_na_values():
    pd = pytest.importorskip("pandas")
    row = {n: np.bool_(False) for n in NAMES}
    row["myositis"] = np.bool_(True)
    assert sledai.score(row) == 4
    row["fever"] = pd.NA
    assert sledai.score(row, incomplete="range") == (4, 5)
    frame = pd.DataFrame({n: pd.array([False], dtype="boolean") for n in NAMES})
    frame.loc[0, "fever"] = pd.NA
    assert sledai.score(frame.iloc[0].to_dict(), incomplete="range") == (0, 1)


def test_other_mapping_types():
    class Frozen(collections.abc.Mapping):
        def __init__(self, d):
            self._d = d

        def __getitem__(self, k):
            return self._d[k]

        def __iter__(self):
            return iter(self._d)

        def __len__(self):
            return len(self._d)

    full = {n: False for n in NAMES}
    full["cva"] = True
    assert sledai.score(Frozen(full)) == 8
    assert sledai.score(collections.OrderedDict(full)) == 8


@pytest.mark.parametrize("bad", ["rash", b"rash", bytearray(b"rash")])
def test_str_is_rejected_not_iterated(bad):
    with pytest.raises(TypeError, match="iterable of descriptor identifiers"):
        sledai.score(bad)
    with pytest.raises(TypeError):
        sledai.clinical_score(bad)


def test_non_iterable_and_non_str_items_are_type_errors():
    with pytest.raises(TypeError, match="not int"):
        sledai.score(5)
    with pytest.raises(TypeError, match="must be str"):
        sledai.score([1])
    with pytest.raises(TypeError, match="must be str"):
        sledai.score({1: True})
    with pytest.raises(TypeError, match="must be str"):
        sledai.score([None])


def test_unknown_identifier_with_suggestion():
    with pytest.raises(sledai.UnknownDescriptorError, match=r"unknown descriptor `arthritus`, did you mean `arthritis`\?") as e:
        sledai.score(["arthritus"])
    assert e.value.suggestion == "arthritis"
    with pytest.raises(sledai.UnknownDescriptorError):
        sledai.score({"Rash": True})


def test_duplicate_identifier_is_an_error():
    with pytest.raises(sledai.InvalidValueError, match="more than once") as e:
        sledai.score(["rash", "rash"])
    assert e.value.value == "rash"


@pytest.mark.parametrize("value", [1, 0, "yes", 1.0, float("nan"), [True]])
def test_mapping_values_other_than_bool_or_none_are_errors(value):
    with pytest.raises(sledai.InvalidValueError, match="expected True") as e:
        sledai.score({"rash": value})
    assert e.value.field == "rash"
    assert e.value.row is None


def test_incomplete_argument_is_validated():
    with pytest.raises(sledai.InvalidValueError, match="incomplete: unknown value `ranges`") as e:
        sledai.score([], incomplete="ranges")
    assert e.value.field == "incomplete"
    with pytest.raises(TypeError):
        sledai.score([], "range")  # keyword-only


findings = st.sampled_from([True, False, None])


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(NAMES), findings))
def test_agrees_with_reference_scorer(row):
    for clinical, fn in ((False, sledai.score), (True, sledai.clinical_score)):
        low, high = reference_range(row, clinical)
        assert fn(row, incomplete="range") == (low, high)
        if reference_complete(row, clinical):
            assert fn(row) == low == high
        else:
            with pytest.raises(sledai.IncompleteAssessmentError) as e:
                fn(row)
            assert e.value.range == (low, high)
            expected_missing = tuple(
                n for n in NAMES if row.get(n) is None and not (clinical and n in SEROLOGY)
            )
            assert e.value.missing == expected_missing


@settings(max_examples=200, deadline=None)
@given(st.sets(st.sampled_from(NAMES)))
def test_present_sets_agree_with_reference(present):
    expected = sum(REFERENCE_WEIGHTS[n] for n in present)
    assert sledai.score(present) == expected
    assert sledai.clinical_score(present) == expected - sum(
        REFERENCE_WEIGHTS[n] for n in present if n in SEROLOGY
    )
