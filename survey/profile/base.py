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

    # TRANSITIONAL (issue 11): key access for report code not yet converted to attributes; removed
    # when survey/report reads attributes only.
    def __getitem__(self, key: str):
        if key not in type(self).model_fields:
            raise KeyError(key)
        return getattr(self, key)

    def get(self, key: str, default=None):
        return getattr(self, key) if key in type(self).model_fields else default

    def __contains__(self, key: object) -> bool:
        return key in type(self).model_fields

    def keys(self):
        return type(self).model_fields.keys()


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
