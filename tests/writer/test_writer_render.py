"""What a person sees: LibreOffice renders the evaluated sample with its symbols, legend, summary and chart,
prints it with the header row on every page, the symbols in their fills, and no text drawn over other text.

Skipped where LibreOffice or poppler is not installed (Debian: libreoffice-calc, poppler-utils; .ci/run installs them).
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FILLS = {"●": "#C6EFCE", "▼": "#FFC7CE", "▲": "#BDD7EE", "-": "#D9D9D9"}

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")),
                                                   reason="LibreOffice (soffice) and poppler (pdftotext) are not installed")]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    sys.path.insert(0, str(ROOT / "scripts"))
    from render_sample import main

    out = tmp_path_factory.mktemp("render")
    assert main(["--out", str(out), "--picture", str(out / "summary.png"),
                 "--sheet-picture", str(out / "sheet.png")]) == 0
    return out, out / "seed-2016-evaluated.pdf"


def test_the_rendered_sample_shows_symbols_legend_summary_and_chart(rendered):
    tmp_path, pdf = rendered
    assert 10_000 < (tmp_path / "summary.png").stat().st_size < 400_000
    assert 10_000 < (tmp_path / "sheet.png").stat().st_size < 600_000
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    for symbol in "●▼▲":
        assert symbol in text
    assert "−48,50 %" in text and "+339,00 p.p." in text  # deviations as the engine formats them
    legend = next(p for p in pages if "1.tabula" in p)
    assert "Rezultāts sasniegts" in legend and "Rezultāts sliktāks par prognozēto" in legend
    summary = next(p for p in pages if "Kopsavilkums" in p and "default.json" in p)
    assert "Novērtējuma gads: 2016" in summary
    assert "Politikas rezultāts A1" in summary and "Darbības rezultāts A1" in summary  # apart, under goal A
    assert "27" in summary.split("Kopā")[-1]  # the grand total after the last "Kopā"
    # The chart, drawn by LibreOffice on the summary's one page: its title and its categories.
    assert "Rādītāju vērtējumi pa rezultātiem" in summary and "A1 PR" in summary and "B4 DR" in summary
    assert "Diagrammas dati" not in text  # the chart's data block is outside the print area
    assert len(list(tmp_path.glob("seed-2016-evaluated-*.png"))) == len(pages) - (pages[-1].strip() == "")


def test_every_indicator_prints_with_the_header_row_and_id_on_each_page(rendered):
    from render_report import pdf_text

    _, pdf = rendered
    pages = [p for p in pdf_text(pdf) if "A.PR1.1" in p or "B.AR4.3" in p or "ID\n" in p]
    sheet = [p for p in pages if "Mērvienība" in p or "Vērtējums" in p]
    assert len(sheet) >= 2
    for page in sheet:
        lines = page.splitlines()
        assert "ID" in lines  # the print titles: the header row and the ID column on every page
    ids = {line.strip() for p in sheet for line in p.splitlines()}
    from tests.report.conftest import sample_ids

    assert set(sample_ids()) <= ids
    assessed = [p for p in sheet if "Vērtējums" in p.splitlines()]
    assert assessed and all(s in "".join(assessed) for s in "●▼▲-")


def test_the_symbol_cells_are_drawn_in_their_status_fill(rendered, tmp_path):
    from render_report import symbol_fills

    from render_report import pdf_text

    _, pdf = rendered
    # the indicator sheet's symbols and the legend's, each centred in its own cell (the summary's header cells
    # hold a symbol and a label in small print, their neighbours' fills too close to judge by pixels)
    summary = {n for n, text in enumerate(pdf_text(pdf), start=1) if text.lstrip().startswith("Kopsavilkums")}
    found = [f for f in symbol_fills(pdf, FILLS, tmp_path) if f[2] not in summary]
    status_colours = set(FILLS.values())
    wrong = [(s, c, p) for s, c, p in found if c in status_colours and c != FILLS[s]]
    assert not wrong
    right = Counter(s for s, c, _ in found if c == FILLS[s])
    # 6 ●, 11 ▼, 7 ▲, 3 - on the indicator sheet, and one of each in the legend
    assert right["●"] >= 6 + 1 and right["▼"] >= 11 + 1 and right["▲"] >= 7 + 1 and right["-"] >= 3 + 1


def test_wrapped_text_no_longer_overlaps(rendered):
    from render_report import overlapping_words, pdf_words

    _, pdf = rendered
    for number, words in enumerate(pdf_words(pdf), start=1):
        assert overlapping_words(words) == [], f"page {number}"
