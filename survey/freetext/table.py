"""The coach's coding table of free-text mentions: ``DIR/freitexte/kodierung.xlsx`` (or ``.csv``).

XLSX (written by ``sicherheitsanalyse freitexte``): a sheet ``Hinweise`` (personal-data warning, how to
code), then one sheet per free-text question. Each question sheet starts with the warning banner, the
question id (``Frage-ID``) and text, a short instruction, then the header row (:data:`COLUMNS`) and one
row per distinct normalised mention. CSV (read if the coach prefers it): one table with the extra first
column ``Frage`` (question id), ``;`` or ``,`` separated, UTF-8 or Windows-1252; lines before the header
(e.g. the warning line) are skipped.

Only one of the two files may exist (both → a German error: which one counts would be a guess).

Columns the program fills: ``Nennung (vereinheitlicht)`` (the key; must not be edited), ``Schreibweisen``
(the verbatim spellings with their counts), ``Anzahl`` (respondents), ``Vorschlag`` (automatic
grouping), ``Neu``, ``Hinweis``. Columns the coach fills: ``Ort/Kategorie`` (accepted name; empty = not
yet coded, ``-`` = not a place/category, e.g. »weiß nicht«), for place questions also ``Ortsteil`` (code
or name from analyse.yaml) and ``Breite``/``Länge`` (WGS84, decimal degrees). Every problem is a German
:class:`CodingTableError` naming file, sheet, row and value.
"""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from survey.errors import InputFileError
from survey.freetext.normalise import mention_key

TABLE_DIR = "freitexte"
XLSX_NAME = "kodierung.xlsx"
CSV_NAME = "kodierung.csv"
MAX_BYTES = 20_000_000
MAX_ROWS = 200_000
IGNORE = "-"

KEY = "Nennung (vereinheitlicht)"
SPELLINGS = "Schreibweisen"
COUNT = "Anzahl"
PROPOSAL = "Vorschlag"
CATEGORY = "Ort/Kategorie"
ORTSTEIL = "Ortsteil"
LAT = "Breite"
LON = "Länge"
NEW = "Neu"
NOTE = "Hinweis"
QUESTION = "Frage"
COLUMNS = (KEY, SPELLINGS, COUNT, PROPOSAL, CATEGORY, ORTSTEIL, LAT, LON, NEW, NOTE)
CATEGORY_COLUMNS = (KEY, SPELLINGS, COUNT, PROPOSAL, CATEGORY, NEW, NOTE)
COACH_COLUMNS = (CATEGORY, ORTSTEIL, LAT, LON)
QUESTION_ID_LABEL = "Frage-ID"
NEW_MARK = "neu"
STALE_NOTE = "kommt in den Antworten nicht mehr vor"
WARNING = ("VERTRAULICH – personenbezogene Daten: Diese Datei enthält wörtliche Antworten der Befragten. "
           "Sie ist nur für die Kodierung durch die Koordination bestimmt, darf nicht weitergegeben oder "
           "veröffentlicht werden und ist nach Abschluss der Analyse zu löschen.")
INSTRUCTION = ("Bitte nur die grünen Spalten bearbeiten: »Ort/Kategorie« (Name übernehmen oder ändern; leer = "
               "nicht zugeordnet, »-« = kein Ort bzw. keine Kategorie), »Ortsteil« (Code oder Name) und "
               "»Breite«/»Länge« (WGS84, z. B. 51,1234 und 13,5678). Gleicher Name = gleicher Ort.")


class CodingTableError(InputFileError):
    """The coding table cannot be read or holds an invalid value."""


@dataclass(frozen=True)
class CodingRow:
    """One mention row. ``line`` is the sheet row / file line it was read from (0 = new)."""

    key: str
    spellings: str = ""
    count: int = 0
    proposal: str = ""
    category: str = ""
    ortsteil: str = ""
    lat: float | None = None
    lon: float | None = None
    new: bool = False
    note: str = ""
    line: int = 0

    @property
    def coded(self) -> bool:
        return bool(self.category) and self.category != IGNORE


@dataclass(frozen=True)
class QuestionSheet:
    """The rows of one free-text question (``places``: with Ortsteil and coordinates)."""

    item: str
    question: str
    places: bool
    rows: tuple[CodingRow, ...]
    sheet: str = ""


@dataclass(frozen=True)
class CodingTable:
    path: Path | None
    sheets: tuple[QuestionSheet, ...] = ()

    def sheet(self, item: str) -> QuestionSheet | None:
        return next((s for s in self.sheets if s.item == item), None)


def table_paths(folder: Path) -> tuple[Path, Path]:
    return folder / TABLE_DIR / XLSX_NAME, folder / TABLE_DIR / CSV_NAME


def find_table(folder: Path) -> Path | None:
    """The coding table of the folder (XLSX or CSV), None if there is none; both → error."""
    xlsx, csv_path = table_paths(folder)
    if xlsx.exists() and csv_path.exists():
        raise CodingTableError(
            f"Im Ordner {xlsx.parent} liegen {XLSX_NAME} und {CSV_NAME}. Bitte nur eine der beiden Dateien "
            "behalten (die andere löschen oder umbenennen), damit eindeutig ist, welche Kodierung gilt.",
            path=xlsx.parent)
    return xlsx if xlsx.exists() else csv_path if csv_path.exists() else None


# ----------------------------------------------------------------------------------------- reading


@dataclass
class _Context:
    path: Path
    sheet: str | None
    ortsteile: Mapping[int, str]

    def error(self, line: int | None, message: str) -> CodingTableError:
        where = f"Blatt »{self.sheet}«, " if self.sheet else ""
        where += f"Zeile {line}: " if line else ""
        return CodingTableError(where + message, path=self.path)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return re.sub(r"\s+", " ", str(value)).strip()


def _coordinate(ctx: _Context, line: int, column: str, value: object, limit: float) -> float | None:
    text = _text(value)
    if not text:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    else:
        cleaned = text.replace("°", "").replace(" ", "")
        if re.fullmatch(r"[+-−]?\d+(,\d+)?", cleaned):
            cleaned = cleaned.replace(",", ".")
        cleaned = cleaned.replace("−", "-")
        try:
            number = float(cleaned)
        except ValueError:
            raise ctx.error(line, f"Spalte »{column}«: »{text}« ist keine Zahl (Dezimalgrad, z. B. 51,1234).") from None
    if not math.isfinite(number) or abs(number) > limit:
        raise ctx.error(line, f"Spalte »{column}«: {text} liegt nicht zwischen −{limit:g} und {limit:g} Grad "
                              "(WGS84-Dezimalgrad erwartet).")
    return number


def resolve_ortsteil(value: str, ortsteile: Mapping[int, str]) -> str | None:
    """The Ortsteil code (as text) for a code or name written by the coach; None if unknown."""
    text = _text(value)
    if not text:
        return ""
    if re.fullmatch(r"\d+", text) and int(text) in ortsteile:
        return str(int(text))
    for code, name in ortsteile.items():
        if name.casefold() == text.casefold():
            return str(code)
    return None


def _row(ctx: _Context, line: int, cells: Mapping[str, object], places: bool) -> CodingRow:
    raw_key = _text(cells.get(KEY))
    key = mention_key(raw_key)
    if not raw_key:
        raise ctx.error(line, f"Spalte »{KEY}« ist leer; Zeilen ohne Nennung bitte löschen.")
    if raw_key != key:
        raise ctx.error(line, f"Spalte »{KEY}« wurde verändert (»{raw_key}«). Diese Spalte verbindet die Zeile "
                              "mit den Antworten; bitte nur »Ort/Kategorie«, »Ortsteil«, »Breite« und »Länge« "
                              "bearbeiten.")
    count_text = _text(cells.get(COUNT))
    count = int(float(count_text)) if re.fullmatch(r"\d+(\.0+)?", count_text) else 0
    category = _text(cells.get(CATEGORY))
    ortsteil, lat, lon = "", None, None
    if places:
        ortsteil_text = _text(cells.get(ORTSTEIL))
        code = resolve_ortsteil(ortsteil_text, ctx.ortsteile)
        if code is None:
            known = ", ".join(f"{c} {n}" for c, n in ctx.ortsteile.items()) or "keine in analyse.yaml"
            raise ctx.error(line, f"Spalte »{ORTSTEIL}«: »{ortsteil_text}« ist weder Code noch Name eines "
                                  f"Ortsteils (bekannt: {known}).")
        ortsteil = code
        lat = _coordinate(ctx, line, LAT, cells.get(LAT), 90)
        lon = _coordinate(ctx, line, LON, cells.get(LON), 180)
        if (lat is None) != (lon is None):
            missing = LON if lon is None else LAT
            raise ctx.error(line, f"Spalte »{missing}« fehlt: Koordinaten bitte immer als Paar aus Breite und "
                                  "Länge angeben (oder beide leer lassen).")
    return CodingRow(key=key, spellings=_text(cells.get(SPELLINGS)), count=count,
                     proposal=_text(cells.get(PROPOSAL)), category=category, ortsteil=ortsteil, lat=lat, lon=lon,
                     new=_text(cells.get(NEW)).lower() == NEW_MARK, note=_text(cells.get(NOTE)), line=line)


@dataclass(frozen=True)
class CategoryInfo:
    """A coded place/category: the coach's name (first spelling), Ortsteil code, position, rows."""

    name: str
    ortsteil: str = ""
    lat: float | None = None
    lon: float | None = None
    keys: tuple[str, ...] = ()


def categories_of(rows: Sequence[CodingRow], ctx: _Context | None = None) -> dict[str, CategoryInfo]:
    """Categories by case-folded name. A category has one Ortsteil and one position: rows may leave them
    empty, but two different entries are an error (raised only when ``ctx`` is given)."""
    found: dict[str, CategoryInfo] = {}
    lines: dict[tuple[str, str], int] = {}
    for row in rows:
        if not row.coded:
            continue
        name = row.category.casefold()
        info = found.get(name) or CategoryInfo(row.category)
        ortsteil, position = info.ortsteil, (info.lat, info.lon)
        if row.ortsteil:
            if ortsteil and ortsteil != row.ortsteil and ctx is not None:
                raise ctx.error(row.line, f"»{row.category}« hat hier einen anderen Ortsteil ({row.ortsteil}) als "
                                          f"in Zeile {lines[(name, 'o')]} ({ortsteil}); ein Ort liegt in einem "
                                          "Ortsteil.")
            if not ortsteil:
                ortsteil, lines[(name, "o")] = row.ortsteil, row.line
        if row.lat is not None:
            if position != (None, None) and position != (row.lat, row.lon) and ctx is not None:
                raise ctx.error(row.line, f"»{row.category}« hat hier andere Koordinaten als in Zeile "
                                          f"{lines[(name, 'p')]}; ein Ort hat eine Lage (Koordinaten nur in "
                                          "einer Zeile eintragen oder überall gleich).")
            if position == (None, None):
                position, lines[(name, "p")] = (row.lat, row.lon), row.line
        found[name] = CategoryInfo(info.name, ortsteil, position[0], position[1], info.keys + (row.key,))
    return found


def _check_sheet(ctx: _Context, rows: list[CodingRow]) -> None:
    """No duplicate keys; one category has one Ortsteil and one position."""
    seen: dict[str, int] = {}
    for row in rows:
        if row.key in seen:
            raise ctx.error(row.line, f"Die Nennung »{row.key}« steht schon in Zeile {seen[row.key]}; jede Nennung "
                                      "darf nur einmal vorkommen.")
        seen[row.key] = row.line
    categories_of(rows, ctx)


def _header_index(values: Sequence[object], first: str) -> dict[str, int] | None:
    texts = [_text(v) for v in values]
    if not texts or texts[0] != first:
        return None
    return {t: i for i, t in enumerate(texts) if t}


def _check_size(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise CodingTableError(f"Die Datei ist mit {size // 1_000_000} MB zu groß (höchstens "
                               f"{MAX_BYTES // 1_000_000} MB).", path=path)


def read_table(path: Path, questions: Mapping[str, bool], ortsteile: Mapping[int, str]) -> CodingTable:
    """Read a coding table (XLSX or CSV). ``questions`` maps the free-text item ids of the questionnaire
    to True for place questions."""
    _check_size(path)
    if path.suffix.lower() == ".csv":
        return _read_csv(path, questions, ortsteile)
    return _read_xlsx(path, questions, ortsteile)


def _read_xlsx(path: Path, questions: Mapping[str, bool], ortsteile: Mapping[int, str]) -> CodingTable:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise CodingTableError(f"Die Kodiertabelle kann nicht gelesen werden ({error}). Ist es eine "
                               "Excel-Datei (.xlsx)?", path=path) from None
    sheets = []
    try:
        for ws in workbook.worksheets:
            ctx = _Context(path, ws.title, ortsteile)
            item, header, rows = None, None, []
            for line, values in enumerate(ws.iter_rows(values_only=True), start=1):
                if line > MAX_ROWS:
                    raise ctx.error(line, f"Mehr als {MAX_ROWS} Zeilen; so viele Nennungen sind nicht plausibel.")
                if header is None:
                    if values and _text(values[0]) == QUESTION_ID_LABEL and len(values) > 1:
                        item = _text(values[1])
                    header = _header_index(values, KEY)
                    if header is not None:
                        if item is None:
                            raise ctx.error(line, f"Über der Kopfzeile fehlt die Zeile »{QUESTION_ID_LABEL}« mit "
                                                  "der Kennung der Frage.")
                        if item not in questions:
                            known = ", ".join(questions) or "keine"
                            raise ctx.error(line - 1, f"Die Frage »{item}« ist keine Freitextfrage des Fragebogens "
                                                      f"(Freitextfragen: {known}).")
                        places = questions[item]
                        wanted = COLUMNS if places else CATEGORY_COLUMNS
                        missing = [c for c in wanted if c not in header and c not in (NEW, NOTE)]
                        if missing:
                            raise ctx.error(line, f"In der Kopfzeile fehlen die Spalten {', '.join(missing)}.")
                    continue
                cells = {name: values[i] if i < len(values) else None for name, i in header.items()}
                if not any(_text(v) for v in values):
                    continue
                rows.append(_row(ctx, line, cells, questions[item]))
            if header is None:
                if ws.title == "Hinweise":
                    continue
                raise ctx.error(None, f"Keine Kopfzeile mit »{KEY}« gefunden.")
            _check_sheet(ctx, rows)
            sheets.append(QuestionSheet(item, "", questions[item], tuple(rows), ws.title))
    finally:
        workbook.close()
    return _unique_items(path, sheets)


def _unique_items(path: Path, sheets: list[QuestionSheet]) -> CodingTable:
    seen: dict[str, str] = {}
    for s in sheets:
        if s.item in seen:
            raise CodingTableError(f"Die Frage »{s.item}« steht in zwei Blättern (»{seen[s.item]}« und »{s.sheet}«).",
                                   path=path)
        seen[s.item] = s.sheet
    return CodingTable(path, tuple(sheets))


def _read_csv(path: Path, questions: Mapping[str, bool], ortsteile: Mapping[int, str]) -> CodingTable:
    from survey.intake.readers import detect_delimiter
    from survey.textfile import read_text_file

    text = read_text_file(path, what="Kodiertabellen", error_class=CodingTableError).text
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.lstrip("\ufeff").split(";")[0].split(",")[0]
                  .strip().strip('"') == QUESTION), None)
    ctx = _Context(path, None, ortsteile)
    if start is None:
        raise ctx.error(None, f"Keine Kopfzeile gefunden (erste Spalte »{QUESTION}«, dann »{KEY}« …).")
    delimiter = detect_delimiter(lines[start])
    reader = csv.reader(io.StringIO("\n".join(lines[start:])), delimiter=delimiter)
    header_values = next(reader)
    header = {_text(v): i for i, v in enumerate(header_values) if _text(v)}
    missing = [c for c in (QUESTION, KEY, CATEGORY) if c not in header]
    if missing:
        raise ctx.error(start + 1, f"In der Kopfzeile fehlen die Spalten {', '.join(missing)}.")
    by_item: dict[str, list[CodingRow]] = {}
    for offset, values in enumerate(reader, start=start + 2):
        if offset > MAX_ROWS:
            raise ctx.error(offset, f"Mehr als {MAX_ROWS} Zeilen; so viele Nennungen sind nicht plausibel.")
        if not any(v.strip() for v in values):
            continue
        cells = {name: values[i] if i < len(values) else None for name, i in header.items()}
        item = _text(cells.get(QUESTION))
        if item not in questions:
            known = ", ".join(questions) or "keine"
            raise ctx.error(offset, f"Spalte »{QUESTION}«: »{item}« ist keine Freitextfrage des Fragebogens "
                                    f"(Freitextfragen: {known}).")
        by_item.setdefault(item, []).append(_row(ctx, offset, cells, questions[item]))
    sheets = []
    for item, rows in by_item.items():
        _check_sheet(ctx, rows)
        sheets.append(QuestionSheet(item, "", questions[item], tuple(rows)))
    return CodingTable(path, tuple(sheets))
