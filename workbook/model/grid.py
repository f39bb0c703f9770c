"""What a source hands the model: sheets as grids of cell values anchored at A1, plus what it can tell about cells.

Two sources fill these: the headless reader (python-calamine over the guarded package, and the package scans
for what calamine cannot see) and the Excel add-in (xlwings values). Neither decides anything: every decision
is the model's (workbook.model.book). Where a source cannot know something it says so with None, never a guess:
xlwings' remote engines cannot see number formats nor merged cells, so `percent_cells` and `merged` are None there.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, NamedTuple, Protocol, Sequence


@dataclass(slots=True)
class SheetGrid:
    """One sheet's values: rows[0][0] is A1 (a source pads a used range that starts further in); "" or None is empty."""

    name: str
    rows: list[list[Any]]
    # (row, col) 1-based of number cells shown as a percentage; None when the source cannot see number formats
    percent_cells: set[tuple[int, int]] | None = None
    # (row, col) -> formula text, for formula cells that have no calculated value; None when the source cannot tell
    no_value: Mapping[tuple[int, int], str] | None = None
    # merged ranges as ((first row, first col), (last row, last col)), 0-based as python-calamine gives them; None when
    # the source cannot see merged cells (xlwings' remote engines: Lite and the server)
    merged: Sequence[tuple[tuple[int, int], tuple[int, int]]] | None = field(default_factory=list)

    def cell(self, row: int, col: int | None) -> Any:
        """The value at a 1-based (row, col), None when empty or outside the grid."""
        if col is None or row < 1 or col < 1 or row > len(self.rows):
            return None
        line = self.rows[row - 1]
        if col > len(line):
            return None
        v = line[col - 1]
        return None if v == "" else v


class TableInfo(NamedTuple):  # not a dataclass: defining one costs ~0.5 ms of every start
    """An Excel table (ListObject) as the source declares it: 1-based bounds, the header row first."""

    name: str
    sheet: str
    ref: str
    first_row: int
    first_col: int
    last_row: int
    last_col: int
    header_rows: int = 1
    columns: tuple[str, ...] = ()


class BookSource(Protocol):
    """A master workbook as the model reads it, from a file or from an open Excel book."""

    path: str  # the name locations carry: the file's path, or the open book's name
    book_dir: str | None  # the folder a relative rule-file name is looked up in (None: the runtime has none)

    def sheet_names(self) -> list[str]: ...

    def tables(self) -> list[TableInfo]: ...

    def grid(self, name: str) -> SheetGrid: ...

    def take(self, name: str) -> SheetGrid:
        """grid(name), no longer kept by the source (the caller frees it once its columns are read)."""
        ...
