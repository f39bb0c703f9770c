"""The workbook's refusals: a file radit cannot read (WorkbookError) or will not write (WriteRefused), as data."""
from __future__ import annotations

from typing import Any

from engine.errors import CodedError
from engine.findings import Location, printable


class _FileError(CodedError):
    """A refusal about one file. `path` is the file the run was about; the location says where in it (file, sheet,
    row, column), and may name another file (the rule file a workbook names, the output folder)."""

    def __init__(self, path, code: str, message: str | None = None, *, location: Location | None = None,
                 template: str | None = None, **params: Any):
        self.path = str(path)
        legacy = message is not None and location is None and not params and template is None
        location = location if location is not None else Location()
        if location.file is None:
            location = location.replace(file=self.path)
        super().__init__(code, location, message, template=template, **params)
        self.legacy = legacy

    def where(self) -> str:
        loc = self.location
        return (loc.replace(file=None) if loc.file == self.path else loc).render()

    def render(self, lang: str = "en") -> str:
        return f"{printable(self.path)}: {self.describe(lang)} [{self.code}]"


class WorkbookError(_FileError):
    """A file that cannot be read as a master workbook at all: not a zip, encrypted, .xls, too large …

    `code` is a stable slug (not-a-zip, encrypted, legacy-xls, truncated, too-large, no-indicator-table …) of the
    catalogue (workbook.codes); `location` says where (a sheet and cell for a sheet too large to read).
    """


class WriteRefused(_FileError):
    """evaluate will not write: the workbook holds something the writer cannot patch safely, or is open in Excel."""
