"""One entry point for the profile builder: every finding of a commune, adjusted and classified."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from analysis.crime.rates import RateRatio
from analysis.crime.trend import TrendResult
from analysis.core.design import Design
from analysis.findings.families import DEFAULT_METHODS, adjust_families
from analysis.findings.association import association_findings
from analysis.findings.common import engine_estimate, estimate_ref, group_estimates, groupings, indicator_table
from analysis.findings.crime import reference_findings, trend_findings
from analysis.findings.ranking import group_ranking, item_ranking
from analysis.findings.strength import DEFAULT_RULE, StrengthRule, classify
from analysis.findings.subgroups import breakdown_finding, hotspot_findings, subgroup_findings
from analysis.findings.types import EstimateRef, Finding, FindingKind
from analysis.findings.waves import Key, change_family, change_findings
from analysis.core.indicators import IndicatorSpec
from analysis.models.logit import LogitResult

POLARITY_KINDS = (FindingKind.SUBGROUP, FindingKind.HOTSPOT, FindingKind.CHANGE)
CRIME_KINDS = (FindingKind.TREND, FindingKind.REFERENCE)


def compute_findings(
    design: Design,
    frame: pd.DataFrame,
    specs: Sequence[IndicatorSpec],
    breakdowns: Sequence[Any] | Mapping[str, Any] = (),
    polarity: Mapping[str, int] | None = None,
    *,
    hotspot_by: str | None = "ortsteil",
    rankings: Mapping[str, Sequence[str]] | None = None,
    group_rankings: bool = True,
    model: LogitResult | None = None,
    model_outcome: str = "model",
    trends: Mapping[str, TrendResult] | None = None,
    area: str = "",
    references: Mapping[str, Mapping[str, RateRatio]] | None = None,
    previous: Mapping[Key, EstimateRef] | None = None,
    waves: tuple[str, str] | None = None,
    methods: Mapping[Any, str] | None = None,
    rule: StrengthRule = DEFAULT_RULE,
    raw: bool = False,
    level: float = 0.95,
) -> tuple[Finding, ...]:
    """Compute, adjust and classify every finding.

    Survey inputs: ``design`` (calibrated, row ``i`` = ``frame.iloc[i]``), ``frame`` (cleaned responses),
    ``specs`` (``analysis.core.indicators`` specs), ``breakdowns`` (column names, ``{name: values}`` or
    objects with ``variable`` and ``groups`` such as ``analysis.profile.indicators.Breakdown``; pass
    those, so that codes outside the questionnaire's groups, e.g. 9 »keine Angabe«, are in no group
    and in no rest, where a plain column would make them a group of their own).
    ``polarity`` maps indicator id → +1 (higher is worse, e.g. the share feeling unsafe) or -1 (higher
    is better, e.g. trust in the police); it sets ``worse`` and selects the indicators of the Ortsteil
    screen on breakdown ``hotspot_by``. ``rankings`` maps a ranking id to indicator ids (e.g.
    ``{"sorge": (...six ids...)}``); ``group_rankings`` adds the ranking of the groups of every
    indicator × breakdown. ``model``: the drivers model (``analysis.models.logit.svyglm_logit``) named
    ``model_outcome``. PKS: ``trends`` (offence id → TrendResult of ``area``) and ``references``
    (reference id, e.g. ``"landkreis"`` → offence id → RateRatio against the rest of it). Waves:
    ``previous`` maps ``(indicator, by or None, group or None)`` to the earlier wave's estimate, and
    ``waves = (label_from, label_to)`` names both waves; the current estimate is computed here.

    ``methods`` overrides the adjustment per kind or family id (``"holm"``, ``"bh"``, …; defaults in
    ``analysis.findings.families``); ``rule`` the strength classes; ``raw`` switches off the disclosure
    rule (analysts only; never for published output).

    Returns the findings in a stable order: per indicator its subgroup, breakdown and group-ranking
    findings by breakdown, then hotspots, item rankings, associations, trends, reference comparisons,
    wave changes. Every p-value is adjusted within its family.
    """
    if len(frame) != design.n:
        raise ValueError(f"frame has {len(frame)} rows, design has {design.n}")
    polarity = dict(polarity or {})
    bad = {k: v for k, v in polarity.items() if v not in (1, -1)}
    if bad:
        name, value = next(iter(bad.items()))
        raise ValueError(f"Die Polarität von {name} muss +1 oder -1 sein, nicht {value!r}.")
    indicators = indicator_table(frame, specs)
    groups = groupings(frame, breakdowns)
    findings: list[Finding] = []
    hotspot_source: list[Finding] = []
    for indicator in indicators.values():
        for grouping in groups.values():
            estimates = group_estimates(design, indicator, grouping)
            subgroups = subgroup_findings(design, indicator, grouping, raw=raw, level=level, estimates=estimates)
            findings.extend(subgroups)
            findings.append(breakdown_finding(design, indicator, grouping, subgroups))
            if group_rankings:
                findings.extend(group_ranking(design, indicator, grouping, raw=raw, level=level, estimates=estimates))
            if grouping.variable == hotspot_by:
                hotspot_source.extend(subgroups)
    findings.extend(hotspot_findings(hotspot_source, polarity))
    for set_id, items in (rankings or {}).items():
        findings.extend(item_ranking(design, indicators, set_id, items, raw=raw, level=level))
    if model is not None:
        findings.extend(association_findings(model, model_outcome, level))
    if trends:
        findings.extend(trend_findings(trends, area))
    for reference, ratios in (references or {}).items():
        findings.extend(reference_findings(ratios, area, reference))
    chosen = dict(methods or {})
    if previous:
        if waves is None:
            raise ValueError("compute_findings: previous needs waves=(label_from, label_to)")
        pairs = {}
        for key, old in previous.items():
            current = _current(design, indicators, groups, key, raw)
            if current is not None:
                pairs[key] = (old, current)
        kinds = {i.id: i.effect_kind for i in indicators.values()}
        findings.extend(change_findings(pairs, kinds, waves[0], waves[1], level))
        for by in {key[1] for key in pairs if key[1] is not None}:
            family = change_family(waves[0], waves[1], by)
            if family not in chosen and FindingKind.CHANGE not in chosen and "change" not in chosen:
                chosen[family] = "bh"  # the Ortsteil values between waves are a screen, like the hotspots
    adjusted = adjust_families(findings, {**DEFAULT_METHODS, **chosen})
    return tuple(classify(f, rule, _polarity(f, polarity)) for f in adjusted)


def _polarity(finding: Finding, polarity: Mapping[str, int]) -> int | None:
    if finding.kind in CRIME_KINDS:
        return 1
    if finding.kind in POLARITY_KINDS:
        return polarity.get(finding.subject)
    return None


def _current(design, indicators, groups, key: Key, raw: bool) -> EstimateRef | None:
    subject, by, group = key
    indicator = indicators.get(subject)
    if indicator is None or (by is not None and by not in groups):
        return None
    mask = indicator.valid
    if by is not None:
        mask = mask & (groups[by].codes == str(group))
    estimate = engine_estimate(design, indicator, np.asarray(mask, dtype=bool))
    return estimate_ref("to", subject, None if group is None else str(group), estimate, raw=raw, design=design,
                        indicator=indicator, mask=mask)


__all__ = ["compute_findings"]
