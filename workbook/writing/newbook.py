"""Build master workbooks (indicator table, settings, legend) with openpyxl, deterministically."""
from __future__ import annotations

import datetime as _dt
import io
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

from workbook.model.vocabulary import (
    COLUMN_BY_FIELD,
    LEVELS,
    SETTINGS,
    SHEETS,
    TABLE_NAME,
    YEAR_HEADER_EN,
    YEAR_HEADER_LV,
)

UNITS = ("count", "money", "hours", "percent", "percent_change", "milestone", "measure")
DIRECTIONS = ("higher_is_better", "lower_is_better", "closer_is_better")
OVERRIDES = ("achieved", "worse", "better", "not_assessed")

# What the unit and direction drop-downs offer, in the book's language: (word, what the engine reads it as).
# Each unit word is an alias of rules/default.json and each direction word one of engine.rules.DIRECTION_WORDS,
# so a book built here reads back (tests/engine/test_engine_words.py). No word holds a comma: Excel's list
# separator. Any other alias or canonical name may still be typed: the drop-down only warns.
UNIT_WORDS = {
    "lv": (("skaits", "count"), ("euro", "money"), ("tūkst. euro", "money"), ("stundas", "hours"), ("%", "percent"),
           ("% izmaiņas", "percent_change"), ("jā/nē", "milestone"), ("uz 100 000 iedzīvotāju", "measure"),
           ("vidēji", "measure"), ("minūtes", "measure"), ("km", "measure"), ("indekss", "measure"),
           ("koeficients", "measure")),
    "en": (("count", "count"), ("euro", "money"), ("thousand euro", "money"), ("hours", "hours"), ("%", "percent"),
           ("% change", "percent_change"), ("yes/no", "milestone"), ("per 100 000 inhabitants", "measure"),
           ("average", "measure"), ("minutes", "measure"), ("km", "measure"), ("index", "measure"),
           ("coefficient", "measure")),
}
DIRECTION_WORDS = {
    "lv": (("augstāks ir labāks", "higher_is_better"), ("zemāks ir labāks", "lower_is_better"),
           ("tuvāk ir labāk", "closer_is_better")),
    "en": (("higher is better", "higher_is_better"), ("lower is better", "lower_is_better"),
           ("closer is better", "closer_is_better")),
}


def drop_down_choices(field: str, lang: str) -> tuple[str, ...] | None:
    """The words the drop-down of an indicator-table column offers in a book of `lang`; None: no drop-down."""
    index = 0 if lang == "lv" else 1
    if field == "unit":
        return tuple(word for word, _ in UNIT_WORDS["lv" if lang == "lv" else "en"])
    if field == "direction":
        return tuple(word for word, _ in DIRECTION_WORDS["lv" if lang == "lv" else "en"])
    if field == "override":
        return OVERRIDES
    if field == "level":
        return tuple(texts[index] for texts in LEVELS.values())
    return None

# Column order of the indicator table; ("forecast"/"actual", year) columns go where the marker is.
_BEFORE_YEARS = ("id", "goal_code", "goal", "level", "result_code", "result", "indicator", "unit", "direction",
                 "baseline_year", "baseline")
_AFTER_YEARS = ("sample_size", "override", "justification", "symbol", "deviation", "basis", "explanation")

_WIDTHS = {"id": 10, "goal_code": 7, "goal": 40, "level": 18, "result_code": 9, "result": 45, "indicator": 50,
           "unit": 15, "direction": 17, "baseline_year": 9, "baseline": 13, "forecast": 14, "actual": 14,
           "sample_size": 10, "override": 14, "justification": 60, "symbol": 11, "deviation": 12, "basis": 12,
           "explanation": 60}
_WRAPPED = {"goal", "result", "indicator", "justification", "explanation", "baseline", "forecast", "actual"}
TABLE_STYLE = "TableStyleMedium2"
VALIDATION_ROWS = 1000  # drop-downs cover the table and the rows an analyst adds below it
FIXED_TIME = _dt.datetime(2026, 1, 1, 0, 0, 0)  # document created/modified: same input, same bytes


@dataclass(frozen=True, slots=True)
class BookSpec:
    """What a master workbook holds. `rows` map field names to cell values; year columns are given
    as `forecast`/`actual` mappings {year: value}. Level is "policy_result"/"action_result" (or its text)."""

    evaluation_year: int
    baseline_year: int
    lang: str = "lv"
    rules_file: str = "default.json"
    actual_years: tuple[int, ...] = ()  # achieved-only years besides the evaluation year (no forecasts exist)
    rows: tuple[Mapping[str, Any], ...] = ()
    created: _dt.datetime = FIXED_TIME

    def __post_init__(self) -> None:
        if self.lang not in ("lv", "en"):
            raise ValueError(f"language must be 'lv' or 'en', not {self.lang!r}")


@dataclass(frozen=True, slots=True)
class TableColumn:
    field: str
    year: int | None
    header: str


def table_columns(spec: BookSpec) -> tuple[TableColumn, ...]:
    """The indicator table's columns in order, with the headers of the book's language."""
    lang = spec.lang
    year_header = YEAR_HEADER_LV if lang == "lv" else YEAR_HEADER_EN
    cols = [TableColumn(f, None, COLUMN_BY_FIELD[f].header(lang)) for f in _BEFORE_YEARS]
    for year in sorted(y for y in set(spec.actual_years) if y != spec.evaluation_year):
        cols.append(TableColumn("actual", year, year_header["actual"].format(year=year)))
    for kind in ("forecast", "actual"):
        cols.append(TableColumn(kind, spec.evaluation_year, year_header[kind].format(year=spec.evaluation_year)))
    cols += [TableColumn(f, None, COLUMN_BY_FIELD[f].header(lang)) for f in _AFTER_YEARS]
    return tuple(cols)


def settings_rows(spec: BookSpec) -> tuple[tuple[str, Any], ...]:
    """(label, value) pairs of the settings sheet, labels in the book's language."""
    index = 0 if spec.lang == "lv" else 1
    values = {"baseline_year": spec.baseline_year, "evaluation_year": spec.evaluation_year,
              "rules_file": spec.rules_file, "language": spec.lang}
    # settings a new book leaves to their default (such as the indicator sheet) get no row
    return tuple((labels[index], values[key]) for key, labels in SETTINGS.items() if key in values)


def level_text(value: Any, lang: str) -> Any:
    """'policy_result' -> 'Politikas rezultāts' (or 'Policy result'); anything else unchanged."""
    if isinstance(value, str) and value in LEVELS:
        return LEVELS[value][0 if lang == "lv" else 1]
    return value


def build_workbook(spec: BookSpec, rules: Any | None = None):
    """The master workbook as an openpyxl Workbook (not saved)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.properties.creator = "radit"
    wb.properties.created = spec.created
    wb.properties.modified = spec.created
    wb.properties.lastModifiedBy = "radit"
    _fill_indicator_sheet(wb.active, spec)
    _fill_settings_sheet(wb.create_sheet(SHEETS["settings"][spec.lang]), spec)
    _fill_legend_sheet(wb.create_sheet(SHEETS["legend"][spec.lang]), spec, rules)
    wb.active = 0
    return wb


def write_master(path: str | os.PathLike, spec: BookSpec, *, rules: Any | None = None, overwrite: bool = False) -> Path:
    """Write the master workbook to `path`; refuses to replace an existing file unless `overwrite`."""
    from workbook.errors import WorkbookError

    path = Path(path)
    if path.exists() and not overwrite:
        raise WorkbookError(str(path), "file-exists", "the file exists already; use --force to replace it")
    if path.suffix.lower() != ".xlsx":
        raise WorkbookError(str(path), "not-xlsx", "a master workbook is written as .xlsx")
    data = workbook_bytes(build_workbook(spec, rules))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)  # never leaves a half-written workbook behind
    return path


def workbook_bytes(wb) -> bytes:
    """Serialise without openpyxl's save_workbook, which stamps the current time, and with fixed zip times."""
    from openpyxl.writer.excel import ExcelWriter

    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).write_data()
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def _fill_indicator_sheet(ws, spec: BookSpec) -> None:
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.table import Table, TableStyleInfo

    ws.title = SHEETS["indicators"][spec.lang]
    columns = table_columns(spec)
    for index, column in enumerate(columns, start=1):
        ws.cell(row=1, column=index, value=column.header)
        ws.column_dimensions[get_column_letter(index)].width = _WIDTHS.get(column.field, 14)
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for offset, row in enumerate(spec.rows):
        for index, column in enumerate(columns, start=1):
            value = _cell_value(row, column, spec.lang)
            cell = ws.cell(row=2 + offset, column=index, value=value)
            cell.alignment = wrap if column.field in _WRAPPED else top
    # An Excel table always has a body row, so an empty book gets one empty row.
    last_row = 1 + max(len(spec.rows), 1)
    last_col = get_column_letter(len(columns))
    table = Table(displayName=TABLE_NAME[spec.lang], ref=f"A1:{last_col}{last_row}")
    table.tableStyleInfo = TableStyleInfo(name=TABLE_STYLE, showRowStripes=True, showColumnStripes=False,
                                          showFirstColumn=False, showLastColumn=False)
    ws.add_table(table)
    ws.freeze_panes = "B2"  # header row and id column stay in view
    ws.row_dimensions[1].height = 30
    for cell in ws[1]:
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    _add_validations(ws, spec, columns, max(last_row, VALIDATION_ROWS))


def _cell_value(row: Mapping[str, Any], column: TableColumn, lang: str) -> Any:
    if column.year is not None:
        by_year = row.get(column.field) or {}
        return by_year.get(column.year, by_year.get(str(column.year))) if isinstance(by_year, Mapping) else None
    value = row.get(column.field)
    return level_text(value, lang) if column.field == "level" else value


def _add_validations(ws, spec: BookSpec, columns: Sequence[TableColumn], last_row: int) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    for index, column in enumerate(columns, start=1):
        choices = drop_down_choices(column.field, spec.lang)
        if column.year is not None or choices is None:
            continue
        letter = get_column_letter(index)
        # A warning, not a stop: rule files accept aliases (EUR, skaits, ▼ …) that the list does not show.
        dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True,
                            showDropDown=False,  # openpyxl's showDropDown=True would *hide* the arrow
                            showErrorMessage=True, errorStyle="warning")
        dv.error = ("Vērtības nav sarakstā; radit to pārbaudīs pēc noteikumu faila." if spec.lang == "lv"
                    else "The value is not in the list; radit checks it against the rule file.")
        dv.errorTitle = COLUMN_BY_FIELD[column.field].header(spec.lang)
        dv.add(f"{letter}2:{letter}{last_row}")
        ws.add_data_validation(dv)


def _fill_settings_sheet(ws, spec: BookSpec) -> None:
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    rows = settings_rows(spec)
    for row, (label, value) in enumerate(rows, start=1):
        ws.cell(row=row, column=1, value=label).font = Font(bold=True)
        ws.cell(row=row, column=2, value=value)
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 24
    language = DataValidation(type="list", formula1='"lv,en"', allow_blank=False)
    language_label = SETTINGS["language"][0 if spec.lang == "lv" else 1]
    language.add(f"B{1 + [label for label, _ in rows].index(language_label)}")
    ws.add_data_validation(language)


def _fill_legend_sheet(ws, spec: BookSpec, rules: Any | None) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    from workbook.writing.legend import HEADERS, TITLE, legend_rows

    ws.cell(row=1, column=1, value=TITLE[spec.lang]).font = Font(bold=True)
    for col, header in enumerate(HEADERS[spec.lang], start=1):
        ws.cell(row=3, column=col, value=header).font = Font(bold=True)
    for offset, entry in enumerate(legend_rows(rules, spec.lang)):
        row = 4 + offset
        symbol = ws.cell(row=row, column=1, value=entry.symbol)
        symbol.fill = PatternFill(fill_type="solid", fgColor="FF" + entry.colour.lstrip("#").upper())
        symbol.alignment = Alignment(horizontal="center", vertical="center")
        ws.cell(row=row, column=2, value=entry.label).alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(row=row, column=3, value=entry.description).alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 10
    ws.column_dimensions["B"].width = 34
    ws.column_dimensions["C"].width = 90


def read_snapshot(path: str | os.PathLike) -> dict[str, Any]:
    """The content of a master workbook that `radit sample build --check` compares: sheet names, the
    indicator table's definition and every cell value in it, the settings, the drop-downs, frozen panes.

    The legend's cells are left out: they come from the rule file's texts, not from the sample's source,
    and `radit evaluate` rewrites them."""
    from openpyxl import load_workbook

    wb = load_workbook(path)  # not read-only: tables and validations are only loaded in normal mode
    snapshot: dict[str, Any] = {"sheets": wb.sheetnames, "tables": {}, "cells": {}, "validations": {}}
    legend_names = set(SHEETS["legend"].values())
    for ws in wb.worksheets:
        for table in ws.tables.values():
            style = table.tableStyleInfo
            snapshot["tables"][table.displayName] = {"sheet": ws.title, "ref": table.ref,
                                        "style": style.name if style else None,
                                        "columns": [c.name for c in table.tableColumns]}
        if ws.title not in legend_names:
            snapshot["cells"][ws.title] = [list(row) for row in ws.iter_rows(values_only=True)]
        snapshot["validations"][ws.title] = sorted(
            (str(dv.sqref), dv.type, dv.formula1) for dv in ws.data_validations.dataValidation)
        snapshot.setdefault("freeze", {})[ws.title] = ws.freeze_panes
    return snapshot


def compare_snapshots(expected: Mapping[str, Any], actual: Mapping[str, Any], limit: int = 20) -> list[str]:
    """Human-readable differences between two snapshots, at most `limit`; empty when they match."""
    from openpyxl.utils import get_column_letter

    problems: list[str] = []
    for key in ("sheets", "tables", "validations", "freeze"):
        if expected.get(key) != actual.get(key):
            problems.append(f"{key} differ: expected {expected.get(key)!r}, found {actual.get(key)!r}")
    for sheet, rows in expected["cells"].items():
        found = actual["cells"].get(sheet)
        if found is None:
            continue  # already reported under sheets
        for r in range(max(len(rows), len(found))):
            want = rows[r] if r < len(rows) else []
            have = found[r] if r < len(found) else []
            for c in range(max(len(want), len(have))):
                a = want[c] if c < len(want) else None
                b = have[c] if c < len(have) else None
                if a != b:
                    problems.append(f"'{sheet}'!{get_column_letter(c + 1)}{r + 1}: expected {a!r}, found {b!r}")
                    if len(problems) >= limit:
                        return problems
    return problems[:limit]
