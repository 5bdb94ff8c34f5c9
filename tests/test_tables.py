"""analysis.models.rao_scott: Rao-Scott test against R (reference.json) and the SRS closed form."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy import stats

from analysis.core.design import make_design
from analysis.models.rao_scott import rao_scott
from test_regression import musterstadt


@pytest.fixture(scope="module")
def muster(musterstadt_dir):
    return musterstadt(musterstadt_dir)


def test_reference_rao_scott(muster):
    """svychisq(~unsicher_nachts + geschlecht, design): complete cases of both (792 of 843 rows)."""
    responses, design, reference = muster
    ref = reference["rao_scott__unsicher_nachts__geschlecht"]
    got = rao_scott(design, responses["unsicher_nachts"], responses["geschlecht"])
    assert got.valid and got.reason == ""
    assert got.n == 792
    assert got.statistic == "F"
    assert_allclose([got.value, got.p_value], [ref["F"], ref["p"]], rtol=1e-6)
    assert (got.ndf, got.ddf) == pytest.approx((ref["ndf"], ref["ddf"]), rel=1e-9)
    assert got.row_levels == (0, 1) and got.col_levels == (1, 2)
    assert got.table.sum() == pytest.approx(1.0)
    # 2 x 2: first- and second-order corrections coincide, only the reference distribution differs
    first = rao_scott(design, responses["unsicher_nachts"], responses["geschlecht"], statistic="Chisq")
    assert first.value == pytest.approx(got.value, rel=1e-12)
    assert first.p_value == pytest.approx(stats.chi2.sf(got.value, 1), rel=1e-12)
    assert got.value == pytest.approx(got.chisq / got.deltas[0] * 843 / 792, rel=1e-10)


def test_symmetric_and_scale_free(muster):
    responses, design, _ = muster
    rows = responses["sicher_nacht"].where(responses["sicher_nacht"] <= 4)
    a = rao_scott(design, rows, responses["altersgruppe"])
    b = rao_scott(design, responses["altersgruppe"], rows)
    assert a.ndf == pytest.approx(b.ndf, rel=1e-9) and a.value == pytest.approx(b.value, rel=1e-9)
    assert a.ddf == pytest.approx(a.ndf * 839, rel=1e-12)
    assert a.table.shape == (4, 5) and len(a.deltas) == 12


def test_srs_with_equal_weights_reduces_to_pearson():
    """SRS with replacement, equal weights, m of n rows complete: V = n/(n-1)·(D - pp')/m, hence
    Δ = N·n/((n-1)·m)·I with N = n (R scales the table to all rows), and F = X²/K·(n-1)/n."""
    rng = np.random.default_rng(3)
    n = 500
    rows = rng.choice(["a", "b", "c"], size=n, p=[0.5, 0.3, 0.2])
    cols = np.where(rng.random(n) < np.where(rows == "a", 0.6, 0.4), 1, 2).astype(float)
    cols[:7] = np.nan
    design = make_design(weights=np.full(n, 12.5))
    got = rao_scott(design, rows, cols, statistic="F")
    counts = pd.crosstab(rows[7:], cols[7:]).to_numpy()
    x2 = stats.chi2_contingency(counts, correction=False)[0]
    m = n - 7
    assert got.n == m
    assert got.chisq == pytest.approx(x2, rel=1e-10)
    assert_allclose(got.deltas, [n * n / ((n - 1) * m)] * 2, rtol=1e-10)
    assert got.ndf == pytest.approx(2.0, rel=1e-10)
    assert got.ddf == pytest.approx(2.0 * (n - 1), rel=1e-10)
    assert got.value == pytest.approx(x2 / 2 * (n - 1) / n, rel=1e-10)
    assert got.p_value == pytest.approx(stats.f.sf(got.value, 2, 2 * (n - 1)), rel=1e-10)


def test_invalid_tables_say_why_with_a_code():
    design = make_design(weights=np.ones(6))
    empty = rao_scott(design, [1, 1, 2, 2, 1, 2], [1, 2, 1, 2, 1, 1], col_levels=[1, 2, 3])
    assert not empty.valid and np.isnan(empty.value)
    assert (empty.reason, empty.empty) == ("empty_category", ("col", 3))
    single = rao_scott(design, [1, 1, 2, 2, 1, 2], [1, 1, 1, np.nan, 1, 1])
    assert (single.reason, single.col_levels) == ("too_few_categories", (1,))
    nobody = rao_scott(design, [np.nan] * 6, [1, 2, 1, 2, 1, 2])
    assert nobody.reason == "no_respondents" and nobody.n == 0
    with pytest.raises(ValueError):
        rao_scott(design, [1] * 6, [1] * 6, statistic="Wald")
