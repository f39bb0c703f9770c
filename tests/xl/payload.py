"""Stand-in for the xlwings client, for tests without Excel: an .xlsx as the JSON book payload, and the returned actions applied back.

`book_payload` builds what xlwings' Office.js client (xlwings Lite, xlwings Server) sends for a script call:
client and version, the book's name, active sheet and selection, range names, and per sheet its values
from A1 to the last used cell (empty cells as "", dates as ISO text), its tables and pictures.
`apply_actions` replays the actions a script returns (setValues, setRangeColor, addSheet, sheetClear,
alert …) on the .xlsx with openpyxl, so a test can save, reopen and assert the cells.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

CLIENT = "Office.js"  # xlwings Lite and xlwings Server's Office.js add-in


def book_payload(path: str | os.PathLike, *, active_sheet_index: int = 0, selection: str = "A1",
                 used_range: bool = False) -> dict[str, Any]:
    """The JSON payload an xlwings Office.js client would send for the workbook at `path`.

    With used_range=True each sheet also carries `used_range_address` (its first to last used cell),
    which newer clients send; the values stay anchored at A1 either way.
    """
    import openpyxl
    import xlwings

    wb = openpyxl.load_workbook(path)  # formulas as text: the client sends values, and our books hold none
    sheets = [_sheet_payload(ws, used_range) for ws in wb.worksheets]
    return {
        "client": CLIENT,
        "version": xlwings.__version__,
        "book": {"name": os.path.basename(os.fspath(path)), "active_sheet_index": active_sheet_index, "selection": selection},
        "names": _names(wb),
        "sheets": sheets,
    }


def _sheet_payload(ws, used_range: bool = False) -> dict[str, Any]:
    (min_row, min_col), (max_row, max_col) = _used_extent(ws)
    values = [[_json_value(ws.cell(row=r, column=c).value) for c in range(1, max_col + 1)] for r in range(1, max_row + 1)]
    extra = {}
    if used_range:
        from openpyxl.utils.cell import get_column_letter

        extra["used_range_address"] = (
            f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col)}{max_row}" if max_row else None)
    return {**extra,
        "name": ws.title,
        "values": values if values else [[]],
        "visibility": {"visible": "Visible", "hidden": "Hidden", "veryHidden": "VeryHidden"}[ws.sheet_state],
        "pictures": [],
        "shapes": [],
        "charts": [],
        "notes": [],
        "tables": [_table_payload(ws, table) for table in ws.tables.values()],
        "print_area": None,
    }


def _used_extent(ws) -> tuple[tuple[int, int], tuple[int, int]]:
    """First and last (row, column) holding a value (openpyxl's max_row counts styled empty cells too)."""
    first_row = first_col = 10**9
    last_row = last_col = 0
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is not None and cell.value != "":
                first_row, first_col = min(first_row, cell.row), min(first_col, cell.column)
                last_row, last_col = max(last_row, cell.row), max(last_col, cell.column)
    return (first_row, first_col), (last_row, last_col)


def _json_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return value


def _table_payload(ws, table) -> dict[str, Any]:
    from openpyxl.utils.cell import range_boundaries, get_column_letter

    min_col, min_row, max_col, max_row = range_boundaries(table.ref)
    headers = bool(table.headerRowCount if table.headerRowCount is not None else 1)
    totals = bool(table.totalsRowCount)
    first_data = min_row + (1 if headers else 0)
    last_data = max_row - (1 if totals else 0)

    def ref(r1: int, r2: int) -> str:
        return f"{get_column_letter(min_col)}{r1}:{get_column_letter(max_col)}{r2}"

    return {
        "name": table.displayName or table.name,
        "range_address": table.ref,
        "header_row_range_address": ref(min_row, min_row) if headers else None,
        "data_body_range_address": ref(first_data, last_data),
        "total_row_range_address": ref(max_row, max_row) if totals else None,
        "show_headers": headers,
        "show_totals": totals,
        "table_style": table.tableStyleInfo.name if table.tableStyleInfo else None,
        "show_autofilter": table.autoFilter is not None,
    }


def _names(wb) -> list[dict[str, Any]]:
    names = []
    index = {ws.title: i for i, ws in enumerate(wb.worksheets)}
    for name, defined in wb.defined_names.items():
        for sheet_title, address in defined.destinations:
            if sheet_title in index:
                names.append({
                    "name": name, "sheet_index": index[sheet_title], "address": address.replace("$", ""),
                    "scope_sheet_name": None, "scope_sheet_index": None, "book_scope": True,
                })
    return names


def function_payload(func_name: str, args: Sequence[Any], *, runtime: str = "1.4") -> dict[str, Any]:
    """The JSON an Office.js client sends for one custom function call; every argument arrives as a 2-D list."""
    import xlwings

    return {
        "func_name": func_name,
        "args": [a if _is_2d(a) else [[("" if a is None else a)]] for a in args],
        "client": CLIENT,
        "version": xlwings.__version__,
        "runtime": runtime,
        "culture_info_name": "en-US",
        "date_format": "m/d/yyyy",
        "caller_address": "Sheet1!A1",
    }


def _is_2d(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(row, list) for row in value)


@dataclass
class Applied:
    """What replaying the actions did besides cell changes: the alerts the analyst would have seen."""

    alerts: list[dict[str, str]] = field(default_factory=list)


class UnsupportedAction(ValueError):
    """An action the applier does not know: the script uses something this stand-in cannot check."""


def apply_actions(wb, actions: Sequence[Mapping[str, Any]]) -> Applied:
    """Replay xlwings' returned actions on the openpyxl workbook `wb`, in order."""
    applied = Applied()
    for action in actions:
        handler = _HANDLERS.get(action["func"])
        if handler is None:
            raise UnsupportedAction(action["func"])
        handler(wb, action, applied)
    return applied


def _cells(wb, action):
    ws = wb.worksheets[action["sheet_position"]]
    r0, c0 = action["start_row"] + 1, action["start_column"] + 1
    for dr in range(action["row_count"]):
        for dc in range(action["column_count"]):
            yield ws.cell(row=r0 + dr, column=c0 + dc), dr, dc


def _set_values(wb, action, applied) -> None:
    values = action["values"]
    ws = wb.worksheets[action["sheet_position"]]
    r0, c0 = action["start_row"] + 1, action["start_column"] + 1
    for dr, row in enumerate(values):
        for dc, value in enumerate(row):
            ws.cell(row=r0 + dr, column=c0 + dc).value = None if value == "" else value


def _set_range_color(wb, action, applied) -> None:
    from openpyxl.styles import PatternFill

    colour = action["args"][0]
    for cell, _, _ in _cells(wb, action):
        if colour is None:
            cell.fill = PatternFill(fill_type=None)
        else:
            hex6 = colour.lstrip("#").upper()
            cell.fill = PatternFill(fill_type="solid", start_color="FF" + hex6, end_color="FF" + hex6)


def _add_sheet(wb, action, applied) -> None:
    position, name = action["args"][0], action["args"][1]
    wb.create_sheet(title=name, index=int(position))


def _sheet_clear(wb, action, applied, *, formats: bool = True) -> None:
    from openpyxl.styles import PatternFill

    ws = wb.worksheets[action["sheet_position"]]
    for row in ws.iter_rows():
        for cell in row:
            cell.value = None
            if formats:
                cell.fill = PatternFill(fill_type=None)


def _range_clear_contents(wb, action, applied) -> None:
    for cell, _, _ in _cells(wb, action):
        cell.value = None


def _alert(wb, action, applied) -> None:
    prompt, title, buttons, mode, callback = (list(action["args"]) + [""] * 5)[:5]
    applied.alerts.append({"prompt": prompt, "title": title, "buttons": buttons, "mode": mode})


def _activate_sheet(wb, action, applied) -> None:
    wb.active = int(action["args"][0])


_HANDLERS = {
    "setValues": _set_values,
    "setRangeColor": _set_range_color,
    "addSheet": _add_sheet,
    "sheetClear": _sheet_clear,
    "sheetClearContents": lambda wb, a, ap: _sheet_clear(wb, a, ap, formats=False),
    "rangeClearContents": _range_clear_contents,
    "alert": _alert,
    "activateSheet": _activate_sheet,
}
