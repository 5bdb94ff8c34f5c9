"""``sicherheitsanalyse freitexte DIR``: write or update the coding table of the folder.

Responses are read through the intake of ``pruefen`` (:func:`survey.intake.load_responses`). The table is
merged by normalised mention: rows the coach already has keep every coach column (Ort/Kategorie,
Ortsteil, Breite, Länge) and their order; counts, spellings and proposals are refreshed; new mentions are
appended, prefilled with the proposal and marked »neu«; rows whose mention no longer occurs stay (count
0, with a note) so that no coding work is lost. The table keeps its format: an existing CSV is updated as
CSV, otherwise ``kodierung.xlsx`` is written.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from survey.folder import AnalysisFolder, load_folder
from survey.freetext.grouping import Mention, propose_groups
from survey.freetext.mentions import FreeTextQuestion, collect_mentions, free_text_questions, respondent_keys
from survey.freetext.table import (
    IGNORE, STALE_NOTE, CodingRow, CodingTable, QuestionSheet, find_table, read_table, table_paths,
)
from survey.freetext.table_writer import spelling_text, write_csv, write_xlsx


@dataclass(frozen=True)
class SheetSummary:
    item: str
    places: bool
    distinct: int  # distinct normalised mentions in the responses
    respondents: int  # respondents with at least one mention
    new: int  # rows appended in this run
    groups: int  # distinct proposed names among current mentions
    uncoded: int  # current mentions without Ort/Kategorie


@dataclass(frozen=True)
class CodingRun:
    path: Path
    sheets: tuple[SheetSummary, ...]


def folder_questions(folder: AnalysisFolder):  # noqa: ANN201
    questionnaire = folder.questionnaire
    return questionnaire, free_text_questions(questionnaire)


def load_table(folder: AnalysisFolder, questions: list[FreeTextQuestion]) -> CodingTable:
    """The folder's coding table, or an empty one (``path`` None) if there is none."""
    path = find_table(folder.path)
    if path is None:
        return CodingTable(None)
    return read_table(path, {q.item: q.places for q in questions}, folder.config.ortsteile)


def merge_sheet(question: FreeTextQuestion, mentions: list[Mention], old: QuestionSheet | None) -> QuestionSheet:
    """The updated sheet of ``question`` (see the module docstring for the rules)."""
    old_rows = list(old.rows) if old is not None else []
    existing = {r.key: r.category for r in old_rows if r.category}
    proposals = propose_groups(mentions, existing)
    by_key = {m.key: m for m in mentions}
    rows = []
    for r in old_rows:
        m = by_key.get(r.key)
        if m is None:
            rows.append(replace(r, count=0, proposal="", new=False, note=STALE_NOTE, line=0))
        else:
            rows.append(replace(r, count=m.count, spellings=spelling_text(m.spellings),
                                proposal=proposals[m.key], new=False, note="", line=0))
    known = {r.key for r in old_rows}
    for m in mentions:
        if m.key not in known:
            rows.append(CodingRow(key=m.key, spellings=spelling_text(m.spellings), count=m.count,
                                  proposal=proposals[m.key], category=proposals[m.key], new=True))
    return QuestionSheet(question.item, question.question, question.places, tuple(rows))


def write_coding_table(path: str | Path) -> CodingRun:
    """Read the responses of the folder at ``path``, merge with the existing table and write it."""
    from survey.intake import load_responses

    folder = load_folder(path)
    questionnaire, questions = folder_questions(folder)
    old = load_table(folder, questions)
    intake = load_responses(folder, questionnaire)
    sheets, summaries = [], []
    for question in questions:
        values = intake.data[question.item] if question.item in intake.data else []
        mentions = collect_mentions(values, question.places)
        sheet = merge_sheet(question, mentions, old.sheet(question.item))
        sheets.append(sheet)
        current = {m.key for m in mentions}
        respondents = sum(1 for keys in respondent_keys(values, question.places) if keys)
        summaries.append(SheetSummary(
            question.item, question.places, len(mentions), respondents, sum(r.new for r in sheet.rows),
            len({r.proposal for r in sheet.rows if r.key in current and r.proposal and r.proposal != IGNORE}),
            sum(1 for r in sheet.rows if r.key in current and not r.category)))
    table = CodingTable(old.path, tuple(sheets))
    xlsx, csv_path = table_paths(folder.path)
    if old.path is not None and old.path.suffix.lower() == ".csv":
        target = write_csv(table, csv_path)
    else:
        target = write_xlsx(table, xlsx)
    return CodingRun(target, tuple(summaries))
