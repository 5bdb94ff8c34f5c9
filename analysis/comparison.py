"""Comparison of communes and waves (Landespräventionsrat view): pure statistics.

Parts (each in its own module, re-exported here):

* :mod:`analysis.comparison_funnel`: Spiegelhalter funnel plots with additive overdispersion by rule
  (arcsine scale for shares; winsorised ``tau²`` only from 20 communes, or fixed from an earlier
  comparison; sampling error alone otherwise; both readings per commune; limits at 95 % and 99,8 %).
* :mod:`analysis.comparison_shrinkage`: Fay-Herriot EBLUP (REML or FH moments) with Prasad-Rao MSE.
* :mod:`analysis.comparison_ranks`: rank intervals and rank classes by simulation (fixed seed).
* :mod:`analysis.comparison_change`: change between waves with Wald test (Holm within a commune).
* :mod:`analysis.comparison_family`: families of tests, adjusted for multiple testing.
* :mod:`analysis.comparison_distribution`: the other communes' distribution without single values.

:func:`compare_indicator` runs the three cross-sectional parts for one indicator;
:func:`rank_correlation` gives the Spearman association of two series (perceived vs registered crime).
Inputs are plain sequences keyed by a commune key (e.g. the AGS); ``None`` marks a missing or
suppressed value.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

from analysis.comparison_change import Change, adjust_changes, wave_change  # noqa: F401
from analysis.comparison_distribution import (  # noqa: F401
    MIN_CONTRIBUTORS, MINIMUM_OTHERS, Band, BandValue, OthersDistribution, Withheld, aggregate_shown,
    others_distribution,
)
from analysis.comparison_family import (  # noqa: F401
    CHANGE_METHOD, CROSS_SECTION_METHOD, Family, FamilyMember, change_family, funnel_family,
)
from analysis.comparison_funnel import (  # noqa: F401
    LEVELS, MIN_COMMUNES_TAU2, POSITION_INSIDE, FunnelLimits, FunnelPoint, FunnelResult, Overdispersion,
    Position, Reading, Tau2Source, dersimonian_laird, funnel, z_for,
)
from analysis.comparison_ranks import (  # noqa: F401
    RankClass, RankGroup, RankInterval, RankResult, RankSide, rank_intervals,
)
from analysis.comparison_shrinkage import FayHerriotResult, ShrinkageEstimate, fay_herriot  # noqa: F401
from analysis.errors import AnalysisError


@dataclass(frozen=True)
class IndicatorComparison:
    indicator: str
    kind: str  # "proportion" | "mean"
    funnel: FunnelResult | None
    fay_herriot: FayHerriotResult | None
    ranks: RankResult
    notes: tuple[str, ...]


def scale_of(kind: str) -> str:
    """The funnel's comparison scale of an indicator kind (``proportion`` → arcsine)."""
    return "arcsine" if kind == "proportion" else "identity"


def compare_indicator(indicator: str, kind: str, keys: Sequence[str], estimates: Sequence[float | None],
                      ses: Sequence[float | None], *, estimator: str = "winsorised",
                      min_communes: int = MIN_COMMUNES_TAU2, tau2_fixed: float | None = None,
                      fh_method: str = "reml", draws: int = 2000, seed: int = 20251) -> IndicatorComparison:
    """Funnel, Fay-Herriot and rank intervals of one indicator. Parts that cannot be computed (too
    few communes) are ``None`` with a German note."""
    notes: list[str] = []
    try:
        funnel_result = funnel(indicator, keys, estimates, ses, scale=scale_of(kind), estimator=estimator,
                               min_communes=min_communes, tau2_fixed=tau2_fixed)
    except AnalysisError as error:
        funnel_result = None
        notes.append(str(error))
    try:
        fh = fay_herriot(indicator, keys, estimates, ses, method=fh_method)
    except AnalysisError as error:
        fh = None
        notes.append(str(error))
    ranks = rank_intervals(indicator, keys, estimates, ses, draws=draws, seed=seed)
    return IndicatorComparison(indicator, kind, funnel_result, fh, ranks, tuple(notes))


@dataclass(frozen=True)
class Correlation:
    n: int
    rho: float
    p_value: float


def rank_correlation(x: Sequence[float | None], y: Sequence[float | None]) -> Correlation | None:
    """Spearman's rank correlation over the pairs where both values exist (``None`` if < 4 pairs)."""
    pairs = [(a, b) for a, b in zip(x, y)
             if a is not None and b is not None and math.isfinite(a) and math.isfinite(b)]
    if len(pairs) < 4:
        return None
    a, b = np.array(pairs, dtype=float).T
    if np.all(a == a[0]) or np.all(b == b[0]):
        return None
    result = stats.spearmanr(a, b)
    return Correlation(len(pairs), float(result.statistic), float(result.pvalue))
