"""Cell notes (Excel's legacy comments: a comments part plus a VML drawing) on the cells radit annotates.

radit's notes carry the author "radit"; on re-evaluation they are replaced, while the analyst's own notes
(any other author) and their drawing shapes are kept as they are. A cell that already holds an analyst's
note keeps it, and radit's note is left out there (one cell holds one note).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from engine.a1 import split_cell
from engine.findings import Location
from workbook.errors import WriteRefused
from workbook.writing.xlsxpatch.cells import cell_name, escape_text
from workbook.writing.xlsxpatch.edit import OFFICE_REL, PackageEdit, append_child, attributes, without

AUTHOR = "radit"
NOTE_LIMIT = 10_000  # beyond this many rows Excel slows to a crawl on notes; the explanation column still has the text
COMMENTS_REL = OFFICE_REL + "/comments"
VML_REL = OFFICE_REL + "/vmlDrawing"
COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
VML_TYPE = "application/vnd.openxmlformats-officedocument.vmlDrawing"
MAIN_NS = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"

_COMMENT = re.compile(rb"<(?:\w+:)?comment\b[^>]*?(?:/>|>.*?</(?:\w+:)?comment>)", re.S)
_AUTHOR = re.compile(rb"<(?:\w+:)?author>(.*?)</(?:\w+:)?author>|<(?:\w+:)?author/>", re.S)
_SHAPE = re.compile(rb"<v:shape\b[^>]*?(?:/>|>.*?</v:shape>)", re.S)
_LEGACY = re.compile(rb'<(?:\w+:)?legacyDrawing\b[^>]*?\br:id\s*=\s*"([^"]+)"[^>]*/>')
# Elements that follow legacyDrawing inside <worksheet> (ECMA-376 order).
_AFTER_LEGACY = (b"legacyDrawingHF", b"drawingHF", b"picture", b"oleObjects", b"controls", b"webPublishItems",
                 b"tableParts", b"extLst")

SHAPETYPE = (b'<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">'
             b'<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>')


def _text(xml_bytes: bytes) -> str:
    return re.sub(rb"<[^>]+>", b"", xml_bytes).decode("utf-8", "replace")


def threaded_comment_cells(edit: PackageEdit, sheet_part: str) -> set[tuple[int, int]]:
    cells = set()
    for _, part in edit.targets(sheet_part, "/threadedComment"):
        if edit.exists(part):
            for ref in re.findall(rb'<(?:\w+:)?threadedComment\b[^>]*\bref\s*=\s*"([^"]+)"', edit.read(part)):
                cells.add(split_cell(ref, bounded=False))
    return cells


def write_notes(edit: PackageEdit, path: str, sheet: str, sheet_part: str, sheet_xml: bytes,
                notes: Sequence[tuple[int, int, str]]) -> bytes:
    """Put notes on cells; returns the sheet XML (with a <legacyDrawing> added when it had none)."""
    threaded = threaded_comment_cells(edit, sheet_part)
    for row, col, _ in notes:
        if (row, col) in threaded:
            raise WriteRefused(path, "threaded-comment", location=Location(sheet=sheet, row=row, column=col))
    comments_part = next((p for _, p in edit.targets(sheet_part, "/comments")), None)
    if not notes and comments_part is None:
        return sheet_xml  # nothing of radit's to remove either
    # <legacyDrawing> follows <sheetData> (ECMA-376 order): search only behind the cells, not 45 MB of rows
    legacy = _LEGACY.search(sheet_xml, max(sheet_xml.rfind(b"sheetData>"), 0))
    vml_part = None
    if legacy:
        vml_part = next((p for rid, p in edit.targets(sheet_part, "/vmlDrawing") if rid == legacy.group(1).decode()), None)

    # Comments part: keep every other author's notes, drop radit's, add the new ones.
    if comments_part is not None and edit.exists(comments_part):
        xml = edit.read(comments_part)
    else:
        comments_part = edit.free_name("xl/comments{}.xml")
        xml = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<comments xmlns="' + MAIN_NS
               + b'"><authors></authors><commentList></commentList></comments>')
    authors = [(_text(m.group(1)) if m.group(1) is not None else "") for m in _AUTHOR.finditer(xml)]
    if AUTHOR not in authors:
        xml = append_child(xml, b"authors", b"<author>" + AUTHOR.encode() + b"</author>")
        authors.append(AUTHOR)
    radit_id = str(authors.index(AUTHOR))
    removed: set[tuple[int, int]] = set()
    taken: set[tuple[int, int]] = set()

    def radits(m: re.Match) -> bool:
        tag = m.group(0)[:m.group(0).index(b">") + 1]
        a = attributes(tag)
        cell = split_cell(a.get("ref", "A1"), bounded=False)
        (removed if a.get("authorId") == radit_id else taken).add(cell)
        return a.get("authorId") == radit_id

    xml = without(xml, _COMMENT, radits)
    mine = [(r, c, t) for r, c, t in notes if (r, c) not in taken]
    new_comments = b"".join(
        b'<comment ref="' + cell_name(r, c).encode() + b'" authorId="' + radit_id.encode() + b'"><text><r><t xml:space="preserve">'
        + escape_text(t) + b"</t></r></text></comment>" for r, c, t in sorted(mine))
    xml = append_child(xml, b"commentList", new_comments)
    edit.write(comments_part, xml)
    edit.set_override(comments_part, COMMENTS_TYPE)
    edit.add_relationship(sheet_part, COMMENTS_REL, comments_part)

    # VML drawing: the shapes Excel shows for each note.
    if vml_part is not None and edit.exists(vml_part):
        vml = edit.read(vml_part)
        noted = removed | {(r, c) for r, c, _ in mine}

        def stale(m: re.Match) -> bool:  # radit's old shape, or one on a cell radit notes now
            cell = _shape_cell(m.group(0))
            return cell is not None and cell in noted and cell not in taken

        vml = without(vml, _SHAPE, stale)
        if b'id="_x0000_t202"' not in vml:
            vml = vml.replace(b"</xml>", SHAPETYPE + b"</xml>", 1)
    else:
        vml_part = edit.free_name("xl/drawings/vmlDrawing{}.vml")
        block = _idmap_block(edit, vml_part)
        vml = (b'<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
               b'xmlns:x="urn:schemas-microsoft-com:office:excel"><o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="'
               + str(block).encode() + b'"/></o:shapelayout>' + SHAPETYPE + b"</xml>")
    first = _next_shape_number(vml)
    shapes = b"".join(_shape(first + i, r, c) for i, (r, c, _) in enumerate(sorted(mine)))
    at = vml.rindex(b"</xml>")
    vml = vml[:at] + shapes + vml[at:]
    edit.write(vml_part, vml)
    edit.set_default("vml", VML_TYPE)
    rid = edit.add_relationship(sheet_part, VML_REL, vml_part)
    if legacy is None:
        sheet_xml = _add_legacy_drawing(sheet_xml, rid)
    return sheet_xml


def _shape_cell(shape: bytes) -> tuple[int, int] | None:
    if b'ObjectType="Note"' not in shape:
        return None
    row = re.search(rb"<x:Row>(\d+)</x:Row>", shape)
    col = re.search(rb"<x:Column>(\d+)</x:Column>", shape)
    if not row or not col:
        return None
    return int(row.group(1)) + 1, int(col.group(1)) + 1


def _idmap_block(edit: PackageEdit, vml_part: str) -> int:
    """A shape-id block (1024 ids each) no other VML drawing of the package uses."""
    used = set()
    for name in edit.names():
        if name.endswith(".vml") and name != vml_part:
            for data in re.findall(rb'<o:idmap\b[^>]*\bdata="([^"]*)"', edit.read(name)):
                used.update(int(x) for x in re.findall(rb"\d+", data))
    n = 1
    while n in used:
        n += 1
    return n


def _next_shape_number(vml: bytes) -> int:
    numbers = [int(x) for x in re.findall(rb'id="_x0000_s(\d+)"', vml)]
    idmap = re.search(rb'<o:idmap\b[^>]*\bdata="(\d+)', vml)
    base = int(idmap.group(1)) * 1024 if idmap else 1024
    return max([base, *numbers]) + 1


def _shape(number: int, row: int, col: int) -> bytes:
    r0, c0 = row - 1, col - 1
    anchor = f"{c0 + 1}, 15, {max(r0 - 1, 0)}, 10, {c0 + 5}, 15, {max(r0 - 1, 0) + 6}, 4".encode()
    return (b'<v:shape id="_x0000_s' + str(number).encode() + b'" type="#_x0000_t202" style="position:absolute;'
            b'margin-left:59.25pt;margin-top:1.5pt;width:240pt;height:90pt;z-index:' + str(number).encode()
            + b';visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto"><v:fill color2="#ffffe1"/>'
            b'<v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/>'
            b'<v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox>'
            b'<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/><x:Anchor>' + anchor
            + b"</x:Anchor><x:AutoFill>False</x:AutoFill><x:Row>" + str(r0).encode() + b"</x:Row><x:Column>"
            + str(c0).encode() + b"</x:Column></x:ClientData></v:shape>")


def _add_legacy_drawing(sheet_xml: bytes, rid: str) -> bytes:
    root = re.search(rb"<(\w+:)?worksheet\b[^>]*>", sheet_xml)
    prefix = root.group(1) or b""
    if b'xmlns:r="' + OFFICE_REL.encode() + b'"' not in root.group(0):
        if re.search(rb"\sxmlns:r\s*=", root.group(0)):
            raise ValueError("the worksheet binds the r: prefix to another namespace")
        tag = root.group(0)[:-1] + b' xmlns:r="' + OFFICE_REL.encode() + b'">'
        sheet_xml = sheet_xml[:root.start()] + tag + sheet_xml[root.end():]
    new = b"<" + prefix + b'legacyDrawing r:id="' + rid.encode() + b'"/>'
    tail_from = sheet_xml.rfind(b"</" + prefix + b"sheetData>")
    tail_from = tail_from if tail_from >= 0 else 0
    at = None
    for name in _AFTER_LEGACY:
        m = re.compile(rb"<(?:\w+:)?" + name + rb"\b").search(sheet_xml, tail_from)
        if m and (at is None or m.start() < at):
            at = m.start()
    if at is None:
        at = sheet_xml.rindex(b"</" + prefix + b"worksheet>")
    return sheet_xml[:at] + new + sheet_xml[at:]
