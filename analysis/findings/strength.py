"""The strength class and direction of a finding, from its adjusted p-value and its effect size.

Rule (``alpha`` = 0.05 by default; thresholds per effect kind in :class:`StrengthRule`):

* ``none``: not tested, or ``p_adjusted >= alpha``;
* ``strong``: ``p_adjusted < strong_p`` (0.001) **and** ``size >= large``;
* ``clear``: otherwise ``size >= relevant``;
* ``weak``: significant after adjustment but ``size < relevant``.

``size`` is ``|effect|`` for differences and ``|log(effect)|`` for ratios, compared with the log of the
ratio thresholds (a ratio of 1.5 and one of 1/1.5 are equally strong). Default thresholds:

===================== ========== ======== =============================================================
effect                 relevant   large    reading
===================== ========== ======== =============================================================
difference_proportion  0.05       0.10     5 / 10 percentage points
difference_mean        0.2        0.4      points on the 1-4 index scale (about 7 / 13 % of its range)
odds_ratio             1.5        2.5      Chen et al. (2010): OR 1.5 ≈ Cohen's d 0.2, 2.5 ≈ d 0.5
rate_ratio             1.2        1.5      20 % / 50 % higher crime rate
trend_factor           1.03       1.10     3 % / 10 % change per year
===================== ========== ======== =============================================================

A finding without an effect size (not used by the kinds here) is classed by p alone (``clear`` or
``strong``). ``direction`` is ``higher``/``lower`` by the sign of the effect (``log`` for ratios) when
the strength is not ``none``, else ``equal``: the report may only say "higher" where the adjusted test
supports it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Mapping

from analysis.findings.types import Direction, Effect, EffectKind, Finding, Strength

ALPHA = 0.05


@dataclass(frozen=True)
class Threshold:
    relevant: float
    large: float


def _default_thresholds() -> dict[EffectKind, Threshold]:
    return {
        EffectKind.DIFFERENCE_PROPORTION: Threshold(0.05, 0.10),
        EffectKind.DIFFERENCE_MEAN: Threshold(0.2, 0.4),
        EffectKind.ODDS_RATIO: Threshold(1.5, 2.5),
        EffectKind.RATE_RATIO: Threshold(1.2, 1.5),
        EffectKind.TREND_FACTOR: Threshold(1.03, 1.10),
    }


@dataclass(frozen=True)
class StrengthRule:
    alpha: float = ALPHA
    strong_p: float = 0.001
    thresholds: Mapping[EffectKind, Threshold] = field(default_factory=_default_thresholds)


DEFAULT_RULE = StrengthRule()


def effect_size(effect: Effect | None) -> float | None:
    """``|value|`` for differences, ``|log value|`` for ratios (None if unknown or not positive)."""
    if effect is None or effect.value is None:
        return None
    if effect.kind.ratio:
        return abs(math.log(effect.value)) if effect.value > 0 else None
    return abs(effect.value)


def _sign(effect: Effect | None) -> int:
    if effect is None or effect.value is None:
        return 0
    value = effect.value
    if effect.kind.ratio:  # a ratio of 0 (no case in the commune) lies below 1 like every ratio under 1
        value = math.log(value) if value > 0 else -math.inf
    return (value > 0) - (value < 0)


def strength(p_adjusted: float | None, effect: Effect | None, rule: StrengthRule = DEFAULT_RULE) -> Strength:
    """The strength class (see the module docstring)."""
    if p_adjusted is None or not math.isfinite(p_adjusted) or p_adjusted >= rule.alpha:
        return Strength.NONE
    size = effect_size(effect)
    if size is None:
        return Strength.STRONG if p_adjusted < rule.strong_p else Strength.CLEAR
    threshold = rule.thresholds[effect.kind]
    relevant, large = threshold.relevant, threshold.large
    if effect.kind.ratio:
        relevant, large = math.log(relevant), math.log(large)
    tolerance = 1e-12  # a ratio of 1/2.5 is as large as 2.5, despite rounding of the log
    if p_adjusted < rule.strong_p and size >= large - tolerance:
        return Strength.STRONG
    return Strength.CLEAR if size >= relevant - tolerance else Strength.WEAK


def direction(strength_class: Strength, effect: Effect | None) -> Direction:
    if strength_class is Strength.NONE:
        return Direction.EQUAL
    sign = _sign(effect)
    return Direction.HIGHER if sign > 0 else Direction.LOWER if sign < 0 else Direction.EQUAL


def classify(finding: Finding, rule: StrengthRule = DEFAULT_RULE, polarity: int | None = None) -> Finding:
    """Set ``strength``, ``direction`` and, with a ``polarity`` (+1: higher is worse, -1: higher is
    better), ``worse`` = the finding supports that its subject is worse than its comparison."""
    klass = strength(finding.p_adjusted, finding.effect, rule)
    way = direction(klass, finding.effect)
    worse = finding.worse
    if polarity is not None:
        worse = way is not Direction.EQUAL and _sign(finding.effect) * polarity > 0
    return replace(finding, strength=klass, direction=way, worse=worse)
