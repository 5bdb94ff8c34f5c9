"""Answers to the non-core variables of a questionnaire, from simple plausible distributions.

Ordinal items lean on the latent factors where the item id suggests it (safety/fear -> F, incivilities
-> D, police/satisfaction -> T); filters are respected via ``Condition.applies``; free texts are short
harmless phrases from a fixed list (never personal data).
"""

from __future__ import annotations

import zlib

import numpy as np
import pandas as pd

PLACES = (
    "Unterführung am Bahnhof", "Stadtpark nach Einbruch der Dunkelheit", "Parkplatz am Einkaufsmarkt",
    "Busbahnhof", "Fußweg zum Friedhof (schlecht beleuchtet)", "Spielplatz an der Schule abends",
    "Radweg entlang der Bahnlinie", "Marktplatz am Wochenende", "Bushaltestelle an der Hauptstraße",
    "Teichanlage im Ortsteil", "Tiefgarage am Rathaus", "Gelände der alten Spinnerei",
)
SUGGESTIONS = (
    "Mehr Straßenbeleuchtung", "Häufiger Streife laufen", "Mehr Sauberkeit in den Grünanlagen",
    "Treffpunkt für Jugendliche schaffen", "Geschwindigkeitskontrollen in der Hauptstraße",
    "Gehwege instand setzen", "Mehr Mülleimer aufstellen", "Ansprechpartner im Ordnungsamt bekannt machen",
    "Videoüberwachung am Bahnhof", "Mehr Angebote für Senioren", "Nachbarschaftshilfe stärken",
    "Falschparker kontrollieren",
)
PROBLEM_TEXTS = (
    "Raser in der Hauptstraße", "Falschparker vor der Schule", "Scherben auf dem Spielplatz",
    "Laute Musik am Wochenende", "Wilder Müll am Waldrand", "Zugewachsene Fußwege",
)
REMARKS = ("Danke für die Befragung.", "Der Fragebogen war etwas lang.", "Bitte die Ergebnisse veröffentlichen.",
           "Insgesamt lebe ich gern hier.", "Bitte mehr für ältere Menschen tun.")

# id -> (target shares over the sorted valid codes, latent name, sign): higher sign*latent -> later codes
SPECIAL: dict[str, tuple[tuple[float, ...], str, float]] = {
    "wohnen_gern": ((0.45, 0.42, 0.1, 0.03), "wellbeing", 1), "wegzug": ((0.1, 0.9), "wellbeing", -1),
    "nachbarn_kennen": ((0.05, 0.3, 0.4, 0.25), "age", 1),
    "sicher_wohnung": ((0.55, 0.37, 0.06, 0.02), "F", 1), "sicher_oepnv": ((0.2, 0.45, 0.25, 0.1), "F", 1),
    "sicherheit_veraenderung": ((0.07, 0.55, 0.38), "F", 1),
    "kriminalitaet_entwicklung": ((0.3, 0.4, 0.24, 0.04, 0.02), "F", -1),
    "polizei_praesenz": ((0.55, 0.42, 0.03), "T", 1), "ordnungsamt_praesenz": ((0.45, 0.5, 0.05), "T", 1),
    "polizei_streife": ((0.15, 0.25, 0.4, 0.2), "none", 1), "polizei_arbeit": ((0.14, 0.66, 0.16, 0.04), "T", -1),
    "opfer_diebstahl": ((0.08, 0.92), "D", -1), "opfer_raub": ((0.01, 0.99), "D", -1),
    "opfer_bedrohung": ((0.06, 0.94), "D", -1), "opfer_belaestigung": ((0.07, 0.93), "F", -1),
    "angstraum": ((0.35, 0.65), "F", -1), "angstraum_zeit": ((0.05, 0.8, 0.15), "none", 1),
    "ehrenamt": ((0.25, 0.75), "none", 1), "praevention_bekannt": ((0.2, 0.8), "age", -1),
    "migration": ((0.04, 0.96), "none", 1), "dauer_einschraenkung": ((0.14, 0.86), "age", -1),
    "mitwirkung": ((0.12, 0.33, 0.55), "none", 1),
    "risiko_einbruch": ((0.25, 0.5, 0.2, 0.05), "F", 1), "risiko_diebstahl": ((0.22, 0.5, 0.22, 0.06), "F", 1),
    "risiko_koerperverletzung": ((0.4, 0.45, 0.12, 0.03), "F", 1),
    "risiko_belaestigung": ((0.45, 0.38, 0.12, 0.05), "F", 1), "risiko_betrug": ((0.25, 0.45, 0.22, 0.08), "F", 1),
    **{f"zusammenhalt_{x}": ((0.25, 0.5, 0.2, 0.05), "wellbeing", 1)
       for x in ("helfen", "vertrauen", "graffiti", "hilfe", "gemeinsam", "zuhause")},
}
FEAR_WORDS = ("sicher", "angst", "furcht", "meide", "schutz", "risiko", "wahrscheinlich", "sorge", "opfer")
TRUST_WORDS = ("vertrauen", "zufrieden", "polizei", "ordnung", "verwaltung", "streife", "praesenz")
DISORDER_WORDS = ("problem", "stoer", "zustand", "sauber", "beeintraecht", "aerger", "verwahrlos")


def _stable_rng(seed: int, name: str) -> np.random.Generator:
    """A generator per variable, so adding a variable does not change the others."""
    return np.random.default_rng([seed, zlib.crc32(name.encode("utf-8"))])


def _named_latent(name: str, people: pd.DataFrame) -> np.ndarray:
    if name == "wellbeing":
        return 0.4 * people["F"].to_numpy() + 0.4 * people["D"].to_numpy()
    if name == "age":
        return people["agec"].to_numpy()
    if name == "none":
        return np.zeros(len(people))
    return people[name].to_numpy()


def _latent(variable_id: str, people: pd.DataFrame) -> np.ndarray:
    name = variable_id.lower()
    if any(word in name for word in DISORDER_WORDS):
        return people["D"].to_numpy()
    if any(word in name for word in TRUST_WORDS):
        return -people["T"].to_numpy()
    if any(word in name for word in FEAR_WORDS):
        return people["F"].to_numpy()
    if "wohn" in name or "nachbar" in name or "gern" in name:
        return 0.4 * people["F"].to_numpy() + 0.3 * people["D"].to_numpy()
    return np.zeros(len(people))


def _target_shares(k: int) -> np.ndarray:
    """Skewed towards the first (usually positive) codes, as typical for such scales."""
    shares = np.array([0.28, 0.36, 0.2, 0.1, 0.06, 0.04, 0.03, 0.02, 0.02, 0.02, 0.02][:k]) if k <= 11 else np.ones(k)
    return shares / shares.sum()


def _ordinal(latent: np.ndarray, codes: list[int], rng: np.random.Generator,
             shares: np.ndarray | None = None) -> np.ndarray:
    spread = latent.std() or 1.0
    score = 0.7 * (latent - latent.mean()) / spread + rng.normal(0, 0.95, len(latent))
    shares = _target_shares(len(codes)) if shares is None else shares
    cuts = np.quantile(score, np.cumsum(shares)[:-1])
    return np.array(codes, dtype=float)[np.searchsorted(cuts, score)]


def _demographics(variable_id: str, people: pd.DataFrame, answers: dict, size: float,
                  rng: np.random.Generator) -> np.ndarray | None:
    """Age-dependent demographics and housing (by commune size); None for other variables."""
    n = len(people)
    age = people["age"].to_numpy()
    if variable_id == "wohndauer":
        return np.minimum(age, np.round(rng.exponential(12 + 0.35 * age))).astype(float)
    if variable_id == "haushalt_personen":
        mean_extra = np.where(age < 30, 1.2, np.where(age < 50, 1.9, np.where(age < 65, 0.8, 0.5)))
        return (1 + rng.poisson(mean_extra)).clip(1, 8).astype(float)
    if variable_id == "haushalt_kinder":
        persons = np.nan_to_num(answers.get("haushalt_personen", np.ones(n)), nan=1.0)
        kids = np.where((age >= 25) & (age < 55), rng.binomial(np.maximum(persons - 1, 0).astype(int), 0.6), 0)
        return kids.astype(float)
    if variable_id == "erwerb":
        p_work = np.where(age < 22, 0.25, np.where(age < 63, 0.82, np.where(age < 67, 0.3, 0.02)))
        u = rng.random(n)
        other = rng.choice([3.0, 5.0, 6.0], size=n, p=[0.5, 0.25, 0.25])
        return np.where(age >= 63, np.where(u < p_work, 1.0, 4.0),
                        np.where(age < 25, np.where(u < p_work, 1.0, np.where(u < 0.9, 2.0, 3.0)),
                                 np.where(u < p_work, 1.0, other)))
    if variable_id == "bildung":
        young = np.where(age <= 18, 1.0, 5.0)
        levels = np.array([3.0, 4.0, 5.0, 6.0])
        probs_old, probs_mid = [0.35, 0.4, 0.08, 0.17], [0.08, 0.45, 0.2, 0.27]
        drawn = np.where(age >= 65, rng.choice(levels, n, p=probs_old), rng.choice(levels, n, p=probs_mid))
        drawn[rng.random(n) < 0.01] = 2.0
        return np.where(age <= 18, young, drawn)
    if variable_id == "einkommen":
        base = rng.choice([1.0, 2.0, 3.0, 4.0, 5.0], n, p=[0.22, 0.3, 0.25, 0.16, 0.07])
        return np.where((age >= 30) & (age < 60) & (base < 5) & (rng.random(n) < 0.25), base + 1, base)
    if variable_id in ("wohnform", "wohnstatus"):
        urban = float(np.clip((size + 1) / 2.2, 0, 1))  # 0 village .. 1 town of 120,000
        shares = (np.array([0.7, 0.15, 0.1, 0.05]) * (1 - urban) + np.array([0.18, 0.3, 0.49, 0.03]) * urban
                  if variable_id == "wohnform" else
                  np.array([0.3, 0.65, 0.05]) * (1 - urban) + np.array([0.72, 0.24, 0.04]) * urban)
        return rng.choice(np.arange(1.0, len(shares) + 1), n, p=shares / shares.sum())
    return None


def _number(variable, n: int, rng: np.random.Generator) -> np.ndarray:
    low = variable.minimum if variable.minimum is not None else 0
    high = variable.maximum if variable.maximum is not None else low + 10
    if high - low <= 12:
        values = low + rng.geometric(0.45, n) - 1
    else:
        values = rng.integers(low, low + max(1, (high - low) // 3) + 1, n)
    return np.clip(values, low, high).astype(float)


def _apply_filter(variable, values, answers: dict[str, np.ndarray | list]) -> None:
    condition = variable.filter
    if condition is None:
        return
    items = condition.items
    for i in range(len(values)):
        row = {item: answers[item][i] for item in items if item in answers}
        if condition.applies(row) is not True:
            values[i] = np.nan if isinstance(values, np.ndarray) else ""


def extra_answers(questionnaire, people: pd.DataFrame, answers: dict[str, np.ndarray], seed: int,
                  size: float = 0.0, places=()) -> dict:  # noqa: ANN001
    """Answers for every questionnaire variable not already in ``answers`` (mutates and returns it).

    ``size``: log10(population) - 4 of the commune (housing differs between villages and towns).
    ``places``: the commune's fictional Angsträume (:mod:`sample_data.places`); with them the place
    question is answered after the reasons, from the place list with spelling variants.
    """
    n = len(people)
    paper = people["paper"].to_numpy()
    deferred = []
    for variable in questionnaire.variables:
        if variable.id in answers:
            continue
        if places and variable.kind == "text" and variable.id == "angstraum_ort":
            deferred.append(variable)
            continue
        rng = _stable_rng(seed, variable.id)
        if variable.kind == "birthyear":
            values = answers["geburtsjahr"].copy()
        elif (special := _demographics(variable.id, people, answers, size, rng)) is not None:
            values = special
        elif variable.kind == "text":
            name = variable.id.lower()
            pool = (PLACES if "ort" in name else PROBLEM_TEXTS if "problem" in name
                    else REMARKS if "anmerk" in name else SUGGESTIONS)
            filled = rng.random(n) < (0.35 if variable.filter is not None else 0.18)
            picks = rng.integers(0, len(pool), n)
            values = [pool[p] if f else "" for p, f in zip(picks, filled)]
            _apply_filter(variable, values, answers)
            answers[variable.id] = values
            continue
        elif variable.kind == "flag":
            probability = 1 / (1 + np.exp(-(-1.6 + 0.4 * _latent(variable.id, people))))
            values = (rng.random(n) < probability).astype(float)
        elif variable.kind == "number":
            values = _number(variable, n, rng)
        else:
            codes = sorted(variable.codes)
            if variable.id in SPECIAL and len(SPECIAL[variable.id][0]) == len(codes):
                shares, latent_name, sign = SPECIAL[variable.id]
                values = _ordinal(sign * _named_latent(latent_name, people), codes, rng, np.array(shares))
            else:
                values = _ordinal(_latent(variable.id, people), codes, rng) if codes else np.full(n, np.nan)
        if variable.kind == "flag":  # options of a multi question: 0/1, no item-level blanks
            _apply_filter(variable, values, answers)
            answers[variable.id] = values
            continue
        u = rng.random(n)
        if variable.kind == "code" and 8 in variable.missing_codes:
            values[u < 0.02] = 8
        if variable.kind == "code" and 9 in variable.missing_codes:
            values[(u >= 0.02) & (u < 0.026)] = 9
        values[(u >= 0.026) & (u < 0.026 + np.where(paper, 0.022, 0.008))] = np.nan
        _apply_filter(variable, values, answers)
        answers[variable.id] = values
    for variable in deferred:
        _place_texts(variable, people, answers, places, _stable_rng(seed, variable.id))
    return answers


def _place_texts(variable, people: pd.DataFrame, answers: dict, places, rng: np.random.Generator) -> None:  # noqa: ANN001
    from sample_data.places import place_answers

    asked = np.asarray(answers.get("angstraum", np.full(len(people), np.nan))) == 1
    reasons = {int(key.rsplit("_", 1)[1]): np.asarray(values) for key, values in answers.items()
               if key.startswith("angstraum_gruende_")}
    texts, _ = place_answers(places, people["ortsteil"].to_numpy(), asked, reasons, rng)
    _apply_filter(variable, texts, answers)
    answers[variable.id] = texts
