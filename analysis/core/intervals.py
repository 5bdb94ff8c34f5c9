"""Confidence intervals for design-based estimates (vectorised over numpy arrays).

* :func:`t_interval` — means and totals: ``est ± t_{df} · se`` (R ``confint(svymean, df=degf)``).
* :func:`logit_interval` — proportions, R ``svyciprop(method="logit")`` (the default): Wald interval on
  the logit scale, ``expit(logit(p) ± t_{df} · se / (p(1-p)))``, df = degf of the full design.
* :func:`beta_interval` — Korn-Graubard, R ``svyciprop(method="beta")``: effective sample size
  ``n* = p(1-p)/se²``, multiplied by ``(t_{N-1, α/2} / t_{df, α/2})²`` where ``N`` is the number of rows
  of the design (R uses ``nrow(design)``, i.e. all respondents, also for domains) and df its degf; then
  the Clopper-Pearson form ``[B⁻¹(α/2; n*p, n*(1-p)+1), B⁻¹(1-α/2; n*p+1, n*(1-p))]``.
* :func:`wilson_interval` — Wilson score interval with the design-effective sample size
  ``n* = p(1-p)/se²`` and the t quantile ``t = t_{df, 1-α/2}``: centre ``(p + t²/(2n*))/(1 + t²/n*)``,
  half-width ``t/(1 + t²/n*) · sqrt(p(1-p)/n* + t²/(4n*²))`` (as R survey 4.5's ``"wilson"``).

Degenerate proportions (p = 0 or 1, so se = 0): the logit and Wilson intervals fall back to the
exact one-sided bound with the unweighted n, ``[0, 1 - (α/2)^(1/n)]`` (mirrored for p = 1); the beta
interval does the same (NCHS convention n* = n).
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from scipy import special

from analysis.core import distributions as dist


@lru_cache(maxsize=4096)
def _scalar_quantile(df: float, p: float) -> float:
    return float(dist.t_ppf(p, df)) if math.isfinite(df) else float(dist.norm_ppf(p))


def t_quantile(df: float, p: float) -> float:
    """``dist.t_ppf(p, df)`` (normal for infinite df), cached per (df, p)."""
    return _scalar_quantile(df, p)


def _quantile(df, level: float) -> np.ndarray:
    """t quantile per degrees of freedom (normal for infinite df). A profile asks for the same few df
    thousands of times, and each scipy call costs ~0.1 ms, so values are cached per (df, level)."""
    df = np.asarray(df, dtype=float)
    p = 1 - (1 - level) / 2
    return np.array([_scalar_quantile(value, p) for value in df.ravel().tolist()], dtype=float).reshape(df.shape)


def t_interval(estimate, se, df, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """``estimate ± t_{df} · se``."""
    q = _quantile(df, level)
    estimate, se = np.asarray(estimate, dtype=float), np.asarray(se, dtype=float)
    return estimate - q * se, estimate + q * se


def _degenerate(p: np.ndarray, n, level: float) -> tuple[np.ndarray, np.ndarray]:
    n = np.maximum(np.asarray(n, dtype=float), 1)
    bound = 1 - ((1 - level) / 2) ** (1 / n)
    return np.where(p >= 1, 1 - bound, 0.0), np.where(p <= 0, bound, 1.0)


def logit_interval(p, se, df, level: float = 0.95, n=None) -> tuple[np.ndarray, np.ndarray]:
    """R ``svyciprop(method="logit")`` closed form; ``n`` (unweighted) is used only when p is 0 or 1."""
    p, se = np.asarray(p, dtype=float), np.asarray(se, dtype=float)
    q = _quantile(df, level)
    with np.errstate(divide="ignore", invalid="ignore"):
        centre = special.logit(p)
        half = q * se / (p * (1 - p))
        low, high = special.expit(centre - half), special.expit(centre + half)
    return _patch_degenerate(p, low, high, n, level)


def _patch_degenerate(p, low, high, n, level):
    degenerate = (p <= 0) | (p >= 1)
    if np.any(degenerate) and n is not None:
        dl, dh = _degenerate(p, n, level)
        low, high = np.where(degenerate, dl, low), np.where(degenerate, dh, high)
    return low, high


def beta_interval(p, se, n_rows, df, level: float = 0.95, n=None) -> tuple[np.ndarray, np.ndarray]:
    """Korn-Graubard interval exactly as R ``svyciprop(method="beta")`` (see module docstring)."""
    p, se = np.asarray(p, dtype=float), np.asarray(se, dtype=float)
    alpha = 1 - level
    with np.errstate(divide="ignore", invalid="ignore"):
        n_eff = p * (1 - p) / se**2
        n_eff = n_eff * (dist.t_ppf(alpha / 2, np.asarray(n_rows, dtype=float) - 1) / dist.t_ppf(alpha / 2, df)) ** 2
        low = dist.beta_ppf(alpha / 2, n_eff * p, n_eff * (1 - p) + 1)
        high = dist.beta_ppf(1 - alpha / 2, n_eff * p + 1, n_eff * (1 - p))
    return _patch_degenerate(p, low, high, n, level)


def wilson_interval(p, se, df, level: float = 0.95, n=None) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval with design-effective n (see module docstring)."""
    p, se = np.asarray(p, dtype=float), np.asarray(se, dtype=float)
    q = _quantile(df, level)
    with np.errstate(divide="ignore", invalid="ignore"):
        n_eff = p * (1 - p) / se**2
        denom = 1 + q**2 / n_eff
        centre = (p + q**2 / (2 * n_eff)) / denom
        half = q / denom * np.sqrt(p * (1 - p) / n_eff + q**2 / (4 * n_eff**2))
    return _patch_degenerate(p, centre - half, centre + half, n, level)


def proportion_interval(method: str, p, se, df, n_rows, level: float = 0.95, n=None):
    """Dispatch on ``method`` (``"logit"``, ``"beta"``, ``"wilson"``, ``"t"``)."""
    if method == "logit":
        return logit_interval(p, se, df, level, n)
    if method == "beta":
        return beta_interval(p, se, n_rows, df, level, n)
    if method == "wilson":
        return wilson_interval(p, se, df, level, n)
    if method in ("t", "mean"):
        return t_interval(p, se, df, level)
    raise ValueError(f"unknown interval method {method!r}")
