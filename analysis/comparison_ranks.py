"""Rank intervals instead of ranks.

Each commune's estimate is drawn ``draws`` times from its normal approximation ``N(estimate, se²)``
(fixed seed, so results are reproducible); in every draw the communes are ranked (rank 1 = the
*highest* value, ties by order), and the 2.5 % and 97.5 % quantiles of a commune's ranks form its
95 % rank interval (quantiles rounded outward to whole ranks). The median rank is reported too. Wide,
overlapping rank intervals are the honest message: most communes cannot be told apart.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

DEFAULT_DRAWS = 2000
DEFAULT_SEED = 20251


@dataclass(frozen=True)
class RankInterval:
    key: str
    point_rank: int  # rank of the point estimate (for information only)
    median: float
    low: int
    high: int


@dataclass(frozen=True)
class RankResult:
    indicator: str
    k: int
    draws: int
    seed: int
    level: float
    ranks: tuple[RankInterval, ...]
    excluded: tuple[str, ...]

    def rank(self, key: str) -> RankInterval | None:
        return next((r for r in self.ranks if r.key == key), None)


def _ranks_desc(values: np.ndarray) -> np.ndarray:
    """Ranks along the last axis, 1 = highest (ties broken by position)."""
    order = np.argsort(-values, axis=-1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(1, values.shape[-1] + 1)[None, :].repeat(values.shape[0], 0)
                      if values.ndim == 2 else np.arange(1, values.shape[-1] + 1), axis=-1)
    return ranks


def rank_intervals(indicator: str, keys: Sequence[str], estimates: Sequence[float | None],
                   ses: Sequence[float | None], *, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED,
                   level: float = 0.95) -> RankResult:
    rows = [i for i, (e, s) in enumerate(zip(estimates, ses))
            if e is not None and s is not None and math.isfinite(e) and math.isfinite(s) and s >= 0]
    excluded = tuple(keys[i] for i in range(len(keys)) if i not in set(rows))
    est = np.array([estimates[i] for i in rows], dtype=float)
    se = np.array([ses[i] for i in rows], dtype=float)
    if len(rows) == 0:
        return RankResult(indicator, 0, draws, seed, level, (), excluded)
    rng = np.random.default_rng(seed)
    sample = est[None, :] + se[None, :] * rng.standard_normal((draws, len(rows)))
    ranks = _ranks_desc(sample)
    alpha = (1.0 - level) / 2.0
    low = np.floor(np.quantile(ranks, alpha, axis=0, method="lower"))
    high = np.ceil(np.quantile(ranks, 1.0 - alpha, axis=0, method="higher"))
    median = np.median(ranks, axis=0)
    point = _ranks_desc(est[None, :])[0]
    result = tuple(RankInterval(keys[i], int(point[j]), float(median[j]), int(low[j]), int(high[j]))
                   for j, i in enumerate(rows))
    return RankResult(indicator, len(rows), draws, seed, level, result, excluded)
