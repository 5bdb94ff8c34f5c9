"""A stratum with a single respondent against R's survey.lonely.psu options, rtol 1e-6.

tests/reference/lonely_stratum.json is made by tests/reference/lonely_stratum.R (committed beside it):
musterstadt with one respondent of Ortsteil 3 moved to a new Ortsteil 5 of its own. Calibration works
under every option (as in R); "fail" stops at the variance; "adjust", "average", "certainty" and
"remove" give R's standard errors overall and in domains (geschlecht, altersgruppe, ortsteil), for the
calibrated and the uncalibrated design, on both engine paths.
"""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from analysis.core import estimation, estimation_grouped
from analysis.core.calibration import age_groups, calibrate
from analysis.core.design import make_design
from analysis.errors import LonelyStratumError
from analysis.core.indicators import indicator_values
from test_reference_musterstadt import core_specs

RTOL = 1e-6
REFERENCE = json.loads((Path(__file__).parent / "reference" / "lonely_stratum.json").read_text())
OPTIONS = ("adjust", "average", "certainty", "remove")
BREAKDOWNS = ("geschlecht", "altersgruppe", "ortsteil")


def _scalar(value):
    return math.nan if value == "NaN" else float(np.ravel(value)[0])


@pytest.fixture(scope="module")
def lonely(musterstadt_dir):
    responses = pd.read_csv(musterstadt_dir / "responses.csv")
    strata = pd.read_csv(musterstadt_dir / "strata.csv")
    population = pd.read_csv(musterstadt_dir / "population.csv")
    info = REFERENCE["lonely"]
    row = info["moved_row"] - 1
    assert responses.resp_id[row] == info["resp_id"]
    responses.loc[row, "ortsteil"] = info["code"]
    strata.loc[strata.ortsteil == info["from"], "einwohner_16plus"] -= info["population"]
    fpc = {**dict(zip(strata.ortsteil, strata.einwohner_16plus)), info["code"]: info["population"]}
    responses["altersgruppe"] = age_groups(responses["geburtsjahr"], 2025)
    margins = {"ortsteil": fpc,
               "altersgruppe": population.groupby("altersgruppe").einwohner.sum().to_dict(),
               "geschlecht": population.groupby("geschlecht").einwohner.sum().to_dict()}
    values = {spec.id: indicator_values(responses, spec)[0] for spec in core_specs()
              if spec.id in ("unsicher_nachts", "furcht_index")}
    designs = {}
    for option in ("fail",) + OPTIONS:
        design = make_design(strata=responses["ortsteil"], fpc=fpc, lonely_psu=option)
        designs[option] = {"uncalibrated": design,
                           "calibrated": calibrate(design, responses, margins, calfun="raking").design}
    return {"responses": responses, "designs": designs, "values": values}


def test_calibration_works_and_fail_stops_at_the_variance(lonely):
    for which in ("calibrated", "uncalibrated"):
        design = lonely["designs"]["fail"][which]
        assert_allclose(design.weights, REFERENCE["weights"][which], rtol=RTOL)
        assert design.lonely_labels == (5,)
        assert REFERENCE["fail"][which] == "Stratum (5) has only one PSU at stage 1"
        with pytest.raises(LonelyStratumError, match="Die Schicht 5 enthält nur eine Erhebungseinheit") as error:
            estimation.proportion(design, lonely["values"]["unsicher_nachts"])
        assert error.value.strata == (5,)


def _raw_se(design, y, domain, path):
    """Standard error of a domain mean without the reliability flags (R's numbers for any n)."""
    valid = ~np.isnan(y) & domain
    if path == "grouped":
        stats = estimation_grouped.GroupedEstimator(design).estimate(np.where(valid, y, 0.0), valid, False)[0]
        return math.sqrt(stats.variance[0]) if np.isfinite(stats.variance[0]) else math.nan
    _, z, valid = estimation.domain_mean_influence(design, y, domain)
    variance = design.variance_of_total(z, rows=valid)
    return math.sqrt(variance) if np.isfinite(variance) else math.nan


@pytest.mark.parametrize("option", OPTIONS)
@pytest.mark.parametrize("which", ["calibrated", "uncalibrated"])
@pytest.mark.parametrize("path", ["grouped", "generic"])
def test_lonely_options_equal_r(lonely, option, which, path):
    design = lonely["designs"][option][which]
    if path == "generic":
        design = dataclasses.replace(design, clustered=True)
    want = REFERENCE[option][which]
    assert design.degf == want["degf"]
    responses = lonely["responses"]
    for indicator, y in lonely["values"].items():
        ref = want[indicator]
        kind = "proportion" if indicator == "unsicher_nachts" else "mean"
        got = (estimation.proportion(design, y) if kind == "proportion" else estimation.mean(design, y))
        assert_allclose([got.estimate, got.se], [_scalar(ref["overall"]["estimate"]), _scalar(ref["overall"]["se"])],
                        rtol=RTOL, err_msg=f"{option} {which} {indicator}")
        if kind == "proportion":
            assert_allclose([got.ci_low, got.ci_high], ref["overall"]["ci_logit"], rtol=RTOL)
        for breakdown in BREAKDOWNS:
            column = responses[breakdown].astype(str).to_numpy()
            flagged = {str(k): v for k, v in estimation.by_groups(design, y, column, kind=kind).items()}
            for group, expected in ref[breakdown].items():
                where = f"{option} {which} {path} {indicator} {breakdown}={group}"
                se = _raw_se(design, y, column == group, path)
                want_se = _scalar(expected["se"])
                if math.isnan(want_se):  # R: "average" with only the lonely stratum in the domain
                    assert math.isnan(se), where
                else:
                    # atol: where R's SE is exactly 0 (the lonely Ortsteil's own domain after calibration)
                    # the sufficient-statistics path leaves rounding noise of about 1e-8
                    assert_allclose(se, want_se, rtol=RTOL, atol=1e-7, err_msg=where)
                if flagged[group].se is not None:
                    assert_allclose(flagged[group].se, want_se, rtol=RTOL, err_msg=where)


def test_certainty_and_remove_agree_and_adjust_differs_without_calibration(lonely):
    """In a one-stage design R's "certainty" and "remove" are the same formula; "adjust" adds the
    lonely PSU's squared total (0 after calibration on the Ortsteil margin, whose residual is 0)."""
    y = lonely["values"]["unsicher_nachts"]
    se = {o: estimation.proportion(lonely["designs"][o]["uncalibrated"], y).se for o in OPTIONS}
    assert se["certainty"] == se["remove"] < se["adjust"] < se["average"]
    calibrated = {o: estimation.proportion(lonely["designs"][o]["calibrated"], y).se for o in OPTIONS}
    assert_allclose(calibrated["adjust"], calibrated["certainty"], rtol=1e-9)
