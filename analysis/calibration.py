"""Calibration of design weights to population margins (R ``survey::calibrate`` semantics).

:func:`calibrate` solves ``Σ_i d_i g_i x_i = T`` for ``g = F(x'λ)`` with the Deville-Särndal
Newton-Raphson iteration of R's ``grake`` (start λ = 0, step ``ginv(Σ d F'(x'λ) x x') · misfit``, step
halving on non-finite g, convergence when every ``|misfit|/(1+|T|) < epsilon``, at most ``maxit``
iterations; R rescales the design weights by the mean of ``T/Σd x`` when every ratio exceeds 20, and
so do we). ``calfun``: ``"linear"`` (GREG, one step when unbounded), ``"raking"`` (``exp``) and
``"logit"`` (bounded in ``(L, U)``, R's ``cal.logit``). ``bounds`` with linear/raking are R's truncated
versions.

Model matrix: an intercept (target N = total of the first margin) plus dummies for *every* category of
every margin. The columns are redundant, as in R's ``~a + b + c`` with intercept the column space is the
same, and the pseudo-inverse makes the iteration identical. Respondents with equal categories share a
cell, so the iteration runs on cell totals (a handful of cells) rather than on n × p matrices.

Rules for imperfect input (all documented for the report):

* **Perturbed census margins**: every margin is scaled proportionally to the total of the *first*
  margin (put the stratification variable first) if its total differs by at most ``tolerance`` (2 %);
  a German warning is recorded. Larger differences are an error.
* **Missing characteristic** (blank, or a code listed in ``missing`` such as geschlecht 3 divers / 9
  keine Angabe when the population has no such category): the respondent is kept, gets a zero row in
  that margin's dummy block (so is calibrated on the other margins and the total) and the margin's
  targets are reduced by the design-weighted share of such respondents. Counts are reported in
  ``WeightingResult.missing`` and a warning.
* **Unknown category** (in the sample, not in the margin), **empty cell** (target > 0, nobody in the
  sample), a target of 0 with respondents (raking/logit), infeasible bounds and non-convergence raise
  :class:`CalibrationError` naming margin and category.
* **Trimming** (optional, ``trim=(lo, hi)`` on g, R's ``calibrate(trim=)``): g outside is set to the
  bound and the trimmed weight is spread proportionally over the untrimmed respondents; margins then
  hold only approximately, which the margin table shows.
"""

from __future__ import annotations

from typing import Any, Collection, Mapping, NamedTuple

import numpy as np
import pandas as pd

from analysis.german import number
from analysis.design import CalibrationModel, Design, _norm, factorize
from analysis.errors import CalibrationError
from analysis.results import MarginCheck, WeightingResult, readonly

AGE_BREAKS = (16, 30, 45, 60, 75)
AGE_LABELS = ("16-29", "30-44", "45-59", "60-74", "75+")


class Calibrated(NamedTuple):
    design: Design
    result: WeightingResult


def age_groups(birth_years: Any, year: int, breaks=AGE_BREAKS, labels=AGE_LABELS) -> np.ndarray:
    """Age group labels for ``age = year - birth_year``: [16,30) … [75,∞); None if missing or < 16."""
    age = year - pd.to_numeric(pd.Series(np.asarray(birth_years)), errors="coerce").to_numpy(dtype=float)
    idx = np.searchsorted(np.asarray(breaks, dtype=float), age, side="right") - 1
    out = np.asarray(labels, dtype=object)[np.clip(idx, 0, len(labels) - 1)]
    out[(idx < 0) | np.isnan(age)] = None
    return out


# -- calibration functions (R cal.linear / cal.raking / cal.logit: Fm1 = g - 1, dF = dg/du) ----------
def _fm1_df(calfun: str, u: np.ndarray, L: float, U: float) -> tuple[np.ndarray, np.ndarray]:
    with np.errstate(over="ignore", invalid="ignore"):
        if calfun == "linear":
            return np.clip(u + 1, L, U) - 1, ((u < U - 1) & (u > L - 1)).astype(float)
        if calfun == "raking":
            e = np.exp(u)
            return np.clip(e, L, U) - 1, np.where((u < U - 1) & (u > L - 1), e, 0.0)
        A = (U - L) / ((U - 1) * (1 - L))
        e = np.exp(A * u)
        den = U - 1 + (1 - L) * e
        num = L * (U - 1) + U * (1 - L) * e
        return num / den - 1, U * (1 - L) * e * A / den - num * ((1 - L) * e * A) / den**2


def _margin_codes(name: str, values: Any, categories: list, missing_codes: Collection) -> np.ndarray:
    """Category index per respondent; -1 = characteristic missing. Unknown categories raise."""
    codes_u, uniques = factorize(values)
    lookup = {cat: i for i, cat in enumerate(categories)}
    miss = {_norm(m) for m in missing_codes}
    lut = np.empty(len(uniques) + 1, dtype=np.int64)
    lut[-1] = -1
    for j, value in enumerate(uniques):
        key = _norm(value)
        if key is None or (isinstance(key, str) and key == "") or (isinstance(key, float) and np.isnan(key)) or key in miss:
            lut[j] = -1
        elif key in lookup:
            lut[j] = lookup[key]
        else:
            count = int(np.count_nonzero(codes_u == j))
            raise CalibrationError(
                f"Randverteilung {name}: Kategorie {key} kommt bei {number(count)} Befragten vor, fehlt aber "
                "in den Bevölkerungszahlen. Bitte die Kategorie dort ergänzen oder als fehlend behandeln."
            )
    return lut[codes_u]


def calibrate(
    design: Design,
    data: pd.DataFrame | Mapping[str, Any],
    margins: Mapping[str, Mapping[Any, float]],
    *,
    calfun: str = "raking",
    bounds: tuple[float, float] | None = None,
    missing: Mapping[str, Collection] | None = None,
    maxit: int = 50,
    epsilon: float = 1e-7,
    tolerance: float = 0.02,
    trim: tuple[float, float] | None = None,
) -> Calibrated:
    """Calibrate ``design`` to ``margins`` (``{variable: {category: population total}}``, in order).

    ``data[variable]`` holds each respondent's category (same row order as the design). Returns the
    calibrated design (weights ``d·g``, calibration model for the variance) and a
    :class:`WeightingResult`. See the module docstring for the rules.
    """
    if calfun not in ("linear", "raking", "logit"):
        raise ValueError(f"unknown calfun {calfun!r}")
    if not margins:
        raise CalibrationError("Für die Gewichtung ist mindestens eine Randverteilung nötig.")
    L, U = (-np.inf, np.inf) if bounds is None else (float(bounds[0]), float(bounds[1]))
    if calfun == "logit" and not (np.isfinite(L) and np.isfinite(U)):
        raise CalibrationError("Die logit-Kalibrierung braucht endliche Grenzen für g (z. B. grenzen: [0.4, 2.2]).")
    if bounds is not None and not (L < 1 < U):
        raise CalibrationError(
            f"Die Grenzen der Gewichtung ({number(L, 2)}, {number(U, 2)}) müssen die 1 einschließen."
        )
    d = np.asarray(design.weights, dtype=float)
    n = d.shape[0]
    missing = missing or {}
    warnings: list[str] = []
    names = list(margins)

    # targets, codes, reconciliation
    cats, targets, codes = [], [], []
    for name in names:
        if name not in data:
            raise CalibrationError(f"Das Gewichtungsmerkmal {name} fehlt in den Antworten.")
        column = data[name]
        if len(column) != n:
            raise ValueError(f"data[{name!r}] has {len(column)} rows, design has {n}")
        items = [(_norm(k), float(v)) for k, v in margins[name].items()]
        bad = [k for k, v in items if not np.isfinite(v) or v < 0]
        if bad:
            raise CalibrationError(f"Randverteilung {name}: der Sollwert der Kategorie {bad[0]} ist ungültig.")
        cats.append([k for k, _ in items])
        targets.append(np.array([v for _, v in items]))
        codes.append(_margin_codes(name, column, cats[-1], missing.get(name, ())))
    total = float(targets[0].sum())
    rescaled: dict[str, tuple[float, float]] = {}
    for name, tgt in zip(names[1:], targets[1:]):
        s = float(tgt.sum())
        rel = abs(s - total) / total if total > 0 else np.inf
        if rel > tolerance:
            raise CalibrationError(
                f"Die Randverteilung {name} summiert sich auf {number(s)}, die Randverteilung {names[0]} auf "
                f"{number(total)} (Abweichung {number(100 * rel, 1)} %, erlaubt sind "
                f"{number(100 * tolerance, 1)} %). Bitte die Bevölkerungszahlen prüfen."
            )
        if rel > 1e-9:
            tgt *= total / s
            rescaled[name] = (s, total)
            warnings.append(
                f"Die Randverteilung {name} summiert sich auf {number(s)} statt {number(total)} "
                f"(Abweichung {number(100 * rel, 2)} %, z. B. durch Zensus-Geheimhaltung); sie wurde "
                f"proportional auf {number(total)} angepasst."
            )
    d_sum = d.sum()
    n_missing: dict[str, int] = {}
    missing_share: dict[str, float] = {}
    for name, tgt, code in zip(names, targets, codes):
        miss = code < 0
        if miss.any():
            n_missing[name] = int(miss.sum())
            share = float(d[miss].sum() / d_sum)
            missing_share[name] = share
            tgt *= 1 - share
            warnings.append(
                f"Bei {number(n_missing[name])} Befragten fehlt das Merkmal {name}; sie bleiben in der "
                f"Auswertung und werden nur an den übrigen Merkmalen ausgerichtet. Die Sollwerte von {name} "
                f"wurden um ihren gewichteten Anteil ({number(100 * share, 1)} %) verringert."
            )

    # cells
    key = np.zeros(n, dtype=np.int64)
    radix = 1
    for cat, code in zip(cats, codes):
        key = key * (len(cat) + 1) + (code + 1)
        radix *= len(cat) + 1
    if radix <= 4 * n + 1024:
        used = np.bincount(key, minlength=radix) > 0
        cell_keys = np.flatnonzero(used)
        cell = (np.cumsum(used) - 1)[key]
    else:
        cell_keys, cell = np.unique(key, return_inverse=True)
    n_cells = len(cell_keys)
    cell_codes = []
    rest = cell_keys.copy()
    for cat in reversed(cats):
        cell_codes.append(rest % (len(cat) + 1) - 1)
        rest //= len(cat) + 1
    cell_codes.reverse()
    cell_d = np.bincount(cell, weights=d, minlength=n_cells)

    # model matrix (cells × columns), targets, empty-cell checks
    columns = [np.ones(n_cells)]
    population = [total]
    labels: list[tuple[str, Any]] = [("", None)]
    for name, cat, tgt, code, ccode in zip(names, cats, targets, codes, cell_codes):
        counts = np.bincount(code[code >= 0], minlength=len(cat))
        for j, category in enumerate(cat):
            if counts[j] == 0:
                if tgt[j] > 0:
                    raise CalibrationError(
                        f"Randverteilung {name}: Kategorie {category} hat Sollwert {number(tgt[j])}, aber keine "
                        "Befragten. Bitte die Kategorie mit einer benachbarten zusammenfassen."
                    )
                continue
            if tgt[j] == 0 and calfun != "linear":
                raise CalibrationError(
                    f"Randverteilung {name}: Kategorie {category} hat Sollwert 0, aber {number(counts[j])} "
                    "Befragte; so lässt sich nicht gewichten. Bitte die Bevölkerungszahlen prüfen."
                )
            columns.append((ccode == j).astype(float))
            population.append(float(tgt[j]))
            labels.append((name, category))
    X = np.column_stack(columns)
    pop = np.array(population)

    ww = cell_d.copy()
    sample_total = X.T @ ww
    scale = 1.0
    with np.errstate(divide="ignore"):
        ratios = pop / sample_total
    if ratios.min() > 20:
        scale = float(ratios.mean())
        ww *= scale
        sample_total *= scale
    if bounds is not None:
        for (name, category), t, s in zip(labels[1:], pop[1:], sample_total[1:]):
            if not (L * s <= t <= U * s):
                raise CalibrationError(
                    f"Randverteilung {name}: Kategorie {category} lässt sich mit den Grenzen "
                    f"[{number(L, 2)}; {number(U, 2)}] nicht erreichen (Sollwert {number(t)}, "
                    f"Designgewichte ergeben {number(s)}). Bitte die Grenzen erweitern."
                )

    g_cell, iterations, converged, misfit = _newton(X, ww, pop, sample_total, calfun, L, U, bounds is None, maxit, epsilon)
    rel_misfit = np.abs(misfit) / (1 + np.abs(pop))
    if not converged:
        worst = int(np.argmax(rel_misfit))
        where = "Gesamtzahl" if worst == 0 else f"Randverteilung {labels[worst][0]}, Kategorie {labels[worst][1]}"
        raise CalibrationError(
            f"Die Gewichtung konvergiert nicht: nach {iterations} Iterationen beträgt die größte relative "
            f"Abweichung vom Sollwert {rel_misfit[worst]:.1e} ({where}). Bitte Grenzen erweitern oder "
            "Kategorien zusammenfassen.".replace(".", ",", 1)
        )
    g_cell = g_cell * scale
    g = g_cell[cell]
    if trim is not None:
        g, n_trimmed = _trim(g, d, trim)
        if n_trimmed:
            warnings.append(f"{number(n_trimmed)} Gewichtungsfaktoren wurden auf [{number(trim[0], 2)}; "
                            f"{number(trim[1], 2)}] gekappt; die Randverteilungen gelten danach nur näherungsweise.")
    w = d * g
    if np.any(w < 0):
        warnings.append("Die lineare Kalibrierung ergibt negative Gewichte; bitte Grenzen setzen (grenzen).")

    achieved = X.T @ np.bincount(cell, weights=w, minlength=n_cells)
    per_margin = {}
    for name, cat, code in zip(names, cats, codes):
        ok = code >= 0
        per_margin[name] = (np.bincount(code[ok], minlength=len(cat)),
                            np.bincount(code[ok], weights=d[ok], minlength=len(cat)))
    checks = []
    for k in range(1, len(labels)):
        name, category = labels[k]
        j = cats[names.index(name)].index(category)
        counts, dsums = per_margin[name]
        checks.append(MarginCheck(name, category, float(pop[k]), float(achieved[k]), int(counts[j]), float(dsums[j])))
    w_sum, w2_sum = float(w.sum()), float(np.dot(w, w))
    result = WeightingResult(
        weights=readonly(w), design_weights=readonly(d), g=readonly(g), calfun=calfun,
        bounds=None if bounds is None else (L, U), converged=True, iterations=iterations,
        max_misfit=float((np.abs(pop - achieved) / (1 + np.abs(pop))).max()),
        g_min=float(g.min()), g_max=float(g.max()),
        kish_deff=float(n * w2_sum / w_sum**2), effective_n=float(w_sum**2 / w2_sum),
        margins=tuple(checks), missing=n_missing, missing_share=missing_share, rescaled=rescaled,
        warnings=tuple(warnings),
    )
    model = CalibrationModel(cell=cell, X=X, design_weights=d)
    return Calibrated(design.with_weights(w, model), result)


def _newton(X, ww, pop, sample_total, calfun, L, U, unbounded, maxit, epsilon):
    """R ``grake`` on cells. Returns (g per cell, iterations, converged, final misfit)."""
    tol = 256 * np.finfo(float).eps
    if calfun == "linear" and unbounded:
        lam = np.linalg.pinv(X.T @ (ww[:, None] * X), rcond=tol, hermitian=True) @ (pop - sample_total)
        g = 1 + X @ lam
        return g, 1, True, pop - X.T @ (ww * g)
    eta = np.zeros(X.shape[1])
    xeta = X @ eta
    fm1, deriv = _fm1_df(calfun, xeta, L, U)
    iteration = 1
    while True:
        T = X.T @ ((ww * deriv)[:, None] * X)
        misfit = pop - sample_total - X.T @ (ww * fm1)
        deta = np.linalg.pinv(T, rcond=tol, hermitian=True) @ misfit
        eta = eta + deta
        xeta = X @ eta
        fm1, deriv = _fm1_df(calfun, xeta, L, U)
        while iteration < maxit and not (np.all(np.isfinite(fm1)) and np.all(np.isfinite(deriv))):
            iteration += 1
            deta = deta / 2
            eta = eta - deta
            xeta = X @ eta
            fm1, deriv = _fm1_df(calfun, xeta, L, U)
        misfit = pop - sample_total - X.T @ (ww * fm1)
        if np.all(np.abs(misfit) / (1 + np.abs(pop)) < epsilon):
            return 1 + fm1, iteration, True, misfit
        iteration += 1
        if iteration > maxit:
            return 1 + fm1, iteration, False, np.where(np.isfinite(misfit), misfit, np.inf)


def _trim(g: np.ndarray, d: np.ndarray, trim: tuple[float, float]) -> tuple[np.ndarray, int]:
    """R ``calibrate(trim=)``: cap g, spread the trimmed weight over the untrimmed respondents."""
    lo, hi = trim
    new = np.clip(g, lo, hi)
    outside = (g < lo) | (g > hi)
    if outside.any():
        new[~outside] += ((g - new) * d).sum() / d[~outside].sum()
    return new, int(outside.sum())
