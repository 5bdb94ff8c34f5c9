"""Ortsteil geometry for maps: ``ortsteile.geojson`` in the analysis folder (optional).

Format (documented in README and docs/ARCHITECTURE.md): a GeoJSON ``FeatureCollection`` (RFC 7946) in
WGS84 longitude/latitude (decimal degrees, as every GIS exports GeoJSON), one or more ``Feature``s per
Ortsteil with geometry ``Polygon`` or ``MultiPolygon``; the Ortsteil is named in a property, by default
``ortsteil``, holding its code from analyse.yaml (``3`` or ``"3"``) or its name (``"Am Bahnhof"``). Another
property name can be set in analyse.yaml (``karte: {eigenschaft: OT_NR}``). Several features of one
Ortsteil are joined (exclaves).

:func:`load_geometry` checks everything a map needs and raises :class:`GeometryError` with a German
message naming the file and the feature or Ortsteil: broken JSON, wrong structure, missing or unknown
code, missing geometry, wrong geometry type, open or too short rings, coordinates out of range (the
usual sign of projected coordinates such as UTM), a declared non-WGS84 ``crs``, too large a file, an
Ortsteil without any area. Reading is bounded (:data:`MAX_BYTES`, :data:`MAX_POSITIONS`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from analysis.core.categories import category_text
from survey.jsonfile import read_json_file
from survey.errors import UserError

DEFAULT_PROPERTY = "ortsteil"
MAX_BYTES = 10_000_000
MAX_POSITIONS = 500_000
WGS84_NAMES = ("urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:OGC::CRS84", "EPSG:4326",
               "urn:ogc:def:crs:EPSG::4326", "CRS84")

Ring = tuple[tuple[float, float], ...]
Polygon = tuple[Ring, ...]  # outer ring, then holes


class GeometryError(UserError):
    """ortsteile.geojson cannot be used for the maps."""


@dataclass(frozen=True)
class OrtsteilShape:
    code: str
    label: str
    polygons: tuple[Polygon, ...]


@dataclass(frozen=True)
class OrtsteilGeometry:
    path: Path
    shapes: tuple[OrtsteilShape, ...]

    def shape(self, code: str) -> OrtsteilShape | None:
        return next((s for s in self.shapes if s.code == code), None)


def _code_text(value: object) -> str | None:
    """An Ortsteil property as code text (``analysis.core.categories``); JSON booleans are no codes."""
    return None if isinstance(value, bool) else category_text(value)


def _feature_name(index: int, code: str | None, ortsteile: Mapping[str, str]) -> str:
    if code is None:
        return f"Feature {index}"
    return f"Feature {index} (Ortsteil »{code} {ortsteile[code]}«)" if code in ortsteile else f"Feature {index}"


def _ring(error, where: str, ring: object, kind: str) -> Ring:  # noqa: ANN001
    if not isinstance(ring, list) or len(ring) < 4:
        raise error(f"{where}: Ein Ring der Fläche hat weniger als 4 Punkte; eine Fläche braucht mindestens drei "
                    "Eckpunkte und den Anfangspunkt noch einmal am Ende.")
    points = []
    for position in ring:
        if (not isinstance(position, list) or len(position) < 2
                or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in position[:2])):
            raise error(f"{where}: Ungültiger Koordinatenpunkt {json.dumps(position)[:60]}; erwartet [Länge, Breite].")
        lon, lat = float(position[0]), float(position[1])
        if not (math.isfinite(lon) and math.isfinite(lat)) or not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise error(f"{where}: Koordinate [{position[0]}, {position[1]}] liegt außerhalb von Länge −180…180 und "
                        "Breite −90…90. Die Datei muss WGS84-Längen/Breiten in Dezimalgrad enthalten; projizierte "
                        "Koordinaten (z. B. UTM/ETRS89, Gauß-Krüger) bitte im GIS nach WGS84 (EPSG:4326) umrechnen.")
        points.append((lon, lat))
    if points[0] != points[-1]:
        raise error(f"{where}: Ein Ring der Fläche ist nicht geschlossen (erster Punkt {list(points[0])}, letzter "
                    f"Punkt {list(points[-1])}); der letzte Punkt muss dem ersten gleichen.")
    return tuple(points)


def _polygons(error, where: str, geometry: object) -> tuple[Polygon, ...]:  # noqa: ANN001
    if geometry is None:
        raise error(f"{where} hat keine Geometrie (»geometry« ist leer).")
    if not isinstance(geometry, dict):
        raise error(f"{where}: »geometry« ist kein Objekt.")
    kind = geometry.get("type")
    if kind not in ("Polygon", "MultiPolygon"):
        raise error(f"{where} hat den Geometrietyp »{kind}«; erwartet wird eine Fläche (Polygon oder MultiPolygon).")
    coordinates = geometry.get("coordinates")
    parts = [coordinates] if kind == "Polygon" else coordinates
    if not isinstance(parts, list) or not parts or not all(isinstance(p, list) and p for p in parts):
        raise error(f"{where}: Die Koordinaten der Fläche fehlen oder sind falsch geschachtelt.")
    return tuple(tuple(_ring(error, where, ring, kind) for ring in part) for part in parts)


def load_geometry(path: Path, ortsteile: Mapping[str, str], property_name: str = DEFAULT_PROPERTY) -> OrtsteilGeometry:
    """Read and check ``path``; ``ortsteile`` maps the Ortsteil codes (text) to their names."""
    path = Path(path)

    def error(message: str) -> GeometryError:
        return GeometryError(message, path=path)

    if not path.is_file():
        raise error("Die Datei existiert nicht.")
    size = path.stat().st_size
    if size > MAX_BYTES:
        megabytes = f"{size / 1_000_000:.1f}".replace(".", ",")
        raise error(f"Die Datei ist mit {megabytes} MB zu groß (höchstens {MAX_BYTES // 1_000_000} MB); "
                    "bitte die Geometrie vereinfachen (z. B. mit mapshaper oder in QGIS).")
    # bounded like every JSON input: nesting depth, number length, UTF-8 (survey.jsonfile)
    document = read_json_file(path, GeometryError, what="GeoJSON-Dateien", limit=MAX_BYTES)
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        found = document.get("type") if isinstance(document, dict) else type(document).__name__
        raise error(f"Erwartet wird eine GeoJSON-»FeatureCollection«, gefunden: »{found}«.")
    crs = document.get("crs")
    if crs is not None:
        name = str((crs.get("properties") or {}).get("name", "")) if isinstance(crs, dict) else str(crs)
        if name not in WGS84_NAMES:
            raise error(f"Das Koordinatensystem ist »{name}«; erwartet wird WGS84 (Länge/Breite, EPSG:4326). "
                        "Bitte im GIS als GeoJSON in WGS84 exportieren.")
    features = document.get("features")
    if not isinstance(features, list) or not features:
        raise error("Die FeatureCollection enthält keine »features«.")
    by_label = {label.casefold(): code for code, label in ortsteile.items()}
    known = ", ".join(f"{c} {n}" for c, n in ortsteile.items()) or "keine"
    polygons: dict[str, list[Polygon]] = {}
    positions = 0
    for index, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise error(f"Feature {index} ist kein GeoJSON-»Feature«.")
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict) or properties.get(property_name) in (None, ""):
            raise error(f"Feature {index} hat keine Eigenschaft »{property_name}« mit dem Ortsteil (Code oder Name). "
                        f"Vorhandene Eigenschaften: {', '.join(map(str, properties)) or 'keine'}. Einen anderen "
                        "Eigenschaftsnamen in analyse.yaml unter »karte: {eigenschaft: …}« angeben.")
        raw = properties[property_name]
        code = _code_text(raw)
        if code not in ortsteile:
            code = by_label.get(str(raw).strip().casefold())
        if code is None:
            raise error(f"Feature {index}: Ortsteil »{raw}« gibt es in analyse.yaml nicht (bekannt: {known}).")
        parts = _polygons(error, _feature_name(index, code, ortsteile), feature.get("geometry"))
        positions += sum(len(ring) for part in parts for ring in part)
        if positions > MAX_POSITIONS:
            raise error(f"Die Geometrie hat mehr als {MAX_POSITIONS:,} Punkte; bitte vereinfachen.".replace(",", "."))
        polygons.setdefault(code, []).extend(parts)
    missing = [code for code in ortsteile if code not in polygons]
    if missing:
        names = ", ".join(f"»{c} {ortsteile[c]}«" for c in missing)
        raise error(f"Für den Ortsteil {names} enthält die Datei keine Fläche." if len(missing) == 1 else
                    f"Für die Ortsteile {names} enthält die Datei keine Fläche.")
    return OrtsteilGeometry(path, tuple(OrtsteilShape(code, ortsteile[code], tuple(polygons[code]))
                                        for code in ortsteile))
