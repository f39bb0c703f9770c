"""radit addin lite: a self-contained main.py for xlwings Lite that runs from its packed sources alone."""
from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from workbook.cli.main import run as cli
from workbook.excel.lite.bundle import lite_main, source_zip
from payload import apply_actions, book_payload, function_payload


def test_the_bundle_is_reproducible():
    assert source_zip() == source_zip()
    assert lite_main() == lite_main()


def test_the_cli_writes_main_and_requirements(tmp_path):
    err = io.StringIO()
    assert cli(["addin", "lite", "-o", str(tmp_path / "lite")], io.StringIO(), err) == 0, err.getvalue()
    text = (tmp_path / "lite" / "main.py").read_text(encoding="utf-8")
    assert '@script(name="Evaluate")' in text and "_unpack_radit()" in text
    compile(text, "main.py", "exec")
    assert "jsonschema" in (tmp_path / "lite" / "requirements.txt").read_text(encoding="utf-8")


@pytest.mark.xlwings_pro
def test_the_bundle_evaluates_the_sample_from_its_own_sources(xlwings_pro, tmp_path, sample_book):
    directory = tmp_path / "lite"
    cli(["addin", "lite", "-o", str(directory)], io.StringIO(), io.StringIO())
    module = {"module": "main", "path": str(directory)}
    where, script, function = xlwings_pro([
        {"kind": "where", **module},
        {"kind": "script", "script": "evaluate", "payload": book_payload(sample_book), **module},
        {"kind": "function", "data": function_payload("assess", [36000, 35280]), **module},
    ], env_extra={"TMPDIR": str(tmp_path)})  # the bundle unpacks into the temporary directory
    root = Path(__file__).resolve().parents[2]
    # The packed copy is what ran, not the repository's sources.
    assert where["engine"].startswith(str(tmp_path / "radit-")) and not where["engine"].startswith(str(root / "engine")), where
    assert function == {"result": [["●"]]}
    wb = openpyxl.load_workbook(sample_book)
    apply_actions(wb, script["actions"])
    symbols = [wb["Rādītāji"].cell(r, 19).value for r in range(2, 29)]
    assert len([s for s in symbols if s in ("●", "▼", "▲", "-")]) == 27
