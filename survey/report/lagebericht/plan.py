"""The recommendations as a plan a council can act on (issue 12, point 6).

The profile's recommendations are in the engine's order (priority, then rule order); this module keeps
that order and words the plan fields of the rule file (``responsible``, ``timeframe``, ``effort``,
``success_indicator``): one plan table at the head of the chapter »Handlungsempfehlungen« and one plan
line in each recommendation's section, above its evidence table.
"""

from __future__ import annotations

import dataclasses
import re

from survey.profile.results import Recommendation
from survey.report import formatting as fmt
from survey.report.document import Paragraph, Section, Table
from survey.report.lagebericht.profile import ReportProfile

EFFORT_WORDS = {"gering": "gering", "mittel": "mittel", "hoch": "hoch"}
DIRECTION_WORDS = {"lower": "soll sinken", "higher": "soll steigen"}
NOT_SET = "–"


def success_text(rp: ReportProfile, rec: Recommendation) -> str:
    success = rec.success_indicator
    if success is None:
        return "kein Erfolgsindikator festgelegt"
    record = rp.indicator(success.indicator)
    label = record.label if record is not None else success.indicator
    if success.target:
        target = re.sub(r"\s*%", fmt.NBSP + "%", success.target.strip()).replace(".", ",")
        return f"{label} (Ziel: {target})"  # in parentheses: labels may hold a colon (»Opfer …: Betrug«)
    direction = DIRECTION_WORDS.get(success.direction)
    return f"{label} ({direction})" if direction else label


def has_plan(rec: Recommendation) -> bool:
    return bool(rec.responsible or rec.timeframe or rec.effort or rec.success_indicator is not None)


def plan_table(rp: ReportProfile) -> Table | None:
    recs = rp.document.recommendations
    if not recs or not any(has_plan(r) for r in recs):
        return None
    rows = tuple((f"{k} ({rec.priority})", rec.title, ", ".join(rec.responsible) or NOT_SET,
                  rec.timeframe or NOT_SET, EFFORT_WORDS.get(rec.effort, NOT_SET), success_text(rp, rec))
                 for k, rec in enumerate(recs, start=1))
    return Table("Maßnahmenplan: Empfehlungen nach Priorität",
                 ("Priorität", "Maßnahme", "Zuständigkeit", "Zeitrahmen", "Aufwand", "Erfolgsindikator"), rows,
                 align=("left",) * 6, widths=(1.4, 2.5, 2.0, 1.6, 1.2, 2.5),
                 note="Reihenfolge nach der Priorität der Regel (alle sind durch Befunde belegt, siehe die Tabellen unten); Zuständigkeit, Zeitrahmen, Aufwand "
                      "und Erfolgsindikator stammen aus der Regeldatei und sollten im Gremium bestätigt werden. Der "
                      "Erfolgsindikator wird in der nächsten Befragung geprüft (Kapitel »Veränderungen«).")


def plan_line(rp: ReportProfile, rec: Recommendation) -> Paragraph | None:
    if not has_plan(rec):
        return None
    parts = [f"Zuständig: {', '.join(rec.responsible) or 'noch festzulegen'}"]
    if rec.timeframe:
        parts.append(f"Zeitrahmen: {rec.timeframe}")
    if rec.effort:
        parts.append(f"Aufwand: {EFFORT_WORDS.get(rec.effort, rec.effort)}")
    parts.append(f"Erfolgsindikator: {success_text(rp, rec)}")
    return Paragraph("; ".join(parts) + ".")


def add_plan(section: Section, rp: ReportProfile) -> Section:
    """The chapter »Handlungsempfehlungen« with the plan table after its introduction and a plan line in
    each recommendation's section (after its first paragraph)."""
    recs = {rec.title: rec for rec in rp.document.recommendations}
    table = plan_table(rp)
    if table is not None and table in section.blocks:
        return section
    blocks, placed = [], table is None
    for block in section.blocks:
        if isinstance(block, Section) and block.heading in recs:
            if not placed:
                blocks.append(table)
                placed = True
            line = plan_line(rp, recs[block.heading])
            if line is not None:
                inner = list(block.blocks)
                inner.insert(1 if inner else 0, line)
                block = dataclasses.replace(block, blocks=tuple(inner))
        blocks.append(block)
    if not placed:
        blocks.append(table)
    return dataclasses.replace(section, blocks=tuple(blocks))
