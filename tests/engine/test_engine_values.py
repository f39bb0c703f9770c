"""Every form of value an analyst types, parsed exactly or reported, never guessed."""
from decimal import Decimal as D

import pytest
from hypothesis import given, strategies as st

from engine.values import Invalid, Missing, Noted, Number, Range, RelativeToBaseline, finding_for, parse_value


@pytest.mark.parametrize("raw, expected", [
    ("88 949", Number(D("88949"))),
    ("88\u00a0949", Number(D("88949"))),  # no-break space
    ("88\u202f949", Number(D("88949"))),  # narrow no-break space
    ("1 234 567,5", Number(D("1234567.5"))),
    ("12,5", Number(D("12.5"))),
    ("12.5", Number(D("12.5"))),
    ("15%", Number(D("15"), percent=True)),
    ("15 %", Number(D("15"), percent=True)),
    ("+5%", RelativeToBaseline(D("5"), True, None, "+5%", implicit=True)),  # a bare signed change: see test_engine_real_values
    ("−5", Number(D("-5"))),  # unicode minus
    ("-5", Number(D("-5"))),
    ("  170 ", Number(D("170"))),
    (170, Number(D("170"))),
    (0.17, Number(D("0.17"))),  # repr, not the binary expansion
    (2.0000000000000018, Number(D("2.0000000000000018"))),
    (D("35.782"), Number(D("35.782"))),
    ("35 – 70>", Range(D("35"), D("70"))),  # the seed's stray '>'
    ("35-70", Range(D("35"), D("70"))),
    ("35—70", Range(D("35"), D("70"))),
    ("35 − 70", Range(D("35"), D("70"))),
    ("35,5–70", Range(D("35.5"), D("70"))),
    ("10%-20%", Range(D("10"), D("20"), percent=True)),
    ("+ 2% (salīdzinājumā ar 2012.gadu)", RelativeToBaseline(D("2"), True, 2012, "+ 2% (salīdzinājumā ar 2012.gadu)")),
    ("+10% (compared with 2012)", RelativeToBaseline(D("10"), True, 2012, "+10% (compared with 2012)")),
    ("-3 (pret 2012. gadu)", RelativeToBaseline(D("-3"), False, 2012, "-3 (pret 2012. gadu)")),
])
def test_typed_values_parse_exactly(raw, expected):
    assert parse_value(raw) == expected


@pytest.mark.parametrize("raw", [None, "", "   ", "-", "–", "—", "n/a", "N/A", "nav datu", "Nav datu", float("nan")])
def test_gaps_are_missing(raw):
    assert isinstance(parse_value(raw), Missing)


@pytest.mark.parametrize("raw, code", [
    (True, "unparseable-value"),  # a checkbox is not a number
    (False, "unparseable-value"),
    ("abc", "unparseable-value"),
    ("1 2", "unparseable-value"),  # not a thousands group
    ("12,5,3", "unparseable-value"),
    ("1.5e3", "unparseable-value"),
    ("70-35", "invalid-range"),
    ("+2% (salīdzinājumā ar kaut ko)", "unparseable-value"),
    (float("inf"), "unparseable-value"),
    ("x" * 500, "unparseable-value"),
    (object(), "unparseable-value"),
])
def test_what_cannot_be_read_is_invalid_with_a_code(raw, code):
    value = parse_value(raw)
    assert isinstance(value, Invalid) and value.code == code


def test_an_invalid_value_becomes_a_located_finding():
    finding = finding_for(parse_value("abc"), "forecast", "A.PR1.1")
    assert (finding.code, finding.location.field, finding.location.indicator) == ("unparseable-value", "forecast", "A.PR1.1")
    assert "abc" in finding.message("lv") and "abc" in finding.message("en")


@given(st.one_of(st.text(max_size=300), st.text(alphabet="0123456789 ,.-–—−+%>()salīdzinājumā ar gadu compared with", max_size=80)))
def test_no_string_crashes_the_parser(text):
    assert isinstance(parse_value(text), (Number, Range, RelativeToBaseline, Noted, Missing, Invalid))


@given(st.decimals(allow_nan=False, allow_infinity=False, places=4, min_value=-10**9, max_value=10**9))
def test_decimal_comma_text_round_trips(d):
    assert parse_value(format(d, "f").replace(".", ",")) == Number(d)


@given(st.integers(min_value=0, max_value=10**12))
def test_space_grouped_integers_round_trip(i):
    assert parse_value(f"{i:,}".replace(",", "\u00a0")) == Number(D(i))


@pytest.mark.parametrize("make, expected", [
    (lambda np: np.float64(0.17), D("0.17")),  # numpy 2's repr is np.float64(0.17)
    (lambda np: np.float32(0.1), D("0.1")),    # its shortest text, not 0.10000000149011612
    (lambda np: np.int64(5), D(5)),
    (lambda np: np.array([1.5, 2.0])[0], D("1.5")),
    (lambda np: np.str_("12,5"), D("12.5")),
])
def test_numpy_scalars_read_as_the_numbers_they_hold(make, expected):
    np = pytest.importorskip("numpy")
    value = parse_value(make(np))
    assert isinstance(value, Number) and value.value == expected


@pytest.mark.parametrize("make, kind", [
    (lambda np: np.bool_(True), Invalid),  # a checkbox, as Python's True
    (lambda np: np.float64("nan"), Missing),  # pandas' empty cell
    (lambda np: np.float64("inf"), Invalid),
    (lambda np: np.datetime64("2020-01-01"), Invalid),
])
def test_other_numpy_scalars_are_empty_or_unreadable_never_an_exception(make, kind):
    np = pytest.importorskip("numpy")
    value = parse_value(make(np))
    assert isinstance(value, kind)
    assert "np." not in getattr(value, "text", "")
