"""radit validate through workbook.cli.main.run: exit codes, the three formats, bad files, folders, jobs."""
from __future__ import annotations

import io
import json
import shutil
import xml.etree.ElementTree as ET

import pytest

from reading_books import GOOD_ROWS
from workbook.cli.main import run


def radit(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = run(["validate", *map(str, argv)], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def bad_files(tmp_path, good):
    """name -> path of each kind of unreadable file."""
    data = good.read_bytes()
    files = {
        "not-a-zip": b"ID;Unit\nA.1;count\n",
        "truncated": data[: len(data) // 2],
        "legacy-xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
        "encrypted": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100 + "EncryptionInfo".encode("utf-16-le") + b"\0" * 400,
    }
    out = {}
    for code, blob in files.items():
        p = tmp_path / f"{code}.xlsx"
        p.write_bytes(blob)
        out[code] = p
    return out


def test_a_valid_workbook_exits_0_with_one_line(book):
    path = book()
    code, out, err = radit(path)
    assert (code, out, err) == (0, f"{path}: valid\n", "")


def test_an_error_finding_exits_1_and_names_the_cell(book):
    path = book([list(GOOD_ROWS[2][:-1]) + ["▲"]])
    code, out, _ = radit(path)
    lines = out.splitlines()
    assert code == 1 and lines[0] == f"{path}: 1 error, 0 warnings"
    assert lines[1].startswith(f"{path} 'Rādītāji'!J2 [stale-assessment] stored ▲, rules give ▼ (")
    assert lines[1].endswith(": run radit evaluate")


def test_warnings_alone_keep_the_workbook_valid(book):
    path = book([["A.1", "count", None, None, "36 000", 36000, None, None, None, None]])
    code, out, _ = radit(path)
    assert code == 0 and out.splitlines()[0] == f"{path}: valid, 0 errors, 1 warning"


@pytest.mark.parametrize("kind", ["not-a-zip", "truncated", "legacy-xls", "encrypted", "no-indicator-table"])
def test_a_bad_file_is_one_clear_line_and_exit_2_and_the_others_still_run(book, tmp_path, kind):
    good = book()
    bad = book(table=False, sheet="Dati") if kind == "no-indicator-table" else bad_files(tmp_path, good)[kind]
    code, out, err = radit(bad, good)
    lines = out.splitlines()
    assert code == 2 and "Traceback" not in out + err
    assert lines[0].startswith(f"{bad}: cannot be read: ") and lines[0].endswith(f"[{kind}]")
    assert lines[1] == f"{good}: valid"


def test_a_missing_file_is_reported_and_exits_2(book, tmp_path):
    code, out, _ = radit(tmp_path / "nope.xlsx", book())
    assert code == 2 and out.splitlines()[0].endswith("[not-found]")


def test_folders_are_searched_recursively_skipping_lock_files(book, tmp_path):
    folder = tmp_path / "ministry"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(book(), folder / "b.xlsx")
    shutil.copy(book(), folder / "sub" / "a.xlsm")
    (folder / "~$b.xlsx").write_bytes(b"lock")
    (folder / "notes.txt").write_text("x")
    code, out, _ = radit(folder)
    assert code == 0 and out.splitlines() == [f"{folder / 'b.xlsx'}: valid", f"{folder / 'sub' / 'a.xlsm'}: valid"]


def test_json_has_one_object_per_workbook_in_input_order(book, tmp_path):
    good, bad = book(), bad_files(tmp_path, book())["not-a-zip"]
    stale = book([list(GOOD_ROWS[0][:-1]) + ["▼"]])
    code, out, _ = radit("--format", "json", good, bad, stale)
    data = json.loads(out)
    assert code == 2 and [d["path"] for d in data] == [str(good), str(bad), str(stale)]
    assert [d["valid"] for d in data] == [True, False, False]
    assert data[1]["error"]["code"] == "not-a-zip" and data[1]["findings"] == []
    (f,) = data[2]["findings"]
    assert {k: f[k] for k in ("code", "severity", "sheet", "cell")} == {
        "code": "stale-assessment", "severity": "error", "sheet": "Rādītāji", "cell": "J2"}
    first = data[0]["indicators"][0]
    assert {k: first[k] for k in ("id", "status", "symbol", "basis", "row")} == {
        "id": "A.1", "status": "achieved", "symbol": "●", "basis": "computed", "row": 2}
    assert first["deviation"] == pytest.approx(-2.0)


def test_junit_has_a_suite_per_workbook_and_a_case_per_indicator(book, tmp_path):
    good = book()
    stale = book([list(GOOD_ROWS[0][:-1]) + ["▼"]])
    bad = bad_files(tmp_path, good)["truncated"]
    code, out, _ = radit("--format", "junit", good, stale, bad)
    root = ET.fromstring(out)
    suites = root.findall("testsuite")
    assert code == 2 and [s.get("name") for s in suites] == [str(good), str(stale), str(bad)]
    assert [len(s.findall("testcase")) for s in suites] == [4, 2, 1]
    assert [s.get("failures") for s in suites] == ["0", "1", "0"] and suites[2].get("errors") == "1"
    failed = [c.get("name") for c in suites[1].findall("testcase") if c.find("failure") is not None]
    assert failed == ["A.1 (row 2)"]


def test_lv_messages(book):
    path = book([list(GOOD_ROWS[0][:-1]) + ["▼"]])
    _, out, _ = radit("--lang", "lv", path)
    assert "[stale-assessment] saglabāts ▼, noteikumi dod ●" in out


def test_parallel_jobs_give_the_same_report_in_input_order(book, tmp_path):
    paths = [book() for _ in range(3)] + [bad_files(tmp_path, book())["not-a-zip"]] + [book([list(GOOD_ROWS[0][:-1]) + ["▼"]])]
    one = radit("--jobs", "1", *paths)
    two = radit("--jobs", "2", *paths)
    assert one == two and one[0] == 2


@pytest.mark.parametrize("argv", [["--jobs", "0"], ["--year", "16"], ["--format", "yaml"], []])
def test_bad_arguments_exit_2(book, argv):
    assert radit(*argv, *([book()] if argv else []))[0] == 2


def test_a_bad_rule_file_exits_2(book, tmp_path):
    rules = tmp_path / "r.json"
    rules.write_text('{"format_version": 7}')
    code, out, err = radit("--rules", rules, book())
    assert code == 2 and err.startswith("radit: ") and "Traceback" not in err


def test_no_progress_bar_when_stderr_is_not_a_terminal(book):
    assert radit(book(), book())[2] == ""


def test_assessments_are_available_after_a_parallel_run(book):
    from workbook.validation.validate import validate_many

    paths = [book(), book()]
    one = validate_many(paths, jobs=1)
    two = validate_many(paths, jobs=2)
    assert [[(i.id, i.assessment.status, i.assessment.explain("en")) for i in r.indicators] for r in two] == [
        [(i.id, i.assessment.status, i.assessment.explain("en")) for i in r.indicators] for r in one]


def test_a_worker_that_dies_costs_only_its_own_file(book, tmp_path, monkeypatch):
    import os

    from workbook.validation import validate as validate_module

    real = validate_module._worker

    def dies_on_crash(args):
        if "crash" in args[0]:
            os._exit(9)  # what a native reader's abort looks like from the pool
        return real(args)

    monkeypatch.setattr(validate_module, "_worker", dies_on_crash)
    good = [book(name=f"g{i}.xlsx") for i in range(4)]
    crash = book(name="crash.xlsx")
    reports = validate_module.validate_many([good[0], crash, *good[1:]], jobs=2)
    assert [(r.path, r.error.code if r.error else "ok") for r in reports] == [
        (str(good[0]), "ok"), (str(crash), "reader-crashed"), *[(str(g), "ok") for g in good[1:]]]


def test_a_reading_child_that_dies_costs_only_the_file_it_was_reading(book, monkeypatch):
    """Without --jobs the files are read in one forked child, a group at a time: when it dies, the files it had
    read but not sent are read again, the one it was reading is named, and the reports keep their order."""
    import os

    from workbook.validation import validate as validate_module

    real = validate_module._worker

    def dies_on_crash(args):
        if "crash" in args[0]:
            os.abort()  # SIGABRT, as python-calamine dies
        return real(args)

    monkeypatch.setattr(validate_module, "_worker", dies_on_crash)
    monkeypatch.setattr(validate_module, "STREAM_GROUP_FILES", 4)
    monkeypatch.setattr("workbook.forked.can_fork", lambda: True)  # pytest's own threads would say no
    names = [f"g{i}.xlsx" for i in range(11)]
    names[5], names[6], names[9] = "crash1.xlsx", "crash2.xlsx", "crash3.xlsx"  # mid-group, twice in a row, later
    paths = [book(name=n) for n in names]
    reports = validate_module.validate_many(paths, isolate=True)
    assert [(r.path, r.error.code if r.error else "ok") for r in reports] == [
        (str(p), "reader-crashed" if "crash" in p.name else "ok") for p in paths]
    alone = validate_module.validate_book(paths[0])
    assert [i.as_dict() for i in reports[0].indicators] == [i.as_dict() for i in alone.indicators]


@pytest.mark.parametrize("crash_at", [0, 3, 4, 8, 9, 10])
def test_a_reading_child_that_dies_after_sending_groups_names_the_right_file(book, monkeypatch, crash_at):
    """The file a dying child was reading is counted from where that child started, not from the reports it
    sent: a crash in a later group, or at the last file, names that file (and never one past the end)."""
    import os

    from workbook.validation import validate as validate_module

    real = validate_module._worker

    def dies_on_crash(args):
        if "crash" in args[0]:
            os.abort()
        return real(args)

    monkeypatch.setattr(validate_module, "_worker", dies_on_crash)
    monkeypatch.setattr(validate_module, "STREAM_GROUP_FILES", 3)
    monkeypatch.setattr("workbook.forked.can_fork", lambda: True)
    names = [f"g{i}.xlsx" for i in range(11)]
    names[crash_at] = "crash.xlsx"
    paths = [book(name=n) for n in names]
    read = []
    monkeypatch.setattr(validate_module, "_alone", lambda task, rules_file, real=validate_module._alone:
                        read.append(task[0]) or real(task, rules_file))
    reports = validate_module.validate_many(paths, isolate=True)
    assert [(r.path, r.error.code if r.error else "ok") for r in reports] == [
        (str(p), "reader-crashed" if p.name == "crash.xlsx" else "ok") for p in paths]
    assert read == [str(paths[crash_at])]  # only the crashing file is read alone
