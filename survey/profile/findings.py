"""A finding inside the profile: typed by :class:`analysis.findings.types.Finding`, checked against its
JSON schema (:data:`analysis.findings.schema.FINDING`), written with ``to_dict``."""

from __future__ import annotations

from typing import Annotated, Any

import jsonschema
from pydantic import PlainSerializer, PlainValidator, WithJsonSchema

from analysis.findings.schema import FINDING
from analysis.findings.types import Finding
from survey.profile.errors import schema_message

_FINDING_VALIDATOR = jsonschema.Draft202012Validator(FINDING)


def _finding(value: Any) -> Finding:
    if isinstance(value, Finding):
        return value
    if not isinstance(value, dict):
        raise ValueError("ein Befund muss ein JSON-Objekt sein")
    error = jsonschema.exceptions.best_match(_FINDING_VALIDATOR.iter_errors(value))
    if error is not None:
        raise ValueError(f"ungültiger Befund, {schema_message(error)}")
    return Finding.from_dict(value)


FindingField = Annotated[Finding, PlainValidator(_finding), PlainSerializer(lambda f: f.to_dict()),
                         WithJsonSchema(FINDING)]
