"""Rewrite a zip package keeping member order, each entry's date_time and content; only named parts change.

Parts not replaced are copied as their compressed bytes (never decompressed, never recompressed): byte-identical
inside the zip too, and the cost of the 28 MB shared-strings part of a large book drops to a copy.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Mapping

# A fixed stamp for parts radit adds, so evaluating twice gives identical bytes.
NEW_PART_DATE = (2000, 1, 1, 0, 0, 0)
_LOCAL_HEADER = 30  # bytes of a local file header before its name and extra field
_ENCRYPTED = 0x1


def rewrite_package(src: str, replace: Mapping[str, bytes]) -> bytes:
    """Return the package at src with the parts in replace swapped in (new names appended at the end)."""
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
            zout.writestr(clone, data)
        for name, data in replace.items():
            if name not in seen:
                info = zipfile.ZipInfo(name, date_time=NEW_PART_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                zout.writestr(info, data)
    return out.getvalue()


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
    clone.header_offset = zout.fp.tell()
    zout.fp.write(clone.FileHeader(zip64=None))
    zout.fp.write(raw)
    zout.filelist.append(clone)
    zout.NameToInfo[clone.filename] = clone
    zout.start_dir = zout.fp.tell()
    return True
