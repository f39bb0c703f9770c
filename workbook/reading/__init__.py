"""The headless source of the model: the .xlsx package guarded, indexed and scanned, its sheets read by python-calamine."""
