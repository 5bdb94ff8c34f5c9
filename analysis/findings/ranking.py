"""Rankings: items (e.g. the six worries) or the groups of a breakdown, ordered by their estimate.

Items are ordered from the highest estimate down; each ADJACENT pair gets one finding (kind
``ranking``) with the test of their difference on the SAME sample. A lead ("am höchsten") may only be
stated when the pair at rank 1 has a direction ``higher``; a pair with direction ``equal`` is a tie
("gleichauf"). The lowest place is read from the last pair the same way.

* Items (:func:`item_ranking`): two indicators of the same respondents are dependent. The difference
  ``ȳ_a - ȳ_b`` of the two reported estimates (each over its own valid answers, as in the indicator
  table) has influence values ``z_a - z_b``; its variance is the design variance of that contrast, so
  the covariance of the two items is included (R: ``svycontrast`` of the ratio estimates
  ``Σ w y_a 1_a / Σ w 1_a - Σ w y_b 1_b / Σ w 1_b`` from one ``svytotal``). t test with
  ``df = degf(subset) - 1``, the subset being the respondents valid on at least one of the two items
  (as for the two-group test: two means estimated on that subset).
* Groups (:func:`group_ranking`): two disjoint domains of one design; the test is R's
  ``svyttest(y ~ I(group == a), subset(design, group %in% c(a, b)))`` (``df = degf(subset) - 1``).

Only estimates the disclosure rule shows take part (unless ``raw``). Estimates: ``upper`` (rank r) and
``lower`` (rank r + 1), effect = upper - lower (≥ 0). Families: ``ranking:<set>`` for items and
``ranking:<indicator>:<breakdown>`` for groups, Holm by default.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np

from analysis.core.design import Design
from analysis.findings.common import (
    NO_VARIANCE_NOTE, Grouping, IndicatorValues, engine_estimate, estimate_ref, group_estimates,
)
from analysis.core.contrasts import contrasts, t_test
from analysis.findings.types import Effect, EstimateRef, Finding, FindingKind, Test
from analysis.core.results import Estimate

TEST_PAIRED = "paired_t"
TEST_GROUPS = "svyttest"


def _order(entries: list[tuple[EstimateRef, object]]) -> list[tuple[EstimateRef, object]]:
    return sorted(entries, key=lambda entry: -entry[0].value)


def _pair_findings(ordered, results, dfs, family, subject, effect_kind, test_name, by, level) -> list[Finding]:
    findings = []
    for rank, ((upper, _), (lower, _), contrast, df) in enumerate(
            zip(ordered[:-1], ordered[1:], results, dfs), start=1):
        result = t_test(contrast.estimate, contrast.se, df, level)
        effect = test = note = None
        if math.isfinite(result.p):
            effect = Effect(effect_kind, contrast.estimate, result.ci_low, result.ci_high)
            test = Test(test_name, result.statistic, result.df, result.p)
        else:
            note = NO_VARIANCE_NOTE
        estimates = (replace(upper, role="upper", rank=rank), replace(lower, role="lower", rank=rank + 1))
        findings.append(Finding(id=f"{family}:{rank}", kind=FindingKind.RANKING, family=family, subject=subject,
                                by=by, estimates=estimates, effect=effect, test=test, note=note))
    return findings


def item_ranking(design: Design, indicators: Mapping[str, IndicatorValues], set_id: str, items: Sequence[str], *,
                 raw: bool = False, level: float = 0.95) -> list[Finding]:
    """Adjacent-pair findings of the ranking ``set_id`` over the indicator ids ``items``."""
    members = [indicators[i] for i in items if i in indicators]
    kinds = {m.kind for m in members}
    if len(kinds) > 1:
        raise ValueError(f"Die Rangfolge {set_id} mischt Anteile und Mittelwerte.")
    entries = []
    for member in members:
        estimate = engine_estimate(design, member, member.valid)
        ref = estimate_ref("item", member.id, None, estimate, raw=raw, design=design, indicator=member,
                           mask=member.valid)
        if ref.value is not None:
            entries.append((ref, member))
    ordered = _order(entries)
    if len(ordered) < 2:
        return []
    pairs = [(a.values, a.valid, b.values, b.valid) for (_, a), (_, b) in zip(ordered[:-1], ordered[1:])]
    dfs = [design.domain_degf(a.valid | b.valid) - 1 for (_, a), (_, b) in zip(ordered[:-1], ordered[1:])]
    return _pair_findings(ordered, contrasts(design, pairs), dfs, f"ranking:{set_id}", set_id,
                          members[0].effect_kind, TEST_PAIRED, None, level)


def group_ranking(design: Design, indicator: IndicatorValues, grouping: Grouping, *, raw: bool = False,
                  level: float = 0.95, estimates: Mapping[str, Estimate] | None = None) -> list[Finding]:
    """Adjacent-pair findings of the groups of ``grouping`` ordered by ``indicator``."""
    estimates = estimates if estimates is not None else group_estimates(design, indicator, grouping)
    valid = indicator.valid & (grouping.codes != None)  # noqa: E711
    entries = []
    for group in grouping.groups:
        mask = valid & (grouping.codes == group)
        estimate = estimates[group]
        ref = estimate_ref("group", indicator.id, group, estimate, raw=raw, design=design, indicator=indicator,
                           mask=mask)
        if ref.value is not None and estimate.n > 0:
            entries.append((ref, mask))
    ordered = _order(entries)
    if len(ordered) < 2:
        return []
    pairs = [(indicator.values, a, indicator.values, b) for (_, a), (_, b) in zip(ordered[:-1], ordered[1:])]
    dfs = [design.domain_degf(np.asarray(a) | np.asarray(b)) - 1
           for (_, a), (_, b) in zip(ordered[:-1], ordered[1:])]
    return _pair_findings(ordered, contrasts(design, pairs), dfs, f"ranking:{indicator.id}:{grouping.variable}",
                          indicator.id, indicator.effect_kind, TEST_GROUPS, grouping.variable, level)
