"""The one validation of an analysis folder: what ``pruefen`` refuses, every command refuses.

``pruefen``, ``gewichten``, ``schaetzen``, ``analysieren``, ``bericht``, ``run`` (and any later command
that reads the responses) call :func:`validate_folder` before they write anything. It reads
analyse.yaml, the questionnaire, population.csv and strata.csv (:mod:`survey.intake.folder_files`), all
response files and the web store (:mod:`survey.intake`), and pks.csv; it cross-checks the strata
against the responses. A file that cannot be read at all raises its own :class:`~survey.errors.UserError`;
findings of severity »fehler« (or no usable record) raise :class:`~survey.errors.DataRefusedError` with
one German message listing them. Either way the command writes nothing, so an earlier good
``ergebnis/`` stays as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from survey.errors import ConfigError, DataRefusedError
from survey.folder import AnalysisFolder, load_folder
from survey.intake.combine import IntakeResult, load_responses
from survey.intake.findings import FEHLER, Finding
from survey.intake.folder_files import (
    PopulationTable,
    StrataTable,
    check_strata_against_responses,
)
from survey.intake.protocol import Pruefprotokoll
from survey.recommendations import check_success_indicators

MAX_LISTED_ERRORS = 12
MAX_LISTED_ROWS = 5


@dataclass(frozen=True)
class CheckedFolder:
    """The validation of an opened folder: the responses as read (``intake``, with the protocol); the
    questionnaire, population, strata and PKS tables are the folder's own (read once)."""

    folder: AnalysisFolder
    intake: IntakeResult

    @property
    def questionnaire(self):  # noqa: ANN201 - survey.questionnaire.Questionnaire
        return self.folder.questionnaire

    @property
    def population(self) -> PopulationTable | None:
        return self.folder.population

    @property
    def strata(self) -> StrataTable | None:
        return self.folder.strata

    @property
    def pks(self):  # noqa: ANN201 - survey.pks.PksTable | None
        return self.folder.pks

    @property
    def protocol(self) -> Pruefprotokoll:
        return self.intake.protocol

    @property
    def usable(self) -> bool:
        return self.protocol.valid

    def refusal(self) -> DataRefusedError | None:
        """The error every command raises for this folder, or None when the data are usable."""
        if self.usable:
            return None
        return DataRefusedError(refusal_message(self.protocol, self.folder.path))


def check_margin_sources(folder: AnalysisFolder, population_columns: set[str] | None) -> None:
    """Every calibration characteristic needs totals: strata.csv for the stratification variable,
    population.csv for the others (``population_columns`` None: no population file). ConfigError if not."""
    config = folder.config
    for variable in config.gewichtung.merkmale:
        if variable == config.stichprobe.schichtung and config.stichprobe.schichten:
            continue
        if population_columns is None:
            where = ("in analyse.yaml ist keine Bevölkerungsdatei (»bevoelkerung«) angegeben" if not config.bevoelkerung
                     else f"{config.bevoelkerung} ist nicht verwendbar")
        elif variable not in population_columns:
            where = f"{config.bevoelkerung} hat keine Spalte »{variable}«"
        else:
            continue
        raise ConfigError(
            f"Für das Gewichtungsmerkmal »{variable}« (gewichtung.merkmale) gibt es keine Bevölkerungszahlen: "
            f"{where}, und es ist nicht das Schichtungsmerkmal.", path=folder.config_path)


def inspect_folder(folder: str | Path | AnalysisFolder) -> CheckedFolder:
    """Read and check everything; raises only for a file that cannot be read at all (see module doc).

    The result is kept in ``folder.checked``: a second call on the same folder returns it unchanged."""
    folder = folder if isinstance(folder, AnalysisFolder) else load_folder(folder)
    if folder.checked is not None:
        return folder.checked
    questionnaire = folder.questionnaire
    files = folder.files
    if not any(f.code == "bevoelkerung-datei" for f in files.findings):
        check_margin_sources(folder, set(files.population.frame.columns) if files.population else None)
    intake = load_responses(folder, questionnaire, extra_findings=list(files.findings), strata=files.strata)
    variable = folder.config.stichprobe.schichtung
    if files.strata is not None and variable and variable in intake.data:
        more = check_strata_against_responses(files.strata, intake.data[variable])
        if more:
            protocol = intake.protocol
            intake = replace(intake, protocol=replace(protocol, findings=(*protocol.findings, *more)))
    folder.pks  # read (and refuse) the PKS file now, before anything is written
    folder.previous_wave  # and the earlier wave of »vorwelle« (issue 12)
    check_success_indicators(folder.rules, {s.id: s.id for s in questionnaire.indicator_specs() if s.core})
    folder.checked = CheckedFolder(folder, intake)
    return folder.checked


def validate_folder(folder: str | Path | AnalysisFolder) -> CheckedFolder:
    """:func:`inspect_folder`, then refuse unusable data with :class:`DataRefusedError` (exit status 1)."""
    checked = inspect_folder(folder)
    refusal = checked.refusal()
    if refusal is not None:
        raise refusal
    return checked


def finding_location(finding: Finding, *, line: bool = True) -> str:
    """``strata.csv, Zeile 3, Spalte brutto_stichprobe`` / ``antworten.csv, Zeile 5, Spalte ortsteil (resp_id R4)``."""
    where = finding.file
    if line and finding.line is not None:
        where += f", Zeile {finding.line}"
    if finding.item:
        where += f", Spalte {finding.item}"
    if line and finding.resp_id:
        where += f" (resp_id {finding.resp_id})"
    return where


def refusal_message(protocol: Pruefprotokoll, folder_path: Path) -> str:
    """One German message for all errors; the same error in many rows is one line listing the rows."""
    errors = [finding for finding in protocol.findings if finding.severity == FEHLER]
    lines = [f"Die Daten in {folder_path} sind so nicht verwendbar; es wurde nichts geschrieben "
             "(frühere Ergebnisse in ergebnis/ bleiben unverändert)."]
    if errors:
        groups: dict[tuple, list[Finding]] = {}
        for finding in errors:
            groups.setdefault((finding.file, finding.item, finding.message), []).append(finding)
        lines.append(f"{len(errors)} Fehler:")
        for members in list(groups.values())[:MAX_LISTED_ERRORS]:
            first = members[0]
            if len(members) == 1:
                lines.append(f"  {finding_location(first)}: {first.message}")
                continue
            rows = [f"Zeile {f.line}" + (f" (resp_id {f.resp_id})" if f.resp_id else "") for f in members]
            rest = f" und {len(rows) - MAX_LISTED_ROWS} weitere" if len(rows) > MAX_LISTED_ROWS else ""
            lines.append(f"  {finding_location(first, line=False)}: {first.message} Betrifft {len(rows)} Zeilen: "
                         f"{', '.join(rows[:MAX_LISTED_ROWS])}{rest}.")
        if len(groups) > MAX_LISTED_ERRORS:
            lines.append(f"  … und {len(groups) - MAX_LISTED_ERRORS} weitere Fehlerarten.")
    else:
        lines.append("Aus den Antwortdateien wurde kein einziger Datensatz übernommen "
                     "(Einzelheiten zeigt »sicherheitsanalyse pruefen«).")
    lines.append(f"Bitte korrigieren und mit »sicherheitsanalyse pruefen {folder_path}« erneut prüfen.")
    return "\n".join(lines)
