"""Many rows at once: assess_many chooses between `assess` row by row and the vectorised (numpy) path, which declares what it supports."""
# The numpy path decides the status of plain rows (numbers a float holds exactly, no override, range or
# relative-to-baseline forecast, no settings of their own) under a rule file whose every setting SUPPORTED
# names; the Decimals it reports are computed as `assess` computes them. A row within a hair of a boundary,
# and every other row, goes through `assess`, so the answers are those of `assess` row by row.
from __future__ import annotations

import dataclasses
import gc
import sys
from collections import defaultdict, deque
from contextlib import contextmanager
from decimal import Decimal
from itertools import compress, repeat
from operator import attrgetter
from typing import Any, Callable, Iterable, Iterator, Mapping, NamedTuple, Sequence

from engine.assessment import Assessment, _text, assess, assessments_from_columns, deviations_between, resolve_direction
from engine.findings import Finding, Location
from engine.rules import Rules, Settings, SmallSample
from engine.status import Basis, Status
from engine.values import is_plain, parse_value

INPUT_COLUMNS = ("id", "unit", "baseline", "forecast", "actual", "sample_size", "direction", "override", "justification")
OUTPUT_COLUMNS = ("id", "status", "basis", "deviation", "deviation_unit", "resolved_forecast", "symbol", "colour", "findings")
STATUSES = (Status.ACHIEVED, Status.WORSE, Status.BETTER, Status.NOT_ASSESSED)
BASES = (Basis.COMPUTED, Basis.QUALITATIVE, Basis.OVERRIDE, Basis.NONE)

# From how many rows assess_many takes the numpy path (bench/bench_engine.py --threshold measures both):
# importing numpy costs 0.1–0.15 s, a row ~4 µs here against ~15 µs through `assess`, so the numpy path
# pays from ~8 000 rows (break-even measured between 6 000 and 8 000 on a busy machine); once numpy is
# loaded (pandas, an earlier batch) only the fixed cost of the arrays is left, paid off from ~200 rows.
FAST_PATH_MIN_ROWS = 8_000
FAST_PATH_MIN_ROWS_NUMPY_LOADED = 200


# --- what the numpy path supports ---------------------------------------------------------------------

class FastPathSupport(NamedTuple):  # not a dataclass: defining one took most of this module's import time
    """The rule-file settings and the cell values the vectorised path implements exactly as `assess` does.

    A rule file with a setting outside it (an unknown key, or a value not listed) is assessed by `assess`
    row by row; so is a row whose unit (after the file's aliases) or direction is not listed, or whose cells
    are not all of `values`. Settings that only reach rows sent to `assess` anyway (per-unit entries of
    units not listed, relative-to-baseline modes, per-indicator settings) are accepted.
    """

    units: tuple[str, ...]  # canonical units; an alias of another unit (a new kind) sends its rows to assess
    directions: tuple[str, ...]  # the file's default and each row's, after aliases
    percent_deviation: tuple[str, ...]
    tolerance_inclusive: tuple[bool, ...]
    tolerance_range: tuple[float, float]  # tolerance.value, inclusive bounds
    threshold_range: tuple[float, float]  # small_sample.threshold, inclusive bounds
    n_sources: tuple[str, ...]  # small_sample.n_source values
    resolutions: tuple[str, ...]  # relative_to_baseline modes (such forecasts themselves go to assess)
    statuses: tuple[str, ...]  # statuses the file may style (symbol, colour, texts)
    format_versions: tuple[int, ...]
    # the fields of engine.rules.Settings and SmallSample the vectorised code reads or knows to be irrelevant
    engine_settings: tuple[str, ...]
    values: tuple[str, ...]  # cells of the rows taken: see _numeric
    per_indicator_settings: bool  # False: an indicator with settings of its own goes to assess
    overrides: bool  # False: a row with an analyst's override goes to assess
    ranges: bool  # False: a range (35–70) in forecast or actual goes to assess
    relative_forecasts: bool  # False: a forecast relative to the baseline goes to assess


SUPPORTED = FastPathSupport(
    units=("count", "money", "hours", "percent", "percent_change", "milestone"),
    directions=("higher_is_better", "lower_is_better", "closer_is_better"),
    percent_deviation=("points", "relative"),
    tolerance_inclusive=(True, False),
    tolerance_range=(0.0, 1e6),
    threshold_range=(0.0, 1e30),  # beyond the largest plain value (values.MAX_EXPONENT)
    n_sources=("sample_size", "forecast", "actual"),
    resolutions=("points", "relative", "direct"),
    statuses=("achieved", "worse", "better", "not_assessed"),
    format_versions=(1,),
    engine_settings=("tolerance", "tolerance_inclusive", "percent_deviation", "relative_to_baseline", "small_sample",
                     "direction", "unit", "small_sample.enabled", "small_sample.threshold", "small_sample.inclusive",
                     "small_sample.units", "small_sample.n_source", "small_sample.justification_required"),
    values=("forecast, actual: a bare number (values.is_plain: no word, footnote, year or approximation mark) whose "
            "Decimal a float holds exactly (int, float, Decimal, or text such as '88 949'), 0 or 1e-29 ≤ |x| < 1e30",
            "baseline, sample_size (≥ 0): such a number, or an empty cell or a missing-data word"),
    per_indicator_settings=False,
    overrides=False,
    ranges=False,
    relative_forecasts=False,
)


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _within(bounds: tuple[float, float]) -> Callable[[Any], bool]:
    return lambda v: _is_number(v) and bounds[0] <= v <= bounds[1]


def _one_of(options: tuple) -> Callable[[Any], bool]:
    return lambda v: any(v == o and type(v) is type(o) for o in options)


def _text_ok(v: Any) -> bool:
    return isinstance(v, str)


def _bool_ok(v: Any) -> bool:
    return isinstance(v, bool)


def _anything(v: Any) -> bool:
    return True


def _setting_checks(s: FastPathSupport) -> dict[str, Any]:
    """Every key of a rule file the declaration knows ("*": any key), as a tree whose leaves say what a value may be."""
    def status() -> dict[str, Any]:  # symbols and colours come from Rules.symbol / Rules.colour, as in assess
        texts = {"lv": _text_ok, "en": _text_ok}
        return {"symbol": _text_ok, "colour": _text_ok, "label": texts, "description": texts}

    return {
        "$schema": _text_ok, "name": _text_ok, "description": _text_ok,
        "format_version": _one_of(s.format_versions),
        "lists_indicators": _bool_ok,  # which ids validate expects: no bearing on an assessment
        "indicators": _anything,  # their rows go to assess (per_indicator_settings=False)
        "tolerance": {"value": _within(s.tolerance_range), "inclusive": _one_of(s.tolerance_inclusive)},
        "percent_deviation": _one_of(s.percent_deviation),
        "relative_to_baseline": {"*": _one_of(s.resolutions)},
        "small_sample": {
            "enabled": _bool_ok,
            "threshold": _within(s.threshold_range),
            "inclusive": _bool_ok,
            # a unit not in s.units may be named: it only concerns rows that go to assess
            "units": lambda v: isinstance(v, list) and all(isinstance(u, str) for u in v),
            "n_source": {"*": lambda v: isinstance(v, list) and bool(v) and all(map(_one_of(s.n_sources), v))},
            "justification_required": _bool_ok,
        },
        "direction": _one_of(s.directions),
        "units": {"aliases": {"*": _text_ok}},  # an alias of a unit not in s.units: its rows go to assess
        "statuses": {name: status() for name in s.statuses},
    }


def _unsupported_in(node: Mapping[str, Any], known: Mapping[str, Any], path: tuple[str, ...], out: list[str]) -> None:
    for key, value in node.items():
        here = (*path, str(key))
        spec = known.get(key, known.get("*"))
        if callable(spec):
            if not spec(value):
                out.append(_json_path(here))
        elif spec is not None and isinstance(value, Mapping):
            _unsupported_in(value, spec, here, out)
        else:  # a key the declaration does not know, or a value where it knows an object
            out.append(_json_path(here))


def _json_path(path: tuple[str, ...]) -> str:
    return "$" + "".join(f".{p}" if p.isidentifier() else f"[{p!r}]" for p in path)


def unsupported(rules: Rules) -> tuple[str, ...]:
    """The settings of `rules` outside SUPPORTED, as JSON paths (engine fields as engine.rules.<field>); () when none."""
    cached = rules._cache.get("fast-path-unsupported")
    if cached is None:
        out: list[str] = []
        _unsupported_in(rules.effective, _setting_checks(SUPPORTED), (), out)
        # settings the engine reads that the declaration has not heard of: a new one is unsupported until it is
        known = set(SUPPORTED.engine_settings)
        fields = [f.name for f in dataclasses.fields(Settings)] + [f"small_sample.{f.name}" for f in dataclasses.fields(SmallSample)]
        out += [f"engine.rules.{name}" for name in fields if name not in known]
        cached = rules._cache["fast-path-unsupported"] = tuple(out)
    return cached


def supports(rules: Rules) -> bool:
    """Whether the numpy path may assess rows under `rules` (every setting of the file is in SUPPORTED)."""
    return not unsupported(rules)


def row_supported(row: Mapping[str, Any], rules: Rules) -> bool:
    """Whether the numpy path decides this row under `rules` itself (else it hands the row to `assess`)."""
    if not supports(rules):
        return False
    import numpy as np

    return bool(_plan({c: [row.get(c)] for c in INPUT_COLUMNS}, 1, rules, np).fast[0])


# --- the entries ----------------------------------------------------------------------------------------

def fast_path_wanted(n: int, rules: Rules, fast: bool | None = None) -> bool:
    """Whether assess_many takes the numpy path for n rows: never for rules it does not support, nor where
    numpy cannot be imported (xlwings Lite's Pyodide has no numpy unless asked for); else `fast` when given
    (True/False), else from FAST_PATH_MIN_ROWS rows (FAST_PATH_MIN_ROWS_NUMPY_LOADED once numpy is loaded)."""
    if fast is False or n == 0 or not supports(rules):
        return False
    if "numpy" in sys.modules:
        return bool(fast) or n >= FAST_PATH_MIN_ROWS_NUMPY_LOADED
    if not (fast or n >= FAST_PATH_MIN_ROWS):
        return False
    from importlib.util import find_spec

    return find_spec("numpy") is not None


def import_fast_path() -> bool:
    """Import what the numpy path needs (numpy), ahead of an assess_many that will probably want it: in a thread
    while a large workbook is read, or once before a batch forks its workers. False where it cannot be imported
    (xlwings Lite's Pyodide without numpy): assess_many then assesses row by row, as fast_path_wanted finds."""
    try:
        import numpy  # noqa: F401
    except Exception:  # not there, or a broken one
        return False
    return True


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while many Assessments are made: they hold no cycles, and each collection
    would walk every object alive (a table's worth) to free nothing (up to half the time of a large batch)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def assess_many(rows: Sequence[Mapping[str, Any]], rules: Rules, *, fast: bool | None = None,
                columns: Mapping[str, Sequence[Any]] | None = None) -> "Assessments":
    """[assess(row, rules) for row in rows], equal row by row and in order; the numpy path where it pays
    (see fast_path_wanted; `fast` forces it on or off). Rows are the mappings `assess` takes.

    `columns`: the same rows' INPUT_COLUMNS given column by column, when the caller has them already (the
    workbook model reads its tables by column); the numpy path reads them instead of picking them out of
    the rows. A row the numpy path hands to `assess` is always given as its mapping in `rows`.

    The answer is a sequence of Assessments that can also be read field by field (Assessments.column)
    without making an Assessment a row, which is most of the numpy path's cost for a large table."""
    rows = rows if isinstance(rows, list) else list(rows)
    with _collector_paused():
        if not fast_path_wanted(len(rows), rules, fast):
            return Assessments.of([assess(r, rules) for r in rows])
        if columns is None:
            columns = {c: [r.get(c) for r in rows] for c in INPUT_COLUMNS}
        elif any(len(v) != len(rows) for v in columns.values()):
            raise ValueError(f"columns of {sorted({len(v) for v in columns.values()})} values for {len(rows)} rows")
        given = {c: v.tolist() if hasattr(v, "tolist") else v for c, v in columns.items() if c in INPUT_COLUMNS}
        return _assess_fast(given, len(rows), rules, lambda slow: [rows[i] for i in slow])


def assess_many_columns(columns: Mapping[str, Sequence[Any]], rules: Rules, *, n: int | None = None,
                        fast: bool | None = None) -> "Assessments":
    """assess_many for rows given column by column: `columns` maps INPUT_COLUMNS names to sequences of cell
    values of one length (an absent name is an empty column; `n` gives the length when no column is given).
    Row i is {name: columns[name][i] for each name given}, what `assess` gets for it on either path."""
    lengths = {len(v) for v in columns.values()}
    if n is not None:
        lengths.add(n)
    if len(lengths) > 1:
        raise ValueError(f"the columns are not of one length: {sorted(lengths)}")
    count = lengths.pop() if lengths else 0
    names = [c for c in columns]
    given = [columns[c].tolist() if hasattr(columns[c], "tolist") else columns[c] for c in names]

    def records(positions):
        return [dict(zip(names, [g[i] for g in given])) for i in positions]

    with _collector_paused():
        if not fast_path_wanted(count, rules, fast):
            if not names:
                return Assessments.of([assess({}, rules) for _ in range(count)])
            return Assessments.of([assess(dict(zip(names, values)), rules) for values in zip(*given)])
        return _assess_fast({c: g for c, g in zip(names, given) if c in INPUT_COLUMNS}, count, rules, records)


def _assess_fast(columns: Mapping[str, Sequence[Any]], n: int, rules: Rules,
                 records: Callable[[list[int]], list[Mapping[str, Any]]]) -> "Assessments":
    import numpy as np

    empty = [None] * n
    col = {c: columns[c] if c in columns else empty for c in INPUT_COLUMNS}
    plan = _plan(col, n, rules, np)
    fast_at = np.flatnonzero(plan.fast).tolist()
    slow_at = np.flatnonzero(~plan.fast).tolist()
    fields, later = _assessment_columns(plan, fast_at, col, rules, np)
    slow = [assess(record, rules) for record in records(slow_at)] if slow_at else []
    return Assessments(n, fast_at, fields, slow_at, slow, later)


class Assessments(Sequence):
    """The Assessments of many rows, in their order (assess_many's answer), also readable field by field.

    The numpy path knows every field of its rows as columns; making an Assessment of each row took most of its
    time for a large table, and a caller that needs a few fields (validate: the status, symbol and deviation
    of each row) need not pay for it. `column(name)` is [a.<name> for a in self], without making them; the
    Assessments themselves are made all at once, column-wise, when first looked at."""

    __slots__ = ("_n", "_fast_at", "_fields", "_slow_at", "_slow", "_later", "_items")

    def __init__(self, n: int, fast_at: list[int], fields: Mapping[str, list[Any]], slow_at: list[int],
                 slow: list[Assessment], later: Mapping[str, Callable[[], list[Any]]] | None = None):
        """`later`: the fields of the numpy path's rows that are made only when read (name -> a function giving
        the column): a caller reading a few fields does not hold, say, 100 000 params dicts it never looks at."""
        self._n, self._fast_at, self._fields, self._slow_at, self._slow = n, fast_at, dict(fields), slow_at, slow
        self._later = dict(later or {})
        self._items: list[Assessment] | None = None

    @classmethod
    def of(cls, items: list[Assessment]) -> "Assessments":
        """Assessments made row by row."""
        made = cls(len(items), [], {}, [], [])
        made._items = items
        return made

    def column(self, name: str) -> list[Any]:
        """[a.<name> for a in self] (a field of Assessment), without making the Assessments of the numpy path."""
        if self._items is not None:
            return list(map(attrgetter(name), self._items))
        if name not in _FIELD_NAMES:
            raise AttributeError(f"Assessment has no field {name!r}")
        return self._merged(self._field(name), map(attrgetter(name), self._slow))

    def _field(self, name: str) -> list[Any]:
        if name in self._later:
            self._fields[name] = self._later.pop(name)()
        return self._fields[name]

    def _made(self) -> list[Assessment]:
        if self._items is None:
            for name in list(self._later):
                self._field(name)
            built = assessments_from_columns(self._fields, len(self._fast_at)) if self._fast_at else []
            self._items = self._merged(built, self._slow)
            self._fields, self._slow = {}, []
        return self._items

    def _merged(self, fast: Sequence[Any], slow: Iterable[Any]) -> list[Any]:
        """One list in row order of the numpy path's rows' items (`fast`) and those of the rows assess decided."""
        if not self._slow_at:
            return list(fast)
        out: list[Any] = [None] * self._n
        deque(map(out.__setitem__, self._fast_at, fast), maxlen=0)  # in C
        deque(map(out.__setitem__, self._slow_at, slow), maxlen=0)
        return out

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, index):
        return self._made()[index]

    def __iter__(self):
        return iter(self._made())

    def __eq__(self, other) -> bool:
        if isinstance(other, Assessments):
            other = other._made()
        return isinstance(other, (list, tuple)) and self._made() == list(other)

    __hash__ = None  # type: ignore[assignment]  # a sequence compared by its items, as a list is

    def __repr__(self) -> str:
        return f"Assessments({self._made()!r})"

    def __reduce__(self):  # pickled as the Assessments it holds
        return Assessments.of, (self._made(),)


_FIELD_NAMES = frozenset(Assessment.__dataclass_fields__)


# --- the vectorised decision --------------------------------------------------------------------------

_KIND = defaultdict(int, {int: 1, float: 2, type(None): 3})
# how a fast row was decided: its reason, params and deviation follow from it
NOT_DUE, MILESTONE, QUALITATIVE, ZERO_INSIDE, ZERO_BEYOND, INSIDE, COMPUTED = range(7)
_REASONS = ("not-due", "milestone", "qualitative", "zero-forecast", "zero-forecast", "computed", "computed")
_ZERO = Decimal(0)  # the deviation of a row inside the tolerance band
ACH, WOR, BET, NOT = range(4)  # index into STATUSES
_COMPUTED, _QUALITATIVE, _NONE = 0, 1, 3  # index into BASES
_SOURCES = ("sample_size", "forecast", "actual")
# Float arithmetic is trusted where it is this far (relative to the magnitudes involved) from a boundary:
# a plain value's float is within 2**-53 of it, the few operations add a few such errors (~1e-15 in all).
_MARGIN = 1e-12


def _numeric(series, np):
    """(floats, is_plain, is_missing, {position: Decimal} of the plain cells parsed from other types than int and
    float) for one input column: a numeric ndarray, or a list of cell values.

    Plain: the cell parses as a Number whose Decimal is the shortest repr of its float (so comparing floats
    orders the Decimals exactly), within values.MAX_EXPONENT's limits with room to spare.
    """
    if getattr(series, "dtype", None) is not None and series.dtype.kind in "fi":
        values = series.astype("float64")
        missing = np.isnan(values)
        magnitude = np.abs(values)
        # far from values.MAX_EXPONENT's limits; the rare rest goes through parse_value in assess
        plain = ~missing & np.isfinite(values) & ((values == 0) | ((magnitude >= 1e-29) & (magnitude < 1e30)))
        if series.dtype.kind == "i":
            plain &= np.abs(values) < 2.0**53
        return values, plain, missing, {}
    cache: dict[tuple[type, Any], tuple[float, bool, bool, Decimal | None]] = {}

    def one(raw: Any) -> tuple[float, bool, bool, Decimal | None]:
        # type in the key: 1, 1.0, Decimal(1) and True hash alike but do not parse alike
        key = (type(raw), raw if isinstance(raw, (str, int)) else repr(raw))
        hit = cache.get(key)
        if hit is None:
            parsed = parse_value(raw)
            if is_plain(parsed):  # a bare number: no milestone word, footnote, year or approximation mark
                f = float(parsed.value)
                exact = Decimal(repr(f)) == parsed.value and (f == 0 or 1e-29 <= abs(f) < 1e30)
                hit = (f, True, False, parsed.value) if exact else (np.nan, False, False, None)
            elif type(parsed).__name__ == "Missing":
                hit = (np.nan, False, True, None)
            else:
                hit = (np.nan, False, False, None)
            cache[key] = hit
        return hit

    items = list(series)
    n = len(items)
    values = np.full(n, np.nan)
    plain = np.zeros(n, bool)
    missing = np.zeros(n, bool)
    parsed: dict[int, Decimal] = {}
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
    for i in np.flatnonzero(~direct & ~empty).tolist():
        values[i], plain[i], missing[i], d = one(items[i])
        if d is not None:
            parsed[i] = d
    return values, plain, missing, parsed


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


def _texts(items) -> list[str | None]:
    """What assess makes of a text cell (assessment._text): stripped text, None for empty ones."""
    return [v.strip() or None if v.__class__ is str else (None if v is None else _text(v)) for v in items]


def _blank(items, np):
    """True where a text cell is empty to assess (None, NaN, pandas' NA, '', spaces)."""
    return np.fromiter((v is None or (not v.strip() if v.__class__ is str else _text(v) is None) for v in items),
                       dtype=bool, count=len(items))


class _Plan:
    """Per row (numpy arrays): whether the vectorised path decides it, and what it decided."""

    __slots__ = ("fast", "how", "status", "basis", "points", "source", "need_justification", "unit", "direction",
                 "forecast", "actual", "sample_given", "ids", "parsed")

    def __init__(self, **fields: Any) -> None:  # a plain class: a dataclass costs ~1 ms to define, at every start
        for name, value in fields.items():
            setattr(self, name, value)

    # fast: bool; how: NOT_DUE … COMPUTED; status: index into STATUSES; basis: index into BASES; points: bool, p.p.;
    # source: index into _SOURCES of the small-sample n, -1 none; need_justification: bool, the small-sample finding;
    # unit / direction: index into SUPPORTED.units / .directions, -1 unsupported; forecast, actual: float64;
    # sample_given: bool, a sample size (else an empty cell); ids: list of str; parsed: per numeric column, the
    # Decimals of its plain cells that were text (or Decimal), by position


def _plan(col, n: int, rules: Rules, np) -> _Plan:
    settings = rules.settings_for()
    units, directions = SUPPORTED.units, SUPPORTED.directions
    ids = [v.strip() if v.__class__ is str else (_text(v) or "") for v in col["id"]]
    # units and directions as small integer codes (-1: not supported): numpy compares ints far faster than strings
    unit_index = {u: i for i, u in enumerate(units)}
    ucode = _lookup(list(col["unit"]), lambda v: unit_index.get(rules.unit_from_text(v), -1) if isinstance(v, str) else -1,
                    -1, np).astype(np.int8)
    dir_index = {d: i for i, d in enumerate(directions)}
    dcode = _lookup(list(col["direction"]),
                    lambda v: dir_index.get(resolve_direction(v, settings.direction), -1) if isinstance(v, str) else -1,
                    dir_index[settings.direction], np).astype(np.int8)
    U = {u: np.int8(i) for i, u in enumerate(units)}

    f, f_plain, _, f_parsed = _numeric(col["forecast"], np)
    a, a_plain, _, a_parsed = _numeric(col["actual"], np)
    b, b_plain, b_missing, _ = _numeric(col["baseline"], np)
    s, s_plain, s_missing, s_parsed = _numeric(col["sample_size"], np)
    no_override = _blank(list(col["override"]), np)
    no_justification = _blank(list(col["justification"]), np)

    milestone = (ucode == U["milestone"]) & ((f == 0) | (f == 1)) & ((a == 0) | (a == 1))
    fast = (f_plain & a_plain & (b_plain | b_missing) & ((s_plain & (s >= 0)) | s_missing) & no_override
            & (((ucode >= 0) & (ucode != U["milestone"])) | milestone) & (dcode >= 0))
    own = rules.raw.get("indicators") or {}
    if own:
        fast &= ~np.fromiter((i in own for i in ids), dtype=bool, count=n)
    # the sign of actual − forecast: exact, as the shortest repr of floats orders like the floats
    sign = (a > f).astype(np.int8) - (a < f).astype(np.int8)

    # --- the small-sample rule (never for milestones: assess decides those first) ---
    ss = settings.small_sample
    nval = np.full(n, np.nan)
    source = np.full(n, -1, np.int8)
    given = {"sample_size": np.where(s_missing, np.nan, s), "forecast": f, "actual": a}
    for unit in units:
        if unit == "milestone":
            continue
        current, which = np.full(n, np.nan), np.full(n, -1, np.int8)
        for src in reversed(ss.sources(unit)):  # the first source listed that has a value wins
            has = ~np.isnan(given[src])
            current = np.where(has, given[src], current)
            which = np.where(has, np.int8(_SOURCES.index(src)), which)
        here = ucode == U[unit]
        nval = np.where(here, current, nval)
        source = np.where(here, which, source)
    applies = (np.isin(ucode, [U[u] for u in ss.units if u in U]) & (ucode != U["milestone"])
               if ss.enabled else np.zeros(n, bool))
    thr = float(ss.threshold)
    has_n = applies & (source >= 0)
    with np.errstate(invalid="ignore"):
        small = has_n & ((nval <= thr) if ss.inclusive else (nval < thr))
        if Decimal(repr(thr)) != ss.threshold:  # a threshold no float holds (0.1): the floats near it are not trusted
            fast &= ~(has_n & (np.abs(nval - thr) <= _MARGIN * (np.abs(nval) + abs(thr))))
    source = np.where(has_n, source, np.int8(-1))

    # --- deviation against the tolerance ---
    points = np.isin(ucode, [U["percent"], U["percent_change"]]) & (settings.percent_deviation == "points")
    zero = ~points & (f == 0)
    tol = float(settings.tolerance)
    with np.errstate(invalid="ignore", over="ignore"):
        d = np.abs(a - f)
        magnitude = np.abs(a) + np.abs(f)
        scaled = np.where(points, d, d * 100.0)
        limit = np.where(points, tol, tol * np.abs(f))
        within = (scaled <= limit) if settings.tolerance_inclusive else (scaled < limit)
        near = np.abs(scaled - limit) <= _MARGIN * (np.where(points, magnitude, 100.0 * magnitude) + limit)
    decided = ~milestone & ~small & ~zero & (sign != 0)
    fast &= ~(decided & near)

    how = np.select(
        [milestone & (f == 0), milestone, small, zero & (sign == 0), sign == 0, zero],
        [NOT_DUE, MILESTONE, QUALITATIVE, ZERO_INSIDE, INSIDE, ZERO_BEYOND], COMPUTED).astype(np.int8)
    higher = dcode == directions.index("higher_is_better")
    lower = dcode == directions.index("lower_is_better")
    beyond = np.where(((sign > 0) & higher) | ((sign < 0) & lower), BET, WOR)
    status = np.select(
        [how == NOT_DUE, how == MILESTONE, (how == QUALITATIVE) | (how == COMPUTED) | (how == ZERO_BEYOND)],
        [NOT, np.where(a == 1, ACH, WOR), np.where((sign == 0) | ((how == COMPUTED) & within), ACH, beyond)],
        ACH).astype(np.int8)
    basis = np.select([how == NOT_DUE, how == QUALITATIVE], [_NONE, _QUALITATIVE], _COMPUTED).astype(np.int8)
    need_justification = (how == QUALITATIVE) & ss.justification_required & no_justification
    return _Plan(fast=fast, how=how, status=status, basis=basis, points=points, source=source,
                 need_justification=need_justification, unit=ucode, direction=dcode, forecast=f, actual=a,
                 sample_given=~s_missing, ids=ids, parsed={"forecast": f_parsed, "actual": a_parsed, "sample_size": s_parsed})


def _decimals(items: Sequence[Any], at: list[int], parsed: Mapping[int, Decimal]) -> list[Decimal]:
    """The Decimal parse_value gives each cell at `at`, all plain numbers, as assess sees them; `parsed` holds
    those of the cells that are neither int nor float."""
    if not parsed:  # ints and floats: Decimal(repr(x)) is parse_value's for a float, the same digits for an int
        return list(map(Decimal, map(repr, [items[i] for i in at] if len(at) != len(items) else items)))  # in C
    return [parsed[i] if i in parsed else Decimal(repr(items[i])) for i in at]


def _assessment_columns(plan: _Plan, at: list[int], col, rules: Rules,
                        np) -> tuple[dict[str, list[Any]], dict[str, Callable[[], list[Any]]]]:
    """Every field of the Assessments `assess` gives for the rows at `at`, which the plan decides (plan.fast),
    as one list a field (the columns assessments_from_columns makes them from): (the fields made now, those
    made when first read, see Assessments)."""
    m = len(at)
    if not m:
        return {name: [] for name in Assessment.__dataclass_fields__}, {}
    settings = rules.settings_for()
    ss = settings.small_sample
    pick = np.asarray(at, dtype=np.intp)
    how = plan.how[pick].tolist()
    points = plan.points[pick].tolist()
    source = plan.source[pick].tolist()
    statuses = list(map(STATUSES.__getitem__, plan.status[pick].tolist()))
    bases = list(map(BASES.__getitem__, plan.basis[pick].tolist()))
    symbols = {st: rules.symbol(st) for st in STATUSES}
    colours = {st: rules.colour(st) for st in STATUSES}
    forecast = _decimals(col["forecast"], at, plan.parsed["forecast"])
    actual = _decimals(col["actual"], at, plan.parsed["actual"])
    sample: list[Decimal | None] = [None] * m
    given = plan.sample_given[pick]
    if given.any():
        values = _decimals(col["sample_size"], list(compress(at, given.tolist())), plan.parsed["sample_size"])
        for k, value in zip(np.flatnonzero(given).tolist(), values):
            sample[k] = value
    ids = plan.ids if m == len(plan.ids) else [plan.ids[i] for i in at]
    cells = col["justification"]
    justifications = _texts(cells if m == len(cells) else [cells[i] for i in at])

    # the deviation of each row, by how it was decided (most rows: COMPUTED)
    deviation: list[Decimal | None] = [None] * m
    deviation_unit: list[str | None] = [None] * m
    unit_of = ("%", "p.p.")
    computed = plan.how[pick] == COMPUTED
    for in_points in (False, True):  # each kind in one mapped pass (engine.assessment.deviations_between)
        ks = np.flatnonzero(computed & (plan.points[pick] == in_points)).tolist()
        devs = deviations_between([actual[k] for k in ks], [forecast[k] for k in ks], in_points)
        deque(map(deviation.__setitem__, ks, devs), maxlen=0)  # in C
        deque(map(deviation_unit.__setitem__, ks, repeat(unit_of[in_points])), maxlen=0)
    for k in np.flatnonzero(plan.how[pick] == INSIDE).tolist():
        deviation[k] = _ZERO
        deviation_unit[k] = unit_of[points[k]]
    small_n = (sample, forecast, actual)  # by source: the number the small-sample rule counted
    findings: list[tuple[Finding, ...]] = [()] * m
    for k in compress(range(m), plan.need_justification[pick].tolist()):
        findings[k] = (Finding("small-sample-without-justification", Location(field="justification", indicator=ids[k] or None),
                               params={"n": small_n[source[k]][k], "threshold": ss.threshold}),)

    def params() -> list[dict[str, Any]]:  # what each row's explanation is written from, by how it was decided
        threshold, inclusive = ss.threshold, ss.inclusive
        made: list[dict[str, Any]] = []
        add = made.append
        for k, h in enumerate(how):
            if h == COMPUTED:
                add({"points": points[k], "bound": forecast[k]})
            elif h == INSIDE:
                add({"points": points[k], "inside": True})
            elif h == QUALITATIVE:
                add({"n": small_n[source[k]][k], "threshold": threshold, "inclusive": inclusive})
            elif h == ZERO_BEYOND:
                add({"points": False, "bound": forecast[k]})
            elif h == ZERO_INSIDE:
                add({"points": False})
            else:  # milestone, not due
                add({})
        return made
    units = list(map(SUPPORTED.units.__getitem__, plan.unit[pick].tolist()))
    directions = list(map(SUPPORTED.directions.__getitem__, plan.direction[pick].tolist()))
    return {
        "id": ids, "status": statuses, "basis": bases, "deviation": deviation, "deviation_unit": deviation_unit,
        "resolved_forecast": forecast, "actual": actual, "unit": units, "direction": directions,
        "tolerance": [settings.tolerance] * m, "computed_status": statuses,
        "symbol": list(map(symbols.__getitem__, statuses)), "colour": list(map(colours.__getitem__, statuses)),
        "findings": findings, "reason": list(map(_REASONS.__getitem__, how)),
        "computed_basis": bases, "sample_size": sample, "justification": justifications,
        "rules_name": [rules.name] * m,
    }, {"params": params}


# --- a DataFrame of plain values (assess_frame) ----------------------------------------------------------

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

    `deviation` and `resolved_forecast` are floats (NaN where none: not computed, a range, missing), for
    tables and charts: a vectorised row's deviation is float arithmetic, which may differ from the exact one
    in its last digits. `findings` is a tuple of finding codes. Use assess_many for the Assessments (exact
    Decimal deviations, explanations, located findings).
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

    def records(slow):
        out = df.iloc[slow].to_dict("records") if len(df.columns) else [{} for _ in slow]
        return [{k: (None if isinstance(v, float) and v != v else v) for k, v in record.items()} for record in out]

    cols = _output_columns(columns, n, rules, records)
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


def _output_columns(columns, n: int, rules: Rules, records):
    """assess_frame's output without pandas: `columns` maps INPUT_COLUMNS names to lists of cell values (or
    numeric arrays) of length n, an absent name is an empty column; the OUTPUT_COLUMNS as numpy arrays, from
    the plan assess_many's numpy path makes (the same decision), with float deviations for a table.
    `records(positions)` gives the input mappings `assess` sees for the rows the plan cannot decide."""
    import numpy as np

    empty = [None] * n
    col = {c: columns[c] if c in columns else empty for c in INPUT_COLUMNS}
    if supports(rules):
        plan = _plan(col, n, rules, np)
        fast = plan.fast
        f, a, points = plan.forecast, plan.actual, plan.points
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            diff = a - f
            deviation = np.where(points, diff, diff * 100.0 / np.abs(f))
        how = plan.how
        shown = (how == COMPUTED) | (how == INSIDE)
        out_dev = np.where(shown, np.where(how == INSIDE, 0.0, deviation), np.nan)
        unit_code = np.where(shown, np.where(points, 2, 1), 0)
        cols = {
            "id": np.array(plan.ids or [], dtype=object),
            "status": np.array([st.value for st in STATUSES], dtype=object)[plan.status],
            "basis": np.array([bs.value for bs in BASES], dtype=object)[plan.basis],
            "deviation": out_dev.astype("float64"),
            "deviation_unit": np.array([None, "%", "p.p."], dtype=object)[unit_code],
            "resolved_forecast": f.astype("float64"),
            "symbol": np.array([rules.symbol(st) for st in STATUSES], dtype=object)[plan.status],
            "colour": np.array([rules.colour(st) for st in STATUSES], dtype=object)[plan.status],
            "findings": _findings_table()[plan.need_justification.astype(int)],
        }
    else:  # a setting the vectorised path does not implement: every row through assess
        fast = np.zeros(n, bool)
        cols = {c: np.empty(n, dtype="float64" if c in ("deviation", "resolved_forecast") else object) for c in OUTPUT_COLUMNS}

    slow = np.flatnonzero(~fast)
    if len(slow):
        for pos, record in zip(slow.tolist(), records(slow)):
            for c, v in _row_result(assess(record, rules)).items():
                cols[c][pos] = v
    return cols
