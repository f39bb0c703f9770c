"""`radit addin build [-o radit.xlam]`: the classic ribbon add-in and its module; `radit addin lite [-o DIR]`: xlwings Lite's main.py."""
from __future__ import annotations

import argparse
from typing import TextIO


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    build = sub.add_parser("build", help="write radit.xlam and radit.py from xlwings' ribbon add-in template")
    build.add_argument("-o", "--output", default="radit.xlam", metavar="OUT.xlam",
                       help="the add-in to write; the module OUT.py goes next to it (default: radit.xlam)")
    build.add_argument("--lang", choices=("both", "lv", "en"), default="both",
                       help="button label: Evaluate / Novērtēt (both, default), Novērtēt (lv) or Evaluate (en)")
    lite = sub.add_parser("lite", help="write a self-contained main.py and requirements.txt for xlwings Lite")
    lite.add_argument("-o", "--output", default="radit-lite", metavar="DIR",
                      help="folder for main.py and requirements.txt (default: radit-lite)")


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.action == "lite":
        return _lite(args, out, err)
    from workbook.excel.classic_build import build_addin

    try:
        built = build_addin(args.output, lang=args.lang)
    except (ValueError, OSError) as error:
        print(f"radit: {error}", file=err)
        return 2
    print(f"{built.xlam}: ribbon tab radit, button {built.label!r} -> RunPython import {built.xlam.stem};{built.xlam.stem}.main()", file=out)
    print(f"{built.module}: the add-in's Python module; put it in the folder the add-in is installed to", file=out)
    return 0


def _lite(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from workbook.excel.lite.bundle import write_lite

    try:
        main, requirements = write_lite(args.output)
    except OSError as error:
        print(f"radit: {error}", file=err)
        return 2
    print(f"{main}: paste into xlwings Lite's main.py (radit's sources are packed inside)", file=out)
    print(f"{requirements}: paste into xlwings Lite's requirements.txt", file=out)
    return 0
