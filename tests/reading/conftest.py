"""Fixtures of the reading tests: fresh master workbooks in tmp_path."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Sequence

import pytest

from reading_books import GOOD_ROWS, build_book


@pytest.fixture
def book(tmp_path) -> Callable[..., Path]:
    """book(rows=..., name="b.xlsx", **options) -> the path of a fresh master workbook."""
    counter = iter(range(10_000))

    def make(rows: Sequence[Sequence[Any]] = GOOD_ROWS, name: str | None = None, **options: Any) -> Path:
        return build_book(tmp_path / (name or f"book{next(counter)}.xlsx"), rows, **options)

    return make
