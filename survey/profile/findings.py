"""A finding inside the profile: typed by :class:`analysis.findings.types.Finding`, checked against its
JSON schema (:data:`analysis.findings.schema.FINDING`), written with ``to_dict``.

The check: the generic JSON-Schema validator took 0.2 ms per finding (a fifth of a second for the
largest sample profile, on every write and every read). A pydantic-core validator compiled from the
same schema (:func:`subset_validator`) accepts only documents the schema accepts (it is stricter where
the two could differ, e.g. ``1.0`` as an integer); whatever it refuses goes to the JSON-Schema
validator, which decides and words the error. So the verdict and the message are the schema's.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any

from pydantic import PlainSerializer, PlainValidator, WithJsonSchema
from pydantic_core import CoreSchema, SchemaValidator, ValidationError, core_schema

from analysis.findings.schema import FINDING
from analysis.findings.types import Finding
from survey.profile.errors import schema_message



@lru_cache(maxsize=1)
def _finding_validator():  # noqa: ANN202 - jsonschema.Draft202012Validator
    """The JSON-Schema validator, which decides and words what the fast check refuses (imported only then:
    the import costs 0.1 s of every run)."""
    import jsonschema

    return jsonschema.Draft202012Validator(FINDING)


def _bounds(schema: dict[str, Any]) -> dict[str, Any]:
    return {key: schema[source] for source, key in (("minimum", "ge"), ("maximum", "le")) if source in schema}


_SCALARS = {
    "string": lambda s: core_schema.str_schema(strict=True),
    "boolean": lambda s: core_schema.bool_schema(strict=True),
    "integer": lambda s: core_schema.int_schema(strict=True, **_bounds(s)),
    # a JSON number is an int or a float (never a bool); NaN fails a bound check and goes the slow way
    "number": lambda s: core_schema.float_schema(strict=True, **_bounds(s)),
    "null": lambda s: core_schema.none_schema(),
}
_KNOWN = {"type", "enum", "properties", "required", "additionalProperties", "items", "oneOf", "minimum",
          "maximum"}


def _core(schema: dict[str, Any]) -> CoreSchema:
    """A pydantic-core schema accepting a subset of what the JSON ``schema`` accepts (ValueError for a
    keyword it does not know, so a schema change cannot silently widen the fast path)."""
    unknown = set(schema) - _KNOWN
    if unknown:
        raise ValueError(f"keyword(s) not supported by the fast finding check: {sorted(unknown)}")
    if "enum" in schema:
        return core_schema.literal_schema(list(schema["enum"]))
    if "oneOf" in schema:  # only alternatives that exclude each other (null or an object)
        kinds = [option.get("type") for option in schema["oneOf"]]
        if sorted(map(str, kinds)) != ["null", "object"]:
            raise ValueError(f"oneOf not supported by the fast finding check: {kinds}")
        return core_schema.nullable_schema(_core(next(o for o in schema["oneOf"] if o.get("type") == "object")))
    types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    nullable = "null" in types
    types = [t for t in types if t != "null"]
    if not types:
        return core_schema.none_schema()
    if len(types) != 1:
        raise ValueError(f"type union not supported by the fast finding check: {types}")
    kind = types[0]
    if kind == "object":
        if schema.get("additionalProperties") is not False or set(schema.get("required", ())) != set(schema["properties"]):
            raise ValueError("the fast finding check needs closed objects with every property required")
        inner = core_schema.typed_dict_schema(
            {name: core_schema.typed_dict_field(_core(sub), required=True) for name, sub in schema["properties"].items()},
            extra_behavior="forbid", strict=True)
    elif kind == "array":
        inner = core_schema.list_schema(_core(schema["items"]), strict=True)
    else:
        inner = _SCALARS[kind](schema)
    return core_schema.nullable_schema(inner) if nullable else inner


def subset_validator(schema: dict[str, Any]) -> SchemaValidator:
    return SchemaValidator(_core(schema))


_FAST = subset_validator(FINDING)


def _finding(value: Any) -> Finding:
    if isinstance(value, Finding):
        return value
    if not isinstance(value, dict):
        raise ValueError("ein Befund muss ein JSON-Objekt sein")
    try:
        _FAST.validate_python(value)
    except ValidationError:
        from jsonschema.exceptions import best_match

        error = best_match(_finding_validator().iter_errors(value))
        if error is not None:
            raise ValueError(f"ungültiger Befund, {schema_message(error)}") from None
    return Finding.from_dict(value)


FindingField = Annotated[Finding, PlainValidator(_finding), PlainSerializer(lambda f: f.to_dict()),
                         WithJsonSchema(FINDING)]
