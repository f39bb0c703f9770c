"""The Evaluate script, the custom functions and the classic main() run through xlwings' own machinery, the actions replayed on the .xlsx.

Needs xlwings' PRO code (XLWINGS_LICENSE_KEY=noncommercial, set only in the harness's child process).
"""
from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

import engine
from workbook.model.vocabulary import field_for_header
from payload import apply_actions, book_payload, function_payload
from workbook.model.rule_choice import embedded_cells
from xl_books import row, write_book

pytestmark = pytest.mark.xlwings_pro
LITE = "workbook.excel.lite.main"
SAMPLE_SOURCE = Path(__file__).resolve().parents[2] / "samples" / "seed-2016.xlsx"


def evaluate_via_lite(xlwings_pro, path: Path):
    """Send the book as the Office.js client would, run the Evaluate script, replay its actions, save, reopen."""
    answer = xlwings_pro([{"kind": "script", "module": LITE, "script": "evaluate", "payload": book_payload(path)}])[0]
    assert "actions" in answer, answer
    wb = openpyxl.load_workbook(path)
    applied = apply_actions(wb, answer["actions"])
    wb.save(path)
    return openpyxl.load_workbook(path), applied, answer["actions"]


def expected_by_engine(path: Path) -> dict[str, tuple[str, str]]:
    """Independent oracle: every row of the saved sheet assessed by the engine -> (symbol, colour)."""
    ws = openpyxl.load_workbook(path).worksheets[0]
    header = [c.value for c in ws[1]]
    fields = {}
    for i, text in enumerate(header):
        match = field_for_header(text)
        if match:
            fields.setdefault(match[0] if match[1] in (None, 2016) else None, i)
    rules = engine.default_rules()
    expected = {}
    for values in ws.iter_rows(min_row=2, values_only=True):
        if values[fields["id"]] is None:
            continue
        ind = {k: values[fields[k]] if k in fields else None
               for k in ("id", "unit", "baseline", "forecast", "actual", "sample_size", "direction", "override", "justification")}
        a = engine.assess(ind, rules)
        expected[str(values[fields["id"]])] = (a.symbol, a.colour)
    return expected


def _column(ws, header: str) -> int:
    return [c.value for c in ws[1]].index(header) + 1


def _fill(cell) -> str | None:
    rgb = cell.fill.fgColor.rgb if cell.fill and cell.fill.fill_type == "solid" else None
    return "#" + rgb[-6:] if isinstance(rgb, str) else None


@pytest.fixture(scope="module")
def evaluated_sample(xlwings_pro, tmp_path_factory):
    """The sample evaluated once through the Lite script: (path, reopened workbook, applied, actions, engine oracle)."""
    path = tmp_path_factory.mktemp("sample") / SAMPLE_SOURCE.name
    path.write_bytes(SAMPLE_SOURCE.read_bytes())
    expected = expected_by_engine(path)
    wb, applied, actions = evaluate_via_lite(xlwings_pro, path)
    return path, wb, applied, actions, expected


def test_evaluate_writes_the_engines_symbols_and_colours_on_the_sample(evaluated_sample):
    _, wb, _, _, expected = evaluated_sample
    ws = wb["Rādītāji"]
    sym = _column(ws, "Vērtējums")
    got = {str(ws.cell(r, 1).value): (ws.cell(r, sym).value, _fill(ws.cell(r, sym))) for r in range(2, ws.max_row + 1)
           if ws.cell(r, 1).value is not None}
    assert len(got) == 27
    assert got == expected


def test_values_go_one_block_per_column_and_only_supported_actions_are_used(evaluated_sample):
    actions = evaluated_sample[3]
    funcs = {a["func"] for a in actions}
    assert funcs <= {"setValues", "setRangeColor", "addSheet", "sheetClear", "alert"}
    # ... and each is one that xlwings' most limited client, the Office Scripts one, implements.
    import re

    import xlwings

    client = (Path(xlwings.__file__).parent / "js" / "xlwings.ts").read_text(encoding="utf-8")
    assert funcs <= set(re.findall(r"registerCallback\((\w+)\)", client))
    table_writes = [a for a in actions if a["func"] == "setValues" and a["sheet_position"] == 0]
    assert len(table_writes) == 4 and all(a["column_count"] == 1 and a["row_count"] == 27 for a in table_writes)


def test_deviation_basis_and_explanation_are_written_in_the_books_language(evaluated_sample):
    wb = evaluated_sample[1]
    ws = wb["Rādītāji"]
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    rules = engine.default_rules()
    r = rows["A.PR2.1"]  # a count with forecast 24: small sample, qualitative
    assert ws.cell(r, _column(ws, "Pamats")).value == "kvalitatīvs (maza izlase)"
    assert ws.cell(r, _column(ws, "Nobīde")).value == "–"
    deviations = [ws.cell(r, _column(ws, "Nobīde")).value for r in rows.values()]
    assert any(isinstance(d, str) and d.endswith("%") and "," in d for d in deviations)  # Latvian decimal comma
    assert all(ws.cell(r, _column(ws, "Skaidrojums")).value for r in rows.values())
    assert rules.status_from_text(ws.cell(r, _column(ws, "Vērtējums")).value) is not None


def test_evaluating_twice_gives_the_same_workbook_cells(xlwings_pro, evaluated_sample):
    path, first = evaluated_sample[0], evaluated_sample[1]
    def cells(wb):  # the summary's "Novērtēts: <time>" line (A5) tells the two runs apart, by design
        return {ws.title: [[c.value for c in r] for i, r in enumerate(ws.iter_rows(), 1) if (ws.title, i) != ("Kopsavilkums", 5)]
                for ws in wb.worksheets}

    once = cells(first)
    second, _, _ = evaluate_via_lite(xlwings_pro, path)
    twice = cells(second)
    assert once == twice and list(once) == ["Rādītāji", "Iestatījumi", "Leģenda", "Kopsavilkums"]


def test_bad_data_gets_an_alert_and_the_row_is_not_assessed(xlwings_pro, tmp_path):
    path = write_book(tmp_path / "b.xlsx", [row("A.1", "count", 36000, 35280, n=500), row("A.2", "furlongs", 10, 12)])
    wb, applied, _ = evaluate_via_lite(xlwings_pro, path)
    ws = wb["Rādītāji"]
    assert [ws.cell(r, _column(ws, "Vērtējums")).value for r in (2, 3)] == ["●", "-"]
    assert len(applied.alerts) == 1 and "'Rādītāji'!D3 [unknown-unit]" in applied.alerts[0]["prompt"]


def test_a_book_without_an_indicator_table_gets_an_alert_and_no_writes(xlwings_pro, tmp_path):
    path = write_book(tmp_path / "c.xlsx", [], header=["Nosaukums", "Vērtība"], sheet="Lapa1")
    _, applied, actions = evaluate_via_lite(xlwings_pro, path)
    assert [a["func"] for a in actions] == ["alert"]
    assert "[no-indicator-table]" in applied.alerts[0]["prompt"]


def test_an_embedded_rule_file_is_used_when_the_named_file_is_out_of_reach(xlwings_pro, tmp_path):
    doc = json.loads((Path(engine.__file__).parents[1] / "rules" / "default.json").read_text(encoding="utf-8"))
    doc["statuses"]["achieved"]["symbol"] = "✓"
    doc["statuses"]["achieved"]["colour"] = "#00FF00"
    path = write_book(
        tmp_path / "d.xlsx", [row("A.1", "count", 36000, 35280, n=500)],
        settings=(("Novērtējuma gads", 2016), ("Noteikumu fails", "mine.json")),
        extra={"radit_rules": embedded_cells(json.dumps(doc, ensure_ascii=False))},
    )
    wb, applied, _ = evaluate_via_lite(xlwings_pro, path)
    cell = wb["Rādītāji"].cell(2, 10)
    assert (cell.value, _fill(cell)) == ("✓", "#00FF00")
    assert applied.alerts == []


def test_a_broken_embedded_rule_file_is_an_alert_not_a_traceback(xlwings_pro, tmp_path):
    path = write_book(tmp_path / "e.xlsx", [row("A.1", "count", 1, 1)], extra={"radit_rules": [['{"tolerance": "x"}']]})
    _, applied, actions = evaluate_via_lite(xlwings_pro, path)
    assert [a["func"] for a in actions] == ["alert"]


def test_percent_formatted_cells_are_assessed_in_percentage_points(xlwings_pro, tmp_path):
    path = write_book(tmp_path / "p.xlsx", [row("A.1", "%", 0.19, 0.17, n=1000)], percent_cells=("F2", "G2"))
    wb, _, _ = evaluate_via_lite(xlwings_pro, path)
    ws = wb["Rādītāji"]
    assert (ws.cell(2, 10).value, ws.cell(2, 11).value) == ("●", "−2,00 p.p.")


def test_the_english_book_gets_english_sheets_and_texts(xlwings_pro, tmp_path):
    header = ["ID", "Unit", "Forecast 2016", "Achieved 2016", "Sample size", "Assessment", "Deviation", "Basis", "Explanation"]
    path = write_book(tmp_path / "en.xlsx", [["A.1", "count", 36000, 35782, 500]], header=header, sheet="Indicators",
                      settings=(("Evaluation year", 2016), ("Language", "en")))
    wb, _, _ = evaluate_via_lite(xlwings_pro, path)
    assert wb.sheetnames == ["Indicators", "Iestatījumi", "Legend", "Summary"]
    assert wb["Indicators"]["G2"].value == "−0.61 %"


@pytest.mark.parametrize(
    "name, args, expected",
    [
        ("assess", [36000, 35280], [["●"]]),
        ("assess", [[[0.19]], [[0.17]], None, "percent", None, 1000], [["●"]]),
        ("deviation", [36000, 35782], [[-0.61]]),
        ("deviation", [9, 170], [["not computed (qualitative)"]]),
        ("assess_table", [[["ID", "Unit", "Forecast", "Actual"], ["x", "count", 36000, 35280]]],
         [["id", "status", "symbol", "deviation", "explanation"]]),
    ],
)
def test_custom_functions_through_xlwings(xlwings_pro, name, args, expected):
    answer = xlwings_pro([{"kind": "function", "module": LITE, "data": function_payload(name, args)}])[0]
    assert "result" in answer, answer
    result = answer["result"]
    if name == "deviation" and isinstance(expected[0][0], float):
        assert result[0][0] == pytest.approx(expected[0][0], abs=0.005)
    else:
        assert result[: len(expected)] == expected


def test_an_unknown_unit_in_a_custom_function_is_a_readable_error(xlwings_pro):
    answer = xlwings_pro([{"kind": "function", "module": LITE, "data": function_payload("assess", [1, 2, None, "furlongs"])}])[0]
    assert answer == {"error": "UdfInputError", "message": "unit 'furlongs' is not known"}


def test_the_scripts_and_functions_are_registered_under_their_excel_names(xlwings_pro):
    meta = xlwings_pro([{"kind": "meta", "module": LITE}])[0]
    assert [s["name"] for s in meta["scripts"]] == ["Evaluate"]
    assert {f["name"] for f in meta["functions"]["functions"]} == {"ASSESS", "DEVIATION", "ASSESS_TABLE"}


def test_the_classic_main_writes_the_same_cells_as_the_lite_script(xlwings_pro, tmp_path, sample_book):
    from workbook.excel.classic_build import build_addin

    built = build_addin(tmp_path / "addin" / "radit.xlam")
    payload = book_payload(sample_book)
    lite, classic = xlwings_pro([
        {"kind": "script", "module": LITE, "script": "evaluate", "payload": payload},
        {"kind": "classic", "module": "radit", "path": str(built.module.parent), "payload": payload},
    ])
    assert "actions" in classic, classic
    assert classic["actions"] == lite["actions"]


def test_the_excel_path_assesses_the_sample_as_radit_validate_does(evaluated_sample):
    # The reader (calamine + XML scans) and the xlwings path read the same book in different ways;
    # their assessments must agree row by row: status, symbol, basis and deviation.
    from workbook.validation.validate import validate_book

    path, wb, _, _, _ = evaluated_sample
    report = validate_book(SAMPLE_SOURCE)
    ws = wb["Rādītāji"]
    cols = {name: _column(ws, name) for name in ("Vērtējums", "Nobīde", "Pamats")}
    got = {r.id: (ws.cell(r.row, cols["Vērtējums"]).value, ws.cell(r.row, cols["Pamats"]).value,
                  ws.cell(r.row, cols["Nobīde"]).value) for r in report.indicators}
    want = {r.id: (r.assessment.symbol, r.assessment.basis.label("lv"), r.assessment.format_deviation("lv"))
            for r in report.indicators}
    assert len(want) == 27 and got == want


def test_the_excel_path_writes_the_same_cells_as_radit_evaluate(evaluated_sample, tmp_path):
    import io

    from workbook.cli.main import run as cli

    out = tmp_path / "evaluated.xlsx"
    err = io.StringIO()
    assert cli(["evaluate", str(SAMPLE_SOURCE), "-o", str(out)], io.StringIO(), err) in (0, 1), err.getvalue()
    theirs = openpyxl.load_workbook(out)["Rādītāji"]
    ours = evaluated_sample[1]["Rādītāji"]
    headers = ("Vērtējums", "Nobīde", "Pamats", "Skaidrojums")

    def cells(ws):
        cols = [_column(ws, h) for h in headers]
        return {ws.cell(r, 1).value: tuple(ws.cell(r, c).value for c in cols) + (_fill(ws.cell(r, cols[0])),)
                for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value is not None}

    assert cells(ours) == cells(theirs)


def test_a_note_under_the_excel_table_is_not_an_indicator(xlwings_pro, tmp_path):
    from openpyxl.worksheet.table import Table

    path = write_book(tmp_path / "t.xlsx", [row("A.1", "count", 36000, 35280, n=500), row("A.2", "count", 1, 1, n=500)])
    wb = openpyxl.load_workbook(path)
    ws = wb["Rādītāji"]
    ws.add_table(Table(displayName="Raditaji", ref="A1:M3"))
    ws["A5"] = "Avots: vidusposma izvērtējums"
    wb.save(path)
    wb, applied, _ = evaluate_via_lite(xlwings_pro, path)
    ws = wb["Rādītāji"]
    assert [ws.cell(r, 10).value for r in (2, 3, 4, 5)] == ["●", "●", None, None]
    assert applied.alerts == []


@pytest.mark.parametrize("used_range", [False, True], ids=["values-from-A1", "used-range-address"])
def test_a_table_that_does_not_start_at_a1_is_written_in_place(xlwings_pro, tmp_path, used_range):
    path = tmp_path / "offset.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Rādītāji"
    ws["C2"] = "Rezultatīvie rādītāji"
    header = ["ID", "Mērvienība", "Prognoze 2016", "Sasniegts 2016", "Izlases apmērs", "Vērtējums", "Nobīde"]
    for offset, values in enumerate([header, ["A.1", "count", 36000, 35280, 500], ["A.2", "count", 100, 150, 500]]):
        for c, value in enumerate(values):
            ws.cell(4 + offset, 3 + c, value)
    wb.save(path)
    payload = book_payload(path, used_range=used_range)
    answer = xlwings_pro([{"kind": "script", "module": LITE, "script": "evaluate", "payload": payload}])[0]
    wb = openpyxl.load_workbook(path)
    apply_actions(wb, answer["actions"])
    ws = wb["Rādītāji"]
    assert [[ws.cell(r, c).value for c in (8, 9)] for r in (5, 6)] == [["●", "−2,00 %"], ["▲", "+50,00 %"]]
    assert ws.cell(7, 8).value is None and ws.cell(4, 8).value == "Vērtējums"


def test_an_evaluation_year_without_its_columns_is_named_in_the_alert(xlwings_pro, tmp_path):
    path = write_book(tmp_path / "y.xlsx", [row("A.1", "count", 36000, 35280, n=500)],
                      settings=(("Novērtējuma gads", 2017),))
    _, applied, actions = evaluate_via_lite(xlwings_pro, path)
    assert [a["func"] for a in actions] == ["alert"]  # a refusal: nothing written
    prompt = applied.alerts[0]["prompt"]
    assert "[no-year-columns]" in prompt and "2017" in prompt and "2016" in prompt


def test_no_colour_action_carries_a_null_colour(xlwings_pro, tmp_path):
    path = write_book(tmp_path / "gap.xlsx", [row("A.1", "count", 1, 1), [None] * 13, row("A.3", "count", 1, 2)])
    _, _, actions = evaluate_via_lite(xlwings_pro, path)
    colours = [a for a in actions if a["func"] == "setRangeColor"]
    assert colours and all(a["args"][0] for a in colours)


