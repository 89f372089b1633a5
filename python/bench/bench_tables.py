"""Benchmark: sledai's table functions against hand-written peers (issue 11).

One run generates visit tables and times, on the same data:

1. ``sledai.assess_frame(df)`` (all 41 output columns, and with
   ``columns=`` the peers' 12) on P patients x V visits (default 10,000 x 50
   = 500,000 rows: the 24 descriptor columns, ``patient``, ``date``,
   ``pga``, ``prednisone_mg_per_day`` and the four LLDAS booleans) against
   the faster of two peers that implement the same per-visit rules: (a)
   vectorised pandas/numpy and (b) polars expressions. Both compute
   SLEDAI-2K and clinical SLEDAI (exact, or missing when the assessment is
   incomplete), the five LLDAS criteria (Franklyn 2016) and LLDAS, the three
   DORIS 2021 criteria and DORIS, each three-valued (met / not_met /
   indeterminate, coded 0 = not_met < 1 = indeterminate < 2 = met, so that
   "all criteria" is the minimum), with the rules of docs/targets.md:
   criterion 1 from the score range and the major-organ descriptors,
   criterion 2 from the patient's previous row (a descriptor present now
   that was assessed absent then; the first visit is indeterminate),
   PGA <= 1.0, prednisone <= 7.5 mg/day, maintenance tolerated and no
   investigational drug; DORIS clinical SLEDAI 0, PGA < 0.5, prednisone
   <= 5 mg/day. A peer returns typed columns (nullable Int16 totals,
   states as a pandas Categorical / polars Enum).
2. ``sledai.cohort(df, at=(90, 360), window=14)`` against a pandas groupby
   peer: sort by patient and date, the baseline is each patient's first
   visit (the generated data has no ``baseline`` or ``reference_date``
   column, so the marked-baseline rule never applies), study day = days
   since the baseline, the endpoint visit is the one closest to the target
   day within +/- 14 days (a tie goes to the earlier visit), its study day
   and the change from baseline (exact, or ``_min``/``_max`` when a total
   is a range), or "no visit in window".
3. ``sledai.score_frame(df)`` at 10,000 rows against numpy accumulation
   over the frame's columns, the ``df[name].to_numpy()`` extraction counted;
   and ``score_frame``'s fixed cost per call, both as the time of a 10-row
   call and as the intercept of a line through 10,000 and 100,000 rows.
4. ``sledai.score_frame(polars_df)`` at 1,000,000 rows against
   ``df.select(pl.sum_horizontal(pl.when(col).then(w).otherwise(0) ...))``.

Two data sets for 1 and 2: "complete" (every cell recorded; the only
indeterminate input is criterion 2 at each patient's first visit) and
"missing" (about 2% of descriptor cells, 5% of PGA and dose cells and 3%
of the LLDAS boolean cells not recorded, as pandas ``"boolean"`` NA and
float NaN / polars null). The peers implement the three-valued rules in
full, so they are checked on both.

Before anything is timed, every peer is checked against sledai row by row
(per visit: the two totals, every criterion, LLDAS, DORIS; per patient:
the baseline total and, at each endpoint, no-visit-in-window, the study
day of the visit chosen and the change; and the totals of the 10-row,
10,000-row and 1,000,000-row frames). A disagreement prints the rows and
stops the run.

Ratios are peer time / sledai time: >= 1 means sledai is faster. Every
time is the best of several runs (the machine is shared): ``--repeat``
(default 5) for the fast cases, ``--repeat-slow`` (default 5) for
assess_frame and cohort.

Not a test: benchmarks are never timed tests. ``--quick`` (about 10 s) is
for a smoke run.

Run: env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \\
         python python/bench/bench_tables.py [--quick] [--patients P] [--visits V]
         [--rows N] [--repeat R] [--repeat-slow R]
"""

from __future__ import annotations

import argparse
import datetime
import gc
import os
import platform
import sys
import time
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np
import pandas as pd
import polars as pl

import sledai

NAMES: List[str] = list(sledai.IDENTIFIERS)
WEIGHTS: Dict[str, int] = {d.identifier: d.weight for d in sledai.DESCRIPTORS}
SEROLOGY = ("low_complement", "increased_dna_binding")
CLINICAL = [n for n in NAMES if n not in SEROLOGY]
# LLDAS criterion 1 (docs/targets.md): CNS 1-7, vasculitis 8, renal 11-14,
# pleurisy 18, pericarditis 19, fever 22.
MAJOR = ["seizure", "psychosis", "organic_brain_syndrome", "visual_disturbance",
         "cranial_nerve_disorder", "lupus_headache", "cva", "vasculitis",
         "urinary_casts", "hematuria", "proteinuria", "pyuria",
         "pleurisy", "pericarditis", "fever"]
BOOLS = ["hemolytic_anemia", "gastrointestinal_activity", "maintenance_tolerated",
         "investigational_drug"]
STATES = ["not_met", "indeterminate", "met"]          # codes 0, 1, 2
CODE = {s: i for i, s in enumerate(STATES)}
LLDAS_CRITERIA = ["lldas_activity", "lldas_no_new_activity", "lldas_pga",
                  "lldas_glucocorticoid", "lldas_maintenance"]
DORIS_CRITERIA = ["doris_clinical_sledai", "doris_pga", "doris_glucocorticoid"]
STATE_COLUMNS = ["lldas", *LLDAS_CRITERIA, "doris", *DORIS_CRITERIA]
TOTAL_COLUMNS = ["sledai_2k", "clinical_sledai_2k"]
AT = (90, 360)
WINDOW = 14

assert len(MAJOR) == 15 and all(m in NAMES for m in MAJOR)


# ------------------------------------------------------------------ timing


#: CPU time (all threads of the process) of the best run of each `best` call,
#: by the order of the calls: sledai may use more than one core, the pandas
#: peers use one, so the table shows both.
CPU: List[float] = []


def best(fn: Callable[[], Any], repeat: int, number: int = 1) -> float:
    """Best wall time of `repeat` runs of `number` calls, in seconds per call
    (its CPU time per call appended to `CPU`)."""
    times: List[Tuple[float, float]] = []
    for _ in range(repeat):
        gc.collect()
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in range(number):
            fn()
        times.append(((time.perf_counter() - t0) / number, (time.process_time() - c0) / number))
    wall, cpu = min(times)
    CPU.append(cpu)
    return wall


# -------------------------------------------------------------------- data


def generate(patients: int, visits: int, seed: int = 2016) -> pd.DataFrame:
    """Complete visit table, rows patient-major and in date order per patient.

    Descriptors follow a per-patient Markov chain (a present descriptor
    stays present with probability 0.8 at the next visit), so that
    criterion 2 and LLDAS are met at a fair share of visits; visits are 7 to
    35 days apart, so endpoints at day 90 and 360 sometimes have no visit
    in the window and sometimes two at the same distance (ties).
    """
    rng = np.random.default_rng(seed)
    n = patients * visits
    rate = rng.choice([0.002, 0.01, 0.03, 0.08], size=patients, p=[0.3, 0.3, 0.25, 0.15])
    state = rng.random((patients, len(NAMES))) < 2 * rate[:, None]
    desc = np.empty((patients, visits, len(NAMES)), dtype=bool)
    for v in range(visits):
        if v:
            keep = rng.random((patients, len(NAMES))) < 0.8
            fresh = rng.random((patients, len(NAMES))) < rate[:, None]
            state = np.where(keep, state, fresh)
        desc[:, v, :] = state
    desc = desc.reshape(n, len(NAMES))

    gaps = rng.integers(7, 36, size=(patients, visits))
    gaps[:, 0] = rng.integers(0, 365, size=patients)          # first visit's offset from 2020-01-01
    days = np.cumsum(gaps, axis=1).reshape(n)
    data: Dict[str, Any] = {name: desc[:, i] for i, name in enumerate(NAMES)}
    data["patient"] = np.repeat(np.array([f"P{i:06d}" for i in range(patients)], dtype=object), visits)
    data["date"] = np.datetime64("2020-01-01", "ns") + days.astype("timedelta64[D]")
    data["pga"] = np.minimum(rng.geometric(0.25, size=n) - 1, 30) / 10
    data["prednisone_mg_per_day"] = rng.choice(
        [0.0, 2.5, 5.0, 5.1, 7.5, 7.6, 10.0, 20.0], size=n,
        p=[0.25, 0.15, 0.2, 0.05, 0.15, 0.05, 0.1, 0.05])
    data["hemolytic_anemia"] = rng.random(n) < 0.02
    data["gastrointestinal_activity"] = rng.random(n) < 0.02
    data["maintenance_tolerated"] = rng.random(n) < 0.95
    data["investigational_drug"] = rng.random(n) < 0.03
    return pd.DataFrame(data)


def with_missing(df: pd.DataFrame, seed: int = 2021) -> pd.DataFrame:
    """A copy with some cells not recorded: descriptors and the LLDAS booleans
    as pandas "boolean" with NA, PGA and dose as float NaN."""
    rng = np.random.default_rng(seed)
    n = len(df)
    out = df.copy()
    for name in NAMES:
        col = out[name].astype("boolean")
        col[rng.random(n) < 0.02] = pd.NA
        out[name] = col
    for name in BOOLS:
        col = out[name].astype("boolean")
        col[rng.random(n) < 0.03] = pd.NA
        out[name] = col
    for name in ("pga", "prednisone_mg_per_day"):
        out.loc[rng.random(n) < 0.05, name] = np.nan
    return out


# ---------------------------------------------------- peer: pandas + numpy


def _bool_cells(s: pd.Series) -> Tuple[np.ndarray, Optional[np.ndarray]]:
    """(true, missing) arrays of a bool or nullable boolean column;
    missing is None for a column that cannot hold NA."""
    if s.dtype == bool:
        return s.to_numpy(), None
    return s.to_numpy(dtype=bool, na_value=False), s.isna().to_numpy()


def _tri(met: np.ndarray, not_met: np.ndarray) -> np.ndarray:
    """Three-valued code: not_met wins, then met, else indeterminate."""
    code = np.ones(len(met), dtype=np.int8)
    code[met] = 2
    code[not_met] = 0
    return code


def _yes_no(s: pd.Series) -> Tuple[np.ndarray, np.ndarray]:
    """(known True, known False) of a boolean column."""
    true, missing = _bool_cells(s)
    false = ~true if missing is None else ~true & ~missing
    return true, false


def pandas_totals(df: pd.DataFrame) -> Tuple[np.ndarray, ...]:
    """Per row: SLEDAI-2K low/high, clinical low/high (int16), and the
    (present, missing) arrays of every descriptor."""
    n = len(df)
    lo = np.zeros(n, dtype=np.int16)
    hi = np.zeros(n, dtype=np.int16)
    clo = np.zeros(n, dtype=np.int16)
    chi = np.zeros(n, dtype=np.int16)
    cells = {}
    for name in NAMES:
        p, m = _bool_cells(df[name])
        cells[name] = (p, m)
        w = WEIGHTS[name]
        wp = p * np.int16(w)
        lo += wp
        hi += wp
        if m is not None:
            hi += m * np.int16(w)
        if name not in SEROLOGY:
            clo += wp
            chi += wp
            if m is not None:
                chi += m * np.int16(w)
    return lo, hi, clo, chi, cells


def peer_pandas_assess(df: pd.DataFrame) -> pd.DataFrame:
    """(a) vectorised pandas + numpy: the per-visit rules of docs/targets.md."""
    n = len(df)
    lo, hi, clo, chi, cells = pandas_totals(df)

    # The patient's previous row (any row order; rows of a patient in date
    # order, as assess_frame requires): one groupby shift of the positions.
    prev = pd.Series(np.arange(n)).groupby(df["patient"].to_numpy(), sort=False).shift().to_numpy()
    first = np.isnan(prev)
    prev_i = np.where(first, 0, prev).astype(np.intp)

    # Criterion 1: score range and major-organ activity.
    major_present = np.zeros(n, dtype=bool)
    major_missing = np.zeros(n, dtype=bool)
    for name in MAJOR:
        p, m = cells[name]
        major_present |= p
        if m is not None:
            major_missing |= m
    hem_t, hem_f = _yes_no(df["hemolytic_anemia"])
    gi_t, gi_f = _yes_no(df["gastrointestinal_activity"])
    c1 = _tri(met=(hi <= 4) & ~major_present & ~major_missing & hem_f & gi_f,
              not_met=(lo > 4) | major_present | hem_t | gi_t)

    # Criterion 2: a descriptor present now and assessed absent at the previous row.
    new = np.zeros(n, dtype=bool)
    ok = np.ones(n, dtype=bool)
    for name in NAMES:
        p, m = cells[name]
        pp = p[prev_i]
        if m is None:
            new |= p & ~pp
            ok &= ~p | pp
        else:
            pm = m[prev_i]
            new |= p & ~pp & ~pm
            ok &= (~p & ~m) | pp
    c2 = _tri(met=ok & ~first, not_met=new & ~first)

    pga = df["pga"].to_numpy(dtype=float, na_value=np.nan)
    pred = df["prednisone_mg_per_day"].to_numpy(dtype=float, na_value=np.nan)
    pga_known = ~np.isnan(pga)
    pred_known = ~np.isnan(pred)
    c3 = _tri(met=pga_known & (pga <= 1.0), not_met=pga_known & (pga > 1.0))
    c4 = _tri(met=pred_known & (pred <= 7.5), not_met=pred_known & (pred > 7.5))
    mt_t, mt_f = _yes_no(df["maintenance_tolerated"])
    inv_t, inv_f = _yes_no(df["investigational_drug"])
    c5 = _tri(met=mt_t & inv_f, not_met=mt_f | inv_t)
    lldas = np.minimum.reduce([c1, c2, c3, c4, c5])

    d1 = _tri(met=chi == 0, not_met=clo > 0)
    d2 = _tri(met=pga_known & (pga < 0.5), not_met=pga_known & (pga >= 0.5))
    d3 = _tri(met=pred_known & (pred <= 5.0), not_met=pred_known & (pred > 5.0))
    doris = np.minimum.reduce([d1, d2, d3])

    def state(code: np.ndarray) -> pd.Categorical:
        return pd.Categorical.from_codes(code, categories=STATES)

    return pd.DataFrame({
        "sledai_2k": pd.arrays.IntegerArray(lo, lo != hi),
        "clinical_sledai_2k": pd.arrays.IntegerArray(clo, clo != chi),
        "lldas": state(lldas),
        "lldas_activity": state(c1), "lldas_no_new_activity": state(c2),
        "lldas_pga": state(c3), "lldas_glucocorticoid": state(c4),
        "lldas_maintenance": state(c5),
        "doris": state(doris),
        "doris_clinical_sledai": state(d1), "doris_pga": state(d2),
        "doris_glucocorticoid": state(d3),
    })


def peer_pandas_cohort(df: pd.DataFrame, at: Sequence[int], window: int) -> pd.DataFrame:
    """pandas groupby: baseline (first visit by date), endpoints closest to
    each target day within the window (ties: the earlier visit), change from
    baseline. One row per patient, in patient order."""
    lo, hi, _, _, _ = pandas_totals(df)
    d = pd.DataFrame({"patient": df["patient"].to_numpy(), "date": df["date"].to_numpy(),
                      "lo": lo, "hi": hi})
    d = d.sort_values(["patient", "date"], kind="stable", ignore_index=True)
    base = d.drop_duplicates("patient").set_index("patient")
    day = (d["date"] - d.groupby("patient", sort=False)["date"].transform("first")).dt.days
    d["day"] = day
    out = pd.DataFrame(index=base.index)
    exact = base["lo"] == base["hi"]
    out["baseline_sledai_2k"] = base["lo"].astype("Int64").where(exact)
    for target in at:
        dist = (day - target).abs()
        inside = dist <= window
        # Unique per patient (no two visits on one date): distance, then earlier.
        key = (dist * 2 + (day > target))[inside]
        idx = key.groupby(d["patient"][inside], sort=False).idxmin()
        ep = d.loc[idx.to_numpy()].set_index("patient").reindex(out.index)
        cmin = (ep["lo"] - base["hi"]).astype("Int64")
        cmax = (ep["hi"] - base["lo"]).astype("Int64")
        out[f"day{target}_no_visit_in_window"] = ep["lo"].isna()
        out[f"day{target}_study_day"] = ep["day"].astype("Int64")
        out[f"day{target}_change"] = cmin.where(cmin == cmax)
        out[f"day{target}_change_min"] = cmin.where(cmin != cmax)
        out[f"day{target}_change_max"] = cmax.where(cmin != cmax)
    return out.reset_index()


# ---------------------------------------------------------- peer: polars


def _pl_tri(met: pl.Expr, not_met: pl.Expr) -> pl.Expr:
    return pl.when(not_met).then(0).when(met).then(2).otherwise(1).cast(pl.Int8)


def _pl_sum(exprs: List[pl.Expr]) -> pl.Expr:
    return pl.sum_horizontal(exprs).cast(pl.Int16)


def peer_polars_assess(df: pl.DataFrame) -> pl.DataFrame:
    """(b) polars expressions: the same rules as peer_pandas_assess."""
    c = pl.col
    present = {n: c(n).fill_null(False) for n in NAMES}
    missing = {n: c(n).is_null() for n in NAMES}
    prev = {n: c(n).shift(1).over("patient") for n in NAMES}

    def weighted(names: Sequence[str], cell: Dict[str, pl.Expr]) -> pl.Expr:
        return _pl_sum([pl.when(cell[n]).then(WEIGHTS[n]).otherwise(0) for n in names])

    def known_true(name: str) -> pl.Expr:
        return c(name).fill_null(False)

    def known_false(name: str) -> pl.Expr:
        return (~c(name)).fill_null(False)

    stage1 = df.lazy().select(
        lo=weighted(NAMES, present),
        miss=weighted(NAMES, missing),
        clo=weighted(CLINICAL, present),
        cmiss=weighted(CLINICAL, missing),
        major_present=pl.any_horizontal([present[n] for n in MAJOR]),
        major_missing=pl.any_horizontal([missing[n] for n in MAJOR]),
        # new: present now, assessed absent before; ok: absent now or present before.
        new=pl.any_horizontal([present[n] & (~prev[n]).fill_null(False) for n in NAMES]),
        ok=pl.all_horizontal([(~c(n)).fill_null(False) | prev[n].fill_null(False) for n in NAMES]),
        first=c("patient").is_first_distinct(),
        pga=c("pga").fill_nan(None),
        pred=c("prednisone_mg_per_day").fill_nan(None),
        hem_t=known_true("hemolytic_anemia"), hem_f=known_false("hemolytic_anemia"),
        gi_t=known_true("gastrointestinal_activity"), gi_f=known_false("gastrointestinal_activity"),
        mt_t=known_true("maintenance_tolerated"), mt_f=known_false("maintenance_tolerated"),
        inv_t=known_true("investigational_drug"), inv_f=known_false("investigational_drug"),
    )
    stage2 = stage1.select(
        sledai_2k=pl.when(c("miss") == 0).then(c("lo")),
        clinical_sledai_2k=pl.when(c("cmiss") == 0).then(c("clo")),
        lldas_activity=_pl_tri(
            met=((c("lo") + c("miss")) <= 4) & ~c("major_present") & ~c("major_missing")
            & c("hem_f") & c("gi_f"),
            not_met=(c("lo") > 4) | c("major_present") | c("hem_t") | c("gi_t")),
        lldas_no_new_activity=_pl_tri(met=c("ok") & ~c("first"), not_met=c("new") & ~c("first")),
        lldas_pga=_pl_tri(met=(c("pga") <= 1.0).fill_null(False), not_met=(c("pga") > 1.0).fill_null(False)),
        lldas_glucocorticoid=_pl_tri(met=(c("pred") <= 7.5).fill_null(False),
                                     not_met=(c("pred") > 7.5).fill_null(False)),
        lldas_maintenance=_pl_tri(met=c("mt_t") & c("inv_f"), not_met=c("mt_f") | c("inv_t")),
        doris_clinical_sledai=_pl_tri(met=(c("clo") + c("cmiss")) == 0, not_met=c("clo") > 0),
        doris_pga=_pl_tri(met=(c("pga") < 0.5).fill_null(False), not_met=(c("pga") >= 0.5).fill_null(False)),
        doris_glucocorticoid=_pl_tri(met=(c("pred") <= 5.0).fill_null(False),
                                     not_met=(c("pred") > 5.0).fill_null(False)),
    ).with_columns(
        lldas=pl.min_horizontal(LLDAS_CRITERIA),
        doris=pl.min_horizontal(DORIS_CRITERIA),
    )
    enum = pl.Enum(STATES)
    return stage2.select(
        *TOTAL_COLUMNS,
        *[c(s).replace_strict([0, 1, 2], STATES, return_dtype=enum) for s in STATE_COLUMNS],
    ).collect()


# ------------------------------------------------------------- agreement


def _codes(column: Any) -> np.ndarray:
    """State column (text, Categorical or Enum) -> the peers' int8 codes
    (``STATES`` order), -1 for missing, whatever order the column's own
    categories are in (sledai's: the core's vocabulary)."""
    if isinstance(column, pl.Series):
        if column.dtype == pl.Enum(STATES):
            return column.to_physical().fill_null(-1).to_numpy().astype(np.int8)
        if isinstance(column.dtype, pl.Enum):
            cats = column.dtype.categories.to_list()
            remap = np.array([CODE[c] for c in cats] + [-1], dtype=np.int8)
            phys = column.to_physical().cast(pl.Int64).fill_null(len(cats)).to_numpy()
            return remap[phys]
        column = column.to_pandas()
    s = pd.Series(column)
    if isinstance(s.dtype, pd.CategoricalDtype):
        remap = np.array([CODE[c] for c in s.cat.categories] + [-1], dtype=np.int8)
        codes = s.cat.codes.to_numpy().astype(np.int64)
        return remap[np.where(codes < 0, len(s.cat.categories), codes)]
    return s.map(CODE).fillna(-1).to_numpy().astype(np.int8)


def _ints(column: Any) -> np.ndarray:
    """Nullable integer column -> int64, -999 for missing."""
    if isinstance(column, pl.Series):
        return column.cast(pl.Int64).fill_null(-999).to_numpy()
    return pd.Series(column).astype("Int64").fillna(-999).to_numpy(dtype=np.int64)


def check_same(what: str, expected: Any, got: Any, columns: Sequence[str],
               context: Optional[pd.DataFrame] = None) -> None:
    """Every row of every column equal, else print the rows and stop."""
    for name in columns:
        conv = _codes if name in STATE_COLUMNS or name.endswith(("_lldas", "_doris")) else _ints
        a, b = conv(expected[name]), conv(got[name])
        if len(a) != len(b):
            sys.exit(f"DISAGREEMENT {what}: column {name}: {len(a)} rows in sledai, {len(b)} in the peer")
        bad = np.flatnonzero(a != b)
        if len(bad):
            print(f"DISAGREEMENT {what}: column {name}: {len(bad)} of {len(a)} rows differ; first rows:")
            for i in bad[:5]:
                print(f"  row {i}: sledai {a[i]}, peer {b[i]}")
                if context is not None:
                    print("   ", context.iloc[max(0, i - 1): i + 1].to_dict("records"))
            sys.exit(1)


def count_ties(df: pd.DataFrame, at: Sequence[int], window: int) -> int:
    """Endpoints with two visits at the same distance from the target day
    (one before, one after): the cases where the tie rule decides."""
    day = (df["date"] - df.groupby("patient", sort=False)["date"].transform("first")).dt.days
    ties = 0
    for target in at:
        dist = (day - target).abs()
        inside = dist <= window
        closest = dist[inside].groupby(df["patient"][inside]).transform("min")
        ties += int((dist[inside] == closest).groupby(df["patient"][inside]).sum().gt(1).sum())
    return ties


# ---------------------------------------------------------------- run


def machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    load = " ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return f"{model}, {os.cpu_count()} cpu(s), {platform.system()} {platform.release()}, load average {load}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--visits", type=int, default=50)
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the polars score_frame case")
    parser.add_argument("--small-rows", type=int, default=10_000, help="rows of the pandas score_frame case")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--repeat-slow", type=int, default=5)
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: 400 patients x 25 visits, 100,000 polars rows, 2 repeats")
    args = parser.parse_args()
    if args.quick:
        args.patients, args.visits, args.rows = 400, 25, 100_000
        args.repeat, args.repeat_slow = 2, 1
    r, rs = args.repeat, args.repeat_slow

    print(f"date {datetime.datetime.now().isoformat(timespec='seconds')}")
    print(f"python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}, "
          f"polars {pl.__version__}, sledai {getattr(sledai, '__version__', '?')}")
    print(f"machine: {machine()}")
    print(f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE')} "
          f"OPENBLAS_L2_SIZE={os.environ.get('OPENBLAS_L2_SIZE')}")
    print(f"patients {args.patients:,} x visits {args.visits:,}; best of {r} (fast) / {rs} (slow)")
    print()

    t0 = time.perf_counter()
    complete = generate(args.patients, args.visits)
    variants = {"complete": complete, "missing": with_missing(complete)}
    print(f"generated in {time.perf_counter() - t0:.1f} s")

    rows: List[Tuple[str, int, float, float, float, float]] = []   # label, n, sledai, pandas, polars, sledai CPU

    # 1. assess_frame --------------------------------------------------------
    share: Dict[str, str] = {}
    for label, df in variants.items():
        pldf = pl.from_pandas(df)
        out = sledai.assess_frame(df)
        check_same(f"assess_frame/{label}/pandas peer", out, peer_pandas_assess(df),
                   TOTAL_COLUMNS + STATE_COLUMNS, context=df)
        check_same(f"assess_frame/{label}/polars peer", out, peer_polars_assess(pldf),
                   TOTAL_COLUMNS + STATE_COLUMNS, context=df)
        out_pl = sledai.assess_frame(pldf)
        check_same(f"assess_frame/{label}/sledai on polars", out, out_pl, TOTAL_COLUMNS + STATE_COLUMNS)
        codes = {s: np.bincount(_codes(out[s]), minlength=3) for s in ("lldas", "doris")}
        share[label] = ", ".join(
            f"{s} " + "/".join(f"{v / len(df):.0%}" for v in codes[s][::-1]) for s in codes)
        same = TOTAL_COLUMNS + STATE_COLUMNS
        check_same(f"assess_frame/{label}/columns=", out, sledai.assess_frame(df, columns=same), same)
        t_s = best(lambda: sledai.assess_frame(df), rs)
        c_s = CPU[-1]
        t_pd = best(lambda: peer_pandas_assess(df), r)
        t_pl = best(lambda: peer_polars_assess(pldf), r)
        rows.append((f"assess_frame, {label}", len(df), t_s, t_pd, t_pl, c_s))
        # The peers' own columns only (columns=): the same work, not the
        # 41 columns of the full layout (BICLA, SRI-k, DORIS 2017, ...).
        t_same = best(lambda: sledai.assess_frame(df, columns=same), rs)
        rows.append((f"assess_frame, {label}, the peers' {len(same)} columns", len(df), t_same, t_pd, t_pl,
                     CPU[-1]))
        t_spl = best(lambda: sledai.assess_frame(pldf), rs)
        rows.append((f"assess_frame, {label}, polars in/out", len(df), t_spl, float("nan"), t_pl, CPU[-1]))
        del pldf, out, out_pl

    # 2. cohort --------------------------------------------------------------
    cohort_cols = ["baseline_sledai_2k"] + [
        f"day{d}_{k}" for d in AT
        for k in ("no_visit_in_window", "study_day", "change", "change_min", "change_max")]
    endpoint_share: Dict[str, str] = {}
    for label, df in variants.items():
        patients, _ = sledai.cohort(df, at=AT, window=WINDOW)
        peer = peer_pandas_cohort(df, AT, WINDOW)
        assert patients["patient"].tolist() == peer["patient"].tolist()
        check_same(f"cohort/{label}/pandas peer", patients, peer, cohort_cols,
                   context=peer)
        endpoint_share[label] = ", ".join(
            f"day {d}: {1 - patients[f'day{d}_no_visit_in_window'].mean():.0%} with a visit" for d in AT
        ) + f"; {count_ties(df, AT, WINDOW)} endpoints decided by the tie rule"
        t_s = best(lambda: sledai.cohort(df, at=AT, window=WINDOW), rs)
        c_s = CPU[-1]
        t_pd = best(lambda: peer_pandas_cohort(df, AT, WINDOW), r)
        rows.append((f"cohort (90, 360 +/- 14), {label}", len(df), t_s, t_pd, float("nan"), c_s))
    del variants, df

    # 3. score_frame on pandas, small -----------------------------------------
    rng = np.random.default_rng(5)
    weights = [WEIGHTS[n] for n in NAMES]

    def bool_frame(n: int) -> pd.DataFrame:
        return pd.DataFrame({name: rng.random(n) < 0.1 for name in NAMES})

    def numpy_from_frame(frame: pd.DataFrame) -> np.ndarray:
        acc = np.zeros(len(frame), dtype=np.uint8)
        tmp = np.empty_like(acc)
        for name, w in zip(NAMES, weights):
            np.multiply(frame[name].to_numpy().view(np.uint8), w, out=tmp)
            acc += tmp
        return acc

    n_small, n_mid = args.small_rows, 10 * args.small_rows
    small, mid, tiny = bool_frame(n_small), bool_frame(n_mid), bool_frame(10)
    for frame in (small, mid, tiny):
        assert np.array_equal(sledai.score_frame(frame), numpy_from_frame(frame))
    calls = max(1, 2_000_000 // n_small)                # about 0.1 s per repeat
    t_s = best(lambda: sledai.score_frame(small), r, calls)
    c_s = CPU[-1]
    t_np = best(lambda: numpy_from_frame(small), r, calls)
    rows.append(("score_frame, pandas bool", n_small, t_s, t_np, float("nan"), c_s))
    t_mid = best(lambda: sledai.score_frame(mid), r, max(1, calls // 10))
    t_tiny = best(lambda: sledai.score_frame(tiny), r, 2000)
    c_tiny = CPU[-1]
    t_np_tiny = best(lambda: numpy_from_frame(tiny), r, 2000)
    rows.append(("score_frame, pandas bool", 10, t_tiny, t_np_tiny, float("nan"), c_tiny))
    intercept = t_s - (t_mid - t_s) / (n_mid - n_small) * n_small

    # 4. score_frame on polars, large -----------------------------------------
    plf = pl.DataFrame({name: rng.random(args.rows) < 0.1 for name in NAMES})
    expr = pl.sum_horizontal([pl.when(pl.col(n)).then(w).otherwise(0) for n, w in zip(NAMES, weights)])
    got = sledai.score_frame(plf)
    assert np.array_equal(np.asarray(got), plf.select(expr).to_series().to_numpy())
    t_s = best(lambda: sledai.score_frame(plf), r)
    c_s = CPU[-1]
    t_pl = best(lambda: plf.select(expr), r)
    rows.append(("score_frame, polars Boolean", args.rows, t_s, float("nan"), t_pl, c_s))

    # Table -----------------------------------------------------------------
    def fmt(t: float) -> str:
        if t != t:
            return "-"
        return f"{t:.3f} s" if t >= 0.1 else f"{t * 1e3:.3f} ms" if t >= 1e-4 else f"{t * 1e6:.1f} us"

    print()
    print("agreement: every peer equals sledai on every row/patient checked (totals, "
          "LLDAS/DORIS and their criteria; baseline, endpoint changes)")
    for label, text in share.items():
        print(f"  assess_frame {label}: met/indeterminate/not_met: {text}")
    for label, text in endpoint_share.items():
        print(f"  cohort {label}: {text}")
    print()
    head = (f"| {'case':<42} | {'rows':>9} | {'sledai':>10} | {'sledai CPU':>10} | {'pandas peer':>11} "
            f"| {'polars peer':>11} | {'ratio':>6} |")
    print(head)
    print("|" + "|".join("-" * (len(p)) for p in head.split("|")[1:-1]) + "|")
    for label, n, ts, tpd, tpl, cs in rows:
        peer = np.nanmin([tpd, tpl])
        print(f"| {label:<42} | {n:>9,} | {fmt(ts):>10} | {fmt(cs):>10} | {fmt(tpd):>11} | {fmt(tpl):>11} "
              f"| {peer / ts:>6.2f} |")
    print()
    print("ratio = faster peer / sledai, wall time (>= 1: sledai is faster); "
          "\"polars in/out\" rows time sledai on the polars frame;")
    print(f"sledai CPU = its CPU time, all threads ({os.cpu_count()} cores here); the pandas peers "
          "run on one core, polars on all")
    print(f"score_frame fixed cost per call: {t_tiny * 1e6:.1f} us at 10 rows; intercept "
          f"{intercept * 1e6:.1f} us from {n_small:,} and {n_mid:,} rows "
          f"({fmt(t_mid)} at {n_mid:,}); target < 50 us")


if __name__ == "__main__":
    main()
