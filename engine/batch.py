"""assess_frame: the engine over a pandas DataFrame, vectorised for plain numeric rows, exact for the rest."""
# Plain rows (numbers a float holds exactly, no override, range, relative-to-baseline forecast or
# per-indicator settings) are decided with numpy; a row within a hair of a boundary, and every other
# row, goes through `assess`, so the answers are those of `assess` row by row.
from __future__ import annotations

from decimal import Decimal
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
_MARGIN = 1e-9  # relative distance from a boundary below which floats are not trusted


def _exact_float(raw: Any) -> float | None:
    """The float of a plain number whose float round-trips to the same Decimal; None otherwise."""
    value = parse_value(raw)
    if not isinstance(value, Number):
        return None
    f = float(value.value)
    return f if Decimal(repr(f)) == value.value else None


def _numeric(series, pd, np):
    """(floats, is_plain, is_missing) for one input column."""
    if series.dtype.kind in "fi":
        values = series.to_numpy(dtype="float64")
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

    items = series.tolist()
    n = len(items)
    values = np.full(n, np.nan)
    plain = np.zeros(n, bool)
    missing = np.zeros(n, bool)
    kinds = [type(v) for v in items]
    # ints and floats straight to numpy (bool is its own type, so True is not taken for 1)
    is_int = np.fromiter((k is int for k in kinds), bool, count=n)
    direct = is_int | np.fromiter((k is float for k in kinds), bool, count=n)
    if direct.any():
        objects = series.to_numpy(dtype=object)[direct]
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
    for i in np.flatnonzero(~direct):
        values[i], plain[i], missing[i] = one(items[i])
    return values, plain, missing


def _lookup(series, convert, blank, pd, np):
    """convert() once per distinct cell value (factorize), `blank` for empty cells; an object array."""
    try:
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
    except TypeError:  # an unhashable cell (a signalling NaN): one call per cell
        return np.array([blank if v is None or (isinstance(v, float) and v != v) else convert(v) for v in series.tolist()],
                        dtype=object)
    table = np.empty(len(uniques) + 1, dtype=object)
    table[: len(uniques)] = [convert(u) for u in uniques]
    table[-1] = blank  # code -1: None, NaN, pd.NA
    return table[codes]


def _blank(series, np):
    """True where a text column is empty (None, NaN, '', spaces)."""
    if series.dtype.kind in "fi":
        return np.isnan(series.to_numpy(dtype="float64"))
    return np.array([v is None or (isinstance(v, float) and v != v) or (isinstance(v, str) and not v.strip()) for v in series.tolist()], dtype=bool)


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
    col = {c: (df[c] if c in df.columns else pd.Series([None] * n, index=df.index, dtype=object)) for c in INPUT_COLUMNS}
    settings = rules.settings_for()
    if pd.api.types.infer_dtype(col["id"], skipna=True) in ("string", "empty"):
        ids = np.array([v.strip() if v.__class__ is str else "" for v in col["id"].tolist()], dtype=object)
    else:  # mixed cells, str() each as assess does
        ids = np.array(["" if v is None or (isinstance(v, float) and v != v) else str(v).strip()
                        for v in col["id"].tolist()], dtype=object)
    # units and directions as small integer codes (index into UNITS / DIRECTIONS, -1 unknown): numpy
    # compares ints far faster than Python strings
    unit_index = {u: i for i, u in enumerate(UNITS)}
    ucode = _lookup(col["unit"], lambda v: unit_index.get(rules.unit_from_text(v), -1) if isinstance(v, str) else -1,
                    -1, pd, np).astype(np.int8)
    dir_index = {d: i for i, d in enumerate(DIRECTIONS)}
    dcode = _lookup(col["direction"],
                    lambda v: dir_index.get(resolve_direction(v, settings.direction), -1) if isinstance(v, str) else -1,
                    dir_index[settings.direction], pd, np).astype(np.int8)
    U = {u: np.int8(i) for i, u in enumerate(UNITS)}

    f, f_plain, _ = _numeric(col["forecast"], pd, np)
    a, a_plain, _ = _numeric(col["actual"], pd, np)
    b, b_plain, b_missing = _numeric(col["baseline"], pd, np)
    s, s_plain, s_missing = _numeric(col["sample_size"], pd, np)
    no_override = _blank(col["override"], np)
    no_justification = _blank(col["justification"], np)
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
    if len(slow):
        records = df.iloc[slow].to_dict("records") if len(df.columns) else [{} for _ in slow]
        for pos, record in zip(slow, records):
            clean = {k: (None if isinstance(v, float) and v != v else v) for k, v in record.items()}
            for c, v in _row_result(assess(clean, rules)).items():
                cols[c][pos] = v
    # object dtype kept on purpose: pandas 3 would otherwise turn None into NaN in string columns
    return pd.DataFrame({c: pd.Series(v, index=df.index, dtype=v.dtype) for c, v in cols.items()}, index=df.index)
