"""Free-text questions of a questionnaire and the mentions respondents gave to them.

A question is a *place question* if its id ends in ``_ort`` (standard: ``angstraum_ort``); its answers are
split into the places they list, and the coding table has Ortsteil and coordinate columns. Its context
items follow the same stem: ``<stem>_zeit`` (single choice: when) and the options of the multiple-choice
question ``<stem>_gruende`` (why). Every other ``text`` question (standard: ``problem_sonstiges``,
``wuensche``, ``anmerkungen``) is coded as a whole answer into coach-defined categories.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from survey.freetext.grouping import Mention
from survey.freetext.normalise import abbreviations, mention_key, split_answer

PLACE_SUFFIX = "_ort"
MAX_ANSWER_CHARS = 2000  # longer answers are cut (a text field of the web form allows less)


@dataclass(frozen=True)
class FreeTextQuestion:
    item: str
    question: str
    places: bool
    time_item: str | None = None
    reason_items: tuple[str, ...] = ()


def free_text_questions(questionnaire) -> list[FreeTextQuestion]:  # noqa: ANN001 - survey Questionnaire
    """The free-text questions in questionnaire order, with the context items of place questions."""
    out = []
    for variable in questionnaire.variables:
        if variable.kind != "text":
            continue
        places = variable.id.endswith(PLACE_SUFFIX)
        time_item, reasons = None, ()
        if places:
            stem = variable.id[: -len(PLACE_SUFFIX)]
            time = questionnaire.variable(f"{stem}_zeit")
            time_item = time.id if time is not None and time.kind == "code" else None
            reasons = tuple(v.id for v in questionnaire.variables
                            if v.question_id == f"{stem}_gruende" and v.kind == "flag")
        out.append(FreeTextQuestion(variable.id, variable.question_text, places, time_item, reasons))
    return out


def _answer(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value).strip()[:MAX_ANSWER_CHARS]


def answer_parts(value: object, places: bool) -> list[str]:
    """The mentions in one answer: places are split (»Bahnhof, Stadtpark«), categories are whole answers."""
    text = _answer(value)
    if not text:
        return []
    return split_answer(text) if places else [text]


def respondent_keys(values: pd.Series | Sequence, places: bool) -> list[set[str]]:
    """Per respondent (in row order): the set of normalised mentions in their answer."""
    out = []
    for value in values:
        keys = {mention_key(part) for part in answer_parts(value, places)}
        keys.discard("")
        out.append(keys)
    return out


def collect_mentions(values: pd.Series | Sequence, places: bool) -> list[Mention]:
    """Distinct normalised mentions with the number of respondents and their spellings, most frequent
    first (then alphabetical)."""
    respondents: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    abbreviated: dict[str, set[str]] = defaultdict(set)
    for value in values:
        seen = set()
        for part in answer_parts(value, places):
            key = mention_key(part)
            if not key:
                continue
            spelling = " ".join(part.split())
            spelling = spelling if len(spelling) < 200 else spelling[:199] + "…"
            spellings[key][spelling] += 1
            abbreviated[key] |= abbreviations(part)
            if key not in seen:
                respondents[key] += 1
                seen.add(key)
    ordered = sorted(respondents, key=lambda k: (-respondents[k], k))
    return [Mention(k, respondents[k], tuple(sorted(spellings[k].items(), key=lambda s: (-s[1], s[0]))),
                    frozenset(abbreviated[k])) for k in ordered]
