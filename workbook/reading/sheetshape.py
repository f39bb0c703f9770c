"""How far a worksheet's cells reach, as an XML tokenizer reads it: the guard in front of python-calamine.

python-calamine allocates the rectangle up to the farthest cell (one cell declared at XFD1048576 asks for 17
billion and aborts the process), and openpyxl, its fallback, pads rows up to the farthest row and `<dimension>`.
So before either parses a sheet, radit finds how far any of them could reach, following XML's grammar: quotes
of either kind, any whitespace, character references, namespace prefixes, rows out of order, cells without `r`
(their position implied by order, as calamine and openpyxl both follow it), the `<dimension ref>`.

Two ways to the same answer, the cheap one first:

- the plain proof (one compiled pattern read over the rows, then the row numbers): in the spelling every
  spreadsheet program writes, each `<row` opens with `r="N"` and the rows ascend, each `<c` opens with `r="<letters>N"`
  naming its own row and holds no second `r`, attributes are in double quotes, the cells of one letter come in
  ascending order, no row or cell carries a namespace prefix. Every `<c`/`<row` in the bytes is one the pattern read
  (a comment or CDATA section can only make it fail, never hide a tag), so no cell is written twice (for cells of
  two or three letters, their references are compared), and the farthest cell is in the last row, at column Z or
  at the farthest cell of two or three letters;
- anything else (and any sheet the proof would put over the cap) is tokenized by expat, following positions as
  calamine does; that finds cells written twice and rows or cells out of order, in any spelling.
"""
from __future__ import annotations

from typing import NamedTuple

import functools
import re
import zlib
from collections import OrderedDict
from pyexpat import ExpatError, ParserCreate

from engine.a1 import ZZZ, column_number, parse_cell

DEFAULT_MAX_CELLS = 12_000_000  # rows × columns python-calamine may allocate for one sheet (~32 bytes each)
_ONE_LETTER = 26  # Z: the farthest column a reference of one letter reaches


class SheetShape(NamedTuple):  # not a dataclass: defining one costs ~0.5 ms of every start
    """What the guard learnt about one sheet's XML. `rows` × `columns` bounds what a reader allocates."""

    rows: int
    columns: int
    exact: bool  # tokenized (True), or bounded by the plain proof (False: rows/columns are then upper bounds)
    plain: bool  # every <c>/<row> in the plain spelling above, rows ascending
    rows_ordered: bool
    cells_ordered: bool | None  # None: not known (the plain proof does not order cells of two or three letters)
    unordered: tuple[int, int, int, int] | None = None  # (row, column, previous row, previous column) where order breaks
    duplicate: tuple[int, int] | None = None  # the first cell written twice (the plain proof holds only without one)
    error: tuple[str, int, int] | None = None  # (reason, line, column) where the XML is not well-formed
    protected: bool = False  # <sheetProtection sheet="1">

    @property
    def cells(self) -> int:
        return self.rows * self.columns

    @property
    def far(self) -> tuple[int, int]:
        """(row, column) of the far corner of what a reader allocates."""
        return self.rows, self.columns


# --- small tools ---------------------------------------------------------------------------------

_ENTITY = re.compile(r"&(?:#([0-9]+)|#x([0-9A-Fa-f]+)|(lt|gt|amp|quot|apos));")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


def unescape_attribute(value: str) -> str:
    """An attribute value as an XML parser hands it over: character and predefined entity references replaced."""
    if "&" not in value:
        return value

    def one(m: re.Match) -> str:
        if m.group(3):
            return _NAMED[m.group(3)]
        code = int(m.group(1)) if m.group(1) else int(m.group(2), 16)
        return chr(code) if 0 < code <= 0x10FFFF else ""

    return _ENTITY.sub(one, value)


def _ref_corner(ref: str) -> tuple[int, int] | None:
    """The far corner of a range such as 'A1:XFD1048576' (or of a single cell)."""
    corners = [parse_cell(p) for p in ref.split(":") if p.strip()]
    corners = [c for c in corners if c is not None]
    return (max(r for r, _ in corners), max(c for _, c in corners)) if corners else None


_TAG_REST = re.compile(rb"""((?:[\t\n\r ]+[^\t\n\r =/>]+[\t\n\r ]*=[\t\n\r ]*(?:"[^"<]*"|'[^'<]*'))*)[\t\n\r ]*/?>""")
_ATTR = re.compile(rb"""([^\t\n\r =/>]+)[\t\n\r ]*=[\t\n\r ]*(?:"([^"<]*)"|'([^'<]*)')""")
_PREFIX_BEFORE = re.compile(rb"<[^\t\n\r /<>:!?]+:$")


def start_tags(xml: bytes, local: bytes, limit: int | None = None) -> list[dict[str, str]] | None:
    """The attributes of every start tag whose local name is `local` (any prefix), found by the name's bytes and
    read by XML's start-tag grammar (either quote, any whitespace, references resolved). None when a tag with
    that name does not follow the grammar: the caller must tokenize. For rare names (dimension, sheetProtection)."""
    out = []
    pos = xml.find(local)
    while pos >= 0 and (limit is None or len(out) < limit):
        after = pos + len(local)
        if xml[pos - 1:pos] == b"<" or (pos > 1 and _PREFIX_BEFORE.search(xml, max(0, pos - 64), pos)):
            if xml[after:after + 1] in (b" ", b"\t", b"\n", b"\r", b"/", b">"):
                m = _TAG_REST.match(xml, after)
                if m is None:
                    return None
                attrs = {}
                for key, v1, v2 in _ATTR.findall(m.group(1)):
                    value = v1 if v1 or not v2 else v2
                    try:
                        attrs[key.decode("ascii")] = unescape_attribute(value.decode("utf-8", "replace"))
                    except UnicodeDecodeError:  # a non-ASCII attribute name: nothing radit looks for
                        continue
                out.append(attrs)
        pos = xml.find(local, after)
    return out


def _true(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true")


# --- the plain proof -----------------------------------------------------------------------------

_PREFIXED = re.compile(rb":(?:c|row)[\t\n\r /> ]")
_DECLARED = re.compile(rb"""^<\?xml[^>]*?encoding[\t\n\r ]*=[\t\n\r ]*["']([A-Za-z0-9._-]+)["']""")
_ASCII_SUPERSETS = ("utf-8", "utf8", "us-ascii", "ascii", "iso-8859", "iso8859", "latin", "windows-125", "cp125")


def _ascii_compatible(xml: bytes) -> bool:
    """Whether markup is plain ASCII bytes here (the proof's patterns are bytes): not UTF-16/32, not EBCDIC."""
    if xml[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in xml[:4]:
        return False
    head = xml[3:] if xml.startswith(b"\xef\xbb\xbf") else xml
    m = _DECLARED.match(head[:200])
    return m is None or m.group(1).decode("ascii").lower().startswith(_ASCII_SUPERSETS)


# The body of <sheetData> as every spreadsheet program writes it, read by one compiled pattern: each row opens with
# r="N" (no leading zero) and attributes in double quotes; each cell opens with r="<letters>N", N the row's own
# number (a backreference), then attributes other than r; the cells of one letter come in strictly ascending
# columns (one optional group per letter, A to Z, in order), those of two or three letters after them. The content
# of a cell is anything up to its </c> but the start of another cell or row. So a body this pattern reads whole holds
# no cell written twice in one row, no cell placed in another row, and every <c and <row in it is one the pattern
# read: a comment or CDATA section can only make it fail (then expat reads the sheet), never hide a tag.
_ROW_ATTRS = rb'(?: (?!r=)[\w:.-]++="[^"<]*+")*+ ?+'
_CELL_ATTRS = rb'(?: s="[0-9]{1,9}+")?+(?: t="[a-zA-Z]{1,9}+")?+' + _ROW_ATTRS  # the usual ones first: faster
_CELL_BODY = rb'(?:/>|>(?:<v>[^<]*+</v>|[^<]*+(?:<(?!/c>|c[\t\n\r />]|/?row[\t\n\r />])[^<]*+)*+)</c>)'
_ONE_LETTER_CELLS = b"".join(rb'(?:<c r="%c(?P=row)"' % letter + _CELL_ATTRS + _CELL_BODY + rb")?+"
                             for letter in range(ord("A"), ord("Z") + 1))
_LONG_CELLS = rb'(?:(?P<long><c r="[A-Z]{2,3}+(?P=row)")' + _CELL_ATTRS + _CELL_BODY + rb")*"


def _rows_of(cells: bytes) -> bytes:
    return (rb'(?:[\t\n\r ]*+<row r="(?P<row>[1-9][0-9]{0,6}+)"' + _ROW_ATTRS
            + rb"(?:/>|>" + cells + rb"</row>))*[\t\n\r ]*+")


@functools.cache
def _plain_body_pattern() -> re.Pattern:
    """The whole proof in one pattern, for large bodies. Its 26 copies of a cell take ~10 ms to compile, a tenth
    of a small run's whole time: so it is compiled only for a body over _SMALL_BODY."""
    return re.compile(_rows_of(_ONE_LETTER_CELLS + _LONG_CELLS))


# A small body is read by the same grammar with one cell pattern for every column (cheap to compile); the order of
# its one-letter cells, which the large pattern's 26 groups prove, is then checked on their letters in Python. Both
# accept the same bodies (tests/reading/test_reading_duplicate_cells.py compares them on random sheets).
_SMALL_BODY = 1 << 20  # ~2 000 rows of 20 cells; the Python loop costs ~7 ms a megabyte more than the large pattern
_PLAIN_ROWS = re.compile(_rows_of(rb'(?:<c r="[A-Z]{1,3}+(?P=row)"' + _CELL_ATTRS + _CELL_BODY + rb")*+"))
# In a body the grammar read, `<row r="` and `<c r="` occur only where a row or a cell starts (a cell's content
# holds neither, an attribute value no `<`): so these are the row starts (b"") and the cells' letters, in order.
_STARTS = re.compile(rb'<(?:row r="|c r="([A-Z]{1,3}+))')
_LONG_REF = re.compile(rb'<c r="([A-Z]{2,3}[0-9]{1,7})"')  # looked for only in a body that holds such a cell
_ROW_NUMBER = re.compile(rb'<row r="([0-9]{1,7})"')
_CELL_OR_ROW = re.compile(rb"<(?:c|row)[\t\n\r /> ]")
_CHUNK = 1 << 20  # a large body is read this much at a time


def _plain_body(xml: bytes, start: int, end: int) -> tuple[bool, bool]:
    """(whether the plain pattern reads xml[start:end] whole, whether it met cells of two or three letters). Read a
    large body a megabyte at a time, cut before a `<row r="` (where a row of the pattern starts, as no row it reads holds one):
    the pattern keeps a backtracking point per row, which for a whole sheet of 100 000 rows is 35 MB."""
    if end - start <= _SMALL_BODY:
        return _small_plain_body(xml, start, end)
    pattern = _plain_body_pattern()
    long_cells = False
    while start < end:
        stop = xml.find(b'<row r="', start + _CHUNK, end) if end - start > _CHUNK else -1
        stop = end if stop < 0 else stop
        body = pattern.fullmatch(xml, start, stop)
        if body is None:
            return False, False
        long_cells = long_cells or body.group("long") is not None
        start = stop
    return True, long_cells


def _small_plain_body(xml: bytes, start: int, end: int) -> tuple[bool, bool]:
    """_plain_body for a small body: the grammar, then in each row the one-letter cells strictly ascending and
    before every longer one, as the large pattern's groups A to Z and then its longer cells require."""
    if _PLAIN_ROWS.fullmatch(xml, start, end) is None:
        return False, False
    long_cells = False
    previous = b""  # the letters of the row's previous cell (b"": none yet)
    for letters in _STARTS.findall(xml, start, end):
        if len(letters) == 1 and previous and (len(previous) > 1 or letters <= previous):
            return False, False
        long_cells = long_cells or len(letters) > 1
        previous = letters
    return True, long_cells


def _plain(xml: bytes) -> SheetShape | None:
    """The bound by the plain proof (no cell written twice, rows and one-letter cells in order), or None where the
    sheet is not in the plain spelling (expat then reads it)."""
    if not _ascii_compatible(xml) or _PREFIXED.search(xml):
        return None
    open_at, close_at = xml.find(b"<sheetData>"), xml.rfind(b"</sheetData>")
    if open_at < 0 or close_at < open_at:
        start = end = xml.find(b"<sheetData/>")  # no rows at all
        if start < 0:
            return None
    else:
        start, end = open_at + len(b"<sheetData>"), close_at
    if _CELL_OR_ROW.search(xml, 0, start) or _CELL_OR_ROW.search(xml, end):
        return None  # a cell or row outside the body: let expat say what it is
    plain, long_cells = _plain_body(xml, start, end)
    if not plain:
        return None
    numbers = _ROW_NUMBER.findall(xml, start, end)
    rows_up = list(map(int, numbers))
    if not all(map(int.__lt__, rows_up, rows_up[1:])):
        return None  # rows out of order: a cell may be written twice in two rows; the tokenizer looks
    rows = rows_up[-1] if rows_up else 0
    cols = _ONE_LETTER
    if long_cells:  # cells of two or three letters: each written once?
        refs = _LONG_REF.findall(xml, start, end)
        distinct = set(refs)
        if len(distinct) != len(refs):
            return None  # the tokenizer finds the first one, in document order
        cols = max(cols, max(column_number(ref.rstrip(b"0123456789")) for ref in distinct))
    # <dimension> precedes <sheetData> (calamine and openpyxl read it only there), <sheetProtection> follows it
    dims = start_tags(xml[:start], b"dimension", limit=4)
    protection = start_tags(xml[end:], b"sheetProtection", limit=4)
    if dims is None or protection is None:
        return None
    for d in dims:
        corner = _ref_corner(d.get("ref", ""))
        if corner:
            rows, cols = max(rows, corner[0]), max(cols, corner[1])
    return SheetShape(rows, cols, exact=False, plain=True, rows_ordered=True,
                      cells_ordered=None if long_cells else True,
                      protected=any(_true(p.get("sheet")) for p in protection))


# --- the tokenizer -------------------------------------------------------------------------------

class _Doctype(Exception):
    pass


def _tokenized(xml: bytes, positions: set[int] | None = None) -> SheetShape:
    """Every start tag through expat. Positions follow calamine: a row's r sets the row, its end moves to the next;
    a cell's r sets its position, else it is the one after the previous cell of the row. With `positions` (a set),
    every cell's position is added to it, to find cells written twice across rows (a second pass, out of order)."""
    parser = ParserCreate()
    parser.ordered_attributes = True
    kinds: dict[str, str | None] = {}
    row_index = 0  # 0-based, as calamine counts
    col_index = 0
    in_row = False
    row_start = 0  # 1-based number of the current row element
    max_row = max_col = 0
    last_row_number = 0
    rows_ordered = cells_ordered = True
    unordered = duplicate = None
    previous_col = 0
    row_cols: set[int] = set()
    protected = False

    def kind_of(name: str) -> str | None:
        local = name.rpartition(":")[2]
        kind = kinds[name] = local if local in ("c", "row", "dimension", "sheetProtection") else None
        return kind

    def attribute(attrs: list[str], key: str) -> str | None:
        value = None
        for i in range(0, len(attrs), 2):
            if attrs[i] == key:
                value = attrs[i + 1]  # the last one wins, as in calamine (expat refuses a repeated one anyway)
        return value

    def start(name: str, attrs: list[str]) -> None:
        nonlocal row_index, col_index, in_row, row_start, max_row, max_col, last_row_number
        nonlocal rows_ordered, cells_ordered, unordered, duplicate, previous_col, protected
        kind = kinds.get(name, 0)
        if kind == 0:
            kind = kind_of(name)
        if kind is None:
            return
        if kind == "c":
            r = attrs[1] if attrs and attrs[0] == "r" else attribute(attrs, "r")
            pos = parse_cell(r) if r is not None else None
            if pos is None:
                row, col = row_index + 1, col_index + 1
            else:
                row, col = pos
            col_index = col
            if row > max_row:
                max_row = row
            if col > max_col:
                max_col = col
            if positions is not None:
                key = row * (ZZZ + 1) + col  # parse_cell reads up to three letters: ZZZ
                if key in positions and duplicate is None:
                    duplicate = (row, col)
                positions.add(key)
            elif not in_row or row != row_start:
                if cells_ordered:
                    cells_ordered = False
                    unordered = (row, col, row_start, previous_col)
            elif col in row_cols:
                if duplicate is None:
                    duplicate = (row, col)
            else:
                if col <= previous_col and cells_ordered:
                    cells_ordered = False
                    unordered = (row, col, row, previous_col)
                row_cols.add(col)
            previous_col = col
        elif kind == "row":
            r = attribute(attrs, "r")
            if r is not None and r.strip().isdigit() and int(r) > 0:
                row_index = int(r) - 1
            number = row_index + 1
            if number <= last_row_number and rows_ordered:
                rows_ordered = False
                unordered = unordered or (number, 0, last_row_number, 0)
            last_row_number = max(last_row_number, number)
            row_start, in_row, col_index, previous_col = number, True, 0, 0
            row_cols.clear()
            if number > max_row:  # openpyxl pads rows up to the farthest row element
                max_row = number
        elif kind == "dimension":
            corner = _ref_corner(attribute(attrs, "ref") or "")
            if corner:  # openpyxl, the fallback reader, sizes its rows by the dimension
                max_row, max_col = max(max_row, corner[0]), max(max_col, corner[1])
        elif kind == "sheetProtection":
            protected = protected or _true(attribute(attrs, "sheet"))

    def end(name: str) -> None:
        nonlocal row_index, col_index, in_row
        if kinds.get(name) == "row":
            row_index += 1
            col_index = 0
            in_row = False

    def doctype(*_):
        raise _Doctype()

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    error = None
    try:
        parser.Parse(xml, True)
    except ExpatError as exc:
        from pyexpat import ErrorString

        error = (ErrorString(exc.code), exc.lineno, exc.offset + 1)
    except _Doctype:
        error = ("a document type declaration (DTD), which radit refuses", parser.CurrentLineNumber,
                 parser.CurrentColumnNumber + 1)
    return SheetShape(max_row, max_col, exact=True, plain=False, rows_ordered=rows_ordered,
                      cells_ordered=cells_ordered, unordered=unordered, duplicate=duplicate, error=error,
                      protected=protected)


# --- the guard -----------------------------------------------------------------------------------

_SHAPES: "OrderedDict[tuple[int, int], SheetShape]" = OrderedDict()  # the last few sheets, for the writer


def sheet_shape(xml: bytes, max_cells: int = DEFAULT_MAX_CELLS) -> SheetShape:
    """The shape of a sheet: the plain proof where it holds within `max_cells`, else the tokenizer's exact one.
    Kept for the last few sheets (by length and CRC-32), so evaluate's writer asks again at no cost."""
    key = (len(xml), zlib.crc32(xml))
    shape = _SHAPES.get(key)
    if shape is None or (not shape.exact and shape.cells > max_cells):
        shape = _plain(xml)
        if shape is None or shape.cells > max_cells:
            shape = _tokenized(xml)
            if shape.error is None and shape.duplicate is None and not (shape.rows_ordered and shape.cells_ordered):
                # out of order: a cell may be written twice in two places; look again, keeping every position
                again = _tokenized(xml, positions=set())
                shape = SheetShape(shape.rows, shape.columns, True, False, shape.rows_ordered,
                                   shape.cells_ordered, shape.unordered, again.duplicate, None, shape.protected)
        _SHAPES[key] = shape
        while len(_SHAPES) > 4:
            _SHAPES.popitem(last=False)
    return shape


def workbook_protected(xml: bytes) -> bool:
    """<workbookProtection lockStructure="1"> in xl/workbook.xml (a small part: read by the start-tag grammar,
    or by expat where a tag of that name does not follow it)."""
    tags = start_tags(xml, b"workbookProtection")
    if tags is None:
        found = []
        parser = ParserCreate()
        parser.ordered_attributes = True

        def start(name, attrs):
            if name.rpartition(":")[2] == "workbookProtection":
                found.append(dict(zip(attrs[::2], attrs[1::2])))

        parser.StartElementHandler = start
        try:
            parser.Parse(xml, True)
        except ExpatError:
            pass
        tags = found
    return any(_true(t.get("lockStructure")) for t in tags)
