"""PKS part of the profile: series, rates, comparisons, trends, structure, Dunkelfeld, and PKS facts for
the recommendation rules. Every computation that fails for lack of data is skipped with a note."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

import pandas as pd

from analysis import crime
from analysis.errors import AnalysisError
from analysis.profile_recommendations import Fact, FactKey

TOTAL_GROUP = "insgesamt"
SACHSEN = "14"


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _try(notes: list[str], what: str, function, *args, **kwargs):  # noqa: ANN001, ANN202
    try:
        return function(*args, **kwargs)
    except (AnalysisError, KeyError, ValueError, ZeroDivisionError) as error:
        notes.append(f"{what}: {error}")
        return None


def _dict(obj: Any) -> Any:
    return None if obj is None else asdict(obj)


def crime_section(pks: pd.DataFrame | None, ags: str, landkreis_ags: str | None,
                  survey_shares: Mapping[str, tuple[Mapping, Mapping]] | None = None
                  ) -> tuple[dict[str, Any], dict[FactKey, Fact]]:
    """The profile's ``crime`` block and the facts it contributes to the rules."""
    facts: dict[FactKey, Fact] = {}
    if pks is None or pks.empty:
        return {"available": False, "reason": "Keine Kriminalstatistik (pks.csv) angegeben."}, facts
    commune = pks.loc[pks["gebiet"].astype(str) == str(ags)]
    if commune.empty:
        return {"available": False, "reason": f"Die PKS-Datei enthält keine Zeilen für die Kommune {ags}."}, facts
    notes: list[str] = []
    years = sorted(int(y) for y in commune["jahr"].unique())
    latest = years[-1]
    areas = {str(a) for a in pks["gebiet"].astype(str).unique()}
    references = {"landkreis": landkreis_ags if landkreis_ags and landkreis_ags in areas else None,
                  "sachsen": SACHSEN if SACHSEN in areas else None}
    total = _try(notes, "Gesamtzahl", crime.total_choice, pks, ags, latest)
    groups = [(TOTAL_GROUP, "Straftaten insgesamt", (total.key if total else crime.TOTAL_KEY,))]
    groups += [(g.id, g.label, g.patterns) for g in crime.OFFENCE_GROUPS]
    offences = []
    for group_id, label, patterns in groups:
        series = _try([], label, crime.offence_series, pks, ags, patterns)
        if series is None:
            continue
        yearly = []
        for year, cases, population in zip(series.years, series.cases, series.population):
            rate = crime.haeufigkeitszahl(cases, population)
            yearly.append({"jahr": year, "faelle": cases, "einwohner": population, "hz": rate.__dict__})
        entry: dict[str, Any] = {"id": group_id, "label": label, "keys": list(patterns), "series": yearly}
        entry["aq"] = _dict(_try(notes, f"AQ {label}", crime.clearance, pks, ags, latest, patterns))
        entry["trend"] = _dict(_try(notes, f"Trend {label}", crime.series_trend, series)) if len(series.years) > 1 else None
        last = min(3, len(series.years))
        entry["mean_last_years"] = _dict(_try(notes, f"Mittel {label}", crime.series_pooled, series, last))
        entry["flags"] = [asdict(flag) for flag in (_try(notes, f"Hinweise {label}", crime.series_all_flags, series) or ())]
        entry["small_count"] = crime.small_count_flag(series.cases[-1])
        for name, area in references.items():
            ratio = _try(notes, f"Vergleich {label} {name}", crime.compare_with_reference, pks, ags, area, latest,
                         patterns) if area else None
            entry[f"rate_ratio_{name}"] = _dict(ratio)
            if ratio is not None:
                facts[FactKey("pks", group_id, f"rate_ratio_{name}")] = Fact(
                    FactKey("pks", group_id, f"rate_ratio_{name}"), f"{label}: Häufigkeit gegenüber {name.capitalize()}",
                    _clean(ratio.__dict__.get("ratio")), _clean(ratio.__dict__.get("ci_low")),
                    _clean(ratio.__dict__.get("ci_high")), series.cases[-1], None, "ratio")
        hz = yearly[-1]["hz"]
        facts[FactKey("pks", group_id, "hz")] = Fact(FactKey("pks", group_id, "hz"), f"{label}: Häufigkeitszahl {latest}",
                                                     _clean(hz.get("hz", hz.get("rate"))), _clean(hz.get("ci_low")),
                                                     _clean(hz.get("ci_high")), series.cases[-1], None, "value")
        trend = entry["trend"]
        if trend:
            facts[FactKey("pks", group_id, "trend")] = Fact(
                FactKey("pks", group_id, "trend"), f"{label}: jährliche Veränderung",
                _clean(trend.get("rate_ratio")), _clean(trend.get("ci_low")), _clean(trend.get("ci_high")),
                series.cases[-1], None, "ratio")
        offences.append(entry)
    structure = _try(notes, "Struktur", crime.offence_structure, pks, ags, latest)
    section = {
        "available": True, "gebiet": str(ags), "years": years, "latest_year": latest,
        "references": references, "total": _dict(total), "offences": offences,
        "structure": None if structure is None else [
            {"id": s.group.id, "label": s.group.label, "cases": s.cases, "share": _clean(s.share)}
            for s in structure.shares],
        "fields_of_action": [asdict(field) for field in crime.FIELDS_OF_ACTION],
        "notes": notes,
        "method": ("Häufigkeitszahl = Fälle × 100.000 / Einwohner mit exaktem Poisson-Intervall (Garwood); "
                   "Aufklärungsquote mit Clopper-Pearson-Intervall; Trend per Quasi-Poisson-Regression mit "
                   "Bevölkerungs-Offset; Vergleich mit dem Rest des Landkreises bzw. Sachsens als Rate Ratio "
                   "mit exaktem bedingtem Intervall."),
    }
    section["dunkelfeld"] = _dunkelfeld(pks, ags, latest, survey_shares, notes)
    return section, facts


def _dunkelfeld(pks: pd.DataFrame, ags: str, year: int, survey_shares, notes: list[str]) -> dict[str, Any]:
    if not survey_shares:
        return {"available": False, "rows": [], "caveats": list(crime.CAVEATS)}
    victimisation, reporting = survey_shares
    counts = {}
    for offence, mapping in crime.SURVEY_OFFENCE_KEYS.items():
        count = _try(notes, f"Dunkelfeld {offence}", crime.area_count, pks, ags, year, mapping.patterns)
        if count is not None:
            counts[offence] = (count.cases, count.population)
    rows = _try(notes, "Dunkelfeld", crime.perceived_vs_registered, victimisation, reporting, counts) or ()
    return {"available": bool(rows), "pks_year": year, "rows": [asdict(row) for row in rows],
            "caveats": list(crime.CAVEATS)}
