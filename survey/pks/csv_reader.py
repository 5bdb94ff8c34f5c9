"""Read ``pks.csv`` (DESIGN.md §3): encodings as :mod:`survey.textfile`, ``,`` or ``;`` separated.

All cells are read as text, so keys keep their leading zeros (``010000``). Line numbers in messages
are physical lines of the file (header = line 1). Blank lines are skipped; other columns are ignored.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from survey.errors import InputFileError
from survey.limits import MAX_ROWS, german_int
from survey.numbers import decimal_point_evidence
from survey.pks.table import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, PksTable, build_table, parse_row
from survey.textfile import describe_lines, read_text_file

COUNT_COLUMNS = ("faelle", "aufgeklaert", "einwohner", "tatverdaechtige")


def _separator(header_line: str) -> str:
    return ";" if header_line.count(";") > header_line.count(",") else ","


def read_pks(path: str | Path) -> PksTable:
    """Read and validate a PKS long CSV; any problem raises InputFileError naming file and line."""
    path = Path(path)
    if not path.is_file():
        raise InputFileError("Die PKS-Datei kann nicht gelesen werden (Datei nicht gefunden).", path=path)
    decoded = read_text_file(path, what="PKS-Dateien")
    text = decoded.text
    if not text.strip():
        raise InputFileError("Die Datei ist leer.", path=path)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_separator(text.splitlines()[0]))
    header = [cell.strip().lower() for cell in next(reader)]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise InputFileError(
            f"Es fehlen die Spalten {', '.join(f'»{c}«' for c in missing)}; erwartet werden "
            f"{','.join(REQUIRED_COLUMNS)}[,{','.join(OPTIONAL_COLUMNS)}].", path=path, line=1,
        )
    duplicated = sorted({c for c in header if c and header.count(c) > 1})
    if duplicated:
        raise InputFileError(f"Die Spalte »{duplicated[0]}« kommt mehrfach vor.", path=path, line=1)
    wanted = {column: header.index(column) for column in REQUIRED_COLUMNS + OPTIONAL_COLUMNS if column in header}
    cells: list[tuple[int, dict[str, str]]] = []
    try:
        for fields in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in fields):
                continue
            if len(fields) != len(header):
                raise InputFileError(
                    f"Die Zeile hat {len(fields)} Felder, die Kopfzeile {len(header)}.", path=path, line=line,
                )
            if len(cells) >= MAX_ROWS:
                raise InputFileError(f"Die Datei hat mehr als {german_int(MAX_ROWS)} Datenzeilen.", path=path,
                                     line=line)
            cells.append((line, {column: fields[i] for column, i in wanted.items()}))
    except csv.Error as error:
        raise InputFileError(f"Die CSV-Datei ist fehlerhaft aufgebaut ({error}).", path=path,
                             line=reader.line_num) from None
    points = {column: decimal_point_evidence((line, row[column]) for line, row in cells)
              for column in COUNT_COLUMNS if column in wanted}
    rows = [parse_row(row, path, line, points) for line, row in cells]
    notes: tuple[str, ...] = ()
    if decoded.fallback_lines:
        notes = (f"{path.name}: die Zeilen {describe_lines(decoded.fallback_lines)} waren nicht UTF-8 und wurden "
                 "als Windows-1252 gelesen.",)
    return build_table(rows, path, notes)
