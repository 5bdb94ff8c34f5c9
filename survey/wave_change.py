"""Profile block ``change`` (issue 12): every core indicator and the Ortsteil values against the
earlier wave of ``vorwelle:`` (:mod:`survey.waves`), computed by the engine
(:mod:`analysis.profile.change`). Only estimates both profiles publish are compared (a suppressed value on
either side gives an untested finding with note ``suppressed``).

Block: ``previous`` (label, year, file), ``current`` (label, year), ``methods`` (test and the adjustment of
each family), ``findings`` (``Finding.to_dict()``), ``recommendations`` (the earlier wave's
recommendations with their success indicator and whether it moved).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from analysis.findings.types import EffectKind, EstimateRef
from analysis.findings.waves import TEST_CHANGE, change_family
from analysis.profile.change import OVERALL_METHOD, SCREEN_METHOD, Target, recommendation_outcomes, wave_change
from survey.waves import PreviousWave, WaveRecord, polarity_of

SCREEN_BY = "ortsteil"
SUPPRESSED_FLAGS = ("unterdrueckt", "suppressed")  # 1.0 profile code; the engine/2.0 spelling
TARGET_PATTERN = re.compile(r"^\s*(<=|>=|<|>|≤|≥)\s*([0-9]+(?:[.,][0-9]+)?)\s*(%)?\s*$")
TARGET_WORDS = {"sinken": "lower", "senken": "lower", "niedriger": "lower", "steigen": "higher",
                "erhoehen": "higher", "höher": "higher", "hoeher": "higher", "erhöhen": "higher"}


def _ref(role: str, record: dict[str, Any] | WaveRecord) -> EstimateRef:
    get = record.get if isinstance(record, dict) else (lambda name: getattr(record, name))
    suppressed = get("flag") in SUPPRESSED_FLAGS
    return EstimateRef(role=role, subject=get("id"), group=get("group"),
                       value=None if suppressed else get("estimate"), se=None if suppressed else get("se"),
                       ci_low=None if suppressed else get("ci_low"), ci_high=None if suppressed else get("ci_high"),
                       n=get("n"), flag=get("flag"))


def _kind(record: dict[str, Any]) -> EffectKind:
    return EffectKind.DIFFERENCE_PROPORTION if record.get("kind", "proportion") == "proportion" \
        else EffectKind.DIFFERENCE_MEAN


def parse_target(value: Any, indicator: str) -> Target:
    """``"< 25 %"`` → Target(op "<", value 0.25); ``"< 0.25"`` the same; ``"sinken"`` → direction lower.
    ValueError for anything else (the rule loader words it with file and rule id)."""
    text = str(value).strip().lower()
    if text in TARGET_WORDS:
        return Target(indicator, direction=TARGET_WORDS[text])
    match = TARGET_PATTERN.match(text)
    if not match:
        raise ValueError(value)
    op = {"≤": "<=", "≥": ">="}.get(match.group(1), match.group(1))
    number = float(match.group(2).replace(",", "."))
    return Target(indicator, op, number / 100 if match.group(3) else number)


def success_target(rec: dict[str, Any]) -> tuple[Target, str] | None:
    """The success indicator of an earlier recommendation: its ``success_indicator`` (plan field), else
    the indicator its first required evidence refers to (1.0 profiles), else None."""
    plan = rec.get("success_indicator")
    if isinstance(plan, dict) and isinstance(plan.get("indicator"), str):
        target = plan.get("target")
        try:
            parsed = parse_target(target, plan["indicator"]) if target is not None else \
                Target(plan["indicator"], direction=plan.get("direction") if plan.get("direction") in ("lower", "higher")
                       else None)
        except ValueError:
            parsed = Target(plan["indicator"])
        return parsed, "erfolgsindikator"
    for evidence in rec.get("evidence") or ():
        if isinstance(evidence, dict) and evidence.get("source") == "indicator" and evidence.get("required", True) \
                and isinstance(evidence.get("id"), str):  # a subgroup condition: its indicator, commune-wide
            return Target(evidence["id"]), "befund"
    return None


def change_section(document: dict[str, Any], previous: PreviousWave, folder_path: Path | None = None) -> dict[str, Any]:
    """The ``change`` block of the current profile ``document`` against ``previous``."""
    waves = (previous.label, str(document["wave"]["label"]))
    core = [r for r in document["indicators"] if r.get("core")]
    core_ids = {r["id"] for r in core}
    current: dict[tuple, EstimateRef] = {}
    old: dict[tuple, EstimateRef] = {}
    for record in core:
        key = (record["id"], None, None)
        if previous.record(*key) is not None:
            current[key], old[key] = _ref("to", record), _ref("from", previous.record(*key))
    for record in document["breakdowns"]["records"]:
        if record.get("by") != SCREEN_BY or record["id"] not in core_ids or polarity_of(record["id"]) is None:
            continue
        key = (record["id"], SCREEN_BY, str(record["group"]))
        if previous.record(*key) is not None:
            current[key], old[key] = _ref("to", record), _ref("from", previous.record(*key))
    kinds = {r["id"]: _kind(r) for r in core}
    polarity = {i: p for i in core_ids if (p := polarity_of(i)) is not None}
    findings = wave_change(old, current, kinds, polarity, waves)
    targets = [success_target(rec) for rec in previous.recommendations]
    outcomes = recommendation_outcomes(previous.recommendations, targets, findings, current, polarity)
    try:
        shown_path = str(previous.path.relative_to(folder_path)) if folder_path else previous.path.name
    except ValueError:
        shown_path = previous.path.name
    return {
        "previous": {"label": previous.label, "jahr": previous.year, "file": shown_path},
        "current": {"label": waves[1], "jahr": document["wave"]["jahr"]},
        "methods": {"test": TEST_CHANGE, "se": "sqrt_sum_of_squares",
                    "families": [{"id": change_family(*waves), "by": None, "adjustment": OVERALL_METHOD},
                                 {"id": change_family(waves[0], waves[1], SCREEN_BY), "by": SCREEN_BY,
                                  "adjustment": SCREEN_METHOD}]},
        "findings": [f.to_dict() for f in findings],
        "recommendations": outcomes,
    }
