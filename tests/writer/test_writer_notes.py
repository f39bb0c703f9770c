"""Cell notes on symbol cells: the analyst's notes are kept, radit's are replaced on re-evaluation."""
from __future__ import annotations

import datetime as dt
import sys
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment

sys.path.insert(0, str(Path(__file__).parent))
from rich_books import SAMPLE  # noqa: E402

from workbook.writing.evaluate import evaluate_file  # noqa: E402

NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.timezone.utc)


def _symbol_col(ws) -> int:
    return next(c.column for c in ws[1] if c.value == "Vērtējums")


def test_an_analysts_note_on_a_symbol_cell_is_kept_and_radits_notes_are_its_own(tmp_path):
    wb = openpyxl.load_workbook(SAMPLE)
    ws = wb["Rādītāji"]
    col = _symbol_col(ws)
    ws.cell(4, col).comment = Comment("Mana piezīme", "Anna")
    book = tmp_path / "book.xlsx"
    wb.save(book)
    once, twice = tmp_path / "once.xlsx", tmp_path / "twice.xlsx"
    evaluate_file(book, out=once, now=NOW)
    evaluate_file(once, out=twice, now=NOW)
    for out in (once, twice):
        ws = openpyxl.load_workbook(out)["Rādītāji"]
        notes = {r: ws.cell(r, col).comment for r in range(2, 29)}
        assert (notes[4].author, notes[4].text) == ("Anna", "Mana piezīme")
        radit = [r for r, c in notes.items() if c is not None and c.author == "radit"]
        assert len(radit) == 26 and all(ws.cell(r, col).comment.text for r in radit)
    with zipfile.ZipFile(once) as a, zipfile.ZipFile(twice) as b:
        comments = [n for n in a.namelist() if n.startswith("xl/comments")]
        assert len(comments) == 1 and a.read(comments[0]) == b.read(comments[0])  # replaced, not doubled
