"""Which sheet and table hold the indicators, and where the table ends: one decision for every source."""
from __future__ import annotations

from typing import NamedTuple

from engine.a1 import cell_name, range_name
from engine.findings import Finding, Location
from workbook.model.grid import BookSource, SheetGrid
from workbook.model.header import Layout, locate_columns
from workbook.model.refusal import refusal
from workbook.model.rule_choice import EMBEDDED_SHEET
from workbook.model.vocabulary import SETTING_LABEL, normalise_header, sheet_kind

HEADER_SEARCH_ROWS = 30  # without an Excel table, the header row is looked for this far down
MIN_SCORE = 2  # known columns a header row must name to be the indicator table's


class TableRef(NamedTuple):  # not a dataclass: defining one costs ~0.5 ms of every start
    name: str | None  # the Excel table's name; None when the table is a plain header row
    ref: str
    header_row: int
    first_row: int
    last_row: int
    first_col: int
    last_col: int


class Candidate(NamedTuple):  # not a dataclass: defining one costs ~0.5 ms of every start
    sheet: str
    table: TableRef
    layout: Layout
    names: tuple[str, ...] = ()  # the columns' names as the Excel table's definition keeps them, where the source has it


def find_table(source: BookSource, named_sheet: str | None = None, setting_at: Location | None = None) -> Candidate:
    """The indicator table: on each sheet, its best-scoring Excel table with indicator headers; on the sheet named
    Rādītāji / Indicators, else a header row naming the id among its first rows. Two sheets that both hold one: the
    sheet the settings name, else a refusal."""
    found: list[Candidate] = []
    tables = source.tables()
    for name in source.sheet_names():
        kind = sheet_kind(name)
        if name == EMBEDDED_SHEET or (kind is not None and kind[0] != "indicators"):
            continue  # radit's own sheets and the settings never hold the table
        candidate = _on_sheet(source, name, [t for t in tables if t.sheet == name and t.header_rows >= 1])
        if candidate is not None:
            found.append(candidate)
    chosen = _choose(source, found, named_sheet, setting_at)
    refuse_hidden_header(source, chosen)
    return chosen


def _choose(source: BookSource, found: list[Candidate], named_sheet: str | None, setting_at: Location | None) -> Candidate:
    if named_sheet:
        chosen = [c for c in found if normalise_header(c.sheet) == normalise_header(named_sheet)]
        if not chosen:
            raise refusal("indicator-sheet-not-found", setting_at or Location(file=source.path), name=named_sheet)
        return chosen[0]
    if not found:
        raise refusal("no-indicator-table", Location(file=source.path))
    # An indicator table names year columns; a header row with an id column alone (a notes sheet, a lookup list)
    # is taken only where no sheet holds a real one, the indicator sheet by name first.
    full = [c for c in found if c.layout.year_columns]
    if len(full) > 1:
        first, second = full[0], full[1]
        label = SETTING_LABEL["indicator_sheet"]
        raise refusal("two-indicator-tables", Location(file=source.path), first=_where(first), second=_where(second),
                      setting=f"{label['lv']} / {label['en']}")
    if full:
        return full[0]
    named = [c for c in found if sheet_kind(c.sheet) is not None]
    return (named or found)[0]


def refuse_hidden_header(source: BookSource, chosen: Candidate) -> None:
    """Refuse (`merged-header`) a table whose header row holds a merged range over two or more of its columns that
    hides a header: in an Excel table every column has one (Excel keeps it in the table's definition, and cannot
    merge a table's header itself), in a plain header row a column holding data has one. The merge, not the columns
    it hides, is what the analyst must be told of: without this, a hidden achieved column reads as a year without
    its column (`no-year-columns`). A source that cannot see merged cells (grid.merged is None) cannot say so, and
    the columns' own refusals and findings speak instead."""
    grid = source.grid(chosen.sheet)
    if grid.merged is None:
        return
    t = chosen.table
    for (r0, c0), (r1, c1) in grid.merged:
        if not r0 + 1 <= t.header_row <= r1 + 1:
            continue
        hidden = [col for col in range(max(c0 + 1, t.first_col), min(c1 + 1, t.last_col) + 1) if col != c0 + 1]
        if not hidden:
            continue
        if t.name is None and not any(grid.cell(r, col) is not None for col in hidden
                                      for r in range(t.header_row + 1, t.last_row + 1)):
            continue  # a merge over header cells of columns without data: only the merged-cells warning
        anchor = grid.cell(r0 + 1, c0 + 1)
        words = []
        for col in hidden:
            name = chosen.names[col - t.first_col] if 0 <= col - t.first_col < len(chosen.names) else ""
            name = " ".join(str(name or "").split())
            words.append(f"{cell_name(t.header_row, col)} ({name})" if name else cell_name(t.header_row, col))
        raise refusal("merged-header", Location(file=source.path, sheet=chosen.sheet, row=r0 + 1, column=c0 + 1),
                      range=_range(r0, c0, r1, c1), header=" ".join(str(anchor if anchor is not None else "").split()),
                      hidden=", ".join(words))


def merged_in_table(grid: SheetGrid, table: TableRef, path: str, sheet: str) -> list[Finding]:
    """A `merged-cells` warning for every merged range that meets the table (header row included), where the source
    can see merged cells."""
    out = []
    for (r0, c0), (r1, c1) in grid.merged or ():
        if r1 + 1 >= table.header_row and r0 + 1 <= table.last_row and c1 + 1 >= table.first_col and c0 + 1 <= table.last_col:
            out.append(Finding("merged-cells", Location(file=path, sheet=sheet, row=r0 + 1, column=c0 + 1),
                               {"range": _range(r0, c0, r1, c1)}))
    return out


def _range(r0: int, c0: int, r1: int, c1: int) -> str:
    """A merged range of 0-based corners as Excel names it: ((0, 13), (0, 14)) -> 'N1:O1'."""
    return range_name(r0 + 1, c0 + 1, r1 + 1, c1 + 1)


def _where(c: Candidate) -> str:
    quoted = "'" + c.sheet.replace("'", "''") + "'"
    return f"{quoted}!{c.table.ref}"


def _on_sheet(source: BookSource, name: str, tables) -> Candidate | None:
    best: Candidate | None = None
    best_score = 0
    grid = None
    for t in tables:
        grid = grid or source.grid(name)
        headers = [grid.cell(t.first_row, c) for c in range(t.first_col, t.last_col + 1)]
        if not any(h is not None for h in headers):
            headers = list(t.columns)
        layout = locate_columns(headers, t.first_col)
        if layout.score >= MIN_SCORE and layout.score > best_score:  # a table without its id column: missing-column
            ref = TableRef(t.name, t.ref, t.first_row, t.first_row + 1, t.last_row, t.first_col, t.last_col)
            best, best_score = Candidate(name, ref, layout, tuple(t.columns)), layout.score
    if best is not None or sheet_kind(name) is None:
        return best  # without an Excel table, only the sheet named Rādītāji / Indicators is searched for a header row
    grid = grid or source.grid(name)
    header = None
    for r, line in enumerate(grid.rows[:HEADER_SEARCH_ROWS], start=1):
        layout = locate_columns(line, 1)
        if "id" in layout.columns and layout.score >= MIN_SCORE and (header is None or layout.score > header[1].score):
            header = (r, layout)
    if header is None:
        return None
    r, layout = header
    width = max(max((len(line) for line in grid.rows), default=0), 1)
    last = last_row_with_data(grid, r)
    return Candidate(name, TableRef(None, range_name(r, 1, last, width), r, r + 1, last, 1, width), layout)


def last_row_with_data(grid: SheetGrid, above: int) -> int:
    """The last row of the grid holding any value (`above` when none below it)."""
    last = len(grid.rows)
    while last > above and not any(v is not None and v != "" for v in grid.rows[last - 1]):
        last -= 1
    return last


def rows_below(grid: SheetGrid, table: TableRef, path: str, sheet: str) -> list[Finding]:
    """Rows typed under an Excel table whose range was not extended over them: named, never counted out in silence.

    A row with two or more values looks like an indicator left out of the table (an error); a row with one value
    is a note such as "Avots: …" (a warning, so that it is named but does not fail the workbook).
    """
    if table.name is None or table.last_row >= len(grid.rows):
        return []
    lo, hi = table.first_col - 1, table.last_col
    filled = {r: sum(v is not None and v != "" for v in grid.rows[r - 1][lo:hi])
              for r in range(table.last_row + 1, len(grid.rows) + 1)}
    out = []
    for rows, severity in (([r for r, n in filled.items() if n >= 2], None), ([r for r, n in filled.items() if n == 1], "warning")):
        if rows:
            out.append(Finding("rows-below-table", Location(file=path, sheet=sheet, row=rows[0], column=table.first_col),
                               {"rows": _spans(rows), "table": table.name}, severity=severity))
    return out


def _spans(rows: list[int]) -> str:
    """[21, 22, 23, 25] -> '21–23, 25'."""
    out: list[str] = []
    start = prev = rows[0]
    for r in rows[1:] + [None]:
        if r is not None and r == prev + 1:
            prev = r
            continue
        out.append(f"{start}–{prev}" if prev > start else str(start))
        if r is not None:
            start = prev = r
    return ", ".join(out)
