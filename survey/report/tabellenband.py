"""Tabellenband (tabellenband.xlsx): every item's weighted distribution with confidence intervals and
unweighted n, overall and by Geschlecht, Altersgruppe and Ortsteil; all indicators; built only from
the profile.

Sheets: ``Inhalt`` (contents with links), ``Hinweise`` (symbols and methods), ``Indikatoren`` (all
indicators overall and by group), then one sheet per questionnaire section. Shares are numbers with
the number format ``0.0%`` (Excel shows ``42,8 %`` in a German locale); a suppressed cell (fewer than
10 respondents) holds the text ``/`` and its n is shown as ``< 10``; unreliable values are shown in
parentheses via the number format and marked in the note column.
"""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from survey.report.lagebericht.profile import ReportProfile, flag_of, shown
from survey.safe_cells import save_workbook
from survey.wording import methods as wm
from survey.report.tabellenband_places import add_free_text_sheet
from survey.report.tabellenband_local import add_local_sheets

PCT = "0.0%"
PCT_UNRELIABLE = '"("0.0%")"'
MEAN = "0.00"
MEAN_UNRELIABLE = '"("0.00")"'
INT = "#,##0"
SUPPRESSED = "/"
SMALL_N = "< 10"
NOTE_SUPPRESSED = "nicht ausgewiesen: weniger als 10 Antworten"
NOTE_UNRELIABLE = "eingeschränkt belastbar"
HEADER_FILL = PatternFill("solid", fgColor="E6F1F8")
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13, color="0072B2")
ITEM_FONT = Font(bold=True, color="0072B2")
BY_LABELS = {None: "Insgesamt", "geschlecht": "Geschlecht", "altersgruppe": "Altersgruppe", "ortsteil": "Ortsteil"}
BYS = (None, "geschlecht", "altersgruppe", "ortsteil")

SYMBOLS = (
    ("/", "Nicht ausgewiesen: Der Wert beruht auf weniger als 10 Antworten (Schutz der Befragten, zu unsicher)."),
    ("( )", "Eingeschränkt belastbar: 10 bis 29 Antworten oder sehr breites Konfidenzintervall."),
    ("< 10", "Ungewichtete Fallzahl unter 10 (genaue Zahl wird nicht genannt)."),
    ("–", "Kein Wert vorhanden (z. B. kein Konfidenzintervall für fehlende Antworten)."),
    ("Anteil", "Gewichteter Anteil an den gültigen Antworten (fehlende Antworten: Anteil an allen Befragten)."),
    ("KI unten / KI oben", "Grenzen des 95-%-Konfidenzintervalls."),
    ("n", "Ungewichtete Zahl der Befragten mit dieser Antwort bzw. mit gültiger Antwort."),
)


def _sheet_name(title: str, used: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", "-", title).strip()[:28] or "Abschnitt"
    base, k = name, 2
    while name in used:
        name, k = f"{base[:25]} {k}", k + 1
    used.add(name)
    return name


def _header(ws, row: int, columns: tuple[str, ...]) -> None:
    for col, text in enumerate(columns, start=1):
        cell = ws.cell(row=row, column=col, value=text)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _put_value(ws, row: int, col: int, value, fmt_ok: str, fmt_unreliable: str, flag) -> None:
    cell = ws.cell(row=row, column=col, value=value)
    cell.number_format = fmt_unreliable if flag == "unreliable" else fmt_ok


def _note(flag) -> str:
    return {"suppressed": NOTE_SUPPRESSED, "unreliable": NOTE_UNRELIABLE}.get(flag, "")


ITEM_COLUMNS = ("Merkmal", "Gruppe", "Antwort", "Anteil", "KI unten", "KI oben", "n", "Hinweis")


def _item_block(ws, row: int, rp: ReportProfile, item: dict) -> int:
    ws.cell(row=row, column=1, value=f"{item['item']}: {item['label']}").font = ITEM_FONT
    if item["question"] != item["label"]:
        row += 1
        ws.cell(row=row, column=1, value=item["question"]).font = Font(italic=True)
    row += 1
    _header(ws, row, ITEM_COLUMNS)
    row += 1
    for by in BYS:
        for d in rp.distributions(item["item"], by):
            flag = flag_of(d) if d["n_valid"] >= 10 else "suppressed"
            group = d["group_label"] or "insgesamt"
            for c in d["categories"]:
                ws.cell(row=row, column=1, value=BY_LABELS.get(by, by))
                ws.cell(row=row, column=2, value=group)
                ws.cell(row=row, column=3, value=c["label"] + (" (fehlend)" if c["missing"] else ""))
                if flag == "suppressed" or c["share"] is None:
                    for col in (4, 5, 6):
                        ws.cell(row=row, column=col, value=SUPPRESSED if col == 4 else "–")
                    ws.cell(row=row, column=7, value=SMALL_N)
                    ws.cell(row=row, column=8, value=NOTE_SUPPRESSED)
                else:
                    _put_value(ws, row, 4, c["share"], PCT, PCT_UNRELIABLE, flag)
                    for col, key in ((5, "ci_low"), (6, "ci_high")):
                        if c[key] is None:
                            ws.cell(row=row, column=col, value="–")
                        else:
                            _put_value(ws, row, col, c[key], PCT, PCT_UNRELIABLE, flag)
                    ws.cell(row=row, column=7, value=c["n"]).number_format = INT
                    ws.cell(row=row, column=8, value=_note(flag))
                row += 1
            ws.cell(row=row, column=1, value=BY_LABELS.get(by, by))
            ws.cell(row=row, column=2, value=group)
            ws.cell(row=row, column=3, value="gültige Antworten (Basis)").font = Font(italic=True)
            if flag == "suppressed":
                ws.cell(row=row, column=7, value=SMALL_N)
            else:
                ws.cell(row=row, column=7, value=d["n_valid"]).number_format = INT
            row += 1
    return row + 1


IND_COLUMNS = ("Indikator", "Bezeichnung", "Merkmal", "Gruppe", "Wert", "KI unten", "KI oben", "n",
               "Designeffekt", "Hinweis")


def _indicator_sheet(ws, rp: ReportProfile) -> None:
    ws.cell(row=1, column=1, value="Indikatoren insgesamt und nach Gruppen").font = TITLE
    _header(ws, 3, IND_COLUMNS)
    row = 4
    for ind in rp.indicators:
        records = [(None, ind)] + [(by, r) for by in BYS[1:] for r in rp.breakdown(ind["id"], by)]
        mean = ind.get("kind") == "mean"
        for by, r in records:
            flag = flag_of(r)
            ws.cell(row=row, column=1, value=ind["id"])
            ws.cell(row=row, column=2, value=ind["label"])
            ws.cell(row=row, column=3, value=BY_LABELS.get(by, by))
            ws.cell(row=row, column=4, value=r.get("group_label") or "insgesamt")
            if not shown(r):
                ws.cell(row=row, column=5, value=SUPPRESSED)
                ws.cell(row=row, column=6, value="–")
                ws.cell(row=row, column=7, value="–")
                ws.cell(row=row, column=8, value=SMALL_N if (r.get("n") or 0) < 10 else r.get("n"))
                ws.cell(row=row, column=10, value=NOTE_SUPPRESSED)
            else:
                ok, bad = (MEAN, MEAN_UNRELIABLE) if mean else (PCT, PCT_UNRELIABLE)
                for col, key in ((5, "estimate"), (6, "ci_low"), (7, "ci_high")):
                    _put_value(ws, row, col, r.get(key), ok, bad, flag)
                ws.cell(row=row, column=8, value=r.get("n")).number_format = INT
                if r.get("deff") is not None:
                    ws.cell(row=row, column=9, value=r["deff"]).number_format = "0.00"
                ws.cell(row=row, column=10, value=_note(flag))
            row += 1
    _widths(ws, (26, 48, 14, 18, 10, 10, 10, 8, 12, 40))
    ws.freeze_panes = "A4"
    ws.auto_filter.ref = f"A3:{get_column_letter(len(IND_COLUMNS))}{row - 1}"


def _widths(ws, widths) -> None:
    for k, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(k)].width = w


def build_workbook(rp: ReportProfile) -> Workbook:
    wb = Workbook()
    contents = wb.active
    contents.title = "Inhalt"
    notes = wb.create_sheet("Hinweise")
    indicators = wb.create_sheet("Indikatoren")
    _indicator_sheet(indicators, rp)
    free_text = add_free_text_sheet(wb, rp, header=_header, put_value=_put_value, widths=_widths, pct=PCT,
                                    pct_unreliable=PCT_UNRELIABLE, suppressed=SUPPRESSED, small_n=SMALL_N,
                                    note=_note)  # issue 12
    local_sheets = add_local_sheets(wb, rp, header=_header, put_value=_put_value, widths=_widths, pct=PCT,
                                    pct_unreliable=PCT_UNRELIABLE, suppressed=SUPPRESSED, small_n=SMALL_N)  # issue 12
    sections: dict[str, list[dict]] = {}
    for d in rp.overall_items():
        sections.setdefault(d["section"], []).append(d)
    used = {"Inhalt", "Hinweise", "Indikatoren", *([free_text[0]] if free_text else []), *(e[0] for e in local_sheets)}
    sheets = []
    for title, items in sections.items():
        ws = wb.create_sheet(_sheet_name(title, used))
        ws.cell(row=1, column=1, value=title).font = TITLE
        row = 3
        for item in items:
            row = _item_block(ws, row, rp, item)
        _widths(ws, (16, 22, 44, 10, 10, 10, 8, 40))
        sheets.append((ws.title, title, len(items)))
    contents.cell(row=1, column=1, value=f"Tabellenband Sicherheitsanalyse {rp.commune} {rp.wave_label}").font = TITLE
    contents.cell(row=2, column=1, value=f"{rp.net} Befragte; alle Anteile gewichtet, mit 95-%-Konfidenzintervall "
                                         "und ungewichteter Fallzahl n.")
    _header(contents, 4, ("Tabellenblatt", "Inhalt", "Merkmale"))
    entries = [("Hinweise", "Zeichenerklärung und Methode", None),
               ("Indikatoren", "Alle Indikatoren insgesamt und nach Geschlecht, Altersgruppe, Ortsteil", len(rp.indicators))]
    entries += ([free_text] if free_text else []) + local_sheets + sheets
    for k, (name, text, count) in enumerate(entries, start=5):
        cell = contents.cell(row=k, column=1, value=name)
        cell.hyperlink = f"#'{name}'!A1"
        cell.font = Font(color="0072B2", underline="single")
        contents.cell(row=k, column=2, value=text)
        if count is not None:
            contents.cell(row=k, column=3, value=count)
    _widths(contents, (34, 70, 10))
    notes.cell(row=1, column=1, value="Zeichenerklärung").font = TITLE
    _header(notes, 3, ("Zeichen", "Bedeutung"))
    for k, (sym, text) in enumerate(SYMBOLS, start=4):
        notes.cell(row=k, column=1, value=sym)
        notes.cell(row=k, column=2, value=text)
    methods = rp.data.get("methods", {})
    k = 4 + len(SYMBOLS) + 1
    notes.cell(row=k, column=1, value="Methode").font = BOLD
    for text in (wm.suppression_rules(methods.get("suppression")), wm.method_text("variance", methods.get("variance")),
                 *wm.NOTES,
                 "Fehlende Antworten (weiß nicht, keine Angabe, keine Antwort) werden gezählt, gehen aber nicht "
                 "in die Anteile der gültigen Antworten ein. Freitexte sind nur kodiert (zusammengefasst, ab 10 "
                 "Nennungen) enthalten, nie im Wortlaut."):
        if text:
            k += 1
            notes.cell(row=k, column=2, value=text).alignment = Alignment(wrap_text=True)
    _widths(notes, (18, 110))
    return wb


def write_tabellenband(rp: ReportProfile, target: str | Path) -> Path:
    """Write the workbook atomically to ``target``."""
    target = Path(target)
    wb = build_workbook(rp)
    save_workbook(wb, target)  # formula-like texts stay text (survey.safe_cells)
    return target
