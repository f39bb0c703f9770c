"""Refusals of the model: a finding that stops the work, raised with the same code, template and location
(the codes are declared in workbook.codes)."""
from __future__ import annotations

from engine.findings import Finding, Location


def refusal(code: str, location: Location, **params):
    """The exception for a refusal with this code at this location (its text rendered from the catalogue)."""
    from workbook.errors import WorkbookError

    error = WorkbookError(location.file or "", code, location=location, **params)
    error.finding = Finding(code, location, params)  # the same problem as a finding, for a report
    return error
