"""(e) Problem ranking: horizontal bars sorted by value, with interval whiskers."""

from __future__ import annotations

import textwrap
from typing import Sequence

from survey.report.charts import _common as c
from survey.report.charts import style
from survey.report.charts.data import RankItem


def ranking_chart(items: Sequence[RankItem], *, unit: str = "share", level: float = 0.95,
                  indicator: str = "", axis_label: str = "",
                  width_cm: float = style.WIDTH_CM) -> style.Chart:
    """Bars sorted from largest (top) to smallest; residual answers (»keine dieser«, »anderes«)
    after them, suppressed items listed last, not plotted."""
    c.check_unit(unit)
    if not items:
        raise ValueError("ranking_chart needs at least one item")
    shown = sorted((i for i in items if not i.point.suppressed), key=lambda i: (i.residual, -i.point.value))
    hidden = [i for i in items if i.point.suppressed]
    ordered = shown + hidden
    with style.chart_style():
        fig, ax = style.new_figure(style.height_for_rows(
            len(ordered), per_row_cm=style.row_height_for_labels([i.label for i in ordered], 32, 0.6)), width_cm)
        fig.subplots_adjust(left=0.25, right=0.93)
        color = style.SERIES_COLORS[0]
        for i, item in enumerate(ordered):
            y = -i
            p = item.point
            if p.suppressed:
                ax.text(0.01, y, c.NOT_SHOWN, va="center", ha="left", fontsize=8, color=style.MUTED,
                        fontstyle="italic", transform=ax.get_yaxis_transform())
                continue
            ax.barh(y, p.value, height=0.6, color="white" if p.unreliable else color,
                    edgecolor=color, linewidth=1.2, hatch="///" if p.unreliable else None)
            if p.has_interval:
                ax.plot([p.low, p.high], [y, y], color="#222222", linewidth=1.1)
                for end in (p.low, p.high):
                    ax.plot([end, end], [y - 0.12, y + 0.12], color="#222222", linewidth=1.1)
            right = p.high if p.has_interval else p.value
            ax.annotate(c.value_text(p.value, unit), (right, y), xytext=(4, 0),
                        textcoords="offset points", va="center", fontsize=7.5)
        ax.set_yticks([-i for i in range(len(ordered))])
        ax.set_yticklabels([textwrap.fill(i.label, 32) for i in ordered])
        ax.tick_params(axis="y", length=0)
        ax.set_ylim(-len(ordered) + 0.4, 0.6)
        if unit == "share":
            ax.set_xlim(*c.share_limits([i.point for i in ordered]))
        c.value_axis(ax, unit)
        ax.grid(axis="x")
        if axis_label:
            ax.set_xlabel(axis_label)
        alt = _alt_text(ordered, unit, level, indicator)
        return style.finish(fig, alt, "ranking")


def _alt_text(ordered: Sequence[RankItem], unit: str, level: float, indicator: str) -> str:
    head = "Balkendiagramm, absteigend sortiert" + (
        ", Sammelantworten zuletzt" if any(i.residual for i in ordered) else "")
    if indicator:
        head += f": {indicator}"
    parts = [head + "."]
    for rank, item in enumerate(ordered, start=1):
        prefix = f"{rank}. " if not item.point.suppressed else ""
        label = item.label.rstrip(" .:")
        label = f"»{label}«" if label.endswith("?") else label  # no ».:« after an answer written as a sentence
        parts.append(f"{prefix}{label}: {c.point_text(item.point, unit, level)}.")
    return " ".join(parts)
