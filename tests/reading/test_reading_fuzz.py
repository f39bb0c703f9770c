"""Random cell contents in real workbooks: reading never crashes, every row gets a status or a finding."""
from __future__ import annotations

import datetime as dt
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reading_books import build_book
from workbook.cli.progress import Progress
from workbook.validation.validate import validate_book

CELL = st.one_of(
    st.none(),
    st.integers(-10**12, 10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=12),
    st.sampled_from(["88 949", "35 – 70>", "+ 2% (salīdzinājumā ar 2012.gadu)", "17 %", "-", "=1+1", "1,5"]),
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 1, 1)),
    st.booleans(),
)
ROW = st.tuples(st.sampled_from(["count", "percent", "money", "milestone", "hours", "x"]), CELL, CELL, CELL, CELL,
                st.sampled_from([None, "worse", "-", "●", "▼", 3]))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(ROW, min_size=1, max_size=6))
def test_any_cells_give_a_status_or_a_finding_per_row(tmp_path_factory, rows):
    table = [[f"R.{i}", unit, None, base, fc, ac, n, None, None, sym] for i, (unit, base, fc, ac, n, sym) in enumerate(rows)]
    path = build_book(tmp_path_factory.mktemp("fuzz") / "f.xlsx", table)
    report = validate_book(path)
    assert report.error is None
    assert [i.id for i in report.indicators] == [f"R.{i}" for i in range(len(rows))]
    for ind in report.indicators:
        assert ind.status.value in ("achieved", "worse", "better", "not_assessed")
    assert all(f.location.sheet == "Rādītāji" and f.location.row for f in report.findings if f.location.indicator)


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_is_drawn_on_a_terminal_and_cleared():
    term = FakeTerminal()
    bar = Progress(2, term, width=4)
    bar.advance("a.xlsx")
    bar.advance("b.xlsx")
    bar.close()
    text = term.getvalue()
    assert "[##..] 1/2 a.xlsx" in text and "[####] 2/2 b.xlsx" in text and text.endswith("\r")


def test_no_progress_bar_off_a_terminal():
    plain = io.StringIO()
    bar = Progress(5, plain)
    bar.advance("a")
    bar.close()
    assert plain.getvalue() == ""
