"""Helpers shared by the chart families: value texts per unit, axis formatters, markers."""

from __future__ import annotations

from survey.report import formatting as fmt
from survey.report.charts import style
from survey.report.charts.data import UNITS, Point
from survey.wording.estimates import FLAG_WORDS

NOT_SHOWN = "nicht ausgewiesen"
UNRELIABLE_NOTE = "hohl: eingeschränkt belastbar"


def check_unit(unit: str) -> None:
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}; known: {', '.join(UNITS)}")


def value_text(x: float | None, unit: str) -> str:
    """A single value in the unit's German format."""
    if unit == "share":
        return fmt.percent(x)
    if unit == "mean":
        return fmt.decimal(x, 2)
    if unit == "hz":
        return fmt.hz(x)
    return fmt.decimal(x, 2)


def interval_text(low: float | None, high: float | None, unit: str) -> str:
    kind = {"share": "percent", "mean": "decimal", "hz": "hz", "ratio": "decimal"}[unit]
    return fmt.interval(low, high, kind=kind)


def point_text(point: Point, unit: str, level: float = 0.95, *, with_interval: bool = True) -> str:
    """``42,9 % (95-%-KI 39,3–46,6 %)``; suppressed → ``nicht ausgewiesen``; unreliable values get
    ``, eingeschränkt belastbar`` inside the parentheses."""
    if point.suppressed:
        return NOT_SHOWN
    text = value_text(point.value, unit)
    notes = []
    if with_interval and point.has_interval:
        notes.append(f"{fmt.ci_label(level)} {interval_text(point.low, point.high, unit)}")
    if point.unreliable:
        notes.append(FLAG_WORDS["unsicher"])
    return f"{text} ({'; '.join(notes)})" if notes else text


def value_axis(ax, unit: str, axis: str = "x") -> None:
    """German tick labels for the value axis."""
    formatter = {
        "share": style.percent_formatter(0),
        "mean": style.number_formatter(1),
        "hz": style.number_formatter(0),
        "ratio": style.ratio_formatter(),
    }[unit]
    (ax.xaxis if axis == "x" else ax.yaxis).set_major_formatter(formatter)


def share_limits(points: list[Point]) -> tuple[float, float]:
    """x-limits for shares: from 0 to a round value above the largest upper bound."""
    highs = [p.high if p.high is not None else p.value for p in points if not p.suppressed]
    top = max(highs, default=0.5)
    top = min(1.0, (int(top * 10) + 1) / 10)
    return 0.0, max(top, 0.1)


def draw_point(ax, x: float, y: float, point: Point, *, color: str, marker: str = "o",
               size: float = 6.5, whisker: bool = True, zorder: int = 3, label: str | None = None) -> None:
    """An estimate with horizontal interval whisker; hollow marker when unreliable."""
    if whisker and point.has_interval:
        ax.plot([point.low, point.high], [y, y], color=color, linewidth=1.6, solid_capstyle="butt",
                zorder=zorder - 1)
    face = "white" if point.unreliable else color
    ax.plot([x], [y], marker=marker, markersize=size, markerfacecolor=face, markeredgecolor=color,
            markeredgewidth=1.4, linestyle="none", zorder=zorder, label=label)


def grouped_row_axis(ax, rows: list[tuple[str, object]]) -> None:
    """Y axis of a dot/forest plot with one row per entry; entries without data are bold group headings."""
    ax.set_yticks([-i for i in range(len(rows))])
    ax.set_yticklabels([label for label, _ in rows])
    for tick, (_, entry) in zip(ax.get_yticklabels(), rows):
        if entry is None:
            tick.set_fontweight("bold")
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    ax.set_ylim(-len(rows) + 0.4, 0.6)


def unreliable_label(points) -> str:
    """Legend entry for hollow (unreliable) markers naming the flags' actual reasons, e.g.
    ``eingeschränkt belastbar (n < 30; Intervall breiter als 30 Pp.)``."""
    from survey.wording.estimates import flag_reason_short

    reasons = list(dict.fromkeys(flag_reason_short(p.reason) for p in points
                                 if p is not None and p.unreliable and not p.suppressed))
    reasons = [r for r in reasons if r]
    return "eingeschränkt belastbar" + (f" ({'; '.join(reasons)})" if reasons else "")


def join_de(parts: list[str], conjunction: str = "und") -> str:
    """German enumeration: ``a, b und c`` (``conjunction="oder"``: ``a, b oder c``)."""
    parts = [p for p in parts if p]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + f" {conjunction} " + parts[-1]
