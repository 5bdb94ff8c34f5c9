"""Indicator records of the profile: every indicator overall, by breakdown variables, and standardised.

Estimates are design-based domain means (shares for 0/1 indicators) on :class:`DesignInfo`, i.e. R
survey semantics (``svymean``/``svyciprop`` on subsets of the calibrated design). Reliability and
disclosure flags follow one rule set (:func:`flag_for`): the engine's ``analysis.flags`` when present.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.flags import classify
from analysis.indicators import IndicatorSpec, MeanIndex, indicator_values, is_share
from analysis.profile_variance import DesignInfo, DomainMean, domain_mean, proportion_ci, wald_ci
from analysis.standardisation import StandardPopulation, StandardisedEstimate, standardise

MIN_SHOWN = 10
MIN_RELIABLE = 30
MAX_CI_WIDTH = 0.30
FLAG_OK, FLAG_UNRELIABLE, FLAG_SUPPRESSED = "ok", "unsicher", "unterdrueckt"
SUPPRESSION_RULES_DE = (
    "Werte aus weniger als 10 Antworten werden nicht ausgewiesen (»unterdrückt«). Werte aus 10 bis 29 "
    "Antworten oder – bei Anteilen – mit einem 95-%-Konfidenzintervall breiter als 30 Prozentpunkte sind "
    "als »unsicher« markiert und nur mit Vorsicht zu deuten."
)


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
    by: str | None = None
    group: str | None = None
    group_label: str | None = None


def flag_for(n: int, ci_low: float | None, ci_high: float | None, kind: str) -> tuple[str, str | None]:
    """The reliability/disclosure flag and its German reason (rules in ``analysis.flags``)."""
    flag, reason = classify(n, ci_low, ci_high, kind == "proportion")
    return flag, reason or None


def kind_of(spec: IndicatorSpec) -> str:
    return "proportion" if is_share(spec) else "mean"


def record_from_mean(spec: IndicatorSpec, result: DomainMean, df: float, *, by: str | None = None,
                     group: str | None = None, group_label: str | None = None) -> IndicatorRecord:
    kind = kind_of(spec)
    estimate, se = result.estimate, result.se
    ci_low = ci_high = None
    if estimate is not None and se is not None:
        ci_low, ci_high = proportion_ci(estimate, se, df) if kind == "proportion" else wald_ci(estimate, se, df)
    flag, reason = flag_for(result.n, ci_low, ci_high, kind)
    deff = result.deff
    if flag == FLAG_SUPPRESSED:
        estimate = se = ci_low = ci_high = deff = None
    return IndicatorRecord(
        id=spec.id, label=spec.label, kind=kind, core=bool(getattr(spec, "core", False)),
        ci_method="logit" if kind == "proportion" else "t", estimate=estimate, se=se, ci_low=ci_low,
        ci_high=ci_high, n=result.n, weighted_n=result.weighted_n, deff=deff, flag=flag,
        flag_reason=reason, by=by, group=group, group_label=group_label,
    )


def code_text(series: pd.Series) -> np.ndarray:
    """Group codes as text ("1", "16-29"); missing values as None."""
    def convert(value: object) -> str | None:
        if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
            return None
        if isinstance(value, (int, np.integer)) or (isinstance(value, float) and float(value).is_integer()):
            return str(int(value))
        return str(value)
    return np.array([convert(value) for value in series], dtype=object)


def indicator_records(
    data: pd.DataFrame, design: DesignInfo, specs: Sequence[IndicatorSpec], breakdowns: Sequence[Breakdown],
) -> tuple[tuple[IndicatorRecord, ...], tuple[IndicatorRecord, ...], dict[str, tuple[np.ndarray, np.ndarray]]]:
    """Overall records, breakdown records, and the respondent values per indicator (for later steps)."""
    overall: list[IndicatorRecord] = []
    by_group: list[IndicatorRecord] = []
    values_by_id: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    group_codes = {b.variable: code_text(data[b.variable]) if b.variable in data else None for b in breakdowns}
    for spec in specs:
        values, domain = indicator_values(data, spec)
        values_by_id[spec.id] = (values, domain)
        overall.append(record_from_mean(spec, domain_mean(design, values, domain), design.degf))
    for breakdown in breakdowns:
        codes = group_codes[breakdown.variable]
        if codes is None:
            continue
        for spec in specs:
            values, domain = values_by_id[spec.id]
            for code, label in breakdown.groups:
                result = domain_mean(design, values, domain & (codes == code))
                by_group.append(record_from_mean(spec, result, design.degf, by=breakdown.variable,
                                                 group=code, group_label=label))
    return tuple(overall), tuple(by_group), values_by_id


def standardised_records(
    data: pd.DataFrame, design: DesignInfo, specs: Sequence[IndicatorSpec],
    values_by_id: dict[str, tuple[np.ndarray, np.ndarray]], standard: StandardPopulation,
    sex_column: str = "geschlecht", age_column: str = "altersgruppe",
) -> tuple[tuple[StandardisedEstimate, str, str | None], ...]:
    """Standardised core indicators with flags: (estimate, flag, reason)."""
    results = []
    for spec in specs:
        if not getattr(spec, "core", False):
            continue
        values, domain = values_by_id[spec.id]
        kind = "mean" if isinstance(spec, MeanIndex) else "proportion"
        estimate = standardise(
            spec.id, values, domain, design.weights, data.get(sex_column, pd.Series([None] * len(data))),
            data.get(age_column, pd.Series([None] * len(data))), standard, design.variance, design.degf, kind,
        )
        if estimate.estimate is None:
            results.append((estimate, FLAG_SUPPRESSED, estimate.reason))
            continue
        flag, reason = flag_for(estimate.n, estimate.ci_low, estimate.ci_high, kind)
        results.append((estimate, flag, reason))
    return tuple(results)
