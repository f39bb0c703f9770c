"""Workbook-level parts radit touches: the workbook part (recalculation on load) and custom document properties."""

from __future__ import annotations

import re
from collections.abc import Mapping

from workbook.errors import WriteRefused
from workbook.writing.xlsxpatch.cells import escape_text
from workbook.writing.xlsxpatch.edit import PackageEdit, append_child, attributes, quoteattr, without

STRICT_NS = b"http://purl.oclc.org/ooxml/spreadsheetml/main"
_PROPERTY = re.compile(rb"<(?:\w+:)?property\b[^>]*?(?:/>|>.*?</(?:\w+:)?property>)", re.S)
CUSTOM_PART = "docProps/custom.xml"
CUSTOM_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the one format id every custom property uses
PREFIX = "radit_"  # radit's own properties; every other property is the analyst's and is kept

# Elements that follow calcPr inside <workbook> (ECMA-376 order); calcPr goes before the first present.
_AFTER_CALCPR = (b"oleSize", b"customWorkbookViews", b"pivotCaches", b"smartTagPr", b"smartTagTypes",
                 b"webPublishing", b"fileRecoveryPr", b"webPublishObjects", b"extLst")


def workbook_part(edit: PackageEdit) -> str:
    for _, part in edit.targets("", "/officeDocument"):
        return part
    return "xl/workbook.xml"


def refuse_strict(edit: PackageEdit, path: str) -> None:
    if STRICT_NS in edit.read(workbook_part(edit))[:4096]:
        raise WriteRefused(path, "strict-ooxml")


def recalculate_on_load(edit: PackageEdit) -> None:
    """Ask Excel to recalculate every formula on opening, so formulas that read the written cells are current."""
    part = workbook_part(edit)
    xml = edit.read(part)
    m = re.search(rb"<(\w+:)?calcPr\b[^>]*?/?>", xml)
    if m:
        tag = m.group(0)
        if re.search(rb'\sfullCalcOnLoad\s*=\s*"(?:1|true)"', tag):
            return
        tag = re.sub(rb'\sfullCalcOnLoad\s*=\s*"[^"]*"', b"", tag)
        end = len(tag) - (2 if tag.endswith(b"/>") else 1)
        edit.write(part, xml[:m.start()] + tag[:end] + b' fullCalcOnLoad="1"' + tag[end:] + xml[m.end():])
        return
    prefix = re.match(rb"<(\w+:)?", re.search(rb"<(?:\w+:)?workbook\b", xml).group(0)).group(1) or b""
    new = b"<" + prefix + b'calcPr fullCalcOnLoad="1"/>'
    at = None
    for name in _AFTER_CALCPR:
        found = re.search(rb"<(?:\w+:)?" + name + rb"\b", xml)
        if found and (at is None or found.start() < at):
            at = found.start()
    if at is None:
        at = xml.rindex(b"</" + prefix + b"workbook>")
    edit.write(part, xml[:at] + new + xml[at:])


def set_custom_properties(edit: PackageEdit, values: Mapping[str, str]) -> None:
    """Write radit_* custom document properties, keeping every other property of the workbook as it is."""
    def own(first_pid: int) -> bytes:
        return b"".join(b"<property fmtid=" + quoteattr(FMTID).encode() + b' pid="' + str(first_pid + i).encode()
                        + b'" name=' + quoteattr(PREFIX + k).encode() + b"><vt:lpwstr>" + escape_text(v)
                        + b"</vt:lpwstr></property>" for i, (k, v) in enumerate(values.items()))

    if edit.exists(CUSTOM_PART):
        xml = edit.read(CUSTOM_PART)
        pids: list[int] = []  # of the properties kept

        def radits(m: re.Match) -> bool:
            a = attributes(m.group(0)[:m.group(0).index(b">") + 1])
            if a.get("name", "").startswith(PREFIX):
                return True
            pids.append(int(a.get("pid", "1")))
            return False

        xml = without(xml, _PROPERTY, radits)
        if b"xmlns:vt=" not in xml:
            xml = re.sub(rb"(<(?:\w+:)?Properties\b)", rb'\1 xmlns:vt="' + VT_NS.encode() + b'"', xml, count=1)
        xml = append_child(xml, b"Properties", own(max([1, *pids]) + 1))
    else:
        xml = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="' + CUSTOM_NS.encode()
               + b'" xmlns:vt="' + VT_NS.encode() + b'">' + own(2) + b"</Properties>")
        edit.add_relationship("", CUSTOM_REL, CUSTOM_PART)
    edit.set_override(CUSTOM_PART, CUSTOM_TYPE)
    edit.write(CUSTOM_PART, xml)
