"""Low-level .xlsx reading: package parts, sheet and table index, styles, and targeted scans of sheet XML bytes.

Values come from python-calamine (see workbook.model.book); what calamine cannot tell (formulas
without a cached value, percent number formats) comes from byte-level scans here, never from a
DOM over the sheet: a 45 MB sheet is searched with `bytes.find` and compiled regexes only.
"""
from __future__ import annotations

import re
from html import unescape
from pathlib import PurePosixPath
from typing import Iterable, NamedTuple

from engine.a1 import cell_name, parse_cell, split_range
from workbook.errors import WorkbookError
from workbook.reading.package import open_package, resolve_target  # noqa: F401  open_package: reader.open_package
from workbook.reading.sheetshape import DEFAULT_MAX_CELLS, SheetShape, sheet_shape, start_tags



# --- the package (zip) -------------------------------------------------------------------------

def part_names(package) -> set[str]:
    """The part names of a package object (a workbook.reading.package.Package, or anything with names())."""
    return set(package.names())


def _target(package, source_part: str, target: str) -> str:
    """A relationship target as the package member holding it: through Package.target, the one resolution the
    writer's PackageEdit uses too (a package-like object without it: the same resolution, as a name)."""
    resolve = getattr(package, "target", None)
    return resolve(source_part, target) if resolve is not None else resolve_target(source_part, target)


# --- the index of sheets, tables and styles ----------------------------------------------------

class SheetEntry(NamedTuple):  # not a dataclass: defining one costs ~0.5 ms of every start
    name: str
    part: str  # e.g. xl/worksheets/sheet1.xml


class TableEntry(NamedTuple):  # not a dataclass: defining one costs ~0.5 ms of every start
    name: str
    sheet: str
    ref: str
    first_row: int  # the header row when header_rows == 1
    first_col: int
    last_row: int
    last_col: int
    header_rows: int
    columns: tuple[str, ...]


class BookIndex(NamedTuple):  # not a dataclass: defining one costs ~0.5 ms of every start
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
        raise WorkbookError(path, "bad-xml")
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
    rels_name = _target(package, part, "_rels/" + PurePosixPath(part).name + ".rels")
    if rels_name not in names:
        return {}
    out = {}
    for rel in _elements(path, package.read(rels_name), "Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        out[rel.get("Id", "")] = _target(package, part, rel.get("Target", ""))
    return out


def _native_targets(path: str, package, names: set[str]) -> dict[str, str]:
    """rId -> the member python-calamine reads for a sheet: not OPC's resolution but its own ('/xl/…' and 'xl/…'
    as they are, anything else under 'xl/'), looked up by its exact name."""
    rels_name = _target(package, "xl/workbook.xml", "_rels/workbook.xml.rels")
    if rels_name not in names:
        return {}
    out = {}
    for rel in _elements(path, package.read(rels_name), "Relationship"):
        target = rel.get("Target", "")
        out[rel.get("Id", "")] = target[1:] if target.startswith("/xl/") else target if target.startswith("xl/") else "xl/" + target
    return out


def split_ref(ref: str) -> tuple[int, int, int, int]:
    """'B3:V28' -> (first_row, first_col, last_row, last_col); a single cell gives a 1×1 area. A corner past the
    sheet's edge is kept as written (a table's ref reaching row 2 000 000 is read up to its data)."""
    return split_range(ref, bounded=False)


def read_index(path: str, package) -> BookIndex:
    names = part_names(package)
    if "xl/workbook.xml" not in names:
        raise WorkbookError(path, "not-a-workbook")
    rels = _rels(path, package, names, "xl/workbook.xml")
    native = _native_targets(path, package, names)
    sheets = []
    for el in _elements(path, package.read("xl/workbook.xml"), "sheet"):
        part = rels.get(el.get("id", ""))
        if part and part in names:
            theirs = native.get(el.get("id", ""))
            if theirs in names and theirs != part:  # calamine would read another member than the one radit checks
                raise WorkbookError(path, "duplicate-part", template="duplicate-part.native", first=part, second=theirs)
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
_R_ATTR = re.compile(rb'''\sr\s*=\s*["']([A-Z]{1,3}\d{1,7})["']''')  # either quote, as XML allows
_T_ATTR = re.compile(rb'''\st\s*=\s*["']([a-zA-Z]+)["']''')
_V_VALUE = re.compile(rb"<v(?:\s[^>]*)?>([^<]*)</v>")
_F_TEXT = re.compile(rb"<f(?:\s[^>]*)?>([^<]*)</f>")


class FormulaCell(NamedTuple):  # not a dataclass: defining one costs ~0.5 ms of every start
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
        where = parse_cell(r.group(1)) if r else _position_without_r(xml, start)
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
    pattern = re.compile(rb'''\ss\s*=\s*["'](?:''' + b"|".join(str(s).encode() for s in styles) + rb''')["']''')
    out = set()
    for m in pattern.finditer(xml):
        start = xml.rfind(b"<", 0, m.start())
        if xml[start:start + 2] != b"<c" or xml[start + 2:start + 3] not in (b" ", b"\t", b"\n", b"\r"):
            continue
        r = _R_ATTR.search(xml, start, xml.find(b">", m.end()) + 1)
        where = parse_cell(r.group(1)) if r else _position_without_r(xml, start)
        if where:
            out.add(where)
    return out


def merged_ranges(xml: bytes) -> list[tuple[tuple[int, int], tuple[int, int]]] | None:
    """The sheet's merged ranges (<mergeCell ref="N1:O1"/>) as python-calamine gives them, 0-based corners; None
    where a mergeCell tag does not follow XML's start-tag grammar as radit reads it."""
    tags = start_tags(xml, b"mergeCell")
    if tags is None:
        return None
    out = []
    for tag in tags:
        try:
            r1, c1, r2, c2 = split_ref(tag.get("ref", ""))
        except ValueError:
            continue
        out.append(((r1 - 1, c1 - 1), (r2 - 1, c2 - 1)))
    return out


_ROW_R = re.compile(rb'<row[^>]*?\sr="(\d{1,7})"')


def check_extent(path: str, sheet: str, xml: bytes, limits=None) -> SheetShape:
    """Refuse, at its sheet and cell, a sheet a reader could not hold: one reaching farther than the cell cap (the
    farthest cell, row or <dimension>, however its XML is spelled: workbook.reading.sheetshape), one that is not
    well-formed XML, one that writes a cell twice. Called before python-calamine reads the sheet."""
    from engine.findings import Location

    cap = getattr(limits, "max_cells", None) or DEFAULT_MAX_CELLS
    shape = sheet_shape(xml, cap)
    if shape.error is not None:
        reason, line, column = shape.error
        raise WorkbookError(path, "unreadable", location=Location(sheet=sheet), template="unreadable.xml",
                            reason=reason, line=line, column=column)
    if shape.cells > cap:
        rows, cols = shape.far
        raise WorkbookError(path, "too-large", location=Location(sheet=sheet, row=rows, column=cols), template="too-large.sheet",
                            rows=rows, columns=cols, cells=rows * cols, limit=cap, far=cell_name(rows, cols))
    if shape.duplicate is not None:
        row, col = shape.duplicate
        raise WorkbookError(path, "duplicate-cell", location=Location(sheet=sheet, row=row, column=col),
                            cell=cell_name(row, col))
    return shape
