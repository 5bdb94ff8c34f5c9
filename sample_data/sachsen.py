"""Sachsen (gebiet "14") PKS reference series: real published figures where known, fictional fill-ins.

``SACHSEN_REAL`` lists every real (``real``) or arithmetically derived (``abgeleitet``) figure with its
source; everything else is fictional (``fiktiv``) and produced by the same leaf model as the communes.
``sachsen_provenance()`` writes this down per year and key (shipped as referenz/pks_sachsen_quellen.csv).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sample_data.pks import AGGREGATES, KEYS, LEAVES, YEARS, Area, leaf_counts

SRC_2023 = "PKS Sachsen 2023, https://polizei.sachsen.de/de/105068.htm"
SRC_2022 = "tag24.de 2023 zur PKS Sachsen 2022 (https://tag24.de/nachrichten/regionales/sachsen/neue-polizei-statistik-wie-kriminell-ist-sachsen-2782809)"
SRC_2019 = "PKS Sachsen 2019 (271.796 Fälle, AQ 56,2 %), zitiert in research/domain.md §5.3"
SRC_HZ = "HZ Sachsen 2016-2019 aus PD Zwickau, https://polizei.sachsen.de/de/MI_2020_71655.htm; Fälle = HZ x Einwohner"
SRC_BKA = ("BKA-Ländertabellen via https://github.com/Abdou240/Analyse-der-Polizeilichen-Kriminalstatistik-"
           "PKS-2014-2024 (sekundär; 2023 stimmt mit der amtlichen Zahl überein)")
SRC_GEWALT = "Gewaltkriminalität 2023 9.151, AQ 79,2 % (diesachsen.de), 2022: 7.874 (tag24.de)"
SRC_KV = "PKS Sachsen 2023: einfache KV +2.128 (+14,4 %), gefährliche/schwere KV +898 (+15,0 %); Fälle daraus abgeleitet"

# (jahr, schluessel) -> (faelle, aufgeklaert or None, status of faelle, source)
SACHSEN_REAL: dict[tuple[int, str], tuple[int, int | None, str, str]] = {
    (2016, "------"): (324_746, None, "abgeleitet", SRC_HZ + " (HZ 7.950)"),
    (2017, "------"): (323_155, None, "abgeleitet", SRC_HZ + " (HZ 7.917)"),
    (2018, "------"): (278_794, None, "abgeleitet", SRC_HZ + " (HZ 6.831)"),
    (2019, "------"): (271_796, 152_749, "real", SRC_2019 + "; aufgeklärt = 56,2 % abgeleitet"),
    (2022, "------"): (267_312, None, "real", SRC_2022),
    (2024, "------"): (298_000, None, "fiktiv", "angelehnt an »knapp über dem Vorjahresniveau« (PKS 2024, "
                       "research/domain.md §5.3); die genaue Zahl wurde nicht gefunden"),
    (2023, "------"): (296_628, 180_647, "abgeleitet", SRC_2023 + ": 180.647 aufgeklärt (real), AQ 60,9 % -> Fälle"),
    (2023, "890000"): (260_800, None, "real", SRC_2023 + " (Allgemeinkriminalität, gerundet veröffentlicht)"),
    (2022, "890000"): (248_145, None, "abgeleitet", SRC_2023 + ": 2023 = +5,1 % gegenüber 2022"),
    (2021, "****00"): (86_004, None, "real", SRC_BKA),
    (2022, "****00"): (89_206, None, "real", SRC_BKA),
    (2023, "****00"): (96_140, None, "real", SRC_2023 + "; " + SRC_BKA),
    (2024, "****00"): (97_406, None, "real", SRC_BKA),
    (2021, "435*00"): (1_977, None, "real", SRC_BKA),
    (2022, "435*00"): (2_090, None, "real", SRC_BKA),
    (2023, "435*00"): (2_236, None, "real", SRC_BKA),
    (2024, "435*00"): (2_243, None, "real", SRC_BKA),
    (2023, "892000"): (9_151, 7_248, "real", SRC_GEWALT + "; aufgeklärt = 79,2 % abgeleitet"),
    (2022, "892000"): (7_874, None, "real", SRC_GEWALT),
    (2023, "730000"): (12_834, None, "real", SRC_2023),
    (2022, "224000"): (14_778, None, "abgeleitet", SRC_KV),
    (2023, "224000"): (16_906, None, "abgeleitet", SRC_KV),
    (2022, "222000"): (5_987, None, "abgeleitet", SRC_KV),
    (2023, "222000"): (6_885, None, "abgeleitet", SRC_KV),
}

# Einwohner (31.12. of the year before): 2023 real (domain.md §5.3, Fortschreibung 31.12.2022); the others
# are approximate Fortschreibung figures, not checked against a source (2024 on the Zensus 2022 base,
# 2025-2026 fictional).
SACHSEN_POPULATION: dict[int, tuple[int, str]] = {
    2015: (4_055_274, "ungeprüft"), 2016: (4_084_851, "ungeprüft"), 2017: (4_081_783, "ungeprüft"),
    2018: (4_081_308, "ungeprüft"), 2019: (4_077_937, "ungeprüft"), 2020: (4_071_971, "ungeprüft"),
    2021: (4_056_941, "ungeprüft"), 2022: (4_043_002, "ungeprüft"), 2023: (4_086_152, "real"),
    2024: (4_042_000, "fiktiv"), 2025: (4_030_000, "fiktiv"), 2026: (4_018_000, "fiktiv"),
}

SACHSEN_AREA = Area("14", "Sachsen", 4_042_000, 6250.0, 200.0, seed=9014, decline=0.003, size=0.0)
LEAF_KEYS = {"435*00": "wed", "224000": "kv_einfach", "222000": "kv_gef", "730000": "rauschgift"}


def sachsen_population() -> np.ndarray:
    return np.array([SACHSEN_POPULATION[y][0] for y in YEARS])


def _set(leaves: dict, leaf: str, y: int, cases: int, solved: int | None) -> None:
    clearance = LEAVES[leaf][1]
    leaves[leaf][0][y] = max(0, cases)
    leaves[leaf][1][y] = min(max(0, solved if solved is not None else round(cases * clearance)), max(0, cases))


def _others(leaves: dict, key: str, rest: str, y: int, column: int) -> int:
    return sum(int(leaves[p][column][y]) for p in AGGREGATES[key] if p != rest)


def sachsen_leaves() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Fictional leaves, then adjusted so every real or derived aggregate is met exactly."""
    leaves = {k: (c.copy(), s.copy()) for k, (c, s) in leaf_counts(SACHSEN_AREA).items()}
    for y, year in enumerate(YEARS):
        known = {key: value for (yr, key), value in SACHSEN_REAL.items() if yr == year}
        for key, leaf in LEAF_KEYS.items():
            if key in known:
                _set(leaves, leaf, y, known[key][0], known[key][1])
        for key, rest in (("****00", "diebstahl_rest"), ("892000", "gewalt_rest"), ("890000", "sonst")):
            if key in known:
                cases, solved = known[key][:2]
                solved_rest = None if solved is None else solved - _others(leaves, key, rest, y, 1)
                _set(leaves, rest, y, cases - _others(leaves, key, rest, y, 0), solved_rest)
        if "------" in known:
            cases, solved = known["------"][:2]
            rest = "aufenthg" if "890000" in known else "sonst"
            _set(leaves, rest, y, cases - _others(leaves, "------", rest, y, 0), None)
            if solved is not None:  # the known clearance total is met through the "sonst" leaf
                sonst = int(leaves["sonst"][0][y])
                _set(leaves, "sonst", y, sonst, solved - _others(leaves, "------", "sonst", y, 1))
    return leaves


def sachsen_provenance() -> pd.DataFrame:
    """Per year and key: status of the Sachsen figures (real / abgeleitet / fiktiv) and the source."""
    rows = []
    for year in YEARS:
        has = {key for (yr, key) in SACHSEN_REAL if yr == year}
        for key in KEYS:
            if (year, key) in SACHSEN_REAL:
                cases, solved, status, source = SACHSEN_REAL[(year, key)]
                solved_status = "fiktiv" if solved is None else "real/abgeleitet"
            elif key == "725000" and {"------", "890000"} <= has:
                status, source, solved_status = "abgeleitet", "Differenz ------ minus 890000", "fiktiv"
            else:
                status, source, solved_status = "fiktiv", "", "fiktiv"
            rows.append({"jahr": year, "schluessel": key, "status_faelle": status,
                         "status_aufgeklaert": solved_status,
                         "status_einwohner": SACHSEN_POPULATION[year][1], "quelle": source})
    return pd.DataFrame(rows)
