"""The headless source of the model: the .xlsx package guarded, indexed and scanned, its sheets read by python-calamine."""

from workbook import codes as _codes  # noqa: F401  the workbook's codes join the one catalogue before any finding
