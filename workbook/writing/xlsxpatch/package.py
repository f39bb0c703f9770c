"""Rewrite a zip package keeping member order, each entry's date_time and content; only named parts change.

Parts not replaced are copied as their compressed bytes (never decompressed, never recompressed): byte-identical
inside the zip too, and the cost of the 28 MB shared-strings part of a large book drops to a copy.
"""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Mapping

# A fixed stamp for parts radit adds, so evaluating twice gives identical bytes.
NEW_PART_DATE = (2000, 1, 1, 0, 0, 0)
_LOCAL_HEADER = 30  # bytes of a local file header before its name and extra field
_ENCRYPTED = 0x1


class DeflateAhead:
    """A large part deflated on background threads (deflate_parallel) while the caller goes on with other work;
    rewrite_package uses the result for the part only if the part's bytes are still these very bytes."""

    def __init__(self, data: bytes):
        self.data = data
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="radit-deflate")
        self._future = self._pool.submit(deflate_parallel, data, _cores())
        self._pool.shutdown(wait=False)

    def result(self) -> tuple[bytes, int]:
        return self._future.result()


def deflate_ahead(data: bytes) -> DeflateAhead | None:
    """Start deflating a part that rewrite_package would deflate in pieces anyway; None for a small part."""
    return DeflateAhead(data) if _in_pieces(data) else None


def rewrite_package(src: str, replace: Mapping[str, bytes], ahead: Mapping[str, DeflateAhead | None] | None = None) -> bytes:
    """Return the package at src with the parts in replace swapped in (new names appended at the end).

    `ahead`: parts already being deflated (deflate_ahead), used where the replacement is the same bytes object."""
    ready = {name: job for name, job in (ahead or {}).items() if job is not None and replace.get(name) is job.data}
    out = io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w") as zout:
        seen = set()
        for info in zin.infolist():
            seen.add(info.filename)
            data = replace.get(info.filename)
            if data is None and copy_raw(zin, zout, info):
                continue
            if data is None:
                data = zin.read(info)  # raw copy impossible: decompress (with zipfile's checks) and compress again
            clone = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            clone.compress_type = info.compress_type
            clone.external_attr = info.external_attr
            _write(zout, clone, data, ready.get(info.filename))
        for name, data in replace.items():
            if name not in seen:
                info = zipfile.ZipInfo(name, date_time=NEW_PART_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                _write(zout, info, data, ready.get(name))
    return out.getvalue()


def _write(zout: zipfile.ZipFile, info: zipfile.ZipInfo, data: bytes, ahead: DeflateAhead | None = None) -> None:
    """Add one member; a large deflated part is compressed in pieces on every core (deflate_parallel)."""
    if info.compress_type != zipfile.ZIP_DEFLATED or not _in_pieces(data):
        zout.writestr(info, data)
        return
    raw, crc = ahead.result() if ahead is not None else deflate_parallel(data, _cores())
    info.CRC, info.compress_size, info.file_size = crc, len(raw), len(data)
    _append_raw(zout, info, raw)


PARALLEL_DEFLATE_MIN = 4 << 20  # below this one deflate stream is quick enough
_LEVEL = 6  # zlib's default, the level zipfile uses


def _in_pieces(data: bytes) -> bool:
    """Whether a part is deflated in pieces on several cores (deflate_parallel) rather than in one stream."""
    return len(data) >= PARALLEL_DEFLATE_MIN and _cores() >= 2


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def deflate_parallel(data: bytes, pieces: int) -> tuple[bytes, int]:
    """(raw deflate stream, CRC-32) of data, its pieces compressed on threads (zlib releases the GIL).

    Each piece but the last ends with a sync flush (a byte-aligned, non-final block) and the next starts a fresh
    stream: one valid deflate stream, as pigz writes it. A piece cannot refer back into the one before, so the
    result is a little larger (~32 KB of history lost per seam) and differs in bytes from a single stream, but
    it is the same for the same input."""
    size = max(1, -(-len(data) // max(1, pieces)))
    views = [memoryview(data)[i:i + size] for i in range(0, len(data), size)] or [memoryview(data)]

    def piece(i: int) -> bytes:
        c = zlib.compressobj(_LEVEL, zlib.DEFLATED, -15)
        return c.compress(views[i]) + c.flush(zlib.Z_FINISH if i == len(views) - 1 else zlib.Z_SYNC_FLUSH)

    with ThreadPoolExecutor(len(views) + 1) as pool:
        crc = pool.submit(zlib.crc32, data)
        out = b"".join(pool.map(piece, range(len(views))))
        return out, crc.result()


def copy_raw(zin: zipfile.ZipFile, zout: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Copy one member's compressed bytes as they are; False (nothing written) where that is not sound."""
    if info.flag_bits & _ENCRYPTED or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return False
    zin.fp.seek(info.header_offset)
    header = zin.fp.read(_LOCAL_HEADER)
    if len(header) != _LOCAL_HEADER or header[:4] != b"PK\x03\x04":
        return False
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    zin.fp.seek(info.header_offset + _LOCAL_HEADER + name_len + extra_len)
    raw = zin.fp.read(info.compress_size)
    if len(raw) != info.compress_size:  # a truncated member: let the decompressing path report it
        return False
    clone = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    clone.compress_type, clone.CRC = info.compress_type, info.CRC
    clone.compress_size, clone.file_size = info.compress_size, info.file_size
    clone.external_attr, clone.create_system = info.external_attr, info.create_system
    clone.flag_bits = info.flag_bits & 0x0800  # keep only "UTF-8 name"; sizes are in the header, no descriptor
    _append_raw(zout, clone, raw)
    return True


def _append_raw(zout: zipfile.ZipFile, info: zipfile.ZipInfo, raw: bytes) -> None:
    """Write a member whose compressed bytes, CRC and sizes are already known (set on info)."""
    info.header_offset = zout.fp.tell()
    zout.fp.write(info.FileHeader(zip64=None))
    zout.fp.write(raw)
    zout.filelist.append(info)
    zout.NameToInfo[info.filename] = info
    zout.start_dir = zout.fp.tell()
