"""The report as PDF: the Word document converted by LibreOffice (headless), so the PDF is the .docx as printed.

LibreOffice honours what the .docx declares (the landscape section, the header row repeated on every page, the
footer's page field) and is the converter radit already renders workbooks with. A missing LibreOffice is a
named error saying what to install, never a traceback.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from engine.errors import RaditError

TIMEOUT_S = 240


class ReportError(RaditError):
    """A report cannot be made: a converter is missing or failed, or the output is not a report format."""

    def __init__(self, path: str, code: str, message: str):
        self.path = str(path)
        self.code = code
        self.message = message
        super().__init__(f"{path}: {message} [{code}]")

    def __reduce__(self):
        return (type(self), (self.path, self.code, self.message))


def soffice() -> str | None:
    """LibreOffice's command, where installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(docx: bytes, *, target: str = "report.pdf") -> bytes:
    """The PDF LibreOffice prints from these .docx bytes."""
    program = soffice()
    if program is None:
        raise ReportError(target, "converter-missing",
                          "PDF needs LibreOffice Writer (soffice), which is not installed: install it (Debian/Ubuntu: "
                          "apt-get install libreoffice-writer; macOS: brew install --cask libreoffice), "
                          "or write .docx or .html")
    with tempfile.TemporaryDirectory(prefix="radit-report-") as tmp:
        work = Path(tmp)
        source = work / "report.docx"
        source.write_bytes(docx)
        profile = work / "profile"  # a private profile: no clash with a LibreOffice the person has open
        try:
            done = subprocess.run([program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                                   "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(work), str(source)],
                                  capture_output=True, timeout=TIMEOUT_S, env={**os.environ, "HOME": str(work)},
                                  stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise ReportError(target, "converter-failed", f"LibreOffice did not finish within {TIMEOUT_S} s") from None
        except OSError as exc:
            raise ReportError(target, "converter-failed", f"LibreOffice could not be started ({exc})") from None
        pdf = work / "report.pdf"
        if done.returncode != 0 or not pdf.is_file():
            said = (done.stderr or done.stdout or b"").decode("utf-8", "replace").strip().splitlines()
            raise ReportError(target, "converter-failed",
                              f"LibreOffice could not convert the report (exit {done.returncode}"
                              + (f": {said[-1]}" if said else "") + ")")
        return pdf.read_bytes()
