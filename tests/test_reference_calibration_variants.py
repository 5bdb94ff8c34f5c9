"""Calibration variants against tests/reference/calibration_variants.json (R survey 4.1).

The JSON is produced by tests/reference/calibration_variants.R (committed beside it): bounded logit
calibration (0.4, 2.2) and (0.5, 1.8), linear GREG, raking on one margin, the uncalibrated design and a
raked one-stage cluster sample (apiclus1).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from analysis.core import estimation
from analysis.core.calibration import calibrate
from analysis.core.design import make_design
from analysis.core.indicator_estimates import estimate_indicators
from test_reference_musterstadt import core_specs, muster  # noqa: F401  (fixture)

RTOL = 1e-6
VARIANTS = json.loads((Path(__file__).parent / "reference" / "calibration_variants.json").read_text())
CASES = {
    "logit_0.4_2.2": dict(calfun="logit", bounds=(0.4, 2.2)),
    "logit_0.5_1.8": dict(calfun="logit", bounds=(0.5, 1.8)),
    "linear": dict(calfun="linear"),
    "raking_altersgruppe": dict(calfun="raking", only="altersgruppe"),
    "uncalibrated": None,
}


def _flat(x):
    return float(np.ravel(x)[0])


@pytest.mark.parametrize("case", list(CASES))
def test_variant(case, muster):  # noqa: F811
    want = VARIANTS[case]
    responses, design = muster["responses"], muster["design"]
    options = CASES[case]
    if options is None:
        target = design
    else:
        margins = {k: v for k, v in muster["margins"].items() if options.get("only") in (None, k)}
        target, result = calibrate(design, responses, margins, calfun=options["calfun"], bounds=options.get("bounds"))
        if options.get("bounds"):
            low, high = options["bounds"]
            assert low < result.g_min and result.g_max < high
    assert_allclose(target.weights, want["weights"], rtol=RTOL)
    records = estimate_indicators(responses, target, core_specs(), ["geschlecht", "altersgruppe", "ortsteil"])
    beta = {r.indicator: r.estimate for r in estimate_indicators(responses, target, core_specs(), [], method="beta")}
    for indicator in ("unsicher_nachts", "anzeigequote_einbruch"):
        got = next(r.estimate for r in records if r.indicator == indicator and r.breakdown is None)
        ref = want[indicator]
        assert_allclose([got.estimate, got.se, got.deff], [_flat(ref["estimate"]), _flat(ref["se"]), ref["deff"]],
                        rtol=RTOL, err_msg=indicator)
        assert_allclose([got.ci_low, got.ci_high], ref["ci_logit"], rtol=RTOL, err_msg=indicator)
        assert_allclose([beta[indicator].ci_low, beta[indicator].ci_high], ref["ci_beta"], rtol=RTOL)
    got = next(r.estimate for r in records if r.indicator == "furcht_index" and r.breakdown is None)
    ref = want["furcht_index"]
    assert_allclose([got.estimate, got.se, got.ci_low, got.ci_high],
                    [_flat(ref["estimate"]), _flat(ref["se"]), *ref["ci"]], rtol=RTOL)
    for breakdown, groups in want["by"].items():
        got = {str(r.group): r.estimate for r in records if r.indicator == "unsicher_nachts" and r.breakdown == breakdown}
        for group, ref in groups.items():
            assert_allclose([got[group].estimate, got[group].se], [ref["estimate"], ref["se"]], rtol=RTOL)


def test_apiclus1_raked_cluster_design(shared_reference_dir):
    clus = pd.read_csv(shared_reference_dir / "api" / "apiclus1.csv")
    design = make_design(clusters=clus.dnum, fpc=clus.fpc.to_numpy(), weights=clus.pw.to_numpy())
    calibrated, _ = calibrate(design, clus, {"stype": {"E": 4421, "H": 755, "M": 1018}}, calfun="raking")
    want = VARIANTS["apiclus1_raking_stype"]
    assert_allclose(calibrated.weights, want["weights"], rtol=RTOL)
    assert calibrated.degf == want["degf"]
    got = estimation.mean(calibrated, clus.api00)
    assert_allclose([got.estimate, got.se], [_flat(want["estimate"]), _flat(want["se"])], rtol=RTOL)
