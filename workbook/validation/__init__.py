"""Validation of master workbooks: reports per workbook, batches across processes, text/JSON/JUnit output."""
