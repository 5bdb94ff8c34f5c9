"""Comparison charts in the report style (:mod:`survey.report.charts.style`): funnel plots and the
scatter of perceived against registered crime. Both return :class:`~survey.report.charts.style.Chart`
with a German alt text built from the data.

For the per-commune one-pagers a funnel plot is drawn **once** with one hidden highlight group per
commune (``<g id="fokus-<key>">``); :meth:`FunnelVariants.for_commune` keeps only the focal commune's
group. That makes hundreds of one-pagers cheap (one matplotlib drawing per indicator, not per commune).
matplotlib writes a marker's shape once (``<defs>``) inside the first group that uses it; those
definitions are moved out of the highlight groups, so that every kept highlight still has its diamond.

:func:`own_funnel_chart` draws a sheet's funnel without any other commune (``--nur-verteilung``): the
limits around the own commune's precision, the own commune and the band means of the others.
:func:`funnel_grid` draws small multiples (one panel per indicator) for the report's appendix.
"""

from __future__ import annotations

import dataclasses
import re
import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import LogLocator, MaxNLocator, NullFormatter, NullLocator

from analysis.comparison.funnel import LEVELS, FunnelLimits, FunnelResult, Position
from analysis.comparison.distribution import Band as DistributionBand
from survey.report import formatting as fmt
from survey.report.charts import style
from survey.report.charts._common import join_de, value_axis

LEVEL_TEXT = {0.95: "95\u00a0%", 0.998: "99,8\u00a0%"}
LEVEL_STYLE = {0.95: ("--", 1.0), 0.998: (":", 1.2)}
FOCUS = "fokus-"


def _value(x: float, unit: str) -> str:
    return fmt.percent(x) if unit == "share" else fmt.decimal(x, 2)


def _precision_label(result: FunnelResult, logarithmic: bool) -> str:
    text = "Effektive Fallzahl" if result.scale == "arcsine" else "Präzision 1/SE²"
    return text + " (logarithmische Skala)" if logarithmic else text


def _draw_funnel(ax, result: FunnelResult, unit: str, *, limits: FunnelLimits | None = None,
                 target: bool = True, compact: bool = False) -> None:  # noqa: ANN001
    limits = limits or result.limits
    grid = limits.precision
    for level in LEVELS:
        linestyle, width = LEVEL_STYLE[level]
        ax.plot(grid, limits.upper[level], color=style.MUTED, linestyle=linestyle, linewidth=width,
                label=f"Grenze {LEVEL_TEXT[level]}")
        ax.plot(grid, limits.lower[level], color=style.MUTED, linestyle=linestyle, linewidth=width)
    if target:
        ax.axhline(result.target, color="#333333", linewidth=0.9, label="Gesamtwert")
    lo, hi = grid[0], grid[-1]
    logarithmic = hi / lo > 8
    if logarithmic:
        ax.set_xscale("log")
        ax.xaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        ax.xaxis.set_minor_locator(NullLocator())
    else:
        ax.xaxis.set_major_locator(MaxNLocator(6))
    ax.set_xlim(lo, hi)
    ax.margins(y=0.08)
    if not compact:
        ax.set_xlabel(_precision_label(result, logarithmic))
    value_axis(ax, unit, axis="y")
    ax.xaxis.set_major_formatter(style.number_formatter(0))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.grid(axis="y")


def annotate_points(ax, xs: list[float], ys: list[float], labels: list[str], *, fontsize: float = 7.5,
                    color: str = "#222222") -> None:  # noqa: ANN001
    """Label points, nudging labels upwards (greedily) so that nearby labels do not overlap."""
    ax.get_ylim()  # triggers autoscaling so transData is final
    to_points = 72.0 / ax.figure.dpi
    display = ax.transData.transform(list(zip(xs, ys))) * to_points
    line = fontsize * 1.25
    placed: list[tuple[float, float, float]] = []  # x, y, width in points
    for i in sorted(range(len(xs)), key=lambda i: display[i][1]):
        x, y = display[i]
        width = len(labels[i]) * fontsize * 0.6
        target = y + 3
        for px, py, pw in sorted(placed, key=lambda p: p[1]):
            if abs(px - x) < max(pw, width) and abs(py - target) < line:
                target = py + line
        placed.append((x, target, width))
        ax.annotate(labels[i], (xs[i], ys[i]), xytext=(5, target - y), textcoords="offset points",
                    fontsize=fontsize, color=color, va="bottom")


def position_words(position_95: Position, position_998: Position) -> str:
    if position_95 is Position.INSIDE:
        return "innerhalb der Grenzen"
    side = "oberhalb" if position_95 is Position.ABOVE else "unterhalb"
    return f"{side} der {'99,8' if position_998 is not Position.INSIDE else '95'}-%-Grenze"


def _outside(result: FunnelResult, labels: Mapping[str, str]) -> list[str]:
    return [f"{labels.get(p.key, p.key)} ({position_words(p.position_95, p.position_998)})"
            for p in result.points if p.position_95 is not Position.INSIDE]


def funnel_alt_text(result: FunnelResult, indicator_label: str, unit: str, labels: Mapping[str, str],
                    focal: str | None = None) -> str:
    spread = "mit der üblichen Streuung zwischen Kommunen" if result.tau2 > 0 else "allein aus dem Stichprobenfehler"
    parts = [f"Trichterdiagramm für {indicator_label}: {result.k} Kommunen nach "
             f"{'effektiver Fallzahl' if result.scale == 'arcsine' else 'Präzision'}, "
             f"Gesamtwert {_value(result.target, unit)}, Grenzen für 95\u00a0% und 99,8\u00a0% {spread}."]
    if focal is not None:
        point = result.point(focal)
        if point is not None:
            parts.append(f"{labels.get(focal, focal)}: {_value(point.estimate, unit)}, "
                         f"{position_words(point.position_95, point.position_998)}.")
    outside = _outside(result, labels) if focal is None else []
    if focal is None:
        parts.append("Außerhalb der 95-%-Grenzen: " + join_de(outside) + "." if outside
                     else "Alle Kommunen liegen innerhalb der 95-%-Grenzen.")
    return " ".join(parts)


def funnel_chart(result: FunnelResult, indicator_label: str, *, unit: str = "share",
                 labels: Mapping[str, str] | None = None, label_points: bool = True,
                 width_cm: float = style.WIDTH_CM, height_cm: float = 8.5) -> style.Chart:
    """All communes as points against their precision, limits at 95 % and 99,8 %."""
    labels = labels or {}
    with style.chart_style():
        fig, ax = style.new_figure(height_cm, width_cm)
        _draw_funnel(ax, result, unit)
        xs = [p.precision for p in result.points]
        ys = [p.estimate for p in result.points]
        ax.plot(xs, ys, "o", color=style.SERIES_COLORS[0], markersize=5 if len(xs) < 60 else 3, alpha=0.9,
                linestyle="none", label="Kommune")
        if label_points and len(xs) <= 20:
            annotate_points(ax, xs, ys, [labels.get(p.key, p.key) for p in result.points])
        ax.legend(loc="upper center", frameon=False, ncols=4, bbox_to_anchor=(0.5, -0.16))
        return style.finish(fig, funnel_alt_text(result, indicator_label, unit, labels), "funnel")


@dataclass(frozen=True)
class FunnelVariants:
    """One drawing, highlight groups per commune; :meth:`for_commune` keeps only the focal ones."""

    result: FunnelResult
    indicator_label: str
    unit: str
    base: style.Chart
    spans: tuple[tuple[str, int, int], ...]  # (key, start, end) in base.svg, sorted by start

    def for_commune(self, key: str, labels: Mapping[str, str]) -> style.Chart:
        svg = self.base.svg
        pieces, position = [], 0
        for other, start, end in self.spans:
            if other == key:
                continue
            pieces.append(svg[position:start])
            position = end
        pieces.append(svg[position:])
        alt = funnel_alt_text(self.result, self.indicator_label, self.unit, labels, focal=key)
        return dataclasses.replace(self.base, svg="".join(pieces), alt_text=alt)


def _group_end(svg: str, start: int) -> int:
    """End index of the ``<g …>`` element starting at ``start`` (nested groups allowed)."""
    depth, position = 0, start
    pattern = re.compile(r"<g[\s>]|</g>")
    while True:
        match = pattern.search(svg, position)
        if match is None:  # pragma: no cover - matplotlib writes well-formed SVG
            raise ValueError("unbalanced SVG group")
        depth += 1 if match.group().startswith("<g") else -1
        position = match.end()
        if depth == 0:
            return position + 1 if svg[position:position + 1] == "\n" else position


def funnel_variants(result: FunnelResult, indicator_label: str, names: Mapping[str, str], *,
                    unit: str = "share", width_cm: float = 15.0, height_cm: float = 6.5) -> FunnelVariants:
    """A funnel with every commune as a grey point and a hidden highlight per commune (its name)."""
    with style.chart_style():
        fig, ax = style.new_figure(height_cm, width_cm)
        _draw_funnel(ax, result, unit)
        xs = [p.precision for p in result.points]
        ys = [p.estimate for p in result.points]
        ax.plot(xs, ys, "o", color="#9a9a9a", markersize=4 if len(xs) < 60 else 2.5, linestyle="none",
                label="andere Kommunen")
        color = style.OKABE_ITO["vermillion"]
        ax.plot([], [], "D", color=color, markersize=6, linestyle="none", label="Ihre Kommune")
        for p in result.points:
            marker, = ax.plot([p.precision], [p.estimate], "D", color=color, markersize=7, linestyle="none",
                              zorder=5)
            marker.set_gid(f"{FOCUS}{p.key}")
            text = ax.annotate(names.get(p.key, p.key), (p.precision, p.estimate), xytext=(6, 4),
                               textcoords="offset points", fontsize=8, fontweight="bold", color=color, zorder=6)
            text.set_gid(f"{FOCUS}label-{p.key}")
        ax.legend(loc="upper center", frameon=False, ncols=5, bbox_to_anchor=(0.5, -0.22), fontsize=7.5)
        base = style.finish(fig, "", "funnel")
    base = dataclasses.replace(base, svg=hoist_focus_defs(base.svg))
    return FunnelVariants(result, indicator_label, unit, base, focus_spans(base.svg))


def focus_spans(svg: str) -> tuple[tuple[str, int, int], ...]:
    spans = [(m.group(1), m.start(), _group_end(svg, m.start()))
             for m in re.finditer(rf'<g id="{FOCUS}(?:label-)?([^"]+)"', svg)]
    return tuple(sorted(spans, key=lambda s: s[1]))


def hoist_focus_defs(svg: str) -> str:
    """Move the ``<defs>`` matplotlib wrote inside highlight groups in front of the first group, so that
    removing a group never removes the marker shape the kept groups refer to."""
    spans = focus_spans(svg)
    if not spans:
        return svg
    defs, pieces, position = [], [], spans[0][1]
    for _, start, end in spans:
        pieces.append(svg[position:start])
        group = svg[start:end]
        defs.extend(re.findall(r"<defs>.*?</defs>\s*", group, flags=re.S))
        pieces.append(re.sub(r"<defs>.*?</defs>\s*", "", group, flags=re.S))
        position = end
    return svg[:spans[0][1]] + "".join(defs) + "".join(pieces) + svg[position:]


@dataclass(frozen=True)
class BandMark:
    """The mean of a group of other communes, drawn beside a sheet's funnel (``band`` as in
    :class:`analysis.comparison.distribution.Band`)."""

    band: DistributionBand
    label: str
    value: float


def _draw_bands(ax, bands: Sequence[BandMark]) -> None:  # noqa: ANN001
    """A box-plot-like glyph of the band means: whisker lowest–highest, box between the quartile bands,
    a bar at the middle band; each labelled."""
    color = style.OKABE_ITO["blue"]
    values = {b.band: b.value for b in bands}
    low, high = values.get(DistributionBand.LOWEST), values.get(DistributionBand.HIGHEST)
    q1, q3 = values.get(DistributionBand.LOWER_QUARTILE), values.get(DistributionBand.UPPER_QUARTILE)
    if low is not None and high is not None:
        ax.plot([0.35, 0.35], [low, high], color=color, linewidth=1.0)
        for v in (low, high):
            ax.plot([0.25, 0.45], [v, v], color=color, linewidth=1.0)
    if q1 is not None and q3 is not None:
        ax.fill_between([0.2, 0.5], q1, q3, color=style.OKABE_ITO["skyblue"], alpha=0.5, linewidth=0)
    middle = values.get(DistributionBand.MIDDLE)
    if middle is not None:
        ax.plot([0.15, 0.55], [middle, middle], color=color, linewidth=2.4)
    ax.set_xlim(0, 1.6)
    ax.set_axis_off()
    ax.get_ylim()  # final limits, so that label positions in points are right
    to_points = 72.0 / ax.figure.dpi
    gap, previous = 7.0, None  # label height in points: labels of close bands are pushed apart
    for b in sorted(bands, key=lambda b: b.value):
        y = ax.transData.transform((0.6, b.value))[1] * to_points
        shown = y if previous is None else max(y, previous + gap)
        ax.annotate(b.label, (0.6, b.value), xytext=(0, shown - y), textcoords="offset points", fontsize=6,
                    color=color, va="center")
        previous = shown


def own_funnel_chart(result: FunnelResult, key: str, name: str, indicator_label: str, *, unit: str,
                     bands: Sequence[BandMark], show_target: bool, coarse: Callable[[float], str],
                     width_cm: float = 15.0, height_cm: float = 4.2) -> style.Chart | None:
    """The sheet's funnel without any other commune: limits around the own commune's precision (drawn
    only with ``show_target``), the own commune as a diamond and, beside it, the band means of the other
    communes; the alt text prints the overall value and the bands with ``coarse``."""
    point = result.point(key)
    if point is None or not show_target:
        return None
    grid = np.geomspace(point.precision / 2.5, point.precision * 2.5, 40)
    limits = result.limits_on(grid)
    color = style.OKABE_ITO["vermillion"]
    with style.chart_style():
        fig = Figure(figsize=(width_cm / 2.54, height_cm / 2.54))
        ax, side = fig.subplots(1, 2, sharey=True, gridspec_kw={"width_ratios": [6.5, 1.5], "wspace": 0.04})
        _draw_funnel(ax, result, unit, limits=limits)
        ax.plot([point.precision], [point.estimate], "D", color=color, markersize=7, linestyle="none",
                zorder=5, label="Ihre Kommune")
        ax.annotate(name, (point.precision, point.estimate), xytext=(6, 4), textcoords="offset points",
                    fontsize=8, fontweight="bold", color=color, zorder=6)
        _draw_bands(side, bands)
        ax.legend(loc="upper center", frameon=False, ncols=4, bbox_to_anchor=(0.55, -0.24), fontsize=7.5)
        alt = (f"Trichterdiagramm für {indicator_label}: {name} {_value(point.estimate, unit)}, "
               f"{position_words(point.position_95, point.position_998)}; Gesamtwert {coarse(result.target)}. "
               "Die weiteren Kommunen sind nicht einzeln eingezeichnet"
               + (", nur Mittelwerte von Gruppen: " + ", ".join(f"{b.label} {coarse(b.value)}" for b in bands)
                  if bands else "") + ".")
        return style.finish(fig, alt, "funnel")


@dataclass(frozen=True)
class Panel:
    """One small funnel of :func:`funnel_grid`; ``marked`` communes (key → label) are highlighted."""

    result: FunnelResult
    title: str
    unit: str
    marked: Mapping[str, str]


def funnel_grid(panels: Sequence[Panel], *, ncols: int = 3, title_width: int = 34,
                width_cm: float = style.WIDTH_CM, panel_height_cm: float = 5.0) -> style.Chart:
    """Small multiples: one compact funnel per panel, highlighted communes in orange (labelled when the
    panel has at most 20 communes)."""
    nrows = -(-len(panels) // ncols)
    color = style.OKABE_ITO["vermillion"]
    with style.chart_style():
        fig = Figure(figsize=(width_cm / 2.54, nrows * panel_height_cm / 2.54))
        axes = fig.subplots(nrows, ncols, squeeze=False)
        for ax in axes.flat[len(panels):]:
            ax.set_axis_off()
        for ax, panel in zip(axes.flat, panels):
            r = panel.result
            _draw_funnel(ax, r, panel.unit, compact=True)
            small = len(r.points) > 60
            xs = [p.precision for p in r.points if p.key not in panel.marked]
            ys = [p.estimate for p in r.points if p.key not in panel.marked]
            ax.plot(xs, ys, "o", color=style.SERIES_COLORS[0], markersize=2 if small else 3.2, alpha=0.8,
                    linestyle="none")
            marked = [p for p in r.points if p.key in panel.marked]
            ax.plot([p.precision for p in marked], [p.estimate for p in marked], "D", color=color,
                    markersize=3 if small else 4.5, linestyle="none", zorder=5)
            if len(r.points) <= 20 and marked:
                annotate_points(ax, [p.precision for p in marked], [p.estimate for p in marked],
                                [panel.marked[p.key] for p in marked], fontsize=5.5, color=color)
            ax.set_title("\n".join(textwrap.wrap(panel.title, title_width)), fontsize=7, loc="left")
            ax.tick_params(labelsize=6)
        fig.subplots_adjust(hspace=0.75, wspace=0.35)
        parts = []
        for panel in panels:
            marked = [panel.marked[p.key] for p in panel.result.points if p.key in panel.marked]
            parts.append(f"{panel.title}: " + (f"auffällig {join_de(marked)}" if marked else "keine Kommune auffällig"))
        alt = ("Kleine Trichterdiagramme, je Indikator eines (Wert gegen Genauigkeit, Grenzen für 95\u00a0% und 99,8\u00a0%, "
               "auffällige Kommunen orange): " + "; ".join(parts) + ".")
        return style.finish(fig, alt, "funnel")


@dataclass(frozen=True)
class ScatterPoint:
    label: str
    hz: float
    year: int
    estimate: float
    low: float | None
    high: float | None


def scatter_chart(points: list[ScatterPoint], y_label: str, *, width_cm: float = style.WIDTH_CM,
                  height_cm: float = 8.0, label_points: bool = True) -> style.Chart:
    """Perceived insecurity (share with interval) against the PKS Häufigkeitszahl."""
    if not points:
        raise ValueError("scatter_chart needs at least one point")
    with style.chart_style():
        fig, ax = style.new_figure(height_cm, width_cm)
        color = style.SERIES_COLORS[0]
        for p in points:
            if p.low is not None and p.high is not None:
                ax.plot([p.hz, p.hz], [p.low, p.high], color=color, linewidth=1.0, alpha=0.6)
        ax.plot([p.hz for p in points], [p.estimate for p in points], "o", color=color,
                markersize=5 if len(points) < 60 else 3, linestyle="none")
        ax.set_ylim(bottom=0)
        ax.set_xlim(0, max(p.hz for p in points) * 1.15)
        if label_points and len(points) <= 20:
            annotate_points(ax, [p.hz for p in points], [p.estimate for p in points], [p.label for p in points])
        ax.set_xlabel("Häufigkeitszahl: Straftaten je 100.000 Einwohner (PKS, letztes verfügbares Jahr)")
        ax.set_ylabel(y_label)
        value_axis(ax, "share", axis="y")
        ax.xaxis.set_major_formatter(style.number_formatter(0))
        ax.grid(axis="both")
        parts = [f"Streudiagramm: {y_label} (Anteil mit 95-%-KI) gegen die Häufigkeitszahl der PKS für "
                 f"{len(points)} Kommunen."]
        if len(points) <= 20:
            parts += [f"{p.label}: Häufigkeitszahl {fmt.hz(p.hz)} ({p.year}), {fmt.percent(p.estimate)}." for p in points]
        return style.finish(fig, " ".join(parts), "scatter")
