"""Issue 12: hostile input never crashes the interpreter, is never silently
dropped, and raises a documented ``SledaiError`` subclass naming the field.

The crash cases also run in a subprocess, so a regression (a segfault)
shows as a failing test instead of a dead test run.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

import pytest

import sledai

DEPTH_LIMIT = 64  # records.rs MAX_DEPTH


def _self_list() -> list:
    x: list = []
    x.append(x)
    return x


def _nested(depth: int) -> list:
    d: list = []
    for _ in range(depth):
        d = [d]
    return d


def _self_dict() -> dict:
    d: dict = {}
    d["x"] = d
    return d


# ------------------------------------------------- 1. nesting, self-reference


def test_self_referential_list_names_the_field():
    with pytest.raises(sledai.InvalidValueError, match=r"field `present`: nested more than 64 levels deep") as e:
        sledai.lldas({"present": _self_list()})
    assert e.value.field.startswith("present[0][0]")
    assert e.value.row is None


def test_deep_nesting_in_measurements():
    with pytest.raises(sledai.InvalidValueError, match="field `measurements`: nested more than 64") as e:
        sledai.doris({"present": [], "measurements": _nested(16_000)})
    assert e.value.field.startswith("measurements[0]")


def test_dict_containing_itself_in_classify():
    with pytest.raises(sledai.InvalidValueError, match="field `criteria`: nested more than 64"):
        sledai.classify({"criteria": _self_dict()})


def test_self_reference_in_a_list_of_records_names_the_row():
    with pytest.raises(sledai.InvalidValueError, match=r"^row 1: field `id`: nested") as e:
        sledai.assess_frame([{"present": []}, {"present": [], "id": _self_list()}])
    assert e.value.row == 1
    with pytest.raises(sledai.InvalidValueError, match=r"^row 0: field `id`: nested"):
        sledai.cohort([{"present": [], "id": _self_list(), "patient": "P", "date": "2024-01-01"}], at=())


def test_depth_at_the_limit_is_not_an_error_of_nesting():
    # Depth below the limit reaches the core's parser (which refuses the
    # shape), depth above it is refused before.
    shallow = _nested(DEPTH_LIMIT - 2)
    with pytest.raises(sledai.InvalidValueError) as e:
        sledai.lldas({"present": shallow})
    assert "nested more than" not in str(e.value)
    with pytest.raises(sledai.InvalidValueError, match="nested more than"):
        sledai.lldas({"present": _nested(DEPTH_LIMIT + 1)})


def test_a_frame_cell_that_contains_itself():
    import pandas as pd

    df = pd.DataFrame({d: [False, False] for d in sledai.IDENTIFIERS})
    df["id"] = pd.Series(["a", _self_list()], dtype=object)
    with pytest.raises(sledai.InvalidValueError, match=r"^row 1: field `id`: a list is not a cell of this column") as e:
        sledai.assess_frame(df)
    assert e.value.row == 1


CRASHERS = {
    "self_list": "l = []; l.append(l); sledai.lldas({'present': l})",
    "deep_measurements": "d = []\nfor _ in range(16000): d = [d]\nsledai.lldas({'present': [], 'measurements': d})",
    "self_dict": "d = {}; d['x'] = d; sledai.classify({'criteria': d})",
    "assess_frame": "l = []; l.append(l); sledai.assess_frame([{'present': [], 'id': l}])",
    "deep_previous": "d = []\nfor _ in range(100000): d = [d]\nsledai.lldas({'present': []}, previous={'present': d})",
}


@pytest.mark.parametrize("name", sorted(CRASHERS))
def test_crash_cases_in_a_subprocess(name):
    code = "import sledai\ntry:\n" + textwrap.indent(CRASHERS[name], "    ") + (
        "\nexcept sledai.SledaiError as e:\n    print('ok', type(e).__name__)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, (r.returncode, r.stderr[-2000:])
    assert r.stdout.startswith("ok InvalidValueError"), r.stdout


# -------------------------------------------------------- 7. lone surrogates


@pytest.mark.parametrize(
    "call",
    [
        lambda: sledai.lldas({"present": [], "id": "\ud800"}),
        lambda: sledai.doris({"present": [], "patient": "\udfff"}),
        lambda: sledai.classify({"ana_titre": "\ud800"}),
        lambda: sledai.assess_frame([{"present": [], "id": "\ud800"}]),
        lambda: sledai.cohort([{"present": [], "patient": "\ud800", "date": "2024-01-01"}], at=()),
    ],
)
def test_lone_surrogate_values_name_the_field(call):
    with pytest.raises(sledai.InvalidValueError, match=r"field `(id|patient|ana_titre)`: `'\\ud[8f]..'` is not valid Unicode") as e:
        call()
    assert e.value.field in ("id", "patient", "ana_titre")


def test_lone_surrogate_in_a_list_of_records_keeps_the_row():
    # This raised TypeError: function takes exactly 5 arguments (1 given):
    # the UnicodeEncodeError was re-created with one argument.
    with pytest.raises(sledai.InvalidValueError) as e:
        sledai.assess_frame([{"present": []}, {"present": [], "id": "\ud800"}])
    assert e.value.row == 1
    assert str(e.value).startswith("row 1: field `id`")


@pytest.mark.parametrize("column", ["arthritis", "pga", "patient", "id"])
def test_lone_surrogate_cell_of_a_frame_column_names_column_and_row(column):
    # A string cell UTF-8 cannot encode raised Python's UnicodeEncodeError
    # from the column reader (found by test_fuzz_hostile.test_frames).
    import numpy as np

    cells = np.empty(2, dtype=object)
    cells[:] = ["1" if column == "arthritis" else "0.5" if column == "pga" else "x", "\ud800"]
    frame = {d: np.zeros(2, dtype=bool) for d in sledai.IDENTIFIERS}
    frame[column] = cells
    calls = [sledai.assess_frame] + ([sledai.score_frame] if column == "arthritis" else [])
    for call in calls:
        with pytest.raises(sledai.InvalidValueError, match="lone surrogate") as e:
            call(frame)
        assert e.value.row == 1
        assert e.value.field == column


def test_lone_surrogate_key():
    with pytest.raises(sledai.InvalidValueError, match="lone surrogate"):
        sledai.lldas({"present": [], "\ud800": 1})
    with pytest.raises(sledai.InvalidValueError, match="^row 0: .*lone surrogate"):
        sledai.cohort([{"present": [], "\ud800": 1}], at=())


def test_lone_surrogate_identifier():
    for call in (sledai.score, sledai.clinical_score):
        with pytest.raises(sledai.UnknownDescriptorError, match=r"unknown descriptor `\\ud800`"):
            call(["\ud800"])
        with pytest.raises(sledai.UnknownDescriptorError):
            call({"\ud800": True})
    with pytest.raises(sledai.InvalidValueError, match=r"field `present\[0\]`: .*lone surrogate"):
        sledai.lldas({"present": ["\ud800"]})


def test_a_foreign_exception_becomes_a_field_error():
    from collections.abc import Mapping

    class Broken(Mapping):
        def __getitem__(self, k):
            raise RuntimeError("boom")

        def __iter__(self):
            raise RuntimeError("boom")

        def __len__(self):
            return 1

    with pytest.raises(sledai.InvalidValueError, match=r"field `measurements\[0\]`: the value cannot be read: RuntimeError: boom") as e:
        sledai.lldas({"present": [], "measurements": [Broken()]})
    assert isinstance(e.value.__cause__, RuntimeError)


# ------------------------------------------- 9. duplicate dates in a cohort


def test_duplicate_dates_name_the_rows_and_the_keyword():
    rows = [{"patient": p, "date": "2024-01-01", "present": []} for p in "PQQP"]
    with pytest.raises(sledai.InvalidValueError) as e:
        sledai.cohort(rows, at=())
    msg = str(e.value)
    assert "rows 0 and 3" in msg
    assert "allow_duplicate_dates=True" in msg
    assert "TimelineOptions" not in msg
    assert (e.value.row, e.value.field, e.value.value, e.value.patient) == (3, "date", "2024-01-01", "P")
    assert len(msg) < 200


def test_duplicate_dates_in_a_frame():
    import pandas as pd

    df = pd.DataFrame({d: [False] * 4 for d in sledai.IDENTIFIERS})
    df["patient"] = ["P", "Q", "P", "Q"]
    df["date"] = ["2024-01-01", "2024-01-01", "2024-02-01", "2024-01-01"]
    with pytest.raises(sledai.InvalidValueError, match=r"^row 3: patient `Q`: date: rows 1 and 3 ") as e:
        sledai.cohort(df, at=())
    assert e.value.row == 3
    assert sledai.cohort(df, at=(), allow_duplicate_dates=True).summary["n"] == 2


# --------------------------------------------------- 10. bounded messages
# The core's own "did you mean" search is bounded by the core (issue 12,
# core side); these tests pin the Python surface: a quick error, a short
# message.


def test_ten_megabyte_unknown_column_name():
    import numpy as np

    name = "x" * 10_000_000
    frame = {d: np.zeros(2, dtype=bool) for d in sledai.IDENTIFIERS}
    frame[name] = np.zeros(2, dtype=bool)
    for call in (sledai.score_frame, sledai.assess_frame, lambda f: sledai.cohort(f, at=())):
        start = time.perf_counter()
        with pytest.raises(sledai.InvalidColumnError) as e:
            call(frame)
        assert time.perf_counter() - start < 5
        assert len(str(e.value)) < 500, call
        assert "(10000000 characters)" in str(e.value)
        assert e.value.column == name


BIG = "y" * 10_000_000


def _quick_and_short(call):
    start = time.perf_counter()
    with pytest.raises(sledai.SledaiError) as e:
        call()
    assert time.perf_counter() - start < 2
    assert len(str(e.value)) < 1000
    assert "(10000000 characters)" in str(e.value)


@pytest.mark.parametrize(
    "call",
    [
        lambda: sledai.lldas({"present": [], BIG: 1}),
        lambda: sledai.score([BIG]),
        lambda: sledai.clinical_score({BIG: True}),
        lambda: sledai.assess_frame([{"present": [], "date": BIG}]),
        lambda: sledai.cohort([{"present": [], "patient": "P", "date": "2024-01-01", "pga": BIG}], at=()),
    ],
)
def test_ten_megabyte_unknown_key_and_value(call):
    _quick_and_short(call)


# An identifier inside a record is parsed by the core's serde
# implementation, whose "did you mean" search skips implausible lengths.
@pytest.mark.parametrize(
    "call",
    [
        lambda: sledai.lldas({"present": [BIG]}),
        lambda: sledai.classify({"criteria": {BIG: True}}),
    ],
)
def test_ten_megabyte_identifier_in_a_record(call):
    _quick_and_short(call)


# ------------------------------------------------- 8. dates in every unit

_FAR = ["2300-01-01", "1600-01-01", "9999-12-31"]


def _iso(column) -> list:
    """A typed date column (numpy datetime64[D], pandas datetime64[s],
    polars Date) as ISO text, None where missing."""
    import datetime as dt

    import numpy as np
    import pandas as pd

    out = []
    for v in (column.tolist(fill_value=None) if isinstance(column, np.ma.MaskedArray) else list(column)):
        if v is None or v is pd.NaT:
            out.append(None)
        elif isinstance(v, pd.Timestamp):
            out.append(v.date().isoformat())
        elif isinstance(v, np.datetime64):
            out.append(str(v.astype("datetime64[D]")))
        elif isinstance(v, dt.date):
            out.append(f"{v.year:04}-{v.month:02}-{v.day:02}")
        else:
            out.append(v)
    return out


def _frame(n: int, **fields):
    import numpy as np

    return {**{d: np.zeros(n, dtype=bool) for d in sledai.IDENTIFIERS}, **fields}


@pytest.mark.parametrize("unit", ["s", "ms", "us", "D"])
@pytest.mark.parametrize("container", ["numpy", "pandas"])
def test_datetime64_columns_read_as_written(unit, container):
    import numpy as np
    import pandas as pd

    dates = np.array(_FAR + ["NaT"], dtype=f"datetime64[{unit}]")
    frame = _frame(4, date=dates)
    if container == "pandas":
        frame = pd.DataFrame(frame)
    assert _iso(sledai.assess_frame(frame)["date"]) == _FAR + [None]


def test_datetime64_ns_reads_its_whole_range():
    import numpy as np
    import pandas as pd

    edges = ["1677-09-22", "2262-04-11", "2024-02-29"]
    dates = np.array(edges, dtype="datetime64[ns]")
    for frame in (_frame(3, date=dates), pd.DataFrame(_frame(3, date=dates))):
        assert _iso(sledai.assess_frame(frame)["date"]) == edges


def test_object_columns_of_dates():
    import datetime as dt

    import pandas as pd
    import polars as pl

    cells = [dt.date(2300, 1, 1), dt.datetime(1600, 1, 1), dt.date(9999, 12, 31), None]
    df = pd.DataFrame(_frame(4))
    df["date"] = pd.Series(cells, dtype=object)
    assert _iso(sledai.assess_frame(df)["date"]) == _FAR + [None]
    dates = [dt.date(2300, 1, 1), dt.date(1600, 1, 1), dt.date(9999, 12, 31), None]
    pf = pl.DataFrame({**{d: [False] * 4 for d in sledai.IDENTIFIERS}, "date": dates})
    assert _iso(sledai.assess_frame(pf)["date"]) == _FAR + [None]
    pf = pf.with_columns(pl.col("date").cast(pl.Datetime("us")))
    assert _iso(sledai.assess_frame(pf)["date"]) == _FAR + [None]


def test_an_out_of_range_date_is_shown_as_written():
    import numpy as np
    import pandas as pd

    dates = np.array(["2024-01-01", "10000-01-01"], dtype="datetime64[s]")
    with pytest.raises(sledai.InvalidValueError, match="^row 1: date: invalid value `10000-01-01`: expected a date from 0001-01-01 to 9999-12-31") as e:
        sledai.assess_frame(pd.DataFrame(_frame(2, date=dates)))
    assert e.value.row == 1
    late = np.array(["2300-01-01T06:00"], dtype="datetime64[s]")
    with pytest.raises(sledai.InvalidValueError, match="^row 0: date: invalid value `2300-01-01T06:00:00`: has a time of day"):
        sledai.assess_frame(pd.DataFrame(_frame(1, date=late)))


# ----------------------------------------------- 11. float32 PGA and doses


def _float32_frames(**columns):
    import numpy as np
    import pandas as pd
    import polars as pl

    arrays = {k: np.array(v, dtype=np.float32) for k, v in columns.items()}
    n = len(next(iter(arrays.values())))
    yield _frame(n, **arrays)
    yield pd.DataFrame(_frame(n, **arrays))
    yield pd.DataFrame(_frame(n, **{k: pd.array(v, dtype="Float32") for k, v in arrays.items()}))
    yield pl.DataFrame(_frame(n, **arrays))


def test_float32_pga_reads_as_tenths():
    tenths = [round(0.1 * i, 1) for i in range(31)]
    expected = ["met" if t < 0.5 else "not_met" for t in tenths]
    for frame in _float32_frames(pga=tenths, prednisone_mg_per_day=[0.0] * 31):
        assert list(sledai.assess_frame(frame)["doris_pga"]) == expected


def test_float32_doses_read_as_written():
    doses = [0.1, 2.3, 5.0, 7.5, 12.7]
    for frame in _float32_frames(prednisone_mg_per_day=doses):
        out = sledai.assess_frame(frame)
        assert list(out["prednisone_equivalent_mg_per_day"]) == doses


def test_float32_scalars_in_a_mapping():
    import numpy as np

    r = sledai.doris({"present": [], "pga": np.float32(0.3), "prednisone_mg_per_day": np.float32(2.3)})
    assert r.criterion("doris_pga").state == "met"
    assert "2.3" in r.criterion("doris_glucocorticoid").observed
    with pytest.raises(sledai.InvalidValueError, match="field `pga`: not a finite number"):
        sledai.doris({"present": [], "pga": np.float32("nan")})


# ------------------------------------------------------------ 12. pickling


def _examples():
    """One instance of every public class in ``sledai.__all__``."""
    visit = {"present": ["rash"], "pga": 0.4, "prednisone_mg_per_day": 5}
    target = sledai.lldas(visit)
    classification = sledai.classify({"ana": True, "criteria": {"leukopenia": True}})
    cohort = sledai.cohort([{"patient": "P", "date": "2024-01-01", "present": []}], at=90, window=14)
    err = sledai.InvalidValueError("row 2: field `pga`: bad")
    err.field, err.value, err.row = "pga", "9", 2
    unknown = sledai.UnknownDescriptorError("unknown descriptor `rsh`")
    unknown.name, unknown.suggestion = "rsh", "rash"
    return {
        "Descriptor": sledai.DESCRIPTORS[8],
        "TargetResult": target,
        "Criterion": target.criteria[0],
        "Classification": classification,
        "Domain": classification.domains[0],
        "CohortResult": cohort,
        "SledaiError": sledai.SledaiError("x"),
        "InvalidValueError": err,
        "UnknownDescriptorError": unknown,
        "IncompleteAssessmentError": sledai.IncompleteAssessmentError("incomplete"),
        "InvalidColumnError": sledai.InvalidColumnError("column"),
    }


def test_every_public_class_pickles():
    import inspect
    import pickle

    examples = _examples()
    classes = {n for n in sledai.__all__ if inspect.isclass(getattr(sledai, n))}
    assert classes == set(examples), classes ^ set(examples)
    for name, value in examples.items():
        back = pickle.loads(pickle.dumps(value))
        assert type(back) is type(value), name
        if isinstance(value, BaseException):
            assert (back.args, back.__dict__) == (value.args, value.__dict__), name
        else:
            assert back == value, name


def test_every_descriptor_pickles_to_itself():
    import copy
    import pickle

    for d in sledai.DESCRIPTORS:
        for back in (pickle.loads(pickle.dumps(d, protocol=p)) for p in range(pickle.HIGHEST_PROTOCOL + 1)):
            assert back == d and hash(back) == hash(d) and back.weight == d.weight
        assert copy.deepcopy(d) == d
    assert pickle.loads(pickle.dumps(sledai.DESCRIPTORS)) == sledai.DESCRIPTORS
