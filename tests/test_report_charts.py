"""Charts: German alt texts, German tick labels, suppressed groups, deterministic SVG."""

from __future__ import annotations

import re

import pytest

from survey.report import charts, demo
from survey.report.charts.data import Point, RankItem

NB = "\u00a0"


def _texts(svg: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", t) for t in re.findall(r"<text\b[^>]*>(.*?)</text>", svg, re.S)]


@pytest.fixture(scope="module")
def all_charts() -> dict[str, charts.Chart]:
    first = demo.indicator_rows()[0].estimate
    return {
        "indicators": charts.indicator_chart(demo.indicator_rows(), commune=demo.COMMUNE),
        "likert": charts.likert_chart(demo.likert_items(), demo.SAFETY_SCALE),
        "trend": charts.trend_chart(demo.trend_series(), breaks=demo.trend_breaks()),
        "subgroups": charts.subgroup_chart(demo.subgroup_panels(), overall=first,
                                           indicator="Nachts unsicher"),
        "ranking": charts.ranking_chart(demo.rank_items(), indicator="großes Problem"),
        "forest": charts.forest_chart(demo.forest_rows(), outcome="nächtliches Unsicherheitsgefühl"),
    }


def test_indicator_alt_text(all_charts):
    alt = all_charts["indicators"].alt_text
    assert alt.startswith("Punktdiagramm mit Konfidenzintervallen: Musterstadt im Vergleich mit "
                          "Landkreis und Sachsen.")
    assert (f"Nachts unsicher in der Wohngegend: Musterstadt 42,9{NB}% (95-%-KI 39,3–46,6{NB}%); "
            f"Landkreis 35,0{NB}%; Sachsen 33,1{NB}% (95-%-KI 32,0–34,2{NB}%).") in alt


def test_likert_alt_text(all_charts):
    alt = all_charts["likert"].alt_text
    assert (f"Nachts allein in der Wohngegend: 42,9{NB}% unsicher, 57,1{NB}% sicher (sehr unsicher "
            f"12,0{NB}%, ziemlich unsicher 30,9{NB}%, ziemlich sicher 37,1{NB}% und sehr sicher "
            f"20,0{NB}%; n{NB}={NB}380).") in alt


def test_likert_rejects_wrong_number_of_shares():
    with pytest.raises(ValueError, match="has 3 shares, scale has 4"):
        charts.likert_chart([charts.LikertItem("x", (0.2, 0.3, 0.5))], demo.SAFETY_SCALE)


def test_trend_alt_text_and_axis(all_charts):
    chart = all_charts["trend"]
    assert chart.alt_text.startswith("Liniendiagramm: Straftaten je 100.000 Einwohner, 2019–2024.")
    assert "Musterstadt: 5.432 (2019), 4.987 (2024), 95-%-KI 2024 4.638–5.336." in chart.alt_text
    assert "Bruch der Zeitreihe ab 2024: Cannabisgesetz." in chart.alt_text
    texts = _texts(chart.svg)
    assert "6.000" in texts and "2024" in texts


def test_subgroups_suppressed_not_plotted(all_charts):
    chart = all_charts["subgroups"]
    assert "divers nicht ausgewiesen" in chart.alt_text
    assert "Eichwalde nicht ausgewiesen" in chart.alt_text
    assert f"16-29 38,0{NB}% (95-%-KI 26,0–52,0{NB}%; eingeschränkt belastbar)" in chart.alt_text
    texts = _texts(chart.svg)
    assert texts.count("nicht ausgewiesen") == 2
    # Value labels only for the 9 shown groups (2 of 11 suppressed).
    assert len([t for t in texts if re.fullmatch(rf"\d+,\d{NB}%", t)]) == 9
    assert f"eingeschränkt belastbar (n{NB}&lt;{NB}30)" in texts


def test_suppressed_value_never_leaks():
    panel = charts.SubgroupPanel("Ortsteil", (
        charts.Subgroup("Altstadt", Point(0.40, 0.33, 0.47)),
        charts.Subgroup("Eichwalde", Point(0.777, 0.6, 0.9, flag="suppressed")),
    ))
    chart = charts.subgroup_chart([panel])
    assert "77,7" not in chart.svg and "77,7" not in chart.alt_text
    ranking = charts.ranking_chart([RankItem("Müll", Point(0.28)),
                                    RankItem("Lärm", Point(0.777, flag="suppressed"))])
    assert "77,7" not in ranking.svg and "Lärm: nicht ausgewiesen." in ranking.alt_text


def test_ranking_sorted(all_charts):
    alt = all_charts["ranking"].alt_text
    assert alt.index("1. Verkehr: 41,0") < alt.index("2. Müll: 28,0") < alt.index("6. Graffiti")


def test_forest_alt_text_and_log_ticks(all_charts):
    chart = all_charts["forest"]
    assert "Geschlecht männlich: Referenz." in chart.alt_text
    assert (f"Geschlecht weiblich: 1,85 (95-%-KI 1,32–2,59, p{NB}<{NB}0,001)." in chart.alt_text)
    texts = _texts(chart.svg)
    assert {"0,5", "1", "2"} <= set(texts)
    assert "1,85 (1,32–2,59)" in texts


@pytest.mark.parametrize("name", ["indicators", "likert", "trend", "subgroups", "ranking", "forest"])
def test_no_english_decimals_in_labels(all_charts, name):
    texts = _texts(all_charts[name].svg)
    assert texts, "text must stay text in the SVG"
    for t in texts:
        assert not re.search(r"\d\.\d{1,2}(?!\d)", t), t       # 0.43, 1.5 (but 6.000 is fine)
        assert not re.search(r"\d%", t), t                     # always a space before %
        assert "-" not in t or not re.search(r"-\d", t) or re.fullmatch(r"\d+-\d+", t), t


@pytest.mark.parametrize("name", ["indicators", "trend", "forest"])
def test_deterministic_svg(all_charts, name):
    again = {
        "indicators": lambda: charts.indicator_chart(demo.indicator_rows(), commune=demo.COMMUNE),
        "trend": lambda: charts.trend_chart(demo.trend_series(), breaks=demo.trend_breaks()),
        "forest": lambda: charts.forest_chart(demo.forest_rows(),
                                              outcome="nächtliches Unsicherheitsgefühl"),
    }[name]()
    assert again.svg == all_charts[name].svg
    assert "<dc:date>" not in again.svg


def test_inline_svg_prefixes_ids_and_adds_title(all_charts):
    chart = all_charts["forest"]
    inline = chart.inline_svg("abb-3")
    assert inline.startswith("<svg ")
    assert 'role="img" aria-labelledby="abb-3-title"><title id="abb-3-title">Forest-Plot' in inline
    ids = re.findall(r'\bid="([^"]+)"', inline)
    assert all(i.startswith("abb-3") for i in ids) and len(ids) == len(set(ids))
    for ref in re.findall(r"url\(#([^)]+)\)", inline):
        assert ref in ids
    assert "<metadata>" not in inline
    with pytest.raises(ValueError):
        chart.inline_svg('x" onload="')


def test_chart_size_is_the_written_svg_size(all_charts):
    for chart in all_charts.values():
        assert 10 < chart.width_cm <= 18.5 and 3 < chart.height_cm < 15



def test_indicator_legend_shows_filled_series_markers_and_explains_hollow_points():
    """Ortsteil chart whose first point is unreliable: the legend showed the Ortsteil as a hollow point and
    nothing explained hollow points."""
    from matplotlib.figure import Figure

    from survey.report.charts.data import IndicatorRow, Reference
    from survey.report.charts.indicators import _legend_entries
    from survey.report.formatting import FLAG_UNRELIABLE

    shaky = Point(0.42, 0.30, 0.55, FLAG_UNRELIABLE, 25, "small_n")
    firm = Point(0.35, 0.31, 0.39, None, 300)
    rows = [IndicatorRow("nachts unsicher", shaky, (Reference("übriges Lindenau", firm),)),
            IndicatorRow("meidet Orte", firm, (Reference("übriges Lindenau", firm),))]
    chart = charts.indicator_chart(rows, commune="Altlindenau")
    assert "eingeschränkt belastbar (n\u00a0&lt;\u00a030)</text>" in chart.svg
    ax = Figure().add_subplot()
    ax.plot([0.42], [0], marker="o", markerfacecolor="white", markeredgecolor="#0072B2", label="Altlindenau")
    handles, labels = _legend_entries(ax, rows)
    assert labels[0] == "Altlindenau" and handles[0].get_markerfacecolor() == "#0072B2"
    assert labels[-1].startswith("eingeschränkt belastbar")
    assert _legend_entries(ax, rows[1:])[1] == ["Altlindenau"]
