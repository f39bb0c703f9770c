"""Atomic replace, backup and Excel lock-file refusal."""

import os
import stat

import pytest

from workbook.errors import WriteRefused
from workbook.writing.atomic import book_lock, refuse_if_open, write_atomically


def test_replace_keeps_backup(tmp_path):
    book = tmp_path / "b.xlsx"
    book.write_bytes(b"old")
    with book_lock(book):
        backup = write_atomically(book, b"new", backup=True)
    assert book.read_bytes() == b"new"
    assert backup.read_bytes() == b"old"
    assert not list(tmp_path.glob("*.tmp"))


def test_refuses_when_open_in_excel(tmp_path):
    book = tmp_path / "b.xlsx"
    book.write_bytes(b"old")
    (tmp_path / "~$b.xlsx").write_bytes(b"")
    with pytest.raises(WriteRefused) as caught:
        refuse_if_open(book)
    assert caught.value.code == "open-in-excel"
    assert book.read_bytes() == b"old"


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o664, 0o600])
def test_a_replaced_book_keeps_its_permissions(tmp_path, mode):
    book = tmp_path / "b.xlsx"
    book.write_bytes(b"old")
    book.chmod(mode)
    write_atomically(book, b"new", backup=True)
    assert stat.S_IMODE(book.stat().st_mode) == mode


def test_a_new_file_gets_the_usual_mode_not_0600(tmp_path):
    mask = os.umask(0o022)
    try:
        write_atomically(tmp_path / "new.xlsx", b"x")
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "new.xlsx").stat().st_mode) == 0o644


def test_the_first_backup_is_kept_and_later_ones_are_numbered(tmp_path):
    book = tmp_path / "b.xlsx"
    book.write_bytes(b"original")
    for n, data in enumerate([b"first", b"second", b"third"], start=1):
        with book_lock(book):
            backup = write_atomically(book, data, backup=True)
        assert backup.name == ("b.xlsx.bak" if n == 1 else f"b.xlsx.{n}.bak")
    assert (tmp_path / "b.xlsx.bak").read_bytes() == b"original"
    assert [(tmp_path / f"b.xlsx.{n}.bak").read_bytes() for n in (2, 3)] == [b"first", b"second"]
    assert book.read_bytes() == b"third"


def test_the_lock_file_is_removed_when_released_and_can_be_taken_again(tmp_path):
    from workbook.writing.atomic import lock_path

    book = tmp_path / "b.xlsx"
    book.write_bytes(b"x")
    with book_lock(book):
        assert lock_path(book).exists()
    assert not lock_path(book).exists()
    with book_lock(book):  # a second run locks a fresh file, not the removed one
        assert lock_path(book).exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.xlsx"]


def test_a_run_that_waited_on_a_removed_lock_file_locks_the_new_one(tmp_path):
    """Run A holds the lock; B waits on the same inode; A removes the file and releases; then C comes, creates a
    new file and locks it. B must not hold the removed inode while C holds the new one: it sees its inode is gone
    and starts again on the file at the path."""
    import threading
    import time

    from workbook.writing.atomic import lock_path

    book = tmp_path / "b.xlsx"
    book.write_bytes(b"x")
    inside: list[str] = []
    overlap: list[tuple[str, str]] = []

    def run(name: str, hold: float) -> None:
        with book_lock(book):
            if inside:
                overlap.append((inside[0], name))
            inside.append(name)
            time.sleep(hold)
            inside.remove(name)

    a = threading.Thread(target=run, args=("A", 0.3))
    a.start()
    time.sleep(0.05)
    b = threading.Thread(target=run, args=("B", 0.3))
    b.start()
    time.sleep(0.35)  # A has released (and removed the file) by now; B holds, or has started again on a new file
    c = threading.Thread(target=run, args=("C", 0.3))
    c.start()
    for t in (a, b, c):
        t.join()
    assert overlap == [] and not lock_path(book).exists()
