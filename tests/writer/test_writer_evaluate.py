"""radit evaluate on real workbooks: nothing but radit's parts change, the cells hold what the engine computed,
twice is once, refusals write nothing, in-place replacement keeps a backup and respects Excel's lock file."""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import shutil
import sys
import warnings
import zipfile
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

sys.path.insert(0, str(Path(__file__).parent))
from rich_books import SAMPLE, THREADED_CELL, VBA_BYTES, build_rich_book  # noqa: E402

from workbook.errors import WriteRefused  # noqa: E402
from workbook.cli.main import run as cli  # noqa: E402
from workbook.writing.evaluate import evaluate_file  # noqa: E402
from workbook.validation.validate import validate_book  # noqa: E402

NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.timezone.utc)
SHEET = "xl/worksheets/sheet1.xml"  # the indicator sheet in books openpyxl writes


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def owned(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    """The parts radit may change or add, by name: everything else must come through byte for byte."""
    names = {SHEET, "xl/worksheets/_rels/sheet1.xml.rels", "xl/styles.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
             "[Content_Types].xml", "_rels/.rels", "docProps/custom.xml"}
    names |= {n for n in after if n not in before}  # new parts: notes, summary sheet, its drawing and chart
    legend = [n for n, data in before.items() if n.startswith("xl/worksheets/sheet") and "1.tabula".encode() in data]
    names |= set(legend)
    names |= {n for n in before if re.fullmatch(r"xl/comments\d*\.xml|xl/comments/comment\d+\.xml|xl/drawings/\w*\.vml", n)
              and n in after and _sheet1_relates_to(before, n)}
    return names


def _sheet1_relates_to(before, name) -> bool:
    rels = before.get("xl/worksheets/_rels/sheet1.xml.rels", b"")
    return Path(name).name.encode() in rels


def indicator_rows(ws):
    headers = {c.value: c.column for c in ws[1] if c.value}
    for r in range(2, ws.max_row + 1):
        ident = ws.cell(r, headers["ID"]).value
        if ident:
            yield ident, r, headers


@pytest.fixture(scope="module")
def rich(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rich")
    return {"xlsx": build_rich_book(folder / "rich.xlsx"), "xlsm": build_rich_book(folder / "rich.xlsm", macro=True)}


@pytest.mark.parametrize("kind", ["xlsx", "xlsm"])
def test_every_part_radit_does_not_own_is_byte_identical(rich, tmp_path, kind):
    src = rich[kind]
    out = tmp_path / f"out.{kind}"
    evaluate_file(src, out=out, now=NOW)
    before, after = parts(src), parts(out)
    mine = owned(before, after)
    kept = sorted(set(before) - mine)
    assert kept, "the test owns everything: it would prove nothing"
    assert {n: before[n] for n in kept} == {n: after[n] for n in kept}
    assert set(before) <= set(after)  # nothing dropped
    assert {"xl/threadedComments/threadedComment1.xml", "xl/persons/person.xml", "xl/media/image1.png",
            "customXml/item1.xml", "xl/charts/chart1.xml"} <= set(kept)
    if kind == "xlsm":
        assert after["xl/vbaProject.bin"] == VBA_BYTES
    # The data sheet keeps its formula's cached value and its x14 extension (openpyxl would drop both).
    data_sheet = next(n for n in kept if n.startswith("xl/worksheets/sheet") and b"SUM(B2:B4)" in before[n])
    assert b"<v>4</v>" in after[data_sheet] and b"x14:dataBar" in after[data_sheet]


def test_the_written_cells_hold_what_the_engine_computed(rich, tmp_path):
    out = tmp_path / "out.xlsx"
    evaluate_file(rich["xlsx"], out=out, now=NOW)
    report = validate_book(rich["xlsx"])
    want = {r.id: r.assessment for r in report.indicators}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(out)
    ws = wb["Rādītāji"]
    seen = 0
    for ident, r, h in indicator_rows(ws):
        a = want[ident]
        symbol = ws.cell(r, h["Vērtējums"])
        assert symbol.value == a.symbol and symbol.fill.fgColor.rgb == "FF" + a.colour.lstrip("#").upper()
        assert ws.cell(r, h["Nobīde"]).value == a.format_deviation("lv")
        assert ws.cell(r, h["Pamats"]).value == a.basis.label("lv")
        assert ws.cell(r, h["Skaidrojums"]).value == a.explain("lv")
        assert symbol.comment is not None and symbol.comment.text == a.explain("lv") and symbol.comment.author == "radit"
        seen += 1
    assert seen == 27
    assert ws["A2"].comment.text == "Analītiķes piezīme: pārbaudīt avotu"  # the analyst's own note is kept
    # python-calamine reads the same values.
    grid = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Rādītāji").to_python()
    col = grid[0].index("Vērtējums")
    assert sorted(row[col] for row in grid[1:] if row[0]) == sorted(a.symbol for a in want.values())
    # Legend and summary sheets, provenance in custom properties.
    assert {"Leģenda", "Kopsavilkums"} <= set(wb.sheetnames)
    summary = [[c for c in row if c is not None] for row in wb["Kopsavilkums"].iter_rows(values_only=True)]
    flat = [str(v) for row in summary for v in row]
    assert any("default.json" in v and report.indicators[0].rules.sha256 in v for v in flat)
    total = next(row for row in summary if row and row[0] == "Kopā")
    assert total[-1] == 27 and total[1:5] == [6, 11, 7, 3]
    custom = parts(out)["docProps/custom.xml"].decode()
    assert 'name="radit_rules"' in custom and "2026-11-28T12:00:00Z" in custom and 'name="radit_year"><vt:lpwstr>2016<' in custom
    assert b'fullCalcOnLoad="1"' in parts(out)["xl/workbook.xml"]


def test_evaluating_twice_gives_the_same_bytes_as_once(rich, tmp_path):
    once, twice, again = tmp_path / "once.xlsx", tmp_path / "twice.xlsx", tmp_path / "again.xlsx"
    evaluate_file(rich["xlsx"], out=once, now=NOW)
    evaluate_file(once, out=twice, now=NOW)
    evaluate_file(rich["xlsx"], out=again, now=NOW)
    assert once.read_bytes() == again.read_bytes()
    assert parts(once) == parts(twice)
    later = tmp_path / "later.xlsx"
    evaluate_file(once, out=later, now=NOW + dt.timedelta(days=1))
    differ = {n for n, data in parts(later).items() if parts(once)[n] != data}
    assert differ <= {"docProps/custom.xml"} | {n for n in differ if n.startswith("xl/worksheets/sheet")}
    assert len(differ) == 2  # the time stamp: custom properties and the summary sheet


def test_an_evaluated_workbook_validates_without_stale_assessments(tmp_path):
    out = tmp_path / "sample.xlsx"
    evaluate_file(SAMPLE, out=out, now=NOW)
    report = validate_book(out)
    assert report.valid and not [f for f in report.findings if f.code == "stale-assessment"]
    assert [f.code for f in report.findings] == [f.code for f in validate_book(SAMPLE).findings]


def _sample_copy(tmp_path, edit) -> Path:
    path = tmp_path / "book.xlsx"
    wb = openpyxl.load_workbook(SAMPLE)
    edit(wb["Rādītāji"], wb)
    wb.save(path)
    return path


def _symbol_column(ws) -> str:
    return next(c.column_letter for c in ws[1] if c.value == "Vērtējums")


@pytest.mark.parametrize("case,code", [
    ("formula in an output cell", "formula-output-cell"),
    ("merged output cells", "merged-output-cell"),
    ("the analyst's own summary sheet", "owned-sheet-taken"),
])
def test_what_cannot_be_patched_safely_is_refused_and_nothing_is_written(tmp_path, case, code):
    def edit(ws, wb):
        col = _symbol_column(ws)
        if case == "formula in an output cell":
            ws[f"{col}5"] = "=1+1"
        elif case == "merged output cells":
            ws.merge_cells(f"{col}6:{col}7")
        else:
            mine = wb.create_sheet("Kopsavilkums")
            mine["A1"] = "=COUNTA(Rādītāji!A:A)"
    book = _sample_copy(tmp_path, edit)
    before = hashlib.sha256(book.read_bytes()).hexdigest()
    out = tmp_path / "out.xlsx"
    err = io.StringIO()
    assert cli(["evaluate", str(book), "-o", str(out)], io.StringIO(), err) == 2
    assert f"[{code}]" in err.getvalue() and str(book) in err.getvalue() and "Traceback" not in err.getvalue()
    assert not out.exists() and hashlib.sha256(book.read_bytes()).hexdigest() == before


def test_a_threaded_comment_on_a_symbol_cell_is_refused(tmp_path):
    book = tmp_path / "book.xlsx"
    shutil.copyfile(SAMPLE, book)
    data = parts(book)
    col = _symbol_column(openpyxl.load_workbook(book)["Rādītāji"])
    data["xl/threadedComments/threadedComment1.xml"] = (
        f'<ThreadedComments xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments">'
        f'<threadedComment ref="{col}3" personId="{{1}}" id="{{2}}"><text>?</text></threadedComment></ThreadedComments>').encode()
    rels = data.get("xl/worksheets/_rels/sheet1.xml.rels",
                    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>')
    data["xl/worksheets/_rels/sheet1.xml.rels"] = rels.replace(b"</Relationships>", b'<Relationship Id="rIdT" Type="http://'
                                                             b'schemas.microsoft.com/office/2017/10/relationships/threadedComment" '
                                                             b'Target="../threadedComments/threadedComment1.xml"/></Relationships>')
    with zipfile.ZipFile(book, "w") as z:
        for name, blob in data.items():
            z.writestr(name, blob)
    with pytest.raises(WriteRefused) as refused:
        evaluate_file(book, out=tmp_path / "out.xlsx")
    assert (refused.value.code, refused.value.location.sheet, refused.value.location.cell) == ("threaded-comment", "Rādītāji", f"{col}3")
    assert not (tmp_path / "out.xlsx").exists()


def test_in_place_keeps_a_backup_and_refuses_while_excel_has_the_book_open(tmp_path):
    book = tmp_path / "book.xlsx"
    shutil.copyfile(SAMPLE, book)
    original = book.read_bytes()
    lock = tmp_path / "~$book.xlsx"
    lock.write_bytes(b"excel")
    with pytest.raises(WriteRefused) as refused:
        evaluate_file(book, in_place=True)
    assert refused.value.code == "open-in-excel" and book.read_bytes() == original
    lock.unlink()
    result = evaluate_file(book, in_place=True, now=NOW)
    assert result.written == str(book) and Path(result.backup).read_bytes() == original
    assert validate_book(book).valid and book.read_bytes() != original


def test_the_output_is_never_the_input_without_in_place(tmp_path):
    book = tmp_path / "book.xlsx"
    shutil.copyfile(SAMPLE, book)
    with pytest.raises(WriteRefused) as refused:
        evaluate_file(book, out=book)
    assert refused.value.code == "output-is-input" and book.read_bytes() == SAMPLE.read_bytes()


def test_the_command_writes_beside_the_book_and_reports_counts(tmp_path):
    book = tmp_path / "book.xlsx"
    shutil.copyfile(SAMPLE, book)
    out, err = io.StringIO(), io.StringIO()
    assert cli(["evaluate", str(book), "--lang", "en"], out, err) == 0, err.getvalue()
    written = tmp_path / "book.evaluated.xlsx"
    assert written.is_file() and book.read_bytes() == SAMPLE.read_bytes()
    text = out.getvalue()
    assert str(written) in text and "27 indicators" in text and "● Result achieved 6" in text
    ws = openpyxl.load_workbook(written)["Rādītāji"]
    assert any(c.value == "computed" for c in ws[3] + ws[5] + ws[6])  # English basis labels


def test_the_command_on_a_file_that_is_not_a_workbook_is_one_line_and_exit_2(tmp_path):
    bad = tmp_path / "notes.xlsx"
    bad.write_text("not a workbook")
    err = io.StringIO()
    assert cli(["evaluate", str(bad)], io.StringIO(), err) == 2
    assert err.getvalue().count("\n") == 1 and str(bad) in err.getvalue()
    assert not (tmp_path / "notes.evaluated.xlsx").exists()


def test_data_errors_still_write_and_exit_1_with_their_cells(tmp_path):
    def edit(ws, wb):
        col = next(c.column_letter for c in ws[1] if c.value == "Sasniegts 2016")
        ws[f"{col}5"] = "daudz"
    book = _sample_copy(tmp_path, edit)
    err = io.StringIO()
    assert cli(["evaluate", str(book), "-o", str(tmp_path / "o.xlsx")], io.StringIO(), err) == 1
    assert "Rādītāji'!" in err.getvalue() and "[" in err.getvalue() and (tmp_path / "o.xlsx").is_file()


def _rewritten(src: Path, dst: Path, change) -> Path:
    with zipfile.ZipFile(src) as z, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
        for info in z.infolist():
            out.writestr(info.filename, change(info.filename, z.read(info)))
    return dst


def test_a_strict_open_xml_workbook_is_refused_and_nothing_is_written(tmp_path):
    transitional = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    strict = b"http://purl.oclc.org/ooxml/spreadsheetml/main"
    book = _rewritten(SAMPLE, tmp_path / "strict.xlsx",
                      lambda name, data: data.replace(transitional, strict) if name.endswith(".xml") else data)
    err = io.StringIO()
    assert cli(["evaluate", str(book), "-o", str(tmp_path / "out.xlsx")], io.StringIO(), err) == 2
    assert "[strict-ooxml]" in err.getvalue() and str(book) in err.getvalue()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["strict.xlsx"]


def test_an_english_book_gets_english_texts_and_lang_overrides_the_setting(tmp_path):
    book = tmp_path / "book.xlsx"
    shutil.copyfile(SAMPLE, book)
    evaluate_file(book, out=tmp_path / "en.xlsx", lang="en", now=NOW)
    evaluate_file(book, out=tmp_path / "lv.xlsx", now=NOW)
    report = validate_book(book)
    first = report.indicators[0]
    for name, lang in (("en.xlsx", "en"), ("lv.xlsx", "lv")):
        ws = openpyxl.load_workbook(tmp_path / name)["Rādītāji"]
        headers = {c.value: c.column for c in ws[1] if c.value}
        assert ws.cell(first.row, headers["Pamats"]).value == first.assessment.basis.label(lang)
        assert ws.cell(first.row, headers["Skaidrojums"]).value == first.assessment.explain(lang)


def test_output_columns_the_table_lacks_are_skipped(tmp_path):
    def edit(ws, wb):
        col = next(c for c in ws[1] if c.value == "Skaidrojums")
        col.value = "Analītiķa teksts"
        table = next(iter(ws.tables.values()))
        for tc in table.tableColumns:
            if tc.name == "Skaidrojums":
                tc.name = "Analītiķa teksts"
    book = _sample_copy(tmp_path, edit)
    out = tmp_path / "out.xlsx"
    result = evaluate_file(book, out=out, now=NOW)
    assert sum(result.counts.values()) == 27
    before = openpyxl.load_workbook(book)["Rādītāji"]
    after = openpyxl.load_workbook(out)["Rādītāji"]
    col = next(c.column for c in after[1] if c.value == "Analītiķa teksts")
    assert [after.cell(r, col).value for r in range(2, 30)] == [before.cell(r, col).value for r in range(2, 30)]
    symbol = next(c.column for c in after[1] if c.value == "Vērtējums")
    assert sum(1 for r in range(2, 30) if after.cell(r, symbol).value) == 27


def test_a_macro_book_is_written_beside_itself_as_xlsm_with_its_vba(rich, tmp_path):
    book = tmp_path / "makro.xlsm"
    shutil.copyfile(rich["xlsm"], book)
    result = evaluate_file(book, now=NOW)
    written = tmp_path / "makro.evaluated.xlsm"
    assert result.written == str(written) and parts(written)["xl/vbaProject.bin"] == VBA_BYTES
    assert b"macroEnabled" in parts(written)["[Content_Types].xml"]


def test_above_the_note_limit_no_notes_are_written_and_the_command_says_so(tmp_path, monkeypatch):
    import workbook.writing.xlsxpatch.notes as notes

    monkeypatch.setattr(notes, "NOTE_LIMIT", 10)  # the sample's 27 rows stand in for a 10 001-row table
    out = tmp_path / "out.xlsx"
    text = io.StringIO()
    assert cli(["evaluate", str(SAMPLE), "-o", str(out), "--lang", "en"], text, io.StringIO()) == 0
    assert "No cell notes written (27 rows > 10)" in text.getvalue()
    ws = openpyxl.load_workbook(out)["Rādītāji"]
    assert not any(c.comment for row in ws.iter_rows() for c in row)
    assert all(ws.cell(r, h["Skaidrojums"]).value for _, r, h in indicator_rows(ws))  # the text is still there
