"""The stand-in client: an .xlsx as xlwings' JSON payload, and returned actions replayed with openpyxl."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
import xlwings

from payload import UnsupportedAction, apply_actions, book_payload, function_payload


def _book(tmp_path):
    path = tmp_path / "p.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Rādītāji"
    ws["B2"], ws["C3"], ws["A4"] = "x", 1.5, dt.datetime(2016, 12, 31)
    wb.create_sheet("Tukša")
    wb.save(path)
    return path


def test_the_payload_holds_every_sheets_values_from_a1_like_the_client(tmp_path):
    payload = book_payload(_book(tmp_path))
    assert (payload["client"], payload["version"]) == ("Office.js", xlwings.__version__)
    assert payload["book"] == {"name": "p.xlsx", "active_sheet_index": 0, "selection": "A1"}
    first, empty = payload["sheets"]
    assert first["values"] == [["", "", ""], ["", "x", ""], ["", "", 1.5], ["2016-12-31T00:00:00", "", ""]]
    assert (empty["name"], empty["values"]) == ("Tukša", [[]])


def test_the_used_range_address_spans_first_to_last_used_cell(tmp_path):
    payload = book_payload(_book(tmp_path), used_range=True)
    assert [s["used_range_address"] for s in payload["sheets"]] == ["A2:C4", None]


def test_function_arguments_arrive_as_2d_lists():
    data = function_payload("assess", [1, None, [[1, 2]]])
    assert data["args"] == [[[1]], [[""]], [[1, 2]]]


def _action(func, row=0, col=0, rows=1, cols=1, sheet=0, values=None, args=None):
    return {"func": func, "args": [args] if not isinstance(args, list) else args, "values": values,
            "sheet_position": sheet, "start_row": row, "start_column": col, "row_count": rows, "column_count": cols}


def test_actions_are_replayed_in_order(tmp_path):
    wb = openpyxl.load_workbook(_book(tmp_path))
    applied = apply_actions(wb, [
        _action("setValues", 0, 3, 2, 1, values=[["●"], [""]]),
        _action("setRangeColor", 0, 3, 2, 1, args="#C6EFCE"),
        _action("addSheet", args=[1, "Leģenda"]),
        _action("setValues", 0, 0, 1, 1, sheet=1, values=[["legend"]]),
        _action("sheetClear", sheet=2),
        _action("alert", args=["Sveiki", "radit", "ok", "", ""]),
    ])
    ws = wb["Rādītāji"]
    assert (ws["D1"].value, ws["D2"].value, ws["D2"].fill.fgColor.rgb) == ("●", None, "FFC6EFCE")
    assert wb.sheetnames == ["Rādītāji", "Leģenda", "Tukša"] and wb["Leģenda"]["A1"].value == "legend"
    assert applied.alerts == [{"prompt": "Sveiki", "title": "radit", "buttons": "ok", "mode": ""}]


def test_an_action_the_stand_in_does_not_know_fails_loudly(tmp_path):
    wb = openpyxl.load_workbook(_book(tmp_path))
    with pytest.raises(UnsupportedAction, match="setRangeColors"):
        apply_actions(wb, [_action("setRangeColors", args=[[["#FFFFFF"]]])])
