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


def test_the_table_has_the_documented_options():
    # docs/cli.md, "Policy options": typed here, not read from the package.
    assert TABLE["lab_window"][:2] == (("10", "30"), "10")
    assert TABLE["conflicts"][:2] == (("error", "keep_clinician", "keep_laboratory"), "error")
    assert TABLE["upcr"][3] is True
    assert "doris_2017_at_most_half" in TABLE["pga_reading"][2]


def check_annotation(where, name, hint, values, aliases, switch):
    if switch:
        assert hint is bool, (where, name)
        return
    args = typing.get_args(hint)
    if not args:  # an open option (bicla_sledai): any text the table reads
        assert hint is str, (where, name)
        return
    written = tuple(str(a) for a in args)
    assert written[: len(values)] == values, (where, name)
    assert set(written[len(values):]) <= set(aliases), (where, name)


def test_the_shared_policy_keywords_are_the_table():
    # assess_frame, cohort and adam take exactly the table's options, from
    # one definition (PolicyOptions), in table order.
    import inspect

    from sledai._visits import PolicyOptions

    hints = typing.get_type_hints(PolicyOptions)
    assert list(hints) == list(TABLE)
    for name, (values, default, aliases, switch) in TABLE.items():
        check_annotation("PolicyOptions", name, hints[name], values, aliases, switch)
    for fn, args in ((sledai.assess_frame, {}), (sledai.cohort, {"at": 90, "window": 14}),
                     (sledai.adam, {"at": 90, "window": 14})):
        params = inspect.signature(fn).parameters
        assert params["policy"].kind is inspect.Parameter.VAR_KEYWORD, fn.__name__
        assert not set(params) & set(TABLE), fn.__name__
        with pytest.raises(TypeError, match=rf"{fn.__name__}\(\) got an unexpected keyword argument 'conflict'"):
            fn([{"present": []}], conflict="error", **args)  # type: ignore[call-arg]


@pytest.mark.parametrize("fn", (sledai.lldas, sledai.doris), ids=lambda f: f.__name__)
def test_the_explicit_keywords_of_lldas_and_doris_are_the_table(fn):
    import inspect

    hints = typing.get_type_hints(fn)
    params = inspect.signature(fn).parameters
    seen = 0
    for name, (values, default, aliases, switch) in TABLE.items():
        if name not in params:
            continue
        seen += 1
        assert str(params[name].default).lower() == default, (fn.__name__, name)
        check_annotation(fn.__name__, name, hints[name], values, aliases, switch)
    assert seen >= 5, fn.__name__


def test_the_shared_doris_options_read_as_the_cli_reads_them():
    # docs/cli.md: --doris-pga sets both definitions, a specific option wins.
    v = [{"patient": "P", "date": "2024-01-01", "present": [], "pga": 0.5,
          "prednisone_mg_per_day": 0}]
    default = sledai.assess_frame(v)[0]
    shared = sledai.assess_frame(v, doris_pga="at_most_half")[0]
    both = sledai.assess_frame(v, doris_pga="at_most_half", pga_reading="doris_2021_below_half")[0]
    assert (default["doris"], shared["doris"], both["doris"]) == ("not_met", "met", "not_met")
    key = "doris_2017_clinical_on_treatment"
    assert shared[key] != default[key] and both[key] == shared[key]


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
