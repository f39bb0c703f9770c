"""Benchmark (not a test): indicators assessed per second, assess_frame and assess_many against a plain assess() loop.

    .venv/bin/python bench/bench_engine.py [--rows 10000 1000000] [--loop-sample 20000]
    .venv/bin/python bench/bench_engine.py --threshold   # where assess_many's numpy path starts to pay

The per-row loop is timed on at most --loop-sample rows of each frame and its rate extrapolated
(saying so); assess_many and assess_many_columns (full Assessments) run on the same rows,
assess_frame on every row.
Rows mimic a master workbook: mostly plain numbers, some typed text (`88 949`, `15%`), ranges,
relative-to-baseline forecasts, milestones, overrides.
"""
from __future__ import annotations

import argparse
import random
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pandas as pd  # noqa: E402

import engine  # noqa: E402


def make_rows(n: int, seed: int = 2016) -> pd.DataFrame:
    rnd = random.Random(seed)
    units = ["count", "money", "hours", "percent", "percent_change", "milestone"]
    rows = {k: [] for k in ("id", "unit", "baseline", "forecast", "actual", "sample_size", "direction", "override", "justification")}
    for i in range(n):
        unit = rnd.choices(units, weights=[40, 20, 10, 15, 5, 10])[0]
        kind = rnd.random()
        if unit == "milestone":
            baseline, forecast, actual = 0, rnd.choice([0, 1]), rnd.choice([0, 1])
        elif unit in ("percent", "percent_change"):
            baseline = round(rnd.uniform(0, 60), 1)
            forecast = round(baseline + rnd.uniform(-5, 10), 1)
            actual = round(forecast + rnd.gauss(0, 3), 1)
        else:
            baseline = rnd.randint(50, 100_000)
            forecast = int(baseline * rnd.uniform(0.9, 1.2))
            actual = int(forecast * rnd.gauss(1, 0.05))
        if kind < 0.03:  # typed text, as in the seed
            forecast = f"{forecast:,}".replace(",", " ") if isinstance(forecast, int) else f"{forecast}%".replace(".", ",")
        elif kind < 0.04 and unit == "hours":
            forecast, actual = "35 – 70>", rnd.choice(["35 – 70>", 75, 30])
        elif kind < 0.05 and unit == "percent":
            forecast = "+ 2% (salīdzinājumā ar 2012.gadu)"
        rows["id"].append(f"X.{i}")
        rows["unit"].append(unit)
        rows["baseline"].append(baseline)
        rows["forecast"].append(forecast)
        rows["actual"].append(actual)
        rows["sample_size"].append(rnd.choice([None, None, None, 50, 500]))
        rows["direction"].append(rnd.choice([None] * 8 + ["lower_is_better", "closer_is_better"]))
        override = "-" if rnd.random() < 0.005 else None
        rows["override"].append(override)
        rows["justification"].append("pamatojums" if override or rnd.random() < 0.5 else None)
    return pd.DataFrame(rows, dtype=object)


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 1_000_000])
    parser.add_argument("--loop-sample", type=int, default=20_000, help="rows the per-row loop is timed on (default 20 000)")
    parser.add_argument("--threshold", action="store_true", help="time the loop and the numpy path from 100 to 20 000 rows")
    args = parser.parse_args()
    if args.threshold:
        threshold([100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000])
        return
    rules = engine.default_rules()
    print(f"radit engine {engine.__version__}, rules {rules.name}, Python {sys.version.split()[0]}, pandas {pd.__version__}")
    for n in args.rows:
        t = time.perf_counter()
        df = make_rows(n)
        built = time.perf_counter() - t

        t = time.perf_counter()
        frame = engine.assess_frame(df, rules)
        batch = time.perf_counter() - t

        sample = df.iloc[: min(n, args.loop_sample)]
        records = sample.to_dict("records")
        t = time.perf_counter()
        loop_results = [engine.assess(r, rules) for r in records]
        loop = time.perf_counter() - t
        agree = all(a.status.value == s for a, s in zip(loop_results, frame["status"].iloc[: len(records)]))

        batch_rate, loop_rate = rate(n, batch), rate(len(records), loop)
        note = "" if len(records) == n else f" (timed on the first {len(records):,} rows, rate extrapolated)"
        print(f"\n{n:,} rows (built in {built:.1f} s)")
        print(f"  assess_frame : {batch_rate:12,.0f} indicators/s  ({batch:.2f} s)")
        print(f"  assess loop  : {loop_rate:12,.0f} indicators/s  ({loop:.2f} s){note}")
        print(f"  ratio        : {batch_rate / loop_rate:12.1f} x   statuses agree on the loop's rows: {agree}")
        print(f"  statuses     : {frame['status'].value_counts().to_dict()}")

        # the same frame's plain numeric rows as float64 columns, as pandas reads a clean sheet
        numeric = df[df["forecast"].map(type).isin([int, float]) & df["actual"].map(type).isin([int, float])
                     & df["override"].isna()].copy()
        for c in ("baseline", "forecast", "actual", "sample_size"):
            numeric[c] = pd.to_numeric(numeric[c], errors="coerce").astype("float64")
        numeric = numeric.drop(columns=["override"])
        t = time.perf_counter()
        engine.assess_frame(numeric, rules)
        typed = time.perf_counter() - t
        print(f"  assess_frame on float64 columns ({len(numeric):,} plain rows): {rate(len(numeric), typed):,.0f} indicators/s "
              f"({typed:.2f} s), {rate(len(numeric), typed) / loop_rate:.1f} x the loop")

        # the engine's own choice of path: Assessments equal to the loop's (exact Decimals), numpy where it pays
        t = time.perf_counter()
        many = engine.assess_many(records, rules)
        many_time = time.perf_counter() - t
        columns = {c: sample[c].tolist() for c in sample.columns}
        t = time.perf_counter()
        by_columns = engine.assess_many_columns(columns, rules)
        columns_time = time.perf_counter() - t
        many_rate, columns_rate = rate(len(records), many_time), rate(len(records), columns_time)
        print(f"  assess_many  : {many_rate:12,.0f} indicators/s  ({many_time:.2f} s) on the loop's rows, "
              f"{many_rate / loop_rate:.1f} x the loop, equal to it: {many == loop_results}")
        print(f"  assess_many_columns: {columns_rate:6,.0f} indicators/s  ({columns_time:.2f} s) on the loop's rows, "
              f"{columns_rate / loop_rate:.1f} x the loop")
        del many, by_columns, columns  # not alive into the next size's figures (the collector would walk them there)


_PROBE = """
import pickle, sys, time
sys.path.insert(0, sys.argv[1])
records = pickle.load(open(sys.argv[2], "rb"))
if sys.argv[3] == "warm":
    import numpy  # noqa: F401  as after pandas or an earlier batch
import engine
import engine.batch  # noqa: F401  either path needs it; numpy it imports only on the numpy path
rules = engine.default_rules()
engine.assess(records[0], rules)
t = time.perf_counter()
engine.assess_many(records, rules, fast=sys.argv[4] == "numpy")  # numpy's import included when cold
print(time.perf_counter() - t)
"""


def threshold(sizes: list[int], repeat: int = 3) -> None:
    """assess_many's two paths, each in fresh processes (best of `repeat`): row by row through assess, and numpy
    not yet imported (cold: its import is part of the cost) or already imported (warm)."""
    import pickle
    import tempfile

    root = str(Path(__file__).resolve().parent.parent)
    print(f"{'rows':>6}  {'assess (s)':>10}  {'numpy, cold (s)':>15}  {'numpy, warm (s)':>15}")
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "rows.pickle"
            path.write_bytes(pickle.dumps(make_rows(n).to_dict("records")))
            best = []
            for numpy_state, route in (("cold", "loop"), ("cold", "numpy"), ("warm", "numpy")):
                runs = [float(subprocess.run([sys.executable, "-c", _PROBE, root, str(path), numpy_state, route],
                                             capture_output=True, text=True, check=True).stdout) for _ in range(repeat)]
                best.append(min(runs))
        print(f"{n:>6,}  {best[0]:10.3f}  {best[1]:15.3f}  {best[2]:15.3f}")


if __name__ == "__main__":
    main()
