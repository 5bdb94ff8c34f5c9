"""(a) Indicators with interval whiskers against reference values (commune vs Landkreis, Sachsen,
another study)."""

from __future__ import annotations

import textwrap
from typing import Sequence

from survey.report.charts import _common as c
from survey.report.charts import style
from survey.report.charts.data import IndicatorRow


def indicator_chart(rows: Sequence[IndicatorRow], *, commune: str, unit: str = "share",
                    level: float = 0.95, axis_label: str = "",
                    width_cm: float = style.WIDTH_CM) -> style.Chart:
    """Dot-and-whisker chart: one row per indicator, the commune's estimate with its interval and
    the reference values (own marker and colour each) just below it."""
    c.check_unit(unit)
    if not rows:
        raise ValueError("indicator_chart needs at least one row")
    ref_labels: list[str] = []
    for row in rows:
        for ref in row.references:
            if ref.label not in ref_labels:
                ref_labels.append(ref.label)
    step = 0.22
    with style.chart_style():
        fig, ax = style.new_figure(style.height_for_rows(len(rows), per_row_cm=style.row_height_for_labels(
            [r.label for r in rows], 30, 0.55 + 0.3 * len(ref_labels))),
                                   width_cm)
        fig.subplots_adjust(left=0.3, right=0.93)
        labelled: set[str] = set()
        for i, row in enumerate(rows):
            y = -i
            est = row.estimate
            if est.suppressed:
                ax.text(0.005, y, c.NOT_SHOWN, va="center", ha="left", color=style.MUTED,
                        fontstyle="italic", transform=ax.get_yaxis_transform())
            else:
                c.draw_point(ax, est.value, y, est, color=style.SERIES_COLORS[0],
                             label=commune if commune not in labelled else None)
                labelled.add(commune)
                right = est.high if est.has_interval else est.value
                ax.annotate(c.value_text(est.value, unit), (right, y), xytext=(5, 0),
                            textcoords="offset points", va="center", fontsize=8, color="#222222")
            for ref in row.references:
                k = ref_labels.index(ref.label) + 1
                if ref.point.suppressed:
                    continue
                c.draw_point(ax, ref.point.value, y - step * k, ref.point,
                             color=style.SERIES_COLORS[k % len(style.SERIES_COLORS)],
                             marker=style.SERIES_MARKERS[k % len(style.SERIES_MARKERS)], size=5.5,
                             label=ref.label if ref.label not in labelled else None)
                labelled.add(ref.label)
        ax.set_yticks([-i - step * len(ref_labels) / 2 for i in range(len(rows))])
        ax.set_yticklabels([textwrap.fill(r.label, 30) for r in rows])
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
        ax.set_ylim(-(len(rows) - 1) - step * len(ref_labels) - 0.5, 0.5)
        if unit == "share":
            ax.set_xlim(*c.share_limits([r.estimate for r in rows]
                                        + [ref.point for r in rows for ref in r.references]))
        ax.grid(axis="x")
        c.value_axis(ax, unit)
        if axis_label:
            ax.set_xlabel(axis_label)
        handles, labels = _legend_entries(ax, rows)
        ax.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, -0.12 if not axis_label else -0.22),
                  ncol=min(4, len(labels)), frameon=False, handlelength=1.2)
        alt = _alt_text(rows, commune, ref_labels, unit, level)
        return style.finish(fig, alt, "indicators")


def _legend_entries(ax, rows: Sequence[IndicatorRow]) -> tuple[list, list[str]]:  # noqa: ANN001 - matplotlib Axes
    """One filled marker per series (the first point drawn may be a hollow, unreliable one), and a hollow
    marker explaining the hollow points if the chart has any."""
    from matplotlib.lines import Line2D

    handles, labels = [], []
    for line in ax.get_lines():
        label = line.get_label()
        if label.startswith("_"):
            continue
        colour = line.get_markeredgecolor()
        handles.append(Line2D([], [], marker=line.get_marker(), markersize=line.get_markersize(), linestyle="none",
                              markerfacecolor=colour, markeredgecolor=colour, markeredgewidth=1.4))
        labels.append(label)
    points = [p for row in rows for p in (row.estimate, *(ref.point for ref in row.references))]
    if any(p.unreliable and not p.suppressed for p in points):
        handles.append(Line2D([], [], marker="o", markersize=6.5, linestyle="none", markerfacecolor="white",
                              markeredgecolor=style.MUTED, markeredgewidth=1.4))
        labels.append(c.unreliable_label(points))
    return handles, labels


def _alt_text(rows: Sequence[IndicatorRow], commune: str, ref_labels: list[str], unit: str,
              level: float) -> str:
    head = f"Punktdiagramm mit Konfidenzintervallen: {commune}"
    if ref_labels:
        head += " im Vergleich mit " + c.join_de(ref_labels)
    parts = [head + "."]
    for row in rows:
        text = f"{row.label}: {commune} {c.point_text(row.estimate, unit, level)}"
        refs = [f"{ref.label} {c.point_text(ref.point, unit, level)}" for ref in row.references]
        if refs:
            text += "; " + "; ".join(refs)
        parts.append(text + ".")
    return " ".join(parts)
