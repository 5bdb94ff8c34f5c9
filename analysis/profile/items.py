"""Item distributions for the Tabellenband: every coded item's weighted distribution, overall and by
breakdown groups, with CIs, unweighted counts, missing codes counted and small bases suppressed.

Shares of valid codes are design-based domain proportions among the valid answers of the group (logit
interval, df = design degrees of freedom), estimated by the engine: each valid code is a share indicator
(``analysis.core.indicators.ShareIndicator``) run through ``analysis.core.indicator_estimates`` overall and by the
breakdowns in one pass (for unclustered designs vectorised over the groups with the engine's
``GroupedEstimator`` and ``logit_interval``, which is what ``estimate_indicators`` does per group). Missing codes (8 weiß nicht, 9 keine Angabe) and blanks are
counted (unweighted n) and given as a weighted share of all respondents of the group, without interval.
Free-text and number items have no distribution here (free text is never printed).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.core import estimation, estimation_grouped
from analysis.core.design import Design
from analysis.core.indicators import ShareIndicator, indicator_values
from analysis.core.intervals import logit_interval
from analysis.profile.indicators import FLAG_SUPPRESSED, Breakdown, breakdown_columns, flag_for, grouped_estimates

Share = tuple[float, float, float]  # share, ci_low, ci_high


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


def _spec_id(item: ItemInfo, code: int) -> str:
    return f"{item.id}={code}"


class _ItemMasks:
    """Respondent masks of one item, worked out once for all its groups."""

    def __init__(self, item: ItemInfo, raw: np.ndarray):
        self.valid = np.isin(raw, np.array([code for code, _ in item.codes], dtype=float))
        self.hits = {code: raw == code for code, _ in item.codes + item.missing_codes}
        known = np.array([code for code, _ in item.codes + item.missing_codes], dtype=float)
        self.unanswered = ~np.isfinite(raw) | (np.isfinite(raw) & ~np.isin(raw, known))  # blank or other


def _distribution(item: ItemInfo, masks: _ItemMasks, members: np.ndarray, weights: np.ndarray,
                  shares: dict[str, Share | None], by: str | None, group: str | None,
                  group_label: str | None) -> ItemDistribution:
    valid = members & masks.valid
    n_valid = int(valid.sum())
    n_total = int(members.sum())
    group_weight = float(weights[members].sum())
    flag, reason = flag_for(n_valid, None, None, "proportion")
    categories = []
    widest = 0.0
    for code, label in item.codes:
        hits = valid & masks.hits[code]
        share = ci_low = ci_high = None
        found = shares.get(_spec_id(item, code))
        if flag != FLAG_SUPPRESSED and found is not None and np.isfinite(found[0]):
            share = found[0]
            if np.isfinite(found[1]) and np.isfinite(found[2]):
                ci_low, ci_high = found[1], found[2]
                widest = max(widest, ci_high - ci_low)
        categories.append(ItemCategory(code, label, False, int(hits.sum()), share, ci_low, ci_high))
    for code, label in item.missing_codes:
        hits = members & masks.hits[code]
        share = float(weights[hits].sum() / group_weight) if group_weight > 0 and flag != FLAG_SUPPRESSED else None
        categories.append(ItemCategory(code, label, True, int(hits.sum()), share))
    unanswered = members & masks.unanswered
    blank_share = (float(weights[unanswered].sum() / group_weight)
                   if group_weight > 0 and flag != FLAG_SUPPRESSED else None)
    categories.append(ItemCategory(None, "keine Antwort", True, int(unanswered.sum()), blank_share))
    if flag != FLAG_SUPPRESSED:
        flag, reason = flag_for(n_valid, 0.0, widest, "proportion")
    else:
        categories = [ItemCategory(c.code, c.label, c.missing, None, None) for c in categories]
    return ItemDistribution(
        item=item.id, label=item.label, question=item.question, section=item.section, core=item.core,
        by=by, group=group, group_label=group_label, n_total=n_total, n_valid=n_valid, flag=flag,
        flag_reason=reason, categories=tuple(categories),
    )


def _shares(data: pd.DataFrame, design: Design, specs: list[ShareIndicator], columns: dict[str, np.ndarray],
            item_columns: dict[str, np.ndarray] | None = None) -> dict[tuple[str, str | None, str | None], Share]:
    """(share, ci_low, ci_high) keyed by (spec id, breakdown or None, group code text or None)."""
    if not estimation_grouped.supports(design):
        return {key: (np.nan if e.estimate is None else e.estimate, np.nan if e.ci_low is None else e.ci_low,
                      np.nan if e.ci_high is None else e.ci_high)
                for key, e in grouped_estimates(data, design, specs, columns).items()}
    groupings = {name: estimation.group_codes(values) for name, values in columns.items()}
    grouped = estimation_grouped.GroupedEstimator(design, [(codes, len(labels)) for codes, labels in groupings.values()])
    views = [(None, [None])] + [(name, [str(label) for label in labels]) for name, (_, labels) in groupings.items()]
    out: dict[tuple[str, str | None, str | None], Share] = {}
    for spec in specs:
        values, _ = indicator_values(data, spec, item_columns)
        for (name, labels), st in zip(views, grouped.estimate(values, ~np.isnan(values), binary=True)):
            with np.errstate(invalid="ignore"):
                se = np.sqrt(st.variance)
            low, high = logit_interval(st.estimate, se, st.df, n=st.n)
            for g, label in enumerate(labels):
                out[(spec.id, name, label)] = (float(st.estimate[g]), float(low[g]), float(high[g]))
    return out


def item_distributions(data: pd.DataFrame, design: Design, items: Sequence[ItemInfo],
                       breakdowns: Sequence[Breakdown]) -> tuple[ItemDistribution, ...]:
    """Distributions of every item overall and per group of every breakdown."""
    everyone = np.ones(len(data), dtype=bool)
    columns = breakdown_columns(data, breakdowns)
    valid_codes = {item.id: frozenset(code for code, _ in item.codes) for item in items}
    specs = [ShareIndicator(_spec_id(item, code), label, item.id, frozenset({code}), valid_codes[item.id])
             for item in items if item.id in data for code, label in item.codes]
    item_columns: dict[str, np.ndarray] = {}  # each item column converted once (indicator_values)
    estimates = _shares(data, design, specs, columns, item_columns)
    weights = np.asarray(design.weights, dtype=float)
    results = []
    in_group: dict[tuple[str, str], np.ndarray] = {}  # respondents of every breakdown group
    for item in items:
        raw = (item_columns[item.id] if item.id in item_columns else
               pd.to_numeric(data[item.id], errors="coerce").to_numpy(dtype=float)
               if item.id in data else np.full(len(data), np.nan))

        def shares(by: str | None, group: str | None) -> dict[str, Share | None]:
            return {_spec_id(item, code): estimates.get((_spec_id(item, code), by, group))
                    for code, _ in item.codes}

        masks = _ItemMasks(item, raw)
        results.append(_distribution(item, masks, everyone, weights, shares(None, None), None, None, None))
        for breakdown in breakdowns:
            codes = columns.get(breakdown.variable)
            if codes is None:
                continue
            for code, label in breakdown.groups:
                members = in_group.get((breakdown.variable, code))
                if members is None:
                    members = in_group[(breakdown.variable, code)] = codes == code
                results.append(_distribution(item, masks, members, weights, shares(breakdown.variable, code),
                                             breakdown.variable, code, label))
    return tuple(results)
