"""Latvian and English words wherever an analyst types one: units, directions, overrides; and the drop-downs of a
new workbook offer words of its language that the engine reads back."""
import json

import pytest
from openpyxl import load_workbook

import engine
from engine.rules import DIRECTION_WORDS, STATUS_WORDS, direction_from_text

RULES = engine.default_rules()


@pytest.mark.parametrize("word, direction", [
    # Latvian
    ("augstāks ir labāks", "higher_is_better"), ("Augstāks ir labāk", "higher_is_better"), ("vairāk ir labāk", "higher_is_better"),
    ("zemāks ir labāks", "lower_is_better"), ("ZEMĀKS IR LABĀKS", "lower_is_better"), ("mazāk ir labāk", "lower_is_better"),
    ("tuvāk ir labāk", "closer_is_better"), ("tuvāk  ir\u00a0labāk", "closer_is_better"),
    # symbols
    ("↑", "higher_is_better"), ("↓", "lower_is_better"),
    # English, and the canonical names in any spelling
    ("higher is better", "higher_is_better"), ("Lower is better", "lower_is_better"), ("closer is better", "closer_is_better"),
    ("higher", "higher_is_better"), ("lower", "lower_is_better"), ("closer", "closer_is_better"),
    ("higher_is_better", "higher_is_better"), ("lower-is-better", "lower_is_better"), ("Closer is better ", "closer_is_better"),
])
def test_direction_words_resolve(word, direction):
    assert direction_from_text(word) == direction
    a = engine.assess({"id": "R", "unit": "money", "direction": word, "forecast": 1000, "actual": 1100}, RULES)
    assert a.direction == direction and not a.findings


@pytest.mark.parametrize("word", ["sideways", "labāks", "↔↔", ""])
def test_unknown_direction_words_are_findings(word):
    a = engine.assess({"id": "R", "unit": "money", "direction": word or " x ", "forecast": 1000, "actual": 1100}, RULES)
    assert [(f.code, f.location.field) for f in a.findings] == [("unknown-direction", "direction")]
    assert a.status.value == "not_assessed"


@pytest.mark.parametrize("word, status", [
    # short status words, Latvian
    ("sasniegts", "achieved"), ("Sasniegts", "achieved"), ("sliktāks", "worse"), ("labāks", "better"),
    ("nav vērtēts", "not_assessed"), ("nav datu", "not_assessed"), ("Nav datu", "not_assessed"),
    ("sliktāks par prognozēto", "worse"), ("labāks par prognozēto", "better"),
    # English
    ("achieved", "achieved"), ("worse", "worse"), ("better", "better"), ("not assessed", "not_assessed"), ("no data", "not_assessed"),
    # symbols and the full labels of Table 1
    ("●", "achieved"), ("▼", "worse"), ("▲", "better"), ("-", "not_assessed"), ("–", "not_assessed"),
    ("Rezultāts sasniegts", "achieved"), ("Rezultāts sliktāks par prognozēto", "worse"),
    ("Rezultāts labāks par prognozēto", "better"), ("Result worse than forecast", "worse"), ("Nav vērtēts", "not_assessed"),
])
def test_override_words_resolve(word, status):
    assert RULES.status_from_text(word).value == status
    a = engine.assess({"id": "R", "unit": "count", "forecast": 1000, "actual": 1000, "override": word,
                       "justification": "dati nav saņemti"}, RULES)
    assert (a.status.value, a.basis.value) == (status, "override")
    assert "unknown-override" not in [f.code for f in a.findings]


def test_every_short_status_word_and_direction_word_is_one_kind():
    for status, words in STATUS_WORDS.items():
        for word in words:
            assert RULES.status_from_text(word).value == status, word
    for word, direction in DIRECTION_WORDS.items():
        assert direction_from_text(word) == direction, word


def test_a_rule_files_own_label_wins_over_a_short_word(tmp_path):
    doc = json.loads((engine.rules.rules_path("default.json")).read_text(encoding="utf-8"))
    doc.pop("$schema", None)
    doc["statuses"]["better"]["label"]["lv"] = "sasniegts"  # a file that calls 'better' that (odd, but its own)
    doc["statuses"]["achieved"]["label"]["lv"] = "Izpildīts"
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    rules = engine.load_rules(path)
    assert rules.status_from_text("sasniegts").value == "better"
    assert rules.status_from_text("sliktāks").value == "worse"


@pytest.mark.parametrize("word, unit", [
    ("skaits", "count"), ("Skaits", "count"), ("gadījumi", "count"), ("cases", "count"),
    ("euro", "money"), ("EUR", "money"), ("tūkst. euro", "money"), ("thousand euro", "money"),
    ("stundas", "hours"), ("hours", "hours"),
    ("%", "percent"), ("īpatsvars", "percent"), ("share", "percent"),
    ("% izmaiņas", "percent_change"), ("% change", "percent_change"),
    ("jā/nē", "milestone"), ("yes/no", "milestone"), ("Jā / nē", "milestone"),
    ("uz 100 000 iedzīvotāju", "measure"), ("per 100 000 inhabitants", "measure"), ("minūtes", "measure"),
    ("minutes", "measure"), ("km", "measure"), ("vidēji", "measure"), ("average", "measure"),
    ("indekss", "measure"), ("index", "measure"), ("koeficients", "measure"), ("coefficient", "measure"),
])
def test_unit_words_resolve(word, unit):
    assert RULES.unit_from_text(word) == unit


# --- the drop-downs of a new master workbook ------------------------------------------------------------------

EXPECTED = {
    "lv": {
        "unit": {"skaits": "count", "euro": "money", "tūkst. euro": "money", "stundas": "hours", "%": "percent",
                 "% izmaiņas": "percent_change", "jā/nē": "milestone", "uz 100 000 iedzīvotāju": "measure",
                 "vidēji": "measure", "minūtes": "measure", "km": "measure", "indekss": "measure", "koeficients": "measure"},
        "direction": {"augstāks ir labāks": "higher_is_better", "zemāks ir labāks": "lower_is_better",
                      "tuvāk ir labāk": "closer_is_better"},
    },
    "en": {
        "unit": {"count": "count", "euro": "money", "thousand euro": "money", "hours": "hours", "%": "percent",
                 "% change": "percent_change", "yes/no": "milestone", "per 100 000 inhabitants": "measure",
                 "average": "measure", "minutes": "measure", "km": "measure", "index": "measure", "coefficient": "measure"},
        "direction": {"higher is better": "higher_is_better", "lower is better": "lower_is_better",
                      "closer is better": "closer_is_better"},
    },
}


def _drop_downs(path, lang):
    from workbook.model.vocabulary import SHEETS, field_for_header

    ws = load_workbook(path)[SHEETS["indicators"][lang]]
    letters = {field_for_header(c.value)[0]: c.column_letter for c in ws[1] if field_for_header(c.value)}
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"}
    out = {}
    for fld in ("unit", "direction"):
        formula = lists[f"{letters[fld]}2"]
        assert formula.startswith('"') and formula.endswith('"') and len(formula) <= 257  # Excel's 255-character list
        out[fld] = formula[1:-1].split(",")
    return out


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_a_new_book_offers_words_of_its_language_that_read_back(tmp_path, lang):
    from workbook.writing.newbook import BookSpec, write_master

    path = write_master(tmp_path / f"new-{lang}.xlsx", BookSpec(evaluation_year=2020, baseline_year=2018, lang=lang))
    lists = _drop_downs(path, lang)
    assert lists["unit"] == list(EXPECTED[lang]["unit"])
    assert lists["direction"] == list(EXPECTED[lang]["direction"])
    for word in lists["unit"]:
        assert RULES.unit_from_text(word) == EXPECTED[lang]["unit"][word], word
    for word in lists["direction"]:
        assert direction_from_text(word) == EXPECTED[lang]["direction"][word], word
    # every unit kind and every direction can be picked in either language
    assert set(EXPECTED[lang]["unit"].values()) == set(engine.status.UNITS)
    assert set(EXPECTED[lang]["direction"].values()) == set(engine.status.DIRECTIONS)


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_radit_new_writes_the_same_drop_downs(tmp_path, lang):
    import io

    from workbook.cli import main as cli

    path = tmp_path / "book.xlsx"
    out, err = io.StringIO(), io.StringIO()
    assert cli.run(["new", str(path), "--lang", lang, "--year", "2020", "--baseline-year", "2018"], stdout=out, stderr=err) == 0, err.getvalue()
    lists = _drop_downs(path, lang)
    assert lists == {"unit": list(EXPECTED[lang]["unit"]), "direction": list(EXPECTED[lang]["direction"])}
