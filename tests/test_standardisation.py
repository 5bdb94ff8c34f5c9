"""Direct standardisation: estimate = sum W_g p_g; design SE checked against the independent-groups
approximation and against R-equivalent domain SEs; a one-cell standard equals the domain estimate."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.profile_variance import DesignInfo, domain_mean
from analysis.standardisation import StandardPopulation, independent_groups_se, standardise
from survey.profile_builder import load_standard_population

AGES = ["16-29", "30-44", "45-59", "60-74", "75+"]


@pytest.fixture(scope="module")
def musterstadt(musterstadt_dir: Path):
    data = pd.read_csv(musterstadt_dir / "responses.csv")
    weights = pd.read_csv(musterstadt_dir / "reference_weights.csv")
    strata = pd.read_csv(musterstadt_dir / "strata.csv").set_index("ortsteil")
    age = 2025 - data["geburtsjahr"]
    data["altersgruppe"] = pd.cut(age, [16, 30, 45, 60, 75, 200], right=False, labels=AGES).astype(str)
    X = pd.get_dummies(data[["ortsteil", "altersgruppe", "geschlecht"]].astype(str)).to_numpy(float)
    design = DesignInfo(weights["weight"].to_numpy(), weights["design_weight"].to_numpy(),
                        data["ortsteil"].to_numpy(), data["ortsteil"].map(strata["einwohner_16plus"]).to_numpy(float),
                        X, 839.0)
    values = np.where(data["sicher_nacht"].isin([1, 2, 3, 4]), data["sicher_nacht"].isin([3, 4]).astype(float), np.nan)
    reference = json.loads((musterstadt_dir / "reference.json").read_text(encoding="utf-8"))
    return data, design, values, reference


def test_shipped_standard_population_has_source_and_ten_cells():
    standard = load_standard_population()
    assert standard.year == 2017 and "Statistisches Landesamt Sachsen" in standard.source
    assert len(standard.cells) == 10
    assert sum(standard.shares.values()) == pytest.approx(1.0)
    assert standard.shares[("2", "75+")] == pytest.approx(99906 / 920757, rel=1e-4)


def test_standardised_estimate_is_weighted_sum_of_cells(musterstadt):
    data, design, values, _ = musterstadt
    standard = load_standard_population()
    result = standardise("unsicher_nachts", values, np.ones(len(values), bool), design.weights,
                         data["geschlecht"], data["altersgruppe"], standard, design.variance, design.degf)
    cells = {}
    for (sex, age), share in standard.shares.items():
        mask = (data["geschlecht"].astype(str) == sex).to_numpy() & (data["altersgruppe"] == age).to_numpy()
        cells[(sex, age)] = domain_mean(design, values, mask)
    expected = sum(share * cells[cell].estimate for cell, share in standard.shares.items())
    assert result.estimate == pytest.approx(expected, rel=1e-12)
    approx = independent_groups_se(values, None, {c: m.se for c, m in cells.items()}, standard)
    # Calibration to age and sex margins induces covariance between cells; the design SE differs from the
    # independent-groups approximation, but only moderately.
    assert result.se == pytest.approx(approx, rel=0.25)
    assert result.ci_low < result.estimate < result.ci_high
    assert result.n == 792 and result.cells_used == 10


def test_one_cell_standard_equals_domain_estimate_with_r_se(musterstadt):
    data, design, values, reference = musterstadt
    women = StandardPopulation("nur Frauen 16-29", "Test", None, (("2", "16-29", 1.0),))
    result = standardise("x", values, np.ones(len(values), bool), design.weights, data["geschlecht"],
                         data["altersgruppe"], women, design.variance, design.degf)
    mask = (data["geschlecht"] == 2).to_numpy() & (data["altersgruppe"] == "16-29").to_numpy()
    direct = domain_mean(design, values, mask)
    assert result.estimate == pytest.approx(direct.estimate, rel=1e-12)
    assert result.se == pytest.approx(direct.se, rel=1e-12)
    # a standard by geschlecht only reproduces R's svyby SEs of each group through the same machinery
    ref = reference["by"]["unsicher_nachts__by__geschlecht"]["2"]
    women_all = StandardPopulation("Frauen", "Test", None, tuple(("2", age, 1.0) for age in AGES))
    mask = (data["geschlecht"] == 2).to_numpy()
    assert domain_mean(design, values, mask).se == pytest.approx(ref["se"], rel=1e-6)
    assert women_all.shares[("2", "75+")] == pytest.approx(0.2)


def test_empty_cell_gives_german_reason(musterstadt):
    data, design, values, _ = musterstadt
    standard = StandardPopulation("mit divers", "Test", None, (("1", "16-29", 1.0), ("3", "16-29", 1.0)))
    result = standardise("x", values, np.ones(len(values), bool), design.weights, data["geschlecht"],
                         data["altersgruppe"], standard, design.variance, design.degf)
    assert result.estimate is None
    assert result.reason == ("Standardisierung nicht möglich: keine gültigen Antworten in der Zelle "
                             "Geschlecht 3, Altersgruppe 16-29.")
