"""Multiple testing: R's ``p.adjust`` and its application within the families of findings.

:func:`adjust` equals R ``p.adjust(p, method)`` for ``holm``, ``bh`` (R ``"BH"``), ``bonferroni``,
``hochberg``, ``by`` (R ``"BY"``) and ``none``: missing p-values (None/NaN) stay missing and do not
count in the family size ``n`` (as R does by default).

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

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from analysis.findings.types import FamilySummary, Finding, FindingKind

METHODS = ("holm", "bh", "bonferroni", "hochberg", "by", "none")
GUARANTEE = {"holm": "fwer", "bonferroni": "fwer", "hochberg": "fwer", "bh": "fdr", "by": "fdr", "none": "none"}
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


def _method(method: str) -> str:
    key = method.lower()
    if key not in METHODS:
        raise ValueError(f"Unbekanntes Verfahren zur Adjustierung: {method!r} (erlaubt: {', '.join(METHODS)}).")
    return key


def adjust(p_values: Iterable[float | None], method: str = "holm") -> np.ndarray:
    """Adjusted p-values, exactly as R ``p.adjust(p, method)`` (NaN for missing input)."""
    method = _method(method)
    p_all = np.array([np.nan if v is None else float(v) for v in p_values], dtype=float)
    out = np.full(p_all.shape, np.nan)
    present = ~np.isnan(p_all)
    p = p_all[present]
    n = p.size
    if n == 0:
        return out
    if np.any((p < 0) | (p > 1)):
        raise ValueError("p-Werte müssen zwischen 0 und 1 liegen.")
    if method == "none":
        adjusted = p
    elif method == "bonferroni":
        adjusted = np.minimum(1.0, n * p)
    elif method == "holm":
        order = np.argsort(p, kind="stable")
        i = np.arange(1, n + 1)
        adjusted = np.empty(n)
        adjusted[order] = np.minimum(1.0, np.maximum.accumulate((n - i + 1) * p[order]))
    else:
        order = np.argsort(-p, kind="stable")  # decreasing
        i = np.arange(n, 0, -1)
        if method == "hochberg":
            factor = n - i + 1
        elif method == "bh":
            factor = n / i
        else:  # by
            factor = np.sum(1.0 / np.arange(1, n + 1)) * n / i
        adjusted = np.empty(n)
        adjusted[order] = np.minimum(1.0, np.minimum.accumulate(factor * p[order]))
    out[present] = adjusted
    return out


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
        method = _method(methods.get(family, methods.get(kind, methods.get(kind.value, DEFAULT_METHODS[kind]))))
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
