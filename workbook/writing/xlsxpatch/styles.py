"""Cell styles by appending to styles.xml: existing style indices stay valid, an identical style is reused."""

from __future__ import annotations

import re
from dataclasses import dataclass

from workbook.writing.xlsxpatch.edit import quoteattr
from workbook.writing.xlsxpatch.model import Style

FIRST_CUSTOM_NUMFMT = 164  # ids below are Excel's built-in formats
SYMBOL_SIZE = 14.0  # points: the status symbol reads at a glance on screen and on paper


@dataclass(frozen=True)
class Look(Style):
    """A Style with alignment and font size: what a symbol cell needs to read and print well."""

    centre: bool = False  # horizontally and vertically centred
    size: float | None = None  # font size in points


def symbol_look(colour: str) -> Look:
    """The status symbol cell: its fill, centred, larger and bold (the rest of the cell's own style is kept)."""
    return Look(fill=colour, bold=True, centre=True, size=SYMBOL_SIZE)

_SECTION = {name: re.compile(rb"<(?:\w+:)?" + name.encode() + rb"\b[^>]*?(?:/>|>.*?</(?:\w+:)?" + name.encode() + rb">)", re.S)
            for name in ("numFmts", "fonts", "fills", "cellXfs")}


def _children(section: bytes, tag: str) -> list[bytes]:
    """The direct <tag> children of a section, as their exact bytes (self-closing or not)."""
    inner = re.sub(rb"^<[^>]*?>", b"", section, count=1)
    return re.findall(rb"<(?:\w+:)?" + tag.encode() + rb"\b(?:[^>]*?/>|[^>]*?>.*?</(?:\w+:)?" + tag.encode() + rb">)", inner, re.S)


def _unescape_attr(text: str) -> str:
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'"), ("&amp;", "&")):
        text = text.replace(entity, char)
    return text


def _argb(colour: str) -> str:
    return "FF" + colour.lstrip("#").upper()


def _set_attr(tag: bytes, name: str, value: str) -> bytes:
    """Set one attribute of the start tag at the beginning of tag (which may be a whole element)."""
    end = tag.index(b">")
    if tag[end - 1:end] == b"/":
        end -= 1
    head = tag[:end]
    pattern = re.compile(rb"\s" + name.encode() + rb'\s*=\s*("[^"]*"|\'[^\']*\')')
    new = b" " + name.encode() + b"=" + quoteattr(value).encode()
    head = pattern.sub(lambda _m: new, head, count=1) if pattern.search(head) else head + new
    return head + tag[end:]


def _get_attr(tag: bytes, name: str) -> str | None:
    m = re.search(rb"\s" + name.encode() + rb'\s*=\s*"([^"]*)"', tag[:tag.index(b">")])
    return _unescape_attr(m.group(1).decode()) if m else None


class StyleSheet:
    """styles.xml of one package. xf() gives cellXfs indices; to_bytes() is the input exactly when nothing was added."""

    def __init__(self, xml: bytes):
        self._xml = xml
        self._added: dict[str, list[bytes]] = {"numFmts": [], "fonts": [], "fills": [], "cellXfs": []}
        self._existing = {name: self._read(name) for name in self._added}

    def _read(self, section: str) -> list[bytes]:
        m = _SECTION[section].search(self._xml)
        if m is None:
            return []
        tag = {"numFmts": "numFmt", "fonts": "font", "fills": "fill", "cellXfs": "xf"}[section]
        return _children(m.group(0), tag)

    def _all(self, section: str) -> list[bytes]:
        return self._existing[section] + self._added[section]

    def _index_of(self, section: str, element: bytes) -> int:
        items = self._all(section)
        if element in items:
            return items.index(element)
        self._added[section].append(element)
        return len(items)

    @property
    def changed(self) -> bool:
        return any(self._added.values())

    # -- pieces -----------------------------------------------------------------------------
    def _fill_id(self, colour: str) -> int:
        fill = (b'<fill><patternFill patternType="solid"><fgColor rgb="' + _argb(colour).encode()
                + b'"/><bgColor indexed="64"/></patternFill></fill>')
        return self._index_of("fills", fill)

    def _font_id(self, base_font: bytes | None, bold: bool, colour: str | None, size: float | None = None) -> int:
        font = base_font or b'<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
        if font.endswith(b"/>") and b"</font>" not in font:
            font = font[:-2] + b"></font>"
        if bold:
            off = re.compile(rb'<(?:\w+:)?b\s+val\s*=\s*"(?:0|false)"\s*/>')
            if off.search(font):  # <b val="0"/> is not bold
                font = off.sub(b"<b/>", font, count=1)
            elif not re.search(rb"<(?:\w+:)?b(?:\s[^>]*)?/?>", font):
                font = font.replace(b">", b"><b/>", 1)
        if size is not None:
            sz = b'<sz val="' + _points(size) + b'"/>'
            if re.search(rb"<(?:\w+:)?sz\b[^>]*/>", font):
                font = re.sub(rb"<(?:\w+:)?sz\b[^>]*/>", sz, font, count=1)
            else:  # sz comes after b, i, strike, condense, extend, outline, shadow and before color, name …
                later = re.search(rb"<(?:\w+:)?(?:color|name|family|charset|scheme|vertAlign|u)\b", font)
                at = later.start() if later else font.rfind(b"</")
                font = font[:at] + sz + font[at:]
        if colour:
            font = re.sub(rb"<(?:\w+:)?color\b[^>]*/>", b"", font)
            at = font.rfind(b"</")
            font = font[:at] + b'<color rgb="' + _argb(colour).encode() + b'"/>' + font[at:]
        return self._index_of("fonts", font)

    def _numfmt_id(self, code: str) -> int:
        for element in self._all("numFmts"):
            if _get_attr(element, "formatCode") == code:
                return int(_get_attr(element, "numFmtId") or 0)
        used = [int(_get_attr(e, "numFmtId") or 0) for e in self._all("numFmts")]
        new_id = max([FIRST_CUSTOM_NUMFMT - 1, *used]) + 1
        self._added["numFmts"].append(b'<numFmt numFmtId="' + str(new_id).encode() + b'" formatCode='
                                      + quoteattr(code).encode() + b"/>")
        return new_id

    # -- the one public operation ---------------------------------------------------------------
    def xf(self, style: Style, base: int | None = None) -> int:
        """A cellXfs index with `style` applied on top of xf `base` (its font, border, alignment kept)."""
        xfs = self._all("cellXfs")
        if base is not None and 0 <= base < len(xfs):
            xf = xfs[base]
        else:
            xf = b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        if style.fill:
            xf = _set_attr(_set_attr(xf, "fillId", str(self._fill_id(style.fill))), "applyFill", "1")
        size = getattr(style, "size", None)
        if style.bold or style.font_colour or size:
            fonts = self._all("fonts")
            current = int(_get_attr(xf, "fontId") or 0)
            base_font = fonts[current] if current < len(fonts) else None
            xf = _set_attr(_set_attr(xf, "fontId", str(self._font_id(base_font, style.bold, style.font_colour, size))),
                           "applyFont", "1")
        if style.num_fmt:
            xf = _set_attr(_set_attr(xf, "numFmtId", str(self._numfmt_id(style.num_fmt))), "applyNumberFormat", "1")
        if style.wrap:
            xf = _with_alignment(xf, {"wrapText": "1"})
        if getattr(style, "centre", False):
            xf = _with_alignment(xf, {"horizontal": "center", "vertical": "center"})
        return self._index_of("cellXfs", xf)

    # -- what the print set-up needs to know of a cell's style ------------------------------------
    def wraps(self, index: int | None) -> bool:
        """Whether cells of cellXfs `index` wrap their text."""
        xf = self._xf(index)
        return xf is not None and re.search(rb'<(?:\w+:)?alignment\b[^>]*\bwrapText\s*=\s*"(?:1|true)"', xf) is not None

    def font_size(self, index: int | None) -> float:
        """The font size (points) of cellXfs `index`; 11 where the style or its font does not say."""
        xf = self._xf(index)
        fonts = self._all("fonts")
        font_id = int(_get_attr(xf, "fontId") or 0) if xf is not None else 0
        font = fonts[font_id] if 0 <= font_id < len(fonts) else b""
        m = re.search(rb'<(?:\w+:)?sz\b[^>]*\bval\s*=\s*"([\d.]+)"', font)
        return float(m.group(1)) if m else 11.0

    def xf_count(self) -> int:
        """How many cell formats (cellXfs) the sheet holds, radit's added ones included."""
        return len(self._all("cellXfs"))

    def _xf(self, index: int | None) -> bytes | None:
        xfs = self._all("cellXfs")
        return xfs[index] if index is not None and 0 <= index < len(xfs) else None

    def to_bytes(self) -> bytes:
        if not self.changed:
            return self._xml
        xml = self._xml
        for section in ("numFmts", "fonts", "fills", "cellXfs"):
            added = self._added[section]
            if not added:
                continue
            m = _SECTION[section].search(xml)
            total = len(self._all(section))
            if m is None:
                if section != "numFmts":
                    raise ValueError(f"styles.xml has no {section}")
                # numFmts comes first inside styleSheet.
                root = re.search(rb"<(?:\w+:)?styleSheet\b[^>]*>", xml)
                block = b'<numFmts count="' + str(total).encode() + b'">' + b"".join(added) + b"</numFmts>"
                xml = xml[:root.end()] + block + xml[root.end():]
                continue
            block = m.group(0)
            if block.endswith(b"/>") and not block.endswith(b"</" + section.encode() + b">"):
                block = block[:-2] + b"></" + section.encode() + b">"
            close = block.rfind(b"</")
            block = _set_attr(block[:close] + b"".join(added) + block[close:], "count", str(total))
            xml = xml[:m.start()] + block + xml[m.end():]
        return xml


def _points(size: float) -> bytes:
    return (str(int(size)) if float(size).is_integer() else repr(float(size))).encode()


def _with_alignment(xf: bytes, attrs: dict[str, str]) -> bytes:
    """The xf with these alignment attributes set (its other alignment attributes kept): the same xf again when
    they are set already, so a second evaluation finds the style it made the first time."""
    xf = _set_attr(xf, "applyAlignment", "1")
    m = re.search(rb"<(?:\w+:)?alignment\b[^>]*?/?>", xf)
    if m:
        tag = m.group(0)
        for name, value in attrs.items():
            tag = _set_attr(tag, name, value)
        return xf[:m.start()] + tag + xf[m.end():]
    tag = b"<alignment" + b"".join(b" " + k.encode() + b'="' + v.encode() + b'"' for k, v in attrs.items()) + b"/>"
    if xf.endswith(b"/>"):
        return xf[:-2] + b">" + tag + b"</xf>"
    # alignment precedes protection and extLst inside <xf>.
    later = re.search(rb"<(?:\w+:)?(?:protection|extLst)\b", xf)
    at = later.start() if later else xf.rfind(b"</")
    return xf[:at] + tag + xf[at:]
