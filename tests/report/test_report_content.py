"""report_content: the sample's 27 indicators under their goals and results, with the workbook's own texts."""
from __future__ import annotations

import json

import pytest

from engine import assess
from engine.errors import RaditError
from workbook.errors import WorkbookError
from tests.report.conftest import NOW, SAMPLE, sample_ids


def test_the_sample_gives_its_27_indicators_in_the_order_of_the_source_table(content):
    assert [i.id for i in content.indicators] == sample_ids()
    assert [g.code for g in content.goals] == ["A", "B"]
    assert [r.short for r in content.goals[0].results] == [
        "Politikas rezultāts A1", "Politikas rezultāts A2", *(f"Darbības rezultāts A{n}" for n in range(1, 7))]
    assert content.goals[0].results[0].heading.startswith("Politikas rezultāts A1: pieaug sabiedrības")


def test_the_counts_are_the_evaluate_counts_per_goal_result_and_book(content):
    assert content.counts == (6, 11, 7, 3) and content.total == 27
    assert [g.counts for g in content.goals] == [(4, 3, 4, 2), (2, 8, 3, 1)]
    for goal in content.goals:
        assert goal.counts == tuple(map(sum, zip(*(r.counts for r in goal.results))))
        for result in goal.results:
            assert result.total == len(result.indicators)


@pytest.mark.parametrize("ind, baseline, forecast, actual, symbol, deviation", [
    ("A.AR1.1", "35 702", "36 000", "35 782", "●", "−0,61 %"),
    ("A.AR1.2", "35 – 70>", "35 – 70>", "35 – 70>", "●", "0,00 %"),
    ("B.PR2.1", "15%", "+ 2% (salīdzinājumā ar 2012.gadu)", "19%", "●", "+2,00 p.p."),
    ("B.AR4.2", "0", "1", "0", "-", "–"),
    ("B.AR4.3", "4 296", "4 300", "2 072", "▼", "−51,81 %"),
])
def test_values_read_as_the_workbook_holds_them_and_the_assessment_as_evaluate_writes_it(content, ind, baseline,
                                                                                          forecast, actual, symbol, deviation):
    line = next(i for i in content.indicators if i.id == ind)
    assert (line.baseline, line.forecast, line.actual, line.symbol, line.deviation) == (baseline, forecast, actual,
                                                                                       symbol, deviation)
    assert (line.baseline_year, line.forecast_year, line.actual_year) == (2012, 2016, 2016)


def test_the_texts_are_the_engines_in_the_books_language(content):
    from workbook.reading.calamine import read_master

    book = read_master(SAMPLE)
    for row, line in zip(book.rows, content.indicators):
        a = assess(row.values, book.rules)
        assert line.explanation == a.explain("lv") and line.deviation == a.format_deviation("lv")
        assert line.basis == a.basis.label("lv") and line.label == book.rules.label(a.status, "lv")
    assert content.lang == "lv" and content.title == "Rezultatīvo rādītāju novērtējums 2016"


def test_english_on_request(tmp_path):
    from workbook.report.content import report_content

    en = report_content(SAMPLE, lang="en", now=NOW)
    line = next(i for i in en.indicators if i.id == "A.AR1.1")
    assert line.explanation == "Achieved: 35,782 against a forecast of 36,000, deviation −0.61 % (tolerance ±2 %)"
    assert line.basis == "computed" and line.label == "Result achieved" and line.baseline == "35 702"
    assert en.goals[0].results[2].short == "Action result A1"
    assert [s.label for s in en.statuses][0] == "Result achieved"


def test_an_evaluated_book_reports_what_a_fresh_one_does(content, tmp_path):
    from workbook.report.content import report_content
    from workbook.writing.evaluate import evaluate_file

    out = tmp_path / "evaluated.xlsx"
    evaluate_file(SAMPLE, out=out, now=NOW)
    again = report_content(out, now=NOW)
    assert [(i.id, i.symbol, i.explanation) for i in again.indicators] == \
           [(i.id, i.symbol, i.explanation) for i in content.indicators]
    assert again.counts == content.counts


def test_the_legend_and_provenance_come_from_the_rule_file_in_use(tmp_path):
    from engine.rules import rules_path
    from workbook.report.content import report_content

    doc = json.loads(rules_path("default.json").read_text("utf-8"))
    doc["statuses"]["achieved"]["symbol"] = "✓"
    doc["statuses"]["achieved"]["label"]["lv"] = "Sasniegts pilnībā"
    mine = tmp_path / "ministry.json"
    mine.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    c = report_content(SAMPLE, rules=mine, now=NOW)
    assert (c.statuses[0].symbol, c.statuses[0].label) == ("✓", "Sasniegts pilnībā")
    assert next(i for i in c.indicators if i.id == "A.AR1.1").symbol == "✓"
    assert c.provenance.rules_name == "ministry.json" and len(c.provenance.rules_sha256) == 64
    assert (c.provenance.year, c.provenance.date, c.provenance.book) == (2016, "2026-11-30", "seed-2016.xlsx")


@pytest.mark.parametrize("make, code", [
    (lambda p: p / "missing.xlsx", "not-found"),
    (lambda p: (p / "text.xlsx").write_text("not a workbook") and p / "text.xlsx", "not-a-zip"),
])
def test_a_book_that_cannot_be_read_is_a_named_error(tmp_path, make, code):
    from workbook.report.content import report_content

    with pytest.raises(WorkbookError) as caught:
        report_content(make(tmp_path))
    assert isinstance(caught.value, RaditError) and caught.value.code == code
