"""radit evaluate BOOK: assess every indicator and write the results into the workbook's own cells."""
from __future__ import annotations

import argparse

from workbook.cli.options import book_arguments, year_refused

TEXT = {
    "lv": {"wrote": "Ierakstīts: {path}", "backup": "Rezerves kopija: {path}", "counts": "{n} rādītāji: {parts}",
           "notes": "Piezīmes šūnās netika rakstītas ({n} rindas > {limit}); skaidrojums ir kolonnā.",
           "problems": "{n} datu problēmas (rindas bez vērtējuma):", "more": "… un vēl {n}; visas: radit validate {path}"},
    "en": {"wrote": "Written: {path}", "backup": "Backup: {path}", "counts": "{n} indicators: {parts}",
           "notes": "No cell notes written ({n} rows > {limit}); the explanation column has the text.",
           "problems": "{n} data problems (rows without an assessment):", "more": "… and {n} more; all of them: radit validate {path}"},
}
SHOWN = 10


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("book", metavar="BOOK", help="the master workbook (.xlsx or .xlsm)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("-o", "--output", metavar="OUT", help="write here (default: BOOK.evaluated.xlsx beside BOOK)")
    where.add_argument("--in-place", action="store_true",
                       help="replace BOOK itself, atomically, keeping BOOK.xlsx.bak; refused while Excel has it open")
    book_arguments(parser, language_of="the written texts")


def run(args, out, err) -> int:
    from engine.findings import Severity
    from workbook.writing.evaluate import evaluate_file
    from workbook.writing.xlsxpatch.notes import NOTE_LIMIT

    if year_refused(args, err):
        return 2
    result = evaluate_file(args.book, out=args.output, in_place=args.in_place, rules=args.rules, year=args.year,
                           lang=args.lang)
    t = TEXT[result.lang]
    print(t["wrote"].format(path=result.written), file=out)
    if result.backup:
        print(t["backup"].format(path=result.backup), file=out)
    parts = ", ".join(f"{result.labels.get(k, k)} {v}" for k, v in result.counts.items())
    print(t["counts"].format(n=sum(result.counts.values()), parts=parts), file=out)
    if not result.notes_written:
        print(t["notes"].format(n=sum(result.counts.values()), limit=NOTE_LIMIT), file=out)
    errors = [f for f in result.findings if f.severity is Severity.ERROR]
    if errors:
        print(t["problems"].format(n=len(errors)), file=err)
        for f in errors[:SHOWN]:
            print("  " + f.render(result.lang), file=err)
        if len(errors) > SHOWN:
            print("  " + t["more"].format(n=len(errors) - SHOWN, path=result.written), file=err)
        return 1
    return 0

