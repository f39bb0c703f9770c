"""Each indicator row's engine input, with its findings at their cells: how every cell of the table reads.

Column by column, in C loops (itemgetter, zip, map, compress): 100 000 rows are read in well under a second.
"""
from __future__ import annotations

import datetime as _dt
import math
import re
from collections import Counter, defaultdict
from dataclasses import replace
from decimal import Decimal
from functools import lru_cache, partial
from itertools import compress, repeat
from operator import itemgetter, ne
from typing import Any, Callable, Mapping, NamedTuple

from engine.findings import Finding, Location
from engine.status import PERCENT_UNITS
from engine.values import YEARS_READ_BY, rows_reading_years
from workbook.model.grid import SheetGrid
from workbook.model.table import TableRef
from workbook.model.vocabulary import parse_year

INPUT_FIELDS = ("id", "unit", "direction", "baseline", "forecast", "actual", "sample_size", "override", "justification")
NUMBER_FIELDS = ("baseline", "forecast", "actual", "sample_size")
SCALED_FIELDS = ("baseline", "forecast", "actual")  # what a percentage's number format scales (not the sample size)
# Read beside the engine input: the output columns (stale checks) and the goal/result hierarchy (the summary).
STORED_FIELDS = ("symbol", "deviation", "basis", "explanation", "goal_code", "goal", "level", "result_code", "result",
                 "indicator")
# Read for the table, kept as a column (MasterBook.input_columns), not in each row: a row's own base year
YEAR_FIELDS = ("baseline_year",)
UNCALCULATED = "uncalculated"  # engine-input key (ignored by the engine): field -> formula that has no cached value

# A plain number typed as text: 88 949, 1 234,5, -12.75 (thin and no-break spaces as thousands separators).
_PLAIN_NUMBER = re.compile(r"[+\-−]?(?:\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:[.,]\d+)?")
_DATE_TYPES = (_dt.date, _dt.time, _dt.timedelta)
_EMPTY_IS_NONE = {"": None}  # .get(v, v): calamine's empty cell as None, every other value as it is
# By a cell value's type: is it to be looked at (True) in a number column / a text column? (lookups in C)
_NOT_NUMBER = defaultdict(lambda: True, {float: False, int: False, type(None): False})
_NOT_TEXT = defaultdict(lambda: True, {str: False, type(None): False})
_REASON = {
    "general": {"en": "the cells are not formatted as percentages", "lv": "šūnas nav formatētas kā procenti"},
    "unseen": {"en": "number formats cannot be seen here", "lv": "skaitļu formāti šeit nav redzami"},
}


class IndicatorRow(NamedTuple):
    """One indicator row (a named tuple: 100 000 of them are built in a blink)."""

    row: int
    values: Mapping[str, Any]  # engine input: id, unit, direction, baseline, forecast, actual, …
    stored: Mapping[str, Any]  # what the workbook holds beside the input: output columns, goal and result (code, text)


def read_rows(path: str, grid: SheetGrid, table: TableRef, fields: Mapping[str, int], rules,
              years: Mapping[str, int | None] | None = None):
    """(rows, findings, input columns by field aligned with rows) of the table's data rows."""
    sheet = grid.name
    rows_in = grid.rows
    lo, hi = table.first_row, min(table.last_row, len(rows_in))
    body = rows_in[lo - 1:hi] if hi >= lo else []
    n = len(body)
    width = max(map(len, body), default=0)
    if body and min(map(len, body)) != width:  # itemgetter wants a rectangle: a source may hand ragged lines
        body = [line + [None] * (width - len(line)) if len(line) < width else line for line in body]

    # Every column read at once, in C: itemgetter picks the cells of each line, zip turns them into columns,
    # and a dict lookup turns an empty "" into None.
    users = Counter(fields[f] - 1 for f in (*INPUT_FIELDS, *STORED_FIELDS, *YEAR_FIELDS)
                    if f in fields and fields[f] - 1 < width)
    wanted = sorted(users)
    extracted: dict[int, list[Any]] = {}
    if wanted and n:
        pick = itemgetter(*wanted)
        picked = zip(*map(pick, body)) if len(wanted) > 1 else [list(map(pick, body))]
        for ci, col in zip(wanted, picked):
            extracted[ci] = list(map(_EMPTY_IS_NONE.get, col, col))
    # The sheet's lines are not needed once the columns are out: read_rows holds the grid's last reference
    # (workbook.model.book), so they are freed here, before the rows are built, not after.
    del body, rows_in
    grid = replace(grid, rows=[])
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
    raw_ids = cols.get("id", [None] * n)

    # Formulas without a cached value: a source shows them empty; where it can tell, say why and how to fix it.
    by_col = {fields[fld]: fld for fld in inputs}
    uncalculated: set[tuple[int, int]] = set()
    for (r, c), formula in (grid.no_value or {}).items():
        fld = by_col.get(c)
        if fld and lo <= r <= hi:
            findings.append(Finding("formula-without-value", Location(path, sheet, r, c, fld, _id_text(raw_ids[r - lo])),
                                    {"formula": formula, "field": fld}))
            cols[fld][r - lo] = None
            uncalculated.add((r, c))

    nothing = (None,) * len(inputs)
    keep = list(compress(range(n), map(ne, zip(*(cols[f] for f in inputs)), repeat(nothing)))) if inputs else []
    ids = [v.strip() or None if v.__class__ is str else _id_text(v) for v in raw_ids]
    cols["id"] = ids

    for fld in NUMBER_FIELDS:
        if fld not in cols:
            continue
        values = cols[fld]
        for i in list(compress(range(n), map(ne, values, values))):  # NaN is the one value unequal to itself
            if values[i].__class__ is float:
                findings.append(Finding("not-a-number", Location(path, sheet, lo + i, fields[fld], fld, ids[i]), {"field": fld}))
                values[i] = None
        for i in list(compress(range(n), map(_NOT_NUMBER.__getitem__, map(type, values)))):
            v = values[i]
            loc = Location(path, sheet, lo + i, fields[fld], fld, ids[i])
            if isinstance(v, str):
                if _PLAIN_NUMBER.fullmatch(v.strip()):
                    findings.append(Finding("number-stored-as-text", loc, {"field": fld, "text": v}))
            elif isinstance(v, _DATE_TYPES):
                findings.append(Finding("date-in-number-column", loc, {"field": fld, "text": str(v)}))
                values[i] = None
    if "unit" in cols:
        findings += _read_percents(path, grid, lo, hi, fields, cols, ids, rules)
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
    findings += _empty_values(path, sheet, lo, keep, fields, cols, ids, uncalculated)

    if len(keep) == n:  # every row kept (the common case): the columns as they are, no copies
        kept = lambda c: c  # noqa: E731
    else:
        kept = lambda c: [c[i] for i in keep]  # noqa: E731
    kept_columns = {f: kept(cols[f]) for f in inputs}
    # the columns' years (YEAR_KEYS), for the engine's check of a year typed in the cell
    year_keys = tuple(k for k, y in (years or {}).items() if y is not None)
    for k in year_keys:
        kept_columns[k] = [years[k]] * len(keep)
    if "baseline_year" in fields:  # a row's own Bāzes gads wins over the settings' (for the base-year check)
        years_of = {}  # a column holds a few distinct years: each checked once
        own = [years_of[v] if v in years_of else years_of.setdefault(v, parse_year(v)) for v in kept(column("baseline_year"))]
        if any(y is not None for y in own):
            fallback = (years or {}).get("baseline_year")
            kept_columns["baseline_year"] = [fallback if y is None else y for y in own]
            if "baseline_year" not in year_keys:
                year_keys += ("baseline_year",)
    values = _records(tuple(inputs))([kept_columns[k] for k in inputs]) if keep else []
    # Only a row with a text in one of those fields is read against the years (engine.values.rows_reading_years):
    # only such a row carries them. A row of numbers is then a dict of 9 entries, not 12: 272 bytes, not 464
    # (19 MB less at 100 000 rows). The columns, the numpy path's input, hold the years of every row.
    if year_keys and values:
        for i in rows_reading_years([kept_columns[f] for f in YEARS_READ_BY if f in kept_columns]):
            values[i].update({k: kept_columns[k][i] for k in year_keys})
    stored_keys = tuple(fld for fld in STORED_FIELDS if fld in fields)
    if stored_keys:
        stored = _records(stored_keys)([kept(column(fld)) for fld in stored_keys])
    else:
        stored = [{}] * len(keep)
    rows = list(map(_new_row, zip([lo + i for i in keep], values, stored)))
    if uncalculated:  # the few rows an uncalculated formula left empty carry it, so their explanation can say so
        at = {r.row: r for r in rows}
        for (r, c), formula in (grid.no_value or {}).items():
            if (r, c) in uncalculated and r in at:
                at[r].values.setdefault(UNCALCULATED, {})[by_col[c]] = formula
    findings.sort(key=lambda f: (f.location.row or 0, f.location.column or 0))
    return rows, findings, kept_columns


_new_row = partial(tuple.__new__, IndicatorRow)  # IndicatorRow(*fields) without its Python-level __new__: in C


@lru_cache(maxsize=64)
def _records(keys: tuple[str, ...]) -> Callable[[list[list[Any]]], list[dict[str, Any]]]:
    """A function: columns (one per key, of one length) -> one dict a row, {keys[0]: column0[i], …}.

    Written as a dict display with constant keys, the way dataclasses and namedtuple write their methods: CPython
    builds such a dict in one instruction, a third faster than dict(zip(keys, values)) a row (~0.1 s for 200 000
    dicts of a 100 000-row table). The keys only ever appear as repr() literals, so no text can become code."""
    names = [f"v{i}" for i in range(len(keys))]
    if not keys:
        return lambda columns: []
    display = ", ".join(f"{key!r}: {name}" for key, name in zip(keys, names))
    unpack = ", ".join(names) + ","
    return eval(f"lambda columns: [{{{display}}} for {unpack} in zip(*columns)]", {"zip": zip})  # noqa: S307


def _read_percents(path, grid: SheetGrid, lo, hi, fields, cols, ids, rules) -> list[Finding]:
    """Percent cells: Excel holds 0.17 for a cell showing 17 %, the engine wants 17. One rule for every source.

    A number cell in a percent format is scaled by 100. A percentage row whose numbers all lie within −1…1, at
    least one not whole, and none of them in a percent format that the source can see, is read as fractions too
    (the way Excel stores what the analyst sees as 17 %), with a `percent-as-fraction` finding: the reading is a
    rule applied to the values, not a fact the cells show.
    """
    numeric = [f for f in SCALED_FIELDS if f in cols]
    if not numeric:
        return []
    formats = grid.percent_cells
    unit_kind: dict[Any, str | None] = {}

    def kind(u):
        if u not in unit_kind:
            unit_kind[u] = rules.unit_from_text(u) if u is not None else None
        return unit_kind[u]

    findings = []
    units = cols["unit"]
    if formats:
        for r, c in formats:
            fld = next((f for f in numeric if fields[f] == c), None)
            if fld is None or not lo <= r <= hi:
                continue
            i = r - lo
            v = cols[fld][i]
            if v.__class__ in (int, float) and kind(units[i]) in PERCENT_UNITS:
                cols[fld][i] = (Decimal(repr(float(v))) * 100).normalize()
    # the rows the rule can apply to, narrowed column by column in C-speed passes: a percentage row with a
    # number outside −1…1 is not fractions (most are not: 45.3 %), so the loop below sees only the few that may be
    is_percent = {u: kind(u) in PERCENT_UNITS for u in set(units)}
    candidates = list(compress(range(len(units)), map(is_percent.__getitem__, units)))
    for f in numeric:
        col = cols[f]
        candidates = [i for i in candidates if col[i].__class__ not in (int, float) or -1 <= col[i] <= 1]
    for i in candidates:
        u = units[i]
        r = lo + i
        cells = [(f, cols[f][i]) for f in numeric if cols[f][i].__class__ in (int, float)]
        if not cells or formats and any((r, fields[f]) in formats for f, _ in cells):
            continue
        if fraction_like([v for _, v in cells]):
            for f, v in cells:
                cols[f][i] = (Decimal(repr(float(v))) * 100).normalize()
            reason = "unseen" if formats is None else "general"
            findings.append(Finding(
                "percent-as-fraction", Location(path, grid.name, r, fields[cells[0][0]], cells[0][0], ids[i]),
                {"unit": str(u), "values": " / ".join(_g(v) for _, v in cells),
                 "percents": " / ".join(_g(cols[f][i]) + " %" for f, _ in cells),
                 "reason": _REASON[reason]["en"], "reason_lv": _REASON[reason]["lv"]}))
    return findings


def fraction_like(numbers) -> bool:
    """The numbers of a percentage row as Excel stores what it shows as percentages: all within −1…1, one not whole."""
    return bool(numbers) and all(-1 <= v <= 1 for v in numbers) and any(v != int(v) for v in numbers)


def scale_fractions(row: Mapping[str, Any], rules) -> dict[str, Any]:
    """One row given as values (a custom function's arguments): its fractions read as percentages, by the rule
    `read_rows` applies to a table whose number formats cannot be seen."""
    row = dict(row)
    unit = row.get("unit")
    if unit is None or rules.unit_from_text(unit) not in PERCENT_UNITS:
        return row
    numbers = [row[f] for f in SCALED_FIELDS if row.get(f).__class__ in (int, float)]
    if fraction_like(numbers):
        for f in SCALED_FIELDS:
            if row.get(f).__class__ in (int, float):
                row[f] = (Decimal(repr(float(row[f]))) * 100).normalize()
    return row


def _empty_values(path, sheet, lo, keep, fields, cols, ids, uncalculated) -> list[Finding]:
    """An indicator with no forecast or no achieved value is not assessed: say so at the empty cell (an override
    decides without them; a formula without a value has its own finding)."""
    out = []
    overrides = cols.get("override")
    for fld in ("forecast", "actual"):
        col = fields.get(fld)
        if col is None:
            continue
        values = cols[fld]
        empty = [i for i in keep if values[i] is None]
        for i in empty:
            if (overrides is None or overrides[i] is None) and (lo + i, col) not in uncalculated:
                out.append(Finding("missing-value", Location(path, sheet, lo + i, col, fld, ids[i]), {"field": fld}))
    return out


def _g(v: Any) -> str:
    return format(v, "g") if not isinstance(v, Decimal) else format(v.normalize(), "f")


def _id_text(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    s = str(v).strip()
    return s or None
