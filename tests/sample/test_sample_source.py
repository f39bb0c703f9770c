"""The sample's TOML source: the 27 indicators of the source document, transcribed and justified."""
from __future__ import annotations

import re
import tomllib

import pytest

from workbook.cli.sample import load_sample_source
from workbook.writing.newbook import UNITS

EXPECTED_IDS = [
    "A.PR1.1", "A.PR1.2", "A.PR2.1", "A.PR2.2",
    "A.AR1.1", "A.AR1.2", "A.AR2.1", "A.AR2.2", "A.AR3.1", "A.AR3.2", "A.AR4.1", "A.AR5.1", "A.AR6.1",
    "B.PR1.1", "B.PR1.2", "B.PR2.1", "B.PR2.2",
    "B.AR1.1", "B.AR1.2", "B.AR2.1", "B.AR2.2", "B.AR2.3", "B.AR2.4", "B.AR3.1", "B.AR4.1", "B.AR4.2", "B.AR4.3",
]


@pytest.fixture(scope="module")
def spec():
    from pathlib import Path

    return load_sample_source(Path(__file__).resolve().parents[2] / "samples" / "seed-2016.toml")


@pytest.fixture(scope="module")
def rows(spec):
    return {row["id"]: row for row in spec.rows}


def test_the_source_has_27_indicators_with_unique_ids_in_table_order(spec):
    assert [row["id"] for row in spec.rows] == EXPECTED_IDS


def test_the_source_has_two_goals(sample_source):
    goals = tomllib.loads(sample_source.read_text(encoding="utf-8"))["goals"]
    assert [g["code"] for g in goals] == ["A", "B"]
    assert goals[0]["text"].startswith("Veicināt sabiedrības informētību")
    assert goals[1]["text"].startswith("Panākt cilvēku tirdzniecības latentuma samazināšanos")


def test_the_settings_are_those_of_the_source(spec):
    assert (spec.baseline_year, spec.evaluation_year, spec.rules_file, spec.lang) == (2012, 2016, "default.json", "lv")
    assert spec.actual_years == (2014, 2015, 2016)


def test_every_id_agrees_with_its_goal_level_and_result(spec):
    for row in spec.rows:
        goal, kind, result, number = re.fullmatch(r"([AB])\.(PR|AR)(\d)\.(\d)", row["id"]).groups()
        assert row["goal_code"] == goal
        assert row["level"] == {"PR": "policy_result", "AR": "action_result"}[kind]
        assert row["result_code"] == f"{goal}{result}"
        assert row["baseline_year"] == 2012
        assert row["unit"] in UNITS
        assert set(row["forecast"]) == {2016}  # the source forecasts only the evaluation year


@pytest.mark.parametrize("indicator_id, baseline, forecast, actual", [
    ("A.PR1.1", 8, 9, 170),
    ("A.PR2.2", "88 949", "88 949", "49 471"),
    ("A.AR1.1", "35 702", "36 000", "35 782"),
    ("A.AR1.2", "35 – 70>", "35 – 70>", "35 – 70>"),
    ("A.AR2.1", 55, 60, 1748),
    ("A.AR2.2", "+5%", "+10% (salīdzinājumā ar 2012.gadu)", "+349% (salīdzinājumā ar 2012.gadu)"),
    ("A.AR4.1", 0, 0, 0),
    ("A.AR5.1", 0, 0, 0),
    ("A.AR6.1", 0, 1, 1),
    ("B.PR2.1", "15%", "+ 2% (salīdzinājumā ar 2012.gadu)", "19%"),
    ("B.AR2.2", 6, 7, 1),
    ("B.AR4.2", 0, 1, 0),
    ("B.AR4.3", 4296, 4300, 2072),
])
def test_values_are_transcribed_as_the_source_types_them(rows, indicator_id, baseline, forecast, actual):
    row = rows[indicator_id]
    assert (row["baseline"], row["forecast"][2016], row["actual"][2016]) == (baseline, forecast, actual)


@pytest.mark.parametrize("indicator_id, unit", [
    ("A.PR2.2", "money"), ("A.AR1.2", "hours"), ("A.AR2.2", "percent_change"), ("B.PR2.1", "percent"),
    ("B.AR2.2", "percent"), ("A.AR4.1", "milestone"), ("A.AR5.1", "milestone"), ("A.AR6.1", "milestone"),
    ("A.PR1.1", "count"), ("B.AR4.3", "count"),
])
def test_units_follow_the_documented_choices(rows, indicator_id, unit):
    assert rows[indicator_id]["unit"] == unit


@pytest.mark.parametrize("indicator_id, years", [
    ("A.PR2.1", {2014: 38, 2015: 20}),
    ("A.AR1.1", {2014: "35 508", 2015: "35 918"}),
    ("A.AR2.1", {2014: 870, 2015: 354}),
    ("B.PR1.2", {2014: 15, 2015: 17}),
    ("B.AR2.3", {2014: 4, 2015: 2}),
    ("B.AR3.1", {2014: 1, 2015: 3}),
    ("B.AR4.3", {2014: 4073, 2015: 2691}),
])
def test_the_narratives_yearly_figures_fill_the_achieved_2014_and_2015_columns(rows, indicator_id, years):
    assert {y: v for y, v in rows[indicator_id]["actual"].items() if y != 2016} == years


def test_every_small_count_has_a_justification(rows):
    small = [r["id"] for r in rows.values() if r["unit"] == "count" and _number(r["forecast"][2016]) <= 100]
    assert len(small) == 15
    assert [i for i in small if not (rows[i]["justification"] or "").strip()] == []


def test_the_model_agency_checks_are_overridden_as_not_assessed(rows):
    row = rows["B.AR4.2"]
    assert row["override"] == "not_assessed"
    assert row["justification"] == "Rezultatīvie rādītāji par modeļu aģentūrās veikto pārbaužu skaitu nav saņemti."
    assert [r["id"] for r in rows.values() if r["override"]] == ["B.AR4.2"]


def test_milestones_not_due_need_no_override(rows):
    assert rows["A.AR4.1"]["override"] is None and rows["A.AR5.1"]["override"] is None


def _number(value) -> float:
    return float(str(value).replace(" ", ""))
