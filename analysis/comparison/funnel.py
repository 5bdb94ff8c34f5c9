"""Funnel plots for comparing communes (Spiegelhalter 2005) with overdispersion by rule.

Method (documented choices):

* **Scale.** Proportions are compared on the variance-stabilising arcsine scale ``y = asin(sqrt(p))``.
  The standard error on that scale comes from the delta method, ``s = se / (2 sqrt(p (1 - p)))``, which
  is *identical* to ``1 / (2 sqrt(n_eff))`` with the effective sample size ``n_eff = p (1 - p) / se²``.
  The design effect (weighting, clustering, fpc) is therefore already in the precision and is not
  applied twice. Means (indices on 1..4) stay on their own scale (``s = se``).
* **Target.** ``Y0`` is the fixed-effect (inverse-variance weighted) mean of the ``y_i``; alternatively a
  fixed reference value can be given.
* **Overdispersion by rule.** Communes differ for reasons the survey does not measure, so the spread
  between them is usually larger than sampling error alone; Spiegelhalter (2005, *Qual Saf Health
  Care* 14:347) adds a between-commune variance ``tau²`` (additive random effect on the comparison
  scale). Which ``tau²`` is used:

  1. a ``tau2_fixed`` given by the caller (from an earlier, larger comparison): source ``fixed``;
  2. otherwise, with at least ``min_communes`` (default :data:`MIN_COMMUNES_TAU2` = 20) communes, the
     estimate from these communes: source ``estimated``;
  3. otherwise ``tau² = 0``, the funnel shows sampling error alone: source ``too_few``.
     With a handful of communes a moment estimate of ``tau²`` is very imprecise (its ``Q`` statistic has
     ``k - 1`` degrees of freedom) and absorbs exactly the differences the comparison exists to show;
     the 10 %/90 % winsorising needs about 20 units before it clips more than one value per tail.

  The estimator (``estimator="winsorised"``, Spiegelhalter 2005): z-scores ``z_i = (y_i - Y0)/s_i``
  are winsorised at their 10th and 90th percentiles (R's default quantile type 7), ``phi = Σ z_w² / k``
  and ``tau² = max(0, (k phi - (k - 1)) / (Σw - Σw²/Σw))`` with ``w_i = 1/s_i²``. ``estimator="dl"`` is
  plain DerSimonian-Laird (no winsorising; equals statsmodels' ``combine_effects(method_re="dl")``).
  The estimate from these communes is always reported (``overdispersion.estimate``), also when not used.
* **Two readings.** Each commune gets its z-score with the ``tau²`` used
  (``(y_i - Y0) / sqrt(s_i² + tau²)``), a two-sided normal p-value and a position at 95 % and 99,8 %,
  and the same for sampling error alone (``tau² = 0``). Where ``tau² > 0`` the two readings can
  disagree: a commune can differ from the overall value by more than chance, but not by more than
  communes usually differ.
* **Limits.** ``Y0 ± z sqrt(s² + tau²)`` with ``z = 1.959964`` (95 %) and ``z = 3.090232`` (99.8 %),
  back-transformed with ``sin²`` (clipped to the scale) for proportions.
* **Precision axis.** Proportions: effective sample size ``n_eff = 1/(4 s²)``; means: ``1/s²``.

Communes without estimate or SE, with ``se <= 0``, or with ``p`` at 0 or 1 are left out (listed in
``excluded``).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

import numpy as np

from analysis.core import distributions as dist
from analysis.errors import AnalysisError

LEVELS = (0.95, 0.998)
ESTIMATORS = ("winsorised", "dl")
SCALES = ("arcsine", "identity")
MIN_COMMUNES_TAU2 = 20
WINSOR_QUANTILES = (0.1, 0.9)


class Position(str, Enum):
    """Where a commune lies relative to the limits of one level (values are the CSV contract)."""

    ABOVE = "über"
    BELOW = "unter"
    INSIDE = "innerhalb"




class Tau2Source(str, Enum):
    ESTIMATED = "estimated"  # from the communes of this comparison (enough of them)
    FIXED = "fixed"  # given by the caller, e.g. from an earlier, larger comparison
    TOO_FEW = "too_few"  # fewer than min_communes: sampling error alone
    OFF = "off"  # overdispersion switched off by the caller


def z_for(level: float) -> float:
    """Two-sided normal quantile: 0.95 → 1.959964, 0.998 → 3.090232."""
    return float(dist.norm_ppf(0.5 + level / 2))


Z = {level: z_for(level) for level in LEVELS}


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


def s_of_precision(precision: np.ndarray, scale: str) -> np.ndarray:
    return np.sqrt(1.0 / (4.0 * precision)) if scale == "arcsine" else np.sqrt(1.0 / precision)


def dersimonian_laird(y: np.ndarray, s: np.ndarray, *, target: float | None = None,
                      winsorise: bool = False, quantiles: tuple[float, float] = WINSOR_QUANTILES
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
class Overdispersion:
    tau2: float  # used for limits and z-scores (comparison scale)
    source: Tau2Source
    estimate: float  # estimated from these communes (for information, also when not used)
    q: float  # Σ z² (winsorised with the winsorised estimator)
    phi: float  # Q / k: multiplicative overdispersion factor (1 = none)
    k: int
    min_communes: int
    estimator: str


@dataclass(frozen=True)
class Reading:
    """A commune's position for one choice of ``tau²``."""

    z: float
    p_value: float  # two-sided, normal
    position_95: Position
    position_998: Position

    def position(self, level: float) -> Position:
        return self.position_95 if level == 0.95 else self.position_998

    @property
    def outside(self) -> bool:
        return self.position_95 is not Position.INSIDE


def _position(z: float, level: float) -> Position:
    if abs(z) <= Z[level]:
        return Position.INSIDE
    return Position.ABOVE if z > 0 else Position.BELOW


def readings(z: np.ndarray) -> list[Reading]:
    """Readings for z-scores (two-sided normal p-values, positions at both levels)."""
    p = 2.0 * dist.norm_sf(np.abs(z))
    return [Reading(float(zz), float(pp), _position(zz, 0.95), _position(zz, 0.998)) for zz, pp in zip(z, p)]


@dataclass(frozen=True)
class FunnelPoint:
    key: str
    estimate: float
    se: float
    y: float  # on the comparison scale
    s: float  # SE on the comparison scale
    precision: float  # effective n (arcsine) or 1/se² (identity)
    reading: Reading  # with the tau² used
    sampling: Reading  # sampling error alone (tau² = 0)

    @property
    def z(self) -> float:
        return self.reading.z

    @property
    def p_value(self) -> float:
        return self.reading.p_value

    @property
    def position_95(self) -> Position:
        return self.reading.position_95

    @property
    def position_998(self) -> Position:
        return self.reading.position_998

    @property
    def readings_disagree(self) -> bool:
        return (self.reading.position_95, self.reading.position_998) != \
            (self.sampling.position_95, self.sampling.position_998)


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
    k: int
    target: float  # on the original scale
    target_scaled: float
    overdispersion: Overdispersion
    points: tuple[FunnelPoint, ...]
    limits: FunnelLimits  # with the tau² used
    sampling_limits: FunnelLimits  # sampling error alone
    excluded: tuple[str, ...]

    @property
    def tau2(self) -> float:
        return self.overdispersion.tau2

    @functools.cached_property
    def _by_key(self) -> dict:
        return {x.key: x for x in self.points}

    def point(self, key: str) -> FunnelPoint | None:
        return self._by_key.get(key)

    def limit_at(self, s: float, level: float, *, tau2: float | None = None) -> tuple[float, float]:
        """Lower and upper limit (original scale) for a commune with SE ``s`` on the comparison scale."""
        tau2 = self.tau2 if tau2 is None else tau2
        half = (Z.get(level) or z_for(level)) * math.sqrt(s ** 2 + tau2)
        lo, hi = from_scale(np.array([self.target_scaled - half, self.target_scaled + half]), self.scale)
        return float(lo), float(hi)

    def limits_on(self, precisions: Sequence[float], *, tau2: float | None = None) -> FunnelLimits:
        """Limit curves on a given precision grid (e.g. around one commune, for its own sheet)."""
        return _limits(np.asarray(precisions, dtype=float), self.target_scaled,
                       self.tau2 if tau2 is None else tau2, self.scale)


def _limits(grid: np.ndarray, y0: float, tau2: float, scale: str) -> FunnelLimits:
    grid_s = s_of_precision(grid, scale)
    lower, upper = {}, {}
    for level in LEVELS:
        half = Z[level] * np.sqrt(grid_s ** 2 + tau2)
        lower[level] = tuple(float(v) for v in from_scale(y0 - half, scale))
        upper[level] = tuple(float(v) for v in from_scale(y0 + half, scale))
    return FunnelLimits(tuple(float(g) for g in grid), lower, upper)


def overdispersion_for(y: np.ndarray, s: np.ndarray, y0: float, *, estimator: str, min_communes: int,
                       tau2_fixed: float | None, enabled: bool) -> Overdispersion:
    """The ``tau²`` rule (see the module docstring) with the estimate from these communes beside it."""
    estimate, q, _ = dersimonian_laird(y, s, target=y0, winsorise=(estimator == "winsorised"))
    k = len(y)
    if not enabled:
        tau2, source = 0.0, Tau2Source.OFF
    elif tau2_fixed is not None:
        if not (math.isfinite(tau2_fixed) and tau2_fixed >= 0):
            raise ValueError(f"tau2_fixed must be a finite number >= 0, not {tau2_fixed!r}")
        tau2, source = float(tau2_fixed), Tau2Source.FIXED
    elif k >= min_communes:
        tau2, source = estimate, Tau2Source.ESTIMATED
    else:
        tau2, source = 0.0, Tau2Source.TOO_FEW
    return Overdispersion(float(tau2), source, float(estimate), q, q / k, k, min_communes, estimator)


def funnel(indicator: str, keys: Sequence[str], estimates: Sequence[float | None],
           ses: Sequence[float | None], *, scale: str = "arcsine", estimator: str = "winsorised",
           min_communes: int = MIN_COMMUNES_TAU2, tau2_fixed: float | None = None,
           overdispersion: bool = True, target: float | None = None, grid_points: int = 60) -> FunnelResult:
    """Funnel statistics for one indicator over communes ``keys``.

    ``target`` (original scale) fixes ``Y0``; by default it is the fixed-effect mean. ``tau2_fixed``
    (comparison scale) is used instead of an estimate; ``overdispersion=False`` uses sampling error alone."""
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}")
    if estimator not in ESTIMATORS:
        raise ValueError(f"unknown tau² estimator {estimator!r}")
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
    w = 1.0 / s ** 2
    y0 = float(np.sum(w * y) / np.sum(w)) if target is None else float(to_scale(np.array([target]), scale)[0])
    od = overdispersion_for(y, s, y0, estimator=estimator, min_communes=min_communes, tau2_fixed=tau2_fixed,
                            enabled=overdispersion)
    z_used = (y - y0) / np.sqrt(s ** 2 + od.tau2)
    z_sampling = (y - y0) / s
    precision = precision_of(s, scale)
    points = tuple(FunnelPoint(k, float(e), float(v), float(yy), float(ss), float(pr), ru, rs)
                   for (k, _, _), e, v, yy, ss, pr, ru, rs in zip(use, est, se, y, s, precision, readings(z_used),
                                                                 readings(z_sampling)))
    lo_p, hi_p = float(precision.min()), float(precision.max())
    grid = np.geomspace(max(lo_p / 2.0, 1e-9), hi_p * 1.5, grid_points)
    limits = _limits(grid, y0, od.tau2, scale)
    sampling_limits = limits if od.tau2 == 0 else _limits(grid, y0, 0.0, scale)
    return FunnelResult(indicator, scale, len(use), float(from_scale(np.array([y0]), scale)[0]), y0, od,
                        points, limits, sampling_limits, tuple(e[0] for e in excluded))
