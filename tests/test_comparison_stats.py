"""Comparison statistics against independent computations (to 1e-6):

* tau² (DerSimonian-Laird) against statsmodels ``combine_effects(..., method_re="dl")``;
* winsorised tau² (Spiegelhalter 2005) and funnel limits against a hand computation in numpy;
* the tau² rule (estimated only from 20 communes, fixed from an earlier comparison, else sampling error
  alone) and the two readings of each commune;
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

from analysis.comparison.funnel import Position, Tau2Source, funnel
from analysis.comparison.ranks import RankGroup, RankSide, rank_intervals
from analysis.comparison.indicator import compare_indicator
from analysis.comparison.shrinkage import fay_herriot
from analysis.comparison.change import wave_change
from analysis.errors import AnalysisError

KEYS = [f"k{i}" for i in range(8)]
P = np.array([0.30, 0.35, 0.40, 0.52, 0.18, 0.33, 0.45, 0.27])
SE = np.array([0.020, 0.030, 0.025, 0.040, 0.030, 0.020, 0.035, 0.022])


def test_tau2_dl_matches_statsmodels():
    result = funnel("x", KEYS, list(P), list(SE), estimator="dl", min_communes=2)
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
    result = funnel("x", KEYS, list(P), list(SE), estimator="winsorised", min_communes=8)
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
    result = funnel("x", KEYS + ["aus"], p, se, overdispersion=False)
    assert result.tau2 == 0.0 and result.overdispersion.source is Tau2Source.OFF
    out = result.point("aus")
    assert (out.position_95, out.position_998) == (Position.ABOVE, Position.ABOVE)
    assert out.position_95.value == "über"
    assert out.p_value == pytest.approx(2 * stats.norm.sf(out.z), rel=1e-12)
    assert any(pt.position_95 is Position.INSIDE for pt in result.points)


def test_identity_scale_for_means_matches_statsmodels():
    means = [1.9, 2.1, 2.0, 2.3, 1.7]
    ses = [0.03, 0.05, 0.04, 0.06, 0.03]
    result = funnel("m", KEYS[:5], means, ses, scale="identity", estimator="dl", min_communes=5)
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


def test_tau2_rule_too_few_communes_gives_sampling_error_alone():
    result = funnel("x", KEYS, list(P), list(SE))  # 8 communes < 20
    od = result.overdispersion
    assert od.source is Tau2Source.TOO_FEW and od.tau2 == 0.0 and od.min_communes == 20
    assert od.estimate > 0  # what these communes would give, reported, not used
    y = np.arcsin(np.sqrt(P))
    s = SE / (2 * np.sqrt(P * (1 - P)))
    y0 = np.sum(y / s ** 2) / np.sum(1 / s ** 2)
    for point, yi, si in zip(result.points, y, s):
        assert point.z == pytest.approx((yi - y0) / si, abs=1e-12)
        assert point.reading == point.sampling and not point.readings_disagree
    assert result.limits == result.sampling_limits


def test_fixed_tau2_is_used_and_both_readings_are_kept():
    result = funnel("x", KEYS, list(P), list(SE), tau2_fixed=0.01)
    assert result.overdispersion.source is Tau2Source.FIXED and result.tau2 == 0.01
    y = np.arcsin(np.sqrt(P))
    s = SE / (2 * np.sqrt(P * (1 - P)))
    y0 = np.sum(y / s ** 2) / np.sum(1 / s ** 2)
    z_od = (y - y0) / np.sqrt(s ** 2 + 0.01)
    z_s = (y - y0) / s
    assert [p.z for p in result.points] == pytest.approx(list(z_od), abs=1e-12)
    assert [p.sampling.z for p in result.points] == pytest.approx(list(z_s), abs=1e-12)
    # k3 (0.52) is outside on sampling error alone but inside with the usual spread between communes
    k3 = result.point("k3")
    assert k3.sampling.position_998 is Position.ABOVE and k3.position_95 is Position.INSIDE
    assert k3.readings_disagree
    with pytest.raises(ValueError, match="finite"):
        funnel("x", KEYS, list(P), list(SE), tau2_fixed=-1.0)


def test_tau2_estimated_from_twenty_communes():
    rng = np.random.default_rng(5)
    p = list(rng.uniform(0.2, 0.5, 20))
    se = list(rng.uniform(0.02, 0.035, 20))
    keys = [f"c{i}" for i in range(20)]
    assert funnel("x", keys, p, se).overdispersion.source is Tau2Source.ESTIMATED
    assert funnel("x", keys[:19], p[:19], se[:19]).overdispersion.source is Tau2Source.TOO_FEW
    assert funnel("x", keys, p, se, min_communes=21).overdispersion.source is Tau2Source.TOO_FEW


def test_rank_classes_follow_the_rank_interval():
    # five clearly separated communes: every rank known, classes name the extremes
    result = rank_intervals("x", list("abcde"), [0.10, 0.30, 0.50, 0.70, 0.90], [0.001] * 5)
    classes = {r.key: r.rank_class for r in result.ranks}
    assert (classes["e"].side, classes["e"].group, classes["e"].size) == (RankSide.HIGHEST, RankGroup.COUNT, 1)
    assert (classes["a"].side, classes["a"].size) == (RankSide.LOWEST, 1)
    assert classes["d"].side is RankSide.HIGHEST and classes["d"].size == 2
    assert classes["c"].side is RankSide.UNCLEAR  # the middle of five: no group of at most two contains it
    # two close low communes: together the two lowest, individually open
    result = rank_intervals("x", list("abcde"), [0.20, 0.205, 0.50, 0.51, 0.52], [0.01] * 5, seed=3)
    for key in "ab":
        c = result.rank(key).rank_class
        assert (c.side, c.size) == (RankSide.LOWEST, 2)
        assert result.rank(key).low >= 4  # the words never contradict the interval
    assert result.rank("c").rank_class.side is RankSide.UNCLEAR


def test_rank_classes_for_many_communes_use_quarters_and_the_middle():
    k = 40
    values = list(np.linspace(0.1, 0.9, k))
    result = rank_intervals("x", [f"c{i}" for i in range(k)], values, [0.004] * k, seed=1)
    top = result.rank(f"c{k - 1}").rank_class
    assert top.side is RankSide.HIGHEST and top.group is RankGroup.COUNT and top.size <= 2
    middle = result.rank("c20").rank_class
    assert middle.side is RankSide.MIDDLE
    for r in result.ranks:
        c = r.rank_class
        if c.side is RankSide.HIGHEST:
            assert r.high <= c.size
        elif c.side is RankSide.LOWEST:
            assert r.low > k - c.size
        elif c.side is RankSide.MIDDLE:
            assert k // 4 < r.low and r.high <= k - k // 4
    wide = rank_intervals("x", [f"c{i}" for i in range(k)], values, [0.06] * k, seed=1)
    groups = {r.rank_class.group for r in wide.ranks}
    assert RankGroup.QUARTER in groups or RankGroup.HALF in groups


def test_fay_herriot_only_with_as_many_communes_as_tau2():
    """With a handful of communes σᵥ² is as unreliable as τ²: no shrinkage below the threshold, and with
    enough communes the EBLUP equals the direct call."""
    rng = np.random.default_rng(5)
    few = compare_indicator("x", "proportion", KEYS, list(P), list(SE))
    assert len(KEYS) < 20 and few.fay_herriot is None and few.funnel is not None
    keys = [f"k{i}" for i in range(25)]
    p = list(rng.uniform(0.2, 0.5, 25))
    se = list(rng.uniform(0.015, 0.04, 25))
    many = compare_indicator("x", "proportion", keys, p, se)
    assert many.fay_herriot == fay_herriot("x", keys, p, se)
    lowered = compare_indicator("x", "proportion", KEYS, list(P), list(SE), min_communes=len(KEYS))
    assert lowered.fay_herriot == fay_herriot("x", KEYS, list(P), list(SE))
