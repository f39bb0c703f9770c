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


def test_parts_not_replaced_keep_their_compressed_bytes(tmp_path):
    import zipfile as zf

    from workbook.xlsxpatch import rewrite_package

    src = tmp_path / "src.zip"
    with zf.ZipFile(src, "w") as z:
        z.writestr(zf.ZipInfo("a.xml", (2020, 1, 2, 3, 4, 6)), b"<a>" + b"x" * 5000 + b"</a>", zf.ZIP_DEFLATED, 9)
        z.writestr(zf.ZipInfo("b.bin", (2020, 1, 2, 3, 4, 6)), bytes(range(256)), zf.ZIP_STORED)
        z.writestr(zf.ZipInfo("c.xml", (2020, 1, 2, 3, 4, 6)), b"<c/>", zf.ZIP_DEFLATED)
    out = tmp_path / "out.zip"
    out.write_bytes(rewrite_package(str(src), {"c.xml": b"<c>new</c>", "d.xml": b"<d/>"}))

    def raw(path, name):
        with zf.ZipFile(path) as z:
            info = z.getinfo(name)
            with open(path, "rb") as fh:
                fh.seek(info.header_offset + 26)
                skip = int.from_bytes(fh.read(2), "little") + int.from_bytes(fh.read(2), "little")
                fh.seek(info.header_offset + 30 + skip)
                return fh.read(info.compress_size), info.compress_type, info.date_time

    assert raw(out, "a.xml") == raw(src, "a.xml")  # level 9 deflate kept, not recompressed at the default level
    assert raw(out, "b.bin") == raw(src, "b.bin")
    with zf.ZipFile(out) as z:
        assert z.testzip() is None and z.namelist() == ["a.xml", "b.bin", "c.xml", "d.xml"]
        assert z.read("c.xml") == b"<c>new</c>" and z.read("a.xml").startswith(b"<a>xxx")
