"""Inside Pyodide: answer the test's requests through xlwings' own script and function machinery, as tests/xl/harness.py does on CPython.

runner.mjs writes this file into Pyodide's file system, imports it once, and hands it one request
(a JSON text) at a time; each answer is a JSON text. The kinds are the harness's (script, function,
meta, where), plus:

  {"kind": "load", "main": TEXT}        -> writes TEXT as /home/pyodide/lite/main.py and imports it as `main`
  {"kind": "check_rules", "docs": [...]} -> {"problems": [[[json_path, message], ...], ...], "validator": module}
  {"kind": "probe"}                      -> what the run reached that Pyodide cannot do, the imports that failed,
                                            and the modules imported since xlwings

Every answer carries "seconds": the request's time inside Python ("profile": N adds the N costliest calls). What Pyodide cannot do (fork, exec,
subprocess, threads, sockets) is recorded by an audit hook and a wrapper on threading.Thread.start
before anything else is imported, so a radit code path that reaches one and swallows the error
still shows up in "probe".
"""
import importlib
import json
import os
import sys
import time

# Audit events of the things Pyodide has no implementation of (they raise there, or do nothing).
_FORBIDDEN = ("os.fork", "os.forkpty", "os.exec", "os.spawn", "os.posix_spawn", "os.system", "os.kill",
              "subprocess.Popen", "_thread.start_new_thread", "socket.connect", "socket.bind", "socket.getaddrinfo",
              "urllib.Request", "webbrowser.open", "ctypes.dlopen")
REACHED: list[dict] = []
FAILED_IMPORTS: list[dict] = []
PHASE = ["pyodide"]  # who is importing: "xlwings" while xlwings loads, then "radit"
AT_XLWINGS: set[str] = set()  # sys.modules once xlwings is loaded: what radit's path imports comes after


def _audit(event, args):
    if event.startswith(_FORBIDDEN):
        REACHED.append({"event": event, "args": repr(args)[:200], "phase": PHASE[0]})


sys.addaudithook(_audit)

import threading  # noqa: E402  (after the hook: the wrapper below must see every start)

_start = threading.Thread.start


def _recorded_start(self, *args, **kwargs):
    REACHED.append({"event": "threading.Thread.start", "args": repr(self)[:200], "phase": PHASE[0]})
    return _start(self, *args, **kwargs)


threading.Thread.start = _recorded_start


class _RecordMissing:
    """Last on sys.meta_path: every module no finder has (an optional import that fell back, or a missing stdlib module)."""

    @staticmethod
    def find_spec(name, path=None, target=None):
        FAILED_IMPORTS.append({"module": name, "phase": PHASE[0]})
        return None


sys.meta_path.append(_RecordMissing)

LITE_DIR = "/home/pyodide/lite"


def start_xlwings() -> dict:
    """Import xlwings and its server machinery (the runner copied the package into site-packages)."""
    PHASE[0] = "xlwings"
    started = time.perf_counter()
    import xlwings
    import xlwings.server  # noqa: F401

    seconds = time.perf_counter() - started
    PHASE[0] = "radit"
    AT_XLWINGS.update(sys.modules)
    return {"xlwings": xlwings.__version__, "pro": bool(xlwings.__pro__), "seconds": seconds,
            "python": sys.version.split()[0], "platform": sys.platform}


def _module(request: dict):
    name = request.get("module", "main")
    return sys.modules.get(name) or importlib.import_module(name)


async def _answer(request: dict) -> dict:
    import xlwings as xw

    kind = request["kind"]
    if kind == "load":
        os.makedirs(LITE_DIR, exist_ok=True)
        with open(os.path.join(LITE_DIR, "main.py"), "w", encoding="utf-8") as f:
            f.write(request["main"])
        if LITE_DIR not in sys.path:
            sys.path.insert(0, LITE_DIR)
        module = importlib.import_module("main")
        import engine
        import workbook.excel

        return {"module": module.__file__, "engine": engine.__file__, "workbook.excel": workbook.excel.__file__}
    if kind == "script":
        from xlwings.server import custom_scripts_call

        module = _module(request)
        book = xw.Book(json=request["payload"])
        book = await custom_scripts_call(module, request["script"], typehint_to_value={xw.Book: book})
        return {"actions": book.json()["actions"]}
    if kind == "function":
        from xlwings.server import custom_functions_call

        return {"result": await custom_functions_call(request["data"], _module(request))}
    if kind == "meta":
        from xlwings.server import custom_functions_meta, custom_scripts_meta

        module = _module(request)
        return {"scripts": custom_scripts_meta(module), "functions": custom_functions_meta(module)}
    if kind == "where":
        _module(request)
        import engine
        import workbook.excel

        return {"engine": engine.__file__, "workbook.excel": workbook.excel.__file__}
    if kind == "check_rules":
        import engine.rules

        problems = [[[p.json_path, p.message] for p in engine.rules.check_rules(doc)] for doc in request["docs"]]
        return {"problems": problems, "validator": type(engine.rules._validator()).__module__}
    if kind == "probe":
        return {"reached": REACHED, "failed_imports": FAILED_IMPORTS,
                "imported_since_xlwings": sorted(set(sys.modules) - AT_XLWINGS),
                "platform": sys.platform, "python": sys.version.split()[0]}
    raise ValueError(f"unknown request kind {kind!r}")


async def answer(text: str) -> str:
    """One request in, one answer out (JSON texts); a failure is an answer {"error", "message"}, as in the harness."""
    request = json.loads(text)
    profile = None
    if request.get("profile"):  # the benchmark's --profile: where a request's time goes, inside Pyodide
        import cProfile

        profile = cProfile.Profile()
        profile.enable()
    started = time.perf_counter()
    try:
        result = await _answer(request)
    except Exception as error:  # every failure is reported as data: the test decides
        result = {"error": type(error).__name__, "message": str(error)}
    result["seconds"] = time.perf_counter() - started
    if profile is not None:
        import io
        import pstats

        profile.disable()
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(int(request["profile"]))
        result["profile"] = out.getvalue()
    return json.dumps(result, default=str)
