"""Writing the coding table (see :mod:`survey.freetext.table` for the format): XLSX byte-for-byte
reproducible (fixed document dates and zip timestamps), CSV in UTF-8 with BOM and ``;`` (as German Excel
expects), both with the personal-data warning first."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

from survey.atomic import atomic_path, atomic_write
from survey.freetext.table import (
    CATEGORY, CATEGORY_COLUMNS, COACH_COLUMNS, COLUMNS, COUNT, INSTRUCTION, KEY, LAT, LON, NEW, NEW_MARK, NOTE,
    ORTSTEIL, PROPOSAL, QUESTION, QUESTION_ID_LABEL, SPELLINGS, WARNING, CodingTable,
)

SPELLINGS_LIMIT = 1000
FIXED_TIME = (2000, 1, 1, 0, 0, 0)

def _number_text(value: float | None) -> str:
    return "" if value is None else f"{value:.6f}".rstrip("0").rstrip(".").replace(".", ",")


def write_csv(table: CodingTable, target: Path) -> Path:
    with atomic_write(target, encoding="utf-8-sig") as stream:
        stream.write(f"# {WARNING}\n")
        writer = csv.writer(stream, delimiter=";", lineterminator="\n")
        writer.writerow((QUESTION, *COLUMNS))
        for sheet in table.sheets:
            for r in sheet.rows:
                writer.writerow((sheet.item, r.key, r.spellings, r.count, r.proposal, r.category, r.ortsteil,
                                 _number_text(r.lat), _number_text(r.lon), NEW_MARK if r.new else "", r.note))
    return target


def write_xlsx(table: CodingTable, target: Path) -> Path:
    """Write the workbook; byte-for-byte reproducible (fixed document dates and zip timestamps)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from survey.safe_cells import protect_workbook

    red = PatternFill("solid", fgColor="B00020")
    green = PatternFill("solid", fgColor="DFF2E1")
    grey = PatternFill("solid", fgColor="EEEEEE")
    banner = Font(bold=True, color="FFFFFF", size=12)
    wrap = Alignment(wrap_text=True, vertical="top")
    wb = Workbook()
    notes = wb.active
    notes.title = "Hinweise"
    notes["A1"] = WARNING
    notes["A1"].font, notes["A1"].fill, notes["A1"].alignment = banner, red, wrap
    notes.row_dimensions[1].height = 64
    for k, text in enumerate(_HELP, start=3):
        notes.cell(row=k, column=1, value=text).alignment = wrap
    notes.column_dimensions["A"].width = 120
    for sheet in table.sheets:
        ws = wb.create_sheet(_sheet_title(sheet.item, wb.sheetnames))
        columns = COLUMNS if sheet.places else CATEGORY_COLUMNS
        ws.cell(row=1, column=1, value=WARNING)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
        ws["A1"].font, ws["A1"].fill, ws["A1"].alignment = banner, red, wrap
        ws.row_dimensions[1].height = 48
        ws.cell(row=2, column=1, value=QUESTION_ID_LABEL).font = Font(bold=True)
        ws.cell(row=2, column=2, value=sheet.item)
        ws.cell(row=3, column=1, value=QUESTION).font = Font(bold=True)
        ws.cell(row=3, column=2, value=sheet.question)
        ws.cell(row=4, column=1, value=INSTRUCTION if sheet.places else INSTRUCTION.split(", »Ortsteil«")[0]
                + ".").font = Font(italic=True)
        for col, name in enumerate(columns, start=1):
            cell = ws.cell(row=5, column=col, value=name)
            cell.font = Font(bold=True)
            cell.fill = green if name in COACH_COLUMNS else grey
            cell.alignment = wrap
        for line, r in enumerate(sheet.rows, start=6):
            values = {KEY: r.key, SPELLINGS: r.spellings, COUNT: r.count, PROPOSAL: r.proposal,
                      CATEGORY: r.category, ORTSTEIL: int(r.ortsteil) if r.ortsteil.isdigit() else r.ortsteil,
                      LAT: r.lat, LON: r.lon, NEW: NEW_MARK if r.new else None, NOTE: r.note or None}
            for col, name in enumerate(columns, start=1):
                value = values[name]
                ws.cell(row=line, column=col, value=value if value != "" else None)
        widths = {KEY: 34, SPELLINGS: 50, COUNT: 8, PROPOSAL: 30, CATEGORY: 30, ORTSTEIL: 14, LAT: 11,
                  LON: 11, NEW: 6, NOTE: 28}
        for col, name in enumerate(columns, start=1):
            ws.column_dimensions[get_column_letter(col)].width = widths[name]
        ws.freeze_panes = "A6"
        ws.page_setup.orientation = "landscape"  # printable: one page wide
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        if sheet.rows:
            ws.auto_filter.ref = f"A5:{get_column_letter(len(columns))}{5 + len(sheet.rows)}"
    wb.properties.creator = "sicherheitsanalyse freitexte"
    wb.properties.created = wb.properties.modified = dt.datetime(*FIXED_TIME)
    protect_workbook(wb)  # verbatim answers such as »=HYPERLINK(…)« stay text (survey.safe_cells)
    raw = io.BytesIO()
    wb.save(raw)
    with atomic_path(target) as temp, zipfile.ZipFile(io.BytesIO(raw.getvalue())) as source, \
            zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z", content)
            out.writestr(fixed, content)
    return target


def _sheet_title(item: str, used: Sequence[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", "-", item)[:31]
    base, k = name, 2
    while name in used:
        name, k = f"{base[:28]}-{k}", k + 1
    return name


_HELP = (
    "Was diese Datei ist: Für jede Freitextfrage ein Blatt mit allen verschiedenen Nennungen der Befragten "
    "(vereinheitlicht: Groß-/Kleinschreibung, Umlaute, »Str.«/»Straße«, »am«/»an der« und Satzzeichen spielen "
    "keine Rolle) und der Zahl der Befragten, die sie genannt haben.",
    "»Vorschlag« fasst ähnliche Schreibweisen automatisch zusammen (z. B. »Bahnhofsunterführung« und "
    "»Unterf. Bahnhof« zu »Unterführung am Bahnhof«). »Ort/Kategorie« ist mit dem Vorschlag vorausgefüllt: "
    "übernehmen, ändern oder leeren. Alle Zeilen mit demselben Namen zählen als ein Ort bzw. eine Kategorie.",
    "»-« in »Ort/Kategorie« heißt: kein Ort bzw. keine Kategorie (z. B. »weiß nicht«); die Nennung zählt dann "
    "nicht als »nicht zugeordnet«. Leer heißt: noch nicht zugeordnet.",
    "Für Orte: »Ortsteil« (Code oder Name wie in analyse.yaml) und, falls bekannt, »Breite« und »Länge« in "
    "Dezimalgrad (WGS84, z. B. aus einem Online-Kartendienst: Breite 51,1234, Länge 13,5678). Es genügt, die "
    "Angaben in einer Zeile des Ortes einzutragen.",
    "Nach dem Bearbeiten speichern (als .xlsx) und »sicherheitsanalyse analysieren« ausführen. Im Bericht "
    "erscheinen nur Orte und Kategorien mit mindestens 10 Nennungen, nie der Wortlaut einer Antwort.",
    "Neue Antworten: »sicherheitsanalyse freitexte« erneut ausführen. Ihre Einträge bleiben erhalten; neue "
    "Nennungen werden unten angehängt und in »Neu« markiert.",
)


def spelling_text(spellings: Sequence[tuple[str, int]]) -> str:
    """``Unterführung am Bahnhof (5) | unterführung bahnhof (1)``, cut at :data:`SPELLINGS_LIMIT` characters."""
    text = " | ".join(f"{s} ({n})" for s, n in spellings)
    return text if len(text) <= SPELLINGS_LIMIT else text[:SPELLINGS_LIMIT - 1] + "…"
