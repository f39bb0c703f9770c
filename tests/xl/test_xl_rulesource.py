"""Which rule file the Excel side uses: the named file, the embedded radit_rules sheet, or the default."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

import engine
from engine.errors import RuleFileError
from workbook.excel.rulesource import CHUNK, choose_rules, embedded_cells, embedded_text

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
    choice = choose_rules("mine.json", str(tmp_path), embedded=None)
    assert (choice.source, choice.rules.symbol("achieved"), choice.note) == ("file", "✓", None)


def test_the_embedded_rules_are_used_where_the_file_cannot_be_reached():
    text = _custom_rules_text()
    choice = choose_rules("mine.json", None, embedded=text)
    assert (choice.source, choice.rules.symbol("achieved")) == ("embedded", "✓")
    assert choice.rules.sha256 == __import__("hashlib").sha256(text.encode()).hexdigest()


@pytest.mark.parametrize("named, note", [(None, None), ("default.json", None), ("lost.json", "lost.json")])
def test_otherwise_the_default_rules_with_a_note_for_a_lost_file(named, note):
    choice = choose_rules(named, None, embedded=None)
    assert (choice.source, choice.rules.sha256, choice.note) == ("default", engine.default_rules().sha256, note)


def test_a_broken_embedded_rule_file_is_an_error_not_a_silent_default():
    with pytest.raises(RuleFileError):
        choose_rules(None, None, embedded='{"tolerance": "wide"}')
