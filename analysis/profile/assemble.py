"""The commune security profile (``profil.json``): pure assembly of all aggregate results.

:func:`assemble_profile` takes plain inputs (:class:`ProfileInputs`: cleaned responses, the calibrated
design as ``analysis.core.design.Design``, indicator specs, breakdowns, item descriptions, sample and weighting
summaries, the standard population, the recommendation rules, optional PKS frame) and returns a frozen
:class:`Profile`. :func:`profile_to_dict` turns it into the JSON document described by
``survey/schemas/profil-1.0.schema.json`` (English snake_case keys; aggregates only: no microdata, no
free text, no respondent ids). Parts live in ``analysis/profile_*.py``.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from analysis.crime.dunkelfeld import SurveyShare
from analysis.core.design import Design
from analysis.errors import AnalysisError
from analysis.core.indicators import IndicatorSpec
from analysis.profile.crime import crime_section
from analysis.profile.drivers import DriverAnalysis, Term, analyse_drivers
from analysis.profile.indicators import (
    SUPPRESSION_RULES_DE, Breakdown, IndicatorRecord, indicator_records, standardised_records,
)
from analysis.profile.items import ItemDistribution, ItemInfo, item_distributions
from analysis.profile.problems import ProblemRank, rank_problems
from analysis.profile.tests import association_tests, index_reliability
from analysis.profile.recommendations import Fact, FactKey, Rule, RuleEvaluation, evaluate_rules
from analysis.models.standardisation import StandardPopulation

SCHEMA_VERSION = "1.0"
DF_RULE_DE = (
    "Freiheitsgrade wie in R survey (svyciprop, svyby, confint mit df = degf): für Gesamtwerte die des ganzen "
    "Designs (Zahl der Befragten minus Zahl der Schichten), für Untergruppen die der Teilstichprobe (Befragte "
    "der Untergruppe minus Zahl der Schichten, in denen sie vorkommen). Fehlende Antworten ändern die "
    "Freiheitsgrade nicht. Jeder Wert trägt seine Freiheitsgrade (df)."
)
DEGENERATE_INTERVAL_DE = (
    "Liegt ein Anteil bei genau 0 % oder 100 % (alle Antworten gleich), ist sein Standardfehler 0. R survey gibt "
    "dann ein entartetes Intervall (beim Logit-Verfahren praktisch nur den Punkt 0 bzw. 1, beim Korn-Graubard-"
    "Verfahren keinen Wert). Angegeben wird stattdessen das exakte einseitige Intervall für 0 Treffer unter n "
    "Antworten, 0 bis 1 − (α/2)^(1/n) (bei 100 % gespiegelt; für n = 20 also 0 bis 16,8 %), mit der ungewichteten "
    "Zahl n: Auch wenn keiner von n Befragten zustimmt, kann der Anteil in der Bevölkerung über 0 liegen."
)
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


def _facts(records: Sequence[IndicatorRecord], breakdown_records: Sequence[IndicatorRecord],
           standardised: Sequence, problems: Sequence[ProblemRank], drivers: DriverAnalysis | None
           ) -> dict[FactKey, Fact]:
    facts: dict[FactKey, Fact] = {}
    for record in list(records) + list(breakdown_records):
        key = FactKey("indicator", record.id, "estimate", record.by, record.group)
        label = record.label if record.by is None else f"{record.label} ({record.group_label})"
        unit = "share" if record.kind == "proportion" else "value"
        facts[key] = Fact(key, label, record.estimate, record.ci_low, record.ci_high, record.n, record.flag, unit)
    for estimate, flag, _ in standardised:
        key = FactKey("indicator", estimate.id, "standardised")
        facts[key] = Fact(key, f"{estimate.id} (standardisiert)", estimate.estimate, estimate.ci_low,
                          estimate.ci_high, estimate.n, flag, "share" if estimate.kind == "proportion" else "value")
    for problem in problems:
        association = problem.association
        key = FactKey("problem", problem.indicator, "association")
        facts[key] = Fact(key, f"Unterschied »nachts unsicher« bei »{problem.label}«", association.difference,
                          association.ci_low, association.ci_high, min(association.n_with, association.n_without),
                          association.flag, "points")
        key = FactKey("problem", problem.indicator, "estimate")
        facts[key] = dataclasses.replace(facts[FactKey("indicator", problem.indicator, "estimate")], key=key)
    if drivers is not None:
        for effect in drivers.marginal_effects:
            key = FactKey("driver", effect.term if effect.name == effect.term else effect.name, "ame")
            facts[key] = Fact(key, f"Treiber: {effect.label}", effect.ame, effect.ci_low, effect.ci_high,
                              drivers.n, None, "points")
        for coefficient in drivers.coefficients:
            if coefficient.odds_ratio is None:
                continue
            name = coefficient.term if coefficient.name == coefficient.term else coefficient.name
            key = FactKey("driver", name, "odds_ratio")
            facts[key] = Fact(key, f"Odds Ratio: {coefficient.label}", coefficient.odds_ratio,
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
    items = item_distributions(data, design, inputs.items, inputs.breakdowns)
    problems = rank_problems(design, records, values, OUTCOME)
    drivers, drivers_note = None, None
    if OUTCOME in values and inputs.driver_terms:
        frame = data.copy()
        for extra in (VICTIM_ANY, PROBLEM_INDEX):
            if extra in values:
                frame[extra] = values[extra][0]
        try:
            drivers = analyse_drivers(frame, design, values[OUTCOME][0], inputs.driver_terms, OUTCOME,
                                      next((r.label for r in records if r.id == OUTCOME), OUTCOME))
        except AnalysisError as error:
            drivers_note = str(error)
    else:
        drivers_note = f"Indikator »{OUTCOME}« fehlt; keine Treiberanalyse."
    outcome_label = next((r.label for r in records if r.id == OUTCOME), OUTCOME)
    tests = dict(inputs.tests)
    if OUTCOME in values:
        tests.setdefault("rao_scott", association_tests(data, design, values[OUTCOME][0], inputs.breakdowns,
                                                        OUTCOME, outcome_label))
    reliability = tuple(index_reliability(data, design, inputs.specs))
    landkreis = None if inputs.landkreis_derived else inputs.commune.get("landkreis_ags")
    crime, crime_facts = crime_section(inputs.pks, inputs.commune["ags"], landkreis, _survey_shares(records))
    facts = _facts(records, breakdown_records, standardised, problems, drivers)
    facts.update(crime_facts)
    evaluation = evaluate_rules(tuple(inputs.rules), facts)
    standard = inputs.standard_population
    return Profile(
        header={"schema_version": SCHEMA_VERSION, "created": inputs.created, "tool": dict(inputs.tool),
                "commune": dict(inputs.commune), "wave": dict(inputs.wave),
                "questionnaire": dict(inputs.questionnaire)},
        sample=dict(inputs.sample), weighting=dict(inputs.weighting),
        methods={
            "variance": "Taylor-Linearisierung mit Kalibrierungsresiduen, geschichtete Zufallsstichprobe ohne "
                        "Zurücklegen mit Endlichkeitskorrektur (wie R survey).",
            "ci_method_proportion": "logit", "ci_method_mean": "t", "confidence_level": 0.95,
            "df": float(design.degf), "df_rule": DF_RULE_DE, "degenerate_interval": DEGENERATE_INTERVAL_DE,
            "suppression_rules": SUPPRESSION_RULES_DE,
            "standardisation": "Direkte Standardisierung auf die feste Standardbevölkerung (Geschlecht × "
                               "Altersgruppe); Standardfehler aus dem Design (Linearkombination der "
                               "Zellschätzer).",
            "problem_association": "Unterschied im Anteil »nachts unsicher« zwischen Befragten, die ein "
                                   "ziemliches oder großes Problem sehen, und den übrigen (Teilpopulationen "
                                   "desselben Designs, t-Intervall).",
            "association_tests": "Rao-Scott-korrigierter Chi-Quadrat-Test (F-Test zweiter Ordnung, wie R "
                                 "svychisq) für »nachts unsicher« nach Geschlecht, Altersgruppe und Ortsteil.",
            "reliability": "Cronbachs Alpha je Index, designgewichtet (wie R svycralpha), vollständige Fälle; "
                           "Standardfehler durch Linearisierung.",
            "notes": ["Alle Werte sind gewichtet; n ist die ungewichtete Zahl gültiger Antworten.",
                      "Das Profil enthält nur zusammengefasste Ergebnisse, keine Einzelangaben und keine Freitexte."],
            **inputs.methods_extra,
        },
        indicators=records, breakdowns=tuple(inputs.breakdowns), breakdown_records=breakdown_records,
        standardised={
            "standard_population": {"name": standard.name, "source": standard.source, "year": standard.year,
                                    "cells": [{"geschlecht": s, "altersgruppe": a, "population": c}
                                              for s, a, c in standard.cells]},
            "indicators": [{**dataclasses.asdict(est), "flag": flag, "flag_reason": reason}
                           for est, flag, reason in standardised],
        },
        item_distributions=items, crime=crime, drivers=drivers, drivers_note=drivers_note, problems=problems,
        recommendations=evaluation, fields_of_action=dict(inputs.fields_of_action), tests=tests,
        reliability=reliability,
    )


def _clean(value: Any) -> Any:
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
    return value


def _record(record: IndicatorRecord, overall: bool) -> dict[str, Any]:
    data = dataclasses.asdict(record)
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
        "item_distributions": [dataclasses.asdict(d) for d in profile.item_distributions],
        "crime": profile.crime,
        "dunkelfeld": profile.crime.get("dunkelfeld") if profile.crime.get("available") else
                      {"available": False, "rows": [], "caveats": []},
        "drivers": ({"available": True, **dataclasses.asdict(profile.drivers)} if profile.drivers is not None
                    else {"available": False, "reason": profile.drivers_note}),
        "problems": [dataclasses.asdict(p) for p in profile.problems],
        "fields_of_action": [{"id": k, "label": v} for k, v in profile.fields_of_action.items()],
        "recommendations": [
            {**{k: v for k, v in dataclasses.asdict(r).items()},
             "field_of_action_label": profile.fields_of_action.get(r.field_of_action, r.field_of_action)}
            for r in recommendations.recommendations],
        "rules_summary": {"rules_total": recommendations.rules_total,
                          "not_triggered": list(recommendations.not_triggered),
                          "not_evaluable": list(recommendations.not_evaluable)},
        "tests": profile.tests,
        "reliability": list(profile.reliability),
    }
    document["crime"] = {k: v for k, v in profile.crime.items() if k != "dunkelfeld"}
    return _clean(document)
