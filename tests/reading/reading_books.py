"""Builders of real master workbooks for the reading and validation tests (openpyxl, in tmp_path)."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Sequence

import openpyxl
from openpyxl.worksheet.table import Table

HEAD_LV = ["ID", "Mērvienība", "Virziens", "Bāzes vērtība", "Prognoze 2016", "Sasniegts 2016", "Izlases apmērs",
           "Analītiķa vērtējums", "Pamatojums", "Vērtējums"]
HEAD_EN = ["Indicator ID", "Unit", "Direction", "Baseline", "Forecast 2016", "Achieved 2016", "Sample size",
           "Analyst override", "Justification", "Assessment"]

# id, unit, direction, baseline, forecast, actual, sample, override, justification, stored symbol
GOOD_ROWS = [
    ["A.1", "count", None, 8, 36000, 35280, None, None, None, None],  # −2 %: achieved
    ["A.2", "percent", None, 15, 17, 17, 500, None, None, None],
    ["B.1", "money", "lower_is_better", None, 1000, 1021, None, None, None, None],  # worse
]


def build_book(path: Path, rows: Sequence[Sequence[Any]] = GOOD_ROWS, *, headers: Sequence[str] = HEAD_LV,
               table: bool = True, sheet: str = "Rādītāji", settings: dict[str, Any] | None = None,
               origin: tuple[int, int] = (1, 1), extra_sheet: bool = True,
               edit: Callable[[Any], None] | None = None) -> Path:
    """A master workbook: headers and rows at `origin` (row, col), an Excel table over them, a settings sheet."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    r0, c0 = origin
    for j, h in enumerate(headers):
        ws.cell(r0, c0 + j, h)
    for i, row in enumerate(rows, start=1):
        for j, v in enumerate(row):
            if v is not None:
                ws.cell(r0 + i, c0 + j, v)
    if table:
        last = ws.cell(r0 + max(len(rows), 1), c0 + len(headers) - 1).coordinate
        ws.add_table(Table(displayName="Raditaji", ref=f"{ws.cell(r0, c0).coordinate}:{last}"))
    st = wb.create_sheet("Iestatījumi")
    for i, (k, v) in enumerate((settings if settings is not None else {"Bāzes gads": 2012, "Novērtējuma gads": 2016}).items(), 1):
        st.cell(i, 1, k)
        st.cell(i, 2, v)
    if extra_sheet:
        other = wb.create_sheet("Piezīmes")
        other["A1"] = "ID"
        other["B1"] = "Mērvienība"
        other["A2"] = "not an indicator"
    if edit:
        edit(ws)
    wb.save(path)
    return path


def rewrite_part(path: Path, name: str, change: Callable[[bytes], bytes]) -> Path:
    """The workbook at `path` with its part `name` replaced by change(part), every other member as it was."""
    import os
    import shutil
    import tempfile
    import zipfile

    fd, tmp = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            dst.writestr(info, change(data) if info.filename == name else data)
    shutil.move(tmp, path)
    return path
