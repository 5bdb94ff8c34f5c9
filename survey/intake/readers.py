"""Read response files into a raw table of strings (no interpretation of values yet).

Every reader returns a :class:`RawTable`: the header as written in the file, one list of strings per
record ("" = blank) and the source line (CSV, VV) or sheet row (XLSX) or case number (SAV) of each
record. A file that cannot be read at all raises :class:`survey.errors.InputFileError` with a German
message naming the file (and line where sensible). Reading is bounded (:mod:`survey.limits`): file
size, records, columns and characters per cell.

Formats (DESIGN.md §3): CSV in UTF-8 (with or without BOM), Windows-1252, both mixed line by line, or
Excel's »Unicode-Text« (UTF-16), separated by ``,`` or ``;`` (or tab); see :mod:`survey.textfile`.
XLSX (first sheet) and SPSS ``.sav`` in :mod:`survey.intake.workbooks`; LimeSurvey VV exports (tab
separated, line 1 = question texts, line 2 = codes; see :mod:`survey.intake.limesurvey`).
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from pathlib import Path

from survey.errors import InputFileError
from survey.limits import MAX_CELL_CHARS, MAX_COLUMNS, MAX_ROWS, german_int
from survey.textfile import read_text_file

TEXT_SUFFIXES = (".csv", ".txt", ".tsv", ".vv")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
SAV_SUFFIXES = (".sav", ".zsav")
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + XLSX_SUFFIXES + SAV_SUFFIXES
DELIMITERS = (";", ",", "\t")


@dataclass
class RawTable:
    """A response file as read: header, records of strings, and where each record came from."""

    path: Path
    format: str  # "csv", "xlsx", "sav", "limesurvey-vv"
    columns: list[str]
    rows: list[list[str]]
    lines: list[int]
    encoding: str | None = None
    delimiter: str | None = None
    value_labels: dict[str, dict[int, str]] = field(default_factory=dict)
    line_word: str = "Zeile"  # how a location is called for this format ("Zeile", "Fall")
    fallback_lines: tuple[int, ...] = ()  # lines read as Windows-1252 in a UTF-8 file

    @property
    def name(self) -> str:
        return self.path.name


def read_raw(path: str | Path) -> RawTable:
    """Read a response file of any supported format into a :class:`RawTable`."""
    from survey.intake.workbooks import read_sav, read_xlsx

    path = Path(path)
    if not path.exists():
        raise InputFileError("Die Datei existiert nicht.", path=path)
    if path.is_dir():
        raise InputFileError("Ist ein Ordner, keine Datei.", path=path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        old_excel = " Alte Excel-Dateien (.xls) bitte als .xlsx speichern." if suffix == ".xls" else ""
        raise InputFileError(
            f"Unbekanntes Dateiformat »{path.suffix or '(ohne Endung)'}«; unterstützt werden "
            "CSV (.csv, .txt), Excel (.xlsx), SPSS (.sav) und LimeSurvey-Exporte (CSV oder VV)." + old_excel,
            path=path,
        )
    if path.stat().st_size == 0:
        raise InputFileError("Die Datei ist leer.", path=path)
    if suffix in XLSX_SUFFIXES:
        return read_xlsx(path)
    if suffix in SAV_SUFFIXES:
        return read_sav(path)
    return read_text(path)


# --------------------------------------------------------------------------------------------- text


def detect_delimiter(header_line: str) -> str:
    """The separator of a header line: the most frequent of ``;``, ``,`` and tab (ties: ``;``)."""
    counts = {delimiter: header_line.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] > 0 else ","


def read_text(path: Path) -> RawTable:
    """A CSV (or LimeSurvey VV) file."""
    from survey.intake.limesurvey import is_vv, read_vv_records

    decoded = read_text_file(path, what="CSV-Dateien")
    text = decoded.text
    first_line = text.split("\n", 1)[0]
    delimiter = detect_delimiter(first_line)
    records = csv_records(path, text, delimiter)
    if not records:
        raise InputFileError("Die Datei enthält keine Kopfzeile.", path=path)
    if delimiter == "\t" and is_vv(records):
        table = read_vv_records(path, records, decoded.encoding)
    else:
        (header_line, header), body = records[0], records[1:]
        columns = [name.strip() for name in header]
        table = _table(path, "csv", columns, body, encoding=decoded.encoding, delimiter=delimiter)
    table.fallback_lines = decoded.fallback_lines
    return table


def csv_records(path: Path, text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """(start line, fields) per CSV record; quoted fields may span lines. Bounded in records and cell size."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records = []
    start = 1
    try:
        for fields in reader:
            if len(records) > MAX_ROWS:
                raise InputFileError(
                    f"Die Datei hat mehr als {german_int(MAX_ROWS)} Datenzeilen; so große Dateien werden "
                    "nicht gelesen.", path=path, line=start)
            records.append((start, fields))
            start = reader.line_num + 1
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise InputFileError(
                f"Ein Feld ist länger als {german_int(csv.field_size_limit())} Zeichen (erlaubt sind "
                f"{german_int(MAX_CELL_CHARS)} Zeichen je Zelle, wie in Excel); fehlt ein schließendes "
                "Anführungszeichen?", path=path, line=start) from None
        raise InputFileError(
            f"Der Datensatz ab dieser Zeile ist fehlerhaft aufgebaut: {_csv_problem(str(error), delimiter)}",
            path=path, line=start) from None
    return records


def _csv_problem(message: str, delimiter: str) -> str:
    """Python's csv error (English) as a German sentence with the likely cause."""
    if "unexpected end of data" in message:
        return "Ein Anführungszeichen wurde geöffnet, aber nicht geschlossen."
    if "expected after" in message:
        return (f"Nach einem schließenden Anführungszeichen folgt kein Trennzeichen »{delimiter}«. Meist wurde "
                "ein Anführungszeichen geöffnet, aber nicht (oder erst viel später) geschlossen.")
    if "new-line character" in message:
        return "Ein Zeilenumbruch steht mitten in einem Feld ohne Anführungszeichen."
    if "NUL" in message:
        return "Die Zeile enthält ein Nullzeichen (Binärdaten)."
    return "Die Felder sind nicht nach den CSV-Regeln abgegrenzt (Anführungszeichen und Trennzeichen prüfen)."


def _table(
    path: Path,
    fmt: str,
    columns: list[str],
    body: list[tuple[int, list[str]]],
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    line_word: str = "Zeile",
) -> RawTable:
    """Pad/check record widths and cell sizes against the header and the limits; build the table."""
    width = len(columns)
    if width > MAX_COLUMNS:
        raise InputFileError(
            f"Die Kopfzeile hat {german_int(width)} Spalten; erlaubt sind höchstens {german_int(MAX_COLUMNS)}.",
            path=path, line=1)
    _check_cells(path, 1, columns, columns, "Zeile")
    rows: list[list[str]] = []
    lines: list[int] = []
    for line, fields in body:
        if not fields or fields == [""]:
            continue  # a physically empty line (e.g. at the end of the file) holds no record
        if len(fields) > width:
            extra = [value for value in fields[width:] if value.strip()]
            if extra:
                raise InputFileError(
                    f"Die Zeile hat {len(fields)} Felder, die Kopfzeile aber nur {width}. "
                    "Stimmt das Trennzeichen?",
                    path=path,
                    line=line,
                )
            fields = fields[:width]
        _check_cells(path, line, fields, columns, line_word)
        rows.append([value.strip() for value in fields] + [""] * (width - len(fields)))
        lines.append(line)
    table = RawTable(path, fmt, columns, rows, lines, encoding=encoding, delimiter=delimiter)
    table.line_word = line_word
    return table


def _check_cells(path: Path, line: int, fields: list[str], columns: list[str], line_word: str) -> None:
    for index, value in enumerate(fields):
        if len(value) > MAX_CELL_CHARS:
            name = columns[index] if index < len(columns) else str(index + 1)
            where = f"Spalte »{name}«" if line_word == "Zeile" else f"{line_word} {line}, Spalte »{name}«"
            raise InputFileError(
                f"{where}: die Zelle hat {german_int(len(value))} Zeichen; erlaubt sind höchstens "
                f"{german_int(MAX_CELL_CHARS)} (wie in Excel).", path=path,
                line=line if line_word == "Zeile" else None)


# ---------------------------------------------------------------------------------------- cells


def cell_text(value: object) -> str:
    """A spreadsheet or SPSS cell as text: integral numbers without ``.0``, blanks as ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
        return repr(value)
    return str(value).strip()
