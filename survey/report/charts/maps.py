"""(g) Maps of Ortsteil values: a choropleth from Ortsteil polygons, or a tile layout without geometry.

* Colours: one sequential, colour-blind-safe single-hue ramp (light blue → Okabe-Ito blue → dark blue),
  from the smallest to the largest shown value; a stepped legend below the map names the values.
* Every area carries its name and value; unreliable values in parentheses (Destatis convention, as in the
  tables), suppressed areas are hatched and labelled »nicht ausgewiesen«.
* Projection: equirectangular with the longitude scaled by cos(mean latitude): close to equal-area and
  true-shape at the scale of one commune.
* Markers (e.g. coded Angsträume with coordinates) are numbered circles, listed below the map.
* Deterministic SVG, German alt text from the data (like every chart of :mod:`survey.report.charts`).
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence

import numpy as np
from matplotlib.colors import LinearSegmentedColormap, to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path as MplPath

from survey.report.charts import _common as c
from survey.report.charts import style
from survey.report.charts.data import MapArea, MapMarker, Point

RAMP = ("#eaf3fa", "#a9cfec", "#56B4E9", "#0072B2", "#003f66")
CMAP = LinearSegmentedColormap.from_list("sequential_blue", RAMP)
MARKER_COLOR = style.OKABE_ITO["orange"]
EDGE = "#444444"
HATCH_EDGE = "#9a9a9a"
LEGEND_STEPS = 5


def _project(lon: np.ndarray, lat: np.ndarray, lat0: float) -> tuple[np.ndarray, np.ndarray]:
    return np.asarray(lon) * math.cos(math.radians(lat0)), np.asarray(lat)


def _signed_area(xy: np.ndarray) -> float:
    x, y = xy[:, 0], xy[:, 1]
    return 0.5 * float(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1]))


def _area_path(polygons, lat0: float) -> MplPath:
    """One compound path; outer rings counter-clockwise, holes clockwise (fill rule independent)."""
    vertices, codes = [], []
    for polygon in polygons:
        for k, ring in enumerate(polygon):
            lon, lat = np.array(ring, dtype=float).T
            x, y = _project(lon, lat, lat0)
            xy = np.column_stack([x, y])
            if (_signed_area(xy) > 0) != (k == 0):
                xy = xy[::-1]
            vertices.extend(xy.tolist())
            codes.extend([MplPath.MOVETO] + [MplPath.LINETO] * (len(xy) - 2) + [MplPath.CLOSEPOLY])
    return MplPath(np.array(vertices), codes)


def _label_point(polygons, lat0: float, obstacles: np.ndarray | None = None) -> tuple[float, float]:
    """A point well inside the largest polygon: the grid point farthest from its boundary and from the
    ``obstacles`` (projected marker positions, (k, 2))."""
    def projected(ring):
        lon, lat = np.array(ring, dtype=float).T
        return np.column_stack(_project(lon, lat, lat0))

    largest = max(polygons, key=lambda p: abs(_signed_area(projected(p[0]))))
    rings = [projected(r) for r in largest]
    outer = rings[0]
    (x0, y0), (x1, y1) = outer.min(axis=0), outer.max(axis=0)
    gx, gy = np.meshgrid(np.linspace(x0, x1, 41)[1:-1], np.linspace(y0, y1, 41)[1:-1])
    points = np.column_stack([gx.ravel(), gy.ravel()])
    inside = MplPath(outer).contains_points(points)
    for hole in rings[1:]:
        inside &= ~MplPath(hole).contains_points(points)
    candidates = points[inside]
    if len(candidates) == 0:
        return float(outer[:, 0].mean()), float(outer[:, 1].mean())
    distance = np.full(len(candidates), np.inf)
    for ring in rings:
        a, b = ring[:-1], ring[1:]
        ab = b - a
        length = np.maximum((ab ** 2).sum(axis=1), 1e-18)
        t = np.clip(((candidates[:, None, :] - a[None]) * ab[None]).sum(axis=2) / length[None], 0, 1)
        nearest = a[None] + t[..., None] * ab[None]
        distance = np.minimum(distance, np.sqrt(((candidates[:, None, :] - nearest) ** 2).sum(axis=2)).min(axis=1))
    if obstacles is not None and len(obstacles):
        span = float(max(x1 - x0, y1 - y0))
        gap = np.sqrt(((candidates[:, None, :] - obstacles[None]) ** 2).sum(axis=2)).min(axis=1)
        distance = np.minimum(distance, 0.6 * gap + 0.02 * span)
    best = candidates[int(np.argmax(distance))]
    return float(best[0]), float(best[1])


def _value_label(point: Point, unit: str) -> str:
    if point.suppressed:
        return c.NOT_SHOWN
    text = c.value_text(point.value, unit)
    return f"({text})" if point.unreliable else text


def _range(points: Sequence[Point]) -> tuple[float, float]:
    values = [p.value for p in points if not p.suppressed]
    if not values:
        return 0.0, 1.0
    lo, hi = min(values), max(values)
    if hi - lo < 1e-9:
        lo, hi = lo - 0.5 * max(abs(lo), 1e-3), hi + 0.5 * max(abs(hi), 1e-3)
    return lo, hi


def _fill(point: Point, lo: float, hi: float) -> str | tuple:
    if point.suppressed:
        return "white"
    return CMAP((point.value - lo) / (hi - lo))


def _text_color(fill) -> str:  # noqa: ANN001
    r, g, b = to_rgb(fill)
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "white" if luminance < 0.45 else "#111111"


def _legend(ax, points: Sequence[Point], unit: str, lo: float, hi: float, x0: float = 0.0) -> float:
    """Stepped colour legend (and the hatch / parenthesis notes) in axes fraction units; returns the
    x position after the last entry."""
    x = x0
    for k in range(LEGEND_STEPS):
        value = lo + (hi - lo) * k / (LEGEND_STEPS - 1)
        ax.add_patch(Rectangle((x, 0.62), 0.05, 0.3, transform=ax.transAxes, facecolor=CMAP(k / (LEGEND_STEPS - 1)),
                               edgecolor=EDGE, linewidth=0.5))
        ax.text(x + 0.025, 0.5, c.value_text(value, unit), transform=ax.transAxes, ha="center", va="top",
                fontsize=7)
        x += 0.065
    x += 0.02
    if any(p.suppressed for p in points):
        ax.add_patch(Rectangle((x, 0.62), 0.05, 0.3, transform=ax.transAxes, facecolor="white", hatch="////",
                               edgecolor=HATCH_EDGE, linewidth=0.5))
        ax.text(x + 0.06, 0.77, c.NOT_SHOWN, transform=ax.transAxes, va="center", fontsize=7)
        x += 0.25
    if any(p.unreliable and not p.suppressed for p in points):
        ax.text(x, 0.77, "( ) eingeschränkt belastbar", transform=ax.transAxes, va="center", fontsize=7)
    return x


def choropleth_chart(areas: Sequence[MapArea], *, unit: str = "share", level: float = 0.95, indicator: str = "",
                     markers: Sequence[MapMarker] = (), marker_title: str = "", region: str = "",
                     width_cm: float = style.WIDTH_CM) -> style.Chart:
    """A map of the ``areas`` (all with polygons) coloured by their value, with numbered ``markers``."""
    c.check_unit(unit)
    if not areas or any(not a.polygons for a in areas):
        raise ValueError("choropleth_chart needs areas with polygons")
    lats = [lat for a in areas for poly in a.polygons for ring in poly for _, lat in ring]
    lat0 = (min(lats) + max(lats)) / 2
    paths = {a.code: _area_path(a.polygons, lat0) for a in areas}
    extent = np.vstack([p.vertices for p in paths.values()])
    obstacles = np.zeros((0, 2))
    if markers:
        mx, my = _project(np.array([m.lon for m in markers]), np.array([m.lat for m in markers]), lat0)
        obstacles = np.column_stack([mx, my])
        extent = np.vstack([extent, obstacles])
    (x0, y0), (x1, y1) = extent.min(axis=0), extent.max(axis=0)
    pad = 0.03 * max(x1 - x0, y1 - y0)
    x0, x1, y0, y1 = x0 - pad, x1 + pad, y0 - pad, y1 + pad
    map_height = min(13.0, max(6.0, (width_cm - 0.4) * (y1 - y0) / (x1 - x0)))
    list_rows = math.ceil(len(markers) / 2) if markers else 0
    legend_height = 1.3 + (0.5 + 0.42 * list_rows if markers else 0.0)
    height = map_height + legend_height
    points = [a.point for a in areas]
    lo, hi = _range(points)
    with style.chart_style():
        fig = Figure(figsize=(width_cm / 2.54, height / 2.54))
        ax = fig.add_axes((0.01, legend_height / height, 0.98, map_height / height))
        ax.set_aspect("equal")
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.axis("off")
        for area in areas:
            point = area.point
            fill = _fill(point, lo, hi)
            ax.add_patch(PathPatch(paths[area.code], facecolor=fill, edgecolor=HATCH_EDGE if point.suppressed else EDGE,
                                   linewidth=0.8, hatch="////" if point.suppressed else None, zorder=1))
        for area in areas:
            lx, ly = _label_point(area.polygons, lat0, obstacles)
            fill = _fill(area.point, lo, hi)
            color = "#333333" if area.point.suppressed else _text_color(fill)
            name = textwrap.fill(area.label, 16)
            ax.text(lx, ly, f"{name}\n{_value_label(area.point, unit)}", ha="center", va="center", fontsize=7.5,
                    color=color, zorder=4, linespacing=1.15,
                    bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85}
                    if area.point.suppressed else None)
        for k, marker in enumerate(markers, start=1):
            x, y = _project(np.array([marker.lon]), np.array([marker.lat]), lat0)
            ax.plot(x, y, marker="o", markersize=11, markerfacecolor=MARKER_COLOR, markeredgecolor="#222222",
                    markeredgewidth=0.9, linestyle="none", zorder=5)
            ax.text(float(x[0]), float(y[0]), str(k), ha="center", va="center", fontsize=6.5, fontweight="bold",
                    color="#111111", zorder=6)
        legend = fig.add_axes((0.02, 0.0, 0.96, legend_height / height))
        legend.axis("off")
        legend.set_xlim(0, 1)
        legend.set_ylim(0, 1)
        band = 1.3 / legend_height
        inner = fig.add_axes((0.02, (legend_height - 1.3) / height, 0.96, 1.3 / height))
        inner.axis("off")
        _legend(inner, points, unit, lo, hi)
        if markers:
            top = 1 - band - 0.15 / legend_height
            if marker_title:
                legend.text(0.0, top, marker_title, fontsize=7.5, fontweight="bold", va="top")
                top -= 0.42 / legend_height
            for k, marker in enumerate(markers, start=1):
                column, row = (k - 1) % 2, (k - 1) // 2
                text = f"{k} {marker.label}" + (f" ({marker.note})" if marker.note else "")
                legend.text(0.5 * column, top - row * 0.42 / legend_height, textwrap.shorten(text, 58, placeholder="…"),
                            fontsize=7.5, va="top")
        alt = _map_alt(areas, unit, level, indicator, markers, marker_title, region)
        return style.finish(fig, alt, "map")


def _areas_text(areas: Sequence[MapArea], unit: str, level: float) -> str:
    parts = [f"{a.label}: {c.point_text(a.point, unit, level)}" for a in areas if not a.point.suppressed]
    hidden = [a.label for a in areas if a.point.suppressed]
    text = "; ".join(parts) + "." if parts else ""
    if hidden:
        text += f" {c.join_de(hidden)}: {c.NOT_SHOWN} (weniger als 10 Antworten)."
    return text.strip()


def _map_alt(areas, unit, level, indicator, markers, marker_title, region) -> str:  # noqa: ANN001
    head = f"Karte der Ortsteile{f' von {region}' if region else ''}"
    head += f", eingefärbt nach {indicator}." if indicator else "."
    text = f"{head} {_areas_text(areas, unit, level)}"
    if markers:
        named = [f"{k}. {m.label}" + (f" ({m.note})" if m.note else "") for k, m in enumerate(markers, start=1)]
        text += f" {marker_title or 'Markierte Orte'}: {'; '.join(named)}."
    return text


def tile_chart(areas: Sequence[MapArea], *, unit: str = "share", level: float = 0.95, indicator: str = "",
               region: str = "", width_cm: float = style.WIDTH_CM) -> style.Chart:
    """Without geometry: one tile per Ortsteil in a grid (names and values), coloured like the map."""
    c.check_unit(unit)
    if not areas:
        raise ValueError("tile_chart needs at least one area")
    columns = min(len(areas), 3 if len(areas) <= 6 else 4)
    rows = math.ceil(len(areas) / columns)
    tile_h = 2.3
    height = rows * tile_h + 1.4
    points = [a.point for a in areas]
    lo, hi = _range(points)
    with style.chart_style():
        fig = Figure(figsize=(width_cm / 2.54, height / 2.54))
        ax = fig.add_axes((0.01, 1.3 / height, 0.98, (height - 1.4) / height))
        ax.set_xlim(0, columns)
        ax.set_ylim(-rows, 0)
        ax.axis("off")
        for k, area in enumerate(areas):
            col, row = k % columns, k // columns
            fill = _fill(area.point, lo, hi)
            ax.add_patch(Rectangle((col + 0.04, -row - 0.94), 0.92, 0.88, facecolor=fill,
                                   edgecolor=HATCH_EDGE if area.point.suppressed else EDGE, linewidth=0.8,
                                   hatch="////" if area.point.suppressed else None))
            color = "#333333" if area.point.suppressed else _text_color(fill)
            ax.text(col + 0.5, -row - 0.36, textwrap.fill(area.label, 20), ha="center", va="center", fontsize=8,
                    color=color, fontweight="bold",
                    bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85}
                    if area.point.suppressed else None)
            ax.text(col + 0.5, -row - 0.68, _value_label(area.point, unit), ha="center", va="center",
                    fontsize=10 if not area.point.suppressed else 8, color=color,
                    bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85}
                    if area.point.suppressed else None)
        legend = fig.add_axes((0.02, 0.0, 0.96, 1.2 / height))
        legend.axis("off")
        _legend(legend, points, unit, lo, hi)
        head = f"Kacheldarstellung der Ortsteile{f' von {region}' if region else ''} (ohne Karte)"
        head += f", eingefärbt nach {indicator}." if indicator else "."
        return style.finish(fig, f"{head} {_areas_text(areas, unit, level)}", "tiles")
