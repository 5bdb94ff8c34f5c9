"""Direct age-sex standardisation of indicators to a fixed standard population.

The standardised value is ``S = sum_g W_g * p_g`` where ``g`` runs over the cells of the standard
population (geschlecht x altersgruppe), ``W_g`` are the cells' shares of the standard population and
``p_g`` the design-based domain estimates (ratio means) of the indicator in cell ``g``.

Variance: ``S`` is a linear combination of domain ratio estimates, so its linearised influence value is
``u_i = sum_g W_g * 1[i in g, valid] * (y_i - p_g) / N_g`` (``N_g`` = estimated population of the cell
with a valid value). Its variance is the design variance of the total ``sum_i w_i u_i``, computed by the
engine's variance function for an arbitrary influence vector (calibration residuals, strata and fpc
included). ``variance`` is passed in as a callable so that this module depends on no design internals;
``analysis.profile_variance`` provides one for calibrated stratified designs.

Respondents outside every cell (geschlecht divers / unknown, age unknown) and cells of the standard
population without any respondent make the standardised value unavailable for that indicator only if
a cell with positive standard weight is empty; such respondents are simply not part of any cell.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats


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
    reason: str | None = None  # German, when not available


def _ci(estimate: float, se: float, df: float, kind: str, level: float = 0.95) -> tuple[float, float, str]:
    quantile = stats.t.ppf(0.5 + level / 2, df) if np.isfinite(df) and df > 0 else stats.norm.ppf(0.5 + level / 2)
    if kind == "proportion" and 0 < estimate < 1:
        centre = math.log(estimate / (1 - estimate))
        half = quantile * se / (estimate * (1 - estimate))
        expit = lambda x: 1 / (1 + math.exp(-x))  # noqa: E731
        return expit(centre - half), expit(centre + half), "logit"
    if kind == "proportion":
        return estimate, estimate, "logit"
    return estimate - quantile * se, estimate + quantile * se, "t"


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
) -> StandardisedEstimate:
    """Directly standardise the indicator with respondent ``values`` (NaN = missing) within ``domain``.

    ``variance(u)`` must return the design variance of the estimated total ``sum_i w_i u_i``.
    """
    values = np.asarray(values, dtype=float)
    weights = np.asarray(weights, dtype=float)
    valid = np.asarray(domain, dtype=bool) & np.isfinite(values)
    sex_key = pd.Series(list(sex), dtype=object).map(_code_text).to_numpy()
    age_key = pd.Series(list(age_group), dtype=object).map(lambda value: None if _missing(value) else str(value)).to_numpy()
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
                cells_used=cells_used,
                reason=f"Standardisierung nicht möglich: keine gültigen Antworten in der Zelle "
                       f"Geschlecht {cell_sex}, Altersgruppe {cell_age}.",
            )
        cell_mean = float((weights[members] * values[members]).sum() / cell_total)
        estimate += share * cell_mean
        influence[members] += share * (values[members] - cell_mean) / cell_total
        n += int(members.sum())
        weighted_n += cell_total
        cells_used += 1
    se = math.sqrt(max(variance(influence), 0.0))
    ci_low, ci_high, method = _ci(estimate, se, df, kind)
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


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def _code_text(value: object) -> str | None:
    if _missing(value):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)
    return str(int(number)) if number.is_integer() else str(value)


def calibrated_total_variance(
    influence: np.ndarray,
    weights: np.ndarray,
    design_weights: np.ndarray,
    strata: np.ndarray,
    stratum_population: np.ndarray | None,
    calibration_matrix: np.ndarray | None,
) -> float:
    """Design variance of the estimated total ``sum_i w_i u_i`` for a stratified SRS without replacement,
    calibrated to the columns of ``calibration_matrix`` (R survey's ``svyrecvar`` for ``calibrate()``).

    Local fallback used when the engine does not expose a variance for arbitrary influence values: the
    influence values are replaced by their residuals from a ``design_weights``-weighted least-squares
    regression on the calibration model matrix (R: ``qr.resid(qr(X * sqrt(d)), u * sqrt(d)) / sqrt(d)``),
    multiplied by the calibrated weights, and the stratified between-unit variance with finite population
    correction is taken: ``sum_h (1 - n_h/N_h) n_h/(n_h - 1) sum_i (s_hi - mean_h s)^2``.
    ``stratum_population`` holds N_h per respondent (None: no fpc).
    """
    u = np.asarray(influence, dtype=float)
    w = np.asarray(weights, dtype=float)
    if calibration_matrix is not None and calibration_matrix.size:
        root = np.sqrt(np.asarray(design_weights, dtype=float))
        coef, *_ = np.linalg.lstsq(calibration_matrix * root[:, None], u * root, rcond=None)
        u = u - calibration_matrix @ coef
    scores = w * u
    codes, strata_index = np.unique(np.asarray(strata), return_inverse=True)
    total = 0.0
    for h in range(len(codes)):
        members = strata_index == h
        n_h = int(members.sum())
        if n_h < 2:
            continue
        s_h = scores[members]
        fpc = 1.0
        if stratum_population is not None:
            fpc = 1.0 - n_h / float(np.asarray(stratum_population, dtype=float)[members][0])
        total += fpc * n_h / (n_h - 1) * float(((s_h - s_h.mean()) ** 2).sum())
    return total
