"""(d) Subgroup dot plots with intervals (by Geschlecht, Altersgruppe, Ortsteil, ...).

Suppressed groups are listed but not plotted ("nicht ausgewiesen"); unreliable ones get hollow
markers. An optional overall value is drawn as a vertical reference line.
"""

from __future__ import annotations

from typing import Sequence

from survey.report.charts import _common as c
from survey.report.charts import style
from survey.report.charts.data import Point, SubgroupPanel


def subgroup_chart(panels: Sequence[SubgroupPanel], *, overall: Point | None = None,
                   overall_label: str = "insgesamt", indicator: str = "", unit: str = "share",
                   level: float = 0.95, width_cm: float = style.WIDTH_CM) -> style.Chart:
    """Panels stacked vertically, each with a bold heading row followed by its groups."""
    c.check_unit(unit)
    if not panels:
        raise ValueError("subgroup_chart needs at least one panel")
    rows: list[tuple[str, Point | None]] = []
    for panel in panels:
        rows.append((panel.title, None))
        rows.extend((g.label, g.point) for g in panel.groups)
    any_unreliable = any(p is not None and p.unreliable and not p.suppressed for _, p in rows)
    with style.chart_style():
        fig, ax = style.new_figure(style.height_for_rows(len(rows), per_row_cm=0.5), width_cm)
        fig.subplots_adjust(left=0.2, right=0.93)
        color = style.SERIES_COLORS[0]
        for i, (label, point) in enumerate(rows):
            y = -i
            if point is None:
                continue
            if point.suppressed:
                ax.text(0.01, y, c.NOT_SHOWN, va="center", ha="left", fontsize=8, color=style.MUTED,
                        fontstyle="italic", transform=ax.get_yaxis_transform())
                continue
            c.draw_point(ax, point.value, y, point, color=color, size=5.5)
            right = point.high if point.has_interval else point.value
            ax.annotate(c.value_text(point.value, unit), (right, y), xytext=(4, 0),
                        textcoords="offset points", va="center", fontsize=7.5, color="#222222")
        if overall is not None and not overall.suppressed:
            ax.axvline(overall.value, color=style.MUTED, linestyle=":", linewidth=1.1,
                       label=f"{overall_label}: {c.value_text(overall.value, unit)}")
        c.grouped_row_axis(ax, rows)
        if unit == "share":
            pts = [p for _, p in rows if p is not None] + ([overall] if overall else [])
            ax.set_xlim(*c.share_limits(pts))
        c.value_axis(ax, unit)
        ax.grid(axis="x")
        handles, labels = ax.get_legend_handles_labels()
        if any_unreliable:
            from matplotlib.lines import Line2D
            handles.append(Line2D([], [], marker="o", linestyle="none", markerfacecolor="white",
                                  markeredgecolor=color, markeredgewidth=1.4))
            labels.append(c.unreliable_label([p for _, p in rows]))
        if handles:
            ax.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, -0.08),
                      ncol=2, frameon=False)
        alt = _alt_text(panels, overall, overall_label, indicator, unit, level)
        return style.finish(fig, alt, "subgroups")


def _alt_text(panels, overall, overall_label, indicator, unit, level) -> str:
    head = "Punktdiagramm nach Gruppen"
    if indicator:
        head += f": {indicator}"
    parts = [head + "."]
    if overall is not None:
        parts.append(f"{overall_label.capitalize()} {c.point_text(overall, unit, level)}.")
    for panel in panels:
        groups = [f"{g.label} {c.point_text(g.point, unit, level)}" for g in panel.groups]
        parts.append(f"{panel.title}: " + "; ".join(groups) + ".")
    return " ".join(parts)
