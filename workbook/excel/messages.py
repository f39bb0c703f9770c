"""The few sentences the Excel side says to the analyst (alerts, sheet titles), in Latvian and English."""
from __future__ import annotations

TEXTS = {
    "title": {"lv": "radit", "en": "radit"},
    "findings": {
        "lv": "Novērtēti {count} rādītāji; {problems} datu problēmas:",
        "en": "Assessed {count} indicators; {problems} data problems:",
    },
    "more": {"lv": "… un vēl {n}.", "en": "… and {n} more."},
}


def say(key: str, lang: str, **params: object) -> str:
    return TEXTS[key]["lv" if lang == "lv" else "en"].format(**params)
