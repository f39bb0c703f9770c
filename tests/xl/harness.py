"""Run xlwings' own script and custom-function machinery on JSON payloads, in a child process, for tests without Excel.

xlwings decides at import time whether its PRO engines (the remote Book behind `xw.Book(json=...)`, the
server decorators) load, from XLWINGS_LICENSE_KEY and XLWINGS_ON_SERVER. A child process sets both before
importing xlwings, so no other test or module ever sees the key. Requests go in on stdin as a JSON list,
results come out on stdout as a JSON list:

  {"kind": "script", "module": "workbook.excel.lite.main", "script": "evaluate", "payload": {...}} -> {"actions": [...]}
  {"kind": "function", "module": "workbook.excel.lite.main", "data": {...}}                       -> {"result": ...}
  {"kind": "classic", "module": "radit", "path": DIR, "payload": {...}}                      -> {"actions": [...]}
  {"kind": "meta", "module": "workbook.excel.lite.main"}                      -> {"scripts": [...], "functions": [...]}
  {"kind": "where", "module": "main", "path": DIR}                      -> {"engine": file, "workbook.excel": file}

A failing call gives {"error": ExceptionName, "message": str}; a missing licence {"licence": message}.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any, Sequence

LICENCE_ENV = {"XLWINGS_LICENSE_KEY": "noncommercial", "XLWINGS_ON_SERVER": "true"}


def run_requests(requests: Sequence[dict[str, Any]], *, licence_key: str | None = "noncommercial",
                 env_extra: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Answer `requests` in a fresh interpreter that has the xlwings PRO key (or none, with licence_key=None)."""
    env = {k: v for k, v in os.environ.items() if k not in LICENCE_ENV}
    env.update(env_extra or {})
    env["XLWINGS_ON_SERVER"] = "true"
    if licence_key:
        env["XLWINGS_LICENSE_KEY"] = licence_key
    # Run as a script, not `-m workbook.excel.harness`: importing the workbook package first would shadow
    # a self-contained Lite main.py's own packed copy of it.
    proc = subprocess.run(
        [sys.executable, os.path.abspath(__file__)], input=json.dumps(list(requests), default=str),
        capture_output=True, text=True, env=env, check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"harness failed ({proc.returncode}):\n{proc.stderr}")
    return json.loads(proc.stdout)


def _module(request: dict[str, Any]):
    import importlib

    if request.get("path"):
        sys.path.insert(0, request["path"])
    return importlib.import_module(request["module"])


def _answer(request: dict[str, Any]) -> dict[str, Any]:
    import asyncio

    import xlwings as xw

    kind = request["kind"]
    if kind == "script":
        from xlwings.server import custom_scripts_call

        module = _module(request)
        book = xw.Book(json=request["payload"])
        book = asyncio.run(custom_scripts_call(module, request["script"], typehint_to_value={xw.Book: book}))
        return {"actions": book.json()["actions"]}
    if kind == "function":
        from xlwings.server import custom_functions_call

        result = asyncio.run(custom_functions_call(request["data"], _module(request)))
        return {"result": result}
    if kind == "classic":
        module = _module(request)
        book = xw.Book(json=request["payload"])
        book.set_mock_caller()
        module.main()
        return {"actions": book.json()["actions"]}
    if kind == "where":
        _module(request)  # first: it decides where engine and workbook come from
        import engine
        import workbook.excel

        return {"engine": engine.__file__, "workbook.excel": workbook.excel.__file__}
    if kind == "meta":
        from xlwings.server import custom_functions_meta, custom_scripts_meta

        module = _module(request)
        return {"scripts": custom_scripts_meta(module), "functions": custom_functions_meta(module)}
    raise ValueError(f"unknown request kind {kind!r}")


def _licence_problem(error: BaseException) -> bool:
    return "license" in type(error).__name__.lower()


def main() -> None:
    requests = json.loads(sys.stdin.read())
    try:
        import xlwings  # noqa: F401  (with XLWINGS_ON_SERVER, a missing key fails right here)
    except Exception as error:
        if not _licence_problem(error):
            raise
        sys.stdout.write(json.dumps([{"licence": str(error)} for _ in requests]))
        return
    answers = []
    for request in requests:
        try:
            answers.append(_answer(request))
        except Exception as error:  # every failure is reported as data: the test decides
            key = "licence" if _licence_problem(error) else "error"
            answers.append({key: str(error)} if key == "licence" else {"error": type(error).__name__, "message": str(error)})
    sys.stdout.write(json.dumps(answers, default=str))


if __name__ == "__main__":
    main()
