"""The whole profile (``profil.json``, schema 2.0) as one frozen type."""

from __future__ import annotations

from typing import Literal, Optional

from survey.profile.base import Contract
from survey.profile.crime import Crime, Dunkelfeld
from survey.profile.findings import FindingField
from survey.profile.free_text import FreeText
from survey.profile.local import Change, ComparisonValue, OrtsteilProfiles
from survey.profile.records import EstimateRecord, ItemDistribution
from survey.profile.results import (
    Breakdowns, Drivers, FieldOfAction, Problem, Recommendation, Reliability, RulesSummary, Standardised, Tests,
)
from survey.profile.sections import Commune, Methods, QuestionnaireRef, Sample, Tool, Wave, Weighting

SCHEMA_VERSION = "2.0"


class ProfileDocument(Contract):
    """One commune, one wave: every aggregate result. ``upgraded_from`` is ``"1.0"`` when the document
    was read from a 1.0 file (fields that file lacks are ``None`` or empty), else ``None``."""

    schema_version: Literal["2.0"] = SCHEMA_VERSION
    upgraded_from: Optional[Literal["1.0"]] = None
    created: str
    tool: Tool
    commune: Commune
    wave: Wave
    questionnaire: QuestionnaireRef
    sample: Sample
    weighting: Weighting
    methods: Methods
    indicators: tuple[EstimateRecord, ...]
    breakdowns: Breakdowns
    standardised: Standardised
    item_distributions: tuple[ItemDistribution, ...]
    crime: Crime
    dunkelfeld: Dunkelfeld
    drivers: Drivers
    problems: tuple[Problem, ...]
    fields_of_action: tuple[FieldOfAction, ...]
    recommendations: tuple[Recommendation, ...]
    rules_summary: RulesSummary
    tests: Tests
    reliability: tuple[Reliability, ...] = ()
    free_text: Optional[FreeText] = None
    findings: tuple[FindingField, ...] = ()
    comparison_values: tuple[ComparisonValue, ...] = ()
    ortsteil_profiles: Optional[OrtsteilProfiles] = None
    change: Optional[Change] = None

    def indicator(self, indicator_id: str) -> Optional[EstimateRecord]:
        return next((r for r in self.indicators if r.id == indicator_id), None)
