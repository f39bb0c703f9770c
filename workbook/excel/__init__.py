"""radit inside Excel through xlwings: the Evaluate action and the custom functions, for every xlwings runtime."""
from __future__ import annotations

from workbook.excel.evaluate import EvaluateOutcome, evaluate_book

__all__ = ["EvaluateOutcome", "evaluate_book"]
