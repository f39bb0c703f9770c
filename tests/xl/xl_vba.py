"""Just enough of MS-OVBA to read a small VBA module's source out of vbaProject.bin, for checking what a button runs.

Small modules live in the compound file's contiguous mini stream, so the compressed container can be
found by its signature; decompression follows MS-OVBA 2.4.1.
"""
from __future__ import annotations

import re


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
        if len(out) - start < 4096:
            break
    return bytes(out)


def module_sources(vba_project: bytes) -> dict[str, str]:
    """{VB_Name: source} for every module whose compressed source could be found and read."""
    found: dict[str, str] = {}
    for match in re.finditer(rb"\x00Attribut", vba_project):
        try:
            text = _decompress(vba_project, match.start() - 3).decode("latin-1")
        except (ValueError, IndexError):
            continue
        name = re.search(r'Attribute VB_Name = "([^"]+)"', text)
        if name:
            found.setdefault(name.group(1), text)
    return found
