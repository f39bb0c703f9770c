"""Whatever a spec holds comes back from the built workbook cell for cell (Hypothesis)."""
from __future__ import annotations

import io

from hypothesis import HealthCheck, given, settings, strategies as st
from openpyxl import load_workbook

from workbook.writing.newbook import BookSpec, build_workbook, table_columns, workbook_bytes

# Cell values as analysts type them: numbers, text with spaces and signs, empty cells.
_text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30).filter(
    lambda s: not s.startswith("=") and s.strip() == s and s)
# Floats as analysts type them (two decimals): openpyxl writes 16 significant digits, not repr.
_value = st.one_of(st.none(), st.integers(-10**9, 10**9), st.integers(-10**9, 10**9).map(lambda i: i / 100), _text)
_row = st.fixed_dictionaries({
    "id": _text, "unit": st.sampled_from(["count", "money", "percent"]), "baseline": _value,
    "justification": st.one_of(st.none(), _text),
    "forecast": st.fixed_dictionaries({2016: _value}), "actual": st.fixed_dictionaries({2015: _value, 2016: _value}),
})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(_row, min_size=1, max_size=4), lang=st.sampled_from(["lv", "en"]))
def test_every_value_of_the_spec_comes_back_from_the_workbook(rows, lang):
    spec = BookSpec(evaluation_year=2016, baseline_year=2012, lang=lang, actual_years=(2015,), rows=tuple(rows))
    ws = load_workbook(io.BytesIO(workbook_bytes(build_workbook(spec)))).worksheets[0]
    columns = table_columns(spec)
    for offset, row in enumerate(rows):
        got = [cell.value for cell in ws[2 + offset]][: len(columns)]
        want = [row.get(c.field, {}).get(c.year) if c.year else row.get(c.field) for c in columns]
        assert got == want
    assert ws.tables[next(iter(ws.tables))].ref.endswith(str(1 + len(rows)))

