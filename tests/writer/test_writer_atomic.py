"""Atomic replace, backup and Excel lock-file refusal."""

import pytest

from engine.errors import WriteRefused
from workbook.atomic import book_lock, refuse_if_open, write_atomically


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
