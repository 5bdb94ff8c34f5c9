"""Crime rates from PKS counts: Häufigkeitszahl with Garwood interval, Aufklärungsquote with
Clopper-Pearson interval, rate ratios with an exact conditional interval, multi-year averages.

All intervals are exact (no normal approximation). Formulas: research/software.md §5.3.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from analysis.core import distributions as dist
from analysis.errors import AnalysisError

PER = 100_000
SMALL_COUNT_THRESHOLD = 20
SMALL_COUNT_FLAG = "kleine Fallzahl"


def small_count_flag(cases: int) -> str | None:
    """The one rule for small counts: fewer than 20 cases gives the flag »kleine Fallzahl«.

    With fewer than 20 cases the Garwood interval is wider than about ±45 % of the rate, and chance
    alone moves the count from year to year (research/domain.md §3.7).
    """
    return SMALL_COUNT_FLAG if cases < SMALL_COUNT_THRESHOLD else None


def _check_level(conf_level: float) -> float:
    if not 0 < conf_level < 1:
        raise AnalysisError(f"Das Konfidenzniveau {conf_level} muss zwischen 0 und 1 liegen.")
    return 1 - conf_level


def _check_count(value: float, what: str) -> int:
    if value is None or not np.isfinite(value) or value < 0 or value != int(value):
        raise AnalysisError(f"{what} muss eine ganze Zahl ≥ 0 sein, nicht {value!r}.")
    return int(value)


def _check_population(value: float, what: str = "Die Einwohnerzahl") -> float:
    if value is None or not np.isfinite(value) or value <= 0:
        raise AnalysisError(f"{what} muss größer als 0 sein, nicht {value!r}.")
    return float(value)


def garwood_interval(cases: int, exposure: float = 1.0, conf_level: float = 0.95) -> tuple[float, float]:
    """Exact (Garwood 1936) interval for a Poisson rate ``cases / exposure``.

    lower = χ²(α/2; 2k) / 2 / E (0 for k = 0), upper = χ²(1 - α/2; 2k + 2) / 2 / E.
    """
    alpha = _check_level(conf_level)
    k = _check_count(cases, "Die Fallzahl")
    exposure = _check_population(exposure, "Die Bezugsgröße")
    lower = 0.0 if k == 0 else dist.chi2_ppf(alpha / 2, 2 * k) / 2
    upper = dist.chi2_ppf(1 - alpha / 2, 2 * k + 2) / 2
    return float(lower / exposure), float(upper / exposure)


@dataclass(frozen=True)
class RateEstimate:
    """A Häufigkeitszahl (cases per 100,000 inhabitants) with its exact interval."""

    cases: int
    population: float
    rate: float
    ci_low: float
    ci_high: float
    conf_level: float
    flag: str | None


def haeufigkeitszahl(cases: int, population: float, conf_level: float = 0.95) -> RateEstimate:
    """HZ = Fälle × 100,000 / Einwohner with the Garwood interval."""
    k = _check_count(cases, "Die Fallzahl")
    population = _check_population(population)
    low, high = garwood_interval(k, population / PER, conf_level)
    return RateEstimate(k, population, k * PER / population, low, high, conf_level, small_count_flag(k))


@dataclass(frozen=True)
class ClearanceRate:
    """Aufklärungsquote as a proportion (``share``; ``percent`` = share × 100) with Clopper-Pearson CI."""

    cases: int
    cleared: int
    share: float
    ci_low: float
    ci_high: float
    conf_level: float
    flag: str | None

    @property
    def percent(self) -> float:
        return 100 * self.share


def aufklaerungsquote(cases: int, cleared: int, conf_level: float = 0.95) -> ClearanceRate:
    """AQ = aufgeklärte / erfasste Fälle with the exact (Clopper-Pearson) interval.

    The PKS can report AQ > 100 % when cases of earlier years are cleared; a binomial interval then
    makes no sense and AnalysisError is raised.
    """
    alpha = _check_level(conf_level)
    n = _check_count(cases, "Die Fallzahl")
    x = _check_count(cleared, "Die Zahl der aufgeklärten Fälle")
    if n == 0:
        raise AnalysisError("Ohne erfasste Fälle lässt sich keine Aufklärungsquote berechnen.")
    if x > n:
        raise AnalysisError(
            f"Mehr aufgeklärte ({x}) als erfasste Fälle ({n}): die Aufklärungsquote ist nicht als Anteil "
            "darstellbar."
        )
    low = 0.0 if x == 0 else float(dist.beta_ppf(alpha / 2, x, n - x + 1))
    high = 1.0 if x == n else float(dist.beta_ppf(1 - alpha / 2, x + 1, n - x))
    return ClearanceRate(n, x, x / n, low, high, conf_level, small_count_flag(n))


@dataclass(frozen=True)
class RateRatio:
    """Rate of an area divided by the rate of a reference, with an exact conditional interval."""

    cases: int
    population: float
    reference_cases: int
    reference_population: float
    ratio: float
    ci_low: float
    ci_high: float
    conf_level: float
    flag: str | None


def rate_ratio(
    cases: int, population: float, reference_cases: int, reference_population: float,
    conf_level: float = 0.95,
) -> RateRatio:
    """Exact conditional rate ratio R = (k1/E1)/(k2/E2).

    Given n = k1 + k2, k1 ~ Bin(n, π) with π = E1·R/(E1·R + E2). The Clopper-Pearson bounds of π map to
    R = π·E2/((1 - π)·E1). The reference must not contain the area (pass the rest of the Landkreis).
    """
    alpha = _check_level(conf_level)
    k1 = _check_count(cases, "Die Fallzahl")
    k2 = _check_count(reference_cases, "Die Fallzahl des Vergleichsgebiets")
    e1 = _check_population(population)
    e2 = _check_population(reference_population, "Die Einwohnerzahl des Vergleichsgebiets")
    n = k1 + k2
    if n == 0:
        raise AnalysisError("Ohne Fälle in beiden Gebieten lässt sich kein Ratenverhältnis berechnen.")
    pi_low = 0.0 if k1 == 0 else float(dist.beta_ppf(alpha / 2, k1, n - k1 + 1))
    pi_high = 1.0 if k1 == n else float(dist.beta_ppf(1 - alpha / 2, k1 + 1, n - k1))

    def to_ratio(pi: float) -> float:
        return math.inf if pi >= 1 else pi * e2 / ((1 - pi) * e1)

    ratio = math.inf if k2 == 0 else (k1 / e1) / (k2 / e2)
    return RateRatio(k1, e1, k2, e2, ratio, to_ratio(pi_low), to_ratio(pi_high), conf_level,
                     small_count_flag(k1))


@dataclass(frozen=True)
class PooledRate:
    """Multi-year average: mean cases per year and HZ of the summed cases over the summed population."""

    years: tuple[int, ...]
    total_cases: int
    mean_cases: float
    mean_cases_ci_low: float
    mean_cases_ci_high: float
    mean_population: float
    rate: float
    ci_low: float
    ci_high: float
    conf_level: float
    flag: str | None


def pooled_rate(
    years: Sequence[int], cases: Sequence[int], population: Sequence[float], conf_level: float = 0.95
) -> PooledRate:
    """Multi-year mean (e.g. 3 or 5 years) for small communes.

    HZ = Σ cases × 100,000 / Σ population (population-weighted mean of the yearly HZ); the Garwood
    interval is taken on the summed count, the mean count's interval is that of the sum divided by
    the number of years. The small-count flag is judged on the summed count.
    """
    years_t = tuple(int(y) for y in years)
    if not years_t or len(years_t) != len(cases) or len(years_t) != len(population):
        raise AnalysisError("Für den Mehrjahresdurchschnitt braucht jedes Jahr Fallzahl und Einwohnerzahl.")
    if len(set(years_t)) != len(years_t):
        raise AnalysisError(f"Im Mehrjahresdurchschnitt kommt ein Jahr doppelt vor: {list(years_t)}.")
    counts = [_check_count(c, "Die Fallzahl") for c in cases]
    pops = [_check_population(p) for p in population]
    total, exposure = sum(counts), sum(pops)
    low, high = garwood_interval(total, exposure / PER, conf_level)
    c_low, c_high = garwood_interval(total, len(years_t), conf_level)
    return PooledRate(
        years_t, total, total / len(years_t), c_low, c_high, exposure / len(years_t),
        total * PER / exposure, low, high, conf_level, small_count_flag(total),
    )


def exact_rate_ratio_p(cases: int, exposure: float, reference_cases: int, reference_exposure: float) -> float:
    """Two-sided exact conditional p-value of ``rate_1 = rate_2`` (R ``poisson.test(c(k1, k2), c(E1, E2))``)."""
    n = int(cases) + int(reference_cases)
    if n == 0:
        return math.nan
    share = float(exposure) / (float(exposure) + float(reference_exposure))
    return float(dist.binom_test_two_sided(int(cases), n, share))
