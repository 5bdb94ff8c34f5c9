"""Charts are drawn once (survey.report.charts.style.tight_svg) and keep what ``savefig(bbox_inches="tight")``
shows: the same size, every element, also those reaching beyond the nominal figure."""

from __future__ import annotations

import io
import re

from survey.report.charts import style


def _legend_below_figure():
    with style.chart_style():
        fig, ax = style.new_figure(5.0, width_cm=12.0)
        ax.plot([2015, 2016, 2017], [3.0, 2.0, 2.5], marker="o", label="Musterstadt")
        ax.plot([2017], [1.5], marker="D", linestyle="-", label="übriger Landkreis")
        ax.set_yticks([1.0, 2.0, 3.0])
        ax.set_yticklabels(["eine sehr lange Beschriftung links", "zwei", "drei"])
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.35), ncol=2, frameon=False)
        return fig


def _size(svg: str) -> tuple[float, float]:
    match = re.search(r'<svg[^>]*\swidth="([\d.]+)pt"[^>]*\sheight="([\d.]+)pt"', svg)
    return float(match.group(1)), float(match.group(2))


def test_single_draw_has_the_size_of_savefig_tight():
    with style.chart_style():
        reference = io.StringIO()
        _legend_below_figure().savefig(reference, format="svg", bbox_inches="tight")
        once = style.tight_svg(_legend_below_figure(), metadata={"Date": None})
    assert _size(once) == _size(reference.getvalue())
    root = re.search(r'<svg[^>]*\swidth="([\d.]+)pt" height="([\d.]+)pt" viewBox="([-\d.]+) ([-\d.]+) ([\d.]+) ([\d.]+)"',
                     once)
    assert root.group(5, 6) == root.group(1, 2)  # the viewBox selects exactly the tight box
    assert float(root.group(3)) > 0 and float(root.group(4)) > 0  # inside the enlarged canvas


def test_elements_beyond_the_figure_are_kept():
    """The legend lies below and the tick label left of the nominal figure: their lines, markers and
    texts are drawn (not clipped away at the figure's edge)."""
    with style.chart_style():
        svg = style.tight_svg(_legend_below_figure(), metadata={"Date": None})
    legend = svg[svg.index('<g id="legend_1">'):]
    assert legend.count("<use ") == 2  # both legend markers
    assert len(re.findall(r'<path d="M [-\d.]+ [-\d.]+ \nL', legend)) == 2  # both legend lines
    assert "übriger Landkreis" in legend and "eine sehr lange Beschriftung links" in svg


def test_finish_reports_the_written_size():
    with style.chart_style():
        chart = style.finish(_legend_below_figure(), "Alternativtext", "trend")
    width_pt, height_pt = _size(chart.svg)
    assert (chart.width_cm, chart.height_cm) == (round(width_pt / 72 * 2.54, 2), round(height_pt / 72 * 2.54, 2))
