"""Design-based proportional-odds (cumulative logit) model, as R ``svyolr(method = "logistic")``.

Model (R ``MASS::polr`` parameterisation): ``P(Y ≤ j | x) = expit(ζ_j - x'β)`` for the ordered
categories ``j = 1 … J-1``; ``X`` has *no* intercept column. Coefficients maximise the weighted
log-likelihood over the model domain (respondents in ``domain`` with a valid outcome and complete
covariates) by Newton-Raphson with the analytic score and its numerically differentiated Jacobian.

Covariance: sandwich with the design variance of the score totals, as for ``svyglm``
(:mod:`analysis.models.logit`): influence values ``z_i = H⁻¹ U_i`` inside the domain (0 outside), with
``H`` the weighted observed information, and ``cov = design.variance_of_total(z)`` (calibration
residuals, strata, fpc). With two categories the model is the logistic regression with
``β`` = the svyglm slopes and ``ζ`` = minus its intercept, with the same standard errors.

Degrees of freedom: as for svyglm, ``degf(domain) + 1 - (number of parameters)``. Not checked against
R (no golden value); R's ``svyolr`` uses ``optim``'s numerical Hessian, so agreement with R is to
optimiser precision, not 1e-6.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
from scipy import special

from analysis.core import distributions as dist
from analysis.core.design import Design
from analysis.core.results import readonly
from analysis.errors import AnalysisError
from analysis.models.logit import ModelMatrix, WaldTest, domain_degf, wald_test


@dataclass(frozen=True, eq=False)
class OrdinalResult:
    """Fitted proportional-odds model: ``coef``/``se``/``cov`` over ``names`` = slopes, then cutpoints."""

    names: tuple[str, ...]
    coef: np.ndarray
    se: np.ndarray
    cov: np.ndarray
    n_slopes: int
    levels: tuple
    df: float
    n: int
    weighted_n: float
    iterations: int

    def conf_int(self, level: float = 0.95) -> np.ndarray:
        q = dist.t_ppf(0.5 + level / 2, self.df) if self.df > 0 else math.nan
        return np.column_stack([self.coef - q * self.se, self.coef + q * self.se])

    def odds_ratios(self, level: float = 0.95) -> np.ndarray:
        """(slopes, 3): cumulative odds ratio for a higher category, lower, upper."""
        ci = self.conf_int(level)[: self.n_slopes]
        return np.exp(np.column_stack([self.coef[: self.n_slopes], ci]))

    def p_values(self) -> np.ndarray:
        return 2 * dist.t_sf(np.abs(self.coef / self.se), self.df)

    def wald_test(self, indices: Sequence[int | str]) -> WaldTest:
        idx = [self.names.index(i) if isinstance(i, str) else int(i) for i in indices]
        return wald_test(self.coef, self.cov, idx, self.df, self.names)


def svyolr(
    design: Design,
    y: Any,
    X: Any,
    domain: Any | None = None,
    names: Sequence[str] | None = None,
    levels: Sequence | None = None,
    *,
    maxit: int = 50,
    tol: float = 1e-10,
) -> OrdinalResult:
    """Proportional-odds regression of the ordered outcome ``y`` (NaN = missing) on ``X`` (n, p).

    ``levels``: the ordered outcome values (default: sorted values among the model rows); other
    values are missing. A :class:`~analysis.models.logit.ModelMatrix` may be passed; its intercept
    column is dropped.
    """
    if isinstance(X, ModelMatrix):
        keep = [j for j, name in enumerate(X.names) if name != "(Intercept)"]
        names = tuple(X.names[j] for j in keep) if names is None else names
        X = np.where(X.complete[:, None], X.X[:, keep], np.nan)
    y = np.asarray(y, dtype=float)
    X = np.asarray(X, dtype=float).reshape(design.n, -1)
    p = X.shape[1]
    names = tuple(names) if names is not None else tuple(f"x{j}" for j in range(p))
    inside = np.isfinite(y) & np.all(np.isfinite(X), axis=1) & (design.weights > 0)
    if domain is not None:
        inside &= np.asarray(domain, dtype=bool)
    levels = tuple(sorted(set(y[inside].tolist()))) if levels is None else tuple(float(v) for v in levels)
    inside &= np.isin(y, levels)
    J = len(levels)
    n = int(inside.sum())
    if J < 2:
        raise AnalysisError("Die Zielgröße des Ordinalmodells hat bei den vollständigen Fällen weniger als zwei "
                            "Kategorien; das Modell ist nicht schätzbar.")
    if n <= p + J - 1:
        raise AnalysisError(f"Für das Ordinalmodell gibt es nur {n} vollständige Fälle; es ist nicht schätzbar.")
    Xd, wd = X[inside], design.weights[inside]
    cat = np.searchsorted(np.asarray(levels), y[inside])
    counts = np.bincount(cat, weights=wd, minlength=J)
    if np.any(counts <= 0):
        raise AnalysisError(f"Die Kategorie {_fmt(levels[int(np.argmin(counts))])} der Zielgröße kommt bei den "
                            "vollständigen Fällen nicht vor; bitte Kategorien zusammenfassen.")
    ws = wd / wd.mean()
    cum = np.cumsum(counts)[:-1] / counts.sum()
    theta = np.concatenate([np.zeros(p), special.logit(cum)])
    for iteration in range(1, maxit + 1):
        H = _information(theta, Xd, cat, ws, J)
        step = np.linalg.solve(H, _scores(theta, Xd, cat, J).T @ ws)
        theta = _damped(theta, step, Xd, cat, ws, J)
        if np.max(np.abs(step) / (np.abs(theta) + 0.1)) < tol:
            break
    else:
        raise AnalysisError("Das Ordinalmodell konvergiert nicht; bitte Kategorien zusammenfassen.")
    U = _scores(theta, Xd, cat, J)
    H = _information(theta, Xd, cat, wd, J)
    z = np.zeros((design.n, p + J - 1))
    z[inside] = np.linalg.solve(H, U.T).T
    cov = np.atleast_2d(design.variance_of_total(z))
    cov = (cov + cov.T) / 2
    cuts = tuple(f"{_fmt(a)}|{_fmt(b)}" for a, b in zip(levels[:-1], levels[1:]))
    df = domain_degf(design, inside) + 1 - (p + J - 1)
    return OrdinalResult(names=names + cuts, coef=readonly(theta), se=readonly(np.sqrt(np.diag(cov))),
                         cov=readonly(cov), n_slopes=p, levels=levels, df=float(df), n=n,
                         weighted_n=float(wd.sum()), iterations=iteration)


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _parts(theta: np.ndarray, X: np.ndarray, cat: np.ndarray, J: int):
    p = X.shape[1]
    beta, zeta = theta[:p], theta[p:]
    if np.any(np.diff(zeta) <= 0):
        return None
    eta = X @ beta
    bounds = np.concatenate([[-np.inf], zeta, [np.inf]])
    upper, lower = bounds[cat + 1] - eta, bounds[cat] - eta
    F_u, F_l = special.expit(upper), special.expit(lower)
    f_u = np.where(np.isfinite(upper), F_u * (1 - F_u), 0.0)
    f_l = np.where(np.isfinite(lower), F_l * (1 - F_l), 0.0)
    prob = F_u - F_l
    return prob, f_u, f_l


def _scores(theta: np.ndarray, X: np.ndarray, cat: np.ndarray, J: int) -> np.ndarray:
    """Per-respondent score vectors (n, p + J - 1) of the log-likelihood."""
    p = X.shape[1]
    prob, f_u, f_l = _parts(theta, X, cat, J)
    U = np.zeros((X.shape[0], p + J - 1))
    U[:, :p] = -X * ((f_u - f_l) / prob)[:, None]
    rows = np.arange(X.shape[0])
    up, lo = cat < J - 1, cat > 0
    U[rows[up], p + cat[up]] += f_u[up] / prob[up]
    U[rows[lo], p + cat[lo] - 1] -= f_l[lo] / prob[lo]
    return U


def _information(theta: np.ndarray, X: np.ndarray, cat: np.ndarray, w: np.ndarray, J: int) -> np.ndarray:
    """Observed information: minus the central-difference Jacobian of the weighted score total."""
    k = theta.shape[0]
    H = np.zeros((k, k))
    for j in range(k):
        h = 1e-5 * max(1.0, abs(theta[j]))
        plus, minus = theta.copy(), theta.copy()
        plus[j] += h
        minus[j] -= h
        H[:, j] = -(_scores(plus, X, cat, J).T @ w - _scores(minus, X, cat, J).T @ w) / (2 * h)
    return (H + H.T) / 2


def _loglik(theta, X, cat, w, J) -> float:
    parts = _parts(theta, X, cat, J)
    if parts is None or np.any(parts[0] <= 0):
        return -np.inf
    return float(w @ np.log(parts[0]))


def _damped(theta, step, X, cat, w, J) -> np.ndarray:
    """Newton step, halved until the log-likelihood does not decrease (keeps cutpoints ordered)."""
    base = _loglik(theta, X, cat, w, J)
    for _ in range(30):
        trial = theta + step
        if _loglik(trial, X, cat, w, J) >= base - 1e-12 * abs(base):
            return trial
        step = step / 2
    return theta
