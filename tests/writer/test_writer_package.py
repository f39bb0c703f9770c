"""rewrite_package keeps every other part's bytes and order, and is deterministic."""

import io
import random
import zipfile
import zlib

import pytest
from openpyxl import Workbook

from workbook.writing.xlsxpatch.package import rewrite_package


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

    from workbook.writing.xlsxpatch.package import rewrite_package

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


@pytest.mark.parametrize("pieces", [1, 2, 3, 4])
@pytest.mark.parametrize("size", [0, 1, 65_535, 1_000_003])
def test_deflate_in_pieces_is_one_valid_stream(pieces, size):
    from workbook.writing.xlsxpatch.package import deflate_parallel

    rng = random.Random(size)
    words = [b"<row r=\"%d\">" % i for i in range(200)] + [bytes([rng.randrange(256)]) for _ in range(50)]
    data = b"".join(rng.choice(words) for _ in range(size))[:size]
    raw, crc = deflate_parallel(data, pieces)
    assert zlib.decompress(raw, -15) == data and crc == zlib.crc32(data)
    assert deflate_parallel(data, pieces) == (raw, crc)  # the same bytes for the same input


def _book_and_big_part(tmp_path):
    """A small book and a sheet-like part just above the size deflated in pieces."""
    from workbook.writing.xlsxpatch import package

    book = tmp_path / "b.xlsx"
    wb = Workbook()
    wb.active["A1"] = 1
    wb.save(book)
    big = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, i * 7) for i in range(package.PARALLEL_DEFLATE_MIN // 30))
    assert len(big) >= package.PARALLEL_DEFLATE_MIN
    return book, big


def test_a_large_replaced_part_is_deflated_in_pieces_and_reads_back(tmp_path):
    book, big = _book_and_big_part(tmp_path)
    data = rewrite_package(str(book), {"xl/big.xml": big, "docProps/app.xml": b"<small/>"})
    assert rewrite_package(str(book), {"xl/big.xml": big, "docProps/app.xml": b"<small/>"}) == data
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None  # every member's CRC checks
        assert z.read("xl/big.xml") == big and z.read("docProps/app.xml") == b"<small/>"
        assert z.getinfo("xl/big.xml").compress_type == zipfile.ZIP_DEFLATED


def test_a_part_deflated_ahead_is_used_only_while_it_is_still_the_same_bytes(tmp_path):
    from workbook.writing.xlsxpatch import package

    book, big = _book_and_big_part(tmp_path)
    plain = rewrite_package(str(book), {"xl/big.xml": big})
    ahead = package.deflate_ahead(big)
    if package._cores() < 2:
        assert ahead is None  # one core: nothing to overlap
        return
    assert rewrite_package(str(book), {"xl/big.xml": big}, {"xl/big.xml": ahead}) == plain
    changed = big.replace(b'<v>7</v>', b'<v>8</v>', 1)  # the part changed after it was sent ahead
    with zipfile.ZipFile(io.BytesIO(rewrite_package(str(book), {"xl/big.xml": changed}, {"xl/big.xml": ahead}))) as z:
        assert z.testzip() is None and z.read("xl/big.xml") == changed
