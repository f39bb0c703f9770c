"""Cell styles by appending to styles.xml: existing style indices stay valid, an identical style is reused."""

from __future__ import annotations

import re

from workbook.writing.xlsxpatch.edit import quoteattr
from workbook.writing.xlsxpatch.model import Style

FIRST_CUSTOM_NUMFMT = 164  # ids below are Excel's built-in formats

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

    def _font_id(self, base_font: bytes | None, bold: bool, colour: str | None) -> int:
        font = base_font or b'<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
        if font.endswith(b"/>") and b"</font>" not in font:
            font = font[:-2] + b"></font>"
        if bold and not re.search(rb"<(?:\w+:)?b\s*/?>", font):
            font = font.replace(b">", b"><b/>", 1)
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
        if style.bold or style.font_colour:
            fonts = self._all("fonts")
            current = int(_get_attr(xf, "fontId") or 0)
            base_font = fonts[current] if current < len(fonts) else None
            xf = _set_attr(_set_attr(xf, "fontId", str(self._font_id(base_font, style.bold, style.font_colour))),
                           "applyFont", "1")
        if style.num_fmt:
            xf = _set_attr(_set_attr(xf, "numFmtId", str(self._numfmt_id(style.num_fmt))), "applyNumberFormat", "1")
        if style.wrap:
            xf = _with_wrap(xf)
        return self._index_of("cellXfs", xf)

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


def _with_wrap(xf: bytes) -> bytes:
    xf = _set_attr(xf, "applyAlignment", "1")
    if re.search(rb"<(?:\w+:)?alignment\b", xf):
        return re.sub(rb"<((?:\w+:)?alignment\b[^>]*?)(/?)>", lambda m: _set_attr(b"<" + m.group(1) + m.group(2) + b">",
                                                                                     "wrapText", "1"), xf, count=1)
    if xf.endswith(b"/>"):
        return xf[:-2] + b'><alignment wrapText="1"/></xf>'
    # alignment precedes protection and extLst inside <xf>.
    later = re.search(rb"<(?:\w+:)?(?:protection|extLst)\b", xf)
    at = later.start() if later else xf.rfind(b"</")
    return xf[:at] + b'<alignment wrapText="1"/>' + xf[at:]
