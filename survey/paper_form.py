"""``sicherheitsanalyse fragebogen papier``: the printable paper questionnaire (PDF via Typst).

The same definition and the same question numbers as the web form (:func:`survey.web.form.question_numbers`).
Filters become printed instructions: the filtered question says when to answer it ("Nur beantworten,
wenn Sie bei Frage 12 »ja« angekreuzt haben."), and the filter question says where to go otherwise
("Wenn nein: weiter mit Frage 14"). Grids are tables with one checkbox per code.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from survey.atomic import atomic_path
from survey.folder import load_folder
from survey.privacy_notice import PrivacyNotice, missing_warning, privacy_notice
from survey.questionnaire import Condition, Question, Questionnaire, load_questionnaire
from survey.resources import report_templates_dir
from survey.web.form import question_numbers

PAPER_TEMPLATE = "papierfragebogen.typ"

INSTRUCTIONS = [
    "Bitte kreuzen Sie das zutreffende Kästchen deutlich an: ☒. Wenn nichts anderes dabeisteht, "
    "bitte nur ein Kreuz je Frage oder Zeile.",
    "Wenn Sie ein Kreuz korrigieren möchten, malen Sie das falsche Kästchen ganz aus und kreuzen Sie "
    "das richtige an.",
    "Zahlen tragen Sie bitte in die Kästchen ein. Hinter manchen Antworten steht ein Pfeil (→): "
    "dann geht es mit der genannten Frage weiter.",
    "Alle Angaben sind freiwillig. Wenn Sie eine Frage nicht beantworten möchten, lassen Sie sie aus.",
]


@dataclass(frozen=True)
class PaperForm:
    path: Path
    pages: int
    questions: int
    notice: bool = False
    warning: str | None = None


def _owners(questionnaire: Questionnaire) -> dict[str, Question]:
    return {variable.id: question for question in questionnaire.questions for variable in question.variables}


def _conditions(question: Question) -> list[Condition]:
    found = [question.filter] if question.filter is not None else []
    for variable in question.variables:
        if variable.filter is not None and variable.filter not in found:
            found.append(variable.filter)
    return found


def _labels(variable, codes) -> str:
    names = [f"»{variable.all_codes.get(code, code)}«" for code in sorted(codes)]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " oder " + names[-1]


def describe(condition: Condition, questionnaire: Questionnaire, numbers: dict[str, int]) -> str:
    """German text of a filter condition (``bei Frage 12 »ja«``)."""
    owners = _owners(questionnaire)
    if condition.item is not None:
        variable = questionnaire.variable(condition.item)
        owner = owners.get(condition.item)
        if variable is None or owner is None:
            return f"{condition.item} = {sorted(condition.codes)}"
        where = f"bei Frage {numbers[owner.id]}"
        if owner.kind in ("grid", "multi"):
            where += f" in der Zeile »{variable.label}«"
        return f"{where} {_labels(variable, condition.codes)}"
    parts = [describe(part, questionnaire, numbers) for part in (condition.all_of or condition.any_of)]
    return (" und " if condition.all_of else " oder ").join(parts)


def _single_source(question: Question, owners: dict[str, Question]) -> Question | None:
    """The one earlier question all of ``question``'s filters refer to (None if several or none)."""
    items = {item for condition in _conditions(question) for item in condition.items}
    sources = {owners[item].id: owners[item] for item in items if item in owners}
    return next(iter(sources.values())) if len(sources) == 1 else None


def _question_note(question: Question, questionnaire, numbers, owners) -> str | None:
    if question.filter is not None:
        return f"Nur beantworten, wenn Sie {describe(question.filter, questionnaire, numbers)} angekreuzt haben."
    row_filters = [variable.filter for variable in question.variables if variable.filter is not None]
    if not row_filters:
        return None
    source = _single_source(question, owners)
    codes = {code for condition in row_filters if condition.item for code in condition.codes}
    if source is not None and source.kind == "grid" and codes and all(c.item for c in row_filters):
        labels = _labels(source.variables[0], codes)
        return (f"Bitte nur die Zeilen ausfüllen, bei denen Sie in Frage {numbers[source.id]} "
                f"{labels} angekreuzt haben.")
    return "Bitte nur die Zeilen ausfüllen, für die der Hinweis in der Zeile zutrifft."


def _jumps(questionnaire: Questionnaire, numbers: dict[str, int]) -> dict[str, tuple[frozenset[int], str]]:
    """Filter question id → (codes that skip, German target) for blocks of filtered follow-up questions."""
    owners = _owners(questionnaire)
    questions = questionnaire.questions
    jumps: dict[str, tuple[frozenset[int], str]] = {}
    for position, source in enumerate(questions):
        end = position
        asked: set[int] = set()
        while end + 1 < len(questions):
            follower = questions[end + 1]
            conditions = _conditions(follower)
            if not conditions or _single_source(follower, owners) is not source:
                break
            if not all(condition.item is not None for condition in conditions):
                break
            for condition in conditions:
                asked.update(condition.codes)
            end += 1
        if end == position:
            continue
        target = (f"weiter mit Frage {numbers[questions[end + 1].id]}" if end + 1 < len(questions)
                  else "weiter zum Ende des Fragebogens")
        jumps[source.id] = (frozenset(asked), target)
    return jumps


def _options(variable, skip: tuple[frozenset[int], str] | None) -> list[dict]:
    options = []
    for code, label in variable.codes.items():
        jump = skip[1] if skip is not None and code not in skip[0] else None
        options.append({"code": code, "label": label, "jump": jump, "gap_after": False})
    if options and variable.missing_codes:
        options[-1]["gap_after"] = True
    for code, label in variable.missing_codes.items():
        options.append({"code": code, "label": label, "jump": None, "gap_after": False})
    return options


def paper_data(questionnaire: Questionnaire, notice: PrivacyNotice | None = None) -> dict:
    """The JSON document for the paper template (``notice``: the privacy notice page at the end)."""
    numbers = question_numbers(questionnaire)
    owners = _owners(questionnaire)
    jumps = _jumps(questionnaire, numbers)
    sections = []
    for section in questionnaire.sections:
        items = []
        for question in section.questions:
            first = question.variables[0]
            skip = jumps.get(question.id)
            entry = {
                "number": numbers[question.id], "id": question.id, "kind": question.kind,
                "text": question.text, "help": question.help,
                "note": _question_note(question, questionnaire, numbers, owners),
                "options": [], "rows": [], "columns": [], "unit": first.unit, "digits": 4,
                "text_hint": "Bitte keine Namen oder Angaben, an denen man Sie oder andere erkennen kann.",
                "after": None,
            }
            if question.kind == "single":
                entry["options"] = _options(first, skip)
            elif question.kind == "multi":
                entry["options"] = [{"code": None, "label": v.label, "jump": None, "gap_after": False}
                                    for v in question.variables]
                if not question.help:
                    entry["help"] = "Mehrere Kreuze möglich."
            elif question.kind == "grid":
                entry["columns"] = [{"code": code, "label": label} for code, label in first.all_codes.items()]
                own_note = entry["note"]
                entry["rows"] = [
                    {"label": variable.label,
                     "note": (f"nur wenn {describe(variable.filter, questionnaire, numbers)}"
                              if variable.filter is not None and own_note and own_note.endswith("zutrifft.") else None)}
                    for variable in question.variables
                ]
                if skip is not None:
                    codes = [code for code in first.codes if code not in skip[0]]
                    if codes:
                        entry["after"] = f"Wenn Sie in keiner Zeile {_labels(first, skip[0])} angekreuzt haben: {skip[1]}"
            elif question.kind == "number":
                maximum = first.maximum if first.maximum is not None else 9999
                entry["digits"] = max(1, min(8, len(str(abs(int(maximum))))))
            items.append(entry)
        sections.append({"title": section.title, "intro": section.intro, "questions": items})
    return {
        "title": questionnaire.title,
        "kommune": questionnaire.kommune or "",
        "intro": questionnaire.intro,
        "instructions": INSTRUCTIONS,
        "sections": sections,
        "closing": {
            "heading": "Vielen Dank für Ihre Teilnahme!",
            "text": "Bitte senden Sie den ausgefüllten Fragebogen im beiliegenden Rückumschlag zurück. "
                    "Der Fragebogen trägt keinen Namen und keine Nummer; niemand kann erkennen, wer ihn "
                    "ausgefüllt hat.",
        },
        "datenschutz": notice.as_dict() if notice is not None else None,
    }


def render_paper_form(questionnaire: Questionnaire, target: Path, notice: PrivacyNotice | None = None) -> int:
    """Write the PDF (atomically); returns the number of pages."""
    import typst

    template = report_templates_dir() / PAPER_TEMPLATE
    data = json.dumps(paper_data(questionnaire, notice), ensure_ascii=False)
    with atomic_path(target) as temp:
        typst.compile(str(template), output=str(temp), root=str(template.parent),
                      sys_inputs={"data": data}, pdf_standards=["ua-1"])
        pages = _count_pages(temp)
    return pages


def _count_pages(pdf: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf.read_bytes()))


def write_paper_form(ref: str, *, kommune: str, ortsteile: dict[int, str] | None = None,
                     jahr: int | None = None, target: Path | None = None,
                     notice: PrivacyNotice | None = None) -> PaperForm:
    """Load the questionnaire ``ref`` for ``kommune`` and write its paper form."""
    questionnaire = load_questionnaire(ref, kommune=kommune, ortsteile=ortsteile, jahr=jahr)
    path = target or Path(f"papierfragebogen-{questionnaire.id}.pdf")
    pages = render_paper_form(questionnaire, path, notice)
    return PaperForm(path=path, pages=pages, questions=len(questionnaire.questions), notice=notice is not None)


def write_folder_paper_form(folder_path: str | Path, target: Path | None = None) -> PaperForm:
    """The paper form of an analysis folder: its questionnaire, commune, Ortsteile and privacy notice."""
    folder = load_folder(folder_path)
    questionnaire = folder.questionnaire
    notice = privacy_notice(folder.config)
    path = target or folder.path / f"papierfragebogen-{questionnaire.id}.pdf"
    pages = render_paper_form(questionnaire, path, notice)
    return PaperForm(path=path, pages=pages, questions=len(questionnaire.questions), notice=True,
                     warning=missing_warning(notice))
