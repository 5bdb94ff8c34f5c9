"""Adjusting p-values of a family of tests for multiple testing: the one implementation, equal to R's
``stats::p.adjust``, used by the findings (``analysis.findings.families``) and the comparison.

Methods (canonical names lower-case; R's spellings ``BH``, ``BY`` and ``fdr`` are accepted):

* ``holm`` (Holm 1979): controls the family-wise error rate (the chance of *any* false positive in the
  family) under arbitrary dependence; uniformly more powerful than Bonferroni.
  R: ``pmin(1, cummax((n - i + 1) * p[o]))[ro]`` with ``o = order(p)``.
* ``bh`` (Benjamini & Hochberg 1995): controls the false discovery rate (the expected share of false
  positives among the flagged tests) for independent or positively dependent tests.
  R: ``pmin(1, cummin(n / i * p[o]))[ro]`` with ``o = order(p, decreasing = TRUE)``, ``i = n:1``.
* ``bonferroni``, ``hochberg``, ``by`` (Benjamini-Yekutieli) and ``none`` as in R.

Missing p-values (``None`` or NaN) stay missing and do not count towards ``n``, as in R's default
``n = length(p[!is.na(p)])``. Ties are ordered stably, as R's ``order`` does.

:class:`Verdict` classifies one test of a family: *clear* (adjusted p below ``alpha``), *hint* (only
the unadjusted p below ``alpha``) or *none*.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum

import numpy as np

METHODS = ("holm", "bh", "bonferroni", "hochberg", "by", "none")
ALIASES = {"fdr": "bh"}
GUARANTEE = {"holm": "fwer", "bonferroni": "fwer", "hochberg": "fwer", "bh": "fdr", "by": "fdr", "none": "none"}
ALPHA = 0.05


def canonical_method(method: str) -> str:
    """The canonical (lower-case) name of ``method``; R's spellings (``BH``, ``BY``, ``fdr``) are accepted."""
    key = str(method).lower()
    key = ALIASES.get(key, key)
    if key not in METHODS:
        raise ValueError(f"Unbekanntes Verfahren zur Adjustierung: {method!r} (erlaubt: {', '.join(METHODS)}).")
    return key


def adjust(p_values: Iterable[float | None], method: str = "holm") -> np.ndarray:
    """Adjusted p-values in the order of ``p_values``, exactly as R ``p.adjust`` (NaN where missing)."""
    method = canonical_method(method)
    p_all = np.array([np.nan if v is None else float(v) for v in p_values], dtype=float)
    out = np.full(p_all.shape, np.nan)
    present = ~np.isnan(p_all)
    p = p_all[present]
    n = p.size
    if n == 0:
        return out
    if np.any((p < 0) | (p > 1)):
        raise ValueError("p-Werte müssen zwischen 0 und 1 liegen.")
    if method == "none":
        adjusted = p
    elif method == "bonferroni":
        adjusted = np.minimum(1.0, n * p)
    elif method == "holm":
        order = np.argsort(p, kind="stable")
        i = np.arange(1, n + 1)
        adjusted = np.empty(n)
        adjusted[order] = np.minimum(1.0, np.maximum.accumulate((n - i + 1) * p[order]))
    else:
        order = np.argsort(-p, kind="stable")  # decreasing, ties in input order (R's order(decreasing=TRUE))
        i = np.arange(n, 0, -1)
        if method == "hochberg":
            factor = n - i + 1
        elif method == "bh":
            factor = n / i
        else:  # by
            factor = np.sum(1.0 / np.arange(1, n + 1)) * n / i
        adjusted = np.empty(n)
        adjusted[order] = np.minimum(1.0, np.minimum.accumulate(factor * p[order]))
    out[present] = adjusted
    return out


def expected_by_chance(tests: int, level: float) -> float:
    """How many of ``tests`` true null hypotheses fall outside a two-sided ``level`` interval by chance."""
    return tests * (1.0 - level)


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
