"""Profile parts: drivers equal R svyglm on the reference model; a sample commune with PKS."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.indicators import AnyOfIndicator, MeanIndex, indicator_values
from analysis.profile_drivers import Term, analyse_drivers
from analysis.profile_problems import problem_association
from analysis.profile_variance import DesignInfo, contrast, domain_mean
from survey.profile_builder import write_profile
from survey.resources import sample_data_dir

AGES = ["16-29", "30-44", "45-59", "60-74", "75+"]
OFFENCES = ["fahrrad", "einbruch", "sachbeschaedigung", "koerperverletzung", "betrug"]
PROBLEMS = "graffiti muell vandalismus alkohol drogen jugendgruppen laerm verkehr".split()


@pytest.fixture(scope="module")
def reference_design(musterstadt_dir: Path):
    data = pd.read_csv(musterstadt_dir / "responses.csv")
    weights = pd.read_csv(musterstadt_dir / "reference_weights.csv")
    strata = pd.read_csv(musterstadt_dir / "strata.csv").set_index("ortsteil")
    data["altersgruppe"] = pd.cut(2025 - data["geburtsjahr"], [16, 30, 45, 60, 75, 200], right=False,
                                  labels=AGES).astype(str)
    X = pd.get_dummies(data[["ortsteil", "altersgruppe", "geschlecht"]].astype(str)).to_numpy(float)
    design = DesignInfo(weights["weight"].to_numpy(), weights["design_weight"].to_numpy(),
                        data["ortsteil"].to_numpy(), data["ortsteil"].map(strata["einwohner_16plus"]).to_numpy(float),
                        X, 839.0)
    data["opfer_12m_irgendein"] = indicator_values(data, AnyOfIndicator(
        "o", "o", tuple(f"opfer_{x}" for x in OFFENCES), frozenset({1}), frozenset({2})))[0]
    data["problem_index"] = indicator_values(data, MeanIndex(
        "p", "p", tuple(f"problem_{x}" for x in PROBLEMS), frozenset({1, 2, 3, 4}), 6))[0]
    outcome = np.where(data["sicher_nacht"].isin([1, 2, 3, 4]), data["sicher_nacht"].isin([3, 4]).astype(float), np.nan)
    reference = json.loads((musterstadt_dir / "reference.json").read_text(encoding="utf-8"))
    return data, design, outcome, reference


def test_drivers_equal_r_svyglm(reference_design):
    data, design, outcome, reference = reference_design
    terms = [Term("geschlecht", "Geschlecht", "factor", (("1", "männlich"), ("2", "weiblich"))),
             Term("altersgruppe", "Altersgruppe", "factor", tuple((a, a) for a in AGES)),
             Term("opfer_12m_irgendein", "Opfer", "binary"), Term("problem_index", "Problemindex", "numeric")]
    result = analyse_drivers(data, design, outcome, terms)
    model = reference["logit_model"]
    assert result.n == model["n"]
    coef = {c.name: c for c in result.coefficients}
    for name, value in model["coef"].items():
        assert coef[name].coef == pytest.approx(value, rel=1e-6), name
        assert coef[name].se == pytest.approx(model["se"][name], rel=1e-6), name
    assert coef["geschlecht2"].odds_ratio == pytest.approx(np.exp(model["coef"]["geschlecht2"]), rel=1e-6)
    # AME of a numeric term equals the weighted mean derivative b * p(1-p)
    ame = {e.name: e for e in result.marginal_effects}
    assert 0.05 < ame["problem_index"].ame < 0.3
    assert ame["problem_index"].ci_low < ame["problem_index"].ame < ame["problem_index"].ci_high
    assert result.ranking[0].p_value < 0.05


def test_problem_association_is_domain_difference(reference_design):
    data, design, outcome, _ = reference_design
    problem = np.where(data["problem_graffiti"].isin([1, 2, 3, 4]), data["problem_graffiti"].isin([3, 4]).astype(float), np.nan)
    result = problem_association(design, outcome, problem)
    valid = np.isfinite(outcome) & np.isfinite(problem)
    with_problem = domain_mean(design, outcome, valid & (problem == 1))
    without = domain_mean(design, outcome, valid & (problem == 0))
    assert result.difference == pytest.approx(with_problem.estimate - without.estimate, rel=1e-12)
    _, se = contrast(design, [1.0, -1.0], [with_problem, without])
    assert result.se == pytest.approx(se)
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
