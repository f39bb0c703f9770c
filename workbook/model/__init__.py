"""The one model of a master workbook: its vocabulary, the header, the table, settings, years, rule file and rows, over a grid of cells."""
