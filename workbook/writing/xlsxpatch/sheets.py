"""Whole sheets radit owns (legend, summary): created at the end of the workbook, or replaced in place.

A sheet of that name is radit's to replace when it holds nothing but values (no formulas, and no relations
other than a drawing of one chart) and carries radit's signature (OwnedSheet.signature: the title in A1 and a
second fixed cell, as radit new, radit evaluate and the Excel add-in write them), or when it is empty. Anything
else (other text, a table, a pivot table, a picture, comments, formulas) means the analyst has made it their
own, and evaluate refuses rather than destroy it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence

from engine.a1 import cell_name, column_letter, parse_cell
from workbook.errors import WriteRefused
from workbook.writing.xlsxpatch.bookparts import workbook_part
from workbook.writing.xlsxpatch.cells import render_cell
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
    if sheet.chart is not None:
        # Printed, the sheet ends with the chart: the block of numbers below it feeds the chart and repeats the
        # table above, and it would spill onto a page of its own without the table's header.
        last_col = max([c.col for c in sheet.cells if c.row < sheet.chart.anchor_to[0]] + [sheet.chart.anchor_to[1]])
        area = f"'{name.replace(chr(39), chr(39) * 2)}'!$A$1:${column_letter(last_col)}${sheet.chart.anchor_to[0]}"
        set_defined_name(edit, "_xlnm.Print_Area", name, area, replace=True)


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


def _printed(cell):
    """A status symbol as the legend gives it (a fill alone, one character) is drawn as on the indicator sheet:
    centred, bold and larger (summary.py stays free of the writer's styles: the Excel Lite bundle ships it)."""
    from workbook.writing.xlsxpatch.styles import symbol_look

    style = cell.style
    if (style.fill and isinstance(cell.value, str) and len(cell.value.strip()) == 1
            and style == type(style)(fill=style.fill)):
        return cell._replace(style=symbol_look(style.fill))
    return cell


def sheet_xml(sheet: OwnedSheet, styles: StyleSheet, drawing_rid: str | None) -> bytes:
    rows: dict[int, list] = {}
    for cell in map(_printed, sheet.cells):
        rows.setdefault(cell.row, []).append(cell)
    body = []
    for r in sorted(rows):
        cells = b"".join(render_cell(cell_name(r, c.col), c.value, styles.xf(c.style) if c.style != type(c.style)() else None)
                         for c in sorted(rows[r], key=lambda c: c.col))
        height = sheet.row_heights.get(r)
        big = max((getattr(c.style, "size", None) or 0 for c in rows[r]), default=0)
        if big:  # a larger symbol needs a taller row than a line of 11-point text
            height = max(height or LINE_POINTS, round((big * LINE_POINTS / 11 + 2) * 4) / 4)
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
    # one page wide; a sheet with a chart one page tall too, so the chart is never cut between two pages
    tall = b"1" if sheet.chart is not None else b"0"
    page = (b'<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="' + tall + b'"/>'
            if sheet.landscape else b"")
    # printed pages say which sheet and which page they are: "Kopsavilkums … 1 / 2"
    page += b"<headerFooter><oddFooter>&amp;L&amp;A&amp;R&amp;P / &amp;N</oddFooter></headerFooter>"
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="' + MAIN_NS.encode()
            + b'" xmlns:r="' + OFFICE_REL.encode() + b'">' + sheet_pr + b'<dimension ref="A1:' + cell_name(last_row, last_col).encode()
            + b'"/><sheetViews>' + view + b'</sheetViews><sheetFormatPr defaultRowHeight="15"/>' + cols
            + b"<sheetData>" + b"".join(body) + b'</sheetData><pageMargins left="0.7" right="0.7" top="0.75" '
            b'bottom="0.75" header="0.3" footer="0.3"/>' + page + drawing + b"</worksheet>")


# --- print set-up ---------------------------------------------------------------------------------
# The indicator sheet is the analyst's: radit sets up printing only where the analyst has not (no <pageSetup>,
# no print titles of their own), and fits the height only of the rows it writes whose height nobody fixed
# (no customHeight), so a second evaluation computes the same heights again and writes the same bytes.

FIT_ROWS_MAX = 10_000  # rows whose heights radit fits (the notes' limit: beyond it, Excel's own autofit)
MIN_PRINT_SCALE = 0.55  # the sheet is printed this many pages wide that the scale stays above this
LINE_POINTS = 15.0  # a line of 11-point text, as Excel's default row height
PAGE_WIDTH_IN = {"landscape": 11.69}  # A4
_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b[^>]*>")
_ROW_TAG_PLAIN = re.compile(rb"<row\b[^>]*>")  # led by a literal: faster, for a sheet with no prefixed row tag


def _row_tags(xml: bytes) -> re.Pattern[bytes]:
    """The pattern of the sheet's row start tags: the plain one where no row tag can carry a namespace prefix."""
    return _ROW_TAG if b":row" in xml else _ROW_TAG_PLAIN


_CELL_ELEMENT = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_TEXT = re.compile(rb"<(?:\w+:)?t\b[^>]*>(.*?)</(?:\w+:)?t>", re.S)
_VALUE = re.compile(rb"<(?:\w+:)?v>(.*?)</(?:\w+:)?v>", re.S)
_COL = re.compile(rb"<(?:\w+:)?col\b[^>]*/?>")
# What follows <pageSetup> inside <worksheet> (ECMA-376 order): it goes before the first of these that is there.
_AFTER_PAGE_SETUP = (b"headerFooter", b"rowBreaks", b"colBreaks", b"customProperties", b"cellWatches", b"ignoredErrors",
                     b"smartTags", b"drawing", b"legacyDrawing", b"legacyDrawingHF", b"drawingHF", b"picture",
                     b"oleObjects", b"controls", b"webPublishItems", b"tableParts", b"extLst")
_AFTER_DEFINED_NAMES = (b"calcPr", b"oleSize", b"customWorkbookViews", b"pivotCaches", b"smartTagPr", b"smartTagTypes",
                        b"webPublishing", b"fileRecoveryPr", b"webPublishObjects", b"extLst")


def print_ready(edit: PackageEdit, styles: StyleSheet, sheet_name: str, xml: bytes, *, rows: Sequence[int],
                header_row: int, id_col: int | None, last_col: int, texts: dict[int, Sequence[str]] | None = None,
                then: Callable[[bytes], bytes] | None = None, beside: bool = False) -> bytes:
    """The indicator sheet made to read and print well: radit's short output columns (`texts`: column -> the
    texts radit wrote there, e.g. the deviation and the basis) as wide as their longest text, the written rows
    as tall as their wrapped text, and, where the analyst has set up no printing, landscape A4 a few pages wide
    with the header row (and the ID column, when more than one page wide) repeated on every page
    (_xlnm.Print_Titles). Columns only grow: a width the analyst made larger stays.

    `then(xml)`: what else the caller does to the sheet outside its rows (the notes' <legacyDrawing>). It and the
    page set-up are done to the sheet without its rows (small, however many rows there are), and the rows, their
    heights fitted, are put back; with `beside`, the heights are computed in a forked child meanwhile."""
    if texts:
        xml = grow_columns(xml, {c: max(map(len, t)) / 1.09 + 1.5 for c, t in texts.items() if t})
    widths = column_widths(xml)
    fit = len(rows) <= FIT_ROWS_MAX

    def outside(sheet: bytes) -> bytes:
        sheet = _page_ready(edit, sheet_name, sheet, widths, header_row=header_row, id_col=id_col, last_col=last_col)
        return then(sheet) if then is not None else sheet

    body = _body_span(xml)
    if body is None or _ROWS_MARK in xml:  # no rows to set aside (an empty <sheetData/>, or none at all), or the
        # mark is in the sheet already (a NUL byte is no XML, but hostile files…): the rows stay where they are
        return outside(fit_rows(edit, styles, xml, set(rows), widths) if fit else xml)
    start, end = body

    wanted = set(rows)

    def heights(span: tuple[int, int]) -> list[tuple[int, int, bytes]]:
        return row_heights(edit, styles, xml, wanted, widths, span) if fit else []

    skeleton = xml[:start] + _ROWS_MARK + xml[end:]
    from workbook.forked import can_fork, run_beside

    if fit and beside and can_fork():
        # the child fits the rows from the first row tag past the rows' first (100 - CHILD_FIT_SHARE) %; this
        # process writes the notes, then fits the rows before it
        tag = _row_tags(xml).search(xml, start + (end - start) * (100 - CHILD_FIT_SHARE) // 100, end)
        cut = tag.start() if tag else end
        (around, mine), theirs = run_beside(lambda: (outside(skeleton), heights((start, cut))),
                                            lambda: heights((cut, end)))
        patches = mine + (theirs if theirs is not None else heights((cut, end)))  # (the child failed: its share here)
    else:
        patches, around = heights((start, end)), outside(skeleton)
    at = around.index(_ROWS_MARK)
    return b"".join((around[:at], _with_patches(xml, patches, start, end), around[at + len(_ROWS_MARK):]))


_ROWS_MARK = b"\x00radit: the rows\x00"  # where the rows are set aside (no XML holds a NUL byte)
CHILD_FIT_SHARE = 60  # percent of the rows' bytes a forked child fits; this process writes the notes meanwhile


def _body_span(xml: bytes) -> tuple[int, int] | None:
    """(start, end) of what <sheetData> holds, the rows; None where there is no <sheetData> with content."""
    head = re.search(rb"<(\w+:)?sheetData\b[^>]*?(/?)>", xml)
    if head is None or head.group(2) == b"/":
        return None
    end = xml.rfind(b"</" + (head.group(1) or b"") + b"sheetData>")
    return (head.end(), end) if end >= head.end() else None


def _page_ready(edit: PackageEdit, sheet_name: str, xml: bytes, widths: dict[int, float], *, header_row: int,
                id_col: int | None, last_col: int) -> bytes:
    """Landscape A4 a few pages wide, the print titles, where the analyst has set up no printing (print_ready)."""
    tail_at = xml.rfind(b"sheetData>")
    if re.search(rb"<(?:\w+:)?pageSetup\b", xml[max(tail_at, 0):]):
        return xml  # the analyst's own print set-up stays as it is
    sheet_px = sum(_column_px(widths.get(c, widths.get(0, DEFAULT_WIDTH))) for c in range(1, last_col + 1))
    margins = _margins(xml)
    printable_px = (PAGE_WIDTH_IN["landscape"] - margins) * 96
    pages = max(1, -(-int(sheet_px * MIN_PRINT_SCALE) // int(printable_px)))
    xml = _with_page_setup(xml, pages)
    quoted = "'" + sheet_name.replace("'", "''") + "'"
    titles = f"{quoted}!${header_row}:${header_row}"
    if pages > 1 and id_col is not None:
        letter = column_letter(id_col)
        titles = f"{quoted}!${letter}:${letter},{titles}"
    set_defined_name(edit, "_xlnm.Print_Titles", sheet_name, titles, replace=False)
    return xml


def _with_patches(xml: bytes, patches: list[tuple[int, int, bytes]], start: int, end: int) -> bytes:
    """xml[start:end] with each (at, until, new) of `patches` (in order, within it) put in place of xml[at:until]."""
    out, pos = [], start
    for at, until, new in patches:
        out += (xml[pos:at], new)
        pos = until
    out.append(xml[pos:end])
    return b"".join(out)


DEFAULT_WIDTH = 8.43  # Excel's column width where the sheet says none


def column_widths(xml: bytes) -> dict[int, float]:
    """Column -> width (characters) from <cols>; key 0 holds the sheet's default width."""
    head_end = xml.find(b"sheetData")
    head = xml[:head_end if head_end >= 0 else len(xml)]
    widths: dict[int, float] = {}
    fmt = re.search(rb"<(?:\w+:)?sheetFormatPr\b[^>]*>", head)
    if fmt:
        a = attributes(fmt.group(0))
        if "defaultColWidth" in a:
            widths[0] = float(a["defaultColWidth"])
        elif "baseColWidth" in a:
            widths[0] = float(a["baseColWidth"]) + 0.71
    for m in _COL.finditer(head):
        a = attributes(m.group(0))
        try:
            lo, hi, w = int(a["min"]), int(a["max"]), float(a.get("width", widths.get(0, DEFAULT_WIDTH)))
        except (KeyError, ValueError):
            continue
        for c in range(lo, min(hi, 16384) + 1):
            widths[c] = 0.0 if a.get("hidden") in ("1", "true") else w
    return widths


def grow_columns(xml: bytes, needs: dict[int, float]) -> bytes:
    """<cols> with each column of `needs` at least that wide (a <col> spanning several columns is split)."""
    needs = {c: round(w * 4) / 4 for c, w in needs.items() if c}
    if not needs:
        return xml
    head_end = xml.find(b"sheetData")
    block = re.search(rb"<(\w+:)?cols\b[^>]*?(?:/>|>.*?</(?:\w+:)?cols>)", xml[:head_end], re.S)
    prefix = (re.search(rb"<(\w+:)?sheetData\b", xml).group(1) or b"")
    spans: list[tuple[int, int, dict[str, str]]] = []
    if block:
        for m in _COL.finditer(block.group(0)):
            a = attributes(m.group(0))
            try:
                spans.append((int(a["min"]), int(a["max"]), a))
            except (KeyError, ValueError):
                return xml  # a <cols> radit cannot read is left alone
    default = column_widths(xml).get(0, DEFAULT_WIDTH)
    changed = False
    for col, width in sorted(needs.items()):
        at = next((i for i, (lo, hi, _) in enumerate(spans) if lo <= col <= hi), None)
        if at is None:
            if width <= default:
                continue
            spans.append((col, col, {"min": str(col), "max": str(col), "width": _num(width), "customWidth": "1"}))
            spans.sort(key=lambda s: s[0])
            changed = True
            continue
        lo, hi, a = spans[at]
        try:
            current = float(a.get("width", default))
        except ValueError:
            continue
        if a.get("hidden") in ("1", "true") or current >= width:
            continue
        pieces = []
        if lo < col:
            pieces.append((lo, col - 1, {**a, "min": str(lo), "max": str(col - 1)}))
        pieces.append((col, col, {**a, "min": str(col), "max": str(col), "width": _num(width), "customWidth": "1"}))
        if col < hi:
            pieces.append((col + 1, hi, {**a, "min": str(col + 1), "max": str(hi)}))
        spans[at:at + 1] = pieces
        changed = True
    if not changed:
        return xml
    body = b"".join(b"<" + prefix + b"col" + b"".join(b" " + k.encode() + b"=" + quoteattr(v).encode()
                                                      for k, v in a.items()) + b"/>" for _, _, a in spans)
    cols = b"<" + prefix + b"cols>" + body + b"</" + prefix + b"cols>"
    if block:
        return xml[:block.start()] + cols + xml[block.end():]
    data = re.search(rb"<(?:\w+:)?sheetData\b", xml)
    return xml[:data.start()] + cols + xml[data.start():]


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _column_px(width: float) -> int:
    return int(width * 7 + 5) if width > 0 else 0  # Excel: a character of the default font is 7 px, plus padding


def fit_rows(edit: PackageEdit, styles: StyleSheet, xml: bytes, rows: set[int], widths: dict[int, float]) -> bytes:
    """Each of `rows` (sheet rows radit wrote) as tall as its wrapped text needs, unless its height is the
    analyst's (customHeight). Readers do not all grow a row to its text: LibreOffice shows an Excel-written row
    at the height the file gives, so wrapped goal and explanation texts overlapped."""
    patches = row_heights(edit, styles, xml, rows, widths)
    return _with_patches(xml, patches, 0, len(xml)) if patches else xml


def row_heights(edit: PackageEdit, styles: StyleSheet, xml: bytes, rows: set[int], widths: dict[int, float],
                span: tuple[int, int] | None = None) -> list[tuple[int, int, bytes]]:
    """fit_rows' changes, in document order: (start, end, the row's new start tag) of each row tag it changes;
    with `span` (from a row tag's start to another's, or to the rows' end), of the rows in it only."""
    shared: list[str] | None = None
    looks = _Looks(styles)
    lo, data_end = span if span is not None else (0, max(xml.rfind(b"sheetData>"), 0))
    tags = list(_row_tags(xml).finditer(xml, lo, data_end))
    tall = _tall_cells(xml, looks, data_end, lo)
    cells_at, styles_at = tall if tall is not None else (None, None)
    out: list[tuple[int, int, bytes]] = []
    k = 0
    n_cells = len(cells_at) if cells_at is not None else 0
    heights: dict[float, bytes] = {}
    for i, tag_m in enumerate(tags):
        row_end = tags[i + 1].start() if i + 1 < len(tags) else data_end
        first = k
        while k < n_cells and cells_at[k] < row_end:  # the row's tall cells: the next of cells_at
            k += 1
        tag = tag_m.group(0)
        if first == k and cells_at is not None and b"ht" not in tag:
            continue  # no cell that can make it taller, no height of its own: the row stays as it is
        attrs = dict(_ROW_ATTRS.findall(tag))  # r, ht, customHeight: one pass over the tag
        number = attrs.get(b"r", b"").strip()
        if not number.isdigit() or int(number) not in rows:  # ("05" is row 5)
            continue
        if attrs.get(b"customHeight") in (b"1", b"true"):
            continue
        if cells_at is None:
            found = ((cm, None) for cm in _CELL_ELEMENT.finditer(xml, tag_m.end(), row_end))
        else:  # each with the style index its s attribute names, as _tall_cells read it
            found = [(_CELL_ELEMENT.match(xml, pos), styles_at[j]) for j, pos in enumerate(cells_at[first:k], first)
                     if pos >= tag_m.end()]
        lines_pt = LINE_POINTS
        for cm, style in found:
            if cm is None:
                continue
            if style is None:
                sm = _S_ATTR.search(cm.group(1))
                style = int(sm.group(1)) if sm else None
            wraps, size = looks[style]
            if not wraps and size <= 11:
                continue
            head, body = cm.group(1), cm.group(2) or b""
            if not wraps and _SOME_TEXT.search(body) is None:
                continue  # a larger font, but nothing in the cell (text or value) to show in it
            kind_m = _T_ATTR.search(head)
            kind = kind_m.group(1) if kind_m else None
            if not wraps and kind != b"s":  # one line of the larger font, whatever the text
                lines_pt = max(lines_pt, LINE_POINTS * size / 11 + 2.0)
                continue
            if kind == b"inlineStr" or kind == b"str":
                text = b"".join(_TEXT.findall(body)) if kind == b"inlineStr" else b"".join(_VALUE.findall(body))
                text = _unescape(text)
            elif kind == b"s":
                if shared is None:
                    shared = _shared_strings(edit)
                v = _VALUE.search(body)
                n = int(v.group(1)) if v and v.group(1).strip().isdigit() else -1
                text = shared[n] if 0 <= n < len(shared) else ""
            else:
                v = _VALUE.search(body)
                text = v.group(1).decode("utf-8", "replace") if v else ""
            if not text:
                continue
            lines = 1
            if wraps:
                ref = _R_ATTR.search(head)
                cell = parse_cell(ref.group(1)) if ref else None
                width = widths.get(cell[1], widths.get(0, DEFAULT_WIDTH)) if cell else widths.get(0, DEFAULT_WIDTH)
                lines = wrapped_lines(text, width, size)
            lines_pt = max(lines_pt, lines * LINE_POINTS * size / 11 + (2.0 if size > 11 else 0.0))
        height = round(lines_pt * 4) / 4  # quarter points, as Excel stores them
        current_value = attrs.get(b"ht")
        if current_value is None and height <= LINE_POINTS:
            continue
        value = heights.get(height)
        if value is None:
            value = heights[height] = _num(height).encode()
        if current_value == value:
            continue  # already this height (the analyst's second run): the tag stays as it is
        current = _HT.search(tag) if current_value is not None else None
        out.append((tag_m.start(), tag_m.end(), _row_tag_with_height(tag, current, value)))
    return out


def _tall_cells(xml: bytes, looks: "_Looks", end: int, start: int = 0) -> tuple[list[int], list[int]] | None:
    """(where the cells that can make a row taller start, in document order; the style index of each), or None
    when every cell can (the default font is over 11 points). Only a wrapping or larger-font cell can, and its
    style says so before its text is read: a 10 000-row table has ~170 000 cells, a few of them tall. They are
    found by their s attribute (a scan led by the literal `s`, in any spelling: quotes of either kind, white
    space around `=`), each checked to stand in a cell's start tag."""
    tall = looks.tall()
    if tall is None:
        return None
    if not tall:
        return [], []
    out, styles = [], []
    for m in _tall_attributes(tuple(sorted(tall))).finditer(xml, start, end):
        at = m.start()
        if xml[at - 1:at] not in _SPACE:  # part of another name (…s="3"): not the s attribute
            continue
        lt = xml.rfind(b"<", 0, at)
        if lt >= 0 and _CELL_START.match(xml, lt) and xml.find(b">", lt, at) < 0:
            out.append(lt)
            styles.append(int(m.group(2)))
    return out, styles


@functools.lru_cache(maxsize=32)
def _tall_attributes(indices: tuple[int, ...]) -> re.Pattern[bytes]:
    alternatives = b"|".join(str(i).encode() for i in indices)
    return re.compile(rb"s[\t\n\r ]*=[\t\n\r ]*([\"'])(" + alternatives + rb")\1")  # led by a literal: fast


_CELL_START = re.compile(rb"<(?:\w+:)?c[\t\n\r ]")
_SPACE = (b" ", b"\t", b"\n", b"\r")
_SOME_TEXT = re.compile(rb"<(?:\w+:)?[tv](?:\s[^>]*)?>[^<]")  # a <t> or <v> with something in it


def _row_tag_with_height(tag: bytes, current: re.Match | None, value: bytes) -> bytes:
    """The row's start tag with ht="value" (customHeight untouched: a height radit fits is not the analyst's)."""
    if current is not None:
        return tag[:current.start(1)] + value + tag[current.end(1):]
    end = len(tag) - (2 if tag.endswith(b"/>") else 1)
    return tag[:end] + b' ht="' + value + b'"' + tag[end:]


_S_ATTR = re.compile(rb"""\ss\s*=\s*["'](\d+)["']""")
_T_ATTR = re.compile(rb"""\st\s*=\s*["']([^"']*)["']""")
_R_ATTR = re.compile(rb"""\sr\s*=\s*["']([^"']*)["']""")
_HT = re.compile(rb"""\sht\s*=\s*["']([^"']*)["']""")
_ROW_ATTRS = re.compile(rb"""\s(r|ht|customHeight)\s*=\s*["']([^"']*)["']""")


class _Looks(dict):
    """Style index -> (wraps, font size), asked of the style sheet once per index."""

    def __init__(self, styles: StyleSheet):
        super().__init__()
        self.styles = styles

    def __missing__(self, index: int | None) -> tuple[bool, float]:
        look = self[index] = (self.styles.wraps(index), self.styles.font_size(index))
        return look

    def tall(self) -> set[int] | None:
        """The cellXfs indices whose cells can make a row taller (they wrap, or their font is over 11
        points); None when a cell with no style can too."""
        wraps, size = self[None]
        if wraps or size > 11:
            return None
        return {i for i in range(self.styles.xf_count()) if self[i][0] or self[i][1] > 11}


def wrapped_lines(text: str, width: float, size: float = 11.0) -> int:
    """How many lines `text` takes in a wrapping cell `width` characters wide: an estimate for Calibri (and its
    metric twin Carlito), where an average letter is ~0.9 of the digit a width counts, less half a word's
    waste at each line's end."""
    per_line = max(1.0, (width * 1.12 - 3) * 11 / max(size, 1.0))
    return sum(max(1, -(-len(part) // int(per_line))) for part in text.split("\n"))


def _unescape(text: bytes) -> str:
    import html

    return html.unescape(text.decode("utf-8", "replace"))


def _shared_strings(edit: PackageEdit) -> list[str]:
    import html

    for _, target in edit.targets(workbook_part(edit), "/sharedStrings"):
        if edit.exists(target):
            items = []
            for si in re.finditer(rb"<(?:\w+:)?si\b[^>]*>(.*?)</(?:\w+:)?si>|<(?:\w+:)?si\b[^>]*/>", edit.read(target), re.S):
                body = re.sub(rb"<(?:\w+:)?rPh\b.*?</(?:\w+:)?rPh>", b"", si.group(1) or b"", flags=re.S)
                items.append(html.unescape(b"".join(_TEXT.findall(body)).decode("utf-8", "replace")))
            return items
    return []


def _margins(xml: bytes) -> float:
    m = re.search(rb"<(?:\w+:)?pageMargins\b[^>]*>", xml[max(xml.rfind(b"sheetData>"), 0):])
    if not m:
        return 1.4
    a = attributes(m.group(0))
    try:
        return float(a.get("left", 0.7)) + float(a.get("right", 0.7))
    except ValueError:
        return 1.4


def _with_page_setup(xml: bytes, pages_wide: int) -> bytes:
    """<pageSetup> (landscape A4, `pages_wide` pages wide, as many tall as it takes) and fitToPage in <sheetPr>."""
    prefix = (re.search(rb"<(\w+:)?sheetData\b", xml).group(1) or b"") if re.search(rb"<(\w+:)?sheetData\b", xml) else b""
    setup = (b"<" + prefix + b'pageSetup paperSize="9" pageOrder="overThenDown" orientation="landscape" fitToWidth="'
             + str(pages_wide).encode() + b'" fitToHeight="0"/>')  # a row's pages one after the other
    tail_at = max(xml.rfind(b"sheetData>"), 0)
    tail = xml[tail_at:]
    margins = re.search(rb"<(?:\w+:)?pageMargins\b[^>]*?/>", tail)
    if margins:
        at = tail_at + margins.end()
    else:
        later = re.search(rb"<(?:\w+:)?(?:" + b"|".join(_AFTER_PAGE_SETUP) + rb")\b", tail)
        at = tail_at + later.start() if later else xml.rindex(b"</")
    xml = xml[:at] + setup + xml[at:]
    return _with_fit_to_page(xml, prefix)


def _with_fit_to_page(xml: bytes, prefix: bytes) -> bytes:
    from workbook.writing.xlsxpatch.styles import _set_attr

    head_end = xml.find(b"sheetData")
    head = xml[:head_end]
    pr = re.search(rb"<(?:\w+:)?sheetPr\b[^>]*?(?:/>|>.*?</(?:\w+:)?sheetPr>)", head, re.S)
    if pr is None:
        root = re.search(rb"<(?:\w+:)?worksheet\b[^>]*>", head)
        block = b"<" + prefix + b"sheetPr><" + prefix + b'pageSetUpPr fitToPage="1"/></' + prefix + b"sheetPr>"
        return xml[:root.end()] + block + xml[root.end():]
    element = pr.group(0)
    setup = re.search(rb"<(?:\w+:)?pageSetUpPr\b[^>]*?/?>", element)
    if setup:
        new = element[:setup.start()] + _set_attr(setup.group(0), "fitToPage", "1") + element[setup.end():]
    elif element.endswith(b"/>") and b"</" not in element:
        new = element[:-2].rstrip() + b"><" + prefix + b'pageSetUpPr fitToPage="1"/></' + prefix + b"sheetPr>"
    else:  # pageSetUpPr is sheetPr's last child
        close = element.rfind(b"</")
        new = element[:close] + b"<" + prefix + b'pageSetUpPr fitToPage="1"/>' + element[close:]
    return xml[:pr.start()] + new + xml[pr.end():]


def set_defined_name(edit: PackageEdit, name: str, sheet_name: str, value: str, *, replace: bool) -> None:
    """A sheet-local defined name (print titles, print area) in workbook.xml; an existing one is kept unless `replace`."""
    wb_part = workbook_part(edit)
    xml = edit.read(wb_part)
    index = next((i for i, (_, a) in enumerate(_sheet_entries(xml)) if a.get("name") == sheet_name), None)
    if index is None:
        return
    element = (b"<definedName name=" + quoteattr(name).encode() + b' localSheetId="' + str(index).encode() + b'">'
               + _escape(value) + b"</definedName>")
    for m in re.finditer(rb"<(?:\w+:)?definedName\b[^>]*>.*?</(?:\w+:)?definedName>", xml, re.S):
        a = attributes(m.group(0)[:m.group(0).index(b">") + 1])
        if a.get("name") == name and a.get("localSheetId") == str(index):
            if not replace or m.group(0) == element:
                return
            edit.write(wb_part, xml[:m.start()] + element + xml[m.end():])
            return
    block = re.search(rb"<(\w+:)?definedNames\b[^>]*?(/?)>", xml)
    prefix = b""
    root = re.search(rb"<(\w+:)?workbook\b", xml)
    if root and root.group(1):
        prefix = root.group(1)
        element = element.replace(b"<definedName ", b"<" + prefix + b"definedName ", 1).replace(
            b"</definedName>", b"</" + prefix + b"definedName>")
    if block and not block.group(2):
        close = xml.index(b"</" + (block.group(1) or b"") + b"definedNames>", block.end())
        xml = xml[:close] + element + xml[close:]
    elif block:  # <definedNames/>
        xml = (xml[:block.start()] + b"<" + prefix + b"definedNames>" + element + b"</" + prefix + b"definedNames>"
               + xml[block.end():])
    else:
        later = re.search(rb"<(?:\w+:)?(?:" + b"|".join(_AFTER_DEFINED_NAMES) + rb")\b", xml)
        at = later.start() if later else xml.rindex(b"</")
        xml = xml[:at] + b"<" + prefix + b"definedNames>" + element + b"</" + prefix + b"definedNames>" + xml[at:]
    edit.write(wb_part, xml)


def _escape(text: str) -> bytes:
    from workbook.writing.xlsxpatch.cells import escape_text

    return escape_text(text)
