"""Rewrite a zip package keeping member order, each entry's date_time and content; only named parts change."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping

# A fixed stamp for parts radit adds, so evaluating twice gives identical bytes.
NEW_PART_DATE = (2000, 1, 1, 0, 0, 0)


def rewrite_package(src: str, replace: Mapping[str, bytes]) -> bytes:
    """Return the package at src with the parts in replace swapped in (new names appended at the end)."""
    out = io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w") as zout:
        seen = set()
        for info in zin.infolist():
            seen.add(info.filename)
            data = replace.get(info.filename)
            if data is None:
                data = zin.read(info)
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
