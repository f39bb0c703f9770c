"""Benchmark (not a test): this tree against an earlier revision, whole radit processes run in turns on the same files.

    .venv/bin/python bench/compare_revisions.py --base 00e3d89              # 100 and 1 000 rows, a batch of 50
    .venv/bin/python bench/compare_revisions.py --base 00e3d89 --sizes 10000,100000 --repeat 3

The base revision is checked out in a git worktree with a venv of its own (kept under --work, reused when it is
there). Each figure runs the base's `radit` and this tree's in turns (a, b, b, a, …), so that both see the same
load on a shared machine, and prints the median and the minimum of each and their change, in wall-clock time and
in CPU time (user + system of the process and the children it waited for: less moved by other work on the
machine, but a run that uses two cores at once counts both). Python's bytecode cache
is allowed for both (PYTHONDONTWRITEBYTECODE is dropped): without it every run compiles its modules again.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if __package__ in (None, ""):
    sys.path.insert(0, str(ROOT))

from bench.generate import generate  # noqa: E402


def base_tree(rev: str, work: Path) -> Path:
    """A worktree of `rev` with radit installed in its own .venv; the path of its `radit`."""
    tree = work / f"base-{rev}"
    radit = tree / ".venv" / "bin" / "radit"
    if radit.exists():
        return radit
    if not tree.exists():
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), rev], check=True,
                       stdout=subprocess.DEVNULL)
    subprocess.run([sys.executable, "-m", "venv", str(tree / ".venv")], check=True)
    # editable, as make test installs this tree: the same import machinery on both sides
    subprocess.run([str(tree / ".venv" / "bin" / "pip"), "install", "--quiet", "-e", str(tree)], check=True)
    return radit


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", required=True, help="the git revision to compare with")
    ap.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], default=[100, 1000])
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--batch", type=int, default=50, help="workbooks of 100 rows in the batch (0: none)")
    ap.add_argument("--work", default=str(Path(os.environ.get("TMPDIR", "/tmp")) / "radit-compare"))
    a = ap.parse_args(argv)
    work = Path(a.work)
    work.mkdir(parents=True, exist_ok=True)
    trees = {"base": str(base_tree(a.base, work)), "this": str(Path(sys.executable).parent / "radit")}
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

    books = {n: work / f"book-{n}.xlsx" for n in a.sizes}
    for n, path in books.items():
        if not path.exists():
            generate(path, n, seed=n)
    batch = []
    for i in range(a.batch):
        path = work / "batch" / f"b{i:04d}.xlsx"
        path.parent.mkdir(exist_ok=True)
        if not path.exists():
            generate(path, 100, seed=1000 + i)
        batch.append(str(path))

    cases = []
    for n, path in books.items():
        cases.append((f"validate {n:,} rows", lambda t, path=path: [t, "validate", str(path)]))
        cases.append((f"evaluate {n:,} rows", lambda t, path=path, n=n: [t, "evaluate", str(path), "-o",
                                                                         str(work / f"out-{n}-{abs(hash(t))}.xlsx")]))
    if batch:
        cases.append((f"batch {len(batch)} --jobs 1", lambda t: [t, "validate", "--jobs", "1", *batch]))
        cases.append((f"batch {len(batch)} --jobs 2", lambda t: [t, "validate", "--jobs", "2", *batch]))

    print(f"{a.base} against this tree, {a.repeat} runs each in turns, {os.cpu_count()} cores")
    for name, command in cases:
        wall: dict[str, list[float]] = {"base": [], "this": []}
        cpu: dict[str, list[float]] = {"base": [], "this": []}
        for i in range(a.repeat):
            for which in (("base", "this") if i % 2 == 0 else ("this", "base")):
                used = _children_cpu()
                start = time.perf_counter()
                done = subprocess.run(command(trees[which]), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                wall[which].append(time.perf_counter() - start)
                cpu[which].append(_children_cpu() - used)
                if done.returncode not in (0, 1):
                    print(f"  {name} ({which}): exit {done.returncode}: {done.stderr.decode()[-200:]}", file=sys.stderr)
        for kind, times in (("wall", wall), ("cpu", cpu)):
            b, t = times["base"], times["this"]
            mb, mt = statistics.median(b), statistics.median(t)
            print(f"{name:24} {kind:4} base {mb:7.3f} s (min {min(b):.3f})  this {mt:7.3f} s (min {min(t):.3f})  "
                  f"median {mt / mb - 1:+6.1%}  min {min(t) / min(b) - 1:+6.1%}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
