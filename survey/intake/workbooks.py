"""Read Excel (.xlsx) and SPSS (.sav) response files into a :class:`~survey.intake.readers.RawTable`.

Both formats come from other programs and may be broken in many ways; every failure becomes an
:class:`~survey.errors.InputFileError` naming the file (and the sheet), never an internal error:

- XLSX: a password-protected (encrypted) workbook is an OLE file, not a zip, and is named as such;
  the zip's declared unpacked size is checked before anything is unpacked (zip bombs); the first sheet
  must be a table, not a chart sheet; broken sheet XML is reported with the sheet's name; rows and
  columns are bounded (:mod:`survey.limits`).
- SAV: the header (rows, columns) is read first and checked against the limits, then the data.
"""

from __future__ import annotations

import warnings
import zipfile
from pathlib import Path

from survey.errors import InputFileError
from survey.intake.raw import RawTable, cell_text, raw_table
from survey.limits import (
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_SAV_BYTES,
    MAX_XLSX_BYTES,
    MAX_XLSX_UNPACKED_BYTES,
    check_file_size,
    german_bytes,
    german_int,
)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


# --------------------------------------------------------------------------------------------- xlsx


def read_xlsx(path: Path) -> RawTable:
    """The first sheet of an Excel workbook; row 1 (the first non-empty row) is the header."""
    check_xlsx_container(path)
    workbook = _open_workbook(path)
    try:
        sheet = _first_sheet(workbook, path)
        columns, body = _sheet_rows(sheet, path)
    finally:
        try:
            workbook.close()
        except Exception:  # noqa: BLE001, S110 - closing a broken archive must not hide the real message
            pass
    if columns is None:
        raise InputFileError(f"Das erste Tabellenblatt »{sheet.title}« ist leer.", path=path)
    while columns and not columns[-1]:
        columns.pop()
    # trailing rows that openpyxl reports but that hold nothing are not records
    while body and not any(body[-1][1]):
        body.pop()
    body = [(line, values[: len(columns)]) for line, values in body]
    return raw_table(path, "xlsx", columns, body)


def check_xlsx_container(path: Path) -> None:
    """Refuse encrypted workbooks, non-zip files, zip bombs and zips that are no workbook (before openpyxl)."""
    check_file_size(path, MAX_XLSX_BYTES, "Excel-Dateien", InputFileError)
    with open(path, "rb") as stream:
        magic = stream.read(8)
    if magic == OLE_MAGIC:
        raise InputFileError(
            "Die Excel-Datei ist mit einem Kennwort geschützt (verschlüsselt) oder im alten .xls-Format "
            "gespeichert. Bitte in Excel den Kennwortschutz entfernen (Datei → Informationen → Arbeitsmappe "
            "schützen) und als .xlsx speichern.", path=path)
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            names = set(archive.namelist())
    except Exception:  # noqa: BLE001 - zipfile raises BadZipFile, NotImplementedError, ValueError, …
        raise InputFileError(
            "Die Excel-Datei kann nicht gelesen werden: sie ist kein gültiges .xlsx (kein Zip-Archiv); ist sie "
            "beschädigt oder nur umbenannt?", path=path) from None
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise InputFileError(
            f"Die Excel-Datei wäre entpackt {german_bytes(unpacked)} groß; erlaubt sind höchstens "
            f"{german_bytes(MAX_XLSX_UNPACKED_BYTES)}. Ist sie manipuliert (»Zip-Bombe«)?", path=path)
    if "xl/workbook.xml" not in names:
        raise InputFileError(
            "Die Datei ist ein Zip-Archiv, aber keine Excel-Arbeitsmappe (xl/workbook.xml fehlt).", path=path)


def _open_workbook(path: Path):
    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many types for broken parts
        raise InputFileError(
            f"Die Excel-Datei kann nicht gelesen werden ({_reason(error)}); ist sie beschädigt?", path=path,
        ) from None


def _first_sheet(workbook, path: Path):
    from openpyxl.chartsheet import Chartsheet

    names = workbook.sheetnames
    if not names:
        raise InputFileError("Die Excel-Datei enthält kein Tabellenblatt.", path=path)
    try:
        first = workbook[names[0]]
    except Exception as error:  # noqa: BLE001
        raise InputFileError(f"Das erste Blatt »{names[0]}« kann nicht gelesen werden ({_reason(error)}).",
                             path=path) from None
    if isinstance(first, Chartsheet):
        tables = [name for name in names if not isinstance(workbook[name], Chartsheet)]
        hint = (f" Bitte das Tabellenblatt »{tables[0]}« an die erste Stelle verschieben." if tables
                else " Die Datei enthält kein Tabellenblatt mit Daten.")
        raise InputFileError(
            f"Das erste Blatt »{first.title}« ist ein Diagrammblatt; die Antworten müssen im ersten "
            f"Tabellenblatt stehen.{hint}", path=path)
    return first


def _sheet_rows(sheet, path: Path) -> tuple[list[str] | None, list[tuple[int, list[str]]]]:
    body: list[tuple[int, list[str]]] = []
    columns: list[str] | None = None
    row_number = 0
    try:
        for row_number, values in enumerate(
                sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1), start=1):
            if row_number > MAX_ROWS + 1:
                raise InputFileError(
                    f"Das Tabellenblatt »{sheet.title}« hat mehr als {german_int(MAX_ROWS)} Zeilen; so große "
                    "Dateien werden nicht gelesen.", path=path)
            texts = [cell_text(value) for value in values]
            if columns is None:
                if not any(texts):
                    continue
                if len(texts) > MAX_COLUMNS and texts[MAX_COLUMNS]:
                    raise InputFileError(
                        f"Das Tabellenblatt »{sheet.title}« hat mehr als {german_int(MAX_COLUMNS)} Spalten.",
                        path=path, line=row_number)
                columns = texts[:MAX_COLUMNS]
                continue
            body.append((row_number, texts[:MAX_COLUMNS]))
    except InputFileError:
        raise
    except Exception as error:  # noqa: BLE001 - broken sheet XML surfaces as parser errors of any type
        raise InputFileError(
            f"Das Tabellenblatt »{sheet.title}« ist beschädigt und kann ab Zeile {row_number + 1} nicht gelesen "
            f"werden ({_reason(error)}). Bitte die Datei in Excel oder LibreOffice öffnen und neu speichern.",
            path=path) from None
    return columns, body


def _reason(error: Exception) -> str:
    text = " ".join(str(error).split())
    text = text if len(text) <= 80 else text[:79] + "…"
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


# ---------------------------------------------------------------------------------------------- sav


def read_sav(path: Path) -> RawTable:
    """An SPSS file: numeric codes as text; value labels kept per variable for a cross-check."""
    import pyreadstat

    check_file_size(path, MAX_SAV_BYTES, "SPSS-Dateien", InputFileError)
    try:
        _, header = pyreadstat.read_sav(str(path), metadataonly=True)
    except Exception as error:  # noqa: BLE001 - pyreadstat raises its own error types
        raise _sav_error(path, error) from None
    rows, columns = header.number_rows, header.number_columns
    if columns is not None and columns > MAX_COLUMNS:
        raise InputFileError(f"Die SPSS-Datei hat {german_int(columns)} Variablen; erlaubt sind höchstens "
                             f"{german_int(MAX_COLUMNS)}.", path=path)
    if rows is not None and rows > MAX_ROWS:
        raise InputFileError(f"Die SPSS-Datei hat {german_int(rows)} Fälle; erlaubt sind höchstens "
                             f"{german_int(MAX_ROWS)}.", path=path)
    try:
        with warnings.catch_warnings():  # pyreadstat warns in English (renamed duplicate columns)
            warnings.simplefilter("ignore")
            # user_missing=True: codes declared user-missing in SPSS (8 weiß nicht, 9 keine Angabe) stay
            # codes; read as blanks they would silently turn »keine Angabe« into »not answered«.
            frame, meta = pyreadstat.read_sav(str(path), apply_value_formats=False, user_missing=True)
    except Exception as error:  # noqa: BLE001
        raise _sav_error(path, error) from None
    names = [str(name) for name in frame.columns]
    body = [
        (case, [cell_text(value) for value in values])
        for case, values in enumerate(frame.itertuples(index=False, name=None), start=1)
    ]
    table = raw_table(path, "sav", names, body, line_word="Fall")
    table.value_labels = {
        str(name): {int(code): str(label) for code, label in labels.items() if _integral(code)}
        for name, labels in (meta.variable_value_labels or {}).items()
    }
    return table


def _sav_error(path: Path, error: Exception) -> InputFileError:
    return InputFileError(
        f"Die SPSS-Datei kann nicht gelesen werden ({_reason(error)}); ist sie beschädigt oder keine .sav-Datei?",
        path=path,
    )


def _integral(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer()
