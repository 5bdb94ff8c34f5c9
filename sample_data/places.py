"""Fictional Angsträume of two sample communes, with realistic spelling variants (issue 12).

Respondents who say there are places where they feel unsafe (``angstraum = 1``) describe one or two
places in ``angstraum_ort``. The place is drawn from the commune's list (residents of the place's
Ortsteil name it more often; reasons and time of day of the respondent make fitting places likelier), the
wording from the place's spelling variants. After the automatic grouping of ``sicherheitsanalyse
freitexte`` is accepted unchanged, every variant of one place lands in one group (tested in
``tests/test_sample_freetext.py``). All names are invented and harmless.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# reason option codes of angstraum_gruende (standard questionnaire)
LIGHT, HIDDEN, EMPTY, GROUPS, DRUNK, DIRT = 1, 2, 3, 4, 5, 6


@dataclass(frozen=True)
class PlaceSpec:
    name: str  # the most frequent spelling = the proposed group name
    ortsteil: int
    weight: float
    spellings: tuple[tuple[str, float], ...]  # wording and relative frequency
    reasons: tuple[int, ...] = ()
    position: tuple[float, float] = (0.5, 0.5)  # (radial 0..1, angular 0..1) inside the Ortsteil's area


PLACES: dict[str, tuple[PlaceSpec, ...]] = {
    "Eichenstedt": (
        PlaceSpec("Unterführung am Bahnhof", 2, 0.34, (
            ("Unterführung am Bahnhof", 0.34), ("Bahnhofsunterführung", 0.16), ("unterführung bahnhof", 0.1),
            ("Unterführung Bahnhof", 0.1), ("Unterf. Bahnhof", 0.06), ("Die Unterführung am Bahnhof", 0.06),
            ("Bahnhof Unterführung", 0.06), ("Unterfuehrung am Bahnhof", 0.06), ("Unterführung am Bhf.", 0.06)),
            (LIGHT, HIDDEN, DRUNK), (0.45, 0.5)),
        PlaceSpec("Stadtpark", 1, 0.22, (
            ("Stadtpark", 0.45), ("im Stadtpark", 0.2), ("Stadtpark abends", 0.15), ("Stadt-Park", 0.1),
            ("Stadtpark nach Einbruch der Dunkelheit", 0.1)), (LIGHT, EMPTY, GROUPS), (0.55, 0.3)),
        PlaceSpec("Parkplatz am Einkaufszentrum", 3, 0.1, (
            ("Parkplatz am Einkaufszentrum", 0.6), ("Parkplatz Einkaufszentrum Oststadt", 0.25),
            ("Parkplatz beim Einkaufszentrum", 0.15)), (LIGHT, EMPTY), (0.6, 0.5)),
        PlaceSpec("Busbahnhof", 2, 0.05, (("Busbahnhof", 0.7), ("ZOB", 0.3)), (GROUPS, DRUNK), (0.8, 0.3)),
        PlaceSpec("Fußweg zum Buchwald", 4, 0.04, (("Fußweg zum Buchwald", 0.7), ("Weg in den Buchwald", 0.3)),
                  (LIGHT, EMPTY), (0.7, 0.6)),
        PlaceSpec("Spielplatz an der Schule", 5, 0.03, (("Spielplatz an der Schule", 0.8),
                                                         ("Schulspielplatz abends", 0.2)), (GROUPS, DIRT), (0.5, 0.5)),
    ),
    "Wendelstadt": (
        PlaceSpec("Bahnhofsvorplatz", 2, 0.32, (
            ("Bahnhofsvorplatz", 0.4), ("Vorplatz am Bahnhof", 0.15), ("Bahnhof Vorplatz", 0.1),
            ("bahnhofsvorplatz abends", 0.1), ("Bhf.-Vorplatz", 0.1), ("Bahnhofs-Vorplatz", 0.1),
            ("Am Bahnhofsvorplatz", 0.05)), (GROUPS, DRUNK, DIRT), (0.5, 0.5)),
        PlaceSpec("Park an der Stadtmauer", 1, 0.2, (
            ("Park an der Stadtmauer", 0.45), ("Stadtmauerpark", 0.2), ("Park Stadtmauer", 0.15),
            ("Stadtmauer-Park abends", 0.1), ("Park an der Stadtmauer nachts", 0.1)), (LIGHT, HIDDEN, EMPTY),
            (0.6, 0.4)),
        PlaceSpec("Radweg am Fluss", 3, 0.06, (("Radweg am Fluss", 0.7), ("Fluss-Radweg", 0.3)), (LIGHT, EMPTY),
                  (0.7, 0.5)),
        PlaceSpec("Weinbergtreppe", 4, 0.04, (("Weinbergtreppe", 0.8), ("Treppe am Weinberg", 0.2)), (LIGHT, HIDDEN),
                  (0.5, 0.5)),
    ),
}
TEXT_SHARE = 0.7  # of those with angstraum = 1, share who describe a place
SECOND_PLACE = 0.2  # share of describers who name a second place
HOME_BOOST = 2.5
REASON_BOOST = 1.8


def places_for(kommune: str) -> tuple[PlaceSpec, ...]:
    return PLACES.get(kommune, ())


def place_answers(places: tuple[PlaceSpec, ...], ortsteil: np.ndarray, asked: np.ndarray,
                  reasons: dict[int, np.ndarray], rng: np.random.Generator) -> tuple[list[str], list[tuple[int, ...]]]:
    """Per respondent the answer text ("" if none) and the indices of the places named."""
    n = len(ortsteil)
    texts, named = [""] * n, [()] * n
    base = np.array([p.weight for p in places])
    for i in range(n):
        if not asked[i] or rng.random() >= TEXT_SHARE:
            continue
        weight = base.copy()
        for k, place in enumerate(places):
            if ortsteil[i] == place.ortsteil:
                weight[k] *= HOME_BOOST
            if any(reasons.get(code, np.zeros(n))[i] == 1 for code in place.reasons):
                weight[k] *= REASON_BOOST
        first = int(rng.choice(len(places), p=weight / weight.sum()))
        chosen = [first]
        if rng.random() < SECOND_PLACE:
            rest = weight.copy()
            rest[first] = 0
            chosen.append(int(rng.choice(len(places), p=rest / rest.sum())))
        words = []
        for k in chosen:
            variants = places[k].spellings
            shares = np.array([s for _, s in variants])
            words.append(variants[int(rng.choice(len(variants), p=shares / shares.sum()))][0])
        texts[i] = ", ".join(words) if rng.random() < 0.7 else " und ".join(words)
        named[i] = tuple(chosen)
    return texts, named
