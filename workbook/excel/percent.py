"""Percent cells read through xlwings: Excel hands over 0.17 for a cell showing 17 %, the engine wants 17.

The remote engines (Lite, server) cannot read a cell's number format synchronously, so the rule is by value:
on a row whose unit is a percentage (percent or percent_change), when every number among baseline,
forecast and actual lies within −1…1 and at least one is not a whole number, the row was typed as
percent-formatted cells and its numbers are multiplied by 100. Text such as "15%" is left to the engine.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Mapping

PERCENT_UNITS = ("percent", "percent_change")
SCALED_FIELDS = ("baseline", "forecast", "actual")


def _number(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def looks_percent_formatted(row: Mapping[str, Any]) -> bool:
    numbers = [row.get(name) for name in SCALED_FIELDS if _number(row.get(name))]
    return bool(numbers) and all(abs(v) <= 1 for v in numbers) and any(v != int(v) for v in numbers)


def scale_percent_row(row: dict[str, Any], rules: Any) -> dict[str, Any]:
    """`row` with its percent-formatted numbers in percent (0.17 -> 17), or unchanged."""
    unit = rules.unit_from_text(row.get("unit")) if row.get("unit") is not None else None
    if unit not in PERCENT_UNITS or not looks_percent_formatted(row):
        return row
    scaled = dict(row)
    for name in SCALED_FIELDS:
        value = row.get(name)
        if _number(value):
            # Through str() so 0.17 becomes exactly 17, not 17.000000000000004.
            scaled[name] = Decimal(str(value)) * 100
    return scaled
