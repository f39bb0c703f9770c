"""pytest plugin: master workbooks as tests, one item per indicator row (opt-in: --radit, or radit = true in the ini).

Installed with radit under the pytest11 entry point, it is loaded into every pytest run of everyone who installs
radit, so it imports nothing heavy and collects nothing until asked to.

Collection only reads the indicator ids (under pytest-xdist every worker collects every file); the first item of
a workbook that runs validates it, and the other items reuse that report: through the config's stash within one
process, and through a folder the xdist controller hands to its workers (one lock and one pickled report per
workbook), so each workbook is validated once per run however the items are spread.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

SUFFIXES = (".xlsx", ".xlsm")
BOOK_ITEM = "workbook"  # the item for findings that belong to no single indicator row
SHARED_DIR_KEY = "radit_cache_dir"  # in an xdist worker's workerinput: the folder of reports the workers share


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
_RULES_FILE = pytest.StashKey["str | None"]()  # the rule file's resolved path: part of a report's cache key
_CHECKED = pytest.StashKey[dict]()  # cache key -> _Checked, within this process
_OWN_DIR = pytest.StashKey[str]()  # on the xdist controller: the shared folder it made and removes at the end


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
        rules_file = str(path.resolve())
    config.stash[_RULES] = rules
    config.stash[_RULES_FILE] = rules_file or None
    config.stash[_CHECKED] = {}
    if not hasattr(config, "workerinput") and config.pluginmanager.hasplugin("xdist"):
        import tempfile

        folder = tempfile.mkdtemp(prefix="radit-pytest-")
        config.stash[_OWN_DIR] = folder
        config.pluginmanager.register(_XdistHooks(folder), "radit-xdist")


class _XdistHooks:
    """Registered on the xdist controller only (the hook is xdist's: unknown to pytest without it)."""

    def __init__(self, folder: str):
        self.folder = folder

    @pytest.hookimpl(optionalhook=True)
    def pytest_configure_node(self, node) -> None:
        node.workerinput[SHARED_DIR_KEY] = self.folder


def pytest_unconfigure(config: pytest.Config) -> None:
    folder = config.stash.get(_OWN_DIR, None)
    if folder is not None:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)


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
    """One master workbook: one item for the workbook as a whole, then one per indicator row.

    Only the indicator table is read here (ids, rows, sheet), as validation reads it; nothing is assessed.
    """

    def collect(self):
        from engine.errors import RaditError
        from engine.rules import default_rules
        from workbook.reading.calamine import read_master

        config = self.config
        lang = _lang(config)
        # Rules given, so the rule file the settings name is neither looked for nor loaded here: rules decide how
        # a cell reads (percentages), never which rows there are. validate_book chooses them in runtest.
        rules = config.stash.get(_RULES, None) or default_rules()
        try:
            # the reader and the year validate_book uses, so the same rows in the same order
            book = read_master(self.path, year=config.getoption("radit_year"), rules=rules)
        except RaditError as exc:  # unreadable: one failing item, never a collection error hiding the other workbooks
            yield RaditItem.from_parent(self, name=BOOK_ITEM, lang=lang, refusal=str(exc))
            return
        rows = tuple((r.row, r.values["id"]) for r in book.rows)
        yield RaditItem.from_parent(self, name=BOOK_ITEM, lang=lang, expected=rows)
        seen: set[str] = set()
        for row, ind_id in rows:
            name = ind_id if ind_id not in seen else f"{ind_id}@{row}"  # a duplicate id keeps its own item
            seen.add(ind_id)
            yield RaditItem.from_parent(self, name=name, lang=lang, row=row, sheet=book.sheet, indicator=ind_id)


class _Checked:
    """A workbook's validation as its items look it up: the error, or the findings of the book and of each row."""

    def __init__(self, outcome):
        self.error = outcome if isinstance(outcome, BaseException) else outcome.error
        self.book_level: list = []
        self.by_row: dict = {}
        self.rows: dict[int, str] = {}
        if self.error is None:
            self.book_level, self.by_row = outcome.findings_by_row()
            self.rows = {i.row: i.id for i in outcome.indicators}


def _checked(config: pytest.Config, path: Path) -> _Checked:
    """The workbook's validation, done by the first of its items to run in this test run (any process)."""
    import os

    try:
        st = os.stat(path)
        version = (st.st_size, st.st_mtime_ns)
    except OSError:  # gone since collection: validate_book reports it as it reports any unreadable file
        version = (None, None)
    key = (str(Path(path).resolve()), *version, config.stash.get(_RULES_FILE, None),
           config.getoption("radit_year"), _lang(config))
    cache = config.stash.setdefault(_CHECKED, {})
    if key not in cache:
        folder = getattr(config, "workerinput", {}).get(SHARED_DIR_KEY)
        outcome = _shared(config, path, key, folder) if folder else _validate(config, path)
        cache[key] = _Checked(outcome)
    return cache[key]


def _validate(config: pytest.Config, path: Path):
    """validate_book's report, or the RaditError it raised (it reports unreadable books in .error; a raise is caught all the same)."""
    from engine.errors import RaditError
    from workbook.validation import validate  # looked up at call time: a test may wrap validate_book

    try:
        return validate.validate_book(path, rules=config.stash.get(_RULES, None),
                                      year=config.getoption("radit_year"), lang=_lang(config))
    except RaditError as exc:
        return exc


def _shared(config: pytest.Config, path: Path, key: tuple, folder: str):
    """Under xdist: the report another worker stored, or validate now and store it, under the workbook's lock."""
    import hashlib
    import os
    import pickle

    try:
        import fcntl
    except ImportError:  # no flock (Windows): each worker validates the workbooks it runs items of, once
        return _validate(config, path)
    stem = os.path.join(folder, hashlib.sha256(repr(key).encode()).hexdigest())
    with open(stem + ".lock", "ab") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also if validation raises
        try:
            with open(stem + ".pickle", "rb") as fh:
                return pickle.load(fh)
        except FileNotFoundError:
            pass
        outcome = _validate(config, path)
        try:
            data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # an unpicklable report: the other workers validate for themselves, no worse than before
            return outcome
        with open(stem + ".tmp", "wb") as fh:
            fh.write(data)
        os.replace(stem + ".tmp", stem + ".pickle")  # whole or absent, whatever happens to this worker
        return outcome


class RaditItem(pytest.Item):
    """The workbook item (row None) or one indicator row's item; runtest validates the workbook if no item has yet."""

    def __init__(self, *, lang: str, row: int | None = None, sheet: str | None = None, indicator: str | None = None,
                 refusal: str | None = None, expected: tuple = (), **kwargs):
        super().__init__(**kwargs)
        self.lang = lang
        self.row = row
        self.sheet = sheet
        self.indicator = indicator
        self.refusal = refusal  # why collection could not read the workbook
        self.expected = expected  # on the workbook item: the (row, id) pairs collected
        self.add_marker("radit")

    def runtest(self) -> None:
        from engine.findings import Severity

        if self.refusal is not None:
            raise RaditFailure([self.refusal])
        checked = _checked(self.config, self.path)
        if checked.error is not None:
            if self.row is None:
                raise RaditFailure([str(checked.error)])
            code = getattr(checked.error, "code", None)
            # the reason is the workbook item's failure, shown once there rather than on every row
            pytest.skip(f"{self.path.name} not validated" + (f" [{code}]" if code else "") + ": see its workbook item")
        problems = []
        if self.row is None:
            findings = checked.book_level
            if tuple(checked.rows.items()) != self.expected:
                problems.append(f"{self.path.name}: the indicator rows changed between collection and validation: run again")
        else:
            findings = checked.by_row.get(self.row, ())
            if checked.rows.get(self.row) != self.indicator:
                problems.append(f"{self.path.name}: row {self.row} no longer holds {self.indicator} "
                                "(the workbook changed during the run): run again")
        errors = []
        for f in findings:
            line = f.at(file=None).render(self.lang)
            if f.severity is Severity.ERROR:
                errors.append(line)
            else:
                warnings.warn(RaditWarning(f"{self.path.name}: {line}"), stacklevel=1)
        if errors or problems:
            raise RaditFailure(errors + problems)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, RaditFailure):
            return "\n".join(excinfo.value.lines)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        where = f"{self.sheet}!row {self.row}" if self.row else None
        return self.path, (self.row - 1 if self.row else None), f"{self.path.name}::{self.name}" + (f" ({where})" if where else "")
