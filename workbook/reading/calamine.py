"""The headless source of the model: a master workbook file, its sheets read by python-calamine behind the package guard.

What calamine cannot tell (formulas without a cached value, cells in a percent number format) comes from targeted
scans of the sheet XML (workbook.reading.index). Nothing is decided here: workbook.model.book decides.
"""
from __future__ import annotations

import os
from typing import Any

from engine.findings import Location
from workbook.errors import WorkbookError
from workbook.model.book import MasterBook, gc_paused, read_book
from workbook.model.grid import SheetGrid, TableInfo
from workbook.model.vocabulary import sheet_kind
from workbook.reading import index as reader

_OPEN_ASIDE_BYTES = 4 << 20  # a sheet this large: calamine opens the workbook while radit scans the sheet
# A sheet this large (an indicator table of some 4 000 rows or more) will probably be assessed by the engine's
# numpy path: numpy is imported in a thread while calamine parses it (without the GIL), not after the reading.
WARM_SHEET_BYTES = 2 << 20


def read_master(path, *, year: int | None = None, limits=None, rules=None, lang: str | None = None) -> MasterBook:
    """The model of the master workbook file at `path` (see workbook.model.book.read_book)."""
    path = str(path)
    with gc_paused():
        with CalamineSource(path, limits) as source:
            return read_book(source, year=year, rules=rules, lang=lang)


class CalamineSource:
    """Sheet grids of a workbook file, read once each: python-calamine, or openpyxl (read-only) where calamine fails."""

    def __init__(self, path: str, limits=None):
        self.path = path
        self.book_dir = os.path.dirname(os.path.abspath(path))
        self.limits = limits
        self.package = reader.open_package(path, limits)
        try:
            self.index = reader.read_index(path, self.package)
        except BaseException:
            self.close()
            raise
        self._book = None  # one python-calamine workbook for every sheet read
        self._cache: dict[str, SheetGrid] = {}
        self._scans: dict[str, tuple] = {}  # a large sheet's XML scans, made while calamine opened the workbook
        self._warmed = False  # numpy's import started for a sheet of this book (see WARM_SHEET_BYTES)

    def __enter__(self) -> "CalamineSource":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        close = getattr(self.package, "close", None)
        if close:
            close()

    def sheet_names(self) -> list[str]:
        return [s.name for s in self.index.sheets]

    def tables(self) -> list[TableInfo]:
        return [TableInfo(t.name, t.sheet, t.ref, t.first_row, t.first_col, t.last_row, t.last_col, t.header_rows, t.columns)
                for t in self.index.tables if self.index.sheet(t.sheet) is not None]

    def grid(self, name: str) -> SheetGrid:
        if name not in self._cache:
            self._cache[name] = self._load(name)
        return self._cache[name]

    def take(self, name: str) -> SheetGrid:
        grid = self.grid(name)
        del self._cache[name]
        return grid

    def _load(self, name: str) -> SheetGrid:
        import python_calamine as pc

        entry = self.index.sheet(name)
        opening = None
        big = self._big_sheet() if self._book is None else None
        if big is not None:
            # calamine opens the workbook (shared strings, styles; not the sheet) in a thread, without the GIL,
            # while this one inflates and scans the large sheet: the extent check still comes before any sheet
            # is read. When a small sheet (the settings) is asked for first, the large one is scanned meanwhile,
            # for when it is read.
            opening = _Opening(self.path)
        try:
            no_value, percent = self._scanned(entry) if entry is not None else ({}, set())
            if big is not None and big is not entry and big.name not in self._scans:
                try:
                    self._scans[big.name] = self._scan(big)
                except WorkbookError:  # said again if that sheet is read, not for one that is not
                    pass
        finally:
            opened = opening.result() if opening is not None else None  # never left running behind a refusal
        try:
            if self._book is None:
                if isinstance(opened, BaseException):
                    raise opened
                self._book = opened if opened is not None else pc.CalamineWorkbook.from_path(self.path)
            if not self._warmed and entry is not None and self._part_size(entry.part) >= WARM_SHEET_BYTES:
                # calamine parses the sheet without the GIL: numpy's import runs beside it. Started here, after
                # the opening thread has ended, it reuses that thread's malloc arena: a thread of its own at the
                # start cost 64 MB more address space, which under a 1 GiB cap tipped a 100 000-row evaluate over.
                _warm_engine()
                self._warmed = True
            sheet = self._book.get_sheet_by_name(name)
            rows = sheet.to_python(skip_empty_area=False)
            merged = list(sheet.merged_cell_ranges or [])
        except Exception:  # calamine refuses some files openpyxl still reads (odd XML, missing dimensions)
            rows = self._load_openpyxl(name)  # read-only openpyxl does not read merged cells: the sheet's XML tells
            merged = reader.merged_ranges(self.package.read(entry.part)) if entry is not None else []
        return SheetGrid(name, rows, percent, no_value, merged)

    def _scanned(self, entry) -> tuple[dict[tuple[int, int], str], set[tuple[int, int]]]:
        return self._scans.pop(entry.name) if entry.name in self._scans else self._scan(entry)

    def _scan(self, entry) -> tuple[dict[tuple[int, int], str], set[tuple[int, int]]]:
        """What calamine cannot tell of a sheet, from its XML, after the extent check calamine needs first."""
        xml = self.package.read(entry.part)
        reader.check_extent(self.path, entry.name, xml, self.limits)  # before calamine, which aborts on huge ranges
        no_value = {(c.row, c.column): c.formula for c in reader.formulas_without_value(xml)}
        percent = reader.cells_with_styles(xml, self.index.percent_styles) if self.index.percent_styles else set()
        return no_value, percent  # the XML is freed before calamine builds its own copy of the values

    def _big_sheet(self):
        """The largest sheet of _OPEN_ASIDE_BYTES or more that may hold the indicators (not the settings, not radit's
        own sheets), if any: only a guess of what will be read next, to overlap work; it decides nothing."""
        sizes = [(self._part_size(s.part), s) for s in self.index.sheets
                 if (sheet_kind(s.name) or ("indicators",))[0] == "indicators"]
        size, sheet = max(sizes, key=lambda item: item[0], default=(0, None))
        return sheet if size >= _OPEN_ASIDE_BYTES else None

    def _part_size(self, part: str) -> int:
        try:
            return self.package.zip.getinfo(part).file_size
        except Exception:  # no zip at hand or no such part: the plain order
            return 0

    def _load_openpyxl(self, name: str) -> list[list[Any]]:
        import openpyxl

        try:
            wb = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
            try:
                ws = wb[name]
                grid = [["" if v is None else v for v in row] for row in ws.iter_rows(values_only=True)]
                width = max((len(line) for line in grid), default=0)
                grid = [line + [""] * (width - len(line)) for line in grid]  # rectangular, like calamine's
            finally:
                wb.close()
        except Exception as exc:
            raise WorkbookError(self.path, "unreadable", location=Location(sheet=name), template="unreadable.sheet",
                                reason=type(exc).__name__) from None
        return grid


def _warm_engine() -> None:
    """Start a thread importing what the engine's numpy path needs (engine.batch.import_fast_path). It may
    outlive the reading (the engine's own import of numpy waits for it); a fork waits for it to end."""
    import sys

    from workbook.forked import start_aside

    if "numpy" in sys.modules:  # imported already (an earlier workbook of the process, pandas): nothing to wait for
        return

    def warm() -> None:
        from engine.batch import import_fast_path

        import_fast_path()

    start_aside(warm, "import numpy")


class _Opening:
    """python-calamine's CalamineWorkbook.from_path in a thread; result() is the workbook or the exception."""

    def __init__(self, path: str):
        import threading

        self._out: Any = None
        self._thread = threading.Thread(target=self._run, args=(path,), name="calamine open", daemon=True)
        self._thread.start()

    def _run(self, path: str) -> None:
        import python_calamine as pc

        try:
            self._out = pc.CalamineWorkbook.from_path(path)
        except BaseException as exc:  # handed to the reading thread, which falls back as it would have
            self._out = exc.with_traceback(None)

    def result(self) -> Any:
        self._thread.join()
        return self._out
