"""Ortsteil profiles (profile block ``ortsteil_profiles``): each Ortsteil against the rest of the commune.

The engine's Ortsteil screen (:func:`analysis.findings.subgroups.hotspot_findings`: every screened
indicator × Ortsteil, its ``svyttest`` against the rest of the commune, Benjamini-Hochberg over the
screen) on the Ortsteile as the coach groups them: ``pools`` maps a pooled group's label to the codes it
joins (e.g. ``{"Nord": ("3", "4")}``), which then form one group of the screen. An Ortsteil whose
estimates the disclosure rule suppresses (fewer than 10 answers) is marked ``too_few``; one with flagged
(unreliable) estimates ``unreliable``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from analysis.core.categories import category_texts
from analysis.core.design import Design
from analysis.core.indicators import IndicatorSpec
from analysis.findings.common import group_estimates, groupings, indicator_table
from analysis.findings.families import DEFAULT_METHODS, adjust_families
from analysis.findings.strength import DEFAULT_RULE, StrengthRule, classify
from analysis.findings.subgroups import hotspot_findings, subgroup_findings
from analysis.findings.types import Finding, FindingKind
from analysis.profile.indicators import Breakdown

POOLED_PREFIX = "pool"
SUPPRESSED_FLAG = "unterdrueckt"
UNRELIABLE_FLAG = "unsicher"


def pooled_breakdown(frame: pd.DataFrame, breakdown: Breakdown, pools: Mapping[str, Sequence[str]]
                     ) -> tuple[pd.Series, Breakdown, dict[str, tuple[str, ...]]]:
    """The grouping column with pooled codes, its breakdown (groups in the order of their first member)
    and the members of every group."""
    codes = pd.Series(category_texts(frame[breakdown.variable].to_numpy()), index=frame.index, dtype=object)
    target: dict[str, str] = {}
    labels: dict[str, str] = {}
    for k, (label, members) in enumerate(pools.items(), start=1):
        for member in members:
            target[str(member)] = f"{POOLED_PREFIX}{k}"
        labels[f"{POOLED_PREFIX}{k}"] = label
    groups, members_of = [], {}
    for code, label in breakdown.groups:
        group = target.get(code, code)
        if group not in members_of:
            groups.append((group, labels.get(group, label)))
            members_of[group] = ()
        members_of[group] += (code,)
    return codes.map(lambda c: target.get(c, c) if c is not None else None), \
        Breakdown(breakdown.variable, breakdown.label, tuple(groups)), members_of


def ortsteil_screen(design: Design, frame: pd.DataFrame, specs: Sequence[IndicatorSpec], breakdown: Breakdown,
                    polarity: Mapping[str, int], pools: Mapping[str, Sequence[str]] | None = None, *,
                    rule: StrengthRule = DEFAULT_RULE, level: float = 0.95) -> tuple[list[Finding], dict[str, Any]]:
    """The classified hotspot findings of the (pooled) Ortsteile and the groups' descriptions."""
    column, pooled, members = pooled_breakdown(frame, breakdown, pools or {})
    work = frame.assign(**{breakdown.variable: column})
    screened = [s for s in specs if s.id in polarity]
    indicators = indicator_table(work, screened)
    grouping = groupings(work, [pooled])[breakdown.variable]
    subgroups: list[Finding] = []
    for indicator in indicators.values():
        estimates = group_estimates(design, indicator, grouping)
        subgroups.extend(subgroup_findings(design, indicator, grouping, level=level, estimates=estimates))
    hotspots = adjust_families(hotspot_findings(subgroups, polarity), DEFAULT_METHODS)
    findings = [classify(f, rule, polarity.get(f.subject)) for f in hotspots]
    groups = {}
    for code, label in pooled.groups:
        refs = [e for f in findings if f.group == code for e in f.estimates if e.role == "group"]
        flags = {e.flag for e in refs}
        n = int(np.count_nonzero(grouping.codes == code))
        groups[code] = {"code": code, "label": label, "members": list(members[code]), "pooled": len(members[code]) > 1,
                        "respondents": n, "too_few": bool(refs) and flags == {SUPPRESSED_FLAG},
                        "unreliable": UNRELIABLE_FLAG in flags}
    return findings, groups


def ortsteil_profiles(design: Design, frame: pd.DataFrame, specs: Sequence[IndicatorSpec], breakdown: Breakdown,
                      polarity: Mapping[str, int], pools: Mapping[str, Sequence[str]] | None = None,
                      min_shown: int = 10) -> dict[str, Any]:
    """The profile block: method, pools and per group its findings (``Finding.to_dict()``)."""
    findings, groups = ortsteil_screen(design, frame, specs, breakdown, polarity, pools)
    family = next((f for f in findings), None)
    out = []
    for code, group in groups.items():
        own = [f.to_dict() for f in findings if f.group == code]
        respondents = group["respondents"]
        out.append({**group, "respondents": respondents if respondents >= min_shown else None, "findings": own})
    return {"by": breakdown.variable, "kind": FindingKind.HOTSPOT.value,
            "adjustment": family.adjustment if family else DEFAULT_METHODS[FindingKind.HOTSPOT],
            "family_size": family.family_size if family else 0,
            "pools": {label: [str(c) for c in members] for label, members in (pools or {}).items()},
            "groups": out}
