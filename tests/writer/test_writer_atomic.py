"""Atomic replace, backup and Excel lock-file refusal."""

import os
import stat

import pytest

from engine.errors import WriteRefused
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
