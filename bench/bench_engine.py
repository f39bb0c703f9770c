"""Benchmark (not a test): indicators assessed per second, assess_frame against a plain assess() loop.

    .venv/bin/python bench/bench_engine.py [--rows 10000 1000000] [--loop-sample 20000]

The per-row loop is timed on at most --loop-sample rows of each frame and its rate extrapolated
(saying so); assess_frame runs on every row. Rows mimic a master workbook: mostly plain numbers,
some typed text (`88 949`, `15%`), ranges, relative-to-baseline forecasts, milestones, overrides.
"""
from __future__ import annotations

import argparse
import random
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
    args = parser.parse_args()
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


if __name__ == "__main__":
    main()
