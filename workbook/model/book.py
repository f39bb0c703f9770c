"""The one model of a master workbook: read_book decides, for any source, every question both routes must answer alike.

Which sheet and table (workbook.model.table), the header and its columns (header), the settings and the years
(settings), the rule file (rule_choice) and each row's engine input with its findings (rows). A source only fills
grids (workbook.model.grid); `radit evaluate`, `validate`, the report, the Excel add-in and the pytest plugin all
read a workbook through read_book.
"""
from __future__ import annotations

import contextlib
import dataclasses
import gc
from dataclasses import dataclass, field
from typing import Any, Mapping

from engine.findings import Finding, Location
from workbook.model.grid import BookSource
from workbook.model.refusal import refusal
from workbook.model.rows import IndicatorRow, read_rows
from workbook.model.rule_choice import EMBEDDED_SHEET, RuleChoice, choose_rules, embedded_text
from workbook.model.settings import BookSettings, choose_years, read_settings
from workbook.model.table import TableRef, find_table, merged_in_table, rows_below
from workbook.model.vocabulary import COLUMN_BY_FIELD, OUTPUT_FIELDS, book_language

__all__ = ["BookSettings", "IndicatorRow", "MasterBook", "TableRef", "read_book", "gc_paused"]


@dataclass(frozen=True)
class MasterBook:
    path: str
    settings: BookSettings
    sheet: str
    table: TableRef
    columns: Mapping[str, int]
    year_columns: Mapping[tuple[str, int], int]
    rows: tuple[IndicatorRow, ...]
    findings: tuple[Finding, ...]
    year: int | None = None  # the evaluation year in force (command line, then settings, then the table)
    field_columns: Mapping[str, int] = field(default_factory=dict)  # every input/output field incl. forecast/actual
    input_columns: Mapping[str, list] = field(default_factory=dict, repr=False)  # engine input by field, aligned with rows
    rule_choice: RuleChoice | None = None
    lang: str = "lv"  # the language radit writes this book in
    headers: Mapping[str, str] = field(default_factory=dict)  # field -> its header as the workbook writes it

    @property
    def rules(self):
        return self.rule_choice.rules if self.rule_choice is not None else None

    def locate(self, finding: Finding, row: int) -> Finding:
        """An engine finding (located by field) at its cell: this book, the indicator sheet, the row, the field's
        column; the field named by the workbook's own header (“Sasniegts 2016”, not `actual`)."""
        # a field the table has no column for (a justification, say): the row's id cell, so the place is a cell
        column = self.field_columns.get(finding.location.field) or self.field_columns.get("id") or self.table.first_col
        located = finding.at(file=self.path, sheet=self.sheet, row=row, column=column)
        return in_own_words(located, self.headers)

    def location(self, fld: str | None, row: int | None, indicator: str | None = None) -> Location:
        """The sheet cell of a logical field in a row (no column when the table lacks the field)."""
        col = self.field_columns.get(fld) if fld else None
        return Location(file=self.path, sheet=self.sheet, row=row, column=col, field=fld, indicator=indicator)

    def require_output_columns(self) -> None:
        """Evaluate writes into the table's output columns: a table with none of them is a refusal on every route."""
        if not any(f in self.field_columns for f in OUTPUT_FIELDS):
            headers = ", ".join(COLUMN_BY_FIELD[f].header(self.lang) for f in OUTPUT_FIELDS)
            raise refusal("no-output-columns", Location(file=self.path, sheet=self.sheet, row=self.table.header_row),
                          headers=headers)


def read_book(source: BookSource, *, year: int | None = None, rules: Any = None, lang: str | None = None) -> MasterBook:
    """The master workbook `source` holds, every decision made: a refusal (RaditError) when it cannot be assessed.

    `rules` is the caller's rule file (a path or engine.Rules), which wins over the settings; `year` and `lang` the
    caller's, which win likewise.
    """
    with gc_paused():
        return _read(source, year, rules, lang)


def _read(source: BookSource, year, rules, lang) -> MasterBook:
    path = source.path
    settings, findings = read_settings(source)
    setting_at = lambda key: settings.cells.get(key, Location(file=path))  # noqa: E731
    found = find_table(source, settings.indicator_sheet, setting_at("indicator_sheet"))
    sheet, table, layout = found.sheet, found.table, found.layout
    header_at = Location(file=path, sheet=sheet, row=table.header_row)
    findings += [f.at(file=path, sheet=sheet, row=table.header_row) for f in layout.findings]
    for fld in ("id", "unit"):
        if fld not in layout.columns:
            column = COLUMN_BY_FIELD[fld]
            findings.append(Finding("missing-column", header_at.replace(field=fld, column=table.first_col),
                                    {"column": column.header(book_language(lang, settings.language, sheet)),
                                     "headers": ", ".join(column.headers())}))
    asked = year if year is not None else settings.evaluation_year
    f_col, a_col, year, year_findings = choose_years(path, sheet, table.header_row, layout, asked,
                                                    setting_at("evaluation_year") if year is None else None)
    findings += year_findings

    embedded = _embedded(source)
    choice = choose_rules(settings.rules_file, book_dir=source.book_dir, embedded=embedded, given=rules,
                          setting_at=setting_at("rules_file"))

    fields = dict(layout.columns)
    if f_col:
        fields["forecast"] = f_col
    if a_col:
        fields["actual"] = a_col

    grid = source.grid(sheet)
    findings += merged_in_table(grid, table, path, sheet)
    findings += rows_below(grid, table, path, sheet)
    headers = _headers(grid, table.header_row, fields)
    del grid
    years = {"forecast_year": _year_of(layout, f_col), "actual_year": _year_of(layout, a_col),
             "baseline_year": settings.baseline_year}
    # read_rows gets the sheet's last reference (source.take) and frees it once its columns are out
    rows, row_findings, input_columns = read_rows(path, source.take(sheet), table, fields, choice.rules, years)
    findings += row_findings
    findings = [in_own_words(f, headers) for f in findings]
    return MasterBook(path, settings, sheet, table, dict(layout.columns), dict(layout.year_columns), tuple(rows),
                      tuple(findings), year, fields, input_columns, choice, book_language(lang, settings.language, sheet),
                      headers)


def in_own_words(finding: Finding, headers: Mapping[str, str]) -> Finding:
    """The finding with its `field` parameter as the workbook's header text, where the workbook has that column."""
    name = finding.params.get("field")
    if name.__class__ is not str or name not in headers:
        return finding
    return dataclasses.replace(finding, params={**finding.params, "field": headers[name]})


def _headers(grid, header_row: int, fields: Mapping[str, int]) -> dict[str, str]:
    if header_row > len(grid.rows):
        return {}
    line = grid.rows[header_row - 1]
    out = {}
    for fld, col in fields.items():
        v = line[col - 1] if col - 1 < len(line) else None
        if v not in (None, ""):
            out[fld] = " ".join(str(v).split())
    return out


def _year_of(layout, col: int | None) -> int | None:
    return next((y for (_, y), c in layout.year_columns.items() if c == col), None) if col else None


def _embedded(source: BookSource) -> str | None:
    if EMBEDDED_SHEET not in source.sheet_names():
        return None
    return embedded_text(source.grid(EMBEDDED_SHEET).rows)


@contextlib.contextmanager
def gc_paused():
    """No cyclic garbage collection while hundreds of thousands of acyclic rows are built: it would
    rescan them again and again (a third of the reading time) and find nothing to free."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
