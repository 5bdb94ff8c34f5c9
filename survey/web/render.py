"""The questions of a page as HTML, from pre-escaped fragments (the form's hot path).

Every question's markup is built once per set of shown rows and kept as a list of fixed, escaped
strings and *slots* (whether an option is checked, an input's value, an error message, the
``aria-describedby``/``aria-invalid`` attributes, the error class). A request only fills the slots,
so a page costs a join instead of a template run with hundreds of escapes.

The markup follows the accessibility rules of the form: every input has a label; radio groups and
grid rows are fieldsets with a legend; an error is announced next to its field and linked from the
summary (``aria-describedby``, ``aria-invalid``).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass

from markupsafe import Markup, escape

from survey.web.form import NUMBER_MAX_DIGITS, TEXT_MAX, ShownQuestion
from survey.web.ui_texts import UiTexts, ui_texts


@dataclass(frozen=True)
class _Slot:
    kind: str  # checked | value | text | error | described | has_error
    variable: str
    code: str = ""


def _e(text: object) -> str:
    return str(escape(text))


class _Texts:
    """Escaped texts of one question in the page's language; a text left German is marked ``lang="de"``."""

    def __init__(self, ui: UiTexts):
        self.ui = ui

    def mark(self, text: object, german: bool) -> str:
        if german and not self.ui.german_page:
            return f'<span lang="de" dir="ltr">{_e(text)}</span>'
        return _e(text)

    def ui_text(self, key: str, **values: object) -> str:
        return str(self.ui.text(key, **values))


class _Builder:
    def __init__(self) -> None:
        self.parts: list[str | _Slot] = []

    def add(self, *items: str | _Slot) -> None:
        for item in items:
            if isinstance(item, str) and self.parts and isinstance(self.parts[-1], str):
                self.parts[-1] += item
            else:
                self.parts.append(item)


def _code_label(tx: _Texts, variable, code: int, label: str, missing: bool = False) -> str:
    return tx.mark(label, f"{'missing_codes' if missing else 'codes'}.{code}" in variable.untranslated)


def _options(out: _Builder, variable, tx: _Texts) -> None:
    for code, label in variable.codes.items():
        out.add(f'<label class="opt" for="f-{variable.id}-{code}"><input type="radio" name="{variable.id}" '
                f'id="f-{variable.id}-{code}" value="{code}"', _Slot("checked", variable.id, str(code)),
                f'><span class="opt-text">{_code_label(tx, variable, code, label)}</span></label>\n')
    for position, (code, label) in enumerate(variable.missing_codes.items()):
        first = " first-missing" if position == 0 else ""
        out.add(f'<label class="opt missing{first}" for="f-{variable.id}-{code}"><input type="radio" '
                f'name="{variable.id}" id="f-{variable.id}-{code}" value="{code}"',
                _Slot("checked", variable.id, str(code)),
                f'><span class="opt-text">{_code_label(tx, variable, code, label, True)}</span></label>\n')


def _question_text(tx: _Texts, question) -> str:
    return tx.mark(question.text, "text" in question.untranslated)


def _help_text(tx: _Texts, question) -> str:
    return tx.mark(question.help, "help" in question.untranslated)


def _head(out: _Builder, item: ShownQuestion, tx: _Texts) -> None:
    out.add(f'<legend><span class="qnum">{tx.ui_text("question", number=item.number)}</span> '
            f'<span class="qtext">{_question_text(tx, item.question)}</span></legend>\n')
    if item.question.help:
        out.add(f'<p class="hint">{_help_text(tx, item.question)}</p>\n')


def _build(item: ShownQuestion, tx: _Texts) -> list[str | _Slot]:
    out = _Builder()
    question = item.question
    kind = question.kind
    if kind == "single":
        variable = item.variables[0]
        out.add('<fieldset class="question single', _Slot("has_error", variable.id), f'" id="q-{question.id}"',
                _Slot("described", variable.id), ">\n")
        _head(out, item, tx)
        out.add(_Slot("error", variable.id), '<div class="choices">\n')
        _options(out, variable, tx)
        out.add("</div>\n</fieldset>\n")
    elif kind == "grid":
        first = item.variables[0]
        columns = len(first.codes) + len(first.missing_codes)
        out.add(f'<fieldset class="question grid" id="q-{question.id}">\n')
        _head(out, item, tx)
        out.add(f'<div class="grid-head cols-{columns}" aria-hidden="true"><span></span>'
                + "".join(f"<span>{_code_label(tx, first, code, label)}</span>" for code, label in first.codes.items())
                + "".join(f'<span class="missing">{_code_label(tx, first, code, label, True)}</span>'
                          for code, label in first.missing_codes.items())
                + "</div>\n")
        for variable in item.variables:
            out.add(f'<fieldset class="grid-row cols-{columns}', _Slot("has_error", variable.id),
                    f'" id="r-{variable.id}"', _Slot("described", variable.id),
                    f">\n<legend>{tx.mark(variable.label, 'label' in variable.untranslated)}</legend>\n",
                    _Slot("error", variable.id))
            _options(out, variable, tx)
            out.add("</fieldset>\n")
        out.add("</fieldset>\n")
    elif kind == "multi":
        out.add(f'<fieldset class="question multi" id="q-{question.id}">\n')
        _head(out, item, tx)
        out.add('<div class="choices">\n')
        for variable in item.variables:
            out.add(f'<label class="opt" for="f-{variable.id}"><input type="checkbox" name="{variable.id}" '
                    f'id="f-{variable.id}" value="1"', _Slot("checked", variable.id, "1"),
                    f'><span class="opt-text">{tx.mark(variable.label, "label" in variable.untranslated)}</span>'
                    '</label>\n')
        out.add("</div>\n</fieldset>\n")
    elif kind in ("number", "birthyear"):
        variable = item.variables[0]
        year = kind == "birthyear"
        hint_id = f"hinweis-{variable.id}" if question.help else ""
        out.add('<div class="question field', _Slot("has_error", variable.id), f'" id="q-{question.id}">\n'
                f'<label for="f-{variable.id}"><span class="qnum">{tx.ui_text("question", number=item.number)}</span> '
                f'<span class="qtext">{_question_text(tx, question)}</span></label>\n')
        if question.help:
            out.add(f'<p class="hint" id="hinweis-{variable.id}">{_help_text(tx, question)}</p>\n')
        out.add(_Slot("error", variable.id),
                f'<input type="text" inputmode="numeric" autocomplete="off" id="f-{variable.id}" name="{variable.id}" '
                f'class="{"year-input" if year else "number-input"}" value="', _Slot("value", variable.id),
                f'" maxlength="{4 if year else NUMBER_MAX_DIGITS}"', _Slot("described", variable.id, hint_id), ">")
        if variable.unit:
            out.add(f' <span class="unit">{tx.mark(variable.unit, "unit" in variable.untranslated)}</span>')
        out.add("\n")
        if year:
            out.add(f'<p class="hint">{tx.ui_text("year_hint")}</p>\n')
        out.add("</div>\n")
    elif kind == "text":
        variable = item.variables[0]
        out.add('<div class="question field', _Slot("has_error", variable.id), f'" id="q-{question.id}">\n'
                f'<label for="f-{variable.id}"><span class="qnum">{tx.ui_text("question", number=item.number)}</span> '
                f'<span class="qtext">{_question_text(tx, question)}</span></label>\n')
        if question.help:
            out.add(f'<p class="hint">{_help_text(tx, question)}</p>\n')
        out.add(f'<p class="hint">{tx.ui_text("text_hint")}</p>\n',
                _Slot("error", variable.id),
                f'<textarea id="f-{variable.id}" name="{variable.id}" rows="5" maxlength="{TEXT_MAX}"',
                _Slot("described", variable.id), ">", _Slot("text", variable.id), "</textarea>\n</div>\n")
    return out.parts


class QuestionRenderer:
    """Renders shown questions; the fragment lists are cached per (question, shown rows, number)."""

    def __init__(self, ui: UiTexts | None = None) -> None:
        self._texts = _Texts(ui or ui_texts("de"))
        self._cache: dict[tuple, list[str | _Slot]] = {}
        self._blank: dict[tuple, str] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _key(item: ShownQuestion) -> tuple:
        return (item.question.id, item.number, tuple(variable.id for variable in item.variables))

    def _parts(self, item: ShownQuestion, key: tuple) -> list[str | _Slot]:
        parts = self._cache.get(key)
        if parts is None:
            parts = _build(item, self._texts)
            with self._lock:
                self._cache[key] = parts
        return parts

    def render(self, shown: list[ShownQuestion], values: Mapping[str, str],
               error_for: Mapping[str, str] | None = None) -> Markup:
        error_for = error_for or {}
        out: list[str] = []
        for item in shown:
            key = self._key(item)
            if not error_for and not any(variable.id in values for variable in item.variables):
                blank = self._blank.get(key)  # unanswered, no message: the same HTML every time
                if blank is None:
                    blank = self._fill(self._parts(item, key), {}, {}, self._texts)
                    with self._lock:
                        self._blank[key] = blank
                out.append(blank)
            else:
                out.append(self._fill(self._parts(item, key), values, error_for, self._texts))
        return Markup("".join(out))

    @staticmethod
    def _fill(parts: list[str | _Slot], values: Mapping[str, str], error_for: Mapping[str, str], tx: _Texts) -> str:
        out: list[str] = []
        for part in parts:
            if isinstance(part, str):
                out.append(part)
                continue
            kind, variable = part.kind, part.variable
            if kind == "checked":
                if values.get(variable) == part.code:
                    out.append(" checked")
            elif kind in ("value", "text"):
                out.append(_e(values.get(variable, "")))
            elif variable in error_for:
                if kind == "error":
                    out.append(f'<p class="error-message" id="fehler-{variable}"><span class="visually-hidden">'
                               f'{tx.ui_text("error")}</span> {tx.ui.german(error_for[variable])}</p>\n')
                elif kind == "described":
                    ids = f"{part.code} fehler-{variable}" if part.code else f"fehler-{variable}"
                    out.append(f' aria-describedby="{ids}" aria-invalid="true"')
                else:
                    out.append(" has-error")
            elif kind == "described" and part.code:
                out.append(f' aria-describedby="{part.code}"')  # the field's hint
        return "".join(out)


CSRF_SENTINEL = "\x00csrf\x00"
QUESTIONS_SENTINEL = "\x00fragen\x00"


class PageFrames:
    """The rest of a page around its questions, rendered once per page (template ``page.html``).

    A frame is the template's output for a page without errors, cut at the CSRF token and at the
    questions; serving the page joins the three pieces with this session's token and questions.
    Pages with validation errors are rendered by the template directly.
    """

    def __init__(self) -> None:
        self._frames: dict[tuple, tuple[str, str, str]] = {}
        self._lock = threading.Lock()

    def fill(self, key: tuple, build, csrf: str, questions: Markup) -> Markup:
        frame = self._frames.get(key)
        if frame is None:
            html = str(build())
            head, rest = html.split(CSRF_SENTINEL)
            middle, tail = rest.split(QUESTIONS_SENTINEL)
            frame = (head, middle, tail)
            with self._lock:
                self._frames[key] = frame
        return Markup("".join((frame[0], _e(csrf), frame[1], str(questions), frame[2])))
