"""xlsxpatch.sheets: radit's legend and summary sheets (with the chart) put into real packages, nothing else touched."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

import engine
from workbook.errors import WriteRefused
from workbook.cli.main import run as cli
from workbook.reading.calamine import read_master
from workbook.reading.package import open_package
from workbook.writing.summary import owned_sheets
from workbook.writing.xlsxpatch.bookparts import workbook_part
from workbook.writing.xlsxpatch.edit import PackageEdit, attributes, resolve
from workbook.writing.xlsxpatch.model import OwnedCell, OwnedSheet, Provenance
from workbook.writing.xlsxpatch.package import rewrite_package
from workbook.writing.xlsxpatch.sheets import put_sheets
from workbook.writing.xlsxpatch.styles import StyleSheet

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "seed-2016.xlsx"
RULES = engine.default_rules()
PROV = Provenance(version="0.1.0", rules_name="default.json", rules_sha256=RULES.sha256, year=2016, time="2026-11-28T12:00:00Z")
BOOK_PARTS = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml", "xl/styles.xml"}


@pytest.fixture(scope="module")
def sheets():
    book = read_master(str(SAMPLE))
    assessed = [(row, engine.assess(row.values, RULES)) for row in book.rows]
    return {lang: owned_sheets(book, assessed, RULES, lang, PROV) for lang in ("lv", "en")}


def put(src: Path, dst: Path, owned) -> Path:
    package = open_package(str(src))
    try:
        edit = PackageEdit(package)
        styles_part = next(t for _, t in edit.targets(workbook_part(edit), "/styles"))
        styles = StyleSheet(edit.read(styles_part))
        put_sheets(edit, styles, owned, path=str(src))
        edit.write(styles_part, styles.to_bytes())
        changes = dict(edit.changes)
    finally:
        package.close()
    dst.write_bytes(rewrite_package(str(src), changes))
    return dst


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def _tags(xml: bytes, tag: str) -> list[dict[str, str]]:
    return [attributes(m.group(0)) for m in re.finditer(rb"<(?:\w+:)?" + tag.encode() + rb"\b[^>]*>", xml)]


def rels(data: dict[str, bytes], part: str) -> list[tuple[str, str]]:
    folder, name = part.rsplit("/", 1)
    return [(r["Type"].rsplit("/", 1)[-1], resolve(part, r["Target"]))
            for r in _tags(data.get(f"{folder}/_rels/{name}.rels", b""), "Relationship")]


def sheet_parts(data: dict[str, bytes]) -> dict[str, tuple[str, str]]:
    """Sheet name -> (sheetId, part) in tab order."""
    targets = {r["Id"]: resolve("xl/workbook.xml", r["Target"]) for r in _tags(data["xl/_rels/workbook.xml.rels"], "Relationship")}
    return {s["name"]: (s["sheetId"], targets[s["r:id"]]) for s in _tags(data["xl/workbook.xml"], "sheet")}


@pytest.fixture
def plain(tmp_path) -> Path:
    wb = openpyxl.Workbook()
    wb.active.title = "Data"
    wb.active["A1"] = "analyst's data"
    wb.create_sheet("Other")["B2"] = 42
    path = tmp_path / "plain.xlsx"
    wb.save(path)
    return path


def test_new_sheets_come_last_and_every_reader_sees_their_values(plain, tmp_path, sheets):
    out = put(plain, tmp_path / "out.xlsx", sheets["lv"])
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Data", "Other", "Leģenda", "Kopsavilkums"]
    total = next(r for r in wb["Kopsavilkums"].iter_rows(values_only=True) if r[0] == "Kopā")
    assert list(total[1:6]) == [6, 11, 7, 3, 27]
    assert wb["Leģenda"]["A4"].value == "●" and wb["Leģenda"]["A4"].fill.fgColor.rgb == "FFC6EFCE"
    assert wb["Kopsavilkums"].column_dimensions["A"].width == 28
    grid = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Kopsavilkums").to_python()
    assert [row[:6] for row in grid if row[0] == "Kopā"] == [["Kopā", 6, 11, 7, 3, 27]]


def test_the_chart_is_related_to_its_drawing_and_the_drawing_to_the_summary(plain, tmp_path, sheets):
    data = parts(put(plain, tmp_path / "out.xlsx", sheets["lv"]))
    summary = sheet_parts(data)["Kopsavilkums"][1]
    [(kind, drawing)] = rels(data, summary)
    assert kind == "drawing" and drawing in data
    [(kind, chart)] = rels(data, drawing)
    assert kind == "chart" and chart.startswith("xl/charts/") and chart in data
    types = data["[Content_Types].xml"].decode()
    for part, ctype in ((summary, "worksheet+xml"), (drawing, "drawing+xml"), (chart, "drawingml.chart+xml")):
        assert re.search(f'PartName="/{re.escape(part)}" ContentType="[^"]*{re.escape(ctype)}"', types)
    xml = data[chart].decode()
    assert "<c:barChart>" in xml and '<c:grouping val="clustered"/>' in xml
    assert re.findall(r'<c:ser>.*?<a:srgbClr val="(\w+)"', xml) == [RULES.colour(s).lstrip("#") for s in RULES.statuses]
    assert "&apos;Kopsavilkums&apos;!$A$" in xml or "'Kopsavilkums'!$A$" in xml
    # openpyxl sees the chart on the summary sheet.
    assert len(openpyxl.load_workbook(tmp_path / "out.xlsx")["Kopsavilkums"]._charts) == 1


def test_every_other_part_is_copied_byte_for_byte(plain, tmp_path, sheets):
    before, after = parts(plain), parts(put(plain, tmp_path / "out.xlsx", sheets["lv"]))
    assert {n for n in before if before[n] != after[n]} <= BOOK_PARTS
    assert list(after)[:len(before)] == list(before)  # member order kept, new parts appended


def test_putting_twice_gives_the_same_bytes_and_reuses_the_parts(plain, tmp_path, sheets):
    once = put(plain, tmp_path / "once.xlsx", sheets["lv"])
    again = put(plain, tmp_path / "again.xlsx", sheets["lv"])
    twice = put(once, tmp_path / "twice.xlsx", sheets["lv"])
    assert once.read_bytes() == again.read_bytes()
    assert parts(once) == parts(twice)


def test_the_legend_radit_new_wrote_is_replaced_in_place(tmp_path, sheets):
    before = sheet_parts(parts(SAMPLE))
    data = parts(put(SAMPLE, tmp_path / "out.xlsx", sheets["lv"]))
    after = sheet_parts(data)
    assert list(after) == [*before, "Kopsavilkums"]
    assert after["Leģenda"] == before["Leģenda"]  # same sheetId, same part, same place in the tabs
    assert b"Noteikumi: default.json" in data[after["Leģenda"][1]]
    assert parts(SAMPLE).get("xl/sharedStrings.xml") == data.get("xl/sharedStrings.xml")  # never touched


def test_a_book_made_in_english_keeps_its_legend_name_when_evaluated_in_latvian(tmp_path, sheets):
    book = tmp_path / "en.xlsx"
    assert cli(["new", str(book), "--lang", "en"], io.StringIO(), io.StringIO()) == 0
    out = put(book, tmp_path / "out.xlsx", sheets["lv"])
    names = openpyxl.load_workbook(out).sheetnames
    assert "Legend" in names and "Leģenda" not in names and names[-1] == "Kopsavilkums"
    assert openpyxl.load_workbook(out)["Legend"]["A1"].value.startswith("1.tabula")


def _with_sheet(tmp_path: Path, fill) -> Path:
    wb = openpyxl.Workbook()
    wb.active.title = "Data"
    fill(wb.create_sheet("Kopsavilkums"))
    path = tmp_path / "book.xlsx"
    wb.save(path)
    return path


def _values(ws):
    ws["A1"], ws["A3"], ws["B5"] = "Mans kopsavilkums", "Noteikumi: mani", 3


def _formula(ws):
    ws["A1"], ws["A3"], ws["B5"] = "Kopsavilkums", "Noteikumi: x", "=1+2"


def _table(ws):
    from openpyxl.worksheet.table import Table
    ws["A1"], ws["B1"], ws["A2"], ws["B2"] = "Kopsavilkums", "b", 1, 2
    ws.add_table(Table(displayName="Mine", ref="A1:B2"))


def _comment(ws):
    from openpyxl.comments import Comment
    ws["A1"], ws["A3"] = "Kopsavilkums", "Noteikumi: x"
    ws["A1"].comment = Comment("mine", "analyst")


@pytest.mark.parametrize("fill", [_values, _formula, _table, _comment], ids=["other text", "formula", "table", "note"])
def test_an_analysts_own_sheet_of_that_name_is_refused_not_destroyed(tmp_path, sheets, fill):
    book = _with_sheet(tmp_path, fill)
    with pytest.raises(WriteRefused) as refused:
        put(book, tmp_path / "out.xlsx", sheets["lv"])
    assert refused.value.code == "owned-sheet-taken" and "Kopsavilkums" in str(refused.value)


def _empty(ws):
    pass


def _addin(ws):  # what the Excel add-in writes at the top of its summary
    ws["A1"], ws["A2"], ws["A3"] = "Kopsavilkums", "Novērtējuma gads: 2016", "Noteikumi: default.json (SHA-256 00)"
    ws["H2"] = 4


@pytest.mark.parametrize("fill", [_empty, _addin], ids=["empty", "the add-in's summary"])
def test_an_empty_sheet_or_radits_own_of_that_name_is_replaced(tmp_path, sheets, fill):
    book = _with_sheet(tmp_path, fill)
    out = put(book, tmp_path / "out.xlsx", sheets["lv"])
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Data", "Kopsavilkums", "Leģenda"]
    assert wb["Kopsavilkums"]["A2"].value == "Novērtējuma gads: 2016" and wb["Kopsavilkums"]["H2"].value is None


def test_a_summary_without_a_chart_unlinks_radits_old_drawing(plain, tmp_path, sheets):
    once = put(plain, tmp_path / "once.xlsx", sheets["lv"])
    bare = OwnedSheet(name="Kopsavilkums", cells=(OwnedCell(1, 1, "Kopsavilkums"), OwnedCell(3, 1, "Noteikumi: x")))
    data = parts(put(once, tmp_path / "bare.xlsx", [bare]))
    summary = sheet_parts(data)["Kopsavilkums"][1]
    assert rels(data, summary) == [] and b"<drawing" not in data[summary]
    assert openpyxl.load_workbook(tmp_path / "bare.xlsx")["Kopsavilkums"]["A1"].value == "Kopsavilkums"


@pytest.mark.parametrize("prefix", ["rel", None], ids=["another prefix", "no declaration"])
def test_a_new_sheet_entry_uses_the_workbooks_own_relationship_prefix(plain, tmp_path, sheets, prefix):
    data = parts(plain)
    xml = data["xl/workbook.xml"].decode()
    ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    xml = xml.replace(f' xmlns:r="{ns}"', f' xmlns:{prefix}="{ns}"' if prefix else "")
    xml = xml.replace(" r:id=", f" {prefix}:id=" if prefix else f' xmlns:r="{ns}" r:id=')
    data["xl/workbook.xml"] = xml.encode()
    book = tmp_path / "prefixed.xlsx"
    with zipfile.ZipFile(book, "w") as z:
        for name, blob in data.items():
            z.writestr(name, blob)
    out = put(book, tmp_path / "out.xlsx", sheets["lv"])
    assert openpyxl.load_workbook(out).sheetnames == ["Data", "Other", "Leģenda", "Kopsavilkums"]
    assert CalamineWorkbook.from_path(str(out)).sheet_names == ["Data", "Other", "Leģenda", "Kopsavilkums"]
