"""Check the population and strata files named in analyse.yaml against their contract (DESIGN.md §3).

``population.csv``: ``ags,geschlecht,altersgruppe,einwohner``; ``strata.csv``:
``ortsteil,name,einwohner_16plus,brutto_stichprobe[,netto]``. Problems become findings of severity
»fehler« (rules ``bevoelkerung-datei`` and ``schichten-datei``) naming file and row, so that the
Prüfprotokoll lists all of them at once; the weighting step reads the files itself.
"""

from __future__ import annotations

from pathlib import Path

from survey.errors import UserError
from survey.intake import findings as F
from survey.intake.findings import Finding, Rule
from survey.intake.readers import read_raw
from survey.questionnaire.conditions import parse_code

POPULATION_COLUMNS = ("ags", "geschlecht", "altersgruppe", "einwohner")
STRATA_COLUMNS = ("ortsteil", "name", "einwohner_16plus", "brutto_stichprobe")
MAX_ROW_FINDINGS = 20


def check_folder_files(folder, questionnaire) -> list[Finding]:
    """Findings for ``bevoelkerung`` and ``stichprobe.schichten`` of an analysis folder."""
    config = folder.config
    found: list[Finding] = []
    if config.bevoelkerung:
        labels = {group.label for group in questionnaire.age_groups}
        found += check_population(folder.file(config.bevoelkerung), labels, key="bevoelkerung")
    if config.stichprobe.schichten:
        found += check_strata(folder.file(config.stichprobe.schichten), key="stichprobe.schichten")
    return found


def check_population(path: Path, age_labels: set[str], key: str = "bevoelkerung") -> list[Finding]:
    rule = F.POPULATION_FILE
    table, found = _read(path, rule, key, POPULATION_COLUMNS)
    if table is None:
        return found
    index = {name.strip().lower(): position for position, name in enumerate(table.columns)}
    for line, row in zip(table.lines, table.rows):
        get = {column: row[index[column]] for column in POPULATION_COLUMNS}
        if not (len(get["ags"]) in (2, 5, 8) and get["ags"].isdigit()):
            found.append(_row(rule, path, line, "ags", get["ags"], "ist kein Gemeindeschlüssel"))
        if not _whole(get["geschlecht"], minimum=1):
            found.append(_row(rule, path, line, "geschlecht", get["geschlecht"], "ist kein Geschlechtscode"))
        if get["altersgruppe"] not in age_labels:
            expected = ", ".join(sorted(age_labels))
            found.append(_row(rule, path, line, "altersgruppe", get["altersgruppe"],
                              f"ist keine Altersgruppe des Fragebogens ({expected})"))
        if not _whole(get["einwohner"], minimum=0):
            found.append(_row(rule, path, line, "einwohner", get["einwohner"], "ist keine Einwohnerzahl"))
    return _limited(found, rule, path)


def check_strata(path: Path, key: str = "stichprobe.schichten") -> list[Finding]:
    rule = F.STRATA_FILE
    table, found = _read(path, rule, key, STRATA_COLUMNS)
    if table is None:
        return found
    index = {name.strip().lower(): position for position, name in enumerate(table.columns)}
    for line, row in zip(table.lines, table.rows):
        get = {column: row[position] for column, position in index.items()}
        if not _whole(get["ortsteil"], minimum=1):
            found.append(_row(rule, path, line, "ortsteil", get["ortsteil"], "ist kein Ortsteil-Code"))
        for column in ("einwohner_16plus", "brutto_stichprobe"):
            if not _whole(get[column], minimum=1):
                found.append(_row(rule, path, line, column, get[column], "ist keine positive ganze Zahl"))
        if "netto" in get and get["netto"] and not _whole(get["netto"], minimum=0):
            found.append(_row(rule, path, line, "netto", get["netto"], "ist keine ganze Zahl"))
        if _whole(get["einwohner_16plus"], 1) and _whole(get["brutto_stichprobe"], 1):
            if float(get["brutto_stichprobe"]) > float(get["einwohner_16plus"]):
                found.append(_row(rule, path, line, "brutto_stichprobe", get["brutto_stichprobe"],
                                  "ist größer als einwohner_16plus"))
    return _limited(found, rule, path)


def _read(path: Path, rule: Rule, key: str, required: tuple[str, ...]):
    if not path.exists():
        return None, [rule.finding(path.name, detail=f"Die unter »{key}« in analyse.yaml genannte Datei "
                                                      f"{path} existiert nicht.")]
    try:
        table = read_raw(path)
    except UserError as error:
        return None, [rule.finding(path.name, detail=str(error))]
    present = {name.strip().lower() for name in table.columns}
    missing = [column for column in required if column not in present]
    if missing:
        return None, [rule.finding(path.name, line=1, detail=(
            f"{path.name}, Zeile 1: es fehlen die Spalten {', '.join(missing)} "
            f"(erwartet: {', '.join(required)})."))]
    if not table.rows:
        return None, [rule.finding(path.name, detail=f"{path.name} enthält keine Datenzeilen.")]
    return table, []


def _row(rule: Rule, path: Path, line: int, column: str, value: str, problem: str) -> Finding:
    return rule.finding(path.name, line=line, item=column, value=value,
                        detail=f"{path.name}, Zeile {line}: »{value}« in Spalte {column} {problem}.")


def _whole(text: str, minimum: int) -> bool:
    number = parse_code(text)
    return number is not None and number.is_integer() and number >= minimum


def _limited(found: list[Finding], rule: Rule, path: Path) -> list[Finding]:
    if len(found) <= MAX_ROW_FINDINGS:
        return found
    rest = len(found) - MAX_ROW_FINDINGS
    return found[:MAX_ROW_FINDINGS] + [rule.finding(path.name, detail=f"… und {rest} weitere Fehler in {path.name}.")]
