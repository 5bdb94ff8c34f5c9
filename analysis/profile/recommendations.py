"""Generic evaluation of recommendation rules against the findings of a profile.

The rules themselves live in a file a coach can read and extend (the application's rule file,
loaded by ``survey.recommendations``); this module knows no indicator names. A profile is reduced to a
table of *facts* (one number with its interval, e.g. the share seeing graffiti as a big problem, or the
rate ratio of Sachbeschädigung against the Landkreis); a rule is a list of conditions on facts; a
recommendation is a rule whose conditions hold, together with the evidence (the facts and comparisons).

Conditions compare one of ``estimate``, ``ci_low`` or ``ci_high`` of a fact with a threshold, or ask for a
difference from a fixed reference value (``above_reference``: the interval lies entirely above it, i.e.
``ci_low > reference``; ``below_reference``: ``ci_high < reference``), or ask for a *finding*
(:mod:`analysis.findings`): a kind (``subgroup``, ``hotspot``, ``trend``, ``reference``, ``association``,
``ranking``) about a subject, at least a strength after the multiple-testing adjustment, optionally in a
direction (``worse``/``better`` by the indicator's polarity, ``higher``/``lower``); see
:func:`finding_evidence`. A fact that is missing (no PKS data) or suppressed (fewer
than 10 respondents) never triggers a rule; the evaluation lists such conditions as not evaluable.

Every piece of evidence records its criterion as data (``criterion``: threshold, reference or finding;
``bound`` and ``operator``; ``finding_ids``), so the application words it without parsing. The fired
recommendations come sorted by priority (``hoch``, ``mittel``, ``niedrig``; rule order within a
priority) with their ``rank``: the report does not sort.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from analysis.findings.types import Direction, Finding, Strength

FIELDS = ("estimate", "ci_low", "ci_high")
OPERATORS = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt}
NAMED_COMPARISONS = ("above_reference", "below_reference")
SUPPRESSED = "unterdrueckt"
PRIORITY_ORDER = {"hoch": 0, "mittel": 1, "niedrig": 2}
# a named comparison as a bound and operator: the whole interval above / below the reference
NAMED_BOUNDS = {"above_reference": ("ci_low", ">"), "below_reference": ("ci_high", "<")}


@dataclass(frozen=True)
class FactKey:
    """Where a fact comes from: ``source`` (indicator, problem, pks, driver), ``id``, ``measure`` and an
    optional subgroup (``by``/``group``)."""

    source: str
    id: str
    measure: str = "estimate"
    by: str | None = None
    group: str | None = None


@dataclass(frozen=True)
class Fact:
    """One finding with its uncertainty. ``unit`` is ``share`` (0..1), ``points`` (difference of shares),
    ``ratio`` or ``value``. ``label`` names the subject (indicator, problem, model term, offence group),
    ``group_label`` the subgroup; the application words the measure (``key.measure``)."""

    key: FactKey
    label: str
    estimate: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    n: int | None = None
    flag: str | None = None
    unit: str = "value"
    group_label: str | None = None


@dataclass(frozen=True)
class Condition:
    """One condition of a rule, e.g. ``problem_gross_graffiti: ci_low >= 0.30``.

    ``comparison`` is ``"<field> <op> threshold"`` (field in estimate/ci_low/ci_high, op in >= > <= <)
    or one of ``above_reference``/``below_reference``; ``reference`` and ``reference_source`` give the
    value to compare with (for ratios the neutral value 1 is the default reference).
    """

    key: FactKey
    comparison: str
    threshold: float | None = None
    reference: float | None = None
    reference_source: str | None = None
    reference_overall: bool = False  # compare a subgroup with the overall estimate of the same fact
    finding: str | None = None  # a finding kind: the condition asks for a finding instead of a fact
    min_strength: str = "weak"  # weakest strength that satisfies a finding condition
    direction: str | None = None  # worse | better | higher | lower (None: any supported difference)


@dataclass(frozen=True)
class Rule:
    id: str
    field_of_action: str
    title: str
    text: str
    conditions: tuple[Condition, ...]
    combine: str = "all"  # "all" conditions or "any" one of them
    priority: str = "mittel"
    measures: tuple[str, ...] = ()
    context: tuple[Condition, ...] = ()  # further findings shown as evidence, not required to fire


@dataclass(frozen=True)
class Evidence:
    """A condition as applied to the profile: the fact's numbers, the comparison and whether it held."""

    source: str
    id: str
    measure: str
    by: str | None
    group: str | None
    label: str
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    n: int | None
    flag: str | None
    unit: str
    comparison: str
    threshold: float | None
    reference_source: str | None
    met: bool | None  # None: not evaluable (fact missing or suppressed)
    note: str | None = None  # why not evaluable: missing, suppressed, no_threshold, no_reference, no_interval
    group_label: str | None = None
    reference_overall: bool = False  # compared with the commune's overall value
    required: bool = True  # False for context findings that do not gate the rule
    criterion: str = "threshold"  # threshold | reference | finding
    bound: str | None = None  # estimate | ci_low | ci_high (threshold and reference criteria)
    operator: str | None = None  # >= > <= <
    finding_ids: tuple[str, ...] = ()  # the findings the criterion was decided on
    finding_kind: str | None = None
    strength: str | None = None  # the finding's strength
    finding_direction: str | None = None  # the finding's direction (higher / lower / equal)
    worse: bool | None = None
    p_adjusted: float | None = None
    adjustment: str | None = None
    min_strength: str | None = None  # the criterion: at least this strength ...
    required_direction: str | None = None  # ... in this direction
    other: float | None = None  # the compared side of a finding (the rest, the reference area)


@dataclass(frozen=True)
class Recommendation:
    rule_id: str
    field_of_action: str
    title: str
    text: str
    priority: str
    measures: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    rank: int = 0  # position in the engine's order (1 = first), by priority then rule order


@dataclass(frozen=True)
class RuleEvaluation:
    """All rules applied: the recommendations that fire, and per rule why it did or did not."""

    recommendations: tuple[Recommendation, ...]
    not_triggered: tuple[str, ...] = ()
    not_evaluable: tuple[str, ...] = ()
    rules_total: int = 0
    details: tuple[tuple[str, tuple[Evidence, ...]], ...] = field(default=(), repr=False)


def parse_comparison(text: str) -> tuple[str, str | None]:
    """Split ``"ci_low >= threshold"`` into (field, op); named comparisons return (name, None).

    Raises ValueError for anything else (the rule file's loader words it with file and line).
    """
    cleaned = " ".join(str(text).split())
    if cleaned in NAMED_COMPARISONS:
        return cleaned, None
    parts = cleaned.split(" ")
    if len(parts) == 3 and parts[0] in FIELDS and parts[1] in OPERATORS and parts[2] == "threshold":
        return parts[0], parts[1]
    raise ValueError(f"unknown comparison {text!r}")


def _finite(value: float | None) -> bool:
    return value is not None and isinstance(value, (int, float)) and math.isfinite(value)


def _evidence(condition: Condition, key: FactKey, fact: Fact | None, facts: dict[FactKey, Fact],
              required: bool) -> Evidence:
    field_name, op = parse_comparison(condition.comparison)
    bound, operator_ = (field_name, op) if op is not None else NAMED_BOUNDS[field_name]
    base = dict(
        source=key.source, id=key.id, measure=key.measure, by=key.by, group=key.group,
        comparison=condition.comparison, threshold=condition.threshold,
        reference_source=condition.reference_source, required=required,
        reference_overall=condition.reference_overall,
        criterion="threshold" if op is not None else "reference", bound=bound, operator=operator_,
    )
    if fact is None:
        return Evidence(**base, label=key.id, estimate=None, ci_low=None, ci_high=None, n=None,
                        flag=None, unit="value", met=None, note="missing")
    numbers = dict(label=fact.label, group_label=fact.group_label, estimate=fact.estimate, ci_low=fact.ci_low, ci_high=fact.ci_high,
                   n=fact.n, flag=fact.flag, unit=fact.unit)
    if fact.flag == SUPPRESSED or not _finite(fact.estimate):
        return Evidence(**base, **numbers, met=None, note="suppressed")
    if op is not None:
        value = getattr(fact, field_name)
        if not _finite(value) or condition.threshold is None:
            return Evidence(**base, **numbers, met=None, note="no_threshold")
        return Evidence(**base, **numbers, met=bool(OPERATORS[op](value, condition.threshold)))
    reference = condition.reference
    if condition.reference_overall:
        overall = facts.get(FactKey(key.source, key.id, key.measure))
        reference = overall.estimate if overall is not None and _finite(overall.estimate) else None
        base["reference_source"] = condition.reference_source
    if reference is None and not condition.reference_overall:
        reference = 1.0 if fact.unit == "ratio" else 0.0 if fact.unit == "points" else None
    if reference is None:
        return Evidence(**base, **numbers, met=None, note="no_reference")
    base["threshold"] = reference
    bound = fact.ci_low if field_name == "above_reference" else fact.ci_high
    if not _finite(bound):
        return Evidence(**base, **numbers, met=None, note="no_interval")
    met = bound > reference if field_name == "above_reference" else bound < reference
    return Evidence(**base, **numbers, met=bool(met))


STRENGTH_ORDER = {Strength.NONE: 0, Strength.WEAK: 1, Strength.CLEAR: 2, Strength.STRONG: 3}
FINDING_UNITS = {"difference_proportion": "share", "difference_mean": "value"}
# the side of a finding shown as its value, and the side it is compared with
SHOWN_ROLES = {"subgroup": ("group", "rest"), "hotspot": ("group", "rest"), "reference": ("area", "reference_rest"),
               "change": ("to", "from"), "ranking": ("upper", "lower")}


def _direction_holds(finding: Finding, wanted: str | None) -> bool:
    if finding.direction is Direction.EQUAL:
        return False
    if wanted in (None, "any"):
        return True
    if wanted in ("higher", "lower"):
        return finding.direction.value == wanted
    return finding.worse is (wanted == "worse")


def _matches(finding: Finding, condition: Condition) -> bool:
    key = condition.key
    return (finding.kind.value == condition.finding and finding.subject == key.id
            and (key.by is None or finding.by == key.by) and (key.group is None or finding.group == key.group))


def _finding_numbers(finding: Finding, facts: dict[FactKey, Fact]) -> dict:
    """Value, interval, n and labels of a finding for its evidence row."""
    fact = facts.get(FactKey("indicator", finding.subject, "estimate", finding.by, finding.group)) \
        or facts.get(FactKey("indicator", finding.subject)) or facts.get(FactKey("pks", finding.subject, "hz")) \
        or facts.get(FactKey("driver", finding.subject, "ame"))
    shown_role, other_role = SHOWN_ROLES.get(finding.kind.value, (None, None))
    by_role = {e.role: e for e in finding.estimates}
    shown, other = by_role.get(shown_role), by_role.get(other_role)
    effect = finding.effect
    if shown is not None and finding.kind.value in ("subgroup", "hotspot", "change", "ranking"):
        unit = FINDING_UNITS.get(effect.kind.value, "value") if effect is not None else "value"
        numbers = dict(estimate=shown.value, ci_low=shown.ci_low, ci_high=shown.ci_high, n=shown.n, flag=shown.flag,
                       unit=unit, other=None if other is None else other.value)
    else:
        numbers = dict(estimate=None if effect is None else effect.value,
                       ci_low=None if effect is None else effect.ci_low,
                       ci_high=None if effect is None else effect.ci_high,
                       n=None if shown is None else shown.n, flag=None, unit="ratio",
                       other=None if other is None else other.value)
    numbers["label"] = fact.label if fact is not None else finding.subject
    numbers["group_label"] = fact.group_label if fact is not None else None
    return numbers


def finding_evidence(condition: Condition, findings: Sequence[Finding], facts: dict[FactKey, Fact],
                     required: bool = True) -> tuple[Evidence, ...]:
    """A finding condition: it holds for a matching finding (kind, subject, ``by``/``group`` where given)
    whose strength after adjustment is at least ``min_strength`` and whose direction is the wanted one.
    Without a ``group``, every group of ``by`` is tried; the evidence lists the hits (or all)."""
    key = condition.key
    base = dict(source=key.source, id=key.id, measure=key.measure, comparison=f"finding:{condition.finding}",
                threshold=None, reference_source=None, required=required, criterion="finding",
                finding_kind=condition.finding, min_strength=condition.min_strength,
                required_direction=condition.direction)
    candidates = [f for f in findings if _matches(f, condition)]
    if not candidates:
        return (Evidence(**base, by=key.by, group=key.group, label=key.id, estimate=None, ci_low=None,
                         ci_high=None, n=None, flag=None, unit="value", met=None, note="missing"),)
    minimum = STRENGTH_ORDER[Strength(condition.min_strength)]
    evidence = []
    for finding in candidates:
        numbers = _finding_numbers(finding, facts)
        if not finding.tested:
            met, note = None, finding.note or "untested"
        else:
            met = STRENGTH_ORDER[finding.strength] >= minimum and _direction_holds(finding, condition.direction)
            note = None
        evidence.append(Evidence(
            **base, **numbers, by=finding.by, group=finding.group, met=met, note=note, finding_ids=(finding.id,),
            strength=finding.strength.value, finding_direction=finding.direction.value, worse=finding.worse,
            p_adjusted=finding.p_adjusted, adjustment=finding.adjustment))
    hits = tuple(item for item in evidence if item.met)
    return hits or tuple(evidence)


def evaluate_condition(condition: Condition, facts: dict[FactKey, Fact],
                       required: bool = True, findings: Sequence[Finding] = ()) -> tuple[Evidence, ...]:
    """Apply one condition to the fact table (a finding condition: to the findings).

    A condition on a breakdown without a group (``by`` set, ``group`` None) applies to every group of that
    breakdown: it holds if it holds for at least one group, and the evidence lists the groups where it
    holds (or all groups if none does).
    """
    key = condition.key
    if condition.finding is not None:
        return finding_evidence(condition, findings, facts, required)
    if key.by is not None and key.group is None:
        groups = [fact_key for fact_key in facts
                  if (fact_key.source, fact_key.id, fact_key.measure, fact_key.by)
                  == (key.source, key.id, key.measure, key.by) and fact_key.group is not None]
        if not groups:
            return (_evidence(condition, key, None, facts, required),)
        evidence = tuple(_evidence(condition, group_key, facts[group_key], facts, required)
                         for group_key in groups)
        hits = tuple(item for item in evidence if item.met)
        return hits or evidence
    return (_evidence(condition, key, facts.get(key), facts, required),)


def _condition_result(evidence: tuple[Evidence, ...]) -> bool | None:
    if any(item.met is True for item in evidence):
        return True
    if any(item.met is False for item in evidence):
        return False
    return None


def evaluate_rules(rules: tuple[Rule, ...] | list[Rule], facts: dict[FactKey, Fact],
                   findings: Sequence[Finding] = ()) -> RuleEvaluation:
    """Evaluate every rule; a rule fires if all (``combine='all'``) or at least one (``'any'``) of its
    conditions hold. With ``all``, a condition that cannot be evaluated prevents firing. Context findings
    are attached as evidence but do not decide. The fired recommendations are sorted by priority and
    numbered (``rank``)."""
    fired: list[Recommendation] = []
    not_triggered: list[str] = []
    not_evaluable: list[str] = []
    details: list[tuple[str, tuple[Evidence, ...]]] = []
    for rule in rules:
        per_condition = [evaluate_condition(condition, facts, findings=findings) for condition in rule.conditions]
        results = [_condition_result(evidence) for evidence in per_condition]
        context = tuple(item for condition in rule.context
                        for item in evaluate_condition(condition, facts, required=False, findings=findings))
        if rule.combine == "any":
            fires = any(result is True for result in results)
            evaluable = any(result is not None for result in results)
            shown = tuple(item for evidence, result in zip(per_condition, results) if result
                          for item in evidence)
        else:
            fires = bool(results) and all(result is True for result in results)
            evaluable = all(result is not None for result in results)
            shown = tuple(item for evidence in per_condition for item in evidence)
        details.append((rule.id, tuple(item for evidence in per_condition for item in evidence) + context))
        if fires:
            fired.append(Recommendation(
                rule_id=rule.id, field_of_action=rule.field_of_action, title=rule.title, text=rule.text,
                priority=rule.priority, measures=rule.measures,
                evidence=shown + tuple(item for item in context if item.met is not None),
            ))
        elif evaluable:
            not_triggered.append(rule.id)
        else:
            not_evaluable.append(rule.id)
    fired.sort(key=lambda item: PRIORITY_ORDER.get(item.priority, 1))
    fired = [replace(item, rank=rank) for rank, item in enumerate(fired, start=1)]
    return RuleEvaluation(
        recommendations=tuple(fired), not_triggered=tuple(not_triggered),
        not_evaluable=tuple(not_evaluable), rules_total=len(rules), details=tuple(details),
    )
