"""A batch assesses the rows of several workbooks in one frame: each report must equal validate_book's."""
from __future__ import annotations

import pytest

from reading_books import GOOD_ROWS, HEAD_EN, HEAD_LV
from test_reading_batch import big_rows
from workbook.validation import validate as validate_module
from workbook.validation.validate import validate_book, validate_many


def as_compared(report):
    """Everything a report says (both of the engine's paths give exact Decimal deviations)."""
    return report.as_dict("en")


@pytest.fixture
def mixed_books(book, tmp_path):
    """Workbooks that differ in every way a group could trip on: columns present, header language, rows, errors."""
    no_sample = [r[:6] for r in big_rows(60, seed=5)]
    paths = [
        book(big_rows(120, seed=1)),
        book(no_sample, headers=HEAD_LV[:6]),  # no sample size, override, justification or stored symbol column
        book(big_rows(80, seed=2), headers=HEAD_EN),
        book([list(GOOD_ROWS[0][:-1]) + ["▼"]]),  # a stale symbol
        book([]),  # a table without rows
        book(big_rows(90, seed=3), table=False),
    ]
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    paths.insert(2, broken)
    return [str(p) for p in paths]


def _isolated(monkeypatch, isolate: bool) -> bool:
    """isolate=True: the files are read in a forked child (as radit validate reads two or more), and the groups
    are assessed in this process as they arrive."""
    if isolate:
        monkeypatch.setattr("workbook.forked.can_fork", lambda: True)  # pytest's own threads would say no
    return isolate


@pytest.mark.parametrize("jobs, isolate", [(1, False), (1, True), (2, False)])
def test_grouped_assessment_gives_each_workbook_its_own_report(mixed_books, monkeypatch, jobs, isolate):
    alone = [validate_book(p) for p in mixed_books]
    import engine.batch

    monkeypatch.setattr(validate_module, "GROUP_FILES", 4)  # several groups, one file left over
    monkeypatch.setattr(validate_module, "STREAM_GROUP_FILES", 4)
    monkeypatch.setattr(engine.batch, "FAST_PATH_MIN_ROWS", 0)  # each group down the engine's numpy path
    monkeypatch.setattr(engine.batch, "FAST_PATH_MIN_ROWS_NUMPY_LOADED", 0)
    groups = []
    real = validate_module._assess_together
    monkeypatch.setattr(validate_module, "_assess_together", lambda reads: groups.append(len(reads)) or real(reads))
    grouped = validate_many(mixed_books * 2, jobs=jobs, isolate=_isolated(monkeypatch, isolate))
    if jobs == 1:  # (the workers of jobs=2 are other processes)
        assert groups == [3, 4, 3, 2]  # groups of 4 files, less the broken ones (an empty table is a book)
    assert [r.path for r in grouped] == mixed_books * 2
    assert [as_compared(r) for r in grouped] == [as_compared(r) for r in alone * 2]
    assert [r.codes() for r in grouped] == [r.codes() for r in alone * 2]


@pytest.mark.parametrize("isolate", [False, True])
def test_a_group_with_its_own_rule_file_is_assessed_under_those_rules(book, tmp_path, monkeypatch, isolate):
    import json

    from engine.rules import default_rules

    raw = json.loads(json.dumps(default_rules().raw))
    raw["tolerance"]["value"] = 5  # other answers than the default rules for some rows
    rules = tmp_path / "strict.json"
    rules.write_text(json.dumps(raw), encoding="utf-8")
    paths = [str(book(big_rows(400, seed=s), settings={"Novērtējuma gads": 2016, "Noteikumu fails": "strict.json"}))
             for s in range(3)] + [str(book(big_rows(50, seed=9)))]
    alone = [validate_book(p) for p in paths]
    monkeypatch.setattr(validate_module, "GROUP_ROWS", 10**6)
    groups = []
    real = validate_module._assess_together
    monkeypatch.setattr(validate_module, "_assess_together", lambda reads: groups.append(len(reads)) or real(reads))
    grouped = validate_many(paths, isolate=_isolated(monkeypatch, isolate))
    assert groups == [3]  # the three books naming strict.json share its rules; the default one stays alone
    assert [as_compared(r) for r in grouped] == [as_compared(r) for r in alone]
    assert [r.error for r in grouped] == [None] * 4
    assert {r.rules_name for r in grouped} == {"strict.json", "default.json"}


@pytest.mark.parametrize("forecast, actual, deviation", [(100, 100.1, 0.1), (1000, 1000.1, 0.01), (3, 2.9, -3.333333333),
                                                       (0.3, 0.1, -66.666666667)])
def test_a_deviation_reads_the_same_down_the_vectorised_and_the_exact_path(forecast, actual, deviation, monkeypatch):
    """In floats 100.1 against 100 is 0.09999999999999432 %; the report must say 0.1 whichever path the row took."""
    import engine.batch

    from engine.rules import default_rules
    from workbook.model.rows import IndicatorRow

    values = {"id": "T.1", "unit": "money", "direction": "higher_is_better", "forecast": forecast, "actual": actual}
    rows = [IndicatorRow(2, values, {})] * 3
    rules = default_rules()
    exact = [r.as_dict()["deviation"] for r in validate_module._assess_rows(rows, rules, "Rādītāji")]
    monkeypatch.setattr(engine.batch, "FAST_PATH_MIN_ROWS", 0)
    monkeypatch.setattr(engine.batch, "FAST_PATH_MIN_ROWS_NUMPY_LOADED", 0)
    vectorised = [r.as_dict()["deviation"] for r in validate_module._assess_rows(rows, rules, "Rādītāji")]
    assert exact == vectorised
    assert exact == pytest.approx([deviation] * 3, abs=1e-9)
