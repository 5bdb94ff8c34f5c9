"""ortsteile.geojson: what a map needs, and German messages naming file and feature/Ortsteil."""

from __future__ import annotations

import json

import pytest

from survey.geometry import GeometryError, load_geometry

ORTSTEILE = {"1": "Altstadt", "2": "Am Bahnhof", "3": "Weinberg"}


def _square(x: float, y: float, size: float = 0.01) -> list:
    return [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]


def _feature(code, ring=None, geometry=None, key="ortsteil"):
    geometry = geometry if geometry is not None else {"type": "Polygon", "coordinates": [ring or _square(13.0, 51.0)]}
    return {"type": "Feature", "properties": {key: code}, "geometry": geometry}


def _collection(*features, **extra) -> dict:
    return {"type": "FeatureCollection", "features": list(features), **extra}


def _good() -> dict:
    return _collection(_feature(1, _square(13.00, 51.0)), _feature("2", _square(13.01, 51.0)),
                       _feature(3, _square(13.02, 51.0)))


def _write(tmp_path, document) -> object:
    path = tmp_path / "ortsteile.geojson"
    path.write_text(document if isinstance(document, str) else json.dumps(document), encoding="utf-8")
    return path


def test_valid_geometry_with_codes_names_holes_and_several_features(tmp_path):
    hole = [[13.002, 51.002], [13.002, 51.004], [13.004, 51.004], [13.004, 51.002], [13.002, 51.002]]
    document = _collection(
        _feature(1, geometry={"type": "Polygon", "coordinates": [_square(13.0, 51.0), hole]}),
        _feature("Am Bahnhof", _square(13.01, 51.0)),
        _feature("03", geometry={"type": "MultiPolygon", "coordinates": [[_square(13.02, 51.0)],
                                                                          [_square(13.04, 51.0)]]}),
        _feature(3.0, _square(13.06, 51.0)))  # a second feature of Weinberg (exclave)
    geometry = load_geometry(_write(tmp_path, document), ORTSTEILE)
    assert [s.code for s in geometry.shapes] == ["1", "2", "3"]
    assert len(geometry.shape("1").polygons[0]) == 2  # outer ring and hole
    assert len(geometry.shape("3").polygons) == 3
    assert geometry.shape("2").label == "Am Bahnhof"


def test_configurable_property(tmp_path):
    document = _collection(*(_feature(c, _square(13 + k / 100, 51.0), key="OT_NR") for k, c in enumerate((1, 2, 3))))
    assert len(load_geometry(_write(tmp_path, document), ORTSTEILE, "OT_NR").shapes) == 3
    with pytest.raises(GeometryError, match="Feature 1 hat keine Eigenschaft »ortsteil«.*Vorhandene Eigenschaften: OT_NR"):
        load_geometry(tmp_path / "ortsteile.geojson", ORTSTEILE)


@pytest.mark.parametrize("document, message", [
    ('{"type": "FeatureCollection", "features": [', "Zeile 1: Die Datei ist kein gültiges JSON (Syntaxfehler in "
                                                   "Spalte 44)."),
    ("[" * 5000 + "]" * 5000, "Die Datei ist zu tief verschachtelt"),
    ({"type": "Feature"}, "Erwartet wird eine GeoJSON-»FeatureCollection«, gefunden: »Feature«."),
    ([1, 2], "Erwartet wird eine GeoJSON-»FeatureCollection«, gefunden: »list«."),
    (_collection(), "Die FeatureCollection enthält keine »features«."),
    (_collection(_feature(None)), "Feature 1 hat keine Eigenschaft »ortsteil« mit dem Ortsteil (Code oder Name)."),
    (_collection(_feature(1), _feature(7)), "Feature 2: Ortsteil »7« gibt es in analyse.yaml nicht (bekannt: "
                                            "1 Altstadt, 2 Am Bahnhof, 3 Weinberg)."),
    (_collection(_feature(1), _feature(2), {"type": "Feature", "properties": {"ortsteil": 3}, "geometry": None}),
     "Feature 3 (Ortsteil »3 Weinberg«) hat keine Geometrie (»geometry« ist leer)."),
    (_collection(_feature(2, geometry={"type": "LineString", "coordinates": [[13, 51], [13.1, 51]]})),
     "Feature 1 (Ortsteil »2 Am Bahnhof«) hat den Geometrietyp »LineString«; erwartet wird eine Fläche "
     "(Polygon oder MultiPolygon)."),
    (_collection(_feature(2, [[13.0, 51.0], [13.1, 51.0], [13.1, 51.1], [13.0, 51.1]])),
     "Feature 1 (Ortsteil »2 Am Bahnhof«): Ein Ring der Fläche ist nicht geschlossen (erster Punkt [13.0, 51.0], "
     "letzter Punkt [13.0, 51.1]); der letzte Punkt muss dem ersten gleichen."),
    (_collection(_feature(2, [[13.0, 51.0], [13.1, 51.0], [13.0, 51.0]])),
     "Feature 1 (Ortsteil »2 Am Bahnhof«): Ein Ring der Fläche hat weniger als 4 Punkte"),
    (_collection(_feature(1, [[390000, 5650000], [391000, 5650000], [391000, 5651000], [390000, 5650000]])),
     "Feature 1 (Ortsteil »1 Altstadt«): Koordinate [390000, 5650000] liegt außerhalb von Länge −180…180 und "
     "Breite −90…90. Die Datei muss WGS84-Längen/Breiten in Dezimalgrad enthalten; projizierte Koordinaten "
     "(z. B. UTM/ETRS89, Gauß-Krüger) bitte im GIS nach WGS84 (EPSG:4326) umrechnen."),
    (_collection(_feature(1, [[13, 51], ["x", 51], [13.1, 51.1], [13, 51]])),
     'Feature 1 (Ortsteil »1 Altstadt«): Ungültiger Koordinatenpunkt ["x", 51]; erwartet [Länge, Breite].'),
    (_collection(_feature(1), crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25833"}}),
     "Das Koordinatensystem ist »urn:ogc:def:crs:EPSG::25833«; erwartet wird WGS84"),
    (_collection(_feature(1), _feature(3)), "Für den Ortsteil »2 Am Bahnhof« enthält die Datei keine Fläche."),
    (_collection(_feature(1)), "Für die Ortsteile »2 Am Bahnhof«, »3 Weinberg« enthält die Datei keine Fläche."),
])
def test_broken_geometry_messages(tmp_path, document, message):
    path = _write(tmp_path, document)
    with pytest.raises(GeometryError) as error:
        load_geometry(path, ORTSTEILE)
    assert str(error.value).startswith((f"{path}: ", f"{path}, Zeile "))
    assert message in str(error.value)


def test_too_large_and_not_utf8(tmp_path, monkeypatch):
    import survey.geometry as geometry

    path = _write(tmp_path, _good())
    monkeypatch.setattr(geometry, "MAX_BYTES", 100)
    with pytest.raises(GeometryError, match=r"Die Datei ist mit 0,0 MB zu groß \(höchstens 0 MB\)"):
        load_geometry(path, ORTSTEILE)
    monkeypatch.undo()
    path.write_bytes(json.dumps(_good()).replace("FeatureCollection", "FeatureCollection\u00e4").encode("cp1252"))
    with pytest.raises(GeometryError, match="keine UTF-8-Textdatei"):
        load_geometry(path, ORTSTEILE)


def test_missing_file(tmp_path):
    with pytest.raises(GeometryError, match="Die Datei existiert nicht"):
        load_geometry(tmp_path / "fehlt.geojson", ORTSTEILE)


def test_sample_communes_have_fictional_geometry_for_every_ortsteil():
    from sample_data.specs import ALL_SPECS
    from survey.resources import sample_data_dir

    for spec in ALL_SPECS:
        path = sample_data_dir() / spec.slug / "ortsteile.geojson"
        document = json.loads(path.read_text(encoding="utf-8"))
        assert "fiktiv" in document["name"] and "Fiktive Geometrie" in document["hinweis"]
        assert all(f["properties"]["fiktiv"] is True for f in document["features"])
        geometry = load_geometry(path, {str(o.code): o.name for o in spec.ortsteile})
        assert [s.label for s in geometry.shapes] == [o.name for o in spec.ortsteile]
