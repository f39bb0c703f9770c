"""radit inside Excel through xlwings: the Evaluate action and the custom functions, for every xlwings runtime."""
from __future__ import annotations

from workbook import codes as _codes  # noqa: F401  the workbook's codes join the one catalogue before any finding

from workbook.excel.evaluate import EvaluateOutcome, evaluate_book

__all__ = ["EvaluateOutcome", "evaluate_book"]
