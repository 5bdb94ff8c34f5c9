"""Coded free-text mentions (Angsträume and other open questions): counts, shares, when and why.

Input per question (:class:`CodingInput`): for every respondent of the design whether they gave any
mention, whether one of their mentions is still uncoded, and per coded place/category whether they named
it (a 0/1 indicator per respondent). Output (:class:`FreeTextSummary`):

* per place/category with at least :data:`analysis.core.flags.MIN_N_SHOWN` naming respondents: the number of
  respondents naming it (``mentions``), the weighted share of *all* respondents naming it (design-based,
  logit interval through :func:`analysis.core.estimation.proportion`; the indicator is 0 for everyone else),
  and for place questions the distribution of the »when« item and the share of each »why« option *among
  those naming the place* (domain estimates; each suppressed below 10 valid answers by the usual rule);
* places/categories named by fewer respondents are never named: they are pooled into ``other`` (the
  number of such categories and the respondents naming one of them);
* ``uncoded``: respondents with at least one mention the coach has not (yet) coded (»nicht zugeordnet«).

Disclosure (the engine decides): a share rests on the naming respondents, so besides the flags of the
estimate itself :func:`analysis.core.flags.classify_count` applies to ``mentions`` (below 10: nothing but the
suppressed flag; below 30: unreliable). Pooled counts below 10 are None.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from analysis.core import estimation
from analysis.core.design import Design
from analysis.core.flags import MIN_N_SHOWN, OK, SUPPRESSED, UNRELIABLE, classify_count
from analysis.core.results import Estimate

_SEVERITY = {OK: 0, UNRELIABLE: 1, SUPPRESSED: 2}


@dataclass(frozen=True)
class CategoryInput:
    name: str
    members: np.ndarray  # bool (n,): respondent names this place/category
    ortsteil: str | None = None
    ortsteil_label: str | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True)
class TimeItem:
    """The single-choice »when« item: codes (NaN = missing or invalid) and the valid codes with labels."""

    item: str
    question: str
    values: np.ndarray
    codes: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class ReasonItem:
    """One option of the multiple-choice »why« question: 1 named, 0 not named, NaN not asked/answered."""

    item: str
    label: str
    values: np.ndarray


@dataclass(frozen=True)
class CodingInput:
    item: str
    question: str
    places: bool
    mentioned: np.ndarray  # bool (n,): at least one mention
    uncoded: np.ndarray  # bool (n,): at least one mention without category
    categories: tuple[CategoryInput, ...] = ()
    time: TimeItem | None = None
    reasons: tuple[ReasonItem, ...] = ()
    reasons_question: str = ""


@dataclass(frozen=True)
class ShareRecord:
    """A weighted share with interval and flag (numbers None when suppressed)."""

    id: str
    label: str
    estimate: float | None
    se: float | None
    ci_low: float | None
    ci_high: float | None
    n: int
    weighted_n: float
    deff: float | None
    flag: str
    flag_reason: str | None


@dataclass(frozen=True)
class CategorySummary:
    name: str
    mentions: int
    share: ShareRecord  # share of all respondents naming it
    ortsteil: str | None = None
    ortsteil_label: str | None = None
    lat: float | None = None
    lon: float | None = None
    time: tuple[ShareRecord, ...] = ()
    reasons: tuple[ShareRecord, ...] = ()


@dataclass(frozen=True)
class PooledSummary:
    """Respondents in a pool (``id``: ``genannt`` any mention, ``weitere`` rare categories,
    ``nicht_zugeordnet`` uncoded mentions); ``mentions`` None below 10."""

    id: str
    categories: int
    mentions: int | None
    share: ShareRecord


@dataclass(frozen=True)
class FreeTextSummary:
    item: str
    question: str
    places: bool
    respondents: int  # all respondents of the design
    mentioning: PooledSummary  # respondents with any mention
    categories: tuple[CategorySummary, ...]
    other: PooledSummary
    uncoded: PooledSummary
    time_item: str | None = None
    time_question: str | None = None
    reasons_question: str | None = None


def _record(id_: str, label: str, est: Estimate, count: int | None = None) -> ShareRecord:
    flag, reason = est.flag, est.reason or None
    if count is not None:
        count_flag, count_reason = classify_count(count)
        if _SEVERITY[count_flag] > _SEVERITY[flag]:
            flag, reason = count_flag, count_reason
    if flag == SUPPRESSED:
        return ShareRecord(id_, label, None, None, None, None, est.n, est.weighted_n, None, flag, reason)
    return ShareRecord(id_, label, est.estimate, est.se, est.ci_low, est.ci_high, est.n, est.weighted_n,
                       est.deff, flag, reason)


def _share_of_all(design: Design, members: np.ndarray, id_: str, label: str, level: float) -> ShareRecord:
    members = np.asarray(members, dtype=bool)
    est = estimation.proportion(design, members.astype(float), level=level)
    return _record(id_, label, est, int(members.sum()))


def _pooled(design: Design, members: np.ndarray, id_: str, categories: int, level: float) -> PooledSummary:
    count = int(np.asarray(members, dtype=bool).sum())
    return PooledSummary(id_, categories, count if count >= MIN_N_SHOWN else None,
                         _share_of_all(design, members, id_, id_, level))


def _time(design: Design, time: TimeItem, domain: np.ndarray, level: float) -> tuple[ShareRecord, ...]:
    values = np.asarray(time.values, dtype=float)
    valid = np.isin(values, [code for code, _ in time.codes])
    out = []
    for code, label in time.codes:
        y = np.where(valid, (values == code).astype(float), np.nan)
        out.append(_record(str(code), label, estimation.proportion(design, y, domain, level=level)))
    return tuple(out)


def _reasons(design: Design, reasons: Sequence[ReasonItem], domain: np.ndarray, level: float) -> tuple[ShareRecord, ...]:
    out = []
    for reason in reasons:
        values = np.asarray(reason.values, dtype=float)
        y = np.where(np.isin(values, (0.0, 1.0)), values, np.nan)
        out.append(_record(reason.item, reason.label, estimation.proportion(design, y, domain, level=level)))
    return tuple(out)


def summarise_coding(design: Design, coding: CodingInput, level: float = 0.95) -> FreeTextSummary:
    """Counts, shares and (for places) when/why per coded place or category; see the module docstring."""
    n = design.n
    for name, mask in (("mentioned", coding.mentioned), ("uncoded", coding.uncoded),
                       *((c.name, c.members) for c in coding.categories)):
        if np.asarray(mask).shape != (n,):
            raise ValueError(f"{coding.item}: mask {name!r} must have shape ({n},)")
    shown, rare = [], []
    for category in coding.categories:
        members = np.asarray(category.members, dtype=bool)
        (shown if int(members.sum()) >= MIN_N_SHOWN else rare).append(category)
    summaries = []
    for category in shown:
        members = np.asarray(category.members, dtype=bool)
        time = _time(design, coding.time, members, level) if coding.places and coding.time else ()
        reasons = _reasons(design, coding.reasons, members, level) if coding.places else ()
        summaries.append(CategorySummary(
            category.name, int(members.sum()), _share_of_all(design, members, category.name, category.name, level),
            category.ortsteil, category.ortsteil_label, category.lat, category.lon, time, reasons))
    summaries.sort(key=lambda s: (-s.mentions, s.name.casefold()))
    rare_members = np.zeros(n, dtype=bool)
    for category in rare:
        rare_members |= np.asarray(category.members, dtype=bool)
    return FreeTextSummary(
        coding.item, coding.question, coding.places, n,
        _pooled(design, coding.mentioned, "genannt", len(coding.categories), level),
        tuple(summaries),
        _pooled(design, rare_members, "weitere", len(rare), level),
        _pooled(design, coding.uncoded, "nicht_zugeordnet", 0, level),
        coding.time.item if coding.time else None, coding.time.question if coding.time else None,
        coding.reasons_question or None,
    )
