"""The answer languages in the methods chapter (issue 17): counts under the small-cell rule and, where the
engine provides the ``sprache`` breakdown, core indicators by answer language (a description, no claim)."""

from __future__ import annotations

from survey.report import formatting as fmt
from survey.report.document import Paragraph, Table
from survey.report.lagebericht import sentences as sen
from survey.report.lagebericht.profile import ReportProfile

LANGUAGE_INDICATORS = ("unsicher_nachts", "unsicher_tag", "furcht_index", "opfer_12m_irgendein",
                       "vertrauen_polizei_hoch")


def language_blocks(rp: ReportProfile) -> list:
    """Answer languages (counts; fewer than 10 are not shown) and, where the engine provides the ``sprache``
    breakdown (enough respondents in each language), core indicators by answer language."""
    from analysis.core.flags import MIN_N_RELIABLE
    from survey.languages import LANGUAGES

    counts = rp.document.sample.languages or {}
    if not any(code not in ("de", "unbekannt") for code in counts):
        return []
    def name(code: str) -> str:
        return "ohne Angabe" if code == "unbekannt" else LANGUAGES[code].german_name if code in LANGUAGES else code

    parts = [f"{fmt.integer(n)} auf {name(code)}" if code != "unbekannt" else f"{fmt.integer(n)} ohne Angabe der Sprache"
             for code, n in counts.items() if n is not None]
    hidden = [name(code) for code, n in counts.items() if n is None]
    text = "Der Fragebogen wurde in mehreren Sprachen angeboten. Geantwortet haben " + sen.join_de(parts) + "."
    if hidden:
        text += (f" Für {sen.join_de(hidden)} wird die Zahl nicht ausgewiesen (weniger als 10 Antworten oder "
                 "sonst aus den übrigen Zahlen zu errechnen).")
    text += " Alle Sprachfassungen stellen dieselben Fragen mit denselben Antwortcodes; ausgewertet werden sie gemeinsam."
    blocks: list = [Paragraph(text)]
    variable = next((v for v in rp.breakdown_variables if v.id == "sprache"), None)
    if variable is None:
        return blocks
    groups = [(g.code, g.label) for g in variable.groups]
    rows = []
    for indicator_id in LANGUAGE_INDICATORS:
        record = rp.indicator(indicator_id)
        by_group = {r.group: r for r in rp.breakdown(indicator_id, "sprache")}
        if record is None or not by_group:
            continue
        rows.append((record.label, *(sen.bracketed_value(by_group.get(code)) for code, _ in groups),
                     sen.bracketed_value(record)))
    if rows:
        blocks.append(Table("Ausgewählte Indikatoren nach Antwortsprache",
                            ("Indikator", *(label for _, label in groups), "insgesamt"), tuple(rows),
                            align=("left",) + ("right",) * (len(groups) + 1),
                            note=f"Verglichen werden nur Sprachen mit mindestens {MIN_N_RELIABLE} Befragten. Unterschiede zwischen "
                                 "den Sprachgruppen beschreiben die Befragten, nicht die Ursache; die Gruppen können "
                                 "sich auch in Alter, Wohndauer oder Ortsteil unterscheiden."))
    return blocks
