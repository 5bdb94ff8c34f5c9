"""Findings: every statement the report may make, decided once in the engine (issue 11).

Pure: data in, frozen dataclasses out; no prose, no I/O. Entry point :func:`compute_findings`; the
per-kind functions take the same inputs for one piece. See the module docstrings for each kind's test,
family and conventions:

* :mod:`~analysis.findings.types` — :class:`Finding` and its parts, enums, dict round trip;
* :mod:`~analysis.findings.subgroups` — group vs rest (``svyttest``), breakdown tests, Ortsteil hotspots;
* :mod:`~analysis.findings.ranking` — item and group rankings with dependent pair tests;
* :mod:`~analysis.findings.crime` — PKS trends and comparisons with Landkreis/Land (exact test);
* :mod:`~analysis.findings.association` — terms of the drivers model;
* :mod:`~analysis.findings.waves` — change between waves;
* :mod:`~analysis.findings.families` — R ``p.adjust`` and the families;
* :mod:`~analysis.findings.strength` — strength class and direction rule;
* :mod:`~analysis.core.contrasts` — contrasts with covariance, subset degf, exact rate-ratio test;
* :mod:`~analysis.findings.schema` — JSON Schema of a serialised finding (for profil.json 2.0).
"""

from analysis.core.multiple_testing import adjust
from analysis.findings.families import DEFAULT_METHODS, adjust_families, family_summaries
from analysis.findings.association import association_findings
from analysis.findings.common import Grouping, IndicatorValues, groupings, indicator_table
from analysis.findings.compute import compute_findings
from analysis.findings.crime import reference_findings, trend_findings
from analysis.core.contrasts import contrasts
from analysis.crime.rates import exact_rate_ratio_p
from analysis.findings.ranking import group_ranking, item_ranking
from analysis.findings.schema import FAMILY as FAMILY_SCHEMA
from analysis.findings.schema import FINDING as FINDING_SCHEMA
from analysis.findings.strength import DEFAULT_RULE, StrengthRule, Threshold, classify, strength
from analysis.findings.subgroups import breakdown_finding, hotspot_findings, subgroup_findings
from analysis.findings.types import (
    Direction, Effect, EffectKind, EstimateRef, FamilySummary, Finding, FindingKind, Strength, Test,
)
from analysis.findings.waves import change_findings

__all__ = [
    "DEFAULT_METHODS", "DEFAULT_RULE", "FAMILY_SCHEMA", "FINDING_SCHEMA", "Direction", "Effect", "EffectKind", "EstimateRef", "FamilySummary",
    "Finding", "FindingKind", "Grouping", "IndicatorValues", "Strength", "StrengthRule", "Test", "Threshold",
    "adjust", "adjust_families", "association_findings", "breakdown_finding", "change_findings", "classify",
    "compute_findings", "contrasts", "exact_rate_ratio_p", "family_summaries", "group_ranking", "groupings",
    "hotspot_findings", "indicator_table", "item_ranking", "reference_findings", "strength",
    "subgroup_findings", "subset_degf", "trend_findings",
]
