"""Parse what analysts type into a cell: numbers, ranges, forecasts relative to the baseline, gaps."""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Union

from engine.findings import Finding, Location


@dataclass(frozen=True, slots=True)
class Number:
    value: Decimal
    percent: bool = False  # typed with a % sign

    def __str__(self) -> str:
        return str(self.value)


@dataclass(frozen=True, slots=True)
class Range:
    low: Decimal
    high: Decimal
    percent: bool = False

    def __str__(self) -> str:
        return f"{self.low}–{self.high}"


@dataclass(frozen=True, slots=True)
class RelativeToBaseline:
    """`+ 2% (salīdzinājumā ar 2012.gadu)`: a change against the baseline, resolved by the rules."""

    delta: Decimal
    percent: bool = False
    year: int | None = None
    text: str = ""


@dataclass(frozen=True, slots=True)
class Missing:
    text: str = ""


@dataclass(frozen=True, slots=True)
class Invalid:
    """Not a value radit can read; becomes a finding, never a guess."""

    text: str
    code: str = "unparseable-value"


# Beyond these magnitudes a cell holds no indicator value but an accident (1E+300, 1E-40).
MAX_EXPONENT = 30


def _number(d: Decimal, percent: bool = False) -> "Number | Invalid":
    if d and not -MAX_EXPONENT <= d.adjusted() <= MAX_EXPONENT:
        return Invalid(str(d))
    return Number(d, percent)


Value = Union[Number, Range, RelativeToBaseline, Missing, Invalid]
_EMPTY = Missing()  # an empty cell: one frozen instance serves them all

_NA_TYPES = frozenset({"NAType", "NaTType"})  # pandas' missing markers, recognised without importing pandas
MISSING_WORDS = frozenset({"", "-", "–", "—", "―", "−", "n/a", "na", "n.a.", "nav datu", "nav", "nd", "x", "none", "null"})
_SPACES = dict.fromkeys(map(ord, "\u00a0\u202f\u2009\u2007\u200a\u2002\u2003\t"), " ")
_DASHES = "-–—‒―−"
_NUM = r"[+\-−]?\s*\d+(?:[ ]\d{3})*(?:[.,]\d+)?|[+\-−]?\s*[.,]\d+"
_NUMBER_RE = re.compile(rf"^({_NUM})\s*(%)?$")
_RANGE_RE = re.compile(rf"^({_NUM})\s*(%)?\s*[{_DASHES}]\s*({_NUM})\s*(%)?\s*[>]?$")
# "(salīdzinājumā ar 2012.gadu)", "(compared with 2012)", "(pret 2012. gadu)", "(vs 2012)"
_RELATIVE_RE = re.compile(
    r"^(?P<num>.*?)\s*\(\s*(?:salīdzinājumā\s+ar|salīdzinot\s+ar|pret|compared\s+(?:with|to)|relative\s+to|vs\.?|against)"
    r"\s*(?:(?P<year>(?:19|20)\d\d)\s*\.?\s*(?:gadu|g\.|gads|year)?|bāzes\s+gadu|bāzes\s+vērtību|(?:the\s+)?baseline(?:\s+year)?)\s*\)\s*$",
    re.IGNORECASE,
)


def normalise_text(text: str) -> str:
    """NFC, every kind of space made one plain space, trimmed."""
    s = unicodedata.normalize("NFC", text).translate(_SPACES)
    return re.sub(r" {2,}", " ", s).strip()


def to_decimal(token: str) -> Decimal:
    """'88 949' -> 88949, '12,5' -> 12.5, '−5' -> -5 (unicode minus), '+ 2' -> 2."""
    t = token.replace(" ", "").replace("−", "-").replace(",", ".")
    return Decimal(t)


def parse_value(raw: object) -> Value:
    """One cell as typed (int, float, Decimal, str, None) -> a parsed value. Never raises."""
    if raw.__class__ is float and raw - raw == 0:  # a finite float, what most cells hold: straight through
        return _number(Decimal(repr(raw)))  # repr: 0.17 stays 0.17, not 0.17000000000000001221…
    if raw is None or type(raw).__name__ in _NA_TYPES:
        return _EMPTY
    if isinstance(raw, bool):  # True/False is a checkbox, not a number
        return Invalid(str(raw))
    if isinstance(raw, int):
        return _number(Decimal(raw))
    if isinstance(raw, float):
        if not math.isfinite(raw):
            return Invalid(repr(raw)) if not math.isnan(raw) else Missing()  # pandas' NaN is an empty cell
        return _number(Decimal(repr(raw)))  # repr: 0.17 stays 0.17, not 0.17000000000000001221…
    if isinstance(raw, Decimal):
        return _number(raw) if raw.is_finite() else (Missing() if raw.is_nan() else Invalid(str(raw)))
    if not isinstance(raw, str):
        return Invalid(str(raw))
    try:
        return _parse_text(raw)
    except (InvalidOperation, ValueError, OverflowError):
        return Invalid(raw)


def _parse_text(raw: str) -> Value:
    text = normalise_text(raw)
    if text.casefold() in MISSING_WORDS:
        return Missing(raw)
    if len(text) > 200:  # no real cell value is this long; keeps regex work bounded
        return Invalid(raw)
    m = _NUMBER_RE.match(text)
    if m:
        return _number(to_decimal(m.group(1)), percent=bool(m.group(2)))
    m = _RANGE_RE.match(text)
    if m:
        low, high = to_decimal(m.group(1)), to_decimal(m.group(3))
        if low > high:
            return Invalid(raw, "invalid-range")
        return Range(low, high, percent=bool(m.group(2) or m.group(4)))
    m = _RELATIVE_RE.match(text)
    if m:
        inner = _NUMBER_RE.match(m.group("num").strip())
        if inner:
            year = int(m.group("year")) if m.group("year") else None
            return RelativeToBaseline(to_decimal(inner.group(1)), percent=bool(inner.group(2)), year=year, text=raw)
    return Invalid(raw)


def finding_for(value: Invalid, field: str, indicator: str | None) -> Finding:
    """The finding an unreadable value gives, located at its field of its indicator."""
    return Finding(value.code, Location(field=field, indicator=indicator), params={"field": field, "text": value.text})
