"""The public Python API: SurveyData carries data and design, aligns by index, keeps domains, raw mode."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import analysis
from analysis import SurveyData, calibrate, make_design
from analysis.core import estimation
from test_regression import musterstadt


@pytest.fixture(scope="module")
def muster(musterstadt_dir):
    responses, calibrated, reference = musterstadt(musterstadt_dir)
    strata = pd.read_csv(musterstadt_dir / "strata.csv")
    population = pd.read_csv(musterstadt_dir / "population.csv")
    frame = responses.set_index("resp_id", drop=False)
    residents = dict(zip(strata.ortsteil, strata.einwohner_16plus))
    margins = {"ortsteil": residents,
               "altersgruppe": population.groupby("altersgruppe").einwohner.sum().to_dict(),
               "geschlecht": population.groupby("geschlecht").einwohner.sum().to_dict()}
    survey = SurveyData.from_frame(frame, strata="ortsteil", fpc=residents).calibrate(margins)
    return survey, calibrated, reference


def test_public_names_resolve():
    assert "SurveyData" in analysis.__all__ and "compute_findings" in analysis.__all__
    for name in analysis.__all__:
        assert getattr(analysis, name) is not None
    with pytest.raises(AttributeError):
        analysis.no_such_name  # noqa: B018


def test_calibrated_survey_reproduces_r_reference(muster):
    survey, calibrated, reference = muster
    assert np.allclose(survey.design.weights, calibrated.weights, rtol=1e-12)
    assert survey.weighting.converged
    night = survey.proportion("sicher_nacht", codes=[3, 4], valid=[1, 2, 3, 4])
    want = reference["proportions"]["unsicher_nachts"]
    assert night.estimate == pytest.approx(want["estimate"], rel=1e-6)
    assert night[None].se == pytest.approx(want["se"], rel=1e-6)
    assert [night[None].ci_low, night[None].ci_high] == pytest.approx(want["ci_logit"], rel=1e-6)
    by = survey.proportion("sicher_nacht", codes=[3, 4], valid=[1, 2, 3, 4], by="ortsteil")
    for group, ref in reference["by"]["unsicher_nachts__by__ortsteil"].items():
        assert by[group].estimate == pytest.approx(ref["estimate"], rel=1e-6)
        assert by[int(group)].se == pytest.approx(ref["se"], rel=1e-6)


def test_series_masks_align_by_index_not_position(muster):
    survey, _, _ = muster
    women = survey.frame["geschlecht"] == 2
    shuffled = women.sample(frac=1.0, random_state=3)
    assert not shuffled.index.equals(women.index)
    a = survey.subset(women).mean("sicher_nacht", valid=[1, 2, 3, 4])
    b = survey.subset(shuffled).mean("sicher_nacht", valid=[1, 2, 3, 4])
    assert a.estimate == b.estimate and a[None].se == b[None].se
    y = pd.to_numeric(survey.frame["sicher_nacht"]).where(survey.frame["sicher_nacht"].isin([1, 2, 3, 4]))
    direct = estimation.mean(survey.design, y.to_numpy(), women.to_numpy())
    assert a.estimate == pytest.approx(direct.estimate, rel=1e-12) and a[None].se == pytest.approx(direct.se)
    with pytest.raises(ValueError, match="fehlt ein Wert"):
        survey.subset(women.iloc[5:])


def test_subset_keeps_every_row_and_intersects(muster):
    survey, _, _ = muster
    women = survey.subset(survey.frame["geschlecht"] == 2)
    old_women = women.subset(survey.frame["altersgruppe"] == "75+")
    assert old_women.design.n == survey.design.n  # a domain, not a filter
    n = ((survey.frame["geschlecht"] == 2) & (survey.frame["altersgruppe"] == "75+")
         & survey.frame["sicher_nacht"].isin([1, 2, 3, 4])).sum()
    assert old_women.proportion("sicher_nacht", codes=[3, 4], valid=[1, 2, 3, 4])[None].n == n


def test_raw_mode_keeps_numbers_and_flag(muster):
    survey, _, _ = muster
    tiny = survey.frame.index[:4]
    mask = pd.Series(survey.frame.index.isin(tiny), index=survey.frame.index)
    policy = survey.subset(mask).mean("sicher_nacht", valid=[1, 2, 3, 4])[None]
    raw = survey.raw().subset(mask).mean("sicher_nacht", valid=[1, 2, 3, 4])[None]
    assert policy.flag == raw.flag == "unterdrueckt" and policy.estimate is None
    y = pd.to_numeric(survey.frame["sicher_nacht"])[tiny].to_numpy()
    w = survey.weights[tiny].to_numpy()
    assert raw.estimate == pytest.approx(float((w * y).sum() / w.sum()), rel=1e-12)
    assert raw.se is not None and raw.ci_low < raw.estimate < raw.ci_high and raw.df == policy.df


def test_total_and_to_frame(muster):
    survey, _, _ = muster
    total = survey.total(survey.frame["geschlecht"].eq(2).astype(float).rename("frauen"), by="ortsteil")
    frame = total.to_frame()
    assert list(frame.index) == ["1", "2", "3", "4"] and frame["variable"].unique().tolist() == ["frauen"]
    assert frame["estimate"].sum() == pytest.approx(
        float(survey.weights[survey.frame["geschlecht"] == 2].sum()), rel=1e-12)
    assert {"estimate", "se", "ci_low", "ci_high", "n", "flag", "df"} <= set(frame.columns)


def test_findings_from_the_survey_object(muster):
    survey, _, _ = muster
    spec = analysis.ShareIndicator("unsicher_nachts", "nachts", "sicher_nacht", frozenset({3, 4}),
                                   frozenset({1, 2, 3, 4}))
    findings = survey.findings([spec], ["ortsteil"], {"unsicher_nachts": 1})
    hotspot = next(f for f in findings if f.id == "hotspot:unsicher_nachts:ortsteil:3")
    assert hotspot.worse and hotspot.adjustment == "bh"
    with pytest.raises(ValueError, match="ganze Stichprobe"):
        survey.subset(survey.frame["geschlecht"] == 2).findings([spec])


def test_frame_needs_a_unique_index_and_matching_length():
    frame = pd.DataFrame({"x": [1.0, 2.0]}, index=[7, 7])
    with pytest.raises(ValueError, match="nicht eindeutig"):
        SurveyData(frame, make_design(weights=[1.0, 1.0]))
    with pytest.raises(ValueError, match="Zeilen"):
        SurveyData(frame.reset_index(drop=True), make_design(weights=[1.0, 1.0, 1.0]))
    survey = SurveyData(frame.reset_index(drop=True), make_design(weights=[1.0, 3.0]))
    with pytest.raises(ValueError, match="0/1"):
        survey.proportion("x")
    assert calibrate is analysis.core.calibration.calibrate
