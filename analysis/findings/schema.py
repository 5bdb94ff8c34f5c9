"""JSON Schema (draft 2020-12) of one serialised finding (:meth:`Finding.to_dict`) and of a family
summary, for embedding in the profile schema 2.0 (``"findings": {"type": "array", "items": FINDING}``)."""

from __future__ import annotations

from analysis.findings.types import Direction, EffectKind, FindingKind, Strength

_NUMBER = {"type": ["number", "null"]}
_TEXT = {"type": ["string", "null"]}

ESTIMATE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["role", "subject", "group", "value", "se", "ci_low", "ci_high", "n", "df", "flag", "rank"],
    "properties": {
        "role": {"type": "string"}, "subject": {"type": "string"}, "group": _TEXT,
        "value": _NUMBER, "se": _NUMBER, "ci_low": _NUMBER, "ci_high": _NUMBER,
        "n": {"type": ["integer", "null"]}, "df": _NUMBER, "flag": _TEXT, "rank": {"type": ["integer", "null"]},
    },
}

FINDING = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "kind", "family", "subject", "by", "group", "estimates", "effect", "test", "p_adjusted",
                 "adjustment", "family_size", "strength", "direction", "worse", "note"],
    "properties": {
        "id": {"type": "string"},
        "kind": {"enum": [k.value for k in FindingKind]},
        "family": {"type": "string"},
        "subject": {"type": "string"},
        "by": _TEXT,
        "group": _TEXT,
        "estimates": {"type": "array", "items": ESTIMATE},
        "effect": {"oneOf": [{"type": "null"}, {
            "type": "object", "additionalProperties": False, "required": ["kind", "value", "ci_low", "ci_high"],
            "properties": {"kind": {"enum": [k.value for k in EffectKind]}, "value": _NUMBER, "ci_low": _NUMBER,
                           "ci_high": _NUMBER}}]},
        "test": {"oneOf": [{"type": "null"}, {
            "type": "object", "additionalProperties": False, "required": ["name", "statistic", "df", "p", "df2"],
            "properties": {"name": {"type": "string"}, "statistic": _NUMBER, "df": _NUMBER,
                           "p": {"type": ["number", "null"], "minimum": 0, "maximum": 1}, "df2": _NUMBER}}]},
        "p_adjusted": {"type": ["number", "null"], "minimum": 0, "maximum": 1},
        "adjustment": {"enum": ["holm", "bh", "bonferroni", "hochberg", "by", "none"]},
        "family_size": {"type": "integer", "minimum": 0},
        "strength": {"enum": [s.value for s in Strength]},
        "direction": {"enum": [d.value for d in Direction]},
        "worse": {"type": ["boolean", "null"]},
        "note": {"enum": [None, "suppressed", "empty", "no_variance", "invalid"]},
    },
}

FAMILY = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "kind", "method", "alpha", "size", "tested", "significant", "expected_by_chance",
                 "guarantee"],
    "properties": {
        "id": {"type": "string"}, "kind": {"enum": [k.value for k in FindingKind]},
        "method": {"enum": ["holm", "bh", "bonferroni", "hochberg", "by", "none"]},
        "alpha": {"type": "number"}, "size": {"type": "integer"}, "tested": {"type": "integer"},
        "significant": {"type": "integer"}, "expected_by_chance": {"type": "number"},
        "guarantee": {"enum": ["fwer", "fdr", "none"]},
    },
}
