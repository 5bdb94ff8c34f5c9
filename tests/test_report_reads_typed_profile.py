"""Lint (issue 11): the report layer reads the profile through its types, never as a dict by key.

``survey/report`` gets a :class:`~survey.profile.ProfileDocument` (through ``ReportProfile``) and reads
attributes (``record.estimate``, ``rp.document.weighting.converged``). A string key that names a field of
the profile contract (``record["estimate"]``, ``weighting.get("converged", True)``) would be a second,
untyped reading of the contract, with defaults that hide a broken file; the contract types themselves
refuse key access, so such code also fails at run time. The check reads the source as syntax trees;
its detector is tested on snippets, so the lint cannot pass by matching nothing.
"""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest
from pydantic import BaseModel

import survey.profile.crime
import survey.profile.document
import survey.profile.free_text
import survey.profile.local
import survey.profile.records
import survey.profile.results
import survey.profile.sections
from analysis.findings.types import EstimateRef, Effect, Finding, Test
from survey.profile import ProfileDocument
from survey.profile.base import Contract

ROOT = Path(__file__).resolve().parents[1]
LAYER = ROOT / "survey" / "report"
MODULES = (survey.profile.crime, survey.profile.document, survey.profile.free_text, survey.profile.local,
           survey.profile.records, survey.profile.results, survey.profile.sections)
# Keys that are also keys of the report layer's own small tables (labels, local content): a key access
# with them is not taken as a profile read.
OWN_KEYS = {"label", "id", "title", "text", "name", "code", "n", "source", "note", "unit", "group", "kind",
            "year", "by", "value", "rows", "items"}


def contract_fields() -> set[str]:
    """Every field name of the profile contract (pydantic types and the findings' dataclasses)."""
    names: set[str] = set()
    for module in MODULES:
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, BaseModel) and issubclass(obj, Contract):
                names |= set(obj.model_fields)
    for cls in (Finding, EstimateRef, Effect, Test):
        names |= {f.name for f in dataclasses.fields(cls)}
    return names - OWN_KEYS


FIELDS = contract_fields()


def key_reads(source: str) -> list[tuple[int, str]]:
    """``(line, what)`` for every untyped profile read in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr == "data" and isinstance(node.value, ast.Name) \
                and node.value.id in {"rp", "profile", "self", "report"}:
            found.append((node.lineno, f"{node.value.id}.data (the profile as a dict)"))
        elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) \
                and node.slice.value in FIELDS:
            found.append((node.lineno, f'["{node.slice.value}"]'))
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get"
              and node.args and isinstance(node.args[0], ast.Constant) and node.args[0].value in FIELDS):
            found.append((node.lineno, f'.get("{node.args[0].value}")'))
    return found


@pytest.mark.parametrize("snippet, expected", [
    ('x = rp.data["weighting"]', 2),  # rp.data and ["weighting"]
    ('c = weighting.get("converged", True)', 1),
    ('e = record["estimate"]', 1),
    ('e = record.estimate', 0),
    ('c = rp.document.weighting.converged', 0),
    ('t = LABELS["label"]', 0),  # the layer's own table keys
])
def test_detector(snippet, expected):
    assert len(key_reads(snippet)) == expected


def test_contract_fields_are_known():
    assert {"estimate", "ci_low", "flag_reason", "converged", "findings", "p_adjusted"} <= FIELDS
    assert set(ProfileDocument.model_fields) - OWN_KEYS <= FIELDS


def test_report_layer_reads_the_profile_by_attribute():
    offences = []
    for path in sorted(LAYER.rglob("*.py")):
        for line, what in key_reads(path.read_text(encoding="utf-8")):
            offences.append(f"{path.relative_to(ROOT)}:{line}: {what}")
    assert not offences, "\n".join(offences)


def test_contract_types_refuse_key_access():
    """Keys the lint lets pass (``OWN_KEYS`` such as ``label``) still fail at run time on a profile type."""
    record = survey.profile.records.EstimateRecord(id="x", n=1, flag="ok", label="y")
    with pytest.raises(TypeError):
        record["label"]  # noqa: B018
    with pytest.raises(TypeError):
        record["estimate"]  # noqa: B018
    assert not hasattr(record, "get")
