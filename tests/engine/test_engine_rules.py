"""Rule files: the default is valid, every bad file names every problem by its JSON path."""
import io
import json
from decimal import Decimal as D

import pytest

import engine
from engine.errors import RuleFileError
from engine.rules import load_rules, rules_path
from engine.status import Status
from workbook.cli.main import run


def write(tmp_path, doc, name="rules.json"):
    path = tmp_path / name
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def problems(path):
    with pytest.raises(RuleFileError) as info:
        load_rules(path)
    return [(p.json_path, p.message) for p in info.value.problems]


def test_default_rules_file_is_valid_and_matches_default_rules():
    loaded = load_rules(rules_path("default.json"))
    assert loaded.sha256 == engine.default_rules().sha256
    assert loaded.name == "default.json"


def test_default_settings_are_the_methodology():
    s = engine.default_rules().settings_for("anything")
    assert (s.tolerance, s.tolerance_inclusive, s.percent_deviation, s.direction) == (D(2), True, "points", "higher_is_better")
    assert s.relative_to_baseline["percent"] == "points" and s.relative_to_baseline["count"] == "relative"
    assert s.relative_to_baseline["percent_change"] == "direct"
    assert (s.small_sample.threshold, s.small_sample.inclusive, s.small_sample.units) == (D(100), True, {"count", "percent"})
    assert s.small_sample.sources("count") == ("sample_size", "forecast") and s.small_sample.sources("percent") == ("sample_size",)
    assert s.small_sample.justification_required


@pytest.mark.parametrize("status, symbol, colour, lv, en", [
    (Status.ACHIEVED, "●", "#C6EFCE", "Rezultāts sasniegts", "Result achieved"),
    (Status.WORSE, "▼", "#FFC7CE", "Rezultāts sliktāks par prognozēto", "Result worse than forecast"),
    (Status.BETTER, "▲", "#BDD7EE", "Rezultāts labāks par prognozēto", "Result better than forecast"),
    (Status.NOT_ASSESSED, "-", "#D9D9D9", "Nav vērtēts", "Not assessed"),
])
def test_default_symbols_colours_and_labels(status, symbol, colour, lv, en):
    rules = engine.default_rules()
    assert (rules.symbol(status), rules.colour(status), rules.label(status, "lv"), rules.label(status, "en")) == (symbol, colour, lv, en)
    assert rules.description(status, "lv") and rules.description(status, "en")
    for text in (status.value, symbol, lv, en, lv.upper()):
        assert rules.status_from_text(text) is status


def test_status_order_and_unknown_status_text():
    rules = engine.default_rules()
    assert rules.statuses == (Status.ACHIEVED, Status.WORSE, Status.BETTER, Status.NOT_ASSESSED)
    assert rules.status_from_text("maybe") is None and rules.status_from_text(None) is None


@pytest.mark.parametrize("alias, unit", [("EUR", "money"), ("euro", "money"), ("Skaits", "count"), ("%", "percent"),
                                         ("stundas", "hours"), ("percent_change", "percent_change"), ("Milestone", "milestone")])
def test_unit_aliases(alias, unit):
    assert engine.default_rules().unit_from_text(alias) == unit


@pytest.mark.parametrize("doc, expected", [
    ({"format_version": 1, "indicators": {"A.PR1.1": {"direction": "higher"}}},
     [("$.indicators['A.PR1.1'].direction", "'higher' is not one of ['higher_is_better', 'lower_is_better', 'closer_is_better']")]),
    ({"format_version": 2}, [("$.format_version", "1 was expected")]),
    ({}, [("$", "'format_version' is a required property")]),
    ({"format_version": 1, "tolerance": {"value": -1, "inclusive": "yes"}},
     [("$.tolerance.inclusive", "'yes' is not of type 'boolean'"), ("$.tolerance.value", "-1 is less than the minimum of 0")]),
    ({"format_version": 1, "percent_deviation": "ratio"}, [("$.percent_deviation", "'ratio' is not one of ['points', 'relative']")]),
    ({"format_version": 1, "small_sample": {"units": ["count", "people"]}},
     [("$.small_sample.units[1]", "'people' is not one of ['count', 'money', 'hours', 'percent', 'percent_change', 'milestone', 'measure']")]),
    ({"format_version": 1, "units": {"aliases": {"EUR": "euros"}}},
     [("$.units.aliases.EUR", "'euros' is not one of ['count', 'money', 'hours', 'percent', 'percent_change', 'milestone', 'measure']")]),
    ({"format_version": 1, "tolerence": 2}, [("$", "Additional properties are not allowed ('tolerence' was unexpected)")]),
])
def test_every_schema_problem_is_named_by_its_json_path(tmp_path, doc, expected):
    assert problems(write(tmp_path, doc)) == expected


def test_bad_colour_and_duplicate_symbols(tmp_path):
    rules = json.loads(rules_path("default.json").read_text(encoding="utf-8"))
    rules["statuses"]["worse"]["colour"] = "red"
    found = problems(write(tmp_path, rules))
    assert [p for p, _ in found] == ["$.statuses.worse.colour"]
    rules["statuses"]["worse"]["colour"] = "#FF0000"
    rules["statuses"]["worse"]["symbol"] = "●"
    assert [p for p, _ in problems(write(tmp_path, rules))] == ["$.statuses.worse.symbol"]


@pytest.mark.parametrize("content, fragment", [
    (b'{"format_version": 1,}', "not valid JSON: Expecting property name enclosed in double quotes at line 1 column 22"),
    (b'{"format_version": 1,\n "tolerance": }', "line 2 column 15"),
    (b'\xff\xfe{}', "not UTF-8"),
    (b'{"format_version": 1, "format_version": 1}', "the key 'format_version' appears twice"),
    (b'', "not valid JSON"),
])
def test_unreadable_rule_files_are_rule_file_errors(tmp_path, content, fragment):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    [(json_path, message)] = problems(path)
    assert json_path == "$" and fragment in message


def test_missing_rule_file(tmp_path):
    assert problems(tmp_path / "nope.json") == [("$", "the file does not exist")]


def test_a_partial_file_inherits_the_defaults_and_indicator_settings_override(tmp_path):
    rules = load_rules(write(tmp_path, {
        "format_version": 1, "tolerance": {"value": 5},
        "indicators": {"B.PR1.2": {"direction": "lower_is_better", "tolerance": {"inclusive": False}, "small_sample": {"enabled": False}}},
        "lists_indicators": True,
    }))
    assert rules.settings_for("X").tolerance == 5 and rules.settings_for("X").tolerance_inclusive
    own = rules.settings_for("B.PR1.2")
    assert (own.tolerance, own.tolerance_inclusive, own.direction, own.small_sample.enabled) == (5, False, "lower_is_better", False)
    assert own.small_sample.threshold == 100  # the rest of small_sample comes from the defaults
    assert rules.indicator_ids == ("B.PR1.2",) and rules.lists_indicators
    assert rules.symbol(Status.ACHIEVED) == "●"


def test_error_text_lists_every_problem(tmp_path):
    path = write(tmp_path, {"format_version": 1, "direction": "up", "percent_deviation": 3})
    text = str(pytest.raises(RuleFileError, load_rules, path).value)
    assert "(2 problems)" in text and "$.direction: 'up'" in text and "$.percent_deviation: 3" in text


def cli(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_rules_check_accepts_the_default_file():
    path = str(rules_path("default.json"))
    assert cli("rules", "check", path) == (0, f"{path}: valid\n", "")


def test_rules_check_lists_problems_and_exits_1(tmp_path):
    bad = write(tmp_path, {"format_version": 1, "indicators": {"A.PR1.1": {"direction": "higher"}}})
    code, out, _ = cli("rules", "check", str(bad), str(rules_path("default.json")))
    assert code == 1
    assert "$.indicators['A.PR1.1'].direction: 'higher' is not one of" in out and out.rstrip().endswith(": valid")


def test_rules_check_missing_file_exits_1(tmp_path):
    code, out, _ = cli("rules", "check", str(tmp_path / "none.json"))
    assert code == 1 and "does not exist" in out


def test_rules_show_prints_the_defaults():
    code, out, _ = cli("rules", "show")
    assert code == 0 and "default.json" in out and "● #C6EFCE achieved" in out


def test_the_schema_is_a_valid_draft_2020_12_schema():
    from jsonschema import Draft202012Validator

    schema = json.loads(rules_path("schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_load_rules_does_not_need_jsonschema_until_called():
    import subprocess
    import sys

    code = "import sys, engine.rules; print('jsonschema' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"
