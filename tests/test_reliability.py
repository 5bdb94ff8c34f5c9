"""analysis.models.reliability: design-weighted Cronbach's alpha."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.core.design import make_design
from analysis.errors import AnalysisError
from analysis.models.reliability import cronbach_alpha, item_matrix
from test_regression import musterstadt

SORGE = ["sorge_einbruch", "sorge_diebstahl", "sorge_koerperverletzung", "sorge_belaestigung", "sorge_betrug",
         "sorge_sachbeschaedigung"]


def test_textbook_value_with_equal_weights():
    """x1 = 1,2,3,4; x2 = 2,3,3,5: s1² = 1.25, s2² = 1.1875, s_X² = 4.6875 → α = 2·(1 - 2.4375/4.6875) = 0.96."""
    design = make_design(weights=np.full(5, 7.0))
    items = np.array([[1, 2], [2, 3], [3, 3], [4, 5], [np.nan, 1]], dtype=float)
    got = cronbach_alpha(design, items, names=("x1", "x2"))
    assert got.alpha == pytest.approx(0.96, rel=1e-12)
    assert (got.n, got.k, got.weighted_n) == (4, 2, 28.0)
    r = np.corrcoef(items[:4].T)[0, 1]
    assert got.standardised_alpha == pytest.approx(2 * r / (1 + r), rel=1e-12)


def test_unweighted_matches_classic_formula():
    rng = np.random.default_rng(5)
    latent = rng.normal(size=200)
    items = np.clip(np.round(2.5 + latent[:, None] + rng.normal(scale=0.9, size=(200, 4))), 1, 4)
    design = make_design(weights=np.ones(200))
    k = 4
    classic = k / (k - 1) * (1 - items.var(axis=0, ddof=1).sum() / items.sum(axis=1).var(ddof=1))
    assert cronbach_alpha(design, items).alpha == pytest.approx(classic, rel=1e-12)


@pytest.fixture(scope="module")
def muster(musterstadt_dir):
    return musterstadt(musterstadt_dir)


def test_weighted_alpha_against_numpy_covariance(muster):
    responses, design, _ = muster
    items = item_matrix(responses, SORGE, valid_codes=[1, 2, 3, 4])
    got = cronbach_alpha(design, items, names=tuple(SORGE))
    complete = np.all(np.isfinite(items), axis=1)
    cov = np.cov(items[complete].T, aweights=design.weights[complete])
    k = len(SORGE)
    direct = k / (k - 1) * (1 - np.trace(cov) / cov.sum())
    assert got.alpha == pytest.approx(direct, rel=1e-12)
    assert got.n == int(complete.sum())
    assert got.df == 839
    assert 0 < got.se < 0.05 and got.ci_low < got.alpha < got.ci_high
    women = cronbach_alpha(design, items, domain=responses["geschlecht"] == 2)
    assert women.n == int((complete & (responses["geschlecht"] == 2)).sum())


def test_se_matches_jackknife():
    """Linearisation SE (one stratum, with replacement) against the delete-one jackknife."""
    rng = np.random.default_rng(11)
    n = 300
    latent = rng.normal(size=n)
    items = np.clip(np.round(2.5 + latent[:, None] + rng.normal(scale=1.0, size=(n, 3))), 1, 4)
    weights = rng.uniform(0.5, 3.0, size=n)
    got = cronbach_alpha(make_design(weights=weights), items)
    keep = np.ones(n, dtype=bool)
    alphas = []
    for i in range(n):
        keep[i] = False
        alphas.append(cronbach_alpha(make_design(weights=weights[keep]), items[keep]).alpha)
        keep[i] = True
    alphas = np.array(alphas)
    jackknife = np.sqrt((n - 1) / n * ((alphas - alphas.mean()) ** 2).sum())
    assert got.se == pytest.approx(jackknife, rel=0.03)


def test_errors_are_german():
    design = make_design(weights=np.ones(4))
    with pytest.raises(AnalysisError, match="^Cronbachs Alpha braucht mindestens zwei Items.$"):
        cronbach_alpha(design, np.ones((4, 1)))
    with pytest.raises(AnalysisError, match="^Cronbachs Alpha ist nicht bestimmbar: das Item »a« hat bei den 4 Befragten keine Streuung.$"):
        cronbach_alpha(design, np.column_stack([[1, 1, 1, 1.0], [1, 2, 3, 4.0]]), names=("a", "b"))
    with pytest.raises(AnalysisError, match="nur 1 Befragte"):
        cronbach_alpha(design, np.array([[1, 2], [np.nan, 1], [2, np.nan], [np.nan, np.nan]]))
    with pytest.raises(AnalysisError, match="»sorge_x« in den Antworten"):
        item_matrix(pd.DataFrame({"a": [1]}), ["a", "sorge_x"])
