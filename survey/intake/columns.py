"""Map the columns of a response file to item ids (the column-level rules of the intake).

A file's header is mapped column by column, first rule that matches wins:

1. an entry of the optional mapping file (``spalte,item``; column names compared case-insensitively);
2. ``resp_id``, ``modus``, ``sprache`` (answer language) and the exact item id; LimeSurvey's
   ``startlanguage`` is read as ``sprache`` when the file has no ``sprache`` column;
3. LimeSurvey's subquestion form ``frage[sub]`` read as ``frage_sub`` (also ``frage_sub``);
4. the item id compared case-insensitively;
5. the item id compared case-insensitively and ignoring underscores (LimeSurvey codes cannot contain
   ``_``: ``sicherTag`` -> ``sicher_tag``), if exactly one item matches.

LimeSurvey meta columns are dropped (info finding), ``token`` and personal token attributes are never
kept, ``id`` becomes ``resp_id`` when there is no ``resp_id``; other unknown columns are dropped with a
warning. Items of the questionnaire missing from the file are reported (all answers missing).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from survey.errors import InputFileError
from survey.intake import findings as F
from survey.intake.limesurvey import is_meta_column, is_secret_column

RESP_ID = "resp_id"
MODUS = "modus"
SPRACHE = "sprache"
META_TARGETS = (RESP_ID, MODUS, SPRACHE)
SUBQUESTION = re.compile(r"^(?P<question>[^\[\]]+)\[(?P<sub>[^\[\]]+)\]$")


@dataclass
class ColumnPlan:
    """Which source column feeds which target (``resp_id``, ``modus``, ``sprache`` or an item id)."""

    targets: dict[str, int] = field(default_factory=dict)  # target -> source column index
    findings: list[F.Finding] = field(default_factory=list)

    @property
    def items(self) -> list[str]:
        return [target for target in self.targets if target not in META_TARGETS]


def read_mapping_file(path: Path) -> dict[str, str]:
    """A mapping file: CSV with columns ``spalte`` and ``item`` (``,`` or ``;``; encodings as :mod:`survey.textfile`)."""
    from survey.intake.readers import detect_delimiter
    from survey.textfile import read_text_file

    text = read_text_file(path, what="Zuordnungsdateien").text
    delimiter = detect_delimiter(text.split("\n", 1)[0])
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    fields = [name.strip().lower() for name in reader.fieldnames or []]
    if "spalte" not in fields or "item" not in fields:
        raise InputFileError(
            "Die Zuordnungsdatei braucht die Spalten »spalte« und »item«.", path=path, line=1
        )
    mapping: dict[str, str] = {}
    for row in reader:
        row = {key.strip().lower(): (value or "").strip() for key, value in row.items() if key}
        if row["spalte"] and row["item"]:
            mapping[row["spalte"].lower()] = row["item"]
    return mapping


def plan_columns(
    columns: list[str],
    item_ids: list[str],
    file: str,
    mapping: dict[str, str] | None = None,
) -> ColumnPlan:
    """Map ``columns`` to targets; findings for meta, secret, mapped, unknown, duplicate and missing columns."""
    plan = ColumnPlan()
    known = set(item_ids)
    lowered = {item.lower(): item for item in item_ids}
    squashed: dict[str, list[str]] = {}
    for item in item_ids:
        squashed.setdefault(item.lower().replace("_", ""), []).append(item)
    mapping = {key.lower(): value for key, value in (mapping or {}).items()}
    has_resp_id = any(name.strip().lower() == RESP_ID for name in columns)
    has_language = any(name.strip().lower() == SPRACHE for name in columns)
    lowered_ids = frozenset(lowered)

    for index, name in enumerate(columns):
        column = name.strip()
        key = column.lower()
        if not column:
            plan.findings.append(F.UNKNOWN_COLUMN.finding(file, column=f"(ohne Namen, Nr. {index + 1})"))
            continue
        target, how = _target(column, key, known, lowered, squashed, mapping)
        if target is None and key == "id" and not has_resp_id:
            target, how = RESP_ID, None
            plan.findings.append(F.ID_AS_RESP_ID.finding(file, column=column))
        if target is None and key == "startlanguage" and not has_language:
            target, how = SPRACHE, "LimeSurvey-Startsprache"
        if target is None:
            if is_secret_column(column):
                plan.findings.append(F.SECRET_COLUMN.finding(file, item=column, column=column))
            elif is_meta_column(column, lowered_ids):
                plan.findings.append(F.META_COLUMN.finding(file, item=column, column=column))
            else:
                plan.findings.append(F.UNKNOWN_COLUMN.finding(file, item=column, column=column))
            continue
        if target in plan.targets:
            first = columns[plan.targets[target]].strip()
            plan.findings.append(F.DUPLICATE_COLUMN.finding(file, item=target, column=column, first=first))
            continue
        plan.targets[target] = index
        if how is not None:
            plan.findings.append(F.MAPPED_COLUMN.finding(file, item=target, column=column, how=how))

    for item in item_ids:
        if item not in plan.targets:
            plan.findings.append(F.MISSING_COLUMN.finding(file, item=item))
    return plan


def _target(
    column: str,
    key: str,
    known: set[str],
    lowered: dict[str, str],
    squashed: dict[str, list[str]],
    mapping: dict[str, str],
) -> tuple[str | None, str | None]:
    """(target, how it was found; None for an exact match) for one column name."""
    if key in mapping:
        target = mapping[key]
        if target in known or target in META_TARGETS:
            return target, "Zuordnungsdatei"
    if column in known or key in META_TARGETS:
        return (column if column in known else key), None
    match = SUBQUESTION.match(column)
    if match:
        candidate = f"{match['question']}_{match['sub']}".lower()
        if candidate in lowered:
            return lowered[candidate], "LimeSurvey-Unterfrage"
    if key in lowered:
        return lowered[key], "Groß-/Kleinschreibung"
    candidates = squashed.get(key.replace("_", "").replace("[", "").replace("]", ""), [])
    if len(candidates) == 1:
        return candidates[0], "LimeSurvey-Code ohne Unterstriche"
    return None, None
