"""Read the BKA Kreis table KR-F-01-T01 (``KR-F-01-T01-Kreise-Faelle-HZ_xls.xlsx``) into the long table.

Layout (research/domain.md §3.5): one sheet, a title block, a header block over several rows (partly
merged cells), data from about row 10. Columns: A Straftatenschlüssel (``------`` = insgesamt),
B Straftat, C Gemeindeschlüssel (5-digit Kreis AGS), D Stadt-/Landkreis, E Kreisart, F erfasste Fälle,
G Häufigkeitszahl, H-I Versuche, J-K Schusswaffe, L aufgeklärte Fälle, M Aufklärungsquote, then
Tatverdächtige. Columns are found by their header text (merged header cells are spread over their
range); where a header is not recognised, the position above is used.

Keys and AGS stored as numbers lose leading zeros in Excel; they are padded back (key to 6, AGS to 5).

Population: the table has no population column. Precedence: ``population`` argument (explicit, exact),
then an ``Einwohner`` column if present, else derived per Kreis as round(Fälle × 100,000 / HZ) from the
row with the most cases (the total). HZ is published rounded to one decimal, so the derived population
is off by up to 0.05/HZ relative (about ±3 persons for HZ 5,000 and 250,000 inhabitants, but ±1 % for a
rare offence with HZ 5); using the largest count keeps the error smallest. The table notes say which
source was used. The HZ base from 2024 is the Zensus 2022.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Mapping

import openpyxl

from analysis.crime.keys import is_valid_key
from survey.errors import InputFileError
from survey.pks.table import PksTable, build_table, parse_row

HEADER_SEARCH_ROWS = 25
# Default positions (0-based) from research/domain.md §3.5.
DEFAULT_POSITIONS = {"schluessel": 0, "straftat": 1, "gebiet": 2, "gebiet_name": 3, "faelle": 5, "hz": 6,
                     "aufgeklaert": 11}
REQUIRED = ("schluessel", "straftat", "gebiet", "gebiet_name", "faelle", "aufgeklaert")


def _norm(text: Any) -> str:
    text = "" if text is None else str(text)
    text = text.replace("-\n", "").replace("\n", " ").lower()
    text = text.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    return re.sub(r"\s+", " ", text).strip()


def _classify(label: str) -> str | None:
    """The long-table field a header label stands for (labels normalised by :func:`_norm`)."""
    if "gemeindeschluessel" in label or "kreisschluessel" in label:
        return "gebiet"
    if "schluessel" in label:
        return "schluessel"
    if "kreisart" in label:
        return "kreisart"
    if "straftat" in label:
        return "straftat"
    if "landkreis" in label or "kreisname" in label or label in ("kreis", "stadt-/landkreis"):
        return "gebiet_name"
    if "aufklaerungsquote" in label or re.search(r"\baq\b", label):
        return "aq"
    if "aufgeklaert" in label or ("aufklaerung" in label and ("faelle" in label or "anzahl" in label)):
        return "aufgeklaert"
    if "haeufigkeitszahl" in label or re.search(r"\bhz\b", label):
        return "hz"
    if "tatverdaechtige" in label and ("insgesamt" in label or label.endswith("tatverdaechtige")):
        return "tatverdaechtige"
    if "einwohner" in label:
        return "einwohner"
    if "erfasste faelle" in label or label in ("faelle", "anzahl erfasste faelle"):
        return "faelle"
    return None


def _key_text(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        return str(int(value)).zfill(6)
    return "" if value is None else str(value).strip()


def _area_text(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        return str(int(value)).zfill(5)
    text = "" if value is None else str(value).strip()
    return text.zfill(5) if text.isdigit() and len(text) < 5 else text


def _is_data_row(row: tuple[Any, ...]) -> bool:
    """A data row: a PKS key in column A and an offence label (text) in column B.

    The label test keeps the row of column numbers under the header (1, 2, 3 ...) out.
    """
    return (len(row) > 1 and is_valid_key(_key_text(row[0])) and isinstance(row[1], str)
            and bool(row[1].strip()))


def _load_rows(path: Path) -> list[tuple[Any, ...]]:
    from survey.intake.workbooks import check_xlsx_container

    check_xlsx_container(path)  # size, encryption, zip bomb
    try:
        workbook = openpyxl.load_workbook(path, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many types for broken parts
        raise InputFileError(f"Die Datei ist keine lesbare Excel-Datei (xlsx): {error}.", path=path) from None
    if not workbook.worksheets:
        raise InputFileError("Die Excel-Datei enthält kein Tabellenblatt.", path=path)
    sheet = workbook.worksheets[0]
    for merged in list(sheet.merged_cells.ranges):
        if merged.min_row > HEADER_SEARCH_ROWS:
            continue
        value = sheet.cell(merged.min_row, merged.min_col).value
        sheet.unmerge_cells(str(merged))
        for row in range(merged.min_row, merged.max_row + 1):
            for col in range(merged.min_col, merged.max_col + 1):
                sheet.cell(row, col).value = value
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def _find_layout(rows: list[tuple[Any, ...]], path: Path) -> tuple[int, dict[str, int], list[str]]:
    header = next((i for i, row in enumerate(rows[:HEADER_SEARCH_ROWS])
                   if any("schluessel" in _norm(c) for c in row) and any("straftat" in _norm(c) for c in row)),
                  None)
    if header is None:
        raise InputFileError(
            "Keine Kopfzeile mit »Schlüssel« und »Straftat« in den ersten 25 Zeilen gefunden; ist das die "
            "BKA-Kreistabelle KR-F-01-T01?", path=path,
        )
    start = next((i for i in range(header + 1, len(rows))
                  if _is_data_row(rows[i])), None)
    if start is None:
        raise InputFileError("Unter der Kopfzeile stehen keine Zeilen mit PKS-Schlüssel.", path=path,
                             line=header + 1)
    width = max(len(r) for r in rows[header:start + 1])
    columns: dict[str, int] = {}
    for col in range(width):
        parts = []
        for r in rows[header:start]:
            text = _norm(r[col] if col < len(r) else None)
            if text and text not in parts:
                parts.append(text)
        field = _classify(" ".join(parts))
        if field is not None and field not in columns:
            columns[field] = col
    notes = []
    for field, position in DEFAULT_POSITIONS.items():
        if field not in columns and position not in columns.values():
            columns[field] = position
            notes.append(f"Spalte »{field}« nicht an der Überschrift erkannt; Spalte {chr(65 + position)} verwendet.")
    missing = [f for f in REQUIRED if f not in columns]
    if missing:
        raise InputFileError(f"Spalten nicht gefunden: {', '.join(missing)}.", path=path, line=header + 1)
    if "hz" not in columns and "einwohner" not in columns:
        raise InputFileError("Weder Häufigkeitszahl noch Einwohnerzahl gefunden.", path=path, line=header + 1)
    return start, columns, notes


def _number(value: Any) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    text = "" if value is None else str(value).strip().replace("\u00a0", "").replace(" ", "")
    if not text or text == "-":
        return None
    try:
        return float(text.replace(".", "").replace(",", ".") if "," in text else text)
    except ValueError:
        return None


def read_bka_kreis_table(path: str | Path, year: int,
                         population: Mapping[str, int] | None = None) -> PksTable:
    """Import KR-F-01-T01 for ``year`` (the table itself is one year); see the module docstring."""
    path = Path(path)
    if not re.fullmatch(r"\d{4}", str(year)):
        raise InputFileError(f"Das Jahr »{year}« ist keine vierstellige Jahreszahl.", path=path)
    rows = _load_rows(path)
    start, columns, notes = _find_layout(rows, path)

    def cell(row: tuple[Any, ...], field: str) -> Any:
        col = columns.get(field)
        return row[col] if col is not None and col < len(row) else None

    data = [(i + 1, row) for i, row in enumerate(rows[start:], start=start)
            if _is_data_row(row)]
    pops, source = _populations(data, cell, columns, population, path)
    notes.append(source)
    parsed = []
    for line, row in data:
        area = _area_text(cell(row, "gebiet"))
        values = {
            "gebiet": area, "gebiet_name": cell(row, "gebiet_name"), "jahr": str(year),
            "schluessel": _key_text(cell(row, "schluessel")), "straftat": cell(row, "straftat"),
            "faelle": cell(row, "faelle"), "aufgeklaert": cell(row, "aufgeklaert"),
            "einwohner": pops.get(area), "tatverdaechtige": cell(row, "tatverdaechtige"),
        }
        parsed.append(parse_row(values, path, line))
    return build_table(parsed, path, tuple(notes))


def _populations(data, cell, columns, population, path) -> tuple[dict[str, int], str]:
    areas = {_area_text(cell(row, "gebiet")) for _, row in data}
    if population is not None:
        missing = sorted(areas - set(population))
        if missing:
            raise InputFileError(f"Für die Kreise {', '.join(missing)} fehlt die Einwohnerzahl.", path=path)
        return {a: int(population[a]) for a in areas}, "Einwohnerzahlen wie angegeben (nicht aus der Tabelle)."
    if "einwohner" in columns:
        return ({_area_text(cell(row, "gebiet")): cell(row, "einwohner") for _, row in data},
                "Einwohnerzahlen aus der Spalte »Einwohner« der Tabelle.")
    best: dict[str, tuple[float, float, int]] = {}
    for line, row in data:
        area = _area_text(cell(row, "gebiet"))
        cases, hz = _number(cell(row, "faelle")), _number(cell(row, "hz"))
        if cases and hz and hz > 0 and cases > best.get(area, (0, 0, 0))[0]:
            best[area] = (cases, hz, line)
    for line, row in data:
        area = _area_text(cell(row, "gebiet"))
        if area not in best:
            raise InputFileError(
                f"Für Kreis {area} lässt sich die Einwohnerzahl nicht aus Fällen und Häufigkeitszahl "
                "bestimmen (keine Zeile mit Fällen > 0 und HZ > 0); bitte Einwohnerzahlen angeben.",
                path=path, line=line,
            )
    return ({a: round(c * 100_000 / hz) for a, (c, hz, _) in best.items()},
            "Einwohnerzahlen aus Fällen und Häufigkeitszahl zurückgerechnet (Fälle × 100.000 / HZ, aus der "
            "Zeile mit den meisten Fällen; HZ ist gerundet, daher ungenau).")
