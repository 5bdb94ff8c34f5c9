"""Item distributions for the Tabellenband: every coded item's weighted distribution, overall and by
breakdown groups, with CIs, unweighted counts, missing codes counted and small bases suppressed.

Shares of valid codes are design-based domain proportions among the valid answers of the group (logit
interval, df = design degrees of freedom). Missing codes (8 weiß nicht, 9 keine Angabe) and blanks are
counted (unweighted n) and given as a weighted share of all respondents of the group, without interval.
Free-text and number items have no distribution here (free text is never printed).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.profile_indicators import FLAG_SUPPRESSED, Breakdown, code_text, flag_for
from analysis.profile_variance import DesignInfo, domain_mean, proportion_ci


@dataclass(frozen=True)
class ItemInfo:
    """A coded item (data column): valid codes and missing codes with labels."""

    id: str
    label: str
    question: str
    section: str
    codes: tuple[tuple[int, str], ...]
    missing_codes: tuple[tuple[int, str], ...] = ()
    core: bool = False


@dataclass(frozen=True)
class ItemCategory:
    code: int | None  # None: blank (no answer / filtered out)
    label: str
    missing: bool
    n: int | None  # None when the group is suppressed (fewer than 10 valid answers)
    share: float | None
    ci_low: float | None = None
    ci_high: float | None = None


@dataclass(frozen=True)
class ItemDistribution:
    item: str
    label: str
    question: str
    section: str
    core: bool
    by: str | None
    group: str | None
    group_label: str | None
    n_total: int
    n_valid: int
    flag: str
    flag_reason: str | None
    categories: tuple[ItemCategory, ...]


def _distribution(item: ItemInfo, raw: np.ndarray, members: np.ndarray, design: DesignInfo,
                  by: str | None, group: str | None, group_label: str | None) -> ItemDistribution:
    valid_codes = np.array([code for code, _ in item.codes], dtype=float)
    valid = members & np.isin(raw, valid_codes)
    n_valid = int(valid.sum())
    n_total = int(members.sum())
    weights = design.weights
    group_weight = float(weights[members].sum())
    flag, reason = flag_for(n_valid, None, None, "proportion")
    categories = []
    widest = 0.0
    for code, label in item.codes:
        hits = valid & (raw == code)
        share = ci_low = ci_high = None
        if flag != FLAG_SUPPRESSED:
            values = np.where(valid, (raw == code).astype(float), np.nan)
            result = domain_mean(design, values, members)
            share = result.estimate
            if share is not None and result.se is not None:
                ci_low, ci_high = proportion_ci(share, result.se, design.degf)
                widest = max(widest, ci_high - ci_low)
        categories.append(ItemCategory(code, label, False, int(hits.sum()), share, ci_low, ci_high))
    for code, label in item.missing_codes:
        hits = members & (raw == code)
        share = float(weights[hits].sum() / group_weight) if group_weight > 0 and flag != FLAG_SUPPRESSED else None
        categories.append(ItemCategory(code, label, True, int(hits.sum()), share))
    blank = members & ~np.isfinite(raw)
    known = np.array([code for code, _ in item.codes + item.missing_codes], dtype=float)
    other = members & np.isfinite(raw) & ~np.isin(raw, known)
    blank_share = (float(weights[blank | other].sum() / group_weight)
                   if group_weight > 0 and flag != FLAG_SUPPRESSED else None)
    categories.append(ItemCategory(None, "keine Antwort", True, int((blank | other).sum()), blank_share))
    if flag != FLAG_SUPPRESSED:
        flag, reason = flag_for(n_valid, 0.0, widest, "proportion")
    else:
        categories = [ItemCategory(c.code, c.label, c.missing, None, None) for c in categories]
    return ItemDistribution(
        item=item.id, label=item.label, question=item.question, section=item.section, core=item.core,
        by=by, group=group, group_label=group_label, n_total=n_total, n_valid=n_valid, flag=flag,
        flag_reason=reason, categories=tuple(categories),
    )


def item_distributions(data: pd.DataFrame, design: DesignInfo, items: Sequence[ItemInfo],
                       breakdowns: Sequence[Breakdown]) -> tuple[ItemDistribution, ...]:
    """Distributions of every item overall and per group of every breakdown."""
    everyone = np.ones(len(data), dtype=bool)
    group_codes = {b.variable: code_text(data[b.variable]) for b in breakdowns if b.variable in data}
    results = []
    for item in items:
        raw = (pd.to_numeric(data[item.id], errors="coerce").to_numpy(dtype=float)
               if item.id in data else np.full(len(data), np.nan))
        results.append(_distribution(item, raw, everyone, design, None, None, None))
        for breakdown in breakdowns:
            codes = group_codes.get(breakdown.variable)
            if codes is None:
                continue
            for code, label in breakdown.groups:
                results.append(_distribution(item, raw, codes == code, design, breakdown.variable, code, label))
    return tuple(results)
