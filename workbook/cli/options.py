"""The arguments that choose how a master workbook is read, declared once for the commands that read one
(evaluate, report, validate), so that they are spelled, explained and checked alike."""
from __future__ import annotations

import argparse
from typing import TextIO


def book_arguments(parser: argparse.ArgumentParser, *, language_of: str | None = None) -> None:
    """--rules FILE and --year YYYY (workbook.model.book.read_book decides with them: --rules, else the book's
    rule-file setting, else default.json; --year, else the book's), and with `language_of` also --lang (what the
    command writes in: lv or en, else the book's own language)."""
    parser.add_argument("--rules", metavar="FILE", help="JSON rule file (default: the workbook's own setting, else default.json)")
    parser.add_argument("--year", type=int, metavar="YYYY", help="evaluation year (overrides the workbook's setting)")
    if language_of is not None:
        parser.add_argument("--lang", choices=("lv", "en"), help=f"language of {language_of} (default: the workbook's)")


def year_refused(args: argparse.Namespace, err: TextIO) -> bool:
    """Whether --year is no year (engine.values.as_year), said on `err` from the catalogue (bad-arguments.year),
    in the run's --lang, as validate says it; the command then exits 2 and reads nothing."""
    from engine.values import as_year
    from workbook.errors import WorkbookError

    if args.year is not None and as_year(args.year) is None:
        refusal = WorkbookError(getattr(args, "book", "") or "", "bad-arguments", template="bad-arguments.year",
                                year=args.year)
        print(f"radit: {refusal.render(getattr(args, 'lang', None) or 'en')}", file=err)
        return True
    return False
