"""radit sample build: the committed sample workbook matches its TOML source; --check catches drift."""
from __future__ import annotations

import shutil

import pytest
from openpyxl import load_workbook

from workbook.model.vocabulary import SHEETS, TABLE_NAME, field_for_header


def test_the_committed_sample_matches_its_source(run_radit, sample_source, sample_book):
    ran = run_radit("sample", "build", "--check", "--source", sample_source, "--out", sample_book)
    assert ran.code == 0, ran.out + ran.err


def test_a_rebuild_gives_the_committed_bytes(tmp_path, run_radit, sample_source, sample_book):
    out = tmp_path / "seed.xlsx"
    assert run_radit("sample", "build", "--source", sample_source, "--out", out).code == 0
    assert out.read_bytes() == sample_book.read_bytes()


def test_the_sample_table_has_27_rows_and_empty_output_columns(sample_book):
    wb = load_workbook(sample_book)
    ws = wb[SHEETS["indicators"]["lv"]]
    assert ws.tables[TABLE_NAME["lv"]].ref.endswith("28")
    fields = [field_for_header(c.value) for c in ws[1]]
    outputs = [i for i, f in enumerate(fields) if f and f[0] in ("symbol", "deviation", "basis", "explanation")]
    assert len(outputs) == 4
    for row in ws.iter_rows(min_row=2, max_row=28, values_only=True):
        assert [row[i] for i in outputs] == [None] * 4
    assert ("actual", 2014) in fields and ("actual", 2015) in fields and ("forecast", 2014) not in fields


@pytest.mark.parametrize("sheet_key, cell, value", [
    ("indicators", "O2", 171),  # achieved 2016 of A.PR1.1
    ("indicators", "A3", "A.PR1.9"),
    ("settings", "B2", 2017),  # the source's own 2017-for-2016 slip
])
def test_check_reports_a_changed_cell(tmp_path, run_radit, sample_source, sample_book, sheet_key, cell, value):
    book = tmp_path / "seed.xlsx"
    shutil.copy(sample_book, book)
    wb = load_workbook(book)
    wb[SHEETS[sheet_key]["lv"]][cell] = value
    wb.save(book)
    ran = run_radit("sample", "build", "--check", "--source", sample_source, "--out", book)
    assert ran.code == 1
    assert f"!{cell}:" in ran.out


def test_check_reports_a_changed_table_definition(tmp_path, run_radit, sample_source, sample_book):
    book = tmp_path / "seed.xlsx"
    shutil.copy(sample_book, book)
    wb = load_workbook(book)
    wb[SHEETS["indicators"]["lv"]].tables[TABLE_NAME["lv"]].ref = "A1:V27"
    wb.save(book)
    ran = run_radit("sample", "build", "--check", "--source", sample_source, "--out", book)
    assert ran.code == 1 and "tables differ" in ran.out


def test_check_fails_when_the_workbook_is_missing(tmp_path, run_radit, sample_source):
    ran = run_radit("sample", "build", "--check", "--source", sample_source, "--out", tmp_path / "none.xlsx")
    assert ran.code == 1


@pytest.mark.parametrize("text", [
    "[settings]\nbaseline_year = 2012\n",  # no evaluation year
    "[settings]\nbaseline_year = 2012\nevaluation_year = 2016\n[[goals]]\ncode = 'A'\n"
    "[[goals.results]]\ncode = 'A1'\n[[goals.results.indicators]]\nid = 'A.1'\nunit = 'count'\ntypo = 1\n",
    "not = [toml",
])
def test_a_bad_source_is_a_clear_error(tmp_path, run_radit, text):
    source = tmp_path / "bad.toml"
    source.write_text(text, encoding="utf-8")
    ran = run_radit("sample", "build", "--source", source, "--out", tmp_path / "out.xlsx")
    assert ran.code == 2
    assert "bad-sample-source" in ran.err and "Traceback" not in ran.err
    assert not (tmp_path / "out.xlsx").exists()
