"""Read response files into a raw table of strings (no interpretation of values yet).

Every reader returns a :class:`RawTable`: the header as written in the file, one list of strings per
record ("" = blank) and the source line (CSV, VV) or sheet row (XLSX) or case number (SAV) of each
record. A file that cannot be read at all raises :class:`survey.errors.InputFileError` with a German
message naming the file (and line where sensible).

Formats (DESIGN.md §3): CSV in UTF-8 (with or without BOM) or Windows-1252, separated by ``,`` or ``;``
(or tab); XLSX (first sheet); SPSS ``.sav`` (numeric codes, value labels kept for a cross-check);
LimeSurvey VV exports (tab separated, line 1 = question texts, line 2 = codes; see
:mod:`survey.intake.limesurvey`).
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from pathlib import Path

from survey.errors import InputFileError

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

    @property
    def name(self) -> str:
        return self.path.name


def read_raw(path: str | Path) -> RawTable:
    """Read a response file of any supported format into a :class:`RawTable`."""
    path = Path(path)
    if not path.exists():
        raise InputFileError("Die Antwortdatei existiert nicht.", path=path)
    if path.is_dir():
        raise InputFileError("Ist ein Ordner, keine Antwortdatei.", path=path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise InputFileError(
            f"Unbekanntes Dateiformat »{path.suffix or '(ohne Endung)'}«; unterstützt werden "
            "CSV (.csv, .txt), Excel (.xlsx), SPSS (.sav) und LimeSurvey-Exporte (CSV oder VV).",
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


def decode_text(path: Path) -> tuple[str, str]:
    """Decode a text file as UTF-8 (BOM optional) or Windows-1252; refuse binary content."""
    data = path.read_bytes()
    if b"\x00" in data[:65536]:
        raise InputFileError(
            "Die Datei ist keine Textdatei (sie enthält Binärdaten). Erwartet wird eine CSV-Datei "
            "(UTF-8 oder Windows-1252), eine Excel- (.xlsx) oder eine SPSS-Datei (.sav).",
            path=path,
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        _refuse_control_characters(path, text)
        return text, ("utf-8" if encoding == "utf-8-sig" else encoding)
    raise InputFileError(
        "Die Datei ist weder als UTF-8 noch als Windows-1252 lesbar. Bitte in Excel oder "
        "LibreOffice als »CSV UTF-8« speichern.",
        path=path,
    )


def _refuse_control_characters(path: Path, text: str) -> None:
    for line_number, line in enumerate(text.splitlines()[:5000], start=1):
        for char in line:
            if ord(char) < 32 and char not in "\t\r\n\f\v":
                raise InputFileError(
                    f"Die Datei enthält das Steuerzeichen U+{ord(char):04X} und ist offenbar keine "
                    "Textdatei (CSV).",
                    path=path,
                    line=line_number,
                )


def detect_delimiter(header_line: str) -> str:
    """The separator of a header line: the most frequent of ``;``, ``,`` and tab (ties: ``;``)."""
    counts = {delimiter: header_line.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] > 0 else ","


def read_text(path: Path) -> RawTable:
    """A CSV (or LimeSurvey VV) file."""
    from survey.intake.limesurvey import is_vv, read_vv_records

    text, encoding = decode_text(path)
    first_line = text.split("\n", 1)[0]
    delimiter = detect_delimiter(first_line)
    records = _csv_records(path, text, delimiter)
    if not records:
        raise InputFileError("Die Datei enthält keine Kopfzeile.", path=path)
    if delimiter == "\t" and is_vv(records):
        return read_vv_records(path, records, encoding)
    (header_line, header), body = records[0], records[1:]
    columns = [name.strip() for name in header]
    return _table(path, "csv", columns, body, encoding=encoding, delimiter=delimiter)


def _csv_records(path: Path, text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """(start line, fields) per CSV record; quoted fields may span lines."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records = []
    start = 1
    try:
        for fields in reader:
            records.append((start, fields))
            start = reader.line_num + 1
    except csv.Error as error:
        raise InputFileError(
            f"Die CSV-Datei ist fehlerhaft aufgebaut ({error}).", path=path, line=reader.line_num
        ) from None
    return records


def _table(
    path: Path,
    fmt: str,
    columns: list[str],
    body: list[tuple[int, list[str]]],
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> RawTable:
    """Pad/check record widths against the header and build the table."""
    width = len(columns)
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
        rows.append([value.strip() for value in fields] + [""] * (width - len(fields)))
        lines.append(line)
    return RawTable(path, fmt, columns, rows, lines, encoding=encoding, delimiter=delimiter)


# --------------------------------------------------------------------------------------------- xlsx


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


def read_xlsx(path: Path) -> RawTable:
    """The first sheet of an Excel workbook; row 1 is the header."""
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise InputFileError(
            f"Die Excel-Datei kann nicht gelesen werden ({type(error).__name__}); ist sie beschädigt "
            "oder keine .xlsx-Datei?",
            path=path,
        ) from None
    try:
        sheet = workbook.worksheets[0]
        body: list[tuple[int, list[str]]] = []
        columns: list[str] | None = None
        for row_number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            texts = [cell_text(value) for value in values]
            if columns is None:
                if not any(texts):
                    continue
                columns = texts
                continue
            body.append((row_number, texts))
    finally:
        workbook.close()
    if columns is None:
        raise InputFileError("Das erste Tabellenblatt ist leer.", path=path)
    while columns and not columns[-1]:
        columns.pop()
    # trailing rows that openpyxl reports but that hold nothing are not records
    while body and not any(body[-1][1]):
        body.pop()
    body = [(line, values[: len(columns)]) for line, values in body]
    return _table(path, "xlsx", columns, body)


# ---------------------------------------------------------------------------------------------- sav


def read_sav(path: Path) -> RawTable:
    """An SPSS file: numeric codes as text; value labels kept per variable for a cross-check."""
    import pyreadstat

    try:
        # user_missing=True: codes declared user-missing in SPSS (8 weiß nicht, 9 keine Angabe) stay codes;
        # read as blanks they would silently turn »keine Angabe« into »not answered«.
        frame, meta = pyreadstat.read_sav(str(path), apply_value_formats=False, user_missing=True)
    except Exception as error:  # noqa: BLE001 - pyreadstat raises its own error types
        raise InputFileError(
            f"Die SPSS-Datei kann nicht gelesen werden ({error}); ist sie beschädigt oder keine .sav-Datei?",
            path=path,
        ) from None
    columns = [str(name) for name in frame.columns]
    body = [
        (case, [cell_text(value) for value in values])
        for case, values in enumerate(frame.itertuples(index=False, name=None), start=1)
    ]
    table = _table(path, "sav", columns, body)
    table.line_word = "Fall"
    table.value_labels = {
        str(name): {int(code): str(label) for code, label in labels.items() if _integral(code)}
        for name, labels in (meta.variable_value_labels or {}).items()
    }
    return table


def _integral(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer()
