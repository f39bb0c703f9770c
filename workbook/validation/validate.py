"""Validate master workbooks: reading findings, the engine's findings at their cells, ids against the rules, stale symbols."""
from __future__ import annotations

import dataclasses
import gc
import os
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import repeat
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, NamedTuple

from engine.errors import RaditError
from workbook.errors import WorkbookError
from engine.findings import Finding, Location, Severity


@dataclass(slots=True)  # not frozen (never changed once made, but a frozen __init__ took 0.23 s for 100 000 rows, this one 0.06 s)
class IndicatorResult:
    """One indicator's outcome. `assessment` is the engine's full Assessment, taken from the engine's answer
    for the whole table (`_batch`, `_index`) when first asked for; a report rebuilt from a batch worker's plain
    columns computes it again (it does not travel back, see _portable)."""

    id: str
    row: int
    sheet: str
    status: Any  # engine.Status
    symbol: str
    deviation: Decimal | None
    deviation_unit: str | None
    basis: Any  # engine.Basis
    stored_symbol: Any = None
    values: Any = field(default=None, repr=False, compare=False)
    rules: Any = field(default=None, repr=False, compare=False)
    _batch: Any = field(default=None, repr=False, compare=False)  # engine.batch.Assessments holding this row's
    _index: int = field(default=0, repr=False, compare=False)
    _findings: tuple = field(default=(), repr=False, compare=False)  # the engine's findings (by field) for the row

    @property
    def assessment(self):
        if self._batch is None:
            from engine import assess

            self._batch, self._index = [assess(self.values, self.rules)], 0
        return self._batch[self._index]

    def as_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "id": self.id,
            "row": self.row,
            "status": self.status.value,
            "symbol": self.symbol,
            "deviation": float(self.deviation) if self.deviation is not None else None,
            "deviation_unit": self.deviation_unit,
            "basis": self.basis.value,
            "stored_symbol": None if self.stored_symbol is None else str(self.stored_symbol),
        }


@dataclass(frozen=True)
class BookReport:
    path: str
    findings: tuple[Finding, ...] = ()
    indicators: tuple[IndicatorResult, ...] = ()
    error: WorkbookError | None = None
    rules_name: str | None = None
    year: int | None = None
    sheet: str | None = None

    @property
    def valid(self) -> bool:
        return self.error is None and not any(f.severity is Severity.ERROR for f in self.findings)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)

    def findings_by_row(self) -> tuple[list[Finding], dict[int, list[Finding]]]:
        """(the workbook's own findings, each indicator row's findings by sheet row): one test case or item each."""
        rows = {i.row for i in self.indicators}
        book_level: list[Finding] = []
        by_row: dict[int, list[Finding]] = {}
        for f in self.findings:
            (by_row.setdefault(f.location.row, []) if f.location.row in rows else book_level).append(f)
        return book_level, by_row

    def codes(self) -> list[tuple[str, str | None]]:
        """(code, cell) pairs: what tests assert on."""
        return [(f.code, f.location.cell) for f in self.findings]

    def as_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "path": self.path,
            "valid": self.valid,
            "error": None if self.error is None else (self.error.as_dict(lang) if hasattr(self.error, "as_dict")
                                                      else {"code": self.error.code, "message": self.error.message}),
            "rules": self.rules_name,
            "year": self.year,
            "sheet": self.sheet,
            "errors": self.errors,
            "warnings": self.warnings,
            "findings": [f.as_dict(lang) for f in self.findings],
            "indicators": [i.as_dict(lang) for i in self.indicators],
        }


def _stale_text(a, lang: str) -> str:
    from engine.numbers import format_number

    if a.deviation is None or a.tolerance is None:
        return a.symbol
    unit = a.deviation_unit or "%"
    word = "pret" if lang == "lv" else "against"
    return f"{a.symbol} ({a.format_deviation(lang)} {word} ±{format_number(a.tolerance, lang)} {unit})"


# Which rows take the engine's numpy path is the engine's decision (engine.batch.fast_path_wanted); the shell
# only imports numpy ahead where the engine will probably want it, so that its import overlaps other work or
# is paid once for a whole batch (the engine's threshold is lower once numpy is loaded): while calamine reads a
# large indicator sheet (workbook.reading.calamine.WARM_SHEET_BYTES), and here before a long batch forks.
BATCH_WARM_FILES = 100  # a batch this long imports numpy once (before its workers fork), for its groups' rows
GROUP_ROWS = 5000  # a batch assesses a group of workbooks (those sharing their rules) at once when it holds this many rows …
GROUP_FILES = 50  # … or this many workbooks (the progress bar and the report wait for a whole group)
STREAM_GROUP_FILES = 8  # read in a child, smaller groups: this process rebuilds one while the child reads the next


def _assess_rows(rows, rules, sheet, columns=None) -> list[IndicatorResult]:
    """One result per row, from engine.assess_many (which chooses between assess and its numpy path).

    `sheet` is a sheet name, or a list of them aligned with rows (rows of several workbooks at once);
    `columns` the rows' input columns as the model read them (the numpy path reads those)."""
    from engine import assess_many

    sheets = repeat(sheet) if isinstance(sheet, str) else sheet
    values = [r.values for r in rows]
    assessed = assess_many(values, rules, columns=columns or None)
    # one IndicatorResult a row, built column-wise with map (in C): a Python loop cost ~0.1 s at 100 000 rows;
    # the engine's answer read field by field, so its Assessments are made only if one is asked for
    field = assessed.column
    return list(map(IndicatorResult, field("id"), [r.row for r in rows], sheets, field("status"), field("symbol"),
                    field("deviation"), field("deviation_unit"), field("basis"), [r.stored.get("symbol") for r in rows],
                    values, repeat(rules), repeat(assessed), range(len(rows)), field("findings")))


def validate_book(path, *, rules=None, year: int | None = None, lang: str = "en", limits=None) -> BookReport:
    """Every finding of one workbook; an unreadable file is a report with `error` set, never an exception."""
    from workbook.model.book import gc_paused

    path = str(path)
    if isinstance(rules, (str, os.PathLike)):
        from engine.rules import load_rules

        rules = load_rules(rules)
    with gc_paused():
        return _validate(path, rules, year, lang, limits)


class _Read(NamedTuple):  # not a dataclass: defining one costs every start
    """A workbook read (its rules chosen by the model), waiting for its rows to be assessed (alone or in a group)."""

    book: Any  # workbook.model.book.MasterBook
    lang: str

    @property
    def rules(self):
        return self.book.rules


def _validate(path: str, rules, year, lang, limits) -> BookReport:
    read = _read_book(path, rules, year, lang, limits)
    if isinstance(read, BookReport):
        return read
    book = read.book
    return _conclude(read, _assess_rows(book.rows, read.rules, book.sheet, book.input_columns))


def _read_book(path: str, rules, year, lang, limits) -> _Read | BookReport:
    from workbook.reading.calamine import read_master

    try:
        book = read_master(path, year=year, limits=limits, rules=rules)
    except WorkbookError as exc:  # without its traceback: a cycle (frames <-> exception) to free without the GC
        return BookReport(path, error=exc.with_traceback(None))
    except RaditError as exc:  # a rule file named in the settings that does not load
        return BookReport(path, error=WorkbookError(path, "bad-rules", str(exc)))
    return _Read(book, lang)


def _conclude(read: _Read, results: list[IndicatorResult]) -> BookReport:
    """The report of a workbook whose rows are assessed: engine findings at their cells, stale symbols, ids vs rules."""
    book, rules, lang = read.book, read.rules, read.lang
    path = book.path
    findings: list[Finding] = list(book.findings)
    symbol_col = book.field_columns.get("symbol")
    for ind, result in zip(book.rows, results):
        for f in result._findings:
            findings.append(book.locate(f, ind.row))
        stored = ind.stored.get("symbol")
        if stored is not None and str(stored).strip():
            if rules.status_from_text(stored) is not result.status:
                findings.append(Finding("stale-assessment", Location(path, book.sheet, ind.row, symbol_col, "symbol", result.id),
                                        {"stored": str(stored).strip(), "computed": _stale_text(result.assessment, lang)}))

    ids = {r.id for r in results}
    for rid in rules.indicator_ids:
        if rid not in ids:
            findings.append(Finding("rule-id-not-in-workbook", Location(file=path, sheet=book.sheet, indicator=rid), {"id": rid}))
    if rules.lists_indicators:
        listed = set(rules.indicator_ids)
        id_col = book.field_columns.get("id")
        for r in results:
            if r.id not in listed:
                findings.append(Finding("workbook-id-not-in-rules", Location(path, book.sheet, r.row, id_col, "id", r.id), {"id": r.id}))
    return BookReport(path, tuple(findings), tuple(results), None, rules.name, book.year, book.sheet)


def _conclude_group(items: list) -> list[BookReport]:
    """Reports for a group of workbooks read by _worker: the rows of those sharing their rules are assessed
    in one call of the engine, which takes its numpy path when they are enough."""
    from workbook.model.book import gc_paused

    out: list[BookReport | None] = [i if isinstance(i, BookReport) else None for i in items]
    by_rules: dict[int, list[int]] = {}
    for k, item in enumerate(items):
        if isinstance(item, _Read):
            by_rules.setdefault(id(item.rules), []).append(k)
    with gc_paused():
        for ks in by_rules.values():
            reads = [items[k] for k in ks]
            if len(reads) > 1:
                try:
                    results = _assess_together(reads)
                except Exception:  # whatever went wrong, each workbook gets its own try below
                    results = None
                if results is not None:
                    for k, read, res in zip(ks, reads, results):
                        out[k] = _guarded(read, lambda read=read, res=res: _conclude(read, res))
                    continue
            for k, read in zip(ks, reads):
                book = read.book
                out[k] = _guarded(read, lambda read=read, book=book: _conclude(
                    read, _assess_rows(book.rows, read.rules, book.sheet, book.input_columns)))
    return out


def _assess_together(reads: list[_Read]) -> list[list[IndicatorResult]]:
    """The rows of several workbooks (same rules) through one engine call, split back per workbook."""
    from engine.batch import INPUT_COLUMNS

    rows, sheets, columns = [], [], {c: [] for c in INPUT_COLUMNS}
    for read in reads:
        book = read.book
        rows += book.rows
        sheets += [book.sheet] * len(book.rows)
        for c in INPUT_COLUMNS:
            col = book.input_columns.get(c)
            columns[c] += col if col is not None else [None] * len(book.rows)  # the field is absent from that table
    results = _assess_rows(rows, reads[0].rules, sheets, columns)
    out, at = [], 0
    for read in reads:
        out.append(results[at:at + len(read.book.rows)])
        at += len(read.book.rows)
    return out


def _guarded(read: _Read, make: Callable[[], BookReport]) -> BookReport:
    path = read.book.path
    try:
        return make()
    except MemoryError:
        return BookReport(path, error=WorkbookError(path, "too-large", "out of memory while reading"))
    except Exception as exc:  # one broken file never stops the batch
        return BookReport(path, error=WorkbookError(path, "internal-error", f"{type(exc).__name__}: {exc}"))


# --- many workbooks ------------------------------------------------------------------------------

def collect_paths(items: Iterable[str]) -> list[str]:
    """Files as given; folders searched recursively for *.xlsx and *.xlsm (Excel's ~$ lock files skipped)."""
    out: list[str] = []
    for item in items:
        p = Path(item)
        if p.is_dir():
            found = [q for q in p.rglob("*") if q.suffix.lower() in (".xlsx", ".xlsm") and not q.name.startswith("~$") and q.is_file()]
            out.extend(str(q) for q in sorted(found))
        else:
            out.append(str(item))
    return out


def _worker(args: tuple[str, str | None, int | None, str]) -> _Read | BookReport:
    """Read one workbook of a batch (its rows are assessed with its group's, see _conclude_group)."""
    from workbook.model.book import gc_paused

    path, rules_file, year, lang = args
    rules = _load_rules_cached(rules_file)
    try:
        with gc_paused():
            return _read_book(path, rules, year, lang, None)
    except MemoryError:
        return BookReport(path, error=WorkbookError(path, "too-large", template="too-large.memory"))
    except Exception as exc:  # one broken file never stops the batch
        return BookReport(path, error=WorkbookError(path, "internal-error", error=f"{type(exc).__name__}: {exc}"))


def _worker_portable(group: list[tuple[str, str | None, int | None, str]]):
    """A group of workbooks for the process pool, as plain picklable reports (see _portable), each with its
    error itself (a WorkbookError pickles with its code, location and parameters; the tuple _portable makes of it
    keeps only the English text)."""
    from workbook.model.book import gc_paused

    with gc_paused():
        return [(_portable(rep), rep.error) for rep in _conclude_group([_worker(t) for t in group])]


def _arrived(item, rules_file: str | None) -> BookReport:
    """A report back from a worker: rebuilt, with its own error object."""
    wire, error = item
    rep = _rebuild(wire, rules_file)
    return rep if error is None else dataclasses.replace(rep, error=error)


def _portable(rep: BookReport):
    """A report as the pool pickles it cheaply: WorkbookError does not survive pickling (its __init__ takes
    three arguments, Exception pickles one), so the error travels as a plain tuple; the indicators travel
    as columns of plain values (pickling 100 frozen dataclasses with enums and dicts per workbook cost more
    than validating it). Assessments and rules stay behind: the parent recomputes an assessment on demand."""
    if rep.error is not None:
        return dataclasses.replace(rep, error=None), (rep.error.path, rep.error.code, rep.error.message), None
    inds = rep.indicators
    if not inds:
        return rep, None, None
    keys = list(inds[0].values or {})
    sheet = inds[0].sheet
    if any(i.sheet != sheet or list(i.values or {}) != keys for i in inds):  # never from one workbook, but safe
        return dataclasses.replace(rep, indicators=tuple(dataclasses.replace(i, _batch=None, rules=None, _findings=()) for i in inds)), None, None
    columns = (
        sheet, tuple(keys),
        [i.id for i in inds], [i.row for i in inds], [i.status.value for i in inds], [i.symbol for i in inds],
        [i.deviation for i in inds], [i.deviation_unit for i in inds], [i.basis.value for i in inds],
        [i.stored_symbol for i in inds], [tuple(i.values.values()) if i.values else () for i in inds],
    )
    return dataclasses.replace(rep, indicators=()), None, columns


def _rebuild(wire, rules_file: str | None) -> BookReport:
    rep, error, columns = wire
    if error is not None:
        return dataclasses.replace(rep, error=WorkbookError(*error))
    if columns is not None:
        return dataclasses.replace(rep, indicators=_Indicators(columns, lambda: _load_rules_cached(rules_file)
                                                               or _rules_by_name(rep.path, rep.rules_name)))
    if rep.indicators:
        rules = _load_rules_cached(rules_file) or _rules_by_name(rep.path, rep.rules_name)
        for ind in rep.indicators:
            object.__setattr__(ind, "rules", rules)  # the parent's own copy, shared by every indicator
    return rep


class _Indicators(Sequence):
    """A workbook's indicators as they came back from a worker (columns of plain values), made IndicatorResults
    the first time they are looked at: a text report never does, and for a batch of 100-row books building
    them was a third of what reading in a child cost this process."""

    __slots__ = ("_columns", "_rules", "_items")

    def __init__(self, columns, rules: Callable[[], Any]):
        self._columns, self._rules, self._items = columns, rules, None

    def _built(self) -> tuple[IndicatorResult, ...]:
        if self._items is None:
            from engine import Basis, Status

            sheet, keys, ids, rows, statuses, symbols, deviations, units, bases, stored, values = self._columns
            status_of = {s.value: s for s in Status}
            basis_of = {b.value: b for b in Basis}
            # column-wise with map (in C)
            self._items = tuple(map(IndicatorResult, ids, rows, repeat(sheet), map(status_of.__getitem__, statuses),
                                    symbols, deviations, units, map(basis_of.__getitem__, bases), stored,
                                    map(dict, map(zip, repeat(keys), values)), repeat(self._rules())))
            self._columns = self._rules = None
        return self._items

    def __len__(self) -> int:
        return len(self._items) if self._items is not None else len(self._columns[2])

    def __getitem__(self, index):
        return self._built()[index]

    def __iter__(self):
        return iter(self._built())

    def __eq__(self, other) -> bool:
        return isinstance(other, Sequence) and tuple(self) == tuple(other)

    def __hash__(self) -> int:
        return hash(self._built())

    def __repr__(self) -> str:
        return repr(self._built())

    def __reduce__(self):  # pickled (the plugin's cache) as the plain tuple it stands for
        return tuple, (self._built(),)


def _rules_by_name(path: str, name: str | None):
    """The rules a worker used for a workbook, found again from their name as the model finds a named file
    (a rule file embedded in the workbook: by reading the workbook again)."""
    from engine.rules import default_rules
    from workbook.model.rule_choice import choose_rules

    if not name or name == "default.json":
        return default_rules()
    try:
        return choose_rules(name, book_dir=os.path.dirname(os.path.abspath(path)), embedded=None).rules
    except RaditError:
        from workbook.reading.calamine import read_master

        return read_master(path).rules


_RULES_CACHE: dict[str | None, Any] = {}


def _load_rules_cached(rules_file: str | None):
    if rules_file is None:
        return None
    if rules_file not in _RULES_CACHE:
        from engine.rules import load_rules

        _RULES_CACHE[rules_file] = load_rules(rules_file)
    return _RULES_CACHE[rules_file]


def validate_many(paths: Sequence[str], *, rules_file: str | None = None, year: int | None = None, jobs: int = 1,
                  lang: str = "en", on_done: Callable[[BookReport], None] | None = None,
                  isolate: bool = False) -> list[BookReport]:
    """Reports in input order; with jobs > 1 groups of files are spread over a process pool.

    `isolate` (radit validate sets it for two files or more): the files are read in worker processes even with
    jobs=1, so a native reader that kills its process costs only its own file's report (`reader-crashed`),
    never the others'. The rule file goes to the workers by path (each loads it once), so nothing large is
    pickled there.
    """
    from workbook.model.book import gc_paused

    if rules_file is not None:
        _load_rules_cached(rules_file)  # a bad rule file fails here, once, before any worker starts
    # No cyclic GC during the batch: the reports pile up (100 000 indicator objects for 1 000 books) and
    # every full collection would walk them all again, to free nothing (reports are acyclic).
    with gc_paused():
        return _validate_many([(str(p), rules_file, year, lang) for p in paths], rules_file, jobs, on_done, isolate)


def _validate_many(tasks, rules_file, jobs, on_done, isolate: bool = False) -> list[BookReport]:
    if len(tasks) >= BATCH_WARM_FILES:
        from engine.batch import import_fast_path

        import_fast_path()  # once, before any worker forks (each would import numpy itself: ~0.1 s CPU apiece)
    reports: list[BookReport] = []

    def done(rep: BookReport) -> None:
        reports.append(rep)
        if on_done:
            on_done(rep)

    if len(tasks) <= 1 or (jobs <= 1 and not isolate):
        for reps in _in_groups(tasks):
            for rep in reps:
                done(rep)
        return reports
    from workbook.forked import can_fork

    if jobs <= 1 and can_fork():
        _before_forking()
        _streamed(tasks, rules_file, done)
        return reports
    import concurrent.futures as cf
    import multiprocessing as mp

    _before_forking()
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
    jobs = max(1, jobs)
    size = max(1, min(GROUP_FILES, len(tasks) // (jobs * 4) or 1))  # ≥ 4 groups a worker: the last ones balance the load
    remaining = list(tasks)
    while remaining:
        groups = [remaining[i:i + size] for i in range(0, len(remaining), size)]
        workers = min(jobs, os.cpu_count() or jobs, len(groups))
        before = len(reports)
        try:
            with cf.ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
                for items in pool.map(_worker_portable, groups):
                    for item in items:
                        done(_arrived(item, rules_file))
                    # no gc.collect here: what arrives is acyclic (a full young generation of reports took ~10 ms a group)
            return reports
        except cf.process.BrokenProcessPool:
            # A worker died (a native reader aborting on some file): which file did it is unknown, but it was in
            # one of the groups under way. Those files run alone, each in a fresh process (the one that dies again
            # gets an error report); the files after them go back to a pool.
            remaining = remaining[len(reports) - before:]
            suspects, remaining = remaining[:size * workers], remaining[size * workers:]
            for task in suspects:
                done(_isolated(task, rules_file, ctx))
    return reports


def _before_forking() -> None:
    """What every child needs and this process needs too, imported and loaded once here and inherited by
    each forked child (each would import the readers and load the default rules again: ~50 ms apiece)."""
    from engine import assess  # noqa: F401
    import python_calamine  # noqa: F401
    from engine.rules import default_rules
    import workbook.reading.calamine  # noqa: F401

    default_rules()


def _in_groups(tasks, on_reading: Callable[[int], None] | None = None, files: int | None = None) -> Iterator[list[BookReport]]:
    """The tasks' reports, read one after the other in this process, a group at a time (see _read_groups)."""
    for items in _read_groups(tasks, on_reading, files):
        yield _conclude_group(items)


def _read_groups(tasks, on_reading: Callable[[int], None] | None = None, files: int | None = None) -> Iterator[list]:
    """The tasks read in order (each a _Read, or the BookReport of a file that could not be read), a group at a
    time: GROUP_ROWS rows or `files` files (the rows of a group's workbooks that share their rules are assessed
    together, by _conclude_group). `on_reading(i)` is told before task i is read."""
    files = files or GROUP_FILES
    pending, rows = [], 0
    for i, t in enumerate(tasks):
        if on_reading is not None:
            on_reading(i)
        item = _worker(t)
        pending.append(item)
        rows += len(item.book.rows) if isinstance(item, _Read) else 0
        if rows >= GROUP_ROWS or len(pending) >= files or i == len(tasks) - 1:
            yield pending
            pending, rows = [], 0
            gc.collect(0)  # the group's own garbage cycles (zip files, calamine), once; older reports are left alone


def _shared_rules(rules_file: str | None) -> dict[str, Any]:
    """The rule sets this process holds before it forks a reader, by the key a child names them with: a child
    sends a workbook read under one of them by key, so that this process assesses it under its own object (the
    books of one rule set are assessed together, and a rule set is not pickled once a book)."""
    from engine.rules import default_rules

    shared = {"default": default_rules()}
    if rules_file is not None:
        shared["file"] = _load_rules_cached(rules_file)
    return shared


def _reads_out(items: list, rules_file: str | None) -> list:
    """A group as the reading child sends it: each _Read whole but for its rule set, named by key where this
    process shares it (see _shared_rules); each report of a file that could not be read as _portable makes it.
    (Not a pickler's persistent_id: that is a Python call for every object pickled, three times the cost.)"""
    keys = {id(rules): key for key, rules in _shared_rules(rules_file).items()}
    out = []
    for item in items:
        if not isinstance(item, _Read):
            out.append(("report", (_portable(item), item.error)))
            continue
        book = item.book
        key = keys.get(id(book.rules)) if book.rule_choice is not None else None
        if key is not None:
            book = dataclasses.replace(book, rule_choice=book.rule_choice._replace(rules=None))
        out.append(("read", (item._replace(book=book), key)))
    return out


def _reads_in(group: list, rules_file: str | None) -> list:
    """_reads_out's group again, in this process: _Reads under this process's own rule sets, and reports."""
    shared = _shared_rules(rules_file)
    out = []
    for kind, item in group:
        if kind == "report":
            out.append(_arrived(item, rules_file))
            continue
        read, key = item
        if key is not None:
            book = read.book
            read = read._replace(book=dataclasses.replace(book, rule_choice=book.rule_choice._replace(rules=shared[key])))
        out.append(read)
    return out


def _streamed(tasks, rules_file: str | None, done: Callable[[BookReport], None]) -> None:
    """The tasks read in order in one forked child, each group streamed back as it is read, and assessed here
    while the child reads the next (the two run side by side: only reading, where a native reader can abort,
    needs the child). A child that dies costs no report: the files it had read but not yet sent are read again
    by a new child, the file it was reading is read once more alone (`reader-crashed` if that kills its child
    too), and a new child goes on after it."""
    from workbook.forked import ChildFailed, stream

    at = 0
    while at < len(tasks):
        start, reading = at, [0]  # reading[0]: the file the child is reading, counted from `start`

        def produce(send, rest=tasks[start:]):
            for items in _read_groups(rest, on_reading=lambda i: send(i), files=STREAM_GROUP_FILES):
                send(_reads_out(items, rules_file))

        try:
            messages = stream(produce)
        except OSError:  # no child could be started: the rest in this process, as without isolation
            for reps in _in_groups(tasks[at:]):
                for rep in reps:
                    done(rep)
            return
        try:
            for message in messages:
                if message.__class__ is int:
                    reading[0] = message
                    continue
                for rep in _conclude_group(_reads_in(message, rules_file)):
                    done(rep)
                    at += 1
            return
        except ChildFailed:
            crashed = start + reading[0]
        if at < crashed:
            _streamed(tasks[at:crashed], rules_file, done)
        done(_alone(tasks[crashed], rules_file))
        at = crashed + 1


def _alone(task, rules_file: str | None) -> BookReport:
    """One task read in a child of its own; `reader-crashed` if that child dies too."""
    from workbook.forked import ChildFailed, stream

    try:
        got = list(stream(lambda send: send(_worker_portable([task])[0])))
    except ChildFailed:
        got = []
    except OSError:
        return _isolated(task, rules_file, None)
    if len(got) != 1:
        path = task[0]
        return BookReport(path, error=WorkbookError(path, "reader-crashed"))
    return _arrived(got[0], rules_file)


def _isolated(task, rules_file: str | None, ctx) -> BookReport:
    import concurrent.futures as cf

    try:
        with cf.ProcessPoolExecutor(max_workers=1, mp_context=ctx) as pool:
            return _arrived(pool.submit(_worker_portable, [task]).result()[0], rules_file)
    except cf.process.BrokenProcessPool:
        path = task[0]
        return BookReport(path, error=WorkbookError(path, "reader-crashed"))
