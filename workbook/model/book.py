"""Read a master workbook: find the indicator table, its columns and settings, and the rows as engine input."""
from __future__ import annotations

import contextlib
import datetime as _dt
import gc
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import compress, repeat
from operator import itemgetter, ne
from typing import Any, Mapping, NamedTuple

from engine.errors import WorkbookError
from engine.findings import Finding, Location, column_letter
from workbook.reading import index as reader
from workbook.model.vocabulary import COLUMN_BY_FIELD, SETTINGS, SHEETS, normalise_header
from workbook.model.header import Layout, locate_columns

INPUT_FIELDS = ("id", "unit", "direction", "baseline", "forecast", "actual", "sample_size", "override", "justification")
NUMBER_FIELDS = ("baseline", "forecast", "actual", "sample_size")
# Read beside the engine input: the output columns (stale checks) and the goal/result hierarchy (the summary).
STORED_FIELDS = ("symbol", "deviation", "basis", "explanation", "goal_code", "goal", "level", "result_code", "result")
PERCENT_UNITS = frozenset({"percent", "percent_change"})
_HEADER_SEARCH_ROWS = 30  # without a ListObject, the header row is looked for this far down

# A plain number typed as text: 88 949, 1 234,5, -12.75 (thin and no-break spaces as thousands separators).
_PLAIN_NUMBER = re.compile(r"[+\-−]?(?:\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:[.,]\d+)?")
_DATE_TYPES = (_dt.date, _dt.time, _dt.timedelta)
_EMPTY_IS_NONE = {"": None}  # .get(v, v): calamine's empty cell as None, every other value as it is
# By a cell value's type: is it to be looked at (True) in a number column / a text column? (lookups in C)
_NOT_NUMBER = defaultdict(lambda: True, {float: False, int: False, type(None): False})
_NOT_TEXT = defaultdict(lambda: True, {str: False, type(None): False})


@dataclass(frozen=True, slots=True)
class BookSettings:
    baseline_year: int | None = None
    evaluation_year: int | None = None
    rules_file: str | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True)
class TableRef:
    name: str | None  # None when the table is a plain header row (no ListObject)
    ref: str
    header_row: int
    first_row: int
    last_row: int
    first_col: int
    last_col: int


class IndicatorRow(NamedTuple):
    """One indicator row (a named tuple: 100 000 of them are built in a blink)."""

    row: int
    values: Mapping[str, Any]  # engine input: id, unit, direction, baseline, forecast, actual, …
    stored: Mapping[str, Any]  # what the workbook holds beside the input: output columns, goal and result (code, text)


@dataclass(frozen=True)
class MasterBook:
    path: str
    settings: BookSettings
    sheet: str
    table: TableRef
    columns: Mapping[str, int]
    year_columns: Mapping[tuple[str, int], int]
    rows: tuple[IndicatorRow, ...]
    findings: tuple[Finding, ...]
    year: int | None = None  # the evaluation year in force (command line, then settings, then the table)
    field_columns: Mapping[str, int] = field(default_factory=dict)  # every input/output field incl. forecast/actual
    input_columns: Mapping[str, list] = field(default_factory=dict, repr=False)  # engine input by field, aligned with rows

    def locate(self, finding: Finding, row: int) -> Finding:
        """An engine finding (located by field) at its cell: this book, the indicator sheet, the row, the field's column."""
        return finding.at(file=self.path, sheet=self.sheet, row=row, column=self.field_columns.get(finding.location.field))

    def location(self, fld: str | None, row: int | None, indicator: str | None = None) -> Location:
        """The sheet cell of a logical field in a row (no column when the table lacks the field)."""
        col = self.field_columns.get(fld) if fld else None
        return Location(file=self.path, sheet=self.sheet, row=row, column=col, field=fld, indicator=indicator)


def read_master(path, *, year: int | None = None, limits=None, rules=None) -> MasterBook:
    """Read the indicator table of a master workbook; WorkbookError when it cannot be read or has none.

    `rules` only serves to recognise percent units (a 0.17 in a % cell is 17 % there); default rules if None.
    """
    path = str(path)
    with gc_paused():
        package = reader.open_parts(path, limits)
        try:
            index = reader.read_index(path, package)
            grids = _Grids(path, index, package, limits)
            return _read(path, package, index, grids, year, rules)
        finally:
            close = getattr(package, "close", None)
            if close:
                close()


@contextlib.contextmanager
def gc_paused():
    """No cyclic garbage collection while hundreds of thousands of acyclic rows are built: it would
    rescan them again and again (a third of the reading time) and find nothing to free."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


# --- values --------------------------------------------------------------------------------------

class _Grids:
    """Sheet values by name, read once each: python-calamine, or openpyxl (read-only) where calamine fails."""

    def __init__(self, path: str, index: reader.BookIndex, package, limits=None):
        self.path = path
        self.index = index
        self.package = package
        self.limits = limits
        self.scans: dict[str, tuple] = {}  # what the XML scans found per sheet (see _scan)
        self._book = None  # one python-calamine workbook for every sheet read
        self._cache: dict[str, list[list[Any]]] = {}
        self.merged: dict[str, list[tuple[tuple[int, int], tuple[int, int]]]] = {}

    def get(self, name: str) -> list[list[Any]]:
        if name not in self._cache:
            self._cache[name] = self._load(name)
        return self._cache[name]

    def take(self, name: str) -> list[list[Any]]:
        """The sheet's values, no longer kept here (the caller frees them when done)."""
        grid = self.get(name)
        del self._cache[name]
        return grid

    def _load(self, name: str) -> list[list[Any]]:
        import python_calamine as pc

        entry = self.index.sheet(name)
        opening = None
        if entry is not None and self._book is None and self._part_size(entry.part) >= _OPEN_ASIDE_BYTES:
            # calamine opens the workbook (shared strings, styles; not the sheet) in a thread, without the GIL,
            # while this one inflates and scans the sheet: the extent check still comes before the sheet is read
            opening = _Opening(self.path)
        try:
            if entry is not None:
                xml = self.package.read(entry.part)
                reader.check_extent(self.path, name, xml, self.limits)  # before calamine, which aborts on huge ranges
                self.scans[name] = _scan(xml, self.index)
                del xml  # freed before calamine builds its own copy of the values: a lower peak of memory
        finally:
            opened = opening.result() if opening is not None else None  # never left running behind a refusal
        try:
            if self._book is None:
                if isinstance(opened, BaseException):
                    raise opened
                self._book = opened if opened is not None else pc.CalamineWorkbook.from_path(self.path)
            sheet = self._book.get_sheet_by_name(name)
            grid = sheet.to_python(skip_empty_area=False)
            self.merged[name] = list(sheet.merged_cell_ranges or [])
            return grid
        except Exception:  # calamine refuses some files openpyxl still reads (odd XML, missing dimensions)
            return self._load_openpyxl(name)

    def _part_size(self, part: str) -> int:
        try:
            return self.package.zip.getinfo(part).file_size
        except Exception:  # no zip at hand or no such part: the plain order
            return 0

    def _load_openpyxl(self, name: str) -> list[list[Any]]:
        import openpyxl

        try:
            wb = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
            try:
                ws = wb[name]
                grid = [["" if v is None else v for v in row] for row in ws.iter_rows(values_only=True)]
                width = max((len(line) for line in grid), default=0)
                grid = [line + [""] * (width - len(line)) for line in grid]  # rectangular, like calamine's
            finally:
                wb.close()
        except Exception as exc:
            raise WorkbookError(self.path, "unreadable", f"the sheet {name!r} cannot be read ({type(exc).__name__})") from None
        self.merged[name] = []
        return grid


_OPEN_ASIDE_BYTES = 4 << 20  # a sheet this large: calamine opens the workbook while radit scans the sheet


class _Opening:
    """python-calamine's CalamineWorkbook.from_path in a thread; result() is the workbook or the exception."""

    def __init__(self, path: str):
        import threading

        self._out: Any = None
        self._thread = threading.Thread(target=self._run, args=(path,), name="calamine open", daemon=True)
        self._thread.start()

    def _run(self, path: str) -> None:
        import python_calamine as pc

        try:
            self._out = pc.CalamineWorkbook.from_path(path)
        except BaseException as exc:  # handed to the reading thread, which falls back as it would have
            self._out = exc.with_traceback(None)

    def result(self) -> Any:
        self._thread.join()
        return self._out


def _cell(grid: list[list[Any]], row: int, col: int) -> Any:
    """The value at a 1-based (row, col), None when empty or outside the grid."""
    if row - 1 < len(grid):
        line = grid[row - 1]
        if col - 1 < len(line):
            v = line[col - 1]
            return None if v == "" else v
    return None


# --- finding the table ---------------------------------------------------------------------------

_INDICATOR_SHEETS = {normalise_header(n) for n in SHEETS["indicators"].values()}
_SETTINGS_SHEETS = {normalise_header(n) for n in SHEETS["settings"].values()}


def _find_table(path: str, index: reader.BookIndex, grids: _Grids) -> tuple[str, TableRef, Layout]:
    best: tuple[int, str, TableRef, Layout] | None = None
    for t in index.tables:
        if t.header_rows < 1 or index.sheet(t.sheet) is None:
            continue
        grid = grids.get(t.sheet)
        headers = [_cell(grid, t.first_row, c) for c in range(t.first_col, t.last_col + 1)]
        if not any(h is not None for h in headers):
            headers = list(t.columns)
        layout = locate_columns(headers, t.first_col)
        if layout.score >= 2 and (best is None or layout.score > best[0]):
            ref = TableRef(t.name, t.ref, t.first_row, t.first_row + 1, t.last_row, t.first_col, t.last_col)
            best = (layout.score, t.sheet, ref, layout)
    if best:
        return best[1], best[2], best[3]
    for s in index.sheets:  # no ListObject: a header row on the indicator sheet
        if normalise_header(s.name) not in _INDICATOR_SHEETS:
            continue
        grid = grids.get(s.name)
        found = None
        for r, line in enumerate(grid[:_HEADER_SEARCH_ROWS], start=1):
            layout = locate_columns(line, 1)
            if "id" in layout.columns and layout.score >= 2 and (found is None or layout.score > found[1].score):
                found = (r, layout)
        if found:
            r, layout = found
            width = max((len(line) for line in grid), default=0)
            last = len(grid)
            while last > r and not any(v != "" for v in grid[last - 1]):
                last -= 1
            ref = f"A{r}:{column_letter(max(width, 1))}{last}"
            return s.name, TableRef(None, ref, r, r + 1, last, 1, max(width, 1)), layout
    raise WorkbookError(path, "no-indicator-table",
                        "no indicator table: no Excel table with indicator headers and no 'Rādītāji'/'Indicators' sheet with a header row")


# --- settings ------------------------------------------------------------------------------------

_SETTING_BY_LABEL = {normalise_header(label): key for key, labels in SETTINGS.items() for label in labels}


def _year_value(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)) and float(value).is_integer() and 1900 <= value <= 2200:
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*(19|20|21)\d\d\.?\s*(\.?gads)?\s*", value):
        return int(re.search(r"\d{4}", value).group())
    return None


def _read_settings(path: str, index: reader.BookIndex, grids: _Grids) -> tuple[BookSettings, list[Finding]]:
    sheet = next((s.name for s in index.sheets if normalise_header(s.name) in _SETTINGS_SHEETS), None)
    if sheet is None:
        return BookSettings(), []
    found: dict[str, Any] = {}
    findings = []
    for r, line in enumerate(grids.get(sheet), start=1):
        if not line:
            continue
        key = _SETTING_BY_LABEL.get(normalise_header(line[0]))
        if key is None or key in found:
            continue
        value = line[1] if len(line) > 1 and line[1] != "" else None
        if key in ("baseline_year", "evaluation_year") and value is not None:
            year = _year_value(value)
            if year is None:
                findings.append(Finding("bad-setting", Location(file=path, sheet=sheet, row=r, column=2),
                                        {"setting": str(line[0]), "text": str(value)}))
            value = year
        elif value is not None:
            value = str(value).strip() or None
        found[key] = value
    return BookSettings(**found), findings


# --- year columns --------------------------------------------------------------------------------

def _choose_years(path: str, sheet: str, table: TableRef, layout: Layout, year: int | None):
    """(forecast column, actual column, the year in force, findings) for the evaluation year."""
    ycols = layout.year_columns
    forecasts = {y: c for (k, y), c in ycols.items() if k == "forecast"}
    actuals = {y: c for (k, y), c in ycols.items() if k == "actual"}
    if year is None:
        both = sorted(set(forecasts) & set(actuals))
        year = both[-1] if both else (max(forecasts) if forecasts else (max(actuals) if actuals else None))
    findings = []
    at = lambda col: Location(file=path, sheet=sheet, row=table.header_row, column=col)  # noqa: E731
    if year is None:
        for kind in ("forecast", "actual"):
            findings.append(Finding("missing-year", at(None), {"kind": kind, "year": "?"}))
        return None, None, None, findings
    f_col, a_col = forecasts.get(year), actuals.get(year)
    if f_col is None or a_col is None:
        # The source's own slip: "Prognoze 2017" next to "Sasniegts 2016". A lone unpaired column of the
        # other kind, for another year, is the mismatch; it stands in so that the rows still get assessed.
        kind_missing, others, present_col = (("forecast", forecasts, a_col) if f_col is None else ("actual", actuals, f_col))
        unpaired = [(y, c) for y, c in others.items() if y != year and (("actual", y) if kind_missing == "forecast" else ("forecast", y)) not in ycols]
        if present_col is not None and len(unpaired) == 1:
            other_year, other_col = unpaired[0]
            fy, ay = (other_year, year) if kind_missing == "forecast" else (year, other_year)
            findings.append(Finding("year-mismatch", at(other_col), {"forecast_year": fy, "actual_year": ay}))
            if kind_missing == "forecast":
                f_col = other_col
            else:
                a_col = other_col
        else:
            for kind, col in (("forecast", f_col), ("actual", a_col)):
                if col is None:
                    findings.append(Finding("missing-year", at(None), {"kind": kind, "year": year}))
    return f_col, a_col, year, findings


# --- rows ----------------------------------------------------------------------------------------

def _read(path: str, package, index: reader.BookIndex, grids: _Grids, year: int | None, rules) -> MasterBook:
    sheet, table, layout = _find_table(path, index, grids)
    settings, findings = _read_settings(path, index, grids)
    header_at = Location(file=path, sheet=sheet, row=table.header_row)
    findings += [f.at(file=path, sheet=sheet, row=table.header_row) for f in layout.findings]
    for fld in ("id", "unit"):
        if fld not in layout.columns:
            findings.append(Finding("missing-column", header_at.replace(field=fld),
                                    {"column": fld, "headers": ", ".join(COLUMN_BY_FIELD[fld].headers())}))
    f_col, a_col, year, year_findings = _choose_years(path, sheet, table, layout, year if year is not None else settings.evaluation_year)
    findings += year_findings

    fields = dict(layout.columns)
    if f_col:
        fields["forecast"] = f_col
    if a_col:
        fields["actual"] = a_col

    grids.get(sheet)  # read (if _find_table has not), so that its scans are there
    no_value, percent_cells = grids.scans.get(sheet, ({}, set()))

    for (r0, c0), (r1, c1) in grids.merged.get(sheet, []):
        if r1 + 1 >= table.header_row and r0 + 1 <= table.last_row and c1 + 1 >= table.first_col and c0 + 1 <= table.last_col:
            rng = f"{column_letter(c0 + 1)}{r0 + 1}:{column_letter(c1 + 1)}{r1 + 1}"
            findings.append(Finding("merged-cells", Location(file=path, sheet=sheet, row=r0 + 1, column=c0 + 1), {"range": rng}))

    if rules is None:
        from engine.rules import default_rules

        rules = default_rules()
    # _read_rows gets the sheet's last reference (grids.take) and frees it once its columns are out
    rows, row_findings, input_columns = _read_rows(path, sheet, table, grids.take(sheet), fields, no_value, percent_cells, rules)
    findings += row_findings

    return MasterBook(path, settings, sheet, table, dict(layout.columns), dict(layout.year_columns), tuple(rows),
                      tuple(findings), year, fields, input_columns)


def _scan(xml: bytes, index: reader.BookIndex) -> tuple[dict[tuple[int, int], str], set[tuple[int, int]]]:
    """What calamine cannot say: formulas without a cached value, and cells in a percent format."""
    no_value = {(c.row, c.column): c.formula for c in reader.formulas_without_value(xml)}
    percent_cells = reader.cells_with_styles(xml, index.percent_styles) if index.percent_styles else set()
    return no_value, percent_cells


def _read_rows(path: str, sheet: str, table: TableRef, grid: list[list[Any]], fields: Mapping[str, int],
               no_value: Mapping[tuple[int, int], str], percent_cells: set[tuple[int, int]], rules):
    """The data rows as engine input, column by column (list comprehensions, not a Python loop per cell)."""
    lo, hi = table.first_row, min(table.last_row, len(grid))
    body = grid[lo - 1:hi] if hi >= lo else []
    n = len(body)
    width = len(body[0]) if body else 0
    del grid  # the caller passed the sheet's only reference: freed with body below, before the rows are built

    # Every column read, at once and in C: itemgetter picks the cells of each line (the grid is rectangular),
    # zip turns them into columns, and a dict lookup turns calamine's "" into None.
    users = Counter(fields[f] - 1 for f in (*INPUT_FIELDS, *STORED_FIELDS) if f in fields and fields[f] - 1 < width)
    wanted = sorted(users)
    extracted: dict[int, list[Any]] = {}
    if wanted and n:
        pick = itemgetter(*wanted)
        picked = zip(*map(pick, body)) if len(wanted) > 1 else [list(map(pick, body))]
        for ci, col in zip(wanted, picked):
            extracted[ci] = list(map(_EMPTY_IS_NONE.get, col, col))
    del body
    # a column two fields share: each gets the cells as read (the rows below change an input column in place)
    pristine = {ci: tuple(extracted[ci]) for ci in extracted if users[ci] > 1}

    def column(fld: str) -> list[Any]:
        ci = fields[fld] - 1
        if ci not in extracted:
            return [None] * n
        return list(pristine[ci]) if ci in pristine else extracted[ci]

    inputs = [fld for fld in INPUT_FIELDS if fld in fields]
    cols: dict[str, list[Any]] = {fld: column(fld) for fld in inputs}
    findings: list[Finding] = []

    # Formulas without a cached value: calamine shows them empty; the scan knows better.
    by_col = {fields[fld]: fld for fld in inputs}
    raw_ids = cols.get("id", [None] * n)
    for (r, c), formula in no_value.items():
        fld = by_col.get(c)
        if fld and lo <= r <= hi:
            findings.append(Finding("formula-without-value", Location(path, sheet, r, c, fld, _id_text(raw_ids[r - lo])),
                                    {"formula": formula, "field": fld}))
            cols[fld][r - lo] = None

    nothing = (None,) * len(inputs)
    keep = list(compress(range(n), map(ne, zip(*(cols[f] for f in inputs)), repeat(nothing)))) if inputs else []

    ids = [v.strip() or None if v.__class__ is str else _id_text(v) for v in raw_ids]
    cols["id"] = ids
    for fld in NUMBER_FIELDS:
        if fld not in cols:
            continue
        values = cols[fld]
        for i in list(compress(range(n), map(_NOT_NUMBER.__getitem__, map(type, values)))):
            v = values[i]
            loc = Location(path, sheet, lo + i, fields[fld], fld, ids[i])
            if isinstance(v, str):
                if _PLAIN_NUMBER.fullmatch(v.strip()):
                    findings.append(Finding("number-stored-as-text", loc, {"field": fld, "text": v}))
            elif isinstance(v, _DATE_TYPES):
                findings.append(Finding("date-in-number-column", loc, {"field": fld, "text": str(v)}))
                values[i] = None
    if percent_cells and "unit" in cols:
        numeric_cols = {fields[f]: f for f in NUMBER_FIELDS if f in cols}
        unit_kind: dict[Any, str | None] = {}
        for r, c in percent_cells:
            fld = numeric_cols.get(c)
            if fld is None or not lo <= r <= hi:
                continue
            i = r - lo
            v = cols[fld][i]
            if v is None or isinstance(v, bool) or not isinstance(v, (int, float)):
                continue
            u = cols["unit"][i]
            if u not in unit_kind:
                unit_kind[u] = rules.unit_from_text(u) if u is not None else None
            if unit_kind[u] in PERCENT_UNITS:
                cols[fld][i] = (Decimal(repr(float(v))) * 100).normalize()
    for fld in ("unit", "direction", "override", "justification"):
        values = cols.get(fld)
        for i in list(compress(range(n), map(_NOT_TEXT.__getitem__, map(type, values)))) if values else ():
            v = values[i]
            values[i] = str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)

    id_col = fields.get("id")
    kept_ids = [ids[i] for i in keep]
    if None in kept_ids or len(set(kept_ids)) != len(kept_ids):  # the common case skips this loop
        first_seen: dict[str, int] = {}
        for i in keep:
            r, ind_id = lo + i, ids[i]
            if ind_id is None:
                findings.append(Finding("missing-id", Location(path, sheet, r, id_col, "id")))
                continue
            first = first_seen.setdefault(ind_id, r)
            if first != r:
                findings.append(Finding("duplicate-id", Location(path, sheet, r, id_col, "id", ind_id), {"id": ind_id, "first_row": first}))
        keep = [i for i in keep if ids[i] is not None]

    keys = tuple(inputs)
    if len(keep) == n:  # every row kept (the common case): the columns as they are, no copies
        kept = lambda c: c  # noqa: E731
    else:
        kept = lambda c: [c[i] for i in keep]  # noqa: E731
    kept_columns = {f: kept(cols[f]) for f in inputs}
    values = list(map(dict, map(zip, repeat(keys), zip(*kept_columns.values())))) if keep else []
    stored_keys = tuple(fld for fld in STORED_FIELDS if fld in fields)
    if stored_keys:
        stored = list(map(dict, map(zip, repeat(stored_keys), zip(*(kept(column(fld)) for fld in stored_keys)))))
    else:
        stored = [{}] * len(keep)
    rows = list(map(IndicatorRow, [lo + i for i in keep], values, stored))
    findings.sort(key=lambda f: (f.location.row or 0, f.location.column or 0))
    return rows, findings, kept_columns


def _id_text(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    s = str(v).strip()
    return s or None
