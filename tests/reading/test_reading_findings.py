"""Every finding code of validation, each on a real .xlsx built in tmp_path, asserted as (code, cell)."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from reading_books import GOOD_ROWS, HEAD_LV
from workbook.validation.validate import validate_book


def rows_with(index: int, **changes):
    """GOOD_ROWS with cells of one row replaced: field name -> value (columns of HEAD_LV)."""
    fields = ["id", "unit", "direction", "baseline", "forecast", "actual", "sample", "override", "justification", "symbol"]
    rows = [list(r) for r in GOOD_ROWS]
    for k, v in changes.items():
        rows[index][fields.index(k)] = v
    return rows


def codes(report, code):
    return [cell for c, cell in report.codes() if c == code]


def test_a_clean_workbook_is_valid(book):
    report = validate_book(book())
    assert report.valid and report.error is None
    assert [(i.id, i.row, i.assessment.status.value) for i in report.indicators] == [
        ("A.1", 2, "achieved"), ("A.2", 3, "achieved"), ("B.1", 4, "worse")]


@pytest.mark.parametrize("change, code, cell", [
    ({"forecast": "abc"}, "unparseable-value", "E2"),
    ({"forecast": "36 000"}, "number-stored-as-text", "E2"),
    ({"actual": "=E2*1"}, "formula-without-value", "F2"),
    ({"actual": dt.datetime(2016, 5, 1)}, "date-in-number-column", "F2"),
    ({"unit": "parsecs"}, "unknown-unit", "B2"),
    ({"direction": "sideways"}, "unknown-direction", "C2"),
    ({"override": "better"}, "override-without-justification", "I2"),
    ({"override": "sometimes", "justification": "x"}, "unknown-override", "H2"),
    ({"sample": 50}, "small-sample-without-justification", "I2"),
    ({"symbol": "▼"}, "stale-assessment", "J2"),
    ({"symbol": "better"}, "stale-assessment", "J2"),
    ({"id": "A.2"}, "duplicate-id", "A2"),  # row 2 repeats the id of row 3: the second one (row 3) is reported
    ({"id": None}, "missing-id", "A2"),
])
def test_each_problem_in_a_row_is_found_at_its_cell(book, change, code, cell):
    report = validate_book(book(rows_with(0, **change)))
    found = codes(report, code)
    expected = "A3" if code == "duplicate-id" else cell
    assert found == [expected], report.codes()


@pytest.mark.parametrize("symbol", [None, "", "●", "achieved", "Rezultāts sasniegts"])
def test_a_stored_symbol_that_agrees_or_is_empty_is_not_stale(book, symbol):
    report = validate_book(book(rows_with(0, symbol=symbol)))
    assert codes(report, "stale-assessment") == []


def test_stale_assessment_names_both_symbols(book):
    report = validate_book(book(rows_with(2, symbol="▲")))
    (f,) = [f for f in report.findings if f.code == "stale-assessment"]
    assert f.location.cell == "J4" and f.location.indicator == "B.1"
    assert f.params["stored"] == "▲" and f.params["computed"].startswith("▼")


def test_number_stored_as_text_is_only_a_warning(book):
    report = validate_book(book(rows_with(0, forecast="36 000", actual="35 280")))
    assert report.valid and codes(report, "number-stored-as-text") == ["E2", "F2"]
    assert report.indicators[0].assessment.status.value == "achieved"


def test_a_missing_required_column_is_reported_at_the_header_row(book):
    headers = [h for h in HEAD_LV if h != "Mērvienība"]
    rows = [[v for j, v in enumerate(r) if j != 1] for r in GOOD_ROWS]
    report = validate_book(book(rows, headers=headers))
    missing = [f for f in report.findings if f.code == "missing-column"]
    assert [(f.location.cell, f.location.field) for f in missing] == [("A1", "unit")]
    assert missing[0].params["column"] == "Mērvienība"  # the workbook's own header, in its language
    assert not report.valid


def test_year_mismatch_points_at_the_forecast_header(book):
    headers = [h.replace("Prognoze 2016", "Prognoze 2017") for h in HEAD_LV]
    report = validate_book(book(headers=headers))
    assert codes(report, "year-mismatch") == ["E1"]
    (f,) = [f for f in report.findings if f.code == "year-mismatch"]
    assert (f.params["forecast_year"], f.params["actual_year"]) == (2017, 2016)


def test_an_evaluation_year_without_columns_is_a_refusal_listing_the_years_offered(book):
    report = validate_book(book(), year=2015)
    assert report.error.code == "no-year-columns" and not report.valid
    assert "Forecast 2016" in report.error.finding.params["offered"]


def test_duplicate_column_is_reported_at_the_second_header(book):
    headers = HEAD_LV + ["Mērvienība"]
    rows = [r + ["count"] for r in GOOD_ROWS]
    report = validate_book(book(rows, headers=headers))
    assert codes(report, "duplicate-column") == ["K1"]


def test_merged_cells_in_the_table_are_a_finding(book):
    report = validate_book(book(edit=lambda ws: ws.merge_cells("I2:I3")))
    assert codes(report, "merged-cells") == ["I2"]


def test_merged_cells_outside_the_table_are_left_alone(book):
    report = validate_book(book(edit=lambda ws: ws.merge_cells("M10:N12")))
    assert codes(report, "merged-cells") == []


def test_a_bad_evaluation_year_setting_is_a_finding(book):
    report = validate_book(book(settings={"Novērtējuma gads": "drīz"}))
    assert [(f.code, f.location.sheet, f.location.cell) for f in report.findings if f.code == "bad-setting"] == [
        ("bad-setting", "Iestatījumi", "B1")]


def write_rules(tmp_path, **extra):
    path = tmp_path / "rules.json"
    path.write_text(json.dumps({"format_version": 1, **extra}), encoding="utf-8")
    return path


def test_ids_of_the_rule_file_missing_from_the_workbook(book, tmp_path):
    from engine import load_rules

    rules = load_rules(write_rules(tmp_path, indicators={"Z.9": {"note": "gone"}, "A.1": {}}))
    report = validate_book(book(), rules=rules)
    assert [(f.code, f.location.indicator) for f in report.findings if f.code.startswith(("rule-id", "workbook-id"))] == [
        ("rule-id-not-in-workbook", "Z.9")]


def test_ids_of_the_workbook_missing_from_a_rule_file_that_lists_them(book, tmp_path):
    from engine import load_rules

    rules = load_rules(write_rules(tmp_path, lists_indicators=True, indicators={"A.1": {}, "A.2": {}}))
    report = validate_book(book(), rules=rules)
    assert codes(report, "workbook-id-not-in-rules") == ["A4"]


def test_engine_findings_land_on_the_year_column_in_force(book):
    headers = ["ID", "Mērvienība", "Prognoze 2015", "Sasniegts 2015", "Prognoze 2016", "Sasniegts 2016"]
    rows = [["A.1", "count", 1, 1, "abc", 5]]
    assert codes(validate_book(book(rows, headers=headers)), "unparseable-value") == ["E2"]
    assert codes(validate_book(book(rows, headers=headers), year=2015), "unparseable-value") == []


def test_findings_carry_file_sheet_and_indicator(book):
    path = book(rows_with(1, forecast="abc"))
    (f,) = [f for f in validate_book(path).findings if f.code == "unparseable-value"]
    assert (f.location.file, f.location.sheet, f.location.cell, f.location.indicator) == (str(path), "Rādītāji", "E3", "A.2")


def test_the_rule_file_named_in_the_settings_is_used_from_beside_the_workbook(book, tmp_path):
    write_rules(tmp_path, tolerance={"value": 5, "inclusive": True})
    rows = [["A.1", "count", None, None, 1000, 960, None, None, None, None]]  # −4 %: worse at 2 %, achieved at 5 %
    own = validate_book(book(rows, settings={"Novērtējuma gads": 2016, "Noteikumu fails": "rules.json"}))
    assert own.rules_name == "rules.json" and own.indicators[0].status.value == "achieved"
    assert validate_book(book(rows)).indicators[0].status.value == "worse"


def test_a_rule_file_named_in_the_settings_that_does_not_exist_is_a_refusal_at_its_cell(book):
    report = validate_book(book(settings={"Novērtējuma gads": 2016, "Noteikumu fails": "nowhere.json"}))
    assert (report.error.code, report.error.location.sheet, report.error.location.cell) == \
        ("rules-file-not-found", "Iestatījumi", "B2")
