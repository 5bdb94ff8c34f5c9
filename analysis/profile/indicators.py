"""Indicator records of the profile: every indicator overall, by breakdown variables, and standardised.

The numbers come from the engine (:func:`analysis.core.indicator_estimates.estimate_indicators`: design-based
domain estimates with R survey semantics and the flags of ``analysis.core.flags``); this module only maps
them to the record shape of ``profil.json`` and ``schaetzen`` and keeps the breakdown groups in the order
of the questionnaire (groups without respondents get a suppressed record).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.core.categories import category_texts
from analysis.core.design import Design
from analysis.core.flags import classify, make_estimate
from analysis.core.indicator_estimates import estimate_indicators
from analysis.core.indicators import IndicatorSpec, MeanIndex, indicator_values, is_share
from analysis.core.results import Estimate
from analysis.models.standardisation import StandardPopulation, StandardisedEstimate, standard_keys, standardise

FLAG_UNRELIABLE, FLAG_SUPPRESSED = "unsicher", "unterdrueckt"


@dataclass(frozen=True)
class Breakdown:
    """A breakdown variable (column in the data) with its groups as (code text, label)."""

    variable: str
    label: str
    groups: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class IndicatorRecord:
    id: str
    label: str
    kind: str  # proportion | mean
    core: bool
    ci_method: str
    estimate: float | None
    se: float | None
    ci_low: float | None
    ci_high: float | None
    n: int
    weighted_n: float
    deff: float | None
    flag: str
    flag_reason: str | None = None
    df: float | None = None  # degrees of freedom of the interval (domain: the subset design's degf)
    by: str | None = None
    group: str | None = None
    group_label: str | None = None


def flag_for(n: int, ci_low: float | None, ci_high: float | None, kind: str) -> tuple[str, str | None]:
    """The reliability/disclosure flag and its German reason (rules in ``analysis.core.flags``)."""
    flag, reason = classify(n, ci_low, ci_high, kind == "proportion")
    return flag, reason or None


def kind_of(spec: IndicatorSpec) -> str:
    return "proportion" if is_share(spec) else "mean"


def _number(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


def record_from_estimate(spec: IndicatorSpec, estimate: Estimate, *, by: str | None = None,
                         group: str | None = None, group_label: str | None = None) -> IndicatorRecord:
    """Map an engine :class:`Estimate` to the profile record (suppressed: numbers are None)."""
    return IndicatorRecord(
        id=spec.id, label=spec.label, kind=kind_of(spec), core=bool(getattr(spec, "core", False)),
        ci_method=estimate.method, estimate=_number(estimate.estimate), se=_number(estimate.se),
        ci_low=_number(estimate.ci_low), ci_high=_number(estimate.ci_high), n=estimate.n,
        weighted_n=estimate.weighted_n, deff=_number(estimate.deff), flag=estimate.flag,
        flag_reason=estimate.reason or None, df=_number(estimate.df), by=by, group=group, group_label=group_label,
    )


def empty_estimate(design: Design, kind: str) -> Estimate:
    """The (suppressed) estimate of a group without respondents (R: degf of an empty subset is 0)."""
    nan = math.nan
    return make_estimate(estimate=nan, se=nan, ci_low=nan, ci_high=nan, n=0, weighted_n=0.0, deff=nan,
                         df=0, method="logit" if kind == "proportion" else "t",
                         proportion=kind == "proportion")


def breakdown_columns(data: pd.DataFrame, breakdowns: Sequence[Breakdown]) -> dict[str, np.ndarray]:
    """Group code text per breakdown variable present in ``data``; codes outside the groups -> None."""
    columns = {}
    for breakdown in breakdowns:
        if breakdown.variable not in data:
            continue
        codes = category_texts(data[breakdown.variable])
        known = pd.Series(codes, dtype=object).isin([code for code, _ in breakdown.groups]).to_numpy()
        columns[breakdown.variable] = np.where(known, codes, None)
    return columns


def grouped_estimates(data: pd.DataFrame, design: Design, specs: Sequence[IndicatorSpec],
                      columns: dict[str, np.ndarray]) -> dict[tuple[str, str | None, str | None], Estimate]:
    """Engine estimates keyed by (spec id, breakdown or None, group code text or None)."""
    return {(e.indicator, e.breakdown, None if e.breakdown is None else str(e.group)): e.estimate
            for e in estimate_indicators(data, design, specs, columns)}


def indicator_records(
    data: pd.DataFrame, design: Design, specs: Sequence[IndicatorSpec], breakdowns: Sequence[Breakdown],
) -> tuple[tuple[IndicatorRecord, ...], tuple[IndicatorRecord, ...], dict[str, tuple[np.ndarray, np.ndarray]]]:
    """Overall records, breakdown records, and the respondent values per indicator (for later steps)."""
    columns = breakdown_columns(data, breakdowns)
    estimates = grouped_estimates(data, design, specs, columns)
    overall = tuple(record_from_estimate(spec, estimates[(spec.id, None, None)]) for spec in specs)
    by_group: list[IndicatorRecord] = []
    for breakdown in breakdowns:
        if breakdown.variable not in columns:
            continue
        for spec in specs:
            for code, label in breakdown.groups:
                estimate = estimates.get((spec.id, breakdown.variable, code)) or empty_estimate(design, kind_of(spec))
                by_group.append(record_from_estimate(spec, estimate, by=breakdown.variable, group=code,
                                                     group_label=label))
    columns: dict[str, np.ndarray] = {}
    values_by_id = {spec.id: indicator_values(data, spec, columns) for spec in specs}
    return overall, tuple(by_group), values_by_id


def standardised_records(
    data: pd.DataFrame, design: Design, specs: Sequence[IndicatorSpec],
    values_by_id: dict[str, tuple[np.ndarray, np.ndarray]], standard: StandardPopulation,
    sex_column: str = "geschlecht", age_column: str = "altersgruppe",
) -> tuple[tuple[StandardisedEstimate, str, str | None], ...]:
    """Standardised core indicators with flags: (estimate, flag, reason)."""
    results = []
    sex = data.get(sex_column, pd.Series([None] * len(data)))
    age = data.get(age_column, pd.Series([None] * len(data)))
    keys = standard_keys(sex, age)
    for spec in specs:
        if not getattr(spec, "core", False):
            continue
        values, domain = values_by_id[spec.id]
        kind = "mean" if isinstance(spec, MeanIndex) else "proportion"
        estimate = standardise(spec.id, values, domain, design.weights, sex, age, standard, design.variance_of_total,
                               design.degf, kind, keys=keys)
        if estimate.estimate is None:
            results.append((estimate, FLAG_SUPPRESSED, estimate.reason))
            continue
        flag, reason = flag_for(estimate.n, estimate.ci_low, estimate.ci_high, kind)
        results.append((estimate, flag, reason))
    return tuple(results)
