"""The validated PKS long table and the row checks shared by the CSV and the BKA xlsx reader.

Columns of :attr:`PksTable.frame` (DESIGN.md §3):

========================  =========  ==========================================================
``gebiet``                str        AGS of the area (commune 8 digits, Kreis 5, Land 2: ``14``)
``gebiet_name``           str        name of the area
``jahr``                  int64      reporting year (4 digits)
``schluessel``            str        6-character PKS key, leading zeros kept (``------`` = total)
``straftat``              str        offence label
``faelle``                int64      erfasste Fälle (≥ 0)
``aufgeklaert``           Int64      aufgeklärte Fälle (≤ faelle; may be missing)
``einwohner``             int64      population (> 0; one value per area and year)
``tatverdaechtige``       Int64      suspects (optional; may be missing)
``zeile``                 int64      line (CSV) or row (xlsx) in the source file, for messages
========================  =========  ==========================================================

Counts follow the one number rule of :mod:`survey.numbers` (``11822``, ``11822.0``, ``11.822``,
``11 822``); ``-`` or blank marks a missing optional count (the police's sign for »nichts vorhanden«).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from analysis.crime.keys import TOTAL_KEY, TOTAL_WITHOUT_IMMIGRATION_KEY, is_valid_key, select_keys
from survey.errors import InputFileError
from survey.numbers import NumberFormatError, count_message, shown
from survey.numbers import parse_count as parse_count_text

REQUIRED_COLUMNS = ("gebiet", "gebiet_name", "jahr", "schluessel", "straftat", "faelle", "aufgeklaert",
                    "einwohner")
OPTIONAL_COLUMNS = ("tatverdaechtige",)
FRAME_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS + ("zeile",)

_AREA = re.compile(r"^\d{1,12}$")


@dataclass(frozen=True, eq=False)
class PksTable:
    """A validated PKS long table (columns in the module docstring) and where it came from."""

    frame: pd.DataFrame
    source: Path
    notes: tuple[str, ...] = field(default=())

    def select(self, pattern: str) -> pd.DataFrame:
        """Rows whose key matches a wildcard pattern such as ``435*00`` (see :func:`select_keys`)."""
        return select_keys(self.frame, pattern)

    @property
    def areas(self) -> tuple[str, ...]:
        return tuple(sorted(self.frame["gebiet"].unique()))

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted(int(y) for y in self.frame["jahr"].unique()))


def _show(value: Any) -> str:
    return "" if value is None else str(value).strip()


def parse_count(value: Any, column: str, path: Path, line: int, *, required: bool = True,
                decimal_point: tuple[int, str] | None = None) -> int | None:
    """A non-negative whole count by the one number rule, or None for a blank optional cell.

    ``decimal_point``: the column's evidence of a decimal point (:func:`survey.numbers.decimal_point_evidence`).
    """
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, (int, float)):
        if value != value:  # NaN from a spreadsheet
            value = ""
        elif isinstance(value, float) and not (abs(value) < 1e15):
            value = repr(value)
        elif isinstance(value, float):
            value = str(int(value)) if value.is_integer() else repr(value)
        else:
            value = str(value)
    text = _show(value)
    if text in ("", "-"):
        if required:
            raise InputFileError(f"Spalte »{column}« ist leer; erwartet wird eine Anzahl.", path=path, line=line)
        return None
    try:
        return parse_count_text(text, decimal_point=decimal_point)
    except NumberFormatError as error:
        raise InputFileError(f"Spalte »{column}«: {count_message(text, error.reason)}", path=path,
                             line=line) from None


def parse_row(values: dict[str, Any], path: Path, line: int,
              decimal_points: dict[str, tuple[int, str]] | None = None) -> dict[str, Any]:
    """Check and convert one row (raw cell values by column name; ``decimal_points`` per count column)."""
    points = decimal_points or {}
    area = _show(values.get("gebiet"))
    if not _AREA.match(area):
        raise InputFileError(
            f"Spalte »gebiet«: »{shown(area)}« ist kein Gebietsschlüssel (AGS aus Ziffern, z. B. 14626 oder 14 für "
            "Sachsen).", path=path, line=line,
        )
    year = _show(values.get("jahr"))
    if re.fullmatch(r"\d{4}\.0", year):
        year = year[:4]
    if not re.fullmatch(r"\d{4}", year):
        raise InputFileError(f"Spalte »jahr«: »{year}« ist keine vierstellige Jahreszahl.", path=path, line=line)
    key = _show(values.get("schluessel"))
    if key.isdigit() and len(key) < 6:
        raise InputFileError(
            f"Spalte »schluessel«: »{key}« hat nur {len(key)} Stellen; PKS-Schlüssel haben 6 Zeichen. "
            "Wurden führende Nullen entfernt? Die Spalte in Excel als Text formatieren.", path=path, line=line,
        )
    if not is_valid_key(key):
        raise InputFileError(
            f"Spalte »schluessel«: »{key}« ist kein PKS-Schlüssel (6 Zeichen aus Ziffern und *, oder ------).",
            path=path, line=line,
        )
    cases = parse_count(values.get("faelle"), "faelle", path, line, decimal_point=points.get("faelle"))
    cleared = parse_count(values.get("aufgeklaert"), "aufgeklaert", path, line, required=False,
                          decimal_point=points.get("aufgeklaert"))
    population = parse_count(values.get("einwohner"), "einwohner", path, line,
                             decimal_point=points.get("einwohner"))
    if population == 0:
        raise InputFileError("Spalte »einwohner«: die Einwohnerzahl ist 0; erwartet wird eine Zahl größer als 0.",
                             path=path, line=line)
    if cleared is not None and cleared > cases:
        raise InputFileError(
            f"Mehr aufgeklärte Fälle ({cleared}) als erfasste Fälle ({cases}) für Schlüssel {key}.",
            path=path, line=line,
        )
    suspects = parse_count(values.get("tatverdaechtige"), "tatverdaechtige", path, line, required=False,
                           decimal_point=points.get("tatverdaechtige"))
    return {
        "gebiet": area, "gebiet_name": _show(values.get("gebiet_name")), "jahr": int(year),
        "schluessel": key, "straftat": _show(values.get("straftat")), "faelle": cases,
        "aufgeklaert": cleared, "einwohner": population, "tatverdaechtige": suspects, "zeile": line,
    }


def check_rows(rows: list[dict[str, Any]], path: Path) -> None:
    """Checks across rows: duplicates, one population per area and year, 890000 ≤ total."""
    seen: dict[tuple[str, int, str], int] = {}
    population: dict[tuple[str, int], tuple[int, int]] = {}
    for row in rows:
        ident = (row["gebiet"], row["jahr"], row["schluessel"])
        if ident in seen:
            raise InputFileError(
                f"Doppelte Zeile: Gebiet {ident[0]}, Jahr {ident[1]}, Schlüssel {ident[2]} steht schon in "
                f"Zeile {seen[ident]}.", path=path, line=row["zeile"],
            )
        seen[ident] = row["zeile"]
        area_year = (row["gebiet"], row["jahr"])
        known = population.setdefault(area_year, (row["einwohner"], row["zeile"]))
        if known[0] != row["einwohner"]:
            raise InputFileError(
                f"Einwohnerzahl {row['einwohner']} für Gebiet {area_year[0]}, Jahr {area_year[1]} weicht von "
                f"{known[0]} in Zeile {known[1]} ab; je Gebiet und Jahr gilt eine Einwohnerzahl.",
                path=path, line=row["zeile"],
            )
    by_ident = {(r["gebiet"], r["jahr"], r["schluessel"]): r for r in rows}
    for (area, year, key), row in by_ident.items():
        if key != TOTAL_WITHOUT_IMMIGRATION_KEY:
            continue
        total = by_ident.get((area, year, TOTAL_KEY))
        if total is not None and row["faelle"] > total["faelle"]:
            raise InputFileError(
                f"Schlüssel 890000 (ohne ausländerrechtliche Verstöße) hat mehr Fälle ({row['faelle']}) als "
                f"die Straftaten insgesamt »------« ({total['faelle']}, Zeile {total['zeile']}) für Gebiet "
                f"{area}, Jahr {year}.", path=path, line=row["zeile"],
            )


def build_table(rows: Iterable[dict[str, Any]], path: Path, notes: tuple[str, ...] = ()) -> PksTable:
    """Run the cross-row checks and build the typed frame."""
    rows = list(rows)
    if not rows:
        raise InputFileError("Die Datei enthält keine Datenzeilen.", path=path)
    check_rows(rows, path)
    frame = pd.DataFrame(rows, columns=list(FRAME_COLUMNS))
    for column in ("gebiet", "gebiet_name", "schluessel", "straftat"):
        frame[column] = frame[column].astype(object)
    for column in ("jahr", "faelle", "einwohner", "zeile"):
        frame[column] = frame[column].astype("int64")
    for column in ("aufgeklaert", "tatverdaechtige"):
        frame[column] = pd.array(frame[column].tolist(), dtype="Int64")
    return PksTable(frame, path, notes)
