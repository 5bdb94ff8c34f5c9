"""User-facing errors of the application.

Every error that can reach a user carries a complete German sentence naming the file, the line or row
and the offending value. The CLI turns them into a message and exit status 1 (see survey.cli).
"""

from __future__ import annotations

from pathlib import Path


class UserError(Exception):
    """An error caused by input the user can fix. ``message`` is German and complete."""

    def __init__(self, message: str, *, path: str | Path | None = None, line: int | None = None):
        self.path = Path(path) if path is not None else None
        self.line = line
        location = ""
        if self.path is not None:
            location = f"{self.path}"
            if line is not None:
                location += f", Zeile {line}"
            location += ": "
        self.message = location + message
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class DefinitionError(UserError):
    """A questionnaire definition (YAML) is invalid."""


class ConfigError(UserError):
    """analyse.yaml or one of the files it names is invalid."""


class InputFileError(UserError):
    """A data file (responses, population, strata, PKS) cannot be read at all."""


class DataRefusedError(UserError):
    """The validation of an analysis folder found errors: every command refuses and writes nothing."""
