"""Profile blocks of issue 12 and the multiple-testing summary of issue 11: change since the earlier wave,
Ortsteil profiles, published comparison values, and ``methods.multiple_testing``."""

from __future__ import annotations

from typing import Literal, Optional

from survey.profile.base import Contract, Number
from survey.profile.findings import FindingField


class FamilySummary(Contract):
    """One multiple-testing family (``analysis.findings.families.FamilySummary.to_dict``)."""

    id: str
    kind: str
    method: str
    alpha: Number
    size: int
    tested: int
    significant: int
    expected_by_chance: Number
    guarantee: Literal["fwer", "fdr"]


class MultipleTesting(Contract):
    alpha: Number
    by_kind: dict[str, str]
    families: tuple[FamilySummary, ...] = ()


class WaveRef(Contract):
    label: str
    jahr: int
    file: Optional[str] = None


class ChangeFamily(Contract):
    id: str
    by: Optional[str] = None
    adjustment: str


class ChangeMethods(Contract):
    test: str
    se: str
    families: tuple[ChangeFamily, ...]


class SuccessTarget(Contract):
    op: Optional[str] = None
    value: Optional[Number] = None
    direction: Optional[str] = None


class EarlierRecommendation(Contract):
    """A recommendation of the earlier wave and whether its success indicator moved."""

    rule_id: Optional[str] = None
    title: Optional[str] = None
    priority: Optional[str] = None
    indicator: Optional[str] = None
    target_source: Optional[str] = None
    target: Optional[SuccessTarget] = None
    finding_id: Optional[str] = None
    movement: str
    target_status: Optional[str] = None


class Change(Contract):
    """``change``: the wave of ``vorwelle`` against this one (findings of kind ``change``)."""

    previous: WaveRef
    current: WaveRef
    methods: ChangeMethods
    findings: tuple[FindingField, ...] = ()
    recommendations: tuple[EarlierRecommendation, ...] = ()


class OrtsteilGroup(Contract):
    code: str
    label: str
    members: tuple[str, ...]
    pooled: bool
    respondents: Optional[int] = None
    too_few: bool
    unreliable: bool
    findings: tuple[FindingField, ...] = ()


class OrtsteilProfiles(Contract):
    by: str
    kind: str
    adjustment: str
    family_size: int
    pools: dict[str, tuple[str, ...]] = {}
    groups: tuple[OrtsteilGroup, ...] = ()


class ComparisonValue(Contract):
    """A published figure (SKiD, state surveys) beside an indicator, with its source."""

    indicator: str
    presentation: Literal["share", "complement"]
    label: str
    value: Optional[Number] = None
    value_text: Optional[str] = None
    source: str
    year: Optional[int] = None
    area: Optional[str] = None
    url: Optional[str] = None
