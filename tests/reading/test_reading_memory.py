"""What the model keeps of a large table: the sheet's lines are not kept beside the rows built from them."""
from __future__ import annotations

import weakref

import workbook.model.rows as rows_module
import workbook.reading.calamine as calamine
from workbook.model.grid import SheetGrid
from workbook.reading.calamine import read_master


class _Lines(list):  # a list that can be watched (weakref) for being freed
    pass


def test_the_sheets_lines_are_freed_before_the_rows_are_built(book, monkeypatch):
    watched: dict[str, weakref.ref] = {}
    made = SheetGrid

    def grid(name, lines, *args, **kwargs):
        lines = _Lines(lines)
        watched[name] = weakref.ref(lines)
        return made(name, lines, *args, **kwargs)

    alive_when_built: list[bool] = []
    records = rows_module._records

    def watching(keys):
        build = records(keys)

        def run(columns):
            alive_when_built.append(watched["Rādītāji"]() is not None)
            return build(columns)
        return run

    monkeypatch.setattr(calamine, "SheetGrid", grid)
    monkeypatch.setattr(rows_module, "_records", watching)
    model = read_master(book())
    assert len(model.rows) == 3 and alive_when_built and not any(alive_when_built)
