"""Design-based logistic regression (R ``svyglm(family = quasibinomial())``) and Wald tests.

Fit. The coefficients solve the weighted score equations ``Σ_i w_i (y_i - μ_i) x_i = 0`` over the
*model domain* (respondents in ``domain`` with a valid 0/1 outcome and complete covariates). The
iteration is R's ``glm.fit`` (IRLS, weights rescaled to mean 1, start ``μ = (w y + 0.5)/(w + 1)``,
stop when the relative deviance change is below 1e-8, at most 25 iterations). No convergence, or a
fitted probability within 1e-8 of 0 or 1 (separation: R would only warn, at 10 machine epsilons, and
report meaningless coefficients) raises :class:`AnalysisError`.

Covariance (R ``svy.varcoef``). With ``J = Σ_domain w_i μ_i(1-μ_i) x_i x_i'`` the influence values are
``z_i = (y_i - μ_i) J⁻¹ x_i`` inside the domain and 0 outside, and the coefficient covariance is the
design covariance of ``Σ w_i z_i`` (:meth:`analysis.core.design.Design.variance_of_total`: calibration
residuals, strata, fpc), i.e. the sandwich ``J⁻¹ V(Σ w U) J⁻¹``. Rows outside the domain are never
dropped from the design (R keeps them with weight 0 in a calibrated design). No dispersion factor
enters the covariance (quasibinomial and binomial give the same standard errors in ``svyglm``).
Exactly as R, ``J`` and the working weights come from the last IRLS iteration (μ before the final
update) while the residuals use the final μ; this reproduces R to ~1e-9 (the exact-MLE sandwich
differs from R by up to ~1e-6 relative on the reference data).

Degrees of freedom (R): residual df = ``degf(domain design) + 1 - p`` where ``degf`` of the subset
counts only PSUs and strata with a nonzero weight in the domain (R ``degf.survey.design2``). t-based
intervals and p-values use it; the Wald F test (R ``regTermTest``, default ``method = "Wald"``) uses
``F = b' V⁻¹ b / k`` with ``k`` numerator and the residual df as denominator df.

Model matrices: :func:`treatment_matrix` builds R's treatment coding (first level = reference, column
names ``<variable><level>`` as R prints them, e.g. ``geschlecht2``, ``altersgruppe30-44``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import special

from analysis.core import distributions as dist
from analysis.core.categories import category_key, category_keys
from analysis.core.design import Design
from analysis.core.results import readonly
from analysis.errors import AnalysisError

INTERCEPT = "(Intercept)"
SEPARATION = 1e-8  # fitted probabilities this close to 0 or 1 mean (quasi-)separation


@dataclass(frozen=True, eq=False)
class ModelMatrix:
    """A model matrix with R-style column names; ``terms`` maps a variable to its column indices.

    ``complete`` marks rows where every variable is valid (NaN rows of ``X`` are set to 0 there).
    """

    X: np.ndarray
    names: tuple[str, ...]
    terms: tuple[tuple[str, tuple[int, ...]], ...]
    complete: np.ndarray

    def columns(self, term: str) -> tuple[int, ...]:
        for name, cols in self.terms:
            if name == term:
                return cols
        raise KeyError(term)


def treatment_matrix(
    data: pd.DataFrame | Mapping[str, Any],
    variables: Sequence[str],
    factors: Mapping[str, Sequence[Any] | None] | None = None,
    intercept: bool = True,
) -> ModelMatrix:
    """Treatment-coded model matrix for ``variables`` (R ``model.matrix(~ a + b + ...)``).

    Variables named in ``factors`` are categorical: the given level order (first = reference) or, for
    ``None``, the sorted levels observed among complete rows. Values outside the levels count as
    missing. Other variables are numeric (NaN = missing).
    """
    factors = dict(factors or {})
    columns = [data[v] for v in variables]
    n = len(columns[0]) if columns else len(next(iter(data.values())) if isinstance(data, Mapping) else data)
    complete = np.ones(n, dtype=bool)
    parsed: list[tuple[str, Any]] = []
    for variable, column in zip(variables, columns):
        if variable in factors:
            keys = category_keys(column)
            parsed.append((variable, keys))
            if factors[variable] is not None:
                levels = [category_key(v) for v in factors[variable]]
                complete &= pd.Series(keys, dtype=object).isin(levels).to_numpy() & (keys != None)  # noqa: E711
        else:
            numeric = pd.to_numeric(pd.Series(np.asarray(column, dtype=object)), errors="coerce").to_numpy(dtype=float)
            parsed.append((variable, numeric))
            complete &= np.isfinite(numeric)
    for variable, keys in parsed:
        if variable in factors and factors[variable] is None:
            complete &= keys != None  # noqa: E711 - object array
    blocks, names, terms = ([np.ones(n)], [INTERCEPT], [(INTERCEPT, (0,))]) if intercept else ([], [], [])
    for variable, values in parsed:
        start = len(names)
        if variable in factors:
            levels = ([category_key(v) for v in factors[variable]] if factors[variable] is not None
                      else sorted(set(values[complete]), key=_sort_key))
            for level in levels[1 if intercept else 0:]:
                blocks.append((values == level).astype(float))
                names.append(f"{variable}{level}")
        else:
            blocks.append(np.where(complete, np.nan_to_num(values), 0.0))
            names.append(variable)
        terms.append((variable, tuple(range(start, len(names)))))
    X = np.column_stack(blocks) if blocks else np.empty((n, 0))
    X[~complete] = 0.0
    return ModelMatrix(readonly(X), tuple(names), tuple(terms), _ro_bool(complete))


def _sort_key(value: Any) -> tuple:
    return (0, value, "") if isinstance(value, (int, float)) else (1, 0, str(value))


def _ro_bool(mask: np.ndarray) -> np.ndarray:
    mask = np.array(mask, dtype=bool, copy=True)
    mask.flags.writeable = False
    return mask


@dataclass(frozen=True)
class WaldTest:
    """Wald F test that a group of coefficients is zero (R ``regTermTest``, method ``"Wald"``)."""

    names: tuple[str, ...]
    chisq: float
    f: float
    ndf: int
    ddf: float
    p_value: float


@dataclass(frozen=True)
class Coefficient:
    """One coefficient with t-based interval; ``odds_ratio`` and its interval are ``exp`` of them."""

    name: str
    coef: float
    se: float
    t: float
    p_value: float
    ci_low: float
    ci_high: float
    odds_ratio: float
    or_ci_low: float
    or_ci_high: float


@dataclass(frozen=True, eq=False)
class LogitResult:
    """A fitted design-based logistic regression (see the module docstring)."""

    names: tuple[str, ...]
    coef: np.ndarray
    se: np.ndarray
    cov: np.ndarray
    df: float
    n: int
    weighted_n: float
    iterations: int
    domain: np.ndarray
    terms: tuple[tuple[str, tuple[int, ...]], ...] = ()

    def index(self, name: str) -> int:
        try:
            return self.names.index(name)
        except ValueError:
            raise KeyError(name) from None

    def conf_int(self, level: float = 0.95) -> np.ndarray:
        """(p, 2) t intervals ``coef ± t_{df} · se`` (R ``confint(model, ddf = df.residual)``)."""
        q = dist.t_ppf(0.5 + level / 2, self.df) if self.df > 0 else math.nan
        return np.column_stack([self.coef - q * self.se, self.coef + q * self.se])

    def t_values(self) -> np.ndarray:
        return self.coef / self.se

    def p_values(self) -> np.ndarray:
        """Two-sided t test p-values with the residual df (R ``summary.svyglm``)."""
        return 2 * dist.t_sf(np.abs(self.t_values()), self.df)

    def odds_ratios(self, level: float = 0.95) -> np.ndarray:
        """(p, 3): odds ratio, lower, upper (``exp`` of coefficient and t interval)."""
        ci = self.conf_int(level)
        return np.exp(np.column_stack([self.coef, ci]))

    def coefficients(self, level: float = 0.95) -> tuple[Coefficient, ...]:
        ci, p, t = self.conf_int(level), self.p_values(), self.t_values()
        return tuple(Coefficient(name, float(self.coef[j]), float(self.se[j]), float(t[j]), float(p[j]),
                                 float(ci[j, 0]), float(ci[j, 1]), math.exp(self.coef[j]), math.exp(ci[j, 0]),
                                 math.exp(ci[j, 1])) for j, name in enumerate(self.names))

    def wald_test(self, terms: Sequence[int | str] | str) -> WaldTest:
        """F test that all coefficients of ``terms`` are 0: indices, coefficient names or a term name."""
        return wald_test(self.coef, self.cov, self._indices(terms), self.df, self.names)

    def _indices(self, terms: Sequence[int | str] | str) -> list[int]:
        if isinstance(terms, str):
            terms = [terms]
        out: list[int] = []
        term_map = dict(self.terms)
        for t in terms:
            if isinstance(t, (int, np.integer)):
                out.append(int(t))
            elif t in term_map:
                out.extend(term_map[t])
            else:
                out.append(self.index(t))
        return out


def wald_test(coef: np.ndarray, cov: np.ndarray, indices: Sequence[int], ddf: float,
              names: Sequence[str] | None = None) -> WaldTest:
    """``F = b' V⁻¹ b / k`` with (k, ddf) degrees of freedom; ``ddf = inf`` gives the χ² test (F·k)."""
    idx = list(dict.fromkeys(indices))
    if not idx:
        raise ValueError("wald_test needs at least one coefficient")
    b = np.asarray(coef, dtype=float)[idx]
    v = np.asarray(cov, dtype=float)[np.ix_(idx, idx)]
    chisq = float(b @ np.linalg.solve(v, b))
    k = len(idx)
    f = chisq / k
    p = float(dist.chi2_sf(chisq, k)) if not np.isfinite(ddf) else float(dist.f_sf(f, k, ddf))
    label = tuple(names[i] for i in idx) if names is not None else tuple(str(i) for i in idx)
    return WaldTest(label, chisq, f, k, float(ddf), p)


def domain_degf(design: Design, domain: np.ndarray) -> int:
    """R ``degf`` of a subset: PSUs minus strata among respondents in ``domain`` with nonzero weight."""
    return design.domain_degf(domain)


def svyglm_logit(
    design: Design,
    y: Any,
    X: Any,
    domain: Any | None = None,
    names: Sequence[str] | None = None,
    *,
    terms: Sequence[tuple[str, Sequence[int]]] = (),
    maxit: int = 25,
    epsilon: float = 1e-8,
) -> LogitResult:
    """Design-based logistic regression of 0/1 ``y`` (NaN = missing) on the model matrix ``X`` (n, p).

    ``X`` includes the intercept column if wanted (see :func:`treatment_matrix`); rows with a NaN in
    ``X`` or ``y`` or outside ``domain`` are not in the model but stay in the design. Raises
    :class:`AnalysisError` (German) for too few cases, collinear columns, non-0/1 outcomes and
    non-convergence (complete separation).
    """
    if isinstance(X, ModelMatrix):
        names = X.names if names is None else names
        terms = terms or X.terms
        X = np.where(X.complete[:, None], X.X, np.nan)
    y = np.asarray(y, dtype=float)
    X = np.asarray(X, dtype=float)
    if X.ndim == 1:
        X = X[:, None]
    if y.shape != (design.n,) or X.shape[0] != design.n:
        raise ValueError(f"y and X must have {design.n} rows")
    p = X.shape[1]
    names = tuple(names) if names is not None else tuple(f"x{j}" for j in range(p))
    if len(names) != p:
        raise ValueError("names must have one entry per column of X")
    inside = np.isfinite(y) & np.all(np.isfinite(X), axis=1) & (design.weights > 0)
    if domain is not None:
        inside &= np.asarray(domain, dtype=bool)
    bad = inside & (y != 0) & (y != 1)
    if bad.any():
        row = int(np.flatnonzero(bad)[0]) + 1
        raise AnalysisError(f"Die Zielgröße der logistischen Regression muss 0 oder 1 sein; Zeile {row} hat "
                            f"den Wert {y[row - 1]:g}.")
    n = int(inside.sum())
    if n <= p:
        raise AnalysisError(f"Für die logistische Regression gibt es nur {n} vollständige Fälle bei {p} "
                            "Koeffizienten; das Modell ist nicht schätzbar.")
    Xd, yd, wd = X[inside], y[inside], design.weights[inside]
    rank = np.linalg.matrix_rank(Xd * np.sqrt(wd)[:, None])
    if rank < p:
        aliased = _aliased(Xd, names)
        raise AnalysisError("In den vollständigen Fällen sind die Modellspalten linear abhängig (z. B. eine "
                            f"Kategorie ohne Befragte oder ein konstantes Merkmal): {', '.join(aliased)}.")
    ws = wd / wd.mean()  # R: weights rescaled to mean 1
    beta, mu, working, iterations = _irls(Xd, yd, ws, maxit, epsilon)
    # R svy.varcoef: estfun = X · working residual · working weight, Ainv = (X' W X)⁻¹ (both on the
    # rescaled weights, which cancel); influence per unit of the design weight = estfun Ainv / w.
    information = (Xd * working[:, None]).T @ Xd
    estfun = Xd * ((yd - mu) / (mu * (1 - mu)) * working / wd)[:, None]
    z = np.zeros((design.n, p))
    z[inside] = np.linalg.solve(information, estfun.T).T
    cov = np.atleast_2d(design.variance_of_total(z))
    cov = (cov + cov.T) / 2
    df = domain_degf(design, inside) + 1 - p
    return LogitResult(names=names, coef=readonly(beta), se=readonly(np.sqrt(np.diag(cov))), cov=readonly(cov),
                       df=float(df), n=n, weighted_n=float(wd.sum()), iterations=iterations,
                       domain=_ro_bool(inside), terms=tuple((t, tuple(c)) for t, c in terms))


def _irls(X: np.ndarray, y: np.ndarray, w: np.ndarray, maxit: int, epsilon: float):
    """R ``glm.fit`` for the logit link: returns coef, final μ, last working weights, iterations.

    Starts from ``μ = (w y + 0.5)/(w + 1)``, stops when ``|dev - dev_old|/(|dev| + 0.1) < epsilon``.
    The working weights ``w μ(1-μ)`` returned are those of the last iteration, i.e. computed from the
    μ *before* the final update, exactly what R keeps in the fitted glm and ``svy.varcoef`` uses.
    """
    mu = (w * y + 0.5) / (w + 1)
    eta = special.logit(mu)
    dev_old = _deviance(y, mu, w)
    for iteration in range(1, maxit + 1):
        working = w * mu * (1 - mu)
        z = eta + (y - mu) / (mu * (1 - mu))
        root = np.sqrt(working)
        beta = np.linalg.lstsq(X * root[:, None], root * z, rcond=None)[0]
        eta = X @ beta
        mu = special.expit(eta)
        dev = _deviance(y, mu, w)
        if not np.isfinite(dev):
            break
        if abs(dev - dev_old) / (abs(dev) + 0.1) < epsilon:
            if np.any(mu > 1 - SEPARATION) or np.any(mu < SEPARATION):
                break
            return beta, mu, working, iteration
        dev_old = dev
    raise AnalysisError("Die logistische Regression konvergiert nicht: ein Merkmal sagt die Zielgröße für "
                        "einige Befragte praktisch sicher vorher (Separation); bitte Kategorien zusammenfassen "
                        "oder das Merkmal weglassen.")


def _deviance(y: np.ndarray, mu: np.ndarray, w: np.ndarray) -> float:
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(-2 * np.sum(w * (special.xlogy(y, mu) + special.xlogy(1 - y, 1 - mu))))


def _aliased(X: np.ndarray, names: Sequence[str]) -> list[str]:
    """Columns that are linear combinations of earlier ones (R reports their coefficients as NA)."""
    out, kept = [], []
    for j in range(X.shape[1]):
        trial = kept + [j]
        if np.linalg.matrix_rank(X[:, trial]) < len(trial):
            out.append(names[j])
        else:
            kept.append(j)
    return out
