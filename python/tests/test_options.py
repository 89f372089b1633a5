"""The policy keywords against the core's option table (issue 11: option
names and values are the core's, not the shells').

``sledai._native._visit_option_table()`` is ``sledai::options::VISIT_OPTIONS``;
every keyword of the visit functions that is a table option must be
annotated with exactly the table's values (and former spellings), default
to the table's default, and be read as the command-line tool reads the
same value.
"""

from __future__ import annotations

import typing

import pytest

import sledai

TABLE = {name: (values, default, aliases, switch)
         for name, values, default, aliases, switch in sledai._native._visit_option_table()}
FUNCTIONS = (sledai.lldas, sledai.doris, sledai.assess_frame, sledai.cohort, sledai.adam)


def test_the_table_has_the_documented_options():
    # docs/cli.md, "Policy options": typed here, not read from the package.
    assert TABLE["lab_window"][:2] == (("10", "30"), "10")
    assert TABLE["conflicts"][:2] == (("error", "keep_clinician", "keep_laboratory"), "error")
    assert TABLE["upcr"][3] is True
    assert "doris_2017_at_most_half" in TABLE["pga_reading"][2]


@pytest.mark.parametrize("fn", FUNCTIONS, ids=lambda f: f.__name__)
def test_keyword_annotations_and_defaults_are_the_table(fn):
    import inspect

    hints = typing.get_type_hints(fn)
    params = inspect.signature(fn).parameters
    seen = 0
    for name, (values, default, aliases, switch) in TABLE.items():
        if name not in params:
            continue
        seen += 1
        assert str(params[name].default).lower() == default, (fn.__name__, name)
        if switch:
            assert hints[name] is bool, (fn.__name__, name)
            continue
        args = typing.get_args(hints[name])
        if not args:  # an open option (bicla_sledai): any text the table reads
            assert hints[name] is str, (fn.__name__, name)
            continue
        written = tuple(str(a) for a in args)
        assert written[: len(values)] == values, (fn.__name__, name)
        assert set(written[len(values):]) <= set(aliases), (fn.__name__, name)
    assert seen >= 5, fn.__name__


def test_unknown_values_and_names_are_the_tables_errors():
    with pytest.raises(sledai.InvalidValueError) as e:
        sledai.lldas({"present": []}, conflicts="keep")  # type: ignore[arg-type]
    assert str(e.value) == ("conflicts: unknown value `keep`, expected one of: "
                            "error, keep_clinician, keep_laboratory")
    assert e.value.field == "conflicts"
    with pytest.raises(TypeError, match="upcr must be a bool"):
        sledai.lldas({"present": []}, upcr="true")  # type: ignore[arg-type]
    # A former spelling is read as the current one (the CLI reads it too).
    a = sledai.doris({"present": [], "pga": 0.5, "prednisone_mg_per_day": 0}, pga_reading="doris_2017_at_most_half")
    b = sledai.doris({"present": [], "pga": 0.5, "prednisone_mg_per_day": 0}, pga_reading="golder_2020_at_most_half")
    assert a.state == b.state == "met"  # PGA 0.5 <= 0.5
    assert sledai.doris({"present": [], "pga": 0.5, "prednisone_mg_per_day": 0}).state == "not_met"  # 0.5 is not < 0.5
