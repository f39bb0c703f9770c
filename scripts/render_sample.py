"""Render an evaluated workbook the way a person sees it: LibreOffice (headless) -> PDF -> one PNG per page.

    python scripts/render_sample.py [BOOK] [--out DIR] [--picture PNG] [--sheet-picture PNG]

BOOK defaults to the bundled sample, evaluated first into DIR. Needs `soffice` (Debian: libreoffice-calc)
and `pdftoppm`/`pdftotext` (poppler-utils). The README's pictures come from this script: --picture the
summary's table and chart, --sheet-picture the indicator sheet's first printed page of assessments.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "seed-2016.xlsx"


def render(book: Path, out: Path, *, dpi: int = 70) -> tuple[Path, list[Path]]:
    """The PDF of every sheet and a PNG per page, written into out."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdftoppm") is None:
        raise SystemExit("render_sample: needs soffice (libreoffice-calc) and pdftoppm (poppler-utils)")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:  # a private profile: no clash with a running LibreOffice
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(out), str(book)], check=True, capture_output=True, timeout=300,
                       env={**os.environ, "HOME": profile})
    pdf = out / (book.stem + ".pdf")
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(out / book.stem)], check=True, timeout=300)
    return pdf, sorted(out.glob(book.stem + "*.png"))


def summary_picture(pdf: Path, dest: Path, *, dpi: int = 120) -> Path:
    """The summary page's table and chart (its top-left part), as the README shows it."""
    pages = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split("\f")
    page = next(i for i, text in enumerate(pages, start=1) if text.lstrip().startswith(("Kopsavilkums", "Summary")))
    crop = [str(round(v * dpi / 120)) for v in (50, 60, 1300, 880)]  # x, y, width, height at 120 dpi: the one page
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-x", crop[0], "-y", crop[1],
                    "-W", crop[2], "-H", crop[3], "-singlefile", str(pdf), str(dest.with_suffix(""))], check=True, timeout=300)
    return dest


def sheet_picture(pdf: Path, dest: Path, *, dpi: int = 100) -> Path:
    """The first printed page that holds the assessment column (its header "Vērtējums"/"Assessment" and the
    symbols), as the README shows it beside the report: the page's upper part, where the first rows are."""
    pages = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split("\f")
    page = next(i for i, text in enumerate(pages, start=1)
                if any(line.strip() in ("Vērtējums", "Assessment") for line in text.splitlines()))
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-x", "0",
                    "-y", str(int(0.6 * dpi)), "-W", str(int(11.69 * dpi)), "-H", str(int(5.0 * dpi)), "-singlefile",
                    str(pdf), str(dest.with_suffix(""))], check=True, timeout=300)
    return dest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("book", nargs="?", type=Path, help="an evaluated workbook (default: evaluate the sample first)")
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "render")
    parser.add_argument("--picture", type=Path, help="also write the summary's table and chart to this PNG "
                                                      "(docs/img/sample-summary-chart.png)")
    parser.add_argument("--sheet-picture", type=Path, help="also write the indicator sheet's first page of "
                                                            "assessments to this PNG (docs/img/sample-assessments.png)")
    args = parser.parse_args(argv)
    book = args.book
    if book is None:
        sys.path.insert(0, str(ROOT))
        from workbook.writing.evaluate import evaluate_file

        book = args.out / "seed-2016-evaluated.xlsx"
        args.out.mkdir(parents=True, exist_ok=True)
        evaluate_file(SAMPLE, out=book)
    pdf, pngs = render(book, args.out)
    print(pdf)
    for png in pngs:
        print(png)
    if args.picture is not None:
        print(summary_picture(pdf, args.picture))
    if args.sheet_picture is not None:
        print(sheet_picture(pdf, args.sheet_picture))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
