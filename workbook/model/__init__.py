"""The one model of a master workbook: its vocabulary, the header, the table, settings, years, rule file and rows, over a grid of cells."""

from workbook import codes as _codes  # noqa: F401  the workbook's codes join the one catalogue before any finding
