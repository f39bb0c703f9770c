"""engine.a1, the one place radit converts A1 references: column letters and numbers, cell names, references split
into (row, column), within the sheet's edge (XFD1048576) where a cell must be, past it where a reader must see
what is written."""
from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from engine.a1 import (MAX_COLUMN, MAX_ROW, ZZZ, cell_name, column_letter, column_number, column_of, parse_cell,
                       range_name, split_cell, split_range)

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("number, letters", [(1, "A"), (26, "Z"), (27, "AA"), (52, "AZ"), (53, "BA"), (702, "ZZ"),
                                             (703, "AAA"), (16384, "XFD"), (18278, "ZZZ")])
def test_known_columns(number, letters):
    assert column_letter(number) == letters
    assert column_number(letters) == column_number(letters.lower()) == column_number(letters.encode()) == number


def test_every_column_of_a_sheet_round_trips():
    for n in range(1, MAX_COLUMN + 1):
        letters = column_letter(n)
        assert column_number(letters) == n and column_number(letters.encode()) == n
        assert column_of(f"{letters}7") == n and column_of(f"${letters}$7".encode()) == n
    assert (MAX_COLUMN, MAX_ROW, ZZZ) == (16384, 1_048_576, 18278)


def test_the_letters_agree_with_openpyxl():
    from openpyxl.utils import column_index_from_string, get_column_letter

    for n in (*range(1, 800), *range(16000, MAX_COLUMN + 1)):
        assert column_letter(n) == get_column_letter(n)
        assert column_number(get_column_letter(n)) == column_index_from_string(get_column_letter(n)) == n


def test_every_cell_name_round_trips():
    rng = random.Random(7)
    rows = [1, 2, 9, 10, 99_999, 100_000, MAX_ROW, *(rng.randint(1, MAX_ROW) for _ in range(40))]
    for col in range(1, MAX_COLUMN + 1, 7):
        for row in rows[col % len(rows):][:3]:
            name = cell_name(row, col)
            assert split_cell(name) == parse_cell(name) == (row, col)
            assert split_cell(name.encode()) == split_cell(name.lower()) == (row, col)
            letters = name.rstrip("0123456789")
            assert split_cell(f" ${letters}${row} ") == (row, col)  # as an attribute or a formula writes it


@pytest.mark.parametrize("ref", ["XFE1", "A1048577", "A0", "ZZZ1", "A10000000"])
def test_a_cell_past_the_sheets_edge_is_no_cell_but_is_read_as_written(ref):
    with pytest.raises(ValueError):
        split_cell(ref)
    assert split_cell(ref, bounded=False) == parse_cell(ref) is not None


def test_the_column_of_a_cell_stops_at_xfd():
    assert column_of("XFD1") == column_of(b"$XFD$1048576") == MAX_COLUMN
    for ref in ("XFE1", b"ZZZ9", "", b"12"):
        with pytest.raises(ValueError):
            column_of(ref)


@pytest.mark.parametrize("ref", ["", "A", "12", "1A", "AAAA1", "A1234567890", "A-1", "A1B", "Ä1", "A 1", "$$A1"])
def test_what_is_no_reference(ref):
    assert parse_cell(ref) is None and parse_cell(ref.encode()) is None
    with pytest.raises(ValueError):
        split_cell(ref, bounded=False)


@pytest.mark.parametrize("bad", [0, -1])
def test_no_column_before_a(bad):
    with pytest.raises(ValueError):
        column_letter(bad)


@pytest.mark.parametrize("letters", ["", "AAAA", "A1", "Ä", "$A", b""])
def test_what_are_no_column_letters(letters):
    with pytest.raises(ValueError):
        column_number(letters)


def test_ranges():
    assert split_range("B3:V28") == split_range("V28:B3") == split_range("$B$3:$V$28") == (3, 2, 28, 22)
    assert split_range("C7") == (7, 3, 7, 3) and split_range(b"N1:O1") == (1, 14, 1, 15)
    assert split_range("A1:V2000000", bounded=False) == (1, 1, 2_000_000, 22)
    with pytest.raises(ValueError):
        split_range("A1:V2000000")
    with pytest.raises(ValueError):
        split_range("A1:B")
    assert range_name(1, 14, 1, 15) == "N1:O1" and range_name(*split_range("B3:V28")) == "B3:V28"


def test_a_reference_seen_before_reads_the_same_as_the_first_time():
    """The lookup tables (letters met, names made) never change an answer, for text and bytes alike."""
    for _ in range(2):
        assert parse_cell("QX77") == parse_cell(b"QX77") == (77, column_number("QX"))
        assert parse_cell("qx77") == (77, column_number("QX"))
        assert cell_name(77, column_number("QX")) == "QX77"


def test_no_module_keeps_its_own_conversion():
    """Column letters are computed in engine/a1.py only: no `ord(…) - 64` nor `chr(65 + …)` anywhere else."""
    own = re.compile(r"ord\([^)]*\)\s*-\s*64|\bch\s*-\s*64\b|chr\(\s*65\s*\+|divmod\([^)]*,\s*26\)")
    found = [f"{path.relative_to(ROOT)}:{i}" for folder in ("engine", "workbook") for path in (ROOT / folder).rglob("*.py")
             if path.name != "a1.py" or path.parent.name != "engine"
             for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if own.search(line)]
    assert found == []
