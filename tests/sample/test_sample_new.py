"""radit new: an empty master workbook that opens in openpyxl with its table, drop-downs, panes and legend."""
from __future__ import annotations

import pytest
from openpyxl import load_workbook

from workbook.model.vocabulary import COLUMNS, LEVELS, SETTINGS, SHEETS, TABLE_NAME, field_for_header
from workbook.writing.newbook import OVERRIDES, BookSpec, drop_down_choices, table_columns, workbook_bytes, build_workbook

LANGS = ("lv", "en")


@pytest.fixture(params=LANGS)
def new_book(request, tmp_path, run_radit):
    lang = request.param
    path = tmp_path / f"new-{lang}.xlsx"
    ran = run_radit("new", path, "--lang", lang, "--year", 2016, "--baseline-year", 2012)
    assert ran.code == 0, ran.err
    return lang, load_workbook(path)


def test_the_sheets_are_named_in_the_book_language(new_book):
    lang, wb = new_book
    assert wb.sheetnames == [SHEETS["indicators"][lang], SHEETS["settings"][lang], SHEETS["legend"][lang]]


def test_the_indicator_sheet_holds_one_styled_table_with_every_column(new_book):
    lang, wb = new_book
    ws = wb[SHEETS["indicators"][lang]]
    assert list(ws.tables) == [TABLE_NAME[lang]]
    table = ws.tables[TABLE_NAME[lang]]
    assert table.tableStyleInfo.name
    headers = [c.name for c in table.tableColumns]
    assert headers == [cell.value for cell in ws[1]][: len(headers)]
    fields = {field_for_header(h)[0] for h in headers}
    assert fields == {c.field for c in COLUMNS} | {"forecast", "actual"}
    assert field_for_header(headers[headers.index(COLUMNS[0].header(lang))])[0] == "id"
    assert {field_for_header(h) for h in headers} >= {("forecast", 2016), ("actual", 2016)}
    assert table.ref == f"A1:{ws.cell(1, len(headers)).column_letter}2"  # header and one empty body row


def test_the_columns_come_in_the_documented_order(new_book):
    lang, wb = new_book
    ws = wb[SHEETS["indicators"][lang]]
    fields = [field_for_header(c.value)[0] for c in ws[1]]
    assert fields[:11] == ["id", "goal_code", "goal", "level", "result_code", "result", "indicator", "unit",
                           "direction", "baseline_year", "baseline"]
    assert fields[11:13] == ["forecast", "actual"]
    assert fields[-4:] == ["symbol", "deviation", "basis", "explanation"]


def test_header_row_and_id_column_are_frozen(new_book):
    lang, wb = new_book
    assert wb[SHEETS["indicators"][lang]].freeze_panes == "B2"


@pytest.mark.parametrize("field, choices", [
    ("unit", None), ("direction", None), ("override", OVERRIDES), ("level", None),
])
def test_drop_down_lists_cover_their_column(new_book, field, choices):
    lang, wb = new_book
    ws = wb[SHEETS["indicators"][lang]]
    if field == "level":
        choices = tuple(texts[LANGS.index(lang)] for texts in LEVELS.values())
    elif choices is None:  # words of the book's language (tests/engine/test_engine_words.py reads them back)
        choices = drop_down_choices(field, lang)
    column = next(c.column_letter for c in ws[1] if field_for_header(c.value) == (field, None))
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"}
    sqref = next(ref for ref in lists if ref.startswith(f"{column}2:"))
    assert lists[sqref] == '"' + ",".join(choices) + '"'
    assert int(sqref.split(":")[1][len(column):]) >= 1000


def test_the_settings_sheet_has_labels_in_a_and_values_in_b(new_book):
    lang, wb = new_book
    ws = wb[SHEETS["settings"][lang]]
    index = LANGS.index(lang)
    got = {row[0]: row[1] for row in ws.iter_rows(min_col=1, max_col=2, values_only=True)}
    assert got == {
        SETTINGS["baseline_year"][index]: 2012,
        SETTINGS["evaluation_year"][index]: 2016,
        SETTINGS["rules_file"][index]: "default.json",
        SETTINGS["language"][index]: lang,
    }


def test_the_legend_shows_table_1_with_coloured_symbols(new_book):
    from workbook.writing.legend import legend_rows

    lang, wb = new_book
    ws = wb[SHEETS["legend"][lang]]
    expected = legend_rows(None, lang)
    rows = list(ws.iter_rows(min_row=4, max_row=3 + len(expected)))
    assert [(r[0].value, r[1].value, r[2].value) for r in rows] == [(e.symbol, e.label, e.description) for e in expected]
    assert [r[0].fill.fgColor.rgb[-6:] for r in rows] == [e.colour.lstrip("#").upper() for e in expected]


def test_new_refuses_to_overwrite_an_existing_file(tmp_path, run_radit):
    path = tmp_path / "book.xlsx"
    path.write_bytes(b"the analyst's work")
    ran = run_radit("new", path)
    assert ran.code == 2
    assert "--force" in ran.err and "Traceback" not in ran.err
    assert path.read_bytes() == b"the analyst's work"


def test_new_replaces_a_file_with_force(tmp_path, run_radit):
    path = tmp_path / "book.xlsx"
    path.write_bytes(b"old")
    assert run_radit("new", path, "--force", "--year", 2016).code == 0
    assert load_workbook(path).sheetnames[0] == SHEETS["indicators"]["lv"]


@pytest.mark.parametrize("argv", [
    ["--year", "2016", "--baseline-year", "2017"],  # baseline after the evaluation year
    ["--lang", "de"],
    ["--year", "16"],
    ["--year", "twenty"],
])
def test_new_rejects_bad_arguments(tmp_path, run_radit, argv):
    path = tmp_path / "book.xlsx"
    assert run_radit("new", path, *argv).code == 2
    assert not path.exists()


def test_new_defaults_to_last_year_and_a_baseline_four_years_earlier(tmp_path, run_radit):
    import datetime

    path = tmp_path / "book.xlsx"
    assert run_radit("new", path).code == 0
    year = datetime.date.today().year - 1
    values = [row[1] for row in load_workbook(path)[SHEETS["settings"]["lv"]].iter_rows(values_only=True)]
    assert values[:2] == [year - 4, year]


def test_the_same_spec_gives_the_same_bytes():
    spec = BookSpec(evaluation_year=2016, baseline_year=2012, actual_years=(2014,),
                    rows=({"id": "X.1", "unit": "count", "forecast": {2016: 5}, "actual": {2014: 3, 2016: 4}},))
    assert workbook_bytes(build_workbook(spec)) == workbook_bytes(build_workbook(spec))


def test_achieved_only_years_come_before_the_evaluation_year():
    spec = BookSpec(evaluation_year=2016, baseline_year=2012, actual_years=(2015, 2014, 2016), lang="en")
    years = [(c.field, c.year) for c in table_columns(spec) if c.year]
    assert years == [("actual", 2014), ("actual", 2015), ("forecast", 2016), ("actual", 2016)]


def test_new_takes_the_legend_and_the_rule_file_name_from_rules(tmp_path, run_radit):
    import json
    from pathlib import Path

    default = Path(__file__).resolve().parents[2] / "rules" / "default.json"
    raw = json.loads(default.read_text(encoding="utf-8"))
    raw.pop("$schema", None)  # the copy lives elsewhere: no relative schema reference
    raw["statuses"]["achieved"]["symbol"] = "✓"
    rule_file = tmp_path / "mine.json"
    rule_file.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    book = tmp_path / "book.xlsx"
    ran = run_radit("new", book, "--rules", rule_file, "--year", 2016, "--lang", "en")
    assert ran.code == 0, ran.err
    wb = load_workbook(book)
    assert wb[SHEETS["legend"]["en"]]["A4"].value == "✓"
    assert wb[SHEETS["settings"]["en"]]["B3"].value == "mine.json"


def test_new_with_a_broken_rule_file_writes_nothing(tmp_path, run_radit):
    rule_file = tmp_path / "broken.json"
    rule_file.write_text('{"tolerance": "wide"', encoding="utf-8")
    book = tmp_path / "book.xlsx"
    ran = run_radit("new", book, "--rules", rule_file)
    assert ran.code == 2 and "broken.json" in ran.err
    assert not book.exists()


@pytest.mark.parametrize("lang,setting,sheet,want", [
    ("en", "lv", "Rādītāji", "en"), (None, "Latviešu", "Indicators", "lv"), (None, "angļu", "Rādītāji", "en"),
    (None, None, "Indicators", "en"), (None, "  ", "Rādītāji", "lv"), (None, "de", None, "lv"),
])
def test_the_written_language_is_chosen_alike_for_evaluate_and_the_add_in(lang, setting, sheet, want):
    from workbook.model.vocabulary import book_language

    assert book_language(lang, setting, sheet) == want
