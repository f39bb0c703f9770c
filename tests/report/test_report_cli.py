"""radit report: writes .docx/.html (and .pdf where LibreOffice is), errors as messages, never a traceback."""
from __future__ import annotations

import io

import pytest

from tests.report.conftest import SAMPLE
from workbook.cli.main import run


def _run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("name", ["report.docx", "report.html"])
def test_radit_report_writes_the_report_and_prints_the_counts(tmp_path, name):
    code, out, err = _run("report", str(SAMPLE), "-o", str(tmp_path / name))
    assert code == 0, err
    assert (tmp_path / name).stat().st_size > 10_000
    assert out.splitlines() == [f"Ierakstīts: {tmp_path / name}",
                                "27 rādītāji: ● Rezultāts sasniegts 6, ▼ Rezultāts sliktāks par prognozēto 11, "
                                "▲ Rezultāts labāks par prognozēto 7, - Nav vērtēts 3"]


def test_english_on_request(tmp_path):
    code, out, _ = _run("report", str(SAMPLE), "-o", str(tmp_path / "r.html"), "--lang", "en")
    assert code == 0 and out.startswith("Written: ")
    assert '<html lang="en">' in (tmp_path / "r.html").read_text("utf-8")


@pytest.mark.parametrize("argv, words", [
    (["{book}", "-o", "{tmp}/r.txt"], "[unknown-format]"),
    (["{tmp}/none.xlsx", "-o", "{tmp}/r.docx"], "[not-found]"),
    (["{book}", "-o", "{tmp}/r.docx", "--rules", "{tmp}/none.json"], "none.json"),
    (["{book}", "-o", "{tmp}/r.docx", "--year", "16"], "--year 16 is not a year"),
])
def test_errors_are_messages_with_exit_2(tmp_path, argv, words):
    code, out, err = _run("report", *(a.format(book=SAMPLE, tmp=tmp_path) for a in argv))
    assert code == 2 and words in err and "Traceback" not in err
    assert not list(tmp_path.glob("r.*"))


def test_pdf_without_libreoffice_says_what_to_install(tmp_path, monkeypatch):
    import workbook.report.pdf as pdf

    monkeypatch.setattr(pdf, "soffice", lambda: None)
    code, _, err = _run("report", str(SAMPLE), "-o", str(tmp_path / "r.pdf"))
    assert code == 2 and "[converter-missing]" in err and "libreoffice-writer" in err and "Traceback" not in err
    assert not (tmp_path / "r.pdf").exists()
