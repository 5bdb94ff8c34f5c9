"""The ``pruefen`` step for an analysis folder: load config and questionnaire, read, check, write protocol."""

from __future__ import annotations

from pathlib import Path

from survey.folder import AnalysisFolder, load_folder
from survey.intake.combine import IntakeResult, load_responses
from survey.intake.folder_files import check_folder_files

PROTOCOL_NAME = "pruefprotokoll.csv"


def folder_questionnaire(folder: AnalysisFolder):
    """The questionnaire of ``analyse.yaml`` (id or path relative to the folder) with commune, Ortsteile, year."""
    from survey.questionnaire import load_questionnaire

    config = folder.config
    ref: str | Path = config.fragebogen
    candidate = folder.file(config.fragebogen)
    if candidate.suffix.lower() in (".yaml", ".yml") or candidate.exists():
        ref = candidate
    return load_questionnaire(ref, kommune=config.kommune, ortsteile=config.ortsteile or None, jahr=config.jahr)


def check_folder(path: str | Path) -> tuple[IntakeResult, Path]:
    """Validate all responses of the folder and write ``ergebnis/pruefprotokoll.csv``.

    The protocol is written only after the whole intake succeeded (atomically); a file that cannot be
    read raises :class:`survey.errors.InputFileError` and nothing is written.
    """
    folder = load_folder(path)
    questionnaire = folder_questionnaire(folder)
    extra = check_folder_files(folder, questionnaire)
    result = load_responses(folder, questionnaire, extra_findings=extra)
    protocol_path = result.protocol.write_csv(folder.result_dir / PROTOCOL_NAME)
    return result, protocol_path
