"""Fictional Ortsteil geometry of the sample communes (``ortsteile.geojson``), seeded per commune.

A commune is a wobbly disc around an invented centre (size from its population and a density by town
size). With three or more Ortsteile the first one is the core and the others are ring sectors around it,
their angles proportional to their population shares; with two Ortsteile the disc is cut into two
sectors. Shared borders use the same vertices, outer rings run counter-clockwise (RFC 7946). The file and
every feature say that the geometry is fictional. Both waves of a commune get the same geometry (the seed
comes from the commune's name).
"""

from __future__ import annotations

import json
import math
import zlib

import numpy as np

from sample_data.specs import CommuneSpec

# invented centres (lon, lat) inside a plausible box; not the position of any real place
CENTRES = {"Quellenthal": (13.42, 51.02), "Grenzbach": (14.36, 50.96), "Wendelstadt": (13.06, 51.19),
           "Eichenstedt": (12.74, 51.34), "Auenstadt": (13.66, 51.09)}
STEPS = 96  # vertices of a full circle
KM_PER_DEGREE_LAT = 110.57
KM_PER_DEGREE_LON = 111.32
NOTE = ("Fiktive Geometrie der Beispielkommune, erzeugt von sample_data/generate.py; keine echten Grenzen, "
        "keine echte Lage.")


def _density(einwohner: int) -> float:
    return 150.0 if einwohner < 2000 else 300.0 if einwohner < 20000 else 600.0 if einwohner < 60000 else 1200.0


class CommuneShape:
    """Radius functions and sector angles of one commune; positions in km around the centre."""

    def __init__(self, spec: CommuneSpec) -> None:
        rng = np.random.default_rng(zlib.crc32(spec.kommune.encode("utf-8")))
        self.spec = spec
        self.lon0, self.lat0 = CENTRES.get(spec.kommune, (13.0, 51.0))
        self.radius = math.sqrt(spec.einwohner / (math.pi * _density(spec.einwohner)))
        self.phases = rng.uniform(0, 2 * math.pi, 4)
        self.start = float(rng.uniform(0, 2 * math.pi))
        shares = np.array([o.share for o in spec.ortsteile], dtype=float)
        self.core = len(spec.ortsteile) >= 3
        ring = shares[1:] if self.core else shares
        edges = self.start + 2 * math.pi * np.concatenate([[0.0], np.cumsum(ring / ring.sum())])
        self.edges = [float(a) for a in edges]

    def outer(self, a: float) -> float:
        p = self.phases
        return self.radius * (1 + 0.12 * math.sin(2 * a + p[0]) + 0.07 * math.sin(3 * a + p[1])
                              + 0.04 * math.sin(5 * a + p[2]))

    def inner(self, a: float) -> float:
        return 0.42 * self.radius * (1 + 0.08 * math.sin(3 * a + self.phases[3]))

    def lonlat(self, r: float, a: float) -> list[float]:
        x, y = r * math.cos(a), r * math.sin(a)
        lon = self.lon0 + x / (KM_PER_DEGREE_LON * math.cos(math.radians(self.lat0)))
        lat = self.lat0 + y / KM_PER_DEGREE_LAT
        return [round(lon, 5), round(lat, 5)]

    @staticmethod
    def _angles(a0: float, a1: float) -> list[float]:
        steps = max(4, int(round(STEPS * (a1 - a0) / (2 * math.pi))))
        return [a0 + (a1 - a0) * k / steps for k in range(steps + 1)]

    def rings(self) -> list[list[list[float]]]:
        """One closed ring per Ortsteil, in the order of the spec."""
        rings = []
        if self.core:
            angles = self._angles(self.start, self.start + 2 * math.pi)[:-1]
            core = [self.lonlat(self.inner(a), a) for a in angles]
            rings.append(core + [core[0]])
        for a0, a1 in zip(self.edges[:-1], self.edges[1:]):
            outer = [self.lonlat(self.outer(a), a) for a in self._angles(a0, a1)]
            if self.core:
                inner = [self.lonlat(self.inner(a), a) for a in reversed(self._angles(a0, a1))]
            else:
                inner = [self.lonlat(0.0, 0.0)]
            ring = outer + inner
            rings.append(ring + [ring[0]])
        return rings

    def position(self, ortsteil: int, radial: float, angular: float) -> tuple[float, float]:
        """A point inside the Ortsteil's area (fractions of its radial and angular extent)."""
        index = [o.code for o in self.spec.ortsteile].index(ortsteil)
        if self.core and index == 0:
            a = self.start + 2 * math.pi * angular
            lon, lat = self.lonlat(0.75 * radial * self.inner(a), a)
        else:
            k = index - 1 if self.core else index
            a = self.edges[k] + (self.edges[k + 1] - self.edges[k]) * (0.15 + 0.7 * angular)
            low = self.inner(a) if self.core else 0.0
            lon, lat = self.lonlat(low + (0.15 + 0.7 * radial) * (self.outer(a) - low), a)
        return lat, lon


def geojson_text(spec: CommuneSpec) -> str:
    """The ortsteile.geojson of the commune: one feature per line, fixed key order."""
    shape = CommuneShape(spec)
    head = {"type": "FeatureCollection", "name": f"Ortsteile {spec.kommune} (fiktiv)", "hinweis": NOTE}
    features = []
    for ortsteil, ring in zip(spec.ortsteile, shape.rings()):
        feature = {"type": "Feature",
                   "properties": {"ortsteil": ortsteil.code, "name": ortsteil.name, "fiktiv": True},
                   "geometry": {"type": "Polygon", "coordinates": [ring]}}
        features.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    body = json.dumps(head, ensure_ascii=False, separators=(",", ":"))[:-1]
    return body + ',"features":[\n' + ",\n".join(features) + "\n]}\n"
