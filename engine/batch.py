"""assess_columns / assess_frame: the engine over whole columns (numpy; pandas only for a DataFrame), vectorised for plain numeric rows, exact for the rest."""
# Plain rows (numbers a float holds exactly, no override, range, relative-to-baseline forecast or
# per-indicator settings) are decided with numpy; a row within a hair of a boundary, and every other
# row, goes through `assess`, so the answers are those of `assess` row by row.
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from itertools import repeat
from operator import is_
from typing import Any

from engine.assessment import assess, resolve_direction
from engine.rules import Rules
from engine.status import DIRECTIONS, UNITS, Basis, Status
from engine.values import Number, parse_value

INPUT_COLUMNS = ("id", "unit", "baseline", "forecast", "actual", "sample_size", "direction", "override", "justification")
OUTPUT_COLUMNS = ("id", "status", "basis", "deviation", "deviation_unit", "resolved_forecast", "symbol", "colour", "findings")
_FAST_UNITS = ("count", "money", "hours", "percent", "percent_change")
STATUSES = (Status.ACHIEVED, Status.WORSE, Status.BETTER, Status.NOT_ASSESSED)
BASES = (Basis.COMPUTED, Basis.QUALITATIVE, Basis.OVERRIDE, Basis.NONE)
_KIND = defaultdict(int, {int: 1, float: 2, type(None): 3})
_MARGIN = 1e-9  # relative distance from a boundary below which floats are not trusted


def _exact_float(raw: Any) -> float | None:
    """The float of a plain number whose float round-trips to the same Decimal; None otherwise."""
    value = parse_value(raw)
    if not isinstance(value, Number):
        return None
    f = float(value.value)
    return f if Decimal(repr(f)) == value.value else None


def _numeric(series, np):
    """(floats, is_plain, is_missing) for one input column: a numeric ndarray, or a list of cell values."""
    if getattr(series, "dtype", None) is not None and series.dtype.kind in "fi":
        values = series.astype("float64")
        missing = np.isnan(values)
        magnitude = np.abs(values)
        # far from values.MAX_EXPONENT's limits; the rare rest goes through parse_value in assess
        plain = ~missing & np.isfinite(values) & ((values == 0) | ((magnitude >= 1e-29) & (magnitude < 1e30)))
        if series.dtype.kind == "i":
            plain &= np.abs(values) < 2.0**53
        return values, plain, missing
    cache: dict[tuple[type, Any], tuple[float, bool, bool]] = {}

    def one(raw: Any) -> tuple[float, bool, bool]:
        # type in the key: 1, 1.0, Decimal(1) and True hash alike but do not parse alike
        key = (type(raw), raw if isinstance(raw, (str, int)) else repr(raw))
        hit = cache.get(key)
        if hit is None:
            parsed = parse_value(raw)
            if isinstance(parsed, Number):
                f = _exact_float(raw)
                hit = (f, True, False) if f is not None else (np.nan, False, False)
            elif type(parsed).__name__ == "Missing":
                hit = (np.nan, False, True)
            else:
                hit = (np.nan, False, False)
            cache[key] = hit
        return hit

    items = list(series)
    n = len(items)
    values = np.full(n, np.nan)
    plain = np.zeros(n, bool)
    missing = np.zeros(n, bool)
    # a code per cell's type, in C (map over dict lookups): 1 int, 2 float, 3 None, 0 anything else
    kind = np.fromiter(map(_KIND.__getitem__, map(type, items)), np.int8, count=n)
    # ints and floats straight to numpy (bool is its own type, so True is not taken for 1)
    is_int = kind == 1
    direct = is_int | (kind == 2)
    if direct.any():
        objects = np.fromiter(items, dtype=object, count=n)[direct]
        try:
            numbers = objects.astype("float64")
        except OverflowError:  # an int beyond float range: leave those to parse_value
            direct[:] = False
        else:
            magnitude = np.abs(numbers)
            exact = ~is_int[direct] | (magnitude < 2.0**53)  # larger ints are not all floats
            ok = exact & np.isfinite(numbers) & ((numbers == 0) | ((magnitude >= 1e-29) & (magnitude < 1e30)))
            values[direct] = numbers
            missing[direct] = np.isnan(numbers)
            plain[direct] = ok
            direct[np.flatnonzero(direct)[~ok & ~np.isnan(numbers)]] = False  # odd ones: parse them
    empty = kind == 3  # None: an empty cell, as parse_value says
    missing[empty] = True
    for i in np.flatnonzero(~direct & ~empty):
        values[i], plain[i], missing[i] = one(items[i])
    return values, plain, missing


def _lookup(items, convert, blank, np):
    """convert() once per distinct cell value, `blank` for empty cells (None, NaN); an object array."""
    n = len(items)
    out = np.empty(n, dtype=object)
    try:
        table: dict = {}
        for v in items:
            if v not in table:
                table[v] = blank if v is None or (v.__class__ is float and v != v) else convert(v)
        out[:] = [table[v] for v in items] if n else []
    except TypeError:  # an unhashable cell (a signalling NaN): one call per cell
        out[:] = [blank if v is None or (isinstance(v, float) and v != v) else convert(v) for v in items]
    return out


def _blank(items, np):
    """True where a text column is empty (None, NaN, '', spaces)."""
    blank = np.fromiter(map(is_, items, repeat(None)), dtype=bool, count=len(items))  # mostly None: checked in C
    for i in np.flatnonzero(~blank).tolist():
        v = items[i]
        blank[i] = (isinstance(v, float) and v != v) or (isinstance(v, str) and not v.strip())
    return blank


def _row_result(a) -> dict[str, Any]:
    return {
        "id": a.id, "status": a.status.value, "basis": a.basis.value,
        "deviation": float(a.deviation) if a.deviation is not None else float("nan"),
        "deviation_unit": a.deviation_unit,
        "resolved_forecast": float(a.resolved_forecast) if isinstance(a.resolved_forecast, Decimal) else float("nan"),
        "symbol": a.symbol, "colour": a.colour, "findings": tuple(f.code for f in a.findings),
    }


def _findings_table():
    import numpy as np

    table = np.empty(2, dtype=object)
    table[0], table[1] = (), ("small-sample-without-justification",)
    return table


def assess_frame(df, rules: Rules):
    """One output row per input row (same index): the columns of OUTPUT_COLUMNS.

    `deviation` and `resolved_forecast` are floats (NaN where none: not computed, a range, missing);
    `findings` is a tuple of finding codes. Use `assess` for explanations and located findings.
    """
    import numpy as np
    import pandas as pd

    n = len(df)
    columns: dict[str, Any] = {}
    for c in INPUT_COLUMNS:
        if c not in df.columns:
            continue
        series = df[c]
        if c in ("baseline", "forecast", "actual", "sample_size") and series.dtype.kind in "fi":
            columns[c] = series.to_numpy()
            continue
        columns[c] = _none_for_na(series.tolist(), series, pd, np)
    text_ids = pd.api.types.infer_dtype(df["id"], skipna=True) in ("string", "empty") if "id" in df.columns else True

    def records(slow):
        out = df.iloc[slow].to_dict("records") if len(df.columns) else [{} for _ in slow]
        return [{k: (None if isinstance(v, float) and v != v else v) for k, v in record.items()} for record in out]

    cols, _ = assess_columns(columns, n, rules, records=records, text_ids=text_ids)
    # object dtype kept on purpose: pandas 3 would otherwise turn None into NaN in string columns
    return pd.DataFrame({c: pd.Series(v, index=df.index, dtype=v.dtype) for c, v in cols.items()}, index=df.index)


def _none_for_na(items: list, series, pd, np) -> list:
    """pandas' missing markers (pd.NA, NaT, NaN) as None, the empty cell the rest of the engine knows."""
    try:
        missing = np.flatnonzero(series.isna().to_numpy())
    except (TypeError, ArithmeticError):  # a cell that refuses the check (a signalling NaN): one at a time
        missing = [i for i, v in enumerate(items) if v is pd.NA or v is pd.NaT]
    for i in missing:
        items[i] = None
    return items


def assess_columns(columns, n: int, rules: Rules, *, records=None, text_ids: bool | None = None):
    """assess_frame without pandas: `columns` maps INPUT_COLUMNS names to lists of cell values (or numeric
    arrays) of length n, an absent name is an empty column. Returns (the OUTPUT_COLUMNS as numpy arrays,
    {position: Assessment} for the rows decided by `assess`, which callers may reuse).

    `records(positions)` gives the input mappings `assess` sees for those rows (default: the columns' values).
    """
    import numpy as np

    empty = [None] * n
    col = {c: columns[c] if c in columns else empty for c in INPUT_COLUMNS}
    settings = rules.settings_for()
    id_items = list(col["id"])
    if text_ids is None:
        text_ids = all(v.__class__ is str for v in id_items if v is not None and not (v.__class__ is float and v != v))
    if text_ids:
        ids = np.array([v.strip() if v.__class__ is str else "" for v in id_items] or [], dtype=object)
    else:  # mixed cells, str() each as assess does
        ids = np.array(["" if v is None or (isinstance(v, float) and v != v) else str(v).strip()
                        for v in id_items] or [], dtype=object)
    # units and directions as small integer codes (index into UNITS / DIRECTIONS, -1 unknown): numpy
    # compares ints far faster than Python strings
    unit_index = {u: i for i, u in enumerate(UNITS)}
    ucode = _lookup(list(col["unit"]), lambda v: unit_index.get(rules.unit_from_text(v), -1) if isinstance(v, str) else -1,
                    -1, np).astype(np.int8)
    dir_index = {d: i for i, d in enumerate(DIRECTIONS)}
    dcode = _lookup(list(col["direction"]),
                    lambda v: dir_index.get(resolve_direction(v, settings.direction), -1) if isinstance(v, str) else -1,
                    dir_index[settings.direction], np).astype(np.int8)
    U = {u: np.int8(i) for i, u in enumerate(UNITS)}

    f, f_plain, _ = _numeric(col["forecast"], np)
    a, a_plain, _ = _numeric(col["actual"], np)
    b, b_plain, b_missing = _numeric(col["baseline"], np)
    s, s_plain, s_missing = _numeric(col["sample_size"], np)
    no_override = _blank(list(col["override"]), np)
    no_justification = _blank(list(col["justification"]), np)
    own = list(rules.indicator_ids)

    milestone = (ucode == U["milestone"]) & ((f == 0) | (f == 1)) & ((a == 0) | (a == 1))
    fast = (f_plain & a_plain & (b_plain | b_missing) & ((s_plain & (s >= 0)) | s_missing) & no_override
            & (((ucode >= 0) & (ucode != U["milestone"])) | milestone) & (dcode >= 0))
    if own:
        fast &= ~np.isin(ids, own)

    # --- the small-sample rule ---
    ss = settings.small_sample
    nval = np.full(n, np.nan)
    given = {"sample_size": np.where(s_missing, np.nan, s), "forecast": f, "actual": a}
    for unit in _FAST_UNITS:
        current = np.full(n, np.nan)
        for source in reversed(ss.sources(unit)):  # the first source listed that has a value wins
            current = np.where(np.isnan(given[source]), current, given[source])
        nval = np.where(ucode == U[unit], current, nval)
    applies = np.isin(ucode, [U[u] for u in ss.units]) if ss.enabled else np.zeros(n, bool)
    thr = float(ss.threshold)
    with np.errstate(invalid="ignore"):
        has_n = applies & ~np.isnan(nval)
        small = has_n & ((nval <= thr) if ss.inclusive else (nval < thr)) & ~milestone
        fast &= ~(has_n & (np.abs(nval - thr) <= _MARGIN * max(1.0, thr)))

    # --- deviation and tolerance ---
    diff = a - f
    sign = np.sign(diff)
    points = ((ucode == U["percent"]) | (ucode == U["percent_change"])) & (settings.percent_deviation == "points")
    tol = float(settings.tolerance)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        scaled = np.where(points, np.abs(diff), np.abs(diff) * 100.0)
        limit = np.where(points, tol, tol * np.abs(f))
        within = (scaled <= limit) if settings.tolerance_inclusive else (scaled < limit)
        near = np.abs(scaled - limit) <= _MARGIN * np.maximum(1.0, np.maximum(scaled, limit))
        deviation = np.where(points, diff, diff * 100.0 / np.abs(f))
    zero = ~points & (f == 0)
    fast &= ~(near & ~small & ~zero & (sign != 0))

    # statuses as codes into STATUSES, basis as codes into BASES
    ACH, WOR, BET, NOT = range(4)
    higher = dcode == DIRECTIONS.index("higher_is_better")
    lower = dcode == DIRECTIONS.index("lower_is_better")
    beyond = np.where(((sign > 0) & higher) | ((sign < 0) & lower), BET, WOR)
    status = np.where(sign == 0, ACH, np.where(small | zero | ~within, beyond, ACH))
    basis = np.where(small, 1, 0)  # computed, qualitative
    # milestones: forecast 0 is not due; 1 of 1 achieved, 0 of 1 worse
    status = np.where(milestone, np.where(f == 0, NOT, np.where(a == 1, ACH, WOR)), status)
    basis = np.where(milestone & (f == 0), 3, basis)  # none
    shown = ~small & ~zero & ~milestone
    out_dev = np.where(shown, np.where(sign == 0, 0.0, deviation), np.nan)
    unit_code = np.where(shown, np.where(points, 2, 1), 0)
    need_just = small & ss.justification_required & no_justification

    status_names = np.array([st.value for st in STATUSES], dtype=object)
    cols = {
        "id": ids,
        "status": status_names[status],
        "basis": np.array([bs.value for bs in BASES], dtype=object)[basis],
        "deviation": out_dev.astype("float64"),
        "deviation_unit": np.array([None, "%", "p.p."], dtype=object)[unit_code],
        "resolved_forecast": f.astype("float64"),
        "symbol": np.array([rules.symbol(st) for st in STATUSES], dtype=object)[status],
        "colour": np.array([rules.colour(st) for st in STATUSES], dtype=object)[status],
        "findings": _findings_table()[need_just.astype(int)],
    }

    slow = np.flatnonzero(~fast)
    decided: dict[int, Any] = {}
    if len(slow):
        if records is None:
            given_cols = [c for c in INPUT_COLUMNS if c in columns]
            inputs = [{c: _cell(columns[c][pos]) for c in given_cols} for pos in slow]
        else:
            inputs = records(slow)
        for pos, record in zip(slow.tolist(), inputs):
            a = assess(record, rules)
            decided[pos] = a
            for c, v in _row_result(a).items():
                cols[c][pos] = v
    return cols, decided


def _cell(v: Any) -> Any:
    """A value as `assess` gets it from a column: NaN (pandas' or numpy's empty) is None."""
    return None if isinstance(v, float) and v != v else v
