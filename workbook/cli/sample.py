"""`radit sample build [--check]`: build the sample master workbook from its readable TOML source."""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

DEFAULT_SOURCE = "samples/seed-2016.toml"
DEFAULT_OUT = "samples/seed-2016.xlsx"

_INDICATOR_KEYS = {"id", "indicator", "unit", "direction", "baseline", "baseline_year", "forecast", "achieved",
                   "sample_size", "override", "justification"}
_SETTING_KEYS = {"baseline_year", "evaluation_year", "rules_file", "language"}


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    build = sub.add_parser("build", help="build the sample workbook from its TOML source",
                           description="Build the sample master workbook from its TOML source.")
    build.add_argument("--source", default=DEFAULT_SOURCE, help=f"TOML source (default: {DEFAULT_SOURCE})")
    build.add_argument("--out", default=DEFAULT_OUT, help=f"workbook to write (default: {DEFAULT_OUT})")
    build.add_argument("--check", action="store_true",
                       help="write nothing; exit 1 if the workbook's content differs from what the source gives")


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    import tempfile

    from workbook.writing.newbook import compare_snapshots, read_snapshot, write_master

    spec = load_sample_source(args.source)
    target = Path(args.out)
    if not args.check:
        write_master(target, spec, overwrite=True)
        print(f"{target}: {len(spec.rows)} indicators from {args.source}", file=out)
        return 0
    if not target.is_file():
        print(f"{target}: does not exist; run radit sample build", file=out)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        expected = read_snapshot(write_master(Path(tmp) / "expected.xlsx", spec))
    problems = compare_snapshots(expected, read_snapshot(target))
    if problems:
        print(f"{target}: differs from {args.source}; run radit sample build", file=out)
        for problem in problems:
            print(f"  {problem}", file=out)
        return 1
    print(f"{target}: matches {args.source} ({len(spec.rows)} indicators)", file=out)
    return 0


def load_sample_source(path: str | Path):
    """The TOML source -> BookSpec. Goals hold results, results hold indicators (see samples/seed-2016.toml)."""
    import tomllib

    from workbook.errors import WorkbookError
    from workbook.writing.newbook import BookSpec

    path = Path(path)

    def bad(message: str) -> WorkbookError:
        return WorkbookError(str(path), "bad-sample-source", problem=message)

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise bad("the file does not exist") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise bad(f"not readable as TOML: {exc}") from None
    settings = data.get("settings", {})
    unknown = set(settings) - _SETTING_KEYS
    if unknown:
        raise bad(f"unknown settings {sorted(unknown)}")
    try:
        evaluation_year = int(settings["evaluation_year"])
        baseline_year = int(settings["baseline_year"])
    except (KeyError, TypeError, ValueError):
        raise bad("[settings] needs integer baseline_year and evaluation_year") from None

    rows: list[dict[str, Any]] = []
    for goal in data.get("goals", []):
        for result in goal.get("results", []):
            for item in result.get("indicators", []):
                where = item.get("id", f"indicator {len(rows) + 1}")
                unknown = set(item) - _INDICATOR_KEYS
                if unknown:
                    raise bad(f"{where}: unknown keys {sorted(unknown)}")
                if "id" not in item or "unit" not in item:
                    raise bad(f"{where}: id and unit are required")
                rows.append({
                    "id": item["id"],
                    "goal_code": goal.get("code"),
                    "goal": goal.get("text"),
                    "level": result.get("level"),
                    "result_code": result.get("code"),
                    "result": result.get("text"),
                    "indicator": item.get("indicator"),
                    "unit": item["unit"],
                    "direction": item.get("direction"),
                    "baseline_year": item.get("baseline_year", baseline_year),
                    "baseline": item.get("baseline"),
                    "forecast": _by_year(item.get("forecast"), where, "forecast", bad),
                    "actual": _by_year(item.get("achieved"), where, "achieved", bad),
                    "sample_size": item.get("sample_size"),
                    "override": item.get("override"),
                    "justification": item.get("justification"),
                })
    ids = [row["id"] for row in rows]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise bad(f"duplicate ids {duplicates}")
    actual_years = sorted({year for row in rows for year in row["actual"]})
    return BookSpec(
        evaluation_year=evaluation_year,
        baseline_year=baseline_year,
        lang=settings.get("language", "lv"),
        rules_file=settings.get("rules_file", "default.json"),
        actual_years=tuple(actual_years),
        rows=tuple(rows),
    )


def _by_year(value: Any, where: str, name: str, bad) -> dict[int, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise bad(f"{where}: {name} must be a table {{year = value}}")
    try:
        return {int(year): v for year, v in value.items()}
    except ValueError:
        raise bad(f"{where}: {name} has a key that is not a year") from None
