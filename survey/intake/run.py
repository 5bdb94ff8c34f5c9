"""The ``pruefen`` step for an analysis folder: validate (:mod:`survey.validation`), write the protocol."""

from __future__ import annotations

from pathlib import Path

from survey.intake.combine import IntakeResult
from survey.validation import CheckedFolder, validate_folder

PROTOCOL_NAME = "pruefprotokoll.csv"


def write_protocol(checked: CheckedFolder) -> Path:
    """Write ``ergebnis/pruefprotokoll.csv`` of a validated folder (atomically)."""
    return checked.protocol.write_csv(checked.folder.result_dir / PROTOCOL_NAME)


def check_folder(path: str | Path) -> tuple[IntakeResult, Path]:
    """Validate the folder and write ``ergebnis/pruefprotokoll.csv``.

    Unusable data raise :class:`survey.errors.DataRefusedError`, a file that cannot be read raises
    :class:`survey.errors.InputFileError`; in both cases nothing is written.
    """
    checked = validate_folder(path)
    return checked.intake, write_protocol(checked)
