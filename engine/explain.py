"""Render an Assessment as a sentence in Latvian or English, with the numbers that decided it."""
from __future__ import annotations

import functools
from decimal import Decimal
from typing import TYPE_CHECKING

from engine.numbers import format_number, format_signed
from engine.status import Status
from engine.values import Range

if TYPE_CHECKING:
    from engine.assessment import Assessment

HEADS = {
    "lv": {Status.ACHIEVED: "Sasniegts", Status.WORSE: "Sliktāks par prognozēto", Status.BETTER: "Labāks par prognozēto", Status.NOT_ASSESSED: "Nav vērtēts"},
    "en": {Status.ACHIEVED: "Achieved", Status.WORSE: "Worse than forecast", Status.BETTER: "Better than forecast", Status.NOT_ASSESSED: "Not assessed"},
}

T = {
    "lv": {
        "against": "{actual} pret prognozi {forecast}",
        "deviation": "nobīde {deviation} (pielaide ±{tolerance})",
        "bound": "nobīde no tuvākās prognozes robežas {bound}: {deviation} (pielaide ±{tolerance})",
        "inside": "iekļaujas prognozes intervālā",
        "zero": "nobīdi nevar aprēķināt (prognoze 0), izšķir virziens",
        "qualitative": "izlase {n} {op} {threshold}, tāpēc nobīde procentos netiek aprēķināta; vērtējums kvalitatīvs",
        "milestone_done": "atskaites punkts izpildīts ({actual} pret prognozi {forecast})",
        "milestone_not": "atskaites punkts nav izpildīts ({actual} pret prognozi {forecast})",
        "not_due": "prognoze 0, šajā periodā izpilde nav paredzēta",
        "missing_forecast": "nav prognozes",
        "missing_actual": "nav sasniegtās vērtības",
        "invalid": "datos ir kļūdas",
        "res_points": "{baseline} {sign} {delta} p.p. pret bāzes vērtību",
        "res_relative": "bāzes vērtība {baseline} {sign} {delta} %",
        "res_units": "bāzes vērtība {baseline} {sign} {delta}",
        "override": "Analītiķa vērtējums: {label}",
        "because": "pamatojums: {justification}",
        "rules_give": "noteikumi dotu: {computed}",
        "direction": {"lower_is_better": "mazāks ir labāks", "closer_is_better": "tuvāk prognozei ir labāk"},
    },
    "en": {
        "against": "{actual} against a forecast of {forecast}",
        "deviation": "deviation {deviation} (tolerance ±{tolerance})",
        "bound": "deviation from the nearest forecast bound {bound}: {deviation} (tolerance ±{tolerance})",
        "inside": "within the forecast range",
        "zero": "deviation not computable (forecast 0), the direction decides",
        "qualitative": "sample of {n} is {op} {threshold}, so no percentage deviation is computed; qualitative assessment",
        "milestone_done": "milestone reached ({actual} against a forecast of {forecast})",
        "milestone_not": "milestone not reached ({actual} against a forecast of {forecast})",
        "not_due": "forecast 0, not due in this period",
        "missing_forecast": "no forecast",
        "missing_actual": "no achieved value",
        "invalid": "the data has errors",
        "res_points": "{baseline} {sign} {delta} p.p. against the baseline",
        "res_relative": "baseline {baseline} {sign} {delta} %",
        "res_units": "baseline {baseline} {sign} {delta}",
        "override": "Analyst's override: {label}",
        "because": "justification: {justification}",
        "rules_give": "the rules give: {computed}",
        "direction": {"lower_is_better": "lower is better", "closer_is_better": "closer to the forecast is better"},
    },
}


def _lang(lang: str) -> str:
    return "lv" if lang == "lv" else "en"


def show(value: Decimal | Range | None, lang: str, unit: str | None = None) -> str:
    """A value as the explanation shows it; shares carry their % sign (19 %), so p.p. reads right."""
    suffix = " %" if unit in ("percent", "percent_change") and value is not None else ""
    if isinstance(value, Range):
        return f"{format_number(value.low, lang)}–{format_number(value.high, lang)}{suffix}"
    return format_number(value, lang) + suffix


def format_deviation(a: "Assessment", lang: str = "lv") -> str:
    """'−0,61 %', '+2,00 p.p.', '–' when not computed."""
    if a.deviation is None:
        return "–"
    return f"{format_signed(a.deviation, _lang(lang))} {a.deviation_unit}"


def _tolerance(a: "Assessment", lang: str) -> str:
    return _tolerance_text(a.tolerance, a.deviation_unit, lang)


@functools.lru_cache(maxsize=1024)  # one rule file has one or a few tolerances: each text is built once
def _tolerance_text(tolerance: Decimal | None, unit: str | None, lang: str) -> str:
    return f"{format_number(tolerance, lang)} {unit}"


def _computed_text(a: "Assessment", lang: str) -> str:
    """The rules' own reading, without the head word."""
    t, p = T[lang], a.params
    forecast = show(a.resolved_forecast, lang, a.unit)
    res = p.get("resolution")
    if res:
        sign, delta = ("+" if res["delta"] >= 0 else "−"), format_number(abs(res["delta"]), lang)
        key = "res_relative" if res["mode"] == "relative" else ("res_points" if res.get("unit") in ("percent", "percent_change") else "res_units")
        forecast += " (" + t[key].format(baseline=show(res["baseline"], lang, a.unit), sign=sign, delta=delta) + ")"
    against = t["against"].format(actual=show(a.actual, lang, a.unit), forecast=forecast)
    reason = a.reason
    if reason == "missing":
        return ", ".join(t["missing_" + m] for m in p.get("missing", ()))
    if reason == "invalid":
        problems = "; ".join(f.message(lang) for f in a.findings if f.code not in ("override-disagrees",))
        return f"{t['invalid']}: {problems}" if problems else t["invalid"]
    if reason == "not-due":
        return t["not_due"]
    if reason == "milestone":
        key = "milestone_done" if a.computed_status is Status.ACHIEVED else "milestone_not"
        return t[key].format(actual=show(a.actual, lang, a.unit), forecast=forecast)
    if reason == "qualitative":
        op = ("≤" if lang == "lv" else "at most") if p.get("inclusive", True) else ("<" if lang == "lv" else "below")
        return f"{against}; " + t["qualitative"].format(n=format_number(p["n"], lang), op=op, threshold=format_number(p["threshold"], lang))
    if reason == "zero-forecast":
        return f"{against}, {t['zero']}"
    if p.get("inside"):
        if reason == "range":
            return f"{against}, {t['inside']}"
        return f"{against}, " + t["deviation"].format(deviation=format_deviation(a, lang), tolerance=_tolerance(a, lang))
    if reason == "range":
        return f"{against}, " + t["bound"].format(bound=format_number(p["bound"], lang), deviation=format_deviation(a, lang), tolerance=_tolerance(a, lang))
    return f"{against}, " + t["deviation"].format(deviation=format_deviation(a, lang), tolerance=_tolerance(a, lang))


def explain(a: "Assessment", lang: str = "lv") -> str:
    """'Sasniegts: 35 782 pret prognozi 36 000, nobīde −0,61 % (pielaide ±2 %)'."""
    lang = _lang(lang)
    t = T[lang]
    body = _computed_text(a, lang)
    if a.direction in t["direction"] and a.reason not in ("missing", "invalid", "not-due", "milestone"):
        body += f" ({t['direction'][a.direction]})"
    computed = f"{HEADS[lang][a.computed_status]}: {body}"
    if a.basis.value != "override":
        return computed
    head = t["override"].format(label=HEADS[lang][a.status])
    parts = [head]
    if a.justification:
        parts.append(t["because"].format(justification=a.justification.rstrip(" .;")))  # the "; " that follows ends it
    parts.append(t["rules_give"].format(computed=computed))
    return "; ".join(parts)
