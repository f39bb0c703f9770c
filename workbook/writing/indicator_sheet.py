"""Assess every indicator row and write its four output cells and its note into the indicator sheet.

A large table is done in two halves side by side (workbook.forked.run_beside): a forked child assesses the
second half and patches the rows of the sheet XML from the first row of that half on, while this process does
the first half. The status fill of a symbol cell is a new cell style derived from the cell's own, and styles.xml
lives here: the child marks each such cell with a placeholder (its own style and the fill) and this process
turns the placeholders into style indexes in document order, so the styles are numbered exactly as one
process numbers them, and the bytes are the same.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Sequence

from workbook.model.vocabulary import OUTPUT_FIELDS
from workbook.forked import run_beside
from workbook.writing.row_outputs import PARALLEL_MIN_ROWS, RowOutput, can_fork, outputs_for, row_outputs
from workbook.writing.xlsxpatch.cells import SheetPatch, Write
from workbook.writing.xlsxpatch.sheets import print_ready
from workbook.writing.xlsxpatch.styles import symbol_look

# The child's rows per 100: it is ~25 % slower a row (pages copied on write, its results pickled and sent back), so
# with 45 of 100 both halves end together (100 000 rows: this process then waits 0.2 s for it, not 0.75 s).
CHILD_SHARE_PERCENT = 45
# \x01 and \x02 cannot occur in XML 1.0 (the rendered texts drop them, and a sheet holding them is not split)
_PLACEHOLDER = re.compile(rb"\x01(\d*)\x02(\d+)\x01")


def cell_writes(book, assessed, fill: Callable[[str], Any]) -> list[Write]:
    """The four output cells of each indicator row (row, RowOutput pairs), for the output columns the table has;
    `fill(colour)` gives the symbol cell's style (an index, or a function of the cell's own style)."""
    cols = book.field_columns
    symbol, deviation, basis, explanation = (cols.get("symbol"), cols.get("deviation"), cols.get("basis"),
                                             cols.get("explanation"))
    writes: list[Write] = []
    add = writes.append
    for row, out in assessed:
        r = row.row
        if symbol is not None:
            add(Write(r, symbol, out.symbol, fill(out.colour)))
        if deviation is not None:
            add(Write(r, deviation, out.deviation))
        if basis is not None:
            add(Write(r, basis, out.basis))
        if explanation is not None:
            add(Write(r, explanation, out.explanation))
    return writes


def write_indicator_sheet(edit, path: str, book, rules, lang: str, part: str, styles, *,
                          parallel: bool | None = None) -> tuple[list[RowOutput], bool]:
    """Assess the rows, patch their output cells (fills from `styles`) and notes into `part`;
    (one RowOutput per row of book.rows, whether the notes were written)."""
    from workbook.writing.xlsxpatch.notes import NOTE_LIMIT, write_notes

    patch = SheetPatch(edit.read(part), path=path, sheet=book.sheet)
    fill = _fills(styles)
    rows = book.rows
    if parallel is None:
        parallel = len(rows) >= PARALLEL_MIN_ROWS and can_fork()
    done = _in_two_halves(patch, book, rules, lang, fill) if parallel else None
    if done is None:
        outputs = outputs_for(rows, rules, lang, parallel=parallel)
        sheet_xml = patch.apply(cell_writes(book, zip(rows, outputs), fill))
    else:
        outputs, sheet_xml = done
    symbol_col = book.field_columns.get("symbol")
    notes_written = symbol_col is None or len(rows) <= NOTE_LIMIT
    notes = [(row.row, symbol_col, out.explanation) for row, out in zip(rows, outputs) if out.explanation] \
        if symbol_col is not None and notes_written else []
    # the notes are written while a forked child fits the row heights, for a large table (see print_ready)
    sheet_xml = print_ready(edit, styles, book.sheet, sheet_xml, rows=[row.row for row in rows],
                            header_row=book.table.header_row, id_col=book.field_columns.get("id"),
                            last_col=book.table.last_col,
                            texts={book.field_columns.get(f): {getattr(o, f) for o in outputs}
                                   for f in ("deviation", "basis")},
                            then=lambda xml: write_notes(edit, path, book.sheet, part, xml, notes), beside=parallel)
    edit.write(part, sheet_xml)
    return outputs, notes_written


def _fills(styles) -> Callable[[str], Callable[[int | None], int]]:
    """colour -> (a cell's own style index -> the index of that style with the status fill on top)."""
    cache: dict[tuple[int | None, str], int] = {}
    derived: dict[str, Callable[[int | None], int]] = {}

    def fill(colour: str) -> Callable[[int | None], int]:
        if colour not in derived:
            def style(old: int | None) -> int:
                key = (old, colour)
                if key not in cache:
                    cache[key] = styles.xf(symbol_look(colour), base=old if old is not None else 0)
                return cache[key]
            derived[colour] = style
        return derived[colour]
    return fill


def _in_two_halves(patch: SheetPatch, book, rules, lang: str, fill):
    """(outputs, sheet XML) with the halves done side by side; None when the sheet cannot be split that way."""
    rows = book.rows
    cols = [c for c in (book.field_columns.get(f) for f in OUTPUT_FIELDS) if c is not None]
    if len(rows) < 2 or not cols or b"\x01" in patch.xml:
        return None
    half = len(rows) - len(rows) * CHILD_SHARE_PERCENT // 100
    first_of_second = rows[half].row
    cut = patch.split_at(first_of_second)
    if cut is None or rows[half - 1].row >= first_of_second:
        return None
    # Refusals (merged or shared-formula output cells) for the whole table before either half writes.
    patch.check({row.row: dict.fromkeys(cols) for row in rows})
    colours: list[str] = []
    marks: dict[str, Callable[[int | None], str]] = {}

    def placeholder(colour: str) -> Callable[[int | None], str]:  # the child's stand-in for fill(colour)
        if colour not in marks:
            index = len(colours)
            colours.append(colour)
            marks[colour] = lambda old: f"\x01{'' if old is None else old}\x02{index}\x01"
        return marks[colour]

    def half_of(part: Sequence[Any], style, start, end, first_row):
        outputs = row_outputs(part, rules, lang)
        writes = cell_writes(book, zip(part, outputs), style)
        return outputs, patch.patch_span(writes, start, end, first_row)

    def second_half():  # in the child: its colours travel back with its span
        outputs, span = half_of(rows[half:], placeholder, cut, None, first_of_second)
        return outputs, span, colours

    (first, span1), there = run_beside(lambda: half_of(rows[:half], fill, None, cut, 1), second_half)
    if there is None:  # the child failed: its half here (a refusal in it is raised here)
        second, span2 = half_of(rows[half:], fill, cut, None, first_of_second)
    else:
        second, span2, child_colours = there

        def real(m: re.Match) -> bytes:  # in document order: the styles numbered as one process numbers them
            return str(fill(child_colours[int(m.group(2))])(int(m.group(1)) if m.group(1) else None)).encode()

        span2 = _PLACEHOLDER.sub(real, span2)
    return first + second, patch.join_spans([span1, span2], (rows[0].row, min(cols), rows[-1].row, max(cols)))
