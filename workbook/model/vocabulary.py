"""The master workbook's vocabulary: logical fields, their Latvian and English headers, sheet names.

Headers are matched case- and space-insensitively (see `normalise_header`); the first header of
each language is the one `radit new` writes. Year columns (forecast and achieved) carry the year in
the header: "Prognoze 2016", "2016 prognoze", "Forecast 2016", "2016.gads sasniegtais".
"""
from __future__ import annotations

from typing import NamedTuple

import re

from engine.rules import text_key
from engine.values import as_year as parse_year  # noqa: F401  one year check for settings, rows and cells


class Column(NamedTuple):  # not a dataclass: defining one costs ~0.5 ms of every start
    field: str
    lv: tuple[str, ...]
    en: tuple[str, ...]
    required: bool = False
    output: bool = False  # written by radit evaluate; every other column is the analyst's

    def headers(self) -> tuple[str, ...]:
        return self.lv + self.en

    def header(self, lang: str) -> str:
        return self.lv[0] if lang == "lv" else self.en[0]


COLUMNS: tuple[Column, ...] = (
    Column("id", ("ID", "Rādītāja ID", "Identifikators", "Kods"), ("ID", "Indicator ID", "Identifier"), required=True),
    Column("goal_code", ("Mērķa kods",), ("Goal code",)),
    Column("goal", ("Politikas mērķis", "Politikas definētais mērķis", "Mērķis"), ("Policy goal", "Goal")),
    Column("level", ("Rezultāta līmenis", "Līmenis"), ("Result level", "Level")),
    Column("result_code", ("Rezultāta kods",), ("Result code",)),
    Column("result", ("Rezultāts",), ("Result",)),
    Column("indicator", ("Rezultatīvais rādītājs", "Rādītājs"), ("Performance indicator", "Indicator")),
    Column("unit", ("Mērvienība", "Vienība"), ("Unit",), required=True),
    Column("direction", ("Virziens",), ("Direction",)),
    Column("baseline_year", ("Bāzes gads",), ("Baseline year",)),
    Column("baseline", ("Bāzes vērtība",), ("Baseline", "Baseline value")),
    Column("sample_size", ("Izlases apmērs", "Izlase"), ("Sample size", "Sample")),
    Column("override", ("Analītiķa vērtējums", "Manuālais vērtējums"), ("Analyst override", "Override")),
    Column("justification", ("Pamatojums",), ("Justification",)),
    Column("symbol", ("Vērtējums", "Vērtējums (nobīde no prognozētā)"), ("Assessment",), output=True),
    Column("deviation", ("Nobīde",), ("Deviation",), output=True),
    Column("basis", ("Pamats",), ("Basis",), output=True),
    Column("explanation", ("Skaidrojums",), ("Explanation",), output=True),
)

COLUMN_BY_FIELD: dict[str, Column] = {c.field: c for c in COLUMNS}
OUTPUT_FIELDS: tuple[str, ...] = tuple(c.field for c in COLUMNS if c.output)

# Year columns: keyword (either language) plus a four-digit year, in either order.
YEAR_KEYWORDS: dict[str, tuple[str, ...]] = {
    "forecast": ("prognoze", "prognozētais", "forecast", "target"),
    "actual": ("sasniegts", "sasniegtais", "sasniegtā vērtība", "achieved", "actual"),
}
YEAR_HEADER_LV = {"forecast": "Prognoze {year}", "actual": "Sasniegts {year}"}
YEAR_HEADER_EN = {"forecast": "Forecast {year}", "actual": "Achieved {year}"}

SHEETS = {
    "indicators": {"lv": "Rādītāji", "en": "Indicators"},
    "settings": {"lv": "Iestatījumi", "en": "Settings"},
    "legend": {"lv": "Leģenda", "en": "Legend"},
    "summary": {"lv": "Kopsavilkums", "en": "Summary"},
}
TABLE_NAME = {"lv": "Raditaji", "en": "Indicators"}

# Settings sheet: label in column A, value in column B.
SETTINGS: dict[str, tuple[str, ...]] = {
    "baseline_year": ("Bāzes gads", "Baseline year"),
    "evaluation_year": ("Novērtējuma gads", "Evaluation year"),
    "rules_file": ("Noteikumu fails", "Rule file"),
    "language": ("Valoda", "Language"),
    "indicator_sheet": ("Rādītāju lapa", "Indicator sheet"),  # which sheet holds the table, when two look like it
}
SETTING_LABEL = {key: {"lv": labels[0], "en": labels[1]} for key, labels in SETTINGS.items()}

LEVELS = {"policy_result": ("Politikas rezultāts", "Policy result"), "action_result": ("Darbības rezultāts", "Action result")}


def normalise_header(text: object) -> str:
    """'  Bāzes  vērtība\n' -> 'bāzes vērtība': the engine's comparison of typed words (engine.rules.text_key)."""
    if text is None:
        return ""
    return text_key(text if text.__class__ is str else str(text))


_HEADER_INDEX: dict[str, str] = {normalise_header(h): c.field for c in COLUMNS for h in c.headers()}
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


def field_for_header(text: object) -> tuple[str, int | None] | None:
    """The logical field a header names, with the year for forecast/actual columns; None if unknown.

    >>> field_for_header("Prognoze 2016")
    ('forecast', 2016)
    >>> field_for_header(" bāzes  VĒRTĪBA ")
    ('baseline', None)
    """
    norm = normalise_header(text)
    if not norm:
        return None
    if norm in _HEADER_INDEX:
        return _HEADER_INDEX[norm], None
    match = _YEAR.search(norm)
    if match:
        rest = (norm[: match.start()] + " " + norm[match.end():]).replace(".gads", " ").replace("gads", " ")
        rest = re.sub(r"[\s.,:;()\-–]+", " ", rest).strip()
        for kind, words in YEAR_KEYWORDS.items():
            if rest in words:
                return kind, int(match.group(1))
    return None


def sheet_kind(name: str) -> tuple[str, str] | None:
    """('indicators', 'lv') for 'Rādītāji': which of the master workbook's sheets a name is, in which language."""
    norm = normalise_header(name)
    for kind, names in SHEETS.items():
        for lang, sheet_name in names.items():
            if normalise_header(sheet_name) == norm:
                return kind, lang
    return None


LANGUAGE_WORDS = {"lv": "lv", "latviešu": "lv", "latvian": "lv", "en": "en", "angļu": "en", "english": "en"}


def book_language(lang: object, setting: object, sheet_name: str | None = None) -> str:
    """The language radit writes in: the one asked for, else the book's Valoda/Language setting, else the
    language of the indicator sheet's name, else Latvian (for `radit evaluate` and the Excel add-in alike)."""
    for candidate in (lang, setting):
        word = LANGUAGE_WORDS.get(str(candidate or "").strip().casefold())
        if word:
            return word
    kind = sheet_kind(sheet_name) if sheet_name else None
    return kind[1] if kind else "lv"
