"""Patch cells in a worksheet's XML without parsing it into a tree: only the rows written change.

A 100 000-row sheet is ~45 MB of XML; the rows radit does not touch are copied as byte slices.
Text is written as inline strings so the shared-strings part (often the largest) stays byte-identical.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import NamedTuple

from workbook.errors import WriteRefused
from engine.a1 import cell_name, column_of  # noqa: F401  cell_name: for the modules that import it from here
from engine.findings import Location
from workbook.reading.index import split_ref
from workbook.reading.sheetshape import SheetShape, sheet_shape, unescape_attribute
from workbook.writing.xlsxpatch.model import CellValue

_SHEET_DATA = re.compile(rb"<(?:\w+:)?sheetData\b[^>]*?(/?)>")
_CELL = re.compile(rb"<(?:\w+:)?c\b[^>]*?(?:/>|>.*?</(?:\w+:)?c>)", re.S)
_R_ATTR = re.compile(rb"""\sr\s*=\s*(?:"([^"]*)"|'([^']*)')""")  # either quote (XML allows both)
_S_ATTR = re.compile(rb"""\ss\s*=\s*(?:"|')(\d+)(?:"|')""")
_FORMULA = re.compile(rb"<(?:\w+:)?f\b")
_SPANS = re.compile(rb'\sspans\s*=\s*"[^"]*"')
_RANGE_FORMULA = re.compile(rb'<(?:\w+:)?f\b[^>]*\bt\s*=\s*"(?:shared|array)"[^>]*\bref\s*=\s*"([^"]+)"')
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*\bref\s*=\s*"([^"]+)"')
_DIMENSION = re.compile(rb'(<(?:\w+:)?dimension\b[^>]*\bref\s*=\s*")([^"]*)(")')
# Characters XML 1.0 cannot carry at all; an analyst's pasted text may hold them.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class Write(NamedTuple):
    """One cell to set (a named tuple: a 100 000-row table has 400 000 of them)."""

    row: int
    col: int
    value: CellValue
    # A cellXfs index; None keeps the cell's own; a callable maps the cell's own index (None when it has
    # none or does not exist yet) to the new one, so a fill is derived from each cell's style in one pass.
    style: int | None | Callable[[int | None], int] = None


def _r_value(m: re.Match) -> bytes:
    """The value of an r attribute matched by _R_ATTR, character references resolved (r="&#65;1" is A1)."""
    value = m.group(1) if m.group(1) is not None else m.group(2)
    return unescape_attribute(value.decode("utf-8", "replace")).encode() if b"&" in value else value


# Anything escape_text must change: markup characters and those XML 1.0 forbids.
_SPECIAL = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def escape_text(text: str) -> bytes:
    return _escaped(text).encode("utf-8")


def _escaped(text: str) -> str:
    """Text as XML character data: markup escaped, characters XML 1.0 cannot carry dropped."""
    if _SPECIAL.search(text) is None:  # most texts: one scan, no copies
        return text
    return _FORBIDDEN.sub("", text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _number(value) -> bytes:
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
        return text.encode()
    if isinstance(value, float):
        return repr(value).encode()
    return str(int(value)).encode()


def render_cell(name: str, value: CellValue, style: int | None, prefix: str = "") -> bytes:
    """One <c> element: text as an inline string, numbers as numbers, None as an empty (styled) cell.

    `prefix` is the sheet's own namespace prefix ("x:" in some generators' files), put on every element."""
    s = "" if style is None else f' s="{style}"'
    if value.__class__ is str and value:  # the common case first: the symbol, deviation, basis and explanation
        return (f'<{prefix}c r="{name}"{s} t="inlineStr"><{prefix}is><{prefix}t xml:space="preserve">{_escaped(value)}'
                f"</{prefix}t></{prefix}is></{prefix}c>").encode("utf-8")
    if value is None or value == "":
        return f'<{prefix}c r="{name}"{s}/>'.encode()
    if isinstance(value, bool):
        return f'<{prefix}c r="{name}"{s} t="b"><{prefix}v>{int(value)}</{prefix}v></{prefix}c>'.encode()
    if isinstance(value, (int, float, Decimal)):
        return f'<{prefix}c r="{name}"{s}><{prefix}v>{_number(value).decode()}</{prefix}v></{prefix}c>'.encode()
    return render_cell(name, str(value), style, prefix)


class SheetPatch:
    """The cells radit writes into one worksheet part; check() refuses what cannot be patched safely."""

    def __init__(self, xml: bytes, *, path: str = "", sheet: str = ""):
        self.xml = xml
        self.path = path
        self.sheet = sheet

    def _refuse(self, code: str, row: int | None = None, col: int | None = None, **params) -> WriteRefused:
        return WriteRefused(self.path, code, location=Location(sheet=self.sheet, row=row, column=col), **params)

    def _formula_in(self, row: int, col: int) -> WriteRefused:
        return self._refuse("formula-output-cell", row, col)

    @functools.cached_property
    def shape(self) -> SheetShape:
        """The sheet's shape as the reading guard found it (workbook.reading.sheetshape; kept from the read)."""
        return sheet_shape(self.xml)

    def _refuse_shape(self) -> None:
        """Refuse a sheet the byte patch cannot follow safely: a cell written twice, rows or cells out of order
        (a row written would land before the copy that stays, and readers would take either)."""
        shape = self.shape
        if shape.duplicate is not None:
            row, col = shape.duplicate
            raise self._refuse("duplicate-cell", row, col, cell=cell_name(row, col))
        if not shape.rows_ordered and shape.unordered is not None:
            row, _, previous, _ = shape.unordered
            raise self._refuse("unordered-rows", row, None, number=row, previous=previous)
        if shape.cells_ordered is False and shape.unordered is not None:
            row, col, previous_row, previous_col = shape.unordered
            before = cell_name(previous_row, previous_col) if previous_row and previous_col else f"row {previous_row}"
            raise self._refuse("unordered-cells", row, col, previous=before)

    def check(self, by_row: Mapping[int, Mapping[int, object]]) -> None:
        """Refuse before anything is written: a sheet whose XML the patch cannot follow (_refuse_shape), target
        cells (row -> {col: …}) in merged ranges or under shared/array formulas. Each range is checked against the
        target cells of the rows it spans, so a sheet full of shared formulas costs the sum of their heights,
        not ranges × cells."""
        self._refuse_shape()
        ranges = [("merge", m.group(1)) for m in _tags(self.xml, b"mergeCell", _MERGE)]
        ranges += [("formula", m.group(1)) for needle in (b'"shared"', b'"array"')
                   for m in _tags(self.xml, needle, _RANGE_FORMULA)]
        if not ranges or not by_row:  # the common case: nothing to check against
            return
        low, high = min(by_row), max(by_row)
        for kind, ref in ranges:
            r1, c1, r2, c2 = split_ref(ref.decode())
            for r in range(max(r1, low), min(r2, high) + 1):
                for c in by_row.get(r, ()):
                    if not c1 <= c <= c2:
                        continue
                    if kind == "merge" and (r, c) != (r1, c1):
                        raise self._refuse("merged-output-cell", r, c, range=ref.decode())
                    if kind == "formula":
                        raise self._refuse("formula-output-cell", r, c, template="formula-output-cell.range",
                                           range=ref.decode())

    def apply(self, writes: Sequence[Write]) -> bytes:
        """The sheet XML with every write applied; raises WriteRefused (writing nothing) on a formula cell."""
        if not writes:
            return self.xml
        by_row = _by_row(writes)
        self.check(by_row)
        xml, body_start, body_end, prefix = self._body
        body = self._patch_rows(xml, body_start, body_end, by_row, prefix, 0)
        cols = [w.col for w in writes]
        box = (min(by_row), min(cols), max(by_row), max(cols))
        return _grow_dimension(xml[:body_start] + body + xml[body_end:], box)

    # --- a sheet patched in two spans (two processes; see workbook.writing.row_outputs) ---

    def split_at(self, row: int) -> int | None:
        """Where the element of `row` starts, to patch the rows before and from it apart; None when the sheet's
        shape does not allow it (no such row element with an r attribute, or no rows at all)."""
        xml, body_start, body_end, prefix = self._body
        if xml is not self.xml or not self.shape.plain:  # (a match could be a row's look-alike in other spellings)
            return None
        at = xml.find(b"<" + prefix + b'row r="' + str(row).encode() + b'"', body_start, body_end)
        return at if at >= 0 else None

    def patch_span(self, writes: Sequence[Write], start: int | None, end: int | None, first_row: int) -> bytes:
        """The XML between start and end (None: the body's start or end) with writes applied; every row written
        lies in that span (rows not there are created at its end). `first_row` is the row the span starts with."""
        xml, body_start, body_end, prefix = self._body
        start = body_start if start is None else start
        end = body_end if end is None else end
        return self._patch_rows(xml, start, end, _by_row(writes), prefix, first_row - 1)

    def join_spans(self, spans: Sequence[bytes], box: tuple[int, int, int, int]) -> bytes:
        """The sheet XML with its body made of the patched spans, in order (from patch_span); `box` (first row,
        first column, last row, last column) holds every cell written, for the sheet's dimension."""
        xml, body_start, body_end, _ = self._body
        return _grow_dimension(xml[:body_start] + b"".join(spans) + xml[body_end:], box)

    @functools.cached_property
    def _body(self) -> tuple[bytes, int, int, bytes]:
        """(xml, start and end of the sheetData body, namespace prefix), found once (the end is a search through
        the whole sheet); an empty <sheetData/> is opened up."""
        xml = self.xml
        head = _SHEET_DATA.search(xml)
        if head is None:
            raise self._refuse("no-sheet-data")
        tag = head.group(0)
        prefix = tag[1:tag.index(b"sheetData")]  # a namespace prefix such as b"x:" or b""
        if head.group(1) == b"/":  # <sheetData/>: no rows at all; open the element up
            xml = xml[:head.end() - 2] + b"></" + prefix + b"sheetData>" + xml[head.end():]
            return xml, head.end() - 1, head.end() - 1, prefix
        return xml, head.end(), xml.index(b"</" + prefix + b"sheetData>", head.end()), prefix

    def _patch_rows(self, xml: bytes, body_start: int, body_end: int, by_row: Mapping[int, Mapping[int, Write]],
                    prefix: bytes, previous_row: int) -> bytes:
        pending = sorted(by_row)
        out: list[bytes] = []
        pos = body_start
        i = 0
        for start, end in _row_spans(xml, body_start, body_end, prefix):
            if i >= len(pending):
                break
            row_xml = xml[start:end]
            start_tag = row_xml[:row_xml.index(b">") + 1]
            r = _R_ATTR.search(start_tag)
            number = int(_r_value(r)) if r and _r_value(r).isdigit() else previous_row + 1
            previous_row = number
            # Rows to create before this one.
            while i < len(pending) and pending[i] < number:
                out.append(xml[pos:start])
                pos = start
                out.append(self._new_row(pending[i], by_row[pending[i]], prefix))
                i += 1
            if i < len(pending) and pending[i] == number:
                out.append(xml[pos:start])
                out.append(self._patch_row(row_xml, number, by_row[number], prefix))
                pos = end
                i += 1
        out.append(xml[pos:body_end])
        while i < len(pending):
            out.append(self._new_row(pending[i], by_row[pending[i]], prefix))
            i += 1
        return b"".join(out)

    def _new_row(self, number: int, cells: Mapping[int, Write], prefix: bytes) -> bytes:
        body = b"".join(self._cell(number, w, None, prefix) for _, w in sorted(cells.items()))
        return b"<" + prefix + b'row r="' + str(number).encode() + b'">' + body + b"</" + prefix + b"row>"

    def _cell(self, row: int, w: Write, old_style: int | None, prefix: bytes) -> bytes:
        style = w.style
        if style is None:
            style = old_style
        elif style.__class__ is not int:  # a callable deriving the style from the cell's own
            style = style(old_style)
        return render_cell(cell_name(row, w.col), w.value, style, prefix.decode() if prefix else "")

    def _patch_row(self, row_xml: bytes, number: int, cells: Mapping[int, Write], prefix: bytes) -> bytes:
        tag_end = row_xml.index(b">") + 1
        start_tag = row_xml[:tag_end]
        if start_tag.endswith(b"/>"):
            start_tag = start_tag[:-2] + b">"
            inner = b""
        else:
            inner = row_xml[tag_end:row_xml.rindex(b"</")]
        # spans is an optional loading hint; a written cell may lie outside it, so drop it from rows we change.
        if b"spans" in start_tag:
            start_tag = _SPANS.sub(b"", start_tag)
        targets = sorted(cells)
        fast = self._fast_row(inner, number, cells, targets, prefix) if self.shape.plain else None
        if fast is not None:
            return start_tag + fast + b"</" + prefix + b"row>"
        ti, n = 0, len(targets)
        parts: list[bytes] = []
        pos = 0
        col = high = 0
        seen: set[int] = set()
        for m in _CELL.finditer(inner):
            start = m.start()
            tag_end = inner.index(b">", start) + 1
            r = _R_ATTR.search(inner, start, tag_end)
            previous, col = col, column_of(_r_value(r)) if r else col + 1  # without r: the one after the previous
            # Every cell of the row is looked at: a target written twice, or out of order, would stay behind stale.
            if col in cells:
                if col in seen:
                    raise self._refuse("duplicate-cell", number, col, cell=cell_name(number, col))
                seen.add(col)
            if col <= high and (col in cells or ti < n):
                raise self._refuse("unordered-cells", number, col, previous=cell_name(number, previous or high))
            high = max(high, col)
            if ti == n:
                continue  # every target placed; the rest of the row is copied as it is
            while ti < n and targets[ti] < col:  # a target cell that does not exist yet goes before this one
                parts.append(inner[pos:start])
                pos = start
                parts.append(self._cell(number, cells[targets[ti]], None, prefix))
                ti += 1
            if ti < n and targets[ti] == col:
                cell = m.group(0)
                if _FORMULA.search(cell):
                    raise self._formula_in(number, col)
                s = _S_ATTR.search(inner, start, tag_end)
                parts.append(inner[pos:start])
                parts.append(self._cell(number, cells[col], int(s.group(1)) if s else None, prefix))
                pos = m.end()
                ti += 1
        parts.append(inner[pos:])
        parts.extend(self._cell(number, cells[c], None, prefix) for c in targets[ti:])
        return start_tag + b"".join(parts) + b"</" + prefix + b"row>"


    def _fast_row(self, inner: bytes, number: int, cells: Mapping[int, Write], targets: list[int],
                  prefix: bytes) -> bytes | None:
        """The row's new content without walking its cells, in the two shapes Excel and radit leave behind:
        every target cell exists and starts with its r attribute, or every target lies right of the last cell.
        None: use the general walk."""
        if not inner or inner.isspace():
            return b"".join([self._cell(number, cells[c], None, prefix) for c in targets])
        open_c = b"<" + prefix + b"c "
        close_c = b"</" + prefix + b"c>"
        found = []
        needles = [open_c + b'r="' + cell_name(number, c).encode() + b'"' for c in targets]
        for c, needle in zip(targets, needles):
            at = inner.find(needle)
            if at < 0:
                break
            tag_end = inner.index(b">", at) + 1
            end = tag_end if inner[tag_end - 2:tag_end] == b"/>" else inner.index(close_c, tag_end) + len(close_c)
            if inner.find(needle, end) >= 0:  # in the plain spelling this find sees every copy of the cell
                raise self._refuse("duplicate-cell", number, c, cell=cell_name(number, c))
            found.append((at, end, tag_end, c))
        else:
            found.sort()
            parts, pos = [], 0
            for at, end, tag_end, c in found:
                if _FORMULA.search(inner, at, end):
                    raise self._formula_in(number, c)
                st = _S_ATTR.search(inner, at, tag_end)
                parts += [inner[pos:at], self._cell(number, cells[c], int(st.group(1)) if st else None, prefix)]
                pos = end
            parts.append(inner[pos:])
            return b"".join(parts)
        last = inner.rfind(open_c)
        if last < 0 or found:
            return None
        r = _R_ATTR.search(inner, last, inner.index(b">", last) + 1)
        if r is None or column_of(_r_value(r)) >= targets[0] or any(inner.find(n) >= 0 for n in needles[1:]):
            return None  # (a later target present out of order: the walk refuses it)
        return inner + b"".join([self._cell(number, cells[c], None, prefix) for c in targets])


def _by_row(writes: Sequence[Write]) -> dict[int, dict[int, Write]]:
    by_row: dict[int, dict[int, Write]] = {}
    for w in writes:
        cells = by_row.get(w.row)
        if cells is None:
            by_row[w.row] = {w.col: w}
        else:
            cells[w.col] = w
    return by_row


_NAME_END = frozenset(b" \t\r\n/>")


def _row_spans(xml: bytes, start: int, end: int, prefix: bytes):
    """(start, end) of each <row> element between start and end: bytes.find, not a regex with a lazy .*?
    (three times faster over a 45 MB sheet). Rows hold no nested rows and no raw '<' in text."""
    open_row, close_row = b"<" + prefix + b"row", b"</" + prefix + b"row>"
    at = xml.find(open_row, start, end)
    while at >= 0:
        after = at + len(open_row)
        if xml[after] not in _NAME_END:  # <rowBreaks …> or another name that starts with "row"
            at = xml.find(open_row, after, end)
            continue
        tag_end = xml.index(b">", after) + 1
        stop = tag_end if xml[tag_end - 2] == 0x2F else xml.index(close_row, tag_end) + len(close_row)  # 0x2F: "/"
        yield at, stop
        at = xml.find(open_row, stop, end)


def _tags(xml: bytes, needle: bytes, pattern: re.Pattern):
    """Matches of `pattern` (which starts at a tag's "<") for each tag holding `needle`: a bytes.find for the
    needle is far faster over a large sheet than a regex scanning every "<"."""
    pos = xml.find(needle)
    while pos >= 0:
        start = xml.rfind(b"<", 0, pos)
        m = pattern.match(xml, start) if start >= 0 else None
        if m is not None and m.end() > pos:
            yield m
            pos = xml.find(needle, m.end())
        else:
            pos = xml.find(needle, pos + 1)


def _grow_dimension(xml: bytes, box: tuple[int, int, int, int]) -> bytes:
    """The <dimension> ref widened to hold `box` (first row, first column, last row, last column)."""
    m = _DIMENSION.search(xml, 0, 4096 if len(xml) > 4096 else len(xml))
    if m is None:
        return xml
    try:
        r1, c1, r2, c2 = split_ref(m.group(2).decode())
    except ValueError:
        return xml
    nr1, nc1, nr2, nc2 = min(r1, box[0]), min(c1, box[1]), max(r2, box[2]), max(c2, box[3])
    if (nr1, nc1, nr2, nc2) == (r1, c1, r2, c2):
        return xml
    ref = f"{cell_name(nr1, nc1)}:{cell_name(nr2, nc2)}".encode()
    return xml[:m.start(2)] + ref + xml[m.end(2):]
