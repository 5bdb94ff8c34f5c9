"""Shared inputs of the finding kinds: indicator values, breakdown codes, engine estimates as refs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from analysis.core import estimation
from analysis.core.categories import category_keys, category_text, category_texts
from analysis.core.design import Design
from analysis.core.flags import MIN_N_SHOWN
from analysis.core.contrasts import raw_numbers
from analysis.findings.types import EffectKind, EstimateRef
from analysis.core.indicators import IndicatorSpec, indicator_values, is_share
from analysis.core.results import Estimate

SUPPRESSED_NOTE = "suppressed"
EMPTY_NOTE = "empty"
NO_VARIANCE_NOTE = "no_variance"
INVALID_NOTE = "invalid"


@dataclass(frozen=True, eq=False)
class IndicatorValues:
    """Respondent values of one indicator: ``values`` (NaN = missing), ``domain`` mask, ``kind``."""

    id: str
    values: np.ndarray
    domain: np.ndarray
    kind: str  # "proportion" | "mean"

    @property
    def valid(self) -> np.ndarray:
        return ~np.isnan(self.values) & self.domain

    @property
    def effect_kind(self) -> EffectKind:
        return EffectKind.DIFFERENCE_PROPORTION if self.kind == "proportion" else EffectKind.DIFFERENCE_MEAN


@dataclass(frozen=True, eq=False)
class Grouping:
    """Group code text per respondent (None = no group) and the groups in reporting order."""

    variable: str
    codes: np.ndarray
    groups: tuple[str, ...]

    @cached_property
    def coded(self) -> tuple[np.ndarray, list]:
        """``estimation.group_codes(codes)``, worked out once for all indicators."""
        return estimation.group_codes(self.codes)

    @cached_property
    def keys(self) -> np.ndarray:
        """``category_keys(codes)``, worked out once for all indicators."""
        return category_keys(self.codes)


def _sort_key(code: str) -> tuple:
    try:
        return (0, float(code), code)
    except ValueError:
        return (1, 0.0, code)


def indicator_table(frame: pd.DataFrame, specs: Sequence[IndicatorSpec]) -> dict[str, IndicatorValues]:
    """Values of every spec (``analysis.core.indicators.indicator_values``) keyed by indicator id."""
    table, columns = {}, {}
    for spec in specs:
        values, domain = indicator_values(frame, spec, columns)
        table[spec.id] = IndicatorValues(spec.id, values, np.asarray(domain, dtype=bool),
                                         "proportion" if is_share(spec) else "mean")
    return table


def groupings(frame: pd.DataFrame, breakdowns: Sequence[Any] | Mapping[str, Any]) -> dict[str, Grouping]:
    """Normalise breakdowns: column names, ``{name: values}`` or objects with ``variable`` and ``groups``.

    Objects with ``groups`` (e.g. ``analysis.profile.indicators.Breakdown``: pairs ``(code, label)``)
    fix the order and the set of groups; codes outside count as missing. Otherwise the groups are the
    codes present, in numeric/text order. Breakdown columns absent from ``frame`` are skipped.
    """
    items: list[tuple[str, Any, tuple[str, ...] | None]] = []
    if isinstance(breakdowns, Mapping):
        items = [(str(name), values, None) for name, values in breakdowns.items()]
    else:
        for entry in breakdowns:
            if isinstance(entry, str):
                items.append((entry, frame[entry] if entry in frame else None, None))
            else:
                variable = entry.variable
                order = tuple(category_text(g[0] if isinstance(g, (tuple, list)) else g) for g in entry.groups)
                items.append((variable, frame[variable] if variable in frame else None, order))
    out = {}
    for name, values, order in items:
        if values is None:
            continue
        codes = category_texts(values.to_numpy() if isinstance(values, pd.Series) else values)
        if len(codes) != len(frame):
            raise ValueError(f"breakdown {name!r} has {len(codes)} values, frame has {len(frame)} rows")
        if order is None:
            order = tuple(sorted({c for c in codes if c is not None}, key=_sort_key))
        else:
            codes = np.where(pd.Series(codes, dtype=object).isin(order).to_numpy(), codes, None)
        out[name] = Grouping(name, codes, order)
    return out


def engine_estimate(design: Design, indicator: IndicatorValues, mask: np.ndarray) -> Estimate:
    """The engine's flagged estimate of ``indicator`` in ``mask`` (proportion interval or t interval)."""
    if indicator.kind == "proportion":
        return estimation.proportion(design, indicator.values, mask)
    return estimation.mean(design, indicator.values, mask)


def group_estimates(design: Design, indicator: IndicatorValues, grouping: Grouping) -> dict[str, Estimate]:
    """The engine's flagged estimate of ``indicator`` in every group (one grouped pass, R ``svyby``)."""
    kind = "proportion" if indicator.kind == "proportion" else "mean"
    by = estimation.by_groups(design, indicator.values, grouping.codes, indicator.domain, kind=kind,
                              coded=grouping.coded)
    found = {category_text(label): estimate for label, estimate in by.items()}
    empty = None
    out = {}
    for group in grouping.groups:
        if group not in found:  # nobody with a valid answer in the group
            empty = empty or engine_estimate(design, indicator, np.zeros(design.n, dtype=bool))
        out[group] = found.get(group, empty)
    return out


def estimate_ref(role: str, subject: str, group: str | None, estimate: Estimate, *, raw: bool = False,
                 design: Design | None = None, indicator: IndicatorValues | None = None,
                 mask: np.ndarray | None = None, rank: int | None = None) -> EstimateRef:
    """An :class:`EstimateRef` from an engine estimate; ``raw`` restores a suppressed estimate's numbers."""
    numbers = (estimate.estimate, estimate.se, estimate.ci_low, estimate.ci_high)
    if raw and estimate.suppressed and design is not None and indicator is not None:
        raw_values = raw_numbers(design, indicator.values, mask, indicator.kind, estimate)
        numbers = (raw_values.estimate, raw_values.se, raw_values.ci_low, raw_values.ci_high)
    return EstimateRef(role, subject, group, *numbers, n=estimate.n, df=estimate.df, flag=estimate.flag, rank=rank)


def too_small(*estimates: Estimate) -> bool:
    """True if a compared estimate rests on fewer answers than the disclosure rule allows."""
    return any(e.n < MIN_N_SHOWN for e in estimates)
