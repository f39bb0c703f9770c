"""The summary's clustered column chart (DrawingML) and the drawing that anchors it, with cached values so
every reader shows it without recalculating."""

from __future__ import annotations

from engine.findings import column_letter
from workbook.writing.xlsxpatch.cells import escape_text
from workbook.writing.xlsxpatch.model import ChartSpec, OwnedSheet

C_NS = b"http://schemas.openxmlformats.org/drawingml/2006/chart"
A_NS = b"http://schemas.openxmlformats.org/drawingml/2006/main"
R_NS = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XDR_NS = b"http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"


def _ref(sheet_name: str, col: int, first: int, last: int | None = None) -> bytes:
    quoted = "'" + sheet_name.replace("'", "''") + "'"
    letters = column_letter(col)
    ref = f"{quoted}!${letters}${first}" + (f":${letters}${last}" if last is not None else "")
    return escape_text(ref)


def _str_cache(values: list) -> bytes:
    pts = b"".join(b'<c:pt idx="' + str(i).encode() + b'"><c:v>' + escape_text("" if v is None else str(v)) + b"</c:v></c:pt>"
                   for i, v in enumerate(values))
    return b'<c:strCache><c:ptCount val="' + str(len(values)).encode() + b'"/>' + pts + b"</c:strCache>"


def _num_cache(values: list) -> bytes:
    pts = b"".join(b'<c:pt idx="' + str(i).encode() + b'"><c:v>' + str(v if v is not None else 0).encode() + b"</c:v></c:pt>"
                   for i, v in enumerate(values))
    return (b'<c:numCache><c:formatCode>General</c:formatCode><c:ptCount val="' + str(len(values)).encode() + b'"/>'
            + pts + b"</c:numCache>")


def chart_xml(sheet_name: str, sheet: OwnedSheet) -> bytes:
    spec: ChartSpec = sheet.chart
    value_at = {(c.row, c.col): c.value for c in sheet.cells}
    rows = range(spec.first_row, spec.last_row + 1)
    categories = [value_at.get((r, spec.category_col)) for r in rows]
    series = []
    for i, s in enumerate(spec.series):
        values = [value_at.get((r, s.col)) for r in rows]
        series.append(
            b'<c:ser><c:idx val="' + str(i).encode() + b'"/><c:order val="' + str(i).encode() + b'"/>'
            b"<c:tx><c:strRef><c:f>" + _ref(sheet_name, s.col, spec.first_row - 1) + b"</c:f>" + _str_cache([s.name])
            + b"</c:strRef></c:tx><c:spPr><a:solidFill><a:srgbClr val=\"" + s.colour.lstrip("#").upper().encode()
            + b'"/></a:solidFill><a:ln><a:solidFill><a:srgbClr val="595959"/></a:solidFill></a:ln></c:spPr>'
            b'<c:invertIfNegative val="0"/><c:cat><c:strRef><c:f>' + _ref(sheet_name, spec.category_col, spec.first_row, spec.last_row)
            + b"</c:f>" + _str_cache(categories) + b"</c:strRef></c:cat><c:val><c:numRef><c:f>"
            + _ref(sheet_name, s.col, spec.first_row, spec.last_row) + b"</c:f>" + _num_cache(values)
            + b"</c:numRef></c:val></c:ser>")
    title = (b"<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:r><a:t>" + escape_text(spec.title)
             + b'</a:t></a:r></a:p></c:rich></c:tx><c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/>')
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<c:chartSpace xmlns:c="' + C_NS + b'" xmlns:a="'
            + A_NS + b'" xmlns:r="' + R_NS + b'"><c:roundedCorners val="0"/><c:chart>' + title
            + b'<c:plotArea><c:layout/><c:barChart><c:barDir val="col"/><c:grouping val="clustered"/><c:varyColors val="0"/>'
            + b"".join(series)
            + b'<c:gapWidth val="150"/><c:axId val="50010"/><c:axId val="50020"/></c:barChart>'
            b'<c:catAx><c:axId val="50010"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/>'
            b'<c:axPos val="b"/><c:numFmt formatCode="General" sourceLinked="0"/><c:tickLblPos val="nextTo"/>'
            b'<c:crossAx val="50020"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/>'
            b'<c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>'
            b'<c:valAx><c:axId val="50020"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/>'
            b'<c:axPos val="l"/><c:majorGridlines/><c:numFmt formatCode="0" sourceLinked="0"/><c:tickLblPos val="nextTo"/>'
            b'<c:crossAx val="50010"/><c:crosses val="autoZero"/><c:crossBetween val="between"/></c:valAx>'
            b'</c:plotArea><c:legend><c:legendPos val="b"/><c:overlay val="0"/></c:legend><c:plotVisOnly val="1"/>'
            b'<c:dispBlanksAs val="gap"/></c:chart></c:chartSpace>')


def drawing_xml(spec: ChartSpec, chart_rid: str) -> bytes:
    def point(tag: bytes, row: int, col: int) -> bytes:
        return (b"<xdr:" + tag + b"><xdr:col>" + str(col - 1).encode() + b"</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>"
                + str(row - 1).encode() + b"</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:" + tag + b">")

    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<xdr:wsDr xmlns:xdr="' + XDR_NS + b'" xmlns:a="'
            + A_NS + b'"><xdr:twoCellAnchor>' + point(b"from", *spec.anchor_from) + point(b"to", *spec.anchor_to)
            + b'<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="2" name="radit chart"/><xdr:cNvGraphicFramePr/>'
            b'</xdr:nvGraphicFramePr><xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm><a:graphic>'
            b'<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart"><c:chart xmlns:c="' + C_NS
            + b'" xmlns:r="' + R_NS + b'" r:id="' + chart_rid.encode() + b'"/></a:graphicData></a:graphic>'
            b"</xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor></xdr:wsDr>")
