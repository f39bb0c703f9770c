"""One answer: on every book of a varied corpus, the Evaluate script run through xlwings' own machinery and
`radit evaluate` write the same symbols, fills, deviations, basis and explanation texts and the same summary,
or both refuse with the same code.

Needs xlwings' PRO code (XLWINGS_LICENSE_KEY=noncommercial, set only in the harness's child process).
"""
from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.table import Table

from payload import apply_actions, book_payload
from workbook.cli.main import run as cli

pytestmark = pytest.mark.xlwings_pro
LITE = "workbook.excel.lite.main"
SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "seed-2016.xlsx"

HEAD = ["ID", "Mērķa kods", "Rezultāta kods", "Mērvienība", "Virziens", "Bāzes vērtība", "Prognoze 2016",
        "Sasniegts 2016", "Izlases apmērs", "Analītiķa vērtējums", "Pamatojums", "Vērtējums", "Nobīde", "Pamats",
        "Skaidrojums"]
HEAD_EN = ["Indicator ID", "Goal code", "Result code", "Unit", "Direction", "Baseline", "Forecast 2016",
           "Achieved 2016", "Sample size", "Analyst override", "Justification", "Assessment", "Deviation", "Basis",
           "Explanation"]
ROWS = [
    ["A.1", "A", "A1", "skaits", None, 8, 36000, 35280, None, None, None],
    ["A.2", "A", "A1", "procenti", None, 15, 17, 16, 500, None, None],
    ["A.3", "A", "A2", "nauda", "lower_is_better", None, 1000, 1021, None, None, None],
    ["B.1", "B", "B1", "skaits", None, None, 10, 7, 10, None, "maza izlase: septiņi gadījumi"],
    ["B.2", "B", "B1", "skaits", None, None, "35–70", 50, None, None, None],
    ["B.3", "B", "B2", "skaits", None, None, 100, 80, None, "●", "analītiķis vērtē kā sasniegtu"],
]


def _book(path: Path, rows=ROWS, *, head=HEAD, sheet="Rādītāji", settings=(("Bāzes gads", 2012), ("Novērtējuma gads", 2016)),
          table=True, percent=(), extra=None, hidden=(), below=()) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(list(head))
    width = len(head)
    for r in rows:
        ws.append(list(r) + [None] * (width - len(r)))
    if table:
        ws.add_table(Table(displayName="Raditaji", ref=f"A1:{openpyxl.utils.get_column_letter(width)}{len(rows) + 1}"))
    for r in below:
        ws.append(list(r))
    for ref in percent:
        ws[ref].number_format = "0%"
    for r in hidden:
        ws.row_dimensions[r].hidden = True
    if settings is not None:
        st = wb.create_sheet("Iestatījumi" if sheet != "Indicators" else "Settings")
        for s in settings:
            st.append(list(s))
    for name, (values, with_table) in (extra or {}).items():
        sh = wb.create_sheet(name)
        for r in values:
            sh.append(list(r))
        if with_table:
            sh.add_table(Table(displayName="Otra", ref=f"A1:{openpyxl.utils.get_column_letter(len(values[0]))}{len(values)}"))
    wb.save(path)
    return path


def _later_year(rows):
    head = HEAD[:8] + ["Prognoze 2017"] + HEAD[8:]
    return head, [r[:8] + [r[6]] + r[8:] for r in rows]


def _years(rows):
    head = HEAD[:6] + ["Prognoze 2015", "Sasniegts 2015"] + HEAD[6:]
    # 2015's achieved values a tenth lower than 2016's: the year chosen shows in the symbols
    return head, [r[:6] + [r[6], round(r[7] * 0.9) if isinstance(r[7], int) else r[7]] + r[6:] for r in rows]


def corpus(tmp: Path) -> dict[str, Path]:
    later_head, later_rows = _later_year(ROWS)
    years_head, years_rows = _years(ROWS)
    fractions = [["P.1", "A", "A1", "procenti", None, 0.10, 0.15, 0.10, None, None, None],
                 ["P.2", "A", "A1", "procenti", None, 0.5, 0.55, 0.56, None, None, None]]
    en_rows = [[v if v not in ("skaits", "procenti", "nauda") else {"skaits": "count", "procenti": "percent", "nauda": "money"}[v]
                for v in r] for r in ROWS]
    other = [HEAD[:9], ROWS[0][:9]]
    return {
        "sample": SAMPLE,
        "plain": _book(tmp / "plain.xlsx"),
        "later-year-no-setting": _book(tmp / "later1.xlsx", later_rows, head=later_head, settings=(("Bāzes gads", 2012),)),
        "later-year-with-setting": _book(tmp / "later2.xlsx", later_rows, head=later_head,
                                         settings=(("Novērtējuma gads", "2016.gads"),)),
        "english": _book(tmp / "english.xlsx", en_rows, head=HEAD_EN, sheet="Indicators",
                         settings=(("Evaluation year", 2016), ("Language", "en"))),
        "percent-formatted": _book(tmp / "pct.xlsx", fractions, percent=("F2", "G2", "H2", "F3", "G3", "H3")),
        "percent-general": _book(tmp / "pctg.xlsx", fractions),
        "several-years": _book(tmp / "years.xlsx", years_rows, head=years_head, settings=(("Novērtējuma gads", 2015),)),
        "empty-cells": _book(tmp / "empty.xlsx", ROWS + [["C.1", "C", "C1", "skaits", None, None, 10, None, None, None, None],
                                                         ["C.2", "C", "C1", "skaits", None, None, None, None, None, None, None]]),
        "hidden-rows": _book(tmp / "hidden.xlsx", hidden=(3, 5)),
        "no-table-header-row": _book(tmp / "plainrow.xlsx", table=False),
        "rows-below-table": _book(tmp / "below.xlsx", below=[["D.1", "D", "D1", "skaits", None, None, 5, 5]]),
        "second-table": _book(tmp / "second.xlsx", extra={"Kopija": (other, True)}),
        "second-table-named": _book(tmp / "second2.xlsx", extra={"Kopija": (other, True)},
                                    settings=(("Novērtējuma gads", 2016), ("Rādītāju lapa", "Rādītāji"))),
        "missing-rule-file": _book(tmp / "norules.xlsx", settings=(("Noteikumu fails", "ministrija.json"),)),
        "year-without-columns": _book(tmp / "noyear.xlsx", settings=(("Novērtējuma gads", 2018),)),
    }


def headless(path: Path, out: Path):
    err = io.StringIO()
    code = cli(["evaluate", str(path), "-o", str(out)], io.StringIO(), err)
    if code == 2:
        return None, _code(err.getvalue())
    assert code in (0, 1), err.getvalue()
    return openpyxl.load_workbook(out), None


def excel(xlwings_pro, path: Path, out: Path):
    answer = xlwings_pro([{"kind": "script", "module": LITE, "script": "evaluate", "payload": book_payload(path)}])[0]
    assert "actions" in answer, answer
    wb = openpyxl.load_workbook(path)
    applied = apply_actions(wb, answer["actions"])
    writes = [a for a in answer["actions"] if a.get("func") not in ("alert",)]
    if not writes:  # a refusal: only the alert
        return None, _code(" ".join(a["prompt"] for a in applied.alerts))
    wb.save(out)
    return openpyxl.load_workbook(out), None


def _code(text: str) -> str:
    found = re.findall(r"\[([a-z][a-z-]+)\]", text)
    return found[-1] if found else text


def outputs(wb) -> dict:
    """Every output cell of the indicator sheet, with the symbol cell's fill, by row."""
    from workbook.model.vocabulary import OUTPUT_FIELDS, field_for_header

    ws = next(ws for ws in wb.worksheets if ws.title in ("Rādītāji", "Indicators"))
    header = {field_for_header(c.value)[0]: c.column for c in ws[1] if c.value and field_for_header(c.value)}
    got = {}
    for r in range(2, ws.max_row + 1):
        cells = {f: ws.cell(r, header[f]).value for f in OUTPUT_FIELDS if f in header}
        symbol = ws.cell(r, header["symbol"])
        fill = symbol.fill.fgColor.rgb if symbol.fill and symbol.fill.fill_type == "solid" else None
        got[r] = (cells, fill[-6:] if isinstance(fill, str) else None)
    return got


def summary(wb) -> list:
    ws = next(ws for ws in wb.worksheets if ws.title in ("Kopsavilkums", "Summary"))
    time_row = 5  # "Novērtēts: <time>": the two runs differ by their clock
    return [[c.value for c in line] for i, line in enumerate(ws.iter_rows(), start=1) if i != time_row]


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    return corpus(tmp_path_factory.mktemp("one-answer"))


CASES = ["sample", "plain", "later-year-no-setting", "later-year-with-setting", "english", "percent-formatted",
         "percent-general", "several-years", "empty-cells", "hidden-rows", "no-table-header-row", "rows-below-table",
         "second-table", "second-table-named", "missing-rule-file", "year-without-columns"]
REFUSED = {"second-table": "two-indicator-tables", "missing-rule-file": "rules-file-not-found",
           "year-without-columns": "no-year-columns"}


@pytest.mark.parametrize("case", CASES)
def test_both_routes_write_the_same_or_refuse_alike(xlwings_pro, books, tmp_path, case):
    path = books[case]
    a, a_code = headless(path, tmp_path / "headless.xlsx")
    b, b_code = excel(xlwings_pro, path, tmp_path / "excel.xlsx")
    assert a_code == b_code == REFUSED.get(case)
    if a is None:
        return
    assert outputs(a) == outputs(b)
    assert summary(a) == summary(b)


def test_the_later_forecast_year_does_not_move_the_evaluation_year(xlwings_pro, books, tmp_path):
    a, _ = headless(books["later-year-no-setting"], tmp_path / "a.xlsx")
    symbols = [cells["symbol"] for cells, _ in outputs(a).values()]
    assert symbols.count("-") < len(symbols)  # assessed for 2016, where both columns are


def test_fractions_without_a_percent_format_read_as_percentages_with_a_finding(tmp_path, books):
    from workbook.reading.calamine import read_master

    book = read_master(books["percent-general"])
    assert [r.values["forecast"] for r in book.rows] == [15, 55]
    assert [(f.code, f.location.cell) for f in book.findings if f.code == "percent-as-fraction"] == \
        [("percent-as-fraction", "F2"), ("percent-as-fraction", "F3")]
    formatted = read_master(books["percent-formatted"])
    assert [r.values["forecast"] for r in formatted.rows] == [15, 55]
    assert not [f for f in formatted.findings if f.code == "percent-as-fraction"]


def test_rows_typed_below_the_table_are_named(books):
    from workbook.reading.calamine import read_master

    book = read_master(books["rows-below-table"])
    assert [(f.code, f.location.cell) for f in book.findings if f.code == "rows-below-table"] == [("rows-below-table", "A8")]
