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


# The source's Table 1 as text, used only when no Rules object can be had (the engine not
# installed or not built yet): the rule file is the authority on symbols, colours and words.
_FALLBACK: tuple[tuple[str, str, str, dict[str, tuple[str, str]]], ...] = (
    ("achieved", "●", "#C6EFCE", {
        "lv": ("Rezultāts sasniegts",
               "Statistiskā nobīde līdz 2% no prognozētā. Ja rezultatīvais rādītājs ir izteikts absolūtos skaitļos, "
               "nobīde tiek aprēķināta procentuāli. Ja izlases apmērs ir pārāk neliels (līdz 100), procentuālais "
               "īpatsvars netiek aprēķināts, bet attiecīgo vērtējumu pamato ar kvalitatīvām metodēm."),
        "en": ("Result achieved",
               "Statistical deviation of up to 2 % from the forecast. Where the indicator is in absolute numbers, "
               "the deviation is computed in percent. Where the sample is too small (up to 100), no percentage share "
               "is computed and the assessment is justified by qualitative methods."),
    }),
    ("worse", "▼", "#FFC7CE", {
        "lv": ("Rezultāts sliktāks par prognozēto", "Statistiskā nobīde lielāka par 2% no prognozētā."),
        "en": ("Result worse than forecast", "Statistical deviation greater than 2 % from the forecast."),
    }),
    ("better", "▲", "#BDD7EE", {
        "lv": ("Rezultāts labāks par prognozēto", "Statistiskā nobīde lielāka par 2% no prognozētā."),
        "en": ("Result better than forecast", "Statistical deviation greater than 2 % from the forecast."),
    }),
    ("not_assessed", "-", "#D9D9D9", {
        "lv": ("Nav vērtēts",
               "Nav prognozes vai sasniegtās vērtības, prognoze šajā periodā nav paredzēta vai dati nav saņemti."),
        "en": ("Not assessed",
               "No forecast or no achieved value, the forecast is not due in this period, or the data was not received."),
    }),
)


def default_rules() -> Any | None:
    """The engine's default Rules, or None while the engine does not provide them."""
    try:
        import engine
        return engine.default_rules()
    except (ImportError, AttributeError, NotImplementedError):
        return None


def legend_rows(rules: Any | None = None, lang: str = "lv") -> tuple[LegendRow, ...]:
    """Table 1 for `rules` (default: the engine's default rules) in `lang` ("lv" or "en")."""
    if lang not in ("lv", "en"):
        raise ValueError(f"language must be 'lv' or 'en', not {lang!r}")
    if rules is None:
        rules = default_rules()
    if rules is None:
        return tuple(LegendRow(status, symbol, colour, *texts[lang]) for status, symbol, colour, texts in _FALLBACK)
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
