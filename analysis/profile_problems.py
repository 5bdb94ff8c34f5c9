"""Neighbourhood problems ranked by prevalence and by their association with insecurity.

Association: the difference in the share feeling unsafe at night (``unsicher_nachts``) between those
who see a big problem (indicator value 1) and those who do not (value 0), both as domains of the same
design; its SE comes from the linearised contrast of the two domain means (so the covariance induced by
calibration and strata is included), with a t interval and p-value on the design degrees of freedom.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

from analysis.profile_indicators import FLAG_SUPPRESSED, IndicatorRecord, flag_for
from analysis.profile_variance import DesignInfo, contrast, domain_mean, wald_ci


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


def problem_association(design: DesignInfo, outcome: np.ndarray, problem: np.ndarray) -> ProblemAssociation:
    """Difference in the mean of ``outcome`` (0/1, NaN missing) between problem = 1 and problem = 0."""
    valid = np.isfinite(outcome) & np.isfinite(problem)
    with_problem = domain_mean(design, outcome, valid & (problem == 1))
    without = domain_mean(design, outcome, valid & (problem == 0))
    n_min = min(with_problem.n, without.n)
    if with_problem.estimate is None or without.estimate is None or n_min < 10:
        flag, reason = flag_for(n_min, None, None, "difference")
        return ProblemAssociation(None, None, with_problem.n, without.n, None, None, None, None, None,
                                  FLAG_SUPPRESSED, reason)
    difference, se = contrast(design, [1.0, -1.0], [with_problem, without])
    ci_low, ci_high = wald_ci(difference, se, design.degf)
    p_value = float(2 * stats.t.sf(abs(difference / se), design.degf)) if se > 0 else None
    flag, reason = flag_for(n_min, ci_low, ci_high, "difference")
    return ProblemAssociation(
        with_problem.estimate, without.estimate, with_problem.n, without.n, difference, se, ci_low, ci_high,
        p_value, flag, reason,
    )


def _ranks(values: list[float | None]) -> list[int | None]:
    order = sorted((v, i) for i, v in enumerate(values) if v is not None and math.isfinite(v))
    ranks: list[int | None] = [None] * len(values)
    for rank, (_, index) in enumerate(reversed(order), start=1):
        ranks[index] = rank
    return ranks


def rank_problems(
    design: DesignInfo, records: Sequence[IndicatorRecord], values_by_id: dict[str, tuple[np.ndarray, np.ndarray]],
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
