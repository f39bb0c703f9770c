"""The legend and summary sheets radit owns, as plain values (OwnedSheet); the same counts as the Excel add-in."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from workbook.columns import SHEETS
from workbook.xl.messages import say
from workbook.xlsxpatch.model import ChartSpec, OwnedCell, OwnedSheet, Provenance, Series, Style

BOLD = Style(bold=True)
WRAP = Style(wrap=True)

LINES = {
    "lv": {"time": "Novērtēts: {time}", "version": "Novērtēja radit {version}", "per_goal": "Pa mērķiem",
           "chart": "Rādītāju vērtējumi pa mērķiem"},
    "en": {"time": "Evaluated: {time}", "version": "Evaluated by radit {version}", "per_goal": "By goal",
           "chart": "Indicator assessments by goal"},
}


def summary_block(rules, lang: str, assessed: Sequence[tuple[Any, Any]], goal_of: Callable[[Any], tuple[Any, Any]]) -> list[list[Any]]:
    """Counts per status for every goal, every result under it, and the whole book (header row first)."""
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


def goal_and_result(row) -> tuple[Any, Any]:
    """A row's goal and result as the summary names them: the code where there is one, else the text."""
    stored = row.stored
    goal = stored.get("goal_code") or stored.get("goal")
    result = stored.get("result_code") or stored.get("result")
    return goal, result


def legend_sheet(rules, lang: str) -> OwnedSheet:
    from workbook.legend import HEADERS, TITLE, legend_rows

    cells = [OwnedCell(1, 1, TITLE[lang], BOLD)]
    cells += [OwnedCell(3, c, text, BOLD) for c, text in enumerate(HEADERS[lang], start=1)]
    for offset, row in enumerate(legend_rows(rules, lang)):
        r = 4 + offset
        cells += [OwnedCell(r, 1, row.symbol, Style(fill=row.colour)), OwnedCell(r, 2, row.label, WRAP),
                  OwnedCell(r, 3, row.description, WRAP)]
    return OwnedSheet(name=SHEETS["legend"][lang], cells=tuple(cells), col_widths={1: 10, 2: 34, 3: 90},
                      aliases=tuple(v for k, v in SHEETS["legend"].items() if k != lang))


def summary_sheet(rules, lang: str, assessed, provenance: Provenance) -> OwnedSheet:
    text = LINES[lang]
    head = [say("summary", lang), say("year_line", lang, year=provenance.year if provenance.year is not None else "–"),
            say("rules_line", lang, name=provenance.rules_name, sha=provenance.rules_sha256),
            text["version"].format(version=provenance.version), text["time"].format(time=provenance.time)]
    cells = [OwnedCell(1, 1, head[0], BOLD)] + [OwnedCell(2 + i, 1, line) for i, line in enumerate(head[1:])]
    statuses = list(rules.statuses)
    block = summary_block(rules, lang, assessed, goal_and_result)
    top = len(head) + 2  # one empty row after the provenance lines
    cells += _block_cells(block, top, rules, statuses, lang)

    # A compact per-goal table for the chart: contiguous ranges, one series per status.
    per_goal = [line for line in block[1:-1] if line[1] == say("all", lang)]
    chart = None
    if per_goal:
        chart_top = top + len(block) + 2
        cells.append(OwnedCell(chart_top - 1, 1, text["per_goal"], BOLD))
        cells += [OwnedCell(chart_top, 1, say("goal", lang), BOLD)]
        cells += [OwnedCell(chart_top, 2 + i, rules.label(s, lang), Style(bold=True, fill=rules.colour(s), wrap=True))
                  for i, s in enumerate(statuses)]
        for offset, line in enumerate(per_goal, start=1):
            cells.append(OwnedCell(chart_top + offset, 1, _text(line[0])))
            cells += [OwnedCell(chart_top + offset, 2 + i, line[2 + i]) for i in range(len(statuses))]
        last = chart_top + len(per_goal)
        chart = ChartSpec(title=text["chart"], first_row=chart_top + 1, last_row=last, category_col=1,
                          series=tuple(Series(rules.label(s, lang), 2 + i, rules.colour(s)) for i, s in enumerate(statuses)),
                          anchor_from=(top, len(block[0]) + 2), anchor_to=(top + 18, len(block[0]) + 10))
    widths = {1: 28, 2: 24, **{3 + i: 16 for i in range(len(statuses))}, 3 + len(statuses): 10}
    return OwnedSheet(name=SHEETS["summary"][lang], cells=tuple(cells), col_widths=widths, chart=chart,
                      freeze_rows=0, aliases=tuple(v for k, v in SHEETS["summary"].items() if k != lang))


def _block_cells(block: list[list[Any]], top: int, rules, statuses, lang: str) -> list[OwnedCell]:
    cells = []
    for c, value in enumerate(block[0], start=1):
        fill = rules.colour(statuses[c - 3]) if 3 <= c < 3 + len(statuses) else None
        cells.append(OwnedCell(top, c, value, Style(bold=True, fill=fill, wrap=True)))
    whole_goal = say("all", lang)
    for offset, line in enumerate(block[1:], start=1):
        # A goal's own line and the grand total stand out; result lines under a goal do not.
        style = BOLD if offset == len(block) - 1 or line[1] == whole_goal else Style()
        for c, value in enumerate(line, start=1):
            cells.append(OwnedCell(top + offset, c, _text(value) if c <= 2 else value, style))
    return cells


def _text(value: Any) -> Any:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def owned_sheets(book, assessed, rules, lang: str, provenance: Provenance) -> list[OwnedSheet]:
    """The legend (Table 1 with the rule file's symbols and colours) and the summary (counts, chart, provenance)."""
    return [legend_sheet(rules, lang), summary_sheet(rules, lang, assessed, provenance)]
