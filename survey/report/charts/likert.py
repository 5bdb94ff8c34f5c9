"""(b) Diverging stacked bars for 4-point (or other even) Likert items: negative categories left of
zero, positive ones right."""

from __future__ import annotations

import textwrap
from typing import Sequence

from survey.report import formatting as fmt
from survey.report.charts import _common as c
from survey.report.charts import style
from survey.report.charts.data import LikertItem, LikertScale


def _colors(scale: LikertScale) -> list[str]:
    neg = scale.negative
    pos = len(scale.categories) - neg
    negative = list(style.LIKERT_NEGATIVE)[:neg] if neg <= 2 else [style.LIKERT_NEGATIVE[0]] * neg
    positive = list(style.LIKERT_POSITIVE)[-pos:] if pos <= 2 else [style.LIKERT_POSITIVE[-1]] * pos
    return negative + positive


LEGEND_CHARS = 72  # legend text that fits one line under a full-width chart (8 pt)


def _legend_columns(scale: LikertScale) -> int:
    """All categories in one legend line if they fit, else two columns (long agreement scales)."""
    k = len(scale.categories)
    return k if sum(len(c) + 5 for c in scale.categories) <= LEGEND_CHARS else 2


def _legend_rows(scale: LikertScale) -> int:
    return -(-len(scale.categories) // _legend_columns(scale))


def _check(items: Sequence[LikertItem], scale: LikertScale) -> None:
    if not items:
        raise ValueError("likert_chart needs at least one item")
    k = len(scale.categories)
    for item in items:
        if len(item.shares) != k:
            raise ValueError(f"item {item.label!r} has {len(item.shares)} shares, scale has {k}")


def _draw_panel(ax, items: Sequence[LikertItem], scale: LikertScale, *, x_labels: bool = True,
                legend_inside: bool = False) -> None:
    """One block of diverging bars with its own legend below (each scale names its categories)."""
    colors = _colors(scale)
    for i, item in enumerate(items):
        y = -i
        left = -sum(item.shares[: scale.negative])
        for j, share in enumerate(item.shares):
            ax.barh(y, share, left=left, height=0.62, color=colors[j], edgecolor="white",
                    linewidth=0.6, label=scale.categories[j] if i == 0 else None)
            if share >= 0.05:
                dark = colors[j] in ("#0072B2", "#D55E00")
                ax.text(left + share / 2, y, fmt.percent_number(share, 0), ha="center",
                        va="center", fontsize=7.5, color="white" if dark else "#111111")
            left += share
    ax.axvline(0, color="#333333", linewidth=0.9)
    ax.set_yticks([-i for i in range(len(items))])
    ax.set_yticklabels([textwrap.fill(it.label, 30) for it in items])
    ax.set_ylim(-len(items) + 0.45, 0.55)
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    ax.set_xlim(-1, 1)
    ax.set_xticks([-1, -0.75, -0.5, -0.25, 0, 0.25, 0.5, 0.75, 1])
    # Both sides show positive shares.
    ax.xaxis.set_major_formatter(style.FuncFormatter(lambda x, _pos: fmt.percent(abs(x), 0)))
    if not x_labels:
        ax.tick_params(axis="x", labelbottom=False)
    ax.grid(axis="x")
    if legend_inside:  # panels: the legend sits in the free band below the panel's bars
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 0.0), ncol=_legend_columns(scale), frameon=True,
                  facecolor="white", edgecolor="white", framealpha=1.0, handlelength=1.0, columnspacing=1.2,
                  borderaxespad=0.1)
    else:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=_legend_columns(scale), frameon=False,
                  handlelength=1.0, columnspacing=1.2)


def likert_chart(items: Sequence[LikertItem], scale: LikertScale, *,
                 width_cm: float = style.WIDTH_CM) -> style.Chart:
    """Each item a horizontal bar; shares of the negative categories extend left from 0 (most
    negative outermost), positive ones right. Segments of at least 5 % carry their value."""
    _check(items, scale)
    with style.chart_style():
        fig, ax = style.new_figure(style.height_for_rows(
            len(items), per_row_cm=style.row_height_for_labels([it.label for it in items], 30, 0.8),
            extra_cm=2.2 + LEGEND_LINE_CM * (_legend_rows(scale) - 1)), width_cm)
        fig.subplots_adjust(left=0.3, right=0.97)
        _draw_panel(ax, items, scale)
        return style.finish(fig, _alt_text(items, scale), "likert")


PANEL_LEGEND_CM = 0.75  # legend band under each panel (one line)
LEGEND_LINE_CM = 0.42  # each further legend line
AXIS_CM = 0.9  # shared percent axis under the last panel
TOP_CM = 0.3


def likert_panels_chart(panels: Sequence[tuple[Sequence[LikertItem], LikertScale]], *,
                        width_cm: float = style.WIDTH_CM) -> style.Chart:
    """Several questions with different answer scales in one figure: one block of bars per scale,
    each with its legend, on one shared percent axis (shown under the last block). This replaces a
    row of one-bar charts, each with its own axis, caption and white space."""
    if not panels:
        raise ValueError("likert_panels_chart needs at least one panel")
    for items, scale in panels:
        _check(items, scale)
    labels = [it.label for items, _ in panels for it in items]
    row_cm = style.row_height_for_labels(labels, 30, 0.7)
    legends = [PANEL_LEGEND_CM + LEGEND_LINE_CM * (_legend_rows(scale) - 1) for _, scale in panels]
    heights = [len(items) * row_cm + legend for (items, _), legend in zip(panels, legends)]
    total = sum(heights) + AXIS_CM + TOP_CM
    with style.chart_style():
        fig = style.empty_figure(total, width_cm)
        grid = fig.add_gridspec(len(panels), 1, height_ratios=heights, hspace=0.0,
                                left=0.3, right=0.97, top=1 - TOP_CM / total, bottom=AXIS_CM / total)
        for k, (items, scale) in enumerate(panels):
            ax = fig.add_subplot(grid[k, 0])
            _draw_panel(ax, items, scale, x_labels=k == len(panels) - 1, legend_inside=True)
            # Room for the panel's legend: the bars use the upper part of the panel.
            rows = len(items)
            ax.set_ylim(-rows + 0.45 - legends[k] / row_cm, 0.55)
            if k < len(panels) - 1:
                ax.spines["bottom"].set_visible(False)
                ax.tick_params(axis="x", length=0)
        alt = " ".join(_alt_text(items, scale) for items, scale in panels)
        return style.finish(fig, alt, "likert")


def _alt_text(items: Sequence[LikertItem], scale: LikertScale) -> str:
    parts = ["Gestapeltes Balkendiagramm (divergierend): Anteile der Antworten je Aussage, "
             f"{scale.negative_label} links, {scale.positive_label} rechts."]
    for item in items:
        neg = sum(item.shares[: scale.negative])
        pos = sum(item.shares[scale.negative:])
        detail = c.join_de([f"{cat} {fmt.percent(s)}" for cat, s in zip(scale.categories, item.shares)])
        label = item.label.rstrip(" .:")
        label = f"»{label}«" if label.endswith("?") else label  # no »?:« or ».:« after a question or sentence
        text = (f"{label}: {fmt.percent(neg)} {scale.negative_label}, {fmt.percent(pos)} "
                f"{scale.positive_label} ({detail}")
        if item.n is not None:
            text += f"; n{fmt.NBSP}={fmt.NBSP}{fmt.integer(item.n)}"
        parts.append(text + ").")
    return " ".join(parts)
