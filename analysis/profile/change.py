"""Change since the earlier wave (profile block ``change``): the engine's ``change`` findings.

Inputs are plain estimates of both waves keyed ``(indicator, by or None, group or None)``; the
comparison is :func:`analysis.findings.waves.change_findings` (difference of two independent
design-based estimates, ``se = sqrt(se_from² + se_to²)``, Wald z-test), adjusted within its family
(:func:`analysis.findings.families.adjust_families`: Holm for the indicators of the commune,
Benjamini-Hochberg for the Ortsteil screen, as for the hotspots) and classified
(:func:`analysis.findings.strength.classify`).

Success of the earlier wave's recommendations (:func:`recommendation_outcomes`): the change finding of
the recommendation's success indicator says whether it moved (``improved``/``worsened`` only where the
adjusted test supports a change, else ``unchanged``; ``not_testable`` without a finding), and a target
(``< 0.25``) is ``met`` when the whole current interval lies on its side, ``missed`` when the whole
interval lies on the other side, else ``open``.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from analysis.findings.families import adjust_families
from analysis.findings.strength import DEFAULT_RULE, StrengthRule, classify
from analysis.findings.types import EffectKind, EstimateRef, Finding, Strength
from analysis.findings.waves import Key, change_family, change_findings

OVERALL_METHOD = "holm"
SCREEN_METHOD = "bh"
TARGET_OPERATORS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


def wave_change(previous: Mapping[Key, EstimateRef], current: Mapping[Key, EstimateRef],
                kinds: Mapping[str, EffectKind], polarity: Mapping[str, int], waves: tuple[str, str], *,
                rule: StrengthRule = DEFAULT_RULE, level: float = 0.95) -> tuple[Finding, ...]:
    """One classified ``change`` finding per key present in both waves, in the order of ``current``."""
    pairs = {key: (previous[key], estimate) for key, estimate in current.items() if key in previous}
    findings = change_findings(pairs, kinds, waves[0], waves[1], level)
    methods: dict[Any, str] = {change_family(*waves): OVERALL_METHOD}
    for by in {key[1] for key in pairs if key[1] is not None}:
        methods[change_family(waves[0], waves[1], by)] = SCREEN_METHOD
    adjusted = adjust_families(findings, methods)
    return tuple(classify(f, rule, polarity.get(f.subject)) for f in adjusted)


@dataclass(frozen=True)
class Target:
    """``indicator`` should be ``op value`` in the next wave (``op`` in < <= > >=), or only move in
    ``direction`` (``lower``/``higher``) when ``op`` is None."""

    indicator: str
    op: str | None = None
    value: float | None = None
    direction: str | None = None


def target_status(target: Target, estimate: EstimateRef | None, finding: Finding | None = None) -> str | None:
    """``met``/``missed``/``open`` for the target (None without an estimate). A direction target is met
    when the adjusted change test supports a change that way, missed when it supports the other way."""
    if target.op is None:
        if target.direction is None or finding is None or not finding.tested:
            return None
        if finding.strength is Strength.NONE:
            return "open"
        return "met" if finding.direction.value == target.direction else "missed"
    if target.value is None or estimate is None or estimate.value is None:
        return None
    low, high = estimate.ci_low, estimate.ci_high
    if low is None or high is None:
        return "open"
    test = TARGET_OPERATORS[target.op]
    if test(low, target.value) and test(high, target.value):
        return "met"
    if not test(low, target.value) and not test(high, target.value):
        return "missed"
    return "open"


def movement(finding: Finding | None, polarity: int | None) -> str:
    """How the indicator moved between the waves, by the adjusted test."""
    if finding is None or not finding.tested:
        return "not_testable"
    if finding.strength is Strength.NONE:
        return "unchanged"
    if polarity is None:
        return finding.direction.value  # higher / lower
    return "worsened" if finding.worse else "improved"


def recommendation_outcomes(recommendations: Sequence[Mapping[str, Any]],
                            targets: Sequence[tuple[Target, str] | None],
                            findings: Sequence[Finding], current: Mapping[Key, EstimateRef],
                            polarity: Mapping[str, int]) -> list[dict[str, Any]]:
    """For each earlier recommendation (with its success target and where the target came from, e.g.
    ``erfolgsindikator`` or ``evidence``, or None): indicator, movement, target status."""
    overall = {f.subject: f for f in findings if f.by is None}
    out = []
    for rec, chosen in zip(recommendations, targets):
        entry: dict[str, Any] = {"rule_id": rec.get("rule_id"), "title": rec.get("title"),
                                 "priority": rec.get("priority"), "indicator": None, "target_source": None,
                                 "target": None, "finding_id": None, "movement": "no_indicator", "target_status": None}
        if chosen is not None:
            target, source = chosen
            finding = overall.get(target.indicator)
            entry.update(indicator=target.indicator, target_source=source,
                         target=None if target.op is None and target.direction is None else
                         {"op": target.op, "value": target.value, "direction": target.direction},
                         finding_id=finding.id if finding else None,
                         movement=movement(finding, polarity.get(target.indicator)),
                         target_status=target_status(target, current.get((target.indicator, None, None)), finding))
        out.append(entry)
    return out
