"""radit validate BOOK... : validate master workbooks (files or folders), in parallel across files."""
from __future__ import annotations

import argparse


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("books", nargs="+", metavar="BOOK", help="workbooks (.xlsx/.xlsm) or folders to search recursively")
    parser.add_argument("--rules", metavar="FILE", help="JSON rule file (default: the workbook's own setting, else default.json)")
    parser.add_argument("--year", type=int, metavar="YYYY", help="evaluation year (overrides the workbook's setting)")
    parser.add_argument("--format", choices=("text", "json", "junit"), default="text", help="report format (default text)")
    parser.add_argument("--jobs", "-j", type=int, default=1, metavar="N", help="validate N files at once (processes)")
    parser.add_argument("--lang", choices=("lv", "en"), default="en", help="language of the messages (default en)")


def run(args, out, err) -> int:
    from workbook.cli.progress import Progress
    from workbook.validation.formats import WRITERS
    from workbook.validation.validate import collect_paths, validate_many

    if args.jobs < 1:
        print("radit: --jobs must be at least 1", file=err)
        return 2
    if args.year is not None and not 1900 <= args.year <= 2200:
        print(f"radit: --year {args.year} is not a year", file=err)
        return 2
    paths = collect_paths(args.books)
    if not paths:
        print("radit: no .xlsx or .xlsm workbooks found in " + ", ".join(args.books), file=err)
        return 2
    progress = Progress(len(paths), err)
    try:
        reports = validate_many(paths, rules_file=args.rules, year=args.year, jobs=args.jobs, lang=args.lang,
                                on_done=lambda rep: progress.advance(rep.path))
    finally:
        progress.close()
    WRITERS[args.format](reports, out, args.lang)
    if any(r.error is not None for r in reports):
        return 2
    return 0 if all(r.valid for r in reports) else 1
