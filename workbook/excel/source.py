"""The Excel add-in's source of the model: an open xlwings Book's sheets as grids anchored at A1.

Only calls every xlwings engine supports (Lite, server, classic): sheet names, `used_range` values, the Excel
tables' header and body ranges, the book's full name. The remote engines cannot read number formats or tell a
formula without a value, so `percent_cells` and `no_value` are None: the model then applies its rule by value and
says so (see workbook.model.rows).
"""
from __future__ import annotations

import os
from typing import Any

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
            self._cache[name] = SheetGrid(name, _values(self.sheets[name]), percent_cells=None, no_value=None)
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
        ref = f"{_a1(first_row, first_col)}:{_a1(last_row, last_col)}"
        out.append(TableInfo(str(table.name), name, ref, first_row, first_col, last_row, last_col, 1, ()))
    return out


def _a1(row: int, col: int) -> str:
    from engine.findings import column_letter

    return f"{column_letter(col)}{row}"


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
