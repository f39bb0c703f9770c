"""The Excel add-in's source of the model: an open xlwings Book's sheets as grids anchored at A1.

Calls every xlwings engine supports (Lite, server, classic): sheet names, `used_range` values, the Excel tables'
header and body ranges, the book's full name. The remote engines cannot read number formats or tell a formula
without a value, so `percent_cells` and `no_value` are None: the model then applies its rule by value and says so
(see workbook.model.rows). Merged cells: the classic engine (Excel on the desktop) answers `Range.merge_cells` and
`merge_area`, so the merged ranges are found (`_merged`); the remote engines answer them only asynchronously
(xlwings Lite's `await get_merge_area()`), which a synchronous source cannot wait for, so `merged` is None there
and the model cannot name a merged header: it refuses such a book by the columns the merge hides (`no-year-columns`,
`missing-column`) where the headless route says `merged-header`.
"""
from __future__ import annotations

import os
from typing import Any

from engine.a1 import range_name
from workbook.model.grid import SheetGrid, TableInfo
from workbook.model.rule_choice import EMBEDDED_SHEET


class XlwingsSource:
    def __init__(self, book: Any):
        self.book = book
        self.sheets = {sheet.name: sheet for sheet in book.sheets}
        self.path = _name(book)
        self.book_dir = _book_dir(book)
        self._cache: dict[str, SheetGrid] = {}
        self._tables: list[TableInfo] | None = None

    def sheet_names(self) -> list[str]:
        return list(self.sheets)

    def tables(self) -> list[TableInfo]:
        if self._tables is None:
            self._tables = [t for name, sheet in self.sheets.items() for t in _tables(name, sheet)]
        return self._tables

    def grid(self, name: str) -> SheetGrid:
        if name not in self._cache:
            sheet = self.sheets[name]
            self._cache[name] = SheetGrid(name, _values(sheet), percent_cells=None, no_value=None, merged=_merged(sheet))
        return self._cache[name]

    def take(self, name: str) -> SheetGrid:
        return self.grid(name)


def _values(sheet: Any) -> list[list[Any]]:
    """The sheet's used range as rows from A1: the rows above it and the columns left of it padded with None."""
    rng = sheet.used_range
    values = rng.options(ndim=2).value or [[]]
    top, left = rng.row, rng.column
    pad = [None] * (left - 1)
    rows = [[None] for _ in range(top - 1)]
    rows += [pad + list(row) for row in values]
    return rows


def _merged(sheet: Any) -> list[tuple[tuple[int, int], tuple[int, int]]] | None:
    """The merged ranges of the sheet's used range, 0-based corners as python-calamine gives them; None where the
    engine cannot tell synchronously (the remote engines raise NotImplementedError).

    One call when nothing is merged (`merge_cells` is False, True or None for a partly merged range); else the
    range is halved until the cells that are merged are found, each giving its whole `merge_area`: a few dozen calls
    per merged range, not one per cell."""
    try:
        used = sheet.used_range
        if used.merge_cells is False:
            return []
        last = used.last_cell
        whole = (used.row, used.column, last.row, last.column)
        found: list[tuple[int, int, int, int]] = []  # 1-based first row, first column, last row, last column
        pending = [whole]
        while pending:
            r1, c1, r2, c2 = pending.pop()
            if any(a <= r1 and r2 <= b and c <= c1 and c2 <= d for a, c, b, d in found):
                continue  # inside a merged range already found
            if (r1, c1, r2, c2) != whole and sheet.range((r1, c1), (r2, c2)).merge_cells is False:
                continue
            if r1 == r2 and c1 == c2:
                area = sheet.range((r1, c1)).merge_area
                end = area.last_cell
                found.append((area.row, area.column, end.row, end.column))
            elif r2 - r1 >= c2 - c1:
                mid = (r1 + r2) // 2
                pending += [(mid + 1, c1, r2, c2), (r1, c1, mid, c2)]
            else:
                mid = (c1 + c2) // 2
                pending += [(r1, mid + 1, r2, c2), (r1, c1, r2, mid)]
    except Exception:  # NotImplementedError: an engine that cannot tell (xlwings Lite, the server)
        return None
    return [((a - 1, c - 1), (b - 1, d - 1)) for a, c, b, d in found]


def _tables(name: str, sheet: Any) -> list[TableInfo]:
    if name == EMBEDDED_SHEET:
        return []
    try:
        tables = list(sheet.tables)
    except Exception:  # an engine without Excel-table support: the model searches the header row instead
        return []
    out = []
    for table in tables:
        header, body = table.header_row_range, table.data_body_range
        if header is None:
            continue
        last = body.last_cell if body is not None else header.last_cell
        first_row, first_col = header.row, header.column
        last_row, last_col = last.row, header.last_cell.column
        ref = range_name(first_row, first_col, last_row, last_col)
        out.append(TableInfo(str(table.name), name, ref, first_row, first_col, last_row, last_col, 1, ()))
    return out


def _name(book: Any) -> str:
    try:
        return str(book.name)
    except Exception:  # an engine that names no book
        return "workbook"


def _book_dir(book: Any) -> str | None:
    """The workbook's folder where the runtime has a file system path for it (classic), else None (Lite, server)."""
    try:
        full = book.fullname
    except Exception:  # remote engines: a name, not a path
        return None
    return os.path.dirname(full) if full and os.path.isabs(full) else None
