"""The raw table every response reader returns: header, records of strings, where each record came from;
record widths and cell sizes checked against the header and the limits (:mod:`survey.limits`)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from survey.errors import InputFileError
from survey.limits import MAX_CELL_CHARS, MAX_COLUMNS, german_int


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


def raw_table(
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
