"""(c) PKS trends: Häufigkeitszahl per year with interval bands for commune, Landkreis, Sachsen."""

from __future__ import annotations

from typing import Sequence

from matplotlib.ticker import MaxNLocator

from survey.report.charts import _common as c
from survey.report.charts import style
from survey.report.charts.data import SeriesBreak, TrendSeries


def trend_chart(series: Sequence[TrendSeries], *, breaks: Sequence[SeriesBreak] = (),
                unit: str = "hz", level: float = 0.95,
                axis_label: str = "Straftaten je 100.000 Einwohner",
                width_cm: float = style.WIDTH_CM) -> style.Chart:
    """Lines with markers per area, shaded interval bands, dashed lines for known series breaks."""
    c.check_unit(unit)
    if not series:
        raise ValueError("trend_chart needs at least one series")
    years = sorted({p.year for s in series for p in s.points})
    with style.chart_style():
        fig, ax = style.new_figure(7.5, width_cm)
        for k, s in enumerate(series):
            color = style.SERIES_COLORS[k % len(style.SERIES_COLORS)]
            pts = [p for p in s.points if p.value is not None]
            xs = [p.year for p in pts]
            band = [p for p in pts if p.low is not None and p.high is not None]
            if band:
                ax.fill_between([p.year for p in band], [p.low for p in band], [p.high for p in band],
                                color=color, alpha=0.18, linewidth=0)
            ax.plot(xs, [p.value for p in pts], color=color, linewidth=1.8,
                    marker=style.SERIES_MARKERS[k % len(style.SERIES_MARKERS)], markersize=4.5,
                    label=s.label)
        for b in breaks:
            ax.axvline(b.year - 0.5, color=style.MUTED, linestyle="--", linewidth=0.9)
            ax.annotate(b.label, (b.year - 0.5, 1.0), xycoords=("data", "axes fraction"),
                        xytext=(3, -2), textcoords="offset points", va="top", ha="left",
                        fontsize=7.5, color=style.MUTED)
        ax.set_xticks(years)
        ax.xaxis.set_major_formatter(style.FuncFormatter(lambda x, _p: str(int(round(x)))))
        ax.yaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
        top = max((p.high if p.high is not None else p.value) for s in series for p in s.points
                  if p.value is not None)
        ax.set_ylim(0, top * 1.12)
        c.value_axis(ax, unit, axis="y")
        ax.grid(axis="y")
        if axis_label:
            ax.set_ylabel(axis_label)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=min(4, len(series)),
                  frameon=False)
        return style.finish(fig, _alt_text(series, breaks, unit, level, axis_label), "trend")


def _alt_text(series: Sequence[TrendSeries], breaks: Sequence[SeriesBreak], unit: str,
              level: float, axis_label: str) -> str:
    years = sorted({p.year for s in series for p in s.points})
    what = axis_label or "Wert"
    head = f"Liniendiagramm: {what}, {years[0]}–{years[-1]}."
    parts = [head]
    for s in series:
        pts = [p for p in s.points if p.value is not None]
        if not pts:
            parts.append(f"{s.label}: keine Werte.")
            continue
        first, last = pts[0], pts[-1]
        text = (f"{s.label}: {c.value_text(first.value, unit)} ({first.year}), "
                f"{c.value_text(last.value, unit)} ({last.year})")
        if last.low is not None and last.high is not None:
            from survey.report import formatting as fmt
            text += f", {fmt.ci_label(level)} {last.year} {c.interval_text(last.low, last.high, unit)}"
        parts.append(text + ".")
    for b in breaks:
        parts.append(f"Bruch der Zeitreihe ab {b.year}: {b.label}.")
    return " ".join(parts)
