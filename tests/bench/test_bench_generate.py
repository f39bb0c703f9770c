"""The benchmark's workbook generator writes master workbooks that openpyxl, calamine and radit read."""
import pytest

from bench.generate import check, generate, headers
from workbook.reading.calamine import read_master


@pytest.mark.parametrize("rows", [1, 50])
def test_generated_workbook_reads(tmp_path, rows):
    path = generate(tmp_path / "g.xlsx", rows)
    assert check(path) == rows
    book = read_master(path)
    assert len(book.rows) == rows
    assert book.settings.evaluation_year == 2016
    assert ("forecast", 2016) in book.year_columns and ("actual", 2016) in book.year_columns
    assert len(headers()) == 20
