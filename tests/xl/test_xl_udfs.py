"""ASSESS, DEVIATION and ASSESS_TABLE without Excel: the same answers as engine.assess, readable errors for bad arguments."""
from __future__ import annotations

from decimal import Decimal as _D

import pytest
from hypothesis import given, strategies as st

from workbook.excel.udfs import ERROR, TABLE_HEADER, UdfInputError, assess_symbol, assess_table, deviation_value


@pytest.mark.parametrize(
    "args, symbol, deviation",
    [
        ((36000, 35280), "●", -2.0),                          # −2 % exactly: inside the inclusive tolerance
        ((36000, 35782), "●", -0.61),
        ((1000, 1021, None, "count", "lower_is_better", 500), "▼", 2.1),
        ((1000, 979, None, "count", "lower_is_better", 500), "▲", -2.1),
        ((0.19, 0.17, None, "percent", None, 1000), "●", -2.0),  # percent-formatted cells: 17 % vs 19 %
        ((1, 0, None, "milestone"), "▼", None),
        ((None, 5), "-", None),
    ],
)
def test_assess_and_deviation_agree_with_the_engine(args, symbol, deviation):
    assert assess_symbol(*args) == symbol
    value = deviation_value(*args)
    if deviation is None:
        assert isinstance(value, str) and value.startswith("not computed")
    else:
        assert value == pytest.approx(deviation, abs=0.005)


def test_a_small_count_gets_a_qualitative_symbol_and_no_deviation():
    assert assess_symbol(9, 170) == "▲"
    assert deviation_value(9, 170) == "not computed (qualitative)"


@pytest.mark.parametrize("args, words", [((10, 12, None, "furlongs"), "furlongs"), (("ten", 12), "ten"),
                                         ((10, 12, None, "count", "sideways"), "sideways")])
def test_unusable_arguments_raise_a_readable_reason(args, words):
    with pytest.raises(UdfInputError, match=words):
        assess_symbol(*args)


def test_assess_table_answers_row_by_row_and_marks_bad_rows():
    table = [
        ["ID", "Unit", "Baseline", "Forecast 2016", "Achieved 2016", "Sample size"],
        ["A.1", "count", None, 36000, 35280, None],
        [None, None, None, None, None, None],
        ["A.2", "furlongs", None, 1, 2, None],
        [3.0, "percent", 15, "+ 2% (salīdzinājumā ar 2012.gadu)", 19, 1000],
    ]
    out = assess_table(table)
    assert out[0] == list(TABLE_HEADER)
    assert [row[:3] for row in out[1:]] == [["A.1", "achieved", "●"], ["A.2", ERROR, ERROR], ["3", "achieved", "●"]]  # 15 % + 2 p.p. = 17 %, 19 % is +2 p.p.
    assert out[1][3] == pytest.approx(-2.0) and "furlongs" in out[2][4]


def test_assess_table_accepts_bare_forecast_and_actual_headers():
    out = assess_table([["id", "unit", "forecast", "actual"], ["x", "count", 36000, 35782]])
    assert out[1][:3] == ["x", "achieved", "●"]


@pytest.mark.parametrize("table", [[], [["ID", "Unit"], ["x", "count"]]])
def test_assess_table_without_values_or_headers_is_a_readable_error(table):
    with pytest.raises(UdfInputError):
        assess_table(table)


def test_the_lite_module_imports_and_answers_without_any_xlwings_licence():
    # Outside Lite/server, xlwings' decorators are no-ops: the functions stay plain and callable.
    from workbook.excel.lite import main

    assert main.assess(36000, 35280) == "●"
    assert main.deviation(36000, 35782) == pytest.approx(-0.61, abs=0.005)
    assert main.assess_table([["id", "unit", "forecast", "actual"], ["x", "count", 1, 1]])[1][2] == "●"


def test_without_the_licence_the_harness_says_so_instead_of_failing():
    from harness import run_requests

    answers = run_requests([{"kind": "meta", "module": "workbook.excel.lite.main"}] * 2, licence_key=None)
    assert [list(a) for a in answers] == [["licence"], ["licence"]]


# From 1.1 %: a row whose typed percentages are all within −1…1 (0.5 meaning 0.5 %) is read as percent
# format, the rule's one ambiguity (README, "Percent cells").
_share = st.decimals(min_value=_D("0.011"), max_value=_D("0.999"), places=3)


@given(_share, _share)
def test_a_share_in_percent_format_assesses_like_the_same_share_typed_in_percent(forecast, actual):
    typed = (forecast * 100, actual * 100, None, "percent", None, 1000)
    formatted = (float(forecast), float(actual), None, "percent", None, 1000)
    assert assess_symbol(*formatted) == assess_symbol(*typed)
    assert deviation_value(*formatted) == pytest.approx(deviation_value(*typed))


def test_the_classic_udfs_answer_and_turn_bad_arguments_into_readable_error_text():
    from workbook.excel import classic

    assert classic.ASSESS(36000.0, 35280.0) == "●"
    assert classic.DEVIATION(36000.0, 35782.0) == pytest.approx(-0.61, abs=0.005)
    assert classic.ASSESS(1.0, 2.0, None, "furlongs") == "#VALUE! unit 'furlongs' is not known"
    assert classic.ASSESS_TABLE([["ID"]]) == "#VALUE! the header row lacks forecast, actual"
