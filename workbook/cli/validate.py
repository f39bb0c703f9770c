"""radit validate BOOK... : validate master workbooks (files or folders), in parallel across files."""
from __future__ import annotations

import argparse

from workbook.cli.options import book_arguments


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("books", nargs="+", metavar="BOOK", help="workbooks (.xlsx/.xlsm) or folders to search recursively")
    book_arguments(parser)  # its --lang is the messages' (default en), not the workbook's
    parser.add_argument("--format", choices=("text", "json", "junit"), default="text", help="report format (default text)")
    parser.add_argument("--jobs", "-j", type=int, default=1, metavar="N", help="validate N files at once (processes)")
    parser.add_argument("--lang", choices=("lv", "en"), default="en", help="language of the messages (default en)")


def run(args, out, err) -> int:
    from engine.errors import RuleFileError
    from engine.values import as_year
    from workbook.cli.progress import Progress
    from workbook.errors import WorkbookError
    from workbook.validation.formats import WRITERS
    from workbook.validation.validate import collect_paths, validate_many

    def refused(paths, make, text: str | None = None) -> int:
        """Every workbook's report carries the error that stopped the run (a CI parser always gets its report);
        the text format says it once, on stderr. Exit 2."""
        from workbook.validation.validate import BookReport

        reports = [BookReport(p, error=make(p)) for p in paths]
        if args.format != "text":
            WRITERS[args.format](reports, out, args.lang)
        print(f"radit: {text or reports[0].error.render(args.lang)}", file=err)
        return 2

    if args.jobs < 1:
        return refused(args.books, lambda p: WorkbookError(p, "bad-arguments", template="bad-arguments.jobs"))
    if args.year is not None and as_year(args.year) is None:
        return refused(args.books, lambda p: WorkbookError(p, "bad-arguments", template="bad-arguments.year", year=args.year))
    paths = collect_paths(args.books)
    if not paths:
        return refused(args.books, lambda p: WorkbookError(p, "no-workbooks"))
    progress = Progress(len(paths), err)
    try:
        reports = validate_many(paths, rules_file=args.rules, year=args.year, jobs=args.jobs, lang=args.lang,
                                on_done=lambda rep: progress.advance(rep.path), isolate=len(paths) > 1)
    except RuleFileError as exc:  # --rules names a file that does not load: every workbook's report says so
        return refused(paths, lambda p: WorkbookError(p, "bad-rules", location=exc.location, **exc.params),
                       exc.render(args.lang))
    finally:
        progress.close()
    WRITERS[args.format](reports, out, args.lang)
    if any(r.error is not None for r in reports):
        return 2
    return 0 if all(r.valid for r in reports) else 1
