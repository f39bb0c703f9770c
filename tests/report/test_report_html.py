"""The HTML report: one self-contained, accessible file with the same table, legend, summary and chart."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from tests.report.conftest import sample_ids


@pytest.fixture(scope="module")
def html(content):
    from workbook.report.html import render_html

    return render_html(content)


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(html: str):
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def test_it_is_one_file_that_fetches_nothing(html):
    tags = _tags(html)
    assert not [t for t, a in tags if t in ("script", "link", "img", "iframe", "object")]
    assert not [a for _, a in tags if any(k in a for k in ("src", "href"))]
    assert "@import" not in html and not re.search(r"url\((?!#)", html)  # only the SVG's own #fragments
    assert html.count("<svg") == 1 and "<style>" in html and "@media print" in html
    assert html.startswith("<!DOCTYPE html>") and '<html lang="lv">' in html


def test_every_indicator_row_in_order_with_its_symbol_and_label_as_text(html, content):
    rows = [a["id"] for t, a in _tags(html) if t == "tr" and "indicator" in a.get("class", "")]
    assert rows == sample_ids()
    for line in content.indicators:
        row = re.search(rf'<tr class="indicator [a-z_]+" id="{re.escape(line.id)}">(.*?)</tr>', html, re.S).group(1)
        assert f'<th scope="row">{line.id}</th>' in row
        assert f'aria-hidden="true">{line.symbol}</span>' in row  # the symbol is shown …
        assert f'<span class="label">{line.label}</span>' in row  # … and the status said in words
        assert line.colour in row
        if line.deviation != "–":
            assert f'<span class="deviation">{line.deviation}</span>' in row


def test_tables_have_captions_and_scoped_headers(html):
    tags = _tags(html)
    ths = [a for t, a in tags if t == "th"]
    assert ths and all(a.get("scope") in ("col", "row", "rowgroup") for a in ths)
    assert html.count("<caption>") == 3
    assert "1.tabula. Rezultatīvo rādītāju novērtēšanai izmantoto simbolu skaidrojums" in html
    assert '<th scope="rowgroup" colspan="7">Politikas definētais mērķis A: Veicināt' in html


def test_the_chart_is_inline_svg_with_a_title_and_its_text(html):
    svg = html[html.index("<svg"):html.index("</svg>")]
    assert 'role="img"' in svg and '<title id="chart-title">Rādītāju vērtējumi pa rezultātiem</title>' in svg
    assert "<text" in svg and "A1 PR" in svg and "B4 DR" in svg  # text kept as text
    assert "xlink:href=\"http" not in svg


def test_summary_and_provenance(html):
    assert re.search(r'<tr class="total"><th scope="row">Kopā</th><td>6</td><td>11</td><td>7</td><td>3</td><td>27</td></tr>', html)
    assert "<dt>Noteikumu fails</dt><dd>default.json</dd>" in html and "<dt>Novērtējuma gads</dt><dd>2016</dd>" in html
