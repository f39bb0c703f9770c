"""SheetPatch: cells set in place or created in order, other rows untouched, refusals before any write."""
import io
import zipfile
from decimal import Decimal
from xml.dom.minidom import parseString

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from workbook.errors import WriteRefused
import re

from workbook.reading.index import split_ref
from workbook.writing.xlsxpatch.cells import SheetPatch, Write, cell_name

SHEET = "xl/worksheets/sheet1.xml"


def _book(tmp_path, build):
    wb = openpyxl.Workbook()
    build(wb.active)
    path = tmp_path / "b.xlsx"
    wb.save(path)
    return path


def _patched(path, writes):
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    parts[SHEET] = SheetPatch(parts[SHEET], path=str(path), sheet="Sheet").apply(writes)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buf.getvalue(), parts


def _fill(ws):
    ws["A1"], ws["B1"], ws["D1"] = "id", "value", "out"
    for r in range(2, 6):
        ws.cell(r, 1, f"X.{r}")
        ws.cell(r, 2, r * 10)


def test_values_land_in_existing_and_new_cells_and_rows(tmp_path):
    path = _book(tmp_path, _fill)
    writes = [Write(2, 3, "▲"), Write(2, 4, Decimal("-0.61")), Write(3, 4, 1.5), Write(5, 6, "tail & <end>"),
              Write(8, 2, "new row"), Write(4, 1, None)]
    data, _ = _patched(path, writes)
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert ws["C2"].value == "▲" and ws["D2"].value == -0.61 and ws["D3"].value == 1.5
    assert ws["F5"].value == "tail & <end>" and ws["B8"].value == "new row" and ws["A4"].value is None
    assert ws["A2"].value == "X.2" and ws["B5"].value == 50  # untouched neighbours
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert rows[1][2] == "▲" and rows[7][1] == "new row"
    assert ws.dimensions == "A1:F8"


def test_rows_not_written_are_byte_identical_slices(tmp_path):
    path = _book(tmp_path, _fill)
    with zipfile.ZipFile(path) as z:
        before = z.read(SHEET)
    after = SheetPatch(before).apply([Write(3, 4, "x")])
    head, _, _ = before.partition(b'<row r="3"')
    assert after.startswith(head.replace(b'ref="A1:D5"', b'ref="A1:D5"'))
    assert after.split(b"</row>", 3)[3] == before.split(b"</row>", 3)[3]


def test_a_style_can_be_set_and_an_existing_style_is_kept(tmp_path):
    def build(ws):
        _fill(ws)
        ws["D2"] = "old"
        ws["D2"].number_format = "0.0"
    path = _book(tmp_path, build)
    with zipfile.ZipFile(path) as z:
        xml = z.read(SHEET)
    own = int(re.search(rb'<c r="D2" s="(\d+)"', xml).group(1))
    seen = []
    derive = lambda old: seen.append(old) or 7  # noqa: E731
    out = SheetPatch(xml).apply([Write(2, 4, "new"), Write(3, 4, "styled", style=0), Write(2, 5, "x", style=derive)])
    assert f'<c r="D2" s="{own}" t="inlineStr">'.encode() in out  # the cell's own style kept
    assert b'<c r="D3" s="0" t="inlineStr">' in out and b'<c r="E2" s="7" t="inlineStr">' in out
    assert seen == [None]  # a new cell has no style of its own to derive from


def test_forbidden_xml_characters_are_dropped(tmp_path):
    path = _book(tmp_path, _fill)
    data, _ = _patched(path, [Write(2, 4, "a\x00b\x1fc\td")])
    assert openpyxl.load_workbook(io.BytesIO(data)).active["D2"].value == "abc\td"


@pytest.mark.parametrize("build,cell,code", [
    (lambda ws: (_fill(ws), ws.__setitem__("D3", "=B3*2")), (3, 4), "formula-output-cell"),
    (lambda ws: (_fill(ws), ws.merge_cells("C2:D3")), (3, 4), "merged-output-cell"),
], ids=["formula", "merged"])
def test_cells_that_cannot_be_written_safely_are_refused(tmp_path, build, cell, code):
    path = _book(tmp_path, build)
    with zipfile.ZipFile(path) as z:
        xml = z.read(SHEET)
    with pytest.raises(WriteRefused) as refused:
        SheetPatch(xml, path=str(path), sheet="Rādītāji").apply([Write(2, 5, "ok"), Write(*cell, "x")])
    where = refused.value.location
    assert (refused.value.code, where.sheet, where.cell, where.file) == (code, "Rādītāji", cell_name(*cell), str(path))


def test_a_shared_formula_range_covering_an_output_cell_is_refused():
    xml = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
           b'<row r="2"><c r="D2"><f t="shared" ref="D2:D4" si="0">B2*2</f><v>4</v></c></row>'
           b'<row r="3"><c r="D3"><f t="shared" si="0"/><v>6</v></c></row></sheetData></worksheet>')
    with pytest.raises(WriteRefused) as refused:
        SheetPatch(xml, sheet="S").apply([Write(4, 4, "x")])
    assert refused.value.code == "formula-output-cell"


def test_cells_without_r_attributes_are_placed_by_order():
    xml = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
           b'<row><c t="inlineStr"><is><t>a</t></is></c><c><v>1</v></c></row>'
           b'<row><c t="inlineStr"><is><t>b</t></is></c></row></sheetData></worksheet>')
    out = SheetPatch(xml).apply([Write(2, 2, 7)])
    assert out.endswith(b'<row><c t="inlineStr"><is><t>b</t></is></c><c r="B2"><v>7</v></c></row></sheetData></worksheet>')


def test_an_empty_sheet_data_gets_its_first_rows():
    xml = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>'
    out = SheetPatch(xml).apply([Write(1, 1, "a")])
    assert b'<sheetData><row r="1"><c r="A1" t="inlineStr">' in out and out.endswith(b"</sheetData></worksheet>")


def test_ranges_in_merge_and_formula_refs_are_read_by_the_readers_split_ref():
    assert split_ref("B2:D9") == (2, 2, 9, 4) and split_ref("$A$1") == (1, 1, 1, 1)


def test_a_sheet_with_a_namespace_prefix_gets_prefixed_cells(tmp_path):
    """Some generators write <x:worksheet xmlns:x="…main">: every element radit adds carries that prefix."""
    path = _book(tmp_path, _fill)
    with zipfile.ZipFile(path) as z:
        xml = z.read(SHEET)
    xml = re.sub(rb"<(/?)([A-Za-z]\w*)(?=[\s/>])", rb"<\1x:\2", xml)
    xml = xml.replace(b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"',
                      b'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"', 1)
    assert b"<x:sheetData>" in xml and b"<row" not in xml
    out = SheetPatch(xml).apply([Write(2, 4, "▲ & <b>"), Write(3, 4, 1.5), Write(9, 2, "new row"), Write(4, 1, None)])
    assert b"<c " not in out and b"<is>" not in out and b"</c>" not in out  # nothing unprefixed
    parseString(out)  # well-formed
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    parts[SHEET] = out
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    ws = openpyxl.load_workbook(io.BytesIO(buf.getvalue())).active
    assert (ws["D2"].value, ws["D3"].value, ws["B9"].value, ws["A4"].value) == ("▲ & <b>", 1.5, "new row", None)
    assert ws["A2"].value == "X.2"  # untouched neighbours
