"""The cell grammar at the Python surface (issue 11, "Cells, once").

Every bad cell of ``cli/tests/golden/bad_cells.tsv`` (written by hand from
docs/formats.md; ``cli/tests/it/cells.rs`` runs the same table through
``sledai score``) raises ``InvalidValueError`` with the frame's index label,
the column and the same message body as the command-line tool: the CLI
writes ``FILE:LINE: field `COLUMN`: BODY``, Python ``row LABEL: COLUMN: BODY``.
"""

from __future__ import annotations

import pathlib

import pandas as pd
import polars as pl
import pytest

import sledai

from conftest import NAMES

ROOT = pathlib.Path(__file__).resolve().parents[2]


def bad_cells():
    lines = [l for l in (ROOT / "cli" / "tests" / "golden" / "bad_cells.tsv").read_text().splitlines()
             if not l.startswith("#")]
    assert lines[0] == "column\tcell\tmessage"
    rows = [tuple(l.split("\t")) for l in lines[1:]]
    assert len(rows) >= 10 and all(len(r) == 3 for r in rows)
    return rows


def frame(column, cell, index=None):
    data = {n: [0] for n in NAMES}
    # A string column: the cell as written, as a CSV reader would give it.
    data[column] = pd.array([cell], dtype=object)
    return pd.DataFrame(data, index=index)


@pytest.mark.parametrize("column,cell,message", bad_cells())
def test_a_bad_cell_reads_as_in_the_cli(column, cell, message):
    with pytest.raises(sledai.InvalidValueError) as e:
        sledai.assess_frame(frame(column, cell))
    assert str(e.value) == f"row 0: {column}: {message}"
    assert e.value.row == 0 and e.value.field == column
    # The frame's index label, not the position.
    with pytest.raises(sledai.InvalidValueError) as e:
        sledai.assess_frame(frame(column, cell, index=["v-12"]))
    assert str(e.value) == f"row 'v-12': {column}: {message}"
    # A polars string column says the same.
    with pytest.raises(sledai.InvalidValueError) as e:
        sledai.assess_frame(pl.DataFrame({**{n: [0] for n in NAMES}, column: pl.Series([cell], dtype=pl.Utf8)}))
    assert str(e.value) == f"row 0: {column}: {message}"


@pytest.mark.parametrize("column,cell,message", [r for r in bad_cells() if r[0] in NAMES])
def test_a_bad_descriptor_cell_reads_the_same_in_score_frame(column, cell, message):
    with pytest.raises(sledai.InvalidValueError) as e:
        sledai.score_frame(frame(column, cell))
    assert str(e.value) == f"row 0: {column}: {message}"


def test_the_good_spellings_are_read_alike():
    # docs/formats.md: present, absent, not recorded; rash weighs 2
    # (docs/reference.md section 1.2).
    cells = ["1", "true", "TRUE", "Yes", " yes ", "y", "Y", 1,
             "0", "false", "False", "NO", "n", " N ", 0,
             "", "  ", "NA", "na", "null", "NULL", None]
    out = sledai.assess_frame(pd.DataFrame({**{n: [0] * len(cells) for n in NAMES},
                                            "rash": pd.array(cells, dtype=object)}))
    exact = [2] * 8 + [0] * 7 + [None] * 7
    got = [None if pd.isna(x) else int(x) for x in out["sledai_2k"]]
    assert got == exact
    assert [int(x) for x in out["sledai_2k_max"][15:]] == [2] * 7
