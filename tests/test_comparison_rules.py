"""The comparison's rules on communes nobody has seen (synthetic, seeded):

* with 25 similar communes tau² is estimated, and equals a hand computation in plain Python
  (Spiegelhalter's winsorised z-scores, written here independently of the module);
* among communes that differ only by chance, no more are flagged than the adjustment allows: the
  family-wise error rate (complete null, BH and Holm) and the false discovery rate (partial null, BH)
  stay within their bound over a fixed set of seeds, while the unadjusted 95 % limits flag far more;
* the same through the whole pipeline on synthetic profiles (build_model).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from analysis.comparison.funnel import Tau2Source, funnel
from analysis.comparison.change import adjust_changes, wave_change
from analysis.comparison.family import change_family, funnel_family
from analysis.core.multiple_testing import Verdict
from survey.comparison.loading import profile_data
from survey.comparison.model import build_model
from survey.comparison.synthetic import synthetic_profile

ALPHA = 0.05


def _quantile_type7(values: list[float], q: float) -> float:
    x = sorted(values)
    h = (len(x) - 1) * q
    lo = math.floor(h)
    return x[lo] + (h - lo) * (x[min(lo + 1, len(x) - 1)] - x[lo])


def _hand_tau2(pairs: list[tuple[float, float]]) -> float:
    """Spiegelhalter (2005): arcsine scale, z-scores around the inverse-variance mean, winsorised at the
    10th/90th percentiles, phi = mean z², tau² = (k phi - (k - 1)) / (Σw - Σw²/Σw), at least 0."""
    ys = [math.asin(math.sqrt(p)) for p, _ in pairs]
    ss = [se / (2.0 * math.sqrt(p * (1.0 - p))) for p, se in pairs]
    ws = [1.0 / s ** 2 for s in ss]
    y0 = sum(w * y for w, y in zip(ws, ys)) / sum(ws)
    z = [(y - y0) / s for y, s in zip(ys, ss)]
    lo, hi = _quantile_type7(z, 0.1), _quantile_type7(z, 0.9)
    zw = [min(max(v, lo), hi) for v in z]
    k = len(pairs)
    phi = sum(v * v for v in zw) / k
    return max(0.0, (k * phi - (k - 1)) / (sum(ws) - sum(w * w for w in ws) / sum(ws)))


def test_tau2_of_25_similar_synthetic_communes_equals_hand_computation(tmp_path: Path):
    documents = [synthetic_profile(i, seed=11) for i in range(25)]
    model = build_model([profile_data(tmp_path / f"p{i}.json", d) for i, d in enumerate(documents)], draws=200)
    checked = 0
    for indicator in ("unsicher_nachts", "meidet_orte", "vertrauen_polizei_hoch", "problem_gross_muell"):
        f = model.indicator(indicator).direct.funnel
        assert f.k == 25
        assert f.overdispersion.source is Tau2Source.ESTIMATED
        pairs = []
        for d in documents:
            record = next(r for r in d["indicators"] if r["id"] == indicator)
            pairs.append((record["estimate"], record["se"]))
        expected = _hand_tau2(pairs)
        assert f.tau2 == pytest.approx(expected, rel=1e-10, abs=1e-15)
        checked += expected > 0
    assert checked >= 2  # the synthetic communes really differ: tau² is positive, not trivially 0


def _null_funnels(rng: np.random.Generator, communes: int, indicators: int, shifted: dict | None = None):
    keys = [f"c{i}" for i in range(communes)]
    funnels, truth = [], set()
    for j in range(indicators):
        p0 = rng.uniform(0.1, 0.6)
        n = rng.integers(150, 900, communes)
        deff = rng.uniform(1.1, 1.6, communes)
        true = np.full(communes, p0)
        for i in (shifted or {}).get(j, ()):
            true[i] = min(0.95, p0 + 0.25)
            truth.add((f"i{j}", keys[i]))
        estimate = np.clip(rng.normal(true, np.sqrt(deff * true * (1 - true) / n)), 0.01, 0.99)
        se = np.sqrt(deff * estimate * (1 - estimate) / n)
        funnels.append(funnel(f"i{j}", keys, list(estimate), list(se)))
    return funnels, truth


@pytest.mark.parametrize("communes", [10, 25])
def test_family_wise_error_under_the_complete_null_stays_within_alpha(communes):
    seeds = range(600)
    any_flag_bh, any_outside = 0, 0
    for seed in seeds:
        funnels, _ = _null_funnels(np.random.default_rng(seed), communes, 11)
        family = funnel_family("null", funnels)
        any_flag_bh += family.clear > 0
        any_outside += family.outside_95 > 0
    rate = any_flag_bh / len(seeds)
    bound = ALPHA + 3 * math.sqrt(ALPHA * (1 - ALPHA) / len(seeds))
    assert rate <= bound, f"FWER {rate:.3f} above {bound:.3f}"
    assert any_outside / len(seeds) > 0.9  # without the adjustment nearly every comparison "finds" something


def test_false_discovery_rate_with_some_real_differences_stays_within_alpha():
    """30 communes, four of 330 commune × indicator values really differ (with few communes a strong
    outlier also moves the overall value the others are compared with; that is a real difference to the
    overall value, not a chance finding, so this test uses enough communes for the overall value to be
    robust)."""
    seeds = range(300)
    fdp, found = [], 0
    for seed in seeds:
        rng = np.random.default_rng(1000 + seed)
        funnels, truth = _null_funnels(rng, 30, 11, shifted={0: (3,), 4: (7,), 9: (1, 20)})
        family = funnel_family("partial", funnels)
        flagged = {(m.indicator, m.key) for m in family.members if m.verdict is Verdict.CLEAR}
        fdp.append(len(flagged - truth) / max(len(flagged), 1))
        found += len(flagged & truth)
    fdr = float(np.mean(fdp))
    bound = ALPHA + 3 * float(np.std(fdp)) / math.sqrt(len(seeds))
    assert fdr <= bound, f"FDR {fdr:.3f} above {bound:.3f}"
    assert found / (4 * len(seeds)) > 0.8  # the real differences are found


def test_holm_bounds_the_family_wise_error_of_changes():
    seeds = range(600)
    any_clear, any_nominal = 0, 0
    for seed in seeds:
        rng = np.random.default_rng(5000 + seed)
        changes = []
        for j in range(30):
            p0 = rng.uniform(0.1, 0.6)
            se1, se2 = (math.sqrt(p0 * (1 - p0) / n) for n in rng.integers(250, 500, 2))
            changes.append(wave_change(f"i{j}", 2025, rng.normal(p0, se1), se1, 2027, rng.normal(p0, se2), se2))
        family = change_family("c", adjust_changes(changes, "holm"))
        any_clear += family.clear > 0
        any_nominal += family.outside_95 > 0
    bound = ALPHA + 3 * math.sqrt(ALPHA * (1 - ALPHA) / len(seeds))
    assert any_clear / len(seeds) <= bound
    assert any_nominal / len(seeds) > 0.7


def test_whole_pipeline_flags_no_more_chance_differences_than_allowed(tmp_path: Path):
    """Synthetic profiles of communes without any true difference (spread 0), through build_model."""
    seeds = range(60)
    flagged_any, outside_any = 0, 0
    for seed in seeds:
        documents = [synthetic_profile(i, seed=7000 + seed, spread=0.0) for i in range(6)]
        model = build_model([profile_data(tmp_path / f"{i}.json", d) for i, d in enumerate(documents)], draws=50)
        family = model.families["direct"]
        assert family.tests == 6 * 11
        flagged_any += family.clear > 0
        outside_any += family.outside_95 > 0
    # BH under the complete null: P(any flag) <= 5 %; allow three binomial standard errors for 60 seeds
    assert flagged_any / len(seeds) <= ALPHA + 3 * math.sqrt(ALPHA * (1 - ALPHA) / len(seeds))
    assert outside_any / len(seeds) > 0.8
