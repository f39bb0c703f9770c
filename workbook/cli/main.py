"""The `radit` command: parses arguments, dispatches to workbook.cli.*, turns errors into messages."""
from __future__ import annotations

import argparse
import importlib
import sys
from typing import Sequence, TextIO

# name -> (module, one-line help). Modules are imported only when their command runs.
COMMANDS: dict[str, tuple[str, str]] = {
    "rules": ("workbook.cli.rules", "check a JSON rule file against rules/schema.json"),
    "validate": ("workbook.cli.validate", "validate master workbooks (files or folders)"),
    "evaluate": ("workbook.cli.evaluate", "write the assessments into a master workbook"),
    "new": ("workbook.cli.new", "write an empty master workbook"),
    "sample": ("workbook.cli.sample", "build the sample workbook from its text source"),
    "addin": ("workbook.cli.addin", "build the classic xlwings ribbon add-in (.xlam)"),
    "report": ("workbook.cli.report", "write the evaluation report (.docx, .html or .pdf) of a master workbook"),
}

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE, EXIT_INTERNAL = 0, 1, 2, 3


def build_parser() -> argparse.ArgumentParser:
    from engine import __version__

    parser = argparse.ArgumentParser(
        prog="radit",
        description="Assess performance indicators (rezultatīvie rādītāji) against their forecasts.",
    )
    parser.add_argument("--version", action="version", version=f"radit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        module = importlib.import_module(module_name)
        command_parser = sub.add_parser(name, help=help_text, description=help_text)
        module.configure(command_parser)
        command_parser.set_defaults(_run=module.run)
    return parser


def run(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Testable entry point: returns the exit code instead of exiting."""
    from engine.errors import RaditError

    out = stdout or sys.stdout
    err = stderr or sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse's own --help / usage errors
        return int(exc.code or 0) if exc.code in (0, None) else EXIT_UNREADABLE
    if not getattr(args, "_run", None):
        parser.print_help(out)
        return EXIT_UNREADABLE
    try:
        return int(args._run(args, out, err))
    except RaditError as exc:  # rendered from the catalogue, in the run's --lang where it has one
        print(f"radit: {exc.render(getattr(args, 'lang', None) or 'en')}", file=err)
        return exc.exit_code
    except KeyboardInterrupt:
        print("radit: interrupted", file=err)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except MemoryError:
        print("radit: out of memory: the input is larger than radit's limits allow", file=err)
        return EXIT_UNREADABLE
    except Exception as exc:  # never a traceback for a person; the type names the bug for a report
        print(f"radit: internal error ({type(exc).__name__}: {exc}). Please report it with the file that caused it.", file=err)
        return EXIT_INTERNAL


def main() -> None:
    sys.exit(run())


if __name__ == "__main__":  # python -m workbook.cli.main, as the tests and the benchmark run it
    main()
