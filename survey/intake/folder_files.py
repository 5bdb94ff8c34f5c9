"""The one reader of the population and strata files named in analyse.yaml (DESIGN.md §3).

``population.csv``: ``ags,geschlecht,altersgruppe,einwohner`` (further columns, e.g. ``ortsteil``, are
kept as text and may serve as calibration margins); ``strata.csv``:
``ortsteil,name,einwohner_16plus,brutto_stichprobe[,netto]``. Both are read with the response readers
(encodings, separators, xlsx) and every count by the one number rule (:mod:`survey.numbers`). Every
problem becomes a finding of severity »fehler« (rules ``bevoelkerung-datei`` and ``schichten-datei``)
naming file, row, column and value, so that one run lists all of them; a file with such a finding
yields no table. Weighting uses exactly the tables read here.

Plausibility: counts > 0 (``netto`` ≥ 0), ``brutto_stichprobe`` ≤ ``einwohner_16plus``, ``netto`` ≤
``brutto_stichprobe``, stratum codes unique, one population row per cell, and every ``ags`` is the
commune's AGS or a part of it (the commune's 8-digit AGS followed by a Gemeindeteil/Ortsteil number of
up to four digits, as in the Saxon directory of Gemeinden und Gemeindeteile). Against the responses
(:func:`check_strata_against_responses`): respondents per stratum ≤ ``brutto_stichprobe``, no stratum
without respondents, and ``netto`` (when given) = respondents, which is a warning only: ``netto`` enters
no figure (the design and the Rücklauf use the respondents actually in the data), and it differs for
benign reasons (empty or duplicate returns dropped by the intake, late returns, counted before cleaning).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from survey.errors import UserError
from survey.intake import findings as F
from survey.intake.findings import Finding, Rule
from survey.intake.raw import RawTable
from survey.intake.readers import read_raw
from survey.numbers import (
    NumberFormatError,
    count_message,
    decimal_point_evidence,
    parse_count,
    parse_whole_code,
    shown,
)
from survey.textfile import describe_lines

POPULATION_COLUMNS = ("ags", "geschlecht", "altersgruppe", "einwohner")
STRATA_COLUMNS = ("ortsteil", "name", "einwohner_16plus", "brutto_stichprobe")
MAX_ROW_FINDINGS = 20
MAX_PART_DIGITS = 4


@dataclass(frozen=True)
class StrataTable:
    """strata.csv as read: ``code`` (int), ``ortsteil`` (text as written), ``name``, ``einwohner_16plus``,
    ``brutto_stichprobe`` (int64), ``netto`` (Int64, NA when not given), ``zeile`` (file row)."""

    path: Path
    frame: pd.DataFrame

    @property
    def codes(self) -> frozenset[int]:
        return frozenset(int(code) for code in self.frame["code"])

    def label(self, code: int) -> str:
        names = self.frame.loc[self.frame["code"] == code, "name"]
        return f"{code} ({names.iloc[0]})" if len(names) and names.iloc[0] else str(code)


@dataclass(frozen=True)
class PopulationTable:
    """population.csv as read: ``ags``, ``geschlecht``, ``altersgruppe`` and any further columns as text,
    ``einwohner`` (int64), ``zeile`` (file row)."""

    path: Path
    frame: pd.DataFrame


@dataclass(frozen=True)
class FolderFiles:
    """The population and strata tables of a folder (None when not configured or not usable)."""

    population: PopulationTable | None
    strata: StrataTable | None
    findings: tuple[Finding, ...]


def read_folder_files(folder, questionnaire) -> FolderFiles:
    """Read ``bevoelkerung`` and ``stichprobe.schichten`` of an analysis folder."""
    config = folder.config
    found: list[Finding] = []
    population = strata = None
    if config.bevoelkerung:
        labels = {group.label for group in questionnaire.age_groups}
        population, more = read_population(folder.file(config.bevoelkerung), labels, config.ags,
                                           kommune=config.kommune)
        found += more
    if config.stichprobe.schichten:
        strata, more = read_strata(folder.file(config.stichprobe.schichten))
        found += more
    return FolderFiles(population, strata, tuple(found))


def check_folder_files(folder, questionnaire) -> list[Finding]:
    """Findings for ``bevoelkerung`` and ``stichprobe.schichten`` of an analysis folder."""
    return list(read_folder_files(folder, questionnaire).findings)


# ------------------------------------------------------------------------------------------- strata


def read_strata(path: Path, key: str = "stichprobe.schichten") -> tuple[StrataTable | None, list[Finding]]:
    rule = F.STRATA_FILE
    table, found = _read(path, rule, key, STRATA_COLUMNS)
    if table is None:
        return None, found
    cells = _Cells(table, rule)
    unfilled = cells.unfilled_template(("einwohner_16plus", "brutto_stichprobe"), (
        "Bitte je Ortsteil die Einwohnerinnen und Einwohner ab 16 Jahren (einwohner_16plus, aus dem "
        "Melderegister am Stichtag der Stichprobe) und die Zahl der angeschriebenen Personen "
        "(brutto_stichprobe) eintragen; netto (Rücklauf) ist freiwillig."))
    if unfilled:
        return None, unfilled
    counts = {column: cells.counts(column, minimum=1) for column in ("einwohner_16plus", "brutto_stichprobe")}
    netto = cells.counts("netto", minimum=0, optional=True) if "netto" in cells.index else {}
    codes = cells.codes("ortsteil", minimum=1)
    first_line: dict[int, int] = {}
    for line in table.lines:
        code = codes.get(line)
        if code is not None:
            if code in first_line:
                cells.fail(line, "ortsteil", cells.text(line, "ortsteil"),
                           f"steht schon in Zeile {first_line[code]}; jede Schicht darf nur einmal vorkommen")
            first_line.setdefault(code, line)
        population, gross = counts["einwohner_16plus"].get(line), counts["brutto_stichprobe"].get(line)
        if population is not None and gross is not None and gross > population:
            cells.fail(line, "brutto_stichprobe", cells.text(line, "brutto_stichprobe"),
                       f"ist größer als einwohner_16plus ({population}); es können nicht mehr Personen "
                       "angeschrieben werden, als in der Schicht wohnen")
        net = netto.get(line)
        if net is not None and gross is not None and net > gross:
            cells.fail(line, "netto", cells.text(line, "netto"),
                       f"ist größer als brutto_stichprobe ({gross}); es können nicht mehr Personen antworten, "
                       "als angeschrieben wurden")
    if cells.found:
        return None, _limited(cells.found, rule, path)
    frame = pd.DataFrame({
        "code": [codes[line] for line in table.lines],
        "ortsteil": [cells.text(line, "ortsteil") for line in table.lines],
        "name": [cells.text(line, "name") for line in table.lines],
        "einwohner_16plus": pd.array([counts["einwohner_16plus"][line] for line in table.lines], dtype="int64"),
        "brutto_stichprobe": pd.array([counts["brutto_stichprobe"][line] for line in table.lines], dtype="int64"),
        "netto": pd.array([netto.get(line) for line in table.lines], dtype="Int64"),
        "zeile": pd.array(table.lines, dtype="int64"),
    })
    return StrataTable(path, frame), found


def check_strata_against_responses(strata: StrataTable, codes: pd.Series) -> list[Finding]:
    """Respondents per stratum (``codes``: the stratum code of each kept respondent) against strata.csv."""
    rule = F.STRATA_FILE
    counted = codes.dropna().astype(float).round().astype(int).value_counts().to_dict()
    file = strata.path.name
    found: list[Finding] = []
    for row in strata.frame.itertuples():
        n = int(counted.get(int(row.code), 0))
        where = f"Schicht {strata.label(int(row.code))}"
        if n == 0:
            found.append(rule.finding(file, line=int(row.zeile), item="ortsteil", value=row.ortsteil, detail=(
                f"{where} hat keine Befragten in den Antwortdaten; ohne Befragte lässt sich die Schicht "
                "nicht hochrechnen (falsche Codes in den Antworten oder eine Antwortdatei vergessen?).")))
        elif n > row.brutto_stichprobe:
            found.append(rule.finding(file, line=int(row.zeile), item="brutto_stichprobe",
                                      value=str(row.brutto_stichprobe), detail=(
                f"{where}: brutto_stichprobe {row.brutto_stichprobe} ist kleiner als die {n} Befragten "
                "dieser Schicht in den Antwortdaten (Rücklauf über 100 %); ist die Bruttostichprobe oder "
                "der Schichtcode in den Antworten falsch?")))
        elif not pd.isna(row.netto) and int(row.netto) != n:
            found.append(F.STRATA_NET.finding(file, line=int(row.zeile), item="netto", value=str(row.netto),
                                              where=where, net=int(row.netto), n=n))
    return found


# --------------------------------------------------------------------------------------- population


def read_population(path: Path, age_labels: set[str], ags: str | None = None, key: str = "bevoelkerung",
                    kommune: str | None = None) -> tuple[PopulationTable | None, list[Finding]]:
    rule = F.POPULATION_FILE
    table, found = _read(path, rule, key, POPULATION_COLUMNS)
    if table is None:
        return None, found
    cells = _Cells(table, rule)
    unfilled = cells.unfilled_template(("einwohner",), (
        "Bitte je Zeile die Zahl der Einwohnerinnen und Einwohner ab 16 Jahren dieses Geschlechts und dieser "
        "Altersgruppe eintragen (Einwohnermeldeamt oder Statistisches Landesamt, Stichtag möglichst nahe "
        "an der Befragung)."))
    if unfilled:
        return None, unfilled
    counts = cells.counts("einwohner", minimum=0)
    cells.codes("geschlecht", minimum=1)
    expected = ", ".join(sorted(age_labels))
    seen: dict[tuple[str, ...], int] = {}
    others = [name for name in cells.index if name not in ("einwohner", "ags")]
    for line in table.lines:
        area = cells.text(line, "ags")
        if ags is not None and not is_part_of(area, ags):
            commune = f"von {kommune} " if kommune else ""
            cells.fail(line, "ags", area, f"ist nicht der Gemeindeschlüssel {commune}({ags} laut analyse.yaml) "
                                          "und kein Gemeindeteil davon; ist es die Bevölkerungsdatei einer "
                                          "anderen Gemeinde?")
        elif ags is None and not (area.isdigit() and 8 <= len(area) <= 8 + MAX_PART_DIGITS):
            cells.fail(line, "ags", area, "ist kein Gemeindeschlüssel (8 Ziffern)")
        group = cells.text(line, "altersgruppe")
        if group not in age_labels:
            cells.fail(line, "altersgruppe", group, f"ist keine Altersgruppe des Fragebogens ({expected})")
        cell = tuple(cells.text(line, name) for name in others)
        if cell in seen:
            described = ", ".join(f"{name} {value}" for name, value in zip(others, cell))
            cells.fail(line, "einwohner", cells.text(line, "einwohner"),
                       f"ist die zweite Zahl für dieselbe Zelle ({described}; zuerst in Zeile {seen[cell]})")
        seen.setdefault(cell, line)
    if cells.found:
        return None, _limited(cells.found, rule, path)
    columns = {name: [cells.text(line, name) for line in table.lines] for name in cells.index if name != "einwohner"}
    frame = pd.DataFrame(columns)
    frame["einwohner"] = pd.array([counts[line] for line in table.lines], dtype="int64")
    frame["zeile"] = pd.array(table.lines, dtype="int64")
    return PopulationTable(path, frame), found


def is_part_of(area: str, ags: str) -> bool:
    """Whether ``area`` is the commune ``ags`` or one of its parts (AGS + up to four more digits)."""
    return area.isdigit() and area.startswith(ags) and len(area) - len(ags) <= MAX_PART_DIGITS


# ----------------------------------------------------------------------------------------- internals


class _Cells:
    """Cell access by column name for one table; failures become findings of ``rule``."""

    def __init__(self, table: RawTable, rule: Rule):
        self.table = table
        self.rule = rule
        self.index = {name.strip().lower(): position for position, name in enumerate(table.columns)}
        self.rows = dict(zip(table.lines, table.rows))
        self.found: list[Finding] = []

    def text(self, line: int, column: str) -> str:
        return self.rows[line][self.index[column]].strip()

    def fail(self, line: int, column: str, value: str, problem: str) -> None:
        self.found.append(self.rule.finding(self.table.name, line=line, item=column, value=value,
                                            detail=f"»{shown(value)}« {problem}" + ("" if problem.endswith(("?", ".")) else ".")))

    def unfilled_template(self, columns: tuple[str, ...], what_to_enter: str) -> list[Finding]:
        """One finding when every cell of ``columns`` is empty (the template of ``init`` left as it was)."""
        if any(self.text(line, column) for line in self.table.lines for column in columns):
            return []
        rows = len(self.table.lines)
        named = (f"die Spalte {columns[0]} ist" if len(columns) == 1
                 else "die Spalten " + " und ".join(columns) + " sind")
        where = {1: "der einen Zeile", 2: "beiden Zeilen"}.get(rows, f"allen {rows} Zeilen")
        return [self.rule.finding(self.table.name, detail=(
            f"Die Datei enthält noch die leere Vorlage: {named} in {where} leer. {what_to_enter}"))]

    def counts(self, column: str, minimum: int, optional: bool = False) -> dict[int, int]:
        """Whole counts of ``column`` by line (the number rule, with the column's decimal-point evidence)."""
        cells = [(line, self.text(line, column)) for line in self.table.lines]
        evidence = decimal_point_evidence(cells)
        values: dict[int, int] = {}
        for line, text in cells:
            if optional and not text:
                continue
            try:
                number = parse_count(text, decimal_point=evidence)
            except NumberFormatError as error:
                self.found.append(self.rule.finding(self.table.name, line=line, item=column, value=text,
                                                    detail=count_message(text, error.reason)))
                continue
            if number < minimum:
                self.fail(line, column, text, "ist keine positive Anzahl; erwartet wird eine Zahl größer als 0")
                continue
            values[line] = number
        return values

    def codes(self, column: str, minimum: int) -> dict[int, int]:
        values: dict[int, int] = {}
        for line in self.table.lines:
            text = self.text(line, column)
            try:
                code = parse_whole_code(text)
            except NumberFormatError as error:
                self.fail(line, column, text, error.reason)
                continue
            if code < minimum:
                self.fail(line, column, text, f"ist kein gültiger Code (erwartet: {minimum} oder größer)")
                continue
            values[line] = code
        return values


def _read(path: Path, rule: Rule, key: str, required: tuple[str, ...]) -> tuple[RawTable | None, list[Finding]]:
    if not path.exists():
        return None, [rule.finding(path.name, detail=f"Die unter »{key}« in analyse.yaml genannte Datei "
                                                      f"{path} existiert nicht.")]
    try:
        table = read_raw(path)
    except UserError as error:
        return None, [rule.finding(path.name, line=getattr(error, "line", None), detail=_without_path(error))]
    present = [name.strip().lower() for name in table.columns]
    missing = [column for column in required if column not in present]
    if missing:
        return None, [rule.finding(path.name, line=1, detail=(
            f"Es fehlen die Spalten {', '.join(missing)} (erwartet: {', '.join(required)})."))]
    doubled = sorted({name for name in present if name and present.count(name) > 1})
    if doubled:
        return None, [rule.finding(path.name, line=1, detail=f"Die Spalte {doubled[0]} kommt mehrfach vor.")]
    if not table.rows:
        return None, [rule.finding(path.name, detail="Die Datei enthält keine Datenzeilen.")]
    if table.fallback_lines:
        return table, [F.MIXED_ENCODING.finding(path.name, line=table.fallback_lines[0],
                                                lines=describe_lines(table.fallback_lines))]
    return table, []


def _without_path(error: UserError) -> str:
    """The message of a reader error without its »path, Zeile n: « prefix (the finding carries both)."""
    text = str(error)
    prefix = f"{error.path}" + (f", Zeile {error.line}" if error.line is not None else "") + ": "
    return text[len(prefix):] if error.path is not None and text.startswith(prefix) else text


def _limited(found: list[Finding], rule: Rule, path: Path) -> list[Finding]:
    if len(found) <= MAX_ROW_FINDINGS:
        return found
    rest = len(found) - MAX_ROW_FINDINGS
    return found[:MAX_ROW_FINDINGS] + [rule.finding(path.name, detail=f"… und {rest} weitere Fehler in {path.name}.")]
