"""Generate hostile and broken input files for radit (nothing is downloaded)."""
from __future__ import annotations

import shutil
import sys
import zipfile
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "seed-2016.xlsx"
SECRET_TOKEN = "RADIT-SECRET-7f3a9c"  # the external entity's target file holds this; it must never be echoed


def _rezip(src: Path, dst: Path, replace: dict[str, bytes], *, stored: bool = False) -> Path:
    """Copy a package, replacing (or adding) some parts."""
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", method) as zout:
        for info in zin.infolist():
            if info.filename not in replace:
                zout.writestr(info.filename, zin.read(info.filename))
        for name, data in replace.items():
            zout.writestr(name, data)
    return dst


def _first_sheet(src: Path) -> str:
    with zipfile.ZipFile(src) as z:
        return sorted(n for n in z.namelist() if n.startswith("xl/worksheets/sheet"))[0]


def _ole2(dst: Path, stream_name: str | None) -> Path:
    """A compound-file header (magic D0 CF 11 E0) and, optionally, a directory entry naming a stream."""
    data = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    if stream_name:
        data += stream_name.encode("utf-16-le").ljust(64, b"\0") + b"\0" * 64
    dst.write_bytes(bytes(data) + b"\0" * 4096)
    return dst


def build_corpus(folder) -> dict[str, Path]:
    """Write every hostile case into `folder`; return {case name: path}."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}
    valid = folder / "valid.xlsx"
    shutil.copyfile(SAMPLE, valid)
    out["valid"] = valid
    sheet = _first_sheet(valid)
    with zipfile.ZipFile(valid) as z:
        sheet_xml = z.read(sheet)

    (folder / "not-a-zip.xlsx").write_bytes(b"this is plain text, not a workbook\n" * 10)
    out["not-a-zip"] = folder / "not-a-zip.xlsx"

    raw = valid.read_bytes()
    (folder / "truncated.xlsx").write_bytes(raw[: len(raw) // 2])
    out["truncated"] = folder / "truncated.xlsx"

    out["legacy-xls"] = _ole2(folder / "legacy.xls", "Workbook")
    out["encrypted"] = _ole2(folder / "encrypted.xlsx", "EncryptionInfo")

    # zip bomb: one part of 1.5 GiB of zeros declared and deflated to ~1.5 MB
    bomb = folder / "zip-bomb.xlsx"
    with zipfile.ZipFile(valid) as zin, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info.filename))
        with zout.open("xl/media/zeros.bin", "w", force_zip64=True) as fh:
            chunk = b"\0" * (1 << 24)
            for _ in range(96):
                fh.write(chunk)
    out["zip-bomb"] = bomb

    far = sheet_xml.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>')
    out["far-cell"] = _rezip(valid, folder / "far-cell.xlsx", {sheet: far})

    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10))
              + b"]>")
    out["billion-laughs"] = _rezip(valid, folder / "billion-laughs.xlsx",
                                   {sheet: laughs + sheet_xml.split(b"?>", 1)[-1].replace(b"<sheetData>", b"<sheetData>&lol9;", 1)})
    secret = folder / "secret.txt"
    secret.write_text(SECRET_TOKEN)
    xxe = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file://' + str(secret.resolve()).encode() + b'">]>'
    out["external-entity"] = _rezip(valid, folder / "external-entity.xlsx",
                                    {"xl/sharedStrings.xml": xxe + b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>&xxe;</t></si></sst>'})

    ctrl = sheet_xml.replace(b"<sheetData>", b"<sheetData>", 1)
    out["control-chars"] = _rezip(valid, folder / "control-chars.xlsx", {sheet: ctrl.replace(b"</sheetData>", b'<row r="900"><c r="A900" t="inlineStr"><is><t>\xff\xfe\x01bad</t></is></c></row></sheetData>')})

    formula = sheet_xml.replace(b"</sheetData>", b'<row r="901"><c r="B901"><f>1+1</f></c></row></sheetData>')
    out["formula-no-value"] = _rezip(valid, folder / "formula-no-value.xlsx", {sheet: formula})
    return out


if __name__ == "__main__":
    for name, path in build_corpus(sys.argv[1] if len(sys.argv) > 1 else "hostile-corpus").items():
        print(f"{name}\t{path}")
