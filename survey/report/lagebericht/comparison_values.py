"""Published comparison values beside the commune's key indicators (issue 12, point 7).

The profile's ``comparison_values`` (from ``survey/comparison_values.yaml``) are shown as published,
with source, year and area; a value the study publishes in the other direction (»sicher« for the
indicator »unsicher«) is set beside the commune's share in that direction (1 − estimate, interval
mirrored). No difference is judged: the table only places the numbers side by side.
"""

from __future__ import annotations

from survey.profile.records import EstimateRecord
from survey.report import formatting as fmt
from survey.report.document import Table
from survey.report.lagebericht.profile import ReportProfile, flag_of, shown


def _commune_value(record: EstimateRecord, presentation: str) -> str:
    if not shown(record):
        return fmt.SUPPRESSED
    estimate, low, high = record.estimate, record.ci_low, record.ci_high
    if presentation == "complement":
        estimate = 1 - estimate
        low, high = (None, None) if low is None or high is None else (1 - high, 1 - low)
    text = fmt.flagged(fmt.percent(estimate), flag_of(record))
    return f"{text} ({fmt.interval(low, high)})" if low is not None and high is not None else text


def comparison_table(rp: ReportProfile) -> Table | None:
    rows = []
    for entry in rp.document.comparison_values:
        record = rp.indicator(entry.indicator)
        if record is None:
            continue
        # a number is a right-aligned, unbreakable cell; a value published only in words goes with the source
        published = fmt.percent(entry.value) if entry.value is not None else fmt.MISSING
        source = f"{entry.source}, {entry.area}, {entry.year}"
        if entry.value is None and entry.value_text:
            source = f"{entry.value_text}; {source}"
        rows.append((entry.label, _commune_value(record, entry.presentation), published, source))
    if not rows:
        return None
    return Table(f"Veröffentlichte Vergleichswerte: {rp.commune} {rp.wave_label} und Studien",
                 ("Anteil", rp.commune, "Vergleichswert", "Quelle, Gebiet, Jahr"),
                 tuple(rows), align=("left", "right", "right", "left"), widths=(2.6, 2.9, 1.7, 2.8),
                 note=f"{rp.commune}: Schätzwert mit {fmt.ci_label(rp.level)} in Klammern. Vergleichswerte nur, wo eine veröffentlichte Studie dieselbe Frage auswertet; Jahr, Gebiet und "
                      "Erhebungsweise unterscheiden sich, die Werte sind daher nur eine Einordnung, kein Test.")
