"""Assess one indicator against the rules: deviation, tolerance, ranges, milestones, small samples, overrides."""
# Named assessment.py, not assess.py: a submodule `engine.assess` would shadow the function `engine.assess`.
from __future__ import annotations

import decimal
import functools
import operator
from collections import deque
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import repeat
from typing import Any, Mapping, NamedTuple, Sequence

from engine.findings import Finding, Location
from engine.rules import Rules, Settings, direction_from_text
from engine.status import Basis, Status
from engine.values import Invalid, Missing, Number, Range, RelativeToBaseline, Value, cell_years, parse_value, read_cell

# Comparisons run at a precision no cell value can exhaust, so 2 % is decided exactly.
_EXACT = decimal.Context(prec=80)
_HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class Assessment:
    """One indicator's assessment with everything that decided it; render text with explain()."""

    id: str
    status: Status
    basis: Basis
    deviation: Decimal | None  # % (relative) or p.p. (points); None where not computed
    deviation_unit: str | None  # "%", "p.p." or None
    resolved_forecast: Decimal | Range | None
    actual: Decimal | Range | None
    unit: str | None
    direction: str | None
    tolerance: Decimal | None
    computed_status: Status
    symbol: str
    colour: str
    findings: tuple[Finding, ...] = ()
    reason: str = "computed"  # which rule decided: computed, zero-forecast, range, milestone, not-due, qualitative, missing, invalid
    params: Mapping[str, Any] = field(default_factory=dict)  # the numbers the explanation shows
    computed_basis: Basis = Basis.NONE
    sample_size: Decimal | None = None
    justification: str | None = None
    rules_name: str = ""

    def explain(self, lang: str = "lv") -> str:
        from engine.explain import explain

        return explain(self, lang)

    def format_deviation(self, lang: str = "lv") -> str:
        from engine.explain import format_deviation

        return format_deviation(self, lang)


class _Outcome(NamedTuple):  # not a dataclass: one is made a row, and defining one costs every start
    status: Status
    basis: Basis
    reason: str
    deviation: Decimal | None = None
    deviation_unit: str | None = None
    params: Mapping[str, Any] | None = None  # None: no parameters (the Assessment gets a dict of its own)


def _text(raw: object) -> str | None:
    if raw.__class__ is str:  # most cells: no type checks
        return raw.strip() or None
    if raw is None or (isinstance(raw, float) and raw != raw) or type(raw).__name__ in ("NAType", "NaTType"):
        return None
    s = str(raw).strip()
    return s or None


def resolve_direction(raw: object, default: str) -> str | None:
    if raw.__class__ is str:  # a column of the same few texts: each resolved once
        return _resolve_direction_text(raw, default)
    return _resolve_direction(raw, default)


@functools.lru_cache(maxsize=4096)
def _resolve_direction_text(raw: str, default: str) -> str | None:
    return _resolve_direction(raw, default)


def _resolve_direction(raw: object, default: str) -> str | None:
    text = _text(raw)
    if text is None:
        return default
    return direction_from_text(text)  # the Latvian and English words live with the rules' other texts


_INPUT_FIELDS = ("baseline", "forecast", "actual", "sample_size")


def assess(indicator: Mapping[str, Any], rules: Rules) -> Assessment:
    """Assess one indicator (a mapping of cell values) under `rules`. Never raises on data."""
    ind_id = _text(indicator.get("id")) or ""
    loc_id = ind_id or None
    settings = rules.settings_for(ind_id)
    findings: list[Finding] = []

    def problem(code: str, fld: str, **params: Any) -> None:
        findings.append(Finding(code, Location(field=fld, indicator=loc_id), params={"field": fld, **params}))

    unit_text = _text(indicator.get("unit"))
    unit = settings.unit or rules.unit_from_text(unit_text)
    if unit is None:
        problem("unknown-unit", "unit", text=unit_text or "")
    direction = resolve_direction(indicator.get("direction"), settings.direction)
    if direction is None:
        problem("unknown-direction", "direction", text=_text(indicator.get("direction")))

    parsed: dict[str, Value] = {}
    years = None  # the columns' years (cell_years), read only for a cell that needs settling (most never do)
    for fld in _INPUT_FIELDS:
        value = parse_value(indicator.get(fld))
        cls = value.__class__
        if not ((cls is Number and value.word is None) or cls is Missing):  # read_cell's own shortcut, inlined
            if years is None:
                years = cell_years(indicator)
            value, read = read_cell(value, fld, loc_id, unit=unit, years=years, parsed=True)
            findings.extend(read)
        parsed[fld] = value
    n_given = parsed["sample_size"]
    sample_size: Decimal | None = None
    if isinstance(n_given, Number) and n_given.value >= 0:
        sample_size = n_given.value
    elif not isinstance(n_given, (Missing, Invalid)):
        problem("bad-sample-size", "sample_size", text=_text(indicator.get("sample_size")))

    justification = _text(indicator.get("justification"))
    override_text = _text(indicator.get("override"))
    override = rules.status_from_text(override_text) if override_text else None
    if override_text and override is None:
        problem("unknown-override", "override", text=override_text)

    forecast = actual = None
    if unit is None or direction is None:
        outcome = _Outcome(Status.NOT_ASSESSED, Basis.NONE, "invalid")
    else:
        forecast, f_res = _resolve(parsed["forecast"], parsed["baseline"], unit, settings, "forecast", problem)
        actual, _ = _resolve(parsed["actual"], parsed["baseline"], unit, settings, "actual", problem)
        outcome = _decide(unit, direction, settings, parsed, forecast, actual, sample_size, problem)
        if f_res:
            outcome = _Outcome(outcome.status, outcome.basis, outcome.reason, outcome.deviation, outcome.deviation_unit,
                               {**(outcome.params or {}), "resolution": f_res})

    if outcome.basis is Basis.QUALITATIVE and settings.small_sample.justification_required and not justification:
        findings.append(Finding("small-sample-without-justification", Location(field="justification", indicator=loc_id),
                                params={"n": (outcome.params or {}).get("n"), "threshold": settings.small_sample.threshold}))

    status, basis = outcome.status, outcome.basis
    if override is not None:
        status, basis = override, Basis.OVERRIDE
        if not justification:
            problem("override-without-justification", "justification", status=override.value)
        if override is not outcome.status:
            findings.append(Finding("override-disagrees", Location(field="override", indicator=loc_id),
                                    params={"status": override.value, "computed": outcome.status.value}))

    return Assessment(
        id=ind_id,
        status=status,
        basis=basis,
        deviation=outcome.deviation,
        deviation_unit=outcome.deviation_unit,
        resolved_forecast=forecast,
        actual=actual,
        unit=unit,
        direction=direction,
        tolerance=settings.tolerance,
        computed_status=outcome.status,
        symbol=rules.symbol(status),
        colour=rules.colour(status),
        findings=tuple(findings),
        reason=outcome.reason,
        params={} if outcome.params is None else outcome.params,
        computed_basis=outcome.basis,
        sample_size=sample_size,
        justification=justification,
        rules_name=rules.name,
    )


def _resolve(value: Value, baseline: Value, unit: str, settings: Settings, fld: str, problem) -> tuple[Decimal | Range | None, dict | None]:
    """A parsed value -> a plain number or range; relative-to-baseline values are resolved here."""
    if isinstance(value, Number):
        return value.value, None
    if isinstance(value, Range):
        return value, None
    if isinstance(value, RelativeToBaseline):
        mode = settings.relative_to_baseline.get(unit, "direct")
        if mode == "direct":
            return value.delta, None
        if not isinstance(baseline, Number):
            problem("baseline-required", fld, text=value.text)
            return None, None
        base = baseline.value
        if mode == "points" or not value.percent:  # "+2 (compared with 2012)" adds 2 units, not 2 %
            resolved = _EXACT.add(base, value.delta)
        else:
            resolved = _EXACT.multiply(base, _EXACT.add(1, _EXACT.divide(value.delta, _HUNDRED)))
        used = "points" if mode == "points" or not value.percent else "relative"
        return resolved, {"mode": used, "baseline": base, "delta": value.delta, "year": value.year, "unit": unit}
    return None, None


def _worse_or_better(sign: int, direction: str) -> Status:
    """Beyond the tolerance: above the forecast is better when higher is better, and so on."""
    if direction == "closer_is_better":
        return Status.WORSE
    up_good = direction == "higher_is_better"
    return Status.BETTER if (sign > 0) == up_good else Status.WORSE


def _compare(actual: Decimal | Range, forecast: Decimal | Range) -> tuple[int, Decimal | None, Decimal | None]:
    """(sign, value, bound): 0 inside the forecast (range); else the side and the nearest bound it misses."""
    f_lo, f_hi = (forecast.low, forecast.high) if isinstance(forecast, Range) else (forecast, forecast)
    a_lo, a_hi = (actual.low, actual.high) if isinstance(actual, Range) else (actual, actual)
    above = a_hi - f_hi if a_hi > f_hi else Decimal(0)
    below = f_lo - a_lo if a_lo < f_lo else Decimal(0)
    if above == 0 and below == 0:
        return 0, None, None
    # an actual range sticking out on both sides is judged by the side it misses more
    if above >= below:
        return 1, a_hi, f_hi
    return -1, a_lo, f_lo


def _decide(unit, direction, settings: Settings, parsed, forecast, actual, sample_size, problem) -> _Outcome:
    if isinstance(parsed["forecast"], Invalid) or isinstance(parsed["actual"], Invalid):
        return _Outcome(Status.NOT_ASSESSED, Basis.NONE, "invalid")
    if forecast is None or actual is None:
        missing = [k for k, v in (("forecast", forecast), ("actual", actual)) if v is None]
        return _Outcome(Status.NOT_ASSESSED, Basis.NONE, "missing", params={"missing": tuple(missing)})

    if unit == "milestone":
        bad = [(k, v) for k, v in (("forecast", forecast), ("actual", actual)) if isinstance(v, Range) or v not in (0, 1)]
        for k, v in bad:
            problem("value-not-allowed", k, text=str(v), unit=unit)
        if bad:
            return _Outcome(Status.NOT_ASSESSED, Basis.NONE, "invalid")
        if forecast == 0:  # a milestone planned for a later period
            return _Outcome(Status.NOT_ASSESSED, Basis.NONE, "not-due")
        return _Outcome(Status.ACHIEVED if actual == 1 else Status.WORSE, Basis.COMPUTED, "milestone")

    sign, value, bound = _compare(actual, forecast)
    ss = settings.small_sample
    if ss.applies_to(unit):
        n = None
        for source in ss.sources(unit):  # the first source listed that has a value wins
            candidate = {"sample_size": sample_size, "forecast": forecast, "actual": actual}[source]
            if isinstance(candidate, Decimal):
                n = candidate
                break
        if n is not None and ss.is_small(n):
            status = Status.ACHIEVED if sign == 0 else _worse_or_better(sign, direction)
            return _Outcome(status, Basis.QUALITATIVE, "qualitative", params={"n": n, "threshold": ss.threshold, "inclusive": ss.inclusive})

    points = unit in ("percent", "percent_change") and settings.percent_deviation == "points"
    dev_unit = "p.p." if points else "%"
    params = {"points": points}
    if sign == 0 and not points and isinstance(forecast, Decimal) and forecast == 0:
        return _Outcome(Status.ACHIEVED, Basis.COMPUTED, "zero-forecast", None, None, params)  # 0 of 0: no relative deviation
    if sign == 0:
        reason = "range" if isinstance(forecast, Range) or isinstance(actual, Range) else "computed"
        return _Outcome(Status.ACHIEVED, Basis.COMPUTED, reason, Decimal(0), dev_unit, {**params, "inside": True})
    reason = "range" if isinstance(forecast, Range) or isinstance(actual, Range) else "computed"
    params = {**params, "bound": bound}
    diff = _EXACT.subtract(value, bound)
    if points:
        within = abs(diff) <= settings.tolerance if settings.tolerance_inclusive else abs(diff) < settings.tolerance
    else:
        if bound == 0:  # no relative deviation from 0: the sign and the direction decide
            return _Outcome(_worse_or_better(sign, direction), Basis.COMPUTED, "zero-forecast", None, None, params)
        scaled = _EXACT.multiply(abs(diff), _HUNDRED)
        limit = _EXACT.multiply(settings.tolerance, abs(bound))
        within = scaled <= limit if settings.tolerance_inclusive else scaled < limit
    status = Status.ACHIEVED if within else _worse_or_better(sign, direction)
    return _Outcome(status, Basis.COMPUTED, reason, deviation_of(diff, bound, points), dev_unit, params)


def deviation_of(diff: Decimal, bound: Decimal, points: bool) -> Decimal:
    """The deviation shown for `diff` = value − bound (exact): in p.p. (points), else in % of |bound| (≠ 0).

    The one computation of a deviation: engine.batch's vectorised path calls it too, so both give the same Decimal.
    """
    if points:
        return diff
    return +_EXACT.divide(_EXACT.multiply(diff, _HUNDRED), abs(bound))  # back to the default 28 significant digits


def deviation_between(value: Decimal, bound: Decimal, points: bool) -> Decimal:
    """deviation_of(value − bound): what assess reports for an actual `value` against a forecast `bound`."""
    return deviation_of(_EXACT.subtract(value, bound), bound, points)


def deviations_between(values: Sequence[Decimal], bounds: Sequence[Decimal], points: bool) -> list[Decimal]:
    """[deviation_between(v, b, points) for v, b in zip(values, bounds)], the same operations in the same context,
    mapped in C (engine.batch's many rows): ~1 µs a row instead of ~3."""
    diffs = map(_EXACT.subtract, values, bounds)
    if points:
        return list(diffs)
    return list(map(operator.pos, map(_EXACT.divide, map(_EXACT.multiply, diffs, repeat(_HUNDRED)), map(abs, bounds))))


_FIELDS = tuple(Assessment.__dataclass_fields__)
_SLOTS = tuple(Assessment.__dict__[name].__set__ for name in _FIELDS)


def assessments_from_columns(columns: Mapping[str, Sequence[Any]], count: int) -> list[Assessment]:
    """`count` Assessments, field by field from `columns` (one sequence per field of Assessment, each of length count).

    For engine.batch, which knows every field of many rows at once: the slots are filled column-wise in C
    (map over each slot's setter), in about half the time Assessment(...)'s generated __init__ takes per row.
    Every field must be given: a field added to Assessment and not to its callers is an error, never a gap.
    """
    if set(columns) != set(_FIELDS):
        raise TypeError(f"assessments_from_columns needs exactly the fields of Assessment; "
                        f"missing {sorted(set(_FIELDS) - set(columns))}, unknown {sorted(set(columns) - set(_FIELDS))}")
    new = object.__new__
    made = list(map(new, repeat(Assessment, count)))
    for name, setter in zip(_FIELDS, _SLOTS):
        values = columns[name]
        if len(values) != count:
            raise ValueError(f"column {name!r} has {len(values)} values, not {count}")
        deque(map(setter, made, values), maxlen=0)
    return made
