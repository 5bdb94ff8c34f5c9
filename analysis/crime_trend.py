"""Trend of a PKS series over years: quasi-Poisson regression with a log-population offset.

Model: log E[cases_t] = log(population_t) + a + b·(year_t - first year), Var = φ·μ with φ estimated
by Pearson χ² / (n - 2) (quasi-Poisson; statsmodels GLM Poisson with ``scale="X2"``, R's
``glm(family = quasipoisson)``). The rate ratio per year is exp(b).

Interval: t distribution with n - 2 degrees of freedom, b ± t(1 - α/2; n - 2)·se(b), as R's
``summary.glm`` tests quasi families (statsmodels ``fit(scale="X2", use_t=True)``). φ is not floored
at 1 (as in R). With two years the model is saturated and φ cannot be estimated: then the Poisson
closed form is used, RR = (k2/E2)/(k1/E1), se(log RR) = sqrt(1/k1 + 1/k2), normal interval, and
``method`` says so.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Sequence

import numpy as np
import statsmodels.api as sm
from scipy import stats

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

    @property
    def percent_per_year(self) -> float:
        return 100 * (self.rate_ratio - 1)


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
    x = sm.add_constant(y - y[0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = sm.GLM(k, x, family=sm.families.Poisson(), offset=np.log(e)).fit(scale="X2")
    b, se = float(fit.params[1]), float(fit.bse[1])
    df = int(fit.df_resid)
    if not np.isfinite(se) or se == 0:
        # A perfect fit (φ = 0) gives a degenerate interval; say so instead of pretending precision.
        raise AnalysisError("Die Jahreswerte liegen exakt auf einer Trendlinie; keine Streuung schätzbar.")
    t = stats.t.ppf(1 - alpha / 2, df)
    p = 2 * stats.t.sf(abs(b / se), df)
    return TrendResult(years_t, math.exp(b), math.exp(b - t * se), math.exp(b + t * se), float(p),
                       float(fit.scale), df, conf_level, METHOD_QUASI_POISSON)


def _two_years(years: tuple[int, ...], k: np.ndarray, e: np.ndarray, conf_level: float) -> TrendResult:
    if k[0] == 0 or k[1] == 0:
        raise AnalysisError("Für einen Zwei-Jahres-Vergleich braucht jedes Jahr mindestens einen Fall.")
    step = years[1] - years[0]
    log_rr = (math.log(k[1] / e[1]) - math.log(k[0] / e[0])) / step
    se = math.sqrt(1 / k[0] + 1 / k[1]) / step
    z = stats.norm.ppf(1 - (1 - conf_level) / 2)
    p = 2 * stats.norm.sf(abs(log_rr / se))
    return TrendResult(years, math.exp(log_rr), math.exp(log_rr - z * se), math.exp(log_rr + z * se),
                       float(p), 1.0, 0, conf_level, METHOD_TWO_YEARS)
