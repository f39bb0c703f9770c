"""The summary's clustered column chart, drawn once with matplotlib: PNG for Word, SVG (text kept as text) for HTML."""
from __future__ import annotations

import io
from collections.abc import Sequence

from workbook.report.content import ChartData, StatusHead

EDGE = "#595959"  # the bars' outline: pale fills stay visible on white and in grey print
HATCHES = ("", "////", "....", "xx")  # a pattern per status, so the bars differ without colour too


def _figure(chart: ChartData, statuses: Sequence[StatusHead], axis_label: str):
    import matplotlib

    matplotlib.use("Agg", force=True)  # no display: never a window, never a GUI toolkit import
    from matplotlib.figure import Figure

    n = len(chart.categories)
    width = max(6.5, min(11.0, 1.2 + 0.62 * n))
    fig = Figure(figsize=(width, 3.6), dpi=100)
    ax = fig.add_subplot()
    k = max(1, len(statuses))
    bar = 0.8 / k
    for j, s in enumerate(statuses):
        xs = [i - 0.4 + bar * (j + 0.5) for i in range(n)]
        ys = [values[j] for values in chart.values]
        bars = ax.bar(xs, ys, bar, color=s.colour, edgecolor=EDGE, linewidth=0.7, hatch=HATCHES[j % len(HATCHES)],
                      label=f"{s.symbol} {s.label}")
        for x, y, _ in zip(xs, ys, bars):
            if y:
                ax.annotate(str(y), (x, y), xytext=(0, 1.5), textcoords="offset points", ha="center", va="bottom",
                            fontsize=7, color="#262626")
    ax.set_xticks(range(n), chart.categories, fontsize=8)
    ax.set_ylabel(axis_label, fontsize=8)
    top = max((max(v) for v in chart.values if v), default=0)
    ax.set_ylim(0, top + 1)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.tick_params(axis="y", labelsize=8)
    ax.grid(axis="y", color="#D9D9D9", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_title(chart.title, fontsize=10, fontweight="bold")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=min(k, 4), fontsize=8, frameon=False)
    fig.tight_layout()
    return fig


def chart_png(chart: ChartData, statuses: Sequence[StatusHead], axis_label: str, *, dpi: int = 200) -> bytes:
    fig = _figure(chart, statuses, axis_label)
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=dpi, metadata={"Software": None})  # no version stamp: same input, same bytes
    return out.getvalue()


def chart_svg(chart: ChartData, statuses: Sequence[StatusHead], axis_label: str, *, title: str, desc: str) -> str:
    """An <svg> element for inline use: text as <text> (searchable, read aloud), with <title> and <desc>."""
    import matplotlib

    fig = _figure(chart, statuses, axis_label)
    out = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "radit"}):
        fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    svg = out.getvalue()
    svg = svg[svg.index("<svg"):]  # no XML prolog or DOCTYPE inside HTML
    if "<metadata>" in svg:  # matplotlib's RDF block names only itself
        svg = svg[:svg.index("<metadata>")] + svg[svg.index("</metadata>") + len("</metadata>"):]
    head_end = svg.index(">") + 1
    from html import escape

    svg = (svg[:head_end - 1] + ' role="img" aria-labelledby="chart-title chart-desc">'
           + f'<title id="chart-title">{escape(title)}</title><desc id="chart-desc">{escape(desc)}</desc>'
           + svg[head_end:])
    return svg
