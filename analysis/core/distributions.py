"""Quantiles and tail probabilities of the t, normal, chi², F and beta distributions and the two-sided
binomial test, computed with the
same ``scipy.special`` functions that ``scipy.stats`` calls inside (``t.ppf`` is ``stdtrit``, ``beta.ppf``
is ``_beta_ppf`` and so on), so every value is bit for bit the one ``scipy.stats`` gives.

Why not ``scipy.stats`` itself: importing it costs 0.5–1.4 s at every start of ``sicherheitsanalyse run``
(it builds a hundred distribution objects and imports scipy.optimize, scipy.spatial, scipy.ndimage),
while these few functions are all the engine needs; ``tests/test_distributions.py`` compares them with
``scipy.stats`` on a grid including the edges (0, 1, ±inf, nan, invalid parameters).

Arguments broadcast like numpy's; a 0-d result comes back as ``numpy.float64`` as in ``scipy.stats``.
Invalid parameters (df ≤ 0, shape ≤ 0, a probability outside [0, 1]) give ``nan``.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special
from scipy.special import _ufuncs

# scipy.stats' beta and binomial distributions call these boost-based functions of scipy.special (private
# names, present since scipy 1.9; the project requires 1.11)
_beta_ppf = _ufuncs._beta_ppf
_binom_pmf_ufunc, _binom_cdf_ufunc, _binom_sf_ufunc = _ufuncs._binom_pmf, _ufuncs._binom_cdf, _ufuncs._binom_sf


def _result(out: np.ndarray):  # noqa: ANN202 - numpy.float64 or ndarray
    return out[()] if out.ndim == 0 else out


def _quantile(q, lower: float, upper: float, valid, compute):  # noqa: ANN001, ANN202
    """scipy.stats' ppf frame: ``lower`` at q = 0, ``upper`` at q = 1, ``compute`` inside, else nan."""
    q = np.asarray(q, dtype=float)
    valid = np.asarray(valid, dtype=bool)
    inside = valid & (q > 0) & (q < 1)
    with np.errstate(all="ignore"):
        value = compute()
    out = np.where(inside, value, np.nan)
    out = np.where(valid & (q == 0), lower, out)
    out = np.where(valid & (q == 1), upper, out)
    return _result(np.asarray(out, dtype=float))


def _tail(x, lower_edge: float, valid, compute):  # noqa: ANN001, ANN202
    """scipy.stats' sf frame: 1 at or below the support's ``lower_edge``, 0 at +inf, ``compute`` between, nan if
    invalid."""
    x = np.asarray(x, dtype=float)
    valid = np.asarray(valid, dtype=bool)
    with np.errstate(all="ignore"):
        value = compute()
    out = np.where(x <= lower_edge, 1.0, np.where(x == np.inf, 0.0, value))
    out = np.where(valid & ~np.isnan(x), out, np.nan)
    return _result(np.asarray(out, dtype=float))


def t_ppf(q, df):  # noqa: ANN001, ANN201
    """``scipy.stats.t.ppf(q, df)``."""
    df = np.asarray(df, dtype=float)
    return _quantile(q, -np.inf, np.inf, df > 0, lambda: special.stdtrit(df, q))


def t_sf(x, df):  # noqa: ANN001, ANN201
    """``scipy.stats.t.sf(x, df)``."""
    df = np.asarray(df, dtype=float)
    return _tail(x, -np.inf, df > 0, lambda: special.stdtr(df, -np.asarray(x, dtype=float)))


def norm_ppf(q):  # noqa: ANN001, ANN201
    """``scipy.stats.norm.ppf(q)``."""
    return _quantile(q, -np.inf, np.inf, True, lambda: special.ndtri(q))


def norm_sf(x):  # noqa: ANN001, ANN201
    """``scipy.stats.norm.sf(x)``."""
    return _tail(x, -np.inf, True, lambda: special.ndtr(-np.asarray(x, dtype=float)))


def chi2_ppf(q, df):  # noqa: ANN001, ANN201
    """``scipy.stats.chi2.ppf(q, df)``."""
    df = np.asarray(df, dtype=float)
    return _quantile(q, 0.0, np.inf, df > 0, lambda: 2 * special.gammaincinv(df / 2, q))


def chi2_sf(x, df):  # noqa: ANN001, ANN201
    """``scipy.stats.chi2.sf(x, df)``."""
    df = np.asarray(df, dtype=float)
    return _tail(x, 0.0, df > 0, lambda: special.chdtrc(df, x))


def f_sf(x, dfn, dfd):  # noqa: ANN001, ANN201
    """``scipy.stats.f.sf(x, dfn, dfd)``."""
    dfn, dfd = np.asarray(dfn, dtype=float), np.asarray(dfd, dtype=float)
    return _tail(x, 0.0, (dfn > 0) & (dfd > 0), lambda: special.fdtrc(dfn, dfd, x))


def beta_ppf(q, a, b):  # noqa: ANN001, ANN201
    """``scipy.stats.beta.ppf(q, a, b)``."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return _quantile(q, 0.0, 1.0, (a > 0) & (b > 0), lambda: _beta_ppf(q, a, b))


def _binom_pmf(k: float, n: int, p: float) -> float:
    if k < 0 or k > n or k != math.floor(k):
        return 0.0
    return float(_binom_pmf_ufunc(k, n, p))


def _binom_cdf(k: float, n: int, p: float) -> float:
    if k < 0:
        return 0.0
    return 1.0 if k >= n else float(_binom_cdf_ufunc(math.floor(k), n, p))


def _binom_sf(k: float, n: int, p: float) -> float:
    if k < 0:
        return 1.0
    return 0.0 if k >= n else float(_binom_sf_ufunc(math.floor(k), n, p))


def _search(a, d: float, lo: float, hi: float) -> float:  # noqa: ANN001 - scipy's _binary_search_for_binom_tst
    while lo < hi:
        mid = lo + (hi - lo) // 2
        value = a(mid)
        if value < d:
            lo = mid + 1
        elif value > d:
            hi = mid - 1
        else:
            return mid
    return lo if a(lo) <= d else lo - 1


def binom_test_two_sided(k: int, n: int, p: float) -> float:
    """``scipy.stats.binomtest(k, n, p).pvalue`` (two-sided, R's ``binom.test``: the outcomes at most as
    likely as ``k``, with the relative tolerance 1e-7); ``0 ≤ k ≤ n``, ``n ≥ 1``, ``0 ≤ p ≤ 1``."""
    if not (0 <= k <= n and n >= 1 and 0 <= p <= 1):
        raise ValueError(f"binomial test needs 0 <= k <= n, n >= 1, 0 <= p <= 1: {k}, {n}, {p}")
    d = _binom_pmf(k, n, p)
    rerr = 1 + 1e-7
    if k == p * n:
        return 1.0
    if k < p * n:
        ix = _search(lambda x: -_binom_pmf(x, n, p), -d * rerr, np.ceil(p * n), n)
        y = n - ix + int(d * rerr == _binom_pmf(ix, n, p))
        value = _binom_cdf(k, n, p) + _binom_sf(n - y, n, p)
    else:
        ix = _search(lambda x: _binom_pmf(x, n, p), d * rerr, 0, np.floor(p * n))
        y = ix + 1
        value = _binom_cdf(y - 1, n, p) + _binom_sf(k - 1, n, p)
    return min(1.0, value)
