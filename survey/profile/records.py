"""Estimate records: one shape for an indicator, a breakdown group, a standardised value, a problem's
prevalence and a free-text share. Fields that do not apply to a use are ``None``:

* overall indicator: ``by``/``group``/``group_label`` are ``None``;
* breakdown record: ``by`` (variable), ``group`` (code), ``group_label`` set;
* standardised value: ``label``/``core``/``deff`` ``None``; ``cells_used``, ``reason``, ``empty_cell`` set;
* free-text share: ``kind``/``core``/``ci_method`` ``None``.
"""

from __future__ import annotations

from typing import Optional

from survey.profile.base import Contract, Flag, Kind, Number


class EstimateRecord(Contract):
    id: str
    label: Optional[str] = None
    kind: Optional[Kind] = None
    core: Optional[bool] = None
    ci_method: Optional[str] = None
    estimate: Optional[Number] = None
    se: Optional[Number] = None
    ci_low: Optional[Number] = None
    ci_high: Optional[Number] = None
    n: int
    weighted_n: Optional[Number] = None
    deff: Optional[Number] = None
    df: Optional[Number] = None
    flag: Flag
    flag_reason: Optional[str] = None
    by: Optional[str] = None
    group: Optional[str] = None
    group_label: Optional[str] = None
    cells_used: Optional[int] = None
    reason: Optional[str] = None
    empty_cell: Optional[tuple[str, ...]] = None


class Category(Contract):
    code: Optional[int] = None
    label: str
    missing: bool
    n: Optional[int] = None
    share: Optional[Number] = None
    ci_low: Optional[Number] = None
    ci_high: Optional[Number] = None


class ItemDistribution(Contract):
    item: str
    label: str
    question: str
    section: str
    core: bool
    by: Optional[str] = None
    group: Optional[str] = None
    group_label: Optional[str] = None
    n_total: int
    n_valid: int
    flag: Flag
    flag_reason: Optional[str] = None
    categories: tuple[Category, ...]
