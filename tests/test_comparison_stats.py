"""Comparison statistics against independent computations (to 1e-6):

* tau² (DerSimonian-Laird) against statsmodels ``combine_effects(..., method_re="dl")``;
* winsorised tau² (Spiegelhalter 2005) and funnel limits against a hand computation in numpy;
* Fay-Herriot REML sigma² against a direct numerical maximisation of the restricted log-likelihood
  (scipy), the FH moment estimator against its defining equation, EBLUP and Prasad-Rao MSE by hand;
* rank intervals and wave changes against closed forms.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import optimize, stats
from statsmodels.stats.meta_analysis import combine_effects

from analysis.comparison import compare_indicator, fay_herriot, funnel, rank_intervals, wave_change
from analysis.errors import AnalysisError

KEYS = [f"k{i}" for i in range(8)]
P = np.array([0.30, 0.35, 0.40, 0.52, 0.18, 0.33, 0.45, 0.27])
SE = np.array([0.020, 0.030, 0.025, 0.040, 0.030, 0.020, 0.035, 0.022])


def test_tau2_dl_matches_statsmodels():
    result = funnel("x", KEYS, list(P), list(SE), method="dl")
    y = np.arcsin(np.sqrt(P))
    s = SE / (2 * np.sqrt(P * (1 - P)))
    reference = combine_effects(y, s ** 2, method_re="dl")
    assert result.tau2 > 0
    assert result.tau2 == pytest.approx(reference.tau2, abs=1e-10)
    fixed = np.sum(y / s ** 2) / np.sum(1 / s ** 2)
    assert result.target_scaled == pytest.approx(fixed, abs=1e-12)
    assert result.target == pytest.approx(math.sin(fixed) ** 2, abs=1e-12)


def test_delta_method_se_equals_effective_n_form():
    result = funnel("x", KEYS, list(P), list(SE))
    n_eff = P * (1 - P) / SE ** 2
    for point, n in zip(result.points, n_eff):
        assert point.s == pytest.approx(1 / (2 * math.sqrt(n)), rel=1e-12)
        assert point.precision == pytest.approx(n, rel=1e-12)


def test_winsorised_tau2_and_limits_by_hand():
    result = funnel("x", KEYS, list(P), list(SE), method="winsorised")
    y = np.arcsin(np.sqrt(P))
    s = SE / (2 * np.sqrt(P * (1 - P)))
    w = 1 / s ** 2
    y0 = np.sum(w * y) / np.sum(w)
    z = (y - y0) / s
    lo, hi = np.quantile(z, [0.1, 0.9])
    zw = np.clip(z, lo, hi)
    k = len(P)
    tau2 = max(0.0, (np.sum(zw ** 2) - (k - 1)) / (np.sum(w) - np.sum(w ** 2) / np.sum(w)))
    assert result.tau2 == pytest.approx(tau2, abs=1e-12)
    # limits at a commune's precision and on the plotting grid
    for level, zq in ((0.95, 1.959963984540054), (0.998, 3.090232306167813)):
        for i in range(k):
            half = zq * math.sqrt(s[i] ** 2 + tau2)
            expect = (math.sin(max(y0 - half, 0)) ** 2, math.sin(min(y0 + half, math.pi / 2)) ** 2)
            assert result.limit_at(s[i], level) == pytest.approx(expect, abs=1e-9)
        grid = np.array(result.limits.precision)
        half = zq * np.sqrt(1 / (4 * grid) + tau2)
        assert np.allclose(result.limits.upper[level], np.sin(np.clip(y0 + half, 0, np.pi / 2)) ** 2, atol=1e-12)
        assert np.allclose(result.limits.lower[level], np.sin(np.clip(y0 - half, 0, np.pi / 2)) ** 2, atol=1e-12)
    # overdispersed z-scores and positions
    zod = (y - y0) / np.sqrt(s ** 2 + tau2)
    assert [p.z for p in result.points] == pytest.approx(list(zod), abs=1e-12)


def test_positions_outside_limits():
    p = list(P) + [0.85]
    se = list(SE) + [0.02]
    result = funnel("x", KEYS + ["aus"], p, se, method="none")
    assert result.tau2 == 0.0
    assert result.point("aus").position == "über 99,8 %"
    assert any(pt.position == "innerhalb" for pt in result.points)


def test_identity_scale_for_means_matches_statsmodels():
    means = [1.9, 2.1, 2.0, 2.3, 1.7]
    ses = [0.03, 0.05, 0.04, 0.06, 0.03]
    result = funnel("m", KEYS[:5], means, ses, scale="identity")
    reference = combine_effects(np.array(means), np.array(ses) ** 2, method_re="dl")
    assert result.tau2 == pytest.approx(reference.tau2, abs=1e-10)
    assert result.points[0].precision == pytest.approx(1 / 0.03 ** 2)


def test_funnel_excludes_unusable_and_needs_two():
    result = funnel("x", ["a", "b", "c", "d"], [0.3, None, 0.0, 0.4], [0.02, 0.02, 0.01, 0.03])
    assert result.excluded == ("b", "c")
    assert result.k == 2
    with pytest.raises(AnalysisError, match="weniger als zwei Kommunen"):
        funnel("x", ["a", "b"], [0.3, None], [0.02, 0.03])


def _reml_by_optimiser(y, psi):
    def neg(s2):
        v = s2 + psi
        w = 1 / v
        beta = np.sum(w * y) / np.sum(w)
        return 0.5 * (np.sum(np.log(v)) + np.log(np.sum(w)) + np.sum(w * (y - beta) ** 2))
    return optimize.minimize_scalar(neg, bounds=(0, 1), method="bounded", options={"xatol": 1e-13}).x


def test_fay_herriot_reml_eblup_and_mse_by_hand():
    result = fay_herriot("x", KEYS, list(P), list(SE), method="reml")
    psi = SE ** 2
    s2 = _reml_by_optimiser(P, psi)
    assert result.converged
    assert result.sigma2_v == pytest.approx(s2, abs=1e-8)
    s2 = result.sigma2_v
    w = 1 / (s2 + psi)
    beta = np.sum(w * P) / np.sum(w)
    gamma = s2 / (s2 + psi)
    eb = gamma * P + (1 - gamma) * beta
    g1 = gamma * psi
    g2 = (1 - gamma) ** 2 / np.sum(w)
    g3 = psi ** 2 / (s2 + psi) ** 3 * (2 / np.sum(w ** 2))
    mse = g1 + g2 + 2 * g3
    assert result.beta[0] == pytest.approx(beta, abs=1e-12)
    for i, e in enumerate(result.estimates):
        assert e.eb == pytest.approx(eb[i], abs=1e-12)
        assert e.shrinkage == pytest.approx(psi[i] / (psi[i] + s2), abs=1e-12)
        assert e.mse == pytest.approx(mse[i], abs=1e-12)
        assert e.mse < psi[i]  # EB is more precise than the direct estimate
    # the most uncertain commune is shrunk most
    b = [e.shrinkage for e in result.estimates]
    assert int(np.argmax(b)) == int(np.argmax(SE))


def test_fay_herriot_moment_estimator_solves_its_equation():
    result = fay_herriot("x", KEYS, list(P), list(SE), method="fh")
    psi = SE ** 2
    s2 = result.sigma2_v
    w = 1 / (s2 + psi)
    beta = np.sum(w * P) / np.sum(w)
    assert np.sum((P - beta) ** 2 * w) == pytest.approx(len(P) - 1, abs=1e-6)


def test_fay_herriot_no_between_variance_gives_synthetic():
    p = [0.30, 0.301, 0.299, 0.30]
    result = fay_herriot("x", KEYS[:4], p, [0.05] * 4)
    assert result.sigma2_v == 0.0
    assert all(e.shrinkage == 1.0 for e in result.estimates)
    assert all(e.eb == pytest.approx(np.mean(p)) for e in result.estimates)


def test_rank_intervals_by_simulation_are_reproducible_and_cover():
    first = rank_intervals("x", KEYS, list(P), list(SE), draws=4000, seed=7)
    again = rank_intervals("x", KEYS, list(P), list(SE), draws=4000, seed=7)
    assert first == again
    top = first.rank("k3")  # 0.52 with se 0.04: clearly highest
    assert top.point_rank == 1 and top.low == 1 and top.high <= 2
    low = first.rank("k4")  # 0.18: lowest
    assert low.point_rank == 8 and low.high == 8
    for r in first.ranks:
        assert r.low <= r.point_rank <= r.high


def test_rank_intervals_of_exactly_known_values_are_points():
    result = rank_intervals("x", ["a", "b", "c"], [0.1, 0.3, 0.2], [0.0, 0.0, 0.0])
    assert [(r.key, r.low, r.high) for r in result.ranks] == [("a", 3, 3), ("b", 1, 1), ("c", 2, 2)]


def test_wave_change_wald_test_by_hand():
    change = wave_change("x", 2025, 0.485, 0.026, 2027, 0.430, 0.025)
    se = math.sqrt(0.026 ** 2 + 0.025 ** 2)
    assert change.difference == pytest.approx(-0.055)
    assert change.se == pytest.approx(se)
    assert change.ci_low == pytest.approx(-0.055 - 1.959963984540054 * se)
    assert change.p_value == pytest.approx(2 * stats.norm.sf(0.055 / se))
    assert not change.significant
    assert wave_change("x", 2025, None, 0.02, 2027, 0.4, 0.02) is None


def test_compare_indicator_collects_notes_for_too_few():
    result = compare_indicator("x", "proportion", ["a", "b", "c"], [0.3, None, None], [0.02, None, None])
    assert result.funnel is None and result.fay_herriot is None
    assert any("weniger als zwei" in note for note in result.notes)
