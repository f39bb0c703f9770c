"""What a reader sees: the Word report printed by LibreOffice and the HTML report printed and shown by Chromium
hold every indicator and symbol, the symbols in their fills, the header row on every page of the table.

Skipped, with the reason, where LibreOffice, Chromium or poppler is not installed (.ci/run installs them).
"""
from __future__ import annotations

import shutil
import sys
from collections import Counter

import pytest

from tests.report.conftest import ROOT, SAMPLE, sample_ids

sys.path.insert(0, str(ROOT / "scripts"))
from render_report import chromium, chromium_render, overlapping_words, pdf_text, pdf_words, symbol_fills  # noqa: E402

FILLS = {"●": "#C6EFCE", "▼": "#FFC7CE", "▲": "#BDD7EE", "-": "#D9D9D9"}
EXPECTED = {"●": 6, "▼": 11, "▲": 7, "-": 3}  # the sample's statuses; the legend and the summary add one of each
POPPLER = shutil.which("pdftotext") and shutil.which("pdftoppm")
needs_soffice = pytest.mark.skipif(not (shutil.which("soffice") and POPPLER),
                                   reason="LibreOffice (soffice) and poppler (pdftotext, pdftoppm) are not installed")
needs_chromium = pytest.mark.skipif(not (chromium() and POPPLER),
                                    reason="Chromium and poppler (pdftotext, pdftoppm) are not installed")
pytestmark = pytest.mark.slow


def _check_fills(pdf, tmp_path):
    found = symbol_fills(pdf, FILLS, tmp_path)
    wrong = [(s, c, p) for s, c, p in found if c in FILLS.values() and c != FILLS[s]]
    assert not wrong
    right = Counter(s for s, c, _ in found if c == FILLS[s])
    for symbol, n in EXPECTED.items():
        assert right[symbol] >= n + 2, (symbol, right)


def _check_text(pdf):
    pages = pdf_text(pdf)
    text = "\f".join(pages)
    for ind in sample_ids():
        assert ind in text, ind
    for symbol in FILLS:
        assert symbol in text
    assert "−48,50 %" in text and "+339,00 p.p." in text and "1.tabula." in text and "Kopā" in text
    table = [p for p in pages if "A.PR1.1" in p or "B.AR4.3" in p or any(i in p for i in sample_ids())]
    table = [p for p in table if "Politikas definētais mērķis" in p or "rezultāts" in p]
    assert len(table) >= 3
    for page in table:  # the header row repeated at the top of every page of the results table
        assert "Rezultatīvais rādītājs" in page and "prognoze" in page and "sasniegtais" in page
    return pages


@needs_soffice
def test_the_word_report_printed_by_libreoffice_holds_every_indicator_and_symbol_in_its_fill(tmp_path):
    from workbook.cli.main import run

    pdf = tmp_path / "report.pdf"
    assert run(["report", str(SAMPLE), "-o", str(pdf)]) == 0  # radit report's PDF: LibreOffice from the .docx
    _check_text(pdf)
    _check_fills(pdf, tmp_path)
    for number, words in enumerate(pdf_words(pdf), start=1):
        assert overlapping_words(words) == [], f"page {number}"


@needs_chromium
def test_the_html_report_printed_and_shown_by_chromium(tmp_path):
    from PIL import Image

    from workbook.cli.main import run

    html = tmp_path / "report.html"
    assert run(["report", str(SAMPLE), "-o", str(html)]) == 0
    pdf, png = tmp_path / "html.pdf", tmp_path / "html.png"
    chromium_render(html, pdf=pdf, png=png)
    pages = _check_text(pdf)
    assert len(pages) >= 4
    _check_fills(pdf, tmp_path)
    shot = Image.open(png).convert("RGB")  # the screen: the legend's four fills sit in its first column
    raw = shot.tobytes()
    colours = Counter(raw[i:i + 3] for i in range(0, len(raw), 3))
    for colour in FILLS.values():
        assert colours[bytes.fromhex(colour[1:])] > 500, colour
