"""The fast check of findings in a profile (survey.profile.findings): compiled from the finding's JSON
schema, it accepts only what the schema accepts, and every finding it refuses gets the schema's own
verdict and message."""

from __future__ import annotations

import json

import jsonschema
import pytest
from pydantic_core import ValidationError

from analysis.findings import FINDING_SCHEMA, Effect, EffectKind, EstimateRef, Finding, Test
from survey.profile.errors import schema_message
from survey.profile.findings import _FAST, _finding, subset_validator

SCHEMA = jsonschema.Draft202012Validator(FINDING_SCHEMA)


def _valid() -> dict:
    finding = Finding("subgroup:x:geschlecht:2", "subgroup", "subgroup:x:geschlecht", "x",
                      (EstimateRef("group", "x", "2", 0.31, 0.02, 0.27, 0.35, 180, 370.0, "ok", 1),
                       EstimateRef("rest", "x", None, 0.22, 0.02, 0.18, 0.26, 190, 370.0, "ok", None)),
                      Effect(EffectKind.DIFFERENCE_PROPORTION, 0.09, 0.03, 0.15),
                      Test("svyttest", 3.1, 370.0, 0.002), 0.01, "holm", 4, "clear", "higher", by="geschlecht",
                      group="2", worse=True)
    return json.loads(json.dumps(finding.to_dict()))


def _set(path, value):
    def change(d):
        *head, last = path
        for key in head:
            d = d[key]
        if value is KeyError:
            del d[last]
        else:
            d[last] = value
    return change


MUTATIONS = [
    _set(("id",), 3), _set(("id",), None), _set(("kind",), "unterschied"), _set(("kind",), None),
    _set(("by",), 1), _set(("group",), None), _set(("group",), ["2"]),
    _set(("p_adjusted",), 1.5), _set(("p_adjusted",), -0.1), _set(("p_adjusted",), 1), _set(("p_adjusted",), 0),
    _set(("p_adjusted",), True), _set(("p_adjusted",), "0.01"), _set(("p_adjusted",), float("nan")),
    _set(("family_size",), -1), _set(("family_size",), 4.0), _set(("family_size",), 4.5), _set(("family_size",), True),
    _set(("worse",), 1), _set(("worse",), None), _set(("note",), "suppressed"), _set(("note",), "leer"),
    _set(("adjustment",), "fdr"), _set(("strength",), "deutlich"), _set(("direction",), "up"),
    _set(("estimates",), {}), _set(("estimates",), []), _set(("estimates", 0, "n"), 180.0),
    _set(("estimates", 0, "n"), "180"), _set(("estimates", 0, "rank"), None), _set(("estimates", 0, "value"), 1),
    _set(("estimates", 0, "value"), False), _set(("estimates", 0, "df"), None), _set(("estimates", 0, "satz"), "x"),
    _set(("estimates", 1, "role"), KeyError), _set(("estimates", 0), "x"),
    _set(("effect",), None), _set(("effect",), 0.09), _set(("effect", "kind"), "ratio"),
    _set(("effect", "value"), None), _set(("effect", "value"), "viel"), _set(("effect", "extra"), 1),
    _set(("test",), None), _set(("test", "p"), 2.0), _set(("test", "p"), None), _set(("test", "df2"), 12),
    _set(("test", "name"), 7), _set(("test", "df2"), KeyError),
    _set(("satz",), "deutlich höher"), _set(("note",), KeyError), _set(("estimates",), KeyError),
]


@pytest.mark.parametrize("index", range(len(MUTATIONS)))
def test_fast_check_accepts_only_what_the_schema_accepts_and_words_refusals_as_the_schema(index):
    document = _valid()
    MUTATIONS[index](document)
    schema_errors = list(SCHEMA.iter_errors(document))
    try:
        _FAST.validate_python(document)
        fast_ok = True
    except ValidationError:
        fast_ok = False
    assert not fast_ok or not schema_errors  # fast path never accepts what the schema refuses
    if schema_errors:
        with pytest.raises(ValueError) as failure:
            _finding(document)
        expected = schema_message(jsonschema.exceptions.best_match(SCHEMA.iter_errors(document)))
        assert str(failure.value) == f"ungültiger Befund, {expected}"
    else:
        assert _finding(document) == Finding.from_dict(document)


def test_fast_check_takes_the_valid_finding_and_the_schema_has_no_keyword_it_ignores():
    _FAST.validate_python(_valid())
    with pytest.raises(ValueError, match="not supported"):
        subset_validator({"type": "string", "pattern": "^a"})
    with pytest.raises(ValueError, match="closed objects"):
        subset_validator({"type": "object", "properties": {"a": {"type": "string"}}, "required": []})
