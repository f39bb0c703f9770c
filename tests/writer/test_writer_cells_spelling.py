"""SheetPatch follows every spelling of a cell, as the reading guard does, and never leaves a cell behind stale:
a cell written twice, or cells and rows out of order, are refused (code, location) before anything is written."""
import re

import pytest

from workbook.errors import WriteRefused
from workbook.writing.xlsxpatch.cells import SheetPatch, Write

NS = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
END = b"</sheetData></worksheet>"


def patched(rows: bytes, *writes: Write) -> bytes:
    return SheetPatch(NS + rows + END, path="b.xlsx", sheet="S").apply(list(writes))


def refusal(rows: bytes, *writes: Write) -> tuple[str, str | None, str | None]:
    with pytest.raises(WriteRefused) as refused:
        patched(rows, *writes)
    return refused.value.code, refused.value.location.sheet, refused.value.location.cell


@pytest.mark.parametrize("cell", [
    b"<c r='C2'><v>1</v></c>",  # single quotes
    b'<c\n\tr="C2"><v>1</v></c>',  # other whitespace
    b'<c r="&#67;2"><v>1</v></c>',  # a character reference
])
def test_a_cell_in_any_spelling_is_replaced_in_place(cell):
    xml = patched(b'<row r="2"><c r="A2"><v>0</v></c>' + cell + b"</row>", Write(2, 3, "new"))
    assert xml.count(b"<v>1</v>") == 0 and xml.count(b"new") == 1
    assert re.findall(rb"<c\b", xml) == [b"<c", b"<c"]  # A2 and C2: nothing added beside the old C2


@pytest.mark.parametrize("rows, cell", [
    (b'<row r="2"><c r="C2"><v>1</v></c><c r="C2"><v>2</v></c></row>', "C2"),  # the plain spelling: the fast path
    (b"<row r='2'><c r='C2'><v>1</v></c><c r=\"C2\"><v>2</v></c></row>", "C2"),  # two spellings: the tokenizer
])
def test_a_target_cell_written_twice_is_refused(rows, cell):
    assert refusal(rows, Write(2, 3, "x")) == ("duplicate-cell", "S", cell)


def test_rows_out_of_order_are_refused():
    rows = b'<row r="5"><c r="A5"><v>1</v></c></row><row r="2"><c r="A2"><v>1</v></c></row>'
    assert refusal(rows, Write(2, 3, "x")) == ("unordered-rows", "S", "2")


def test_cells_out_of_order_are_refused_where_the_tokenizer_read_the_sheet():
    rows = b"<row r='2'><c r='A2'><v>1</v></c><c r='Z2'><v>1</v></c><c r='C2'><v>9</v></c></row>"
    assert refusal(rows, Write(2, 3, "x")) == ("unordered-cells", "S", "C2")


def test_cells_out_of_order_in_the_plain_spelling_are_refused_as_in_any_other():
    """The guard's plain proof holds only for cells in order, so the tokenizer reads this sheet as it reads the one
    above, and the writer refuses it alike."""
    rows = b'<row r="2"><c r="A2"><v>1</v></c><c r="Z2"><v>1</v></c><c r="C2"><v>9</v></c></row>'
    assert refusal(rows, Write(2, 3, "x")) == ("unordered-cells", "S", "C2")
    assert refusal(rows, Write(2, 3, "x"), Write(2, 4, "y")) == ("unordered-cells", "S", "C2")
