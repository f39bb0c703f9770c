"""Validation of master workbooks: reports per workbook, batches across processes, text/JSON/JUnit output."""

from workbook import codes as _codes  # noqa: F401  the workbook's codes join the one catalogue before any finding
