"""workbook.reading.package guards, one table row per corpus case: (case, error code)."""
from __future__ import annotations

import os

import pytest

from workbook.errors import WorkbookError
from workbook.reading.package import Limits, open_package


@pytest.mark.parametrize("case, code", [
    ("not-a-zip", "not-a-zip"), ("truncated", "truncated"), ("legacy-xls", "legacy-xls"),
    ("encrypted", "encrypted"), ("zip-bomb", "too-large"), ("huge-string", "too-large"),
    ("billion-laughs", "bad-xml"), ("external-entity", "bad-xml"), ("external-entity-sheet", "bad-xml"),
    ("sheet-name-escape", "bad-xml"), ("duplicate-part", "duplicate-part"),
])
def test_guard_refuses(corpus, case, code):
    with pytest.raises(WorkbookError) as err:
        open_package(corpus[case])
    assert err.value.code == code
    assert err.value.path == str(corpus[case])


@pytest.mark.parametrize("case", ["valid", "far-cell", "no-table", "invalid-utf8", "windows-1257", "control-chars",
                                  "table-ref-outside", "rows-100k"])
def test_guard_lets_through_what_the_reader_judges(corpus, case):
    """Cell-level trouble (control characters in cells, bad bytes in a sheet) is the reader's to report, located."""
    open_package(corpus[case]).close()


def test_missing_file(tmp_path):
    with pytest.raises(WorkbookError) as err:
        open_package(tmp_path / "nope.xlsx")
    assert err.value.code == "not-found"


def test_a_folder_is_not_a_file(tmp_path):
    with pytest.raises(WorkbookError) as err:
        open_package(tmp_path)
    assert err.value.code == "not-a-file"


def test_a_pipe_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    with pytest.raises(WorkbookError) as err:
        open_package(fifo)  # opening a FIFO for reading would wait for a writer forever
    assert err.value.code == "not-a-file"


def test_a_device_is_refused():
    with pytest.raises(WorkbookError) as err:
        open_package("/dev/zero")
    assert err.value.code == "not-a-file"


def test_part_names_differing_in_case_are_duplicates(tmp_path):
    from make_corpus import SAMPLE, SHEET, _part, _rezip

    path = _rezip(SAMPLE, tmp_path / "x.xlsx", {SHEET.replace("sheet1", "Sheet1"): _part(SHEET)})
    with pytest.raises(WorkbookError) as err:
        open_package(path)
    assert err.value.code == "duplicate-part"


def test_valid_package_reads_parts(corpus):
    package = open_package(corpus["valid"])
    assert "xl/workbook.xml" in package.names()
    assert package.read("xl/workbook.xml").lstrip().startswith(b"<")
    package.close()


def test_part_cap_enforced_while_streaming(corpus):
    package = open_package(corpus["valid"], Limits(max_part_uncompressed=1 << 30))
    tiny = Limits(max_part_uncompressed=100)
    package.limits = tiny  # the streaming cap, independent of what the zip headers declare
    with pytest.raises(WorkbookError) as err:
        package.read("xl/workbook.xml")
    assert err.value.code == "too-large"


def test_file_cap(corpus):
    with pytest.raises(WorkbookError) as err:
        open_package(corpus["rows-100k"], Limits(max_file=1 << 20))
    assert err.value.code == "too-large"


def test_limits_from_env(monkeypatch):
    monkeypatch.setenv("RADIT_MAX_FILE_MB", "5")
    monkeypatch.setenv("RADIT_MAX_PART_MB", "0.5")
    monkeypatch.setenv("RADIT_MAX_UNCOMPRESSED_MB", "not a number")
    limits = Limits.from_env()
    assert limits.max_file == 5 << 20
    assert limits.max_part_uncompressed == 1 << 19
    assert limits.max_total_uncompressed == Limits().max_total_uncompressed


@pytest.mark.parametrize("control", [b"\x1b", b"\x07", b"\x00", b"\xc2\x9b"])
def test_control_characters_in_sheet_names_are_refused(tmp_path, control):
    from make_corpus import SAMPLE, _part, _rezip

    workbook = _part("xl/workbook.xml").replace('name="Iestatījumi"'.encode(), b'name="Set' + control + b'"')
    path = _rezip(SAMPLE, tmp_path / "x.xlsx", {"xl/workbook.xml": workbook})
    with pytest.raises(WorkbookError) as err:
        open_package(path)
    assert err.value.code == "bad-xml"


@pytest.mark.parametrize("twin", ["xl/worksheets/./sheet1.xml", "xl\\worksheets\\sheet1.xml", "xl/worksheets/sheet%31.xml",
                                  "XL/Worksheets/../Worksheets/Sheet1.xml", "/xl/worksheets/sheet1.xml"])
def test_two_spellings_of_one_part_are_duplicates(tmp_path, twin):
    """One part, one name: dot segments, backslashes, percent-encoding, case and a leading slash all name the same part."""
    import warnings

    from make_corpus import SAMPLE, SHEET, _part, _rezip

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        path = _rezip(SAMPLE, tmp_path / "x.xlsx", {twin: _part(SHEET)})
    with pytest.raises(WorkbookError) as err:
        open_package(path)
    assert (err.value.code, err.value.params["first"], err.value.params["second"]) == ("duplicate-part", SHEET, twin)


def test_every_spelling_of_a_part_reads_the_one_member(corpus):
    from workbook.reading.package import resolve_target

    package = open_package(corpus["valid"])
    try:
        for name in ("xl/worksheets/./sheet1.xml", "XL\\WORKSHEETS\\SHEET1.XML", "/xl/worksheets/sheet%31.xml"):
            assert package.member(name) == "xl/worksheets/sheet1.xml"
            assert package.read(name) == package.read("xl/worksheets/sheet1.xml")
        assert package.target("xl/workbook.xml", "worksheets/./sheet1.xml") == "xl/worksheets/sheet1.xml"
        assert resolve_target("xl/workbook.xml", "../../../etc/passwd") == "../../etc/passwd"  # never a part inside
    finally:
        package.close()
