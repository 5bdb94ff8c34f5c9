"""Families of tests in a comparison of communes, adjusted for multiple testing.

A comparison runs many tests at once; at the 95 % level one in twenty differences between communes
that differ only by chance lies outside the funnel. The tests are therefore grouped into families and
adjusted within each family (:mod:`analysis.core.multiple_testing`, equal to R's ``p.adjust``):

* **Cross-section** (one family per basis, direct and standardised values): every commune × core
  indicator, the funnel z-test of the commune against the overall value (with the ``tau²`` in use).
  Method **Benjamini-Hochberg** (false discovery rate): the comparison is a screening of many units
  (Spiegelhalter et al. 2012, JRSS A 175:1, recommend FDR-type control for screening); with
  communes × 30 indicators, often thousands of tests, controlling the chance of *any* false flag
  (Holm) would hide nearly every real difference. BH keeps the expected share of chance findings
  among the flagged differences below 5 %; communes are independent samples, and indicators of one
  commune are positively correlated, the case for which BH is valid (Benjamini & Yekutieli 2001).
  Under the complete null (no commune really differs) BH also bounds the chance of any false flag.
* **Changes between waves** (one family per commune: its indicators × consecutive wave pairs): the
  Wald tests of the changes. Method **Holm** (family-wise error rate): a commune acts on each change
  it is told about, the family is small (about 30 tests), and Holm is valid under any dependence
  between indicators.

A test's :class:`~analysis.core.multiple_testing.Verdict` is *clear* only at the adjusted level; *hint*
marks tests beyond the unadjusted 95 % limit only. Each family reports how many tests one would
expect outside the 95 % and 99,8 % limits by chance alone (``tests × 0.05`` and ``tests × 0.002``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from analysis.comparison.change import Change
from analysis.comparison.funnel import FunnelResult, Position
from analysis.core.multiple_testing import ALPHA, Verdict, adjust, expected_by_chance, verdict

CROSS_SECTION_METHOD = "BH"
CHANGE_METHOD = "holm"


@dataclass(frozen=True)
class FamilyMember:
    indicator: str
    key: str  # commune key (AGS), or "<year_from>-<year_to>" for changes
    p_value: float
    p_adjusted: float
    verdict: Verdict
    direction: int  # +1 above / increase, -1 below / decrease


@dataclass(frozen=True)
class Family:
    name: str
    method: str
    alpha: float
    members: tuple[FamilyMember, ...]
    outside_998: int  # tests beyond the 99,8 % limit (unadjusted)
    _index: dict[tuple[str, str], FamilyMember] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {(m.indicator, m.key): m for m in self.members})

    @property
    def tests(self) -> int:
        return len(self.members)

    @property
    def outside_95(self) -> int:
        return sum(1 for m in self.members if m.verdict is not Verdict.NONE)

    @property
    def clear(self) -> int:
        return sum(1 for m in self.members if m.verdict is Verdict.CLEAR)

    @property
    def expected_95(self) -> float:
        return expected_by_chance(self.tests, 1.0 - self.alpha)

    @property
    def expected_998(self) -> float:
        return expected_by_chance(self.tests, 0.998)

    def member(self, indicator: str, key: str) -> FamilyMember | None:
        return self._index.get((indicator, key))


def funnel_family(name: str, funnels: Sequence[FunnelResult], *, method: str = CROSS_SECTION_METHOD,
                  alpha: float = ALPHA) -> Family:
    """All commune × indicator funnel tests of ``funnels`` as one family."""
    rows = [(f.indicator, p) for f in funnels for p in f.points]
    adjusted = adjust([p.p_value for _, p in rows], method)
    members = tuple(FamilyMember(indicator, p.key, p.p_value, float(a), verdict(p.p_value, float(a), alpha),
                                 1 if p.z > 0 else -1) for (indicator, p), a in zip(rows, adjusted))
    outside_998 = sum(1 for _, p in rows if p.position_998 is not Position.INSIDE)
    return Family(name, method, alpha, members, outside_998)


def change_family(name: str, changes: Sequence[Change], *, alpha: float = ALPHA) -> Family:
    """The family of changes already adjusted by :func:`analysis.comparison.change.adjust_changes`."""
    methods = {c.adjustment for c in changes}
    if len(methods) > 1 or None in methods:
        raise ValueError("changes of one family must be adjusted together")
    members = tuple(FamilyMember(c.indicator, f"{c.year_from}-{c.year_to}", c.p_value, c.p_adjusted,
                                 c.verdict, 1 if c.difference > 0 else -1) for c in changes)
    outside_998 = sum(1 for c in changes if c.p_value < 0.002)
    return Family(name, methods.pop() if methods else CHANGE_METHOD, alpha, members, outside_998)
