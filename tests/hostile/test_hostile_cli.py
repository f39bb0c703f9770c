"""radit validate/evaluate over the hostile corpus: the documented exit code, a located message naming the file,
bounded memory (RLIMIT_AS 1 GiB in the child), never a signal, the input byte-identical, no leak."""
from __future__ import annotations

import hashlib
import shutil
import json
import resource
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from make_corpus import BIG_ROWS, SECRET_TOKEN, ZIP_SLIP

MEMORY_CAP = 1 << 30  # RLIMIT_AS of each child: a bomb must be refused, not survived by luck
HANG_GUARD = 300  # seconds; a hang guard, not a speed assertion
SHEET, SETTINGS = "Rādītāji", "Iestatījumi"
RAW_CONTROLS = [chr(c) for c in range(32) if c not in (9, 10, 13)] + ["\x7f"]

# case -> (exit code, the error code of an unreadable file, findings (code, sheet, cell) that must be reported)
VALIDATE: dict[str, tuple[int, str | None, list[tuple[str, str, str]]]] = {
    "valid": (0, None, []),
    "not-a-zip": (2, "not-a-zip", []),
    "truncated": (2, "truncated", []),
    "legacy-xls": (2, "legacy-xls", []),
    "encrypted": (2, "encrypted", []),
    "zip-bomb": (2, "too-large", []),
    "far-cell": (2, "too-large", []),
    "far-row": (0, None, []),
    "huge-string": (2, "too-large", []),
    "lying-bomb": (2, "unreadable", []),
    "duplicate-part": (2, "duplicate-part", []),
    "zip-slip": (0, None, []),
    "billion-laughs": (2, "bad-xml", []),
    "external-entity": (2, "bad-xml", []),
    "external-entity-sheet": (2, "bad-xml", []),
    "macro": (0, None, []),
    "external-link": (0, None, []),
    "no-table": (2, "no-indicator-table", []),
    "duplicate-header": (1, None, [("duplicate-column", SHEET, "B1")]),
    # the merge hides the achieved header: refused as a merged header, at the merge (nothing half-read)
    "merged-header": (2, "merged-header", []),
    "table-ref-outside": (0, None, []),
    "invalid-utf8": (2, "unreadable", []),
    "windows-1257": (0, None, []),
    "control-chars": (1, None, [("duplicate-id", SHEET, "A5"), ("unknown-unit", SHEET, "H6"),
                                ("stale-assessment", SHEET, "S8"), ("formula-without-value", SHEET, "K9")]),
    "sheet-name-escape": (2, "bad-xml", []),
    "formula-no-value": (1, None, [("formula-without-value", SHEET, "N3")]),
    "number-as-date": (1, None, [("date-in-number-column", SHEET, "N3")]),
    "date-as-number": (1, None, [("bad-setting", SETTINGS, "B2")]),
    "rows-100k": (1, None, []),
    **{case: (2, "too-large", []) for case in ("far-cell-quoted", "far-cell-whitespace", "far-cell-charref", "far-cell-early",
                                               "far-cell-prefixed", "far-cell-implied", "far-dimension")},
    "duplicate-attribute": (2, "unreadable", []),
    # a cell written twice, in a column radit writes (S3) or only reads (N5), in the last row, in a row out of order
    **{case: (2, "duplicate-cell", []) for case in ("duplicate-cell", "duplicate-cell-read", "duplicate-cell-last-row",
                                                    "duplicate-cell-unordered")},
    "rows-out-of-order": (0, None, []),
    "protected-sheet": (0, None, []),
    "protected-workbook": (0, None, []),
    "part-two-names": (2, "duplicate-part", []),
    "part-dot-target": (0, None, []),
    "part-native-elsewhere": (2, "duplicate-part", []),
    "too-many-styles": (0, None, []),
}
ROWS = {"rows-100k": BIG_ROWS, "windows-1257": 27, "valid": 27, "table-ref-outside": 27, "far-row": 27,
        "macro": 27, "external-link": 27, "zip-slip": 27, "control-chars": 27, "rows-out-of-order": 27,
        "protected-sheet": 27, "protected-workbook": 27, "part-dot-target": 27, "too-many-styles": 27}
# Where the refusal points: case -> (code, sheet, cell) of validate's error (the sheet, or None for the whole file)
LOCATED = {
    **{case: ("too-large", SHEET, "XFD1048576") for case in ("far-cell", "far-cell-quoted", "far-cell-whitespace",
                                                             "far-cell-charref", "far-cell-early", "far-cell-prefixed",
                                                             "far-dimension")},
    "far-cell-implied": ("too-large", SHEET, "XFD2000"),
    "duplicate-attribute": ("unreadable", SHEET, None),
    "merged-header": ("merged-header", SHEET, "N1"),
    "duplicate-cell": ("duplicate-cell", SHEET, "S3"),
    "duplicate-cell-read": ("duplicate-cell", SHEET, "N5"),
    "duplicate-cell-last-row": ("duplicate-cell", SHEET, "A28"),
    "duplicate-cell-unordered": ("duplicate-cell", SHEET, "O3"),
    "invalid-utf8": ("unreadable", SHEET, None),
    "part-two-names": ("duplicate-part", None, None),
    "part-native-elsewhere": ("duplicate-part", None, None),
}
# Books validate reads but evaluate must not write: case -> (code, sheet, cell) of the refusal
EVALUATE_REFUSES = {
    "rows-out-of-order": ("unordered-rows", SHEET, "3"),
    "protected-sheet": ("sheet-protected", SHEET, None),
    "protected-workbook": ("workbook-protected", None, None),
    "too-many-styles": ("too-many-styles", None, None),
}
SLOW = {"rows-100k"}


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def radit(*args, cwd=None) -> subprocess.CompletedProcess:
    """`radit ARGS` in a child capped at 1 GiB of address space; asserts it ended by itself, without a traceback."""
    proc = subprocess.run([sys.executable, "-m", "workbook.cli.main", *map(str, args)], capture_output=True, text=True,
                          timeout=HANG_GUARD, preexec_fn=_limit_memory, cwd=cwd)
    assert proc.returncode >= 0, f"killed by signal {-proc.returncode}: {proc.stderr[-2000:]}"
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert "internal error" not in proc.stderr, proc.stderr[-3000:]
    assert SECRET_TOKEN not in proc.stdout + proc.stderr
    assert not (Path("/tmp") / ZIP_SLIP).exists(), "a zip member was extracted"
    return proc


def sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _cases(table, slow=SLOW, bugs=None):
    """Parameters: slow cases marked slow; a case with an open bug marked xfail(strict) with the bug's precise text."""
    bugs = bugs or {}
    return [pytest.param(c, marks=[m for m in (pytest.mark.slow if c in slow else None,
                                               pytest.mark.xfail(strict=True, reason=bugs[c]) if c in bugs else None) if m])
            for c in table]


# --- validate ------------------------------------------------------------------------------------

@pytest.mark.parametrize("case", _cases(VALIDATE))
def test_validate_ends_with_the_documented_code(corpus, case):
    path = corpus[case]
    before = sha(path)
    proc = radit("validate", "--format", "json", path)
    code, error, findings = VALIDATE[case]
    assert proc.returncode == code, proc.stdout[-2000:] + proc.stderr
    [report] = json.loads(proc.stdout)
    assert report["path"] == str(path)
    if error:
        assert report["error"]["code"] == error
    else:
        assert report["error"] is None
        got = {(f["code"], f["sheet"], f["cell"]) for f in report["findings"]}
        assert set(findings) <= got
        assert all(f["file"] == str(path) for f in report["findings"])
        assert not {"missing-column", "unreadable"} & {f["code"] for f in report["findings"]}
    if case in ROWS:  # every row gets a status
        assert len(report["indicators"]) == ROWS[case]
        assert all(i["status"] in ("achieved", "worse", "better", "not_assessed") for i in report["indicators"])
    assert sha(path) == before


@pytest.mark.parametrize("case", LOCATED)
def test_a_refusal_is_located(corpus, case):
    """(code, sheet, cell) of the refusal, as data (read in this process: the guard refuses before calamine reads)."""
    from workbook.validation.validate import validate_book

    error = validate_book(corpus[case]).error
    assert (error.code, error.location.sheet, error.location.cell) == LOCATED[case]
    assert error.location.file == str(corpus[case])
    assert error.render("lv") != error.render("en") and error.code in error.render("lv")


def test_windows_1257_text_is_decoded_as_declared(corpus):
    """The headers (Mērvienība …) are matched, so the declared encoding was honoured, not guessed as UTF-8."""
    from workbook.reading.calamine import read_master

    book = read_master(corpus["windows-1257"])
    assert book.rows[1].values["justification"].startswith("Pārskata periodā (2014. – 2016.gads)")


@pytest.mark.slow
def test_validate_jobs_reports_every_file_with_its_code(corpus):
    """One text line per file naming it; each located finding names the file, sheet and cell."""
    before = {c: sha(p) for c, p in corpus.items()}
    proc = radit("validate", "--jobs", "2", *corpus.values())
    assert proc.returncode == 2
    lines = proc.stdout.splitlines()
    for case, path in corpus.items():
        heads = [ln for ln in lines if ln.startswith(f"{path}: ")]
        assert len(heads) == 1, (case, heads)
        code, error, findings = VALIDATE[case]
        if error:
            assert heads[0].endswith(f"[{error}]")
        for fcode, sheet, cell in findings:
            assert any(ln.startswith(f"{path} '{sheet}'!{cell} [{fcode}]") for ln in lines), (case, fcode)
    assert {c: sha(p) for c, p in corpus.items()} == before


def test_validate_json_jobs_one_object_per_file(corpus):
    small = [p for c, p in corpus.items() if c not in SLOW]
    proc = radit("validate", "--jobs", "2", "--format", "json", *small)
    body = proc.stdout.strip().splitlines()
    assert body[0] == "[" and body[-1] == "]" and len(body) == len(small) + 2
    assert [r["path"] for r in json.loads(proc.stdout)] == [str(p) for p in small]


@pytest.mark.parametrize("case", [
    "sheet-name-escape",
    "control-chars",
])
def test_text_report_never_echoes_control_characters(corpus, case):
    proc = radit("validate", corpus[case])
    leaked = sorted({repr(c) for c in RAW_CONTROLS if c in proc.stdout + proc.stderr})
    assert not leaked


def test_junit_report_is_well_formed_for_the_corpus(corpus):
    small = [p for c, p in corpus.items() if c not in SLOW and c != "control-chars"]
    ET.fromstring(radit("validate", "--format", "junit", *small).stdout)


def test_junit_report_is_well_formed_with_control_characters(corpus):
    ET.fromstring(radit("validate", "--format", "junit", corpus["control-chars"]).stdout)


# --- evaluate ------------------------------------------------------------------------------------

EVALUATE_BUGS: dict[str, str] = {}  # case -> precise bug, while it is open
BROKEN = [c for c, (code, _, _) in VALIDATE.items() if code == 2] + list(EVALUATE_REFUSES)


def _reads_back(out: Path, case: str) -> None:
    """radit reads its own output: every row it assessed now holds a symbol that agrees with the rules."""
    from workbook.validation.validate import validate_book

    report = validate_book(out)
    assert report.error is None, report.error
    assert "stale-assessment" not in {f.code for f in report.findings}
    if case in ROWS:
        assert len(report.indicators) == ROWS[case]
        assert all(i.stored_symbol not in (None, "") for i in report.indicators)


def _evaluated_ok(path: Path) -> None:
    """A complete workbook radit wrote: a sound zip that openpyxl opens, with nothing from a local file in it."""
    import openpyxl

    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        for name in z.namelist():
            assert SECRET_TOKEN.encode() not in z.read(name), name
    with open(path, "rb") as fh:  # a file object: openpyxl judges a path by its extension
        openpyxl.load_workbook(fh, read_only=True).close()


UNTOUCHED_PARTS = {"macro": ["xl/vbaProject.bin"],
                   "external-link": ["xl/externalLinks/externalLink1.xml", "xl/externalLinks/_rels/externalLink1.xml.rels"]}


@pytest.mark.parametrize("case", _cases(VALIDATE, bugs=EVALUATE_BUGS))
def test_evaluate_ends_cleanly(corpus, case, tmp_path):
    path = corpus[case]
    before = sha(path)
    out = tmp_path / ("out" + path.suffix)
    proc = radit("evaluate", path, "-o", out)
    code, error, _ = VALIDATE[case]
    if case in EVALUATE_REFUSES:
        code, error = 2, EVALUATE_REFUSES[case][0]
    if code == 2:
        assert proc.returncode == 2, proc.stdout + proc.stderr
        assert f"{path}" in proc.stderr and f"[{error}]" in proc.stderr, proc.stderr
        assert not out.exists()
        assert list(tmp_path.iterdir()) == []
    else:
        assert proc.returncode in (0, 1), proc.stdout + proc.stderr
        _evaluated_ok(out)
        with zipfile.ZipFile(path) as before_zip, zipfile.ZipFile(out) as after_zip:
            for name in UNTOUCHED_PARTS.get(case, []):  # macros and external links copied, never run or followed
                assert after_zip.read(name) == before_zip.read(name)
        _reads_back(out, case)
    assert sha(path) == before


@pytest.mark.parametrize("case", BROKEN)
def test_evaluate_in_place_leaves_a_broken_book_alone(corpus, case, tmp_path):
    book = tmp_path / corpus[case].name
    shutil.copyfile(corpus[case], book)
    before = sha(book)
    proc = radit("evaluate", book, "--in-place")
    error = EVALUATE_REFUSES[case][0] if case in EVALUATE_REFUSES else VALIDATE[case][1]
    assert proc.returncode == 2 and f"[{error}]" in proc.stderr, proc.stderr
    assert sha(book) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [book.name]  # no backup, no temp file, no lock file left


@pytest.mark.parametrize("case", EVALUATE_REFUSES)
def test_an_evaluate_refusal_is_located(corpus, case, tmp_path):
    from workbook.errors import WriteRefused
    from workbook.writing.evaluate import evaluate_file

    with pytest.raises(WriteRefused) as refused:
        evaluate_file(corpus[case], out=tmp_path / "out.xlsx")
    error = refused.value
    assert (error.code, error.location.sheet, error.location.cell) == EVALUATE_REFUSES[case]
    assert list(tmp_path.iterdir()) == []


def test_a_part_named_with_dot_segments_is_patched_in_its_one_member(corpus, tmp_path):
    """worksheets/./sheet1.xml resolves to the member xl/worksheets/sheet1.xml, for the reader and the writer alike:
    the evaluated package holds that member once, patched, and no second spelling of it."""
    out = tmp_path / "out.xlsx"
    assert radit("evaluate", corpus["part-dot-target"], "-o", out).returncode in (0, 1)
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
        assert [n for n in names if n.endswith("sheet1.xml")] == ["xl/worksheets/sheet1.xml"]
    _reads_back(out, "part-dot-target")  # every row's symbol is in that member, read back through worksheets/./
