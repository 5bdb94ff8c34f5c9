"""Design construction and the variance core: SRS formulas, fpc, domains, errors."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from numpy.testing import assert_allclose

from analysis.core import estimation
from analysis.core.design import make_design
from analysis.errors import AnalysisError, LonelyStratumError

RNG = np.random.default_rng(5)


def test_equal_weights_give_srs_formulas():
    y = RNG.normal(size=200)
    N = 5000
    design = make_design(strata=np.zeros(200), fpc={0: N})
    assert_allclose(design.weights, N / 200)
    assert design.degf == 199
    got = estimation.mean(design, y)
    assert_allclose(got.estimate, y.mean())
    assert_allclose(got.se, np.sqrt((1 - 200 / N) * y.var(ddof=1) / 200), rtol=1e-12)
    # without fpc: with replacement
    got = estimation.mean(make_design(weights=np.ones(200)), y)
    assert_allclose(got.se, np.sqrt(y.var(ddof=1) / 200), rtol=1e-12)
    assert_allclose(got.deff, 1.0, rtol=1e-12)


def test_total_variance_stratified_formula():
    strata = np.repeat([0, 1, 2], [30, 50, 20])
    y = RNG.normal(size=100)
    N = {0: 300, 1: 1000, 2: 20}
    design = make_design(strata=strata, fpc=N)
    want = 0.0
    for h, Nh in N.items():
        yh = y[strata == h]
        nh = len(yh)
        want += Nh**2 * (1 - nh / Nh) * yh.var(ddof=1) / nh
    got = estimation.total(design, y)
    assert_allclose(got.estimate, sum(N[h] * y[strata == h].mean() for h in N))
    assert_allclose(got.se**2, want, rtol=1e-12)  # stratum 2 is a census: contributes 0


def test_domain_covering_everyone_equals_full_estimate():
    y = (RNG.random(300) < 0.3).astype(float)
    design = make_design(strata=RNG.integers(0, 3, 300), fpc={0: 900, 1: 800, 2: 700})
    full = estimation.proportion(design, y)
    dom = estimation.proportion(design, y, domain=np.ones(300, bool))
    assert full == dom


def test_domain_keeps_rows_zero_influence_outside():
    """Domain variance uses all PSUs of each stratum (R: subset keeps the design), not a re-drawn sample."""
    y = RNG.normal(size=100)
    strata = np.repeat([0, 1], 50)
    dom = RNG.random(100) < 0.4
    design = make_design(strata=strata, fpc={0: 500, 1: 500})
    got = estimation.total(design, y, domain=dom)
    want = 0.0
    for h in (0, 1):
        t = np.where(dom, y, 0.0)[strata == h] * 10
        want += (1 - 50 / 500) * 50 / 49 * ((t - t.mean()) ** 2).sum()
    assert_allclose(got.se**2, want, rtol=1e-12)


def test_covariance_matrix_and_clustered_equals_unclustered_when_singletons():
    z = RNG.normal(size=(120, 3))
    strata = RNG.integers(0, 2, 120)
    plain = make_design(strata=strata, weights=RNG.uniform(1, 3, 120))
    clustered = make_design(strata=strata, weights=plain.weights, clusters=np.arange(120))
    cov = plain.variance_of_total(z)
    assert cov.shape == (3, 3)
    assert_allclose(cov, clustered.variance_of_total(z), rtol=1e-12)
    assert_allclose(np.diag(cov), [plain.variance_of_total(z[:, j]) for j in range(3)], rtol=1e-12)


def test_fast_grouped_path_equals_generic_path():
    n = 400
    y = np.where(RNG.random(n) < 0.1, np.nan, RNG.integers(1, 5, n).astype(float))
    groups = RNG.integers(0, 4, n)
    design = make_design(strata=RNG.integers(0, 3, n), fpc={0: 2000, 1: 3000, 2: 1000})
    fast = estimation.by_groups(design, y, groups, kind="mean")
    slow = estimation.by_groups(dataclasses.replace(design, clustered=True), y, groups, kind="mean")
    for g in fast:
        assert_allclose([fast[g].estimate, fast[g].se, fast[g].deff], [slow[g].estimate, slow[g].se, slow[g].deff],
                        rtol=1e-10)


def test_lonely_psu_fails_only_at_the_variance():
    """As R: a design with a lonely stratum can be built (and calibrated); its variance cannot."""
    design = make_design(strata=[1, 1, 1, 2], fpc={1: 100, 2: 100})
    assert design.lonely.tolist() == [False, True] and design.lonely_labels == (2,)
    with pytest.raises(LonelyStratumError, match="Schicht 2 enthält nur eine Erhebungseinheit") as error:
        estimation.mean(design, np.array([1.0, 2.0, 3.0, 4.0]))
    assert error.value.strata == (2,)
    # a stratum sampled completely (certainty) is fine
    design = make_design(strata=[1, 1, 1, 2], fpc={1: 100, 2: 1})
    assert design.stratum_scale[1] == 0 and not design.lonely.any()
    estimation.mean(design, np.array([1.0, 2.0, 3.0, 4.0]))
    with pytest.raises(ValueError, match="lonely_psu"):
        make_design(strata=[1, 2], fpc={1: 10, 2: 10}, lonely_psu="mitteln")


def test_domain_degf_counts_psus_and_strata_in_the_domain():
    strata = np.repeat([0, 1, 2], [5, 4, 3])
    design = make_design(strata=strata, fpc={0: 50, 1: 40, 2: 30})
    domain = np.zeros(12, bool)
    domain[[0, 1, 2, 5]] = True  # 3 PSUs in stratum 0, 1 in stratum 1
    assert design.domain_degf(domain) == 4 - 2
    codes = np.array([0, 0, 1, 1, 1, 0, 1, 1, 1, -1, -1, 0])
    assert design.group_degf(codes, 2).tolist() == [design.domain_degf(codes == 0), design.domain_degf(codes == 1)]
    assert design.domain_rows(domain) == 4  # uncalibrated: R drops the other rows


def test_design_errors_are_german():
    with pytest.raises(AnalysisError, match="Für die Schicht 3 fehlt die Einwohnerzahl"):
        make_design(strata=[1, 1, 3, 3], fpc={1: 10})
    with pytest.raises(AnalysisError, match="wurden 3 Einheiten befragt, die Grundgesamtheit umfasst aber nur 2"):
        make_design(strata=[1, 1, 1], fpc={1: 2})
    with pytest.raises(AnalysisError, match="Designgewicht in Zeile 2 ist ungültig"):
        make_design(weights=[1.0, -1.0, 2.0])
    with pytest.raises(AnalysisError, match="Ohne Gewichte braucht das Design"):
        make_design(strata=[1, 1, 2, 2])
