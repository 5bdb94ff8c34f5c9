"""Estimate every indicator overall and by breakdown variables (vectorised).

:func:`estimate_indicators` takes the cleaned responses, a (calibrated) design and the indicator specs
(``analysis.core.indicators``) and returns one :class:`IndicatorEstimate` per indicator × (overall, each
group of each breakdown). Shares are estimated as proportions (interval ``method``, default logit),
indices as means (t interval). Respondents with a missing breakdown value count in the overall estimate
but in no group of that breakdown; all domains are subsets of the full design.

Degrees of freedom as R's ``svyby(~y, ~group, design, svyciprop, na.rm = TRUE)``: the overall estimate
uses ``degf`` of the full design, a group that of the group's subset design. An indicator's own
domain (``among``: the reporting rate among victims) is item non-response here, as in R where the
variable is NA outside it, so it never changes df (the overall reporting rate has the full design's
df, like ``svyciprop(~anzeige, design, na.rm = TRUE)``).

For unclustered designs the work is a few ``np.bincount`` passes per indicator
(``analysis.core.estimation_grouped``); other designs fall back to the generic per-estimate path.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from analysis.core import estimation, estimation_grouped
from analysis.core.design import Design
from analysis.core.indicators import IndicatorSpec, indicator_values, is_share
from analysis.core.results import Estimate


@dataclass(frozen=True)
class IndicatorEstimate:
    """One estimate of one indicator; ``breakdown``/``group`` are None for the overall estimate."""

    indicator: str
    label: str
    kind: str  # "proportion" or "mean"
    breakdown: str | None
    group: Any
    group_label: str | None
    estimate: Estimate


def estimate_indicators(
    frame: pd.DataFrame,
    design: Design,
    specs: Sequence[IndicatorSpec],
    breakdowns: Sequence[str] | Mapping[str, Any] = (),
    *,
    group_labels: Mapping[str, Mapping[Any, str]] | None = None,
    method: str = "logit",
    level: float = 0.95,
) -> list[IndicatorEstimate]:
    """Records for every spec overall and by every breakdown (columns of ``frame`` or name → values)."""
    if len(frame) != design.n:
        raise ValueError(f"frame has {len(frame)} rows, design has {design.n}")
    if isinstance(breakdowns, Mapping):
        columns = {name: np.asarray(values) for name, values in breakdowns.items()}
    else:
        columns = {name: frame[name].to_numpy() for name in breakdowns}
    group_labels = group_labels or {}
    groupings = {name: estimation.group_codes(values) for name, values in columns.items()}
    fast = estimation_grouped.supports(design)
    grouped = (estimation_grouped.GroupedEstimator(design, [(c, len(labs)) for c, labs in groupings.values()])
               if fast else None)
    records: list[IndicatorEstimate] = []
    item_columns: dict[str, np.ndarray] = {}
    for spec in specs:
        values, domain = indicator_values(frame, spec, item_columns)
        kind = "proportion" if is_share(spec) else "mean"
        valid = ~np.isnan(values) & domain
        views: list[tuple[str | None, list]] = [(None, [None])] + [(b, labs) for b, (_, labs) in groupings.items()]
        if grouped is not None:
            all_stats = grouped.estimate(values, valid, binary=kind == "proportion")
            for (name, labels), st in zip(views, all_stats):
                for g, group in enumerate(labels):
                    est = estimation.finish(design, st.estimate[g], st.variance[g], st.n[g], st.nobs[g],
                                            st.weighted_n[g], st.element_variance[g], kind, method, level,
                                            st.df[g], st.n_rows[g])
                    records.append(_record(spec, kind, name, group, est, group_labels))
            continue
        y = np.where(valid, values, np.nan)
        for name, labels in views:
            codes = None if name is None else groupings[name][0]
            for g, group in enumerate(labels):
                mask = None if codes is None else codes == g
                est = (estimation.proportion(design, y, mask, method, level) if kind == "proportion"
                       else estimation.mean(design, y, mask, level))
                records.append(_record(spec, kind, name, group, est, group_labels))
    return records


def _record(spec, kind, breakdown, group, est, group_labels) -> IndicatorEstimate:
    label = None
    if breakdown is not None:
        mapping = group_labels.get(breakdown, {})
        label = str(mapping.get(group, mapping.get(str(group), group)))
    return IndicatorEstimate(spec.id, spec.label, kind, breakdown, _plain(group), label, est)


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    return value
