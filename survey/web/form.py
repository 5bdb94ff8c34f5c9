"""The questionnaire as web pages: paging, filters (skip logic), parsing and validating answers.

No Flask here: views pass the submitted form fields in and get values and German error messages back.

Paging: one page per section; a section is split where a question's filter refers to an answer on the
same page, so every filter is decided by answers from earlier pages and the form works without
JavaScript. A question (or grid row) is shown only if its filter applies (``Condition.applies`` is
True); unanswered filter questions skip the follow-up, as on paper. Answers to questions that no longer
apply (the respondent went back and changed a filter answer) are dropped on submit
(:func:`final_answers`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from survey.questionnaire import Condition, Question, Questionnaire, Section, Variable

TEXT_MAX = 2000
NUMBER_MAX_DIGITS = 12  # the input's maxlength; longer entries are rejected before any conversion
_NUMBER_MAX_CHARS = NUMBER_MAX_DIGITS + 4  # sign, separators
_INT_PATTERN = re.compile(r"^[+-]?\d+$")
_THOUSANDS_PATTERN = re.compile(r"^\d{1,3}(\.\d{3})+$")
_DECIMAL_PATTERN = re.compile(r"^[+-]?\d+(,\d+)?$")


@dataclass(frozen=True)
class Page:
    """One page of the form: a section or a part of it."""

    index: int
    section: Section
    questions: tuple[Question, ...]
    part: int = 1

    @property
    def variables(self) -> list[Variable]:
        return [variable for question in self.questions for variable in question.variables]


@dataclass(frozen=True)
class ShownQuestion:
    """A question as shown to one respondent: its number and the rows (variables) that apply."""

    question: Question
    number: int
    variables: tuple[Variable, ...]


@dataclass(frozen=True)
class FieldError:
    """A validation message for one field (``field`` is the HTML id of the input it refers to)."""

    variable_id: str
    field: str
    message: str


@dataclass
class ParsedPage:
    values: dict[str, object] = field(default_factory=dict)
    errors: list[FieldError] = field(default_factory=list)
    raw: dict[str, str] = field(default_factory=dict)


def applies(condition: Condition | None, answers: Mapping[str, object]) -> bool:
    """Whether a filtered element is shown: no filter, or the filter is decided and true."""
    return condition is None or condition.applies(answers) is True


def _filter_items(question: Question) -> set[str]:
    items: set[str] = set()
    for condition in (question.filter, *(variable.filter for variable in question.variables)):
        if condition is not None:
            items.update(condition.items)
    return items


def build_pages(questionnaire: Questionnaire) -> list[Page]:
    """Pages of the form in order (sections split before questions filtered on the same page)."""
    pages: list[Page] = []
    for section in questionnaire.sections:
        current: list[Question] = []
        on_page: set[str] = set()
        part = 1
        for question in section.questions:
            if current and _filter_items(question) & on_page:
                pages.append(Page(len(pages), section, tuple(current), part))
                current, on_page, part = [], set(), part + 1
            current.append(question)
            on_page.update(variable.id for variable in question.variables)
        if current:
            pages.append(Page(len(pages), section, tuple(current), part))
    return pages


def question_numbers(questionnaire: Questionnaire) -> dict[str, int]:
    """Question id → running number (1, 2, …), the same on screen and on paper."""
    return {question.id: number for number, question in enumerate(questionnaire.questions, start=1)}


def shown_questions(
    page: Page, answers: Mapping[str, object], numbers: Mapping[str, int] | None = None
) -> list[ShownQuestion]:
    """The questions of ``page`` that apply given ``answers``, each with the rows that apply."""
    shown = []
    for question in page.questions:
        if not applies(question.filter, answers):
            continue
        variables = tuple(variable for variable in question.variables if applies(variable.filter, answers))
        if variables:
            shown.append(ShownQuestion(question, (numbers or {}).get(question.id, 0), variables))
    return shown


def has_content(page: Page, answers: Mapping[str, object]) -> bool:
    """Whether ``page`` shows at least one question given ``answers`` (shown_questions, stopping early)."""
    for question in page.questions:
        if applies(question.filter, answers) and any(applies(variable.filter, answers) for variable in question.variables):
            return True
    return False


def next_page(pages: Sequence[Page], index: int, answers: Mapping[str, object], step: int = 1) -> int | None:
    """The next page after ``index`` (``step`` -1: before it) with something to show; None at the end."""
    position = index + step
    while 0 <= position < len(pages):
        if has_content(pages[position], answers):
            return position
        position += step
    return None


def input_id(variable: Variable, code: int | None = None) -> str:
    """HTML id of a variable's input (radio buttons get one per code)."""
    return f"f-{variable.id}" if code is None else f"f-{variable.id}-{code}"


def _label(shown: ShownQuestion, variable: Variable) -> str:
    if shown.question.kind in ("grid", "multi"):
        return f"Frage {shown.number}, »{variable.label}«"
    return f"Frage {shown.number}"


def _first_code_id(variable: Variable) -> str:
    codes = list(variable.all_codes)
    return input_id(variable, codes[0]) if codes else input_id(variable)


def _german(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def parse_number(text: str) -> float | int | None:
    """German number input (``12``, ``1.500``, ``12,5``) → number; None if it is not one (or too long)."""
    cleaned = text.strip().replace(" ", "").replace("\u202f", "")
    if len(cleaned) > _NUMBER_MAX_CHARS:
        return None
    if _THOUSANDS_PATTERN.match(cleaned):
        cleaned = cleaned.replace(".", "")
    if _INT_PATTERN.match(cleaned):
        return int(cleaned)
    if _DECIMAL_PATTERN.match(cleaned):
        value = float(cleaned.replace(",", "."))
        return int(value) if value.is_integer() else value
    return None


def _parse_code_variable(variable, text, shown, parsed) -> None:
    if not text:
        return
    try:
        code = int(text) if len(text) <= 6 else None
    except ValueError:
        code = None
    if code is None or code not in variable.all_codes:
        parsed.errors.append(FieldError(variable.id, _first_code_id(variable),
                                        f"{_label(shown, variable)}: Bitte wählen Sie eine der angebotenen Antworten."))
        return
    parsed.values[variable.id] = code


def _parse_number_variable(variable, text, shown, parsed) -> None:
    if not text:
        return
    value = parse_number(text)
    low, high = variable.minimum, variable.maximum
    what = _label(shown, variable)
    if len(text) > _NUMBER_MAX_CHARS:
        message = f"{what}: Die Zahl ist zu lang; bitte höchstens {NUMBER_MAX_DIGITS} Ziffern eingeben."
    elif variable.kind == "birthyear":
        if value is None or not isinstance(value, int) or not 1000 <= value <= 9999:
            message = f"{what}: Bitte geben Sie das Geburtsjahr mit vier Ziffern ein, zum Beispiel 1970."
        elif (low is not None and value < low) or (high is not None and value > high):
            message = (f"{what}: Das Geburtsjahr muss zwischen {low} und {high} liegen "
                       "(die Befragung richtet sich an Personen ab 16 Jahren).")
        else:
            parsed.values[variable.id] = value
            return
    else:
        if value is None:
            message = f"{what}: Bitte geben Sie nur eine Zahl ein, zum Beispiel 3 (ohne Buchstaben)."
        elif (low is not None and value < low) or (high is not None and value > high):
            if low is not None and high is not None:
                message = f"{what}: Bitte geben Sie eine Zahl von {_german(low)} bis {_german(high)} ein."
            elif low is not None:
                message = f"{what}: Bitte geben Sie eine Zahl ab {_german(low)} ein."
            else:
                message = f"{what}: Bitte geben Sie eine Zahl bis {_german(high)} ein."
        else:
            parsed.values[variable.id] = value
            return
    parsed.errors.append(FieldError(variable.id, input_id(variable), message))


def _parse_text_variable(variable, text, shown, parsed) -> None:
    cleaned = "".join(char for char in text if char in "\n\t" or ord(char) >= 32).strip()
    if len(cleaned) > TEXT_MAX:
        parsed.errors.append(FieldError(variable.id, input_id(variable),
                                        f"{_label(shown, variable)}: Der Text ist zu lang "
                                        f"(höchstens {_german(TEXT_MAX)} Zeichen, eingegeben {_german(len(cleaned))})."))
        return
    if cleaned:
        parsed.values[variable.id] = cleaned


def parse_page(shown: Sequence[ShownQuestion], form: Mapping[str, str]) -> ParsedPage:
    """Values and error messages for the fields of the shown questions.

    Every shown variable gets an entry in ``values`` (None = not answered), so that an answer taken back
    on this page is removed from the draft. Answers are voluntary: blank is never an error.
    """
    parsed = ParsedPage()
    for item in shown:
        if item.question.kind == "multi":
            checked = {variable.id for variable in item.variables if form.get(variable.id) == "1"}
            for variable in item.variables:
                parsed.values[variable.id] = (1 if variable.id in checked else 0) if checked else None
                parsed.raw[variable.id] = "1" if variable.id in checked else ""
            continue
        for variable in item.variables:
            text = (form.get(variable.id) or "").strip() if variable.kind != "text" else (form.get(variable.id) or "")
            parsed.raw[variable.id] = text if variable.kind == "text" else text[:40]
            parsed.values[variable.id] = None
            if variable.kind == "code":
                _parse_code_variable(variable, text, item, parsed)
            elif variable.kind in ("number", "birthyear"):
                _parse_number_variable(variable, text, item, parsed)
            elif variable.kind == "text":
                _parse_text_variable(variable, text, item, parsed)
            elif variable.kind == "flag":
                parsed.values[variable.id] = 1 if text == "1" else None
    return parsed


def final_answers(questionnaire: Questionnaire, answers: Mapping[str, object]) -> dict[str, object]:
    """The answers to store: only known variables that apply, in questionnaire order, without blanks."""
    result: dict[str, object] = {}
    # Filters are decided on what is kept so far, so a chain of filters is followed consistently.
    for question in questionnaire.questions:
        if not applies(question.filter, result):
            continue
        for variable in question.variables:
            value = answers.get(variable.id)
            if value is not None and applies(variable.filter, result):
                result[variable.id] = value
    return result
