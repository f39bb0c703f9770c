"""The CPython side of the Pyodide runner: start one Node process, send it requests, read its answers.

    with PyodideSession.start() as session:
        session.request({"kind": "load", "main": text})

Import it by path (`load_session()` in tests/xl/test_xl_pyodide.py and bench/bench_lite.py): the folder is
not a package, and a package named `pyodide` on CPython would shadow the real one's name.

`PyodideSession.start` (or `spawn`, which returns while Pyodide loads) raises NodeMissing when there is no
`node` on PATH (a test may skip for that), and PyodideUnavailable when node is there but the pinned npm
package `pyodide` is not installed or does not start (a test must fail for that: CI would otherwise skip
silently).
"""
from __future__ import annotations

import json
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
RUNNER = HERE / "runner.mjs"


class NodeMissing(RuntimeError):
    """No Node.js on this machine: the Pyodide tests cannot run here."""


class PyodideUnavailable(RuntimeError):
    """Node.js is there, but the Pyodide runtime is not (run `npm ci`), or it did not start."""


def pinned_version() -> str:
    return json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["devDependencies"]["pyodide"]


class PyodideSession:
    """One Node process running Pyodide with xlwings and the test driver loaded; requests are answered in order."""

    def __init__(self, proc: subprocess.Popen, began: float, timeout: float):
        self.proc = proc
        self.ready: dict[str, Any] = {}
        self.start_seconds = 0.0  # wall time from spawning node to the ready line
        self._began, self._timeout = began, timeout
        self._stderr: list[str] = []
        self._drain = threading.Thread(target=self._read_stderr, daemon=True)
        self._drain.start()

    @classmethod
    def start(cls, *, timeout: float = 120) -> "PyodideSession":
        """spawn(), then wait_ready()."""
        return cls.spawn(timeout=timeout).wait_ready()

    @classmethod
    def spawn(cls, *, timeout: float = 120) -> "PyodideSession":
        """Start the runner and return at once (Pyodide loads meanwhile); wait_ready() before the first request."""
        node = shutil.which("node")
        if node is None:
            raise NodeMissing("node (Node.js) is not on PATH")
        if not (ROOT / "node_modules" / "pyodide" / "package.json").is_file():
            raise PyodideUnavailable("node_modules/pyodide is missing: run `npm ci` in the repository (make test does)")
        import xlwings

        proc = subprocess.Popen(
            [node, str(RUNNER), "--xlwings", str(Path(xlwings.__file__).parent)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
            text=True, encoding="utf-8", bufsize=1,
        )
        return cls(proc, time.perf_counter(), timeout)

    def wait_ready(self) -> "PyodideSession":
        """Block until the runner has loaded Pyodide and xlwings; raises PyodideUnavailable if it does not."""
        if self.ready:
            return self
        timer = threading.Timer(max(1.0, self._timeout - (time.perf_counter() - self._began)), self.proc.kill)
        timer.start()
        try:
            line = self.proc.stdout.readline()
        finally:
            timer.cancel()
        self.start_seconds = time.perf_counter() - self._began
        try:
            ready = json.loads(line) if line else {}
        except json.JSONDecodeError:
            ready = {"fatal": "bad-line", "message": line}
        if not ready.get("ready"):
            self.proc.kill()
            self.proc.wait()
            self._drain.join(timeout=5)
            raise PyodideUnavailable(f"the Pyodide runner did not start: {ready or 'no output'}\n{self.stderr[-4000:]}")
        if ready.get("pyodide") != pinned_version():
            self.close()
            raise PyodideUnavailable(f"node_modules has pyodide {ready.get('pyodide')}, package.json pins "
                                     f"{pinned_version()}: run `npm ci`")
        self.ready = ready
        return self

    def _read_stderr(self) -> None:
        for line in self.proc.stderr:
            self._stderr.append(line)

    @property
    def stderr(self) -> str:
        return "".join(self._stderr)

    def request(self, request: dict[str, Any]) -> dict[str, Any]:
        self.wait_ready()
        if self.proc.poll() is not None:
            raise PyodideUnavailable(f"the Pyodide runner has exited ({self.proc.returncode}):\n{self.stderr[-4000:]}")
        self.proc.stdin.write(json.dumps(request, default=str) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            self.proc.wait(timeout=10)
            raise PyodideUnavailable(f"the Pyodide runner died ({self.proc.returncode}):\n{self.stderr[-4000:]}")
        return json.loads(line)

    def requests(self, requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [self.request(r) for r in requests]

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def __enter__(self) -> "PyodideSession":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

