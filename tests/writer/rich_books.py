"""A master workbook holding everything openpyxl's load-and-save would lose or change, built for the writer tests.

openpyxl writes the base (the sample's indicator table, plus a chart, a comment, data validation, conditional
formatting, a defined name, a formula and a second sheet); the parts openpyxl cannot write are then put into
the zip by hand: the formula's cached value, a picture in the chart's drawing, a threaded comment with its
persons part, a custom XML part, an x14 data-bar extension, and (for .xlsm) a VBA project part.
"""
from __future__ import annotations

import re
import struct
import zipfile
import zlib
from pathlib import Path

import openpyxl
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "seed-2016.xlsx"
# Not a real VBA project (no Office here to make one): the test is that its bytes come through untouched.
VBA_BYTES = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8
THREADED_CELL = "C3"  # on the data sheet, away from every cell radit writes


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 4 for _ in range(4))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def build_rich_book(path: Path, *, macro: bool = False) -> Path:
    wb = openpyxl.load_workbook(SAMPLE, keep_vba=False)
    ws = wb["Rādītāji"]
    ws["A2"].comment = Comment("Analītiķes piezīme: pārbaudīt avotu", "Analītiķe")
    dv = DataValidation(type="list", formula1='"count,money,percent"', allow_blank=True)
    ws.add_data_validation(dv)
    dv.add("G2:G28")
    ws.conditional_formatting.add("N2:N28", CellIsRule(operator="greaterThan", formula=["1000"], fill=None))
    data = wb.create_sheet("Dati")
    data.append(["Gads", "Kampaņas"])
    for year, n in ((2014, 1), (2015, 2), (2016, 1)):
        data.append([year, n])
    data["D1"] = "Kopā"
    data["D2"] = "=SUM(B2:B4)"
    chart = BarChart()
    chart.add_data(Reference(data, min_col=2, min_row=1, max_row=4), titles_from_data=True)
    data.add_chart(chart, "F2")
    wb.defined_names["Kampanas"] = DefinedName("Kampanas", attr_text="Dati!$B$2:$B$4")
    tmp = path.with_suffix(".base.xlsx")
    wb.save(tmp)
    _finish(tmp, path, macro)
    tmp.unlink()
    return path


def _finish(src: Path, dst: Path, macro: bool) -> None:
    with zipfile.ZipFile(src) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    wb_rels = parts["xl/_rels/workbook.xml.rels"].decode()
    # attributes in any order: with lxml installed (python-docx needs it) openpyxl declares xmlns:r on each <sheet>
    rid = re.search(r'<sheet\b[^>]*\bname="Dati"[^>]*r:id="(rId\d+)"', parts["xl/workbook.xml"].decode()).group(1)
    rel = next(r for r in re.findall(r"<Relationship [^>]*>", wb_rels) if f'Id="{rid}"' in r)
    data_part = "xl/" + re.search(r'Target="([^"]+)"', rel).group(1).lstrip("/").removeprefix("xl/")
    data_rels = data_part.replace("worksheets/", "worksheets/_rels/") + ".rels"
    types = parts["[Content_Types].xml"].decode()

    # The formula's cached value (openpyxl writes none).
    sheet = parts[data_part].decode()
    sheet = re.sub(r"<c r=\"D2\"([^>]*)><f>SUM\(B2:B4\)</f><v\s*/?>(?:</v>)?", r'<c r="D2"\1><f>SUM(B2:B4)</f><v>4</v>', sheet)
    if "<v>4</v>" not in sheet:
        sheet = sheet.replace("<f>SUM(B2:B4)</f>", "<f>SUM(B2:B4)</f><v>4</v>")
    # An x14 data bar extension, as Excel writes them, kept opaque by every reader but Excel.
    ext = ('<extLst><ext uri="{78C0D931-6437-407d-A8EE-F0AAD7539E65}" xmlns:x14="http://schemas.microsoft.com/office/'
           'spreadsheetml/2009/9/main"><x14:conditionalFormattings><x14:conditionalFormatting xmlns:xm="http://schemas.'
           'microsoft.com/office/excel/2006/main"><x14:cfRule type="dataBar" id="{00000000-0000-0000-0000-000000000001}">'
           '<x14:dataBar minLength="0" maxLength="100"><x14:cfvo type="autoMin"/><x14:cfvo type="autoMax"/></x14:dataBar>'
           '</x14:cfRule><xm:sqref>B2:B4</xm:sqref></x14:conditionalFormatting></x14:conditionalFormattings></ext></extLst>')
    sheet = sheet.replace("</worksheet>", ext + "</worksheet>")
    # A threaded comment (Excel 365) on the data sheet, with its persons part.
    rels = parts[data_rels].decode()
    rels = rels.replace("</Relationships>", '<Relationship Id="rIdTc1" Type="http://schemas.microsoft.com/office/2017/10/'
                        'relationships/threadedComment" Target="../threadedComments/threadedComment1.xml"/></Relationships>')
    parts[data_rels] = rels.encode()
    parts[data_part] = sheet.encode()
    parts["xl/threadedComments/threadedComment1.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<ThreadedComments xmlns="http://schemas.microsoft.com/'
        f'office/spreadsheetml/2018/threadedcomments"><threadedComment ref="{THREADED_CELL}" dT="2026-11-01T10:00:00.00" '
        'personId="{11111111-1111-1111-1111-111111111111}" id="{22222222-2222-2222-2222-222222222222}"><text>Vai 2016. gada '
        'skaitlis ir galīgs?</text></threadedComment></ThreadedComments>').encode()
    parts["xl/persons/person.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<personList xmlns="http://schemas.microsoft.com/office/'
        'spreadsheetml/2018/threadedcomments"><person displayName="Analītiķe" id="{11111111-1111-1111-1111-111111111111}" '
        'userId="analitike" providerId="None"/></personList>').encode()
    wb_rels = wb_rels.replace("</Relationships>", '<Relationship Id="rIdP1" Type="http://schemas.microsoft.com/office/2017/10/'
                              'relationships/person" Target="persons/person.xml"/></Relationships>')
    types = types.replace("</Types>", '<Override PartName="/xl/threadedComments/threadedComment1.xml" ContentType="application/'
                          'vnd.ms-excel.threadedcomments+xml"/><Override PartName="/xl/persons/person.xml" ContentType='
                          '"application/vnd.ms-excel.person+xml"/></Types>')
    # A picture beside the chart in the data sheet's drawing.
    drawing = next(n for n in parts if n.startswith("xl/drawings/drawing") and n.endswith(".xml"))
    drawing_rels = drawing.replace("drawings/", "drawings/_rels/") + ".rels"
    parts["xl/media/image1.png"] = tiny_png()
    parts[drawing_rels] = parts[drawing_rels].replace(b"</Relationships>", b'<Relationship Id="rIdImg1" Type="http://schemas.'
                                                      b'openxmlformats.org/officeDocument/2006/relationships/image" Target='
                                                      b'"../media/image1.png"/></Relationships>')
    pic = (b'<xdr:oneCellAnchor xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
           b'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><xdr:from><xdr:col>1</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>8</xdr:row><xdr:rowOff>0'
           b'</xdr:rowOff></xdr:from><xdr:ext cx="381000" cy="381000"/><xdr:pic><xdr:nvPicPr><xdr:cNvPr id="9" name="Logo"/>'
           b'<xdr:cNvPicPr/></xdr:nvPicPr><xdr:blipFill><a:blip xmlns:r="http://schemas.openxmlformats.org/officeDocument/'
           b'2006/relationships" r:embed="rIdImg1"/><a:stretch><a:fillRect/></a:stretch></xdr:blipFill><xdr:spPr><a:prstGeom '
           b'prst="rect"><a:avLst/></a:prstGeom></xdr:spPr></xdr:pic><xdr:clientData/></xdr:oneCellAnchor>')
    parts[drawing] = re.sub(rb"(</(?:xdr:)?wsDr>)", lambda m: pic + m.group(1), parts[drawing], count=1)
    types = types.replace("<Override", '<Default Extension="png" ContentType="image/png"/><Override', 1)
    # A custom XML part (a ministry's document-management metadata).
    parts["customXml/item1.xml"] = b'<?xml version="1.0" encoding="UTF-8"?><dms xmlns="urn:example:dms"><id>TM-2016-17</id></dms>'
    parts["_rels/.rels"] = parts["_rels/.rels"].replace(b"</Relationships>", b'<Relationship Id="rIdCx1" Type="http://schemas.'
                                                        b'openxmlformats.org/officeDocument/2006/relationships/customXml" '
                                                        b'Target="customXml/item1.xml"/></Relationships>')
    if macro:
        parts["xl/vbaProject.bin"] = VBA_BYTES
        wb_rels = wb_rels.replace("</Relationships>", '<Relationship Id="rIdVba1" Type="http://schemas.microsoft.com/office/2006/'
                                  'relationships/vbaProject" Target="vbaProject.bin"/></Relationships>')
        types = types.replace("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                              "application/vnd.ms-excel.sheet.macroEnabled.main+xml")
        types = types.replace("</Types>", '<Override PartName="/xl/vbaProject.bin" ContentType="application/vnd.ms-office.'
                              'vbaProject"/></Types>')
    parts["xl/_rels/workbook.xml.rels"] = wb_rels.encode()
    parts["[Content_Types].xml"] = types.encode()
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
