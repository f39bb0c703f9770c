"""Surgical .xlsx/.xlsm package writing: copy every part radit does not own, replace or add only its own."""

from workbook.writing.xlsxpatch.package import NEW_PART_DATE, rewrite_package

__all__ = ["NEW_PART_DATE", "rewrite_package"]
