"""Never silent, never lossy: each refusal as data (code, location), and the runs that must never lose a report,
a backup or a device. Children run under the 1 GiB cap of test_hostile_cli.radit and must end by themselves."""
from __future__ import annotations

import json
import os
import pickle
import shutil
import stat
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from test_hostile_cli import SHEET, radit, sha
from workbook.errors import WorkbookError, WriteRefused


# --- the exception API -----------------------------------------------------------------------------

def test_a_refusal_carries_its_code_location_and_parameters_and_renders_in_both_languages():
    from engine.findings import Location

    error = WorkbookError("b.xlsx", "too-large", location=Location(sheet=SHEET, row=9, column=3), template="too-large.sheet",
                          rows=9, columns=3, cells=27, limit=10, far="C9")
    assert (error.code, error.path, error.location.file, error.location.sheet, error.location.cell) == (
        "too-large", "b.xlsx", "b.xlsx", SHEET, "C9")
    assert str(error) == error.render("en") and error.render("en").startswith("b.xlsx: 'Rādītāji'!C9: ")
    assert error.render("en").endswith("[too-large]") and "rindas" in error.render("lv")
    assert error.as_dict()["cell"] == "C9" and error.as_dict("lv")["message"] != error.as_dict("en")["message"]
    back = pickle.loads(pickle.dumps(error))  # what a validate --jobs worker sends back
    assert (type(back), back.code, back.location, back.params, str(back)) == (WorkbookError, error.code, error.location,
                                                                               error.params, str(error))


def test_the_former_constructor_still_works_for_callers_not_yet_converted():
    error = WriteRefused("b.xlsx", "owned-sheet-taken", "the sheet 'Summary' holds a table")
    assert (error.code, error.path, error.message) == ("owned-sheet-taken", "b.xlsx", "the sheet 'Summary' holds a table")
    assert str(error) == "b.xlsx: the sheet 'Summary' holds a table [owned-sheet-taken]"


def test_every_workbook_code_speaks_both_languages():
    import workbook.codes as codes

    for table in (codes.FINDINGS, codes.READING, codes.WRITING):
        for code, entry in table.items():
            assert entry.en and entry.lv and entry.en != entry.lv, code
            assert bool(entry.hint_en) == bool(entry.hint_lv), code


def test_engine_declares_no_workbook_code_and_names_no_workbook_error():
    engine = Path(__file__).resolve().parents[2] / "engine"
    text = (engine / "codes.py").read_text() + (engine / "errors.py").read_text()
    assert "WorkbookError" not in text and "WriteRefused" not in text
    assert '"not-a-zip"' not in text and '"stale-assessment"' not in text


def test_a_rule_file_error_is_located_by_the_json_path_of_its_first_problem(tmp_path):
    from engine.errors import RuleFileError
    from engine.rules import load_rules

    bad = tmp_path / "r.json"
    bad.write_text(json.dumps({"format_version": 1, "direction": "up"}))
    with pytest.raises(RuleFileError) as caught:
        load_rules(bad)
    assert (caught.value.code, caught.value.location.file, caught.value.location.json_path) == ("bad-rules", str(bad), "$.direction")


# --- a batch never loses its reports -------------------------------------------------------------

ABORT_HOOK = """
import os
try:
    import python_calamine
except ImportError:
    python_calamine = None
if python_calamine is not None:
    _open = python_calamine.CalamineWorkbook.from_path
    class _Book:
        @staticmethod
        def from_path(path, *a, **k):
            if "abort-me" in str(path):
                os.abort()  # what python-calamine does when it cannot allocate a sheet
            return _open(path, *a, **k)
    python_calamine.CalamineWorkbook = type("CalamineWorkbook", (), {"from_path": _Book.from_path})
"""


@pytest.fixture
def aborting(tmp_path, monkeypatch):
    """A sitecustomize.py making python-calamine abort (SIGABRT) on any file named abort-me…, in the children."""
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(ABORT_HOOK)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(hook), *filter(None, [os.environ.get("PYTHONPATH")])]))


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_file_that_kills_its_reader_costs_only_its_own_report_without_jobs(corpus, tmp_path, aborting, fmt):
    books = []
    for name in ("a.xlsx", "abort-me.xlsx", "b.xlsx"):
        books.append(tmp_path / name)
        shutil.copyfile(corpus["valid"], books[-1])
    proc = radit("validate", "--format", fmt, *books)
    assert proc.returncode == 2, proc.stderr
    if fmt == "json":
        reports = json.loads(proc.stdout)
        assert [(r["path"], r["error"] and r["error"]["code"]) for r in reports] == [
            (str(books[0]), None), (str(books[1]), "reader-crashed"), (str(books[2]), None)]
    else:
        assert f"{books[1]}: cannot be read: " in proc.stdout
        for book in (books[0], books[2]):
            assert f"{book}: valid" in proc.stdout
        assert "[reader-crashed]" in proc.stdout


# --- validate always gives CI a parseable report ---------------------------------------------------

@pytest.fixture
def bad_rules(tmp_path) -> Path:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"format_version": 1, "direction": "up"}))
    return path


def test_a_broken_rule_file_is_in_every_json_report(corpus, bad_rules):
    proc = radit("validate", "--format", "json", "--rules", bad_rules, corpus["valid"], corpus["macro"])
    assert proc.returncode == 2
    reports = json.loads(proc.stdout)
    assert [(r["path"], r["error"]["code"]) for r in reports] == [(str(corpus["valid"]), "bad-rules"), (str(corpus["macro"]), "bad-rules")]
    assert "$.direction" in reports[0]["error"]["message"]


def test_a_broken_rule_file_is_an_error_in_the_junit_report(corpus, bad_rules):
    proc = radit("validate", "--format", "junit", "--rules", bad_rules, corpus["valid"])
    assert proc.returncode == 2
    errors = ET.fromstring(proc.stdout).findall(".//error")
    assert [e.get("type") for e in errors] == ["bad-rules"]


@pytest.mark.parametrize("fmt", ["json", "junit"])
def test_a_folder_without_workbooks_is_a_report_too(tmp_path, fmt):
    proc = radit("validate", "--format", fmt, tmp_path)
    assert proc.returncode == 2
    if fmt == "json":
        assert [r["error"]["code"] for r in json.loads(proc.stdout)] == ["no-workbooks"]
    else:
        assert [e.get("type") for e in ET.fromstring(proc.stdout).findall(".//error")] == ["no-workbooks"]


# --- what evaluate reads and where it writes -----------------------------------------------------

def _kinds(tmp_path: Path) -> dict[str, Path]:
    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    loop = tmp_path / "loop.xlsx"
    loop.symlink_to(loop.name)
    folder = tmp_path / "folder.xlsx"
    folder.mkdir()
    return {"fifo": fifo, "symlink-loop": loop, "directory": folder, "character-device": Path("/dev/null")}


@pytest.mark.parametrize("kind", ["fifo", "symlink-loop", "directory", "character-device"])
def test_evaluate_says_what_a_path_is_that_is_not_a_workbook(tmp_path, kind):
    from workbook.writing.evaluate import evaluate_file

    path = _kinds(tmp_path)[kind]
    with pytest.raises(WorkbookError) as caught:
        evaluate_file(path, out=tmp_path / "out.xlsx")
    assert (caught.value.code, caught.value.template, caught.value.location.file) == ("not-a-file", f"not-a-file.{kind}", str(path))
    proc = radit("evaluate", path, "-o", tmp_path / "out.xlsx")  # a FIFO must not block the child either
    assert proc.returncode == 2 and "[not-a-file]" in proc.stderr


@pytest.mark.parametrize("kind", ["fifo", "directory", "character-device"])
def test_an_output_that_is_not_a_regular_file_is_refused_and_left_as_it_is(corpus, tmp_path, kind):
    from workbook.writing.evaluate import evaluate_file

    target = _kinds(tmp_path)[kind]
    before = os.lstat(target)
    with pytest.raises(WriteRefused) as caught:
        evaluate_file(corpus["valid"], out=target)
    assert (caught.value.code, caught.value.template, caught.value.params["output"]) == (
        "output-not-a-file", f"output-not-a-file.{kind}", str(target))
    after = os.lstat(target)
    assert (after.st_ino, stat.S_IFMT(after.st_mode)) == (before.st_ino, stat.S_IFMT(before.st_mode))


@pytest.mark.parametrize("name", ["out.xls", "out", "out.xlsm"])
def test_an_output_with_another_extension_is_refused(corpus, tmp_path, name):
    from workbook.writing.evaluate import evaluate_file

    with pytest.raises(WriteRefused) as caught:
        evaluate_file(corpus["valid"], out=tmp_path / name)
    assert (caught.value.code, caught.value.params["expected"]) == ("output-extension", ".xlsx")
    assert list(tmp_path.iterdir()) == []


def test_a_folder_that_cannot_be_written_is_named_not_a_temporary_file(corpus, tmp_path):
    from workbook.writing.evaluate import evaluate_file

    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("a file where a folder should be")
    with pytest.raises(WriteRefused) as caught:
        evaluate_file(corpus["valid"], out=not_a_folder / "out.xlsx")
    assert (caught.value.code, caught.value.params["target"]) == ("cannot-write", str(not_a_folder))
    assert ".tmp" not in str(caught.value)


def test_in_place_twice_keeps_the_original_and_leaves_no_lock(corpus, tmp_path):
    book = tmp_path / "book.xlsx"
    shutil.copyfile(corpus["valid"], book)
    original = sha(book)
    for run in range(3):
        proc = radit("evaluate", book, "--in-place")
        assert proc.returncode in (0, 1), proc.stderr
    first_output = tmp_path / "book.xlsx.2.bak"
    assert sha(tmp_path / "book.xlsx.bak") == original  # the book before radit first touched it
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx", "book.xlsx.2.bak", "book.xlsx.3.bak", "book.xlsx.bak"]
    assert sha(first_output) != original


# --- the guard: the plain proof never bounds below the tokenizer ---------------------------------

def test_the_plain_proof_bounds_what_the_tokenizer_finds():
    from hypothesis import given, settings, strategies as st

    from engine.findings import column_letter
    from workbook.reading.sheetshape import _plain, _tokenized

    cell = st.tuples(st.integers(1, 1_048_576), st.integers(1, 16_384))

    @settings(max_examples=150, deadline=None)
    @given(st.lists(st.lists(cell, max_size=4), max_size=6), st.sampled_from(['"', "'"]), st.sampled_from([" ", "\t", "\n "]),
           st.booleans(), st.booleans())
    def check(rows, quote, space, with_r, prefixed):
        body = []
        for i, cells in enumerate(rows, start=1):
            tags = "".join(f'<{"x:" if prefixed else ""}c{space}r={quote}{column_letter(c)}{r}{quote}><v>1</v></{"x:" if prefixed else ""}c>'
                           if with_r else "<c><v>1</v></c>" for r, c in cells)
            body.append(f'<row r="{i}">{tags}</row>')
        xml = ('<worksheet xmlns="m" xmlns:x="m"><sheetData>' + "".join(body) + "</sheetData></worksheet>").encode()
        exact = _tokenized(xml)
        plain = _plain(xml)
        assert exact.error is None
        if plain is not None:
            assert plain.rows >= exact.rows and plain.columns >= exact.columns

    check()


@pytest.mark.parametrize("spelling", [
    b"<row r='9'><c r='XFD9'><v>1</v></c></row>",
    b'<row><c\n\tr="XFD9"><v>1</v></c></row>',
    b'<row r="9"><c r="&#88;FD9"><v>1</v></c></row>',
    b'<row r="9"><x:c xmlns:x="m" r="XFD9"><x:v>1</x:v></x:c></row>',
    b'<row r="9">' + b"<c><v>1</v></c>" * 16384 + b"</row>",
    b'<row r="9"><c r="A9" r="XFD9"><v>1</v></c></row>',
])
def test_every_spelling_of_a_far_cell_is_seen(spelling):
    from workbook.reading.sheetshape import sheet_shape

    shape = sheet_shape(b'<worksheet xmlns="m"><sheetData>' + spelling + b"</sheetData></worksheet>", max_cells=100)
    assert shape.error is not None or (shape.rows, shape.columns) == (9, 16384)
