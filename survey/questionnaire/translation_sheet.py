"""Translation tables for translators: export the texts of a questionnaire to XLSX, import them back.

Sheet ``Texte``: one row per text path (``pfad``), the German line (``zeile``), whether the core uses it
(``kern``), the German text (``de``, for reading only) and one column per language headed by its code
(``pl``, ``cs``, …). Sheet ``Sprachen``: per language its ``umfang`` (vollstaendig/kern) and ``entstehung``
(how the translation was produced); both are taken over by the import.

The import writes ``<stem>.<code>.yaml`` beside the questionnaire (:mod:`survey.questionnaire.translations`).
A language whose texts, scope and origin equal the present file is left untouched, so export → import
changes nothing, byte for byte. A changed or new file is written in one canonical layout (header comments
of an existing file kept, texts in questionnaire order); an empty cell means »not translated«.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font

from survey.errors import InputFileError
from survey.atomic import atomic_path, atomic_write
from survey.languages import LANGUAGES, SOURCE, normalise_language
from survey.limits import MAX_CELL_CHARS, MAX_XLSX_BYTES, check_file_size
from survey.questionnaire.translations import (
    PLACEHOLDER, SCOPES, TextEntry, read_translation, translation_files, translation_path,
)

TEXT_SHEET = "Texte"
LANGUAGE_SHEET = "Sprachen"
FIXED_COLUMNS = ("pfad", "zeile", "kern", SOURCE)
MAX_SHEET_ROWS = 20_000
DEFAULT_ORIGIN = ("Aus einer Übersetzungstabelle eingelesen; Herkunft nicht angegeben. Vor der Feldphase bitte "
                  "professionell prüfen lassen.")


@dataclass(frozen=True)
class ImportedLanguage:
    code: str
    path: Path
    texts: int
    changed: bool
    created: bool


@dataclass
class ImportResult:
    languages: list[ImportedLanguage] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# -- export ---------------------------------------------------------------------------------------------


def export_sheet(questionnaire_path: Path, entries: list[TextEntry], languages: list[str], target: Path) -> Path:
    """Write the translation table of ``languages`` (existing translations filled in) to ``target``."""
    existing = translation_files(questionnaire_path)
    translations = {code: read_translation(existing[code]) for code in languages if code in existing}
    book = Workbook()
    sheet = book.active
    sheet.title = TEXT_SHEET
    sheet.append([*FIXED_COLUMNS, *languages])
    for entry in entries:
        sheet.append([entry.path, entry.line, "ja" if entry.core else "nein", entry.text,
                      *(translations[code].texts.get(entry.path) if code in translations else None
                        for code in languages)])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "E2"
    sheet.auto_filter.ref = sheet.dimensions
    for letter, width in zip("ABCD", (34, 7, 6, 60)):
        sheet.column_dimensions[letter].width = width
    for index in range(len(languages)):
        sheet.column_dimensions[chr(ord("E") + index)].width = 60
    for row in sheet.iter_rows(min_row=2):
        for cell in row[3:]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    info = book.create_sheet(LANGUAGE_SHEET)
    info.append(["sprache", "name", "umfang", "entstehung"])
    for code in languages:
        translation = translations.get(code)
        info.append([code, LANGUAGES[code].german_name, translation.scope if translation else "vollstaendig",
                     translation.origin if translation else DEFAULT_ORIGIN])
    for cell in info[1]:
        cell.font = Font(bold=True)
    info.column_dimensions["D"].width = 80
    with atomic_path(target) as temporary:
        book.save(temporary)
    return target


# -- import ---------------------------------------------------------------------------------------------


def import_sheet(questionnaire_path: Path, questionnaire_id: str, entries: list[TextEntry], source: Path,
                 version: str | None = None) -> ImportResult:
    """Read a translation table and write the translation files it changes (all checked before any write)."""
    texts_rows, language_rows = _read_book(source)
    header, rows = texts_rows
    where = f"{source.name}, Blatt »{TEXT_SHEET}«"
    if not header or header[0] != "pfad":
        raise InputFileError(f"{where}, Zeile 1: die erste Spalte muss »pfad« heißen (so schreibt sie "
                             "»fragebogen uebersetzung-export«).", path=source)
    languages: dict[str, int] = {}
    for index, name in enumerate(header):
        if name in FIXED_COLUMNS or not name:
            continue
        code = normalise_language(name)
        if code is None or code == SOURCE:
            raise InputFileError(f"{where}, Zeile 1: die Spalte »{name}« ist keine Übersetzungssprache; möglich "
                                 f"sind {', '.join(c for c in LANGUAGES if c != SOURCE)}.", path=source)
        if code in languages:
            raise InputFileError(f"{where}, Zeile 1: die Sprache »{code}« steht in zwei Spalten.", path=source)
        languages[code] = index
    if not languages:
        raise InputFileError(f"{where}, Zeile 1: keine Sprachspalte (z. B. »pl«) gefunden.", path=source)
    german = {entry.path: entry for entry in entries}
    german_column = header.index(SOURCE) if SOURCE in header else None
    result = ImportResult()
    imported: dict[str, dict[str, str]] = {code: {} for code in languages}
    seen: dict[str, int] = {}
    for number, cells in rows:
        path = cells[0].strip() if cells and cells[0] else ""
        if not path:
            if any(cells[index] for index in languages.values() if index < len(cells)):
                raise InputFileError(f"{where}, Zeile {number}: Übersetzung ohne »pfad«.", path=source)
            continue
        entry = german.get(path)
        if entry is None:
            raise InputFileError(f"{where}, Zeile {number}: »{path}« gibt es im Fragebogen »{questionnaire_id}« "
                                 "nicht (umbenannt oder gelöscht?); bitte die Zeile löschen oder den Pfad "
                                 "berichtigen.", path=source)
        if path in seen:
            raise InputFileError(f"{where}, Zeile {number}: »{path}« steht schon in Zeile {seen[path]}.", path=source)
        seen[path] = number
        if german_column is not None and german_column < len(cells) and cells[german_column] \
                and _squash(cells[german_column]) != _squash(entry.text):
            result.warnings.append(f"{where}, Zeile {number}: der deutsche Text von »{path}« hat sich seit dem Export "
                                   f"geändert (jetzt Zeile {entry.line} im Fragebogen); bitte die Übersetzung prüfen.")
        for code, index in languages.items():
            text = cells[index] if index < len(cells) else ""
            if not text or not text.strip():
                continue
            ours, theirs = sorted(PLACEHOLDER.findall(entry.text)), sorted(PLACEHOLDER.findall(text))
            if ours != theirs:
                raise InputFileError(f"{where}, Zeile {number}, Spalte »{code}«: »{path}« hat die Platzhalter "
                                     f"{_names(theirs)}, der deutsche Text {_names(ours)}; Platzhalter wie "
                                     "{kommune} bitte unverändert übernehmen.", path=source)
            imported[code][path] = text
    details = _language_details(language_rows, source)
    existing = translation_files(questionnaire_path)
    writes: list[tuple[Path, str]] = []
    for code in languages:
        target = existing.get(code, translation_path(questionnaire_path, code))
        old = read_translation(target) if target.is_file() else None
        scope, origin = details.get(code, (old.scope if old else "vollstaendig", old.origin if old else DEFAULT_ORIGIN))
        texts = imported[code]
        unchanged = old is not None and old.texts == texts and old.scope == scope and old.origin == origin
        if not unchanged:
            header_comments = _header_comments(target) if old else []
            writes.append((target, render_translation(code, questionnaire_id, version or (old.version if old else None),
                                                      scope, origin, texts, entries, header_comments)))
        result.languages.append(ImportedLanguage(code, target, len(texts), not unchanged, old is None))
    for target, text in writes:
        with atomic_write(target) as handle:
            handle.write(text)
    return result


def render_translation(code: str, questionnaire_id: str, version: str | None, scope: str, origin: str,
                       texts: dict[str, str], entries: list[TextEntry], header_comments: list[str]) -> str:
    """The canonical YAML of a translation file: texts nested by path, in questionnaire order."""
    nested: dict = {}
    for entry in entries:
        if entry.path in texts:
            node = nested
            *parents, leaf = [int(part) if part.isdigit() else part for part in entry.path.split(".")]
            for part in parents:
                node = node.setdefault(part, {})
            node[leaf] = texts[entry.path]
    head = {"sprache": code, "fragebogen": questionnaire_id}
    if version is not None:
        head["version"] = version
    head |= {"umfang": scope, "entstehung": origin}
    body = yaml.safe_dump({**head, "texte": nested}, allow_unicode=True, sort_keys=False, width=100,
                          default_flow_style=False)
    return "".join(f"{line}\n" for line in header_comments) + body


def _header_comments(path: Path) -> list[str]:
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        lines.append(line)
    return lines


def _language_details(rows: tuple[list[str], list[tuple[int, list[str]]]] | None,
                      source: Path) -> dict[str, tuple[str, str]]:
    if rows is None:
        return {}
    header, body = rows
    where = f"{source.name}, Blatt »{LANGUAGE_SHEET}«"
    columns = {name: index for index, name in enumerate(header)}
    if "sprache" not in columns:
        raise InputFileError(f"{where}, Zeile 1: die Spalte »sprache« fehlt.", path=source)
    details = {}
    for number, cells in body:
        def cell(name: str) -> str:
            index = columns.get(name)
            return cells[index].strip() if index is not None and index < len(cells) and cells[index] else ""

        code = normalise_language(cell("sprache"))
        if code is None or code == SOURCE:
            raise InputFileError(f"{where}, Zeile {number}: »{cell('sprache')}« ist keine Übersetzungssprache.",
                                 path=source)
        scope = cell("umfang") or "vollstaendig"
        if scope not in SCOPES:
            raise InputFileError(f"{where}, Zeile {number}: Umfang »{scope}« ist unbekannt; möglich sind "
                                 "vollstaendig und kern.", path=source)
        details[code] = (scope, cell("entstehung") or DEFAULT_ORIGIN)
    return details


def _read_book(source: Path):
    """(header, rows) of the text sheet and of the language sheet (None if absent); cells as text."""
    check_file_size(source, MAX_XLSX_BYTES, "Übersetzungstabellen", InputFileError)
    from survey.intake.workbooks import check_xlsx_container

    check_xlsx_container(source)
    try:
        book = load_workbook(source, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as error:
        raise InputFileError(f"Die Excel-Datei kann nicht gelesen werden ({type(error).__name__}); ist sie "
                             "beschädigt oder keine .xlsx-Datei?", path=source) from None
    try:
        names = {sheet.title.strip().lower(): sheet for sheet in book.worksheets}
        if TEXT_SHEET.lower() not in names:
            raise InputFileError(f"Das Blatt »{TEXT_SHEET}« fehlt (so schreibt es »fragebogen "
                                 "uebersetzung-export«).", path=source)
        texts = _rows(names[TEXT_SHEET.lower()], source)
        languages = _rows(names[LANGUAGE_SHEET.lower()], source) if LANGUAGE_SHEET.lower() in names else None
    finally:
        book.close()
    return texts, languages


def _rows(sheet, source: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    header: list[str] = []
    rows: list[tuple[int, list[str]]] = []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number > MAX_SHEET_ROWS:
            raise InputFileError(f"Blatt »{sheet.title}« hat mehr als {MAX_SHEET_ROWS} Zeilen; eine "
                                 "Übersetzungstabelle hat eine Zeile je Text.", path=source)
        cells = ["" if value is None else str(value) for value in values]
        if any(len(cell) > MAX_CELL_CHARS for cell in cells):
            raise InputFileError(f"Blatt »{sheet.title}«, Zeile {number}: eine Zelle ist länger als "
                                 f"{MAX_CELL_CHARS} Zeichen.", path=source)
        if number == 1:
            header = [cell.strip().lower() if cell.strip().lower() in FIXED_COLUMNS else cell.strip()
                      for cell in cells]
        elif any(cell.strip() for cell in cells):
            rows.append((number, cells))
    return header, rows


def _squash(text: str) -> str:
    return " ".join(text.split())


def _names(items: list[str]) -> str:
    return "»" + "«, »".join(items) + "«" if items else "keine"

