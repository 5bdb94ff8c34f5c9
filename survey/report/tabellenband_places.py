"""Tabellenband sheet »Freitexte (kodiert)«: coded places and categories from the profile (issue 12).

Only what the profile holds: places/categories named by at least 10 respondents, pooled rows (»weitere«,
»nicht zugeordnet«; counts below 10 as ``< 10``), shares of all respondents with intervals, and for places
the when/why shares among those naming them. Never a verbatim answer (the profile has none).
"""

from __future__ import annotations

from openpyxl.styles import Font

from survey.report.lagebericht import places as pl
from survey.report.lagebericht.profile import ReportProfile, flag_of, shown

SHEET = "Freitexte (kodiert)"
COLUMNS = ("Frage", "Ort/Kategorie", "Ortsteil", "Angabe", "Nennungen", "Anteil", "KI unten", "KI oben", "n",
           "Hinweis")


def add_free_text_sheet(wb, rp: ReportProfile, *, header, put_value, widths, pct: str, pct_unreliable: str,
                        suppressed: str, small_n: str, note) -> tuple[str, str, int] | None:  # noqa: ANN001
    """Add the sheet to ``wb`` if the profile holds coded free texts; returns the contents entry.
    The formatting helpers of :mod:`survey.report.tabellenband` are passed in (one style)."""
    questions = [q for q in pl.questions(rp) if q["categories"]]
    if not pl.coded(rp) or not questions:
        return None
    ws = wb.create_sheet(SHEET)
    ws.cell(row=1, column=1, value="Kodierte Freitextantworten (Orte und Kategorien mit mindestens 10 "
                                   "Nennungen)").font = Font(bold=True, size=13, color="0072B2")
    ws.cell(row=2, column=1, value="Nennungen = Befragte, die den Ort bzw. die Kategorie nennen. Anteil = an allen "
                                   "Befragten (Wann/Warum: unter denen, die den Ort nennen). Der Wortlaut der "
                                   "Antworten ist nicht enthalten.")
    header(ws, 4, COLUMNS)
    row = 5

    def put(question: str, name: str, ortsteil: str, detail: str, mentions, record: dict) -> None:  # noqa: ANN001
        nonlocal row
        flag = flag_of(record)
        for col, value in ((1, question), (2, name), (3, ortsteil), (4, detail)):
            ws.cell(row=row, column=col, value=value)
        ws.cell(row=row, column=5, value=small_n if mentions is None else (mentions if mentions != "" else None))
        if not shown(record):
            ws.cell(row=row, column=6, value=suppressed)
            ws.cell(row=row, column=7, value="–")
            ws.cell(row=row, column=8, value="–")
            ws.cell(row=row, column=9, value=small_n)
        else:
            for col, key in ((6, "estimate"), (7, "ci_low"), (8, "ci_high")):
                put_value(ws, row, col, record.get(key), pct, pct_unreliable, flag)
            ws.cell(row=row, column=9, value=record.get("n"))
        ws.cell(row=row, column=10, value=note(flag))
        row += 1

    for q in questions:
        item = q["item"]
        for c in q["categories"]:
            ortsteil = c.get("ortsteil_label") or ""
            put(item, c["name"], ortsteil, "Anteil an allen Befragten", c["mentions"], c["share"])
            for record in c.get("time") or ():
                put(item, c["name"], ortsteil, f"Wann: {record['label']}", "", record)
            for record in c.get("reasons") or ():
                put(item, c["name"], ortsteil, f"Warum: {record['label']}", "", record)
        for pool in (q["other"], q["uncoded"]):
            put(item, pool["label"], "", "Anteil an allen Befragten", pool["mentions"], pool["share"])
        row += 1
    widths(ws, (20, 36, 16, 40, 11, 10, 10, 10, 8, 40))
    ws.freeze_panes = "A5"
    return SHEET, "Kodierte Freitexte: genannte Orte (Angsträume) und Kategorien, mindestens 10 Nennungen", \
        sum(len(q["categories"]) for q in questions)
