"""Shared fixtures of the report tests: the sample's report content, and its documents in a module's tmp folder."""
from __future__ import annotations

import datetime as _dt
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "seed-2016.xlsx"
NOW = _dt.datetime(2026, 11, 30, 9, 0, tzinfo=_dt.timezone.utc)


def sample_ids() -> list[str]:
    """The 27 ids in the order of the source's results table (samples/seed-2016.toml)."""
    import tomllib

    doc = tomllib.loads((ROOT / "samples" / "seed-2016.toml").read_text("utf-8"))
    return [i["id"] for g in doc["goals"] for r in g["results"] for i in r["indicators"]]


@pytest.fixture(scope="session")
def content():
    from workbook.report.content import report_content

    return report_content(SAMPLE, now=NOW)
