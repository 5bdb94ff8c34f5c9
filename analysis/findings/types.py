"""Typed findings: what the engine has decided, as frozen values the report only phrases.

A :class:`Finding` is one statistical statement (a subgroup differs from the rest, an Ortsteil is a
hotspot, an item leads a ranking, an offence rises, a term is associated with the outcome, an
indicator changed between waves). It carries the estimates it compares, the effect, the test, the
p-value adjusted within its multiple-testing family, and the engine's classification (``strength``,
``direction``). No prose: the report maps the enum values to words.

Serialisation: :meth:`Finding.to_dict` gives plain JSON values (enums as their short string values,
tuples as lists, non-finite floats as ``None``); :meth:`Finding.from_dict` reads that back, so
``Finding.from_dict(f.to_dict()) == f``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace
from enum import StrEnum
from typing import Any, Mapping


class FindingKind(StrEnum):
    """What a finding is about; the JSON value is the short string."""

    SUBGROUP = "subgroup"  # one group of a breakdown against the rest of the sample
    BREAKDOWN = "breakdown"  # the whole breakdown (Rao-Scott F for shares, Wald F for means)
    HOTSPOT = "hotspot"  # an Ortsteil against the rest of the commune, in the Ortsteil screen
    RANKING = "ranking"  # two neighbours of a ranking (items or groups), tested on the same sample
    TREND = "trend"  # PKS trend over years (quasi-Poisson)
    REFERENCE = "reference"  # PKS rate of the commune against the rest of Landkreis or Land
    ASSOCIATION = "association"  # a term of the drivers model (an association, never a cause)
    CHANGE = "change"  # difference between two waves (independent samples)


class EffectKind(StrEnum):
    DIFFERENCE_PROPORTION = "difference_proportion"  # proportion units: 0.031 = 3.1 percentage points
    DIFFERENCE_MEAN = "difference_mean"  # scale points of the mean (indices: 1-4 scale)
    ODDS_RATIO = "odds_ratio"
    RATE_RATIO = "rate_ratio"
    TREND_FACTOR = "trend_factor"  # rate ratio per year

    @property
    def ratio(self) -> bool:
        return self in (EffectKind.ODDS_RATIO, EffectKind.RATE_RATIO, EffectKind.TREND_FACTOR)


class Strength(StrEnum):
    """Evidence class of a finding (rule in :mod:`analysis.findings.strength`)."""

    NONE = "none"  # not significant at the adjusted level, or not testable
    WEAK = "weak"  # significant after adjustment, but a small effect
    CLEAR = "clear"  # significant after adjustment and a relevant effect
    STRONG = "strong"  # adjusted p < 0.001 and a large effect


class Direction(StrEnum):
    """Sign of the effect, but only where the adjusted test supports it: otherwise ``equal``."""

    HIGHER = "higher"
    LOWER = "lower"
    EQUAL = "equal"


def _finite(value: Any) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


@dataclass(frozen=True)
class EstimateRef:
    """One estimate a finding compares. ``role`` says which side it is (see the kind's module)."""

    role: str
    subject: str
    group: str | None = None
    value: float | None = None
    se: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    n: int | None = None
    df: float | None = None
    flag: str | None = None
    rank: int | None = None

    def __post_init__(self) -> None:
        for name in ("value", "se", "ci_low", "ci_high", "df"):
            object.__setattr__(self, name, _finite(getattr(self, name)))
        if self.n is not None:
            object.__setattr__(self, "n", int(self.n))


@dataclass(frozen=True)
class Effect:
    kind: EffectKind
    value: float | None
    ci_low: float | None = None
    ci_high: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", EffectKind(self.kind))
        for name in ("value", "ci_low", "ci_high"):
            object.__setattr__(self, name, _finite(getattr(self, name)))


@dataclass(frozen=True)
class Test:
    """A test: ``name`` (e.g. ``svyttest``, ``rao_scott_f``), statistic, df (``df2`` for F tests), p."""

    __test__ = False  # not a pytest test class

    name: str
    statistic: float | None
    df: float | None
    p: float | None
    df2: float | None = None

    def __post_init__(self) -> None:
        for name in ("statistic", "df", "p", "df2"):
            object.__setattr__(self, name, _finite(getattr(self, name)))


@dataclass(frozen=True)
class Finding:
    """One statement of the engine. Fields that do not apply to a kind are ``None``.

    ``note`` is a code (no prose) when the finding could not be tested: ``suppressed`` (a compared
    estimate rests on fewer than 10 answers), ``empty`` (a side has no answers), ``no_variance``,
    ``invalid`` (the test is not computable). Such findings have ``test = None``, no p-values,
    ``strength = none``, ``direction = equal`` and do not count in their family.
    ``worse`` is set where a polarity is known: True if the finding supports that the subject is
    worse than its comparison (e.g. an Ortsteil hotspot), False otherwise.
    """

    id: str
    kind: FindingKind
    family: str
    subject: str
    estimates: tuple[EstimateRef, ...]
    effect: Effect | None
    test: Test | None
    p_adjusted: float | None = None
    adjustment: str = "none"
    family_size: int = 0
    strength: Strength = Strength.NONE
    direction: Direction = Direction.EQUAL
    by: str | None = None
    group: str | None = None
    worse: bool | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", FindingKind(self.kind))
        object.__setattr__(self, "strength", Strength(self.strength))
        object.__setattr__(self, "direction", Direction(self.direction))
        object.__setattr__(self, "estimates", tuple(self.estimates))
        object.__setattr__(self, "p_adjusted", _finite(self.p_adjusted))

    @property
    def p(self) -> float | None:
        """The unadjusted p-value (``None`` if untested)."""
        return None if self.test is None else self.test.p

    @property
    def tested(self) -> bool:
        return self.test is not None and self.test.p is not None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict (the shape of a ``findings`` entry of profil.json 2.0)."""
        return {
            "id": self.id, "kind": self.kind.value, "family": self.family, "subject": self.subject,
            "by": self.by, "group": self.group,
            "estimates": [_plain(e) for e in self.estimates],
            "effect": None if self.effect is None else {**_plain(self.effect), "kind": self.effect.kind.value},
            "test": None if self.test is None else _plain(self.test),
            "p_adjusted": self.p_adjusted, "adjustment": self.adjustment, "family_size": self.family_size,
            "strength": self.strength.value, "direction": self.direction.value, "worse": self.worse,
            "note": self.note,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Finding":
        """Inverse of :meth:`to_dict`; unknown keys raise ``ValueError``."""
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"Unbekannte Felder in einem Befund: {', '.join(sorted(unknown))}.")
        values = dict(data)
        values["estimates"] = tuple(EstimateRef(**e) for e in values.get("estimates", ()))
        effect, test = values.get("effect"), values.get("test")
        values["effect"] = None if effect is None else Effect(**effect)
        values["test"] = None if test is None else Test(**test)
        return cls(**values)

    def with_adjustment(self, p_adjusted: float | None, method: str, family_size: int) -> "Finding":
        return replace(self, p_adjusted=p_adjusted, adjustment=method, family_size=family_size)


def _plain(obj: Any) -> dict[str, Any]:
    return {f.name: getattr(obj, f.name) for f in fields(obj)}


@dataclass(frozen=True)
class FamilySummary:
    """One multiple-testing family: its size and what chance alone would give.

    ``expected_by_chance`` = alpha × tested: the number of significant results one would expect among
    ``tested`` unadjusted tests if no difference existed. ``guarantee`` names what the adjustment
    controls: ``fwer`` (Holm, Bonferroni: the probability of any false positive is at most alpha),
    ``fdr`` (Benjamini-Hochberg: the expected share of false positives among the significant ones is
    at most alpha) or ``none``.
    """

    id: str
    kind: FindingKind
    method: str
    alpha: float
    size: int
    tested: int
    significant: int
    expected_by_chance: float
    guarantee: str

    def to_dict(self) -> dict[str, Any]:
        return {**_plain(self), "kind": self.kind.value}


__all__ = ["Direction", "Effect", "EffectKind", "EstimateRef", "FamilySummary", "Finding", "FindingKind",
           "Strength", "Test"]
