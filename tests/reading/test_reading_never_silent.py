"""Every value the analyst typed is assessed or named: empty values, NaN, uncalculated formulas, in the workbook's words."""
from __future__ import annotations

import io
from pathlib import Path

import openpyxl

from reading_books import rewrite_part
from workbook.cli.main import run as cli
from workbook.reading.calamine import read_master

# id, unit, direction, baseline, forecast, actual, sample, override, justification, stored symbol
ROW = ["A.1", "count", None, 8, 36000, 35280, None, None, None, None]


def test_an_empty_achieved_value_is_named_at_its_cell_in_the_workbooks_words(book):
    b = read_master(book([ROW[:5] + [None] + ROW[6:]]))
    (f,) = [f for f in b.findings if f.code == "missing-value"]
    assert (f.location.cell, f.params["field"]) == ("F2", "Sasniegts 2016")


def test_an_override_decides_without_the_values_so_nothing_is_missing(book):
    b = read_master(book([ROW[:5] + [None, None, "●", "vērtēts kvalitatīvi", None]]))
    assert [f.code for f in b.findings if f.code == "missing-value"] == []


def test_a_number_cell_holding_nan_is_a_finding_not_an_empty_cell(book):
    path = rewrite_part(book([ROW]), "xl/worksheets/sheet1.xml", lambda x: x.replace(b"<v>35280</v>", b"<v>NaN</v>"))
    b = read_master(path)
    assert b.rows[0].values["actual"] is None
    assert [(f.code, f.location.cell) for f in b.findings if f.code == "not-a-number"] == [("not-a-number", "F2")]


def _uncalculated_book(tmp_path) -> Path:
    """An achieved value that is a formula openpyxl saves without a cached value."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Rādītāji"
    ws.append(["ID", "Mērvienība", "Prognoze 2016", "Sasniegts 2016", "Vērtējums", "Skaidrojums"])
    ws.append(["A.1", "skaits", 100, "=C2*1", None, None])
    path = tmp_path / "f.xlsx"
    wb.save(path)
    return path


def test_an_uncalculated_formula_is_explained_as_such_in_the_written_explanation(tmp_path):
    path = _uncalculated_book(tmp_path)
    out = tmp_path / "out.xlsx"
    assert cli(["evaluate", str(path), "-o", str(out)], io.StringIO(), io.StringIO()) == 1
    explanation = openpyxl.load_workbook(out)["Rādītāji"]["F2"].value
    assert explanation.startswith("Formulai =C2*1 nav aprēķinātas vērtības")


def test_the_report_explains_an_uncalculated_formula_as_the_evaluated_sheet_does(tmp_path):
    from workbook.report.content import report_content

    path = _uncalculated_book(tmp_path)
    out = tmp_path / "out.xlsx"
    cli(["evaluate", str(path), "-o", str(out)], io.StringIO(), io.StringIO())
    written = openpyxl.load_workbook(out)["Rādītāji"]["F2"].value
    line, = report_content(path).indicators
    assert line.explanation == written
