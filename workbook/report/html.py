"""The report as one self-contained HTML file: inline CSS (screen and print), the chart as inline SVG, nothing fetched.

Accessible: every table has a caption and <th scope>; each assessment shows its symbol and its label as text
(the fill colour is never the only sign); the chart has a title and a description, and its numbers are in Table 3.
"""
from __future__ import annotations

from html import escape

from workbook.report.content import IndicatorLine, ReportContent

CSS = """
:root { --ink: #1a1a1a; --rule: #8c8c8c; --head: #d9d9d9; --goal: #d9e2f3; --result: #f2f2f2; }
* { box-sizing: border-box; }
body { font-family: Calibri, Carlito, "DejaVu Sans", Arial, sans-serif; color: var(--ink); margin: 1.5rem auto;
       max-width: 78rem; padding: 0 1rem; font-size: 10.5pt; line-height: 1.35; }
h1 { font-size: 20pt; margin: 0 0 .3rem; color: #1f3864; }
h2 { font-size: 14pt; margin: 1.6rem 0 .5rem; color: #1f3864; }
p.meta { margin: .2rem 0; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0; }
table.results { table-layout: fixed; }
td, th { overflow-wrap: break-word; }
caption { caption-side: bottom; text-align: left; font-style: italic; font-size: 9pt; padding-top: .3rem; }
th, td { border: 1px solid var(--rule); padding: .25rem .4rem; vertical-align: middle; text-align: left; }
thead th { background: var(--head); text-align: center; font-size: 9pt; }
td.num { text-align: center; white-space: nowrap; }
tr.goal th { background: var(--goal); font-size: 10.5pt; }
tr.result th { background: var(--result); font-size: 10pt; }
tbody th[scope=row] { font-weight: normal; white-space: nowrap; }
td.assessment { text-align: center; min-width: 8.5rem; }
.symbol { display: block; font-size: 17pt; font-weight: bold; line-height: 1.1; }
.deviation { display: block; font-size: 9.5pt; }
.label { display: block; font-size: 8pt; color: #404040; }
tr.narrative td { font-size: 9.5pt; padding: .35rem .6rem; }
tr.narrative p { margin: .1rem 0 .35rem; }
tr.narrative .id { font-weight: bold; }
table.legend td.symbol-cell { text-align: center; width: 5rem; }
table.summary td { text-align: center; }
table.summary th[scope=row] { text-align: left; }
table.summary tr.goal th, table.summary tr.goal td { background: var(--goal); font-weight: bold; }
table.summary tr.total th, table.summary tr.total td { background: var(--head); font-weight: bold; }
table.summary tr.sub th { padding-left: 1.4rem; font-weight: normal; }
figure { margin: 1rem 0; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-style: italic; font-size: 9pt; }
dl.provenance { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; font-size: 9.5pt; }
dl.provenance dt { font-weight: bold; }
dl.provenance dd { margin: 0; overflow-wrap: anywhere; }
footer { margin-top: 2rem; font-size: 8.5pt; color: #595959; }
@media print {
  @page { size: A4 landscape; margin: 12mm; }
  body { margin: 0; max-width: none; padding: 0; font-size: 9pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  tr.goal, tr.result { break-after: avoid; page-break-after: avoid; }
  h2 { break-after: avoid; page-break-after: avoid; }
  section.results, section.summary { break-before: page; page-break-before: always; }
  figure { break-inside: avoid; }
}
"""


def render_html(content: ReportContent) -> str:
    t = content.text
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{content.lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="radit {escape(content.provenance.version)}">',
        f"<title>{escape(content.title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{escape(content.title)}</h1>",
        f'<p class="meta">{escape(t("intro"))}</p>',
        f'<p class="meta">{escape(t("source", name=content.provenance.book))}</p>',
        "</header>",
        "<main>",
        _legend(content),
        _results(content),
        _summary(content),
        _provenance(content),
    ]
    if content.problems:
        parts.append(_problems(content))
    parts += ["</main>", f"<footer>{escape(content.title)} · {escape(content.provenance.book)} · radit "
              f"{escape(content.provenance.version)}</footer>", "</body>", "</html>", ""]
    return "\n".join(parts)


def _legend(content: ReportContent) -> str:
    t = content.text
    symbol, label, description = t("legend_head")
    rows = "".join(
        f'<tr class="{s.status}"><td class="symbol-cell" style="background:{s.colour}">'
        f'<span class="symbol" aria-hidden="true">{escape(s.symbol)}</span></td>'
        f'<th scope="row">{escape(s.label)}</th><td>{escape(s.description)}</td></tr>'
        for s in content.statuses)
    return (f'<section class="legend"><table class="legend"><caption>{escape(t("legend_caption"))}</caption>'
            f'<thead><tr><th scope="col">{escape(symbol)}</th><th scope="col">{escape(label)}</th>'
            f'<th scope="col">{escape(description)}</th></tr></thead><tbody>{rows}</tbody></table></section>')


def _year(content: ReportContent, y) -> str:
    return content.text("year", year=y) if y is not None else ""


def _results(content: ReportContent) -> str:
    t = content.text
    baseline = t("baseline") + (f" ({_year(content, content.baseline_year)})" if content.baseline_year else "")
    heads = (t("id"), t("indicator"), baseline, f"{_year(content, content.year)} {t('forecast')}".strip(),
             f"{_year(content, content.year)} {t('actual')}".strip(), t("assessment"), t("basis"))
    width = len(heads)
    out = [f'<section class="results"><h2>{escape(t("results_heading"))}</h2><table class="results">',
           f'<caption>{escape(t("results_caption"))}</caption>',
           "<colgroup>" + "".join(f'<col style="width:{w}%">' for w in (8, 32, 11, 12, 12, 13, 12)) + "</colgroup>",
           "<thead><tr>" + "".join(f'<th scope="col">{escape(h)}</th>' for h in heads) + "</tr></thead>"]
    for goal in content.goals:
        label = f"{t('goal')} {goal.code}" if goal.code else t("goal")
        text = f"{label}: {goal.text}" if goal.text else (goal.code or t("none"))
        out.append(f'<tbody class="goal"><tr class="goal"><th scope="rowgroup" colspan="{width}">{escape(text)}</th></tr>')
        for result in goal.results:
            if result.heading:
                out.append(f'<tr class="result"><th scope="rowgroup" colspan="{width}">{escape(result.heading)}</th></tr>')
            out += [_indicator(line) for line in result.indicators]
            notes = []
            for line in result.indicators:
                notes.append(f'<p><span class="id">{escape(line.id)} {escape(line.symbol)}</span> {escape(line.explanation)}</p>')
                if line.justification:
                    notes.append(f'<p><em>{escape(t("justification"))}:</em> {escape(line.justification)}</p>')
            out.append(f'<tr class="narrative"><td colspan="{width}">{"".join(notes)}</td></tr>')
        out.append("</tbody>")
    out.append("</table></section>")
    return "\n".join(out)


def _indicator(line: IndicatorLine) -> str:
    deviation = f'<span class="deviation">{escape(line.deviation)}</span>' if line.deviation != "–" else ""
    return (f'<tr class="indicator {line.status}" id="{escape(line.id)}"><th scope="row">{escape(line.id)}</th>'
            f"<td>{escape(line.text or '')}</td>"
            f'<td class="num">{escape(line.baseline)}</td><td class="num">{escape(line.forecast)}</td>'
            f'<td class="num">{escape(line.actual)}</td>'
            f'<td class="assessment {line.status}" style="background:{line.colour}">'
            f'<span class="symbol" aria-hidden="true">{escape(line.symbol)}</span>{deviation}'
            f'<span class="label">{escape(line.label)}</span></td>'
            f"<td>{escape(line.basis)}</td></tr>")


def _summary(content: ReportContent) -> str:
    t = content.text
    head = "".join(f'<th scope="col" style="background:{s.colour}"><span class="symbol" aria-hidden="true">'
                   f'{escape(s.symbol)}</span> {escape(s.label)}</th>' for s in content.statuses)

    def line(kind: str, label: str, counts) -> str:
        cells = "".join(f"<td>{n}</td>" for n in (*counts, sum(counts)))
        return f'<tr class="{kind}"><th scope="row">{escape(label)}</th>{cells}</tr>'

    rows = []
    for goal in content.goals:
        rows.append(line("goal", f"{t('goal')} {goal.code}" if goal.code else (goal.text or t("none")), goal.counts))
        rows += [line("sub", r.short, r.counts) for r in goal.results if r.short]
    rows.append(line("total", t("total"), content.counts))
    out = [f'<section class="summary"><h2>{escape(t("summary_heading"))}</h2><table class="summary">'
           f'<caption>{escape(t("summary_caption"))}</caption><thead><tr><th scope="col">{escape(t("group"))}</th>'
           f'{head}<th scope="col">{escape(t("total"))}</th></tr></thead><tbody>{"".join(rows)}</tbody></table>']
    if content.chart is not None:
        from workbook.report.chart import chart_svg

        svg = chart_svg(content.chart, content.statuses, t("chart_axis"), title=content.chart.title,
                        desc=t("chart_alt", title=content.chart.title))
        out.append(f"<figure>{svg}<figcaption>{escape(t('chart_caption', title=content.chart.title))}</figcaption></figure>")
    out.append("</section>")
    return "\n".join(out)


def _provenance(content: ReportContent) -> str:
    t, p = content.text, content.provenance
    items = ((t("prov_book"), p.book), (t("prov_year"), "–" if p.year is None else str(p.year)),
             (t("prov_rules"), p.rules_name), (t("prov_sha"), p.rules_sha256),
             (t("prov_version"), f"radit {p.version}"), (t("prov_date"), p.time))
    body = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in items)
    return f'<section class="provenance"><h2>{escape(t("provenance_heading"))}</h2><dl class="provenance">{body}</dl></section>'


def _problems(content: ReportContent) -> str:
    t = content.text
    items = "".join(f"<li>{escape(f.render(content.lang))}</li>" for f in content.problems[:50])
    return (f'<section class="problems"><h2>{escape(t("problems_heading"))}</h2><p>{escape(t("problems_intro"))}</p>'
            f"<ul>{items}</ul></section>")
