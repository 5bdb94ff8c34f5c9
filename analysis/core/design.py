"""Sampling design and the Taylor-linearisation variance core (R ``survey`` semantics).

A :class:`Design` describes a one-stage design: strata (or one stratum), primary sampling units (each
respondent is its own PSU unless clusters are given), an optional finite population correction per
stratum, and weights. It can carry calibration models (``analysis.core.calibration``); the variance then
uses calibration residuals as R does for ``calibrate()``-d designs.

Variance core. For influence values ``z`` (one column per statistic) the estimator is linearised as
``Σ w_i z_i``. :meth:`Design.variance_of_total` returns its variance (R ``svyrecvar``):

1. calibration (each model in order): ``z ← z - X b`` with ``b`` the least-squares fit of ``z`` on the
   calibration model matrix ``X`` with the *design* weights ``d`` (R: ``qr.resid(qr(X·√d), x/w)·w``);
2. PSU totals ``t_hi = Σ_{i∈PSU} w_i z_i``;
3. ``V = Σ_h (1 - n_h/N_h) · n_h/(n_h-1) · Σ_i (t_hi - t̄_h)²`` where ``n_h`` is the number of sampled
   PSUs in stratum h (the whole sample, so domains are handled by ``z = 0`` outside the domain) and
   ``N_h`` the population number of PSUs (no fpc: factor 1, i.e. with replacement).

Lonely PSUs (a stratum with a single sampled PSU that is not a certainty unit, ``N_h > 1``): handled
as R's ``options(survey.lonely.psu = ...)``, chosen per design (``make_design(lonely_psu=...)``),
exactly as R's ``onestrat``/``onestage`` do for one-stage designs:

* ``"fail"`` (R's default): computing a variance raises :class:`LonelyStratumError`; building the
  design and calibrating work (R fails only at the variance, too);
* ``"certainty"`` and ``"remove"``: the stratum contributes 0 (identical in one-stage designs);
* ``"adjust"``: the stratum contributes ``(1 - f_h) · t_h²``, its PSU total centred at 0 (the
  influence values are already centred at the overall estimate) instead of its own mean;
* ``"average"``: the stratum is left out and the sum over the other strata is multiplied by
  ``H / (H - L)`` (H strata, L of them lonely).

Domains never create lonely strata (R's ``survey.adjust.domain.lonely = FALSE``, the default): a
stratum with one PSU *in the domain* keeps its full-sample ``n_h`` with zero totals outside the
domain, the usual domain estimator. Which strata are "present" matters for R's uncalibrated subsets,
which drop rows: pass ``rows`` to :meth:`Design.variance_of_total` (the respondents in the domain with
a valid value); calibrated subsets keep all rows, so all strata are present.

Degrees of freedom: number of PSUs minus number of strata (R ``degf``); for a domain
:meth:`Design.domain_degf` counts only PSUs with a nonzero weight in the domain and their strata (R
``degf`` of the subset design), :meth:`Design.group_degf` does so for every group of a breakdown.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from analysis.core.categories import category_key
from analysis.errors import AnalysisError, LonelyStratumError

LONELY_PSU_OPTIONS = ("fail", "adjust", "average", "certainty", "remove")


@dataclass(frozen=True, eq=False)
class CalibrationModel:
    """Calibration model on the cell level: respondents with equal auxiliaries share a cell.

    ``cell`` (n,) maps respondents to cells; ``X`` (C, p) is the model matrix of the cells (dummy
    coding of all margins plus an intercept; redundant columns are fine, projections use a
    pseudo-inverse); ``design_weights`` (n,) are the weights the design had *before* this calibration.
    """

    cell: np.ndarray
    X: np.ndarray
    design_weights: np.ndarray
    cell_design_total: np.ndarray = field(init=False, repr=False)
    gram_pinv: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        cdt = np.bincount(self.cell, weights=self.design_weights, minlength=self.X.shape[0])
        gram = self.X.T @ (cdt[:, None] * self.X)
        object.__setattr__(self, "cell_design_total", cdt)
        object.__setattr__(self, "gram_pinv", np.linalg.pinv(gram, rcond=1e-12, hermitian=True))

    def cell_fit(self, cell_dz: np.ndarray) -> np.ndarray:
        """Fitted cell values (C, k) of the d-weighted regression given cell sums of ``d·z`` (C, k)."""
        beta = self.gram_pinv @ (self.X.T @ cell_dz)
        return self.X @ beta

    def residuals(self, z: np.ndarray) -> np.ndarray:
        """``z - X b`` for ``z`` of shape (n, k)."""
        n_cells = self.X.shape[0]
        cell_dz = np.column_stack(
            [np.bincount(self.cell, weights=self.design_weights * z[:, j], minlength=n_cells) for j in range(z.shape[1])]
        )
        return z - self.cell_fit(cell_dz)[self.cell]


@dataclass(frozen=True, eq=False)
class Design:
    """A one-stage (stratified, optionally clustered) design with weights. Build it with :func:`make_design`."""

    weights: np.ndarray
    stratum: np.ndarray  # (n,) stratum index 0..H-1
    psu: np.ndarray  # (n,) PSU index 0..P-1 (unique across strata)
    psu_stratum: np.ndarray  # (P,) stratum of each PSU
    n_psu: np.ndarray  # (H,) sampled PSUs per stratum
    fpc_factor: np.ndarray  # (H,) 1 - n_h/N_h (1 without fpc)
    stratum_labels: tuple
    clustered: bool
    has_fpc: bool
    calibrations: tuple[CalibrationModel, ...] = ()
    lonely_psu: str = "fail"  # R options(survey.lonely.psu), see the module docstring
    cache: dict = field(default_factory=dict, init=False, repr=False)  # derived arrays (fast paths)

    @property
    def n(self) -> int:
        return int(self.weights.shape[0])

    @property
    def degf(self) -> int:
        """PSUs minus strata (R ``degf`` of the full design)."""
        return int(self.psu_stratum.shape[0] - self.n_psu.shape[0])

    @property
    def stratum_scale(self) -> np.ndarray:
        """Per-stratum factor ``(1 - f_h) · n_h/(n_h - 1)`` (0 for strata sampled completely; ``1 - f_h``
        for a stratum with one PSU, as R's ``onestrat``)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = np.where(self.n_psu > 1, self.fpc_factor * self.n_psu / (self.n_psu - 1), self.fpc_factor)
        return np.where(self.fpc_factor < 1e-7, 0.0, scale)

    @property
    def lonely(self) -> np.ndarray:
        """(H,) True for strata with a single sampled PSU that is not a certainty unit (R: lonely PSU)."""
        return (self.n_psu < 2) & (self.fpc_factor >= 1e-7)

    @property
    def lonely_labels(self) -> tuple:
        """Labels of the lonely strata (empty if there are none)."""
        return tuple(self.stratum_labels[h] for h in np.flatnonzero(self.lonely))

    def variance_terms(self, present: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(scale (H,), centre (H,), factor)`` of ``V = factor · Σ_h scale_h Σ_i (t_hi - centre_h t̄_h)²``.

        ``present``: strata with rows in R's subset, (H,) or (G, H) for G domains at once (only used for
        uncalibrated designs; calibrated subsets keep every row). ``factor`` has the leading shape of
        ``present`` (a scalar array without it). Raises :class:`LonelyStratumError` under ``"fail"``
        when a lonely stratum is present.
        """
        lonely = self.lonely
        all_present = present is None or bool(self.calibrations)
        present = np.ones_like(lonely) if all_present else np.asarray(present, dtype=bool)
        # a pure function of ``present``, asked for thousands of times by a profile: kept (read-only) per design
        key = ("variance_terms", present.shape, present.tobytes())
        known = self.cache.get(key)
        if known is not None:
            return known
        lonely_present = lonely & present
        if self.lonely_psu == "fail" and lonely_present.any():
            labels = self.lonely_labels
            where = ", ".join(str(label) for label in labels)
            raise LonelyStratumError(
                f"{'Die Schicht' if len(labels) == 1 else 'Die Schichten'} {where} "
                f"{'enthält' if len(labels) == 1 else 'enthalten'} nur eine Erhebungseinheit; ihre Varianz "
                "ist nicht schätzbar. Entweder die Schicht mit einer benachbarten zusammenlegen oder eine "
                "Regel für einzelne Erhebungseinheiten wählen (wie R survey.lonely.psu: adjust, average, "
                "certainty, remove).", labels)
        scale = self.stratum_scale.copy()
        centre = np.ones_like(scale)
        if lonely.any():
            if self.lonely_psu == "adjust":
                centre[lonely] = 0.0
            else:
                scale[lonely] = 0.0
        factor = np.ones(lonely_present.shape[:-1])
        if self.lonely_psu == "average" and lonely.any():
            strata = present.sum(axis=-1)
            usable = (present & ~lonely).sum(axis=-1)
            with np.errstate(divide="ignore", invalid="ignore"):
                factor = np.where(usable > 0, strata / np.maximum(usable, 1), np.nan)
        for array in (scale, centre, factor):
            array.flags.writeable = False
        self.cache[key] = (scale, centre, factor)
        return scale, centre, factor

    def domain_degf(self, domain: Any) -> int:
        """R ``degf`` of the subset design: PSUs with a nonzero weight in ``domain`` minus their strata."""
        domain = np.asarray(domain, dtype=bool)
        return int(self.group_degf(np.where(domain, 0, -1), 1)[0])

    def group_degf(self, codes: np.ndarray, n_levels: int) -> np.ndarray:
        """:meth:`domain_degf` of every group ``codes == g`` (g = 0..n_levels-1; -1 = in no group), (G,)."""
        codes = np.asarray(codes, dtype=np.int64)
        inset = (codes >= 0) & (np.asarray(self.weights) != 0)
        n_strata = self.n_psu.shape[0]
        group = codes[inset]
        if self.clustered:
            n_psus = self.psu_stratum.shape[0]
            pairs = _distinct(group * n_psus + self.psu[inset])
            group, strata = pairs // n_psus, self.psu_stratum[pairs % n_psus]
            psus = np.bincount(group, minlength=n_levels)[:n_levels]
        else:  # every row is its own PSU: count rows (O(n), no sort)
            strata = self.stratum[inset]
            psus = np.bincount(group, minlength=n_levels)[:n_levels]
        present = np.bincount(group * n_strata + strata, minlength=n_levels * n_strata)[: n_levels * n_strata]
        return (psus - np.count_nonzero(present.reshape(n_levels, n_strata), axis=1)).astype(np.int64)

    def domain_rows(self, domain: Any | None) -> int:
        """``nrow()`` of R's subset design: all rows for calibrated designs (R keeps them with weight 0),
        the rows in ``domain`` otherwise (R drops the others)."""
        if domain is None or self.calibrations:
            return self.n
        return int(np.count_nonzero(domain))

    def with_weights(self, weights: np.ndarray, calibration: CalibrationModel | None = None) -> "Design":
        """Same design with new weights (and an additional calibration model, if given)."""
        weights = _readonly(np.asarray(weights, dtype=float))
        cals = self.calibrations + ((calibration,) if calibration is not None else ())
        return replace(self, weights=weights, calibrations=cals)

    def residualize(self, z: np.ndarray) -> np.ndarray:
        """Calibration residuals of influence values ``z`` (n,) or (n, k); ``z`` itself if uncalibrated."""
        z2 = np.asarray(z, dtype=float).reshape(self.n, -1)
        for model in self.calibrations:
            z2 = model.residuals(z2)
        return z2.reshape(np.shape(z)) if np.ndim(z) == 1 else z2

    def psu_totals(self, x: np.ndarray) -> np.ndarray:
        """Sums of ``x`` (n, k) per PSU: (P, k)."""
        if not self.clustered:
            return x
        n_psu = self.psu_stratum.shape[0]
        return np.column_stack([np.bincount(self.psu, weights=x[:, j], minlength=n_psu) for j in range(x.shape[1])])

    def variance_of_total(self, z: np.ndarray, rows: np.ndarray | None = None) -> float | np.ndarray:
        """Variance of ``Σ w_i z_i`` (scalar for 1-D ``z``) or covariance matrix (k, k) for ``z`` (n, k).

        ``rows``: respondents R's subset would keep (domain members with a valid value); only matters
        for uncalibrated designs with a lonely stratum (see the module docstring). None: all rows.
        """
        one = np.ndim(z) == 1
        e = self.residualize(np.asarray(z, dtype=float).reshape(self.n, -1))
        t = self.psu_totals(self.weights[:, None] * e)
        n_strata = self.n_psu.shape[0]
        present = None
        if rows is not None and not self.calibrations:
            present = np.bincount(self.stratum[np.asarray(rows, dtype=bool)], minlength=n_strata) > 0
        scale, centre, factor = self.variance_terms(present)
        sums = np.column_stack([np.bincount(self.psu_stratum, weights=t[:, j], minlength=n_strata) for j in range(t.shape[1])])
        centred = t - (centre[:, None] * sums / self.n_psu[:, None])[self.psu_stratum]
        cov = float(factor) * (centred.T @ (scale[self.psu_stratum][:, None] * centred))
        return float(cov[0, 0]) if one else cov


def _distinct(keys: np.ndarray) -> np.ndarray:
    """Sorted distinct values of an int array (sort + diff: faster than ``np.unique``'s hash path here)."""
    if keys.size == 0:
        return keys
    ordered = np.sort(keys)
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]


def _readonly(array: np.ndarray) -> np.ndarray:
    array = np.array(array, copy=True)
    array.flags.writeable = False
    return array


def _codes(values: Any, n: int) -> tuple[np.ndarray, tuple]:
    if values is None:
        return np.zeros(n, dtype=np.int64), ("alle",)
    series = pd.Series(np.asarray(values) if not isinstance(values, pd.Series) else values.to_numpy())
    if series.isna().any():
        row = int(np.flatnonzero(series.isna().to_numpy())[0]) + 1
        raise AnalysisError(f"Das Schichtungs- bzw. Klumpenmerkmal fehlt bei Befragtem in Zeile {row}.")
    codes, uniques = pd.factorize(series, sort=True)
    return codes.astype(np.int64), tuple(uniques.tolist())


def make_design(
    n: int | None = None,
    *,
    strata: Sequence | np.ndarray | None = None,
    fpc: Mapping[Any, float] | Sequence | np.ndarray | None = None,
    weights: Sequence | np.ndarray | None = None,
    clusters: Sequence | np.ndarray | None = None,
    lonely_psu: str = "fail",
) -> Design:
    """Build a design (R: ``svydesign(id=~clusters or ~1, strata=~strata, fpc=~fpc, weights=~weights)``).

    ``strata``: per-respondent stratum labels (None: one stratum). ``fpc``: population size per
    stratum, either a mapping ``label → N_h`` or a per-respondent array (number of population PSUs in
    the stratum); None means sampling with replacement. ``weights``: per-respondent design weights; if
    omitted, ``d = N_h/n_h`` (requires ``fpc``). ``clusters``: per-respondent PSU ids (nested within
    strata); None: every respondent is a PSU. ``lonely_psu``: rule for strata with a single PSU (R's
    ``survey.lonely.psu``: ``"fail"``, ``"adjust"``, ``"average"``, ``"certainty"``, ``"remove"``).
    """
    if lonely_psu not in LONELY_PSU_OPTIONS:
        raise ValueError(f"lonely_psu must be one of {LONELY_PSU_OPTIONS}, not {lonely_psu!r}")
    lengths = [len(x) for x in (strata, weights, clusters) if x is not None]
    if fpc is not None and not isinstance(fpc, Mapping):
        lengths.append(len(fpc))
    if n is None:
        if not lengths:
            raise ValueError("make_design needs n or a per-respondent argument")
        n = lengths[0]
    if any(length != n for length in lengths):
        raise ValueError("all per-respondent arguments of make_design must have the same length")
    if n == 0:
        raise AnalysisError("Die Stichprobe enthält keine Befragten.")
    stratum, labels = _codes(strata, n)
    n_strata = len(labels)
    if clusters is None:
        psu = np.arange(n, dtype=np.int64)
        psu_stratum = stratum.copy()
    else:
        cl = pd.Series(np.asarray(clusters))
        if cl.isna().any():
            raise AnalysisError("Die Klumpenkennung (PSU) fehlt bei mindestens einem Befragten.")
        psu, _ = pd.factorize(pd.Series(list(zip(stratum, cl))) if strata is not None else cl)
        psu = psu.astype(np.int64)
        psu_stratum = np.zeros(psu.max() + 1, dtype=np.int64)
        psu_stratum[psu] = stratum
    n_psu = np.bincount(psu_stratum, minlength=n_strata).astype(float)

    population = None
    if fpc is not None:
        if isinstance(fpc, Mapping):
            lookup = {category_key(k): float(v) for k, v in fpc.items()}
            missing = [lab for lab in labels if category_key(lab) not in lookup]
            if missing:
                raise AnalysisError(f"Für die Schicht {missing[0]} fehlt die Einwohnerzahl (Grundgesamtheit).")
            population = np.array([lookup[category_key(lab)] for lab in labels])
        else:
            per_row = np.asarray(fpc, dtype=float)
            population = np.zeros(n_strata)
            population[stratum] = per_row
            if np.any(per_row != population[stratum]):
                raise AnalysisError("Die Grundgesamtheit (fpc) ist innerhalb einer Schicht nicht konstant.")
        if np.all(population <= 1.0):  # R: fpc given as sampling fractions
            population = n_psu / population
        bad = np.flatnonzero(population < n_psu)
        if bad.size:
            h = bad[0]
            raise AnalysisError(
                f"In der Schicht {labels[h]} wurden {int(n_psu[h])} Einheiten befragt, die Grundgesamtheit "
                f"umfasst aber nur {population[h]:g}; bitte die Einwohnerzahlen prüfen."
            )
        fpc_factor = (population - n_psu) / population
    else:
        fpc_factor = np.ones(n_strata)

    if weights is None:
        if population is None:
            raise AnalysisError("Ohne Gewichte braucht das Design die Einwohnerzahl je Schicht (fpc).")
        w = (population / n_psu)[stratum]
    else:
        w = np.asarray(weights, dtype=float)
        if not np.all(np.isfinite(w)) or np.any(w < 0):
            row = int(np.flatnonzero(~np.isfinite(w) | (w < 0))[0]) + 1
            raise AnalysisError(f"Das Designgewicht in Zeile {row} ist ungültig ({w[row - 1]}).")
    return Design(
        weights=_readonly(w),
        stratum=_readonly(stratum),
        psu=_readonly(psu),
        psu_stratum=_readonly(psu_stratum),
        n_psu=_readonly(n_psu),
        fpc_factor=_readonly(fpc_factor),
        stratum_labels=tuple(labels),
        clustered=clusters is not None,
        has_fpc=fpc is not None,
        lonely_psu=lonely_psu,
    )
