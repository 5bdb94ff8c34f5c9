"""Rank intervals and rank classes instead of ranks.

Each commune's estimate is drawn ``draws`` times from its normal approximation ``N(estimate, se²)``
(fixed seed, so results are reproducible); in every draw the communes are ranked (rank 1 = the
*highest* value, ties by order), and the 2.5 % and 97.5 % quantiles of a commune's ranks form its
95 % rank interval (quantiles rounded outward to whole ranks). The median rank is reported too. Wide,
overlapping rank intervals are the honest message: most communes cannot be told apart.

**Rank class** (what a council can be told): the most specific group that contains the commune's
whole rank interval, so that the words never contradict the interval shown beside them; "likely" then
means with the interval's probability (95 %). Groups, most specific first:

1. among the ``j`` highest / lowest values, ``j`` = 1, 2, … 5 (at most half of the communes);
2. in the tenth (from 60 communes), the quarter (from 24) with the highest / lowest values
   (groups larger than five communes only);
3. in the middle half (``k/4 < rank <= k - k/4``; from 8 communes);
4. in the half with the higher / lower values (from 12 communes);
5. otherwise *unclear*: the rank interval is all that can be said.

Groups on the two sides never overlap (at most half of the communes each), so a commune cannot be
"likely highest" and "likely lowest" at once.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

import numpy as np

DEFAULT_DRAWS = 2000
DEFAULT_SEED = 20251
MAX_COUNT_GROUP = 5


class RankSide(str, Enum):
    HIGHEST = "highest"
    LOWEST = "lowest"
    MIDDLE = "middle"
    UNCLEAR = "unclear"


class RankGroup(str, Enum):
    COUNT = "count"  # the j highest / lowest communes
    TENTH = "tenth"
    QUARTER = "quarter"
    HALF = "half"


@dataclass(frozen=True)
class RankClass:
    side: RankSide
    group: RankGroup | None  # None for middle and unclear
    size: int  # number of communes in the group (0 when unclear)
    probability: float | None  # share of simulated ranks in the group, for information (None when unclear)


@dataclass(frozen=True)
class RankInterval:
    key: str
    point_rank: int  # rank of the point estimate (for information only)
    median: float
    low: int
    high: int
    rank_class: RankClass


@dataclass(frozen=True)
class RankResult:
    indicator: str
    k: int
    draws: int
    seed: int
    level: float
    ranks: tuple[RankInterval, ...]
    excluded: tuple[str, ...]

    @functools.cached_property
    def _by_key(self) -> dict:
        return {x.key: x for x in self.ranks}

    def rank(self, key: str) -> RankInterval | None:
        return self._by_key.get(key)


def _ranks_desc(values: np.ndarray) -> np.ndarray:
    """Ranks along the last axis of a 2-d array, 1 = highest (ties broken by position)."""
    order = np.argsort(-values, axis=-1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.broadcast_to(np.arange(1, values.shape[-1] + 1), values.shape), axis=-1)
    return ranks


def side_groups(k: int) -> list[tuple[RankGroup, int]]:
    """Candidate groups on each side, smallest first (see the module docstring)."""
    groups = [(RankGroup.COUNT, j) for j in range(1, MAX_COUNT_GROUP + 1) if j <= k // 2]
    for group, size, minimum in ((RankGroup.TENTH, k // 10, 60), (RankGroup.QUARTER, k // 4, 24)):
        if k >= minimum and size > MAX_COUNT_GROUP and size > (groups[-1][1] if groups else 0):
            groups.append((group, size))
    return groups


def classify(low: np.ndarray, high: np.ndarray, ranks: np.ndarray, k: int) -> list[RankClass]:
    """Rank class of every commune from its rank interval ``[low, high]`` (and, for information, the
    share of simulated ranks ``draws × k`` that fall into the group)."""
    found: list[RankClass | None] = [None] * k
    for group, size in side_groups(k):
        for j in range(k):
            if found[j] is None:
                if high[j] <= size:
                    found[j] = RankClass(RankSide.HIGHEST, group, size, float(np.mean(ranks[:, j] <= size)))
                elif low[j] > k - size:
                    found[j] = RankClass(RankSide.LOWEST, group, size, float(np.mean(ranks[:, j] > k - size)))
    if k >= 8:
        quarter = k // 4
        for j in range(k):
            if found[j] is None and low[j] > quarter and high[j] <= k - quarter:
                inside = (ranks[:, j] > quarter) & (ranks[:, j] <= k - quarter)
                found[j] = RankClass(RankSide.MIDDLE, None, k - 2 * quarter, float(np.mean(inside)))
    if k >= 12:
        half = k // 2
        for j in range(k):
            if found[j] is None:
                if high[j] <= half:
                    found[j] = RankClass(RankSide.HIGHEST, RankGroup.HALF, half, float(np.mean(ranks[:, j] <= half)))
                elif low[j] > k - half:
                    found[j] = RankClass(RankSide.LOWEST, RankGroup.HALF, half,
                                         float(np.mean(ranks[:, j] > k - half)))
    return [c or RankClass(RankSide.UNCLEAR, None, 0, None) for c in found]


def rank_intervals(indicator: str, keys: Sequence[str], estimates: Sequence[float | None],
                   ses: Sequence[float | None], *, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED,
                   level: float = 0.95) -> RankResult:
    rows = [i for i, (e, s) in enumerate(zip(estimates, ses))
            if e is not None and s is not None and math.isfinite(e) and math.isfinite(s) and s >= 0]
    kept = set(rows)
    excluded = tuple(keys[i] for i in range(len(keys)) if i not in kept)
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
    classes = classify(low, high, ranks, len(rows))
    result = tuple(RankInterval(keys[i], int(point[j]), float(median[j]), int(low[j]), int(high[j]), classes[j])
                   for j, i in enumerate(rows))
    return RankResult(indicator, len(rows), draws, seed, level, result, excluded)
