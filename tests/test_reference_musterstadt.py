"""Every figure of ../shared/reference/musterstadt/reference.json (R survey 4.1), rtol 1e-6.

Rao-Scott and the logistic model are tested elsewhere.
"""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from analysis.core import estimation, estimation_grouped
from analysis.core.calibration import age_groups, calibrate
from analysis.core.design import make_design
from analysis.core.indicator_estimates import estimate_indicators
from analysis.core.indicators import AnyOfIndicator, Domain, MeanIndex, ShareIndicator

RTOL = 1e-6
V4 = frozenset({1, 2, 3, 4})
HIGH = frozenset({3, 4})
OFFENCES = ("fahrrad", "einbruch", "sachbeschaedigung", "koerperverletzung", "betrug")
SORGE = ("einbruch", "diebstahl", "koerperverletzung", "belaestigung", "betrug", "sachbeschaedigung")
PROBLEM = ("graffiti", "muell", "vandalismus", "alkohol", "drogen", "jugendgruppen", "laerm", "verkehr")


def core_specs() -> list:
    """Core indicators of DESIGN.md §4 as the standard questionnaire defines them."""
    specs = [ShareIndicator(f"unsicher_{x}", x, f"sicher_{y}", HIGH, V4, core=True)
             for x, y in (("nachts", "nacht"), ("tag", "tag"), ("gemeinde", "gemeinde"))]
    specs += [ShareIndicator(f"sorge_hoch_{x}", x, f"sorge_{x}", HIGH, V4, core=True) for x in SORGE]
    specs += [ShareIndicator(f"problem_gross_{x}", x, f"problem_{x}", HIGH, V4, core=True) for x in PROBLEM]
    specs += [ShareIndicator(f"opfer_12m_{x}", x, f"opfer_{x}", frozenset({1}), frozenset({1, 2}), core=True)
              for x in OFFENCES]
    specs.append(AnyOfIndicator("opfer_12m_irgendein", "irgendein", tuple(f"opfer_{x}" for x in OFFENCES),
                                frozenset({1}), frozenset({2}), core=True))
    specs += [ShareIndicator(f"anzeigequote_{x}", x, f"anzeige_{x}", frozenset({1}), frozenset({1, 2}),
                             among=Domain(f"opfer_{x}", frozenset({1})), core=True) for x in OFFENCES]
    specs.append(ShareIndicator("meidet_orte", "meidet", "meide_orte", HIGH, V4, core=True))
    specs.append(ShareIndicator("vertrauen_polizei_hoch", "vertrauen", "vertrauen_polizei", frozenset({1, 2}), V4,
                                core=True))
    specs.append(MeanIndex("furcht_index", "Furcht", tuple(f"sorge_{x}" for x in SORGE), V4, 4, core=True))
    specs.append(MeanIndex("problem_index", "Probleme", tuple(f"problem_{x}" for x in PROBLEM), V4, 6, core=True))
    return specs


@pytest.fixture(scope="module")
def muster(musterstadt_dir):
    responses = pd.read_csv(musterstadt_dir / "responses.csv")
    strata = pd.read_csv(musterstadt_dir / "strata.csv")
    population = pd.read_csv(musterstadt_dir / "population.csv")
    reference = json.loads((musterstadt_dir / "reference.json").read_text())
    weights = pd.read_csv(musterstadt_dir / "reference_weights.csv")
    responses["altersgruppe"] = age_groups(responses["geburtsjahr"], reference["dataset"]["year"])
    design = make_design(strata=responses["ortsteil"], fpc=dict(zip(strata.ortsteil, strata.einwohner_16plus)))
    margins = {
        "ortsteil": dict(zip(strata.ortsteil, strata.einwohner_16plus)),
        "altersgruppe": population.groupby("altersgruppe").einwohner.sum().to_dict(),
        "geschlecht": population.groupby("geschlecht").einwohner.sum().to_dict(),
    }
    calibrated, result = calibrate(design, responses, margins, calfun="raking")
    records = estimate_indicators(responses, calibrated, core_specs(), ["geschlecht", "altersgruppe", "ortsteil"])
    beta = estimate_indicators(responses, calibrated, core_specs(), [], method="beta")
    return dict(responses=responses, design=design, margins=margins, calibrated=calibrated, result=result, reference=reference,
                weights=weights, records=records, beta={r.indicator: r.estimate for r in beta})


def overall(muster, indicator):
    return next(r.estimate for r in muster["records"] if r.indicator == indicator and r.breakdown is None)


def test_design_weights_match(muster):
    assert list(muster["weights"].resp_id) == list(muster["responses"].resp_id)
    assert_allclose(muster["design"].weights, muster["weights"].design_weight, rtol=RTOL)


def test_calibrated_weights_match(muster):
    assert_allclose(muster["calibrated"].weights, muster["weights"].weight, rtol=RTOL)
    assert_allclose(muster["result"].weights_sum, muster["reference"]["weights_sum"], rtol=RTOL)
    assert muster["result"].converged and muster["result"].iterations <= 10


def test_degf(muster):
    assert muster["calibrated"].degf == muster["reference"]["degf"]


def test_every_proportion(muster):
    ref = muster["reference"]["proportions"]
    assert len(ref) == 30
    for indicator, want in ref.items():
        got = overall(muster, indicator)
        assert got.n == want["n"], indicator
        assert_allclose(got.estimate, want["estimate"], rtol=RTOL, err_msg=indicator)
        assert_allclose(got.se, want["se"], rtol=RTOL, err_msg=indicator)
        assert_allclose(got.deff, want["deff"], rtol=RTOL, err_msg=indicator)
        assert_allclose([got.ci_low, got.ci_high], want["ci_logit"], rtol=RTOL, err_msg=indicator)
        assert_allclose(got.weighted_n, want["weighted_n"], rtol=RTOL, err_msg=indicator)
        beta = muster["beta"][indicator]
        assert_allclose([beta.ci_low, beta.ci_high], want["ci_beta"], rtol=RTOL, err_msg=indicator)


def test_means(muster):
    for indicator, want in muster["reference"]["means"].items():
        got = overall(muster, indicator)
        assert got.n == want["n"]
        assert got.method == "t" and got.df == 839
        assert_allclose([got.estimate, got.se], [want["estimate"], want["se"]], rtol=RTOL)
        assert_allclose([got.ci_low, got.ci_high], want["ci"], rtol=RTOL)


def test_every_breakdown(muster):
    by = muster["reference"]["by"]
    assert len(by) == 12
    for key, groups in by.items():
        indicator, breakdown = key.split("__by__")
        got = {str(r.group): r.estimate for r in muster["records"]
               if r.indicator == indicator and r.breakdown == breakdown}
        assert set(got) == set(groups), key
        for group, want in groups.items():
            assert got[group].n == want["n"], (key, group)
            assert_allclose([got[group].estimate, got[group].se], [want["estimate"], want["se"]], rtol=RTOL,
                            err_msg=f"{key} {group}")


def test_generic_path_equals_fast_path(muster):
    """The generic variance core (Design.variance_of_total, forced by marking the design clustered with
    singleton PSUs) reproduces R as well as the sufficient-statistics path."""
    cal, responses = dataclasses.replace(muster["calibrated"], clustered=True), muster["responses"]
    assert not estimation_grouped.supports(cal)
    ref = muster["reference"]
    y = np.where(responses.sicher_nacht.isin([3, 4]), 1.0, np.where(responses.sicher_nacht.isin([1, 2]), 0.0, np.nan))
    for g, want in ref["by"]["unsicher_nachts__by__altersgruppe"].items():
        got = estimation.proportion(cal, y, domain=responses.altersgruppe.to_numpy() == g)
        assert_allclose([got.estimate, got.se], [want["estimate"], want["se"]], rtol=RTOL)
    got = estimation.proportion(cal, y, method="beta")
    assert_allclose([got.ci_low, got.ci_high], ref["proportions"]["unsicher_nachts"]["ci_beta"], rtol=RTOL)
    by = estimation.by_groups(cal, y, responses.ortsteil)
    for g, want in ref["by"]["unsicher_nachts__by__ortsteil"].items():
        assert_allclose([by[int(g)].estimate, by[int(g)].se], [want["estimate"], want["se"]], rtol=RTOL)
