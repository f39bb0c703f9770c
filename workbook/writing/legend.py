"""Table 1 of the source: one legend row per status (symbol, fill colour, label, description) in lv or en."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class LegendRow:
    status: str  # the status value: achieved, worse, better, not_assessed
    symbol: str
    colour: str  # "#RRGGBB", the fill of the symbol cell
    label: str
    description: str


def legend_rows(rules: Any | None = None, lang: str = "lv") -> tuple[LegendRow, ...]:
    """Table 1 for `rules` (default: the engine's default rules) in `lang` ("lv" or "en")."""
    if lang not in ("lv", "en"):
        raise ValueError(f"language must be 'lv' or 'en', not {lang!r}")
    if rules is None:
        import engine

        rules = engine.default_rules()
    return tuple(
        LegendRow(
            status=getattr(status, "value", str(status)),
            symbol=rules.symbol(status),
            colour=rules.colour(status),
            label=rules.label(status, lang),
            description=rules.description(status, lang),
        )
        for status in rules.statuses
    )


HEADERS = {"lv": ("Simbols", "Vērtējums", "Skaidrojums"), "en": ("Symbol", "Assessment", "Explanation")}
TITLE = {
    "lv": "1.tabula. Rezultatīvo rādītāju novērtēšanai izmantoto simbolu skaidrojums",
    "en": "Table 1. The symbols used to assess the performance indicators",
}
