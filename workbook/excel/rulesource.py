"""Choose the rule file for a workbook open in Excel: the named file if reachable, else one embedded in the book, else the default.

The embedded form is a sheet named `radit_rules` (normally hidden) whose column A holds the rule file's
JSON text cut into pieces of at most CHUNK characters, one piece per row from A1 down to the first empty
cell. Excel cells hold up to 32 767 characters, so a 40 kB rule file takes two cells; the pieces are the
file's exact text, so its SHA-256 is the file's.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

EMBEDDED_SHEET = "radit_rules"
CHUNK = 30_000
DEFAULT_NAMES = ("", "default.json")


@dataclass(frozen=True)
class RuleChoice:
    rules: Any  # engine.Rules
    source: str  # "file" | "embedded" | "default"
    note: str | None = None  # why the named file was not used, shown to the analyst


def embedded_cells(text: str) -> list[list[str]]:
    """The column-A block that embeds `text` in the `radit_rules` sheet."""
    return [[text[i:i + CHUNK]] for i in range(0, len(text), CHUNK)] or [[""]]


def embedded_text(grid: Sequence[Sequence[Any]]) -> str | None:
    """The rule file text held in column A of the `radit_rules` sheet, or None when the sheet is empty."""
    pieces: list[str] = []
    for row in grid:
        value = row[0] if row else None
        if value is None or value == "":
            break
        pieces.append(str(value))
    text = "".join(pieces)
    return text or None


def load_rules_text(text: str, name: str = "embedded.json"):
    """engine.load_rules on a text: the engine reads files, so the text goes through a private temp file."""
    import engine

    directory = tempfile.mkdtemp(prefix="radit-rules-")
    path = Path(directory) / (Path(name).name or "embedded.json")
    try:
        path.write_bytes(text.encode("utf-8"))
        return engine.load_rules(path)
    finally:
        path.unlink(missing_ok=True)
        os.rmdir(directory)


def choose_rules(named: Any, book_dir: str | None, embedded: str | None) -> RuleChoice:
    """The named file (absolute, or next to the workbook) if it exists; else the embedded text; else the default.

    A rule file that exists but is invalid raises engine.errors.RuleFileError: a broken rule file must not
    silently fall back to the default.
    """
    import engine

    name = "" if named is None else str(named).strip()
    if name and name not in DEFAULT_NAMES:
        for candidate in _candidates(name, book_dir):
            if candidate.is_file():
                return RuleChoice(engine.load_rules(candidate), "file")
    if embedded:
        return RuleChoice(load_rules_text(embedded, name or "embedded.json"), "embedded")
    if name and name not in DEFAULT_NAMES:
        return RuleChoice(engine.default_rules(), "default", note=name)
    return RuleChoice(engine.default_rules(), "default")


def _candidates(name: str, book_dir: str | None) -> list[Path]:
    path = Path(name)
    if path.is_absolute():
        return [path]
    return [Path(book_dir) / path] if book_dir else []
