"""Poisson regression with a log link and an offset, fitted by iteratively reweighted least squares exactly
as statsmodels' ``GLM(y, X, family=Poisson(), offset=o).fit()`` does it, step for step (same start
``μ₀ = (y + ȳ)/2``, the same least-squares solves, the same stop when the deviance changes by at most
1e-8, the covariance from the pseudo-inverse of the last weighted design), so the results are bit for bit
statsmodels' (``tests/test_crime.py`` checks this on many series, and the trend against R's ``glm``).

Why not statsmodels itself: importing its GLM costs 0.3–1.4 s at every ``sicherheitsanalyse run`` (it pulls
in all of scipy.stats) for a two-parameter model that takes 40 lines.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis.errors import AnalysisError

FLOAT_EPS = np.finfo(float).eps
MAX_ITERATIONS = 100
DEVIANCE_TOLERANCE = 1e-8


@dataclass(frozen=True, eq=False)
class PoissonFit:
    params: np.ndarray
    cov_params: np.ndarray  # (X'WX)⁻¹ at the last weights (the Poisson scale is 1)
    mu: np.ndarray  # fitted means from ``params``
    pearson_chi2: float
    df_resid: int
    converged: bool


def _clean(x: np.ndarray) -> np.ndarray:
    return np.clip(x, FLOAT_EPS, np.inf)


def _deviance(y: np.ndarray, mu: np.ndarray) -> float:
    return float(np.sum(2 * (y * np.log(_clean(y / mu)) - (y - mu))))


def _pinv(x: np.ndarray, rcond: float = 1e-15) -> tuple[np.ndarray, np.ndarray]:
    """statsmodels' ``pinv_extended``: the SVD pseudo-inverse and the singular values."""
    u, s, vt = np.linalg.svd(x, False)
    singular = np.copy(s)
    cutoff = rcond * np.maximum.reduce(s)
    s = np.where(s > cutoff, 1.0 / np.where(s > cutoff, s, 1.0), 0.0)
    return np.dot(np.transpose(vt), np.multiply(s[:, np.newaxis], np.transpose(u))), singular


def poisson_glm(y: np.ndarray, x: np.ndarray, offset: np.ndarray) -> PoissonFit:
    """Fit ``log μ = offset + X·β`` to counts ``y`` (see the module docstring)."""
    y, x, offset = (np.asarray(a, dtype=float) for a in (y, x, offset))
    mu = (y + y.mean()) / 2.0
    lin_pred = np.log(_clean(mu))
    deviances = [np.inf, _deviance(y, mu)]
    converged = False
    for _ in range(MAX_ITERATIONS):
        weights = 1.0 / ((1.0 / _clean(mu)) ** 2 * np.power(np.fabs(mu), 1.0))
        working = lin_pred + (1.0 / _clean(mu)) * (y - mu) - offset
        if not (np.all(np.isfinite(weights)) and np.all(np.isfinite(working))):
            raise AnalysisError("Der Trend ist nicht schätzbar (die Poisson-Anpassung läuft aus dem Zahlenbereich).")
        root = np.sqrt(weights)
        params = np.linalg.lstsq(root[:, None] * x, root * working, rcond=-1)[0]
        lin_pred = np.dot(x, params)
        lin_pred += offset
        mu = np.exp(lin_pred)
        deviances.append(_deviance(y, mu))
        if np.allclose(deviances[-2], deviances[-1], atol=DEVIANCE_TOLERANCE, rtol=0.0):
            converged = True
            break
    root = np.sqrt(weights)
    pinv, singular = _pinv(root[:, None] * x)
    params = np.dot(pinv, root * working)
    fitted = np.exp(np.dot(x, params) + offset)
    chi2 = float(np.sum((y - fitted) ** 2 / np.power(np.fabs(fitted), 1.0)))
    rank = int(np.linalg.matrix_rank(np.diag(singular)))
    return PoissonFit(params, np.dot(pinv, np.transpose(pinv)), fitted, chi2, len(y) - rank, converged)
