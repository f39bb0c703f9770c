"""Invariants of the engine that hold for any input (Hypothesis)."""
import math
from decimal import Decimal as D

import pandas as pd
from hypothesis import HealthCheck, given, settings, strategies as st

import engine
from engine.status import Basis, Status

RULES = engine.default_rules()
UNITS = ["count", "money", "hours", "percent", "percent_change", "milestone", "EUR", "skaits", "%", "litres", None, ""]
DIRECTIONS = [None, "higher_is_better", "lower_is_better", "closer_is_better", "lower", "sideways", ""]
TEXTS = ["88 949", "12,5", "15%", "+5%", "+ 2% (salīdzinājumā ar 2012.gadu)", "+10% (compared with 2012)", "35 – 70>",
         "35-70", "-", "–", "", "n/a", "nav datu", "−5", "70-35", "abc", "0", "1", "100", "101", "1e3"]

cell = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.integers(-10**20, 10**20),
    st.floats(allow_nan=True, allow_infinity=True), st.decimals(allow_nan=True, allow_infinity=True),
    st.sampled_from(TEXTS), st.text(max_size=20),
)
indicator = st.fixed_dictionaries({
    "id": st.one_of(st.none(), st.sampled_from(["A.PR1.1", "X", ""])),
    "unit": st.sampled_from(UNITS),
    "baseline": cell, "forecast": cell, "actual": cell, "sample_size": cell,
    "direction": st.sampled_from(DIRECTIONS),
    "override": st.one_of(st.none(), st.sampled_from(["-", "achieved", "▲", "Nav vērtēts", "maybe", ""])),
    "justification": st.one_of(st.none(), st.just("pamatojums")),
})


@given(indicator)
@settings(max_examples=400)
def test_every_input_gives_one_status_and_never_raises(ind):
    a = engine.assess(ind, RULES)
    assert isinstance(a.status, Status) and isinstance(a.basis, Basis)
    assert a.symbol == RULES.symbol(a.status) and a.colour == RULES.colour(a.status)
    if a.basis is Basis.NONE:
        assert a.status is Status.NOT_ASSESSED
    if any(f.code in ("unknown-unit", "unknown-direction", "unparseable-value", "invalid-range") and f.location.field != "baseline"
           and f.location.field != "sample_size" for f in a.findings) and a.basis is not Basis.OVERRIDE:
        assert a.status is Status.NOT_ASSESSED
    assert (a.deviation is None) == (a.deviation_unit is None)
    assert a.explain("lv") and a.explain("en") and a.format_deviation("en")


numbers = st.one_of(st.integers(-10**7, 10**7), st.decimals(min_value=-10**7, max_value=10**7, places=3, allow_nan=False),
                    st.sampled_from(["35-70", "0", "-5", "1 000", "12,5"]))
SWAP = {Status.BETTER: Status.WORSE, Status.WORSE: Status.BETTER, Status.ACHIEVED: Status.ACHIEVED, Status.NOT_ASSESSED: Status.NOT_ASSESSED}


@given(st.sampled_from(["count", "money", "hours", "percent", "percent_change"]), numbers, numbers, st.one_of(st.none(), st.integers(0, 300)))
def test_swapping_higher_and_lower_swaps_better_and_worse(unit, forecast, actual, n):
    base = {"id": "T", "unit": unit, "forecast": forecast, "actual": actual, "sample_size": n, "justification": "j"}
    up = engine.assess({**base, "direction": "higher_is_better"}, RULES)
    down = engine.assess({**base, "direction": "lower_is_better"}, RULES)
    assert down.status is SWAP[up.status] and down.deviation == up.deviation


@given(st.sampled_from(["count", "money", "hours"]), st.integers(1, 10**9), st.integers(0, 10**9),
       st.decimals(min_value=D("0.001"), max_value=10**6, places=3, allow_nan=False))
def test_scaling_forecast_and_actual_keeps_the_status(unit, forecast, actual, factor):
    # sample_size 1000 keeps the small-sample rule out; the factor is positive
    one = engine.assess({"id": "T", "unit": unit, "forecast": forecast, "actual": actual, "sample_size": 1000}, RULES)
    scaled = engine.assess({"id": "T", "unit": unit, "forecast": D(forecast) * factor, "actual": D(actual) * factor,
                            "sample_size": 1000}, RULES)
    assert scaled.status is one.status and scaled.basis is one.basis


def same(frame_row, a):
    assert (frame_row["id"], frame_row["status"], frame_row["basis"]) == (a.id, a.status.value, a.basis.value)
    assert (frame_row["symbol"], frame_row["colour"]) == (a.symbol, a.colour)
    assert frame_row["deviation_unit"] == a.deviation_unit or (frame_row["deviation_unit"] is None and a.deviation_unit is None)
    if a.deviation is None:
        assert math.isnan(frame_row["deviation"])
    else:
        assert math.isclose(frame_row["deviation"], float(a.deviation), rel_tol=1e-9, abs_tol=1e-9)
    assert tuple(frame_row["findings"]) == tuple(f.code for f in a.findings)


@given(st.lists(indicator, min_size=1, max_size=25))
@settings(max_examples=80, suppress_health_check=[HealthCheck.too_slow])
def test_assess_frame_equals_assess_on_any_rows(rows):
    frame = engine.assess_frame(pd.DataFrame(rows, dtype=object), RULES)
    assert len(frame) == len(rows)
    for (_, row), ind in zip(frame.iterrows(), rows):
        same(row, engine.assess({k: (None if isinstance(v, float) and v != v else v) for k, v in ind.items()}, RULES))


plain = st.one_of(st.integers(-10**6, 10**6).map(float), st.floats(-1e6, 1e6, allow_nan=False), st.just(float("nan")),
                  st.sampled_from([36000.0, 35280.0, 60.0, 61.2, 0.5, 0.51, 17.0, 19.0, 100.0, 101.0, 0.0]))


@given(st.lists(st.tuples(st.sampled_from(["count", "money", "hours", "percent", "percent_change"]), plain, plain,
                          st.one_of(st.just(float("nan")), st.sampled_from([10.0, 100.0, 100.5, 1000.0])),
                          st.sampled_from([None, "lower_is_better", "closer_is_better"]), st.sampled_from([None, "j"])),
                min_size=1, max_size=40))
@settings(max_examples=80)
def test_assess_frame_equals_assess_on_numeric_columns(rows):
    df = pd.DataFrame({
        "id": [f"R{i}" for i in range(len(rows))],
        "unit": [r[0] for r in rows], "forecast": [r[1] for r in rows], "actual": [r[2] for r in rows],
        "sample_size": [r[3] for r in rows], "direction": [r[4] for r in rows], "justification": [r[5] for r in rows],
    })
    assert df["forecast"].dtype == "float64"
    frame = engine.assess_frame(df, RULES)
    for (_, row), (_, ind) in zip(frame.iterrows(), df.iterrows()):
        clean = {k: (None if isinstance(v, float) and v != v else v) for k, v in ind.to_dict().items()}
        same(row, engine.assess(clean, RULES))


def other_rules(tmp_path_factory):
    import json

    path = tmp_path_factory.mktemp("rules") / "other.json"
    path.write_text(json.dumps({
        "format_version": 1, "tolerance": {"value": 5, "inclusive": False}, "percent_deviation": "relative",
        "direction": "lower_is_better",
        "small_sample": {"threshold": 50, "inclusive": False, "units": ["count", "money", "milestone"],
                         "n_source": {"count": ["actual"], "money": ["sample_size", "forecast"]}},
        "indicators": {"R1": {"direction": "higher_is_better"}},
    }), encoding="utf-8")
    return engine.load_rules(path)


@given(rows=st.lists(st.tuples(st.sampled_from(["count", "money", "hours", "percent", "percent_change", "milestone"]), plain, plain,
                               st.one_of(st.just(float("nan")), st.sampled_from([10.0, 50.0, 100.0, 1000.0])),
                               st.sampled_from([None, "higher_is_better", "closer_is_better"])),
                     min_size=1, max_size=30))
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_assess_frame_equals_assess_under_another_rule_file(tmp_path_factory, rows):
    rules = other_rules(tmp_path_factory)
    df = pd.DataFrame({
        "id": [f"R{i}" for i in range(len(rows))], "unit": [r[0] for r in rows],
        "forecast": [r[1] if r[0] != "milestone" else float(abs(r[1]) % 2 < 1) for r in rows],
        "actual": [r[2] if r[0] != "milestone" else float(abs(r[2]) % 2 < 1) for r in rows],
        "sample_size": [r[3] for r in rows], "direction": [r[4] for r in rows],
    })
    frame = engine.assess_frame(df, rules)
    for (_, row), (_, ind) in zip(frame.iterrows(), df.iterrows()):
        clean = {k: (None if isinstance(v, float) and v != v else v) for k, v in ind.to_dict().items()}
        same(row, engine.assess(clean, rules))
