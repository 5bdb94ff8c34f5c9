"""Read ``pks.csv`` (DESIGN.md §3): UTF-8 or Windows-1252, ``,`` or ``;`` separated.

All cells are read as text, so keys keep their leading zeros (``010000``). Line numbers in messages
are physical lines of the file (header = line 1). Blank lines are skipped; other columns are ignored.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from survey.errors import InputFileError
from survey.pks.table import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, PksTable, build_table, parse_row


def _decode(raw: bytes, path: Path) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputFileError("Die Datei ist weder UTF-8 noch Windows-1252 kodiert.", path=path)


def _separator(header_line: str) -> str:
    return ";" if header_line.count(";") > header_line.count(",") else ","


def read_pks(path: str | Path) -> PksTable:
    """Read and validate a PKS long CSV; any problem raises InputFileError naming file and line."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputFileError(f"Die PKS-Datei kann nicht gelesen werden ({error.strerror}).", path=path) from None
    text = _decode(raw, path)
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
    rows = []
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            raise InputFileError(
                f"Die Zeile hat {len(cells)} Felder, die Kopfzeile {len(header)}.", path=path, line=line,
            )
        rows.append(parse_row({column: cells[i] for column, i in wanted.items()}, path, line))
    return build_table(rows, path)
