"""Adjusting p-values of a family of tests for multiple testing, equal to R's ``stats::p.adjust``.

* ``"holm"`` (Holm 1979): controls the family-wise error rate (the chance of *any* false positive in
  the family) under arbitrary dependence; uniformly more powerful than Bonferroni.
  R: ``pmin(1, cummax((n - i + 1) * p[o]))[ro]`` with ``o = order(p)``.
* ``"BH"`` (Benjamini & Hochberg 1995; alias ``"fdr"``): controls the false discovery rate (the
  expected share of false positives among the flagged tests) for independent or positively dependent
  tests. R: ``pmin(1, cummin(n / i * p[o]))[ro]`` with ``o = order(p, decreasing = TRUE)``,
  ``i = n:1``.

:class:`Verdict` classifies one test of a family: *clear* (adjusted p below ``alpha``), *hint* (only
the unadjusted p below ``alpha``) or *none*.

Missing p-values (``None`` or NaN) stay missing and do not count towards ``n``, as in R's default
``n = length(p[!is.na(p)])``. Ties are ordered stably, as R's ``order`` does.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from enum import Enum

import numpy as np

METHODS = ("holm", "BH")
ALIASES = {"holm": "holm", "bh": "BH", "fdr": "BH"}


def canonical_method(method: str) -> str:
    """``"holm"`` or ``"BH"`` for the accepted spellings (``BH``, ``bh``, ``fdr``, ``holm``)."""
    try:
        return ALIASES[method.lower()]
    except (KeyError, AttributeError):
        raise ValueError(f"unknown p-value adjustment {method!r}; expected one of {METHODS}") from None


def adjust(p: Sequence[float | None], method: str) -> tuple[float, ...]:
    """Adjusted p-values in the order of ``p`` (NaN where ``p`` is missing)."""
    method = canonical_method(method)
    values = np.array([math.nan if v is None else float(v) for v in p], dtype=float)
    if np.any((values < 0) | (values > 1)):
        raise ValueError("p-values must lie between 0 and 1")
    present = np.flatnonzero(~np.isnan(values))
    out = np.full(values.shape, math.nan)
    n = len(present)
    if n == 0:
        return tuple(out)
    x = values[present]
    if method == "holm":
        order = np.argsort(x, kind="stable")
        factors = n - np.arange(n)  # n - i + 1 for i = 1..n
        adjusted = np.minimum(1.0, np.maximum.accumulate(factors * x[order]))
    else:
        order = np.argsort(-x, kind="stable")  # decreasing, ties in input order (R's order(decreasing=TRUE))
        i = np.arange(n, 0, -1)
        adjusted = np.minimum(1.0, np.minimum.accumulate(n / i * x[order]))
    result = np.empty(n)
    result[order] = adjusted
    out[present] = result
    return tuple(float(v) for v in out)


def expected_by_chance(tests: int, level: float) -> float:
    """How many of ``tests`` true null hypotheses fall outside a two-sided ``level`` interval by chance."""
    return tests * (1.0 - level)


ALPHA = 0.05


class Verdict(str, Enum):
    """What one test of a family allows to say."""

    CLEAR = "clear"  # adjusted p < alpha: more than chance, even given the number of tests in the family
    HINT = "hint"  # p < alpha, but not after adjustment: can be chance among so many tests
    NONE = "none"  # p >= alpha


def verdict(p_value: float, p_adjusted: float, alpha: float = ALPHA) -> Verdict:
    if p_adjusted < alpha:
        return Verdict.CLEAR
    if p_value < alpha:
        return Verdict.HINT
    return Verdict.NONE
