"""Known breaks and distortions in PKS series, as flags (codes with their numbers; ``survey`` words them).

Rules (research/domain.md §3.3, §3.7):

- ``bevoelkerungsbasis-2013``: from 2013 the population base is the Zensus 2011; a series spanning
  2012 → 2013 mixes bases (HZ not fully comparable).
- ``bevoelkerungsbasis-2024``: from 2024 the BKA computes HZ on the Zensus 2022 base.
- ``cannabis-2024``: Konsumcannabisgesetz from 1 April 2024; drug offences (keys ``73****``,
  Rauschgiftdelikte) fall sharply, which also lowers the totals (``------``, ``890000``). Flagged when a
  series of these keys spans 2023 → 2024, or for a single year 2024 of them.
- ``corona``: 2020 and 2021 are not comparable (lockdowns, fewer opportunities and controls); one flag
  per series naming the Corona years it contains.
- ``grenzgebiet``: immigration-law offences (``725000``) above 5 % of the total inflate the total in
  border areas; then ``890000`` is used as the total (:func:`choose_total_key`).
- ``serieneffekt``: a year that stands out *above the trend of the other years and above the years
  next to it*, e.g. one series of 100 paint scratches (Meerane 2018). Rule, for a year with at least 20
  cases (below that the small-count rule already warns and chance dominates):

  1. the trend model of :mod:`analysis.crime.trend` (Poisson with population offset, dispersion
     φ = max(1, X²/df)) is fitted to the *other* years and predicts the year's count μ̂ with variance
     Var(μ̂) (delta method); the studentised prediction residual (k - μ̂) / sqrt(φ·μ̂ + Var(μ̂)) must
     exceed 3. Leaving the year out keeps a spike from pulling the trend and the dispersion towards
     itself: the single-case-deletion (externally studentised) residual of GLM diagnostics (Williams
     1987, "Generalized linear model diagnostics using the deviance and single case deletions",
     Applied Statistics 36, 181-191; McCullagh & Nelder 1989, Generalized Linear Models, §12.7);
  2. a series is transient, so the year must also exceed its adjacent years (one at the ends of the
     series): with m = the neighbours' mean HZ times the year's population and J neighbours,
     (k - m) / sqrt(φ·m·(1 + 1/J)) > 3. This keeps a turn of the trend (a gradual rise after years of
     decline, which the straight trend of the other years extrapolates badly) from being flagged.

  A steady rise or decline is part of the trend and never flagged; years below the trend are not
  flagged (a series raises counts).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np

from analysis.crime.keys import IMMIGRATION_KEY, TOTAL_KEY, TOTAL_WITHOUT_IMMIGRATION_KEY
from analysis.crime.trend import poisson_trend_fit
from analysis.errors import AnalysisError

IMMIGRATION_SHARE_THRESHOLD = 0.05
SERIES_RESIDUAL_THRESHOLD = 3.0
SERIES_MIN_CASES = 20
CORONA_YEARS = (2020, 2021)


@dataclass(frozen=True)
class SeriesFlag:
    """A flag on a year or a series: stable ``code``, the year concerned, and the numbers it rests on:
    ``years`` (the Corona years of the series), ``share`` (``grenzgebiet``: share of key 725000 in the
    total), ``cases`` and ``expected`` (``serieneffekt``: the year's count and the trend's expectation)."""

    code: str
    year: int | None
    years: tuple[int, ...] = ()
    share: float | None = None
    cases: int | None = None
    expected: float | None = None


def _is_drug_or_total(key: str) -> bool:
    return key.startswith("73") or key in (TOTAL_KEY, TOTAL_WITHOUT_IMMIGRATION_KEY)


def series_flags(years: Iterable[int], key: str | None = None) -> tuple[SeriesFlag, ...]:
    """Flags for a series of ``years`` of offence ``key`` (None: no key-specific flags)."""
    ys = sorted({int(y) for y in years})
    if not ys:
        return ()
    first, last = ys[0], ys[-1]
    flags: list[SeriesFlag] = []
    if first < 2013 <= last:
        flags.append(SeriesFlag("bevoelkerungsbasis-2013", 2013))
    if first < 2024 <= last:
        flags.append(SeriesFlag("bevoelkerungsbasis-2024", 2024))
    if key is not None and _is_drug_or_total(key) and 2024 <= last:
        flags.append(SeriesFlag("cannabis-2024", 2024))
    corona = [year for year in CORONA_YEARS if year in ys]
    if corona:
        flags.append(SeriesFlag("corona", corona[0], years=tuple(corona)))
    return tuple(flags)


@dataclass(frozen=True)
class TotalChoice:
    """Which total to use for an area and year, with the share of immigration-law offences."""

    key: str
    total_cases: int
    immigration_share: float | None
    flag: SeriesFlag | None


def choose_total_key(cases_by_key: dict[str, int], year: int | None = None) -> TotalChoice:
    """Use ``890000`` instead of ``------`` when ``725000`` exceeds 5 % of the total.

    ``cases_by_key`` holds the counts of one area and year by key. Without ``725000`` the share is
    unknown and the total ``------`` is used (or ``890000`` if only that exists).
    """
    total = cases_by_key.get(TOTAL_KEY)
    without = cases_by_key.get(TOTAL_WITHOUT_IMMIGRATION_KEY)
    immigration = cases_by_key.get(IMMIGRATION_KEY)
    if total is None:
        if without is None:
            raise AnalysisError("Die PKS-Daten enthalten weder »------« (insgesamt) noch »890000«.")
        return TotalChoice(TOTAL_WITHOUT_IMMIGRATION_KEY, int(without), None, None)
    if immigration is None and without is not None:
        immigration = total - without
    if immigration is None or total == 0:
        return TotalChoice(TOTAL_KEY, int(total), None, None)
    share = immigration / total
    if share <= IMMIGRATION_SHARE_THRESHOLD:
        return TotalChoice(TOTAL_KEY, int(total), share, None)
    if without is None:
        without = total - immigration
    flag = SeriesFlag("grenzgebiet", year, share=float(share))
    return TotalChoice(TOTAL_WITHOUT_IMMIGRATION_KEY, int(without), share, flag)


def series_effect_flags(
    years: Sequence[int], cases: Sequence[int], population: Sequence[float]
) -> tuple[SeriesFlag, ...]:
    """Years far above the trend of the other years (possible series offence), see module docstring.

    Needs at least three years (two others to fit a trend).
    """
    if len(years) < 3:
        return ()
    y = np.asarray(years, dtype=float)
    k = np.asarray(cases, dtype=float)
    e = np.asarray(population, dtype=float)
    order = np.argsort(y)
    y, k, e = y[order], k[order], e[order]
    flags = []
    for i in range(len(y)):
        if k[i] < SERIES_MIN_CASES:
            continue
        others = np.arange(len(y)) != i
        if k[others].sum() == 0:
            continue
        fit = poisson_trend_fit(y[others], k[others], e[others])
        expected, variance = fit.predict(y[i], e[i])
        if not (np.isfinite(expected) and np.isfinite(variance)) or expected <= 0:
            continue
        residual = (k[i] - expected) / np.sqrt(fit.dispersion * expected + variance)
        neighbours = [j for j in (i - 1, i + 1) if 0 <= j < len(y)]
        local = e[i] * float(np.mean(k[neighbours] / e[neighbours]))
        local_residual = ((k[i] - local) / np.sqrt(fit.dispersion * local * (1 + 1 / len(neighbours)))
                          if local > 0 else np.inf)
        if residual > SERIES_RESIDUAL_THRESHOLD and local_residual > SERIES_RESIDUAL_THRESHOLD:
            flags.append(SeriesFlag("serieneffekt", int(y[i]), cases=int(k[i]), expected=float(expected)))
    return tuple(flags)
