"""rewrite_package keeps every other part's bytes and order, and is deterministic."""

import io
import zipfile

from openpyxl import Workbook

from workbook.xlsxpatch import rewrite_package


def test_other_parts_identical_and_deterministic(tmp_path):
    book = tmp_path / "b.xlsx"
    wb = Workbook()
    wb.active["A1"] = 1
    wb.create_sheet("Second")["B2"] = "x"
    wb.save(book)
    once = rewrite_package(str(book), {"docProps/custom.xml": b"<x/>"})
    twice = rewrite_package(str(book), {"docProps/custom.xml": b"<x/>"})
    assert once == twice
    with zipfile.ZipFile(book) as a, zipfile.ZipFile(io.BytesIO(once)) as b:
        assert b.namelist()[: len(a.namelist())] == a.namelist()
        for name in a.namelist():
            assert a.read(name) == b.read(name), name
        assert b.read("docProps/custom.xml") == b"<x/>"
