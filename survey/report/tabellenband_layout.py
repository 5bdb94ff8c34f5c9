"""Structure of the Tabellenband workbook, the same for every sheet (issue 13): numbered short sheet names
that stay whole words, the full title in A1, a link back to the contents, one header row with frozen
panes below it and right of the label column, an autofilter over the table, column widths from the
content, print titles and landscape pages one page wide; the contents sheet with links; the document
properties from the profile (no clock, so the file's properties are reproducible).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink

from survey.wording import tables as wt

MAX_SHEET_NAME = 31  # Excel's limit
HEADER_ROW = 4  # row 1 title, row 2 link back to the contents, row 3 a note, row 4 the column headers
FIRST_ROW = HEADER_ROW + 1
HEADER_FILL = PatternFill("solid", fgColor="E6F1F8")
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13, color="0072B2")
MIN_WIDTH, MAX_WIDTH = 8, 60
WIDTH_SAMPLE = 400  # rows the column widths are measured on (the rest repeats the same labels)
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_RIGHT = Alignment(horizontal="right")
_INDENT = Alignment(horizontal="left", indent=2, vertical="top")
_HEADER_RIGHT = Alignment(horizontal="right", wrap_text=True, vertical="top")
_HEADER_INDENT = Alignment(horizontal="left", indent=2, wrap_text=True, vertical="top")
_LINE = Border(top=Side(style="thin", color="9DB7C9"))


@dataclass(frozen=True)
class SheetEntry:
    """A line of the contents: sheet name, full title, what it holds, and a count (or None)."""

    name: str
    title: str
    description: str = ""
    count: int | None = None


def short_name(number: int, short: str) -> str:
    """``T03 Sicherheitsgefühl``: the number and as many whole words of ``short`` as fit into 31
    characters (a single word longer than that is the only thing ever cut)."""
    prefix = f"T{number:02d} "
    words = _FORBIDDEN.sub(" ", short).replace("'", " ").split()
    name = prefix.rstrip()
    for word in words:
        if len(name) + 1 + len(word) > MAX_SHEET_NAME:
            break
        name = f"{name} {word}"
    while name.split()[-1] in ("–", "-", "und", "oder", ",", "&") and name != prefix.rstrip():
        name = name.rsplit(" ", 1)[0]
    if name == prefix.rstrip() and words:
        name = f"{prefix}{words[0]}"[:MAX_SHEET_NAME]
    return name


def section_short(section_id: str | None, title: str) -> str:
    """The short name of a questionnaire section: the wording's, else the title up to a dash/bracket."""
    if section_id in wt.SECTION_SHORT:
        return wt.SECTION_SHORT[section_id]
    return re.split(r"\s[–-]\s|\(", title)[0].strip() or title


def header(ws, columns: tuple[str, ...], row: int = HEADER_ROW) -> None:
    for col, text in enumerate(columns, start=1):
        cell = ws.cell(row=row, column=col, value=text)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def link(cell, sheet: str, text: str) -> None:
    """An internal link to A1 of ``sheet`` (a ``location``, not an external target: no relationship part)."""
    cell.value = text
    cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{sheet}'!A1", display=text)
    cell.style = "Hyperlink"


def start_sheet(wb, name: str, title: str, note: str = ""):
    """A new sheet with the full title in A1, the link back to the contents in A2 and ``note`` in A3."""
    ws = wb.create_sheet(name)
    ws.cell(row=1, column=1, value=title).font = TITLE
    link(ws.cell(row=2, column=1), wt.CONTENTS, f"← {wt.BACK_TO_CONTENTS}")
    if note:
        ws.cell(row=3, column=1, value=note).font = Font(italic=True)
    return ws


def finish_sheet(ws, columns: int, *, label_columns: int = 1, fixed: dict[int, float] | None = None,
                 printed: int | None = None, numeric: tuple[int, ...] = ()) -> None:
    """Freeze panes, autofilter, widths, print setup of a sheet whose header is :data:`HEADER_ROW`;
    ``printed``: the number of columns on paper (trailing reference columns left off); ``numeric``: columns
    whose text markers (``/``, ``–``, ``< 10``) are right-aligned like the numbers."""
    last_row = max(ws.max_row, FIRST_ROW)
    numeric_set = set(numeric)
    gap = max(numeric) + 1 if numeric and max(numeric) < columns else None  # the text column after the numbers
    for col in numeric:
        ws.cell(row=HEADER_ROW, column=col).alignment = _HEADER_RIGHT
    if gap:
        ws.cell(row=HEADER_ROW, column=gap).alignment = _HEADER_INDENT
    for (row, col), cell in list(ws._cells.items()):  # existing cells only (iter_rows would create the empty ones)
        if row <= HEADER_ROW or cell.value is None:
            continue
        if col in numeric_set and isinstance(cell.value, str):  # the text markers, right-aligned like numbers
            cell.alignment = _RIGHT
        elif col == gap:
            cell.alignment = _INDENT
    if printed:
        ws.print_area = f"A1:{get_column_letter(printed)}{last_row}"
    ws.freeze_panes = f"{get_column_letter(label_columns + 1)}{FIRST_ROW}"
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(columns)}{last_row}"
    _widths(ws, columns, fixed or {})
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.print_title_cols = f"A:{get_column_letter(label_columns)}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddFooter.center.text = "Seite &P von &N"
    ws.oddHeader.center.text = "&A"


def separate_blocks(ws, column: int, columns: int) -> None:
    """A thin line above each row where the value in ``column`` changes (a new item or indicator)."""
    keys = {row: cell.value for (row, col), cell in ws._cells.items() if col == column and row > HEADER_ROW}
    previous = None
    for row in sorted(keys):
        if previous is not None and keys[row] != previous:
            for col in range(1, columns + 1):
                ws.cell(row=row, column=col).border = _LINE
        previous = keys[row]


def row_heights(ws, column: int, chars_per_line: int, line_height: float = 15.0) -> None:
    """Heights for wrapped long texts in ``column`` (LibreOffice keeps the default height otherwise)."""
    for (cell,) in ws.iter_rows(min_row=FIRST_ROW, max_row=ws.max_row, min_col=column, max_col=column):
        if isinstance(cell.value, str) and len(cell.value) > chars_per_line:
            lines = -(-len(cell.value) // chars_per_line)
            ws.row_dimensions[cell.row].height = line_height * lines


def _widths(ws, columns: int, fixed: dict[int, float]) -> None:
    longest = [0] * (columns + 1)
    for row in ws.iter_rows(min_row=HEADER_ROW, max_row=HEADER_ROW + WIDTH_SAMPLE, max_col=columns, values_only=True):
        for k, value in enumerate(row, start=1):
            if value is not None:
                text = f"{value:.4f}" if isinstance(value, float) else str(value)
                longest[k] = max(longest[k], len(text))
    for k in range(1, columns + 1):
        width = fixed.get(k, min(MAX_WIDTH, max(MIN_WIDTH, longest[k] + 2)))
        ws.column_dimensions[get_column_letter(k)].width = width


def contents_sheet(ws, heading: str, intro: str, entries: list[SheetEntry]) -> None:
    """The contents: Nr. | Tabellenblatt (link) | Titel | Inhalt | Merkmale."""
    ws.cell(row=1, column=1, value=heading).font = TITLE
    ws.cell(row=2, column=1, value=intro)
    header(ws, ("Nr.", "Tabellenblatt", "Titel", "Inhalt", "Anzahl"))
    for k, entry in enumerate(entries, start=FIRST_ROW):
        ws.cell(row=k, column=1, value=k - HEADER_ROW)
        link(ws.cell(row=k, column=2), entry.name, entry.name)
        ws.cell(row=k, column=3, value=entry.title)
        ws.cell(row=k, column=4, value=entry.description or None)
        if entry.count is not None:
            ws.cell(row=k, column=5, value=entry.count)
    finish_sheet(ws, 5, label_columns=2, fixed={1: 6})


def set_properties(wb, *, commune: str, year: str, version: str, created: str | None) -> None:
    """Title, subject, creator, keywords, language and the creation date (the profile's, not the clock)."""
    props = wb.properties
    props.title = f"Tabellenband – {commune} {year}"
    props.subject = f"Sicherheitsanalyse {commune} {year}: gewichtete Ergebnisse der Bürgerbefragung"
    props.creator = f"Sicherheitsanalyse {version}"
    props.lastModifiedBy = props.creator
    props.keywords = f"Sicherheitsanalyse; Bürgerbefragung; Tabellenband; {commune}; {year}"
    props.language = "de-DE"
    props.description = ("Anteile gewichtet, mit 95-%-Konfidenzintervall und ungewichteter Fallzahl; erstellt aus "
                         "profil.json.")
    stamp = _date(created)
    if stamp is not None:
        props.created = stamp
        props.modified = stamp


def _date(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(str(text)).replace(tzinfo=None)
    except ValueError:
        return None
