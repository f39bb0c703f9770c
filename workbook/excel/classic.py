"""The classic desktop add-in's Python side: main() for the ribbon's Evaluate button and @xw.func UDFs for Windows."""
from __future__ import annotations

import xlwings as xw

from workbook.excel import evaluate_book, udfs


def main() -> None:
    """Run by the ribbon button through RunPython "import radit;radit.main()" on the calling workbook."""
    book = xw.Book.caller()
    if book.name.lower().endswith(".xlam"):
        # Called from the add-in's own ribbon: the workbook to evaluate is the one in front, not the add-in.
        book = xw.books.active
    evaluate_book(book)


def _excel(call, *args):
    # Classic UDFs would print a Python traceback into the cell; a bad argument gets a readable error text.
    try:
        return call(*args)
    except udfs.UdfInputError as error:
        return f"{udfs.ERROR} {error}"


@xw.func
def ASSESS(forecast, actual, baseline=None, unit=None, direction=None, sample_size=None):
    """The assessment symbol (radit default rules)."""
    return _excel(udfs.assess_symbol, forecast, actual, baseline, unit, direction, sample_size)


@xw.func
def DEVIATION(forecast, actual, baseline=None, unit=None, direction=None, sample_size=None):
    """The deviation in % or p.p., or why none was computed."""
    return _excel(udfs.deviation_value, forecast, actual, baseline, unit, direction, sample_size)


@xw.func
@xw.arg("table", ndim=2)
def ASSESS_TABLE(table):
    """id, status, symbol, deviation, explanation for every row of a range with headers."""
    return _excel(udfs.assess_table, table)
