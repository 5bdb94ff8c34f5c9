"""analysis.core.distributions gives bit for bit what scipy.stats gives, on a grid with the edges."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy import stats

from analysis.core import distributions as d

PROBS = (0.0, 1e-12, 0.0005, 0.025, 0.05, 0.3, 0.5, 0.7, 0.95, 0.975, 0.9995, 1.0 - 1e-12, 1.0, -0.1, 1.1, math.nan)
XS = (-math.inf, -40.0, -3.2, -1.0, -1e-9, 0.0, 1e-9, 0.4, 1.96, 2.5, 12.0, 300.0, math.inf, math.nan)
DFS = (-1.0, 0.0, 0.3, 1.0, 2.0, 3.5, 17.0, 370.0, 1e7, math.inf, math.nan)
SHAPES = (-1.0, 0.0, 1e-6, 0.2, 1.0, 3.0, 41.5, 372.0, math.nan)


def same(a, b) -> bool:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.all((a == b) | (np.isnan(a) & np.isnan(b))))


@pytest.mark.parametrize("q,df", list(itertools.product(PROBS, DFS)))
def test_t_ppf(q, df):
    assert same(d.t_ppf(q, df), stats.t.ppf(q, df)), (q, df)


@pytest.mark.parametrize("x,df", list(itertools.product(XS, DFS)))
def test_t_sf(x, df):
    assert same(d.t_sf(x, df), stats.t.sf(x, df)), (x, df)


@pytest.mark.parametrize("q", PROBS)
def test_norm_ppf(q):
    assert same(d.norm_ppf(q), stats.norm.ppf(q))


@pytest.mark.parametrize("x", XS)
def test_norm_sf(x):
    assert same(d.norm_sf(x), stats.norm.sf(x))


@pytest.mark.parametrize("q,df", list(itertools.product(PROBS, DFS)))
def test_chi2_ppf(q, df):
    assert same(d.chi2_ppf(q, df), stats.chi2.ppf(q, df)), (q, df)


@pytest.mark.parametrize("x,df", list(itertools.product(XS, DFS)))
def test_chi2_sf(x, df):
    assert same(d.chi2_sf(x, df), stats.chi2.sf(x, df)), (x, df)


@pytest.mark.parametrize("x,dfn,dfd", list(itertools.product(XS, DFS[::2], DFS[1::2])))
def test_f_sf(x, dfn, dfd):
    assert same(d.f_sf(x, dfn, dfd), stats.f.sf(x, dfn, dfd)), (x, dfn, dfd)


@pytest.mark.parametrize("q,a,b", list(itertools.product(PROBS, SHAPES, SHAPES[::2])))
def test_beta_ppf(q, a, b):
    assert same(d.beta_ppf(q, a, b), stats.beta.ppf(q, a, b)), (q, a, b)


def test_arrays_broadcast_like_scipy():
    rng = np.random.default_rng(7)
    q = rng.uniform(size=200)
    df = rng.uniform(0.5, 400, size=200)
    a, b = rng.uniform(0.01, 300, size=(2, 200))
    assert same(d.t_ppf(q, df), stats.t.ppf(q, df))
    assert same(d.t_ppf(q, 12.0), stats.t.ppf(q, 12.0))
    assert same(d.beta_ppf(q, a, b), stats.beta.ppf(q, a, b))
    assert same(d.t_sf(q * 5, df), stats.t.sf(q * 5, df))
    assert same(d.f_sf(q * 5, 3.0, df), stats.f.sf(q * 5, 3.0, df))


def test_scalar_results_are_numpy_floats_like_scipy():
    assert type(d.t_ppf(0.975, 20.0)) is type(stats.t.ppf(0.975, 20.0))
    assert type(d.norm_sf(1.0)) is type(stats.norm.sf(1.0))
    assert isinstance(d.beta_ppf(0.025, 3, 40), float)


def test_binomial_test_is_scipys():
    rng = np.random.default_rng(3)
    cases = [(0, 1, 0.5), (1, 1, 0.5), (3, 10, 0.3), (5, 10, 0.5), (0, 50, 0.02), (50, 50, 0.98), (7, 40, 0.0),
             (40, 40, 1.0), (12, 40, 1.0)]
    for _ in range(400):
        n = int(rng.integers(1, 5000))
        p = float(rng.uniform(0.001, 0.999))
        k = int(np.clip(rng.normal(n * p, 3 * math.sqrt(n * p * (1 - p)) + 1), 0, n))
        cases.append((k, n, p))
    for k, n, p in cases:
        assert d.binom_test_two_sided(k, n, p) == stats.binomtest(k, n, p).pvalue, (k, n, p)
    with pytest.raises(ValueError):
        d.binom_test_two_sided(5, 4, 0.5)
