"""Benchmark radit validate/evaluate as whole processes against baselines measured in the same run (issue 8)."""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.generate import generate  # noqa: E402
from workbook.writing.xlsxpatch.package import copy_raw  # noqa: E402

PY = sys.executable
RADIT = [PY, "-m", "workbook.cli.main"] if not shutil.which("radit", path=str(Path(PY).parent)) else [str(Path(PY).parent / "radit")]
SHEET_PART, STRINGS_PART = "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"


@dataclass(frozen=True)
class Figure:
    what: str
    value: float | None  # median of the measured runs (None: could not be measured)
    vmin: float | None
    vmax: float | None
    baseline: float | None
    unit: str
    ratio: float | None
    goal: str
    verdict: str  # PASS, MISS, info, n/a


def _stats(xs):
    return statistics.median(xs), min(xs), max(xs)


def _runs(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def _interleaved(fns, repeat: int) -> list[list[float]]:
    """Times of each function, run in turns (a, b, c, a, b, c, …) so that each sees the same load."""
    out: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for xs, fn in zip(out, fns):
            t = time.perf_counter()
            fn()
            xs.append(time.perf_counter() - t)
    return out


class CommandFailed(RuntimeError):
    pass


def _process(args, ok=(0, 1)):
    """Run a whole radit process; exit 1 (findings) is a normal answer, 2 means it could not do the job.
    run.cpu collects each run's CPU seconds (user + system, its own children included: evaluate forks one)."""
    def run():
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        p = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        run.cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        if p.returncode not in ok:
            raise CommandFailed(f"{' '.join(map(str, args[-3:]))}: exit {p.returncode}: {p.stderr.decode()[-300:]}")
    run.cpu = []
    return run


# ---- baselines -------------------------------------------------------------------------------------

def unzip_limit(path):
    """Only decompress the sheet XML and the shared strings: the physical limit of reading."""
    with zipfile.ZipFile(path) as z:
        return len(z.read(SHEET_PART)) + len(z.read(STRINGS_PART))


def rezip_limit(path, out):
    """Decompress every part, recompress the (changed) sheet, copy every other part's bytes as they are."""
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == SHEET_PART:
                zout.writestr(info.filename, data.replace(b"</sheetData>", b"</sheetData>", 1))
                continue
            if not copy_raw(zin, zout, info):
                raise RuntimeError(f"{info.filename}: cannot copy its compressed bytes")


def openpyxl_modify(path, out):
    """openpyxl normal mode: load, write the assessment symbol and deviation of every row, save."""
    import openpyxl
    wb = openpyxl.load_workbook(path)
    ws = wb["Rādītāji"]
    for r in range(2, ws.max_row + 1):
        ws.cell(r, 17, "●")
        ws.cell(r, 18, "+1,00 %")
    wb.save(out)


CALAMINE_BATCH = """
import sys
from python_calamine import CalamineWorkbook
n = 0
for p in sys.argv[1:]:
    n += len(CalamineWorkbook.from_path(p).get_sheet_by_name("Rādītāji").to_python())
"""


def peak_rss_kib(args) -> int | None:
    """Maximum resident set size of a whole process, as the OS counts it (/usr/bin/time -v)."""
    if shutil.which("time") is None and not Path("/usr/bin/time").exists():
        return None
    p = subprocess.run(["/usr/bin/time", "-v", *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    for line in p.stderr.splitlines():
        if "Maximum resident set size" in line:
            return int(line.rsplit(":", 1)[1])
    return None


# ---- the benchmark ---------------------------------------------------------------------------------

def _fig(what, xs, base, unit, goal, ok=None):
    if not xs or base is None:
        return Figure(what, None, None, None, base, unit, None, goal, "n/a")
    med, lo, hi = _stats(xs)
    ratio = med / base if base else None
    verdict = "info" if ok is None else ("PASS" if ok(ratio) else "MISS")
    return Figure(what, med, lo, hi, base, unit, ratio, goal, verdict)


def _print(f: Figure, out=sys.stdout):
    if f.value is None:
        base = "-" if f.baseline is None else f"{f.baseline:.3f} {f.unit}"
        print(f"{f.what:<48} {'not measured':>30}  base {base:>14}  {'':15} goal {f.goal:<14} n/a", file=out, flush=True)
        return
    val = f"{f.value:.3f} {f.unit} [{f.vmin:.3f}–{f.vmax:.3f}]" if f.unit == "s" else f"{f.value:,.0f} {f.unit}"
    base = f"{f.baseline:.3f} {f.unit}" if f.unit == "s" else f"{f.baseline:,.0f} {f.unit}"
    print(f"{f.what:<48} {val:>30}  base {base:>14}  ratio {f.ratio:7.2f}×  goal {f.goal:<14} {f.verdict}",
          file=out, flush=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="smoke run: 100 and 1 000 rows, a batch of 50")
    ap.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], default=None)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--batch", type=int, default=None, help="workbooks in the batch (1 000)")
    ap.add_argument("--json", dest="json_path", help="save the figures here")
    ap.add_argument("--keep", help="generate into this directory and keep the files")
    a = ap.parse_args(argv)
    sizes = a.sizes or ([100, 1000] if a.quick else [100, 1000, 10_000, 100_000])
    batch = a.batch if a.batch is not None else (50 if a.quick else 1000)
    repeat = max(1, a.repeat)
    work = Path(a.keep) if a.keep else Path(tempfile.mkdtemp(prefix="radit-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    figs: list[Figure] = []

    def add(f):
        figs.append(f)
        _print(f)

    print(f"radit benchmark — {platform.python_version()}, {os.cpu_count()} cores, {_cpu()}; repeat {repeat}; {work}")
    books = {}
    for n in sizes:
        books[n] = generate(work / f"book-{n}.xlsx", n, seed=n)
    reps = lambda n: repeat if n < 100_000 else max(1, min(repeat, 3))  # noqa: E731

    # validate vs unzip
    vt, et = {}, {}
    big = max(books)
    cal_one = []
    for n, path in books.items():
        unzip = lambda path=path: unzip_limit(path)  # noqa: E731
        try:  # in turns with the unzip limit (and, at the largest size, the process reading with calamine)
            if n == big:
                xs, ups, cal_one = _interleaved([_process([*RADIT, "validate", str(path)]), unzip,
                                                 _process([PY, "-c", CALAMINE_BATCH, str(path)], ok=(0,))], reps(n))
            else:
                xs, ups = _interleaved([_process([*RADIT, "validate", str(path)]), unzip], reps(n))
        except CommandFailed as e:
            print(f"  validate {n}: {e}", file=sys.stderr)
            xs, ups = [], _runs(unzip, max(repeat, 5))
        base = _stats(ups)[0]
        vt[n] = xs
        add(_fig(f"validate {n:>7,} rows vs unzip", xs, base, "s", "≤ 8×" if n == 100_000 else "-",
                 (lambda r: r <= 8) if n == 100_000 else None))

    # what bounds validate: one process that only reads the indicator sheet with python-calamine
    if vt.get(big) and cal_one:
        add(_fig(f"validate {big:>7,} rows vs calamine process", vt[big], _stats(cal_one)[0], "s", "-"))

    # evaluate vs openpyxl and vs rezip
    for n, path in books.items():
        out = work / f"out-{n}.xlsx"
        evaluate = _process([*RADIT, "evaluate", str(path), "-o", str(out)])
        try:
            xs = _runs(evaluate, reps(n))
        except CommandFailed as e:
            print(f"  evaluate {n}: {e.args[0][:200]}", file=sys.stderr)
            xs = []
        et[n] = xs
        opx = _stats(_runs(lambda: openpyxl_modify(path, work / "opx.xlsx"), 1 if n >= 100_000 else (2 if n >= 10_000 else repeat)))[0]
        rez = _stats(_runs(lambda: rezip_limit(path, work / "rezip.xlsx"), reps(n)))[0]
        large = n == 100_000
        add(_fig(f"evaluate {n:>7,} rows vs openpyxl", xs, opx, "s", "≤ 0.10×" if large else "-",
                 (lambda r: r <= 0.10) if large else None))
        add(_fig(f"evaluate {n:>7,} rows vs rezip", xs, rez, "s", "≤ 4×" if large else "-",
                 (lambda r: r <= 4) if large else None))
        if xs and out.exists():  # the analyst's second run: radit's cells (and, up to 10 000 rows, notes) are there
            again = work / f"again-{n}.xlsx"
            try:
                ys = _runs(_process([*RADIT, "evaluate", str(out), "-o", str(again)]), reps(n))
            except CommandFailed as e:
                print(f"  evaluate again {n}: {e.args[0][:200]}", file=sys.stderr)
                ys = []
            add(_fig(f"evaluate {n:>7,} rows again vs the first time", ys, statistics.median(xs), "s", "-"))
        if xs and evaluate.cpu:  # from 5 000 rows evaluate works on two cores; the baselines use one
            add(_fig(f"evaluate {n:>7,} rows CPU time vs wall time", [statistics.median(evaluate.cpu)],
                     statistics.median(xs), "s", "-"))

    # cold start
    small = books.get(100) or generate(work / "book-100.xlsx", 100)
    bare = _stats(_runs(_process([PY, "-c", "import openpyxl"], ok=(0,)), max(repeat, 7)))[0]
    xs = _runs(_process([*RADIT, "validate", str(small)]), max(repeat, 7))
    add(_fig("cold validate 100 rows vs python -c 'import openpyxl'", xs, bare, "s", "≤ 2×", lambda r: r <= 2))

    # batch
    if batch:
        bdir = work / "batch"
        bdir.mkdir(exist_ok=True)
        files = [str(generate(bdir / f"b{i:04d}.xlsx", 100, seed=1000 + i)) for i in range(batch)]
        # Interleaved (calamine, --jobs 1, --jobs 2, calamine, …): on a shared machine the load changes
        # from minute to minute, and each ratio should compare runs that saw the same load.
        cal, j1, j2 = _interleaved([_process([PY, "-c", CALAMINE_BATCH, *files], ok=(0,)),
                                    _process([*RADIT, "validate", "--jobs", "1", *files]),
                                    _process([*RADIT, "validate", "--jobs", "2", *files])], max(3, min(repeat, 5)))
        cal = _stats(cal)[0]
        add(_fig(f"batch {batch} × 100 rows --jobs 1 vs calamine", j1, cal, "s", "≤ 2×", lambda r: r <= 2))
        f = _fig(f"batch {batch} × 100 rows --jobs 2 vs --jobs 1", j2, _stats(j1)[0] if j1 else None, "s",
                 "≤ 0.625× (1.6×)", lambda r: r <= 1 / 1.6)
        add(f)

    # peak memory
    with zipfile.ZipFile(books[big]) as z:
        raw = z.getinfo(SHEET_PART).file_size + z.getinfo(STRINGS_PART).file_size
    rss = peak_rss_kib([*RADIT, "validate", str(books[big])])
    cal_rss = peak_rss_kib([PY, "-c", CALAMINE_BATCH, str(books[big])])
    if rss and cal_rss:
        add(_fig(f"peak RSS validate {big:,} rows vs calamine process", [rss / 1024], cal_rss / 1024, "MiB", "-"))
    add(_fig(f"peak RSS validate {big:,} rows vs sheet+strings", [rss * 1024 / 2**20] if rss else [],
             raw / 2**20, "MiB", "≤ 4×" if big == 100_000 else "-", (lambda r: r <= 4) if big == 100_000 else None))

    # growth: the marginal time per row between consecutive sizes (1 000 -> 10 000 -> 100 000 rows). Each
    # step adds at least 9 000 rows, so its cost stands well above the noise; a quadratic step shows as a
    # marginal cost that grows with the size.
    for label, table in (("validate", vt), ("evaluate", et)):
        med = {n: statistics.median(xs) for n, xs in table.items() if xs}
        steps = [(lo, hi) for lo, hi in zip(sorted(med), sorted(med)[1:]) if lo >= 1000]
        if len(steps) < 2:
            add(_fig(f"{label} µs/row growth", [], None, "µs/row", "≤ 1.5×"))
            continue
        per = {(lo, hi): (med[hi] - med[lo]) / (hi - lo) * 1e6 for lo, hi in steps}
        first = steps[0]
        for lo, hi in steps[1:]:
            base = per[first] if per[first] > 0 else None  # a non-positive first step is noise: no verdict
            add(_fig(f"{label} µs/row {lo:,}->{hi:,} vs {first[0]:,}->{first[1]:,}", [per[(lo, hi)]], base, "µs/row",
                     "≤ 1.5×", lambda r: r <= 1.5))

    total = time.perf_counter() - started
    print(f"total {total:.0f} s; {sum(f.verdict == 'PASS' for f in figs)} PASS, "
          f"{sum(f.verdict == 'MISS' for f in figs)} MISS, {sum(f.verdict == 'n/a' for f in figs)} not measured")
    if a.json_path:
        Path(a.json_path).write_text(json.dumps({"machine": {"cpus": os.cpu_count(), "cpu": _cpu(),
                                                              "python": platform.python_version()},
                                                  "seconds": total, "figures": [asdict(f) for f in figs]},
                                                 indent=1, ensure_ascii=False))
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


if __name__ == "__main__":
    sys.exit(main())
