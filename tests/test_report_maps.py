"""Map charts: choropleth from Ortsteil polygons and tile layout; labels, flags, alt text, determinism."""

from __future__ import annotations

import re

import pytest

from sample_data.geometry import geojson_text
from sample_data.specs import spec_by_slug
from survey.geometry import load_geometry
from survey.report.charts import MapArea, MapMarker, Point, choropleth_chart, tile_chart

SECRET = 0.98765


@pytest.fixture(scope="module")
def areas(tmp_path_factory):
    spec = spec_by_slug("eichenstedt")
    path = tmp_path_factory.mktemp("geo") / "ortsteile.geojson"
    path.write_text(geojson_text(spec), encoding="utf-8")
    geometry = load_geometry(path, {str(o.code): o.name for o in spec.ortsteile})
    points = {"1": Point(0.315, 0.27, 0.36, n=140), "2": Point(0.46, 0.33, 0.6, "unreliable", 25),
              "3": Point(0.489, 0.42, 0.56, n=90), "4": Point(SECRET, flag="suppressed", n=4),
              "5": Point(0.267, 0.2, 0.34, n=40)}
    return [MapArea(s.code, s.label, points[s.code], s.polygons) for s in geometry.shapes]


def _texts(svg: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", t) for t in re.findall(r"<text[^>]*>.*?</text>", svg, flags=re.S)]


def test_choropleth_labels_values_flags_and_markers(areas):
    markers = [MapMarker("Unterführung am Bahnhof", 12.745, 51.345, "40 Nennungen")]
    chart = choropleth_chart(areas, indicator="fühlt sich nachts unsicher", markers=markers,
                             marker_title="Orte mit mindestens 10 Nennungen", region="Eichenstedt")
    svg = chart.svg.replace("\u00a0", " ")
    assert chart.kind == "map" and chart.width_cm <= 16.1
    for text in ("Stadtmitte", "31,5 %", "(46,0 %)", "nicht ausgewiesen", "( ) eingeschränkt belastbar",
                 "Orte mit mindestens 10 Nennungen", "1 Unterführung am Bahnhof (40 Nennungen)"):
        assert text in svg, text
    assert "98,8" not in svg and "0.98765" not in svg  # a suppressed value is never drawn
    assert '<pattern id="h' in svg  # suppressed area hatched
    assert chart.alt_text.replace("\u00a0", " ") == (
        "Karte der Ortsteile von Eichenstedt, eingefärbt nach fühlt sich nachts unsicher. Stadtmitte: 31,5 % "
        "(95-%-KI 27,0–36,0 %); Am Bahnhof: 46,0 % (95-%-KI 33,0–60,0 %; eingeschränkt belastbar); Oststadt: 48,9 % "
        "(95-%-KI 42,0–56,0 %); Rödelsdorf: 26,7 % (95-%-KI 20,0–34,0 %). Buchwald: nicht ausgewiesen (weniger als "
        "10 Antworten). Orte mit mindestens 10 Nennungen: 1. Unterführung am Bahnhof (40 Nennungen).")


def test_choropleth_is_deterministic_and_text_stays_text(areas):
    first = choropleth_chart(areas, indicator="x")
    second = choropleth_chart(areas, indicator="x")
    assert first.svg == second.svg
    assert "<dc:date>" not in first.svg
    assert any("Oststadt" in t for t in _texts(first.svg))


def test_darkest_area_gets_white_text(areas):
    svg = choropleth_chart(areas, indicator="x").svg
    oststadt = re.search(r'<text[^>]*style="([^"]*)"[^>]*>Oststadt', svg)
    assert oststadt is not None and "#ffffff" in oststadt.group(1)


def test_tile_chart_without_geometry(areas):
    plain = [MapArea(a.code, a.label, a.point) for a in areas]
    chart = tile_chart(plain, indicator="fühlt sich nachts unsicher", region="Eichenstedt")
    assert chart.kind == "tiles"
    assert chart.alt_text.replace("\u00a0", " ").startswith("Kacheldarstellung der Ortsteile von Eichenstedt (ohne Karte), eingefärbt "
                                     "nach fühlt sich nachts unsicher. Stadtmitte: 31,5 %")
    for text in ("Rödelsdorf", "26,7 %", "(46,0 %)", "nicht ausgewiesen"):
        assert text in chart.svg.replace("\u00a0", " ")
    assert "98,8" not in chart.svg


def test_means_and_input_errors(areas):
    means = [MapArea(a.code, a.label, Point(1.5 + k / 10)) for k, a in enumerate(areas)]
    chart = tile_chart(means, unit="mean")
    assert "1,50" in chart.svg and "1,90" in chart.svg
    with pytest.raises(ValueError, match="polygons"):
        choropleth_chart(means)
    with pytest.raises(ValueError):
        tile_chart([])
