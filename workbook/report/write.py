"""Write a report file: the format from the output's extension (.docx, .html/.htm, .pdf), one ReportContent for all."""
from __future__ import annotations

from pathlib import Path

from workbook.report.content import ReportContent, report_content
from workbook.report.pdf import ReportError

FORMATS = {".docx": "docx", ".html": "html", ".htm": "html", ".pdf": "pdf"}


def report_format(out) -> str:
    kind = FORMATS.get(Path(out).suffix.lower())
    if kind is None:
        raise ReportError(str(out), "unknown-format",
                          f"a report is written as .docx, .html or .pdf, not {Path(out).suffix or 'a file without extension'!r}")
    return kind


def render(content: ReportContent, kind: str, *, target: str = "report") -> bytes:
    """The bytes of the report in `kind` (docx, html, pdf)."""
    if kind == "html":
        from workbook.report.html import render_html

        return render_html(content).encode("utf-8")
    from workbook.report.docx import render_docx

    docx = render_docx(content)
    if kind == "docx":
        return docx
    from workbook.report.pdf import docx_to_pdf

    return docx_to_pdf(docx, target=target)


def write_report(book, out, *, year: int | None = None, lang: str | None = None, rules=None, now=None) -> ReportContent:
    """Read `book`, assess it, and write the report to `out` (atomically); the content it shows."""
    from workbook.errors import WriteRefused
    from workbook.writing.atomic import write_atomically

    out = Path(out)
    kind = report_format(out)  # before any reading: a wrong extension costs nothing
    if out.exists() and Path(book).exists() and out.resolve() == Path(book).resolve():
        raise WriteRefused(str(book), "output-is-input", "the report would replace the workbook itself")
    content = report_content(book, year=year, lang=lang, rules=rules, now=now)
    data = render(content, kind, target=str(out))
    try:
        if not out.parent.exists():
            out.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(out, data)
    except OSError as exc:
        raise WriteRefused(str(out), "cannot-write", f"cannot write {out}: {exc.strerror or exc}") from None
    return content
