"""Render validation reports: text (one line per file, then one per finding), JSON, JUnit XML."""
from __future__ import annotations

import json
from typing import Sequence, TextIO

from engine.findings import Severity, printable


def file_line(report, lang: str = "en") -> str:
    return printable(_file_line(report, lang))


def _file_line(report, lang: str = "en") -> str:
    if report.error is not None:
        error = report.error
        text = error.describe(lang) if hasattr(error, "describe") else error.message
        return f"{report.path}: cannot be read: {text} [{error.code}]"
    if not report.findings:
        return f"{report.path}: valid"
    e, w = report.errors, report.warnings
    head = f"{report.path}: {'valid, ' if e == 0 else ''}{e} error{'s' if e != 1 else ''}, {w} warning{'s' if w != 1 else ''}"
    return head


def write_text(reports: Sequence, out: TextIO, lang: str = "en") -> None:
    for rep in reports:
        print(file_line(rep, lang), file=out)
        for f in rep.findings:
            print(f"{f.render(lang)}", file=out)


def write_json(reports: Sequence, out: TextIO, lang: str = "en") -> None:
    """A JSON list, one workbook object per line: without indent, json uses its C encoder (10× faster at 100 000 rows)."""
    out.write("[\n")
    for i, rep in enumerate(reports):
        out.write(("," if i else "") + json.dumps(rep.as_dict(lang), ensure_ascii=False, default=str) + "\n")
    out.write("]\n")


def write_junit(reports: Sequence, out: TextIO, lang: str = "en") -> None:
    """One <testsuite> per workbook, one <testcase> per indicator, plus one for workbook-level findings."""
    # here, not at the top: xml.sax.saxutils imports urllib and http.client (~25 ms of every validate's start)
    from xml.sax.saxutils import quoteattr
    suites = []
    total_tests = total_failures = total_errors = 0
    for rep in reports:
        cases = []
        name = quoteattr(printable(rep.path))
        if rep.error is not None:
            cases.append(f'    <testcase classname={name} name="workbook"><error type={quoteattr(rep.error.code)} '
                         f'message={quoteattr(printable(rep.error.message))}/></testcase>')
            suites.append((rep, cases, 1, 0, 1))
            continue
        book_level, by_row = rep.findings_by_row()
        failures = 0
        cases.append(_case(name, "workbook", book_level, lang))
        failures += any(f.severity is Severity.ERROR for f in book_level)
        for ind in rep.indicators:
            fs = by_row.get(ind.row, [])
            cases.append(_case(name, printable(f"{ind.id} (row {ind.row})"), fs, lang))
            failures += any(f.severity is Severity.ERROR for f in fs)
        suites.append((rep, cases, len(cases), failures, 0))
    body = []
    for rep, cases, tests, failures, errors in suites:
        total_tests += tests
        total_failures += failures
        total_errors += errors
        body.append(f'  <testsuite name={quoteattr(printable(rep.path))} tests="{tests}" failures="{failures}" errors="{errors}">')
        body.extend(cases)
        body.append("  </testsuite>")
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(f'<testsuites name="radit validate" tests="{total_tests}" failures="{total_failures}" errors="{total_errors}">\n')
    out.write("\n".join(body) + ("\n" if body else ""))
    out.write("</testsuites>\n")


def _case(classname: str, name: str, findings: list, lang: str) -> str:
    from xml.sax.saxutils import escape, quoteattr

    errors = [f for f in findings if f.severity is Severity.ERROR]
    others = [f for f in findings if f.severity is not Severity.ERROR]
    inner = ""
    if errors:
        text = "\n".join(f.render(lang) for f in errors)
        inner += f"<failure type={quoteattr(errors[0].code)} message={quoteattr(errors[0].message(lang))}>{escape(text)}</failure>"
    if others:
        inner += "<system-out>" + escape("\n".join(f.render(lang) for f in others)) + "</system-out>"
    return f"    <testcase classname={classname} name={quoteattr(name)}>{inner}</testcase>"


WRITERS = {"text": write_text, "json": write_json, "junit": write_junit}
