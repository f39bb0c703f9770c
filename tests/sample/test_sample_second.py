"""The second sample, a real ministry table (samples/iem-2020.toml: the Ministry of the Interior's policy results for
2020): its workbook matches its source, `radit evaluate` gives the statuses worked out by hand from the methodology,
and what radit reports about it are the marks the published table carries, not tool failures."""
from __future__ import annotations

import json
from decimal import Decimal as D
from pathlib import Path

import pytest
from openpyxl import load_workbook

import engine

REPO = Path(__file__).resolve().parents[2]
SOURCE = REPO / "samples" / "iem-2020.toml"
BOOK = REPO / "samples" / "iem-2020.xlsx"

# id -> (status, deviation in % or p.p. to 2 places, or None), by hand: tolerance 2 (inclusive), p.p. for shares,
# relative deviation for counts and measured quantities, a count with a forecast of at most 100 qualitative.
EXPECTED = {
    "N.PR1.1": ("better", "4.82"),       # 20 125 against 19 200
    "N.PR1.2": ("better", "41.26"),      # 6074 against 4300
    "N.PR1.3": ("better", "3.00"),       # 14,1 % against 10,1 % + 1 p.p. = 11,1 %
    "N.PR1.4": ("worse", "-36.29"),      # 223 against 350
    "N.PR1.5": ("worse", "-12.00"),      # 352 against 400
    "N.PR1.6": ("better", "41.30"),      # 1413 against 1000
    "N.PR1.7": ("better", None),         # 137 against 90: a count with forecast <= 100, qualitative
    "N.PR2.1": ("better", "-7.79"),      # 2047 against 2220 per 100 000, lower is better
    "N.PR2.2": ("better", "-5.58"),      # 812 against 860, lower is better
    "N.PR2.3": ("achieved", "1.10"),     # 11,9 % against 10,8 %: +1,1 p.p., within 2 p.p.
    "N.PR2.4": ("worse", "2.23"),        # 4,12 against 4,03 per 100 000, lower is better
    "S.PR0.1": ("worse", "-4.30"),       # 75,7 % against 80 %
    "S.PR1.1": ("achieved", "1.71"),     # 7,44 against 7,315 per 100 000
    "S.PR1.2": ("worse", "-42.50"),      # 1495 against 2600
    "S.PR2.1": ("not_assessed", None),   # no forecast ("-")
    "S.PR2.2": ("not_assessed", None),   # no forecast ("-")
    "U.PR1.1": ("better", "-16.95"),     # 365,4 against 440 per 100 000, lower is better
    "U.PR1.2": ("better", "-21.72"),     # 1957 against 2500, lower is better
    "U.PR2.1": ("worse", "10.00"),       # 4,4 against 4 per 100 000: a rate, not a sample of 4
    "U.PR2.2": ("better", "-4.00"),      # 14,4 against 15 per 100 000
    "U.PR3.1": ("better", "-6.67"),      # 8,4 against 9 min
    "U.PR3.2": ("achieved", "-0.20"),    # 49,2 against 49,3 min
    "U.PR3.3": ("worse", "-8.00"),       # 69 % against 77 %
    "U.PR4.1": ("worse", "-5.37"),       # 3,63 % against 9 %
}

# The marks of the published table, each at its cell: a footnote marker, an approximation, a three-decimal comma.
EXPECTED_MARKS = sorted([
    ("footnote-marker", "N.PR1.3", "baseline"), ("footnote-marker", "N.PR1.6", "baseline"),
    ("footnote-marker", "N.PR1.7", "baseline"), ("footnote-marker", "N.PR2.1", "baseline"),
    ("footnote-marker", "N.PR2.2", "baseline"), ("footnote-marker", "N.PR2.3", "baseline"),
    ("footnote-marker", "N.PR2.4", "baseline"), ("footnote-marker", "S.PR0.1", "baseline"),
    ("footnote-marker", "S.PR1.1", "baseline"), ("footnote-marker", "U.PR1.2", "baseline"),
    ("footnote-marker", "S.PR1.2", "forecast"), ("approximate-value", "S.PR1.2", "baseline"),
    ("ambiguous-decimal-comma", "S.PR1.1", "forecast"),
])
TOOL_FAILURES = {"unknown-unit", "unknown-direction", "unknown-override", "unparseable-value", "value-not-allowed",
                 "two-values", "invalid-range", "formula-without-value"}


def test_the_committed_second_sample_matches_its_source(run_radit):
    ran = run_radit("sample", "build", "--check", "--source", SOURCE, "--out", BOOK)
    assert ran.code == 0, ran.out + ran.err


def test_a_rebuild_gives_the_committed_bytes(tmp_path, run_radit):
    out = tmp_path / "iem.xlsx"
    assert run_radit("sample", "build", "--source", SOURCE, "--out", out).code == 0
    assert out.read_bytes() == BOOK.read_bytes()


def test_the_source_names_where_it_is_from():
    text = SOURCE.read_text(encoding="utf-8")
    for url in ("https://www.iem.gov.lv/lv/statistika-1", "https://www.iem.gov.lv/lv/statistika-0",
                "https://www.iem.gov.lv/lv/statistika-3"):
        assert url in text
    assert "Ministrijas sasniedzamie politikas rezultāti (2020-2022)" in text


def _evaluated(tmp_path, run_radit) -> dict[str, str]:
    """id -> status, from the symbols radit evaluate writes into a copy of the sample."""
    from workbook.model.vocabulary import SHEETS, field_for_header

    out = tmp_path / "iem-evaluated.xlsx"
    ran = run_radit("evaluate", BOOK, "-o", out)
    assert ran.code == 0, ran.out + ran.err
    assert "24 rādītāji" in ran.out
    ws = load_workbook(out)[SHEETS["indicators"]["lv"]]
    column = {field_for_header(c.value)[0]: c.column - 1 for c in ws[1] if field_for_header(c.value)}
    rules = engine.default_rules()
    return {row[column["id"]]: rules.status_from_text(row[column["symbol"]]).value
            for row in ws.iter_rows(min_row=2, values_only=True) if row[column["id"]]}


def test_evaluate_gives_the_hand_worked_statuses(tmp_path, run_radit):
    assert _evaluated(tmp_path, run_radit) == {i: status for i, (status, _) in EXPECTED.items()}


def _report(run_radit) -> dict:
    ran = run_radit("validate", BOOK, "--format", "json")
    assert ran.code == 0, ran.out + ran.err  # valid: warnings only
    (report,) = json.loads(ran.out)
    return report


def test_validate_gives_the_hand_worked_deviations(run_radit):
    report = _report(run_radit)
    got = {i["id"]: (i["status"], None if i["deviation"] is None else f"{D(str(i['deviation'])):.2f}")
           for i in report["indicators"]}
    assert got == EXPECTED


def test_the_findings_are_the_marks_of_the_published_table_not_tool_failures(run_radit):
    report = _report(run_radit)
    assert report["errors"] == 0 and report["valid"]
    codes = {f["code"] for f in report["findings"]}
    assert not codes & TOOL_FAILURES
    assert codes <= {"number-stored-as-text", "footnote-marker", "approximate-value", "ambiguous-decimal-comma"}
    marks = sorted((f["code"], f["indicator"], f["field"]) for f in report["findings"] if f["code"] != "number-stored-as-text")
    assert marks == EXPECTED_MARKS
    assert all(f["cell"] and f["sheet"] == "Rādītāji" for f in report["findings"])  # located at the cell


@pytest.mark.parametrize("indicator_id", ["N.PR2.1", "N.PR2.4", "S.PR1.1", "U.PR1.1", "U.PR2.1", "U.PR2.2", "U.PR3.1", "U.PR3.2"])
def test_rates_and_durations_are_measured_quantities_with_a_computed_deviation(run_radit, indicator_id):
    indicator = next(i for i in _report(run_radit)["indicators"] if i["id"] == indicator_id)
    assert (indicator["basis"], indicator["deviation_unit"]) == ("computed", "%")
