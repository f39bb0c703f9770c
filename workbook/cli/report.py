"""radit report BOOK -o REPORT.docx|.html|.pdf: the evaluation report, the results table analysts hand in."""
from __future__ import annotations

import argparse

from workbook.cli.options import book_arguments, year_refused

TEXT = {
    "lv": {"wrote": "Ierakstīts: {path}", "counts": "{n} rādītāji: {parts}",
           "problems": "{n} datu problēmas (radit validate {path} tās uzskaita)"},
    "en": {"wrote": "Written: {path}", "counts": "{n} indicators: {parts}",
           "problems": "{n} data problems (radit validate {path} lists them)"},
}


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("book", metavar="BOOK", help="the master workbook (.xlsx or .xlsm), evaluated or not")
    parser.add_argument("-o", "--output", metavar="REPORT", required=True,
                        help="the report to write: REPORT.docx (Word), REPORT.html or REPORT.pdf (via LibreOffice)")
    book_arguments(parser, language_of="the report")


def run(args, out, err) -> int:
    from workbook.report.write import write_report

    if year_refused(args, err):
        return 2
    content = write_report(args.book, args.output, year=args.year, lang=args.lang, rules=args.rules)
    t = TEXT[content.lang]
    print(t["wrote"].format(path=args.output), file=out)
    parts = ", ".join(f"{s.symbol} {s.label} {n}" for s, n in zip(content.statuses, content.counts))
    print(t["counts"].format(n=content.total, parts=parts), file=out)
    if content.problems:
        print(t["problems"].format(n=len(content.problems), path=args.book), file=err)
        return 1
    return 0
