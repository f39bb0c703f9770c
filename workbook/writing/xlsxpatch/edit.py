"""A set of part changes to one package: read the current bytes of a part, replace or add parts, keep
content types and relationships consistent; every part nobody touched is later copied byte for byte."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable

from workbook.reading.package import part_key, resolve_target

CONTENT_TYPES = "[Content_Types].xml"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

_REL = re.compile(rb"<Relationship\b[^>]*?/>|<Relationship\b[^>]*?>\s*</Relationship>", re.S)
_ATTR = re.compile(rb'([A-Za-z_:][-.\w:]*)\s*=\s*("[^"]*"|\'[^\']*\')')


def quoteattr(value: str) -> str:
    """An attribute value in double quotes (as Excel writes), so attributes read back with one pattern.

    By hand, not xml.sax.saxutils: importing that pulls in urllib and http.client (~20 ms of every start)."""
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return '"' + value.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;") + '"'


def attributes(tag: bytes) -> dict[str, str]:
    """The attributes of one start tag, unescaped only for the entities XML predefines."""
    out = {}
    for key, value in _ATTR.findall(tag):
        text = value[1:-1].decode("utf-8")
        for ent, ch in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'"), ("&amp;", "&")):
            text = text.replace(ent, ch)
        out[key.decode()] = text
    return out


_DECLARATION = re.compile(rb'^(\xef\xbb\xbf)?(<\?xml[^>]*?encoding\s*=\s*["\'])([^"\']+)(["\'])')


def as_utf8(data: bytes) -> bytes:
    """XML declared as windows-1257, ISO-8859-13 … re-encoded as UTF-8 with its declaration to match."""
    m = _DECLARATION.match(data[:200])
    if m is None or m.group(3).decode("ascii", "replace").lower().replace("_", "-") in ("utf-8", "utf8"):
        return data
    encoding = m.group(3).decode("ascii")
    try:
        text = data[m.end():].decode(encoding)
    except (LookupError, UnicodeDecodeError):
        return data  # the reader already reported what it could not decode; patching keeps the bytes as they are
    return m.group(2) + b"UTF-8" + m.group(4) + text.encode("utf-8")


def rels_name(part: str) -> str:
    """xl/worksheets/sheet1.xml -> xl/worksheets/_rels/sheet1.xml.rels ("" is the package itself)."""
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


def resolve(source_part: str, target: str) -> str:
    """A relationship target relative to its source part, as a package part name without a leading '/'
    (workbook.reading.package.resolve_target: the reader's own resolution)."""
    return resolve_target(source_part, target)


def relative(source_part: str, part: str) -> str:
    return posixpath.relpath(part, posixpath.dirname(source_part) or ".")


class PackageEdit:
    """Changes to a package opened with workbook.reading.package.open_package (or anything with names() and read()).

    Nothing is written here: `changes` is the mapping workbook.writing.xlsxpatch.rewrite_package takes.
    """

    def __init__(self, package):
        self._package = package
        self._original = list(package.names())
        self._known = set(self._original)
        self._members = {part_key(n): n for n in self._original}  # any spelling of a part -> its zip member
        self.changes: dict[str, bytes] = {}
        self._raw_sizes: dict[str, int] = {}  # length of each part as read from the package

    # -- parts -------------------------------------------------------------------------------
    def member(self, name: str) -> str:
        """The name the part `name` goes by in this package: its zip member (however `name` spells it), a part
        added here, or (a new part) its resolved name. Changes are keyed by it, so a patch lands in the member
        the reader read, never beside it under another spelling."""
        return self._members.get(part_key(name)) or resolve_target("", name)

    def names(self) -> list[str]:
        return self._original + [n for n in self.changes if n not in self._known]

    def exists(self, name: str) -> bool:
        return part_key(name) in self._members

    def read(self, name: str) -> bytes:
        """The part's current bytes; an XML part declared in another encoding comes back as UTF-8 (radit
        writes UTF-8 text into what it patches, and a part must not mix encodings)."""
        name = self.member(name)
        if name in self.changes:
            return self.changes[name]
        raw = self._package.read(name)
        self._raw_sizes[name] = len(raw)
        return as_utf8(raw)

    def write(self, name: str, data: bytes) -> None:
        """Replace or add a part; writing the bytes it already holds is no change (so parts stay byte-identical)."""
        name = self.member(name)
        self._members.setdefault(part_key(name), name)
        if (name in self._known and name not in self.changes and self._raw_sizes.get(name, len(data)) == len(data)
                and self._package.read(name) == data):  # (another length is a change: no need to inflate it again)
            return
        self.changes[name] = data

    def free_name(self, pattern: str, start: int = 1) -> str:
        """The first part name pattern.format(n) that no part uses, e.g. 'xl/comments{}.xml'."""
        n = start
        while self.exists(pattern.format(n)):
            n += 1
        return pattern.format(n)

    # -- content types -----------------------------------------------------------------------
    def content_type(self, part: str) -> str | None:
        xml = self.read(CONTENT_TYPES)
        for tag in re.findall(rb"<Override\b[^>]*>", xml):
            a = attributes(tag)
            if part_key(a.get("PartName", "")) == part_key(part):
                return a.get("ContentType")
        ext = part.rsplit(".", 1)[-1].lower()
        for tag in re.findall(rb"<Default\b[^>]*>", xml):
            a = attributes(tag)
            if a.get("Extension", "").lower() == ext:
                return a.get("ContentType")
        return None

    def set_override(self, part: str, content_type: str) -> None:
        """Declare part's content type with an <Override> (replacing one already there for the same part)."""
        xml = self.read(CONTENT_TYPES)
        new = b"<Override PartName=" + quoteattr("/" + part).encode() + b" ContentType=" + quoteattr(content_type).encode() + b"/>"
        for tag in re.findall(rb"<Override\b[^>]*>", xml):
            if part_key(attributes(tag).get("PartName", "")) == part_key(part):
                if attributes(tag).get("ContentType") == content_type:
                    return
                xml = xml.replace(tag, new, 1)
                self.write(CONTENT_TYPES, xml)
                return
        self.write(CONTENT_TYPES, append_child(xml, b"Types", new))

    def set_default(self, extension: str, content_type: str) -> None:
        """Declare a content type for an extension (e.g. vml) unless one is declared already."""
        xml = self.read(CONTENT_TYPES)
        for tag in re.findall(rb"<Default\b[^>]*>", xml):
            if attributes(tag).get("Extension", "").lower() == extension.lower():
                return
        new = b"<Default Extension=" + quoteattr(extension).encode() + b" ContentType=" + quoteattr(content_type).encode() + b"/>"
        # Defaults come before Overrides in every file Excel writes; keep that order.
        at = xml.find(b"<Override")
        xml = xml[:at] + new + xml[at:] if at >= 0 else append_child(xml, b"Types", new)
        self.write(CONTENT_TYPES, xml)

    # -- relationships -----------------------------------------------------------------------
    def relationships(self, source_part: str) -> list[dict[str, str]]:
        """Each relationship of source_part ('' for the package) as its attributes (Id, Type, Target, TargetMode)."""
        name = rels_name(source_part) if source_part else "_rels/.rels"
        if not self.exists(name):
            return []
        return [attributes(m.group(0)) for m in _REL.finditer(self.read(name))]

    def targets(self, source_part: str, rel_type_suffix: str) -> list[tuple[str, str]]:
        """(Id, part name) of internal relationships whose Type ends with rel_type_suffix (e.g. '/comments')."""
        return [(r["Id"], self.member(resolve(source_part, r["Target"]))) for r in self.relationships(source_part)
                if r.get("Type", "").endswith(rel_type_suffix) and r.get("TargetMode") != "External"]

    def add_relationship(self, source_part: str, rel_type: str, target_part: str) -> str:
        """Relate source_part to target_part, reusing an identical relationship; returns its Id."""
        name = rels_name(source_part) if source_part else "_rels/.rels"
        target = relative(source_part, target_part) if source_part else target_part
        existing = self.relationships(source_part)
        for r in existing:
            if r.get("Type") == rel_type and part_key(resolve(source_part, r.get("Target", ""))) == part_key(target_part):
                return r["Id"]
        ids = {r.get("Id") for r in existing}
        n = len(existing) + 1
        while f"rId{n}" in ids:
            n += 1
        rid = f"rId{n}"
        new = (b"<Relationship Id=" + quoteattr(rid).encode() + b" Type=" + quoteattr(rel_type).encode()
               + b" Target=" + quoteattr(target).encode() + b"/>")
        if self.exists(name):
            self.write(name, append_child(self.read(name), b"Relationships", new))
        else:
            self.write(name, b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                             b'<Relationships xmlns="' + REL_NS.encode() + b'">' + new + b"</Relationships>")
        return rid

    def remove_relationships(self, source_part: str, ids: Iterable[str]) -> None:
        name = rels_name(source_part) if source_part else "_rels/.rels"
        ids = set(ids)
        if not ids or not self.exists(name):
            return
        xml = self.read(name)
        for m in reversed(list(_REL.finditer(xml))):
            if attributes(m.group(0)).get("Id") in ids:
                xml = xml[:m.start()] + xml[m.end():]
        self.write(name, xml)


def append_child(xml: bytes, element: bytes, content: bytes) -> bytes:
    """content as the last children of the first <element> (any namespace prefix); an element written empty,
    as <Types .../>, is opened up."""
    close = re.search(rb"</(?:\w+:)?" + re.escape(element) + rb">", xml)
    if close:
        return xml[:close.start()] + content + xml[close.start():]
    empty = re.search(rb"<((?:\w+:)?" + re.escape(element) + rb")\b[^>]*?/>", xml)
    if empty is None:
        raise ValueError(f"no {element.decode()} element in the part")
    opened = empty.group(0)[:-2].rstrip() + b">" + content + b"</" + empty.group(1) + b">"
    return xml[:empty.start()] + opened + xml[empty.end():]


def without(xml: bytes, pattern: re.Pattern, drop) -> bytes:
    """xml without the matches of pattern for which drop(match) is true, in one pass (cutting them out one by
    one copies the whole part each time: 10 000 notes took 2.5 s)."""
    kept, pos = [], 0
    for m in pattern.finditer(xml):
        if drop(m):
            kept.append(xml[pos:m.start()])
            pos = m.end()
    kept.append(xml[pos:])
    return b"".join(kept)
