"""Where validate's time goes, in one process: each phase of reading and validating, per workbook (issue 8)."""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.generate import generate  # noqa: E402


def phases(path: str) -> dict[str, float]:
    """Seconds per phase for one workbook, the phases validate_book runs, in its order."""
    import zipfile

    import python_calamine as pc

    from engine.rules import default_rules
    from workbook.model import book as master
    from workbook.model.settings import read_settings
    from workbook.model.table import find_table
    from workbook.reading import index as reader
    from workbook.reading.calamine import CalamineSource, read_master
    from workbook.validation import validate

    out: dict[str, float] = {}
    t = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal t
        now = time.perf_counter()
        out[name] = now - t
        t = now

    with zipfile.ZipFile(path) as z:  # the limit: inflating the parts a reader needs
        for name in ("xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"):
            if name in z.namelist():
                z.read(name)
    lap("unzip sheet + shared strings (the limit)")
    wb = pc.CalamineWorkbook.from_path(path)
    wb.get_sheet_by_name(wb.sheet_names[0]).to_python(skip_empty_area=False)
    del wb
    lap("calamine alone: open + sheet + to_python")
    with master.gc_paused():
        package = reader.open_package(path, None)
        lap("open_package (guards: sniff, sizes, prologs)")
        reader.read_index(path, package)
        lap("read_index (workbook, rels, tables, styles)")
        package.close()
        with CalamineSource(path) as source:
            find_table(source)
            lap("grid: inflate + extent + scans + calamine")
            read_settings(source)
            lap("settings sheet")
        rules = default_rules()
        book = read_master(path, rules=rules)
        lap("read_master as a whole (again)")
        from engine.batch import fast_path_wanted

        path_taken = "numpy path" if fast_path_wanted(len(book.rows), rules) else "row by row"
        results = validate._assess_rows(book.rows, rules, book.sheet, book.input_columns)
        lap(f"assess {len(book.rows)} rows (engine.assess_many: {path_taken})")
        validate.validate_book(path)
        lap("validate_book as a whole")
    del results
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="radit-phases-") as d:
        path = str(generate(Path(d) / "book.xlsx", a.rows, seed=a.rows))
        phases(path)  # warm: imports, the page cache
        runs = [phases(path) for _ in range(max(1, a.repeat))]
    print(f"{a.rows} rows, median of {len(runs)} runs, in-process:")
    for name in runs[0]:
        xs = [r[name] for r in runs]
        print(f"  {name:<48} {statistics.median(xs) * 1000:9.1f} ms  [{min(xs) * 1000:.1f}–{max(xs) * 1000:.1f}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
