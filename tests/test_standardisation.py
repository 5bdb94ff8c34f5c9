"""Direct standardisation: estimate = sum W_g p_g; design SE checked against the independent-groups
approximation and against R-equivalent domain SEs; a one-cell standard equals the domain estimate."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from analysis.core.estimation import proportion
from analysis.models.standardisation import StandardPopulation, independent_groups_se, standardise
from survey.profile_builder import load_standard_population
from test_regression import musterstadt

AGES = ["16-29", "30-44", "45-59", "60-74", "75+"]


@pytest.fixture(scope="module")
def musterstadt_design(musterstadt_dir: Path):
    data, design, reference = musterstadt(musterstadt_dir)
    return data, design, data["unsicher_nachts"].to_numpy(dtype=float), reference


def test_shipped_standard_population_has_source_and_ten_cells():
    standard = load_standard_population()
    assert standard.year == 2017 and "Statistisches Landesamt Sachsen" in standard.source
    assert len(standard.cells) == 10
    assert sum(standard.shares.values()) == pytest.approx(1.0)
    assert standard.shares[("2", "75+")] == pytest.approx(99906 / 920757, rel=1e-4)


def test_standardised_estimate_is_weighted_sum_of_cells(musterstadt_design):
    data, design, values, _ = musterstadt_design
    standard = load_standard_population()
    result = standardise("unsicher_nachts", values, np.ones(len(values), bool), design.weights,
                         data["geschlecht"], data["altersgruppe"], standard, design.variance_of_total, design.degf)
    cells = {}
    for (sex, age), share in standard.shares.items():
        mask = (data["geschlecht"].astype(str) == sex).to_numpy() & (data["altersgruppe"] == age).to_numpy()
        cells[(sex, age)] = proportion(design, values, mask)
    expected = sum(share * cells[cell].estimate for cell, share in standard.shares.items())
    assert result.estimate == pytest.approx(expected, rel=1e-12)
    approx = independent_groups_se(values, None, {c: m.se for c, m in cells.items()}, standard)
    # Calibration to age and sex margins induces covariance between cells; the design SE differs from the
    # independent-groups approximation, but only moderately.
    assert result.se == pytest.approx(approx, rel=0.25)
    assert result.ci_low < result.estimate < result.ci_high
    assert result.n == 792 and result.cells_used == 10


def test_one_cell_standard_equals_domain_estimate_with_r_se(musterstadt_design):
    data, design, values, reference = musterstadt_design
    women = StandardPopulation("nur Frauen 16-29", "Test", None, (("2", "16-29", 1.0),))
    result = standardise("x", values, np.ones(len(values), bool), design.weights, data["geschlecht"],
                         data["altersgruppe"], women, design.variance_of_total, design.degf)
    mask = (data["geschlecht"] == 2).to_numpy() & (data["altersgruppe"] == "16-29").to_numpy()
    direct = proportion(design, values, mask)
    assert result.estimate == pytest.approx(direct.estimate, rel=1e-12)
    assert result.se == pytest.approx(direct.se, rel=1e-12)
    # a standard by geschlecht only reproduces R's svyby SEs of each group through the same machinery
    ref = reference["by"]["unsicher_nachts__by__geschlecht"]["2"]
    women_all = StandardPopulation("Frauen", "Test", None, tuple(("2", age, 1.0) for age in AGES))
    mask = (data["geschlecht"] == 2).to_numpy()
    assert proportion(design, values, mask).se == pytest.approx(ref["se"], rel=1e-6)
    assert women_all.shares[("2", "75+")] == pytest.approx(0.2)


def test_empty_cell_gives_a_reason_and_the_cell(musterstadt_design):
    data, design, values, _ = musterstadt_design
    standard = StandardPopulation("mit divers", "Test", None, (("1", "16-29", 1.0), ("3", "16-29", 1.0)))
    result = standardise("x", values, np.ones(len(values), bool), design.weights, data["geschlecht"],
                         data["altersgruppe"], standard, design.variance_of_total, design.degf)
    assert result.estimate is None
    assert (result.reason, result.empty_cell) == ("empty_cell", ("3", "16-29"))
