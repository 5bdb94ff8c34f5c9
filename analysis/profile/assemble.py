"""The commune security profile (``profil.json``): pure assembly of all aggregate results.

:func:`assemble_profile` takes plain inputs (:class:`ProfileInputs`: cleaned responses, the calibrated
design as ``analysis.core.design.Design``, indicator specs, breakdowns, item descriptions, sample and weighting
summaries, the standard population, the recommendation rules, optional PKS frame) and returns a frozen
:class:`Profile`. :func:`profile_to_dict` turns it into the JSON document described by
``survey/schemas/profil-2.0.schema.json`` (typed by ``survey.profile``) (English snake_case keys; aggregates only: no microdata, no
free text, no respondent ids). Parts live in ``analysis/profile_*.py``.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from analysis.crime.dunkelfeld import SurveyShare
from analysis.core.design import Design
from analysis.core import flags
from analysis.errors import AnalysisError
from analysis.core.indicators import IndicatorSpec
from analysis.profile.crime import crime_section
from analysis.findings.compute import compute_findings
from analysis.findings.families import family_summaries
from analysis.findings.types import Finding
from analysis.profile.drivers import DriverAnalysis, Term, analyse_drivers_with_fit
from analysis.profile.indicators import (
    Breakdown, IndicatorRecord, indicator_records, standardised_records,
)
from analysis.profile.items import ItemDistribution, ItemInfo, item_distributions
from analysis.profile.problems import ProblemRank, problem_findings, rank_problems
from analysis.profile.tests import association_tests, index_reliability
from analysis.profile.recommendations import Fact, FactKey, Rule, RuleEvaluation, evaluate_rules
from analysis.models.standardisation import StandardPopulation

SCHEMA_VERSION = "2.0"  # survey.profile.ProfileDocument (the contract types live in survey/profile/)
OUTCOME = "unsicher_nachts"
VICTIM_ANY = "opfer_12m_irgendein"
PROBLEM_INDEX = "problem_index"


@dataclass(frozen=True)
class ProfileInputs:
    commune: dict[str, Any]  # name, ags, landkreis_ags
    wave: dict[str, Any]  # jahr, label
    questionnaire: dict[str, Any]  # id, version, core_version
    tool: dict[str, Any]  # name, version
    created: str  # ISO date
    data: pd.DataFrame = field(repr=False)
    design: Design = field(repr=False)
    specs: Sequence[IndicatorSpec]
    breakdowns: Sequence[Breakdown]
    items: Sequence[ItemInfo]
    sample: dict[str, Any]
    weighting: dict[str, Any]
    standard_population: StandardPopulation
    rules: Sequence[Rule]
    fields_of_action: dict[str, str]
    pks: pd.DataFrame | None = field(default=None, repr=False)
    driver_terms: Sequence[Term] = ()
    tests: dict[str, Any] = field(default_factory=dict)
    methods_extra: dict[str, Any] = field(default_factory=dict)  # e.g. lonely_strata (survey layer)
    landkreis_derived: bool = False  # commune["landkreis_ags"] derived from the AGS, not configured
    offence_labels: dict[str, str] = field(default_factory=dict)  # PKS offence group id -> label
    polarity: dict[str, int] = field(default_factory=dict)  # indicator id -> +1 higher worse / -1 higher better
    rankings: dict[str, tuple[str, ...]] = field(default_factory=dict)  # ranking id -> indicator ids
    hotspot_by: str | None = "ortsteil"  # the breakdown of the Ortsteil screen
    # the item distributions if the caller computes them itself (e.g. in another process): asked for
    # last, when everything else is done; None: computed here
    item_results: Callable[[], tuple[ItemDistribution, ...]] | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Profile:
    header: dict[str, Any]
    sample: dict[str, Any]
    weighting: dict[str, Any]
    methods: dict[str, Any]
    indicators: tuple[IndicatorRecord, ...]
    breakdowns: tuple[Breakdown, ...]
    breakdown_records: tuple[IndicatorRecord, ...]
    standardised: dict[str, Any]
    item_distributions: tuple[ItemDistribution, ...]
    crime: dict[str, Any]
    drivers: DriverAnalysis | None
    drivers_note: str | None
    problems: tuple[ProblemRank, ...]
    recommendations: RuleEvaluation
    fields_of_action: dict[str, str]
    tests: dict[str, Any]
    reliability: tuple[dict[str, Any], ...] = ()
    findings: tuple[Finding, ...] = ()


ALPHA = 0.05


def multiple_testing_method(findings: Sequence[Finding]) -> dict[str, Any]:
    """``methods.multiple_testing``: alpha, the adjustment per kind and one summary per family."""
    by_kind: dict[str, str] = {}
    for finding in findings:
        by_kind.setdefault(finding.kind.value, finding.adjustment)
    return {"alpha": ALPHA, "by_kind": by_kind,
            "families": [summary.to_dict() for summary in family_summaries(findings, ALPHA)]}


def _facts(records: Sequence[IndicatorRecord], breakdown_records: Sequence[IndicatorRecord],
           standardised: Sequence, problems: Sequence[ProblemRank], drivers: DriverAnalysis | None
           ) -> dict[FactKey, Fact]:
    facts: dict[FactKey, Fact] = {}
    for record in list(records) + list(breakdown_records):
        key = FactKey("indicator", record.id, "estimate", record.by, record.group)
        unit = "share" if record.kind == "proportion" else "value"
        facts[key] = Fact(key, record.label, record.estimate, record.ci_low, record.ci_high, record.n, record.flag,
                          unit, record.group_label)
    labels = {record.id: record.label for record in records}
    for estimate, flag, _ in standardised:
        key = FactKey("indicator", estimate.id, "standardised")
        facts[key] = Fact(key, labels.get(estimate.id, estimate.id), estimate.estimate, estimate.ci_low,
                          estimate.ci_high, estimate.n, flag, "share" if estimate.kind == "proportion" else "value")
    for problem in problems:
        association = problem.association
        key = FactKey("problem", problem.indicator, "association")
        facts[key] = Fact(key, problem.label, association.difference,
                          association.ci_low, association.ci_high, min(association.n_with, association.n_without),
                          association.flag, "points")
        key = FactKey("problem", problem.indicator, "estimate")
        facts[key] = dataclasses.replace(facts[FactKey("indicator", problem.indicator, "estimate")], key=key)
    if drivers is not None:
        for effect in drivers.marginal_effects:
            key = FactKey("driver", effect.term if effect.name == effect.term else effect.name, "ame")
            facts[key] = Fact(key, effect.label, effect.ame, effect.ci_low, effect.ci_high,
                              drivers.n, None, "points")
        for coefficient in drivers.coefficients:
            if coefficient.odds_ratio is None:
                continue
            name = coefficient.term if coefficient.name == coefficient.term else coefficient.name
            key = FactKey("driver", name, "odds_ratio")
            facts[key] = Fact(key, coefficient.label, coefficient.odds_ratio,
                              coefficient.or_ci_low, coefficient.or_ci_high, drivers.n, None, "ratio")
    return facts


def _survey_shares(records: Sequence[IndicatorRecord]) -> tuple[dict, dict] | None:
    by_id = {record.id: record for record in records}
    victims, reporting = {}, {}
    for offence in ("fahrrad", "einbruch", "sachbeschaedigung", "koerperverletzung", "betrug"):
        victim, report = by_id.get(f"opfer_12m_{offence}"), by_id.get(f"anzeigequote_{offence}")
        if victim and report and victim.estimate is not None and report.estimate is not None:
            victims[offence] = SurveyShare(victim.estimate, victim.se)
            reporting[offence] = SurveyShare(report.estimate, report.se)
    return (victims, reporting) if victims else None


def assemble_profile(inputs: ProfileInputs) -> Profile:
    """Compute every part of the profile from ``inputs``."""
    data, design = inputs.data, inputs.design
    records, breakdown_records, values = indicator_records(data, design, inputs.specs, inputs.breakdowns)
    standardised = standardised_records(data, design, inputs.specs, values, inputs.standard_population)
    problems = rank_problems(design, records, values, OUTCOME)
    drivers, drivers_note, model = None, None, None
    if OUTCOME in values and inputs.driver_terms:
        frame = data.copy()
        for extra in (VICTIM_ANY, PROBLEM_INDEX):
            if extra in values:
                frame[extra] = values[extra][0]
        try:
            drivers, model = analyse_drivers_with_fit(frame, design, values[OUTCOME][0], inputs.driver_terms,
                                                      OUTCOME, next((r.label for r in records if r.id == OUTCOME),
                                                                    OUTCOME))
        except AnalysisError as error:
            drivers_note = str(error)
    else:
        drivers_note = "outcome_missing"
    outcome_label = next((r.label for r in records if r.id == OUTCOME), OUTCOME)
    tests = dict(inputs.tests)
    if OUTCOME in values:
        tests.setdefault("rao_scott", association_tests(data, design, values[OUTCOME][0], inputs.breakdowns,
                                                        OUTCOME, outcome_label))
    reliability = tuple(index_reliability(data, design, inputs.specs))
    landkreis = None if inputs.landkreis_derived else inputs.commune.get("landkreis_ags")
    crime_results: dict[str, Any] = {}
    crime, crime_facts = crime_section(inputs.pks, inputs.commune["ags"], landkreis, _survey_shares(records),
                                       inputs.offence_labels, results=crime_results)
    # findings for the core indicators (comparable across communes; the report states differences of
    # these only): with all ~50 indicators the profile would grow by half again for statements nobody makes
    finding_specs = [spec for spec in inputs.specs if getattr(spec, "core", False)] or list(inputs.specs)
    findings = compute_findings(
        design, data, finding_specs, inputs.breakdowns, inputs.polarity, hotspot_by=inputs.hotspot_by,
        rankings=inputs.rankings, model=model, model_outcome=OUTCOME, trends=crime_results.get("trends"),
        area=str(inputs.commune["ags"]), references=crime_results.get("references")) + problem_findings(problems, OUTCOME)
    facts = _facts(records, breakdown_records, standardised, problems, drivers)
    facts.update(crime_facts)
    evaluation = evaluate_rules(tuple(inputs.rules), facts, findings)
    standard = inputs.standard_population
    items = (inputs.item_results() if inputs.item_results is not None
             else item_distributions(data, design, inputs.items, inputs.breakdowns))
    return Profile(
        header={"schema_version": SCHEMA_VERSION, "created": inputs.created, "tool": dict(inputs.tool),
                "commune": dict(inputs.commune), "wave": dict(inputs.wave),
                "questionnaire": dict(inputs.questionnaire)},
        sample=dict(inputs.sample), weighting=dict(inputs.weighting),
        methods={
            # codes of the methods (the application words them; see survey.wording.methods)
            "variance": "taylor_calibration_residuals", "ci_method_proportion": "logit", "ci_method_mean": "t",
            "confidence_level": 0.95, "df": float(design.degf), "df_rule": "subset_degf",
            "degenerate_interval": "exact_one_sided",
            "suppression": flags.policy(),
            "standardisation": "direct", "problem_association": "domain_difference_t",
            "association_tests": "rao_scott_f", "reliability": "svycralpha",
            "multiple_testing": multiple_testing_method(findings),
            **inputs.methods_extra,
        },
        indicators=records, breakdowns=tuple(inputs.breakdowns), breakdown_records=breakdown_records,
        standardised={
            "standard_population": {"name": standard.name, "source": standard.source, "year": standard.year,
                                    "cells": [{"geschlecht": s, "altersgruppe": a, "population": c}
                                              for s, a, c in standard.cells]},
            "indicators": [{**_fields(est), "flag": flag, "flag_reason": reason}
                           for est, flag, reason in standardised],
        },
        item_distributions=items, crime=crime, drivers=drivers, drivers_note=drivers_note, problems=problems,
        recommendations=evaluation, fields_of_action=dict(inputs.fields_of_action), tests=tests,
        reliability=reliability, findings=findings,
    )


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _clean(value: Any) -> Any:
    """Plain JSON values: dataclasses as dicts of their fields (what ``dataclasses.asdict`` gives, without
    its deep copies), tuples as lists, numpy scalars as Python numbers, non-finite floats as None."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:  # most of the nodes: as they are
        return value
    if kind is float:
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, (np.floating, float)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.ndarray):
        return _clean(value.tolist())
    if hasattr(type(value), "__dataclass_fields__") and not isinstance(value, type):
        return {name: _clean(field) for name, field in _fields(value).items()}
    return value


def _fields(value: Any) -> dict[str, Any]:
    """The fields of a dataclass, shallow (:func:`_clean` converts what they hold)."""
    kind = type(value)
    names = _FIELD_NAMES.get(kind)
    if names is None:
        names = _FIELD_NAMES[kind] = tuple(f.name for f in dataclasses.fields(kind))
    return {name: getattr(value, name) for name in names}


def _record(record: IndicatorRecord, overall: bool) -> dict[str, Any]:
    data = _fields(record)
    if overall:
        for key in ("by", "group", "group_label"):
            data.pop(key)
    return data


def profile_to_dict(profile: Profile) -> dict[str, Any]:
    """The JSON document (plain dicts/lists, NaN as null)."""
    header = profile.header
    recommendations = profile.recommendations
    document = {
        **header,
        "sample": profile.sample,
        "weighting": profile.weighting,
        "methods": profile.methods,
        "indicators": [_record(r, True) for r in profile.indicators],
        "breakdowns": {
            "variables": [{"id": b.variable, "label": b.label,
                           "groups": [{"code": c, "label": l} for c, l in b.groups]} for b in profile.breakdowns],
            "records": [_record(r, False) for r in profile.breakdown_records],
        },
        "standardised": profile.standardised,
        "item_distributions": list(profile.item_distributions),
        "crime": profile.crime,
        "dunkelfeld": profile.crime.get("dunkelfeld") if profile.crime.get("available") else
                      {"available": False, "rows": [], "caveats": []},
        "drivers": ({"available": True, **_fields(profile.drivers)} if profile.drivers is not None
                    else {"available": False, "reason": profile.drivers_note}),
        "problems": list(profile.problems),
        "fields_of_action": [{"id": k, "label": v} for k, v in profile.fields_of_action.items()],
        "recommendations": [
            {**_fields(r),
             "field_of_action_label": profile.fields_of_action.get(r.field_of_action, r.field_of_action)}
            for r in recommendations.recommendations],
        "rules_summary": {"rules_total": recommendations.rules_total,
                          "not_triggered": list(recommendations.not_triggered),
                          "not_evaluable": list(recommendations.not_evaluable)},
        "tests": profile.tests,
        "reliability": list(profile.reliability),
        "findings": [finding.to_dict() for finding in profile.findings],
    }
    document["crime"] = {k: v for k, v in profile.crime.items() if k != "dunkelfeld"}
    return _clean(document)
