"""Subgroup differences, the overall test of a breakdown, and the Ortsteil hotspot screen.

Subgroup (kind ``subgroup``): each group ``g`` of a breakdown against the REST of the sample (the
respondents with a valid answer and a known group other than ``g``; never against an overall figure
that contains ``g``). Both parts are domains of the same design, so the standard error of
``ȳ_g - ȳ_rest`` includes their covariance (calibration and strata couple them). The test is R's
``svyttest(y ~ I(group == g), design)``: a design-based t test with ``df = degf(subset) - 1``, where the
subset is the respondents the test uses (valid answer, known group, inside the indicator's ``among``
domain) and ``degf`` is R's PSUs minus strata with nonzero weight (the residual df of the underlying
``svyglm(y ~ I(group == g))``). The effect's interval is ``diff ± t(df) · se`` (R ``confint`` of that
model). Estimates: ``group`` and ``rest`` (the engine's flagged estimates). Family: indicator ×
breakdown (``subgroup:<indicator>:<breakdown>``).

Breakdown (kind ``breakdown``): for shares the Rao-Scott F test of independence (R ``svychisq``,
``analysis.models.rao_scott.rao_scott``); for means the Wald F test that all group means are equal (R
``regTermTest(svyglm(y ~ factor(group)), ~factor(group))``: ``F = b'V⁻¹b / (k-1)`` for the ``k-1``
differences to the first group, ``ddf = degf(subset) - (k-1)``). Every group with answers enters the
test (a test statistic discloses no group value). Effect: the spread between the highest and the lowest
group shown (not suppressed). Family: the indicator (``breakdown:<indicator>``).

Hotspot (kind ``hotspot``): the same group-against-rest test for the Ortsteile, on the indicators
that have a polarity (+1: higher is worse, -1: higher is better), in one screening family over all
Ortsteile × screened indicators (``hotspot:<breakdown>``, Benjamini-Hochberg by default, see
``analysis.findings.families``); ``worse`` says whether the Ortsteil is significantly worse.

Disclosure: a comparison whose group or rest has fewer than 10 answers is not tested (note
``suppressed``) unless ``raw`` is set (analysts only).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace

import numpy as np

from analysis.core import distributions as dist
from analysis.core import estimation
from analysis.core.contrasts import contrasts, t_test
from analysis.core.design import Design
from analysis.core.results import Estimate
from analysis.findings.common import (
    EMPTY_NOTE,
    INVALID_NOTE,
    NO_VARIANCE_NOTE,
    SUPPRESSED_NOTE,
    Grouping,
    IndicatorValues,
    engine_estimate,
    estimate_ref,
    group_estimates,
    too_small,
)
from analysis.findings.types import Effect, Finding, FindingKind, Test
from analysis.models.rao_scott import rao_scott

TEST_SUBGROUP = "svyttest"
TEST_RAO_SCOTT = "rao_scott_f"
TEST_WALD_F = "wald_f"


def subgroup_findings(design: Design, indicator: IndicatorValues, grouping: Grouping, *, raw: bool = False,
                      level: float = 0.95, estimates: Mapping[str, Estimate] | None = None) -> list[Finding]:
    """One ``subgroup`` finding per group of ``grouping`` for ``indicator`` (see the module docstring).

    ``estimates``: the groups' estimates if already computed (:func:`~analysis.findings.common.group_estimates`).
    """
    estimates = estimates if estimates is not None else group_estimates(design, indicator, grouping)
    valid = indicator.valid & (grouping.codes != None)  # noqa: E711 - object array
    df = design.domain_degf(valid) - 1
    family = f"subgroup:{indicator.id}:{grouping.variable}"
    parts, testable = [], []
    for group in grouping.groups:
        in_group = valid & (grouping.codes == group)
        rest = valid & ~in_group
        est_g = estimates[group]
        est_r = engine_estimate(design, indicator, rest)
        refs = (estimate_ref("group", indicator.id, group, est_g, raw=raw, design=design, indicator=indicator,
                             mask=in_group),
                estimate_ref("rest", indicator.id, None, est_r, raw=raw, design=design, indicator=indicator,
                             mask=rest))
        note = None
        if est_g.n == 0 or est_r.n == 0:
            note = EMPTY_NOTE
        elif too_small(est_g, est_r) and not raw:
            note = SUPPRESSED_NOTE
        parts.append((group, refs, note, in_group, rest))
        if note is None:
            testable.append(len(parts) - 1)
    results = dict(zip(testable, contrasts(design, [(indicator.values, parts[i][3], indicator.values, parts[i][4])
                                                    for i in testable])))
    findings = []
    for index, (group, refs, note, _, _) in enumerate(parts):
        effect = test = None
        if note is None:
            contrast = results[index]
            result = t_test(contrast.estimate, contrast.se, df, level)
            if not math.isfinite(result.p):
                note = NO_VARIANCE_NOTE
            else:
                effect = Effect(indicator.effect_kind, contrast.estimate, result.ci_low, result.ci_high)
                test = Test(TEST_SUBGROUP, result.statistic, result.df, result.p)
        findings.append(Finding(
            id=f"subgroup:{indicator.id}:{grouping.variable}:{group}", kind=FindingKind.SUBGROUP, family=family,
            subject=indicator.id, by=grouping.variable, group=group, estimates=refs, effect=effect, test=test,
            note=note))
    return findings


def hotspot_findings(subgroups: list[Finding], polarity: Mapping[str, int]) -> list[Finding]:
    """Hotspot findings from the Ortsteil subgroup findings of the indicators with a polarity."""
    out = []
    for finding in subgroups:
        if finding.subject not in polarity:
            continue
        out.append(replace(finding, id=f"hotspot:{finding.subject}:{finding.by}:{finding.group}",
                           kind=FindingKind.HOTSPOT, family=f"hotspot:{finding.by}"))
    return out


def breakdown_finding(design: Design, indicator: IndicatorValues, grouping: Grouping,
                      subgroups: list[Finding]) -> Finding:
    """The overall test of ``grouping`` for ``indicator``; ``subgroups`` give the shown group estimates."""
    shown = [e for f in subgroups for e in f.estimates if e.role == "group" and e.value is not None
             and e.flag != "unterdrueckt"]
    effect = None
    if len(shown) >= 2:
        values = [e.value for e in shown]
        effect = Effect(indicator.effect_kind, max(values) - min(values))
    valid = indicator.valid & (grouping.codes != None)  # noqa: E711
    present = [g for g in grouping.groups if np.any(valid & (grouping.codes == g))]
    test, note = None, None
    if len(present) < 2:
        note = EMPTY_NOTE
    elif indicator.kind == "proportion":
        result = rao_scott(design, indicator.values, grouping.codes, domain=indicator.domain, statistic="F",
                           col_keys=grouping.keys)
        if result.valid and math.isfinite(result.p_value):
            test = Test(TEST_RAO_SCOTT, result.value, result.ndf, result.p_value, df2=result.ddf)
        else:
            note = INVALID_NOTE
    else:
        test = _wald_equal_means(design, indicator, grouping, present, valid)
        note = None if test is not None else NO_VARIANCE_NOTE
    return Finding(id=f"breakdown:{indicator.id}:{grouping.variable}", kind=FindingKind.BREAKDOWN,
                   family=f"breakdown:{indicator.id}", subject=indicator.id, by=grouping.variable,
                   estimates=tuple(shown), effect=effect, test=test, note=note)


def _wald_equal_means(design: Design, indicator: IndicatorValues, grouping: Grouping, present: list[str],
                      valid: np.ndarray) -> Test | None:
    mean_first, z_first, _ = estimation.domain_mean_influence(design, indicator.values,
                                                              valid & (grouping.codes == present[0]))
    diffs, columns = [], []
    for group in present[1:]:
        mean_g, z_g, _ = estimation.domain_mean_influence(design, indicator.values, valid & (grouping.codes == group))
        diffs.append(mean_g - mean_first)
        columns.append(z_g - z_first)
    cov = np.atleast_2d(design.variance_of_total(np.column_stack(columns)))
    b = np.asarray(diffs)
    try:
        chisq = float(b @ np.linalg.solve(cov, b))
    except np.linalg.LinAlgError:
        return None
    k = len(diffs)
    ddf = design.domain_degf(valid) - k  # svyglm residual df: degf + 1 - (k + 1) coefficients
    if not math.isfinite(chisq) or ddf <= 0:
        return None
    f = chisq / k
    return Test(TEST_WALD_F, f, float(k), float(dist.f_sf(f, k, ddf)), df2=float(ddf))
