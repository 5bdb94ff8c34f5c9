"""Plain input values for the chart functions (frozen dataclasses; no pandas needed).

Units: every :class:`Point` carries numbers in the chart's unit. For ``unit="share"`` these are
proportions in [0, 1] shown as percent; ``"mean"`` are scale means (e.g. 1-4) shown with two
decimals; ``"hz"`` are Häufigkeitszahlen shown as integers; ``"ratio"`` are odds or rate ratios.

Flags follow the estimate flags of ``analysis`` / profil.json: ``"suppressed"`` (fewer than 10
respondents: never plotted, shown as "nicht ausgewiesen"), ``"unreliable"`` (plotted with a hollow
marker and named in the alt text); anything else (``None``, ``"ok"``) is a normal estimate.
"""

from __future__ import annotations

from dataclasses import dataclass

from survey.report.formatting import FLAG_SUPPRESSED, FLAG_UNRELIABLE

UNITS = ("share", "mean", "hz", "ratio")


@dataclass(frozen=True)
class Point:
    """An estimate with an optional interval (``low``/``high``), flag and unweighted n."""

    value: float | None
    low: float | None = None
    high: float | None = None
    flag: str | None = None
    n: int | None = None
    reason: str | None = None  # the engine's flag reason code (analysis.core.flags.FlagReason)

    @property
    def suppressed(self) -> bool:
        return self.flag == FLAG_SUPPRESSED or self.value is None

    @property
    def unreliable(self) -> bool:
        return self.flag == FLAG_UNRELIABLE

    @property
    def has_interval(self) -> bool:
        return self.low is not None and self.high is not None


@dataclass(frozen=True)
class Reference:
    """A reference value for an indicator (Landkreis, Sachsen, another study); interval optional."""

    label: str
    point: Point


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator in :func:`~survey.report.charts.indicators.indicator_chart`: the commune's
    estimate and any number of reference values (the same reference labels in every row)."""

    label: str
    estimate: Point
    references: tuple[Reference, ...] = ()


@dataclass(frozen=True)
class LikertItem:
    """One item of a diverging Likert chart: shares per answer category (summing to about 1), in the
    order of :class:`LikertScale.categories`."""

    label: str
    shares: tuple[float, ...]
    n: int | None = None


@dataclass(frozen=True)
class LikertScale:
    """Answer categories ordered **from most negative to most positive** (e.g. "sehr unsicher",
    "ziemlich unsicher", "ziemlich sicher", "sehr sicher"); the first ``negative`` categories are
    drawn left of zero. ``negative_label``/``positive_label`` name the two sides in alt texts."""

    categories: tuple[str, ...]
    negative: int = 2
    negative_label: str = "negativ"
    positive_label: str = "positiv"


@dataclass(frozen=True)
class TrendPoint:
    year: int
    value: float | None
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class TrendSeries:
    """One area's yearly series (e.g. HZ of the commune, Landkreis or Sachsen)."""

    label: str
    points: tuple[TrendPoint, ...]


@dataclass(frozen=True)
class SeriesBreak:
    """A known break in a time series, drawn as a dashed vertical line before ``year``."""

    year: int
    label: str


@dataclass(frozen=True)
class Subgroup:
    label: str
    point: Point


@dataclass(frozen=True)
class SubgroupPanel:
    """A breakdown (e.g. "Geschlecht") with its groups, in display order."""

    title: str
    groups: tuple[Subgroup, ...]


@dataclass(frozen=True)
class RankItem:
    """One bar of a ranking (e.g. a neighbourhood problem with its share "großes Problem").
    ``residual``: a catch-all answer (»keine dieser Maßnahmen«, »anderes«), drawn after the others."""

    label: str
    point: Point
    residual: bool = False


@dataclass(frozen=True)
class ForestRow:
    """One coefficient of a logistic model as odds ratio with interval. ``is_reference`` marks the
    reference category of a factor (drawn at 1 without interval, labelled "Referenz"); ``group``
    is the factor name rows are grouped under (e.g. "Altersgruppe")."""

    label: str
    odds_ratio: float | None = None
    low: float | None = None
    high: float | None = None
    p_value: float | None = None
    group: str = ""
    is_reference: bool = False


@dataclass(frozen=True)
class MapArea:
    """One Ortsteil on a map or tile chart: code, name, estimate, and (for maps) its polygons in
    WGS84 longitude/latitude: polygons → rings (outer ring first, then holes) → (lon, lat)."""

    code: str
    label: str
    point: Point
    polygons: tuple[tuple[tuple[tuple[float, float], ...], ...], ...] = ()


@dataclass(frozen=True)
class MapMarker:
    """A marked place (e.g. a coded Angstraum) at WGS84 ``lon``/``lat``; ``note`` e.g. »23 Nennungen«."""

    label: str
    lon: float
    lat: float
    note: str = ""
