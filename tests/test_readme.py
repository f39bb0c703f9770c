"""The README renders as its author wrote it: parsed by a CommonMark parser, every section heading is a heading."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

markdown_it = pytest.importorskip("markdown_it")

README = Path(__file__).resolve().parents[1] / "README.md"
SECTIONS = ["Two commands", "Main job: `make sample`", "Contents", "Engine (Python API)", "Rule files",
            "Validating workbooks / Darbgrāmatu pārbaude", "Evaluate: writing the assessments into the workbook",
            "Security: what radit reads, refuses and never does", "Performance", "Dependencies and why", "Layout"]


@pytest.fixture(scope="module")
def tokens():
    return markdown_it.MarkdownIt("commonmark").parse(README.read_text(encoding="utf-8"))


def headings(tokens, level: str = "h2") -> list[str]:
    return [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == level]


def test_every_section_is_a_heading(tokens):
    assert [s for s in SECTIONS if s not in headings(tokens)] == []


def test_no_heading_is_swallowed_by_a_code_block(tokens):
    """An unclosed ``` turns the rest of the file into code: no line of a code block may read like a section heading."""
    swallowed = [line for t in tokens if t.type in ("fence", "code_block")
                 for line in t.content.splitlines() if re.match(r"#{2,6} \S", line)]
    assert swallowed == []


def test_every_section_marker_is_followed_by_a_heading(tokens):
    for i, t in enumerate(tokens):
        if t.type == "html_block" and "section:" in t.content:
            assert tokens[i + 1].type == "heading_open", t.content
