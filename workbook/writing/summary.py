"""The legend and summary sheets radit owns, as plain values (OwnedSheet): Table 1, counts per goal and result, chart, provenance."""

from __future__ import annotations

import functools
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from engine.rules import text_key
from engine.tally import Tally, tally
from workbook.model.vocabulary import LEVELS, SHEETS
from workbook.writing.legend import HEADERS, TITLE, legend_rows
from workbook.writing.xlsxpatch.model import ChartSpec, OwnedCell, OwnedSheet, Provenance, Series, Style

BOLD = Style(bold=True)
WRAP = Style(wrap=True)
INDENT = "    "  # results sit under their goal; a cell style has no indent, so leading spaces (kept by xml:space)

TEXT = {
    "lv": {"title": "Kopsavilkums", "year": "Novērtējuma gads: {year}", "rules": "Noteikumi: {name} (SHA-256 {sha})",
           "version": "Novērtēja radit {version}", "time": "Novērtēts: {time}", "group": "Mērķis / rezultāts",
           "total": "Kopā", "chart": "Rādītāju vērtējumi pa rezultātiem", "chart_goal": "Rādītāju vērtējumi pa mērķiem",
           "chart_data": "Diagrammas dati", "category": "Rezultāts", "goal": "Mērķis", "none": "(nav norādīts)",
           "wording": "Formulējums",
           "legend_rules": "Noteikumi: {name}"},
    "en": {"title": "Summary", "year": "Evaluation year: {year}", "rules": "Rules: {name} (SHA-256 {sha})",
           "version": "Evaluated by radit {version}", "time": "Evaluated: {time}", "group": "Goal / result",
           "total": "Total", "chart": "Indicator assessments by result", "chart_goal": "Indicator assessments by goal",
           "chart_data": "Chart data", "category": "Result", "goal": "Goal", "none": "(not given)",
           "wording": "Wording",
           "legend_rules": "Rules: {name}"},
}
CHART_CATEGORIES = 40

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
    heights = {}
    for offset, row in enumerate(legend_rows(rules, lang)):
        r = 4 + offset
        heights[r] = _height(row.description, 100)
        cells += [OwnedCell(r, 1, row.symbol, Style(fill=row.colour)), OwnedCell(r, 2, row.label, WRAP),
                  OwnedCell(r, 3, row.description, WRAP)]
    return OwnedSheet(name=SHEETS["legend"][lang], cells=tuple(cells), col_widths={1: 10, 2: 34, 3: 90},
                      aliases=_aliases("legend", lang), signature=LEGEND_SIGNATURE, landscape=True,
                      row_heights=heights)


@dataclass(frozen=True)
class Groups:
    """The indicators grouped into goals and results: the one grouping behind the summary sheet (radit evaluate and
    the Excel route write it) and the report's tables, so that they cannot count a goal or a result differently."""

    tally: Tally  # counts per goal, per result under it and in total; groups in the order they first appear
    names: Mapping[Hashable, Mapping[str, Any]]  # per goal key and (goal key, result key): the first row's fields
    members: Mapping[tuple[Hashable, Hashable], Sequence[int]]  # per (goal key, result key): positions in `assessed`


def group_indicators(assessed: Sequence[tuple[Any, Any]], rules) -> Groups:
    """Every (row, assessment) under its goal (code, else wording) and its result (level, then code, else wording).

    Texts that look alike are one group: a code or wording is compared trimmed and with every run of white space as
    one space (a line break typed in the cell, a double space pasted from a document), and a level is the source's
    policy or action result whatever the case, spacing or language of its word, or its key (policy_result). Case
    otherwise counts: a goal "A" and a goal "a" are two goals.
    """
    names: dict[Any, dict[str, Any]] = {}
    members: dict[tuple[Any, Any], list[int]] = {}
    items = []
    for position, (row, a) in enumerate(assessed):
        s = row.stored
        goal = _key(s.get("goal_code")) or _key(s.get("goal"))
        result = (_level(s.get("level")), _key(s.get("result_code")) or _key(s.get("result")))
        group = (goal, None if result == (None, None) else result)
        rows = members.get(group)
        if rows is None:  # names once per group: 100 000 rows name only a few dozen groups
            rows = members[group] = []
            if goal not in names:
                names[goal] = {"code": _text(s.get("goal_code")), "text": _text(s.get("goal"))}
            names[group] = {"code": _text(s.get("result_code")), "text": _text(s.get("result")),
                            "level": _text(s.get("level")), "level_key": _level(s.get("level"))}
        rows.append(position)
        items.append((goal, group[1], a.status))
    return Groups(tally(items, rules.statuses), names, members)


def level_text(name: Mapping[str, Any], lang: str) -> str | None:
    """A result's level as the summary and the report name it: the source's words in `lang`, else as typed."""
    key = name.get("level_key")
    return LEVELS[key][lang == "en"] if key in LEVELS else name.get("level")


def summary_sheet(assessed: Sequence[tuple[Any, Any]], rules, lang: str, provenance: Provenance) -> OwnedSheet:
    text = TEXT[lang]
    year = provenance.year if provenance.year is not None else "–"
    head = [text["title"], text["year"].format(year=year),
            text["rules"].format(name=provenance.rules_name, sha=provenance.rules_sha256),
            text["version"].format(version=provenance.version), text["time"].format(time=provenance.time)]
    cells = [OwnedCell(1, 1, head[0], BOLD)] + [OwnedCell(2 + i, 1, line) for i, line in enumerate(head[1:])]
    statuses = list(rules.statuses)
    width = len(statuses)
    groups = group_indicators(assessed, rules)
    counted, names = groups.tally, groups.names

    top = len(head) + 2  # one empty row after the provenance lines
    # Codes in column A, counts beside them, the goal's or result's wording last and wrapped.
    wording_col = 3 + width
    heights: dict[int, float] = {top: 30.0}  # two lines of "▼ Rezultāts sliktāks …"
    cells += _header(top, text["group"], rules, statuses, lang, text["total"])
    cells.append(OwnedCell(top, wording_col, text["wording"], BOLD))
    r = top
    for goal in counted.goals:
        r += 1
        name = names[goal.key]
        cells += _count_row(r, name["code"] or (text["none"] if not name["text"] else ""), goal.counts, BOLD)
        cells.append(OwnedCell(r, wording_col, name["text"], Style(bold=True, wrap=True)))
        heights[r] = _height(name["text"] or "", 75)
        for result in goal.results:
            if result.key is None and len(goal.results) == 1:
                continue  # a goal without results: its own line says it all
            r += 1
            res = names[(goal.key, result.key)]
            label = " ".join(p for p in (level_text(res, lang), res["code"]) if p) or (text["none"] if not res["text"] else "")
            cells += _count_row(r, INDENT + label, result.counts, Style())
            cells.append(OwnedCell(r, wording_col, res["text"], WRAP))
            heights[r] = _height(res["text"] or "", 85)
    r += 1
    cells += _count_row(r, text["total"], counted.counts, BOLD)

    # The chart reads a compact block of its own (contiguous ranges): one row per result, or per goal where the
    # book names no results. The chart sits between the table and that block.
    # A chart stays readable up to a few dozen categories: beyond that by goal, beyond that none (the table has it all).
    by_result, lines = chart_lines(groups, lang)
    chart = None
    if lines:
        chart_from, chart_to = (r + 2, 1), (r + 2 + 20, 3 + width)
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
    widths = {1: 28, **{2 + i: 18 for i in range(width)}, 2 + width: 8, wording_col: 90}
    if chart is not None:
        heights[chart.first_row - 1] = 30.0
    return OwnedSheet(name=SHEETS["summary"][lang], cells=tuple(cells), col_widths=widths, chart=chart,
                      aliases=_aliases("summary", lang), signature=SUMMARY_SIGNATURE, row_heights=heights,
                      landscape=True)


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


def chart_lines(groups: Groups, lang: str) -> tuple[bool, list[tuple[str, tuple[int, ...]]]]:
    """(by result, [(category, counts)]) of the summary sheet's chart and the report's: one category per result
    (`A1 PR`, `A1 DR`), or per goal where the book names no results or names more than CHART_CATEGORIES; no lines
    where even the goals are too many (the table has it all). A category is the code, else the wording's first
    24 characters on one line."""
    counted, names = groups.tally, groups.names
    by_result = any(res.key is not None for g in counted.goals for res in g.results)
    by_result = by_result and sum(len(g.results) for g in counted.goals) <= CHART_CATEGORIES
    if by_result:
        lines = [(_category(names[(g.key, res.key)], lang, names[g.key]), res.counts)
                 for g in counted.goals for res in g.results]
    else:
        lines = [(_short(names[g.key]) or TEXT[lang]["none"], g.counts) for g in counted.goals]
    return by_result, lines if len(lines) <= CHART_CATEGORIES else []


def _short(name: Mapping[str, Any]) -> str:
    return name["code"] or " ".join((name["text"] or "").split())[:24]


def _category(name: Mapping[str, Any], lang: str, goal: Mapping[str, Any]) -> str:
    short = LEVEL_SHORT.get(name["level_key"] or "", {}).get(lang)
    code = _short(name) or _short(goal)
    return f"{code} {short}" if short else code


def _height(text: str, per_line: int) -> float:
    """A wrapped cell's row height in points (about per_line characters a line): readers do not all fit rows."""
    return 15.0 * max(1, -(-len(text) // per_line))


def _aliases(kind: str, lang: str) -> tuple[str, ...]:
    return tuple(v for k, v in SHEETS[kind].items() if k != lang)


_LEVEL_KEYS = {text_key(word): key for key, words in LEVELS.items() for word in (key, *words)}


@functools.lru_cache(maxsize=1024)  # a few distinct level texts recur on every row
def _level(value: Any) -> str | None:
    """The level's key (policy_result, action_result) from its text in either language or the key itself, compared
    as radit compares typed words (engine.rules.text_key); any other text is its own level."""
    text = _key(value)
    if text is None:
        return None
    return _LEVEL_KEYS.get(text_key(text), text)


def _key(value: Any) -> Any:
    """What identifies a goal or a result: its text trimmed, inner runs of white space one space; None when empty."""
    if isinstance(value, str):
        return " ".join(value.split()) or None
    return None if value is None else _text(value)


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value.strip() if isinstance(value, str) and value.strip() else None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
