"""What radit writes, computed once (output cells, legend, summary), and the package writer that renders it into the .xlsx."""

from workbook import codes as _codes  # noqa: F401  the workbook's codes join the one catalogue before any finding
