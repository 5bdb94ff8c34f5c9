"""Base of the profile contract types: frozen pydantic models, unknown keys refused.

Numbers that the writer may give as an integer or a float (thresholds from the rule file, counts in a
float column) are :data:`Number`, so a profile keeps its exact JSON text when it is read and written
again (``2`` stays ``2``, ``2.0`` stays ``2.0``)."""

from __future__ import annotations

from enum import StrEnum
from typing import Union

from pydantic import BaseModel, ConfigDict

Number = Union[int, float]


class Contract(BaseModel):
    """A frozen part of ``profil.json``. Field order = key order in the file."""

    model_config = ConfigDict(frozen=True, extra="forbid", json_schema_serialization_defaults_required=True)


class Flag(StrEnum):
    """Reliability flag of an estimate (the rule is ``analysis.core.flags``); JSON values as in 1.0."""

    OK = "ok"
    UNSICHER = "unsicher"
    UNTERDRUECKT = "unterdrueckt"


class Kind(StrEnum):
    PROPORTION = "proportion"
    MEAN = "mean"


class Priority(StrEnum):
    HOCH = "hoch"
    MITTEL = "mittel"
    NIEDRIG = "niedrig"
