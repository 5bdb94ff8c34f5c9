"""The design as the profile needs it: weights plus a variance for arbitrary influence values.

The profile computes quantities the indicator engine does not (differences between domains,
standardised values, item distributions, marginal effects). All are smooth functions of weighted totals,
so their variance is the design variance of a linearised influence vector. :class:`DesignInfo` carries
what that needs and delegates to the engine's variance when one is supplied (``variance_function``),
else to :func:`analysis.standardisation.calibrated_total_variance` (R survey semantics: Taylor
linearisation with calibration residuals, strata, fpc).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from scipy import stats

from analysis.standardisation import calibrated_total_variance


@dataclass(frozen=True)
class DesignInfo:
    """Calibrated weights and the design internals needed for linearisation variances."""

    weights: np.ndarray
    design_weights: np.ndarray
    strata: np.ndarray
    stratum_population: np.ndarray | None
    calibration_matrix: np.ndarray | None
    degf: float
    variance_function: Callable[[np.ndarray], float] | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        # Precompute the calibration projector (orthonormal basis of sqrt(d) * X, rank-revealing SVD,
        # so redundant dummy columns are harmless) and the stratum index: many variances per profile.
        basis = None
        if self.calibration_matrix is not None and np.size(self.calibration_matrix):
            root = np.sqrt(np.asarray(self.design_weights, dtype=float))
            u, singular, _ = np.linalg.svd(self.calibration_matrix * root[:, None], full_matrices=False)
            keep = singular > singular.max() * max(self.calibration_matrix.shape) * np.finfo(float).eps
            basis = (u[:, keep], root)
        codes, index = np.unique(np.asarray(self.strata), return_inverse=True)
        fpc = np.ones(len(codes))
        counts = np.bincount(index, minlength=len(codes)).astype(float)
        if self.stratum_population is not None:
            population = np.asarray(self.stratum_population, dtype=float)
            for h in range(len(codes)):
                fpc[h] = 1.0 - counts[h] / population[index == h][0]
        factor = np.where(counts > 1, fpc * counts / np.maximum(counts - 1, 1), 0.0)
        object.__setattr__(self, "_basis", basis)
        object.__setattr__(self, "_strata", (index, counts, factor))

    def _scores(self, influence: np.ndarray) -> np.ndarray:
        """Calibrated weights times calibration residuals of the influence values (columns allowed)."""
        u = np.asarray(influence, dtype=float)
        if self._basis is not None:
            basis, root = self._basis
            scaled = u * (root if u.ndim == 1 else root[:, None])
            scaled = scaled - basis @ (basis.T @ scaled)
            u = scaled / (root if u.ndim == 1 else root[:, None])
        return u * (self.weights if u.ndim == 1 else self.weights[:, None])

    @classmethod
    def from_engine(cls, design) -> "DesignInfo":  # noqa: ANN001 - analysis.design.Design
        """Wrap the engine's calibrated design (its ``variance_of_total`` handles calibration and fpc)."""
        n = len(design.weights)
        return cls(weights=np.asarray(design.weights, dtype=float), design_weights=np.asarray(design.weights, dtype=float),
                   strata=np.zeros(n), stratum_population=None, calibration_matrix=None,
                   degf=float(design.degf), variance_function=design.variance_of_total)

    def covariance(self, influence: np.ndarray) -> np.ndarray:
        """Design covariance matrix of the totals of the columns of ``influence`` (n x p)."""
        if self.variance_function is not None:
            return np.atleast_2d(np.asarray(self.variance_function(np.asarray(influence, dtype=float).reshape(self.n, -1))))
        scores = self._scores(np.asarray(influence, dtype=float).reshape(self.n, -1))
        index, counts, factor = self._strata
        sums = np.zeros((len(counts), scores.shape[1]))
        np.add.at(sums, index, scores)
        centred = scores - (sums / np.maximum(counts, 1)[:, None])[index]
        return (centred * factor[index][:, None]).T @ centred

    def variance(self, influence: np.ndarray) -> float:
        """Design variance of the estimated total ``sum_i w_i u_i``."""
        if self.variance_function is not None:
            return float(self.variance_function(np.asarray(influence, dtype=float)))
        return float(self.covariance(np.asarray(influence, dtype=float)[:, None])[0, 0])

    @property
    def n(self) -> int:
        return len(self.weights)


@dataclass(frozen=True)
class DomainMean:
    """A domain ratio mean (a share for 0/1 values) with its influence vector (for contrasts)."""

    estimate: float | None
    se: float | None
    n: int
    weighted_n: float
    influence: np.ndarray = field(repr=False, compare=False)
    deff: float | None = None


def domain_mean(design: DesignInfo, values: np.ndarray, domain: np.ndarray | None = None) -> DomainMean:
    """Weighted mean of ``values`` (NaN = missing) within ``domain``, as a domain of the full design."""
    values = np.asarray(values, dtype=float)
    valid = np.isfinite(values)
    if domain is not None:
        valid &= np.asarray(domain, dtype=bool)
    weights = design.weights
    total = float(weights[valid].sum())
    n = int(valid.sum())
    if n == 0 or total <= 0:
        return DomainMean(None, None, n, total, np.zeros(design.n))
    estimate = float((weights[valid] * values[valid]).sum() / total)
    influence = np.zeros(design.n)
    influence[valid] = (values[valid] - estimate) / total
    se = math.sqrt(max(design.variance(influence), 0.0))
    deff = None
    if n > 1:
        # vs SRS with replacement (R: svymean(deff = "replace")): weighted population variance * n/(n-1), / n
        pop_var = float((weights[valid] * (values[valid] - estimate) ** 2).sum() / total) * n / (n - 1)
        deff = se ** 2 / (pop_var / n) if pop_var > 0 else None
    return DomainMean(estimate, se, n, total, influence, deff)


def t_quantile(df: float, level: float = 0.95) -> float:
    if np.isfinite(df) and df > 0:
        return float(stats.t.ppf(0.5 + level / 2, df))
    return float(stats.norm.ppf(0.5 + level / 2))


def proportion_ci(estimate: float, se: float, df: float, level: float = 0.95) -> tuple[float, float]:
    """Logit interval as R's ``svyciprop(method = "logit")``."""
    if not 0 < estimate < 1 or not np.isfinite(se):
        return estimate, estimate
    centre = math.log(estimate / (1 - estimate))
    half = t_quantile(df, level) * se / (estimate * (1 - estimate))
    return 1 / (1 + math.exp(-(centre - half))), 1 / (1 + math.exp(-(centre + half)))


def wald_ci(estimate: float, se: float, df: float, level: float = 0.95) -> tuple[float, float]:
    half = t_quantile(df, level) * se
    return estimate - half, estimate + half


def contrast(design: DesignInfo, coefficients: list[float], parts: list[DomainMean]) -> tuple[float, float]:
    """Estimate and SE of ``sum_k c_k * mean_k`` (e.g. a difference of two domain shares)."""
    estimate = sum(c * part.estimate for c, part in zip(coefficients, parts))  # type: ignore[operator]
    influence = sum(c * part.influence for c, part in zip(coefficients, parts))
    return float(estimate), math.sqrt(max(design.variance(np.asarray(influence)), 0.0))
