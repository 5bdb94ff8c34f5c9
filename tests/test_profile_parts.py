"""Profile parts: drivers equal R svyglm on the reference model; a sample commune with PKS."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from analysis.core.estimation import domain_difference, proportion
from analysis.profile.drivers import Term, analyse_drivers
from analysis.profile.problems import problem_association
from survey.profile_builder import write_profile
from survey.resources import sample_data_dir
from test_regression import musterstadt

AGES = ["16-29", "30-44", "45-59", "60-74", "75+"]


@pytest.fixture(scope="module")
def reference_design(musterstadt_dir: Path):
    """Responses with the model variables and the engine's raked design (weights equal R's, rtol 1e-6)."""
    data, design, reference = musterstadt(musterstadt_dir)
    return data, design, data["unsicher_nachts"].to_numpy(dtype=float), reference


def test_drivers_equal_r_svyglm(reference_design):
    data, design, outcome, reference = reference_design
    terms = [Term("geschlecht", "Geschlecht", "factor", (("1", "männlich"), ("2", "weiblich"))),
             Term("altersgruppe", "Altersgruppe", "factor", tuple((a, a) for a in AGES)),
             Term("opfer_12m_irgendein", "Opfer", "binary"), Term("problem_index", "Problemindex", "numeric")]
    result = analyse_drivers(data, design, outcome, terms)
    model = reference["logit_model"]
    assert result.n == model["n"]
    assert result.df_residual == 715  # R: degf of the model domain + 1 - p
    coef = {c.name: c for c in result.coefficients}
    assert list(coef) == list(model["coef"])
    for name, value in model["coef"].items():
        assert coef[name].coef == pytest.approx(value, rel=1e-6), name
        assert coef[name].se == pytest.approx(model["se"][name], rel=1e-6), name
    assert coef["geschlecht2"].odds_ratio == pytest.approx(np.exp(model["coef"]["geschlecht2"]), rel=1e-6)
    assert coef["geschlecht2"].label == "weiblich" and coef["altersgruppe75+"].term == "altersgruppe"
    # AME of a numeric term equals the weighted mean derivative b * p(1-p) over the model's respondents
    ame = {e.name: e for e in result.marginal_effects}
    inside = np.isfinite(outcome) & np.isfinite(data["problem_index"]) & np.isfinite(data["opfer_12m_irgendein"]) \
        & data["altersgruppe"].notna().to_numpy()
    names = list(model["coef"])
    X = np.column_stack([np.ones(len(data)), data["geschlecht"] == 2] + [data["altersgruppe"] == a for a in AGES[1:]]
                        + [data["opfer_12m_irgendein"], data["problem_index"]]).astype(float)
    beta = np.array([model["coef"][n] for n in names])
    mu = 1 / (1 + np.exp(-(np.nan_to_num(X) @ beta)))
    w = np.where(inside, design.weights, 0.0)
    expected = float((w * beta[-1] * mu * (1 - mu)).sum() / w.sum())
    assert ame["problem_index"].ame == pytest.approx(expected, rel=1e-5)
    assert ame["problem_index"].ci_low < ame["problem_index"].ame < ame["problem_index"].ci_high
    ranking = {t.term: t for t in result.ranking}
    assert ranking["geschlecht"].ddf == 715 and ranking["altersgruppe"].ndf == 4
    assert result.ranking[0].p_value < 0.05


def test_problem_association_is_domain_difference(reference_design):
    data, design, outcome, _ = reference_design
    problem = np.where(data["problem_graffiti"].isin([1, 2, 3, 4]), data["problem_graffiti"].isin([3, 4]).astype(float), np.nan)
    result = problem_association(design, outcome, problem)
    valid = np.isfinite(outcome) & np.isfinite(problem)
    with_problem = proportion(design, outcome, valid & (problem == 1))
    without = proportion(design, outcome, valid & (problem == 0))
    assert result.share_with == pytest.approx(with_problem.estimate, rel=1e-12)
    assert result.difference == pytest.approx(with_problem.estimate - without.estimate, rel=1e-12)
    assert (result.n_with, result.n_without) == (with_problem.n, without.n)
    contrast = domain_difference(design, outcome, valid & (problem == 1), valid & (problem == 0))
    assert result.se == pytest.approx(contrast.se, rel=1e-12)
    # the contrast's SE is not the independent-samples SE: calibration couples the two domains
    assert result.se != pytest.approx(np.hypot(with_problem.se, without.se), rel=1e-4)
    assert result.ci_low < result.difference < result.ci_high


def test_sample_commune_with_pks(tmp_path):
    source = sample_data_dir() / "grenzbach"
    if not (source / "pks.csv").exists():
        pytest.skip("sample commune grenzbach without pks.csv")
    folder = tmp_path / "grenzbach"
    shutil.copytree(source, folder)
    _, document = write_profile(folder)
    crime = document["crime"]
    assert crime["available"] is True
    total = next(o for o in crime["offences"] if o["id"] == "insgesamt")
    assert total["series"][-1]["hz"]["rate"] == pytest.approx(
        total["series"][-1]["faelle"] * 100000 / total["series"][-1]["einwohner"])
    assert document["dunkelfeld"]["caveats"]
