"""analysis.findings against R survey 4.1 (tests/reference/findings.R → findings.json), to 1e-6.

Route for a group against the rest: R ``svyttest(y ~ I(group == g), design)`` (design-based t test of
``svyglm``; df = degf of the respondents used - 1) for statistic, df and p; the standard error also from
``svytotal`` + nonlinear ``svycontrast`` (ratio linearisation of the two domain means). ``svyby(covmat =
TRUE)`` cannot be used: it fails on calibrated designs in survey 4.1.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose

from analysis.crime.rates import rate_ratio
from analysis.findings import (
    adjust, association_findings, breakdown_finding, exact_rate_ratio_p, group_ranking, groupings, indicator_table,
    item_ranking, reference_findings, subgroup_findings,
)
from analysis.core.indicators import Domain, MeanIndex, ShareIndicator
from analysis.models.logit import svyglm_logit, treatment_matrix
from test_regression import musterstadt

RTOL = 1e-6
REFERENCE = json.loads((Path(__file__).parent / "reference" / "findings.json").read_text())
V4 = frozenset({1, 2, 3, 4})
HIGH = frozenset({3, 4})
SORGE = ("einbruch", "diebstahl", "koerperverletzung", "belaestigung", "betrug", "sachbeschaedigung")
SPECS = [
    ShareIndicator("unsicher_nachts", "nachts", "sicher_nacht", HIGH, V4),
    ShareIndicator("sorge_hoch_einbruch", "einbruch", "sorge_einbruch", HIGH, V4),
    ShareIndicator("sorge_hoch_diebstahl", "diebstahl", "sorge_diebstahl", HIGH, V4),
    ShareIndicator("anzeigequote_sachbeschaedigung", "anzeige", "anzeige_sachbeschaedigung", frozenset({1}),
                   frozenset({1, 2}), among=Domain("opfer_sachbeschaedigung", frozenset({1}))),
    MeanIndex("furcht_index", "Furcht", tuple(f"sorge_{x}" for x in SORGE), V4, 4),
]


@pytest.fixture(scope="module")
def muster(musterstadt_dir):
    responses, design, _ = musterstadt(musterstadt_dir)
    return responses, design, indicator_table(responses, SPECS), groupings(responses, ["geschlecht", "altersgruppe",
                                                                                       "ortsteil"])


@pytest.mark.parametrize("key", sorted(REFERENCE["subgroup"]))
def test_group_against_rest_equals_svyttest(muster, key):
    _, design, indicators, groups = muster
    indicator, by = key.split("__")
    findings = {f.group: f for f in subgroup_findings(design, indicators[indicator], groups[by], raw=True)}
    want = REFERENCE["subgroup"][key]
    assert set(findings) == set(want)
    for group, ref in want.items():
        got = findings[group]
        assert got.test.name == "svyttest" and got.test.df == ref["df"]
        assert_allclose([got.effect.value, got.test.statistic, got.test.p], [ref["estimate"], ref["t"], ref["p"]],
                        rtol=RTOL, err_msg=f"{key} {group}")
        assert_allclose([got.effect.ci_low, got.effect.ci_high], ref["ci"], rtol=RTOL)
        se = got.effect.value / got.test.statistic
        assert_allclose(se, ref["contrast_se"], rtol=RTOL)
        group_ref, rest_ref = got.estimates
        assert (group_ref.role, rest_ref.role) == ("group", "rest")
        assert_allclose([group_ref.value, rest_ref.value], [ref["mean_group"], ref["mean_rest"]], rtol=RTOL)


def test_rao_scott_breakdown_equals_svychisq(muster):
    _, design, indicators, groups = muster
    finding = breakdown_finding(design, indicators["unsicher_nachts"], groups["ortsteil"], [])
    want = REFERENCE["breakdown"]["unsicher_nachts__ortsteil"]
    assert finding.test.name == "rao_scott_f"
    assert_allclose([finding.test.statistic, finding.test.df, finding.test.df2, finding.test.p],
                    [want["f"], want["ndf"], want["ddf"], want["p"]], rtol=RTOL)


def test_wald_breakdown_of_a_mean_equals_regtermtest(muster):
    _, design, indicators, groups = muster
    finding = breakdown_finding(design, indicators["furcht_index"], groups["altersgruppe"], [])
    want = REFERENCE["breakdown"]["furcht_index__altersgruppe"]
    assert finding.test.name == "wald_f" and finding.test.df == want["ndf"] and finding.test.df2 == want["ddf"]
    assert_allclose([finding.test.statistic, finding.test.p], [want["f"], want["p"]], rtol=RTOL)


def test_paired_difference_of_two_items_equals_svycontrast(muster):
    _, design, indicators, _ = muster
    (finding,) = item_ranking(design, indicators, "pair", ["sorge_hoch_einbruch", "sorge_hoch_diebstahl"])
    want = REFERENCE["ranking"]["sorge_hoch_einbruch__sorge_hoch_diebstahl"]
    upper, lower = finding.estimates
    assert (upper.subject, lower.subject) == ("sorge_hoch_diebstahl", "sorge_hoch_einbruch")  # R: einbruch - diebstahl
    assert finding.test.df == want["df"]
    assert_allclose([-finding.effect.value, -finding.test.statistic, finding.test.p],
                    [want["estimate"], want["t"], want["p"]], rtol=RTOL)
    assert_allclose(finding.effect.value / finding.test.statistic, want["se"], rtol=RTOL)


def test_two_groups_of_a_ranking_equal_svyttest_on_their_subset(muster):
    _, design, indicators, groups = muster
    findings = group_ranking(design, indicators["unsicher_nachts"], groups["ortsteil"])
    pair = next(f for f in findings if {e.group for e in f.estimates} == {"3", "2"})
    want = REFERENCE["ranking"]["unsicher_nachts__ortsteil__3__2"]
    assert pair.estimates[0].group == "3" and pair.test.df == want["df"]
    assert_allclose([pair.effect.value, pair.test.statistic, pair.test.p], [want["estimate"], want["t"], want["p"]],
                    rtol=RTOL)


@pytest.mark.parametrize("method", ["holm", "BH", "bonferroni", "hochberg", "BY"])
def test_adjust_equals_p_adjust(method):
    want = np.array([np.nan if v is None else v for v in REFERENCE["adjust"][method]])
    got = adjust(REFERENCE["adjust"]["p"], method.lower())
    assert_allclose(got, want, rtol=1e-12, equal_nan=True)


def test_exact_rate_ratio_equals_poisson_test():
    for case in REFERENCE["rate_ratio"]:
        args = (case["cases"], case["population"], case["reference_cases"], case["reference_population"])
        assert_allclose(exact_rate_ratio_p(*args), case["p"], rtol=RTOL)
        (finding,) = reference_findings({"x": rate_ratio(*args)}, "kommune", "landkreis")
        assert_allclose([finding.effect.value, finding.test.p], [case["ratio"], case["p"]], rtol=RTOL)
        assert_allclose([finding.effect.ci_low, finding.effect.ci_high], case["ci"], rtol=RTOL, atol=1e-12)


def test_association_terms_equal_regtermtest(muster):
    responses, design, _, _ = muster
    matrix = treatment_matrix(responses, ["geschlecht", "altersgruppe", "opfer_12m_irgendein", "problem_index"],
                              factors={"geschlecht": None, "altersgruppe": None})
    fit = svyglm_logit(design, responses["unsicher_nachts"], matrix)
    findings = {f.subject: f for f in association_findings(fit, "unsicher_nachts")}
    for want in REFERENCE["association"]:
        got = findings[want["term"]]
        assert got.test.df == want["ndf"] and got.test.df2 == want["ddf"]
        assert_allclose([got.test.statistic, got.test.p], [want["f"], want["p"]], rtol=RTOL)
