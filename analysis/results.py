"""Frozen value objects returned by the statistics engine.

Arrays inside results are made read-only; the dataclasses are frozen so results can be passed around
(profile, report, comparison) without anyone changing them on the way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


def readonly(values: Any) -> np.ndarray:
    """A read-only float64 copy of ``values``."""
    array = np.array(values, dtype=float, copy=True)
    array.flags.writeable = False
    return array


@dataclass(frozen=True)
class Estimate:
    """One design-based estimate (proportion, mean or total).

    ``flag`` is ``"ok"``, ``"unsicher"`` or ``"unterdrueckt"`` (see ``analysis.flags``); a suppressed
    estimate has ``estimate``, ``se``, ``ci_low``, ``ci_high`` and ``deff`` set to ``None`` so that it
    can never be shown, and ``reason`` says why (German). ``n`` is the number of respondents in the
    domain with a valid value, ``weighted_n`` the sum of their weights. ``df`` are the design degrees of
    freedom used for the interval, ``method`` names the interval (``"logit"``, ``"beta"``,
    ``"wilson"``, ``"t"``).
    """

    estimate: float | None
    se: float | None
    ci_low: float | None
    ci_high: float | None
    n: int
    weighted_n: float
    deff: float | None
    flag: str
    df: float
    method: str
    reason: str = ""

    @property
    def suppressed(self) -> bool:
        return self.flag == "unterdrueckt"

    def as_dict(self) -> dict[str, Any]:
        """Plain dict with the profile fields (DESIGN.md §6)."""
        return {
            "estimate": self.estimate,
            "se": self.se,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "n": self.n,
            "weighted_n": self.weighted_n,
            "deff": self.deff,
            "flag": self.flag,
            "df": self.df,
            "method": self.method,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Difference:
    """Difference ``a - b`` of two independent estimates (communes, waves) with a Wald z test."""

    estimate: float | None
    se: float | None
    ci_low: float | None
    ci_high: float | None
    z: float | None
    p_value: float | None
    level: float
    reason: str = ""


@dataclass(frozen=True)
class MarginCheck:
    """One calibration cell: population target (after reconciliation) versus achieved weighted total."""

    margin: str
    category: Any
    target: float
    achieved: float
    n: int
    design_total: float


@dataclass(frozen=True, eq=False)
class WeightingResult:
    """Diagnostics of a calibration (``analysis.calibration.calibrate``).

    ``weights`` = ``design_weights * g``. ``max_misfit`` is the largest relative misfit
    ``|target - achieved| / (1 + |target|)`` (R's convergence criterion). ``kish_deff`` =
    n·Σw²/(Σw)², ``effective_n`` = (Σw)²/Σw². ``missing`` maps margin → number of respondents lacking
    that characteristic (kept, see the calibration module's rule); ``missing_share`` maps margin → their
    share of the design weights, by which that margin's targets were reduced; ``rescaled`` maps margin →
    (its sum as given, the first margin's sum it was scaled to). ``warnings`` are German sentences.
    """

    weights: np.ndarray
    design_weights: np.ndarray
    g: np.ndarray
    calfun: str
    bounds: tuple[float, float] | None
    converged: bool
    iterations: int
    max_misfit: float
    g_min: float
    g_max: float
    kish_deff: float
    effective_n: float
    margins: tuple[MarginCheck, ...]
    missing: dict[str, int] = field(default_factory=dict)
    missing_share: dict[str, float] = field(default_factory=dict)
    rescaled: dict[str, tuple[float, float]] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    @property
    def n(self) -> int:
        return int(self.weights.shape[0])

    @property
    def weights_sum(self) -> float:
        return float(self.weights.sum())
