"""German messages for a profile that violates its schema: the JSON path of the bad value and what is
wrong with it (``breakdowns.records[3].estimate: 'abc' ist keine Zahl``)."""

from __future__ import annotations

import json
from typing import Any, Sequence

from pydantic import ValidationError

from survey.errors import UserError


class ProfileError(UserError):
    """A profile file cannot be read or violates its schema."""


def json_path(parts: Sequence[Any]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def show(value: Any) -> str:
    if isinstance(value, str):
        text = f"'{value}'"
    else:
        text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "…"


_TYPE_WORDS = {"number": "keine Zahl", "integer": "keine ganze Zahl", "string": "kein Text",
               "boolean": "kein Wahrheitswert (true oder false)", "array": "keine Liste", "object": "kein Objekt",
               "null": "nicht leer (null erwartet)"}
_PYDANTIC_TYPES = {"int_type": "integer", "int_from_float": "integer", "float_type": "number",
                   "string_type": "string", "bool_type": "boolean", "tuple_type": "array", "list_type": "array",
                   "model_type": "object", "dict_type": "object", "model_attributes_type": "object",
                   "none_required": "null"}


def _type_text(types: set[str]) -> str:
    if "number" in types:
        return _TYPE_WORDS["number"]
    for name in ("integer", "string", "boolean", "array", "object", "null"):
        if name in types:
            return _TYPE_WORDS[name]
    return "hat einen falschen Typ"


def _at(parts: Sequence[Any], text: str) -> str:
    return f"{json_path(parts)}: {text}." if parts else f"{text} auf oberster Ebene."


def _split_loc(document: Any, loc: Sequence[Any]) -> tuple[list[Any], list[Any]]:
    """(path of existing values, remaining loc): pydantic inserts union-member tags (``int``, ``float``)
    into ``loc``; they are not keys of the document."""
    path: list[Any] = []
    value = document
    rest = list(loc)
    while rest:
        part = rest[0]
        if isinstance(value, dict) and isinstance(part, str) and part in value:
            value = value[part]
        elif isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value):
            value = value[part]
        elif isinstance(value, dict) and isinstance(part, str) and len(rest) == 1:
            break  # a missing or unknown key
        else:
            rest.pop(0)
            continue
        path.append(part)
        rest.pop(0)
    return path, rest


def pydantic_message(document: Any, error: ValidationError) -> str:
    """The first violation of ``error`` in German."""
    errors = error.errors(include_url=False)
    first = errors[0]
    path, rest = _split_loc(document, first["loc"])
    same = [e for e in errors if _split_loc(document, e["loc"])[0] == path]
    kinds = {e["type"] for e in same}
    if first["type"] == "missing":
        return _at(path, f"Pflichtfeld »{rest[-1] if rest else first['loc'][-1]}« fehlt")
    if first["type"] == "extra_forbidden":
        return _at(path[:-1] if path and path[-1] == first["loc"][-1] else path,
                   f"unbekanntes Feld »{first['loc'][-1]}«")
    value = first.get("input")
    if kinds & {"enum", "literal_error"}:
        expected = next(e for e in same if e["type"] in ("enum", "literal_error"))["ctx"]["expected"]
        return _at(path, f"{show(value)} ist kein zulässiger Wert (zulässig: {expected.replace(' or ', ', ')})")
    if kinds & {"greater_than_equal", "less_than_equal"}:
        bound = next(e for e in same if e["type"] in ("greater_than_equal", "less_than_equal"))
        words = "kleiner als" if bound["type"] == "greater_than_equal" else "größer als"
        limit = bound["ctx"].get("ge", bound["ctx"].get("le"))
        return _at(path, f"{show(value)} ist {words} erlaubt (Grenze {show(limit)})")
    types = {_PYDANTIC_TYPES[k] for k in kinds if k in _PYDANTIC_TYPES}
    if types:
        return _at(path, f"{show(value)} ist {_type_text(types)}")
    if first["type"] == "value_error":
        return _at(path, str(first["ctx"]["error"]))
    return _at(path, f"{show(value)} ist ungültig ({first['msg']})")


def schema_message(error) -> str:  # noqa: ANN001 - a jsonschema.ValidationError (imported where it is raised)
    """A JSON-Schema violation (1.0 files) in German."""
    path = list(error.absolute_path)
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return _at(path, f"Pflichtfeld »{missing}« fehlt")
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return _at(path, f"unbekanntes Feld »{extra[0] if extra else '?'}«")
    if error.validator == "type":
        expected = error.validator_value
        return _at(path, f"{show(error.instance)} ist {_type_text(set([expected] if isinstance(expected, str) else expected))}")
    if error.validator in ("enum", "const"):
        allowed = error.validator_value if error.validator == "enum" else [error.validator_value]
        return _at(path, f"{show(error.instance)} ist kein zulässiger Wert (zulässig: "
                         f"{', '.join(show(a) for a in allowed)})")
    if error.validator in ("minimum", "maximum", "minItems"):
        words = "kleiner als" if error.validator != "maximum" else "größer als"
        return _at(path, f"{show(error.instance)} ist {words} erlaubt (Grenze {error.validator_value})")
    return _at(path, f"{show(error.instance)} ist ungültig")
