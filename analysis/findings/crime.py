"""PKS findings: trends of offence groups and comparisons with Landkreis and Land.

Trend (kind ``trend``): from ``analysis.crime.trend.TrendResult`` (quasi-Poisson with log-population
offset, t test with n - 2 df; two years: Poisson closed form, normal). Effect: the trend factor (rate
ratio per year) with its interval; test ``quasi_poisson_t`` (or ``poisson_z`` for two years) with the
statistic ``log(RR) / se``, ``se`` recovered from the interval. Family: the offence groups of one area
(``trend:<area>``).

Reference (kind ``reference``): from ``analysis.crime.rates.RateRatio`` of the commune against the
REST of the reference area (``analysis.crime.frames.compare_with_reference``). Effect: the rate ratio with its
exact conditional interval; test ``exact_conditional`` with the exact p-value (R ``poisson.test`` of
the two counts, i.e. ``binom.test(k1, k1 + k2, E1 / (E1 + E2))``). Estimates: ``area`` and
``reference_rest`` as Häufigkeitszahlen (cases per 100,000) with Garwood intervals, ``n`` = cases.
Family: the offence groups against one reference area (``reference:<reference>``).

Both have polarity +1 (more registered crime is worse), applied by ``compute_findings``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from analysis.core import distributions as dist
from analysis.crime.rates import PER, RateRatio, exact_rate_ratio_p, garwood_interval
from analysis.crime.trend import METHOD_TWO_YEARS, TrendResult
from analysis.findings.types import (
    Effect,
    EffectKind,
    EstimateRef,
    Finding,
    FindingKind,
    Test,
)

TEST_TREND = "quasi_poisson_t"
TEST_TREND_TWO_YEARS = "poisson_z"
TEST_REFERENCE = "exact_conditional"


def trend_findings(trends: Mapping[str, TrendResult], area: str) -> list[Finding]:
    """One ``trend`` finding per offence group id in ``trends`` (family ``trend:<area>``)."""
    findings = []
    for offence, trend in trends.items():
        two_years = trend.method == METHOD_TWO_YEARS
        df = math.inf if two_years else float(trend.df_resid)
        q = dist.norm_ppf(0.5 + trend.conf_level / 2) if two_years else dist.t_ppf(0.5 + trend.conf_level / 2, df)
        log_rr = math.log(trend.rate_ratio)
        se = (math.log(trend.ci_high) - math.log(trend.ci_low)) / (2 * q)
        period = EstimateRef("period", offence, f"{trend.years[0]}-{trend.years[-1]}", trend.rate_ratio, None,
                             trend.ci_low, trend.ci_high, n=len(trend.years), df=None if two_years else df)
        findings.append(Finding(
            id=f"trend:{area}:{offence}", kind=FindingKind.TREND, family=f"trend:{area}", subject=offence,
            group=str(area), estimates=(period,),
            effect=Effect(EffectKind.TREND_FACTOR, trend.rate_ratio, trend.ci_low, trend.ci_high),
            test=Test(TEST_TREND_TWO_YEARS if two_years else TEST_TREND, log_rr / se if se > 0 else None,
                      None if two_years else df, trend.p_value)))
    return findings


def _rate_ref(role: str, offence: str, area: str, cases: int, population: float, conf_level: float) -> EstimateRef:
    low, high = garwood_interval(cases, population / PER, conf_level)
    return EstimateRef(role, offence, area, cases * PER / population, None, low, high, n=cases)


def reference_findings(ratios: Mapping[str, RateRatio], area: str, reference: str) -> list[Finding]:
    """One ``reference`` finding per offence group id in ``ratios`` (family ``reference:<reference>``)."""
    findings = []
    for offence, ratio in ratios.items():
        p = exact_rate_ratio_p(ratio.cases, ratio.population, ratio.reference_cases, ratio.reference_population)
        estimates = (_rate_ref("area", offence, str(area), ratio.cases, ratio.population, ratio.conf_level),
                     _rate_ref("reference_rest", offence, str(reference), ratio.reference_cases,
                               ratio.reference_population, ratio.conf_level))
        findings.append(Finding(
            id=f"reference:{reference}:{offence}", kind=FindingKind.REFERENCE, family=f"reference:{reference}",
            subject=offence, group=str(reference), estimates=estimates,
            effect=Effect(EffectKind.RATE_RATIO, ratio.ratio, ratio.ci_low, ratio.ci_high),
            test=Test(TEST_REFERENCE, float(ratio.cases), None, p)))
    return findings
