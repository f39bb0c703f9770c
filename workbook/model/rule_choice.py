"""Which rule file assesses a workbook: the one decision, for radit evaluate, validate, the report and the Excel add-in.

In order: the rule file given by the caller (--rules); else the file the settings name, looked up next to the
workbook, as given, and among the shipped rule files; else, when the named file cannot be reached (xlwings Lite
has no file system), the rule file embedded in the workbook; else the default rules when the settings name
none. A named file that cannot be found is a refusal, never a silent fall back to the default: a ministry's own
tolerance would be lost.

The embedded form is a sheet named `radit_rules` (normally hidden) whose column A holds the rule file's JSON text
cut into pieces of at most CHUNK characters, one piece per row from A1 down to the first empty cell. Excel cells
hold up to 32 767 characters, so a 40 kB rule file takes two cells; the pieces are the file's exact text, so its
SHA-256 is the file's.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, NamedTuple, Sequence

from engine.findings import Location

EMBEDDED_SHEET = "radit_rules"
CHUNK = 30_000
DEFAULT_NAMES = ("", "default.json")


class RuleChoice(NamedTuple):  # not a dataclass: defining one costs ~0.5 ms of every start
    rules: Any  # engine.Rules
    source: str  # "given" | "file" | "embedded" | "default"
    path: str | None = None  # the file read, when one was


def embedded_cells(text: str) -> list[list[str]]:
    """The column-A block that embeds `text` in the `radit_rules` sheet."""
    return [[text[i:i + CHUNK]] for i in range(0, len(text), CHUNK)] or [[""]]


def embedded_text(rows: Sequence[Sequence[Any]]) -> str | None:
    """The rule file text held in column A of the `radit_rules` sheet, or None when the sheet is empty."""
    pieces: list[str] = []
    for row in rows:
        value = row[0] if row else None
        if value is None or value == "":
            break
        pieces.append(str(value))
    return "".join(pieces) or None


def choose_rules(named: Any, *, book_dir: str | None, embedded: str | None, given: Any = None,
                 setting_at: Location | None = None) -> RuleChoice:
    """The rule file for a workbook (see the module's docstring); RuleFileError for a file that is there but invalid,
    a `rules-file-not-found` refusal at the settings cell for a named file that is nowhere."""
    import engine

    if given is not None:
        rules = engine.load_rules(given) if isinstance(given, (str, os.PathLike)) else given
        return RuleChoice(rules, "given", str(given) if isinstance(given, (str, os.PathLike)) else None)
    name = "" if named is None else str(named).strip()
    if name in DEFAULT_NAMES:
        if embedded:
            return RuleChoice(load_rules_text(embedded, "embedded.json"), "embedded")
        return RuleChoice(engine.default_rules(), "default")
    tried = candidates(name, book_dir)
    for candidate in tried:
        if candidate.is_file():
            return RuleChoice(_load_file(candidate), "file", str(candidate))
    if embedded:
        return RuleChoice(load_rules_text(embedded, name), "embedded")
    from workbook.model.refusal import refusal

    raise refusal("rules-file-not-found", setting_at or Location(), name=name,
                  tried=", ".join(str(p) for p in tried) or name)


def candidates(name: str, book_dir: str | None) -> list[Path]:
    """Where a named rule file is looked for: next to the workbook, as given (absolute or from here), shipped."""
    from engine.rules import rules_path

    path = Path(name)
    found: list[Path] = []
    if not path.is_absolute() and book_dir:
        found.append(Path(book_dir) / path)
    found.append(path)
    if not path.is_absolute() and len(path.parts) == 1:
        found.append(rules_path(path.name))
    unique: list[Path] = []
    for p in found:
        if p not in unique:
            unique.append(p)
    return unique


_LOADED: dict[tuple[str, int, int], Any] = {}


def _load_file(path: Path):
    """load_rules once per file (and version of it) in a batch: the books that name the same rule file share one
    Rules object, so their rows are assessed together."""
    from engine.rules import load_rules

    st = path.stat()
    key = (str(path.resolve()), st.st_mtime_ns, st.st_size)
    if key not in _LOADED:
        _LOADED[key] = load_rules(path)
    return _LOADED[key]


def load_rules_text(text: str, name: str = "embedded.json"):
    """engine.load_rules on a text: the engine reads files, so the text goes through a private temp file."""
    import tempfile  # here: ~7 ms of every start for the few books that embed their rules

    import engine

    directory = tempfile.mkdtemp(prefix="radit-rules-")
    path = Path(directory) / (Path(name).name or "embedded.json")
    try:
        path.write_bytes(text.encode("utf-8"))
        return engine.load_rules(path)
    finally:
        path.unlink(missing_ok=True)
        os.rmdir(directory)
