"""Design-based tests for two-way tables: Rao-Scott corrected Pearson χ² (R ``svychisq``).

Rows used: respondents in ``domain`` with a valid value of *both* variables (R ``na.rm = TRUE``); all
other rows stay in the design with influence 0 (domain estimation, as everywhere in the engine).

With ``p̂`` the weighted cell proportions among those respondents (r × c cells), ``V`` their design
covariance (:meth:`analysis.core.design.Design.variance_of_total`: calibration residuals, strata, fpc),
``C`` the interaction columns of the saturated cell model residualised (unweighted least squares) on
the main-effect columns, ``D = diag(p̂)`` and ``N`` the number of rows (R scales the table to
``nrow(design)``; the F statistic does not depend on ``N``)::

    Δ  = [C' D⁻¹ C / N]⁻¹ [C' D⁻¹ V D⁻¹ C]
    X² = N Σ_ij (p̂_ij - p̂_i+ p̂_+j)² / (p̂_i+ p̂_+j)          (Pearson on the weighted table)

* ``statistic="F"`` (default, R's default; second-order Rao-Scott with Satterthwaite df, Thomas & Rao
  1987): ``F = X² / tr(Δ)`` on ``d₀ = tr(Δ)² / tr(Δ²)`` and ``d₀ · degf`` degrees of freedom, ``degf``
  of the full design (R: PSUs minus strata of the design).
* ``statistic="Chisq"`` (first order): ``X² / mean(diag Δ)`` against χ² with (r-1)(c-1) df.

A table with fewer than two occupied rows or columns, or an explicitly requested level nobody has,
gives an invalid result (``valid = False``, German ``reason``) instead of an exception, so a report
can say why no test is shown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Sequence

import numpy as np

from analysis.core import distributions as dist
from analysis.core.categories import category_key, category_keys
from analysis.core.design import Design
from analysis.core.results import readonly


@dataclass(frozen=True, eq=False)
class TableTest:
    """Result of :func:`rao_scott`. ``statistic`` is ``"F"`` or ``"Chisq"``; ``value`` its value.

    ``table`` holds the weighted cell proportions (rows × columns), ``n`` the respondents used,
    ``chisq`` the uncorrected Pearson X² of the weighted table scaled to ``n``, ``deltas`` the
    eigenvalues of Δ (generalised design effects in R's scaling with ``N`` = all rows of the design,
    so they include the factor ``N/n`` when rows are missing; ``value`` does not depend on it). Invalid
    tests have NaN numbers and a ``reason`` code: ``no_respondents`` (nobody with both variables),
    ``empty_category`` (``empty`` = ``("row" | "col", level)`` has no weight), ``too_few_categories``
    (fewer than two rows or columns).
    """

    statistic: str
    value: float
    ndf: float
    ddf: float
    p_value: float
    chisq: float
    n: int
    row_levels: tuple
    col_levels: tuple
    table: np.ndarray
    deltas: np.ndarray
    valid: bool = True
    reason: str = ""
    empty: tuple | None = None

    @property
    def method(self) -> str:
        """``rao_scott_f`` (second order, F) or ``rao_scott_chisq`` (first order)."""
        return "rao_scott_f" if self.statistic == "F" else "rao_scott_chisq"


def rao_scott(
    design: Design,
    rows: Any,
    cols: Any,
    domain: Any | None = None,
    statistic: str = "F",
    row_levels: Sequence | None = None,
    col_levels: Sequence | None = None,
    *,
    col_keys: np.ndarray | None = None,
) -> TableTest:
    """Rao-Scott test of independence of ``rows`` and ``cols`` (R ``svychisq(~rows + cols, design)``).

    ``rows``/``cols``: per-respondent categories (NaN/None = missing). Levels default to the sorted
    categories occurring among the rows used; explicit levels restrict the table to them (other values
    count as missing). ``col_keys``: ``category_keys(cols)`` if already at hand (a breakdown tested for
    many indicators).
    """
    if statistic not in ("F", "Chisq"):
        raise ValueError(f"unknown statistic {statistic!r}")
    r_keys, c_keys = _keys(rows, design.n), _keys(cols, design.n) if col_keys is None else col_keys
    inside = (r_keys != None) & (c_keys != None)  # noqa: E711 - object arrays
    if row_levels is not None:
        row_levels = [category_key(v) for v in row_levels]
        inside &= _positions(r_keys, row_levels) >= 0
    if col_levels is not None:
        col_levels = [category_key(v) for v in col_levels]
        inside &= _positions(c_keys, col_levels) >= 0
    if domain is not None:
        inside &= np.asarray(domain, dtype=bool)
    inside &= np.asarray(design.weights) > 0
    row_levels = row_levels if row_levels is not None else _levels(r_keys, inside)
    col_levels = col_levels if col_levels is not None else _levels(c_keys, inside)
    nr, nc = len(row_levels), len(col_levels)
    n = int(inside.sum())

    def invalid(reason: str, empty: tuple | None = None) -> TableTest:
        return TableTest(statistic, math.nan, math.nan, math.nan, math.nan, math.nan, n, tuple(row_levels),
                         tuple(col_levels), readonly(np.full((nr, nc), np.nan)), readonly([]), False, reason, empty)

    if n == 0:
        return invalid("no_respondents")
    r_idx = np.where(inside, _positions(r_keys, row_levels), -1)
    c_idx = np.where(inside, _positions(c_keys, col_levels), -1)
    cell = np.where(inside, c_idx * nr + r_idx, -1)  # R order: row level varies fastest
    k = nr * nc
    w = np.where(inside, design.weights, 0.0)
    total = w.sum()
    p = np.bincount(cell[inside], weights=w[inside], minlength=k) / total
    table = p.reshape(nc, nr).T
    empty_rows = [row_levels[i] for i in range(nr) if table[i].sum() <= 0]
    empty_cols = [col_levels[j] for j in range(nc) if table[:, j].sum() <= 0]
    if nr < 2 or nc < 2 or empty_rows or empty_cols:
        if empty_rows or empty_cols:
            return invalid("empty_category", ("row", empty_rows[0]) if empty_rows else ("col", empty_cols[0]))
        return invalid("too_few_categories")

    indicator = np.zeros((design.n, k))
    indicator[np.flatnonzero(inside), cell[inside]] = 1.0
    z = np.where(inside[:, None], indicator - p, 0.0) / total
    V = np.atleast_2d(design.variance_of_total(z))
    N = design.n
    C = _interaction_contrasts(nr, nc)
    Dinv = np.where(p > 0, 1 / np.where(p > 0, p, 1), 0.0)
    denom = C.T @ (Dinv[:, None] * C) / N
    numr = C.T @ (Dinv[:, None] * V * Dinv[None, :]) @ C
    delta = np.linalg.solve(denom, numr)
    trace, trace2 = float(np.trace(delta)), float(np.trace(delta @ delta))
    expected = np.outer(table.sum(axis=1), table.sum(axis=0))
    x2_unit = float(((table - expected) ** 2 / expected).sum())
    deltas = np.sort(np.linalg.eigvals(delta).real)[::-1]
    if statistic == "F":
        d0 = trace**2 / trace2
        value = N * x2_unit / trace
        ndf, ddf = d0, d0 * design.degf
        p_value = float(dist.f_sf(value, ndf, ddf))
    else:
        K = (nr - 1) * (nc - 1)
        value = N * x2_unit / (trace / K)
        ndf, ddf = float(K), math.inf
        p_value = float(dist.chi2_sf(value, K))
    return TableTest(statistic, float(value), float(ndf), float(ddf), p_value, n * x2_unit, n,
                     tuple(row_levels), tuple(col_levels), readonly(table), readonly(deltas))


@lru_cache(maxsize=64)
def _interaction_contrasts(nr: int, nc: int) -> np.ndarray:
    """Interaction columns of ``~ factor(rows) * factor(cols)`` residualised on the main effects (kept per
    table shape, read-only: a profile tests the same few shapes for every indicator)."""
    r = np.tile(np.arange(nr), nc)
    c = np.repeat(np.arange(nc), nr)
    main = np.column_stack([np.ones(nr * nc)] + [(r == i).astype(float) for i in range(1, nr)]
                           + [(c == j).astype(float) for j in range(1, nc)])
    inter = np.column_stack([((r == i) & (c == j)).astype(float) for j in range(1, nc) for i in range(1, nr)])
    coef = np.linalg.lstsq(main, inter, rcond=None)[0]
    contrasts = inter - main @ coef
    contrasts.flags.writeable = False
    return contrasts


def _keys(values: Any, n: int) -> np.ndarray:
    keys = category_keys(values)
    if len(keys) != n:
        raise ValueError(f"values must have {n} entries, got {len(keys)}")
    return keys


def _positions(keys: np.ndarray, levels: list) -> np.ndarray:
    """Index of every key in ``levels`` (-1 if absent or missing)."""
    lookup = {level: i for i, level in enumerate(levels)}
    return np.fromiter((lookup.get(key, -1) for key in keys), dtype=np.int64, count=len(keys))


def _levels(keys: np.ndarray, inside: np.ndarray) -> list:
    present = set(keys[inside])
    return sorted(present, key=lambda v: (0, v, "") if isinstance(v, (int, float)) else (1, 0, str(v)))
