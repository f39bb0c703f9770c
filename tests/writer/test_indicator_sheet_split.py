"""A large indicator table is assessed and patched in two halves side by side (a forked child does the second):
the workbook that comes out is byte for byte the one a single process writes, refusals still name their cell,
and no child is left behind."""
from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import openpyxl
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from rich_books import SAMPLE, build_rich_book  # noqa: E402

import workbook.writing.indicator_sheet as indicator_sheet  # noqa: E402
import workbook.forked as forked  # noqa: E402
import workbook.writing.row_outputs as row_outputs  # noqa: E402
from workbook.errors import WriteRefused  # noqa: E402
from workbook.writing.evaluate import evaluate_bytes  # noqa: E402

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the split needs fork")
NOW = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.timezone.utc)


def _evaluate(path, monkeypatch, *, split: bool, children: list | None = None):
    """evaluate_bytes with the split threshold at 2 rows (split) or out of reach; `children` collects what each
    forked child sent back (None: it failed), so a test knows the child's half really came from the child."""
    threshold = 2 if split else 10**9
    monkeypatch.setattr(indicator_sheet, "PARALLEL_MIN_ROWS", threshold)
    monkeypatch.setattr(row_outputs, "PARALLEL_MIN_ROWS", threshold)
    monkeypatch.setattr(indicator_sheet, "can_fork", lambda: True)  # pytest's own threads would say no

    def recorded(here, there):
        mine, theirs = forked.run_beside(here, there)
        if children is not None:
            children.append(theirs)
        return mine, theirs
    monkeypatch.setattr(indicator_sheet, "run_beside", recorded)
    return evaluate_bytes(Path(path), now=NOW)


def _no_children():
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def _sample(tmp_path, monkeypatch):
    return SAMPLE


def _rich(tmp_path, monkeypatch):
    path = tmp_path / "rich.xlsx"
    build_rich_book(path)
    return path


def _evaluated_once(tmp_path, monkeypatch):
    """The sample evaluated once: its symbol cells now carry fill styles the second run derives from."""
    first, _ = _evaluate(SAMPLE, monkeypatch, split=False)
    path = tmp_path / "once.xlsx"
    path.write_bytes(first)
    return path


@pytest.mark.parametrize("book", [_sample, _rich, _evaluated_once],
                         ids=["sample", "rich book", "evaluated before"])
def test_two_halves_write_the_same_bytes_as_one_process(book, tmp_path, monkeypatch):
    path = book(tmp_path, monkeypatch)
    one, one_result = _evaluate(path, monkeypatch, split=False)
    children = []
    two, two_result = _evaluate(path, monkeypatch, split=True, children=children)
    assert len(children) == 1 and children[0] is not None  # the second half came from the child
    assert two == one
    assert (two_result.counts, two_result.findings) == (one_result.counts, one_result.findings)
    _no_children()


def test_a_formula_in_the_second_half_is_refused_with_its_cell(tmp_path, monkeypatch):
    wb = openpyxl.load_workbook(SAMPLE)
    ws = wb["Rādītāji"]
    headers = {c.value: c.column for c in ws[1] if c.value}
    last = max(r for r in range(2, ws.max_row + 1) if ws.cell(r, headers["ID"]).value)
    ws.cell(last, headers["Vērtējums"]).value = "=1+1"
    path = tmp_path / "formula.xlsx"
    wb.save(path)
    for split in (False, True):
        children = []
        with pytest.raises(WriteRefused) as refused:
            _evaluate(path, monkeypatch, split=split, children=children)
        assert children == ([None] if split else [])  # the child refused too; this process said so
        assert refused.value.code == "formula-output-cell"
        assert refused.value.location.cell == f"{openpyxl.utils.get_column_letter(headers['Vērtējums'])}{last}"
    _no_children()
