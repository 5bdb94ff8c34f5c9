"""Report charts: one module per chart family, all returning :class:`~.style.Chart` (SVG + German
alt text). Inputs are the plain dataclasses of :mod:`survey.report.charts.data`."""

from survey.report.charts.data import (  # noqa: F401
    ForestRow,
    IndicatorRow,
    LikertItem,
    LikertScale,
    MapArea,
    MapMarker,
    Point,
    RankItem,
    Reference,
    SeriesBreak,
    Subgroup,
    SubgroupPanel,
    TrendPoint,
    TrendSeries,
)
from survey.report.charts.forest import forest_chart  # noqa: F401
from survey.report.charts.indicators import indicator_chart  # noqa: F401
from survey.report.charts.likert import likert_chart, likert_panels_chart  # noqa: F401
from survey.report.charts.maps import choropleth_chart, tile_chart  # noqa: F401
from survey.report.charts.ranking import ranking_chart  # noqa: F401
from survey.report.charts.style import Chart  # noqa: F401
from survey.report.charts.subgroups import subgroup_chart  # noqa: F401
from survey.report.charts.trends import trend_chart  # noqa: F401
