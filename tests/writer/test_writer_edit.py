"""PackageEdit: part changes, content types and relationships on a real openpyxl-made package."""
import zipfile

import openpyxl
import pytest

from workbook.reading.package import open_package
from workbook.writing.xlsxpatch.package import rewrite_package
from workbook.writing.xlsxpatch.edit import PackageEdit, rels_name, resolve


@pytest.fixture
def book(tmp_path):
    path = tmp_path / "b.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "x"
    wb.save(path)
    return path


def test_rels_names_and_targets_resolve_relative_to_their_source():
    assert rels_name("xl/worksheets/sheet1.xml") == "xl/worksheets/_rels/sheet1.xml.rels"
    assert resolve("xl/worksheets/sheet1.xml", "../comments1.xml") == "xl/comments1.xml"
    assert resolve("xl/workbook.xml", "/xl/styles.xml") == "xl/styles.xml"


def test_writing_the_same_bytes_is_no_change(book):
    pkg = open_package(book)
    edit = PackageEdit(pkg)
    edit.write("xl/workbook.xml", pkg.read("xl/workbook.xml"))
    assert edit.changes == {}


def test_new_part_with_content_type_and_relationship_survives_the_rewrite(book, tmp_path):
    pkg = open_package(book)
    edit = PackageEdit(pkg)
    name = edit.free_name("xl/comments{}.xml")
    assert name == "xl/comments1.xml"
    edit.write(name, b"<comments/>")
    edit.set_override(name, "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml")
    edit.set_default("vml", "application/vnd.openxmlformats-officedocument.vmlDrawing")
    rid = edit.add_relationship("xl/worksheets/sheet1.xml", "http://x/comments", name)
    assert edit.add_relationship("xl/worksheets/sheet1.xml", "http://x/comments", name) == rid  # reused
    assert edit.targets("xl/worksheets/sheet1.xml", "/comments") == [(rid, name)]
    assert edit.content_type(name).endswith("comments+xml")
    out = tmp_path / "out.xlsx"
    out.write_bytes(rewrite_package(str(book), edit.changes))
    with zipfile.ZipFile(out) as z:
        assert b"../comments1.xml" in z.read("xl/worksheets/_rels/sheet1.xml.rels")
        types = z.read("[Content_Types].xml")
        assert types.index(b'Extension="vml"') < types.index(b"<Override")
    openpyxl.load_workbook(out)  # still a workbook
    edit.remove_relationships("xl/worksheets/sheet1.xml", [rid])
    assert edit.targets("xl/worksheets/sheet1.xml", "/comments") == []


def test_a_part_declared_in_another_encoding_is_read_as_utf8():
    from workbook.writing.xlsxpatch.edit import as_utf8

    data = '<?xml version="1.0" encoding="windows-1257"?><t>Rādītāji</t>'.encode("windows-1257")
    assert as_utf8(data) == '<?xml version="1.0" encoding="UTF-8"?><t>Rādītāji</t>'.encode()
    plain = '<?xml version="1.0" encoding="UTF-8"?><t>ā</t>'.encode()
    assert as_utf8(plain) is plain
