"""A1 references, in one place: column letters and numbers, cell names, a reference split into (row, column).

Every reader and writer of radit converts through here: the guard's tokenizer and the byte patch on every cell of a
sheet (millions at 100 000 rows), so the conversions are table lookups once a column has been seen: a sheet has a
few dozen columns, on every row. Two kinds of reading:

- `split_cell`, `split_range` and `column_of` for a cell of a sheet: within A1:XFD1048576, or ValueError;
- `parse_cell` (and `split_cell(..., bounded=False)`) for what a reader must see as written, past the sheet's edge
  too (the guard refuses a cell at ZZZ1 or A2000000 as too large, and a table's ref may reach past the last row):
  any one to three letters and one to nine digits, None (or ValueError) for anything else.

They take either case, `$` anchors and surrounding whitespace, as text or bytes. The other way: `column_letter`,
`cell_name`, `range_name`.
"""
from __future__ import annotations

import operator
import re

MAX_ROW = 1_048_576
MAX_COLUMN = 16_384  # XFD
ZZZ = 18_278  # the farthest column three letters write (parse_cell reads that far)

_NUMBER: dict[str | bytes, int] = {}  # "AB" and b"AB" -> 28, for the upper-case letters met (at most 2 × 18 278)
_LETTERS: dict[int, str] = {}  # 28 -> "AB"
_REF = re.compile(r"\s*\$?([A-Za-z]{1,3})\$?([0-9]{1,9})\s*")
_DIGITS, _BYTE_DIGITS = "0123456789", b"0123456789"


def column_letter(column: int) -> str:
    """1 -> 'A', 28 -> 'AB', 16384 -> 'XFD' (and on past XFD, to name a cell beyond the sheet's edge)."""
    letters = _LETTERS.get(column)
    if letters is None:
        n = operator.index(column)
        if n < 1:
            raise ValueError(f"not a column number: {column!r}")
        letters = ""
        while n > 0:
            n, rem = divmod(n - 1, 26)
            letters = chr(65 + rem) + letters
        if column <= ZZZ:
            _LETTERS[column] = letters
    return letters


def column_number(letters: str | bytes) -> int:
    """'AB' (or 'ab', b'AB') -> 28; ValueError for anything but one to three letters. Not bounded by XFD (see
    MAX_COLUMN): 'ZZZ' is 18278."""
    number = _NUMBER.get(letters)
    if number is None:
        if not 1 <= len(letters) <= 3 or not letters.isascii() or not letters.isalpha():
            raise ValueError(f"not column letters: {letters!r}")
        number = 0
        for ch in letters.upper():
            number = number * 26 + (ch if ch.__class__ is int else ord(ch)) - 64
        if letters.isupper():
            _NUMBER[letters] = number
    return number


def cell_name(row: int, column: int) -> str:
    """(12, 28) -> 'AB12'."""
    letters = _LETTERS.get(column)
    return f"{letters if letters is not None else column_letter(column)}{row}"


def parse_cell(ref: str | bytes) -> tuple[int, int] | None:
    """'AB12' -> (12, 28), as written: past the sheet's edge too ('ZZZ1', 'A0'); None for what is no reference."""
    letters = ref.rstrip(_DIGITS if ref.__class__ is str else _BYTE_DIGITS)
    column = _NUMBER.get(letters)
    if column is None and 0 < len(letters) <= 3 and letters.isalpha() and letters.isupper() and letters.isascii():
        column = column_number(letters)  # the usual spelling, seen for the first time: kept for the next rows
    if column is not None and 0 < len(ref) - len(letters) <= 9:
        return int(ref[len(letters):]), column
    m = _REF.fullmatch(ref.decode("ascii", "replace") if ref.__class__ is bytes else ref)
    if m is None:
        return None
    return int(m.group(2)), column_number(m.group(1))


def split_cell(ref: str | bytes, *, bounded: bool = True) -> tuple[int, int]:
    """'AB12' -> (12, 28) for a cell of a sheet (A1 to XFD1048576), else ValueError; `bounded=False` accepts a
    reference past the sheet's edge as written (parse_cell), refusing only what is no reference."""
    cell = parse_cell(ref)
    if cell is None or (bounded and not (1 <= cell[0] <= MAX_ROW and cell[1] <= MAX_COLUMN)):
        raise ValueError(f"not a cell reference: {ref!r}")
    return cell


def column_of(ref: str | bytes) -> int:
    """The column of a cell reference, its row not read: b'AB12' or b'$AB$12' -> 28; ValueError beyond XFD or for
    what holds no column letters."""
    if ref.__class__ is bytes:
        letters = ref.rstrip(b"0123456789$").lstrip(b"$")
    else:
        letters = ref.rstrip("0123456789$").lstrip("$")
    column = _NUMBER.get(letters)
    if column is None:
        try:
            column = column_number(letters)
        except ValueError:
            raise ValueError(f"not a cell reference: {ref!r}") from None
    if column > MAX_COLUMN:
        raise ValueError(f"not a cell reference: {ref!r}")
    return column


def split_range(ref: str | bytes, *, bounded: bool = True) -> tuple[int, int, int, int]:
    """'B3:V28' -> (first row, first column, last row, last column) = (3, 2, 28, 22), corners in any order; a single
    cell is a 1×1 range. `bounded=False` keeps a corner past the sheet's edge as written (a table's ref reaching
    row 2 000 000 is read up to its data); ValueError for what is no range."""
    a, _, b = ref.partition(":" if ref.__class__ is str else b":")
    r1, c1 = split_cell(a, bounded=bounded)
    r2, c2 = split_cell(b, bounded=bounded) if b else (r1, c1)
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


def range_name(first_row: int, first_column: int, last_row: int, last_column: int) -> str:
    """(1, 14, 1, 15) -> 'N1:O1'."""
    return f"{cell_name(first_row, first_column)}:{cell_name(last_row, last_column)}"
