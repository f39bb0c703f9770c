"""While a large indicator sheet is read, numpy is imported in a thread for the engine's numpy path; a fork (evaluate
forks its halves right after the reading) waits for that thread, as a fork is only sound from one thread."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from reading_books import build_book
from test_reading_batch import big_rows

ROOT = Path(__file__).resolve().parents[2]

# A fresh interpreter (this one has numpy loaded already): read the book, say what was imported and what runs.
PROBE = """
import json, sys, threading
import workbook.reading.calamine as calamine
calamine.WARM_SHEET_BYTES = int(sys.argv[2])
from workbook.forked import can_fork
from workbook.validation.validate import validate_book
report = validate_book(sys.argv[1])
print(json.dumps({"numpy": "numpy" in sys.modules, "can fork": can_fork(), "threads": threading.active_count(),
                  "rows": len(report.indicators), "error": report.error and report.error.code}))
"""


def _probe(path: Path, threshold: int) -> dict:
    done = subprocess.run([sys.executable, "-c", PROBE, str(path), str(threshold)], capture_output=True, text=True,
                          cwd=ROOT, check=True)
    return json.loads(done.stdout)


def test_a_large_indicator_sheet_has_numpy_imported_beside_its_reading_and_a_fork_waits_for_it(tmp_path):
    path = build_book(tmp_path / "large.xlsx", big_rows(300))
    seen = _probe(path, 1)  # every sheet counts as large
    assert seen == {"numpy": True, "can fork": True, "threads": 1, "rows": 300, "error": None}


def test_a_small_sheet_is_read_without_numpy(tmp_path):
    path = build_book(tmp_path / "small.xlsx", big_rows(300))
    seen = _probe(path, 1 << 30)
    assert seen == {"numpy": False, "can fork": True, "threads": 1, "rows": 300, "error": None}
