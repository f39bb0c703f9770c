"""A cell written twice in a sheet's XML is refused (`duplicate-cell`, at its sheet and cell) by every reading, in
every spelling: next to its first copy or far from it, in the last row, in a row out of order, in a column radit
reads, writes or never looks at, with either quote, with whitespace, namespace prefixes or character references.
Excel keeps one copy and readers disagree which, so what radit assessed could differ from what the analyst sees."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from reading_books import GOOD_ROWS, rewrite_part
from workbook.errors import WorkbookError
from workbook.reading.calamine import read_master
from workbook.reading.sheetshape import _plain, _tokenized, sheet_shape
from workbook.validation.validate import validate_book

SHEET_PART, SHEET = "xl/worksheets/sheet1.xml", "Rādītāji"
MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _rewrite(path: Path, change) -> Path:
    return rewrite_part(path, SHEET_PART, change)


# --- where the second copy goes (the sheet as openpyxl writes it: rows 1-4, table A1:J4) ---------------------

def _row_span(xml: bytes, number: int) -> tuple[int, int]:
    start = xml.index(b'<row r="%d"' % number)
    return xml.index(b">", start) + 1, xml.index(b"</row>", start)


def _copy(ref: str) -> bytes:
    return b'<c r="%s"><v>7</v></c>' % ref.encode()


def adjacent(xml: bytes, ref: str) -> bytes:
    """Right after the first copy."""
    start = xml.index(b'<c r="%s"' % ref.encode())
    tag_end = xml.index(b">", start) + 1
    end = tag_end if xml[tag_end - 2:tag_end] == b"/>" else xml.index(b"</c>", start) + 4
    return xml[:end] + _copy(ref) + xml[end:]


def row_end(xml: bytes, ref: str) -> bytes:
    """At the end of the row, other cells between the two copies."""
    _, end = _row_span(xml, int(ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")))
    return xml[:end] + _copy(ref) + xml[end:]


def row_start(xml: bytes, ref: str) -> bytes:
    """At the start of the row, before every other cell."""
    start, _ = _row_span(xml, int(ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")))
    return xml[:start] + _copy(ref) + xml[start:]


def row_again(xml: bytes, ref: str) -> bytes:
    """In a second element of the same row, at the end of the sheet (rows out of order)."""
    row = ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return xml.replace(b"</sheetData>", b'<row r="%s">' % row.encode() + _copy(ref) + b"</row></sheetData>")


def other_row(xml: bytes, ref: str) -> bytes:
    """Inside the element of another row (the cell's r names its own row)."""
    row = int(ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    _, end = _row_span(xml, 2 if row != 2 else 3)
    return xml[:end] + _copy(ref) + xml[end:]


# --- how the sheet is spelled (applied to the whole sheet, the second copy included) ----------------------------

def plain(xml: bytes) -> bytes:
    return xml


def single_quotes(xml: bytes) -> bytes:
    return re.sub(rb'(\s[\w:]+)="([^"<]*)"', rb"\1='\2'", xml)


def whitespace(xml: bytes) -> bytes:
    """Rows and cells on lines of their own, a tab before r."""
    xml = re.sub(rb"(?=<row[\s>/]|<c[\s>/]|</row>|</sheetData>)", b"\n  ", xml)
    return xml.replace(b'<c r="', b'<c\tr="')


def prefixed(xml: bytes) -> bytes:
    """Every row and cell with a namespace prefix, as some .NET generators write."""
    xml = xml.replace(b"<worksheet ", b'<worksheet xmlns:x="' + MAIN + b'" ', 1)
    return re.sub(rb"<(/?)(row|c)(?=[\s>/])", rb"<\1x:\2", xml)


def character_references(xml: bytes) -> bytes:
    """The first letter of every cell reference as a character reference."""
    return re.sub(rb'<c r="([A-Z])', lambda m: b'<c r="&#%d;' % m.group(1)[0], xml)


def rows_without_r(xml: bytes) -> bytes:
    """The sheet's own rows without r (their number follows from order); cells keep theirs."""
    return re.sub(rb'<row r="[0-9]+"', b"<row", xml, count=4)


PLACES = [adjacent, row_end, row_start, other_row, row_again]
SPELLINGS = [plain, single_quotes, whitespace, prefixed, character_references, rows_without_r]
# the id (read), the forecast (read, never written), the assessment (written; an empty cell with a format), a cell
# right of the table A1:J4 (the analyst's own column, never read)
CELLS = ["A2", "E3", "J4", "L3"]


def _edit(ws) -> None:
    ws["L3"] = "piezīme"
    ws["J4"].number_format = "0.0"  # written as <c r="J4" s="1"/>


def _book(book, place, spelling, ref: str) -> Path:
    return _rewrite(book(GOOD_ROWS, edit=_edit), lambda xml: spelling(place(xml, ref)))


@pytest.mark.parametrize("spelling", SPELLINGS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("place", PLACES, ids=lambda f: f.__name__)
@pytest.mark.parametrize("ref", CELLS)
def test_a_cell_written_twice_is_refused_at_its_cell(book, place, spelling, ref):
    path = _book(book, place, spelling, ref)
    error = validate_book(path).error
    assert error is not None, "validate read a cell written twice in silence"
    assert (error.code, error.location.sheet, error.location.cell) == ("duplicate-cell", SHEET, ref)
    with pytest.raises(WorkbookError) as refused:
        read_master(path)
    assert (refused.value.code, refused.value.location.cell) == ("duplicate-cell", ref)


@pytest.mark.parametrize("spelling", SPELLINGS, ids=lambda f: f.__name__)
def test_the_same_book_without_a_second_copy_is_read(book, spelling):
    path = _rewrite(book(GOOD_ROWS, edit=_edit), spelling)
    report = validate_book(path)
    assert report.error is None and len(report.indicators) == len(GOOD_ROWS)


def test_a_book_in_the_plain_spelling_passes_the_plain_proof(book):
    """The proof that rules out a cell written twice is the cheap route of the usual spelling, not the tokenizer."""
    with zipfile.ZipFile(book(GOOD_ROWS, edit=_edit)) as z:
        xml = z.read(SHEET_PART)
    assert _plain(xml) is not None
    samples = Path(__file__).resolve().parents[2] / "samples" / "seed-2016.xlsx"
    with zipfile.ZipFile(samples) as z:
        assert _plain(z.read(SHEET_PART)) is not None


# --- the guard itself, over random sheets -------------------------------------------------------------------

def _positions(rows) -> list[tuple[int, int]]:
    """Where each cell lands, as calamine places them: a row's r sets its number, else the one after the previous
    row; a cell's r sets its position, else it is the one right of the previous cell of its row."""
    out, number = [], 0
    for row_r, cells in rows:
        number = row_r if row_r is not None else number + 1
        col = 0
        for ref in cells:
            r, col = ref if ref is not None else (number, col + 1)
            out.append((r, col))
    return out


def test_the_guard_finds_every_cell_written_twice_in_random_sheets():
    from hypothesis import given, settings, strategies as st

    from engine.findings import column_letter
    from workbook.reading import sheetshape

    cell = st.one_of(st.none(), st.tuples(st.integers(1, 12), st.sampled_from([1, 2, 3, 14, 26, 27, 28, 703])))
    row = st.tuples(st.one_of(st.none(), st.integers(1, 12)), st.lists(cell, max_size=6))
    spelling = st.one_of(st.just(('"', " ", "", "", True)),  # the plain spelling, half of the time
                         st.tuples(st.sampled_from(['"', "'"]), st.sampled_from([" ", "\t", "\n"]),
                                   st.sampled_from(["", "x:"]), st.sampled_from(["", "\n"]), st.booleans()))

    @settings(max_examples=500, deadline=None)
    @given(st.lists(row, max_size=8), spelling, st.data())
    def check(rows, spelled, data):
        quote, space, prefix, between, refs_first = spelled
        rows = [(r, list(cells)) for r, cells in rows]
        given = [ref for _, cells in rows for ref in cells if ref is not None]
        if given and data.draw(st.booleans(), "a second copy"):  # one cell written again, anywhere
            ref = data.draw(st.sampled_from(given), "of")
            at = data.draw(st.integers(0, len(rows)), "in row element")
            if at == len(rows):
                rows.append((ref[0], [ref]))
            else:
                cells = rows[at][1]
                cells.insert(data.draw(st.integers(0, len(cells)), "at"), ref)
        body = []
        for row_r, cells in rows:
            tags = []
            for ref in cells:
                r = f"{space}r={quote}{column_letter(ref[1])}{ref[0]}{quote}" if ref is not None else ""
                attrs = [r, f"{space}t={quote}n{quote}"]
                tags.append(f"{between}<{prefix}c{''.join(attrs if refs_first else attrs[::-1])}><{prefix}v>1</{prefix}v>"
                            f"</{prefix}c>")
            head = f"<{prefix}row r={quote}{row_r}{quote}>" if row_r is not None else f"<{prefix}row>"
            body.append(f"{between}{head}{''.join(tags)}</{prefix}row>")
        xml = f'<worksheet xmlns="m" xmlns:x="m"><sheetData>{"".join(body)}</sheetData></worksheet>'.encode()
        positions = _positions(rows)
        twice = {p for p in positions if positions.count(p) > 1}
        sheetshape._SHAPES.clear()
        shape = sheet_shape(xml)
        assert shape.error is None
        assert (shape.duplicate is not None) == bool(twice), (xml, twice)
        assert shape.duplicate is None or shape.duplicate in twice
        if twice:
            assert _plain(xml) is None  # the plain proof never passes a sheet with a cell written twice
        assert (_tokenized(xml, positions=set()).duplicate is not None) == bool(twice)
        assert _both_routes(xml)

    check()


def _both_routes(xml: bytes) -> bool:
    """The small body's route (one cell pattern, the letters ordered in Python) and the large one (the 26-letter
    pattern) accept the same bodies and say the same about their cells of two or three letters."""
    from workbook.reading import sheetshape

    start, end = xml.find(b"<sheetData>") + len(b"<sheetData>"), xml.rfind(b"</sheetData>")
    small = sheetshape._small_plain_body(xml, start, end)
    large = sheetshape._plain_body(xml, start, end) if end - start > sheetshape._SMALL_BODY else None
    if large is None:
        previous, sheetshape._SMALL_BODY = sheetshape._SMALL_BODY, -1
        try:
            large = sheetshape._plain_body(xml, start, end)
        finally:
            sheetshape._SMALL_BODY = previous
    assert small == large, xml
    return True


def test_the_two_routes_of_the_plain_proof_agree_on_random_bodies():
    """Bodies in the plain spelling, cells in any order and any letters: both routes accept exactly the same ones
    (the random sheets above are mostly refused by both, being out of the plain spelling)."""
    from hypothesis import given, settings, strategies as st

    letters = st.sampled_from(["A", "B", "C", "Y", "Z", "AA", "AB", "ZZ", "AAA", "XFD"])
    cell = st.tuples(letters, st.booleans(), st.sampled_from(["", ' s="1"', ' t="s"', ' s="2" t="n"']),
                     st.sampled_from(["/>", "><v>1</v></c>", "><f>A1</f><v>2</v></c>", '><is><t>x</t></is></c>']))
    row = st.tuples(st.integers(1, 9), st.lists(cell, max_size=6), st.sampled_from(["", ' spans="1:3"', ' ht="20"']))

    @settings(max_examples=600, deadline=None)
    @given(st.lists(row, max_size=6), st.sampled_from(["", "\n", " "]))
    def check(rows, between):
        body = "".join(f'{between}<row r="{n}"{attrs}>'
                       + "".join(f'<c r="{col}{n if own else n + 1}"{cattrs}{content}' for col, own, cattrs, content in cells)
                       + "</row>" for n, cells, attrs in rows)
        _both_routes(f"<worksheet><sheetData>{body}</sheetData></worksheet>".encode())

    check()
