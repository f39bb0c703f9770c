"""The custom functions' work, free of xlwings: ASSESS, DEVIATION and ASSESS_TABLE through engine.assess and the default rules.

Bad input raises UdfInputError with a one-line reason; each runtime's adapter turns it into an Excel
error value (workbook/lite: #VALUE! with the reason as the error's message; classic: "#VALUE! reason").
"""
from __future__ import annotations

from typing import Any, Sequence

from workbook.model.header import locate_columns
from workbook.model.rows import scale_fractions
from workbook.model.vocabulary import YEAR_KEYWORDS, normalise_header

# Findings on these fields mean the formula's arguments are wrong, not merely that the data is thin.
ARGUMENT_FIELDS = ("unit", "direction", "baseline", "forecast", "actual", "sample_size")
DEFAULT_UNIT = "count"
TABLE_HEADER = ("id", "status", "symbol", "deviation", "explanation")
ERROR = "#VALUE!"


class UdfInputError(ValueError):
    """A custom function's arguments cannot be assessed; str() is the reason shown in Excel."""


def _rules():
    import engine

    return engine.default_rules()


def _blank(value: Any) -> Any:
    return None if value is None or (isinstance(value, str) and not value.strip()) else value


def assess_args(forecast: Any, actual: Any, baseline: Any = None, unit: Any = None, direction: Any = None,
                sample_size: Any = None, *, indicator_id: str = "UDF", rules: Any = None):
    """engine.assess on one formula's arguments; raises UdfInputError where the arguments are unusable."""
    import engine
    from engine.findings import Severity

    rules = rules or _rules()
    row = {
        "id": indicator_id,
        "unit": _blank(unit) or DEFAULT_UNIT,
        "baseline": _blank(baseline),
        "forecast": _blank(forecast),
        "actual": _blank(actual),
        "sample_size": _blank(sample_size),
        "direction": _blank(direction),
        "override": None,
        "justification": None,
    }
    assessment = engine.assess(scale_fractions(row, rules), rules)
    for finding in assessment.findings:
        if finding.severity == Severity.ERROR and finding.location.field in ARGUMENT_FIELDS:
            raise UdfInputError(finding.message("en"))
    return assessment


def assess_symbol(*args: Any) -> str:
    """ASSESS: the status symbol (●, ▼, ▲, -)."""
    return assess_args(*args).symbol


def deviation_value(*args: Any) -> float | str:
    """DEVIATION: the deviation as a number (in % or p.p.), or a short text saying why none was computed."""
    assessment = assess_args(*args)
    if assessment.deviation is None:
        return f"not computed ({assessment.basis.value})" if assessment.basis.value != "computed" else "not computed"
    return float(assessment.deviation)


def assess_table(values: Sequence[Sequence[Any]]) -> list[list[Any]]:
    """ASSESS_TABLE: a range with a header row in, rows of id, status, symbol, deviation, explanation out."""
    if not values or not values[0]:
        raise UdfInputError("the range is empty: select the table with its header row")
    header, *rows = [list(r) for r in values]
    layout = locate_columns(header, first_column=0)
    columns = dict(layout.columns)
    columns.update(_bare_year_headers(header))
    if layout.year_columns:  # the table's year in force, as the model chooses it for a workbook
        from engine.errors import RaditError
        from workbook.model.settings import choose_years

        try:
            f_col, a_col, _, _ = choose_years("", "", 1, layout, None)
        except RaditError as error:
            raise UdfInputError(error.finding.message("en") if hasattr(error, "finding") else str(error)) from None
        for name, col in (("forecast", f_col), ("actual", a_col)):
            if col is not None:
                columns.setdefault(name, col)
    missing = [name for name in ("id", "forecast", "actual") if name not in columns]
    if missing:
        raise UdfInputError("the header row lacks " + ", ".join(missing))
    rules = _rules()
    out: list[list[Any]] = [list(TABLE_HEADER)]
    for row in rows:
        def get(name: str) -> Any:
            col = columns.get(name)
            return row[col] if col is not None and col < len(row) else None

        ident = _blank(get("id"))
        if ident is None:
            continue
        if isinstance(ident, float) and ident.is_integer():
            ident = int(ident)
        try:
            a = assess_args(get("forecast"), get("actual"), get("baseline"), get("unit"), get("direction"),
                            get("sample_size"), indicator_id=str(ident), rules=rules)
        except UdfInputError as error:
            out.append([str(ident), ERROR, ERROR, ERROR, str(error)])
            continue
        deviation = float(a.deviation) if a.deviation is not None else None
        out.append([str(ident), a.status.value, a.symbol, deviation, a.explain("en")])
    return out


def _bare_year_headers(header: Sequence[Any]) -> dict[str, int]:
    """Headers 'Forecast' / 'Prognoze' / 'Actual' / 'Sasniegts' without a year, for ad-hoc ranges."""
    found: dict[str, int] = {}
    for index, text in enumerate(header):
        norm = normalise_header(text)
        for kind, words in YEAR_KEYWORDS.items():
            if norm in words:
                found.setdefault(kind, index)
    return found
