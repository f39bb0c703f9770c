"""Faults while `radit evaluate --in-place` writes: SIGKILL at random points, a full disk, a read-only folder or
file, and two runs at once. Every time the book is the original (same hash) or a complete evaluated workbook,
and no half-written file sits under the book's name."""
from __future__ import annotations

import contextlib
import hashlib
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from make_corpus import FAULT_ROWS, SECRET_TOKEN

KILLS = 20
MEMORY_CAP = 1 << 30
HANG_GUARD = 300


def _limit_memory():
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def start_evaluate(book: Path, *extra: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "workbook.cli.main", "evaluate", str(book), *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=_limit_memory,
                            env=env)


def finish(proc: subprocess.Popen) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=HANG_GUARD)
    return proc.returncode, out, err


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def temp_files(folder: Path, book: Path) -> list[str]:
    """Files the writer may leave only when killed: its temp files (never under the book's own name)."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("." + book.name) and p.name.endswith(".tmp"))


def strays(folder: Path, book: Path) -> list[str]:
    """Anything in the folder but the book, its backups (BOOK.bak, then BOOK.2.bak …), its lock file (left only by
    a killed run) and the writer's temp files."""
    allowed = {book.name, book.name + ".bak", "." + book.name + ".radit-lock"} | {f"{book.name}.{n}.bak" for n in range(2, 9)}
    return sorted(p.name for p in folder.iterdir() if p.name not in allowed and p.name not in temp_files(folder, book))


def lock_left(folder: Path, book: Path) -> bool:
    return (folder / ("." + book.name + ".radit-lock")).exists()


def assert_evaluated(book: Path, rows: int | None = None) -> None:
    """A complete workbook radit wrote: a sound zip, opened by openpyxl, read by radit with a symbol on every row."""
    import openpyxl

    from workbook.validation.validate import validate_book

    with zipfile.ZipFile(book) as z:
        assert z.testzip() is None
    openpyxl.load_workbook(book, read_only=True).close()
    report = validate_book(book)
    assert report.error is None
    assert all(i.stored_symbol not in (None, "") for i in report.indicators)
    assert not [f for f in report.findings if f.code == "stale-assessment"]
    if rows is not None:
        assert len(report.indicators) == rows


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        return {n: z.read(n) for n in z.namelist()}


def assert_intact_or_evaluated(book: Path, before: str, reference: dict) -> str:
    """The original, or the same evaluated workbook an uninterrupted run wrote: every part radit patched
    (indicator cells, strings, styles …) byte-identical; only the provenance and the parts radit adds
    (the summary, dated) may differ; openpyxl opens it."""
    import openpyxl

    assert book.exists(), "the book is gone"
    if sha(book) == before:
        return "original"
    got = parts(book)
    assert set(got) == set(reference["parts"])
    for name, data in reference["parts"].items():
        if name in reference["original_names"] and not name.startswith("docProps/"):
            assert got[name] == data, name
    openpyxl.load_workbook(book, read_only=True).close()
    return "evaluated"


@pytest.fixture(scope="module")
def reference(big_book, tmp_path_factory):
    """One uninterrupted run on a copy of the large book: its duration (to spread the kills over) and row count."""
    folder = tmp_path_factory.mktemp("reference")
    book = folder / "book.xlsx"
    shutil.copyfile(big_book, book)
    t = time.monotonic()
    code, out, err = finish(start_evaluate(book, "--in-place"))
    seconds = time.monotonic() - t
    assert code in (0, 1), err
    assert_evaluated(book, FAULT_ROWS)
    return {"seconds": seconds, "rows": FAULT_ROWS, "parts": parts(book), "original_names": set(parts(big_book))}


@pytest.fixture
def small_book(corpus, tmp_path):
    """A copy of the 27-row sample: the refusals need no large book, only the kills do."""
    book = tmp_path / "book.xlsx"
    shutil.copyfile(corpus["valid"], book)
    return book


@pytest.fixture(scope="module")
def small_evaluated_size(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("small") / "out.xlsx"
    code, _, err = finish(start_evaluate(corpus["valid"], "-o", str(out)))
    assert code in (0, 1), err
    return out.stat().st_size


# --- SIGKILL at random points --------------------------------------------------------------------

def _kill_during_write(proc: subprocess.Popen, folder: Path, book: Path, extra: float) -> None:
    """Kill `extra` seconds after the writer's temp file appears. The writer builds the book in memory and
    writes it in one go, so the temp file lives a few milliseconds: poll fast, and a miss means a finished run."""
    while proc.poll() is None:
        if temp_files(folder, book):
            if extra:
                time.sleep(extra)
            break
        time.sleep(0.0005)
    proc.send_signal(signal.SIGKILL)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(KILLS))
def test_sigkill_at_a_random_point(big_book, reference, tmp_path, seed, record_property):
    rng = random.Random(seed)
    book = tmp_path / "book.xlsx"
    shutil.copyfile(big_book, book)
    before = sha(book)
    proc = start_evaluate(book, "--in-place")
    if seed % 2:  # anywhere in the run, more often late (reading and assessing take most of it)
        time.sleep(reference["seconds"] * rng.uniform(0.05, 1.1) ** 0.5)
        proc.send_signal(signal.SIGKILL)
    else:  # inside the write: after the temp file appears
        _kill_during_write(proc, tmp_path, book, rng.choice([0, 0, 0.0005, 0.001, 0.002, 0.004]))
    proc.communicate(timeout=HANG_GUARD)
    state = assert_intact_or_evaluated(book, before, reference)
    record_property("outcome", f"{state}, temp files left: {len(temp_files(tmp_path, book))}")
    assert strays(tmp_path, book) == []
    if state == "evaluated":  # the original survives as the backup (a kill during the backup copy: test_full_disk)
        assert sha(tmp_path / (book.name + ".bak")) == before


# --- a full disk, a read-only folder or file -----------------------------------------------------

def mount_tmpfs(folder: Path, size: int) -> bool:
    """A small tmpfs at `folder`: True where mounting is permitted (root with CAP_SYS_ADMIN, as on CI)."""
    folder.mkdir()
    size = (size + 4095) // 4096 * 4096
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True)
    return proc.returncode == 0


@contextlib.contextmanager
def tmpfs(folder: Path, size: int):
    """A mounted small tmpfs, unmounted afterwards; skips the test where mounting is not permitted."""
    if not mount_tmpfs(folder, size):
        pytest.skip("cannot mount a tmpfs here (not root, or no CAP_SYS_ADMIN)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


# Where no tmpfs can be mounted: ENOSPC injected into the child through a sitecustomize.py on PYTHONPATH, at
# os.fsync of any file in the book's folder (where a full disk shows on file systems that allocate late).
SITECUSTOMIZE = """
import errno, os
_folder = os.environ["RADIT_TEST_ENOSPC_IN"]
_fsync = os.fsync
def fsync(fd):
    try:
        path = os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        path = ""
    if os.path.dirname(path) == _folder and os.path.isfile(path):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    return _fsync(fd)
os.fsync = fsync
"""


def test_full_disk_injected(corpus, tmp_path):
    """ENOSPC at fsync of the temp file (sitecustomize), whether or not a tmpfs can be mounted."""
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(SITECUSTOMIZE)
    folder = tmp_path / "book"
    folder.mkdir()
    book = folder / "book.xlsx"
    shutil.copyfile(corpus["valid"], book)
    before = sha(book)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(hook), *filter(None, [os.environ.get("PYTHONPATH")])]),
               RADIT_TEST_ENOSPC_IN=str(folder))
    code, out, err = finish(start_evaluate(book, "--in-place", env=env))
    _assert_refused_cleanly(code, err, book, before)
    assert temp_files(folder, book) == [] and strays(folder, book) == []


def _assert_refused_cleanly(code: int, err: str, book: Path, before: str, why: str = "cannot-write") -> None:
    assert code == 2, err
    assert err.startswith(f"radit: {book}: ") and f"[{why}]" in err, err
    assert "Traceback" not in err and "internal error" not in err, err
    assert SECRET_TOKEN not in err
    assert sha(book) == before


@pytest.mark.parametrize("room", ["no room for the temp file", "no room for the backup"])
def test_full_disk(corpus, small_evaluated_size, tmp_path, room):
    """A tmpfs just large enough for the book (and, second case, for the new version but not the backup)."""
    src = corpus["valid"]
    size = src.stat().st_size + 4096
    if room == "no room for the backup":
        size += small_evaluated_size + 4096
    with tmpfs(tmp_path / "disk", size) as disk:
        book = disk / "book.xlsx"
        shutil.copyfile(src, book)
        before = sha(book)
        code, out, err = finish(start_evaluate(book, "--in-place"))
        _assert_refused_cleanly(code, err, book, before)
        assert temp_files(disk, book) == [] and strays(disk, book) == []
        backup = disk / (book.name + ".bak")
        assert not backup.exists() or sha(backup) == before, "a half-written backup"


def test_read_only_folder(corpus, tmp_path):
    with tmpfs(tmp_path / "ro", 1 << 20) as disk:
        book = disk / "book.xlsx"
        shutil.copyfile(corpus["valid"], book)
        before = sha(book)
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        code, out, err = finish(start_evaluate(book, "--in-place"))
        _assert_refused_cleanly(code, err, book, before)
        assert sorted(p.name for p in disk.iterdir()) == [book.name]


def test_read_only_file(small_book, tmp_path):
    """Mode 0444 in a writable folder: root could replace it, but the person asked for it to stay as it is."""
    book = small_book
    book.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    before = sha(book)
    code, out, err = finish(start_evaluate(book, "--in-place"))
    _assert_refused_cleanly(code, err, book, before, "read-only")
    assert stat.S_IMODE(book.stat().st_mode) == 0o444
    assert temp_files(tmp_path, book) == []


# --- two runs at once ----------------------------------------------------------------------------

def test_a_run_waits_for_the_book_lock(corpus, tmp_path):
    """While this process holds workbook.writing.atomic.book_lock, evaluate --in-place does not write; released, it does."""
    from workbook.writing.atomic import book_lock

    book = tmp_path / "book.xlsx"
    shutil.copyfile(corpus["valid"], book)
    before = sha(book)
    with book_lock(book):
        proc = start_evaluate(book, "--in-place")
        time.sleep(4)  # an unblocked run on this 27-row book takes well under a second
        assert proc.poll() is None, "evaluate finished while the lock was held"
        assert sha(book) == before
        assert temp_files(tmp_path, book) == []
    code, out, err = finish(proc)
    assert code in (0, 1), err
    assert_evaluated(book, 27)


def test_two_in_place_runs_never_interleave(small_book, tmp_path):
    book = small_book
    before = sha(book)
    procs = [start_evaluate(book, "--in-place") for _ in range(2)]
    results = [finish(p) for p in procs]
    assert [code for code, _, _ in results] in ([0, 0], [1, 1]), [err for _, _, err in results]
    assert_evaluated(book, 27)
    assert sha(tmp_path / (book.name + ".bak")) == before  # the first backup is the book as it was
    second = tmp_path / (book.name + ".2.bak")  # the second run backed up the first one's output: complete as well
    assert_evaluated(Path(shutil.copyfile(second, tmp_path / "backup-copy.xlsx")), 27)
    (tmp_path / "backup-copy.xlsx").unlink()
    assert temp_files(tmp_path, book) == [] and strays(tmp_path, book) == [] and not lock_left(tmp_path, book)


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o664])
def test_in_place_keeps_the_books_permissions(small_book, mode):
    """Colleagues who could read the book before can read it after (a temp file is created 0600)."""
    small_book.chmod(mode)
    code, out, err = finish(start_evaluate(small_book, "--in-place"))
    assert code in (0, 1), err
    assert_evaluated(small_book, 27)
    assert stat.S_IMODE(small_book.stat().st_mode) == mode


def test_in_place_through_a_symbolic_link_updates_the_linked_book_or_refuses(small_book, tmp_path):
    link = tmp_path / "link.xlsx"
    link.symlink_to(small_book.name)
    before = sha(small_book)
    code, out, err = finish(start_evaluate(link, "--in-place"))
    if code == 2:  # refused: nothing changed
        assert link.is_symlink() and sha(small_book) == before
    else:
        assert link.is_symlink(), "the link was replaced by a copy"
        assert_evaluated(small_book, 27)
