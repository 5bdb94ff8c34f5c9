"""Coded free texts (``free_text``): places and categories named by at least 10 respondents, never a
verbatim answer. Shares are :class:`~survey.profile.records.EstimateRecord` (``kind``/``core`` ``None``)."""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import Field

from survey.profile.base import Contract, Number
from survey.profile.records import EstimateRecord


class Pool(Contract):
    id: Literal["genannt", "weitere", "nicht_zugeordnet"]
    label: str
    categories: int = Field(ge=0)
    mentions: Optional[int] = Field(default=None, ge=10)  # respondents in the pool; None under 10
    share: EstimateRecord


class CodedCategory(Contract):
    name: str
    mentions: int = Field(ge=10)
    share: EstimateRecord
    ortsteil: Optional[str] = None
    ortsteil_label: Optional[str] = None
    lat: Optional[Number] = Field(default=None, ge=-90, le=90)
    lon: Optional[Number] = Field(default=None, ge=-180, le=180)
    time: tuple[EstimateRecord, ...] = ()
    reasons: tuple[EstimateRecord, ...] = ()


class TimeQuestion(Contract):
    item: Optional[str] = None
    question: Optional[str] = None


class ReasonsQuestion(Contract):
    question: Optional[str] = None


class FreeTextQuestion(Contract):
    item: str
    question: str
    kind: Literal["places", "categories"]
    respondents: int = Field(ge=0)
    mentioning: Pool
    categories: tuple[CodedCategory, ...] = ()
    other: Pool
    uncoded: Pool
    not_in_table: int = Field(ge=0)
    time: Optional[TimeQuestion] = None  # places only
    reasons: Optional[ReasonsQuestion] = None  # places only


class FreeText(Contract):
    coding_table: Optional[str] = None
    min_mentions: int
    questions: tuple[FreeTextQuestion, ...] = ()
