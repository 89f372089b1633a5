"""Benchmark: sledai.score_frame against the numpy and pandas idioms.

Builds a 1,000,000-row pandas DataFrame of the 24 boolean descriptor columns
and times, in one run:

- sledai.score_frame(df)                       (validated, nullable-aware)
- (a) the fastest pure-numpy expression: accumulate
      ``column.view(np.uint8) * weight`` into a uint8 array (no validation,
      no missing values)
- (b) ``df[cols].to_numpy() @ weights``
- (c) a row-wise ``df.apply`` of a plain Python scoring function, on
      100,000 rows, scaled to 1,000,000
- sledai.score_frame on the same data as pandas "boolean" (nullable)
  columns without NA, and with 1% NA (incomplete rows)
- sledai.score_frame on a polars DataFrame

Each timing is the best of several repeats (the machine is shared). The
script checks that every method gives the same totals before timing.

Run: python python/bench/bench_score_frame.py [--rows N] [--repeat R]
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from typing import Any, Callable, List

import numpy as np
import pandas as pd

import sledai

NAMES = list(sledai.IDENTIFIERS)
WEIGHTS = np.array([d.weight for d in sledai.DESCRIPTORS], dtype=np.uint8)


def best(fn: Callable[[], Any], repeat: int, number: int = 1) -> float:
    """Best wall time of `repeat` runs of `number` calls, in seconds per call."""
    times: List[float] = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        times.append((time.perf_counter() - t0) / number)
    return min(times)


def numpy_accumulate(arrays: List[np.ndarray]) -> np.ndarray:
    """(a): the fastest pure-numpy expression found (uint8 in place)."""
    acc = np.zeros(len(arrays[0]), dtype=np.uint8)
    tmp = np.empty_like(acc)
    for column, w in zip(arrays, WEIGHTS):
        np.multiply(column.view(np.uint8), w, out=tmp)
        acc += tmp
    return acc


def numpy_accumulate_plain(arrays: List[np.ndarray]) -> np.ndarray:
    """(a), as the issue words it: ``acc += column.view(np.uint8) * weight``."""
    acc = np.zeros(len(arrays[0]), dtype=np.uint8)
    for column, w in zip(arrays, WEIGHTS):
        acc += column.view(np.uint8) * w
    return acc


def python_row(row: pd.Series) -> int:
    """(c): a plain Python scoring function, row by row."""
    total = 0
    for name, w in zip(NAMES, WEIGHTS.tolist()):
        if row[name]:
            total += w
    return total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--apply-rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    n = args.rows

    rng = np.random.default_rng(2002)
    cols = {name: rng.random(n) < 0.1 for name in NAMES}
    df = pd.DataFrame(cols)
    arrays = [df[name].to_numpy() for name in NAMES]

    nullable = df.astype("boolean")
    with_na = nullable.copy()
    na_rows = rng.random(n) < 0.01
    with_na.loc[na_rows, "fever"] = pd.NA

    # Every method must agree before anything is timed.
    expect = np.column_stack(arrays).astype(np.int64) @ WEIGHTS.astype(np.int64)
    got = sledai.score_frame(df)
    assert np.array_equal(got, expect)
    assert np.array_equal(numpy_accumulate(arrays), expect)
    assert np.array_equal(numpy_accumulate_plain(arrays), expect)
    assert np.array_equal(df[NAMES].to_numpy() @ WEIGHTS.astype(np.int64), expect)
    assert np.array_equal(sledai.score_frame(nullable), expect)
    got_na = sledai.score_frame(with_na)
    assert got_na.isna().sum() == int(na_rows.sum())
    assert np.array_equal(got_na[~na_rows].to_numpy(dtype=np.int64), expect[~na_rows])
    small = df.iloc[: args.apply_rows]
    assert np.array_equal(small.apply(python_row, axis=1).to_numpy(), expect[: args.apply_rows])

    r = args.repeat
    t_sledai = best(lambda: sledai.score_frame(df), r)
    t_a_out = best(lambda: numpy_accumulate(arrays), r)
    t_a_plain = best(lambda: numpy_accumulate_plain(arrays), r)
    t_a = min(t_a_out, t_a_plain)
    t_b = best(lambda: df[NAMES].to_numpy() @ WEIGHTS, max(3, r // 3))
    t_c = best(lambda: small.apply(python_row, axis=1), 1) * (n / args.apply_rows)
    t_nullable = best(lambda: sledai.score_frame(nullable), r)
    t_with_na = best(lambda: sledai.score_frame(with_na), r)
    t_dict = best(lambda: sledai.score_frame(cols), r)
    try:
        import polars as pl

        plf = pl.DataFrame(cols)
        assert np.array_equal(sledai.score_frame(plf), expect)
        t_polars = best(lambda: sledai.score_frame(plf), r)
    except ImportError:  # polars is optional
        t_polars = float("nan")

    def ms(t: float) -> str:
        return f"{t * 1e3:10.2f} ms"

    print(f"rows: {n:,}; best of {r}; numpy {np.__version__}, pandas {pd.__version__}, "
          f"python {platform.python_version()}, {os.cpu_count()} cpu(s)")
    try:
        from threadpoolctl import threadpool_info

        blas = [(i.get("internal_api"), i.get("architecture")) for i in threadpool_info()]
        print(f"BLAS: {blas}; OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE')}")
    except ImportError:
        pass
    print(f"sledai.score_frame, pandas bool          {ms(t_sledai)}")
    print(f"sledai.score_frame, dict of numpy bool   {ms(t_dict)}")
    print(f"sledai.score_frame, polars Boolean       {ms(t_polars)}")
    print(f"sledai.score_frame, pandas boolean (NA-capable, no NA) {ms(t_nullable)}")
    print(f"sledai.score_frame, pandas boolean, 1% rows NA         {ms(t_with_na)}")
    print(f"(a) numpy acc += col.view(u8) * w        {ms(t_a_plain)}")
    print(f"(a) same with out= (no temporaries)      {ms(t_a_out)}")
    print(f"(b) df[cols].to_numpy() @ weights        {ms(t_b)}")
    print(f"(c) df.apply(python_row), scaled         {ms(t_c)}")
    print()
    print(f"ratio (a) / score_frame        {t_a / t_sledai:8.2f}   target >= 1.0 (faster (a) variant)")
    print(f"ratio (b) / score_frame        {t_b / t_sledai:8.1f}   target >= 10")
    print(f"ratio (c) / score_frame        {t_c / t_sledai:8.0f}   target >= 1000")
    print(f"nullable / plain (no NA)       {t_nullable / t_sledai:8.2f}   target <= 2")
    print(f"nullable / plain (1% NA)       {t_with_na / t_sledai:8.2f}   target <= 2")


if __name__ == "__main__":
    main()
