"""Contrasts of domains of one design, t tests of them, and estimates without suppression.

* :func:`contrasts`: differences of domain means of ONE design with their covariance (influence
  values ``z_a - z_b`` through :meth:`Design.variance_of_total`, so calibration and strata couple the
  two parts as they should). Works for any pairs of domains: a group and the rest of the sample, two
  groups, or two different variables on overlapping respondents (a paired difference of two items).
* :func:`t_test`: two-sided t test and interval of a contrast.
* :func:`raw_numbers`: an estimate's numbers without disclosure suppression (analyst mode).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import special

from analysis.core import distributions as dist
from analysis.core import estimation
from analysis.core.design import Design
from analysis.core.intervals import proportion_interval, t_interval, t_quantile
from analysis.core.results import Estimate


@dataclass(frozen=True)
class Contrast:
    """``estimate = mean_a - mean_b`` of one design with its standard error (covariance included)."""

    mean_a: float
    mean_b: float
    estimate: float
    se: float


def contrasts(design: Design, pairs: Sequence[tuple[Any, Any, Any, Any]]) -> list[Contrast]:
    """Differences ``ȳ_a(y_a, domain_a) - ȳ_b(y_b, domain_b)`` for each ``(y_a, domain_a, y_b, domain_b)``.

    ``y`` are per-respondent values (NaN = missing), ``domain`` boolean masks; each mean uses the
    respondents in its domain with a valid value (item non-response as a domain: no row is dropped).
    One variance call for all pairs. Empty domains give NaN.
    """
    means_a, means_b, columns = [], [], []
    for y_a, domain_a, y_b, domain_b in pairs:
        mean_a, z_a, valid_a = estimation.domain_mean_influence(design, y_a, domain_a)
        mean_b, z_b, valid_b = estimation.domain_mean_influence(design, y_b, domain_b)
        empty = not valid_a.any() or not valid_b.any()
        means_a.append(math.nan if empty else mean_a)
        means_b.append(math.nan if empty else mean_b)
        columns.append(np.zeros(design.n) if empty else z_a - z_b)
    if not columns:
        return []
    cov = np.atleast_2d(design.variance_of_total(np.column_stack(columns)))
    variance = np.maximum(np.diag(cov), 0.0)
    return [Contrast(a, b, a - b, math.sqrt(v) if a == a and b == b else math.nan)
            for a, b, v in zip(means_a, means_b, variance)]


@dataclass(frozen=True)
class TTest:
    statistic: float
    df: float
    p: float
    ci_low: float
    ci_high: float


def t_test(estimate: float, se: float, df: float, level: float = 0.95) -> TTest:
    """``t = estimate / se`` with ``df`` (``inf``: normal), two-sided p and ``estimate ± q·se``."""
    if not (se > 0) or not math.isfinite(estimate) or not (df > 0):
        return TTest(math.nan, df, math.nan, math.nan, math.nan)
    t = estimate / se
    if math.isfinite(df):
        # = dist.t_sf(|t|, df) for finite t and df > 0 (scipy's t._sf), without its argument checks;
        # the quantile is scipy's, kept per (df, level)
        p, q = 2 * special.stdtr(df, -abs(t)), t_quantile(float(df), 0.5 + level / 2)
    else:
        p, q = 2 * dist.norm_sf(abs(t)), dist.norm_ppf(0.5 + level / 2)
    return TTest(float(t), float(df), float(p), float(estimate - q * se), float(estimate + q * se))


@dataclass(frozen=True)
class Numbers:
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    deff: float


def raw_numbers(design: Design, y: Any, domain: Any, kind: str, policy: Estimate, level: float = 0.95) -> Numbers:
    """The numbers of ``policy`` (the engine's flagged estimate) without suppression.

    For an estimate the policy shows, its own numbers. For a suppressed one, the same computation by the
    generic path (domain influence values, the design variance, the interval ``policy.method`` with
    ``policy.df``), so the raw figures follow the engine's conventions.
    """
    if not policy.suppressed:
        return Numbers(*(math.nan if v is None else float(v)
                         for v in (policy.estimate, policy.se, policy.ci_low, policy.ci_high, policy.deff)))
    y = np.asarray(y, dtype=float)
    valid = ~np.isnan(y) & (np.ones(design.n, bool) if domain is None else np.asarray(domain, dtype=bool))
    if not valid.any():
        return Numbers(math.nan, math.nan, math.nan, math.nan, math.nan)
    w = np.where(valid, design.weights, 0.0)
    y0 = np.where(valid, y, 0.0)
    if kind == "total":
        est = float((w * y0).sum())
        z = y0
    else:
        est, z, _ = estimation.domain_mean_influence(design, y, valid)
    var = float(design.variance_of_total(z))
    se = math.sqrt(max(var, 0.0))
    if kind == "proportion":
        low, high = proportion_interval(policy.method, est, se, policy.df, design.n, level, int(valid.sum()))
    else:
        low, high = t_interval(est, se, policy.df, level)
    nobs = int(np.count_nonzero(w))
    mean = float((w * y0).sum() / w.sum())
    element = nobs / (nobs - 1) * float((w * (y0 - mean) ** 2).sum() / w.sum()) if nobs > 1 else math.nan
    if kind == "total":
        element *= float(w.sum()) ** 2
    deff = var / (element / nobs) if nobs > 1 and element > 0 else math.nan
    return Numbers(float(est), se, float(low), float(high), float(deff))
