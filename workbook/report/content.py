"""What the report says, as frozen values: goals, results, indicator rows with their assessments, legend, counts, provenance.

report_content() is the one place that reads a workbook for a report; the renderers (docx, html, pdf) take only
a ReportContent. The texts are the ones `radit evaluate` writes into the workbook (Assessment.explain,
format_deviation, Basis.label, the rule file's labels), and its goals, results and counts are the summary sheet's
(workbook.writing.summary.group_indicators), so the report and the workbook say the same.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from decimal import Decimal
from itertools import repeat
from pathlib import Path
from typing import Any

from engine.assessment import Assessment
from engine.findings import Finding, Severity
from workbook.report.text import TEXT



@dataclass(frozen=True)
class StatusHead:
    """One status as the legend, the summary's columns and the chart's series show it."""

    status: str  # achieved, worse, better, not_assessed
    symbol: str
    colour: str  # "#RRGGBB"
    label: str
    description: str


@dataclass(frozen=True)
class IndicatorLine:
    id: str
    row: int  # the sheet row it came from
    text: str | None  # the indicator's wording
    unit: str | None
    baseline: str  # as the workbook holds it ("88 949", "15%", "35 – 70>"), "–" when empty
    baseline_year: int | None
    forecast: str
    forecast_year: int | None
    actual: str
    actual_year: int | None
    assessment: Assessment
    justification: str | None
    # the workbook's output texts, in the report's language
    symbol: str
    colour: str
    label: str  # the status label of the rule file
    deviation: str  # "−0,61 %", "+2,00 p.p.", "–" where not computed
    basis: str
    explanation: str

    @property
    def status(self) -> str:
        return self.assessment.status.value


@dataclass(frozen=True)
class ResultGroup:
    level: str | None  # policy_result, action_result, another text, or None
    level_text: str | None  # "Politikas rezultāts" / "Policy result"
    code: str | None
    text: str | None
    indicators: tuple[IndicatorLine, ...]
    counts: tuple[int, ...]  # per status, in the order of ReportContent.statuses

    @property
    def heading(self) -> str:
        """'Politikas rezultāts A1: pieaug …' as the source's results table heads a result."""
        head = " ".join(p for p in (self.level_text, self.code) if p)
        return f"{head}: {self.text}" if head and self.text else head or self.text or ""

    @property
    def short(self) -> str:
        """'Politikas rezultāts A1' (the summary's row label)."""
        return " ".join(p for p in (self.level_text, self.code) if p) or (self.text or "")[:40]

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class GoalGroup:
    code: str | None
    text: str | None
    results: tuple[ResultGroup, ...]
    counts: tuple[int, ...]

    @property
    def indicators(self) -> tuple[IndicatorLine, ...]:
        return tuple(i for r in self.results for i in r.indicators)

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class ChartData:
    title: str
    categories: tuple[str, ...]
    values: tuple[tuple[int, ...], ...]  # per category, per status


@dataclass(frozen=True)
class Provenance:
    book: str  # the workbook's file name
    rules_name: str
    rules_sha256: str
    version: str  # radit's
    year: int | None  # evaluation year
    date: str  # ISO date (UTC) the report was made
    time: str  # ISO 8601 UTC, seconds


@dataclass(frozen=True)
class ReportContent:
    lang: str
    title: str
    year: int | None
    baseline_year: int | None
    statuses: tuple[StatusHead, ...]  # the legend (Table 1), in the rule file's order
    goals: tuple[GoalGroup, ...]
    counts: tuple[int, ...]  # the whole book, per status
    chart: ChartData | None
    provenance: Provenance
    problems: tuple[Finding, ...] = ()  # error findings of the book and its rows (stop nothing, listed at the end)

    @property
    def indicators(self) -> tuple[IndicatorLine, ...]:
        return tuple(i for g in self.goals for i in g.indicators)

    @property
    def total(self) -> int:
        return sum(self.counts)

    def text(self, key: str, **values: Any) -> str:
        """One of the report's own words in its language (workbook.report.text)."""
        t = TEXT[self.lang][key]
        return t.format(**values) if values else t


def report_content(path, *, year: int | None = None, lang: str | None = None, rules=None,
                   now: _dt.datetime | None = None) -> ReportContent:
    """Read the master workbook at `path`, assess every indicator once, and gather what the report shows.

    Rules, year and language are the model's decisions (workbook.model.book.read_book), the ones `radit evaluate`
    acts on: --rules, else the book's rule-file setting, else default.json; --year, else the book's; --lang, else
    the book's, else the sheet name's. Raises engine.errors.RaditError subclasses (WorkbookError, RuleFileError, a
    refusal) when the book or its rule file cannot be read; data problems are findings (ReportContent.problems).
    """
    import engine
    from engine import assess_many
    from workbook.errors import WorkbookError
    from workbook.reading.calamine import read_master
    from workbook.writing.legend import legend_rows
    from workbook.writing.row_outputs import explanation
    from workbook.writing.summary import group_indicators, level_text

    path = Path(path)
    if not path.is_file():
        raise WorkbookError(str(path), "not-found", "no such file")
    # the one model of the book: table, columns, settings, year, rule file and language decided as for evaluate
    book = read_master(str(path), year=year, rules=rules, lang=lang)
    rules, lang = book.rules, book.lang

    lines: list[IndicatorLine] = []
    assessed: list[tuple[Any, Assessment]] = []
    problems: list[Finding] = [f for f in book.findings if f.severity is Severity.ERROR]
    # the columns' years of each row, as the model read them (a row carries them only where a text needs them)
    columns = book.input_columns
    year_of = {k: columns.get(k) or repeat(default) for k, default in (
        ("baseline_year", book.settings.baseline_year), ("forecast_year", book.year), ("actual_year", book.year))}
    # the engine's one entry for many rows, as radit evaluate and validate call it
    for row, a, baseline_year, forecast_year, actual_year in zip(
            book.rows, assess_many([row.values for row in book.rows], rules), *year_of.values()):
        problems += [book.locate(f, row.row) for f in a.findings if f.severity is Severity.ERROR]
        values = row.values
        unit = values.get("unit")
        lines.append(IndicatorLine(
            id=a.id, row=row.row, text=_text(row.stored.get("indicator")), unit=_text(unit),
            baseline=_shown(values.get("baseline"), a.unit, lang),
            baseline_year=baseline_year,
            forecast=_shown(values.get("forecast"), a.unit, lang), forecast_year=forecast_year,
            actual=_shown(values.get("actual"), a.unit, lang), actual_year=actual_year,
            assessment=a, justification=_text(values.get("justification")),
            symbol=a.symbol, colour=a.colour, label=rules.label(a.status, lang),
            deviation=a.format_deviation(lang), basis=a.basis.label(lang), explanation=explanation(row, a, lang)))
        assessed.append((row, a))

    statuses = tuple(StatusHead(r.status, r.symbol, r.colour, r.label, r.description) for r in legend_rows(rules, lang))
    # the summary sheet's grouping and counts, so that the report and the evaluated workbook cannot disagree
    groups = group_indicators(assessed, rules)
    goals = []
    for goal in groups.tally.goals:
        results = []
        for res in goal.results:
            name = groups.names[(goal.key, res.key)]
            results.append(ResultGroup(level=name["level_key"], level_text=_text(level_text(name, lang)),
                                       code=_text(name["code"]), text=_text(name["text"]),
                                       indicators=tuple(lines[i] for i in groups.members[(goal.key, res.key)]),
                                       counts=res.counts))
        name = groups.names[goal.key]
        goals.append(GoalGroup(code=_text(name["code"]), text=_text(name["text"]), results=tuple(results),
                               counts=goal.counts))

    stamp = (now or _dt.datetime.now(_dt.timezone.utc)).astimezone(_dt.timezone.utc).replace(microsecond=0)
    provenance = Provenance(book=path.name, rules_name=rules.name, rules_sha256=rules.sha256, version=engine.__version__,
                            year=book.year, date=stamp.date().isoformat(),
                            time=stamp.isoformat().replace("+00:00", "Z"))
    t = TEXT[lang]
    title = t["title"].format(year=book.year) if book.year is not None else t["title_no_year"]
    baseline_years = {line.baseline_year for line in lines if line.baseline_year is not None}
    baseline_year = baseline_years.pop() if len(baseline_years) == 1 else book.settings.baseline_year
    return ReportContent(lang=lang, title=title, year=book.year, baseline_year=baseline_year, statuses=statuses,
                         goals=tuple(goals), counts=groups.tally.counts, chart=_chart(groups, lang), provenance=provenance,
                         problems=tuple(problems))


def _chart(groups, lang: str) -> ChartData | None:
    """The summary sheet's chart categories and counts (writing.summary.chart_lines); None where it draws none."""
    from workbook.writing.summary import chart_lines

    by_result, lines = chart_lines(groups, lang)
    if not lines:
        return None
    title = TEXT[lang]["chart_title" if by_result else "chart_title_goal"]
    return ChartData(title, tuple(c for c, _ in lines), tuple(v for _, v in lines))


def _shown(value: Any, unit: str | None, lang: str) -> str:
    """A value as the report shows it: text as typed, numbers formatted as the explanation formats them."""
    from engine.explain import show

    if value is None or (isinstance(value, str) and not value.strip()):
        return "–"
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, bool):
        return str(value)
    try:
        number = value if isinstance(value, Decimal) else Decimal(repr(value) if isinstance(value, float) else value)
    except Exception:
        return str(value)
    return show(number.normalize() if number == number.to_integral_value() else number, lang, unit)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    s = " ".join(str(value).split())
    return s or None
