"""Multiple testing within the families of findings. The adjustment itself is
:func:`analysis.core.multiple_testing.adjust` (equal to R ``p.adjust``; missing p-values do not count in
the family size).

Families (ids built by the kind modules; the choice is documented where they are built):

=============  ======================================================  ==========
kind           family                                                  default
=============  ======================================================  ==========
subgroup       indicator × breakdown (all groups against their rest)   holm
breakdown      indicator (its breakdowns' overall tests)               holm
hotspot        the Ortsteil screen (all Ortsteile × screened indicators)  bh
ranking        one ranking (its adjacent pairs)                        holm
trend          the offence groups of one area                          holm
reference      the offence groups against one reference area           holm
association    the terms of one model                                  holm
change         the indicators of one wave change (or its hotspot screen)  holm / bh
=============  ======================================================  ==========

Holm controls the family-wise error rate (the chance of even one false statement in the family is at
most alpha) and is used wherever the report states a single difference as established. The Ortsteil
screen is a search over many cells (e.g. 5 Ortsteile × 20 indicators = 100 tests) whose result is a
short list to look at; there Benjamini-Hochberg, which bounds the expected share of false hotspots
among those flagged, keeps useful power where Holm would flag almost nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from analysis.core.multiple_testing import GUARANTEE, adjust, canonical_method
from analysis.findings.types import FamilySummary, Finding, FindingKind

DEFAULT_METHODS: Mapping[FindingKind, str] = {
    FindingKind.SUBGROUP: "holm",
    FindingKind.BREAKDOWN: "holm",
    FindingKind.HOTSPOT: "bh",
    FindingKind.RANKING: "holm",
    FindingKind.TREND: "holm",
    FindingKind.REFERENCE: "holm",
    FindingKind.ASSOCIATION: "holm",
    FindingKind.CHANGE: "holm",
}


def adjust_families(findings: Sequence[Finding], methods: Mapping[Any, str] | None = None) -> tuple[Finding, ...]:
    """Adjust p-values within each family; ``methods`` maps a kind (or a family id) to a method.

    A family id in ``methods`` wins over its kind; otherwise :data:`DEFAULT_METHODS`. Untested
    findings keep ``p_adjusted = None`` and do not count in ``family_size``.
    """
    methods = dict(methods or {})
    groups: dict[str, list[int]] = {}
    for index, finding in enumerate(findings):
        groups.setdefault(finding.family, []).append(index)
    out = list(findings)
    for family, indices in groups.items():
        kind = findings[indices[0]].kind
        method = canonical_method(methods.get(family, methods.get(kind, methods.get(kind.value, DEFAULT_METHODS[kind]))))
        p = [findings[i].p for i in indices]
        adjusted = adjust(p, method)
        size = int(np.count_nonzero(~np.isnan(adjusted)))
        for i, value in zip(indices, adjusted):
            out[i] = findings[i].with_adjustment(None if np.isnan(value) else float(value), method, size)
    return tuple(out)


def family_summaries(findings: Sequence[Finding], alpha: float = 0.05) -> tuple[FamilySummary, ...]:
    """One :class:`FamilySummary` per family, in order of first appearance."""
    groups: dict[str, list[Finding]] = {}
    for finding in findings:
        groups.setdefault(finding.family, []).append(finding)
    out = []
    for family, members in groups.items():
        tested = [f for f in members if f.tested]
        method = tested[0].adjustment if tested else members[0].adjustment
        significant = sum(1 for f in tested if f.p_adjusted is not None and f.p_adjusted < alpha)
        out.append(FamilySummary(family, members[0].kind, method, alpha, len(members), len(tested), significant,
                                 alpha * len(tested), GUARANTEE.get(method, "none")))
    return tuple(out)
