"""The columns' years (Prognoze 2016, Bāzes gads) reach the engine for every row whose reading can use them, and
only those rows carry them: a row of numbers is a smaller dict, and its answer is the one it would have with them."""
from __future__ import annotations

from engine import assess
from engine.values import YEAR_KEYS
from reading_books import HEAD_LV
from workbook.reading.calamine import read_master
from workbook.report.content import report_content
from workbook.validation.validate import validate_book

HEAD = [*HEAD_LV[:3], "Bāzes gads", *HEAD_LV[3:]]  # a row's own base year beside the baseline
ROWS = [
    # id, unit, direction, base year, baseline, forecast, actual, sample, override, justification, symbol
    ["A.1", "count", None, None, 8, 36000, 35280, None, None, None, None],
    ["A.2", "count", None, 2013, 6900, 7000, "7 137 (2015)", None, None, None, None],  # achieved for another year
    ["A.3", "percent", None, 2013, 15, "+ 2% (salīdzinājumā ar 2012.gadu)", 19, None, None, None, None],  # base year
    ["A.4", "percent", None, 2012, 15, "+ 2% (salīdzinājumā ar 2012.gadu)", 19, None, None, None, None],
    ["B.1", "money", "lower_is_better", 2011, None, 1000, 1021, 500, None, None, None],
    ["B.2", "count", None, None, 1, "1 000", 990.5, None, None, None, None],  # a number typed as text
]


def _carries_years(row) -> bool:
    return any(k in row.values for k in YEAR_KEYS.values())


def test_only_rows_with_a_text_carry_the_years_and_the_year_checks_still_apply(book):
    path = book(ROWS, headers=HEAD)
    model = read_master(path)
    assert [(r.values["id"], _carries_years(r)) for r in model.rows] == [
        ("A.1", False), ("A.2", True), ("A.3", True), ("A.4", True), ("B.1", False), ("B.2", True)]
    a3 = next(r for r in model.rows if r.values["id"] == "A.3")
    assert (a3.values["forecast_year"], a3.values["actual_year"], a3.values["baseline_year"]) == (2016, 2016, 2013)
    codes = [(f.code, f.location.cell) for f in validate_book(path).findings]
    assert ("cell-year-mismatch", "G3") in codes  # 7 137 (2015) in Sasniegts 2016
    assert ("base-year-mismatch", "F4") in codes  # relative to 2012, the row's own base year is 2013
    assert not any(cell in ("F5", "G2", "G6") for code, cell in codes if code.endswith("year-mismatch"))


def test_a_row_without_its_years_gets_the_answer_it_gets_with_them(book):
    model = read_master(book(ROWS, headers=HEAD))
    columns = model.input_columns
    for i, row in enumerate(model.rows):
        with_years = {**row.values, **{k: columns[k][i] for k in YEAR_KEYS.values() if k in columns}}
        assert assess(with_years, model.rules) == assess(row.values, model.rules), row.values["id"]


def test_the_report_gives_each_row_its_own_base_year_or_the_settings_one(book):
    content = report_content(book(ROWS, headers=HEAD))
    assert [(line.id, line.baseline_year, line.forecast_year, line.actual_year) for line in content.indicators] == [
        ("A.1", 2012, 2016, 2016), ("A.2", 2013, 2016, 2016), ("A.3", 2013, 2016, 2016), ("A.4", 2012, 2016, 2016),
        ("B.1", 2011, 2016, 2016), ("B.2", 2012, 2016, 2016)]
