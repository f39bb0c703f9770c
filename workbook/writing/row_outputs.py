"""What evaluate writes for each indicator row, and run_beside: work split between this process and a fork.

Assessing a row and rendering its explanation is pure Python (~30 µs a row): at 100 000 rows that is the
largest share of `radit evaluate`. From PARALLEL_MIN_ROWS (5 000) rows a forked child computes part of them while
this process computes the rest (workbook.writing.indicator_sheet also has the child patch its rows of the sheet); the
child sends back only the texts and the status, not the Assessment objects (pickling those cost more than
computing them).
"""

from __future__ import annotations

import os
import signal
import sys
from typing import Any, Callable, NamedTuple, Sequence, TypeVar

from engine.findings import Finding
from engine.status import Status
from workbook.model.rows import UNCALCULATED

A = TypeVar("A")
B = TypeVar("B")
PARALLEL_MIN_ROWS = 5_000  # below this a fork (and copying pages on write) saves nothing measurable


class RowOutput(NamedTuple):
    """One row's assessment as evaluate writes it (the texts in the book's language)."""

    status: Status
    symbol: str
    deviation: str
    basis: str
    explanation: str
    colour: str
    findings: tuple[Finding, ...]


def row_outputs(rows: Sequence[Any], rules, lang: str) -> list[RowOutput]:
    """engine.assess_many (row by row, or its numpy path for a large table) and its texts for each row, in this process."""
    from engine.batch import assess_many

    out = []
    for row, a in zip(rows, assess_many([row.values for row in rows], rules)):
        explanation = a.explain(lang)
        if UNCALCULATED in row.values:  # not "no achieved value": the formula is there, its value is not
            explanation = _uncalculated(row.values[UNCALCULATED], lang) + " " + explanation
        out.append(RowOutput(a.status, a.symbol, a.format_deviation(lang), a.basis.label(lang), explanation,
                             a.colour, a.findings))
    return out


_UNCALCULATED_TEXT = {
    "lv": "Formulai {formula} nav aprēķinātas vērtības: atveriet darbgrāmatu Excel, pārrēķiniet un saglabājiet.",
    "en": "The formula {formula} has no calculated value: open the workbook in Excel, recalculate and save it.",
}


def _uncalculated(formulas, lang: str) -> str:
    return " ".join(_UNCALCULATED_TEXT[lang].format(formula=f) for f in formulas.values())


def can_fork() -> bool:
    # fork is sound on Linux; macOS frameworks and Windows do not allow it (there the rows stay in one process).
    # Only from a single-threaded process: a lock another thread holds at the fork stays locked in the child.
    import threading

    return (sys.platform.startswith("linux") and hasattr(os, "fork") and (os.cpu_count() or 1) >= 2
            and threading.active_count() == 1)


def outputs_for(rows: Sequence[Any], rules, lang: str, *, parallel: bool | None = None) -> list[RowOutput]:
    """row_outputs for every row, the second half in a forked child when the table is large (or parallel=True)."""
    if parallel is None:
        parallel = len(rows) >= PARALLEL_MIN_ROWS and can_fork()
    if not parallel or len(rows) < 2:
        return row_outputs(rows, rules, lang)
    half = len(rows) // 2
    first, second = run_beside(lambda: row_outputs(rows[:half], rules, lang),
                               lambda: row_outputs(rows[half:], rules, lang))
    if second is None or len(second) != len(rows) - half:  # no child, or it failed: its half here
        second = row_outputs(rows[half:], rules, lang)
    return first + second


def run_beside(here: Callable[[], A], there: Callable[[], B]) -> tuple[A, B | None]:
    """(here(), there()) with there() run in a forked child at the same time; its result travels back pickled.
    None for there's result when no child could start or it failed (the caller computes it itself)."""
    child = _fork(there)
    if child is None:
        return here(), None
    try:
        mine = here()
    except BaseException:  # Ctrl+C or a bug: the child is killed, nothing waits for it
        _abandon(child)
        raise
    return mine, _collect(child)


def _fork(task: Callable[[], Any]) -> tuple[int, int] | None:
    """(pid, read end) of a child computing task(); None when no child could be started."""
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # the child: compute, send, leave without running the parent's exit handlers
        code = 1
        try:
            _die_with_parent()
            os.close(read_end)
            import pickle  # here, not at the top: the Lite bundle (Pyodide) imports this module and never forks

            data = pickle.dumps(task(), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(data)
            code = 0
        except BaseException:  # a broken pipe (the parent gave up), a refusal, anything: the parent recomputes
            pass
        finally:
            os._exit(code)
    os.close(write_end)
    return pid, read_end


def _die_with_parent() -> None:
    """If the parent is killed (SIGKILL, a closed terminal), the kernel kills this child too, rather than leave
    it computing texts nobody will read (Linux prctl PR_SET_PDEATHSIG)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _collect(child: tuple[int, int]) -> Any | None:
    """The child's result; None when it failed. Closes the pipe before waiting, so a child blocked on a full
    pipe cannot keep this process waiting."""
    pid, read_end = child
    data = b""
    try:
        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()
    except OSError:
        data = b""
    finally:
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:
            status = 1
    if status != 0 or not data:
        return None
    try:
        import pickle

        return pickle.loads(data)
    except Exception:
        return None


def _abandon(child: tuple[int, int]) -> None:
    pid, read_end = child
    os.close(read_end)
    try:
        os.kill(pid, signal.SIGKILL)  # it only computes texts; nothing of it needs to finish
        os.waitpid(pid, 0)
    except (ChildProcessError, ProcessLookupError):
        pass
