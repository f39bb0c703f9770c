"""radit evaluate: assess every indicator of a master workbook and write the results into the cells radit owns.

The package is patched, never re-saved: the indicator sheet's output cells, styles.xml (appended), cell notes,
the legend and summary sheets, calcPr and custom properties change; every other part is copied byte for byte.
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from workbook.errors import WriteRefused
from engine.findings import Finding, Location
from workbook.writing.xlsxpatch.model import Provenance


@dataclass(frozen=True)
class EvaluateResult:
    source: str
    written: str
    backup: str | None
    counts: dict[str, int]  # status value -> rows
    findings: tuple[Finding, ...]
    rules_name: str
    year: int | None
    lang: str
    notes_written: bool = True
    labels: dict[str, str] = field(default_factory=dict)  # status value -> "symbol label" in the written language


def default_output(src: Path) -> Path:
    """BOOK.xlsx -> BOOK.evaluated.xlsx beside it (the extension, and so a macro book's type, is kept)."""
    return src.with_name(f"{src.stem}.evaluated{src.suffix}")


def evaluate_file(src, *, out=None, in_place: bool = False, rules=None, year: int | None = None,
                  lang: str | None = None, now: _dt.datetime | None = None, limits=None) -> EvaluateResult:
    """Evaluate src and write the result to out (default BOOK.evaluated.xlsx) or, with in_place, over src."""
    src = Path(src)
    try:
        return _evaluate_file(src, out, in_place, rules, year, lang, now, limits)
    except OSError as exc:  # a full disk, a read-only folder, a vanished file: nothing was replaced
        raise WriteRefused(str(src), "cannot-write", target=str(exc.filename or src), reason=exc.strerror or str(exc)) from None


def _evaluate_file(src: Path, out, in_place, rules, year, lang, now, limits) -> EvaluateResult:
    from workbook.reading.package import check_input
    from workbook.writing.atomic import book_lock, refuse_if_open, refuse_if_read_only, refuse_output, write_atomically

    if in_place and out is not None:
        raise WriteRefused(str(src), "bad-arguments", template="bad-arguments.both")
    check_input(src)  # a folder, a FIFO, a device, a link that loops: said as such, as validate says it
    if in_place:
        # Through a symbolic link, the linked book is the one to replace (and to lock).
        src = src.resolve()
        refuse_if_read_only(src)
        with book_lock(src):
            refuse_if_open(src)
            data, result = evaluate_bytes(src, rules=rules, year=year, lang=lang, now=now, limits=limits)
            backup = write_atomically(src, data, backup=True)
        return replace(result, written=str(src), backup=None if backup is None else str(backup))
    target = Path(out) if out is not None else default_output(src)
    if target.exists() and target.resolve() == src.resolve():
        raise WriteRefused(str(src), "output-is-input")
    refuse_output(target, src)
    refuse_if_open(target)
    data, result = evaluate_bytes(src, rules=rules, year=year, lang=lang, now=now, limits=limits)
    if target.parent and not target.parent.exists():  # only once there is something to write (a refusal leaves none)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OSError(exc.errno, exc.strerror, str(target.parent)) from None
    write_atomically(target, data)
    return replace(result, written=str(target), backup=None)


def evaluate_bytes(src: Path, *, rules=None, year=None, lang=None, now=None, limits=None) -> tuple[bytes, EvaluateResult]:
    """The evaluated package's bytes and what was written; nothing touches the disk here."""
    from workbook.model.book import gc_paused

    # Hundreds of thousands of acyclic objects (rows, texts, cell writes) and nothing cyclic to free: the
    # collector would walk them again and again (and, in the forked child, copy every page it touches).
    # 100 000 rows, in turns: 7.6-9.8 s with it, 6.1-6.6 s without (a quieter minute).
    with gc_paused():
        return _evaluate_bytes(src, rules, year, lang, now, limits)


def _evaluate_bytes(src: Path, rules, year, lang, now, limits) -> tuple[bytes, EvaluateResult]:
    from workbook.reading.calamine import read_master
    from workbook.reading.package import open_package
    from workbook.reading.index import read_index
    from workbook.writing.indicator_sheet import write_indicator_sheet
    from workbook.writing.xlsxpatch.bookparts import recalculate_on_load, refuse_strict, set_custom_properties
    from workbook.writing.summary import owned_sheets
    from workbook.writing.xlsxpatch.edit import PackageEdit
    from workbook.writing.xlsxpatch.package import deflate_ahead, rewrite_package
    from workbook.writing.xlsxpatch.sheets import put_sheets
    from workbook.writing.xlsxpatch.styles import StyleSheet

    path = str(src)
    book = read_master(path, year=year, limits=limits, rules=rules, lang=lang)
    book.require_output_columns()
    rules, lang = book.rules, book.lang

    package = open_package(path, limits)
    try:
        edit = PackageEdit(package)
        refuse_strict(edit, path)
        index = read_index(path, package)
        entry = index.sheet(book.sheet)
        if entry is None:
            raise WriteRefused(path, "no-indicator-sheet", sheet=book.sheet)
        _refuse_protected(edit, path, book.sheet, entry.part)
        # One style sheet for the indicator cells and the owned sheets: parsed once, written once.
        styles_part = _styles_part(edit, path)
        styles = StyleSheet(edit.read(styles_part))
        outputs, notes_written = write_indicator_sheet(edit, path, book, rules, lang, entry.part, styles)
        # the indicator sheet (tens of MB at 100 000 rows) deflates on other cores while the summary is built
        ahead = {entry.part: deflate_ahead(edit.changes[entry.part])} if entry.part in edit.changes else {}
        assessed = list(zip(book.rows, outputs))
        findings = list(book.findings)
        findings += [book.locate(f, row.row) for row, a in assessed for f in a.findings]
        stamp = (now or _dt.datetime.now(_dt.timezone.utc)).astimezone(_dt.timezone.utc).replace(microsecond=0)
        provenance = Provenance(version=_version(), rules_name=rules.name, rules_sha256=rules.sha256,
                                year=book.year, time=stamp.isoformat().replace("+00:00", "Z"))
        put_sheets(edit, styles, owned_sheets(book, assessed, rules, lang, provenance), path=path)
        edit.write(styles_part, refuse_too_many_formats(path, styles))
        recalculate_on_load(edit)
        set_custom_properties(edit, {"version": provenance.version, "rules": provenance.rules_name,
                                     "rules_sha256": provenance.rules_sha256,
                                     "year": "" if provenance.year is None else str(provenance.year),
                                     "time": provenance.time})
        changes = dict(edit.changes)
    finally:
        package.close()
    data = rewrite_package(path, changes, ahead)
    counts = Counter(a.status.value for _, a in assessed)
    result = EvaluateResult(source=path, written="", backup=None, counts={s.value: counts.get(s.value, 0) for s in rules.statuses},
                            findings=tuple(findings), rules_name=rules.name, year=book.year, lang=lang,
                            notes_written=notes_written,
                            labels={s.value: f"{rules.symbol(s)} {rules.label(s, lang)}" for s in rules.statuses})
    return data, result


def _version() -> str:
    import engine

    return engine.__version__


def _styles_part(edit, path: str) -> str:
    from workbook.writing.xlsxpatch.bookparts import workbook_part

    wb = workbook_part(edit)
    for _, target in edit.targets(wb, "/styles"):
        return target
    raise WriteRefused(path, "no-styles")


MAX_CELL_FORMATS = 64_000  # Excel's limit of cell formats (cellXfs) in a workbook


def _refuse_protected(edit, path: str, sheet: str, part: str) -> None:
    """A protected indicator sheet (radit's writes would drop silently out of Excel's protection) or a protected
    workbook structure (radit adds its legend and summary sheets) is the analyst's decision: refuse."""
    from workbook.reading.sheetshape import sheet_shape, workbook_protected
    from workbook.writing.xlsxpatch.bookparts import workbook_part

    if workbook_protected(edit.read(workbook_part(edit))):
        raise WriteRefused(path, "workbook-protected")
    if sheet_shape(edit.read(part)).protected:
        raise WriteRefused(path, "sheet-protected", location=Location(sheet=sheet))


def refuse_too_many_formats(path: str, styles) -> bytes:
    """styles.xml as radit would write it; refused past Excel's 64 000 cell formats (StyleSheet reuses every
    identical format already, so only formats that are new count)."""
    import re

    data = styles.to_bytes()
    if styles.changed:
        m = re.search(rb"<(?:\w+:)?cellXfs\b.*?</(?:\w+:)?cellXfs>", data, re.S)
        count = len(re.findall(rb"<(?:\w+:)?xf\b", m.group(0))) if m else 0
        if count > MAX_CELL_FORMATS:
            raise WriteRefused(path, "too-many-styles", count=count, limit=MAX_CELL_FORMATS)
    return data
