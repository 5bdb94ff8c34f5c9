"""estimation.domain_difference: contrast of two domains of one design, with their covariance."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from analysis.core.design import make_design
from analysis.core.estimation import domain_difference, domain_mean_influence, proportion
from test_regression import musterstadt


@pytest.fixture(scope="module")
def muster(musterstadt_dir):
    return musterstadt(musterstadt_dir)


def test_equals_variance_of_influence_contrast_and_differs_from_independent(muster):
    responses, design, _ = muster
    y = responses["unsicher_nachts"].to_numpy(dtype=float)
    women = (responses["geschlecht"] == 2).to_numpy()
    got = domain_difference(design, y, women, ~women)
    a, b = proportion(design, y, women), proportion(design, y, ~women)
    assert got.estimate == pytest.approx(a.estimate - b.estimate, rel=1e-12)
    _, z_a, _ = domain_mean_influence(design, y, women)
    _, z_b, _ = domain_mean_influence(design, y, ~women)
    assert got.se == pytest.approx(math.sqrt(design.variance_of_total(z_a - z_b)), rel=1e-12)
    # calibration on geschlecht couples the two domains: not the independent-samples SE
    assert got.se != pytest.approx(math.hypot(a.se, b.se), rel=1e-3)
    q = stats.t.ppf(0.975, design.degf)
    assert (got.ci_low, got.ci_high) == pytest.approx((got.estimate - q * got.se, got.estimate + q * got.se))
    assert got.p_value == pytest.approx(2 * stats.t.sf(abs(got.estimate / got.se), design.degf))


def test_srs_disjoint_domains_have_independent_variances():
    """Uncalibrated SRS with replacement: disjoint domain means are uncorrelated up to the n/(n-1) terms."""
    rng = np.random.default_rng(5)
    y = rng.random(400)
    group = rng.random(400) < 0.4
    design = make_design(weights=np.full(400, 10.0))
    got = domain_difference(design, y, group, ~group)
    _, z_a, _ = domain_mean_influence(design, y, group)
    _, z_b, _ = domain_mean_influence(design, y, ~group)
    independent = math.sqrt(design.variance_of_total(z_a) + design.variance_of_total(z_b))
    assert got.se == pytest.approx(independent, rel=1e-2)


def test_empty_domain_gives_german_reason():
    design = make_design(weights=np.full(20, 5.0))
    got = domain_difference(design, np.ones(20), np.zeros(20, bool), np.ones(20, bool))
    assert got.estimate is None and got.reason == "empty"
