"""Runs the examples in every docstring of the package (Rust and Python)."""

from __future__ import annotations

import doctest

import pytest

import sledai
import sledai._frame
import sledai._native
import sledai._visits

MODULES = [sledai, sledai._native, sledai._frame, sledai._visits]
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def collect():
    finder = doctest.DocTestFinder()
    tests = []
    for module in MODULES:
        for test in finder.find(module, module.__name__):
            if test.examples:
                tests.append(test)
    # DocTestFinder skips the getters of extension classes (they are
    # getset descriptors, not properties): collect them by hand.
    cls = sledai.Descriptor
    for attr, obj in vars(cls).items():
        if type(obj).__name__ == "getset_descriptor" and obj.__doc__:
            for test in finder.find(obj, f"sledai.Descriptor.{attr}", module=False, globs={}):
                if test.examples:
                    tests.append(test)
    return tests


TESTS = collect()


def test_docstrings_have_examples():
    names = {t.name.split(".")[-1] for t in TESTS}
    for required in ("score", "clinical_score", "score_frame", "descriptor", "Descriptor", "weight", "identifier", "_score_columns",
                     "lldas", "doris", "assess_frame", "cohort", "classify", "_lldas", "_doris", "_assess", "_cohort", "_classify"):
        assert required in names, required
    assert len(TESTS) >= 15


@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_docstring(test):
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} example(s) failed in {test.name}"


def test_readme_examples():
    """The package README's notebook examples run as written."""
    import pathlib

    readme = pathlib.Path(__file__).resolve().parent.parent / "README.md"
    result = doctest.testfile(str(readme), module_relative=False, optionflags=FLAGS)
    assert result.attempted >= 15
    assert result.failed == 0
