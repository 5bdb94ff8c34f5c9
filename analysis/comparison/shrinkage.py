"""Fay-Herriot empirical Bayes (EBLUP) estimates, shown *beside* the direct estimates.

Area-level model: ``θ̂_i = θ_i + e_i``, ``e_i ~ N(0, ψ_i)`` with ``ψ_i = se_i²`` taken from each profile
(design-based, unsmoothed), and ``θ_i = x_iᵀβ + v_i``, ``v_i ~ N(0, σ_v²)``. By default ``x_i = 1``
(intercept only: shrinkage towards the precision-weighted mean of all communes). Estimates stay on the
original scale (share or index value).

* ``σ_v²`` by REML (Fisher scoring as in R ``sae::eblupFH``, start ``median(ψ)``, truncated at 0) or by
  the Fay-Herriot moment method (``method="fh"``: root of ``Σ (θ̂_i - x_iᵀβ̂)²/(σ_v² + ψ_i) = m - p``).
* ``γ_i = σ_v²/(σ_v² + ψ_i)``; the shrinkage factor shown is ``B_i = 1 - γ_i = ψ_i/(ψ_i + σ_v²)``.
* EBLUP ``θ̃_i = γ_i θ̂_i + B_i x_iᵀβ̂``.
* MSE by Prasad-Rao / Datta-Lahiri: ``g1 + g2 + 2 g3`` with ``g1 = γ_i ψ_i``,
  ``g2 = B_i² x_iᵀ (Σ x_j x_jᵀ/(σ_v² + ψ_j))⁻¹ x_i``, ``g3 = ψ_i²/(σ_v² + ψ_i)³ · V̄`` and
  ``V̄ = 2 / Σ (σ_v² + ψ_j)⁻²`` (REML) or ``V̄ = 2 m / (Σ (σ_v² + ψ_j)⁻¹)²`` (FH moments, Datta,
  Rao & Smith 2005).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import optimize

from analysis.errors import AnalysisError

METHODS = ("reml", "fh")


@dataclass(frozen=True)
class ShrinkageEstimate:
    key: str
    direct: float
    direct_se: float
    eb: float
    mse: float
    shrinkage: float  # B = psi/(psi + sigma_v²)
    synthetic: float  # x_i' beta

    @property
    def rmse(self) -> float:
        return math.sqrt(self.mse)


@dataclass(frozen=True)
class FayHerriotResult:
    indicator: str
    method: str
    sigma2_v: float
    beta: tuple[float, ...]
    iterations: int
    converged: bool
    estimates: tuple[ShrinkageEstimate, ...]
    excluded: tuple[str, ...]

    @functools.cached_property
    def _by_key(self) -> dict:
        return {x.key: x for x in self.estimates}

    def estimate(self, key: str) -> ShrinkageEstimate | None:
        return self._by_key.get(key)


def _beta(y: np.ndarray, x: np.ndarray, psi: np.ndarray, s2: float) -> tuple[np.ndarray, np.ndarray]:
    w = 1.0 / (s2 + psi)
    xtwx = x.T @ (x * w[:, None])
    inv = np.linalg.inv(xtwx)
    return inv @ (x.T @ (w * y)), inv


def reml_sigma2(y: np.ndarray, x: np.ndarray, psi: np.ndarray, *, tol: float = 1e-10,
                max_iter: int = 200) -> tuple[float, int, bool]:
    """REML estimate of ``σ_v²`` by Fisher scoring (truncated at 0)."""
    s2 = float(np.median(psi))
    for iteration in range(1, max_iter + 1):
        v_inv = 1.0 / (s2 + psi)
        xv = x * v_inv[:, None]
        p = np.diag(v_inv) - xv @ np.linalg.solve(x.T @ xv, xv.T)
        py = p @ y
        score = -0.5 * np.trace(p) + 0.5 * float(py @ py)
        info = 0.5 * float(np.sum(p * p.T))
        new = s2 + score / info
        if new < 0:
            new = 0.0
        if abs(new - s2) < tol * max(1.0, s2):
            return new, iteration, True
        s2 = new
        if s2 == 0.0 and score < 0:
            return 0.0, iteration, True
    return s2, max_iter, False


def fh_moment_sigma2(y: np.ndarray, x: np.ndarray, psi: np.ndarray) -> float:
    """Fay-Herriot moment estimator: root of ``Σ (y - xβ̂(σ²))²/(σ² + ψ) = m - p`` (0 if none)."""
    m, p = x.shape

    def h(s2: float) -> float:
        beta, _ = _beta(y, x, psi, s2)
        return float(np.sum((y - x @ beta) ** 2 / (s2 + psi))) - (m - p)

    if h(0.0) <= 0:
        return 0.0
    hi = max(float(np.var(y)) * 4 + float(psi.max()), 1e-12)
    while h(hi) > 0:
        hi *= 4
    return float(optimize.brentq(h, 0.0, hi, xtol=1e-14, rtol=1e-12))


def fay_herriot(indicator: str, keys: Sequence[str], estimates: Sequence[float | None],
                ses: Sequence[float | None], *, covariates: np.ndarray | None = None,
                method: str = "reml") -> FayHerriotResult:
    """Intercept-only (or with ``covariates``, one row per key, without the intercept column) EBLUP."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}")
    rows = [i for i, (e, s) in enumerate(zip(estimates, ses))
            if e is not None and s is not None and math.isfinite(e) and math.isfinite(s) and s > 0]
    excluded = tuple(keys[i] for i in range(len(keys)) if i not in set(rows))
    x = np.ones((len(rows), 1))
    if covariates is not None:
        x = np.column_stack([x, np.asarray(covariates, dtype=float)[rows]])
    if len(rows) < x.shape[1] + 2:
        raise AnalysisError(f"Für die Fay-Herriot-Schätzung von »{indicator}« liegen zu wenige Kommunen "
                            f"mit Schätzwert und Standardfehler vor ({len(rows)}).")
    y = np.array([estimates[i] for i in rows], dtype=float)
    psi = np.array([ses[i] for i in rows], dtype=float) ** 2
    if method == "reml":
        s2, iterations, converged = reml_sigma2(y, x, psi)
        v_bar = 2.0 / float(np.sum((s2 + psi) ** -2.0))
    else:
        s2, iterations, converged = fh_moment_sigma2(y, x, psi), 0, True
        v_bar = 2.0 * len(y) / float(np.sum(1.0 / (s2 + psi))) ** 2
    beta, inv = _beta(y, x, psi, s2)
    synthetic = x @ beta
    gamma = s2 / (s2 + psi)
    eb = gamma * y + (1.0 - gamma) * synthetic
    g1 = gamma * psi
    g2 = (1.0 - gamma) ** 2 * np.einsum("ij,jk,ik->i", x, inv, x)
    g3 = psi ** 2 / (s2 + psi) ** 3 * v_bar
    mse = g1 + g2 + 2.0 * g3
    result = tuple(ShrinkageEstimate(keys[i], float(y[j]), float(math.sqrt(psi[j])), float(eb[j]), float(mse[j]),
                                     float(1.0 - gamma[j]), float(synthetic[j])) for j, i in enumerate(rows))
    return FayHerriotResult(indicator, method, float(s2), tuple(float(b) for b in beta), iterations, converged,
                            result, excluded)
