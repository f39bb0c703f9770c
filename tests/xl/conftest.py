"""Fixtures for the Excel-side tests: master workbooks built with `radit new`'s own builder, and the xlwings harness."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "seed-2016.xlsx"


@pytest.fixture
def sample_book(tmp_path: Path) -> Path:
    """A private copy of the sample master workbook (27 indicators of the source document)."""
    target = tmp_path / "seed-2016.xlsx"
    shutil.copyfile(SAMPLE, target)
    return target


@pytest.fixture(scope="session")
def xlwings_pro():
    """Run requests through xlwings' PRO machinery in a child process; skip when the licence does not load."""
    from harness import run_requests

    probe = run_requests([{"kind": "meta", "module": "workbook.excel.lite.main"}])[0]
    if "licence" in probe:
        pytest.skip(f"xlwings PRO code does not load: {probe['licence']}")
    if "error" in probe:
        pytest.fail(f"the harness cannot load workbook.excel.lite.main: {probe}")

    def run(requests, **options):
        answers = run_requests(requests, **options)
        for answer in answers:
            if "licence" in answer:
                pytest.skip(f"xlwings PRO code does not load: {answer['licence']}")
        return answers

    return run
