"""The catalogue of codes (findings and refusals): stable slugs, default severities, messages in Latvian and English.

Codes are part of radit's interface (JSON output, pytest failures, CI scripts grep them):
never rename one; add new ones at the end of their group.
"""
from __future__ import annotations

from typing import NamedTuple


class CodeEntry(NamedTuple):  # not a dataclass: defining one costs ~0.5 ms of every start
    severity: "str"  # "error" | "warning" | "info"; turned into Severity below
    en: str
    lv: str
    hint_en: str = ""
    hint_lv: str = ""


def _entries() -> dict[str, CodeEntry]:
    E, W, I = "error", "warning", "info"
    return {
        # --- values (engine) ---
        "unparseable-value": CodeEntry(
            E,
            "{field} {text!r} is not a number, a range or a forecast relative to the baseline",
            "{field} {text!r} nav skaitlis, intervāls vai prognoze attiecībā pret bāzes vērtību",
            "type a number such as 88 949, 17 %, 35–70 or +2 % (salīdzinājumā ar 2012.gadu)",
            "ierakstiet skaitli, piemēram, 88 949, 17 %, 35–70 vai +2 % (salīdzinājumā ar 2012.gadu)",
        ),
        "unknown-unit": CodeEntry(
            E, "unit {text!r} is not known", "mērvienība {text!r} nav zināma",
            "use count, money, hours, percent, percent_change, milestone or measure, or add an alias to the rule file",
            "lietojiet count, money, hours, percent, percent_change, milestone vai measure, vai pievienojiet aizstājvārdu noteikumu failā",
        ),
        "unknown-direction": CodeEntry(
            E, "direction {text!r} is not known", "virziens {text!r} nav zināms",
            "use higher_is_better, lower_is_better or closer_is_better",
            "lietojiet higher_is_better, lower_is_better vai closer_is_better",
        ),
        "unknown-override": CodeEntry(
            E, "override {text!r} is not a status", "manuālais vērtējums {text!r} nav statuss",
            "use achieved, worse, better or not_assessed (or their symbols)",
            "lietojiet achieved, worse, better vai not_assessed (vai to simbolus)",
        ),
        "baseline-required": CodeEntry(
            E, "the forecast {text!r} is relative to the baseline, but there is no baseline value",
            "prognoze {text!r} ir attiecībā pret bāzes vērtību, bet bāzes vērtības nav",
            "fill in the baseline value", "aizpildiet bāzes vērtību",
        ),
        "small-sample-without-justification": CodeEntry(
            E, "sample of {n} is at most {threshold}: the assessment needs a qualitative justification",
            "izlase {n} nepārsniedz {threshold}: vērtējumam vajadzīgs kvalitatīvs pamatojums",
            "write the justification", "ierakstiet pamatojumu",
        ),
        "override-without-justification": CodeEntry(
            E, "the analyst's override {status} has no justification",
            "analītiķa vērtējumam {status} nav pamatojuma",
            "write the justification", "ierakstiet pamatojumu",
        ),
        "override-disagrees": CodeEntry(
            W, "the analyst's override {status} differs from what the rules give: {computed}",
            "analītiķa vērtējums {status} atšķiras no noteikumu rezultāta: {computed}",
        ),
        "invalid-range": CodeEntry(
            E, "{field} range {text!r} has its lower bound above its upper bound",
            "{field} intervāla {text!r} apakšējā robeža ir lielāka par augšējo",
        ),
        "value-not-allowed": CodeEntry(
            E, "{field} {text!r} does not fit the unit {unit}", "{field} {text!r} neatbilst mērvienībai {unit}",
        ),
        "bad-sample-size": CodeEntry(
            E, "the sample size {text!r} is not a number of zero or more", "izlases apmērs {text!r} nav skaitlis, kas ir nulle vai lielāks",
            "type the number of units the indicator counts, such as 24", "ierakstiet vienību skaitu, piemēram, 24",
        ),
        "footnote-marker": CodeEntry(
            W, "{field} {text!r} carries the footnote marker {marker!r}: read as {value}",
            "{field} {text!r} ir zemsvītras atsauce {marker!r}: nolasīts kā {value}",
            "move the footnote's text into the justification and delete the marker from the cell",
            "pārnesiet zemsvītras piezīmes tekstu uz pamatojumu un izdzēsiet atsauci no šūnas",
        ),
        "approximate-value": CodeEntry(
            W, "{field} {text!r} is approximate: read as {value}", "{field} {text!r} ir aptuvena vērtība: nolasīts kā {value}",
            "type the exact figure if there is one, else say in the justification that it is an estimate",
            "ierakstiet precīzo skaitli, ja tāds ir, vai pamatojumā norādiet, ka tas ir novērtējums",
        ),
        "ambiguous-decimal-comma": CodeEntry(
            W, "{field} {text!r} is read as {value} (a decimal comma); with the comma grouping thousands it would be {other}",
            "{field} {text!r} nolasīts kā {value} (decimālkomats); ja komats atdala tūkstošus, tas būtu {other}",
            "check the source; write thousands with a space (7 315), or store the cell as a number",
            "pārbaudiet avotu; tūkstošus atdaliet ar atstarpi (7 315) vai saglabājiet šūnu kā skaitli",
        ),
        "cell-year-mismatch": CodeEntry(
            E, "{field} {text!r} is for {year}, but its column is for {column_year}",
            "{field} {text!r} attiecas uz {year}. gadu, bet tās kolonna – uz {column_year}. gadu",
            "the forecast and the achieved value must belong to the same year: move the value to its year's column "
            "or give the analyst's override with a justification",
            "prognozei un sasniegtajai vērtībai jāattiecas uz vienu gadu: pārnesiet vērtību tās gada kolonnā "
            "vai norādiet analītiķa vērtējumu ar pamatojumu",
        ),
        "base-year-mismatch": CodeEntry(
            E, "{field} {text!r} is relative to {year}, but the baseline is for {baseline_year}",
            "{field} {text!r} ir attiecībā pret {year}. gadu, bet bāzes vērtība ir {baseline_year}. gadam",
            "give the baseline of the year the forecast names, or correct the year",
            "norādiet tā gada bāzes vērtību, pret kuru ir prognoze, vai izlabojiet gadu",
        ),
        "two-values": CodeEntry(
            E, "{field} {text!r} holds two values, {first} and {second}: a cell holds one",
            "{field} {text!r} satur divas vērtības – {first} un {second}: šūnā jābūt vienai",
            "keep the value of this indicator and year in the cell; move the other to its own row, column or the justification",
            "atstājiet šūnā šī rādītāja un gada vērtību; otru pārnesiet savā rindā, kolonnā vai pamatojumā",
        ),
        # --- rule files (engine) ---
        "bad-rules": CodeEntry(
            E, "the rule file is not valid ({count_en}): {problems}", "noteikumu fails nav derīgs ({count_lv}): {problems}",
            "correct the rule file (radit rules check FILE lists every problem with its JSON path)",
            "izlabojiet noteikumu failu (radit rules check FILE uzskaita visas problēmas ar to JSON ceļu)",
        ),
        "bad-rules.head": CodeEntry(E, "the rule file is not valid ({count_en})", "noteikumu fails nav derīgs ({count_lv})"),
    }


CATALOGUE: dict[str, CodeEntry] = _entries()
"""One catalogue for findings and refusals alike. engine declares the codes above; workbook.codes (imported by
`import workbook`) registers the workbook's into this same dict, so engine never names a workbook code."""


def register(entries: "dict[str, CodeEntry]") -> None:
    """Add a module's codes to CATALOGUE; the same code declared again with other text is a bug, not an override."""
    for code, entry in entries.items():
        known = CATALOGUE.setdefault(code, entry)
        if known != entry:
            raise ValueError(f"the code {code!r} is declared twice, with different texts")
