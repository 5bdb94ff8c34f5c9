"""(f) Driver forest plot: odds ratios with intervals on a log scale, reference line at 1."""

from __future__ import annotations

import math
from typing import Sequence

from matplotlib.ticker import FixedLocator, NullLocator

from survey.report import formatting as fmt
from survey.report.charts import _common as c
from survey.report.charts import style
from survey.report.charts.data import ForestRow

REFERENCE = "Referenz"
AXIS_MIN, AXIS_MAX = 0.02, 50.0


def forest_chart(rows: Sequence[ForestRow], *, outcome: str = "", level: float = 0.95,
                 axis_label: str = "Odds Ratio (logarithmische Skala)",
                 width_cm: float = style.WIDTH_CM) -> style.Chart:
    """One row per coefficient, grouped under bold factor headings; reference categories at 1."""
    if not rows:
        raise ValueError("forest_chart needs at least one row")
    lines: list[tuple[str, ForestRow | None]] = []
    group = None
    for row in rows:
        if row.group and row.group != group:
            lines.append((row.group, None))
            group = row.group
        lines.append((row.label, row))
    values = [v for r in rows for v in (r.odds_ratio, r.low, r.high)
              if v is not None and v > 0 and math.isfinite(v)]
    # The axis spans the values, but at most AXIS_MIN..AXIS_MAX: a huge interval (few cases in a
    # group) would squeeze every other row; its clipped end gets an arrow, the numbers stand beside.
    lo = max(min(min(values + [1.0]) / 1.25, 0.5), AXIS_MIN)
    hi = min(max(max(values + [1.0]) * 1.25, 2.0), AXIS_MAX)
    with style.chart_style():
        fig, ax = style.new_figure(style.height_for_rows(len(lines), per_row_cm=0.5), width_cm)
        fig.subplots_adjust(left=0.32, right=0.8)
        color = style.SERIES_COLORS[0]
        ax.set_xscale("log")
        ax.axvline(1.0, color="#333333", linewidth=0.9)
        for i, (_label, row) in enumerate(lines):
            y = -i
            if row is None:
                continue
            if row.is_reference:
                ax.plot([1.0], [y], marker="|", markersize=8, color=style.MUTED)
                ax.annotate(REFERENCE, (1.0, y), xytext=(6, 0), textcoords="offset points",
                            va="center", fontsize=7.5, color=style.MUTED)
                continue
            if row.odds_ratio is None:
                continue
            if row.low is not None and row.high is not None:
                left, right = max(row.low, lo), min(row.high, hi)
                ax.plot([left, right], [y, y], color=color, linewidth=1.6)
                if row.low < lo:
                    ax.plot([lo], [y], marker="<", markersize=6, color=color, clip_on=False)
                if row.high > hi:
                    ax.plot([hi], [y], marker=">", markersize=6, color=color, clip_on=False)
            if lo <= row.odds_ratio <= hi:
                ax.plot([row.odds_ratio], [y], marker="s", markersize=5.5, color=color)
        ax.set_xlim(lo, hi)
        ticks = [t for t in (0.1, 0.2, 0.25, 0.5, 1, 2, 4, 5, 10, 20) if lo <= t <= hi]
        if hi / lo > 40:  # wide range: fewer ticks so that labels do not collide
            ticks = [t for t in (0.01, 0.1, 0.5, 1, 2, 10, 50, 100) if lo <= t <= hi]
        ax.xaxis.set_major_locator(FixedLocator(ticks))
        ax.xaxis.set_minor_locator(NullLocator())
        ax.xaxis.set_major_formatter(style.ratio_formatter())
        c.grouped_row_axis(ax, lines)
        ax.grid(axis="x")
        if axis_label:
            ax.set_xlabel(axis_label)
        # Odds ratios with intervals as a text column on the right.
        for i, (_label, row) in enumerate(lines):
            if row is None or row.is_reference or row.odds_ratio is None:
                continue
            text = fmt.odds_ratio(row.odds_ratio)
            if row.low is not None and row.high is not None:
                text += f" ({fmt.interval(row.low, row.high, kind='decimal')})"
            ax.text(1.02, -i, text, transform=ax.get_yaxis_transform(), va="center", ha="left",
                    fontsize=7.5)
        return style.finish(fig, _alt_text(rows, outcome, level), "forest")


def _alt_text(rows: Sequence[ForestRow], outcome: str, level: float) -> str:
    head = "Forest-Plot: Odds Ratios mit " + fmt.ci_label(level) + " auf logarithmischer Skala"
    if outcome:
        head += f" für {outcome}"
    parts = [head + "; Werte über 1 bedeuten eine höhere Chance."]
    for row in rows:
        name = f"{row.group} {row.label}" if row.group else row.label
        if row.is_reference:
            parts.append(f"{name}: {REFERENCE}.")
            continue
        text = f"{name}: {fmt.odds_ratio(row.odds_ratio)}"
        extras = []
        if row.low is not None and row.high is not None:
            extras.append(f"{fmt.ci_label(level)} {fmt.interval(row.low, row.high, kind='decimal')}")
        if row.p_value is not None and not math.isnan(row.p_value):
            extras.append(fmt.p_value(row.p_value))
        if extras:
            text += " (" + ", ".join(extras) + ")"
        parts.append(text + ".")
    return " ".join(parts)
