"""Neighbourhood problems ranked by prevalence and by their association with insecurity.

Association: the difference in the share feeling unsafe at night (``unsicher_nachts``) between those
who see a big problem (indicator value 1) and those who do not (value 0), both as domains of the same
design: ``analysis.core.estimation.domain_difference`` (the covariance induced by calibration and strata is
included; t interval and p-value on the design degrees of freedom).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from analysis.core.design import Design
from analysis.core.estimation import domain_difference, domain_mean_influence
from analysis.findings.families import adjust_families
from analysis.findings.strength import DEFAULT_RULE, StrengthRule, classify
from analysis.findings.types import Effect, EffectKind, EstimateRef, Finding, FindingKind, Test
from analysis.profile.indicators import FLAG_SUPPRESSED, IndicatorRecord, flag_for


@dataclass(frozen=True)
class ProblemAssociation:
    """Share unsafe among those seeing a big problem (``with``) and the others, and the difference."""

    share_with: float | None
    share_without: float | None
    n_with: int
    n_without: int
    difference: float | None
    se: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    flag: str
    flag_reason: str | None


@dataclass(frozen=True)
class ProblemRank:
    indicator: str
    label: str
    prevalence: IndicatorRecord
    association: ProblemAssociation
    rank_prevalence: int | None
    rank_association: int | None


def problem_association(design: Design, outcome: np.ndarray, problem: np.ndarray) -> ProblemAssociation:
    """Difference in the mean of ``outcome`` (0/1, NaN missing) between problem = 1 and problem = 0."""
    valid = np.isfinite(outcome) & np.isfinite(problem)
    with_mask, without_mask = valid & (problem == 1), valid & (problem == 0)
    share_with, _, used_with = domain_mean_influence(design, outcome, with_mask)
    share_without, _, used_without = domain_mean_influence(design, outcome, without_mask)
    n_with, n_without = int(used_with.sum()), int(used_without.sum())
    n_min = min(n_with, n_without)
    if n_min < 10:
        flag, reason = flag_for(n_min, None, None, "difference")
        return ProblemAssociation(None, None, n_with, n_without, None, None, None, None, None,
                                  FLAG_SUPPRESSED, reason)
    contrast = domain_difference(design, outcome, with_mask, without_mask)
    flag, reason = flag_for(n_min, contrast.ci_low, contrast.ci_high, "difference")
    p_value = contrast.p_value if contrast.p_value is not None and np.isfinite(contrast.p_value) else None
    return ProblemAssociation(
        share_with, share_without, n_with, n_without, contrast.estimate, contrast.se, contrast.ci_low,
        contrast.ci_high, p_value, flag, reason,
    )


def _ranks(values: list[float | None]) -> list[int | None]:
    order = sorted((v, i) for i, v in enumerate(values) if v is not None and math.isfinite(v))
    ranks: list[int | None] = [None] * len(values)
    for rank, (_, index) in enumerate(reversed(order), start=1):
        ranks[index] = rank
    return ranks


def rank_problems(
    design: Design, records: Sequence[IndicatorRecord], values_by_id: dict[str, tuple[np.ndarray, np.ndarray]],
    outcome_id: str = "unsicher_nachts", prefix: str = "problem_gross_",
) -> tuple[ProblemRank, ...]:
    """All indicators whose id starts with ``prefix``, ranked (1 = highest) by prevalence and association."""
    problems = [record for record in records if record.id.startswith(prefix)]
    if outcome_id not in values_by_id or not problems:
        return ()
    outcome = values_by_id[outcome_id][0]
    associations = [problem_association(design, outcome, values_by_id[record.id][0]) for record in problems]
    prevalence_ranks = _ranks([record.estimate for record in problems])
    association_ranks = _ranks([a.difference for a in associations])
    ranked = [
        ProblemRank(record.id, record.label, record, association, p_rank, a_rank)
        for record, association, p_rank, a_rank in zip(problems, associations, prevalence_ranks, association_ranks)
    ]
    ranked.sort(key=lambda item: (item.rank_prevalence is None, item.rank_prevalence or 0))
    return tuple(ranked)


def problem_findings(problems: Sequence[ProblemRank], outcome_id: str = "unsicher_nachts",
                     rule: StrengthRule = DEFAULT_RULE) -> tuple[Finding, ...]:
    """The problems' associations with ``outcome_id`` as findings (kind ``association``, one family
    ``association:<outcome>:problems``, Holm): who sees the problem as big against the others, an
    association and never a cause. Suppressed differences are untested (note ``suppressed``)."""
    findings = []
    for problem in problems:
        a = problem.association
        tested = a.p_value is not None and a.difference is not None and a.se
        estimates = (EstimateRef("group", outcome_id, problem.indicator, a.share_with, None, None, None, a.n_with),
                     EstimateRef("rest", outcome_id, problem.indicator, a.share_without, None, None, None, a.n_without))
        findings.append(Finding(
            id=f"association:{outcome_id}:{problem.indicator}", kind=FindingKind.ASSOCIATION,
            family=f"association:{outcome_id}:problems", subject=problem.indicator, by=outcome_id,
            estimates=estimates if tested else (),
            effect=Effect(EffectKind.DIFFERENCE_PROPORTION, a.difference, a.ci_low, a.ci_high) if tested else None,
            test=Test("domain_difference_t", a.difference / a.se, None, a.p_value) if tested else None,
            note=None if tested else "suppressed"))
    return tuple(classify(f, rule, None) for f in adjust_families(findings, {FindingKind.ASSOCIATION: "holm"}))
