"""The catalogue of finding codes: stable slugs, default severities, messages in Latvian and English.

Codes are part of radit's interface (JSON output, pytest failures, CI scripts grep them):
never rename one; add new ones at the end of their group.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CodeEntry:
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
            "use count, money, hours, percent, percent_change or milestone, or add an alias to the rule file",
            "lietojiet count, money, hours, percent, percent_change vai milestone, vai pievienojiet aizstājvārdu noteikumu failā",
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
        # --- workbook (reading and validation) ---
        "number-stored-as-text": CodeEntry(
            W, "{field} is a number stored as text: {text!r}", "{field} ir skaitlis, kas saglabāts kā teksts: {text!r}",
            "convert the cell to a number", "pārveidojiet šūnu par skaitli",
        ),
        "formula-without-value": CodeEntry(
            E, "the formula {formula} has no calculated value", "formulai {formula} nav aprēķinātas vērtības",
            "open the workbook in Excel, recalculate and save it", "atveriet darbgrāmatu Excel, pārrēķiniet un saglabājiet",
        ),
        "missing-column": CodeEntry(
            E, "the indicator table has no column {column!r}", "rādītāju tabulā nav kolonnas {column!r}",
            "add a column with one of the headers: {headers}", "pievienojiet kolonnu ar kādu no virsrakstiem: {headers}",
        ),
        "duplicate-column": CodeEntry(
            E, "the header {header!r} names the column {column!r} twice", "virsraksts {header!r} kolonnu {column!r} nosauc divreiz",
        ),
        "missing-id": CodeEntry(
            E, "the row has data but no indicator id", "rindā ir dati, bet nav rādītāja identifikatora",
        ),
        "duplicate-id": CodeEntry(
            E, "indicator id {id!r} appears again (first at row {first_row})",
            "rādītāja identifikators {id!r} atkārtojas (pirmoreiz {first_row}. rindā)",
        ),
        "rule-id-not-in-workbook": CodeEntry(
            W, "the rule file names indicator {id!r}, which the workbook does not have",
            "noteikumu failā minēts rādītājs {id!r}, kura darbgrāmatā nav",
        ),
        "workbook-id-not-in-rules": CodeEntry(
            W, "indicator {id!r} is not listed in the rule file, which lists its indicators",
            "rādītājs {id!r} nav minēts noteikumu failā, kurā uzskaitīti rādītāji",
        ),
        "year-mismatch": CodeEntry(
            E, "the forecast is for {forecast_year} but the achieved value is for {actual_year}",
            "prognoze ir {forecast_year}. gadam, bet sasniegtā vērtība {actual_year}. gadam",
            "the forecast and the achieved value must belong to the same year",
            "prognozei un sasniegtajai vērtībai jāattiecas uz vienu gadu",
        ),
        "missing-year": CodeEntry(
            E, "the workbook has no {kind} column for the evaluation year {year}",
            "darbgrāmatā nav {kind} kolonnas novērtējuma gadam {year}",
        ),
        "stale-assessment": CodeEntry(
            E, "stored {stored}, rules give {computed}", "saglabāts {stored}, noteikumi dod {computed}",
            "run radit evaluate", "palaidiet radit evaluate",
        ),
        "merged-cells": CodeEntry(
            W, "merged cells {range} in the indicator table", "apvienotas šūnas {range} rādītāju tabulā",
            "unmerge them so that every row carries its own values", "atdaliet tās, lai katrā rindā būtu savas vērtības",
        ),
        "date-in-number-column": CodeEntry(
            E, "{field} holds a date ({text}) where a number belongs", "{field} satur datumu ({text}), kur jābūt skaitlim",
        ),
        "bad-setting": CodeEntry(
            E, "setting {setting!r} has the value {text!r}, which is not valid", "iestatījumam {setting!r} ir nederīga vērtība {text!r}",
        ),
    }


CATALOGUE: dict[str, CodeEntry] = _entries()
