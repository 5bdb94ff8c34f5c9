"""Design-based totals, means and proportions (R ``svytotal``/``svymean``/``svyciprop``/``svyby``).

Domains (subgroups, item non-response, "among victims") are subsets of the full design: influence
values are zero outside the domain, no row is ever dropped (R: ``svymean(~y, subset(design, ...),
na.rm=TRUE)``). Conventions, all as in R survey for the reference data:

* ``n``: respondents in the domain with a valid (non-NaN) value; ``weighted_n``: their weight sum.
* ``deff``: versus SRS with replacement (``deff="replace"``): ``V / (svyvar / nobs)`` where
  ``svyvar = nobs/(nobs-1) Σ w (y-ȳ)² / Σ w`` over the domain and ``nobs`` counts domain respondents with
  nonzero weight.
* intervals: df as R's defaults on the subset design: ``degf`` of the full design without ``domain``,
  else ``degf`` of the subset (PSUs with a nonzero weight in the domain minus their strata; R
  ``svyciprop(~y, subset(design, domain))`` and ``svyby``, which passes the subset). Item non-response
  (NaN in ``y``) never changes df, as R's ``na.rm`` does not. Korn-Graubard also needs ``nrow`` of the
  subset (all rows for calibrated designs, the domain's rows otherwise; ``Design.domain_rows``).
  Proportions by ``method`` (``"logit"`` default, ``"beta"``, ``"wilson"``, see ``analysis.core.intervals``);
  means and totals by a t interval (R ``confint(svymean(...), df = degf(subset))``).

Every result passes ``analysis.core.flags.make_estimate`` (reliability and disclosure flags).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from analysis.core import distributions as dist
from analysis.core import estimation_grouped
from analysis.core.categories import category_key, factorize
from analysis.core.design import Design
from analysis.core.flags import make_estimate
from analysis.core.intervals import proportion_interval, t_interval
from analysis.core.results import Difference, Estimate


def _valid(design: Design, y: Any, domain: Any | None) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(y, dtype=float)
    if y.shape != (design.n,):
        raise ValueError(f"values must have shape ({design.n},), got {y.shape}")
    valid = ~np.isnan(y)
    if domain is not None:
        valid &= np.asarray(domain, dtype=bool)
    return np.where(valid, y, 0.0), valid


def domain_mean_influence(design: Design, y: Any, domain: Any | None = None) -> tuple[float, np.ndarray, np.ndarray]:
    """Domain mean ``ȳ`` and its influence values ``z`` (n,) (``V(ȳ) = design.variance_of_total(z)``)."""
    y0, valid = _valid(design, y, domain)
    w = np.where(valid, design.weights, 0.0)
    total_w = w.sum()
    ybar = float((w * y0).sum() / total_w) if total_w > 0 else math.nan
    z = np.where(valid, y0 - ybar, 0.0) / total_w if total_w > 0 else np.zeros(design.n)
    return ybar, z, valid


def _element_variance(design: Design, y0: np.ndarray, valid: np.ndarray, ybar: float) -> tuple[float, int]:
    w = np.where(valid, design.weights, 0.0)
    nobs = int(np.count_nonzero(w))
    if nobs < 2:
        return math.nan, nobs
    return float(nobs / (nobs - 1) * (w * (y0 - ybar) ** 2).sum() / w.sum()), nobs


def _domain_df(design: Design, domain: Any | None) -> tuple[int, int]:
    """(df, nrow) of R's subset design for ``domain`` (None: the full design)."""
    if domain is None:
        return design.degf, design.n
    mask = np.asarray(domain, dtype=bool)
    return design.domain_degf(mask), design.domain_rows(mask)


def _mean_core(design: Design, y: Any, domain: Any | None):
    if estimation_grouped.supports(design):
        y0, valid = _valid(design, y, domain)
        binary = bool(np.all((y0 == 0) | (y0 == 1)))
        st = estimation_grouped.GroupedEstimator(design).estimate(y0, valid, binary)[0]
        return (float(st.estimate[0]), float(st.variance[0]), int(st.n[0]), int(st.nobs[0]),
                float(st.weighted_n[0]), float(st.element_variance[0]))
    ybar, z, valid = domain_mean_influence(design, y, domain)
    y0 = np.where(valid, np.asarray(y, dtype=float), 0.0)
    var = design.variance_of_total(z, rows=valid) if valid.any() else math.nan
    svyvar, nobs = _element_variance(design, y0, valid, ybar)
    weighted_n = float(design.weights[valid].sum())
    return ybar, var, int(valid.sum()), nobs, weighted_n, svyvar


def _deff(var: float, svyvar: float, nobs: float) -> float:
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.float64(var) / (np.float64(svyvar) / nobs)) if nobs > 0 else math.nan


def mean(design: Design, y: Any, domain: Any | None = None, level: float = 0.95) -> Estimate:
    """Domain mean with t interval (df = degf of the domain's subset design)."""
    est, var, n, nobs, wn, svyvar = _mean_core(design, y, domain)
    df, _ = _domain_df(design, domain)
    se = math.sqrt(var) if var == var else math.nan
    low, high = t_interval(est, se, df, level)
    return make_estimate(estimate=est, se=se, ci_low=float(low), ci_high=float(high), n=n, weighted_n=wn,
                         deff=_deff(var, svyvar, nobs), df=df, method="t", proportion=False)


def proportion(design: Design, y: Any, domain: Any | None = None, method: str = "logit", level: float = 0.95) -> Estimate:
    """Domain proportion of 0/1 values ``y`` (NaN = missing) with a proportion interval."""
    est, var, n, nobs, wn, svyvar = _mean_core(design, y, domain)
    df, n_rows = _domain_df(design, domain)
    se = math.sqrt(var) if var == var else math.nan
    low, high = proportion_interval(method, est, se, df, n_rows, level, n)
    return make_estimate(estimate=est, se=se, ci_low=float(low), ci_high=float(high), n=n, weighted_n=wn,
                         deff=_deff(var, svyvar, nobs), df=df, method=method, proportion=True)


def total(design: Design, y: Any, domain: Any | None = None, level: float = 0.95) -> Estimate:
    """Domain total ``Σ w y`` with t interval; deff as R ``svytotal(deff="replace")``."""
    y0, valid = _valid(design, y, domain)
    z = np.where(valid, y0, 0.0)
    est = float((design.weights * z).sum())
    var = design.variance_of_total(z, rows=valid)
    df, _ = _domain_df(design, domain)
    wn = float(design.weights[valid].sum())
    ybar = est / wn if wn > 0 else math.nan
    svyvar, nobs = _element_variance(design, y0, valid, ybar)
    se = math.sqrt(var)
    low, high = t_interval(est, se, df, level)
    return make_estimate(estimate=est, se=se, ci_low=float(low), ci_high=float(high), n=int(valid.sum()),
                         weighted_n=wn, deff=_deff(var, svyvar * wn**2, nobs), df=df, method="t",
                         proportion=False)


def group_codes(values: Any) -> tuple[np.ndarray, list]:
    """Integer codes (-1 = missing) and sorted group labels of a breakdown variable."""
    codes, uniques = factorize(values)
    return codes, [category_key(u) for u in uniques]


def by_groups(
    design: Design,
    y: Any,
    groups: Any,
    domain: Any | None = None,
    kind: str = "proportion",
    method: str = "logit",
    level: float = 0.95,
    *,
    coded: tuple[np.ndarray, list] | None = None,
) -> dict[Any, Estimate]:
    """Estimates per group of ``groups`` (R ``svyby(~y, ~groups, design, svymean, na.rm=TRUE)``).

    ``kind`` is ``"proportion"`` or ``"mean"``. Respondents with a missing group value belong to no
    group (but stay in the design). Uses the sufficient-statistics path when the design allows it.
    ``coded``: ``group_codes(groups)`` if already at hand (one breakdown for many indicators).
    """
    codes, labels = group_codes(groups) if coded is None else coded
    if domain is not None:  # R: svyby(..., subset(design, domain)): groups are subsets of the domain
        codes = np.where(np.asarray(domain, dtype=bool), codes, -1)
    y = np.asarray(y, dtype=float)
    valid = ~np.isnan(y) & (codes >= 0)
    if estimation_grouped.supports(design):
        grouped = estimation_grouped.GroupedEstimator(design, [(codes, len(labels))])
        binary = kind == "proportion" and bool(np.all(np.isin(y[valid], (0.0, 1.0))))
        st = grouped.estimate(y, valid, binary)[1]
        return {label: finish(design, st.estimate[g], st.variance[g], st.n[g], st.nobs[g], st.weighted_n[g],
                              st.element_variance[g], kind, method, level, st.df[g], st.n_rows[g])
                for g, label in enumerate(labels)}
    out = {}
    for g, label in enumerate(labels):
        in_group = codes == g
        out[label] = (proportion(design, y, in_group, method, level) if kind == "proportion"
                      else mean(design, y, in_group, level))
    return out


def finish(design: Design, est, var, n, nobs, weighted_n, svyvar, kind: str, method: str, level: float,
           df: float | None = None, n_rows: int | None = None) -> Estimate:
    """Turn raw domain statistics into a flagged :class:`Estimate` (shared by the grouped paths).

    ``df``/``n_rows``: degf and nrow of the domain's subset design (``GroupStats.df``/``.n_rows``);
    None: those of the full design.
    """
    df = design.degf if df is None else float(df)
    n_rows = design.n if n_rows is None else int(n_rows)
    se = math.sqrt(var) if var == var else math.nan
    if kind == "proportion":
        low, high = proportion_interval(method, est, se, df, n_rows, level, n)
    else:
        low, high = t_interval(est, se, df, level)
        method = "t"
    return make_estimate(estimate=float(est), se=se, ci_low=float(low), ci_high=float(high), n=int(n),
                         weighted_n=float(weighted_n), deff=_deff(var, svyvar, nobs), df=df,
                         method=method, proportion=kind == "proportion")


def difference(a: Estimate, b: Estimate, level: float = 0.95) -> Difference:
    """``a - b`` for independent samples (communes, waves): se = √(se_a² + se_b²), Wald z test."""
    if a.estimate is None or b.estimate is None or a.se is None or b.se is None:
        return Difference(None, None, None, None, None, None, level, "suppressed")
    diff = a.estimate - b.estimate
    se = math.sqrt(a.se**2 + b.se**2)
    q = dist.norm_ppf(1 - (1 - level) / 2)
    z = diff / se if se > 0 else math.nan
    p = float(2 * dist.norm_sf(abs(z))) if se > 0 else math.nan
    return Difference(diff, se, diff - q * se, diff + q * se, z, p, level)


def domain_difference(design: Design, y: Any, domain_a: Any, domain_b: Any, level: float = 0.95) -> Difference:
    """``ȳ_a - ȳ_b`` for two domains of the SAME design (e.g. with and without a problem).

    Unlike :func:`difference` (independent samples) the variance includes the covariance of the two
    domain means induced by calibration and strata: the contrast's influence values ``z_a - z_b`` go
    through ``design.variance_of_total``. Interval and test use the t distribution with ``degf``
    (``Difference.z`` then holds the t statistic). Not flagged: the caller applies ``analysis.core.flags``.
    """
    mean_a, z_a, valid_a = domain_mean_influence(design, y, domain_a)
    mean_b, z_b, valid_b = domain_mean_influence(design, y, domain_b)
    if not valid_a.any() or not valid_b.any():
        return Difference(None, None, None, None, None, None, level, "empty")
    diff = mean_a - mean_b
    se = math.sqrt(max(float(design.variance_of_total(z_a - z_b)), 0.0))
    low, high = t_interval(diff, se, design.degf, level)
    t = diff / se if se > 0 else math.nan
    p = float(2 * dist.t_sf(abs(t), design.degf)) if se > 0 else math.nan
    return Difference(float(diff), se, float(low), float(high), t, p, level)
