"""``schaetzen``: every indicator of the questionnaire, overall and by subgroup, for the terminal.

:func:`estimate_records` computes the records (the same fields as ``schaetzen --json``);
:func:`estimate_table_lines` sets them as a German table: one block per indicator, headed by its
German text (with ``ids`` also its id), one line per group with »Geschlecht: weiblich«,
»Altersgruppe: 16–29 Jahre«, »Ortsteil: Stadtmitte« instead of codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from survey.report.formatting import decimal, percent

GROUP_WIDTH = 34
HINTS = {"ok": "", "unsicher": "unsicher", "unterdrueckt": "unterdrückt"}


def legend() -> str:
    """What »unsicher« and »unterdrückt« mean, with the thresholds of :mod:`analysis.core.flags`."""
    from analysis.core.flags import MAX_CI_WIDTH_PROPORTION, MIN_N_RELIABLE, MIN_N_SHOWN

    width = round(100 * MAX_CI_WIDTH_PROPORTION)
    return (f"unsicher: weniger als {MIN_N_RELIABLE} gültige Antworten oder (bei Anteilen) ein Konfidenzintervall "
            f"breiter als {width} Prozentpunkte; unterdrückt: weniger als {MIN_N_SHOWN} gültige Antworten, der "
            "Wert wird nicht ausgewiesen. Die Gründe im Einzelnen zeigt »schaetzen --json« (Feld flag_reason).")


@dataclass(frozen=True)
class Estimates:
    """The records of ``schaetzen --json`` and the names of the breakdowns and their groups."""

    records: list[dict]
    breakdown_names: dict[str, str]  # variable -> »Geschlecht«
    group_names: dict[tuple[str, str], str]  # (variable, group) -> »16–29 Jahre«


def estimate_records(ordner: Path) -> Estimates:
    """All indicators overall, then by geschlecht, altersgruppe and the stratification variable."""
    from analysis.profile.indicators import indicator_records
    from survey.folder import load_folder
    from survey.profile_builder import breakdowns_for
    from survey.weighting_runner import require_variance, weight_folder
    from survey.weighting_summary import age_group_text

    folder = load_folder(ordner)
    sample = weight_folder(folder)
    require_variance(sample, folder)
    breakdowns = breakdowns_for(sample, folder.config.ortsteile)
    overall, grouped, _ = indicator_records(sample.data, sample.design, sample.questionnaire.indicator_specs(),
                                            breakdowns)
    records = [{k: v for k, v in record.__dict__.items() if k not in ("by", "group", "group_label")}
               for record in overall]
    for breakdown in breakdowns:
        records += [dict(record.__dict__) for record in grouped if record.by == breakdown.variable]
    ages = {group.label: age_group_text(group) for group in sample.questionnaire.age_groups}
    group_names = {(b.variable, str(code)): (ages.get(label, label) if b.variable == "altersgruppe" else label)
                   for b in breakdowns for code, label in b.groups}
    return Estimates(records, {b.variable: b.label for b in breakdowns}, group_names)


def _value(record: dict, key: str) -> str:
    if record[key] is None:
        return "–"
    return percent(record[key]) if record["kind"] == "proportion" else decimal(record[key])


def estimate_table_lines(estimates: Estimates, ids: bool = False) -> list[str]:
    """The German table; ``ids`` adds each indicator's id to its heading."""
    blocks: dict[str, list[dict]] = {}
    for record in estimates.records:
        blocks.setdefault(record["id"], []).append(record)
    lines = [f"{'Indikator / Gruppe':<{GROUP_WIDTH}} {'Wert':>9} {'95-%-KI':>19} {'n':>6}  Hinweis"]
    for indicator, records in blocks.items():
        heading = records[0]["label"] + (f"  [{indicator}]" if ids else "")
        lines.append(heading)
        for record in records:
            by = record.get("by")
            if by is None:
                group = "gesamt"
            else:
                name = estimates.group_names.get((by, str(record["group"])), record.get("group_label") or "")
                group = f"{estimates.breakdown_names.get(by, by)}: {name}"
            ci = "–" if record["ci_low"] is None else f"{_value(record, 'ci_low')} – {_value(record, 'ci_high')}"
            lines.append(f"  {group:<{GROUP_WIDTH - 2}} {_value(record, 'estimate'):>9} {ci:>19} {record['n']:>6}  "
                         f"{HINTS[record['flag']]}".rstrip())
    lines.append("")
    lines.append(legend())
    return lines
