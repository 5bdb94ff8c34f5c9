"""Comparison of communes and waves (Landespräventionsrat view): pure statistics.

Parts (each in its own module, re-exported here):

* :mod:`analysis.comparison_funnel`: Spiegelhalter funnel plots with additive overdispersion
  (arcsine scale for shares, DerSimonian-Laird or winsorised ``tau²``, limits at 95 % and 99,8 %).
* :mod:`analysis.comparison_shrinkage`: Fay-Herriot EBLUP (REML or FH moments) with Prasad-Rao MSE.
* :mod:`analysis.comparison_ranks`: rank intervals by simulation (fixed seed).
* :mod:`analysis.comparison_change`: change between waves with Wald test.

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

from analysis.comparison_change import Change, wave_change  # noqa: F401
from analysis.comparison_funnel import (  # noqa: F401
    LEVELS, POSITION_INSIDE, FunnelLimits, FunnelPoint, FunnelResult, dersimonian_laird, funnel, z_for,
)
from analysis.comparison_ranks import RankInterval, RankResult, rank_intervals  # noqa: F401
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


def compare_indicator(indicator: str, kind: str, keys: Sequence[str], estimates: Sequence[float | None],
                      ses: Sequence[float | None], *, funnel_method: str = "dl", fh_method: str = "reml",
                      draws: int = 2000, seed: int = 20251) -> IndicatorComparison:
    """Funnel, Fay-Herriot and rank intervals of one indicator. Parts that cannot be computed (too
    few communes) are ``None`` with a German note."""
    notes: list[str] = []
    scale = "arcsine" if kind == "proportion" else "identity"
    try:
        funnel_result = funnel(indicator, keys, estimates, ses, scale=scale, method=funnel_method)
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
