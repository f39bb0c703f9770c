"""evaluate_book: the Evaluate button's work on an open xlwings Book, for every runtime (Lite, server, classic).

The book is read through the one model (workbook.model.book.read_book over workbook.excel.source), assessed by the
engine, and what is written is the same content `radit evaluate` writes (workbook.writing.row_outputs for the output
cells, workbook.writing.summary for the legend and summary sheets); this module only renders it as xlwings calls
every engine supports: one value block per column, `Range.color` on runs of equal colour, adding and clearing
sheets, and `app.alert` for messages. No notes, no chart, no number formats read back: the remote engines
cannot do these.
"""
from __future__ import annotations

import datetime as _dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from workbook.excel.messages import say
from workbook.model.vocabulary import OUTPUT_FIELDS, SHEETS, book_language, sheet_kind

ALERT_FINDINGS = 10  # an alert is read by a person: list the first few problems, count the rest


@dataclass(frozen=True)
class EvaluateOutcome:
    """What one click did: the outputs by sheet row (1-based), the counts, the problems, the rules used."""

    lang: str
    year: int | None = None
    rules_name: str | None = None
    rules_source: str | None = None
    outputs: tuple[tuple[int, Any], ...] = ()  # (sheet row, workbook.writing.row_outputs.RowOutput)
    findings: tuple[Any, ...] = ()  # engine Finding, located with sheet/row/column
    counts: Mapping[str, int] = field(default_factory=dict)
    error: str | None = None  # set when nothing was written (no table, bad rule file …)
    code: str | None = None  # the refusal's code when nothing was written
    messages: tuple[str, ...] = ()  # what the analyst was told in alerts

    @property
    def ok(self) -> bool:
        return self.error is None


def evaluate_book(book: Any, *, lang: str | None = None, alert: bool = True, now: _dt.datetime | None = None) -> EvaluateOutcome:
    """Assess every indicator of the open master workbook and write symbols, colours, deviations, legend, summary."""
    from engine.errors import RaditError
    from workbook.excel.source import XlwingsSource
    from workbook.model.book import read_book
    from workbook.writing.row_outputs import row_outputs

    source = XlwingsSource(book)
    try:
        model = read_book(source, lang=lang)
        model.require_output_columns()
    except RaditError as error:
        first = next(iter(source.sheets), None)
        return _fail(book, book_language(lang, None, first), error, alert)
    rules, lang = model.rules, model.lang
    outputs = row_outputs(model.rows, rules, lang)
    assessed = list(zip(model.rows, outputs))
    findings = list(model.findings) + [model.locate(f, row.row) for row, out in assessed for f in out.findings]

    sheet = source.sheets[model.sheet]
    _write_outputs(sheet, model, assessed, source.grid(model.sheet))
    _write_owned_sheets(book, source.sheets, model, assessed, rules, lang, now)

    counts = Counter(out.status.value for out in outputs)
    messages = _messages(findings, len(assessed), lang)
    if alert and messages:
        book.app.alert("\n".join(messages), title=say("title", lang))
    return EvaluateOutcome(
        lang=lang, year=model.year, rules_name=rules.name, rules_source=model.rule_choice.source,
        outputs=tuple((row.row, out) for row, out in assessed), findings=tuple(findings),
        counts={s.value: counts.get(s.value, 0) for s in rules.statuses}, messages=tuple(messages),
    )


# --- writing -------------------------------------------------------------------------------------------

def _write_outputs(sheet, model, assessed, grid) -> None:
    """The output columns, one block per column over the assessed rows' span; other rows keep what they hold."""
    if not assessed:
        return
    first, last = assessed[0][0].row, assessed[-1][0].row
    by_row = {row.row: out for row, out in assessed}
    for name in OUTPUT_FIELDS:
        col = model.field_columns.get(name)
        if col is None:
            continue
        block = [[getattr(by_row[r], name) if r in by_row else grid.cell(r, col)] for r in range(first, last + 1)]
        sheet.range((first, col), (last, col)).value = block
    symbol_col = model.field_columns.get("symbol")
    if symbol_col is None:
        return
    colours = [by_row[r].colour if r in by_row else None for r in range(first, last + 1)]
    for start, end, colour in runs(colours):
        if colour is not None:  # a row that was not assessed keeps its fill: clients differ on a null colour
            sheet.range((first + start, symbol_col), (first + end, symbol_col)).color = colour


def runs(colours: Sequence[str | None]) -> list[tuple[int, int, str | None]]:
    """Consecutive equal colours as (start, end inclusive, colour): one colour action per run, not per cell."""
    out: list[tuple[int, int, str | None]] = []
    for i, colour in enumerate(colours):
        if out and out[-1][2] == colour and out[-1][1] == i - 1:
            out[-1] = (out[-1][0], i, colour)
        else:
            out.append((i, i, colour))
    return out


def _write_owned_sheets(book, sheets: Mapping[str, Any], model, assessed, rules, lang: str, now) -> None:
    """The legend and summary sheets radit evaluate writes (workbook.writing.summary), as values and fills."""
    import engine
    from workbook.writing.summary import owned_sheets
    from workbook.writing.xlsxpatch.model import Provenance

    stamp = (now or _dt.datetime.now(_dt.timezone.utc)).astimezone(_dt.timezone.utc).replace(microsecond=0)
    provenance = Provenance(version=engine.__version__, rules_name=rules.name, rules_sha256=rules.sha256,
                            year=model.year, time=stamp.isoformat().replace("+00:00", "Z"))
    for kind, owned in zip(("legend", "summary"), owned_sheets(model, assessed, rules, lang, provenance)):
        target = _owned_sheet(book, sheets, kind, lang)
        if not owned.cells:
            continue
        height = max(c.row for c in owned.cells)
        width = max(c.col for c in owned.cells)
        block: list[list[Any]] = [[None] * width for _ in range(height)]
        for c in owned.cells:
            block[c.row - 1][c.col - 1] = c.value
        target.range((1, 1), (height, width)).value = block
        for c in owned.cells:
            if c.style.fill:
                target.range((c.row, c.col)).color = c.style.fill


def _owned_sheet(book, sheets: Mapping[str, Any], kind: str, lang: str):
    """The legend/summary sheet in either language, created after the last sheet when missing, then cleared."""
    for name, sheet in sheets.items():
        if (sheet_kind(name) or ("",))[0] == kind:
            sheet.clear()
            return sheet
    last = list(book.sheets)[-1]
    return book.sheets.add(SHEETS[kind][lang], after=last)


def _messages(findings, count: int, lang: str) -> list[str]:
    from engine.findings import Severity

    lines: list[str] = []
    problems = [f for f in findings if f.severity == Severity.ERROR]
    if problems:
        lines.append(say("findings", lang, count=count, problems=len(problems)))
        lines.extend(f.render(lang) for f in problems[:ALERT_FINDINGS])
        if len(problems) > ALERT_FINDINGS:
            lines.append(say("more", lang, n=len(problems) - ALERT_FINDINGS))
    return lines


def _fail(book, lang: str, error, alert: bool) -> EvaluateOutcome:
    """Nothing written: the refusal, in the workbook's language, as the command line words it."""
    message = error.render(lang)  # every RaditError renders in either language
    if alert:
        book.app.alert(message, title=say("title", lang))
    return EvaluateOutcome(lang=lang, error=message, code=getattr(error, "code", None), messages=(message,))
