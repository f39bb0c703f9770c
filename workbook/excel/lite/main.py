"""radit for xlwings Lite: the Evaluate script and the ASSESS, DEVIATION and ASSESS_TABLE custom functions.

It imports radit (workbook.excel), which Lite does not have: `radit addin lite` writes a self-contained
main.py that carries radit's sources followed by this file's code; paste that one into Lite. This
file is also importable as `workbook.excel.lite.main` (tests, xlwings Server).
"""
import xlwings as xw
from xlwings import arg, func, script

from workbook.excel import evaluate_book
from workbook.excel import udfs


@script(name="Evaluate")
def evaluate(book: xw.Book):
    """Assess every indicator and write symbols, colours, deviations, the legend and the summary."""
    evaluate_book(book)


@func
@arg("forecast", doc="the forecast (target) for the evaluation year")
@arg("actual", doc="the achieved value for the evaluation year")
@arg("baseline", doc="the baseline value (needed for forecasts such as +2 % against the baseline)")
@arg("unit", doc="count, money, hours, percent, percent_change, milestone or an alias (default count)")
@arg("direction", doc="higher_is_better (default), lower_is_better or closer_is_better")
@arg("sample_size", doc="the n behind a count or a share (small-sample rule)")
def assess(forecast, actual, baseline=None, unit=None, direction=None, sample_size=None):
    """The assessment symbol: ● achieved, ▼ worse, ▲ better, - not assessed (radit default rules)."""
    return udfs.assess_symbol(forecast, actual, baseline, unit, direction, sample_size)


@func
def deviation(forecast, actual, baseline=None, unit=None, direction=None, sample_size=None):
    """The deviation from the forecast in % (or p.p. for percentages), or why none was computed."""
    return udfs.deviation_value(forecast, actual, baseline, unit, direction, sample_size)


@func
@arg("table", ndim=2, doc="an indicator range with its header row (ID, Unit, Baseline, Forecast YYYY, Achieved YYYY …)")
def assess_table(table):
    """One row per indicator: id, status, symbol, deviation, explanation."""
    return udfs.assess_table(table)
