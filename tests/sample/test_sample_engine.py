"""The sample against the engine and the validator: every small-sample row is justified, nothing errs."""
from __future__ import annotations

import importlib

import pytest

from workbook.cli.sample import load_sample_source
from workbook.writing.legend import legend_rows

import engine


@pytest.fixture(scope="module")
def assessments():
    from pathlib import Path

    spec = load_sample_source(Path(__file__).resolve().parents[2] / "samples" / "seed-2016.toml")
    rules = engine.default_rules()
    result = {}
    for row in spec.rows:
        indicator = {key: row.get(key) for key in
                     ("id", "unit", "baseline", "sample_size", "direction", "override", "justification")}
        indicator["forecast"] = row["forecast"].get(spec.evaluation_year)
        indicator["actual"] = row["actual"].get(spec.evaluation_year)
        result[row["id"]] = engine.assess(indicator, rules)
    return result


def test_assessing_the_sample_gives_no_error_finding(assessments):
    errors = [(f.code, a.id, f.location.field) for a in assessments.values() for f in a.findings
              if str(f.severity) == "error"]
    assert errors == []
    assert len(assessments) == 27


@pytest.mark.parametrize("indicator_id, status, basis", [
    ("A.AR1.1", "achieved", "computed"),      # 35 782 against 36 000: −0.61 %
    ("B.PR2.1", "achieved", "computed"),      # 19 % against 15 % + 2 p.p.: exactly on the tolerance
    ("A.PR2.1", "worse", "qualitative"),      # 17 against 24, a sample of 24
    ("A.AR4.1", "not_assessed", "none"),      # milestone not due in 2016
    ("A.AR5.1", "not_assessed", "none"),
    ("B.AR4.2", "not_assessed", "override"),  # data not received
])
def test_the_sample_reads_as_the_source_assesses_it(assessments, indicator_id, status, basis):
    got = assessments[indicator_id]
    assert (got.status.value, got.basis.value) == (status, basis)


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_the_legend_follows_the_rules(lang):
    rules = engine.default_rules()
    rows = legend_rows(rules, lang)
    assert [r.status for r in rows] == [getattr(s, "value", s) for s in rules.statuses]
    assert [r.symbol for r in rows] == [rules.symbol(s) for s in rules.statuses]
    assert [r.label for r in rows] == [rules.label(s, lang) for s in rules.statuses]


@pytest.mark.parametrize("lang, labels", [
    ("lv", ["Rezultāts sasniegts", "Rezultāts sliktāks par prognozēto", "Rezultāts labāks par prognozēto",
            "Nav vērtēts"]),
    ("en", ["Result achieved", "Result worse than forecast", "Result better than forecast", "Not assessed"]),
])
def test_the_legend_carries_table_1_of_the_source(lang, labels):
    rows = legend_rows(None, lang)
    assert [r.label for r in rows] == labels
    assert [r.status for r in rows] == ["achieved", "worse", "better", "not_assessed"]
    assert all(r.colour.startswith("#") and len(r.colour) == 7 for r in rows)


def test_the_legend_refuses_an_unknown_language():
    with pytest.raises(ValueError):
        legend_rows(None, "de")


def _validator():
    try:
        return importlib.import_module("workbook.validation.validate").validate_book
    except (ImportError, AttributeError):
        return None


def test_the_committed_sample_validates(sample_book):
    report = _validator()(sample_book)
    assert [(f.code, f.location.cell) for f in report.findings if str(f.severity) == "error"] == []
    assert report.valid
    assert len(report.indicators) == 27


def test_the_sample_tally_is_the_one_the_readme_states(assessments):
    from collections import Counter

    tally = Counter(a.status.value for a in assessments.values())
    assert tally == {"achieved": 6, "worse": 11, "better": 7, "not_assessed": 3}


def test_the_readme_main_job_table_shows_what_the_engine_gives(assessments):
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("<!-- section:main-job -->", 1)[1].split("<!-- section:", 1)[0]
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in section.splitlines()
            if line.startswith("| A.") or line.startswith("| B.")]
    shown = {r[0]: (r[3], r[4], r[5]) for r in rows}
    assert shown == {i: (a.symbol, a.format_deviation("en"), a.basis.value) for i, a in assessments.items()}


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_an_empty_new_book_validates(tmp_path, run_radit, lang):
    book = tmp_path / f"new-{lang}.xlsx"
    assert run_radit("new", book, "--lang", lang, "--year", 2016).code == 0
    report = _validator()(book)
    assert report.error is None
    assert [(f.code, f.location.cell) for f in report.findings] == []
    assert report.indicators == ()
