"""A merged range in the header row that hides a column's header is refused as what it is, `merged-header` at the
range's first cell, by the model: the headless source (python-calamine, or the sheet's XML where openpyxl reads it)
and the desktop Excel source (xlwings' merge_cells / merge_area) alike. A source that cannot see merged cells
(xlwings' remote engines) still refuses the book, by the column the merge hid (`no-year-columns`)."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from workbook.errors import WorkbookError
from workbook.excel.source import XlwingsSource, _merged
from workbook.model.book import read_book
from workbook.reading.calamine import read_master
from workbook.validation.validate import validate_book

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "seed-2016.xlsx"
SHEET = "Rādītāji"


def _merged_book(tmp_path: Path, cells: str, name: str = "merged.xlsx") -> Path:
    """The sample with `cells` merged on the indicator sheet (openpyxl clears every cell of the range but the first)."""
    wb = openpyxl.load_workbook(SAMPLE)
    wb[SHEET].merge_cells(cells)
    wb.save(tmp_path / name)
    return tmp_path / name


def refused(path: Path) -> tuple[str, str | None, str | None]:
    error = validate_book(path).error
    assert error is not None
    return error.code, error.location.sheet, error.location.cell


def test_the_achieved_header_merged_under_the_forecast_is_named(tmp_path):
    """'Prognoze 2016' merged over N1:O1: the merge is the cause, not the year without its achieved column."""
    path = _merged_book(tmp_path, "N1:O1")
    assert refused(path) == ("merged-header", SHEET, "N1")
    error = validate_book(path).error
    assert (error.params["range"], error.params["header"]) == ("N1:O1", "Prognoze 2016")
    assert "Sasniegts 2016" in error.params["hidden"]  # the Excel table's definition still names the column
    with pytest.raises(WorkbookError) as caught:
        read_master(path)
    assert (caught.value.code, caught.value.location.cell) == ("merged-header", "N1")


@pytest.mark.parametrize("cells, first", [("A1:B1", "A1"), ("H1:I2", "H1"), ("R1:V1", "R1")])
def test_any_merge_over_header_cells_of_an_excel_table_is_refused(tmp_path, cells, first):
    """An Excel table names every column (Excel cannot merge a table's header): a merge there always hides one."""
    assert refused(_merged_book(tmp_path, cells)) == ("merged-header", SHEET, first)


def test_a_merge_down_one_column_hides_no_header(tmp_path):
    """N1:N2 hides the forecast of row 2, not a header: the merged-cells warning at N1, as before."""
    report = validate_book(_merged_book(tmp_path, "N1:N2"))
    assert report.error is None
    assert [(f.code, f.location.cell) for f in report.findings if f.code == "merged-cells"] == [("merged-cells", "N1")]


def test_a_plain_header_row_merged_over_a_column_with_data_is_refused(book):
    """Without an Excel table (the sheet named Rādītāji, its header row found): E1:F1 hides the header of F, whose
    cells hold the achieved values."""
    path = book(table=False, edit=lambda ws: ws.merge_cells("E1:F1"))
    assert refused(path) == ("merged-header", SHEET, "E1")


def test_a_plain_header_row_merged_over_an_empty_column_is_only_a_warning(book):
    """The analyst's own header 'Piezīmes' (L1) merged over L1:M1 in a plain header row, column M empty: the merge
    hides nothing radit could see, so it is the merged-cells warning."""
    def edit(ws):
        ws["L1"], ws["L2"] = "Piezīmes", "skat. pielikumu"
        ws["N1"] = "Avots"  # the header row reaches past M, so M is inside the table
        ws.merge_cells("L1:M1")

    report = validate_book(book(table=False, edit=edit))
    assert report.error is None
    assert [(f.code, f.location.cell) for f in report.findings if f.code == "merged-cells"] == [("merged-cells", "L1")]


def test_the_sheet_xml_tells_the_merges_where_openpyxl_reads_the_sheet(tmp_path, monkeypatch):
    """python-calamine failing, openpyxl (read-only, which skips merged cells) reads the values; the merges come from
    the sheet's <mergeCell> elements, so the refusal is the same."""
    import python_calamine

    class Failing:
        @staticmethod
        def from_path(path):
            raise RuntimeError("calamine refuses this file")

    monkeypatch.setattr(python_calamine, "CalamineWorkbook", Failing)
    assert refused(_merged_book(tmp_path, "N1:O1")) == ("merged-header", SHEET, "N1")


# --- the Excel route: an xlwings Book over the same file ----------------------------------------------------

class _Range:
    """What radit's xlwings source calls on a Range, over an openpyxl sheet; `remote` raises for merged cells as
    xlwings' remote engines (Lite, the server) do."""

    def __init__(self, sheet: "_Sheet", r1: int, c1: int, r2: int | None = None, c2: int | None = None):
        self.sheet, self.row, self.column = sheet, r1, c1
        self.r2, self.c2 = (r1 if r2 is None else r2), (c1 if c2 is None else c2)

    @property
    def last_cell(self) -> "_Range":
        return _Range(self.sheet, self.r2, self.c2)

    def options(self, **_: Any) -> "_Range":
        return self

    @property
    def value(self):
        ws = self.sheet.ws
        return [[ws.cell(r, c).value for c in range(self.column, self.c2 + 1)] for r in range(self.row, self.r2 + 1)]

    def _areas(self):
        return [m for m in self.sheet.ws.merged_cells.ranges
                if m.min_row <= self.r2 and self.row <= m.max_row and m.min_col <= self.c2 and self.column <= m.max_col]

    @property
    def merge_cells(self):
        self.sheet.calls += 1
        if self.sheet.remote:
            raise NotImplementedError("Reading whether cells are merged synchronously isn't supported on this engine.")
        merged = sum((min(m.max_row, self.r2) - max(m.min_row, self.row) + 1) * (min(m.max_col, self.c2) - max(m.min_col, self.column) + 1)
                     for m in self._areas())
        size = (self.r2 - self.row + 1) * (self.c2 - self.column + 1)
        return False if merged == 0 else True if merged == size else None

    @property
    def merge_area(self) -> "_Range":
        self.sheet.calls += 1
        if self.sheet.remote:
            raise NotImplementedError("Reading the merge area synchronously isn't supported on this engine.")
        m = next(iter(self._areas()), None)
        return _Range(self.sheet, m.min_row, m.min_col, m.max_row, m.max_col) if m else self


class _Table:
    def __init__(self, sheet: "_Sheet", table):
        from openpyxl.utils.cell import range_boundaries

        c1, r1, c2, r2 = range_boundaries(table.ref)
        self.name = table.displayName
        self.header_row_range = _Range(sheet, r1, c1, r1, c2)
        self.data_body_range = _Range(sheet, r1 + 1, c1, r2, c2) if r2 > r1 else None


class _Sheet:
    def __init__(self, ws, remote: bool):
        self.ws, self.name, self.remote, self.calls = ws, ws.title, remote, 0

    @property
    def used_range(self) -> _Range:
        return _Range(self, self.ws.min_row, self.ws.min_column, self.ws.max_row, self.ws.max_column)

    def range(self, first, last=None) -> _Range:
        return _Range(self, *first, *(last or first))

    @property
    def tables(self):
        return [_Table(self, t) for t in self.ws.tables.values()]


class _Book:
    def __init__(self, path: Path, remote: bool):
        wb = openpyxl.load_workbook(path)
        self.sheets = [_Sheet(ws, remote) for ws in wb.worksheets]
        self.name, self.fullname = path.name, str(path)


def _excel_refusal(path: Path, remote: bool) -> tuple[str, str | None, str | None]:
    with pytest.raises(WorkbookError) as caught:
        read_book(XlwingsSource(_Book(path, remote)))
    return caught.value.code, caught.value.location.sheet, caught.value.location.cell


@pytest.mark.parametrize("cells", ["N1:O1", "A1:B1", "H1:I2"])
def test_desktop_excel_refuses_a_merged_header_as_the_headless_route_does(tmp_path, cells):
    path = _merged_book(tmp_path, cells)
    assert _excel_refusal(path, remote=False) == refused(path)


def test_a_remote_engine_cannot_see_the_merge_and_refuses_by_the_hidden_column(tmp_path):
    """The documented difference: xlwings Lite and the server cannot tell merged cells synchronously, so the model
    refuses the year without its achieved column, at the evaluation year's setting."""
    path = _merged_book(tmp_path, "N1:O1")
    code, sheet, cell = _excel_refusal(path, remote=True)
    assert (code, sheet, cell) == ("no-year-columns", "Iestatījumi", "B2")


def test_desktop_excel_finds_merged_ranges_in_few_calls(tmp_path):
    wb = openpyxl.load_workbook(SAMPLE)
    ws = wb[SHEET]
    plain = _Sheet(ws, remote=False)
    assert _merged(plain) == [] and plain.calls == 1  # nothing merged: one call
    for cells in ("N1:O1", "C10:D12"):
        ws.merge_cells(cells)
    merged = _Sheet(ws, remote=False)
    assert sorted(_merged(merged)) == [((0, 13), (0, 14)), ((9, 2), (11, 3))]
    assert merged.calls < 150  # halving to the merged cells, not one call per cell of 28 × 22
    assert _merged(_Sheet(ws, remote=True)) is None


def test_a_book_without_merges_reads_alike_on_both_routes(tmp_path):
    path = shutil.copyfile(SAMPLE, tmp_path / "sample.xlsx")
    headless = read_master(path)
    excel = read_book(XlwingsSource(_Book(Path(path), remote=False)))
    assert [r.values.get("id") for r in headless.rows] == [r.values.get("id") for r in excel.rows]
    assert not [f for f in headless.findings + excel.findings if f.code in ("merged-cells", "merged-header")]
