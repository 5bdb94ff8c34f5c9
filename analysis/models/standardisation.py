"""Direct age-sex standardisation of indicators to a fixed standard population.

The standardised value is ``S = sum_g W_g * p_g`` where ``g`` runs over the cells of the standard
population (geschlecht x altersgruppe), ``W_g`` are the cells' shares of the standard population and
``p_g`` the design-based domain estimates (ratio means) of the indicator in cell ``g``.

Variance: ``S`` is a linear combination of domain ratio estimates, so its linearised influence value is
``u_i = sum_g W_g * 1[i in g, valid] * (y_i - p_g) / N_g`` (``N_g`` = estimated population of the cell
with a valid value). Its variance is the design variance of the total ``sum_i w_i u_i``, computed by the
engine's variance core for an arbitrary influence vector (calibration residuals, strata and fpc
included): pass ``design.variance_of_total`` of an ``analysis.core.design.Design`` as ``variance``.
Intervals: logit for proportions, t for means (``analysis.core.intervals``), df = degf.

Respondents outside every cell (geschlecht divers / unknown, age unknown) and cells of the standard
population without any respondent make the standardised value unavailable for that indicator only if
a cell with positive standard weight is empty; such respondents are simply not part of any cell.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from analysis.core.categories import category_texts
from analysis.core.intervals import logit_interval, t_interval


@dataclass(frozen=True)
class StandardPopulation:
    """A fixed standard population: cell -> count (``cells`` maps (geschlecht, altersgruppe) to counts)."""

    name: str
    source: str
    year: int | None
    cells: tuple[tuple[str, str, float], ...]  # (geschlecht code, altersgruppe label, population)

    @property
    def shares(self) -> dict[tuple[str, str], float]:
        total = sum(count for _, _, count in self.cells)
        return {(sex, age): count / total for sex, age, count in self.cells}


@dataclass(frozen=True)
class StandardisedEstimate:
    """A directly standardised estimate with its design-based SE (``crude`` = the unstandardised one)."""

    id: str
    estimate: float | None
    se: float | None
    ci_low: float | None
    ci_high: float | None
    n: int
    weighted_n: float
    kind: str  # "proportion" or "mean"
    ci_method: str
    cells_used: int
    reason: str | None = None  # "empty_cell" when not available: nobody answered in cell ``empty_cell``
    empty_cell: tuple[str, str] | None = None  # (sex code, age group) of the first empty standard cell


def standard_keys(sex: Sequence[object], age_group: Sequence[object]) -> tuple[np.ndarray, np.ndarray]:
    """The respondents' sex and age group as the category texts of the standard cells."""
    return category_texts(list(sex)), category_texts(list(age_group))


def standardise(
    indicator_id: str,
    values: np.ndarray,
    domain: np.ndarray,
    weights: np.ndarray,
    sex: Sequence[object],
    age_group: Sequence[object],
    standard: StandardPopulation,
    variance: Callable[[np.ndarray], float],
    df: float,
    kind: str = "proportion",
    *,
    keys: tuple[np.ndarray, np.ndarray] | None = None,
) -> StandardisedEstimate:
    """Directly standardise the indicator with respondent ``values`` (NaN = missing) within ``domain``.

    ``variance(u)`` must return the design variance of the estimated total ``sum_i w_i u_i``.
    ``keys``: :func:`standard_keys` of ``sex`` and ``age_group`` if already at hand (many indicators).
    """
    values = np.asarray(values, dtype=float)
    weights = np.asarray(weights, dtype=float)
    valid = np.asarray(domain, dtype=bool) & np.isfinite(values)
    sex_key, age_key = keys if keys is not None else standard_keys(sex, age_group)
    influence = np.zeros(len(values))
    estimate = 0.0
    n = 0
    weighted_n = 0.0
    cells_used = 0
    for (cell_sex, cell_age), share in standard.shares.items():
        members = valid & (sex_key == cell_sex) & (age_key == cell_age)
        cell_total = float(weights[members].sum())
        if share <= 0:
            continue
        if not members.any() or cell_total <= 0:
            return StandardisedEstimate(
                id=indicator_id, estimate=None, se=None, ci_low=None, ci_high=None, n=int(valid.sum()),
                weighted_n=float(weights[valid].sum()), kind=kind, ci_method="",
                cells_used=cells_used, reason="empty_cell", empty_cell=(cell_sex, cell_age),
            )
        cell_mean = float((weights[members] * values[members]).sum() / cell_total)
        estimate += share * cell_mean
        influence[members] += share * (values[members] - cell_mean) / cell_total
        n += int(members.sum())
        weighted_n += cell_total
        cells_used += 1
    se = math.sqrt(max(variance(influence), 0.0))
    if kind == "proportion":
        low, high = logit_interval(estimate, se, df, n=n)
        method = "logit"
    else:
        low, high = t_interval(estimate, se, df)
        method = "t"
    ci_low, ci_high = float(low), float(high)
    return StandardisedEstimate(
        id=indicator_id, estimate=estimate, se=se, ci_low=ci_low, ci_high=ci_high, n=n,
        weighted_n=weighted_n, kind=kind, ci_method=method, cells_used=cells_used,
    )


def independent_groups_se(
    values: np.ndarray, domain: np.ndarray, cell_se: dict[tuple[str, str], float], standard: StandardPopulation
) -> float:
    """Approximate SE treating the cell estimates as independent: sqrt(sum_g W_g^2 se_g^2).

    Only for comparison in tests and diagnostics; the design-based SE above accounts for the covariance
    between cells that calibration and stratification induce.
    """
    return math.sqrt(sum(share ** 2 * cell_se[cell] ** 2 for cell, share in standard.shares.items()))
