"""Safe access to an .xlsx/.xlsm zip package: type sniffing, size caps and XML-prolog guards before any parser runs."""
from __future__ import annotations

import os
import re
import stat
import zipfile
from dataclasses import dataclass

from engine.errors import WorkbookError

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


def _env_mb(name: str, default: int) -> int:
    """A limit in MiB from the environment (RADIT_MAX_...), so an operator can raise it without code."""
    value = os.environ.get(name)
    try:
        return int(float(value) * _MB) if value else default
    except ValueError:
        return default


@dataclass(frozen=True)
class Limits:
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


def _sniff(path: str, limits: Limits) -> None:
    try:
        st = os.stat(path)
        size = st.st_size
        if not stat.S_ISREG(st.st_mode) and not stat.S_ISDIR(st.st_mode):  # a FIFO or a device would block or never end
            raise WorkbookError(path, "not-a-file", "is not a regular file (a pipe, socket or device)")
        with open(path, "rb") as fh:
            head = fh.read(8)
    except FileNotFoundError:
        raise WorkbookError(path, "not-found", "no such file") from None
    except IsADirectoryError:
        raise WorkbookError(path, "not-a-file", "is a directory") from None
    except OSError as exc:
        raise WorkbookError(path, "unreadable", f"cannot open the file: {exc.strerror or exc}") from None
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        with open(path, "rb") as fh:  # the compound file's directory names its streams in UTF-16
            blob = fh.read(_MB)
            fh.seek(max(0, size - _MB))
            blob += fh.read()
        if "EncryptionInfo".encode("utf-16-le") in blob or "EncryptedPackage".encode("utf-16-le") in blob:
            raise WorkbookError(path, "encrypted", "the workbook is password-protected (encrypted)")
        raise WorkbookError(path, "legacy-xls", "an old binary .xls workbook: save it as .xlsx")
    if not head.startswith(b"PK"):
        raise WorkbookError(path, "not-a-zip", "not an Excel .xlsx/.xlsm file (not a zip package)")
    if size > limits.max_file:
        raise WorkbookError(path, "too-large", f"the file is {size // _MB} MB, over radit's limit of {limits.max_file // _MB} MB")


class Package:
    """An opened, checked package; parts are read with a streaming size cap (zip headers can lie)."""

    def __init__(self, path: str, limits: Limits):
        self.path = str(path)
        self.limits = limits
        _sniff(self.path, limits)
        try:
            self.zip = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, EOFError, OSError, ValueError):
            raise WorkbookError(self.path, "truncated", "the file is damaged or truncated (the zip directory is unreadable)") from None
        total = 0
        seen: set[str] = set()
        for info in self.zip.infolist():
            key = info.filename.casefold()  # part names compare case-insensitively (OPC)
            if key in seen:  # tools disagree on which copy counts: Excel could show one, radit assess the other
                raise WorkbookError(self.path, "duplicate-part", f"the package holds the part {info.filename} twice")
            seen.add(key)
            total += info.file_size
            if info.file_size > limits.max_part_uncompressed or total > limits.max_total_uncompressed:
                raise WorkbookError(self.path, "too-large", f"the workbook unpacks to more than radit's limit ({info.filename})")
            if (info.file_size > limits.ratio_floor and info.compress_size
                    and info.file_size / info.compress_size > limits.max_ratio):
                raise WorkbookError(self.path, "too-large", f"the part {info.filename} inflates suspiciously ({info.file_size} bytes)")
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
            if name in self._names:
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
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, RuntimeError, NotImplementedError) as exc:
            raise WorkbookError(self.path, "truncated", f"the part {name} is damaged: {exc}") from None
        m = _ROOT.search(head)
        prolog = head[: m.start()] if m else head
        if b"<!DOCTYPE" in prolog.upper() or b"<!ENTITY" in prolog.upper() or (m is None and len(head) == _PROLOG_SCAN):
            raise WorkbookError(self.path, "bad-xml",  # the reader's code for the same refusal
                                f"the part {name} declares a DTD or entities, which radit refuses")

    def _check_controls(self, name: str) -> None:
        """Refuse control characters in the workbook index: calamine accepts them, a terminal would obey them."""
        m = _CONTROL.search(self.read(name))
        if m:
            raise WorkbookError(self.path, "bad-xml", f"the part {name} holds a control character (byte {m.start()}), "
                                                      "as no workbook Excel writes does; radit refuses it")

    def names(self) -> list[str]:
        return list(self._names)

    def read(self, name: str) -> bytes:
        kept = self._kept.get(name)
        if kept is not None and len(kept) <= self.limits.max_part_uncompressed:  # (limits may have changed since)
            return kept
        cap = self.limits.max_part_uncompressed
        try:
            with self.zip.open(name) as fh:
                data = fh.read(cap + 1)
        except KeyError:
            raise WorkbookError(self.path, "missing-part", f"the package has no part {name}") from None
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, RuntimeError, NotImplementedError) as exc:
            raise WorkbookError(self.path, "truncated", f"the part {name} is damaged: {exc}") from None
        if len(data) > cap:
            raise WorkbookError(self.path, "too-large", f"the part {name} unpacks to more than radit's limit")
        return data

    def close(self) -> None:
        self.zip.close()


def open_package(path, limits: Limits | None = None) -> Package:
    """Open and check a workbook package; raises WorkbookError(path, code, message)."""
    if not isinstance(limits, Limits):
        limits = Limits.from_env()
    return Package(str(path), limits)
