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

    def label(self, lang: str = "lv") -> str:
        """What the basis column of the workbook shows, in the workbook's language."""
        return BASIS_LABELS["en" if lang == "en" else "lv"][self]


BASIS_LABELS = {
    "lv": {Basis.COMPUTED: "aprēķināts", Basis.QUALITATIVE: "kvalitatīvs (maza izlase)",
           Basis.OVERRIDE: "analītiķa vērtējums", Basis.NONE: "nav vērtēts"},
    "en": {Basis.COMPUTED: "computed", Basis.QUALITATIVE: "qualitative (small sample)",
           Basis.OVERRIDE: "analyst override", Basis.NONE: "not assessed"},
}


# measure: a measured quantity (a rate per 100 000 inhabitants, an average, minutes, km, an index, a
# coefficient): relative deviation like money, never the small-sample rule (it is not a count of units).
UNITS = ("count", "money", "hours", "percent", "percent_change", "milestone", "measure")
PERCENT_UNITS = frozenset({"percent", "percent_change"})  # units whose numbers a percent number format shows ×100
DIRECTIONS = ("higher_is_better", "lower_is_better", "closer_is_better")
