"""analysis.models.logit: svyglm quasibinomial against R (reference.json logit_model) and statsmodels."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from numpy.testing import assert_allclose
from scipy import stats

from analysis.core.calibration import age_groups, calibrate
from analysis.core.design import make_design
from analysis.errors import AnalysisError
from analysis.core.indicators import AnyOfIndicator, MeanIndex, ShareIndicator, indicator_values
from analysis.models.logit import domain_degf, svyglm_logit, treatment_matrix, wald_test

RTOL = 1e-6
V4 = frozenset({1, 2, 3, 4})
TERMS = ["geschlecht", "altersgruppe", "opfer_12m_irgendein", "problem_index"]


def musterstadt(directory):
    """Responses with the model variables and the raked design of reference.json (R survey 4.1)."""
    responses = pd.read_csv(directory / "responses.csv")
    strata = pd.read_csv(directory / "strata.csv")
    population = pd.read_csv(directory / "population.csv")
    reference = json.loads((directory / "reference.json").read_text())
    responses["altersgruppe"] = age_groups(responses["geburtsjahr"], reference["dataset"]["year"])
    design = make_design(strata=responses["ortsteil"], fpc=dict(zip(strata.ortsteil, strata.einwohner_16plus)))
    margins = {
        "ortsteil": dict(zip(strata.ortsteil, strata.einwohner_16plus)),
        "altersgruppe": population.groupby("altersgruppe").einwohner.sum().to_dict(),
        "geschlecht": population.groupby("geschlecht").einwohner.sum().to_dict(),
    }
    calibrated = calibrate(design, responses, margins, calfun="raking").design
    offences = ("fahrrad", "einbruch", "sachbeschaedigung", "koerperverletzung", "betrug")
    problems = ("graffiti", "muell", "vandalismus", "alkohol", "drogen", "jugendgruppen", "laerm", "verkehr")
    specs = [
        ShareIndicator("unsicher_nachts", "nachts", "sicher_nacht", frozenset({3, 4}), V4),
        AnyOfIndicator("opfer_12m_irgendein", "irgendein", tuple(f"opfer_{x}" for x in offences),
                       frozenset({1}), frozenset({2})),
        MeanIndex("problem_index", "Probleme", tuple(f"problem_{x}" for x in problems), V4, 6),
    ]
    for spec in specs:
        responses[spec.id] = indicator_values(responses, spec)[0]
    return responses, calibrated, reference


@pytest.fixture(scope="module")
def muster(musterstadt_dir):
    return musterstadt(musterstadt_dir)


@pytest.fixture(scope="module")
def model(muster):
    responses, design, _ = muster
    mm = treatment_matrix(responses, TERMS, factors={"geschlecht": None, "altersgruppe": None})
    return svyglm_logit(design, responses["unsicher_nachts"], mm)


def test_reference_logit_model(model, muster):
    ref = muster[2]["logit_model"]
    assert model.names == tuple(ref["coef"])
    assert model.n == ref["n"] == 726
    assert_allclose(model.coef, list(ref["coef"].values()), rtol=RTOL)
    assert_allclose(model.se, list(ref["se"].values()), rtol=RTOL)
    assert_allclose(np.sqrt(np.diag(model.cov)), model.se)


def test_residual_df_as_r(model, muster):
    """R: degf(design[-nas, ]) + 1 - p; degf of the subset counts strata/PSUs with nonzero weight."""
    design = muster[1]
    assert domain_degf(design, model.domain) == 726 - 4
    assert model.df == 726 - 4 + 1 - 8 == 715


def test_derived_quantities(model):
    ci = model.conf_int()
    q = stats.t.ppf(0.975, 715)
    assert_allclose(ci[:, 0], model.coef - q * model.se)
    ors = model.odds_ratios()
    assert_allclose(ors[:, 0], np.exp(model.coef))
    assert_allclose(ors[:, 1:], np.exp(ci))
    coef = model.coefficients()[1]
    assert coef.name == "geschlecht2"
    assert coef.p_value == pytest.approx(2 * stats.t.sf(abs(model.coef[1] / model.se[1]), 715))


def test_wald_test_term_and_single_coefficient(model):
    term = model.wald_test("altersgruppe")
    assert term.names == ("altersgruppe30-44", "altersgruppe45-59", "altersgruppe60-74", "altersgruppe75+")
    assert (term.ndf, term.ddf) == (4, 715.0)
    idx = [2, 3, 4, 5]
    b, v = model.coef[idx], model.cov[np.ix_(idx, idx)]
    assert term.f == pytest.approx(b @ np.linalg.inv(v) @ b / 4, rel=1e-10)
    assert term.p_value == pytest.approx(stats.f.sf(term.f, 4, 715), rel=1e-10)
    single = model.wald_test(["problem_index"])
    t = model.coef[7] / model.se[7]
    assert single.f == pytest.approx(t**2, rel=1e-10)
    assert single.p_value == pytest.approx(model.p_values()[7], rel=1e-8)
    assert model.wald_test([6]).names == ("opfer_12m_irgendein",)
    chisq = wald_test(model.coef, model.cov, [1], np.inf)
    assert chisq.p_value == pytest.approx(stats.chi2.sf(chisq.chisq, 1))


def test_domain_is_a_subset_not_a_dropped_sample(muster, model):
    """A domain equals blanking the outcome outside it; the model's rows are reported in ``domain``."""
    responses, design, _ = muster
    mm = treatment_matrix(responses, ["geschlecht", "opfer_12m_irgendein", "problem_index"],
                          factors={"geschlecht": None})
    young = (responses["altersgruppe"] == "16-29").to_numpy()
    by_domain = svyglm_logit(design, responses["unsicher_nachts"], mm, domain=young)
    blanked = svyglm_logit(design, responses["unsicher_nachts"].where(young), mm)
    assert_allclose(by_domain.coef, blanked.coef, rtol=1e-12)
    assert_allclose(by_domain.se, blanked.se, rtol=1e-12)
    assert by_domain.n == int((young & model.domain).sum()) == int(by_domain.domain.sum())
    assert by_domain.df == domain_degf(design, by_domain.domain) + 1 - 4
    with pytest.raises(AnalysisError, match="linear abhängig.*: geschlecht2.$"):
        svyglm_logit(design, responses["unsicher_nachts"], mm, domain=responses["geschlecht"] == 2)


def test_equal_weights_match_statsmodels_sandwich():
    """One stratum, equal weights, with replacement: coef = ML fit, cov = HC0 sandwich · n/(n-1)."""
    rng = np.random.default_rng(7)
    n = 400
    x1 = rng.normal(size=n)
    g = rng.integers(0, 3, size=n)
    X = np.column_stack([np.ones(n), x1, g == 1, g == 2]).astype(float)
    y = (rng.random(n) < 1 / (1 + np.exp(-(0.3 + 0.8 * x1 - 0.5 * (g == 2))))).astype(float)
    design = make_design(weights=np.full(n, 3.0))
    fit = svyglm_logit(design, y, X, names=["(Intercept)", "x1", "g1", "g2"])
    ref = sm.GLM(y, X, family=sm.families.Binomial()).fit(cov_type="HC0")
    assert_allclose(fit.coef, ref.params, rtol=1e-7)
    # R's svy.varcoef uses the working weights of the last IRLS iteration: agreement to ~1e-8
    assert_allclose(fit.cov, ref.cov_params() * n / (n - 1), rtol=1e-5, atol=1e-8)
    assert fit.df == n - 1 + 1 - 4


def test_treatment_matrix_levels_and_missing():
    data = pd.DataFrame({"f": ["b", "a", None, "c", "x"], "v": [1.0, 2.0, 3.0, np.nan, 5.0]})
    mm = treatment_matrix(data, ["f", "v"], factors={"f": ["b", "a", "c"]})
    assert mm.names == ("(Intercept)", "fa", "fc", "v")
    assert mm.columns("f") == (1, 2)
    assert mm.complete.tolist() == [True, True, False, False, False]
    assert mm.X[:2].tolist() == [[1, 0, 0, 1], [1, 1, 0, 2]]
    auto = treatment_matrix(data, ["f"], factors={"f": None})
    assert auto.names == ("(Intercept)", "fb", "fc", "fx")


def test_errors_are_german():
    design = make_design(weights=np.ones(6))
    X = np.column_stack([np.ones(6), [0, 0, 1, 1, 0, 1.0]])
    with pytest.raises(AnalysisError, match="Zeile 2 hat den Wert 2"):
        svyglm_logit(design, [0, 2, 1, 0, 1, 0], X)
    with pytest.raises(AnalysisError, match="nur 2 vollständige Fälle bei 2 Koeffizienten"):
        svyglm_logit(design, [0, 1, np.nan, np.nan, np.nan, np.nan], X)
    with pytest.raises(AnalysisError, match="Separation"):
        svyglm_logit(design, [0, 0, 1, 1, 0, 1], X)
    with pytest.raises(AnalysisError, match="linear abhängig.*: b.$"):
        svyglm_logit(design, [0, 1, 1, 0, 1, 0], np.column_stack([X, 2 * X[:, 1]]), names=["(Intercept)", "a", "b"])
