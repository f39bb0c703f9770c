"""Hypothesis over real .xlsx master workbooks: any type in any input column, any header order and language,
hidden rows, merged cells, percent formats, formulas with and without a cached value, control characters.
validate_book never raises, reads every file, and every indicator row gets a status or a finding at its row."""
from __future__ import annotations

import datetime as dt
import re
import zipfile
from decimal import Decimal

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.worksheet.table import Table

from engine import Status, assess, default_rules
from workbook.validation.validate import validate_book

SHEET = "Rādītāji"
# field -> (Latvian header, English header)
HEADERS = {
    "id": ("ID", "Indicator ID"), "unit": ("Mērvienība", "Unit"), "direction": ("Virziens", "Direction"),
    "baseline": ("Bāzes vērtība", "Baseline"), "forecast": ("Prognoze 2016", "Forecast 2016"),
    "actual": ("Sasniegts 2016", "Achieved 2016"), "sample_size": ("Izlases apmērs", "Sample size"),
    "override": ("Analītiķa vērtējums", "Analyst override"), "justification": ("Pamatojums", "Justification"),
    "symbol": ("Vērtējums", "Assessment"),
}
INPUTS = ("id", "unit", "direction", "baseline", "forecast", "actual", "sample_size", "override", "justification")

# Raw control characters cannot be typed through openpyxl; markers are swapped for them in the sheet XML.
CONTROL_MARKERS = {"⟦ESC⟧": b"\x1b", "⟦BEL⟧": b"\x07", "⟦NUL1⟧": b"\x01", "⟦XESC⟧": b"_x001B_"}
SPACES = ["", " ", "\u00a0", "\u202f", "  "]

text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=15) | st.sampled_from(
    ["\t tab", "line\nbreak", "עברית", "😀 emoji", "e\u0301", "ﬁ", "１２３", "Ā" * 300] + list(CONTROL_MARKERS))
number_text = st.builds(lambda a, b, sep, sp1, sp2, comma: f"{sp1}{a:,}{sep}{b}{sp2}".replace(",", sep if comma else ","),
                        st.integers(0, 10**9), st.integers(0, 999), st.sampled_from([".", ",", " "]),
                        st.sampled_from(SPACES), st.sampled_from(SPACES), st.booleans())
nan_like = st.sampled_from(["NaN", "nan", "inf", "-Infinity", "1e309", "-1e-400", "0x1F", "1_000", "∞", "−5", "5−",
                            "12 %", "35 – 70>", "+ 2% (salīdzinājumā ar 2012.gadu)", "-", "–", "", " "])
formula = st.tuples(st.sampled_from(["1+1", "SUM(A1:A2)", '"x"&1', "1/0", "NA()"]),
                    st.none() | st.floats(-1e6, 1e6, allow_nan=False)).map(lambda t: ("formula",) + t)
CELL = st.one_of(
    st.none(), st.booleans(), st.integers(-10**30, 10**30), st.floats(allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=False, allow_infinity=False, places=4), text, number_text, nan_like, formula,
    st.dates(dt.date(1900, 3, 1), dt.date(2100, 1, 1)), st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(2100, 1, 1)),
    st.times(),
)
FIELD = {
    "id": st.sampled_from(["A.1", "A.2", "B.1", " A.1 ", None]) | CELL,
    "unit": st.sampled_from(["count", "percent", "money", "hours", "milestone", "percent_change", "skaits", "%"]) | CELL,
    "direction": st.sampled_from(["higher_is_better", "lower_is_better", "closer_is_better"]) | CELL,
    "override": st.sampled_from(["achieved", "worse", "▲", "-", "Nav vērtēts"]) | CELL,
    "symbol": st.sampled_from(["●", "▼", "▲", "-"]) | CELL,
}
ROW = st.fixed_dictionaries({f: FIELD.get(f, CELL) for f in HEADERS})


@st.composite
def books(draw):
    order = draw(st.permutations(list(HEADERS)))
    langs = draw(st.lists(st.sampled_from([0, 1]), min_size=len(order), max_size=len(order)))
    headers = [HEADERS[f][lang] for f, lang in zip(order, langs)]
    if draw(st.booleans()):  # an analyst's own column somewhere
        headers.insert(draw(st.integers(0, len(headers))), "Piezīmes")
    rows = draw(st.lists(ROW, min_size=1, max_size=8))
    return {
        "headers": headers, "rows": rows, "table": draw(st.booleans()),
        "hidden": draw(st.sets(st.integers(0, len(rows) - 1), max_size=3)),
        "merge": draw(st.none() | st.tuples(st.integers(0, len(rows) - 1), st.integers(0, len(headers) - 1),
                                            st.sampled_from([(0, 1), (1, 0), (1, 1)]))),
        "percent": draw(st.sets(st.tuples(st.integers(0, len(rows) - 1), st.integers(0, len(headers) - 1)), max_size=4)),
    }


def _write(path, book) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    fields = [next((f for f, hs in HEADERS.items() if h in hs), None) for h in book["headers"]]
    cached: dict[str, str] = {}
    for c, h in enumerate(book["headers"], 1):
        ws.cell(1, c, h)
    for r, row in enumerate(book["rows"], 2):
        for c, fld in enumerate(fields, 1):
            v = row.get(fld) if fld else "mana piezīme"
            if isinstance(v, tuple):  # a formula; a cached value is put into the XML after saving
                _, expr, value = v
                if value is not None:
                    expr = f"{expr}+0*{len(cached)}"
                    cached[expr] = repr(value)
                v = "=" + expr
            if v is not None:
                ws.cell(r, c, v)
    for r in book["hidden"]:
        ws.row_dimensions[r + 2].hidden = True
    for r, c in book["percent"]:
        ws.cell(r + 2, c + 1).number_format = "0%"
    if book["merge"]:
        r, c, (dr, dc) = book["merge"]
        ws.merge_cells(start_row=r + 2, start_column=c + 1, end_row=min(r + 2 + dr, len(book["rows"]) + 1),
                       end_column=min(c + 1 + dc, len(book["headers"])))
    if book["table"]:
        last = ws.cell(len(book["rows"]) + 1, len(book["headers"])).coordinate
        ws.add_table(Table(displayName="Raditaji", ref=f"A1:{last}"))
    st_ = wb.create_sheet("Iestatījumi")
    st_.append(["Bāzes gads", 2012])
    st_.append(["Novērtējuma gads", 2016])
    wb.save(path)
    _patch_sheet(path, cached)


def _patch_sheet(path, cached: dict[str, str]) -> None:
    """Control characters and cached formula values, which openpyxl cannot write, go into the sheet XML."""
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    xml = parts["xl/worksheets/sheet1.xml"]
    for marker, raw in CONTROL_MARKERS.items():
        xml = xml.replace(marker.encode(), raw)
    for expr, value in cached.items():
        f = re.escape(expr.replace("&", "&amp;").replace('"', "&quot;").encode())
        xml = re.sub(b"(<f>" + f + b"</f>)<v ?/>", lambda m: m.group(1) + b"<v>" + value.encode() + b"</v>", xml)
        xml = re.sub(b"(<f>" + re.escape(expr.replace("&", "&amp;").encode()) + b"</f>)<v ?/>",
                     lambda m: m.group(1) + b"<v>" + value.encode() + b"</v>", xml)
    parts["xl/worksheets/sheet1.xml"] = xml
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(book=books())
def test_any_workbook_gets_a_status_or_a_finding_per_row(tmp_path_factory, book):
    path = tmp_path_factory.mktemp("fuzz") / "book.xlsx"
    _write(path, book)
    report = validate_book(path)
    assert report.error is None, report.error
    assert report.sheet == SHEET
    statuses = {i.row: i.status for i in report.indicators}
    assert all(s in Status for s in statuses.values())
    located = {f.location.row for f in report.findings if f.location.sheet == SHEET}
    head_fields = [next((f for f, hs in HEADERS.items() if h in hs), None) for h in book["headers"]]
    column = {f: head_fields.index(f) + 1 for f in INPUTS}
    merged_away = _merged_away(book)
    for r, row in enumerate(book["rows"], 2):
        if any(row[f] not in (None, "") and (r, column[f]) not in merged_away for f in INPUTS):
            assert r in statuses or r in located, (r, row)
    assert {f.location.row for f in report.findings if f.location.indicator} <= set(range(1, len(book["rows"]) + 2))


def _merged_away(book) -> set[tuple[int, int]]:
    """Cells a merge cleared (every cell of the range but its top-left)."""
    if not book["merge"]:
        return set()
    r, c, (dr, dc) = book["merge"]
    r0, c0 = r + 2, c + 1
    r1, c1 = min(r0 + dr, len(book["rows"]) + 1), min(c0 + dc, len(book["headers"]))
    return {(rr, cc) for rr in range(r0, r1 + 1) for cc in range(c0, c1 + 1)} - {(r0, c0)}


VALUE = CELL.filter(lambda v: not isinstance(v, tuple))


@settings(max_examples=200, deadline=None)
@given(unit=FIELD["unit"].filter(lambda v: not isinstance(v, tuple)), baseline=VALUE, forecast=VALUE, actual=VALUE,
       sample=VALUE, direction=FIELD["direction"].filter(lambda v: not isinstance(v, tuple)),
       override=FIELD["override"].filter(lambda v: not isinstance(v, tuple)), justification=VALUE)
def test_the_engine_takes_any_cell_value(unit, baseline, forecast, actual, sample, direction, override, justification):
    """What a hostile cell can hold, straight into engine.assess (the reader normally cleans dates away first)."""
    values = {"id": "X.1", "unit": unit, "baseline": baseline, "forecast": forecast, "actual": actual,
              "sample_size": sample, "direction": direction, "override": override, "justification": justification}
    a = assess(values, default_rules())
    assert a.status in Status
    assert a.deviation is None or isinstance(a.deviation, Decimal) and a.deviation.is_finite()
    a.explain("lv"), a.explain("en"), a.format_deviation("lv")
