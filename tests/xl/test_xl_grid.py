"""Reading the indicator table and settings from a grid of values, grouping colours, scaling percent cells."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

import engine
from workbook.excel.evaluate import runs
from workbook.model.vocabulary import sheet_kind
from workbook.excel.grid import as_year, find_table, read_settings
from workbook.excel.percent import scale_percent_row

HEADER = ["ID", "Mērvienība", "Bāzes vērtība", "Prognoze 2016", "Sasniegts 2016", "Vērtējums", "Nobīde"]


@pytest.mark.parametrize(
    "grid, header_row, last_row",
    [
        ([HEADER, ["A.1", "count", 1, 2, 3, None, None]], 0, 1),
        ([["Rādītāji"], [], HEADER, ["A.1", "count"], [None], ["A.2", "count"]], 2, 5),
        ([HEADER], 0, 0),
    ],
    ids=["header-on-top", "title-above-and-gap-inside", "no-rows"],
)
def test_the_table_is_found_below_titles_and_runs_to_the_last_id(grid, header_row, last_row):
    layout = find_table(grid)
    assert (layout.header_row, layout.first_row, layout.last_row) == (header_row, header_row + 1, last_row)
    assert layout.columns["symbol"] == 5 and layout.year_columns[("forecast", 2016)] == 3


def test_a_sheet_without_id_and_unit_headers_has_no_table():
    assert find_table([["Nosaukums", "Vērtība"], ["x", 1]]) is None


def test_settings_are_read_in_either_language():
    grid = [["Bāzes gads", 2012], ["Evaluation year", 2016.0], ["Noteikumu fails", "mine.json"], ["Other", 1], ["Valoda"]]
    assert read_settings(grid) == {"baseline_year": 2012, "evaluation_year": 2016.0, "rules_file": "mine.json", "language": None}


@pytest.mark.parametrize("name, kind", [("Rādītāji", ("indicators", "lv")), (" indicators ", ("indicators", "en")),
                                        ("Leģenda", ("legend", "lv")), ("Summary", ("summary", "en")), ("Lapa1", None)])
def test_sheet_kinds(name, kind):
    assert sheet_kind(name) == kind


@pytest.mark.parametrize("value, year", [(2016, 2016), (2016.0, 2016), (" 2016 ", 2016), (2016.5, None), (True, None), ("x", None)])
def test_years(value, year):
    assert as_year(value) == year


@given(st.lists(st.sampled_from(["#C6EFCE", "#FFC7CE", None]), max_size=40))
def test_colour_runs_cover_every_row_once_with_its_colour(colours):
    spans = runs(colours)
    rebuilt = [colour for start, end, colour in spans for _ in range(start, end + 1)]
    assert rebuilt == colours
    assert all(a[2] != b[2] for a, b in zip(spans, spans[1:]))


@pytest.mark.parametrize(
    "unit, values, expected",
    [
        ("percent", (0.15, 0.17, 0.19), (Decimal("15"), Decimal("17"), Decimal("19"))),
        ("%", (None, 0.17, 0.19), (None, Decimal("17"), Decimal("19"))),
        ("percent", (15, 17, 19), (15, 17, 19)),            # typed as numbers in percent: unchanged
        ("percent", (0, 1, 1), (0, 1, 1)),                  # whole numbers only: nothing says percent format
        ("percent", ("15%", "+ 2%", 0.19), ("15%", "+ 2%", Decimal("19"))),
        ("count", (0.5, 0.25, 0.75), (0.5, 0.25, 0.75)),    # not a percentage unit
    ],
)
def test_percent_formatted_cells_are_read_in_percent(unit, values, expected):
    row = {"id": "x", "unit": unit, "baseline": values[0], "forecast": values[1], "actual": values[2]}
    scaled = scale_percent_row(row, engine.default_rules())
    assert (scaled["baseline"], scaled["forecast"], scaled["actual"]) == expected


def test_a_share_stored_as_fractions_is_two_points_and_achieved():
    row = {"id": "x", "unit": "percent", "baseline": None, "forecast": 0.19, "actual": 0.17}
    a = engine.assess(scale_percent_row(row, engine.default_rules()), engine.default_rules())
    assert (a.status.value, a.deviation) == ("achieved", Decimal("-2"))
