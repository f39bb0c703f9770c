"""Whole sheets radit owns (legend, summary): created at the end of the workbook, or replaced in place.

A sheet of that name is radit's to replace when it holds nothing but values (no formulas, and no relations
other than a drawing of one chart) and carries radit's signature (OwnedSheet.signature: the title in A1 and a
second fixed cell, as radit new, radit evaluate and the Excel add-in write them), or when it is empty. Anything
else (other text, a table, a pivot table, a picture, comments, formulas) means the analyst has made it their
own, and evaluate refuses rather than destroy it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from engine.errors import WriteRefused
from workbook.writing.xlsxpatch.bookparts import workbook_part
from workbook.writing.xlsxpatch.cells import cell_name, render_cell
from workbook.writing.xlsxpatch.chart import chart_xml, drawing_xml
from workbook.writing.xlsxpatch.edit import OFFICE_REL, PackageEdit, attributes, quoteattr, resolve
from workbook.writing.xlsxpatch.model import OwnedSheet
from workbook.writing.xlsxpatch.styles import StyleSheet

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
WORKSHEET_REL = OFFICE_REL + "/worksheet"
DRAWING_REL = OFFICE_REL + "/drawing"
CHART_REL = OFFICE_REL + "/chart"
WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
DRAWING_TYPE = "application/vnd.openxmlformats-officedocument.drawing+xml"
CHART_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"

_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?/>")


def _sheet_entries(xml: bytes) -> list[tuple[re.Match, dict[str, str]]]:
    return [(m, attributes(m.group(0))) for m in _SHEET.finditer(xml)]


def _rid(attrs: dict[str, str]) -> str | None:
    return next((v for k, v in attrs.items() if k.endswith(":id") and k != "sheetId"), None)


def put_sheets(edit: PackageEdit, styles: StyleSheet, sheets: Sequence[OwnedSheet], *, path: str = "") -> None:
    for sheet in sheets:
        _put_sheet(edit, styles, sheet, path)


def _put_sheet(edit: PackageEdit, styles: StyleSheet, sheet: OwnedSheet, path: str) -> None:
    wb_part = workbook_part(edit)
    wb_xml = edit.read(wb_part)
    rels = {r["Id"]: r for r in edit.relationships(wb_part)}
    names = (sheet.name, *sheet.aliases)
    existing = None
    for m, attrs in _sheet_entries(wb_xml):
        if attrs.get("name") in names:
            existing = (m, attrs)
            break
    if existing is not None:
        m, attrs = existing
        rel = rels.get(_rid(attrs) or "")
        if rel is None or not rel.get("Type", "").endswith("/worksheet"):
            raise WriteRefused(path, "owned-sheet-taken", f"the sheet {attrs.get('name')!r} is not a worksheet "
                                                          "(a chart sheet?); rename it so radit can write its own")
        part = resolve(wb_part, rel["Target"])
        drawing_part, chart_part = _check_owned(edit, path, attrs.get("name", ""), part, sheet.signature)
        name = attrs.get("name")  # keep the name the workbook already uses
    else:
        part = edit.free_name("xl/worksheets/sheet{}.xml")
        drawing_part = chart_part = None
        name = sheet.name
        ids = [int(a.get("sheetId", "0")) for _, a in _sheet_entries(wb_xml)]
        rid = edit.add_relationship(wb_part, WORKSHEET_REL, part)
        # The relationship id's prefix as the workbook binds it (usually r:); declared on the element where unbound.
        root = re.search(rb"<(?:\w+:)?workbook\b[^>]*>", wb_xml)
        bound = re.search(rb'xmlns:(\w+)="' + re.escape(OFFICE_REL.encode()) + b'"', root.group(0) if root else b"")
        r_prefix = bound.group(1) if bound else b"r"
        declare = b"" if bound else b' xmlns:r="' + OFFICE_REL.encode() + b'"'
        entry = (b"<sheet name=" + quoteattr(name).encode() + b' sheetId="' + str(max([0, *ids]) + 1).encode()
                 + b'" ' + r_prefix + b':id="' + rid.encode() + b'"' + declare + b"/>")
        close = re.search(rb"</(?:\w+:)?sheets>", wb_xml)
        prefix = re.match(rb"</(\w+:)?", close.group(0)).group(1) or b""
        if prefix:
            entry = entry.replace(b"<sheet ", b"<" + prefix + b"sheet ", 1)
        edit.write(wb_part, wb_xml[:close.start()] + entry + wb_xml[close.start():])
        edit.set_override(part, WORKSHEET_TYPE)

    drawing_rid = None
    if sheet.chart is not None:
        drawing_part = drawing_part or edit.free_name("xl/drawings/drawing{}.xml")
        chart_part = chart_part or edit.free_name("xl/charts/chart{}.xml")
        edit.write(chart_part, chart_xml(name, sheet))
        edit.set_override(chart_part, CHART_TYPE)
        chart_rid = edit.add_relationship(drawing_part, CHART_REL, chart_part)
        edit.write(drawing_part, drawing_xml(sheet.chart, chart_rid))
        edit.set_override(drawing_part, DRAWING_TYPE)
        drawing_rid = edit.add_relationship(part, DRAWING_REL, drawing_part)
    elif drawing_part is not None:  # radit's old chart is no longer wanted: unlink it
        edit.remove_relationships(part, [rid for rid, _ in edit.targets(part, "/drawing")])
    edit.write(part, sheet_xml(sheet, styles, drawing_rid))


def _check_owned(edit: PackageEdit, path: str, name: str, part: str,
                 signature: tuple = ()) -> tuple[str | None, str | None]:
    """Refuse a sheet the analyst has made their own; return its drawing and chart parts (to reuse) when radit's."""
    def refuse(what: str) -> WriteRefused:
        return WriteRefused(path, "owned-sheet-taken", f"the sheet {name!r} holds {what}, so it is not radit's to "
                                                       "replace; rename it, and radit writes its own sheet")
    xml = edit.read(part) if edit.exists(part) else b""
    if re.search(rb"<(?:\w+:)?f\b", xml):
        raise refuse("formulas")
    drawing_part = chart_part = None
    for rel in edit.relationships(part):
        kind = rel.get("Type", "").rsplit("/", 1)[-1]
        if kind == "drawing" and rel.get("TargetMode") != "External":
            drawing_part = resolve(part, rel["Target"])
            dxml = edit.read(drawing_part) if edit.exists(drawing_part) else b""
            if re.search(rb"<(?:\w+:)?(?:pic|sp|grpSp|cxnSp)\b", dxml):
                raise refuse("pictures or shapes")
            charts = edit.targets(drawing_part, "/chart")
            if len(charts) > 1:
                raise refuse("more than one chart")
            chart_part = charts[0][1] if charts else None
        elif kind == "printerSettings":
            continue
        else:
            raise refuse(f"a {kind} part")
    if signature and _has_values(xml):
        for ref, prefixes in signature:
            text = _cell_text(edit, xml, ref)
            if text is None or not text.startswith(tuple(prefixes)):
                raise refuse(f"{text!r} in {ref} where radit writes {prefixes[0]!r}" if text else f"no radit title in {ref}")
    return drawing_part, chart_part


_VALUE_CELL = re.compile(rb"<(?:\w+:)?c\b[^>]*(?<!/)>(?!\s*</(?:\w+:)?c>)")


def _has_values(xml: bytes) -> bool:
    """Whether the sheet has any cell with content (an empty sheet is nobody's work and may be replaced)."""
    return _VALUE_CELL.search(xml) is not None


def _cell_text(edit: PackageEdit, xml: bytes, ref: str) -> str | None:
    """The text of one cell: an inline string, a shared string (what openpyxl writes) or a plain value."""
    import html

    m = re.search(rb'<(?:\w+:)?c\b[^>]*\br="' + ref.encode() + rb'"[^>]*?(?:/>|>(.*?)</(?:\w+:)?c>)', xml, re.S)
    if m is None or not m.group(1):
        return None
    tag, body = m.group(0)[: m.group(0).index(b">")], m.group(1)
    kind = attributes(tag + b">").get("t")
    if kind == "s":
        v = re.search(rb"<(?:\w+:)?v>\s*(\d+)\s*</", body)
        return None if v is None else _shared_string(edit, int(v.group(1)))
    texts = re.findall(rb"<(?:\w+:)?(?:t|v)\b[^>]*>(.*?)</(?:\w+:)?(?:t|v)>", body, re.S)
    return html.unescape(b"".join(texts).decode("utf-8", "replace")) if texts else None


def _shared_string(edit: PackageEdit, index: int) -> str | None:
    import html

    for _, target in edit.targets(workbook_part(edit), "/sharedStrings"):
        if not edit.exists(target):
            return None
        for i, si in enumerate(re.finditer(rb"<(?:\w+:)?si\b[^>]*>(.*?)</(?:\w+:)?si>", edit.read(target), re.S)):
            if i == index:
                # Plain and rich-text runs; phonetic runs (rPh) are readings, not the text.
                body = re.sub(rb"<(?:\w+:)?rPh\b.*?</(?:\w+:)?rPh>", b"", si.group(1), flags=re.S)
                return html.unescape(b"".join(re.findall(rb"<(?:\w+:)?t\b[^>]*>(.*?)</(?:\w+:)?t>", body, re.S)).decode("utf-8", "replace"))
    return None


def sheet_xml(sheet: OwnedSheet, styles: StyleSheet, drawing_rid: str | None) -> bytes:
    rows: dict[int, list] = {}
    for cell in sheet.cells:
        rows.setdefault(cell.row, []).append(cell)
    body = []
    for r in sorted(rows):
        cells = b"".join(render_cell(cell_name(r, c.col), c.value, styles.xf(c.style) if c.style != type(c.style)() else None)
                         for c in sorted(rows[r], key=lambda c: c.col))
        height = sheet.row_heights.get(r)
        ht = b"" if height is None else b' ht="' + repr(float(height)).encode() + b'" customHeight="1"'
        body.append(b'<row r="' + str(r).encode() + b'"' + ht + b">" + cells + b"</row>")
    last_row = max(rows) if rows else 1
    last_col = max((c.col for c in sheet.cells), default=1)
    view = b'<sheetView workbookViewId="0">'
    if sheet.freeze_rows:
        view += (b'<pane ySplit="' + str(sheet.freeze_rows).encode() + b'" topLeftCell="A' + str(sheet.freeze_rows + 1).encode()
                 + b'" activePane="bottomLeft" state="frozen"/>')
    view += b"</sheetView>"
    cols = b""
    if sheet.col_widths:
        cols = b"<cols>" + b"".join(b'<col min="' + str(c).encode() + b'" max="' + str(c).encode() + b'" width="'
                                    + repr(float(w)).encode() + b'" customWidth="1"/>'
                                    for c, w in sorted(sheet.col_widths.items())) + b"</cols>"
    drawing = b'<drawing r:id="' + drawing_rid.encode() + b'"/>' if drawing_rid else b""
    sheet_pr = b'<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>' if sheet.landscape else b""
    page = b'<pageSetup orientation="landscape" fitToWidth="1" fitToHeight="0"/>' if sheet.landscape else b""
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="' + MAIN_NS.encode()
            + b'" xmlns:r="' + OFFICE_REL.encode() + b'">' + sheet_pr + b'<dimension ref="A1:' + cell_name(last_row, last_col).encode()
            + b'"/><sheetViews>' + view + b'</sheetViews><sheetFormatPr defaultRowHeight="15"/>' + cols
            + b"<sheetData>" + b"".join(body) + b'</sheetData><pageMargins left="0.7" right="0.7" top="0.75" '
            b'bottom="0.75" header="0.3" footer="0.3"/>' + page + drawing + b"</worksheet>")
