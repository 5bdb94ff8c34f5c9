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


def likert_chart(items: Sequence[LikertItem], scale: LikertScale, *,
                 width_cm: float = style.WIDTH_CM) -> style.Chart:
    """Each item a horizontal bar; shares of the negative categories extend left from 0 (most
    negative outermost), positive ones right. Segments of at least 5 % carry their value."""
    if not items:
        raise ValueError("likert_chart needs at least one item")
    k = len(scale.categories)
    for item in items:
        if len(item.shares) != k:
            raise ValueError(f"item {item.label!r} has {len(item.shares)} shares, scale has {k}")
    colors = _colors(scale)
    with style.chart_style():
        fig, ax = style.new_figure(style.height_for_rows(
            len(items), per_row_cm=style.row_height_for_labels([it.label for it in items], 30, 0.8), extra_cm=2.2),
                                   width_cm)
        fig.subplots_adjust(left=0.3, right=0.97)
        for i, item in enumerate(items):
            y = -i
            neg_total = sum(item.shares[: scale.negative])
            left = -neg_total
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
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
        ax.set_xlim(-1, 1)
        ax.set_xticks([-1, -0.75, -0.5, -0.25, 0, 0.25, 0.5, 0.75, 1])
        # Both sides show positive shares.
        ax.xaxis.set_major_formatter(
            style.FuncFormatter(lambda x, _pos: fmt.percent(abs(x), 0)))
        ax.grid(axis="x")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=k, frameon=False,
                  handlelength=1.0, columnspacing=1.2)
        return style.finish(fig, _alt_text(items, scale), "likert")


def _alt_text(items: Sequence[LikertItem], scale: LikertScale) -> str:
    parts = ["Gestapeltes Balkendiagramm (divergierend): Anteile der Antworten je Aussage, "
             f"{scale.negative_label} links, {scale.positive_label} rechts."]
    for item in items:
        neg = sum(item.shares[: scale.negative])
        pos = sum(item.shares[scale.negative:])
        detail = c.join_de([f"{cat} {fmt.percent(s)}" for cat, s in zip(scale.categories, item.shares)])
        text = (f"{item.label}: {fmt.percent(neg)} {scale.negative_label}, {fmt.percent(pos)} "
                f"{scale.positive_label} ({detail}")
        if item.n is not None:
            text += f"; n{fmt.NBSP}={fmt.NBSP}{fmt.integer(item.n)}"
        parts.append(text + ").")
    return " ".join(parts)
