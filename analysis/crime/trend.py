"""Trend of a PKS series over years: quasi-Poisson regression with a log-population offset.

Model: log E[cases_t] = log(population_t) + a + b·(year_t - first year), Var = φ·μ. The rate ratio per
year is exp(b). Dispersion: φ = max(1, X²/(n - 2)) with X² the Pearson statistic of the Poisson fit
(R's ``glm(family = quasipoisson)`` estimates X²/(n - 2) and does not floor it). The floor at 1 keeps
the interval at least as wide as Poisson's: registered counts are never less variable than Poisson
counts, and with few years an estimate below 1 is chance (an estimated φ = 0.51 made the interval 29 %
narrower than Poisson's). ``TrendResult.dispersion`` is the φ used, ``dispersion_estimated`` the
unfloored X²/(n - 2).

Interval: t distribution with n - 2 degrees of freedom, b ± t(1 - α/2; n - 2)·se(b), as R's
``summary.glm`` tests quasi families, with se(b) = sqrt(φ)·se_Poisson(b); the t quantile is kept when
φ is floored (conservative). With two years the model is saturated and φ cannot be estimated: then the
Poisson closed form is used, RR = (k2/E2)/(k1/E1), se(log RR) = sqrt(1/k1 + 1/k2), normal interval, and
``method`` says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from analysis.core import distributions as dist
from analysis.crime.poisson_fit import poisson_glm
from analysis.errors import AnalysisError

METHOD_QUASI_POISSON = "quasi-poisson"
METHOD_TWO_YEARS = "poisson-zwei-jahre"


@dataclass(frozen=True)
class TrendResult:
    """Average change per year as a rate ratio (1.05 = +5 % per year) with its interval."""

    years: tuple[int, ...]
    rate_ratio: float
    ci_low: float
    ci_high: float
    p_value: float
    dispersion: float
    df_resid: int
    conf_level: float
    method: str
    dispersion_estimated: float = float("nan")  # X²/(n - 2) before the floor at 1


def crime_trend(
    years: Sequence[int], cases: Sequence[int], population: Sequence[float], conf_level: float = 0.95
) -> TrendResult:
    """Quasi-Poisson trend of cases with offset log(population); see the module docstring."""
    if not 0 < conf_level < 1:
        raise AnalysisError(f"Das Konfidenzniveau {conf_level} muss zwischen 0 und 1 liegen.")
    y = np.asarray(years, dtype=float)
    k = np.asarray(cases, dtype=float)
    e = np.asarray(population, dtype=float)
    if not (len(y) == len(k) == len(e)):
        raise AnalysisError("Für den Trend braucht jedes Jahr eine Fallzahl und eine Einwohnerzahl.")
    if len(set(y.tolist())) != len(y):
        raise AnalysisError(f"Im Trend kommt ein Jahr doppelt vor: {[int(v) for v in y]}.")
    if len(y) < 2:
        raise AnalysisError("Für einen Trend sind mindestens zwei Jahre nötig.")
    if np.any(~np.isfinite(k)) or np.any(k < 0) or np.any(k != np.round(k)):
        raise AnalysisError(f"Die Fallzahlen müssen ganze Zahlen ≥ 0 sein: {k.tolist()}.")
    if np.any(~np.isfinite(e)) or np.any(e <= 0):
        raise AnalysisError(f"Die Einwohnerzahlen müssen größer als 0 sein: {e.tolist()}.")
    if k.sum() == 0:
        raise AnalysisError("In keinem Jahr gibt es Fälle; ein Trend ist nicht berechenbar.")
    order = np.argsort(y)
    y, k, e = y[order], k[order], e[order]
    years_t = tuple(int(v) for v in y)
    alpha = 1 - conf_level
    if len(y) == 2:
        return _two_years(years_t, k, e, conf_level)
    fit = poisson_trend_fit(y, k, e)
    b, se = float(fit.params[1]), math.sqrt(fit.dispersion * fit.cov_unscaled[1, 1])
    df = fit.df_resid
    if not np.isfinite(se) or se == 0:
        raise AnalysisError("Der Trend ist nicht schätzbar (keine Streuung der Jahreswerte berechenbar).")
    t = dist.t_ppf(1 - alpha / 2, df)
    p = 2 * dist.t_sf(abs(b / se), df)
    return TrendResult(years_t, math.exp(b), math.exp(b - t * se), math.exp(b + t * se), float(p),
                       fit.dispersion, df, conf_level, METHOD_QUASI_POISSON, fit.dispersion_estimated)


@dataclass(frozen=True, eq=False)
class PoissonTrendFit:
    """Poisson GLM ``log μ = log E + a + b·(year - first year)`` and the floored dispersion."""

    params: np.ndarray  # (a, b)
    cov_unscaled: np.ndarray  # (X'WX)^-1 of the Poisson fit
    first_year: float
    dispersion: float  # max(1, X²/df_resid); 1 when df_resid = 0
    dispersion_estimated: float  # X²/df_resid (nan when df_resid = 0)
    df_resid: int

    def predict(self, year: float, population: float) -> tuple[float, float]:
        """Expected count in ``year`` and its variance (delta method, dispersion included)."""
        x = np.array([1.0, float(year) - self.first_year])
        mu = float(population * math.exp(x @ self.params))
        return mu, mu**2 * float(x @ self.cov_unscaled @ x) * self.dispersion


def poisson_trend_fit(years: np.ndarray, cases: np.ndarray, population: np.ndarray) -> PoissonTrendFit:
    """Fit the trend model (Poisson GLM with offset, as statsmodels fits it); φ floored at 1 (module
    docstring)."""
    years = np.asarray(years, dtype=float)
    x = np.column_stack([np.ones(len(years)), years - years[0]])
    fit = poisson_glm(np.asarray(cases, dtype=float), x, np.log(np.asarray(population, dtype=float)))
    df = int(fit.df_resid)
    estimated = float(fit.pearson_chi2 / df) if df > 0 else math.nan
    dispersion = max(1.0, estimated) if df > 0 else 1.0
    return PoissonTrendFit(np.asarray(fit.params, dtype=float), np.asarray(fit.cov_params, dtype=float),
                           float(years[0]), dispersion, estimated, df)


def _two_years(years: tuple[int, ...], k: np.ndarray, e: np.ndarray, conf_level: float) -> TrendResult:
    if k[0] == 0 or k[1] == 0:
        raise AnalysisError("Für einen Zwei-Jahres-Vergleich braucht jedes Jahr mindestens einen Fall.")
    step = years[1] - years[0]
    log_rr = (math.log(k[1] / e[1]) - math.log(k[0] / e[0])) / step
    se = math.sqrt(1 / k[0] + 1 / k[1]) / step
    z = dist.norm_ppf(1 - (1 - conf_level) / 2)
    p = 2 * dist.norm_sf(abs(log_rr / se))
    return TrendResult(years, math.exp(log_rr), math.exp(log_rr - z * se), math.exp(log_rr + z * se),
                       float(p), 1.0, 0, conf_level, METHOD_TWO_YEARS, math.nan)
