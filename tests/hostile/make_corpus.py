"""Generate hostile and broken input files for radit (nothing is downloaded)."""
from __future__ import annotations

import datetime as dt
import re
import shutil
import sys
import zipfile
from pathlib import Path
from typing import Callable, Iterable

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a script: bench/ and workbook/ importable from the repo
    sys.path.insert(0, str(ROOT))

SAMPLE = ROOT / "samples" / "seed-2016.xlsx"
SECRET_TOKEN = "RADIT-SECRET-7f3a9c"  # the external entity's target file holds this; it must never be echoed
SHEET = "xl/worksheets/sheet1.xml"  # the sample's indicator sheet 'Rādītāji' (table Raditaji, A1:V28)
SETTINGS_SHEET = "xl/worksheets/sheet2.xml"
TABLE = "xl/tables/table1.xml"
HUGE_STRING_MB = 200
BIG_ROWS = 100_000
FAULT_ROWS = 5_000  # the SIGKILL book: a run of seconds, so random kills land in reading, assessing and writing
TERMINAL_ESCAPE = b"\x1b[2J\x1b]0;pwned\x07"  # clear screen, set the window title: must never reach a terminal raw


def _rezip(src: Path, dst: Path, replace: dict[str, bytes], *, stored: bool = False) -> Path:
    """Copy a package, replacing (or adding) some parts."""
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", method) as zout:
        for info in zin.infolist():
            if info.filename not in replace:
                zout.writestr(info.filename, zin.read(info.filename))
        for name, data in replace.items():
            zout.writestr(name, data)
    return dst


def _part(name: str, src: Path = SAMPLE) -> bytes:
    with zipfile.ZipFile(src) as z:
        return z.read(name)


def _first_sheet(src: Path) -> str:
    with zipfile.ZipFile(src) as z:
        return sorted(n for n in z.namelist() if n.startswith("xl/worksheets/sheet"))[0]


def _set_text(xml: bytes, ref: str, text: bytes) -> bytes:
    """Replace the inline-string text of cell `ref` in sheet XML (the sample writes every text inline)."""
    start = xml.index(b'<c r="%s"' % ref.encode())
    t = xml.index(b"<t>", start) + 3
    return xml[:t] + text + xml[xml.index(b"</t>", t):]


def _set_cell(xml: bytes, ref: str, cell: bytes) -> bytes:
    """Replace the whole <c> element of cell `ref`."""
    start = xml.index(b'<c r="%s"' % ref.encode())
    tag_end = xml.index(b">", start) + 1
    end = tag_end if xml[tag_end - 2:tag_end] == b"/>" else xml.index(b"</c>", start) + 4
    return xml[:start] + cell + xml[end:]


def _ole2(dst: Path, stream_name: str | None) -> Path:
    """A compound-file header (magic D0 CF 11 E0) and, optionally, a directory entry naming a stream."""
    data = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    if stream_name:
        data += stream_name.encode("utf-16-le").ljust(64, b"\0") + b"\0" * 64
    dst.write_bytes(bytes(data) + b"\0" * 4096)
    return dst


def _with_openpyxl(dst: Path, edit: Callable) -> Path:
    """The sample changed the way Excel would let a person change it (openpyxl load, edit, save)."""
    import openpyxl

    wb = openpyxl.load_workbook(SAMPLE)
    edit(wb)
    wb.save(dst)
    return dst


# --- the cases -----------------------------------------------------------------------------------

def valid(folder: Path) -> Path:
    return Path(shutil.copyfile(SAMPLE, folder / "valid.xlsx"))


def not_a_zip(folder: Path) -> Path:
    (folder / "not-a-zip.xlsx").write_bytes(b"this is plain text, not a workbook\n" * 10)
    return folder / "not-a-zip.xlsx"


def truncated(folder: Path) -> Path:
    raw = SAMPLE.read_bytes()
    (folder / "truncated.xlsx").write_bytes(raw[: len(raw) // 2])
    return folder / "truncated.xlsx"


def legacy_xls(folder: Path) -> Path:
    return _ole2(folder / "legacy.xls", "Workbook")


def encrypted(folder: Path) -> Path:
    return _ole2(folder / "encrypted.xlsx", "EncryptionInfo")


def zip_bomb(folder: Path) -> Path:
    """One part of 640 MiB of zeros (over the 512 MiB part cap) declared and deflated to ~640 KB."""
    bomb = folder / "zip-bomb.xlsx"
    with zipfile.ZipFile(SAMPLE) as zin, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info.filename))
        with zout.open("xl/media/zeros.bin", "w", force_zip64=True) as fh:
            chunk = b"\0" * (1 << 24)
            for _ in range(40):
                fh.write(chunk)
    return bomb


def far_cell(folder: Path) -> Path:
    far = _part(SHEET).replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>')
    return _rezip(SAMPLE, folder / "far-cell.xlsx", {SHEET: far})


def far_row(folder: Path) -> Path:
    """One cell at Z450000: 11.7 million cells up to it, just under the 12 million cell cap, so it is read."""
    far = _part(SHEET).replace(b"</sheetData>", b'<row r="450000"><c r="Z450000"><v>1</v></c></row></sheetData>')
    return _rezip(SAMPLE, folder / "far-row.xlsx", {SHEET: far})


def huge_string(folder: Path, mb: int = HUGE_STRING_MB, name: str = "huge-string.xlsx") -> Path:
    """A shared-strings part whose last string is 200 MB of one letter (~200 KB deflated), used by a
    justification cell. Streamed into the zip one MiB at a time: never 200 MB in memory."""
    from bench.generate import generate

    base = generate(folder / (name + ".base.xlsx"), 10)
    dst = folder / name
    level = 1 if name != "huge-string.xlsx" else 6  # the huge string must deflate ~1000x (level 1 gives ~230x)
    with zipfile.ZipFile(base) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zout:
        sst = zin.read("xl/sharedStrings.xml")
        unique = int(re.search(rb'uniqueCount="(\d+)"', sst).group(1))
        for info in zin.infolist():
            if info.filename == "xl/sharedStrings.xml":
                continue
            data = zin.read(info.filename)
            if info.filename == SHEET:  # the justification of row 2 (column P) becomes the huge string
                data = re.sub(rb'(<c r="P2" t="s"><v>)\d+(</v>)', rb"\g<1>%d\g<2>" % unique, data, count=1)
            zout.writestr(info.filename, data)
        head = sst[: sst.rindex(b"</sst>")].replace(b'uniqueCount="%d"' % unique, b'uniqueCount="%d"' % (unique + 1))
        with zout.open("xl/sharedStrings.xml", "w", force_zip64=mb >= 2048) as fh:
            fh.write(head + b"<si><t>")
            chunk = b"A" * (1 << 20)
            for _ in range(mb):
                fh.write(chunk)
            fh.write(b"</t></si></sst>")
    base.unlink()
    return dst


def lying_bomb(folder: Path) -> Path:
    """A shared-strings part whose zip headers (local and central) declare 5 MB while it inflates to 600 MB:
    the declared-size caps pass it, so whatever inflates it must stop at the declared size."""
    import struct

    src = huge_string(folder, mb=600, name="lying-bomb.xlsx")
    raw = bytearray(src.read_bytes())
    name, lie = b"xl/sharedStrings.xml", 5_000_000  # over the 64 KiB prolog scan, under every cap
    for magic, name_len_at, name_at, size_at in ((b"PK\x03\x04", 26, 30, 22), (b"PK\x01\x02", 28, 46, 24)):
        i = raw.find(magic)
        while i >= 0:
            n = struct.unpack_from("<H", raw, i + name_len_at)[0]
            if raw[i + name_at:i + name_at + n] == name:
                struct.pack_into("<I", raw, i + size_at, lie)
            i = raw.find(magic, i + 4)
    src.write_bytes(bytes(raw))
    return src


def duplicate_part(folder: Path) -> Path:
    """The indicator sheet twice in the zip: the second copy changes an achieved value (O3). Tools disagree on
    which copy counts, so what Excel shows could differ from what radit assesses."""
    import warnings

    evil = _set_cell(_part(SHEET), "O3", b'<c r="O3"><v>999999</v></c>')
    dst = folder / "duplicate-part.xlsx"
    with zipfile.ZipFile(SAMPLE) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate name: that is the point
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info.filename))
        zout.writestr(SHEET, evil)
    return dst


ZIP_SLIP = "radit-zip-slip-7f3a9c.txt"


def zip_slip(folder: Path) -> Path:
    """Members named ../../…/tmp/radit-zip-slip….txt and /tmp/…: radit never extracts, so nothing appears there."""
    return _rezip(SAMPLE, folder / "zip-slip.xlsx", {"../" * 12 + "tmp/" + ZIP_SLIP: b"slip", "/tmp/" + ZIP_SLIP: b"slip"})


def billion_laughs(folder: Path) -> Path:
    sheet_xml = _part(SHEET)
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10))
              + b"]>")
    return _rezip(SAMPLE, folder / "billion-laughs.xlsx",
                  {SHEET: laughs + sheet_xml.split(b"?>", 1)[-1].replace(b"<sheetData>", b"<sheetData>&lol9;", 1)})


def external_entity(folder: Path) -> Path:
    secret = folder / "secret.txt"
    secret.write_text(SECRET_TOKEN)
    xxe = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file://' + str(secret.resolve()).encode() + b'">]>'
    return _rezip(SAMPLE, folder / "external-entity.xlsx",
                  {"xl/sharedStrings.xml": xxe + b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                                                 b'count="1" uniqueCount="1"><si><t>&xxe;</t></si></sst>'})


def external_entity_in_sheet(folder: Path) -> Path:
    """The same external entity used inside the indicator sheet itself (an id cell), not an unused part."""
    secret = folder / "secret.txt"
    secret.write_text(SECRET_TOKEN)
    xxe = b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file://' + str(secret.resolve()).encode() + b'">]>'
    sheet_xml = _set_text(_part(SHEET), "A2", b"&xxe;")
    return _rezip(SAMPLE, folder / "external-entity-sheet.xlsx", {SHEET: xxe + sheet_xml})


_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
VBA_MARKER = b"RADIT-VBA-NEVER-RUN"


def _add_workbook_parts(rels: bytes, types: bytes, content: dict[str, bytes]) -> dict[str, bytes]:
    replace = {"xl/_rels/workbook.xml.rels": _part("xl/_rels/workbook.xml.rels").replace(b"</Relationships>", rels + b"</Relationships>"),
               "[Content_Types].xml": _part("[Content_Types].xml").replace(b"</Types>", types + b"</Types>")}
    replace.update(content)
    return replace


def macro(folder: Path) -> Path:
    """An .xlsm with a VBA project (Auto_Open would run in Excel): radit copies it, never runs it."""
    vba = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + b"Sub Auto_Open(): Shell \"calc\": End Sub " + VBA_MARKER
    parts = _add_workbook_parts(
        b'<Relationship Id="rId90" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/>',
        b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>', {"xl/vbaProject.bin": vba})
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    return _rezip(SAMPLE, folder / "macro.xlsm", parts)


def external_link(folder: Path) -> Path:
    """An external-link part whose targets are a local secret file and a web address: never followed."""
    secret = folder / "secret.txt"
    secret.write_text(SECRET_TOKEN)
    link = (b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="' + _REL.encode()
            + b'"><externalBook r:id="rId1"><sheetNames><sheetName val="S"/></sheetNames></externalBook></externalLink>')
    link_rels = (b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 b'<Relationship Id="rId1" Type="' + _REL.encode() + b'/externalLinkPath" Target="file://'
                 + str(secret.resolve()).encode() + b'" TargetMode="External"/>'
                 b'<Relationship Id="rId2" Type="' + _REL.encode() + b'/hyperlink" Target="http://192.0.2.1/radit-must-not-fetch"'
                 b' TargetMode="External"/></Relationships>')
    parts = _add_workbook_parts(
        b'<Relationship Id="rId91" Type="' + _REL.encode() + b'/externalLink" Target="externalLinks/externalLink1.xml"/>',
        b'<Override PartName="/xl/externalLinks/externalLink1.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"/>',
        {"xl/externalLinks/externalLink1.xml": link, "xl/externalLinks/_rels/externalLink1.xml.rels": link_rels})
    parts["xl/workbook.xml"] = _part("xl/workbook.xml").replace(
        b"<definedNames />", b'<externalReferences><externalReference r:id="rId91"/></externalReferences><definedNames />')
    return _rezip(SAMPLE, folder / "external-link.xlsx", parts)


def no_table(folder: Path) -> Path:
    """Neither an Excel table with indicator headers nor a sheet named Rādītāji/Indicators."""
    def edit(wb):
        ws = wb["Rādītāji"]
        del ws.tables["Raditaji"]
        ws.title = "Piezīmes"
    return _with_openpyxl(folder / "no-table.xlsx", edit)


def duplicate_header(folder: Path) -> Path:
    """Two header cells name the id column (A1 'ID' and B1 'ID')."""
    return _with_openpyxl(folder / "duplicate-header.xlsx", lambda wb: wb["Rādītāji"].__setitem__("B1", "ID"))


def merged_header(folder: Path) -> Path:
    """'Prognoze 2016' merged over 'Sasniegts 2016' (N1:O1): the achieved column loses its header."""
    return _with_openpyxl(folder / "merged-header.xlsx", lambda wb: wb["Rādītāji"].merge_cells("N1:O1"))


def table_ref_outside(folder: Path) -> Path:
    """The table's ref (and autofilter) reach row 2 000 000, past the last row a sheet can have."""
    table = _part(TABLE).replace(b"A1:V28", b"A1:V2000000")
    return _rezip(SAMPLE, folder / "table-ref-outside.xlsx", {TABLE: table})


def invalid_utf8(folder: Path) -> Path:
    """An invalid UTF-8 sequence (C3 28, a lone FF) inside a text node of the indicator table (R3)."""
    sheet_xml = _set_text(_part(SHEET), "R3", b"bad \xc3\x28 bytes \xff here")
    return _rezip(SAMPLE, folder / "invalid-utf8.xlsx", {SHEET: sheet_xml})


def windows_1257(folder: Path) -> Path:
    """The indicator sheet encoded as windows-1257 and saying so in its XML declaration (legal XML)."""
    text = _part(SHEET).decode("utf-8")
    data = ('<?xml version="1.0" encoding="windows-1257"?>\n' + text).encode("cp1257")
    return _rezip(SAMPLE, folder / "windows-1257.xlsx", {SHEET: data})


def control_chars(folder: Path) -> Path:
    """Control characters in valid UTF-8 text: a terminal escape in two ids (so it is echoed in a
    duplicate-id finding), in a unit, in a stored symbol and in a formula (both echoed in findings),
    raw C0 characters in a justification, Excel's _x0007_ escape."""
    sheet_xml = _part(SHEET)
    sheet_xml = _set_text(sheet_xml, "A4", b"A.PR1.3" + TERMINAL_ESCAPE)
    sheet_xml = _set_text(sheet_xml, "A5", b"A.PR1.3" + TERMINAL_ESCAPE)
    sheet_xml = _set_text(sheet_xml, "H6", b"co\x1b[31munt")
    sheet_xml = _set_text(sheet_xml, "R3", b"bell\x07 escape\x1b vt\x0b x01\x01 end")
    sheet_xml = _set_text(sheet_xml, "G7", b"Excel escape _x0007_ and _x001B_")
    sheet_xml = _set_cell(sheet_xml, "S8", b'<c r="S8" t="inlineStr"><is><t>' + TERMINAL_ESCAPE + b"</t></is></c>")  # a stale stored symbol
    sheet_xml = _set_cell(sheet_xml, "K9", b'<c r="K9"><f>"' + TERMINAL_ESCAPE + b'"&amp;1</f></c>')  # a formula without value
    return _rezip(SAMPLE, folder / "control-chars.xlsx", {SHEET: sheet_xml})


def sheet_name_escape(folder: Path) -> Path:
    """The indicator sheet's name holds a terminal escape (raw C0 characters: not well-formed XML)."""
    workbook = _part("xl/workbook.xml").replace('name="Rādītāji"'.encode(), b'name="Data' + TERMINAL_ESCAPE + b'"')
    return _rezip(SAMPLE, folder / "sheet-name-escape.xlsx", {"xl/workbook.xml": workbook})


def formula_no_value(folder: Path) -> Path:
    """The forecast of row 3 (N3) is a formula without a cached value; another one outside the table."""
    sheet_xml = _set_cell(_part(SHEET), "N3", b'<c r="N3"><f>1+1</f></c>')
    sheet_xml = sheet_xml.replace(b"</sheetData>", b'<row r="901"><c r="B901"><f>1+1</f></c></row></sheetData>')
    return _rezip(SAMPLE, folder / "formula-no-value.xlsx", {SHEET: sheet_xml})


def number_as_date(folder: Path) -> Path:
    """The forecast in N3 (a number, 2) shown in a date format: readers see 1900-01-02."""
    return _with_openpyxl(folder / "number-as-date.xlsx",
                          lambda wb: setattr(wb["Rādītāji"]["N3"], "number_format", "yyyy-mm-dd"))


def date_as_number(folder: Path) -> Path:
    """A date typed where the evaluation year belongs (Iestatījumi!B2)."""
    return _with_openpyxl(folder / "date-as-number.xlsx",
                          lambda wb: wb["Iestatījumi"].__setitem__("B2", dt.datetime(2016, 12, 31)))


# --- spellings of a far cell the former pattern missed, and what else a guard must follow (issue: never silent) --

_MAIN_NS = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _sheet_case(folder: Path, name: str, edit: Callable[[bytes], bytes]) -> Path:
    return _rezip(SAMPLE, folder / name, {SHEET: edit(_part(SHEET))})


def _at_end(rows: bytes) -> Callable[[bytes], bytes]:
    return lambda xml: xml.replace(b"</sheetData>", rows + b"</sheetData>")


FAR_SPELLINGS: dict[str, Callable[[bytes], bytes]] = {
    # XML allows single quotes: <row r='1048576'><c r='XFD1048576'>
    "far-cell-quoted": _at_end(b"<row r='1048576'><c r='XFD1048576'><v>1</v></c></row>"),
    # any whitespace before an attribute, and a row without r (its number is the one after the last)
    "far-cell-whitespace": _at_end(b'<row>\n<c\n\tr="XFD1048576"><v>1</v></c></row>'),
    # character references in the attribute value: an XML parser (openpyxl, the fallback) reads XFD1048576
    "far-cell-charref": _at_end(b'<row><c r="&#88;&#70;&#68;1048576"><v>1</v></c></row>'),
    # the far row first: rows need not be in order
    "far-cell-early": lambda xml: xml.replace(b"<sheetData>", b'<sheetData><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>', 1),
    # a namespace prefix on the cell (calamine and openpyxl match local names)
    "far-cell-prefixed": _at_end(b'<row r="29"><x:c xmlns:x="' + _MAIN_NS + b'" r="XFD1048576"><x:v>1</x:v></x:c></row>'),
    # 16 384 cells without r: the last one's column is implied by order (XFD), 2 000 rows down
    "far-cell-implied": _at_end(b'<row r="2000">' + b"<c><v>1</v></c>" * 16384 + b"</row>"),
    # the <dimension> openpyxl sizes its rows by
    "far-dimension": lambda xml: xml.replace(b'<dimension ref="A1:V28"', b'<dimension ref="A1:XFD1048576"', 1),
    # r twice in one tag: calamine takes the last (and aborts); XML forbids it
    "duplicate-attribute": _at_end(b'<row r="29"><c r="A29" r="XFD1048576"><v>1</v></c></row>'),
}


def _far_spelling(name: str) -> Callable[[Path], Path]:
    return lambda folder: _sheet_case(folder, f"{name}.xlsx", FAR_SPELLINGS[name])


def duplicate_cell(folder: Path) -> Path:
    """The symbol cell S3 written twice in its row (Excel keeps one, readers disagree which): evaluate would patch
    one and leave the other behind, stale."""
    def edit(xml: bytes) -> bytes:
        start = xml.index(b'<row r="3"')
        end = xml.index(b"</row>", start)
        return xml[:end] + '<c r="S3" t="inlineStr"><is><t>▲</t></is></c>'.encode() + xml[end:]
    return _sheet_case(folder, "duplicate-cell.xlsx", edit)


def _row_of(xml: bytes, number: int) -> tuple[int, int]:
    """(start, end) of the content of row `number`'s element: after its start tag, before its </row>."""
    start = xml.index(b'<row r="%d"' % number)
    return xml.index(b">", start) + 1, xml.index(b"</row>", start)


def duplicate_cell_read(folder: Path) -> Path:
    """The forecast N5, a cell radit reads but never writes, written again at the end of its row with another value
    (eight other cells between the copies, the sheet otherwise in the plain spelling): readers disagree which value is
    the forecast."""
    def edit(xml: bytes) -> bytes:
        _, end = _row_of(xml, 5)
        return xml[:end] + b'<c r="N5" s="3"><v>1</v></c>' + xml[end:]
    return _sheet_case(folder, "duplicate-cell-read.xlsx", edit)


def duplicate_cell_last_row(folder: Path) -> Path:
    """The id A28 of the last row written twice, the copies side by side, the second one another indicator's id."""
    def edit(xml: bytes) -> bytes:
        start, _ = _row_of(xml, 28)
        return xml[:start] + b'<c r="A28" t="inlineStr"><is><t>A.PR1.1</t></is></c>' + xml[start:]
    return _sheet_case(folder, "duplicate-cell-last-row.xlsx", edit)


def duplicate_cell_unordered(folder: Path) -> Path:
    """Row 3 again at the end of the sheet, its achieved value (O3) changed: the second copy of a cell in a row
    out of order (what an XML tokenizer finds, cell by cell)."""
    return _sheet_case(folder, "duplicate-cell-unordered.xlsx", _at_end(b'<row r="3"><c r="O3"><v>999999</v></c></row>'))


def rows_out_of_order(folder: Path) -> Path:
    """Row 3 moved after row 28: readers place it by its r; the byte patch could not."""
    def edit(xml: bytes) -> bytes:
        start = xml.index(b'<row r="3"')
        end = xml.index(b"</row>", start) + len(b"</row>")
        row = xml[start:end]
        xml = xml[:start] + xml[end:]
        return xml.replace(b"</sheetData>", row + b"</sheetData>")
    return _sheet_case(folder, "rows-out-of-order.xlsx", edit)


def protected_sheet(folder: Path) -> Path:
    """The indicator sheet protected (Review > Protect Sheet): validate reads it, evaluate must not write."""
    return _sheet_case(folder, "protected-sheet.xlsx", lambda xml: xml.replace(
        b"</sheetData>", b'</sheetData><sheetProtection sheet="1" objects="1" scenarios="1"/>', 1))


def protected_workbook(folder: Path) -> Path:
    """The workbook's structure protected (Review > Protect Workbook): radit could not add its sheets."""
    workbook = _part("xl/workbook.xml").replace(b"<workbookProtection/>", b'<workbookProtection lockStructure="1"/>')
    return _rezip(SAMPLE, folder / "protected-workbook.xlsx", {"xl/workbook.xml": workbook})


def _dot_target(folder: Path, name: str, twin: bytes | None) -> Path:
    rels = _part("xl/_rels/workbook.xml.rels").replace(b'Target="/xl/worksheets/sheet1.xml"', b'Target="worksheets/./sheet1.xml"')
    parts = {"xl/_rels/workbook.xml.rels": rels}
    if twin is not None:
        parts["xl/worksheets/./sheet1.xml"] = twin
    return _rezip(SAMPLE, folder / name, parts)


def part_two_names(folder: Path) -> Path:
    """The relationship targets worksheets/./sheet1.xml while the package holds both xl/worksheets/sheet1.xml and a
    member literally named xl/worksheets/./sheet1.xml (an achieved value changed): one part under two names."""
    return _dot_target(folder, "part-two-names.xlsx", _set_cell(_part(SHEET), "O3", b'<c r="O3"><v>999999</v></c>'))


def part_dot_target(folder: Path) -> Path:
    """The relationship targets worksheets/./sheet1.xml, one member: read and patched in that one member."""
    return _dot_target(folder, "part-dot-target.xlsx", None)


def part_native_elsewhere(folder: Path) -> Path:
    """The relationship's target xl/worksheets/sheet1.xml is xl/xl/worksheets/sheet1.xml to Excel (OPC: relative to
    xl/), but xl/worksheets/sheet1.xml to python-calamine; that one holds a cell at XFD1048576."""
    rels = _part("xl/_rels/workbook.xml.rels").replace(b'Target="/xl/worksheets/sheet1.xml"', b'Target="xl/worksheets/sheet1.xml"')
    far = _part(SHEET).replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>')
    return _rezip(SAMPLE, folder / "part-native-elsewhere.xlsx",
                  {"xl/_rels/workbook.xml.rels": rels, "xl/xl/worksheets/sheet1.xml": _part(SHEET), SHEET: far})


CELL_FORMATS = 64_000  # Excel's limit of cellXfs


def too_many_styles(folder: Path) -> Path:
    """cellXfs already at Excel's 64 000: the fills radit would add cannot fit."""
    styles = _part("xl/styles.xml")
    start = styles.index(b"<cellXfs")
    end = styles.index(b"</cellXfs>")
    count = int(re.search(rb'count="(\d+)"', styles[start:end]).group(1))
    extra = b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' * (CELL_FORMATS - count)
    styles = (styles[:start] + re.sub(rb'count="\d+"', b'count="%d"' % CELL_FORMATS, styles[start:end], count=1)
              + extra + styles[end:])
    return _rezip(SAMPLE, folder / "too-many-styles.xlsx", {"xl/styles.xml": styles})


def rows_100k(folder: Path) -> Path:
    from bench.generate import generate

    return generate(folder / "rows-100k.xlsx", BIG_ROWS)


CASES: dict[str, Callable[[Path], Path]] = {
    "valid": valid,
    "not-a-zip": not_a_zip,
    "truncated": truncated,
    "legacy-xls": legacy_xls,
    "encrypted": encrypted,
    "zip-bomb": zip_bomb,
    "far-cell": far_cell,
    "far-row": far_row,
    "huge-string": huge_string,
    "lying-bomb": lying_bomb,
    "duplicate-part": duplicate_part,
    "zip-slip": zip_slip,
    "billion-laughs": billion_laughs,
    "external-entity": external_entity,
    "external-entity-sheet": external_entity_in_sheet,
    "macro": macro,
    "external-link": external_link,
    "no-table": no_table,
    "duplicate-header": duplicate_header,
    "merged-header": merged_header,
    "table-ref-outside": table_ref_outside,
    "invalid-utf8": invalid_utf8,
    "windows-1257": windows_1257,
    "control-chars": control_chars,
    "sheet-name-escape": sheet_name_escape,
    "formula-no-value": formula_no_value,
    "number-as-date": number_as_date,
    "date-as-number": date_as_number,
    "rows-100k": rows_100k,
    **{name: _far_spelling(name) for name in FAR_SPELLINGS},
    "duplicate-cell": duplicate_cell,
    "duplicate-cell-read": duplicate_cell_read,
    "duplicate-cell-last-row": duplicate_cell_last_row,
    "duplicate-cell-unordered": duplicate_cell_unordered,
    "rows-out-of-order": rows_out_of_order,
    "protected-sheet": protected_sheet,
    "protected-workbook": protected_workbook,
    "part-two-names": part_two_names,
    "part-dot-target": part_dot_target,
    "part-native-elsewhere": part_native_elsewhere,
    "too-many-styles": too_many_styles,
}


def build_corpus(folder, cases: Iterable[str] | None = None) -> dict[str, Path]:
    """Write the hostile cases (all, or those named) into `folder`; return {case name: path}."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return {name: CASES[name](folder) for name in (CASES if cases is None else cases)}


if __name__ == "__main__":
    for name, path in build_corpus(sys.argv[1] if len(sys.argv) > 1 else "hostile-corpus").items():
        print(f"{name}\t{path}")
