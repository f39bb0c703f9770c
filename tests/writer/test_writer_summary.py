"""workbook.writing.summary: the legend and summary sheets as plain values, from the sample's real assessments."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

import engine
from engine import Status
from workbook.writing.legend import legend_rows
from workbook.model.rows import IndicatorRow
from workbook.reading.calamine import read_master
from workbook.writing.summary import owned_sheets
from workbook.writing.xlsxpatch.model import Provenance

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "seed-2016.xlsx"
RULES = engine.default_rules()
PROV = Provenance(version="0.1.0", rules_name="default.json", rules_sha256=RULES.sha256, year=2016, time="2026-11-28T12:00:00Z")


@pytest.fixture(scope="module")
def sample():
    book = read_master(str(SAMPLE))
    return book, [(row, engine.assess(row.values, RULES)) for row in book.rows]


def grid(sheet) -> dict[tuple[int, int], object]:
    return {(c.row, c.col): c.value for c in sheet.cells}


def row_of(sheet, text) -> list:
    g = grid(sheet)
    r = next(r for (r, c), v in sorted(g.items()) if c == 1 and v == text)
    return [g.get((r, c)) for c in range(2, 1 + max(c for _, c in g))]


def test_the_summary_counts_every_status_per_goal_result_and_in_total(sample):
    book, assessed = sample
    _, summary = owned_sheets(book, assessed, RULES, "lv", PROV)
    want = Counter(a.status for _, a in assessed)
    total = row_of(summary, "Kopā")
    assert total[:5] == [want[s] for s in RULES.statuses] + [27] == [6, 11, 7, 3, 27]
    assert row_of(summary, "A")[:5] == [4, 3, 4, 2, 13] and row_of(summary, "B")[:5] == [2, 8, 3, 1, 14]
    # The source numbers policy and action results alike: A1 of each level is its own line.
    policy, action = row_of(summary, "    Politikas rezultāts A1"), row_of(summary, "    Darbības rezultāts A1")
    assert policy[:5] == [1, 0, 1, 0, 2] and action[:5] == [2, 0, 0, 0, 2]
    assert policy[5].startswith("pieaug sabiedrības")  # the result's wording beside its counts


def test_status_headers_carry_symbol_label_and_the_rule_files_fill(sample):
    book, assessed = sample
    _, summary = owned_sheets(book, assessed, RULES, "en", PROV)
    header = {c.col: c for c in summary.cells if c.value == "Goal / result"}
    top = next(c.row for c in summary.cells if c.value == "Goal / result")
    cells = {c.col: c for c in summary.cells if c.row == top}
    assert header and [(cells[2 + i].value, cells[2 + i].style.fill) for i in range(4)] == [
        (f"{RULES.symbol(s)} {RULES.label(s, 'en')}", RULES.colour(s)) for s in RULES.statuses]
    assert cells[6].value == "Total"


@pytest.mark.parametrize("lang,lines", [
    ("lv", ["Kopsavilkums", "Novērtējuma gads: 2016", f"Noteikumi: default.json (SHA-256 {RULES.sha256})",
            "Novērtēja radit 0.1.0", "Novērtēts: 2026-11-28T12:00:00Z"]),
    ("en", ["Summary", "Evaluation year: 2016", f"Rules: default.json (SHA-256 {RULES.sha256})",
            "Evaluated by radit 0.1.0", "Evaluated: 2026-11-28T12:00:00Z"]),
])
def test_provenance_heads_the_summary_in_the_books_language(sample, lang, lines):
    book, assessed = sample
    _, summary = owned_sheets(book, assessed, RULES, lang, PROV)
    g = grid(summary)
    assert [g[(r, 1)] for r in range(1, 6)] == lines
    assert summary.name == {"lv": "Kopsavilkums", "en": "Summary"}[lang]
    assert summary.aliases == ({"lv": "Summary", "en": "Kopsavilkums"}[lang],)


def test_the_chart_reads_one_row_per_result_coloured_by_status(sample):
    book, assessed = sample
    _, summary = owned_sheets(book, assessed, RULES, "lv", PROV)
    chart, g = summary.chart, grid(summary)
    assert [(s.colour, s.col) for s in chart.series] == [(RULES.colour(s), 2 + i) for i, s in enumerate(RULES.statuses)]
    categories = [g[(r, chart.category_col)] for r in range(chart.first_row, chart.last_row + 1)]
    assert categories[:3] == ["A1 PR", "A2 PR", "A1 DR"] and categories[-1] == "B4 DR" and len(categories) == 14
    counts = [[g[(r, s.col)] for s in chart.series] for r in range(chart.first_row, chart.last_row + 1)]
    assert [sum(col) for col in zip(*counts)] == [6, 11, 7, 3]
    # The chart sits below the counts and above its own data, covering no cell radit writes.
    occupied = {r for (r, _c) in g}
    assert not occupied & set(range(chart.anchor_from[0], chart.anchor_to[0] + 1))


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_the_legend_is_table_1_of_the_rule_file_in_use(sample, lang, tmp_path):
    raw = json.loads(json.dumps(RULES.raw))
    raw.pop("$schema", None)
    raw["statuses"]["worse"].update(symbol="✖", colour="#FF0000")
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    rules = engine.load_rules(path)
    book, _ = sample
    legend, summary = owned_sheets(book, [], rules, lang, PROV)
    g = grid(legend)
    rows = legend_rows(rules, lang)
    assert [(g[(4 + i, 1)], g[(4 + i, 2)], g[(4 + i, 3)]) for i in range(len(rows))] == [
        (r.symbol, r.label, r.description) for r in rows]
    fills = {c.row: c.style.fill for c in legend.cells if c.col == 1 and c.row >= 4}
    assert fills[5] == "#FF0000" and g[(5, 1)] == "✖"
    assert f"✖ {rules.label(Status.WORSE, lang)}" in grid(summary).values()


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_what_radit_writes_carries_the_signature_it_recognises(sample, lang):
    book, assessed = sample
    for sheet in owned_sheets(book, assessed, RULES, lang, PROV):
        g = grid(sheet)
        for ref, prefixes in sheet.signature:
            row, col = int(ref[1:]), ord(ref[0]) - 64
            assert str(g[(row, col)]).startswith(prefixes)


def _assessments() -> dict[str, object]:
    money = {"id": "x", "unit": "EUR", "baseline": 1, "forecast": 100}
    return {s: engine.assess({**money, "actual": actual}, RULES)
            for s, actual in (("achieved", 100), ("worse", 50), ("better", 150), ("not_assessed", None))}


ASSESSED = _assessments()


def test_a_book_without_goals_or_results_is_counted_as_one_unnamed_group():
    rows = [(IndicatorRow(2 + i, {}, {}), ASSESSED[s]) for i, s in enumerate(["worse", "worse", "better"])]
    _, summary = owned_sheets(None, rows, RULES, "lv", PROV)
    assert row_of(summary, "(nav norādīts)")[:5] == [0, 2, 1, 0, 3]
    assert summary.chart.title == "Rādītāju vērtējumi pa mērķiem" and summary.chart.first_row == summary.chart.last_row


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["A", "B", None]), st.sampled_from(["1", "2", None]),
                          st.sampled_from(["Politikas rezultāts", "Darbības rezultāts", None]),
                          st.sampled_from(sorted(ASSESSED))), max_size=30))
def test_goal_lines_and_the_total_add_up_to_every_row(items):
    rows = [(IndicatorRow(2 + i, {}, {"goal_code": g, "result_code": r, "level": lvl}), ASSESSED[s])
            for i, (g, r, lvl, s) in enumerate(items)]
    _, summary = owned_sheets(None, rows, RULES, "en", PROV)
    g = grid(summary)
    top = next(c.row for c in summary.cells if c.value == "Goal / result")
    bottom = next(c.row for c in summary.cells if c.value == "Total" and c.col == 1)
    goal_rows = [c.row for c in summary.cells if c.col == 1 and c.style.bold and top < c.row < bottom]
    assert row_of(summary, "Total")[4] == len(items)
    assert sum(g[(r, 6)] for r in goal_rows) == len(items)
    assert len(goal_rows) == len({g for g, *_ in items})


def test_result_levels_are_named_in_the_summarys_language(sample):
    book, assessed = sample
    _, summary = owned_sheets(book, assessed, RULES, "en", PROV)
    assert row_of(summary, "    Policy result A1")[:5] == [1, 0, 1, 0, 2]
    assert row_of(summary, "    Action result A1")[:5] == [2, 0, 0, 0, 2]


def test_a_chart_of_too_many_results_falls_back_to_goals_then_to_none():
    from types import SimpleNamespace

    import engine
    from workbook.writing.summary import CHART_CATEGORIES, summary_sheet
    from workbook.writing.xlsxpatch.model import Provenance

    rules = engine.default_rules()
    a = SimpleNamespace(status=engine.Status.ACHIEVED)
    prov = Provenance("0", "default.json", "0" * 64, 2016, "2026-11-28T12:00:00Z")

    def rows(goals, results):
        return [(SimpleNamespace(stored={"goal_code": f"G{g}", "result_code": f"R{r}", "level": "Politikas rezultāts"}), a)
                for g in range(goals) for r in range(results)]

    assert summary_sheet(rows(2, 3), rules, "lv", prov).chart.last_row - summary_sheet(rows(2, 3), rules, "lv", prov).chart.first_row == 5
    by_goal = summary_sheet(rows(3, CHART_CATEGORIES), rules, "lv", prov).chart
    assert by_goal is not None and by_goal.last_row - by_goal.first_row == 2  # 3 goals
    assert summary_sheet(rows(CHART_CATEGORIES + 1, 1), rules, "lv", prov).chart is None
