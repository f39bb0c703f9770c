"""workbook.package guards, one table row per corpus case: (case, error code)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from make_corpus import build_corpus  # noqa: E402

from engine.errors import WorkbookError
from workbook.package import Limits, open_package


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return build_corpus(tmp_path_factory.mktemp("pkg"))


@pytest.mark.parametrize("case, code", [
    ("not-a-zip", "not-a-zip"), ("truncated", "truncated"), ("legacy-xls", "legacy-xls"),
    ("encrypted", "encrypted"), ("zip-bomb", "too-large"), ("billion-laughs", "bad-xml"),
    ("external-entity", "bad-xml"),
])
def test_guard_refuses(corpus, case, code):
    with pytest.raises(WorkbookError) as err:
        open_package(corpus[case])
    assert err.value.code == code


def test_missing_file(tmp_path):
    with pytest.raises(WorkbookError) as err:
        open_package(tmp_path / "nope.xlsx")
    assert err.value.code == "not-found"


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


def test_limits_from_env(monkeypatch):
    monkeypatch.setenv("RADIT_MAX_FILE_MB", "5")
    assert Limits.from_env().max_file == 5 << 20
