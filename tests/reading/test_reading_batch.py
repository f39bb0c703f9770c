"""Many workbooks at once: 1 000 generated files (some broken) get one report line each; the large-table path agrees."""
from __future__ import annotations

import io
import random
import shutil

import pytest

from reading_books import GOOD_ROWS
from workbook.validation import validate as validate_module
from workbook.cli.main import run
from workbook.validation.validate import validate_book


def make_batch(folder, template, n=1000, seed=7):
    """n workbooks copied from one template; every 10th broken (not a zip, truncated, no table) -> {path: kind}."""
    rnd = random.Random(seed)
    data = template.read_bytes()
    kinds = {}
    for i in range(n):
        path = folder / f"b{i:04d}.xlsx"
        kind = "valid" if i % 10 else rnd.choice(["not-a-zip", "truncated", "empty", "no-indicator-table"])
        if kind == "not-a-zip":
            path.write_bytes(b"plain text, not a workbook " * rnd.randint(1, 50))
        elif kind == "truncated":
            path.write_bytes(data[: rnd.randint(10, len(data) - 10)])
        elif kind == "empty":
            path.write_bytes(b"")
        else:
            shutil.copyfile(template, path)
        kinds[str(path)] = kind
    return kinds


def test_a_thousand_workbooks_some_broken_each_get_one_line(book, tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    kinds = make_batch(folder, book())
    no_table = book(table=False, sheet="Dati")
    for p, k in kinds.items():
        if k == "no-indicator-table":
            shutil.copyfile(no_table, p)
    out, err = io.StringIO(), io.StringIO()
    code = run(["validate", "--jobs", "2", str(folder)], stdout=out, stderr=err)
    lines = out.getvalue().splitlines()
    assert code == 2 and err.getvalue() == ""
    assert [line.split(": ")[0] for line in lines] == sorted(kinds)
    for line in lines:
        path, _, verdict = line.partition(": ")
        if kinds[path] == "valid":
            assert verdict == "valid"
        else:
            assert verdict.startswith("cannot be read: ")


def big_rows(n, seed=3):
    """A mix of every kind of row the engine meets: plain numbers, text numbers, ranges, overrides, small samples."""
    rnd = random.Random(seed)
    rows = []
    for i in range(n):
        f = rnd.choice([0, 1, 50, 100, 36000, 1000.5])
        a = rnd.choice([f, f * 1.02, f * 0.97, f + 1, None, "35 – 70", "abc", str(f)])
        unit = rnd.choice(["count", "money", "hours", "percent", "milestone", "parsecs"])
        direction = rnd.choice([None, None, "lower_is_better", "closer_is_better"])
        override = rnd.choice([None] * 8 + ["worse", "-"])
        just = rnd.choice([None, "because"])
        sample = rnd.choice([None, None, 50, 500])
        rows.append([f"X.{i}", unit, direction, None, f, a, sample, override, just, rnd.choice([None, "●", "▼"])])
    return rows


def test_the_large_table_path_gives_the_same_report_as_row_by_row(book, monkeypatch):
    path = book(big_rows(400) + [list(GOOD_ROWS[0])])
    by_row = validate_book(path)
    import engine.batch

    monkeypatch.setattr(engine.batch, "FAST_PATH_MIN_ROWS", 0)  # the engine's numpy path from the first row
    monkeypatch.setattr(engine.batch, "FAST_PATH_MIN_ROWS_NUMPY_LOADED", 0)
    by_frame = validate_book(path)
    assert by_frame.codes() == by_row.codes()
    assert [(i.id, i.row, i.status, i.symbol, i.basis) for i in by_frame.indicators] == [
        (i.id, i.row, i.status, i.symbol, i.basis) for i in by_row.indicators]
    for a, b in zip(by_frame.indicators, by_row.indicators):
        assert (a.deviation is None) == (b.deviation is None)
        if a.deviation is not None:
            assert float(a.deviation) == pytest.approx(float(b.deviation), abs=1e-9)
        assert a.assessment.status == b.assessment.status
