"""evaluate_book: the Evaluate button's work on an open xlwings Book, for every runtime (Lite, server, classic).

Only calls that every xlwings engine supports: reading sheet values, writing one value block per column,
`Range.color` on runs of equal colour (never `set_colors`, which the desktop engines lack), adding and
clearing sheets, and `app.alert` for messages. No notes, no number formats read back: the remote engines
cannot read either synchronously.
"""
from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from workbook.model.vocabulary import OUTPUT_FIELDS, SHEETS, book_language, sheet_kind
from workbook.excel import grid as g
from workbook.excel.messages import say
from workbook.excel.percent import scale_percent_row
from workbook.excel.rulesource import EMBEDDED_SHEET, RuleChoice, choose_rules, embedded_text

ALERT_FINDINGS = 10  # an alert is read by a person: list the first few problems, count the rest


@dataclass(frozen=True)
class EvaluateOutcome:
    """What one click did: the assessments by sheet row (1-based), the counts, the problems, the rules used."""

    lang: str
    year: int | None = None
    rules_name: str | None = None
    rules_source: str | None = None
    assessments: tuple[tuple[int, Any], ...] = ()  # (sheet row, engine.Assessment)
    findings: tuple[Any, ...] = ()  # engine Finding, located with sheet/row/column
    counts: Mapping[str, int] = field(default_factory=dict)
    error: str | None = None  # set when nothing was written (no table, bad rule file …)
    messages: tuple[str, ...] = ()  # what the analyst was told in alerts

    @property
    def ok(self) -> bool:
        return self.error is None


def evaluate_book(book: Any, *, lang: str | None = None, alert: bool = True) -> EvaluateOutcome:
    """Assess every indicator of the open master workbook and write symbols, colours, deviations, legend, summary."""
    import engine
    from engine.errors import RuleFileError
    from engine.findings import Finding, Location

    sheets = {sheet.name: sheet for sheet in book.sheets}
    located = _find_indicator_sheet(sheets)
    settings = _settings(sheets)
    lang = book_language(lang, settings.get("language"), located[0].name if located else None)
    if located is None:
        return _fail(book, lang, say("no_table", lang), alert)
    sheet, values, top, left, layout = located
    if "symbol" not in layout.columns:
        return _fail(book, lang, say("no_output", lang), alert)
    year = g.as_year(settings.get("evaluation_year")) or (max(layout.years("forecast")) if layout.years("forecast") else None)
    if year is None:
        return _fail(book, lang, say("no_year", lang), alert)

    embedded = _embedded(sheets)
    try:
        choice = choose_rules(settings.get("rules_file"), _book_dir(book), embedded)
    except RuleFileError as error:
        return _fail(book, lang, say("bad_rules", lang, error=error), alert)
    rules = choice.rules

    assessed: list[tuple[int, Any]] = []
    findings: list[Any] = [f.at(sheet=sheet.name, row=top + layout.header_row, column=left + f.location.column)
                           for f in layout.findings]
    columns = dict(layout.columns)
    forecast_col = layout.year_columns.get(("forecast", year))
    actual_col = layout.year_columns.get(("actual", year))
    for kind, col in (("forecast", forecast_col), ("actual", actual_col)):
        if col is None:
            # Every row would quietly come out "not assessed": say which column is missing instead.
            findings.append(Finding("missing-year", Location(sheet=sheet.name, row=top + layout.header_row),
                                    {"kind": kind, "year": year}))
    for r in range(layout.first_row, layout.last_row + 1):
        indicator = _indicator(values, r, columns, forecast_col, actual_col, rules)
        if indicator is None:
            continue
        assessment = engine.assess(indicator, rules)
        sheet_row = top + r
        assessed.append((sheet_row, assessment))
        findings.extend(_locate(f, sheet.name, sheet_row, left, columns, forecast_col, actual_col) for f in assessment.findings)

    _write_outputs(sheet, top, left, layout, assessed, lang)
    _write_legend(book, sheets, rules, lang)
    _write_summary(book, sheets, rules, lang, assessed, values, layout, top, year, choice)

    counts = Counter(a.status.value for _, a in assessed)
    messages = _messages(choice, findings, len(assessed), lang)
    if alert and messages:
        book.app.alert("\n".join(messages), title=say("title", lang))
    return EvaluateOutcome(
        lang=lang, year=year, rules_name=rules.name, rules_source=choice.source, assessments=tuple(assessed),
        findings=tuple(findings), counts={s.value: counts.get(s.value, 0) for s in rules.statuses}, messages=tuple(messages),
    )


# --- reading -------------------------------------------------------------------------------------------

def _values(sheet: Any) -> tuple[list[list[Any]], int, int]:
    """The sheet's used range as a 2-D list, with its 1-based top row and left column."""
    rng = sheet.used_range
    values = rng.options(ndim=2).value
    return [list(row) for row in (values or [[]])], rng.row, rng.column


def _find_indicator_sheet(sheets: Mapping[str, Any]):
    """The sheet named Rādītāji/Indicators, else the first sheet whose top rows hold an indicator header."""
    named = [s for name, s in sheets.items() if (sheet_kind(name) or ("",))[0] == "indicators"]
    others = [s for name, s in sheets.items() if s not in named and name != EMBEDDED_SHEET and sheet_kind(name) is None]
    for sheet in named + others:
        values, top, left = _values(sheet)
        layout = g.find_table(values)
        if layout is not None:
            return sheet, values, top, left, _within_table(sheet, top, layout)
    return None


def _within_table(sheet: Any, top: int, layout: g.TableLayout) -> g.TableLayout:
    """Stop at the end of the Excel table (ListObject) whose header is the header row found.

    Without this, a note typed under the table ("Avots: …") would be read as one more indicator.
    """
    import dataclasses

    try:
        tables = list(sheet.tables)
    except Exception:  # an engine without ListObject support: the grid's last id decides
        return layout
    for table in tables:
        header, body = table.header_row_range, table.data_body_range
        if header is not None and body is not None and header.row == top + layout.header_row:
            last = min(layout.last_row, body.last_cell.row - top)
            return dataclasses.replace(layout, last_row=max(last, layout.first_row - 1))
    return layout


def _settings(sheets: Mapping[str, Any]) -> dict[str, Any]:
    for name, sheet in sheets.items():
        if (sheet_kind(name) or ("",))[0] == "settings":
            return g.read_settings(_values(sheet)[0])
    return {}


def _embedded(sheets: Mapping[str, Any]) -> str | None:
    sheet = sheets.get(EMBEDDED_SHEET)
    if sheet is None:
        return None
    values, top, left = _values(sheet)
    # The text starts at A1: a used range that does not start there has nothing in A1.
    return embedded_text(values) if (top, left) == (1, 1) else None


def _book_dir(book: Any) -> str | None:
    """The workbook's folder where the runtime has a file system path for it (classic), else None (Lite, server)."""
    try:
        full = book.fullname
    except Exception:  # remote engines: a name, not a path
        return None
    return os.path.dirname(full) if full and os.path.isabs(full) else None


def _indicator(values, r, columns, forecast_col, actual_col, rules) -> dict[str, Any] | None:
    ident = g.cell(values, r, columns.get("id"))
    if ident is None:
        return None
    if isinstance(ident, float) and ident.is_integer():
        ident = int(ident)
    row = {
        "id": str(ident),
        "unit": g.cell(values, r, columns.get("unit")),
        "baseline": g.cell(values, r, columns.get("baseline")),
        "forecast": g.cell(values, r, forecast_col),
        "actual": g.cell(values, r, actual_col),
        "sample_size": g.cell(values, r, columns.get("sample_size")),
        "direction": g.cell(values, r, columns.get("direction")),
        "override": g.cell(values, r, columns.get("override")),
        "justification": g.cell(values, r, columns.get("justification")),
    }
    return scale_percent_row(row, rules)


def _locate(finding, sheet_name, sheet_row, left, columns, forecast_col, actual_col):
    col = {"forecast": forecast_col, "actual": actual_col}.get(finding.location.field, columns.get(finding.location.field))
    return finding.at(sheet=sheet_name, row=sheet_row, column=None if col is None else left + col)


# --- writing -------------------------------------------------------------------------------------------

def output_values(assessment: Any, lang: str) -> dict[str, Any]:
    """The four output cells of one row, as radit evaluate writes them."""
    return {
        "symbol": assessment.symbol,
        "deviation": assessment.format_deviation(lang),
        "basis": assessment.basis.label(lang),
        "explanation": assessment.explain(lang),
    }


def _write_outputs(sheet, top, left, layout, assessed, lang) -> None:
    if layout.row_count <= 0:
        return
    first, last = top + layout.first_row, top + layout.last_row
    by_row = {row: output_values(a, lang) for row, a in assessed}
    for name in OUTPUT_FIELDS:
        col = layout.columns.get(name)
        if col is None:
            continue
        # One block per column from the first to the last table row; rows without an id are blanked.
        block = [[by_row.get(row, {}).get(name)] for row in range(first, last + 1)]
        sheet.range((first, left + col), (last, left + col)).value = block
    colours = {row: a.colour for row, a in assessed}
    symbol_col = left + layout.columns["symbol"]
    for start, end, colour in runs([colours.get(row) for row in range(first, last + 1)]):
        if colour is None:
            continue  # a row without an id keeps its fill: clients differ on a null colour
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


def _sheet(book, sheets: Mapping[str, Any], kind: str, lang: str):
    """The legend/summary sheet in either language, created after the last sheet when missing, then cleared."""
    for name, sheet in sheets.items():
        if (sheet_kind(name) or ("",))[0] == kind:
            sheet.clear()
            return sheet
    last = list(book.sheets)[-1]
    return book.sheets.add(SHEETS[kind][lang], after=last)


def _write_legend(book, sheets, rules, lang) -> None:
    from workbook.writing.legend import HEADERS, TITLE, legend_rows

    sheet = _sheet(book, sheets, "legend", lang)
    rows = legend_rows(rules, lang)
    block = [[TITLE[lang], None, None], [None, None, None], list(HEADERS[lang])]
    block += [[row.symbol, row.label, row.description] for row in rows]
    sheet.range((1, 1), (len(block), 3)).value = block
    for offset, row in enumerate(rows):
        sheet.range((4 + offset, 1)).color = row.colour


def summary_block(rules, lang, assessed, goal_of) -> list[list[Any]]:
    """Counts per status for every goal, every result under it, and the whole book."""
    statuses = list(rules.statuses)
    header = [say("goal", lang), say("result", lang), *[rules.label(s, lang) for s in statuses], say("total", lang)]
    groups: dict[Any, dict[Any, Counter]] = {}
    for row, a in assessed:
        goal, result = goal_of(row)
        groups.setdefault(goal, {}).setdefault(result, Counter())[a.status.value] += 1

    def line(goal, result, counter: Counter) -> list[Any]:
        counts = [counter.get(s.value, 0) for s in statuses]
        return [goal, result, *counts, sum(counts)]

    block = [header]
    overall: Counter = Counter()
    for goal, results in groups.items():
        goal_total: Counter = Counter()
        for counter in results.values():
            goal_total.update(counter)
        block.append(line(goal, say("all", lang), goal_total))
        block.extend(line(goal, result, counter) for result, counter in results.items())
        overall.update(goal_total)
    block.append(line(say("total", lang), None, overall))
    return block


def _write_summary(book, sheets, rules, lang, assessed, values, layout, top, year, choice: RuleChoice) -> None:
    sheet = _sheet(book, sheets, "summary", lang)

    def goal_of(sheet_row: int):
        r = sheet_row - top
        goal = g.cell(values, r, layout.columns.get("goal_code")) or g.cell(values, r, layout.columns.get("goal"))
        result = g.cell(values, r, layout.columns.get("result_code")) or g.cell(values, r, layout.columns.get("result"))
        level = g.cell(values, r, layout.columns.get("level"))
        # Policy and action results are numbered alike (A1, A2 …) under one goal: the level keeps them apart.
        return goal, (f"{result} ({level})" if result is not None and level else result)

    table = summary_block(rules, lang, assessed, goal_of)
    width = len(table[0])
    head = [
        [say("summary", lang)] + [None] * (width - 1),
        [say("year_line", lang, year=year)] + [None] * (width - 1),
        [say("rules_line", lang, name=rules.name, sha=rules.sha256)] + [None] * (width - 1),
        [say("version_line", lang, version=_version())] + [None] * (width - 1),
        [None] * width,
    ]
    block = head + table
    sheet.range((1, 1), (len(block), width)).value = block
    header_row = len(head) + 1
    for offset, status in enumerate(rules.statuses):
        sheet.range((header_row, 3 + offset)).color = rules.colour(status)


def _version() -> str:
    import engine

    return engine.__version__


def _messages(choice: RuleChoice, findings, count: int, lang: str) -> list[str]:
    from engine.findings import Severity

    lines: list[str] = []
    if choice.note:
        lines.append(say("rules_missing", lang, name=choice.note))
    problems = [f for f in findings if f.severity == Severity.ERROR]
    if problems:
        lines.append(say("findings", lang, count=count, problems=len(problems)))
        lines.extend(f.render(lang) for f in problems[:ALERT_FINDINGS])
        if len(problems) > ALERT_FINDINGS:
            lines.append(say("more", lang, n=len(problems) - ALERT_FINDINGS))
    return lines


def _fail(book, lang: str, message: str, alert: bool) -> EvaluateOutcome:
    if alert:
        book.app.alert(message, title=say("title", lang))
    return EvaluateOutcome(lang=lang, error=message, messages=(message,))
