"""Find the logical columns of the indicator table from its header cells (pure: values in, column map out)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

from engine.findings import Finding, Location
from workbook.model.vocabulary import field_for_header


@dataclass(frozen=True, slots=True)
class Layout:
    """Where each field is: 1-based sheet columns. Year columns are keyed ("forecast", 2016)."""

    columns: dict[str, int] = field(default_factory=dict)
    year_columns: dict[tuple[str, int], int] = field(default_factory=dict)
    findings: tuple[Finding, ...] = ()

    @property
    def score(self) -> int:
        """How many known columns the headers name: used to pick the indicator table among several."""
        return len(self.columns) + len(self.year_columns)


def locate_columns(headers: Sequence[Any], first_column: int = 1) -> Layout:
    """Map header cells to fields, LV or EN, case- and space-insensitive, in any order.

    Unknown headers are the analyst's own columns and are ignored; a field named twice keeps its
    first column and gets a `duplicate-column` finding at the second (column only: the caller
    adds sheet and row).
    """
    columns: dict[str, int] = {}
    years: dict[tuple[str, int], int] = {}
    findings: list[Finding] = []
    for offset, header in enumerate(headers):
        hit = field_for_header(header)
        if hit is None:
            continue
        col = first_column + offset
        fld, year = hit
        target, key = (years, (fld, year)) if year is not None else (columns, fld)
        if key in target:
            name = f"{fld} {year}" if year is not None else fld
            findings.append(Finding("duplicate-column", Location(column=col, field=fld), {"header": str(header), "column": name}))
            continue
        target[key] = col
    return Layout(columns, years, tuple(findings))
