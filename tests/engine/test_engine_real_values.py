"""What real ministry tables hold, read by general rules: footnote markers, years in cells, approximations,
irregular grouping, three-decimal commas, relative forecasts, two values in a cell, milestone words, measured units.

Every case asserts on the value read and on (code, field) of the findings, never on message text."""
from decimal import Decimal as D

import pytest
from hypothesis import given, settings, strategies as st

import engine
from engine.codes import CATALOGUE
from engine.values import (Invalid, Missing, Noted, Number, Range, RelativeToBaseline, as_year, cell_years, is_plain,
                           parse_value, read_cell)

RULES = engine.default_rules()
WORKING = "pamatojums"


def assess(**row):
    row.setdefault("id", "R")
    row.setdefault("justification", WORKING)
    return engine.assess(row, RULES)


def codes(a):
    return sorted((f.code, f.location.field) for f in a.findings)


# --- parsing: what each form reads as ------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    # footnote markers stuck to the number when copied from Word or PDF
    ("2253[13]", Noted(Number(D("2253")), "2253[13]", markers=("[13]",))),
    ("10,1%[4]", Noted(Number(D("10.1"), True), "10,1%[4]", markers=("[4]",))),
    ("2600[7]", Noted(Number(D("2600")), "2600[7]", markers=("[7]",))),
    ("2600 [7]", Noted(Number(D("2600")), "2600 [7]", markers=("[7]",))),
    ("2253¹³", Noted(Number(D("2253")), "2253¹³", markers=("¹³",))),
    ("1495*", Noted(Number(D("1495")), "1495*", markers=("*",))),
    ("35 – 70>[2]", Noted(Range(D("35"), D("70")), "35 – 70>[2]", markers=("[2]",))),
    # the year a value is for, in the cell (LV and EN spellings), on the same line or the next
    ("7 137 (2016)", Noted(Number(D("7137")), "7 137 (2016)", year=2016)),
    ("7 137 (2016. gads)", Noted(Number(D("7137")), "7 137 (2016. gads)", year=2016)),
    ("7 137 (2016.g.)", Noted(Number(D("7137")), "7 137 (2016.g.)", year=2016)),
    ("7 137 (year 2016)", Noted(Number(D("7137")), "7 137 (year 2016)", year=2016)),
    ("7 137\n(2020)", Noted(Number(D("7137")), "7 137\n(2020)", year=2020)),
    ("7 137\r\n(2020)\n[3]", Noted(Number(D("7137")), "7 137\r\n(2020)\n[3]", year=2020, markers=("[3]",))),
    ("120 (2016)[2]", Noted(Number(D("120")), "120 (2016)[2]", year=2016, markers=("[2]",))),
    # approximations, LV and EN
    ("~120", Noted(Number(D("120")), "~120", approximate=True)),
    ("≈ 120", Noted(Number(D("120")), "≈ 120", approximate=True)),
    ("apm. 120", Noted(Number(D("120")), "apm. 120", approximate=True)),
    ("aptuveni 1 200", Noted(Number(D("1200")), "aptuveni 1 200", approximate=True)),
    ("approx. 120", Noted(Number(D("120")), "approx. 120", approximate=True)),
    ("about 120", Noted(Number(D("120")), "about 120", approximate=True)),
    # signs, grouping and spaces
    ("-4905", Number(D("-4905"))),
    ("4875 560", Number(D("4875560"))),  # an irregular thousands group
    ("6074", Number(D("6074"))),  # none
    ("18 966", Number(D("18966"))),
    ("  1246 753  ", Number(D("1246753"))),
    # a decimal comma with three decimals is a decimal comma; the other reading is kept for the finding
    ("7,315", Noted(Number(D("7.315")), "7,315", other=D("7315"))),
    ("-7,315", Noted(Number(D("-7.315")), "-7,315", other=D("-7315"))),
    ("7,3150", Number(D("7.3150"))),  # four decimals: no thousands reading
    ("0,125", Number(D("0.125"))),  # a leading zero groups no thousands
    ("1 234,567", Number(D("1234.567"))),  # spaces already group the thousands
    ("7.315", Number(D("7.315"))),  # a point is a decimal point
    # a bare signed change, no base year named
    ("+1%", RelativeToBaseline(D("1"), True, None, "+1%", implicit=True)),
    ("+ 5", RelativeToBaseline(D("5"), False, None, "+ 5", implicit=True)),
    # relative forecasts that name the base year (LV and EN)
    ("+ 2% (salīdzinājumā ar 2012.gadu)", RelativeToBaseline(D("2"), True, 2012, "+ 2% (salīdzinājumā ar 2012.gadu)")),
    ("+2% (compared with 2012)", RelativeToBaseline(D("2"), True, 2012, "+2% (compared with 2012)")),
    # milestones as words, LV and EN
    ("jā", Number(D("1"))), ("Jā", Number(D("1"))), ("yes", Number(D("1"))), ("izpildīts", Number(D("1"))),
    ("nē", Number(D("0"))), ("No", Number(D("0"))), ("nav izpildīts", Number(D("0"))), ("neizpildīts", Number(D("0"))),
    # gaps stay gaps, with or without a footnote
    ("–[3]", Missing("–[3]")), ("n/a[2]", Missing("n/a[2]")), ("- / -", Missing("- / -")),
])
def test_each_real_form_reads_as_its_value(raw, expected):
    assert parse_value(raw) == expected


@pytest.mark.parametrize("raw, first, second", [
    ("202/17", "202", "17"),
    ("19 200 / 20 125", "19 200", "20 125"),
    ("19 200 /  20 125", "19 200", "20 125"),
    ("80% / 75,7%", "80%", "75,7%"),
    ("2600[7] / 1495", "2600[7]", "1495"),
    ("100%[3]/ 81%", "100%[3]", "81%"),
    ("-/77,5", "-", "77,5"),
    ("jā/nē", "jā", "nē"),
    ("19 200\n20 125", "19 200", "20 125"),
    ("2600[7]\n1495[8]", "2600[7]", "1495[8]"),
])
def test_two_values_in_one_cell_are_never_read_as_one(raw, first, second):
    value = parse_value(raw)
    assert isinstance(value, Invalid) and value.code == "two-values"
    assert dict(value.params) == {"first": first, "second": second}


@pytest.mark.parametrize("raw", ["(2016)", "[3]", "~", "apm.", "ap9", "7 137 (2016) (2017)", "7 137\nteksts", "2016 [2016]",
                                 "1/2/3", "5 km/h"])
def test_marks_without_a_value_are_not_read(raw):
    value = parse_value(raw)
    assert isinstance(value, Invalid) and value.code == "unparseable-value"


def test_a_milestone_word_keeps_how_it_was_written():
    assert parse_value("jā").word == "jā" and parse_value("NĒ").word == "NĒ"
    assert not is_plain(parse_value("jā")) and is_plain(parse_value("1")) and not is_plain(parse_value("7,315"))


@pytest.mark.parametrize("given, year", [(2016, 2016), (2016.0, 2016), ("2016", 2016), ("2016.gads", 2016), (" 2016. g.", 2016),
                                         (None, None), ("", None), (True, None), (16, None), ("2016/2017", None), (D("2016"), 2016)])
def test_column_years_are_read_from_the_row_keys(given, year):
    assert as_year(given) == year
    assert cell_years({"actual_year": given})["actual"] == year


# --- assessing: each form with its finding ---------------------------------------------------------------

@pytest.mark.parametrize("row, status, deviation, found", [
    # footnote markers: the number, and a warning naming the marker
    ({"unit": "skaits", "baseline": "~120", "forecast": "2600[7]", "actual": 1495}, "worse", D("-42.5"),
     [("approximate-value", "baseline"), ("footnote-marker", "forecast")]),
    ({"unit": "%", "baseline": "10,1%[4]", "forecast": "+1%", "actual": "14,1%"}, "better", D("3.0"),
     [("footnote-marker", "baseline")]),
    ({"unit": "count", "forecast": "4300", "actual": "6074[2]"}, "better", None, [("footnote-marker", "actual")]),
    # approximations, LV and EN
    ({"unit": "count", "forecast": "apm. 200", "actual": 203}, "achieved", D("1.5"), [("approximate-value", "forecast")]),
    ({"unit": "count", "forecast": "approx. 200", "actual": 203}, "achieved", D("1.5"), [("approximate-value", "forecast")]),
    # negative numbers with a hyphen; grouped and ungrouped numbers side by side
    ({"unit": "count", "direction": "higher", "baseline": "-4905", "forecast": "1000", "actual": "-4905"}, "worse", None, []),
    ({"unit": "count", "baseline": "4875 560", "forecast": "5 000 000", "actual": "4875560"}, "worse", D("-2.4888"), []),
    # 7,315 is 7.315: a warning where the thousands reading is possible, none where the unit rules it out
    ({"unit": "uz 100 000 iedzīvotāju", "direction": "zemāks ir labāks", "forecast": "7,315", "actual": "7,44"},
     "achieved", None, [("ambiguous-decimal-comma", "forecast")]),
    ({"unit": "skaits", "forecast": "7,315", "actual": 7315}, "better", None, [("ambiguous-decimal-comma", "forecast")]),
    ({"unit": "%", "forecast": "7,315", "actual": "7,3"}, "achieved", None, []),
    ({"unit": "milestone", "forecast": "1,000", "actual": 1}, "achieved", None, []),
    # a relative forecast without a base year: resolved against the baseline as the rule file says
    ({"unit": "%", "baseline": "15%", "forecast": "+1%", "actual": "16%"}, "achieved", D("0"), []),
    ({"unit": "count", "baseline": 200, "forecast": "+5%", "actual": 210}, "achieved", D("0"), []),
    ({"unit": "count", "baseline": 200, "forecast": "+5", "actual": 205}, "achieved", D("0"), []),
    ({"unit": "% izmaiņas", "baseline": "+5%", "forecast": "+10%", "actual": "+10%"}, "achieved", D("0"), []),
    ({"unit": "%", "forecast": "+1%", "actual": "16%"}, "not_assessed", None, [("baseline-required", "forecast")]),
    # the base year inside the forecast against the row's baseline year
    ({"unit": "%", "baseline": "15%", "baseline_year": 2012, "forecast": "+ 2% (salīdzinājumā ar 2012.gadu)", "actual": "19%"},
     "achieved", D("2"), []),
    ({"unit": "%", "baseline": "15%", "baseline_year": 2013, "forecast": "+ 2% (salīdzinājumā ar 2012.gadu)", "actual": "19%"},
     "not_assessed", None, [("base-year-mismatch", "forecast")]),
    ({"unit": "%", "baseline": "15%", "baseline_year": "2013", "forecast": "+2% (compared with 2012)", "actual": "19%"},
     "not_assessed", None, [("base-year-mismatch", "forecast")]),
    ({"unit": "%", "baseline": "15%", "forecast": "+2% (compared with 2012)", "actual": "19%"}, "achieved", D("2"), []),
    # the year in a cell against its column's year: the period mismatch of the methodology
    ({"unit": "count", "forecast": "7 000", "forecast_year": 2016, "actual": "7 137 (2016)", "actual_year": 2016},
     "achieved", D("1.9571"), []),
    ({"unit": "count", "forecast": "7 000", "actual": "7 137 (2016)"}, "achieved", D("1.9571"), []),  # no column year: no check
    ({"unit": "count", "forecast": "7 000", "actual": "7 137 (2016)", "actual_year": 2017},
     "not_assessed", None, [("cell-year-mismatch", "actual")]),
    ({"unit": "count", "forecast": "7 000\n(2016)", "forecast_year": 2017, "actual": "7 137"},
     "not_assessed", None, [("cell-year-mismatch", "forecast")]),
    ({"unit": "count", "baseline": "6 900 (2011)", "baseline_year": 2012, "forecast": "7 000", "actual": "7 100"},
     "achieved", None, [("cell-year-mismatch", "baseline")]),
    # two values in one cell: a finding naming both, never one value
    ({"unit": "count", "forecast": "150/20", "actual": "202/17"}, "not_assessed", None,
     [("two-values", "actual"), ("two-values", "forecast")]),
    ({"unit": "count", "forecast": "19 200 / 20 125", "actual": 20125}, "not_assessed", None, [("two-values", "forecast")]),
    # milestones written as words, LV and EN
    ({"unit": "jā/nē", "forecast": "jā", "actual": "jā"}, "achieved", None, []),
    ({"unit": "jā/nē", "forecast": "jā", "actual": "nē"}, "worse", None, []),
    ({"unit": "yes/no", "forecast": "yes", "actual": "no"}, "worse", None, []),
    ({"unit": "milestone", "forecast": "izpildīts", "actual": "nav izpildīts"}, "worse", None, []),
    ({"unit": "milestone", "forecast": "nē", "actual": "nē"}, "not_assessed", None, []),  # not due in this period
    ({"unit": "skaits", "forecast": "jā", "actual": 3}, "not_assessed", None, [("value-not-allowed", "forecast")]),
])
def test_real_forms_are_assessed_with_their_findings(row, status, deviation, found):
    a = assess(**row)
    assert a.status.value == status
    assert codes(a) == sorted(found)
    if deviation is not None:
        assert a.deviation is not None and abs(a.deviation - deviation) < D("0.0001")


def test_the_relative_forecast_without_a_base_year_is_explained_with_its_baseline():
    a = assess(unit="%", baseline="10,1%[4]", forecast="+1%", actual="14,1%")
    assert a.resolved_forecast == D("11.1") and a.params["resolution"]["baseline"] == D("10.1")
    assert "10,1" in a.explain("lv") and "11,1" in a.explain("lv")
    assert "10.1" in a.explain("en") and "11.1" in a.explain("en")


def test_a_signed_baseline_or_achieved_value_is_the_number_itself():
    value, found = read_cell("+5%", "baseline", "R")
    assert value == Number(D("5"), True) and found == []
    value, found = read_cell("+5%", "actual", "R")
    assert value == Number(D("5"), True) and found == []


def test_the_two_values_finding_names_both():
    a = assess(unit="count", forecast="19 200 / 20 125", actual=1)
    (finding,) = a.findings
    assert (finding.params["first"], finding.params["second"]) == ("19 200", "20 125")


def test_the_year_finding_names_both_years():
    a = assess(unit="count", forecast=1, actual="7 137 (2016)", actual_year=2017)
    (finding,) = a.findings
    assert (finding.code, finding.params["year"], finding.params["column_year"]) == ("cell-year-mismatch", 2016, 2017)
    assert finding.severity.value == "error"


@pytest.mark.parametrize("code", ["footnote-marker", "approximate-value", "ambiguous-decimal-comma", "cell-year-mismatch",
                                  "base-year-mismatch", "two-values"])
def test_every_new_code_has_lv_and_en_texts(code):
    entry = CATALOGUE[code]
    assert entry.lv and entry.en and entry.hint_lv and entry.hint_en


@pytest.mark.parametrize("row", [
    {"unit": "skaits", "baseline": "~120", "forecast": "2600[7]", "actual": 1495},
    {"unit": "km", "forecast": "7,315", "actual": "7,44"},
    {"unit": "count", "forecast": "19 200 / 20 125", "actual": 1},
    {"unit": "count", "forecast": 1, "actual": "7 137 (2016)", "actual_year": 2017},
    {"unit": "%", "baseline": "15%", "baseline_year": 2013, "forecast": "+ 2% (salīdzinājumā ar 2012.gadu)", "actual": "19%"},
])
@pytest.mark.parametrize("lang", ["lv", "en"])
def test_the_messages_of_real_forms_are_complete_in_both_languages(row, lang):
    for finding in assess(**row).findings:
        text = finding.message(lang) + finding.hint(lang)
        assert "{" not in text and "}" not in text


# --- measured quantities -----------------------------------------------------------------------------------

@pytest.mark.parametrize("alias", [
    "uz 100 000 iedzīvotāju", "uz 100 000 iedzīvotājiem", "uz 100000 iedzīvotāju", "Uz 100\u00a0000 iedzīvotāju",
    "per 100 000 inhabitants", "per 100,000 population", "minūtes", "min", "min.", "(min)", "minutes", "km", "kilometri",
    "vidēji", "vidējais", "average", "indekss", "index", "koeficients", "coefficient", "measure",
])
def test_measured_quantities_have_their_own_unit_kind(alias):
    assert RULES.unit_from_text(alias) == "measure"


@pytest.mark.parametrize("alias", ["tūkst. euro", "tūkst.euro", "Tūkst. EUR", "thousand euro", "EUR thousand", "milj. euro", "euro", "EUR", "€"])
def test_money_in_thousands_is_money(alias):
    assert RULES.unit_from_text(alias) == "money"


def test_a_rate_is_not_a_sample_of_its_own_value():
    # 4 deaths per 100 000 inhabitants against 4,4: +10 %, computed, although 4 is far below 100
    rate = assess(unit="uz 100 000 iedzīvotāju", direction="zemāks ir labāks", baseline="4,2", forecast=4, actual="4,4")
    assert (rate.status.value, rate.basis.value, rate.deviation_unit) == ("worse", "computed", "%")
    assert rate.deviation == D("10")
    count = assess(unit="skaits", direction="zemāks ir labāks", forecast=4, actual=5)
    assert count.basis.value == "qualitative"


def test_a_measure_resolves_a_relative_forecast_relatively():
    a = assess(unit="min", baseline=50, forecast="+2% (salīdzinājumā ar 2018.gadu)", actual=51, direction="lower")
    assert a.resolved_forecast == D("51") and a.status.value == "achieved"


def test_the_schema_accepts_the_new_kind_and_old_files_stay_valid(tmp_path):
    import json

    from engine.rules import check_rules, rules_path

    default = json.loads(rules_path("default.json").read_text(encoding="utf-8"))
    assert check_rules(default) == []
    old = {"format_version": 1, "tolerance": {"value": 5}, "indicators": {"A.1": {"unit": "money"}}}
    assert check_rules(old) == []
    new = {"format_version": 1, "units": {"aliases": {"ātrums km/h": "measure"}},
           "relative_to_baseline": {"measure": "points"},
           "small_sample": {"units": ["count", "measure"], "n_source": {"measure": ["sample_size"]}},
           "indicators": {"A.1": {"unit": "measure"}}}
    assert check_rules(new) == []
    path = tmp_path / "new.json"
    path.write_text(json.dumps(new, ensure_ascii=False), encoding="utf-8")
    rules = engine.load_rules(path)
    assert rules.unit_from_text("Ātrums km/h") == "measure"
    a = engine.assess({"id": "B", "unit": "km", "forecast": 50, "actual": 55, "sample_size": 30, "justification": "j"}, rules)
    assert a.basis.value == "qualitative"  # a rule file may still bring measures under the rule


# --- robustness ----------------------------------------------------------------------------------------

marks = st.text(alphabet="0123456789 ,.-–+%~≈*[]()¹²/\napm.aptuvenijānēyesnozīmgads", max_size=40)


@given(marks)
@settings(max_examples=300)
def test_no_real_looking_text_crashes_reading(text):
    value, found = read_cell(text, "actual", "R", unit="count", years={"actual": 2016, "baseline": 2012})
    assert isinstance(value, (Number, Range, RelativeToBaseline, Missing, Invalid))
    assert all(f.location.field == "actual" for f in found)


@given(marks, marks, marks)
@settings(max_examples=200)
def test_assess_never_raises_on_real_looking_rows(baseline, forecast, actual):
    a = assess(unit="%", baseline=baseline, forecast=forecast, actual=actual, baseline_year=2012, forecast_year=2016,
               actual_year=2016)
    assert a.status.value in ("achieved", "worse", "better", "not_assessed")
    assert a.explain("lv") and a.explain("en")
