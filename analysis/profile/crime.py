"""PKS part of the profile: series, rates, comparisons, trends, structure, Dunkelfeld, and PKS facts for
the recommendation rules. Every computation that fails for lack of data is skipped with a note.

Totals: both PKS totals are kept as offences of their own, each with HZ, Garwood interval, AQ, trend
and reference ratios: ``insgesamt`` (key ``------``, the figure the police publish as »Straftaten
insgesamt«) and ``insgesamt_ohne_aufenthaltsrecht`` (key ``890000``). The border rule
(``choose_total_key``) picks the headline (``headline: true``, ``crime.total``); the other stays.

Reference areas: the Landkreis is ``landkreis_ags`` or, when none is given, the Kreisschlüssel (first
five digits of the commune's AGS). Area codes are compared by :func:`area_key`, so the 5-digit
Kreisschlüssel ``14628`` and the 8-digit form ``14628000`` (and ``14`` / ``14000000`` for the Land)
are the same area. ``crime.landkreis`` says whether Landkreis rows exist and, if not, why; each offence
carries the whole Landkreis's HZ (``hz_landkreis``) beside the rate ratio against the rest of it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

import pandas as pd

from analysis.crime.dunkelfeld import CAVEATS, perceived_vs_registered
from analysis.crime.frames import (
    area_count, clearance, compare_with_reference, indexed, offence_rate, offence_series, offence_structure,
    series_all_flags, series_pooled, series_trend, total_choice,
)
from analysis.crime.keys import (
    FIELDS_OF_ACTION, OFFENCE_GROUPS, SURVEY_OFFENCE_KEYS, TOTAL_KEY, TOTAL_WITHOUT_IMMIGRATION_KEY,
)
from analysis.crime.rates import haeufigkeitszahl, small_count_flag
from analysis.errors import AnalysisError
from analysis.profile.recommendations import Fact, FactKey

TOTAL_GROUP = "insgesamt"
TOTAL_WITHOUT_IMMIGRATION_GROUP = "insgesamt_ohne_aufenthaltsrecht"
TOTAL_GROUPS = {TOTAL_KEY: TOTAL_GROUP, TOTAL_WITHOUT_IMMIGRATION_KEY: TOTAL_WITHOUT_IMMIGRATION_GROUP}
SACHSEN = "14"


def area_key(code: object) -> str:
    """Normal form of an area code: an 8-digit AGS ending in 000 is its Kreis (5 digits), one ending in
    000000 its Land (2 digits); everything else unchanged. (A Gemeinde's own number is never 000,
    except for a kreisfreie Stadt, which is its own Kreis.)"""
    text = str(code).strip()
    if len(text) == 8 and text.isdigit():
        if text.endswith("000000"):
            return text[:2]
        if text.endswith("000"):
            return text[:5]
    return text


def _landkreis(areas: set[str], ags: str, landkreis_ags: str | None) -> dict[str, Any]:
    """Which area of the PKS table is the commune's Landkreis, or why there is none."""
    requested = landkreis_ags or ags[:5]
    info: dict[str, Any] = {"requested": requested, "derived": not landkreis_ags, "gebiet": None,
                            "available": False, "reason": None}
    if area_key(requested) == area_key(ags):
        info["reason"] = "kreisfreie_stadt"  # a kreisfreie Stadt is its own Kreis: no rest to compare with
        return info
    matches = sorted(a for a in areas if area_key(a) == area_key(requested) and a != str(ags))
    if not matches:
        info["reason"] = "no_rows"  # the PKS table has no rows of the Landkreis
        return info
    info.update(gebiet=matches[0], available=True)
    return info


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _try(notes: list[dict], step: str, offence: str | None, function, *args, **kwargs):  # noqa: ANN001, ANN202
    """``function(...)``, or None with a note ``{step, offence, message}`` when the data do not allow it."""
    try:
        return function(*args, **kwargs)
    except (AnalysisError, KeyError, ValueError, ZeroDivisionError) as error:
        notes.append({"step": step, "offence": offence, "message": str(error)})
        return None


def _dict(obj: Any) -> Any:
    return None if obj is None else asdict(obj)


def _ratio_verdict(values: dict[str, Any] | None, above: str, below: str) -> dict[str, Any] | None:
    """Add ``verdict`` to a ratio record (rate ratio or trend): ``above``/``below`` when its interval
    excludes 1, else ``"kein_unterschied"`` (the report phrases, the engine decides)."""
    if values is None:
        return None
    low, high = values.get("ci_low"), values.get("ci_high")
    verdict = None
    if low is not None and high is not None and not (math.isnan(low) or math.isnan(high)):
        verdict = above if low > 1 else below if high < 1 else "kein_unterschied"
    return {**values, "verdict": verdict}


def crime_section(pks: pd.DataFrame | None, ags: str, landkreis_ags: str | None,
                  survey_shares: Mapping[str, tuple[Mapping, Mapping]] | None = None,
                  labels: Mapping[str, str] | None = None, results: dict[str, Any] | None = None
                  ) -> tuple[dict[str, Any], dict[FactKey, Fact]]:
    """The profile's ``crime`` block and the facts it contributes to the rules. ``labels``: offence group
    id → label (from the application's PKS catalogue; the id where none is given). ``results``, if
    given, receives the typed results for the findings: ``trends`` (offence id → TrendResult) and
    ``references`` (reference id → offence id → RateRatio)."""
    if results is not None:
        results.setdefault("trends", {})
        results.setdefault("references", {})
    if pks is None or pks.empty:
        return {"available": False, "reason": "no_pks"}, {}
    with indexed(pks):
        return _crime_section(pks, ags, landkreis_ags, survey_shares, dict(labels or {}), results)


def _crime_section(pks: pd.DataFrame, ags: str, landkreis_ags: str | None, survey_shares, labels: dict[str, str],
                   results: dict[str, Any] | None) -> tuple[dict[str, Any], dict[FactKey, Fact]]:
    facts: dict[FactKey, Fact] = {}
    commune = pks.loc[pks["gebiet"].astype(str) == str(ags)]
    if commune.empty:
        return {"available": False, "reason": "no_commune_rows"}, facts
    notes: list[dict] = []
    years = sorted(int(y) for y in commune["jahr"].unique())
    latest = years[-1]
    areas = {str(a) for a in pks["gebiet"].astype(str).unique()}
    landkreis = _landkreis(areas, str(ags), landkreis_ags)
    land = sorted(a for a in areas if area_key(a) == SACHSEN)
    references = {"landkreis": landkreis["gebiet"], "sachsen": land[0] if land else None}
    total = _try(notes, "total", None, total_choice, pks, ags, latest)
    headline = total.key if total else TOTAL_KEY
    groups = [(TOTAL_GROUPS[key], (key,)) for key in (TOTAL_KEY, TOTAL_WITHOUT_IMMIGRATION_KEY)]
    groups += [(g.id, g.patterns) for g in OFFENCE_GROUPS]
    offences = []
    for group_id, patterns in groups:
        label = labels.get(group_id, group_id)
        series = _try([], "series", group_id, offence_series, pks, ags, patterns)
        if series is None:
            continue
        yearly = []
        for year, cases, population in zip(series.years, series.cases, series.population):
            rate = haeufigkeitszahl(cases, population)
            yearly.append({"jahr": year, "faelle": cases, "einwohner": population, "hz": rate.__dict__})
        entry: dict[str, Any] = {"id": group_id, "label": label, "keys": list(patterns), "series": yearly}
        if group_id in (TOTAL_GROUP, TOTAL_WITHOUT_IMMIGRATION_GROUP):
            entry["headline"] = patterns == (headline,)
        entry["aq"] = _dict(_try(notes, "aq", group_id, clearance, pks, ags, latest, patterns))
        trend_result = _try(notes, "trend", group_id, series_trend, series) if len(series.years) > 1 else None
        entry["trend"] = _ratio_verdict(_dict(trend_result), "steigend", "fallend") if len(series.years) > 1 else None
        if results is not None and trend_result is not None:
            results["trends"][group_id] = trend_result
        last = min(3, len(series.years))
        entry["mean_last_years"] = _dict(_try(notes, "mean", group_id, series_pooled, series, last))
        entry["flags"] = [asdict(flag) for flag in (_try(notes, "flags", group_id, series_all_flags, series) or ())]
        entry["small_count"] = small_count_flag(series.cases[-1])
        area = references["landkreis"]
        entry["hz_landkreis"] = (_dict(_try(notes, "hz_landkreis", group_id, offence_rate, pks, area, latest,
                                            patterns)) if area else None)
        for name, area in references.items():
            ratio = _try(notes, f"rate_ratio_{name}", group_id, compare_with_reference, pks, ags, area, latest,
                         patterns) if area else None
            entry[f"rate_ratio_{name}"] = _ratio_verdict(_dict(ratio), "hoeher", "niedriger")
            if ratio is not None:
                if results is not None:
                    results["references"].setdefault(name, {})[group_id] = ratio
                key = FactKey("pks", group_id, f"rate_ratio_{name}")
                facts[key] = Fact(key, label, _clean(ratio.ratio), _clean(ratio.ci_low), _clean(ratio.ci_high),
                                  series.cases[-1], None, "ratio")
        hz = yearly[-1]["hz"]
        key = FactKey("pks", group_id, "hz")
        facts[key] = Fact(key, label, _clean(hz["rate"]), _clean(hz["ci_low"]), _clean(hz["ci_high"]),
                          series.cases[-1], None, "value")
        trend = entry["trend"]
        if trend:
            key = FactKey("pks", group_id, "trend")
            facts[key] = Fact(key, label, _clean(trend["rate_ratio"]), _clean(trend["ci_low"]),
                              _clean(trend["ci_high"]), series.cases[-1], None, "ratio")
        offences.append(entry)
    structure = _try(notes, "structure", None, offence_structure, pks, ags, latest)
    section = {
        "available": True, "gebiet": str(ags), "years": years, "latest_year": latest,
        "references": references, "landkreis": landkreis, "total": _dict(total),
        "headline_total": TOTAL_GROUPS.get(headline, TOTAL_GROUP), "offences": offences,
        "structure": None if structure is None else [
            {"id": s.group.id, "label": labels.get(s.group.id, s.group.id), "cases": s.cases, "share": _clean(s.share)}
            for s in structure.shares],
        "fields_of_action": [asdict(field) for field in FIELDS_OF_ACTION],
        "notes": notes,
    }
    section["dunkelfeld"] = _dunkelfeld(pks, ags, latest, survey_shares, notes)
    return section, facts


def _dunkelfeld(pks: pd.DataFrame, ags: str, year: int, survey_shares, notes: list[dict]) -> dict[str, Any]:
    if not survey_shares:
        return {"available": False, "rows": [], "caveats": list(CAVEATS)}
    victimisation, reporting = survey_shares
    counts = {}
    for offence, mapping in SURVEY_OFFENCE_KEYS.items():
        count = _try(notes, "dunkelfeld", offence, area_count, pks, ags, year, mapping.patterns)
        if count is not None:
            counts[offence] = (count.cases, count.population)
    rows = _try(notes, "dunkelfeld", None, perceived_vs_registered, victimisation, reporting, counts) or ()
    return {"available": bool(rows), "pks_year": year, "rows": [asdict(row) for row in rows],
            "caveats": list(CAVEATS)}
