"""`radit rules check FILE...`: validate JSON rule files against rules/schema.json; `radit rules show`: the defaults."""
from __future__ import annotations

import argparse
from typing import TextIO


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="rules_command", metavar="ACTION", required=True)
    check = sub.add_parser("check", help="validate rule files; exit 0 when all are valid, 1 otherwise",
                           description="Validate rule files against rules/schema.json and list every problem with its JSON path.")
    check.add_argument("files", nargs="+", metavar="FILE", help="a JSON rule file")
    sub.add_parser("show", help="print the path and settings of rules/default.json",
                   description="Print where the default rule file is and the settings it holds.")


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from engine.errors import RuleFileError
    from engine.rules import rules_path, default_rules, load_rules

    if args.rules_command == "show":
        rules = default_rules()
        print(f"{rules_path('default.json')} (sha256 {rules.sha256})", file=out)
        s = rules.settings_for()
        print(f"  tolerance ±{s.tolerance} ({'inclusive' if s.tolerance_inclusive else 'exclusive'})", file=out)
        print(f"  percent deviation: {s.percent_deviation}; direction: {s.direction}", file=out)
        print(f"  small sample: n {'≤' if s.small_sample.inclusive else '<'} {s.small_sample.threshold} for "
              f"{', '.join(sorted(s.small_sample.units))}", file=out)
        for status in rules.statuses:
            print(f"  {rules.symbol(status)} {rules.colour(status)} {status.value}: {rules.label(status, 'lv')} / "
                  f"{rules.label(status, 'en')}", file=out)
        return 0

    exit_code = 0
    for path in args.files:
        try:
            load_rules(path)
        except RuleFileError as exc:  # a bad rule file is this command's finding, so 1, not 2
            print(str(exc), file=out)
            exit_code = 1
        else:
            print(f"{path}: valid", file=out)
    return exit_code
