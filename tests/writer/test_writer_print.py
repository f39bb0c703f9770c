"""The evaluated workbook reads and prints well: rows as tall as their wrapped text, radit's short columns wide
enough, the symbol centred and larger, a print set-up where the analyst has none; the analyst's own kept."""
from __future__ import annotations

import datetime as _dt
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from workbook.writing.evaluate import evaluate_file
from workbook.writing.xlsxpatch.sheets import column_widths, wrapped_lines

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "seed-2016.xlsx"
NOW = _dt.datetime(2026, 11, 30, 9, 0, tzinfo=_dt.timezone.utc)


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory):
    out = tmp_path_factory.mktemp("print") / "out.xlsx"
    evaluate_file(SAMPLE, out=out, now=NOW)
    with zipfile.ZipFile(out) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    return out, parts


def _rows(sheet: bytes) -> dict[int, dict[str, str]]:
    return {int(m.group(1)): dict(re.findall(r'(\w+)="([^"]*)"', m.group(0).decode()))
            for m in re.finditer(rb'<row r="(\d+)"[^>]*>', sheet)}


def test_rows_radit_writes_grow_to_their_wrapped_text_and_the_header_keeps_its_height(evaluated):
    path, parts = evaluated
    rows = _rows(parts["xl/worksheets/sheet1.xml"])
    assert rows[1] == {"r": "1", "ht": "30", "customHeight": "1"}  # the analyst's (radit new's) header height
    ws = openpyxl.load_workbook(path)["Rādītāji"]
    widths = column_widths(parts["xl/worksheets/sheet1.xml"])
    for r in range(2, 29):
        need = max(wrapped_lines(str(ws.cell(r, c).value), widths[c]) for c in (3, 6, 7, 18, 22) if ws.cell(r, c).value)
        assert float(rows[r]["ht"]) >= need * 15, r
        assert "customHeight" not in rows[r]  # not fixed: Excel still fits it when the text changes
    assert float(rows[2]["ht"]) >= 60  # A.PR1.1: four lines of goal and result, five of justification


def test_the_basis_and_deviation_columns_fit_their_texts(evaluated):
    _, parts = evaluated
    widths = column_widths(parts["xl/worksheets/sheet1.xml"])
    assert widths[21] * 1.09 >= len("kvalitatīvs (maza izlase)")  # U: "kvalitatīvs (maz" was cut off
    assert widths[20] * 1.09 >= len("+339,00 p.p.")
    assert widths[22] == 60 and widths[18] == 60  # the analyst's widths elsewhere are untouched


def test_the_symbol_is_centred_larger_and_bold_and_keeps_its_fill(evaluated):
    path, _ = evaluated
    ws = openpyxl.load_workbook(path)["Rādītāji"]
    for r in range(2, 29):
        cell = ws.cell(r, 19)
        assert cell.alignment.horizontal == "center" and cell.alignment.vertical == "center"
        assert cell.font.sz == 14 and cell.font.b and cell.fill.fgColor.rgb in (
            "FFC6EFCE", "FFFFC7CE", "FFBDD7EE", "FFD9D9D9")
    assert ws.cell(2, 22).alignment.wrap_text  # the explanation cell's own wrapping stays


def test_the_indicator_sheet_prints_landscape_a_few_pages_wide_with_its_header_repeated(evaluated):
    path, parts = evaluated
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    setup = re.search(r"<pageSetup [^>]*/>", sheet).group(0)
    assert 'orientation="landscape"' in setup and 'fitToHeight="0"' in setup and 'paperSize="9"' in setup
    assert 'fitToWidth="2"' in setup and 'pageOrder="overThenDown"' in setup
    assert re.search(r'<pageSetUpPr\s+fitToPage="1"/>', sheet)
    names = re.findall(r'<definedName name="([^"]+)" localSheetId="(\d)">([^<]*)</definedName>', parts["xl/workbook.xml"].decode())
    assert ("_xlnm.Print_Titles", "0", "'Rādītāji'!$A:$A,'Rādītāji'!$1:$1") in names
    ws = openpyxl.load_workbook(path)["Rādītāji"]
    assert ws.print_title_rows == "$1:$1" and ws.print_title_cols == "$A:$A"
    assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage


def test_the_summary_prints_table_and_chart_on_one_page_and_leaves_the_chart_data_out(evaluated):
    path, parts = evaluated
    names = dict(((n, i), v) for n, i, v in re.findall(
        r'<definedName name="([^"]+)" localSheetId="(\d)">([^<]*)</definedName>', parts["xl/workbook.xml"].decode()))
    area = names[("_xlnm.Print_Area", "3")]
    assert area == "'Kopsavilkums'!$A$1:$G$46"
    ws = openpyxl.load_workbook(path)["Kopsavilkums"]
    data_row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Diagrammas dati")
    assert data_row > 46  # the chart's own data block lies below the printed area
    assert ws.page_setup.fitToHeight == 1 and ws.page_setup.fitToWidth == 1
    summary = next(v for n, v in parts.items() if n.startswith("xl/worksheets/") and b"Kopsavilkums</t>" in v)
    assert b"<oddFooter>&amp;L&amp;A&amp;R&amp;P / &amp;N</oddFooter>" in summary


def test_evaluating_again_gives_the_same_sheet_and_names(evaluated, tmp_path):
    path, parts = evaluated
    again = tmp_path / "again.xlsx"
    evaluate_file(path, out=again, now=NOW)
    with zipfile.ZipFile(again) as z:
        for name in ("xl/worksheets/sheet1.xml", "xl/workbook.xml", "xl/styles.xml"):
            assert z.read(name) == parts[name], name


def test_the_analysts_own_print_set_up_heights_and_titles_stay(tmp_path):
    wb = openpyxl.load_workbook(SAMPLE)
    ws = wb["Rādītāji"]
    ws.page_setup.orientation = "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A3
    ws.print_title_rows = "1:1"
    ws.row_dimensions[3].height = 99
    ws.column_dimensions["U"].width = 40
    book = tmp_path / "mine.xlsx"
    wb.save(book)
    out = tmp_path / "out.xlsx"
    evaluate_file(book, out=out, now=NOW)
    ws = openpyxl.load_workbook(out)["Rādītāji"]
    assert ws.page_setup.orientation == "portrait" and str(ws.page_setup.paperSize) == "8"
    assert ws.print_title_rows == "$1:$1" and ws.print_title_cols is None
    assert ws.row_dimensions[3].height == 99
    assert ws.column_dimensions["U"].width == 40  # wider than radit needs: kept
    assert ws.row_dimensions[2].height >= 60  # a row nobody fixed still grows


@pytest.mark.parametrize("text, width, lines", [("", 10, 1), ("a" * 40, 40, 1), ("a " * 60, 40, 3), ("x\ny\nz", 60, 3)])
def test_wrapped_lines_estimates_lines_of_text(text, width, lines):
    assert wrapped_lines(text, width) == lines


_STYLES = (b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           b'<fonts count="2"><font><sz val="%s"/></font><font><sz val="14"/></font></fonts>'
           b'<cellXfs count="3"><xf fontId="0"/><xf fontId="0"><alignment wrapText="1"/></xf><xf fontId="1"/></cellXfs>'
           b'</styleSheet>')


def _sheet(prefix: str, quote: str, cells_row2: str) -> bytes:
    p = prefix + ":" if prefix else ""
    ns = f' xmlns{":" + prefix if prefix else ""}="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    body = (f"<{p}worksheet{ns}><{p}sheetData>"
            f"<{p}row r={quote}1{quote}><{p}c r={quote}A1{quote} t={quote}inlineStr{quote}><{p}is><{p}t>head</{p}t></{p}is></{p}c></{p}row>"
            f"<{p}row r={quote}2{quote}>{cells_row2.replace('<c', '<' + p + 'c').replace('</c>', '</' + p + 'c>').replace('<t>', '<' + p + 't>').replace('</t>', '</' + p + 't>').replace('<is>', '<' + p + 'is>').replace('</is>', '</' + p + 'is>')}</{p}row>"
            f"<{p}row r={quote}3{quote}/></{p}sheetData></{p}worksheet>")
    return body.encode()


LONG = "vārds " * 40  # 240 characters: several lines in a wrapping cell of the default width


@pytest.mark.parametrize("prefix", ["", "x"])
@pytest.mark.parametrize("quote", ['"', "'"])
@pytest.mark.parametrize("default_size, style, expected", [
    ("11", ' s="1"', lambda h: h > 45),    # a wrapping style: the long text takes several lines
    ("11", ' s="2"', lambda h: h == 21),   # 14-point font, one line
    ("11", "", lambda h: h is None),       # a plain cell: the row keeps Excel's default height
    ("16", "", lambda h: h > 15),          # no style, but the default font is over 11 points: the row grows
])
def test_fit_rows_grows_a_row_only_for_cells_whose_style_can_make_it_taller(prefix, quote, default_size, style, expected):
    from workbook.writing.xlsxpatch.sheets import fit_rows
    from workbook.writing.xlsxpatch.styles import StyleSheet

    cells = f'<c r="A2"{style} t="inlineStr"><is><t>{LONG}</t></is></c><c r="B2"><v>1</v></c>'.replace('"', quote)
    xml = _sheet(prefix, quote, cells)
    styles = StyleSheet(_STYLES % default_size.encode())
    out = fit_rows(None, styles, xml, {2, 3}, {})
    tag = re.search(rb"<(?:x:)?row\b[^>]*\br=[\"']2[\"'][^>]*>", out).group(0)
    ht = re.search(rb"\bht=\"([\d.]+)\"", tag)
    assert expected(float(ht.group(1)) if ht else None), tag
    assert re.search(rb"<(?:x:)?row\b[^>]*\br=[\"']3[\"'][^>]*>", out).group(0).find(b"ht=") < 0  # an empty row stays
    assert out.replace(tag, b"") == xml.replace(re.search(rb"<(?:x:)?row\b[^>]*\br=[\"']2[\"'][^>]*>", xml).group(0), b"")


@pytest.mark.parametrize("seed_notes", [True, False])
def test_heights_fitted_in_a_forked_child_give_the_sheet_one_process_gives(tmp_path, monkeypatch, seed_notes):
    """A large table has its row heights fitted in a forked child while this process writes the notes and the
    page set-up on the sheet without its rows: the sheet, the workbook's names and the notes are the same bytes."""
    import workbook.writing.indicator_sheet as indicator_sheet

    monkeypatch.setattr("workbook.forked.can_fork", lambda: True)  # pytest's own threads would say no
    wb = openpyxl.load_workbook(SAMPLE)
    if not seed_notes:  # no symbol column: no notes at all
        ws = wb["Rādītāji"]
        for row in ws.iter_rows(min_row=1, max_row=1):
            for cell in row:
                if cell.value == "Vērtējums":
                    cell.value = "Vērtējums (iepriekš)"
    book = tmp_path / "book.xlsx"
    wb.save(book)
    outs = {}
    for beside in (False, True):
        real = indicator_sheet.write_indicator_sheet
        monkeypatch.setattr(indicator_sheet, "PARALLEL_MIN_ROWS", 1 if beside else 10**9)
        out = tmp_path / f"out-{beside}.xlsx"
        evaluate_file(book, out=out, now=NOW)
        with zipfile.ZipFile(out) as z:
            outs[beside] = {n: z.read(n) for n in z.namelist()}
        assert indicator_sheet.write_indicator_sheet is real
    assert outs[True].keys() == outs[False].keys()
    for name in outs[False]:
        assert outs[True][name] == outs[False][name], name
    sheet = outs[True]["xl/worksheets/sheet1.xml"]
    assert b' ht="' in sheet and b"<pageSetup " in sheet


@pytest.mark.parametrize("marked", [False, True])
def test_print_ready_does_the_rest_of_the_sheet_once_and_fits_its_rows_wherever_they_stand(marked):
    """The page set-up and the caller's `then` run once, on the sheet without its rows or (where the sheet holds
    the mark radit sets its rows aside with already) on the whole sheet; the rows come out fitted either way."""
    from workbook.writing.xlsxpatch.sheets import _ROWS_MARK, fit_rows, print_ready
    from workbook.writing.xlsxpatch.styles import StyleSheet

    cells = f'<c r="A2" s="1" t="inlineStr"><is><t>{LONG}</t></is></c><c r="B2"><v>1</v></c>'
    tail = b"<pageSetup/><extLst>" + (_ROWS_MARK if marked else b"") + b"</extLst></worksheet>"
    xml = _sheet("", '"', cells).replace(b"</worksheet>", tail)
    styles = StyleSheet(_STYLES % b"11")
    seen = []

    def then(sheet: bytes) -> bytes:
        seen.append(sheet)
        return sheet.replace(b"<pageSetup/>", b"<pageSetup/><legacyDrawing/>")

    out = print_ready(None, styles, "S", xml, rows=[2, 3], header_row=1, id_col=None, last_col=2, then=then)
    assert len(seen) == 1
    assert (b"<row" in seen[0]) is marked  # set aside only where the mark is not the sheet's own
    assert out == fit_rows(None, styles, xml, {2, 3}, {}).replace(b"<pageSetup/>", b"<pageSetup/><legacyDrawing/>")
    assert b' ht="' in out
