"""The ``pruefen`` step for an analysis folder: validate (:mod:`survey.validation`), write the protocol."""

from __future__ import annotations

from pathlib import Path

from survey.folder import AnalysisFolder
from survey.intake.combine import IntakeResult

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


def write_protocol(checked) -> Path:  # noqa: ANN001 - survey.validation.CheckedFolder
    """Write ``ergebnis/pruefprotokoll.csv`` of a validated folder (atomically)."""
    return checked.protocol.write_csv(checked.folder.result_dir / PROTOCOL_NAME)


def check_folder(path: str | Path) -> tuple[IntakeResult, Path]:
    """Validate the folder and write ``ergebnis/pruefprotokoll.csv``.

    Unusable data raise :class:`survey.errors.DataRefusedError`, a file that cannot be read raises
    :class:`survey.errors.InputFileError`; in both cases nothing is written.
    """
    from survey.validation import validate_folder

    checked = validate_folder(path)
    return checked.intake, write_protocol(checked)
