"""read_master: the table found by its headers, settings, and cell types as analysts type them."""
from __future__ import annotations

import zipfile
from decimal import Decimal

import pytest

from workbook.errors import WorkbookError
from reading_books import GOOD_ROWS, HEAD_EN, HEAD_LV
from workbook.model.header import locate_columns
from workbook.reading.calamine import read_master


def rewrite_part(path, name, change):
    """Replace one part of the zip package with change(bytes) (to craft what openpyxl cannot write)."""
    with zipfile.ZipFile(path) as z:
        parts = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in parts:
            z.writestr(info, change(data) if info.filename == name else data)
    return path


def test_the_excel_table_is_found_with_its_columns_and_settings(book):
    b = read_master(book())
    assert (b.sheet, b.table.name, b.table.ref, b.table.header_row, b.table.last_row) == ("Rādītāji", "Raditaji", "A1:J4", 1, 4)
    assert b.columns["id"] == 1 and b.year_columns == {("forecast", 2016): 5, ("actual", 2016): 6}
    assert (b.settings.baseline_year, b.settings.evaluation_year, b.year) == (2012, 2016, 2016)
    assert [r.values["id"] for r in b.rows] == ["A.1", "A.2", "B.1"]
    assert b.rows[0].values["forecast"] == 36000 and b.rows[2].values["direction"] == "lower_is_better"


def test_english_headers_in_another_order_away_from_a1_with_extra_columns(book):
    order = [5, 0, 9, 1, 4, 3, 2, 8, 7, 6]
    headers = ["Analyst's own notes"] + [HEAD_EN[i].upper() for i in order]
    rows = [["note"] + [r[i] for i in order] for r in GOOD_ROWS]
    b = read_master(book(rows, headers=headers, origin=(4, 3), settings={"Evaluation year": 2016}, sheet="Indicators"))
    assert b.table.header_row == 4 and b.columns["id"] == 5 and b.year_columns[("actual", 2016)] == 4
    assert [(r.row, r.values["id"], r.values["actual"]) for r in b.rows] == [(5, "A.1", 35280), (6, "A.2", 17), (7, "B.1", 1021)]


def test_without_a_listobject_the_header_row_of_the_indicator_sheet_is_used(book):
    b = read_master(book(table=False, origin=(3, 1)))
    assert (b.table.name, b.table.header_row, b.table.last_row) == (None, 3, 6)
    assert [r.values["id"] for r in b.rows] == ["A.1", "A.2", "B.1"]


@pytest.mark.parametrize("options", [
    {"table": False, "sheet": "Dati"},
    {"headers": ["Vārds", "Uzvārds"], "rows": [["a", "b"]]},
])
def test_no_indicator_table_is_an_error(book, options):
    with pytest.raises(WorkbookError) as info:
        read_master(book(**options))
    assert info.value.code == "no-indicator-table"


def test_the_command_line_year_wins_over_the_settings(book):
    headers = ["ID", "Mērvienība", "Prognoze 2015", "Sasniegts 2015", "Prognoze 2016", "Sasniegts 2016"]
    path = book([["A.1", "count", 1, 2, 3, 4]], headers=headers)
    assert read_master(path).rows[0].values["actual"] == 4
    two = read_master(path, year=2015)
    assert (two.year, two.rows[0].values["forecast"], two.rows[0].values["actual"]) == (2015, 1, 2)


def test_percent_formatted_cells_mean_percent_in_percent_rows_only(book):
    rows = [["P.1", "percent", None, 0.15, 0.17, 0.19, None, None, None, None],
            ["C.1", "count", None, None, 0.5, 0.5, None, None, None, None]]

    def fmt(ws):
        for ref in ("D2", "E2", "F2", "E3", "F3"):
            ws[ref].number_format = "0%"

    b = read_master(book(rows, edit=fmt))
    p, c = b.rows
    assert (p.values["baseline"], p.values["forecast"], p.values["actual"]) == (Decimal(15), Decimal(17), Decimal(19))
    assert (c.values["forecast"], c.values["actual"]) == (0.5, 0.5)


def test_hidden_rows_are_read_like_the_others(book):
    def hide(ws):
        ws.row_dimensions[3].hidden = True

    assert [r.values["id"] for r in read_master(book(edit=hide)).rows] == ["A.1", "A.2", "B.1"]


def test_blank_rows_inside_the_table_are_skipped(book):
    rows = [GOOD_ROWS[0], [None] * 10, GOOD_ROWS[1]]
    assert [r.row for r in read_master(book(rows)).rows] == [2, 4]


def test_text_cells_reach_the_engine_as_text(book):
    rows = [["R.1", "hours", None, None, "35 – 70", "50", None, None, None, None]]
    b = read_master(book(rows))
    assert (b.rows[0].values["forecast"], b.rows[0].values["actual"]) == ("35 – 70", "50")
    assert [(f.code, f.location.cell) for f in b.findings] == [("number-stored-as-text", "F2")]


def test_a_formula_with_a_cached_value_is_read_as_its_value(book):
    rows = [["F.1", "count", None, None, 100, "=E2*1", None, None, None, None]]
    path = book(rows)
    rewrite_part(path, "xl/worksheets/sheet1.xml", lambda b: b.replace(b"<f>E2*1</f><v />", b"<f>E2*1</f><v>100</v>").replace(b"<f>E2*1</f><v></v>", b"<f>E2*1</f><v>100</v>"))
    b = read_master(path)
    assert b.rows[0].values["actual"] == 100 and b.findings == ()


def test_a_formula_without_a_value_is_never_a_silent_zero(book):
    rows = [["F.1", "count", None, None, 100, "=E2*1", None, None, None, None]]
    b = read_master(book(rows))
    assert b.rows[0].values["actual"] is None
    (f,) = b.findings
    assert (f.code, f.location.cell, f.params["formula"]) == ("formula-without-value", "F2", "=E2*1")


def test_stored_output_columns_are_returned_apart_from_the_input(book):
    rows = [list(GOOD_ROWS[0][:-1]) + ["●"]]
    b = read_master(book(rows))
    assert b.rows[0].stored["symbol"] == "●" and "symbol" not in b.rows[0].values


def test_locate_columns_is_pure_and_linear_in_the_headers():
    headers = [" id ", "MĒRVIENĪBA", "x"] + [f"own {i}" for i in range(5000)] + ["Forecast 2016", "2016 sasniegtais"]
    layout = locate_columns(headers, first_column=3)
    assert layout.columns == {"id": 3, "unit": 4}
    assert layout.year_columns == {("forecast", 2016): 5006, ("actual", 2016): 5007}


@pytest.mark.parametrize("ref", ["XFD1048576", "Z1048576", "ZZZ999"])  # 26 columns × a million rows: over the cap
def test_a_cell_declared_far_away_is_refused_before_calamine_allocates_it(book, ref):
    path = rewrite_part(book(), "xl/worksheets/sheet1.xml",
                        lambda b: b.replace(b"</sheetData>", f'<row r="30"><c r="{ref}"><v>1</v></c></row></sheetData>'.encode()))
    with pytest.raises(WorkbookError) as info:
        read_master(path)
    assert info.value.code == "too-large"


def test_a_wide_but_small_sheet_is_read(book):
    headers = HEAD_LV + [f"own {i}" for i in range(40)]
    rows = [r + ["x"] * 40 for r in GOOD_ROWS]
    assert len(read_master(book(rows, headers=headers)).rows) == 3


def test_a_totals_row_of_the_table_is_not_an_indicator(book):
    def totals(ws):
        ws["A5"] = "Kopā"
        ws["B5"] = "count"
        table = ws.tables["Raditaji"]
        table.ref = "A1:J5"
        table.totalsRowCount = 1

    assert [r.values["id"] for r in read_master(book(edit=totals)).rows] == ["A.1", "A.2", "B.1"]


def test_a_table_ref_beyond_the_sheet_reads_the_rows_there_are(book):
    path = rewrite_part(book(), "xl/tables/table1.xml", lambda b: b.replace(b'ref="A1:J4"', b'ref="A1:J900000"'))
    assert [r.row for r in read_master(path).rows] == [2, 3, 4]


@pytest.mark.parametrize("part, change, code", [
    ("xl/worksheets/sheet1.xml", lambda b: b.replace(b"<t>A.1</t>", b"<t>A\xff.1</t>"), "unreadable"),
    ("xl/workbook.xml", lambda b: b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + b, "bad-xml"),
])
def test_broken_or_hostile_xml_is_a_workbook_error(book, part, change, code):
    with pytest.raises(WorkbookError) as info:
        read_master(rewrite_part(book(), part, change))
    assert info.value.code == code and "root:" not in str(info.value)


def test_a_formula_without_value_is_found_in_cells_written_without_references(book):
    import re as _re

    rows = [["F.1", "count", "higher_is_better", 1, 100, "=E2*1", None, None, None, None]]  # no gaps before F
    path = rewrite_part(book(rows), "xl/worksheets/sheet1.xml", lambda b: _re.sub(rb'<c r="[A-Z]+\d+"', b"<c", b))
    b = read_master(path)
    assert [(f.code, f.location.cell) for f in b.findings] == [("formula-without-value", "F2")]


def test_percent_cells_are_found_in_cells_written_without_references(book):
    import re as _re

    rows = [["P.1", "percent", "higher_is_better", 0.15, 0.17, 0.19, None, None, None, None]]

    def fmt(ws):
        for ref in ("D2", "E2", "F2"):
            ws[ref].number_format = "0.0%"

    path = rewrite_part(book(rows, edit=fmt), "xl/worksheets/sheet1.xml", lambda b: _re.sub(rb'<c r="[A-Z]+\d+"', b"<c", b))
    values = read_master(path).rows[0].values
    assert (values["baseline"], values["forecast"], values["actual"]) == (Decimal(15), Decimal(17), Decimal(19))


def test_a_large_sheet_scanned_while_calamine_opens_the_workbook_reads_as_without(book, monkeypatch):
    """A book with a large sheet: calamine opens the workbook in a thread and the large sheet is scanned meanwhile,
    even when the settings sheet is read first; the model reads exactly what it reads without the overlap."""
    from test_reading_batch import big_rows

    from workbook.reading import calamine

    path = book(big_rows(300, seed=4), settings={"Novērtējuma gads": 2016})
    plain = calamine.read_master(path)
    monkeypatch.setattr(calamine, "_OPEN_ASIDE_BYTES", 0)  # every sheet counts as large
    opened = []
    real = calamine._Opening.__init__
    monkeypatch.setattr(calamine._Opening, "__init__", lambda self, p: opened.append(p) or real(self, p))
    overlapped = calamine.read_master(path)
    assert opened == [str(path)]  # once, for the first sheet read
    assert [(r.row, dict(r.values), dict(r.stored)) for r in overlapped.rows] == [
        (r.row, dict(r.values), dict(r.stored)) for r in plain.rows]
    assert [(f.code, f.location.cell) for f in overlapped.findings] == [(f.code, f.location.cell) for f in plain.findings]
