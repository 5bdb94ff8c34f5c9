"""PKS sample series (long format of DESIGN.md §3) for the communes, the fictional Landkreis and Sachsen.

Counts are built from disjoint *leaf* groups (e.g. Wohnungseinbruch, Fahrraddiebstahl, übriger Diebstahl)
with Poisson noise and binomial clearance; every PKS key is a sum of leaves, so sub-keys never exceed
their parents and ``------`` = ``890000`` + ``725000`` exactly. Sachsen uses the real published figures
of ``SACHSEN_REAL`` (see README.md for the sources) and fills the gaps with labelled fictional values.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sample_data.specs import COMMUNES, LAND_AGS, LANDKREIS_AGS, LANDKREIS_NAME, SACHSEN_NAME, CommuneSpec

YEARS = tuple(range(2015, 2027))

KEYS: dict[str, str] = {
    "------": "Straftaten insgesamt",
    "890000": "Straftaten insgesamt, jedoch ohne Verstöße gegen das Aufenthalts-, das Asyl- und das "
              "Freizügigkeitsgesetz/EU",
    "725000": "Straftaten gegen das Aufenthalts-, das Asyl- und das Freizügigkeitsgesetz/EU",
    "****00": "Diebstahl insgesamt",
    "435*00": "Wohnungseinbruchdiebstahl §§ 244 Abs. 1 Nr. 3 und Abs. 4, 244a StGB",
    "***300": "Diebstahl von Fahrrädern einschl. unbefugte Ingebrauchnahme",
    "*50*00": "Diebstahl insgesamt an/aus Kraftfahrzeugen",
    "674000": "Sachbeschädigung §§ 303-305a StGB",
    "899500": "Sachbeschädigung durch Graffiti insgesamt",
    "220000": "Körperverletzung §§ 223-227, 229, 231 StGB",
    "224000": "Vorsätzliche einfache Körperverletzung § 223 StGB",
    "222000": "Gefährliche und schwere Körperverletzung, Verstümmelung weiblicher Genitalien "
              "§§ 224, 226, 226a, 231 StGB",
    "892000": "Gewaltkriminalität",
    "210000": "Raub, räuberische Erpressung und räuberischer Angriff auf Kraftfahrer §§ 249-252, 255, 316a StGB",
    "510000": "Betrug §§ 263, 263a, 264, 264a, 265, 265a, 265b StGB",
    "730000": "Rauschgiftdelikte (soweit nicht bereits mit anderer Schlüsselzahl erfasst)",
}

# leaf: (share of 890000 in 2019, clearance rate, size elasticity per decade of population)
LEAVES: dict[str, tuple[float, float, float]] = {
    "wed": (0.008, 0.15, 0.0), "fahrrad": (0.063, 0.09, 0.2), "kfz": (0.030, 0.12, 0.1),
    "diebstahl_rest": (0.270, 0.42, 0.0), "graffiti": (0.025, 0.14, 0.3), "sachb_rest": (0.075, 0.27, 0.0),
    "kv_einfach": (0.065, 0.88, 0.0), "kv_gef": (0.025, 0.84, 0.15), "kv_rest": (0.006, 0.90, 0.0),
    "raub": (0.006, 0.55, 0.4), "betrug": (0.100, 0.68, 0.0), "rauschgift": (0.050, 0.93, 0.25),
    "gewalt_rest": (0.002, 0.70, 0.0), "sonst": (0.275, 0.62, 0.0), "aufenthg": (0.0, 0.98, 0.0),
}
AGGREGATES: dict[str, tuple[str, ...]] = {
    "------": tuple(LEAVES), "890000": tuple(k for k in LEAVES if k != "aufenthg"), "725000": ("aufenthg",),
    "****00": ("wed", "fahrrad", "kfz", "diebstahl_rest"), "435*00": ("wed",), "***300": ("fahrrad",),
    "*50*00": ("kfz",), "674000": ("graffiti", "sachb_rest"), "899500": ("graffiti",),
    "220000": ("kv_einfach", "kv_gef", "kv_rest"), "224000": ("kv_einfach",), "222000": ("kv_gef",),
    "892000": ("kv_gef", "raub", "gewalt_rest"), "210000": ("raub",), "510000": ("betrug",),
    "730000": ("rauschgift",),
}
# Year factors (2015..2026) relative to 2019: general decline, Corona dip 2020-21, rise 2022-23,
# cannabis law 2024 for drug offences, unauthorised entries peaking 2015/16 and 2023.
_T = np.array
TREND: dict[str, np.ndarray] = {
    "default": _T([1.12, 1.10, 1.04, 1.01, 1.0, 0.95, 0.91, 0.97, 1.02, 1.01, 0.99, 0.98]),
    "theft": _T([1.28, 1.20, 1.10, 1.03, 1.0, 0.86, 0.80, 0.86, 0.93, 0.94, 0.93, 0.92]),
    "wed": _T([1.85, 1.60, 1.30, 1.10, 1.0, 0.82, 0.70, 0.74, 0.79, 0.80, 0.78, 0.76]),
    "violence": _T([1.02, 1.05, 1.01, 1.00, 1.0, 0.93, 0.88, 1.00, 1.14, 1.16, 1.15, 1.14]),
    "fraud": _T([0.88, 0.90, 0.92, 0.96, 1.0, 1.04, 1.10, 1.12, 1.18, 1.20, 1.22, 1.23]),
    "drugs": _T([0.90, 0.95, 0.98, 1.00, 1.0, 1.04, 1.06, 1.02, 1.08, 0.64, 0.60, 0.58]),
    "entry": _T([2.60, 1.90, 0.80, 0.75, 1.0, 0.85, 1.40, 2.40, 4.40, 2.50, 1.60, 1.40]),
}
LEAF_TREND = {"wed": "wed", "fahrrad": "theft", "kfz": "theft", "diebstahl_rest": "theft",
              "kv_einfach": "violence", "kv_gef": "violence", "kv_rest": "violence", "raub": "violence",
              "gewalt_rest": "violence", "betrug": "fraud", "rauschgift": "drugs", "aufenthg": "entry"}


@dataclass(frozen=True)
class Area:
    """A PKS area: ``population`` in the last year before the Zensus 2022 base (2024), decline per year."""

    gebiet: str
    name: str
    population: int
    hz_allgemein: float
    hz_aufenthg: float
    seed: int
    decline: float = 0.005
    series_year: int | None = None
    size: float | None = None  # log10(population) - 4 for the size elasticities; fixed for mixed areas

    @property
    def size_term(self) -> float:
        if self.size is not None:
            return self.size
        return float(np.clip(np.log10(max(self.population, 100)) - 4, -1.2, 1.1))


def area_of(spec: CommuneSpec) -> Area:
    decline = 0.009 if spec.einwohner < 20000 else 0.003
    return Area(spec.ags, spec.kommune, spec.einwohner, spec.hz_allgemein, spec.hz_aufenthg,
                9000 + spec.pks_seed, decline, spec.series_year)


REST_OF_KREIS = Area("rest", "übrige Gemeinden", 114_210, 2900.0, 320.0, 9099, 0.008, size=-0.4)


def population_series(area: Area) -> np.ndarray:
    """Einwohner per year: decline; before 2024 on the older (Zensus 2011) base, which is a bit higher."""
    years = np.array(YEARS)
    base = area.population * (1 + area.decline) ** (2024 - years)
    census_step = np.where(years < 2024, 1.015 if area.population < 10000 else 1.008, 1.0)
    return np.round(base * census_step).astype(int)


def leaf_counts(area: Area) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Poisson case counts and binomial clearances per leaf and year."""
    rng = np.random.default_rng(area.seed)
    population = population_series(area)
    size = area.size_term
    out = {}
    for leaf, (share, clearance, elasticity) in LEAVES.items():
        trend = TREND[LEAF_TREND.get(leaf, "default")]
        hz = area.hz_aufenthg if leaf == "aufenthg" else area.hz_allgemein * share * np.exp(elasticity * size)
        cases = rng.poisson(hz * trend * population / 100_000)
        solved = rng.binomial(cases, clearance)
        if leaf == "sachb_rest" and area.series_year in YEARS:  # one solved series of paint scratches
            index = YEARS.index(area.series_year)
            cases[index] += 100
            solved[index] += 95
        out[leaf] = (cases, solved)
    return out


def _rows(gebiet: str, name: str, population: np.ndarray,
          leaves: dict[str, tuple[np.ndarray, np.ndarray]]) -> list[dict]:
    rows = []
    for y, year in enumerate(YEARS):
        for key, label in KEYS.items():
            parts = AGGREGATES[key]
            rows.append({
                "gebiet": gebiet, "gebiet_name": name, "jahr": year, "schluessel": key, "straftat": label,
                "faelle": int(sum(leaves[p][0][y] for p in parts)),
                "aufgeklaert": int(sum(leaves[p][1][y] for p in parts)),
                "einwohner": int(population[y]),
            })
    return rows


def _landkreis_leaves() -> tuple[np.ndarray, dict[str, tuple[np.ndarray, np.ndarray]]]:
    areas = [area_of(spec) for spec in COMMUNES] + [REST_OF_KREIS]
    population = sum(population_series(a) for a in areas)
    parts = [leaf_counts(a) for a in areas]
    leaves = {leaf: (sum(p[leaf][0] for p in parts), sum(p[leaf][1] for p in parts)) for leaf in LEAVES}
    return population, leaves


def pks_table(spec: CommuneSpec, years: range | None = None) -> pd.DataFrame:
    """pks.csv for one commune: the commune, Landkreis Musterland and Sachsen, ten years before ``jahr``."""
    from sample_data.sachsen import sachsen_leaves, sachsen_population  # real figures live there

    years = years or range(spec.jahr - 10, spec.jahr)
    area = area_of(spec)
    rows = _rows(spec.ags, spec.kommune, population_series(area), leaf_counts(area))
    kreis_population, kreis_leaves = _landkreis_leaves()
    rows += _rows(LANDKREIS_AGS, LANDKREIS_NAME, kreis_population, kreis_leaves)
    rows += _rows(LAND_AGS, SACHSEN_NAME, sachsen_population(), sachsen_leaves())
    table = pd.DataFrame(rows)
    return table[table["jahr"].isin(list(years))].reset_index(drop=True)


