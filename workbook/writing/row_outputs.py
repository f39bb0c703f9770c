"""What evaluate writes for each indicator row; for a large table, half of it computed in a forked child.

Assessing a row and rendering its explanation is pure Python (~30 µs a row): at 100 000 rows that is the
largest share of `radit evaluate`. From PARALLEL_MIN_ROWS (5 000) rows a forked child computes part of them while
this process computes the rest (workbook.forked.run_beside; workbook.writing.indicator_sheet also has the child
patch its rows of the sheet); the child sends back only the texts and the status, not the Assessment objects
(pickling those cost more than computing them).
"""

from __future__ import annotations

import os
from typing import Any, NamedTuple, Sequence

from engine.findings import Finding
from engine.status import Status
from workbook.model.rows import UNCALCULATED

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
        out.append(RowOutput(a.status, a.symbol, a.format_deviation(lang), a.basis.label(lang),
                             explanation(row, a, lang), a.colour, a.findings))
    return out


def explanation(row: Any, a: Any, lang: str) -> str:
    """The explanation written for a row's Assessment `a` (in the sheet, in the Excel route and in the report)."""
    text = a.explain(lang)
    if UNCALCULATED in row.values:  # not "no achieved value": the formula is there, its value is not
        text = _uncalculated(row.values[UNCALCULATED], lang) + " " + text
    return text


_UNCALCULATED_TEXT = {
    "lv": "Formulai {formula} nav aprēķinātas vērtības: atveriet darbgrāmatu Excel, pārrēķiniet un saglabājiet.",
    "en": "The formula {formula} has no calculated value: open the workbook in Excel, recalculate and save it.",
}


def _uncalculated(formulas, lang: str) -> str:
    return " ".join(_UNCALCULATED_TEXT[lang].format(formula=f) for f in formulas.values())


def can_fork() -> bool:
    """Whether a forked child can compute half the rows beside this process: a fork is possible
    (workbook.forked.can_fork) and a second core is there to run it."""
    from workbook.forked import can_fork as fork_possible

    return fork_possible() and (os.cpu_count() or 1) >= 2


def outputs_for(rows: Sequence[Any], rules, lang: str, *, parallel: bool | None = None) -> list[RowOutput]:
    """row_outputs for every row, the second half in a forked child when the table is large (or parallel=True)."""
    if parallel is None:
        parallel = len(rows) >= PARALLEL_MIN_ROWS and can_fork()
    if not parallel or len(rows) < 2:
        return row_outputs(rows, rules, lang)
    from workbook.forked import run_beside

    half = len(rows) // 2
    first, second = run_beside(lambda: row_outputs(rows[:half], rules, lang),
                               lambda: row_outputs(rows[half:], rules, lang))
    if second is None or len(second) != len(rows) - half:  # no child, or it failed: its half here
        second = row_outputs(rows[half:], rules, lang)
    return first + second
