"""engine.schema_check finds the problems jsonschema finds in a rule file: same JSON paths, same messages, same order."""
from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

import engine.rules
from engine.schema_check import UnsupportedSchema, Validator, unsupported

RULES = Path(__file__).resolve().parents[2] / "rules"
SCHEMA = json.loads((RULES / "schema.json").read_text(encoding="utf-8"))
DEFAULT = json.loads((RULES / "default.json").read_text(encoding="utf-8"))
JSONSCHEMA = Draft202012Validator(SCHEMA)
OURS = Validator(SCHEMA)


def found(validator, doc) -> list[tuple[str, str, tuple]]:
    """(json_path, message, absolute_path) of every problem, in check_rules' order (sorted by path, stable)."""
    errors = sorted(validator.iter_errors(doc), key=lambda e: [str(p) for p in e.absolute_path])
    return [(e.json_path, e.message, tuple(e.absolute_path)) for e in errors]


def check_rules_with(monkeypatch, validator, doc):
    monkeypatch.setattr(engine.rules, "_validator", lambda: validator)
    return [(p.json_path, p.message) for p in engine.rules.check_rules(doc)]


def mutated(path: tuple, change) -> dict:
    doc = copy.deepcopy(DEFAULT)
    node = doc
    for part in path[:-1]:
        node = node[part]
    change(node, path[-1])
    return doc


def setting(value):
    return lambda node, key: node.__setitem__(key, value)


def removing(node, key):
    del node[key]


MUTATIONS = {
    # wrong types
    "format_version a string": (("format_version",), setting("1")),
    "format_version true": (("format_version",), setting(True)),
    "tolerance a string": (("tolerance",), setting("x")),
    "tolerance value a string": (("tolerance", "value"), setting("2")),
    "tolerance value true": (("tolerance", "value"), setting(True)),
    "inclusive 1": (("tolerance", "inclusive"), setting(1)),
    "name a number": (("name",), setting(7)),
    "units an array": (("units",), setting([])),
    "small_sample units a string": (("small_sample", "units"), setting("count")),
    "n_source a list": (("small_sample", "n_source"), setting(["sample_size"])),
    "statuses null": (("statuses",), setting(None)),
    "label a string": (("statuses", "worse", "label"), setting("Sliktāk")),
    "lists_indicators a string": (("lists_indicators",), setting("yes")),
    "indicators an array": (("indicators",), setting([{"unit": "count"}])),
    # unknown keys
    "an unknown top-level key": (("toleranse",), setting(2)),
    "two unknown top-level keys": (("zzz",), lambda node, key: node.update({"zzz": 1, "a b": 2, "Ā": 3})),
    "an unknown tolerance key": (("tolerance", "percent"), setting(True)),
    "an unknown status": (("statuses", "partly"), setting(DEFAULT["statuses"]["worse"])),
    "an unknown status key": (("statuses", "better", "emoji"), setting("🙂")),
    "an unknown text language": (("statuses", "better", "label", "de"), setting("Besser")),
    "an unknown units key": (("units", "names"), setting({})),
    "an unknown relative_to_baseline unit": (("relative_to_baseline", "furlongs"), setting("points")),
    # out-of-range numbers and lengths
    "a negative tolerance": (("tolerance", "value"), setting(-0.5)),
    "a huge tolerance": (("tolerance", "value"), setting(1e7)),
    "a huge integer tolerance": (("tolerance", "value"), setting(10**12)),
    "a negative threshold": (("small_sample", "threshold"), setting(-1)),
    "an empty symbol": (("statuses", "achieved", "symbol"), setting("")),
    "a long symbol": (("statuses", "achieved", "symbol"), setting("●" * 9)),
    "an empty label": (("statuses", "achieved", "label", "lv"), setting("")),
    "an empty n_source list": (("small_sample", "n_source", "count"), setting([])),
    "a repeated n_source": (("small_sample", "n_source", "count"), setting(["forecast", "forecast"])),
    "a repeated small-sample unit": (("small_sample", "units"), setting(["count", "percent", "count"])),
    "an empty alias": (("units", "aliases", ""), setting("count")),
    # bad enum values and patterns
    "format_version 2": (("format_version",), setting(2)),
    "a bad percent_deviation": (("percent_deviation",), setting("ratio")),
    "a bad direction": (("direction",), setting("up")),
    "a bad resolution": (("relative_to_baseline", "money"), setting("absolute")),
    "a bad alias target": (("units", "aliases", "EUR"), setting("euros")),
    "a bad small-sample unit": (("small_sample", "units"), setting(["count", "people", 3])),
    "a bad n_source": (("small_sample", "n_source", "percent"), setting(["sample_size", "guess"])),
    "a colour name": (("statuses", "worse", "colour"), setting("red")),
    "a short colour": (("statuses", "worse", "colour"), setting("#FFF")),
    # missing required keys
    "no format_version": (("format_version",), removing),
    "no symbol": (("statuses", "better", "symbol"), removing),
    "no label en": (("statuses", "better", "label", "en"), removing),
    "no not_assessed status": (("statuses", "not_assessed"), removing),
    "no statuses at all but an empty object": (("statuses",), setting({})),
    # nested indicator settings
    "an indicator with a bad direction": (("indicators", "A.PR1.1"), setting({"direction": "higher"})),
    "an indicator with a bad unit": (("indicators", "B 1"), setting({"unit": "EUR"})),
    "an indicator with an unknown key": (("indicators", "A.1"), setting({"tolerence": {"value": 1}})),
    "an indicator tolerance out of range": (("indicators", "A.1"), setting({"tolerance": {"value": -3, "inclusive": "no"}})),
    "an indicator small-sample rule": (("indicators", "A.1"), setting({"small_sample": {"units": ["x"], "n_source": {"count": []}}})),
    "an indicator that is not an object": (("indicators", "A.1"), setting("count")),
    "an indicator with an empty id": (("indicators", ""), setting({})),
    "an indicator with a long id": (("indicators", "X" * 101), setting({"note": 5})),
    "an indicator id with quotes": (("indicators", "it's \\ here"), setting({"direction": 1})),
    "several indicators wrong": (("indicators",), setting({"a": {"unit": "m"}, "b": {"unit": "n"}, "c": {"x": 1}})),
}


# Valid for both: JSON Schema's 1.0 is 1, and Python's `$` (jsonschema searches with `re`) matches before a final newline.
QUIRKS = {
    "format_version 1.0 is 1": (("format_version",), setting(1.0)),
    "a colour with a final newline": (("statuses", "worse", "colour"), setting("#FFC7CE\n")),
}


def test_the_checker_implements_every_keyword_of_the_rule_schema():
    assert unsupported(SCHEMA) == []


def test_the_default_rule_file_is_valid_for_both():
    assert found(OURS, DEFAULT) == found(JSONSCHEMA, DEFAULT) == []


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_a_mutated_rule_file_has_the_problems_jsonschema_finds(name, monkeypatch):
    doc = mutated(*MUTATIONS[name])
    theirs = found(JSONSCHEMA, doc)
    assert theirs, "the mutation should break the file"
    assert found(OURS, doc) == theirs
    assert check_rules_with(monkeypatch, OURS, doc) == check_rules_with(monkeypatch, JSONSCHEMA, doc)


@pytest.mark.parametrize("name", list(QUIRKS))
def test_what_jsonschema_lets_through_the_checker_lets_through(name):
    doc = mutated(*QUIRKS[name])
    assert found(OURS, doc) == found(JSONSCHEMA, doc) == []


def _paths(doc, prefix=()):
    yield prefix
    if isinstance(doc, dict):
        for key, value in doc.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(doc, list):
        for index, value in enumerate(doc):
            yield from _paths(value, prefix + (index,))


ALL_PATHS = [p for p in _paths(DEFAULT) if p]
WORDS = sorted({w for p in ALL_PATHS for w in p if isinstance(w, str)}
               | {"count", "points", "direct", "forecast", "higher_is_better", "#ABCDEF", "", "x", "●●●●●●●●●"})
scalars = (st.none() | st.booleans() | st.integers(-10**6, 10**7) | st.floats(allow_nan=False, allow_infinity=False)
           | st.text(max_size=6) | st.sampled_from(WORDS)
           | st.sampled_from([-1, -0.5, 0, 1_000_000, 1_000_001, 1e7, "#C6EFCE", "#12345G", "●" * 8, "X" * 101, [], ["count", "count"]]))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.sampled_from(WORDS) | st.text(max_size=4), inner, max_size=3), max_leaves=8)


@st.composite
def mutations(draw):
    """default.json with one to three random changes: a value replaced, a key removed or an extra key added."""
    doc = copy.deepcopy(DEFAULT)
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(doc) if p]
        path = draw(st.sampled_from(paths))
        node = doc
        for part in path[:-1]:
            node = node[part]
        action = draw(st.sampled_from(["replace", "remove", "add"]))
        if action == "replace":
            node[path[-1]] = draw(values)
        elif action == "remove" and isinstance(node, dict):
            del node[path[-1]]
        elif isinstance(node, dict):
            node[draw(st.sampled_from(WORDS) | st.text(max_size=4))] = draw(values)
        else:
            node.append(draw(values))
    return doc


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutations())
def test_random_mutations_give_the_same_problems_as_jsonschema(doc):
    assert found(OURS, doc) == found(JSONSCHEMA, doc)


def test_load_rules_falls_back_to_the_checker_without_jsonschema(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "jsonschema", None)  # `import jsonschema` raises ImportError, as in Lite
    validator = engine.rules._validator.__wrapped__()
    assert isinstance(validator, Validator)
    monkeypatch.setattr(engine.rules, "_validator", lambda: validator)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"format_version": 1, "tolerance": {"value": -1}}), encoding="utf-8")
    with pytest.raises(engine.rules.RuleFileError) as info:
        engine.rules.load_rules(path)
    assert [(p.json_path, p.message) for p in info.value.problems] == [("$.tolerance.value", "-1 is less than the minimum of 0")]


@pytest.mark.parametrize("schema, where", [
    ({"allOf": [{"type": "object"}]}, "#/allOf"),
    ({"properties": {"a": {"format": "date"}}}, "#/properties/a/format"),
    ({"patternProperties": {"^x": {}}}, "#/patternProperties"),
    ({"$defs": {"u": {"oneOf": []}}}, "#/$defs/u/oneOf"),
    ({"items": {"prefixItems": []}}, "#/items/prefixItems"),
    ({"$schema": "http://json-schema.org/draft-07/schema#"}, "#/$schema"),
    ({"$ref": "https://example.org/other.json"}, "#/$ref"),
    ({"$ref": "#/$defs/missing"}, "#/$ref"),
    ({"additionalProperties": {"exclusiveMinimum": 0}}, "#/additionalProperties/exclusiveMinimum"),
    ({"pattern": "("}, "#/pattern"),
])
def test_a_schema_keyword_the_checker_does_not_implement_fails_loudly(schema, where):
    with pytest.raises(UnsupportedSchema) as info:
        Validator(schema)
    assert info.value.where == where


def test_a_new_keyword_in_the_rule_schema_itself_would_fail_loudly():
    schema = copy.deepcopy(SCHEMA)
    schema["$defs"]["indicator"]["properties"]["note"]["format"] = "email"
    with pytest.raises(UnsupportedSchema, match="format"):
        Validator(schema)
