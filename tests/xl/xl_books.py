"""Small master workbooks written with openpyxl for the Excel-side tests (the layout `radit new` writes)."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

HEADER_LV = ["ID", "Mērķa kods", "Rezultāta kods", "Mērvienība", "Bāzes vērtība", "Prognoze 2016", "Sasniegts 2016",
             "Izlases apmērs", "Pamatojums", "Vērtējums", "Nobīde", "Pamats", "Skaidrojums"]


def write_book(path: Path, rows: Sequence[Sequence[Any]], *, header: Sequence[str] = HEADER_LV,
               settings: Sequence[Sequence[Any]] | None = (("Bāzes gads", 2012), ("Novērtējuma gads", 2016),
                                                           ("Noteikumu fails", "default.json"), ("Valoda", "lv")),
               sheet: str = "Rādītāji", extra: dict[str, Sequence[Sequence[Any]]] | None = None,
               percent_cells: Sequence[str] = ()) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    for ref in percent_cells:
        ws[ref].number_format = "0%"
    if settings is not None:
        st = wb.create_sheet("Iestatījumi")
        for row in settings:
            st.append(list(row))
    for name, values in (extra or {}).items():
        sh = wb.create_sheet(name)
        for row in values:
            sh.append(list(row))
    wb.save(path)
    return path


def row(ident: str, unit: str, forecast: Any, actual: Any, *, baseline: Any = None, n: Any = None,
        justification: Any = None, goal: str = "A", result: str = "A1") -> list[Any]:
    return [ident, goal, result, unit, baseline, forecast, actual, n, justification, None, None, None, None]
