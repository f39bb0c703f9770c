"""How far a worksheet's cells reach, as an XML tokenizer reads it: the guard in front of python-calamine.

python-calamine allocates the rectangle up to the farthest cell (one cell declared at XFD1048576 asks for 17
billion and aborts the process), and openpyxl, its fallback, pads rows up to the farthest row and `<dimension>`.
So before either parses a sheet, radit finds how far any of them could reach, following XML's grammar: quotes
of either kind, any whitespace, character references, namespace prefixes, rows out of order, cells without `r`
(their position implied by order, as calamine and openpyxl both follow it), the `<dimension ref>`.

Two ways to the same answer, the cheap one first:

- the plain proof (a few compiled-regex passes, ~2.8× the cost of the former pattern): in the spelling every
  spreadsheet program writes, each `<c` start tag opens with `r="A1"` and holds no second `r`, each `<row` opens
  with `r="N"`, no row or cell carries a namespace prefix, and the rows ascend. Those facts are checked on every
  `<c`/`<row` in the bytes (a comment or CDATA section can add a false match, never hide a tag), and then the
  farthest cell is one of the few references with two or three letters or six or seven digits;
- anything else (and any sheet the proof would put over the cap) is tokenized by expat, following positions as
  calamine does; that also finds cells written twice and rows or cells out of order.
"""
from __future__ import annotations

import re
import zlib
from collections import OrderedDict
from dataclasses import dataclass
from pyexpat import ExpatError, ParserCreate

DEFAULT_MAX_CELLS = 12_000_000  # rows × columns python-calamine may allocate for one sheet (~32 bytes each)
MAX_COLUMN = 16384  # XFD
_NEAR_ROWS, _NEAR_COLUMNS = 99_999, 26  # what a reference of one letter and at most five digits can reach


@dataclass(frozen=True, slots=True)
class SheetShape:
    """What the guard learnt about one sheet's XML. `rows` × `columns` bounds what a reader allocates."""

    rows: int
    columns: int
    exact: bool  # tokenized (True), or bounded by the plain proof (False: rows/columns are then upper bounds)
    plain: bool  # every <c>/<row> in the plain spelling above, rows ascending
    rows_ordered: bool
    cells_ordered: bool | None  # None: not looked at (the plain proof does not visit every cell)
    unordered: tuple[int, int, int, int] | None = None  # (row, column, previous row, previous column) where order breaks
    duplicate: tuple[int, int] | None = None  # the first cell written twice (tokenized only)
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

_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,9})")
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


def letters_to_column(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


_COLUMNS: dict[str, int] = {}  # 'AB' -> 28: the few column letters of a sheet recur on every row


def parse_ref(text: str) -> tuple[int, int] | None:
    """'AB12' (or 'ab12', '$A$1') -> (12, 28); None when it is no cell reference."""
    letters = text.rstrip("0123456789")
    col = _COLUMNS.get(letters)
    if col is not None and len(text) - len(letters) <= 9 and len(text) > len(letters):
        return int(text[len(letters):]), col
    m = _REF.fullmatch(text.strip())
    if m is None:
        return None
    col = letters_to_column(m.group(1))
    if m.group(0) == text and letters.isupper() and len(_COLUMNS) < 20000:
        _COLUMNS[letters] = col
    return int(m.group(2)), col


def _ref_corner(ref: str) -> tuple[int, int] | None:
    """The far corner of a range such as 'A1:XFD1048576' (or of a single cell)."""
    corners = [parse_ref(p) for p in ref.split(":") if p.strip()]
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

# A <c start tag that is not `<c r="A1"` with one letter, at most five digits, then attributes other than r.
_ODD_CELL = re.compile(rb'<c(?! r="[A-Z][0-9]{1,5}"(?: (?!r=)[\w:.-]+="[^"<]*")* ?/?>)[\t\n\r /> ]')
_PLAIN_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"(?: (?!r=)[\w:.-]+="[^"<]*")* ?/?>')
_ROW = re.compile(rb'<row(?: r="([0-9]{1,7})"|[\t\n\r /> ])')
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


def _plain(xml: bytes) -> SheetShape | None:
    """The bound by the plain proof, or None where the sheet is not in the plain spelling."""
    if not _ascii_compatible(xml) or _PREFIXED.search(xml):
        return None
    rows = cols = 0
    for m in _ODD_CELL.finditer(xml):
        plain = _PLAIN_CELL.match(xml, m.start())
        if plain is None:
            return None
        rows, cols = max(rows, int(plain.group(2))), max(cols, letters_to_column(plain.group(1).decode()))
    numbers = _ROW.findall(xml)
    if b"" in numbers:
        return None
    row_numbers = list(map(int, numbers))
    if any(a >= b for a, b in zip(row_numbers, row_numbers[1:])):
        return None  # rows out of order: the tokenizer looks for cells written twice
    if row_numbers:
        rows = max(rows, row_numbers[-1])
    # <dimension> precedes <sheetData> (calamine and openpyxl read it only there), <sheetProtection> follows it
    first, last = xml.find(b"sheetData"), xml.rfind(b"sheetData")
    dims = start_tags(xml[:first] if first >= 0 else xml, b"dimension", limit=4)
    protection = start_tags(xml[last:] if last >= 0 else xml, b"sheetProtection", limit=4)
    if dims is None or protection is None:
        return None
    for d in dims:
        corner = _ref_corner(d.get("ref", ""))
        if corner:
            rows, cols = max(rows, corner[0]), max(cols, corner[1])
    # every other cell is a near one: one letter, at most five digits
    rows, cols = max(rows, _NEAR_ROWS if xml.find(b'<c r="') >= 0 else 0), max(cols, _NEAR_COLUMNS)
    return SheetShape(rows, cols, exact=False, plain=True, rows_ordered=True, cells_ordered=None,
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
            pos = parse_ref(r) if r is not None else None
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
                key = row * (MAX_COLUMN + 1) + col
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
