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
from survey.languages import LANGUAGES, SOURCE
from survey.paper_texts import PaperTexts, paper_texts
from survey.web.form import question_numbers

PAPER_TEMPLATE = "papierfragebogen.typ"

INSTRUCTIONS = paper_texts(SOURCE).get("instructions")


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


def _labels(variable, codes, tx: PaperTexts | None = None) -> str:
    tx = tx or paper_texts(SOURCE)
    return tx.either([tx.quote(str(variable.all_codes.get(code, code))) for code in sorted(codes)])


def describe(condition: Condition, questionnaire: Questionnaire, numbers: dict[str, int],
             tx: PaperTexts | None = None) -> str:
    """Text of a filter condition in the questionnaire's language (German: ``bei Frage 12 »ja«``)."""
    tx = tx or paper_texts(questionnaire.language)
    owners = _owners(questionnaire)
    if condition.item is not None:
        variable = questionnaire.variable(condition.item)
        owner = owners.get(condition.item)
        if variable is None or owner is None:
            return f"{condition.item} = {sorted(condition.codes)}"
        row = tx.get("in_row", label=tx.quote(variable.label)) if owner.kind in ("grid", "multi") else ""
        return tx.get("condition", number=numbers[owner.id], row=row, labels=_labels(variable, condition.codes, tx))
    parts = [describe(part, questionnaire, numbers, tx) for part in (condition.all_of or condition.any_of)]
    return tx.get("and" if condition.all_of else "or").join(parts)


def _single_source(question: Question, owners: dict[str, Question]) -> Question | None:
    """The one earlier question all of ``question``'s filters refer to (None if several or none)."""
    items = {item for condition in _conditions(question) for item in condition.items}
    sources = {owners[item].id: owners[item] for item in items if item in owners}
    return next(iter(sources.values())) if len(sources) == 1 else None


def _question_note(question: Question, questionnaire, numbers, owners, tx: PaperTexts) -> tuple[str | None, bool]:
    """(the filter note of a question, whether each row carries its own note)."""
    if question.filter is not None:
        return tx.get("only_if", condition=describe(question.filter, questionnaire, numbers, tx)), False
    row_filters = [variable.filter for variable in question.variables if variable.filter is not None]
    if not row_filters:
        return None, False
    source = _single_source(question, owners)
    codes = {code for condition in row_filters if condition.item for code in condition.codes}
    if source is not None and source.kind == "grid" and codes and all(c.item for c in row_filters):
        return tx.get("rows_from", number=numbers[source.id], labels=_labels(source.variables[0], codes, tx)), False
    return tx.get("rows_hint"), True


def _jumps(questionnaire: Questionnaire, numbers: dict[str, int],
           tx: PaperTexts) -> dict[str, tuple[frozenset[int], str]]:
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
        target = (tx.get("go_to", number=numbers[questions[end + 1].id]) if end + 1 < len(questions)
                  else tx.get("go_end"))
        jumps[source.id] = (frozenset(asked), target)
    return jumps


def _options(variable, skip: tuple[frozenset[int], str] | None) -> list[dict]:
    options = []
    for code, label in variable.codes.items():
        jump = skip[1] if skip is not None and code not in skip[0] else None
        options.append({"code": code, "label": label, "jump": jump, "gap_after": False,
                        "de": f"codes.{code}" in variable.untranslated})
    if options and variable.missing_codes:
        options[-1]["gap_after"] = True
    for code, label in variable.missing_codes.items():
        options.append({"code": code, "label": label, "jump": None, "gap_after": False,
                        "de": f"missing_codes.{code}" in variable.untranslated})
    return options


def paper_data(questionnaire: Questionnaire, notice: PrivacyNotice | None = None) -> dict:
    """The JSON document for the paper template (``notice``: the privacy notice page at the end)."""
    tx = paper_texts(questionnaire.language)
    numbers = question_numbers(questionnaire)
    owners = _owners(questionnaire)
    jumps = _jumps(questionnaire, numbers, tx)
    sections = []
    for section in questionnaire.sections:
        items = []
        for question in section.questions:
            first = question.variables[0]
            skip = jumps.get(question.id)
            note, rows_noted = _question_note(question, questionnaire, numbers, owners, tx)
            entry = {
                "number": numbers[question.id], "id": question.id, "kind": question.kind,
                "text": question.text, "help": question.help, "note": note,
                "text_de": "text" in question.untranslated, "help_de": "help" in question.untranslated,
                "options": [], "rows": [], "columns": [], "unit": first.unit, "digits": 4,
                "text_hint": tx.get("text_hint"), "after": None,
            }
            if question.kind == "single":
                entry["options"] = _options(first, skip)
            elif question.kind == "multi":
                entry["options"] = [{"code": None, "label": v.label, "jump": None, "gap_after": False,
                                     "de": "label" in v.untranslated}
                                    for v in question.variables]
                if not question.help:
                    entry["help"] = tx.get("multi")
            elif question.kind == "grid":
                entry["columns"] = [{"code": code, "label": label,
                                     "de": f"codes.{code}" in first.untranslated
                                     or f"missing_codes.{code}" in first.untranslated}
                                    for code, label in first.all_codes.items()]
                entry["rows"] = [
                    {"label": variable.label, "de": "label" in variable.untranslated,
                     "note": (tx.get("row_only", condition=describe(variable.filter, questionnaire, numbers, tx))
                              if variable.filter is not None and rows_noted else None)}
                    for variable in question.variables
                ]
                if skip is not None:
                    codes = [code for code in first.codes if code not in skip[0]]
                    if codes:
                        entry["after"] = tx.get("no_row", labels=_labels(first, skip[0], tx), target=skip[1])
            elif question.kind == "number":
                maximum = first.maximum if first.maximum is not None else 9999
                entry["digits"] = max(1, min(8, len(str(abs(int(maximum))))))
            items.append(entry)
        sections.append({"title": section.title, "intro": section.intro, "questions": items,
                         "title_de": "title" in section.untranslated, "intro_de": "intro" in section.untranslated})
    language = LANGUAGES[questionnaire.language]
    return {
        "title": questionnaire.title,
        "kommune": questionnaire.kommune or "",
        "intro": questionnaire.intro,
        "lang": language.html_lang,
        "region": language.typst_region,
        "dir": language.direction,
        "how_to": tx.get("how_to"),
        "page_label": tx.get("page", current="{current}", total="{total}"),
        "turn": tx.get("turn"),
        "instructions": tx.get("instructions"),
        "sections": sections,
        "closing": {"heading": tx.get("closing_heading"), "text": tx.get("closing_text")},
        "datenschutz": notice.as_dict() if notice is not None else None,
    }


def render_paper_form(questionnaire: Questionnaire, target: Path, notice: PrivacyNotice | None = None) -> int:
    """Write the PDF (atomically); returns the number of pages."""
    import typst

    from survey.report.side_process import mark_fork_unsafe
    from survey.report.typst_render import font_paths

    template = report_templates_dir() / PAPER_TEMPLATE
    data = json.dumps(paper_data(questionnaire, notice), ensure_ascii=False)
    with atomic_path(target) as temp:
        # Only the fonts we ship (Typst's Libertinus Serif, matplotlib's DejaVu Sans for Arabic): the same
        # PDF on every machine, and every shipped language has its glyphs.
        mark_fork_unsafe()  # Typst's thread pool does not survive a fork (survey.report.side_process)
        typst.compile(str(template), output=str(temp), root=str(template.parent), font_paths=font_paths(),
                      ignore_system_fonts=True, sys_inputs={"data": data}, pdf_standards=["ua-1"])
        pages = _count_pages(temp)
    return pages


def _count_pages(pdf: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf.read_bytes()))


def _suffix(questionnaire: Questionnaire) -> str:
    return "" if questionnaire.language == SOURCE else f"-{questionnaire.language}"


def write_paper_form(ref: str, *, kommune: str, ortsteile: dict[int, str] | None = None,
                     jahr: int | None = None, target: Path | None = None,
                     notice: PrivacyNotice | None = None, sprache: str | None = None) -> PaperForm:
    """Load the questionnaire ``ref`` for ``kommune`` (in ``sprache``) and write its paper form."""
    questionnaire = load_questionnaire(ref, kommune=kommune, ortsteile=ortsteile, jahr=jahr, sprache=sprache)
    path = target or Path(f"papierfragebogen-{questionnaire.id}{_suffix(questionnaire)}.pdf")
    pages = render_paper_form(questionnaire, path, notice)
    return PaperForm(path=path, pages=pages, questions=len(questionnaire.questions), notice=notice is not None)


def write_folder_paper_form(folder_path: str | Path, target: Path | None = None,
                            sprache: str | None = None) -> PaperForm:
    """The paper form of an analysis folder: its questionnaire, commune, Ortsteile and privacy notice."""
    from survey.web.state import offered_languages

    folder = load_folder(folder_path)
    questionnaire = folder.questionnaire
    if sprache is not None:
        from survey.errors import ConfigError
        from survey.languages import language

        code = language(sprache).code
        offered = offered_languages(folder, questionnaire)
        if code not in offered:
            raise ConfigError(f"Die Sprache {code} wird in diesem Analyseordner nicht angeboten "
                              f"(angeboten: {', '.join(offered)}; siehe »sprachen.angeboten«).",
                              path=folder.config_path)
        config = folder.config
        questionnaire = load_questionnaire(questionnaire.source_path, kommune=config.kommune,
                                           ortsteile=config.ortsteile or None, jahr=config.jahr, sprache=code)
    notice = privacy_notice(folder.config)
    path = target or folder.path / f"papierfragebogen-{questionnaire.id}{_suffix(questionnaire)}.pdf"
    pages = render_paper_form(questionnaire, path, notice)
    return PaperForm(path=path, pages=pages, questions=len(questionnaire.questions), notice=True,
                     warning=missing_warning(notice))
