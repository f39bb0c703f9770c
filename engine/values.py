"""Parse what analysts type into a cell: numbers, ranges, forecasts relative to the baseline, gaps, and the marks real tables add."""
from __future__ import annotations

import functools
import math
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import compress, repeat
from typing import Any, Callable, Mapping, Sequence, Union

from engine.findings import Finding, Location


@dataclass(frozen=True, slots=True)
class Number:
    value: Decimal
    percent: bool = False  # typed with a % sign
    # "jā", "nē", "yes", "izpildīts" …: a milestone written as a word (1 or 0); how it was written, not what it is
    word: str | None = field(default=None, compare=False)

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
    """`+ 2% (salīdzinājumā ar 2012.gadu)`: a change against the baseline, resolved by the rules.

    `implicit`: a bare signed number (`+1%`, `+ 5`) that names no base year. As a forecast it is a change
    against the baseline like the explicit form; as a baseline, an achieved value or a sample size it is
    the number itself (see `settle`).
    """

    delta: Decimal
    percent: bool = False
    year: int | None = None
    text: str = ""
    implicit: bool = False

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class Noted:
    """A value and what its cell said beside it: footnote markers, a year, an approximation sign, a comma that
    could also have grouped thousands. `settle` turns the marks into findings and hands on `value`."""

    value: Union[Number, Range, RelativeToBaseline]
    text: str
    year: int | None = None  # "7 137 (2016)"
    markers: tuple[str, ...] = ()  # "2253[13]" -> ("[13]",)
    approximate: bool = False  # "~120", "apm. 120"
    other: Decimal | None = None  # "7,315" is 7.315; 7315 had the comma grouped thousands

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class Missing:
    text: str = ""


@dataclass(frozen=True, slots=True)
class Invalid:
    """Not a value radit can read; becomes a finding, never a guess."""

    text: str
    code: str = "unparseable-value"
    params: tuple[tuple[str, Any], ...] = ()  # more for the finding's message: the two values, the years


# Beyond these magnitudes a cell holds no indicator value but an accident (1E+300, 1E-40).
MAX_EXPONENT = 30


def _number(d: Decimal, percent: bool = False) -> "Number | Invalid":
    if d and not -MAX_EXPONENT <= d.adjusted() <= MAX_EXPONENT:
        return Invalid(str(d))
    return Number(d, percent)


Value = Union[Number, Range, RelativeToBaseline, Noted, Missing, Invalid]
_EMPTY = Missing()  # an empty cell: one frozen instance serves them all

_NA_TYPES = frozenset({"NAType", "NaTType"})  # pandas' missing markers, recognised without importing pandas
MISSING_WORDS = frozenset({"", "-", "–", "—", "―", "−", "n/a", "na", "n.a.", "nav datu", "nav", "nd", "x", "none", "null"})
# A milestone (0/1) written as a word; Latvian and English, casefolded.
MILESTONE_WORDS = {
    "jā": 1, "yes": 1, "izpildīts": 1, "izpildīta": 1, "izpildīti": 1, "ir izpildīts": 1, "sasniegts": 1, "done": 1,
    "nē": 0, "no": 0, "nav izpildīts": 0, "nav izpildīta": 0, "nav izpildīti": 0, "neizpildīts": 0,
    "neizpildīta": 0, "nav sasniegts": 0, "not done": 0,
}


def _lazy(pattern: str, flags: int = 0) -> Callable[[], re.Pattern[str]]:
    """A pattern compiled when first used: most tables never write a range, a base year or a value on two lines,
    and compiling these cost ~3 ms of every start."""
    return functools.cache(lambda: re.compile(pattern, flags))


_SPACES = dict.fromkeys(map(ord, "\u00a0\u202f\u2009\u2007\u200a\u2002\u2003\t"), " ")
_DASHES = "-–—‒―−"
_NUM = r"[+\-−]?\s*\d+(?:[ ]\d{3})*(?:[.,]\d+)?|[+\-−]?\s*[.,]\d+"
_NUMBER_RE = re.compile(rf"^({_NUM})\s*(%)?$")
_RANGE_RE = _lazy(rf"^({_NUM})\s*(%)?\s*[{_DASHES}]\s*({_NUM})\s*(%)?\s*[>]?$")
# "(salīdzinājumā ar 2012.gadu)", "(compared with 2012)", "(pret 2012. gadu)", "(vs 2012)"
_RELATIVE_RE = _lazy(
    r"^(?P<num>.*?)\s*\(\s*(?:salīdzinājumā\s+ar|salīdzinot\s+ar|pret|compared\s+(?:with|to)|relative\s+to|vs\.?|against)"
    r"\s*(?:(?P<year>(?:19|20)\d\d)\s*\.?\s*(?:gadu|g\.|gads|year)?|bāzes\s+gadu|bāzes\s+vērtību|(?:the\s+)?baseline(?:\s+year)?)\s*\)\s*$",
    re.IGNORECASE,
)
# Footnote markers copied from Word or PDF, stuck to the value's end: [13], [a], ¹², *, **.
_MARKER = r"\[[0-9A-Za-z*]{1,3}\]|[¹²³⁴⁵⁶⁷⁸⁹⁰]+|\*{1,3}"
_MARKER_TAIL = re.compile(rf"(?<=\S)\s?({_MARKER})$")
_MARKER_ONLY = _lazy(rf"^(?:{_MARKER})+$")
# The year a value is for, in parentheses after it: (2016), (2016.), (2016. g.), (2016.gads), (2016. gadā), (year 2016)
_YEAR = r"\(\s*(?:year\s+)?((?:19|20)\d\d)\s*\.?\s*(?:g\.?|gads|gadā|gadam|gada|year)?\s*\)"
_YEAR_TAIL = re.compile(rf"\s*{_YEAR}$", re.IGNORECASE)
_YEAR_ONLY = _lazy(rf"^{_YEAR}$", re.IGNORECASE)
# Approximations in front of the value: ~120, ≈ 120, apm. 120, aptuveni 120, ca. 120, approx. 120
_APPROX_HEAD = re.compile(
    r"^(?:[~≈∼]\s*|(?:apm|apmēram|aptuveni|ap|ca|cca|circa|approx|approximately|about)(?:\.\s*|\s+))(?=[\d+\-−.,])",
    re.IGNORECASE)
# 7,315: the comma is the decimal separator (Latvian), but an English table groups thousands the same way
_AMBIGUOUS_COMMA = re.compile(r"^([+\-−]?)\s*([1-9]\d{0,2}),(\d{3})$")
_LINES = re.compile(r"[\r\n\v\f\u2028\u2029\x85]+")


def normalise_text(text: str) -> str:
    """NFC, every kind of space made one plain space, trimmed (line breaks are kept)."""
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
            return Invalid(float.__repr__(raw)) if not math.isnan(raw) else Missing()  # pandas' NaN is an empty cell
        # float's own repr: a subclass's may differ (numpy 2 writes np.float64(0.17))
        return _number(Decimal(float.__repr__(raw)))
    if hasattr(raw, "dtype") and callable(getattr(raw, "item", None)):
        # a numpy scalar (np.int64, np.float32, np.bool_ …, from a DataFrame or an array): its Python value
        # (np.float32 through its shortest decimal text, so 0.1 stays 0.1 and not 0.10000000149…)
        try:
            value = raw.item()
        except Exception:
            return Invalid(str(raw))
        if isinstance(value, float) and type(raw).__name__ == "float32" and math.isfinite(value):
            value = float(str(raw))
        return parse_value(value) if type(value) in (int, float, bool, str) or value is None else Invalid(str(raw))
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
    folded = text.casefold()
    if folded in MISSING_WORDS:
        return Missing(raw)
    if len(text) > 200:  # no real cell value is this long; keeps regex work bounded
        return Invalid(raw)
    word = MILESTONE_WORDS.get(" ".join(folded.split()))
    if word is not None:
        return Number(Decimal(word), word=text)
    year: int | None = None
    markers: list[str] = []
    lines = [line.strip() for line in _LINES.split(text) if line.strip()]
    if len(lines) > 1:  # the value on the first line; below it only its year or footnote markers
        for line in lines[1:]:
            year_line = _YEAR_ONLY().match(line)
            if year_line and year is None:
                year = int(year_line.group(1))
            elif _MARKER_ONLY().match(line):
                markers.extend(re.findall(_MARKER, line))
            else:
                if isinstance(_parse_text(line), (Number, Range, RelativeToBaseline, Noted)):
                    return Invalid(raw, "two-values", (("first", lines[0]), ("second", line)))
                return Invalid(raw)
        text = lines[0]
    if text.count("/") == 1:  # "19 200 / 20 125", "2600[7] / 1495", "-/77,5": two entries, never one value
        left, right = (part.strip() for part in text.split("/"))
        if left and right:
            sides = (_parse_text(left), _parse_text(right))
            if all(isinstance(v, (Number, Range, RelativeToBaseline, Noted, Missing)) for v in sides):
                if all(isinstance(v, Missing) for v in sides):
                    return Missing(raw)
                return Invalid(raw, "two-values", (("first", left), ("second", right)))
    while True:  # marks at the end, in any order: 2253[13], 7 137 (2016), 10,1%[4] (2016)
        m = _MARKER_TAIL.search(text)
        if m and m.start() > 0:
            markers.insert(0, m.group(1))
            text = text[: m.start()].rstrip()
            continue
        m = _YEAR_TAIL.search(text)
        if m and m.start() > 0 and year is None:
            year = int(m.group(1))
            text = text[: m.start()].rstrip()
            continue
        break
    m = _APPROX_HEAD.match(text)
    approximate = bool(m) and m.end() < len(text)
    if approximate:
        text = text[m.end():]
    value, other = _core(text)
    if isinstance(value, Invalid):
        return Invalid(raw, value.code, value.params)
    if isinstance(value, Missing):
        return Missing(raw) if not approximate else Invalid(raw)
    if year is None and not markers and not approximate and other is None:
        if isinstance(value, RelativeToBaseline) and value.text != raw:
            return RelativeToBaseline(value.delta, value.percent, value.year, raw, value.implicit)
        return value
    return Noted(value, raw, year, tuple(markers), approximate, other)


def _core(text: str) -> tuple[Value, Decimal | None]:
    """A value without marks -> (Number | Range | RelativeToBaseline | Missing | Invalid, the other reading of a comma)."""
    if text.casefold() in MISSING_WORDS:
        return Missing(text), None
    m = _NUMBER_RE.match(text)
    if m:
        token, percent = m.group(1), bool(m.group(2))
        value = _number(to_decimal(token), percent)
        other = None
        amb = _AMBIGUOUS_COMMA.match(token)
        if amb and isinstance(value, Number):
            other = Decimal(("-" if amb.group(1) in ("-", "−") else "") + amb.group(2) + amb.group(3))
        if isinstance(value, Number) and token.lstrip().startswith("+"):  # +1%: a change, the base year unnamed
            return RelativeToBaseline(value.value, percent, None, text, implicit=True), other
        return value, other
    m = _RANGE_RE().match(text)
    if m:
        low, high = to_decimal(m.group(1)), to_decimal(m.group(3))
        if low > high:
            return Invalid(text, "invalid-range"), None
        return Range(low, high, percent=bool(m.group(2) or m.group(4))), None
    m = _RELATIVE_RE().match(text)
    if m:
        inner = _NUMBER_RE.match(m.group("num").strip())
        if inner:
            year = int(m.group("year")) if m.group("year") else None
            return RelativeToBaseline(to_decimal(inner.group(1)), percent=bool(inner.group(2)), year=year, text=text), None
    return Invalid(text), None


def finding_for(value: Invalid, field: str, indicator: str | None) -> Finding:
    """The finding an unreadable value gives, located at its field of its indicator."""
    return Finding(value.code, Location(field=field, indicator=indicator),
                   params={"field": field, "text": value.text, **dict(value.params)})


# --- from a parsed cell to the value the rules compare ------------------------------------------------

YEAR_KEYS = {"baseline": "baseline_year", "forecast": "forecast_year", "actual": "actual_year"}
_YEAR_TEXT = _lazy(r"^\s*((?:19|20)\d\d)\s*\.?\s*(?:g\.?|gads|gadā)?\s*$", re.IGNORECASE)


FIRST_YEAR, LAST_YEAR = 1900, 2099  # the years radit accepts anywhere: a setting, a header, a cell, --year


def as_year(value: object) -> int | None:
    """A year as a cell, a setting or the command line gives it (2016, 2016.0, '2016', '2016.gads', '2016. g.');
    None for anything else. The one year check of radit."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        value = int(value) if value.is_integer() else None
    elif isinstance(value, Decimal):
        value = int(value) if value.is_finite() and value == value.to_integral_value() else None
    elif isinstance(value, str):
        m = _YEAR_TEXT().match(value)
        value = int(m.group(1)) if m else None
    return value if isinstance(value, int) and FIRST_YEAR <= value <= LAST_YEAR else None


def is_plain(value: Value) -> bool:
    """A Number read from a bare number (no word, no marks): what a vectorised path may take as its float."""
    return value.__class__ is Number and value.word is None


def settle(value: Value, field: str, indicator: str | None, *, unit: str | None = None,
           column_year: int | None = None, baseline_year: int | None = None) -> tuple[Value, list[Finding]]:
    """A parsed cell -> (the value the rules compare: Number, Range, RelativeToBaseline, Missing or Invalid,
    and the findings its reading gives), located at `field` of `indicator`.

    - footnote markers and approximations: the value, with a warning naming the mark;
    - a comma that could have grouped thousands (7,315): 7.315, with a warning naming both readings,
      unless the unit rules the other reading out (a share or a milestone is never 7315);
    - the cell's own year: compared with `column_year` when it is given; another year is the period
      mismatch of the methodology: an error, and the value is not used;
    - a forecast relative to a named base year: compared with `baseline_year` when it is given;
    - a bare signed number (+1%) is relative to the baseline only as a forecast, elsewhere the number itself;
    - a milestone word (jā, nē) is 1 or 0 for a milestone; for another unit it is not a value.
    """
    cls = value.__class__
    if (cls is Number and value.word is None) or cls is Missing or cls is Range:  # most cells: nothing to settle
        return value, []
    found: list[Finding] = []
    loc = Location(field=field, indicator=indicator)

    def note(code: str, **params: Any) -> None:
        found.append(Finding(code, loc, params={"field": field, **params}))

    def refuse(bad: Invalid) -> tuple[Value, list[Finding]]:
        found.append(finding_for(bad, field, indicator))
        return bad, found

    if isinstance(value, Noted):
        core = value.value
        shown = core.value if isinstance(core, Number) else str(core)
        for marker in value.markers:
            note("footnote-marker", text=value.text, marker=marker, value=shown)
        if value.approximate:
            note("approximate-value", text=value.text, value=shown)
        if value.other is not None and unit not in ("percent", "milestone"):
            note("ambiguous-decimal-comma", text=value.text, value=shown, other=value.other)
        if value.year is not None and column_year is not None and value.year != column_year:
            return refuse(Invalid(value.text, "cell-year-mismatch", (("year", value.year), ("column_year", column_year))))
        value = core
    if isinstance(value, Number) and value.word is not None and unit is not None and unit != "milestone":
        return refuse(Invalid(value.word, "value-not-allowed", (("unit", unit),)))
    if isinstance(value, RelativeToBaseline):
        if value.implicit and field != "forecast":
            value = Number(value.delta, value.percent)
        elif value.year is not None and baseline_year is not None and value.year != baseline_year:
            return refuse(Invalid(value.text, "base-year-mismatch", (("year", value.year), ("baseline_year", baseline_year))))
    if isinstance(value, Invalid):
        found.append(finding_for(value, field, indicator))
    return value, found


def read_cell(raw: object, field: str, indicator: str | None, *, unit: str | None = None,
              years: Mapping[str, int | None] | None = None, parsed: bool = False) -> tuple[Value, list[Finding]]:
    """parse_value then settle: one cell of an input row -> (its value for the rules, its findings).

    `years` maps baseline/forecast/actual to their column's year (from cell_years), each optional;
    `parsed`: raw is parse_value's result already."""
    value = raw if parsed else parse_value(raw)
    cls = value.__class__
    if (cls is Number and value.word is None) or cls is Missing:  # most cells: nothing to settle
        return value, []
    years = years or {}
    return settle(value, field, indicator, unit=unit, column_year=years.get(field), baseline_year=years.get("baseline"))


# The fields whose cells are read against the row's YEAR_KEYS (settle: a year in the cell, a named base year).
YEARS_READ_BY = ("baseline", "forecast", "actual", "sample_size")


def rows_reading_years(columns: Sequence[Sequence[Any]]) -> set[int]:
    """The positions, in columns of YEARS_READ_BY fields of many rows, of the rows whose reading may look at
    the row's YEAR_KEYS: those with a text in one of them. A number or an empty cell never names a year, so a
    row without a text gives the same answer with or without the years."""
    found: set[int] = set()
    for column in columns:
        found.update(compress(range(len(column)), map(isinstance, column, repeat(str))))  # in C: most cells are numbers
    return found


def cell_years(indicator: Mapping[str, Any]) -> dict[str, int | None]:
    """The column years an input row names (keys baseline_year, forecast_year, actual_year), by field."""
    get = indicator.get
    return {"baseline": as_year(get("baseline_year")), "forecast": as_year(get("forecast_year")),
            "actual": as_year(get("actual_year"))}
