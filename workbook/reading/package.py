"""Safe access to an .xlsx/.xlsm zip package: type sniffing, size caps and XML-prolog guards before any parser runs,
and the one resolution of part names that the reader and the writer share."""
from __future__ import annotations

from typing import NamedTuple

import errno
import functools
import os
import re
import stat
import zipfile
from urllib.parse import unquote

from workbook.errors import WorkbookError

_MB = 1 << 20
_PROLOG_SCAN = 64 << 10  # a DOCTYPE must precede the root element; a prolog longer than this is refused
_ROOT = re.compile(rb"<[A-Za-z_]")  # the first element start tag (not <? or <!)
# C0 controls other than tab/LF/CR are not well-formed XML 1.0; C1 controls (U+0080-U+009F) are discouraged.
# Either, in a sheet name, would reach a terminal raw in every finding's location ('Sheet'!A1).
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]")
_NAMES_PARTS = ("xl/workbook.xml",)  # the parts whose text radit echoes in locations (sheet names)
# Parts this small are inflated whole by the prolog check and kept, so reading them later opens nothing
# again (a 100-row book: 18 part opens -> 10); the total kept is capped so a package of many parts stays lean.
_KEEP_PART = 1 * _MB  # a sheet: radit reads it for its scans
_KEEP_ANY = 16 << 10  # any part: the workbook, relationships, tables, styles radit reads for its index
_FIRST_READ = 1024  # the root element of a part Excel writes starts within its first few hundred bytes
_KEEP_TOTAL = 16 * _MB
_BAD_ZIP = (zipfile.BadZipFile, EOFError, OSError, ValueError, RuntimeError, NotImplementedError)


def _env_mb(name: str, default: int) -> int:
    """A limit in MiB from the environment (RADIT_MAX_...), so an operator can raise it without code."""
    value = os.environ.get(name)
    try:
        return int(float(value) * _MB) if value else default
    except ValueError:
        return default


class Limits(NamedTuple):  # not a dataclass: defining one costs ~0.5 ms of every start
    """Caps on what radit will unpack; override with RADIT_MAX_FILE_MB, RADIT_MAX_UNCOMPRESSED_MB, RADIT_MAX_PART_MB."""

    max_file: int = 200 * _MB  # a 100 000-row master workbook is ~10 MB zipped: 20x headroom
    max_total_uncompressed: int = 1 << 30  # whole package unpacked
    max_part_uncompressed: int = 512 * _MB  # one part unpacked (the 100 000-row sheet XML is ~45 MB)
    max_ratio: int = 200  # deflate of sheet XML reaches ~10-30x; 200x only for parts over ratio_floor
    ratio_floor: int = 4 * _MB
    max_cells: int = 12_000_000  # rows x columns calamine allocates for one sheet (it aborts beyond memory)

    @classmethod
    def from_env(cls) -> "Limits":
        d = cls()
        return cls(max_file=_env_mb("RADIT_MAX_FILE_MB", d.max_file),
                   max_total_uncompressed=_env_mb("RADIT_MAX_UNCOMPRESSED_MB", d.max_total_uncompressed),
                   max_part_uncompressed=_env_mb("RADIT_MAX_PART_MB", d.max_part_uncompressed))


# --- what a path is --------------------------------------------------------------------------------

def path_kind(path) -> str | None:
    """None for a regular file (or a link to one); else what the path is: 'missing', 'directory', 'fifo',
    'character-device', 'block-device', 'socket' or 'symlink-loop'. Never opens the path (a FIFO would block)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "missing"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symlink-loop"
        raise
    if stat.S_ISREG(mode):
        return None
    for test, kind in ((stat.S_ISDIR, "directory"), (stat.S_ISFIFO, "fifo"), (stat.S_ISCHR, "character-device"),
                       (stat.S_ISBLK, "block-device"), (stat.S_ISSOCK, "socket")):
        if test(mode):
            return kind
    return "other"


def check_input(path) -> None:
    """Refuse a path that is not a regular file, saying what it is (the same for validate and evaluate)."""
    try:
        kind = path_kind(path)
    except OSError as exc:
        raise WorkbookError(path, "unreadable", template="unreadable.open", reason=exc.strerror or str(exc)) from None
    if kind == "missing":
        raise WorkbookError(path, "not-found")
    if kind is not None:
        raise WorkbookError(path, "not-a-file", template=f"not-a-file.{kind}" if kind != "other" else None)


def _sniff(path: str, limits: Limits) -> None:
    check_input(path)
    try:
        size = os.stat(path).st_size
        with open(path, "rb") as fh:
            head = fh.read(8)
    except FileNotFoundError:
        raise WorkbookError(path, "not-found") from None
    except OSError as exc:
        raise WorkbookError(path, "unreadable", template="unreadable.open", reason=exc.strerror or str(exc)) from None
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        with open(path, "rb") as fh:  # the compound file's directory names its streams in UTF-16
            blob = fh.read(_MB)
            fh.seek(max(0, size - _MB))
            blob += fh.read()
        if "EncryptionInfo".encode("utf-16-le") in blob or "EncryptedPackage".encode("utf-16-le") in blob:
            raise WorkbookError(path, "encrypted")
        raise WorkbookError(path, "legacy-xls")
    if not head.startswith(b"PK"):
        raise WorkbookError(path, "not-a-zip")
    if size > limits.max_file:
        raise WorkbookError(path, "too-large", template="too-large.file", size_mb=size // _MB, limit_mb=limits.max_file // _MB)


# --- part names ------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=4096)  # pure, and asked ~50 times a book for the same few names
def resolve_target(source_part: str, target: str) -> str:
    """The part name a relationship of `source_part` targets ('' is the package itself): relative to the source's
    folder, or from the package root when it starts with '/'; percent-decoded, backslashes read as slashes, dot
    segments removed (a '..' above the root is kept: it names no part inside the package). Case is kept."""
    target = unquote(target.replace("\\", "/"))
    parts = [] if target.startswith("/") else source_part.replace("\\", "/").split("/")[:-1]
    for piece in target.split("/"):
        if piece == "..":
            if parts and parts[-1] != "..":
                parts.pop()
            else:
                parts.append("..")
        elif piece and piece != ".":
            parts.append(piece)
    return "/".join(parts)


def part_key(name: str) -> str:
    """What makes two names the same part (OPC): the resolved name, case-insensitively."""
    return resolve_target("", name).casefold()


class Package:
    """An opened, checked package; parts are read with a streaming size cap (zip headers can lie).

    Every part name, however spelled (`xl/worksheets/./sheet1.xml`, `XL\\Worksheets\\Sheet1.xml`, `/xl/…`), is
    resolved by `member()` to the one zip member holding that part: a package where two members name the same
    part is refused, so what radit reads is what it patches, and what Excel shows."""

    def __init__(self, path: str, limits: Limits):
        self.path = str(path)
        self.limits = limits
        _sniff(self.path, limits)
        try:
            self.zip = zipfile.ZipFile(self.path)
        except _BAD_ZIP:
            raise WorkbookError(self.path, "truncated") from None
        total = 0
        self._by_key: dict[str, str] = {}
        for info in self.zip.infolist():
            key = part_key(info.filename)
            if key in self._by_key:  # tools disagree on which copy counts: Excel could show one, radit assess the other
                raise WorkbookError(self.path, "duplicate-part", part=resolve_target("", info.filename),
                                    first=self._by_key[key], second=info.filename)
            self._by_key[key] = info.filename
            total += info.file_size
            if info.file_size > limits.max_part_uncompressed or total > limits.max_total_uncompressed:
                raise WorkbookError(self.path, "too-large", template="too-large.package", part=info.filename)
            if (info.file_size > limits.ratio_floor and info.compress_size
                    and info.file_size / info.compress_size > limits.max_ratio):
                raise WorkbookError(self.path, "too-large", template="too-large.ratio", part=info.filename,
                                    size=info.file_size, compressed=info.compress_size)
        self._names = [i.filename for i in self.zip.infolist()]
        self._kept: dict[str, bytes] = {}
        kept = 0
        for info in self.zip.infolist():
            if info.filename.endswith((".xml", ".rels", ".vml")):
                size = info.file_size
                keep = (size <= _KEEP_ANY or (size <= _KEEP_PART and info.filename.startswith("xl/worksheets/"))) \
                    and kept + size <= _KEEP_TOTAL
                self._check_prolog(info.filename, keep)
                kept += info.file_size if keep else 0
        for name in _NAMES_PARTS:
            if self.member(name) is not None:
                self._check_controls(name)

    def _check_prolog(self, name: str, keep: bool = False) -> None:
        """Refuse DTDs and entity declarations before any XML parser (calamine, openpyxl) sees the part;
        `keep`: inflate the (small) part whole and keep it for read()."""
        head = None
        if keep:
            try:
                whole = self.read(name)
            except WorkbookError:  # damaged or too large: judged below as before, and only when it is read
                pass
            else:
                self._kept[name] = whole
                head = whole[:_PROLOG_SCAN]
        try:
            if head is None:
                with self.zip.open(name) as fh:
                    head = fh.read(_FIRST_READ)  # a large part (shared strings) is not inflated whole
                    if not _ROOT.search(head) and len(head) == _FIRST_READ:
                        head += fh.read(_PROLOG_SCAN - _FIRST_READ)
        except _BAD_ZIP as exc:
            raise WorkbookError(self.path, "truncated", template="truncated.part", part=name, reason=str(exc)) from None
        m = _ROOT.search(head)
        prolog = head[: m.start()] if m else head
        if b"<!DOCTYPE" in prolog.upper() or b"<!ENTITY" in prolog.upper() or (m is None and len(head) == _PROLOG_SCAN):
            raise WorkbookError(self.path, "bad-xml", template="bad-xml.dtd", part=name)

    def _check_controls(self, name: str) -> None:
        """Refuse control characters in the workbook index: calamine accepts them, a terminal would obey them."""
        m = _CONTROL.search(self.read(name))
        if m:
            raise WorkbookError(self.path, "bad-xml", template="bad-xml.control", part=name, offset=m.start())

    def names(self) -> list[str]:
        return list(self._names)

    def member(self, name: str) -> str | None:
        """The zip member holding the part `name` (any spelling of it), or None."""
        return self._by_key.get(part_key(name))

    def target(self, source_part: str, target: str) -> str:
        """Where a relationship of `source_part` points: the member holding that part, or (no such member) the
        part's resolved name. The reader's index and the writer's PackageEdit both resolve through here."""
        part = resolve_target(source_part, target)
        return self.member(part) or part

    def read(self, name: str) -> bytes:
        member = self.member(name) or name
        kept = self._kept.get(member)
        if kept is not None and len(kept) <= self.limits.max_part_uncompressed:  # (limits may have changed since)
            return kept
        cap = self.limits.max_part_uncompressed
        try:
            with self.zip.open(member) as fh:
                data = fh.read(cap + 1)
        except KeyError:
            raise WorkbookError(self.path, "missing-part", part=name) from None
        except _BAD_ZIP as exc:
            raise WorkbookError(self.path, "truncated", template="truncated.part", part=member, reason=str(exc)) from None
        if len(data) > cap:
            raise WorkbookError(self.path, "too-large", template="too-large.part", part=member, limit=cap)
        return data

    def size(self, name: str) -> int:
        """The unpacked size the zip directory declares for a part (0 when there is no such part)."""
        member = self.member(name)
        return self.zip.getinfo(member).file_size if member is not None else 0

    def close(self) -> None:
        self.zip.close()


def open_package(path, limits: Limits | None = None) -> Package:
    """Open and check a workbook package; raises WorkbookError(path, code, …) with its location."""
    if not isinstance(limits, Limits):
        limits = Limits.from_env()
    return Package(str(path), limits)
