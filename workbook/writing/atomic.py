"""Atomic in-place replacement of a workbook: Excel lock-file refusal, an exclusive lock, a backup, os.replace."""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
from pathlib import Path

from engine.errors import WriteRefused


def excel_lock_file(book: Path) -> Path:
    """Excel marks an open book with ~$NAME beside it (the first two characters of long names are replaced)."""
    return book.with_name("~$" + book.name)


def refuse_if_open(book: Path) -> None:
    # Replacing a book Excel holds open would lose the user's unsaved edits on their next save.
    for candidate in (excel_lock_file(book), book.with_name("~$" + book.name[2:])):
        if candidate.exists():
            raise WriteRefused(str(book), "open-in-excel",
                               f"Excel has the workbook open ({candidate.name} exists); close it first")


@contextlib.contextmanager
def book_lock(book: Path):
    """Hold an exclusive lock beside the book for a whole read-modify-replace, so two runs never interleave."""
    lock_path = book.with_name("." + book.name + ".radit-lock")
    with open(lock_path, "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def refuse_if_read_only(book: Path) -> None:
    # Root may write anything; a file the person marked read-only still means "leave it as it is".
    if book.exists() and not book.stat().st_mode & 0o222:
        raise WriteRefused(str(book), "read-only", "the workbook is marked read-only; clear that mark to let radit replace it")


def _copy_atomically(src: Path, dst: Path) -> None:
    fd, tmp = tempfile.mkstemp(prefix="." + dst.name + ".", suffix=".tmp", dir=dst.parent)
    os.close(fd)
    try:
        shutil.copy2(src, tmp)
        os.replace(tmp, dst)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _mode_for(target: Path) -> int:
    # mkstemp creates 0600: keep the book's own mode, or give a new file what open() would (0666 less umask),
    # so colleagues who could read the book before still can.
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        return 0o666 & ~_current_umask()


def write_atomically(target: Path, data: bytes, *, backup: bool = False) -> Path | None:
    """Write data to target via a synced temp file in the same folder; keep TARGET.bak first when asked."""
    target = Path(target)
    backup_path = None
    fd, tmp = tempfile.mkstemp(prefix="." + target.name + ".", suffix=".tmp", dir=target.parent)
    try:
        os.fchmod(fd, _mode_for(target))
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if backup and target.exists():
            backup_path = target.with_name(target.name + ".bak")
            _copy_atomically(target, backup_path)  # a full disk never leaves half a backup over the last good one
        os.replace(tmp, target)
    except BaseException:
        # Never leave a half-written temp file behind; the original is untouched until os.replace.
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):
        dirfd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dirfd)
        finally:
            os.close(dirfd)
    return backup_path
