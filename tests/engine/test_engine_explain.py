"""Explanations and number formats in Latvian and English; `import engine` stays cheap."""
import subprocess
import sys
from decimal import Decimal as D

import pytest

import engine
from engine.numbers import format_number, format_signed

WHY = "pamatojums"


def explain(lang, **indicator):
    indicator.setdefault("id", "T")
    return engine.assess(indicator, engine.default_rules()).explain(lang)


@pytest.mark.parametrize("indicator, lv, en", [
    ({"unit": "count", "forecast": "36 000", "actual": "35 782"},
     "Sasniegts: 35 782 pret prognozi 36 000, nobīde −0,61 % (pielaide ±2 %)",
     "Achieved: 35,782 against a forecast of 36,000, deviation −0.61 % (tolerance ±2 %)"),
    ({"unit": "EUR", "forecast": "88 949", "actual": "49 471"},
     "Sliktāks par prognozēto: 49 471 pret prognozi 88 949, nobīde −44,38 % (pielaide ±2 %)",
     "Worse than forecast: 49,471 against a forecast of 88,949, deviation −44.38 % (tolerance ±2 %)"),
    ({"unit": "%", "baseline": "15%", "forecast": "+ 2% (salīdzinājumā ar 2012.gadu)", "actual": "19%"},
     "Sasniegts: 19 % pret prognozi 17 % (15 % + 2 p.p. pret bāzes vērtību), nobīde +2,00 p.p. (pielaide ±2 p.p.)",
     "Achieved: 19 % against a forecast of 17 % (15 % + 2 p.p. against the baseline), deviation +2.00 p.p. (tolerance ±2 p.p.)"),
    ({"unit": "percent_change", "baseline": "+5%", "forecast": "+10% (salīdzinājumā ar 2012.gadu)", "actual": "+349% (salīdzinājumā ar 2012.gadu)"},
     "Labāks par prognozēto: 349 % pret prognozi 10 %, nobīde +339,00 p.p. (pielaide ±2 p.p.)",
     "Better than forecast: 349 % against a forecast of 10 %, deviation +339.00 p.p. (tolerance ±2 p.p.)"),
    ({"unit": "count", "forecast": 9, "actual": 170, "justification": WHY},
     "Labāks par prognozēto: 170 pret prognozi 9; izlase 9 ≤ 100, tāpēc nobīde procentos netiek aprēķināta; vērtējums kvalitatīvs",
     "Better than forecast: 170 against a forecast of 9; sample of 9 is at most 100, so no percentage deviation is computed; qualitative assessment"),
    ({"unit": "hours", "forecast": "35 – 70>", "actual": "35 – 70>"},
     "Sasniegts: 35–70 pret prognozi 35–70, iekļaujas prognozes intervālā",
     "Achieved: 35–70 against a forecast of 35–70, within the forecast range"),
    ({"unit": "hours", "forecast": "35-70", "actual": 75},
     "Labāks par prognozēto: 75 pret prognozi 35–70, nobīde no tuvākās prognozes robežas 70: +7,14 % (pielaide ±2 %)",
     "Better than forecast: 75 against a forecast of 35–70, deviation from the nearest forecast bound 70: +7.14 % (tolerance ±2 %)"),
    ({"unit": "milestone", "forecast": 0, "actual": 0},
     "Nav vērtēts: prognoze 0, šajā periodā izpilde nav paredzēta", "Not assessed: forecast 0, not due in this period"),
    ({"unit": "milestone", "forecast": 1, "actual": 0},
     "Sliktāks par prognozēto: atskaites punkts nav izpildīts (0 pret prognozi 1)",
     "Worse than forecast: milestone not reached (0 against a forecast of 1)"),
    ({"unit": "money", "forecast": None, "actual": 5}, "Nav vērtēts: nav prognozes", "Not assessed: no forecast"),
    ({"unit": "money", "forecast": 0, "actual": 5},
     "Labāks par prognozēto: 5 pret prognozi 0, nobīdi nevar aprēķināt (prognoze 0), izšķir virziens",
     "Better than forecast: 5 against a forecast of 0, deviation not computable (forecast 0), the direction decides"),
    ({"unit": "money", "forecast": 1000, "actual": 1021, "direction": "lower_is_better"},
     "Sliktāks par prognozēto: 1 021 pret prognozi 1 000, nobīde +2,10 % (pielaide ±2 %) (mazāks ir labāks)",
     "Worse than forecast: 1,021 against a forecast of 1,000, deviation +2.10 % (tolerance ±2 %) (lower is better)"),
])
def test_explanations(indicator, lv, en):
    assert explain("lv", **indicator) == lv
    assert explain("en", **indicator) == en


def test_override_explanation_names_the_justification_and_the_rules():
    text = explain("en", unit="count", forecast=1, actual=0, override="-", justification="data not received")
    assert text.startswith("Analyst's override: Not assessed; justification: data not received; the rules give: Worse than forecast")
    assert explain("lv", unit="count", forecast=1, actual=0, override="-", justification="x").startswith("Analītiķa vērtējums: Nav vērtēts")


def test_invalid_data_explanation_quotes_the_problem():
    assert "'lots'" in explain("en", unit="money", forecast="lots", actual=1)


@pytest.mark.parametrize("value, lv, en", [
    (D("35782"), "35 782", "35,782"), (D("-0.5"), "−0,5", "-0.5".replace("-", "−")), (D("1234567.25"), "1 234 567,25", "1,234,567.25"),
    (D("999"), "999", "999"), (D("61.20"), "61,2", "61.2"), (D("1E+3"), "1 000", "1,000"), (D("-0"), "0", "0"), (None, "–", "–"),
])
def test_format_number(value, lv, en):
    assert (format_number(value, "lv"), format_number(value, "en")) == (lv, en)


@pytest.mark.parametrize("value, lv", [
    (D("-0.605555"), "−0,61"), (D("2"), "+2,00"), (D("0"), "0,00"), (D("-0.001"), "0,00"), (D("0.005"), "+0,01"), (None, "–"),
    # 30 digits: the rounding must not fall back to the default 28-digit context on the way
    (D("123456789012345678901234567890.125"), "+123 456 789 012 345 678 901 234 567 890,13"),
])
def test_format_signed(value, lv):
    assert format_signed(value, "lv") == lv


def test_format_deviation():
    a = engine.assess({"id": "T", "unit": "count", "forecast": 36000, "actual": 35782}, engine.default_rules())
    assert (a.format_deviation("lv"), a.format_deviation("en")) == ("−0,61 %", "−0.61 %")
    b = engine.assess({"id": "T", "unit": "milestone", "forecast": 1, "actual": 1}, engine.default_rules())
    assert b.format_deviation("lv") == "–"


def test_import_engine_is_cheap():
    code = ("import sys, engine; engine.default_rules(); engine.assess; "
            "print(sorted(m for m in ('pandas', 'numpy', 'jsonschema', 'openpyxl', 'xlwings') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_public_api_names():
    for name in ("Status", "Basis", "Rules", "Assessment", "assess", "assess_frame", "load_rules", "default_rules"):
        assert name in dir(engine) and getattr(engine, name) is not None
    assert engine.__version__ == "0.1.0" and callable(engine.assess)
    with pytest.raises(AttributeError):
        engine.no_such_thing


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_every_basis_has_a_distinct_label_in_each_language(lang):
    from engine.status import Basis

    labels = [b.label(lang) for b in Basis]
    assert len(set(labels)) == len(Basis) and all(labels)
    assert Basis.COMPUTED.label("lv") == "aprēķināts" and Basis.OVERRIDE.label("en") == "analyst override"


def test_control_characters_from_cells_never_reach_a_message_raw():
    from engine.findings import Finding, Location, printable

    f = Finding("unparseable-value", Location(sheet="R\x1b[2J", row=3, column=2, indicator="A\x07"),
                {"field": "actual", "text": "12\x1b]0;pwned\x07\n"})
    text = f.render("en")
    assert not any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in text)
    assert "x1b]0;pwned" in text and printable("tab\there") == "tab\\x09here"


@pytest.mark.parametrize("n", [87.0, D("87.0"), D("87"), 87])
def test_a_whole_sample_size_reads_as_a_whole_number(n):
    from engine.findings import Finding, Location

    text = Finding("small-sample-without-justification", Location(), {"n": n, "threshold": D("100")}).message("lv")
    assert text.startswith("izlase 87 nepārsniedz 100")
