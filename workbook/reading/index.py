"""Low-level .xlsx reading: package parts, sheet and table index, styles, and targeted scans of sheet XML bytes.

Values come from python-calamine (see workbook.model.book); what calamine cannot tell (formulas
without a cached value, percent number formats) comes from byte-level scans here, never from a
DOM over the sheet: a 45 MB sheet is searched with `bytes.find` and compiled regexes only.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from html import unescape
from pathlib import PurePosixPath
from typing import Iterable

from engine.errors import WorkbookError



# --- the package (zip) -------------------------------------------------------------------------

@dataclass(frozen=True)
class FallbackLimits:
    """Caps used until workbook.reading.package lands; the same meaning as workbook.reading.package.Limits."""

    max_total_uncompressed: int = 1 << 30
    max_part_uncompressed: int = 512 << 20
    max_ratio: int = 200
    max_cells: int = 20_000_000


def open_parts(path: str, limits=None):
    """The workbook's zip package, behind the guards of workbook.reading.package when it is there."""
    try:
        from workbook.reading.package import open_package  # the HOSTILE engineer's guarded reader
    except ImportError:
        return _FallbackPackage(path, limits or FallbackLimits())
    try:
        package = open_package(path, limits=limits) if limits is not None else open_package(path)
    except TypeError:  # a limits object of the fallback's kind, or another signature
        package = open_package(path)
    if callable(getattr(package, "read", None)) and any(hasattr(package, a) for a in ("names", "namelist", "part_names", "zip")):
        return package
    # Its guards have passed; read the parts through the fallback's zip access.
    close = getattr(package, "close", None)
    if callable(close):
        close()
    return _FallbackPackage(path, FallbackLimits())


class _FallbackPackage:
    """Minimal type sniffing and size caps, used only while workbook.reading.package is absent."""

    def __init__(self, path: str, limits: FallbackLimits):
        self.path = str(path)
        self.limits = limits
        try:
            with open(path, "rb") as fh:
                head = fh.read(8)
        except FileNotFoundError:
            raise WorkbookError(path, "not-found", "no such file") from None
        except IsADirectoryError:
            raise WorkbookError(path, "not-a-file", "is a directory") from None
        except OSError as exc:
            raise WorkbookError(path, "unreadable", f"cannot open the file: {exc.strerror or exc}") from None
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            with open(path, "rb") as fh:  # the compound file's directory names its streams in UTF-16
                blob = fh.read(1 << 20)
                fh.seek(max(0, fh.seek(0, 2) - (1 << 20)))
                blob += fh.read()
            if "EncryptionInfo".encode("utf-16-le") in blob or "EncryptedPackage".encode("utf-16-le") in blob:
                raise WorkbookError(path, "encrypted", "the workbook is password-protected (encrypted)")
            raise WorkbookError(path, "legacy-xls", "an old binary .xls workbook: save it as .xlsx")
        if not head.startswith(b"PK"):
            raise WorkbookError(path, "not-a-zip", "not an Excel .xlsx/.xlsm file (not a zip package)")
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, EOFError, OSError):
            raise WorkbookError(path, "truncated", "the file is damaged or truncated (the zip directory is unreadable)") from None
        total = 0
        for info in self.zip.infolist():
            total += info.file_size
            if info.file_size > limits.max_part_uncompressed or total > limits.max_total_uncompressed:
                raise WorkbookError(path, "too-large", f"the workbook unpacks to more than radit's limit ({info.filename})")
            if info.compress_size and info.file_size > 1 << 20 and info.file_size / info.compress_size > limits.max_ratio:
                raise WorkbookError(path, "zip-bomb", f"the part {info.filename} inflates suspiciously ({info.file_size} bytes)")
        self._names = set(self.zip.namelist())

    def names(self) -> set[str]:
        return self._names

    def read(self, name: str) -> bytes:
        try:
            return self.zip.read(name)
        except KeyError:
            raise WorkbookError(self.path, "missing-part", f"the package has no part {name}") from None
        except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
            raise WorkbookError(self.path, "truncated", f"the part {name} is damaged: {exc}") from None

    def close(self) -> None:
        self.zip.close()


def part_names(package) -> set[str]:
    """The part names of a package object, whichever spelling its class uses."""
    for attr in ("names", "namelist", "part_names"):
        names = getattr(package, attr, None)
        if callable(names):
            return set(names())
        if names is not None:
            return set(names)
    return set(package.zip.namelist())


# --- the index of sheets, tables and styles ----------------------------------------------------

@dataclass(frozen=True, slots=True)
class SheetEntry:
    name: str
    part: str  # e.g. xl/worksheets/sheet1.xml


@dataclass(frozen=True, slots=True)
class TableEntry:
    name: str
    sheet: str
    ref: str
    first_row: int  # the header row when header_rows == 1
    first_col: int
    last_row: int
    last_col: int
    header_rows: int
    columns: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class BookIndex:
    sheets: tuple[SheetEntry, ...]
    tables: tuple[TableEntry, ...]
    percent_styles: frozenset[int]

    def sheet(self, name: str) -> SheetEntry | None:
        return next((s for s in self.sheets if s.name == name), None)


_ATTR = re.compile(r"""([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _elements(path: str, data: bytes, name: str) -> list[dict[str, str]]:
    """The attributes of every <name …> element of a small package part, any namespace prefix.

    A regex, not a parser: these parts (workbook, relationships, tables, styles) are read for a few
    attributes, ten times faster than ElementTree, and nothing here ever expands an entity. Office
    never writes a DTD, so a part that declares one is refused outright.
    """
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise WorkbookError(path, "bad-xml", "a part of the workbook declares a DTD or entities, which radit refuses")
    text = data.decode("utf-8", "replace")
    out = []
    for m in re.finditer(r"<(?:[\w.-]+:)?" + re.escape(name) + r"(?=[\s/>])([^>]*)>", text):
        attrs = {}
        for key, v1, v2 in _ATTR.findall(m.group(1)):
            value = unescape(v1 if v1 or not v2 else v2)
            attrs[key] = value
            if ":" in key and not key.startswith("xmlns"):
                attrs.setdefault(key.split(":", 1)[1], value)  # r:id is also 'id' (a sheet has no plain id)
        out.append(attrs)
    return out


def _rels(path: str, package, names: set[str], part: str) -> dict[str, str]:
    """rId -> target part name for the relationships of `part`."""
    p = PurePosixPath(part)
    rels_name = str(p.parent / "_rels" / (p.name + ".rels"))
    if rels_name not in names:
        return {}
    out = {}
    for rel in _elements(path, package.read(rels_name), "Relationship"):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External":
            continue
        if target.startswith("/"):
            full = target[1:]
        else:
            parts: list[str] = []
            for piece in (str(p.parent) + "/" + target).split("/"):
                if piece == "..":
                    if parts:
                        parts.pop()
                elif piece and piece != ".":
                    parts.append(piece)
            full = "/".join(parts)
        out[rel.get("Id", "")] = full
    return out


def split_ref(ref: str) -> tuple[int, int, int, int]:
    """'B3:V28' -> (first_row, first_col, last_row, last_col); a single cell gives a 1×1 area."""
    a, _, b = ref.replace("$", "").partition(":")
    r1, c1 = cell_position(a)
    r2, c2 = cell_position(b or a)
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


_CELL = re.compile(r"([A-Za-z]{1,3})(\d{1,7})$")


def cell_position(ref: str) -> tuple[int, int]:
    m = _CELL.match(ref.strip())
    if not m:
        raise ValueError(f"not a cell reference: {ref!r}")
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


def read_index(path: str, package) -> BookIndex:
    names = part_names(package)
    if "xl/workbook.xml" not in names:
        raise WorkbookError(path, "not-a-workbook", "the zip package holds no Excel workbook (xl/workbook.xml)")
    rels = _rels(path, package, names, "xl/workbook.xml")
    sheets = []
    for el in _elements(path, package.read("xl/workbook.xml"), "sheet"):
        part = rels.get(el.get("id", ""))
        if part and part in names:
            sheets.append(SheetEntry(el.get("name", ""), part))
    tables = []
    for sheet in sheets:
        for target in _rels(path, package, names, sheet.part).values():
            if "/tables/" not in target or target not in names:
                continue
            data = package.read(target)
            found = _elements(path, data, "table")
            if not found:
                continue
            t = found[0]
            try:
                r1, c1, r2, c2 = split_ref(t.get("ref", ""))
            except ValueError:
                continue
            cols = tuple(c.get("name", "") for c in _elements(path, data, "tableColumn"))
            totals = int(t["totalsRowCount"]) if t.get("totalsRowCount", "").isdigit() else 0
            header_rows = int(t["headerRowCount"]) if t.get("headerRowCount", "").isdigit() else 1
            tables.append(TableEntry(t.get("displayName") or t.get("name", ""), sheet.name, t.get("ref", ""),
                                     r1, c1, r2 - totals, c2, header_rows, cols))  # a totals row is no indicator
    percent: set[int] = set()
    if "xl/styles.xml" in names:
        percent = percent_style_ids(path, package.read("xl/styles.xml"))
    return BookIndex(tuple(sheets), tuple(tables), frozenset(percent))


_BUILTIN_PERCENT = {9, 10}


def _is_percent_format(code: str) -> bool:
    """True when a number format shows a percentage: a % outside quotes, escapes and [..] sections."""
    code = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", code)
    return "%" in code.split(";")[0]


def percent_style_ids(path: str, styles: bytes) -> set[int]:
    """Indices into cellXfs (the s="N" of a cell) whose number format is a percentage."""
    custom = {int(f["numFmtId"]): f.get("formatCode", "") for f in _elements(path, styles, "numFmt") if f.get("numFmtId", "").isdigit()}
    percent_fmts = _BUILTIN_PERCENT | {i for i, code in custom.items() if _is_percent_format(code)}
    m = re.search(rb"<(?:[\w.-]+:)?cellXfs[\s>].*?</(?:[\w.-]+:)?cellXfs>", styles, re.S)
    if not m:
        return set()
    xfs = _elements(path, m.group(0), "xf")
    return {i for i, xf in enumerate(xfs) if xf.get("numFmtId", "0").isdigit() and int(xf.get("numFmtId", "0")) in percent_fmts}


# --- targeted scans of sheet XML bytes ---------------------------------------------------------

_F_TAG = re.compile(rb"<f[ >/]")
_R_ATTR = re.compile(rb'\sr="([A-Z]{1,3})(\d{1,7})"')
_T_ATTR = re.compile(rb'\st="([a-zA-Z]+)"')
_V_VALUE = re.compile(rb"<v(?:\s[^>]*)?>([^<]*)</v>")
_F_TEXT = re.compile(rb"<f(?:\s[^>]*)?>([^<]*)</f>")


def column_number(letters: bytes) -> int:
    """b"AB" -> 28 (upper-case letters, as sheet XML writes them)."""
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


@dataclass(frozen=True, slots=True)
class FormulaCell:
    row: int
    column: int
    formula: str


def formulas_without_value(xml: bytes) -> list[FormulaCell]:
    """Cells holding a formula but no cached value (`<v/>`, `<v></v>` or no <v> at all).

    A string formula (t="str") with an empty <v></v> has a value, the empty text, so it is not one.
    """
    found = []
    pos = 0
    while True:
        m = _F_TAG.search(xml, pos)
        if not m:
            return found
        start = max(xml.rfind(b"<c ", 0, m.start()), xml.rfind(b"<c>", 0, m.start()))
        end = xml.find(b"</c>", m.end())
        pos = m.end()
        if start < 0 or end < 0:
            continue
        tag_end = xml.find(b">", start)
        tag = xml[start:tag_end]
        r = _R_ATTR.search(tag)
        where = (int(r.group(2)), column_number(r.group(1))) if r else _position_without_r(xml, start)
        if where is None:
            continue
        body = xml[tag_end + 1:end]
        v = _V_VALUE.search(body)
        t = _T_ATTR.search(tag)
        has_value = v is not None and (v.group(1) != b"" or (t is not None and t.group(1) == b"str"))
        if not has_value:
            ftext = _F_TEXT.search(body)
            formula = "=" + unescape(ftext.group(1).decode("utf-8", "replace")) if ftext else "(shared formula)"
            found.append(FormulaCell(where[0], where[1], formula))
        pos = end


def _position_without_r(xml: bytes, start: int) -> tuple[int, int] | None:
    """(row, column) of a cell written without r="A1" (allowed): rows and cells then count from the last given."""
    row_start = xml.rfind(b"<row", 0, start)
    if row_start < 0:
        return None
    m = _ROW_R.match(xml, row_start)
    row = int(m.group(1)) if m else xml.count(b"<row", 0, start)  # rare: rows without r as well
    return row, xml.count(b"<c ", row_start, start) + xml.count(b"<c>", row_start, start) + 1


def cells_with_styles(xml: bytes, styles: Iterable[int]) -> set[tuple[int, int]]:
    """(row, column) of every cell whose s="N" is one of `styles` (e.g. the percent formats)."""
    styles = sorted(set(styles))
    if not styles:
        return set()
    pattern = re.compile(rb'\ss="(?:' + b"|".join(str(s).encode() for s in styles) + rb')"')
    out = set()
    for m in pattern.finditer(xml):
        start = xml.rfind(b"<", 0, m.start())
        if xml[start:start + 3] != b"<c ":
            continue
        r = _R_ATTR.search(xml, start, xml.find(b">", m.end()) + 1)
        where = (int(r.group(2)), column_number(r.group(1))) if r else _position_without_r(xml, start)
        if where:
            out.add(where)
    return out


_FAR_REF = re.compile(rb' r="(?:[A-Z]{2,3}\d|[A-Z]\d{6})')
_REF_AT = re.compile(rb"([A-Z]{1,3})(\d{1,7})")
_ROW_R = re.compile(rb'<row[^>]*?\sr="(\d{1,7})"')
DEFAULT_MAX_CELLS = 12_000_000  # rows × columns python-calamine may allocate for one sheet (~32 bytes each)


def sheet_extent(xml: bytes) -> tuple[int, int]:
    """An upper bound of (rows, columns) python-calamine will allocate for this sheet.

    calamine allocates the rectangle up to the farthest cell, so one cell declared at XFD1048576
    asks for 17 billion cells and aborts the process; this is checked first, in one regex pass
    that only stops at references with a two- or three-letter column or a six-digit row.
    """
    max_row, max_col = 0, 26
    last = xml.rfind(b"<row ")
    if last >= 0:
        m = _ROW_R.match(xml, last)
        if m:
            max_row = int(m.group(1))
    for m in _FAR_REF.finditer(xml):
        ref = _REF_AT.match(xml, m.start() + 4)
        if ref:
            max_col = max(max_col, column_number(ref.group(1)))
            max_row = max(max_row, int(ref.group(2)))
    return max_row, max_col


def check_extent(path: str, sheet: str, xml: bytes, limits=None) -> None:
    cap = getattr(limits, "max_cells", None) or DEFAULT_MAX_CELLS
    rows, cols = sheet_extent(xml)
    if rows * cols > cap:
        raise WorkbookError(path, "too-large", f"the sheet {sheet!r} spans {rows} rows × {cols} columns, "
                                               f"more than radit's limit of {cap} cells")
