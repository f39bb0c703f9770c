"""Just enough of the compound file format (MS-CFB) and MS-OVBA to read VBA module sources out of vbaProject.bin.

Used to check what the add-in's button runs without Excel. Streams are read through the FAT / mini FAT;
a module stream's compressed source is found by its first "Attribute" line and decompressed per
MS-OVBA 2.4.1.
"""
from __future__ import annotations

import re
import struct

END = 0xFFFFFFFA  # sector numbers from here up end a chain


def _decompress(data: bytes, pos: int) -> bytes:
    if data[pos] != 1:
        raise ValueError("not a compressed container")
    pos += 1
    out = bytearray()
    while pos + 2 <= len(data):
        header = int.from_bytes(data[pos:pos + 2], "little")
        if (header >> 12) & 0b111 != 0b011:
            break
        end = pos + 2 + (header & 0x0FFF) + 1
        pos += 2
        start = len(out)
        if not header & 0x8000:
            out += data[pos:pos + 4096]
            pos += 4096
            continue
        while pos < end:
            flags = data[pos]
            pos += 1
            for bit in range(8):
                if pos >= end:
                    break
                if not flags & (1 << bit):
                    out.append(data[pos])
                    pos += 1
                    continue
                token = int.from_bytes(data[pos:pos + 2], "little")
                pos += 2
                bits = max((len(out) - start - 1).bit_length(), 4)
                length = (token & (0xFFFF >> bits)) + 3
                offset = (token >> (16 - bits)) + 1
                for _ in range(length):
                    out.append(out[-offset])
    return bytes(out)


def _streams(d: bytes) -> dict[str, bytes]:
    sector = 1 << struct.unpack_from("<H", d, 30)[0]
    mini = 1 << struct.unpack_from("<H", d, 32)[0]
    n_fat, dir_start = struct.unpack_from("<I", d, 44)[0], struct.unpack_from("<I", d, 48)[0]
    cutoff, minifat_start = struct.unpack_from("<I", d, 56)[0], struct.unpack_from("<I", d, 60)[0]

    def read(i: int) -> bytes:
        return d[512 + i * sector: 512 + (i + 1) * sector]

    fat: list[int] = []
    for s in struct.unpack_from("<109I", d, 76)[:n_fat]:
        fat += struct.unpack(f"<{sector // 4}I", read(s))

    def chain(s: int) -> bytes:
        out = bytearray()
        while s < END:
            out += read(s)
            s = fat[s]
        return bytes(out)

    directory = chain(dir_start)
    entries = []
    for i in range(len(directory) // 128):
        e = directory[i * 128:(i + 1) * 128]
        name = e[: max(struct.unpack_from("<H", e, 64)[0] - 2, 0)].decode("utf-16-le")
        start, size = struct.unpack_from("<IQ", e, 116)
        entries.append((name, e[66], start, size))
    ministream = chain(entries[0][2])
    raw = chain(minifat_start) if minifat_start < END else b""
    minifat = struct.unpack(f"<{len(raw) // 4}I", raw)

    def minichain(s: int) -> bytes:
        out = bytearray()
        while s < END:
            out += ministream[s * mini:(s + 1) * mini]
            s = minifat[s]
        return bytes(out)

    return {name: (minichain(start) if size < cutoff else chain(start))[:size]
            for name, kind, start, size in entries if kind == 2}


def module_sources(vba_project: bytes) -> dict[str, str]:
    """{VB_Name: source} for every VBA module stream in vbaProject.bin."""
    found: dict[str, str] = {}
    for data in _streams(vba_project).values():
        at = data.find(b"\x00Attribut")
        if at < 3:
            continue
        try:
            text = _decompress(data, at - 3).decode("latin-1")
        except (ValueError, IndexError):
            continue
        name = re.search(r'Attribute VB_Name = "([^"]+)"', text)
        if name:
            found[name.group(1)] = text
    return found
