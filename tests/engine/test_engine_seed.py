"""The 27 indicators of the source document's results table, assessed by the default rules."""
from decimal import Decimal as D

import pytest

import engine
from engine.status import Basis, Status

A, W, B, N = Status.ACHIEVED, Status.WORSE, Status.BETTER, Status.NOT_ASSESSED
C, Q, O, X = Basis.COMPUTED, Basis.QUALITATIVE, Basis.OVERRIDE, Basis.NONE
REL = "+ 2% (salīdzinājumā ar 2012.gadu)"
WHY = "Kvalitatīvs vērtējums pēc pārskata perioda datiem."
NOT_RECEIVED = "Rezultatīvie rādītāji par modeļu aģentūrās veikto pārbaužu skaitu nav saņemti."

# id, unit, baseline 2012, forecast 2016, achieved 2016, override, expected status, basis, deviation (rounded to 0.01)
# Counts with a forecast of at most 100 (and no sample size) fall under the small-sample rule: the
# status compares achieved with forecast, no deviation is computed, a justification is written (WHY).
SEED = [
    ("A.PR1.1", "skaits", 8, 9, 170, None, B, Q, None),
    ("A.PR1.2", "skaits", 0, 2, 2, None, A, Q, None),  # equal under the small-sample rule: achieved
    ("A.PR2.1", "skaits", 24, 24, 17, None, W, Q, None),
    ("A.PR2.2", "EUR", "88 949", "88 949", "49 471", None, W, C, D("-44.38")),  # money: no sample rule
    ("A.AR1.1", "skaits", "35 702", "36 000", "35 782", None, A, C, D("-0.61")),  # n = 36 000 > 100
    ("A.AR1.2", "stundas", "35 – 70>", "35 – 70>", "35 – 70>", None, A, C, D("0")),  # range inside range
    ("A.AR2.1", "skaits", 55, 60, 1748, None, B, Q, None),
    # a change against 2012 in itself: +349 against +10 compares directly, +339 p.p.
    ("A.AR2.2", "percent_change", "+5%", "+10% (salīdzinājumā ar 2012.gadu)", "+349% (salīdzinājumā ar 2012.gadu)", None, B, C, D("339")),
    ("A.AR3.1", "skaits", 118, 120, 200, None, B, C, D("66.67")),  # n = 120 > 100: computed
    ("A.AR3.2", "skaits", 0, 1, 0, None, W, Q, None),
    ("A.AR4.1", "milestone", 0, 0, 0, None, N, X, None),  # forecast 0: not due until 2017
    ("A.AR5.1", "milestone", 0, 0, 0, None, N, X, None),
    ("A.AR6.1", "milestone", 0, 1, 1, None, A, C, None),
    ("B.PR1.1", "skaits", 30, 31, 37, None, B, Q, None),
    ("B.PR1.2", "skaits", 19, 20, 16, None, W, Q, None),
    ("B.PR2.1", "%", "15%", REL, "19%", None, A, C, D("2")),  # 15 + 2 p.p. = 17; 19 − 17 = +2 p.p., inclusive
    ("B.PR2.2", "skaits", 4, 6, 9, None, B, Q, None),
    ("B.AR1.1", "skaits", 193, 200, 103, None, W, C, D("-48.5")),
    ("B.AR1.2", "skaits", 15, 15, 12, None, W, Q, None),
    ("B.AR2.1", "skaits", 0, 2, 0, None, W, Q, None),
    ("B.AR2.2", "%", 6, 7, 1, None, W, C, D("-6")),  # a share without a sample size: −6 p.p.
    ("B.AR2.3", "skaits", 3, 3, 3, None, A, Q, None),
    ("B.AR2.4", "skaits", 9, 14, 11, None, W, Q, None),
    ("B.AR3.1", "skaits", 0, 5, 3, None, W, Q, None),
    ("B.AR4.1", "skaits", 1, 2, 5, None, B, Q, None),
    ("B.AR4.2", "skaits", 0, 1, 0, "-", N, O, None),  # data not received: the analyst's "-"
    ("B.AR4.3", "skaits", 4296, 4300, 2072, None, W, C, D("-51.81")),
]


def test_the_seed_has_27_indicators_with_distinct_ids():
    assert len(SEED) == 27 and len({row[0] for row in SEED}) == 27


@pytest.mark.parametrize("ind_id, unit, baseline, forecast, actual, override, status, basis, deviation", SEED, ids=[r[0] for r in SEED])
def test_seed_indicator(ind_id, unit, baseline, forecast, actual, override, status, basis, deviation):
    a = engine.assess({"id": ind_id, "unit": unit, "baseline": baseline, "forecast": forecast, "actual": actual,
                       "override": override, "justification": NOT_RECEIVED if override else WHY}, engine.default_rules())
    assert (a.status, a.basis) == (status, basis)
    assert (a.deviation.quantize(D("0.01")) if a.deviation is not None else None) == deviation
    errors = [f.code for f in a.findings if str(f.severity) == "error"]
    assert errors == []
    assert a.symbol == engine.default_rules().symbol(status)


def test_override_keeps_what_the_rules_compute():
    a = engine.assess({"id": "B.AR4.2", "unit": "skaits", "baseline": 0, "forecast": 1, "actual": 0,
                       "override": "-", "justification": NOT_RECEIVED}, engine.default_rules())
    assert (a.computed_status, a.symbol) == (W, "-")
    assert [(f.code, f.location.field, f.location.indicator) for f in a.findings] == [("override-disagrees", "override", "B.AR4.2")]


def test_resolved_forecast_of_the_relative_share():
    a = engine.assess({"id": "B.PR2.1", "unit": "%", "baseline": "15%", "forecast": REL, "actual": "19%"}, engine.default_rules())
    assert a.resolved_forecast == 17 and a.deviation_unit == "p.p."
    assert "15 % + 2 p.p." in a.explain("lv") and "15 % + 2 p.p." in a.explain("en")


def test_small_sample_without_justification_is_a_finding():
    a = engine.assess({"id": "A.PR1.1", "unit": "skaits", "baseline": 8, "forecast": 9, "actual": 170}, engine.default_rules())
    assert [(f.code, f.location.field, f.location.indicator) for f in a.findings] == [
        ("small-sample-without-justification", "justification", "A.PR1.1")]
