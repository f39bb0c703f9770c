"""`radit new BOOK.xlsx`: write an empty master workbook (indicator table, settings, legend)."""
from __future__ import annotations

import argparse
import datetime
from typing import TextIO


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("book", metavar="BOOK.xlsx", help="the workbook to write")
    parser.add_argument("--lang", choices=("lv", "en"), default="lv",
                        help="language of sheet names, headers and the legend (default: lv)")
    parser.add_argument("--year", type=int, default=None,
                        help="evaluation year: the forecast and achieved columns (default: last year)")
    parser.add_argument("--baseline-year", type=int, default=None,
                        help="baseline year (default: four years before the evaluation year)")
    parser.add_argument("--rules", metavar="FILE", default=None,
                        help="rule file whose symbols, colours and texts the legend shows; its name goes into "
                             "the settings (default: the built-in default.json)")
    parser.add_argument("--force", action="store_true", help="replace the file if it exists")


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from engine.values import FIRST_YEAR, LAST_YEAR, as_year
    from workbook.writing.newbook import BookSpec, write_master

    # Results of a year are collected in the next one, so the year to evaluate is usually last year.
    year = args.year if args.year is not None else datetime.date.today().year - 1
    baseline = args.baseline_year if args.baseline_year is not None else year - 4
    if as_year(year) is None:
        print(f"radit: the evaluation year {year} is not a year between {FIRST_YEAR} and {LAST_YEAR}", file=err)
        return 2
    if not 1900 <= baseline <= year:
        print(f"radit: the baseline year {baseline} must not be after the evaluation year {year}", file=err)
        return 2
    rules, rules_file = None, "default.json"
    if args.rules:
        from pathlib import Path

        from engine import load_rules

        rules, rules_file = load_rules(args.rules), Path(args.rules).name  # RuleFileError: exit 2, every problem
    spec = BookSpec(evaluation_year=year, baseline_year=baseline, lang=args.lang, rules_file=rules_file)
    path = write_master(args.book, spec, rules=rules, overwrite=args.force)
    print(f"{path}: empty master workbook, evaluation year {year}, baseline {baseline}, language {args.lang}",
          file=out)
    return 0
