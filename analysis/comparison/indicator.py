"""One indicator across communes (funnel, Fay-Herriot, rank intervals) and the rank correlation of two
series. Inputs are plain sequences keyed by a commune key (e.g. the AGS); ``None`` marks a missing or
suppressed value.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

from analysis.comparison.funnel import (
    MIN_COMMUNES_TAU2, FunnelResult, funnel,
)
from analysis.comparison.ranks import RankResult, rank_intervals
from analysis.comparison.shrinkage import FayHerriotResult, fay_herriot
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
    few communes) are ``None`` with a German note; the Fay-Herriot estimates need ``min_communes``
    usable communes, like an estimated τ²."""
    notes: list[str] = []
    try:
        funnel_result = funnel(indicator, keys, estimates, ses, scale=scale_of(kind), estimator=estimator,
                               min_communes=min_communes, tau2_fixed=tau2_fixed)
    except AnalysisError as error:
        funnel_result = None
        notes.append(str(error))
    fh = None
    # The between-commune variance of the Fay-Herriot model is as unreliable as τ² with a handful of
    # communes (REML on 5 areas often gives 0 and pulls every commune onto the mean, hiding exactly the
    # differences the funnel shows), so the same threshold applies: no shrinkage below min_communes.
    if _usable(estimates, ses) >= min_communes:
        try:
            fh = fay_herriot(indicator, keys, estimates, ses, method=fh_method)
        except AnalysisError as error:
            notes.append(str(error))
    ranks = rank_intervals(indicator, keys, estimates, ses, draws=draws, seed=seed)
    return IndicatorComparison(indicator, kind, funnel_result, fh, ranks, tuple(notes))


def _usable(estimates: Sequence[float | None], ses: Sequence[float | None]) -> int:
    return sum(1 for e, s in zip(estimates, ses)
               if e is not None and s is not None and math.isfinite(e) and math.isfinite(s) and s > 0)


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
