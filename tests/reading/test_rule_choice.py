"""Which rule file assesses a workbook, on every route: the given one, the named file, the embedded radit_rules sheet, the default, or a refusal."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

import engine
from engine.errors import RuleFileError
from workbook.model.rule_choice import CHUNK, choose_rules, embedded_cells, embedded_text

RULES_DIR = Path(__file__).resolve().parents[2] / "rules"


@given(st.text(max_size=3 * CHUNK + 5, alphabet=st.characters(blacklist_categories=("Cs",))).filter(bool))
def test_embedded_text_survives_the_cells(text):
    assert embedded_text(embedded_cells(text)) == text


def test_embedded_text_stops_at_the_first_empty_cell():
    assert embedded_text([["{"], ["}"], [None], ["ignored"]]) == "{}"
    assert embedded_text([[None]]) is None


def _custom_rules_text() -> str:
    doc = json.loads((RULES_DIR / "default.json").read_text(encoding="utf-8"))
    doc["statuses"]["achieved"]["symbol"] = "✓"
    doc.pop("$schema", None)
    return json.dumps(doc, ensure_ascii=False)


def test_a_named_file_next_to_the_workbook_wins(tmp_path):
    (tmp_path / "mine.json").write_text(_custom_rules_text(), encoding="utf-8")
    choice = choose_rules("mine.json", book_dir=str(tmp_path), embedded=None)
    assert (choice.source, choice.rules.symbol("achieved"), choice.path) == ("file", "✓", str(tmp_path / "mine.json"))


def test_the_embedded_rules_are_used_where_the_file_cannot_be_reached():
    text = _custom_rules_text()
    choice = choose_rules("mine.json", book_dir=None, embedded=text)
    assert (choice.source, choice.rules.symbol("achieved")) == ("embedded", "✓")
    assert choice.rules.sha256 == __import__("hashlib").sha256(text.encode()).hexdigest()


@pytest.mark.parametrize("named", [None, "", "default.json"])
def test_no_named_file_gives_the_default_rules(named):
    choice = choose_rules(named, book_dir=None, embedded=None)
    assert (choice.source, choice.rules.sha256) == ("default", engine.default_rules().sha256)


def test_a_named_file_that_is_nowhere_is_a_refusal_at_the_settings_cell(tmp_path):
    from engine.errors import RaditError
    from engine.findings import Location

    at = Location(file="book.xlsx", sheet="Iestatījumi", row=3, column=2)
    with pytest.raises(RaditError) as caught:
        choose_rules("lost.json", book_dir=str(tmp_path), embedded=None, setting_at=at)
    assert (caught.value.code, caught.value.location) == ("rules-file-not-found", at)


def test_the_rule_file_given_by_the_caller_wins_over_the_setting(tmp_path):
    (tmp_path / "mine.json").write_text(_custom_rules_text(), encoding="utf-8")
    choice = choose_rules("lost.json", book_dir=None, embedded=None, given=tmp_path / "mine.json")
    assert (choice.source, choice.rules.symbol("achieved")) == ("given", "✓")


def test_a_broken_embedded_rule_file_is_an_error_not_a_silent_default():
    with pytest.raises(RuleFileError):
        choose_rules(None, book_dir=None, embedded='{"tolerance": "wide"}')
