"""Hostile-test fixtures: the corpus and a large workbook, built once per test run and shared by xdist workers."""
from __future__ import annotations

import fcntl
import json
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from make_corpus import FAULT_ROWS, build_corpus  # noqa: E402


def _shared_dir(tmp_path_factory) -> Path:
    """A folder every xdist worker of this run sees (the parent of the per-worker base temp)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def _build_once(tmp_path_factory, name: str, build) -> dict[str, str]:
    """Build into a shared folder under an flock; later callers (other workers) read the index it wrote."""
    folder = _shared_dir(tmp_path_factory) / name
    folder.mkdir(parents=True, exist_ok=True)
    index = folder / "index.json"
    with open(folder / ".lock", "a+b") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        if not index.exists():
            index.write_text(json.dumps({k: str(v) for k, v in build(folder).items()}))
    return json.loads(index.read_text())


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> dict[str, Path]:
    """{case: path} of every hostile case. Tests must not change these files (copy them first)."""
    return {k: Path(v) for k, v in _build_once(tmp_path_factory, "hostile-corpus", build_corpus).items()}


@pytest.fixture(scope="session")
def big_book(tmp_path_factory) -> Path:
    """A valid FAULT_ROWS-row master workbook (bench/generate.py) for the SIGKILL runs; copy it before changing it."""
    from bench.generate import generate

    built = _build_once(tmp_path_factory, "hostile-big", lambda d: {"book": generate(d / "big.xlsx", FAULT_ROWS)})
    return Path(built["book"])
