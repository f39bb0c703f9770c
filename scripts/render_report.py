"""Render the evaluation report the way a reader sees it: .docx -> PDF (LibreOffice), .html -> PDF and PNG (Chromium).

    python scripts/render_report.py [BOOK] [--out DIR] [--lang lv|en] [--picture PNG]

BOOK defaults to the bundled sample. Writes DIR/report.docx, report.html, report.pdf (radit report's own PDF:
LibreOffice from the .docx), report-html.pdf and report-html.png (headless Chromium), and a PNG per page of the
PDF. --picture writes the first page of the results table (docs/img/report-results.png, the README's picture).
Needs `soffice` (Debian: libreoffice-writer), `pdftoppm`/`pdftotext` (poppler-utils) and, for the HTML,
`chromium`. The helpers below (pdf_words, symbol_fills) are what the render tests check with.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from html import unescape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "seed-2016.xlsx"
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars")


def chromium() -> str | None:
    return next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome", "chrome")) if p), None)


def soffice_pdf(source: Path, out: Path) -> Path:
    """LibreOffice (headless, a private profile) converts a .docx or .xlsx to PDF in `out`."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("render_report: needs soffice (Debian: libreoffice-writer, libreoffice-calc)")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(out), str(source)], check=True, capture_output=True, timeout=300,
                       env={**os.environ, "HOME": profile})
    return out / (source.stem + ".pdf")


def chromium_render(html: Path, *, pdf: Path | None = None, png: Path | None = None, size: str = "1280,2200") -> None:
    """Headless Chromium prints the HTML to PDF (its print stylesheet) and/or screenshots it."""
    program = chromium()
    if program is None:
        raise SystemExit("render_report: needs chromium (Debian: chromium)")
    with tempfile.TemporaryDirectory() as profile:
        base = [program, *CHROMIUM_FLAGS, f"--user-data-dir={profile}"]
        if pdf is not None:
            subprocess.run([*base, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.resolve().as_uri()],
                           check=True, capture_output=True, timeout=300, env={**os.environ, "HOME": profile})
        if png is not None:
            subprocess.run([*base, f"--window-size={size}", f"--screenshot={png}", html.resolve().as_uri()],
                           check=True, capture_output=True, timeout=300, env={**os.environ, "HOME": profile})


def pdf_text(pdf: Path) -> list[str]:
    """The text of each page."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def pdf_words(pdf: Path) -> list[list[tuple[str, float, float, float, float]]]:
    """Per page, every word with its box (text, x0, y0, x1, y1) in PDF points from the top left."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in re.findall(r"<page\b.*?</page>", out, re.S):
        pages.append([(unescape(w), float(a), float(b), float(c), float(d)) for a, b, c, d, w in
                      re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', page)])
    return pages


def page_png(pdf: Path, page: int, dpi: int, dest: Path) -> Path:
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", str(pdf),
                    str(dest.with_suffix(""))], check=True, timeout=300)
    return dest


def symbol_fills(pdf: Path, symbols: dict[str, str], work: Path, *, dpi: int = 100) -> list[tuple[str, str, int]]:
    """(symbol, colour found, page) for every status symbol drawn on a filled background: the colour the pixels just
    around the glyph show (above, below, left, right of it, inside its cell), ink and white left out.
    Symbols on white (the narrative's "A.PR1.1 ▲ …") are left out."""
    from collections import Counter

    from PIL import Image

    found = []
    for number, words in enumerate(pdf_words(pdf), start=1):
        marks = [w for w in words if w[0] in symbols]
        if not marks:
            continue
        image = Image.open(page_png(pdf, number, dpi, work / f"fills-{number}.png")).convert("RGB")
        scale = dpi / 72
        for text, x0, y0, x1, y1 in marks:
            xm, ym = (x0 + x1) / 2, (y0 + y1) / 2
            seen = Counter()
            upright = set()
            for x, y, vertical in ((xm, y0 - 1.0, True), (xm, y1 + 1.0, True), (x0 - 1.5, ym, False), (x1 + 1.5, ym, False)):
                px, py = int(x * scale), int(y * scale)
                if not (0 <= px < image.width and 0 <= py < image.height):
                    continue
                r, g, b = image.getpixel((px, py))
                if min(r, g, b) >= 250 or max(r, g, b) < 180:  # white paper, or the glyph's own ink
                    continue
                colour = f"#{r:02X}{g:02X}{b:02X}"
                seen[colour] += 1
                if vertical:
                    upright.add(colour)
            if seen:
                colour, votes = seen.most_common(1)[0]
                # two pixels agree, or the one coloured pixel is just above or below the glyph (a small cell)
                if votes >= 2 or (len(seen) == 1 and colour in upright):
                    found.append((text, colour, number))
    return found


def overlapping_words(words, *, share: float = 0.35) -> list[tuple[str, str]]:
    """Pairs of words whose boxes overlap by more than `share` of the smaller one: text drawn over text."""
    pairs = []
    boxes = sorted(words, key=lambda w: w[2])
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if b[2] >= a[4]:
                break
            w = min(a[3], b[3]) - max(a[1], b[1])
            h = min(a[4], b[4]) - max(a[2], b[2])
            if w <= 0 or h <= 0:
                continue
            smaller = min((a[3] - a[1]) * (a[4] - a[2]), (b[3] - b[1]) * (b[4] - b[2]))
            if smaller > 0 and w * h > share * smaller:
                pairs.append((a[0], b[0]))
    return pairs


def render(book: Path, out: Path, *, lang: str | None = None, html_too: bool = True) -> dict[str, Path]:
    """The report of `book` in every format, rendered; the paths by name."""
    sys.path.insert(0, str(ROOT))
    from workbook.report.write import write_report

    out.mkdir(parents=True, exist_ok=True)
    paths = {kind: out / f"report.{kind}" for kind in ("docx", "html", "pdf")}
    for kind in ("docx", "html", "pdf"):
        write_report(book, paths[kind], lang=lang)
    if html_too and chromium() is not None:
        paths["html-pdf"] = out / "report-html.pdf"
        paths["html-png"] = out / "report-html.png"
        chromium_render(paths["html"], pdf=paths["html-pdf"], png=paths["html-png"])
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(paths["pdf"]), str(out / "report-page")], check=True, timeout=300)
    return paths


def results_picture(pdf: Path, dest: Path, *, dpi: int = 100) -> Path:
    """The first page of the results table (the landscape section), as the README shows it."""
    pages = pdf_text(pdf)
    page = next(i for i, text in enumerate(pages, start=1) if re.search(r"^(ID)$", text, re.M))
    dest.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-x", "0", "-y", str(int(0.75 * dpi)),
                    "-W", str(int(11.69 * dpi)), "-H", str(int(5.0 * dpi)), "-singlefile", str(pdf),
                    str(dest.with_suffix(""))], check=True, timeout=300)
    return dest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("book", nargs="?", type=Path, default=SAMPLE, help="a master workbook (default: the sample)")
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "report")
    parser.add_argument("--lang", choices=("lv", "en"))
    parser.add_argument("--picture", type=Path, help="also write the results table's first page to this PNG "
                                                      "(docs/img/report-results.png)")
    args = parser.parse_args(argv)
    if shutil.which("pdftoppm") is None:
        raise SystemExit("render_report: needs pdftoppm and pdftotext (Debian: poppler-utils)")
    paths = render(args.book, args.out, lang=args.lang)
    for path in paths.values():
        print(path)
    if args.picture is not None:
        print(results_picture(paths["pdf"], args.picture))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
