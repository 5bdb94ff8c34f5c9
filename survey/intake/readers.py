"""Read response files into a raw table of strings (no interpretation of values yet).

Every reader returns a :class:`RawTable`: the header as written in the file, one list of strings per
record ("" = blank) and the source line (CSV, VV) or sheet row (XLSX) or case number (SAV) of each
record. A file that cannot be read at all raises :class:`survey.errors.InputFileError` with a German
message naming the file (and line where sensible). Reading is bounded (:mod:`survey.limits`): file
size, records, columns and characters per cell.

Formats (DESIGN.md §3): CSV in UTF-8 (with or without BOM), Windows-1252, both mixed line by line, or
Excel's »Unicode-Text« (UTF-16), separated by ``,`` or ``;`` (or tab); see :mod:`survey.textfile`.
XLSX (first sheet) and SPSS ``.sav`` in :mod:`survey.intake.workbooks`; the table itself in
:mod:`survey.intake.raw`; LimeSurvey VV exports (tab
separated, line 1 = question texts, line 2 = codes; see :mod:`survey.intake.limesurvey`).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from survey.errors import InputFileError
from survey.intake.limesurvey import is_vv, read_vv_records
from survey.intake.raw import RawTable, raw_table
from survey.intake.workbooks import read_sav, read_xlsx
from survey.limits import MAX_CELL_CHARS, MAX_ROWS, german_int
from survey.textfile import read_text_file

TEXT_SUFFIXES = (".csv", ".txt", ".tsv", ".vv")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
SAV_SUFFIXES = (".sav", ".zsav")
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + XLSX_SUFFIXES + SAV_SUFFIXES
DELIMITERS = (";", ",", "\t")


def read_raw(path: str | Path) -> RawTable:
    """Read a response file of any supported format into a :class:`RawTable`."""
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


def detect_delimiter(header_line: str) -> str:
    """The separator of a header line: the most frequent of ``;``, ``,`` and tab (ties: ``;``)."""
    counts = {delimiter: header_line.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] > 0 else ","


def read_text(path: Path) -> RawTable:
    """A CSV (or LimeSurvey VV) file."""
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
        (_, header), body = records[0], records[1:]
        columns = [name.strip() for name in header]
        table = raw_table(path, "csv", columns, body, encoding=decoded.encoding, delimiter=delimiter)
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
