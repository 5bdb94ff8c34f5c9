"""Calibration: equivalences, diagnostics, the documented rules for imperfect input, German errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from analysis.calibration import age_groups, calibrate
from analysis.german import number, p_value
from analysis.design import make_design
from analysis.errors import CalibrationError

RNG = np.random.default_rng(7)
N = 600


@pytest.fixture()
def sample():
    data = pd.DataFrame({
        "ortsteil": RNG.integers(1, 4, N),
        "altersgruppe": RNG.choice(["16-29", "30-44", "45-59", "60-74", "75+"], N, p=[.1, .2, .2, .25, .25]),
        "geschlecht": RNG.integers(1, 3, N),
    })
    design = make_design(strata=data.ortsteil, fpc={1: 5000, 2: 3000, 3: 2000})
    margins = {
        "ortsteil": {1: 5000, 2: 3000, 3: 2000},
        "altersgruppe": {"16-29": 2000, "30-44": 2500, "45-59": 2200, "60-74": 1800, "75+": 1500},
        "geschlecht": {1: 4900, 2: 5100},
    }
    return data, design, margins


def test_raking_on_one_margin_is_post_stratification(sample):
    data, design, margins = sample
    cal, result = calibrate(design, data, {"altersgruppe": margins["altersgruppe"]})
    d = design.weights
    for cat, target in margins["altersgruppe"].items():
        m = (data.altersgruppe == cat).to_numpy()
        assert_allclose(cal.weights[m], d[m] * target / d[m].sum(), rtol=1e-9)
    assert result.converged


def test_margins_hold_and_diagnostics(sample):
    data, design, margins = sample
    cal, result = calibrate(design, data, margins)
    for name, cats in margins.items():
        for cat, target in cats.items():
            assert_allclose(cal.weights[(data[name] == cat).to_numpy()].sum(), target, rtol=1e-7)
    w = cal.weights
    assert_allclose(result.kish_deff, N * (w**2).sum() / w.sum() ** 2)
    assert_allclose(result.effective_n, N / result.kish_deff)
    assert_allclose(result.g, w / design.weights)
    assert result.g_min == pytest.approx(result.g.min()) and result.max_misfit < 1e-7
    assert len(result.margins) == 10 and result.margins[3].margin == "altersgruppe"
    assert all(abs(m.achieved - m.target) < 1e-3 for m in result.margins)
    assert result.warnings == () and result.missing == {}
    with pytest.raises(ValueError):
        result.weights[0] = 1.0  # read-only


def test_logit_with_wide_bounds_equals_raking(sample):
    data, design, margins = sample
    raking, _ = calibrate(design, data, margins)
    logit, result = calibrate(design, data, margins, calfun="logit", bounds=(1e-6, 1e6))
    assert_allclose(logit.weights, raking.weights, rtol=1e-5)
    assert result.bounds == (1e-6, 1e6)


def test_bounded_logit_respects_bounds(sample):
    data, design, margins = sample
    _, result = calibrate(design, data, margins, calfun="logit", bounds=(0.5, 1.7))
    assert 0.5 < result.g_min and result.g_max < 1.7


def test_linear_is_greg_closed_form(sample):
    data, design, margins = sample
    cal, _ = calibrate(design, data, margins, calfun="linear")
    X = np.column_stack([np.ones(N)] + [(data[k] == c).to_numpy(float) for k in margins for c in list(margins[k])[1:]])
    T = np.array([10000.0] + [t for k in margins for t in list(margins[k].values())[1:]])
    d = design.weights
    lam = np.linalg.solve(X.T @ (d[:, None] * X), T - X.T @ d)
    assert_allclose(cal.weights, d * (1 + X @ lam), rtol=1e-9)


def test_empty_cell_error_names_margin_and_category(sample):
    data, design, margins = sample
    data = data.assign(altersgruppe=data.altersgruppe.replace("75+", "60-74"))
    with pytest.raises(CalibrationError) as err:
        calibrate(design, data, margins)
    assert str(err.value) == ("Randverteilung altersgruppe: Kategorie 75+ hat Sollwert 1.500, aber keine Befragten. "
                              "Bitte die Kategorie mit einer benachbarten zusammenfassen.")


def test_empty_category_with_zero_target_is_dropped(sample):
    data, design, margins = sample
    margins = {**margins, "geschlecht": {1: 4900, 2: 5100, 3: 0}}
    _, result = calibrate(design, data, margins)
    assert result.converged and len(result.margins) == 10


def test_unknown_category_error(sample):
    data, design, margins = sample
    data = data.copy()
    data.loc[:4, "geschlecht"] = 3
    with pytest.raises(CalibrationError, match=r"Randverteilung geschlecht: Kategorie 3 kommt bei 5 Befragten vor"):
        calibrate(design, data, margins)


def test_missing_characteristic_rule(sample):
    data, design, margins = sample
    data = data.astype({"geschlecht": object}).copy()
    data.loc[:9, "geschlecht"] = None
    data.loc[10:14, "geschlecht"] = 9
    cal, result = calibrate(design, data, margins, missing={"geschlecht": [9]})
    miss = data.geschlecht.isna().to_numpy() | (data.geschlecht == 9).to_numpy()
    share = design.weights[miss].sum() / design.weights.sum()
    assert result.missing == {"geschlecht": 15}
    assert_allclose(cal.weights.sum(), 10000, rtol=1e-7)  # total and other margins still hold
    assert_allclose(cal.weights[(data.geschlecht == 2).to_numpy()].sum(), 5100 * (1 - share), rtol=1e-7)
    assert_allclose(cal.weights[miss].sum(), 10000 * share, rtol=1e-6)
    assert any("Bei 15 Befragten fehlt das Merkmal geschlecht" in w for w in result.warnings)
    assert_allclose(result.missing_share["geschlecht"], share, rtol=1e-12)


def test_perturbed_margins_are_reconciled_with_warning(sample):
    data, design, margins = sample
    margins = {**margins, "geschlecht": {1: 4900, 2: 5120}}  # 0.2 % off
    cal, result = calibrate(design, data, margins)
    assert_allclose(cal.weights.sum(), 10000, rtol=1e-7)
    assert_allclose(cal.weights[(data.geschlecht == 2).to_numpy()].sum(), 5120 * 10000 / 10020, rtol=1e-7)
    assert result.warnings == ("Die Randverteilung geschlecht summiert sich auf 10.020 statt 10.000 (Abweichung "
                               "0,20 %, z. B. durch Zensus-Geheimhaltung); sie wurde proportional auf 10.000 angepasst.",)
    assert result.rescaled == {"geschlecht": (10020.0, 10000.0)} and result.missing_share == {}


def test_margins_too_different_is_an_error(sample):
    data, design, margins = sample
    margins = {**margins, "geschlecht": {1: 4900, 2: 6100}}
    with pytest.raises(CalibrationError, match=r"Randverteilung geschlecht summiert sich auf 11.000.*Abweichung 10,0 %"):
        calibrate(design, data, margins)


def test_infeasible_bounds(sample):
    data, design, margins = sample
    with pytest.raises(CalibrationError, match=r"Kategorie 16-29 lässt sich mit den Grenzen \[0,90; 1,10\] nicht"):
        calibrate(design, data, margins, calfun="logit", bounds=(0.9, 1.1))
    with pytest.raises(CalibrationError, match="müssen die 1 einschließen"):
        calibrate(design, data, margins, calfun="logit", bounds=(1.1, 2))
    with pytest.raises(CalibrationError, match="braucht endliche Grenzen"):
        calibrate(design, data, margins, calfun="logit")


def test_non_convergence_reports_iterations_and_misfit(sample):
    data, design, margins = sample
    with pytest.raises(CalibrationError, match=r"nach 3 Iterationen beträgt die größte relative Abweichung"):
        calibrate(design, data, margins, maxit=2)


def test_trimming_caps_g_and_keeps_total(sample):
    data, design, margins = sample
    _, full = calibrate(design, data, margins)
    lo, hi = 0.9, 1.1
    cal, result = calibrate(design, data, margins, trim=(lo, hi))
    assert result.g.max() <= max(hi, full.g[(full.g >= lo) & (full.g <= hi)].max()) + 0.2
    assert_allclose(cal.weights.sum(), 10000, rtol=1e-7)
    assert any("gekappt" in w for w in result.warnings)


def test_rescaling_like_r_when_weights_are_not_scaled(sample):
    data, _, margins = sample
    unit = make_design(weights=np.ones(N))
    cal, _ = calibrate(unit, data, margins)
    assert_allclose(cal.weights.sum(), 10000, rtol=1e-7)


def test_age_groups_and_number_format():
    got = age_groups([2009, 2010, 1996, 1950, 1951, None, 1900], 2025)
    assert list(got) == ["16-29", None, "16-29", "75+", "60-74", None, "75+"]
    assert number(1234567.891, 1) == "1.234.567,9"
    assert number(-3.21, 1, sign=True) == "\u22123,2"
    assert number(3.21, 1, sign=True) == "+3,2"
    assert number(-0.04, 1) == "0,0"  # no "−0,0"
    assert (p_value(0.0004), p_value(0.0421)) == ("p < 0,001", "p = 0,042")
