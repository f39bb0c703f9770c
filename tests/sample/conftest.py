"""Shared fixtures of the sample tests: run the radit CLI in-process, locate the committed sample."""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Ran:
    code: int
    out: str
    err: str


@pytest.fixture
def run_radit():
    from workbook.cli import main as cli

    def run(*argv: object) -> Ran:
        out, err = io.StringIO(), io.StringIO()
        code = cli.run([str(a) for a in argv], stdout=out, stderr=err)
        return Ran(code, out.getvalue(), err.getvalue())

    return run


@pytest.fixture
def sample_source() -> Path:
    return REPO / "samples" / "seed-2016.toml"


@pytest.fixture
def sample_book() -> Path:
    return REPO / "samples" / "seed-2016.xlsx"
