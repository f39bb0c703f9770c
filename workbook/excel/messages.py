"""The few sentences the Excel side says to the analyst (alerts, sheet titles), in Latvian and English."""
from __future__ import annotations

TEXTS = {
    "title": {"lv": "radit", "en": "radit"},
    "no_table": {
        "lv": "Darbgrāmatā nav rādītāju tabulas: vajag lapu “Rādītāji” ar galvenes rindu, kurā ir ID un Mērvienība.",
        "en": "The workbook has no indicator table: it needs a sheet “Indicators” whose header row has ID and Unit.",
    },
    "no_output": {
        "lv": "Rādītāju tabulā nav kolonnas “Vērtējums”, kurā rakstīt simbolus.",
        "en": "The indicator table has no “Assessment” column to write the symbols into.",
    },
    "no_year": {
        "lv": "Nav zināms novērtējuma gads: ierakstiet to lapā “Iestatījumi” vai pievienojiet kolonnu “Prognoze GGGG”.",
        "en": "The evaluation year is unknown: set it on the “Settings” sheet or add a column “Forecast YYYY”.",
    },
    "bad_rules": {"lv": "Noteikumu fails nav derīgs: {error}", "en": "The rule file is not valid: {error}"},
    "rules_missing": {
        "lv": "Noteikumu fails “{name}” nav sasniedzams no Excel, tāpēc lietoti noklusējuma noteikumi (default.json).",
        "en": "The rule file “{name}” cannot be reached from Excel, so the default rules (default.json) were used.",
    },
    "findings": {
        "lv": "Novērtēti {count} rādītāji; {problems} datu problēmas:",
        "en": "Assessed {count} indicators; {problems} data problems:",
    },
    "more": {"lv": "… un vēl {n}.", "en": "… and {n} more."},
    "summary": {"lv": "Kopsavilkums", "en": "Summary"},
    "goal": {"lv": "Mērķis", "en": "Goal"},
    "result": {"lv": "Rezultāts", "en": "Result"},
    "total": {"lv": "Kopā", "en": "Total"},
    "all": {"lv": "(viss mērķis)", "en": "(whole goal)"},
    "rules_line": {"lv": "Noteikumi: {name} (SHA-256 {sha})", "en": "Rules: {name} (SHA-256 {sha})"},
    "version_line": {"lv": "Novērtēja radit {version} (Excel, xlwings)", "en": "Evaluated by radit {version} (Excel, xlwings)"},
    "year_line": {"lv": "Novērtējuma gads: {year}", "en": "Evaluation year: {year}"},
}


def say(key: str, lang: str, **params: object) -> str:
    return TEXTS[key]["lv" if lang == "lv" else "en"].format(**params)
