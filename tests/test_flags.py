"""Reliability and disclosure rules (analysis.core.flags)."""

from __future__ import annotations

from analysis.core.flags import classify, make_estimate


def test_classify_rules():
    assert classify(9, 0.1, 0.2, True)[0] == "unterdrueckt"
    assert classify(10, 0.1, 0.2, True)[0] == "unsicher"
    assert classify(29, 0.1, 0.2, True)[0] == "unsicher"
    assert classify(30, 0.1, 0.2, True) == ("ok", "")
    flag, reason = classify(100, 0.1, 0.45, True)
    assert (flag, reason) == ("unsicher", "wide_interval")
    assert classify(12, 0.1, 0.2, True) == ("unsicher", "small_n")
    assert classify(100, 1.0, 3.0, False) == ("ok", "")  # means: no width rule
    assert classify(100, float("nan"), 0.5, True)[0] == "unsicher"


def test_suppressed_estimate_has_no_numbers():
    est = make_estimate(estimate=0.5, se=0.1, ci_low=0.3, ci_high=0.7, n=4, weighted_n=40.0, deff=1.2, df=10,
                        method="logit", proportion=True)
    assert (est.estimate, est.se, est.ci_low, est.ci_high, est.deff) == (None,) * 5
    assert est.flag == "unterdrueckt" and est.suppressed and est.n == 4
    assert est.reason == "few_answers"
    assert est.as_dict()["estimate"] is None
