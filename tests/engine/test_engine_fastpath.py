"""assess_many's numpy path gives what assess gives, under any rule file the schema allows; what it does not support falls back."""
import dataclasses
import json
import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

import engine
import engine.batch as batch
from engine.batch import SUPPORTED, assess_many, assess_many_columns, row_supported, supports, unsupported

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "rules" / "schema.json").read_text(encoding="utf-8"))
# every value the schema allows, read from it: a unit added there is generated here too
UNITS = SCHEMA["$defs"]["unit"]["enum"]
DIRECTIONS = SCHEMA["$defs"]["direction"]["enum"]
RESOLUTIONS = SCHEMA["$defs"]["resolution"]["enum"]
PERCENT_DEVIATION = SCHEMA["$defs"]["percent_deviation"]["enum"]
SOURCES = SCHEMA["$defs"]["n_sources"]["items"]["enum"]
STATUS_NAMES = SCHEMA["properties"]["statuses"]["required"]
IDS = ["R0", "R1", "R2", "R3"]


# --- rule files: every setting of rules/schema.json, each optional -----------------------------------

tolerance_value = st.one_of(st.sampled_from([0, 1, 2, 2.5, 5, 0.1, 0.3, 10, 33.3, 1e-7, 1000000]),
                            st.floats(0, 100, allow_nan=False), st.integers(0, 1000))
tolerance = st.fixed_dictionaries({}, optional={"value": tolerance_value, "inclusive": st.booleans()})
resolutions = st.dictionaries(st.sampled_from(UNITS), st.sampled_from(RESOLUTIONS), max_size=len(UNITS))
small_sample = st.fixed_dictionaries({}, optional={
    "enabled": st.booleans(),
    "threshold": st.one_of(st.sampled_from([0, 1, 50, 100, 100.5, 0.1, 1000, 1e6]), st.floats(0, 1e4, allow_nan=False)),
    "inclusive": st.booleans(),
    "units": st.lists(st.sampled_from(UNITS), unique=True, max_size=len(UNITS)),
    "n_source": st.dictionaries(st.sampled_from(UNITS), st.lists(st.sampled_from(SOURCES), unique=True, min_size=1),
                                max_size=len(UNITS)),
    "justification_required": st.booleans(),
})
aliases = st.dictionaries(st.sampled_from(["vienības", "Skaits", "EUR", "likme", "daļa", "stundas", "0/1", "%"]),
                          st.sampled_from(UNITS), max_size=4)


@st.composite
def statuses(draw):
    symbols = draw(st.permutations(["●", "▼", "▲", "-", "+", "x", "ok", "?"]))
    out = {}
    for name, symbol in zip(draw(st.permutations(STATUS_NAMES)), symbols):
        entry = {"symbol": symbol, "colour": draw(st.sampled_from(["#C6EFCE", "#ffc7ce", "#BDD7EE", "#000000"])),
                 "label": {"lv": f"{name} lv", "en": f"{name} en"}}
        if draw(st.booleans()):
            entry["description"] = {"lv": "apraksts", "en": "description"}
        out[name] = entry
    return out


indicator_settings = st.fixed_dictionaries({}, optional={
    "unit": st.sampled_from(UNITS), "direction": st.sampled_from(DIRECTIONS), "tolerance": tolerance,
    "percent_deviation": st.sampled_from(PERCENT_DEVIATION), "relative_to_baseline": resolutions,
    "small_sample": small_sample, "note": st.just("piezīme"),
})
rule_file = st.fixed_dictionaries({"format_version": st.just(1)}, optional={
    "$schema": st.just("./schema.json"), "name": st.just("citi noteikumi"), "description": st.just("test"),
    "tolerance": tolerance, "percent_deviation": st.sampled_from(PERCENT_DEVIATION),
    "relative_to_baseline": resolutions, "small_sample": small_sample, "direction": st.sampled_from(DIRECTIONS),
    "units": st.fixed_dictionaries({}, optional={"aliases": aliases}), "statuses": statuses(),
    "lists_indicators": st.booleans(), "indicators": st.dictionaries(st.sampled_from(IDS[1:]), indicator_settings, max_size=2),
})


# the settings the generator varies, as paths into the rule file ([] a key of a map: a unit, an alias, an id)
GENERATED = {
    "$schema", "format_version", "name", "description", "lists_indicators",
    "tolerance.value", "tolerance.inclusive", "percent_deviation", "relative_to_baseline[]", "direction",
    "small_sample.enabled", "small_sample.threshold", "small_sample.inclusive", "small_sample.units",
    "small_sample.n_source[]", "small_sample.justification_required", "units.aliases[]",
    *(f"statuses.{name}.{part}" for name in STATUS_NAMES for part in ("symbol", "colour", "label.lv", "label.en",
                                                                       "description.lv", "description.en")),
    "indicators[].unit", "indicators[].direction", "indicators[].tolerance.value", "indicators[].tolerance.inclusive",
    "indicators[].percent_deviation", "indicators[].relative_to_baseline[]", "indicators[].small_sample.enabled",
    "indicators[].small_sample.threshold", "indicators[].small_sample.inclusive", "indicators[].small_sample.units",
    "indicators[].small_sample.n_source[]", "indicators[].small_sample.justification_required", "indicators[].note",
}


def schema_settings(node, path=""):
    """Every setting rules/schema.json allows, as paths like GENERATED's."""
    while "$ref" in node:
        node = SCHEMA["$defs"][node["$ref"].rsplit("/", 1)[1]]
    props = node.get("properties")
    if props and set(props) <= set(UNITS) and node.get("additionalProperties") is False and path:
        yield path + "[]"  # an object keyed by unit: one setting per unit, generated as a map
        return
    if props:
        for key, sub in props.items():
            yield from schema_settings(sub, f"{path}.{key}" if path else key)
    elif isinstance(node.get("additionalProperties"), dict):
        yield from schema_settings(node["additionalProperties"], path + "[]")
    else:
        yield path


def test_the_generator_varies_every_setting_of_the_schema():
    assert set(schema_settings(SCHEMA)) == GENERATED


def load(tmp_path_factory, doc):
    path = tmp_path_factory.mktemp("rules") / "rules.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return engine.load_rules(path)


# --- rows: plain numbers near each boundary the rules draw, and every other kind of cell ---------------

def spellings(value: D):
    """A Decimal as a cell may hold it: a float half the time, else an int, a Decimal, text with a comma, spaces, %."""
    options = [value, str(value), str(value).replace(".", ",")]
    if value == value.to_integral_value() and abs(value) < 10**15:
        options += [int(value), f"{int(value):,}".replace(",", " ")]
    if value >= 0:
        options.append(f"{value}%")
    return st.one_of(st.just(float(value)), st.sampled_from(options))


def near(value: D):
    """value itself, or a hair either side of it (relative or absolute; then mostly as a float, which rounds it)."""
    nudges = [D("1e-15"), D("-1e-15"), D("1e-12"), D("-1e-12"), D("1e-9"), D("-1e-9"), D("0.01"), D("-0.01")]
    nudged = st.tuples(st.sampled_from(nudges), st.booleans()).map(lambda t: value + t[0] if t[1] else value * (1 + t[0]))
    return st.one_of(spellings(value), nudged.map(float), nudged.flatmap(spellings))


plain_float = st.one_of(st.floats(-1e7, 1e7, allow_nan=False, allow_infinity=False),
                        st.sampled_from([0.0, 1.0, 100.0, 36000.0, 35280.0, 0.17, 0.19, 60.0, 61.2, 1e-20, 1e25, -5.5]))
odd_cell = st.sampled_from([None, float("nan"), "-", "n/a", "", "abc", "35-70", "35 – 70>", "70-35", True, 1e300, 1e-40,
                            "+ 2% (salīdzinājumā ar 2012.gadu)", "+10 (compared with 2012)", D("NaN"), 10**20,
                            # the marks real tables add: a year, footnotes, approximations, milestone words, two values
                            "7 137 (2016)", "7 137 (2017)", "2253[13]", "~120", "apm. 120", "7,315", "jā", "nē", "+5", "+1%",
                            "19 200 / 20 125", "12\n(2016)", "1¹"])


@st.composite
def forecast_and_actual(draw, tol: D, unit):
    if unit == "milestone" or draw(st.integers(0, 9)) == 0:
        return draw(st.sampled_from([0, 1, 0.0, 1.0, 2, "1"])), draw(st.sampled_from([0, 1, 1.0, 0.0, "0", 3]))
    f = D(repr(draw(st.one_of(plain_float, st.integers(-10**6, 10**6).map(float)))))
    mode = draw(st.integers(0, 5))
    if mode == 0:
        a = f
    elif mode == 1:  # relative boundary: |a − f| = tol % of |f|
        a = f + draw(st.sampled_from([1, -1])) * abs(f) * tol / 100
    elif mode == 2:  # points boundary: |a − f| = tol
        a = f + draw(st.sampled_from([1, -1])) * tol
    else:
        a = D(repr(draw(plain_float)))
    return sometimes(draw, spellings(f), st.one_of(spellings(f), odd_cell)), sometimes(draw, near(a), st.one_of(near(a), odd_cell))


def sometimes(draw, common, rare, odds=8):
    """From `common` but one time in `odds` from `rare`: most rows plain enough for the numpy path, the rest not."""
    return draw(rare) if draw(st.integers(0, odds - 1)) == 0 else draw(common)


@st.composite
def row(draw, tol: D, threshold: D):
    unit = sometimes(draw, st.sampled_from([*UNITS, "EUR", "%", "skaits", " count "]), st.sampled_from(["likme", "litres", None, "", 5]))
    forecast, actual = draw(forecast_and_actual(tol, unit))
    sample = sometimes(draw, st.one_of(st.none(), near(threshold), st.sampled_from([0, 50, 100, 101, 1000, 100.0, "-"])),
                       st.sampled_from([-1, "n/a", "35-70", float("nan"), "abc", True]))
    return {
        "id": sometimes(draw, st.sampled_from([*IDS, " R1 "]), st.sampled_from(["", None, 7, float("nan")])),
        "unit": unit,
        "direction": sometimes(draw, st.sampled_from([None, *DIRECTIONS, "lower", "↑", "tuvāk ir labāk"]),
                               st.sampled_from(["sideways", float("nan"), 3, ""])),
        "baseline": sometimes(draw, st.one_of(st.none(), st.integers(0, 10**5), st.just(15.5)), st.sampled_from(["abc", 1e300, "-"])),
        "forecast": forecast, "actual": actual, "sample_size": sample,
        "override": sometimes(draw, st.sampled_from([None, None, ""]), st.sampled_from([" ", "-", "achieved", "▲", "maybe"])),
        "justification": draw(st.sampled_from([None, "pamatojums", " ", float("nan")])),
        # the columns' years, when the table names them (a year in a cell is checked against them)
        **draw(st.fixed_dictionaries({}, optional={k: st.sampled_from([2016, "2016", 2017, 2012, None])
                                                   for k in ("baseline_year", "forecast_year", "actual_year")})),
    }


@st.composite
def rules_and_rows(draw):
    doc = draw(rule_file)
    tol = D(repr(doc.get("tolerance", {}).get("value", 2)))
    threshold = D(repr(doc.get("small_sample", {}).get("threshold", 100)))
    return doc, draw(st.lists(row(tol, threshold), min_size=1, max_size=20))


def shown(a):
    """What a caller reads off an assessment, Decimals by their exact text (1.0 and 1 differ)."""
    return (a.id, a.status, a.symbol, a.colour, a.basis, repr(a.deviation), a.deviation_unit, repr(a.resolved_forecast),
            repr(a.actual), a.reason, [(f.code, f.location) for f in a.findings])


def assert_same(many, rows, rules):
    assert len(many) == len(rows)
    wanted = [engine.assess(r, rules) for r in rows]
    fields = list(engine.Assessment.__dataclass_fields__)
    # read field by field first, before the Assessments are made (what validate reads), then again after
    assert {f: many.column(f) for f in fields} == {f: [getattr(w, f) for w in wanted] for f in fields}
    for got, r, want in zip(many, rows, wanted):
        assert shown(got) == shown(want)
        assert got == want  # every field: params, findings' params, tolerance, sample size, justification …
        assert type(got.deviation) in (D, type(None)) and type(want.deviation) in (D, type(None))
    assert many.column("status") == [w.status for w in wanted]


# corners a random run may miss, each a row the numpy path decides (or must leave to assess) differently if broken
CORNERS = [
    ({"format_version": 1, "small_sample": {"inclusive": False, "justification_required": False,
                                            "n_source": {"count": ["actual", "forecast"]}}},
     [{"id": "R0", "unit": "count", "forecast": 500, "actual": 100}, {"id": "R0", "unit": "count", "forecast": 100, "actual": 99.0},
      {"id": "R0", "unit": "percent", "forecast": 10, "actual": 12.5, "sample_size": 100}]),
    ({"format_version": 1, "tolerance": {"value": 0.2, "inclusive": False}},  # 0.3 − 0.1 is 0.19999999999999998 in floats
     [{"id": "R0", "unit": "percent", "forecast": 0.1, "actual": 0.3, "sample_size": 1000},
      {"id": "R0", "unit": "money", "forecast": 1000, "actual": 979, "direction": "lower"},
      {"id": "R0", "unit": "money", "forecast": 1000, "actual": 1021, "direction": "lower_is_better"}]),
    ({"format_version": 1, "indicators": {"R1": {"tolerance": {"value": 50}}}, "percent_deviation": "relative"},
     [{"id": "R1", "unit": "count", "forecast": 1000, "actual": 1300}, {"id": "R2", "unit": "percent", "forecast": 10, "actual": 10.5}]),
    ({"format_version": 1},  # cells that read as numbers but are not bare ones: each has findings or another meaning
     [{"id": "R0", "unit": "count", "forecast": "jā", "actual": 1}, {"id": "R0", "unit": "milestone", "forecast": "jā", "actual": "nē"},
      {"id": "R0", "unit": "money", "forecast": "7 137 (2016)", "actual": 7000, "forecast_year": 2017},
      {"id": "R0", "unit": "money", "forecast": "2253[13]", "actual": "~2250"}, {"id": "R0", "unit": "money", "forecast": "+5", "actual": 5}]),
]


@given(case=rules_and_rows())
@example(case=CORNERS[0])
@example(case=CORNERS[1])
@example(case=CORNERS[2])
@example(case=CORNERS[3])
@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_the_numpy_path_equals_assess_under_any_rule_file(tmp_path_factory, case):
    doc, rows = case
    rules = load(tmp_path_factory, doc)
    assert supports(rules), unsupported(rules)  # every rule file the schema allows today is in the declaration
    assert_same(assess_many(rows, rules, fast=True), rows, rules)


@given(case=rules_and_rows())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_the_column_form_equals_assess(tmp_path_factory, case):
    doc, rows = case
    rules = load(tmp_path_factory, doc)
    columns = {c: [r.get(c) for r in rows] for c in set().union(*rows)}  # an absent key reads as an empty cell
    assert_same(assess_many_columns(columns, rules, fast=True), rows, rules)


# --- that the fast path is taken, and decides what it takes ----------------------------------------------

PLAIN = [
    {"id": "a", "unit": "count", "forecast": 36000, "actual": 35782, "sample_size": None},
    {"id": "b", "unit": "money", "forecast": 1000.0, "actual": 1021.5, "direction": "lower"},
    {"id": "c", "unit": "percent", "forecast": 17.0, "actual": 19.5, "justification": "j"},
    {"id": "d", "unit": "hours", "forecast": "1 000", "actual": "1 000"},
    {"id": "e", "unit": "milestone", "forecast": 1, "actual": 0},
    {"id": "f", "unit": "milestone", "forecast": 0, "actual": 0},
    {"id": "g", "unit": "count", "forecast": 40, "actual": 45},  # a small sample, no justification
    {"id": "h", "unit": "money", "forecast": 0, "actual": 5},
    {"id": "i", "unit": "money", "forecast": 0.0, "actual": 0},
    {"id": "j", "unit": "EUR", "forecast": 100.0, "actual": 100.1, "baseline": "-"},
]
AT_THE_BOUNDARY = [
    {"id": "x", "unit": "count", "forecast": 36000, "actual": 35280},  # exactly −2 %: decided exactly, by assess
    {"id": "y", "unit": "percent", "forecast": 0.17 * 100, "actual": 0.19 * 100},
    {"id": "z", "unit": "count", "forecast": 1000, "actual": 1021, "override": "-", "justification": "j"},
]


def test_plain_rows_take_the_numpy_path_and_boundaries_go_to_assess(monkeypatch):
    rules = engine.default_rules()
    assert [row_supported(r, rules) for r in PLAIN] == [True] * len(PLAIN)
    assert [row_supported(r, rules) for r in AT_THE_BOUNDARY] == [False] * len(AT_THE_BOUNDARY)
    seen = spy(monkeypatch)
    many = assess_many(PLAIN + AT_THE_BOUNDARY, rules, fast=True)
    assert [r["id"] for r in seen] == ["x", "y", "z"]
    assert_same(many, PLAIN + AT_THE_BOUNDARY, rules)
    reasons = [a.reason for a in many[:len(PLAIN)]]
    assert reasons == ["computed", "computed", "computed", "computed", "milestone", "not-due", "qualitative",
                       "zero-forecast", "zero-forecast", "computed"]
    assert [f.code for f in many[6].findings] == ["small-sample-without-justification"]


def test_the_fields_validate_reads_leave_the_explanations_params_unmade():
    rules = engine.default_rules()
    many = assess_many(PLAIN, rules, fast=True)
    for f in ("id", "status", "symbol", "deviation", "deviation_unit", "basis", "findings"):
        many.column(f)
    assert "params" in many._later  # a dict a row (100 000 at 100 000 rows), made only for the explanations
    assert many.column("params") == [engine.assess(r, rules).params for r in PLAIN]
    assert not many._later and many[4].params == engine.assess(PLAIN[4], rules).params


def test_a_deviation_is_the_exact_decimal_on_either_path():
    # (100.1 − 100) × 100 / 100 is 0.09999999999999432 in floats
    rules = engine.default_rules()
    r = {"id": "j", "unit": "money", "forecast": 100.0, "actual": 100.1}
    assert row_supported(r, rules)
    fast, = assess_many([r], rules, fast=True)
    slow, = assess_many([r], rules, fast=False)
    assert fast.deviation == slow.deviation == D("0.1") and type(fast.deviation) is type(slow.deviation) is D
    assert repr(fast.deviation) == repr(engine.assess(r, rules).deviation)
    frame_row = {**r, "unit": "percent"}
    assert assess_many([frame_row], rules, fast=True)[0].deviation == D("0.1")  # p.p.: 100.1 − 100


def spy(monkeypatch, through=True):
    """The rows batch hands to assess, in order (through=False: not assessed, for settings assess has not heard of)."""
    seen = []
    real = batch.assess

    def recording(r, rules):
        seen.append(r)
        return real(r, rules) if through else None

    monkeypatch.setattr(batch, "assess", recording)
    return seen


# --- the declaration: settings and units outside it fall back -------------------------------------------

def with_effective(rules, **changes):
    """The rules with settings the schema does not (yet) have, as a later engine might load them."""
    return dataclasses.replace(rules, effective={**rules.effective, **changes}, _cache={})


def test_a_unit_the_declaration_does_not_name_goes_to_assess(monkeypatch):
    # a new unit kind (a measured quantity: a rate, an average) arriving through the rule file's aliases
    base = engine.default_rules()
    rules = with_effective(base, units={"aliases": {**base.effective["units"]["aliases"], "likme": "measure"}})
    assert supports(rules) and "measure" not in SUPPORTED.units
    rows = [{"id": "m", "unit": "likme", "forecast": 50, "actual": 51}, {"id": "c", "unit": "count", "forecast": 500, "actual": 520}]
    assert [row_supported(r, rules) for r in rows] == [False, True]
    seen = spy(monkeypatch)
    many = assess_many(rows, rules, fast=True)
    assert [r["id"] for r in seen] == ["m"]  # assess's answer, whatever assess makes of the new unit
    assert many == [engine.assess(r, rules) for r in rows]


@pytest.mark.parametrize("change, path", [
    ({"tolerance": {"value": 2, "inclusive": True, "mode": "absolute"}}, "$.tolerance.mode"),
    ({"rounding": {"places": 1}}, "$.rounding"),
    ({"percent_deviation": "log"}, "$.percent_deviation"),
    ({"direction": "sideways_is_better"}, "$.direction"),
    ({"small_sample": {**engine.default_rules().effective["small_sample"], "n_source": {"money": ["baseline"]}}},
     "$.small_sample.n_source.money"),
    ({"small_sample": {**engine.default_rules().effective["small_sample"], "threshold": 1e40}}, "$.small_sample.threshold"),
    ({"units": {**engine.default_rules().effective["units"], "conversions": {"km": 1000}}}, "$.units.conversions"),
    ({"statuses": {**engine.default_rules().effective["statuses"], "partly": {"symbol": "◐", "colour": "#FFFFFF",
                                                                           "label": {"lv": "daļēji", "en": "partly"}}}},
     "$.statuses.partly"),
    ({"format_version": 2}, "$.format_version"),
])
def test_a_setting_outside_the_declaration_sends_every_row_to_assess(monkeypatch, change, path):
    rules = with_effective(engine.default_rules(), **change)
    assert unsupported(rules) == (path,)
    assert not supports(rules) and not row_supported(PLAIN[0], rules)
    seen = spy(monkeypatch, through=False)
    assess_many(PLAIN, rules, fast=True)
    assert seen == PLAIN


def test_an_engine_setting_the_declaration_does_not_know_is_unsupported(monkeypatch):
    known = tuple(s for s in SUPPORTED.engine_settings if s != "small_sample.inclusive")
    monkeypatch.setattr(batch, "SUPPORTED", SUPPORTED._replace(engine_settings=known))
    rules = dataclasses.replace(engine.default_rules(), _cache={})
    assert unsupported(rules) == ("engine.rules.small_sample.inclusive",)


def test_the_default_rules_and_the_shipped_ones_take_the_numpy_path():
    # a setting added to rules/default.json without a word in SUPPORTED would turn the fast path off for everyone
    assert unsupported(engine.default_rules()) == ()
    for path in sorted((ROOT / "rules").glob("*.json")):
        if path.name != "schema.json":
            assert unsupported(engine.load_rules(path)) == (), path.name


def test_an_indicator_with_settings_of_its_own_goes_to_assess(tmp_path, monkeypatch):
    path = tmp_path / "own.json"
    path.write_text(json.dumps({"format_version": 1, "indicators": {"R1": {"tolerance": {"value": 5}}}}), encoding="utf-8")
    rules = engine.load_rules(path)
    rows = [{"id": "R1", "unit": "count", "forecast": 1000, "actual": 1040}, {"id": "R2", "unit": "count", "forecast": 1000, "actual": 1040}]
    assert [row_supported(r, rules) for r in rows] == [False, True]
    seen = spy(monkeypatch)
    many = assess_many(rows, rules, fast=True)
    assert [r["id"] for r in seen] == ["R1"]
    assert [a.status.value for a in many] == ["achieved", "better"]


# --- the choice of path --------------------------------------------------------------------------------

def test_the_engine_chooses_the_path_by_the_number_of_rows(monkeypatch):
    rules = engine.default_rules()
    wanted = batch.fast_path_wanted
    assert wanted(batch.FAST_PATH_MIN_ROWS_NUMPY_LOADED, rules) and not wanted(batch.FAST_PATH_MIN_ROWS_NUMPY_LOADED - 1, rules)
    monkeypatch.delitem(sys.modules, "numpy")  # as in a process that has not imported it (only looked at, not imported)
    assert wanted(batch.FAST_PATH_MIN_ROWS, rules) and not wanted(batch.FAST_PATH_MIN_ROWS - 1, rules)
    monkeypatch.undo()
    assert not wanted(10**6, rules, fast=False) and wanted(1, rules, fast=True)
    assert not wanted(10**6, with_effective(rules, rounding=1), fast=True)


def test_a_few_rows_do_not_import_numpy():
    code = ("import sys, engine; rows = [{'id': str(i), 'unit': 'count', 'forecast': 100 + i, 'actual': 100} for i in range(500)];"
            "out = engine.assess_many(rows, engine.default_rules()); out2 = engine.assess_many_columns({'id': ['a'], 'unit': ['count'],"
            " 'forecast': [5], 'actual': [5]}, engine.default_rules());"
            "assert len(out) == 500 and out2[0].status.value == 'achieved'; assert 'numpy' not in sys.modules, 'numpy imported'")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_the_entries_are_exported():
    assert engine.assess_many is assess_many and engine.assess_many_columns is assess_many_columns
    assert "assess_many" in dir(engine) and "assess_many_columns" in dir(engine)


def test_the_column_form_takes_arrays_and_absent_columns():
    rules = engine.default_rules()
    columns = {"id": ["a", "b", "c"], "unit": ["count", "money", "percent"],
               "forecast": np.array([36000.0, 1000.0, np.nan]), "actual": np.array([35782, 1021, 3])}
    rows = [{"id": i, "unit": u, "forecast": (None if f != f else f), "actual": int(a)}
            for i, u, f, a in zip(columns["id"], columns["unit"], columns["forecast"].tolist(), columns["actual"])]
    for fast in (True, False):
        assert assess_many_columns(columns, rules, fast=fast) == [engine.assess(r, rules) for r in rows]
    assert assess_many_columns({}, rules, n=2) == [engine.assess({}, rules)] * 2
    with pytest.raises(ValueError):
        assess_many_columns({"id": ["a"], "unit": []}, rules)


def test_assess_many_is_assess_row_by_row_below_the_threshold(monkeypatch):
    rules = engine.default_rules()
    seen = spy(monkeypatch)
    assert assess_many(PLAIN, rules) == [engine.assess(r, rules) for r in PLAIN]
    assert len(seen) == len(PLAIN)


def test_the_collector_is_paused_while_assessing_and_resumed_after(monkeypatch):
    import gc

    seen = []
    real = batch.assess
    monkeypatch.setattr(batch, "assess", lambda r, rules: seen.append(gc.isenabled()) or real(r, rules))
    rows = PLAIN + AT_THE_BOUNDARY
    assert gc.isenabled()
    for fast in (True, False):
        assess_many(rows, engine.default_rules(), fast=fast)
        assess_many_columns({c: [r.get(c) for r in rows] for c in batch.INPUT_COLUMNS}, engine.default_rules(), fast=fast)
    assert seen and not any(seen) and gc.isenabled()
    gc.disable()
    try:
        assess_many(rows, engine.default_rules())
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()
