"""What radit writes, as plain values: whole sheets it owns, their cells and chart, provenance (the indicator
sheet's cells are xlsxpatch.cells.Write tuples, built in workbook.writing.indicator_sheet).

workbook.writing.evaluate builds these from the engine's assessments; the xlsxpatch writers turn them into package parts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple, Union

CellValue = Union[str, int, float, Decimal, bool, None]


@dataclass(frozen=True)
class Style:  # a dataclass: styles.Look extends it
    """A cell's look, by value; StyleSheet.xf turns it into a cellXfs index (appending only what is new)."""

    fill: str | None = None  # "#RRGGBB" solid fill
    bold: bool = False
    wrap: bool = False
    num_fmt: str | None = None  # an Excel number format code, e.g. '0.00" %"'
    font_colour: str | None = None  # "#RRGGBB"


class OwnedCell(NamedTuple):  # not a dataclass: defining one costs ~0.5 ms of every start
    row: int
    col: int
    value: CellValue
    style: Style = Style()


class Series(NamedTuple):  # not a dataclass: defining one costs ~0.5 ms of every start
    name: str
    col: int  # 1-based column of the values on the same sheet
    colour: str  # "#RRGGBB"


class ChartSpec(NamedTuple):  # not a dataclass: defining one costs ~0.5 ms of every start
    """A clustered bar chart over a block of the owned sheet: categories in one column, a series per column."""

    title: str
    first_row: int  # first data row (the row above holds the series names)
    last_row: int
    category_col: int
    series: tuple[Series, ...]
    anchor_from: tuple[int, int]  # (row, col), 1-based, top-left cell of the chart
    anchor_to: tuple[int, int]  # bottom-right cell


@dataclass(frozen=True)
class OwnedSheet:
    """A whole worksheet radit creates or replaces (legend, summary); nothing else lives on it."""

    name: str
    cells: tuple[OwnedCell, ...]
    col_widths: dict[int, float] = field(default_factory=dict)
    chart: ChartSpec | None = None
    freeze_rows: int = 0  # rows kept in view at the top
    aliases: tuple[str, ...] = ()  # other names the same sheet may carry (e.g. the other language's)
    # How an existing sheet of that name is recognised as radit's own: (cell, accepted text prefixes) pairs that
    # must all hold; empty means no content check (only the structural one in xlsxpatch.sheets).
    signature: tuple[tuple[str, tuple[str, ...]], ...] = ()
    row_heights: dict[int, float] = field(default_factory=dict)  # points; readers do not all fit wrapped rows
    landscape: bool = False  # printed landscape, one page wide


class Provenance(NamedTuple):  # not a dataclass: defining one costs ~0.5 ms of every start
    """Who wrote the assessments and from what: shown on the summary sheet and in custom document properties."""

    version: str  # radit's version
    rules_name: str
    rules_sha256: str
    year: int | None  # evaluation year
    time: str  # ISO 8601, UTC, seconds
