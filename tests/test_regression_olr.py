"""analysis.models.ordinal: proportional odds (svyolr) against svyglm (2 categories) and statsmodels."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose
from statsmodels.miscmodels.ordinal_model import OrderedModel

from analysis.core.design import make_design
from analysis.errors import AnalysisError
from analysis.models.logit import svyglm_logit, treatment_matrix
from analysis.models.ordinal import svyolr
from test_regression import TERMS, musterstadt


@pytest.fixture(scope="module")
def muster(musterstadt_dir):
    responses, design, reference = musterstadt(musterstadt_dir)
    mm = treatment_matrix(responses, TERMS, factors={"geschlecht": None, "altersgruppe": None})
    return responses, design, reference, mm


def test_two_categories_equal_the_logistic_model(muster):
    responses, design, reference, mm = muster
    olr = svyolr(design, responses["unsicher_nachts"], mm)
    glm = svyglm_logit(design, responses["unsicher_nachts"], mm)
    assert olr.names == glm.names[1:] + ("0|1",)
    assert olr.levels == (0.0, 1.0) and olr.n == 726 and olr.df == 715
    assert_allclose(olr.coef, np.append(glm.coef[1:], -glm.coef[0]), rtol=1e-7)
    # exact-MLE sandwich vs R's last-IRLS-iteration sandwich: agree to ~1e-6
    assert_allclose(olr.se, np.append(glm.se[1:], glm.se[0]), rtol=2e-6)
    assert_allclose(olr.se[:-1], list(reference["logit_model"]["se"].values())[1:], rtol=2e-6)


def test_four_categories_match_statsmodels_with_equal_weights(muster):
    responses, _, _, mm = muster
    y = responses["sicher_nacht"].where(responses["sicher_nacht"] <= 4).to_numpy()
    ok = np.isfinite(y) & mm.complete
    X = mm.X[ok][:, 1:]
    fit = svyolr(make_design(weights=np.full(int(ok.sum()), 4.0)), y[ok], X, names=mm.names[1:])
    assert fit.names[-3:] == ("1|2", "2|3", "3|4")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = OrderedModel(y[ok].astype(int), X, distr="logit").fit(method="bfgs", disp=0, maxiter=5000, gtol=1e-10)
    params = np.asarray(ref.params)
    cuts = np.cumsum(np.concatenate([[params[7]], np.exp(params[8:])]))
    assert_allclose(fit.coef, np.concatenate([params[:7], cuts]), rtol=1e-6)
    assert fit.odds_ratios().shape == (7, 3)


def test_weighted_fit_equals_replicated_rows():
    rng = np.random.default_rng(2)
    n = 120
    x = rng.normal(size=n)
    y = np.digitize(x + rng.logistic(size=n), [-1.0, 0.0, 1.5]).astype(float)
    freq = rng.integers(1, 4, size=n)
    weighted = svyolr(make_design(weights=freq.astype(float)), y, x[:, None])
    repeated = svyolr(make_design(weights=np.ones(freq.sum())), np.repeat(y, freq), np.repeat(x, freq)[:, None])
    assert_allclose(weighted.coef, repeated.coef, rtol=1e-8)


def test_errors_are_german():
    design = make_design(weights=np.ones(5))
    with pytest.raises(AnalysisError, match="Kategorie 2 der Zielgröße kommt .* nicht vor"):
        svyolr(design, [1, 3, 1, 3, 3.0], np.arange(5.0)[:, None], levels=[1, 2, 3])
    with pytest.raises(AnalysisError, match="weniger als zwei Kategorien"):
        svyolr(design, [1, 1, 1, 1, 1.0], np.arange(5.0)[:, None])
