"""assess_frame's shape: columns, index, absent optional columns, empty frames."""
import math

import pandas as pd

import engine
from engine.batch import OUTPUT_COLUMNS

RULES = engine.default_rules()


def test_columns_and_index_are_kept():
    df = pd.DataFrame({"id": ["a", "b"], "unit": ["count", "money"], "forecast": [36000, 0], "actual": [35280, 5]},
                      index=[10, 20])
    out = engine.assess_frame(df, RULES)
    assert list(out.columns) == list(OUTPUT_COLUMNS) and list(out.index) == [10, 20]
    assert list(out["status"]) == ["achieved", "better"] and list(out["symbol"]) == ["●", "▲"]
    assert out.loc[10, "deviation"] == -2.0 and out.loc[10, "deviation_unit"] == "%"
    assert math.isnan(out.loc[20, "deviation"]) and out.loc[20, "deviation_unit"] is None


def test_empty_frame():
    out = engine.assess_frame(pd.DataFrame({"id": [], "unit": [], "forecast": [], "actual": []}), RULES)
    assert len(out) == 0 and list(out.columns) == list(OUTPUT_COLUMNS)


def _seed_table():
    """test_engine_seed.py's table, loaded by path so any pytest import mode finds it."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("_engine_seed_table", Path(__file__).with_name("test_engine_seed.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_seed_rows_through_the_frame_match_assess():
    seed = _seed_table()
    NOT_RECEIVED, SEED, WHY = seed.NOT_RECEIVED, seed.SEED, seed.WHY

    rows = [{"id": r[0], "unit": r[1], "baseline": r[2], "forecast": r[3], "actual": r[4], "override": r[5],
             "justification": NOT_RECEIVED if r[5] else WHY} for r in SEED]
    out = engine.assess_frame(pd.DataFrame(rows), RULES)
    assert list(out["status"]) == [r[6].value for r in SEED]
    assert list(out["basis"]) == [r[7].value for r in SEED]
    assert out.set_index("id").loc["B.PR2.1", "resolved_forecast"] == 17.0


def test_pandas_missing_markers_are_empty_cells():
    df = pd.DataFrame({"id": ["a", "b"], "unit": ["money", pd.NA], "forecast": [pd.NA, 5], "actual": [5, 5],
                       "override": [pd.NA, None], "justification": [pd.NA, pd.NA]}, dtype=object)
    out = engine.assess_frame(df, RULES)
    a = engine.assess(df.iloc[0].to_dict(), RULES)
    assert (a.status.value, a.findings) == ("not_assessed", ())
    assert list(out["status"]) == ["not_assessed", "not_assessed"]
    assert list(out["findings"]) == [(), ("unknown-unit",)]


def test_odd_cells_in_text_columns():
    from decimal import Decimal

    df = pd.DataFrame({"id": [1, 1.0, Decimal("sNaN"), None], "unit": [Decimal("sNaN"), "money", True, "money"],
                       "direction": [None, Decimal("sNaN"), "lower", 5], "forecast": [1, 1, 1, 1], "actual": [1, 2, 3, 4]},
                      dtype=object)
    out = engine.assess_frame(df, RULES)
    for (_, row), (_, ind) in zip(out.iterrows(), df.iterrows()):
        a = engine.assess(ind.to_dict(), RULES)
        assert (row["id"], row["status"], row["findings"]) == (a.id, a.status.value, tuple(f.code for f in a.findings))
