"""Named exceptions: problems in the tool or its inputs as a whole (never in one cell's data)."""
from __future__ import annotations

from dataclasses import dataclass


class RaditError(Exception):
    """Base of every error radit reports to a person; the CLI prints str(error), never a traceback."""

    exit_code = 2


@dataclass(frozen=True)
class RuleProblem:
    json_path: str  # e.g. $.indicators['A.PR1.1'].direction
    message: str

    def __str__(self) -> str:
        return f"{self.json_path}: {self.message}"


class RuleFileError(RaditError):
    """A rule file that cannot be read or does not satisfy rules/schema.json. Lists every problem."""

    def __init__(self, path: str, problems: list[RuleProblem] | list[str]):
        self.path = str(path)
        self.problems = [p if isinstance(p, RuleProblem) else RuleProblem("$", str(p)) for p in problems]
        super().__init__(self.path)

    def __reduce__(self):
        return (type(self), (self.path, self.problems))

    def __str__(self) -> str:
        lines = [f"{self.path}: the rule file is not valid ({len(self.problems)} problem{'s' if len(self.problems) != 1 else ''})"]
        lines += [f"  {p}" for p in self.problems]
        return "\n".join(lines)


class WorkbookError(RaditError):
    """A file that cannot be read as a master workbook at all: not a zip, encrypted, .xls, too large …

    `code` is a stable slug (not-a-zip, encrypted, legacy-xls, truncated, too-large, no-indicator-table …).
    """

    def __init__(self, path: str, code: str, message: str):
        self.path = str(path)
        self.code = code
        self.message = message
        super().__init__(f"{path}: {message} [{code}]")

    def __reduce__(self):  # picklable, so a validate --jobs worker can send it back to its parent
        return (type(self), (self.path, self.code, self.message))


class WriteRefused(RaditError):
    """evaluate will not write: the workbook holds something the writer cannot patch safely, or is open in Excel."""

    def __init__(self, path: str, code: str, message: str):
        self.path = str(path)
        self.code = code
        self.message = message
        super().__init__(f"{path}: {message} [{code}]")

    def __reduce__(self):
        return (type(self), (self.path, self.code, self.message))
