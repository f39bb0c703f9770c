"""Findings: problems in data, as values with a stable code and a structured location."""
from __future__ import annotations

import dataclasses
from decimal import Decimal
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Iterable, Iterator, Mapping

from engine.a1 import cell_name, column_letter  # noqa: F401  column_letter: for the modules that import it from here
from engine.codes import CATALOGUE

# Control characters (C0 but tab, CR and LF are included too, DEL, C1) shown as \xNN: text from a cell must
# never drive a terminal (ESC sequences), break a line-oriented report, or make an XML report unparseable.
_CONTROLS = {c: f"\\x{c:02x}" for c in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]}


def printable(text: str) -> str:
    """text with every control character written as a visible \\xNN escape."""
    return text.translate(_CONTROLS)


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    def __str__(self) -> str:  # so f-strings and JSON show "error", not "Severity.ERROR"
        return self.value


@dataclass(frozen=True, slots=True)
class Location:
    """Where a finding points. Every part is optional; render late with `cell` / `render()`.

    `field` is the logical column (``forecast``, ``actual`` …) for findings the engine makes
    before it knows the sheet; the workbook layer fills in sheet, row and column.
    """

    file: str | None = None
    sheet: str | None = None
    row: int | None = None  # 1-based, as Excel shows it
    column: int | None = None  # 1-based
    field: str | None = None
    indicator: str | None = None
    json_path: str | None = None

    @property
    def cell(self) -> str | None:
        if self.row is None:
            return None
        return cell_name(self.row, self.column) if self.column else str(self.row)

    def replace(self, **changes: Any) -> "Location":
        return dataclasses.replace(self, **changes)

    def render(self) -> str:
        """'book.xlsx' 'Rādītāji'!H21, or the JSON path of a rule file, or the field (control characters escaped)."""
        return printable(self._render())

    def _render(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        if self.sheet is not None:
            quoted = "'" + self.sheet.replace("'", "''") + "'"
            parts.append(f"{quoted}!{self.cell}" if self.cell else quoted)
        elif self.cell:
            parts.append(self.cell)
        if self.json_path:
            parts.append(self.json_path)
        if not parts and self.indicator:
            parts.append(self.indicator + (f".{self.field}" if self.field else ""))
        elif not parts and self.field:
            parts.append(self.field)
        return " ".join(parts)


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in the data. `params` fill the code's message template in either language."""

    code: str
    location: Location = field(default_factory=Location)
    params: Mapping[str, Any] = field(default_factory=dict)
    severity: Severity | None = None  # None: the catalogue's default for the code

    def __post_init__(self) -> None:
        if self.code not in CATALOGUE:
            raise KeyError(f"finding code {self.code!r} is not in engine.codes.CATALOGUE")
        severity = CATALOGUE[self.code].severity if self.severity is None else self.severity
        object.__setattr__(self, "severity", Severity(severity))
        object.__setattr__(self, "params", dict(self.params))

    def message(self, lang: str = "en") -> str:
        entry = CATALOGUE[self.code]
        template = entry.lv if lang == "lv" else entry.en
        params = {k: _shown(v) for k, v in self.params.items()}
        return template.format_map(_Lenient(params))

    def hint(self, lang: str = "en") -> str:
        entry = CATALOGUE[self.code]
        return (entry.hint_lv if lang == "lv" else entry.hint_en) or ""

    def at(self, **location_changes: Any) -> "Finding":
        """The same finding at a more precise location."""
        return dataclasses.replace(self, location=self.location.replace(**location_changes))

    def render(self, lang: str = "en") -> str:
        where = self.location.render()
        text = f"{where} [{self.code}] {self.message(lang)}" if where else f"[{self.code}] {self.message(lang)}"
        hint = self.hint(lang)
        return f"{text}: {hint}" if hint else text

    def as_dict(self, lang: str = "en") -> dict[str, Any]:
        loc = self.location
        return {
            "code": self.code,
            "severity": str(self.severity),
            "file": loc.file,
            "sheet": loc.sheet,
            "cell": loc.cell,
            "row": loc.row,
            "indicator": loc.indicator,
            "field": loc.field,
            "json_path": loc.json_path,
            "message": self.message(lang),
        }


def _shown(value: Any) -> Any:
    """A parameter as a message shows it: 87.0 read from a cell is the count 87; text is made printable."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        return int(value)
    return value


class _Lenient(dict):
    """format_map helper: a missing parameter shows as {name} instead of raising."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@dataclass(frozen=True, slots=True)
class Report:
    """Every finding of one run, in the order found. `valid` means no finding of severity error."""

    findings: tuple[Finding, ...] = ()

    @classmethod
    def of(cls, findings: Iterable[Finding]) -> "Report":
        return cls(tuple(findings))

    @property
    def valid(self) -> bool:
        return not any(f.severity is Severity.ERROR for f in self.findings)

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.WARNING)

    def codes(self) -> list[tuple[str, str | None]]:
        """(code, rendered location) pairs: what tests assert on."""
        return [(f.code, f.location.cell) for f in self.findings]

    def flatten(self) -> list[list[Any]]:
        return [[f.code, str(f.severity), f.location.sheet, f.location.cell, f.location.indicator] for f in self.findings]

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def __len__(self) -> int:
        return len(self.findings)
