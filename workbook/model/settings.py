"""The settings sheet (label in column A, value in column B, either language) and the evaluation year in force."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from engine.findings import Finding, Location
from workbook.model.grid import BookSource
from workbook.model.header import Layout
from workbook.model.refusal import refusal
from workbook.model.vocabulary import SETTINGS, YEAR_HEADER_EN, YEAR_HEADER_LV, normalise_header, parse_year, sheet_kind

YEAR_HEADER = {"lv": YEAR_HEADER_LV, "en": YEAR_HEADER_EN}

YEAR_SETTINGS = ("baseline_year", "evaluation_year")
_SETTING_BY_LABEL = {normalise_header(label): key for key, labels in SETTINGS.items() for label in labels}


@dataclass(frozen=True, slots=True)
class BookSettings:
    baseline_year: int | None = None
    evaluation_year: int | None = None
    rules_file: str | None = None
    language: str | None = None
    indicator_sheet: str | None = None
    cells: Mapping[str, Location] = field(default_factory=dict)  # setting -> its value cell, for messages
    labels: Mapping[str, str] = field(default_factory=dict)  # setting -> the label as the workbook writes it


def settings_sheet(source: BookSource) -> str | None:
    return next((name for name in source.sheet_names() if (sheet_kind(name) or ("",))[0] == "settings"), None)


def read_settings(source: BookSource) -> tuple[BookSettings, list[Finding]]:
    """The settings the settings sheet holds; a year that is not one is a `bad-setting` finding at its cell."""
    sheet = settings_sheet(source)
    if sheet is None:
        return BookSettings(), []
    found: dict[str, Any] = {}
    cells: dict[str, Location] = {}
    labels: dict[str, str] = {}
    findings = []
    for r, line in enumerate(source.grid(sheet).rows, start=1):
        if not line:
            continue
        key = _SETTING_BY_LABEL.get(normalise_header(line[0]))
        if key is None or key in found:
            continue
        at = Location(file=source.path, sheet=sheet, row=r, column=2, field=key)
        value = line[1] if len(line) > 1 and line[1] not in ("", None) else None
        if key in YEAR_SETTINGS and value is not None:
            year = parse_year(value)
            if year is None:
                findings.append(Finding("bad-setting", at, {"setting": str(line[0]).strip(), "text": str(value)}))
            value = year
        elif value is not None:
            value = (str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)).strip() or None
        found[key] = value
        cells[key] = at
        labels[key] = str(line[0]).strip()
    return BookSettings(**found, cells=cells, labels=labels), findings


def choose_years(path: str, sheet: str, header_row: int, layout: Layout, year: int | None, year_at: Location | None = None):
    """(forecast column, actual column, the evaluation year, findings).

    The year in force: the one asked for (command line, then settings), else the latest year with both a forecast
    and an achieved column, else the latest forecast year. A year with neither column is a refusal that lists the
    years the headers offer. The source's own slip ("Prognoze 2017" next to "Sasniegts 2016"): a lone unpaired
    column of the other kind, for another year, stands in, with a `year-mismatch` finding.
    """
    ycols = layout.year_columns
    forecasts = {y: c for (k, y), c in ycols.items() if k == "forecast"}
    actuals = {y: c for (k, y), c in ycols.items() if k == "actual"}
    # a header problem sits at a header cell: the column concerned, else the first year column, else column A
    first = min(ycols.values(), default=1)
    at = lambda col: Location(file=path, sheet=sheet, row=header_row, column=col or first)  # noqa: E731
    if year is None:
        both = sorted(set(forecasts) & set(actuals))
        year = both[-1] if both else (max(forecasts) if forecasts else (max(actuals) if actuals else None))
    if year is None:  # no year asked for and no year column: nothing could be assessed
        raise refusal("no-year-columns", year_at or at(None), year="—", kind="Forecast / Achieved",
                      kind_lv="Prognoze / Sasniegts", offered="—", offered_lv="—")
    f_col, a_col = forecasts.get(year), actuals.get(year)
    findings = []
    if f_col is None or a_col is None:
        kind_missing, others, present_col = (("forecast", forecasts, a_col) if f_col is None else ("actual", actuals, f_col))
        other_kind = "actual" if kind_missing == "forecast" else "forecast"
        unpaired = [(y, c) for y, c in others.items() if y != year and (other_kind, y) not in ycols]
        if present_col is not None and len(unpaired) == 1:
            other_year, other_col = unpaired[0]
            fy, ay = (other_year, year) if kind_missing == "forecast" else (year, other_year)
            findings.append(Finding("year-mismatch", at(other_col), {"forecast_year": fy, "actual_year": ay}))
            if kind_missing == "forecast":
                f_col = other_col
            else:
                a_col = other_col
        else:
            missing = [k for k, c in (("forecast", f_col), ("actual", a_col)) if c is None]
            ordered = sorted(ycols, key=lambda ky: (ky[1], ky[0] != "forecast"))
            words = {lang: {k: YEAR_HEADER[lang][k].split()[0] for k in YEAR_HEADER[lang]} for lang in YEAR_HEADER}
            raise refusal("no-year-columns", year_at or at(None), year=year,
                          kind=" / ".join(words["en"][k] for k in missing),
                          kind_lv=" / ".join(words["lv"][k] for k in missing),
                          offered=", ".join(YEAR_HEADER["en"][k].format(year=y) for k, y in ordered) or "—",
                          offered_lv=", ".join(YEAR_HEADER["lv"][k].format(year=y) for k, y in ordered) or "—")
    return f_col, a_col, year, findings
