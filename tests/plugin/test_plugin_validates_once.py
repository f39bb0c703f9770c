"""The plugin validates each workbook once per run: collection reads only the ids, the first item to run validates,
the other items reuse its report, also across pytest-xdist workers."""
from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from plugin_outcomes import outcomes as _outcomes


# The inner runs' conftest: every call of validate_book (the name the plugin calls) and every item run, one line each.
COUNTING_CONFTEST = '''
import os

import workbook.validation.validate as validation

_validate_book = validation.validate_book


def _log(name, line):
    with open(os.path.join({logs!r}, name), "a", encoding="utf-8") as fh:  # one short append: whole lines
        fh.write(line + "\\n")


def counted(path, *args, **kwargs):
    _log("validated.log", os.path.basename(str(path)))
    return _validate_book(path, *args, **kwargs)


validation.validate_book = counted


def pytest_runtest_setup(item):
    shared = getattr(item.config, "workerinput", {{}}).get("radit_cache_dir", "-")
    _log("ran.log", " ".join((os.environ.get("PYTEST_XDIST_WORKER", "main"), item.nodeid, shared)))
'''

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "seed-2016.xlsx"
BOOKS = ("alpha.xlsx", "beta.xlsx", "gamma.xlsx")  # the sample; beta with one unparseable value; gamma with a row less
FAILING = ["beta.xlsx::A.AR3.1"]
DROPPED = "B.AR4.3"  # gamma's last row, emptied


def _ids() -> list[str]:
    wb = openpyxl.load_workbook(SAMPLE, read_only=True)
    ids = [row[0] for row in wb["Rādītāji"].iter_rows(min_row=2, max_col=1, values_only=True) if row[0]]
    wb.close()
    return ids


def _items() -> list[str]:
    """Every item the three workbooks give, in collection order (the workbook item, then the rows)."""
    ids = _ids()
    return [f"{name}::{item}" for name in BOOKS
            for item in ["workbook", *(i for i in ids if not (name == "gamma.xlsx" and i == DROPPED))]]


@pytest.fixture
def logs(pytester, tmp_path) -> Path:
    """Three master workbooks made from the sample, and the counting conftest beside them."""
    shutil.copyfile(SAMPLE, pytester.path / "alpha.xlsx")
    for name, field, indicator in (("beta.xlsx", "Sasniegts 2016", "A.AR3.1"), ("gamma.xlsx", None, DROPPED)):
        wb = openpyxl.load_workbook(SAMPLE)
        ws = wb["Rādītāji"]
        headers = {c.value: c.column for c in ws[1] if c.value}
        row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == indicator)
        for column in ([headers[field]] if field else range(1, ws.max_column + 1)):
            ws.cell(row, column).value = "daudz" if field else None
        wb.save(pytester.path / name)
    folder = tmp_path / "logs"
    folder.mkdir()
    pytester.makeconftest(COUNTING_CONFTEST.format(logs=str(folder)))
    return folder


def _lines(folder: Path, name: str) -> list[str]:
    path = folder / name
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def test_without_xdist_each_workbook_is_validated_once_and_every_item_runs(pytester, logs):
    items = _items()
    result = pytester.runpytest_subprocess("--radit", "-rA", "-p", "no:xdist")
    result.assert_outcomes(passed=len(items) - 1, failed=1)
    assert sorted(_lines(logs, "validated.log")) == sorted(BOOKS)
    assert sorted(line.split()[1] for line in _lines(logs, "ran.log")) == sorted(items)
    assert [k for k, v in _outcomes(result).items() if v == "failed"] == FAILING


@pytest.mark.parametrize("dist", ["load", "loadfile", "loadgroup", "each"])
def test_under_xdist_each_workbook_is_validated_once_however_its_items_are_spread(pytester, logs, tmp_path, monkeypatch, dist):
    pytest.importorskip("xdist")
    items = _items()
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))  # where the controller makes the folder the workers share
    result = pytester.runpytest_subprocess("--radit", "-n", "2", "-p", "xdist", "--dist", dist, "-rA")
    copies = 2 if dist == "each" else 1  # --dist each runs every item on both workers
    result.assert_outcomes(passed=copies * (len(items) - 1), failed=copies)
    assert sorted(_lines(logs, "validated.log")) == sorted(BOOKS), "each workbook validated exactly once"
    ran = [line.split() for line in _lines(logs, "ran.log")]
    assert sorted(nodeid for _, nodeid, _ in ran) == sorted(items * copies)
    assert {worker for worker, _, _ in ran} == {"gw0", "gw1"}
    if dist == "each":  # both workers ran items of every workbook, and still one validation each
        assert all({w for w, nodeid, _ in ran if nodeid.startswith(name)} == {"gw0", "gw1"} for name in BOOKS)
    shared = {folder for _, _, folder in ran}
    assert len(shared) == 1 and Path(shared.pop()).parent == temp  # one folder for the run, from the controller
    assert list(temp.iterdir()) == [], "the controller removes the shared folder at the end"
    assert [k for k, v in _outcomes(result).items() if v == "failed"] == FAILING


@pytest.mark.parametrize("xdist", [(), ("-p", "xdist", "-n", "2")], ids=["alone", "xdist"])
def test_collection_alone_validates_nothing_yet_lists_every_indicator(pytester, logs, xdist):
    if xdist:
        pytest.importorskip("xdist")
    result = pytester.runpytest_subprocess("--radit", "--collect-only", "-q", *xdist)
    assert result.ret == pytest.ExitCode.OK
    assert [line for line in result.outlines if "::" in line] == _items()  # in the workbooks' row order
    assert _lines(logs, "validated.log") == []


def test_an_unreadable_workbook_is_refused_by_its_one_item_without_validating(pytester, logs):
    (pytester.path / "not-a-workbook.xlsx").write_text("hello")
    result = pytester.runpytest_subprocess("--radit", "-rA", "-p", "no:xdist", "not-a-workbook.xlsx")
    result.assert_outcomes(failed=1)
    assert _outcomes(result) == {"not-a-workbook.xlsx::workbook": "failed"}
    assert "[not-a-zip]" in result.stdout.str()
    assert _lines(logs, "validated.log") == []  # collection's read already said why


def test_a_workbook_that_validation_refuses_fails_its_workbook_item_once_and_skips_its_rows(pytester, logs):
    """Collection reads the rows without the rule file the settings name; validation then cannot find it."""
    wb = openpyxl.load_workbook(SAMPLE)
    for label, value in wb["Iestatījumi"].iter_rows(max_col=2):
        if label.value == "Noteikumu fails":
            value.value = "nowhere.json"
    wb.save(pytester.path / "no-rules.xlsx")
    result = pytester.runpytest_subprocess("--radit", "-rA", "-p", "no:xdist", "no-rules.xlsx")
    result.assert_outcomes(failed=1, skipped=len(_ids()))
    assert _outcomes(result) == {"no-rules.xlsx::workbook": "failed"}
    assert "nowhere.json" in result.stdout.str()
    assert _lines(logs, "validated.log") == ["no-rules.xlsx"]
