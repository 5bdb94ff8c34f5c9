"""analysis.findings: one test per finding kind with values computed here by hand (numpy/scipy on the
formulas, not through the engine), plus the multiple-testing, strength and serialisation contracts.

The hand computations use an unstratified design with weights and no fpc (sampling with replacement),
for which the design variance of a linearised total is ``n/(n-1) Σ (u_i - ū)²`` with ``u_i = w_i z_i``,
and a domain mean has influence ``z_i = 1_D(i) (y_i - ȳ_D) / W_D``.
"""

from __future__ import annotations

import json
import math

import jsonschema
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.crime.rates import rate_ratio
from analysis.crime.trend import crime_trend
from analysis.core.design import make_design
from analysis.findings import (
    DEFAULT_RULE, FAMILY_SCHEMA, FINDING_SCHEMA, Direction, Effect, EffectKind, EstimateRef, Finding, FindingKind, Strength, Test, adjust,
    adjust_families, association_findings, breakdown_finding, change_findings, classify, compute_findings,
    family_summaries, group_ranking, groupings, indicator_table, item_ranking, reference_findings, strength,
    subgroup_findings, trend_findings,
)
from analysis.core.indicators import MeanIndex, ShareIndicator
from analysis.profile.indicators import Breakdown
from analysis.models.logit import svyglm_logit, treatment_matrix

V4 = frozenset({1, 2, 3, 4})
HIGH = frozenset({3, 4})


# -- hand formulas --------------------------------------------------------------------------------------
def srs_variance(w, z):
    u = w * z
    n = len(u)
    return n / (n - 1) * float(((u - u.mean()) ** 2).sum())


def domain_influence(w, y, mask):
    mask = mask & ~np.isnan(y)
    total = w[mask].sum()
    mean = float((w[mask] * y[mask]).sum() / total)
    return mean, np.where(mask, np.nan_to_num(y) - mean, 0.0) / total


def t_p(t, df):
    return 2 * stats.t.sf(abs(t), df)


def share(frame, column):
    """1 for answers 3/4, 0 for 1/2, NaN otherwise (9 keine Angabe, blank)."""
    x = frame[column].to_numpy(dtype=float)
    return np.where(np.isin(x, [1, 2, 3, 4]), np.isin(x, [3, 4]).astype(float), np.nan)


# -- data ------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sample():
    rng = np.random.default_rng(20251)
    n = 240
    group = rng.choice(["1", "2", "3"], size=n, p=[0.45, 0.45, 0.10]).astype(object)
    group[:6] = "4"  # a group of 6: below the disclosure threshold
    group[6] = None  # one respondent without a group: in no group and in no rest
    sicher = np.where(group == "1", rng.choice([1, 2, 3, 4], n, p=[.3, .4, .2, .1]),
                      rng.choice([1, 2, 3, 4], n, p=[.1, .3, .3, .3])).astype(float)
    sicher[10:18] = 9  # keine Angabe: item non-response
    frame = pd.DataFrame({
        "ortsteil": group, "sicher_nacht": sicher,
        "sorge_a": rng.choice([1, 2, 3, 4, 9], n, p=[.1, .1, .3, .45, .05]).astype(float),
        "sorge_b": rng.choice([1, 2, 3, 4, 9], n, p=[.2, .25, .25, .25, .05]).astype(float),
        "sorge_c": rng.choice([1, 2, 3, 4, 9], n, p=[.2, .25, .25, .25, .05]).astype(float),
    })
    frame.loc[frame.index[20:30], "sorge_b"] = np.nan
    weights = rng.uniform(5, 15, n)
    design = make_design(weights=weights)
    specs = [ShareIndicator("unsicher_nachts", "nachts", "sicher_nacht", HIGH, V4),
             ShareIndicator("sorge_a", "a", "sorge_a", HIGH, V4), ShareIndicator("sorge_b", "b", "sorge_b", HIGH, V4),
             ShareIndicator("sorge_c", "c", "sorge_c", HIGH, V4),
             MeanIndex("sicher_mittel", "Mittel", ("sicher_nacht",), V4, 1)]
    return frame, design, specs, weights, share(frame, "sicher_nacht")


# -- 1. subgroup against the rest -------------------------------------------------------------------
def test_subgroup_against_rest_by_hand(sample):
    frame, design, specs, w, y = sample
    indicators, groups = indicator_table(frame, specs), groupings(frame, ["ortsteil"])
    findings = {f.group: f for f in subgroup_findings(design, indicators["unsicher_nachts"], groups["ortsteil"])}
    codes = frame["ortsteil"].to_numpy(dtype=object)
    known = frame["ortsteil"].notna().to_numpy()
    valid = ~np.isnan(y) & known
    df = int(valid.sum()) - 1 - 1  # degf of the subset (one stratum, one PSU per respondent) - 1
    for g in ("1", "2", "3"):
        in_g = valid & (codes == g)
        mean_g, z_g = domain_influence(w, y, in_g)
        mean_r, z_r = domain_influence(w, y, valid & ~in_g)
        se = math.sqrt(srs_variance(w, z_g - z_r))
        got = findings[g]
        assert got.kind is FindingKind.SUBGROUP and got.family == "subgroup:unsicher_nachts:ortsteil"
        assert got.estimates[0].value == pytest.approx(mean_g, rel=1e-12)
        assert got.estimates[1].value == pytest.approx(mean_r, rel=1e-12)  # the rest, not the overall figure
        assert got.estimates[1].n == int((valid & ~in_g).sum())
        assert got.effect.kind is EffectKind.DIFFERENCE_PROPORTION
        assert got.effect.value == pytest.approx(mean_g - mean_r, rel=1e-12)
        assert got.test.df == df
        assert got.test.statistic == pytest.approx((mean_g - mean_r) / se, rel=1e-10)
        assert got.test.p == pytest.approx(t_p((mean_g - mean_r) / se, df), rel=1e-9)
        q = stats.t.ppf(0.975, df)
        assert (got.effect.ci_low, got.effect.ci_high) == pytest.approx((mean_g - mean_r - q * se,
                                                                          mean_g - mean_r + q * se), rel=1e-10)
    small = findings["4"]
    assert small.note == "suppressed" and small.test is None and small.estimates[0].value is None
    assert small.estimates[0].flag == "unterdrueckt"
    raw = {f.group: f for f in subgroup_findings(design, indicators["unsicher_nachts"], groups["ortsteil"], raw=True)}
    assert raw["4"].test is not None and raw["4"].estimates[0].value is not None
    assert raw["4"].estimates[0].flag == "unterdrueckt"  # the flag travels with the raw number
    adjusted = adjust_families(list(findings.values()))
    assert {f.family_size for f in adjusted} == {3}  # the untested group does not count
    assert next(f for f in adjusted if f.group == "4").p_adjusted is None


def test_breakdown_of_a_mean_is_a_wald_test_by_hand(sample):
    frame, design, specs, w, _ = sample
    indicators, groups = indicator_table(frame, specs), groupings(frame, ["ortsteil"])
    indicator = indicators["sicher_mittel"]
    subgroups = subgroup_findings(design, indicator, groups["ortsteil"])
    finding = breakdown_finding(design, indicator, groups["ortsteil"], subgroups)
    y = indicator.values
    codes = frame["ortsteil"].to_numpy(dtype=object)
    valid = ~np.isnan(y) & frame["ortsteil"].notna().to_numpy()
    mean_1, z_1 = domain_influence(w, y, valid & (codes == "1"))
    diffs, columns = [], []
    for g in ("2", "3", "4"):
        mean_g, z_g = domain_influence(w, y, valid & (codes == g))
        diffs.append(mean_g - mean_1)
        columns.append(z_g - z_1)
    u = np.column_stack(columns) * w[:, None]
    u = u - u.mean(axis=0)
    cov = len(w) / (len(w) - 1) * u.T @ u
    b = np.array(diffs)
    f = float(b @ np.linalg.solve(cov, b)) / 3
    ddf = int(valid.sum()) - 1 - 3
    assert finding.kind is FindingKind.BREAKDOWN and finding.test.name == "wald_f"
    assert (finding.test.df, finding.test.df2) == (3, ddf)
    assert finding.test.statistic == pytest.approx(f, rel=1e-10)
    assert finding.test.p == pytest.approx(stats.f.sf(f, 3, ddf), rel=1e-9)
    shown = [e.value for e in finding.estimates]  # group 4 is suppressed: not in the spread
    assert len(shown) == 3 and finding.effect.value == pytest.approx(max(shown) - min(shown))


# -- 2. hotspots --------------------------------------------------------------------------------------
def test_hotspot_screen_uses_polarity_and_benjamini_hochberg(sample):
    frame, design, specs, _, _ = sample
    findings = compute_findings(design, frame, specs, ["ortsteil"], {"unsicher_nachts": 1, "sorge_a": -1},
                                group_rankings=False)
    hotspots = [f for f in findings if f.kind is FindingKind.HOTSPOT]
    assert {f.subject for f in hotspots} == {"unsicher_nachts", "sorge_a"}
    assert {f.family for f in hotspots} == {"hotspot:ortsteil"}
    tested = [f for f in hotspots if f.tested]
    p = np.array([f.p for f in tested])
    m = len(p)
    order = np.argsort(p)
    bh = np.empty(m)
    for rank, index in enumerate(order, start=1):  # min over j >= rank of m/j p_(j)
        bh[index] = min(1.0, min(m / j * p[order[j - 1]] for j in range(rank, m + 1)))
    assert [f.p_adjusted for f in tested] == pytest.approx(list(bh), rel=1e-12)
    assert all(f.adjustment == "bh" and f.family_size == m for f in tested)
    # group 1 feels much safer: for unsicher_nachts (higher is worse) a lower value is not worse
    safe = next(f for f in hotspots if f.subject == "unsicher_nachts" and f.group == "1")
    assert safe.direction is Direction.LOWER and safe.worse is False
    worse = [f for f in hotspots if f.worse]
    assert worse and all(f.direction is not Direction.EQUAL for f in worse)
    for f in hotspots:
        sign = 1 if f.subject == "unsicher_nachts" else -1
        if f.worse:
            assert sign * f.effect.value > 0 and f.p_adjusted < 0.05


# -- 3. rankings --------------------------------------------------------------------------------------
def test_item_ranking_pairs_are_dependent_differences_by_hand(sample):
    frame, design, specs, w, _ = sample
    indicators = indicator_table(frame, specs)
    findings = item_ranking(design, indicators, "sorge", ["sorge_c", "sorge_b", "sorge_a"])
    assert [f.id for f in findings] == ["ranking:sorge:1", "ranking:sorge:2"]
    first = findings[0]
    assert [e.subject for e in first.estimates] == ["sorge_a", first.estimates[1].subject]
    upper, lower = first.estimates
    ya, yb = share(frame, upper.subject), share(frame, lower.subject)
    va, vb = ~np.isnan(ya), ~np.isnan(yb)
    mean_a, z_a = domain_influence(w, ya, va)
    mean_b, z_b = domain_influence(w, yb, vb)
    se = math.sqrt(srs_variance(w, z_a - z_b))
    df = int((va | vb).sum()) - 1 - 1
    assert (upper.rank, lower.rank, upper.role, lower.role) == (1, 2, "upper", "lower")
    assert first.effect.value == pytest.approx(mean_a - mean_b, rel=1e-12)
    assert first.test.df == df
    assert first.test.statistic == pytest.approx((mean_a - mean_b) / se, rel=1e-10)
    assert first.test.p == pytest.approx(t_p((mean_a - mean_b) / se, df), rel=1e-9)
    # the covariance matters: the independent-samples SE differs
    assert se != pytest.approx(math.hypot(math.sqrt(srs_variance(w, z_a)), math.sqrt(srs_variance(w, z_b))), rel=1e-3)
    classified = [classify(f) for f in adjust_families(findings)]
    assert classified[0].direction is Direction.HIGHER  # sorge_a (≈ 75 % high) clearly leads
    assert classified[1].direction is Direction.EQUAL  # b and c have the same distribution: tied


def test_group_ranking_by_hand(sample):
    frame, design, specs, w, y = sample
    indicators, groups = indicator_table(frame, specs), groupings(frame, ["ortsteil"])
    findings = group_ranking(design, indicators["unsicher_nachts"], groups["ortsteil"])
    assert len(findings) == 2  # groups 1, 2, 3 shown; group 4 is suppressed and takes no place
    codes = frame["ortsteil"].to_numpy(dtype=object)
    for f in findings:
        a, b = (e.group for e in f.estimates)
        in_a, in_b = (codes == a) & ~np.isnan(y), (codes == b) & ~np.isnan(y)
        mean_a, z_a = domain_influence(w, y, in_a)
        mean_b, z_b = domain_influence(w, y, in_b)
        se = math.sqrt(srs_variance(w, z_a - z_b))
        df = int((in_a | in_b).sum()) - 1 - 1
        assert mean_a >= mean_b and f.effect.value == pytest.approx(mean_a - mean_b, rel=1e-12)
        assert f.test.df == df and f.test.p == pytest.approx(t_p((mean_a - mean_b) / se, df), rel=1e-9)


# -- 4. PKS trends and reference areas ----------------------------------------------------------------
def test_trend_finding_by_hand():
    years = np.arange(2018, 2025)
    cases = np.array([210, 230, 228, 260, 275, 270, 301])
    population = np.array([50000, 50100, 50300, 50200, 50500, 50600, 50800])
    trend = crime_trend(years, cases, population)
    (finding,) = trend_findings({"diebstahl": trend}, "14599040")
    x = np.column_stack([np.ones(len(years)), years - years[0]])
    beta = np.array([math.log(cases.sum() / population.sum()), 0.0])
    for _ in range(50):  # Poisson IRLS with offset log(population)
        mu = population * np.exp(x @ beta)
        beta = beta + np.linalg.solve(x.T @ (mu[:, None] * x), x.T @ (cases - mu))
    mu = population * np.exp(x @ beta)
    # quasi-Poisson dispersion, floored at 1 (issue 10: never narrower than Poisson)
    phi = max(1.0, float(((cases - mu) ** 2 / mu).sum() / (len(years) - 2)))
    se = math.sqrt(phi * np.linalg.inv(x.T @ (mu[:, None] * x))[1, 1])
    assert finding.kind is FindingKind.TREND and finding.family == "trend:14599040"
    assert finding.effect.kind is EffectKind.TREND_FACTOR
    assert finding.effect.value == pytest.approx(math.exp(beta[1]), rel=1e-8)
    assert finding.test.df == len(years) - 2
    assert finding.test.statistic == pytest.approx(beta[1] / se, rel=1e-6)
    # p is steep in t: the fitter's convergence tolerance (~1e-7 in t) shows as ~1e-6 in p
    assert finding.test.p == pytest.approx(t_p(beta[1] / se, len(years) - 2), rel=1e-5)


def exact_p(k1, e1, k2, e2):
    n, pi = k1 + k2, e1 / (e1 + e2)
    pmf = stats.binom.pmf(np.arange(n + 1), n, pi)
    return min(1.0, float(pmf[pmf <= pmf[k1] * (1 + 1e-7)].sum()))


def test_reference_finding_by_hand():
    ratios = {"koerperverletzung": rate_ratio(80, 20000, 900, 400000), "betrug": rate_ratio(30, 20000, 580, 400000)}
    findings = {f.subject: f for f in reference_findings(ratios, "14599040", "landkreis")}
    kv = findings["koerperverletzung"]
    assert kv.family == "reference:landkreis" and kv.group == "landkreis"
    assert kv.effect.value == pytest.approx((80 / 20000) / (900 / 400000))
    assert kv.test.p == pytest.approx(exact_p(80, 20000, 900, 400000), rel=1e-9)
    area, rest = kv.estimates
    assert (area.role, rest.role) == ("area", "reference_rest")
    assert (area.value, rest.value, area.n) == pytest.approx((400.0, 225.0, 80))
    classified = [classify(f, polarity=1) for f in adjust_families(list(findings.values()))]
    kv = next(f for f in classified if f.subject == "koerperverletzung")
    assert kv.worse and kv.direction is Direction.HIGHER and kv.strength is Strength.STRONG  # RR 1.78, p tiny


# -- 5. associations ----------------------------------------------------------------------------------
def test_association_of_a_one_column_term_is_its_squared_t(sample):
    frame, design, _, _, y = sample
    data = pd.DataFrame({"gruppe1": (frame["ortsteil"] == "1").astype(float), "sorge_a": share(frame, "sorge_a")})
    fit = svyglm_logit(design, y, treatment_matrix(data, ["gruppe1", "sorge_a"]))
    findings = {f.subject: f for f in association_findings(fit, "unsicher_nachts")}
    assert set(findings) == {"gruppe1", "sorge_a"}
    j = fit.index("gruppe1")
    got = findings["gruppe1"]
    assert got.kind is FindingKind.ASSOCIATION and got.family == "association:unsicher_nachts"
    assert got.test.statistic == pytest.approx((fit.coef[j] / fit.se[j]) ** 2, rel=1e-10)
    assert (got.test.df, got.test.df2) == (1, fit.df)
    assert got.test.p == pytest.approx(t_p(fit.coef[j] / fit.se[j], fit.df), rel=1e-9)
    assert got.effect.kind is EffectKind.ODDS_RATIO and got.effect.value == pytest.approx(math.exp(fit.coef[j]))


# -- 6. change between waves --------------------------------------------------------------------------
def test_change_between_waves_by_hand():
    pairs = {("unsicher_nachts", None, None): (EstimateRef("x", "unsicher_nachts", None, 0.40, 0.015, n=400),
                                                EstimateRef("x", "unsicher_nachts", None, 0.46, 0.018, n=380)),
             ("meidet_orte", None, None): (EstimateRef("x", "meidet_orte", None, 0.30, 0.02, n=400),
                                            EstimateRef("x", "meidet_orte", None, None, None, n=8,
                                                        flag="unterdrueckt"))}
    kinds = {"unsicher_nachts": EffectKind.DIFFERENCE_PROPORTION, "meidet_orte": EffectKind.DIFFERENCE_PROPORTION}
    findings = {f.subject: f for f in change_findings(pairs, kinds, "2025", "2027")}
    got = findings["unsicher_nachts"]
    se = math.sqrt(0.015**2 + 0.018**2)
    z = 0.06 / se
    assert got.family == "change:2025-2027" and [e.role for e in got.estimates] == ["from", "to"]
    assert got.effect.value == pytest.approx(0.06) and got.test.df is None
    assert got.test.statistic == pytest.approx(z) and got.test.p == pytest.approx(2 * stats.norm.sf(z))
    assert (got.effect.ci_low, got.effect.ci_high) == pytest.approx((0.06 - 1.959964 * se, 0.06 + 1.959964 * se))
    assert findings["meidet_orte"].note == "suppressed" and findings["meidet_orte"].test is None
    (adjusted,) = [classify(f, polarity=1) for f in adjust_families(list(findings.values())) if f.tested]
    assert adjusted.family_size == 1 and adjusted.p_adjusted == pytest.approx(2 * stats.norm.sf(z))
    assert adjusted.worse and adjusted.strength is Strength.CLEAR  # 6 Pp., p ≈ 0.01: clear (strong needs ≥ 10 Pp.)


def test_compute_findings_wave_change_of_ortsteile_is_a_screen(sample):
    frame, design, specs, w, y = sample
    previous = {("unsicher_nachts", None, None): EstimateRef("from", "unsicher_nachts", None, 0.2, 0.02, n=300)}
    previous.update({("unsicher_nachts", "ortsteil", g): EstimateRef("from", "unsicher_nachts", g, 0.3, 0.05, n=90)
                     for g in ("1", "2", "3")})
    findings = compute_findings(design, frame, specs[:1], ["ortsteil"], {"unsicher_nachts": 1},
                                previous=previous, waves=("2025", "2027"), group_rankings=False)
    changes = [f for f in findings if f.kind is FindingKind.CHANGE]
    assert {f.family: f.adjustment for f in changes} == {"change:2025-2027": "holm",
                                                        "change:ortsteil:2025-2027": "bh"}
    overall = next(f for f in changes if f.by is None)
    valid = ~np.isnan(y)
    current = float((w[valid] * y[valid]).sum() / w[valid].sum())
    assert overall.estimates[1].value == pytest.approx(current, rel=1e-12)
    assert overall.effect.value == pytest.approx(current - 0.2, rel=1e-12)
    in_1 = valid & (frame["ortsteil"] == "1").to_numpy()
    group_1 = next(f for f in changes if f.group == "1")
    assert group_1.estimates[1].value == pytest.approx(float((w[in_1] * y[in_1]).sum() / w[in_1].sum()), rel=1e-12)
    summaries = {s.id: s for s in family_summaries(findings)}
    assert summaries["change:ortsteil:2025-2027"].tested == 3
    assert summaries["change:ortsteil:2025-2027"].expected_by_chance == pytest.approx(0.15)
    assert summaries["change:ortsteil:2025-2027"].guarantee == "fdr"


# -- 7. multiple testing ------------------------------------------------------------------------------
def test_adjust_by_hand():
    p = [0.01, 0.04, 0.03, None, 0.005]
    holm = adjust(p, "holm")  # sorted 0.005, 0.01, 0.03, 0.04 × 4, 3, 2, 1, running maximum
    assert list(holm[[4, 0, 2, 1]]) == pytest.approx([0.02, 0.03, 0.06, 0.06])
    assert np.isnan(holm[3])
    bh = adjust(p, "bh")  # 4/4·0.04, 4/3·0.03, 4/2·0.01, 4/1·0.005, running minimum from the top
    assert list(bh[[1, 2, 0, 4]]) == pytest.approx([0.04, 0.04, 0.02, 0.02])
    assert list(adjust([0.2, 0.6], "bonferroni")) == pytest.approx([0.4, 1.0])
    with pytest.raises(ValueError, match="Unbekanntes Verfahren"):
        adjust([0.1], "sidak")


# -- strength, direction, serialisation ---------------------------------------------------------------
@pytest.mark.parametrize("p_adjusted, effect, expected", [
    (None, 0.2, Strength.NONE), (0.05, 0.2, Strength.NONE), (0.049, 0.01, Strength.WEAK),
    (0.049, 0.05, Strength.CLEAR), (0.0009, 0.099, Strength.CLEAR), (0.0009, 0.10, Strength.STRONG),
    (0.002, 0.30, Strength.CLEAR), (0.0001, -0.12, Strength.STRONG),
])
def test_strength_rule_for_proportion_points(p_adjusted, effect, expected):
    assert strength(p_adjusted, Effect(EffectKind.DIFFERENCE_PROPORTION, effect)) is expected


def test_strength_of_ratios_is_symmetric_on_the_log_scale():
    up, down = Effect(EffectKind.ODDS_RATIO, 2.5), Effect(EffectKind.ODDS_RATIO, 1 / 2.5)
    assert strength(1e-4, up) is strength(1e-4, down) is Strength.STRONG
    assert strength(0.01, Effect(EffectKind.RATE_RATIO, 1.19)) is Strength.WEAK
    assert strength(0.01, Effect(EffectKind.RATE_RATIO, 1 / 1.2)) is Strength.CLEAR
    assert DEFAULT_RULE.alpha == 0.05


def test_direction_is_equal_without_adjusted_support():
    base = Finding("x", FindingKind.SUBGROUP, "f", "s", (), Effect(EffectKind.DIFFERENCE_MEAN, 0.5),
                   Test("svyttest", 2.0, 100, 0.2))
    assert classify(base.with_adjustment(0.2, "holm", 1), polarity=1).direction is Direction.EQUAL
    assert classify(base.with_adjustment(0.2, "holm", 1), polarity=1).worse is False
    high = classify(base.with_adjustment(0.01, "holm", 1), polarity=-1)
    assert high.direction is Direction.HIGHER and high.worse is False  # higher is better here


def test_a_rate_ratio_of_zero_lies_below_one():
    """No case at all in the commune (ratio 0, exact interval from 0): a supported finding »niedriger«,
    not »equal«, which the report would have shown as »n. s.« beside a p of 1e-6."""
    zero = Finding("x", FindingKind.REFERENCE, "f", "s", (), Effect(EffectKind.RATE_RATIO, 0.0, 0.0, 0.21),
                   Test("poisson_exact", None, None, 1e-6))
    found = classify(zero.with_adjustment(1e-6, "holm", 1), polarity=1)
    assert (found.strength, found.direction, found.worse) == (Strength.STRONG, Direction.LOWER, False)
    assert classify(zero.with_adjustment(1e-6, "holm", 1), polarity=-1).worse is True


def test_every_finding_round_trips_through_json(sample):
    frame, design, specs, _, y = sample
    data = pd.DataFrame({"gruppe1": (frame["ortsteil"] == "1").astype(float), "sorge_a": share(frame, "sorge_a")})
    fit = svyglm_logit(design, y, treatment_matrix(data, ["gruppe1", "sorge_a"]))
    trend = crime_trend([2021, 2022, 2023, 2024], [100, 120, 118, 140], [5000, 5010, 5020, 5030])
    findings = compute_findings(
        design, frame, specs, ["ortsteil"], {"unsicher_nachts": 1},
        rankings={"sorge": ["sorge_a", "sorge_b", "sorge_c"]}, model=fit, model_outcome="unsicher_nachts",
        trends={"diebstahl": trend}, area="14599040",
        references={"14": {"diebstahl": rate_ratio(140, 5030, 90000, 4000000)}},
        previous={("unsicher_nachts", None, None): EstimateRef("from", "unsicher_nachts", None, 0.5, 0.03, n=200)},
        waves=("2025", "2027"))
    kinds = {f.kind for f in findings}
    assert kinds == set(FindingKind)
    validator = jsonschema.Draft202012Validator(FINDING_SCHEMA)
    for finding in findings:
        data = json.loads(json.dumps(finding.to_dict(), allow_nan=False))
        validator.validate(data)
        assert Finding.from_dict(data) == finding
        assert data["kind"] == finding.kind.value and data["strength"] in ("none", "weak", "clear", "strong")
    assert len({f.id for f in findings}) == len(findings)
    family_validator = jsonschema.Draft202012Validator(FAMILY_SCHEMA)
    for summary in family_summaries(findings):
        family_validator.validate(json.loads(json.dumps(summary.to_dict())))
    with pytest.raises(ValueError, match="Unbekannte Felder"):
        Finding.from_dict({**findings[0].to_dict(), "satz": "deutlich"})


def test_polarity_must_be_plus_or_minus_one(sample):
    frame, design, specs, _, _ = sample
    with pytest.raises(ValueError, match="Polarität von unsicher_nachts"):
        compute_findings(design, frame, specs, ["ortsteil"], {"unsicher_nachts": 2})


def test_breakdown_objects_fix_groups_and_other_codes_are_no_group(sample):
    """With the questionnaire's groups (as the profile passes them) a code outside, e.g. 9 »keine
    Angabe«, is in no group and in no rest."""
    frame, design, specs, w, y = sample
    breakdown = Breakdown("ortsteil", "Ortsteil", (("2", "Nord"), ("1", "Altstadt")))
    (grouping,) = groupings(frame, [breakdown]).values()
    assert grouping.groups == ("2", "1")
    findings = subgroup_findings(design, indicator_table(frame, specs)["unsicher_nachts"], grouping)
    assert [f.group for f in findings] == ["2", "1"]
    codes = frame["ortsteil"].to_numpy(dtype=object)
    rest = ~np.isnan(y) & (codes == "1")  # the rest of group 2 is group 1 only
    assert findings[0].estimates[1].value == pytest.approx(float((w[rest] * y[rest]).sum() / w[rest].sum()))


def test_methods_override_by_kind_value_or_family(sample):
    frame, design, specs, _, _ = sample
    findings = compute_findings(design, frame, specs[:2], ["ortsteil"], {"unsicher_nachts": 1, "sorge_a": 1},
                                group_rankings=False,
                                methods={"hotspot": "holm", "subgroup:sorge_a:ortsteil": "none"})
    assert {f.adjustment for f in findings if f.kind is FindingKind.HOTSPOT and f.tested} == {"holm"}
    none = [f for f in findings if f.family == "subgroup:sorge_a:ortsteil" and f.tested]
    assert none and all(f.p_adjusted == f.p and f.adjustment == "none" for f in none)
    assert {f.adjustment for f in findings if f.family == "subgroup:unsicher_nachts:ortsteil" and f.tested} == {"holm"}
