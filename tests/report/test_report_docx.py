"""The Word report, opened with python-docx: the source's results table, Table 1, the summary, real Word structure."""
from __future__ import annotations

import io

import pytest

from tests.report.conftest import SAMPLE, sample_ids

docx = pytest.importorskip("docx", reason="python-docx is not installed")
from docx.oxml.ns import qn  # noqa: E402


@pytest.fixture(scope="module")
def document(content):
    from workbook.report.docx import render_docx

    return docx.Document(io.BytesIO(render_docx(content)))


def _fill(cell) -> str | None:
    shd = cell._tc.tcPr.find(qn("w:shd")) if cell._tc.tcPr is not None else None
    return None if shd is None else "#" + shd.get(qn("w:fill"))


def _rows(table):
    """(kind, first cell text, row) per row: header, merged (goal, result, narrative) or indicator."""
    out = []
    for row in table.rows:
        tr_pr = row._tr.trPr
        if tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None:
            out.append(("header", row.cells[0].text, row))
        elif len(row._tr.tc_lst) == 1:
            out.append(("merged", row.cells[0].text, row))
        else:
            out.append(("indicator", row.cells[0].text, row))
    return out


def test_the_results_table_holds_every_indicator_in_order_under_its_goal_and_result(document):
    table = document.tables[1]
    rows = _rows(table)
    assert rows[0][0] == "header" and [k for k, _, _ in rows].count("header") == 1
    assert [t for k, t, _ in rows if k == "indicator"] == sample_ids()
    merged = [t for k, t, _ in rows if k == "merged"]
    goals = [t for t in merged if t.startswith("Politikas definētais mērķis")]
    assert [g.split(":")[0] for g in goals] == ["Politikas definētais mērķis A", "Politikas definētais mērķis B"]
    # each indicator sits under the goal and result the workbook names, in the source's order
    goal = result = None
    seen = []
    for kind, text, _ in rows[1:]:
        if kind == "merged" and text.startswith("Politikas definētais mērķis"):
            goal = text.split(":")[0][-1]
        elif kind == "merged" and text.startswith(("Politikas rezultāts", "Darbības rezultāts")):
            result = text.split(":")[0]
        elif kind == "indicator":
            level = "Politikas rezultāts" if ".PR" in text else "Darbības rezultāts"
            number = text.split(".")[1][2:]
            assert goal == text[0] and result == f"{level} {goal}{number}", text
            seen.append(text)
    assert len(seen) == 27


def test_the_header_row_repeats_on_every_page_and_names_the_years(document):
    header = document.tables[1].rows[0]
    assert header._tr.trPr.find(qn("w:tblHeader")).get(qn("w:val")) == "true"
    texts = [c.text for c in header.cells]
    assert texts[:2] == ["ID", "Rezultatīvais rādītājs"]
    assert texts[2:6] == ["Bāzes vērtība (2012.gads)", "2016.gads prognoze", "2016.gads sasniegtais",
                          "Vērtējums (nobīde no prognozētā)"]


def test_each_assessment_shows_its_symbol_in_its_colour_its_deviation_and_its_label(document, content):
    rows = [r for k, _, r in _rows(document.tables[1]) if k == "indicator"]
    for row, line in zip(rows, content.indicators):
        cell = row.cells[5]
        paragraphs = [p.text for p in cell.paragraphs]
        assert paragraphs[0] == line.symbol and paragraphs[-1] == line.label
        assert (line.deviation in paragraphs) == (line.deviation != "–")
        assert _fill(cell) == line.colour
        assert cell.paragraphs[0].style.name == "Radit Symbol"
        assert [c.text for c in row.cells[2:5]] == [line.baseline, line.forecast, line.actual]
        assert row.cells[6].text == line.basis
    by_id = {line.id: line for line in content.indicators}
    assert by_id["B.AR1.1"].deviation == "−48,50 %" and by_id["A.AR2.2"].deviation == "+339,00 p.p."


def test_the_justifications_and_explanations_sit_under_each_result(document, content):
    rows = _rows(document.tables[1])
    for goal in content.goals:
        for result in goal.results:
            last = result.indicators[-1].id
            at = next(i for i, (k, t, _) in enumerate(rows) if k == "indicator" and t == last)
            kind, text, _ = rows[at + 1]
            assert kind == "merged"
            for line in result.indicators:
                assert f"{line.id} {line.symbol} {line.explanation}" in text
                if line.justification:
                    assert f"Pamatojums: {line.justification}" in text


def test_table_1_is_the_legend_of_the_rule_file_in_use(document):
    legend = document.tables[0]
    assert [c.text for c in legend.rows[0].cells] == ["Simbols", "Vērtējums", "Skaidrojums"]
    rows = [(r.cells[0].text, r.cells[1].text, _fill(r.cells[0])) for r in legend.rows[1:]]
    assert rows == [("●", "Rezultāts sasniegts", "#C6EFCE"), ("▼", "Rezultāts sliktāks par prognozēto", "#FFC7CE"),
                    ("▲", "Rezultāts labāks par prognozēto", "#BDD7EE"), ("-", "Nav vērtēts", "#D9D9D9")]
    captions = [p.text for p in document.paragraphs if p.style.name == "Radit Caption"]
    assert captions[0] == "1.tabula. Rezultatīvo rādītāju novērtēšanai izmantoto simbolu skaidrojums"


def test_the_summary_counts_per_goal_and_result_with_a_chart_and_provenance(document, content):
    summary = document.tables[2]
    lines = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in summary.rows[1:]}
    assert lines["Politikas definētais mērķis A"] == ["4", "3", "4", "2", "13"]
    assert lines["Politikas definētais mērķis B"] == ["2", "8", "3", "1", "14"]
    assert lines["Darbības rezultāts B4"] == ["0", "1", "1", "1", "3"]
    assert lines["Kopā"] == ["6", "11", "7", "3", "27"]
    assert len(document.inline_shapes) == 1  # the chart, a PNG
    descr = document.inline_shapes[0]._inline.docPr.get("descr")
    assert descr.startswith("Stabiņu diagramma: Rādītāju vērtējumi pa rezultātiem")
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Noteikumu fails: default.json" in text and "Novērtējuma gads: 2016" in text
    assert f"SHA-256: {content.provenance.rules_sha256}" in text and "Novērtēja: radit" in text


def test_a_landscape_section_holds_the_wide_table_and_styles_do_the_formatting(document):
    from docx.enum.section import WD_ORIENT

    orientations = [s.orientation for s in document.sections]
    assert orientations == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    assert document.sections[1].page_width > document.sections[1].page_height
    names = {s.name for s in document.styles}
    assert {"Radit Symbol", "Radit Goal", "Radit Result", "Radit Narrative", "Radit Table Text"} <= names
    # no run of the results table carries its own font or size: the named styles do
    for row in document.tables[1].rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                assert p.style.name.startswith("Radit")
                assert all(r.font.size is None and r.font.name is None for r in p.runs)
    assert document.core_properties.title == "Rezultatīvo rādītāju novērtējums 2016"


def test_english_words_and_numbers(tmp_path):
    from workbook.report.content import report_content
    from workbook.report.docx import render_docx

    d = docx.Document(io.BytesIO(render_docx(report_content(SAMPLE, lang="en"))))
    header = [c.text for c in d.tables[1].rows[0].cells]
    assert header == ["ID", "Performance indicator", "Baseline (2012)", "2016 forecast", "2016 achieved",
                      "Assessment (deviation from forecast)", "Basis"]
    row = next(r for r in d.tables[1].rows if r.cells[0].text == "A.AR1.1")
    assert [p.text for p in row.cells[5].paragraphs] == ["●", "−0.61 %", "Result achieved"]
    assert row.cells[3].text == "36 000"  # typed as text in the workbook: shown as typed
    numbers = next(r for r in d.tables[1].rows if r.cells[0].text == "A.AR2.1")
    assert numbers.cells[4].text == "1,748"  # a number cell: formatted as the explanation formats it
