"""What a person sees: LibreOffice renders the evaluated sample with its symbols, legend, summary and chart.

Skipped where LibreOffice or poppler is not installed (Debian: libreoffice-calc, poppler-utils).
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")),
                                                   reason="LibreOffice (soffice) and poppler (pdftotext) are not installed")]


def test_the_rendered_sample_shows_symbols_legend_summary_and_chart(tmp_path):
    sys.path.insert(0, str(ROOT / "scripts"))
    from render_sample import main

    assert main(["--out", str(tmp_path), "--picture", str(tmp_path / "summary.png")]) == 0
    assert 10_000 < (tmp_path / "summary.png").stat().st_size < 300_000
    pdf = tmp_path / "seed-2016-evaluated.pdf"
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
    # The chart, drawn by LibreOffice: its title and its categories (results, with their level).
    chart = next(p for p in pages if "Rādītāju vērtējumi pa rezultātiem" in p)
    assert "A1 PR" in chart and "B4 DR" in chart
    assert len(list(tmp_path.glob("seed-2016-evaluated-*.png"))) == len(pages) - (pages[-1].strip() == "")
