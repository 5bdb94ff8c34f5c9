"""Change between two waves of one commune: independent samples, Wald test on the difference.

``d = est2 - est1``, ``se = sqrt(se1² + se2²)``, interval ``d ± z se`` (normal), ``z = d / se``,
two-sided ``p = 2 (1 - Φ(|z|))``. Suppressed estimates give no change.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import stats


@dataclass(frozen=True)
class Change:
    indicator: str
    year_from: int
    year_to: int
    estimate_from: float
    estimate_to: float
    difference: float
    se: float
    ci_low: float
    ci_high: float
    z: float
    p_value: float
    level: float

    @property
    def significant(self) -> bool:
        return self.p_value < 1.0 - self.level


def wave_change(indicator: str, year_from: int, est1: float | None, se1: float | None, year_to: int,
                est2: float | None, se2: float | None, *, level: float = 0.95) -> Change | None:
    """The change from wave 1 to wave 2, or ``None`` if an estimate or SE is missing."""
    values = (est1, se1, est2, se2)
    if any(v is None or not math.isfinite(v) for v in values):
        return None
    se = math.sqrt(se1 ** 2 + se2 ** 2)
    if se <= 0:
        return None
    diff = est2 - est1
    zq = float(stats.norm.ppf(0.5 + level / 2))
    z = diff / se
    p = float(2.0 * stats.norm.sf(abs(z)))
    return Change(indicator, year_from, year_to, est1, est2, diff, se, diff - zq * se, diff + zq * se, z, p, level)
