"""StyleSheet: appended styles keep every existing index, are reused, and make a package Excel tools read."""
import io
import zipfile

import openpyxl
import pytest
from openpyxl.styles import Alignment, Font, PatternFill

from workbook.writing.xlsxpatch.model import Style
from workbook.writing.xlsxpatch.styles import StyleSheet


@pytest.fixture
def styled_book(tmp_path):
    """A workbook with a few styles of its own: bold, a fill, a custom number format, wrapped text."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "bold"
    ws["A1"].font = Font(bold=True, name="Arial", size=9)
    ws["A2"] = 0.5
    ws["A2"].number_format = "0.0%"
    ws["A3"] = "wrapped"
    ws["A3"].alignment = Alignment(wrap_text=True, vertical="top")
    ws["A4"] = "filled"
    ws["A4"].fill = PatternFill("solid", fgColor="FF00FF00")
    path = tmp_path / "styled.xlsx"
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        return path, z.read("xl/styles.xml")


def _with_styles(path, styles_xml, tmp_path):
    out = tmp_path / "out.xlsx"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info, styles_xml if info.filename == "xl/styles.xml" else zin.read(info))
    return out


def test_nothing_added_gives_the_same_bytes(styled_book):
    _, xml = styled_book
    sheet = StyleSheet(xml)
    assert sheet.to_bytes() == xml and not sheet.changed


def test_a_fill_on_top_of_an_existing_style_keeps_its_font_and_alignment(styled_book, tmp_path):
    path, xml = styled_book
    with zipfile.ZipFile(path) as z:
        sheet_xml = z.read("xl/worksheets/sheet1.xml").decode()
    import re
    s_of = dict(re.findall(r'<c r="(A\d)" s="(\d+)"', sheet_xml))
    styles = StyleSheet(xml)
    bold_red = styles.xf(Style(fill="#FFC7CE"), base=int(s_of["A1"]))
    wrapped_red = styles.xf(Style(fill="#FFC7CE"), base=int(s_of["A3"]))
    assert styles.xf(Style(fill="#FFC7CE"), base=int(s_of["A1"])) == bold_red  # reused, not appended twice
    out = _with_styles(path, styles.to_bytes(), tmp_path)
    # Point A1/A3 at the new styles and read them back with openpyxl.
    with zipfile.ZipFile(out) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    patched = sheet_xml.replace(f'r="A1" s="{s_of["A1"]}"', f'r="A1" s="{bold_red}"').replace(
        f'r="A3" s="{s_of["A3"]}"', f'r="A3" s="{wrapped_red}"')
    parts["xl/worksheets/sheet1.xml"] = patched.encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    ws = openpyxl.load_workbook(io.BytesIO(buf.getvalue())).active
    assert ws["A1"].font.b and ws["A1"].font.name == "Arial" and ws["A1"].fill.fgColor.rgb == "FFFFC7CE"
    assert ws["A3"].alignment.wrap_text and ws["A3"].alignment.vertical == "top"
    assert ws["A3"].fill.fgColor.rgb == "FFFFC7CE"
    assert ws["A2"].number_format == "0.0%" and ws["A4"].fill.fgColor.rgb == "FF00FF00"  # untouched


def test_existing_indices_stay_valid_and_a_second_pass_appends_nothing(styled_book):
    _, xml = styled_book
    first = StyleSheet(xml)
    a = first.xf(Style(fill="#C6EFCE"), base=0)
    b = first.xf(Style(num_fmt='0.00" p.p."', bold=True, wrap=True), base=0)
    once = first.to_bytes()
    assert once.startswith(xml[:50]) and len(once) > len(xml)
    second = StyleSheet(once)
    assert second.xf(Style(fill="#C6EFCE"), base=a) == a  # the evaluated cell's own style is found again
    assert second.xf(Style(num_fmt='0.00" p.p."', bold=True, wrap=True), base=0) == b
    assert second.to_bytes() == once


def test_custom_number_formats_get_fresh_ids(styled_book, tmp_path):
    path, xml = styled_book
    styles = StyleSheet(xml)
    styles.xf(Style(num_fmt='0.00" %"'))
    styles.xf(Style(num_fmt='0.00" p.p."'))
    out = styles.to_bytes()
    import re
    ids = [int(i) for i in re.findall(rb'numFmtId="(\d+)" formatCode', out)]
    assert len(ids) == len(set(ids)) and all(i >= 164 for i in ids)
    openpyxl.load_workbook(_with_styles(path, out, tmp_path))
