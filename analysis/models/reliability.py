"""Design-weighted scale reliability: Cronbach's α (as R ``svycralpha``) with a linearisation SE.

Respondents used: those in ``domain`` with a valid value for *every* item (complete cases); everybody
else stays in the design with influence 0. With the (calibrated) weights ``w`` over them,
``W = Σ w``, item means ``x̄_j = Σ w x_j / W``, the weighted item variances
``s_j² = Σ w (x_j - x̄_j)² / W`` and the weighted variance of the sum score ``X = Σ_j x_j``,
``s_X² = Σ w (X - X̄)² / W``::

    α = k/(k-1) · (1 - Σ_j s_j² / s_X²)                 (Cronbach 1951, eq. 2)

R's ``svycralpha`` uses ``svyvar``, which multiplies every variance by the same ``n/(n-1)``; the factor
cancels, so α is identical. With equal weights α is the textbook (unweighted) value. The standardised
α is ``k r̄ / (1 + (k-1) r̄)`` with ``r̄`` the mean weighted inter-item correlation.

Standard error: α is a smooth function of weighted totals; its influence value (derivative with
respect to each respondent's weight) is ``z_i = k/(k-1) · (A z_B,i / B² - z_A,i / B)`` with
``A = Σ s_j²``, ``B = s_X²``, ``z_A,i = (Σ_j (x_ij - x̄_j)² - A)/W`` and ``z_B,i = ((X_i - X̄)² - B)/W``;
``V(α) = design.variance_of_total(z)`` (calibration residuals, strata, fpc). The interval is a t
interval with the design df (``degf``), like means.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
import pandas as pd

from analysis.core.design import Design
from analysis.errors import AnalysisError
from analysis.core.intervals import t_interval


@dataclass(frozen=True)
class Reliability:
    """Cronbach's α of ``k`` items over ``n`` complete cases (``weighted_n`` = their weight sum)."""

    alpha: float
    se: float
    ci_low: float
    ci_high: float
    standardised_alpha: float
    k: int
    n: int
    weighted_n: float
    df: float
    items: tuple[str, ...] = ()


def item_matrix(data: pd.DataFrame, items: Sequence[str], valid_codes: Sequence[float] | None = None) -> np.ndarray:
    """(n, k) float matrix of ``items``; values outside ``valid_codes`` (e.g. 8, 9) become NaN."""
    missing = [item for item in items if item not in data]
    if missing:
        raise AnalysisError(f"Für die Reliabilitätsanalyse fehlt das Item »{missing[0]}« in den Antworten.")
    matrix = np.column_stack([pd.to_numeric(data[item], errors="coerce").to_numpy(dtype=float) for item in items])
    if valid_codes is not None:
        matrix = np.where(np.isin(matrix, np.asarray(list(valid_codes), dtype=float)), matrix, np.nan)
    return matrix


def cronbach_alpha(
    design: Design,
    items: Any,
    domain: Any | None = None,
    names: Sequence[str] = (),
    level: float = 0.95,
) -> Reliability:
    """Design-weighted Cronbach's α of the columns of ``items`` (n, k); NaN = missing."""
    x = np.asarray(items, dtype=float)
    if x.ndim != 2 or x.shape[0] != design.n:
        raise ValueError(f"items must have shape ({design.n}, k)")
    k = x.shape[1]
    if k < 2:
        raise AnalysisError("Cronbachs Alpha braucht mindestens zwei Items.")
    inside = np.all(np.isfinite(x), axis=1) & (np.asarray(design.weights) > 0)
    if domain is not None:
        inside &= np.asarray(domain, dtype=bool)
    n = int(inside.sum())
    if n < 2:
        raise AnalysisError(f"Für Cronbachs Alpha gibt es nur {n} Befragte mit Angaben zu allen {k} Items.")
    w = design.weights[inside]
    W = float(w.sum())
    xi = x[inside]
    dev = xi - (w @ xi) / W
    item_var = (w @ dev**2) / W
    score_dev = dev.sum(axis=1)
    A, B = float(item_var.sum()), float(w @ score_dev**2 / W)
    if B <= 0 or np.any(item_var <= 0):
        if np.any(item_var <= 0):
            which = f"das Item »{names[int(np.argmin(item_var))]}«" if names else "ein Item"
        else:
            which = "der Summenwert"
        raise AnalysisError(f"Cronbachs Alpha ist nicht bestimmbar: {which} hat bei den {n} Befragten keine Streuung.")
    factor = k / (k - 1)
    alpha = factor * (1 - A / B)
    cov = (dev * w[:, None]).T @ dev / W
    sd = np.sqrt(np.diag(cov))
    corr = cov / np.outer(sd, sd)
    r_bar = float((corr.sum() - k) / (k * (k - 1)))
    standardised = k * r_bar / (1 + (k - 1) * r_bar)
    z = np.zeros(design.n)
    z_a = ((dev**2).sum(axis=1) - A) / W
    z_b = (score_dev**2 - B) / W
    z[inside] = factor * (A * z_b / B**2 - z_a / B)
    se = math.sqrt(max(float(design.variance_of_total(z)), 0.0))
    low, high = t_interval(alpha, se, design.degf, level)
    return Reliability(alpha=float(alpha), se=se, ci_low=float(low), ci_high=float(high),
                       standardised_alpha=float(standardised), k=k, n=n, weighted_n=W, df=float(design.degf),
                       items=tuple(names))
