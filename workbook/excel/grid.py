"""Read the master workbook's indicator table and settings from a 2-D grid of cell values (pure, no xlwings)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from workbook.model.vocabulary import SETTINGS, normalise_header
from workbook.model.header import locate_columns

# A header row must name at least these fields to count as the indicator table's header.
REQUIRED_FIELDS = ("id", "unit")
HEADER_SCAN_ROWS = 30  # the header sits near the top; never scan a whole sheet for it


@dataclass(frozen=True)
class TableLayout:
    """Where the indicator table sits in the grid: 0-based rows/columns relative to the grid's top-left."""

    header_row: int
    first_row: int
    last_row: int  # inclusive; first_row - 1 when the table has no data rows
    columns: Mapping[str, int] = field(default_factory=dict)  # field -> 0-based column
    year_columns: Mapping[tuple[str, int], int] = field(default_factory=dict)
    findings: tuple[Any, ...] = ()  # header findings (duplicate-column), column 0-based, no sheet/row yet

    @property
    def row_count(self) -> int:
        return self.last_row - self.first_row + 1

    def years(self, kind: str) -> tuple[int, ...]:
        return tuple(sorted(year for (k, year) in self.year_columns if k == kind))


def locate_header(header: Sequence[Any]) -> tuple[dict[str, int], dict[tuple[str, int], int]]:
    """Map a header row's cells to fields and (kind, year) 0-based columns; the first occurrence wins."""
    layout = locate_columns(list(header), first_column=0)
    return dict(layout.columns), dict(layout.year_columns)


def find_table(grid: Sequence[Sequence[Any]]) -> TableLayout | None:
    """The indicator table in `grid`: the first row naming id and unit is its header; data runs to the last id."""
    for r, row in enumerate(grid[:HEADER_SCAN_ROWS]):
        located = locate_columns(list(row), first_column=0)
        columns, years = dict(located.columns), dict(located.year_columns)
        if all(name in columns for name in REQUIRED_FIELDS):
            id_col = columns["id"]
            last = r
            for rr in range(r + 1, len(grid)):
                if not _blank(_cell(grid, rr, id_col)):
                    last = rr
            return TableLayout(header_row=r, first_row=r + 1, last_row=last, columns=columns, year_columns=years,
                               findings=located.findings)
    return None


def read_settings(grid: Sequence[Sequence[Any]]) -> dict[str, Any]:
    """Settings sheet: label in column A, value in column B; either language; unknown labels ignored."""
    index = {normalise_header(label): name for name, labels in SETTINGS.items() for label in labels}
    found: dict[str, Any] = {}
    for row in grid:
        if not row:
            continue
        name = index.get(normalise_header(row[0]))
        if name and name not in found:
            found[name] = row[1] if len(row) > 1 else None
    return found


def as_year(value: Any) -> int | None:
    """2016, 2016.0 or '2016' -> 2016; anything else None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    return value if isinstance(value, int) and 1900 <= value <= 2100 else None


def _cell(grid: Sequence[Sequence[Any]], r: int, c: int) -> Any:
    row = grid[r]
    return row[c] if c < len(row) else None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell(grid: Sequence[Sequence[Any]], r: int, c: int | None) -> Any:
    """The value at 0-based (r, c), None outside the grid or for a missing column; blank text is None."""
    if c is None or r >= len(grid):
        return None
    value = _cell(grid, r, c)
    return None if _blank(value) else value
