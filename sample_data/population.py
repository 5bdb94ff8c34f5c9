"""Population 16+ by Ortsteil x sex x age group, the register sample and unit non-response."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sample_data.specs import AGE_GROUPS, BASE_AGE_SHARES, FEMALE_SHARES, SHARE_16PLUS, CommuneSpec

AGE_BOUNDS = ((16, 29), (30, 44), (45, 59), (60, 74), (75, 99))
# Minimum letters per Ortsteil so that small Ortsteile still get enough respondents.
MIN_LETTERS = 120


def largest_remainder(total: int, weights: np.ndarray) -> np.ndarray:
    """Integers proportional to ``weights`` that add up exactly to ``total``."""
    raw = total * np.asarray(weights, dtype=float) / np.sum(weights)
    counts = np.floor(raw).astype(int)
    rest = total - counts.sum()
    order = np.argsort(-(raw - counts), kind="stable")
    counts[order[:rest]] += 1
    return counts


def age_shares(shift: float) -> np.ndarray:
    """Age-group shares; ``shift`` > 0 makes the population older (tilts weight towards 60+)."""
    tilt = np.exp(shift * np.array([-1.0, -0.5, 0.0, 0.5, 0.8]))
    shares = np.array(BASE_AGE_SHARES) * tilt
    return shares / shares.sum()


def population_cells(spec: CommuneSpec) -> pd.DataFrame:
    """Population 16+ by ortsteil, geschlecht (1/2) and altersgruppe (exact register counts)."""
    adults = int(round(spec.einwohner * SHARE_16PLUS))
    per_ortsteil = largest_remainder(adults, np.array([o.share for o in spec.ortsteile]))
    rows = []
    for ortsteil, n_ortsteil in zip(spec.ortsteile, per_ortsteil):
        ages = age_shares(spec.age_profile + ortsteil.age_shift)
        weights = np.concatenate([ages * (1 - np.array(FEMALE_SHARES)), ages * np.array(FEMALE_SHARES)])
        counts = largest_remainder(int(n_ortsteil), weights)
        for index, count in enumerate(counts):
            rows.append((ortsteil.code, 1 + index // len(AGE_GROUPS), AGE_GROUPS[index % len(AGE_GROUPS)], int(count)))
    return pd.DataFrame(rows, columns=["ortsteil", "geschlecht", "altersgruppe", "einwohner"])


def population_margins(spec: CommuneSpec, cells: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """population.csv: sex x age group; optionally perturbed like Zensus 2022 cell-key results (< 1 %)."""
    table = cells.groupby(["geschlecht", "altersgruppe"], sort=False)["einwohner"].sum().reset_index()
    if spec.perturb_population:
        noise = rng.integers(-3, 4, size=len(table))
        noise = np.where(noise == 0, 2, noise)  # every cell slightly off, so margins never add up
        limit = np.maximum(1, (table["einwohner"].to_numpy() * 0.008).astype(int))
        table["einwohner"] = table["einwohner"].to_numpy() + np.clip(noise, -limit, limit)
    table.insert(0, "ags", spec.ags)
    return table[["ags", "geschlecht", "altersgruppe", "einwohner"]]


def allocate_letters(spec: CommuneSpec, n_16plus: np.ndarray) -> np.ndarray:
    """Letters per Ortsteil: proportional with a minimum per Ortsteil; the whole population if census."""
    if spec.census or spec.brutto >= n_16plus.sum():
        return n_16plus.copy()
    letters = largest_remainder(spec.brutto, n_16plus)
    small = letters < MIN_LETTERS
    if small.any():
        letters[small] = np.minimum(MIN_LETTERS, n_16plus[small])
        rest = spec.brutto - letters[small].sum()
        letters[~small] = largest_remainder(rest, n_16plus[~small])
    return np.minimum(letters, n_16plus)


def _ages(rng: np.random.Generator, group_index: np.ndarray) -> np.ndarray:
    """Age in years within each age group (75+: fewer people at higher ages)."""
    ages = np.empty(len(group_index), dtype=int)
    for index, (low, high) in enumerate(AGE_BOUNDS):
        mask = group_index == index
        years = np.arange(low, high + 1)
        weights = np.exp(-0.11 * (years - low)) if index == len(AGE_BOUNDS) - 1 else np.ones(len(years))
        ages[mask] = rng.choice(years, size=mask.sum(), p=weights / weights.sum())
    return ages


def draw_sample(spec: CommuneSpec, cells: pd.DataFrame, letters: np.ndarray,
                rng: np.random.Generator) -> pd.DataFrame:
    """The gross register sample: stratified SRS without replacement, one row per letter."""
    frames = []
    for ortsteil, n_letters in zip(spec.ortsteile, letters):
        own = cells[cells["ortsteil"] == ortsteil.code]
        persons = np.repeat(np.arange(len(own)), own["einwohner"].to_numpy())
        chosen = rng.choice(persons, size=int(n_letters), replace=False)
        chosen.sort()
        picked = own.iloc[chosen]
        frames.append(pd.DataFrame({
            "ortsteil": ortsteil.code,
            "geschlecht": picked["geschlecht"].to_numpy(),
            "age_group": picked["altersgruppe"].map({g: i for i, g in enumerate(AGE_GROUPS)}).to_numpy(),
        }))
    sample = pd.concat(frames, ignore_index=True)
    sample["age"] = _ages(rng, sample["age_group"].to_numpy())
    return sample


# Response propensity (logit) by age group: the young answer least, 60-74 most.
AGE_RESPONSE = np.array([-0.75, -0.35, 0.0, 0.45, 0.25])
FEMALE_RESPONSE = 0.22


def select_respondents(spec: CommuneSpec, sample: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Unit non-response: latent propensity + logistic noise; the ``response_rate`` share answers."""
    shift = {o.code: o.response for o in spec.ortsteile}
    logit = (AGE_RESPONSE[sample["age_group"].to_numpy()]
             + FEMALE_RESPONSE * (sample["geschlecht"].to_numpy() == 2)
             + sample["ortsteil"].map(shift).to_numpy())
    score = logit + rng.logistic(size=len(sample))
    n_net = int(round(spec.response_rate * len(sample)))
    chosen = np.sort(np.argsort(-score, kind="stable")[:n_net])
    return sample.iloc[chosen].reset_index(drop=True)


def strata_table(spec: CommuneSpec, n_16plus: np.ndarray, letters: np.ndarray,
                 respondents: pd.DataFrame) -> pd.DataFrame:
    """strata.csv: ortsteil,name,einwohner_16plus,brutto_stichprobe,netto."""
    netto = respondents["ortsteil"].value_counts()
    return pd.DataFrame({
        "ortsteil": [o.code for o in spec.ortsteile],
        "name": [o.name for o in spec.ortsteile],
        "einwohner_16plus": n_16plus,
        "brutto_stichprobe": letters,
        "netto": [int(netto.get(o.code, 0)) for o in spec.ortsteile],
    })
