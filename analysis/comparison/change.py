"""Change between two waves of one commune: independent samples, Wald test on the difference.

``d = est2 - est1``, ``se = sqrt(se1² + se2²)``, interval ``d ± z se`` (normal), ``z = d / se``,
two-sided ``p = 2 (1 - Φ(|z|))``. Suppressed estimates give no change.

The changes of one commune (its indicators × consecutive wave pairs) form one family of tests:
:func:`adjust_changes` adds Holm-adjusted p-values (see :mod:`analysis.comparison.family`), and a
change is called a change (:attr:`Change.verdict` *clear*) only at the adjusted level.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass

from analysis.core import distributions as dist
from analysis.core.multiple_testing import ALPHA, Verdict, adjust, verdict


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
    p_adjusted: float | None = None  # within the commune's family of changes
    adjustment: str | None = None  # "holm" | "BH"
    family_size: int = 1

    @property
    def verdict(self) -> Verdict:
        alpha = 1.0 - self.level
        return verdict(self.p_value, self.p_value if self.p_adjusted is None else self.p_adjusted, alpha)

    @property
    def significant(self) -> bool:
        """Clear at the adjusted level (unadjusted if the change was never adjusted)."""
        return self.verdict is Verdict.CLEAR


def wave_change(indicator: str, year_from: int, est1: float | None, se1: float | None, year_to: int,
                est2: float | None, se2: float | None, *, level: float = 1.0 - ALPHA) -> Change | None:
    """The change from wave 1 to wave 2, or ``None`` if an estimate or SE is missing."""
    values = (est1, se1, est2, se2)
    if any(v is None or not math.isfinite(v) for v in values):
        return None
    se = math.sqrt(se1 ** 2 + se2 ** 2)
    if se <= 0:
        return None
    diff = est2 - est1
    zq = float(dist.norm_ppf(0.5 + level / 2))
    z = diff / se
    p = float(2.0 * dist.norm_sf(abs(z)))
    return Change(indicator, year_from, year_to, est1, est2, diff, se, diff - zq * se, diff + zq * se, z, p, level)


def adjust_changes(changes: Sequence[Change], method: str = "holm") -> tuple[Change, ...]:
    """The changes with p-values adjusted within their family (all of ``changes``)."""
    adjusted = adjust([c.p_value for c in changes], method)
    return tuple(dataclasses.replace(c, p_adjusted=float(a), adjustment=method, family_size=len(changes))
                 for c, a in zip(changes, adjusted))
