"""Synthetic commune profiles (valid against profil-1.0) for benchmarks and tests.

Each profile has the core indicators with plausible estimates and survey SEs (n ≈ 150-900, deff
1.1-1.6), standardised values, a PKS total series, and minimal but schema-valid other parts
(empty item distributions and breakdown records). Communes differ by a true random effect, so the
funnel shows real overdispersion. Deterministic for a given seed.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from typing import Any

from analysis.core import distributions as dist
from analysis.core.flags import MAX_CI_WIDTH_PROPORTION, MIN_N_RELIABLE, MIN_N_SHOWN
from analysis.core.flags import classify as flag_rule

# (id, label, kind, typical value)
CORE = (
    ("unsicher_nachts", "fühlt sich nachts in der Wohngegend unsicher", "proportion", 0.35),
    ("unsicher_tag", "fühlt sich tagsüber in der Wohngegend unsicher", "proportion", 0.08),
    ("unsicher_gemeinde", "fühlt sich in der Gemeinde insgesamt unsicher", "proportion", 0.25),
    ("sorge_hoch_einbruch", "ziemlich oder sehr stark beunruhigt: Einbruch", "proportion", 0.30),
    ("problem_gross_muell", "ziemliches oder großes Problem: Schmutz und Müll", "proportion", 0.35),
    ("opfer_12m_irgendein", "Opfer mindestens einer der fünf Kerntaten in den letzten 12 Monaten", "proportion", 0.22),
    ("anzeigequote_einbruch", "Anzeigequote Einbruch (unter den Opfern)", "proportion", 0.8),
    ("meidet_orte", "meidet nach Einbruch der Dunkelheit manchmal oder oft bestimmte Orte", "proportion", 0.38),
    ("vertrauen_polizei_hoch", "sehr großes oder eher großes Vertrauen in die Polizei", "proportion", 0.62),
    ("furcht_index", "Index Kriminalitätsfurcht (1 gar nicht bis 4 sehr stark beunruhigt)", "mean", 1.95),
    ("problem_index", "Index Probleme im Wohnumfeld (1 kein bis 4 großes Problem)", "mean", 1.75),
)


def _record(indicator: str, label: str, kind: str, estimate: float, se: float, n: int, deff: float) -> dict:
    z = float(dist.t_ppf(0.975, max(n - 1, 1)))
    if kind == "proportion":
        logit, s = math.log(estimate / (1 - estimate)), se / (estimate * (1 - estimate))
        lo, hi = (1 / (1 + math.exp(-(logit + sign * z * s))) for sign in (-1, 1))
    else:
        lo, hi = estimate - z * se, estimate + z * se
    flag, reason = flag_rule(n, lo, hi, kind == "proportion")  # the engine's one flag rule
    shown = flag != "unterdrueckt"
    return {"id": indicator, "label": label, "kind": kind, "core": True,
            "ci_method": "logit" if kind == "proportion" else "t",
            "estimate": estimate if shown else None, "se": se if shown else None,
            "ci_low": lo if shown else None, "ci_high": hi if shown else None, "n": n,
            "weighted_n": float(n * 40), "deff": deff, "flag": flag,
            "flag_reason": reason or None}


def synthetic_profile(index: int, *, seed: int = 1, year: int = 2025, core_version: str = "1",
                      ags: str | None = None, name: str | None = None, shift: float = 0.0, spread: float = 0.25,
                      offsets: Mapping[str, float] | None = None) -> dict[str, Any]:
    """Profile number ``index``; ``shift`` adds to every share (on the logit scale ×4) for a second wave.

    ``spread`` is the true between-commune standard deviation (logit scale for shares, ×0.48 for the
    indices); 0 makes communes differ only by sampling error. ``offsets`` shifts single indicators of this
    commune (logit scale for shares, index units for means): a commune that really differs."""
    offsets = offsets or {}
    rng = random.Random(f"{seed}-{index}")
    wave_rng = random.Random(f"{seed}-{index}-{year}")
    net = rng.randint(150, 900)
    deff = rng.uniform(1.1, 1.6)
    ags = ags or f"14{rng.randint(100, 999):03d}{index:03d}"[:8].ljust(8, "0")
    name = name or f"Testkommune {index + 1}"
    indicators, standardised = [], []
    for indicator, label, kind, typical in CORE:
        n = max(5, int(net * (0.22 if indicator.startswith("anzeigequote") else 0.95) * wave_rng.uniform(0.9, 1.0)))
        if kind == "proportion":
            logit = math.log(typical / (1 - typical)) + rng.gauss(0, spread) + 4 * shift + offsets.get(indicator, 0.0)
            true = 1 / (1 + math.exp(-logit))
            se = math.sqrt(deff * true * (1 - true) / n)
            estimate = min(max(wave_rng.gauss(true, se), 0.005), 0.995)
            se = math.sqrt(deff * estimate * (1 - estimate) / n)
        else:
            true = typical + rng.gauss(0, spread * 0.48) + shift + offsets.get(indicator, 0.0)
            se = math.sqrt(deff * 0.45 / n)
            estimate = wave_rng.gauss(true, se)
        record = _record(indicator, label, kind, estimate, se, n, deff)
        indicators.append(record)
        std_estimate = estimate + wave_rng.gauss(0, se * 0.3)
        if kind == "proportion":
            std_estimate = min(max(std_estimate, 0.005), 0.995)
        std = _record(indicator, label, kind, std_estimate, se * 1.05, n, deff)
        standardised.append({k: std[k] for k in ("id", "estimate", "se", "ci_low", "ci_high", "n", "weighted_n",
                                                 "kind", "ci_method", "flag", "flag_reason")})
    population = net * rng.randint(30, 120)
    rate = rng.uniform(2500, 8000)
    series = []
    for pks_year in range(year - 3, year):
        cases = int(population * rate / 100000 * wave_rng.uniform(0.9, 1.1))
        hz = cases * 100000 / population
        series.append({"jahr": pks_year, "faelle": cases, "einwohner": float(population),
                       "hz": {"cases": cases, "population": float(population), "rate": hz, "ci_low": hz * 0.95,
                              "ci_high": hz * 1.05, "conf_level": 0.95, "flag": None}})
    return {
        "schema_version": "1.0", "created": f"{year}-12-01",
        "tool": {"name": "sicherheitsanalyse", "version": "synthetisch"},
        "commune": {"name": name, "ags": ags, "landkreis_ags": ags[:5] + "000"},
        "wave": {"jahr": year, "label": str(year)},
        "questionnaire": {"id": "sicherheitsanalyse-standard", "version": "1", "core_version": core_version},
        "sample": {"gross": int(net / 0.33), "net": net, "response_rate": 0.33, "strata": [],
                   "modes": {"online": net // 2, "papier": net - net // 2}},
        "weighting": {"method": "raking", "bounds": None, "converged": True, "iterations": 5, "g_min": 0.6,
                      "g_max": 2.0, "kish_deff": deff, "effective_n": net / deff, "margins": [],
                      "missing_characteristics": {}, "missing_rule": "synthetisch", "warnings": []},
        "methods": {"variance": "synthetisch", "ci_method_proportion": "logit", "ci_method_mean": "t",
                    "confidence_level": 0.95, "df": net - 1, "notes": [],
                    "suppression": {"min_n_shown": MIN_N_SHOWN, "min_n_reliable": MIN_N_RELIABLE,
                                    "max_ci_width_proportion": MAX_CI_WIDTH_PROPORTION}},
        "indicators": indicators,
        "breakdowns": {"variables": [], "records": []},
        "standardised": {"standard_population": {"name": "synthetisch", "source": "synthetisch", "year": 2017,
                                                 "cells": []}, "indicators": standardised},
        "item_distributions": [],
        "crime": {"available": True, "gebiet": ags, "years": [s["jahr"] for s in series], "latest_year": year - 1,
                  "offences": [{"id": "insgesamt", "label": "Straftaten insgesamt", "keys": ["------"],
                                "series": series}]},
        "dunkelfeld": {"available": False, "caveats": []},
        "drivers": {"available": False},
        "problems": [], "fields_of_action": [], "recommendations": [],
        "rules_summary": {"rules_total": 0, "not_triggered": [], "not_evaluable": []},
        "tests": {},
    }
