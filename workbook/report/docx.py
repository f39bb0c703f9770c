"""The report as a Word document (python-docx), laid out as the source's results table.

Portrait: title, the source's Table 1 (the legend). Landscape: the results table, one header row repeated on every
page (w:tblHeader), a row per policy goal, a row per result, its indicator rows, and under each result the
justifications and explanations as the source's narrative paragraphs sit. Portrait again: the summary per goal and
result with its chart, and the provenance. Text is formatted by named styles (Radit …); a cell's fill is the one
property a style cannot give a single cell.
"""
from __future__ import annotations

import io

from workbook.report.content import IndicatorLine, ReportContent, ResultGroup

FONT = "Calibri"
GOAL_FILL = "D9E2F3"
RESULT_FILL = "F2F2F2"
HEAD_FILL = "D9D9D9"
RESULT_WIDTHS_CM = (2.0, 8.4, 2.6, 3.3, 3.3, 3.1, 3.0)  # ID, indicator, baseline, forecast, achieved, assessment, basis
LEGEND_WIDTHS_CM = (2.0, 4.6, 10.4)


def render_docx(content: ReportContent) -> bytes:
    from docx import Document
    from docx.enum.section import WD_SECTION

    doc = Document()
    _styles(doc, content.lang)
    _properties(doc, content)
    section = _page(doc.sections[0], landscape=False, sides=2.0, ends=1.8)
    _footer(doc, section, content)

    doc.add_paragraph(content.title, style="Title")
    doc.add_paragraph(content.text("intro"), style="Radit Body")
    doc.add_paragraph(content.text("source", name=content.provenance.book), style="Radit Body")
    _legend(doc, content)

    _page(doc.add_section(WD_SECTION.NEW_PAGE), landscape=True, sides=1.5, ends=1.5)
    doc.add_paragraph(content.text("results_heading"), style="Heading 1")
    _results(doc, content)

    _page(doc.add_section(WD_SECTION.NEW_PAGE), landscape=False, sides=2.0, ends=1.8)
    doc.add_paragraph(content.text("summary_heading"), style="Heading 1")
    _summary(doc, content)
    _provenance(doc, content)
    if content.problems:
        _problems(doc, content)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# --- styles -------------------------------------------------------------------------------------

def _styles(doc, lang: str) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.oxml import OxmlElement
    from docx.shared import Pt, RGBColor

    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10)
    # the document's language, so Word checks Latvian spelling as Latvian (docDefaults' run properties)
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang_el = rpr.find(qn("w:lang"))
    if lang_el is None:
        lang_el = OxmlElement("w:lang")
        rpr.append(lang_el)
    lang_el.set(qn("w:val"), "lv-LV" if lang == "lv" else "en-GB")

    def paragraph(name: str, *, size: float, bold: bool = False, align=None, before: float = 0, after: float = 2,
                  keep: bool = False, italic: bool = False, colour: str | None = None, base: str = "Normal"):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[base]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.bold = bold
        style.font.italic = italic
        if colour:
            style.font.color.rgb = RGBColor.from_string(colour)
        pf = style.paragraph_format
        pf.space_before, pf.space_after = Pt(before), Pt(after)
        pf.line_spacing = 1.0
        if align is not None:
            pf.alignment = align
        if keep:
            pf.keep_with_next = True
        return style

    paragraph("Radit Body", size=10, after=6)
    paragraph("Radit Table Text", size=9)
    paragraph("Radit Table Number", size=9, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph("Radit Table Heading", size=9, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph("Radit Goal", size=10, bold=True, keep=True)
    paragraph("Radit Result", size=9.5, bold=True, keep=True)
    paragraph("Radit Symbol", size=16, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph("Radit Deviation", size=8.5, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph("Radit Label", size=7.5, align=WD_ALIGN_PARAGRAPH.CENTER, colour="404040")
    paragraph("Radit Narrative", size=9, after=3)
    paragraph("Radit Narrative Id", size=9, bold=True, after=0)
    paragraph("Radit Caption", size=9, italic=True, before=3, after=10)
    paragraph("Radit Provenance", size=9, after=1)
    for name in ("Title", "Heading 1"):
        styles[name].font.name = FONT
    styles["Title"].font.size = Pt(20)
    styles["Heading 1"].font.size = Pt(14)


def _page(section, *, landscape: bool, sides: float, ends: float):
    """An A4 section, landscape or portrait, with margins of `sides` cm left and right and `ends` cm top and bottom."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Cm(29.7), Cm(21.0)) if landscape else (Cm(21.0), Cm(29.7))
    section.left_margin = section.right_margin = Cm(sides)
    section.top_margin = section.bottom_margin = Cm(ends)
    return section


def _properties(doc, content: ReportContent) -> None:
    import datetime as _dt

    p = doc.core_properties
    prov = content.provenance
    p.title = content.title
    p.author = p.last_modified_by = "radit"
    p.subject = prov.book
    p.keywords = f"radit {prov.version}; {prov.rules_name}; SHA-256 {prov.rules_sha256}"
    p.comments = f"radit {prov.version}, {prov.rules_name} ({prov.rules_sha256}), {prov.time}"
    p.language = "lv-LV" if content.lang == "lv" else "en-GB"
    stamp = _dt.datetime.fromisoformat(prov.time.replace("Z", "+00:00")).replace(tzinfo=None)
    p.created = p.modified = stamp
    p.revision = 1


def _footer(doc, section, content: ReportContent) -> None:
    """'Rezultatīvo rādītāju novērtējums 2016 · seed-2016.xlsx · 3. lpp.' with a PAGE field (every section's)."""
    par = section.footer.paragraphs[0]
    par.style = doc.styles["Radit Provenance"]
    par.add_run(f"{content.title} · {content.provenance.book} · ")
    if content.lang == "lv":
        _field(par, "PAGE")
        par.add_run(f". {content.text('page')}")
    else:
        par.add_run(f"{content.text('page')} ")
        _field(par, "PAGE")


def _field(par, instruction: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = par.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
            run._r.append(el)
        elif text == instruction:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {instruction} "
            run._r.append(el)
        else:
            el = OxmlElement("w:t")
            el.text = text
            run._r.append(el)


# --- tables -------------------------------------------------------------------------------------

def _table(doc, cols: int, widths_cm):
    from docx.shared import Cm

    table = doc.add_table(rows=0, cols=cols)
    table.style = doc.styles["Table Grid"]
    table.autofit = False
    for col, w in zip(table.columns, widths_cm):
        col.width = Cm(w)
    return table


def _row(table, widths_cm, *, header: bool = False, cant_split: bool = True):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    row = table.add_row()
    tr_pr = row._tr.get_or_add_trPr()
    if cant_split:
        tr_pr.append(OxmlElement("w:cantSplit"))
    if header:  # repeated at the top of every page the table runs onto
        el = OxmlElement("w:tblHeader")
        el.set(qn("w:val"), "true")
        tr_pr.append(el)
    for cell, w in zip(row.cells, widths_cm):
        cell.width = Cm(w)
    return row


def _fill(cell, colour: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), colour.lstrip("#").upper())
    cell._tc.get_or_add_tcPr().append(shd)


def _middle(cell) -> None:
    from docx.enum.table import WD_ALIGN_VERTICAL

    cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER


def _write(cell, text: str, style: str) -> None:
    par = cell.paragraphs[0]
    par.style = style
    par.text = text


def _merged(row, text: str, style: str, fill: str | None = None):
    cell = row.cells[0].merge(row.cells[-1])
    _write(cell, text, style)
    if fill:
        _fill(cell, fill)
    return cell


def _legend(doc, content: ReportContent) -> None:
    table = _table(doc, 3, LEGEND_WIDTHS_CM)
    head = _row(table, LEGEND_WIDTHS_CM, header=True)
    for cell, text in zip(head.cells, content.text("legend_head")):
        _write(cell, text, "Radit Table Heading")
        _fill(cell, HEAD_FILL)
    for s in content.statuses:
        row = _row(table, LEGEND_WIDTHS_CM)
        _write(row.cells[0], s.symbol, "Radit Symbol")
        _fill(row.cells[0], s.colour)
        _middle(row.cells[0])
        _write(row.cells[1], s.label, "Radit Table Text")
        _middle(row.cells[1])
        _write(row.cells[2], s.description, "Radit Table Text")
    doc.add_paragraph(content.text("legend_caption"), style="Radit Caption")


def _results(doc, content: ReportContent) -> None:
    w = RESULT_WIDTHS_CM
    table = _table(doc, len(w), w)
    head = _row(table, w, header=True)
    t = content.text
    year = (lambda y: t("year", year=y) if y is not None else "")  # noqa: E731
    heads = (t("id"), t("indicator"), f"{t('baseline')} ({year(content.baseline_year)})".replace(" ()", ""),
             f"{year(content.year)} {t('forecast')}".strip(), f"{year(content.year)} {t('actual')}".strip(),
             t("assessment"), t("basis"))
    for cell, text in zip(head.cells, heads):
        _write(cell, text, "Radit Table Heading")
        _fill(cell, HEAD_FILL)
        _middle(cell)
    for goal in content.goals:
        label = f"{t('goal')} {goal.code}" if goal.code else t("goal")
        _merged(_row(table, w), f"{label}: {goal.text}" if goal.text else (goal.code or t("none")), "Radit Goal", GOAL_FILL)
        for result in goal.results:
            if result.heading:
                _merged(_row(table, w), result.heading, "Radit Result", RESULT_FILL)
            for line in result.indicators:
                _indicator(table, w, line, content)
            _narrative(table, w, result, content)
    doc.add_paragraph(content.text("results_caption"), style="Radit Caption")


def _indicator(table, w, line: IndicatorLine, content: ReportContent) -> None:
    row = _row(table, w)
    c = row.cells
    _write(c[0], line.id, "Radit Table Text")
    _write(c[1], line.text or "", "Radit Table Text")
    _middle(c[0])
    _middle(c[1])
    for cell, value in zip(c[2:5], (line.baseline, line.forecast, line.actual)):
        _write(cell, value, "Radit Table Number")
        _middle(cell)
    _write(c[5], line.symbol, "Radit Symbol")
    if line.deviation != "–":
        c[5].add_paragraph(line.deviation, style="Radit Deviation")
    c[5].add_paragraph(line.label, style="Radit Label")  # the status in words: the colour is never alone
    _fill(c[5], line.colour)
    _middle(c[5])
    _write(c[6], line.basis, "Radit Table Text")
    _middle(c[6])


def _narrative(table, w, result: ResultGroup, content: ReportContent) -> None:
    """The justifications and explanations under the result's indicator rows, one full-width cell."""
    row = _row(table, w, cant_split=False)
    cell = row.cells[0].merge(row.cells[-1])
    first = True
    for line in result.indicators:
        par = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        par.style = "Radit Narrative Id"
        par.add_run(f"{line.id} {line.symbol} ")
        run = par.add_run(line.explanation)
        run.bold = False
        if line.justification:
            par2 = cell.add_paragraph(style="Radit Narrative")
            par2.add_run(f"{content.text('justification')}: ").italic = True
            par2.add_run(line.justification)
        else:
            par.style = "Radit Narrative"
            par.runs[0].bold = True


def _summary(doc, content: ReportContent) -> None:
    from docx.shared import Cm

    k = len(content.statuses)
    widths = (7.4, *([1.9] * k), 1.6)
    table = _table(doc, len(widths), widths)
    head = _row(table, widths, header=True)
    _write(head.cells[0], content.text("group"), "Radit Table Heading")
    _fill(head.cells[0], HEAD_FILL)
    for cell, s in zip(head.cells[1:], content.statuses):
        _write(cell, s.symbol, "Radit Symbol")
        cell.add_paragraph(s.label, style="Radit Label")
        _fill(cell, s.colour)
    _write(head.cells[-1], content.text("total"), "Radit Table Heading")
    _fill(head.cells[-1], HEAD_FILL)

    def counts(row, label: str, values, style: str, fill: str | None = None):
        _write(row.cells[0], label, style)
        for cell, n in zip(row.cells[1:], (*values, sum(values))):
            _write(cell, str(n), "Radit Table Heading" if style == "Radit Goal" else "Radit Table Number")
        if fill:
            for cell in row.cells:
                _fill(cell, fill)

    for goal in content.goals:
        label = f"{content.text('goal')} {goal.code}" if goal.code else (goal.text or content.text("none"))
        counts(_row(table, widths), label, goal.counts, "Radit Goal", GOAL_FILL)
        for result in goal.results:
            if result.short:
                counts(_row(table, widths), result.short, result.counts, "Radit Table Text")
    counts(_row(table, widths), content.text("total"), content.counts, "Radit Goal", HEAD_FILL)
    doc.add_paragraph(content.text("summary_caption"), style="Radit Caption")
    if content.chart is not None:
        from workbook.report.chart import chart_png

        png = chart_png(content.chart, content.statuses, content.text("chart_axis"))
        doc.add_picture(io.BytesIO(png), width=Cm(17.0))
        pic = doc.paragraphs[-1]
        pic.paragraph_format.keep_with_next = True
        # the picture's alternative text (wp:docPr descr): what a screen reader says
        for el in pic._p.iter():
            if el.tag.endswith("}docPr"):
                el.set("descr", content.text("chart_alt", title=content.chart.title))
                el.set("title", content.chart.title)
        doc.add_paragraph(content.text("chart_caption", title=content.chart.title), style="Radit Caption")


def _provenance(doc, content: ReportContent) -> None:
    prov = content.provenance
    doc.add_paragraph(content.text("provenance_heading"), style="Heading 1")
    t = content.text
    for label, value in ((t("prov_book"), prov.book), (t("prov_year"), "–" if prov.year is None else str(prov.year)),
                         (t("prov_rules"), prov.rules_name), (t("prov_sha"), prov.rules_sha256),
                         (t("prov_version"), f"radit {prov.version}"), (t("prov_date"), prov.time)):
        par = doc.add_paragraph(style="Radit Provenance")
        par.add_run(f"{label}: ").bold = True
        par.add_run(value)


def _problems(doc, content: ReportContent) -> None:
    doc.add_paragraph(content.text("problems_heading"), style="Heading 1")
    doc.add_paragraph(content.text("problems_intro"), style="Radit Body")
    for f in content.problems[:50]:
        doc.add_paragraph(f.render(content.lang), style="Radit Provenance")
