"""The legend and summary sheets radit owns, as plain values (OwnedSheet): Table 1, counts per goal and result, chart, provenance."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from engine.tally import Tally, tally
from workbook.columns import LEVELS, SHEETS
from workbook.legend import HEADERS, TITLE, legend_rows
from workbook.xlsxpatch.model import ChartSpec, OwnedCell, OwnedSheet, Provenance, Series, Style

BOLD = Style(bold=True)
WRAP = Style(wrap=True)
INDENT = "    "  # results sit under their goal; a cell style has no indent, so leading spaces (kept by xml:space)

TEXT = {
    "lv": {"title": "Kopsavilkums", "year": "Novērtējuma gads: {year}", "rules": "Noteikumi: {name} (SHA-256 {sha})",
           "version": "Novērtēja radit {version}", "time": "Novērtēts: {time}", "group": "Mērķis / rezultāts",
           "total": "Kopā", "chart": "Rādītāju vērtējumi pa rezultātiem", "chart_goal": "Rādītāju vērtējumi pa mērķiem",
           "chart_data": "Diagrammas dati", "category": "Rezultāts", "goal": "Mērķis", "none": "(nav norādīts)",
           "legend_rules": "Noteikumi: {name}"},
    "en": {"title": "Summary", "year": "Evaluation year: {year}", "rules": "Rules: {name} (SHA-256 {sha})",
           "version": "Evaluated by radit {version}", "time": "Evaluated: {time}", "group": "Goal / result",
           "total": "Total", "chart": "Indicator assessments by result", "chart_goal": "Indicator assessments by goal",
           "chart_data": "Chart data", "category": "Result", "goal": "Goal", "none": "(not given)",
           "legend_rules": "Rules: {name}"},
}
# Short level names for chart categories: the source numbers policy and action results alike (A1, A2, …).
LEVEL_SHORT = {"policy_result": {"lv": "PR", "en": "PR"}, "action_result": {"lv": "DR", "en": "AR"}}

# What marks an existing sheet as radit's (see xlsxpatch.sheets): its title in A1 and, on the summary, the rule
# line in A3 that both radit evaluate and the Excel add-in write there.
LEGEND_SIGNATURE = (("A1", tuple(TITLE.values())), ("A3", tuple(h[0] for h in HEADERS.values())))
SUMMARY_SIGNATURE = (("A1", tuple(t["title"] for t in TEXT.values())),
                     ("A3", tuple(t["rules"].split("{")[0] for t in TEXT.values())))


def owned_sheets(book, assessed: Sequence[tuple[Any, Any]], rules, lang: str, provenance: Provenance) -> list[OwnedSheet]:
    """The legend (Table 1 with the rule file's symbols and colours) and the summary (counts, chart, provenance)."""
    return [legend_sheet(rules, lang, provenance), summary_sheet(assessed, rules, lang, provenance)]


def legend_sheet(rules, lang: str, provenance: Provenance | None = None) -> OwnedSheet:
    """Table 1 laid out as `radit new` lays it out, plus the rule file it came from in A2."""
    cells = [OwnedCell(1, 1, TITLE[lang], BOLD)]
    if provenance is not None:
        cells.append(OwnedCell(2, 1, TEXT[lang]["legend_rules"].format(name=provenance.rules_name)))
    cells += [OwnedCell(3, c, text, BOLD) for c, text in enumerate(HEADERS[lang], start=1)]
    for offset, row in enumerate(legend_rows(rules, lang)):
        r = 4 + offset
        cells += [OwnedCell(r, 1, row.symbol, Style(fill=row.colour)), OwnedCell(r, 2, row.label, WRAP),
                  OwnedCell(r, 3, row.description, WRAP)]
    return OwnedSheet(name=SHEETS["legend"][lang], cells=tuple(cells), col_widths={1: 10, 2: 34, 3: 90},
                      aliases=_aliases("legend", lang), signature=LEGEND_SIGNATURE)


def count_statuses(assessed: Sequence[tuple[Any, Any]], rules) -> tuple[Tally, dict[Any, dict[str, Any]]]:
    """The tally per goal and (level, result code), and for every key the row fields that name it."""
    names: dict[Any, dict[str, Any]] = {}
    items = []
    for row, a in assessed:
        s = row.stored
        goal = _key(s.get("goal_code")) or _key(s.get("goal"))
        result = (_level(s.get("level")), _key(s.get("result_code")) or _key(s.get("result")))
        result = None if result == (None, None) else result
        names.setdefault(goal, {"code": _text(s.get("goal_code")), "text": _text(s.get("goal"))})
        names.setdefault((goal, result), {"code": _text(s.get("result_code")), "text": _text(s.get("result")),
                                          "level": _text(s.get("level")), "level_key": _level(s.get("level"))})
        items.append((goal, result, a.status))
    return tally(items, rules.statuses), names


def summary_sheet(assessed: Sequence[tuple[Any, Any]], rules, lang: str, provenance: Provenance) -> OwnedSheet:
    text = TEXT[lang]
    year = provenance.year if provenance.year is not None else "–"
    head = [text["title"], text["year"].format(year=year),
            text["rules"].format(name=provenance.rules_name, sha=provenance.rules_sha256),
            text["version"].format(version=provenance.version), text["time"].format(time=provenance.time)]
    cells = [OwnedCell(1, 1, head[0], BOLD)] + [OwnedCell(2 + i, 1, line) for i, line in enumerate(head[1:])]
    statuses = list(rules.statuses)
    width = len(statuses)
    counted, names = count_statuses(assessed, rules)

    top = len(head) + 2  # one empty row after the provenance lines
    cells += _header(top, text["group"], rules, statuses, lang, text["total"])
    r = top
    for goal in counted.goals:
        r += 1
        cells += _count_row(r, _goal_label(names[goal.key], text), goal.counts, BOLD)
        for result in goal.results:
            if result.key is None and len(goal.results) == 1:
                continue  # a goal without results: its own line says it all
            r += 1
            label = INDENT + (_result_label(names[(goal.key, result.key)]) if result.key is not None else text["none"])
            cells += _count_row(r, label, result.counts, WRAP)
    r += 1
    cells += _count_row(r, text["total"], counted.counts, BOLD)

    # The chart reads a compact block of its own (contiguous ranges): one row per result, or per goal where the
    # book names no results. The chart sits between the table and that block.
    by_result = any(res.key is not None for g in counted.goals for res in g.results)
    if by_result:
        lines = [(_category(names[(g.key, res.key)], lang, g.key), res.counts) for g in counted.goals for res in g.results]
    else:
        lines = [(_text(g.key) or text["none"], g.counts) for g in counted.goals]
    chart = None
    if lines:
        chart_from, chart_to = (r + 2, 1), (r + 2 + 20, 2 + width)
        data_top = chart_to[0] + 2
        cells.append(OwnedCell(data_top, 1, text["chart_data"], BOLD))
        cells += _header(data_top + 1, text["category"] if by_result else text["goal"], rules, statuses, lang, None)
        for offset, (category, counts) in enumerate(lines, start=1):
            cells += _count_row(data_top + 1 + offset, category, counts, Style(), total=False)
        chart = ChartSpec(title=text["chart"] if by_result else text["chart_goal"], first_row=data_top + 2,
                          last_row=data_top + 1 + len(lines), category_col=1,
                          series=tuple(Series(f"{rules.symbol(s)} {rules.label(s, lang)}", 2 + i, rules.colour(s))
                                       for i, s in enumerate(statuses)),
                          anchor_from=chart_from, anchor_to=chart_to)
    widths = {1: 70, **{2 + i: 16 for i in range(width)}, 2 + width: 9}
    return OwnedSheet(name=SHEETS["summary"][lang], cells=tuple(cells), col_widths=widths, chart=chart,
                      aliases=_aliases("summary", lang), signature=SUMMARY_SIGNATURE)


def _header(row: int, first: str, rules, statuses, lang: str, total: str | None) -> list[OwnedCell]:
    cells = [OwnedCell(row, 1, first, BOLD)]
    cells += [OwnedCell(row, 2 + i, f"{rules.symbol(s)} {rules.label(s, lang)}", Style(bold=True, fill=rules.colour(s), wrap=True))
              for i, s in enumerate(statuses)]
    if total is not None:
        cells.append(OwnedCell(row, 2 + len(statuses), total, BOLD))
    return cells


def _count_row(row: int, label: str, counts: Sequence[int], style: Style, total: bool = True) -> list[OwnedCell]:
    number_style = Style(bold=style.bold)
    cells = [OwnedCell(row, 1, label, style)]
    cells += [OwnedCell(row, 2 + i, n, number_style) for i, n in enumerate(counts)]
    if total:
        cells.append(OwnedCell(row, 2 + len(counts), sum(counts), number_style))
    return cells


def _goal_label(name: dict[str, Any], text: dict[str, str]) -> str:
    parts = [p for p in (name["code"], name["text"]) if p]
    return " — ".join(parts) if parts else text["none"]


def _result_label(name: dict[str, Any]) -> str:
    head = " ".join(p for p in (name["level"], name["code"]) if p)
    return " — ".join(p for p in (head, name["text"]) if p)


def _category(name: dict[str, Any], lang: str, goal: Any) -> str:
    short = LEVEL_SHORT.get(name["level_key"] or "", {}).get(lang)
    code = name["code"] or (name["text"] or "")[:24] or (_text(goal) or "")
    return f"{code} {short}" if short else code


def _aliases(kind: str, lang: str) -> tuple[str, ...]:
    return tuple(v for k, v in SHEETS[kind].items() if k != lang)


def _level(value: Any) -> str | None:
    """The level's key (policy_result, action_result) from its text in either language, else the text itself."""
    text = _key(value)
    if text is None:
        return None
    for key, words in LEVELS.items():
        if text.casefold() in (w.casefold() for w in words):
            return key
    return text


def _key(value: Any) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return value.strip() if isinstance(value, str) else _text(value)


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value.strip() if isinstance(value, str) and value.strip() else None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
