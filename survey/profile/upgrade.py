"""Upgrade a 1.0 profile document (already checked against ``profil-1.0.schema.json``) to the 2.0 shape.

2.0 keeps every figure of 1.0. What 1.0 files may carry that 2.0 no longer has is German prose that the
engine wrote before it produced codes (``sentence``, ``summary``, ``message``, ``methods.notes``,
``suppression_rules``, labels of the PKS fields of action, ``method`` texts): those keys are dropped,
the report words the codes. A flag reason sentence becomes its code; a method or Dunkelfeld caveat given as the exact German text of a known code becomes
that code. Fields 2.0 has and a 1.0 file lacks are filled by the types' defaults
(``None`` or empty), and ``upgraded_from`` is ``"1.0"``.
"""

from __future__ import annotations

import copy
import re
import typing
from functools import lru_cache
from typing import Any

from pydantic import BaseModel

from analysis.core.flags import FlagReason
from survey.profile.document import SCHEMA_VERSION, ProfileDocument
from survey.wording.crime import CAVEATS
from survey.wording.methods import TEXTS as METHOD_TEXTS

# 1.0-era files wrote the German text of a method where 2.0 has its code: the exact text gives the code back
_METHOD_CODES = {(key, text): code for (key, code), text in METHOD_TEXTS.items()}
_CAVEAT_CODES = {text: code for code, text in CAVEATS.items()}
_REASON_CODES = frozenset(reason.value for reason in FlagReason)


def _caveat_codes(caveats: Any) -> Any:
    return [_CAVEAT_CODES.get(c, c) for c in caveats] if isinstance(caveats, list) else caveats


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The contract models an annotation (``Optional[X]``, ``tuple[X, ...]``, ``Annotated``) holds."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    if typing.get_origin(annotation) is typing.Annotated:
        return _models_in(typing.get_args(annotation)[0])
    for argument in typing.get_args(annotation):
        if argument is not Ellipsis and not isinstance(argument, str):  # Literal values are strings
            found.extend(_models_in(argument))
    return found


@lru_cache(maxsize=None)
def _children(model: type[BaseModel]) -> dict[str, type[BaseModel] | None]:
    """Field name -> the one contract model inside it (``None`` for plain values)."""
    out: dict[str, type[BaseModel] | None] = {}
    for name, field in model.model_fields.items():
        inner = _models_in(field.annotation)
        out[name] = inner[0] if len(inner) == 1 else None
    return out


def prune(value: Any, model: type[BaseModel]) -> Any:
    """``value`` without the keys ``model`` (recursively) does not know."""
    if isinstance(value, list):
        return [prune(item, model) for item in value]
    if not isinstance(value, dict):
        return value
    children = _children(model)
    out = {}
    for key, item in value.items():
        if key in children:
            inner = children[key]
            out[key] = item if inner is None else prune(item, inner)
    return out


def reason_code(text: str) -> str | None:
    """The flag reason code of a 1.0-era German reason sentence (None if it names none)."""
    if text in _REASON_CODES:
        return text
    if "kein Konfidenzintervall" in text:
        return "no_interval"
    if "Konfidenzintervall" in text and "breit" in text:
        return "wide_interval"
    if "Nennungen" in text:
        return "few_mentions_reliable" if text.startswith("Nur") else "few_mentions"
    if text.startswith("Nur"):
        return "small_n"
    if text.startswith("Weniger als") or "nicht ausgewiesen" in text:
        return "few_answers"
    return None


def _reason_codes(value: Any) -> None:
    """1.0-era files carry the German sentence where 2.0 has the reason code: every ``flag_reason``."""
    if isinstance(value, list):
        for item in value:
            _reason_codes(item)
    elif isinstance(value, dict):
        reason = value.get("flag_reason")
        if isinstance(reason, str):
            value["flag_reason"] = reason_code(reason)
        for item in value.values():
            _reason_codes(item)


# the numbers a 1.0 series flag gave only in its ``message`` (2.0: fields the report words)
_SERIES_NUMBERS = re.compile(r"Fallzahl \d{4} \(([\d.]+) statt (?:nach dem Verlauf der übrigen Jahre )?erwartet etwa "
                             r"([\d.]+)\)")


def _series_flag_fields(flag: Any, immigration_share: Any) -> None:
    """Fill the fields of a 1.0 series flag that 2.0 words from: the year list of a Corona flag, the
    share of a Grenzgebiet flag (``crime.total.immigration_share``), the counts of a Serieneffekt."""
    if not isinstance(flag, dict):
        return
    if flag.get("code") == "corona" and not flag.get("years") and isinstance(flag.get("year"), int):
        flag["years"] = [flag["year"]]
    elif flag.get("code") == "grenzgebiet" and flag.get("share") is None and isinstance(immigration_share, float):
        flag["share"] = immigration_share
    elif flag.get("code") == "serieneffekt" and flag.get("cases") is None:
        found = _SERIES_NUMBERS.search(str(flag.get("message") or ""))
        if found:
            flag["cases"] = int(found.group(1).replace(".", ""))
            flag["expected"] = int(found.group(2).replace(".", ""))


def _series_flags(document: dict[str, Any]) -> None:
    crime = document.get("crime")
    if not isinstance(crime, dict):
        return
    total = crime.get("total") if isinstance(crime.get("total"), dict) else {}
    share = total.get("immigration_share")
    _series_flag_fields(total.get("flag"), share)
    for offence in crime.get("offences") or ():
        for flag in (offence.get("flags") or ()) if isinstance(offence, dict) else ():
            _series_flag_fields(flag, share)


def upgrade_1_0(document: dict[str, Any]) -> ProfileDocument:
    document = copy.deepcopy(document)
    _series_flags(document)
    data = prune(document, ProfileDocument)
    _reason_codes(data)
    methods = data.get("methods")
    if isinstance(methods, dict):
        data["methods"] = {key: _METHOD_CODES.get((key, value), value) if isinstance(value, str) else value
                           for key, value in methods.items()}
    dunkelfeld = data.get("dunkelfeld")
    if isinstance(dunkelfeld, dict):
        dunkelfeld["caveats"] = _caveat_codes(dunkelfeld.get("caveats"))
        for row in dunkelfeld.get("rows") or ():
            row["caveats"] = _caveat_codes(row.get("caveats"))
    data["schema_version"] = SCHEMA_VERSION
    data["upgraded_from"] = "1.0"
    return ProfileDocument.model_validate(data)
