"""Tabellenband sheet of the coded free texts: coded places and categories from the profile (issue 12).

Only what the profile holds: places/categories named by at least 10 respondents, pooled rows (»weitere«,
»nicht zugeordnet«; counts below 10 as ``< 10``), shares of all respondents with intervals, and for places
the when/why shares among those naming them. Never a verbatim answer (the profile has none). Whether a
value is shown is the engine's flag (``analysis.core.flags.classify_count`` for the naming count).
"""

from __future__ import annotations

from collections.abc import Callable

from survey.profile.free_text import FreeTextQuestion
from survey.profile.records import EstimateRecord
from survey.report import tabellenband_layout as lay
from survey.report.lagebericht.profile import ReportProfile, flag_of, shown
from survey.report.tabellenband_local import suppression_rule
from survey.wording import disclosure

COLUMNS = ("Frage", "Ort/Kategorie", "Ortsteil", "Angabe", "Nennungen", "Anteil", "KI unten", "KI oben", "Basis",
           "Hinweis", "Kennung")
PCT = "0.0 %"
PCT_UNRELIABLE = '"("0.0 %")"'


def add_free_text_sheet(wb, rp: ReportProfile, next_name: Callable[[str], str]) -> lay.SheetEntry | None:
    """Add the sheet to ``wb`` if the profile holds coded free texts; returns its contents entry.
    ``next_name(short)`` gives the numbered sheet name."""
    free_text = rp.document.free_text
    if free_text is None or not free_text.coding_table:
        return None
    questions = [q for q in free_text.questions if q.categories]
    if not questions:
        return None
    named = disclosure.threshold(suppression_rule(rp))
    small_n = disclosure.small_n(suppression_rule(rp))
    name = next_name("Freitexte")
    title = f"Kodierte Freitextantworten (Orte und Kategorien mit mindestens {named} Nennungen)"
    ws = lay.start_sheet(wb, name, title, "Nennungen = Befragte, die den Ort bzw. die Kategorie nennen. Anteil = an "
                         "allen Befragten (Wann/Warum: unter denen, die den Ort nennen). Der Wortlaut der Antworten ist "
                         "nicht enthalten.")
    lay.header(ws, COLUMNS)
    row = lay.FIRST_ROW

    def put(q: FreeTextQuestion, place: str, ortsteil: str, detail: str, mentions, record: EstimateRecord) -> None:
        nonlocal row
        flag = flag_of(record)
        for col, value in ((1, q.question or q.item), (2, place), (3, ortsteil or None), (4, detail)):
            ws.cell(row=row, column=col, value=value)
        ws.cell(row=row, column=5, value=small_n if mentions is None else (mentions if mentions != "" else None))
        hidden_base = not shown(record) and record.flag_reason not in disclosure.COUNT_REASONS
        if not shown(record):
            for col, text in ((6, disclosure.SUPPRESSED_SYMBOL), (7, "–"), (8, "–")):
                ws.cell(row=row, column=col, value=text)
        else:
            for col, value in ((6, record.estimate), (7, record.ci_low), (8, record.ci_high)):
                cell = ws.cell(row=row, column=col, value=value)
                cell.number_format = PCT_UNRELIABLE if flag == "unreliable" else PCT
        ws.cell(row=row, column=9, value=small_n if hidden_base else record.n)
        note = {"suppressed": disclosure.suppressed_note() if hidden_base else
                f"nicht ausgewiesen: weniger als {named} Nennungen",
                "unreliable": "eingeschränkt belastbar"}.get(flag)
        ws.cell(row=row, column=10, value=note)
        ws.cell(row=row, column=11, value=q.item)
        row += 1

    for q in questions:
        for c in q.categories:
            ortsteil = c.ortsteil_label or ""
            put(q, c.name, ortsteil, "Anteil an allen Befragten", c.mentions, c.share)
            for record in c.time:
                put(q, c.name, ortsteil, f"Wann: {record.label}", "", record)
            for record in c.reasons:
                put(q, c.name, ortsteil, f"Warum: {record.label}", "", record)
        for pool in (q.other, q.uncoded):
            put(q, pool.label, "", "Anteil an allen Befragten", pool.mentions, pool.share)
    lay.separate_blocks(ws, 2, len(COLUMNS))
    lay.finish_sheet(ws, len(COLUMNS), fixed={1: 40, 2: 36, 4: 36, 10: 44}, printed=len(COLUMNS) - 1,
                     numeric=(5, 6, 7, 8, 9))
    return lay.SheetEntry(name, title, "genannte Orte (Angsträume) und Kategorien",
                          sum(len(q.categories) for q in questions))
