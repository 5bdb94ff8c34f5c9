"""Breakdowns, standardisation, problems, drivers, tests, reliability and recommendations."""

from __future__ import annotations

from typing import Literal, Optional

from survey.profile.base import Contract, Flag, Number, Priority
from survey.profile.records import EstimateRecord


class Group(Contract):
    code: str
    label: str


class BreakdownVariable(Contract):
    id: str
    label: str
    groups: tuple[Group, ...]


class Breakdowns(Contract):
    variables: tuple[BreakdownVariable, ...]
    records: tuple[EstimateRecord, ...]


class StandardCell(Contract):
    geschlecht: str
    altersgruppe: str
    population: Number


class StandardPopulation(Contract):
    name: str
    source: str
    year: Optional[int] = None
    cells: tuple[StandardCell, ...] = ()


class Standardised(Contract):
    standard_population: StandardPopulation
    indicators: tuple[EstimateRecord, ...]


class ProblemAssociation(Contract):
    share_with: Optional[Number] = None
    share_without: Optional[Number] = None
    n_with: int
    n_without: int
    difference: Optional[Number] = None
    se: Optional[Number] = None
    ci_low: Optional[Number] = None
    ci_high: Optional[Number] = None
    p_value: Optional[Number] = None
    flag: Flag
    flag_reason: Optional[str] = None


class Problem(Contract):
    indicator: str
    label: str
    prevalence: EstimateRecord
    association: ProblemAssociation
    rank_prevalence: Optional[int] = None
    rank_association: Optional[int] = None


class Coefficient(Contract):
    term: str
    name: str
    label: str
    coef: Number
    se: Number
    odds_ratio: Optional[Number] = None
    or_ci_low: Optional[Number] = None
    or_ci_high: Optional[Number] = None
    p_value: Optional[Number] = None


class MarginalEffect(Contract):
    term: str
    name: str
    label: str
    ame: Number
    se: Number
    ci_low: Optional[Number] = None
    ci_high: Optional[Number] = None
    p_value: Optional[Number] = None


class TermTest(Contract):
    term: str
    label: str
    f: Optional[Number] = None
    ndf: Optional[Number] = None
    ddf: Optional[Number] = None
    p_value: Optional[Number] = None
    max_abs_ame: Optional[Number] = None
    rank: Optional[int] = None


class Drivers(Contract):
    """The drivers model of ``unsicher_nachts``; ``available = false`` with a ``reason`` code otherwise."""

    available: bool
    reason: Optional[str] = None
    outcome: Optional[str] = None
    outcome_label: Optional[str] = None
    n: Optional[int] = None
    df_residual: Optional[Number] = None
    coefficients: tuple[Coefficient, ...] = ()
    marginal_effects: tuple[MarginalEffect, ...] = ()
    ranking: tuple[TermTest, ...] = ()


class FieldOfAction(Contract):
    id: str
    label: str


class Evidence(Contract):
    source: Literal["indicator", "problem", "pks", "driver"]
    id: str
    measure: str
    by: Optional[str] = None
    group: Optional[str] = None
    label: str
    estimate: Optional[Number] = None
    ci_low: Optional[Number] = None
    ci_high: Optional[Number] = None
    n: Optional[int] = None
    flag: Optional[str] = None
    unit: Literal["share", "points", "ratio", "value"] = "value"
    comparison: str
    threshold: Optional[Number] = None
    reference_source: Optional[str] = None
    met: Optional[bool] = None
    note: Optional[str] = None
    group_label: Optional[str] = None
    reference_overall: bool = False
    required: bool
    # the criterion as data (issue 11): a threshold on a bound, a fixed reference, or a finding
    criterion: Optional[Literal["threshold", "reference", "finding"]] = None
    bound: Optional[str] = None
    operator: Optional[str] = None
    finding_ids: tuple[str, ...] = ()
    finding_kind: Optional[str] = None
    strength: Optional[str] = None
    finding_direction: Optional[str] = None
    worse: Optional[bool] = None
    p_adjusted: Optional[Number] = None
    adjustment: Optional[str] = None
    min_strength: Optional[str] = None
    required_direction: Optional[str] = None
    other: Optional[Number] = None


class SuccessIndicator(Contract):
    indicator: str
    target: Optional[str] = None
    direction: Optional[Literal["lower", "higher"]] = None


class Recommendation(Contract):
    rule_id: str
    field_of_action: str
    title: str
    text: str
    priority: Priority
    measures: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...]
    field_of_action_label: str
    rank: Optional[int] = None  # the engine's order (priority, then rule order)
    responsible: tuple[str, ...] = ()  # plan fields of the rule file (issue 12)
    timeframe: Optional[str] = None
    effort: Optional[Literal["gering", "mittel", "hoch"]] = None
    success_indicator: Optional[SuccessIndicator] = None


class RulesSummary(Contract):
    rules_total: int
    not_triggered: tuple[str, ...] = ()
    not_evaluable: tuple[str, ...] = ()


class RaoScottTest(Contract):
    id: str
    test: Optional[str] = None
    outcome: str
    by: str
    by_label: Optional[str] = None
    method: Optional[str] = None
    statistic_type: Optional[Literal["F", "Chisq"]] = None
    statistic: Optional[Number] = None
    ndf: Optional[Number] = None
    ddf: Optional[Number] = None
    p: Optional[Number] = None
    n: int
    valid: bool
    reason: Optional[str] = None


class Tests(Contract):
    rao_scott: tuple[RaoScottTest, ...] = ()


class Reliability(Contract):
    index: str
    label: str
    items: tuple[str, ...]
    k: int
    available: bool
    alpha: Optional[Number] = None
    se: Optional[Number] = None
    ci_low: Optional[Number] = None
    ci_high: Optional[Number] = None
    standardised_alpha: Optional[Number] = None
    n: int
    weighted_n: Optional[Number] = None
    df: Optional[Number] = None
    flag: Flag
    flag_reason: Optional[str] = None
    reason: Optional[str] = None
