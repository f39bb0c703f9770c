"""Benchmark (not a test): the self-contained Lite main.py in Pyodide (under Node.js) against CPython, step by step.

    .venv/bin/python bench/bench_lite.py [--rows 300 1000] [--repeat 3] [--profile 30]

One run of each runtime, the same steps in the same order: start (runtime + xlwings), import of the
bundle `radit addin lite` writes (which unpacks it), the first Evaluate of a generated book of --rows[0]
indicators (the session's first, cold), of the sample and of the other --rows books, then --repeat more
Evaluates of each (warm), and one ASSESS call. --profile N prints the N costliest calls (cProfile, inside
Pyodide) of the cold Evaluate. Pyodide
runs in tests/xl/pyodide/runner.mjs (needs `npm ci`), CPython in a child process with xlwings'
PRO code loaded as tests/xl/harness.py does. Prints seconds; asserts nothing. Goal: Evaluate of
300 indicators in Pyodide within 1 s once the runtime has loaded.
"""
from __future__ import annotations

import argparse
import importlib.util
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
XL_TESTS = ROOT / "tests" / "xl"


def _session_module():
    spec = importlib.util.spec_from_file_location("radit_pyodide_session", XL_TESTS / "pyodide" / "session.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


# --- the CPython side: a child process answering the harness's requests, timed ---

def cpython_child() -> None:
    """Runs in the child: import xlwings (PRO), say ready, then answer JSON lines through harness._answer."""
    import asyncio  # noqa: F401  (harness._answer uses it; imported before the clock starts as in Pyodide's runtime)

    started = time.perf_counter()
    import xlwings
    import xlwings.server  # noqa: F401

    ready = {"ready": True, "import_xlwings": time.perf_counter() - started, "pro": xlwings.__pro__,
             "python": sys.version.split()[0]}
    print(json.dumps(ready), flush=True)
    sys.path.insert(0, str(XL_TESTS))
    from harness import _answer  # the harness's own calls of xlwings' machinery

    for line in sys.stdin:
        request = json.loads(line)
        began = time.perf_counter()
        if request["kind"] == "load":
            sys.path.insert(0, request["path"])
            import main  # noqa: F401  (the bundle: unpacks into TMPDIR and imports from there)

            answer = {}
        else:
            try:
                answer = _answer(request)
            except Exception as error:
                answer = {"error": type(error).__name__, "message": str(error)}
        answer = {"seconds": time.perf_counter() - began, **({"error": answer["error"]} if "error" in answer else {})}
        print(json.dumps(answer), flush=True)


class CPythonSession:
    def __init__(self, tmp: Path):
        env = {k: v for k, v in os.environ.items() if k not in ("XLWINGS_LICENSE_KEY", "XLWINGS_ON_SERVER")}
        env.update({"XLWINGS_LICENSE_KEY": "noncommercial", "XLWINGS_ON_SERVER": "true", "TMPDIR": str(tmp)})
        began = time.perf_counter()
        self.proc = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--cpython-child"], env=env, text=True,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, encoding="utf-8", bufsize=1)
        self.ready = json.loads(self.proc.stdout.readline())
        self.start_seconds = time.perf_counter() - began

    def request(self, request: dict) -> dict:
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=60)


# --- one run ---

def measure(rows: list[int], repeat: int, profile: int = 0) -> int:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(XL_TESTS))
    from bench.generate import generate
    from payload import book_payload, function_payload
    from workbook.cli.main import run as cli

    with tempfile.TemporaryDirectory(prefix="radit-bench-lite-") as tmp:
        tmp = Path(tmp)
        lite = tmp / "lite"
        err = io.StringIO()
        if cli(["addin", "lite", "-o", str(lite)], io.StringIO(), err) != 0:
            print(err.getvalue(), file=sys.stderr)
            return 2
        main_text = (lite / "main.py").read_text(encoding="utf-8")
        from workbook.excel.lite.bundle import _sources, source_zip

        # The first book is the session's first Evaluate (cold: lazy imports, first regexes): the goal's 300.
        books = {f"{rows[0]} indicators": generate(tmp / f"g{rows[0]}.xlsx", rows[0])}
        sample = ROOT / "samples" / "seed-2016.xlsx"
        if sample.is_file():
            books["sample"] = sample
        for n in rows[1:]:
            books[f"{n} indicators"] = generate(tmp / f"g{n}.xlsx", n)
        began = time.perf_counter()
        payloads = {name: book_payload(path) for name, path in books.items()}
        payload_seconds = time.perf_counter() - began
        assess = function_payload("assess", [36000, 35280])

        print("bundle")
        print(f"  main.py {len((lite / 'main.py').read_bytes()):,} bytes; packed zip {len(source_zip()):,} bytes "
              f"of {len(_sources())} files; requirements.txt {len((lite / 'requirements.txt').read_bytes())} bytes")
        print(f"  (payloads built on CPython with openpyxl in {payload_seconds:.2f} s; not part of either runtime)")

        results: dict[str, dict[str, float]] = {}
        sessions = _session_module()
        py = sessions.PyodideSession.start()
        try:
            results["Pyodide"] = _steps(py, main_text, payloads, assess, repeat, pyodide=True, profile=profile)
            results["Pyodide"]["start (runtime)"] = py.ready["timings"]["runtime"]
            results["Pyodide"]["start (copy xlwings into the FS)"] = py.ready["timings"]["copy_xlwings"]
            results["Pyodide"]["start (import xlwings + server)"] = py.ready["timings"]["import_xlwings"]
            results["Pyodide"]["start (wall, spawn to ready)"] = py.start_seconds
            version = f"Pyodide {py.ready['pyodide']}, Python {py.ready['python']}, Node {py.ready['node']}"
        finally:
            py.close()
        (tmp / "cpython-tmp").mkdir()
        cp = CPythonSession(tmp / "cpython-tmp")
        try:
            results["CPython"] = _steps(cp, str(lite), payloads, assess, repeat, pyodide=False)
            results["CPython"]["start (import xlwings + server)"] = cp.ready["import_xlwings"]
            results["CPython"]["start (wall, spawn to ready)"] = cp.start_seconds
            cversion = f"CPython {cp.ready['python']}"
        finally:
            cp.close()

    print(f"\nseconds ({version} | {cversion})")
    names = list(dict.fromkeys([*results["Pyodide"], *results["CPython"]]))
    order = {n: i for i, n in enumerate(names)}
    names.sort(key=lambda n: (not n.startswith("start"), order[n]))
    width = max(len(n) for n in names)
    print(f"  {'step':<{width}}  {'Pyodide':>9}  {'CPython':>9}  {'ratio':>6}")
    for name in names:
        a, b = results["Pyodide"].get(name), results["CPython"].get(name)
        ratio = f"{a / b:6.1f}" if a is not None and b else "     -"
        print(f"  {name:<{width}}  {_fmt(a)}  {_fmt(b)}  {ratio}")
    goal = results["Pyodide"].get("first Evaluate: 300 indicators (cold)")
    if goal is not None:
        print(f"\ngoal: Evaluate of 300 indicators in Pyodide within 1 s after the runtime has loaded: "
              f"{goal:.3f} s ({'met' if goal <= 1 else 'NOT met'})")
    return 0


def _fmt(x: float | None) -> str:
    return f"{x:9.3f}" if x is not None else "        -"


def _steps(session, main: str, payloads: dict, assess: dict, repeat: int, *, pyodide: bool,
           profile: int = 0) -> dict[str, float]:
    out: dict[str, float] = {}
    load = session.request({"kind": "load", "main": main} if pyodide else {"kind": "load", "path": main})
    _check(load, "import the bundle")
    out["import the bundle (unpack + import)"] = load["seconds"]
    for i, (name, payload) in enumerate(payloads.items()):
        request = {"kind": "script", "module": "main", "script": "evaluate", "payload": payload}
        answer = session.request({**request, "profile": profile} if profile and i == 0 else request)
        _check(answer, name)
        if "profile" in answer:
            print(f"\nPyodide, cold Evaluate of {name} under cProfile (slower than unprofiled):\n{answer['profile']}")
        out[f"first Evaluate: {name}{' (cold)' if i == 0 else ''}"] = answer["seconds"]
    for name, payload in payloads.items():
        times = [session.request({"kind": "script", "module": "main", "script": "evaluate", "payload": payload})["seconds"]
                 for _ in range(repeat)]
        out[f"warm Evaluate (median of {repeat}): {name}"] = statistics.median(times)
    answer = session.request({"kind": "function", "module": "main", "data": assess})
    _check(answer, "ASSESS")
    out["ASSESS (one call)"] = answer["seconds"]
    return out


def _check(answer: dict, what: str) -> None:
    if "error" in answer:
        raise RuntimeError(f"{what}: {answer}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, nargs="+", default=[300, 1000], help="indicator counts of the generated books")
    ap.add_argument("--repeat", type=int, default=3, help="warm Evaluates per book after the first")
    ap.add_argument("--profile", type=int, default=0, metavar="N",
                    help="print the N costliest calls of Pyodide's cold Evaluate (its time is then not comparable)")
    ap.add_argument("--cpython-child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.cpython_child:
        cpython_child()
        return 0
    return measure(args.rows, args.repeat, args.profile)


if __name__ == "__main__":
    sys.exit(main())
