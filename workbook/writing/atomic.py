"""Atomic in-place replacement of a workbook: Excel lock-file refusal, an exclusive lock, backups, os.replace."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import tempfile
from pathlib import Path

from workbook.errors import WriteRefused


def excel_lock_file(book: Path) -> Path:
    """Excel marks an open book with ~$NAME beside it (the first two characters of long names are replaced)."""
    return book.with_name("~$" + book.name)


def refuse_if_open(book: Path) -> None:
    # Replacing a book Excel holds open would lose the user's unsaved edits on their next save.
    for candidate in (excel_lock_file(book), book.with_name("~$" + book.name[2:])):
        if candidate.exists():
            raise WriteRefused(str(book), "open-in-excel", lock=candidate.name)


def lock_path(book: Path) -> Path:
    return book.with_name("." + book.name + ".radit-lock")


@contextlib.contextmanager
def book_lock(book: Path):
    """Hold an exclusive lock beside the book for a whole read-modify-replace, so two runs never interleave; the
    lock file is removed when released (a run waiting on it then locks the new one: the inode is checked)."""
    path = lock_path(Path(book))
    while True:
        try:
            handle = open(path, "a+b")
        except OSError as exc:  # a read-only folder: the error is the folder's
            raise OSError(exc.errno, exc.strerror, str(path.parent)) from None
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            if os.path.samestat(os.stat(path), os.fstat(handle.fileno())):
                break
        except FileNotFoundError:
            pass
        handle.close()  # the run before removed it: lock the file now at the path
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)  # still holding the lock: whoever waits on this inode sees it is gone and starts again
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        handle.close()


def refuse_if_read_only(book: Path) -> None:
    # Root may write anything; a file the person marked read-only still means "leave it as it is".
    if book.exists() and not book.stat().st_mode & 0o222:
        raise WriteRefused(str(book), "read-only")


def refuse_output(target: Path, book: Path) -> None:
    """Refuse an output radit must not replace: anything but a regular file or nothing (a device, a FIFO, a
    folder: as root, `-o /dev/null` would replace /dev/null), or a name whose extension is not the book's (Excel
    tells a workbook's type by it: an .xlsm saved as out.xlsx, or as `out`, would not open)."""
    from workbook.reading.package import path_kind

    try:
        kind = path_kind(target)
    except OSError:
        kind = None  # judged when written
    if kind not in (None, "missing"):
        raise WriteRefused(str(book), "output-not-a-file", template=f"output-not-a-file.{kind}" if kind != "other" else None,
                           output=str(target))
    if target.suffix.lower() != book.suffix.lower():
        raise WriteRefused(str(book), "output-extension", output=str(target), expected=book.suffix.lower())


def backup_name(book: Path) -> Path:
    """BOOK.xlsx.bak while that is free, then BOOK.xlsx.2.bak, BOOK.xlsx.3.bak …: the first backup is the book as
    it was before radit first replaced it, and no later run overwrites it."""
    n = 1
    while True:
        candidate = book.with_name(book.name + (".bak" if n == 1 else f".{n}.bak"))
        if not os.path.lexists(candidate):
            return candidate
        n += 1


def _backup(book: Path) -> Path:
    """Copy the book to the first free backup name, atomically and never over an existing file."""
    fd, tmp = tempfile.mkstemp(prefix="." + book.name + ".", suffix=".tmp", dir=book.parent)
    os.close(fd)
    try:
        shutil.copy2(book, tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        while True:
            candidate = backup_name(book)
            try:
                os.link(tmp, candidate)  # fails if the name was taken meanwhile: nothing is overwritten
            except FileExistsError:
                continue
            except OSError as exc:
                if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
                    raise
                os.replace(tmp, candidate)  # no hard links here (FAT, some shares): the name was free under the lock
            return candidate
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


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
    """Write data to target via a synced temp file in the same folder; with `backup`, the book as it was goes to
    its first free backup name first (backup_name). An OSError names the target or its folder, never the temp file."""
    target = Path(target)
    backup_path = None
    try:
        fd, tmp = tempfile.mkstemp(prefix="." + target.name + ".", suffix=".tmp", dir=target.parent)
    except OSError as exc:  # a read-only or full folder, or none
        raise OSError(exc.errno, exc.strerror, str(target.parent)) from None
    try:
        os.fchmod(fd, _mode_for(target))
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if backup and target.exists():
            backup_path = _backup(target)  # a full disk never leaves half a backup under a backup's name
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if exc.filename is None or str(exc.filename).endswith(".tmp"):
            raise OSError(exc.errno, exc.strerror, str(target)) from None
        raise
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
