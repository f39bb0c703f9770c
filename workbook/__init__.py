"""Everything Excel-side: reading master workbooks, writing assessments, the CLI, the add-ins."""
