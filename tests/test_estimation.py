"""Estimation: intervals, differences, by-groups, degenerate proportions."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import stats

from analysis.core import estimation
from analysis.core.design import make_design
from analysis.core.intervals import beta_interval, logit_interval, wilson_interval
from analysis.core.results import Estimate

RNG = np.random.default_rng(3)


def test_logit_interval_closed_form():
    low, high = logit_interval(0.3, 0.02, 100)
    t = stats.t.ppf(0.975, 100)
    half = t * 0.02 / (0.3 * 0.7)
    assert_allclose([low, high], 1 / (1 + np.exp(-(np.log(0.3 / 0.7) + np.array([-half, half])))))


def test_wilson_interval_closed_form_and_bounds():
    p, se, df = 0.1, 0.03, 50
    n_eff, t = p * (1 - p) / se**2, stats.t.ppf(0.975, df)
    centre = (p + t**2 / (2 * n_eff)) / (1 + t**2 / n_eff)
    half = t / (1 + t**2 / n_eff) * np.sqrt(p * (1 - p) / n_eff + t**2 / (4 * n_eff**2))
    assert_allclose(wilson_interval(p, se, df), [centre - half, centre + half])
    assert 0 < wilson_interval(0.01, 0.01, 50)[0]


def test_beta_interval_srs_is_clopper_pearson():
    """With nrow = df + 1 and se² = p(1-p)/n the KG interval is the exact binomial interval."""
    n, x = 80, 12
    p = x / n
    low, high = beta_interval(p, np.sqrt(p * (1 - p) / n), n, n - 1)
    assert_allclose([low, high], [stats.beta.ppf(0.025, x, n - x + 1), stats.beta.ppf(0.975, x + 1, n - x)])


def test_degenerate_proportion_gets_one_sided_exact_bound():
    design = make_design(weights=np.ones(50))
    got = estimation.proportion(design, np.zeros(50))
    assert got.estimate == 0 and got.se == 0 and got.ci_low == 0
    assert_allclose(got.ci_high, 1 - 0.025 ** (1 / 50))


def test_difference_of_independent_estimates():
    a = Estimate(0.40, 0.02, 0, 0, 400, 1, 1, "ok", 100, "logit")
    b = Estimate(0.30, 0.03, 0, 0, 300, 1, 1, "ok", 100, "logit")
    d = estimation.difference(a, b)
    se = np.sqrt(0.02**2 + 0.03**2)
    assert_allclose([d.estimate, d.se, d.z], [0.10, se, 0.10 / se])
    assert_allclose(d.p_value, 2 * stats.norm.sf(0.10 / se))
    assert_allclose([d.ci_low, d.ci_high], [0.10 - 1.959963984540054 * se, 0.10 + 1.959963984540054 * se])
    suppressed = Estimate(None, None, None, None, 5, 1, None, "unterdrueckt", 100, "logit")
    assert estimation.difference(a, suppressed).estimate is None


def test_by_groups_missing_group_values_stay_in_design():
    n = 300
    y = (RNG.random(n) < 0.4).astype(float)
    groups = RNG.choice(np.array([1.0, 2.0, np.nan]), n)
    design = make_design(strata=RNG.integers(0, 2, n), fpc={0: 1000, 1: 1000})
    by = estimation.by_groups(design, y, groups)
    assert set(by) == {1, 2}
    for g in (1, 2):
        one = estimation.proportion(design, y, domain=groups == g)
        assert_allclose([by[g].estimate, by[g].se, by[g].ci_low, by[g].deff], [one.estimate, one.se, one.ci_low, one.deff],
                        rtol=1e-10)
        assert (by[g].n, by[g].flag) == (one.n, one.flag)
    assert by[1].n + by[2].n == int((~np.isnan(groups)).sum())


def test_small_domains_are_flagged_and_suppressed():
    n = 200
    y = (RNG.random(n) < 0.5).astype(float)
    design = make_design(weights=np.ones(n))
    small = np.zeros(n, bool)
    small[:9] = True
    got = estimation.proportion(design, y, domain=small)
    assert got.flag == "unterdrueckt" and got.estimate is None and got.se is None and got.ci_low is None
    assert got.n == 9
    small[:20] = True
    assert estimation.proportion(design, y, domain=small).flag == "unsicher"
    assert estimation.proportion(design, y).flag == "ok"


def test_total_and_mean_deff_consistent():
    n = 500
    y = RNG.normal(10, 2, n)
    w = RNG.uniform(1, 5, n)
    design = make_design(weights=w)
    m = estimation.mean(design, y)
    t = estimation.total(design, y)
    assert_allclose(t.estimate, (w * y).sum())
    svyvar = n / (n - 1) * (w * (y - m.estimate) ** 2).sum() / w.sum()
    assert_allclose(m.deff, m.se**2 / (svyvar / n))
    assert_allclose(t.deff, t.se**2 / (svyvar * w.sum() ** 2 / n))  # R svytotal(deff="replace")
    assert m.df == n - 1
    with pytest.raises(ValueError):
        estimation.mean(design, y[:10])
