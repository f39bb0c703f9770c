"""One answer: the evaluated workbook's summary sheet and the report group and count the same goals and results,
also where the analyst typed a goal, result or level that differs only in white space, case or language of the
level's word."""
from __future__ import annotations

import io

import openpyxl

from workbook.cli.main import run


def _row(id_, actual, **where):
    return {"id": id_, "unit": "skaits", "baseline": 30000, "forecast": {2016: 36000}, "actual": {2016: actual},
            **where}


ROWS = (
    # one goal A and one policy result A1, typed three ways: a line break and a double space in the wording, a
    # trailing or leading space in a code, the level in lower case with a double space, the level as its key
    _row("A.1", 36000, goal_code="A", goal="Veicināt\nizglītību", level="Politikas rezultāts", result_code="A1",
         result="Pieaug  līdzdalība"),
    _row("A.2", 20000, goal_code="A ", goal="Veicināt izglītību", level="politikas  rezultāts", result_code="A1",
         result="Pieaug līdzdalība"),
    _row("A.3", 50000, goal_code="A", level="Policy_Result", result_code=" A1"),
    # a goal and an action result named only by their wording, once with runs of spaces and a line break
    _row("B.1", 20000, goal="Uzlabot   veselību", level="Darbības rezultāts", result="Samazinās\nsaslimstība"),
    _row("B.2", 36000, goal="Uzlabot veselību", level="Darbības  rezultāts", result="Samazinās saslimstība"),
    # case is not white space: a goal "a" is another goal than "A"
    _row("C.1", 36000, goal_code="a", level="DARBĪBAS REZULTĀTS", result_code="a1"),
)


def _one_space(text):
    return " ".join(text.split()) if isinstance(text, str) else text


def _summary_lines(path):
    """(label, counts per status, wording) of every goal and result line of the written summary sheet, and the total."""
    sheet = openpyxl.load_workbook(path)["Kopsavilkums"]
    rows = [tuple(r) for r in sheet.iter_rows(values_only=True)]
    top = next(i for i, r in enumerate(rows) if r[0] == "Mērķis / rezultāts")
    bottom = next(i for i, r in enumerate(rows) if r[0] == "Kopā")
    lines = [((r[0] or "").strip(), tuple(r[1:5]), _one_space(r[6])) for r in rows[top + 1:bottom]]
    assert all(r[5] == sum(r[1:5]) for r in rows[top + 1:bottom + 1])
    return lines, tuple(rows[bottom][1:5])


def _report_lines(content):
    """The same lines as the report's goals and results give them."""
    lines = []
    for goal in content.goals:
        lines.append((goal.code or "", goal.counts, goal.text))
        for result in goal.results:
            lines.append((" ".join(p for p in (result.level_text, result.code) if p), result.counts, result.text))
    return lines


def test_the_summary_sheet_and_the_report_group_alike_texts_as_one(tmp_path):
    from workbook.report.content import report_content
    from workbook.writing.newbook import BookSpec, write_master

    book = write_master(tmp_path / "book.xlsx", BookSpec(evaluation_year=2016, baseline_year=2012, rows=ROWS))
    out, err = io.StringIO(), io.StringIO()
    code = run(["evaluate", str(book), "-o", str(tmp_path / "evaluated.xlsx")], stdout=out, stderr=err)
    assert code == 0, err.getvalue()
    written, total = _summary_lines(tmp_path / "evaluated.xlsx")

    content = report_content(book)
    assert written == _report_lines(content)
    assert total == content.counts == (3, 2, 1, 0)
    assert written == [
        ("A", (1, 1, 1, 0), "Veicināt izglītību"),
        ("Politikas rezultāts A1", (1, 1, 1, 0), "Pieaug līdzdalība"),
        ("", (1, 1, 0, 0), "Uzlabot veselību"),
        ("Darbības rezultāts", (1, 1, 0, 0), "Samazinās saslimstība"),
        ("a", (1, 0, 0, 0), None),
        ("Darbības rezultāts a1", (1, 0, 0, 0), None),
    ]
    assert [[i.id for i in r.indicators] for g in content.goals for r in g.results] == [
        ["A.1", "A.2", "A.3"], ["B.1", "B.2"], ["C.1"]]
    # the evaluated book reports what the fresh one does
    assert _report_lines(report_content(tmp_path / "evaluated.xlsx")) == written


def _written_chart(path):
    """(category, counts) of the chart data block the evaluated workbook's chart reads."""
    rows = [tuple(r) for r in openpyxl.load_workbook(path)["Kopsavilkums"].iter_rows(values_only=True)]
    top = next(i for i, r in enumerate(rows) if r[0] == "Diagrammas dati") + 2
    return [(r[0], tuple(r[1:5])) for r in rows[top:] if r[0] is not None]


GOALS_ONLY = (  # no results: the chart is per goal; a long wording with a line break, and a goal with a code
    _row("G.1", 36000, goal="Uzlabot cilvēku\ntirdzniecības upuru identificēšanu un atbalstu"),
    _row("G.2", 20000, goal_code="B"),
)


def test_the_summary_chart_and_the_report_chart_have_the_same_categories(tmp_path):
    from workbook.report.content import report_content
    from workbook.writing.newbook import BookSpec, write_master

    for name, rows in (("results", ROWS), ("goals", GOALS_ONLY)):
        book = write_master(tmp_path / f"{name}.xlsx", BookSpec(evaluation_year=2016, baseline_year=2012, rows=rows))
        out = tmp_path / f"{name}-evaluated.xlsx"
        assert run(["evaluate", str(book), "-o", str(out)], stdout=io.StringIO(), stderr=io.StringIO()) == 0
        chart = report_content(book).chart
        written = _written_chart(out)
        assert written == list(zip(chart.categories, chart.values)), name
        assert all("\n" not in c and len(c) <= 27 for c, _ in written), written
