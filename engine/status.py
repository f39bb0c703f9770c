"""The four assessment statuses of Table 1 and the basis that decided each one."""
from __future__ import annotations

from enum import Enum


class Status(str, Enum):
    ACHIEVED = "achieved"
    WORSE = "worse"
    BETTER = "better"
    NOT_ASSESSED = "not_assessed"

    def __str__(self) -> str:  # f-strings and JSON show "achieved", not "Status.ACHIEVED"
        return self.value


class Basis(str, Enum):
    COMPUTED = "computed"  # the deviation (or milestone, range, zero-forecast rule) decided it
    QUALITATIVE = "qualitative"  # the small-sample rule: no percentage deviation
    OVERRIDE = "override"  # the analyst set the status, with a justification
    NONE = "none"  # nothing to assess

    def __str__(self) -> str:
        return self.value


UNITS = ("count", "money", "hours", "percent", "percent_change", "milestone")
DIRECTIONS = ("higher_is_better", "lower_is_better", "closer_is_better")
