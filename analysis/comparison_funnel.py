"""Funnel plots for comparing communes (Spiegelhalter 2005) with additive overdispersion.

Method (documented choices):

* **Scale.** Proportions are compared on the variance-stabilising arcsine scale ``y = asin(sqrt(p))``.
  The standard error on that scale comes from the delta method, ``s = se / (2 sqrt(p (1 - p)))``, which
  is *identical* to ``1 / (2 sqrt(n_eff))`` with the effective sample size ``n_eff = p (1 - p) / se²``.
  The design effect (weighting, clustering, fpc) is therefore already in the precision and is not
  applied twice. Means (indices on 1..4) stay on their own scale (``s = se``).
* **Target.** ``Y0`` is the fixed-effect (inverse-variance weighted) mean of the ``y_i``; alternatively a
  fixed reference value can be given.
* **Overdispersion.** Additive random effect ``tau²`` on the transformed scale.
  ``method="dl"`` (default): plain DerSimonian-Laird, ``tau² = max(0, (Q - (k - 1)) / (Σw - Σw²/Σw))`` with
  ``Q = Σ w_i (y_i - Y0)²`` and ``w_i = 1/s_i²`` (equals statsmodels' ``combine_effects(method_re="dl")``).
  ``method="winsorised"``: Spiegelhalter (2005): the z-scores ``z_i = (y_i - Y0)/s_i`` are winsorised at
  their 10th and 90th percentiles before ``Q = Σ z_i²`` (robust to a few outlying communes).
  ``method="none"``: ``tau² = 0``.
* **Limits.** ``Y0 ± z sqrt(s² + tau²)`` with ``z = 1.959964`` (95 %) and ``z = 3.090232`` (99.8 %),
  back-transformed with ``sin²`` (clipped to the scale) for proportions. Each commune also gets its
  overdispersed z-score ``(y_i - Y0) / sqrt(s_i² + tau²)`` and a position (``innerhalb``, ``über 95 %``,
  ``über 99,8 %``, ``unter 95 %``, ``unter 99,8 %``).
* **Precision axis.** Proportions: effective sample size ``n_eff = 1/(4 s²)``; means: ``1/s²``.

Communes without estimate or SE, with ``se <= 0``, or with ``p`` at 0 or 1 are left out (listed in
``excluded``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

from analysis.errors import AnalysisError

LEVELS = (0.95, 0.998)
METHODS = ("dl", "winsorised", "none")
SCALES = ("arcsine", "identity")

POSITION_INSIDE = "innerhalb"
POSITION_LABELS = {
    (1, 0.95): "über 95 %", (1, 0.998): "über 99,8 %",
    (-1, 0.95): "unter 95 %", (-1, 0.998): "unter 99,8 %",
}


def z_for(level: float) -> float:
    """Two-sided normal quantile: 0.95 → 1.959964, 0.998 → 3.090232."""
    return float(stats.norm.ppf(0.5 + level / 2))


def to_scale(values: np.ndarray, scale: str) -> np.ndarray:
    if scale == "arcsine":
        return np.arcsin(np.sqrt(values))
    return np.asarray(values, dtype=float)


def from_scale(values: np.ndarray, scale: str) -> np.ndarray:
    if scale == "arcsine":
        return np.sin(np.clip(values, 0.0, math.pi / 2)) ** 2
    return np.asarray(values, dtype=float)


def se_on_scale(estimate: np.ndarray, se: np.ndarray, scale: str) -> np.ndarray:
    """Delta-method SE on the comparison scale (arcsine: ``se / (2 sqrt(p(1-p)))``)."""
    if scale == "arcsine":
        return se / (2.0 * np.sqrt(estimate * (1.0 - estimate)))
    return np.asarray(se, dtype=float)


def precision_of(s: np.ndarray, scale: str) -> np.ndarray:
    """Precision axis: effective n ``1/(4 s²)`` on the arcsine scale, else ``1/s²``."""
    return 1.0 / (4.0 * s ** 2) if scale == "arcsine" else 1.0 / s ** 2


def dersimonian_laird(y: np.ndarray, s: np.ndarray, *, target: float | None = None,
                      winsorise: bool = False, quantiles: tuple[float, float] = (0.1, 0.9)
                      ) -> tuple[float, float, float]:
    """``(tau², Q, target)``: DerSimonian-Laird moment estimate around the fixed-effect mean (or the
    given target); with ``winsorise`` the z-scores are winsorised first (Spiegelhalter 2005)."""
    w = 1.0 / s ** 2
    y0 = float(np.sum(w * y) / np.sum(w)) if target is None else float(target)
    z = (y - y0) / s
    if winsorise:
        lo, hi = np.quantile(z, quantiles)
        z = np.clip(z, lo, hi)
    q = float(np.sum(z ** 2))
    k = len(y)
    denominator = float(np.sum(w) - np.sum(w ** 2) / np.sum(w))
    if k < 2 or denominator <= 0:
        return 0.0, q, y0
    return max(0.0, (q - (k - 1)) / denominator), q, y0


@dataclass(frozen=True)
class FunnelPoint:
    key: str
    estimate: float
    se: float
    y: float  # on the comparison scale
    s: float  # SE on the comparison scale
    precision: float  # effective n (arcsine) or 1/se² (identity)
    z: float  # overdispersed z-score
    position: str


@dataclass(frozen=True)
class FunnelLimits:
    """Limit curves on a precision grid (for plotting), on the original scale."""

    precision: tuple[float, ...]
    lower: dict[float, tuple[float, ...]]
    upper: dict[float, tuple[float, ...]]


@dataclass(frozen=True)
class FunnelResult:
    indicator: str
    scale: str
    method: str
    k: int
    target: float  # on the original scale
    target_scaled: float
    tau2: float  # on the comparison scale
    q: float
    phi: float  # Q / k (multiplicative overdispersion factor, for information)
    points: tuple[FunnelPoint, ...]
    limits: FunnelLimits
    excluded: tuple[str, ...]

    def point(self, key: str) -> FunnelPoint | None:
        return next((p for p in self.points if p.key == key), None)

    def limit_at(self, s: float, level: float) -> tuple[float, float]:
        """Lower and upper limit (original scale) for a commune with SE ``s`` on the comparison scale."""
        half = z_for(level) * math.sqrt(s ** 2 + self.tau2)
        lo, hi = from_scale(np.array([self.target_scaled - half, self.target_scaled + half]), self.scale)
        return float(lo), float(hi)


def _position(z: float) -> str:
    for level in sorted(LEVELS, reverse=True):
        if abs(z) > z_for(level):
            return POSITION_LABELS[(1 if z > 0 else -1, level)]
    return POSITION_INSIDE


def funnel(indicator: str, keys: Sequence[str], estimates: Sequence[float | None],
           ses: Sequence[float | None], *, scale: str = "arcsine", method: str = "dl",
           target: float | None = None, grid_points: int = 60) -> FunnelResult:
    """Funnel statistics for one indicator over communes ``keys``.

    ``target`` (original scale) fixes ``Y0``; by default it is the fixed-effect mean."""
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}")
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}")
    use, excluded = [], []
    for key, est, se in zip(keys, estimates, ses):
        ok = est is not None and se is not None and math.isfinite(est) and math.isfinite(se) and se > 0
        if ok and scale == "arcsine":
            ok = 0.0 < est < 1.0
        (use if ok else excluded).append((key, est, se))
    if len(use) < 2:
        raise AnalysisError(f"Für den Trichtervergleich von »{indicator}« liegen weniger als zwei "
                            "Kommunen mit Schätzwert und Standardfehler vor.")
    est = np.array([u[1] for u in use], dtype=float)
    se = np.array([u[2] for u in use], dtype=float)
    y = to_scale(est, scale)
    s = se_on_scale(est, se, scale)
    scaled_target = None if target is None else float(to_scale(np.array([target]), scale)[0])
    tau2, q, y0 = dersimonian_laird(y, s, target=scaled_target, winsorise=(method == "winsorised"))
    if method == "none":
        tau2 = 0.0
    z = (y - y0) / np.sqrt(s ** 2 + tau2)
    precision = precision_of(s, scale)
    points = tuple(FunnelPoint(k, float(e), float(v), float(yy), float(ss), float(pr), float(zz), _position(zz))
                   for (k, _, _), e, v, yy, ss, pr, zz in zip(use, est, se, y, s, precision, z))
    lo_p, hi_p = float(precision.min()), float(precision.max())
    grid = np.geomspace(max(lo_p / 2.0, 1e-9), hi_p * 1.5, grid_points)
    grid_s = np.sqrt(1.0 / (4.0 * grid)) if scale == "arcsine" else np.sqrt(1.0 / grid)
    lower, upper = {}, {}
    for level in LEVELS:
        half = z_for(level) * np.sqrt(grid_s ** 2 + tau2)
        lower[level] = tuple(float(v) for v in from_scale(y0 - half, scale))
        upper[level] = tuple(float(v) for v in from_scale(y0 + half, scale))
    limits = FunnelLimits(tuple(float(g) for g in grid), lower, upper)
    return FunnelResult(indicator, scale, method, len(use), float(from_scale(np.array([y0]), scale)[0]), y0,
                        float(tau2), q, q / len(use), points, limits, tuple(e[0] for e in excluded))
