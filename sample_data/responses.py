"""Answers to the core items (DESIGN.md §4) from a small latent-variable model.

Per respondent: perceived incivilities ``D`` (Ortsteil, commune), victimisation (depends on ``D``, age,
commune size), insecurity ``F`` (women, older people, victims and people who see many problems feel less
safe) and trust in the police ``T``. Ordinal items are thresholded noisy copies of these factors, so the
indicators and indices correlate sensibly. Then item non-response (blanks, 8 weiß nicht, 9 keine Angabe).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sample_data.specs import CommuneSpec

OFFENCES = ("fahrrad", "einbruch", "sachbeschaedigung", "koerperverletzung", "betrug")
SORGE = ("einbruch", "diebstahl", "koerperverletzung", "belaestigung", "betrug", "sachbeschaedigung")
PROBLEMS = ("graffiti", "muell", "vandalismus", "alkohol", "drogen", "jugendgruppen", "laerm", "verkehr")

# 12-month prevalence (logit base), age slope (per 15 years) and reporting probability per offence.
VICTIM_BASE = {"fahrrad": 0.055, "einbruch": 0.018, "sachbeschaedigung": 0.07,
               "koerperverletzung": 0.02, "betrug": 0.06}
VICTIM_AGE = {"fahrrad": -0.35, "einbruch": 0.0, "sachbeschaedigung": -0.1,
              "koerperverletzung": -0.55, "betrug": 0.1}
REPORT_RATE = {"fahrrad": 0.55, "einbruch": 0.85, "sachbeschaedigung": 0.35,
               "koerperverletzung": 0.35, "betrug": 0.3}
PROBLEM_LEVEL = {"graffiti": 0.25, "muell": 0.35, "vandalismus": 0.0, "alkohol": -0.15,
                 "drogen": -0.55, "jugendgruppen": -0.1, "laerm": -0.05, "verkehr": 0.65}
# share of "8 weiß nicht" per item (problem items about drugs/groups are hard to judge)
DONT_KNOW = {"sicher_tag": 0.004, "sicher_nacht": 0.012, "sicher_gemeinde": 0.02,
             **{f"sorge_{x}": 0.01 for x in SORGE},
             **{f"problem_{x}": r for x, r in zip(PROBLEMS, (0.02, 0.012, 0.03, 0.03, 0.08, 0.04, 0.015, 0.01))},
             "vertrauen_polizei": 0.06}


def _logit(p: float) -> float:
    return float(np.log(p / (1 - p)))


def _ordinal(latent: np.ndarray, thresholds: tuple[float, float, float]) -> np.ndarray:
    return 1 + (latent[:, None] > np.array(thresholds)[None, :]).sum(axis=1)


def latent_factors(spec: CommuneSpec, people: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Add D (incivilities), victimisation flags, F (insecurity) and T (trust) to the respondents."""
    n = len(people)
    disorder = {o.code: o.disorder for o in spec.ortsteile}
    female = (people["geschlecht"].to_numpy() == 2).astype(float)
    agec = (people["age"].to_numpy() - 50) / 15
    size = np.log10(spec.einwohner) - 4
    local = people["ortsteil"].map(disorder).to_numpy()
    d = spec.disorder_shift + 0.15 * size + local + 0.08 * agec + rng.normal(0, 0.8, n)
    out = people.copy()
    out["D"] = d
    out["local_disorder"] = local
    victim_any = np.zeros(n)
    for offence in OFFENCES:
        logit = (_logit(VICTIM_BASE[offence]) + 0.35 * d + VICTIM_AGE[offence] * agec + 0.2 * size)
        victim = rng.random(n) < 1 / (1 + np.exp(-logit))
        out[f"V_{offence}"] = victim
        victim_any = np.maximum(victim_any, victim)
    out["F"] = (spec.fear_shift + 0.6 * female + 0.25 * agec + 0.4 * d + 0.5 * victim_any
                + rng.normal(0, 0.85, n))
    out["T"] = 0.25 * agec - 0.25 * d - 0.2 * out["F"].to_numpy() + rng.normal(0, 0.9, n)
    out["female"] = female
    out["agec"] = agec
    return out


def core_answers(spec: CommuneSpec, people: pd.DataFrame, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Valid answers (no missing codes yet) to every core item, as float arrays (NaN = not asked)."""
    n = len(people)
    f, d, t = (people[c].to_numpy() for c in ("F", "D", "T"))
    female, agec, local = (people[c].to_numpy() for c in ("female", "agec", "local_disorder"))
    noise = lambda sd: rng.normal(0, sd, n)  # noqa: E731
    items: dict[str, np.ndarray] = {
        "ortsteil": people["ortsteil"].to_numpy().astype(float),
        "geschlecht": people["geschlecht"].to_numpy().astype(float),
        "geburtsjahr": (spec.jahr - people["age"].to_numpy()).astype(float),
        "sicher_tag": _ordinal(f + noise(0.55), (0.5, 2.3, 3.3)),
        "sicher_nacht": _ordinal(f + noise(0.55), (-0.6, 0.9, 1.95)),
        "sicher_gemeinde": _ordinal(f + noise(0.6), (-0.35, 1.25, 2.3)),
    }
    victim = {o: people[f"V_{o}"].to_numpy() for o in OFFENCES}
    sorge_extra = {
        "einbruch": 0.2 + 0.9 * victim["einbruch"],
        "diebstahl": 0.15 + 0.5 * victim["fahrrad"],
        "koerperverletzung": -0.2 + 0.9 * victim["koerperverletzung"],
        "belaestigung": -0.45 + 0.5 * female - 0.25 * agec,
        "betrug": 0.1 + 0.2 * agec + 0.8 * victim["betrug"],
        "sachbeschaedigung": 0.0 + 0.7 * victim["sachbeschaedigung"],
    }
    for x in SORGE:
        items[f"sorge_{x}"] = _ordinal(0.7 * f + sorge_extra[x] + noise(0.7), (0.0, 1.0, 1.8))
    for x in PROBLEMS:
        hotspot = 0.6 * local if x in ("alkohol", "drogen", "muell") else 0.0
        items[f"problem_{x}"] = _ordinal(0.8 * d + PROBLEM_LEVEL[x] + hotspot + noise(0.75), (0.1, 1.1, 2.0))
    for o in OFFENCES:
        items[f"opfer_{o}"] = np.where(victim[o], 1.0, 2.0)
        reported = rng.random(n) < 1 / (1 + np.exp(-(_logit(REPORT_RATE[o]) + 0.2 * t)))
        items[f"anzeige_{o}"] = np.where(victim[o], np.where(reported, 1.0, 2.0), np.nan)
    items["meide_orte"] = _ordinal(0.8 * f + 0.3 * female + noise(0.8), (0.1, 0.95, 1.75))
    items["vertrauen_polizei"] = _ordinal(-t + noise(0.6), (-1.0, 0.45, 1.7))
    return {k: np.asarray(v, dtype=float) for k, v in items.items()}


def item_nonresponse(items: dict[str, np.ndarray], people: pd.DataFrame,
                     rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Blanks (more on paper and among the oldest), 8 weiß nicht, 9 keine Angabe; filters respected."""
    n = len(people)
    paper = people["paper"].to_numpy()
    old = people["age"].to_numpy() >= 75
    blank_rate = np.where(paper, 0.022, 0.008) * np.where(old, 1.6, 1.0)
    out = {k: v.copy() for k, v in items.items()}
    for item, values in out.items():
        if item == "ortsteil" or item.startswith("anzeige_"):
            continue
        u = rng.random(n)
        if item == "geschlecht":
            values[u < 0.004] = 3
            values[(u >= 0.004) & (u < 0.014)] = 9
            values[(u >= 0.014) & (u < 0.019) & paper] = np.nan
            continue
        if item == "geburtsjahr":
            values[u < np.where(paper, 0.018, 0.005)] = np.nan
            continue
        dont_know = DONT_KNOW.get(item, 0.0)
        values[u < dont_know] = 8
        values[(u >= dont_know) & (u < dont_know + 0.006)] = 9
        values[(u >= dont_know + 0.006) & (u < dont_know + 0.006 + blank_rate)] = np.nan
    skipped_page = paper & (rng.random(n) < 0.03)  # a skipped page: all problem items blank
    for x in PROBLEMS:
        out[f"problem_{x}"][skipped_page] = np.nan
    for o in OFFENCES:
        victim = out[f"opfer_{o}"] == 1
        report = out[f"anzeige_{o}"]
        report[~victim] = np.nan
        u = rng.random(n)
        report[victim & (u < 0.03)] = 9
        report[victim & (u >= 0.03) & (u < 0.05)] = np.nan
    return out


def assign_mode(people: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """True for paper: older people answer on paper more often (about a quarter answers online)."""
    logit = 0.35 + 0.065 * (people["age"].to_numpy() - 40)
    return rng.random(len(people)) < 1 / (1 + np.exp(-logit))
