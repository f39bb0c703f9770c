"""pytest plugin: master workbooks as tests, one item per indicator row (opt-in: --radit, or radit = true in the ini).

Installed with radit under the pytest11 entry point, it is loaded into every pytest run of everyone who installs
radit, so it imports nothing heavy and collects nothing until asked to.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

SUFFIXES = (".xlsx", ".xlsm")
BOOK_ITEM = "workbook"  # the item for findings that belong to no single indicator row


class RaditWarning(UserWarning):
    """A finding of severity warning in a workbook (shown in pytest's warnings summary, never a failure)."""


class RaditFailure(Exception):
    """Error findings of one item; repr_failure shows them one per line."""

    def __init__(self, lines: list[str]):
        super().__init__("\n".join(lines))
        self.lines = lines


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("radit", "radit: master workbooks as tests")
    group.addoption("--radit", action="store_true", default=False,
                    help="collect .xlsx/.xlsm master workbooks and validate every indicator row as a test")
    group.addoption("--radit-rules", metavar="FILE", default=None,
                    help="JSON rule file (default: each workbook's own setting, else default.json)")
    group.addoption("--radit-year", metavar="YYYY", type=int, default=None, help="evaluation year for every workbook")
    group.addoption("--radit-lang", choices=("lv", "en"), default=None, help="language of the failure messages (default en)")
    parser.addini("radit", type="bool", default=False, help="collect master workbooks as tests (like --radit)")
    parser.addini("radit_rules", default=None, help="JSON rule file for radit (like --radit-rules)")
    parser.addini("radit_lang", default=None, help="language of radit's messages: lv or en")


def _enabled(config: pytest.Config) -> bool:
    return bool(config.getoption("radit") or config.getini("radit"))


_RULES = pytest.StashKey[object]()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "radit: a master-workbook check collected by radit")
    if not _enabled(config):
        return
    rules_file = config.getoption("radit_rules") or config.getini("radit_rules")
    rules = None
    if rules_file:
        from engine.errors import RaditError
        from engine.rules import load_rules

        path = Path(rules_file)
        if not path.is_absolute() and config.getini("radit_rules") == rules_file and config.inipath:
            path = Path(config.inipath).parent / path
        try:
            rules = load_rules(path)
        except RaditError as exc:  # a bad rule file is a usage error, reported once, not per workbook
            raise pytest.UsageError(f"radit: {exc}") from None
    config.stash[_RULES] = rules


def _lang(config: pytest.Config) -> str:
    lang = config.getoption("radit_lang") or config.getini("radit_lang") or "en"
    return "lv" if str(lang).lower().startswith("lv") else "en"


def pytest_collect_file(file_path: Path, parent: pytest.Collector):
    if not _enabled(parent.config):
        return None
    if file_path.suffix.lower() in SUFFIXES and not file_path.name.startswith("~$"):
        return WorkbookFile.from_parent(parent, path=file_path)
    return None


class WorkbookFile(pytest.File):
    """One master workbook: validated once, then one item per indicator row plus one for the workbook as a whole."""

    def collect(self):
        from workbook.validation.validate import validate_book

        config = self.config
        lang = _lang(config)
        from engine.errors import RaditError

        try:
            report = validate_book(self.path, rules=config.stash.get(_RULES, None),
                                   year=config.getoption("radit_year"), lang=lang)
            error = report.error
        except RaditError as exc:  # validate_book reports unreadable books in .error; a raise is caught all the same
            error = exc
        if error is not None:  # unreadable: one failing item, never a collection error hiding the other workbooks
            yield RaditItem.from_parent(self, name=BOOK_ITEM, findings=(), error=str(error), lang=lang)
            return
        book_level, by_row = report.findings_by_row()
        yield RaditItem.from_parent(self, name=BOOK_ITEM, findings=tuple(book_level), lang=lang)
        seen: set[str] = set()
        for ind in report.indicators:
            name = ind.id if ind.id not in seen else f"{ind.id}@{ind.row}"  # a duplicate id keeps its own item
            seen.add(ind.id)
            yield RaditItem.from_parent(self, name=name, findings=tuple(by_row.get(ind.row, ())), lang=lang,
                                        row=ind.row, sheet=ind.sheet)


class RaditItem(pytest.Item):
    def __init__(self, *, findings, lang: str, error: str | None = None, row: int | None = None,
                 sheet: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.findings = findings
        self.lang = lang
        self.error = error
        self.row = row
        self.sheet = sheet
        self.add_marker("radit")

    def runtest(self) -> None:
        from engine.findings import Severity

        if self.error is not None:
            raise RaditFailure([self.error])
        errors = []
        for f in self.findings:
            line = f.at(file=None).render(self.lang)
            if f.severity is Severity.ERROR:
                errors.append(line)
            else:
                warnings.warn(RaditWarning(f"{self.path.name}: {line}"), stacklevel=1)
        if errors:
            raise RaditFailure(errors)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, RaditFailure):
            return "\n".join(excinfo.value.lines)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        where = f"{self.sheet}!row {self.row}" if self.row else None
        return self.path, (self.row - 1 if self.row else None), f"{self.path.name}::{self.name}" + (f" ({where})" if where else "")
