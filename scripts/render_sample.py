"""Render an evaluated workbook the way a person sees it: LibreOffice (headless) -> PDF -> one PNG per page.

    python scripts/render_sample.py [BOOK] [--out DIR]

BOOK defaults to the bundled sample, evaluated first into DIR. Needs `soffice` (Debian: libreoffice-calc)
and `pdftoppm`/`pdftotext` (poppler-utils). The README's picture comes from this script.
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("book", nargs="?", type=Path, help="an evaluated workbook (default: evaluate the sample first)")
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "render")
    args = parser.parse_args(argv)
    book = args.book
    if book is None:
        sys.path.insert(0, str(ROOT))
        from workbook.evaluate import evaluate_file

        book = args.out / "seed-2016-evaluated.xlsx"
        args.out.mkdir(parents=True, exist_ok=True)
        evaluate_file(SAMPLE, out=book)
    pdf, pngs = render(book, args.out)
    print(pdf)
    for png in pngs:
        print(png)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
