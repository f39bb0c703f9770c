"""Everything Excel-side: reading master workbooks, writing assessments, the CLI, the add-ins.

Nothing is imported here: the pytest plugin (workbook.pytest_plugin) loads into every pytest run of whoever installs
radit. Each subpackage imports workbook.codes, so the workbook's codes join the one catalogue before any finding.
"""
