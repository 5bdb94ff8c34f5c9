"""Fast domain means for many groups at once, from sufficient statistics (no n × k matrices).

For designs where every respondent is its own PSU (no clusters) and at most one calibration model, the
linearisation variance of a domain mean only needs a few weighted sums per *key* =
(stratum × calibration cell × group combination × value): counts, Σw, Σd, Σw² (and Σwy, Σwy², ... for
non-binary values). They come from one ``np.bincount`` pass each; everything else works on small
arrays. The result equals ``Design.variance_of_total`` of the mean's influence values exactly (up to
rounding), which the tests check.

Derivation. Domain a (valid values), ``u_i = a_i (y_i - ȳ)``, influence ``z = u / W``. Calibration
residual ``e_i = u_i - f_{c(i)}`` with ``f = X b`` fitted per cell (``b`` from the d-weighted
regression of ``u`` on ``X``, whose normal equations need only Σ_a d and Σ_a d·y per cell). With
``t_i = w_i e_i``: ``Σ_h t = Σ_a w(y-ȳ) - Σ_c f_c Σ_{h,c} w`` and
``Σ_h t² = Σ_a w²(y-ȳ)² - 2 Σ_c f_c Σ_{a,h,c} w²(y-ȳ) + Σ_c f_c² Σ_{h,c} w²``, then
``V = factor · Σ_h scale_h (Σ_h t² - centre_h (Σ_h t)²/n_h) / W²`` with ``scale``, ``centre`` and
``factor`` from :meth:`analysis.core.design.Design.variance_terms` (lonely strata as R's
``survey.lonely.psu``).

Degrees of freedom and ``nrow`` per group are those of R's subset design (``Design.group_degf``,
``Design.domain_rows``): they depend only on the grouping, never on item non-response.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis.core.design import Design


def supports(design: Design) -> bool:
    """True if the sufficient-statistics path applies to ``design``."""
    return not design.clustered and len(design.calibrations) <= 1


@dataclass(frozen=True, eq=False)
class GroupStats:
    """Per group (G,): estimate, variance, n, nobs (nonzero weights), weighted n, svyvar (element variance),
    df (R ``degf`` of the group's subset design) and n_rows (``nrow`` of that subset, for Korn-Graubard)."""

    estimate: np.ndarray
    variance: np.ndarray
    n: np.ndarray
    nobs: np.ndarray
    weighted_n: np.ndarray
    element_variance: np.ndarray
    df: np.ndarray
    n_rows: np.ndarray


class GroupedEstimator:
    """Sufficient-statistics domain means on one design for a fixed set of groupings.

    ``groupings``: list of ``(codes, n_levels)`` with ``codes`` (n,) integers in ``0..n_levels-1`` or
    ``-1`` for respondents outside every group of that grouping (e.g. breakdown value missing).
    :meth:`estimate` returns one :class:`GroupStats` for the whole sample (G = 1) followed by one per
    grouping (G = n_levels).
    """

    def __init__(self, design: Design, groupings: list[tuple[np.ndarray, int]] = ()):
        if not supports(design):
            raise ValueError("GroupedEstimator needs an unclustered design with at most one calibration")
        self.design = design
        cached = design.cache.get("grouped")
        if cached is None:
            cached = _design_arrays(design)
            design.cache["grouped"] = cached
        (self.w, self.w2, self.any_zero, self.model, self.d, sc, self.sc_stratum, self.sc_cell, self.n_sc,
         self.w_sc, self.q_sc, self.sc_to_stratum) = cached
        self.levels = [int(k) for _, k in groupings]
        combo = np.zeros(design.n, dtype=np.int64)
        self.df = [np.array([design.degf])]
        self.n_rows = [np.array([design.n])]
        for codes, k in groupings:
            codes = np.asarray(codes, dtype=np.int64)
            combo = combo * (k + 1) + np.where(codes < 0, k, codes)
            self.df.append(design.group_degf(codes, k))
            self.n_rows.append(np.full(k, design.n) if design.calibrations
                               else np.bincount(codes[codes >= 0], minlength=k)[:k])
        self.n_combo = int(np.prod([k + 1 for k in self.levels])) if self.levels else 1
        self.base = sc * self.n_combo + combo if self.levels else sc

    # -- sums ---------------------------------------------------------------------------------------
    def _sums(self, key: np.ndarray, size: int, binary: bool, y: np.ndarray | None) -> dict[str, np.ndarray]:
        bc = lambda weights=None: np.bincount(key, weights=weights, minlength=size + 1)[:size]  # noqa: E731
        out = {"cnt": bc(), "W": bc(self.w), "Q": bc(self.w2)}
        if self.any_zero:
            out["nz"] = bc((self.w != 0).astype(float))
        if self.d is not None:
            out["D"] = bc(self.d)
        if not binary:
            wy = self.w * y
            out["Wy"], out["Wyy"] = bc(wy), bc(wy * y)
            out["Qy"], out["Qyy"] = bc(self.w2 * y), bc(self.w2 * y * y)
            if self.d is not None:
                out["Dy"] = bc(self.d * y)
        return out

    def estimate(self, values: np.ndarray, valid: np.ndarray, binary: bool) -> list[GroupStats]:
        """Domain means of ``values`` over respondents with ``valid`` True (values 0/1 if ``binary``)."""
        nb = self.n_sc * self.n_combo
        if binary:
            y = np.where(valid, values, 0).astype(np.int64)
            key = np.where(valid, self.base * 2 + y, 2 * nb)
            raw = self._sums(key, 2 * nb, True, None)
            shape = (self.n_sc, *[k + 1 for k in self.levels], 2)
            stats = {}
            for name, arr in raw.items():
                arr = arr.reshape(shape)
                # = arr.sum(axis=-1) bit for bit (bincount sums are never -0.0), without numpy's slow
                # reduction over a length-2 axis
                stats[name] = arr[..., 0] + arr[..., 1]
                if name == "W":
                    stats["Wy"] = stats["Wyy"] = arr[..., 1]
                elif name == "Q":
                    stats["Qy"] = stats["Qyy"] = arr[..., 1]
                elif name == "D":
                    stats["Dy"] = arr[..., 1]
        else:
            y = np.where(valid, values, 0.0)
            key = np.where(valid, self.base, nb)
            raw = self._sums(key, nb, False, y)
            shape = (self.n_sc, *[k + 1 for k in self.levels])
            stats = {name: arr.reshape(shape) for name, arr in raw.items()}
        # several names share one array (binary: Wy is Wyy, Qy is Qyy): reduce each array once
        unique = {id(arr): arr for arr in stats.values()}
        total = {key: arr.reshape(self.n_sc, -1).sum(axis=1)[None, :] for key, arr in unique.items()}
        results = [self._finish({k: total[id(v)] for k, v in stats.items()}, 0)]
        axes = list(range(1, len(self.levels) + 1))
        for b, k in enumerate(self.levels):
            other = tuple(a for a in axes if a != b + 1)
            summed = {key: (arr.sum(axis=other) if other else arr)[:, :k].T  # (G, n_sc), drop "missing"
                      for key, arr in unique.items()}
            results.append(self._finish({k: summed[id(v)] for k, v in stats.items()}, b + 1))
        return results

    # -- formulas -----------------------------------------------------------------------------------
    def _finish(self, s: dict[str, np.ndarray], view: int) -> GroupStats:
        design = self.design
        with np.errstate(divide="ignore", invalid="ignore"):
            n = s["cnt"].sum(axis=1)
            W = s["W"].sum(axis=1)
            ybar = s["Wy"].sum(axis=1) / W
            yb = ybar[:, None]
            a_part = s["Wy"] - yb * s["W"]
            b_part = s["Qyy"] - 2 * yb * s["Qy"] + yb**2 * s["Q"]
            if self.model is not None:
                du = s["Dy"] - yb * s["D"]  # (G, n_sc)
                C = self.model.X.shape[0]
                cell_du = np.zeros((du.shape[0], C))
                np.add.at(cell_du.T, self.sc_cell, du.T)
                f_sc = self.model.cell_fit(cell_du.T).T[:, self.sc_cell]
                a_part = a_part - f_sc * self.w_sc
                b_part = b_part - 2 * f_sc * (s["Qy"] - yb * s["Q"]) + f_sc**2 * self.q_sc
            s1 = a_part @ self.sc_to_stratum
            s2 = b_part @ self.sc_to_stratum
            present = (s["cnt"] @ self.sc_to_stratum) > 0  # (G, H) strata with valid rows in the group
            scale, centre, factor = design.variance_terms(present)
            var = factor * ((s2 - centre * s1**2 / design.n_psu) @ scale) / W**2
            nobs = s["nz"].sum(axis=1) if "nz" in s else n
            ss = s["Wyy"].sum(axis=1) - 2 * ybar * s["Wy"].sum(axis=1) + ybar**2 * W
            element_var = nobs / (nobs - 1) * ss / W
        return GroupStats(ybar, np.maximum(var, 0.0), n.astype(np.int64), nobs, W, element_var,
                          self.df[view], self.n_rows[view])


def _design_arrays(design: Design) -> tuple:
    """Design-level arrays of the sufficient-statistics path (cached on the design)."""
    w = design.weights
    w2 = w * w
    model = design.calibrations[0] if design.calibrations else None
    H = design.n_psu.shape[0]
    if model is not None:
        C = model.X.shape[0]
        raw = design.stratum * C + model.cell
        used = np.bincount(raw, minlength=H * C) > 0
        sc = (np.cumsum(used) - 1)[raw]
        ids = np.flatnonzero(used)
        sc_cell, sc_stratum, d = ids % C, ids // C, model.design_weights
    else:
        sc = design.stratum.astype(np.int64)
        sc_stratum, sc_cell, d = np.arange(H), None, None
    n_sc = len(sc_stratum)
    w_sc = np.bincount(sc, weights=w, minlength=n_sc)
    q_sc = np.bincount(sc, weights=w2, minlength=n_sc)
    sc_to_stratum = np.zeros((n_sc, H))
    sc_to_stratum[np.arange(n_sc), sc_stratum] = 1.0
    return w, w2, bool(np.any(w == 0)), model, d, sc, sc_stratum, sc_cell, n_sc, w_sc, q_sc, sc_to_stratum
