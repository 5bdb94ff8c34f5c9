"""The ``free_text`` section of profil.json: coded places and categories (aggregates only).

Maps the coding table onto the respondents of the weighted sample (row order of the design), hands
0/1 indicators to :func:`analysis.profile.places.summarise_coding` and turns the result into plain JSON. What the
section holds is public: names the coach gave to places/categories named by at least 10 respondents,
counts, weighted shares with intervals, Ortsteil, coordinates, when/why distributions. It never holds a
normalised mention, a spelling or a verbatim answer.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np

from analysis.core.flags import MIN_N_SHOWN
from analysis.profile.places import CategoryInput, CodingInput, ReasonItem, TimeItem, summarise_coding
from survey.folder import AnalysisFolder
from survey.freetext.mentions import FreeTextQuestion, respondent_keys
from survey.freetext.run import load_table
from survey.freetext.table import IGNORE, CodingTable, categories_of

POOL_LABELS = {"genannt": "mindestens eine Nennung", "weitere": "weitere (jeweils weniger als 10 Nennungen)",
               "nicht_zugeordnet": "nicht zugeordnet"}


def coding_input(question: FreeTextQuestion, data, table: CodingTable, ortsteile: dict[int, str],  # noqa: ANN001
                 questionnaire) -> tuple[CodingInput, int]:  # noqa: ANN001
    """The engine input for one question and the number of distinct mentions missing from the table."""
    n = len(data)
    values = data[question.item] if question.item in data else [None] * n
    keys = respondent_keys(values, question.places)
    sheet = table.sheet(question.item)
    rows = {r.key: r for r in sheet.rows} if sheet is not None else {}
    infos = categories_of(sheet.rows) if sheet is not None else {}
    category_of = {key: name for name, info in infos.items() for key in info.keys}
    members = {name: np.zeros(n, dtype=bool) for name in infos}
    mentioned, uncoded = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    missing: set[str] = set()
    for i, respondent in enumerate(keys):
        if respondent:
            mentioned[i] = True
        for key in respondent:
            row = rows.get(key)
            if row is None:
                missing.add(key)
                uncoded[i] = True
            elif row.category == IGNORE:
                continue
            elif not row.category:
                uncoded[i] = True
            else:
                members[category_of[key]][i] = True
    categories = tuple(
        CategoryInput(info.name, members[name], info.ortsteil or None,
                      ortsteile.get(int(info.ortsteil)) if info.ortsteil else None, info.lat, info.lon)
        for name, info in infos.items())
    time, reasons, reasons_question = None, (), ""
    if question.places and question.time_item and question.time_item in data:
        variable = questionnaire.variable(question.time_item)
        time = TimeItem(variable.id, variable.question_text, _floats(data[variable.id]),
                        tuple(variable.codes.items()))
    if question.places and question.reason_items:
        variables = [questionnaire.variable(item) for item in question.reason_items if item in data]
        reasons = tuple(ReasonItem(v.id, v.label, _floats(data[v.id])) for v in variables)
        reasons_question = variables[0].question_text if variables else ""
    return (CodingInput(question.item, question.question, question.places, mentioned, uncoded, categories, time,
                        reasons, reasons_question), len(missing))


def _floats(values) -> np.ndarray:  # noqa: ANN001
    return np.asarray(values, dtype=float)


def _json(value: Any) -> Any:
    """Plain JSON values: non-finite numbers become null."""
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _pooled(pool) -> dict[str, Any]:  # noqa: ANN001
    share = dataclasses.asdict(pool.share)
    share["label"] = POOL_LABELS[pool.id]
    return {"id": pool.id, "label": POOL_LABELS[pool.id], "categories": pool.categories,
            "mentions": pool.mentions, "share": share}


def free_text_section(folder: AnalysisFolder, sample, level: float = 0.95) -> dict[str, Any]:  # noqa: ANN001
    """The profile section for every free-text question of the folder's questionnaire."""
    from survey.freetext.mentions import free_text_questions

    questionnaire = sample.questionnaire
    questions = free_text_questions(questionnaire)
    table = load_table(folder, questions)
    out = []
    for question in questions:
        coding, missing = coding_input(question, sample.data, table, folder.config.ortsteile, questionnaire)
        summary = summarise_coding(sample.design, coding, level)
        entry: dict[str, Any] = {
            "item": summary.item, "question": summary.question,
            "kind": "places" if summary.places else "categories",
            "respondents": summary.respondents, "mentioning": _pooled(summary.mentioning),
            "categories": [dataclasses.asdict(c) for c in summary.categories],
            "other": _pooled(summary.other), "uncoded": _pooled(summary.uncoded),
            "not_in_table": missing,
        }
        if summary.places:
            entry["time"] = {"item": summary.time_item, "question": summary.time_question}
            entry["reasons"] = {"question": summary.reasons_question}
        out.append(entry)
    path = table.path.relative_to(folder.path).as_posix() if table.path is not None else None
    return _json({"coding_table": path, "min_mentions": MIN_N_SHOWN, "questions": out})
